//! The message-sequence chart: one lane per node, one row per step, an arrow from the row that
//! sent a message to the row that delivered it. Drawn from what the model declares of its steps
//! (`Model::nodes`, `Model::messages`), so any message-passing model gets it with no code of its
//! own; the explorer shows it as the trace view of a model that has none of its own.
//!
//! - delivered: a solid arrow from the send row to the delivery row;
//! - in flight at the step shown: a dashed stub from the send row to the current row;
//! - dropped: the arrow ends in × on the row that dropped it;
//! - duplicated: each delivery of the same message is an arrow from the same send;
//! - a cut link: a shaded band between the two lanes, from the cut to the heal (or the current row);
//! - a crashed node: its lane greyed from the crash to the recovery (or the current row).

use super::draw::{Anchor, Drawing, Shape};
use crate::engine::{MessageEvent, MessageOp};
use std::collections::BTreeMap;

/// One step of the chart: its index in the trace, its action label and what it did to messages.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartRow {
    pub step: usize,
    pub label: String,
    pub events: Vec<MessageEvent>,
}

/// The chart's title, as the trace view of a model that passes messages.
pub const TITLE: &str = "Messages";

const TOP: f64 = 34.0;
const ROW: f64 = 24.0;
const LEFT: f64 = 190.0;
const LANE: f64 = 150.0;

fn lane_x(i: usize) -> f64 {
    LEFT + LANE * i as f64
}

/// The chart of `rows` (consecutive steps, in order) with `lanes` named, the step shown being
/// `cursor` (a trace index; rows after it are the trace's future, drawn faded).
pub fn sequence_chart(lanes: &[String], rows: &[ChartRow], cursor: usize) -> Drawing {
    let row_y = |step: usize| -> Option<f64> { rows.iter().position(|r| r.step == step).map(|i| TOP + 16.0 + ROW * i as f64) };
    let last_y = TOP + 16.0 + ROW * rows.len().saturating_sub(1) as f64;
    let cursor_y = row_y(cursor).unwrap_or(if rows.first().is_some_and(|r| r.step > cursor) { TOP } else { last_y });
    let width = lane_x(lanes.len().saturating_sub(1)) + 90.0;
    let height = last_y + 22.0;
    let mut bands = Vec::new();
    let mut lanes_shapes = Vec::new();
    let mut arrows = Vec::new();
    let mut labels = Vec::new();

    // Row labels and the current row.
    for (i, r) in rows.iter().enumerate() {
        let y = TOP + 16.0 + ROW * i as f64;
        let class = if r.step == cursor {
            "msc-row current"
        } else if r.step > cursor {
            "msc-row future"
        } else {
            "msc-row"
        };
        if r.step == cursor {
            bands.push(Shape::Rect { x: 0.0, y: y - ROW / 2.0, w: width, h: ROW, rx: 3.0, class: "msc-cursor".into() });
        }
        let mut text = format!("{} {}", r.step, r.label);
        if text.chars().count() > 26 {
            text = text.chars().take(25).collect::<String>() + "…";
        }
        labels.push(Shape::text(6.0, y + 4.0, text, class, Anchor::Start).with_title(format!("step {}: {}", r.step, r.label)));
    }

    // Lanes, greyed where their node is down.
    let mut down: BTreeMap<usize, f64> = BTreeMap::new();
    let mut down_spans: Vec<(usize, f64, f64)> = Vec::new();
    let mut cut: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut cut_spans: Vec<((usize, usize), f64, f64)> = Vec::new();
    for r in rows.iter().filter(|r| r.step <= cursor) {
        let y = row_y(r.step).unwrap_or(TOP);
        for e in &r.events {
            let link = (e.from.min(e.to), e.from.max(e.to));
            match e.op {
                MessageOp::Crash => {
                    down.insert(e.from, y);
                }
                MessageOp::Recover => {
                    if let Some(from) = down.remove(&e.from) {
                        down_spans.push((e.from, from, y));
                    }
                }
                MessageOp::Partition => {
                    cut.insert(link, y);
                }
                MessageOp::Heal => {
                    if let Some(from) = cut.remove(&link) {
                        cut_spans.push((link, from, y));
                    }
                }
                _ => {}
            }
        }
    }
    down_spans.extend(down.into_iter().map(|(n, from)| (n, from, cursor_y)));
    cut_spans.extend(cut.into_iter().map(|(l, from)| (l, from, cursor_y)));
    for ((a, b), from, to) in &cut_spans {
        let (x1, x2) = (lane_x(*a), lane_x(*b));
        bands.push(
            Shape::Rect { x: x1, y: *from, w: x2 - x1, h: (to - from).max(4.0), rx: 2.0, class: "msc-partition".into() }
                .with_id(format!("msc-partition-{a}-{b}-{}", *from as i64))
                .with_title(format!("the link between {} and {} is cut", lanes[*a], lanes[*b])),
        );
    }
    for (i, name) in lanes.iter().enumerate() {
        let x = lane_x(i);
        lanes_shapes.push(Shape::text(x, TOP - 10.0, name.clone(), "msc-lane-name", Anchor::Middle));
        lanes_shapes.push(Shape::Line { x1: x, y1: TOP, x2: x, y2: height - 6.0, class: "msc-lane".into(), arrow: false });
    }
    for (n, from, to) in &down_spans {
        let x = lane_x(*n);
        lanes_shapes.push(
            Shape::Line { x1: x, y1: *from, x2: x, y2: *to, class: "msc-lane down".into(), arrow: false }
                .with_id(format!("msc-down-{n}-{}", *from as i64))
                .with_title(format!("{} is down", lanes[*n])),
        );
    }

    // Messages: each send, and each delivery or drop of the same id up to the current row. A
    // model's ids come from a message's content, so the same id may be sent again once the first
    // is delivered (the same request, re-sent): each send is its own message, keyed `id`, then
    // `id#2`, ..., and a delivery or drop belongs to the latest send of its id.
    let mut sends: BTreeMap<String, (&MessageEvent, f64)> = BTreeMap::new();
    let mut ended: BTreeMap<String, usize> = BTreeMap::new();
    let mut latest: BTreeMap<&str, (String, usize)> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.step <= cursor) {
        let y = row_y(r.step).unwrap_or(TOP);
        for e in &r.events {
            match e.op {
                MessageOp::Send => {
                    let n = latest.get(e.id.as_str()).map_or(1, |(_, n)| n + 1);
                    let key = if n == 1 { e.id.clone() } else { format!("{}#{n}", e.id) };
                    latest.insert(&e.id, (key.clone(), n));
                    sends.insert(key, (e, y));
                }
                MessageOp::Deliver | MessageOp::Drop => {
                    let key = latest.get(e.id.as_str()).map_or_else(|| e.id.clone(), |(k, _)| k.clone());
                    // A message sent before the chart's first row starts at its top.
                    let (sent, sy) = sends.get(&key).copied().unwrap_or((e, TOP));
                    let n = ended.entry(key.clone()).or_insert(0);
                    *n += 1;
                    arrows.push(message_arrow(&key, sent, e, sy, y, *n > 1));
                }
                _ => {}
            }
        }
    }
    for (key, (sent, sy)) in &sends {
        if !ended.contains_key(key) {
            arrows.push(in_flight(key, sent, *sy, cursor_y.max(*sy + ROW / 2.0)));
        }
    }

    let mut shapes = bands;
    shapes.extend(lanes_shapes);
    shapes.extend(arrows);
    shapes.extend(labels);
    Drawing {
        width,
        height,
        shapes,
        caption: vec![
            "Each lane is a node, each row a step. An arrow runs from the step that sent a message to the step that delivered it; dashed: still in flight at the step shown; ending in ×: dropped; a second arrow from one send: a duplicate. A shaded band is a cut link; a grey lane, a node that is down. Rows after the step shown are faded.".into(),
        ],
    }
}

/// The arrow of the message keyed `key` (its id, or `id#n` for its n-th send).
fn message_arrow(key: &str, sent: &MessageEvent, end: &MessageEvent, y1: f64, y2: f64, again: bool) -> Shape {
    let (x1, x2) = (lane_x(sent.from), lane_x(end.to));
    let tooltip = tooltip(sent, end.op);
    let id = format!("msc-msg-{}-{}", end.op.as_str(), sanitize(key));
    let mut children = Vec::new();
    // A dropped message stops two thirds of the way to its receiver, on a cross at the row that
    // dropped it.
    let xe = if end.op == MessageOp::Drop { x1 + (x2 - x1) * 0.66 } else { x2 };

    if end.op == MessageOp::Drop {
        children.push(Shape::Line { x1, y1, x2: xe, y2, class: "msc-msg dropped".into(), arrow: false });
        children.push(Shape::text(xe, y2 + 5.0, "×", "msc-drop-mark", Anchor::Middle));
    } else {
        let class = if again { "msc-msg duplicate" } else { "msc-msg" };
        children.push(Shape::Line { x1, y1, x2, y2, class: class.into(), arrow: true });
    }
    // The label sits where the message leaves, so labels of messages sent on successive rows do
    // not meet (a duplicate's second arrow shares its send's label).
    if !again {
        children.push(send_label(sent, x1, x2, y1));
    }
    Shape::group("msc-message", children).with_id(if again { format!("{id}-again") } else { id }).with_title(tooltip)
}

fn in_flight(key: &str, sent: &MessageEvent, y1: f64, y2: f64) -> Shape {
    let (x1, x2) = (lane_x(sent.from), lane_x(sent.to));
    // A stub towards the receiver, as far down as the current row.
    let xe = x1 + (x2 - x1) * 0.4;
    Shape::group("msc-message", vec![Shape::Line { x1, y1, x2: xe, y2, class: "msc-msg in-flight".into(), arrow: true }, send_label(sent, x1, x2, y1)])
        .with_id(format!("msc-msg-in-flight-{}", sanitize(key)))
        .with_title(tooltip(sent, MessageOp::Send) + " (in flight)")
}

/// A message's label just above where it leaves its sender's lane, on the side it travels to.
fn send_label(sent: &MessageEvent, x1: f64, x2: f64, y1: f64) -> Shape {
    let (x, anchor) = if x2 >= x1 { (x1 + 6.0, Anchor::Start) } else { (x1 - 6.0, Anchor::End) };
    Shape::text(x, y1 - 4.0, sent.label.clone(), "msc-msg-label", anchor)
}

fn tooltip(m: &MessageEvent, end: MessageOp) -> String {
    let fields: Vec<String> = m.contents.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("{} ({}): {}", m.label, end.as_str(), fields.join(", "))
}

fn sanitize(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

/// The chart as Mermaid `sequenceDiagram` text: a participant per lane; per step, a delivered
/// message as an arrow, a dropped one as a cross, one still in flight at the end as an open
/// arrow, partitions, heals, crashes and recoveries as notes.
pub fn mermaid(lanes: &[String], rows: &[ChartRow]) -> String {
    let p = |i: usize| format!("n{i}");
    let text = |s: &str| s.replace([';', '#', '\n'], " ");
    let mut out = String::from("sequenceDiagram\n");
    for (i, name) in lanes.iter().enumerate() {
        out.push_str(&format!("    participant {} as {}\n", p(i), text(name)));
    }
    let mut sends: BTreeMap<&str, &MessageEvent> = BTreeMap::new();
    let mut ended = std::collections::BTreeSet::new();
    for r in rows {
        for e in &r.events {
            match e.op {
                MessageOp::Send => {
                    // Sent again after it ended: in flight again.
                    ended.remove(e.id.as_str());
                    sends.insert(&e.id, e);
                }
                MessageOp::Deliver => {
                    ended.insert(e.id.as_str());
                    let from = sends.get(e.id.as_str()).map_or(e.from, |s| s.from);
                    out.push_str(&format!("    {}->>{}: {} (step {})\n", p(from), p(e.to), text(&e.label), r.step));
                }
                MessageOp::Drop => {
                    ended.insert(e.id.as_str());
                    let from = sends.get(e.id.as_str()).map_or(e.from, |s| s.from);
                    out.push_str(&format!("    {}-x{}: {} dropped (step {})\n", p(from), p(e.to), text(&e.label), r.step));
                }
                MessageOp::Partition => out.push_str(&format!("    Note over {},{}: link cut (step {})\n", p(e.from), p(e.to), r.step)),
                MessageOp::Heal => out.push_str(&format!("    Note over {},{}: link healed (step {})\n", p(e.from), p(e.to), r.step)),
                MessageOp::Crash => out.push_str(&format!("    Note over {}: crashes (step {})\n", p(e.from), r.step)),
                MessageOp::Recover => out.push_str(&format!("    Note over {}: recovers (step {})\n", p(e.from), r.step)),
                MessageOp::Timer => out.push_str(&format!("    Note over {}: timer (step {})\n", p(e.from), r.step)),
                MessageOp::Duplicate => out.push_str(&format!("    Note over {},{}: {} duplicated (step {})\n", p(e.from), p(e.to), text(&e.label), r.step)),
            }
        }
    }
    for (id, s) in &sends {
        if !ended.contains(id) {
            out.push_str(&format!("    {}--){}: {} (in flight)\n", p(s.from), p(s.to), text(&s.label)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(op: MessageOp, from: usize, to: usize, id: &str) -> MessageEvent {
        MessageEvent { op, from, to, id: id.into(), label: format!("m{id}"), contents: vec![("id".into(), id.into())] }
    }

    fn row(step: usize, events: Vec<MessageEvent>) -> ChartRow {
        ChartRow { step, label: format!("Step{step}"), events }
    }

    /// A trace with every kind of event: a send delivered twice (a duplicate), a dropped one, a
    /// partition and its heal, a crash and its recovery, and one still in flight.
    fn trace() -> (Vec<String>, Vec<ChartRow>) {
        let lanes = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let rows = vec![
            row(1, vec![ev(MessageOp::Send, 0, 1, "1"), ev(MessageOp::Send, 0, 2, "2")]),
            row(2, vec![ev(MessageOp::Duplicate, 0, 1, "1")]),
            row(3, vec![ev(MessageOp::Deliver, 0, 1, "1")]),
            row(4, vec![ev(MessageOp::Partition, 0, 2, "cut"), ev(MessageOp::Drop, 0, 2, "2")]),
            row(5, vec![ev(MessageOp::Deliver, 0, 1, "1"), ev(MessageOp::Crash, 1, 1, "crash")]),
            row(6, vec![ev(MessageOp::Send, 2, 0, "3"), ev(MessageOp::Heal, 0, 2, "heal")]),
            row(7, vec![ev(MessageOp::Recover, 1, 1, "up")]),
        ];
        (lanes, rows)
    }

    fn line_of(d: &Drawing, id: &str) -> (f64, f64, f64, f64, String) {
        let Some(Shape::Group { children, .. }) = d.find(id) else { panic!("no {id}: {:?}", d.ids()) };
        children
            .iter()
            .find_map(|c| match c {
                Shape::Line { x1, y1, x2, y2, class, .. } => Some((*x1, *y1, *x2, *y2, class.clone())),
                _ => None,
            })
            .expect("a line")
    }

    #[test]
    fn the_chart_draws_deliveries_duplicates_drops_partitions_crashes_and_what_is_in_flight() {
        let (lanes, rows) = trace();
        let d = sequence_chart(&lanes, &rows, 7);
        let y = |step: usize| TOP + 16.0 + ROW * (step - 1) as f64;
        // The first delivery: from lane a at the send row to lane b at the delivery row.
        assert_eq!(line_of(&d, "msc-msg-deliver-1"), (lane_x(0), y(1), lane_x(1), y(3), "msc-msg".to_string()));
        // The duplicate: a second arrow from the same send row, to its own delivery row.
        assert_eq!(line_of(&d, "msc-msg-deliver-1-again"), (lane_x(0), y(1), lane_x(1), y(5), "msc-msg duplicate".to_string()));
        // The drop ends short of its receiver, on a cross.
        let (x1, y1, x2, y2, class) = line_of(&d, "msc-msg-drop-2");
        assert_eq!((x1, y1, class.as_str()), (lane_x(0), y(1), "msc-msg dropped"));
        assert!(x2 < lane_x(2) && y2 == y(4), "the cross sits on the row that dropped it");
        assert!(d.find("msc-msg-drop-2").unwrap().texts().contains(&"×".to_string()));
        // Still in flight at the step shown: a dashed stub from its send row down to the current row.
        let (x1, y1, _, y2, class) = line_of(&d, "msc-msg-in-flight-3");
        assert_eq!((x1, y1, y2, class.as_str()), (lane_x(2), y(6), y(7), "msc-msg in-flight"));
        // The partition: a band between lanes a and c from the cut to the heal.
        let Some(Shape::Group { children, .. }) = d.find(&format!("msc-partition-0-2-{}", y(4) as i64)) else { panic!("{:?}", d.ids()) };
        assert!(matches!(children[0], Shape::Rect { x, w, y: top, h, .. } if x == lane_x(0) && w == lane_x(2) - lane_x(0) && top == y(4) && h == y(6) - y(4)));
        // The crash: lane b greyed from the crash to the recovery.
        let Some(Shape::Group { children, .. }) = d.find(&format!("msc-down-1-{}", y(5) as i64)) else { panic!("{:?}", d.ids()) };
        assert!(matches!(&children[0], Shape::Line { x1, y1, y2, class, .. } if *x1 == lane_x(1) && *y1 == y(5) && *y2 == y(7) && class == "msc-lane down"));
    }

    #[test]
    fn at_an_earlier_step_later_events_are_not_drawn_and_messages_are_in_flight() {
        let (lanes, rows) = trace();
        let d = sequence_chart(&lanes, &rows, 2);
        let ids = d.ids();
        assert!(ids.iter().any(|i| i == "msc-msg-in-flight-1") && ids.iter().any(|i| i == "msc-msg-in-flight-2"), "{ids:?}");
        assert!(!ids.iter().any(|i| i.starts_with("msc-msg-deliver") || i.starts_with("msc-partition") || i.starts_with("msc-down")), "{ids:?}");
    }

    #[test]
    fn an_id_sent_again_after_its_delivery_is_a_new_message() {
        // Ids come from content: the same request may be sent, delivered, and sent again.
        let lanes = vec!["a".to_string(), "b".to_string()];
        let rows = vec![
            row(1, vec![ev(MessageOp::Send, 0, 1, "r")]),
            row(2, vec![ev(MessageOp::Deliver, 0, 1, "r")]),
            row(3, vec![ev(MessageOp::Send, 0, 1, "r")]),
            row(4, vec![ev(MessageOp::Deliver, 0, 1, "r")]),
            row(5, vec![ev(MessageOp::Send, 0, 1, "r")]),
        ];
        let y = |step: usize| TOP + 16.0 + ROW * (step - 1) as f64;
        let d = sequence_chart(&lanes, &rows, 5);
        assert_eq!(line_of(&d, "msc-msg-deliver-r"), (lane_x(0), y(1), lane_x(1), y(2), "msc-msg".to_string()));
        assert_eq!(line_of(&d, "msc-msg-deliver-r-2"), (lane_x(0), y(3), lane_x(1), y(4), "msc-msg".to_string()), "not a duplicate");
        let (_, y1, _, _, class) = line_of(&d, "msc-msg-in-flight-r-3");
        assert_eq!((y1, class.as_str()), (y(5), "msc-msg in-flight"));
        let ids = d.ids();
        assert!(!ids.iter().any(|i| i.ends_with("-again")), "{ids:?}");
        let m = mermaid(&lanes, &rows);
        assert_eq!(m.matches("n0->>n1: mr").count(), 2, "{m}");
        assert!(m.contains("n0--)n1: mr (in flight)"), "{m}");
    }

    #[test]
    fn mermaid_text_tells_the_same_story() {
        let (lanes, rows) = trace();
        let m = mermaid(&lanes, &rows);
        assert!(m.starts_with("sequenceDiagram\n    participant n0 as a\n"));
        assert_eq!(m.matches("n0->>n1: m1").count(), 2, "{m}");
        assert!(m.contains("n0-xn2: m2 dropped (step 4)"), "{m}");
        assert!(m.contains("Note over n0,n2: link cut (step 4)") && m.contains("Note over n0,n2: link healed (step 6)"), "{m}");
        assert!(m.contains("Note over n1: crashes (step 5)") && m.contains("Note over n1: recovers (step 7)"), "{m}");
        assert!(m.contains("n2--)n0: m3 (in flight)"), "{m}");
    }
}

#[cfg(test)]
mod on_a_model {
    use crate::explorer::Explorer;

    /// The crdt lossy-partition gap's counterexample: a write's delta sent, the link cut (the delta
    /// dropped), the link healed; the chart shows the send, the drop and the partition band.
    #[test]
    fn the_crdt_gap_reads_as_send_cut_drop_heal() {
        let (x, _) = Explorer::with_counterexample("crdt", "lossy-partition").unwrap();
        let t = x.picture().trace_drawings().pop().expect("crdt passes messages: the message chart");
        assert!(t.chart);
        let (title, d) = (t.title, t.drawing);
        assert_eq!(title, "Messages");
        let ids = d.ids();
        assert!(ids.iter().any(|i| i.starts_with("msc-msg-drop-")), "{ids:?}");
        assert!(ids.iter().any(|i| i.starts_with("msc-partition-0-1-")), "{ids:?}");
        let m = x.picture().message_mermaid().unwrap();
        assert!(m.contains("-xn1:") && m.contains("link cut") && m.contains("link healed"), "{m}");
        // A model that passes no messages has no chart.
        assert!(Explorer::for_model("seqlock").unwrap().picture().message_mermaid().is_none());
    }

    /// paxos's gap counterexample: its last step, Learn(1, v2), delivers to the learner the
    /// "accepted" that acceptors 1 and 3 sent when they accepted <<1, 0, 2>> with v2; every
    /// promise that an accept followed was delivered at that accept.
    #[test]
    fn paxos_declares_the_messages_its_steps_imply() {
        let (x, _) = Explorer::with_counterexample("paxos", "ignore-accepted").unwrap();
        let m = x.model();
        assert_eq!(m.nodes(), ["proposer 1", "proposer 2", "acceptor 1", "acceptor 2", "acceptor 3", "learner"]);
        let steps = &x.session().trace().steps;
        let n = steps.len();
        let last = m.messages(&steps[n - 2].state, steps[n - 1].action.as_deref().unwrap());
        let got: Vec<(crate::engine::MessageOp, usize, usize, &str)> = last.iter().map(|e| (e.op, e.from, e.to, e.label.as_str())).collect();
        use crate::engine::MessageOp::Deliver;
        assert_eq!(got, [(Deliver, 2, 5, "accepted ⟨1,0,2⟩=v2"), (Deliver, 4, 5, "accepted ⟨1,0,2⟩=v2")]);
        let t = x.picture().trace_drawings().pop().unwrap();
        assert!(t.chart);
        let ids = t.drawing.ids();
        assert!(ids.iter().any(|i| i.starts_with("msc-msg-deliver-accepted-r0-k1-v1-from-0")), "{ids:?}");
    }
}
