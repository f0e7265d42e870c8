//! Liveness under fairness, checked exhaustively: `<>P`, `[]<>P`, `<>[]P` and `P ~> Q` on the
//! behaviours that satisfy the model's fairness (weak or strong, per action, per parameter or on
//! `Next`), with stuttering allowed as in TLA+.
//!
//! The search is the ordinary BFS ([`Checker`]), without symmetry, which also records the state
//! graph compactly ([`Recorder`]): per state its fingerprint, one bit per predicate (P and Q of
//! each property) and the start of its edges; per edge the successor (a fingerprint during the
//! search, resolved to a state id afterwards) and a label, an index into the interned sets of
//! fairness obligations the action belongs to. Steps that leave the state unchanged are not
//! recorded: under `<<A>>_vars` fairness they neither take nor enable anything.
//!
//! After the search each property is reduced to a search for a fair strongly connected component
//! (or a fair stuttering state) of a subgraph:
//! - `<>P`: the ¬P states reachable from an initial ¬P state through ¬P states;
//! - `[]<>P`: all ¬P states;
//! - `<>[]P`: all states, the component holding a ¬P state;
//! - `P ~> Q`: the ¬Q states reachable from a P∧¬Q state through ¬Q states.
//!
//! A component is fair when every weak obligation is taken inside it or disabled at one of its
//! states, and every strong obligation is taken inside it or disabled at all of them; a
//! component failing only strong obligations is refined (its states where such an obligation is
//! enabled are removed, the rest split into components again). A state may stutter for ever when
//! no obligation is enabled there. Tarjan's algorithm and every search here are iterative.
//!
//! Every stage is resumable: the search in `budget` expansions, then the graph's build and (per
//! property) the subgraph's BFS, Tarjan, the fairness worklist and the lasso's cycle in about
//! `8 × budget` states or edges per [`LivenessChecker::run`], so the time bound and a cancel are
//! honoured between slices. The memory ceiling is checked before each big allocation.
//!
//! The counterexample is a lasso: a shortest prefix (BFS parents, or a BFS inside the subgraph),
//! then a cycle built greedily inside the fair component by breadth-first searches to the nearest
//! state or edge that discharges an outstanding obligation, and back.

use super::checker::{CheckOptions, Checker, Footprint, Outcome, Path, Progress, StopReason, Violation, ViolationKind};
use super::model::{FairnessKind, Model, Temporal};
use super::text::plural;
use super::trace::Lasso;
use hashbrown::HashTable;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

const NONE: u32 = u32::MAX;

/// The state graph as the search records it.
#[derive(Default)]
pub struct Recorder {
    /// Per state (by id): its fingerprint.
    fps: Vec<u64>,
    /// Per state: bit 2j is P of property j, bit 2j+1 its Q.
    bits: Vec<u64>,
    /// Per expanded state: where its edges start; one more entry (the total) once complete.
    offsets: Vec<u64>,
    /// Per edge: the successor's fingerprint (during the search).
    edge_fp: Vec<u64>,
    /// Per edge: its label (an index into `label_obligations`).
    edge_label: Vec<u32>,
    labels: HashMap<Vec<u32>, u32>,
    /// Per label: the fairness obligations the action belongs to.
    label_obligations: Vec<Vec<u32>>,
    obligation_ids: HashMap<(u32, u32), u32>,
    /// Per obligation: (fairness condition index, instance).
    obligations: Vec<(u32, u32)>,
    scratch: Vec<u32>,
}

impl Recorder {
    pub(crate) fn add_state<M: Model>(&mut self, model: &M, fp: u64, state: &M::State) {
        let mut bits = 0u64;
        for (j, prop) in model.liveness().iter().enumerate().take(32) {
            if (prop.p)(model, state) {
                bits |= 1 << (2 * j);
            }
            if prop.q.is_some_and(|q| q(model, state)) {
                bits |= 1 << (2 * j + 1);
            }
        }
        self.fps.push(fp);
        self.bits.push(bits);
    }

    /// The edges of state `id` follow (states are expanded in id order).
    pub(crate) fn begin_state(&mut self, id: u32) {
        debug_assert_eq!(self.offsets.len(), id as usize);
        self.offsets.push(self.edge_fp.len() as u64);
    }

    pub(crate) fn add_edge<M: Model>(&mut self, model: &M, fp: u64, action: &M::Action) {
        self.scratch.clear();
        for (f, fairness) in model.fairness().iter().enumerate() {
            if let Some(instance) = (fairness.instance)(model, action) {
                let next = self.obligations.len() as u32;
                let id = *self.obligation_ids.entry((f as u32, instance)).or_insert(next);
                if id == next {
                    self.obligations.push((f as u32, instance));
                }
                self.scratch.push(id);
            }
        }
        let label = match self.labels.get(self.scratch.as_slice()) {
            Some(&l) => l,
            None => {
                let l = self.label_obligations.len() as u32;
                self.labels.insert(self.scratch.clone(), l);
                self.label_obligations.push(self.scratch.clone());
                l
            }
        };
        self.edge_fp.push(fp);
        self.edge_label.push(label);
    }

    pub fn edges(&self) -> usize {
        self.edge_label.len()
    }

    /// Bytes held per state: fingerprint, predicates, edge offset.
    pub fn state_bytes(&self) -> usize {
        self.fps.capacity() * 8 + self.bits.capacity() * 8 + self.offsets.capacity() * 8
    }

    /// Bytes held by the edges: successor (a fingerprint while searching) and label.
    pub fn edge_bytes(&self) -> usize {
        self.edge_fp.capacity() * 8 + self.edge_label.capacity() * 4
    }

    pub fn bytes(&self) -> usize {
        self.state_bytes() + self.edge_bytes()
    }

    /// (length, capacity, bytes per element) of each growing array, for the memory ceiling.
    pub(crate) fn growing(&self) -> [(usize, usize, u64); 5] {
        [
            (self.fps.len(), self.fps.capacity(), 8),
            (self.bits.len(), self.bits.capacity(), 8),
            (self.offsets.len(), self.offsets.capacity(), 8),
            (self.edge_fp.len(), self.edge_fp.capacity(), 8),
            (self.edge_label.len(), self.edge_label.capacity(), 4),
        ]
    }
}

/// The state graph after the search, edges resolved to state ids (CSR layout).
pub struct Graph {
    pub fps: Vec<u64>,
    pub bits: Vec<u64>,
    /// `offsets[v]..offsets[v + 1]` are the edges of `v`.
    pub offsets: Vec<u64>,
    pub targets: Vec<u32>,
    pub labels: Vec<u32>,
    pub label_obligations: Vec<Vec<u32>>,
    /// Per obligation: strong fairness?
    pub strong: Vec<bool>,
}

/// Bytes of a hashbrown table sized for `n` entries of `slot` bytes: its buckets (a power of two,
/// at least 8/7 of `n`), each with one control byte, and a group of trailing control bytes.
fn table_bytes(n: usize, slot: u64) -> u64 {
    let buckets = match n {
        0..4 => 4,
        4..8 => 8,
        _ => ((n as u64).saturating_mul(8) / 7).next_power_of_two(),
    };
    buckets.saturating_mul(slot + 1).saturating_add(16)
}

/// `bytes` for a message: in MiB, KiB or bytes, whichever shows it best.
fn mib(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1 << 10 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        plural(bytes, "byte", "bytes")
    }
}

/// The graph being built from the recorder a slice at a time: every state indexed by its
/// fingerprint, then every edge's successor fingerprint resolved to a state id. All its memory is
/// allocated by [`GraphBuilder::new`], so [`GraphBuilder::bytes_needed`] can be checked first.
struct GraphBuilder {
    r: Recorder,
    index: HashTable<u32>,
    /// The states `0..indexed` are in `index`.
    indexed: usize,
    /// The successor ids of the first edges (filled once every state is indexed).
    targets: Vec<u32>,
    strong: Vec<bool>,
}

impl GraphBuilder {
    /// What [`GraphBuilder::new`] allocates beside the recorder: the index, a state id per edge,
    /// and the closing entries of the offsets (a new block if they are full).
    fn bytes_needed(r: &Recorder) -> u64 {
        let n = r.fps.len();
        let offsets = if r.offsets.capacity() < n + 1 { (n as u64 + 1) * 8 } else { 0 };
        table_bytes(n, 4) + r.edges() as u64 * 4 + offsets
    }

    fn new(mut r: Recorder, strong_conditions: &[bool]) -> GraphBuilder {
        let n = r.fps.len();
        r.offsets.truncate(n);
        r.offsets.reserve_exact(n + 1 - r.offsets.len());
        // States not expanded (cannot happen after a full search) have no edges.
        r.offsets.resize(n + 1, r.edge_fp.len() as u64);
        let strong = r.obligations.iter().map(|&(f, _)| strong_conditions.get(f as usize).copied().unwrap_or(false)).collect();
        GraphBuilder { index: HashTable::with_capacity(n), indexed: 0, targets: Vec::with_capacity(r.edge_fp.len()), strong, r }
    }

    /// Works until the graph is complete (true) or `budget` states and edges are spent (false).
    fn step(&mut self, budget: &mut usize) -> bool {
        let fps = &self.r.fps;
        while self.indexed < fps.len() {
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            let fp = fps[self.indexed];
            self.index.insert_unique(fp, self.indexed as u32, |&i| fps[i as usize]);
            self.indexed += 1;
        }
        while self.targets.len() < self.r.edge_fp.len() {
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            let fp = self.r.edge_fp[self.targets.len()];
            self.targets.push(self.index.find(fp, |&i| fps[i as usize] == fp).copied().unwrap_or(NONE));
        }
        true
    }

    /// Bytes held: the recorder, the index and the resolved targets.
    fn bytes(&self) -> u64 {
        self.r.bytes() as u64 + table_bytes(self.index.capacity(), 4) + self.targets.capacity() as u64 * 4
    }

    /// What the build is doing, for the progress.
    fn stage(&self) -> String {
        if self.indexed < self.r.fps.len() {
            format!("liveness: state graph: indexing the states ({} of {})", self.indexed, self.r.fps.len())
        } else {
            format!("liveness: state graph: resolving the edges ({} of {})", self.targets.len(), self.r.edge_fp.len())
        }
    }

    /// The graph, once [`GraphBuilder::step`] has said it is complete.
    fn finish(self) -> Graph {
        let r = self.r;
        Graph {
            fps: r.fps,
            bits: r.bits,
            offsets: r.offsets,
            targets: self.targets,
            labels: r.edge_label,
            label_obligations: r.label_obligations,
            strong: self.strong,
        }
    }
}

impl Graph {
    /// Resolves the recorded successor fingerprints to ids, at once.
    pub fn from_recorder(r: Recorder, strong_conditions: &[bool]) -> Graph {
        let mut builder = GraphBuilder::new(r, strong_conditions);
        let mut budget = usize::MAX;
        builder.step(&mut budget);
        builder.finish()
    }

    /// Bytes held by the graph's arrays.
    fn bytes(&self) -> u64 {
        let per_state = (self.fps.capacity() + self.bits.capacity() + self.offsets.capacity()) as u64 * 8;
        per_state + (self.targets.capacity() + self.labels.capacity()) as u64 * 4
    }

    pub fn len(&self) -> usize {
        self.fps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fps.is_empty()
    }

    fn edges(&self, v: u32) -> std::ops::Range<usize> {
        self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize
    }

    fn obligations(&self) -> usize {
        self.strong.len()
    }

    /// Whether obligation `o` is enabled at `v` (some state-changing edge belongs to it).
    fn enabled_set(&self, v: u32, out: &mut [bool]) {
        out.iter_mut().for_each(|b| *b = false);
        for e in self.edges(v) {
            for &o in &self.label_obligations[self.labels[e] as usize] {
                out[o as usize] = true;
            }
        }
    }

    fn none_enabled(&self, v: u32) -> bool {
        self.edges(v).all(|e| self.label_obligations[self.labels[e] as usize].is_empty())
    }
}

/// The strongly connected components of the subgraph induced by `vs` with at least two states
/// (no self-loops are recorded, so a single state never forms a cycle). Iterative Tarjan.
/// `pos` is scratch of one entry per state of the graph.
pub fn sccs(g: &Graph, vs: &[u32], pos: &mut [u32], out: &mut Vec<Vec<u32>>) {
    let mut t = Tarjan::new(vs.to_vec(), pos);
    let mut budget = usize::MAX;
    t.step(g, pos, &mut budget);
    out.append(&mut t.out);
}

/// Tarjan's algorithm on the subgraph induced by `vs`, iterative and resumable: [`Tarjan::step`]
/// visits a bounded number of edges and returns. `pos[v]` locates `v` in `vs` (set by `new`; a
/// stale entry is recognised because `vs[pos[v]]` is not `v`).
struct Tarjan {
    vs: Vec<u32>,
    index: Vec<u32>,
    low: Vec<u32>,
    on: Vec<bool>,
    stack: Vec<u32>,
    /// The explicit call stack: (local vertex, next edge).
    call: Vec<(u32, usize)>,
    counter: u32,
    root: usize,
    /// The components found with two states or more, as graph ids.
    out: Vec<Vec<u32>>,
}

impl Tarjan {
    fn new(vs: Vec<u32>, pos: &mut [u32]) -> Tarjan {
        for (i, &v) in vs.iter().enumerate() {
            pos[v as usize] = i as u32;
        }
        let m = vs.len();
        Tarjan { vs, index: vec![NONE; m], low: vec![0; m], on: vec![false; m], stack: Vec::new(), call: Vec::new(), counter: 0, root: 0, out: Vec::new() }
    }

    fn local(&self, pos: &[u32], t: u32) -> Option<usize> {
        if t == NONE {
            return None;
        }
        let p = pos[t as usize] as usize;
        (p < self.vs.len() && self.vs[p] == t).then_some(p)
    }

    fn visit(&mut self, g: &Graph, p: usize) {
        self.index[p] = self.counter;
        self.low[p] = self.counter;
        self.counter += 1;
        self.stack.push(p as u32);
        self.on[p] = true;
        self.call.push((p as u32, g.offsets[self.vs[p] as usize] as usize));
    }

    /// Works until done (true) or `budget` edges are spent (false).
    fn step(&mut self, g: &Graph, pos: &[u32], budget: &mut usize) -> bool {
        loop {
            if self.call.is_empty() {
                while self.root < self.vs.len() && self.index[self.root] != NONE {
                    self.root += 1;
                }
                if self.root >= self.vs.len() {
                    return true;
                }
                self.visit(g, self.root);
            }
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            let Some(&(u, e)) = self.call.last() else { continue };
            let u = u as usize;
            let end = g.offsets[self.vs[u] as usize + 1] as usize;
            if e < end {
                if let Some(top) = self.call.last_mut() {
                    top.1 += 1;
                }
                let Some(p) = self.local(pos, g.targets[e]) else { continue };
                if self.index[p] == NONE {
                    self.visit(g, p);
                } else if self.on[p] {
                    self.low[u] = self.low[u].min(self.index[p]);
                }
            } else {
                self.call.pop();
                if let Some(&(parent, _)) = self.call.last() {
                    let pu = parent as usize;
                    self.low[pu] = self.low[pu].min(self.low[u]);
                }
                if self.low[u] == self.index[u] {
                    let mut comp = Vec::new();
                    while let Some(w) = self.stack.pop() {
                        self.on[w as usize] = false;
                        comp.push(self.vs[w as usize]);
                        if w as usize == u {
                            break;
                        }
                    }
                    if comp.len() >= 2 {
                        self.out.push(comp);
                    }
                }
            }
        }
    }
}

/// What the search for a fair behaviour is after, for one property.
struct Goal {
    /// The states the behaviour stays in for ever.
    allowed: Vec<bool>,
    /// States of which the cycle must hold one (`<>[]P`: a ¬P state); `None` for any.
    must: Option<Vec<bool>>,
    /// The states the subgraph is entered from (`None`: every allowed state, reached by the BFS).
    seeds: Option<Vec<u32>>,
}

/// A fair lasso as state ids: `prefix` ends at the cycle's first state; `cycle` (empty for a
/// stutter) lists the states after it, the last stepping back to the prefix's last state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdLasso {
    /// States from an initial one; every step a recorded edge, except that when `from_seed` is
    /// set the prefix starts at a seed whose own BFS path comes first.
    pub prefix: Vec<u32>,
    pub cycle: Vec<u32>,
}

/// A fair component found: its states and obligations discharged.
struct FairSet {
    states: Vec<u32>,
}

/// The fairness test of one set of states (strongly connected): `Ok(())` when fair; `Err(None)`
/// when a weak obligation (or the `must` condition) fails, so no subset can be fair;
/// `Err(Some(removed))` with the states to remove when only strong obligations fail.
fn judge(g: &Graph, set: &[u32], mark: &mut [u32], token: u32, must: Option<&[bool]>) -> Result<(), Option<Vec<u32>>> {
    if let Some(must) = must {
        if !set.iter().any(|&v| must[v as usize]) {
            return Err(None);
        }
    }
    for &v in set {
        mark[v as usize] = token;
    }
    let k = g.obligations();
    let mut taken = vec![false; k];
    let mut enabled_count = vec![0usize; k];
    let mut en = vec![false; k];
    for &v in set {
        g.enabled_set(v, &mut en);
        for (o, &b) in en.iter().enumerate() {
            if b {
                enabled_count[o] += 1;
            }
        }
        for e in g.edges(v) {
            let t = g.targets[e];
            if t != NONE && mark[t as usize] == token {
                for &o in &g.label_obligations[g.labels[e] as usize] {
                    taken[o as usize] = true;
                }
            }
        }
    }
    let mut bad_strong = Vec::new();
    for o in 0..k {
        if taken[o] {
            continue;
        }
        if g.strong[o] {
            if enabled_count[o] > 0 {
                bad_strong.push(o);
            }
        } else if enabled_count[o] == set.len() {
            return Err(None);
        }
    }
    if bad_strong.is_empty() {
        return Ok(());
    }
    let mut removed = Vec::new();
    for &v in set {
        g.enabled_set(v, &mut en);
        if bad_strong.iter().any(|&o| en[o]) {
            removed.push(v);
        }
    }
    Err(Some(removed))
}

/// The search of one property's subgraph for a fair component or a fair stuttering state,
/// resumable: [`Search::step`] does a bounded amount of work (edges visited) and returns.
struct Search {
    goal: Goal,
    /// Per state: its BFS parent inside the subgraph (`NONE` for a seed or outside).
    sub_parent: Vec<u32>,
    in_sub: Vec<bool>,
    /// The subgraph's states in BFS order, and each state's place in it.
    order: Vec<u32>,
    rank: Vec<u32>,
    queue: VecDeque<u32>,
    /// The subgraph is complete.
    sub_done: bool,
    pos: Vec<u32>,
    mark: Vec<u32>,
    token: u32,
    tarjan: Option<Tarjan>,
    /// Strongly connected sets still to judge.
    work: Vec<Vec<u32>>,
    /// The fair component with the shallowest entry so far: (entry rank, states).
    best: Option<(u32, FairSet)>,
    /// Every component is judged: the next slice builds the lasso (if any).
    lasso_next: bool,
    /// The states of `order` scanned for one that may stutter for ever, and the first found.
    stutter_scan: usize,
    stutter: Option<u32>,
    /// The best fair component's cycle, being built.
    cycle: Option<CycleBuilder>,
}

impl Search {
    fn new(g: &Graph, goal: Goal) -> Search {
        let n = g.len();
        let mut search = Search {
            sub_parent: vec![NONE; n],
            in_sub: vec![false; n],
            order: Vec::new(),
            rank: Vec::new(),
            queue: VecDeque::new(),
            sub_done: false,
            pos: vec![0; n],
            mark: vec![0; n],
            token: 0,
            tarjan: None,
            work: Vec::new(),
            best: None,
            lasso_next: false,
            stutter_scan: 0,
            stutter: None,
            cycle: None,
            goal,
        };
        match &search.goal.seeds {
            Some(seeds) => {
                for &s in seeds {
                    if search.goal.allowed[s as usize] && !search.in_sub[s as usize] {
                        search.in_sub[s as usize] = true;
                        search.queue.push_back(s);
                    }
                }
            }
            None => {
                for v in 0..n as u32 {
                    if search.goal.allowed[v as usize] {
                        search.in_sub[v as usize] = true;
                        search.order.push(v);
                    }
                }
            }
        }
        search
    }

    /// Works until the search is over, `budget` is spent, or its next allocation would take more
    /// than `room` bytes.
    fn step(&mut self, g: &Graph, parent: &dyn Fn(u32) -> Option<u32>, mut budget: usize, room: u64) -> SearchStep {
        // The subgraph: states reachable from the seeds inside `allowed`, with a BFS parent.
        while !self.sub_done {
            let Some(u) = self.queue.pop_front() else {
                self.sub_done = true;
                self.rank = vec![NONE; g.len()];
                for (i, &v) in self.order.iter().enumerate() {
                    self.rank[v as usize] = i as u32;
                }
                self.tarjan = Some(Tarjan::new(self.order.clone(), &mut self.pos));
                break;
            };
            self.order.push(u);
            for e in g.edges(u) {
                let t = g.targets[e];
                if t != NONE && self.goal.allowed[t as usize] && !self.in_sub[t as usize] {
                    self.in_sub[t as usize] = true;
                    self.sub_parent[t as usize] = u;
                    self.queue.push_back(t);
                }
            }
            budget = budget.saturating_sub(g.edges(u).len() + 1);
            if budget == 0 {
                return SearchStep::Working;
            }
        }
        loop {
            if let Some(tarjan) = self.tarjan.as_mut() {
                if !tarjan.step(g, &self.pos, &mut budget) {
                    return SearchStep::Working;
                }
                self.work.append(&mut tarjan.out);
                self.tarjan = None;
            }
            let Some(set) = self.work.pop() else { break };
            budget = budget.saturating_sub(set.len());
            self.token += 1;
            match judge(g, &set, &mut self.mark, self.token, self.goal.must.as_deref()) {
                Ok(()) => {
                    let entry = set.iter().map(|&v| self.rank[v as usize]).min().unwrap_or(NONE);
                    if self.best.as_ref().is_none_or(|(r, _)| entry < *r) {
                        self.best = Some((entry, FairSet { states: set }));
                    }
                }
                Err(None) => {}
                Err(Some(removed)) => {
                    self.token += 1;
                    for &v in &removed {
                        self.mark[v as usize] = self.token;
                    }
                    let rest: Vec<u32> = set.into_iter().filter(|&v| self.mark[v as usize] != self.token).collect();
                    self.tarjan = Some(Tarjan::new(rest, &mut self.pos));
                }
            }
            if budget == 0 {
                return SearchStep::Working;
            }
        }
        // The lasso in a slice of its own, so the progress can say so.
        if !self.lasso_next {
            self.lasso_next = true;
            return SearchStep::Working;
        }
        // The best stuttering state: the first in BFS order.
        let must = self.goal.must.as_deref();
        while self.stutter_scan < self.order.len() && self.stutter.is_none() {
            if budget == 0 {
                return SearchStep::Working;
            }
            let v = self.order[self.stutter_scan];
            budget = budget.saturating_sub(g.edges(v).len() + 1);
            if must.is_none_or(|m| m[v as usize]) && g.none_enabled(v) {
                self.stutter = Some(v);
            }
            self.stutter_scan += 1;
        }
        // The best fair component's cycle, through its state nearest the initial states.
        if self.cycle.is_none() {
            if let Some((_, fair)) = &self.best {
                let bytes = CycleBuilder::bytes_needed(fair.states.len(), g.obligations());
                if bytes > room {
                    return SearchStep::Over { what: "the lasso's cycle", bytes };
                }
            }
            if let Some((_, fair)) = self.best.take() {
                let entry = fair.states.iter().copied().min_by_key(|&v| self.rank[v as usize]).unwrap_or(fair.states[0]);
                self.cycle = Some(CycleBuilder::new(g, fair.states, entry, &mut self.pos));
            }
        }
        if let Some(cycle) = self.cycle.as_mut() {
            if !cycle.step(g, &self.pos, must, &mut budget) {
                return SearchStep::Working;
            }
        }
        SearchStep::Done(self.lasso(parent))
    }

    /// What [`Search::new`] and the search's later arrays take for a graph of `n` states, at
    /// most: the goal (allowed, must: a byte each; seeds: 4), the BFS (parent 4, in_sub 1, order 4,
    /// queue 4, rank 4), scratch (pos, mark: 4 each) and Tarjan's arrays (vs, index, low: 4 each;
    /// on-stack 1; stack 4; call stack 16; components out 4).
    fn bytes_needed(n: usize) -> u64 {
        n as u64 * ((1 + 1 + 4) + (4 + 1 + 4 + 4 + 4) + (4 + 4) + (4 + 4 + 4 + 1 + 4 + 16 + 4))
    }

    /// Bytes held now.
    fn bytes(&self) -> u64 {
        let goal = self.goal.allowed.capacity() + self.goal.must.as_ref().map_or(0, Vec::capacity) + self.goal.seeds.as_ref().map_or(0, Vec::capacity) * 4;
        let words =
            (self.sub_parent.capacity() + self.order.capacity() + self.rank.capacity() + self.queue.capacity() + self.pos.capacity() + self.mark.capacity())
                * 4;
        let tarjan = self.tarjan.as_ref().map_or(0, |t| {
            (t.vs.capacity() + t.index.capacity() + t.low.capacity() + t.stack.capacity()) * 4
                + t.on.capacity()
                + t.call.capacity() * 16
                + t.out.iter().map(|c| c.capacity() * 4).sum::<usize>()
        });
        let work: usize = self.work.iter().map(|c| c.capacity() * 4).sum();
        (goal + self.in_sub.capacity() + words + tarjan + work) as u64 + self.cycle.as_ref().map_or(0, CycleBuilder::bytes)
    }

    /// What the search is doing, for the progress.
    fn stage(&self) -> String {
        if !self.sub_done {
            "its subgraph".to_string()
        } else if !self.lasso_next {
            "fair components".to_string()
        } else {
            match self.cycle.as_ref().and_then(|c| c.needs_left().map(|n| (n, c.cycle.len()))) {
                Some((needs, states)) => {
                    format!(
                        "the shortest lasso (its cycle: {} so far, {} to meet)",
                        plural(states, "state", "states"),
                        plural(needs, "requirement", "requirements")
                    )
                }
                None => "the shortest lasso".to_string(),
            }
        }
    }

    /// The shortest lasso found: the best fair component's, or a stutter's if shorter.
    fn lasso(&mut self, parent: &dyn Fn(u32) -> Option<u32>) -> Option<IdLasso> {
        let sub_parent = &self.sub_parent;
        // The prefix from an initial state to `v`.
        let prefix_to = |v: u32| -> Vec<u32> {
            let mut ids = vec![v];
            let mut cur = v;
            while sub_parent[cur as usize] != NONE {
                cur = sub_parent[cur as usize];
                ids.push(cur);
            }
            while let Some(p) = parent(cur) {
                cur = p;
                ids.push(cur);
            }
            ids.reverse();
            ids
        };
        let cycle_lasso = self.cycle.take().map(|c| {
            let entry = c.entry;
            IdLasso { prefix: prefix_to(entry), cycle: c.into_cycle() }
        });
        let stutter_lasso = self.stutter.map(|v| IdLasso { prefix: prefix_to(v), cycle: Vec::new() });
        match (cycle_lasso, stutter_lasso) {
            (Some(c), Some(s)) => Some(if s.prefix.len() <= c.prefix.len() + c.cycle.len() { s } else { c }),
            (c, s) => c.or(s),
        }
    }
}

/// What a slice of a [`Search`] came to.
enum SearchStep {
    /// More to do.
    Working,
    /// The next step would allocate `bytes` for `what`, more than the room it was given.
    Over { what: &'static str, bytes: u64 },
    /// The search is over: the shortest fair lasso breaking the property, if any.
    Done(Option<IdLasso>),
}

/// A requirement the cycle must meet: visit one of some states, or take an edge of some
/// obligation.
#[derive(Clone, Copy)]
enum Need {
    /// A weak obligation: take it, or visit a state where it is disabled.
    Weak(u32),
    /// A strong obligation enabled somewhere in the set: take it.
    Strong(u32),
    /// Visit a `must` state.
    Must,
}

/// A cycle through `entry` inside the strongly connected `set` that meets every requirement,
/// built a slice at a time ([`CycleBuilder::step`]): first the obligations enabled at each state
/// of the set (once per state), then greedy breadth-first searches inside the set to the nearest
/// state or edge that discharges an outstanding requirement, and at last back to `entry`.
struct CycleBuilder {
    set: Vec<u32>,
    entry: u32,
    /// Per state of `set` (by its place there), `words` words of bits: the obligations enabled
    /// there. Filled for the first `enabled_done` states.
    enabled: Vec<u64>,
    words: usize,
    enabled_done: usize,
    /// The obligations enabled somewhere in the set, as bits.
    somewhere: Vec<u64>,
    /// The requirements still to meet; `None` until every state's enabled set is known.
    needs: Option<Vec<Need>>,
    cycle: Vec<u32>,
    current: u32,
    /// The breadth-first search under way (`searching`): its queue (graph ids) and, per state of
    /// the set, the number of the search that reached it, from which state and by which edge.
    searching: bool,
    queue: VecDeque<u32>,
    search_number: u32,
    seen: Vec<u32>,
    from: Vec<u32>,
    via: Vec<usize>,
    done: bool,
}

impl CycleBuilder {
    /// What [`CycleBuilder::new`] allocates for a set of `m` states and `k` obligations (the
    /// queue and the cycle, which grow as it works, are counted by [`CycleBuilder::bytes`]).
    fn bytes_needed(m: usize, k: usize) -> u64 {
        let words = k.div_ceil(64) as u64;
        let m = m as u64;
        m * words * 8 + m * (4 + 4 + 8) + words * 8
    }

    /// `pos` is scratch of one entry per state of the graph: it locates each state of `set` there.
    fn new(g: &Graph, set: Vec<u32>, entry: u32, pos: &mut [u32]) -> CycleBuilder {
        for (i, &v) in set.iter().enumerate() {
            pos[v as usize] = i as u32;
        }
        let m = set.len();
        let words = g.obligations().div_ceil(64);
        CycleBuilder {
            enabled: vec![0; m * words],
            words,
            enabled_done: 0,
            somewhere: vec![0; words],
            needs: None,
            cycle: Vec::new(),
            current: entry,
            searching: false,
            queue: VecDeque::new(),
            search_number: 0,
            seen: vec![0; m],
            from: vec![NONE; m],
            via: vec![0; m],
            done: false,
            set,
            entry,
        }
    }

    fn bytes(&self) -> u64 {
        let arrays = (self.enabled.capacity() + self.somewhere.capacity()) * 8 + (self.seen.capacity() + self.from.capacity()) * 4 + self.via.capacity() * 8;
        (arrays + self.queue.capacity() * 4 + self.cycle.capacity() * 4 + self.set.capacity() * 4) as u64
    }

    /// The place of `t` in the set, if it is there.
    fn local(&self, pos: &[u32], t: u32) -> Option<usize> {
        if t == NONE {
            return None;
        }
        let p = pos[t as usize] as usize;
        (p < self.set.len() && self.set[p] == t).then_some(p)
    }

    fn is_enabled(&self, local: usize, o: u32) -> bool {
        self.enabled[local * self.words + o as usize / 64] & (1 << (o % 64)) != 0
    }

    /// Whether being at `v` (in the set) meets `need`: a weak obligation disabled there, or a
    /// `must` state.
    fn state_meets(&self, pos: &[u32], must: Option<&[bool]>, need: Need, v: u32) -> bool {
        match need {
            Need::Weak(o) => self.local(pos, v).is_some_and(|l| !self.is_enabled(l, o)),
            Need::Strong(_) => false,
            Need::Must => must.is_some_and(|m| m[v as usize]),
        }
    }

    fn edge_meets(g: &Graph, need: Need, e: usize) -> bool {
        match need {
            Need::Weak(o) | Need::Strong(o) => g.label_obligations[g.labels[e] as usize].contains(&o),
            Need::Must => false,
        }
    }

    /// The requirements still to meet, for the progress.
    fn needs_left(&self) -> Option<usize> {
        self.needs.as_ref().map(Vec::len)
    }

    /// Works until the cycle is complete (true) or `budget` edges are spent (false).
    fn step(&mut self, g: &Graph, pos: &[u32], must: Option<&[bool]>, budget: &mut usize) -> bool {
        // The obligations enabled at each state, once per state.
        while self.enabled_done < self.set.len() {
            if *budget == 0 {
                return false;
            }
            let v = self.set[self.enabled_done];
            *budget = budget.saturating_sub(g.edges(v).len() + 1);
            let row = self.enabled_done * self.words;
            for e in g.edges(v) {
                for &o in &g.label_obligations[g.labels[e] as usize] {
                    self.enabled[row + o as usize / 64] |= 1 << (o % 64);
                }
            }
            for w in 0..self.words {
                self.somewhere[w] |= self.enabled[row + w];
            }
            self.enabled_done += 1;
        }
        if self.needs.is_none() {
            let mut needs: Vec<Need> = Vec::new();
            for o in 0..g.obligations() as u32 {
                if self.somewhere[o as usize / 64] & (1 << (o % 64)) == 0 {
                    continue; // disabled everywhere in the set: met by any cycle
                }
                needs.push(if g.strong[o as usize] { Need::Strong(o) } else { Need::Weak(o) });
            }
            if must.is_some() {
                needs.push(Need::Must);
            }
            needs.retain(|&nd| !self.state_meets(pos, must, nd, self.entry));
            self.needs = Some(needs);
        }
        while !self.done {
            let back_home = self.needs.as_ref().is_none_or(Vec::is_empty);
            if !self.searching {
                if back_home && self.current == self.entry && !self.cycle.is_empty() {
                    self.done = true;
                    break;
                }
                // A BFS inside the set from `current` to the first edge that discharges a need
                // (or, with none left, leads back to `entry`).
                self.search_number += 1;
                let Some(start) = self.local(pos, self.current) else {
                    self.done = true; // cannot happen: the cycle stays in the set
                    break;
                };
                self.seen[start] = self.search_number;
                self.from[start] = NONE;
                self.queue.clear();
                self.queue.push_back(self.current);
                self.searching = true;
            }
            if *budget == 0 {
                return false;
            }
            let mut found: Option<(u32, usize, u32)> = None;
            while let Some(u) = self.queue.pop_front() {
                *budget = budget.saturating_sub(g.edges(u).len() + 1);
                for e in g.edges(u) {
                    let t = g.targets[e];
                    let Some(lt) = self.local(pos, t) else { continue };
                    let hit = if back_home {
                        t == self.entry
                    } else {
                        let needs = self.needs.as_deref().unwrap_or_default();
                        needs.iter().any(|&nd| Self::edge_meets(g, nd, e) || self.state_meets(pos, must, nd, t))
                    };
                    if hit {
                        found = Some((u, e, t));
                        break;
                    }
                    if self.seen[lt] != self.search_number {
                        self.seen[lt] = self.search_number;
                        self.from[lt] = u;
                        self.via[lt] = e;
                        self.queue.push_back(t);
                    }
                }
                if found.is_some() || *budget == 0 {
                    break;
                }
            }
            let Some((u, e, t)) = found else {
                if self.queue.is_empty() {
                    self.done = true; // cannot happen in a strongly connected set
                    break;
                }
                return false;
            };
            self.searching = false;
            let mut path = vec![(t, e)];
            let mut cur = u;
            while cur != self.current {
                let Some(l) = self.local(pos, cur) else { break };
                path.push((cur, self.via[l]));
                cur = self.from[l];
            }
            path.reverse();
            *budget = budget.saturating_sub(path.len());
            let mut needs = self.needs.take().unwrap_or_default();
            for &(v, e) in &path {
                needs.retain(|&nd| !(Self::edge_meets(g, nd, e) || self.state_meets(pos, must, nd, v)));
                self.cycle.push(v);
            }
            self.needs = Some(needs);
            self.current = t;
        }
        true
    }

    /// The cycle, once [`CycleBuilder::step`] has said it is complete: the states after `entry`,
    /// the last stepping back to it.
    fn into_cycle(mut self) -> Vec<u32> {
        // The cycle ends at `entry`: drop that last state (it is the prefix's last state).
        if self.cycle.last() == Some(&self.entry) {
            self.cycle.pop();
        }
        self.cycle
    }
}

/// The most temporal properties a check judges: each has two predicate bits (P and Q) in a
/// state's 64-bit word of [`Recorder`].
pub const MAX_TEMPORAL_PROPERTIES: usize = 32;

/// Whether the checker can judge `model`'s temporal properties: refused, with the reason, when
/// there are more than [`MAX_TEMPORAL_PROPERTIES`].
pub fn check_property_count<M: Model>(model: &M) -> Result<(), String> {
    let n = model.liveness().len();
    if n > MAX_TEMPORAL_PROPERTIES {
        return Err(format!(
            "{} temporal properties in one config, but a liveness check judges at most {MAX_TEMPORAL_PROPERTIES} (each takes two bits of a 64-bit word per state): split them over several configs",
            n
        ));
    }
    Ok(())
}

/// A check of invariants, action properties and liveness properties, resumable like
/// [`Checker::run`].
pub struct LivenessChecker<M: Model> {
    checker: Checker<M>,
    /// The state graph being built from the search's recorder, a slice at a time.
    builder: Option<GraphBuilder>,
    graph: Option<Graph>,
    /// The next property to check, once the search is done, and the search of its subgraph.
    next_property: usize,
    search: Option<Search>,
    outcome: Option<Outcome<M>>,
    phase: Option<String>,
    /// The temporal properties judged so far, and whether each holds on every fair behaviour.
    verdicts: Vec<(&'static str, bool)>,
    edges: usize,
    started: Option<web_time::Instant>,
    finished_seconds: Option<f64>,
    /// Why the run ended without a verdict it should have reached (a lasso that could not be
    /// replayed into states).
    error: Option<String>,
    /// The memory ceiling of the liveness phase ([`CheckOptions::max_memory`]; the search
    /// checks its own).
    max_memory: Option<u64>,
}

impl<M: Model> LivenessChecker<M> {
    /// A check without symmetry (symmetry and liveness do not mix soundly). Panics when the model
    /// has more temporal properties than a check judges ([`LivenessChecker::try_new`] says so
    /// instead; the catalogue refuses such a model when it builds it).
    pub fn new(model: Arc<M>, options: CheckOptions) -> Self {
        Self::try_new(model, options).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A check without symmetry, or why the model's temporal properties cannot be judged.
    pub fn try_new(model: Arc<M>, mut options: CheckOptions) -> Result<Self, String> {
        check_property_count(model.as_ref())?;
        options.symmetry = false;
        options.threads = 1;
        let max_memory = options.max_memory;
        let mut checker = Checker::new(model, options);
        checker.recorder = Some(Recorder::default());
        Ok(LivenessChecker {
            max_memory,
            checker,
            builder: None,
            graph: None,
            next_property: 0,
            search: None,
            outcome: None,
            phase: None,
            verdicts: Vec::new(),
            edges: 0,
            started: None,
            finished_seconds: None,
            error: None,
        })
    }

    pub fn model(&self) -> &Arc<M> {
        self.checker.model()
    }

    pub fn cancel(&mut self) {
        if self.outcome.is_none() {
            self.finished_seconds = self.started.map(|t| t.elapsed().as_secs_f64());
            self.checker.cancel();
            self.outcome = Some(Outcome::Incomplete(StopReason::Cancelled));
        }
    }

    pub fn progress(&self) -> Progress {
        let mut p = self.checker.progress();
        p.phase = self.phase.clone();
        // The whole run: the search and the liveness phase.
        p.seconds = match (self.finished_seconds, self.started) {
            (Some(s), _) => s,
            (None, Some(t)) => t.elapsed().as_secs_f64(),
            (None, None) => 0.0,
        };
        p
    }

    pub fn footprint(&self) -> Footprint {
        let mut f = self.checker.footprint();
        if let Some(g) = &self.graph {
            let n = g.len().max(1) as f64;
            let state_bytes = g.fps.capacity() * 8 + g.bits.capacity() * 8 + g.offsets.capacity() * 8;
            f.bytes_per_state += state_bytes as f64 / n;
            f.bytes_per_edge = Some((g.targets.capacity() * 4 + g.labels.capacity() * 4) as f64 / g.targets.len().max(1) as f64);
        } else if f.bytes_per_edge.is_none() {
            f.bytes_per_edge = Some(if self.edges > 0 { 8.0 } else { 0.0 });
        }
        f
    }

    /// Whether the search has ended: every reachable state expanded, every invariant checked.
    pub fn search_complete(&self) -> bool {
        self.checker.recorder.is_none()
    }

    /// The temporal properties judged so far, in config order, and whether each holds on every
    /// fair behaviour (the last one `false` when a lasso breaks it).
    pub fn verdicts(&self) -> &[(&'static str, bool)] {
        &self.verdicts
    }

    /// The outcome once the run has ended: the search's own, or the first liveness violation.
    pub fn outcome(&self) -> Option<&Outcome<M>> {
        self.outcome.as_ref()
    }

    /// Why the run ended without the verdict it should have reached, if it did: a lasso the
    /// state graph holds could not be replayed into states (the outcome is then
    /// `Incomplete(Cancelled)`, there being no stop reason for it).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Does a bounded slice of work (up to `budget` expansions of the search, or about
    /// `8 × budget` states or edges of the liveness phase); true once the run has ended.
    pub fn run(&mut self, budget: usize) -> bool {
        if self.outcome.is_some() {
            return true;
        }
        if self.started.is_none() {
            self.started = Some(web_time::Instant::now());
        }
        let done = self.step(budget);
        if done && self.finished_seconds.is_none() {
            self.finished_seconds = self.started.map(|t| t.elapsed().as_secs_f64());
        }
        done
    }

    /// Bytes the check holds in its liveness phase: the search's structures (still needed for
    /// the lassos' prefixes), the graph or its build, and the current property's search. In a
    /// browser at least the wasm linear memory (it holds everything, free blocks included).
    fn bytes_in_use(&self) -> u64 {
        let known = self.checker.search_bytes()
            + self.builder.as_ref().map_or(0, GraphBuilder::bytes)
            + self.graph.as_ref().map_or(0, Graph::bytes)
            + self.search.as_ref().map_or(0, Search::bytes);
        #[cfg(target_arch = "wasm32")]
        let known = known.max(super::checker::peak_memory_bytes().unwrap_or(0));
        known
    }

    /// The bytes that may still be allocated under the memory ceiling (`u64::MAX` without one).
    fn room(&self) -> u64 {
        match self.max_memory {
            Some(max) => max.saturating_sub(self.bytes_in_use()),
            None => u64::MAX,
        }
    }

    /// Stops the run at the memory ceiling: `what` needs `bytes` more (`None`: has grown past it)
    /// beside `in_use`. The phase says which part of the check, and how much.
    fn stop_for_memory(&mut self, what: &str, bytes: Option<u64>, in_use: u64) {
        self.phase = Some(memory_phase(self.max_memory.unwrap_or(0), what, bytes, in_use));
        self.outcome = Some(Outcome::Incomplete(StopReason::Memory));
    }

    fn step(&mut self, budget: usize) -> bool {
        if self.graph.is_none() && self.builder.is_none() {
            if !self.checker.run(budget) {
                return false;
            }
            match self.checker.outcome() {
                Some(Outcome::Ok) => {}
                Some(Outcome::Violation(v)) => {
                    self.outcome = Some(Outcome::Violation(Violation { kind: v.kind, name: v.name, trace: v.trace.clone(), lasso: None }));
                    return true;
                }
                Some(Outcome::Incomplete(r)) => {
                    self.outcome = Some(Outcome::Incomplete(*r));
                    return true;
                }
                None => return false,
            }
            let recorder = self.checker.recorder.take().unwrap_or_default();
            self.edges = recorder.edges();
            // Resolving the edges needs an index of the states and 4 bytes per edge beside what
            // the search holds: refuse rather than pass the memory ceiling.
            let bytes = GraphBuilder::bytes_needed(&recorder);
            if bytes > self.room().saturating_sub(recorder.bytes() as u64) {
                // The recorder counts as in use in the message, as it was.
                let in_use = self.bytes_in_use() + recorder.bytes() as u64;
                self.stop_for_memory("state graph: its index of the states and a state id per edge", Some(bytes), in_use);
                return true;
            }
            let strong: Vec<bool> = self.model().fairness().iter().map(|f| f.kind == FairnessKind::Strong).collect();
            let builder = GraphBuilder::new(recorder, &strong);
            self.phase = Some(builder.stage());
            self.builder = Some(builder);
            return false;
        }
        if let Some(max) = self.checker.options().max_seconds {
            if self.started.is_some_and(|t| t.elapsed().as_secs_f64() >= max) {
                self.outcome = Some(Outcome::Incomplete(StopReason::MaxSeconds));
                return true;
            }
        }
        // What the liveness phase has grown to since the last slice (queues, components, the
        // cycle) is checked too, not only its up-front allocations.
        if let Some(max) = self.max_memory {
            let in_use = self.bytes_in_use();
            if in_use > max {
                let what = self.phase.as_deref().unwrap_or("liveness").trim_start_matches("liveness: ").to_string();
                self.stop_for_memory(&what, None, in_use);
                return true;
            }
        }
        // A slice of the liveness phase: about as much work as `budget` expansions of the search.
        let units = budget.saturating_mul(8).max(1);
        if let Some(builder) = self.builder.as_mut() {
            let mut left = units;
            if !builder.step(&mut left) {
                self.phase = Some(builder.stage());
                return false;
            }
            let g = self.builder.take().expect("just stepped").finish();
            self.phase = Some(format!("liveness: state graph built ({}, {})", plural(g.len(), "state", "states"), plural(g.targets.len(), "edge", "edges")));
            self.graph = Some(g);
            return false;
        }
        let model = self.checker.model().clone();
        let props = model.liveness();
        if self.next_property >= props.len() {
            self.phase = None;
            self.outcome = Some(Outcome::Ok);
            return true;
        }
        let j = self.next_property;
        let prop = &props[j];
        let room = self.room();
        let graph = self.graph.as_ref().expect("built above");
        if self.search.is_none() {
            let bytes = Search::bytes_needed(graph.len());
            if bytes > room {
                let in_use = self.bytes_in_use();
                self.stop_for_memory(&format!("property {} of {}, {}: its search", j + 1, props.len(), prop.name), Some(bytes), in_use);
                return true;
            }
            let checker = &self.checker;
            self.search = Some(Search::new(graph, goal_of(graph, prop.kind, j, |v| checker.parent_of(v).0.is_none())));
        }
        let checker = &self.checker;
        let search = self.search.as_mut().expect("made above");
        let found = search.step(graph, &|v| checker.parent_of(v).0, units, room);
        self.phase = Some(format!("liveness: property {} of {}, {}: {}", j + 1, props.len(), prop.name, search.stage()));
        let lasso = match found {
            SearchStep::Working => return false,
            SearchStep::Over { what, bytes } => {
                let in_use = self.bytes_in_use();
                self.stop_for_memory(&format!("property {} of {}, {}: {what}", j + 1, props.len(), prop.name), Some(bytes), in_use);
                return true;
            }
            SearchStep::Done(lasso) => lasso,
        };
        self.search = None;
        self.next_property += 1;
        self.verdicts.push((prop.name, lasso.is_none()));
        if let Some(lasso) = lasso {
            match self.replay(&lasso) {
                Ok((trace, kind)) => {
                    self.phase = None;
                    self.outcome = Some(Outcome::Violation(Violation { kind: ViolationKind::Liveness, name: prop.name, trace, lasso: Some(kind) }));
                }
                Err(e) => {
                    let error = format!("{} fails, but the lasso that breaks it could not be replayed: {e}", prop.name);
                    self.phase = Some(format!("liveness: property {} of {}, {}: {error}", j + 1, props.len(), prop.name));
                    self.error = Some(error);
                    self.outcome = Some(Outcome::Incomplete(StopReason::Cancelled));
                }
            }
            return true;
        }
        if self.next_property >= props.len() {
            self.phase = None;
            self.outcome = Some(Outcome::Ok);
            return true;
        }
        false
    }

    /// The typed states and actions of a lasso, replayed from its initial state; an error when
    /// some step of it cannot be taken again (two states sharing a fingerprint, or a model whose
    /// successors are not a function of its state).
    fn replay(&self, lasso: &IdLasso) -> Result<(Path<M>, Lasso), String> {
        let model = self.checker.model();
        let graph = self.graph.as_ref().ok_or("no state graph")?;
        let first = *lasso.prefix.first().ok_or("an empty lasso")?;
        let (_, via) = self.checker.parent_of(first);
        let inits = model.init_states();
        let mut state = inits.get(via as usize).ok_or_else(|| format!("initial state {via} of {} is gone", inits.len()))?.clone();
        let mut path: Path<M> = vec![(None, state.clone())];
        let mut actions = Vec::new();
        let ids: Vec<u32> = lasso.prefix[1..].iter().chain(lasso.cycle.iter()).copied().collect();
        for id in ids {
            let fp = graph.fps[id as usize];
            actions.clear();
            model.actions(&state, &mut actions);
            let step = actions.iter().find_map(|a| model.next_state(&state, a).filter(|t| *t != state && model.fingerprint(t) == fp).map(|t| (a.clone(), t)));
            let Some((a, t)) = step else {
                return Err(format!(
                    "no step from state {} of {} leads to the state the graph records next (fingerprint {fp:#018x}): two states share a fingerprint, or the model's successors are not a function of its state",
                    path.len() - 1,
                    lasso.prefix.len() + lasso.cycle.len()
                ));
            };
            state = t;
            path.push((Some(a), state.clone()));
        }
        let kind = if lasso.cycle.is_empty() { Lasso::Stuttering } else { Lasso::BackTo(lasso.prefix.len() - 1) };
        Ok((path, kind))
    }

    pub fn run_to_end(&mut self) -> &Outcome<M> {
        while !self.run(1 << 16) {}
        self.outcome.as_ref().expect("finished")
    }
}

/// The phase of a check stopped at the memory ceiling `max` (see `LivenessChecker::stop_for_memory`;
/// not generic, so its formatting is compiled once rather than once per model).
fn memory_phase(max: u64, what: &str, bytes: Option<u64>, in_use: u64) -> String {
    let max = mib(max);
    match bytes {
        Some(b) => format!("liveness: {what} needs {} beside the {} in use, past the memory ceiling of {max}", mib(b), mib(in_use)),
        None => format!("liveness: {what} has grown to {} in use, past the memory ceiling of {max}", mib(in_use)),
    }
}

fn goal_of(g: &Graph, kind: Temporal, j: usize, is_init: impl Fn(u32) -> bool) -> Goal {
    let p = |v: usize| g.bits[v] & (1 << (2 * j)) != 0;
    let q = |v: usize| g.bits[v] & (1 << (2 * j + 1)) != 0;
    let n = g.len();
    match kind {
        Temporal::Eventually => {
            Goal { allowed: (0..n).map(|v| !p(v)).collect(), must: None, seeds: Some((0..n as u32).filter(|&v| is_init(v) && !p(v as usize)).collect()) }
        }
        Temporal::AlwaysEventually => Goal { allowed: (0..n).map(|v| !p(v)).collect(), must: None, seeds: None },
        Temporal::EventuallyAlways => Goal { allowed: vec![true; n], must: Some((0..n).map(|v| !p(v)).collect()), seeds: None },
        Temporal::LeadsTo => {
            Goal { allowed: (0..n).map(|v| !q(v)).collect(), must: None, seeds: Some((0..n as u32).filter(|&v| p(v as usize) && !q(v as usize)).collect()) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::{Checks, FairSpec, Fairness, LivenessProperty};
    use crate::engine::value::Value;

    /// A hand-made graph: states `0..n`, actions `(family, from, to)`; the properties' P and Q are
    /// sets of states, fairness by family.
    struct Tiny {
        edges: Vec<(&'static str, u8, u8)>,
        p: Vec<u8>,
        q: Vec<u8>,
        checks: Checks<Tiny>,
        /// Per fairness condition: the families it covers, and whether each family is its own
        /// instance (`\A`) or all are one.
        fair_families: Vec<(Vec<&'static str>, bool)>,
        /// Once set, no state has a successor: a model whose successors are not a function of
        /// its state (so a lasso recorded before cannot be replayed).
        broken: std::sync::atomic::AtomicBool,
    }

    type TinyAction = (&'static str, u8, u8);

    fn fair_instance(m: &Tiny, f: usize, a: &TinyAction) -> Option<u32> {
        let (families, per_family) = &m.fair_families[f];
        let i = families.iter().position(|x| *x == a.0)?;
        Some(if *per_family { i as u32 } else { 0 })
    }

    impl Model for Tiny {
        type State = u8;
        type Action = (&'static str, u8, u8);
        fn init_states(&self) -> Vec<u8> {
            vec![0]
        }
        fn actions(&self, s: &u8, out: &mut Vec<Self::Action>) {
            if self.broken.load(std::sync::atomic::Ordering::Relaxed) {
                return;
            }
            out.extend(self.edges.iter().filter(|e| e.1 == *s).copied());
        }
        fn next_state(&self, s: &u8, a: &Self::Action) -> Option<u8> {
            (a.1 == *s).then_some(a.2)
        }
        fn action_name(&self, a: &Self::Action) -> &'static str {
            a.0
        }
        fn action_label(&self, a: &Self::Action) -> String {
            format!("{}({}->{})", a.0, a.1, a.2)
        }
        fn action_names(&self) -> Vec<&'static str> {
            let mut v: Vec<&'static str> = self.edges.iter().map(|e| e.0).collect();
            v.dedup();
            v
        }
        fn checks(&self) -> &Checks<Self> {
            &self.checks
        }
        fn variables(&self) -> &'static [&'static str] {
            &["x"]
        }
        fn to_tla(&self, s: &u8) -> Vec<Value> {
            vec![Value::Int(*s as i64)]
        }
    }

    fn in_p(m: &Tiny, s: &u8) -> bool {
        m.p.contains(s)
    }
    fn in_q(m: &Tiny, s: &u8) -> bool {
        m.q.contains(s)
    }

    fn fairness(kinds: &[FairnessKind]) -> Vec<Fairness<Tiny>> {
        let instance: [fn(&Tiny, &TinyAction) -> Option<u32>; 2] = [|m, a| fair_instance(m, 0, a), |m, a| fair_instance(m, 1, a)];
        kinds.iter().enumerate().map(|(i, &kind)| Fairness { kind, name: "F", instance: instance[i] }).collect()
    }

    fn tiny(edges: &[(&'static str, u8, u8)], kind: Temporal, p: &[u8], q: &[u8], fair: &[(FairnessKind, &[&'static str], bool)]) -> Tiny {
        Tiny {
            edges: edges.to_vec(),
            p: p.to_vec(),
            q: q.to_vec(),
            checks: Checks::new().fair_spec(Some(FairSpec {
                name: "FairSpec",
                fairness: fairness(&fair.iter().map(|f| f.0).collect::<Vec<_>>()),
                properties: vec![LivenessProperty { name: "Prop", kind, p: in_p, q: (kind == Temporal::LeadsTo).then_some(in_q as fn(&Tiny, &u8) -> bool) }],
            })),
            fair_families: fair.iter().map(|f| (f.1.to_vec(), f.2)).collect(),
            broken: Default::default(),
        }
    }

    /// The verdict: `None` when the property holds, else the lasso's states and its end.
    fn check(m: Tiny) -> Option<(Vec<u8>, Lasso)> {
        check_in_slices(m, 1 << 16)
    }

    /// The same, running `budget` at a time (one expansion, or about eight edges, per slice).
    fn check_in_slices(m: Tiny, budget: usize) -> Option<(Vec<u8>, Lasso)> {
        let mut c = LivenessChecker::new(Arc::new(m), CheckOptions::default());
        while !c.run(budget) {}
        match c.outcome().expect("ended") {
            Outcome::Ok => None,
            Outcome::Violation(v) => {
                assert_eq!(v.kind, ViolationKind::Liveness);
                Some((v.trace.iter().map(|(_, s)| *s).collect(), v.lasso.expect("a lasso")))
            }
            Outcome::Incomplete(r) => panic!("incomplete: {r:?}"),
        }
    }

    const TOGGLE: &[(&str, u8, u8)] = &[("Flip", 0, 1), ("Flip", 1, 0)];
    const WEAK: FairnessKind = FairnessKind::Weak;
    const STRONG: FairnessKind = FairnessKind::Strong;

    #[test]
    fn a_toggle_without_fairness_may_stop_anywhere() {
        // []<>(x = 0): stuttering in 1 for ever is allowed.
        assert_eq!(check(tiny(TOGGLE, Temporal::AlwaysEventually, &[0], &[], &[])), Some((vec![0, 1], Lasso::Stuttering)));
        // <>(x = 1): stuttering in the initial state.
        assert_eq!(check(tiny(TOGGLE, Temporal::Eventually, &[1], &[], &[])), Some((vec![0], Lasso::Stuttering)));
    }

    #[test]
    fn a_toggle_under_weak_fairness() {
        let wf: &[(FairnessKind, &[&str], bool)] = &[(WEAK, &["Flip"], false)];
        assert_eq!(check(tiny(TOGGLE, Temporal::AlwaysEventually, &[0], &[], wf)), None);
        assert_eq!(check(tiny(TOGGLE, Temporal::Eventually, &[1], &[], wf)), None);
        assert_eq!(check(tiny(TOGGLE, Temporal::LeadsTo, &[0], &[1], wf)), None);
        // <>[](x = 0) fails: the fair cycle goes through 1.
        assert_eq!(check(tiny(TOGGLE, Temporal::EventuallyAlways, &[0], &[], wf)), Some((vec![0, 1], Lasso::BackTo(0))));
    }

    /// A spinner: Spin moves between 0 and 1; Go (enabled in 0 only) reaches the goal 2, which
    /// has no successor.
    const SPINNER: &[(&str, u8, u8)] = &[("Spin", 0, 1), ("Go", 0, 2), ("Spin", 1, 0)];

    #[test]
    fn a_spinner_needs_strong_fairness() {
        // Weak fairness on Go alone: Go is disabled in 1, so stopping there is fair.
        let weak: &[(FairnessKind, &[&str], bool)] = &[(WEAK, &["Go"], false)];
        assert_eq!(check(tiny(SPINNER, Temporal::Eventually, &[2], &[], weak)), Some((vec![0, 1], Lasso::Stuttering)));
        // Weak fairness on Spin and on Go: no state may stutter, but the spin is fair (Go is
        // disabled in 1, a state of the cycle).
        let weak_both: &[(FairnessKind, &[&str], bool)] = &[(WEAK, &["Spin"], false), (WEAK, &["Go"], false)];
        assert_eq!(check(tiny(SPINNER, Temporal::Eventually, &[2], &[], weak_both)), Some((vec![0, 1], Lasso::BackTo(0))));
        // Strong fairness on Go (weak on Spin): Go is enabled infinitely often on the spin, so it
        // must be taken: the property holds.
        let strong: &[(FairnessKind, &[&str], bool)] = &[(WEAK, &["Spin"], false), (STRONG, &["Go"], false)];
        assert_eq!(check(tiny(SPINNER, Temporal::Eventually, &[2], &[], strong)), None);
        // Strong fairness on Go alone still lets the behaviour stop in 1.
        assert_eq!(check(tiny(SPINNER, Temporal::Eventually, &[2], &[], &[(STRONG, &["Go"], false)])), Some((vec![0, 1], Lasso::Stuttering)));
        // Weak fairness on Next as a whole: the spin takes Next, so it is fair.
        let next: &[(FairnessKind, &[&str], bool)] = &[(WEAK, &["Spin", "Go"], false)];
        assert_eq!(check(tiny(SPINNER, Temporal::Eventually, &[2], &[], next)), Some((vec![0, 1], Lasso::BackTo(0))));
    }

    #[test]
    fn strong_fairness_refines_a_component() {
        // 0 <-> 1 <-> 3, Go from 0 to the goal 2. Strong fairness on Go removes 0; the cycle
        // 1 <-> 3 that remains is fair and misses the goal.
        let edges: &[(&str, u8, u8)] = &[("Spin", 0, 1), ("Go", 0, 2), ("Spin", 1, 0), ("Spin", 1, 3), ("Spin", 3, 1)];
        let strong: &[(FairnessKind, &[&str], bool)] = &[(STRONG, &["Go"], false), (WEAK, &["Spin"], false)];
        assert_eq!(check(tiny(edges, Temporal::Eventually, &[2], &[], strong)), Some((vec![0, 1, 3], Lasso::BackTo(1))));
    }

    #[test]
    fn per_instance_weak_fairness_and_leads_to() {
        // Two processes A and B, each toggling its own bit: states 0 (00), 1 (A set), 2 (B set),
        // 3 (both). P ~> Q with P = {0}, Q = {3}: "from 00, both bits set eventually".
        let edges: &[(&str, u8, u8)] = &[("A", 0, 1), ("B", 0, 2), ("A", 1, 0), ("B", 1, 3), ("A", 2, 3), ("B", 2, 0), ("A", 3, 2), ("B", 3, 1)];
        // Weak fairness on each process separately does not force both bits at once...
        let each: &[(FairnessKind, &[&str], bool)] = &[(WEAK, &["A", "B"], true)];
        let v = check(tiny(edges, Temporal::LeadsTo, &[0], &[3], each)).expect("fails");
        assert!(matches!(v.1, Lasso::BackTo(_)) && !v.0.contains(&3), "{v:?}");
        // ... and its lasso takes both A and B (each instance must be taken or disabled).
        let m = tiny(edges, Temporal::LeadsTo, &[0], &[3], each);
        let cycle: Vec<u8> = match v.1 {
            Lasso::BackTo(i) => v.0[i..].to_vec(),
            Lasso::Stuttering => unreachable!(),
        };
        let mut fams = std::collections::HashSet::new();
        for (k, s) in cycle.iter().enumerate() {
            let t = cycle[(k + 1) % cycle.len()];
            fams.extend(m.edges.iter().filter(|e| e.1 == *s && e.2 == t).map(|e| e.0));
        }
        assert_eq!(fams.len(), 2, "{cycle:?}");
        // Without fairness the lasso stutters in 00 at once.
        assert_eq!(check(tiny(edges, Temporal::LeadsTo, &[0], &[3], &[])), Some((vec![0], Lasso::Stuttering)));
    }

    /// A ring of `n` states (`Step` from each to the next) with `chords` more steps from each
    /// state to the states after the next: one fair component (weak fairness on `Step`), so
    /// `<>(x = n)` fails with a lasso round the ring.
    fn ring(n: u8, chords: u8) -> Tiny {
        let mut edges = Vec::new();
        for i in 0..n {
            for d in 1..=1 + chords {
                edges.push(("Step", i, ((i as u32 + d as u32) % n as u32) as u8));
            }
        }
        let wf: &[(FairnessKind, &[&str], bool)] = &[(WEAK, &["Step"], false)];
        tiny(&edges, Temporal::Eventually, &[], &[], wf)
    }

    /// Runs `c` a slice of `budget` at a time until its phase starts with `prefix`; the number
    /// of slices that ended with that phase and the run not over, then the slices run.
    fn slices_in_phase(c: &mut LivenessChecker<Tiny>, budget: usize, prefix: &str) -> usize {
        let mut slices = 0;
        while !c.run(budget) {
            if c.progress().phase.is_some_and(|p| p.starts_with(prefix)) {
                slices += 1;
            }
        }
        slices
    }

    #[test]
    fn the_state_graph_is_built_in_slices_and_a_cancel_or_the_time_bound_stops_it() {
        // 250 states and 250 edges: about 60 slices of 8 states or edges each. Before, the whole
        // graph was built in the search's last slice.
        let mut c = LivenessChecker::new(Arc::new(ring(250, 0)), CheckOptions::default());
        assert!(slices_in_phase(&mut c, 1, "liveness: state graph: indexing the states") > 20);
        let mut c = LivenessChecker::new(Arc::new(ring(250, 0)), CheckOptions::default());
        assert!(slices_in_phase(&mut c, 1, "liveness: state graph: resolving the edges") > 20);
        // Slicing changes nothing: the lasso round the ring.
        let want: Vec<u8> = (0..250).collect();
        assert_eq!(check_in_slices(ring(250, 0), 1), Some((want.clone(), Lasso::BackTo(0))));
        assert_eq!(check(ring(250, 0)), Some((want, Lasso::BackTo(0))));
        // A cancel between two slices of the build ends the run there.
        let mut c = LivenessChecker::new(Arc::new(ring(250, 0)), CheckOptions::default());
        while !c.progress().phase.is_some_and(|p| p.starts_with("liveness: state graph: resolving")) {
            assert!(!c.run(1));
        }
        c.cancel();
        assert!(c.run(1));
        assert!(matches!(c.outcome(), Some(Outcome::Incomplete(StopReason::Cancelled))));
        assert!(c.progress().phase.unwrap().starts_with("liveness: state graph: resolving the edges ("));
        // The time bound is checked between slices of the build too (the clock is moved on rather
        // than waited for).
        let options = CheckOptions { max_seconds: Some(60.0), ..CheckOptions::default() };
        let mut c = LivenessChecker::new(Arc::new(ring(250, 0)), options);
        while !c.progress().phase.is_some_and(|p| p.starts_with("liveness: state graph: indexing")) {
            assert!(!c.run(1));
        }
        c.started = web_time::Instant::now().checked_sub(std::time::Duration::from_secs(120));
        assert!(c.run(1));
        assert!(matches!(c.outcome(), Some(Outcome::Incomplete(StopReason::MaxSeconds))));
        assert!(c.progress().phase.unwrap().starts_with("liveness: state graph: indexing the states ("));
    }

    #[test]
    fn the_lasso_cycle_is_built_in_slices_and_a_cancel_stops_it() {
        // The cycle round 250 states takes a breadth-first search of the whole ring, about 30
        // slices of 8 edges. Before, it was built in one slice.
        let mut c = LivenessChecker::new(Arc::new(ring(250, 0)), CheckOptions::default());
        assert!(slices_in_phase(&mut c, 1, "liveness: property 1 of 1, Prop: the shortest lasso (its cycle:") > 20);
        let mut c = LivenessChecker::new(Arc::new(ring(250, 0)), CheckOptions::default());
        while !c.progress().phase.is_some_and(|p| p.contains("the shortest lasso (its cycle:")) {
            assert!(!c.run(1));
        }
        assert!(!c.run(1), "more than one slice");
        c.cancel();
        assert!(c.run(1));
        assert!(matches!(c.outcome(), Some(Outcome::Incomplete(StopReason::Cancelled))));
        assert!(c.verdicts().is_empty());
        // With chords the cycle is shorter than the ring, and the same in any slices.
        let whole = check(ring(250, 3)).expect("fails");
        assert!(whole.0.len() < 250, "{whole:?}");
        assert_eq!(check_in_slices(ring(250, 3), 1), Some(whole));
    }

    #[test]
    fn a_memory_ceiling_stops_the_liveness_phase_before_each_big_allocation() {
        // Each ceiling lies one byte short of what the next allocation needs beside what the run
        // holds then, and is set once the search is over (it checks its own memory).
        let fresh = || LivenessChecker::new(Arc::new(ring(250, 0)), CheckOptions::default());
        let stopped = |c: &mut LivenessChecker<Tiny>| {
            while !c.run(1) {}
            assert!(matches!(c.outcome(), Some(Outcome::Incomplete(StopReason::Memory))));
            c.progress().phase.expect("a phase")
        };
        // The state graph: its index and a state id per edge, beside the search and its record.
        let mut c = fresh();
        while c.builder.is_none() {
            assert!(!c.run(1));
        }
        let b = c.builder.as_ref().unwrap();
        let (in_use, need) = (c.checker.search_bytes() + b.r.bytes() as u64, GraphBuilder::bytes_needed(&b.r));
        assert!(need >= 250 * 4 + 250 * 5, "{need}");
        let mut c = fresh();
        c.max_memory = Some(in_use + need - 1);
        let phase = stopped(&mut c);
        assert!(phase.starts_with("liveness: state graph: its index of the states and a state id per edge needs "), "{phase}");
        assert!(phase.ends_with(&format!(" in use, past the memory ceiling of {}", mib(in_use + need - 1))), "{phase}");
        assert!(c.graph.is_none() && c.builder.is_none());
        let mut c = fresh();
        c.max_memory = Some(in_use + need);
        while c.graph.is_none() {
            assert!(!c.run(1), "the graph fits");
        }
        // The property's search.
        let mut c = fresh();
        while c.graph.is_none() {
            assert!(!c.run(1));
        }
        let ceiling = c.bytes_in_use() + Search::bytes_needed(250);
        c.max_memory = Some(ceiling - 1);
        let phase = stopped(&mut c);
        assert!(phase.starts_with(&format!("liveness: property 1 of 1, Prop: its search needs {} beside ", mib(Search::bytes_needed(250)))), "{phase}");
        assert!(c.search.is_none());
        // The lasso's cycle.
        let mut c = fresh();
        while !c.search.as_ref().is_some_and(|s| s.lasso_next) {
            assert!(!c.run(1));
        }
        c.max_memory = Some(c.bytes_in_use() + CycleBuilder::bytes_needed(250, 1) - 1);
        let phase = stopped(&mut c);
        assert!(phase.starts_with("liveness: property 1 of 1, Prop: the lasso's cycle needs "), "{phase}");
        assert!(c.verdicts().is_empty());
        // What has grown past the ceiling since the last slice stops the next one.
        let mut c = fresh();
        while c.graph.is_none() {
            assert!(!c.run(1));
        }
        c.max_memory = Some(c.bytes_in_use() - 1);
        assert!(stopped(&mut c).starts_with("liveness: state graph built (250 states, 250 edges) has grown to "));
    }

    #[test]
    fn a_lasso_that_cannot_be_replayed_is_an_error_not_a_short_trace() {
        let wf: &[(FairnessKind, &[&str], bool)] = &[(WEAK, &["Spin"], false), (WEAK, &["Go"], false)];
        let m = Arc::new(tiny(SPINNER, Temporal::Eventually, &[2], &[], wf));
        let mut c = LivenessChecker::new(m.clone(), CheckOptions::default());
        while c.progress().phase.is_none() {
            assert!(!c.run(1));
        }
        // The graph is recorded; now the model no longer takes the steps it recorded.
        m.broken.store(true, std::sync::atomic::Ordering::Relaxed);
        while !c.run(1) {}
        assert!(matches!(c.outcome(), Some(Outcome::Incomplete(StopReason::Cancelled))));
        let error = c.error().expect("an error");
        assert!(error.starts_with("Prop fails, but the lasso that breaks it could not be replayed: no step from state 0 of 2 leads to"), "{error}");
        assert!(c.progress().phase.unwrap().contains(error));
    }

    #[test]
    fn more_than_32_temporal_properties_are_refused_when_the_checker_is_made() {
        let with = |n: usize| {
            let mut m = tiny(TOGGLE, Temporal::Eventually, &[1], &[], &[]);
            let props = (0..n).map(|_| LivenessProperty { name: "Prop", kind: Temporal::Eventually, p: in_p, q: None }).collect();
            m.checks = Checks::new().fair_spec(Some(FairSpec { name: "FairSpec", fairness: Vec::new(), properties: props }));
            m
        };
        let e = LivenessChecker::try_new(Arc::new(with(33)), CheckOptions::default()).err().expect("refused");
        assert!(e.starts_with("33 temporal properties in one config, but a liveness check judges at most 32"), "{e}");
        assert_eq!(check_property_count(&with(33)), Err(e));
        // 32 are judged, the last one as the first (each fails: x = 1 is never forced).
        let mut c = LivenessChecker::try_new(Arc::new(with(32)), CheckOptions::default()).expect("accepted");
        assert!(matches!(c.run_to_end(), Outcome::Violation(_)));
        let mut one = LivenessChecker::new(Arc::new(with(1)), CheckOptions::default());
        assert!(matches!(one.run_to_end(), Outcome::Violation(_)));
    }

    #[test]
    fn tarjan_finds_components_without_recursion() {
        // A long chain closed into one cycle, deep enough to overflow a recursive search.
        let n = 200_000u32;
        let mut targets = Vec::new();
        let mut offsets = vec![0u64];
        for v in 0..n {
            targets.push((v + 1) % n);
            offsets.push(targets.len() as u64);
        }
        let g = Graph {
            fps: (0..n as u64).collect(),
            bits: vec![0; n as usize],
            offsets,
            labels: vec![0; targets.len()],
            targets,
            label_obligations: vec![Vec::new()],
            strong: Vec::new(),
        };
        let vs: Vec<u32> = (0..n).collect();
        let mut pos = vec![0; n as usize];
        let mut out = Vec::new();
        sccs(&g, &vs, &mut pos, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].len(), n as usize);
        // Without the closing edge there is no cycle at all.
        let mut out = Vec::new();
        sccs(&g, &vs[1..], &mut pos, &mut out);
        assert!(out.is_empty());
    }

    /// Brute force on tiny graphs: a fair behaviour violating the property exists iff some
    /// strongly connected set of states S (two or more) inside the property's subgraph is fair as a
    /// whole (every weak obligation taken on an edge inside S or disabled at a state of S, every
    /// strong one taken inside S or disabled at all of S), or some state of it may stutter. The
    /// checker must agree on random graphs, and its lassos must be fair violating behaviours.
    #[test]
    fn agrees_with_brute_force_on_random_tiny_graphs() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rnd = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        const FAMS: [&str; 3] = ["A", "B", "C"];
        let kinds = [Temporal::Eventually, Temporal::AlwaysEventually, Temporal::EventuallyAlways, Temporal::LeadsTo];
        let mut violations = 0;
        for round in 0..3000 {
            let n = 2 + rnd(4) as u8;
            let mut edges: Vec<(&'static str, u8, u8)> = Vec::new();
            for _ in 0..1 + rnd(9) {
                let e = (FAMS[rnd(3) as usize], rnd(n as u64) as u8, rnd(n as u64) as u8);
                if !edges.contains(&e) {
                    edges.push(e);
                }
            }
            let subset = |r: &mut dyn FnMut(u64) -> u64| (0..n).filter(|_| r(2) == 0).collect::<Vec<u8>>();
            let p = subset(&mut rnd);
            let q = subset(&mut rnd);
            let kind = kinds[rnd(4) as usize];
            let mut fair: Vec<(FairnessKind, Vec<&'static str>, bool)> = Vec::new();
            for _ in 0..rnd(3) {
                let fams: Vec<&'static str> = FAMS.iter().copied().filter(|_| rnd(2) == 0).collect();
                fair.push((if rnd(2) == 0 { WEAK } else { STRONG }, fams, rnd(2) == 0));
            }
            let fair_ref: Vec<(FairnessKind, &[&'static str], bool)> = fair.iter().map(|f| (f.0, f.1.as_slice(), f.2)).collect();
            let m = tiny(&edges, kind, &p, &q, &fair_ref);
            // The obligations of an edge, and those enabled at a state (self-loops count for nothing).
            let obl = |e: &(&'static str, u8, u8)| -> Vec<(usize, u32)> {
                if e.1 == e.2 {
                    return Vec::new();
                }
                (0..fair.len()).filter_map(|f| fair_instance(&m, f, e).map(|i| (f, i))).collect()
            };
            let enabled = |s: u8| -> Vec<(usize, u32)> { edges.iter().filter(|e| e.1 == s).flat_map(obl).collect() };
            let all_obl: Vec<(usize, u32)> = edges.iter().flat_map(obl).collect();
            let reach = |from: &[u8], inside: &dyn Fn(u8) -> bool| -> Vec<bool> {
                let mut seen = vec![false; n as usize];
                let mut stack: Vec<u8> = from.iter().copied().filter(|&s| inside(s)).collect();
                while let Some(u) = stack.pop() {
                    if std::mem::replace(&mut seen[u as usize], true) {
                        continue;
                    }
                    stack.extend(edges.iter().filter(|e| e.1 == u && e.2 != u && inside(e.2)).map(|e| e.2));
                }
                seen
            };
            let pp = |s: u8| p.contains(&s);
            let qq = |s: u8| q.contains(&s);
            let reachable = reach(&[0], &|_| true);
            let (sub, must): (Vec<bool>, Box<dyn Fn(u8) -> bool>) = match kind {
                Temporal::Eventually => (reach(&[0], &|s| !pp(s)), Box::new(|_| true)),
                Temporal::AlwaysEventually => ((0..n).map(|s| reachable[s as usize] && !pp(s)).collect(), Box::new(|_| true)),
                Temporal::EventuallyAlways => (reachable.clone(), Box::new(move |s| !pp(s))),
                Temporal::LeadsTo => {
                    let seeds: Vec<u8> = (0..n).filter(|&s| reachable[s as usize] && pp(s) && !qq(s)).collect();
                    (reach(&seeds, &|s| !qq(s)), Box::new(|_| true))
                }
            };
            let mut fails = (0..n).any(|s| sub[s as usize] && must(s) && enabled(s).is_empty());
            for mask in 0u32..(1 << n) {
                let set: Vec<u8> = (0..n).filter(|&s| mask & (1 << s) != 0).collect();
                if set.len() < 2 || !set.iter().all(|&s| sub[s as usize]) || !set.iter().any(|&s| must(s)) {
                    continue;
                }
                let strongly = set.iter().all(|&u| {
                    let r = reach(&[u], &|s| mask & (1 << s) != 0);
                    set.iter().all(|&v| r[v as usize])
                });
                if !strongly {
                    continue;
                }
                let inside: Vec<(usize, u32)> = edges.iter().filter(|e| mask & (1 << e.1) != 0 && mask & (1 << e.2) != 0).flat_map(obl).collect();
                let ok = all_obl.iter().all(|o| {
                    inside.contains(o)
                        || match fair[o.0].0 {
                            FairnessKind::Weak => set.iter().any(|&s| !enabled(s).contains(o)),
                            FairnessKind::Strong => set.iter().all(|&s| !enabled(s).contains(o)),
                        }
                });
                fails |= ok;
            }
            let label = format!("round {round}: edges {edges:?}, {kind:?} P {p:?} Q {q:?}, fairness {fair:?}");
            let verdict = check(tiny(&edges, kind, &p, &q, &fair_ref));
            assert_eq!(verdict.is_some(), fails, "{label}: checker says {verdict:?}");
            // Slices of any size give the same answer.
            assert_eq!(check_in_slices(tiny(&edges, kind, &p, &q, &fair_ref), 1), verdict, "{label}: in slices");
            let Some((states, lasso)) = verdict else { continue };
            violations += 1;
            // The lasso: real steps from 0, a closing step or a stutter, fair, violating.
            assert_eq!(states[0], 0, "{label}");
            let step = |a: u8, b: u8| edges.iter().any(|e| e.1 == a && e.2 == b) && a != b;
            assert!(states.windows(2).all(|w| step(w[0], w[1])), "{label}: {states:?}");
            let last = states.len() - 1;
            let (start, mut cycle_edges) = match lasso {
                Lasso::BackTo(i) => {
                    assert!(step(states[last], states[i]), "{label}: {states:?} back to {i}");
                    (i, vec![(states[last], states[i])])
                }
                Lasso::Stuttering => (last, Vec::new()),
            };
            cycle_edges.extend(states[start..].windows(2).map(|w| (w[0], w[1])));
            let cycle = &states[start..];
            let taken: Vec<(usize, u32)> = edges.iter().filter(|e| cycle_edges.contains(&(e.1, e.2))).flat_map(obl).collect();
            for o in &all_obl {
                let ok = taken.contains(o)
                    || match fair[o.0].0 {
                        FairnessKind::Weak => cycle.iter().any(|&s| !enabled(s).contains(o)),
                        FairnessKind::Strong => cycle.iter().all(|&s| !enabled(s).contains(o)),
                    };
                assert!(ok, "{label}: lasso {states:?} {lasso:?} unfair on {o:?}");
            }
            let violated = match kind {
                Temporal::Eventually => states.iter().all(|&s| !pp(s)),
                Temporal::AlwaysEventually => cycle.iter().all(|&s| !pp(s)),
                Temporal::EventuallyAlways => cycle.iter().any(|&s| !pp(s)),
                Temporal::LeadsTo => (0..states.len()).any(|j| pp(states[j]) && !qq(states[j]) && states[j.min(start)..].iter().all(|&s| !qq(s))),
            };
            assert!(violated, "{label}: lasso {states:?} {lasso:?} satisfies the property");
        }
        assert!(violations > 300, "{violations}");
    }
}
