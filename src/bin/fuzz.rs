//! A native fuzzer for every path from user input to the engine: links, constants (fields and
//! `--const`), trace files, TLC cfgs and TLC's output.
//!
//! `cargo run --release --bin fuzz -- --inputs 1000000 --seed 1`
//!
//! Inputs are generated from a seeded ChaCha8 stream: valid inputs the code itself produces (links
//! from `Explorer::link().encode()`, trace files from `export_trace()`, the twins' cfgs in `tla/`,
//! TLC-style output from `Trace::to_tlc_text`, constants drawn around each declared range) and the
//! known hostile ones, then mutated (byte flips, truncation, splicing, huge numbers, deep nesting,
//! unicode, repeated separators). Each input runs under `catch_unwind` and a clock: a panic, an
//! inconsistency between two readers of the same input, or one input taking longer than the budget
//! (work proportional to hostile input) is a failure, and the exit status is non-zero.
//! `--save DIR` writes failing inputs as `DIR/<entry>/found-<n>.txt`, the corpus format of
//! `tests/fuzz-corpus/`.

#[path = "fuzz/entries.rs"]
mod entries;

use entries::Entry;
use pex::catalogue;
use pex::engine::ConstKind;
use pex::explorer::Explorer;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const HOSTILE: &[&str] = &[
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "-1",
    "-9223372036854775808",
    "1e309",
    "100000000",
    "1000000000",
    "0",
    "00000000000000000000001",
    "NaN",
    "%FF",
    "%",
    "%2",
    "%00",
    "&",
    "=",
    "==",
    "..",
    ".",
    "{",
    "}",
    "<<",
    ">>",
    ",",
    "\"",
    "\\",
    "\u{0}",
    "é",
    "\u{202e}",
    "👀",
    "\r\n",
    "\n",
    "k.",
    "t=",
    "h=",
    "at=",
    "i=",
    "v=2",
    "seed=",
    "null",
    "[]",
    "{}",
    "(*",
    "*)",
    "\\*",
    "State 1: ",
    "/\\ ",
    " = ",
    "Error: ",
    "zzzzzzzzzzzzz",
    "1..5",
    "{1, 2}",
    "\u{feff}",
    "utm_source=x",
    "CONSTANTS",
    "SYMMETRY",
    "<-",
];

const TLC_SAMPLES: &[&str] = &[
    "Model checking completed. No error has been found.\n1,234 states generated, 1,000 distinct states found, 0 states left on queue.\nThe depth of the complete state graph search is 12.\n",
    "Error: Invariant Inv is violated by the initial state:\nx = 7\n\n",
    "Error: Deadlock reached.\nState 1: <Initial predicate>\n/\\ x = 0\n\n",
    "Error: The operator Foo is not defined\n",
    "Error: Action property Prop is violated.\nError: The behavior up to this point is:\nState 1: <Initial predicate>\n/\\ x = 0\n\nState 2: <Next line 5, col 9 to line 5, col 18 of module T3>\n/\\ x = 1\n\n5 states generated, 4 distinct states found, 1 states left on queue.\n",
];

struct Seeds {
    links: Vec<String>,
    traces: Vec<String>,
    cfgs: Vec<String>,
    outputs: Vec<String>,
    lessons: Vec<String>,
    /// (model, constant, kind) for every catalogued model's constants.
    consts: Vec<(String, String, ConstKind)>,
    /// Known hostile inputs per entry.
    nasty: Vec<(Entry, String)>,
}

fn seeds(rng: &mut ChaCha8Rng) -> Seeds {
    let mut s = Seeds {
        links: Vec::new(),
        traces: Vec::new(),
        cfgs: Vec::new(),
        outputs: TLC_SAMPLES.iter().map(|t| t.to_string()).collect(),
        lessons: pex::lessons::embedded().iter().map(|(_, text)| text.to_string()).collect(),
        consts: Vec::new(),
        nasty: Vec::new(),
    };
    for info in catalogue::infos() {
        for spec in &info.constants {
            s.consts.push((info.name.to_string(), spec.name.to_string(), spec.kind.clone()));
        }
        for config in &info.configs {
            for round in 0..4 {
                let mut x = Explorer::for_model(info.name).expect("catalogued");
                x.select_config(config.name).expect("listed config");
                if round > 0 {
                    if let Some(spec) = info.constants.get(rng.gen_range(0..info.constants.len().max(1))) {
                        let text = constant_text(rng, &spec.kind, false);
                        x.edit_constant(spec.name, &text);
                    }
                }
                x.set_seed(&rng.gen::<u32>().to_string()).unwrap();
                for _ in 0..rng.gen_range(0..[3, 12, 40, 120][round]) {
                    if x.random_step().is_none() {
                        break;
                    }
                }
                let len = x.session().len();
                x.go_to(rng.gen_range(0..len));
                s.links.push(x.link().encode());
                s.traces.push(x.export_trace());
                let trace = x.session().trace();
                let text = trace.to_tlc_text(x.model().as_ref());
                s.outputs.push(format!(
                    "TLC2 Version 2.15\nError: Invariant {} is violated.\nError: The behavior up to this point is:\n{text}\n{} states generated, {} distinct states found, 0 states left on queue.\nThe depth of the complete state graph search is {}.\n",
                    x.model().invariant_names().first().copied().unwrap_or("Inv"),
                    len * 3,
                    len * 2,
                    len
                ));
                let mut cfg = String::from("\\* generated\nCONSTANTS\n");
                for (k, v) in x.model().constants().to_pairs() {
                    cfg.push_str(&format!("    {k} = {v}\n"));
                }
                cfg.push_str("INIT Init\nNEXT Next\n");
                for inv in x.model().invariant_names() {
                    cfg.push_str(&format!("INVARIANT {inv}\n"));
                }
                s.cfgs.push(cfg);
            }
        }
    }
    let tla = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tla");
    if let Ok(dirs) = std::fs::read_dir(&tla) {
        for dir in dirs.flatten() {
            if let Ok(files) = std::fs::read_dir(dir.path()) {
                for f in files.flatten() {
                    if f.path().extension().is_some_and(|e| e == "cfg") {
                        if let Ok(text) = std::fs::read_to_string(f.path()) {
                            s.cfgs.push(text);
                        }
                    }
                }
            }
        }
    }
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    for entry in Entry::ALL {
        if let Ok(files) = std::fs::read_dir(corpus.join(entry.name())) {
            for f in files.flatten() {
                if f.path().extension().is_some_and(|e| e == "txt") {
                    if let Ok(text) = std::fs::read_to_string(f.path()) {
                        s.nasty.push((entry, text));
                    }
                }
            }
        }
    }
    s
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn hostile_number(rng: &mut ChaCha8Rng) -> String {
    match rng.gen_range(0..6) {
        0 => pick(rng, &HOSTILE[..12]).to_string(),
        1 => rng.gen::<u64>().to_string(),
        2 => rng.gen::<i64>().to_string(),
        3 => "9".repeat(rng.gen_range(1..60)),
        4 => format!("1e{}", rng.gen_range(0..400)),
        _ => rng.gen_range(-3i64..12).to_string(),
    }
}

/// A constant's text: mostly near its kind's valid values, sometimes hostile.
fn constant_text(rng: &mut ChaCha8Rng, kind: &ConstKind, hostile: bool) -> String {
    if hostile && rng.gen_bool(0.3) {
        return hostile_number(rng);
    }
    let set = |rng: &mut ChaCha8Rng, items: Vec<String>| {
        if rng.gen_bool(0.8) {
            format!("{{{}}}", items.join(", "))
        } else {
            items.join(",")
        }
    };
    match kind {
        ConstKind::Int { min, max } => rng.gen_range(min - 2..=max + 2).to_string(),
        ConstKind::IntSet { min, max } => {
            let n = rng.gen_range(0..=((max - min + 2) as usize).min(8));
            let items = (0..n).map(|_| rng.gen_range(min - 1..=max + 1).to_string()).collect();
            if rng.gen_bool(0.1) {
                rng.gen_range(*min..=*max).to_string()
            } else {
                set(rng, items)
            }
        }
        ConstKind::ModelValues { prefix, min_len, max_len } => {
            if rng.gen_bool(0.5) {
                rng.gen_range(0..=max_len + 2).to_string()
            } else {
                let n = rng.gen_range(0..=max_len + 1);
                let first = *min_len;
                let items =
                    (0..n).map(|i| if rng.gen_bool(0.9) { format!("{prefix}{}", i + first) } else { format!("{prefix}{}", rng.gen_range(0..5)) }).collect();
                set(rng, items)
            }
        }
        ConstKind::MemberOf { .. } => format!("{}{}", pick(rng, &["g", "n", "k", "v", ""]), rng.gen_range(0..6)),
    }
}

/// A char boundary at or before `i`.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

const MAX_INPUT: usize = 300_000;

fn mutate(rng: &mut ChaCha8Rng, text: &str, other: &str) -> String {
    let mut s = text.to_string();
    for _ in 0..rng.gen_range(1..=4) {
        let at = floor(&s, rng.gen_range(0..=s.len()));
        match rng.gen_range(0..11) {
            0 if !s.is_empty() => {
                let mut bytes = s.into_bytes();
                let i = rng.gen_range(0..bytes.len());
                bytes[i] ^= 1 << rng.gen_range(0..8);
                s = String::from_utf8_lossy(&bytes).into_owned();
            }
            1 => s.truncate(at),
            2 => {
                let end = floor(&s, at + rng.gen_range(0..20));
                s.replace_range(at..end, "");
            }
            3 | 4 => s.insert_str(at, pick::<&str>(rng, HOSTILE)),
            5 => {
                let cut = floor(other, rng.gen_range(0..=other.len()));
                s = format!("{}{}", &s[..at], &other[cut..]);
            }
            6 => {
                let end = floor(&s, at + rng.gen_range(1..16));
                let piece = s[at..end].to_string();
                let times = if rng.gen_bool(0.1) { rng.gen_range(1..20_000) } else { rng.gen_range(1..50) };
                s.insert_str(at, &piece.repeat(times));
            }
            7 => {
                // Replace a run of digits with a hostile number.
                if let Some(start) = s[at..].find(|c: char| c.is_ascii_digit()).map(|i| at + i) {
                    let end = s[start..].find(|c: char| !c.is_ascii_digit()).map(|i| start + i).unwrap_or(s.len());
                    let n = hostile_number(rng);
                    s.replace_range(start..end, &n);
                }
            }
            8 => {
                let sep = pick(rng, &["&", ",", ".", "=", "\n", " ", "{", "}", "&k.", "%"]);
                let most = if rng.gen_bool(0.1) { 50_000 } else { 20 };
                let times = rng.gen_range(1..most);
                s.insert_str(at, &sep.repeat(times));
            }
            9 => {
                let (open, close) = *pick(rng, &[("{", "}"), ("<<", ">>"), ("[", "]"), ("(*", "*)"), ("{\"a\":", "}")]);
                let most = if rng.gen_bool(0.2) { 100_000 } else { 64 };
                let n = rng.gen_range(1..most);
                let tail = if rng.gen_bool(0.5) { close.repeat(n) } else { String::new() };
                s.insert_str(at, &format!("{}1{tail}", open.repeat(n)));
            }
            _ => {
                let c = char::from_u32(rng.gen_range(0x80..0x2FFFF)).unwrap_or('\u{fffd}');
                s.insert(at, c);
            }
        }
        if s.len() > MAX_INPUT {
            s.truncate(floor(&s, MAX_INPUT));
        }
    }
    s
}

/// One generated input for `entry`.
fn generate(rng: &mut ChaCha8Rng, seeds: &Seeds, entry: Entry) -> String {
    if rng.gen_bool(0.02) {
        let nasty: Vec<&String> = seeds.nasty.iter().filter(|(e, _)| *e == entry).map(|(_, t)| t).collect();
        if !nasty.is_empty() {
            let t = (*pick(rng, &nasty)).clone();
            return if rng.gen_bool(0.5) { t } else { mutate(rng, &t, &t) };
        }
    }
    let pool: &[String] = match entry {
        Entry::Link => &seeds.links,
        Entry::Trace => &seeds.traces,
        Entry::Cfg => &seeds.cfgs,
        Entry::TlcOutput => &seeds.outputs,
        Entry::Lesson => &seeds.lessons,
        Entry::Constant => {
            let (model, name, kind) = pick(rng, &seeds.consts).clone();
            let name = if rng.gen_bool(0.03) { pick(rng, &seeds.consts).1.clone() } else { name };
            let text = constant_text(rng, &kind, true);
            let other = constant_text(rng, &kind, true);
            let text = if rng.gen_bool(0.4) { mutate(rng, &text, &other) } else { text };
            return format!("{model} {name}\n{text}");
        }
    };
    let base = pick(rng, pool).clone();
    let base = if entry == Entry::Link && rng.gen_bool(0.2) {
        // Edit a link's parameters: a constant, an unknown parameter, a different step.
        let (model, name, kind) = pick(rng, &seeds.consts).clone();
        let _ = model;
        match rng.gen_range(0..3) {
            0 => format!("{base}&k.{name}={}", percent_encoding::utf8_percent_encode(&constant_text(rng, &kind, true), percent_encoding::NON_ALPHANUMERIC)),
            1 => format!("{base}&{}={}", pick(rng, &["utm_source", "embed", "x", "fbclid", "at", "seed", "i", "c", "m"]), hostile_number(rng)),
            _ => base.replace("at=", &format!("at={}", rng.gen_range(0..50))),
        }
    } else {
        base
    };
    if rng.gen_bool(0.15) {
        return base;
    }
    let other = pick(rng, pool).clone();
    mutate(rng, &base, &other)
}

thread_local! {
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn escape(s: &str) -> String {
    let shown: String = s.chars().take(300).collect();
    let more = if s.chars().count() > 300 { format!("… ({} bytes)", s.len()) } else { String::new() };
    format!("{shown:?}{more}")
}

struct Args {
    inputs: u64,
    seed: u64,
    budget: Duration,
    save: Option<PathBuf>,
    only: Option<Entry>,
    /// `--run ENTRY FILE`: run one input, print the outcome and the time.
    run: Option<(Entry, PathBuf)>,
}

fn args() -> Result<Args, String> {
    let mut a = Args { inputs: 1_000_000, seed: 1, budget: Duration::from_millis(500), save: None, only: None, run: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--inputs" => a.inputs = value()?.parse().map_err(|_| "--inputs takes a whole number".to_string())?,
            "--seed" => a.seed = value()?.parse().map_err(|_| "--seed takes a whole number".to_string())?,
            "--budget-ms" => a.budget = Duration::from_millis(value()?.parse().map_err(|_| "--budget-ms takes a whole number".to_string())?),
            "--save" => a.save = Some(PathBuf::from(value()?)),
            "--only" => {
                let v = value()?;
                a.only = Some(Entry::from_name(&v).ok_or_else(|| format!("--only takes one of link, constant, trace, cfg, tlc-output, lesson; got '{v}'"))?);
            }
            "--run" => {
                let v = value()?;
                let entry = Entry::from_name(&v)
                    .ok_or_else(|| format!("--run takes an entry (link, constant, trace, cfg, tlc-output, lesson) and a file; got '{v}'"))?;
                a.run = Some((entry, PathBuf::from(value()?)));
            }
            "-h" | "--help" => return Err(
                "usage: fuzz [--inputs N] [--seed S] [--budget-ms MS] [--save DIR] [--only link|constant|trace|cfg|tlc-output|lesson] | fuzz --run ENTRY FILE"
                    .to_string(),
            ),
            other => return Err(format!("unknown argument '{other}' (try --help)")),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some((entry, file)) = &args.run {
        let input = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot read {}: {e}", file.display());
                return ExitCode::from(2);
            }
        };
        let t0 = Instant::now();
        let outcome = entries::run(*entry, &input);
        println!("{outcome:?}\n{:.1} ms", t0.elapsed().as_secs_f64() * 1000.0);
        return ExitCode::SUCCESS;
    }
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let msg = info.payload().downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned()).unwrap_or_default();
        PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
    }));
    let started = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let seeds = seeds(&mut rng);
    println!(
        "fuzz: seed {}, {} links, {} trace files, {} cfgs, {} TLC outputs, {} constants, {} corpus inputs as seeds ({:.1} s)",
        args.seed,
        seeds.links.len(),
        seeds.traces.len(),
        seeds.cfgs.len(),
        seeds.outputs.len(),
        seeds.consts.len(),
        seeds.nasty.len(),
        started.elapsed().as_secs_f64()
    );
    let weights = [(Entry::Link, 28), (Entry::Constant, 23), (Entry::Trace, 19), (Entry::Cfg, 13), (Entry::TlcOutput, 9), (Entry::Lesson, 8)];
    let mut counts = [0u64; 6];
    let (mut panics, mut bugs, mut slow) = (0u64, 0u64, 0u64);
    let mut max = (Duration::ZERO, Entry::Link);
    let mut failures = 0usize;
    let mut last_report = Instant::now();
    for n in 0..args.inputs {
        let entry = match args.only {
            Some(e) => e,
            None => {
                let mut r = rng.gen_range(0..100);
                weights
                    .iter()
                    .find(|(_, w)| {
                        if r < *w {
                            true
                        } else {
                            r -= w;
                            false
                        }
                    })
                    .map(|(e, _)| *e)
                    .unwrap_or(Entry::Link)
            }
        };
        let input = generate(&mut rng, &seeds, entry);
        let t0 = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| entries::run(entry, &input)));
        let took = t0.elapsed();
        counts[Entry::ALL.iter().position(|e| *e == entry).unwrap()] += 1;
        if took > max.0 {
            max = (took, entry);
        }
        let failure = match &result {
            Err(_) => {
                panics += 1;
                Some(format!("PANIC {}", PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default()))
            }
            Ok(Err(m)) if m.starts_with("BUG") => {
                bugs += 1;
                Some(m.clone())
            }
            _ if took > args.budget => {
                slow += 1;
                Some(format!("SLOW {:.1} ms", took.as_secs_f64() * 1000.0))
            }
            _ => None,
        };
        if let Some(what) = failure {
            failures += 1;
            if failures <= 10 {
                eprintln!("fuzz: input {n} ({}): {what}\n  input: {}", entry.name(), escape(&input));
            }
            if let Some(dir) = &args.save {
                let dir = dir.join(entry.name());
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(dir.join(format!("found-{}-{n}.txt", args.seed)), &input);
            }
        }
        if last_report.elapsed() > Duration::from_secs(30) {
            last_report = Instant::now();
            eprintln!("fuzz: {} inputs, {panics} panics so far ({:.0} s)", n + 1, started.elapsed().as_secs_f64());
        }
    }
    let per: Vec<String> = Entry::ALL.iter().zip(counts).map(|(e, c)| format!("{} {c}", e.name())).collect();
    println!(
        "fuzz: {} inputs, {panics} panics, {bugs} inconsistencies, {slow} over the time budget of {} ms (max {:.1} ms, {}); {:.1} s",
        args.inputs,
        args.budget.as_millis(),
        max.0.as_secs_f64() * 1000.0,
        max.1.name(),
        started.elapsed().as_secs_f64()
    );
    println!("fuzz: per entry: {}", per.join(", "));
    if panics + bugs + slow > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
