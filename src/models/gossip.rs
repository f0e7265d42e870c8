//! `gossip`: redis-rust's gossip-based delta dissemination (seed 000). Twin:
//! `tla/gossip/GossipProtocol.tla`.
//!
//! A replica creates a delta for a key (an increment of a counter key, so applying one twice
//! shows), applies it at once and gossips it: a `DeltaBatch` to every peer, or, once it has
//! switched to selective routing, a `TargetedDelta` to each replica responsible for the key (the
//! constant `Owners`). A receiver applies each delta once, remembering the ids it has processed.
//! Replicas advance their gossip epochs, announcing each with a heartbeat to every peer. The network is a set of messages; it
//! may lose one (`MessageLoss`) or deliver a copy and keep the original in flight (`Redeliver`,
//! the network duplicating a message).
//!
//! Configurations: `safe`; `no-dedup` (a receiver applies every delta a message carries, so a
//! redelivered delta is applied twice: NoDuplicateProcessing fails); `route-to-self` (selective
//! routing targets the sender too: NoSelfTarget fails); `delivery` (no loss, weak fairness on each
//! replica's receipt of each delta: GossipDelivery holds); `delivery-lossy` (loss on: a lost
//! message is never resent, GossipDelivery fails).
//!
//! No symmetry: `Owners` tells replicas apart.
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
pub const MAX_DELTAS: usize = 3;

pub struct Gossip {
    /// The replica ids, ascending (replica index `i` has id `replicas[i]`).
    pub replicas: Vec<u8>,
    pub keys: Vec<String>,
    /// `Owners`, as replica indices: the replicas responsible for every key.
    pub owners: Vec<usize>,
    pub max_deltas: u8,
    pub max_epoch: u8,
    pub max_messages: u8,
    /// `Dedup`: a receiver skips the deltas it has processed.
    pub dedup: bool,
    /// `RouteToSelf`: selective routing targets the sender too.
    pub route_to_self: bool,
    /// `Loss`: the network may lose a message.
    pub loss: bool,
    /// What this config checks.
    checks: Checks<Gossip>,
}

impl ModelDef for Gossip {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/gossip/GossipProtocol.tla")];

    fn info() -> ModelInfo {
        ModelInfo {
            name: "gossip",
            title: "Gossip delta dissemination with deduplication",
            story: "Replicas create deltas and gossip them to every peer, or only to the replicas responsible for the key once selective routing is on; receivers remember which deltas they processed, so a message the network delivers twice is applied once, and without loss every delta reaches every owner.",
            source: "seed 000: redis-rust replication specs (GossipProtocol.tla; Stateright peer src/stateright/replication.rs)",
            tla_module: "GossipProtocol",
            constants: vec![
                ConstSpec { name: "Replicas", doc: "Replica ids.", kind: ConstKind::IntSet { min: 1, max: MAX_REPLICAS as i64 }, default: "{1, 2, 3}" },
                ConstSpec { name: "Keys", doc: "The keys.", kind: ConstKind::ModelValues { prefix: "k", min_len: 1, max_len: MAX_KEYS }, default: "{k1}" },
                ConstSpec {
                    name: "Owners",
                    doc: "The replicas responsible for every key (selective routing's targets); a subset of Replicas.",
                    kind: ConstKind::IntSet { min: 1, max: MAX_REPLICAS as i64 },
                    default: "{1, 2}",
                },
                ConstSpec { name: "MaxDeltas", doc: "At most this many deltas are created in all.", kind: ConstKind::Int { min: 0, max: MAX_DELTAS as i64 }, default: "2" },
                ConstSpec { name: "MaxEpoch", doc: "A replica's gossip epoch stays at or below this.", kind: ConstKind::Int { min: 0, max: 3 }, default: "1" },
                ConstSpec { name: "MaxMessages", doc: "A send must leave at most this many messages in flight.", kind: ConstKind::Int { min: 0, max: 4 }, default: "2" },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "Receivers skip deltas they have processed and selective routing skips the sender; the network may lose and duplicate messages.",
                    expect: None,
                    tla_switches: &[("Dedup", "TRUE"), ("RouteToSelf", "FALSE"), ("Loss", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "no-dedup",
                    summary: "A receiver applies every delta a message carries, processed or not, so a delta the network delivers twice is applied twice: NoDuplicateProcessing fails.",
                    expect: Some("NoDuplicateProcessing"),
                    tla_switches: &[("Dedup", "FALSE"), ("RouteToSelf", "FALSE"), ("Loss", "TRUE")],
                    alters: &["ReceiveGossip", "Redeliver"],
                },
                ConfigSpec {
                    name: "route-to-self",
                    summary: "Selective routing targets every owner of the key, the sender included, so an owner sends a targeted delta to itself: NoSelfTarget fails.",
                    expect: Some("NoSelfTarget"),
                    tla_switches: &[("Dedup", "TRUE"), ("RouteToSelf", "TRUE"), ("Loss", "TRUE")],
                    alters: &["CreateDelta"],
                },
                ConfigSpec {
                    name: "delivery",
                    summary: "The safe protocol without loss, with weak fairness on each replica receiving each delta: every delta reaches every replica responsible for its key (GossipDelivery holds).",
                    expect: None,
                    tla_switches: &[("Dedup", "TRUE"), ("RouteToSelf", "FALSE"), ("Loss", "FALSE")],
                    alters: &["MessageLoss"],
                },
                ConfigSpec {
                    name: "delivery-lossy",
                    summary: "The same fairness, but the network may lose a message and nothing sends it again, so its delta never reaches that owner: GossipDelivery fails.",
                    expect: Some("GossipDelivery"),
                    tla_switches: &[("Dedup", "TRUE"), ("RouteToSelf", "FALSE"), ("Loss", "TRUE")],
                    alters: &[],
                },
            ],
            meanings: &[
                ("TypeOK", "Counters are naturals, processed sets hold delta ids, epochs stay within 0..MaxEpoch, every message is a well-formed gossip message between replicas."),
                ("SourceCorrect", "Every message comes from a replica, and every delta it carries was created by that replica (nothing is forwarded)."),
                ("NoSelfTarget", "No replica sends a message to itself."),
                ("NoDuplicateProcessing", "Every replica has applied each delta it processed exactly once: its counter for a key equals the number of that key's deltas in its processed set."),
                ("SelectiveRouting", "A targeted delta is addressed only to a replica responsible for its key."),
                ("EpochMonotonic", "No step lowers a replica's gossip epoch."),
                ("GossipDelivery", "From some point on, every delta created has been processed by every replica responsible for its key."),
                ("CreateDelta", "A replica creates the next delta of a key, applies it and gossips it to every peer (selective: to the key's owners but itself; route-to-self: itself included)."),
                ("ReceiveGossip", "A replica takes a message addressed to it and applies the deltas it carries that it has not processed (no-dedup: all of them)."),
                ("Redeliver", "The network delivers a copy of a delta message to its target and keeps the original in flight; the target applies it as on receipt."),
                ("AdvanceEpoch", "A replica advances its gossip epoch and announces it with a heartbeat to every peer."),
                ("EnableSelectiveMode", "A replica switches to selective routing: from then on it targets deltas at the key's owners."),
                ("MessageLoss", "The network loses a message in flight."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        let mut replicas: Vec<u8> = constants.int_set("Replicas").into_iter().map(|r| r as u8).collect();
        replicas.sort_unstable();
        let mut owners = Vec::new();
        for o in constants.int_set("Owners") {
            match replicas.iter().position(|&r| r as i64 == o) {
                Some(i) => owners.push(i),
                None => return Err(format!("Owners must be a subset of Replicas: {o} is not a replica")),
            }
        }
        owners.sort_unstable();
        let fair_spec = match config.name {
            "delivery" | "delivery-lossy" => Some(FairSpec { name: "FairSpec", fairness: vec![Gossip::WF_RECEIVE], properties: vec![Gossip::GOSSIP_DELIVERY] }),
            _ => None,
        };
        Ok(Gossip {
            replicas,
            keys: constants.names("Keys"),
            owners,
            max_deltas: constants.int("MaxDeltas") as u8,
            max_epoch: constants.int("MaxEpoch") as u8,
            max_messages: constants.int("MaxMessages") as u8,
            dedup: config.switch("Dedup"),
            route_to_self: config.switch("RouteToSelf"),
            loss: config.switch("Loss"),
            checks: Checks::new()
                .invariant("TypeOK", Gossip::type_ok)
                .invariant("SourceCorrect", Gossip::source_correct)
                .invariant("NoSelfTarget", Gossip::no_self_target)
                .invariant("NoDuplicateProcessing", Gossip::no_duplicate_processing)
                .invariant("SelectiveRouting", Gossip::selective_routing)
                .action_property("EpochMonotonic", Gossip::epoch_monotonic)
                .fair_spec(fair_spec),
        })
    }
}

// ---- VARIABLES ----

/// A delta's id `[key, origin, seq]` (key and origin as indices; derived order: TLC's record order,
/// fields alphabetically, which is also the order of [`Gossip::delta_index`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeltaId {
    pub key: u8,
    pub origin: u8,
    /// 1-based: the origin's n-th delta.
    pub seq: u8,
}

/// A message's `type`, in TLC's string order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    DeltaBatch,
    Heartbeat,
    TargetedDelta,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::DeltaBatch => "DeltaBatch",
            Kind::Heartbeat => "Heartbeat",
            Kind::TargetedDelta => "TargetedDelta",
        }
    }
}

/// A message `[deltas, epoch, source, target, type]`, replicas as indices. `deltas` holds at most
/// one delta here (a heartbeat none): an empty set sorts before any one-element set, as `None`
/// before `Some`, so the derived order is TLC's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Message {
    pub delta: Option<DeltaId>,
    pub epoch: u8,
    pub source: u8,
    pub target: u8,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// `local_state[r][k]`: how many deltas of key k replica r has applied.
    pub local_state: [[u8; MAX_KEYS]; MAX_REPLICAS],
    /// `processed_deltas[r]` as a bit set over [`Gossip::delta_index`].
    pub processed: [u32; MAX_REPLICAS],
    pub gossip_epoch: [u8; MAX_REPLICAS],
    /// `network`, sorted in TLC's order and without duplicates (a set).
    pub network: Vec<Message>,
    pub selective_mode: [bool; MAX_REPLICAS],
}

impl Gossip {
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

    /// `DeltaIds`, in TLC's order.
    pub fn delta_ids(&self) -> Vec<DeltaId> {
        let mut v = Vec::new();
        for key in 0..self.nkeys() as u8 {
            for origin in 0..self.n() as u8 {
                for seq in 1..=self.max_deltas {
                    v.push(DeltaId { key, origin, seq });
                }
            }
        }
        v
    }

    /// A delta's position in `DeltaIds` (its bit in a processed set).
    pub fn delta_index(&self, d: DeltaId) -> usize {
        (d.key as usize * self.n() + d.origin as usize) * self.max_deltas as usize + (d.seq as usize - 1)
    }

    fn delta_at(&self, i: usize) -> DeltaId {
        let m = self.max_deltas as usize;
        DeltaId { key: (i / m / self.n()) as u8, origin: (i / m % self.n()) as u8, seq: (i % m) as u8 + 1 }
    }

    /// The processed set of `r`, in TLC's order.
    pub fn processed(&self, s: &State, r: usize) -> Vec<DeltaId> {
        (0..32).filter(|i| s.processed[r] >> i & 1 == 1).map(|i| self.delta_at(i)).collect()
    }

    pub fn has_processed(&self, s: &State, r: usize, d: DeltaId) -> bool {
        s.processed[r] >> self.delta_index(d) & 1 == 1
    }

    // ---- TypeOK ----

    fn type_ok(&self, s: &State) -> bool {
        let n = self.n() as u8;
        let all = if self.delta_ids().is_empty() { 0 } else { u32::MAX >> (32 - self.delta_ids().len()) };
        (0..self.n()).all(|r| s.processed[r] & !all == 0 && s.gossip_epoch[r] <= self.max_epoch)
            && s.network.iter().all(|m| {
                m.source < n
                    && m.target < n
                    && m.epoch <= self.max_epoch
                    && m.delta.is_none_or(|d| (d.key as usize) < self.nkeys() && d.origin < n && d.seq >= 1 && d.seq <= self.max_deltas)
            })
    }

    // ---- Helpers ----

    /// `Responsible(k)`: the owners, for every key.
    pub fn responsible(&self, _k: usize) -> &[usize] {
        &self.owners
    }

    /// `CreatedBy(r)`: the deltas r has created (its own that it has processed).
    pub fn created_by(&self, s: &State, r: usize) -> Vec<DeltaId> {
        self.processed(s, r).into_iter().filter(|d| d.origin as usize == r).collect()
    }

    /// `Created`, in TLC's order.
    pub fn created(&self, s: &State) -> Vec<DeltaId> {
        let mut v: Vec<DeltaId> = (0..self.n()).flat_map(|r| self.created_by(s, r)).collect();
        sorted::sort(&mut v);
        v
    }

    /// `GetTargets(r, k)`, ascending.
    pub fn get_targets(&self, s: &State, r: usize, k: usize) -> Vec<usize> {
        if s.selective_mode[r] {
            self.responsible(k).iter().copied().filter(|&o| self.route_to_self || o != r).collect()
        } else {
            (0..self.n()).filter(|&p| p != r).collect()
        }
    }

    /// `Apply(r, msg)`: r applies the deltas msg carries (with Dedup only those it has not processed).
    fn apply(&self, s: &State, t: &mut State, r: usize, msg: &Message) {
        if let Some(d) = msg.delta {
            if !self.dedup || !self.has_processed(s, r, d) {
                t.local_state[r][d.key as usize] += 1;
                t.processed[r] |= 1 << self.delta_index(d);
            }
        }
    }

    fn init(&self) -> State {
        State {
            local_state: [[0; MAX_KEYS]; MAX_REPLICAS],
            processed: [0; MAX_REPLICAS],
            gossip_epoch: [0; MAX_REPLICAS],
            network: Vec::new(),
            selective_mode: [false; MAX_REPLICAS],
        }
    }

    // ---- Actions ----

    /// `CreateDelta(r, k)`.
    fn create_delta(&self, s: &State, r: usize, k: usize) -> Option<State> {
        if self.created(s).len() >= self.max_deltas as usize {
            return None;
        }
        let targets = self.get_targets(s, r, k);
        if s.network.len() + targets.len() > self.max_messages as usize {
            return None;
        }
        let d = DeltaId { key: k as u8, origin: r as u8, seq: self.created_by(s, r).len() as u8 + 1 };
        let kind = if s.selective_mode[r] { Kind::TargetedDelta } else { Kind::DeltaBatch };
        let mut t = s.clone();
        t.local_state[r][k] += 1;
        t.processed[r] |= 1 << self.delta_index(d);
        for p in targets {
            t.network.push(Message { delta: Some(d), epoch: s.gossip_epoch[r], source: r as u8, target: p as u8, kind });
        }
        sorted::sort(&mut t.network);
        t.network.dedup();
        Some(t)
    }

    /// `ReceiveGossip(r, msg)`.
    fn receive_gossip(&self, s: &State, r: usize, msg: &Message) -> Option<State> {
        if msg.target as usize != r || msg.source as usize == r {
            return None;
        }
        let at = s.network.iter().position(|m| m == msg)?;
        let mut t = s.clone();
        self.apply(s, &mut t, r, msg);
        t.network.remove(at);
        Some(t)
    }

    /// `Redeliver(r, msg)`: a copy is delivered, the original stays in flight.
    fn redeliver(&self, s: &State, r: usize, msg: &Message) -> Option<State> {
        if msg.target as usize != r || msg.source as usize == r || msg.delta.is_none() || !s.network.contains(msg) {
            return None;
        }
        let mut t = s.clone();
        self.apply(s, &mut t, r, msg);
        Some(t)
    }

    /// `AdvanceEpoch(r)`: the next epoch, announced with a heartbeat to every peer.
    fn advance_epoch(&self, s: &State, r: usize) -> Option<State> {
        if s.gossip_epoch[r] >= self.max_epoch || s.network.len() + self.n() - 1 > self.max_messages as usize {
            return None;
        }
        let mut t = s.clone();
        t.gossip_epoch[r] += 1;
        for p in (0..self.n()).filter(|&p| p != r) {
            t.network.push(Message { delta: None, epoch: t.gossip_epoch[r], source: r as u8, target: p as u8, kind: Kind::Heartbeat });
        }
        sorted::sort(&mut t.network);
        t.network.dedup();
        Some(t)
    }

    /// `EnableSelectiveMode(r)`.
    fn enable_selective_mode(&self, s: &State, r: usize) -> Option<State> {
        if s.selective_mode[r] {
            return None;
        }
        let mut t = s.clone();
        t.selective_mode[r] = true;
        Some(t)
    }

    /// `MessageLoss(msg)`.
    fn message_loss(&self, s: &State, msg: &Message) -> Option<State> {
        if !self.loss {
            return None;
        }
        let at = s.network.iter().position(|m| m == msg)?;
        let mut t = s.clone();
        t.network.remove(at);
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s candidates, in its disjunct order, quantifiers nested outer first, each ascending
    /// (the network in TLC's set order).
    fn next(&self, s: &State, out: &mut Vec<Action>) {
        let (n, nk) = (self.n() as u8, self.nkeys() as u8);
        for r in 0..n {
            for k in 0..nk {
                out.push(Action::CreateDelta { r, k });
            }
        }
        for r in 0..n {
            out.extend(s.network.iter().map(|&msg| Action::ReceiveGossip { r, msg }));
        }
        for r in 0..n {
            out.extend(s.network.iter().map(|&msg| Action::Redeliver { r, msg }));
        }
        out.extend((0..n).map(|r| Action::AdvanceEpoch { r }));
        out.extend((0..n).map(|r| Action::EnableSelectiveMode { r }));
        out.extend(s.network.iter().map(|&msg| Action::MessageLoss { msg }));
    }

    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::CreateDelta { r, k } => self.create_delta(s, r as usize, k as usize),
            Action::ReceiveGossip { r, ref msg } => self.receive_gossip(s, r as usize, msg),
            Action::Redeliver { r, ref msg } => self.redeliver(s, r as usize, msg),
            Action::AdvanceEpoch { r } => self.advance_epoch(s, r as usize),
            Action::EnableSelectiveMode { r } => self.enable_selective_mode(s, r as usize),
            Action::MessageLoss { ref msg } => self.message_loss(s, msg),
        }
    }
}

/// An action of `Next`, replicas as indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    CreateDelta { r: u8, k: u8 },
    ReceiveGossip { r: u8, msg: Message },
    Redeliver { r: u8, msg: Message },
    AdvanceEpoch { r: u8 },
    EnableSelectiveMode { r: u8 },
    MessageLoss { msg: Message },
}

impl Action {
    pub const NAMES: [&'static str; 6] = ["CreateDelta", "ReceiveGossip", "Redeliver", "AdvanceEpoch", "EnableSelectiveMode", "MessageLoss"];

    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::CreateDelta { .. } => "CreateDelta",
            Action::ReceiveGossip { .. } => "ReceiveGossip",
            Action::Redeliver { .. } => "Redeliver",
            Action::AdvanceEpoch { .. } => "AdvanceEpoch",
            Action::EnableSelectiveMode { .. } => "EnableSelectiveMode",
            Action::MessageLoss { .. } => "MessageLoss",
        }
    }
}

impl Gossip {
    // ---- Invariants ----

    fn source_correct(&self, s: &State) -> bool {
        s.network.iter().all(|m| (m.source as usize) < self.n() && m.delta.is_none_or(|d| d.origin == m.source))
    }

    fn no_self_target(&self, s: &State) -> bool {
        s.network.iter().all(|m| m.target != m.source)
    }

    /// Whether r's counter for key k counts exactly that key's deltas in r's processed set.
    pub fn counted_once(&self, s: &State, r: usize, k: usize) -> bool {
        s.local_state[r][k] as usize == self.processed(s, r).iter().filter(|d| d.key as usize == k).count()
    }

    fn no_duplicate_processing(&self, s: &State) -> bool {
        (0..self.n()).all(|r| (0..self.nkeys()).all(|k| self.counted_once(s, r, k)))
    }

    fn selective_routing(&self, s: &State) -> bool {
        s.network.iter().all(|m| m.kind != Kind::TargetedDelta || m.delta.is_none_or(|d| self.responsible(d.key as usize).contains(&(m.target as usize))))
    }

    // ---- Action property ----

    fn epoch_monotonic(&self, s: &State, t: &State) -> bool {
        (0..self.n()).all(|r| s.gossip_epoch[r] <= t.gossip_epoch[r])
    }

    // ---- Liveness ----

    /// The owners of delta d's key that have not processed it yet.
    pub fn missing(&self, s: &State, d: DeltaId) -> Vec<usize> {
        self.responsible(d.key as usize).iter().copied().filter(|&o| !self.has_processed(s, o, d)).collect()
    }

    /// `AllDelivered`: every delta created has reached every replica responsible for its key.
    pub fn all_delivered(&self, s: &State) -> bool {
        self.created(s).into_iter().all(|d| self.missing(s, d).is_empty())
    }

    /// `GossipDelivery == <>[]AllDelivered`.
    const GOSSIP_DELIVERY: LivenessProperty<Gossip> =
        LivenessProperty { name: "GossipDelivery", kind: Temporal::EventuallyAlways, p: Gossip::all_delivered, q: None };

    /// `\A r \in Replicas : \A d \in DeltaIds : WF_vars(ReceiveDelta(r, d))`: one condition per
    /// (receiver, delta), so receiving other messages (a heartbeat, a duplicate) does not discharge it.
    const WF_RECEIVE: Fairness<Gossip> = Fairness {
        kind: FairnessKind::Weak,
        name: "\\A r \\in Replicas : \\A d \\in DeltaIds : WF_vars(ReceiveDelta(r, d))",
        instance: |m, a| match a {
            Action::ReceiveGossip { r, msg: Message { delta: Some(d), .. } } => Some((*r as usize * m.delta_ids().len() + m.delta_index(*d)) as u32),
            _ => None,
        },
    };

    // ---- Notation shared by labels, messages and the view ----

    /// A delta's id: `k1@1#2` (key k1, the 2nd delta created by replica 1).
    pub fn delta_text(&self, d: DeltaId) -> String {
        format!("{}@{}#{}", self.keys[d.key as usize], self.id(d.origin as usize), d.seq)
    }

    /// A message: `DeltaBatch k1@1#1 e0 1->2`, `Heartbeat e1 2->3`.
    pub fn message_text(&self, m: &Message) -> String {
        let what = match m.delta {
            Some(d) => format!("{} {}", m.kind.as_str(), self.delta_text(d)),
            None => m.kind.as_str().to_string(),
        };
        format!("{what} e{} {}->{}", m.epoch, self.id(m.source as usize), self.id(m.target as usize))
    }

    // ---- TLA+ values ----

    fn key_value(&self, k: usize) -> Value {
        Value::model(k, &self.keys[k])
    }

    pub fn delta_value(&self, d: DeltaId) -> Value {
        Value::record([("key", self.key_value(d.key as usize)), ("origin", Value::Int(self.id(d.origin as usize) as i64)), ("seq", Value::Int(d.seq as i64))])
    }

    pub fn message_value(&self, m: &Message) -> Value {
        Value::record([
            ("deltas", Value::set(m.delta.map(|d| self.delta_value(d)))),
            ("epoch", Value::Int(m.epoch as i64)),
            ("source", Value::Int(self.id(m.source as usize) as i64)),
            ("target", Value::Int(self.id(m.target as usize) as i64)),
            ("type", Value::str(m.kind.as_str())),
        ])
    }

    // ---- Messages ----

    /// A message's identity: its content (a message is unique in the network).
    pub fn message_id(&self, m: &Message) -> String {
        format!("msg {}", self.message_text(m))
    }

    fn message_event(&self, op: MessageOp, m: &Message) -> MessageEvent {
        let label = match m.delta {
            Some(d) => format!("{} {}", if m.kind == Kind::TargetedDelta { "→Δ" } else { "Δ" }, self.delta_text(d)),
            None => format!("♥ e{}", m.epoch),
        };
        MessageEvent {
            op,
            from: m.source as usize,
            to: m.target as usize,
            id: self.message_id(m),
            label,
            contents: vec![
                ("type".into(), m.kind.as_str().into()),
                ("deltas".into(), m.delta.map_or("{}".into(), |d| format!("{{{}}}", self.delta_text(d)))),
                ("epoch".into(), m.epoch.to_string()),
            ],
        }
    }
}

impl Model for Gossip {
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
            Action::CreateDelta { r, k } => format!("CreateDelta({}, {})", id(r), self.keys[k as usize]),
            Action::ReceiveGossip { r, msg } => format!("ReceiveGossip({}, {})", id(r), self.message_text(&msg)),
            Action::Redeliver { r, msg } => format!("Redeliver({}, {})", id(r), self.message_text(&msg)),
            Action::AdvanceEpoch { r } => format!("AdvanceEpoch({})", id(r)),
            Action::EnableSelectiveMode { r } => format!("EnableSelectiveMode({})", id(r)),
            Action::MessageLoss { msg } => format!("MessageLoss({})", self.message_text(&msg)),
        }
    }

    fn action_names(&self) -> Vec<&'static str> {
        Action::NAMES.to_vec()
    }

    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }

    fn variables(&self) -> &'static [&'static str] {
        &["local_state", "processed_deltas", "gossip_epoch", "network", "selective_mode"]
    }

    /// The replicas, by id.
    fn nodes(&self) -> Vec<String> {
        self.replicas.iter().map(|id| format!("replica {id}")).collect()
    }

    /// CreateDelta and AdvanceEpoch send one message per target; ReceiveGossip delivers one;
    /// Redeliver duplicates one and delivers the copy; MessageLoss drops one.
    fn messages(&self, s: &State, action: &Action, next: &State) -> Vec<MessageEvent> {
        match *action {
            Action::CreateDelta { .. } | Action::AdvanceEpoch { .. } => {
                next.network.iter().filter(|m| !s.network.contains(m)).map(|m| self.message_event(MessageOp::Send, m)).collect()
            }
            Action::ReceiveGossip { msg, .. } => vec![self.message_event(MessageOp::Deliver, &msg)],
            Action::Redeliver { msg, .. } => vec![self.message_event(MessageOp::Duplicate, &msg), self.message_event(MessageOp::Deliver, &msg)],
            Action::MessageLoss { msg } => vec![self.message_event(MessageOp::Drop, &msg)],
            Action::EnableSelectiveMode { .. } => Vec::new(),
        }
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        vec![
            Value::per_id(&self.replicas, |r| Value::func((0..self.nkeys()).map(|k| (self.key_value(k), Value::Int(s.local_state[r][k] as i64))))),
            Value::per_id(&self.replicas, |r| Value::set(self.processed(s, r).into_iter().map(|d| self.delta_value(d)))),
            Value::per_id(&self.replicas, |r| Value::Int(s.gossip_epoch[r] as i64)),
            Value::set(s.network.iter().map(|m| self.message_value(m))),
            Value::per_id(&self.replicas, |r| Value::Bool(s.selective_mode[r])),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::testing::{self, labels, run};

    fn model(config: &str) -> Gossip {
        testing::model(config)
    }

    fn after(m: &Gossip, steps: &[&str]) -> State {
        run(m, m.init_states().remove(0), steps)
    }

    #[test]
    fn initially_creates_epochs_and_mode_switches_are_enabled() {
        let m = model("safe");
        assert_eq!(
            labels(&m, &m.init_states()[0]),
            [
                "CreateDelta(1, k1)",
                "CreateDelta(2, k1)",
                "CreateDelta(3, k1)",
                "AdvanceEpoch(1)",
                "AdvanceEpoch(2)",
                "AdvanceEpoch(3)",
                "EnableSelectiveMode(1)",
                "EnableSelectiveMode(2)",
                "EnableSelectiveMode(3)"
            ]
        );
    }

    #[test]
    fn a_delta_is_applied_by_its_creator_and_broadcast_to_every_peer() {
        let m = model("safe");
        let s = after(&m, &["CreateDelta(1, k1)"]);
        let d = DeltaId { key: 0, origin: 0, seq: 1 };
        assert_eq!((s.local_state[0][0], m.processed(&s, 0)), (1, vec![d]));
        assert_eq!(s.network.iter().map(|x| m.message_text(x)).collect::<Vec<_>>(), ["DeltaBatch k1@1#1 e0 1->2", "DeltaBatch k1@1#1 e0 1->3"]);
        assert!(!m.all_delivered(&s));
        let s = run(&m, s, &["ReceiveGossip(2, DeltaBatch k1@1#1 e0 1->2)"]);
        assert!(m.all_delivered(&s), "owners 1 and 2 both have it; 3 is not responsible");
        let s = run(&m, s, &["EnableSelectiveMode(1)", "CreateDelta(1, k1)"]);
        assert_eq!(m.created(&s).last().map(|&d| m.delta_text(d)).as_deref(), Some("k1@1#2"), "the second delta gets the next seq");
    }

    #[test]
    fn selective_routing_targets_the_owners_but_the_sender() {
        let m = model("safe");
        let s = after(&m, &["EnableSelectiveMode(3)", "CreateDelta(3, k1)"]);
        assert_eq!(s.network.iter().map(|x| m.message_text(x)).collect::<Vec<_>>(), ["TargetedDelta k1@3#1 e0 3->1", "TargetedDelta k1@3#1 e0 3->2"]);
        let s = after(&m, &["EnableSelectiveMode(1)", "CreateDelta(1, k1)"]);
        assert_eq!(s.network.iter().map(|x| m.message_text(x)).collect::<Vec<_>>(), ["TargetedDelta k1@1#1 e0 1->2"]);
        let gap = model("route-to-self");
        let s = after(&gap, &["EnableSelectiveMode(1)", "CreateDelta(1, k1)"]);
        assert!(!gap.no_self_target(&s) && gap.selective_routing(&s));
    }

    #[test]
    fn a_redelivered_delta_is_applied_once_with_dedup_and_twice_without() {
        let steps = ["CreateDelta(1, k1)", "Redeliver(2, DeltaBatch k1@1#1 e0 1->2)", "ReceiveGossip(2, DeltaBatch k1@1#1 e0 1->2)"];
        let safe = model("safe");
        let s = after(&safe, &steps);
        assert_eq!(s.local_state[1][0], 1);
        assert!(safe.no_duplicate_processing(&s));
        let gap = model("no-dedup");
        let s = after(&gap, &steps);
        assert_eq!(s.local_state[1][0], 2);
        assert!(!gap.no_duplicate_processing(&s));
    }

    #[test]
    fn the_network_bound_holds_back_sends() {
        let m = model("safe");
        let s = after(&m, &["CreateDelta(1, k1)"]);
        assert!(!labels(&m, &s).iter().any(|l| l.starts_with("CreateDelta") || l.starts_with("AdvanceEpoch")), "two messages in flight fill MaxMessages = 2");
        let s = run(&m, s, &["MessageLoss(DeltaBatch k1@1#1 e0 1->3)", "EnableSelectiveMode(1)"]);
        assert!(labels(&m, &s).contains(&"CreateDelta(1, k1)".to_string()), "a targeted delta to replica 2 fits");
        assert!(!labels(&m, &model("delivery").init_states()[0]).iter().any(|l| l.starts_with("MessageLoss")));
    }

    #[test]
    fn fairness_is_per_receiver_and_delta() {
        let m = model("delivery");
        let s = after(&m, &["CreateDelta(2, k1)"]);
        let msgs = s.network.clone();
        let inst = |a: &Action| (Gossip::WF_RECEIVE.instance)(&m, a);
        assert_eq!(inst(&Action::ReceiveGossip { r: 0, msg: msgs[0] }), Some(2), "delta k1@2#1 is DeltaIds' third");
        assert_eq!(inst(&Action::ReceiveGossip { r: 2, msg: msgs[1] }), Some(2 * 6 + 2));
        assert_eq!(inst(&Action::Redeliver { r: 0, msg: msgs[0] }), None);
    }

    #[test]
    fn prints_like_the_twin() {
        let m = model("safe");
        let s = after(&m, &["AdvanceEpoch(1)", "ReceiveGossip(2, Heartbeat e1 1->2)", "ReceiveGossip(3, Heartbeat e1 1->3)", "CreateDelta(1, k1)"]);
        let v = m.to_tla(&s);
        assert_eq!(v[0].to_string(), "<<(k1 :> 1), (k1 :> 0), (k1 :> 0)>>");
        assert_eq!(v[1].to_string(), "<<{[key |-> k1, origin |-> 1, seq |-> 1]}, {}, {}>>");
        assert_eq!(
            v[3].to_string(),
            "{[deltas |-> {[key |-> k1, origin |-> 1, seq |-> 1]}, epoch |-> 1, source |-> 1, target |-> 2, type |-> \"DeltaBatch\"], [deltas |-> {[key |-> k1, origin |-> 1, seq |-> 1]}, epoch |-> 1, source |-> 1, target |-> 3, type |-> \"DeltaBatch\"]}"
        );
    }

    #[test]
    fn owners_must_be_replicas() {
        let info = Gossip::info();
        let c = Constants::build(&info.constants, &[("Replicas".into(), "{1, 2}".into()), ("Owners".into(), "{2, 3}".into())]).unwrap();
        assert_eq!(Gossip::build(info.config("safe").unwrap(), &c).err().as_deref(), Some("Owners must be a subset of Replicas: 3 is not a replica"));
    }
}
