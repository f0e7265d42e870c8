//! The redis-rust `persistence` model (seed 000, StreamingPersistence) against the figures TLC
//! 2.15 printed for its twin (`tla/persistence/StreamingPersistence.tla`, with the cfgs'
//! constants, which are the catalogue's defaults). `pex conform --model persistence` re-derives
//! every figure from TLC itself; this test pins them so that a change to the model shows up
//! without Java. Also: the liveness verdicts and the flush-unfair lasso, the gaps' steps are safe
//! in `safe`, and the messages the model declares pair up along any walk.

use pex::catalogue;
use pex::engine::{random_walk, random_walk_with, replay, CheckOptions, DynModel, DynOutcome, Lasso, MessageOp, ViolationKind, WalkOptions};
use std::collections::HashSet;

struct Figures {
    distinct: u64,
    generated: u64,
    depth: u32,
    /// The violated invariant and the counterexample's labels, for a gap.
    violation: Option<(&'static str, &'static [&'static str])>,
}

fn check(config: &str) -> pex::engine::CheckResult {
    let m = catalogue::build("persistence", config, &[]).unwrap();
    let mut checker = m.checker(CheckOptions::default());
    while !checker.run(1 << 14) {}
    checker.result().expect("finished")
}

fn assert_figures(config: &str, want: Figures) {
    let m = catalogue::build("persistence", config, &[]).unwrap();
    let r = check(config);
    assert!(!r.symmetry, "persistence declares no symmetry");
    assert_eq!((r.progress.distinct, r.progress.generated, r.progress.depth), (want.distinct, want.generated, want.depth), "persistence/{config}");
    match (&r.outcome, want.violation) {
        (DynOutcome::Ok, None) => {}
        (DynOutcome::Violation { name, trace, .. }, Some((invariant, labels))) => {
            assert_eq!(name, invariant, "persistence/{config}");
            assert_eq!(trace.labels(), labels.iter().map(|l| l.to_string()).collect::<Vec<_>>(), "persistence/{config}");
            let verdicts = m.check_invariants(&trace.steps.last().unwrap().state);
            let failed: Vec<&str> = m.invariant_names().into_iter().zip(verdicts).filter(|(_, ok)| !ok).map(|(n, _)| n).collect();
            assert_eq!(failed, [invariant], "persistence/{config}: only the expected invariant fails at the end");
        }
        _ => panic!("persistence/{config}: unexpected outcome"),
    }
}

#[test]
fn safe_holds_on_6329_states() {
    assert_figures("safe", Figures { distinct: 6329, generated: 8158, depth: 23, violation: None });
}

#[test]
fn ack_before_flush_breaks_durability_in_three_states() {
    // Delta 1 is acknowledged on entering the buffer; the crash loses the buffer.
    let v = Some(("DurabilityGuarantee", &["PushDelta(1)", "Crash"][..]));
    assert_figures("ack-before-flush", Figures { distinct: 9, generated: 9, depth: 3, violation: v });
}

#[test]
fn manifest_first_breaks_manifest_consistency_in_five_states() {
    // The manifest lists segment 0 before it is written; the crash drops the segment's PUT.
    let v = Some(("ManifestConsistent", &["PushDelta(1)", "FlushBuffer", "UpdateManifest", "Crash"][..]));
    assert_figures("manifest-first", Figures { distinct: 44, generated: 61, depth: 5, violation: v });
}

#[test]
fn no_backpressure_overfills_the_buffer_in_four_states() {
    let v = Some(("WriteBufferBounded", &["PushDelta(1)", "PushDelta(2)", "PushDelta(3)"][..]));
    assert_figures("no-backpressure", Figures { distinct: 16, generated: 19, depth: 4, violation: v });
}

#[test]
fn eventual_flush_holds_with_fairness_on_the_flush_and_fails_without() {
    let r = check("eventually-flushed");
    assert!(matches!(r.outcome, DynOutcome::Ok));
    assert_eq!((r.progress.distinct, r.progress.generated, r.progress.depth), (6329, 8158, 23), "the search behind liveness is safe's");
    let r = check("flush-unfair");
    let DynOutcome::Violation { kind, name, trace } = r.outcome else { panic!("flush-unfair: EventualFlush should fail") };
    assert_eq!((kind, name.as_str()), (ViolationKind::Liveness, "EventualFlush"));
    // The writer fills the buffer (backpressure then refuses delta 3), and the server, never
    // obliged to start a flush, holds deltas 1 and 2 for ever.
    assert_eq!(trace.labels(), ["PushDelta(1)", "PushDelta(2)"]);
    assert_eq!(trace.lasso, Some(Lasso::Stuttering));
    let m = catalogue::build("persistence", "flush-unfair", &[]).unwrap();
    let last = &trace.steps.last().unwrap().state;
    let enabled: Vec<String> = m.choices(last).into_iter().map(|c| c.label).collect();
    assert_eq!(enabled, ["FlushBuffer", "Crash"], "only the unfair flush and the crash (never obliged) are enabled");
}

/// The invariants that fail in the last state of `labels` replayed under `config`.
fn failing_after(config: &str, labels: &[&str]) -> Vec<&'static str> {
    let m = catalogue::build("persistence", config, &[]).unwrap();
    let labels: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
    let (trace, stop) = replay(m.as_ref(), 0, &labels);
    assert!(stop.is_none(), "{config}: {stop:?}");
    let verdicts = m.check_invariants(&trace.steps.last().unwrap().state);
    m.invariant_names().into_iter().zip(verdicts).filter(|(_, ok)| !ok).map(|(n, _)| n).collect()
}

#[test]
fn the_gaps_steps_are_harmless_or_refused_in_safe() {
    // Safe acknowledges nothing on push, so the crash loses nothing acknowledged.
    assert!(failing_after("safe", &["PushDelta(1)", "Crash"]).is_empty());
    // After the ack-before-flush crash, recovery brings back nothing: the acknowledged delta is gone.
    assert_eq!(failing_after("ack-before-flush", &["PushDelta(1)", "Crash"]), ["DurabilityGuarantee"]);
    assert_eq!(failing_after("ack-before-flush", &["PushDelta(1)", "Crash", "Recover"]), ["RecoveryCompleteness"]);
    // Safe refuses UpdateManifest before WriteSegment, and a third push into a full buffer.
    let m = catalogue::build("persistence", "safe", &[]).unwrap();
    let (trace, _) = replay(m.as_ref(), 0, &["PushDelta(1)".into(), "FlushBuffer".into()]);
    let labels: Vec<String> = m.choices(&trace.steps.last().unwrap().state).into_iter().map(|c| c.label).collect();
    assert!(!labels.contains(&"UpdateManifest".to_string()), "{labels:?}");
    let (_, stop) = replay(m.as_ref(), 0, &["PushDelta(1)".into(), "PushDelta(2)".into(), "PushDelta(3)".into()]);
    assert!(stop.is_some(), "backpressure refuses the third push");
    // A crash between segment and manifest in safe leaves an orphan segment, which is harmless.
    assert!(failing_after("safe", &["PushDelta(1)", "FlushBuffer", "WriteSegment", "Crash", "Recover", "PushDelta(1)"]).is_empty());
}

#[test]
fn safe_walks_never_violate() {
    for consts in [vec![], vec![("MaxCrashes", "2"), ("MaxSegments", "5")], vec![("MaxDeltas", "2"), ("MaxBufferSize", "1")]] {
        let pairs: Vec<(String, String)> = consts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let m = catalogue::build("persistence", "safe", &pairs).unwrap();
        for seed in 0..200 {
            let walk = random_walk(m.as_ref(), seed, 80, false);
            assert!(walk.violation.is_none(), "{consts:?} seed {seed}: {:?}", walk.violation.map(|v| v.name));
        }
    }
}

/// Along any walk, every delivered or dropped message was sent earlier and is not delivered or
/// dropped twice; every step declares something; every event names nodes the model has.
fn messages_pair_up(m: &dyn DynModel, seed: u64) -> (usize, usize, usize) {
    let walk = random_walk_with(m, seed, 120, WalkOptions { stop_on_violation: false, skip_stutter: true });
    let nodes = m.nodes().len();
    let (mut sent, mut ended, mut crashes) = (HashSet::new(), HashSet::new(), 0);
    for pair in walk.trace.steps.windows(2) {
        let label = pair[1].action.as_deref().expect("a step has its action");
        let events = m.messages(&pair[0].state, label);
        assert!(!events.is_empty(), "seed {seed}: {label} declares nothing");
        for e in events {
            assert!(e.from < nodes && e.to < nodes, "seed {seed}: {label}: {e:?}");
            match e.op {
                MessageOp::Send => assert!(sent.insert(e.id.clone()), "seed {seed}: {} sent twice", e.id),
                MessageOp::Deliver | MessageOp::Drop => {
                    assert!(sent.contains(&e.id), "seed {seed}: {label}: {} was never sent", e.id);
                    assert!(ended.insert(e.id.clone()), "seed {seed}: {} delivered or dropped twice", e.id);
                }
                MessageOp::Crash | MessageOp::Recover => {
                    assert_eq!((e.from, e.to), (1, 1), "the server crashes and recovers");
                    crashes += 1;
                }
                _ => panic!("seed {seed}: {label}: unexpected {e:?}"),
            }
        }
    }
    (sent.len(), ended.len(), crashes)
}

#[test]
fn every_delivered_or_dropped_message_was_sent_earlier() {
    let (mut sent, mut ended, mut crashes) = (0, 0, 0);
    for config in ["safe", "ack-before-flush", "manifest-first", "no-backpressure"] {
        let m = catalogue::build("persistence", config, &[("MaxCrashes".into(), "3".into()), ("MaxSegments".into(), "8".into())]).unwrap();
        assert_eq!(m.nodes(), ["writer", "server", "object store"]);
        for seed in 0..100 {
            let (s, e, c) = messages_pair_up(m.as_ref(), seed);
            sent += s;
            ended += e;
            crashes += c;
        }
    }
    assert!(sent > 1000 && ended > 900 && crashes > 100, "the walks exercise the messages: {sent} sent, {ended} ended, {crashes} crashes/recoveries");
}

#[test]
fn each_step_declares_what_it_does_to_messages() {
    let m = catalogue::build("persistence", "manifest-first", &[]).unwrap();
    let labels: Vec<String> = ["PushDelta(1)", "FlushBuffer", "UpdateManifest", "Crash"].iter().map(|l| l.to_string()).collect();
    let (trace, _) = replay(m.as_ref(), 0, &labels);
    let ops =
        |i: usize| -> Vec<(MessageOp, usize, usize)> { m.messages(&trace.steps[i].state, &labels[i]).into_iter().map(|e| (e.op, e.from, e.to)).collect() };
    assert_eq!(ops(0), [(MessageOp::Send, 0, 1), (MessageOp::Deliver, 0, 1)], "the push: writer to server");
    assert_eq!(ops(1), [(MessageOp::Send, 1, 2)], "the segment's PUT leaves for the store");
    assert_eq!(ops(2), [(MessageOp::Send, 1, 2), (MessageOp::Deliver, 1, 2)], "the manifest write arrives first");
    assert_eq!(ops(3), [(MessageOp::Crash, 1, 1), (MessageOp::Drop, 1, 2)], "the crash drops the PUT");
    let put = &m.messages(&trace.steps[1].state, &labels[1])[0];
    let dropped = &m.messages(&trace.steps[3].state, &labels[3])[1];
    assert_eq!((put.id.as_str(), put.label.as_str()), ("put segment 0", "PUT seg 0 <<1>>"));
    assert_eq!(dropped.id, put.id, "the dropped PUT is the one sent");
    assert!(m.messages(&trace.steps[0].state, "NoSuchAction").is_empty(), "an unknown label declares nothing");
}
