//! The drawing of a state graph (`engine::graph`): a node per state, layered by BFS depth from
//! the top, the trace's path, a lasso's loop and the states where an invariant fails marked.
//!
//! Layout: hand-written, layered (Sugiyama-style, without the crossing-minimisation extras).
//! Layer = BFS depth; within a layer, nodes are ordered by the barycenter of their neighbours in
//! the layer above, then below, then above again (three sweeps). Every edge of a BFS graph goes
//! one layer down, stays in its layer or goes back up, so no dummy nodes are needed: a step down
//! is a straight arrow, any other a curve, a stuttering step a small loop. We looked at the crate
//! `layout-rs` 0.1.3 (no dependencies, MIT): about 6,300 lines, most of it a DOT parser, its own
//! shapes, text measuring and SVG backend that we would not use, and a network-simplex ranking
//! we do not need since BFS depth is the rank. This file is a few hundred lines of wasm instead,
//! and it lays out ~2,000 nodes in linear time per sweep.

use super::draw::{Anchor, Drawing, Legend, LegendItem, Shape};
use crate::engine::graph::StateGraph;
use crate::engine::plural;
use std::collections::HashSet;

/// What to mark on the graph.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphHighlight {
    /// The node of the state shown.
    pub current: Option<usize>,
    /// The trace's nodes, in order.
    pub path: Vec<usize>,
    /// The path is a counterexample: drawn in the violation colour.
    pub counterexample: bool,
    /// The nodes of a lasso's loop, in order (the loop goes from the last back to the first).
    pub lasso_loop: Vec<usize>,
    /// Nodes where an invariant fails.
    pub failing: Vec<usize>,
}

/// Sizes for a graph of `n` nodes: node radius, horizontal and vertical spacing, whether edge
/// labels are drawn. Nodes shrink as graphs grow, so ~2,000 nodes still fit a readable picture.
fn sizes(n: usize) -> (f64, f64, f64, bool) {
    match n {
        0..=40 => (9.0, 120.0, 90.0, true),
        41..=150 => (7.0, 34.0, 70.0, false),
        151..=600 => (4.5, 16.0, 60.0, false),
        _ => (2.5, 8.0, 50.0, false),
    }
}

const MARGIN: f64 = 30.0;
const LEFT: f64 = 56.0;

/// The layers (node ids by depth), each ordered by the barycenter heuristic.
fn layers(graph: &StateGraph) -> Vec<Vec<usize>> {
    let depth_of = |i: usize| graph.nodes[i].depth;
    let depth = graph.nodes.iter().map(|n| n.depth).max().map_or(0, |d| d + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for n in &graph.nodes {
        layers[n.depth].push(n.id);
    }
    // Neighbours one layer up and one layer down (steps down, seen from either end).
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    for e in &graph.edges {
        if depth_of(e.to) == depth_of(e.from) + 1 {
            up[e.to].push(e.from);
            down[e.from].push(e.to);
        }
    }
    let mut pos = vec![0.0f64; graph.nodes.len()];
    let place = |layer: &[usize], pos: &mut Vec<f64>| {
        for (i, &id) in layer.iter().enumerate() {
            pos[id] = i as f64 - layer.len() as f64 / 2.0;
        }
    };
    for l in &layers {
        place(l, &mut pos);
    }
    let mut sweep = |layers: &mut Vec<Vec<usize>>, order: Vec<usize>, adjacent: &Vec<Vec<usize>>| {
        for d in order {
            let key = |id: usize, pos: &[f64]| -> f64 {
                let a = &adjacent[id];
                if a.is_empty() {
                    pos[id]
                } else {
                    a.iter().map(|&n| pos[n]).sum::<f64>() / a.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = layers[d].iter().map(|&id| (key(id, &pos), id)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            layers[d] = keyed.into_iter().map(|(_, id)| id).collect();
            place(&layers[d], &mut pos);
        }
    };
    sweep(&mut layers, (1..depth).collect(), &up);
    sweep(&mut layers, (0..depth.saturating_sub(1)).rev().collect(), &down);
    sweep(&mut layers, (1..depth).collect(), &up);
    layers
}

/// The state graph drawn (see the module doc): node `i` is the group `gnode-<i>` (its title the
/// state's TLA+ text), an edge the group `gedge-<from>-<to>` (`-<k>` added for the k-th further
/// step between the same two nodes; its title the action).
pub fn draw(graph: &StateGraph, highlight: &GraphHighlight) -> Drawing {
    let n = graph.nodes.len();
    let (r, dx, dy, labels) = sizes(n);
    let layers = layers(graph);
    // A layer wider than `per_row` wraps onto further rows (in its order), so a big graph keeps a
    // reasonable shape instead of one very wide row.
    let per_row = ((n as f64).sqrt() * 2.0).max(24.0) as usize;
    let widest = layers.iter().map(|l| l.len().min(per_row)).max().unwrap_or(0) as f64;
    let width = LEFT + widest * dx + MARGIN;
    let mut xy = vec![(0.0, 0.0); n];
    let mut layer_y = Vec::with_capacity(layers.len());
    let mut y = MARGIN + r + 4.0;
    for layer in &layers {
        layer_y.push(y);
        for (row, chunk) in layer.chunks(per_row).enumerate() {
            let x0 = LEFT + (widest - chunk.len() as f64) * dx / 2.0 + dx / 2.0;
            // Wrapped rows sit a little apart, shifted by half a step so columns do not line up.
            let shift = if row % 2 == 1 { dx / 2.0 } else { 0.0 };
            for (i, &id) in chunk.iter().enumerate() {
                xy[id] = (x0 + shift + i as f64 * dx, y + row as f64 * dy * 0.4);
            }
        }
        y += dy + ((layer.len().max(1) - 1) / per_row) as f64 * dy * 0.4;
    }
    let height = y - dy + r + MARGIN;
    let large = n > 300;

    let on_path: HashSet<usize> = highlight.path.iter().copied().collect();
    let path_steps: HashSet<(usize, usize)> = highlight.path.windows(2).map(|w| (w[0], w[1])).collect();
    let in_loop: HashSet<usize> = highlight.lasso_loop.iter().copied().collect();
    let mut loop_steps: HashSet<(usize, usize)> = highlight.lasso_loop.windows(2).map(|w| (w[0], w[1])).collect();
    if let (Some(&first), Some(&last)) = (highlight.lasso_loop.first(), highlight.lasso_loop.last()) {
        loop_steps.insert((last, first));
    }
    let failing: HashSet<usize> = highlight.failing.iter().copied().collect();

    let mut shapes = Vec::new();
    // Depth labels at the left.
    if layers.len() <= 80 {
        let step = if layers.len() > 20 { 5 } else { 1 };
        for d in (0..layers.len()).step_by(step) {
            shapes.push(Shape::text(LEFT - 18.0, layer_y[d] + 4.0, d.to_string(), "glayer-label", Anchor::End));
        }
    }

    // Edges: plain ones first, emphasised ones on top.
    let mut plain = Vec::new();
    let mut emphasised = Vec::new();
    let mut seen: std::collections::HashMap<(usize, usize), usize> = std::collections::HashMap::new();
    let mut out_seen = vec![0usize; n];
    for e in &graph.edges {
        let k = seen.entry((e.from, e.to)).or_insert(0);
        let id = if *k == 0 { format!("gedge-{}-{}", e.from, e.to) } else { format!("gedge-{}-{}-{k}", e.from, e.to) };
        let nth = *k;
        *k += 1;
        let mut class = String::from("gedge");
        let (path, lp) = (path_steps.contains(&(e.from, e.to)), loop_steps.contains(&(e.from, e.to)));
        if path {
            class.push_str(if highlight.counterexample { " path counterexample" } else { " path" });
        }
        if lp {
            class.push_str(" loop");
        }
        let strong = path || lp;
        if large && !strong && (e.from == e.to || nth > 0) {
            continue; // a big graph leaves out stuttering steps and repeated steps
        }
        let (a, b) = (xy[e.from], xy[e.to]);
        let (da, db) = (graph.nodes[e.from].depth, graph.nodes[e.to].depth);
        // Labels of the steps leaving one state sit at staggered distances along them.
        let t = 0.3 + 0.2 * (out_seen[e.from] % 3) as f64;
        out_seen[e.from] += 1;
        let mut children = Vec::new();
        let (mid, tip, dir);
        if e.from == e.to {
            // A small loop over the node's right shoulder.
            let s = r * 1.4 + nth as f64 * r * 0.8;
            let end = (a.0 + r * 0.95, a.1 + r * 0.3);
            let d =
                format!("M {} {} C {} {} {} {} {} {}", a.0 + r * 0.4, a.1 - r * 0.9, a.0 + s * 1.6, a.1 - s * 2.0, a.0 + s * 2.4, a.1 + s * 0.4, end.0, end.1);
            children.push(Shape::Path { d, class: "gedge-line".into(), arrow: false });
            (mid, tip, dir) = (None, end, unit((a.0 + s * 2.4, a.1 + s * 0.4), end));
        } else if db == da + 1 && nth == 0 {
            let (ux, uy) = unit(a, b);
            let end = (b.0 - ux * (r + 1.0), b.1 - uy * (r + 1.0));
            children.push(Shape::Line { x1: a.0 + ux * r, y1: a.1 + uy * r, x2: end.0, y2: end.1, class: "gedge-line".into(), arrow: false });
            (mid, tip, dir) = (Some((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)), end, (ux, uy));
        } else {
            // Back, across or repeated: a curve bowed to one side (its control point pushed
            // sideways, more for longer spans, so a loop back-edge stands clear of the layers).
            let (ux, uy) = unit(a, b);
            let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
            let bend = (len * 0.25).max(dx * 0.4) + nth as f64 * dx * 0.3;
            let (mx, my) = ((a.0 + b.0) / 2.0 + uy * bend, (a.1 + b.1) / 2.0 - ux * bend);
            let (sx, sy) = unit(a, (mx, my));
            let (ex, ey) = unit((mx, my), b);
            let end = (b.0 - ex * (r + 1.0), b.1 - ey * (r + 1.0));
            let d = format!("M {} {} Q {} {} {} {}", a.0 + sx * r, a.1 + sy * r, mx, my, end.0, end.1);
            children.push(Shape::Path { d, class: "gedge-line curved".into(), arrow: false });
            (mid, tip, dir) = (Some(((a.0 + b.0) / 4.0 + mx / 2.0, (a.1 + b.1) / 4.0 + my / 2.0)), end, (ex, ey));
        }
        // Its own arrowhead (not an SVG marker), so it takes the edge's colour.
        if !large || strong {
            let h = (r * 0.9).clamp(3.0, 7.0) * if strong { 1.2 } else { 1.0 };
            let (bx, by) = (tip.0 - dir.0 * h, tip.1 - dir.1 * h);
            let d = format!("M {} {} L {} {} L {} {} z", tip.0, tip.1, bx - dir.1 * h * 0.5, by + dir.0 * h * 0.5, bx + dir.1 * h * 0.5, by - dir.0 * h * 0.5);
            children.push(Shape::Path { d, class: "gedge-head".into(), arrow: false });
        }
        if let (true, Some(mid)) = (labels, mid) {
            children.push(Shape::text(mid.0, mid.1 + 3.0, e.label.clone(), "gedge-label", Anchor::Middle));
        }
        let shape =
            if large && !strong { Shape::group(&class, children) } else { Shape::Group { id: Some(id), class, title: Some(e.label.clone()), children } };
        if strong {
            emphasised.push(shape);
        } else {
            plain.push(shape);
        }
    }
    shapes.push(Shape::group(if large { "gedges large" } else { "gedges" }, plain));
    shapes.push(Shape::group("gedges emphasised", emphasised));

    // Nodes.
    let mut nodes = Vec::with_capacity(n);
    for node in &graph.nodes {
        let (x, y) = xy[node.id];
        let mut class = String::from("gnode");
        for (on, name) in [
            (node.initial, " initial"),
            (on_path.contains(&node.id), if highlight.counterexample { " path counterexample" } else { " path" }),
            (in_loop.contains(&node.id), " loop"),
            (failing.contains(&node.id), " failing"),
            (highlight.current == Some(node.id), " current"),
        ] {
            if on {
                class.push_str(name);
            }
        }
        let mut children = Vec::new();
        if node.initial {
            children.push(Shape::Circle { cx: x, cy: y, r: r + 2.5, class: "gnode-ring".into() });
        }
        if highlight.current == Some(node.id) {
            children.push(Shape::Circle { cx: x, cy: y, r: r + 5.0, class: "gnode-halo".into() });
        }
        children.push(Shape::Circle { cx: x, cy: y, r, class: "gnode-dot".into() });
        let title = format!("state {} (depth {})\n{}", node.id, node.depth, node.tla_text(graph.variables));
        nodes.push(Shape::Group { id: Some(format!("gnode-{}", node.id)), class, title: Some(title), children });
    }
    shapes.push(Shape::group("gnodes", nodes));

    let mut caption = vec![format!(
        "{}, {}{}; rows are BFS depth from the initial states.",
        plural(n, "state", "states"),
        plural(graph.edges.len(), "step", "steps"),
        if graph.symmetry { " (a state stands for its class under symmetry)" } else { "" }
    )];
    if !graph.complete {
        caption.push(format!("Not the whole space: drawing stopped at {}.", plural(n, "state", "states")));
    }
    if large {
        caption.push("Stuttering steps and repeated steps between the same two states are left out at this size.".into());
    }
    Drawing { width: width.max(200.0), height: height.max(60.0), shapes, caption }
}

fn unit(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let (x, y) = (b.0 - a.0, b.1 - a.1);
    let len = (x * x + y * y).sqrt().max(1e-9);
    (x / len, y / len)
}

/// Every mark of [`draw`], explained.
pub fn legend() -> Legend {
    let node = |class: &str, ring: bool, halo: bool| {
        let mut children = Vec::new();
        if ring {
            children.push(Shape::Circle { cx: 14.0, cy: 12.0, r: 9.5, class: "gnode-ring".into() });
        }
        if halo {
            children.push(Shape::Circle { cx: 14.0, cy: 12.0, r: 11.0, class: "gnode-halo".into() });
        }
        children.push(Shape::Circle { cx: 14.0, cy: 12.0, r: 6.0, class: "gnode-dot".into() });
        LegendItem::shape(Shape::group(class, children), 28.0, 24.0, "")
    };
    let edge = |class: &str, curved: bool| {
        let line = if curved {
            Shape::Path { d: "M 2 18 Q 20 -4 34 14".into(), class: "gedge-line curved".into(), arrow: false }
        } else {
            Shape::Line { x1: 2.0, y1: 12.0, x2: 33.0, y2: 12.0, class: "gedge-line".into(), arrow: false }
        };
        let head = if curved { "M 38 18 L 30.5 15 L 34.5 11 z" } else { "M 38 12 L 32 9 L 32 15 z" };
        LegendItem::shape(Shape::group(class, vec![line, Shape::Path { d: head.into(), class: "gedge-head".into(), arrow: false }]), 40.0, 24.0, "")
    };
    let stutter = LegendItem::shape(
        Shape::group(
            "gedge",
            vec![
                Shape::Path { d: "M 17 6 C 30 -6 36 14 20 12".into(), class: "gedge-line".into(), arrow: false },
                Shape::Path { d: "M 19 12 L 25 9 L 25 15 z".into(), class: "gedge-head".into(), arrow: false },
                Shape::Circle { cx: 14.0, cy: 12.0, r: 5.0, class: "gnode-dot".into() },
            ],
        ),
        40.0,
        24.0,
        "",
    );
    let with = |mut item: LegendItem, meaning: &str| {
        item.meaning = meaning.into();
        item
    };
    Legend {
        items: vec![
            with(node("gnode", false, false), "A reachable state (hover for its variables; click to go there by a shortest path)."),
            with(node("gnode initial", true, false), "An initial state (double ring)."),
            with(node("gnode current", false, true), "The state shown now."),
            with(node("gnode path", false, false), "A state of the trace."),
            with(node("gnode failing", false, false), "A state where an invariant fails."),
            with(node("gnode loop", false, false), "A state on a lasso's loop (a behaviour that repeats for ever)."),
            with(edge("gedge", false), "A step, one BFS level down."),
            with(edge("gedge", true), "A step back to a state found earlier, or to one at the same depth."),
            with(stutter, "A step that leaves the state unchanged (stuttering)."),
            with(edge("gedge path", false), "A step of the trace."),
            with(edge("gedge path counterexample", false), "A step of a counterexample."),
            with(edge("gedge loop", true), "A step of a lasso's loop, the last one back to where the loop starts."),
        ],
        notation: vec![
            "Rows are BFS depth: row k holds the states whose shortest path from an initial state has k steps.".into(),
            "Under symmetry, as pex check counts, one node stands for a state and every permutation of it.".into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;
    use crate::engine::graph::reachable;

    fn small_graph() -> StateGraph {
        let model = catalogue::build("seqlock", "safe", &[("MaxSeq".into(), "1".into()), ("NumReaders".into(), "1".into())]).unwrap();
        let g = reachable(model.as_ref(), 1000);
        assert!(g.complete);
        g
    }

    fn class_of(d: &Drawing, id: &str) -> String {
        d.find(id).unwrap_or_else(|| panic!("{id} is drawn")).class().to_string()
    }

    #[test]
    fn nodes_path_and_loop_are_drawn_and_marked() {
        let g = small_graph();
        let path = g.path_to(g.nodes.len() - 1);
        assert!(path.len() >= 3);
        // A loop: some edge back from a node of depth d to one of depth < d on its own path.
        let back = g.edges.iter().find(|e| g.nodes[e.to].depth < g.nodes[e.from].depth && g.path_to(e.from).contains(&e.to)).expect("a back edge");
        let looped = g.path_to(back.from);
        let start = looped.iter().position(|&i| i == back.to).unwrap();
        let hl =
            GraphHighlight { current: path.last().copied(), path: path.clone(), counterexample: false, lasso_loop: looped[start..].to_vec(), failing: vec![0] };
        let d = draw(&g, &hl);
        assert!(d.width.is_finite() && d.height.is_finite() && d.width > 0.0 && d.height > 0.0);
        for n in &g.nodes {
            assert!(d.find(&format!("gnode-{}", n.id)).is_some(), "node {}", n.id);
        }
        let current = class_of(&d, &format!("gnode-{}", path.last().unwrap()));
        assert!(current.contains("current") && current.contains("path"), "{current}");
        assert!(class_of(&d, "gnode-0").contains("initial") && class_of(&d, "gnode-0").contains("failing"));
        for w in path.windows(2) {
            assert!(class_of(&d, &format!("gedge-{}-{}", w[0], w[1])).contains("path"));
        }
        let back_class = class_of(&d, &format!("gedge-{}-{}", back.from, back.to));
        assert!(back_class.contains("loop"), "{back_class}");
        assert!(class_of(&d, &format!("gnode-{}", back.to)).contains("loop"));
        // The title holds the state's TLA+ text.
        let Some(Shape::Group { title: Some(t), .. }) = d.find("gnode-0") else { panic!() };
        assert!(t.contains(&format!("/\\ {} = ", g.variables[0])), "{t}");
        // A counterexample path is coloured as one.
        let bad = draw(&g, &GraphHighlight { path, counterexample: true, ..GraphHighlight::default() });
        assert!(class_of(&bad, "gnode-0").contains("counterexample"));
    }

    #[test]
    fn big_graphs_still_draw_and_the_legend_uses_drawn_classes() {
        let model = catalogue::build("ebpf-ring", "safe", &[]).unwrap();
        let g = reachable(model.as_ref(), 2000);
        assert_eq!(g.nodes.len(), 2000);
        let d = draw(&g, &GraphHighlight { current: Some(1999), path: g.path_to(1999), ..GraphHighlight::default() });
        assert!(d.width.is_finite() && d.height.is_finite());
        assert!(d.find("gnode-1999").is_some() && d.caption.iter().any(|c| c.contains("Not the whole space")));
        // Every class the legend shows is one the drawing uses.
        let g = small_graph();
        let all: Vec<usize> = (0..g.nodes.len()).collect();
        let mut drawn = Vec::new();
        for cx in [false, true] {
            let d = draw(&g, &GraphHighlight { current: Some(1), path: all.clone(), counterexample: cx, lasso_loop: all.clone(), failing: all.clone() });
            fn walk(s: &Shape, out: &mut Vec<String>) {
                out.extend(s.class().split_whitespace().map(str::to_string));
                if let Shape::Group { children, .. } = s {
                    children.iter().for_each(|c| walk(c, out));
                }
            }
            d.shapes.iter().for_each(|s| walk(s, &mut drawn));
        }
        for item in legend().items {
            for class in item.classes() {
                assert!(drawn.contains(&class), "legend class {class} is not drawn");
            }
        }
    }
}
