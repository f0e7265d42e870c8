//! The entry points from user input to the engine, as the fuzzer (`src/bin/fuzz.rs`) and the
//! regression corpus (`tests/fuzz_corpus.rs`) call them: each takes text and returns what a person
//! would see, `Ok` with a summary or `Err` with the message. An `Err` starting with `BUG` is an
//! inconsistency between two readers of the same input (a failure, like a panic).

use pex::catalogue;
use pex::engine::{Constants, Simulator};
use pex::explorer::embed::{check_lesson_url, lesson_of, lesson_src_of, snippets, Command, EmbedOptions, API_VERSION, PAGE_KEYS};
use pex::explorer::link::Link;
use pex::explorer::worker_protocol::ToWorker;
use pex::explorer::{Explorer, NoticeKind};
use pex::lessons::player::{digest, LessonSource, Player};
use pex::tlc::{parse_output, TlcCfg};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A URL fragment: `Link::decode` and `Explorer::from_link`.
    Link,
    /// `model name` on the first line, the constant's text after it: `Constants::build` and
    /// `Explorer::edit_constant`.
    Constant,
    /// A trace file (pex's, TLC's, ITF): `engine::foreign::read_any` and the catalogue's
    /// `open_foreign`, against `Explorer::import_trace`.
    Trace,
    /// A TLC cfg: `TlcCfg::parse` (and the model constants it sets, through `Constants::build`).
    Cfg,
    /// What TLC prints: `parse_output`.
    TlcOutput,
    /// A lesson file: `lessons::load` (parse, then replay against its model).
    Lesson,
    /// An embed's fragment: `EmbedOptions::from_fragment` (written back by `encode` and read
    /// again), `lesson_of`, `Link::decode` passing the embed's keys over, `snippets`.
    Embed,
    /// The fragment on the first line, then one host `postMessage` per line as JSON: the explorer
    /// opened from the fragment, each message read as `ui::embed::listen` reads it
    /// (`Command::parse`) and applied as the app applies it.
    EmbedCommand,
    /// A check worker's message as JSON: `serde_json` into `ToWorker`; for a check or a simulation,
    /// the model built from its model, config and constants (as the worker builds it), then one
    /// slice of the check or a walk of the simulation.
    WorkerRequest,
    /// `pex`'s `--const` arguments: `model config` on the first line, one `NAME=VALUE` argument per
    /// line after it: `cli::parse_consts`, then the catalogue's build.
    CliConst,
    /// Another tool's trace (TLC's text, ITF) or pex's own: `Catalogue::open_trace`, then a replay
    /// of what it opened as (which must replay: it was matched state by state).
    ForeignTrace,
}

impl Entry {
    pub const ALL: [Entry; 11] = [
        Entry::Link,
        Entry::Constant,
        Entry::Trace,
        Entry::Cfg,
        Entry::TlcOutput,
        Entry::Lesson,
        Entry::Embed,
        Entry::EmbedCommand,
        Entry::WorkerRequest,
        Entry::CliConst,
        Entry::ForeignTrace,
    ];

    /// The corpus folder's name.
    pub fn name(self) -> &'static str {
        match self {
            Entry::Link => "link",
            Entry::Constant => "constant",
            Entry::Trace => "trace",
            Entry::Cfg => "cfg",
            Entry::TlcOutput => "tlc-output",
            Entry::Lesson => "lesson",
            Entry::Embed => "embed",
            Entry::EmbedCommand => "embed-command",
            Entry::WorkerRequest => "worker-request",
            Entry::CliConst => "cli-const",
            Entry::ForeignTrace => "foreign-trace",
        }
    }

    pub fn from_name(name: &str) -> Option<Entry> {
        Entry::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// Runs one input through one entry point.
pub fn run(entry: Entry, input: &str) -> Result<String, String> {
    match entry {
        Entry::Link => link(input),
        Entry::Constant => {
            let (head, text) = input.split_once('\n').unwrap_or((input, ""));
            let (model, name) = head.split_once(' ').unwrap_or((head, ""));
            constant(model, name, text)
        }
        Entry::Trace => trace(input),
        Entry::Cfg => cfg(input),
        Entry::TlcOutput => parse_output(input).map(|r| format!("{:?}, {} state(s)", r.outcome, r.trace_len())),
        Entry::Lesson => pex::lessons::load("fuzz.toml", input).map(|run| run.summary_line()).map_err(|e| {
            // What the app shows under a mistake in the text: the line, cut around its column.
            let _ = e.excerpt(input);
            e.to_string()
        }),
        Entry::Embed => embed(input),
        Entry::EmbedCommand => embed_commands(input),
        Entry::WorkerRequest => worker_request(input),
        Entry::ForeignTrace => foreign_trace(input),
        Entry::CliConst => {
            // One argument per line (a file's last newline ends the last one).
            let mut lines = input.lines();
            let head = lines.next().unwrap_or_default();
            let (model, config) = head.split_once(' ').unwrap_or((head, ""));
            let items: Vec<String> = lines.map(str::to_string).collect();
            cli_consts(model, config, &items)
        }
    }
}

fn foreign_trace(text: &str) -> Result<String, String> {
    let opened = catalogue::builtin().open_trace(text, &pex::catalogue::TraceHint::default())?;
    let f = &opened.file;
    let model = catalogue::build(&f.model, &f.config, &f.constants).map_err(|e| format!("BUG: opened as {}/{} but does not build: {e}", f.model, f.config))?;
    let (trace, stop) = pex::engine::replay(model.as_ref(), f.init, &f.actions);
    if let Some(stop) = stop {
        return Err(format!("BUG: opened as {}/{}, matched state by state, but does not replay: {stop}", f.model, f.config));
    }
    Ok(format!("{:?}: {}/{}, {} states", opened.format, f.model, f.config, trace.len()))
}

fn link(fragment: &str) -> Result<String, String> {
    let decoded = Link::decode(fragment);
    let mut x = Explorer::from_link(fragment);
    // A long trace opens as a job in slices; the same work, all at once here.
    x.finish_work();
    if let Ok(d) = &decoded {
        if x.model().info().name != d.link.model && x.notices().as_slice().iter().all(|n| n.kind != NoticeKind::Error) {
            return Err(format!("BUG: the link names {} but {} opened without an error", d.link.model, x.model().info().name));
        }
    }
    let errors: Vec<&str> = x.notices().as_slice().iter().filter(|n| n.kind == NoticeKind::Error).map(|n| n.text.as_str()).collect();
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let warnings: Vec<&str> = x.notices().as_slice().iter().map(|n| n.text.as_str()).collect();
    Ok(format!("{} {} at step {} of {} {}", x.model().info().name, x.model().config().name, x.session().cursor(), x.session().len(), warnings.join(" ")))
}

/// A constant typed into a model's field (and the same text through `--const`).
pub fn constant(model: &str, name: &str, text: &str) -> Result<String, String> {
    let mut x = Explorer::for_model(model).map_err(|e| e.to_string())?;
    let built = Constants::build(&x.model().info().constants, &[(name.to_string(), text.to_string())]);
    x.edit_constant(name, text);
    let error_of = |field: &str| x.fields().iter().find(|f| f.spec.name == field).map(|f| f.error.clone());
    match built {
        Err(e) => match error_of(&e.name) {
            // An unknown name: no field to show it beside.
            None => Err(e.to_string()),
            Some(Some(shown)) if shown == e.message => Err(e.to_string()),
            other => Err(format!("BUG: Constants::build says {e} but the field says {other:?}")),
        },
        Ok(_) => match error_of(name) {
            Some(None) => Ok(format!("{} = {}", name, x.model().constants().get(name).map(|v| v.to_string()).unwrap_or_default())),
            // The constant's own rules passed but the model refused the combination.
            Some(Some(shown)) => Err(shown),
            None => Err(format!("BUG: {name} built but has no field")),
        },
    }
}

fn trace(text: &str) -> Result<String, String> {
    // What the app's import must agree with: this project's trace file as parsed, another tool's
    // trace as the catalogue opens it (up to the app's bound on those).
    let parsed = match pex::engine::foreign::read_any(text) {
        Ok(pex::engine::foreign::TraceText::Pex(file)) => Ok(file),
        Ok(pex::engine::foreign::TraceText::Foreign(t)) if t.states.len() > pex::explorer::FOREIGN_STATES_IN_APP => {
            return match Explorer::new().import_trace(text) {
                Ok(()) => Err("BUG: the app opened another tool's trace longer than its bound".to_string()),
                Err(e) => Err(e),
            };
        }
        Ok(pex::engine::foreign::TraceText::Foreign(t)) => catalogue::builtin().open_foreign(&t, &pex::catalogue::TraceHint::default()).map(|o| o.file),
        Err(e) => Err(e),
    };
    let mut x = Explorer::new();
    let before = x.model().info().name;
    let mut imported = x.import_trace(text);
    // A long file opens as a job; a replay that fails then is told in an error notice.
    x.finish_work();
    if imported.is_ok() {
        if let Some(n) = x.notices().as_slice().iter().find(|n| n.kind == NoticeKind::Error) {
            imported = Err(n.text.trim_start_matches("Could not import: ").to_string());
            if x.model().info().name != before || x.session().len() != 1 {
                return Err("BUG: a trace file that did not replay changed the explorer".to_string());
            }
            return imported.map(|()| String::new());
        }
    }
    match (&parsed, &imported) {
        (Err(e), Err(f)) if e != f => return Err(format!("BUG: the trace reader says {e} but import says {f}")),
        (Err(_), Ok(())) => return Err("BUG: import accepted a file the trace reader refuses".to_string()),
        _ => {}
    }
    if imported.is_err() && (x.model().info().name != before || x.session().len() != 1 || !x.notices().as_slice().is_empty()) {
        return Err("BUG: a refused trace file changed the explorer".to_string());
    }
    imported.map(|()| format!("{} step(s) of {}", x.session().len(), x.model().info().name))
}

fn cfg(text: &str) -> Result<String, String> {
    let cfg = TlcCfg::parse(text).map_err(|e| e.0)?;
    let _ = TlcCfg::parse(&TlcCfg::without_symmetry(text));
    // The constants a cfg sets reach the models the way the conformance run passes them.
    let mut built = 0;
    for info in catalogue::infos() {
        let pairs: Vec<(String, String)> = cfg.constants.iter().filter(|(n, _)| info.constants.iter().any(|c| c.name == n)).cloned().collect();
        if !pairs.is_empty() && Constants::build(&info.constants, &pairs).is_ok() {
            built += 1;
        }
    }
    Ok(format!("{} constant(s), {} invariant(s); valid constants for {built} model(s)", cfg.constants.len(), cfg.invariants.len()))
}

fn embed(fragment: &str) -> Result<String, String> {
    let lesson = lesson_of(fragment);
    // A lesson's URL: what the page would fetch, or why it will not.
    let lesson_src = lesson_src_of(fragment).map(|url| check_lesson_url(&url).map(|()| url));
    let _ = snippets("https://example.org/pex/index.html", fragment.trim_start_matches('#'));
    if let Ok(d) = Link::decode(fragment) {
        if let Some(key) = d.ignored.iter().find(|k| PAGE_KEYS.contains(&k.as_str())) {
            return Err(format!("BUG: the link calls the page's key {key} unknown"));
        }
    }
    let Some(o) = EmbedOptions::from_fragment(fragment) else {
        return Ok(format!("not an embed; lesson {lesson:?}; lesson-src {lesson_src:?}"));
    };
    // What `encode` writes (the "Embed" snippet's keys) must read back as the same options.
    match EmbedOptions::from_fragment(&format!("#{}", o.encode())) {
        Some(again) if again.problems.is_empty() && EmbedOptions { problems: Vec::new(), ..o.clone() } == again => {}
        other => return Err(format!("BUG: {:?} encodes as {:?}, which reads back as {other:?}", o, o.encode())),
    }
    if o.problems.is_empty() {
        Ok(format!("{o:?}; lesson {lesson:?}; lesson-src {lesson_src:?}"))
    } else {
        Err(o.problems.join("; "))
    }
}

/// A host's message as `ui::embed::listen` reads it: `None` when it is not addressed to the embed.
fn command_of(message: &Value) -> Option<Result<Command, String>> {
    let field = |name: &str| message.as_object().and_then(|o| o.get(name));
    if field("target").and_then(Value::as_str) != Some("protocol-explorer") {
        return None;
    }
    let version = field("v").and_then(Value::as_f64);
    if version != Some(API_VERSION as f64) {
        return Some(Err(format!("this embed speaks version {API_VERSION} of the message protocol; the command says v={version:?}")));
    }
    let kind = field("type").and_then(Value::as_str).unwrap_or_default();
    let step = field("step").and_then(Value::as_f64);
    let action = field("action").and_then(Value::as_str).map(str::to_string);
    // As `ui::embed::listen` reads it: a lesson's text, or a theme's name.
    let text = field("text").and_then(Value::as_str).or_else(|| field("theme").and_then(Value::as_str)).map(str::to_string);
    Some(Command::parse(kind, step, action, text))
}

fn embed_commands(input: &str) -> Result<String, String> {
    let (fragment, messages) = input.split_once('\n').unwrap_or((input, ""));
    let mut x = Explorer::from_link(fragment);
    x.finish_work();
    let mut done = Vec::new();
    for line in messages.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            done.push("unreadable".to_string());
            continue;
        };
        let command = match command_of(&message) {
            None => continue,
            Some(Err(e)) => {
                done.push(format!("refused: {e}"));
                continue;
            }
            Some(Ok(c)) => c,
        };
        let (before, len) = (x.session().cursor(), x.session().len());
        // As `ui::app` maps a command to its message and handles it.
        match &command {
            Command::GoTo(i) => x.go_to(*i),
            Command::Step(None) => {
                let _ = x.random_step();
            }
            Command::Step(Some(label)) => {
                if let Err(e) = x.take(label) {
                    x.notices_mut().error(e);
                }
            }
            Command::Back => {
                x.back();
            }
            Command::Forward => {
                x.forward();
            }
            Command::Play | Command::Pause | Command::Theme(_) => {}
            Command::Reset => x.reset(),
            // As the app opens a host page's lesson: checked against its model, then its link
            // opened (a lesson that passes its check must open).
            Command::Lesson(text) => {
                let source = LessonSource::Inline { digest: digest(text) };
                match Player::from_text(catalogue::builtin(), source, text) {
                    Ok(p) => {
                        x = Explorer::from_link(&p.link().encode());
                        x.finish_work();
                        if x.model().info().name != p.link().model {
                            return Err(format!(
                                "BUG: a lesson that passed its check opened {} instead of its model {}",
                                x.model().info().name,
                                p.link().model
                            ));
                        }
                    }
                    Err(e) => {
                        let _ = e.excerpt(text);
                        done.push(format!("lesson refused: {e}"));
                        continue;
                    }
                }
            }
        }
        let (cursor, now) = (x.session().cursor(), x.session().len());
        if cursor >= now {
            return Err(format!("BUG: after {command:?} the cursor is {cursor} of {now} step(s)"));
        }
        let expected = match &command {
            Command::GoTo(i) => Some(((*i).min(len - 1), len)),
            Command::Back => Some((before.saturating_sub(1), len)),
            Command::Play | Command::Pause | Command::Theme(_) => Some((before, len)),
            Command::Reset => Some((0, 1)),
            Command::Lesson(_) => Some((0, 1)),
            _ => None,
        };
        if expected.is_some_and(|e| e != (cursor, now)) {
            return Err(format!("BUG: {command:?} at step {before} of {len} left step {cursor} of {now}, not {expected:?}"));
        }
        done.push(format!("{command:?}"));
    }
    Ok(format!("{} at step {} of {}: {}", x.model().info().name, x.session().cursor(), x.session().len(), done.join(", ")))
}

fn worker_request(text: &str) -> Result<String, String> {
    let msg = serde_json::from_str::<ToWorker>(text).map_err(|e| e.to_string())?;
    let catalogue = catalogue::builtin();
    match msg {
        ToWorker::Start { id, request } => {
            let model = catalogue.build(&request.model, &request.config, &request.constants).map_err(|e| e.to_string())?;
            // The options as `ui::worker` makes them; one slice, bounded whatever the request's bounds.
            let options = request.options();
            let mut checker = model.checker(options);
            let ended = checker.run(256);
            Ok(format!("check {id} of {} {}: {:?}", request.model, request.config, if ended { checker.result().map(|r| r.progress) } else { None }))
        }
        ToWorker::Simulate { id, request } => {
            let model = catalogue.build(&request.model, &request.config, &request.constants).map_err(|e| e.to_string())?;
            // The page never asks for walks deeper than its form's bound (`ui::simulate`'s
            // MAX_DEPTH); the worker trusts it, so deeper ones are built, not walked.
            if request.options.depth > 100_000 {
                return Ok(format!("simulation {id}: depth {} not walked", request.options.depth));
            }
            let mut sim = Simulator::new(model, request.options);
            let ended = sim.run(1);
            Ok(format!("simulation {id}: {:?} {:?}", ended, sim.progress().walks))
        }
        // Decoded only: `Crash` and `Hang` are the page's test hooks, which crash and hang.
        other => Ok(format!("{other:?}")),
    }
}

/// `pex --model M --config C --const A=1 --const B=2` reads its constants this way.
pub fn cli_consts(model: &str, config: &str, items: &[String]) -> Result<String, String> {
    let pairs = pex::cli::parse_consts(items)?;
    let built = catalogue::builtin().build(model, config, &pairs).map_err(|e| e.to_string())?;
    // A build that succeeds has taken every constant it was given.
    if let Some((name, _)) = pairs.iter().find(|(name, _)| built.constants().get(name).is_none()) {
        return Err(format!("BUG: {model} built with --const {name}, which it has no constant for"));
    }
    Ok(format!("{model} {}: {}", built.config().name, built.constants().to_pairs().len()))
}
