//! The peer models (`peer/`: crdt and paxos written again against Stateright) against ours: both
//! checkers run here, on the constants of the twins' own cfg files, and must find the same number
//! of distinct states; in a gap config, Stateright must find a counterexample to the invariant our
//! checker reports. Timing is `pex bench --peer`'s business, never asserted here.

// The JSON output and some fields serve the example only.
#[allow(dead_code)]
#[path = "../peer/mod.rs"]
mod peer;

use pex::engine::{CheckOptions, DynOutcome};
use pex::tlc::conform::load_case;
use std::path::Path;

/// The constants of `tla/<model>/<file>`, as `--const` pairs.
fn cfg_constants(model: &str, file: &str) -> Vec<(String, String)> {
    let info = pex::catalogue::infos().into_iter().find(|i| i.name == model).expect("a model of the catalogue");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tla").join(model);
    load_case(pex::catalogue::builtin(), &info, &dir, file).unwrap_or_else(|e| panic!("{e}")).constants
}

/// Our checker, breadth-first, no symmetry (neither model declares any), one thread: (distinct
/// states, the invariant it found violated if any).
fn ours(model: &str, config: &str, constants: &[(String, String)]) -> (u64, Option<String>) {
    let m = pex::catalogue::build(model, config, constants).unwrap_or_else(|e| panic!("{e}"));
    let mut checker = m.checker(CheckOptions { symmetry: false, audit_symmetry: false, threads: 1, ..CheckOptions::default() });
    while !checker.run(1 << 16) {}
    let r = checker.result().expect("finished");
    let violated = match &r.outcome {
        DynOutcome::Ok => None,
        DynOutcome::Violation { name, .. } => Some(name.to_string()),
        DynOutcome::Incomplete(reason) => panic!("our check stopped early: {}", reason.as_str()),
    };
    (r.progress.distinct, violated)
}

fn same_states(model: &str, cfg: &str) {
    let constants = cfg_constants(model, cfg);
    let (distinct, violated) = ours(model, "safe", &constants);
    assert_eq!(violated, None, "{model} {cfg}: safe holds in ours");
    let theirs = peer::run(model, "safe", &constants, 1, peer::Code::Peer).unwrap();
    assert_eq!(theirs.unique_states as u64, distinct, "{model} {cfg} {constants:?}: Stateright's unique states against our distinct states");
    assert!(theirs.discoveries.is_empty(), "{model} {cfg}: Stateright found counterexamples to {:?}", theirs.discoveries);
    // Stateright's threads share its work differently; the states are the same.
    let two = peer::run(model, "safe", &constants, 2, peer::Code::Peer).unwrap();
    assert_eq!(two.unique_states, theirs.unique_states, "{model} {cfg}: two threads");
    // The control: our model code under Stateright's checker.
    let control = peer::run(model, "safe", &constants, 1, peer::Code::Ours).unwrap();
    assert_eq!(control.unique_states as u64, distinct, "{model} {cfg}: our model code under Stateright");
}

fn same_violation(model: &str, config: &str, cfg: &str) {
    let constants = cfg_constants(model, cfg);
    let (_, violated) = ours(model, config, &constants);
    let violated = violated.unwrap_or_else(|| panic!("{model} {config}: our checker finds a violation"));
    let theirs = peer::run(model, config, &constants, 1, peer::Code::Peer).unwrap();
    assert!(theirs.discoveries.contains(&violated), "{model} {config}: ours breaks {violated}, Stateright found {:?}", theirs.discoveries);
}

#[test]
fn crdt_same_distinct_states_at_the_catalogue_defaults() {
    same_states("crdt", "MC.cfg");
}

#[test]
fn crdt_same_distinct_states_with_three_replicas() {
    same_states("crdt", "MC.three-replicas.cfg");
}

#[test]
fn crdt_same_distinct_states_with_ids_1_and_3_and_two_keys() {
    same_states("crdt", "MC.ids-1-3-two-keys.cfg");
}

#[test]
fn crdt_gaps_break_the_same_invariants() {
    same_violation("crdt", "tie-break-missing", "MC_tie-break-missing.cfg");
    same_violation("crdt", "lossy-partition", "MC_lossy-partition.cfg");
}

#[test]
fn paxos_same_distinct_states() {
    same_states("paxos", "MC.cfg");
    same_states("paxos", "MC.attempts-0-2.cfg");
}

#[test]
fn paxos_gap_breaks_agreement_in_both() {
    same_violation("paxos", "ignore-accepted", "MC_ignore-accepted.cfg");
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(peer::run("seqlock", "safe", &[], 1, peer::Code::Peer).unwrap_err().contains("no Stateright model"));
    assert!(peer::run("crdt", "nope", &[], 1, peer::Code::Peer).unwrap_err().contains("no config"));
    assert!(peer::run("crdt", "safe", &[("MaxTime".into(), "99".into())], 1, peer::Code::Peer).is_err());
}

/// `pex bench --peer` without the example beside it: a clear word on how to build it, our own
/// figures all the same, exit 0. (pex is copied where no `examples/` folder is.)
#[test]
fn bench_peer_without_the_example_says_how_to_build_it_and_carries_on() {
    let dir = std::env::temp_dir().join(format!("pex-peer-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pex = dir.join("pex");
    std::fs::copy(env!("CARGO_BIN_EXE_pex"), &pex).unwrap();
    let out = std::process::Command::new(&pex).args(["bench", "--peer", "--model", "crdt", "--threads", "1", "--repeat", "1", "--json"]).output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cargo build --release --example stateright_peer"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["built"], false);
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "crdt's two peer cases");
    let (distinct, _) = ours("crdt", "safe", &[]);
    assert_eq!(rows[0]["distinct"].as_u64(), Some(distinct));
    assert!(rows.iter().all(|r| r["stateright_seconds"].is_null() && r["stateright_error"].as_str().unwrap().contains("not built")));
}
