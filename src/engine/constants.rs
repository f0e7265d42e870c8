//! Model constants: what each may be, their defaults, and parsing from text (`--const K=V`, a
//! URL, a TLC cfg) with a clear error for anything out of range.

use super::value::Value;
use std::fmt;

/// What values a constant may take. The bounds keep state spaces within what a browser tab can
/// check; a model may add its own cross-constant rules in `build`.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstKind {
    /// An integer in `min..=max`.
    Int { min: i64, max: i64 },
    /// A non-empty set of integers, each in `min..=max`: `{1, 2}`.
    IntSet { min: i64, max: i64 },
    /// A set of model values such as `{n1, n2, n3}`, between `min_len` and `max_len` of them. A bare
    /// count (`3`) stands for `{prefix1, ..., prefix3}`.
    ModelValues { prefix: &'static str, min_len: usize, max_len: usize },
    /// One model value, which must belong to the named set constant (`InitGroup = g1`).
    MemberOf { set: &'static str },
}

/// One constant of a model, with its default.
#[derive(Clone, Debug, PartialEq)]
pub struct ConstSpec {
    pub name: &'static str,
    pub doc: &'static str,
    pub kind: ConstKind,
    /// The default in the syntax `--const` takes (`2`, `{1, 2}`, `{n1, n2, n3}`, `g1`).
    pub default: &'static str,
}

impl ConstSpec {
    /// What the constant accepts, in words (for `pex list` and help text).
    pub fn allowed(&self) -> String {
        match &self.kind {
            ConstKind::Int { min, max } => format!("an integer in {min}..{max}"),
            ConstKind::IntSet { min, max } => {
                format!("a non-empty set of integers in {min}..{max}, written {{{min}}} or {{{min}, ...}} (a bare number is refused)")
            }
            ConstKind::ModelValues { prefix, min_len, max_len } => {
                format!("{min_len}..{max_len} model values: a count (2 means {{{prefix}1, {prefix}2}}) or names {{{prefix}1, ...}}")
            }
            ConstKind::MemberOf { set } => format!("one of the values of {set}"),
        }
    }
}

/// A bad constant: which one and why. Shown beside the field in the UI and on stderr by `pex`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstError {
    pub name: String,
    pub message: String,
}

impl fmt::Display for ConstError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "constant {}: {}", self.name, self.message)
    }
}

impl std::error::Error for ConstError {}

/// The constants a model is built with, in the model's declaration order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Constants {
    entries: Vec<(String, Value)>,
}

impl Constants {
    /// The defaults of `specs`.
    pub fn defaults(specs: &[ConstSpec]) -> Constants {
        Self::build(specs, &[]).expect("every model's defaults are valid")
    }

    /// Defaults overridden by `(name, text)` pairs; an unknown name or a bad value is an error.
    pub fn build(specs: &[ConstSpec], overrides: &[(String, String)]) -> Result<Constants, ConstError> {
        for (name, _) in overrides {
            if !specs.iter().any(|s| s.name == name) {
                let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
                return Err(ConstError {
                    name: shown(name),
                    message: if known.is_empty() {
                        "this model has no constants".to_string()
                    } else {
                        format!("unknown; this model's constants are {}", known.join(", "))
                    },
                });
            }
        }
        let mut entries: Vec<(String, Value)> = Vec::new();
        // Sets first, so that a MemberOf constant can be checked against its set whatever the order.
        let mut ordered: Vec<&ConstSpec> = specs.iter().collect();
        ordered.sort_by_key(|s| matches!(s.kind, ConstKind::MemberOf { .. }));
        let mut ordinal = 0u32;
        let mut parsed: Vec<(&str, Value)> = Vec::new();
        for spec in ordered {
            let text = overrides.iter().rev().find(|(n, _)| n == spec.name).map(|(_, t)| t.as_str()).unwrap_or(spec.default);
            let value = parse_value(spec, text, &parsed, &mut ordinal).map_err(|message| ConstError { name: spec.name.to_string(), message })?;
            parsed.push((spec.name, value));
        }
        for spec in specs {
            let v = parsed.iter().find(|(n, _)| *n == spec.name).expect("parsed above").1.clone();
            entries.push((spec.name.to_string(), v));
        }
        Ok(Constants { entries })
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// An integer constant. Panics if the model asks for a name it did not declare as an integer,
    /// which is a bug in the model, not bad input (input is validated by [`Constants::build`]).
    pub fn int(&self, name: &str) -> i64 {
        match self.get(name) {
            Some(Value::Int(i)) => *i,
            other => panic!("model bug: constant {name} is not an integer: {other:?}"),
        }
    }

    /// An integer-set constant, sorted.
    pub fn int_set(&self, name: &str) -> Vec<i64> {
        match self.get(name) {
            Some(Value::Set(items)) => items
                .iter()
                .map(|v| match v {
                    Value::Int(i) => *i,
                    other => panic!("model bug: constant {name} holds a non-integer {other:?}"),
                })
                .collect(),
            other => panic!("model bug: constant {name} is not a set: {other:?}"),
        }
    }

    /// The names of a model-value set constant, in creation order.
    pub fn names(&self, name: &str) -> Vec<String> {
        match self.get(name) {
            Some(Value::Set(items)) => {
                let mut named: Vec<(u32, String)> = items
                    .iter()
                    .map(|v| match v {
                        Value::Model { ordinal, name } => (*ordinal, name.clone()),
                        other => panic!("model bug: constant {name} holds {other:?}"),
                    })
                    .collect();
                named.sort();
                named.into_iter().map(|(_, n)| n).collect()
            }
            other => panic!("model bug: constant {name} is not a set of model values: {other:?}"),
        }
    }

    /// The name of a single model-value constant.
    pub fn name(&self, name: &str) -> String {
        match self.get(name) {
            Some(Value::Model { name, .. }) => name.clone(),
            other => panic!("model bug: constant {name} is not a model value: {other:?}"),
        }
    }

    /// `K=V` pairs in the syntax `--const` accepts; parsing them back gives these constants.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        self.entries.iter().map(|(k, v)| (k.clone(), v.to_string())).collect()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Object(self.entries.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

impl fmt::Display for Constants {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (k, v)) in self.entries.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{k} = {v}")?;
        }
        Ok(())
    }
}

/// The most text a constant may hold: far more than any valid value needs, and little enough that
/// reading it (and echoing part of it in a message) costs nothing.
pub const MAX_CONST_TEXT: usize = 4096;

/// `text` as a message quotes it: at most 40 characters, the rest elided.
pub(crate) fn shown(text: &str) -> String {
    const KEEP: usize = 40;
    match text.char_indices().nth(KEEP) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
    }
}

/// A whole number too large for an `i64` (`9223372036854775808`, `-99999999999999999999`).
fn is_huge_integer(t: &str) -> bool {
    let digits = t.strip_prefix('-').or_else(|| t.strip_prefix('+')).unwrap_or(t);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn parse_int(text: &str) -> Result<i64, String> {
    let t = text.trim();
    t.parse::<i64>().map_err(|_| if is_huge_integer(t) { format!("{} is far too large", shown(t)) } else { format!("'{}' is not an integer", shown(t)) })
}

/// Splits `{a, b}` or `a,b` into trimmed items; `{}` is the empty list. More than `most` items is
/// an error found by counting commas, before anything is split or parsed.
fn set_items(text: &str, most: usize) -> Result<Vec<&str>, String> {
    let t = text.trim();
    let inner = if let Some(rest) = t.strip_prefix('{') {
        rest.strip_suffix('}').ok_or_else(|| format!("'{}' opens a set with {{ but does not close it", shown(t)))?
    } else {
        t
    };
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    let count = inner.bytes().filter(|&b| b == b',').count() + 1;
    if count > most {
        return Err(format!("{count} elements; at most {most} are allowed"));
    }
    Ok(inner.split(',').map(str::trim).collect())
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn parse_value(spec: &ConstSpec, text: &str, parsed: &[(&str, Value)], ordinal: &mut u32) -> Result<Value, String> {
    if text.len() > MAX_CONST_TEXT {
        return Err(format!("{} characters of text; a constant is at most {MAX_CONST_TEXT}", text.len()));
    }
    match &spec.kind {
        ConstKind::Int { min, max } => {
            let v = parse_int(text)?;
            if v < *min || v > *max {
                return Err(format!("{v} is out of range; allowed {min}..{max}"));
            }
            Ok(Value::Int(v))
        }
        ConstKind::IntSet { min, max } => {
            let t = text.trim();
            // A bare number is refused rather than read as a singleton: beside model-value sets,
            // where `3` is a count, `5` meaning `{5}` would surprise.
            if !t.starts_with('{') && !t.contains(',') {
                if let Some((a, b)) = t.split_once("..") {
                    return Err(format!(
                        "ranges such as '{}' are not accepted; write the set out, e.g. {{{}, ..., {}}} with every element, each in {min}..{max}",
                        shown(t),
                        shown(a.trim()),
                        shown(b.trim())
                    ));
                }
                if t.parse::<i64>().is_ok() || is_huge_integer(t) {
                    let t = shown(t);
                    let several = if max > min { format!(", or {{{min}, {}}} for several", min + 1) } else { String::new() };
                    return Err(format!("write a set, not a number: {{{t}}} for the single element {t}{several}; the elements are integers in {min}..{max}"));
                }
            }
            let most = usize::try_from(max.saturating_sub(*min)).unwrap_or(usize::MAX).saturating_add(1);
            let items = set_items(t, most).map_err(|e| format!("{e} (the elements are distinct integers in {min}..{max})"))?;
            if items.is_empty() {
                return Err("the set must not be empty".to_string());
            }
            let mut values = Vec::new();
            for item in items {
                let v = parse_int(item)?;
                if v < *min || v > *max {
                    return Err(format!("element {v} is out of range; allowed {min}..{max}"));
                }
                values.push(Value::Int(v));
            }
            Ok(Value::set(values))
        }
        ConstKind::ModelValues { prefix, min_len, max_len } => {
            let t = text.trim();
            let names: Vec<String> = if let Ok(n) = t.parse::<i64>() {
                // A bare count: its bound is checked before a single name is made.
                let count = format!("a number here is a count of values: {max_len} means {{{prefix}1, ..., {prefix}{max_len}}}");
                if n < 1 {
                    return Err(format!("{n} is not a size; allowed {min_len}..{max_len} ({count})"));
                }
                if n < *min_len as i64 || n > *max_len as i64 {
                    return Err(format!("{n} elements; allowed {min_len}..{max_len} ({count})"));
                }
                (1..=n).map(|i| format!("{prefix}{i}")).collect()
            } else if is_huge_integer(t) {
                let what = if t.starts_with('-') { "is not a size" } else { "elements" };
                return Err(format!(
                    "{} {what}; allowed {min_len}..{max_len} (a number here is a count of values: {max_len} means {{{prefix}1, ..., {prefix}{max_len}}})",
                    shown(t)
                ));
            } else {
                set_items(t, *max_len).map_err(|e| format!("{e} (allowed {min_len}..{max_len} values)"))?.into_iter().map(str::to_string).collect()
            };
            if names.len() < *min_len || names.len() > *max_len {
                return Err(format!("{}; allowed {min_len}..{max_len}", super::text::plural(names.len(), "element", "elements")));
            }
            for (i, n) in names.iter().enumerate() {
                if !is_identifier(n) {
                    return Err(format!("'{}' is not a model-value name (letters, digits, _)", shown(n)));
                }
                if names[..i].contains(n) {
                    return Err(format!("'{}' appears twice", shown(n)));
                }
            }
            let mut values = Vec::new();
            for n in names {
                values.push(Value::Model { ordinal: *ordinal, name: n });
                *ordinal += 1;
            }
            Ok(Value::Set(values))
        }
        ConstKind::MemberOf { set } => {
            let name = text.trim();
            let members = match parsed.iter().find(|(n, _)| n == set) {
                Some((_, Value::Set(items))) => items,
                _ => return Err(format!("model bug: {set} is not a set constant")),
            };
            members.iter().find(|v| matches!(v, Value::Model { name: n, .. } if n == name)).cloned().ok_or_else(|| {
                let names: Vec<String> = members.iter().map(|v| v.to_string()).collect();
                format!("'{}' is not in {set} = {{{}}}", shown(name), names.join(", "))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs() -> Vec<ConstSpec> {
        vec![
            ConstSpec { name: "N", doc: "", kind: ConstKind::Int { min: 1, max: 4 }, default: "2" },
            ConstSpec { name: "Sizes", doc: "", kind: ConstKind::IntSet { min: 1, max: 3 }, default: "{1, 2}" },
            ConstSpec { name: "Groups", doc: "", kind: ConstKind::ModelValues { prefix: "g", min_len: 1, max_len: 3 }, default: "{g1, g2}" },
            ConstSpec { name: "InitGroup", doc: "", kind: ConstKind::MemberOf { set: "Groups" }, default: "g1" },
        ]
    }

    #[test]
    fn defaults_parse() {
        let c = Constants::defaults(&specs());
        assert_eq!(c.int("N"), 2);
        assert_eq!(c.int_set("Sizes"), vec![1, 2]);
        assert_eq!(c.names("Groups"), vec!["g1", "g2"]);
        assert_eq!(c.name("InitGroup"), "g1");
        assert_eq!(c.to_string(), "N = 2, Sizes = {1, 2}, Groups = {g1, g2}, InitGroup = g1");
    }

    #[test]
    fn overrides_and_errors() {
        let s = specs();
        let c = Constants::build(&s, &[("N".into(), "4".into()), ("Groups".into(), "3".into())]).unwrap();
        assert_eq!(c.int("N"), 4);
        assert_eq!(c.names("Groups"), vec!["g1", "g2", "g3"]);
        let e = Constants::build(&s, &[("N".into(), "9".into())]).unwrap_err();
        assert_eq!(e.to_string(), "constant N: 9 is out of range; allowed 1..4");
        let e = Constants::build(&s, &[("M".into(), "1".into())]).unwrap_err();
        assert!(e.message.contains("unknown"), "{e}");
        let e = Constants::build(&s, &[("N".into(), "two".into())]).unwrap_err();
        assert!(e.message.contains("not an integer"));
        let e = Constants::build(&s, &[("InitGroup".into(), "g7".into())]).unwrap_err();
        assert_eq!(e.message, "'g7' is not in Groups = {g1, g2}");
        let e = Constants::build(&s, &[("Sizes".into(), "{}".into())]).unwrap_err();
        assert!(e.message.contains("empty"));
        let e = Constants::build(&s, &[("Sizes".into(), "{1, 2".into())]).unwrap_err();
        assert!(e.message.contains("does not close"));
        let e = Constants::build(&s, &[("Groups".into(), "{g1, g1}".into())]).unwrap_err();
        assert!(e.message.contains("twice"));
    }

    #[test]
    fn hostile_sizes_are_refused_before_any_work() {
        let s = specs();
        let err = |name: &str, text: &str| Constants::build(&s, &[(name.into(), text.into())]).unwrap_err().message;
        // A bare count is checked before a single name is made (these used to freeze or panic).
        for n in ["100000000", "1000000000", "4294967296", "9223372036854775807", "-1", "0"] {
            assert!(err("Groups", n).ends_with("; allowed 1..3 (a number here is a count of values: 3 means {g1, ..., g3})"), "{n}: {}", err("Groups", n));
        }
        assert!(err("Groups", "99999999999999999999999").starts_with("99999999999999999999999 elements; allowed 1..3"));
        assert!(err("Groups", "-99999999999999999999999").starts_with("-99999999999999999999999 is not a size; allowed 1..3"));
        assert!(err("Groups", "0").starts_with("0 is not a size; allowed 1..3"));
        assert_eq!(err("Groups", "4"), "4 elements; allowed 1..3 (a number here is a count of values: 3 means {g1, ..., g3})");
        // A set literal is counted by its commas before it is split.
        let many = format!("{{{}}}", vec!["g"; 2000].join(","));
        assert_eq!(err("Groups", &many), "2000 elements; at most 3 are allowed (allowed 1..3 values)");
        assert!(err("Sizes", "{1,1,1,1,1}").contains("5 elements; at most 3 are allowed"));
        // Text is bounded whatever the kind.
        let long = "1".repeat(MAX_CONST_TEXT + 1);
        for name in ["N", "Sizes", "Groups", "InitGroup"] {
            assert_eq!(err(name, &long), format!("{} characters of text; a constant is at most 4096", MAX_CONST_TEXT + 1));
        }
        // Integers too large for i64 are out of range, not "not an integer"; messages quote little.
        assert_eq!(err("N", "9223372036854775808"), "9223372036854775808 is far too large");
        let junk = "x".repeat(1000);
        assert!(err("N", &junk).len() < 120, "{}", err("N", &junk));
        let e = Constants::build(&s, &[(junk.clone(), "1".into())]).unwrap_err();
        assert!(e.name.len() < 80 && e.message.contains("unknown"), "{e}");
    }

    #[test]
    fn an_integer_set_wants_braces_a_model_value_set_takes_a_count() {
        let s = specs();
        let e = Constants::build(&s, &[("Sizes".into(), "2".into())]).unwrap_err();
        assert_eq!(e.message, "write a set, not a number: {2} for the single element 2, or {1, 2} for several; the elements are integers in 1..3");
        let e = Constants::build(&s, &[("Sizes".into(), "1..3".into())]).unwrap_err();
        assert!(e.message.starts_with("ranges such as '1..3' are not accepted; write the set out"), "{}", e.message);
        assert_eq!(Constants::build(&s, &[("Sizes".into(), "{2}".into())]).unwrap().int_set("Sizes"), vec![2]);
        assert_eq!(Constants::build(&s, &[("Groups".into(), "2".into())]).unwrap().names("Groups"), vec!["g1", "g2"]);
        assert_eq!(s[1].allowed(), "a non-empty set of integers in 1..3, written {1} or {1, ...} (a bare number is refused)");
        assert_eq!(s[2].allowed(), "1..3 model values: a count (2 means {g1, g2}) or names {g1, ...}");
    }

    #[test]
    fn round_trips_through_pairs() {
        let s = specs();
        let c = Constants::build(&s, &[("Sizes".into(), "2,1,3".into())]).unwrap();
        let again = Constants::build(&s, &c.to_pairs()).unwrap();
        assert_eq!(c, again);
    }
}
