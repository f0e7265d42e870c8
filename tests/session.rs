//! Sessions (step, back, forward, fork, undo) and comparing a trace across configurations.

use pex::catalogue;
use pex::engine::{compare_configs, replay, DynModel, ReplayStop, Session, StepError};
use std::sync::Arc;

fn model(name: &str, config: &str) -> Arc<dyn DynModel> {
    catalogue::build(name, config, &[]).unwrap()
}

fn labels(s: &Session) -> Vec<String> {
    s.trace().labels()
}

#[test]
fn stepping_back_and_forward() {
    let mut s = Session::new(model("seqlock", "safe"));
    s.take("WriterBegin").unwrap();
    s.take("WriterData").unwrap();
    assert_eq!((s.cursor(), s.len()), (2, 3));
    assert!(s.back());
    assert_eq!(s.current().action.as_deref(), Some("WriterBegin"));
    assert!(s.forward());
    assert!(!s.forward());
    s.go_to(0);
    assert!(!s.back());
    assert_eq!(s.current().action, None);
}

#[test]
fn taking_the_recorded_next_action_moves_forward_without_forking() {
    let mut s = Session::new(model("seqlock", "safe"));
    s.take("WriterBegin").unwrap();
    s.take("WriterData").unwrap();
    s.go_to(0);
    s.take("WriterBegin").unwrap();
    assert_eq!(s.len(), 3);
    assert!(!s.can_undo_fork());
}

#[test]
fn a_different_action_from_the_past_forks_and_the_fork_can_be_undone() {
    let mut s = Session::new(model("seqlock", "safe"));
    for a in ["WriterBegin", "WriterData", "WriterFinish"] {
        s.take(a).unwrap();
    }
    s.go_to(1);
    s.take("ReaderLoadStamp1(1)").unwrap();
    assert_eq!(labels(&s), vec!["WriterBegin", "ReaderLoadStamp1(1)"]);
    assert!(s.can_undo_fork());
    assert!(s.undo_fork());
    assert_eq!(labels(&s), vec!["WriterBegin", "WriterData", "WriterFinish"]);
    assert_eq!(s.cursor(), 1);
    assert!(!s.undo_fork());
}

#[test]
fn disabled_actions_are_refused_and_change_nothing() {
    let mut s = Session::new(model("seqlock", "safe"));
    assert_eq!(s.take("WriterData"), Err(StepError::NotEnabled("WriterData".into())));
    assert_eq!(s.take("NoSuchAction(9)"), Err(StepError::NotEnabled("NoSuchAction(9)".into())));
    assert_eq!(s.len(), 1);
}

#[test]
fn replay_stops_at_the_first_disabled_action() {
    let m = model("ebpf-ring", "safe");
    let labels: Vec<String> = ["ProducerReserve(1)", "ProducerSubmit", "ProducerSubmit"].iter().map(|s| s.to_string()).collect();
    let (trace, stop) = replay(m.as_ref(), 0, &labels);
    assert_eq!(trace.len(), 3);
    assert_eq!(stop, Some(ReplayStop::NotEnabled { position: 3, label: "ProducerSubmit".into() }));
    let (_, stop) = replay(m.as_ref(), 4, &[]);
    assert_eq!(stop, Some(ReplayStop::NoSuchInit { index: 4, count: 1 }));
}

#[test]
fn a_gap_counterexample_replayed_on_safe_shows_where_verdicts_part() {
    // The ebpf gap: reserve publishes an Uninit record, the consumer holds it.
    let gap = model("ebpf-ring", "publish-before-lock");
    let safe = model("ebpf-ring", "safe");
    let (trace, _) = replay(gap.as_ref(), 0, &["ProducerReserve(1)".to_string(), "ConsumerNext".to_string()]);
    let (other, d) = compare_configs(gap.as_ref(), &trace, safe.as_ref());
    // On safe the record is Locked, so ConsumerNext is a stutter step: same actions, Safety holds.
    assert_eq!(other.len(), 3);
    assert_eq!(d.blocked, None);
    assert_eq!(d.verdicts_differ, Some((2, "Safety".to_string())));
}

#[test]
fn a_safe_trace_replayed_on_the_gap_shows_where_an_action_stops_being_enabled() {
    let safe = model("ebpf-ring", "safe");
    let gap = model("ebpf-ring", "publish-before-lock");
    let (trace, _) = replay(safe.as_ref(), 0, &["ProducerReserve(2)".to_string(), "ProducerSubmit".to_string()]);
    let (other, d) = compare_configs(safe.as_ref(), &trace, gap.as_ref());
    assert_eq!(other.len(), 2);
    assert_eq!(d.blocked, Some((2, "ProducerSubmit".to_string())));
    assert_eq!(d.verdicts_differ, None);
}

#[test]
fn the_torn_read_is_harmless_on_safe() {
    let gap = model("seqlock", "no-verify");
    let safe = model("seqlock", "safe");
    let mut checker = gap.checker(Default::default());
    while !checker.run(1000) {}
    let result = checker.result().unwrap();
    let pex::engine::DynOutcome::Violation { trace, name, .. } = result.outcome else { panic!() };
    assert_eq!(name, "NoTornRead");
    let (other, d) = compare_configs(gap.as_ref(), &trace, safe.as_ref());
    assert_eq!(other.len(), trace.len(), "every action of the torn read is enabled on safe too");
    assert_eq!(d.verdicts_differ, Some((trace.len() - 1, "NoTornRead".to_string())));
}

#[test]
fn trace_files_round_trip() {
    let m = model("seqlock", "no-verify");
    let mut s = Session::new(m.clone());
    for _ in 0..25 {
        s.random_step(3);
    }
    let file = s.trace_file();
    let json = serde_json::to_string(&file).unwrap();
    let back: pex::engine::TraceFile = serde_json::from_str(&json).unwrap();
    let rebuilt = catalogue::build(&back.model, &back.config, &back.constants).unwrap();
    let (again, stop) = Session::replayed(rebuilt, back.init, &back.actions, usize::MAX);
    assert!(stop.is_none());
    assert_eq!(again.trace().labels(), s.trace().labels());
    assert_eq!(again.cursor(), again.len() - 1);
}

#[test]
fn changed_paths_point_at_the_field_that_moved() {
    let m = model("seqlock", "safe");
    let mut s = Session::new(m.clone());
    s.take("WriterBegin").unwrap();
    let before = s.previous().unwrap().state.clone();
    let changed = pex::engine::trace::changed_paths(m.as_ref(), &before, s.state());
    assert_eq!(changed, vec!["ring[0].stamp", "writerPC"]);
}

#[test]
fn truncating_keeps_the_first_steps_and_marks_the_trace_changed() {
    let mut s = Session::new(model("seqlock", "safe"));
    for _ in 0..6 {
        s.random_step(3).unwrap();
    }
    let (first, revision) = (labels(&s)[..3].to_vec(), s.revision());
    s.truncate(4);
    assert_eq!((s.len(), s.cursor(), labels(&s)), (4, 3, first), "three steps kept, the cursor at the last");
    assert_ne!(s.revision(), revision, "the trace did not only grow: caches keyed by revision are stale");
    let revision = s.revision();
    s.truncate(10);
    assert_eq!((s.len(), s.revision()), (4, revision), "a longer length changes nothing");
    s.truncate(0);
    assert_eq!((s.len(), s.cursor()), (1, 0), "the initial state always stays");
}

#[test]
fn a_pause_goes_back_to_the_steps_the_page_showed() {
    let mut x = pex::explorer::Explorer::for_model("seqlock").unwrap();
    for _ in 0..5 {
        x.random_step().unwrap();
    }
    let shown = (x.session().len(), x.session().cursor());
    let at_shown = x.session().trace().labels();
    // A tick queued before the pause appends steps the page never drew.
    for _ in 0..4 {
        x.random_step().unwrap();
    }
    x.back_to_shown(shown.0, shown.1);
    assert_eq!((x.session().len(), x.session().cursor(), x.session().trace().labels()), (shown.0, shown.1, at_shown));
    // Play that appended nothing after what was shown (or moved only the cursor) keeps the trace.
    x.back_to_shown(shown.0, 2);
    assert_eq!((x.session().len(), x.session().cursor()), (shown.0, 2));
}
