//! Our own model code (`src/models/*.rs`, through `pex::engine::Model`) under Stateright's checker:
//! not a second model but a control for the benchmark. Beside the Stateright model written for
//! Stateright, it tells what is the checker's cost and what is the model's (our models pack their
//! states and avoid allocations; a Stateright model usually clones owned collections).

use pex::engine::Model as PexModel;
use stateright::{Model, Property};

pub struct Ours<M: PexModel>(pub M);

impl<M: PexModel> Model for Ours<M> {
    type State = M::State;
    type Action = M::Action;

    fn init_states(&self) -> Vec<M::State> {
        self.0.init_states()
    }

    fn actions(&self, s: &M::State, actions: &mut Vec<M::Action>) {
        self.0.actions(s, actions)
    }

    fn next_state(&self, s: &M::State, action: M::Action) -> Option<M::State> {
        self.0.next_state(s, &action)
    }

    /// Stateright's properties are plain `fn`s with a static name: one property checks every
    /// invariant of the config.
    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::always("invariants", |m: &Ours<M>, s: &M::State| m.0.invariants().iter().all(|i| (i.holds)(&m.0, s)))]
    }
}
