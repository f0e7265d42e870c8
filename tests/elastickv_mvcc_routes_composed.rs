//! The elastickv models of seed 003 (`mvcc`, `routes`, `composed`) at their default constants,
//! pinned to the figures TLC 2.15 prints for their twins (`tla/<model>/MC.cfg`, `MC_gap.cfg`, with
//! and without SYMMETRY; `pex conform` re-derives every one of them from TLC).
//!
//! The seed quotes, with symmetry on: MVCC 79, Routes 29 and Composed 1,684 distinct states for the
//! safe configs, and shortest gap counterexamples of 4 states (the seed's "depth 3" for MVCC and
//! Routes counts steps, not states). Every one of those is reproduced here.

use pex::catalogue;
use pex::engine::Constants;
use pex::engine::{CheckOptions, Checker, DynOutcome, ModelDef, Outcome, ViolationKind};
use pex::models::{composed::Composed, mvcc::Mvcc, routes::Routes};
use std::sync::Arc;

#[derive(Debug, PartialEq)]
struct Figures {
    distinct: u64,
    generated: u64,
    depth: u32,
    /// `None` when nothing failed; else the property and the counterexample's labels.
    violation: Option<(&'static str, Vec<String>)>,
}

fn check<M: ModelDef>(config: &str, symmetry: bool) -> (Figures, Option<String>) {
    let info = M::info();
    let model = M::build(info.config(config).unwrap(), &Constants::defaults(&info.constants)).unwrap();
    let mut c = Checker::new(Arc::new(model), CheckOptions { symmetry, ..CheckOptions::default() });
    c.run_to_end();
    let p = c.progress();
    let violation = match c.outcome().unwrap() {
        Outcome::Ok => None,
        Outcome::Violation(v) => {
            assert_eq!(v.kind, ViolationKind::Invariant);
            let m = c.model();
            Some((v.name, v.trace.iter().skip(1).map(|(a, _)| m.action_label(a.as_ref().unwrap())).collect()))
        }
        Outcome::Incomplete(r) => panic!("stopped early: {r:?}"),
    };
    (Figures { distinct: p.distinct, generated: p.generated, depth: p.depth, violation }, c.symmetry_problem().map(str::to_string))
}

fn ok(distinct: u64, generated: u64, depth: u32) -> Figures {
    Figures { distinct, generated, depth, violation: None }
}

fn bad(distinct: u64, generated: u64, depth: u32, name: &'static str, labels: &[&str]) -> Figures {
    Figures { distinct, generated, depth, violation: Some((name, labels.iter().map(|s| s.to_string()).collect())) }
}

const MVCC4: &str = "MVCC4_NoLostCommitOnSnapshotInstall";
const ROUTES4: &str = "Routes4_NoEngineRegression";
const COMPOSED1: &str = "Composed1_CommitToOwningGroup";

#[test]
fn mvcc_safe_has_the_seeds_79_states_under_symmetry() {
    assert_eq!(check::<Mvcc>("safe", true), (ok(79, 170, 5), None));
    assert_eq!(check::<Mvcc>("safe", false), (ok(313, 665, 5), None));
}

#[test]
fn mvcc_gap_loses_a_commit_in_4_states() {
    // Two writes to different keys, then compaction to 2 drops k1's only version (ts 1): a read
    // at ts 2 finds nothing where the ghost still shows the write.
    let trace = ["Write(k1, v1)", "Write(k2, v1)", "Compact(2)"];
    assert_eq!(check::<Mvcc>("gap", true), (bad(25, 28, 4, MVCC4, &trace), None));
    assert_eq!(check::<Mvcc>("gap", false), (bad(43, 43, 4, MVCC4, &trace), None));
}

#[test]
fn routes_safe_has_the_seeds_29_states_under_symmetry() {
    assert_eq!(check::<Routes>("safe", true), (ok(29, 72, 5), None));
    assert_eq!(check::<Routes>("safe", false), (ok(40, 91, 5), None));
}

#[test]
fn routes_gap_regresses_an_engine_in_4_states() {
    let trace = ["ProposeRouteChange", "CatalogWatcherSync(n1, 1)", "CatalogWatcherSync(n1, 0)"];
    assert_eq!(check::<Routes>("gap", true), (bad(14, 26, 4, ROUTES4, &trace), None));
    assert_eq!(check::<Routes>("gap", false), (bad(18, 26, 4, ROUTES4, &trace), None));
}

#[test]
fn composed_safe_has_the_seeds_1684_states_under_its_unsound_symmetry() {
    let (figures, problem) = check::<Composed>("safe", true);
    assert_eq!(figures, ok(1684, 3182, 7));
    let problem = problem.expect("the audit reports the Groups symmetry");
    assert!(problem.contains("Groups (g1→g2, g2→g1)") && problem.contains("does not preserve Init"), "{problem}");
    assert_eq!(check::<Composed>("safe", false), (ok(6015, 10671, 7), None), "without symmetry there is nothing to audit");
}

#[test]
fn composed_gap_commits_to_a_non_owner_in_4_states() {
    // The seed's "canonical" trace moves k1 to g2 first (5 states); breadth-first search finds a
    // shorter one: with nothing moved, t1 commits its write to k1 through g2, which never owned it.
    let trace = ["BeginTxn(t1)", "WriteIntent(t1, k1)", "Commit(t1, g2)"];
    let (figures, problem) = check::<Composed>("gap", true);
    assert_eq!(figures, bad(68, 101, 4, COMPOSED1, &trace));
    assert!(problem.is_some_and(|p| p.contains("Groups")));
    assert_eq!(check::<Composed>("gap", false), (bad(154, 175, 4, COMPOSED1, &trace), None));
}

#[test]
fn the_audit_passes_the_sound_symmetries_and_can_be_turned_off() {
    // Keys and Vals (mvcc) and Nodes (routes) are true symmetries: asserted with None above. For
    // composed, the audit is what reports the pinned group; without it nothing is said, and the
    // count is the same (the audit only watches).
    let info = Composed::info();
    let m = Composed::build(info.config("safe").unwrap(), &Constants::defaults(&info.constants)).unwrap();
    let mut c = Checker::new(Arc::new(m), CheckOptions { audit_symmetry: false, ..CheckOptions::default() });
    c.run_to_end();
    assert_eq!((c.progress().distinct, c.symmetry_problem()), (1684, None));
}

#[test]
fn the_erased_checker_reports_the_same_for_the_cli_and_the_app() {
    // The CLI and the web worker go through the catalogue and the erased checker.
    let model = catalogue::build("composed", "safe", &[]).unwrap();
    let mut c = model.checker(CheckOptions::default());
    while !c.run(1 << 12) {}
    let r = c.result().unwrap();
    assert!(matches!(r.outcome, DynOutcome::Ok));
    assert!(r.symmetry);
    assert_eq!(r.progress.distinct, 1684);
    assert!(r.symmetry_problem.as_deref().is_some_and(|p| p.contains("does not preserve Init")));
    let model = catalogue::build("composed", "safe", &[]).unwrap();
    let mut c = model.checker(CheckOptions { symmetry: false, ..CheckOptions::default() });
    while !c.run(1 << 12) {}
    let r = c.result().unwrap();
    assert_eq!((r.symmetry, r.progress.distinct, r.symmetry_problem), (false, 6015, None));
}

fn pex(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_pex")).args(args).output().expect("pex runs")
}

#[test]
fn pex_check_warns_about_the_unsound_group_symmetry() {
    let out = pex(&["check", "composed"]);
    assert_eq!(out.status.code(), Some(4));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Warning: the declared symmetry is not sound here: permuting Groups (g1→g2, g2→g1) does not preserve Init"), "{text}");
    assert!(text.contains("1684 distinct states found"), "{text}");
    let v: serde_json::Value = serde_json::from_slice(&pex(&["check", "composed", "--json"]).stdout).unwrap();
    assert!(v["symmetry_problem"].as_str().unwrap().contains("Groups"));
    let v: serde_json::Value = serde_json::from_slice(&pex(&["check", "composed", "--json", "--no-symmetry"]).stdout).unwrap();
    assert_eq!((v["distinct"].as_u64(), v["symmetry_problem"].is_null()), (Some(6015), true));
    // The sound symmetries raise no warning.
    for m in ["mvcc", "routes"] {
        let text = String::from_utf8_lossy(&pex(&["check", m]).stdout).to_string();
        assert!(!text.contains("Warning"), "{m}: {text}");
    }
}

#[test]
fn bad_constants_are_refused_with_a_message() {
    for (args, needle) in [
        (vec!["check", "composed", "--const", "InitGroup=g3"], "constant InitGroup: 'g3' is not in Groups = {g1, g2}"),
        (vec!["check", "mvcc", "--const", "MaxTs=9"], "constant MaxTs: 9 is out of range; allowed 1..6"),
        (vec!["check", "routes", "--const", "Nodes=9"], "constant Nodes: 9 elements; allowed 1..4"),
    ] {
        let out = pex(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle) && !err.contains("panicked"), "{args:?}: {err}");
    }
}
