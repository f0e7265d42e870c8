//! The model through Protocol Explorer's public API: the exhaustive check's figures (TLC's, from
//! `cargo run -- conform --tla-dir tla`: update them when the model changes), the gap's shortest
//! counterexample, and a walk.

use pex::engine::{random_walk, CheckOptions, Checker, Constants, ModelDef, Outcome, ViolationKind};
use std::sync::Arc;
use {{lib}}::{catalogue, Action, {{Type}}};

fn check(config: &str) -> Checker<{{Type}}> {
    let info = {{Type}}::info();
    let spec = info.config(config).expect("a listed config");
    let model = {{Type}}::build(spec, &Constants::defaults(&info.constants)).expect("builds");
    let mut c = Checker::new(Arc::new(model), CheckOptions::default());
    c.run_to_end();
    c
}

#[test]
fn safe_holds_with_tlcs_figures() {
    // TLC (-workers 1): 13 states generated, 10 distinct states found, depth 7.
    let c = check("safe");
    assert!(matches!(c.outcome(), Some(Outcome::Ok)));
    let p = c.progress();
    assert_eq!((p.generated, p.distinct, p.depth), (13, 10, 7));
}

#[test]
fn the_gap_breaks_mutual_exclusion() {
    // TLC: MutualExclusion violated; 12 generated, 10 distinct, depth 5.
    let c = check("{{gap}}");
    let p = c.progress();
    assert_eq!((p.generated, p.distinct, p.depth), (12, 10, 5));
    let Some(Outcome::Violation(v)) = c.outcome() else { panic!("expected a violation") };
    assert_eq!((v.kind, v.name), (ViolationKind::Invariant, "MutualExclusion"));
    let actions: Vec<Option<Action>> = v.trace.iter().map(|(a, _)| *a).collect();
    assert_eq!(actions, [None, Some(Action::Test(0)), Some(Action::Test(1)), Some(Action::Acquire(0)), Some(Action::Acquire(1))]);
}

#[test]
fn a_walk_of_safe_finds_nothing() {
    let m = catalogue().build("{{crate}}", "safe", &[]).expect("in the catalogue");
    let walk = random_walk(m.as_ref(), 1, 100, true);
    assert!(walk.violation.is_none());
}
