//! A session: a person's walk through one model. It keeps the whole trace, a cursor into it, and
//! the future that the last fork discarded (so the fork can be undone).
//!
//! Moving the cursor back and then taking a different action forks the trace: the old future is
//! dropped, as in RaftScope. Taking the action the trace already had next simply moves forward.

use super::erased::{AnyState, Choice, DynModel};
use super::replayer::replay;
use super::trace::{Lasso, ReplayStop, Trace, TraceFile, TraceStep};
use super::walk::draw;
use std::sync::Arc;

pub struct Session {
    model: Arc<dyn DynModel>,
    trace: Trace,
    cursor: usize,
    /// The steps after the fork point that the last fork dropped, and where the cursor was.
    discarded: Option<(Vec<TraceStep>, usize)>,
    /// Unique among all sessions, and renewed whenever steps are removed or replaced (a fork, an
    /// undone fork): while it stays the same, the trace has only grown at its end. Caches of
    /// per-step facts key on it.
    revision: u64,
}

fn fresh_revision() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Why a step could not be taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    NotEnabled(String),
    OutsideConstraint,
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepError::NotEnabled(l) => write!(f, "{l} is not enabled in this state"),
            StepError::OutsideConstraint => {
                f.write_str("this state lies outside the model's state constraint; the checker does not go further, and neither does stepping")
            }
        }
    }
}

impl Session {
    /// A session at the first initial state.
    pub fn new(model: Arc<dyn DynModel>) -> Session {
        Self::at_init(model, 0)
    }

    pub fn at_init(model: Arc<dyn DynModel>, init: usize) -> Session {
        let inits = model.init_states();
        let index = init.min(inits.len() - 1);
        let trace = Trace { init_index: index, steps: vec![TraceStep { action: None, state: inits[index].clone() }], lasso: None };
        Session { model, trace, cursor: 0, discarded: None, revision: fresh_revision() }
    }

    /// A session holding `trace`, with the cursor at `cursor` (clamped to the trace).
    pub fn from_trace(model: Arc<dyn DynModel>, trace: Trace, cursor: usize) -> Session {
        let cursor = cursor.min(trace.steps.len() - 1);
        Session { model, trace, cursor, discarded: None, revision: fresh_revision() }
    }

    /// Rebuilds a session from labels; stops at the first action that is not enabled and says so.
    pub fn replayed(model: Arc<dyn DynModel>, init: usize, labels: &[String], cursor: usize) -> (Session, Option<ReplayStop>) {
        let (trace, stop) = replay(model.as_ref(), init, labels);
        (Session::from_trace(model, trace, cursor), stop)
    }

    pub fn model(&self) -> &Arc<dyn DynModel> {
        &self.model
    }

    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn len(&self) -> usize {
        self.trace.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn current(&self) -> &TraceStep {
        &self.trace.steps[self.cursor]
    }

    /// The state before the current one, if any.
    pub fn previous(&self) -> Option<&TraceStep> {
        self.cursor.checked_sub(1).map(|i| &self.trace.steps[i])
    }

    pub fn state(&self) -> &AnyState {
        &self.current().state
    }

    /// The enabled actions at the cursor; none outside the state constraint.
    pub fn choices(&self) -> Vec<Choice> {
        if self.model.within_constraint(self.state()) {
            self.model.choices(self.state())
        } else {
            Vec::new()
        }
    }

    pub fn outside_constraint(&self) -> bool {
        !self.model.within_constraint(self.state())
    }

    fn push(&mut self, choice: Choice) {
        let next_index = self.cursor + 1;
        if next_index < self.trace.steps.len() {
            if self.trace.steps[next_index].action.as_deref() == Some(choice.label.as_str()) {
                self.cursor = next_index;
                return;
            }
            let dropped = self.trace.steps.split_off(next_index);
            self.discarded = Some((dropped, self.cursor));
            self.revision = fresh_revision();
        }
        self.trace.steps.push(TraceStep { action: Some(choice.label), state: choice.next });
        // A lasso describes the trace's old end: a step past it makes the trace a plain path.
        self.trace.lasso = None;
        self.cursor = next_index;
    }

    /// Takes the enabled action with this label.
    pub fn take(&mut self, label: &str) -> Result<(), StepError> {
        if self.outside_constraint() {
            return Err(StepError::OutsideConstraint);
        }
        let choice = self.model.choices(self.state()).into_iter().find(|c| c.label == label).ok_or_else(|| StepError::NotEnabled(label.to_string()))?;
        self.push(choice);
        Ok(())
    }

    /// Takes a random enabled action, drawn as a walk with `seed` would at this position. Returns
    /// its label, or `None` when nothing is enabled.
    pub fn random_step(&mut self, seed: u64) -> Option<String> {
        self.random_step_with(seed, false)
    }

    /// [`Session::random_step`], drawing only among the actions that change the state when
    /// `skip_stutter` is set (as a walk with [`WalkOptions::skip_stutter`](super::walk::WalkOptions::skip_stutter) does).
    pub fn random_step_with(&mut self, seed: u64, skip_stutter: bool) -> Option<String> {
        let choice = draw(self.model.as_ref(), self.state(), self.choices(), seed, self.cursor as u64 + 1, skip_stutter)?;
        let label = choice.label.clone();
        self.push(choice);
        Some(label)
    }

    pub fn back(&mut self) -> bool {
        if self.cursor > 0 {
            self.cursor -= 1;
            true
        } else {
            false
        }
    }

    pub fn forward(&mut self) -> bool {
        if self.cursor + 1 < self.trace.steps.len() {
            self.cursor += 1;
            true
        } else {
            false
        }
    }

    /// Moves the cursor to step `index` (clamped).
    pub fn go_to(&mut self, index: usize) {
        self.cursor = index.min(self.trace.steps.len() - 1);
    }

    /// Keeps the first `len` steps (at least the initial state) and drops the rest, the cursor
    /// kept within: for a pause that lands after random play appended steps the page never showed.
    pub fn truncate(&mut self, len: usize) {
        let len = len.max(1);
        if len < self.trace.steps.len() {
            self.trace.steps.truncate(len);
            self.cursor = self.cursor.min(len - 1);
            self.revision = fresh_revision();
        }
    }

    pub fn can_undo_fork(&self) -> bool {
        self.discarded.is_some()
    }

    /// Restores the future the last fork dropped, putting the cursor back where the fork happened.
    pub fn undo_fork(&mut self) -> bool {
        let Some((dropped, at)) = self.discarded.take() else { return false };
        self.trace.steps.truncate(at + 1);
        self.trace.steps.extend(dropped);
        self.cursor = at;
        self.revision = fresh_revision();
        true
    }

    /// Makes the trace a lasso (a liveness counterexample that repeats its loop for ever) or a
    /// plain path. A loop back to state `i` is accepted only when the last state has a step to a
    /// state equal to state `i`: a file or a link cannot claim a loop the model does not have.
    pub fn set_lasso(&mut self, lasso: Option<Lasso>) -> Result<(), String> {
        if let Some(Lasso::BackTo(i)) = lasso {
            let last = self.trace.steps.len() - 1;
            if i > last {
                return Err(format!("its loop goes back to step {i} of a {last}-step trace"));
            }
            let target = &self.trace.steps[i].state;
            if !self.model.choices(&self.trace.steps[last].state).iter().any(|c| self.model.same_state(&c.next, target)) {
                return Err(format!("no action leads from its last step ({last}) back to step {i}, where its loop says it goes"));
            }
        }
        self.trace.lasso = lasso;
        Ok(())
    }

    /// See the field: equal revisions mean the trace has only grown at its end.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn trace_file(&self) -> TraceFile {
        TraceFile {
            model: self.model.info().name.to_string(),
            config: self.model.config().name.to_string(),
            constants: self.model.constants().to_pairs(),
            init: self.trace.init_index,
            actions: self.trace.labels(),
            lasso: self.trace.lasso,
        }
    }
}
