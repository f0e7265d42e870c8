//! The ballot view of `paxos`: acceptors as rows, proposals as columns in their order, each cell
//! showing the acceptor's promise and acceptance (with its value) for that proposal; columns a
//! majority promised or accepted are highlighted, chosen values and learned values shown per round.
//! When an Accept breaks the value rule (the `ignore-accepted` gap), the acceptors of the quorum
//! whose accepted value was ignored are marked, and the caption says which.
//!
//! [`timeline`] draws the ballot timeline of a whole trace: one row per proposal, one column per
//! step, a mark for each Promise, Accept and Learn.

use super::super::draw::{badge, badge_flow, badge_row, Anchor, Drawing, Layout, Legend, LegendItem, Shape};
use super::{StatePath, View};
use crate::engine::plural;
use crate::models::paxos::{Paxos, State};

const LEFT: f64 = 84.0;
const CELL_W: f64 = 96.0;
const CELL_H: f64 = 46.0;
const TOP: f64 = 58.0;
/// The narrow layout: row heads (the acceptors' ids under an "acceptor" title), proposal columns
/// and the room for "◀ ignored" on the right.
const NARROW_LEFT: f64 = 62.0;
const NARROW_CELL_W: f64 = 66.0;
const NARROW_PER_ROW: usize = 3;
const IGNORED_W: f64 = 62.0;

/// A proposal column: round index and proposal index within the round.
fn columns(m: &Paxos) -> Vec<(usize, usize)> {
    (0..m.n_r()).flat_map(|r| (0..m.per_round()).map(move |k| (r, k))).collect()
}

/// A proposal without spaces (`<<1,0,2>>`), for a narrow column.
fn proposal_short(m: &Paxos, r: usize, k: usize) -> String {
    let (att, p) = m.proposal(k);
    format!("<<{},{},{}>>", m.rounds[r], att, p)
}

fn proposal_text(m: &Paxos, r: usize, k: usize) -> String {
    let (att, p) = m.proposal(k);
    format!("<<{}, {}, {}>>", m.rounds[r], att, p)
}

fn caption(m: &Paxos, prev: Option<&State>, s: &State) -> Vec<String> {
    let Some(p) = prev else {
        return vec![format!(
            "Initial state: {}, {} per round, nothing promised or accepted. Majority quorums: any {}.",
            plural(m.n_a(), "acceptor", "acceptors"),
            plural(m.per_round(), "proposal", "proposals"),
            plural(m.n_a() / 2 + 1, "acceptor", "acceptors")
        )];
    };
    let mut out = Vec::new();
    for a in 0..m.n_a() {
        for r in 0..m.n_r() {
            if m.accepted(s, a, r) != m.accepted(p, a, r) {
                let code = m.accepted(s, a, r);
                let k = m.accepted_proposal(code) as usize - 1;
                let v = m.accepted_value(code);
                out.push(format!("Acceptor {} accepted {} with {}.", m.acceptors[a], proposal_text(m, r, k), m.values[v]));
                if let Some((q, holder, other)) = m.ignored_overlap(p, r, k, v) {
                    let members: Vec<String> = (0..m.n_a()).filter(|&b| q & (1 << b) != 0).map(|b| m.acceptors[b].to_string()).collect();
                    out.push(format!(
                        "The value rule was ignored: quorum {{{}}} contains acceptor {}, which had accepted {} at a lower proposal, yet {} was proposed.",
                        members.join(", "),
                        m.acceptors[holder],
                        m.values[other],
                        m.values[v]
                    ));
                }
            } else if m.promised(s, a, r) != m.promised(p, a, r) {
                let k = m.promised(s, a, r) as usize - 1;
                out.push(format!("Acceptor {} promised {}: it will accept nothing below it in round {}.", m.acceptors[a], proposal_text(m, r, k), m.rounds[r]));
            }
        }
    }
    for r in 0..m.n_r() {
        let new = m.learned(s, r) & !m.learned(p, r);
        for v in 0..m.n_v() {
            if new & (1 << v) != 0 {
                out.push(if m.learned(s, r).count_ones() > 1 {
                    format!("{} learned in round {} — a second value: Agreement fails.", m.values[v], m.rounds[r])
                } else {
                    format!("{} learned in round {}: a majority accepted it.", m.values[v], m.rounds[r])
                });
            }
        }
    }
    for pr in 0..m.n_p() {
        for r in 0..m.n_r() {
            if m.attempt(s, pr, r) != m.attempt(p, pr, r) {
                out.push(format!(
                    "Proposer {} moved to attempt {} in round {} (nothing reads the attempt; the seed keeps it, so the model does).",
                    m.proposers[pr],
                    m.attempts[m.attempt(s, pr, r) as usize],
                    m.rounds[r]
                ));
            }
        }
    }
    if out.is_empty() {
        out.push("Nothing changed (a promise repeated, or a value learned again).".to_string());
    }
    out
}

impl View for Paxos {
    const TITLE: &'static str = "Ballots";

    fn shapes_for(&self, s: &State, p: &StatePath) -> Vec<String> {
        let index = |list: &[i64], key: Option<&str>| key.and_then(|k| k.parse::<i64>().ok()).and_then(|k| list.iter().position(|&x| x == k));
        let round = index(&self.rounds, p.keys.get(1).copied());
        match (p.var, index(&self.acceptors, p.key()), round) {
            // An acceptor's promise (or acceptance) in a round is drawn in the column of its proposal.
            ("promised", Some(a), Some(r)) if self.promised(s, a, r) > 0 => {
                vec![format!("cell-{}-{}", self.acceptors[a], r * self.per_round() + self.promised(s, a, r) as usize - 1)]
            }
            ("accepted", Some(a), Some(r)) if self.accepted(s, a, r) > 0 => {
                vec![format!("cell-{}-{}", self.acceptors[a], r * self.per_round() + self.accepted_proposal(self.accepted(s, a, r)) as usize - 1)]
            }
            // Nothing promised or accepted yet: the acceptor's whole row in that round.
            ("promised" | "accepted", Some(a), Some(r)) => {
                (0..self.per_round()).map(|k| format!("cell-{}-{}", self.acceptors[a], r * self.per_round() + k)).collect()
            }
            ("learned", _, _) => index(&self.rounds, p.key()).map(|r| vec![format!("learned-{}", self.rounds[r])]).unwrap_or_default(),
            ("proposerAttempt", _, _) => index(&self.proposers, p.key()).map(|q| vec![format!("attempt-{}", self.proposers[q])]).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    fn legend(&self) -> Legend {
        Legend {
            items: vec![
                LegendItem::shape(
                    Shape::group("ballot", vec![Shape::Rect { x: 1.0, y: 1.0, w: 42.0, h: 22.0, rx: 6.0, class: "ballot-box".into() }]),
                    44.0,
                    24.0,
                    "an acceptor's cell for one proposal: empty until it promises or accepts",
                ),
                LegendItem::shape(
                    Shape::group("ballot promise", vec![Shape::Rect { x: 1.0, y: 1.0, w: 42.0, h: 22.0, rx: 6.0, class: "ballot-box".into() }]),
                    44.0,
                    24.0,
                    "promised: the acceptor will accept nothing below this proposal",
                ),
                LegendItem::shape(
                    Shape::group("ballot accept value-0", vec![Shape::Rect { x: 1.0, y: 1.0, w: 42.0, h: 22.0, rx: 6.0, class: "ballot-box".into() }]),
                    44.0,
                    24.0,
                    "accepted: coloured by the value (v1, v2, …)",
                ),
                LegendItem::shape(
                    Shape::group("ballot ignored", vec![Shape::Rect { x: 1.0, y: 1.0, w: 42.0, h: 22.0, rx: 6.0, class: "ballot-box".into() }]),
                    44.0,
                    24.0,
                    "accepted although its quorum had accepted another value (the gap's ignored rule)",
                ),
                LegendItem::shape(
                    Shape::group("column chosen", vec![Shape::Rect { x: 1.0, y: 1.0, w: 42.0, h: 22.0, rx: 8.0, class: "column-box".into() }]),
                    44.0,
                    24.0,
                    "a proposal whose value a majority accepted: chosen",
                ),
                LegendItem::badge("bad", "learned: v1, v2", "a round that learned two values: Agreement fails"),
                LegendItem::shape(Shape::Circle { cx: 8.0, cy: 8.0, r: 3.5, class: "tl-promise".into() }, 16.0, 16.0, "ballot timeline: a promise"),
                LegendItem::shape(
                    Shape::Rect { x: 4.0, y: 4.0, w: 8.0, h: 8.0, rx: 1.0, class: "tl-accept value-0".into() },
                    16.0,
                    16.0,
                    "ballot timeline: an acceptance, coloured by value",
                ),
                LegendItem::shape(Shape::text(8.0, 13.0, "★", "tl-learn value-0", Anchor::Middle), 16.0, 16.0, "ballot timeline: a value learned"),
                LegendItem::shape(
                    Shape::Line { x1: 8.0, y1: 0.0, x2: 8.0, y2: 16.0, class: "timeline-cursor".into(), arrow: false },
                    16.0,
                    16.0,
                    "ballot timeline: the step shown",
                ),
            ],
            notation: vec![
                "A proposal <<r, a, p>> is round r, attempt a, proposer p; proposals compare by round, then attempt, then proposer.".into(),
                "A column is one proposal; a row is one acceptor. A value is chosen once a majority accepts the same proposal and value.".into(),
            ],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, layout: Layout) -> Drawing {
        view(self, prev, s, layout)
    }

    fn trace_view(&self, states: &[&State], cursor: usize) -> Option<(&'static str, Drawing)> {
        Some(("Ballot timeline", timeline(self, states, cursor)))
    }
}

/// The wide layout puts every proposal column side by side; the narrow one (a phone) wraps them
/// into blocks of [`NARROW_PER_ROW`] columns, one under the other, each with the acceptors' row
/// heads, and the "◀ ignored" marks beside the block holding the ignored acceptance.
fn view(m: &Paxos, prev: Option<&State>, s: &State, layout: Layout) -> Drawing {
    let cols = columns(m);
    let narrow = layout.is_narrow();
    let (left, cell_w, per_row) = if narrow { (NARROW_LEFT, NARROW_CELL_W, NARROW_PER_ROW) } else { (LEFT, CELL_W, cols.len().max(1)) };
    let blocks = cols.len().max(1).div_ceil(per_row);
    let block_pitch = m.n_a() as f64 * CELL_H + 56.0;
    // Column c's left edge and the top of its block's first row.
    let at = |c: usize| (left + (c % per_row) as f64 * cell_w, TOP + (c / per_row) as f64 * block_pitch);
    // Room on the right for the "◀ ignored" marks.
    let width = if narrow { left + cols.len().clamp(1, per_row) as f64 * cell_w + IGNORED_W } else { LEFT + cols.len() as f64 * CELL_W + 84.0 };
    let mut shapes = Vec::new();
    let majority = m.n_a() / 2 + 1;

    // What changed in this step, to outline it.
    let mut fresh: Vec<(usize, usize)> = Vec::new(); // (acceptor, column)
    let mut ignored: Option<(u8, usize)> = None; // quorum mask, round
    if let Some(p) = prev {
        for a in 0..m.n_a() {
            for r in 0..m.n_r() {
                if m.accepted(s, a, r) != m.accepted(p, a, r) || m.promised(s, a, r) != m.promised(p, a, r) {
                    let k = m.promised(s, a, r) as usize - 1;
                    fresh.push((a, r * m.per_round() + k));
                    if m.accepted(s, a, r) != m.accepted(p, a, r) {
                        let code = m.accepted(s, a, r);
                        if let Some((q, _, _)) = m.ignored_overlap(p, r, m.accepted_proposal(code) as usize - 1, m.accepted_value(code)) {
                            ignored = Some((q, r));
                        }
                    }
                }
            }
        }
    }

    // Column headers and each column's quorum status.
    for (c, &(r, k)) in cols.iter().enumerate() {
        let (x, top) = at(c);
        let code = (k + 1) as u8;
        let promised = (0..m.n_a()).filter(|&a| m.promised(s, a, r) == code).count();
        let accepted_by_value: Vec<usize> = (0..m.n_v())
            .map(|v| {
                (0..m.n_a())
                    .filter(|&a| m.accepted(s, a, r) != 0 && m.accepted_proposal(m.accepted(s, a, r)) == code && m.accepted_value(m.accepted(s, a, r)) == v)
                    .count()
            })
            .collect();
        let chosen = accepted_by_value.iter().position(|&n| n >= majority);
        let class = if chosen.is_some() {
            "column chosen"
        } else if promised >= majority {
            "column promised"
        } else {
            "column"
        };
        let mut children = vec![
            Shape::Rect { x: x + 2.0, y: top - 40.0, w: cell_w - 4.0, h: m.n_a() as f64 * CELL_H + 42.0, rx: 8.0, class: "column-box".into() },
            Shape::text(x + cell_w / 2.0, top - 24.0, if narrow { proposal_short(m, r, k) } else { proposal_text(m, r, k) }, "column-head", Anchor::Middle),
        ];
        let status = match chosen {
            Some(v) => format!("chosen {}", m.values[v]),
            None if promised >= majority && narrow => "quorum".to_string(),
            None if promised >= majority => "quorum promised".to_string(),
            None if narrow => format!("{promised}/{} prom.", m.n_a()),
            None => format!("{promised}/{} promised", m.n_a()),
        };
        children.push(Shape::text(x + cell_w / 2.0, top - 8.0, status, "column-status", Anchor::Middle));
        shapes.push(Shape::Group {
            id: Some(format!("col-{c}")),
            class: class.into(),
            title: Some(format!("proposal {} (round, attempt, proposer)", proposal_text(m, r, k))),
            children,
        });
    }

    // One row per acceptor (narrow: each block's rows headed by the acceptors' ids, under a title).
    if narrow {
        for b in 0..blocks {
            shapes.push(Shape::text(4.0, at(b * per_row).1 - 24.0, "acceptor", "row-head", Anchor::Start));
        }
    }
    for a in 0..m.n_a() {
        let row_y = |c: usize| at(c).1 + a as f64 * CELL_H;
        for b in 0..blocks {
            let y = row_y(b * per_row);
            let head = if narrow { m.acceptors[a].to_string() } else { format!("acceptor {}", m.acceptors[a]) };
            shapes.push(Shape::text(left - 10.0, y + CELL_H / 2.0 + 4.0, head, "row-head", Anchor::End));
        }
        let in_ignored = ignored.map(|(q, _)| q & (1 << a) != 0).unwrap_or(false);
        // The block whose row gets the "◀ ignored" mark: the one holding the ignored acceptance.
        let mut ignored_block = 0;
        for (c, &(r, k)) in cols.iter().enumerate() {
            let (x, _) = at(c);
            let y = row_y(c);
            let code = (k + 1) as u8;
            let promise = m.promised(s, a, r);
            let acc = m.accepted(s, a, r);
            let accepted_here = acc != 0 && m.accepted_proposal(acc) == code;
            let mut lines = Vec::new();
            let mut class = String::from("ballot");
            if promise == code {
                lines.push("promised".to_string());
                class.push_str(" promise");
            } else if code < promise {
                class.push_str(" superseded");
            }
            if accepted_here {
                lines.push(format!("acc. {}", m.values[m.accepted_value(acc)]));
                class.push_str(&format!(" accept value-{}", m.accepted_value(acc)));
            }
            if fresh.contains(&(a, c)) {
                class.push_str(" fresh");
            }
            if in_ignored && accepted_here && ignored.map(|(_, r2)| r2 == r).unwrap_or(false) {
                class.push_str(" ignored");
                ignored_block = c / per_row;
            }
            let mut children = vec![Shape::Rect { x: x + 6.0, y: y + 4.0, w: cell_w - 12.0, h: CELL_H - 8.0, rx: 6.0, class: "ballot-box".into() }];
            for (i, l) in lines.iter().enumerate() {
                children.push(Shape::text(x + cell_w / 2.0, y + 20.0 + i as f64 * 14.0, l.clone(), "ballot-text", Anchor::Middle));
            }
            shapes.push(Shape::Group { id: Some(format!("cell-{}-{c}", m.acceptors[a])), class, title: None, children });
        }
        if in_ignored {
            let last = ((ignored_block + 1) * per_row).min(cols.len().max(1)) - 1;
            let (x, y) = (at(last).0 + cell_w + if narrow { 2.0 } else { 4.0 }, row_y(ignored_block * per_row));
            // Narrow: against the drawing's right edge (the arrow glyph is wider than a letter).
            let (x, anchor) = if narrow { (width - 2.0, Anchor::End) } else { (x, Anchor::Start) };
            shapes.push(Shape::text(x, y + CELL_H / 2.0 + 4.0, "◀ ignored", "ignored-mark", anchor).with_id(format!("ignored-{}", m.acceptors[a])));
        }
    }

    // Learned values per round, and the proposers' attempts.
    let mut y = TOP + (blocks - 1) as f64 * block_pitch + m.n_a() as f64 * CELL_H + 22.0;
    let badge_x = if narrow { 8.0 } else { LEFT };
    for r in 0..m.n_r() {
        let learned: Vec<usize> = (0..m.n_v()).filter(|v| m.learned(s, r) & (1 << v) != 0).collect();
        let text = if learned.is_empty() {
            format!("round {}: nothing learned", m.rounds[r])
        } else {
            format!("round {} learned: {}", m.rounds[r], learned.iter().map(|&v| m.values[v].clone()).collect::<Vec<_>>().join(", "))
        };
        let class = match learned.len() {
            0 => "plain",
            1 => "good",
            _ => "bad",
        };
        let (b, _) = badge(&format!("learned-{}", m.rounds[r]), badge_x, y, &text, class);
        shapes.push(b);
        y += 26.0;
    }
    let attempts: Vec<(String, String, String)> = (0..m.n_p())
        .map(|p| {
            let per_round: Vec<String> = (0..m.n_r()).map(|r| m.attempts[m.attempt(s, p, r) as usize].to_string()).collect();
            (format!("attempt-{}", m.proposers[p]), format!("proposer {} attempt {}", m.proposers[p], per_round.join("/")), "plain".to_string())
        })
        .collect();
    if narrow {
        let (row, rows) = badge_flow(badge_x, y, width - 8.0, 6.0, 26.0, &attempts);
        shapes.extend(row);
        y += rows.saturating_sub(1) as f64 * 26.0;
    } else {
        let (row, _) = badge_row(LEFT, y, 6.0, &attempts);
        shapes.extend(row);
    }
    Drawing { width, height: y + 16.0, shapes, caption: caption(m, prev, s) }
}

/// The ballot timeline of a trace: for each step, a mark in the row of the proposal its action
/// concerns (promise ○, accept ■ in the value's colour, learn ★ on the round's chosen row).
fn timeline(m: &Paxos, states: &[&State], cursor: usize) -> Drawing {
    let cols = columns(m);
    let steps = states.len().max(1);
    let left = 96.0;
    let step_w = (560.0 / steps as f64).clamp(3.0, 22.0);
    let row_h = 14.0;
    let width = left + steps as f64 * step_w + 20.0;
    let mut shapes = Vec::new();
    for (c, &(r, k)) in cols.iter().enumerate() {
        let y = 10.0 + c as f64 * row_h;
        shapes.push(Shape::text(left - 8.0, y + 4.0, proposal_text(m, r, k), "timeline-row", Anchor::End));
        shapes.push(Shape::Line { x1: left, y1: y, x2: width - 16.0, y2: y, class: "timeline-grid".into(), arrow: false });
    }
    let learn_y = 10.0 + cols.len() as f64 * row_h;
    shapes.push(Shape::text(left - 8.0, learn_y + 4.0, "learned", "timeline-row", Anchor::End));
    for i in 1..states.len() {
        let (p, s) = (states[i - 1], states[i]);
        let x = left + (i as f64 - 0.5) * step_w;
        for a in 0..m.n_a() {
            for r in 0..m.n_r() {
                if m.accepted(s, a, r) != m.accepted(p, a, r) {
                    let code = m.accepted(s, a, r);
                    let c = r * m.per_round() + m.accepted_proposal(code) as usize - 1;
                    let y = 10.0 + c as f64 * row_h;
                    shapes.push(Shape::Rect { x: x - 4.0, y: y - 4.0, w: 8.0, h: 8.0, rx: 1.0, class: format!("tl-accept value-{}", m.accepted_value(code)) });
                } else if m.promised(s, a, r) != m.promised(p, a, r) {
                    let c = r * m.per_round() + m.promised(s, a, r) as usize - 1;
                    shapes.push(Shape::Circle { cx: x, cy: 10.0 + c as f64 * row_h, r: 3.5, class: "tl-promise".into() });
                }
            }
        }
        for r in 0..m.n_r() {
            let new = m.learned(s, r) & !m.learned(p, r);
            for v in 0..m.n_v() {
                if new & (1 << v) != 0 {
                    shapes.push(Shape::text(x, learn_y + 5.0, "★", &format!("tl-learn value-{v}"), Anchor::Middle));
                }
            }
        }
    }
    let cx = left + (cursor as f64 + 0.5) * step_w - step_w / 2.0;
    shapes.push(Shape::Line { x1: cx, y1: 2.0, x2: cx, y2: learn_y + 10.0, class: "timeline-cursor".into(), arrow: false }.with_id("ballot-cursor"));
    Drawing { width, height: learn_y + 16.0, shapes, caption: Vec::new() }
}
