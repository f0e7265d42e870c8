//! The ring-slot view of `seqlock`: the sequences on a number line (published, being written,
//! future) with each reader's position, the ring's slots with their stamps (odd = being written),
//! the writer's pointer, and one lane per reader with its registers. A torn read shows as a red
//! result; a lapped reader's jump as an arrow along the sequence line.

use super::super::draw::{
    axis, badge_flow, badge_flow_rows, badge_row, lane, lane_titled, message_arrow, pointer, pointer_within, slot_grid, Anchor, Cell, Direction, Drawing,
    Layout, Legend, LegendItem, Shape,
};
use super::{StatePath, View};
use crate::models::seqlock::{ReaderPc, Seqlock, State, WriterPc};

const WIDTH: f64 = 680.0;
const LEFT: f64 = 92.0;
/// The narrow layout's left margin (the axis title sits above the axis rather than beside it).
const NARROW_LEFT: f64 = 24.0;
/// The narrow layout's narrowest slot: `slot 0 · seq 12` fits.
const NARROW_CELL_W: f64 = 108.0;

fn slot_class(stamp: i32) -> &'static str {
    if stamp == 0 {
        "empty"
    } else if stamp % 2 == 1 {
        "odd"
    } else {
        "done"
    }
}

/// What the last step did, in words.
fn caption(m: &Seqlock, prev: Option<&State>, s: &State) -> Vec<String> {
    let Some(p) = prev else {
        return vec![format!("Initial state: {} empty slots, nothing published; the writer will publish sequences 0..{}.", m.ring_size, m.max_seq)];
    };
    let mut out = Vec::new();
    if p.writer_pc != s.writer_pc || p.writer_seq != s.writer_seq {
        let seq = p.writer_seq;
        let slot = m.slot_of(seq);
        out.push(match (p.writer_pc, s.writer_pc) {
            (WriterPc::Idle, WriterPc::Stamped) => format!("Writer stored the odd stamp {} in slot {slot}: sequence {seq} is being written.", 2 * seq + 1),
            (WriterPc::Stamped, WriterPc::Written) => format!("Writer stored value {seq} in slot {slot}; the stamp is still odd."),
            _ => format!("Writer stored the even stamp {} in slot {slot} and published sequence {seq}.", 2 * seq + 2),
        });
    }
    for (r, (a, b)) in p.readers.iter().zip(s.readers.iter()).enumerate() {
        let name = format!("Reader {}", r + 1);
        if a == b {
            continue;
        }
        let slot = m.slot_of(a.cursor);
        out.push(match (a.pc, b.pc) {
            (ReaderPc::Idle, ReaderPc::Stamp1) => {
                format!("{name} loaded stamp {} from slot {slot}, looking for sequence {} (stamp {}).", b.stamp1, a.cursor, 2 * a.cursor + 2)
            }
            (ReaderPc::Stamp1, ReaderPc::Reading) => format!("{name} loaded value {} from slot {slot}.", b.value),
            (ReaderPc::Stamp1, ReaderPc::Idle) if a.stamp1 % 2 == 1 => format!("{name} saw an odd stamp (a write in progress) and will retry."),
            (ReaderPc::Stamp1, ReaderPc::Idle) if b.cursor > a.cursor => {
                format!("{name} found a newer sequence in slot {slot}: it was lapped and jumps from sequence {} to {}.", a.cursor, b.cursor)
            }
            (ReaderPc::Stamp1, ReaderPc::Idle) => format!("{name}: sequence {} is not published yet.", a.cursor),
            (ReaderPc::Reading, ReaderPc::Idle) if b.cursor == a.cursor + 1 && b.result != a.cursor => {
                format!("{name} committed {} while reading sequence {}: a torn read (second stamp {} vs first {}).", b.result, a.cursor, b.stamp2, b.stamp1)
            }
            (ReaderPc::Reading, ReaderPc::Idle) if b.cursor == a.cursor + 1 => {
                format!("{name} re-read the stamp ({}), found it unchanged and committed {}.", b.stamp2, b.result)
            }
            (ReaderPc::Reading, ReaderPc::Idle) => {
                format!("{name} re-read the stamp ({} ≠ {}): the slot was overwritten, the value is discarded.", b.stamp2, b.stamp1)
            }
            _ => format!("{name} moved."),
        });
    }
    if out.is_empty() {
        out.push("Nothing changed.".into());
    }
    out
}

impl View for Seqlock {
    const TITLE: &'static str = "Ring slots";

    fn shapes_for(&self, s: &State, p: &StatePath) -> Vec<String> {
        // Readers are 1-based in the twin (`readStamp1[1]`), as in the view's ids (`r1-stamp1`).
        let reader = || p.key().and_then(|k| k.parse::<usize>().ok()).filter(|&r| r >= 1 && r <= s.readers.len());
        let ids: Vec<String> = match p.var {
            "ring" => p.key().map(|i| format!("slot-{i}")).into_iter().collect(),
            "cursor" | "writerPC" | "writerSeq" => vec!["writer".into()],
            "readerCursor" => reader().map(|r| vec![format!("r{r}-seq"), format!("reader-ptr-{r}")]).unwrap_or_default(),
            "readerPC" => reader().map(|r| vec![format!("r{r}-phase")]).unwrap_or_default(),
            "readStamp1" => reader().map(|r| vec![format!("r{r}-stamp1")]).unwrap_or_default(),
            "readValue" => reader().map(|r| vec![format!("r{r}-value")]).unwrap_or_default(),
            "readStamp2" => reader().map(|r| vec![format!("r{r}-stamp2")]).unwrap_or_default(),
            "readResult" => reader().map(|r| vec![format!("r{r}-result")]).unwrap_or_default(),
            _ => Vec::new(),
        };
        ids
    }

    fn legend(&self) -> Legend {
        Legend {
            items: vec![
                LegendItem::cell("empty", "stamp 0", "a slot never written"),
                LegendItem::cell("odd", "stamp 5", "an odd stamp: the writer is writing this slot now"),
                LegendItem::cell("done", "stamp 4", "an even stamp: the slot holds a whole published value"),
                LegendItem::shape(pointer("", 22.0, 30.0, Direction::Down, "", "writer"), 44.0, 32.0, "where the writer writes next"),
                LegendItem::shape(pointer("", 22.0, 2.0, Direction::Up, "", "reader r1"), 44.0, 24.0, "the slot a reader reads (R1, R2, …)"),
                LegendItem::badge("odd", "stamp1 5", "the first stamp a reader loaded was odd: it retries"),
                LegendItem::badge("mismatch", "stamp2 7", "the second stamp differs from the first: the value may be torn"),
                LegendItem::badge("good", "result 2", "the last value a reader committed"),
                LegendItem::badge("bad", "result 3 · TORN", "a committed value newer than the reader's sequence: a torn read"),
                LegendItem::shape(
                    message_arrow("", (4.0, 16.0), (60.0, 16.0), -8.0, "", "lag"),
                    64.0,
                    22.0,
                    "a lapped reader jumps forward to the oldest sequence still in the ring",
                ),
            ],
            notation: vec![
                "Sequence s is written with stamp 2s+1 (odd, writing) and finished with stamp 2s+2 (even, done): a slot's stamp names the sequence it holds."
                    .into(),
            ],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, layout: Layout) -> Drawing {
        view(self, prev, s, layout)
    }
}

/// The wide layout puts the ring's slots in one strip and each reader's registers in one row
/// beside its name; the narrow one (a phone) wraps the slots into rows of as many as fit, puts
/// the titles above rather than beside the axis, the ring and each lane, and wraps the registers.
fn view(m: &Seqlock, prev: Option<&State>, s: &State, layout: Layout) -> Drawing {
    let mut shapes = Vec::new();
    let readers = s.readers.len();
    let narrow = layout.is_narrow();
    let width = layout.max_width(WIDTH);
    let left = if narrow { NARROW_LEFT } else { LEFT };

    // The sequence line: what is published, what is being written, where each reader is.
    let axis_y = 40.0;
    let (ax, at) = axis("sequences", left, axis_y, width - left - 30.0, 0, m.max_seq as i64 + 1, if narrow { "" } else { "sequence" });
    shapes.push(ax);
    for seq in 0..=m.max_seq {
        let class = if seq <= s.cursor {
            "seq published"
        } else if seq == s.writer_seq && s.writer_pc != WriterPc::Idle {
            "seq writing"
        } else {
            "seq future"
        };
        shapes.push(
            Shape::Circle { cx: at(seq as f64), cy: axis_y, r: 6.0, class: class.into() }
                .with_id(format!("seq-{seq}"))
                .with_title(format!("sequence {seq}: {}", class.trim_start_matches("seq "))),
        );
    }
    let published = if s.cursor < 0 { "published cursor: none yet".to_string() } else { format!("published cursor: {}", s.cursor) };
    shapes.push(Shape::text(left, axis_y - 16.0, if narrow { format!("sequences · {published}") } else { published }, "note", Anchor::Start));
    for (r, rd) in s.readers.iter().enumerate() {
        let x = at(rd.cursor as f64);
        let y = axis_y + 34.0 + r as f64 * 13.0;
        shapes.push(Shape::text(x, y, format!("R{}", r + 1), &format!("reader-mark r{}", r + 1), Anchor::Middle).with_id(format!("reader-mark-{}", r + 1)));
        if let Some(p) = prev {
            let before = p.readers[r].cursor;
            if rd.cursor > before + 1 || (rd.cursor > before && p.readers[r].pc == ReaderPc::Stamp1) {
                shapes.push(message_arrow(&format!("lag-jump-{}", r + 1), (at(before as f64), y - 4.0), (x, y - 4.0), -14.0, "lag jump", "lag"));
            }
        }
    }

    // The ring: one strip, or in a narrow layout rows of as many slots as fit, each row with
    // room above for the writer's pointer and below for the readers'.
    let ring_y = 116.0 + readers as f64 * 13.0 + if narrow { 14.0 } else { 0.0 };
    let per_row = if narrow { (((width - 2.0 * NARROW_LEFT) / NARROW_CELL_W).floor() as usize).clamp(1, m.ring_size.max(1)) } else { m.ring_size.max(1) };
    let cell_w = if narrow { (width - 2.0 * NARROW_LEFT) / per_row as f64 } else { ((WIDTH - LEFT - 20.0) / m.ring_size as f64).min(220.0) };
    let cell_h = 72.0;
    let ring_rows = m.ring_size.max(1).div_ceil(per_row);
    let row_pitch = cell_h + 60.0;
    let cells: Vec<Cell> = s
        .ring
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let body = format!("stamp {}", slot.stamp);
            let state = match slot_class(slot.stamp) {
                "empty" => "empty".to_string(),
                "odd" => format!("writing seq {}", (slot.stamp - 1) / 2),
                _ => format!("holds seq {}", slot.stamp / 2 - 1),
            };
            let head = if !narrow {
                format!("slot {i} · {state}")
            } else if slot.stamp == 0 {
                format!("slot {i}")
            } else {
                // The colour says writing (odd) or done (even).
                format!("slot {i} · seq {}", (slot.stamp - 1) / 2)
            };
            Cell {
                id: format!("slot-{i}"),
                head,
                body,
                foot: format!("value {}", slot.value),
                class: slot_class(slot.stamp).into(),
                tooltip: Some(format!(
                    "slot {i}: stamp {} ({}), value {}",
                    slot.stamp,
                    if slot.stamp % 2 == 1 { "odd: being written" } else { "even" },
                    slot.value
                )),
            }
        })
        .collect();
    if narrow {
        shapes.push(Shape::text(left, ring_y - 34.0, "ring", "axis-title", Anchor::Start));
    } else {
        shapes.push(Shape::text(LEFT - 10.0, ring_y + cell_h / 2.0 + 4.0, "ring", "axis-title", Anchor::End));
    }
    let (strip, corners) = slot_grid(left, ring_y, cell_w, cell_h, per_row, row_pitch, &cells);
    shapes.push(strip);
    let slot_at = |slot: usize| corners.get(slot).map(|&(x, y)| (x + cell_w / 2.0, y)).unwrap_or((left, ring_y));
    if s.writer_seq <= m.max_seq || s.writer_pc != WriterPc::Idle {
        let label = format!("writer · seq {} · {}", s.writer_seq, s.writer_pc.name());
        let (x, y) = slot_at(m.slot_of(s.writer_seq));
        shapes.push(pointer_within("writer", x, y - 2.0, Direction::Down, &label, "writer", (4.0, width - 4.0)));
    } else {
        shapes.push(Shape::text(left, ring_y - 12.0, "writer done: every sequence published", "note", Anchor::Start).with_id("writer"));
    }

    // One lane per reader: its registers in a row beside its name, or (narrow) wrapped under it.
    let lane_y0 = ring_y + (ring_rows - 1) as f64 * row_pitch + cell_h + 34.0;
    let mut y = lane_y0;
    for (r, rd) in s.readers.iter().enumerate() {
        let torn = rd.result >= rd.cursor;
        let mut items = vec![
            (format!("r{}-phase", r + 1), rd.pc.name().to_string(), format!("phase {}", rd.pc.name())),
            (format!("r{}-seq", r + 1), format!("reads seq {}", rd.cursor), "plain".into()),
            (format!("r{}-stamp1", r + 1), format!("stamp1 {}", rd.stamp1), if rd.stamp1 % 2 == 1 { "odd".into() } else { "plain".into() }),
            (format!("r{}-value", r + 1), format!("value {}", rd.value), "plain".into()),
            (
                format!("r{}-stamp2", r + 1),
                format!("stamp2 {}", rd.stamp2),
                if rd.stamp2 != rd.stamp1 && rd.pc == ReaderPc::Idle && rd.stamp2 != 0 { "mismatch".into() } else { "plain".into() },
            ),
        ];
        let result = if rd.result < 0 { "result —".to_string() } else { format!("result {}", rd.result) };
        items.push((format!("r{}-result", r + 1), if torn { format!("{result} · TORN") } else { result }, if torn { "bad".into() } else { "good".into() }));
        let (id, title, class) = (format!("reader-{}", r + 1), format!("reader {}", r + 1), if torn { "torn" } else { "" });
        let lane_h = if narrow {
            let (x0, x1) = (18.0, width - 12.0);
            let rows = badge_flow_rows(x0, x1, 6.0, &items);
            let h = 22.0 + rows as f64 * 24.0 + 4.0;
            let (badges, _) = badge_flow(x0, y + 22.0 + 12.0, x1, 6.0, 24.0, &items);
            shapes.push(lane_titled(&id, 6.0, y, width - 12.0, h, &title, class, badges));
            h
        } else {
            let h = 34.0;
            let (badges, _) = badge_row(LEFT, y + h / 2.0, 6.0, &items);
            shapes.push(lane(&id, 10.0, y, WIDTH - 20.0, h, &title, class, badges));
            h
        };
        y += lane_h + 8.0;
        // The reader's pointer under the slot it reads.
        let (sx, sy) = slot_at(m.slot_of(rd.cursor));
        let px = sx + (r as f64 - (readers as f64 - 1.0) / 2.0) * 22.0;
        shapes.push(pointer(&format!("reader-ptr-{}", r + 1), px, sy + cell_h + 2.0, Direction::Up, &format!("R{}", r + 1), &format!("reader r{}", r + 1)));
    }
    let height = y + 6.0;
    Drawing { width, height, shapes, caption: caption(m, prev, s) }
}
