//! The version-chain view of `mvcc`: one lane per key with its versions as boxes on a timestamp
//! axis, the compaction watermark as a line across every lane (what lies left of it is
//! compacted), and pruned versions as grey ghosts. A ghost that a read at or after the watermark
//! still needs (the gap) is drawn red as lost, and the key's read badge says what that read finds
//! against what the ghost shows.

use super::super::draw::{axis, badge, badge_row, lane, text_width, Anchor, Drawing, Layout, Legend, LegendItem, Shape};
use super::{StatePath, View};
use crate::models::mvcc::{latest_before, Mvcc, State, Version};

const WIDTH: f64 = 700.0;
const LEFT: f64 = 64.0;
/// Room on the right of each lane for the read badge.
const READ_W: f64 = 236.0;
const AXIS_Y: f64 = 58.0;
const LANE_Y: f64 = 84.0;
const LANE_H: f64 = 50.0;
const LANE_GAP: f64 = 8.0;

fn version_text(m: &Mvcc, w: Version) -> String {
    format!("{}@{}", m.vals[w.val as usize], w.ts)
}

/// The read timestamp the key's badge reports: the first one from the watermark on at which the
/// chain and the ghost disagree, else the watermark.
fn read_ts(m: &Mvcc, s: &State, k: usize) -> (u8, bool) {
    match m.lost_reads(s, k).first() {
        Some(&ts) => (ts, false),
        None => (s.min_retained, true),
    }
}

fn read_text(m: &Mvcc, s: &State, k: usize) -> (String, &'static str) {
    let (ts, ok) = read_ts(m, s, k);
    let seen = latest_before(&s.versions[k], ts).map(|w| version_text(m, w)).unwrap_or_else(|| "nothing".into());
    if ok {
        (format!("read @{ts} sees {seen}"), if s.min_retained > 0 { "good" } else { "plain" })
    } else {
        let ghost = latest_before(&s.original[k], ts).map(|w| version_text(m, w)).unwrap_or_else(|| "nothing".into());
        (format!("read @{ts}: {seen} · ghost {ghost}"), "bad")
    }
}

/// Whether ghost version `w` of key `k` is lost: pruned, yet what some read from the watermark on
/// should see.
fn is_lost(m: &Mvcc, s: &State, k: usize, w: Version) -> bool {
    (s.min_retained..=m.max_ts).any(|ts| latest_before(&s.original[k], ts) == Some(w) && latest_before(&s.versions[k], ts) != Some(w))
}

fn caption(m: &Mvcc, prev: Option<&State>, s: &State) -> Vec<String> {
    let Some(p) = prev else {
        return vec![format!(
            "Initial state: no versions, watermark 0. A write takes the next timestamp (up to {}); a read at ts sees the newest version at or below ts.",
            m.max_ts
        )];
    };
    let mut out = Vec::new();
    if s.ts_counter != p.ts_counter {
        if let Some((k, w)) = (0..m.n_keys()).find_map(|k| s.original[k].iter().find(|w| !p.original[k].contains(w)).map(|w| (k, *w))) {
            out.push(format!(
                "Write({}, {}): {} stored at the fresh ts {} in {}'s chain; the ghost keeps a copy.",
                m.keys[k], m.vals[w.val as usize], m.vals[w.val as usize], w.ts, m.keys[k]
            ));
        }
    }
    if s.min_retained != p.min_retained {
        out.push(format!("Compact({0}): the watermark moves from {1} to {0}; versions below {0} are pruned.", s.min_retained, p.min_retained));
        for k in 0..m.n_keys() {
            let pruned: Vec<String> = p.versions[k].iter().filter(|w| !s.versions[k].contains(w)).map(|w| version_text(m, *w)).collect();
            let kept_below = s.versions[k].iter().filter(|w| w.ts < s.min_retained).map(|w| version_text(m, *w)).next();
            if let Some(kb) = &kept_below {
                out.push(format!("{} keeps {kb}, the newest below {}, for reads from the watermark on.", m.keys[k], s.min_retained));
            }
            let lost = m.lost_reads(s, k);
            if !pruned.is_empty() && lost.is_empty() {
                out.push(format!("{} pruned {}.", m.keys[k], pruned.join(", ")));
            }
            if let Some(&ts) = lost.first() {
                let ghost = latest_before(&s.original[k], ts).map(|w| version_text(m, w)).unwrap_or_default();
                out.push(format!("{} lost {ghost}: a read at {ts} now finds nothing where the ghost shows {ghost} — MVCC-4 fails.", m.keys[k]));
            }
        }
    }
    if out.is_empty() {
        out.push("Nothing changed.".into());
    }
    out
}

impl View for Mvcc {
    const TITLE: &'static str = "Version chains";

    fn shapes_for(&self, s: &State, p: &StatePath) -> Vec<String> {
        let key = p.key().and_then(|k| self.keys.iter().position(|x| x == k));
        match (p.var, key) {
            // A chain is its key's lane and the versions on it; the ghost draws what was pruned.
            ("versions", Some(k)) => {
                std::iter::once(format!("key-{}", self.keys[k])).chain(s.versions[k].iter().map(|w| format!("ver-{}-{}", self.keys[k], w.ts))).collect()
            }
            ("originalVersions", Some(k)) => s.original[k].iter().map(|w| format!("ver-{}-{}", self.keys[k], w.ts)).collect(),
            ("tsCounter", _) => vec!["ts-counter".into()],
            ("minRetained", _) => vec!["watermark-badge".into(), "watermark".into()],
            ("opCount", _) => vec!["writes".into()],
            _ => Vec::new(),
        }
    }

    fn legend(&self) -> Legend {
        Legend {
            items: vec![
                LegendItem::shape(
                    Shape::Rect { x: 1.0, y: 1.0, w: 30.0, h: 18.0, rx: 6.0, class: "version-box".into() },
                    32.0,
                    20.0,
                    "a version kept in the store, at its commit ts",
                ),
                LegendItem::shape(
                    Shape::Rect { x: 1.0, y: 1.0, w: 30.0, h: 18.0, rx: 6.0, class: "compacted".into() },
                    32.0,
                    20.0,
                    "a version compaction pruned (the ghost keeps it)",
                ),
                LegendItem::shape(
                    Shape::group("watermark", vec![Shape::Line { x1: 8.0, y1: 0.0, x2: 8.0, y2: 20.0, class: "watermark-line".into(), arrow: false }]),
                    16.0,
                    20.0,
                    "the compaction watermark: reads below it are not served",
                ),
                LegendItem::badge("good", "read @2 sees v1", "a read at the watermark sees the version the ghost says it should"),
                LegendItem::badge("bad", "read @2: none · ghost v1", "a read that lost a committed version: MVCC4 fails"),
            ],
            notation: vec!["@t is a read or commit timestamp; a read at t sees the newest version with commit ts ≤ t.".into()],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, _layout: Layout) -> Drawing {
        view(self, prev, s)
    }
}

fn view(m: &Mvcc, prev: Option<&State>, s: &State) -> Drawing {
    let mut shapes = Vec::new();
    let axis_w = WIDTH - LEFT - READ_W - 20.0;
    let n = m.n_keys();
    let bottom = LANE_Y + n as f64 * (LANE_H + LANE_GAP) - LANE_GAP;

    // Counters.
    let items = vec![
        ("ts-counter".to_string(), format!("ts counter {}", s.ts_counter), "plain".to_string()),
        ("watermark-badge".to_string(), format!("watermark {}", s.min_retained), if s.min_retained > 0 { "warn" } else { "plain" }.to_string()),
        ("writes".to_string(), format!("writes {}/{}", s.op_count, m.max_ops), "plain".to_string()),
    ];
    let (row, _) = badge_row(LEFT, 16.0, 8.0, &items);
    shapes.extend(row);

    // The timestamp axis, with the compacted region shaded and the counter marked.
    let (ax, at) = axis("ts-axis", LEFT, AXIS_Y, axis_w, 0, m.max_ts as i64, "ts");
    let spacing = axis_w / (m.max_ts.max(1) as f64);
    shapes.push(ax);

    // One lane per key.
    let box_w = (spacing - 8.0).clamp(30.0, 58.0);
    for k in 0..n {
        let y = LANE_Y + k as f64 * (LANE_H + LANE_GAP);
        let mut children = Vec::new();
        for w in &s.original[k] {
            let live = s.versions[k].contains(w);
            let fresh = prev.is_some_and(|p| !p.original[k].contains(w));
            let pruned_now = prev.is_some_and(|p| p.versions[k].contains(w)) && !live;
            let mut class = if live {
                format!("version live val-{}", w.val)
            } else if is_lost(m, s, k, *w) {
                "version lost".to_string()
            } else {
                "version ghost".to_string()
            };
            if fresh {
                class.push_str(" fresh");
            }
            if pruned_now {
                class.push_str(" pruned-now");
            }
            let cx = at(w.ts as f64);
            let state = if live {
                "in the chain"
            } else if class.contains("lost") {
                "pruned, but a read at or after the watermark needs it: lost"
            } else {
                "pruned (ghost only)"
            };
            children.push(Shape::Group {
                id: Some(format!("ver-{}-{}", m.keys[k], w.ts)),
                class,
                title: Some(format!("{}: {} at ts {}, {state}", m.keys[k], m.vals[w.val as usize], w.ts)),
                children: vec![
                    Shape::Rect { x: cx - box_w / 2.0, y: y + 9.0, w: box_w, h: LANE_H - 18.0, rx: 6.0, class: "version-box".into() },
                    Shape::text(cx, y + LANE_H / 2.0 + 4.5, m.vals[w.val as usize].clone(), "version-text", Anchor::Middle),
                ],
            });
        }
        // The read badge, right-aligned in the lane (bold text runs wider than text_width says).
        let (text, class) = read_text(m, s, k);
        let bw = text_width(&text) * if class == "bad" { 1.1 } else { 1.0 };
        let (b, _) = badge(&format!("read-{}", m.keys[k]), WIDTH - 24.0 - bw, y + LANE_H / 2.0, &text, class);
        children.push(b);
        let lost = !m.lost_reads(s, k).is_empty();
        shapes.push(lane(&format!("key-{}", m.keys[k]), 10.0, y, WIDTH - 20.0, LANE_H, &m.keys[k], if lost { "lost" } else { "" }, children));
    }

    // The watermark, across every lane; what lies left of it is compacted.
    if s.min_retained > 0 {
        shapes.push(
            Shape::Rect {
                x: at(0.0),
                y: LANE_Y - 4.0,
                w: at(s.min_retained as f64 - 0.5) - at(0.0),
                h: bottom - LANE_Y + 8.0,
                rx: 4.0,
                class: "compacted".into(),
            }
            .with_id("compacted")
            .with_title(format!("compacted: reads below ts {} are no longer answerable", s.min_retained)),
        );
        // Between the last pruned timestamp and the watermark.
        let x = at(s.min_retained as f64 - 0.5);
        shapes.push(Shape::Group {
            id: Some("watermark".into()),
            class: "watermark".into(),
            title: Some(format!("minRetained = {}: reads below it are no longer answerable; reads from it on must see what the ghost shows", s.min_retained)),
            children: vec![
                Shape::Line { x1: x, y1: AXIS_Y + 22.0, x2: x, y2: bottom + 6.0, class: "watermark-line".into(), arrow: false },
                Shape::text(x, bottom + 20.0, format!("watermark {}", s.min_retained), "watermark-label", Anchor::Middle),
            ],
        });
    }
    // The counter's position on the axis.
    shapes.push(
        Shape::Circle { cx: at(s.ts_counter as f64), cy: AXIS_Y, r: 5.0, class: "ts-mark".into() }
            .with_title(format!("tsCounter = {}: the last timestamp handed out", s.ts_counter)),
    );
    let legend_y = bottom + 40.0;
    let legend = vec![
        ("legend-live".to_string(), "in the chain".to_string(), "legend live".to_string()),
        ("legend-ghost".to_string(), "ghost: pruned".to_string(), "legend ghost".to_string()),
        ("legend-lost".to_string(), "lost: pruned, needed".to_string(), "legend lost".to_string()),
    ];
    let (row, _) = badge_row(LEFT, legend_y, 8.0, &legend);
    shapes.extend(row);
    Drawing { width: WIDTH, height: legend_y + 16.0, shapes, caption: caption(m, prev, s) }
}
