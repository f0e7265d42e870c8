//! `crdt`: redis-rust's CRDT replication, last-writer-wins registers kept convergent by
//! Lamport-stamped deltas (seed 000). Twin: `tla/crdt/ReplicationConvergence.tla`.
//!
//! Each replica has a Lamport clock and, per key, an LWW register: a value (or none), the
//! timestamp (time, replica) of the write that produced it, and a tombstone flag. `Set` and
//! `Delete` tick the writer's clock (only below `MaxTime`), write its register and send the new
//! register as a delta to its peers; `ReceiveDelta` merges a delta (the later timestamp wins) and
//! moves the receiver's clock past the delta's time; `CreatePartition` / `HealPartition` cut and
//! restore a link.
//!
//! Configurations: `safe` (ties broken by replica id; a cut link only holds deltas back until it
//! heals); `tie-break-missing` (the merge compares times only and keeps the local register on a
//! tie: MergeCommutative fails, and the two replicas end up holding different registers);
//! `lossy-partition` (the seed's partitions: a write sends nothing across a cut link and a cut
//! drops what is in flight on it, nothing repairs the loss, and EventualConvergence fails).
//!
//! No symmetry: the tie-break orders replicas by id, so they are not interchangeable.
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the properties, then
//! the plumbing (TLA+ values, messages).

use crate::engine::messages::{MessageEvent, MessageOp};
use crate::engine::sorted;
use crate::engine::{
    Checks, ConfigSpec, ConstKind, ConstSpec, Constants, FairSpec, Fairness, FairnessKind, LivenessProperty, Model, ModelDef, ModelInfo, Temporal, Value,
};

// ---- CONSTANTS ----

/// Bounds on the constants (and the sizes of the state's arrays).
pub const MAX_REPLICAS: usize = 3;
pub const MAX_KEYS: usize = 2;
pub const MAX_VALUES: usize = 3;

/// A register's value when it holds none (`NoValue` in the twin).
pub const NO_VALUE: u8 = u8::MAX;
/// The replica of the initial register's timestamp, the write nobody made (`NoReplica`).
pub const NO_REPLICA: u8 = 0;

pub struct Crdt {
    /// The replica ids, ascending (replica index `i` has id `replicas[i]`).
    pub replicas: Vec<u8>,
    pub keys: Vec<String>,
    pub values: Vec<String>,
    pub max_time: u8,
    /// `TieBreakByReplica`: equal times are ordered by replica id.
    pub tie_break_by_replica: bool,
    /// `LossyPartitions`: writes send nothing across a cut link and a cut drops what is in flight.
    pub lossy_partitions: bool,
    /// What this config checks.
    checks: Checks<Crdt>,
}

impl ModelDef for Crdt {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/crdt/ReplicationConvergence.tla")];

    fn info() -> ModelInfo {
        ModelInfo {
            name: "crdt",
            title: "LWW-register replication with Lamport clocks",
            story: "Replicas write last-writer-wins registers stamped (Lamport time, replica) and send each write to their peers as a delta; merging by that stamp makes every replica end with the same register, unless ties are not broken by replica id or partitions lose deltas.",
            source: "seed 000: redis-rust replication specs (ReplicationConvergence.tla; Stateright peer src/stateright/replication.rs)",
            tla_module: "ReplicationConvergence",
            constants: vec![
                ConstSpec {
                    name: "Replicas",
                    doc: "Replica ids, ordered by < in the tie-break (so not symmetric).",
                    kind: ConstKind::IntSet { min: 1, max: MAX_REPLICAS as i64 },
                    default: "{1, 2}",
                },
                ConstSpec { name: "Keys", doc: "The keys.", kind: ConstKind::ModelValues { prefix: "k", min_len: 1, max_len: MAX_KEYS }, default: "{k1}" },
                ConstSpec {
                    name: "Values",
                    doc: "The values a Set may write.",
                    kind: ConstKind::ModelValues { prefix: "v", min_len: 1, max_len: MAX_VALUES },
                    default: "{v1, v2}",
                },
                ConstSpec { name: "MaxTime", doc: "A replica writes only while its Lamport clock is below this.", kind: ConstKind::Int { min: 0, max: 4 }, default: "3" },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "Equal times are ordered by replica id, and a cut link only holds deltas back until it heals.",
                    expect: None,
                    tla_switches: &[("TieBreakByReplica", "TRUE"), ("LossyPartitions", "FALSE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "tie-break-missing",
                    summary: "The merge compares times only and keeps the local register on a tie, so two writes at the same time merge differently in each order: MergeCommutative fails, and the replicas diverge.",
                    expect: Some("MergeCommutative"),
                    tla_switches: &[("TieBreakByReplica", "FALSE"), ("LossyPartitions", "FALSE")],
                    alters: &["ReceiveDelta"],
                },
                ConfigSpec {
                    name: "lossy-partition",
                    summary: "The seed's partitions: a write sends nothing across a cut link and a cut drops the deltas in flight on it, and nothing repairs the loss, so EventualConvergence fails after the heal.",
                    expect: Some("EventualConvergence"),
                    tla_switches: &[("TieBreakByReplica", "TRUE"), ("LossyPartitions", "TRUE")],
                    alters: &["Set", "Delete", "CreatePartition"],
                },
                ConfigSpec {
                    name: "convergence",
                    summary: "Liveness: the safe protocol under FairSpec (strong fairness on each replica's ReceiveDelta, weak fairness on healing each cut link): every fair behaviour ends converged for good (ConvergesEventually holds).",
                    expect: None,
                    tla_switches: &[("TieBreakByReplica", "TRUE"), ("LossyPartitions", "FALSE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "convergence-lossy",
                    summary: "Liveness with the seed's lossy partitions under the same fairness: a cut drops a delta, the link heals, every delta left is delivered, and still the replicas differ for ever: fairness cannot bring back a lost delta, only a repair (anti-entropy) could. ConvergesEventually fails.",
                    expect: Some("ConvergesEventually"),
                    tla_switches: &[("TieBreakByReplica", "TRUE"), ("LossyPartitions", "TRUE")],
                    alters: &["Set", "Delete", "CreatePartition"],
                },
            ],
            meanings: &[
                ("TypeOK", "Every register holds a value or none, a timestamp of a replica (or of nobody) and a tombstone flag; every delta goes between two replicas; each clock carries its own replica's id."),
                ("TombstoneConsistency", "A deleted register holds no value."),
                ("MergeCommutative", "For every key, merging any two of its registers present (held by a replica or carried by a delta) gives the same register in either order."),
                ("EventualConvergence", "When no link is cut and no delta is in flight, every replica holds the same register (value, tombstone and timestamp) for every key."),
                ("LamportMonotonic", "No step lowers a replica's Lamport clock."),
                ("ConvergesEventually", "From some point on, every replica holds the same register for every key, for ever: every fair behaviour converges."),
                ("Set", "A replica ticks its clock, writes a value into its register for the key, and sends the new register as a delta to its peers (lossy: only to those it is not cut off from)."),
                ("Delete", "A replica ticks its clock, writes a tombstone into its register for the key, and sends it as a delta to its peers (lossy: only to those it is not cut off from)."),
                ("ReceiveDelta", "A replica takes a delta addressed to it over a link that is not cut, keeps the later of its register and the delta's (safe: equal times ordered by replica id), and moves its clock past the delta's time."),
                ("CreatePartition", "The link between two replicas is cut (lossy: the deltas in flight on it are dropped)."),
                ("HealPartition", "A cut link is restored."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        let mut replicas: Vec<u8> = constants.int_set("Replicas").into_iter().map(|r| r as u8).collect();
        replicas.sort_unstable();
        // The liveness configs check convergence as the temporal property it is; the state
        // predicate would stop the lossy one at the first quiet divergent state, before any lasso.
        let liveness = config.name.starts_with("convergence");
        let checks = Checks::new()
            .invariant("TypeOK", Crdt::type_ok)
            .invariant("TombstoneConsistency", Crdt::tombstone_consistency)
            .invariant("MergeCommutative", Crdt::merge_commutative)
            .invariant_if(!liveness, "EventualConvergence", Crdt::eventual_convergence)
            .action_property("LamportMonotonic", Crdt::lamport_monotonic)
            .fair_spec(liveness.then(|| FairSpec {
                name: "FairSpec",
                fairness: vec![Crdt::SF_RECEIVE, Crdt::WF_HEAL],
                properties: vec![Crdt::CONVERGES_EVENTUALLY],
            }));
        Ok(Crdt {
            replicas,
            keys: constants.names("Keys"),
            values: constants.names("Values"),
            max_time: constants.int("MaxTime") as u8,
            tie_break_by_replica: config.switch("TieBreakByReplica"),
            lossy_partitions: config.switch("LossyPartitions"),
            checks,
        })
    }
}

// ---- VARIABLES ----

/// A timestamp `[replica, time]`. The derived order is TLC's record order (fields alphabetically),
/// used to sort the network like TLC; the LWW order is [`Crdt::timestamp_lt`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// The writer's id ([`NO_REPLICA`] for the initial register).
    pub replica: u8,
    pub time: u8,
}

/// An LWW register `[tombstone, ts, value]` (derived order: TLC's, as for [`Timestamp`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Register {
    pub tombstone: bool,
    pub ts: Timestamp,
    /// A value index, or [`NO_VALUE`].
    pub value: u8,
}

/// `Bottom`: every replica's register before any write, the write nobody made at time 0.
pub const BOTTOM: Register = Register { tombstone: false, ts: Timestamp { replica: NO_REPLICA, time: 0 }, value: NO_VALUE };

/// A delta in flight `[dst, key, reg, src]`, replicas as indices (ascending like their ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Delta {
    pub dst: u8,
    pub key: u8,
    pub reg: Register,
    pub src: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// `lww_registers[r][k]`, by replica index.
    pub registers: [[Register; MAX_KEYS]; MAX_REPLICAS],
    /// `lamport_clocks[r].time` (its replica field is always r's id).
    pub clocks: [u8; MAX_REPLICAS],
    /// `network`, sorted in TLC's order and without duplicates (a set).
    pub network: Vec<Delta>,
    /// `partitioned[r1][r2]`, kept symmetric.
    pub partitioned: [[bool; MAX_REPLICAS]; MAX_REPLICAS],
}

impl State {
    pub fn cut(&self, a: usize, b: usize) -> bool {
        self.partitioned[a][b]
    }

    fn any_cut(&self) -> bool {
        self.partitioned.iter().any(|row| row.iter().any(|&c| c))
    }
}

impl Crdt {
    pub fn n(&self) -> usize {
        self.replicas.len()
    }

    pub fn nkeys(&self) -> usize {
        self.keys.len()
    }

    /// Replica `r`'s id.
    pub fn id(&self, r: usize) -> u8 {
        self.replicas[r]
    }

    // ---- TypeOK ----

    fn type_ok(&self, s: &State) -> bool {
        let (n, nk) = (self.n(), self.nkeys());
        let register_ok = |g: &Register| {
            (g.value == NO_VALUE || (g.value as usize) < self.values.len()) && (g.ts.replica == NO_REPLICA || self.replicas.contains(&g.ts.replica))
        };
        (0..n).all(|r| s.registers[r][..nk].iter().all(register_ok))
            && s.network.iter().all(|m| (m.dst as usize) < n && (m.src as usize) < n && (m.key as usize) < nk && register_ok(&m.reg))
    }

    // ---- Init ----

    fn init(&self) -> State {
        State {
            registers: [[BOTTOM; MAX_KEYS]; MAX_REPLICAS],
            clocks: [0; MAX_REPLICAS],
            network: Vec::new(),
            partitioned: [[false; MAX_REPLICAS]; MAX_REPLICAS],
        }
    }

    // ---- Timestamps and the merge ----

    /// `TimestampLT`: by time, then (with the tie-break) by replica id.
    pub fn timestamp_lt(&self, a: Timestamp, b: Timestamp) -> bool {
        a.time < b.time || (self.tie_break_by_replica && a.time == b.time && a.replica < b.replica)
    }

    /// `MergeLww(local, remote)`: the remote register replaces the local one only if it is later.
    pub fn merge_lww(&self, local: Register, remote: Register) -> Register {
        if self.timestamp_lt(local.ts, remote.ts) {
            remote
        } else {
            local
        }
    }

    /// `UpdateClock`: past both the clock's own time and the delta's.
    fn update_clock(clock: u8, remote: Timestamp) -> u8 {
        if clock > remote.time {
            clock + 1
        } else {
            remote.time + 1
        }
    }

    /// `Recipients(r)`: every other replica, or (lossy) only those r is not cut off from.
    pub fn recipients(&self, s: &State, r: usize) -> Vec<usize> {
        (0..self.n()).filter(|&p| p != r && !(self.lossy_partitions && s.cut(r, p))).collect()
    }

    // ---- Actions ----

    /// The write shared by `Set` and `Delete`: tick, write, broadcast.
    fn write(&self, s: &State, r: usize, k: usize, tombstone: bool, value: u8) -> Option<State> {
        if s.clocks[r] >= self.max_time {
            return None;
        }
        let mut t = s.clone();
        let clock = s.clocks[r] + 1;
        let reg = Register { tombstone, ts: Timestamp { replica: self.id(r), time: clock }, value };
        t.clocks[r] = clock;
        t.registers[r][k] = reg;
        for p in self.recipients(s, r) {
            t.network.push(Delta { dst: p as u8, key: k as u8, reg, src: r as u8 });
        }
        sorted::sort(&mut t.network);
        t.network.dedup();
        Some(t)
    }

    /// `Set(r, k, v)`.
    fn set(&self, s: &State, r: usize, k: usize, v: usize) -> Option<State> {
        self.write(s, r, k, false, v as u8)
    }

    /// `Delete(r, k)`: a tombstone, sent like a write.
    fn delete(&self, s: &State, r: usize, k: usize) -> Option<State> {
        self.write(s, r, k, true, NO_VALUE)
    }

    /// `ReceiveDelta(r, msg)`: r takes a delta addressed to it over a link that is not cut.
    fn receive_delta(&self, s: &State, r: usize, msg: &Delta) -> Option<State> {
        if msg.dst as usize != r || s.cut(msg.src as usize, r) {
            return None;
        }
        let at = s.network.iter().position(|m| m == msg)?;
        let mut t = s.clone();
        let k = msg.key as usize;
        t.registers[r][k] = self.merge_lww(s.registers[r][k], msg.reg);
        t.clocks[r] = Self::update_clock(s.clocks[r], msg.reg.ts);
        t.network.remove(at);
        Some(t)
    }

    /// `CreatePartition(r1, r2)`: the link is cut; lossy partitions drop what is in flight on it.
    fn create_partition(&self, s: &State, r1: usize, r2: usize) -> Option<State> {
        if self.id(r1) >= self.id(r2) || s.cut(r1, r2) {
            return None;
        }
        let mut t = s.clone();
        t.partitioned[r1][r2] = true;
        t.partitioned[r2][r1] = true;
        if self.lossy_partitions {
            t.network.retain(|m| !on_link(m, r1, r2));
        }
        Some(t)
    }

    /// `HealPartition(r1, r2)`.
    fn heal_partition(&self, s: &State, r1: usize, r2: usize) -> Option<State> {
        if self.id(r1) >= self.id(r2) || !s.cut(r1, r2) {
            return None;
        }
        let mut t = s.clone();
        t.partitioned[r1][r2] = false;
        t.partitioned[r2][r1] = false;
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s candidates, in its disjunct order, quantifiers nested outer first, each ascending
    /// (the network in TLC's set order).
    fn next(&self, s: &State, out: &mut Vec<Action>) {
        let (n, nk, nv) = (self.n() as u8, self.nkeys() as u8, self.values.len() as u8);
        for r in 0..n {
            for k in 0..nk {
                for v in 0..nv {
                    out.push(Action::Set { r, k, v });
                }
            }
        }
        for r in 0..n {
            for k in 0..nk {
                out.push(Action::Delete { r, k });
            }
        }
        for r in 0..n {
            out.extend(s.network.iter().map(|&msg| Action::ReceiveDelta { r, msg }));
        }
        for r1 in 0..n {
            for r2 in 0..n {
                out.push(Action::CreatePartition { r1, r2 });
            }
        }
        for r1 in 0..n {
            for r2 in 0..n {
                out.push(Action::HealPartition { r1, r2 });
            }
        }
    }

    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::Set { r, k, v } => self.set(s, r as usize, k as usize, v as usize),
            Action::Delete { r, k } => self.delete(s, r as usize, k as usize),
            Action::ReceiveDelta { r, ref msg } => self.receive_delta(s, r as usize, msg),
            Action::CreatePartition { r1, r2 } => self.create_partition(s, r1 as usize, r2 as usize),
            Action::HealPartition { r1, r2 } => self.heal_partition(s, r1 as usize, r2 as usize),
        }
    }
}

/// `OnLink(m, r1, r2)`: the delta travels between r1 and r2, either way.
pub fn on_link(m: &Delta, r1: usize, r2: usize) -> bool {
    let (a, b) = (m.src as usize, m.dst as usize);
    (a == r1 && b == r2) || (a == r2 && b == r1)
}

/// An action of `Next`, replicas as indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Set { r: u8, k: u8, v: u8 },
    Delete { r: u8, k: u8 },
    ReceiveDelta { r: u8, msg: Delta },
    CreatePartition { r1: u8, r2: u8 },
    HealPartition { r1: u8, r2: u8 },
}

impl Action {
    pub const NAMES: [&'static str; 5] = ["Set", "Delete", "ReceiveDelta", "CreatePartition", "HealPartition"];

    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Set { .. } => "Set",
            Action::Delete { .. } => "Delete",
            Action::ReceiveDelta { .. } => "ReceiveDelta",
            Action::CreatePartition { .. } => "CreatePartition",
            Action::HealPartition { .. } => "HealPartition",
        }
    }
}

impl Crdt {
    // ---- Invariants ----

    /// A deleted register holds no value.
    fn tombstone_consistency(&self, s: &State) -> bool {
        (0..self.n()).all(|r| s.registers[r][..self.nkeys()].iter().all(|g| !g.tombstone || g.value == NO_VALUE))
    }

    /// `RegistersOf(k)`: the registers of key k held by a replica or carried by a delta.
    pub fn registers_of(&self, s: &State, k: usize) -> Vec<Register> {
        let mut regs: Vec<Register> = (0..self.n()).map(|r| s.registers[r][k]).collect();
        regs.extend(s.network.iter().filter(|m| m.key as usize == k).map(|m| m.reg));
        regs
    }

    /// Two registers of one key whose merge depends on the order, if any (`MergeCommutative`'s
    /// witness).
    pub fn non_commuting(&self, s: &State) -> Option<(usize, Register, Register)> {
        (0..self.nkeys()).find_map(|k| {
            let regs = self.registers_of(s, k);
            regs.iter().enumerate().find_map(|(i, &a)| regs[i + 1..].iter().find(|&&b| self.merge_lww(a, b) != self.merge_lww(b, a)).map(|&b| (k, a, b)))
        })
    }

    fn merge_commutative(&self, s: &State) -> bool {
        self.non_commuting(s).is_none()
    }

    /// No link cut and nothing in flight: the antecedent of `EventualConvergence`.
    pub fn quiet(&self, s: &State) -> bool {
        !s.any_cut() && s.network.is_empty()
    }

    /// Every replica holds the same register for every key.
    pub fn converged(&self, s: &State) -> bool {
        (0..self.nkeys()).all(|k| (1..self.n()).all(|r| s.registers[r][k] == s.registers[0][k]))
    }

    fn eventual_convergence(&self, s: &State) -> bool {
        !self.quiet(s) || self.converged(s)
    }

    // ---- Liveness ----

    /// `ConvergesEventually == <>[]Converged`: EventualConvergence as the seed meant it, a
    /// temporal property (the state predicate above is its safety shadow).
    const CONVERGES_EVENTUALLY: LivenessProperty<Crdt> =
        LivenessProperty { name: "ConvergesEventually", kind: Temporal::EventuallyAlways, p: Crdt::converged, q: None };

    /// `\A r \in Replicas : SF_vars(\E msg \in network : ReceiveDelta(r, msg))`. Strong: a link
    /// may be cut and healed for ever, so a delivery is enabled only now and then, never for good.
    const SF_RECEIVE: Fairness<Crdt> = Fairness {
        kind: FairnessKind::Strong,
        name: "\\A r \\in Replicas : SF_vars(\\E msg \\in network : ReceiveDelta(r, msg))",
        instance: |_, a| match a {
            Action::ReceiveDelta { r, .. } => Some(*r as u32),
            _ => None,
        },
    };

    /// `\A r1, r2 \in Replicas : WF_vars(HealPartition(r1, r2))`: a cut link does not stay cut.
    const WF_HEAL: Fairness<Crdt> = Fairness {
        kind: FairnessKind::Weak,
        name: "\\A r1, r2 \\in Replicas : WF_vars(HealPartition(r1, r2))",
        instance: |_, a| match a {
            Action::HealPartition { r1, r2 } => Some(*r1 as u32 * MAX_REPLICAS as u32 + *r2 as u32),
            _ => None,
        },
    };

    // ---- Action property ----

    /// No replica's clock goes down.
    fn lamport_monotonic(&self, s: &State, t: &State) -> bool {
        (0..self.n()).all(|r| s.clocks[r] <= t.clocks[r])
    }

    // ---- Notation shared by labels, messages and the view ----

    /// A register's content and stamp: `k1=v1 @(1,2)` (time 1, replica 2), `k1 deleted @(2,1)`.
    pub fn register_text(&self, k: usize, g: &Register) -> String {
        let what = if g.tombstone {
            format!("{} deleted", self.keys[k])
        } else if g.value == NO_VALUE {
            format!("{}=none", self.keys[k])
        } else {
            format!("{}={}", self.keys[k], self.values[g.value as usize])
        };
        format!("{what} @({},{})", g.ts.time, g.ts.replica)
    }

    // ---- TLA+ values ----

    fn timestamp_value(ts: Timestamp) -> Value {
        Value::record([("replica", Value::Int(ts.replica as i64)), ("time", Value::Int(ts.time as i64))])
    }

    pub fn register_value(&self, g: &Register) -> Value {
        let value = if g.value == NO_VALUE { Value::str("none") } else { Value::model(g.value as usize, &self.values[g.value as usize]) };
        Value::record([("tombstone", Value::Bool(g.tombstone)), ("ts", Self::timestamp_value(g.ts)), ("value", value)])
    }

    fn key_value(&self, k: usize) -> Value {
        Value::model(k, &self.keys[k])
    }

    pub fn delta_value(&self, m: &Delta) -> Value {
        Value::record([
            ("dst", Value::Int(self.id(m.dst as usize) as i64)),
            ("key", self.key_value(m.key as usize)),
            ("reg", self.register_value(&m.reg)),
            ("src", Value::Int(self.id(m.src as usize) as i64)),
        ])
    }
}

impl Crdt {
    // ---- Messages ----

    /// A delta's identity: the link and the write it carries (a write's stamp is unique).
    pub fn delta_id(&self, m: &Delta) -> String {
        format!("delta {}->{} {} @({},{})", self.id(m.src as usize), self.id(m.dst as usize), self.keys[m.key as usize], m.reg.ts.time, m.reg.ts.replica)
    }

    fn delta_event(&self, op: MessageOp, m: &Delta) -> MessageEvent {
        let value = if m.reg.value == NO_VALUE { "none".to_string() } else { self.values[m.reg.value as usize].clone() };
        MessageEvent {
            op,
            from: m.src as usize,
            to: m.dst as usize,
            id: self.delta_id(m),
            label: format!("Δ {}", self.register_text(m.key as usize, &m.reg)),
            contents: vec![
                ("key".into(), self.keys[m.key as usize].clone()),
                ("value".into(), value),
                ("tombstone".into(), if m.reg.tombstone { "TRUE" } else { "FALSE" }.into()),
                ("ts".into(), format!("({}, {})", m.reg.ts.time, m.reg.ts.replica)),
            ],
        }
    }
}

impl Model for Crdt {
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
        let id = |r: u8| self.id(r as usize);
        match *action {
            Action::Set { r, k, v } => format!("Set({}, {}, {})", id(r), self.keys[k as usize], self.values[v as usize]),
            Action::Delete { r, k } => format!("Delete({}, {})", id(r), self.keys[k as usize]),
            Action::ReceiveDelta { r, msg } => format!("ReceiveDelta({}, {})", id(r), self.register_text(msg.key as usize, &msg.reg)),
            Action::CreatePartition { r1, r2 } => format!("CreatePartition({}, {})", id(r1), id(r2)),
            Action::HealPartition { r1, r2 } => format!("HealPartition({}, {})", id(r1), id(r2)),
        }
    }

    fn action_names(&self) -> Vec<&'static str> {
        Action::NAMES.to_vec()
    }

    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }

    fn variables(&self) -> &'static [&'static str] {
        &["lww_registers", "lamport_clocks", "network", "partitioned"]
    }

    /// The replicas, by id.
    fn nodes(&self) -> Vec<String> {
        self.replicas.iter().map(|id| format!("replica {id}")).collect()
    }

    /// Set/Delete send one delta per recipient; ReceiveDelta delivers one; CreatePartition cuts a
    /// link (and, lossy, drops what was in flight on it); HealPartition restores it.
    fn messages(&self, s: &State, action: &Action, next: &State) -> Vec<MessageEvent> {
        match *action {
            Action::Set { .. } | Action::Delete { .. } => {
                next.network.iter().filter(|m| !s.network.contains(m)).map(|m| self.delta_event(MessageOp::Send, m)).collect()
            }
            Action::ReceiveDelta { msg, .. } => vec![self.delta_event(MessageOp::Deliver, &msg)],
            Action::CreatePartition { r1, r2 } => {
                let mut events = vec![MessageEvent::link(MessageOp::Partition, r1 as usize, r2 as usize, self.id(r1 as usize), self.id(r2 as usize))];
                events.extend(s.network.iter().filter(|m| !next.network.contains(m)).map(|m| self.delta_event(MessageOp::Drop, m)));
                events
            }
            Action::HealPartition { r1, r2 } => vec![MessageEvent::link(MessageOp::Heal, r1 as usize, r2 as usize, self.id(r1 as usize), self.id(r2 as usize))],
        }
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        vec![
            Value::per_id(&self.replicas, |r| Value::func((0..self.nkeys()).map(|k| (self.key_value(k), self.register_value(&s.registers[r][k]))))),
            Value::per_id(&self.replicas, |r| Self::timestamp_value(Timestamp { replica: self.id(r), time: s.clocks[r] })),
            Value::set(s.network.iter().map(|m| self.delta_value(m))),
            Value::per_id(&self.replicas, |r1| Value::per_id(&self.replicas, |r2| Value::Bool(s.partitioned[r1][r2]))),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::testing::{self, labels, run};

    fn model(config: &str) -> Crdt {
        testing::model(config)
    }

    fn after(m: &Crdt, steps: &[&str]) -> State {
        run(m, m.init_states().remove(0), steps)
    }

    #[test]
    fn initially_every_write_and_every_cut_is_enabled() {
        let m = model("safe");
        assert_eq!(
            labels(&m, &m.init_states()[0]),
            ["Set(1, k1, v1)", "Set(1, k1, v2)", "Set(2, k1, v1)", "Set(2, k1, v2)", "Delete(1, k1)", "Delete(2, k1)", "CreatePartition(1, 2)"]
        );
    }

    #[test]
    fn a_write_ticks_the_clock_writes_and_sends_to_every_peer() {
        let m = testing::model::<Crdt>("safe");
        let s = after(&m, &["Set(1, k1, v2)"]);
        let reg = Register { tombstone: false, ts: Timestamp { replica: 1, time: 1 }, value: 1 };
        assert_eq!((s.clocks[0], s.registers[0][0]), (1, reg));
        assert_eq!(s.network, [Delta { dst: 1, key: 0, reg, src: 0 }]);
        let s = run(&m, s, &["Delete(1, k1)"]);
        assert_eq!(s.registers[0][0], Register { tombstone: true, ts: Timestamp { replica: 1, time: 2 }, value: NO_VALUE });
        assert_eq!(s.network.len(), 2);
    }

    #[test]
    fn writes_stop_at_max_time() {
        let m = model("safe");
        let s = after(&m, &["Set(1, k1, v1)", "Set(1, k1, v1)", "Set(1, k1, v1)"]);
        assert_eq!(s.clocks[0], 3);
        assert!(!labels(&m, &s).iter().any(|l| l.starts_with("Set(1") || l.starts_with("Delete(1")), "clock 3 is not below MaxTime 3");
    }

    #[test]
    fn receive_merges_the_later_register_and_moves_the_clock_past_it() {
        let m = model("safe");
        let s = after(&m, &["Set(1, k1, v1)", "Set(1, k1, v2)", "ReceiveDelta(2, k1=v2 @(2,1))"]);
        assert_eq!(s.registers[1][0].value, 1);
        assert_eq!(s.clocks[1], 3, "past the delta's time 2");
        // The older delta arrives late and changes nothing but the clock.
        let t = run(&m, s.clone(), &["ReceiveDelta(2, k1=v1 @(1,1))"]);
        assert_eq!((t.registers[1][0], t.clocks[1]), (s.registers[1][0], 4));
        assert!(m.converged(&t) && m.quiet(&t));
    }

    #[test]
    fn ties_are_broken_by_replica_id_only_in_safe() {
        let (safe, gap) = (model("safe"), model("tie-break-missing"));
        let a = Register { tombstone: false, ts: Timestamp { replica: 1, time: 1 }, value: 0 };
        let b = Register { tombstone: false, ts: Timestamp { replica: 2, time: 1 }, value: 1 };
        assert_eq!((safe.merge_lww(a, b), safe.merge_lww(b, a)), (b, b));
        assert_eq!((gap.merge_lww(a, b), gap.merge_lww(b, a)), (a, b), "the local register is kept on a tie");
        let later = Register { ts: Timestamp { replica: 1, time: 2 }, ..a };
        assert_eq!((gap.merge_lww(b, later), gap.merge_lww(later, b)), (later, later), "times still decide");
    }

    #[test]
    fn a_safe_cut_holds_deltas_and_a_lossy_one_drops_them() {
        let safe = model("safe");
        let s = after(&safe, &["Set(1, k1, v1)", "CreatePartition(1, 2)", "Set(1, k1, v2)"]);
        assert_eq!(s.network.len(), 2, "safe: both deltas wait on the cut link");
        assert!(!labels(&safe, &s).iter().any(|l| l.starts_with("ReceiveDelta")));
        let lossy = model("lossy-partition");
        let s = after(&lossy, &["Set(1, k1, v1)", "CreatePartition(1, 2)"]);
        assert!(s.network.is_empty(), "lossy: the cut dropped the delta");
        let s = run(&lossy, s, &["Set(1, k1, v2)"]);
        assert!(s.network.is_empty(), "lossy: nothing is sent across a cut link");
        let s = run(&lossy, s, &["HealPartition(1, 2)"]);
        assert!(lossy.quiet(&s) && !lossy.converged(&s) && !lossy.eventual_convergence(&s));
    }

    #[test]
    fn partitions_are_symmetric_and_listed_once_per_link() {
        let m = model("safe");
        let s = after(&m, &["CreatePartition(1, 2)"]);
        assert!(s.cut(0, 1) && s.cut(1, 0));
        assert_eq!(labels(&m, &s).iter().filter(|l| l.contains("Partition")).collect::<Vec<_>>(), ["HealPartition(1, 2)"]);
    }

    #[test]
    fn invariants_catch_bad_states() {
        let m = model("safe");
        let mut s = after(&m, &["Set(1, k1, v1)"]);
        assert!(m.type_ok(&s) && m.tombstone_consistency(&s) && m.merge_commutative(&s));
        s.registers[0][0].tombstone = true;
        assert!(!m.tombstone_consistency(&s), "a tombstone holding a value");
        s.registers[0][0].value = 7;
        assert!(!m.type_ok(&s), "value 7 of 2");
        let t = State { clocks: [0; MAX_REPLICAS], ..s.clone() };
        assert!(!m.lamport_monotonic(&s, &t));
        // Two different registers with one stamp do not commute even with the tie-break.
        let mut u = after(&m, &["Set(1, k1, v1)"]);
        u.registers[1][0] = Register { value: 1, ..u.registers[0][0] };
        assert!(!m.merge_commutative(&u));
    }

    #[test]
    fn prints_like_the_twin() {
        let m = model("tie-break-missing");
        let s = after(&m, &["Set(1, k1, v1)", "Set(2, k1, v1)"]);
        let v = m.to_tla(&s);
        // TLC 2.15's lines for state 3 of the gap's counterexample, whitespace collapsed.
        assert_eq!(v[1].to_string(), "<<[replica |-> 1, time |-> 1], [replica |-> 2, time |-> 1]>>");
        assert_eq!(
            v[2].to_string(),
            "{[dst |-> 1, key |-> k1, reg |-> [tombstone |-> FALSE, ts |-> [replica |-> 2, time |-> 1], value |-> v1], src |-> 2], [dst |-> 2, key |-> k1, reg |-> [tombstone |-> FALSE, ts |-> [replica |-> 1, time |-> 1], value |-> v1], src |-> 1]}"
        );
        assert_eq!(v[3].to_string(), "<<<<FALSE, FALSE>>, <<FALSE, FALSE>>>>");
        // Ids that are not 1..n make functions, not tuples.
        let info = Crdt::info();
        let c = Constants::build(&info.constants, &[("Replicas".into(), "{2, 3}".into())]).unwrap();
        let m = Crdt::build(info.config("safe").unwrap(), &c).unwrap();
        assert_eq!(m.to_tla(&m.init_states()[0])[1].to_string(), "(2 :> [replica |-> 2, time |-> 0] @@ 3 :> [replica |-> 3, time |-> 0])");
    }
}
