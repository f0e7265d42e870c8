//! `hlc`: elastickv's hybrid logical clock under leader changes (seed 003). Twin: `tla/hlc/HLC.tla`.
//!
//! Raft is abstract: `BecomeLeader(n)` makes n the leader of the next term. Each node has a wall
//! clock (ticking within a bounded skew of the others), a physical ceiling the leader renews
//! through Raft (`ApplyCeiling` raises every node's ceiling to the leader's wall plus a window) and
//! the last HLC value it issued. An HLC value is `<<wall, logical>>`, ordered by wall, then logical.
//! The leader issues a timestamp from `now = max(wall, ceiling)`: `(now, 0)` when now is past the
//! last wall, else the next logical value, and on logical overflow `(last wall + 1, 0)`. Every issued
//! timestamp is recorded with its term, node and issuance number (`seq`) in `committedTS`.
//!
//! Configurations: `safe` (a new leader first raises its last HLC to the highest applied timestamp,
//! and a leader issues only while its wall clock is below the ceiling); `gap` (neither: a later
//! term can issue a timestamp that is not above an earlier term's, and HLC4 fails).
//!
//! The nodes are symmetric (`SYMMETRY Permutations(Nodes)`).
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the properties, then
//! TLC's plumbing (constraint, symmetry, TLA+ values).

use crate::engine::{variable_order, Checks, ConfigSpec, ConstKind, ConstSpec, Constants, Model, ModelDef, ModelInfo, Permutation, SymmetricSet, Value};

// ---- CONSTANTS ----

/// Bounds on the constants (and the sizes of the state's arrays).
pub const MAX_NODES: usize = 4;
pub const MAX_TERMS: usize = 3;
pub const MAX_OPS: usize = 4;

/// `leaderOf[t]` of a term nobody leads (`NoLeader` in the twin).
pub const NO_LEADER: u8 = u8::MAX;

pub struct HlcModel {
    pub nodes: Vec<String>,
    pub max_clock_skew: u8,
    pub window: u8,
    pub max_terms: u8,
    pub max_ops: u8,
    pub max_wall_time: u8,
    pub logical_max: u8,
    /// `EnableSafety`: the handoff observe and the ceiling fence.
    pub enable_safety: bool,
    /// What this config checks.
    checks: Checks<HlcModel>,
}

impl ModelDef for HlcModel {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/hlc/HLC.tla")];

    fn info() -> ModelInfo {
        let int = |min, max| ConstKind::Int { min, max };
        ModelInfo {
            name: "hlc",
            title: "Hybrid logical clock under leader changes",
            story: "Each Raft leader issues HLC timestamps from max(wall clock, physical ceiling); a new leader must first observe the highest applied timestamp and issue only below the ceiling, or a later term issues a timestamp below an earlier term's.",
            source: "seed 003: elastickv TLA+ safety specs (HLC.tla, PR thread quoting TLC's figures)",
            tla_module: "HLC",
            constants: vec![
                ConstSpec {
                    name: "Nodes",
                    doc: "The nodes (symmetric).",
                    kind: ConstKind::ModelValues { prefix: "n", min_len: 1, max_len: MAX_NODES },
                    default: "{n1, n2, n3}",
                },
                ConstSpec { name: "MaxClockSkewMs", doc: "Bound on the difference between two wall clocks; below HlcPhysicalWindowMs.", kind: int(0, 3), default: "1" },
                ConstSpec { name: "HlcPhysicalWindowMs", doc: "How far past the leader's wall clock a renewed ceiling reaches.", kind: int(1, 4), default: "2" },
                ConstSpec { name: "MaxTerms", doc: "Terms 1..MaxTerms can be led.", kind: int(1, MAX_TERMS as i64), default: "2" },
                ConstSpec { name: "MaxOps", doc: "At most this many timestamps are issued.", kind: int(0, MAX_OPS as i64), default: "3" },
                ConstSpec { name: "MaxWallTime", doc: "Wall clocks stop at this value.", kind: int(0, 5), default: "3" },
                ConstSpec { name: "LogicalMax", doc: "The logical counter wraps past this value.", kind: int(0, 3), default: "1" },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "A new leader first observes the highest applied timestamp, and a leader issues only while its wall clock is below the ceiling.",
                    expect: None,
                    tla_switches: &[("EnableSafety", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "gap",
                    summary: "No handoff observe and no ceiling fence: a later term can issue a timestamp that is not above an earlier term's, so HLC4_NoRegressionAcrossTerms fails.",
                    expect: Some("HLC4_NoRegressionAcrossTerms"),
                    tla_switches: &[("EnableSafety", "FALSE")],
                    alters: &["BecomeLeader", "IssueTimestamp"],
                },
            ],
            meanings: &[
                ("TypeOK", "Every variable holds a value of its declared kind: terms, clocks, ceilings and issued timestamps stay in range."),
                ("HLC1_PerNodeMonotonic", "The timestamps one node issues rise in the order it issued them."),
                ("HLC2_NonNeg", "No node's physical ceiling is negative."),
                ("HLC3_LeaderOnly", "Every issued timestamp came from the leader of the term it was issued in."),
                ("HLC4_NoRegressionAcrossTerms", "Every timestamp issued in a later term is above every timestamp issued in an earlier term."),
                ("HLC1_Action", "No step lowers a node's last HLC value."),
                ("HLC2_Action", "No step lowers a node's physical ceiling."),
                ("BecomeLeader", "A node is elected leader of the next term and (with safety) first catches its clock up to the highest applied timestamp."),
                ("TickWall", "A node's wall clock advances by one, within the skew bound of every other clock."),
                ("ApplyCeiling", "The leader raises every node's physical ceiling to its own wall clock plus the window."),
                ("IssueTimestamp", "The leader issues the next HLC timestamp (with safety, only while its wall clock is below the ceiling)."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        let skew = constants.int("MaxClockSkewMs");
        let window = constants.int("HlcPhysicalWindowMs");
        if skew >= window {
            return Err(format!(
                "constant MaxClockSkewMs: must be below HlcPhysicalWindowMs (the renewed ceiling must outlive any skew); got {skew} and {window}"
            ));
        }
        Ok(HlcModel {
            nodes: constants.names("Nodes"),
            max_clock_skew: skew as u8,
            window: window as u8,
            max_terms: constants.int("MaxTerms") as u8,
            max_ops: constants.int("MaxOps") as u8,
            max_wall_time: constants.int("MaxWallTime") as u8,
            logical_max: constants.int("LogicalMax") as u8,
            enable_safety: config.switch("EnableSafety"),
            checks: Checks::new()
                .invariant("TypeOK", HlcModel::type_ok)
                .invariant("HLC1_PerNodeMonotonic", HlcModel::hlc1_per_node_monotonic)
                .invariant("HLC2_NonNeg", HlcModel::hlc2_non_neg)
                .invariant("HLC3_LeaderOnly", HlcModel::hlc3_leader_only)
                .invariant("HLC4_NoRegressionAcrossTerms", HlcModel::hlc4_no_regression_across_terms)
                .action_property("HLC1_Action", HlcModel::hlc1_action)
                .action_property("HLC2_Action", HlcModel::hlc2_action),
        })
    }
}

// ---- VARIABLES ----

/// An HLC value `<<wall, logical>>`; the derived order is the HLC order (wall, then logical).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    pub wall: u8,
    pub logical: u8,
}

impl Hlc {
    pub fn new(wall: u8, logical: u8) -> Hlc {
        Hlc { wall, logical }
    }

    pub fn to_tla(self) -> Value {
        Value::Tuple(vec![Value::Int(self.wall as i64), Value::Int(self.logical as i64)])
    }
}

/// One record of `committedTS`; its `seq` is its index in [`State::committed`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Commit {
    pub node: u8,
    pub term: u8,
    pub ts: Hlc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// The highest term that has a leader (0 before the first election).
    pub active_term: u8,
    /// `leaderOf[t]` for t in 0..=MaxTerms: a node index or [`NO_LEADER`].
    pub leader_of: [u8; MAX_TERMS + 1],
    /// The term each node last became leader of (0 if never).
    pub current_term: [u8; MAX_NODES],
    pub hlc_last: [Hlc; MAX_NODES],
    pub ceiling: [u8; MAX_NODES],
    pub wall: [u8; MAX_NODES],
    pub max_applied: Hlc,
    /// `committedTS` ordered by `seq`: the first `op_count` entries are the issued timestamps (a
    /// timestamp's seq is the opCount when it was issued, so these are exactly the records).
    pub committed: [Commit; MAX_OPS],
    pub op_count: u8,
}

impl State {
    pub fn commits(&self) -> &[Commit] {
        &self.committed[..self.op_count as usize]
    }

    /// `IsLeader(n)`.
    pub fn is_leader(&self, n: usize) -> bool {
        self.active_term > 0 && self.leader_of[self.active_term as usize] == n as u8
    }
}

impl HlcModel {
    pub fn n(&self) -> usize {
        self.nodes.len()
    }

    // ---- TypeOK ----

    fn type_ok(&self, s: &State) -> bool {
        let n = self.n();
        s.active_term <= self.max_terms
            && (0..=self.max_terms as usize).all(|t| s.leader_of[t] == NO_LEADER || (s.leader_of[t] as usize) < n)
            && s.current_term[..n].iter().all(|&t| t <= self.max_terms)
            && s.hlc_last[..n].iter().all(|h| h.logical <= self.logical_max)
            && s.wall[..n].iter().all(|&w| w <= self.max_wall_time)
            && s.max_applied.logical <= self.logical_max
            && s.commits().iter().all(|c| (1..=self.max_terms).contains(&c.term) && c.ts.logical <= self.logical_max)
            && s.op_count <= self.max_ops
    }

    // ---- Init ----

    fn init(&self) -> State {
        State {
            active_term: 0,
            leader_of: [NO_LEADER; MAX_TERMS + 1],
            current_term: [0; MAX_NODES],
            hlc_last: [Hlc::default(); MAX_NODES],
            ceiling: [0; MAX_NODES],
            wall: [0; MAX_NODES],
            max_applied: Hlc::default(),
            committed: [Commit::default(); MAX_OPS],
            op_count: 0,
        }
    }

    // ---- Actions ----

    /// `BecomeLeader(n)`: n is elected leader of the next term; with safety on, it first observes
    /// maxAppliedHLC.
    fn become_leader(&self, s: &State, n: usize) -> Option<State> {
        if s.active_term >= self.max_terms {
            return None;
        }
        let mut t = *s;
        let term = s.active_term + 1;
        t.active_term = term;
        t.leader_of[term as usize] = n as u8;
        t.current_term[n] = term;
        if self.enable_safety {
            t.hlc_last[n] = s.hlc_last[n].max(s.max_applied);
        }
        Some(t)
    }

    /// `TickWall(n)`: n's wall clock advances by one, keeping every pair of clocks within the skew
    /// bound.
    fn tick_wall(&self, s: &State, n: usize) -> Option<State> {
        if s.wall[n] >= self.max_wall_time {
            return None;
        }
        let mut t = *s;
        t.wall[n] += 1;
        let w = &t.wall[..self.n()];
        let (lo, hi) = (*w.iter().min().unwrap(), *w.iter().max().unwrap());
        if hi > lo + self.max_clock_skew {
            return None;
        }
        Some(t)
    }

    /// `ApplyCeiling(n)`: the leader renews the ceiling through Raft: every node's ceiling becomes
    /// max(ceiling, wallNow[n] + HlcPhysicalWindowMs).
    fn apply_ceiling(&self, s: &State, n: usize) -> Option<State> {
        if !s.is_leader(n) {
            return None;
        }
        let mut t = *s;
        let fresh = s.wall[n] + self.window;
        for m in 0..self.n() {
            t.ceiling[m] = s.ceiling[m].max(fresh);
        }
        Some(t)
    }

    /// `NextHLC(last, now)`.
    pub fn next_hlc(&self, last: Hlc, now: u8) -> Hlc {
        if now > last.wall {
            Hlc::new(now, 0)
        } else if last.logical < self.logical_max {
            Hlc::new(last.wall, last.logical + 1)
        } else {
            Hlc::new(last.wall + 1, 0)
        }
    }

    /// The timestamp `IssueTimestamp(n)` would issue (its `issued`).
    pub fn issued(&self, s: &State, n: usize) -> Hlc {
        self.next_hlc(s.hlc_last[n], s.wall[n].max(s.ceiling[n]))
    }

    /// `IssueTimestamp(n)`: the leader issues a timestamp; with safety on, only while its wall is
    /// below the ceiling.
    fn issue_timestamp(&self, s: &State, n: usize) -> Option<State> {
        if !(s.is_leader(n) && s.op_count < self.max_ops && (!self.enable_safety || s.wall[n] < s.ceiling[n])) {
            return None;
        }
        let mut t = *s;
        let issued = self.issued(s, n);
        t.hlc_last[n] = issued;
        t.committed[s.op_count as usize] = Commit { node: n as u8, term: s.active_term, ts: issued };
        t.max_applied = s.max_applied.max(issued);
        t.op_count = s.op_count + 1;
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s candidates, in its disjunct order, each family's node ascending.
    fn next(&self, _s: &State, out: &mut Vec<Action>) {
        for family in Action::FAMILIES {
            out.extend((0..self.n() as u8).map(family));
        }
    }

    /// The successor by `action`, or `None` if it is not enabled.
    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::BecomeLeader(n) => self.become_leader(s, n as usize),
            Action::TickWall(n) => self.tick_wall(s, n as usize),
            Action::ApplyCeiling(n) => self.apply_ceiling(s, n as usize),
            Action::IssueTimestamp(n) => self.issue_timestamp(s, n as usize),
        }
    }
}

/// An action of `Next`, with its node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    BecomeLeader(u8),
    TickWall(u8),
    ApplyCeiling(u8),
    IssueTimestamp(u8),
}

impl Action {
    /// `Next`'s disjuncts, in order.
    const FAMILIES: [fn(u8) -> Action; 4] = [Action::BecomeLeader, Action::TickWall, Action::ApplyCeiling, Action::IssueTimestamp];

    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::BecomeLeader(_) => "BecomeLeader",
            Action::TickWall(_) => "TickWall",
            Action::ApplyCeiling(_) => "ApplyCeiling",
            Action::IssueTimestamp(_) => "IssueTimestamp",
        }
    }

    pub fn node(&self) -> u8 {
        let (Action::BecomeLeader(n) | Action::TickWall(n) | Action::ApplyCeiling(n) | Action::IssueTimestamp(n)) = *self;
        n
    }
}

impl HlcModel {
    // ---- Invariants ----

    /// A node's timestamps rise with their issuance order.
    fn hlc1_per_node_monotonic(&self, s: &State) -> bool {
        let c = s.commits();
        (0..c.len()).all(|i| (i + 1..c.len()).all(|j| c[i].node != c[j].node || c[i].ts < c[j].ts))
    }

    /// Ceilings are natural numbers (always, with unsigned ceilings; kept because the seed has it).
    fn hlc2_non_neg(&self, _s: &State) -> bool {
        true
    }

    /// Every timestamp was issued by the leader of its term.
    fn hlc3_leader_only(&self, s: &State) -> bool {
        s.commits().iter().all(|c| c.term > 0 && s.leader_of[c.term as usize] == c.node)
    }

    /// A later term's timestamps are strictly above an earlier term's.
    fn hlc4_no_regression_across_terms(&self, s: &State) -> bool {
        let c = s.commits();
        c.iter().all(|a| c.iter().all(|b| a.term >= b.term || a.ts < b.ts))
    }

    // ---- Action properties ----

    /// No node's last HLC goes down.
    fn hlc1_action(&self, s: &State, t: &State) -> bool {
        (0..self.n()).all(|n| s.hlc_last[n] <= t.hlc_last[n])
    }

    /// No ceiling goes down.
    fn hlc2_action(&self, s: &State, t: &State) -> bool {
        (0..self.n()).all(|n| s.ceiling[n] <= t.ceiling[n])
    }

    // ---- TLA+ values ----

    pub fn node_value(&self, n: u8) -> Value {
        Value::model(n as usize, &self.nodes[n as usize])
    }

    fn per_node(&self, f: impl Fn(usize) -> Value) -> Value {
        Value::func((0..self.n()).map(|n| (self.node_value(n as u8), f(n))))
    }

    /// The `committedTS` record of the timestamp issued `seq`-th.
    pub fn commit_value(&self, seq: usize, c: &Commit) -> Value {
        Value::record([("node", self.node_value(c.node)), ("seq", Value::Int(seq as i64)), ("term", Value::Int(c.term as i64)), ("ts", c.ts.to_tla())])
    }
}

impl Model for HlcModel {
    type State = State;
    type Action = Action;

    fn init_states(&self) -> Vec<State> {
        vec![self.init()]
    }

    fn actions(&self, s: &State, out: &mut Vec<Action>) {
        self.next(s, out)
    }

    fn next_state(&self, s: &State, action: &Action) -> Option<State> {
        self.take(s, action)
    }

    fn action_name(&self, action: &Action) -> &'static str {
        action.name()
    }

    fn action_label(&self, action: &Action) -> String {
        format!("{}({})", action.name(), self.nodes[action.node() as usize])
    }

    fn action_names(&self) -> Vec<&'static str> {
        Action::FAMILIES.iter().map(|f| f(0).name()).collect()
    }

    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }

    fn by_construction(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "TypeOK",
                "Each field is written only under its bound or from a field already in range: terms rise only below MaxTerms, walls only below MaxWallTime, NextHLC keeps the logical part within LogicalMax, and a timestamp is issued only by a leader of a term above 0 while opCount is below MaxOps.",
            ),
            ("HLC2_NonNeg", "Ceilings are unsigned integers here, so none can be negative (the seed lists the invariant, so it is kept)."),
        ]
    }

    /// `StateConstraint`.
    fn within_constraint(&self, s: &State) -> bool {
        let n = self.n();
        s.op_count <= self.max_ops
            && s.active_term <= self.max_terms
            && s.wall[..n].iter().all(|&w| w <= self.max_wall_time)
            && s.hlc_last[..n].iter().all(|h| h.wall <= self.max_wall_time + 2)
            && s.ceiling[..n].iter().all(|&c| c <= self.max_wall_time + self.window)
    }

    /// `NodeSymmetry == Permutations(Nodes)`.
    fn symmetric_sets(&self) -> Vec<SymmetricSet> {
        vec![SymmetricSet::new("Nodes", self.nodes.clone())]
    }

    fn permute(&self, s: &State, perm: &Permutation) -> State {
        let p = |n: u8| perm.apply(0, n as usize) as u8;
        let mut t = *s;
        for term in 0..=self.max_terms as usize {
            if s.leader_of[term] != NO_LEADER {
                t.leader_of[term] = p(s.leader_of[term]);
            }
        }
        for n in 0..self.n() {
            let m = p(n as u8) as usize;
            t.current_term[m] = s.current_term[n];
            t.hlc_last[m] = s.hlc_last[n];
            t.ceiling[m] = s.ceiling[n];
            t.wall[m] = s.wall[n];
        }
        for i in 0..s.op_count as usize {
            t.committed[i].node = p(s.committed[i].node);
        }
        t
    }

    fn variables(&self) -> &'static [&'static str] {
        &["activeTerm", "leaderOf", "currentTerm", "hlcLast", "physicalCeiling", "wallNow", "maxAppliedHLC", "committedTS", "opCount"]
    }

    /// The order TLC 2.15 prints (and compares under SYMMETRY) the variables in.
    fn tlc_variable_order(&self) -> Vec<usize> {
        variable_order(
            self.variables(),
            &["committedTS", "opCount", "activeTerm", "physicalCeiling", "maxAppliedHLC", "currentTerm", "wallNow", "leaderOf", "hlcLast"],
        )
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        let leader_of = Value::func((0..=self.max_terms as usize).map(|t| {
            let v = match s.leader_of[t] {
                NO_LEADER => Value::str("none"),
                n => self.node_value(n),
            };
            (Value::Int(t as i64), v)
        }));
        vec![
            Value::Int(s.active_term as i64),
            leader_of,
            self.per_node(|n| Value::Int(s.current_term[n] as i64)),
            self.per_node(|n| s.hlc_last[n].to_tla()),
            self.per_node(|n| Value::Int(s.ceiling[n] as i64)),
            self.per_node(|n| Value::Int(s.wall[n] as i64)),
            s.max_applied.to_tla(),
            Value::set(s.commits().iter().enumerate().map(|(i, c)| self.commit_value(i, c))),
            Value::Int(s.op_count as i64),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::testing::{self, labels, step};

    fn model(config: &str) -> HlcModel {
        testing::model(config)
    }

    fn run(m: &HlcModel, steps: &[&str]) -> State {
        testing::run(m, m.init_states().remove(0), steps)
    }

    #[test]
    fn initially_only_elections_and_ticks() {
        let m = model("safe");
        assert_eq!(
            labels(&m, &m.init_states()[0]),
            ["BecomeLeader(n1)", "BecomeLeader(n2)", "BecomeLeader(n3)", "TickWall(n1)", "TickWall(n2)", "TickWall(n3)"]
        );
    }

    #[test]
    fn become_leader_takes_the_next_term_until_max_terms() {
        let m = model("gap");
        let s = run(&m, &["BecomeLeader(n2)"]);
        assert_eq!((s.active_term, s.leader_of[1], s.current_term[1]), (1, 1, 1));
        assert!(s.is_leader(1) && !s.is_leader(0));
        let s = step(&m, &s, "BecomeLeader(n2)");
        assert_eq!((s.active_term, s.leader_of[2], s.current_term[1]), (2, 1, 2));
        assert!(!labels(&m, &s).iter().any(|l| l.starts_with("BecomeLeader")), "MaxTerms = 2 reached");
    }

    #[test]
    fn tick_wall_keeps_clocks_within_the_skew() {
        let m = model("safe");
        let s = run(&m, &["TickWall(n1)"]);
        assert_eq!(s.wall[..3], [1, 0, 0]);
        assert!(!labels(&m, &s).contains(&"TickWall(n1)".to_string()), "n1 would be 2 ahead of n2 with skew 1");
        let s = run(&m, &["TickWall(n1)", "TickWall(n2)", "TickWall(n3)", "TickWall(n1)", "TickWall(n2)", "TickWall(n3)"]);
        let s = run_from(&m, s, &["TickWall(n1)", "TickWall(n2)", "TickWall(n3)"]);
        assert_eq!(s.wall[..3], [3, 3, 3]);
        assert!(!labels(&m, &s).iter().any(|l| l.starts_with("TickWall")), "MaxWallTime = 3 reached");
    }

    fn run_from(m: &HlcModel, s: State, steps: &[&str]) -> State {
        steps.iter().fold(s, |s, l| step(m, &s, l))
    }

    #[test]
    fn apply_ceiling_raises_every_node_and_never_lowers() {
        let m = model("safe");
        let s = run(&m, &["TickWall(n1)", "BecomeLeader(n1)", "ApplyCeiling(n1)"]);
        assert_eq!(s.ceiling[..3], [3, 3, 3]);
        assert!(!labels(&m, &s).contains(&"ApplyCeiling(n2)".to_string()), "only the leader renews the ceiling");
        let s = run_from(&m, s, &["BecomeLeader(n2)", "ApplyCeiling(n2)"]);
        assert_eq!(s.ceiling[..3], [3, 3, 3], "n2's wall 0 + 2 is below the ceiling: unchanged");
    }

    #[test]
    fn issue_timestamp_follows_the_hlc_rules() {
        let m = model("gap");
        // now = 0 is not past the last wall 0: logical + 1.
        let s = run(&m, &["BecomeLeader(n1)", "IssueTimestamp(n1)"]);
        assert_eq!(s.hlc_last[0], Hlc::new(0, 1));
        assert_eq!(s.commits(), [Commit { node: 0, term: 1, ts: Hlc::new(0, 1) }]);
        assert_eq!((s.max_applied, s.op_count), (Hlc::new(0, 1), 1));
        // Logical overflow (LogicalMax = 1): the wall is bumped.
        let s = step(&m, &s, "IssueTimestamp(n1)");
        assert_eq!(s.hlc_last[0], Hlc::new(1, 0));
        // now = max(wall 0, ceiling 2) = 2 is past the last wall 1: (2, 0).
        let s = run_from(&m, s, &["ApplyCeiling(n1)", "IssueTimestamp(n1)"]);
        assert_eq!(s.hlc_last[0], Hlc::new(2, 0));
        assert!(!labels(&m, &s).iter().any(|l| l.starts_with("IssueTimestamp")), "MaxOps = 3 reached");
    }

    #[test]
    fn safe_fences_issuing_on_the_ceiling() {
        let m = model("safe");
        let s = run(&m, &["BecomeLeader(n1)"]);
        assert!(!labels(&m, &s).contains(&"IssueTimestamp(n1)".to_string()), "wall 0 is not below ceiling 0");
        let s = run_from(&m, s, &["ApplyCeiling(n1)", "IssueTimestamp(n1)"]);
        assert_eq!(s.hlc_last[0], Hlc::new(2, 0), "now = max(0, ceiling 2)");
    }

    #[test]
    fn safe_handoff_observes_max_applied() {
        let m = model("safe");
        let s = run(&m, &["BecomeLeader(n1)", "ApplyCeiling(n1)", "IssueTimestamp(n1)", "BecomeLeader(n2)"]);
        assert_eq!(s.hlc_last[1], Hlc::new(2, 0), "n2 observed maxAppliedHLC");
        let s = step(&m, &s, "IssueTimestamp(n2)");
        assert_eq!(s.hlc_last[1], Hlc::new(2, 1));
        assert!(m.hlc4_no_regression_across_terms(&s));
    }

    #[test]
    fn gap_regresses_across_terms_in_four_steps() {
        let m = model("gap");
        let s = run(&m, &["BecomeLeader(n1)", "IssueTimestamp(n1)", "BecomeLeader(n2)", "IssueTimestamp(n2)"]);
        assert_eq!(s.commits()[1].ts, Hlc::new(0, 1), "n2 did not observe n1's timestamp");
        assert!(!m.hlc4_no_regression_across_terms(&s));
        assert!(m.hlc1_per_node_monotonic(&s) && m.hlc3_leader_only(&s) && m.type_ok(&s));
    }

    #[test]
    fn invariants_catch_bad_states() {
        let m = model("safe");
        let mut s = run(&m, &["BecomeLeader(n1)", "ApplyCeiling(n1)", "IssueTimestamp(n1)", "IssueTimestamp(n1)"]);
        assert!(m.hlc1_per_node_monotonic(&s));
        s.committed[1].ts = Hlc::new(1, 0);
        assert!(!m.hlc1_per_node_monotonic(&s));
        s.committed[1].node = 2;
        assert!(!m.hlc3_leader_only(&s));
        let t = State { ceiling: [0; MAX_NODES], ..s };
        assert!(!m.hlc2_action(&s, &t));
        let t = State { hlc_last: [Hlc::default(); MAX_NODES], ..s };
        assert!(!m.hlc1_action(&s, &t));
    }

    #[test]
    fn constraint_bounds_the_last_wall() {
        let m = model("gap");
        let mut s = m.init_states()[0];
        s.hlc_last[2] = Hlc::new(6, 0);
        assert!(!m.within_constraint(&s));
        s.hlc_last[2] = Hlc::new(5, 1);
        assert!(m.within_constraint(&s));
    }

    #[test]
    fn permuting_renames_nodes_everywhere() {
        let m = model("gap");
        let s = run(&m, &["TickWall(n1)", "BecomeLeader(n1)", "IssueTimestamp(n1)"]);
        let swap = Permutation { maps: vec![vec![1, 0, 2]] };
        let t = m.permute(&s, &swap);
        assert_eq!(t, run(&m, &["TickWall(n2)", "BecomeLeader(n2)", "IssueTimestamp(n2)"]));
    }

    #[test]
    fn prints_like_the_twin() {
        let m = model("gap");
        let s = run(&m, &["BecomeLeader(n1)", "IssueTimestamp(n1)", "BecomeLeader(n2)", "IssueTimestamp(n2)"]);
        let v = m.to_tla(&s);
        assert_eq!(v[1].to_string(), "(0 :> \"none\" @@ 1 :> n1 @@ 2 :> n2)");
        assert_eq!(v[3].to_string(), "(n1 :> <<0, 1>> @@ n2 :> <<0, 1>> @@ n3 :> <<0, 0>>)");
        // TLC 2.15's line for the same state (state 5 of the gap counterexample).
        assert_eq!(v[7].to_string(), "{[node |-> n1, seq |-> 0, term |-> 1, ts |-> <<0, 1>>], [node |-> n2, seq |-> 1, term |-> 2, ts |-> <<0, 1>>]}");
    }

    #[test]
    fn skew_must_stay_below_the_window() {
        let info = HlcModel::info();
        let c = Constants::build(&info.constants, &[("MaxClockSkewMs".into(), "2".into())]).unwrap();
        let err = HlcModel::build(info.config("safe").unwrap(), &c).err().expect("refused");
        assert!(err.contains("below HlcPhysicalWindowMs"), "{err}");
    }
}
