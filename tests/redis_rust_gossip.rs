//! The redis-rust `gossip` model (seed 000, GossipProtocol) against the figures TLC 2.15 printed
//! for its twin (`tla/gossip/GossipProtocol.tla`, with the cfgs' constants, which are the
//! catalogue's defaults). `pex conform --model gossip` re-derives every figure from TLC itself;
//! this test pins them so that a change to the model shows up without Java. Also: the liveness
//! verdicts and the lossy lasso, and the messages the model declares pair up along any walk.

use pex::catalogue;
use pex::engine::{random_walk, random_walk_with, replay, CheckOptions, DynModel, DynOutcome, Lasso, MessageOp, ViolationKind, WalkOptions};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

struct Figures {
    distinct: u64,
    generated: u64,
    depth: u32,
    /// The violated property and the counterexample's labels, for a gap.
    violation: Option<(&'static str, &'static [&'static str])>,
}

fn check(config: &str) -> (pex::engine::CheckResult, Arc<dyn DynModel>) {
    let m = catalogue::build("gossip", config, &[]).unwrap();
    let mut checker = m.checker(CheckOptions::default());
    while !checker.run(1 << 14) {}
    let r = checker.result().expect("finished");
    (r, m)
}

fn assert_figures(config: &str, want: Figures) {
    let (r, m) = check(config);
    assert!(!r.symmetry, "gossip declares no symmetry");
    assert_eq!((r.progress.distinct, r.progress.generated, r.progress.depth), (want.distinct, want.generated, want.depth), "gossip/{config}");
    match (&r.outcome, want.violation) {
        (DynOutcome::Ok, None) => {}
        (DynOutcome::Violation { name, trace, kind }, Some((property, labels))) => {
            assert_eq!(name, property, "gossip/{config}");
            assert_eq!(trace.labels(), labels.iter().map(|l| l.to_string()).collect::<Vec<_>>(), "gossip/{config}");
            if *kind == ViolationKind::Invariant {
                let verdicts = m.check_invariants(&trace.steps.last().unwrap().state);
                let failed: Vec<&str> = m.invariant_names().into_iter().zip(verdicts).filter(|(_, ok)| !ok).map(|(n, _)| n).collect();
                assert_eq!(failed, [property], "gossip/{config}: only the expected invariant fails at the end");
            }
        }
        (DynOutcome::Violation { name, .. }, None) => panic!("gossip/{config}: {name} fails"),
        _ => panic!("gossip/{config}: unexpected outcome"),
    }
}

#[test]
fn safe_holds_on_85152_states() {
    assert_figures("safe", Figures { distinct: 85152, generated: 417169, depth: 19, violation: None });
}

#[test]
fn no_dedup_applies_a_redelivered_delta_twice() {
    // Replica 1 broadcasts; the network hands replica 2 a copy and then the original.
    let v =
        Some(("NoDuplicateProcessing", &["CreateDelta(1, k1)", "Redeliver(2, DeltaBatch k1@1#1 e0 1->2)", "ReceiveGossip(2, DeltaBatch k1@1#1 e0 1->2)"][..]));
    assert_figures("no-dedup", Figures { distinct: 70, generated: 95, depth: 4, violation: v });
}

#[test]
fn route_to_self_sends_an_owner_its_own_delta() {
    let v = Some(("NoSelfTarget", &["EnableSelectiveMode(1)", "CreateDelta(1, k1)"][..]));
    assert_figures("route-to-self", Figures { distinct: 53, generated: 59, depth: 3, violation: v });
}

#[test]
fn without_loss_every_delta_reaches_every_owner() {
    assert_figures("delivery", Figures { distinct: 19128, generated: 76229, depth: 19, violation: None });
}

#[test]
fn a_lost_message_never_arrives() {
    // Replica 1's delta reaches replica 3 (not an owner); the copy for owner 2 is lost and nothing
    // sends it again: the behaviour stutters with owner 2 missing k1@1#1 for ever.
    const LASSO: &[&str] = &["CreateDelta(1, k1)", "ReceiveGossip(3, DeltaBatch k1@1#1 e0 1->3)", "MessageLoss(DeltaBatch k1@1#1 e0 1->2)"];
    assert_figures("delivery-lossy", Figures { distinct: 85152, generated: 417169, depth: 19, violation: Some(("GossipDelivery", LASSO)) });
    let (r, m) = check("delivery-lossy");
    let DynOutcome::Violation { kind, trace, .. } = r.outcome else { panic!("a violation") };
    assert_eq!((kind, trace.lasso), (ViolationKind::Liveness, Some(Lasso::Stuttering)));
    assert!(m.loop_obligations(&trace).iter().all(|o| !o.enabled_somewhere), "no fair receipt is enabled where it stutters: {:?}", m.loop_obligations(&trace));
}

#[test]
fn safe_walks_never_violate() {
    for consts in [vec![], vec![("Keys", "{k1, k2}"), ("MaxMessages", "3")], vec![("Replicas", "{1, 2}"), ("Owners", "{2}"), ("MaxDeltas", "3")]] {
        let pairs: Vec<(String, String)> = consts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let m = catalogue::build("gossip", "safe", &pairs).unwrap();
        for seed in 0..200 {
            let walk = random_walk(m.as_ref(), seed, 80, false);
            assert!(walk.violation.is_none(), "{consts:?} seed {seed}: {:?}", walk.violation.map(|v| v.name));
        }
    }
}

#[test]
fn owners_outside_the_replicas_are_refused() {
    let e = catalogue::build("gossip", "safe", &[("Replicas".into(), "{1, 2}".into()), ("Owners".into(), "{3}".into())]).err().expect("refused");
    assert!(format!("{e:?}").contains("Owners must be a subset of Replicas"), "{e:?}");
}

/// Along any walk: every message delivered, duplicated or dropped was sent earlier and is sent
/// once; it ends (delivered or dropped) once, and is delivered again only after a duplicate.
fn messages_pair_up(m: &dyn DynModel, seed: u64) -> (usize, usize, usize) {
    let walk = random_walk_with(m, seed, 120, WalkOptions { stop_on_violation: false, skip_stutter: true });
    let nodes = m.nodes().len();
    let (mut sent, mut ended) = (HashSet::new(), HashSet::new());
    let mut copies: HashMap<String, usize> = HashMap::new();
    let mut duplicates = 0;
    for pair in walk.trace.steps.windows(2) {
        let label = pair[1].action.as_deref().expect("a step has its action");
        let events = m.messages(&pair[0].state, label);
        assert_eq!(events.is_empty(), label.starts_with("EnableSelectiveMode"), "seed {seed}: {label}: {events:?}");
        for e in events {
            assert!(e.from < nodes && e.to < nodes, "seed {seed}: {label}: {e:?}");
            match e.op {
                MessageOp::Send => assert!(sent.insert(e.id.clone()), "seed {seed}: {} sent twice", e.id),
                MessageOp::Duplicate => {
                    assert!(sent.contains(&e.id) && !ended.contains(&e.id), "seed {seed}: {label}: {} duplicated while not in flight", e.id);
                    *copies.entry(e.id.clone()).or_default() += 1;
                    duplicates += 1;
                }
                MessageOp::Deliver | MessageOp::Drop => {
                    assert!(sent.contains(&e.id) && !ended.contains(&e.id), "seed {seed}: {label}: {} was never sent or has ended", e.id);
                    let copy = copies.get_mut(&e.id).filter(|n| **n > 0);
                    match copy {
                        Some(n) if e.op == MessageOp::Deliver => *n -= 1,
                        _ => assert!(ended.insert(e.id.clone())),
                    }
                }
                _ => panic!("seed {seed}: {label}: {e:?}"),
            }
        }
    }
    (sent.len(), ended.len(), duplicates)
}

#[test]
fn every_delivered_duplicated_or_dropped_message_was_sent_earlier() {
    let (mut sent, mut ended, mut duplicates) = (0, 0, 0);
    for config in ["safe", "no-dedup", "route-to-self", "delivery"] {
        let m = catalogue::build("gossip", config, &[("MaxMessages".into(), "4".into()), ("MaxDeltas".into(), "3".into())]).unwrap();
        assert_eq!(m.nodes(), ["replica 1", "replica 2", "replica 3"]);
        for seed in 0..100 {
            let (s, e, d) = messages_pair_up(m.as_ref(), seed);
            sent += s;
            ended += e;
            duplicates += d;
        }
    }
    assert!(sent > 1000 && ended > 500 && duplicates > 100, "the walks exercise the messages: {sent} sent, {ended} ended, {duplicates} duplicated");
}

#[test]
fn each_step_declares_what_it_does_to_messages() {
    let m = catalogue::build("gossip", "safe", &[]).unwrap();
    let (trace, _) = replay(m.as_ref(), 0, &["CreateDelta(1, k1)".into()]);
    let sends = m.messages(&trace.steps[0].state, "CreateDelta(1, k1)");
    assert_eq!(
        sends.iter().map(|e| (e.op, e.from, e.to, e.label.as_str())).collect::<Vec<_>>(),
        [(MessageOp::Send, 0, 1, "Δ k1@1#1"), (MessageOp::Send, 0, 2, "Δ k1@1#1")]
    );
    let s = &trace.steps[1].state;
    let again = m.messages(s, "Redeliver(2, DeltaBatch k1@1#1 e0 1->2)");
    assert_eq!(again.iter().map(|e| e.op).collect::<Vec<_>>(), [MessageOp::Duplicate, MessageOp::Deliver]);
    assert!(again.iter().all(|e| e.id == sends[0].id), "the copy is the message sent");
    let lost = m.messages(s, "MessageLoss(DeltaBatch k1@1#1 e0 1->3)");
    assert_eq!((lost[0].op, lost[0].id.as_str()), (MessageOp::Drop, sends[1].id.as_str()));
    let (trace, _) = replay(m.as_ref(), 0, &["AdvanceEpoch(2)".into()]);
    let beats = m.messages(&trace.steps[0].state, "AdvanceEpoch(2)");
    assert_eq!(beats.iter().map(|e| (e.from, e.to, e.label.as_str())).collect::<Vec<_>>(), [(1, 0, "♥ e1"), (1, 2, "♥ e1")]);
}
