//! The explorer's commands and what its panels show, natively.

use super::*;

fn labels(x: &Explorer) -> Vec<String> {
    x.session().trace().labels()
}

fn take_all(x: &mut Explorer, steps: &[&str]) {
    for s in steps {
        x.take(s).unwrap_or_else(|e| panic!("{s}: {e}"));
    }
}

pub(super) const TORN: [&str; 11] = [
    "WriterBegin",
    "WriterData",
    "WriterFinish",
    "ReaderLoadStamp1(1)",
    "WriterBegin",
    "WriterData",
    "WriterFinish",
    "WriterBegin",
    "WriterData",
    "ReaderLoadValue(1)",
    "ReaderVerify(1)",
];

#[test]
fn starts_on_the_first_model_at_its_initial_state() {
    let x = Explorer::new();
    assert_eq!(x.model().info().name, "seqlock");
    assert_eq!(x.model().config().name, "safe");
    assert_eq!(x.session().len(), 1);
    assert_eq!(x.fields().len(), 3);
    assert!(x.picture().drawing().is_some());
}

#[test]
fn invariants_panel_names_the_step_where_a_property_first_broke() {
    let mut x = Explorer::for_model("seqlock").unwrap();
    x.select_config("no-verify").unwrap();
    take_all(&mut x, &TORN);
    let rows = x.verdicts().property_rows();
    let torn = rows.iter().find(|r| r.name == "NoTornRead").unwrap();
    assert_eq!((torn.holds_now, torn.first_broken), (Some(false), Some(11)));
    assert!(rows.iter().filter(|r| r.name != "NoTornRead").all(|r| r.holds_now == Some(true) && r.first_broken.is_none()));
    x.go_to(4);
    let torn = x.verdicts().property_rows().into_iter().find(|r| r.name == "NoTornRead").unwrap();
    assert_eq!((torn.holds_now, torn.first_broken), (Some(true), Some(11)), "green now, but the trace breaks it later");
    assert_eq!(x.verdicts().first_violation(), Some((11, "NoTornRead".to_string())));
    let tl = x.verdicts().timeline(0..100);
    assert_eq!(tl.len(), 12);
    assert_eq!(tl[0].label, "Init");
    assert!(tl[11].bad && !tl[10].bad);
}

#[test]
fn switching_config_replays_and_reports_where_verdicts_part() {
    let mut x = Explorer::for_model("seqlock").unwrap();
    x.select_config("no-verify").unwrap();
    take_all(&mut x, &TORN);
    x.select_config("safe").unwrap();
    let c = x.comparison().unwrap();
    assert_eq!((c.from.as_str(), c.to.as_str()), ("no-verify", "safe"));
    assert_eq!(c.divergence.blocked, None);
    assert_eq!(c.divergence.verdicts_differ, Some((11, "NoTornRead".to_string())));
    assert_eq!(x.session().len(), 12);
    assert!(x.verdicts().first_violation().is_none(), "on safe the torn value is discarded");
    assert!(c.summary().contains("From step 11"));
}

#[test]
fn a_switch_that_drops_steps_is_reversed_by_switching_back() {
    let mut x = Explorer::for_model("ebpf-ring").unwrap();
    take_all(&mut x, &["ProducerReserve(1)", "ProducerSubmit", "ConsumerNext", "ConsumerReturn"]);
    x.select_config("publish-before-lock").unwrap();
    let c = x.comparison().unwrap().clone();
    assert_eq!(c.divergence.blocked, Some((2, "ProducerSubmit".to_string())));
    assert_eq!(x.session().len(), 2);
    assert!(c.summary().contains("step 2, ProducerSubmit, is not enabled"));
    x.select_config("safe").unwrap();
    assert_eq!(labels(&x), vec!["ProducerReserve(1)", "ProducerSubmit", "ConsumerNext", "ConsumerReturn"]);
    assert!(x.notices().as_slice().iter().any(|n| n.text.contains("restored")));
}

#[test]
fn a_bad_constant_changes_nothing_and_says_why_beside_the_field() {
    let mut x = Explorer::for_model("seqlock").unwrap();
    take_all(&mut x, &["WriterBegin"]);
    let before = x.model().constants().clone();
    x.edit_constant("MaxSeq", "42");
    let f = x.fields().iter().find(|f| f.spec.name == "MaxSeq").unwrap();
    assert_eq!(f.error.as_deref(), Some("42 is out of range; allowed 0..10"));
    assert_eq!(x.model().constants(), &before);
    assert_eq!(x.session().len(), 2);
    x.edit_constant("MaxSeq", "abc");
    assert!(x.fields()[2].error.as_deref().unwrap().contains("not an integer"));
    x.edit_constant("MaxSeq", "3");
    assert!(x.fields().iter().all(|f| f.error.is_none()));
    assert_eq!(x.model().constants().int("MaxSeq"), 3);
    assert_eq!(labels(&x), vec!["WriterBegin"], "the trace replays on the new constants");
}

#[test]
fn new_constants_that_cut_the_trace_say_so() {
    let mut x = Explorer::for_model("ebpf-ring").unwrap();
    take_all(&mut x, &["ProducerReserve(2)", "ProducerSubmit"]);
    x.edit_constant("Sizes", "{1}");
    assert_eq!(x.session().len(), 1);
    assert!(x.notices().as_slice().iter().any(|n| n.kind == NoticeKind::Warning && n.text.contains("ProducerReserve(2) is no longer enabled")));
}

#[test]
fn loading_a_counterexample_keeps_the_old_trace() {
    let mut x = Explorer::for_model("seqlock").unwrap();
    take_all(&mut x, &["WriterBegin", "WriterData"]);
    let torn: Vec<String> = TORN.iter().map(|s| s.to_string()).collect();
    x.select_config("no-verify").unwrap();
    x.load_trace(0, &torn, 11, "Counterexample from the checker").unwrap();
    assert_eq!(x.session().cursor(), 11);
    assert!(x.can_restore_previous());
    assert!(x.restore_previous());
    assert_eq!(labels(&x), vec!["WriterBegin", "WriterData"]);
    let err = x.load_trace(0, &["WriterData".to_string()], 0, "Counterexample").unwrap_err();
    assert!(err.contains("step 1: action WriterData is not enabled"));
}

#[test]
fn random_play_is_the_seeded_walk() {
    let mut x = Explorer::for_model("seqlock").unwrap();
    x.set_seed("99").unwrap();
    for _ in 0..40 {
        x.random_step().unwrap();
    }
    let walk = crate::engine::random_walk(x.model().as_ref(), 99, 40, false);
    assert_eq!(labels(&x), walk.trace.labels());
    assert!(x.set_seed("-4").unwrap_err().contains("not a seed"));
    assert_eq!(x.seed(), 99);
}

#[test]
fn random_step_reports_the_property_it_breaks() {
    let mut x = Explorer::for_model("ebpf-ring").unwrap();
    x.select_config("publish-before-lock").unwrap();
    let broke = (0..200u64).find_map(|seed| {
        x.reset();
        x.set_seed(&seed.to_string()).unwrap();
        (0..30).find_map(|_| x.random_step().and_then(|(_, b)| b))
    });
    assert_eq!(broke.as_deref(), Some("Safety"));
}

#[test]
fn links_restore_exactly_the_step() {
    let mut x = Explorer::for_model("ebpf-ring").unwrap();
    x.edit_constant("Capacity", "3");
    x.select_config("publish-before-lock").unwrap();
    x.set_seed("7").unwrap();
    take_all(&mut x, &["ProducerReserve(2)", "ProducerFinalizeLock", "ProducerSubmit", "ConsumerNext"]);
    x.go_to(2);
    let text = x.link().encode();
    assert!(text.contains("k.Capacity=3") && !text.contains("MaxOffset"), "{text}");
    let y = Explorer::from_link(&text);
    assert!(y.notices().as_slice().is_empty(), "{:?}", y.notices().as_slice());
    assert_eq!(y.model().config().name, "publish-before-lock");
    assert_eq!(y.model().constants(), x.model().constants());
    assert_eq!(y.seed(), 7);
    assert_eq!(labels(&y), labels(&x));
    assert_eq!(y.session().cursor(), 2);
    assert!(y.model().same_state(y.session().state(), x.session().state()));
}

#[test]
fn bad_links_open_the_initial_state_with_a_message() {
    for (link, needle) in [
        ("m=raft", "unknown model 'raft'"),
        ("m=seqlock&c=fast", "no config 'fast'"),
        ("m=seqlock&k.MaxSeq=77", "out of range"),
        ("m=seqlock&t=zz&h=00000000&at=1", "does not replay"),
        ("m=seqlock&seed=banana", "seed 'banana' is not a whole number"),
        ("m=seqlock&t=0.1&at=2", "its trace has no checksum 'h=' (the link may have been cut short), so its trace is dropped"),
        ("m=paxos&k.Values=4294967296", "constant Values: 4294967296 elements; allowed 1..3"),
        ("m=mvcc&k.Keys=1000000000", "constant Keys: 1000000000 elements; allowed 1..3"),
        ("m=paxos&k.Values=9223372036854775807", "a number here is a count of values: 3 means {v1, ..., v3}"),
        ("m=paxos&k.Acceptors=5", "write a set, not a number: {5}"),
        ("%%%", "could not be read"),
    ] {
        let x = Explorer::from_link(link);
        assert_eq!(x.session().len(), 1, "{link}");
        let n = x.notices().as_slice();
        assert_eq!(n.len(), 1, "{link}: {n:?}");
        assert_eq!(n[0].kind, NoticeKind::Error);
        assert!(n[0].text.contains(needle), "{link}: {}", n[0].text);
    }
    // A link whose positions replay but whose labels do not match: made by another version.
    let mut x = Explorer::for_model("seqlock").unwrap();
    take_all(&mut x, &["WriterBegin"]);
    let mut l = x.link();
    l.checksum = Some(l.checksum.unwrap() ^ 1);
    let y = Explorer::from_link(&l.encode());
    assert_eq!(y.session().len(), 1);
    assert_eq!(y.notices().as_slice().len(), 1);
    assert_eq!(y.notices().as_slice()[0].text, "This link was opened in part: its trace does not match its settings (its constants or config were edited, or it was made with another version of the model), so the link's settings are applied at the initial state.");
    // A step past the end shows the last step and says so.
    let mut l = x.link();
    l.at = 40;
    let y = Explorer::from_link(&l.encode());
    assert_eq!(y.session().cursor(), 1);
    assert_eq!(y.notices().as_slice()[0].kind, NoticeKind::Warning);
}

#[test]
fn a_link_keeps_every_part_it_can_and_names_the_rest() {
    // A bad constant keeps its default; the config, the other constants and the seed apply.
    let x = Explorer::from_link("v=1&m=paxos&c=ignore-accepted&k.Values=100000000&k.Acceptors=%7B1%2C%202%7D&k.Nope=1&seed=9");
    assert_eq!(x.model().config().name, "ignore-accepted");
    assert_eq!(x.model().constants().int_set("Acceptors"), vec![1, 2]);
    assert_eq!(x.model().constants().names("Values"), vec!["v1", "v2"]);
    assert_eq!(x.seed(), 9);
    assert_eq!(x.notices().as_slice().len(), 1);
    assert_eq!(x.notices().as_slice()[0].kind, NoticeKind::Error);
    let text = &x.notices().as_slice()[0].text;
    assert!(text.starts_with("This link was opened in part: paxos has no constant Nope (its constants are Proposers, Acceptors, Rounds, Attempts, Values), so it is ignored; constant Values: 100000000 elements; allowed 1..3"), "{text}");
    assert!(text.contains("so it keeps its default"), "{text}");
    // An unknown config falls back to safe and keeps the constants.
    let x = Explorer::from_link("m=seqlock&c=fast&k.MaxSeq=3");
    assert_eq!((x.model().config().name, x.model().constants().int("MaxSeq")), ("safe", 3));
    assert!(
        x.notices().as_slice()[0]
            .text
            .contains("model seqlock has no config 'fast'; its configs are safe, no-verify, seed-invariant, progress, progress-next-only, so safe is used"),
        "{:?}",
        x.notices().as_slice()
    );
    // Sets before members, whatever the link's order.
    let x = Explorer::from_link("m=composed&k.InitGroup=g3&k.Groups=3");
    assert!(x.notices().as_slice().is_empty(), "{:?}", x.notices().as_slice());
    assert_eq!(x.model().constants().name("InitGroup"), "g3");
    let x = Explorer::from_link("m=composed&k.InitGroup=a&k.Groups=%7Ba%2C%20b%7D");
    assert!(x.notices().as_slice().is_empty(), "{:?}", x.notices().as_slice());
    assert_eq!(x.model().constants().names("Groups"), vec!["a", "b"]);
    // A set the other constants' defaults refuse names both.
    let x = Explorer::from_link("m=composed&k.Groups=%7Ba%2C%20b%7D&k.MaxOps=2");
    assert_eq!(x.model().constants().names("Groups"), vec!["g1", "g2"]);
    assert_eq!(x.model().constants().int("MaxOps"), 2);
    assert_eq!(x.notices().as_slice()[0].text, "This link was opened in part: constant Groups = {a, b} does not fit the others (constant InitGroup: 'g1' is not in Groups = {a, b}), so it keeps its default.");
}

#[test]
fn unknown_link_parameters_are_a_warning_and_change_nothing() {
    let mut x = Explorer::for_model("seqlock").unwrap();
    x.select_config("no-verify").unwrap();
    take_all(&mut x, &TORN[..3]);
    let text = x.link().encode();
    let y = Explorer::from_link(&format!("{text}&utm_source=lms&fbclid=1"));
    assert!(y.notices().as_slice().is_empty(), "{:?}", y.notices().as_slice());
    assert_eq!(labels(&y), labels(&x));
    let y = Explorer::from_link(&format!("{text}&widget=1&utm_source=lms"));
    assert_eq!(labels(&y), labels(&x));
    assert_eq!(y.model().config().name, "no-verify");
    let texts: Vec<(&NoticeKind, &str)> = y.notices().as_slice().iter().map(|n| (&n.kind, n.text.as_str())).collect();
    assert_eq!(texts, [(&NoticeKind::Warning, "This link has parameters this version does not use; they are ignored: widget.")]);
}

#[test]
fn a_link_cut_short_keeps_its_model_and_config() {
    let mut x = Explorer::for_model("paxos").unwrap();
    x.select_config("ignore-accepted").unwrap();
    x.edit_constant("Values", "3");
    x.random_step();
    x.random_step();
    let text = x.link().encode();
    let cut = &text[..text.find("&h=").unwrap() + 4];
    let y = Explorer::from_link(cut);
    assert_eq!((y.model().info().name, y.model().config().name), ("paxos", "ignore-accepted"));
    assert_eq!(y.model().constants(), x.model().constants());
    assert_eq!(y.session().len(), 1);
    assert_eq!(y.notices().as_slice().len(), 1);
    assert!(
        y.notices().as_slice()[0].text.contains("is not an 8-digit hexadecimal number (the link may have been cut short), so its trace is dropped"),
        "{:?}",
        y.notices().as_slice()
    );
    let y = Explorer::from_link("#v=1&m=paxos&c=ignore-accepted&k.Val");
    assert_eq!(y.model().config().name, "ignore-accepted");
    assert!(y.notices().as_slice()[0].text.contains("constant Val has no value (the link may have been cut short)"), "{:?}", y.notices().as_slice());
}

#[test]
fn a_link_whose_constants_were_edited_says_so_and_applies_them() {
    let mut x = Explorer::for_model("paxos").unwrap();
    for _ in 0..6 {
        x.random_step();
    }
    let text = x.link().encode();
    // An edit that leaves the trace's actions as they were keeps the trace.
    let y = Explorer::from_link(&text.replace("c=safe", "c=safe&k.Values=3"));
    assert!(y.notices().as_slice().is_empty(), "{:?}", y.notices().as_slice());
    assert_eq!((labels(&y), y.model().constants().names("Values").len()), (labels(&x), 3));
    // One that does not: the link's settings apply, at the initial state, and the notice says why.
    let y = Explorer::from_link(&text.replace("c=safe", "c=safe&k.Acceptors=%7B1%2C2%7D"));
    assert_eq!(y.model().constants().int_set("Acceptors"), vec![1, 2]);
    assert_eq!(y.session().len(), 1);
    assert_eq!(y.notices().as_slice().len(), 1);
    assert_eq!(y.notices().as_slice()[0].text, "This link was opened in part: its trace does not replay with its settings (step 1 asks for action #17 of 14; its constants or config were edited, or it was made with another version of the model), so the link's settings are applied at the initial state.");
}

#[test]
fn trace_files_are_bounded_and_never_panic() {
    let mut y = Explorer::for_model("ebpf-ring").unwrap();
    let big = format!(r#"{{"model":"seqlock","config":"safe","constants":[],"actions":["{}"]}}"#, "x".repeat(21 * 1024 * 1024));
    assert_eq!(y.import_trace(&big).unwrap_err(), "trace file too large: 21.0 MB; a trace file is at most 20 MB");
    let long = format!(r#"{{"model":"seqlock","config":"safe","constants":[],"actions":[{}]}}"#, vec!["\"a\""; 200_001].join(","));
    assert_eq!(y.import_trace(&long).unwrap_err(), "trace file too long: 200001 actions; a trace holds at most 200000");
    let e = y.import_trace(r#"{"model":"seqlock","config":"safe","constants":[],"init":18446744073709551615,"actions":[]}"#).unwrap_err();
    assert_eq!(e, "trace file does not replay: initial state #18446744073709551615 does not exist (the model has 1 initial state, numbered from 0)");
    assert!(y.import_trace(r#"{"model":"seqlock","config":"safe","constants":[],"init":1e309,"actions":[]}"#).unwrap_err().starts_with("not a trace file: "));
    assert!(y
        .import_trace(r#"{"model":"seqlock","config":"safe","constants":[],"init":-1,"actions":[]}"#)
        .unwrap_err()
        .starts_with("not a trace file: invalid value: integer `-1`"));
    let e = y.import_trace(r#"{"model":"paxos","config":"safe","constants":[["Values","9223372036854775807"]],"actions":[]}"#).unwrap_err();
    assert!(e.starts_with("trace file: constant Values: 9223372036854775807 elements; allowed 1..3"), "{e}");
    let e = y.import_trace(r#"{"model":"seqlock","config":"safe","constants":{"MaxSeq":3},"actions":[]}"#).unwrap_err();
    assert!(e.starts_with("not a trace file: invalid type: map, expected a sequence"), "{e}");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(y.import_trace(&deep).unwrap_err().starts_with("not a trace file: invalid type: sequence"));
    let deep = format!(r#"{{"extra":{}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
    assert!(y.import_trace(&deep).unwrap_err().starts_with("not a trace file: missing field `model`"));
    assert_eq!(y.model().info().name, "ebpf-ring", "bad files change nothing");
    assert!(y.notices().as_slice().is_empty());
}

#[test]
fn trace_files_export_and_import() {
    let mut x = Explorer::for_model("seqlock").unwrap();
    take_all(&mut x, &TORN[..4]);
    let text = x.export_trace();
    let mut y = Explorer::for_model("ebpf-ring").unwrap();
    y.import_trace(&text).unwrap();
    assert_eq!(y.model().info().name, "seqlock");
    assert_eq!(labels(&y), labels(&x));
    assert!(y.restore_previous());
    assert_eq!(y.model().info().name, "ebpf-ring");
    assert!(y.import_trace("{}").unwrap_err().starts_with("not a trace file"));
    assert!(y.import_trace(r#"{"model":"seqlock","config":"safe","constants":[],"actions":["WriterData"]}"#).unwrap_err().contains("does not replay"));
    assert!(y.import_trace(r#"{"model":"seqlock","config":"x","constants":[],"actions":[]}"#).unwrap_err().contains("no config 'x'"));
    assert_eq!(y.model().info().name, "ebpf-ring", "bad files change nothing");
}

#[test]
fn actions_list_enabled_and_greyed_families() {
    let x = Explorer::for_model("seqlock").unwrap();
    let (enabled, disabled) = x.inspect().actions();
    let labels: Vec<&str> = enabled.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, vec!["WriterBegin", "ReaderLoadStamp1(1)", "ReaderLoadStamp1(2)"]);
    assert!(disabled.contains(&"WriterData") && disabled.contains(&"ReaderVerify"));
    assert!(!disabled.contains(&"WriterBegin"));
}

#[test]
fn changed_fields_and_state_tree() {
    let mut x = Explorer::for_model("ebpf-ring").unwrap();
    x.take("ProducerReserve(2)").unwrap();
    assert_eq!(x.inspect().changed(), vec!["producer", "reserve", "liveSize", "records"]);
    let vars = x.inspect().state_vars();
    assert_eq!(vars[0].0, "consumer");
    assert_eq!(vars.len(), 10);
}

#[test]
fn the_inspector_tree_marks_what_changed() {
    let mut x = Explorer::for_model("seqlock").unwrap();
    x.take("WriterBegin").unwrap();
    let rows = x.inspect().state_tree();
    let find = |p: &str| rows.iter().find(|r| r.path == p).unwrap_or_else(|| panic!("no row {p}"));
    assert!(find("ring[0].stamp").changed);
    assert_eq!(find("ring[0].stamp").text, "1");
    assert!(find("ring").inner_change && find("ring[0]").inner_change);
    assert!(!find("ring[1].stamp").changed && !find("ring[1]").inner_change);
    assert!(find("writerPC").changed);
    assert!(!find("cursor").changed && !find("cursor").inner_change);
    assert_eq!(find("ring[0].value").depth, 2);
    assert_eq!(find("readerPC[2]").text, "\"idle\"");
}

#[test]
fn verdicts_follow_a_fork_that_replaces_the_last_step() {
    let mut x = Explorer::for_model("seqlock").unwrap();
    x.select_config("no-verify").unwrap();
    take_all(&mut x, &TORN);
    assert_eq!(x.verdicts().first_violation(), Some((11, "NoTornRead".to_string())));
    // Replace step 11 by another action: same length, other state.
    x.go_to(10);
    x.take("ReaderLoadStamp1(2)").unwrap();
    assert_eq!(x.session().len(), 12);
    assert_eq!(x.verdicts().first_violation(), None);
    assert!(x.verdicts().property_rows().iter().all(|r| r.first_broken.is_none()));
    assert!(!x.verdicts().timeline(0..12)[11].bad);
    // And back.
    x.undo_fork();
    assert_eq!(x.verdicts().first_violation(), Some((11, "NoTornRead".to_string())));
    // Appending keeps what was scanned and adds the new steps.
    x.go_to(11);
    for _ in 0..5 {
        x.random_step();
    }
    assert_eq!(x.verdicts().first_violation(), Some((11, "NoTornRead".to_string())));
}

#[test]
fn trace_window_stays_inside_the_trace_and_centres_the_cursor() {
    use super::trace_window;
    assert_eq!(trace_window(10, 3, 80), 0..10);
    assert_eq!(trace_window(1000, 500, 80), 460..540);
    assert_eq!(trace_window(1000, 5, 80), 0..80);
    assert_eq!(trace_window(1000, 999, 80), 920..1000);
    assert_eq!(trace_window(1, 0, 80), 0..1);
    // The timeline's window moves in strides and always holds the cursor.
    for len in [1, 50, 119, 120, 121, 500] {
        for cursor in 0..len {
            let w = timeline_window(len, cursor, 120, 40);
            assert!(w.contains(&cursor) && w.len() <= 120 && w.start % 40 == 0, "{len} {cursor} {w:?}");
        }
    }
    assert_eq!(timeline_window(500, 100, 120, 40), 40..160);
    assert_eq!(timeline_window(500, 139, 120, 40), 40..160);
    assert_eq!(timeline_window(500, 140, 120, 40), 80..200);
}

#[test]
fn the_trace_view_draws_a_window_of_a_long_trace() {
    let mut x = Explorer::for_model("paxos").unwrap();
    for _ in 0..400 {
        if x.random_step().is_none() {
            break;
        }
    }
    let n = x.session().len();
    assert!(n > super::TRACE_VIEW_WINDOW, "a long enough walk ({n} states)");
    x.go_to(n / 2);
    // Its ballot timeline, then its message chart, over one same window.
    let traces = x.picture().trace_drawings();
    assert_eq!(traces.iter().map(|t| (t.title, t.chart)).collect::<Vec<_>>(), [("Ballot timeline", false), ("Messages", true)]);
    for t in traces {
        assert_eq!(t.window.len(), super::TRACE_VIEW_WINDOW);
        assert!(t.window.contains(&(n / 2)));
        assert!(t.drawing.width < 1200.0, "{}: width {} does not grow with the trace", t.title, t.drawing.width);
    }
}

#[test]
fn the_message_chart_moves_in_strides_and_a_step_leaves_the_rows_before_it_alone() {
    use super::inspector::TRACE_VIEW_STRIDE;
    use draw::Shape;
    // The row labels of a chart: their place among the drawing's top-level shapes, and the shape.
    fn row_labels(d: &draw::Drawing) -> Vec<(usize, usize, Shape)> {
        d.shapes
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let Shape::Group { children, .. } = s else { return None };
                match children.first()? {
                    Shape::Text { class, text, .. } if class.starts_with("msc-row") => Some((text.split(' ').next()?.parse().ok()?, i, s.clone())),
                    _ => None,
                }
            })
            .collect()
    }
    let mut x = Explorer::for_model("crdt").unwrap();
    x.stop_at_violation = false;
    let mut before: Option<(std::ops::Range<usize>, draw::Drawing)> = None;
    let mut same_window = 0;
    for _ in 0..3 * TRACE_VIEW_WINDOW {
        if x.random_step().is_none() {
            break;
        }
        let cursor = x.session().cursor();
        let t = x.picture().trace_drawings().pop().expect("crdt passes messages");
        assert!(t.chart);
        assert!(t.window.contains(&cursor) && t.window.len() <= TRACE_VIEW_WINDOW && t.window.start % TRACE_VIEW_STRIDE == 0, "{cursor} {:?}", t.window);
        // The step shown is the current row.
        let rows = row_labels(&t.drawing);
        let current = |s: &Shape| matches!(s, Shape::Group { children, .. } if matches!(&children[0], Shape::Text { class, .. } if class == "msc-row current"));
        assert_eq!(rows.iter().filter(|(_, _, s)| current(s)).map(|r| r.0).collect::<Vec<_>>(), [cursor]);
        if let Some((window, d)) = &before {
            if window.start == t.window.start {
                // The window only grew at its end: the rows before the last step are drawn as
                // they were, at the same place.
                same_window += 1;
                let old = row_labels(d);
                for (o, n) in old.iter().zip(&rows).filter(|(o, _)| o.0 + 1 < cursor) {
                    assert_eq!(o, n, "step {cursor}: row {} moved or changed", o.0);
                }
            }
        }
        before = Some((t.window, t.drawing));
    }
    assert!(same_window > TRACE_VIEW_WINDOW, "most steps keep the window ({same_window})");
}

#[test]
fn a_config_switch_on_a_long_trace_runs_in_slices_and_ends_as_a_switch_at_once_would() {
    let mut x = Explorer::for_model("seqlock").unwrap();
    x.stop_at_violation = false;
    while x.session().len() <= SYNC_REPLAY_STEPS + 500 {
        x.random_step().expect("seqlock's walk goes on");
    }
    let before = labels(&x);
    let mut at_once = Explorer::for_model("seqlock").unwrap();
    at_once.load_trace(0, &before, before.len(), "test").unwrap();
    at_once.job = None;
    // The reference: the same switch with every slice run at once.
    at_once.select_config("seed-invariant").unwrap();
    at_once.finish_work();

    x.select_config("seed-invariant").unwrap();
    let (what, done, all) = x.work_in_progress().expect("a long trace is replayed in slices");
    assert!(what.contains("seed-invariant"), "{what}");
    assert!(done < all);
    assert_eq!(x.model().config().name, "safe", "nothing changes until the replay is done");
    assert_eq!(labels(&x), before);
    let mut slices = 0;
    while x.work_in_progress().is_some() {
        x.work_slice(100);
        slices += 1;
    }
    assert!(slices > 10, "{slices} slices");
    assert!(x.work(web_time::Duration::from_millis(1)), "nothing left to do");
    assert!(x.work_in_progress().is_none());
    assert_eq!(x.model().config().name, "seed-invariant");
    assert_eq!(labels(&x), labels(&at_once));
    assert_eq!(labels(&x), before, "every step replays under seed-invariant");
    assert_eq!(x.comparison(), at_once.comparison());

    // Cancelling a switch leaves the explorer as it was.
    x.select_config("safe").unwrap();
    assert!(x.work_in_progress().is_some());
    assert!(x.cancel_work());
    assert_eq!(x.model().config().name, "seed-invariant");
    assert_eq!(labels(&x), before);
    assert!(x.notices().as_slice().iter().any(|n| n.text.contains("cancelled")));
}

#[test]
fn notices_keep_the_newest_few_without_repeats() {
    let mut x = Explorer::new();
    for i in 0..7 {
        x.notices_mut().info(format!("notice {i}"));
    }
    x.notices_mut().info("notice 5");
    let texts: Vec<&str> = x.notices().as_slice().iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["notice 4", "notice 6", "notice 5"]);
    let id = x.notices().as_slice()[1].id;
    x.notices_mut().dismiss(id);
    let texts: Vec<&str> = x.notices().as_slice().iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["notice 4", "notice 5"]);
    x.notices_mut().dismiss(id);
    assert_eq!(x.notices().as_slice().len(), 2, "dismissing twice removes nothing else");
}

#[test]
fn invariants_true_by_construction_say_so_and_why() {
    let x = Explorer::for_model("paxos").unwrap();
    let rows = x.verdicts().property_rows();
    let validity = rows.iter().find(|r| r.name == "Validity").unwrap();
    assert!(validity.by_construction.is_some_and(|why| why.len() > 20), "{validity:?}");
    let agreement = rows.iter().find(|r| r.name == "Agreement").unwrap();
    assert_eq!(agreement.by_construction, None, "Agreement can fail (ignore-accepted)");
}

#[test]
fn a_long_link_and_a_long_import_open_in_slices() {
    let mut x = Explorer::for_model("seqlock").unwrap();
    x.stop_at_violation = false;
    while x.session().len() <= SYNC_REPLAY_STEPS + 300 {
        x.random_step().expect("seqlock's walk goes on");
    }
    x.go_to(1234);
    let fragment = x.link().encode();
    let mut y = Explorer::from_link(&fragment);
    let (what, done, all) = y.work_in_progress().expect("a long link is replayed in slices");
    assert!(what.contains("link"), "{what}");
    assert_eq!((done, all), (0, x.session().len() - 1));
    assert_eq!(y.session().len(), 1, "the initial state shows meanwhile");
    while !y.work(web_time::Duration::from_millis(5)) {}
    assert_eq!(labels(&y), labels(&x));
    assert_eq!(y.session().cursor(), 1234);
    assert!(y.notices().as_slice().is_empty(), "{:?}", y.notices().as_slice());

    // A long trace file: the same, and its failure comes as a notice.
    let exported = x.export_trace();
    let mut z = Explorer::for_model("paxos").unwrap();
    z.import_trace(&exported).unwrap();
    assert!(z.work_in_progress().is_some());
    assert_eq!(z.model().info().name, "paxos", "nothing changes until the replay ends");
    z.finish_work();
    assert_eq!(z.model().info().name, "seqlock");
    assert_eq!(labels(&z), labels(&x));
    let broken = exported.replacen("\"WriterBegin\"", "\"WriterNope\"", 1);
    let mut w = Explorer::for_model("paxos").unwrap();
    w.import_trace(&broken).unwrap();
    w.finish_work();
    assert_eq!(w.model().info().name, "paxos");
    assert!(w.notices().as_slice().iter().any(|n| n.kind == NoticeKind::Error && n.text.contains("does not replay")), "{:?}", w.notices().as_slice());
}

#[test]
fn the_links_running_checksum_and_positions_equal_a_fresh_computation() {
    let mut x = Explorer::for_model("paxos").unwrap();
    x.stop_at_violation = false;
    for round in 0..3 {
        for _ in 0..200 {
            x.random_step();
        }
        let link = x.link();
        assert_eq!(link.checksum, Some(link::labels_checksum(&labels(&x))), "round {round}");
        assert_eq!(link.choices.len(), x.session().len() - 1);
        let reopened = Explorer::from_link(&link.encode());
        assert_eq!(labels(&reopened), labels(&x), "round {round}");
        // Fork from the past: the trace is cut, and the cache starts over.
        x.go_to(x.session().len() / 2);
        let first = x.inspect().actions().0[0].label.clone();
        x.take(&first).unwrap();
    }
}

/// The inspector's rows and the timeline's chips are keyed in the page (by path, by step): a
/// repeated key would make the page reuse the wrong row. Every model, along a seeded walk.
#[test]
fn inspector_paths_and_timeline_steps_are_unique_keys() {
    for info in crate::catalogue::infos() {
        let mut x = Explorer::for_model(info.name).unwrap();
        for _ in 0..60 {
            let rows = x.inspect().state_tree();
            let mut paths: Vec<&str> = rows.iter().map(|r| r.path.as_str()).collect();
            let n = paths.len();
            paths.sort_unstable();
            paths.dedup();
            assert_eq!(paths.len(), n, "{}: an inspector path repeats", info.name);
            if x.random_step().is_none() {
                break;
            }
        }
        let window = timeline_window(x.session().len(), x.session().cursor(), 120, 40);
        let steps: Vec<usize> = x.verdicts().timeline(window).iter().map(|e| e.index).collect();
        assert!(steps.windows(2).all(|w| w[0] < w[1]), "{}: timeline steps repeat", info.name);
    }
}

/// A liveness counterexample opens as a lasso from a trace file: forward at its end goes around the
/// loop, the properties panel explains the failure and the loop's fairness, and a file whose loop
/// the model does not have opens as a plain trace with a notice.
#[test]
fn a_lasso_from_a_file_loops_and_explains_itself() {
    let m = catalogue::build("seqlock", "progress-next-only", &[]).unwrap();
    let mut c = m.checker(Default::default());
    while !c.run(100_000) {}
    let Some(crate::engine::CheckResult { outcome: crate::engine::DynOutcome::Violation { trace, name, .. }, .. }) = c.result() else {
        panic!("ReaderProgress fails")
    };
    assert_eq!(name, "ReaderProgress");
    let Some(crate::engine::Lasso::BackTo(back)) = trace.lasso else { panic!("a loop back") };
    let file = crate::engine::TraceFile {
        model: "seqlock".into(),
        config: "progress-next-only".into(),
        constants: m.constants().to_pairs(),
        init: trace.init_index,
        actions: trace.labels(),
        lasso: trace.lasso,
    };
    let mut x = Explorer::new();
    x.import_trace(&serde_json::to_string(&file).unwrap()).unwrap();
    assert_eq!(x.lasso(), trace.lasso);
    let last = x.session().len() - 1;
    assert_eq!(x.session().cursor(), last);
    assert!(x.forward());
    assert_eq!(x.session().cursor(), back);
    let rows = x.verdicts().temporal_rows();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].broken.as_deref().is_some_and(|w| w.contains("Q holds at no step after it")), "{rows:?}");
    let l = x.verdicts().loop_view().unwrap();
    assert_eq!((l.first, l.last, l.stutter), (back, last, false));
    assert!(!l.obligations.is_empty() && l.obligations.iter().all(|(met, _)| *met), "{:?}", l.obligations);
    // The link holds the loop.
    assert!(x.link().encode().contains(&format!("loop={back}")));
    // A step past the end makes it a plain path.
    x.go_to(last);
    x.random_step();
    assert_eq!(x.lasso(), None);
    // A loop the model does not have: opened as a plain trace, and said so.
    let bad = crate::engine::TraceFile { lasso: Some(crate::engine::Lasso::BackTo(0)), ..file };
    let mut y = Explorer::new();
    y.import_trace(&serde_json::to_string(&bad).unwrap()).unwrap();
    assert_eq!(y.lasso(), None);
    assert!(y.notices().as_slice().iter().any(|n| n.text.contains("loop is not one of the model's")), "{:?}", y.notices().as_slice());
}

/// A stuttering lasso says why fairness lets the behaviour stop: each fairness condition none of
/// whose actions is enabled where it stops, and the steps enabled there that no condition covers.
#[test]
fn a_stuttering_lasso_lists_the_fairness_conditions_disabled_where_it_stops() {
    let mut x = Explorer::new();
    x.import_trace(r#"{"model":"occ","config":"termination","constants":[],"actions":[],"lasso":"stuttering"}"#).unwrap();
    let l = x.verdicts().loop_view().unwrap();
    assert!(l.stutter);
    assert!(!l.obligations.is_empty(), "nothing listed");
    assert!(
        l.obligations.iter().any(|(met, t)| *met
            && t == "\\A t \\in TxnIds : WF_vars(Abort(t)): none of its actions can change the state at step 0, so stopping there breaks no fairness."),
        "{:?}",
        l.obligations
    );
    assert!(l.obligations.iter().any(|(_, t)| t.starts_with("Enabled at step 0 but under no fairness condition")), "{:?}", l.obligations);
}

/// A complete check's verdicts show in the temporal rows: a property that holds says so.
#[test]
fn temporal_rows_say_what_a_complete_check_judged() {
    let m = catalogue::build("seqlock", "progress", &[]).unwrap();
    let mut c = m.checker(Default::default());
    while !c.run(1 << 16) {}
    let report = c.result().unwrap().liveness.unwrap();
    let mut x = Explorer::for_model("seqlock").unwrap();
    x.select_config("progress").unwrap();
    let before = x.verdicts().temporal_rows();
    assert_eq!(before[0].checked, None);
    assert!(before[0].status.contains("the exhaustive check decides it"));
    let rows = x.verdicts().temporal_rows_checked(Some(&report));
    assert_eq!(rows[0].checked, Some(true));
    assert!(rows[0].status.starts_with("Holds on every fair behaviour: checked (FairSpecPerProcess: "), "{}", rows[0].status);
}

/// The check panel's progress line names the phase: the search, then the liveness stages.
#[test]
fn the_phase_text_names_the_search_and_the_liveness_stages() {
    let m = catalogue::build("seqlock", "progress", &[]).unwrap();
    let mut c = m.checker(Default::default());
    assert!(!c.run(10));
    assert!(super::phase_text(&c.progress()).starts_with("Search: expanding the reachable states breadth-first"));
    while c.progress().phase.is_none() {
        assert!(!c.run(1 << 16));
    }
    assert!(super::phase_text(&c.progress()).starts_with("Liveness, after the search (every state expanded): state graph: indexing the states ("));
    while !c.progress().phase.is_some_and(|p| p.starts_with("liveness: state graph built")) {
        assert!(!c.run(1 << 16));
    }
    assert!(!c.run(50));
    assert_eq!(super::phase_text(&c.progress()), "Liveness, after the search (every state expanded): property 1 of 1, ReaderProgress: its subgraph.");
}
