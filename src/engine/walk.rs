//! Seeded random walks. A walk is fully determined by (model, config, constants, seed, steps): the
//! choice leaving the state at position `i` is drawn from a ChaCha8 stream keyed by (seed, i), over
//! the enabled actions in `Next`'s order. The same draw serves the UI's "random step" at any point
//! of a trace, so playing on from step 40 with seed 7 gives the same continuation as a walk with
//! seed 7 that passes through the same step 40.

use super::checker::ViolationKind;
use super::erased::{AnyState, Choice, DynModel};
use super::trace::{Trace, TraceStep};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A uniform pick in `0..n` for position `position` of a walk with `seed`. Draws a `u32`, so the
/// result does not depend on the platform's word size.
pub fn pick(seed: u64, position: u64, n: usize) -> usize {
    assert!(n > 0, "pick from an empty choice");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(position);
    rng.gen_range(0..n as u32) as usize
}

/// Why a walk ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalkEnd {
    /// It took every step it was asked for.
    Steps,
    /// A state with no enabled action.
    Deadlock,
    /// A state outside the model's state constraint, where the checker stops too.
    OutsideConstraint,
    /// A property failed and the walk was asked to stop there.
    Violation,
    /// Every enabled action leaves the state as it is, and the walk skips such steps.
    OnlyStutter,
}

impl WalkEnd {
    pub fn as_str(self) -> &'static str {
        match self {
            WalkEnd::Steps => "steps",
            WalkEnd::Deadlock => "deadlock",
            WalkEnd::OutsideConstraint => "outside-constraint",
            WalkEnd::Violation => "violation",
            WalkEnd::OnlyStutter => "only-stutter",
        }
    }
}

/// The first property a walk saw fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkViolation {
    /// Position in the trace of the state (or the step's target state) where it failed.
    pub position: usize,
    pub kind: ViolationKind,
    pub name: String,
}

pub struct Walk {
    pub seed: u64,
    pub trace: Trace,
    pub end: WalkEnd,
    pub violation: Option<WalkViolation>,
}

/// The first invariant failing in `state`, or action property failing on `from → state`.
pub fn first_violation(model: &dyn DynModel, from: Option<&AnyState>, state: &AnyState) -> Option<(ViolationKind, String)> {
    let names = model.invariant_names();
    if let Some(i) = model.check_invariants(state).iter().position(|ok| !ok) {
        return Some((ViolationKind::Invariant, names[i].to_string()));
    }
    if let Some(from) = from {
        let names = model.property_names();
        if let Some(i) = model.check_properties(from, state).iter().position(|ok| !ok) {
            return Some((ViolationKind::ActionProperty, names[i].to_string()));
        }
    }
    None
}

/// A random walk of up to `steps` steps from the initial state chosen by the seed.
pub fn random_walk(model: &dyn DynModel, seed: u64, steps: usize, stop_on_violation: bool) -> Walk {
    random_walk_with(model, seed, steps, WalkOptions { stop_on_violation, skip_stutter: false })
}

/// How a walk chooses and when it stops.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WalkOptions {
    /// Stop at the first violated property.
    pub stop_on_violation: bool,
    /// Draw only among the actions that change the state: a step that leaves it as it was
    /// (a reader retrying on an odd stamp that has not moved) adds length, never behaviour.
    pub skip_stutter: bool,
}

/// The choice a walk with `seed` takes at `position` (the index of the state it leaves, plus one)
/// among `choices`, the enabled actions of `current` in `Next`'s order; with `skip_stutter`, only
/// among those that change the state. `None` when there is nothing to draw from.
pub fn draw(model: &dyn DynModel, current: &AnyState, mut choices: Vec<Choice>, seed: u64, position: u64, skip_stutter: bool) -> Option<Choice> {
    if skip_stutter {
        choices.retain(|c| !model.same_state(&c.next, current));
    }
    if choices.is_empty() {
        return None;
    }
    Some(choices.swap_remove(pick(seed, position, choices.len())))
}

/// A random walk of up to `steps` steps, as `options` say.
pub fn random_walk_with(model: &dyn DynModel, seed: u64, steps: usize, options: WalkOptions) -> Walk {
    let inits = model.init_states();
    let init_index = pick(seed, 0, inits.len());
    let mut trace = Trace { init_index, steps: vec![TraceStep { action: None, state: inits[init_index].clone() }], lasso: None };
    let mut violation = first_violation(model, None, &trace.steps[0].state).map(|(kind, name)| WalkViolation { position: 0, kind, name });
    if violation.is_some() && options.stop_on_violation {
        return Walk { seed, trace, end: WalkEnd::Violation, violation };
    }
    let mut end = WalkEnd::Steps;
    for _ in 0..steps {
        let position = trace.steps.len() - 1;
        let current = trace.steps[position].state.clone();
        if !model.within_constraint(&current) {
            end = WalkEnd::OutsideConstraint;
            break;
        }
        let choices = model.choices(&current);
        if choices.is_empty() {
            end = WalkEnd::Deadlock;
            break;
        }
        let Some(choice) = draw(model, &current, choices, seed, position as u64 + 1, options.skip_stutter) else {
            end = WalkEnd::OnlyStutter;
            break;
        };
        let found = first_violation(model, Some(&current), &choice.next);
        trace.steps.push(TraceStep { action: Some(choice.label), state: choice.next });
        if violation.is_none() {
            if let Some((kind, name)) = found {
                violation = Some(WalkViolation { position: position + 1, kind, name });
                if options.stop_on_violation {
                    end = WalkEnd::Violation;
                    break;
                }
            }
        }
    }
    Walk { seed, trace, end, violation }
}
