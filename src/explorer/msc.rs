//! The message-sequence chart: one lane per node, one row per step, an arrow from the row that
//! sent a message to the row that delivered it. Drawn from what the model declares of its steps
//! (`Model::nodes`, `Model::messages`), so any message-passing model gets it with no code of its
//! own; the explorer shows it as the trace view of a model that has none of its own.
//!
//! - delivered: a solid arrow from the send row to the delivery row;
//! - in flight at the step shown: a dashed arrow from the send row towards its receiver, ending
//!   just short of the receiver's lane on the current row, its label saying "(in flight)";
//! - dropped: the arrow ends in × on the row that dropped it;
//! - duplicated: each delivery of the same message is an arrow from the same send;
//! - a cut link: a shaded band between the two lanes, from the cut to the heal (or the current row);
//! - a crashed node: its lane greyed from the crash to the recovery (or the current row).
//!
//! A row is as tall as what its step did needs, drawn as a person would draw it on a whiteboard:
//! first what arrived (every delivery of a message sent earlier ends on the row's first line),
//! then each message the step sent on a line of its own (a message sent and delivered in the same
//! step is a level arrow on its line). Each message's label sits just above where it leaves, alone
//! on its line, so no two labels share a line and no label meets another; labels stay out of the
//! row labels' column and inside the drawing. The layout depends on the rows alone, not on the
//! step shown, so stepping back and forth moves nothing but the marks of what happened.

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

/// The top of the first row (the lane names sit above it).
const TOP: f64 = 34.0;
/// From a row's edge to its first or last line: two rows' lines are at least twice this apart.
const PAD: f64 = 12.0;
/// Between two lines of one row: more than a label is tall.
const LINE: f64 = 16.0;
/// Lanes are this far apart at most, and at least [`LANE_MIN`]; in between, as far as lets the
/// chart be [`FIT`] wide (what the view's column shows without scrolling on a 1280 px screen).
const LANE_MAX: f64 = 150.0;
const LANE_MIN: f64 = 96.0;
const FIT: f64 = 760.0;
/// Room beside the first and the last lane (half a lane name, "acceptor 3" in bold).
const MARGIN: f64 = 44.0;
/// The row labels' column starts here.
const ROW_X: f64 = 6.0;
/// A row label longer than this is cut (with "…"); the action labels of the models are shorter.
const ROW_CHARS: usize = 60;

/// The estimated advance of one character of the chart's texts (row labels and message labels,
/// both 10.5 px monospace; CSS `.msc-row`, `.msc-msg-label`): a little more than DejaVu Sans
/// Mono's 0.602 em (6.3 px), so that a box computed from it holds the text the browser draws.
pub const CHAR_W: f64 = 6.5;
/// The same for a lane's name (12 px bold sans-serif, `.msc-lane-name`: 7.4 px in Chromium with
/// DejaVu Sans).
pub const NAME_CHAR_W: f64 = 8.0;
/// A text's extent above and below its baseline (Chromium's box of a 10.5 px text: 8.6 above,
/// 3.2 below).
const ASCENT: f64 = 10.0;
const DESCENT: f64 = 3.5;

/// The box `(left, top, right, bottom)` a chart text of this class takes, as estimated from its
/// characters: the same estimate the layout uses to keep labels apart (the e2e tests check the
/// browser's own boxes against it).
pub fn text_box(x: f64, y: f64, text: &str, class: &str, anchor: Anchor) -> (f64, f64, f64, f64) {
    let w = text.chars().count() as f64 * if class.starts_with("msc-lane-name") { NAME_CHAR_W } else { CHAR_W };
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    (left, y - ASCENT, left + w, y + DESCENT)
}

/// Where the lanes go: the row labels' column, then the lanes at equal distances.
struct Columns {
    /// The right edge of the row labels' column: message labels stay right of it.
    rows_end: f64,
    first: f64,
    lane: f64,
    width: f64,
}

impl Columns {
    fn new(lanes: &[String], row_texts: impl Iterator<Item = usize>) -> Columns {
        let widest = row_texts.max().unwrap_or(0) as f64 * CHAR_W;
        // Lane names must not meet: each has half its width beside its lane, and a gap.
        let name = lanes.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * NAME_CHAR_W;
        let margin = MARGIN.max(name / 2.0 + 4.0);
        let rows_end = ROW_X + widest + 8.0;
        let first = rows_end + margin;
        let gaps = lanes.len().saturating_sub(1) as f64;
        let min = LANE_MIN.max(name + 8.0);
        let lane = if gaps > 0.0 { ((FIT - first - margin) / gaps).clamp(min, LANE_MAX.max(min)) } else { LANE_MAX };
        Columns { rows_end, first, lane, width: first + lane * gaps + margin }
    }

    fn x(&self, lane: usize) -> f64 {
        self.first + self.lane * lane as f64
    }
}

/// Where one row sits: its band, its lines, and the line each of its events is drawn on.
struct RowPlace {
    top: f64,
    height: f64,
    lines: Vec<f64>,
    line_of: Vec<usize>,
}

impl RowPlace {
    fn y(&self, event: usize) -> f64 {
        self.lines[self.line_of[event]]
    }
}

/// The rows' places: line 0 for what arrived (if anything did), then a line per message sent; a
/// delivery of a message sent in the same step shares its send's line. From the rows alone.
fn place_rows(rows: &[ChartRow]) -> Vec<RowPlace> {
    let mut top = TOP;
    rows.iter()
        .map(|r| {
            let sent_before = |i: usize, id: &str| r.events[..i].iter().rposition(|s| s.op == MessageOp::Send && s.id == id);
            let arrivals = r.events.iter().enumerate().any(|(i, e)| matches!(e.op, MessageOp::Deliver | MessageOp::Drop) && sent_before(i, &e.id).is_none());
            let mut next = usize::from(arrivals);
            let mut line_of = Vec::with_capacity(r.events.len());
            for (i, e) in r.events.iter().enumerate() {
                let line = match e.op {
                    MessageOp::Send => {
                        next += 1;
                        next - 1
                    }
                    MessageOp::Deliver | MessageOp::Drop => sent_before(i, &e.id).map_or(0, |j| line_of[j]),
                    _ => 0,
                };
                line_of.push(line);
            }
            let n = next.max(1);
            let place = RowPlace { top, height: 2.0 * PAD + LINE * (n - 1) as f64, lines: (0..n).map(|j| top + PAD + LINE * j as f64).collect(), line_of };
            top += place.height;
            place
        })
        .collect()
}

fn row_text(r: &ChartRow) -> String {
    let text = format!("{} {}", r.step, r.label);
    if text.chars().count() > ROW_CHARS {
        text.chars().take(ROW_CHARS - 1).collect::<String>() + "…"
    } else {
        text
    }
}

/// The chart of `rows` (consecutive steps, in order) with `lanes` named, the step shown being
/// `cursor` (a trace index; rows after it are the trace's future, drawn faded).
pub fn sequence_chart(lanes: &[String], rows: &[ChartRow], cursor: usize) -> Drawing {
    let texts: Vec<String> = rows.iter().map(row_text).collect();
    let cols = Columns::new(lanes, texts.iter().map(|t| t.chars().count()));
    let places = place_rows(rows);
    let width = cols.width;
    let height = places.last().map_or(TOP + 2.0 * PAD, |p| p.top + p.height) + 4.0;
    let current = rows.iter().position(|r| r.step == cursor);
    // Where "now" is: the foot of the current row (in-flight arrows and open spans end there).
    let now_y = match current {
        Some(i) => places[i].top + places[i].height - 4.0,
        None if rows.first().is_some_and(|r| r.step > cursor) => TOP,
        None => height - 4.0,
    };
    let mut bands = Vec::new();
    let mut cursor_band = Vec::new();
    let mut lanes_shapes = Vec::new();
    let mut down_lines = Vec::new();
    // The arrows by the row that sent them (a message sent before the chart's first row: `early`).
    let mut arrows: Vec<Vec<Shape>> = vec![Vec::new(); rows.len()];
    let mut early = Vec::new();
    // The message labels, by the row that sent them.
    let mut labels: Vec<Vec<(f64, Shape)>> = vec![Vec::new(); rows.len()];
    let mut row_labels = Vec::new();

    // Row labels and the current row.
    for ((r, p), text) in rows.iter().zip(&places).zip(texts) {
        let class = if r.step == cursor {
            "msc-row current"
        } else if r.step > cursor {
            "msc-row future"
        } else {
            "msc-row"
        };
        if r.step == cursor {
            cursor_band.push(Shape::Rect { x: 0.0, y: p.top, w: width, h: p.height, rx: 3.0, class: "msc-cursor".into() });
        }
        row_labels.push(Shape::text(ROW_X, p.lines[0] + 4.0, text, class, Anchor::Start).with_title(format!("step {}: {}", r.step, r.label)));
    }
    let drawn = || rows.iter().zip(&places).filter(|(r, _)| r.step <= cursor);

    // Lanes, greyed where their node is down.
    let mut down: BTreeMap<usize, f64> = BTreeMap::new();
    let mut down_spans: Vec<(usize, f64, f64)> = Vec::new();
    let mut cut: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut cut_spans: Vec<((usize, usize), f64, f64)> = Vec::new();
    for (r, p) in drawn() {
        let y = p.lines[0];
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
    down_spans.extend(down.into_iter().map(|(n, from)| (n, from, now_y)));
    cut_spans.extend(cut.into_iter().map(|(l, from)| (l, from, now_y)));
    for ((a, b), from, to) in &cut_spans {
        let (x1, x2) = (cols.x(*a), cols.x(*b));
        bands.push(
            Shape::Rect { x: x1, y: *from, w: x2 - x1, h: (to - from).max(4.0), rx: 2.0, class: "msc-partition".into() }
                .with_id(format!("msc-partition-{a}-{b}-{}", *from as i64))
                .with_title(format!("the link between {} and {} is cut", lanes[*a], lanes[*b])),
        );
    }
    for (i, name) in lanes.iter().enumerate() {
        let x = cols.x(i);
        lanes_shapes.push(Shape::text(x, TOP - 10.0, name.clone(), "msc-lane-name", Anchor::Middle));
        lanes_shapes.push(Shape::Line { x1: x, y1: TOP, x2: x, y2: height - 4.0, class: "msc-lane".into(), arrow: false });
    }
    for (n, from, to) in &down_spans {
        let x = cols.x(*n);
        down_lines.push(
            Shape::Line { x1: x, y1: *from, x2: x, y2: *to, class: "msc-lane down".into(), arrow: false }
                .with_id(format!("msc-down-{n}-{}", *from as i64))
                .with_title(format!("{} is down", lanes[*n])),
        );
    }

    // Messages: each send, and each delivery or drop of the same id up to the current row. A
    // model's ids come from a message's content, so the same id may be sent again once the first
    // is delivered (the same request, re-sent): each send is its own message, keyed `id`, then
    // `id#2`, ..., and a delivery or drop belongs to the latest send of its id.
    let mut sends: BTreeMap<String, (&MessageEvent, f64, usize)> = BTreeMap::new();
    let mut ended: BTreeMap<String, usize> = BTreeMap::new();
    let mut latest: BTreeMap<&str, (String, usize)> = BTreeMap::new();
    for (row, (r, p)) in drawn().enumerate() {
        for (i, e) in r.events.iter().enumerate() {
            let y = p.y(i);
            match e.op {
                MessageOp::Send => {
                    let n = latest.get(e.id.as_str()).map_or(1, |(_, n)| n + 1);
                    let key = if n == 1 { e.id.clone() } else { format!("{}#{n}", e.id) };
                    latest.insert(&e.id, (key.clone(), n));
                    sends.insert(key, (e, y, row));
                }
                MessageOp::Deliver | MessageOp::Drop => {
                    let key = latest.get(e.id.as_str()).map_or_else(|| e.id.clone(), |(k, _)| k.clone());
                    // A message sent before the chart's first row starts at its top.
                    let n = ended.entry(key.clone()).or_insert(0);
                    *n += 1;
                    match sends.get(&key).copied() {
                        Some((sent, sy, at)) => arrows[at].push(message_arrow(&cols, &key, sent, e, sy, y, *n > 1)),
                        None => early.push(message_arrow(&cols, &key, e, e, TOP, y, *n > 1)),
                    }
                }
                _ => {}
            }
        }
    }
    for (key, (sent, sy, row)) in &sends {
        let open = !ended.contains_key(key);
        if open {
            arrows[*row].push(in_flight(&cols, key, sent, *sy, now_y.max(*sy + 6.0)));
        }
        // Each message's label once, at its send, above every arrow (so no later arrow crosses it).
        let text = if open { format!("{} (in flight)", sent.label) } else { sent.label.clone() };
        labels[*row].push((*sy, send_label(&cols, key, sent, *sy, text)));
    }

    // The top-level shapes, each of a fixed place: a few that hold what may come and go anywhere
    // (cut links, the current row, lanes that are down, messages sent before the first row), then
    // per row its arrows, its message labels and its label. Appending a row appends shapes, and a
    // step changes few of them: a page re-renders only the shapes it changed. An arrow is drawn
    // with the row that sent it, before the labels of every later row it crosses, so that no label
    // is under an arrow.
    let mut shapes = vec![Shape::group("msc-partitions", bands), Shape::group("msc-cursor-band", cursor_band)];
    shapes.extend(lanes_shapes);
    shapes.push(Shape::group("msc-downs", down_lines));
    shapes.push(Shape::group("msc-messages", early));
    for ((row_arrows, mut row), row_label) in arrows.into_iter().zip(labels).zip(row_labels) {
        row.sort_by(|a, b| a.0.total_cmp(&b.0));
        shapes.push(Shape::group("msc-messages", row_arrows));
        shapes.push(Shape::group("msc-labels", row.into_iter().map(|(_, s)| s).collect()));
        shapes.push(row_label);
    }
    Drawing {
        width,
        height,
        shapes,
        caption: vec![
            "Each lane is a node, each row a step: first what reached a node in that step, then what it sent, each message on a line of its own with its label where it leaves. An arrow runs from the step that sent a message to the step that delivered it; dashed and stopping short of its receiver: still in flight at the step shown; ending in ×: dropped; a second arrow from one send: a duplicate. A shaded band is a cut link; a grey lane, a node that is down. Rows after the step shown are faded.".into(),
        ],
    }
}

/// The arrow of the message keyed `key` (its id, or `id#n` for its n-th send).
fn message_arrow(cols: &Columns, key: &str, sent: &MessageEvent, end: &MessageEvent, y1: f64, y2: f64, again: bool) -> Shape {
    let (x1, x2) = (cols.x(sent.from), cols.x(end.to));
    let tooltip = tooltip(sent, end.op);
    let id = format!("msc-msg-{}-{}", end.op.as_str(), sanitize(key));
    let mut children = Vec::new();
    if end.op == MessageOp::Drop {
        // A dropped message stops two thirds of the way to its receiver, on a cross at the row
        // that dropped it.
        let xe = x1 + (x2 - x1) * 0.66;
        children.push(Shape::Line { x1, y1, x2: xe, y2, class: "msc-msg dropped".into(), arrow: false });
        children.push(Shape::text(xe, y2 + 5.0, "×", "msc-drop-mark", Anchor::Middle));
    } else {
        let class = if again { "msc-msg duplicate" } else { "msc-msg" };
        children.push(Shape::Line { x1, y1, x2, y2, class: class.into(), arrow: true });
    }
    Shape::group("msc-message", children).with_id(if again { format!("{id}-again") } else { id }).with_title(tooltip)
}

/// A message still in flight: dashed, from its send towards its receiver, ending just short of the
/// receiver's lane at the step shown (so that it reads as going to that lane, not to one it
/// crosses on the way).
fn in_flight(cols: &Columns, key: &str, sent: &MessageEvent, y1: f64, y2: f64) -> Shape {
    let (x1, x2) = (cols.x(sent.from), cols.x(sent.to));
    let xe = x2 - (x2 - x1).signum() * 12.0;
    Shape::group("msc-message", vec![Shape::Line { x1, y1, x2: xe, y2, class: "msc-msg in-flight".into(), arrow: true }])
        .with_id(format!("msc-msg-in-flight-{}", sanitize(key)))
        .with_title(tooltip(sent, MessageOp::Send) + " (in flight)")
}

/// A message's label just above where it leaves its sender's lane, on the side it travels to, kept
/// between the row labels' column and the drawing's right edge.
fn send_label(cols: &Columns, key: &str, sent: &MessageEvent, y1: f64, text: String) -> Shape {
    let (x1, x2) = (cols.x(sent.from), cols.x(sent.to));
    let w = text.chars().count() as f64 * CHAR_W;
    let left = if x2 >= x1 { x1 + 6.0 } else { x1 - 6.0 - w };
    let left = left.min(cols.width - 4.0 - w).max(cols.rows_end + 4.0);
    Shape::text(left, y1 - 4.0, text, "msc-msg-label", Anchor::Start).with_id(format!("msc-label-{}", sanitize(key)))
}

fn tooltip(m: &MessageEvent, end: MessageOp) -> String {
    let fields: Vec<String> = m.contents.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("{} ({}): {}", m.label, end.as_str(), fields.join(", "))
}

fn sanitize(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

/// The chart as Mermaid `sequenceDiagram` text: a participant per lane; per step, a delivered
/// message as an arrow (labelled with the step that sent it and the step that delivered it), a
/// dropped one as a cross, one still in flight at the end as an open arrow, partitions, heals,
/// crashes and recoveries as notes. Each message's label is the one the chart prints, payload and
/// all (Mermaid's `#` and `;` written as its entity codes).
pub fn mermaid(lanes: &[String], rows: &[ChartRow]) -> String {
    let p = |i: usize| format!("n{i}");
    let text = |s: &str| {
        s.chars().fold(String::with_capacity(s.len()), |mut out, c| {
            match c {
                '#' => out.push_str("#35;"),
                ';' => out.push_str("#59;"),
                '\n' | '\r' => out.push(' '),
                c => out.push(c),
            }
            out
        })
    };
    let mut out = String::from("sequenceDiagram\n");
    for (i, name) in lanes.iter().enumerate() {
        out.push_str(&format!("    participant {} as {}\n", p(i), text(name)));
    }
    let mut sends: BTreeMap<&str, (&MessageEvent, usize)> = BTreeMap::new();
    let mut ended = std::collections::BTreeSet::new();
    for r in rows {
        for e in &r.events {
            let sent = sends.get(e.id.as_str()).copied();
            let from = sent.map_or(e.from, |(s, _)| s.from);
            let label = text(&sent.map_or(e, |(s, _)| s).label);
            match e.op {
                MessageOp::Send => {
                    // Sent again after it ended: in flight again.
                    ended.remove(e.id.as_str());
                    sends.insert(&e.id, (e, r.step));
                }
                MessageOp::Deliver => {
                    ended.insert(e.id.as_str());
                    let when = match sent {
                        Some((_, s)) if s != r.step => format!("step {s}→{}", r.step),
                        _ => format!("step {}", r.step),
                    };
                    out.push_str(&format!("    {}->>{}: {label} ({when})\n", p(from), p(e.to)));
                }
                MessageOp::Drop => {
                    ended.insert(e.id.as_str());
                    out.push_str(&format!("    {}-x{}: {label} dropped (step {})\n", p(from), p(e.to), r.step));
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
    for (id, (s, _)) in &sends {
        if !ended.contains(id) {
            out.push_str(&format!("    {}--){}: {} (in flight)\n", p(s.from), p(s.to), text(&s.label)));
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
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

    /// The y of line `line` of the row of step `step` (rows start at step `rows[0].step`).
    fn y_of(rows: &[ChartRow], step: usize, line: usize) -> f64 {
        place_rows(rows)[step - rows[0].step].lines[line]
    }

    fn x_of(lanes: &[String], rows: &[ChartRow], lane: usize) -> f64 {
        Columns::new(lanes, rows.iter().map(|r| row_text(r).chars().count())).x(lane)
    }

    pub(crate) fn line_of(d: &Drawing, id: &str) -> (f64, f64, f64, f64, String) {
        let Some(Shape::Group { children, .. }) = d.find(id) else { panic!("no {id}: {:?}", d.ids()) };
        children
            .iter()
            .find_map(|c| match c {
                Shape::Line { x1, y1, x2, y2, class, .. } => Some((*x1, *y1, *x2, *y2, class.clone())),
                _ => None,
            })
            .expect("a line")
    }

    /// A text's class, its text and its estimated box.
    type TextBox = (String, String, (f64, f64, f64, f64));

    /// Every text of the drawing with its class and its box, as estimated by [`text_box`].
    pub(crate) fn text_boxes(d: &Drawing) -> Vec<TextBox> {
        fn walk(s: &Shape, out: &mut Vec<TextBox>) {
            match s {
                Shape::Text { x, y, text, class, anchor } => out.push((class.clone(), text.clone(), text_box(*x, *y, text, class, *anchor))),
                Shape::Group { children, .. } => children.iter().for_each(|c| walk(c, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        d.shapes.iter().for_each(|s| walk(s, &mut out));
        out
    }

    /// No two of the chart's labels (message labels, row labels, lane names) overlap, and each
    /// is inside the drawing.
    pub(crate) fn assert_no_label_overlaps(d: &Drawing) {
        let boxes: Vec<_> = text_boxes(d)
            .into_iter()
            .filter(|(c, _, _)| c.starts_with("msc-msg-label") || c.starts_with("msc-row") || c.starts_with("msc-lane-name"))
            .collect();
        for (i, (_, t, b)) in boxes.iter().enumerate() {
            assert!(b.0 >= 0.0 && b.2 <= d.width && b.1 >= 0.0 && b.3 <= d.height, "{t:?} at {b:?} is outside the {} x {} drawing", d.width, d.height);
            for (_, u, c) in &boxes[i + 1..] {
                let apart = b.2 <= c.0 || c.2 <= b.0 || b.3 <= c.1 || c.3 <= b.1;
                assert!(apart, "{t:?} at {b:?} overlaps {u:?} at {c:?}");
            }
        }
    }

    #[test]
    fn the_chart_draws_deliveries_duplicates_drops_partitions_crashes_and_what_is_in_flight() {
        let (lanes, rows) = trace();
        let d = sequence_chart(&lanes, &rows, 7);
        let y = |step, line| y_of(&rows, step, line);
        let x = |lane| x_of(&lanes, &rows, lane);
        // Step 1 sent two messages: each on a line of its own.
        assert!(y(1, 1) > y(1, 0));
        // The first delivery: from lane a at its send's line to lane b at the delivery row.
        assert_eq!(line_of(&d, "msc-msg-deliver-1"), (x(0), y(1, 0), x(1), y(3, 0), "msc-msg".to_string()));
        // The duplicate: a second arrow from the same send, to its own delivery row.
        assert_eq!(line_of(&d, "msc-msg-deliver-1-again"), (x(0), y(1, 0), x(1), y(5, 0), "msc-msg duplicate".to_string()));
        // The drop ends short of its receiver, on a cross.
        let (x1, y1, x2, y2, class) = line_of(&d, "msc-msg-drop-2");
        assert_eq!((x1, y1, class.as_str()), (x(0), y(1, 1), "msc-msg dropped"));
        assert!(x2 < x(2) && y2 == y(4, 0), "the cross sits on the row that dropped it");
        assert!(d.find("msc-msg-drop-2").unwrap().texts().contains(&"×".to_string()));
        // Still in flight at the step shown: dashed from its send to just short of its receiver's
        // lane, at the foot of the current row; its label says so.
        let (x1, y1, x2, y2, class) = line_of(&d, "msc-msg-in-flight-3");
        let last = place_rows(&rows).pop().unwrap();
        assert_eq!((x1, y1, x2, y2, class.as_str()), (x(2), y(6, 0), x(0) + 12.0, last.top + last.height - 4.0, "msc-msg in-flight"));
        assert_eq!(d.find("msc-label-3").unwrap().texts(), ["m3 (in flight)"]);
        assert_eq!(d.find("msc-label-1").unwrap().texts(), ["m1"]);
        // The partition: a band between lanes a and c from the cut to the heal.
        let Some(Shape::Group { children, .. }) = d.find(&format!("msc-partition-0-2-{}", y(4, 0) as i64)) else { panic!("{:?}", d.ids()) };
        assert!(
            matches!(children[0], Shape::Rect { x: left, w, y: top, h, .. } if left == x(0) && w == x(2) - x(0) && top == y(4, 0) && h == y(6, 0) - y(4, 0))
        );
        // The crash: lane b greyed from the crash to the recovery.
        let Some(Shape::Group { children, .. }) = d.find(&format!("msc-down-1-{}", y(5, 0) as i64)) else { panic!("{:?}", d.ids()) };
        assert!(matches!(&children[0], Shape::Line { x1, y1, y2, class, .. } if *x1 == x(1) && *y1 == y(5, 0) && *y2 == y(7, 0) && class == "msc-lane down"));
        assert_no_label_overlaps(&d);
    }

    #[test]
    fn at_an_earlier_step_later_events_are_not_drawn_and_messages_are_in_flight() {
        let (lanes, rows) = trace();
        let d = sequence_chart(&lanes, &rows, 2);
        let ids = d.ids();
        assert!(ids.iter().any(|i| i == "msc-msg-in-flight-1") && ids.iter().any(|i| i == "msc-msg-in-flight-2"), "{ids:?}");
        assert!(!ids.iter().any(|i| i.starts_with("msc-msg-deliver") || i.starts_with("msc-partition") || i.starts_with("msc-down")), "{ids:?}");
        // The layout does not depend on the step shown: the rows keep their places.
        let later = sequence_chart(&lanes, &rows, 7);
        assert_eq!((d.width, d.height), (later.width, later.height));
        assert_no_label_overlaps(&d);
    }

    #[test]
    fn a_step_receives_first_then_sends_each_message_on_its_own_line() {
        // A step that takes two messages and sends two, one of them delivered in the step.
        let lanes = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let rows = vec![
            row(1, vec![ev(MessageOp::Send, 1, 0, "p"), ev(MessageOp::Send, 2, 0, "q")]),
            row(
                2,
                vec![
                    ev(MessageOp::Deliver, 1, 0, "p"),
                    ev(MessageOp::Deliver, 2, 0, "q"),
                    ev(MessageOp::Send, 0, 1, "r"),
                    ev(MessageOp::Deliver, 0, 1, "r"),
                    ev(MessageOp::Send, 1, 2, "s"),
                ],
            ),
        ];
        let places = place_rows(&rows);
        assert_eq!(places[1].line_of, [0, 0, 1, 1, 2]);
        let d = sequence_chart(&lanes, &rows, 2);
        let (y, x) = (|step, line| y_of(&rows, step, line), |lane| x_of(&lanes, &rows, lane));
        // Both arrive on the row's first line, at a's lane.
        assert_eq!(line_of(&d, "msc-msg-deliver-p"), (x(1), y(1, 0), x(0), y(2, 0), "msc-msg".to_string()));
        assert_eq!(line_of(&d, "msc-msg-deliver-q"), (x(2), y(1, 1), x(0), y(2, 0), "msc-msg".to_string()));
        // Then r, sent and delivered in the step: a level arrow on its own line.
        assert_eq!(line_of(&d, "msc-msg-deliver-r"), (x(0), y(2, 1), x(1), y(2, 1), "msc-msg".to_string()));
        let (_, y1, _, _, _) = line_of(&d, "msc-msg-in-flight-s");
        assert_eq!(y1, y(2, 2));
        assert_no_label_overlaps(&d);
    }

    #[test]
    fn labels_of_one_step_in_one_direction_do_not_meet_and_stay_out_of_the_row_labels() {
        // A broadcast: three messages from one lane, same direction, same step; long labels.
        let lanes: Vec<String> = (1..=6).map(|i| format!("node {i}")).collect();
        let long = |op, from, to, id: &str| MessageEvent { label: format!("a rather long label for message {id}"), ..ev(op, from, to, id) };
        let rows = vec![
            row(1, vec![long(MessageOp::Send, 0, 1, "1"), long(MessageOp::Send, 0, 2, "2"), long(MessageOp::Send, 0, 5, "3")]),
            row(2, vec![long(MessageOp::Send, 5, 0, "4"), long(MessageOp::Send, 1, 0, "5")]),
            row(3, vec![ev(MessageOp::Deliver, 0, 1, "1"), ev(MessageOp::Deliver, 5, 0, "4")]),
        ];
        for cursor in 1..=3 {
            let d = sequence_chart(&lanes, &rows, cursor);
            assert_no_label_overlaps(&d);
        }
    }

    #[test]
    fn row_labels_are_whole_up_to_the_value() {
        let lanes = vec!["a".to_string(), "b".to_string()];
        let rows = vec![ChartRow { step: 10, label: "ReceiveGossip(1, TargetedDelta k1@3#1 e0 3->1)".into(), events: vec![] }];
        let d = sequence_chart(&lanes, &rows, 10);
        assert!(d.texts().contains(&"10 ReceiveGossip(1, TargetedDelta k1@3#1 e0 3->1)".to_string()), "{:?}", d.texts());
        assert_no_label_overlaps(&d);
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
        let (y, x) = (|step| y_of(&rows, step, 0), |lane| x_of(&lanes, &rows, lane));
        let d = sequence_chart(&lanes, &rows, 5);
        assert_eq!(line_of(&d, "msc-msg-deliver-r"), (x(0), y(1), x(1), y(2), "msc-msg".to_string()));
        assert_eq!(line_of(&d, "msc-msg-deliver-r-2"), (x(0), y(3), x(1), y(4), "msc-msg".to_string()), "not a duplicate");
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
        assert!(m.contains("n0->>n1: m1 (step 1→3)"), "{m}");
        assert!(m.contains("n0-xn2: m2 dropped (step 4)"), "{m}");
        assert!(m.contains("Note over n0,n2: link cut (step 4)") && m.contains("Note over n0,n2: link healed (step 6)"), "{m}");
        assert!(m.contains("Note over n1: crashes (step 5)") && m.contains("Note over n1: recovers (step 7)"), "{m}");
        assert!(m.contains("n2--)n0: m3 (in flight)"), "{m}");
        // Mermaid's own characters are written as entity codes.
        let rows =
            vec![ChartRow { step: 1, label: "x".into(), events: vec![MessageEvent { label: "Δ k1@1#1; ok".into(), ..ev(MessageOp::Send, 0, 1, "z") }] }];
        assert!(mermaid(&lanes, &rows).contains("n0--)n1: Δ k1@1#35;1#59; ok (in flight)"));
    }
}

#[cfg(test)]
mod on_a_model {
    use super::tests::{assert_no_label_overlaps, line_of};
    use super::*;
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
        assert_no_label_overlaps(&d);
        let m = x.picture().message_mermaid().unwrap();
        assert!(m.contains("-xn1:") && m.contains("link cut") && m.contains("link healed"), "{m}");
        // A model that passes no messages has no chart.
        assert!(Explorer::for_model("seqlock").unwrap().picture().message_mermaid().is_none());
    }

    fn chart(x: &Explorer) -> Drawing {
        let t = x.picture().trace_drawings().pop().unwrap();
        assert!(t.chart);
        t.drawing
    }

    fn label(d: &Drawing, id: &str) -> String {
        d.find(&format!("msc-label-{id}")).unwrap_or_else(|| panic!("no label {id}: {:?}", d.ids())).texts().concat()
    }

    /// paxos's gap counterexample, read as a person draws it: each promise reaches its proposer at
    /// the acceptance that first reads it, all of them at once, the promise that carries the
    /// accepted v1 among them, and the proposer's accept request for v2 says it ignored v1.
    #[test]
    fn paxos_counterexample_reads_as_the_proposer_ignoring_the_accepted_value_it_was_told() {
        let (mut x, _) = Explorer::with_counterexample("paxos", "ignore-accepted").unwrap();
        let m = x.model();
        assert_eq!(m.nodes(), ["proposer 1", "proposer 2", "acceptor 1", "acceptor 2", "acceptor 3", "learner"]);
        let steps = &x.session().trace().steps;
        let labels: Vec<&str> = steps[1..].iter().map(|s| s.action.as_deref().unwrap()).collect();
        assert_eq!(
            labels,
            [
                "Promise(1, <<1, 0, 1>>)",
                "Promise(2, <<1, 0, 1>>)",
                "Promise(3, <<1, 0, 2>>)",
                "Accept(1, <<1, 0, 1>>, v1)",
                "Accept(2, <<1, 0, 1>>, v1)",
                "Promise(1, <<1, 0, 2>>)",
                "Accept(3, <<1, 0, 2>>, v2)",
                "Learn(1, v1)",
                "Accept(1, <<1, 0, 2>>, v2)",
                "Learn(1, v2)"
            ]
        );
        let n = steps.len();
        use crate::engine::MessageOp::{Deliver, Send};
        let events = |i: usize| -> Vec<(MessageOp, usize, usize, String)> {
            let steps = &x.session().trace().steps;
            m.messages(&steps[i - 1].state, steps[i].action.as_deref().unwrap()).into_iter().map(|e| (e.op, e.from, e.to, e.label)).collect()
        };
        // Step 6: proposer 2's prepare reaches acceptor 1, whose promise tells what it accepted.
        assert_eq!(
            events(6),
            [
                (Send, 1, 2, "prepare ⟨1,0,2⟩".to_string()),
                (Deliver, 1, 2, "prepare ⟨1,0,2⟩".to_string()),
                (Send, 2, 1, "promise ⟨1,0,2⟩, last accepted ⟨1,0,1⟩=v1".to_string())
            ]
        );
        // Step 7, the first acceptance of <<1, 0, 2>>: both promises reach proposer 2, which then
        // sends v2 anyway.
        assert_eq!(
            events(7),
            [
                (Deliver, 2, 1, "promise ⟨1,0,2⟩, last accepted ⟨1,0,1⟩=v1".to_string()),
                (Deliver, 4, 1, "promise ⟨1,0,2⟩, nothing accepted".to_string()),
                (Send, 1, 4, "accept ⟨1,0,2⟩=v2, ignoring v1".to_string()),
                (Deliver, 1, 4, "accept ⟨1,0,2⟩=v2, ignoring v1".to_string()),
                (Send, 4, 5, "accepted ⟨1,0,2⟩=v2".to_string()),
            ]
        );
        // Step 9, a later acceptance of the same proposal, reads no promise anew.
        assert!(events(9).iter().all(|(_, _, _, l)| !l.starts_with("promise")), "{:?}", events(9));
        // The last step: the learner receives "accepted" from acceptors 1 and 3.
        assert_eq!(events(n - 1), [(Deliver, 2, 5, "accepted ⟨1,0,2⟩=v2".to_string()), (Deliver, 4, 5, "accepted ⟨1,0,2⟩=v2".to_string())]);

        // The chart at step 7: both promises end on proposer 2's lane on the step's first line,
        // one from step 3, one from step 6; the accept request leaves below them.
        x.go_to(7);
        let d = chart(&x);
        let (_, _, x3, y3, c3) = line_of(&d, "msc-msg-deliver-promise-r0-k1-from-2");
        let (_, _, x1, y1, _) = line_of(&d, "msc-msg-deliver-promise-r0-k1-from-0");
        assert_eq!((x3, y3, c3.as_str()), (x1, y1, "msc-msg"), "both promises end at the same point");
        let (ax, ay, _, _, _) = line_of(&d, "msc-msg-deliver-accept-r0-k1-v1-to-2");
        assert_eq!(ax, x1, "proposer 2 receives the promises and sends the accept request");
        assert!(ay > y1, "after the promises arrive");
        assert_eq!(label(&d, "promise-r0-k1-from-0"), "promise ⟨1,0,2⟩, last accepted ⟨1,0,1⟩=v1");
        assert_eq!(label(&d, "accept-r0-k1-v1-to-2"), "accept ⟨1,0,2⟩=v2, ignoring v1");
        assert_eq!(label(&d, "accepted-r0-k1-v1-from-2"), "accepted ⟨1,0,2⟩=v2 (in flight)");
        assert_no_label_overlaps(&d);
        // And at step 4: proposer 1's two promises end together where it sends its first accept.
        x.go_to(4);
        let d = chart(&x);
        assert_eq!(line_of(&d, "msc-msg-deliver-promise-r0-k0-from-0").3, line_of(&d, "msc-msg-deliver-promise-r0-k0-from-1").3);
        assert_no_label_overlaps(&d);
        // Every step of the counterexample: no two labels meet.
        for i in 0..n {
            x.go_to(i);
            assert_no_label_overlaps(&chart(&x));
        }
        // The Mermaid text carries the deciding payload.
        let mm = x.picture().message_mermaid().unwrap();
        assert!(mm.contains("n2->>n1: promise ⟨1,0,2⟩, last accepted ⟨1,0,1⟩=v1 (step 6→7)"), "{mm}");
        assert!(mm.contains("n1->>n4: accept ⟨1,0,2⟩=v2, ignoring v1 (step 7)"), "{mm}");
    }

    /// gossip: a delta broadcast from replica 1 reaches replica 2; the copy to replica 3, still in
    /// flight, is drawn towards replica 3's lane (past replica 2's), labelled as in flight.
    #[test]
    fn gossip_in_flight_message_points_at_its_own_receiver() {
        let mut x = Explorer::for_model("gossip").unwrap();
        x.take("CreateDelta(1, k1)").unwrap();
        x.take("ReceiveGossip(2, DeltaBatch k1@1#1 e0 1->2)").unwrap();
        let d = chart(&x);
        let ids = d.ids();
        let id = ids.iter().find(|i| i.starts_with("msc-msg-in-flight-")).expect("the copy to replica 3 is in flight");
        let (x1, _, xe, _, class) = line_of(&d, id);
        let (_, _, x2, _, _) = line_of(&d, ids.iter().find(|i| i.starts_with("msc-msg-deliver-")).unwrap());
        let lane = x2 - x1; // from replica 1 to replica 2
        assert_eq!(class, "msc-msg in-flight");
        assert!(xe > x2 + lane / 2.0 && xe < x1 + 2.0 * lane, "it ends near replica 3's lane ({xe} between {x2} and {})", x1 + 2.0 * lane);
        assert!(d.texts().iter().any(|t| t == "Δ k1@1#1 (in flight)"), "{:?}", d.texts());
        assert_no_label_overlaps(&d);
        // The broadcast's two labels, one step, one direction: on lines of their own.
        x.go_to(1);
        assert_no_label_overlaps(&chart(&x));
        // A long walk: no two labels meet at any step.
        let mut x = Explorer::for_model("gossip").unwrap();
        for _ in 0..60 {
            if x.random_step().is_none() {
                break;
            }
            assert_no_label_overlaps(&chart(&x));
        }
    }
}
