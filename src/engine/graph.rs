//! The state graph: the reachable states of a model as nodes, its steps as edges, for drawing
//! (`explorer::state_graph`) and for export (`pex graph`, Graphviz DOT or JSON).
//!
//! [`reachable`] explores breadth-first exactly as the checker does (TLC's order: initial states
//! in `Init`'s order, then each state's successors in `Next`'s order) and keeps what the checker
//! keeps, so a complete graph has as many nodes as `pex check` reports distinct states:
//! - states are told apart by the checker's 64-bit fingerprint, of the state's class under the
//!   model's symmetry when `pex check` would reduce by it (the config checks no temporal property
//!   and the model declares a symmetric set); a node then stands for its class and holds the
//!   first member the search generated, as the checker explores it;
//! - a successor outside the CONSTRAINT is neither a node nor an edge (it is counted in
//!   [`StateGraph::outside`]);
//! - every other successor is an edge, stuttering steps included (as self-loops), so
//!   `edges + outside + initial states generated = states generated`, TLC's count.
//!
//! [`neighbourhood`] is the local picture for spaces too large to draw whole: a trace and what
//! lies a few steps beyond its last state.

use super::erased::{AnyState, DynModel};
use std::collections::{HashMap, VecDeque};

/// One state of the graph.
#[derive(Clone)]
pub struct GraphNode {
    /// Its position in [`StateGraph::nodes`]; for [`reachable`], the checker's id of the state.
    pub id: usize,
    /// BFS depth: 0 for an initial state (the checker's level minus one).
    pub depth: usize,
    pub state: AnyState,
    pub initial: bool,
    /// Its parent in the BFS tree (`None` for an initial state).
    pub parent: Option<usize>,
    /// The label of the step from the parent (`None` for an initial state).
    pub action: Option<String>,
    /// For an initial state, its position in `Init` (for replaying a path from it).
    pub init_index: Option<usize>,
    /// Each variable's value as TLA+ text, in [`StateGraph::variables`] order.
    pub values: Vec<String>,
}

impl GraphNode {
    /// The state as TLA+ text, one `/\ var = value` line per variable.
    pub fn tla_text(&self, variables: &[&str]) -> String {
        variables.iter().zip(&self.values).map(|(n, v)| format!("/\\ {n} = {v}")).collect::<Vec<_>>().join("\n")
    }
}

/// One step between two nodes (a self-loop for a stuttering step).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphEdge {
    pub from: usize,
    pub to: usize,
    /// The action as a trace labels it: `ReaderVerify(2)`.
    pub label: String,
    /// The action's family: `ReaderVerify`.
    pub family: &'static str,
}

/// A model's reachable states (or part of them) and the steps between them.
#[derive(Clone)]
pub struct StateGraph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// Whether nothing was left out for want of room: for [`reachable`], every reachable state is
    /// a node and every step an edge; for [`neighbourhood`], every state within its levels is.
    pub complete: bool,
    /// Whether nodes stand for classes under the model's symmetry (as in `pex check`).
    pub symmetry: bool,
    /// States generated, counted as the checker (and TLC) counts them.
    pub generated: u64,
    /// Successors that fell outside the CONSTRAINT (no node, no edge).
    pub outside: u64,
    /// The model's variables, naming [`GraphNode::values`].
    pub variables: &'static [&'static str],
    /// Fingerprint (of the class, under symmetry) to node.
    index: HashMap<u64, usize>,
}

impl StateGraph {
    fn new(model: &dyn DynModel, symmetry: bool) -> StateGraph {
        StateGraph {
            nodes: Vec::new(),
            edges: Vec::new(),
            complete: true,
            symmetry,
            generated: 0,
            outside: 0,
            variables: model.variables(),
            index: HashMap::new(),
        }
    }

    /// Adds a node for `state` unless one with key `key` exists; returns the node and whether it
    /// is new, or `None` if a new node would pass `max_nodes` (the graph is then incomplete).
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        model: &dyn DynModel,
        key: u64,
        state: &AnyState,
        depth: usize,
        parent: Option<usize>,
        action: Option<&str>,
        init_index: Option<usize>,
        max_nodes: usize,
    ) -> Option<(usize, bool)> {
        if let Some(&id) = self.index.get(&key) {
            return Some((id, false));
        }
        if self.nodes.len() >= max_nodes {
            self.complete = false;
            return None;
        }
        let id = self.nodes.len();
        self.index.insert(key, id);
        let values = model.to_tla(state).iter().map(|v| v.to_string()).collect();
        self.nodes.push(GraphNode {
            id,
            depth,
            state: state.clone(),
            initial: init_index.is_some(),
            parent,
            action: action.map(str::to_string),
            init_index,
            values,
        });
        Some((id, true))
    }

    /// The nodes from an initial state (or the start of a neighbourhood's trace) to `to`, along
    /// BFS parents.
    pub fn path_to(&self, to: usize) -> Vec<usize> {
        let mut ids = vec![to];
        while let Some(p) = self.nodes[*ids.last().expect("not empty")].parent {
            ids.push(p);
        }
        ids.reverse();
        ids
    }

    /// The labels of the steps from an initial state to node `to` along BFS parents: for
    /// [`reachable`], a shortest path (replay them from `Init`'s state number
    /// `nodes[path_to(to)[0]].init_index`).
    pub fn shortest_path(&self, to: usize) -> Vec<String> {
        self.path_to(to).iter().filter_map(|&i| self.nodes[i].action.clone()).collect()
    }

    /// The node of `state` (of its class, under symmetry), if the graph has one.
    pub fn find(&self, model: &dyn DynModel, state: &AnyState) -> Option<usize> {
        let (_, key) = model.state_keys(self.symmetry);
        let id = *self.index.get(&key(state))?;
        (self.symmetry || model.same_state(&self.nodes[id].state, state)).then_some(id)
    }

    /// The nodes where some invariant of the config fails.
    pub fn failing(&self, model: &dyn DynModel) -> Vec<usize> {
        self.nodes.iter().filter(|n| model.check_invariants(&n.state).iter().any(|ok| !ok)).map(|n| n.id).collect()
    }

    /// The graph as Graphviz DOT: a node per state labelled with its variables (long values
    /// shortened), initial states drawn with a double border, edges labelled with their actions.
    pub fn to_dot(&self, model: &dyn DynModel) -> String {
        fn esc(s: &str) -> String {
            s.replace('\\', "\\\\").replace('"', "\\\"")
        }
        fn short(v: &str) -> String {
            const MAX: usize = 48;
            if v.chars().count() <= MAX {
                v.to_string()
            } else {
                format!("{}…", v.chars().take(MAX - 1).collect::<String>())
            }
        }
        let info = model.info();
        let mut out = format!(
            "digraph \"{} ({})\" {{\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n  edge [fontname=\"monospace\", fontsize=9];\n",
            esc(info.name),
            esc(model.config().name)
        );
        for n in &self.nodes {
            let label: String = self.variables.iter().zip(&n.values).map(|(name, v)| format!("{} = {}\\l", esc(name), esc(&short(v)))).collect();
            let init = if n.initial { ", peripheries=2, style=bold" } else { "" };
            out.push_str(&format!("  n{} [label=\"{label}\"{init}];\n", n.id));
        }
        for e in &self.edges {
            out.push_str(&format!("  n{} -> n{} [label=\"{}\"];\n", e.from, e.to, esc(&e.label)));
        }
        out.push_str("}\n");
        out
    }

    /// The graph as JSON: `{model, config, complete, symmetry, nodes: [{id, depth, initial,
    /// parent, state: {var: tla}}], edges: [{from, to, action, family}]}`.
    pub fn to_json(&self, model: &dyn DynModel) -> serde_json::Value {
        use serde_json::{json, Map, Value};
        let nodes: Vec<Value> = self
            .nodes
            .iter()
            .map(|n| {
                let state: Map<String, Value> = self.variables.iter().zip(&n.values).map(|(k, v)| (k.to_string(), Value::String(v.clone()))).collect();
                json!({"id": n.id, "depth": n.depth, "initial": n.initial, "parent": n.parent, "state": state})
            })
            .collect();
        let edges: Vec<Value> = self.edges.iter().map(|e| json!({"from": e.from, "to": e.to, "action": e.label, "family": e.family})).collect();
        json!({
            "model": model.info().name,
            "config": model.config().name,
            "complete": self.complete,
            "symmetry": self.symmetry,
            "nodes": nodes,
            "edges": edges,
        })
    }
}

/// The reachable graph, breadth-first in TLC's order, as the checker counts it (see the module
/// doc). Stops, with `complete` false, when the space would need more than `max_nodes` nodes:
/// the work is bounded by `max_nodes` expansions whatever the model.
pub fn reachable(model: &dyn DynModel, max_nodes: usize) -> StateGraph {
    // `pex check` reduces by symmetry unless the config checks temporal properties.
    let (symmetry, key) = model.state_keys(model.liveness_names().is_empty());
    let mut g = StateGraph::new(model, symmetry);
    let mut queue: VecDeque<usize> = VecDeque::new();
    for (i, s) in model.init_states().iter().enumerate() {
        g.generated += 1;
        if !model.within_constraint(s) {
            continue;
        }
        match g.add(model, key(s), s, 0, None, None, Some(i), max_nodes) {
            Some((id, true)) => queue.push_back(id),
            Some(_) => {}
            None => return g,
        }
    }
    while let Some(id) = queue.pop_front() {
        let state = g.nodes[id].state.clone();
        let depth = g.nodes[id].depth;
        for c in model.choices(&state) {
            g.generated += 1;
            let to = if model.same_state(&c.next, &state) {
                id
            } else if !model.within_constraint(&c.next) {
                g.outside += 1;
                continue;
            } else {
                match g.add(model, key(&c.next), &c.next, depth + 1, Some(id), Some(&c.label), None, max_nodes) {
                    Some((to, new)) => {
                        if new {
                            queue.push_back(to);
                        }
                        to
                    }
                    None => return g,
                }
            };
            g.edges.push(GraphEdge { from: id, to, label: c.label, family: c.family });
        }
    }
    g
}

/// A trace's states (the path, a node per distinct state, each step an edge) and the states
/// `levels` steps or fewer beyond its last state, with every step between them found on the way:
/// the local picture of a space too large to draw. At most `max_nodes` nodes (`complete` false
/// if some state within `levels` was left out). No symmetry reduction: the trace's states are
/// shown as they are. A node's depth is its trace index (the last state's plus its distance
/// beyond it); its parent the previous trace state or the state it was found from.
pub fn neighbourhood(model: &dyn DynModel, trace_states: &[AnyState], levels: usize, max_nodes: usize) -> StateGraph {
    let (_, key) = model.state_keys(false);
    let mut g = StateGraph::new(model, false);
    let inits = model.init_states();
    let mut prev: Option<usize> = None;
    for (i, s) in trace_states.iter().enumerate() {
        let init_index = if i == 0 { Some(inits.iter().position(|t| model.same_state(t, s)).unwrap_or(0)) } else { None };
        let label = prev.and_then(|p| model.choices(&g.nodes[p].state).into_iter().find(|c| model.same_state(&c.next, s)));
        let Some((id, _)) = g.add(model, key(s), s, i, prev, label.as_ref().map(|c| c.label.as_str()), init_index, max_nodes.max(trace_states.len())) else {
            break;
        };
        if let (Some(p), Some(c)) = (prev, label) {
            g.edges.push(GraphEdge { from: p, to: id, label: c.label, family: c.family });
        }
        prev = Some(id);
    }
    let Some(last) = prev else { return g };
    let mut frontier = vec![last];
    let mut expanded: Vec<bool> = Vec::new();
    for _ in 0..levels {
        let mut next = Vec::new();
        for id in frontier {
            expanded.resize(g.nodes.len().max(expanded.len()), false);
            if expanded[id] {
                continue;
            }
            expanded[id] = true;
            let (state, depth) = (g.nodes[id].state.clone(), g.nodes[id].depth);
            for c in model.choices(&state) {
                if !model.within_constraint(&c.next) {
                    continue;
                }
                let Some((to, new)) = g.add(model, key(&c.next), &c.next, depth + 1, Some(id), Some(&c.label), None, max_nodes) else { continue };
                if new {
                    next.push(to);
                }
                let step = GraphEdge { from: id, to, label: c.label, family: c.family };
                // The trace's own step is already an edge.
                if !g.edges.contains(&step) {
                    g.edges.push(step);
                }
            }
        }
        frontier = next;
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;
    use crate::engine::{CheckOptions, DynOutcome};
    use std::sync::Arc;

    /// The checker's figures (distinct, generated) for a complete run, as `pex check` runs it.
    fn checked(model: &dyn DynModel) -> Option<(u64, u64)> {
        let mut c = model.checker(CheckOptions { max_states: Some(40_000), ..CheckOptions::default() });
        while !c.run(1 << 14) {}
        let r = c.result().expect("ended");
        matches!(r.outcome, DynOutcome::Ok).then_some((r.progress.distinct, r.progress.generated))
    }

    fn build(name: &str, consts: &[(&str, &str)]) -> Arc<dyn DynModel> {
        let consts: Vec<(String, String)> = consts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        catalogue::build(name, "safe", &consts).expect("builds")
    }

    /// Smaller constants for models whose default safe space is too large for a debug test.
    fn small(name: &str) -> Vec<(&'static str, &'static str)> {
        match name {
            "seqlock" => vec![("MaxSeq", "2")],
            "paxos" => vec![("Acceptors", "{1, 2}"), ("Attempts", "{0, 1}")],
            "crdt" => vec![("MaxTime", "2"), ("Values", "1")],
            "gossip" => vec![("Replicas", "{1, 2}"), ("Owners", "{1}"), ("MaxDeltas", "1")],
            "anti-entropy" => vec![("NumKeys", "1"), ("NumBuckets", "1")],
            _ => vec![],
        }
    }

    #[test]
    fn a_complete_graph_counts_what_the_checker_counts() {
        let mut covered = Vec::new();
        for info in catalogue::infos() {
            let model = build(info.name, &small(info.name));
            let g = reachable(model.as_ref(), 30_000);
            if !g.complete {
                eprintln!("{}: over 30,000 states with these constants, skipped", info.name);
                continue;
            }
            let (distinct, generated) = checked(model.as_ref()).expect("the safe config checks clean");
            let inits = model.init_states().len() as u64;
            assert_eq!(g.nodes.len() as u64, distinct, "{}", info.name);
            assert_eq!(g.generated, generated, "{}", info.name);
            assert_eq!(g.edges.len() as u64 + g.outside + inits, generated, "{}", info.name);
            // Ids are BFS order: depth never decreases, parents come first.
            for n in &g.nodes {
                assert_eq!(n.parent.is_none(), n.initial);
                if let Some(p) = n.parent {
                    assert!(p < n.id && g.nodes[p].depth + 1 == n.depth);
                }
            }
            covered.push(format!("{} {} ({} edges{})", info.name, distinct, g.edges.len(), if g.symmetry { ", symmetry" } else { "" }));
        }
        eprintln!("covered: {covered:#?}");
        assert_eq!(covered.len(), catalogue::infos().len(), "{covered:?}");
    }

    #[test]
    fn a_bounded_graph_stops_and_says_so() {
        let model = build("seqlock", &[]);
        let g = reachable(model.as_ref(), 10);
        assert!(!g.complete);
        assert_eq!(g.nodes.len(), 10);
        assert!(g.edges.iter().all(|e| e.from < 10 && e.to < 10));
    }

    #[test]
    fn the_shortest_path_replays_to_the_node() {
        let model = build("seqlock", &[("MaxSeq", "1")]);
        let g = reachable(model.as_ref(), 10_000);
        assert!(g.complete);
        for id in (0..g.nodes.len()).step_by(7).chain([g.nodes.len() - 1]) {
            let labels = g.shortest_path(id);
            let first = g.path_to(id)[0];
            let mut state = model.init_states()[g.nodes[first].init_index.expect("starts at an initial state")].clone();
            for l in &labels {
                state = model.choices(&state).into_iter().find(|c| &c.label == l).expect("the label is enabled").next;
            }
            assert!(model.same_state(&state, &g.nodes[id].state), "node {id}");
            assert_eq!(labels.len(), g.nodes[id].depth);
            assert_eq!(g.find(model.as_ref(), &state), Some(id));
        }
    }

    #[test]
    fn dot_and_json_describe_the_same_graph() {
        let model = build("seqlock", &[("MaxSeq", "1"), ("NumReaders", "1")]);
        let g = reachable(model.as_ref(), 10_000);
        let dot = g.to_dot(model.as_ref());
        assert!(dot.starts_with("digraph \"seqlock (safe)\" {\n") && dot.ends_with("}\n"), "{dot}");
        assert_eq!(dot.lines().filter(|l| l.split_once(" [").is_some_and(|(head, _)| head.contains(" -> "))).count(), g.edges.len());
        let heads: Vec<&str> = dot.lines().filter_map(|l| l.split_once(" [").map(|(head, _)| head.trim())).collect();
        assert_eq!(heads.iter().filter(|h| h.strip_prefix('n').is_some_and(|id| id.parse::<usize>().is_ok())).count(), g.nodes.len());
        assert_eq!(dot.matches("peripheries=2").count(), g.nodes.iter().filter(|n| n.initial).count());
        assert!(dot.contains(&format!("{} = ", model.variables()[0])));
        let v: serde_json::Value = serde_json::from_str(&serde_json::to_string(&g.to_json(model.as_ref())).unwrap()).unwrap();
        assert_eq!(v["nodes"].as_array().unwrap().len(), g.nodes.len());
        assert_eq!(v["edges"].as_array().unwrap().len(), g.edges.len());
        assert_eq!(v["complete"], true);
        let n0 = &v["nodes"][0];
        assert_eq!((n0["id"].as_u64(), n0["depth"].as_u64(), n0["initial"].as_bool()), (Some(0), Some(0), Some(true)));
        for var in model.variables() {
            assert!(n0["state"][var].is_string(), "{var}");
        }
        let e0 = &v["edges"][0];
        assert!(e0["from"].is_u64() && e0["to"].is_u64() && e0["action"].is_string());
    }

    #[test]
    fn a_neighbourhood_holds_the_trace_and_what_lies_beyond() {
        let model = build("paxos", &[]);
        let mut states = vec![model.init_states()[0].clone()];
        for _ in 0..4 {
            let next = model.choices(states.last().unwrap()).into_iter().find(|c| !model.same_state(&c.next, states.last().unwrap())).unwrap().next;
            states.push(next);
        }
        let g = neighbourhood(model.as_ref(), &states, 2, 500);
        for (i, s) in states.iter().enumerate() {
            assert_eq!(g.find(model.as_ref(), s), Some(i));
        }
        assert_eq!(g.shortest_path(4).len(), 4);
        let last_succs = model.choices(&states[4]).len();
        assert!(g.edges.iter().filter(|e| e.from == 4).count() == last_succs);
        assert!(g.nodes.iter().any(|n| n.depth == 6));
        assert!(g.nodes.iter().all(|n| n.depth <= 6));
        let tiny = neighbourhood(model.as_ref(), &states, 2, 7);
        assert!(!tiny.complete && tiny.nodes.len() == 7);
    }
}
