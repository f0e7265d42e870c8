//! What a lesson waits for and what a challenge asks: a small vocabulary of facts about the state
//! at the reader's cursor and the step that reached it. A condition lists one or more facts; it
//! holds when every one holds.

use crate::engine::{AnyState, DynModel, Value};
use serde::Deserialize;

/// A condition on the state at the cursor (and the step that led there). Every key given must
/// hold; at least one must be given.
///
/// ```toml
/// wait = { took = "ReaderVerify", fails = "NoTornRead" }
/// goal = { value = { path = "writerPC", equals = "stamped" } }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// An invariant that is false in this state, or an action property the last step broke.
    pub fails: Option<String>,
    /// An invariant that is true in this state, or an action property the last step kept.
    pub holds: Option<String>,
    /// The last step's action: its family (`Learn`) or its exact label (`Learn(1, v2)`).
    pub took: Option<String>,
    /// The cursor is at step N or later (N actions taken from the initial state).
    pub steps_at_least: Option<usize>,
    /// The value at an inspector path, as the inspector prints it.
    pub value: Option<ValueIs>,
}

/// `value = { path = "ring[0].stamp", equals = "2" }`: the value at the inspector path `path`
/// prints as `equals` in TLA+ notation (`2`, `TRUE`, `<<1, 0, 2>>`, `{}`). A string may be
/// written with or without its quotes (`"idle"` or `idle`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueIs {
    pub path: String,
    pub equals: String,
}

/// Where a condition is evaluated: a state, the state before it and the action between them
/// (both `None` at an initial state), and how many steps the trace has taken to get there.
pub struct Moment<'a> {
    pub model: &'a dyn DynModel,
    pub previous: Option<&'a AnyState>,
    pub action: Option<&'a str>,
    pub state: &'a AnyState,
    pub index: usize,
}

/// The family of a label: `Learn(1, v2)` is of family `Learn`.
pub fn family_of(label: &str) -> &str {
    label.split_once('(').map_or(label, |(family, _)| family).trim()
}

impl Condition {
    /// What is wrong with this condition for `model` (an unknown property or action family, no
    /// fact at all), if anything. Paths are checked where the condition is evaluated: a path may
    /// exist in one state and not in another (a set's elements).
    pub fn problem(&self, model: &dyn DynModel) -> Option<String> {
        if self.fails.is_none() && self.holds.is_none() && self.took.is_none() && self.steps_at_least.is_none() && self.value.is_none() {
            return Some("the condition is empty: give at least one of fails, holds, took, steps_at_least, value".to_string());
        }
        for name in [&self.fails, &self.holds].into_iter().flatten() {
            if property_holds(model, name, None, None).is_none() {
                let known = [model.invariant_names(), model.property_names()].concat();
                return Some(format!("'{name}' is not an invariant or action property of config {}; it checks {}", model.config().name, known.join(", ")));
            }
        }
        if let Some(took) = &self.took {
            let families = model.action_names();
            if !families.contains(&family_of(took)) {
                return Some(format!("took = '{took}' names no action family of {}; its families are {}", model.info().name, families.join(", ")));
            }
        }
        None
    }

    /// Whether every fact holds at `m`. A path that is not in the state makes `value` false.
    pub fn holds_at(&self, m: &Moment) -> bool {
        let prop = |name: &str| property_holds(m.model, name, m.previous, Some(m.state));
        self.fails.as_deref().is_none_or(|n| prop(n) == Some(false))
            && self.holds.as_deref().is_none_or(|n| prop(n) == Some(true))
            && self.took.as_deref().is_none_or(|t| m.action.is_some_and(|a| a == t || family_of(a) == t))
            && self.steps_at_least.is_none_or(|n| m.index >= n)
            && self.value.as_ref().is_none_or(|v| value_at(m.model, m.state, &v.path).is_some_and(|found| prints_as(&found, &v.equals)))
    }

    /// The condition in words, for text and for messages: `NoTornRead fails and the last step is ReaderVerify`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = &self.fails {
            parts.push(format!("{n} fails"));
        }
        if let Some(n) = &self.holds {
            parts.push(format!("{n} holds"));
        }
        if let Some(t) = &self.took {
            parts.push(format!("the last step is {t}"));
        }
        if let Some(n) = self.steps_at_least {
            parts.push(format!("at least {n} steps have been taken"));
        }
        if let Some(v) = &self.value {
            parts.push(format!("{} = {}", v.path, v.equals));
        }
        parts.join(" and ")
    }
}

/// Whether the invariant or action property `name` holds: an invariant in `state`, an action
/// property on the step `previous → state` (true when there is no step, as for `[P]_vars`).
/// `None` when the config checks no property of that name. With no state, only whether the name
/// is known (`Some(true)`).
fn property_holds(model: &dyn DynModel, name: &str, previous: Option<&AnyState>, state: Option<&AnyState>) -> Option<bool> {
    if let Some(i) = model.invariant_names().iter().position(|n| *n == name) {
        return Some(state.is_none_or(|s| model.check_invariants(s)[i]));
    }
    let i = model.property_names().iter().position(|n| *n == name)?;
    Some(match (previous, state) {
        (Some(p), Some(s)) => model.check_properties(p, s)[i],
        _ => true,
    })
}

fn prints_as(value: &Value, text: &str) -> bool {
    let text = text.trim();
    let printed = value.to_string();
    printed == text
        || match value {
            // The quotes of a string literal are optional: `equals = "idle"` in TOML is easier to
            // write than `equals = '"idle"'`.
            Value::Str(s) | Value::Ranked { text: s, .. } => s == text,
            _ => false,
        }
}

/// The value at an inspector path (`ring[0].stamp`, `readerPC[2]`, `learned[1]`), named as the
/// inspector's tree names its rows: a record field after `.`, a tuple's or function's entry in
/// brackets (`[1]` for a tuple's first item, `[n1]` for key `n1`), a set's element as `#1`.
pub fn value_at(model: &dyn DynModel, state: &AnyState, path: &str) -> Option<Value> {
    let (name, mut rest) = match path.find(['.', '[', '#']) {
        Some(i) => path.split_at(i),
        None => (path, ""),
    };
    let i = model.variables().iter().position(|v| *v == name)?;
    let mut value = model.to_tla(state).swap_remove(i);
    while !rest.is_empty() {
        let (key, after) = match value {
            Value::Record(_) => {
                let body = rest.strip_prefix('.')?;
                let end = body.find(['.', '[', '#']).unwrap_or(body.len());
                (body[..end].to_string(), &body[end..])
            }
            Value::Set(_) => {
                let body = rest.strip_prefix('#')?;
                let end = body.find(['.', '[', '#']).unwrap_or(body.len());
                (format!("#{}", &body[..end]), &body[end..])
            }
            Value::Tuple(_) | Value::Func(_) => {
                let body = rest.strip_prefix('[')?;
                let end = closing_bracket(body)?;
                (body[..end].to_string(), &body[end + 1..])
            }
            _ => return None,
        };
        let child = value.children().into_iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())?;
        value = child;
        rest = after;
    }
    Some(value)
}

/// The index of the `]` that closes a bracket already opened, skipping nested brackets and
/// angle-bracket tuples inside a key such as `[<<1, 0, 2>>]`.
fn closing_bracket(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in body.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return Some(i),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}
