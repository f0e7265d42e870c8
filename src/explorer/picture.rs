//! What the view panel shows: the model's own picture, the generic "Variables" view (every model
//! has it; a model without drawing code has only it) or the state graph (the reachable graph of a
//! small space, or the neighbourhood of the trace in a large one), and jumping to a graph node.

use super::draw::{Drawing, Layout, Legend};
use super::state_graph::{self, GraphHighlight};
use super::{generic, Explorer};
use crate::engine::{neighbourhood, reachable, AnyState, DynModel, StateGraph};
use std::sync::Arc;

/// The largest space drawn whole; a larger one is drawn as the trace's neighbourhood.
pub const WHOLE_GRAPH_STATES: usize = 2_000;
/// A neighbourhood holds the last this-many states of the trace up to the cursor...
pub const NEIGHBOURHOOD_TRACE: usize = 40;
/// ... and the states this many steps beyond the current one.
pub const NEIGHBOURHOOD_LEVELS: usize = 2;
/// At most this many nodes in a neighbourhood.
const NEIGHBOURHOOD_NODES: usize = 400;

/// The three ways of drawing a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ViewMode {
    /// The model's own drawing (a model with a `View`).
    #[default]
    Picture,
    /// The generic view: every variable laid out by the shape of its value.
    Variables,
    /// The state graph.
    Graph,
}

impl ViewMode {
    /// The tab's name.
    pub fn label(self) -> &'static str {
        match self {
            ViewMode::Picture => "Picture",
            ViewMode::Variables => "Variables",
            ViewMode::Graph => "State graph",
        }
    }

    /// The name used in test ids and links.
    pub fn key(self) -> &'static str {
        match self {
            ViewMode::Picture => "picture",
            ViewMode::Variables => "variables",
            ViewMode::Graph => "graph",
        }
    }
}

/// The state graph as last computed, for one built model: the whole reachable graph when it has
/// at most [`WHOLE_GRAPH_STATES`] states, else `None` (the neighbourhood is drawn instead).
#[derive(Default)]
pub(super) struct GraphCache {
    /// The model the graph was computed for (its address: a rebuilt model is another one).
    model: Option<usize>,
    whole: Option<Arc<StateGraph>>,
}

/// What the state graph tab shows, besides its drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphSummary {
    /// The whole reachable graph (else the neighbourhood of the trace).
    pub whole: bool,
    pub nodes: usize,
    pub edges: usize,
    /// Nodes stand for symmetry classes.
    pub symmetry: bool,
}

fn model_key(model: &Arc<dyn DynModel>) -> usize {
    Arc::as_ptr(model) as *const () as usize
}

/// What the view panel draws at the cursor, read from an explorer ([`Explorer::picture`]): the
/// view modes and the drawing and legend of the mode shown, the model's own drawing, the trace
/// views, the message chart, the state graph.
#[derive(Clone, Copy)]
pub struct Picture<'a> {
    pub(super) x: &'a Explorer,
}

impl Picture<'_> {
    /// The view modes this model offers, in tab order: its own picture if it has one, then the
    /// variables and the state graph.
    pub fn view_modes(&self) -> Vec<ViewMode> {
        let own = self.x.catalogue.view_of(self.x.model.info().name).own;
        let mut modes = Vec::with_capacity(3);
        if own {
            modes.push(ViewMode::Picture);
        }
        modes.extend([ViewMode::Variables, ViewMode::Graph]);
        modes
    }

    /// The mode shown: the one chosen, if this model offers it, else its first.
    pub fn view_mode(&self) -> ViewMode {
        let modes = self.view_modes();
        if modes.contains(&self.x.view_mode) {
            self.x.view_mode
        } else {
            modes[0]
        }
    }

    /// The names of the properties failing at the cursor (invariants at this state, action
    /// properties on the step into it).
    fn failing_now(&self) -> Vec<&'static str> {
        let state = self.x.session.state();
        let mut failing: Vec<&'static str> =
            self.x.model.invariant_names().into_iter().zip(self.x.model.check_invariants(state)).filter(|(_, ok)| !ok).map(|(n, _)| n).collect();
        if let Some(prev) = self.x.session.previous() {
            if !self.x.model.same_state(&prev.state, state) {
                let oks = self.x.model.check_properties(&prev.state, state);
                failing.extend(self.x.model.property_names().into_iter().zip(oks).filter(|(_, ok)| !ok).map(|(n, _)| n));
            }
        }
        failing
    }

    /// The picture of the mode shown, at the cursor, with the shapes that draw these inspector
    /// paths highlighted (a lesson step's highlight; the state graph highlights none).
    pub fn view_drawing(&self, paths: &[String]) -> Option<Drawing> {
        self.view_drawing_in(paths, Layout::Wide)
    }

    /// [`Picture::view_drawing`] with the model's picture laid out for `layout` (the page's
    /// drawing column; the Variables view and the state graph have one layout).
    pub fn view_drawing_in(&self, paths: &[String], layout: Layout) -> Option<Drawing> {
        match self.view_mode() {
            ViewMode::Picture => self.drawing_highlighting(paths, layout),
            ViewMode::Variables => {
                let prev: Option<&AnyState> = self.x.session.previous().map(|s| &s.state);
                let mut d = generic::draw(self.x.model.as_ref(), prev, self.x.session.state(), &self.failing_now());
                if !paths.is_empty() {
                    let state = self.x.session.state();
                    let ids: Vec<String> = paths.iter().flat_map(|p| generic::shapes_for(self.x.model.as_ref(), state, p)).collect();
                    d.highlight(&ids);
                }
                Some(d)
            }
            ViewMode::Graph => Some(self.graph_drawing().0),
        }
    }

    /// The legend of the mode shown.
    pub fn view_legend(&self) -> Option<Legend> {
        match self.view_mode() {
            ViewMode::Picture => self.legend(),
            ViewMode::Variables => Some(generic::legend(self.x.model.as_ref())),
            ViewMode::Graph => Some(state_graph::legend()),
        }
    }

    /// The state graph at the cursor: the whole graph of a small space, else the last
    /// [`NEIGHBOURHOOD_TRACE`] states of the trace and what lies [`NEIGHBOURHOOD_LEVELS`] steps
    /// beyond the current one. The current state, the trace's path to it, a lasso's loop and the
    /// states where an invariant fails are marked; the path is a counterexample's when an
    /// invariant fails at its end.
    pub fn graph(&self) -> Arc<StateGraph> {
        if let Some(g) = self.x.whole_graph() {
            return g;
        }
        let steps = &self.x.session.trace().steps;
        let cursor = self.x.session.cursor();
        let from = (cursor + 1).saturating_sub(NEIGHBOURHOOD_TRACE);
        let states: Vec<AnyState> = steps[from..=cursor].iter().map(|s| s.state.clone()).collect();
        Arc::new(neighbourhood(self.x.model.as_ref(), &states, NEIGHBOURHOOD_LEVELS, NEIGHBOURHOOD_NODES))
    }

    /// The state graph's drawing and what it holds.
    pub fn graph_drawing(&self) -> (Drawing, GraphSummary) {
        let g = self.graph();
        let model = self.x.model.as_ref();
        let steps = &self.x.session.trace().steps;
        let cursor = self.x.session.cursor();
        // The trace's path, up to the cursor (a neighbourhood holds only its last states).
        let from = if g.complete && self.x.whole_graph().is_some() { 0 } else { (cursor + 1).saturating_sub(NEIGHBOURHOOD_TRACE) };
        let mut path: Vec<usize> = Vec::new();
        for s in &steps[from..=cursor] {
            if let Some(id) = g.find(model, &s.state) {
                if path.last() != Some(&id) {
                    path.push(id);
                }
            }
        }
        let lasso_loop = match self.x.session.trace().lasso {
            Some(lasso) => {
                let first = crate::engine::lasso::loop_start(lasso, steps.len());
                steps[first..].iter().filter_map(|s| g.find(model, &s.state)).collect()
            }
            None => Vec::new(),
        };
        let failing = g.failing(model);
        let current = g.find(model, self.x.session.state());
        let counterexample = current.is_some_and(|c| failing.contains(&c));
        let highlight = GraphHighlight { current, path, counterexample, lasso_loop, failing };
        let summary = GraphSummary { whole: self.x.whole_graph().is_some(), nodes: g.nodes.len(), edges: g.edges.len(), symmetry: g.symmetry };
        (state_graph::draw(&g, &highlight), summary)
    }
}

impl Explorer {
    pub fn set_view_mode(&mut self, mode: ViewMode) {
        self.view_mode = mode;
    }

    /// The whole reachable graph, if the space has at most [`WHOLE_GRAPH_STATES`] states
    /// (computed once per built model).
    fn whole_graph(&self) -> Option<Arc<StateGraph>> {
        let key = model_key(&self.model);
        let mut cache = self.graph.borrow_mut();
        if cache.model != Some(key) {
            let g = reachable(self.model.as_ref(), WHOLE_GRAPH_STATES);
            cache.whole = g.complete.then(|| Arc::new(g));
            cache.model = Some(key);
        }
        cache.whole.clone()
    }

    /// Makes the trace the shortest path to node `id` of the state graph shown (a click on a
    /// node): the previous trace can be restored. In a neighbourhood, the path goes through the
    /// trace's states shown.
    pub fn jump_to_graph_node(&mut self, id: usize) -> Result<(), String> {
        let g = self.picture().graph();
        let Some(node) = g.nodes.get(id) else {
            return Err(format!("the state graph has no node {id}"));
        };
        if self.model.same_state(&node.state, self.session.state()) {
            return Ok(());
        }
        let path = g.path_to(id);
        if self.whole_graph().is_some() {
            let init = g.nodes[path[0]].init_index.unwrap_or(0);
            let labels = g.shortest_path(id);
            let end = labels.len();
            return self.load_trace(init, &labels, end, "the state graph's shortest path");
        }
        // A neighbourhood: the trace up to its first shown state, then the path inside it.
        let cursor = self.session.cursor();
        let from = (cursor + 1).saturating_sub(NEIGHBOURHOOD_TRACE);
        let trace = self.session.trace();
        let mut labels: Vec<String> = trace.steps[1..=from].iter().filter_map(|s| s.action.clone()).collect();
        labels.extend(path.iter().filter_map(|&i| g.nodes[i].action.clone()));
        let init = trace.init_index;
        let end = labels.len();
        self.load_trace(init, &labels, end, "the path to the state picked in the graph")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::models;

    /// An explorer of `model` with these constants, at its initial state.
    fn with_constants(model: &str, constants: &[(&str, &str)]) -> Explorer {
        let mut x = Explorer::for_model(model).unwrap();
        for (k, v) in constants {
            x.edit_constant(k, v);
            while !x.work(web_time::Duration::from_secs(1)) {}
            assert!(x.fields().iter().all(|f| f.error.is_none()), "{k}={v}");
        }
        x
    }

    #[test]
    fn a_model_without_a_view_is_drawn_by_its_variables() {
        let catalogue = Arc::new(Catalogue::new().with::<models::seqlock::Seqlock>());
        let mut x = Explorer::in_catalogue(catalogue).unwrap();
        assert_eq!(x.picture().view_modes(), vec![ViewMode::Variables, ViewMode::Graph]);
        assert_eq!(x.picture().view_mode(), ViewMode::Variables);
        // Asking for the picture it does not have shows its first mode.
        x.set_view_mode(ViewMode::Picture);
        assert_eq!(x.picture().view_mode(), ViewMode::Variables);
        let d = x.picture().view_drawing(&[]).unwrap();
        for var in x.model().variables() {
            assert!(d.find(&format!("var-{var}")).is_some(), "no panel for {var}");
        }
        assert!(x.picture().view_legend().is_some_and(|l| !l.items.is_empty()));
        // The built-in catalogue draws the same model with its own picture first.
        let builtin = Explorer::for_model("seqlock").unwrap();
        assert_eq!(builtin.picture().view_modes(), vec![ViewMode::Picture, ViewMode::Variables, ViewMode::Graph]);
        assert_eq!(builtin.picture().view_mode(), ViewMode::Picture);
    }

    #[test]
    fn the_variables_view_marks_what_a_failing_property_reads() {
        let (mut x, property) = Explorer::with_counterexample("seqlock", "no-verify").unwrap();
        assert_eq!(property, "NoTornRead");
        x.set_view_mode(ViewMode::Variables);
        let d = x.picture().view_drawing(&[]).unwrap();
        let reads = x.model().definition("NoTornRead").unwrap().reads;
        assert!(!reads.is_empty());
        for var in reads {
            assert!(d.find(&format!("var-{var}")).unwrap().class().contains("failing"), "{var} is not marked");
        }
    }

    #[test]
    fn a_small_space_is_drawn_whole_and_a_click_makes_the_trace_the_shortest_path() {
        let mut x = with_constants("seqlock", &[("MaxSeq", "1"), ("NumReaders", "1")]);
        x.set_view_mode(ViewMode::Graph);
        let (d, summary) = x.picture().graph_drawing();
        let mut checker = x.model().checker(crate::engine::CheckOptions { threads: 1, ..Default::default() });
        while !checker.run(100_000) {}
        let distinct = checker.result().unwrap().progress.distinct as usize;
        assert!(summary.whole && summary.nodes == distinct && distinct <= WHOLE_GRAPH_STATES, "{summary:?} vs {distinct}");
        assert!(d.find("gnode-0").unwrap().class().contains("current"));
        // The deepest node: the trace becomes a shortest path to it, and it is the current one.
        let g = x.picture().graph();
        let far = g.nodes.iter().max_by_key(|n| n.depth).unwrap();
        let (far_id, far_depth) = (far.id, far.depth);
        x.jump_to_graph_node(far_id).unwrap();
        assert_eq!(x.session().cursor(), far_depth);
        assert_eq!(x.session().trace().len(), far_depth + 1);
        assert!(x.model().same_state(x.session().state(), &g.nodes[far_id].state));
        let (d, _) = x.picture().graph_drawing();
        assert!(d.find(&format!("gnode-{far_id}")).unwrap().class().contains("current"));
        // Every state of the trace is on the highlighted path.
        for s in &x.session().trace().steps {
            let id = g.find(x.model().as_ref(), &s.state).unwrap();
            assert!(d.find(&format!("gnode-{id}")).unwrap().class().contains("path"), "node {id}");
        }
        // The previous trace can be restored, as after any load.
        assert!(x.can_restore_previous());
        assert!(x.jump_to_graph_node(g.nodes.len()).is_err());
    }

    #[test]
    fn a_large_space_shows_the_neighbourhood_of_the_trace() {
        let mut x = Explorer::for_model("paxos").unwrap();
        x.skip_stutter = true;
        for _ in 0..5 {
            x.random_step();
        }
        x.set_view_mode(ViewMode::Graph);
        let (d, summary) = x.picture().graph_drawing();
        assert!(!summary.whole, "{summary:?}");
        let g = x.picture().graph();
        let here = g.find(x.model().as_ref(), x.session().state()).unwrap();
        assert!(d.find(&format!("gnode-{here}")).unwrap().class().contains("current"));
        // Successors two levels deep are there, and a click on one extends the trace to it.
        let beyond = g.nodes.iter().filter(|n| n.depth == g.nodes[here].depth + 2).map(|n| n.id).next().expect("a state two steps on");
        let path = g.path_to(beyond);
        x.jump_to_graph_node(beyond).unwrap();
        assert_eq!(x.session().cursor(), path.len() - 1);
        assert!(path.contains(&here));
        assert!(x.model().same_state(x.session().state(), &g.nodes[beyond].state));
    }

    #[test]
    fn a_lassos_loop_is_highlighted_in_the_graph() {
        let (mut x, _) = Explorer::with_counterexample("occ", "termination-unfair").unwrap();
        assert!(x.lasso().is_some());
        x.set_view_mode(ViewMode::Graph);
        let (d, _) = x.picture().graph_drawing();
        let g = x.picture().graph();
        let last = g.find(x.model().as_ref(), x.session().trace().steps.last().map(|s| &s.state).unwrap()).unwrap();
        assert!(d.find(&format!("gnode-{last}")).unwrap().class().contains("loop"), "the loop's last state is not marked");
    }
}
