//! `occ`: elastickv's Percolator-style optimistic transactions (seed 003). Twin: `tla/occ/OCC.tla`.
//!
//! A global counter stands for the HLC. A transaction begins by taking the next timestamp as its
//! start (and read) timestamp; it reads keys at that snapshot, buffers write intents, prepares by
//! locking every key it writes at its start timestamp (refused if a key is locked or has a version
//! newer than the start), and commits by installing one version per written key at its commit
//! timestamp, releasing its locks. A read is refused while the key holds a lock at or below the
//! reader's start. Abort releases the locks of an Active or Prepared transaction.
//!
//! Configurations: `safe` (the commit timestamp is a fresh `tsCounter + 1`); `gap` (Commit reuses
//! the current counter, so a transaction can commit at its own start timestamp: OCC1 fails).
//!
//! Keys and transactions are symmetric, written in the twin as the seed writes it:
//! `Permutations(Keys) \cup Permutations(TxnIds)`. That set is not a group, but TLC 2.15 does not
//! reduce by it as it stands: `MVPerms.permutationSubgroup` closes it under composition, so TLC also
//! tries "swap the keys and the transactions at once"; the engine reduces by that same group (150
//! states for the safe config; 183 with a one-set-at-a-time reading, which TLC never uses).
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the properties, then
//! TLC's plumbing (constraint, symmetry, TLA+ values).

use crate::engine::{
    variable_order, Checks, ConfigSpec, ConstKind, ConstSpec, Constants, FairSpec, Fairness, FairnessKind, LivenessProperty, Model, ModelDef, ModelInfo,
    Permutation, SymmetricSet, Temporal, Value,
};

// ---- CONSTANTS ----

/// Bounds on the constants (and the sizes of the state's arrays).
pub const MAX_KEYS: usize = 3;
pub const MAX_TXNS: usize = 3;

/// A lock's owner when the key is not locked (`"none"` in the twin).
pub const NO_OWNER: u8 = u8::MAX;

pub struct Occ {
    pub keys: Vec<String>,
    pub txn_ids: Vec<String>,
    pub max_ts: u8,
    pub max_ops: u8,
    /// `EnableSafety`: a commit takes a fresh timestamp.
    pub enable_safety: bool,
    /// What this config checks.
    checks: Checks<Occ>,
}

impl ModelDef for Occ {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/occ/OCC.tla"), include_str!("../../tla/occ/OCCLiveness.tla")];

    fn info() -> ModelInfo {
        ModelInfo {
            name: "occ",
            title: "Percolator-style optimistic transactions",
            story: "Transactions read at their start timestamp, lock what they write at prepare and install versions at commit; a commit timestamp must be fresh, or a transaction commits at its own start.",
            source: "seed 003: elastickv TLA+ safety specs (OCC.tla, PR thread quoting TLC's figures)",
            tla_module: "OCC",
            constants: vec![
                ConstSpec {
                    name: "Keys",
                    doc: "The keys (symmetric).",
                    kind: ConstKind::ModelValues { prefix: "k", min_len: 1, max_len: MAX_KEYS },
                    default: "{k1, k2}",
                },
                ConstSpec {
                    name: "TxnIds",
                    doc: "The transactions (symmetric).",
                    kind: ConstKind::ModelValues { prefix: "t", min_len: 1, max_len: MAX_TXNS },
                    default: "{t1, t2}",
                },
                ConstSpec { name: "MaxTs", doc: "Timestamps stay within 0..MaxTs.", kind: ConstKind::Int { min: 1, max: 8 }, default: "6" },
                ConstSpec { name: "MaxOps", doc: "At most this many write intents in all.", kind: ConstKind::Int { min: 1, max: 5 }, default: "3" },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "A commit takes a fresh timestamp, above every start handed out so far.",
                    expect: None,
                    tla_switches: &[("EnableSafety", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "gap",
                    summary: "A commit reuses the current timestamp counter, so a transaction can commit at its own start: OCC1_CommitTsAboveStart fails.",
                    expect: Some("OCC1_CommitTsAboveStart"),
                    tla_switches: &[("EnableSafety", "FALSE")],
                    alters: &["Commit"],
                },
                ConfigSpec {
                    name: "termination",
                    summary: "The safe protocol with weak fairness on each transaction's Abort: every transaction that begins eventually commits or aborts (Termination holds).",
                    expect: None,
                    tla_switches: &[("EnableSafety", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "termination-unfair",
                    summary: "The safe protocol with no fairness at all: a transaction may stay Active for ever while nothing else happens, so Termination fails.",
                    expect: Some("Termination"),
                    tla_switches: &[("EnableSafety", "TRUE")],
                    alters: &[],
                },
            ],
            meanings: &[
                ("TypeOK", "Every variable holds a value of its declared kind: timestamps stay within 0..MaxTs and states are transaction states."),
                ("OCC1_CommitTsAboveStart", "Every committed transaction committed at a timestamp strictly above its start."),
                ("OCC2_NoWriteWriteConflict", "Two committed transactions that wrote a common key committed at different timestamps, one at or before the other's start."),
                ("OCC3_ReadSnapshotStability", "What a live or committed transaction read of a key is still the newest version at its start."),
                ("OCC4_NoStrandedLockAtQuiescence", "Once no transaction is active or prepared, no key is locked."),
                ("OCC5_StartTsConsistency", "No read saw a version newer than the reader's start timestamp."),
                ("StartTsAssignedOnce", "A transaction's start timestamp never changes once set."),
                ("CommitTsAssignedOnce", "A transaction's commit timestamp never changes once set."),
                ("Termination", "Eventually no transaction stays active or prepared: every transaction that begins ends."),
                ("BeginTxn", "An idle transaction begins, taking the next timestamp as its start."),
                ("ReadKey", "An active transaction reads a key at its start snapshot, unless a lock at or below its start blocks it."),
                ("WriteIntent", "An active transaction buffers a write to a key, without locking it yet."),
                ("Prepare", "An active transaction locks every key it writes, if none is locked or has a version newer than its start."),
                ("Commit", "A prepared transaction installs its versions at its commit timestamp and releases its locks (the gap reuses the current timestamp)."),
                ("Abort", "An active or prepared transaction aborts and releases its locks."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        let keys = constants.names("Keys");
        let txn_ids = constants.names("TxnIds");
        if let Some(clash) = keys.iter().find(|k| txn_ids.contains(k)) {
            return Err(format!("constants Keys and TxnIds: '{clash}' is in both; a key and a transaction must have different names"));
        }
        let fair_spec = match config.name {
            "termination" => Some(FairSpec { name: "FairSpec", fairness: vec![Occ::WF_ABORT], properties: vec![Occ::TERMINATION] }),
            "termination-unfair" => Some(FairSpec { name: "Spec", fairness: Vec::new(), properties: vec![Occ::TERMINATION] }),
            _ => None,
        };
        Ok(Occ {
            keys,
            txn_ids,
            max_ts: constants.int("MaxTs") as u8,
            max_ops: constants.int("MaxOps") as u8,
            enable_safety: config.switch("EnableSafety"),
            checks: Checks::new()
                .invariant("TypeOK", Occ::type_ok)
                .invariant("OCC1_CommitTsAboveStart", Occ::occ1_commit_ts_above_start)
                .invariant("OCC2_NoWriteWriteConflict", Occ::occ2_no_write_write_conflict)
                .invariant("OCC3_ReadSnapshotStability", Occ::occ3_read_snapshot_stability)
                .invariant("OCC4_NoStrandedLockAtQuiescence", Occ::occ4_no_stranded_lock_at_quiescence)
                .invariant("OCC5_StartTsConsistency", Occ::occ5_start_ts_consistency)
                .action_property("StartTsAssignedOnce", Occ::start_ts_assigned_once)
                .action_property("CommitTsAssignedOnce", Occ::commit_ts_assigned_once)
                .fair_spec(fair_spec),
        })
    }
}

// ---- VARIABLES ----

/// The lifecycle of a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TxnState {
    Idle,
    Active,
    Prepared,
    Committed,
    Aborted,
}

impl TxnState {
    pub fn name(self) -> &'static str {
        match self {
            TxnState::Idle => "Idle",
            TxnState::Active => "Active",
            TxnState::Prepared => "Prepared",
            TxnState::Committed => "Committed",
            TxnState::Aborted => "Aborted",
        }
    }

    /// The string's place in TLC's value order: TLC orders strings by first appearance in the
    /// spec, and the twin lists the states first, in this order (`States`).
    fn tlc_rank(self) -> u32 {
        self as u32
    }

    pub fn to_tla(self) -> Value {
        Value::Ranked { rank: self.tlc_rank(), text: self.name().to_string() }
    }

    pub fn is_live(self) -> bool {
        matches!(self, TxnState::Active | TxnState::Prepared)
    }
}

/// `"none"` comes after the five state names in the twin.
const NONE_RANK: u32 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Txn {
    pub state: TxnState,
    /// Start (= read) timestamp; 0 before BeginTxn.
    pub start: u8,
    /// Commit timestamp; 0 unless committed.
    pub commit: u8,
    /// The keys it intends to write, as a bit set.
    pub write_set: u8,
    /// `readObs[t][k]`: the commit timestamp seen on k, 0 = not read (or nothing seen).
    pub read_obs: [u8; MAX_KEYS],
}

impl Txn {
    pub fn writes(&self, k: usize) -> bool {
        self.write_set & (1 << k) != 0
    }
}

/// `lockMap[k]`: `[lockTs, owner]`; NoLock is lock_ts 0 and owner [`NO_OWNER`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Lock {
    pub lock_ts: u8,
    pub owner: u8,
}

pub const NO_LOCK: Lock = Lock { lock_ts: 0, owner: NO_OWNER };

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub ts_counter: u8,
    pub txns: [Txn; MAX_TXNS],
    pub locks: [Lock; MAX_KEYS],
    /// `versions[k]` as `version[k][t]`: the commit timestamp of t's version of k, 0 = none (a
    /// transaction commits once, and never at 0, so this is exactly the set of [commitTs, owner]).
    pub versions: [[u8; MAX_TXNS]; MAX_KEYS],
    pub op_count: u8,
}

impl State {
    pub fn has_lock(&self, k: usize) -> bool {
        self.locks[k] != NO_LOCK
    }
}

impl Occ {
    pub fn n_keys(&self) -> usize {
        self.keys.len()
    }

    pub fn n_txns(&self) -> usize {
        self.txn_ids.len()
    }

    /// The commit timestamp of the newest version of k at or below ts; 0 if none.
    pub fn latest_visible(&self, s: &State, k: usize, ts: u8) -> u8 {
        s.versions[k][..self.n_txns()].iter().copied().filter(|&c| c != 0 && c <= ts).max().unwrap_or(0)
    }

    /// `CommitStamp`: a fresh timestamp with safety on; the gap reuses the current counter.
    pub fn commit_stamp(&self, s: &State) -> u8 {
        if self.enable_safety {
            s.ts_counter + 1
        } else {
            s.ts_counter
        }
    }

    // ---- TypeOK ----

    fn type_ok(&self, s: &State) -> bool {
        let ts_ok = |v: u8| v <= self.max_ts;
        ts_ok(s.ts_counter)
            && s.txns[..self.n_txns()].iter().all(|x| ts_ok(x.start) && ts_ok(x.commit) && x.read_obs[..self.n_keys()].iter().all(|&r| ts_ok(r)))
            && s.locks[..self.n_keys()].iter().all(|l| *l == NO_LOCK || (ts_ok(l.lock_ts) && (l.owner as usize) < self.n_txns()))
            && s.versions[..self.n_keys()].iter().all(|vs| vs.iter().all(|&v| ts_ok(v)))
            && s.op_count <= self.max_ops
    }

    // ---- Init ----

    fn init(&self) -> State {
        let idle = Txn { state: TxnState::Idle, start: 0, commit: 0, write_set: 0, read_obs: [0; MAX_KEYS] };
        State { ts_counter: 0, txns: [idle; MAX_TXNS], locks: [NO_LOCK; MAX_KEYS], versions: [[0; MAX_TXNS]; MAX_KEYS], op_count: 0 }
    }

    // ---- Actions ----

    fn release_locks(&self, s: &mut State, t: usize) {
        for lock in s.locks.iter_mut() {
            if lock.owner == t as u8 {
                *lock = NO_LOCK;
            }
        }
    }

    /// `BeginTxn(t)`: t takes the next timestamp as its start.
    fn begin_txn(&self, s: &State, t: usize) -> Option<State> {
        if !(s.txns[t].state == TxnState::Idle && s.ts_counter < self.max_ts) {
            return None;
        }
        let mut n = *s;
        n.ts_counter = s.ts_counter + 1;
        n.txns[t].state = TxnState::Active;
        n.txns[t].start = s.ts_counter + 1;
        Some(n)
    }

    /// `ReadKey(t, k)`: refused while k holds a lock at or below t's start.
    fn read_key(&self, s: &State, t: usize, k: usize) -> Option<State> {
        let x = &s.txns[t];
        if !(x.state == TxnState::Active && x.read_obs[k] == 0 && !(s.has_lock(k) && s.locks[k].lock_ts <= x.start)) {
            return None;
        }
        let mut n = *s;
        n.txns[t].read_obs[k] = self.latest_visible(s, k, x.start);
        Some(n)
    }

    /// `WriteIntent(t, k)`.
    fn write_intent(&self, s: &State, t: usize, k: usize) -> Option<State> {
        let x = &s.txns[t];
        if !(x.state == TxnState::Active && !x.writes(k) && s.op_count < self.max_ops) {
            return None;
        }
        let mut n = *s;
        n.txns[t].write_set |= 1 << k;
        n.op_count = s.op_count + 1;
        Some(n)
    }

    /// `Prepare(t)`: locks every key t writes at its start timestamp; refused if one is locked or
    /// has a version newer than the start.
    fn prepare(&self, s: &State, t: usize) -> Option<State> {
        let x = &s.txns[t];
        let written = || (0..self.n_keys()).filter(|&k| x.writes(k));
        if !(x.state == TxnState::Active && x.write_set != 0 && written().all(|k| !s.has_lock(k) && s.versions[k].iter().all(|&v| v <= x.start))) {
            return None;
        }
        let mut n = *s;
        n.txns[t].state = TxnState::Prepared;
        for k in written() {
            n.locks[k] = Lock { lock_ts: x.start, owner: t as u8 };
        }
        Some(n)
    }

    /// `Commit(t)`: one version per written key at the commit stamp; the locks are released.
    fn commit(&self, s: &State, t: usize) -> Option<State> {
        if !(s.txns[t].state == TxnState::Prepared && self.commit_stamp(s) <= self.max_ts) {
            return None;
        }
        let mut n = *s;
        let stamp = self.commit_stamp(s);
        n.ts_counter = stamp;
        n.txns[t].state = TxnState::Committed;
        n.txns[t].commit = stamp;
        for k in (0..self.n_keys()).filter(|&k| s.txns[t].writes(k)) {
            n.versions[k][t] = stamp;
        }
        self.release_locks(&mut n, t);
        Some(n)
    }

    /// `Abort(t)`: from Active or Prepared; the locks are released.
    fn abort(&self, s: &State, t: usize) -> Option<State> {
        if !s.txns[t].state.is_live() {
            return None;
        }
        let mut n = *s;
        n.txns[t].state = TxnState::Aborted;
        self.release_locks(&mut n, t);
        Some(n)
    }

    // ---- Next ----

    /// `Next`'s candidates, in its disjunct order; nested `\E`s outer first, each ascending.
    fn next(&self, _s: &State, out: &mut Vec<Action>) {
        let (txns, keys) = (0..self.n_txns() as u8, 0..self.n_keys() as u8);
        out.extend(txns.clone().map(Action::BeginTxn));
        for t in txns.clone() {
            out.extend(keys.clone().map(|k| Action::ReadKey(t, k)));
        }
        for t in txns.clone() {
            out.extend(keys.clone().map(|k| Action::WriteIntent(t, k)));
        }
        out.extend(txns.clone().map(Action::Prepare));
        out.extend(txns.clone().map(Action::Commit));
        out.extend(txns.map(Action::Abort));
    }

    /// The successor by `action`, or `None` if it is not enabled.
    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::BeginTxn(t) => self.begin_txn(s, t as usize),
            Action::ReadKey(t, k) => self.read_key(s, t as usize, k as usize),
            Action::WriteIntent(t, k) => self.write_intent(s, t as usize, k as usize),
            Action::Prepare(t) => self.prepare(s, t as usize),
            Action::Commit(t) => self.commit(s, t as usize),
            Action::Abort(t) => self.abort(s, t as usize),
        }
    }
}

/// An action of `Next`. Indices: transaction, key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    BeginTxn(u8),
    ReadKey(u8, u8),
    WriteIntent(u8, u8),
    Prepare(u8),
    Commit(u8),
    Abort(u8),
}

impl Action {
    /// One action of each of `Next`'s disjuncts, in order.
    const FAMILIES: [Action; 6] =
        [Action::BeginTxn(0), Action::ReadKey(0, 0), Action::WriteIntent(0, 0), Action::Prepare(0), Action::Commit(0), Action::Abort(0)];

    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::BeginTxn(_) => "BeginTxn",
            Action::ReadKey(..) => "ReadKey",
            Action::WriteIntent(..) => "WriteIntent",
            Action::Prepare(_) => "Prepare",
            Action::Commit(_) => "Commit",
            Action::Abort(_) => "Abort",
        }
    }
}

impl Occ {
    // ---- Invariants ----

    fn committed(&self, s: &State) -> impl Iterator<Item = usize> + '_ {
        let txns = s.txns;
        (0..self.n_txns()).filter(move |&t| txns[t].state == TxnState::Committed)
    }

    /// A transaction commits strictly above its start.
    fn occ1_commit_ts_above_start(&self, s: &State) -> bool {
        self.committed(s).all(|t| s.txns[t].commit > s.txns[t].start)
    }

    /// Two committed transactions that write a common key commit at different timestamps, and one
    /// of them committed at or before the other's start.
    fn occ2_no_write_write_conflict(&self, s: &State) -> bool {
        self.committed(s).all(|t1| {
            self.committed(s).all(|t2| {
                let (a, b) = (&s.txns[t1], &s.txns[t2]);
                t1 == t2 || a.write_set & b.write_set == 0 || (a.commit != b.commit && (a.commit <= b.start || b.commit <= a.start))
            })
        })
    }

    /// What a live or committed transaction read is still the newest version at its start.
    fn occ3_read_snapshot_stability(&self, s: &State) -> bool {
        (0..self.n_txns()).all(|t| {
            let x = &s.txns[t];
            !matches!(x.state, TxnState::Active | TxnState::Prepared | TxnState::Committed)
                || (0..self.n_keys()).all(|k| x.read_obs[k] == 0 || x.read_obs[k] == self.latest_visible(s, k, x.start))
        })
    }

    /// Once no transaction is Active or Prepared, no key is locked.
    fn occ4_no_stranded_lock_at_quiescence(&self, s: &State) -> bool {
        s.txns[..self.n_txns()].iter().any(|x| x.state.is_live()) || (0..self.n_keys()).all(|k| !s.has_lock(k))
    }

    /// Every read is at the transaction's start timestamp.
    fn occ5_start_ts_consistency(&self, s: &State) -> bool {
        s.txns[..self.n_txns()].iter().all(|x| x.read_obs[..self.n_keys()].iter().all(|&r| r <= x.start))
    }

    /// A start timestamp never changes once set.
    fn start_ts_assigned_once(&self, s: &State, t: &State) -> bool {
        (0..self.n_txns()).all(|i| s.txns[i].start == 0 || t.txns[i].start == s.txns[i].start)
    }

    /// A commit timestamp never changes once set.
    fn commit_ts_assigned_once(&self, s: &State, t: &State) -> bool {
        (0..self.n_txns()).all(|i| s.txns[i].commit == 0 || t.txns[i].commit == s.txns[i].commit)
    }

    // ---- Liveness ----

    /// `Termination == <>[](\A t \in TxnIds : txnState[t] \notin {"Active", "Prepared"})`: every
    /// transaction that begins eventually commits or aborts (a transaction begins at most once).
    const TERMINATION: LivenessProperty<Occ> = LivenessProperty { name: "Termination", kind: Temporal::EventuallyAlways, p: Occ::none_live, q: None };

    /// `\A t \in TxnIds : txnState[t] \notin {"Active", "Prepared"}`.
    fn none_live(&self, s: &State) -> bool {
        (0..self.n_txns()).all(|t| !s.txns[t].state.is_live())
    }

    // ---- Fairness ----

    /// `\A t \in TxnIds : WF_vars(Abort(t))`.
    const WF_ABORT: Fairness<Occ> = Fairness {
        kind: FairnessKind::Weak,
        name: "\\A t \\in TxnIds : WF_vars(Abort(t))",
        instance: |_, a| match a {
            Action::Abort(t) => Some(*t as u32),
            _ => None,
        },
    };

    // ---- TLA+ values ----

    pub fn key_value(&self, k: usize) -> Value {
        Value::model(k, &self.keys[k])
    }

    pub fn txn_value(&self, t: usize) -> Value {
        Value::model(self.n_keys() + t, &self.txn_ids[t])
    }

    fn per_txn(&self, f: impl Fn(usize) -> Value) -> Value {
        Value::func((0..self.n_txns()).map(|t| (self.txn_value(t), f(t))))
    }

    fn per_key(&self, f: impl Fn(usize) -> Value) -> Value {
        Value::func((0..self.n_keys()).map(|k| (self.key_value(k), f(k))))
    }
}

impl Model for Occ {
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
        let name = action.name();
        match *action {
            Action::ReadKey(t, k) | Action::WriteIntent(t, k) => {
                format!("{name}({}, {})", self.txn_ids[t as usize], self.keys[k as usize])
            }
            Action::BeginTxn(t) | Action::Prepare(t) | Action::Commit(t) | Action::Abort(t) => {
                format!("{name}({})", self.txn_ids[t as usize])
            }
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
            "Every timestamp written is the counter plus one below MaxTs, a commit stamp checked against MaxTs, a start or a version already in range, or 0, and opCount rises only below MaxOps.",
        )]
    }

    fn within_constraint(&self, s: &State) -> bool {
        s.ts_counter <= self.max_ts && s.op_count <= self.max_ops
    }

    fn symmetric_sets(&self) -> Vec<SymmetricSet> {
        vec![SymmetricSet::new("Keys", self.keys.clone()), SymmetricSet::new("TxnIds", self.txn_ids.clone())]
    }

    fn permute(&self, s: &State, perm: &Permutation) -> State {
        let pk = |k: usize| perm.apply(0, k);
        let pt = |t: usize| perm.apply(1, t);
        let mut n = *s;
        for t in 0..self.n_txns() {
            let x = &s.txns[t];
            let y = &mut n.txns[pt(t)];
            *y = *x;
            y.write_set = 0;
            for k in 0..self.n_keys() {
                if x.writes(k) {
                    y.write_set |= 1 << pk(k);
                }
                y.read_obs[pk(k)] = x.read_obs[k];
            }
        }
        for k in 0..self.n_keys() {
            let lock = s.locks[k];
            n.locks[pk(k)] = if lock == NO_LOCK { NO_LOCK } else { Lock { lock_ts: lock.lock_ts, owner: pt(lock.owner as usize) as u8 } };
            for t in 0..self.n_txns() {
                n.versions[pk(k)][pt(t)] = s.versions[k][t];
            }
        }
        n
    }

    fn variables(&self) -> &'static [&'static str] {
        &["tsCounter", "txnState", "startTs", "commitTs", "writeSet", "readObs", "lockMap", "versions", "opCount"]
    }

    /// TLC 2.15 prints (and compares under SYMMETRY) versions, txnState, opCount, readObs,
    /// commitTs, writeSet, tsCounter, lockMap, startTs.
    fn tlc_variable_order(&self) -> Vec<usize> {
        variable_order(self.variables(), &["versions", "txnState", "opCount", "readObs", "commitTs", "writeSet", "tsCounter", "lockMap", "startTs"])
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        let lock = |k: usize| {
            let l = s.locks[k];
            let owner = if l.owner == NO_OWNER { Value::Ranked { rank: NONE_RANK, text: "none".to_string() } } else { self.txn_value(l.owner as usize) };
            Value::record([("lockTs", Value::Int(l.lock_ts as i64)), ("owner", owner)])
        };
        let versions = |k: usize| {
            Value::set(
                (0..self.n_txns())
                    .filter(|&t| s.versions[k][t] != 0)
                    .map(|t| Value::record([("commitTs", Value::Int(s.versions[k][t] as i64)), ("owner", self.txn_value(t))])),
            )
        };
        vec![
            Value::Int(s.ts_counter as i64),
            self.per_txn(|t| s.txns[t].state.to_tla()),
            self.per_txn(|t| Value::Int(s.txns[t].start as i64)),
            self.per_txn(|t| Value::Int(s.txns[t].commit as i64)),
            self.per_txn(|t| Value::set((0..self.n_keys()).filter(|&k| s.txns[t].writes(k)).map(|k| self.key_value(k)))),
            self.per_txn(|t| self.per_key(|k| Value::Int(s.txns[t].read_obs[k] as i64))),
            self.per_key(lock),
            self.per_key(versions),
            Value::Int(s.op_count as i64),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::testing::{self, labels, run, step};

    fn model(config: &str) -> Occ {
        testing::model(config)
    }

    fn init(m: &Occ) -> State {
        m.init_states()[0]
    }

    #[test]
    fn begin_takes_the_next_timestamp_once() {
        let m = model("safe");
        assert_eq!(labels(&m, &init(&m)), ["BeginTxn(t1)", "BeginTxn(t2)"]);
        let s = run(&m, init(&m), &["BeginTxn(t2)", "BeginTxn(t1)"]);
        assert_eq!((s.txns[1].start, s.txns[0].start, s.ts_counter), (1, 2, 2));
        assert_eq!(s.txns[0].state, TxnState::Active);
        assert!(!labels(&m, &s).iter().any(|l| l.starts_with("BeginTxn")));
    }

    #[test]
    fn write_intent_buffers_each_key_once_within_max_ops() {
        let m = model("safe");
        let s = run(&m, init(&m), &["BeginTxn(t1)", "WriteIntent(t1, k2)"]);
        assert_eq!((s.txns[0].write_set, s.op_count), (0b10, 1));
        assert!(!labels(&m, &s).contains(&"WriteIntent(t1, k2)".to_string()), "k2 is already in the write set");
        let s = run(&m, s, &["WriteIntent(t1, k1)", "BeginTxn(t2)", "WriteIntent(t2, k1)"]);
        assert_eq!(s.op_count, 3);
        assert!(!labels(&m, &s).iter().any(|l| l.starts_with("WriteIntent")), "MaxOps = 3 reached");
        assert!(s.locks.iter().all(|l| *l == NO_LOCK), "intents take no lock");
    }

    #[test]
    fn prepare_locks_the_write_set_at_the_start_timestamp() {
        let m = model("safe");
        let s = run(&m, init(&m), &["BeginTxn(t1)"]);
        assert!(!labels(&m, &s).contains(&"Prepare(t1)".to_string()), "an empty write set does not prepare");
        let s = run(&m, s, &["WriteIntent(t1, k1)", "Prepare(t1)"]);
        assert_eq!(s.txns[0].state, TxnState::Prepared);
        assert_eq!(s.locks[0], Lock { lock_ts: 1, owner: 0 });
        assert_eq!(s.locks[1], NO_LOCK);
        // t2 cannot prepare k1 while t1 holds its lock.
        let s = run(&m, s, &["BeginTxn(t2)", "WriteIntent(t2, k1)"]);
        assert!(!labels(&m, &s).contains(&"Prepare(t2)".to_string()));
    }

    #[test]
    fn prepare_refuses_a_key_with_a_newer_version() {
        let m = model("safe");
        let s = run(&m, init(&m), &["BeginTxn(t1)", "BeginTxn(t2)", "WriteIntent(t2, k1)", "Prepare(t2)", "Commit(t2)", "WriteIntent(t1, k1)"]);
        assert_eq!(s.versions[0][1], 3, "t2 committed k1 at 3, above t1's start 1");
        assert!(!labels(&m, &s).contains(&"Prepare(t1)".to_string()));
    }

    #[test]
    fn safe_commit_takes_a_fresh_timestamp_and_releases_locks() {
        let m = model("safe");
        let s = run(&m, init(&m), &["BeginTxn(t1)", "WriteIntent(t1, k1)", "WriteIntent(t1, k2)", "Prepare(t1)", "Commit(t1)"]);
        assert_eq!((s.txns[0].state, s.txns[0].commit, s.ts_counter), (TxnState::Committed, 2, 2));
        assert_eq!(s.versions[0][0], 2);
        assert_eq!(s.versions[1][0], 2);
        assert!(s.locks.iter().all(|l| *l == NO_LOCK));
        assert!(m.occ1_commit_ts_above_start(&s));
    }

    #[test]
    fn gap_commit_reuses_the_counter() {
        let m = model("gap");
        let s = run(&m, init(&m), &["BeginTxn(t1)", "WriteIntent(t1, k1)", "Prepare(t1)", "Commit(t1)"]);
        assert_eq!((s.txns[0].commit, s.txns[0].start, s.ts_counter), (1, 1, 1));
        assert!(!m.occ1_commit_ts_above_start(&s));
        assert!(m.type_ok(&s) && m.occ3_read_snapshot_stability(&s) && m.occ4_no_stranded_lock_at_quiescence(&s));
    }

    #[test]
    fn read_key_sees_the_snapshot_and_waits_on_older_locks() {
        let m = model("safe");
        // t1 commits k1 at 3 after t2 began at 2: t2 must not see it.
        let s = run(&m, init(&m), &["BeginTxn(t1)", "WriteIntent(t1, k1)", "BeginTxn(t2)", "Prepare(t1)"]);
        assert!(!labels(&m, &s).contains(&"ReadKey(t2, k1)".to_string()), "t1's lock at 1 is at or below t2's start 2");
        assert!(labels(&m, &s).contains(&"ReadKey(t2, k2)".to_string()));
        let s = run(&m, s, &["Commit(t1)", "ReadKey(t2, k1)"]);
        assert_eq!(s.txns[1].read_obs[0], 0, "the version at 3 is above t2's start 2");
        assert!(labels(&m, &s).contains(&"ReadKey(t2, k1)".to_string()), "having seen nothing, the read may repeat");
        assert!(m.occ3_read_snapshot_stability(&s) && m.occ5_start_ts_consistency(&s));
    }

    #[test]
    fn read_key_records_the_newest_visible_commit() {
        let m = model("safe");
        let s = run(&m, init(&m), &["BeginTxn(t1)", "WriteIntent(t1, k2)", "Prepare(t1)", "Commit(t1)", "BeginTxn(t2)", "ReadKey(t2, k2)"]);
        assert_eq!(s.txns[1].read_obs[1], 2);
        assert!(!labels(&m, &s).contains(&"ReadKey(t2, k2)".to_string()), "k2 has been read");
    }

    #[test]
    fn abort_releases_locks_from_active_or_prepared() {
        let m = model("safe");
        let s = run(&m, init(&m), &["BeginTxn(t1)", "WriteIntent(t1, k1)", "Prepare(t1)"]);
        assert!(labels(&m, &s).contains(&"Abort(t1)".to_string()));
        let s = step(&m, &s, "Abort(t1)");
        assert_eq!(s.txns[0].state, TxnState::Aborted);
        assert!(s.locks.iter().all(|l| *l == NO_LOCK));
        assert!(!labels(&m, &s).iter().any(|l| l.ends_with("(t1)")), "an aborted transaction does nothing more");
    }

    #[test]
    fn invariants_catch_bad_states() {
        let m = model("safe");
        let mut s = run(&m, init(&m), &["BeginTxn(t1)", "WriteIntent(t1, k1)", "Prepare(t1)"]);
        s.txns[0].state = TxnState::Aborted;
        assert!(!m.occ4_no_stranded_lock_at_quiescence(&s), "a lock left behind by a finished transaction");
        let mut s = run(&m, init(&m), &["BeginTxn(t1)", "BeginTxn(t2)", "WriteIntent(t1, k1)", "WriteIntent(t2, k1)"]);
        for t in 0..2 {
            s.txns[t].state = TxnState::Committed;
            s.txns[t].commit = 3;
        }
        assert!(!m.occ2_no_write_write_conflict(&s));
        s.txns[0].read_obs[1] = 4;
        assert!(!m.occ5_start_ts_consistency(&s));
        let mut later = s;
        later.txns[0].start = 5;
        assert!(!m.start_ts_assigned_once(&s, &later));
        let mut later = s;
        later.txns[1].commit = 4;
        assert!(!m.commit_ts_assigned_once(&s, &later));
        assert!(m.start_ts_assigned_once(&s, &s) && m.commit_ts_assigned_once(&s, &s));
    }

    #[test]
    fn permuting_renames_keys_or_transactions() {
        let m = model("safe");
        let s = run(&m, init(&m), &["BeginTxn(t1)", "WriteIntent(t1, k1)", "ReadKey(t1, k2)", "Prepare(t1)"]);
        let keys = Permutation { maps: vec![vec![1, 0], vec![0, 1]] };
        assert_eq!(m.permute(&s, &keys), run(&m, init(&m), &["BeginTxn(t1)", "WriteIntent(t1, k2)", "ReadKey(t1, k1)", "Prepare(t1)"]));
        let txns = Permutation { maps: vec![vec![0, 1], vec![1, 0]] };
        assert_eq!(m.permute(&s, &txns), run(&m, init(&m), &["BeginTxn(t2)", "WriteIntent(t2, k1)", "ReadKey(t2, k2)", "Prepare(t2)"]));
    }

    #[test]
    fn prints_like_the_twin() {
        let m = model("gap");
        let s = run(&m, init(&m), &["BeginTxn(t1)", "WriteIntent(t1, k1)", "Prepare(t1)"]);
        let v = m.to_tla(&s);
        // TLC 2.15's lines for the same state (state 4 of the gap counterexample).
        assert_eq!(v[1].to_string(), "(t1 :> \"Prepared\" @@ t2 :> \"Idle\")");
        assert_eq!(v[5].to_string(), "(t1 :> (k1 :> 0 @@ k2 :> 0) @@ t2 :> (k1 :> 0 @@ k2 :> 0))");
        assert_eq!(v[6].to_string(), "(k1 :> [lockTs |-> 1, owner |-> t1] @@ k2 :> [lockTs |-> 0, owner |-> \"none\"])");
        let s = step(&m, &s, "Commit(t1)");
        assert_eq!(m.to_tla(&s)[7].to_string(), "(k1 :> {[commitTs |-> 1, owner |-> t1]} @@ k2 :> {})");
    }

    #[test]
    fn keys_and_transactions_need_different_names() {
        let info = Occ::info();
        let c = Constants::build(&info.constants, &[("Keys".into(), "{a, t1}".into())]).unwrap();
        let err = Occ::build(info.config("safe").unwrap(), &c).err().expect("refused");
        assert!(err.contains("'t1' is in both"), "{err}");
    }
}
