//! `pex`: the Protocol Explorer engine on the command line, over any [`Catalogue`]. This
//! repository's `pex` is `cli::main(Catalogue::builtin())`; a crate with models of its own gets
//! the same commands for them with a `main` of one line (see `examples/peterson`).
//!
//! Exit codes: 0 success (a check found nothing), 1 a property failed (`pex lesson check`: a lesson
//! did not check), 2 bad input, 3 a check
//! ended at a bound before exploring everything, 4 a check found nothing but only under a symmetry
//! reduction the audit found unsound (not a verdict on every reachable state; rerun with
//! `--no-symmetry`), 141 standard output closed under pex (as in `pex list | head -1`: pex stops
//! at once and quietly, the code a shell reports for a process ended by SIGPIPE).

use crate::catalogue::{BuildError, Catalogue};
use crate::engine::trace::{state_to_json, state_to_tlc_text};
use crate::engine::{
    noun, plural, random_walk_with, replay, CheckOptions, DynModel, DynOutcome, SimulateEnd, SimulateOptions, Simulator, StopReason, Trace, TraceFile, WalkEnd,
    WalkOptions,
};
use crate::lessons;
use crate::tlc::{bench, conform, find_jar};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Exit code when standard output closed under pex (the reader of a pipe went away, as in
/// `pex list | head -1`): 141, what a shell reports for a process ended by SIGPIPE.
const CLOSED_STDOUT: u8 = 141;

/// Writes to standard output. Every line the commands print goes through here: when stdout is
/// closed (a broken pipe), pex stops at once, quietly, with exit code [`CLOSED_STDOUT`]; another
/// write error is reported on stderr with exit code 2.
fn write_out(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        drop(stdout);
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(CLOSED_STDOUT.into());
        }
        eprintln!("pex: error: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}

/// `print!` through [`write_out`].
macro_rules! out {
    ($($arg:tt)*) => { write_out(format_args!($($arg)*)) };
}

/// `println!` through [`write_out`].
macro_rules! outln {
    () => { write_out(format_args!("\n")) };
    ($($arg:tt)*) => { write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

#[derive(Parser)]
#[command(name = "pex", version, about = "Protocol Explorer: step through, walk and exhaustively check protocol models")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(clap::Args, Clone)]
struct ModelArgs {
    /// The model (see `pex list`).
    model: String,
    /// The configuration: `safe` or a gap.
    #[arg(long, short, default_value = "safe")]
    config: String,
    /// Override a constant: `--const MaxSeq=3`, `--const Sizes={1,2}`, `--const Nodes=3`.
    #[arg(long = "const", value_name = "K=V")]
    constants: Vec<String>,
}

#[derive(Subcommand)]
enum Cmd {
    /// List the models, their configurations and constants.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Explore every reachable state breadth-first; report the first violated property with a
    /// shortest trace.
    Check {
        #[command(flatten)]
        model: ModelArgs,
        /// Do not reduce by the model's symmetric sets.
        #[arg(long)]
        no_symmetry: bool,
        /// Do not audit the declared symmetry (by default, with symmetry on, every explored state
        /// is checked to commute with each permutation).
        #[arg(long)]
        no_symmetry_audit: bool,
        /// Report states without successors as errors.
        #[arg(long)]
        deadlock: bool,
        /// Stop (with a partial result, exit 3) after storing this many distinct states.
        #[arg(long)]
        max_states: Option<u64>,
        /// Threads computing successors (default: every core). Figures are the same for any number.
        #[arg(long)]
        threads: Option<usize>,
        /// Stop (with a partial result, exit 3) after this many seconds.
        #[arg(long)]
        max_seconds: Option<f64>,
        /// Stop (with a partial result, exit 3) before the search's tables would grow past this
        /// many MiB.
        #[arg(long, value_name = "MIB")]
        max_memory: Option<u64>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        /// With --json: add each trace state as TLC prints it (`tlc` beside `state`).
        #[arg(long)]
        tlc_trace: bool,
        /// Write a counterexample as a trace file (JSON) that `pex replay` and the web app load;
        /// a name ending in `.itf.json` writes the Informal Trace Format (Apalache, Quint).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// A seeded random walk: the same seed always gives the same trace.
    Walk {
        #[command(flatten)]
        model: ModelArgs,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        #[arg(long, default_value_t = 50)]
        steps: usize,
        /// Stop at the first violated property.
        #[arg(long)]
        stop_on_violation: bool,
        /// Draw only among the actions that change the state (as `pex simulate` does).
        #[arg(long)]
        skip_stutter: bool,
        #[arg(long)]
        json: bool,
        /// Write the walk as a trace file (JSON).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Look for a violation by many seeded random walks, as TLC's `-simulate` does: walk k has
    /// seed `--seed` + k; the first walk that breaks an invariant or action property is printed
    /// (and is `pex walk` with its seed, and `--skip-stutter` unless `--keep-stutter`). Walks do
    /// not judge temporal properties: `pex check` does.
    Simulate {
        #[command(flatten)]
        model: ModelArgs,
        /// The seed of the first walk.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Walks at most (at least 1).
        #[arg(long, default_value_t = 10_000)]
        walks: u64,
        /// Steps per walk at most (TLC's -depth).
        #[arg(long, default_value_t = 1_000)]
        depth: usize,
        #[arg(long)]
        max_seconds: Option<f64>,
        /// Also take steps that change nothing (by default a walk draws only among the actions
        /// that change the state).
        #[arg(long)]
        keep_stutter: bool,
        #[arg(long)]
        json: bool,
        /// Write the violating walk as a trace file (JSON).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Replay a trace file, print its states and check it again: the first state (or step) where
    /// each invariant (action property) fails, and a lasso's temporal verdict (exit 1 if one fails).
    /// Reads pex's own trace files, TLC's error trace (its output, or the trace alone) and ITF
    /// (Apalache, Quint); another tool's trace is matched state by state against the model.
    Replay {
        file: PathBuf,
        /// For another tool's trace: the model (default: the one with the trace's variables).
        #[arg(long)]
        model: Option<String>,
        /// For another tool's trace: the config (default: the one it is a behaviour of).
        #[arg(long, short)]
        config: Option<String>,
        /// For another tool's trace: a constant, over the model's defaults.
        #[arg(long = "const", value_name = "K=V")]
        constants: Vec<String>,
        /// For another tool's trace: the twin's cfg TLC ran (tla/<model>/MC_<config>.cfg), which
        /// gives the model, the config and the constants.
        #[arg(long, value_name = "FILE")]
        cfg: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Compare every twin in tla/ with TLC: distinct states, generated states, depth, verdict and
    /// counterexample, with and without symmetry.
    Conform {
        /// Only this model.
        #[arg(long)]
        model: Option<String>,
        #[arg(long, default_value = "tla")]
        tla_dir: PathBuf,
    },
    /// Write a new crate with a protocol model of its own: model, TLA+ twin, CLI, site, test.
    New {
        /// The crate's name, also its model's: lower-case letters, digits, `-`, `_`.
        name: String,
        /// The Protocol Explorer checkout it depends on (default: the one this `pex` was built from).
        #[arg(long, value_name = "DIR")]
        pex_path: Option<PathBuf>,
    },
    /// Lessons (`lessons/*.toml`): check them against their models, or print one as text.
    Lesson {
        #[command(subcommand)]
        command: LessonCmd,
    },
    /// Checker speed and memory, beside TLC on the same twin and constants.
    Bench {
        #[arg(long)]
        model: Option<String>,
        #[arg(long)]
        config: Option<String>,
        /// Runs of our checker per case; the best time is kept.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
        /// Skip TLC.
        #[arg(long)]
        no_tlc: bool,
        /// TLC worker threads (default: every core, as our checker uses).
        #[arg(long)]
        tlc_workers: Option<usize>,
        /// Threads of our checker (default: every core).
        #[arg(long)]
        threads: Option<usize>,
        #[arg(long, default_value = "tla")]
        tla_dir: PathBuf,
        #[arg(long)]
        json: bool,
        /// Only the peer benchmark: our checker beside Stateright on the models written again for
        /// it (crdt, paxos), same constants and thread count; no TLC. It also runs after the TLC
        /// table when --model is one of those. Needs `cargo build --release --example stateright_peer`.
        #[arg(long)]
        peer: bool,
    },
    /// Print the reachable state graph: a node per distinct state (as `pex check` counts them), an
    /// edge per step, as Graphviz DOT or JSON.
    Graph {
        #[command(flatten)]
        model: ModelArgs,
        #[arg(long, default_value = "dot", value_parser = ["dot", "json"])]
        format: String,
        /// Refuse (exit 2) when the space has more distinct states than this.
        #[arg(long, default_value_t = 100_000)]
        max_states: usize,
    },
    /// Write the docs book's sources (mdBook): a gallery, a page per model with the explorer
    /// embedded at each gap's shortest counterexample, the embed contract, a picture per model.
    /// `scripts/site.sh` builds them into the site.
    Docs {
        /// The folder to write (created; files of the same names are replaced).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum LessonCmd {
    /// Replay each lesson against its model and print one line per lesson (exit 1 if any fails).
    /// Without files, the lessons compiled into pex (every `lessons/*.toml` at build time).
    Check {
        /// Lesson files to check instead.
        files: Vec<PathBuf>,
    },
    /// Print a lesson's walk as text: steps, captions, what changed, highlights, challenges.
    Show {
        /// A lesson compiled into pex (`seqlock`), or a lesson file (`path/to/lesson.toml`).
        name: String,
        /// Also print each challenge's solution.
        #[arg(long)]
        solutions: bool,
    },
    /// Serve a lesson file to the app while you write it: prints the file's URL and the app's link
    /// that plays it (`#lesson-src=…`), checks it, and checks it again each time the file changes.
    /// Runs until stopped (Ctrl-C).
    Serve {
        /// The lesson file (served at `/<its file name>`, read again on every request).
        file: PathBuf,
        /// The port to listen on (0: any free port; the printed URL says which).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The app the printed link opens (the hosted site, or `trunk serve`'s address).
        #[arg(long, default_value = "http://127.0.0.1:8080/")]
        app: String,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        address: String,
    },
}

/// Bad input: printed as one line, exit code 2.
struct Fail(String);

impl From<BuildError> for Fail {
    fn from(e: BuildError) -> Self {
        Fail(e.to_string())
    }
}

/// `--const NAME=VALUE` arguments as (name, value) pairs (public for the fuzzer, `src/bin/fuzz.rs`).
pub fn parse_consts(items: &[String]) -> Result<Vec<(String, String)>, String> {
    items
        .iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
            _ => Err(format!("--const expects NAME=VALUE, got '{kv}'")),
        })
        .collect()
}

/// The catalogue [`main`] was given.
static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();

fn catalogue() -> &'static Catalogue {
    CATALOGUE.get().expect("cli::main sets the catalogue first")
}

fn build(args: &ModelArgs) -> Result<Arc<dyn DynModel>, Fail> {
    Ok(catalogue().build(&args.model, &args.config, &parse_consts(&args.constants).map_err(Fail)?)?)
}

fn graph(args: &ModelArgs, format: &str, max_states: usize) -> Result<u8, Fail> {
    let model = build(args)?;
    let g = crate::engine::reachable(model.as_ref(), max_states);
    if !g.complete {
        return Err(Fail(format!(
            "{} ({}) has more than {} reachable states; give smaller constants (--const) or a larger --max-states",
            args.model, args.config, max_states
        )));
    }
    match format {
        "json" => outln!("{}", g.to_json(model.as_ref())),
        _ => out!("{}", g.to_dot(model.as_ref())),
    }
    Ok(0)
}

/// Runs the command line over `catalogue`: parses the process's arguments, runs the command and
/// returns its exit code (see the module's documentation).
pub fn main(catalogue: Catalogue) -> ExitCode {
    if CATALOGUE.set(catalogue).is_err() {
        eprintln!("pex: error: cli::main was called twice in one process");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Cmd::List { json } => list(json),
        Cmd::Check { model, no_symmetry, no_symmetry_audit, deadlock, max_states, threads, max_seconds, max_memory, json, tlc_trace, out } => {
            let threads_given = threads;
            let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)).max(1);
            let options = CheckOptions {
                symmetry: !no_symmetry,
                deadlock,
                max_states,
                max_seconds,
                audit_symmetry: !no_symmetry_audit,
                threads,
                adapt_threads: true,
                max_memory: max_memory.map(|m| m.saturating_mul(1024 * 1024)),
            };
            check(&model, options, threads_given, json, tlc_trace, out)
        }
        Cmd::Walk { model, seed, steps, stop_on_violation, skip_stutter, json, out } => {
            walk(&model, seed, steps, WalkOptions { stop_on_violation, skip_stutter }, json, out)
        }
        Cmd::Simulate { model, seed, walks, depth, max_seconds, keep_stutter, json, out } => {
            let options = SimulateOptions { first_seed: seed, max_walks: Some(walks), depth, max_seconds, skip_stutter: !keep_stutter };
            simulate(&model, options, json, out)
        }
        Cmd::Replay { file, model, config, constants, cfg, json } => (|| {
            let mut hint = crate::catalogue::TraceHint { model, config, constants: parse_consts(&constants).map_err(Fail)? };
            if let Some(cfg) = cfg {
                hint = hint_of_cfg(&cfg, hint)?;
            }
            replay_file(&file, &hint, json)
        })(),
        Cmd::Docs { out } => write_docs(&out),
        Cmd::Graph { model, format, max_states } => graph(&model, &format, max_states),
        Cmd::Lesson { command: LessonCmd::Check { files } } => lesson_check(&files),
        Cmd::Lesson { command: LessonCmd::Show { name, solutions } } => lesson_show(&name, solutions),
        Cmd::Lesson { command: LessonCmd::Serve { file, port, app, address } } => lesson_serve(crate::serve::Options { file, address, port, app }),
        Cmd::Conform { model, tla_dir } => conform_all(model.as_deref(), &tla_dir),
        Cmd::New { name, pex_path } => new_crate(&name, pex_path.as_deref()),
        Cmd::Bench { model, config, repeat, no_tlc, tlc_workers, threads, tla_dir, json, peer } => {
            let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
            let threads = threads.unwrap_or(cores).max(1);
            if peer {
                bench_peer(model.as_deref(), config.as_deref(), repeat, threads, json, None)
            } else {
                bench_all(model.as_deref(), config.as_deref(), repeat, no_tlc, tlc_workers.unwrap_or(cores).max(1), threads, &tla_dir, json)
            }
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fail(msg)) => {
            eprintln!("pex: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn new_crate(name: &str, pex_path: Option<&Path>) -> Result<u8, Fail> {
    let pex_path = pex_path.map_or_else(crate::scaffold::default_pex_path, Path::to_path_buf);
    let files = crate::scaffold::scaffold(name, Path::new("."), &pex_path).map_err(Fail)?;
    for f in &files {
        outln!("  wrote {}", f.display());
    }
    outln!(
        "Created {name}/ ({}), depending on {}. Then:\n  cd {name}\n  cargo run -- check {name} --config {gap}\n  cargo run -- conform --tla-dir tla\n  trunk serve",
        plural(files.len(), "file", "files"),
        pex_path.display(),
        gap = crate::scaffold::GAP
    );
    Ok(0)
}

fn write_docs(out: &std::path::Path) -> Result<u8, Fail> {
    let pages = crate::docs::book(catalogue()).map_err(Fail)?;
    for page in &pages {
        let path = out.join(&page.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Fail(format!("cannot create {}: {e}", dir.display())))?;
        }
        std::fs::write(&path, &page.text).map_err(|e| Fail(format!("cannot write {}: {e}", path.display())))?;
    }
    outln!("Wrote {} files of the docs book to {}", pages.len(), out.display());
    Ok(0)
}

/// `n` bytes for a message: whole MB when it is a whole number of them, bytes otherwise.
pub(crate) fn bytes_text(n: usize) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MB", n >> 20)
    } else if n >= 1 << 10 && n % (1 << 10) == 0 {
        format!("{} KB", n >> 10)
    } else {
        plural(n, "byte", "bytes")
    }
}

/// The text of an input file (`what` names the kind: "trace file", "lesson file"), reading at
/// most `limit` bytes and one more, whatever the file is (a regular file, a FIFO, `/dev/zero`):
/// past `limit` it is refused, with the file and the limit named. Every file the CLI reads comes
/// through here.
fn read_input(path: &Path, what: &str, limit: usize) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() > limit {
        return Err(format!("{}: {what} too large: more than {}; a {what} is at most {}", path.display(), bytes_text(limit), bytes_text(limit)));
    }
    String::from_utf8(bytes).map_err(|e| format!("{}: not text (UTF-8): {e}", path.display()))
}

/// A lesson file's text (at most [`lessons::MAX_LESSON_BYTES`]).
fn read_lesson(path: &Path) -> Result<String, String> {
    read_input(path, "lesson file", lessons::MAX_LESSON_BYTES)
}

/// A lesson file read and checked against `catalogue`: its run, or the one-line problem (the file,
/// where in it and what), as `pex lesson check` and `pex lesson serve` report them.
pub(crate) fn check_lesson_file(catalogue: &Catalogue, path: &Path) -> Result<lessons::LessonRun, String> {
    let text = read_lesson(path)?;
    lessons::load_in(catalogue, &path.display().to_string(), &text).map_err(|e| e.to_string())
}

fn lesson_check(files: &[PathBuf]) -> Result<u8, Fail> {
    // Each lesson is checked as its line is printed.
    let count = if files.is_empty() { catalogue().lessons().len() } else { files.len() };
    let check = |i: usize| match files.get(i) {
        Some(f) => (f.display().to_string(), check_lesson_file(catalogue(), f)),
        None => {
            let (path, text) = catalogue().lessons()[i];
            (path.to_string(), lessons::load_in(catalogue(), path, text).map_err(|e| e.to_string()))
        }
    };
    if count == 0 {
        return Err(Fail("no lessons: none were compiled in and no files were given".to_string()));
    }
    let mut failed = 0;
    for (path, result) in (0..count).map(check) {
        match result {
            Ok(run) => outln!("ok    {path}: {}", run.summary_line()),
            Err(e) => {
                failed += 1;
                outln!("FAIL  {e}");
            }
        }
    }
    if failed > 0 {
        outln!("{} of {} failed", failed, plural(count, "lesson", "lessons"));
        return Ok(1);
    }
    Ok(0)
}

/// `pex lesson serve`: [`crate::serve::run`] on standard output until the process is stopped.
fn lesson_serve(options: crate::serve::Options) -> Result<u8, Fail> {
    let stop = std::sync::atomic::AtomicBool::new(false);
    match crate::serve::run(catalogue(), &options, &mut std::io::stdout(), &stop) {
        Ok(()) => Ok(0),
        Err(crate::serve::ServeError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(CLOSED_STDOUT),
        Err(e) => Err(Fail(e.to_string())),
    }
}

fn lesson_show(name: &str, solutions: bool) -> Result<u8, Fail> {
    let (path, text) = if name.ends_with(".toml") {
        (name.to_string(), read_lesson(Path::new(name)).map_err(Fail)?)
    } else {
        match catalogue().lesson(name) {
            Some((path, text)) => (path.to_string(), text.to_string()),
            None => {
                let known: Vec<&str> = catalogue().lessons().iter().map(|(p, _)| lessons::lesson_name(p)).collect();
                return Err(Fail(format!("no lesson '{name}'; the lessons are {} (or give a path ending in .toml)", known.join(", "))));
            }
        }
    };
    let run = lessons::load_in(catalogue(), &path, &text).map_err(|e| Fail(e.to_string()))?;
    out!("{}", run.walk_text(solutions));
    Ok(0)
}

/// The temporal properties a config checks (built with the default constants).
fn temporal_names(model: &str, config: &str) -> Vec<&'static str> {
    catalogue().build(model, config, &[]).map(|m| m.liveness_names()).unwrap_or_default()
}

fn list(json: bool) -> Result<u8, Fail> {
    let infos = catalogue().infos();
    if json {
        let v: Vec<serde_json::Value> = infos
            .iter()
            .map(|i| {
                serde_json::json!({
                    "name": i.name, "title": i.title, "story": i.story, "source": i.source,
                    "configs": i.configs.iter().map(|c| serde_json::json!({"name": c.name, "summary": c.summary, "expect": c.expect, "temporal": temporal_names(i.name, c.name)})).collect::<Vec<_>>(),
                    "constants": i.constants.iter().map(|c| serde_json::json!({"name": c.name, "default": c.default, "doc": c.doc, "allowed": c.allowed()})).collect::<Vec<_>>(),
                })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&v).unwrap());
        return Ok(0);
    }
    for i in infos {
        outln!("{} — {}", i.name, i.title);
        outln!("  {}", i.story);
        outln!("  configs:");
        for c in &i.configs {
            let expect = c.expect.map(|e| format!(" [breaks {e}]")).unwrap_or_default();
            outln!("    {:<20} {}{}", c.name, c.summary, expect);
        }
        outln!("  constants:");
        for c in &i.constants {
            outln!("    {:<16} = {:<12} {}", c.name, c.default, c.doc);
            outln!("    {:<16}   allowed: {}", "", c.allowed());
        }
        outln!();
    }
    Ok(0)
}

fn trace_json(model: &dyn DynModel, trace: &Trace, tlc_text: bool) -> serde_json::Value {
    serde_json::Value::Array(
        trace
            .steps
            .iter()
            .map(|s| {
                let mut o = serde_json::json!({"action": s.action, "state": state_to_json(model, &s.state)});
                if tlc_text {
                    let vars: serde_json::Map<String, serde_json::Value> =
                        model.variables().iter().zip(model.to_tla(&s.state)).map(|(n, v)| (n.to_string(), serde_json::Value::String(v.to_string()))).collect();
                    o["tlc"] = serde_json::Value::Object(vars);
                }
                o
            })
            .collect(),
    )
}

fn save_trace(model: &dyn DynModel, trace: &Trace, path: &PathBuf) -> Result<(), Fail> {
    // A name ending in .itf.json asks for the Informal Trace Format (Apalache, Quint).
    if path.to_string_lossy().ends_with(".itf.json") {
        let source = format!("{}.tla", model.info().tla_module);
        let text = serde_json::to_string_pretty(&crate::engine::foreign::to_itf(model, trace, &source)).expect("serialisable");
        return std::fs::write(path, text + "\n").map_err(|e| Fail(format!("cannot write {}: {e}", path.display())));
    }
    let file = TraceFile {
        model: model.info().name.to_string(),
        config: model.config().name.to_string(),
        constants: model.constants().to_pairs(),
        init: trace.init_index,
        actions: trace.labels(),
        lasso: trace.lasso,
    };
    let text = serde_json::to_string_pretty(&file).expect("serialisable");
    std::fs::write(path, text + "\n").map_err(|e| Fail(format!("cannot write {}: {e}", path.display())))
}

/// `threads_given` is `--threads` as given (the note that a liveness check runs on one thread is
/// for those who asked for more).
fn check(args: &ModelArgs, options: CheckOptions, threads_given: Option<usize>, json: bool, tlc_trace: bool, out: Option<PathBuf>) -> Result<u8, Fail> {
    if let Some(s) = options.max_seconds {
        if !(s.is_finite() && s > 0.0) {
            return Err(Fail(format!("--max-seconds must be a positive number, got {s}")));
        }
    }
    let model = build(args)?;
    let threads_note = match threads_given {
        Some(n) if n > 1 && !model.liveness_names().is_empty() => {
            Some(format!("liveness checks run on one thread, so this one used 1 of the {n} threads asked for (--threads)"))
        }
        _ => None,
    };
    let mut checker = model.checker(options.clone());
    let started = Instant::now();
    let mut last_report = Instant::now();
    while !checker.run(1 << 16) {
        if started.elapsed() > Duration::from_secs(5) && last_report.elapsed() > Duration::from_secs(5) {
            let p = checker.progress();
            eprintln!(
                "Progress: {} generated, {} found, {} left on queue, depth {} ({:.0} states/s)",
                plural(p.generated, "state", "states"),
                plural(p.distinct, "distinct state", "distinct states"),
                plural(p.queue, "state", "states"),
                p.depth,
                p.states_per_second()
            );
            last_report = Instant::now();
        }
    }
    // A counterexample the engine found but could not replay is an error, not a verdict.
    if let Some(error) = checker.error() {
        return Err(Fail(error));
    }
    let result = checker.result().expect("finished");
    let p = &result.progress;
    // Whether the reduction the search used is one: trivially with no reduction, false when the
    // audit found the declared symmetry unsound, unknown when it was not audited.
    let reduction_sound = if !result.symmetry {
        Some(true)
    } else if result.symmetry_problem.is_some() {
        Some(false)
    } else if options.audit_symmetry {
        Some(true)
    } else {
        None
    };
    let unsound = reduction_sound == Some(false);
    let code = match &result.outcome {
        DynOutcome::Ok if unsound => 4,
        DynOutcome::Ok => 0,
        DynOutcome::Violation { .. } => 1,
        DynOutcome::Incomplete(_) => 3,
    };
    if let (Some(path), DynOutcome::Violation { trace, .. }) = (&out, &result.outcome) {
        save_trace(model.as_ref(), trace, path)?;
    }
    if json {
        let mut o = serde_json::json!({
            "model": model.info().name,
            "config": model.config().name,
            "constants": model.constants().to_json(),
            "symmetry": result.symmetry,
            "distinct": p.distinct,
            "generated": p.generated,
            "depth": p.depth,
            "queue": p.queue,
            "seconds": p.seconds,
            "levels": p.levels,
            "bytes_per_state": result.footprint.bytes_per_state,
            "collision_probability": result.footprint.collision_probability,
            "peak_memory_bytes": result.footprint.peak_memory_bytes,
            "symmetry_problem": result.symmetry_problem,
            "by_construction": model.by_construction().iter().map(|(name, why)| serde_json::json!({ "invariant": name, "why": why })).collect::<Vec<_>>(),
            "reduction_sound": reduction_sound,
            "liveness": model.liveness_names(),
            "fairness": model.fairness_names(),
            "specification": model.specification(),
            "note": result.note,
            "threads_note": threads_note,
            "bytes_per_edge": result.footprint.bytes_per_edge,
            "temporal_verdicts": result.temporal_verdicts().iter().map(|(name, holds)| serde_json::json!({ "property": name, "holds": holds })).collect::<Vec<_>>(),
            "fair_spec": result.liveness.as_ref().map(|l| l.under()),
        });
        if !model.symmetric_sets().is_empty() {
            o["tlc_variable_order"] = serde_json::json!(model.tlc_variable_order());
        }
        match &result.outcome {
            DynOutcome::Ok if unsound => o["result"] = "ok-under-unsound-symmetry".into(),
            DynOutcome::Ok => o["result"] = "ok".into(),
            DynOutcome::Violation { kind, name, trace } => {
                o["result"] = "violation".into();
                o["kind"] = kind.as_str().into();
                o["invariant"] = name.clone().into();
                o["trace"] = trace_json(model.as_ref(), trace, tlc_trace);
                o["lasso"] = trace.lasso_json();
            }
            DynOutcome::Incomplete(reason) => {
                o["result"] = "incomplete".into();
                o["reason"] = reason.as_str().into();
            }
        }
        outln!("{}", serde_json::to_string_pretty(&o).unwrap());
        return Ok(code);
    }
    outln!("Model {} ({}), config {}: {}", model.info().name, model.info().title, model.config().name, model.config().summary);
    outln!("Constants: {}", model.constants());
    for (name, why) in model.by_construction() {
        outln!("Invariant {name} holds by construction: {why}");
    }
    let sets = model.symmetric_sets().iter().map(|s| s.name).collect::<Vec<&str>>().join(", ");
    if result.symmetry {
        outln!("Symmetry: {sets} (distinct counts classes of states)");
    }
    let liveness = model.liveness_names();
    if !liveness.is_empty() {
        outln!("Liveness: {} under {} ({})", liveness.join(", "), model.specification(), model.fairness_names().join(" /\\ "));
    }
    if let Some(note) = &threads_note {
        outln!("Note: {note}.");
    }
    if let Some(note) = &result.note {
        outln!("Note: {note}: symmetry reduction is unsound for temporal properties, so every state was explored.");
    }
    if let Some(problem) = &result.symmetry_problem {
        outln!("Warning: the declared symmetry is not sound here: {problem}. Counts under it may differ from the counts without it (run with --no-symmetry).");
    }
    // The same check without the reduction, for verdicts that only hold under it.
    let rerun = {
        let mut words = vec!["pex check".to_string(), model.info().name.to_string()];
        if model.config().name != "safe" {
            words.push(format!("--config {}", model.config().name));
        }
        words.extend(args.constants.iter().map(|c| format!("--const {c}")));
        words.push("--no-symmetry".into());
        words.join(" ")
    };
    match &result.outcome {
        DynOutcome::Ok if unsound => outln!(
            "Model checking completed under the symmetry reduction by {sets}, which the audit found unsound (see the warning): no error was found in the reduced state space, but that does not show that every reachable state satisfies every property. For a verdict on every reachable state, run: {rerun}"
        ),
        DynOutcome::Ok if result.symmetry && reduction_sound.is_none() => {
            outln!("Model checking completed. No error has been found under the symmetry reduction by {sets}, which was not audited (--no-symmetry-audit).")
        }
        DynOutcome::Ok => {
            outln!("Model checking completed. No error has been found.");
            if let Some(l) = result.liveness.as_ref().filter(|l| !l.holding().is_empty()) {
                outln!("{} on every fair behaviour ({}).", l.holding().iter().map(|n| format!("{n} holds")).collect::<Vec<_>>().join(", "), l.under());
            }
        }
        DynOutcome::Violation { kind, name, trace } => {
            match kind {
                crate::engine::ViolationKind::Invariant => outln!("Error: Invariant {name} is violated."),
                crate::engine::ViolationKind::ActionProperty => outln!("Error: Action property {name} is violated."),
                crate::engine::ViolationKind::Deadlock => outln!("Error: Deadlock reached."),
                crate::engine::ViolationKind::Liveness => outln!("Error: Temporal properties were violated.\nThe property that fails: {name}."),
            }
            if *kind == crate::engine::ViolationKind::Liveness {
                outln!("Error: The following behavior constitutes a counter-example:");
            } else {
                outln!("Error: The behavior up to this point is:");
            }
            out!("{}", trace.to_tlc_text(model.as_ref()));
            if unsound {
                outln!("Note: this behavior is real (replayed from an initial state), but the search reduced by a symmetry the audit found unsound, so it may not be a shortest one and the figures below count the reduced state space ({rerun} gives both without it).");
            }
        }
        DynOutcome::Incomplete(reason) => {
            let bound = match reason {
                StopReason::MaxStates => format!("the bound --max-states {}", options.max_states.unwrap_or(0)),
                StopReason::MaxSeconds => format!("the bound --max-seconds {}", options.max_seconds.unwrap_or(0.0)),
                StopReason::Cancelled => "cancellation".to_string(),
                StopReason::Memory => format!("the memory ceiling --max-memory {} MiB", options.max_memory.unwrap_or(0) / (1024 * 1024)),
            };
            match result.liveness.as_ref() {
                // A liveness config: what was and was not judged depends on the phase it stopped in.
                Some(l) => outln!("{}", crate::engine::verdict::stopped_text(&format!("by {bound}"), p, Some(l))),
                None => outln!(
                    "Stopped by {bound} before exploring every reachable state: no property failed on the {} found, but {} left on the queue {} never expanded, so the states beyond {} were not checked. This is not a verdict on the model.",
                    plural(p.distinct, "distinct state", "distinct states"),
                    plural(p.queue, "state", "states"),
                    noun(p.queue, "was", "were"),
                    noun(p.queue, "it", "them"),
                ),
            }
        }
    }
    outln!(
        "{} generated, {} found, {} left on queue.",
        plural(p.generated, "state", "states"),
        plural(p.distinct, "distinct state", "distinct states"),
        plural(p.queue, "state", "states")
    );
    if matches!(result.outcome, DynOutcome::Incomplete(_)) {
        outln!("The depth reached before the run stopped is {}.", p.depth);
    } else {
        outln!("The depth of the complete state graph search is {}.", p.depth);
    }
    let memory = result.footprint.peak_memory_bytes.map(|b| format!(", peak memory {:.1} MiB", b as f64 / 1048576.0)).unwrap_or_default();
    outln!(
        "{} {:.3}s ({:.0} distinct states/s, {:.1} bytes per stored state{memory}; fingerprint collision chance {:.1e}).",
        if matches!(result.outcome, DynOutcome::Incomplete(_)) { "Stopped after" } else { "Finished in" },
        p.seconds,
        p.states_per_second(),
        result.footprint.bytes_per_state,
        result.footprint.collision_probability
    );
    Ok(code)
}

fn walk(args: &ModelArgs, seed: u64, steps: usize, options: WalkOptions, json: bool, out: Option<PathBuf>) -> Result<u8, Fail> {
    let cap = crate::engine::trace::MAX_TRACE_STEPS;
    if steps > cap {
        return Err(Fail(format!("--steps {steps} is more than a trace holds ({cap}): the walk keeps every state")));
    }
    let model = build(args)?;
    let w = random_walk_with(model.as_ref(), seed, steps, options);
    if let Some(path) = &out {
        save_trace(model.as_ref(), &w.trace, path)?;
    }
    if json {
        let o = serde_json::json!({
            "model": model.info().name,
            "config": model.config().name,
            "constants": model.constants().to_json(),
            "seed": seed,
            "steps": w.trace.len() - 1,
            "end": w.end.as_str(),
            "violation": w.violation.as_ref().map(|v| serde_json::json!({"position": v.position + 1, "kind": v.kind.as_str(), "invariant": v.name})),
            "trace": trace_json(model.as_ref(), &w.trace, false),
        });
        outln!("{}", serde_json::to_string_pretty(&o).unwrap());
    } else {
        out!("{}", w.trace.to_tlc_text(model.as_ref()));
        let end = match w.end {
            WalkEnd::Steps => "all it was asked for",
            WalkEnd::Deadlock => "then a deadlock: no action is enabled",
            WalkEnd::OutsideConstraint => "then a state outside the state constraint, where the checker stops too",
            WalkEnd::Violation => "stopped at the first violation",
            WalkEnd::OnlyStutter => "then a state where every enabled action changes nothing, and the walk skips those",
        };
        outln!("Walk with seed {seed}: {} ({end}).", plural(w.trace.len() - 1, "step", "steps"));
        match &w.violation {
            Some(v) => outln!("First violation: {} {} at state {}.", v.kind.as_str(), v.name, v.position + 1),
            None => outln!("No property failed along the walk."),
        }
    }
    Ok(if w.violation.is_some() { 1 } else { 0 })
}

fn simulate(args: &ModelArgs, options: SimulateOptions, json: bool, out: Option<PathBuf>) -> Result<u8, Fail> {
    let cap = crate::engine::trace::MAX_TRACE_STEPS;
    if options.depth > cap {
        return Err(Fail(format!("--depth {} is more than a trace holds ({cap})", options.depth)));
    }
    if options.max_seconds.is_some_and(|s| !(s.is_finite() && s > 0.0)) {
        return Err(Fail("--max-seconds must be a number above 0".into()));
    }
    if options.max_walks == Some(0) {
        return Err(Fail("--walks must be at least 1".into()));
    }
    let model = build(args)?;
    // Walks judge invariants and action properties only: a temporal property needs a whole
    // (infinite, fair) behaviour, which `pex check` searches for.
    let temporal = model.liveness_names();
    let check_hint = format!("pex check {} -c {}", model.info().name, model.config().name);
    if model.invariant_names().is_empty() && model.property_names().is_empty() {
        return Err(Fail(format!(
            "{} ({}) has no invariant or action property for a walk to break, and walks do not judge temporal properties ({}): `{check_hint}` does",
            model.info().name,
            model.config().name,
            temporal.join(", ")
        )));
    }
    let mut sim = Simulator::new(model.clone(), options.clone());
    let end = sim.run_to_end().clone();
    let p = sim.progress();
    // The found walk again, from its seed: the same walk, with its states.
    let found = match &end {
        SimulateEnd::Found(f) => {
            let w = random_walk_with(model.as_ref(), f.seed, options.depth, WalkOptions { stop_on_violation: true, skip_stutter: options.skip_stutter });
            Some((f, w.trace))
        }
        _ => None,
    };
    if let (Some((_, trace)), Some(path)) = (&found, &out) {
        save_trace(model.as_ref(), trace, path)?;
    }
    let ended = match &end {
        SimulateEnd::Found(_) => "violation",
        SimulateEnd::Walks => "walks",
        SimulateEnd::Seconds => "max-seconds",
        SimulateEnd::Cancelled => "cancelled",
    };
    if json {
        let o = serde_json::json!({
            "model": model.info().name,
            "config": model.config().name,
            "constants": model.constants().to_json(),
            "first_seed": options.first_seed,
            "depth": options.depth,
            "skip_stutter": options.skip_stutter,
            "walks": p.walks,
            "steps": p.steps,
            "seconds": p.seconds,
            "end": ended,
            "not_judged": temporal,
            "violation": found.as_ref().map(|(f, trace)| serde_json::json!({
                "seed": f.seed, "walk": f.walk + 1, "kind": f.kind.as_str(), "invariant": f.name,
                "length": trace.len(), "trace": trace_json(model.as_ref(), trace, false),
            })),
        });
        outln!("{}", serde_json::to_string_pretty(&o).unwrap());
    } else {
        if let Some((f, trace)) = &found {
            outln!("Error: {} {} is violated.", if f.kind == crate::engine::ViolationKind::Invariant { "Invariant" } else { "Action property" }, f.name);
            outln!("The behavior up to this point is:");
            out!("{}", trace.to_tlc_text(model.as_ref()));
        }
        let rate = if p.seconds > 0.0 { format!(", {:.0} steps/s", p.steps as f64 / p.seconds) } else { String::new() };
        outln!(
            "Simulation: {} ({} over all, depth at most {}{}) in {:.2} s{rate}.",
            plural(p.walks as usize, "walk", "walks"),
            plural(p.steps as usize, "step", "steps"),
            options.depth,
            if options.skip_stutter { ", skipping steps that change nothing" } else { "" },
            p.seconds
        );
        match &found {
            Some((f, trace)) => outln!(
                "Walk {} (seed {}) broke {} at state {}: `pex walk {} -c {} --seed {} --steps {}{}` replays it.",
                f.walk + 1,
                f.seed,
                f.name,
                trace.len(),
                model.info().name,
                model.config().name,
                f.seed,
                trace.len() - 1,
                if options.skip_stutter { " --skip-stutter" } else { "" }
            ),
            None => outln!(
                "No walk broke {} ({}).",
                if temporal.is_empty() { "a property" } else { "an invariant or action property" },
                match end {
                    SimulateEnd::Walks => "every walk allowed ran",
                    SimulateEnd::Seconds => "the time bound ended the run",
                    _ => "the run was cancelled",
                }
            ),
        }
        if found.is_none() && !temporal.is_empty() {
            outln!(
                "Walks do not judge temporal properties, so {} {} not judged: `{check_hint}` does.",
                temporal.join(", "),
                noun(temporal.len(), "was", "were")
            );
        }
    }
    Ok(if found.is_some() { 1 } else { 0 })
}

/// The model, config and constants of a twin's cfg (`tla/<model>/MC_<config>.cfg`).
fn hint_of_cfg(cfg: &Path, hint: crate::catalogue::TraceHint) -> Result<crate::catalogue::TraceHint, Fail> {
    let dir = cfg.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file = cfg.file_name().and_then(|f| f.to_str()).ok_or_else(|| Fail(format!("{}: not a file name", cfg.display())))?;
    let model = match &hint.model {
        Some(m) => m.clone(),
        None => {
            let folder = dir.canonicalize().ok().and_then(|d| d.file_name().map(|f| f.to_string_lossy().to_string())).unwrap_or_default();
            if catalogue().find(&folder).is_err() {
                return Err(Fail(format!("{}: a twin's cfg lives in tla/<model>/, and {folder:?} is no model here; say which with --model", cfg.display())));
            }
            folder
        }
    };
    let info = (catalogue().find(&model)?.info)();
    let case = crate::tlc::conform::load_case(catalogue(), &info, dir, file).map_err(Fail)?;
    let mut constants = case.constants;
    constants.extend(hint.constants);
    Ok(crate::catalogue::TraceHint { model: Some(model), config: Some(case.config), constants })
}

fn replay_file(path: &Path, hint: &crate::catalogue::TraceHint, json: bool) -> Result<u8, Fail> {
    let text = read_input(path, "trace file", crate::engine::trace::MAX_TRACE_FILE_BYTES).map_err(Fail)?;
    let opened = catalogue().open_trace(&text, hint).map_err(|e| Fail(format!("{}: {e}", path.display())))?;
    let file = opened.file.clone();
    let model = catalogue().build(&file.model, &file.config, &file.constants)?;
    let (mut trace, stop) = replay(model.as_ref(), file.init, &file.actions);
    if let Some(stop) = &stop {
        return Err(Fail(format!("{}: {stop} (replayed {} of {})", path.display(), trace.len() - 1, plural(file.actions.len(), "action", "actions"))));
    }
    // A lasso's loop must close: some step leads from the last state back to the one it names.
    if let Some(crate::engine::Lasso::BackTo(i)) = file.lasso {
        let last = &trace.steps[trace.len() - 1].state;
        let back = trace.steps.get(i).map(|s| s.state.clone());
        if !back.is_some_and(|b| model.choices(last).iter().any(|c| model.same_state(&c.next, &b))) {
            return Err(Fail(format!("{}: the lasso goes back to state {}, but no step leads there from the last state", path.display(), i + 1)));
        }
    }
    trace.lasso = file.lasso;
    let verdicts = recheck(model.as_ref(), &trace);
    let fails = verdicts.iter().any(|v| v.fails_at.is_some() && (v.kind != crate::engine::ViolationKind::Liveness || v.fair));
    if json {
        let o = serde_json::json!({
            "format": opened.format.map_or("pex", |f| match f { crate::engine::foreign::Format::Tlc => "tlc", crate::engine::foreign::Format::Itf => "itf" }),
            "violated_says": opened.violated,
            "also_behaviour_of": opened.also,
            "model": model.info().name,
            "config": model.config().name,
            "constants": model.constants().to_json(),
            "result": if fails { "violation" } else { "ok" },
            "properties": verdicts.iter().map(|v| {
                let mut o = serde_json::json!({"name": v.name, "kind": v.kind.as_str(), "holds": v.fails_at.is_none()});
                if v.kind == crate::engine::ViolationKind::Liveness {
                    o["fair"] = v.fair.into();
                } else {
                    o["state"] = v.fails_at.map(|i| i + 1).into();
                }
                o
            }).collect::<Vec<_>>(),
            "lasso": trace.lasso,
            "trace": trace_json(model.as_ref(), &trace, false),
        });
        outln!("{}", serde_json::to_string_pretty(&o).unwrap());
        return Ok(u8::from(fails));
    }
    if let Some(format) = opened.format {
        outln!(
            "Read as a {}: every state matched the model's, step by step, under config {}{}.",
            format.name(),
            model.config().name,
            if opened.also.is_empty() { String::new() } else { format!(" (also a behaviour of {}; --config picks another)", opened.also.join(", ")) }
        );
        if let Some(v) = &opened.violated {
            outln!("It says {v} is violated; the check below says where.");
        }
    }
    outln!("Model {} ({}), config {}: {}", model.info().name, model.info().title, model.config().name, model.config().summary);
    outln!("Constants: {}", model.constants());
    for (i, step) in trace.steps.iter().enumerate() {
        let head = step.action.as_deref().map(|a| format!("<{a}>")).unwrap_or_else(|| "<Initial predicate>".into());
        outln!("State {}: {}", i + 1, head);
        outln!("{}", state_to_tlc_text(model.as_ref(), &step.state));
    }
    match trace.lasso {
        Some(crate::engine::Lasso::BackTo(i)) => outln!("Back to state {}.", i + 1),
        Some(crate::engine::Lasso::Stuttering) => outln!("State {}: Stuttering", trace.len() + 1),
        None => {}
    }
    let last = trace.len();
    for v in &verdicts {
        match (v.kind, v.fails_at) {
            (crate::engine::ViolationKind::Invariant, Some(i)) => outln!("Invariant {} fails at state {}, the first along the trace where it does.", v.name, i + 1),
            (crate::engine::ViolationKind::ActionProperty, Some(i)) if i >= last => {
                outln!("Action property {} fails on the step from state {last} back to the start of the loop.", v.name)
            }
            (crate::engine::ViolationKind::ActionProperty, Some(i)) => outln!("Action property {} fails on the step to state {}, the first along the trace where it does.", v.name, i + 1),
            (crate::engine::ViolationKind::Liveness, Some(_)) if v.fair => outln!("Temporal property {} fails on this behaviour (its loop is fair).", v.name),
            (crate::engine::ViolationKind::Liveness, Some(_)) => outln!(
                "Temporal property {} fails on this behaviour, but its loop does not meet the fairness conditions ({}), so no fair behaviour is shown to break it.",
                v.name,
                model.fairness_names().join(" /\\ ")
            ),
            _ => {}
        }
    }
    let judged: Vec<&str> = verdicts.iter().filter(|v| v.fails_at.is_none()).map(|v| v.name).collect();
    if !judged.is_empty() {
        outln!("Holds along the trace: {}.", judged.join(", "));
    }
    if trace.lasso.is_none() && !model.liveness_names().is_empty() {
        outln!("The trace has no loop, so the temporal properties ({}) were not judged.", model.liveness_names().join(", "));
    }
    if !fails {
        outln!("No property fails along the trace.");
    }
    Ok(u8::from(fails))
}

/// One property's verdict on a replayed trace.
struct Verdict {
    name: &'static str,
    kind: crate::engine::ViolationKind,
    /// The trace index of the first state where an invariant fails, or of the state an action
    /// property's failing step leads to (the trace's length for the step closing a lasso's
    /// loop); for a temporal property, `Some(0)` when it fails on the lasso.
    fails_at: Option<usize>,
    /// For a temporal property: whether the lasso's loop meets every fairness condition.
    fair: bool,
}

/// Every invariant at every state of `trace`, every action property on every step (and on the
/// step that closes a lasso's loop), and, when `trace` is a lasso, every temporal property on the
/// behaviour it stands for.
fn recheck(model: &dyn DynModel, trace: &Trace) -> Vec<Verdict> {
    use crate::engine::{Lasso, Temporal, ViolationKind};
    let states: Vec<&crate::engine::AnyState> = trace.steps.iter().map(|s| &s.state).collect();
    let mut out = Vec::new();
    let invariants: Vec<Vec<bool>> = states.iter().map(|s| model.check_invariants(s)).collect();
    for (k, name) in model.invariant_names().into_iter().enumerate() {
        out.push(Verdict { name, kind: ViolationKind::Invariant, fails_at: invariants.iter().position(|v| !v[k]), fair: true });
    }
    // Steps as (from, to, index of `to`); a loop's closing step counts as index `len`.
    let mut steps: Vec<(usize, usize, usize)> = (1..states.len()).map(|i| (i - 1, i, i)).collect();
    if let Some(Lasso::BackTo(i)) = trace.lasso {
        steps.push((states.len() - 1, i, states.len()));
    }
    let properties: Vec<(usize, Vec<bool>)> = steps.iter().map(|&(a, b, at)| (at, model.check_properties(states[a], states[b]))).collect();
    for (k, name) in model.property_names().into_iter().enumerate() {
        out.push(Verdict { name, kind: ViolationKind::ActionProperty, fails_at: properties.iter().find(|(_, v)| !v[k]).map(|(at, _)| *at), fair: true });
    }
    let Some(lasso) = trace.lasso else { return out };
    let first = match lasso {
        Lasso::BackTo(i) => i.min(states.len() - 1),
        Lasso::Stuttering => states.len() - 1,
    };
    let fair = model.loop_obligations(trace).iter().all(|o| o.taken_at.is_some() || if o.strong { !o.enabled_somewhere } else { o.disabled_at.is_some() });
    let values: Vec<Vec<(bool, Option<bool>)>> = states.iter().map(|s| model.liveness_values(s)).collect();
    for (k, (name, kind)) in model.liveness_names().into_iter().zip(model.liveness_kinds()).enumerate() {
        let p = |i: usize| values[i][k].0;
        let q = |i: usize| values[i][k].1.unwrap_or(false);
        let in_loop = first..states.len();
        let holds = match kind {
            Temporal::Eventually => (0..states.len()).any(p),
            Temporal::AlwaysEventually => in_loop.clone().any(p),
            Temporal::EventuallyAlways => in_loop.clone().all(p),
            // Every P state is followed by a Q state: one in the loop answers every P; else each
            // P must have a Q at or after it before the loop, and no P may sit in the loop.
            Temporal::LeadsTo => in_loop.clone().any(q) || (0..states.len()).all(|i| !p(i) || (i < first && (i..first).any(q))),
        };
        out.push(Verdict { name, kind: ViolationKind::Liveness, fails_at: if holds { None } else { Some(0) }, fair });
    }
    out
}

fn conform_all(model: Option<&str>, tla_dir: &Path) -> Result<u8, Fail> {
    let jar = find_jar().map_err(Fail)?;
    let cases = conform::discover(catalogue(), tla_dir, model).map_err(Fail)?;
    outln!("Conformance: {} under {}, TLC {} with -workers 1", plural(cases.len(), "cfg", "cfgs"), tla_dir.display(), jar.display());
    if model.is_none() {
        for name in conform::without_twin(catalogue(), tla_dir) {
            outln!("  {name}: no twin ({} is missing), so no conformance run", tla_dir.join(name).display());
        }
    }
    let mut failures = 0;
    let mut runs = 0;
    for case in &cases {
        for run in conform::run_case(&jar, case) {
            runs += 1;
            let sym = if run.symmetry { "symmetry" } else { "no symmetry" };
            let status = if run.agrees() { "agree" } else { "DIFFER" };
            let summary: Vec<String> = run
                .figures
                .iter()
                .filter(|f| matches!(f.what, "distinct" | "depth" | "property" | "trace length" | "result" | "TLC's trace in pex replay"))
                .filter(|f| !f.pex.is_empty())
                .map(|f| match f.what {
                    "TLC's trace in pex replay" => format!("TLC's trace replayed: {}", f.pex),
                    _ => format!("{} {}", f.what, f.pex),
                })
                .collect();
            outln!("  {:<34} {:<12} {:<7} {}   (TLC {:.1}s, pex {:.3}s)", run.case, sym, status, summary.join(", "), run.tlc_seconds, run.pex_seconds);
            if let Some(e) = &run.error {
                failures += 1;
                outln!("      {e}");
            } else if !run.agrees() {
                failures += 1;
                for f in run.figures.iter().filter(|f| !f.agrees()) {
                    outln!("      {}: TLC {} | pex {}", f.what, f.tlc, f.pex);
                }
            }
        }
    }
    if failures > 0 {
        outln!("Conformance FAILED: {failures} of {} {} from TLC.", plural(runs, "run", "runs"), noun(failures, "differs", "differ"));
        Ok(1)
    } else {
        outln!("Conformance passed: {} with TLC.", if runs == 1 { "the one run agrees".to_string() } else { format!("all {runs} runs agree") });
        Ok(0)
    }
}

#[allow(clippy::too_many_arguments)]
fn bench_all(
    model: Option<&str>,
    config: Option<&str>,
    repeat: usize,
    no_tlc: bool,
    tlc_workers: usize,
    threads: usize,
    tla_dir: &Path,
    json: bool,
) -> Result<u8, Fail> {
    let mut cases = conform::discover_bench(catalogue(), tla_dir, model).map_err(Fail)?;
    if let Some(c) = config {
        cases.retain(|k| k.config == c);
        if cases.is_empty() {
            return Err(Fail(format!("no twin cfg for config '{c}'")));
        }
    }
    let jar = if no_tlc { None } else { Some(find_jar().map_err(Fail)?) };
    let startup = match &jar {
        Some(j) => Some(bench::tlc_startup_seconds(j).map_err(Fail)?),
        None => None,
    };
    let mut rows = Vec::new();
    for case in &cases {
        let mut row = bench::bench_pex(catalogue(), case, repeat, threads).map_err(Fail)?;
        // The liveness check runs on one thread (its graph is recorded in search order), and TLC
        // beside it with one worker.
        let workers = if row.liveness { 1 } else { tlc_workers };
        if let (Some(j), Some(s)) = (&jar, startup) {
            bench::add_tlc(&mut row, j, case, workers, s).map_err(Fail)?;
        }
        rows.push(row);
    }
    let with_peer = model.is_some_and(|m| bench::PEER_MODELS.contains(&m));
    if json {
        let mut out = serde_json::json!({"tlc_startup_seconds": startup, "rows": rows});
        if with_peer {
            bench_peer(model, config, repeat, threads, true, Some(&mut out))?;
        }
        outln!("{}", serde_json::to_string_pretty(&out).unwrap());
        return Ok(0);
    }
    if let Some(s) = startup {
        outln!(
            "TLC start-up (JVM, parse, a two-state spec): {s:.2}s; TLC runs with -workers {tlc_workers}; pex with {}.",
            plural(threads, "thread", "threads")
        );
    }
    outln!(
        "{:<34} {:>10} {:>5} {:>10} {:>12} {:>9} {:>8} {:>10} {:>9} {:>9}",
        "case",
        "distinct",
        "depth",
        "pex s",
        "states/s",
        "B/state",
        "peak MiB",
        "TLC s",
        "ratio",
        "ratio-su"
    );
    for r in &rows {
        let f = |x: Option<f64>, p: usize| x.map(|v| format!("{v:.p$}")).unwrap_or_else(|| "-".into());
        outln!(
            "{:<34} {:>10} {:>5} {:>10.4} {:>12.0} {:>9.1} {:>8} {:>10} {:>9} {:>9}",
            format!("{}{}", r.case, if r.symmetry { " (sym)" } else { "" }),
            r.distinct,
            r.depth,
            r.pex_seconds,
            r.states_per_second,
            r.bytes_per_state,
            r.peak_memory_bytes.map(|b| format!("{:.1}", b as f64 / 1048576.0)).unwrap_or_else(|| "n/a".into()),
            f(r.tlc_seconds, 2),
            f(r.ratio, 1),
            f(r.ratio_after_startup, 1)
        );
        if r.liveness {
            outln!(
                "    liveness: pex and TLC on one thread each; {} B/edge ({} B/state include the graph)",
                f(r.bytes_per_edge, 1),
                format_args!("{:.1}", r.bytes_per_state)
            );
        }
        if let Some(td) = r.tlc_distinct {
            if td != r.distinct {
                if r.result.starts_with("violation") && r.liveness {
                    outln!(
                        "    (TLC checks temporal properties on the partial state graph as it searches, and stopped at a violation after {}; pex checks them once the search is complete)",
                        plural(td, "distinct state", "distinct states")
                    );
                } else if r.result.starts_with("violation") && tlc_workers > 1 {
                    outln!(
                        "    (TLC with {tlc_workers} workers is not strictly breadth-first: it stopped at this violation after {})",
                        plural(td, "distinct state", "distinct states")
                    );
                } else {
                    outln!("    note: TLC found {}", plural(td, "distinct state", "distinct states"));
                }
            }
        }
    }
    outln!("ratio = TLC wall time / pex time; ratio-su = the same after subtracting TLC's start-up; peak MiB = peak resident memory of the case alone (a fresh pex check process running the same search; n/a where it cannot be read).");
    if with_peer {
        outln!();
        bench_peer(model, config, repeat, threads, false, None)?;
    }
    Ok(0)
}

/// `pex bench --peer`: our checker beside Stateright (the example `stateright_peer`, found beside
/// this executable) on the peer cases of `model` (all without one), same constants and threads.
/// With `into`, the rows go into that JSON object as "peer" instead of being printed.
fn bench_peer(model: Option<&str>, config: Option<&str>, repeat: usize, threads: usize, json: bool, into: Option<&mut serde_json::Value>) -> Result<u8, Fail> {
    if let Some(m) = model {
        if !bench::PEER_MODELS.contains(&m) {
            return Err(Fail(format!("no Stateright peer for model '{m}' (there is one for: {})", bench::PEER_MODELS.join(", "))));
        }
    }
    let cases: Vec<_> = bench::PEER_CASES.iter().filter(|c| model.is_none_or(|m| m == c.0) && config.is_none_or(|k| k == c.1)).collect();
    let peer = bench::peer_binary();
    let missing = format!(
        "Stateright's side is not built: no {}. Build it with `{}` (then run this again); our times follow alone.",
        std::env::current_exe()
            .ok()
            .and_then(|e| e.parent().map(|d| d.join("examples").join("stateright_peer").display().to_string()))
            .unwrap_or_else(|| "examples/stateright_peer".into()),
        bench::PEER_BUILD
    );
    if peer.is_none() {
        eprintln!("pex bench --peer: {missing}");
    }
    let mut rows = Vec::new();
    for (m, c, extra, about) in cases {
        rows.push(bench::bench_peer(m, c, extra, about, repeat, threads, peer.as_deref()).map_err(Fail)?);
    }
    if json {
        let body = serde_json::json!({"checker": "stateright 0.31 (crates.io), breadth-first, no symmetry", "threads": threads, "built": peer.is_some(), "rows": rows});
        match into {
            Some(out) => out["peer"] = body,
            None => outln!("{}", serde_json::to_string_pretty(&body).unwrap()),
        }
        return Ok(0);
    }
    outln!(
        "Peer benchmark: pex beside Stateright 0.31 (breadth-first, no symmetry on either side), {} each, best of {repeat}.",
        plural(threads, "thread", "threads")
    );
    outln!("{:<30} {:>10} {:>9} {:>12} {:>14} {:>8}  verdict", "case", "distinct", "pex s", "Stateright s", "SR+our code s", "ratio");
    for r in &rows {
        let f = |x: Option<f64>, p: usize| x.map(|v| format!("{v:.p$}")).unwrap_or_else(|| "-".into());
        let verdict = match (r.ratio, &r.stateright_error) {
            (Some(ratio), None) => bench::peer_verdict(ratio),
            (_, Some(e)) => format!("Stateright: {e}"),
            (None, None) => "-".into(),
        };
        outln!(
            "{:<30} {:>10} {:>9.4} {:>12} {:>14} {:>8}  {}",
            r.case,
            r.distinct,
            r.pex_seconds,
            f(r.stateright_seconds, 4),
            f(r.stateright_our_code_seconds, 4),
            f(r.ratio, 1),
            verdict
        );
        if let Some(u) = r.stateright_unique_states {
            if u != r.distinct {
                outln!("    DIFFER: Stateright found {}; the models are not the same", plural(u, "unique state", "unique states"));
            }
        }
    }
    outln!("ratio = Stateright's time / pex's (each the checker's own clock, model built, process start excluded); SR+our code = Stateright's checker running our model code (src/models/), which separates the checker's cost from the model's.");
    Ok(0)
}
