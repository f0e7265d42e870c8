//! Drawings: what a domain view produces. A view is a pure function of (previous state, state) to
//! a [`Drawing`], a small tree of SVG shapes whose colours come from CSS classes (so both themes
//! work) plus caption sentences saying what the last step did. The web layer turns a drawing into
//! SVG; tests read it directly.
//!
//! The widgets below are shared by every view: a strip of slots, a ring of slots, a pointer, a
//! badge, a lane, a message arrow, an axis, a gauge and a network (nodes, links that may be cut,
//! messages on the links).

use crate::engine::{MessageEvent, MessageOp};

/// Where a text is anchored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        rx: f64,
        class: String,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
        class: String,
    },
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        class: String,
        arrow: bool,
    },
    Path {
        d: String,
        class: String,
        arrow: bool,
    },
    Text {
        x: f64,
        y: f64,
        text: String,
        class: String,
        anchor: Anchor,
    },
    /// A group: its `id` becomes a `data-id` attribute (for tests and styling), its `title` a
    /// tooltip.
    Group {
        id: Option<String>,
        class: String,
        title: Option<String>,
        children: Vec<Shape>,
    },
}

impl Shape {
    pub fn group(class: &str, children: Vec<Shape>) -> Shape {
        Shape::Group { id: None, class: class.to_string(), title: None, children }
    }

    pub fn with_id(self, id: impl Into<String>) -> Shape {
        match self {
            Shape::Group { class, title, children, .. } => Shape::Group { id: Some(id.into()), class, title, children },
            // A wrapped shape lends its class to the group, so that finding it by id shows its class.
            other => Shape::Group { id: Some(id.into()), class: other.class().to_string(), title: None, children: vec![other] },
        }
    }

    pub fn with_title(self, t: impl Into<String>) -> Shape {
        match self {
            Shape::Group { id, class, children, .. } => Shape::Group { id, class, title: Some(t.into()), children },
            other => Shape::Group { id: None, class: other.class().to_string(), title: Some(t.into()), children: vec![other] },
        }
    }

    pub fn text(x: f64, y: f64, text: impl Into<String>, class: &str, anchor: Anchor) -> Shape {
        Shape::Text { x, y, text: text.into(), class: class.to_string(), anchor }
    }

    /// The shape with every group id removed: a legend swatch drawn by a view's widget must not
    /// carry the ids of the parts it imitates (a page looks parts up by id).
    pub fn without_ids(self) -> Shape {
        match self {
            Shape::Group { class, title, children, .. } => {
                Shape::Group { id: None, class, title, children: children.into_iter().map(Shape::without_ids).collect() }
            }
            other => other,
        }
    }

    /// Every group id in this shape, depth first.
    pub fn ids(&self, out: &mut Vec<String>) {
        if let Shape::Group { id, children, .. } = self {
            if let Some(id) = id {
                out.push(id.clone());
            }
            for c in children {
                c.ids(out);
            }
        }
    }

    /// The group with this id, if any.
    pub fn find(&self, wanted: &str) -> Option<&Shape> {
        match self {
            Shape::Group { id, children, .. } => {
                if id.as_deref() == Some(wanted) {
                    return Some(self);
                }
                children.iter().find_map(|c| c.find(wanted))
            }
            _ => None,
        }
    }

    /// All text in this shape, in order.
    pub fn texts(&self) -> Vec<String> {
        match self {
            Shape::Text { text, .. } => vec![text.clone()],
            Shape::Group { children, title, .. } => {
                let mut v: Vec<String> = title.iter().cloned().collect();
                v.extend(children.iter().flat_map(|c| c.texts()));
                v
            }
            _ => Vec::new(),
        }
    }

    /// Adds `extra` to the class of every group whose id is in `ids`; returns how many it marked.
    fn mark(&mut self, ids: &[String], extra: &str) -> usize {
        let Shape::Group { id, class, children, .. } = self else { return 0 };
        let mut marked = 0;
        if id.as_ref().is_some_and(|id| ids.contains(id)) {
            class.push(' ');
            class.push_str(extra);
            marked += 1;
        }
        marked + children.iter_mut().map(|c| c.mark(ids, extra)).sum::<usize>()
    }

    pub fn class(&self) -> &str {
        match self {
            Shape::Rect { class, .. }
            | Shape::Circle { class, .. }
            | Shape::Line { class, .. }
            | Shape::Path { class, .. }
            | Shape::Text { class, .. }
            | Shape::Group { class, .. } => class,
        }
    }
}

/// How much room a view has: a drawing is laid out for one of a few width classes (not for every
/// pixel, so that resizing a window redraws only when a class changes). `Wide` is the desktop
/// layout every view has; `Narrow` is a phone's (a drawing column under about 560 px): a view that
/// has a narrow layout stacks its lanes, wraps its slots into rows and puts labels under rather
/// than beside its marks, at most [`NARROW_WIDTH`] wide, so that it is shown whole, without
/// sideways scrolling, with its 11 px text at 9 px or more. The same marks carry the same ids in
/// both layouts. A view without a narrow layout draws its wide one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Layout {
    #[default]
    Wide,
    Narrow,
}

/// The widest a narrow drawing is (its view box): in a 320 px phone's drawing column (266 px) it
/// is shown at 0.82, its 11 px text at 9 px.
pub const NARROW_WIDTH: f64 = 324.0;

impl Layout {
    /// The class for a drawing column `px` CSS pixels wide.
    pub fn for_width(px: f64) -> Layout {
        if px > 0.0 && px < 560.0 {
            Layout::Narrow
        } else {
            Layout::Wide
        }
    }

    pub fn is_narrow(self) -> bool {
        self == Layout::Narrow
    }

    /// The widest a drawing may be in this layout, or `wide` (the view's own width) when wide.
    pub fn max_width(self, wide: f64) -> f64 {
        match self {
            Layout::Wide => wide,
            Layout::Narrow => NARROW_WIDTH.min(wide),
        }
    }
}

/// At most this many marks are named in a drawing's text alternative.
pub const ALT_PARTS: usize = 60;

/// A picture of one state, and what its last step did in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Drawing {
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
    pub caption: Vec<String>,
}

impl Drawing {
    pub fn find(&self, id: &str) -> Option<&Shape> {
        self.shapes.iter().find_map(|s| s.find(id))
    }

    pub fn ids(&self) -> Vec<String> {
        let mut v = Vec::new();
        for s in &self.shapes {
            s.ids(&mut v);
        }
        v
    }

    pub fn texts(&self) -> Vec<String> {
        self.shapes.iter().flat_map(|s| s.texts()).collect()
    }

    /// What the drawing shows, in words, for a screen reader (the `<svg>`'s accessible name): the
    /// caption (what the last step did and what fails), then each top-level mark in drawing order,
    /// by its tooltip where it has one (the tooltip already explains the mark) or else by the text
    /// drawn in it. Everything comes from the drawing of this state, so it changes with the step.
    /// A large drawing (a state graph) is cut after [`ALT_PARTS`] marks, saying how many are left.
    pub fn text_alternative(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for s in &self.shapes {
            let words = match s {
                Shape::Group { title: Some(t), .. } => t.clone(),
                other => other.texts().join(" "),
            };
            let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
            if !words.is_empty() && parts.last() != Some(&words) {
                parts.push(words);
            }
        }
        let left = parts.len().saturating_sub(ALT_PARTS);
        parts.truncate(ALT_PARTS);
        let mut alt = self.caption.join(" ");
        if !parts.is_empty() {
            if !alt.is_empty() {
                alt.push_str(" Shown: ");
            }
            alt.push_str(&parts.join("; "));
            if left > 0 {
                alt.push_str(&format!("; and {left} more."));
            }
        }
        alt
    }

    /// Marks the groups with these ids as what a lesson step points at (class `lesson-highlight`);
    /// returns how many groups it marked.
    pub fn highlight(&mut self, ids: &[String]) -> usize {
        self.shapes.iter_mut().map(|s| s.mark(ids, "lesson-highlight")).sum()
    }
}

/// One mark of a view and what it means, drawn by the widget the view draws it with, so that the
/// legend's colours are the view's own, in both themes.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub swatch: Shape,
    /// The swatch's size (its drawing's view box).
    pub width: f64,
    pub height: f64,
    pub meaning: String,
}

impl LegendItem {
    /// A slot of a strip or ring in state `class`, reading `text`.
    pub fn cell(class: &str, text: &str, meaning: &str) -> LegendItem {
        let w = text_width(text).max(44.0);
        let cell = Cell { id: String::new(), head: String::new(), body: String::new(), foot: text.into(), class: class.into(), tooltip: None };
        LegendItem { swatch: slot_strip(0.0, 1.0, w, 26.0, &[cell]), width: w, height: 28.0, meaning: meaning.into() }
    }

    /// A badge of class `class` reading `text`.
    pub fn badge(class: &str, text: &str, meaning: &str) -> LegendItem {
        let (b, w) = badge("", 1.0, 12.0, text, class);
        LegendItem { swatch: b, width: w + 2.0, height: 24.0, meaning: meaning.into() }
    }

    /// Any shape, in a box of this size.
    pub fn shape(swatch: Shape, width: f64, height: f64, meaning: &str) -> LegendItem {
        LegendItem { swatch, width, height, meaning: meaning.into() }
    }

    /// Every class name the swatch's shapes carry.
    pub fn classes(&self) -> Vec<String> {
        fn walk(s: &Shape, out: &mut Vec<String>) {
            out.extend(s.class().split_whitespace().map(str::to_string));
            if let Shape::Group { children, .. } = s {
                for c in children {
                    walk(c, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.swatch, &mut out);
        out
    }
}

/// A view's legend: its marks and colours, and the notation it writes values in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Legend {
    pub items: Vec<LegendItem>,
    /// Sentences explaining the notation (`<<1, 0, 2>>` is round 1, attempt 0, proposer 2).
    pub notation: Vec<String>,
}

/// The width a text of `chars` characters takes at the drawings' small font size.
pub fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 6.6 + 12.0
}

/// One cell of a slot strip or ring.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub id: String,
    /// Small text at the top (`slot 0`).
    pub head: String,
    /// The main text (`stamp 5`).
    pub body: String,
    /// Small text at the bottom (`value 2`).
    pub foot: String,
    /// Colour class: the view's vocabulary (`odd`, `done`, `locked`, ...).
    pub class: String,
    pub tooltip: Option<String>,
}

/// A row of equal cells starting at (x, y). Cell `i`'s centre is `x + (i + 0.5) * w`.
pub fn slot_strip(x: f64, y: f64, w: f64, h: f64, cells: &[Cell]) -> Shape {
    let children = cells.iter().enumerate().map(|(i, c)| cell_shape(x + i as f64 * w, y, w, h, c)).collect();
    Shape::group("slot-strip", children)
}

/// [`slot_strip`] wrapped into rows of at most `per_row` cells, `pitch` apart vertically (a narrow
/// layout's ring). Cell `i` is at row `i / per_row`, column `i % per_row`; returns the shape and
/// each cell's top-left corner. With `per_row` ≥ the number of cells it is a slot strip.
pub fn slot_grid(x: f64, y: f64, w: f64, h: f64, per_row: usize, pitch: f64, cells: &[Cell]) -> (Shape, Vec<(f64, f64)>) {
    let per_row = per_row.max(1);
    let corners: Vec<(f64, f64)> = (0..cells.len()).map(|i| (x + (i % per_row) as f64 * w, y + (i / per_row) as f64 * pitch)).collect();
    let children = cells.iter().zip(&corners).map(|(c, &(cx, cy))| cell_shape(cx, cy, w, h, c)).collect();
    (Shape::group("slot-strip", children), corners)
}

fn cell_shape(x: f64, y: f64, w: f64, h: f64, c: &Cell) -> Shape {
    let mut children = vec![Shape::Rect { x: x + 2.0, y, w: w - 4.0, h, rx: 6.0, class: format!("cell {}", c.class) }];
    let cx = x + w / 2.0;
    if !c.head.is_empty() {
        children.push(Shape::text(cx, y + 14.0, c.head.clone(), "cell-head", Anchor::Middle));
    }
    children.push(Shape::text(cx, y + h / 2.0 + 5.0, c.body.clone(), "cell-body", Anchor::Middle));
    if !c.foot.is_empty() {
        children.push(Shape::text(cx, y + h - 8.0, c.foot.clone(), "cell-foot", Anchor::Middle));
    }
    let g = Shape::Group { id: Some(c.id.clone()), class: format!("cell-group {}", c.class), title: c.tooltip.clone(), children };
    g
}

/// Cells placed around a circle centred at (cx, cy), the first at the top, clockwise. Returns the
/// shape and each cell's centre.
pub fn ring(cx: f64, cy: f64, radius: f64, w: f64, h: f64, cells: &[Cell]) -> (Shape, Vec<(f64, f64)>) {
    let n = cells.len().max(1) as f64;
    let mut centres = Vec::new();
    let mut children = vec![Shape::Circle { cx, cy, r: radius, class: "ring-track".into() }];
    for (i, c) in cells.iter().enumerate() {
        let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * 2.0 * std::f64::consts::PI / n;
        let (px, py) = (cx + radius * angle.cos(), cy + radius * angle.sin());
        centres.push((px, py));
        children.push(cell_shape(px - w / 2.0, py - h / 2.0, w, h, c));
    }
    (Shape::group("ring", children), centres)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// The pointer sits below its target and points up at it.
    Up,
    /// The pointer sits above its target and points down at it.
    Down,
}

/// A labelled triangle pointing at (x, y).
pub fn pointer(id: &str, x: f64, y: f64, dir: Direction, label: &str, class: &str) -> Shape {
    pointer_within(id, x, y, dir, label, class, (f64::NEG_INFINITY, f64::INFINITY))
}

/// [`pointer`] whose label stays between `bounds` (a narrow drawing's edges): centred on the tip
/// where it fits, else slid along until it does.
pub fn pointer_within(id: &str, x: f64, y: f64, dir: Direction, label: &str, class: &str, bounds: (f64, f64)) -> Shape {
    let half = (text_width(label) - 12.0) / 2.0;
    let label_x = if half * 2.0 >= bounds.1 - bounds.0 { (bounds.0 + bounds.1) / 2.0 } else { x.clamp(bounds.0 + half, bounds.1 - half) };
    let (tip, base, text_y) = match dir {
        Direction::Down => (y, y - 9.0, y - 13.0),
        Direction::Up => (y, y + 9.0, y + 21.0),
    };
    let d = format!("M {x} {tip} L {} {base} L {} {base} Z", x - 6.0, x + 6.0);
    Shape::Group {
        id: Some(id.to_string()),
        class: format!("pointer {class}"),
        title: None,
        children: vec![Shape::Path { d, class: "pointer-head".into(), arrow: false }, Shape::text(label_x, text_y, label, "pointer-label", Anchor::Middle)],
    }
}

/// A rounded label at (x, y) (its left edge, vertical centre); returns the shape and its width.
pub fn badge(id: &str, x: f64, y: f64, text: &str, class: &str) -> (Shape, f64) {
    let w = text_width(text);
    let shape = Shape::Group {
        id: if id.is_empty() { None } else { Some(id.to_string()) },
        class: format!("badge {class}"),
        title: None,
        children: vec![
            Shape::Rect { x, y: y - 10.0, w, h: 20.0, rx: 10.0, class: "badge-box".into() },
            Shape::text(x + w / 2.0, y + 4.0, text, "badge-text", Anchor::Middle),
        ],
    };
    (shape, w)
}

/// Badges in a row from (x, y), `gap` apart; returns them and the x after the last.
pub fn badge_row(x: f64, y: f64, gap: f64, items: &[(String, String, String)]) -> (Vec<Shape>, f64) {
    let mut out = Vec::new();
    let mut at = x;
    for (id, text, class) in items {
        let (b, w) = badge(id, at, y, text, class);
        out.push(b);
        at += w + gap;
    }
    (out, at)
}

/// Badges from (x, y) (the first row's vertical centre), `gap` apart, wrapped onto a new row
/// `row_h` lower when the next would pass `max_x` (a narrow layout's badge row). Returns them and
/// the number of rows.
pub fn badge_flow(x: f64, y: f64, max_x: f64, gap: f64, row_h: f64, items: &[(String, String, String)]) -> (Vec<Shape>, usize) {
    let mut out = Vec::new();
    let (mut at, mut row) = (x, 0usize);
    for (id, text, class) in items {
        let w = text_width(text);
        if at > x && at + w > max_x {
            at = x;
            row += 1;
        }
        let (b, _) = badge(id, at, y + row as f64 * row_h, text, class);
        out.push(b);
        at += w + gap;
    }
    (out, if items.is_empty() { 0 } else { row + 1 })
}

/// How many rows [`badge_flow`] puts these badges on.
pub fn badge_flow_rows(x: f64, max_x: f64, gap: f64, items: &[(String, String, String)]) -> usize {
    badge_flow(x, 0.0, max_x, gap, 0.0, items).1
}

/// A lane with its title on a line of its own above its contents (a narrow layout's lane: the
/// contents take the whole width). The title's baseline is at `y + 15`; contents start at `y + 22`.
#[allow(clippy::too_many_arguments)]
pub fn lane_titled(id: &str, x: f64, y: f64, w: f64, h: f64, title: &str, class: &str, children: Vec<Shape>) -> Shape {
    let mut all = vec![Shape::Rect { x, y, w, h, rx: 8.0, class: "lane-box".into() }, Shape::text(x + 10.0, y + 15.0, title, "lane-title", Anchor::Start)];
    all.extend(children);
    Shape::Group { id: Some(id.to_string()), class: format!("lane {class}"), title: None, children: all }
}

/// A horizontal band with its title on the left: one lane per actor.
// Like every widget it takes its geometry (x, y, w, h) as plain numbers, then id, title, class, contents.
#[allow(clippy::too_many_arguments)]
pub fn lane(id: &str, x: f64, y: f64, w: f64, h: f64, title: &str, class: &str, children: Vec<Shape>) -> Shape {
    let mut all =
        vec![Shape::Rect { x, y, w, h, rx: 8.0, class: "lane-box".into() }, Shape::text(x + 10.0, y + h / 2.0 + 4.0, title, "lane-title", Anchor::Start)];
    all.extend(children);
    Shape::Group { id: Some(id.to_string()), class: format!("lane {class}"), title: None, children: all }
}

/// An arrow from one point to another, bowed by `bend` (0 for straight), with a label at its middle.
pub fn message_arrow(id: &str, from: (f64, f64), to: (f64, f64), bend: f64, label: &str, class: &str) -> Shape {
    let (mx, my) = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    // Control point: the midpoint pushed sideways by `bend`.
    let (qx, qy) = (mx - dy / len * bend, my + dx / len * bend);
    let d = format!("M {} {} Q {} {} {} {}", from.0, from.1, qx, qy, to.0, to.1);
    let (lx, ly) = ((mx + qx) / 2.0, (my + qy) / 2.0 - 6.0);
    Shape::Group {
        id: Some(id.to_string()),
        class: format!("message {class}"),
        title: None,
        children: vec![Shape::Path { d, class: "message-path".into(), arrow: true }, Shape::text(lx, ly, label, "message-label", Anchor::Middle)],
    }
}

/// A number line from `min` to `max` over [x, x + w] at height y, with a tick per integer.
/// Returns the shape and a function from value to x.
pub fn axis(id: &str, x: f64, y: f64, w: f64, min: i64, max: i64, label: &str) -> (Shape, impl Fn(f64) -> f64) {
    let span = (max - min).max(1) as f64;
    let scale = move |v: f64| x + (v - min as f64) / span * w;
    let mut children = vec![Shape::Line { x1: x, y1: y, x2: x + w, y2: y, class: "axis-line".into(), arrow: false }];
    for v in min..=max {
        let tx = scale(v as f64);
        children.push(Shape::Line { x1: tx, y1: y - 4.0, x2: tx, y2: y + 4.0, class: "axis-tick".into(), arrow: false });
        children.push(Shape::text(tx, y + 17.0, v.to_string(), "axis-label", Anchor::Middle));
    }
    if !label.is_empty() {
        children.push(Shape::text(x - 10.0, y + 4.0, label, "axis-title", Anchor::End));
    }
    (Shape::Group { id: Some(id.to_string()), class: "axis".into(), title: None, children }, scale)
}

/// A mark on a [`gauge`]: a tick across it at `value`, labelled below.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub value: i64,
    pub label: String,
    pub class: String,
}

/// A horizontal gauge over `min..=max` at (x, y), `w` wide and `h` tall: a track, a bar filled from
/// `min` to `value` ending in a knob, and labelled marks (ticks across the gauge). The group carries `class` (its
/// state, for colours). Returns the shape and a function from value to x.
#[allow(clippy::too_many_arguments)]
pub fn gauge(id: &str, x: f64, y: f64, w: f64, h: f64, min: i64, max: i64, value: i64, class: &str, marks: &[Mark]) -> (Shape, impl Fn(f64) -> f64) {
    let span = (max - min).max(1) as f64;
    let scale = move |v: f64| x + (v - min as f64) / span * w;
    let mut children = vec![
        Shape::Rect { x, y, w, h, rx: h / 2.0, class: "gauge-track".into() },
        Shape::Rect { x, y, w: (scale(value as f64) - x).max(0.0), h, rx: h / 2.0, class: "gauge-fill".into() },
        // A knob at the value, so that a gauge at its minimum still shows where it stands.
        Shape::Circle { cx: scale(value as f64), cy: y + h / 2.0, r: h / 2.0 + 2.0, class: "gauge-knob".into() },
    ];
    for m in marks {
        let mx = scale(m.value as f64);
        children.push(Shape::Group {
            id: None,
            class: format!("gauge-mark {}", m.class),
            title: None,
            children: vec![
                Shape::Line { x1: mx, y1: y - 4.0, x2: mx, y2: y + h + 4.0, class: "gauge-mark-line".into(), arrow: false },
                Shape::text(mx, y + h + 15.0, m.label.clone(), "gauge-mark-label", Anchor::Middle),
            ],
        });
    }
    (Shape::Group { id: Some(id.to_string()), class: format!("gauge {class}"), title: None, children }, scale)
}

/// A drawing as a standalone SVG document (a picture for the docs and the gallery), styled by
/// `css` (the app's stylesheet: its theme variables sit on `:root`, the `<svg>` element here). The
/// page draws the same shapes with yew (`ui::svg`); this is its text form, for places with no app.
pub fn standalone_svg(d: &Drawing, css: &str, dark: bool) -> String {
    fn esc(s: &str) -> String {
        s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
    }
    fn shape(s: &Shape, out: &mut String) {
        use std::fmt::Write;
        let arrow = |a: &bool| if *a { r#" marker-end="url(#arrow)""# } else { "" };
        match s {
            Shape::Rect { x, y, w, h, rx, class } => {
                let _ = write!(out, r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}" class="{}"/>"#, esc(class));
            }
            Shape::Circle { cx, cy, r, class } => {
                let _ = write!(out, r#"<circle cx="{cx}" cy="{cy}" r="{r}" class="{}"/>"#, esc(class));
            }
            Shape::Line { x1, y1, x2, y2, class, arrow: a } => {
                let _ = write!(out, r#"<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" class="{}"{}/>"#, esc(class), arrow(a));
            }
            Shape::Path { d, class, arrow: a } => {
                let _ = write!(out, r#"<path d="{}" class="{}"{}/>"#, esc(d), esc(class), arrow(a));
            }
            Shape::Text { x, y, text, class, anchor } => {
                let _ = write!(out, r#"<text x="{x}" y="{y}" class="{}" text-anchor="{}">{}</text>"#, esc(class), anchor.as_str(), esc(text));
            }
            Shape::Group { id, class, title, children } => {
                let _ = write!(out, r#"<g class="{}""#, esc(class));
                if let Some(id) = id {
                    let _ = write!(out, r#" data-id="{}""#, esc(id));
                }
                out.push('>');
                if let Some(t) = title {
                    let _ = write!(out, "<title>{}</title>", esc(t));
                }
                for c in children {
                    shape(c, out);
                }
                out.push_str("</g>");
            }
        }
    }
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="view-svg" data-theme="{}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img"><style><![CDATA[{}
svg {{ background: var(--panel); font-family: var(--sans); }}]]></style><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head"/></marker></defs>"#,
        if dark { "dark" } else { "light" },
        // Character data: the stylesheet's comments may hold `&` or `<`; it never holds `]]>`.
        css.replace("]]>", "]] >"),
        w = d.width,
        h = d.height,
    );
    for s in &d.shapes {
        shape(s, &mut out);
    }
    out.push_str("</svg>\n");
    out
}

/// A node of a [`network`]: a box with a title and lines of text.
#[derive(Clone, Debug, PartialEq)]
pub struct NetNode {
    pub id: String,
    pub title: String,
    pub lines: Vec<String>,
    /// Colour class (the view's vocabulary: `diverged`, ...).
    pub class: String,
    pub tooltip: Option<String>,
}

/// A link of a [`network`] between nodes `a` and `b` (indices), possibly cut.
#[derive(Clone, Debug, PartialEq)]
pub struct NetLink {
    pub a: usize,
    pub b: usize,
    pub cut: bool,
}

/// A message on a [`network`]'s link, travelling from node `from` to node `to`, drawn at
/// `progress` (0 at the sender, 1 at the receiver) with an arrow pointing the way it goes.
#[derive(Clone, Debug, PartialEq)]
pub struct NetToken {
    pub id: String,
    pub from: usize,
    pub to: usize,
    pub label: String,
    /// Colour class (`sent`, `held`, `delivered`, `dropped`, ...).
    pub class: String,
    pub progress: f64,
    /// Which row of its link's side it sits in (0 nearest the link): several messages going the
    /// same way along one link stack outwards instead of overlapping.
    pub stack: usize,
    pub tooltip: Option<String>,
}

/// Where a [`network`] puts node `i` of `n`: on an ellipse centred at (cx, cy), clockwise; two
/// nodes face each other left and right, more start at the top.
pub fn network_position(cx: f64, cy: f64, rx: f64, ry: f64, i: usize, n: usize) -> (f64, f64) {
    use std::f64::consts::{FRAC_PI_2, PI};
    let start = if n <= 2 { PI } else { -FRAC_PI_2 };
    let angle = start + i as f64 * 2.0 * PI / n.max(1) as f64;
    (cx + rx * angle.cos(), cy + ry * angle.sin())
}

/// The height of a [`network`] node's box.
fn net_node_height(node: &NetNode) -> f64 {
    30.0 + 16.0 * node.lines.len() as f64
}

/// How far from a box's centre, along the unit direction (ux, uy), its edge lies.
fn to_box_edge(half_w: f64, half_h: f64, ux: f64, uy: f64) -> f64 {
    let along_x = if ux.abs() > 1e-9 { half_w / ux.abs() } else { f64::INFINITY };
    let along_y = if uy.abs() > 1e-9 { half_h / uy.abs() } else { f64::INFINITY };
    along_x.min(along_y)
}

/// The row each token takes on its directed link: several going one way along a link stack
/// outwards, in the order they are placed.
#[derive(Default)]
pub struct LinkRows(std::collections::HashMap<(usize, usize), usize>);

impl LinkRows {
    pub fn next(&mut self, from: usize, to: usize) -> usize {
        let row = self.0.entry((from, to)).or_insert(0);
        *row += 1;
        *row - 1
    }
}

/// Tokens for the messages a step ended, from its declared events: each delivered one at its
/// receiver (`delivered_at` of the way along; `duplicate` when the step copied it), each dropped
/// one mid-link with its ×; ids are the message's id and what happened to it.
pub fn ended_tokens(events: &[MessageEvent], delivered_at: f64, rows: &mut LinkRows) -> Vec<NetToken> {
    let duplicated = events.iter().any(|e| e.op == MessageOp::Duplicate);
    events
        .iter()
        .filter_map(|e| {
            let (class, progress) = match e.op {
                MessageOp::Deliver if duplicated => ("duplicate", delivered_at),
                MessageOp::Deliver => ("delivered", delivered_at),
                MessageOp::Drop => ("dropped", 0.5),
                _ => return None,
            };
            Some(NetToken {
                id: format!("{} ({})", e.id, if duplicated { "duplicate" } else { e.op.as_str() }),
                from: e.from,
                to: e.to,
                label: e.label.clone(),
                class: class.into(),
                progress,
                stack: rows.next(e.from, e.to),
                tooltip: None,
            })
        })
        .collect()
}

/// Nodes on a circle (an ellipse of radii rx, ry around (cx, cy)) as boxes `node_w` wide, links as
/// lines between their centres (a cut link broken in the middle and crossed out), and messages
/// as labelled tokens along their links. Tokens going each way along one link sit on either side
/// of it, so the two directions never overlap.
#[allow(clippy::too_many_arguments)]
pub fn network(id: &str, cx: f64, cy: f64, rx: f64, ry: f64, node_w: f64, nodes: &[NetNode], links: &[NetLink], tokens: &[NetToken]) -> Shape {
    let n = nodes.len();
    let at: Vec<(f64, f64)> = (0..n).map(|i| network_position(cx, cy, rx, ry, i, n)).collect();
    let mut children = Vec::new();
    for l in links {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (at.get(l.a), at.get(l.b)) else { continue };
        let link_id = format!("link-{}-{}", l.a, l.b);
        if l.cut {
            // Two halves with a gap, and a cross in the gap.
            let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
            let (dx, dy) = (x2 - x1, y2 - y1);
            let len = (dx * dx + dy * dy).sqrt().max(1.0);
            let (ux, uy) = (dx / len * 14.0, dy / len * 14.0);
            children.push(Shape::Group {
                id: Some(link_id),
                class: "net-link cut".into(),
                title: Some("link cut".into()),
                children: vec![
                    Shape::Line { x1, y1, x2: mx - ux, y2: my - uy, class: "net-link-line".into(), arrow: false },
                    Shape::Line { x1: mx + ux, y1: my + uy, x2, y2, class: "net-link-line".into(), arrow: false },
                    Shape::Path {
                        d: format!("M {} {} L {} {} M {} {} L {} {}", mx - 7.0, my - 7.0, mx + 7.0, my + 7.0, mx - 7.0, my + 7.0, mx + 7.0, my - 7.0),
                        class: "net-cut-mark".into(),
                        arrow: false,
                    },
                ],
            });
        } else {
            children.push(Shape::Group {
                id: Some(link_id),
                class: "net-link".into(),
                title: None,
                children: vec![Shape::Line { x1, y1, x2, y2, class: "net-link-line".into(), arrow: false }],
            });
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        let (x, y) = at[i];
        let h = net_node_height(node);
        let (left, top) = (x - node_w / 2.0, y - h / 2.0);
        let mut parts = vec![
            Shape::Rect { x: left, y: top, w: node_w, h, rx: 8.0, class: "net-node-box".into() },
            Shape::text(x, top + 18.0, node.title.clone(), "net-node-title", Anchor::Middle),
        ];
        for (j, line) in node.lines.iter().enumerate() {
            parts.push(Shape::text(left + 10.0, top + 36.0 + 16.0 * j as f64, line.clone(), "net-node-line", Anchor::Start));
        }
        children.push(Shape::Group { id: Some(node.id.clone()), class: format!("net-node {}", node.class), title: node.tooltip.clone(), children: parts });
    }
    for t in tokens {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (at.get(t.from), at.get(t.to)) else { continue };
        if t.from == t.to {
            children.push(self_token(t, x1, y1, cx, cy, node_w, net_node_height(&nodes[t.from])));
            continue;
        }
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / len, dy / len);
        // Along the part of the link between the two boxes, so a token never sits on a node.
        let start = to_box_edge(node_w / 2.0, net_node_height(&nodes[t.from]) / 2.0, ux, uy);
        let end = len - to_box_edge(node_w / 2.0, net_node_height(&nodes[t.to]) / 2.0, ux, uy);
        let along = if end > start { start + (end - start) * t.progress } else { len * t.progress };
        // To the right of the direction of travel (in screen coordinates), so each way has its
        // side, and far enough that the label's box clears the line however steep the link is.
        let w = text_width(&t.label);
        let side = 6.0 + 10.0 * ux.abs() + w / 2.0 * uy.abs() + t.stack as f64 * (22.0 * ux.abs() + (w + 6.0) * uy.abs());
        let (sx, sy) = (-uy * side, ux * side);
        let (px, py) = (x1 + ux * along + sx, y1 + uy * along + sy);
        // The arrow starts at the token's box edge, in the direction of travel.
        let edge = to_box_edge(w / 2.0, 10.0, ux, uy);
        children.push(Shape::Group {
            id: Some(t.id.clone()),
            class: format!("net-token {}", t.class),
            title: t.tooltip.clone(),
            children: vec![
                Shape::Rect { x: px - w / 2.0, y: py - 10.0, w, h: 20.0, rx: 10.0, class: "net-token-box".into() },
                Shape::text(px, py + 4.0, t.label.clone(), "net-token-text", Anchor::Middle),
                Shape::Line {
                    x1: px + ux * (edge + 2.0),
                    y1: py + uy * (edge + 2.0),
                    x2: px + ux * (edge + 16.0),
                    y2: py + uy * (edge + 16.0),
                    class: "net-token-arrow".into(),
                    arrow: true,
                },
            ],
        });
    }
    Shape::Group { id: Some(id.to_string()), class: "network".into(), title: None, children }
}

/// A [`network`] token addressed to its own sender (a link of one node has no direction): just
/// inside the node's box towards the network's centre, stacked further in, pointing back at it.
fn self_token(t: &NetToken, x: f64, y: f64, cx: f64, cy: f64, node_w: f64, node_h: f64) -> Shape {
    let (ox, oy) = (cx - x, cy - y);
    let len = (ox * ox + oy * oy).sqrt();
    let (ux, uy) = if len < 1.0 { (0.0, 1.0) } else { (ox / len, oy / len) };
    let w = text_width(&t.label);
    let edge = to_box_edge(w / 2.0, 10.0, ux, uy);
    let d = to_box_edge(node_w / 2.0, node_h / 2.0, ux, uy) + edge + 22.0 + t.stack as f64 * 24.0;
    let (px, py) = (x + ux * d, y + uy * d);
    Shape::Group {
        id: Some(t.id.clone()),
        class: format!("net-token {}", t.class),
        title: t.tooltip.clone(),
        children: vec![
            Shape::Rect { x: px - w / 2.0, y: py - 10.0, w, h: 20.0, rx: 10.0, class: "net-token-box".into() },
            Shape::text(px, py + 4.0, t.label.clone(), "net-token-text", Anchor::Middle),
            Shape::Line {
                x1: px - ux * (edge + 2.0),
                y1: py - uy * (edge + 2.0),
                x2: px - ux * (edge + 16.0),
                y2: py - uy * (edge + 16.0),
                class: "net-token-arrow".into(),
                arrow: true,
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(id: &str, class: &str) -> Cell {
        Cell { id: id.into(), head: "slot".into(), body: "body".into(), foot: String::new(), class: class.into(), tooltip: None }
    }

    #[test]
    fn strips_and_rings_keep_ids_and_classes() {
        let s = slot_strip(0.0, 0.0, 50.0, 40.0, &[cell("a", "odd"), cell("b", "done")]);
        assert_eq!(s.find("b").unwrap().class(), "cell-group done");
        let (r, centres) = ring(100.0, 100.0, 50.0, 40.0, 30.0, &[cell("x", "a"), cell("y", "b"), cell("z", "c"), cell("w", "d")]);
        assert!(r.find("z").is_some());
        // First at the top, then clockwise: right, bottom, left.
        assert!((centres[0].1 - 50.0).abs() < 1e-9 && (centres[1].0 - 150.0).abs() < 1e-9);
        assert!((centres[2].1 - 150.0).abs() < 1e-9 && (centres[3].0 - 50.0).abs() < 1e-9);
    }

    #[test]
    fn badges_and_arrows() {
        let (row, end) = badge_row(10.0, 0.0, 4.0, &[("a".into(), "one".into(), "x".into()), ("b".into(), "three".into(), "y".into())]);
        assert_eq!(row.len(), 2);
        assert!(end > 10.0 + text_width("one") + text_width("three"));
        let a = message_arrow("m", (0.0, 0.0), (100.0, 0.0), 20.0, "jump", "lag");
        assert_eq!(a.texts(), vec!["jump"]);
        let (ax, scale) = axis("ax", 0.0, 10.0, 100.0, 0, 4, "seq");
        assert_eq!(scale(2.0), 50.0);
        assert_eq!(ax.texts().len(), 6);
    }

    #[test]
    fn networks_place_nodes_break_cut_links_and_carry_tokens() {
        let node = |id: &str| NetNode { id: id.into(), title: id.into(), lines: vec!["x".into()], class: "plain".into(), tooltip: None };
        let links = [NetLink { a: 0, b: 1, cut: true }, NetLink { a: 0, b: 7, cut: false }];
        let token =
            |from, to| NetToken { id: format!("t{from}{to}"), from, to, label: "m".into(), class: "sent".into(), progress: 0.5, stack: 0, tooltip: None };
        let g = network("net", 200.0, 100.0, 100.0, 50.0, 80.0, &[node("a"), node("b")], &links, &[token(0, 1), token(1, 0), token(0, 9)]);
        // Two nodes face each other: the first on the left, the second on the right.
        assert_eq!(network_position(200.0, 100.0, 100.0, 50.0, 0, 2), (100.0, 100.0));
        let (x, y) = network_position(200.0, 100.0, 100.0, 50.0, 1, 2);
        assert!((x - 300.0).abs() < 1e-9 && (y - 100.0).abs() < 1e-9);
        assert_eq!(g.find("link-0-1").unwrap().class(), "net-link cut");
        assert!(g.clone().without_ids().find("link-0-1").is_none() && g.clone().without_ids().texts() == g.texts());
        assert!(g.find("link-0-7").is_none(), "a link to a node that does not exist is left out");
        assert!(g.find("t09").is_none(), "so is a token on it");
        // The two directions sit on opposite sides of the link.
        let centre_y = |id: &str| match g.find(id) {
            Some(Shape::Group { children, .. }) => match &children[0] {
                Shape::Rect { y, h, .. } => y + h / 2.0,
                _ => panic!(),
            },
            _ => panic!("no {id}"),
        };
        assert!(centre_y("t01") > 100.0 && centre_y("t10") < 100.0);
        // A second message the same way stacks outside the first.
        let second = NetToken { id: "second".into(), stack: 1, ..token(0, 1) };
        let g = network("net", 200.0, 100.0, 100.0, 50.0, 80.0, &[node("a"), node("b")], &links, &[token(0, 1), second]);
        let centre_y = |id: &str| match g.find(id) {
            Some(Shape::Group { children, .. }) => match &children[0] {
                Shape::Rect { y, h, .. } => y + h / 2.0,
                _ => panic!(),
            },
            _ => panic!("no {id}"),
        };
        assert_eq!(centre_y("second") - centre_y("t01"), 22.0);
    }

    #[test]
    fn gauges_fill_to_their_value_and_carry_marks() {
        let marks = [Mark { value: 3, label: "max".into(), class: "ghost".into() }];
        let (g, scale) = gauge("g", 10.0, 0.0, 100.0, 10.0, 0, 4, 2, "regressed", &marks);
        assert_eq!(scale(4.0), 110.0);
        assert_eq!(g.class(), "gauge regressed");
        let Shape::Group { children, .. } = &g else { panic!() };
        assert!(matches!(children[1], Shape::Rect { w, .. } if w == 50.0), "filled to 2 of 4");
        assert_eq!(g.texts(), vec!["max"]);
    }
}
