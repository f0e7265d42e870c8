//! `mvcc`: elastickv's MVCC layer, per-key version chains with compaction (seed 003, M3).
//! Twin: `tla/mvcc/MVCC.tla`.
//!
//! `Write(k, v)` takes a fresh timestamp from one monotonic counter and adds the version
//! `[commitTs, value]` to the key's chain and to a ghost copy that compaction never touches.
//! `Compact(newMin)` raises the retention watermark `minRetained` and prunes every version below
//! it, keeping (safe) the newest version below `newMin`: a read at `newMin` or later still needs it.
//!
//! MVCC-1: a key never holds two versions at one timestamp. MVCC-4: for every key and every read
//! timestamp from the watermark to `MaxTs`, the visible version (the newest at or below the read
//! timestamp) is the one the ghost shows.
//!
//! Configurations: `safe`; `gap` (Compact drops the newest version below the watermark too, so a
//! read at the watermark finds nothing where the ghost still has the write).
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the properties, then
//! TLC's plumbing (constraint, symmetry, TLA+ values).

use crate::engine::sorted;
use crate::engine::{variable_order, Checks, ConfigSpec, ConstKind, ConstSpec, Constants, Model, ModelDef, ModelInfo, Permutation, SymmetricSet, Value};

// ---- CONSTANTS ----

pub struct Mvcc {
    pub keys: Vec<String>,
    pub vals: Vec<String>,
    pub max_ts: u8,
    pub max_ops: u8,
    /// `EnableSafety`: Compact keeps the newest version below the watermark.
    pub safety: bool,
    /// What this config checks.
    checks: Checks<Mvcc>,
}

impl ModelDef for Mvcc {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/mvcc/MVCC.tla")];

    fn info() -> ModelInfo {
        ModelInfo {
            name: "mvcc",
            title: "elastickv MVCC chains and compaction",
            story: "Writes add versions to per-key chains at fresh timestamps; compaction prunes old versions, and must keep the newest one below its watermark or a later read finds nothing.",
            source: "seed 003: elastickv TLA+ safety specs, M3 MVCC.tla (PR #861)",
            tla_module: "MVCC",
            constants: vec![
                ConstSpec { name: "Keys", doc: "Keys (symmetric).", kind: ConstKind::ModelValues { prefix: "k", min_len: 1, max_len: 3 }, default: "{k1, k2}" },
                ConstSpec { name: "Vals", doc: "Values a write may store (symmetric).", kind: ConstKind::ModelValues { prefix: "v", min_len: 1, max_len: 3 }, default: "{v1, v2}" },
                ConstSpec { name: "MaxTs", doc: "Bound on the timestamp counter.", kind: ConstKind::Int { min: 1, max: 6 }, default: "4" },
                ConstSpec { name: "MaxOps", doc: "Bound on the number of writes.", kind: ConstKind::Int { min: 0, max: 5 }, default: "3" },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "Compaction keeps, per key, the newest version below the new watermark, so every read from the watermark on still sees what was written.",
                    expect: None,
                    tla_switches: &[("EnableSafety", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "gap",
                    summary: "Compaction drops the newest version below the watermark too, so a read at the watermark finds nothing where a write is still visible in the ghost: MVCC4_NoLostCommitOnSnapshotInstall fails.",
                    expect: Some("MVCC4_NoLostCommitOnSnapshotInstall"),
                    tla_switches: &[("EnableSafety", "FALSE")],
                    alters: &["Compact"],
                },
            ],
            meanings: &[
                ("TypeOK", "Every chain holds versions with timestamps in 1..MaxTs, and the counters stay in range."),
                ("MVCC1_VisibleVersionUnique", "No two versions of one key share a commit timestamp."),
                ("MVCC4_NoLostCommitOnSnapshotInstall", "A read at any timestamp from the watermark on sees the same version as it would in the full, never-compacted history."),
                ("MVCC_TsMonotonic", "No step lowers the timestamp counter."),
                ("MVCC_GhostMonotonic", "No step removes a version from the record of every version ever written."),
                ("Write", "A key gets a new version at the next timestamp."),
                ("Compact", "The watermark rises and versions below it are pruned, keeping (with safety) the newest one below it."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        Ok(Mvcc {
            keys: constants.names("Keys"),
            vals: constants.names("Vals"),
            max_ts: constants.int("MaxTs") as u8,
            max_ops: constants.int("MaxOps") as u8,
            safety: config.switch("EnableSafety"),
            checks: Checks::new()
                .invariant("TypeOK", Mvcc::type_ok)
                .invariant("MVCC1_VisibleVersionUnique", Mvcc::unique)
                .invariant("MVCC4_NoLostCommitOnSnapshotInstall", Mvcc::no_lost_commit)
                .action_property("MVCC_TsMonotonic", Mvcc::ts_monotonic)
                .action_property("MVCC_GhostMonotonic", Mvcc::ghost_monotonic),
        })
    }
}

// ---- VARIABLES ----

/// What a read at `ts` sees in `chain`: the version with the largest timestamp at or below `ts`
/// (`LatestBefore` in the twin; `None` is its NotFound).
pub fn latest_before(chain: &[Version], ts: u8) -> Option<Version> {
    chain.iter().filter(|w| w.ts <= ts).max_by_key(|w| w.ts).copied()
}

/// One version of a key: `[commitTs |-> ts, value |-> v]`; `val` indexes Vals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    pub ts: u8,
    pub val: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// `versions[k]`: the key's chain, sorted by timestamp.
    pub versions: Vec<Vec<Version>>,
    /// `originalVersions[k]`: the ghost, every version ever written, sorted.
    pub original: Vec<Vec<Version>>,
    /// The last timestamp handed out (0 before the first write).
    pub ts_counter: u8,
    /// The compaction watermark.
    pub min_retained: u8,
    /// Writes so far.
    pub op_count: u8,
}

impl Mvcc {
    pub fn n_keys(&self) -> usize {
        self.keys.len()
    }

    // ---- TypeOK ----

    fn type_ok(&self, s: &State) -> bool {
        let chain_ok = |c: &Vec<Version>| c.iter().all(|w| w.ts >= 1 && w.ts <= self.max_ts && (w.val as usize) < self.vals.len());
        s.versions.iter().all(chain_ok)
            && s.original.iter().all(chain_ok)
            && s.ts_counter <= self.max_ts
            && s.min_retained <= self.max_ts
            && s.op_count <= self.max_ops
    }

    // ---- Init ----

    fn init(&self) -> State {
        let empty = vec![Vec::new(); self.n_keys()];
        State { versions: empty.clone(), original: empty, ts_counter: 0, min_retained: 0, op_count: 0 }
    }

    // ---- Actions ----

    /// `Write(k, v)`: a fresh timestamp, the version added to the chain and to the ghost.
    fn write(&self, s: &State, k: usize, v: u8) -> Option<State> {
        if !(s.op_count < self.max_ops && s.ts_counter < self.max_ts) {
            return None;
        }
        let mut t = s.clone();
        let ver = Version { ts: s.ts_counter + 1, val: v };
        for chains in [&mut t.versions, &mut t.original] {
            let chain = &mut chains[k];
            if !chain.contains(&ver) {
                chain.push(ver);
                sorted::sort(chain);
            }
        }
        t.ts_counter = s.ts_counter + 1;
        t.op_count = s.op_count + 1;
        Some(t)
    }

    /// `Retained(k, newMin)`: the chain of key `k` after compacting to `new_min`: every version at
    /// or above newMin, plus (EnableSafety) the newest version below it.
    pub fn retained(&self, s: &State, k: usize, new_min: u8) -> Vec<Version> {
        let chain = &s.versions[k];
        let mut kept: Vec<Version> = chain.iter().filter(|w| w.ts >= new_min).copied().collect();
        if self.safety {
            if let Some(w) = latest_before(chain, new_min - 1) {
                kept.push(w);
                sorted::sort(&mut kept);
            }
        }
        kept
    }

    /// `Compact(newMin)`.
    fn compact(&self, s: &State, new_min: u8) -> Option<State> {
        if !(new_min > s.min_retained && new_min <= s.ts_counter) {
            return None;
        }
        let mut t = s.clone();
        t.min_retained = new_min;
        t.versions = (0..self.n_keys()).map(|k| self.retained(s, k, new_min)).collect();
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s candidates, in its disjunct order: `\E k \in Keys : \E v \in Vals` (k outer), then
    /// `\E newMin \in 1..MaxTs`, each ascending.
    fn next(&self, _s: &State, out: &mut Vec<Action>) {
        for k in 0..self.n_keys() as u8 {
            out.extend((0..self.vals.len() as u8).map(|v| Action::Write { k, v }));
        }
        out.extend((1..=self.max_ts).map(|new_min| Action::Compact { new_min }));
    }

    /// The successor by `action`, or `None` if it is not enabled.
    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::Write { k, v } => self.write(s, k as usize, v),
            Action::Compact { new_min } => self.compact(s, new_min),
        }
    }
}

/// An action of `Next`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Key index, value index.
    Write {
        k: u8,
        v: u8,
    },
    Compact {
        new_min: u8,
    },
}

impl Action {
    /// One action of each of `Next`'s disjuncts, in order.
    const FAMILIES: [Action; 2] = [Action::Write { k: 0, v: 0 }, Action::Compact { new_min: 0 }];

    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Write { .. } => "Write",
            Action::Compact { .. } => "Compact",
        }
    }
}

impl Mvcc {
    // ---- Invariants ----

    /// The versions the gap lost: in the ghost, visible to some read from the watermark on, yet
    /// gone from the chain (what MVCC-4 catches), per key.
    pub fn lost_reads(&self, s: &State, k: usize) -> Vec<u8> {
        (s.min_retained..=self.max_ts).filter(|&ts| latest_before(&s.versions[k], ts) != latest_before(&s.original[k], ts)).collect()
    }

    /// MVCC-1: no two versions of a key share a commit timestamp.
    fn unique(&self, s: &State) -> bool {
        s.versions.iter().all(|c| c.windows(2).all(|p| p[0].ts != p[1].ts))
    }

    /// MVCC-4: a read at any timestamp from the watermark on sees what the ghost shows.
    fn no_lost_commit(&self, s: &State) -> bool {
        (0..self.n_keys()).all(|k| self.lost_reads(s, k).is_empty())
    }

    // ---- Action properties ----

    fn ts_monotonic(&self, s: &State, t: &State) -> bool {
        t.ts_counter >= s.ts_counter
    }

    fn ghost_monotonic(&self, s: &State, t: &State) -> bool {
        s.original.iter().zip(&t.original).all(|(a, b)| a.iter().all(|w| b.contains(w)))
    }

    // ---- TLA+ values ----

    fn key_value(&self, k: usize) -> Value {
        Value::model(k, &self.keys[k])
    }

    fn val_value(&self, v: usize) -> Value {
        Value::model(self.keys.len() + v, &self.vals[v])
    }

    fn chains_value(&self, chains: &[Vec<Version>]) -> Value {
        Value::func(chains.iter().enumerate().map(|(k, c)| {
            (self.key_value(k), Value::set(c.iter().map(|w| Value::record([("commitTs", Value::Int(w.ts as i64)), ("value", self.val_value(w.val as usize))]))))
        }))
    }
}

impl Model for Mvcc {
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
        match *action {
            Action::Write { k, v } => format!("{}({}, {})", action.name(), self.keys[k as usize], self.vals[v as usize]),
            Action::Compact { new_min } => format!("{}({new_min})", action.name()),
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
            "Write adds a version at the counter plus one only while the counter is below MaxTs (and opCount below MaxOps) with a value of Vals, and Compact keeps a subset of a chain and sets the watermark within 1..MaxTs.",
        )]
    }

    /// The seed's StateConstraint (the guards already keep every state inside it).
    fn within_constraint(&self, s: &State) -> bool {
        s.ts_counter <= self.max_ts && s.min_retained <= self.max_ts && s.op_count <= self.max_ops
    }

    fn symmetric_sets(&self) -> Vec<SymmetricSet> {
        vec![SymmetricSet::new("Keys", self.keys.clone()), SymmetricSet::new("Vals", self.vals.clone())]
    }

    fn permute(&self, s: &State, p: &Permutation) -> State {
        let permute_chains = |chains: &Vec<Vec<Version>>| {
            let mut out = vec![Vec::new(); chains.len()];
            for (k, c) in chains.iter().enumerate() {
                let mut moved: Vec<Version> = c.iter().map(|w| Version { ts: w.ts, val: p.apply(1, w.val as usize) as u8 }).collect();
                sorted::sort(&mut moved);
                out[p.apply(0, k)] = moved;
            }
            out
        };
        State { versions: permute_chains(&s.versions), original: permute_chains(&s.original), ..s.clone() }
    }

    fn variables(&self) -> &'static [&'static str] {
        &["versions", "originalVersions", "tsCounter", "minRetained", "opCount"]
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        vec![
            self.chains_value(&s.versions),
            self.chains_value(&s.original),
            Value::Int(s.ts_counter as i64),
            Value::Int(s.min_retained as i64),
            Value::Int(s.op_count as i64),
        ]
    }

    /// As TLC printed the twin's variables: versions, opCount, tsCounter, minRetained,
    /// originalVersions.
    fn tlc_variable_order(&self) -> Vec<usize> {
        variable_order(self.variables(), &["versions", "opCount", "tsCounter", "minRetained", "originalVersions"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::testing::{self, labels, step};

    fn model(config: &str) -> Mvcc {
        testing::model(config)
    }

    fn run(m: &Mvcc, steps: &[&str]) -> State {
        testing::run(m, m.init_states().remove(0), steps)
    }

    #[test]
    fn write_adds_a_version_at_a_fresh_timestamp_to_chain_and_ghost() {
        let m = model("safe");
        let s0 = m.init_states().remove(0);
        assert_eq!(labels(&m, &s0), ["Write(k1, v1)", "Write(k1, v2)", "Write(k2, v1)", "Write(k2, v2)"], "nothing to compact yet");
        let s = run(&m, &["Write(k2, v1)", "Write(k2, v2)"]);
        assert_eq!(s.versions[1], vec![Version { ts: 1, val: 0 }, Version { ts: 2, val: 1 }]);
        assert_eq!(s.original, s.versions);
        assert_eq!((s.ts_counter, s.op_count, s.min_retained), (2, 2, 0));
        assert!(m.ts_monotonic(&s0, &s) && m.ghost_monotonic(&s0, &s));
        assert!(m.unique(&s) && m.no_lost_commit(&s) && m.type_ok(&s));
    }

    #[test]
    fn writes_stop_at_max_ops_and_compact_needs_a_higher_watermark_within_the_counter() {
        let m = model("safe");
        let s = run(&m, &["Write(k1, v1)", "Write(k1, v1)", "Write(k1, v1)"]);
        assert_eq!(labels(&m, &s), ["Compact(1)", "Compact(2)", "Compact(3)"], "MaxOps = 3 writes");
        let s = step(&m, &s, "Compact(2)");
        assert_eq!(labels(&m, &s), ["Compact(3)"]);
    }

    #[test]
    fn safe_compaction_keeps_the_newest_version_below_the_watermark() {
        let m = model("safe");
        let s = run(&m, &["Write(k1, v1)", "Write(k1, v2)", "Write(k2, v1)", "Compact(3)"]);
        // k1 had ts 1 and 2, both below 3: only ts 2 (the newest) stays. k2 keeps ts 3.
        assert_eq!(s.versions[0], vec![Version { ts: 2, val: 1 }]);
        assert_eq!(s.versions[1], vec![Version { ts: 3, val: 0 }]);
        assert_eq!(s.original[0].len(), 2, "the ghost is untouched");
        assert_eq!(s.min_retained, 3);
        assert!(m.no_lost_commit(&s));
    }

    #[test]
    fn gap_compaction_loses_the_version_a_read_at_the_watermark_needs() {
        let m = model("gap");
        let s = run(&m, &["Write(k1, v1)", "Write(k2, v1)", "Compact(2)"]);
        assert!(s.versions[0].is_empty(), "k1's only version (ts 1) was pruned");
        assert_eq!(m.lost_reads(&s, 0), vec![2, 3, 4]);
        assert!(!m.no_lost_commit(&s));
        assert!(m.unique(&s) && m.type_ok(&s));
        // The same steps on safe keep it.
        let safe = model("safe");
        let s = run(&safe, &["Write(k1, v1)", "Write(k2, v1)", "Compact(2)"]);
        assert_eq!(s.versions[0], vec![Version { ts: 1, val: 0 }]);
        assert!(safe.no_lost_commit(&s));
    }

    #[test]
    fn permuting_keys_and_values_renames_them() {
        let m = model("safe");
        let s = run(&m, &["Write(k1, v1)", "Write(k2, v2)"]);
        let swap_keys = Permutation { maps: vec![vec![1, 0], vec![0, 1]] };
        let p = m.permute(&s, &swap_keys);
        assert_eq!(p.versions[1], vec![Version { ts: 1, val: 0 }]);
        let swap_vals = Permutation { maps: vec![vec![0, 1], vec![1, 0]] };
        let p = m.permute(&s, &swap_vals);
        assert_eq!(p.versions[0], vec![Version { ts: 1, val: 1 }]);
        assert_eq!(p.original, p.versions);
    }

    #[test]
    fn prints_like_the_twin() {
        let m = model("safe");
        let s = run(&m, &["Write(k1, v1)", "Write(k2, v1)"]);
        let v = m.to_tla(&s);
        assert_eq!(v[0].to_string(), "(k1 :> {[commitTs |-> 1, value |-> v1]} @@ k2 :> {[commitTs |-> 2, value |-> v1]})");
        assert_eq!(v[2].to_string(), "2");
        assert_eq!(m.to_tla(&m.init_states()[0])[1].to_string(), "(k1 :> {} @@ k2 :> {})");
    }
}
