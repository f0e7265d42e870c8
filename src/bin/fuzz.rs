//! A native fuzzer for every path from user input to the engine: links, constants (fields and
//! `--const`), trace files, TLC cfgs, TLC's output, lessons, the embed's fragment keys and its
//! host commands, and the check worker's JSON requests.
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
//!
//! A panic is caught, but a hang or an abort (a stack overflow, a double panic, an allocation
//! failure) would end the run without saying which input did it. So the fuzzer runs itself as a
//! child process: before each input the child writes the entry and the input to a file; a
//! watchdog thread in the child reports the input and exits when one runs longer than
//! `--hang-secs`; and when the child dies of a signal, the parent reports the input from the file.

#[path = "fuzz/entries.rs"]
mod entries;

use entries::Entry;
use pex::catalogue;
use pex::engine::{ConstKind, SimulateOptions};
use pex::explorer::embed::{EmbedOptions, EmbedTheme};
use pex::explorer::worker_protocol::{CheckRequest, SimulateRequest, ToWorker};
use pex::explorer::Explorer;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::io::{Seek, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
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
    /// ITF traces (and TLC outputs) for the foreign-trace entry.
    foreign: Vec<String>,
    lessons: Vec<String>,
    /// (model, constant, kind) for every catalogued model's constants.
    consts: Vec<(String, String, ConstKind)>,
    /// Every catalogued model with its configs.
    models: Vec<(String, Vec<String>)>,
    /// Links with the labels of their trace's steps (for the embed's `step` commands).
    labelled: Vec<(String, Vec<String>)>,
    /// Known hostile inputs per entry.
    nasty: Vec<(Entry, String)>,
}

fn seeds(rng: &mut ChaCha8Rng) -> Seeds {
    let mut s = Seeds {
        links: Vec::new(),
        traces: Vec::new(),
        cfgs: Vec::new(),
        outputs: TLC_SAMPLES.iter().map(|t| t.to_string()).collect(),
        foreign: Vec::new(),
        lessons: pex::lessons::embedded().iter().map(|(_, text)| text.to_string()).collect(),
        consts: Vec::new(),
        models: Vec::new(),
        labelled: Vec::new(),
        nasty: Vec::new(),
    };
    for info in catalogue::infos() {
        s.models.push((info.name.to_string(), info.configs.iter().map(|c| c.name.to_string()).collect()));
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
                s.labelled.push((x.link().encode(), x.session().trace().labels()));
                s.traces.push(x.export_trace());
                let trace = x.session().trace();
                s.foreign.push(pex::engine::foreign::to_itf(x.model().as_ref(), trace, "Spec.tla").to_string());
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

/// A fragment value, percent-encoded or not (the page decodes both).
fn fragment_value(rng: &mut ChaCha8Rng, value: &str) -> String {
    if rng.gen_bool(0.5) {
        percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
    } else {
        value.to_string()
    }
}

/// An embed's fragment: a link, then the embed's keys, valid (as `EmbedOptions::encode` writes
/// them) or not, in any order.
fn embed_fragment(rng: &mut ChaCha8Rng, seeds: &Seeds) -> String {
    let link = pick(rng, &seeds.links).clone();
    let mut keys: Vec<String> = Vec::new();
    if rng.gen_bool(0.5) {
        let o = EmbedOptions {
            props: rng.gen(),
            controls: rng.gen(),
            actions: rng.gen(),
            theme: pick(rng, &[EmbedTheme::Light, EmbedTheme::Dark, EmbedTheme::Auto]).clone(),
            origin: rng.gen_bool(0.5).then(|| pick(rng, &["https://docs.example.org", "http://localhost:8080", "https://[::1]:3000"]).to_string()),
            problems: Vec::new(),
        };
        keys.push(o.encode());
    }
    for _ in 0..rng.gen_range(0..6) {
        let choices: [(&str, &[&str]); 9] = [
            ("embed", &["1", "0", "view", "true", "no", ""]),
            ("props", &["1", "0", "yes", "maybe", ""]),
            ("controls", &["0", "1", "false", "2"]),
            ("theme", &["light", "dark", "auto", "purple", "", "DARK"]),
            ("origin", &["https://docs.example.org/", "HTTPS://A.B", "javascript:alert(1)", "https://a.b/path", "https://", "ftp://a.b", "https://a b"]),
            ("lesson", &["seqlock", "paxos-basics", "", "../x"]),
            ("actions", &["1", "0", "yes", "maybe", ""]),
            ("lesson-src", &["https%3A%2F%2Fa.b%2Fl.toml", "l.toml", "javascript:alert(1)", "https://me:pw@a.b/", "http%3A%2F%2F127.0.0.1%3A1%2F"]),
            ("lesson-inline", &["1", "0", ""]),
        ];
        let (key, values) = *pick(rng, &choices);
        let value = if rng.gen_bool(0.15) { pick(rng, HOSTILE).to_string() } else { pick(rng, values).to_string() };
        keys.push(if rng.gen_bool(0.05) { key.to_string() } else { format!("{key}={}", fragment_value(rng, &value)) });
    }
    let mut parts: Vec<String> = link.trim_start_matches('#').split('&').map(str::to_string).collect();
    for k in keys {
        let at = rng.gen_range(0..=parts.len());
        parts.insert(at, k);
    }
    format!("#{}", parts.join("&"))
}

/// A number as a host page might send it (or a value of the wrong type).
fn json_number(rng: &mut ChaCha8Rng, near: usize) -> Value {
    match rng.gen_range(0..10) {
        0 => json!(-1),
        1 => json!(1.5),
        2 => json!(1e300),
        3 => json!(1e9),
        4 => json!(1e9 + 1.0),
        5 => json!(near.to_string()),
        6 => Value::Null,
        _ => json!(rng.gen_range(0..near + 3)),
    }
}

/// An embed's fragment, then host messages, one per line.
fn embed_commands(rng: &mut ChaCha8Rng, seeds: &Seeds) -> String {
    let (link, labels) = pick(rng, &seeds.labelled).clone();
    let mut lines = vec![if rng.gen_bool(0.5) { format!("{link}&embed=1") } else { link }];
    for _ in 0..rng.gen_range(1..8) {
        let kind = if rng.gen_bool(0.9) {
            pick(rng, &["goto", "step", "back", "forward", "play", "pause", "reset", "theme", "lesson"]).to_string()
        } else {
            pick(rng, HOSTILE).to_string()
        };
        let mut m = json!({ "target": "protocol-explorer", "v": 1, "type": kind });
        let o = m.as_object_mut().expect("an object");
        if rng.gen_bool(0.6) {
            o.insert("step".into(), json_number(rng, labels.len()));
        }
        if rng.gen_bool(0.5) {
            let action = if !labels.is_empty() && rng.gen_bool(0.7) { pick(rng, &labels).clone() } else { pick(rng, HOSTILE).to_string() };
            o.insert("action".into(), json!(action));
        }
        if kind == "theme" {
            let theme = if rng.gen_bool(0.8) { pick(rng, &["light", "dark"]).to_string() } else { pick(rng, HOSTILE).to_string() };
            o.insert("theme".into(), json!(theme));
        }
        if kind == "lesson" {
            // A lesson the host page wrote, whole or mangled.
            let (_, text) = *pick(rng, pex::lessons::embedded());
            let text = if rng.gen_bool(0.5) { mutate(rng, text, text) } else { text.to_string() };
            o.insert("text".into(), json!(text));
        }
        match rng.gen_range(0..20) {
            0 => {
                o.remove("target");
            }
            1 => {
                o.insert("v".into(), json_number(rng, 2));
            }
            2 => {
                o.insert("type".into(), json_number(rng, 2));
            }
            _ => {}
        }
        let mut line = m.to_string();
        if rng.gen_bool(0.1) {
            line = mutate(rng, &line, &line).replace('\n', " ");
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// An `Option` of a value that is mostly sane, sometimes at the type's edge.
fn bound<T>(rng: &mut ChaCha8Rng, sane: T, edges: &[T]) -> Option<T>
where
    T: Clone,
{
    match rng.gen_range(0..4) {
        0 => None,
        1 => Some(pick(rng, edges).clone()),
        _ => Some(sane),
    }
}

/// A model, config and constants as a request names them: mostly catalogued, sometimes not.
fn model_request(rng: &mut ChaCha8Rng, seeds: &Seeds) -> (String, String, Vec<(String, String)>) {
    let (model, configs) = pick(rng, &seeds.models).clone();
    let config = if rng.gen_bool(0.92) { pick(rng, &configs).clone() } else { pick(rng, HOSTILE).to_string() };
    let model = if rng.gen_bool(0.05) { pick(rng, HOSTILE).to_string() } else { model };
    let own: Vec<&(String, String, ConstKind)> = seeds.consts.iter().filter(|(m, _, _)| *m == model).collect();
    let mut constants = Vec::new();
    for _ in 0..rng.gen_range(0..3) {
        let (_, name, kind) = if own.is_empty() || rng.gen_bool(0.05) { pick(rng, &seeds.consts) } else { *pick(rng, &own) };
        constants.push((name.clone(), constant_text(rng, kind, true)));
    }
    (model, config, constants)
}

/// A check worker's message, as the page encodes it; sometimes with a field swapped for a hostile
/// JSON value, sometimes mutated as text.
fn worker_request(rng: &mut ChaCha8Rng, seeds: &Seeds) -> String {
    let id = if rng.gen_bool(0.9) { rng.gen_range(0..100) } else { u64::MAX };
    let msg = match rng.gen_range(0..20) {
        0..=8 => {
            let (model, config, constants) = model_request(rng, seeds);
            let sane = rng.gen_range(1..20_000);
            let max_states = bound(rng, sane, &[0, 1, u64::MAX]);
            let max_seconds = bound(rng, 30.0, &[0.0, -1.0, 1e-300, 1e308, f64::MAX]);
            let max_memory = bound(rng, 256 << 20, &[0, 1, 1 << 20, u64::MAX]);
            ToWorker::Start {
                id,
                request: CheckRequest { model, config, constants, symmetry: rng.gen(), deadlock: rng.gen(), max_states, max_seconds, max_memory },
            }
        }
        9..=15 => {
            let (model, config, constants) = model_request(rng, seeds);
            let depth = match rng.gen_range(0..20) {
                0 => *pick(rng, &[0, 100_001, usize::MAX]),
                1 => rng.gen_range(0..=5_000),
                _ => rng.gen_range(0..=300),
            };
            let walks = rng.gen_range(1..10_000);
            let options = SimulateOptions {
                first_seed: if rng.gen_bool(0.9) { rng.gen_range(0..1000) } else { u64::MAX },
                max_walks: bound(rng, walks, &[0, 1, u64::MAX]),
                depth,
                max_seconds: bound(rng, 60.0, &[0.0, -1.0, 1e308]),
                skip_stutter: rng.gen(),
            };
            ToWorker::Simulate { id, request: SimulateRequest { model, config, constants, options } }
        }
        _ => ToWorker::Cancel { id },
    };
    let mut value = serde_json::to_value(&msg).expect("a request encodes");
    if rng.gen_bool(0.2) {
        tweak(rng, &mut value);
    }
    let text = value.to_string();
    if rng.gen_bool(0.15) {
        mutate(rng, &text, &text)
    } else {
        text
    }
}

/// Replaces one node of a JSON value, chosen at random, with a value of another type or size.
fn tweak(rng: &mut ChaCha8Rng, value: &mut Value) {
    let children = match value {
        Value::Object(o) => o.len(),
        Value::Array(a) => a.len(),
        _ => 0,
    };
    if children > 0 && rng.gen_bool(0.8) {
        let i = rng.gen_range(0..children);
        match value {
            Value::Object(o) => tweak(rng, o.values_mut().nth(i).expect("in range")),
            Value::Array(a) => tweak(rng, &mut a[i]),
            _ => unreachable!("only containers have children"),
        }
        return;
    }
    *value = match rng.gen_range(0..9) {
        0 => Value::Null,
        1 => json!(-1),
        2 => json!(1.5),
        3 => json!(u64::MAX),
        4 => json!(1e300),
        5 => json!(pick(rng, HOSTILE)),
        6 => json!([]),
        7 => json!({}),
        _ => json!(true),
    };
}

/// `model config`, then `--const` arguments one per line.
fn cli_consts(rng: &mut ChaCha8Rng, seeds: &Seeds) -> String {
    let (model, config, constants) = model_request(rng, seeds);
    let mut lines = vec![format!("{model} {config}")];
    for (name, value) in constants {
        lines.push(match rng.gen_range(0..12) {
            0 => name,
            1 => format!("={value}"),
            2 => format!(" {name} = {value} "),
            3 => format!("{name}=={value}"),
            4 => format!("{name}="),
            _ => format!("{name}={value}"),
        });
    }
    let text = lines.join("\n");
    if rng.gen_bool(0.2) {
        mutate(rng, &text, &text)
    } else {
        text
    }
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
        Entry::ForeignTrace if rng.gen_bool(0.5) => &seeds.outputs,
        Entry::ForeignTrace => &seeds.foreign,
        Entry::Lesson => &seeds.lessons,
        Entry::Embed => {
            let f = embed_fragment(rng, seeds);
            let other = pick(rng, &seeds.links).clone();
            return if rng.gen_bool(0.3) { mutate(rng, &f, &other) } else { f };
        }
        Entry::EmbedCommand => return embed_commands(rng, seeds),
        Entry::WorkerRequest => return worker_request(rng, seeds),
        Entry::CliConst => return cli_consts(rng, seeds),
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
    /// An input still running after this long is a hang: reported, and the run ends.
    hang: Duration,
    save: Option<PathBuf>,
    only: Option<Entry>,
    /// `--run ENTRY FILE`: run one input, print the outcome and the time.
    run: Option<(Entry, PathBuf)>,
    /// `--child FILE`: the run itself, writing each input to FILE before running it (the parent
    /// process passes it; without it the fuzzer is that parent).
    child: Option<PathBuf>,
    /// `--inject hang|abort|panic`: input 3 does that instead of its entry's work; what the tests
    /// of the watchdog and the parent's report use.
    inject: Option<String>,
}

const ENTRY_NAMES: &str = "link, constant, trace, cfg, tlc-output, lesson, embed, embed-command, worker-request, cli-const";

fn args() -> Result<Args, String> {
    let mut a = Args {
        inputs: 1_000_000,
        seed: 1,
        budget: Duration::from_millis(500),
        hang: Duration::from_secs(5),
        save: None,
        only: None,
        run: None,
        child: None,
        inject: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--inputs" => a.inputs = value()?.parse().map_err(|_| "--inputs takes a whole number".to_string())?,
            "--seed" => a.seed = value()?.parse().map_err(|_| "--seed takes a whole number".to_string())?,
            "--budget-ms" => a.budget = Duration::from_millis(value()?.parse().map_err(|_| "--budget-ms takes a whole number".to_string())?),
            "--hang-secs" => a.hang = Duration::from_secs(value()?.parse().map_err(|_| "--hang-secs takes a whole number".to_string())?),
            "--save" => a.save = Some(PathBuf::from(value()?)),
            "--only" => {
                let v = value()?;
                a.only = Some(Entry::from_name(&v).ok_or_else(|| format!("--only takes one of {ENTRY_NAMES}; got '{v}'"))?);
            }
            "--run" => {
                let v = value()?;
                let entry = Entry::from_name(&v).ok_or_else(|| format!("--run takes an entry ({ENTRY_NAMES}) and a file; got '{v}'"))?;
                a.run = Some((entry, PathBuf::from(value()?)));
            }
            "--child" => a.child = Some(PathBuf::from(value()?)),
            "--inject" => {
                let v = value()?;
                if !matches!(v.as_str(), "hang" | "abort" | "panic") {
                    return Err(format!("--inject takes hang, abort or panic; got '{v}'"));
                }
                a.inject = Some(v);
            }
            "-h" | "--help" => {
                return Err(format!(
                    "usage: fuzz [--inputs N] [--seed S] [--budget-ms MS] [--hang-secs S] [--save DIR] [--only ENTRY] | fuzz --run ENTRY FILE\nentries: {ENTRY_NAMES}"
                ))
            }
            other => return Err(format!("unknown argument '{other}' (try --help)")),
        }
    }
    Ok(a)
}

/// Saves a failing input in the corpus format under `--save`.
fn save(dir: &Option<PathBuf>, entry: Entry, name: &str, input: &str) {
    if let Some(dir) = dir {
        let dir = dir.join(entry.name());
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("{name}.txt")), input);
    }
}

/// The file a child writes before each input: `<n> <entry>` on the first line, the input after it.
fn read_current(path: &Path) -> Option<(u64, Entry, String)> {
    let text = std::fs::read_to_string(path).ok()?;
    let (head, input) = text.split_once('\n')?;
    let (n, entry) = head.split_once(' ')?;
    Some((n.parse().ok()?, Entry::from_name(entry)?, input.to_string()))
}

/// The parent: runs the fuzzer as a child process with the same arguments and reports the input
/// it was running if it dies of a signal or an exit code of its own it does not give.
fn supervise(args: &Args) -> ExitCode {
    let current = std::env::temp_dir().join(format!("pex-fuzz-{}-current.txt", std::process::id()));
    let _ = std::fs::remove_file(&current);
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("fuzz: cannot find my own executable: {e}");
            return ExitCode::from(2);
        }
    };
    let status = std::process::Command::new(exe).args(std::env::args_os().skip(1)).arg("--child").arg(&current).status();
    let status = match status {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fuzz: cannot start the fuzzing process: {e}");
            return ExitCode::from(2);
        }
    };
    let code = match status.code() {
        // The child's own verdicts: 0 nothing found, 1 failures (each printed), 3 a hang (printed).
        Some(c @ (0 | 1 | 3)) => {
            let _ = std::fs::remove_file(&current);
            return ExitCode::from(c as u8);
        }
        Some(c) => format!("exit code {c}"),
        None => {
            #[cfg(unix)]
            let why = std::os::unix::process::ExitStatusExt::signal(&status).map(|s| format!("signal {s}")).unwrap_or_else(|| "a signal".into());
            #[cfg(not(unix))]
            let why = "no exit code".to_string();
            why
        }
    };
    match read_current(&current) {
        Some((n, entry, input)) => {
            println!("fuzz: ABORT: the fuzzing process died ({code}) on input {n} ({})\n  input: {}", entry.name(), escape(&input));
            save(&args.save, entry, &format!("abort-{}-{n}", args.seed), &input);
        }
        None => println!("fuzz: ABORT: the fuzzing process died ({code}) before its first input"),
    }
    let _ = std::fs::remove_file(&current);
    ExitCode::FAILURE
}

/// Where the child writes the input it is about to run, so that a parent can name it after an
/// abort and the watchdog after a hang.
struct Current {
    file: std::fs::File,
}

impl Current {
    fn write(&mut self, n: u64, entry: Entry, input: &str) {
        let _ = self.file.set_len(0);
        let _ = self.file.rewind();
        let _ = write!(self.file, "{n} {}\n{input}", entry.name());
    }
}

/// Starts the watchdog: while `running` holds an input's number + 1, and `since` the
/// milliseconds since `origin` at which it started, an input running longer than `hang` is
/// reported (from the `current` file) and the process exits with status 3.
fn watchdog(hang: Duration, current: PathBuf, save_dir: Option<PathBuf>, seed: u64, running: Arc<AtomicU64>, since: Arc<AtomicU64>, origin: Instant) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(100));
        let n = running.load(Ordering::SeqCst);
        let started = since.load(Ordering::SeqCst);
        if n == 0 {
            continue;
        }
        let now = origin.elapsed().as_millis() as u64;
        // Still the same input (a new one would have moved `running` or `since`).
        if now.saturating_sub(started) > hang.as_millis() as u64 && running.load(Ordering::SeqCst) == n && since.load(Ordering::SeqCst) == started {
            match read_current(&current) {
                Some((n, entry, input)) => {
                    println!("fuzz: HANG: input {n} ({}) has run for more than {} s\n  input: {}", entry.name(), hang.as_secs(), escape(&input));
                    save(&save_dir, entry, &format!("hang-{seed}-{n}"), &input);
                }
                None => println!("fuzz: HANG: input {} has run for more than {} s", n - 1, hang.as_secs()),
            }
            let _ = std::io::stdout().flush();
            std::process::exit(3);
        }
    });
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
    let Some(current_path) = args.child.clone() else {
        return supervise(&args);
    };
    let mut current = match std::fs::File::create(&current_path) {
        Ok(file) => Current { file },
        Err(e) => {
            eprintln!("fuzz: cannot write {}: {e}", current_path.display());
            return ExitCode::from(2);
        }
    };
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let msg = info.payload().downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned()).unwrap_or_default();
        PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
    }));
    let started = Instant::now();
    let (running, since) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    watchdog(args.hang, current_path.clone(), args.save.clone(), args.seed, running.clone(), since.clone(), started);
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let seeds = seeds(&mut rng);
    println!(
        "fuzz: seed {}, {} links, {} trace files, {} cfgs, {} TLC outputs, {} constants, {} models, {} corpus inputs as seeds ({:.1} s)",
        args.seed,
        seeds.links.len(),
        seeds.traces.len(),
        seeds.cfgs.len(),
        seeds.outputs.len(),
        seeds.consts.len(),
        seeds.models.len(),
        seeds.nasty.len(),
        started.elapsed().as_secs_f64()
    );
    let weights = [
        (Entry::Link, 14),
        (Entry::Constant, 15),
        (Entry::Trace, 13),
        (Entry::Cfg, 9),
        (Entry::TlcOutput, 6),
        (Entry::Lesson, 6),
        (Entry::Embed, 8),
        (Entry::EmbedCommand, 8),
        (Entry::WorkerRequest, 9),
        (Entry::CliConst, 6),
        (Entry::ForeignTrace, 6),
    ];
    debug_assert_eq!(weights.iter().map(|(_, w)| w).sum::<u32>(), 100);
    let mut counts = [0u64; Entry::ALL.len()];
    let mut failed = [0u64; Entry::ALL.len()];
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
        let mut input = generate(&mut rng, &seeds, entry);
        let inject = args.inject.as_deref().filter(|_| n == 3);
        if let Some(kind) = inject {
            input = format!("injected {kind}");
        }
        current.write(n, entry, &input);
        since.store(started.elapsed().as_millis() as u64, Ordering::SeqCst);
        running.store(n + 1, Ordering::SeqCst);
        let t0 = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| match inject {
            Some("hang") => loop {
                std::thread::sleep(Duration::from_millis(50));
            },
            Some("abort") => std::process::abort(),
            Some(_) => panic!("injected panic"),
            None => entries::run(entry, &input),
        }));
        let took = t0.elapsed();
        running.store(0, Ordering::SeqCst);
        let slot = Entry::ALL.iter().position(|e| *e == entry).expect("every entry is in ALL");
        counts[slot] += 1;
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
            failed[slot] += 1;
            if failures <= 10 {
                eprintln!("fuzz: input {n} ({}): {what}\n  input: {}", entry.name(), escape(&input));
            }
            save(&args.save, entry, &format!("found-{}-{n}", args.seed), &input);
        }
        if last_report.elapsed() > Duration::from_secs(30) {
            last_report = Instant::now();
            eprintln!("fuzz: {} inputs, {panics} panics so far ({:.0} s)", n + 1, started.elapsed().as_secs_f64());
        }
    }
    let per: Vec<String> = Entry::ALL
        .iter()
        .zip(counts)
        .zip(failed)
        .map(|((e, c), f)| if f > 0 { format!("{} {c} ({f} failed)", e.name()) } else { format!("{} {c}", e.name()) })
        .collect();
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
