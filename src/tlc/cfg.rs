//! Reading TLC configuration files (`MC.cfg`): constants, invariants, properties, constraint,
//! symmetry. Enough of the format for the twins' cfgs, with an error naming the line for anything
//! else.

use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlcCfg {
    /// `Name = value`, the value as written (`2`, `{1, 2}`, `{n1, n2}`, `TRUE`).
    pub constants: Vec<(String, String)>,
    /// `Name <- Other`: a definition replaced by another.
    pub substitutions: Vec<(String, String)>,
    pub init: Option<String>,
    pub next: Option<String>,
    pub specification: Option<String>,
    pub invariants: Vec<String>,
    pub properties: Vec<String>,
    pub constraints: Vec<String>,
    pub symmetry: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CfgError(pub String);

impl fmt::Display for CfgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CfgError {}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Sym(&'static str),
}

/// Removes `\*` line comments and `(* ... *)` block comments.
fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut depth = 0;
    while i < bytes.len() {
        if bytes[i] == '(' && bytes.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
            continue;
        }
        if depth > 0 {
            if bytes[i] == '*' && bytes.get(i + 1) == Some(&')') {
                depth -= 1;
                i += 2;
            } else {
                if bytes[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            continue;
        }
        if bytes[i] == '\\' && bytes.get(i + 1) == Some(&'*') {
            while i < bytes.len() && bytes[i] != '\n' {
                i += 1;
            }
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn tokenize(text: &str) -> Result<Vec<(usize, Tok)>, CfgError> {
    let mut toks = Vec::new();
    for (n, line) in strip_comments(text).lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_whitespace() {
                i += 1;
            } else if c == '<' && chars.get(i + 1) == Some(&'-') {
                toks.push((n + 1, Tok::Sym("<-")));
                i += 2;
            } else if c == '<' && chars.get(i + 1) == Some(&'<') {
                toks.push((n + 1, Tok::Sym("<<")));
                i += 2;
            } else if c == '>' && chars.get(i + 1) == Some(&'>') {
                toks.push((n + 1, Tok::Sym(">>")));
                i += 2;
            } else if let Some(sym) = ["=", "{", "}", ","].iter().find(|s| s.starts_with(c)) {
                toks.push((n + 1, Tok::Sym(sym)));
                i += 1;
            } else if c == '"' {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += 1;
                }
                i += 1;
                toks.push((n + 1, Tok::Word(chars[start..i.min(chars.len())].iter().collect())));
            } else if c.is_alphanumeric() || c == '_' || c == '-' {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                toks.push((n + 1, Tok::Word(chars[start..i].iter().collect())));
            } else {
                return Err(CfgError(format!("line {}: unexpected character '{c}'", n + 1)));
            }
        }
    }
    Ok(toks)
}

const KEYWORDS: &[&str] = &[
    "CONSTANT",
    "CONSTANTS",
    "INIT",
    "NEXT",
    "SPECIFICATION",
    "INVARIANT",
    "INVARIANTS",
    "PROPERTY",
    "PROPERTIES",
    "CONSTRAINT",
    "CONSTRAINTS",
    "SYMMETRY",
    "VIEW",
    "ACTION_CONSTRAINT",
    "ACTION_CONSTRAINTS",
    "CHECK_DEADLOCK",
];

fn is_keyword(t: &Tok) -> bool {
    matches!(t, Tok::Word(w) if KEYWORDS.contains(&w.as_str()))
}

/// How deeply `{...}` / `<<...>>` groups may nest in a constant's value (the twins use 2).
pub const MAX_NESTING: usize = 32;

/// The largest cfg read (the twins' are under 1 KB).
pub const MAX_CFG_BYTES: usize = 1024 * 1024;

/// Reads one constant value: a word, or a `{...}` / `<<...>>` group, as text.
fn read_value(toks: &[(usize, Tok)], i: &mut usize, depth: usize) -> Result<String, CfgError> {
    let (line, tok) = toks.get(*i).cloned().ok_or_else(|| CfgError("a constant has no value".into()))?;
    if depth > MAX_NESTING {
        return Err(CfgError(format!("line {line}: a value nests more than {MAX_NESTING} levels of {{ }} or << >>")));
    }
    match tok {
        Tok::Word(w) => {
            *i += 1;
            Ok(w)
        }
        Tok::Sym(open @ ("{" | "<<")) => {
            let close = if open == "{" { "}" } else { ">>" };
            *i += 1;
            let mut parts = Vec::new();
            loop {
                match toks.get(*i) {
                    Some((_, Tok::Sym(s))) if *s == close => {
                        *i += 1;
                        break;
                    }
                    Some((_, Tok::Sym(","))) => *i += 1,
                    Some(_) => parts.push(read_value(toks, i, depth + 1)?),
                    None => return Err(CfgError(format!("line {line}: '{open}' is never closed"))),
                }
            }
            Ok(format!("{open}{}{close}", parts.join(", ")))
        }
        Tok::Sym(s) => Err(CfgError(format!("line {line}: expected a value, found '{s}'"))),
    }
}

impl TlcCfg {
    pub fn parse(text: &str) -> Result<TlcCfg, CfgError> {
        if text.len() > MAX_CFG_BYTES {
            return Err(CfgError(format!("the cfg is {} bytes; a cfg is at most {MAX_CFG_BYTES}", text.len())));
        }
        let toks = tokenize(text)?;
        let mut cfg = TlcCfg::default();
        let mut i = 0;
        while i < toks.len() {
            let (line, Tok::Word(kw)) = toks[i].clone() else {
                return Err(CfgError(format!("line {}: expected a keyword", toks[i].0)));
            };
            i += 1;
            let mut names = Vec::new();
            match kw.as_str() {
                "CONSTANT" | "CONSTANTS" => {
                    while i < toks.len() && !is_keyword(&toks[i].1) {
                        let (l, Tok::Word(name)) = toks[i].clone() else {
                            return Err(CfgError(format!("line {}: expected a constant name", toks[i].0)));
                        };
                        i += 1;
                        match toks.get(i) {
                            Some((_, Tok::Sym("="))) => {
                                i += 1;
                                let v = read_value(&toks, &mut i, 0)?;
                                cfg.constants.push((name, v));
                            }
                            Some((_, Tok::Sym("<-"))) => {
                                i += 1;
                                let v = read_value(&toks, &mut i, 0)?;
                                cfg.substitutions.push((name, v));
                            }
                            _ => return Err(CfgError(format!("line {l}: constant {name} needs '=' or '<-'"))),
                        }
                    }
                    continue;
                }
                _ => {
                    if !KEYWORDS.contains(&kw.as_str()) {
                        return Err(CfgError(format!("line {line}: unknown keyword '{kw}'")));
                    }
                    while let Some((_, Tok::Word(w))) = toks.get(i) {
                        if is_keyword(&toks[i].1) {
                            break;
                        }
                        names.push(w.clone());
                        i += 1;
                    }
                }
            }
            let one = |names: &Vec<String>| -> Result<String, CfgError> {
                match names.as_slice() {
                    [n] => Ok(n.clone()),
                    _ => Err(CfgError(format!("line {line}: {kw} takes one name"))),
                }
            };
            match kw.as_str() {
                "INIT" => cfg.init = Some(one(&names)?),
                "NEXT" => cfg.next = Some(one(&names)?),
                "SPECIFICATION" => cfg.specification = Some(one(&names)?),
                "INVARIANT" | "INVARIANTS" => cfg.invariants.extend(names),
                "PROPERTY" | "PROPERTIES" => cfg.properties.extend(names),
                "CONSTRAINT" | "CONSTRAINTS" => cfg.constraints.extend(names),
                "SYMMETRY" => cfg.symmetry = Some(one(&names)?),
                other => return Err(CfgError(format!("line {line}: {other} is not supported by the conformance run"))),
            }
        }
        Ok(cfg)
    }

    /// The cfg's text without its SYMMETRY line, for the run without symmetry.
    pub fn without_symmetry(text: &str) -> String {
        let mut out = String::new();
        let mut skip_next_word = false;
        for line in text.lines() {
            let trimmed = line.trim();
            if skip_next_word {
                skip_next_word = false;
                if !trimmed.is_empty() && !KEYWORDS.iter().any(|k| trimmed.starts_with(k)) {
                    continue;
                }
            }
            if trimmed == "SYMMETRY" {
                skip_next_word = true;
                continue;
            }
            if trimmed.starts_with("SYMMETRY ") {
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_twin_cfg() {
        let text = r#"
\* Safe configuration.
CONSTANTS
    NumReaders = 2
    Sizes = {1, 2}
    Nodes = {n1, n2, n3}
    VerifyStamps = TRUE
    NoTornRead <- SeedNoTornRead
(* block
   comment *)
INIT Init
NEXT Next
CONSTRAINT StateConstraint
INVARIANTS
    TypeOK
    ResultIsValid
INVARIANT NoTornRead
PROPERTY TsMonotonic
SYMMETRY Symmetry
"#;
        let cfg = TlcCfg::parse(text).unwrap();
        assert_eq!(
            cfg.constants,
            vec![
                ("NumReaders".to_string(), "2".to_string()),
                ("Sizes".to_string(), "{1, 2}".to_string()),
                ("Nodes".to_string(), "{n1, n2, n3}".to_string()),
                ("VerifyStamps".to_string(), "TRUE".to_string()),
            ]
        );
        assert_eq!(cfg.substitutions, vec![("NoTornRead".to_string(), "SeedNoTornRead".to_string())]);
        assert_eq!(cfg.invariants, vec!["TypeOK", "ResultIsValid", "NoTornRead"]);
        assert_eq!(cfg.properties, vec!["TsMonotonic"]);
        assert_eq!(cfg.constraints, vec!["StateConstraint"]);
        assert_eq!(cfg.symmetry.as_deref(), Some("Symmetry"));
        assert_eq!(cfg.init.as_deref(), Some("Init"));
        let stripped = TlcCfg::parse(&TlcCfg::without_symmetry(text)).unwrap();
        assert_eq!(stripped.symmetry, None);
        assert_eq!(stripped.invariants, cfg.invariants);
    }

    #[test]
    fn negative_numbers_and_errors() {
        let cfg = TlcCfg::parse("CONSTANTS X = -1\nINIT Init\nNEXT Next").unwrap();
        assert_eq!(cfg.constants, vec![("X".to_string(), "-1".to_string())]);
        assert!(TlcCfg::parse("CONSTANTS X = {1, 2").unwrap_err().0.contains("never closed"));
        assert!(TlcCfg::parse("FOO Bar").unwrap_err().0.contains("unknown keyword"));
        assert!(TlcCfg::parse("CONSTANTS X 1").unwrap_err().0.contains("needs '='"));
    }

    #[test]
    fn hostile_cfgs_are_refused_without_a_panic() {
        let deep = format!("CONSTANTS X = {}1{}", "{".repeat(100_000), "}".repeat(100_000));
        assert_eq!(TlcCfg::parse(&deep).unwrap_err().0, "line 1: a value nests more than 32 levels of { } or << >>");
        let ok = format!("CONSTANTS X = {}1{}", "{".repeat(32), "}".repeat(32));
        assert!(TlcCfg::parse(&ok).is_ok());
        assert!(TlcCfg::parse(&"INVARIANT A\n".repeat(200_000)).unwrap_err().0.contains("a cfg is at most 1048576"));
        for text in [
            "CONSTANTS",
            "CONSTANTS X =",
            "CONSTANTS X = \"unterminated",
            "CONSTANTS = 1",
            "INIT",
            "INIT A B",
            "(* open",
            "CONSTANTS X = <<1, {2>>}",
            "SYMMETRY",
            "\u{feff}INIT Init",
        ] {
            let _ = TlcCfg::parse(text);
            let _ = TlcCfg::parse(&TlcCfg::without_symmetry(text));
        }
        assert!(TlcCfg::parse("CONSTANTS X =").unwrap_err().0.contains("no value"));
    }
}
