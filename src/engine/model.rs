//! The model API: a protocol as a state machine, in the spirit of Stateright's `Model` and shaped
//! like a TLA+ spec (Init, the disjuncts of Next, invariants, action properties, CONSTRAINT,
//! SYMMETRY).

use super::constants::{ConstSpec, Constants};
use super::messages::MessageEvent;
use super::value::Value;
use std::fmt::Debug;
use std::hash::Hash;

/// A named state predicate (a TLA+ invariant).
pub struct Invariant<M: Model> {
    pub name: &'static str,
    pub holds: fn(&M, &M::State) -> bool,
}

/// A named predicate on a step (TLA+ `[][P]_vars`). Like `[P]_vars`, it is never evaluated on a
/// step that leaves the state unchanged.
pub struct ActionProperty<M: Model> {
    pub name: &'static str,
    pub holds: fn(&M, &M::State, &M::State) -> bool,
}

/// The temporal form of a liveness property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Temporal {
    /// `<>P`: some state of every fair behaviour satisfies P.
    Eventually,
    /// `[]<>P`: P holds infinitely often.
    AlwaysEventually,
    /// `<>[]P`: from some point on, P holds for ever.
    EventuallyAlways,
    /// `P ~> Q`: every P state is followed (or is itself) a Q state.
    LeadsTo,
}

/// A named temporal property (a TLA+ PROPERTY such as `P ~> Q`), checked on fair behaviours.
pub struct LivenessProperty<M: Model> {
    pub name: &'static str,
    pub kind: Temporal,
    pub p: fn(&M, &M::State) -> bool,
    /// Q of `P ~> Q`; `None` for the other forms.
    pub q: Option<fn(&M, &M::State) -> bool>,
}

impl<M: Model> Clone for LivenessProperty<M> {
    fn clone(&self) -> Self {
        LivenessProperty { name: self.name, kind: self.kind, p: self.p, q: self.q }
    }
}

/// Weak (`WF_vars`) or strong (`SF_vars`) fairness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FairnessKind {
    Weak,
    Strong,
}

/// One conjunct of a FairSpec: weak or strong fairness on an action (a family, several, `Next`),
/// possibly one condition per parameter (`\A r : WF_vars(Reader(r))`). Fairness speaks of
/// `<<A>>_vars` steps: a step that leaves the state unchanged neither takes nor enables it.
pub struct Fairness<M: Model> {
    pub kind: FairnessKind,
    /// As the twin writes it: `WF_vars(Next)`, `\A r \in Readers : WF_vars(Reader(r))`.
    pub name: &'static str,
    /// The condition instance the action belongs to (`Some(r)` for reader r; each distinct value
    /// is one separate fairness condition), or `None` when the action is outside this fair action.
    pub instance: fn(&M, &M::Action) -> Option<u32>,
}

impl<M: Model> Clone for Fairness<M> {
    fn clone(&self) -> Self {
        Fairness { kind: self.kind, name: self.name, instance: self.instance }
    }
}

/// A liveness config's specification: the twin's `FairSpec == Spec /\ <fairness>` by name, its
/// fairness conjuncts, and the temporal properties checked under it.
pub struct FairSpec<M: Model> {
    /// The twin's name for it (`FairSpec`, `FairSpecPerProcess`).
    pub name: &'static str,
    pub fairness: Vec<Fairness<M>>,
    pub properties: Vec<LivenessProperty<M>>,
}

/// Everything one configuration checks, in config order: what [`Model::checks`] returns. A model
/// builds it once in `ModelDef::build`, the config deciding by name what goes in:
///
/// ```ignore
/// let checks = Checks::new()
///     .invariant("TypeOK", Seqlock::type_ok)
///     .invariant("NoTornRead", Seqlock::no_torn_read)
///     .invariant_if(config.name == "seed-invariant", "SeedNoTornRead", Seqlock::seed_no_torn_read)
///     .fair_spec(match config.name { "progress" => Some(FairSpec { .. }), _ => None });
/// ```
pub struct Checks<M: Model> {
    pub invariants: Vec<Invariant<M>>,
    pub action_properties: Vec<ActionProperty<M>>,
    /// The liveness config's FairSpec and temporal properties; `None` for a safety config.
    pub fair_spec: Option<FairSpec<M>>,
}

impl<M: Model> Default for Checks<M> {
    fn default() -> Self {
        Checks { invariants: Vec::new(), action_properties: Vec::new(), fair_spec: None }
    }
}

impl<M: Model> Checks<M> {
    /// Nothing checked yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the invariant `name`.
    pub fn invariant(mut self, name: &'static str, holds: fn(&M, &M::State) -> bool) -> Self {
        self.invariants.push(Invariant { name, holds });
        self
    }

    /// Adds the invariant `name` if `when` (a config that checks it).
    pub fn invariant_if(self, when: bool, name: &'static str, holds: fn(&M, &M::State) -> bool) -> Self {
        if when {
            self.invariant(name, holds)
        } else {
            self
        }
    }

    /// Adds the action property `name` (`[][P]_vars`).
    pub fn action_property(mut self, name: &'static str, holds: fn(&M, &M::State, &M::State) -> bool) -> Self {
        self.action_properties.push(ActionProperty { name, holds });
        self
    }

    /// Sets the FairSpec the config checks (`None`: a safety config).
    pub fn fair_spec(mut self, fair_spec: Option<FairSpec<M>>) -> Self {
        self.fair_spec = fair_spec;
        self
    }
}

impl<M: Model> Clone for Invariant<M> {
    fn clone(&self) -> Self {
        Invariant { name: self.name, holds: self.holds }
    }
}

impl<M: Model> Clone for ActionProperty<M> {
    fn clone(&self) -> Self {
        ActionProperty { name: self.name, holds: self.holds }
    }
}

/// A set of interchangeable model values (TLC's `SYMMETRY Permutations(Nodes)`); its elements are
/// numbered `0..size` in the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymmetricSet {
    pub name: &'static str,
    pub size: usize,
    /// The elements' names (`n1`, `n2`, ...), for messages; may be empty.
    pub elements: Vec<String>,
}

impl SymmetricSet {
    pub fn new(name: &'static str, elements: Vec<String>) -> SymmetricSet {
        SymmetricSet { name, size: elements.len(), elements }
    }

    /// The name of element `i`.
    pub fn element(&self, i: usize) -> String {
        self.elements.get(i).cloned().unwrap_or_else(|| format!("#{}", i + 1))
    }
}

/// A permutation of each symmetric set: `maps[set][old] = new`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permutation {
    pub maps: Vec<Vec<u8>>,
}

impl Permutation {
    pub fn identity(sets: &[SymmetricSet]) -> Permutation {
        Permutation { maps: sets.iter().map(|s| (0..s.size as u8).collect()).collect() }
    }

    /// Where element `i` of symmetric set `set` goes.
    #[inline]
    pub fn apply(&self, set: usize, i: usize) -> usize {
        self.maps[set][i] as usize
    }

    pub fn is_identity(&self) -> bool {
        self.maps.iter().all(|m| m.iter().enumerate().all(|(i, &j)| i == j as usize))
    }
}

/// A protocol as a state machine.
///
/// Successors are enumerated in a fixed order: action families in the order of the twin's `Next`
/// disjuncts, parameters ascending. TLC (one worker) explores in that same order, which is what lets
/// the checker agree with it not only on totals but on the state it stops at.
///
/// A model writes only what is particular to it: `init_states`, `actions` and `next_state` (a
/// catalogue model hands them to its twin-ordered `init`, `next` and `take`), the action names and
/// labels, `checks` (one [`Checks`] value its `ModelDef::build` made for the config, kept in one
/// field), `variables` and `to_tla`; and, where it has them, a CONSTRAINT, symmetric sets, its
/// messages. Everything a config checks is read through `checks`: [`Model::invariants`],
/// [`Model::action_properties`], [`Model::fair_spec`], [`Model::liveness`], [`Model::fairness`]
/// and [`Model::specification`] are derived from it.
pub trait Model: Send + Sync + Sized + 'static {
    type State: Clone + Eq + Hash + Debug + Send + Sync + 'static;
    type Action: Clone + Eq + Debug + Send + Sync + 'static;

    /// The initial states (TLA+ `Init`), in TLC's order.
    fn init_states(&self) -> Vec<Self::State>;

    /// The candidate actions of `state`, in `Next`'s order. A candidate whose `next_state` is `None`
    /// is not enabled after all.
    fn actions(&self, state: &Self::State, actions: &mut Vec<Self::Action>);

    /// The state after `action`, or `None` if the action is not enabled in `state`.
    fn next_state(&self, state: &Self::State, action: &Self::Action) -> Option<Self::State>;

    /// The action's family, as the twin names the action (`ReaderVerify`).
    fn action_name(&self, action: &Self::Action) -> &'static str;

    /// The action with its parameters, as a trace shows it (`ReaderVerify(2)`). Distinct enabled
    /// actions of one state have distinct labels: a trace is stored as its labels.
    fn action_label(&self, action: &Self::Action) -> String;

    /// Every action family of this configuration, in `Next`'s order.
    fn action_names(&self) -> Vec<&'static str>;

    /// What this configuration checks: its invariants, action properties and (for a liveness
    /// config) its FairSpec, built once by `ModelDef::build` and kept in one field. The accessors
    /// below read it and are not meant to be overridden.
    fn checks(&self) -> &Checks<Self>;

    /// The invariants checked, in the order the config lists them (TLC reports the first that fails).
    fn invariants(&self) -> &[Invariant<Self>] {
        &self.checks().invariants
    }

    /// The action properties checked, in config order.
    fn action_properties(&self) -> &[ActionProperty<Self>] {
        &self.checks().action_properties
    }

    /// What a liveness config checks, as one bundle (`None` for a safety config).
    fn fair_spec(&self) -> Option<&FairSpec<Self>> {
        self.checks().fair_spec.as_ref()
    }

    /// The temporal properties checked on fair behaviours, in config order (none for a safety config).
    fn liveness(&self) -> &[LivenessProperty<Self>] {
        self.fair_spec().map_or(&[], |f| &f.properties)
    }

    /// The fairness the behaviours are held to, the conjuncts of the twin's FairSpec (none for a
    /// safety config: every behaviour may stop and stutter for ever).
    fn fairness(&self) -> &[Fairness<Self>] {
        self.fair_spec().map_or(&[], |f| &f.fairness)
    }

    /// The name of the twin's specification this config checks: `Spec` for a safety config, a
    /// FairSpec when the config checks liveness.
    fn specification(&self) -> &'static str {
        self.fair_spec().map_or("Spec", |f| f.name)
    }

    /// The invariants that hold by construction: (invariant name, one sentence saying why no state
    /// can break it). Only those the representation or every action's construction makes
    /// impossible to violate, in every configuration and for all constants: the state cannot hold
    /// a violation, or the invariant is inductive on its own (every action, by its own guard,
    /// takes a state satisfying it to one satisfying it, with no other invariant's help). "The
    /// exhaustive check found nothing" is not a reason. Each name is one of [`Model::invariants`].
    /// None by default.
    fn by_construction(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// TLC's CONSTRAINT: a state outside it is checked against the invariants but neither kept
    /// nor expanded.
    fn within_constraint(&self, _state: &Self::State) -> bool {
        true
    }

    /// The symmetric sets this model declares (none by default). As in TLC, the reduction is by
    /// the group their permutations generate: TLC closes a SYMMETRY set such as
    /// `Permutations(A) \cup Permutations(B)` under composition (`MVPerms.permutationSubgroup`),
    /// so every combination of a permutation of each set is tried.
    fn symmetric_sets(&self) -> Vec<SymmetricSet> {
        Vec::new()
    }

    /// The state with every symmetric set's elements renamed by `perm`. Models that declare
    /// symmetric sets must implement it.
    fn permute(&self, state: &Self::State, _perm: &Permutation) -> Self::State {
        state.clone()
    }

    /// The state's 64-bit fingerprint. The default hashes the state; a model whose states pack
    /// into 64 bits can return the packing mixed by a bijection, which is both faster and free of
    /// collisions.
    #[inline]
    fn fingerprint(&self, state: &Self::State) -> u64 {
        super::fingerprint::fingerprint(state)
    }

    /// Whether [`Model::fingerprint`] is injective (the state packed exactly): then no two states
    /// can share one and the collision chance is zero.
    fn exact_fingerprint(&self) -> bool {
        false
    }

    /// The twin's VARIABLES, in declaration order.
    fn variables(&self) -> &'static [&'static str];

    /// The state as one TLA+ value per variable, in [`Model::variables`] order.
    fn to_tla(&self, state: &Self::State) -> Vec<Value>;

    /// The variable order TLC uses internally when it compares permuted states under SYMMETRY, as
    /// indices into [`Model::variables`]. Only symmetric models whose count depends on which
    /// representative is kept need to say; the default is declaration order.
    fn tlc_variable_order(&self) -> Vec<usize> {
        (0..self.variables().len()).collect()
    }

    /// The nodes messages travel between, named (a message-sequence chart's lanes); the indices
    /// of [`MessageEvent::from`] and [`MessageEvent::to`]. None by default: a model that passes no
    /// messages declares none.
    fn nodes(&self) -> Vec<String> {
        Vec::new()
    }

    /// What the step from `state` by `action` to `next` does to messages, nodes and links, in the
    /// order it happens. Nothing by default.
    fn messages(&self, _state: &Self::State, _action: &Self::Action, _next: &Self::State) -> Vec<MessageEvent> {
        Vec::new()
    }
}

/// One named configuration of a model: `safe`, or a gap that removes or changes one guard.
#[derive(Clone, Debug)]
pub struct ConfigSpec {
    pub name: &'static str,
    /// One sentence: what this configuration changes.
    pub summary: &'static str,
    /// The invariant (or action property) this configuration is expected to break; `None` for safe.
    pub expect: Option<&'static str>,
    /// The constants the twin's cfg sets to select this configuration (`VerifyStamps = FALSE`).
    pub tla_switches: &'static [(&'static str, &'static str)],
    /// The action families whose guard or effect this configuration changes from `safe` (empty
    /// for `safe` itself and for configs that differ only in what they check or in fairness):
    /// a step that `safe` could not take is one of these.
    pub alters: &'static [&'static str],
}

/// What the catalogue says about a model.
#[derive(Clone, Debug)]
pub struct ModelInfo {
    /// The short name used on the command line and in URLs: `seqlock`.
    pub name: &'static str,
    pub title: &'static str,
    /// One line: what the protocol is and what it teaches.
    pub story: &'static str,
    /// Where it comes from (the seed document).
    pub source: &'static str,
    /// The twin's TLA+ module name: `Seqlock` for `tla/seqlock/Seqlock.tla`.
    pub tla_module: &'static str,
    pub constants: Vec<ConstSpec>,
    /// `safe` first, then the gaps.
    pub configs: Vec<ConfigSpec>,
    /// One plain sentence per name: every invariant, action property and temporal property of
    /// every config (what it demands), and every action family (what the step does).
    pub meanings: &'static [(&'static str, &'static str)],
}

impl ConfigSpec {
    /// Whether this config sets the boolean TLA+ switch `name` to `TRUE` (its twin's cfg says
    /// `name = TRUE`); a config that does not set it is a bug in the model's catalogue entry.
    pub fn switch(&self, name: &str) -> bool {
        match self.tla_switches.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => *v == "TRUE",
            None => panic!("config {} does not set the switch {name}", self.name),
        }
    }
}

/// [`Model::tlc_variable_order`] from variable names: `names` (every variable once, in TLC's order)
/// as indices into `variables` (the model's [`Model::variables`]).
pub fn variable_order(variables: &[&str], names: &[&str]) -> Vec<usize> {
    assert_eq!(variables.len(), names.len(), "the variable order must name every variable once");
    names.iter().map(|n| variables.iter().position(|v| v == n).unwrap_or_else(|| panic!("no variable {n}"))).collect()
}

impl ModelInfo {
    pub fn config(&self, name: &str) -> Option<&ConfigSpec> {
        self.configs.iter().find(|c| c.name == name)
    }

    /// The plain sentence for a property or an action family, if the model gives one.
    pub fn meaning(&self, name: &str) -> Option<&'static str> {
        self.meanings.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
    }
}

/// A model the catalogue can list and build.
pub trait ModelDef: Model {
    /// The twin's TLA+ source, main module first, then any module that extends it (a liveness
    /// module): `include_str!`, so the definitions are read at build time and the wasm build
    /// needs no files.
    const TWINS: &'static [&'static str];

    fn info() -> ModelInfo;

    /// Builds the model for `config` (a name from `info().configs`) and validated constants; may
    /// reject combinations of constants the kinds alone cannot (an error message for the user).
    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String>;
}
