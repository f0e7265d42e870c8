//! The state at the cursor: the inspector's tree (with what the last step changed), the model's
//! drawing, the trace view around the cursor, and the actions enabled there.

use super::{draw, msc, Explorer, Picture};
use crate::engine::{plural, AnyState, Value};

/// One row of the state inspector: a variable or a part of one, indented by depth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeRow {
    pub depth: usize,
    /// The path the step diff uses (`ring[0].stamp`).
    pub path: String,
    pub key: String,
    /// The value as TLC prints it (containers: abbreviated when long).
    pub text: String,
    pub leaf: bool,
    /// The last step changed exactly this.
    pub changed: bool,
    /// The last step changed something inside this.
    pub inner_change: bool,
}

fn tree_rows(depth: usize, path: &str, key: &str, value: &Value, changed: &[String], out: &mut Vec<TreeRow>) {
    let text = value.to_string();
    let leaf = value.is_leaf();
    let shown = if leaf || text.chars().count() <= 56 {
        text
    } else {
        let n = value.children().len();
        match value {
            Value::Tuple(_) => format!("<< {} >>", plural(n, "item", "items")),
            Value::Record(_) => format!("[ {} ]", plural(n, "field", "fields")),
            Value::Func(_) => format!("( {} )", plural(n, "entry", "entries")),
            _ => format!("{{ {} }}", plural(n, "element", "elements")),
        }
    };
    let is_changed = changed.iter().any(|c| c == path);
    let inner = !is_changed && changed.iter().any(|c| c.len() > path.len() && c.starts_with(path) && matches!(c.as_bytes()[path.len()], b'.' | b'['));
    out.push(TreeRow { depth, path: path.to_string(), key: key.to_string(), text: shown, leaf, changed: is_changed, inner_change: inner });
    if leaf {
        return;
    }
    for (k, child) in value.children() {
        let child_path = match value {
            Value::Record(_) => format!("{path}.{k}"),
            Value::Set(_) => format!("{path}{k}"),
            _ => format!("{path}[{k}]"),
        };
        tree_rows(depth + 1, &child_path, &k, child, changed, out);
    }
}

/// The state at the cursor as the inspector and the actions panel show it, read from an explorer
/// ([`Explorer::inspect`]): its variables, its tree with what the last step changed, the enabled
/// actions and what each family means (`definitions.rs`).
#[derive(Clone, Copy)]
pub struct Inspector<'a> {
    pub(super) x: &'a Explorer,
}

impl Inspector<'_> {
    /// The state at the cursor, one TLA+ value per variable.
    pub fn state_vars(&self) -> Vec<(&'static str, Value)> {
        self.x.model.variables().iter().copied().zip(self.x.model.to_tla(self.x.session.state())).collect()
    }

    /// The state at the cursor as rows of a tree, with what the last step changed marked.
    pub fn state_tree(&self) -> Vec<TreeRow> {
        let changed = self.changed();
        let mut rows = Vec::new();
        for (name, value) in self.state_vars() {
            tree_rows(0, name, name, &value, &changed, &mut rows);
        }
        rows
    }

    /// The paths (`ring[0].stamp`) the last step changed.
    pub fn changed(&self) -> Vec<String> {
        match self.x.session.previous() {
            Some(prev) => crate::engine::trace::changed_paths(self.x.model.as_ref(), &prev.state, self.x.session.state()),
            None => Vec::new(),
        }
    }

    /// The enabled actions, and the action families with none enabled (shown greyed).
    pub fn actions(&self) -> (Vec<crate::engine::Choice>, Vec<&'static str>) {
        let choices = self.x.session.choices();
        let disabled = self.x.model.action_names().into_iter().filter(|f| !choices.iter().any(|c| c.family == *f)).collect();
        (choices, disabled)
    }
}

impl Picture<'_> {
    /// The legend of the model's view (the same for every state).
    pub fn legend(&self) -> Option<draw::Legend> {
        self.x.catalogue.legend(self.x.model.as_ref())
    }

    /// The domain view of the state at the cursor.
    pub fn drawing(&self) -> Option<draw::Drawing> {
        self.drawing_highlighting(&[], draw::Layout::Wide)
    }

    /// The domain view of the state at the cursor, laid out for `layout` (the page's drawing
    /// column: narrow on a phone), with the shapes that draw these inspector paths highlighted (a
    /// lesson step's highlight). The ids are the same in every layout.
    pub fn drawing_highlighting(&self, paths: &[String], layout: draw::Layout) -> Option<draw::Drawing> {
        let prev: Option<&AnyState> = self.x.session.previous().map(|s| &s.state);
        let mut d = self.x.catalogue.draw_laid_out(self.x.model.as_ref(), prev, self.x.session.state(), layout)?;
        if !paths.is_empty() {
            let state = self.x.session.state();
            let ids: Vec<String> = paths.iter().flat_map(|p| self.x.catalogue.shapes_for(self.x.model.as_ref(), state, p)).collect();
            d.highlight(&ids);
        }
        Some(d)
    }

    /// The pictures of the trace around the cursor: the model's own trace view (the ballot
    /// timeline of `paxos`), then, for a model that passes messages, the message-sequence chart.
    /// Each covers the same window of at most [`TRACE_VIEW_WINDOW`] steps, so that their cost
    /// does not grow with the trace; the window holds the cursor and moves in strides of
    /// [`TRACE_VIEW_STRIDE`].
    pub fn trace_drawings(&self) -> Vec<TraceDrawing> {
        let steps = &self.x.session.trace().steps;
        let window = timeline_window(steps.len(), self.x.session.cursor(), TRACE_VIEW_WINDOW, TRACE_VIEW_STRIDE);
        let states: Vec<&AnyState> = steps[window.clone()].iter().map(|s| &s.state).collect();
        let own = self.x.catalogue.draw_trace(self.x.model.as_ref(), &states, self.x.session.cursor() - window.start).map(|(title, drawing)| TraceDrawing {
            title,
            drawing,
            window: window.clone(),
            chart: false,
        });
        let chart = self.message_chart(window.clone()).map(|drawing| TraceDrawing { title: msc::TITLE, drawing, window, chart: true });
        own.into_iter().chain(chart).collect()
    }

    /// The steps `range` of the trace with what each did to messages (the initial state, which
    /// did nothing, is left out); `None` for a model that declares no nodes.
    fn message_rows(&self, range: std::ops::Range<usize>) -> Option<(Vec<String>, Vec<msc::ChartRow>)> {
        let lanes = self.x.model.nodes();
        if lanes.is_empty() {
            return None;
        }
        let steps = &self.x.session.trace().steps;
        let model = self.x.model.as_ref();
        let key = (self.x.session.revision(), model as *const dyn crate::engine::DynModel as *const () as usize);
        let range = range.start.max(1)..range.end.min(steps.len());
        let rows = CHART_ROWS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.key != key {
                cache.key = key;
                cache.rows.clear();
            }
            if cache.rows.len() > CHART_ROWS_KEPT && !range.is_empty() {
                // Keep what is near the steps asked for (the window moves little from one call to the next).
                let near = range.start.saturating_sub(TRACE_VIEW_WINDOW)..range.end + TRACE_VIEW_WINDOW;
                cache.rows.retain(|i, _| near.contains(i));
            }
            range
                .clone()
                .map(|i| {
                    cache
                        .rows
                        .entry(i)
                        .or_insert_with(|| {
                            let label = steps[i].action.clone().unwrap_or_default();
                            msc::ChartRow { step: i, events: model.messages(&steps[i - 1].state, &label), label }
                        })
                        .clone()
                })
                .collect()
        });
        Some((lanes, rows))
    }

    /// The message-sequence chart of the steps in `window`, the step shown marked.
    pub fn message_chart(&self, window: std::ops::Range<usize>) -> Option<draw::Drawing> {
        let (lanes, rows) = self.message_rows(window)?;
        Some(msc::sequence_chart(&lanes, &rows, self.x.session.cursor()))
    }

    /// The trace up to the step shown as Mermaid `sequenceDiagram` text (at most the last
    /// [`MERMAID_STEPS`] steps); `None` for a model that passes no messages.
    pub fn message_mermaid(&self) -> Option<String> {
        let end = self.x.session.cursor() + 1;
        let (lanes, rows) = self.message_rows(end.saturating_sub(MERMAID_STEPS)..end)?;
        Some(msc::mermaid(&lanes, &rows))
    }
}

/// What each step did to messages, computed once per step: a step's row depends only on the state
/// before it and its label, which stay the same while the session's revision does (the trace only
/// grows at its end). Keyed on the revision and the model.
#[derive(Default)]
struct ChartRows {
    key: (u64, usize),
    rows: std::collections::HashMap<usize, msc::ChartRow>,
}

thread_local! {
    static CHART_ROWS: std::cell::RefCell<ChartRows> = std::cell::RefCell::new(ChartRows::default());
}

/// Rows the cache keeps before it forgets those far from the steps asked for (a Mermaid export
/// asks for up to [`MERMAID_STEPS`]).
const CHART_ROWS_KEPT: usize = 2 * MERMAID_STEPS;

/// Steps a Mermaid export holds at most (a diagram of more is unreadable anyway).
pub const MERMAID_STEPS: usize = 2000;

/// Steps the trace view draws at most.
pub const TRACE_VIEW_WINDOW: usize = 80;

/// The trace view's window moves in strides of this many steps (see [`timeline_window`]): a step
/// mostly appends a row or moves the current mark, and at most one step in this many redraws every
/// row.
pub const TRACE_VIEW_STRIDE: usize = 40;

/// One picture of a stretch of the trace (see [`Picture::trace_drawings`]).
#[derive(Clone, Debug, PartialEq)]
pub struct TraceDrawing {
    pub title: &'static str,
    pub drawing: draw::Drawing,
    /// The steps it covers.
    pub window: std::ops::Range<usize>,
    /// It is the message-sequence chart (which exports as SVG and Mermaid text).
    pub chart: bool,
}

/// The `size` steps of a `len`-step trace shown around `cursor`: centred on it where the trace
/// allows, never past either end.
pub fn trace_window(len: usize, cursor: usize, size: usize) -> std::ops::Range<usize> {
    let start = cursor.saturating_sub(size / 2).min(len.saturating_sub(size));
    start..(start + size).min(len)
}

/// The `size` steps of the timeline shown around `cursor`: like [`trace_window`], but the start
/// moves only in strides of `stride` (at most `size / 2`), so that most steps leave every chip
/// where it was and a step only appends a chip or moves the current mark. A window that slid by one
/// on every step would redraw every chip's text each time: a layout of the whole timeline.
pub fn timeline_window(len: usize, cursor: usize, size: usize, stride: usize) -> std::ops::Range<usize> {
    let stride = stride.clamp(1, (size / 2).max(1));
    let start = cursor.saturating_sub(size / 2) / stride * stride;
    start..(start + size).min(len)
}
