//! TLA+ values: how a model shows its state to people and to TLC.
//!
//! Every model describes each state as one [`Value`] per TLA+ variable. That single description
//! serves four purposes, so a model writes it once:
//! - printing a state exactly as TLC prints it (`/\ ring = (0 :> [stamp |-> 0, value |-> -1] @@ ...)`),
//!   so a counterexample from `pex` reads like TLC's and can be compared with it text for text;
//! - the state inspector's tree and the JSON of `pex check --json`;
//! - symmetry reduction, which (like TLC) keeps the permutation of a state that is smallest in
//!   TLC's value order (see [`Value::tlc_cmp`]).
//!
//! The printing rules were read off TLC 2.15's output: records keep their field order, functions
//! with domain `1..n` print as tuples (models build those as [`Value::Tuple`]), other functions as
//! `(k :> v @@ ...)` in domain order, sets sorted.

use std::cmp::Ordering;
use std::fmt;

/// A TLA+ value as TLC would hold it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    Bool(bool),
    Int(i64),
    /// A string literal, printed with quotes: `"Locked"`.
    Str(String),
    /// A string literal whose place in TLC's value order is given: TLC orders strings by when they
    /// were first interned (roughly, first appearance in the spec), not alphabetically. Printed as
    /// a string; models whose symmetry reduction depends on string order use it.
    Ranked {
        rank: u32,
        text: String,
    },
    /// A model value (an element of a set like `Nodes = {n1, n2}` in a cfg). `ordinal` is its
    /// position of creation, which is how TLC orders model values.
    Model {
        ordinal: u32,
        name: String,
    },
    /// A tuple or sequence, or a function with domain `1..n`: `<<a, b>>`.
    Tuple(Vec<Value>),
    /// A record, fields in the order the spec writes them: `[stamp |-> 0, value |-> -1]`.
    Record(Vec<(String, Value)>),
    /// A function, as (key, value) pairs in domain order: `(0 :> a @@ 1 :> b)`.
    Func(Vec<(Value, Value)>),
    /// A finite set; [`Value::set`] sorts and deduplicates it.
    Set(Vec<Value>),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(s.to_string())
    }

    pub fn model(ordinal: usize, name: &str) -> Value {
        Value::Model { ordinal: ordinal as u32, name: name.to_string() }
    }

    pub fn record<'a>(fields: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
        Value::Record(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// A set, normalised as TLC normalises sets: sorted in TLC's order, without duplicates.
    pub fn set(items: impl IntoIterator<Item = Value>) -> Value {
        Value::set_of(items.into_iter().collect())
    }

    /// [`Value::set`] of a vector. Not generic, so the sort is compiled once rather than once per
    /// caller's iterator type.
    fn set_of(mut v: Vec<Value>) -> Value {
        v.sort_by(Value::tlc_cmp);
        v.dedup();
        Value::Set(v)
    }

    /// A function from the given keys; keys are sorted into domain order.
    pub fn func(pairs: impl IntoIterator<Item = (Value, Value)>) -> Value {
        Value::func_of(pairs.into_iter().collect())
    }

    /// [`Value::func`] of a vector (not generic: one sort for every caller).
    fn func_of(mut v: Vec<(Value, Value)>) -> Value {
        v.sort_by(|a, b| a.0.tlc_cmp(&b.0));
        Value::Func(v)
    }

    /// A per-process variable over processes with integer ids (`[r \in Replicas |-> f(r)]`),
    /// `f` given each process's index into `ids`: a tuple when the ids are `1..n` (TLC prints such
    /// a function as a sequence), else a function from the ids.
    pub fn per_id(ids: &[u8], f: impl Fn(usize) -> Value) -> Value {
        if ids.iter().enumerate().all(|(i, &id)| id as usize == i + 1) {
            Value::Tuple((0..ids.len()).map(f).collect())
        } else {
            Value::func(ids.iter().enumerate().map(|(i, &id)| (Value::Int(id as i64), f(i))))
        }
    }

    /// The children of a structured value, labelled as a reader would name them; used by trees
    /// and diffs (`ring[0].stamp`).
    pub fn children(&self) -> Vec<(String, &Value)> {
        match self {
            Value::Tuple(items) => items.iter().enumerate().map(|(i, v)| (format!("{}", i + 1), v)).collect(),
            Value::Record(fields) => fields.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Func(pairs) => pairs.iter().map(|(k, v)| (k.to_string(), v)).collect(),
            Value::Set(items) => items.iter().enumerate().map(|(i, v)| (format!("#{}", i + 1), v)).collect(),
            _ => Vec::new(),
        }
    }

    pub fn is_leaf(&self) -> bool {
        match self {
            Value::Tuple(v) => v.is_empty(),
            Value::Record(v) => v.is_empty(),
            Value::Func(v) => v.is_empty(),
            Value::Set(v) => v.is_empty(),
            _ => true,
        }
    }

    fn type_rank(&self) -> u8 {
        match self {
            // TLC: a model value compares below any value of another kind.
            Value::Model { .. } => 0,
            Value::Bool(_) => 1,
            Value::Int(_) => 2,
            Value::Str(_) | Value::Ranked { .. } => 3,
            Value::Tuple(_) => 4,
            Value::Record(_) => 5,
            Value::Func(_) => 6,
            Value::Set(_) => 7,
        }
    }

    /// TLC's value order (`compareTo` of tlc2.value.impl.*, read from TLC 2.15's bytecode), used to
    /// pick the smallest permutation of a state under symmetry: booleans FALSE < TRUE; integers
    /// numerically; tuples by length, then element by element; sets by cardinality, then element by
    /// element in sorted order; records by field count, then (field name, value) pair by pair in
    /// field-name order; functions by domain size, then (key, value) pair by pair in domain order.
    /// TLC orders strings, model values and field names by when the name was first interned (its
    /// "token"); here strings and field names compare lexicographically and model values by their
    /// creation ordinal, which agree with TLC whenever the names first appear in that order (model
    /// values n1, n2, ... created by the cfg). A model value is below any value of another kind (as in TLC); other
    /// kinds (which TLC refuses to compare) are ordered by kind, so the order is total.
    pub fn tlc_cmp(&self, other: &Value) -> Ordering {
        use Value::*;
        match (self, other) {
            (Bool(a), Bool(b)) => a.cmp(b),
            (Int(a), Int(b)) => a.cmp(b),
            (Str(a), Str(b)) => a.cmp(b),
            (Ranked { rank: a, .. }, Ranked { rank: b, .. }) => a.cmp(b),
            (Model { ordinal: a, .. }, Model { ordinal: b, .. }) => a.cmp(b),
            (Tuple(a), Tuple(b)) => a.len().cmp(&b.len()).then_with(|| cmp_seq(a, b)),
            (Record(a), Record(b)) => {
                let mut sa: Vec<&(String, Value)> = a.iter().collect();
                let mut sb: Vec<&(String, Value)> = b.iter().collect();
                sa.sort_by(|x, y| x.0.cmp(&y.0));
                sb.sort_by(|x, y| x.0.cmp(&y.0));
                sa.len().cmp(&sb.len()).then_with(|| {
                    for (x, y) in sa.iter().zip(sb.iter()) {
                        let c = x.0.cmp(&y.0).then_with(|| x.1.tlc_cmp(&y.1));
                        if c != Ordering::Equal {
                            return c;
                        }
                    }
                    Ordering::Equal
                })
            }
            (Func(a), Func(b)) => a.len().cmp(&b.len()).then_with(|| {
                for (x, y) in a.iter().zip(b.iter()) {
                    let c = x.0.tlc_cmp(&y.0).then_with(|| x.1.tlc_cmp(&y.1));
                    if c != Ordering::Equal {
                        return c;
                    }
                }
                Ordering::Equal
            }),
            (Set(a), Set(b)) => a.len().cmp(&b.len()).then_with(|| cmp_seq(a, b)),
            _ => self.type_rank().cmp(&other.type_rank()),
        }
    }

    /// JSON for tools: integers and booleans as themselves, strings and model values as strings,
    /// tuples and sets as arrays, records as objects, functions as objects keyed by the key's TLA+
    /// text.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Str(s) | Value::Ranked { text: s, .. } => J::String(s.clone()),
            Value::Model { name, .. } => J::String(name.clone()),
            Value::Tuple(items) | Value::Set(items) => J::Array(items.iter().map(Value::to_json).collect()),
            Value::Record(fields) => J::Object(fields.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            Value::Func(pairs) => J::Object(
                pairs
                    .iter()
                    .map(|(k, v)| {
                        let key = match k {
                            Value::Str(s) | Value::Ranked { text: s, .. } => s.clone(),
                            other => other.to_string(),
                        };
                        (key, v.to_json())
                    })
                    .collect(),
            ),
        }
    }
}

fn cmp_seq(a: &[Value], b: &[Value]) -> Ordering {
    for (x, y) in a.iter().zip(b.iter()) {
        let c = x.tlc_cmp(y);
        if c != Ordering::Equal {
            return c;
        }
    }
    a.len().cmp(&b.len())
}

fn write_list(f: &mut fmt::Formatter<'_>, items: &[Value]) -> fmt::Result {
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{v}")?;
    }
    Ok(())
}

/// TLC's printed form of a value.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(true) => f.write_str("TRUE"),
            Value::Bool(false) => f.write_str("FALSE"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Str(s) | Value::Ranked { text: s, .. } => write!(f, "\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
            Value::Model { name, .. } => f.write_str(name),
            Value::Tuple(items) => {
                f.write_str("<<")?;
                write_list(f, items)?;
                f.write_str(">>")
            }
            Value::Record(fields) => {
                f.write_str("[")?;
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} |-> {v}")?;
                }
                f.write_str("]")
            }
            Value::Func(pairs) => {
                if pairs.is_empty() {
                    return f.write_str("<<>>");
                }
                f.write_str("(")?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" @@ ")?;
                    }
                    write!(f, "{k} :> {v}")?;
                }
                f.write_str(")")
            }
            Value::Set(items) => {
                f.write_str("{")?;
                write_list(f, items)?;
                f.write_str("}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_tlc() {
        // Each expected string is a line TLC 2.15 printed for the same value.
        let ring = Value::func((0..2).map(|i| (Value::Int(i), Value::record([("value", Value::Int(-1)), ("stamp", Value::Int(0))]))));
        assert_eq!(ring.to_string(), "(0 :> [value |-> -1, stamp |-> 0] @@ 1 :> [value |-> -1, stamp |-> 0])");
        assert_eq!(Value::Tuple(vec![Value::str("idle"), Value::str("idle")]).to_string(), "<<\"idle\", \"idle\">>");
        assert_eq!(Value::set([Value::Int(3), Value::Int(1)]).to_string(), "{1, 3}");
        assert_eq!(Value::Tuple(vec![]).to_string(), "<<>>");
        assert_eq!(Value::set([]).to_string(), "{}");
        let byname = Value::func([(Value::model(1, "n1"), Value::set([])), (Value::model(0, "n2"), Value::set([]))]);
        assert_eq!(byname.to_string(), "(n2 :> {} @@ n1 :> {})");
        assert_eq!(
            Value::record([("a", Value::Bool(true)), ("c", Value::str("x")), ("b", Value::Tuple(vec![Value::Int(1)]))]).to_string(),
            "[a |-> TRUE, c |-> \"x\", b |-> <<1>>]"
        );
    }

    #[test]
    fn sets_are_normalised() {
        assert_eq!(Value::set([Value::Int(2), Value::Int(1), Value::Int(2)]), Value::Set(vec![Value::Int(1), Value::Int(2)]));
    }

    #[test]
    fn tlc_order_puts_smaller_sets_first_then_elements() {
        let a = Value::set([Value::Int(5)]);
        let b = Value::set([Value::Int(1), Value::Int(2)]);
        assert_eq!(a.tlc_cmp(&b), Ordering::Less);
        let c = Value::set([Value::Int(1), Value::Int(3)]);
        assert_eq!(b.tlc_cmp(&c), Ordering::Less);
        assert_eq!(Value::model(0, "n2").tlc_cmp(&Value::model(1, "n1")), Ordering::Less);
    }

    #[test]
    fn json_shapes() {
        let v = Value::record([("held", Value::Bool(false)), ("xs", Value::Tuple(vec![Value::Int(1)]))]);
        assert_eq!(v.to_json().to_string(), r#"{"held":false,"xs":[1]}"#);
    }
}
