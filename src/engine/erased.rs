//! Type erasure: any model, driven without knowing its types. The CLI, sessions, random walks and
//! the web UI all go through [`DynModel`], so the same code path decides a walk natively and in
//! the browser.

use super::checker::{key_of, CheckOptions, Checker, Footprint, Outcome, Progress, StopReason, ViolationKind};
use super::constants::Constants;
use super::liveness::LivenessChecker;
use super::messages::MessageEvent;
use super::model::{ConfigSpec, Model, ModelDef, ModelInfo, SymmetricSet};
use super::model::{FairnessKind, Temporal};
use super::symmetry::Symmetry;
use super::tla_text;
use super::trace::{Lasso, Trace, TraceStep};
use super::value::Value;
use super::verdict::LivenessReport;
use std::any::Any;
use std::sync::Arc;

/// A state of some model. Cheap to clone; only the model that made it can read it.
pub type AnyState = Arc<dyn Any + Send + Sync>;

/// A state's fingerprint as the checker stores it (see [`DynModel::state_keys`]).
pub type StateKey<'a> = Box<dyn Fn(&AnyState) -> u64 + 'a>;

/// One enabled action of a state and where it leads.
#[derive(Clone)]
pub struct Choice {
    /// The action with its parameters: `ReaderVerify(2)`.
    pub label: String,
    /// The action's family: `ReaderVerify`.
    pub family: &'static str,
    pub next: AnyState,
}

/// A model built for one configuration and set of constants.
pub trait DynModel: Send + Sync {
    fn info(&self) -> &ModelInfo;
    fn config(&self) -> &ConfigSpec;
    fn constants(&self) -> &Constants;
    fn init_states(&self) -> Vec<AnyState>;
    /// The enabled actions of `state` with their successors, in `Next`'s order.
    fn choices(&self, state: &AnyState) -> Vec<Choice>;
    /// The `k`-th enabled action of `state` (as in [`DynModel::choices`]), labelling only that
    /// one: replaying a link's positions needs no other label.
    fn choice_at(&self, state: &AnyState, k: usize) -> Option<Choice>;
    fn action_names(&self) -> Vec<&'static str>;
    fn invariant_names(&self) -> Vec<&'static str>;
    fn property_names(&self) -> Vec<&'static str>;
    /// The temporal properties checked on fair behaviours (`ReaderProgress`), in config order.
    fn liveness_names(&self) -> Vec<&'static str>;
    /// The fairness conjuncts, as the twin writes them (`WF_vars(Next)`).
    fn fairness_names(&self) -> Vec<&'static str>;
    /// The twin's specification this config checks (`Spec`, or a FairSpec with liveness).
    fn specification(&self) -> &'static str;
    /// The temporal form of each property of [`DynModel::liveness_names`].
    fn liveness_kinds(&self) -> Vec<Temporal>;
    /// P (and Q, for `P ~> Q`) of each temporal property, in `state`.
    fn liveness_values(&self, state: &AnyState) -> Vec<(bool, Option<bool>)>;
    /// What each fairness condition asks of the loop of `trace` (a lasso), and how the loop meets
    /// it; empty when `trace` has no loop. See [`Obligation`].
    fn loop_obligations(&self, trace: &Trace) -> Vec<Obligation>;
    /// The invariants that hold by construction, with why (see `Model::by_construction`).
    fn by_construction(&self) -> &'static [(&'static str, &'static str)];
    /// Whether each invariant holds in `state`, in [`DynModel::invariant_names`] order.
    fn check_invariants(&self, state: &AnyState) -> Vec<bool>;
    /// Whether each action property holds on the step `from → to`.
    fn check_properties(&self, from: &AnyState, to: &AnyState) -> Vec<bool>;
    fn within_constraint(&self, state: &AnyState) -> bool;
    fn variables(&self) -> &'static [&'static str];
    fn to_tla(&self, state: &AnyState) -> Vec<Value>;
    fn same_state(&self, a: &AnyState, b: &AnyState) -> bool;
    fn symmetric_sets(&self) -> Vec<SymmetricSet>;
    /// The variables in the order TLC compares them under symmetry (see `Model::tlc_variable_order`).
    fn tlc_variable_order(&self) -> Vec<&'static str>;
    fn checker(&self, options: CheckOptions) -> Box<dyn DynChecker>;
    /// The fingerprint the checker stores for a state, as a function: of the state's class under
    /// the model's symmetry when `symmetry` is asked for and the model declares a (non-trivial)
    /// symmetric set, else of the state itself. The flag says whether the reduction is in effect.
    fn state_keys(&self, symmetry: bool) -> (bool, StateKey<'_>);
    /// An invariant's, action property's or temporal property's definition: its TLA+ text as the
    /// twin writes it, its meaning in plain words, and the variables it reads. `None` when the
    /// twin does not define `name`.
    fn definition(&self, name: &str) -> Option<Definition>;
    /// What a step of action family `family` does, in plain words.
    fn action_meaning(&self, family: &str) -> Option<&'static str>;
    /// The typed model, for views that draw it (`as_any().downcast_ref::<Seqlock>()`).
    fn as_any(&self) -> &dyn Any;
    /// The nodes messages travel between (see `Model::nodes`).
    fn nodes(&self) -> Vec<String>;
    /// What the enabled step labelled `label` from `state` does to messages (see
    /// `Model::messages`); empty when no enabled action has that label.
    fn messages(&self, state: &AnyState, label: &str) -> Vec<MessageEvent>;
}

/// A property as the twin defines it (see [`DynModel::definition`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// `Agreement == \A r \in Rounds : Cardinality(learned[r]) <= 1`, from the twin's source.
    pub tla: String,
    /// One sentence in plain words, from the model's `ModelInfo::meanings`.
    pub words: Option<&'static str>,
    /// The twin's VARIABLES the definition reads, directly or through the operators it uses, in
    /// declaration order.
    pub reads: Vec<&'static str>,
}

/// One fairness condition (one instance of a parameterised one) seen on a lasso's loop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Obligation {
    /// The conjunct, as the twin writes it (`WF_vars(Next)`).
    pub fairness: &'static str,
    pub strong: bool,
    /// An action of this instance, as a trace labels it (`ReaderVerify(2)`): taken in the loop,
    /// or else enabled somewhere in it.
    pub example: String,
    /// The trace index of a loop state the instance's action leaves by (the step is the one after
    /// it; the last state's is the step back), if the loop takes it.
    pub taken_at: Option<usize>,
    /// The trace index of a loop state where no action of the instance can change the state.
    pub disabled_at: Option<usize>,
    /// Whether it is enabled at some state of the loop.
    pub enabled_somewhere: bool,
}

impl Obligation {
    /// Whether the loop meets it: taken, or (weak) disabled at some loop state, or (strong)
    /// disabled at every one.
    pub fn met(&self) -> bool {
        self.taken_at.is_some() || if self.strong { !self.enabled_somewhere } else { self.disabled_at.is_some() }
    }
}

/// A check in progress, of any model.
pub trait DynChecker: Send {
    /// Does up to `budget` state expansions; true once the run has ended.
    fn run(&mut self, budget: usize) -> bool;
    fn cancel(&mut self);
    fn progress(&self) -> Progress;
    fn footprint(&self) -> Footprint;
    fn uses_symmetry(&self) -> bool;
    /// The result, once the run has ended.
    fn result(&self) -> Option<CheckResult>;
    /// Why the run ended without the verdict it should have reached, if it did (a liveness
    /// counterexample that could not be replayed into states); its result is then incomplete.
    fn error(&self) -> Option<String> {
        None
    }
}

/// The end of a check, of any model.
#[derive(Clone)]
pub struct CheckResult {
    pub progress: Progress,
    pub footprint: Footprint,
    pub symmetry: bool,
    /// The symmetry audit's finding: the declared symmetry is not one (the count may be wrong).
    pub symmetry_problem: Option<String>,
    /// Anything else the reader of the result must know, e.g. "symmetry not used: liveness".
    pub note: Option<String>,
    pub outcome: DynOutcome,
    /// A liveness config's temporal side: the FairSpec and its fairness, each temporal property
    /// judged and whether it holds on every fair behaviour, and whether the search was complete.
    /// `None` for a safety config.
    pub liveness: Option<LivenessReport>,
}

impl CheckResult {
    /// The temporal properties judged, each with whether it holds on every fair behaviour (empty
    /// for a safety config, or when the run stopped before judging any).
    pub fn temporal_verdicts(&self) -> Vec<(String, bool)> {
        self.liveness.as_ref().map(|l| l.verdicts.clone()).unwrap_or_default()
    }
}

#[derive(Clone)]
pub enum DynOutcome {
    Ok,
    Violation { kind: ViolationKind, name: String, trace: Trace },
    Incomplete(StopReason),
}

/// Makes the checker of a typed model (see [`Erased::without_checker`]).
type CheckerFn<M> = fn(&Arc<M>, CheckOptions) -> Box<dyn DynChecker>;

/// What a program that shows a model needs and one that only checks it does not: the twin's
/// text behind [`DynModel::definition`], the per-model message code behind
/// [`DynModel::messages`] and the lasso reading behind [`DynModel::loop_obligations`]. Held as
/// function pointers, so a model built without them ([`Erased::checker_only`]) links none of it.
struct Shown<M: ModelDef> {
    definition: fn(&Erased<M>, &str) -> Option<Definition>,
    messages: fn(&Erased<M>, &AnyState, &str) -> Vec<MessageEvent>,
    loop_obligations: fn(&Erased<M>, &Trace) -> Vec<Obligation>,
}

impl<M: ModelDef> Shown<M> {
    fn all() -> Option<Self> {
        Some(Shown { definition: definition_of::<M>, messages: messages_of::<M>, loop_obligations: loop_obligations_of::<M> })
    }
}

/// A typed model behind the [`DynModel`] interface.
pub struct Erased<M: ModelDef> {
    model: Arc<M>,
    info: ModelInfo,
    config: ConfigSpec,
    constants: Constants,
    make_checker: Option<CheckerFn<M>>,
    shown: Option<Shown<M>>,
}

impl<M: ModelDef> Erased<M> {
    pub fn new(model: M, info: ModelInfo, config: ConfigSpec, constants: Constants) -> Self {
        Erased { model: Arc::new(model), info, config, constants, make_checker: Some(checker_of::<M>), shown: Shown::all() }
    }

    /// The model with its checker and nothing it takes to show it: [`DynModel::definition`] is
    /// `None`, [`DynModel::messages`] and [`DynModel::loop_obligations`] are empty. For a program
    /// that only checks (the check worker): the twin's text (over 100 kB for the built-in models)
    /// and each model's message code are not linked.
    pub fn checker_only(model: M, info: ModelInfo, config: ConfigSpec, constants: Constants) -> Self {
        Erased { model: Arc::new(model), info, config, constants, make_checker: Some(checker_of::<M>), shown: None }
    }

    /// The same model without a checker: [`DynModel::checker`] then gives one that ends at once
    /// with an error. For a program that never checks in its own thread (the app's page, whose
    /// checks run in the worker): every `Erased<M>` with a checker carries the checker's code for
    /// its `M` (the search, liveness, lassos: a few hundred kilobytes of wasm over twelve models),
    /// and without one, none of it is linked.
    pub fn without_checker(model: M, info: ModelInfo, config: ConfigSpec, constants: Constants) -> Self {
        Erased { model: Arc::new(model), info, config, constants, make_checker: None, shown: Shown::all() }
    }

    pub fn model(&self) -> &M {
        &self.model
    }
}

fn checker_of<M: ModelDef>(model: &Arc<M>, options: CheckOptions) -> Box<dyn DynChecker> {
    if model.liveness().is_empty() {
        Box::new(ErasedChecker { checker: Inner::Safety(Box::new(Checker::new(model.clone(), options))), declared_symmetry: false })
    } else {
        let declared_symmetry = options.symmetry && !model.symmetric_sets().is_empty();
        Box::new(ErasedChecker { checker: Inner::Liveness(Box::new(LivenessChecker::new(model.clone(), options))), declared_symmetry })
    }
}

/// The checker of a model built [`Erased::without_checker`]: it checks nothing and says so.
struct NoChecker;

impl DynChecker for NoChecker {
    fn run(&mut self, _budget: usize) -> bool {
        true
    }
    fn cancel(&mut self) {}
    fn progress(&self) -> Progress {
        Progress::default()
    }
    fn footprint(&self) -> Footprint {
        Footprint::default()
    }
    fn uses_symmetry(&self) -> bool {
        false
    }
    fn result(&self) -> Option<CheckResult> {
        None
    }
    fn error(&self) -> Option<String> {
        Some("this program was built without a checker for this model (the app checks in its worker)".to_string())
    }
}

/// The typed state behind an [`AnyState`]. States only ever reach the model that made them; a
/// mismatch is a programming error.
pub fn typed<S: 'static>(state: &AnyState) -> &S {
    state.downcast_ref::<S>().expect("a state given to the model that did not make it")
}

impl<M: ModelDef> DynModel for Erased<M> {
    fn info(&self) -> &ModelInfo {
        &self.info
    }

    fn config(&self) -> &ConfigSpec {
        &self.config
    }

    fn constants(&self) -> &Constants {
        &self.constants
    }

    fn init_states(&self) -> Vec<AnyState> {
        self.model.init_states().into_iter().map(|s| Arc::new(s) as AnyState).collect()
    }

    fn choices(&self, state: &AnyState) -> Vec<Choice> {
        let s = typed::<M::State>(state);
        let mut actions = Vec::new();
        self.model.actions(s, &mut actions);
        actions
            .iter()
            .filter_map(|a| {
                self.model.next_state(s, a).map(|next| Choice {
                    label: self.model.action_label(a),
                    family: self.model.action_name(a),
                    next: Arc::new(next) as AnyState,
                })
            })
            .collect()
    }

    fn choice_at(&self, state: &AnyState, k: usize) -> Option<Choice> {
        let s = typed::<M::State>(state);
        let mut actions = Vec::new();
        self.model.actions(s, &mut actions);
        actions.iter().filter_map(|a| self.model.next_state(s, a).map(|next| (a, next))).nth(k).map(|(a, next)| Choice {
            label: self.model.action_label(a),
            family: self.model.action_name(a),
            next: Arc::new(next) as AnyState,
        })
    }

    fn action_names(&self) -> Vec<&'static str> {
        self.model.action_names()
    }

    fn invariant_names(&self) -> Vec<&'static str> {
        self.model.invariants().iter().map(|i| i.name).collect()
    }

    fn property_names(&self) -> Vec<&'static str> {
        self.model.action_properties().iter().map(|p| p.name).collect()
    }

    fn liveness_names(&self) -> Vec<&'static str> {
        self.model.liveness().iter().map(|p| p.name).collect()
    }

    fn fairness_names(&self) -> Vec<&'static str> {
        self.model.fairness().iter().map(|f| f.name).collect()
    }

    fn specification(&self) -> &'static str {
        self.model.specification()
    }

    fn liveness_kinds(&self) -> Vec<Temporal> {
        self.model.liveness().iter().map(|p| p.kind).collect()
    }

    fn liveness_values(&self, state: &AnyState) -> Vec<(bool, Option<bool>)> {
        let s = typed::<M::State>(state);
        self.model.liveness().iter().map(|p| ((p.p)(&self.model, s), p.q.map(|q| q(&self.model, s)))).collect()
    }

    fn loop_obligations(&self, trace: &Trace) -> Vec<Obligation> {
        self.shown.as_ref().map(|f| (f.loop_obligations)(self, trace)).unwrap_or_default()
    }

    fn by_construction(&self) -> &'static [(&'static str, &'static str)] {
        self.model.by_construction()
    }

    fn check_invariants(&self, state: &AnyState) -> Vec<bool> {
        let s = typed::<M::State>(state);
        self.model.invariants().iter().map(|i| (i.holds)(&self.model, s)).collect()
    }

    fn check_properties(&self, from: &AnyState, to: &AnyState) -> Vec<bool> {
        let (a, b) = (typed::<M::State>(from), typed::<M::State>(to));
        self.model.action_properties().iter().map(|p| a == b || (p.holds)(&self.model, a, b)).collect()
    }

    fn within_constraint(&self, state: &AnyState) -> bool {
        self.model.within_constraint(typed::<M::State>(state))
    }

    fn variables(&self) -> &'static [&'static str] {
        self.model.variables()
    }

    fn to_tla(&self, state: &AnyState) -> Vec<Value> {
        self.model.to_tla(typed::<M::State>(state))
    }

    fn same_state(&self, a: &AnyState, b: &AnyState) -> bool {
        typed::<M::State>(a) == typed::<M::State>(b)
    }

    fn symmetric_sets(&self) -> Vec<SymmetricSet> {
        self.model.symmetric_sets()
    }

    fn tlc_variable_order(&self) -> Vec<&'static str> {
        let vars = self.model.variables();
        self.model.tlc_variable_order().into_iter().map(|i| vars[i]).collect()
    }

    fn checker(&self, options: CheckOptions) -> Box<dyn DynChecker> {
        match self.make_checker {
            Some(make) => make(&self.model, options),
            None => Box::new(NoChecker),
        }
    }

    fn state_keys(&self, symmetry: bool) -> (bool, StateKey<'_>) {
        let sym = if symmetry { Symmetry::of(self.model.as_ref()) } else { None };
        let model = self.model.as_ref();
        (sym.is_some(), Box::new(move |s| key_of(model, sym.as_ref(), typed::<M::State>(s))))
    }

    fn definition(&self, name: &str) -> Option<Definition> {
        (self.shown.as_ref()?.definition)(self, name)
    }

    fn action_meaning(&self, family: &str) -> Option<&'static str> {
        self.info.meaning(family)
    }

    fn as_any(&self) -> &dyn Any {
        self.model.as_ref()
    }

    fn nodes(&self) -> Vec<String> {
        self.model.nodes()
    }

    fn messages(&self, state: &AnyState, label: &str) -> Vec<MessageEvent> {
        self.shown.as_ref().map(|f| (f.messages)(self, state, label)).unwrap_or_default()
    }
}

fn definition_of<M: ModelDef>(e: &Erased<M>, name: &str) -> Option<Definition> {
    let tla = tla_text::definition(M::TWINS, name)?;
    Some(Definition { tla, words: e.info.meaning(name), reads: tla_text::reads(M::TWINS, name, e.model.variables()) })
}

fn messages_of<M: ModelDef>(e: &Erased<M>, state: &AnyState, label: &str) -> Vec<MessageEvent> {
    let s = typed::<M::State>(state);
    let mut actions = Vec::new();
    e.model.actions(s, &mut actions);
    actions
        .iter()
        .filter(|a| e.model.action_label(a) == label)
        .find_map(|a| e.model.next_state(s, a).map(|next| e.model.messages(s, a, &next)))
        .unwrap_or_default()
}

fn loop_obligations_of<M: ModelDef>(e: &Erased<M>, trace: &Trace) -> Vec<Obligation> {
    let Some(lasso) = trace.lasso else { return Vec::new() };
    let m = &*e.model;
    let last = trace.steps.len() - 1;
    let first = match lasso {
        Lasso::BackTo(i) => i.min(last),
        Lasso::Stuttering => last,
    };
    let fairness = m.fairness();
    // An action as the fairness conditions see it (the rest, in `obligations`, is not generic).
    let seen = |a: &M::Action| LoopAction { instances: fairness.iter().map(|f| (f.instance)(m, a)).collect(), label: m.action_label(a) };
    // The loop's states, and its steps as (index of the state they leave, action): the steps
    // first+1..=last, and for a loop the step from the last state back to the first.
    let states: Vec<&M::State> = (first..=last).map(|i| typed::<M::State>(&trace.steps[i].state)).collect();
    let action_between = |from: &M::State, to: &M::State, label: Option<&str>| -> Option<M::Action> {
        let mut actions = Vec::new();
        m.actions(from, &mut actions);
        actions.into_iter().find(|a| label.is_none_or(|l| m.action_label(a) == l) && m.next_state(from, a).as_ref() == Some(to))
    };
    let mut steps: Vec<(usize, LoopAction)> = Vec::new();
    for i in first + 1..=last {
        let from = typed::<M::State>(&trace.steps[i - 1].state);
        if let Some(a) = action_between(from, typed::<M::State>(&trace.steps[i].state), trace.steps[i].action.as_deref()) {
            steps.push((i - 1, seen(&a)));
        }
    }
    if matches!(lasso, Lasso::BackTo(_)) {
        if let Some(a) = action_between(states[states.len() - 1], states[0], None) {
            steps.push((last, seen(&a)));
        }
    }
    // The actions that change the state, enabled at each loop state (fairness speaks of
    // <<A>>_vars steps).
    let enabled: Vec<Vec<LoopAction>> = states
        .iter()
        .map(|s| {
            let mut actions = Vec::new();
            m.actions(s, &mut actions);
            actions.iter().filter(|a| m.next_state(s, a).is_some_and(|t| &t != *s)).map(seen).collect()
        })
        .collect();
    let conditions: Vec<(&'static str, bool)> = fairness.iter().map(|f| (f.name, f.kind == FairnessKind::Strong)).collect();
    obligations(&conditions, first, &steps, &enabled)
}

/// An action of a lasso's loop, as its fairness conditions see it: its instance of each
/// condition (`None` outside it), and its label.
struct LoopAction {
    instances: Vec<Option<u32>>,
    label: String,
}

/// [`DynModel::loop_obligations`] once the loop's actions are known: each fairness condition
/// (name, strong) instance by instance, in ascending order. `steps` are the loop's steps (index of
/// the state each leaves, action), `enabled` the actions enabled at each loop state, the first
/// being trace index `first`.
fn obligations(conditions: &[(&'static str, bool)], first: usize, steps: &[(usize, LoopAction)], enabled: &[Vec<LoopAction>]) -> Vec<Obligation> {
    let mut out = Vec::new();
    for (c, &(fairness, strong)) in conditions.iter().enumerate() {
        let mut instances: Vec<u32> = Vec::new();
        for a in enabled.iter().flatten().chain(steps.iter().map(|(_, a)| a)) {
            if let Some(k) = a.instances[c] {
                if !instances.contains(&k) {
                    instances.push(k);
                }
            }
        }
        instances.sort_unstable();
        for k in instances {
            let taken = steps.iter().find(|(_, a)| a.instances[c] == Some(k));
            let enabled_at: Vec<bool> = enabled.iter().map(|acts| acts.iter().any(|a| a.instances[c] == Some(k))).collect();
            let example =
                taken.map(|(_, a)| a).or_else(|| enabled.iter().flatten().find(|a| a.instances[c] == Some(k))).map(|a| a.label.clone()).unwrap_or_default();
            out.push(Obligation {
                fairness,
                strong,
                example,
                taken_at: taken.map(|(i, _)| *i),
                disabled_at: enabled_at.iter().position(|e| !e).map(|j| first + j),
                enabled_somewhere: enabled_at.iter().any(|e| *e),
            });
        }
    }
    out
}

/// The search behind a [`DynChecker`]: plain, or with the state graph for liveness.
enum Inner<M: Model> {
    Safety(Box<Checker<M>>),
    Liveness(Box<LivenessChecker<M>>),
}

struct ErasedChecker<M: Model> {
    checker: Inner<M>,
    /// Symmetry was asked for and declared but not used, because the config checks liveness.
    declared_symmetry: bool,
}

impl<M: Model> DynChecker for ErasedChecker<M> {
    fn run(&mut self, budget: usize) -> bool {
        match &mut self.checker {
            Inner::Safety(c) => c.run(budget),
            Inner::Liveness(c) => c.run(budget),
        }
    }

    fn cancel(&mut self) {
        match &mut self.checker {
            Inner::Safety(c) => c.cancel(),
            Inner::Liveness(c) => c.cancel(),
        }
    }

    fn progress(&self) -> Progress {
        match &self.checker {
            Inner::Safety(c) => c.progress(),
            Inner::Liveness(c) => c.progress(),
        }
    }

    fn footprint(&self) -> Footprint {
        match &self.checker {
            Inner::Safety(c) => c.footprint(),
            Inner::Liveness(c) => c.footprint(),
        }
    }

    fn uses_symmetry(&self) -> bool {
        match &self.checker {
            Inner::Safety(c) => c.uses_symmetry(),
            Inner::Liveness(_) => false,
        }
    }

    fn result(&self) -> Option<CheckResult> {
        let (model, outcome) = match &self.checker {
            Inner::Safety(c) => (c.model(), c.outcome()?),
            Inner::Liveness(c) => (c.model(), c.outcome()?),
        };
        let outcome = match outcome {
            Outcome::Ok => DynOutcome::Ok,
            Outcome::Incomplete(r) => DynOutcome::Incomplete(*r),
            Outcome::Violation(v) => {
                let init = model.init_states();
                let first = &v.trace[0].1;
                let init_index = init.iter().position(|s| s == first).unwrap_or(0);
                let steps = v
                    .trace
                    .iter()
                    .map(|(a, s)| TraceStep { action: a.as_ref().map(|a| model.action_label(a)), state: Arc::new(s.clone()) as AnyState })
                    .collect();
                let lasso: Option<Lasso> = v.lasso;
                DynOutcome::Violation { kind: v.kind, name: v.name.to_string(), trace: Trace { init_index, steps, lasso } }
            }
        };
        let (symmetry, symmetry_problem, note) = match &self.checker {
            Inner::Safety(c) => (c.uses_symmetry(), c.symmetry_problem().map(str::to_string), None),
            Inner::Liveness(_) => (false, None, self.error().or_else(|| self.declared_symmetry.then(|| "symmetry not used: liveness".to_string()))),
        };
        let liveness = match &self.checker {
            Inner::Safety(_) => None,
            Inner::Liveness(c) => Some(LivenessReport {
                specification: model.specification().to_string(),
                fairness: model.fairness().iter().map(|f| f.name.to_string()).collect(),
                properties: model.liveness().iter().map(|p| p.name.to_string()).collect(),
                verdicts: c.verdicts().iter().map(|(n, h)| (n.to_string(), *h)).collect(),
                search_complete: c.search_complete(),
            }),
        };
        Some(CheckResult { progress: self.progress(), footprint: self.footprint(), symmetry, symmetry_problem, note, outcome, liveness })
    }

    fn error(&self) -> Option<String> {
        match &self.checker {
            Inner::Safety(_) => None,
            Inner::Liveness(c) => c.error().map(str::to_string),
        }
    }
}
