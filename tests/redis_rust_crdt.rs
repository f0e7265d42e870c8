//! The redis-rust `crdt` model (seed 000, ReplicationConvergence) against the figures TLC 2.15
//! printed for its twin (`tla/crdt/ReplicationConvergence.tla`, with the cfgs' constants, which
//! are the catalogue's defaults). `pex conform --model crdt` re-derives every figure from TLC
//! itself; this test pins them so that a change to the model shows up without Java. Also: the
//! tie-break gap really diverges, and the messages the model declares pair up along any walk.

use pex::catalogue;
use pex::engine::{random_walk, random_walk_with, replay, CheckOptions, DynModel, DynOutcome, MessageOp, WalkOptions};
use std::collections::HashSet;

struct Figures {
    distinct: u64,
    generated: u64,
    depth: u32,
    /// The violated invariant and the counterexample's labels, for a gap.
    violation: Option<(&'static str, &'static [&'static str])>,
}

fn assert_figures(config: &str, want: Figures) {
    let m = catalogue::build("crdt", config, &[]).unwrap();
    let mut checker = m.checker(CheckOptions::default());
    while !checker.run(1 << 14) {}
    let r = checker.result().expect("finished");
    assert!(!r.symmetry, "crdt declares no symmetry");
    assert_eq!((r.progress.distinct, r.progress.generated, r.progress.depth), (want.distinct, want.generated, want.depth), "crdt/{config}");
    match (&r.outcome, want.violation) {
        (DynOutcome::Ok, None) => {}
        (DynOutcome::Violation { name, trace, .. }, Some((invariant, labels))) => {
            assert_eq!(name, invariant, "crdt/{config}");
            assert_eq!(trace.labels(), labels.iter().map(|l| l.to_string()).collect::<Vec<_>>(), "crdt/{config}");
            let verdicts = m.check_invariants(&trace.steps.last().unwrap().state);
            let failed: Vec<&str> = m.invariant_names().into_iter().zip(verdicts).filter(|(_, ok)| !ok).map(|(n, _)| n).collect();
            assert_eq!(failed, [invariant], "crdt/{config}: only the expected invariant fails at the end");
        }
        _ => panic!("crdt/{config}: unexpected outcome"),
    }
}

#[test]
fn safe_holds_on_33134_states() {
    assert_figures("safe", Figures { distinct: 33134, generated: 109410, depth: 14, violation: None });
}

#[test]
fn tie_break_missing_breaks_merge_commutative_in_three_states() {
    // Two replicas write k1 at Lamport time 1: (1,1) and (1,2) tie on time, and without the
    // tie-break the merge keeps whichever register is local.
    let v = Some(("MergeCommutative", &["Set(1, k1, v1)", "Set(2, k1, v1)"][..]));
    assert_figures("tie-break-missing", Figures { distinct: 11, generated: 11, depth: 3, violation: v });
}

#[test]
fn lossy_partition_breaks_eventual_convergence_in_four_states() {
    let v = Some(("EventualConvergence", &["Set(1, k1, v1)", "CreatePartition(1, 2)", "HealPartition(1, 2)"][..]));
    assert_figures("lossy-partition", Figures { distinct: 97, generated: 131, depth: 4, violation: v });
}

/// Other constants, each figure also printed by TLC 2.15 for the twin with that cfg
/// (`tla/crdt/MC.ids-1-3-two-keys.cfg`, `MC.three-replicas.cfg`).
#[test]
fn other_constants_match_tlc() {
    /// (constants, distinct states, states generated, depth)
    type Case = (&'static [(&'static str, &'static str)], u64, u64, u32);
    let cases: &[Case] = &[
        (&[("Replicas", "{1, 3}"), ("Keys", "{k1, k2}"), ("Values", "{v1}"), ("MaxTime", "2")], 7602, 18651, 10),
        (&[("Replicas", "{1, 2, 3}"), ("Values", "{v1}"), ("MaxTime", "1")], 5288, 24457, 13),
    ];
    for (consts, distinct, generated, depth) in cases {
        let pairs: Vec<(String, String)> = consts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let m = catalogue::build("crdt", "safe", &pairs).unwrap();
        let mut checker = m.checker(CheckOptions::default());
        while !checker.run(1 << 14) {}
        let r = checker.result().unwrap();
        assert!(matches!(r.outcome, DynOutcome::Ok), "{consts:?}");
        assert_eq!((r.progress.distinct, r.progress.generated, r.progress.depth), (*distinct, *generated, *depth), "{consts:?}");
    }
}

/// The invariants that fail in the last state of `labels` replayed under `config`.
fn failing_after(config: &str, labels: &[&str]) -> Vec<&'static str> {
    let m = catalogue::build("crdt", config, &[]).unwrap();
    let labels: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
    let (trace, stop) = replay(m.as_ref(), 0, &labels);
    assert!(stop.is_none(), "{config}: {stop:?}");
    let verdicts = m.check_invariants(&trace.steps.last().unwrap().state);
    m.invariant_names().into_iter().zip(verdicts).filter(|(_, ok)| !ok).map(|(n, _)| n).collect()
}

#[test]
fn without_the_tie_break_the_replicas_diverge_for_good() {
    // The gap's counterexample, continued: each replica takes the other's delta and keeps its own.
    let both_receive = ["Set(1, k1, v1)", "Set(2, k1, v1)", "ReceiveDelta(1, k1=v1 @(1,2))", "ReceiveDelta(2, k1=v1 @(1,1))"];
    assert_eq!(failing_after("tie-break-missing", &both_receive), ["MergeCommutative", "EventualConvergence"]);
    // The same steps in safe: both end with (1,2), the higher replica id.
    assert!(failing_after("safe", &both_receive).is_empty());
}

#[test]
fn safe_partitions_hold_deltas_until_the_heal() {
    // The lossy counterexample's steps converge in safe once the held delta is delivered.
    assert!(failing_after("safe", &["Set(1, k1, v1)", "CreatePartition(1, 2)", "HealPartition(1, 2)"]).is_empty());
    let m = catalogue::build("crdt", "safe", &[]).unwrap();
    let (trace, _) = replay(m.as_ref(), 0, &["Set(1, k1, v1)".into(), "CreatePartition(1, 2)".into()]);
    let labels: Vec<String> = m.choices(&trace.steps.last().unwrap().state).into_iter().map(|c| c.label).collect();
    assert!(!labels.iter().any(|l| l.starts_with("ReceiveDelta")), "a cut link delivers nothing: {labels:?}");
    assert!(failing_after("safe", &["Set(1, k1, v1)", "CreatePartition(1, 2)", "HealPartition(1, 2)", "ReceiveDelta(2, k1=v1 @(1,1))"]).is_empty());
}

#[test]
fn safe_walks_never_violate() {
    for consts in [vec![], vec![("Replicas", "{1, 2, 3}"), ("MaxTime", "2")], vec![("Replicas", "{1, 3}"), ("Keys", "{k1, k2}"), ("Values", "{v1}")]] {
        let pairs: Vec<(String, String)> = consts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let m = catalogue::build("crdt", "safe", &pairs).unwrap();
        for seed in 0..200 {
            let walk = random_walk(m.as_ref(), seed, 80, false);
            assert!(walk.violation.is_none(), "{consts:?} seed {seed}: {:?}", walk.violation.map(|v| v.name));
        }
    }
}

/// Along any walk, every delivered or dropped message was sent earlier and is not delivered or
/// dropped twice; every event names nodes the model has.
fn messages_pair_up(m: &dyn DynModel, seed: u64) -> (usize, usize) {
    let walk = random_walk_with(m, seed, 120, WalkOptions { stop_on_violation: false, skip_stutter: true });
    let nodes = m.nodes().len();
    let (mut sent, mut ended) = (HashSet::new(), HashSet::new());
    for pair in walk.trace.steps.windows(2) {
        let label = pair[1].action.as_deref().expect("a step has its action");
        let events = m.messages(&pair[0].state, label);
        // Only a lossy write with every link of its writer cut sends nothing.
        let may_send_nothing = m.config().name == "lossy-partition" && (label.starts_with("Set(") || label.starts_with("Delete("));
        assert!(!events.is_empty() || may_send_nothing, "seed {seed}: {label} declares nothing");
        for e in events {
            assert!(e.from < nodes && e.to < nodes, "seed {seed}: {label}: {e:?}");
            match e.op {
                MessageOp::Send => assert!(sent.insert(e.id.clone()), "seed {seed}: {} sent twice", e.id),
                MessageOp::Deliver | MessageOp::Drop => {
                    assert!(sent.contains(&e.id), "seed {seed}: {label}: {} was never sent", e.id);
                    assert!(ended.insert(e.id.clone()), "seed {seed}: {} delivered or dropped twice", e.id);
                }
                _ => assert!(!e.op.is_message()),
            }
        }
    }
    (sent.len(), ended.len())
}

#[test]
fn every_delivered_or_dropped_delta_was_sent_earlier() {
    let (mut sent, mut ended) = (0, 0);
    for config in ["safe", "tie-break-missing", "lossy-partition"] {
        let m = catalogue::build("crdt", config, &[("Replicas".into(), "{1, 2, 3}".into())]).unwrap();
        assert_eq!(m.nodes(), ["replica 1", "replica 2", "replica 3"]);
        for seed in 0..100 {
            let (s, e) = messages_pair_up(m.as_ref(), seed);
            sent += s;
            ended += e;
        }
    }
    assert!(sent > 1000 && ended > 500, "the walks exercise the messages: {sent} sent, {ended} delivered or dropped");
}

#[test]
fn each_step_declares_what_it_does_to_messages() {
    let m = catalogue::build("crdt", "lossy-partition", &[]).unwrap();
    let (trace, _) = replay(m.as_ref(), 0, &["Set(1, k1, v1)".into()]);
    let s = &trace.steps[1].state;
    let sends = m.messages(&trace.steps[0].state, "Set(1, k1, v1)");
    assert_eq!(sends.len(), 1);
    assert_eq!((sends[0].op, sends[0].from, sends[0].to, sends[0].label.as_str()), (MessageOp::Send, 0, 1, "Δ k1=v1 @(1,1)"));
    let cut = m.messages(s, "CreatePartition(1, 2)");
    assert_eq!(cut.iter().map(|e| e.op).collect::<Vec<_>>(), [MessageOp::Partition, MessageOp::Drop]);
    assert_eq!(cut[1].id, sends[0].id, "the dropped delta is the one sent");
    assert!(m.messages(s, "NoSuchAction(1)").is_empty(), "an unknown label declares nothing");
    // A model that passes no messages declares no nodes and no events.
    let seqlock = catalogue::build("seqlock", "safe", &[]).unwrap();
    let init = &seqlock.init_states()[0];
    let first = seqlock.choices(init)[0].label.clone();
    assert!(seqlock.nodes().is_empty() && seqlock.messages(init, &first).is_empty());
}

/// The liveness configs, against TLC 2.15's figures for `MC_convergence.cfg` and
/// `MC_convergence-lossy.cfg` (run with `-lncheck final`): under FairSpec the safe protocol
/// converges for good; with lossy partitions the shortest lasso writes, cuts the link (dropping
/// the delta), heals it, and then nothing is left to deliver: it stutters, diverged, for ever.
#[test]
fn convergence_holds_under_fairness_and_a_lost_delta_is_never_repaired() {
    use pex::engine::{Lasso, ViolationKind};
    let figures = |config: &str| {
        let m = catalogue::build("crdt", config, &[]).unwrap();
        assert_eq!(m.liveness_names(), ["ConvergesEventually"], "{config}");
        assert!(!m.invariant_names().contains(&"EventualConvergence"), "{config}: the temporal property stands in for the state predicate");
        let mut c = m.checker(CheckOptions::default());
        while !c.run(1 << 14) {}
        let r = c.result().unwrap();
        ((r.progress.distinct, r.progress.generated, r.progress.depth), r.outcome)
    };
    let (counts, outcome) = figures("convergence");
    assert_eq!(counts, (33134, 109410, 14));
    assert!(matches!(outcome, DynOutcome::Ok));
    let (counts, outcome) = figures("convergence-lossy");
    assert_eq!(counts, (26603, 129342, 14));
    let DynOutcome::Violation { kind, name, trace } = outcome else { panic!("convergence-lossy must fail") };
    assert_eq!((kind, name.as_str()), (ViolationKind::Liveness, "ConvergesEventually"));
    assert_eq!(trace.labels(), ["Set(1, k1, v1)", "CreatePartition(1, 2)", "HealPartition(1, 2)"]);
    assert_eq!(trace.lasso, Some(Lasso::Stuttering));
}
