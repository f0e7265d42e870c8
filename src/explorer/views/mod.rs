//! Domain views: one per model, each a pure function of (previous state, state) to a
//! [`Drawing`](super::draw::Drawing), built from the shared widgets in [`super::draw`].

pub mod ebpf_ring;
pub mod hlc;
pub mod occ;
pub mod paxos;
pub mod seqlock;

use super::draw::Drawing;
use crate::engine::{typed, AnyState, DynModel};
use crate::models;

/// The picture of `state` (reached from `prev`, if given) for models that have a view.
pub fn draw(model: &dyn DynModel, prev: Option<&AnyState>, state: &AnyState) -> Option<Drawing> {
    let any = model.as_any();
    if let Some(m) = any.downcast_ref::<models::seqlock::Seqlock>() {
        type S = models::seqlock::State;
        return Some(seqlock::view(m, prev.map(typed::<S>), typed::<S>(state)));
    }
    if let Some(m) = any.downcast_ref::<models::ebpf_ring::EbpfRing>() {
        type S = models::ebpf_ring::State;
        return Some(ebpf_ring::view(m, prev.map(typed::<S>), typed::<S>(state)));
    }
    if let Some(m) = any.downcast_ref::<models::paxos::Paxos>() {
        type S = models::paxos::State;
        return Some(paxos::view(m, prev.map(typed::<S>), typed::<S>(state)));
    }
    if let Some(m) = any.downcast_ref::<models::hlc::HlcModel>() {
        type S = models::hlc::State;
        return Some(hlc::view(m, prev.map(typed::<S>), typed::<S>(state)));
    }
    if let Some(m) = any.downcast_ref::<models::occ::Occ>() {
        type S = models::occ::State;
        return Some(occ::view(m, prev.map(typed::<S>), typed::<S>(state)));
    }
    None
}

/// A picture of a whole trace, for models that have one (the ballot timeline of `paxos`), with the
/// cursor at step `cursor`. A pure function of the trace's states.
pub fn draw_trace(model: &dyn DynModel, states: &[AnyState], cursor: usize) -> Option<(&'static str, Drawing)> {
    let any = model.as_any();
    if let Some(m) = any.downcast_ref::<models::paxos::Paxos>() {
        let typed_states: Vec<&models::paxos::State> = states.iter().map(typed::<models::paxos::State>).collect();
        return Some(("Ballot timeline", paxos::timeline(m, &typed_states, cursor)));
    }
    None
}

/// The name of a model's view, shown as the panel's title.
pub fn view_name(model: &str) -> &'static str {
    match model {
        "seqlock" => "Ring slots",
        "ebpf-ring" => "Ring strip",
        "paxos" => "Ballots",
        "hlc" => "Clocks",
        "occ" => "Keys and transactions",
        _ => "State",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;
    use crate::engine::{replay, DynOutcome, Session};
    use std::sync::Arc;

    fn drawing_after(model: &str, config: &str, labels: &[&str]) -> Drawing {
        let m = catalogue::build(model, config, &[]).unwrap();
        let labels: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
        let (trace, stop) = replay(m.as_ref(), 0, &labels);
        assert!(stop.is_none(), "{stop:?}");
        let n = trace.len();
        let prev = if n > 1 { Some(&trace.steps[n - 2].state) } else { None };
        draw(m.as_ref(), prev, &trace.steps[n - 1].state).unwrap()
    }

    fn class_of(d: &Drawing, id: &str) -> String {
        d.find(id).unwrap_or_else(|| panic!("no {id} in {:?}", d.ids())).class().to_string()
    }

    #[test]
    fn seqlock_shows_stamp_parity_and_the_writer() {
        let d = drawing_after("seqlock", "safe", &[]);
        assert_eq!(class_of(&d, "slot-0"), "cell-group empty");
        assert!(d.caption[0].starts_with("Initial state"));
        let d = drawing_after("seqlock", "safe", &["WriterBegin"]);
        assert_eq!(class_of(&d, "slot-0"), "cell-group odd");
        assert!(d.find("writer").unwrap().texts().iter().any(|t| t.contains("seq 0 · stamped")));
        assert!(d.caption[0].contains("odd stamp 1 in slot 0"));
        let d = drawing_after("seqlock", "safe", &["WriterBegin", "WriterData", "WriterFinish"]);
        assert_eq!(class_of(&d, "slot-0"), "cell-group done");
        assert!(class_of(&d, "seq-0").contains("published"));
        assert!(class_of(&d, "seq-1").contains("future"));
    }

    #[test]
    fn seqlock_shows_the_torn_read() {
        let m = catalogue::build("seqlock", "no-verify", &[]).unwrap();
        let mut c = m.checker(Default::default());
        while !c.run(10_000) {}
        let DynOutcome::Violation { trace, .. } = c.result().unwrap().outcome else { panic!() };
        let n = trace.len();
        let d = draw(m.as_ref(), Some(&trace.steps[n - 2].state), &trace.steps[n - 1].state).unwrap();
        assert!(class_of(&d, "reader-1").contains("torn"));
        assert!(d.find("r1-result").unwrap().texts().iter().any(|t| t.contains("TORN")));
        assert!(class_of(&d, "r1-result").contains("bad"));
        assert!(d.caption.iter().any(|c| c.contains("torn read")), "{:?}", d.caption);
    }

    #[test]
    fn seqlock_shows_a_lag_jump() {
        let publish = ["WriterBegin", "WriterData", "WriterFinish"];
        let mut steps: Vec<&str> = Vec::new();
        for _ in 0..3 {
            steps.extend(publish);
        }
        steps.extend(["ReaderLoadStamp1(1)", "ReaderStampMismatch(1)"]);
        let d = drawing_after("seqlock", "safe", &steps);
        assert!(d.find("lag-jump-1").is_some(), "{:?}", d.ids());
        assert!(d.caption.iter().any(|c| c.contains("lapped")));
        // One step earlier there is no jump yet.
        let d = drawing_after("seqlock", "safe", &steps[..steps.len() - 1]);
        assert!(d.find("lag-jump-1").is_none());
    }

    #[test]
    fn ebpf_ring_colours_units_by_record_state() {
        let d = drawing_after("ebpf-ring", "safe", &["ProducerReserve(2)"]);
        assert_eq!(class_of(&d, "unit-0"), "cell-group locked");
        assert_eq!(class_of(&d, "unit-1"), "cell-group locked");
        assert_eq!(class_of(&d, "unit-2"), "cell-group free");
        let d = drawing_after("ebpf-ring", "safe", &["ProducerReserve(2)", "ProducerSubmit", "ConsumerNext"]);
        assert_eq!(class_of(&d, "unit-0"), "cell-group submitted");
        assert!(class_of(&d, "held").contains("good"));
        let d = drawing_after("ebpf-ring", "safe", &["ProducerReserve(1)", "ConsumerNext"]);
        assert!(d.caption[0].contains("still Locked"));
    }

    #[test]
    fn ebpf_ring_shows_the_uninit_record_being_held() {
        let d = drawing_after("ebpf-ring", "publish-before-lock", &["ProducerReserve(1)", "ConsumerNext"]);
        assert_eq!(class_of(&d, "unit-0"), "cell-group uninit");
        assert!(class_of(&d, "held").contains("bad"));
        assert!(d.caption.iter().any(|c| c.contains("not Submitted")));
    }

    #[test]
    fn ebpf_ring_wraps_units_and_lights_the_lamp() {
        let d = drawing_after(
            "ebpf-ring",
            "safe",
            &["ProducerReserve(2)", "ProducerDiscard", "ConsumerNext", "ProducerReserve(2)", "ProducerReserve(1)", "AsyncQuery", "AsyncComplete"],
        );
        // Consumer at 2; records at offsets 2-3 and 4 (unit 0).
        assert_eq!(class_of(&d, "unit-2"), "cell-group locked");
        assert_eq!(class_of(&d, "unit-0"), "cell-group locked");
        assert_eq!(class_of(&d, "unit-1"), "cell-group free");
        assert!(class_of(&d, "async-lamp").contains("completed"));
        assert!(d.find("async-result").unwrap().texts().iter().any(|t| t == "saw consumer 2 · producer 5"));
    }

    #[test]
    fn paxos_shows_promises_accepts_and_chosen_columns() {
        let d = drawing_after("paxos", "safe", &["Promise(1, <<1, 0, 1>>)", "Promise(2, <<1, 0, 1>>)"]);
        assert!(class_of(&d, "col-0").contains("promised"), "{}", class_of(&d, "col-0"));
        assert!(class_of(&d, "cell-1-0").contains("promise"));
        assert!(class_of(&d, "cell-2-0").contains("fresh"));
        let d = drawing_after(
            "paxos",
            "safe",
            &["Promise(1, <<1, 0, 1>>)", "Promise(2, <<1, 0, 1>>)", "Accept(1, <<1, 0, 1>>, v2)", "Accept(2, <<1, 0, 1>>, v2)", "Learn(1, v2)"],
        );
        assert!(class_of(&d, "col-0").contains("chosen"));
        assert!(d.find("col-0").unwrap().texts().iter().any(|t| t == "chosen v2"));
        assert!(class_of(&d, "learned-1").contains("good"));
        assert!(d.caption[0].contains("v2 learned in round 1"));
    }

    #[test]
    fn paxos_gap_marks_the_ignored_quorum_overlap() {
        let steps = [
            "Promise(1, <<1, 0, 1>>)",
            "Promise(2, <<1, 0, 1>>)",
            "Accept(1, <<1, 0, 1>>, v2)",
            "Accept(2, <<1, 0, 1>>, v2)",
            "Learn(1, v2)",
            "Promise(2, <<1, 1, 2>>)",
            "Promise(3, <<1, 1, 2>>)",
            "Accept(3, <<1, 1, 2>>, v1)",
        ];
        let d = drawing_after("paxos", "ignore-accepted", &steps);
        assert!(d.find("ignored-2").is_some(), "acceptor 2 (in quorum {{2,3}}, had accepted v2) is marked: {:?}", d.ids());
        assert!(d.caption.iter().any(|c| c.contains("value rule was ignored") && c.contains("acceptor 2")), "{:?}", d.caption);
        let mut all = steps.to_vec();
        all.extend(["Accept(2, <<1, 1, 2>>, v1)", "Learn(1, v1)"]);
        let d = drawing_after("paxos", "ignore-accepted", &all);
        assert!(class_of(&d, "learned-1").contains("bad"));
        assert!(d.caption.iter().any(|c| c.contains("second value")));
        // On safe, the same acceptance of v1 is not possible; accepting v2 marks nothing.
        let mut safe = steps[..7].to_vec();
        safe.push("Accept(3, <<1, 1, 2>>, v2)");
        let d = drawing_after("paxos", "safe", &safe);
        assert!(d.ids().iter().all(|i| !i.starts_with("ignored")));
    }

    #[test]
    fn paxos_ballot_timeline_marks_each_step() {
        let m = catalogue::build("paxos", "safe", &[]).unwrap();
        let labels: Vec<String> = ["Promise(1, <<1, 0, 1>>)", "Promise(2, <<1, 0, 1>>)", "Accept(1, <<1, 0, 1>>, v1)"].iter().map(|s| s.to_string()).collect();
        let (trace, _) = replay(m.as_ref(), 0, &labels);
        let states: Vec<_> = trace.steps.iter().map(|s| s.state.clone()).collect();
        let (title, d) = draw_trace(m.as_ref(), &states, 2).unwrap();
        assert_eq!(title, "Ballot timeline");
        let marks = d.shapes.iter().filter(|s| matches!(s.class(), c if c.starts_with("tl-"))).count();
        assert_eq!(marks, 3);
        assert!(d.find("ballot-cursor").is_some());
        assert!(draw_trace(catalogue::build("seqlock", "safe", &[]).unwrap().as_ref(), &states[..0], 0).is_none());
    }

    #[test]
    fn every_model_in_the_catalogue_has_a_view() {
        for info in catalogue::infos() {
            let m = catalogue::build(info.name, "safe", &[]).unwrap();
            let s = Session::new(Arc::clone(&m));
            assert!(draw(m.as_ref(), None, s.state()).is_some(), "{} has no view", info.name);
        }
    }
}
