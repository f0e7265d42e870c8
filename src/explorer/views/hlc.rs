//! The clock view of `hlc`: one lane per node on a shared wall-clock axis, with the node's wall
//! clock (▲), its physical ceiling (dashed line) and its last HLC (ring), and every issued timestamp
//! as a dot in the issuing node's lane, coloured by term and numbered by issuance. A timestamp that
//! is not above an earlier term's (an HLC4 regression) is joined to that earlier timestamp by a red
//! arrow going back. An HLC value `⟨wall, logical⟩` sits at `wall + logical / (LogicalMax + 1)`.

use super::super::draw::{axis, badge_row, lane, Anchor, Drawing, Layout, Legend, LegendItem, Shape};
use super::{StatePath, View};
use crate::engine::plural;
use crate::models::hlc::{Commit, Hlc, HlcModel, State};

const WIDTH: f64 = 680.0;
const LANE_X: f64 = 8.0;
/// Where the clock strip starts (the lane's left part holds its figures).
const STRIP_X: f64 = 186.0;
const STRIP_END: f64 = WIDTH - 26.0;
const AXIS_Y: f64 = 56.0;
const LANES_Y: f64 = 86.0;
const LANE_H: f64 = 76.0;
const LANE_GAP: f64 = 8.0;
/// The baseline of a lane's strip, below its top.
const BASE: f64 = 44.0;

pub fn hlc_text(h: Hlc) -> String {
    format!("⟨{}, {}⟩", h.wall, h.logical)
}

/// The class of a term's colour (terms 1..3 take the three value colours).
fn term_class(term: u8) -> String {
    format!("term-{}", term.clamp(1, 3))
}

/// For each timestamp, the earlier-term timestamp it regresses below (the highest such), if any.
pub fn regressions(s: &State) -> Vec<(usize, usize)> {
    let c = s.commits();
    let mut out = Vec::new();
    for (j, later) in c.iter().enumerate() {
        let worst = c.iter().enumerate().filter(|(_, e)| e.term < later.term && later.ts <= e.ts).max_by_key(|(_, e)| e.ts);
        if let Some((i, _)) = worst {
            out.push((i, j));
        }
    }
    out
}

fn caption(m: &HlcModel, prev: Option<&State>, s: &State) -> Vec<String> {
    let Some(p) = prev else {
        return vec![
            format!(
                "Initial state: {}, no leader yet; every wall clock, ceiling and HLC is at 0. Up to {} and {}.",
                plural(m.n(), "node", "nodes"),
                plural(m.max_terms, "term", "terms"),
                plural(m.max_ops, "timestamp", "timestamps")
            ),
            if m.enable_safety {
                "Safety on: a new leader first observes maxAppliedHLC, and a leader issues only while its wall clock is below the ceiling.".to_string()
            } else {
                "Gap: a new leader does not observe maxAppliedHLC, and there is no ceiling fence.".to_string()
            },
        ];
    };
    let name = |n: u8| m.nodes[n as usize].clone();
    let mut out = Vec::new();
    if s.active_term != p.active_term {
        let n = s.leader_of[s.active_term as usize];
        let (before, after) = (p.hlc_last[n as usize], s.hlc_last[n as usize]);
        let what = if m.enable_safety && after != before {
            format!("it observed maxAppliedHLC and raised its last HLC from {} to {}.", hlc_text(before), hlc_text(after))
        } else if m.enable_safety {
            format!("its last HLC {} is already at or above maxAppliedHLC {}.", hlc_text(after), hlc_text(s.max_applied))
        } else if before < s.max_applied {
            format!("it did not observe maxAppliedHLC {}: its last HLC stays {}.", hlc_text(s.max_applied), hlc_text(before))
        } else {
            format!("it does not observe maxAppliedHLC (its last HLC {} is not below it anyway).", hlc_text(before))
        };
        out.push(format!("{} became leader of term {}; {}", name(n), s.active_term, what));
    } else if s.op_count != p.op_count {
        let seq = p.op_count as usize;
        let c: Commit = s.committed[seq];
        let n = c.node as usize;
        let (last, wall, ceiling) = (p.hlc_last[n], p.wall[n], p.ceiling[n]);
        let now = wall.max(ceiling);
        let rule = if now > last.wall {
            format!("now is past the last wall {}, so ⟨now, 0⟩", last.wall)
        } else if last.logical < m.logical_max {
            format!("now is not past the last wall {}, so the logical counter rises", last.wall)
        } else {
            format!("now is not past the last wall {} and the logical counter is at its maximum {}, so the wall is bumped", last.wall, m.logical_max)
        };
        out.push(format!(
            "{} (leader of term {}) issued {} as timestamp #{}: now = max(wall {wall}, ceiling {ceiling}) = {now}; {rule}.",
            name(c.node),
            c.term,
            hlc_text(c.ts),
            seq + 1
        ));
        if !m.enable_safety && wall >= ceiling {
            out.push(format!("No ceiling fence: it issued although its wall clock {wall} is not below its ceiling {ceiling}."));
        }
        for (i, j) in regressions(s) {
            if j == seq {
                let e = s.committed[i];
                out.push(format!(
                    "{} is not above {} issued in term {} (timestamp #{}): a later term went back, so HLC4_NoRegressionAcrossTerms fails.",
                    hlc_text(c.ts),
                    hlc_text(e.ts),
                    e.term,
                    i + 1
                ));
            }
        }
    } else if let Some(n) = (0..m.n()).find(|&n| s.wall[n] != p.wall[n]) {
        out.push(format!("{}'s wall clock ticked to {} (every pair of clocks stays within {} of each other).", m.nodes[n], s.wall[n], m.max_clock_skew));
    } else if s.ceiling != p.ceiling {
        let leader = name(s.leader_of[s.active_term as usize]);
        let fresh = s.wall[s.leader_of[s.active_term as usize] as usize] + m.window;
        out.push(format!("Leader {leader} renewed the ceiling through Raft: every node's ceiling is now at least its wall plus the window, {fresh}."));
    } else {
        out.push("Nothing changed: the leader renewed the ceiling, but every ceiling was already at least its wall plus the window.".to_string());
    }
    out
}

impl View for HlcModel {
    const TITLE: &'static str = "Clocks";

    fn shapes_for(&self, s: &State, p: &StatePath) -> Vec<String> {
        let node = || p.key().and_then(|k| self.nodes.iter().position(|x| x == k));
        match p.var {
            "hlcLast" => node().map(|n| vec![format!("last-{}", self.nodes[n])]).unwrap_or_default(),
            "wallNow" => node().map(|n| vec![format!("wall-{}", self.nodes[n])]).unwrap_or_default(),
            "physicalCeiling" => node().map(|n| vec![format!("ceiling-{}", self.nodes[n])]).unwrap_or_default(),
            // A term's leader is drawn as its lane.
            "leaderOf" => p
                .key()
                .and_then(|t| t.parse::<usize>().ok())
                .and_then(|t| s.leader_of.get(t))
                .and_then(|&l| self.nodes.get(l as usize))
                .map(|n| vec![format!("lane-{n}")])
                .unwrap_or_default(),
            "committedTS" => (1..=s.commits().len()).map(|seq| format!("ts-{seq}")).collect(),
            "maxAppliedHLC" => vec!["status-max".into()],
            "currentTerm" | "activeTerm" => vec!["status-term".into()],
            "opCount" => vec!["status-ops".into()],
            _ => Vec::new(),
        }
    }

    fn legend(&self) -> Legend {
        Legend {
            items: vec![
                LegendItem::shape(
                    Shape::Circle { cx: 8.0, cy: 8.0, r: 6.5, class: "ts-dot term-1".into() },
                    16.0,
                    16.0,
                    "a committed timestamp, coloured by the term that issued it",
                ),
                LegendItem::shape(Shape::Circle { cx: 10.0, cy: 10.0, r: 8.5, class: "last-ring".into() }, 20.0, 20.0, "a node's last HLC"),
                LegendItem::shape(
                    Shape::Path { d: "M 6 2 L 0 12 L 12 12 Z".into(), class: "wall-mark".into(), arrow: false },
                    14.0,
                    14.0,
                    "a node's wall clock",
                ),
                LegendItem::shape(
                    Shape::Line { x1: 4.0, y1: 0.0, x2: 4.0, y2: 16.0, class: "ceiling-line".into(), arrow: false },
                    10.0,
                    16.0,
                    "a node's physical ceiling",
                ),
                LegendItem::shape(
                    Shape::group("regression", vec![Shape::Path { d: "M 2 12 Q 20 0 38 12".into(), class: "regression-path".into(), arrow: false }]),
                    40.0,
                    16.0,
                    "a later term's timestamp at or below an earlier term's: HLC4 fails",
                ),
                LegendItem::badge("warn", "gap: no observe, no fence", "the gap: a new leader neither observes the applied maximum nor keeps the fence"),
            ],
            notation: vec!["An HLC is (wall, logical), written w.l; HLCs compare by wall time, then by the logical counter.".into()],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, _layout: Layout) -> Drawing {
        view(self, prev, s)
    }
}

fn view(m: &HlcModel, prev: Option<&State>, s: &State) -> Drawing {
    let mut shapes = Vec::new();
    let n = m.n();

    // Status: who leads, the highest applied timestamp, how many were issued, the configuration.
    let leader = if s.active_term == 0 {
        "no leader yet".to_string()
    } else {
        format!("term {} · leader {}", s.active_term, m.nodes[s.leader_of[s.active_term as usize] as usize])
    };
    let mode = if m.enable_safety { ("safe: observe + fence", "good") } else { ("gap: no observe, no fence", "warn") };
    let (row, _) = badge_row(
        LANE_X,
        18.0,
        8.0,
        &[
            ("status-term".into(), leader, "plain".into()),
            ("status-max".into(), format!("maxAppliedHLC {}", hlc_text(s.max_applied)), "plain".into()),
            ("status-ops".into(), format!("issued {} of {}", s.op_count, m.max_ops), "plain".into()),
            ("status-mode".into(), mode.0.to_string(), mode.1.to_string()),
        ],
    );
    shapes.extend(row);

    // The shared wall-clock axis, wide enough for every value in the state.
    let largest = s.wall[..n]
        .iter()
        .chain(s.ceiling[..n].iter())
        .copied()
        .chain(s.hlc_last[..n].iter().map(|h| h.wall))
        .chain(s.commits().iter().map(|c| c.ts.wall))
        .max()
        .unwrap_or(0);
    let top = (m.max_wall_time + m.window + 1).max(largest + 1) as i64;
    let (ax, scale) = axis("clock-axis", STRIP_X, AXIS_Y, STRIP_END - STRIP_X, 0, top, "wall");
    shapes.push(ax);
    let slots = m.logical_max as f64 + 1.0;
    let at = |h: Hlc| scale(h.wall as f64 + h.logical as f64 / slots);

    let acting = prev.map(|p| {
        if s.active_term != p.active_term {
            Some(s.leader_of[s.active_term as usize] as usize)
        } else if s.op_count != p.op_count {
            Some(s.committed[p.op_count as usize].node as usize)
        } else {
            (0..n).find(|&i| s.wall[i] != p.wall[i])
        }
    });
    let regress = regressions(s);

    let mut dot_at: Vec<(f64, f64)> = vec![(0.0, 0.0); s.commits().len()];
    for node in 0..n {
        let y0 = LANES_Y + node as f64 * (LANE_H + LANE_GAP);
        let base = y0 + BASE;
        let is_leader = s.is_leader(node);
        let mut children = Vec::new();
        let role = if is_leader {
            format!("leader of term {}", s.active_term)
        } else if s.current_term[node] > 0 {
            format!("led term {}", s.current_term[node])
        } else {
            "follower".to_string()
        };
        children.push(Shape::text(LANE_X + 12.0, y0 + 18.0, role, if is_leader { "hlc-role leader" } else { "hlc-role" }, Anchor::Start));
        children.push(Shape::text(LANE_X + 12.0, y0 + 54.0, format!("wall {} · ceiling {}", s.wall[node], s.ceiling[node]), "hlc-figures", Anchor::Start));
        children.push(Shape::text(LANE_X + 12.0, y0 + 68.0, format!("last {}", hlc_text(s.hlc_last[node])), "hlc-figures", Anchor::Start));
        children.push(Shape::Line { x1: STRIP_X, y1: base, x2: STRIP_END, y2: base, class: "hlc-track".into(), arrow: false });
        // The ceiling, the wall clock and the last HLC.
        let cx = scale(s.ceiling[node] as f64);
        children.push(
            Shape::Line { x1: cx, y1: y0 + 8.0, x2: cx, y2: y0 + LANE_H - 8.0, class: "ceiling-line".into(), arrow: false }
                .with_id(format!("ceiling-{}", m.nodes[node]))
                .with_title(format!("physical ceiling {}", s.ceiling[node])),
        );
        let wx = scale(s.wall[node] as f64);
        children.push(
            Shape::Path {
                d: format!("M {wx} {} L {} {} L {} {} Z", base + 8.0, wx - 6.0, base + 18.0, wx + 6.0, base + 18.0),
                class: "wall-mark".into(),
                arrow: false,
            }
            .with_id(format!("wall-{}", m.nodes[node]))
            .with_title(format!("wall clock {}", s.wall[node])),
        );
        children.push(
            Shape::Circle { cx: at(s.hlc_last[node]), cy: base, r: 10.5, class: "last-ring".into() }
                .with_id(format!("last-{}", m.nodes[node]))
                .with_title(format!("last HLC {}", hlc_text(s.hlc_last[node]))),
        );
        // The timestamps this node issued.
        for (seq, c) in s.commits().iter().enumerate().filter(|(_, c)| c.node as usize == node) {
            let x = at(c.ts);
            dot_at[seq] = (x, base);
            let fresh = prev.is_some_and(|p| p.op_count as usize == seq);
            let bad = regress.iter().any(|&(_, j)| j == seq);
            let class = format!("ts-dot {}{}{}", term_class(c.term), if fresh { " fresh" } else { "" }, if bad { " regressed" } else { "" });
            children.push(
                Shape::group(
                    &class,
                    vec![
                        Shape::Circle { cx: x, cy: base, r: 6.5, class: "ts-dot-fill".into() },
                        Shape::text(x, base - 14.0, format!("#{}", seq + 1), "ts-dot-label", Anchor::Middle),
                    ],
                )
                .with_id(format!("ts-{}", seq + 1))
                .with_title(format!("timestamp #{}: {} issued by {} in term {}", seq + 1, hlc_text(c.ts), m.nodes[node], c.term)),
            );
        }
        let class = format!("hlc-lane{}{}", if is_leader { " leader" } else { "" }, if acting == Some(Some(node)) { " acting" } else { "" });
        shapes.push(lane(&format!("lane-{}", m.nodes[node]), LANE_X, y0, WIDTH - 2.0 * LANE_X, LANE_H, &m.nodes[node], &class, children));
    }

    // A regression goes back: from the earlier term's timestamp to the one not above it.
    for &(i, j) in &regress {
        let (from, to) = (dot_at[i], dot_at[j]);
        shapes.push(regression_arrow(&format!("regression-{}", j + 1), from, to));
    }

    // Legend.
    let y = LANES_Y + n as f64 * (LANE_H + LANE_GAP) + 14.0;
    let mut legend = Vec::new();
    let mut x = LANE_X + 4.0;
    for term in 1..=m.max_terms.min(3) {
        legend.push(Shape::Circle { cx: x + 6.0, cy: y - 4.0, r: 5.5, class: format!("legend-dot {}", term_class(term)) });
        legend.push(Shape::text(x + 16.0, y, format!("term {term}"), "legend-text", Anchor::Start));
        x += 70.0;
    }
    legend.push(Shape::Circle { cx: x + 8.0, cy: y - 4.0, r: 7.5, class: "last-ring".into() });
    legend.push(Shape::text(x + 20.0, y, "last HLC", "legend-text", Anchor::Start));
    x += 84.0;
    legend.push(Shape::Path { d: format!("M {} {} L {} {} L {} {} Z", x + 6.0, y - 10.0, x, y, x + 12.0, y), class: "wall-mark".into(), arrow: false });
    legend.push(Shape::text(x + 18.0, y, "wall clock", "legend-text", Anchor::Start));
    x += 92.0;
    legend.push(Shape::Line { x1: x + 4.0, y1: y - 12.0, x2: x + 4.0, y2: y + 2.0, class: "ceiling-line".into(), arrow: false });
    legend.push(Shape::text(x + 12.0, y, "ceiling", "legend-text", Anchor::Start));
    shapes.push(Shape::group("hlc-legend", legend).with_id("legend"));

    Drawing { width: WIDTH, height: y + 12.0, shapes, caption: caption(m, prev, s) }
}

/// A red curve from `from` back to `to`, bowed to the left (so it shows even between equal
/// timestamps), with its own arrow head (the shared marker has the message colour).
fn regression_arrow(id: &str, from: (f64, f64), to: (f64, f64)) -> Shape {
    let (mx, my) = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
    let (qx, qy) = (mx.min(to.0) - 34.0, my);
    let d = format!("M {} {} Q {qx} {qy} {} {}", from.0 - 7.0, from.1, to.0 - 8.0, to.1);
    // The head points along the curve's end tangent (from the control point to the end).
    let (tx, ty) = (to.0 - 8.0, to.1);
    let (dx, dy) = (tx - qx, ty - qy);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (tx - ux * 10.0, ty - uy * 10.0);
    let head = format!("M {tx} {ty} L {} {} L {} {} Z", bx - uy * 5.0, by + ux * 5.0, bx + uy * 5.0, by - ux * 5.0);
    Shape::Group {
        id: Some(id.to_string()),
        class: "regression".into(),
        title: Some("HLC4: this timestamp is not above an earlier term's".into()),
        children: vec![
            Shape::Path { d, class: "regression-path".into(), arrow: false },
            Shape::Path { d: head, class: "regression-head".into(), arrow: false },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{self, class_of, texts_of};
    use crate::explorer::draw::{Drawing, Shape};

    fn drawing_after(config: &str, labels: &[&str]) -> Drawing {
        testing::drawing_after("hlc", config, labels)
    }

    /// The x of the first circle inside the shape with this id.
    fn circle_x(d: &Drawing, id: &str) -> f64 {
        fn first(s: &Shape) -> Option<f64> {
            match s {
                Shape::Circle { cx, .. } => Some(*cx),
                Shape::Group { children, .. } => children.iter().find_map(first),
                _ => None,
            }
        }
        first(d.find(id).unwrap()).unwrap()
    }

    #[test]
    fn initial_state_has_a_lane_per_node_and_no_leader() {
        let d = drawing_after("safe", &[]);
        for n in ["n1", "n2", "n3"] {
            assert!(class_of(&d, &format!("lane-{n}")).starts_with("lane hlc-lane"));
            assert!(d.find(&format!("wall-{n}")).is_some() && d.find(&format!("ceiling-{n}")).is_some());
        }
        assert!(texts_of(&d, "status-term").contains(&"no leader yet".to_string()));
        assert!(d.caption[0].starts_with("Initial state: 3 nodes"));
        assert!(d.caption[1].contains("Safety on"));
        assert!(d.ids().iter().all(|i| !i.starts_with("ts-")));
    }

    #[test]
    fn issuing_puts_a_dot_coloured_by_term_in_the_issuers_lane() {
        let d = drawing_after("safe", &["BecomeLeader(n1)", "ApplyCeiling(n1)", "IssueTimestamp(n1)"]);
        assert_eq!(class_of(&d, "lane-n1"), "lane hlc-lane leader acting");
        assert_eq!(class_of(&d, "ts-1"), "ts-dot term-1 fresh");
        assert!(texts_of(&d, "status-max").contains(&"maxAppliedHLC ⟨2, 0⟩".to_string()));
        assert!(d.caption[0].contains("issued ⟨2, 0⟩ as timestamp #1: now = max(wall 0, ceiling 2) = 2"), "{:?}", d.caption);
        // The dot sits at wall 2, where n1's last HLC ring is.
        assert_eq!(circle_x(&d, "ts-1"), circle_x(&d, "last-n1"));
        let d = drawing_after("safe", &["BecomeLeader(n1)", "ApplyCeiling(n1)", "IssueTimestamp(n1)", "IssueTimestamp(n1)"]);
        assert_eq!(class_of(&d, "ts-1"), "ts-dot term-1", "only the newest dot is fresh");
        assert!(circle_x(&d, "ts-2") > circle_x(&d, "ts-1"), "⟨2, 1⟩ is right of ⟨2, 0⟩");
        assert!(d.caption[0].contains("the logical counter rises"));
    }

    #[test]
    fn safe_handoff_is_told_and_leaves_no_regression() {
        let steps = ["BecomeLeader(n1)", "ApplyCeiling(n1)", "IssueTimestamp(n1)", "BecomeLeader(n2)"];
        let d = drawing_after("safe", &steps);
        assert!(
            d.caption[0].contains("n2 became leader of term 2; it observed maxAppliedHLC and raised its last HLC from ⟨0, 0⟩ to ⟨2, 0⟩"),
            "{:?}",
            d.caption
        );
        let mut all = steps.to_vec();
        all.push("IssueTimestamp(n2)");
        let d = drawing_after("safe", &all);
        assert_eq!(class_of(&d, "ts-2"), "ts-dot term-2 fresh");
        assert!(d.ids().iter().all(|i| !i.starts_with("regression")));
    }

    #[test]
    fn gap_regression_is_an_arrow_going_back() {
        let steps = ["BecomeLeader(n1)", "IssueTimestamp(n1)", "BecomeLeader(n2)"];
        let d = drawing_after("gap", &steps);
        assert!(d.caption[0].contains("it did not observe maxAppliedHLC ⟨0, 1⟩: its last HLC stays ⟨0, 0⟩"), "{:?}", d.caption);
        let mut all = steps.to_vec();
        all.push("IssueTimestamp(n2)");
        let d = drawing_after("gap", &all);
        assert_eq!(class_of(&d, "ts-2"), "ts-dot term-2 fresh regressed");
        assert_eq!(class_of(&d, "regression-2"), "regression");
        assert_eq!(circle_x(&d, "ts-2"), circle_x(&d, "ts-1"), "both at ⟨0, 1⟩");
        assert!(d.caption.iter().any(|c| c.contains("No ceiling fence")), "{:?}", d.caption);
        assert!(d.caption.iter().any(|c| c.contains("⟨0, 1⟩ is not above ⟨0, 1⟩ issued in term 1") && c.contains("HLC4_NoRegressionAcrossTerms fails")));
        assert_eq!(class_of(&d, "status-mode"), "badge warn");
    }

    #[test]
    fn ticks_ceilings_and_stutters_are_told() {
        let d = drawing_after("safe", &["TickWall(n2)"]);
        assert!(d.caption[0].starts_with("n2's wall clock ticked to 1"));
        assert_eq!(class_of(&d, "lane-n2"), "lane hlc-lane acting");
        let d = drawing_after("safe", &["BecomeLeader(n3)", "ApplyCeiling(n3)"]);
        assert!(d.caption[0].contains("Leader n3 renewed the ceiling") && d.caption[0].ends_with("the window, 2."), "{:?}", d.caption);
        let d = drawing_after("safe", &["BecomeLeader(n3)", "ApplyCeiling(n3)", "ApplyCeiling(n3)"]);
        assert!(d.caption[0].starts_with("Nothing changed"));
    }
}
