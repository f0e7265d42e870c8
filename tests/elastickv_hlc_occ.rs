//! The elastickv `hlc` and `occ` models against the figures TLC 2.15 printed for their twins
//! (`tla/hlc/HLC.tla`, `tla/occ/OCC.tla`, with the cfgs' constants, which are the catalogue's
//! defaults). `pex conform --model hlc` / `--model occ` re-derives every figure from TLC itself;
//! this test pins them so that a change to a model shows up without Java.
//!
//! The seed (003) quotes, with symmetry on: HLC 3,594 distinct states and OCC 150 for the safe
//! configs, and gap counterexamples of 5 states violating HLC4_NoRegressionAcrossTerms and
//! OCC1_CommitTsAboveStart. TLC confirms all four for the twins.

use pex::catalogue;
use pex::engine::{random_walk, CheckOptions, DynModel, DynOutcome};

struct Figures {
    distinct: u64,
    generated: u64,
    depth: u32,
    /// The violated invariant and the counterexample's labels, for a gap.
    violation: Option<(&'static str, &'static [&'static str])>,
}

fn check(model: &str, config: &str, symmetry: bool) -> (pex::engine::CheckResult, std::sync::Arc<dyn DynModel>) {
    let m = catalogue::build(model, config, &[]).unwrap();
    let mut checker = m.checker(CheckOptions { symmetry, ..CheckOptions::default() });
    while !checker.run(1 << 14) {}
    (checker.result().expect("finished"), m)
}

fn assert_figures(model: &str, config: &str, symmetry: bool, want: Figures) {
    let (r, m) = check(model, config, symmetry);
    let what = format!("{model}/{config} symmetry={symmetry}");
    assert_eq!(r.symmetry, symmetry, "{what}: symmetry in use");
    assert_eq!(r.symmetry_problem, None, "{what}: the symmetry audit found a problem");
    assert_eq!((r.progress.distinct, r.progress.generated, r.progress.depth), (want.distinct, want.generated, want.depth), "{what}");
    match (&r.outcome, want.violation) {
        (DynOutcome::Ok, None) => {}
        (DynOutcome::Violation { name, trace, .. }, Some((invariant, labels))) => {
            assert_eq!(name, invariant, "{what}");
            assert_eq!(trace.len(), labels.len() + 1, "{what}: counterexample length in states");
            assert_eq!(trace.labels(), labels.iter().map(|l| l.to_string()).collect::<Vec<_>>(), "{what}");
            let last = &trace.steps.last().unwrap().state;
            let names = m.invariant_names();
            let verdicts = m.check_invariants(last);
            let failed: Vec<&str> = names.iter().zip(&verdicts).filter(|(_, ok)| !**ok).map(|(n, _)| *n).collect();
            assert_eq!(failed, [invariant], "{what}: only the expected invariant fails at the end");
        }
        (other, _) => panic!(
            "{what}: unexpected outcome {}",
            match other {
                DynOutcome::Ok => "ok".to_string(),
                DynOutcome::Violation { name, .. } => format!("violation of {name}"),
                DynOutcome::Incomplete(r) => format!("incomplete ({})", r.as_str()),
            }
        ),
    }
}

const HLC_GAP_TRACE: &[&str] = &["BecomeLeader(n1)", "IssueTimestamp(n1)", "BecomeLeader(n2)", "IssueTimestamp(n2)"];
const OCC_GAP_TRACE: &[&str] = &["BeginTxn(t1)", "WriteIntent(t1, k1)", "Prepare(t1)", "Commit(t1)"];

#[test]
fn hlc_safe_reproduces_the_seed_3594_states_with_symmetry() {
    assert_figures("hlc", "safe", true, Figures { distinct: 3594, generated: 11504, depth: 19, violation: None });
    assert_figures("hlc", "safe", false, Figures { distinct: 18277, generated: 56836, depth: 19, violation: None });
}

#[test]
fn hlc_gap_breaks_hlc4_in_five_states() {
    let v = Some(("HLC4_NoRegressionAcrossTerms", HLC_GAP_TRACE));
    assert_figures("hlc", "gap", true, Figures { distinct: 87, generated: 169, depth: 5, violation: v });
    assert_figures("hlc", "gap", false, Figures { distinct: 215, generated: 365, depth: 5, violation: v });
}

#[test]
fn occ_safe_reproduces_the_seed_150_states_with_symmetry() {
    assert_figures("occ", "safe", true, Figures { distinct: 150, generated: 425, depth: 12, violation: None });
    assert_figures("occ", "safe", false, Figures { distinct: 537, generated: 1477, depth: 12, violation: None });
}

#[test]
fn occ_gap_breaks_occ1_in_five_states() {
    let v = Some(("OCC1_CommitTsAboveStart", OCC_GAP_TRACE));
    assert_figures("occ", "gap", true, Figures { distinct: 26, generated: 63, depth: 5, violation: v });
    assert_figures("occ", "gap", false, Figures { distinct: 55, generated: 118, depth: 5, violation: v });
}

/// Other constants, each figure also printed by TLC 2.15 for the twin with that cfg.
#[test]
fn other_constants_match_tlc() {
    /// (model, config, constants, symmetry, distinct states, states generated)
    type Case = (&'static str, &'static str, &'static [(&'static str, &'static str)], bool, u64, u64);
    let cases: &[Case] = &[
        ("hlc", "safe", &[("Nodes", "{n1, n2}"), ("LogicalMax", "0"), ("MaxClockSkewMs", "0"), ("HlcPhysicalWindowMs", "1")], true, 28, 55),
        ("hlc", "safe", &[("Nodes", "{n1, n2, n3, n4}"), ("MaxWallTime", "2")], true, 2011, 7757),
        ("hlc", "safe", &[("Nodes", "{n1}"), ("MaxTerms", "3")], false, 1191, 2557),
        ("occ", "safe", &[("Keys", "{k1, k2, k3}")], true, 232, 777),
        ("occ", "safe", &[("TxnIds", "{t1, t2, t3}"), ("MaxOps", "2")], true, 756, 2674),
        ("occ", "safe", &[("Keys", "{k1}")], false, 101, 223),
    ];
    for (model, config, consts, symmetry, distinct, generated) in cases {
        let pairs: Vec<(String, String)> = consts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let m = catalogue::build(model, config, &pairs).unwrap();
        let mut checker = m.checker(CheckOptions { symmetry: *symmetry, ..CheckOptions::default() });
        while !checker.run(1 << 14) {}
        let r = checker.result().unwrap();
        assert!(matches!(r.outcome, DynOutcome::Ok), "{model} {consts:?}");
        assert_eq!((r.progress.distinct, r.progress.generated), (*distinct, *generated), "{model} {consts:?} symmetry={symmetry}");
    }
}

#[test]
fn safe_walks_never_violate() {
    for (model, consts) in [
        ("hlc", vec![]),
        ("hlc", vec![("MaxOps", "4"), ("MaxTerms", "3"), ("LogicalMax", "0")]),
        ("hlc", vec![("Nodes", "{n1, n2, n3, n4}"), ("MaxWallTime", "5")]),
        ("occ", vec![]),
        ("occ", vec![("Keys", "{k1, k2, k3}"), ("TxnIds", "{t1, t2, t3}"), ("MaxOps", "5")]),
    ] {
        let pairs: Vec<(String, String)> = consts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let m = catalogue::build(model, "safe", &pairs).unwrap();
        for seed in 0..200 {
            let walk = random_walk(m.as_ref(), seed, 60, false);
            assert!(walk.violation.is_none(), "{model} {consts:?} seed {seed}: {:?}", walk.violation.map(|v| v.name));
        }
    }
}

#[test]
fn bad_constants_are_refused_with_a_reason() {
    let err = catalogue::build("hlc", "safe", &[("MaxClockSkewMs".into(), "2".into())]).err().unwrap().to_string();
    assert!(err.contains("MaxClockSkewMs") && err.contains("below HlcPhysicalWindowMs"), "{err}");
    let err = catalogue::build("hlc", "safe", &[("Nodes".into(), "{n1, n2, n3, n4, n5}".into())]).err().unwrap().to_string();
    assert!(err.contains("Nodes"), "{err}");
    let err = catalogue::build("occ", "gap", &[("MaxTs".into(), "99".into())]).err().unwrap().to_string();
    assert!(err.contains("MaxTs") && err.contains("out of range"), "{err}");
    let err = catalogue::build("occ", "safe", &[("TxnIds".into(), "{k1, t2}".into())]).err().unwrap().to_string();
    assert!(err.contains("'k1' is in both"), "{err}");
}
