//! Traces written by other tools, opened as this project's own: TLC's error trace (its text
//! output, which `pex check --tlc-trace` also prints) and the Informal Trace Format (ITF:
//! Apalache's ADR-015, Quint's `--out-itf`), and ITF written out.
//!
//! A foreign trace is a list of states, each variable's value as the tool wrote it. It opens only
//! if it is a behaviour of the model: its first state must be one of the model's initial states and
//! each next state a successor of the one before (the step's action is read off the successor that
//! matches). A state that matches nothing is refused with the variable that differs from the
//! model's nearest state. Values are compared as TLA+ values: TLC's text against the model's own
//! TLC text (the conformance run proves them equal, character for character), ITF's JSON against
//! the model's values in a canonical form (records and sets unordered, a function on `1..n` the
//! same as a sequence, model values as strings).
//!
//! The ITF reader and writer are written here over serde_json rather than with the `itf` crate:
//! that crate deserializes into typed Rust values (with a big-integer crate), while here both sides
//! are compared as untyped TLA+ values; this way the app's wasm gains no dependency.

use super::erased::{AnyState, DynModel};
use super::text::plural;
use super::tlc_output::{normalise, read_error_trace, TlcLasso, TlcOutcome};
use super::trace::{Lasso, Trace, MAX_TRACE_STEPS};
use super::value::Value;
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;
use std::fmt;

/// Which tool wrote a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// TLC's error trace, as text.
    Tlc,
    /// The Informal Trace Format (JSON).
    Itf,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Tlc => "TLC error trace",
            Format::Itf => "ITF trace",
        }
    }
}

/// A TLA+ value in a form where equal values are equal data: records by field name, sets sorted,
/// functions on `1..n` as sequences, strings and model values alike.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Canon {
    Bool(bool),
    Int(i64),
    /// An integer beyond 64 bits, as its decimal text.
    BigInt(String),
    Str(String),
    Seq(Vec<Canon>),
    Rec(Vec<(String, Canon)>),
    Set(Vec<Canon>),
    Map(Vec<(Canon, Canon)>),
}

impl Canon {
    /// A function as its canonical form: a sequence when its domain is `1..n` (the empty function
    /// included), a record when its domain is strings, otherwise a map sorted by key.
    fn function(mut pairs: Vec<(Canon, Canon)>) -> Canon {
        pairs.sort();
        if pairs.iter().enumerate().all(|(i, (k, _))| *k == Canon::Int(i as i64 + 1)) {
            return Canon::Seq(pairs.into_iter().map(|(_, v)| v).collect());
        }
        if pairs.iter().all(|(k, _)| matches!(k, Canon::Str(_))) {
            return Canon::record(pairs.into_iter().map(|(k, v)| (if let Canon::Str(s) = k { s } else { unreachable!() }, v)).collect());
        }
        Canon::Map(pairs)
    }

    fn record(mut fields: Vec<(String, Canon)>) -> Canon {
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        Canon::Rec(fields)
    }

    fn set(mut items: Vec<Canon>) -> Canon {
        items.sort();
        items.dedup();
        Canon::Set(items)
    }

    /// The canonical form of one of the model's values.
    pub fn of(v: &Value) -> Canon {
        match v {
            Value::Bool(b) => Canon::Bool(*b),
            Value::Int(i) => Canon::Int(*i),
            Value::Str(s) | Value::Ranked { text: s, .. } | Value::Model { name: s, .. } => Canon::Str(s.clone()),
            Value::Tuple(items) => Canon::Seq(items.iter().map(Canon::of).collect()),
            Value::Record(fields) => Canon::record(fields.iter().map(|(k, v)| (k.clone(), Canon::of(v))).collect()),
            Value::Func(pairs) => Canon::function(pairs.iter().map(|(k, v)| (Canon::of(k), Canon::of(v))).collect()),
            Value::Set(items) => Canon::set(items.iter().map(Canon::of).collect()),
        }
    }

    /// Reads an ITF value: JSON booleans, strings and integers; `{"#bigint": "..."}`; arrays
    /// (sequences); `{"#tup": [...]}`; `{"#set": [...]}`; `{"#map": [[k, v], ...]}`; other objects
    /// as records.
    pub fn from_itf(j: &Json) -> Result<Canon, String> {
        Ok(match j {
            Json::Bool(b) => Canon::Bool(*b),
            Json::String(s) => Canon::Str(s.clone()),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Canon::Int(i),
                None => return Err(format!("{n} is not an integer (ITF has no other numbers)")),
            },
            Json::Array(items) => Canon::Seq(items.iter().map(Canon::from_itf).collect::<Result<_, _>>()?),
            Json::Null => return Err("null is not an ITF value".into()),
            Json::Object(o) => {
                let one = |key: &str| o.get(key).filter(|_| o.len() == 1);
                if let Some(big) = one("#bigint") {
                    let text = big.as_str().ok_or("#bigint must hold a string of digits")?;
                    let digits = text.strip_prefix('-').unwrap_or(text);
                    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(format!("#bigint \"{text}\" is not an integer"));
                    }
                    match text.parse::<i64>() {
                        Ok(i) => Canon::Int(i),
                        Err(_) => Canon::BigInt(text.to_string()),
                    }
                } else if let Some(items) = one("#tup") {
                    Canon::Seq(list(items, "#tup")?.iter().map(Canon::from_itf).collect::<Result<_, _>>()?)
                } else if let Some(items) = one("#set") {
                    Canon::set(list(items, "#set")?.iter().map(Canon::from_itf).collect::<Result<_, _>>()?)
                } else if let Some(pairs) = one("#map") {
                    let pairs = list(pairs, "#map")?
                        .iter()
                        .map(|p| match p.as_array().map(Vec::as_slice) {
                            Some([k, v]) => Ok((Canon::from_itf(k)?, Canon::from_itf(v)?)),
                            _ => Err("#map holds [key, value] pairs".to_string()),
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    Canon::function(pairs)
                } else if let Some(what) = o.get("#unserializable") {
                    return Err(format!("the tool could not write this value ({what})"));
                } else {
                    Canon::record(o.iter().map(|(k, v)| Ok((k.clone(), Canon::from_itf(v)?))).collect::<Result<_, String>>()?)
                }
            }
        })
    }
}

fn list<'a>(j: &'a Json, what: &str) -> Result<&'a Vec<Json>, String> {
    j.as_array().ok_or_else(|| format!("{what} must hold an array"))
}

/// As TLA+ writes it (for messages), through the model's own printing.
impl fmt::Display for Canon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn value(c: &Canon) -> Value {
            match c {
                Canon::Bool(b) => Value::Bool(*b),
                Canon::Int(i) => Value::Int(*i),
                // Printed bare, as a model value is.
                Canon::BigInt(digits) => Value::Model { ordinal: 0, name: digits.clone() },
                Canon::Str(s) => Value::Str(s.clone()),
                Canon::Seq(items) => Value::Tuple(items.iter().map(value).collect()),
                Canon::Rec(fields) => Value::Record(fields.iter().map(|(k, v)| (k.clone(), value(v))).collect()),
                Canon::Set(items) => Value::Set(items.iter().map(value).collect()),
                Canon::Map(pairs) => Value::Func(pairs.iter().map(|(k, v)| (value(k), value(v))).collect()),
            }
        }
        write!(f, "{}", value(self))
    }
}

/// One variable's value in a foreign state, in the form its format is compared in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    /// TLC's text, normalised (see `tlc_output::normalise`).
    Text(String),
    Value(Canon),
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Text(t) => f.write_str(t),
            Shown::Value(v) => write!(f, "{v}"),
        }
    }
}

/// A trace read from another tool's file.
#[derive(Clone, Debug, PartialEq)]
pub struct ForeignTrace {
    pub format: Format,
    /// The spec's module, when the file names it (TLC's `Parsing file`, ITF's `#meta.source`).
    pub module: Option<String>,
    /// The property the tool says is violated (TLC's `Error: Invariant X is violated.`).
    pub violated: Option<String>,
    /// Each state's variables.
    pub states: Vec<BTreeMap<String, Shown>>,
    /// How the behaviour goes on after the last state.
    pub lasso: Option<Lasso>,
    /// The model, config and constants an ITF file written by pex names (`#meta.pex`).
    pub written_by_pex: Option<super::trace::TraceFile>,
}

/// What a text holds, read without knowing its model.
pub enum TraceText {
    /// This project's own trace file (JSON with `model`, `config`, `actions`).
    Pex(super::trace::TraceFile),
    Foreign(ForeignTrace),
}

/// Reads a trace file of any format this project knows: its own JSON, ITF (JSON with `states`),
/// or TLC's text. The size is bounded as for every trace file.
pub fn read_any(text: &str) -> Result<TraceText, String> {
    if text.len() > super::trace::MAX_TRACE_FILE_BYTES {
        return Err(format!(
            "trace file too large: {:.1} MB; a trace file is at most {} MB",
            text.len() as f64 / 1048576.0,
            super::trace::MAX_TRACE_FILE_BYTES / (1024 * 1024)
        ));
    }
    if text.trim().is_empty() {
        return Err("not a trace file: it is empty".to_string());
    }
    let start = text.trim_start();
    if start.starts_with('{') || start.starts_with('[') {
        // This project's own file first (its reader's messages are the ones people see); then
        // ITF, an object with "states".
        let own = super::trace::TraceFile::parse(text);
        if own.is_err() && start.starts_with('{') {
            if let Ok(json) = serde_json::from_str::<Json>(text) {
                if json.get("states").is_some() {
                    return read_itf(&json).map(TraceText::Foreign);
                }
            }
        }
        return own.map(TraceText::Pex);
    }
    read_tlc(text).map(TraceText::Foreign).map_err(|e| format!("not a trace file (neither JSON nor a TLC error trace): {e}"))
}

/// Reads TLC's error trace (its whole output, or the trace alone).
pub fn read_tlc(text: &str) -> Result<ForeignTrace, String> {
    let t = read_error_trace(text)?;
    if t.states.len() > MAX_TRACE_STEPS + 1 {
        return Err(format!("TLC error trace too long: {} states; a trace holds at most {}", t.states.len(), MAX_TRACE_STEPS + 1));
    }
    let violated = match &t.outcome {
        Some(TlcOutcome::Invariant { name, .. } | TlcOutcome::ActionProperty { name }) => Some(name.clone()),
        Some(TlcOutcome::Deadlock) => Some("Deadlock".to_string()),
        _ => None,
    };
    let lasso = match t.lasso {
        Some(TlcLasso::BackTo(n)) if n == 0 || n > t.states.len() => {
            return Err(format!("TLC error trace goes back to state {n} of {}", t.states.len()));
        }
        Some(TlcLasso::BackTo(n)) => Some(Lasso::BackTo(n - 1)),
        Some(TlcLasso::Stuttering) => Some(Lasso::Stuttering),
        None => None,
    };
    let states = t.states.into_iter().map(|s| s.vars.into_iter().map(|(k, v)| (k, Shown::Text(v))).collect()).collect();
    Ok(ForeignTrace { format: Format::Tlc, module: t.module, violated, states, lasso, written_by_pex: None })
}

/// Reads an ITF trace: `{"#meta": {...}, "vars": [...], "states": [{"#meta": {...}, "x": ...}],
/// "loop": k}`. A `loop` whose last state repeats state `k` (as Apalache writes a lasso) drops
/// the repeat.
pub fn read_itf(json: &Json) -> Result<ForeignTrace, String> {
    let states = json.get("states").and_then(Json::as_array).ok_or("ITF trace: \"states\" must be an array of states")?;
    if states.is_empty() {
        return Err("ITF trace: it has no states".into());
    }
    if states.len() > MAX_TRACE_STEPS + 1 {
        return Err(format!("ITF trace too long: {} states; a trace holds at most {}", states.len(), MAX_TRACE_STEPS + 1));
    }
    let vars: Option<Vec<&str>> = match json.get("vars") {
        None => None,
        Some(v) => Some(v.as_array().and_then(|a| a.iter().map(Json::as_str).collect()).ok_or("ITF trace: \"vars\" must be an array of names")?),
    };
    let mut read = Vec::with_capacity(states.len());
    for (i, s) in states.iter().enumerate() {
        let o = s.as_object().ok_or_else(|| format!("ITF trace: state {} is not an object", i + 1))?;
        let mut state = BTreeMap::new();
        for (k, v) in o {
            if k.starts_with('#') {
                continue;
            }
            let value = Canon::from_itf(v).map_err(|e| format!("ITF trace: state {}, variable {k}: {e}", i + 1))?;
            state.insert(k.clone(), Shown::Value(value));
        }
        if let Some(vars) = &vars {
            if let Some(missing) = vars.iter().find(|v| !state.contains_key(**v)) {
                return Err(format!("ITF trace: state {} has no value for variable {missing}", i + 1));
            }
        }
        read.push(state);
    }
    let lasso = match json.get("loop") {
        None | Some(Json::Null) => None,
        Some(l) => {
            let k = l
                .as_u64()
                .filter(|k| (*k as usize) < read.len())
                .ok_or_else(|| format!("ITF trace: \"loop\" must be a state's index, 0 to {}", read.len() - 1))? as usize;
            if k + 1 < read.len() && read[k] == read[read.len() - 1] {
                read.pop();
            }
            Some(Lasso::BackTo(k))
        }
    };
    let module = json.pointer("/#meta/source").and_then(Json::as_str).map(|s| {
        let file = s.rsplit(['/', '\\']).next().unwrap_or(s);
        file.split('.').next().unwrap_or(file).to_string()
    });
    // pex writes a behaviour that stutters for ever as a loop back to its last state, and says so.
    let lasso = match lasso {
        Some(Lasso::BackTo(k)) if k + 1 == read.len() && json.pointer("/#meta/pex/stuttering") == Some(&Json::Bool(true)) => Some(Lasso::Stuttering),
        other => other,
    };
    // What pex wrote of itself (any other tool's file lacks it); the actions are matched anew.
    let written_by_pex = json.pointer("/#meta/pex").and_then(|p| {
        let field = |k: &str| p.get(k).and_then(Json::as_str).map(str::to_string);
        let constants = p.get("constants")?.as_object()?.iter().map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect::<Option<Vec<_>>>()?;
        Some(super::trace::TraceFile { model: field("model")?, config: field("config")?, constants, init: 0, actions: Vec::new(), lasso: None })
    });
    Ok(ForeignTrace { format: Format::Itf, module, violated: None, states: read, lasso, written_by_pex })
}

/// How `model` shows a state in `format`.
fn shown(model: &dyn DynModel, state: &AnyState, format: Format) -> BTreeMap<String, Shown> {
    model
        .variables()
        .iter()
        .zip(model.to_tla(state))
        .map(|(name, v)| {
            let s = match format {
                Format::Tlc => Shown::Text(normalise(&v.to_string())),
                Format::Itf => Shown::Value(Canon::of(&v)),
            };
            (name.to_string(), s)
        })
        .collect()
}

/// The variables where two states differ, in order.
fn differing<'a>(trace: &'a BTreeMap<String, Shown>, model: &'a BTreeMap<String, Shown>) -> Vec<(&'a str, &'a Shown, &'a Shown)> {
    model.iter().filter_map(|(k, mine)| trace.get(k).filter(|t| *t != mine).map(|t| (k.as_str(), t, mine))).collect()
}

/// What keeps a foreign trace from being one of the model's behaviours.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch(pub String);

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Says how the nearest candidate differs from the trace's state.
fn nearest(trace: &BTreeMap<String, Shown>, candidates: &[(String, BTreeMap<String, Shown>)]) -> String {
    let Some((what, diff)) = candidates.iter().map(|(what, s)| (what, differing(trace, s))).min_by_key(|(_, d)| d.len()) else {
        return "no action is enabled there".to_string();
    };
    let Some(&(var, theirs, mine)) = diff.first() else {
        return format!("the nearest, {what}, is the same in every variable");
    };
    let more = match diff.len() - 1 {
        0 => String::new(),
        n => format!(" (and {} more)", plural(n, "variable", "variables")),
    };
    format!("the nearest, {what}, differs in {var}{more}: the trace has {var} = {theirs}, the model has {var} = {mine}")
}

/// The model's initial-state index, the action labels and the loop of a foreign trace, if it is a
/// behaviour of `model`: every state matched, step by step.
pub fn match_trace(model: &dyn DynModel, trace: &ForeignTrace) -> Result<(usize, Vec<String>, Option<Lasso>), Mismatch> {
    let what = format!("{}/{}", model.info().name, model.config().name);
    let names: Vec<&str> = model.variables().to_vec();
    let theirs: Vec<&str> = trace.states[0].keys().map(String::as_str).collect();
    let mut sorted = names.clone();
    sorted.sort();
    if let Some(i) = trace.states.iter().position(|s| !s.keys().map(String::as_str).eq(theirs.iter().copied())).filter(|_| sorted == theirs) {
        let vars: Vec<&str> = trace.states[i].keys().map(String::as_str).collect();
        return Err(Mismatch(format!("state {} has the variables {}, where state 1 has {}", i + 1, vars.join(", "), theirs.join(", "))));
    }
    if sorted != theirs {
        return Err(Mismatch(format!(
            "this trace's variables ({}) are not {}'s ({}): it is a trace of another spec",
            theirs.join(", "),
            model.info().name,
            names.join(", ")
        )));
    }
    let inits = model.init_states();
    let init_shown: Vec<(String, BTreeMap<String, Shown>)> =
        inits.iter().enumerate().map(|(i, s)| (format!("initial state #{i}"), shown(model, s, trace.format))).collect();
    let Some(init) = init_shown.iter().position(|(_, s)| *s == trace.states[0]) else {
        return Err(Mismatch(format!("state 1 is not an initial state of {what}: {}", nearest(&trace.states[0], &init_shown))));
    };
    let mut current = inits[init].clone();
    let mut labels = Vec::with_capacity(trace.states.len() - 1);
    for (i, wanted) in trace.states.iter().enumerate().skip(1) {
        let choices = model.choices(&current);
        let candidates: Vec<(String, BTreeMap<String, Shown>)> =
            choices.iter().map(|c| (format!("after {}", c.label), shown(model, &c.next, trace.format))).collect();
        let Some(k) = candidates.iter().position(|(_, s)| s == wanted) else {
            return Err(Mismatch(format!("state {} is not a step of {what} from state {i}: {}", i + 1, nearest(wanted, &candidates))));
        };
        labels.push(choices[k].label.clone());
        current = choices[k].next.clone();
    }
    // ITF writes a behaviour that stays put for ever as a loop back to its last state: a
    // stuttering end unless some action really leads from that state to itself.
    let last = trace.states.len() - 1;
    let lasso = match trace.lasso {
        Some(Lasso::BackTo(k)) if k == last && !model.choices(&current).iter().any(|c| model.same_state(&c.next, &current)) => Some(Lasso::Stuttering),
        other => other,
    };
    Ok((init, labels, lasso))
}

/// A trace as ITF (ADR-015): every variable of every state, integers as `#bigint`, sets as
/// `#set`, functions other than sequences as `#map`, records as objects, model values as strings;
/// a lasso's loop as `loop`.
pub fn to_itf(model: &dyn DynModel, trace: &Trace, source: &str) -> Json {
    fn itf(v: &Value) -> Json {
        match v {
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => json!({ "#bigint": i.to_string() }),
            Value::Str(s) | Value::Ranked { text: s, .. } | Value::Model { name: s, .. } => Json::String(s.clone()),
            Value::Tuple(items) => Json::Array(items.iter().map(itf).collect()),
            Value::Record(fields) => Json::Object(fields.iter().map(|(k, v)| (k.clone(), itf(v))).collect::<Map<_, _>>()),
            Value::Func(pairs) => json!({ "#map": pairs.iter().map(|(k, v)| json!([itf(k), itf(v)])).collect::<Vec<_>>() }),
            Value::Set(items) => json!({ "#set": items.iter().map(itf).collect::<Vec<_>>() }),
        }
    }
    let states: Vec<Json> = trace
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let mut o = Map::new();
            o.insert("#meta".into(), json!({ "index": i, "action": step.action.clone().unwrap_or_else(|| "Init".into()) }));
            for (name, v) in model.variables().iter().zip(model.to_tla(&step.state)) {
                o.insert(name.to_string(), itf(&v));
            }
            Json::Object(o)
        })
        .collect();
    let mut out = json!({
        "#meta": {
            "format": "ITF",
            "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
            "source": source,
            "description": format!("Written by Protocol Explorer (pex): model {}, config {}, constants {}", model.info().name, model.config().name, model.constants()),
            "pex": {
                "model": model.info().name,
                "config": model.config().name,
                "constants": model.constants().to_pairs().into_iter().map(|(k, v)| (k, Json::String(v))).collect::<Map<_, _>>(),
            },
        },
        "vars": model.variables(),
        "states": states,
    });
    match trace.lasso {
        Some(Lasso::BackTo(k)) => out["loop"] = json!(k),
        // Staying put for ever: a loop back to the last state, and a word that no action is taken.
        Some(Lasso::Stuttering) => {
            out["loop"] = json!(trace.len() - 1);
            out["#meta"]["pex"]["stuttering"] = json!(true);
        }
        None => {}
    }
    out
}
