//! The entry points from user input to the engine, as the fuzzer (`src/bin/fuzz.rs`) and the
//! regression corpus (`tests/fuzz_corpus.rs`) call them: each takes text and returns what a person
//! would see, `Ok` with a summary or `Err` with the message.

use pex::catalogue;
use pex::engine::{Constants, TraceFile};
use pex::explorer::link::Link;
use pex::explorer::{Explorer, NoticeKind};
use pex::tlc::{parse_output, TlcCfg};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A URL fragment: `Link::decode` and `Explorer::from_link`.
    Link,
    /// `model name` on the first line, the constant's text after it: `Constants::build` and
    /// `Explorer::edit_constant`.
    Constant,
    /// A trace file: `TraceFile::parse` and `Explorer::import_trace`.
    Trace,
    /// A TLC cfg: `TlcCfg::parse` (and the model constants it sets, through `Constants::build`).
    Cfg,
    /// What TLC prints: `parse_output`.
    TlcOutput,
    /// A lesson file: `lessons::load` (parse, then replay against its model).
    Lesson,
}

impl Entry {
    pub const ALL: [Entry; 6] = [Entry::Link, Entry::Constant, Entry::Trace, Entry::Cfg, Entry::TlcOutput, Entry::Lesson];

    /// The corpus folder's name.
    pub fn name(self) -> &'static str {
        match self {
            Entry::Link => "link",
            Entry::Constant => "constant",
            Entry::Trace => "trace",
            Entry::Cfg => "cfg",
            Entry::TlcOutput => "tlc-output",
            Entry::Lesson => "lesson",
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
        Entry::Lesson => pex::lessons::load("fuzz.toml", input).map(|run| run.summary_line()).map_err(|e| e.to_string()),
    }
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
    let parsed = TraceFile::parse(text);
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
        (Err(e), Err(f)) if e != f => return Err(format!("BUG: TraceFile::parse says {e} but import says {f}")),
        (Err(_), Ok(())) => return Err("BUG: import accepted a file TraceFile::parse refuses".to_string()),
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
