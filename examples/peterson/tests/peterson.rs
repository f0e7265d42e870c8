//! The Peterson model through Protocol Explorer's public API: the exhaustive check's figures
//! (TLC's, from `pex conform --tla-dir tla`), the gap's shortest counterexample, and a walk.

use peterson_explorer::{catalogue, Action, Pc, Peterson};
use pex::engine::{random_walk, CheckOptions, Checker, DynOutcome, ModelDef, Outcome, Progress, ViolationKind};
use std::sync::Arc;

fn model(config: &str) -> Peterson {
    let info = Peterson::info();
    let spec = info.config(config).expect("a listed config");
    Peterson::build(spec, &pex::engine::Constants::defaults(&info.constants)).expect("builds")
}

fn check(config: &str) -> (Checker<Peterson>, Progress) {
    let mut c = Checker::new(Arc::new(model(config)), CheckOptions::default());
    c.run_to_end();
    let p = c.progress();
    (c, p)
}

#[test]
fn safe_holds_with_tlcs_figures() {
    // TLC (-workers 1): 35 states generated, 20 distinct states found, depth 7.
    let (c, p) = check("safe");
    assert!(matches!(c.outcome(), Some(Outcome::Ok)));
    assert_eq!((p.generated, p.distinct, p.depth), (35, 20, 7));
}

#[test]
fn flag_after_check_breaks_mutual_exclusion_in_four_steps() {
    // TLC: MutualExclusion violated; 12 generated, 9 distinct, depth 5; the trace has 5 states.
    let (c, p) = check("flag-after-check");
    assert_eq!((p.generated, p.distinct, p.depth), (12, 9, 5));
    let Some(Outcome::Violation(v)) = c.outcome() else { panic!("expected a violation") };
    assert_eq!((v.kind, v.name), (ViolationKind::Invariant, "MutualExclusion"));
    let actions: Vec<Option<Action>> = v.trace.iter().map(|(a, _)| *a).collect();
    assert_eq!(actions, [None, Some(Action::Check(0)), Some(Action::Check(1)), Some(Action::SetFlag(0)), Some(Action::SetFlag(1))]);
    let last = &v.trace.last().unwrap().1;
    assert_eq!(last.pc, [Pc::Cs, Pc::Cs]);
    assert_eq!(last.flag, [true, true]);
}

#[test]
fn progress_holds_under_weak_fairness_with_tlcs_figures() {
    // TLC (MC_progress.cfg): no error; 35 generated, 20 distinct, depth 7.
    let m = catalogue().build("peterson", "progress", &[]).expect("in the catalogue");
    let mut c = m.checker(CheckOptions::default());
    while !c.run(10_000) {}
    let result = c.result().expect("ended");
    assert!(matches!(result.outcome, DynOutcome::Ok));
    assert_eq!((result.progress.generated, result.progress.distinct, result.progress.depth), (35, 20, 7));
}

#[test]
fn a_long_walk_of_safe_never_has_both_in_the_critical_section() {
    let m = catalogue().build("peterson", "safe", &[]).expect("in the catalogue");
    let walk = random_walk(m.as_ref(), 7, 500, true);
    assert!(walk.violation.is_none());
    assert_eq!(walk.trace.len(), 501, "Peterson never deadlocks: every step was taken");
}

#[test]
fn the_catalogue_lists_it_and_can_add_the_builtin_models() {
    assert_eq!(catalogue().names(), ["peterson"]);
    let both = catalogue().and(pex::catalogue::Catalogue::builtin());
    assert_eq!(both.names()[0], "peterson");
    assert!(both.names().contains(&"seqlock"));
}
