//! `anti-entropy`: redis-rust's Merkle anti-entropy (seed 000). Replicas compare Merkle digests to
//! find where their stores differ, and a request/response sync repairs it, above all after a
//! partition heals. Twin: `tla/anti-entropy/AntiEntropy.tla`.
//!
//! Each replica holds a store key -> entry (a value and the stamp (time, replica) of the write that
//! made it), a hash per Merkle bucket and a root. The hash is abstract, as in the twin: a bucket's
//! hash is its (key, entry) pairs and the root is the tuple of bucket hashes, so here both are
//! kept as a copy of the store as it was hashed (`buckets`, `root`), and `MerkleConsistent` checks
//! that the copies match the store. `LocalWrite` stamps a new entry; `ExchangeDigest` compares two
//! roots and marks (or clears) divergence; `InitiateSync` sends the requester's root;
//! `HandleSyncRequest` answers with the entries of every bucket in which that root differs from the
//! responder's hashes (and the responder's root); `HandleSyncResponse` merges them
//! last-writer-wins and clears the mark; `CreatePartition` cuts a link and drops the syncs on it;
//! `HealPartition` restores it and marks both sides divergent.
//!
//! Configurations: `safe`; `root-only` (a response carries only the first differing bucket, yet
//! the requester clears its mark: `SyncReconciles` fails); `blind-overwrite` (a response
//! overwrites without comparing stamps, so a newer write is lost: `LwwMonotonic` fails); `healing`
//! (safe under weak fairness per pair on the exchange and the sync steps: `PartitionHealing` and
//! `SyncCompleteness` hold); `healing-unfair` (no fairness on `InitiateSync`: a replica that knows it
//! differs never asks, and `PartitionHealing` fails).
//!
//! No symmetry: stamps order replicas by id.
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
pub const MAX_KEYS: usize = 4;
pub const MAX_BUCKETS: usize = 4;
pub const MAX_VALUES: usize = 3;
pub const MAX_TIMESTAMP: usize = 3;

pub struct AntiEntropy {
    /// The replica ids, ascending (replica index `i` has id `replicas[i]`).
    pub replicas: Vec<u8>,
    pub num_keys: usize,
    pub num_buckets: usize,
    pub num_values: u8,
    pub max_timestamp: u8,
    /// `SyncAllBuckets`: a response carries every differing bucket (safe), not only the first.
    pub sync_all_buckets: bool,
    /// `LwwMerge`: a response is merged last-writer-wins (safe), not copied over.
    pub lww_merge: bool,
    /// What this config checks.
    checks: Checks<AntiEntropy>,
}

impl ModelDef for AntiEntropy {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/anti-entropy/AntiEntropy.tla")];

    fn info() -> ModelInfo {
        const SAFE: &[(&str, &str)] = &[("SyncAllBuckets", "TRUE"), ("LwwMerge", "TRUE")];
        ModelInfo {
            name: "anti-entropy",
            title: "Merkle anti-entropy and partition healing",
            story: "Replicas compare Merkle digests to find the buckets where their stores differ and repair them by a request/response sync merged last-writer-wins; a healed partition marks both sides divergent. Syncing only the first differing bucket leaves a replica behind, and overwriting instead of merging loses a newer write.",
            source: "seed 000: redis-rust replication specs (AntiEntropy.tla; Stateright peer src/stateright/anti_entropy.rs, AntiEntropyModel)",
            tla_module: "AntiEntropy",
            constants: vec![
                ConstSpec {
                    name: "Replicas",
                    doc: "Replica ids, ordered by < in the stamps (so not symmetric).",
                    kind: ConstKind::IntSet { min: 1, max: MAX_REPLICAS as i64 },
                    default: "{1, 2}",
                },
                ConstSpec { name: "NumKeys", doc: "The keys are 1..NumKeys.", kind: ConstKind::Int { min: 1, max: MAX_KEYS as i64 }, default: "2" },
                ConstSpec {
                    name: "NumBuckets",
                    doc: "The Merkle buckets are 1..NumBuckets; key k is in bucket ((k - 1) % NumBuckets) + 1.",
                    kind: ConstKind::Int { min: 1, max: MAX_BUCKETS as i64 },
                    default: "2",
                },
                ConstSpec {
                    name: "NumValues",
                    doc: "The values a write may store are 1..NumValues.",
                    kind: ConstKind::Int { min: 1, max: MAX_VALUES as i64 },
                    default: "1",
                },
                ConstSpec {
                    name: "MaxTimestamp",
                    doc: "A replica writes a key only while the key's time is below this.",
                    kind: ConstKind::Int { min: 0, max: MAX_TIMESTAMP as i64 },
                    default: "2",
                },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "A response carries every bucket in which the requester's root differs, and is merged last-writer-wins.",
                    expect: None,
                    tla_switches: SAFE,
                    alters: &[],
                },
                ConfigSpec {
                    name: "root-only",
                    summary: "A response carries only the first differing bucket, yet the requester clears its divergence mark: it stays behind its peer in the other buckets, and SyncReconciles fails.",
                    expect: Some("SyncReconciles"),
                    tla_switches: &[("SyncAllBuckets", "FALSE"), ("LwwMerge", "TRUE")],
                    alters: &["HandleSyncRequest"],
                },
                ConfigSpec {
                    name: "blind-overwrite",
                    summary: "A response's entries overwrite the requester's without comparing stamps, so a newer write is replaced by an older entry: LwwMonotonic fails.",
                    expect: Some("LwwMonotonic"),
                    tla_switches: &[("SyncAllBuckets", "TRUE"), ("LwwMerge", "FALSE")],
                    alters: &["HandleSyncResponse"],
                },
                ConfigSpec {
                    name: "healing",
                    summary: "The safe protocol with weak fairness per pair of replicas on the digest exchange and the sync steps: once the links are up the replicas converge (PartitionHealing), and every divergence mark is eventually cleared (SyncCompleteness).",
                    expect: None,
                    tla_switches: SAFE,
                    alters: &[],
                },
                ConfigSpec {
                    name: "healing-unfair",
                    summary: "The safe protocol with no fairness on InitiateSync: a replica that knows it differs from its peer may never ask for a sync, so PartitionHealing fails.",
                    expect: Some("PartitionHealing"),
                    tla_switches: SAFE,
                    alters: &[],
                },
            ],
            meanings: &[
                ("TypeOK", "Every entry has a replica (or nobody), a time up to MaxTimestamp and a value; every hash, root and sync message has its shape; divergence marks and cut links name replicas."),
                ("MerkleConsistent", "Every replica's bucket hashes and root match its store."),
                ("NoSelfDivergence", "No replica marks itself as divergent."),
                ("PartitionSymmetric", "A link is cut both ways or neither."),
                ("SyncRequestsValid", "Every sync request and response in flight goes between two different replicas."),
                ("PartitionHealTriggers", "A heal marks each side divergent from the other."),
                ("SyncReconciles", "When a replica merges a sync response (over a link that stays up), it ends with an entry at least as new as the responder's root for every key."),
                ("LwwMonotonic", "No step replaces a replica's entry for a key with an older one: no write is lost."),
                ("PartitionHealing", "Whenever every link is up and the stores differ, the replicas eventually hold equal stores, unless a link is cut again first."),
                ("SyncCompleteness", "Whenever some replica marks a peer it can reach as divergent, eventually no replica does."),
                ("LocalWrite", "A replica writes a value to a key, stamped one past the key's time and its own id, and rehashes the key's bucket and its root."),
                ("ExchangeDigest", "Two replicas that can reach each other compare roots: different roots mark both divergent, equal roots clear the marks."),
                ("InitiateSync", "A replica that believes it differs from a peer it can reach, with no sync of its own to that peer in flight, sends a sync request carrying its root."),
                ("HandleSyncRequest", "The peer compares the request's root with its own bucket hashes and answers with the entries of every differing bucket (root-only: the first) and its root."),
                ("HandleSyncResponse", "The requester merges the response's entries last-writer-wins (blind-overwrite: copies them over), rehashes, and clears its mark for the peer."),
                ("CreatePartition", "The link between two replicas is cut, and the sync requests and responses on it are dropped."),
                ("HealPartition", "A cut link is restored, and both sides are marked divergent to trigger a sync."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        let mut replicas: Vec<u8> = constants.int_set("Replicas").into_iter().map(|r| r as u8).collect();
        replicas.sort_unstable();
        let (num_keys, num_buckets) = (constants.int("NumKeys") as usize, constants.int("NumBuckets") as usize);
        if num_buckets > num_keys {
            return Err(format!("NumBuckets ({num_buckets}) must be at most NumKeys ({num_keys}): a bucket holds at least one key"));
        }
        let fairness_all = vec![AntiEntropy::WF_EXCHANGE, AntiEntropy::WF_INITIATE, AntiEntropy::WF_REQUEST, AntiEntropy::WF_RESPONSE];
        let fair_spec = match config.name {
            "healing" => {
                Some(FairSpec { name: "FairSpec", fairness: fairness_all, properties: vec![AntiEntropy::PARTITION_HEALING, AntiEntropy::SYNC_COMPLETENESS] })
            }
            "healing-unfair" => Some(FairSpec {
                name: "FairSpecNoInitiate",
                fairness: vec![AntiEntropy::WF_EXCHANGE, AntiEntropy::WF_REQUEST, AntiEntropy::WF_RESPONSE],
                properties: vec![AntiEntropy::PARTITION_HEALING],
            }),
            _ => None,
        };
        Ok(AntiEntropy {
            replicas,
            num_keys,
            num_buckets,
            num_values: constants.int("NumValues") as u8,
            max_timestamp: constants.int("MaxTimestamp") as u8,
            sync_all_buckets: config.switch("SyncAllBuckets"),
            lww_merge: config.switch("LwwMerge"),
            checks: Checks::new()
                .invariant("TypeOK", AntiEntropy::type_ok)
                .invariant("MerkleConsistent", AntiEntropy::merkle_consistent)
                .invariant("NoSelfDivergence", AntiEntropy::no_self_divergence)
                .invariant("PartitionSymmetric", AntiEntropy::partition_symmetric)
                .invariant("SyncRequestsValid", AntiEntropy::sync_requests_valid)
                .action_property("PartitionHealTriggers", AntiEntropy::partition_heal_triggers)
                .action_property("SyncReconciles", AntiEntropy::sync_reconciles)
                .action_property("LwwMonotonic", AntiEntropy::lww_monotonic)
                .fair_spec(fair_spec),
        })
    }
}

// ---- VARIABLES ----

/// An entry `[replica, time, value]`: the value and the stamp of the write that made it (the
/// writer's id, 0 for nobody). The derived order is TLC's record order, not the stamp order
/// ([`stamp_lt`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Entry {
    pub replica: u8,
    pub time: u8,
    pub value: u8,
}

/// `Bottom`: every entry before any write, the write nobody made at time 0.
pub const BOTTOM: Entry = Entry { replica: 0, time: 0, value: 0 };

/// A store, key index -> entry (slots past `NumKeys` stay [`BOTTOM`]). Also what a bucket hash,
/// a root and a digest are, abstractly: the entries they summarise.
pub type Store = [Entry; MAX_KEYS];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Request,
    Response,
}

/// A sync message `[digest, dst, src, type]` or `[deltas, digest, dst, src, type]`, replicas as
/// indices. A response's deltas are its digest's entries in the buckets of `sent` (a bit per
/// bucket index): both are the responder's store at the moment it answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sync {
    pub kind: Kind,
    pub src: u8,
    pub dst: u8,
    pub digest: Store,
    /// The buckets whose entries a response carries (0 for a request).
    pub sent: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// `kv_state[r][k]`, by replica index and key index.
    pub store: [Store; MAX_REPLICAS],
    /// `merkle_buckets[r]`: the store as r's bucket hashes last summarised it.
    pub buckets: [Store; MAX_REPLICAS],
    /// `merkle_root[r]`: the bucket hashes as r's root last summarised them.
    pub root: [Store; MAX_REPLICAS],
    /// `divergent_peers[r]`, a bit per replica index.
    pub divergent: [u8; MAX_REPLICAS],
    /// `pending_syncs`, sorted in TLC's order and without duplicates (a set).
    pub pending: Vec<Sync>,
    /// `partitioned[r1][r2]`, kept symmetric.
    pub partitioned: [[bool; MAX_REPLICAS]; MAX_REPLICAS],
}

impl State {
    pub fn cut(&self, a: usize, b: usize) -> bool {
        self.partitioned[a][b]
    }

    pub fn marks(&self, r: usize, p: usize) -> bool {
        self.divergent[r] & (1 << p) != 0
    }
}

/// `StampLT(a, b)`: by time, then by replica id.
pub fn stamp_lt(a: Entry, b: Entry) -> bool {
    a.time < b.time || (a.time == b.time && a.replica < b.replica)
}

impl AntiEntropy {
    pub fn n(&self) -> usize {
        self.replicas.len()
    }

    /// Replica `r`'s id.
    pub fn id(&self, r: usize) -> u8 {
        self.replicas[r]
    }

    /// `KeyToBucket`, as indices: key index `k` (key k + 1) is in bucket index `k % NumBuckets`.
    pub fn bucket_of(&self, k: usize) -> usize {
        k % self.num_buckets
    }

    /// `KeysOf(b)`, as key indices.
    pub fn keys_of(&self, b: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.num_keys).filter(move |&k| self.bucket_of(k) == b)
    }

    // ---- TypeOK ----

    fn type_ok(&self, s: &State) -> bool {
        let n = self.n();
        let entry_ok = |e: &Entry| (e.replica == 0 || self.replicas.contains(&e.replica)) && e.time <= self.max_timestamp && e.value <= self.num_values;
        let store_ok = |st: &Store| st[..self.num_keys].iter().all(entry_ok);
        (0..n).all(|r| store_ok(&s.store[r]) && store_ok(&s.buckets[r]) && store_ok(&s.root[r]) && s.divergent[r] >> n == 0)
            && s.pending.iter().all(|m| (m.src as usize) < n && (m.dst as usize) < n && store_ok(&m.digest) && m.sent >> self.num_buckets == 0)
    }

    // ---- Init ----

    fn init(&self) -> State {
        State {
            store: [[BOTTOM; MAX_KEYS]; MAX_REPLICAS],
            buckets: [[BOTTOM; MAX_KEYS]; MAX_REPLICAS],
            root: [[BOTTOM; MAX_KEYS]; MAX_REPLICAS],
            divergent: [0; MAX_REPLICAS],
            pending: Vec::new(),
            partitioned: [[false; MAX_REPLICAS]; MAX_REPLICAS],
        }
    }

    // ---- Hashes and the merge ----

    /// `DivergentBuckets(digest, r)`: the bucket indices (a bit each) in which a digest differs from
    /// r's bucket hashes.
    pub fn divergent_buckets(&self, digest: &Store, buckets: &Store) -> u8 {
        (0..self.num_buckets).filter(|&b| self.keys_of(b).any(|k| digest[k] != buckets[k])).fold(0, |m, b| m | 1 << b)
    }

    /// `SentBuckets(diff)`: every differing bucket, or (root-only) the first.
    pub fn sent_buckets(&self, diff: u8) -> u8 {
        if self.sync_all_buckets || diff == 0 {
            diff
        } else {
            diff & diff.wrapping_neg()
        }
    }

    /// `MergeValue(local, remote)`: last writer wins (blind-overwrite: the remote entry always).
    pub fn merge_value(&self, local: Entry, remote: Entry) -> Entry {
        if !self.lww_merge || stamp_lt(local, remote) {
            remote
        } else {
            local
        }
    }

    /// The key indices a response carries.
    pub fn delta_keys(&self, m: &Sync) -> Vec<usize> {
        (0..self.num_keys).filter(|&k| m.sent & (1 << self.bucket_of(k)) != 0).collect()
    }

    /// `SyncInFlight(r, peer)`: r's request to peer, or peer's answer to it, is in flight.
    fn sync_in_flight(s: &State, r: usize, peer: usize) -> bool {
        s.pending.iter().any(|m| match m.kind {
            Kind::Request => m.src as usize == r && m.dst as usize == peer,
            Kind::Response => m.src as usize == peer && m.dst as usize == r,
        })
    }

    /// A replica's new store, with its bucket hashes and root recomputed from it.
    fn rehash(t: &mut State, r: usize, store: Store) {
        t.store[r] = store;
        t.buckets[r] = store;
        t.root[r] = t.buckets[r];
    }

    /// Puts the network back in TLC's set order.
    fn normalise(&self, pending: &mut Vec<Sync>) {
        sorted::sort_by(pending, |a, b| self.sync_value(a).tlc_cmp(&self.sync_value(b)));
        pending.dedup();
    }

    // ---- Actions ----

    /// `LocalWrite(r, k, v)`: stamped one past the key's time.
    fn local_write(&self, s: &State, r: usize, k: usize, v: u8) -> Option<State> {
        let time = s.store[r][k].time;
        if time >= self.max_timestamp {
            return None;
        }
        let mut t = s.clone();
        let mut store = s.store[r];
        store[k] = Entry { replica: self.id(r), time: time + 1, value: v };
        Self::rehash(&mut t, r, store);
        Some(t)
    }

    /// `ExchangeDigest(r1, r2)`: compare roots, mark or clear.
    fn exchange_digest(&self, s: &State, r1: usize, r2: usize) -> Option<State> {
        if self.id(r1) >= self.id(r2) || s.cut(r1, r2) {
            return None;
        }
        let mut t = s.clone();
        if s.root[r1] != s.root[r2] {
            t.divergent[r1] |= 1 << r2;
            t.divergent[r2] |= 1 << r1;
        } else {
            t.divergent[r1] &= !(1 << r2);
            t.divergent[r2] &= !(1 << r1);
        }
        Some(t)
    }

    /// `InitiateSync(r, peer)`: send r's root.
    fn initiate_sync(&self, s: &State, r: usize, peer: usize) -> Option<State> {
        if !s.marks(r, peer) || s.cut(r, peer) || Self::sync_in_flight(s, r, peer) {
            return None;
        }
        let mut t = s.clone();
        t.pending.push(Sync { kind: Kind::Request, src: r as u8, dst: peer as u8, digest: s.root[r], sent: 0 });
        self.normalise(&mut t.pending);
        Some(t)
    }

    /// `HandleSyncRequest(req)`: answer with the differing buckets (root-only: the first).
    fn handle_sync_request(&self, s: &State, req: &Sync) -> Option<State> {
        if req.kind != Kind::Request || s.cut(req.dst as usize, req.src as usize) {
            return None;
        }
        let at = s.pending.iter().position(|m| m == req)?;
        let p = req.dst as usize;
        let sent = self.sent_buckets(self.divergent_buckets(&req.digest, &s.buckets[p]));
        let mut t = s.clone();
        t.pending.remove(at);
        t.pending.push(Sync { kind: Kind::Response, src: req.dst, dst: req.src, digest: s.root[p], sent });
        self.normalise(&mut t.pending);
        Some(t)
    }

    /// `HandleSyncResponse(resp)`: merge, rehash, clear the mark.
    fn handle_sync_response(&self, s: &State, resp: &Sync) -> Option<State> {
        if resp.kind != Kind::Response || s.cut(resp.src as usize, resp.dst as usize) {
            return None;
        }
        let at = s.pending.iter().position(|m| m == resp)?;
        let r = resp.dst as usize;
        let mut store = s.store[r];
        for k in self.delta_keys(resp) {
            store[k] = self.merge_value(store[k], resp.digest[k]);
        }
        let mut t = s.clone();
        Self::rehash(&mut t, r, store);
        t.divergent[r] &= !(1 << resp.src);
        t.pending.remove(at);
        Some(t)
    }

    /// `CreatePartition(r1, r2)`: cut, and drop the syncs on the link.
    fn create_partition(&self, s: &State, r1: usize, r2: usize) -> Option<State> {
        if self.id(r1) >= self.id(r2) || s.cut(r1, r2) {
            return None;
        }
        let mut t = s.clone();
        t.partitioned[r1][r2] = true;
        t.partitioned[r2][r1] = true;
        t.pending.retain(|m| !on_link(m, r1, r2));
        Some(t)
    }

    /// `HealPartition(r1, r2)`: restore, and mark both sides divergent.
    fn heal_partition(&self, s: &State, r1: usize, r2: usize) -> Option<State> {
        if self.id(r1) >= self.id(r2) || !s.cut(r1, r2) {
            return None;
        }
        let mut t = s.clone();
        t.partitioned[r1][r2] = false;
        t.partitioned[r2][r1] = false;
        t.divergent[r1] |= 1 << r2;
        t.divergent[r2] |= 1 << r1;
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s candidates, in its disjunct order, quantifiers nested outer first, each ascending
    /// (the network in TLC's set order).
    fn next(&self, s: &State, out: &mut Vec<Action>) {
        let n = self.n() as u8;
        for r in 0..n {
            for k in 0..self.num_keys as u8 {
                for v in 1..=self.num_values {
                    out.push(Action::LocalWrite { r, k, v });
                }
            }
        }
        for r1 in 0..n {
            for r2 in 0..n {
                out.push(Action::ExchangeDigest { r1, r2 });
            }
        }
        for r in 0..n {
            for peer in 0..n {
                out.push(Action::InitiateSync { r, peer });
            }
        }
        out.extend(s.pending.iter().map(|&m| Action::HandleSyncRequest { m }));
        out.extend(s.pending.iter().map(|&m| Action::HandleSyncResponse { m }));
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
            Action::LocalWrite { r, k, v } => self.local_write(s, r as usize, k as usize, v),
            Action::ExchangeDigest { r1, r2 } => self.exchange_digest(s, r1 as usize, r2 as usize),
            Action::InitiateSync { r, peer } => self.initiate_sync(s, r as usize, peer as usize),
            Action::HandleSyncRequest { ref m } => self.handle_sync_request(s, m),
            Action::HandleSyncResponse { ref m } => self.handle_sync_response(s, m),
            Action::CreatePartition { r1, r2 } => self.create_partition(s, r1 as usize, r2 as usize),
            Action::HealPartition { r1, r2 } => self.heal_partition(s, r1 as usize, r2 as usize),
        }
    }
}

/// `OnLink(m, r1, r2)`: the message travels between r1 and r2, either way.
pub fn on_link(m: &Sync, r1: usize, r2: usize) -> bool {
    let (a, b) = (m.src as usize, m.dst as usize);
    (a == r1 && b == r2) || (a == r2 && b == r1)
}

/// An action of `Next`, replicas and keys as indices, values as themselves (1..NumValues).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    LocalWrite { r: u8, k: u8, v: u8 },
    ExchangeDigest { r1: u8, r2: u8 },
    InitiateSync { r: u8, peer: u8 },
    HandleSyncRequest { m: Sync },
    HandleSyncResponse { m: Sync },
    CreatePartition { r1: u8, r2: u8 },
    HealPartition { r1: u8, r2: u8 },
}

impl Action {
    pub const NAMES: [&'static str; 7] =
        ["LocalWrite", "ExchangeDigest", "InitiateSync", "HandleSyncRequest", "HandleSyncResponse", "CreatePartition", "HealPartition"];

    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::LocalWrite { .. } => "LocalWrite",
            Action::ExchangeDigest { .. } => "ExchangeDigest",
            Action::InitiateSync { .. } => "InitiateSync",
            Action::HandleSyncRequest { .. } => "HandleSyncRequest",
            Action::HandleSyncResponse { .. } => "HandleSyncResponse",
            Action::CreatePartition { .. } => "CreatePartition",
            Action::HealPartition { .. } => "HealPartition",
        }
    }
}

impl AntiEntropy {
    // ---- Invariants ----

    /// Every bucket hash and root matches the store.
    fn merkle_consistent(&self, s: &State) -> bool {
        (0..self.n()).all(|r| s.buckets[r] == s.store[r] && s.root[r] == s.buckets[r])
    }

    fn no_self_divergence(&self, s: &State) -> bool {
        (0..self.n()).all(|r| !s.marks(r, r))
    }

    fn partition_symmetric(&self, s: &State) -> bool {
        (0..self.n()).all(|a| (0..self.n()).all(|b| s.partitioned[a][b] == s.partitioned[b][a]))
    }

    fn sync_requests_valid(&self, s: &State) -> bool {
        s.pending.iter().all(|m| (m.src as usize) < self.n() && (m.dst as usize) < self.n() && m.src != m.dst)
    }

    // ---- Action properties ----

    /// A heal marks each side divergent from the other.
    fn partition_heal_triggers(&self, s: &State, t: &State) -> bool {
        // healed(a, b) => t marks b at a
        (0..self.n()).all(|a| (0..self.n()).all(|b| !s.cut(a, b) || t.cut(a, b) || t.marks(a, b)))
    }

    /// `Dominates(store, digest)`: for every key, the store's entry is not older than the digest's.
    pub fn dominates(&self, store: &Store, digest: &Store) -> bool {
        (0..self.num_keys).all(|k| !stamp_lt(store[k], digest[k]))
    }

    /// The keys in which a store is older than a digest (what `SyncReconciles` misses).
    pub fn behind(&self, store: &Store, digest: &Store) -> Vec<usize> {
        (0..self.num_keys).filter(|&k| stamp_lt(store[k], digest[k])).collect()
    }

    /// A response taken off a link that stays up leaves its receiver dominating its digest.
    fn sync_reconciles(&self, s: &State, t: &State) -> bool {
        s.pending
            .iter()
            .filter(|m| m.kind == Kind::Response && !t.pending.contains(m) && !t.cut(m.src as usize, m.dst as usize))
            .all(|m| self.dominates(&t.store[m.dst as usize], &m.digest))
    }

    /// No entry is replaced by an older one.
    fn lww_monotonic(&self, s: &State, t: &State) -> bool {
        (0..self.n()).all(|r| (0..self.num_keys).all(|k| !stamp_lt(t.store[r][k], s.store[r][k])))
    }

    // ---- Liveness ----

    /// `Connected`: no link is cut.
    pub fn connected(&self, s: &State) -> bool {
        (0..self.n()).all(|a| (0..self.n()).all(|b| !s.cut(a, b)))
    }

    /// `Converged`: every replica holds the same store.
    pub fn converged(&self, s: &State) -> bool {
        (1..self.n()).all(|r| s.store[r][..self.num_keys] == s.store[0][..self.num_keys])
    }

    /// `MarkedReachable`: some replica marks a peer it can reach as divergent.
    pub fn marked_reachable(&self, s: &State) -> bool {
        (0..self.n()).any(|r| (0..self.n()).any(|p| s.marks(r, p) && !s.cut(r, p)))
    }

    fn connected_and_diverged(&self, s: &State) -> bool {
        self.connected(s) && !self.converged(s)
    }

    fn converged_or_cut(&self, s: &State) -> bool {
        self.converged(s) || !self.connected(s)
    }

    fn nothing_marked_reachable(&self, s: &State) -> bool {
        !self.marked_reachable(s)
    }

    /// `PartitionHealing == (Connected /\ ~Converged) ~> (Converged \/ ~Connected)`.
    const PARTITION_HEALING: LivenessProperty<AntiEntropy> =
        LivenessProperty { name: "PartitionHealing", kind: Temporal::LeadsTo, p: AntiEntropy::connected_and_diverged, q: Some(AntiEntropy::converged_or_cut) };

    /// `SyncCompleteness == MarkedReachable ~> ~MarkedReachable`.
    const SYNC_COMPLETENESS: LivenessProperty<AntiEntropy> = LivenessProperty {
        name: "SyncCompleteness",
        kind: Temporal::LeadsTo,
        p: AntiEntropy::marked_reachable,
        q: Some(AntiEntropy::nothing_marked_reachable),
    };

    // ---- Fairness (one condition per ordered pair of replica indices) ----

    const WF_EXCHANGE: Fairness<AntiEntropy> = Fairness {
        kind: FairnessKind::Weak,
        name: "\\A r1, r2 \\in Replicas : WF_vars(ExchangeDigest(r1, r2))",
        instance: |_, a| match *a {
            Action::ExchangeDigest { r1, r2 } => Some(pair(r1, r2)),
            _ => None,
        },
    };

    const WF_INITIATE: Fairness<AntiEntropy> = Fairness {
        kind: FairnessKind::Weak,
        name: "\\A r, p \\in Replicas : WF_vars(InitiateSync(r, p))",
        instance: |_, a| match *a {
            Action::InitiateSync { r, peer } => Some(pair(r, peer)),
            _ => None,
        },
    };

    const WF_REQUEST: Fairness<AntiEntropy> = Fairness {
        kind: FairnessKind::Weak,
        name: "\\A r, p \\in Replicas : WF_vars(HandleRequestOn(r, p))",
        instance: |_, a| match *a {
            Action::HandleSyncRequest { m } => Some(pair(m.src, m.dst)),
            _ => None,
        },
    };

    const WF_RESPONSE: Fairness<AntiEntropy> = Fairness {
        kind: FairnessKind::Weak,
        name: "\\A r, p \\in Replicas : WF_vars(HandleResponseOn(r, p))",
        instance: |_, a| match *a {
            Action::HandleSyncResponse { m } => Some(pair(m.src, m.dst)),
            _ => None,
        },
    };

    // ---- Notation shared by labels, messages and the view ----

    /// An entry: `1@(2,1)` (value 1, time 2, replica 1); `⊥` for the write nobody made.
    pub fn entry_text(e: &Entry) -> String {
        if *e == BOTTOM {
            "⊥".to_string()
        } else {
            format!("{}@({},{})", e.value, e.time, e.replica)
        }
    }

    /// `k1=1@(1,2)`.
    pub fn key_entry_text(k: usize, e: &Entry) -> String {
        format!("k{}={}", k + 1, Self::entry_text(e))
    }

    /// The buckets of a mask, as `b1, b2`.
    pub fn buckets_text(&self, mask: u8) -> String {
        let v: Vec<String> = (0..self.num_buckets).filter(|b| mask & (1 << b) != 0).map(|b| format!("b{}", b + 1)).collect();
        if v.is_empty() {
            "no bucket".into()
        } else {
            v.join(", ")
        }
    }

    // ---- TLA+ values ----

    fn entry_value(e: &Entry) -> Value {
        Value::record([("replica", Value::Int(e.replica as i64)), ("time", Value::Int(e.time as i64)), ("value", Value::Int(e.value as i64))])
    }

    fn store_value(&self, st: &Store) -> Value {
        Value::Tuple(st[..self.num_keys].iter().map(Self::entry_value).collect())
    }

    /// `<<k, entry>>` pairs of the given keys.
    fn pairs_value(st: &Store, keys: impl Iterator<Item = usize>) -> Value {
        Value::set(keys.map(|k| Value::Tuple(vec![Value::Int(k as i64 + 1), Self::entry_value(&st[k])])))
    }

    /// `BucketHashes(store)` / a root: the tuple of bucket hashes.
    fn hashes_value(&self, st: &Store) -> Value {
        Value::Tuple((0..self.num_buckets).map(|b| Self::pairs_value(st, self.keys_of(b))).collect())
    }

    pub fn sync_value(&self, m: &Sync) -> Value {
        let id = |r: u8| Value::Int(self.id(r as usize) as i64);
        match m.kind {
            Kind::Request => {
                Value::record([("digest", self.hashes_value(&m.digest)), ("dst", id(m.dst)), ("src", id(m.src)), ("type", Value::str("SyncRequest"))])
            }
            Kind::Response => Value::record([
                ("deltas", Self::pairs_value(&m.digest, self.delta_keys(m).into_iter())),
                ("digest", self.hashes_value(&m.digest)),
                ("dst", id(m.dst)),
                ("src", id(m.src)),
                ("type", Value::str("SyncResponse")),
            ]),
        }
    }
}

/// A fairness instance: an ordered pair of replica indices.
fn pair(a: u8, b: u8) -> u32 {
    a as u32 * MAX_REPLICAS as u32 + b as u32
}

impl AntiEntropy {
    // ---- Messages ----

    /// A sync's identity: its kind, link and the digest it carries.
    pub fn sync_id(&self, m: &Sync) -> String {
        let digest: Vec<String> = (0..self.num_keys).map(|k| Self::entry_text(&m.digest[k])).collect();
        let kind = match m.kind {
            Kind::Request => "request",
            Kind::Response => "response",
        };
        format!("{kind} {}->{} [{}] {}", self.id(m.src as usize), self.id(m.dst as usize), digest.join(" "), m.sent)
    }

    /// A sync message's short label: `req root[k1=⊥ k2=⊥]`, `resp b1: k1=1@(1,2)`.
    pub fn sync_label(&self, m: &Sync) -> String {
        match m.kind {
            Kind::Request => "sync request".to_string(),
            Kind::Response => {
                let keys = self.delta_keys(m);
                if keys.is_empty() {
                    "sync response: nothing".to_string()
                } else {
                    format!("sync response {}", keys.iter().map(|&k| Self::key_entry_text(k, &m.digest[k])).collect::<Vec<_>>().join(" "))
                }
            }
        }
    }

    fn sync_event(&self, op: MessageOp, m: &Sync) -> MessageEvent {
        let digest: Vec<String> = (0..self.num_keys).map(|k| Self::key_entry_text(k, &m.digest[k])).collect();
        let mut contents =
            vec![("type".into(), if m.kind == Kind::Request { "SyncRequest" } else { "SyncResponse" }.to_string()), ("digest".into(), digest.join(" "))];
        if m.kind == Kind::Response {
            contents.push(("buckets".into(), self.buckets_text(m.sent)));
        }
        MessageEvent { op, from: m.src as usize, to: m.dst as usize, id: self.sync_id(m), label: self.sync_label(m), contents }
    }

    /// One way of a digest exchange: sent and taken in the same step.
    fn digest_events(&self, s: &State, from: usize, to: usize) -> [MessageEvent; 2] {
        let digest: Vec<String> = (0..self.num_keys).map(|k| Self::key_entry_text(k, &s.root[from][k])).collect();
        let e = MessageEvent {
            op: MessageOp::Send,
            from,
            to,
            id: format!("digest {}->{} [{}]", self.id(from), self.id(to), digest.join(" ")),
            label: "digest".into(),
            contents: vec![("root".into(), digest.join(" "))],
        };
        [e.clone(), MessageEvent { op: MessageOp::Deliver, ..e }]
    }
}

impl Model for AntiEntropy {
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
            Action::LocalWrite { r, k, v } => format!("LocalWrite({}, k{}, {v})", id(r), k + 1),
            Action::ExchangeDigest { r1, r2 } => format!("ExchangeDigest({}, {})", id(r1), id(r2)),
            Action::InitiateSync { r, peer } => format!("InitiateSync({}, {})", id(r), id(peer)),
            Action::HandleSyncRequest { m } => format!("HandleSyncRequest({} -> {})", id(m.src), id(m.dst)),
            Action::HandleSyncResponse { m } => format!("HandleSyncResponse({} -> {})", id(m.src), id(m.dst)),
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
        &["kv_state", "merkle_buckets", "merkle_root", "divergent_peers", "pending_syncs", "partitioned"]
    }

    /// The replicas, by id.
    fn nodes(&self) -> Vec<String> {
        self.replicas.iter().map(|id| format!("replica {id}")).collect()
    }

    /// ExchangeDigest sends each side's root to the other and takes it at once; InitiateSync sends
    /// a request; HandleSyncRequest takes it and sends the response; HandleSyncResponse takes that;
    /// CreatePartition cuts a link and drops the syncs on it; HealPartition restores it.
    fn messages(&self, s: &State, action: &Action, next: &State) -> Vec<MessageEvent> {
        match *action {
            Action::LocalWrite { .. } => Vec::new(),
            Action::ExchangeDigest { r1, r2 } => {
                let (a, b) = (r1 as usize, r2 as usize);
                let [s1, d1] = self.digest_events(s, a, b);
                let [s2, d2] = self.digest_events(s, b, a);
                vec![s1, s2, d1, d2]
            }
            Action::InitiateSync { .. } => next.pending.iter().filter(|m| !s.pending.contains(m)).map(|m| self.sync_event(MessageOp::Send, m)).collect(),
            Action::HandleSyncRequest { m } => {
                let mut events = vec![self.sync_event(MessageOp::Deliver, &m)];
                events.extend(next.pending.iter().filter(|x| !s.pending.contains(x)).map(|x| self.sync_event(MessageOp::Send, x)));
                events
            }
            Action::HandleSyncResponse { m } => vec![self.sync_event(MessageOp::Deliver, &m)],
            Action::CreatePartition { r1, r2 } => {
                let mut events = vec![MessageEvent::link(MessageOp::Partition, r1 as usize, r2 as usize, self.id(r1 as usize), self.id(r2 as usize))];
                events.extend(s.pending.iter().filter(|m| !next.pending.contains(m)).map(|m| self.sync_event(MessageOp::Drop, m)));
                events
            }
            Action::HealPartition { r1, r2 } => vec![MessageEvent::link(MessageOp::Heal, r1 as usize, r2 as usize, self.id(r1 as usize), self.id(r2 as usize))],
        }
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        vec![
            Value::per_id(&self.replicas, |r| self.store_value(&s.store[r])),
            Value::per_id(&self.replicas, |r| self.hashes_value(&s.buckets[r])),
            Value::per_id(&self.replicas, |r| self.hashes_value(&s.root[r])),
            Value::per_id(&self.replicas, |r| Value::set((0..self.n()).filter(|&p| s.marks(r, p)).map(|p| Value::Int(self.id(p) as i64)))),
            Value::set(s.pending.iter().map(|m| self.sync_value(m))),
            Value::per_id(&self.replicas, |r1| Value::per_id(&self.replicas, |r2| Value::Bool(s.partitioned[r1][r2]))),
        ]
    }
}
