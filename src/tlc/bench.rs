//! `pex bench`: our checker and TLC on the same twins and constants, side by side.

use super::conform::Case;
use super::run::run_tlc;
use crate::catalogue::{self, Catalogue};
use crate::engine::{CheckOptions, DynOutcome, ViolationKind};
use std::path::Path;
use std::process::Command;

#[derive(Clone, Debug, serde::Serialize)]
pub struct BenchRow {
    pub case: String,
    pub symmetry: bool,
    /// Threads of our checker.
    pub threads: usize,
    pub result: String,
    pub distinct: u64,
    pub generated: u64,
    pub depth: u32,
    /// Best of the repeats.
    pub pex_seconds: f64,
    pub states_per_second: f64,
    pub bytes_per_state: f64,
    /// With liveness properties: bytes per recorded edge of the state graph.
    pub bytes_per_edge: Option<f64>,
    /// Whether the case checks temporal properties (TLC and pex then run on one thread each).
    pub liveness: bool,
    pub peak_queue_bytes: u64,
    /// Peak resident memory of this case alone: of a fresh `pex check` process running the same
    /// search (see [`case_peak_memory`]). `None` where it cannot be measured.
    pub peak_memory_bytes: Option<u64>,
    pub tlc_workers: Option<usize>,
    pub tlc_distinct: Option<u64>,
    /// Wall time of the java process, JVM start included.
    pub tlc_seconds: Option<f64>,
    /// TLC's wall time over ours.
    pub ratio: Option<f64>,
    /// The same, after subtracting TLC's start-up cost (JVM, parsing; measured on a trivial spec).
    pub ratio_after_startup: Option<f64>,
}

/// Runs our checker on a case `repeat` times (best time kept).
pub fn bench_pex(catalogue: &Catalogue, case: &Case, repeat: usize, threads: usize) -> Result<BenchRow, String> {
    let model = catalogue.build(&case.model, &case.config, &case.constants).map_err(|e| e.to_string())?;
    let symmetry = case.cfg.symmetry.is_some();
    // A liveness check runs on one thread whatever is asked (see engine::liveness).
    let threads = if model.liveness_names().is_empty() { threads } else { 1 };
    let mut best: Option<BenchRow> = None;
    for _ in 0..repeat.max(1) {
        // No audit: TLC does not audit either, and the comparison is of the search itself.
        let mut checker = model.checker(CheckOptions { symmetry, audit_symmetry: false, threads, ..CheckOptions::default() });
        while !checker.run(1 << 16) {}
        let r = checker.result().expect("finished");
        let result = match &r.outcome {
            DynOutcome::Ok => "ok".to_string(),
            DynOutcome::Violation { kind: ViolationKind::Deadlock, .. } => "deadlock reached".to_string(),
            DynOutcome::Violation { name, .. } => format!("violation of {name}"),
            DynOutcome::Incomplete(reason) => format!("incomplete ({})", reason.as_str()),
        };
        let row = BenchRow {
            case: case.name(),
            symmetry: r.symmetry,
            threads,
            result,
            distinct: r.progress.distinct,
            generated: r.progress.generated,
            depth: r.progress.depth,
            pex_seconds: r.progress.seconds,
            states_per_second: r.progress.states_per_second(),
            bytes_per_state: r.footprint.bytes_per_state,
            bytes_per_edge: r.footprint.bytes_per_edge,
            liveness: !model.liveness_names().is_empty(),
            peak_queue_bytes: r.footprint.peak_queue_bytes,
            peak_memory_bytes: None,
            tlc_workers: None,
            tlc_distinct: None,
            tlc_seconds: None,
            ratio: None,
            ratio_after_startup: None,
        };
        if best.as_ref().map(|b| row.pex_seconds < b.pex_seconds).unwrap_or(true) {
            best = Some(row);
        }
    }
    let mut best = best.expect("at least one run");
    best.peak_memory_bytes = case_peak_memory(case, symmetry, threads);
    Ok(best)
}

/// The peak memory of one case on its own. This process's peak (VmHWM) covers every case run so
/// far, and even with the peak reset (`/proc/self/clear_refs`) the memory earlier cases freed but
/// the allocator kept (per-thread arenas) would count; so the same search runs once more in a fresh
/// `pex check --json` (this binary), whose own peak is the figure. `None` if that run fails or its
/// platform cannot say.
pub fn case_peak_memory(case: &Case, symmetry: bool, threads: usize) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let mut cmd = Command::new(exe);
    cmd.args(["check", &case.model, "--config", &case.config, "--json", "--no-symmetry-audit", "--threads", &threads.to_string()]);
    for (k, v) in &case.constants {
        cmd.arg("--const").arg(format!("{k}={v}"));
    }
    if !symmetry {
        cmd.arg("--no-symmetry");
    }
    let out = cmd.output().ok()?;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    json.get("peak_memory_bytes").and_then(|v| v.as_u64())
}

/// TLC's fixed cost: a run on a one-variable spec with two states.
pub fn tlc_startup_seconds(jar: &Path) -> Result<f64, String> {
    let dir = std::env::temp_dir().join(format!("pex-bench-startup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("Trivial.tla"), "---- MODULE Trivial ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = 1 - x\n====\n")
        .map_err(|e| e.to_string())?;
    std::fs::write(dir.join("Trivial.cfg"), "INIT Init\nNEXT Next\n").map_err(|e| e.to_string())?;
    let r = run_tlc(jar, &dir.join("Trivial.tla"), &dir.join("Trivial.cfg"), 1)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(r.wall_seconds)
}

/// Adds TLC's figures for the same case to a row.
pub fn add_tlc(row: &mut BenchRow, jar: &Path, case: &Case, workers: usize, startup: f64) -> Result<(), String> {
    let r = run_tlc(jar, &case.spec, &case.cfg_path, workers)?;
    row.tlc_workers = Some(workers);
    row.tlc_distinct = r.distinct;
    row.tlc_seconds = Some(r.wall_seconds);
    let ours = row.pex_seconds.max(1e-6);
    row.ratio = Some(r.wall_seconds / ours);
    row.ratio_after_startup = Some(((r.wall_seconds - startup).max(0.0)) / ours);
    Ok(())
}

// ---- The peer benchmark: our checker beside Stateright ----

/// The models written again for Stateright (`peer/`), and the cases `pex bench --peer` runs:
/// (model, config, constants other than the catalogue's defaults, what the case is).
pub const PEER_MODELS: &[&str] = &["crdt", "paxos"];
pub type PeerCase = (&'static str, &'static str, &'static [(&'static str, &'static str)], &'static str);
pub const PEER_CASES: &[PeerCase] = &[
    ("crdt", "safe", &[], "the catalogue's defaults, tla/crdt/MC.cfg"),
    ("crdt", "safe", &[("MaxTime", "4")], "one more write per replica"),
    ("paxos", "safe", &[], "the seed's constants, tla/paxos/Bench.cfg"),
];

/// How to build the Stateright side when it is missing.
pub const PEER_BUILD: &str = "cargo build --release --example stateright_peer";

#[derive(Clone, Debug, serde::Serialize)]
pub struct PeerRow {
    pub case: String,
    /// Every constant, defaults included, as `--const` would write it.
    pub constants: serde_json::Map<String, serde_json::Value>,
    pub about: &'static str,
    /// Threads of both checkers.
    pub threads: usize,
    pub distinct: u64,
    /// Our checker's best time (no symmetry, no audit: neither model declares a symmetric set).
    pub pex_seconds: f64,
    pub stateright_unique_states: Option<u64>,
    /// Stateright's best time on the model written for it (`peer/<model>.rs`).
    pub stateright_seconds: Option<f64>,
    /// Stateright's best time on our own model code (the control: the checker's cost alone).
    pub stateright_our_code_seconds: Option<f64>,
    /// Stateright's time over ours: above 1, pex is that many times faster.
    pub ratio: Option<f64>,
    /// Why the Stateright side has no figures, if it has none.
    pub stateright_error: Option<String>,
}

/// `<dir of this executable>/examples/stateright_peer`, where cargo builds the example beside pex.
pub fn peer_binary() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let path = exe.parent()?.join("examples").join(format!("stateright_peer{}", std::env::consts::EXE_SUFFIX));
    path.is_file().then_some(path)
}

/// Runs the Stateright example once; its JSON.
fn run_peer(bin: &Path, model: &str, config: &str, constants: &[(String, String)], threads: usize, our_code: bool) -> Result<serde_json::Value, String> {
    let mut cmd = Command::new(bin);
    cmd.args(["--model", model, "--config", config, "--threads", &threads.to_string(), "--json"]);
    for (k, v) in constants {
        cmd.arg("--const").arg(format!("{k}={v}"));
    }
    if our_code {
        cmd.arg("--ours");
    }
    let out = cmd.output().map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    if !out.status.success() {
        return Err(format!("{} failed: {}", bin.display(), String::from_utf8_lossy(&out.stderr).trim()));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("{}: unreadable output ({e})", bin.display()))
}

/// Our checker and Stateright on one peer case, each `repeat` times on `threads` threads (best
/// times kept). `peer` is the example's path, `None` when it is not built.
pub fn bench_peer(
    model: &str,
    config: &str,
    extra: &[(&str, &str)],
    about: &'static str,
    repeat: usize,
    threads: usize,
    peer: Option<&Path>,
) -> Result<PeerRow, String> {
    let overrides: Vec<(String, String)> = extra.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    // The peer cases are built-in models written again for Stateright (peer/).
    let built = catalogue::build(model, config, &overrides).map_err(|e| e.to_string())?;
    let mut best: Option<(f64, u64)> = None;
    for _ in 0..repeat.max(1) {
        let mut checker = built.checker(CheckOptions { symmetry: false, audit_symmetry: false, threads, ..CheckOptions::default() });
        while !checker.run(1 << 16) {}
        let r = checker.result().expect("finished");
        if !matches!(r.outcome, DynOutcome::Ok) {
            return Err(format!("{model}/{config}: our check did not end in ok"));
        }
        if best.map(|(s, _)| r.progress.seconds < s).unwrap_or(true) {
            best = Some((r.progress.seconds, r.progress.distinct));
        }
    }
    let (pex_seconds, distinct) = best.expect("at least one run");
    let info = catalogue::infos().into_iter().find(|i| i.name == model).expect("built above");
    let constants = crate::engine::Constants::build(&info.constants, &overrides).map_err(|e| e.to_string())?.to_pairs();
    let case = if extra.is_empty() {
        format!("{model}/{config}")
    } else {
        format!("{model}/{config} {}", extra.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" "))
    };
    let mut row = PeerRow {
        case,
        constants: constants.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect(),
        about,
        threads,
        distinct,
        pex_seconds,
        stateright_unique_states: None,
        stateright_seconds: None,
        stateright_our_code_seconds: None,
        ratio: None,
        stateright_error: None,
    };
    let Some(bin) = peer else {
        row.stateright_error = Some(format!("not built ({PEER_BUILD})"));
        return Ok(row);
    };
    let best_of = |our_code: bool| -> Result<(f64, u64), String> {
        let mut best: Option<(f64, u64)> = None;
        for _ in 0..repeat.max(1) {
            let json = run_peer(bin, model, config, &constants, threads, our_code)?;
            let seconds = json.get("seconds").and_then(|v| v.as_f64()).ok_or("no seconds in its output")?;
            let unique = json.get("unique_states").and_then(|v| v.as_u64()).ok_or("no unique_states in its output")?;
            if best.map(|(s, _)| seconds < s).unwrap_or(true) {
                best = Some((seconds, unique));
            }
        }
        Ok(best.expect("at least one run"))
    };
    match best_of(false) {
        Ok((seconds, unique)) => {
            row.stateright_seconds = Some(seconds);
            row.stateright_unique_states = Some(unique);
            row.ratio = Some(seconds / pex_seconds.max(1e-9));
        }
        Err(e) => row.stateright_error = Some(e),
    }
    if row.stateright_error.is_none() {
        match best_of(true) {
            Ok((seconds, _)) => row.stateright_our_code_seconds = Some(seconds),
            Err(e) => row.stateright_error = Some(e),
        }
    }
    Ok(row)
}

/// "pex is 4.2× faster" / "pex is 1.3× slower" / "about the same", from Stateright's time over ours.
pub fn peer_verdict(ratio: f64) -> String {
    if (0.95..=1.05).contains(&ratio) {
        "about the same".to_string()
    } else if ratio > 1.0 {
        format!("pex is {ratio:.1}× faster")
    } else {
        format!("pex is {:.1}× slower", 1.0 / ratio)
    }
}
