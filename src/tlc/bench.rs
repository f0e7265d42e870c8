//! `pex bench`: our checker and TLC on the same twins and constants, side by side.

use super::conform::Case;
use super::run::run_tlc;
use crate::catalogue;
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
pub fn bench_pex(case: &Case, repeat: usize, threads: usize) -> Result<BenchRow, String> {
    let model = catalogue::build(&case.model, &case.config, &case.constants).map_err(|e| e.to_string())?;
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
