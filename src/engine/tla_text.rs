//! Definitions read from a twin's TLA+ source: the text of `Name == ...` as the twin writes it, and
//! the variables a definition reads. The sources are compiled in (`ModelDef::TWINS`), so this works
//! the same natively and in wasm.

/// The head of a top-level definition on `line`: its name, when the line starts (at column 0) a
/// definition `Name == ...` or `Name(args) == ...`.
fn defined_name(line: &str) -> Option<&str> {
    let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(line.len());
    if end == 0 || !line.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let (name, rest) = line.split_at(end);
    let rest = if rest.starts_with('(') { &rest[rest.find(')')? + 1..] } else { rest };
    rest.trim_start().starts_with("==").then_some(name)
}

/// Whether `line` ends the definition above it: another top-level definition, a separator
/// (`----`), the module's end (`====`), or a top-level comment (which introduces what follows).
fn ends_definition(line: &str) -> bool {
    defined_name(line).is_some() || line.starts_with("----") || line.starts_with("====") || line.starts_with("\\*") || line.starts_with("(*")
}

/// The text of definition `name` in the first of `sources` that defines it: from its head to the
/// line before the next top-level definition, separator, module end or top-level comment, with
/// trailing blank and comment lines dropped.
pub fn definition(sources: &[&str], name: &str) -> Option<String> {
    for source in sources {
        let lines: Vec<&str> = source.lines().collect();
        let Some(start) = lines.iter().position(|l| defined_name(l) == Some(name)) else { continue };
        let mut end = start + 1;
        while end < lines.len() && !ends_definition(lines[end]) {
            end += 1;
        }
        while end > start + 1 && {
            let t = lines[end - 1].trim();
            t.is_empty() || t.starts_with("\\*") || t.starts_with("(*")
        } {
            end -= 1;
        }
        return Some(lines[start..end].iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n"));
    }
    None
}

/// The identifiers of TLA+ text, outside comments and string literals, in order (repeats kept).
/// Left out: the subscript of `[A]_vars` (it says which steps are stuttering, not what `A` reads)
/// and record field names (`v.commitTs`, `[commitTs |-> ts]`), which may share a variable's name.
fn identifiers(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\\' && bytes.get(i + 1) == Some(&b'*') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if c == b'(' && bytes.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b')') {
                i += 1;
            }
            i += 2;
        } else if c == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += 1;
            }
            i += 1;
        } else if c == b'\\' {
            // An operator such as \A, \in, \subseteq: not an identifier.
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let subscript = start >= 1 && bytes[start] == b'_' && bytes[start - 1] == b']';
            let field = (start >= 1 && bytes[start - 1] == b'.') || text[i..].trim_start().starts_with("|->");
            if !subscript && !field {
                out.push(&text[start..i]);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The variables (among `variables`, the twin's VARIABLES) that definition `name` reads: those its
/// body names, and those of every operator of the sources it refers to, transitively. In the
/// order of `variables`; empty if `name` is not defined.
pub fn reads(sources: &[&str], name: &str, variables: &[&'static str]) -> Vec<&'static str> {
    let mut seen: Vec<String> = vec![name.to_string()];
    let mut todo: Vec<String> = vec![name.to_string()];
    let mut found = vec![false; variables.len()];
    while let Some(def) = todo.pop() {
        let Some(text) = definition(sources, &def) else { continue };
        // The body: what follows the first `==` (the head's parameters are not reads).
        let body = text.split_once("==").map_or("", |(_, b)| b);
        for id in identifiers(body) {
            if let Some(v) = variables.iter().position(|v| *v == id) {
                found[v] = true;
            } else if !seen.iter().any(|s| s == id) {
                seen.push(id.to_string());
                todo.push(id.to_string());
            }
        }
    }
    variables.iter().zip(found).filter(|(_, f)| *f).map(|(v, _)| *v).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = r#"---- MODULE M ----
VARIABLES x, y, z

vars == << x, y, z >>

Helper(a) == a + y + [z |-> 1].z

\* Says something about Inv.
Inv ==
    /\ x >= 0   \* a comment naming z
    /\ Helper(x) > 0
    /\ "z" # "y"

\* The next one.
Step == [][x' >= x]_vars
-------------------------------
Last == z
===================="#;

    #[test]
    fn a_definition_runs_to_the_next_top_level_line_without_trailing_comments() {
        assert_eq!(definition(&[MODULE], "Inv").unwrap(), "Inv ==\n    /\\ x >= 0   \\* a comment naming z\n    /\\ Helper(x) > 0\n    /\\ \"z\" # \"y\"");
        assert_eq!(definition(&[MODULE], "Step").unwrap(), "Step == [][x' >= x]_vars");
        assert_eq!(definition(&[MODULE], "Last").unwrap(), "Last == z");
        assert_eq!(definition(&[MODULE], "Helper").unwrap(), "Helper(a) == a + y + [z |-> 1].z");
        assert_eq!(definition(&[MODULE], "Missing"), None);
    }

    #[test]
    fn a_later_module_is_searched_after_the_first() {
        let second = "---- MODULE L ----\nEXTENDS M\nLive == <>[](z = 0)\n====";
        assert_eq!(definition(&[MODULE, second], "Live").unwrap(), "Live == <>[](z = 0)");
        assert_eq!(reads(&[MODULE, second], "Live", &["x", "y", "z"]), vec!["z"]);
    }

    #[test]
    fn reads_follow_operators_and_skip_comments_strings_and_the_stutter_subscript() {
        assert_eq!(reads(&[MODULE], "Inv", &["x", "y", "z"]), vec!["x", "y"]);
        assert_eq!(reads(&[MODULE], "Step", &["x", "y", "z"]), vec!["x"]);
    }
}
