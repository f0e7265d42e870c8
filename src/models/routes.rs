//! `routes`: elastickv's route catalog and watcher fan-out (seed 003, M4).
//! Twin: `tla/routes/Routes.tla`.
//!
//! The durable route catalog is a version counter that a control-plane `ProposeRouteChange` bumps
//! by one. Each node's CatalogWatcher fetches some catalog version `v` no newer than the catalog and
//! installs it in the node's route engine; the ghost `engineMaxObserved` remembers the highest
//! version the node ever installed. Every action counts one operation.
//!
//! Routes-4: a node's engine never goes back below a version it already had. Routes-2 (coverage and
//! disjointness of key ranges) and Routes-3 (a split's catalog update is atomic) are trivially true
//! here, as in the seed: ranges are not modelled, and a route change is a single step.
//!
//! Configurations: `safe`; `gap` (the watcher may install any version up to the catalog's,
//! including one older than it already has).
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the properties, then
//! TLC's plumbing (constraint, symmetry, TLA+ values).

use crate::engine::{
    variable_order, Checks, ConfigSpec, ConstKind, ConstSpec, Constants, FairSpec, Fairness, FairnessKind, LivenessProperty, Model, ModelDef, ModelInfo,
    Permutation, SymmetricSet, Temporal, Value,
};

// ---- CONSTANTS ----

pub struct Routes {
    pub nodes: Vec<String>,
    pub max_versions: u8,
    pub max_ops: u8,
    /// `EnableSafety`: the watcher refuses a version older than it has seen.
    pub safety: bool,
    /// What this config checks.
    checks: Checks<Routes>,
}

impl ModelDef for Routes {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/routes/Routes.tla")];

    fn info() -> ModelInfo {
        ModelInfo {
            name: "routes",
            title: "elastickv route catalog and watchers",
            story: "A route catalog's version rises with each split; every node's watcher installs some catalog version, and must never go back to one older than it already had.",
            source: "seed 003: elastickv TLA+ safety specs, M4 Routes.tla (PR #862)",
            tla_module: "Routes",
            constants: vec![
                ConstSpec { name: "Nodes", doc: "Nodes, each with a route engine (symmetric).", kind: ConstKind::ModelValues { prefix: "n", min_len: 1, max_len: 4 }, default: "{n1, n2}" },
                ConstSpec { name: "MaxVersions", doc: "Bound on the catalog version.", kind: ConstKind::Int { min: 0, max: 5 }, default: "3" },
                ConstSpec { name: "MaxOps", doc: "Bound on the number of actions.", kind: ConstKind::Int { min: 0, max: 8 }, default: "4" },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "A watcher installs only versions at least as new as the newest it has seen (skipping versions is fine).",
                    expect: None,
                    tla_switches: &[("EnableSafety", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "gap",
                    summary: "A watcher may install any version up to the catalog's, so a node's engine can go back to an older catalog: Routes4_NoEngineRegression fails.",
                    expect: Some("Routes4_NoEngineRegression"),
                    tla_switches: &[("EnableSafety", "FALSE")],
                    alters: &["CatalogWatcherSync"],
                },
                ConfigSpec {
                    name: "convergence",
                    summary: "The safe protocol with weak fairness on each node's watcher: every node keeps syncing until the operation budget is spent, so the nodes end at the catalog version or out of budget (Convergence holds).",
                    expect: None,
                    tla_switches: &[("EnableSafety", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "convergence-unfair",
                    summary: "The safe protocol with weak fairness on ProposeRouteChange only: proposals stop at MaxVersions and a watcher that never runs leaves its node behind for ever, so Convergence fails.",
                    expect: Some("Convergence"),
                    tla_switches: &[("EnableSafety", "TRUE")],
                    alters: &[],
                },
            ],
            meanings: &[
                ("TypeOK", "The catalog version, every engine's version and the operation count stay in range."),
                ("Routes1_VersionInRange", "The catalog version stays within 0..MaxVersions."),
                ("Routes2_CoverageDisjoint", "Trivially true here: key ranges are not modelled (as in the seed)."),
                ("Routes3_SplitAtomicity", "Trivially true here: a split updates the catalog in one step (as in the seed)."),
                ("Routes4_NoEngineRegression", "No node's engine holds a version older than one it has already installed."),
                ("Routes1_Action", "No step lowers the catalog version."),
                ("Routes4_GhostMonotonic", "No step lowers the highest version a node has ever installed."),
                ("Convergence", "Eventually, for ever, every node's engine holds the catalog version, or the operation budget is spent."),
                ("ProposeRouteChange", "A split or move commits the next catalog version."),
                ("CatalogWatcherSync", "A node's watcher installs some catalog version (with safety, none older than it already had)."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        let fair_spec = match config.name {
            "convergence" => Some(FairSpec { name: "FairSpec", fairness: vec![Routes::WF_SYNC], properties: vec![Routes::CONVERGENCE] }),
            "convergence-unfair" => Some(FairSpec { name: "FairSpecProposals", fairness: vec![Routes::WF_PROPOSE], properties: vec![Routes::CONVERGENCE] }),
            _ => None,
        };
        Ok(Routes {
            nodes: constants.names("Nodes"),
            max_versions: constants.int("MaxVersions") as u8,
            max_ops: constants.int("MaxOps") as u8,
            safety: config.switch("EnableSafety"),
            checks: Checks::new()
                .invariant("TypeOK", Routes::type_ok)
                .invariant("Routes1_VersionInRange", Routes::version_in_range)
                .invariant("Routes2_CoverageDisjoint", Routes::coverage_disjoint)
                .invariant("Routes3_SplitAtomicity", Routes::split_atomicity)
                .invariant("Routes4_NoEngineRegression", Routes::no_engine_regression)
                .action_property("Routes1_Action", Routes::catalog_monotonic)
                .action_property("Routes4_GhostMonotonic", Routes::ghost_monotonic)
                .fair_spec(fair_spec),
        })
    }
}

// ---- VARIABLES ----

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub catalog_version: u8,
    /// `engineVersion[n]`: the version n's route engine holds.
    pub engine_version: Vec<u8>,
    /// `engineMaxObserved[n]`: the ghost, the highest version n ever installed.
    pub engine_max_observed: Vec<u8>,
    pub op_count: u8,
}

impl Routes {
    pub fn n_nodes(&self) -> usize {
        self.nodes.len()
    }

    // ---- TypeOK ----

    fn type_ok(&self, s: &State) -> bool {
        s.catalog_version <= self.max_versions
            && s.engine_version.iter().all(|&v| v <= self.max_versions)
            && s.engine_max_observed.iter().all(|&v| v <= self.max_versions)
            && s.op_count <= self.max_ops
    }

    // ---- Init ----

    fn init(&self) -> State {
        let zeros = vec![0; self.n_nodes()];
        State { catalog_version: 0, engine_version: zeros.clone(), engine_max_observed: zeros, op_count: 0 }
    }

    // ---- Actions ----

    /// `ProposeRouteChange`: a split (or move) commits a new catalog version in one atomic step.
    fn propose_route_change(&self, s: &State) -> Option<State> {
        if !(s.op_count < self.max_ops && s.catalog_version < self.max_versions) {
            return None;
        }
        let mut t = s.clone();
        t.catalog_version += 1;
        t.op_count += 1;
        Some(t)
    }

    /// `CatalogWatcherSync(n, v)`: n's watcher fetches catalog version v and installs it.
    fn catalog_watcher_sync(&self, s: &State, n: usize, v: u8) -> Option<State> {
        if !(s.op_count < self.max_ops && v <= s.catalog_version && (!self.safety || v >= s.engine_max_observed[n])) {
            return None;
        }
        let mut t = s.clone();
        t.engine_version[n] = v;
        t.engine_max_observed[n] = s.engine_max_observed[n].max(v);
        t.op_count += 1;
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s candidates, in its disjunct order: `\E n \in Nodes : \E v \in 0..MaxVersions`,
    /// n outer, each ascending.
    fn next(&self, _s: &State, out: &mut Vec<Action>) {
        out.push(Action::ProposeRouteChange);
        for n in 0..self.n_nodes() as u8 {
            out.extend((0..=self.max_versions).map(|v| Action::CatalogWatcherSync { n, v }));
        }
    }

    /// The successor by `action`, or `None` if it is not enabled.
    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::ProposeRouteChange => self.propose_route_change(s),
            Action::CatalogWatcherSync { n, v } => self.catalog_watcher_sync(s, n as usize, v),
        }
    }
}

/// An action of `Next`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    ProposeRouteChange,
    /// Node index, the catalog version the watcher fetches.
    CatalogWatcherSync {
        n: u8,
        v: u8,
    },
}

impl Action {
    /// One action of each of `Next`'s disjuncts, in order.
    const FAMILIES: [Action; 2] = [Action::ProposeRouteChange, Action::CatalogWatcherSync { n: 0, v: 0 }];

    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::ProposeRouteChange => "ProposeRouteChange",
            Action::CatalogWatcherSync { .. } => "CatalogWatcherSync",
        }
    }
}

impl Routes {
    // ---- Invariants ----

    /// Routes-1: the catalog version stays in range (Routes1_Action: it never goes down).
    fn version_in_range(&self, s: &State) -> bool {
        s.catalog_version <= self.max_versions
    }

    /// Routes-2, coverage and disjointness of the key ranges: trivially true, as in the seed
    /// (ranges are not modelled here; see `composed`).
    fn coverage_disjoint(&self, _: &State) -> bool {
        true
    }

    /// Routes-3, a split's catalog update is atomic: trivially true, as in the seed
    /// (ProposeRouteChange is a single step).
    fn split_atomicity(&self, _: &State) -> bool {
        true
    }

    /// Routes-4: no node's engine is below a version it already installed.
    fn no_engine_regression(&self, s: &State) -> bool {
        s.engine_version.iter().zip(&s.engine_max_observed).all(|(v, m)| v >= m)
    }

    // ---- Action properties ----

    fn catalog_monotonic(&self, s: &State, t: &State) -> bool {
        t.catalog_version >= s.catalog_version
    }

    fn ghost_monotonic(&self, s: &State, t: &State) -> bool {
        s.engine_max_observed.iter().zip(&t.engine_max_observed).all(|(a, b)| b >= a)
    }

    // ---- Liveness ----

    /// `Convergence == <>[](opCount = MaxOps \/ \A n \in Nodes : engineVersion[n] = catalogVersion)`:
    /// once proposals stop, every node reaches the catalog version, unless the operation budget
    /// (which every step spends) runs out first.
    const CONVERGENCE: LivenessProperty<Routes> =
        LivenessProperty { name: "Convergence", kind: Temporal::EventuallyAlways, p: Routes::converged_or_spent, q: None };

    /// `opCount = MaxOps \/ \A n \in Nodes : engineVersion[n] = catalogVersion`.
    fn converged_or_spent(&self, s: &State) -> bool {
        s.op_count == self.max_ops || s.engine_version.iter().all(|&v| v == s.catalog_version)
    }

    // ---- Fairness ----

    /// `\A n \in Nodes : WF_vars(\E v \in 0..MaxVersions : CatalogWatcherSync(n, v))`.
    const WF_SYNC: Fairness<Routes> = Fairness {
        kind: FairnessKind::Weak,
        name: "\\A n \\in Nodes : WF_vars(\\E v \\in 0..MaxVersions : CatalogWatcherSync(n, v))",
        instance: |_, a| match a {
            Action::CatalogWatcherSync { n, .. } => Some(*n as u32),
            Action::ProposeRouteChange => None,
        },
    };

    /// `WF_vars(ProposeRouteChange)`.
    const WF_PROPOSE: Fairness<Routes> =
        Fairness { kind: FairnessKind::Weak, name: "WF_vars(ProposeRouteChange)", instance: |_, a| matches!(a, Action::ProposeRouteChange).then_some(0) };

    // ---- TLA+ values ----

    fn per_node(&self, xs: &[u8]) -> Value {
        Value::func(xs.iter().enumerate().map(|(n, &x)| (Value::model(n, &self.nodes[n]), Value::Int(x as i64))))
    }
}

impl Model for Routes {
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
            Action::ProposeRouteChange => action.name().to_string(),
            Action::CatalogWatcherSync { n, v } => format!("{}({}, {v})", action.name(), self.nodes[n as usize]),
        }
    }

    fn action_names(&self) -> Vec<&'static str> {
        Action::FAMILIES.iter().map(Action::name).collect()
    }

    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }

    fn by_construction(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "TypeOK",
                "Each field is written only under its bound: the catalog rises only below MaxVersions, an engine installs a version no newer than the catalog, and nothing moves once opCount reaches MaxOps.",
            ),
            ("Routes1_VersionInRange", "The catalog version starts at 0 and only ProposeRouteChange raises it, by one and only while it is below MaxVersions."),
            ("Routes2_CoverageDisjoint", "Key ranges are not modelled here, so the invariant is TRUE, as in the seed."),
            ("Routes3_SplitAtomicity", "A route change is one step (ProposeRouteChange), so the invariant is TRUE, as in the seed."),
        ]
    }

    /// The seed's StateConstraint (the guards already keep every state inside it).
    fn within_constraint(&self, s: &State) -> bool {
        s.catalog_version <= self.max_versions && s.op_count <= self.max_ops
    }

    fn symmetric_sets(&self) -> Vec<SymmetricSet> {
        vec![SymmetricSet::new("Nodes", self.nodes.clone())]
    }

    fn permute(&self, s: &State, p: &Permutation) -> State {
        let mut t = s.clone();
        for n in 0..self.n_nodes() {
            t.engine_version[p.apply(0, n)] = s.engine_version[n];
            t.engine_max_observed[p.apply(0, n)] = s.engine_max_observed[n];
        }
        t
    }

    fn variables(&self) -> &'static [&'static str] {
        &["catalogVersion", "engineVersion", "engineMaxObserved", "opCount"]
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        vec![Value::Int(s.catalog_version as i64), self.per_node(&s.engine_version), self.per_node(&s.engine_max_observed), Value::Int(s.op_count as i64)]
    }

    /// As TLC printed the twin's variables: engineVersion, catalogVersion, opCount,
    /// engineMaxObserved.
    fn tlc_variable_order(&self) -> Vec<usize> {
        variable_order(self.variables(), &["engineVersion", "catalogVersion", "opCount", "engineMaxObserved"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::testing::{self, labels, step};

    fn model(config: &str) -> Routes {
        testing::model(config)
    }

    fn run(m: &Routes, steps: &[&str]) -> State {
        testing::run(m, m.init_states().remove(0), steps)
    }

    #[test]
    fn propose_bumps_the_catalog_and_counts_an_op() {
        let m = model("safe");
        let s0 = m.init_states().remove(0);
        assert_eq!(labels(&m, &s0), ["ProposeRouteChange", "CatalogWatcherSync(n1, 0)", "CatalogWatcherSync(n2, 0)"]);
        let s = step(&m, &s0, "ProposeRouteChange");
        assert_eq!((s.catalog_version, s.op_count), (1, 1));
        assert!(m.catalog_monotonic(&s0, &s));
        let s = run(&m, &["ProposeRouteChange", "ProposeRouteChange", "ProposeRouteChange"]);
        assert!(!labels(&m, &s).contains(&"ProposeRouteChange".to_string()), "MaxVersions = 3");
    }

    #[test]
    fn safe_watcher_installs_any_version_from_its_newest_up() {
        let m = model("safe");
        let s = run(&m, &["ProposeRouteChange", "ProposeRouteChange"]);
        assert_eq!(
            labels(&m, &s),
            [
                "ProposeRouteChange",
                "CatalogWatcherSync(n1, 0)",
                "CatalogWatcherSync(n1, 1)",
                "CatalogWatcherSync(n1, 2)",
                "CatalogWatcherSync(n2, 0)",
                "CatalogWatcherSync(n2, 1)",
                "CatalogWatcherSync(n2, 2)"
            ]
        );
        let s = step(&m, &s, "CatalogWatcherSync(n1, 2)");
        assert_eq!((s.engine_version[0], s.engine_max_observed[0], s.op_count), (2, 2, 3));
        let ls = labels(&m, &s);
        assert!(!ls.contains(&"CatalogWatcherSync(n1, 1)".to_string()), "no going back on safe");
        assert!(ls.contains(&"CatalogWatcherSync(n1, 2)".to_string()), "re-installing the same version is allowed");
        let s = step(&m, &s, "CatalogWatcherSync(n1, 2)");
        assert!(labels(&m, &s).is_empty(), "MaxOps = 4");
    }

    #[test]
    fn gap_watcher_regresses_and_the_ghost_remembers() {
        let m = model("gap");
        let s = run(&m, &["ProposeRouteChange", "CatalogWatcherSync(n1, 1)"]);
        assert!(labels(&m, &s).contains(&"CatalogWatcherSync(n1, 0)".to_string()));
        let t = step(&m, &s, "CatalogWatcherSync(n1, 0)");
        assert_eq!((t.engine_version[0], t.engine_max_observed[0]), (0, 1));
        assert!(!m.no_engine_regression(&t));
        assert!(m.ghost_monotonic(&s, &t) && m.version_in_range(&t) && m.type_ok(&t));
    }

    #[test]
    fn permuting_nodes_swaps_their_engines() {
        let m = model("safe");
        let s = run(&m, &["ProposeRouteChange", "CatalogWatcherSync(n2, 1)"]);
        let p = m.permute(&s, &Permutation { maps: vec![vec![1, 0]] });
        assert_eq!((p.engine_version.clone(), p.engine_max_observed.clone()), (vec![1, 0], vec![1, 0]));
        assert_eq!(m.to_tla(&s)[1].to_string(), "(n1 :> 0 @@ n2 :> 1)");
    }
}
