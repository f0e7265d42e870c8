//! The generic view ("Variables"): any model's state drawn from its TLA+ values alone, with no
//! per-model drawing code. One panel per variable, stacked in a column at most [`WIDTH`] wide so
//! that it reads on a phone: a scalar as a value box in the title row, a record as `field: value`
//! rows, a function as a table keyed by its domain (one column per field when its values are
//! records or functions, nested records spread into `reg.ts.time` columns; columns that do not
//! fit continue below), a sequence as a strip of cells under their positions (a table when its
//! elements are records), a set as chips (a table when its elements are records). Deeper values
//! are written as their TLA+ text, cut short with an ellipsis when too long (the whole text is the
//! cell's tooltip). What the last step changed is marked `changed`, cell by cell where the shape
//! allows; the variables a failing property reads are marked `failing`.
//!
//! Ids: a variable's panel is `var-<name>`, a part of it `var-<name>-<key>[-<field>]`, the keys
//! and fields labelled as the inspector labels them (`ring[0].stamp` is drawn by
//! `var-ring-0-stamp`, a sequence's elements count from 1, a set's element by its text).

use super::draw::{text_width, Anchor, Drawing, Legend, LegendItem, Shape};
use super::views::StatePath;
use crate::engine::{AnyState, DynModel, Value};

/// The view's name, shown as the panel's title.
pub const TITLE: &str = "Variables";

/// The drawing's width: one column of panels, narrow enough for a phone.
pub const WIDTH: f64 = 360.0;
const PANEL_X: f64 = 2.0;
const PANEL_W: f64 = WIDTH - 2.0 * PANEL_X;
const PAD: f64 = 8.0;
const INNER_X: f64 = PANEL_X + PAD;
const INNER_W: f64 = PANEL_W - 2.0 * PAD;
/// The width of one character of a value (11px monospace).
const CHAR: f64 = 6.6;
const TITLE_H: f64 = 26.0;
const CELL_H: f64 = 20.0;
const ROW: f64 = 23.0;
const GAP: f64 = 8.0;

/// The picture of `state` (reached from `prev`, if given), every variable laid out by its shape.
/// `failing`: names of properties failing at this state (their `definition(..).reads` variables are marked).
pub fn draw(model: &dyn DynModel, prev: Option<&AnyState>, state: &AnyState, failing: &[&str]) -> Drawing {
    let names = model.variables();
    let values = model.to_tla(state);
    let before = prev.map(|p| model.to_tla(p));
    // Which failing properties read each variable.
    let reads: Vec<(&str, Vec<&'static str>)> = failing.iter().map(|f| (*f, model.definition(f).map(|d| d.reads).unwrap_or_default())).collect();
    let mut shapes = Vec::new();
    let mut y = 2.0;
    let mut changed_vars = Vec::new();
    for (i, (name, value)) in names.iter().zip(&values).enumerate() {
        let old = before.as_ref().map(|b| b.get(i));
        let ctx = Ctx { name, path: name.to_string(), id: format!("var-{name}"), has_prev: old.is_some() };
        let changed = ctx.differs(value, old.flatten());
        if changed {
            changed_vars.push(*name);
        }
        let failed_by: Vec<&str> = reads.iter().filter(|(_, r)| r.contains(name)).map(|(f, _)| *f).collect();
        let (panel, h) = panel(&ctx, value, old.flatten(), y, changed, &failed_by);
        shapes.push(panel);
        y += h + GAP;
    }
    let mut caption = Vec::new();
    match &before {
        None => caption.push(format!("Initial state: {} variable{}, each in its own panel.", names.len(), if names.len() == 1 { "" } else { "s" })),
        Some(_) if changed_vars.is_empty() => caption.push("Nothing changed: the step left every variable as it was.".into()),
        Some(_) => caption.push(format!("The last step changed {} (marked).", changed_vars.join(", "))),
    }
    for (f, r) in &reads {
        if r.is_empty() {
            caption.push(format!("{f} fails."));
        } else {
            caption.push(format!("{f} fails; it reads {} (marked ✗).", r.join(", ")));
        }
    }
    Drawing { width: WIDTH, height: y - GAP + 2.0, shapes, caption }
}

/// What every mark of the generic view means.
pub fn legend(_model: &dyn DynModel) -> Legend {
    let w = 150.0;
    let panel_swatch = |classes: &str, fail: bool| {
        let mut children = vec![
            Shape::Rect { x: 1.0, y: 1.0, w: w - 2.0, h: 26.0, rx: 8.0, class: "gv-panel-box".into() },
            Shape::text(9.0, 18.0, "cursor", "gv-name", Anchor::Start),
        ];
        if fail {
            children.push(fail_mark(w - 8.0, 14.0, &["Inv"]));
        } else {
            children.push(Shape::text(66.0, 18.0, "integer", "gv-kind", Anchor::Start));
        }
        Shape::Group { id: None, class: format!("gv-panel {classes}").trim().into(), title: None, children }
    };
    let one = |text: &str, classes: &[&str]| cell(None, 1.0, 1.0, 92.0, CELL_H, text, classes, Anchor::Middle, String::new());
    let chip_swatch = |text: &str, classes: &[&str]| chip(None, 1.0, 1.0, text_width(text), text, classes, String::new());
    let headed = Shape::group(
        "gv-strip",
        vec![
            Shape::text(24.0, 10.0, "1", "gv-head", Anchor::Middle),
            Shape::text(70.0, 10.0, "2", "gv-head", Anchor::Middle),
            cell(None, 1.0, 14.0, 46.0, CELL_H, "0", &[], Anchor::Middle, String::new()),
            cell(None, 47.0, 14.0, 46.0, CELL_H, "7", &[], Anchor::Middle, String::new()),
        ],
    );
    Legend {
        items: vec![
            LegendItem::shape(panel_swatch("", false), w, 28.0, "a variable's panel: its name and what kind of value it holds"),
            LegendItem::shape(one("42", &[]), 94.0, 22.0, "a value: a scalar, a record's field, a function's entry, an element of a sequence"),
            LegendItem::shape(one("n1", &["key"]), 94.0, 22.0, "a key of a function (a row of its table): the table reads across"),
            LegendItem::shape(headed, 94.0, 36.0, "a sequence's positions (1, 2, …) or a table's columns (its records' fields), above the values"),
            LegendItem::shape(chip_swatch("n2", &[]), text_width("n2") + 2.0, 22.0, "an element of a set"),
            LegendItem::shape(chip_swatch("∅", &["empty"]), text_width("∅") + 2.0, 22.0, "the empty set"),
            LegendItem::shape(panel_swatch("changed", false), w, 28.0, "a variable the last step changed…"),
            LegendItem::shape(one("3", &["changed"]), 94.0, 22.0, "…and the part of it that changed (a cell, an entry, a set's new element)"),
            LegendItem::shape(chip_swatch("n3", &["gone"]), text_width("n3") + 2.0, 22.0, "an element the last step removed from a set"),
            LegendItem::shape(one("[a |-> <<1, 2…", &["truncated"]), 94.0, 22.0, "a value too long to show whole, cut at …: its tooltip holds all of it"),
            LegendItem::shape(panel_swatch("failing", true), w, 28.0, "a variable read by a property that fails here; the mark names the property"),
        ],
        notation: vec![
            "Values are written in TLA+: <<a, b>> is a sequence, [f |-> v] a record, (k :> v @@ …) a function, {a, b} a set, \"idle\" a string; model values (n1) are bare names.".into(),
            "A function whose values are records is a table: one row per key, one column per field; columns that do not fit continue in a second table with the same keys.".into(),
        ],
    }
}

/// The ids of the generic view's shapes that draw inspector path `path` (`ring[0].stamp`, `cursor`; parse with `crate::explorer::views::StatePath::parse`), for lesson highlights.
pub fn shapes_for(model: &dyn DynModel, state: &AnyState, path: &str) -> Vec<String> {
    let p = StatePath::parse(path);
    // A set's element (`msgs#2`, as the inspector writes it) is drawn as a chip named by its text.
    let (var, element) = match p.var.split_once('#') {
        Some((v, n)) => (v, n.parse::<usize>().ok()),
        None => (p.var, None),
    };
    let Some(index) = model.variables().iter().position(|v| *v == var) else { return Vec::new() };
    let mut segments: Vec<String> = p.keys.iter().map(|k| k.to_string()).collect();
    if let Some(f) = p.field {
        segments.extend(field_segments(f));
    }
    if let Some(n) = element {
        match model.to_tla(state).get(index) {
            Some(Value::Set(items)) => match n.checked_sub(1).and_then(|i| items.get(i)) {
                Some(item) => segments.push(item.to_string()),
                None => return Vec::new(),
            },
            _ => return Vec::new(),
        }
    }
    let d = draw(model, None, state, &[]);
    // The deepest part drawn: a value deeper than the view goes is drawn by the cell holding its text.
    (0..=segments.len()).rev().map(|n| part_id(var, &segments[..n])).find(|id| d.find(id).is_some()).into_iter().collect()
}

/// `state.active` → `state`, `active`; `x[1].y` → `x`, `1`, `y`.
fn field_segments(field: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    for c in field.chars() {
        match c {
            '.' | '[' if depth == 0 => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                if c == '[' {
                    depth = 1;
                }
            }
            '[' => {
                depth += 1;
                cur.push(c);
            }
            ']' if depth == 1 => {
                depth = 0;
                out.push(std::mem::take(&mut cur));
            }
            ']' => {
                depth = depth.saturating_sub(1);
                cur.push(c);
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn part_id(var: &str, segments: &[String]) -> String {
    let mut id = format!("var-{var}");
    for s in segments {
        id.push('-');
        id.push_str(s);
    }
    id
}

/// Where a part of a variable sits: its inspector path and its id.
struct Ctx<'a> {
    name: &'a str,
    path: String,
    id: String,
    /// Whether there is a previous state to compare with.
    has_prev: bool,
}

impl Ctx<'_> {
    /// The context of child `label` of a value of this shape.
    fn child(&self, parent: &Value, label: &str) -> Ctx<'_> {
        let path = match parent {
            Value::Record(_) => format!("{}.{label}", self.path),
            Value::Set(_) => format!("{}{label}", self.path),
            _ => format!("{}[{label}]", self.path),
        };
        Ctx { name: self.name, path, id: format!("{}-{label}", self.id), has_prev: self.has_prev }
    }

    fn differs(&self, now: &Value, before: Option<&Value>) -> bool {
        self.has_prev && before != Some(now)
    }

    fn tip(&self, v: &Value) -> String {
        format!("{} = {v}", self.path)
    }
}

/// The child of `v` labelled `label`, as [`Value::children`] labels them.
fn child<'a>(v: &'a Value, label: &str) -> Option<&'a Value> {
    match v {
        Value::Record(fields) => fields.iter().find(|(k, _)| k == label).map(|(_, v)| v),
        Value::Tuple(items) => label.parse::<usize>().ok().and_then(|i| i.checked_sub(1)).and_then(|i| items.get(i)),
        _ => v.children().into_iter().find(|(k, _)| k == label).map(|(_, v)| v),
    }
}

/// What kind of value a panel holds, in words.
fn kind(v: &Value) -> String {
    let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    match v {
        Value::Bool(_) => "boolean".into(),
        Value::Int(_) => "integer".into(),
        Value::Str(_) | Value::Ranked { .. } => "string".into(),
        Value::Model { .. } => "model value".into(),
        Value::Tuple(t) if t.is_empty() => "empty sequence".into(),
        Value::Tuple(t) => format!("sequence of {}", t.len()),
        Value::Record(f) => format!("record · {}", n(f.len(), "field", "fields")),
        Value::Func(p) if p.is_empty() => "empty function".into(),
        Value::Func(p) => format!("function · {}", n(p.len(), "key", "keys")),
        Value::Set(s) if s.is_empty() => "empty set".into(),
        Value::Set(s) => format!("set of {}", s.len()),
    }
}

/// `text` cut to fit a cell `w` wide, and whether it was cut.
fn fit(text: &str, w: f64) -> (String, bool) {
    let max = ((w - 8.0) / CHAR).floor().max(2.0) as usize;
    if text.chars().count() <= max {
        (text.to_string(), false)
    } else {
        (text.chars().take(max - 1).collect::<String>() + "…", true)
    }
}

/// A boxed value: its group carries `gv-cell`, `classes`, `truncated` when cut, and the id.
#[allow(clippy::too_many_arguments)]
fn cell(id: Option<String>, x: f64, y: f64, w: f64, h: f64, text: &str, classes: &[&str], anchor: Anchor, tip: String) -> Shape {
    let (shown, cut) = fit(text, w);
    let mut class = vec!["gv-cell"];
    class.extend_from_slice(classes);
    if cut {
        class.push("truncated");
    }
    let tx = match anchor {
        Anchor::Middle => x + w / 2.0,
        Anchor::Start => x + 5.0,
        Anchor::End => x + w - 5.0,
    };
    Shape::Group {
        id,
        class: class.join(" "),
        title: if tip.is_empty() { None } else { Some(tip) },
        children: vec![Shape::Rect { x, y, w, h, rx: 4.0, class: "gv-cell-box".into() }, Shape::text(tx, y + h / 2.0 + 4.0, shown, "gv-value", anchor)],
    }
}

/// A set's element as a rounded chip `w` wide at (x, y).
fn chip(id: Option<String>, x: f64, y: f64, w: f64, text: &str, classes: &[&str], tip: String) -> Shape {
    let (shown, cut) = fit(text, w);
    let mut class = vec!["gv-chip"];
    class.extend_from_slice(classes);
    if cut {
        class.push("truncated");
    }
    Shape::Group {
        id,
        class: class.join(" "),
        title: if tip.is_empty() { None } else { Some(tip) },
        children: vec![
            Shape::Rect { x, y, w, h: CELL_H, rx: CELL_H / 2.0, class: "gv-chip-box".into() },
            Shape::text(x + w / 2.0, y + CELL_H / 2.0 + 4.0, shown, "gv-value", Anchor::Middle),
        ],
    }
}

/// The mark of a panel read by failing properties, its right edge at `right`.
fn fail_mark(right: f64, cy: f64, props: &[&str]) -> Shape {
    let (text, _) = fit(&format!("✗ {}", props.join(", ")), 180.0);
    let w = text_width(&text);
    Shape::Group {
        id: None,
        class: "gv-fail-mark".into(),
        title: Some(format!("read by {}, which fail{} here", props.join(", "), if props.len() == 1 { "s" } else { "" })),
        children: vec![
            Shape::Rect { x: right - w, y: cy - 9.0, w, h: 18.0, rx: 9.0, class: "gv-fail-box".into() },
            Shape::text(right - w / 2.0, cy + 4.0, text, "gv-fail-text", Anchor::Middle),
        ],
    }
}

/// Whether a value is drawn in its panel's title row: a scalar, or an empty sequence, record or
/// function.
fn inline(v: &Value) -> bool {
    v.is_leaf() && !matches!(v, Value::Set(_))
}

/// A variable's panel at height `y`, and its height. A scalar sits in the title row, after the
/// name; anything else below it.
fn panel(ctx: &Ctx, v: &Value, before: Option<&Value>, y: f64, changed: bool, failed_by: &[&str]) -> (Shape, f64) {
    let mut children = Vec::new();
    let name_end = INNER_X + ctx.name.chars().count() as f64 * 7.8;
    let mut right = PANEL_X + PANEL_W - PAD;
    if !failed_by.is_empty() {
        let mark = fail_mark(right, y + 15.0, failed_by);
        if let Shape::Group { children: parts, .. } = &mark {
            if let Some(Shape::Rect { x, .. }) = parts.first() {
                right = *x - 6.0;
            }
        }
        children.push(mark);
    }
    let text = v.to_string();
    let scalar_w = (text.chars().count() as f64 * CHAR + 24.0).max(48.0);
    let (body, body_h) = if inline(v) && name_end + 12.0 + scalar_w <= right {
        children.push(cell(None, name_end + 12.0, y + 5.0, scalar_w, CELL_H, &text, changed_class(changed), Anchor::Middle, ctx.tip(v)));
        (Vec::new(), -PAD + 4.0)
    } else {
        let k = kind(v);
        if name_end + 10.0 + k.chars().count() as f64 * 6.0 <= right {
            children.push(Shape::text(name_end + 10.0, y + 19.0, k, "gv-kind", Anchor::Start));
        }
        body(ctx, v, before, y + TITLE_H + 2.0, changed)
    };
    let h = TITLE_H + 2.0 + body_h + PAD;
    children.insert(0, Shape::text(INNER_X, y + 19.0, ctx.name, "gv-name", Anchor::Start));
    children.insert(0, Shape::Rect { x: PANEL_X, y, w: PANEL_W, h, rx: 8.0, class: "gv-panel-box".into() });
    children.extend(body);
    let mut class = vec!["gv-panel"];
    if changed {
        class.push("changed");
    }
    if !failed_by.is_empty() {
        class.push("failing");
    }
    let mut tip = format!("{}: {}", ctx.name, kind(v));
    if !failed_by.is_empty() {
        tip.push_str(&format!(" · read by failing {}", failed_by.join(", ")));
    }
    (Shape::Group { id: Some(ctx.id.clone()), class: class.join(" "), title: Some(tip), children }, h)
}

fn changed_class(yes: bool) -> &'static [&'static str] {
    if yes {
        &["changed"]
    } else {
        &[]
    }
}

/// A variable's contents laid out by its shape from height `y`, and their height.
fn body(ctx: &Ctx, v: &Value, before: Option<&Value>, y: f64, changed: bool) -> (Vec<Shape>, f64) {
    let keyed = |label: String, id: String, value| {
        let old = before.and_then(|b| child(b, &id));
        Row { label, id, value, old, gone: false }
    };
    match v {
        Value::Record(fields) if !fields.is_empty() => {
            let rows: Vec<(String, &Value)> = fields.iter().map(|(k, v)| (k.clone(), v)).collect();
            labelled_rows(ctx, v, &rows, before, y, false)
        }
        Value::Func(pairs) if !pairs.is_empty() => match table_columns(pairs.iter().map(|(_, v)| v)) {
            Some(cols) => {
                let rows: Vec<Row> = pairs.iter().map(|(k, val)| keyed(k.to_string(), k.to_string(), val)).collect();
                table(ctx, &rows, &cols, y)
            }
            None => {
                let rows: Vec<(String, &Value)> = pairs.iter().map(|(k, v)| (k.to_string(), v)).collect();
                labelled_rows(ctx, v, &rows, before, y, true)
            }
        },
        Value::Tuple(items) if !items.is_empty() => {
            let rows: Vec<(String, &Value)> = items.iter().enumerate().map(|(i, v)| ((i + 1).to_string(), v)).collect();
            match table_columns(items.iter()) {
                Some(cols) => {
                    let rows: Vec<Row> = rows.iter().map(|(k, val)| keyed(k.clone(), k.clone(), val)).collect();
                    table(ctx, &rows, &cols, y)
                }
                // Short values side by side; long ones one per row, under their positions.
                None if strip_width(&rows) <= INNER_W / 2.0 => strip(ctx, v, &rows, before, y),
                None => labelled_rows(ctx, v, &rows, before, y, true),
            }
        }
        Value::Set(items) if !items.is_empty() && items.iter().all(|i| matches!(i, Value::Record(f) if !f.is_empty())) => {
            // A set of records (messages, say): a table, one row per element, numbered as the
            // inspector numbers them; the elements the last step removed follow, struck out.
            let cols = table_columns(items.iter()).unwrap_or_default();
            let mut rows: Vec<Row> = items
                .iter()
                .enumerate()
                .map(|(i, item)| Row {
                    label: (i + 1).to_string(),
                    id: item.to_string(),
                    value: item,
                    old: match before {
                        Some(Value::Set(old)) => old.iter().find(|o| *o == item),
                        _ => None,
                    },
                    gone: false,
                })
                .collect();
            if let Some(Value::Set(old)) = before {
                rows.extend(old.iter().filter(|o| !items.contains(o)).map(|o| Row {
                    label: "−".into(),
                    id: String::new(),
                    value: o,
                    old: Some(o),
                    gone: true,
                }));
            }
            table(ctx, &rows, &cols, y)
        }
        Value::Set(items) => chips(ctx, v, items, before, y),
        _ => {
            let text = v.to_string();
            let w = (text.chars().count() as f64 * CHAR + 24.0).clamp(56.0, INNER_W);
            (vec![cell(None, INNER_X, y, w, CELL_H + 4.0, &text, changed_class(changed), Anchor::Middle, ctx.tip(v))], CELL_H + 4.0)
        }
    }
}

/// One row of a [`table`].
struct Row<'a> {
    /// What the key column shows.
    label: String,
    /// The row's id segment (`var-<name>-<id>`): the key, or a set element's text.
    id: String,
    value: &'a Value,
    /// The row's value in the previous state, if it had one.
    old: Option<&'a Value>,
    /// An element the last step removed (drawn struck out, without ids).
    gone: bool,
}

/// The width of a strip's cells.
fn strip_width(items: &[(String, &Value)]) -> f64 {
    let widest = items.iter().map(|(_, v)| v.to_string().chars().count()).max().unwrap_or(1);
    (widest as f64 * CHAR + 14.0).clamp(36.0, INNER_W)
}

/// The value at `path` (labels, as [`Value::children`] gives them) inside `v`.
fn descend<'a>(v: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, label| child(v, label))
}

/// The columns of a table whose rows are these values, when every one is a record, every one is
/// a function, or every one is a sequence of the same length that is not just numbers (a ballot
/// `<<1, 0, 2>>` reads best whole): one column per field, key or position, and records within
/// them spread into a column per field (`reg.ts.time`), in order of first appearance.
fn table_columns<'a>(values: impl Iterator<Item = &'a Value> + Clone) -> Option<Vec<Vec<String>>> {
    let all = |f: fn(&Value) -> bool| values.clone().all(f);
    let tuples = {
        let lens: Vec<usize> = values.clone().filter_map(|v| if let Value::Tuple(t) = v { Some(t.len()) } else { None }).collect();
        all(|v| matches!(v, Value::Tuple(_)))
            && lens.windows(2).all(|w| w[0] == w[1])
            && !values.clone().all(|v| matches!(v, Value::Tuple(t) if t.iter().all(|x| matches!(x, Value::Int(_)))))
    };
    if !(all(|v| matches!(v, Value::Record(_))) || all(|v| matches!(v, Value::Func(_))) || tuples) {
        return None;
    }
    fn leaves(v: &Value, prefix: &mut Vec<String>, depth: usize, out: &mut Vec<Vec<String>>) {
        for (k, c) in v.children() {
            prefix.push(k);
            if depth < 3 && matches!(c, Value::Record(f) if !f.is_empty()) {
                leaves(c, prefix, depth + 1, out);
            } else if !out.contains(prefix) {
                out.push(prefix.clone());
            }
            prefix.pop();
        }
    }
    let mut cols = Vec::new();
    for v in values.clone() {
        leaves(v, &mut Vec::new(), 0, &mut cols);
    }
    if cols.len() > 32 {
        // Too many to spread: one column per field or key, records written out.
        cols.clear();
        for v in values {
            for (k, _) in v.children() {
                if !cols.contains(&vec![k.clone()]) {
                    cols.push(vec![k]);
                }
            }
        }
    }
    (!cols.is_empty() && cols.len() <= 32).then_some(cols)
}

/// One row per key or field: the label on the left (a key cell for a function), the value boxed
/// on the right.
fn labelled_rows(ctx: &Ctx, parent: &Value, rows: &[(String, &Value)], before: Option<&Value>, y: f64, keys: bool) -> (Vec<Shape>, f64) {
    let label_w = rows.iter().map(|(k, _)| k.chars().count() as f64 * CHAR + 14.0).fold(28.0, f64::max).min(INNER_W * 0.4);
    let mut out = Vec::new();
    for (i, (k, v)) in rows.iter().enumerate() {
        let c = ctx.child(parent, k);
        let old = before.and_then(|b| child(b, k));
        let ry = y + i as f64 * ROW;
        if keys {
            let is_new = ctx.has_prev && old.is_none();
            out.push(cell(None, INNER_X, ry, label_w - 3.0, CELL_H, k, if is_new { &["key", "changed"] } else { &["key"] }, Anchor::Middle, c.path.clone()));
        } else {
            let (shown, _) = fit(k, label_w + 8.0);
            out.push(Shape::text(INNER_X + label_w - 6.0, ry + CELL_H / 2.0 + 4.0, shown, "gv-head", Anchor::End));
        }
        let classes = changed_class(c.differs(v, old));
        out.push(cell(Some(c.id.clone()), INNER_X + label_w, ry, INNER_W - label_w, CELL_H, &v.to_string(), classes, Anchor::Start, c.tip(v)));
    }
    (out, rows.len() as f64 * ROW - (ROW - CELL_H))
}

/// A table: one row per key, one column per field; columns that do not fit the width continue in
/// another table below, with the same keys.
fn table(ctx: &Ctx, rows: &[Row], cols: &[Vec<String>], y: f64) -> (Vec<Shape>, f64) {
    let key_w = rows.iter().map(|r| r.label.chars().count() as f64 * CHAR + 14.0).fold(28.0, f64::max).min(110.0);
    let room = INNER_W - key_w;
    let heads: Vec<String> = cols.iter().map(|c| c.join(".")).collect();
    let col_w: Vec<f64> = cols
        .iter()
        .zip(&heads)
        .map(|(c, head)| {
            let widest = rows.iter().filter_map(|r| descend(r.value, c)).map(|v| v.to_string().chars().count() as f64 * CHAR).fold(0.0, f64::max);
            (widest.max(head.chars().count() as f64 * 5.9) + 14.0).clamp(40.0, room)
        })
        .collect();
    // Columns in chunks that fit beside the key column.
    let mut chunks: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = 0.0;
    for (j, w) in col_w.iter().enumerate() {
        let last = chunks.last_mut().expect("one chunk");
        if !last.is_empty() && used + w > room {
            chunks.push(vec![j]);
            used = *w;
        } else {
            last.push(j);
            used += w;
        }
    }
    // As many chunks as needed, but evened out: no lone column left over at the end.
    if chunks.len() > 1 {
        let per = col_w.len().div_ceil(chunks.len());
        let even: Vec<Vec<usize>> = (0..col_w.len()).collect::<Vec<_>>().chunks(per).map(<[usize]>::to_vec).collect();
        if even.len() == chunks.len() && even.iter().all(|c| c.iter().map(|&j| col_w[j]).sum::<f64>() <= room) {
            chunks = even;
        }
    }
    let mut out = Vec::new();
    let mut at = y;
    for (n, chunk) in chunks.iter().enumerate() {
        // Spread what is left of the width over the chunk's columns.
        let natural: f64 = chunk.iter().map(|&j| col_w[j]).sum();
        let stretch = if natural < room { ((room - natural) / chunk.len() as f64).min(40.0) } else { 0.0 };
        let mut x = INNER_X + key_w;
        let mut xs = Vec::new();
        for &j in chunk {
            let w = col_w[j] + stretch;
            let head = &heads[j];
            let max = ((w - 2.0) / 5.9).floor().max(2.0) as usize;
            let shown = if head.chars().count() <= max {
                head.clone()
            } else {
                format!("…{}", head.chars().skip(head.chars().count() + 1 - max).collect::<String>())
            };
            out.push(Shape::text(x + w / 2.0, at + 11.0, shown, "gv-head", Anchor::Middle));
            xs.push((j, x, w));
            x += w;
        }
        let first_row = at + 15.0;
        for (i, r) in rows.iter().enumerate() {
            let ry = first_row + i as f64 * ROW;
            let path = format!("{}[{}]", ctx.path, r.id);
            let row_id = format!("{}-{}", ctx.id, r.id);
            let is_new = ctx.has_prev && r.old.is_none();
            let mut key_class = vec!["key"];
            if r.gone {
                key_class.push("gone");
            } else if is_new {
                key_class.push("changed");
            }
            let key_id = (n == 0 && !r.gone).then(|| row_id.clone());
            let mut parts = vec![cell(key_id, INNER_X, ry, key_w - 3.0, CELL_H, &r.label, &key_class, Anchor::Middle, path.clone())];
            for &(j, x, w) in &xs {
                let c = &cols[j];
                match descend(r.value, c) {
                    Some(val) => {
                        let cell_path = format!("{path}.{}", heads[j]);
                        let (id, classes): (Option<String>, &[&str]) = if r.gone {
                            (None, &["gone"])
                        } else {
                            (Some(format!("{row_id}-{}", c.join("-"))), changed_class(ctx.has_prev && r.old.and_then(|o| descend(o, c)) != Some(val)))
                        };
                        let tip = if r.gone { format!("{cell_path} = {val} (removed by the last step)") } else { format!("{cell_path} = {val}") };
                        parts.push(cell(id, x + 1.0, ry, w - 2.0, CELL_H, &val.to_string(), classes, Anchor::Middle, tip));
                    }
                    None => parts.push(Shape::Rect { x: x + 1.0, y: ry, w: w - 2.0, h: CELL_H, rx: 4.0, class: "gv-absent".into() }),
                }
            }
            out.push(Shape::group("gv-row", parts));
        }
        at = first_row + rows.len() as f64 * ROW - (ROW - CELL_H) + if n + 1 < chunks.len() { 10.0 } else { 0.0 };
    }
    (out, at - y)
}

/// A strip of cells, each under its position, wrapping onto more rows when it does not fit.
fn strip(ctx: &Ctx, parent: &Value, items: &[(String, &Value)], before: Option<&Value>, y: f64) -> (Vec<Shape>, f64) {
    let w = strip_width(items);
    let per_row = ((INNER_W / w).floor() as usize).max(1);
    let mut out = Vec::new();
    let band = 14.0 + CELL_H + 6.0;
    for (i, (k, v)) in items.iter().enumerate() {
        let (r, col) = (i / per_row, i % per_row);
        let (x, ry) = (INNER_X + col as f64 * w, y + r as f64 * band);
        let c = ctx.child(parent, k);
        let old = before.and_then(|b| child(b, k));
        out.push(Shape::text(x + w / 2.0, ry + 10.0, k.clone(), "gv-head", Anchor::Middle));
        out.push(cell(Some(c.id.clone()), x + 1.0, ry + 14.0, w - 2.0, CELL_H, &v.to_string(), changed_class(c.differs(v, old)), Anchor::Middle, c.tip(v)));
    }
    let rows = items.len().div_ceil(per_row);
    (vec![Shape::group("gv-strip", out)], rows as f64 * band - 6.0)
}

/// A set's elements as chips that wrap, then (dashed) the elements the last step removed; ∅ for
/// an empty set.
fn chips(ctx: &Ctx, parent: &Value, items: &[Value], before: Option<&Value>, y: f64) -> (Vec<Shape>, f64) {
    let gone: Vec<&Value> = match before {
        Some(Value::Set(old)) => old.iter().filter(|o| !items.contains(o)).collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    let (mut x, mut ry) = (INNER_X, y);
    let mut place = |w: f64| {
        if x > INNER_X && x + w > INNER_X + INNER_W {
            x = INNER_X;
            ry += ROW;
        }
        let at = (x, ry);
        x += w + 5.0;
        at
    };
    if items.is_empty() {
        let w = text_width("∅") + 8.0;
        let (cx, cy) = place(w);
        out.push(chip(None, cx, cy, w, "∅", &["empty"], format!("{} = {{}}", ctx.path)));
    }
    for item in items {
        let text = item.to_string();
        let w = (text.chars().count() as f64 * CHAR + 16.0).min(INNER_W);
        let (cx, cy) = place(w);
        let c = ctx.child(parent, &text);
        let added = ctx.has_prev && !matches!(before, Some(Value::Set(old)) if old.contains(item));
        out.push(chip(Some(c.id), cx, cy, w, &text, changed_class(added), format!("{text} ∈ {}", ctx.path)));
    }
    for item in gone {
        let text = item.to_string();
        let w = (text.chars().count() as f64 * CHAR + 16.0).min(INNER_W);
        let (cx, cy) = place(w);
        out.push(chip(None, cx, cy, w, &text, &["gone"], format!("{text}: removed from {} by the last step", ctx.path)));
    }
    (out, ry - y + CELL_H)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;
    use crate::engine::{random_walk_with, replay, WalkOptions};
    use std::collections::HashSet;

    fn states_after(model: &str, config: &str, labels: &[&str]) -> (std::sync::Arc<dyn DynModel>, Vec<AnyState>) {
        let m = catalogue::build(model, config, &[]).unwrap();
        let labels: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
        let (trace, stop) = replay(m.as_ref(), 0, &labels);
        assert!(stop.is_none(), "{stop:?}");
        let states = trace.steps.iter().map(|s| s.state.clone()).collect();
        (m, states)
    }

    fn class_of(d: &Drawing, id: &str) -> String {
        d.find(id).unwrap_or_else(|| panic!("no {id} in {:?}", d.ids())).class().to_string()
    }

    fn classes(s: &Shape, out: &mut HashSet<String>) {
        out.extend(s.class().split_whitespace().map(str::to_string));
        if let Shape::Group { children, .. } = s {
            children.iter().for_each(|c| classes(c, out));
        }
    }

    /// The right edge of every shape, text estimated at its font's width.
    fn right_edge(s: &Shape) -> f64 {
        match s {
            Shape::Rect { x, w, .. } => x + w,
            Shape::Circle { cx, r, .. } => cx + r,
            Shape::Line { x1, x2, .. } => x1.max(*x2),
            Shape::Path { .. } => 0.0,
            Shape::Text { x, text, anchor, class, .. } => {
                let per = if class == "gv-name" { 7.8 } else { CHAR };
                let w = text.chars().count() as f64 * per;
                match anchor {
                    Anchor::Start => x + w,
                    Anchor::Middle => x + w / 2.0,
                    Anchor::End => *x,
                }
            }
            Shape::Group { children, .. } => children.iter().map(right_edge).fold(0.0, f64::max),
        }
    }

    /// The names of the properties failing at `state` (reached from `prev`).
    fn failing_at(m: &dyn DynModel, prev: Option<&AnyState>, state: &AnyState) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = m.invariant_names().into_iter().zip(m.check_invariants(state)).filter(|(_, ok)| !ok).map(|(n, _)| n).collect();
        if let Some(p) = prev {
            out.extend(m.property_names().into_iter().zip(m.check_properties(p, state)).filter(|(_, ok)| !ok).map(|(n, _)| n));
        }
        out
    }

    /// Every model, every config, seeded walks: each state draws, every variable has a panel with
    /// text, marks of change sit exactly on the variables that changed, failing marks on what
    /// failing properties read, nothing is wider than the column; and every class the legend
    /// shows is drawn somewhere.
    #[test]
    fn draws_every_state_of_every_model() {
        let mut drawn = HashSet::new();
        let mut legend_classes = HashSet::new();
        for info in catalogue::infos() {
            for config in &info.configs {
                let m = catalogue::build(info.name, config.name, &[]).unwrap();
                for item in legend(m.as_ref()).items {
                    legend_classes.extend(item.classes());
                }
                for seed in 0..6 {
                    let walk = random_walk_with(m.as_ref(), seed, 40, WalkOptions { stop_on_violation: false, skip_stutter: true });
                    let states: Vec<&AnyState> = walk.trace.steps.iter().map(|s| &s.state).collect();
                    for i in 0..states.len() {
                        let prev = i.checked_sub(1).map(|j| states[j]);
                        let failing = failing_at(m.as_ref(), prev, states[i]);
                        let d = draw(m.as_ref(), prev, states[i], &failing);
                        let where_ = format!("{}/{} seed {seed} step {i}", info.name, config.name);
                        assert!(d.width <= WIDTH && d.height > 0.0, "{where_}");
                        for s in &d.shapes {
                            assert!(right_edge(s) <= WIDTH + 0.01, "{where_}: a shape reaches {}", right_edge(s));
                            classes(s, &mut drawn);
                        }
                        let now = m.to_tla(states[i]);
                        let before = prev.map(|p| m.to_tla(p));
                        let read: HashSet<&str> = failing.iter().flat_map(|f| m.definition(f).map(|d| d.reads).unwrap_or_default()).collect();
                        for (k, name) in m.variables().iter().enumerate() {
                            let id = format!("var-{name}");
                            let panel = d.find(&id).unwrap_or_else(|| panic!("{where_}: no {id}"));
                            assert!(panel.texts().iter().any(|t| !t.trim().is_empty()), "{where_}: {id} is empty");
                            let class = panel.class().split_whitespace().collect::<Vec<_>>();
                            let changed = before.as_ref().is_some_and(|b| b[k] != now[k]);
                            assert_eq!(class.contains(&"changed"), changed, "{where_}: {id}");
                            assert_eq!(class.contains(&"failing"), read.contains(name), "{where_}: {id}");
                            // An unchanged variable has no changed part.
                            if !changed {
                                let mut inner = HashSet::new();
                                classes(panel, &mut inner);
                                assert!(!inner.contains("changed") && !inner.contains("gone"), "{where_}: {id}");
                            }
                        }
                        // Ids are unique.
                        let ids = d.ids();
                        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "{where_}: duplicate ids");
                    }
                }
            }
        }
        for class in &legend_classes {
            assert!(drawn.contains(class), "the legend's '{class}' is never drawn");
        }
    }

    #[test]
    fn seqlock_writer_begin_changes_one_stamp_and_the_writer() {
        let (m, s) = states_after("seqlock", "safe", &["WriterBegin"]);
        let d = draw(m.as_ref(), Some(&s[0]), &s[1], &[]);
        let mut changed = Vec::new();
        for id in d.ids() {
            if class_of(&d, &id).split_whitespace().any(|c| c == "changed") {
                changed.push(id);
            }
        }
        changed.sort();
        assert_eq!(changed, ["var-ring", "var-ring-0-stamp", "var-writerPC"]);
        assert!(d.find("var-ring-0-stamp").unwrap().texts().contains(&"1".to_string()));
        assert_eq!(class_of(&d, "var-ring-0-value"), "gv-cell");
        assert!(d.caption[0].contains("ring, writerPC"), "{:?}", d.caption);
        // The initial state marks nothing.
        let d = draw(m.as_ref(), None, &s[0], &[]);
        assert!(d.ids().iter().all(|id| !class_of(&d, id).contains("changed")));
    }

    #[test]
    fn failing_properties_mark_the_variables_they_read() {
        let m = catalogue::build("seqlock", "no-verify", &[]).unwrap();
        let s = m.init_states().remove(0);
        let reads = m.definition("NoTornRead").unwrap().reads;
        assert!(reads.contains(&"readResult") && reads.contains(&"readerCursor"), "{reads:?}");
        let d = draw(m.as_ref(), None, &s, &["NoTornRead"]);
        for v in m.variables() {
            assert_eq!(class_of(&d, &format!("var-{v}")).contains("failing"), reads.contains(v), "{v}");
        }
        assert!(d.find("var-readResult").unwrap().texts().iter().any(|t| t.contains("NoTornRead")));
        assert!(d.caption.iter().any(|c| c.contains("NoTornRead fails")));
    }

    #[test]
    fn shapes_for_finds_the_cells_of_a_path() {
        let (m, s) = states_after("seqlock", "safe", &[]);
        let st = &s[0];
        assert_eq!(shapes_for(m.as_ref(), st, "ring[0].stamp"), ["var-ring-0-stamp"]);
        assert_eq!(shapes_for(m.as_ref(), st, "ring[1]"), ["var-ring-1"]);
        assert_eq!(shapes_for(m.as_ref(), st, "cursor"), ["var-cursor"]);
        assert_eq!(shapes_for(m.as_ref(), st, "ring[9].stamp"), ["var-ring"]);
        assert!(shapes_for(m.as_ref(), st, "nothing").is_empty());
        let mut d = draw(m.as_ref(), None, st, &[]);
        assert_eq!(d.highlight(&shapes_for(m.as_ref(), st, "readerCursor[1]")), 1);
        // Every path the inspector shows is drawn by some shape.
        for (name, c) in catalogue::infos().iter().map(|i| (i.name, i.configs[0].name)) {
            let m = catalogue::build(name, c, &[]).unwrap();
            let st = m.init_states().remove(0);
            let d = draw(m.as_ref(), None, &st, &[]);
            for (var, v) in m.variables().iter().zip(m.to_tla(&st)) {
                for (k, _) in v.children() {
                    let path = match &v {
                        Value::Record(_) => format!("{var}.{k}"),
                        Value::Set(_) => format!("{var}{k}"),
                        _ => format!("{var}[{k}]"),
                    };
                    let ids = shapes_for(m.as_ref(), &st, &path);
                    assert_eq!(ids.len(), 1, "{name}: {path}");
                    assert!(d.find(&ids[0]).is_some() && ids[0] != format!("var-{var}"), "{name}: {path} → {ids:?}");
                }
            }
        }
    }

    #[test]
    fn sets_show_new_and_removed_elements() {
        let ctx = Ctx { name: "s", path: "s".into(), id: "var-s".into(), has_prev: true };
        let now = Value::set([Value::Int(1), Value::Int(3)]);
        let before = Value::set([Value::Int(1), Value::Int(2)]);
        let (shapes, _) = chips(
            &ctx,
            &now,
            match &now {
                Value::Set(i) => i,
                _ => unreachable!(),
            },
            Some(&before),
            0.0,
        );
        let g = Shape::group("x", shapes);
        assert_eq!(g.find("var-s-1").unwrap().class(), "gv-chip");
        assert_eq!(g.find("var-s-3").unwrap().class(), "gv-chip changed");
        assert!(g.texts().contains(&"2".to_string()));
        let (empty, _) = chips(&ctx, &Value::set([]), &[], None, 0.0);
        assert!(Shape::group("x", empty).texts().contains(&"∅".to_string()));
    }

    #[test]
    fn long_values_are_cut_with_their_whole_text_in_the_tooltip() {
        let (t, cut) = fit(&"x".repeat(200), 100.0);
        assert!(cut && t.ends_with('…') && t.chars().count() as f64 * CHAR <= 100.0);
        let c = cell(None, 0.0, 0.0, 100.0, 20.0, &"y".repeat(200), &[], Anchor::Start, "v = yyy".into());
        assert!(c.class().contains("truncated"));
        assert_eq!(fit("short", 100.0), ("short".to_string(), false));
    }
}
