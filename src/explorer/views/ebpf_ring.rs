//! The ring-strip view of `ebpf-ring`: the offsets on a number line with the consumer, producer
//! and reserve pointers; the ring as a strip of `Capacity` units coloured by the state of the
//! record occupying each; the record the consumer holds; and the async query's lamp.

use super::super::draw::{
    axis, badge, badge_flow, badge_flow_rows, badge_row, lane, lane_titled, pointer, pointer_within, slot_grid, Anchor, Cell, Direction, Drawing, Layout,
    Legend, LegendItem, Shape,
};
use super::{StatePath, View};
use crate::engine::plural;
use crate::models::ebpf_ring::{EbpfRing, RecordState, State};

const WIDTH: f64 = 680.0;
const LEFT: f64 = 92.0;

fn state_class(s: RecordState) -> &'static str {
    match s {
        RecordState::Uninit => "uninit",
        RecordState::Locked => "locked",
        RecordState::Submitted => "submitted",
        RecordState::Discarded => "discarded",
    }
}

fn caption(prev: Option<&State>, s: &State) -> Vec<String> {
    let Some(p) = prev else {
        return vec!["Initial state: an empty ring, all offsets at 0, no async query.".into()];
    };
    let mut out = Vec::new();
    if s.records.len() > p.records.len() {
        let r = s.records.last().unwrap();
        out.push(format!(
            "Producer reserved {} at offset {}: the record is {} and the producer offset is published as {}.",
            plural(r.size, "unit", "units"),
            p.reserve,
            r.state.name(),
            s.producer
        ));
    }
    if s.records.len() == p.records.len() {
        if let (Some(a), Some(b)) = (p.records.first(), s.records.first()) {
            if a.state != b.state {
                out.push(format!("Producer marked the head record {} (was {}).", b.state.name(), a.state.name()));
            }
        }
    }
    if s.held.active && !p.held.active {
        let ok = s.held.state == RecordState::Submitted;
        out.push(format!(
            "Consumer took the head record ({}, {}){}",
            plural(s.held.size, "unit", "units"),
            s.held.state.name(),
            if ok { "." } else { ": it is not Submitted — the consumer reads data the producer has not written." }
        ));
    }
    if !s.held.active && p.held.active {
        out.push(format!("Consumer returned {}; the consumer offset is now {}.", plural(p.held.size, "unit", "units"), s.consumer));
    }
    if s.records.len() < p.records.len() && !p.held.active {
        out.push(format!("Consumer skipped a Discarded record; the consumer offset is now {}.", s.consumer));
    }
    if s.async_pending && !p.async_pending {
        out.push("An async query was queued; it completes once producer > consumer.".into());
    }
    if !s.async_pending && p.async_pending {
        // asyncCompleted is sticky ("completed at least once", as in the published spec), so a
        // completion shows as a first completion or a new result; a completion with the same
        // offsets as before and a cancel lead to the same state and cannot be told apart.
        let newly = s.async_completed && (!p.async_completed || s.async_result != p.async_result);
        out.push(if newly {
            format!("The async query completed with consumer {} and producer {}.", s.async_result.0, s.async_result.1)
        } else if s.async_completed && s.async_result == (s.consumer, s.producer) {
            format!(
                "The async query completed again with the same offsets (consumer {}, producer {}), or was cancelled: both steps lead to this same state.",
                s.async_result.0, s.async_result.1
            )
        } else {
            "The async query was cancelled.".to_string()
        });
    }
    if out.is_empty() {
        out.push(if p == s { "Nothing changed: the head record is still Locked, so the consumer sees nothing yet.".into() } else { "State changed.".into() });
    }
    out
}

impl View for EbpfRing {
    const TITLE: &'static str = "Ring strip";

    fn shapes_for(&self, s: &State, p: &StatePath) -> Vec<String> {
        match p.var {
            // `records[k]` (1-based, head first) covers the units from its offset on.
            "records" => {
                let Some(k) = p.key().and_then(|k| k.parse::<usize>().ok()).filter(|&k| k >= 1 && k <= s.records.len()) else { return Vec::new() };
                let cap = self.capacity;
                let start = s.consumer + s.records[..k - 1].iter().map(|r| r.size).sum::<i32>();
                (start..start + s.records[k - 1].size).map(|off| format!("unit-{}", off.rem_euclid(cap))).collect()
            }
            "producer" => vec!["off-producer".into()],
            "consumer" => vec!["off-consumer".into(), "ring-consumer".into()],
            "reserve" => vec!["ring-reserve".into()],
            "held" => vec!["held".into()],
            "asyncPending" | "asyncCompleted" | "asyncResult" => vec!["async-lamp".into(), "async-state".into()],
            "tripWire" => vec!["trip-wire".into()],
            _ => Vec::new(),
        }
    }

    fn legend(&self) -> Legend {
        Legend {
            items: vec![
                LegendItem::cell("free", "free", "space not reserved by any record"),
                LegendItem::cell("uninit", "reserved", "reserved by the producer, its header not yet written"),
                LegendItem::cell("locked", "busy", "a record being written: its busy bit is set"),
                LegendItem::cell("submitted", "ready", "a record submitted: the consumer may read it"),
                LegendItem::cell("discarded", "skip", "a record discarded: the consumer skips it"),
                LegendItem::shape(pointer("", 22.0, 30.0, Direction::Down, "", "producer"), 44.0, 32.0, "an offset: the producer's or the consumer's position"),
                LegendItem::badge("good", "held", "a lock or result as the protocol wants it"),
                LegendItem::badge("bad", "unsafe", "what breaks Safety: the consumer sees space no record owns"),
                LegendItem::badge("warn", "trip wire", "the trip wire: the gap's unsafe moment has happened"),
            ],
            notation: vec!["Offsets count bytes from the start of the ring and grow for ever; a position in the ring is the offset modulo its size.".into()],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, layout: Layout) -> Drawing {
        view(self, prev, s, layout)
    }
}

/// The wide layout puts the ring's units in one strip and the lanes' titles beside their
/// contents; the narrow one (a phone) wraps the units into rows of as many as fit and puts the
/// titles above the axis, the ring and each lane's contents.
fn view(m: &EbpfRing, prev: Option<&State>, s: &State, layout: Layout) -> Drawing {
    let mut shapes = Vec::new();
    let narrow = layout.is_narrow();
    let width = layout.max_width(WIDTH);
    let left = if narrow { 24.0 } else { LEFT };
    let bounds = (4.0, width - 4.0);

    // Offsets never wrap in this model: show them on a line.
    let axis_y = 58.0;
    let (ax, at) = axis("offsets", left, axis_y, width - left - 30.0, 0, m.max_offset as i64, if narrow { "" } else { "offset" });
    shapes.push(ax);
    if narrow {
        shapes.push(Shape::text(left - 14.0, 16.0, "offset", "axis-title", Anchor::Start));
    }
    // Pointers at the same offset share one label ("P=R 3").
    let marks = [("consumer", "C", s.consumer), ("producer", "P", s.producer), ("reserve", "R", s.reserve)];
    for (i, (id, _, off)) in marks.iter().enumerate() {
        if marks[..i].iter().any(|m| m.2 == *off) {
            continue;
        }
        let names: Vec<&str> = marks.iter().filter(|m| m.2 == *off).map(|m| m.1).collect();
        let label = format!("{} {off}", names.join("="));
        shapes.push(pointer_within(&format!("off-{id}"), at(*off as f64), axis_y - 6.0, Direction::Down, &label, id, bounds));
    }

    // The ring: Capacity units; offset o lives in unit o % Capacity.
    let cap = m.capacity as usize;
    let per_row = if narrow { (((width - 2.0 * left) / 120.0).floor() as usize).clamp(1, cap.max(1)) } else { cap.max(1) };
    let unit_w = if narrow { (width - 2.0 * left) / per_row as f64 } else { ((WIDTH - LEFT - 20.0) / cap as f64).min(150.0) };
    let ring_y = 112.0;
    let unit_h = 70.0;
    let row_pitch = unit_h + 44.0;
    let ring_rows = cap.max(1).div_ceil(per_row);
    let mut owner: Vec<Option<(usize, RecordState, i32)>> = vec![None; cap];
    let mut offset = s.consumer;
    for (k, r) in s.records.iter().enumerate() {
        for u in 0..r.size {
            owner[((offset + u) as usize) % cap] = Some((k, r.state, offset + u));
        }
        offset += r.size;
    }
    let cells: Vec<Cell> = owner
        .iter()
        .enumerate()
        .map(|(u, o)| match o {
            Some((k, st, off)) => Cell {
                id: format!("unit-{u}"),
                head: format!("unit {u} · offset {off}"),
                body: st.name().to_string(),
                foot: format!("record {}{}", k + 1, if *k == 0 { " (head)" } else { "" }),
                class: state_class(*st).into(),
                tooltip: Some(format!("unit {u} holds offset {off} of record {} ({})", k + 1, st.name())),
            },
            None => Cell {
                id: format!("unit-{u}"),
                head: format!("unit {u}"),
                body: "free".into(),
                foot: String::new(),
                class: "free".into(),
                tooltip: Some(format!("unit {u} is free")),
            },
        })
        .collect();
    if narrow {
        shapes.push(Shape::text(left - 14.0, ring_y - 10.0, "ring", "axis-title", Anchor::Start));
    } else {
        shapes.push(Shape::text(LEFT - 10.0, ring_y + unit_h / 2.0 + 4.0, "ring", "axis-title", Anchor::End));
    }
    let (strip, corners) = slot_grid(left, ring_y, unit_w, unit_h, per_row, row_pitch, &cells);
    shapes.push(strip);
    // The middle of the bottom edge of the unit offset `o` lives in.
    let unit_at = |o: i32| corners.get(o as usize % cap).map(|&(x, y)| (x + unit_w / 2.0, y + unit_h)).unwrap_or((left, ring_y + unit_h));
    let (cx, cy) = unit_at(s.consumer);
    shapes.push(pointer_within("ring-consumer", cx, cy + 2.0, Direction::Up, "consumer", "consumer", bounds));
    if s.reserve - s.consumer < m.capacity || s.records.is_empty() {
        let (rx, ry) = unit_at(s.reserve);
        shapes.push(pointer_within(
            "ring-reserve",
            rx + if s.reserve % m.capacity == s.consumer % m.capacity { 30.0 } else { 0.0 },
            ry + 2.0,
            Direction::Up,
            "next reserve",
            "reserve",
            bounds,
        ));
    }

    // The consumer's hand and the async query.
    let lane_y = ring_y + (ring_rows - 1) as f64 * row_pitch + unit_h + 40.0;
    let held_text =
        if s.held.active { format!("holds {}, {}", plural(s.held.size, "unit", "units"), s.held.state.name()) } else { "holds nothing".to_string() };
    let held_class = if !s.held.active {
        "plain"
    } else if s.held.state == RecordState::Submitted {
        "good"
    } else {
        "bad"
    };
    let lane_h = if narrow { 48.0 } else { 34.0 };
    if narrow {
        let (held, _) = badge("held", 18.0, lane_y + 34.0, &held_text, held_class);
        shapes.push(lane_titled("consumer-lane", 6.0, lane_y, width - 12.0, lane_h, "consumer", "", vec![held]));
    } else {
        let (held, _) = badge("held", LEFT, lane_y + 17.0, &held_text, held_class);
        shapes.push(lane("consumer-lane", 10.0, lane_y, WIDTH - 20.0, lane_h, "consumer", "", vec![held]));
    }

    let async_y = lane_y + lane_h + 8.0;
    let lamp = if s.async_pending {
        "pending"
    } else if s.async_completed {
        "completed"
    } else {
        "idle"
    };
    let mut items = vec![("async-state".to_string(), format!("query {lamp}"), format!("lamp-{lamp}"))];
    if s.async_completed {
        items.push(("async-result".into(), format!("saw consumer {} · producer {}", s.async_result.0, s.async_result.1), "plain".into()));
    }
    items.push((
        "trip-wire".into(),
        if s.trip_wire { "trip wire set".into() } else { "trip wire clear".into() },
        if s.trip_wire { "warn".into() } else { "plain".into() },
    ));
    let async_h = if narrow {
        let (x0, x1) = (42.0, width - 12.0);
        let h = 22.0 + badge_flow_rows(x0, x1, 6.0, &items) as f64 * 24.0 + 4.0;
        let mut children = vec![Shape::Circle { cx: 26.0, cy: async_y + 34.0, r: 8.0, class: format!("lamp {lamp}") }.with_id("async-lamp")];
        let (badges, _) = badge_flow(x0, async_y + 34.0, x1, 6.0, 24.0, &items);
        children.extend(badges);
        shapes.push(lane_titled("async-lane", 6.0, async_y, width - 12.0, h, "async", "", children));
        h
    } else {
        let mut children = vec![Shape::Circle { cx: LEFT + 8.0, cy: async_y + 17.0, r: 8.0, class: format!("lamp {lamp}") }.with_id("async-lamp")];
        let (badges, _) = badge_row(LEFT + 24.0, async_y + 17.0, 6.0, &items);
        children.extend(badges);
        shapes.push(lane("async-lane", 10.0, async_y, WIDTH - 20.0, 34.0, "async", "", children));
        34.0
    };

    let live = format!("live {} of {} units · {}", s.live_size, m.capacity, plural(s.records.len(), "record", "records"));
    shapes.push(Shape::text(width - if narrow { 8.0 } else { 20.0 }, ring_y - 10.0, live, "note", Anchor::End));
    Drawing { width, height: async_y + async_h + 8.0, shapes, caption: caption(prev, s) }
}
