//! `crdt` written a second time, against Stateright: redis-rust's LWW-register replication with
//! Lamport clocks, from the twin `tla/crdt/ReplicationConvergence.tla` (not from
//! `src/models/crdt.rs`). Written as a Stateright user would: owned collections, a `BTreeSet` for
//! the network (a TLA+ set) and for the cut links, a clone per successor.
//!
//! Same constants and same semantics as our model, so the same distinct states: a state here is
//! a state there, with the network as a set and `partitioned` (kept symmetric there) as the set of
//! cut links `(r1, r2)`, `r1 < r2`. `LamportMonotonic` is an action property, which Stateright
//! cannot state (its properties read one state); the four invariants are checked.
//!
//! No symmetry: the tie-break orders replicas by id, so they are not interchangeable (and the
//! checker is never given `.symmetry()`).

use std::collections::BTreeSet;

use pex::engine::{ConfigSpec, Constants, ModelDef};
use stateright::{Model, Property};

/// An LWW register: a value (or none), the stamp `(time, replica id)` of its write, a tombstone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Register {
    pub value: Option<u8>,
    pub time: u8,
    /// The writer's id; 0 for the initial register, the write nobody made.
    pub replica: u8,
    pub tombstone: bool,
}

/// `Bottom`.
const BOTTOM: Register = Register { value: None, time: 0, replica: 0, tombstone: false };

/// A delta in flight, replicas as indices into the (ascending) ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Delta {
    pub src: usize,
    pub dst: usize,
    pub key: usize,
    pub reg: Register,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// `lww_registers[r][k]`.
    pub registers: Vec<Vec<Register>>,
    /// `lamport_clocks[r].time`.
    pub clocks: Vec<u8>,
    pub network: BTreeSet<Delta>,
    /// The cut links `(r1, r2)`, `r1 < r2`.
    pub cut: BTreeSet<(usize, usize)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Set { r: usize, k: usize, v: u8 },
    Delete { r: usize, k: usize },
    ReceiveDelta { r: usize, msg: Delta },
    CreatePartition { r1: usize, r2: usize },
    HealPartition { r1: usize, r2: usize },
}

pub struct CrdtPeer {
    /// Replica ids, ascending.
    pub replicas: Vec<u8>,
    pub keys: usize,
    pub values: u8,
    pub max_time: u8,
    pub tie_break_by_replica: bool,
    pub lossy_partitions: bool,
}

impl CrdtPeer {
    /// The model for a config of ours and constants parsed by our catalogue (same names, same
    /// defaults, same ranges).
    pub fn new(config: &ConfigSpec, constants: &Constants) -> CrdtPeer {
        let mut replicas: Vec<u8> = constants.int_set("Replicas").into_iter().map(|r| r as u8).collect();
        replicas.sort_unstable();
        CrdtPeer {
            replicas,
            keys: constants.names("Keys").len(),
            values: constants.names("Values").len() as u8,
            max_time: constants.int("MaxTime") as u8,
            tie_break_by_replica: config.switch("TieBreakByReplica"),
            lossy_partitions: config.switch("LossyPartitions"),
        }
    }

    /// Our catalogue's description of the model (constants and configs).
    pub fn info() -> pex::engine::ModelInfo {
        pex::models::crdt::Crdt::info()
    }

    fn n(&self) -> usize {
        self.replicas.len()
    }

    fn cut(s: &State, a: usize, b: usize) -> bool {
        s.cut.contains(&(a.min(b), a.max(b)))
    }

    /// `TimestampLT`.
    fn timestamp_lt(&self, a: &Register, b: &Register) -> bool {
        a.time < b.time || (self.tie_break_by_replica && a.time == b.time && a.replica < b.replica)
    }

    /// `MergeLww(local, remote)`.
    fn merge(&self, local: Register, remote: Register) -> Register {
        if self.timestamp_lt(&local, &remote) {
            remote
        } else {
            local
        }
    }

    /// `Set` and `Delete`: tick, write, send the register to every peer (lossy: not across a cut).
    fn write(&self, s: &State, r: usize, k: usize, value: Option<u8>, tombstone: bool) -> Option<State> {
        if s.clocks[r] >= self.max_time {
            return None;
        }
        let mut t = s.clone();
        t.clocks[r] += 1;
        let reg = Register { value, time: t.clocks[r], replica: self.replicas[r], tombstone };
        t.registers[r][k] = reg;
        for p in (0..self.n()).filter(|&p| p != r && !(self.lossy_partitions && Self::cut(s, r, p))) {
            t.network.insert(Delta { src: r, dst: p, key: k, reg });
        }
        Some(t)
    }

    fn registers_of(&self, s: &State, k: usize) -> Vec<Register> {
        let mut regs: Vec<Register> = s.registers.iter().map(|row| row[k]).collect();
        regs.extend(s.network.iter().filter(|m| m.key == k).map(|m| m.reg));
        regs
    }
}

impl Model for CrdtPeer {
    type State = State;
    type Action = Action;

    fn init_states(&self) -> Vec<State> {
        vec![State { registers: vec![vec![BOTTOM; self.keys]; self.n()], clocks: vec![0; self.n()], network: BTreeSet::new(), cut: BTreeSet::new() }]
    }

    fn actions(&self, s: &State, actions: &mut Vec<Action>) {
        let n = self.n();
        for r in 0..n {
            for k in 0..self.keys {
                for v in 0..self.values {
                    actions.push(Action::Set { r, k, v });
                }
            }
        }
        for r in 0..n {
            for k in 0..self.keys {
                actions.push(Action::Delete { r, k });
            }
        }
        for msg in &s.network {
            actions.push(Action::ReceiveDelta { r: msg.dst, msg: *msg });
        }
        for r1 in 0..n {
            for r2 in r1 + 1..n {
                actions.push(Action::CreatePartition { r1, r2 });
                actions.push(Action::HealPartition { r1, r2 });
            }
        }
    }

    fn next_state(&self, s: &State, action: Action) -> Option<State> {
        match action {
            Action::Set { r, k, v } => self.write(s, r, k, Some(v), false),
            Action::Delete { r, k } => self.write(s, r, k, None, true),
            Action::ReceiveDelta { r, msg } => {
                if Self::cut(s, msg.src, r) {
                    return None;
                }
                let mut t = s.clone();
                t.network.remove(&msg);
                t.registers[r][msg.key] = self.merge(s.registers[r][msg.key], msg.reg);
                // `UpdateClock`: past both its own time and the delta's.
                t.clocks[r] = s.clocks[r].max(msg.reg.time) + 1;
                Some(t)
            }
            Action::CreatePartition { r1, r2 } => {
                if Self::cut(s, r1, r2) {
                    return None;
                }
                let mut t = s.clone();
                t.cut.insert((r1, r2));
                if self.lossy_partitions {
                    t.network.retain(|m| !((m.src == r1 && m.dst == r2) || (m.src == r2 && m.dst == r1)));
                }
                Some(t)
            }
            Action::HealPartition { r1, r2 } => {
                let mut t = s.clone();
                t.cut.remove(&(r1, r2)).then_some(t)
            }
        }
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::always("TypeOK", |m: &CrdtPeer, s: &State| {
                let ok = |g: &Register| g.value.is_none_or(|v| v < m.values) && (g.replica == 0 || m.replicas.contains(&g.replica));
                s.registers.iter().flatten().all(ok) && s.network.iter().all(|d| d.src < m.n() && d.dst < m.n() && d.key < m.keys && ok(&d.reg))
            }),
            Property::always("TombstoneConsistency", |_: &CrdtPeer, s: &State| s.registers.iter().flatten().all(|g| !g.tombstone || g.value.is_none())),
            Property::always("MergeCommutative", |m: &CrdtPeer, s: &State| {
                (0..m.keys).all(|k| {
                    let regs = m.registers_of(s, k);
                    regs.iter().all(|&a| regs.iter().all(|&b| m.merge(a, b) == m.merge(b, a)))
                })
            }),
            Property::always("EventualConvergence", |m: &CrdtPeer, s: &State| {
                let quiet = s.cut.is_empty() && s.network.is_empty();
                !quiet || (0..m.keys).all(|k| s.registers.iter().all(|row| row[k] == s.registers[0][k]))
            }),
        ]
    }
}
