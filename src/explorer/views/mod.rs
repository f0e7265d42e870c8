//! Domain views: one per model, each a pure function of (previous state, state) to a
//! [`Drawing`](super::draw::Drawing), built from the shared widgets in [`super::draw`].

pub mod anti_entropy;
pub mod composed;
pub mod crdt;
pub mod ebpf_ring;
pub mod gossip;
pub mod hlc;
pub mod mvcc;
pub mod occ;
pub mod paxos;
pub mod persistence;
pub mod routes;
pub mod seqlock;
#[cfg(test)]
mod testing;

use super::draw::{Drawing, Layout, Legend};
use crate::engine::{MessageEvent, Model};

/// A model's view: what the catalogue needs to draw it. Every model of the catalogue has one
/// (`catalogue::entry` requires it), implemented in `views/<model>.rs`.
pub trait View: Model {
    /// The view's name, shown as the panel's title.
    const TITLE: &'static str;

    /// The picture of `state`, reached from `prev` if given, laid out for `layout` (a view with
    /// no narrow layout draws its wide one whatever it is given).
    fn view(&self, prev: Option<&Self::State>, state: &Self::State, layout: Layout) -> Drawing;

    /// What the view's marks and colours mean, and its notation: shown under the picture.
    fn legend(&self) -> Legend;

    /// A picture of a stretch of a trace, with its title, for models that have one (the ballot
    /// timeline of `paxos`): the cursor is at position `cursor` of `states`. None by default.
    fn trace_view(&self, _states: &[&Self::State], _cursor: usize) -> Option<(&'static str, Drawing)> {
        None
    }

    /// The ids of the view's shapes that draw the value at inspector path `path` of `state`
    /// (seqlock: `ring[0].stamp` is drawn by `slot-0`): what a lesson step's highlight lights in
    /// the picture, beside the inspector row. Empty for a path the view does not draw.
    fn shapes_for(&self, _state: &Self::State, _path: &StatePath) -> Vec<String> {
        Vec::new()
    }
}

/// The models whose view has a narrow layout of its own (see [`Layout`]): the others draw their
/// wide layout whatever they are given.
pub const NARROW_VIEWS: &[&str] = &["seqlock", "paxos", "ebpf-ring"];

/// An inspector path taken apart: `ring[0].stamp` is the variable `ring`, the keys `["0"]` and
/// the field `stamp`; `routes[0][k1]` has two keys and no field. What [`View::shapes_for`] matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatePath<'a> {
    pub var: &'a str,
    pub keys: Vec<&'a str>,
    /// What follows the keys after a dot (`stamp`, or `state.active` for a nested record).
    pub field: Option<&'a str>,
}

impl<'a> StatePath<'a> {
    /// Reads `var[key]...[key].field`; brackets may nest inside a key (`f[<<1, 2>>]`). Anything
    /// unreadable gives a path whose variable is the whole text, which no view matches.
    pub fn parse(path: &'a str) -> StatePath<'a> {
        let whole = StatePath { var: path, keys: Vec::new(), field: None };
        let head_end = path.find(['[', '.']).unwrap_or(path.len());
        let (var, mut rest) = path.split_at(head_end);
        let mut keys = Vec::new();
        while let Some(after) = rest.strip_prefix('[') {
            let mut depth = 1usize;
            let Some(close) = after.char_indices().find_map(|(i, c)| {
                match c {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(i)
            }) else {
                return whole;
            };
            keys.push(&after[..close]);
            rest = &after[close + 1..];
        }
        let field = match rest {
            "" => None,
            r => match r.strip_prefix('.') {
                Some(f) if !f.is_empty() => Some(f),
                _ => return whole,
            },
        };
        StatePath { var, keys, field }
    }

    /// The first key, if there is one.
    pub fn key(&self) -> Option<&'a str> {
        self.keys.first().copied()
    }

    /// The first field name (`state` of `state.active`).
    pub fn first_field(&self) -> Option<&'a str> {
        self.field.map(|f| f.split(['.', '[']).next().unwrap_or(f))
    }
}

/// The action that leads from `prev` to `s`, found among `prev`'s enabled actions (the first, if
/// several lead there): a view reads it to say what the step did.
pub fn last_action<M: Model>(m: &M, prev: &M::State, s: &M::State) -> Option<M::Action> {
    let mut candidates = Vec::new();
    m.actions(prev, &mut candidates);
    candidates.into_iter().find(|a| m.next_state(prev, a).as_ref() == Some(s))
}

/// What the step from `prev` to `s` did to messages, as the model declares it; nothing for the
/// initial state.
pub fn last_step_messages<M: Model>(m: &M, prev: Option<&M::State>, s: &M::State) -> Vec<MessageEvent> {
    prev.and_then(|p| last_action(m, p, s).map(|a| m.messages(p, &a, s))).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::testing::{class_of, drawing_after};
    use super::*;
    use crate::catalogue;
    use crate::engine::{replay, DynOutcome, Session};
    use crate::engine::{AnyState, DynModel};
    use crate::explorer::draw::Drawing;
    use crate::models;
    use std::sync::Arc;

    fn draw(m: &dyn DynModel, prev: Option<&AnyState>, s: &AnyState) -> Option<Drawing> {
        catalogue::builtin().draw(m, prev, s)
    }

    fn draw_trace(m: &dyn DynModel, states: &[&AnyState], cursor: usize) -> Option<(&'static str, Drawing)> {
        catalogue::builtin().draw_trace(m, states, cursor)
    }

    fn legend(m: &dyn DynModel) -> Option<Legend> {
        catalogue::builtin().legend(m)
    }

    fn shapes_for(m: &dyn DynModel, s: &AnyState, path: &str) -> Vec<String> {
        catalogue::builtin().shapes_for(m, s, path)
    }

    fn view_name(model: &str) -> &'static str {
        catalogue::builtin().view_name(model)
    }

    #[test]
    fn state_paths_read_keys_and_fields() {
        let p = StatePath::parse("ring[0].stamp");
        assert_eq!((p.var, p.keys.as_slice(), p.field), ("ring", &["0"][..], Some("stamp")));
        let p = StatePath::parse("routes[0][k1]");
        assert_eq!((p.var, p.keys.as_slice(), p.field), ("routes", &["0", "k1"][..], None));
        let p = StatePath::parse("held.state.active");
        assert_eq!((p.var, p.key(), p.first_field()), ("held", None, Some("state")));
        let p = StatePath::parse("f[<<1, [2]>>].x");
        assert_eq!((p.var, p.keys.as_slice(), p.field), ("f", &["<<1, [2]>>"][..], Some("x")));
        for bad in ["ring[0", "ring[0]x", "ring.", "ring[0]."] {
            let p = StatePath::parse(bad);
            assert_eq!((p.var, p.keys.len(), p.field), (bad, 0, None), "{bad}");
        }
    }

    #[test]
    fn a_highlight_marks_the_shapes_that_draw_a_path() {
        let m = catalogue::build("seqlock", "safe", &[]).unwrap();
        let s = Session::new(m.clone());
        let ids = shapes_for(m.as_ref(), s.state(), "ring[1].stamp");
        assert_eq!(ids, ["slot-1"]);
        let mut d = draw(m.as_ref(), None, s.state()).unwrap();
        assert_eq!(d.highlight(&ids), 1);
        assert!(class_of(&d, "slot-1").ends_with(" lesson-highlight"));
        assert!(!class_of(&d, "slot-0").contains("lesson-highlight"));
        assert!(shapes_for(m.as_ref(), s.state(), "ring[9].stamp").iter().all(|id| d.find(id).is_none()));
        assert!(shapes_for(m.as_ref(), s.state(), "nothing").is_empty());
        assert!(shapes_for(m.as_ref(), s.state(), "readStamp1[7]").is_empty());
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
        let mut steps = models::paxos::CHOSEN_THEN_NEW_QUORUM.to_vec();
        steps.push("Accept(3, <<1, 1, 2>>, v1)");
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
        let states: Vec<_> = trace.steps.iter().map(|s| &s.state).collect();
        let (title, d) = draw_trace(m.as_ref(), &states, 2).unwrap();
        assert_eq!(title, "Ballot timeline");
        let marks = d.shapes.iter().filter(|s| matches!(s.class(), c if c.starts_with("tl-"))).count();
        assert_eq!(marks, 3);
        assert!(d.find("ballot-cursor").is_some());
        assert!(draw_trace(catalogue::build("seqlock", "safe", &[]).unwrap().as_ref(), &states[..0], 0).is_none());
    }

    /// The shortest counterexample of a gap config, and the drawing of its last step.
    fn counterexample(model: &str) -> (Drawing, usize) {
        let m = catalogue::build(model, "gap", &[]).unwrap();
        let mut c = m.checker(Default::default());
        while !c.run(10_000) {}
        let DynOutcome::Violation { trace, .. } = c.result().unwrap().outcome else { panic!("{model}/gap holds") };
        let n = trace.len();
        (draw(m.as_ref(), Some(&trace.steps[n - 2].state), &trace.steps[n - 1].state).unwrap(), n)
    }

    #[test]
    fn mvcc_draws_versions_on_the_ts_axis_and_the_watermark() {
        let d = drawing_after("mvcc", "safe", &[]);
        assert!(d.caption[0].starts_with("Initial state"));
        assert!(d.find("watermark").is_none(), "no compaction yet");
        let d = drawing_after("mvcc", "safe", &["Write(k1, v1)", "Write(k1, v2)"]);
        assert_eq!(class_of(&d, "ver-k1-1"), "version live val-0");
        assert_eq!(class_of(&d, "ver-k1-2"), "version live val-1 fresh");
        assert!(d.caption[0].contains("v2 stored at the fresh ts 2 in k1's chain"), "{:?}", d.caption);
        // Safe compaction to 3: k1's ts 1 becomes a ghost; ts 2, the newest below 3, stays.
        let d = drawing_after("mvcc", "safe", &["Write(k1, v1)", "Write(k1, v2)", "Write(k2, v1)", "Compact(3)"]);
        assert_eq!(class_of(&d, "ver-k1-1"), "version ghost pruned-now");
        assert_eq!(class_of(&d, "ver-k1-2"), "version live val-1");
        assert!(d.find("watermark").unwrap().texts().iter().any(|t| t == "watermark 3"));
        assert!(class_of(&d, "read-k1").contains("good"));
        assert!(d.caption.iter().any(|c| c.contains("k1 keeps v2@2, the newest below 3")), "{:?}", d.caption);
    }

    #[test]
    fn mvcc_gap_shows_the_lost_version() {
        let (d, n) = counterexample("mvcc");
        assert_eq!(n, 4);
        // The version a read at the watermark needs is drawn as lost, not as a harmless ghost.
        assert_eq!(class_of(&d, "ver-k1-1"), "version lost pruned-now");
        assert!(class_of(&d, "key-k1").contains("lost"));
        assert!(class_of(&d, "read-k1").contains("bad"));
        assert!(d.find("read-k1").unwrap().texts().iter().any(|t| t == "read @2: nothing · ghost v1@1"));
        assert!(d.caption.iter().any(|c| c.contains("k1 lost v1@1") && c.contains("MVCC-4 fails")), "{:?}", d.caption);
    }

    #[test]
    fn routes_draws_a_gauge_per_node_against_the_catalog() {
        let d = drawing_after("routes", "safe", &["ProposeRouteChange", "ProposeRouteChange"]);
        assert!(d.find("catalog-version").unwrap().texts().contains(&"catalog v2".to_string()));
        assert_eq!(class_of(&d, "gauge-n1"), "gauge behind");
        let d = drawing_after("routes", "safe", &["ProposeRouteChange", "ProposeRouteChange", "CatalogWatcherSync(n2, 2)"]);
        assert_eq!(class_of(&d, "gauge-n2"), "gauge current fresh");
        assert!(class_of(&d, "engine-n2").contains("good"));
        assert!(d.caption[0].contains("n2's watcher installed catalog version 2"), "{:?}", d.caption);
    }

    #[test]
    fn routes_gap_flashes_the_regressed_node() {
        let (d, n) = counterexample("routes");
        assert_eq!(n, 4);
        assert_eq!(class_of(&d, "gauge-n1"), "gauge regressed fresh flash");
        assert!(class_of(&d, "node-n1").contains("regressed"));
        assert!(d.find("engine-n1").unwrap().texts().iter().any(|t| t == "engine v0 < seen v1: REGRESSED"));
        assert!(class_of(&d, "gauge-n2").ends_with("behind"));
        assert!(d.caption.iter().any(|c| c.contains("older than version 1") && c.contains("Routes-4 fails")), "{:?}", d.caption);
        // One step later the regression no longer flashes, but it is still red.
        let d = drawing_after("routes", "gap", &["ProposeRouteChange", "CatalogWatcherSync(n1, 1)", "CatalogWatcherSync(n1, 0)", "ProposeRouteChange"]);
        assert_eq!(class_of(&d, "gauge-n1"), "gauge regressed");
    }

    #[test]
    fn composed_draws_the_catalog_history_and_pins_transactions() {
        let d = drawing_after("composed", "safe", &[]);
        assert_eq!(class_of(&d, "route-0-k1"), "route group-0");
        assert!(class_of(&d, "version-0").contains("current"));
        assert!(class_of(&d, "version-1").contains("unwritten"));
        assert!(d.find("txn-t1").unwrap().texts().contains(&"t1 idle".to_string()));
        let d = drawing_after("composed", "safe", &["BeginTxn(t1)", "ProposeRouteChange(k1, g2)"]);
        assert_eq!(class_of(&d, "route-1-k1"), "route group-1 fresh");
        assert!(class_of(&d, "version-1").contains("current"));
        assert!(d.caption[0].contains("k1 moves from g1 to g2"), "{:?}", d.caption);
        // t1 observed version 0: its card sits on row 0, pinned there although the catalog moved.
        let Some(crate::explorer::draw::Shape::Group { children, .. }) = d.find("txn-t1") else { panic!() };
        let crate::explorer::draw::Shape::Rect { y, .. } = children[1] else { panic!() };
        assert!(y < 66.0 + 66.0, "card on row 0, at y {y}");
        assert!(class_of(&d, "txn-t1").contains("active"));
        let d = drawing_after("composed", "safe", &["BeginTxn(t1)", "WriteIntent(t1, k1)", "ProposeRouteChange(k1, g2)", "Commit(t1, g1)"]);
        assert_eq!(class_of(&d, "txn-t1"), "txn-card committed fresh");
        assert!(d.caption[0].contains("through g1, which owned every key it wrote at version 0"), "{:?}", d.caption);
    }

    #[test]
    fn composed_gap_marks_the_commit_to_a_non_owner() {
        let (d, n) = counterexample("composed");
        assert_eq!(n, 4);
        assert_eq!(class_of(&d, "txn-t1"), "txn-card committed bad fresh");
        assert!(class_of(&d, "route-0-k1").contains("misrouted"));
        assert!(d.find("txn-t1").unwrap().texts().iter().any(|t| t == "via g2 @ ts 2 ✗"));
        assert!(d.caption.iter().any(|c| c.contains("k1 belongs to g1") && c.contains("Composed-1 fails")), "{:?}", d.caption);
    }

    #[test]
    fn every_model_in_the_catalogue_has_a_view() {
        for info in catalogue::infos() {
            let m = catalogue::build(info.name, "safe", &[]).unwrap();
            let s = Session::new(Arc::clone(&m));
            assert!(draw(m.as_ref(), None, s.state()).is_some(), "{} has no view", info.name);
        }
    }

    #[test]
    fn every_view_names_its_panel() {
        let titles: Vec<&str> = catalogue::infos().iter().map(|i| view_name(i.name)).collect();
        for (info, title) in catalogue::infos().iter().zip(&titles) {
            assert!(!title.is_empty() && *title != "State", "{}: {title:?}", info.name);
            assert_eq!(titles.iter().filter(|t| *t == title).count(), 1, "two views are titled {title}");
        }
        assert_eq!(view_name("seqlock"), "Ring slots");
        assert_eq!(view_name("no-such-model"), crate::explorer::generic::TITLE);
    }

    #[test]
    fn a_view_draws_only_the_model_its_entry_built() {
        let seqlock = catalogue::builtin().find("seqlock").unwrap().view.unwrap();
        let paxos = catalogue::build("paxos", "safe", &[]).unwrap();
        let s = Session::new(Arc::clone(&paxos));
        assert!((seqlock.view)(paxos.as_ref(), None, s.state(), Layout::Wide).is_none());
        assert!((seqlock.trace_view)(paxos.as_ref(), &[s.state()], 0).is_none());
    }

    /// Every view has a legend, and the legend tells the truth: every class its swatches carry is
    /// one the view really draws, on some seeded walk or shortest counterexample of some config.
    #[test]
    fn every_legend_shows_marks_the_view_draws() {
        use crate::engine::{random_walk_with, WalkOptions};
        fn collect(shape: &crate::explorer::draw::Shape, out: &mut std::collections::HashSet<String>) {
            out.extend(shape.class().split_whitespace().map(str::to_string));
            if let crate::explorer::draw::Shape::Group { children, .. } = shape {
                for c in children {
                    collect(c, out);
                }
            }
        }
        for info in catalogue::infos() {
            let mut drawn = std::collections::HashSet::new();
            let mut legend_of_any = None;
            for config in &info.configs {
                let m = catalogue::build(info.name, config.name, &[]).unwrap();
                legend_of_any = legend(m.as_ref());
                let mut traces = Vec::new();
                for seed in 0..40 {
                    traces.push(random_walk_with(m.as_ref(), seed, 80, WalkOptions { stop_on_violation: false, skip_stutter: true }).trace);
                }
                let mut c = m.checker(Default::default());
                while !c.run(100_000) {}
                if let Some(crate::engine::CheckResult { outcome: DynOutcome::Violation { trace, .. }, .. }) = c.result() {
                    traces.push(trace);
                }
                for t in &traces {
                    let states: Vec<&AnyState> = t.steps.iter().map(|s| &s.state).collect();
                    for i in 0..states.len() {
                        let d = draw(m.as_ref(), i.checked_sub(1).map(|j| states[j]), states[i]).unwrap();
                        d.shapes.iter().for_each(|s| collect(s, &mut drawn));
                    }
                    if let Some((_, d)) = draw_trace(m.as_ref(), &states, states.len() - 1) {
                        d.shapes.iter().for_each(|s| collect(s, &mut drawn));
                    }
                }
            }
            let legend = legend_of_any.unwrap_or_else(|| panic!("{}: no legend", info.name));
            assert!(legend.items.len() >= 3, "{}: a legend of {} marks", info.name, legend.items.len());
            assert!(!legend.notation.is_empty(), "{}: no notation explained", info.name);
            for item in &legend.items {
                for class in item.classes() {
                    assert!(drawn.contains(&class), "{}: the legend's '{}' ({}) is never drawn", info.name, class, item.meaning);
                }
            }
        }
    }

    /// The horizontal extent of a shape, its texts measured at the drawings' font (a character
    /// is about 6.6 units wide).
    fn x_extent(shape: &crate::explorer::draw::Shape) -> (f64, f64) {
        use crate::explorer::draw::{Anchor, Shape};
        match shape {
            Shape::Rect { x, w, .. } => (*x, x + w),
            Shape::Circle { cx, r, .. } => (cx - r, cx + r),
            Shape::Line { x1, x2, .. } => (x1.min(*x2), x1.max(*x2)),
            Shape::Path { .. } => (f64::INFINITY, f64::NEG_INFINITY),
            Shape::Text { x, text, anchor, .. } => {
                let w = text.chars().count() as f64 * 6.6;
                match anchor {
                    Anchor::Start => (*x, x + w),
                    Anchor::Middle => (x - w / 2.0, x + w / 2.0),
                    Anchor::End => (x - w, *x),
                }
            }
            Shape::Group { children, .. } => children.iter().map(x_extent).fold((f64::INFINITY, f64::NEG_INFINITY), |a, b| (a.0.min(b.0), a.1.max(b.1))),
        }
    }

    /// A view with a narrow layout draws, on every config along walks and counterexamples, a
    /// drawing at most `NARROW_WIDTH` wide with every mark and text inside it (nothing to scroll
    /// sideways to), the same marks under the same ids as its wide layout (lesson highlights and
    /// tests find them in both) and the same caption.
    #[test]
    fn narrow_layouts_fit_a_phone_with_the_same_marks() {
        use crate::engine::{random_walk_with, WalkOptions};
        use crate::explorer::draw::NARROW_WIDTH;
        for name in NARROW_VIEWS {
            let info = catalogue::infos().into_iter().find(|i| i.name == *name).unwrap();
            for config in &info.configs {
                let m = catalogue::build(name, config.name, &[]).unwrap();
                let mut traces: Vec<_> =
                    (0..12).map(|seed| random_walk_with(m.as_ref(), seed, 60, WalkOptions { stop_on_violation: false, skip_stutter: true }).trace).collect();
                let mut c = m.checker(Default::default());
                while !c.run(100_000) {}
                if let Some(crate::engine::CheckResult { outcome: DynOutcome::Violation { trace, .. }, .. }) = c.result() {
                    traces.push(trace);
                }
                for t in &traces {
                    let states: Vec<&AnyState> = t.steps.iter().map(|s| &s.state).collect();
                    for i in 0..states.len() {
                        let prev = i.checked_sub(1).map(|j| states[j]);
                        let wide = catalogue::builtin().draw_laid_out(m.as_ref(), prev, states[i], Layout::Wide).unwrap();
                        let narrow = catalogue::builtin().draw_laid_out(m.as_ref(), prev, states[i], Layout::Narrow).unwrap();
                        let at = format!("{name} {} step {i}", config.name);
                        assert!(narrow.width <= NARROW_WIDTH && narrow.width < wide.width, "{at}: narrow {} wide, wide {}", narrow.width, wide.width);
                        let (mut a, mut b) = (wide.ids(), narrow.ids());
                        a.sort();
                        b.sort();
                        assert_eq!(a, b, "{at}: the two layouts draw different marks");
                        assert_eq!(wide.caption, narrow.caption, "{at}");
                        for s in &narrow.shapes {
                            let (lo, hi) = x_extent(s);
                            assert!(
                                lo >= -0.5 && hi <= narrow.width + 0.5,
                                "{at}: {:?} spans {lo:.0}..{hi:.0} of {}: {:?}",
                                s.texts(),
                                narrow.width,
                                s.class()
                            );
                        }
                    }
                }
            }
        }
    }

    /// Every drawing (state views and trace views, every model and config) has a text alternative
    /// for screen readers: it starts with the caption, names what is drawn, and is generated from
    /// the state: along a walk it changes.
    #[test]
    fn every_drawing_says_what_it_shows_in_words() {
        use crate::engine::walk::{random_walk_with, WalkOptions};
        for info in catalogue::infos() {
            for config in info.configs {
                let m = catalogue::build(info.name, config.name, &[]).unwrap();
                let walk = random_walk_with(m.as_ref(), 3, 25, WalkOptions { stop_on_violation: false, skip_stutter: true });
                let states: Vec<&AnyState> = walk.trace.steps.iter().map(|s| &s.state).collect();
                let mut alts = std::collections::BTreeSet::new();
                for (i, s) in states.iter().enumerate() {
                    let d = draw(m.as_ref(), i.checked_sub(1).map(|j| states[j]), s).unwrap();
                    let alt = d.text_alternative();
                    assert!(alt.starts_with(&d.caption.join(" ")), "{} {} step {i}: {alt}", info.name, config.name);
                    assert!(alt.len() > d.caption.join(" ").len() + 10, "{} {} step {i}: names no mark: {alt}", info.name, config.name);
                    alts.insert(alt);
                    if let Some((_, t)) = draw_trace(m.as_ref(), &states[..=i], i) {
                        assert!(!t.text_alternative().is_empty(), "{} {} trace view at {i}", info.name, config.name);
                    }
                }
                assert!(states.len() < 2 || alts.len() > 1, "{} {}: the same words for every state", info.name, config.name);
            }
        }
    }
}
