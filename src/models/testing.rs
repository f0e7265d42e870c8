//! Helpers for the models' unit tests: build a model at its default constants, list what is
//! enabled, take actions by label.

use crate::engine::{Constants, Model, ModelDef};

/// The model for `config` at its default constants.
pub fn model<M: ModelDef>(config: &str) -> M {
    let info = M::info();
    let spec = info.config(config).unwrap_or_else(|| panic!("no config {config}"));
    M::build(spec, &Constants::defaults(&info.constants)).unwrap_or_else(|e| panic!("{e}"))
}

/// The enabled actions of `s`, in order.
pub fn enabled<M: Model>(m: &M, s: &M::State) -> Vec<M::Action> {
    let mut v = Vec::new();
    m.actions(s, &mut v);
    v.retain(|a| m.next_state(s, a).is_some());
    v
}

/// The labels of the enabled actions of `s`, in order.
pub fn labels<M: Model>(m: &M, s: &M::State) -> Vec<String> {
    enabled(m, s).iter().map(|a| m.action_label(a)).collect()
}

/// The state after the enabled action `a`; panics (naming what is enabled) if it is not.
pub fn take<M: Model>(m: &M, s: &M::State, a: M::Action) -> M::State {
    assert!(enabled(m, s).contains(&a), "{a:?} should be enabled; enabled: {:?}", labels(m, s));
    m.next_state(s, &a).unwrap()
}

/// The state after the enabled action labelled `label`; panics (naming what is enabled) if none is.
pub fn step<M: Model>(m: &M, s: &M::State, label: &str) -> M::State {
    let a = enabled(m, s).into_iter().find(|a| m.action_label(a) == label).unwrap_or_else(|| panic!("{label} not enabled; enabled: {:?}", labels(m, s)));
    m.next_state(s, &a).unwrap()
}

/// The state after taking `steps` (labels) in turn from `s`.
pub fn run<M: Model>(m: &M, s: M::State, steps: &[&str]) -> M::State {
    steps.iter().fold(s, |s, l| step(m, &s, l))
}
