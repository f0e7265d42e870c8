//! `composed`: elastickv transactions across a changing route catalog (seed 003, M5).
//! Twin: `tla/composed/Composed.tla`.
//!
//! The route catalog is versioned: `routes[v][k]` is the Raft group owning key `k` at catalog
//! version `v` (every key starts at `InitGroup`; versions not yet written hold that initial map).
//! `ProposeRouteChange(k, g)` writes version `catalogVersion + 1` as the current map with `k` moved
//! to `g`. A transaction begins at a fresh timestamp and pins the catalog version it observes,
//! buffers writes, then commits through a group `g` at a fresh commit timestamp, or aborts.
//! Timestamps come from one counter. ProposeRouteChange, BeginTxn and WriteIntent count operations.
//!
//! Composed-1: every committed write went to the group owning the key at the catalog version the
//! transaction observed. Composed-3: distinct committed transactions have distinct commit
//! timestamps.
//!
//! Configurations: `safe`; `gap` (Commit no longer checks that `g` owns the written keys).
//!
//! The seed declares Keys, Groups and TxnIds symmetric, but `InitGroup` pins one group, so
//! permuting Groups maps the initial state to one that is not initial: the group symmetry is not
//! sound. TLC reduces by it anyway, and so does the checker (which reports it).
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the properties, then
//! TLC's plumbing (constraint, symmetry, TLA+ values).

use crate::engine::{variable_order, Checks, ConfigSpec, ConstKind, ConstSpec, Constants, Model, ModelDef, ModelInfo, Permutation, SymmetricSet, Value};

// ---- CONSTANTS ----

pub struct Composed {
    pub keys: Vec<String>,
    pub groups: Vec<String>,
    pub txn_ids: Vec<String>,
    pub max_versions: u8,
    pub max_ts: u8,
    pub max_ops: u8,
    /// Index of InitGroup in Groups.
    pub init_group: u8,
    /// `EnableSafety`: Commit checks that g owns the written keys at the observed version.
    pub safety: bool,
    /// What this config checks.
    checks: Checks<Composed>,
}

impl ModelDef for Composed {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/composed/Composed.tla")];

    fn info() -> ModelInfo {
        ModelInfo {
            name: "composed",
            title: "elastickv transactions over moving routes",
            story: "Transactions pin the route catalog version they begin at; a commit must go to the group that owned every written key at that version, even after the catalog has moved a key.",
            source: "seed 003: elastickv TLA+ safety specs, M5 Composed.tla (PR #865)",
            tla_module: "Composed",
            constants: vec![
                ConstSpec { name: "Keys", doc: "Keys (declared symmetric).", kind: ConstKind::ModelValues { prefix: "k", min_len: 1, max_len: 3 }, default: "{k1, k2}" },
                ConstSpec { name: "Groups", doc: "Raft groups (declared symmetric, though InitGroup pins one).", kind: ConstKind::ModelValues { prefix: "g", min_len: 1, max_len: 3 }, default: "{g1, g2}" },
                ConstSpec { name: "TxnIds", doc: "Transactions (declared symmetric).", kind: ConstKind::ModelValues { prefix: "t", min_len: 1, max_len: 3 }, default: "{t1, t2}" },
                ConstSpec { name: "MaxVersions", doc: "Bound on the catalog version.", kind: ConstKind::Int { min: 0, max: 3 }, default: "2" },
                ConstSpec { name: "MaxTs", doc: "Bound on the timestamp counter.", kind: ConstKind::Int { min: 0, max: 5 }, default: "4" },
                ConstSpec { name: "MaxOps", doc: "Bound on route changes, begins and write intents.", kind: ConstKind::Int { min: 0, max: 5 }, default: "4" },
                ConstSpec { name: "InitGroup", doc: "The group owning every key at first.", kind: ConstKind::MemberOf { set: "Groups" }, default: "g1" },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "A commit goes through a group only if it owned every written key at the catalog version the transaction observed.",
                    expect: None,
                    tla_switches: &[("EnableSafety", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "gap",
                    summary: "Commit no longer checks ownership, so a transaction can commit a key through a group that did not own it at its catalog version: Composed1_CommitToOwningGroup fails.",
                    expect: Some("Composed1_CommitToOwningGroup"),
                    tla_switches: &[("EnableSafety", "FALSE")],
                    alters: &["Commit"],
                },
            ],
            meanings: &[
                ("TypeOK", "Every variable holds a value of its declared kind: versions, timestamps, groups and transaction states stay in range."),
                ("Composed1_CommitToOwningGroup", "Every committed transaction committed through the group that owned each key it wrote at the catalog version it saw."),
                ("Composed3_DistinctCommitTs", "No two committed transactions share a commit timestamp."),
                ("Composed_CatalogMonotonic", "No step lowers the catalog version."),
                ("Composed_TsMonotonic", "No step lowers the timestamp counter."),
                ("Composed3_TsAction", "Every commit raises the timestamp counter."),
                ("ProposeRouteChange", "The control plane commits the next catalog version, moving one key to a group."),
                ("BeginTxn", "An idle transaction begins at a fresh timestamp and pins the catalog version it sees."),
                ("WriteIntent", "An active transaction buffers a write to a key."),
                ("Commit", "An active transaction commits through a group at a fresh timestamp (with safety, only a group owning every key it writes)."),
                ("Abort", "An active transaction aborts."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        let groups = constants.names("Groups");
        let init = constants.name("InitGroup");
        let init_group = groups.iter().position(|g| *g == init).ok_or_else(|| format!("constant InitGroup: '{init}' is not in Groups"))? as u8;
        Ok(Composed {
            keys: constants.names("Keys"),
            groups,
            txn_ids: constants.names("TxnIds"),
            max_versions: constants.int("MaxVersions") as u8,
            max_ts: constants.int("MaxTs") as u8,
            max_ops: constants.int("MaxOps") as u8,
            init_group,
            safety: config.switch("EnableSafety"),
            checks: Checks::new()
                .invariant("TypeOK", Composed::type_ok)
                .invariant("Composed1_CommitToOwningGroup", Composed::commit_to_owning_group)
                .invariant("Composed3_DistinctCommitTs", Composed::distinct_commit_ts)
                .action_property("Composed_CatalogMonotonic", Composed::catalog_monotonic)
                .action_property("Composed_TsMonotonic", Composed::ts_monotonic)
                .action_property("Composed3_TsAction", Composed::commit_raises_ts),
        })
    }
}

// ---- VARIABLES ----

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TxnState {
    Idle,
    Active,
    Committed,
    Aborted,
}

impl TxnState {
    pub fn name(self) -> &'static str {
        match self {
            TxnState::Idle => "Idle",
            TxnState::Active => "Active",
            TxnState::Committed => "Committed",
            TxnState::Aborted => "Aborted",
        }
    }

    /// The string's place in TLC's value order: the order the twin first writes it
    /// (`TxnStates == {"Idle", "Active", "Committed", "Aborted"}`, then `NoGroup == "no_group"`).
    fn rank(self) -> u32 {
        self as u32
    }
}

const NO_GROUP: &str = "no_group";
const NO_GROUP_RANK: u32 = 4;

/// One transaction's variables: `txnState[t]`, `txnStartTs[t]`, `txnObservedVer[t]`,
/// `txnWriteSet[t]`, `txnCommitTs[t]`, `txnCommitGroup[t]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Txn {
    pub state: TxnState,
    pub start_ts: u8,
    pub observed: u8,
    /// Bit set over key indices.
    pub writes: u8,
    pub commit_ts: u8,
    /// Group index; `None` is NoGroup.
    pub group: Option<u8>,
}

impl Txn {
    pub fn writes_key(&self, k: usize) -> bool {
        self.writes & (1 << k) != 0
    }
}

const IDLE: Txn = Txn { state: TxnState::Idle, start_ts: 0, observed: 0, writes: 0, commit_ts: 0, group: None };

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub catalog_version: u8,
    /// `routes[v][k]`: the owner (group index) of key k at catalog version v, for v in 0..MaxVersions.
    pub routes: Vec<Vec<u8>>,
    pub ts_counter: u8,
    pub txns: Vec<Txn>,
    pub op_count: u8,
}

impl Composed {
    pub fn n_keys(&self) -> usize {
        self.keys.len()
    }
    pub fn n_groups(&self) -> usize {
        self.groups.len()
    }
    pub fn n_txns(&self) -> usize {
        self.txn_ids.len()
    }

    /// The keys t writes whose owner at t's observed version is not `g`.
    pub fn misrouted(&self, s: &State, t: usize, g: u8) -> Vec<usize> {
        let txn = &s.txns[t];
        (0..self.n_keys()).filter(|&k| txn.writes_key(k) && s.routes[txn.observed as usize][k] != g).collect()
    }

    // ---- TypeOK ----

    fn type_ok(&self, s: &State) -> bool {
        let ng = self.n_groups() as u8;
        s.catalog_version <= self.max_versions
            && s.routes.len() == self.max_versions as usize + 1
            && s.routes.iter().all(|m| m.iter().all(|&g| g < ng))
            && s.ts_counter <= self.max_ts
            && s.txns.iter().all(|t| {
                t.start_ts <= self.max_ts
                    && t.observed <= self.max_versions
                    && (t.writes as usize) < (1 << self.n_keys())
                    && t.commit_ts <= self.max_ts
                    && t.group.map(|g| g < ng).unwrap_or(true)
            })
            && s.op_count <= self.max_ops
    }

    // ---- Init ----

    fn init(&self) -> State {
        State {
            catalog_version: 0,
            routes: vec![vec![self.init_group; self.n_keys()]; self.max_versions as usize + 1],
            ts_counter: 0,
            txns: vec![IDLE; self.n_txns()],
            op_count: 0,
        }
    }

    // ---- Actions ----

    /// `ProposeRouteChange(k, g)`: the control plane commits catalog version + 1: the current map
    /// with k moved to g.
    fn propose_route_change(&self, s: &State, k: usize, g: u8) -> Option<State> {
        if !(s.op_count < self.max_ops && s.catalog_version < self.max_versions) {
            return None;
        }
        let mut n = s.clone();
        let v = s.catalog_version as usize;
        let mut map = s.routes[v].clone();
        map[k] = g;
        n.routes[v + 1] = map;
        n.catalog_version += 1;
        n.op_count += 1;
        Some(n)
    }

    /// `BeginTxn(t)`: t starts at a fresh timestamp and pins the catalog version it sees.
    fn begin_txn(&self, s: &State, t: usize) -> Option<State> {
        if !(s.txns[t].state == TxnState::Idle && s.ts_counter < self.max_ts && s.op_count < self.max_ops) {
            return None;
        }
        let mut n = s.clone();
        n.ts_counter += 1;
        n.txns[t] = Txn { state: TxnState::Active, start_ts: s.ts_counter + 1, observed: s.catalog_version, ..s.txns[t] };
        n.op_count += 1;
        Some(n)
    }

    /// `WriteIntent(t, k)`: t buffers a write to k.
    fn write_intent(&self, s: &State, t: usize, k: u8) -> Option<State> {
        if !(s.txns[t].state == TxnState::Active && !s.txns[t].writes_key(k as usize) && s.op_count < self.max_ops) {
            return None;
        }
        let mut n = s.clone();
        n.txns[t].writes |= 1 << k;
        n.op_count += 1;
        Some(n)
    }

    /// `Commit(t, g)`: t commits through group g at a fresh timestamp. With EnableSafety, g must
    /// own every key t writes at the catalog version t observed.
    fn commit(&self, s: &State, t: usize, g: u8) -> Option<State> {
        if !(s.txns[t].state == TxnState::Active && s.ts_counter < self.max_ts && (!self.safety || self.misrouted(s, t, g).is_empty())) {
            return None;
        }
        let mut n = s.clone();
        n.ts_counter += 1;
        let txn = &mut n.txns[t];
        txn.state = TxnState::Committed;
        txn.commit_ts = s.ts_counter + 1;
        txn.group = Some(g);
        Some(n)
    }

    /// `Abort(t)`.
    fn abort(&self, s: &State, t: usize) -> Option<State> {
        if s.txns[t].state != TxnState::Active {
            return None;
        }
        let mut n = s.clone();
        n.txns[t].state = TxnState::Aborted;
        Some(n)
    }

    // ---- Next ----

    /// `Next`'s candidates, in its disjunct order; nested `\E`s outer first, each ascending.
    fn next(&self, _s: &State, out: &mut Vec<Action>) {
        let (keys, groups, txns) = (0..self.n_keys() as u8, 0..self.n_groups() as u8, 0..self.n_txns() as u8);
        for k in keys.clone() {
            out.extend(groups.clone().map(|g| Action::ProposeRouteChange { k, g }));
        }
        out.extend(txns.clone().map(|t| Action::BeginTxn { t }));
        for t in txns.clone() {
            out.extend(keys.clone().map(|k| Action::WriteIntent { t, k }));
        }
        for t in txns.clone() {
            out.extend(groups.clone().map(|g| Action::Commit { t, g }));
        }
        out.extend(txns.map(|t| Action::Abort { t }));
    }

    /// The successor by `action`, or `None` if it is not enabled.
    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::ProposeRouteChange { k, g } => self.propose_route_change(s, k as usize, g),
            Action::BeginTxn { t } => self.begin_txn(s, t as usize),
            Action::WriteIntent { t, k } => self.write_intent(s, t as usize, k),
            Action::Commit { t, g } => self.commit(s, t as usize, g),
            Action::Abort { t } => self.abort(s, t as usize),
        }
    }
}

/// An action of `Next`. Indices: key, group, transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    ProposeRouteChange { k: u8, g: u8 },
    BeginTxn { t: u8 },
    WriteIntent { t: u8, k: u8 },
    Commit { t: u8, g: u8 },
    Abort { t: u8 },
}

impl Action {
    /// One action of each of `Next`'s disjuncts, in order.
    const FAMILIES: [Action; 5] = [
        Action::ProposeRouteChange { k: 0, g: 0 },
        Action::BeginTxn { t: 0 },
        Action::WriteIntent { t: 0, k: 0 },
        Action::Commit { t: 0, g: 0 },
        Action::Abort { t: 0 },
    ];

    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::ProposeRouteChange { .. } => "ProposeRouteChange",
            Action::BeginTxn { .. } => "BeginTxn",
            Action::WriteIntent { .. } => "WriteIntent",
            Action::Commit { .. } => "Commit",
            Action::Abort { .. } => "Abort",
        }
    }
}

impl Composed {
    // ---- Invariants ----

    /// Composed-1: a committed transaction's group owned each key it wrote at the catalog version
    /// it observed.
    fn commit_to_owning_group(&self, s: &State) -> bool {
        (0..self.n_txns()).all(|t| {
            let txn = &s.txns[t];
            txn.state != TxnState::Committed || self.misrouted(s, t, txn.group.expect("a committed txn has a group")).is_empty()
        })
    }

    /// Composed-3: distinct committed transactions have distinct commit timestamps.
    fn distinct_commit_ts(&self, s: &State) -> bool {
        let committed: Vec<u8> = s.txns.iter().filter(|t| t.state == TxnState::Committed).map(|t| t.commit_ts).collect();
        committed.iter().enumerate().all(|(i, a)| committed[i + 1..].iter().all(|b| a != b))
    }

    // ---- Action properties ----

    fn catalog_monotonic(&self, s: &State, t: &State) -> bool {
        t.catalog_version >= s.catalog_version
    }

    fn ts_monotonic(&self, s: &State, t: &State) -> bool {
        t.ts_counter >= s.ts_counter
    }

    /// A commit strictly raises the timestamp counter.
    fn commit_raises_ts(&self, s: &State, t: &State) -> bool {
        s.txns.iter().zip(&t.txns).all(|(a, b)| !(a.state == TxnState::Active && b.state == TxnState::Committed) || t.ts_counter > s.ts_counter)
    }

    // ---- TLA+ values ----

    fn key_value(&self, k: usize) -> Value {
        Value::model(k, &self.keys[k])
    }

    fn group_value(&self, g: usize) -> Value {
        Value::model(self.n_keys() + g, &self.groups[g])
    }

    fn txn_value(&self, t: usize) -> Value {
        Value::model(self.n_keys() + self.n_groups() + t, &self.txn_ids[t])
    }

    fn per_txn(&self, s: &State, f: impl Fn(&Txn) -> Value) -> Value {
        Value::func(s.txns.iter().enumerate().map(|(t, txn)| (self.txn_value(t), f(txn))))
    }
}

impl Model for Composed {
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
        let (k, g, t) = (|i: u8| &self.keys[i as usize], |i: u8| &self.groups[i as usize], |i: u8| &self.txn_ids[i as usize]);
        let name = action.name();
        match *action {
            Action::ProposeRouteChange { k: key, g: grp } => format!("{name}({}, {})", k(key), g(grp)),
            Action::BeginTxn { t: txn } => format!("{name}({})", t(txn)),
            Action::WriteIntent { t: txn, k: key } => format!("{name}({}, {})", t(txn), k(key)),
            Action::Commit { t: txn, g: grp } => format!("{name}({}, {})", t(txn), g(grp)),
            Action::Abort { t: txn } => format!("{name}({})", t(txn)),
        }
    }

    fn action_names(&self) -> Vec<&'static str> {
        Action::FAMILIES.iter().map(Action::name).collect()
    }

    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }

    fn by_construction(&self) -> &'static [(&'static str, &'static str)] {
        &[(
            "TypeOK",
            "Each field is written only under its bound or from a field already in range: the catalog and the counter rise only below their maxima, groups and keys come from their sets, and opCount rises only below MaxOps.",
        )]
    }

    /// The seed's StateConstraint (the guards already keep every state inside it).
    fn within_constraint(&self, s: &State) -> bool {
        s.catalog_version <= self.max_versions && s.ts_counter <= self.max_ts && s.op_count <= self.max_ops
    }

    fn symmetric_sets(&self) -> Vec<SymmetricSet> {
        vec![SymmetricSet::new("Keys", self.keys.clone()), SymmetricSet::new("Groups", self.groups.clone()), SymmetricSet::new("TxnIds", self.txn_ids.clone())]
    }

    fn permute(&self, s: &State, p: &Permutation) -> State {
        let mut n = s.clone();
        for (v, map) in s.routes.iter().enumerate() {
            for (k, &g) in map.iter().enumerate() {
                n.routes[v][p.apply(0, k)] = p.apply(1, g as usize) as u8;
            }
        }
        for (t, txn) in s.txns.iter().enumerate() {
            let writes = (0..self.n_keys()).filter(|&k| txn.writes_key(k)).fold(0u8, |acc, k| acc | 1 << p.apply(0, k));
            n.txns[p.apply(2, t)] = Txn { writes, group: txn.group.map(|g| p.apply(1, g as usize) as u8), ..*txn };
        }
        n
    }

    fn variables(&self) -> &'static [&'static str] {
        &["catalogVersion", "routes", "tsCounter", "txnState", "txnStartTs", "txnObservedVer", "txnWriteSet", "txnCommitTs", "txnCommitGroup", "opCount"]
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        let int = |i: u8| Value::Int(i as i64);
        let routes = Value::func(
            s.routes
                .iter()
                .enumerate()
                .map(|(v, map)| (Value::Int(v as i64), Value::func(map.iter().enumerate().map(|(k, &g)| (self.key_value(k), self.group_value(g as usize)))))),
        );
        vec![
            int(s.catalog_version),
            routes,
            int(s.ts_counter),
            self.per_txn(s, |t| Value::Ranked { rank: t.state.rank(), text: t.state.name().to_string() }),
            self.per_txn(s, |t| int(t.start_ts)),
            self.per_txn(s, |t| int(t.observed)),
            self.per_txn(s, |t| Value::set((0..self.n_keys()).filter(|&k| t.writes_key(k)).map(|k| self.key_value(k)))),
            self.per_txn(s, |t| int(t.commit_ts)),
            self.per_txn(s, |t| match t.group {
                Some(g) => self.group_value(g as usize),
                None => Value::Ranked { rank: NO_GROUP_RANK, text: NO_GROUP.to_string() },
            }),
            int(s.op_count),
        ]
    }

    /// As TLC printed the twin's variables: catalogVersion, txnState, opCount, tsCounter,
    /// txnWriteSet, txnCommitTs, txnObservedVer, txnCommitGroup, routes, txnStartTs.
    fn tlc_variable_order(&self) -> Vec<usize> {
        variable_order(
            self.variables(),
            &["catalogVersion", "txnState", "opCount", "tsCounter", "txnWriteSet", "txnCommitTs", "txnObservedVer", "txnCommitGroup", "routes", "txnStartTs"],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::testing::{self, labels, step};

    fn model(config: &str) -> Composed {
        testing::model(config)
    }

    fn run(m: &Composed, steps: &[&str]) -> State {
        testing::run(m, m.init_states().remove(0), steps)
    }

    #[test]
    fn route_change_writes_the_next_version_from_the_current_map() {
        let m = model("safe");
        let s0 = m.init_states().remove(0);
        assert_eq!(
            labels(&m, &s0),
            [
                "ProposeRouteChange(k1, g1)",
                "ProposeRouteChange(k1, g2)",
                "ProposeRouteChange(k2, g1)",
                "ProposeRouteChange(k2, g2)",
                "BeginTxn(t1)",
                "BeginTxn(t2)"
            ]
        );
        let s = run(&m, &["ProposeRouteChange(k1, g2)", "ProposeRouteChange(k2, g2)"]);
        assert_eq!(s.routes, vec![vec![0, 0], vec![1, 0], vec![1, 1]]);
        assert_eq!((s.catalog_version, s.op_count), (2, 2));
        assert!(!labels(&m, &s).iter().any(|l| l.starts_with("ProposeRouteChange")), "MaxVersions = 2");
        assert!(m.catalog_monotonic(&s0, &s));
    }

    #[test]
    fn begin_pins_the_catalog_version_at_a_fresh_timestamp_and_writes_buffer() {
        let m = model("safe");
        let s = run(&m, &["ProposeRouteChange(k1, g2)", "BeginTxn(t2)", "WriteIntent(t2, k1)"]);
        let t2 = s.txns[1];
        assert_eq!((t2.state, t2.start_ts, t2.observed, t2.writes), (TxnState::Active, 1, 1, 0b01));
        assert_eq!((s.ts_counter, s.op_count), (1, 3));
        assert!(!labels(&m, &s).contains(&"WriteIntent(t2, k1)".to_string()), "a key is written once");
    }

    #[test]
    fn safe_commit_goes_only_to_the_owner_at_the_observed_version() {
        let m = model("safe");
        let s = run(&m, &["BeginTxn(t1)", "WriteIntent(t1, k1)", "ProposeRouteChange(k1, g2)"]);
        let ls = labels(&m, &s);
        assert!(ls.contains(&"Commit(t1, g1)".to_string()), "g1 owned k1 at version 0, which t1 observed");
        assert!(!ls.contains(&"Commit(t1, g2)".to_string()));
        let c = step(&m, &s, "Commit(t1, g1)");
        assert_eq!((c.txns[0].state, c.txns[0].commit_ts, c.txns[0].group, c.ts_counter), (TxnState::Committed, 2, Some(0), 2));
        assert!(m.commit_to_owning_group(&c) && m.commit_raises_ts(&s, &c) && m.ts_monotonic(&s, &c));
        // A transaction that wrote nothing may commit anywhere.
        let s = run(&m, &["BeginTxn(t1)"]);
        assert!(labels(&m, &s).contains(&"Commit(t1, g2)".to_string()));
    }

    #[test]
    fn gap_commit_to_a_non_owner_breaks_composed1() {
        let m = model("gap");
        let s = run(&m, &["BeginTxn(t1)", "WriteIntent(t1, k1)", "Commit(t1, g2)"]);
        assert_eq!(m.misrouted(&s, 0, 1), vec![0]);
        assert!(!m.commit_to_owning_group(&s));
        assert!(m.distinct_commit_ts(&s) && m.type_ok(&s));
    }

    #[test]
    fn abort_ends_an_active_transaction_and_counts_no_op() {
        let m = model("safe");
        let s = run(&m, &["BeginTxn(t1)", "Abort(t1)"]);
        assert_eq!((s.txns[0].state, s.op_count, s.ts_counter), (TxnState::Aborted, 1, 1));
        assert!(!labels(&m, &s).iter().any(|l| l.contains("(t1")));
    }

    #[test]
    fn commit_timestamps_are_distinct_and_the_counter_bounds_everything() {
        let m = model("safe");
        let s = run(&m, &["BeginTxn(t1)", "BeginTxn(t2)", "Commit(t2, g1)", "Commit(t1, g2)"]);
        assert_eq!((s.txns[0].commit_ts, s.txns[1].commit_ts), (4, 3));
        assert!(m.distinct_commit_ts(&s));
        let mut clash = s.clone();
        clash.txns[0].commit_ts = 3;
        assert!(!m.distinct_commit_ts(&clash));
        assert!(labels(&m, &s).iter().all(|l| l.starts_with("ProposeRouteChange")), "both done; MaxTs = 4 reached");
    }

    #[test]
    fn permuting_groups_does_not_preserve_init() {
        let m = model("safe");
        let s0 = m.init_states().remove(0);
        let swap_groups = Permutation { maps: vec![vec![0, 1], vec![1, 0], vec![0, 1]] };
        let p = m.permute(&s0, &swap_groups);
        assert_ne!(p, s0, "InitGroup = g1 pins the initial routes");
        assert!(p.routes.iter().all(|map| map.iter().all(|&g| g == 1)));
        let swap_txns = Permutation { maps: vec![vec![0, 1], vec![0, 1], vec![1, 0]] };
        assert_eq!(m.permute(&s0, &swap_txns), s0);
    }

    #[test]
    fn prints_like_the_twin() {
        let m = model("gap");
        let s = run(&m, &["BeginTxn(t1)", "WriteIntent(t1, k1)", "Commit(t1, g2)"]);
        let v = m.to_tla(&s);
        assert_eq!(v[1].to_string(), "(0 :> (k1 :> g1 @@ k2 :> g1) @@ 1 :> (k1 :> g1 @@ k2 :> g1) @@ 2 :> (k1 :> g1 @@ k2 :> g1))");
        assert_eq!(v[3].to_string(), "(t1 :> \"Committed\" @@ t2 :> \"Idle\")");
        assert_eq!(v[6].to_string(), "(t1 :> {k1} @@ t2 :> {})");
        assert_eq!(v[8].to_string(), "(t1 :> g2 @@ t2 :> \"no_group\")");
    }

    #[test]
    fn init_group_must_be_a_group() {
        let info = Composed::info();
        let e = Constants::build(&info.constants, &[("InitGroup".into(), "g9".into())]).unwrap_err();
        assert_eq!(e.to_string(), "constant InitGroup: 'g9' is not in Groups = {g1, g2}");
        let c = Constants::build(&info.constants, &[("Groups".into(), "3".into()), ("InitGroup".into(), "g3".into())]).unwrap();
        let m = Composed::build(info.config("safe").unwrap(), &c).unwrap();
        assert_eq!(m.init_group, 2);
    }
}
