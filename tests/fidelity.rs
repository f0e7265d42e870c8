//! Figures TLC 2.15 (`-workers 1`) printed for twins whose models were brought in line with their
//! published sources, pinned so that a change to a model shows up without Java; `pex conform`
//! re-derives each from TLC.
//!
//! - `ebpf-ring` follows the published RingBufferModel.tla (microsoft/ebpf-for-windows,
//!   models/ring_buffer/, PR #4923): `asyncCompleted` is sticky and ConsumerReturn needs the head
//!   to still be the held record. The published spec itself, run through TLC with the same
//!   constants, prints the same figures (6,067 distinct / 21,697 generated / depth 22 for the safe
//!   cfg; a 3-state counterexample after 8 states for the buggy one).
//! - `paxos`: IncrementAttempt raises an attempt by one while `attempt + 1 \in Attempts` (seed
//!   001), also when Attempts is not contiguous (`tla/paxos/MC.attempts-0-2.cfg`).

use pex::catalogue;
use pex::engine::{CheckOptions, DynOutcome};

/// (distinct, generated, depth, the violated invariant and the counterexample's labels).
fn check(model: &str, config: &str, consts: &[(&str, &str)]) -> (u64, u64, u32, Option<(String, Vec<String>)>) {
    let consts: Vec<(String, String)> = consts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let m = catalogue::build(model, config, &consts).unwrap();
    let mut c = m.checker(CheckOptions::default());
    while !c.run(1 << 14) {}
    let r = c.result().expect("finished");
    let verdict = match r.outcome {
        DynOutcome::Ok => None,
        DynOutcome::Violation { name, trace, .. } => Some((name, trace.labels())),
        DynOutcome::Incomplete(why) => panic!("{model}/{config}: incomplete ({})", why.as_str()),
    };
    (r.progress.distinct, r.progress.generated, r.progress.depth, verdict)
}

#[test]
fn ebpf_ring_safe_matches_tlc() {
    // TLC: 21697 states generated, 6067 distinct states found; depth 22.
    assert_eq!(check("ebpf-ring", "safe", &[]), (6067, 21697, 22, None));
}

#[test]
fn ebpf_ring_publish_before_lock_breaks_safety_in_three_states() {
    // TLC: Invariant Safety is violated; 8 generated, 8 distinct, depth 3; a 3-state trace.
    let labels = vec!["ProducerReserve(1)".to_string(), "ConsumerNext".to_string()];
    assert_eq!(check("ebpf-ring", "publish-before-lock", &[]), (8, 8, 3, Some(("Safety".to_string(), labels))));
}

#[test]
fn paxos_non_contiguous_attempts_match_tlc() {
    // tla/paxos/MC.attempts-0-2.cfg: IncrementAttempt never fires (0 + 1 is not in {0, 2}).
    // TLC: 100661 states generated, 12429 distinct states found; depth 15.
    assert_eq!(check("paxos", "safe", &[("Attempts", "{0, 2}")]), (12429, 100661, 15, None));
    // {0, 1, 3}: 0 -> 1 and no further. TLC (a cfg with these constants, run once; it takes
    // minutes, so it is not part of the conformance run): 4102985 generated, 390724 distinct, depth 20.
    assert_eq!(check("paxos", "safe", &[("Attempts", "{0, 1, 3}")]), (390724, 4102985, 20, None));
}

#[test]
fn paxos_contiguous_attempts_keep_their_figures() {
    // MC.cfg (Attempts = {0, 1}): TLC 452357 generated, 49716 distinct, depth 17.
    assert_eq!(check("paxos", "safe", &[("Attempts", "{0, 1}")]), (49716, 452357, 17, None));
}

#[test]
fn conformance_discovers_the_paxos_attempts_variant() {
    let tla = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tla");
    let cases = pex::tlc::conform::discover(pex::catalogue::builtin(), &tla, Some("paxos")).unwrap();
    let names: Vec<String> = cases.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["paxos/safe.attempts-0-2", "paxos/safe", "paxos/ignore-accepted"]);
    let variant = &cases[0];
    assert_eq!((variant.config.as_str(), variant.variant.as_deref()), ("safe", Some("attempts-0-2")));
    assert!(variant.constants.contains(&("Attempts".to_string(), "{0, 2}".to_string())), "{:?}", variant.constants);
    // The benchmark keeps one case per config.
    let bench = pex::tlc::conform::discover_bench(pex::catalogue::builtin(), &tla, Some("paxos")).unwrap();
    assert!(bench.iter().all(|c| c.variant.is_none()) && bench.len() == 2);
}
