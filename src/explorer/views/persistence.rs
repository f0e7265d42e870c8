//! The view of `persistence`: three lanes, as the message chart's nodes. The writer's deltas,
//! each marked by where it stands (to send, held by the server, acknowledged, or acknowledged yet
//! not recoverable: at risk); the server's write buffer as a bar filled against its capacity, the
//! flush in progress and the memory (the lane turns red while the server is down, and flashes on
//! the step that crashed it); the object store's segments as blocks, and the manifest as the list
//! of ids it names (a name with no segment behind it is drawn missing).

use super::super::draw::{badge, gauge, lane, slot_strip, Anchor, Cell, Drawing, Layout, Legend, LegendItem, Mark, Shape};
use super::{last_action, StatePath, View};
use crate::engine::plural;
use crate::models::persistence::{bit, Action, Persistence, Segment, State};

const WIDTH: f64 = 700.0;
const LANE_X: f64 = 10.0;
const LANE_W: f64 = WIDTH - 20.0;
/// Where a lane's contents start (its title is at the left).
const BODY_X: f64 = 118.0;
const CELL_W: f64 = 92.0;
const CELL_H: f64 = 56.0;
const GAUGE_W: f64 = 220.0;

/// Where delta `d` stands, as (class, body, foot).
fn delta_status(s: &State, d: u8) -> (&'static str, &'static str, &'static str) {
    let acked = s.acked & bit(d) != 0;
    let recoverable = s.recoverable() & bit(d) != 0;
    let held = s.buffer.contains(&d) || s.flushing_deltas() & bit(d) != 0;
    match (acked, recoverable, held) {
        (true, true, _) => ("done", "acked", "durable"),
        (true, false, _) => ("at-risk", "acked", "at risk"),
        (false, _, true) => ("odd", "sent", if s.buffer.contains(&d) { "in buffer" } else { "flushing" }),
        (false, true, false) => ("empty", "to send", "durable, no ack"),
        (false, false, false) => ("empty", "to send", ""),
    }
}

fn caption(m: &Persistence, prev: Option<&State>, s: &State) -> Vec<String> {
    let Some(p) = prev else {
        return vec![
            format!(
                "Initial state: the writer has {} to send; the buffer holds up to {}; segment ids 0..{}; the server may crash {}.",
                plural(m.max_deltas as usize, "delta", "deltas"),
                plural(m.max_buffer_size as usize, "delta", "deltas"),
                m.max_segments.saturating_sub(1),
                plural(m.max_crashes as usize, "time", "times")
            ),
            match (m.ack_on_push, m.manifest_first, m.backpressure) {
                (true, _, _) => "Gap: a delta is acknowledged as soon as it enters the buffer.".to_string(),
                (_, true, _) => "Gap: the manifest lists a segment before the segment is written.".to_string(),
                (_, _, false) => "Gap: a push ignores the buffer's capacity.".to_string(),
                _ => "Safe: a segment is written, then listed in the manifest, and only then are its deltas acknowledged; a full buffer refuses pushes."
                    .to_string(),
            },
        ];
    };
    let mut out = Vec::new();
    match last_action(m, p, s) {
        Some(Action::PushDelta(d)) => {
            out.push(format!("The writer sent delta {d}: the buffer now holds {}.", Persistence::seq_text(&s.buffer)));
            if m.ack_on_push {
                out.push(format!("Ack-before-flush: delta {d} is acknowledged already, though only the server's memory holds it."));
            }
        }
        Some(Action::FlushBuffer) => {
            if let Some(seg) = &s.flushing {
                out.push(format!(
                    "A flush started: the buffer became segment {} {}, on its way to the object store.",
                    seg.id,
                    Persistence::seq_text(&seg.deltas)
                ));
            }
        }
        Some(Action::WriteSegment) => {
            if let Some(seg) = &s.flushing {
                out.push(format!("Segment {} is in the object store.", seg.id));
            }
        }
        Some(Action::UpdateManifest) => {
            let id = s.flushing.as_ref().map_or(0, |seg| seg.id);
            out.push(format!("The manifest (generation {}) now lists segment {id}.", s.manifest_generation));
            if s.flushing.as_ref().is_some_and(|seg| !s.stored(seg)) {
                out.push(format!("Manifest-first: segment {id} is not written yet; a crash now leaves the manifest naming a segment that does not exist."));
            }
        }
        Some(Action::Ack) => out.push(format!("The flush is done: deltas {} are acknowledged.", Persistence::set_text(s.acked & !p.acked))),
        Some(Action::Crash) => {
            let mut lost = p.buffer.clone();
            if let Some(seg) = &p.flushing {
                lost.extend(&seg.deltas);
            }
            out.push(format!(
                "CRASH: the server lost its memory {}, its buffer and its flush in progress; the object store keeps its segments and the manifest.",
                Persistence::set_text(p.memory)
            ));
            if let Some(seg) = p.flushing.as_ref().filter(|seg| !p.stored(seg)) {
                out.push(format!("Segment {}'s PUT never reached the store.", seg.id));
            }
        }
        Some(Action::Recover) => out.push(format!(
            "The server recovered: it loaded {} from the segments the manifest names ({}).",
            Persistence::set_text(s.memory),
            Persistence::ids_text(s.manifest_segments)
        )),
        None => out.push("This state does not follow from the previous one by one step.".to_string()),
    }
    let at_risk = m.at_risk(s);
    if s.crashed && at_risk != 0 {
        out.push(format!(
            "Deltas {} were acknowledged but no segment the manifest names holds them: DurabilityGuarantee fails.",
            Persistence::set_text(at_risk)
        ));
    }
    let missing = s.manifest_segments & !s.stored_ids();
    if s.crashed && missing != 0 {
        out.push(format!("The manifest names segments {} the object store does not hold: ManifestConsistent fails.", Persistence::ids_text(missing)));
    }
    if s.buffer.len() > m.max_buffer_size as usize {
        out.push(format!("The buffer holds {} deltas, past its capacity {}: WriteBufferBounded fails.", s.buffer.len(), m.max_buffer_size));
    }
    if !s.crashed && s.acked & !s.memory != 0 {
        out.push(format!("The recovered server does not hold acknowledged deltas {}: RecoveryCompleteness fails.", Persistence::set_text(s.acked & !s.memory)));
    }
    out
}

/// A segment's block: listed, written but not yet listed, or orphaned by a crash.
fn segment_cell(s: &State, seg: &Segment) -> Cell {
    let (class, foot) = if s.listed(seg.id) {
        ("done", "listed")
    } else if s.flushing.as_ref() == Some(seg) {
        ("odd", "not listed yet")
    } else {
        ("discarded", "orphan")
    };
    Cell {
        id: format!("segment-{}", seg.id),
        head: format!("seg {}", seg.id),
        body: Persistence::seq_text(&seg.deltas),
        foot: foot.into(),
        class: class.into(),
        tooltip: Some(format!("segment {} holds deltas {} ({foot})", seg.id, Persistence::seq_text(&seg.deltas))),
    }
}

impl View for Persistence {
    const TITLE: &'static str = "Write buffer, object store, manifest";

    fn shapes_for(&self, s: &State, p: &StatePath) -> Vec<String> {
        // A set of deltas is drawn as the writer's blocks for its members.
        let deltas = |set: u8| -> Vec<String> { (1..=self.max_deltas).filter(|&d| set & bit(d) != 0).map(|d| format!("delta-{d}")).collect() };
        let or = |ids: Vec<String>, fallback: &str| if ids.is_empty() { vec![fallback.to_string()] } else { ids };
        match p.var {
            "buffer" => vec!["buffer".into(), "buffer-text".into()],
            "memory" => vec!["memory".into()],
            "acked" => or(deltas(s.acked), "writer"),
            "flushing" => vec![if s.flushing.is_some() { "flushing" } else { "server" }.into()],
            "object_store" => or(s.object_store.iter().map(|seg| format!("segment-{}", seg.id)).collect(), "store"),
            "next_segment_id" => vec!["store".into()],
            "manifest_segments" | "manifest_generation" => or((0..8u8).filter(|&i| s.listed(i)).map(|i| format!("manifest-{i}")).collect(), "manifest-empty"),
            "crashed" => vec!["server".into(), "status-server".into()],
            "crashes" => vec!["status-crashes".into()],
            _ => Vec::new(),
        }
    }

    fn legend(&self) -> Legend {
        // The bar's scale reaches the fill when it is past the capacity, as in the view.
        let bar = |class: &str, value: i64, meaning: &str| {
            let (g, _) = gauge("", 2.0, 8.0, 80.0, 10.0, 0, value.max(2), value, class, &[Mark { value: 2, label: "cap".into(), class: String::new() }]);
            LegendItem::shape(g.without_ids(), 90.0, 38.0, meaning)
        };
        let items = vec![
            LegendItem::cell("empty", "to send", "a delta the writer has still to send (or to send again: a crash lost it before its ack)"),
            LegendItem::cell("odd", "sent", "a delta the server holds in its buffer or its flush, not acknowledged yet"),
            LegendItem::cell("done", "acked", "a delta acknowledged and in a segment the manifest names: durable"),
            LegendItem::cell("at-risk", "acked", "a delta acknowledged that no listed segment holds: a crash now loses it"),
            bar("buffer", 1, "the write buffer: its fill against its capacity (the mark)"),
            bar("buffer regressed", 3, "a buffer filled past its capacity: WriteBufferBounded fails"),
            bar("buffer flash", 0, "flashing: the buffer the crash just emptied"),
            LegendItem::shape(
                lane("", 1.0, 1.0, 110.0, 26.0, "server", "crashed", Vec::new()).without_ids(),
                112.0,
                28.0,
                "the server is down (crashed, not yet recovered)",
            ),
            LegendItem::badge("warn", "flushing seg 0", "the flush in progress: its segment, written to the store or not, listed or not"),
            LegendItem::cell("done", "seg 0", "a segment in the object store that the manifest lists"),
            LegendItem::cell("odd", "seg 0", "a segment written by the flush in progress, not listed yet"),
            LegendItem::cell("discarded", "seg 0", "an orphan segment: written, never listed (a crash stopped its flush); recovery ignores it"),
            LegendItem::badge("good", "seg 0", "a manifest entry whose segment the store holds"),
            LegendItem::badge("bad", "seg 0 missing", "a manifest entry with no segment behind it: recovery cannot load it"),
            LegendItem::badge("bad", "CRASH", "the last step crashed the server"),
        ];
        Legend {
            // The swatches are marks, not parts of a state: no ids (an id names a part in the view).
            items: items.into_iter().map(|item| LegendItem { swatch: item.swatch.without_ids(), ..item }).collect(),
            notation: vec![
                "Deltas are numbered 1..MaxDeltas; <<1, 2>> is a buffer or a segment's deltas in push order, {1, 2} a set of deltas.".into(),
                "A flush takes the whole buffer as segment n (the next id), writes it to the store, lists n in the manifest, then acknowledges its deltas; recovery loads the deltas of the listed segments.".into(),
            ],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, _layout: Layout) -> Drawing {
        view(self, prev, s)
    }
}

fn view(m: &Persistence, prev: Option<&State>, s: &State) -> Drawing {
    let mut shapes = Vec::new();
    let just_crashed = prev.is_some_and(|p| !p.crashed && s.crashed);

    // Status.
    let mode = match (m.ack_on_push, m.manifest_first, m.backpressure) {
        (true, _, _) => ("gap: ack before flush", "warn"),
        (_, true, _) => ("gap: manifest first", "warn"),
        (_, _, false) => ("gap: no backpressure", "warn"),
        _ => ("safe", "good"),
    };
    let mut x = LANE_X;
    let mut status: Vec<(String, String, String)> = Vec::new();
    if just_crashed {
        status.push(("status-crash".into(), "CRASH".into(), "bad".into()));
    }
    status.push((
        "status-server".into(),
        if s.crashed { "server down".into() } else { "server up".into() },
        if s.crashed { "bad".into() } else { "plain".into() },
    ));
    status.push(("status-crashes".into(), format!("crashes {}/{}", s.crashes, m.max_crashes), "plain".into()));
    status.push(("status-mode".into(), mode.0.into(), mode.1.into()));
    for (id, text, class) in &status {
        let (b, w) = badge(id, x, 18.0, text, class);
        shapes.push(b);
        x += w + 8.0;
    }

    // The writer: one block per delta.
    let y = 38.0;
    let cells: Vec<Cell> = (1..=m.max_deltas)
        .map(|d| {
            let (class, body, foot) = delta_status(s, d);
            Cell {
                id: format!("delta-{d}"),
                head: format!("delta {d}"),
                body: body.into(),
                foot: foot.into(),
                class: class.into(),
                tooltip: Some(format!("delta {d}: {body}{}", if foot.is_empty() { String::new() } else { format!(", {foot}") })),
            }
        })
        .collect();
    shapes.push(lane("writer", LANE_X, y, LANE_W, CELL_H + 16.0, "writer", "", vec![slot_strip(BODY_X, y + 8.0, CELL_W, CELL_H, &cells)]));

    // The server: the buffer's bar, the flush in progress, the memory.
    let y = y + CELL_H + 28.0;
    let h = 92.0;
    let fill = s.buffer.len() as i64;
    let cap = m.max_buffer_size as i64;
    let over = fill > cap;
    let gauge_class = format!("buffer{}{}", if over { " regressed" } else { "" }, if just_crashed { " flash" } else { "" });
    let marks = [Mark { value: cap, label: format!("capacity {cap}"), class: String::new() }];
    let (g, _) = gauge("buffer", BODY_X, y + 22.0, GAUGE_W, 14.0, 0, cap.max(fill), fill, &gauge_class, &marks);
    let mut children = vec![Shape::text(BODY_X, y + 12.0, "write buffer", "cell-head", Anchor::Start), g];
    let lost = prev.filter(|p| just_crashed && !p.buffer.is_empty()).map(|p| Persistence::seq_text(&p.buffer));
    let buffer_text = match lost {
        Some(l) => format!("buffer {} (lost {l})", Persistence::seq_text(&s.buffer)),
        None => format!("buffer {}", Persistence::seq_text(&s.buffer)),
    };
    children.push(Shape::text(BODY_X + GAUGE_W + 16.0, y + 34.0, buffer_text, "cell-foot", Anchor::Start).with_id("buffer-text"));
    let (b, w) = badge("memory", BODY_X, y + 72.0, &format!("memory {}", Persistence::set_text(s.memory)), "plain");
    children.push(b);
    if let Some(seg) = &s.flushing {
        let text = format!(
            "flushing seg {} {}: {}, {}",
            seg.id,
            Persistence::seq_text(&seg.deltas),
            if s.stored(seg) { "written" } else { "not written" },
            if s.listed(seg.id) { "listed" } else { "not listed" }
        );
        let (b, _) = badge("flushing", BODY_X + w + 10.0, y + 72.0, &text, "warn");
        children.push(b);
    }
    shapes.push(lane("server", LANE_X, y, LANE_W, h, "server", if s.crashed { "crashed" } else { "" }, children));

    // The object store: segments, then the manifest.
    let y = y + h + 12.0;
    let mut children = Vec::new();
    let blocks: Vec<Cell> = s.object_store.iter().map(|seg| segment_cell(s, seg)).collect();
    if blocks.is_empty() {
        children.push(Shape::text(BODY_X, y + 28.0, "no segments", "cell-foot", Anchor::Start));
    } else {
        children.push(slot_strip(BODY_X, y + 8.0, CELL_W, CELL_H, &blocks));
    }
    let my = y + CELL_H + 30.0;
    children.push(Shape::text(BODY_X, my + 4.0, format!("manifest (generation {}):", s.manifest_generation), "cell-foot", Anchor::Start));
    let mut mx = BODY_X + 200.0;
    let stored = s.stored_ids();
    let ids: Vec<u8> = (0..8u8).filter(|&i| s.listed(i)).collect();
    if ids.is_empty() {
        let (b, _) = badge("manifest-empty", mx, my, "empty", "muted-badge");
        children.push(b);
    }
    for i in ids {
        let present = stored & (1 << i) != 0;
        let (b, w) = badge(
            &format!("manifest-{i}"),
            mx,
            my,
            &if present { format!("seg {i}") } else { format!("seg {i} missing") },
            if present { "good" } else { "bad" },
        );
        children.push(b);
        mx += w + 6.0;
    }
    let store_h = CELL_H + 50.0;
    shapes.push(lane("store", LANE_X, y, LANE_W, store_h, "object store", "", children));

    Drawing { width: WIDTH, height: y + store_h + 8.0, shapes, caption: caption(m, prev, s) }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{class_of, texts_of};
    use crate::catalogue;

    fn drawing_after(config: &str, labels: &[&str]) -> crate::explorer::draw::Drawing {
        super::super::testing::drawing_after("persistence", config, labels)
    }

    #[test]
    fn a_flush_moves_deltas_from_the_buffer_to_a_listed_segment() {
        let d = drawing_after("safe", &["PushDelta(1)", "PushDelta(2)"]);
        assert_eq!(class_of(&d, "delta-1"), "cell-group odd");
        assert_eq!(class_of(&d, "delta-3"), "cell-group empty");
        assert_eq!(class_of(&d, "buffer"), "gauge buffer");
        assert!(texts_of(&d, "buffer-text").contains(&"buffer <<1, 2>>".to_string()));
        let d = drawing_after("safe", &["PushDelta(1)", "PushDelta(2)", "FlushBuffer", "WriteSegment"]);
        assert_eq!(class_of(&d, "segment-0"), "cell-group odd");
        assert!(texts_of(&d, "flushing").iter().any(|t| t.contains("written, not listed")));
        let d = drawing_after("safe", &["PushDelta(1)", "PushDelta(2)", "FlushBuffer", "WriteSegment", "UpdateManifest", "Ack"]);
        assert_eq!(class_of(&d, "segment-0"), "cell-group done");
        assert_eq!(class_of(&d, "manifest-0"), "badge good");
        assert_eq!(class_of(&d, "delta-2"), "cell-group done");
        assert!(d.caption[0].contains("deltas {1, 2} are acknowledged"), "{:?}", d.caption);
    }

    #[test]
    fn a_crash_flashes_the_buffer_and_reddens_the_server() {
        let d = drawing_after("safe", &["PushDelta(1)", "Crash"]);
        assert_eq!(class_of(&d, "buffer"), "gauge buffer flash");
        assert_eq!(class_of(&d, "server"), "lane crashed");
        assert_eq!(class_of(&d, "status-crash"), "badge bad");
        assert!(texts_of(&d, "buffer-text").contains(&"buffer <<>> (lost <<1>>)".to_string()));
        let d = drawing_after("safe", &["PushDelta(1)", "Crash", "Recover"]);
        assert_eq!(class_of(&d, "server"), "lane ");
        assert!(d.find("status-crash").is_none());
        assert_eq!(class_of(&d, "buffer"), "gauge buffer");
    }

    #[test]
    fn the_gaps_show_what_breaks() {
        let d = drawing_after("ack-before-flush", &["PushDelta(1)", "Crash"]);
        assert_eq!(class_of(&d, "delta-1"), "cell-group at-risk");
        assert!(d.caption.iter().any(|c| c.contains("DurabilityGuarantee fails")), "{:?}", d.caption);
        let d = drawing_after("manifest-first", &["PushDelta(1)", "FlushBuffer", "UpdateManifest", "Crash"]);
        assert_eq!(class_of(&d, "manifest-0"), "badge bad");
        assert!(texts_of(&d, "manifest-0").contains(&"seg 0 missing".to_string()));
        assert!(d.caption.iter().any(|c| c.contains("ManifestConsistent fails")), "{:?}", d.caption);
        let d = drawing_after("no-backpressure", &["PushDelta(1)", "PushDelta(2)", "PushDelta(3)"]);
        assert_eq!(class_of(&d, "buffer"), "gauge buffer regressed");
        assert!(d.caption.iter().any(|c| c.contains("WriteBufferBounded fails")), "{:?}", d.caption);
        let d = drawing_after("safe", &["PushDelta(1)", "FlushBuffer", "WriteSegment", "Crash", "Recover"]);
        assert_eq!(class_of(&d, "segment-0"), "cell-group discarded");
    }

    #[test]
    fn the_legend_carries_no_ids() {
        let m = catalogue::build("persistence", "safe", &[]).unwrap();
        let legend = crate::catalogue::builtin().legend(m.as_ref()).unwrap();
        for item in &legend.items {
            let mut ids = Vec::new();
            item.swatch.ids(&mut ids);
            assert!(ids.is_empty(), "{}: {ids:?}", item.meaning);
        }
    }
}
