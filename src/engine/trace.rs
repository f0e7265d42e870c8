//! Traces: a path through a model's states. In memory a trace holds its states; on disk, in a URL
//! or between a worker and the page it is just (model, config, constants, initial state, action
//! labels), replayed against the model to get the states back.

use super::erased::{AnyState, DynModel};
use super::value::Value;
use serde::{Deserialize, Serialize};

/// One step of a trace: the action taken (none for the initial state) and the state reached.
#[derive(Clone)]
pub struct TraceStep {
    pub action: Option<String>,
    pub state: AnyState,
}

/// How a liveness counterexample (a lasso) goes on for ever after its last state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lasso {
    /// The last state steps back to the state at this index of the trace (from 0), and the
    /// behaviour repeats that cycle for ever (TLC: `Back to state N`, N counted from 1).
    BackTo(usize),
    /// The last state repeats for ever (TLC: `Stuttering`).
    Stuttering,
}

/// A path from an initial state.
#[derive(Clone)]
pub struct Trace {
    /// Which of the model's initial states the path starts from.
    pub init_index: usize,
    pub steps: Vec<TraceStep>,
    /// For a liveness counterexample, how the behaviour goes on after the last state.
    pub lasso: Option<Lasso>,
}

impl Trace {
    /// The action labels after the initial state.
    pub fn labels(&self) -> Vec<String> {
        self.steps.iter().skip(1).filter_map(|s| s.action.clone()).collect()
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The trace as TLC prints an error trace, with action labels where TLC names source lines.
    pub fn to_tlc_text(&self, model: &dyn DynModel) -> String {
        let mut out = String::new();
        for (i, step) in self.steps.iter().enumerate() {
            let head = match &step.action {
                None => "<Initial predicate>".to_string(),
                Some(label) => format!("<{label}>"),
            };
            out.push_str(&format!("State {}: {}\n", i + 1, head));
            out.push_str(&state_to_tlc_text(model, &step.state));
            out.push('\n');
        }
        match self.lasso {
            Some(Lasso::BackTo(i)) => {
                let label = self.steps.get(i).and_then(|s| s.action.clone());
                match label {
                    Some(label) => out.push_str(&format!("Back to state {}: <{label}>\n", i + 1)),
                    None => out.push_str(&format!("Back to state {}.\n", i + 1)),
                }
            }
            Some(Lasso::Stuttering) => out.push_str(&format!("State {}: Stuttering\n", self.steps.len() + 1)),
            None => {}
        }
        out
    }

    /// The lasso as JSON: `{"back_to": i}` (an index into the trace, from 0), `"stuttering"`, or
    /// null for a finite trace.
    pub fn lasso_json(&self) -> serde_json::Value {
        serde_json::to_value(self.lasso).unwrap_or(serde_json::Value::Null)
    }

    /// `[{action, state}]`, the initial state's action being null.
    pub fn to_json(&self, model: &dyn DynModel) -> serde_json::Value {
        serde_json::Value::Array(
            self.steps
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "action": s.action,
                        "state": state_to_json(model, &s.state),
                    })
                })
                .collect(),
        )
    }
}

/// A state as TLC prints it: one `/\ var = value` line per variable.
pub fn state_to_tlc_text(model: &dyn DynModel, state: &AnyState) -> String {
    let mut out = String::new();
    for (name, value) in model.variables().iter().zip(model.to_tla(state)) {
        out.push_str(&format!("/\\ {name} = {value}\n"));
    }
    out
}

pub fn state_to_json(model: &dyn DynModel, state: &AnyState) -> serde_json::Value {
    serde_json::Value::Object(model.variables().iter().zip(model.to_tla(state)).map(|(n, v)| (n.to_string(), v.to_json())).collect())
}

/// The variables whose value differs between two states, as dotted paths to the innermost change
/// (`ring[0].stamp`), for highlighting what a step changed.
pub fn changed_paths(model: &dyn DynModel, before: &AnyState, after: &AnyState) -> Vec<String> {
    let mut out = Vec::new();
    for ((name, a), b) in model.variables().iter().zip(model.to_tla(before)).zip(model.to_tla(after)) {
        diff_values(name, &a, &b, &mut out);
    }
    out
}

fn diff_values(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    if a == b {
        return;
    }
    let (ca, cb) = (a.children(), b.children());
    let same_shape = !ca.is_empty() && ca.len() == cb.len() && ca.iter().zip(cb.iter()).all(|(x, y)| x.0 == y.0) && !matches!(a, Value::Set(_));
    if same_shape {
        for ((k, x), (_, y)) in ca.iter().zip(cb.iter()) {
            let child = match a {
                Value::Record(_) => format!("{path}.{k}"),
                _ => format!("{path}[{k}]"),
            };
            diff_values(&child, x, y, out);
        }
    } else {
        out.push(path.to_string());
    }
}

/// A trace as stored in a file or a link: enough to rebuild it, nothing that can go stale silently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceFile {
    pub model: String,
    pub config: String,
    /// `(name, value)` in `--const` syntax.
    pub constants: Vec<(String, String)>,
    #[serde(default)]
    pub init: usize,
    pub actions: Vec<String>,
    /// A liveness counterexample's loop: absent in finite traces and in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lasso: Option<Lasso>,
}

/// The longest trace a file, a link or the app holds (the app's trace cap).
pub const MAX_TRACE_STEPS: usize = 200_000;

/// The largest trace file read: 200,000 labels of typical length fit several times over.
pub const MAX_TRACE_FILE_BYTES: usize = 20 * 1024 * 1024;

impl TraceFile {
    /// Reads a trace file's text, refusing an oversized file before parsing it and an overlong
    /// trace before anything replays it. Errors start with "not a trace file" or "trace file".
    pub fn parse(text: &str) -> Result<TraceFile, String> {
        if text.len() > MAX_TRACE_FILE_BYTES {
            return Err(format!(
                "trace file too large: {:.1} MB; a trace file is at most {} MB",
                text.len() as f64 / 1048576.0,
                MAX_TRACE_FILE_BYTES / (1024 * 1024)
            ));
        }
        let file: TraceFile = serde_json::from_str(text).map_err(|e| format!("not a trace file: {e}"))?;
        if file.actions.len() > MAX_TRACE_STEPS {
            return Err(format!("trace file too long: {} actions; a trace holds at most {MAX_TRACE_STEPS}", file.actions.len()));
        }
        if let Some(Lasso::BackTo(i)) = file.lasso {
            if i > file.actions.len() {
                return Err(format!("trace file's lasso goes back to state {} of a trace of {}", i + 1, file.actions.len() + 1));
            }
        }
        if file.constants.len() > 1000 {
            return Err(format!("trace file has {} constants; no model has more than a handful", file.constants.len()));
        }
        Ok(file)
    }
}

/// Why a replay stopped before the end of the labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayStop {
    /// The initial-state index is not one of the model's initial states.
    NoSuchInit { index: usize, count: usize },
    /// The action at this position (counting from 1 for the first action) is not enabled there.
    NotEnabled { position: usize, label: String },
    /// The step at this position (from 1) asks for the `wanted`-th enabled action of `count`.
    NoSuchPosition { position: usize, wanted: usize, count: usize },
}

impl std::fmt::Display for ReplayStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplayStop::NoSuchInit { index, count } => {
                write!(
                    f,
                    "initial state #{index} does not exist (the model has {}, numbered from 0)",
                    super::text::plural(*count, "initial state", "initial states")
                )
            }
            ReplayStop::NotEnabled { position, label } => {
                write!(f, "step {position}: action {label} is not enabled there")
            }
            ReplayStop::NoSuchPosition { position, wanted, count } => {
                write!(f, "step {position} asks for action #{wanted} of {count}")
            }
        }
    }
}
