//! The exhaustive checker: breadth-first search over the reachable states, as TLC does it with one
//! worker, so that both agree on every figure (distinct states, states generated, depth, the
//! violated property and the state the search stops at).
//!
//! TLC's rules, measured on TLC 2.15 with small specs:
//! - every successor counts as generated, seen or not, inside the CONSTRAINT or not;
//! - a state outside the CONSTRAINT is checked against the invariants, then dropped: it is not
//!   counted as distinct, not kept and not expanded (and so never a deadlock);
//! - a new state is counted before its invariants are checked; invariants are checked in config
//!   order, before the action properties of the step that produced it;
//! - action properties are checked on every step, including steps to states already seen;
//! - depth is the number of BFS levels holding a kept state (the initial states are level 1).
//!
//! The visited set stores, per distinct state, its 64-bit fingerprint, its parent's id and the
//! position of the action that produced it in the parent's action list (or of the initial state in
//! `Init`). A counterexample is rebuilt by replaying those positions from the initial state, which
//! reproduces exactly the states that were explored, even under an unsound symmetry.
//!
//! The search is resumable: [`Checker::run`] does a bounded slice of work and returns, so a web
//! worker can report progress and take a cancel message between slices.

use super::model::Model;
use super::symmetry::Symmetry;
use hashbrown::HashTable;
use std::collections::VecDeque;
use std::sync::Arc;
use web_time::Instant;

const NO_PARENT: u32 = u32::MAX;

/// Expansions between two checks of the bounds, at most (the sequential search checks every 256,
/// the parallel one after each chunk of 2048): the memory ceiling looks this far ahead.
const MEMORY_LOOKAHEAD: u64 = 2048;

/// The buckets hashbrown uses for `capacity` entries (7/8 of the buckets, a power of two).
fn buckets_for(capacity: usize) -> u64 {
    if capacity < 8 {
        if capacity < 4 {
            4
        } else {
            8
        }
    } else {
        ((capacity as u64).saturating_mul(8) / 7).next_power_of_two()
    }
}

/// The bytes of a hashbrown table of `u64` with this many buckets: one slot and one control byte
/// per bucket, plus a group of trailing control bytes.
fn table_bytes(buckets: u64) -> u64 {
    buckets.saturating_mul(9).saturating_add(16)
}

/// What a check may do.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckOptions {
    /// Reduce by the model's symmetric sets (when it declares any).
    pub symmetry: bool,
    /// Report a state without successors as an error (TLC's default; off here as in the seeds).
    pub deadlock: bool,
    /// Stop cleanly, with a partial result, once this many distinct states are stored.
    pub max_states: Option<u64>,
    /// Stop cleanly, with a partial result, after this many seconds.
    pub max_seconds: Option<f64>,
    /// When reducing by symmetry, also check on every explored state that the symmetry really is
    /// one (see `engine::audit`). Costs about one more successor computation per permutation.
    pub audit_symmetry: bool,
    /// Threads that compute successors (native only; a web worker has one). The search and every
    /// figure are the same for any number: successors are merged in queue order on one thread.
    pub threads: usize,
    /// With `threads` > 1, run each slice on one thread or on all of them, whichever has been
    /// faster on this search (the default; see `Pace`), so more threads are never slower than
    /// one. `false` keeps every thread busy in every slice (the tests that compare the two).
    pub adapt_threads: bool,
    /// Stop cleanly, with a partial result, before the search's memory would pass this many bytes:
    /// checked with the bounds, it stops when the next growth of the visited set, the parent and
    /// action arrays or the queue (each doubles when full) could pass the ceiling before the next
    /// check. Memory is the wasm linear memory in a browser (what a worker runs out of), and the
    /// search's own structures natively. `None` (the default) changes nothing.
    pub max_memory: Option<u64>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            symmetry: true,
            deadlock: false,
            max_states: None,
            max_seconds: None,
            audit_symmetry: true,
            threads: 1,
            adapt_threads: true,
            max_memory: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViolationKind {
    Invariant,
    ActionProperty,
    Deadlock,
    /// A temporal property failed on a fair behaviour (the trace is a lasso).
    Liveness,
}

impl ViolationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKind::Invariant => "invariant",
            ViolationKind::ActionProperty => "action-property",
            ViolationKind::Deadlock => "deadlock",
            ViolationKind::Liveness => "liveness",
        }
    }
}

/// Why a run ended before it had seen every reachable state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    MaxStates,
    MaxSeconds,
    Cancelled,
    /// The next growth of the search's tables could pass [`CheckOptions::max_memory`].
    Memory,
}

impl StopReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::MaxStates => "max-states",
            StopReason::MaxSeconds => "max-seconds",
            StopReason::Cancelled => "cancelled",
            StopReason::Memory => "memory",
        }
    }
}

/// A shortest path to a bad state: the initial state first (with no action), then each step.
pub type Path<M> = Vec<(Option<<M as Model>::Action>, <M as Model>::State)>;

pub struct Violation<M: Model> {
    pub kind: ViolationKind,
    /// The invariant or action property that failed ("Deadlock" for a deadlock).
    pub name: &'static str,
    pub trace: Path<M>,
    /// For a liveness counterexample: how the behaviour goes on after the trace's last state.
    pub lasso: Option<super::trace::Lasso>,
}

pub enum Outcome<M: Model> {
    /// Every reachable state was checked; nothing failed.
    Ok,
    Violation(Violation<M>),
    /// Ended early; the figures cover what was explored.
    Incomplete(StopReason),
}

/// Figures of a run, complete or in progress.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    pub distinct: u64,
    pub generated: u64,
    pub depth: u32,
    /// States waiting to be expanded.
    pub queue: u64,
    pub seconds: f64,
    /// New distinct states found at each BFS level (level 1 = the initial states).
    pub levels: Vec<u64>,
    /// What a check with liveness properties is doing after its search: `None` during the search,
    /// then e.g. `"liveness: ReaderProgress"`.
    #[serde(default)]
    pub phase: Option<String>,
}

impl Progress {
    pub fn states_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.distinct as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// Memory used by the search, for benchmarks and the collision estimate.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Footprint {
    /// Bytes held per distinct state by the visited set (fingerprint, parent, action, table slot).
    pub bytes_per_state: f64,
    /// The largest the BFS queue got, in states, and its bytes (shallow size of a queued state).
    pub peak_queue: u64,
    pub peak_queue_bytes: u64,
    /// TLC's optimistic estimate of the chance that two distinct states shared a fingerprint:
    /// distinct × (generated − distinct) / 2^64.
    pub collision_probability: f64,
    /// The process's peak memory so far, where it can be read: the wasm linear memory in a browser
    /// (it never shrinks), the peak resident set natively on Linux.
    pub peak_memory_bytes: Option<u64>,
    /// With liveness properties: bytes held per recorded edge of the state graph (target, action
    /// label), beside the per-state bytes (which then include fingerprint, predicates, offsets).
    #[serde(default)]
    pub bytes_per_edge: Option<f64>,
}

/// The peak memory of this process (or wasm instance), if the platform says.
pub fn peak_memory_bytes() -> Option<u64> {
    #[cfg(target_arch = "wasm32")]
    {
        Some(core::arch::wasm32::memory_size(0) as u64 * 65536)
    }
    #[cfg(all(not(target_arch = "wasm32"), target_os = "linux"))]
    {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    }
    #[cfg(all(not(target_arch = "wasm32"), not(target_os = "linux")))]
    {
        None
    }
}

/// What became of one successor, decided without touching the visited set (so it can be decided
/// on any thread).
enum Kind {
    /// Back to the state being expanded: stored already, never new, and `[P]_vars` holds.
    Stutter,
    /// Outside the state constraint: checked, not kept.
    Outside,
    /// Inside the constraint, with the fingerprint of its class.
    Inside(u64),
}

struct Successor<M: Model> {
    /// Position of the action in the expanded state's action list.
    k: u32,
    kind: Kind,
    /// The first action property the step breaks (none on a stuttering step: `[P]_vars` holds).
    /// Decided with the successor, so it can be on any thread: it does not depend on what was seen.
    broken: Option<&'static str>,
    next: M::State,
}

/// The fingerprint that identifies `state` (its class under symmetry).
#[inline]
pub(crate) fn key_of<M: Model>(model: &M, symmetry: Option<&Symmetry>, state: &M::State) -> u64 {
    match symmetry.and_then(|sym| sym.representative(model, state)) {
        Some(rep) => model.fingerprint(&rep),
        None => model.fingerprint(state),
    }
}

/// The successors of `state`, in `Next`'s order, each classified. Pure: safe to run on any thread.
fn successors_of<M: Model>(model: &M, symmetry: Option<&Symmetry>, state: &M::State, actions: &mut Vec<M::Action>, out: &mut Vec<Successor<M>>) {
    actions.clear();
    model.actions(state, actions);
    for (k, action) in actions.iter().enumerate() {
        let Some(next) = model.next_state(state, action) else { continue };
        // A stuttering step needs no lookup: skipping it saves a random memory access.
        let kind = if next == *state {
            Kind::Stutter
        } else if model.within_constraint(&next) {
            Kind::Inside(key_of(model, symmetry, &next))
        } else {
            Kind::Outside
        };
        let broken = match kind {
            Kind::Stutter => None,
            _ => model.action_properties().iter().find(|p| !(p.holds)(model, state, &next)).map(|p| p.name),
        };
        out.push(Successor { k: k as u32, kind, broken, next });
    }
}

/// Which is faster on this search, one thread or all of them, measured on the search itself: a
/// model whose states are cheap to expand but costly to allocate and free (crdt's) can run slower
/// on two threads than on one, and the serial merge bounds any gain. The first two windows try
/// one and then all; after that the faster runs, and every eighth window tries the other again,
/// since the search's shape changes with its depth. Rates are successors generated per second,
/// which is the same work in both.
#[derive(Default)]
#[cfg_attr(target_arch = "wasm32", allow(dead_code))] // a web worker has one thread
struct Pace {
    /// Successors per second in the last window on one thread, and on all of them.
    rate: [Option<f64>; 2],
    /// Windows run on one thread, and on all of them.
    windows: [u64; 2],
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
impl Pace {
    fn parallel_next(&self) -> bool {
        match self.rate {
            [None, _] => false,
            [_, None] => true,
            [Some(one), Some(all)] => (all > one) != ((self.windows[0] + self.windows[1]) % 8 == 7),
        }
    }

    fn record(&mut self, parallel: bool, generated: u64, seconds: f64) {
        self.windows[parallel as usize] += 1;
        // A window too short to time (the last of a search) says nothing.
        if generated >= 1024 && seconds > 0.0 {
            self.rate[parallel as usize] = Some(generated as f64 / seconds);
        }
    }
}

pub struct Checker<M: Model> {
    model: Arc<M>,
    options: CheckOptions,
    symmetry: Option<Symmetry>,
    /// The fingerprints of the stored states (the fingerprint is also the table's hash).
    table: HashTable<u64>,
    parent: Vec<u32>,
    via: Vec<u32>,
    queue: VecDeque<(M::State, u32, u32)>,
    peak_queue: usize,
    levels: Vec<u64>,
    generated: u64,
    started: Option<Instant>,
    finished_seconds: Option<f64>,
    outcome: Option<Outcome<M>>,
    actions: Vec<M::Action>,
    /// The first way the declared symmetry failed the audit, if it did.
    symmetry_problem: Option<String>,
    /// Reused buffer of one state's successors.
    successors: Vec<Successor<M>>,
    /// The most successors one state has had so far (bounds the growth between two checks of
    /// the memory ceiling).
    max_fanout: usize,
    /// The state graph, recorded for a liveness check (see `engine::liveness`).
    pub(crate) recorder: Option<super::liveness::Recorder>,
    /// One thread or all (with `threads` > 1).
    pace: Pace,
}

impl<M: Model> Checker<M> {
    pub fn new(model: Arc<M>, options: CheckOptions) -> Self {
        let symmetry = if options.symmetry { Symmetry::of(model.as_ref()) } else { None };
        Checker {
            model,
            options,
            symmetry,
            table: HashTable::new(),
            parent: Vec::new(),
            via: Vec::new(),
            queue: VecDeque::new(),
            peak_queue: 0,
            levels: Vec::new(),
            generated: 0,
            started: None,
            finished_seconds: None,
            outcome: None,
            actions: Vec::new(),
            symmetry_problem: None,
            successors: Vec::new(),
            max_fanout: 0,
            recorder: None,
            pace: Pace::default(),
        }
    }

    /// The BFS parent of stored state `id` (`None` for an initial state) and the position of the
    /// action that reached it (or of the initial state in `Init`).
    pub(crate) fn parent_of(&self, id: u32) -> (Option<u32>, u32) {
        let p = self.parent[id as usize];
        ((p != NO_PARENT).then_some(p), self.via[id as usize])
    }

    /// Whether symmetry reduction is in effect (asked for, and the model declares symmetric sets).
    pub fn uses_symmetry(&self) -> bool {
        self.symmetry.is_some()
    }

    /// What the symmetry audit found wrong, if anything (only when symmetry is in use and audited).
    pub fn symmetry_problem(&self) -> Option<&str> {
        self.symmetry_problem.as_deref()
    }

    fn auditing(&self) -> bool {
        self.options.audit_symmetry && self.symmetry.is_some() && self.symmetry_problem.is_none()
    }

    pub fn model(&self) -> &Arc<M> {
        &self.model
    }

    pub fn options(&self) -> &CheckOptions {
        &self.options
    }

    pub fn outcome(&self) -> Option<&Outcome<M>> {
        self.outcome.as_ref()
    }

    /// Ends the run; the figures so far stand as a partial result.
    pub fn cancel(&mut self) {
        if self.outcome.is_none() {
            self.finish(Outcome::Incomplete(StopReason::Cancelled));
        }
    }

    fn seconds(&self) -> f64 {
        match (self.finished_seconds, self.started) {
            (Some(s), _) => s,
            (None, Some(t)) => t.elapsed().as_secs_f64(),
            (None, None) => 0.0,
        }
    }

    fn finish(&mut self, outcome: Outcome<M>) {
        self.finished_seconds = Some(self.started.map(|t| t.elapsed().as_secs_f64()).unwrap_or(0.0));
        self.outcome = Some(outcome);
    }

    pub fn progress(&self) -> Progress {
        Progress {
            distinct: self.parent.len() as u64,
            generated: self.generated,
            depth: self.levels.len() as u32,
            queue: self.queue.len() as u64,
            seconds: self.seconds(),
            levels: self.levels.clone(),
            phase: None,
        }
    }

    pub fn footprint(&self) -> Footprint {
        let distinct = self.parent.len().max(1) as f64;
        // hashbrown holds one u64 slot and one control byte per bucket; its capacity is 7/8 of the
        // buckets.
        let buckets = (self.table.capacity() * 8).div_ceil(7);
        let recorder = self.recorder.as_ref().map(|r| r.state_bytes()).unwrap_or(0);
        let bytes = buckets * 9 + self.parent.capacity() * 4 + self.via.capacity() * 4 + recorder;
        let d = self.parent.len() as f64;
        let g = self.generated as f64;
        Footprint {
            bytes_per_state: bytes as f64 / distinct,
            peak_queue: self.peak_queue as u64,
            peak_queue_bytes: (self.peak_queue * std::mem::size_of::<(M::State, u32, u32)>()) as u64,
            collision_probability: if self.model.exact_fingerprint() { 0.0 } else { d * (g - d).max(0.0) / 2f64.powi(64) },
            peak_memory_bytes: peak_memory_bytes(),
            bytes_per_edge: self.recorder.as_ref().map(|r| r.edge_bytes() as f64 / r.edges().max(1) as f64),
        }
    }

    /// Stores a new state; `None` if its fingerprint was already stored.
    fn insert(&mut self, fp: u64, parent: u32, via: u32) -> Option<u32> {
        match self.table.entry(fp, |&stored| stored == fp, |&stored| stored) {
            hashbrown::hash_table::Entry::Occupied(_) => None,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(fp);
                let id = self.parent.len() as u32;
                self.parent.push(parent);
                self.via.push(via);
                Some(id)
            }
        }
    }

    fn count_level(&mut self, level: u32) {
        let idx = level as usize - 1;
        if self.levels.len() <= idx {
            self.levels.resize(idx + 1, 0);
        }
        self.levels[idx] += 1;
    }

    /// The explored path from an initial state to stored state `id`.
    pub fn path_to(&self, id: u32) -> Path<M> {
        let mut ids = vec![id];
        while self.parent[*ids.last().unwrap() as usize] != NO_PARENT {
            ids.push(self.parent[*ids.last().unwrap() as usize]);
        }
        ids.reverse();
        let inits = self.model.init_states();
        let mut state = inits[self.via[ids[0] as usize] as usize].clone();
        let mut path: Path<M> = vec![(None, state.clone())];
        let mut actions = Vec::new();
        for &next in &ids[1..] {
            actions.clear();
            self.model.actions(&state, &mut actions);
            let action = actions[self.via[next as usize] as usize].clone();
            state = self.model.next_state(&state, &action).expect("a stored step replays");
            path.push((Some(action), state.clone()));
        }
        path
    }

    fn first_failed_invariant(&self, state: &M::State) -> Option<&'static str> {
        self.model.invariants().iter().find(|inv| !(inv.holds)(&self.model, state)).map(|inv| inv.name)
    }

    fn start(&mut self) {
        self.started = Some(Instant::now());
        if self.auditing() {
            self.symmetry_problem = super::audit::audit_init(self.model.as_ref(), self.symmetry.as_ref().unwrap());
        }
        let inits = self.model.init_states();
        for (i, state) in inits.into_iter().enumerate() {
            self.generated += 1;
            if let Some(name) = self.first_failed_invariant(&state) {
                self.finish(Outcome::Violation(Violation { kind: ViolationKind::Invariant, name, trace: vec![(None, state)], lasso: None }));
                return;
            }
            if !self.model.within_constraint(&state) {
                continue;
            }
            let fp = key_of(self.model.as_ref(), self.symmetry.as_ref(), &state);
            if let Some(id) = self.insert(fp, NO_PARENT, i as u32) {
                if let Some(r) = self.recorder.as_mut() {
                    r.add_state(self.model.as_ref(), fp, &state);
                }
                self.count_level(1);
                self.queue.push_back((state, id, 1));
            }
        }
        self.peak_queue = self.queue.len();
    }

    /// Does up to `budget` state expansions; returns true once the run has ended.
    pub fn run(&mut self, budget: usize) -> bool {
        if self.outcome.is_some() {
            return true;
        }
        if self.started.is_none() {
            self.start();
            if self.outcome.is_some() {
                return true;
            }
            if self.check_bounds() {
                return true;
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        if self.options.threads > 1 && !self.auditing() && self.recorder.is_none() {
            // One thread or all of them, whichever has been faster on this search (see `Pace`):
            // both expand in the same order, so every figure is the same either way.
            let parallel = !self.options.adapt_threads || self.pace.parallel_next();
            let (generated, clock) = (self.generated, Instant::now());
            if parallel {
                self.run_parallel(budget, self.options.threads);
            } else {
                self.run_sequential(budget);
            }
            self.pace.record(parallel, self.generated - generated, clock.elapsed().as_secs_f64());
            return self.outcome.is_some();
        }
        self.run_sequential(budget);
        self.outcome.is_some()
    }

    /// Windows run on one thread and on all of them (see `Pace`).
    pub fn thread_windows(&self) -> [u64; 2] {
        self.pace.windows
    }

    /// Up to `budget` expansions on this thread.
    fn run_sequential(&mut self, budget: usize) {
        let mut actions = std::mem::take(&mut self.actions);
        for n in 0..budget {
            let Some((state, id, level)) = self.queue.pop_front() else {
                self.finish(Outcome::Ok);
                break;
            };
            if let Some(outcome) = self.expand(&state, id, level, &mut actions) {
                self.finish(outcome);
                break;
            }
            if self.queue.len() > self.peak_queue {
                self.peak_queue = self.queue.len();
            }
            if (n & 255 == 255 || n + 1 == budget) && self.check_bounds() {
                break;
            }
        }
        if self.outcome.is_none() && self.queue.is_empty() {
            self.finish(Outcome::Ok);
        }
        self.actions = actions;
    }

    /// Expands up to `budget` states as a pipeline: chunks from the front of the queue become jobs;
    /// `threads - 1` workers compute their successors, and this thread merges the results in
    /// queue order, exactly as the sequential search would (same ids, same figures, same stopping
    /// state). When the result it needs next is not ready, this thread computes a pending job
    /// itself rather than wait. Chunks are only ever taken from the front of the queue and merging
    /// only appends at its back, so the order of expansion is the sequential one.
    ///
    /// The merging thread frees nothing: the expanded states and the successors not kept go back to
    /// the workers to drop, so that the one serial part of the search does only the table's work
    /// (and most memory is freed by the thread that allocated it).
    #[cfg(not(target_arch = "wasm32"))]
    fn run_parallel(&mut self, budget: usize, threads: usize) {
        use std::collections::BTreeMap;
        use std::sync::{mpsc, Condvar, Mutex};
        const CHUNK: usize = 2048;
        type Entry<M> = (<M as Model>::State, u32, u32);
        type Done<M> = (Vec<Entry<M>>, Vec<Successor<M>>, Vec<usize>);
        /// An expanded chunk and the successors it discarded.
        type Garbage<M> = (Vec<Entry<M>>, Vec<<M as Model>::State>);
        struct Jobs<M: Model> {
            pending: VecDeque<(u64, Vec<Entry<M>>)>,
            /// Expanded chunks and discarded successors, for a worker to free.
            garbage: Vec<Garbage<M>>,
            closed: bool,
        }
        fn compute<M: Model>(model: &M, symmetry: Option<&Symmetry>, chunk: Vec<Entry<M>>, actions: &mut Vec<M::Action>) -> Done<M> {
            let (mut out, mut ends) = (Vec::with_capacity(chunk.len() * 8), Vec::with_capacity(chunk.len()));
            for (state, _, _) in &chunk {
                successors_of(model, symmetry, state, actions, &mut out);
                ends.push(out.len());
            }
            (chunk, out, ends)
        }
        let workers = threads - 1;
        let model = self.model.clone();
        let symmetry = self.symmetry.clone();
        let jobs = (Mutex::new(Jobs::<M> { pending: VecDeque::new(), garbage: Vec::new(), closed: false }), Condvar::new());
        std::thread::scope(|scope| {
            let (results_tx, results_rx) = mpsc::channel::<(u64, Done<M>)>();
            for _ in 0..workers {
                let results_tx = results_tx.clone();
                let (model, symmetry, jobs) = (model.clone(), symmetry.clone(), &jobs);
                scope.spawn(move || {
                    let mut actions = Vec::new();
                    loop {
                        let (seq, chunk) = {
                            let mut j = jobs.0.lock().expect("job queue");
                            loop {
                                if let Some(job) = j.pending.pop_front() {
                                    break job;
                                }
                                if let Some(garbage) = j.garbage.pop() {
                                    drop(j);
                                    drop(garbage);
                                    j = jobs.0.lock().expect("job queue");
                                    continue;
                                }
                                if j.closed {
                                    return;
                                }
                                j = jobs.1.wait(j).expect("job queue");
                            }
                        };
                        let done = compute(model.as_ref(), symmetry.as_ref(), chunk, &mut actions);
                        if results_tx.send((seq, done)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(results_tx);
            let mut actions = std::mem::take(&mut self.actions);
            let (mut sent, mut next, mut taken) = (0u64, 0u64, 0usize);
            let mut waiting: BTreeMap<u64, Done<M>> = BTreeMap::new();
            // Result `next`: from the finished ones, or compute a pending job here, or wait.
            let take_next = |next: u64, waiting: &mut BTreeMap<u64, Done<M>>, actions: &mut Vec<M::Action>| -> Done<M> {
                loop {
                    if let Some(done) = waiting.remove(&next) {
                        return done;
                    }
                    while let Ok((seq, done)) = results_rx.try_recv() {
                        waiting.insert(seq, done);
                    }
                    if let Some(done) = waiting.remove(&next) {
                        return done;
                    }
                    let job = jobs.0.lock().expect("job queue").pending.pop_front();
                    match job {
                        Some((seq, chunk)) => {
                            let done = compute(model.as_ref(), symmetry.as_ref(), chunk, actions);
                            waiting.insert(seq, done);
                        }
                        None => {
                            let (seq, done) = results_rx.recv().expect("a successor worker stopped");
                            waiting.insert(seq, done);
                        }
                    }
                }
            };
            loop {
                // Keep jobs ahead of the merge.
                while (sent - next) < 2 * threads as u64 && taken < budget && !self.queue.is_empty() {
                    let n = CHUNK.min(budget - taken).min(self.queue.len());
                    let chunk: Vec<Entry<M>> = self.queue.drain(..n).collect();
                    taken += n;
                    jobs.0.lock().expect("job queue").pending.push_back((sent, chunk));
                    jobs.1.notify_one();
                    sent += 1;
                }
                if next == sent {
                    break; // nothing in flight: the budget is spent or the queue is empty
                }
                let (chunk, succs, ends) = take_next(next, &mut waiting, &mut actions);
                next += 1;
                let mut succs = succs.into_iter();
                let mut start = 0;
                let mut stop = false;
                let mut discarded = Vec::with_capacity(succs.len());
                for (index, end) in ends.into_iter().enumerate() {
                    let (state, id, level) = &chunk[index];
                    if let Some(outcome) = self.merge(state, *id, *level, succs.by_ref().take(end - start), &mut |s| discarded.push(s)) {
                        // Everything taken but not merged goes back to the front of the queue, in
                        // order, so "left on queue" stays true.
                        let mut back: Vec<Entry<M>> = chunk[index + 1..].to_vec();
                        while next < sent {
                            back.extend(take_next(next, &mut waiting, &mut actions).0);
                            next += 1;
                        }
                        for entry in back.into_iter().rev() {
                            self.queue.push_front(entry);
                        }
                        self.finish(outcome);
                        stop = true;
                        break;
                    }
                    start = end;
                }
                if !stop {
                    jobs.0.lock().expect("job queue").garbage.push((chunk, discarded));
                    jobs.1.notify_one();
                }
                if self.queue.len() > self.peak_queue {
                    self.peak_queue = self.queue.len();
                }
                if stop {
                    break;
                }
                if self.check_bounds() {
                    // Return what is in flight to the front of the queue, in order.
                    let mut back: Vec<Entry<M>> = Vec::new();
                    while next < sent {
                        back.extend(take_next(next, &mut waiting, &mut actions).0);
                        next += 1;
                    }
                    for entry in back.into_iter().rev() {
                        self.queue.push_front(entry);
                    }
                    break;
                }
            }
            self.actions = actions;
            jobs.0.lock().expect("job queue").closed = true;
            jobs.1.notify_all();
        });
        if self.outcome.is_none() && self.queue.is_empty() {
            self.finish(Outcome::Ok);
        }
    }

    /// Runs to the end (or a bound).
    pub fn run_to_end(&mut self) -> &Outcome<M> {
        while !self.run(1 << 16) {}
        self.outcome.as_ref().expect("finished")
    }

    fn check_bounds(&mut self) -> bool {
        if let Some(max) = self.options.max_states {
            if self.parent.len() as u64 >= max && !self.queue.is_empty() {
                self.finish(Outcome::Incomplete(StopReason::MaxStates));
                return true;
            }
        }
        if let Some(max) = self.options.max_seconds {
            if self.seconds() >= max && !self.queue.is_empty() {
                self.finish(Outcome::Incomplete(StopReason::MaxSeconds));
                return true;
            }
        }
        if let Some(max) = self.options.max_memory {
            if !self.queue.is_empty() && self.memory_after_growth(MEMORY_LOOKAHEAD) > max {
                self.finish(Outcome::Incomplete(StopReason::Memory));
                return true;
            }
        }
        false
    }

    /// Bytes held by the search's growing structures: the visited set, the parent and action
    /// arrays, the queue.
    pub fn search_bytes(&self) -> u64 {
        let table = if self.table.capacity() == 0 { 0 } else { table_bytes(buckets_for(self.table.capacity())) };
        let recorder = self.recorder.as_ref().map(|r| r.bytes()).unwrap_or(0) as u64;
        table + (self.parent.capacity() as u64 + self.via.capacity() as u64) * 4 + self.queue.capacity() as u64 * Self::entry_bytes() + recorder
    }

    fn entry_bytes() -> u64 {
        std::mem::size_of::<(M::State, u32, u32)>() as u64
    }

    /// The memory in use now: the wasm linear memory in a browser (it holds everything, free
    /// blocks included), the search's structures natively.
    fn memory_in_use(&self) -> u64 {
        #[cfg(target_arch = "wasm32")]
        {
            (core::arch::wasm32::memory_size(0) as u64 * 65536).max(self.search_bytes())
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.search_bytes()
        }
    }

    /// The memory in use after `expansions` more expansions, at worst: every structure that
    /// could fill up by then allocates its doubled block while the old one is still held.
    /// `u64::MAX` if one such block could not be allocated at all (over `isize::MAX` bytes: 2 GiB
    /// on wasm32).
    pub fn memory_after_growth(&self, expansions: u64) -> u64 {
        let lens = [
            (self.table.len(), self.table.capacity()),
            (self.parent.len(), self.parent.capacity()),
            (self.via.len(), self.via.capacity()),
            (self.queue.len(), self.queue.capacity()),
        ];
        growth(lens, Self::entry_bytes(), self.max_fanout, self.recorder.as_ref(), self.memory_in_use(), expansions)
    }

    /// Takes the successors of one expanded state, in order, as TLC would: counts them, stores
    /// the new ones, checks invariants on new states (and on states outside the constraint) and
    /// action properties on every step. Sequential, whatever computed the successors.
    #[inline]
    /// Stores the new ones among `state`'s successors and checks them; a successor not kept goes
    /// to `discard` (the parallel search has it freed on the thread that made it).
    fn merge(
        &mut self,
        state: &M::State,
        id: u32,
        level: u32,
        successors: impl Iterator<Item = Successor<M>>,
        discard: &mut impl FnMut(M::State),
    ) -> Option<Outcome<M>> {
        let mut count = 0usize;
        for succ in successors {
            count += 1;
            self.generated += 1;
            let Successor { k, kind, broken, next } = succ;
            if let Kind::Stutter = kind {
                discard(next);
                continue;
            }
            // Count and store the state before checking it, as TLC does: the figures at a
            // violation include the violating state when it lies inside the constraint.
            let mut is_new = true;
            let mut new_id = None;
            if let Kind::Inside(fp) = kind {
                match self.insert(fp, id, k) {
                    Some(stored) => {
                        if let Some(r) = self.recorder.as_mut() {
                            r.add_state(self.model.as_ref(), fp, &next);
                        }
                        self.count_level(level + 1);
                        new_id = Some(stored);
                    }
                    None => is_new = false,
                }
            }
            if is_new {
                if let Some(name) = self.first_failed_invariant(&next) {
                    return Some(self.violation(ViolationKind::Invariant, name, id, state, k, next));
                }
            }
            if let Some(name) = broken {
                return Some(self.violation(ViolationKind::ActionProperty, name, id, state, k, next));
            }
            match new_id {
                Some(stored) => self.queue.push_back((next, stored, level + 1)),
                None => discard(next),
            }
        }
        if count > self.max_fanout {
            self.max_fanout = count;
        }
        if count == 0 && self.options.deadlock {
            return Some(Outcome::Violation(Violation { kind: ViolationKind::Deadlock, name: "Deadlock", trace: self.path_to(id), lasso: None }));
        }
        None
    }

    fn violation(&self, kind: ViolationKind, name: &'static str, id: u32, state: &M::State, k: u32, next: M::State) -> Outcome<M> {
        let mut actions = Vec::new();
        self.model.actions(state, &mut actions);
        let mut trace = self.path_to(id);
        trace.push((Some(actions[k as usize].clone()), next));
        Outcome::Violation(Violation { kind, name, trace, lasso: None })
    }

    fn expand(&mut self, state: &M::State, id: u32, level: u32, actions: &mut Vec<M::Action>) -> Option<Outcome<M>> {
        if self.auditing() {
            self.symmetry_problem = super::audit::audit_state(self.model.as_ref(), self.symmetry.as_ref().unwrap(), state, actions);
        }
        let mut succs = std::mem::take(&mut self.successors);
        succs.clear();
        successors_of(self.model.as_ref(), self.symmetry.as_ref(), state, actions, &mut succs);
        if let Some(r) = self.recorder.as_mut() {
            r.begin_state(id);
            for succ in &succs {
                if let Kind::Inside(fp) = succ.kind {
                    r.add_edge(self.model.as_ref(), fp, &actions[succ.k as usize]);
                }
            }
        }
        let outcome = self.merge(state, id, level, succs.drain(..), &mut drop);
        self.successors = succs;
        outcome
    }
}

/// [`Checker::memory_after_growth`], of the search's (length, capacity) pairs: the visited set,
/// the parent and action arrays, the queue (entries of `entry_bytes`). Not generic, so compiled
/// once rather than once per model.
fn growth(lens: [(usize, usize); 4], entry_bytes: u64, max_fanout: usize, recorder: Option<&super::liveness::Recorder>, in_use: u64, expansions: u64) -> u64 {
    let incoming = expansions.saturating_mul(max_fanout.max(1) as u64);
    let grow = |len: usize, capacity: usize| -> Option<u64> {
        let need = len as u64 + incoming;
        (need > capacity as u64).then(|| need.max(capacity as u64 * 2))
    };
    let [table, parent, via, queue] = lens;
    let mut blocks = Vec::with_capacity(4);
    if let Some(n) = grow(table.0, table.1) {
        blocks.push(table_bytes(buckets_for(n.min(usize::MAX as u64) as usize)));
    }
    for len_cap in [parent, via] {
        if let Some(n) = grow(len_cap.0, len_cap.1) {
            blocks.push(n.saturating_mul(4));
        }
    }
    if let Some(n) = grow(queue.0, queue.1) {
        blocks.push(n.saturating_mul(entry_bytes));
    }
    if let Some(r) = recorder {
        // Per state: fingerprint, predicates, edge offset; per edge: fingerprint and label.
        for (len, cap, size) in r.growing() {
            if let Some(n) = grow(len, cap) {
                blocks.push(n.saturating_mul(size));
            }
        }
    }
    if blocks.iter().any(|&b| b > isize::MAX as u64) {
        return u64::MAX;
    }
    blocks.into_iter().fold(in_use, u64::saturating_add)
}

#[cfg(test)]
mod memory_tests {
    use super::*;
    use crate::engine::model::Checks;
    use crate::engine::value::Value;

    /// A grid walk: (x, y) in 0..n × 0..n, one step right or up: n² states, two successors each.
    struct Grid(u32, Checks<Grid>);

    impl Model for Grid {
        type State = (u32, u32);
        type Action = bool;
        fn init_states(&self) -> Vec<(u32, u32)> {
            vec![(0, 0)]
        }
        fn actions(&self, _: &(u32, u32), out: &mut Vec<bool>) {
            out.extend([false, true]);
        }
        fn next_state(&self, &(x, y): &(u32, u32), &up: &bool) -> Option<(u32, u32)> {
            match up {
                false if x + 1 < self.0 => Some((x + 1, y)),
                true if y + 1 < self.0 => Some((x, y + 1)),
                _ => None,
            }
        }
        fn action_name(&self, up: &bool) -> &'static str {
            if *up {
                "Up"
            } else {
                "Right"
            }
        }
        fn action_label(&self, up: &bool) -> String {
            self.action_name(up).to_string()
        }
        fn action_names(&self) -> Vec<&'static str> {
            vec!["Right", "Up"]
        }
        fn checks(&self) -> &Checks<Self> {
            &self.1
        }
        fn variables(&self) -> &'static [&'static str] {
            &["x", "y"]
        }
        fn to_tla(&self, &(x, y): &(u32, u32)) -> Vec<Value> {
            vec![Value::Int(x as i64), Value::Int(y as i64)]
        }
    }

    fn run(max_memory: Option<u64>, threads: usize) -> Checker<Grid> {
        let mut c = Checker::new(Arc::new(Grid(300, Checks::new())), CheckOptions { max_memory, threads, ..CheckOptions::default() });
        c.run_to_end();
        c
    }

    #[test]
    fn the_memory_ceiling_stops_before_a_growth_would_pass_it() {
        let whole = run(None, 1);
        assert!(matches!(whole.outcome(), Some(Outcome::Ok)));
        assert_eq!(whole.progress().distinct, 300 * 300);
        let needed = whole.search_bytes();
        for threads in [1, 3] {
            // A ceiling far above what the search needs changes nothing.
            let roomy = run(Some(needed * 4), threads);
            assert!(matches!(roomy.outcome(), Some(Outcome::Ok)));
            assert_eq!((roomy.progress().distinct, roomy.progress().generated), (whole.progress().distinct, whole.progress().generated));
            // A ceiling below it stops the run, as Incomplete(Memory), with the structures under it.
            let ceiling = needed / 3;
            let tight = run(Some(ceiling), threads);
            assert!(matches!(tight.outcome(), Some(Outcome::Incomplete(StopReason::Memory))), "threads {threads}");
            let p = tight.progress();
            assert!(p.distinct > 1000 && p.distinct < 300 * 300, "{p:?}");
            assert!(tight.search_bytes() <= ceiling, "{} > {ceiling}", tight.search_bytes());
            assert_eq!(StopReason::Memory.as_str(), "memory");
        }
    }

    #[test]
    fn a_doubling_the_platform_cannot_allocate_counts_as_over_any_ceiling() {
        let c = run(Some(u64::MAX), 1);
        assert!(matches!(c.outcome(), Some(Outcome::Ok)));
        assert!(c.memory_after_growth(u64::MAX / 4) == u64::MAX);
    }
}

#[cfg(test)]
mod pace_tests {
    use super::Pace;

    /// Runs a window as `pace` chooses, at these rates (successors per second) for one thread and all.
    fn window(pace: &mut Pace, rates: [u64; 2]) -> bool {
        let parallel = pace.parallel_next();
        pace.record(parallel, rates[parallel as usize], 1.0);
        parallel
    }

    #[test]
    fn pace_tries_both_then_runs_the_faster_and_tries_the_other_every_eighth_window() {
        let mut pace = Pace::default();
        let picks: Vec<bool> = (0..16).map(|_| window(&mut pace, [10_000, 20_000])).collect();
        let expected: Vec<bool> = (0..16).map(|n| n == 1 || (n > 1 && n % 8 != 7)).collect();
        assert_eq!(picks, expected, "one, all, then all but for windows 7 and 15");
        // All threads become slower (a deeper level, more allocation): one thread takes over once
        // the next try of one thread shows it.
        let picks: Vec<bool> = (16..32).map(|_| window(&mut pace, [30_000, 20_000])).collect();
        assert_eq!(picks[..8], [true, true, true, true, true, true, true, false], "windows 16-23: all, until 23 tries one");
        assert_eq!(picks[8..], [false, false, false, false, false, false, false, true], "then one thread, and window 31 tries all again");
        assert_eq!(pace.windows, [3 + 8, 13 + 8], "windows on one thread and on all");
    }

    #[test]
    fn a_window_too_short_to_time_changes_no_rate() {
        let mut pace = Pace::default();
        pace.record(false, 10, 0.001);
        assert_eq!(pace.rate, [None, None]);
        assert!(!pace.parallel_next(), "still to be measured on one thread");
        assert_eq!(pace.windows, [1, 0]);
    }
}
