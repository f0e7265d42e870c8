//! A lesson checked against its model, ready to be played: [`Lesson::start`] replays every step
//! and every challenge's solution, and [`LessonRun`] answers what a player asks (where each step
//! ends, whether the reader's session has done a step or solved a challenge, what to highlight).

use super::condition::{value_at, Moment};
use super::{Challenge, Lesson, LessonError, Place, StepKind};
use crate::catalogue::Catalogue;
use crate::engine::{AnyState, DynModel, Session, Trace};
use std::sync::Arc;

/// What a step asks the view to emphasise, resolved against the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Highlight {
    /// An invariant, action property or temporal property of the config: its row in the
    /// invariants panel.
    Property(String),
    /// An inspector path (`ring[1].stamp`, `readerPC[1]`): its row in the state tree and what
    /// the view draws of it.
    Path(String),
}

/// A lesson whose every step and challenge has been replayed against its model.
pub struct LessonRun {
    lesson: Lesson,
    model: Arc<dyn DynModel>,
    /// The lesson's whole walk: the initial state, then every step's action (a wait step's
    /// solution, action by action).
    walk: Trace,
    /// Index into `walk` of the state where each lesson step ends.
    ends: Vec<usize>,
    highlights: Vec<Vec<Highlight>>,
}

/// At most this many enabled labels are listed when an action is not enabled.
const LISTED_CHOICES: usize = 12;

impl Lesson {
    /// Builds the lesson's model through the catalogue and replays it: every `do` label must be
    /// enabled in turn; every `wait` condition must be false when its step begins, stay false
    /// along its solution and hold at its end; a property must first fail exactly at the end of
    /// a step that says `breaks` for it (and such a step must be where it first fails); every
    /// highlight must name a property or a path of the step's state; every challenge's goal must
    /// be false at its start and first hold at the end of its solution.
    pub fn start(self, catalogue: &Catalogue) -> Result<LessonRun, LessonError> {
        let fail = |at: Place, message: String| LessonError { file: self.file.clone(), at, message };
        let model = catalogue.build(&self.model, &self.config, &self.constants).map_err(|e| fail(Place::File, e.to_string()))?;
        let mut session = Session::new(model.clone());
        let mut ends = Vec::with_capacity(self.steps.len());
        let mut highlights = Vec::with_capacity(self.steps.len());
        // Properties that have failed somewhere on the walk so far, with the step (from 1) where
        // each first failed: each is reported only there.
        let mut failed: Vec<(&'static str, usize)> = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            let at = Place::Step(i + 1);
            let labels: Vec<&String> = match &step.kind {
                StepKind::Take(label) => vec![label],
                StepKind::Wait { until, solution } => {
                    if let Some(problem) = until.problem(model.as_ref()) {
                        return Err(fail(at, format!("wait: {problem}")));
                    }
                    if until.holds_at(&moment(&session)) {
                        return Err(fail(at, format!("the wait condition ({}) already holds when this step begins: nothing to wait for", until.describe())));
                    }
                    solution.iter().collect()
                }
            };
            for name in &step.breaks {
                if !is_checked_property(model.as_ref(), name) {
                    return Err(fail(at, format!("breaks = '{name}' is not an invariant or action property of config {}", model.config().name)));
                }
            }
            // The properties that first fail at the step's last state.
            let mut broke_here: Vec<&'static str> = Vec::new();
            for (k, label) in labels.iter().enumerate() {
                take(&mut session, label).map_err(|message| match &step.kind {
                    StepKind::Take(_) => fail(at.clone(), message),
                    StepKind::Wait { .. } => fail(at.clone(), format!("solution action {} of {}: {message}", k + 1, labels.len())),
                })?;
                let last = k + 1 == labels.len();
                if let StepKind::Wait { until, .. } = &step.kind {
                    if !last && until.holds_at(&moment(&session)) {
                        return Err(fail(
                            at.clone(),
                            format!(
                                "the wait condition ({}) already holds after solution action {} of {}: cut the solution there",
                                until.describe(),
                                k + 1,
                                labels.len()
                            ),
                        ));
                    }
                    if last && !until.holds_at(&moment(&session)) {
                        let why = missing_path(until, &session);
                        return Err(fail(at.clone(), format!("the wait condition ({}) does not hold at the end of its solution{why}", until.describe())));
                    }
                }
                for name in newly_failing(model.as_ref(), &session, &failed) {
                    if !last {
                        return Err(fail(
                            at.clone(),
                            format!(
                                "{name} first fails after solution action {} of {}, inside the step: end the step there and say breaks = \"{name}\"",
                                k + 1,
                                labels.len()
                            ),
                        ));
                    }
                    if !step.breaks.iter().any(|b| b == name) {
                        return Err(fail(
                            at.clone(),
                            format!("{name} first fails at the end of this step: say breaks = \"{name}\", so the caption shown where it breaks says so"),
                        ));
                    }
                    failed.push((name, i + 1));
                    broke_here.push(name);
                }
            }
            for name in &step.breaks {
                if !broke_here.contains(&name.as_str()) {
                    let why = match failed.iter().find(|(f, _)| f == name) {
                        Some((_, earlier)) => format!("it first failed at step {earlier}"),
                        None => "it holds at the end of this step".to_string(),
                    };
                    return Err(fail(at, format!("breaks = \"{name}\", but {why}")));
                }
            }
            let mut resolved = Vec::with_capacity(step.highlight.len());
            for h in &step.highlight {
                resolved.push(resolve_highlight(model.as_ref(), session.state(), h).map_err(|m| fail(at.clone(), m))?);
            }
            highlights.push(resolved);
            ends.push(session.cursor());
        }
        let walk = session.trace().clone();
        let run = LessonRun { lesson: self, model, walk, ends, highlights };
        for (j, challenge) in run.lesson.challenges.iter().enumerate() {
            run.replay_challenge(challenge).map_err(|m| LessonError { file: run.lesson.file.clone(), at: Place::Challenge(j + 1), message: m })?;
        }
        Ok(run)
    }
}

/// The condition's view of a session's cursor.
fn moment(session: &Session) -> Moment<'_> {
    Moment {
        model: session.model().as_ref(),
        previous: session.previous().map(|s| &s.state),
        action: session.current().action.as_deref(),
        state: session.state(),
        index: session.cursor(),
    }
}

/// Takes `label`, or says what was enabled instead.
fn take(session: &mut Session, label: &str) -> Result<(), String> {
    session.take(label).map_err(|e| {
        let enabled: Vec<String> = session.choices().into_iter().map(|c| c.label).collect();
        let listed = if enabled.is_empty() {
            "nothing is enabled".to_string()
        } else if enabled.len() > LISTED_CHOICES {
            format!("enabled: {}, … ({} in all)", enabled[..LISTED_CHOICES].join(", "), enabled.len())
        } else {
            format!("enabled: {}", enabled.join(", "))
        };
        format!("{e} (after {}); {listed}", plural_steps(session.cursor()))
    })
}

fn plural_steps(n: usize) -> String {
    crate::engine::plural(n, "step", "steps")
}

fn is_checked_property(model: &dyn DynModel, name: &str) -> bool {
    model.invariant_names().contains(&name) || model.property_names().contains(&name)
}

/// The properties failing at the cursor that had not failed before on the walk.
fn newly_failing(model: &dyn DynModel, session: &Session, failed: &[(&'static str, usize)]) -> Vec<&'static str> {
    let failed: Vec<&str> = failed.iter().map(|(name, _)| *name).collect();
    let mut out = Vec::new();
    let invariants = model.invariant_names();
    for (name, ok) in invariants.iter().zip(model.check_invariants(session.state())) {
        if !ok && !failed.contains(name) {
            out.push(*name);
        }
    }
    if let Some(prev) = session.previous() {
        for (name, ok) in model.property_names().iter().zip(model.check_properties(&prev.state, session.state())) {
            if !ok && !failed.contains(name) {
                out.push(*name);
            }
        }
    }
    out
}

/// When a condition's `value` path names nothing in the session's state, why the condition can
/// never hold there (an empty string otherwise).
fn missing_path(c: &super::Condition, session: &Session) -> String {
    match &c.value {
        Some(v) if value_at(session.model().as_ref(), session.state(), &v.path).is_none() => {
            format!(": there is no value at path '{}' in that state (its variables: {})", v.path, session.model().variables().join(", "))
        }
        _ => String::new(),
    }
}

fn resolve_highlight(model: &dyn DynModel, state: &AnyState, text: &str) -> Result<Highlight, String> {
    let properties = [model.invariant_names(), model.property_names(), model.liveness_names()].concat();
    if properties.contains(&text) {
        return Ok(Highlight::Property(text.to_string()));
    }
    if value_at(model, state, text).is_some() {
        return Ok(Highlight::Path(text.to_string()));
    }
    Err(format!(
        "highlight '{text}' is neither a property of config {} ({}) nor an inspector path in this step's state (its variables: {})",
        model.config().name,
        properties.join(", "),
        model.variables().join(", ")
    ))
}

impl LessonRun {
    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    pub fn model(&self) -> &Arc<dyn DynModel> {
        &self.model
    }

    /// The lesson's whole walk, from the initial state through every step.
    pub fn walk(&self) -> &Trace {
        &self.walk
    }

    /// The index in [`LessonRun::walk`] of the state where step `i` (from 0) ends.
    pub fn step_end(&self, i: usize) -> Option<usize> {
        self.ends.get(i).copied()
    }

    /// The index in [`LessonRun::walk`] of the state where step `i` (from 0) begins: where the
    /// previous step ended, or the initial state.
    pub fn step_start(&self, i: usize) -> Option<usize> {
        (i < self.ends.len()).then(|| if i == 0 { 0 } else { self.ends[i - 1] })
    }

    /// The state at the end of step `i` (from 0).
    pub fn step_state(&self, i: usize) -> Option<&AnyState> {
        self.step_end(i).map(|e| &self.walk.steps[e].state)
    }

    /// The step's highlights, resolved: property rows and inspector paths.
    pub fn highlights(&self, i: usize) -> &[Highlight] {
        self.highlights.get(i).map_or(&[], |h| h.as_slice())
    }

    /// A session holding the walk up to the start of step `i` (from 0), its cursor there: where
    /// the reader takes step `i`. `i` equal to the number of steps gives the whole walk.
    pub fn session_before(&self, i: usize) -> Session {
        let end = if i >= self.ends.len() { self.ends.last().copied().unwrap_or(0) } else { self.step_start(i).unwrap_or(0) };
        let trace = Trace { init_index: self.walk.init_index, steps: self.walk.steps[..=end].to_vec(), lasso: None };
        Session::from_trace(self.model.clone(), trace, end)
    }

    /// Whether the reader's `session` has done step `i` (from 0): for a `do` step, its cursor is at
    /// the state the step's action leads to, reached by that action; for a `wait` step, the
    /// condition holds at its cursor. False for a session of another model or config, or for an
    /// unknown step.
    pub fn check_condition(&self, i: usize, session: &Session) -> bool {
        let Some(step) = self.lesson.steps.get(i) else { return false };
        if !self.same_model(session) {
            return false;
        }
        match &step.kind {
            StepKind::Take(label) => {
                session.current().action.as_deref() == Some(label.as_str()) && self.step_state(i).is_some_and(|s| self.model.same_state(s, session.state()))
            }
            StepKind::Wait { until, .. } => until.holds_at(&moment(session)),
        }
    }

    /// A session at the start of challenge `j` (from 0): the walk up to the end of its
    /// `from_step`.
    pub fn challenge_session(&self, j: usize) -> Option<Session> {
        let c = self.lesson.challenges.get(j)?;
        Some(self.session_before(c.from_step))
    }

    /// Whether challenge `j`'s goal holds at the cursor of the reader's `session` (a session of
    /// this lesson's model and config; false otherwise).
    pub fn challenge_solved(&self, j: usize, session: &Session) -> bool {
        self.lesson.challenges.get(j).is_some_and(|c| self.same_model(session) && c.goal.holds_at(&moment(session)))
    }

    fn same_model(&self, session: &Session) -> bool {
        let (a, b) = (session.model(), &self.model);
        a.info().name == b.info().name && a.config().name == b.config().name && a.constants() == b.constants()
    }

    /// Replays a challenge's solution from its start: the goal must be valid, false at the start,
    /// false after every action but the last, and true after the last.
    fn replay_challenge(&self, c: &Challenge) -> Result<(), String> {
        if let Some(problem) = c.goal.problem(self.model.as_ref()) {
            return Err(format!("goal: {problem}"));
        }
        let mut session = self.session_before(c.from_step);
        if c.goal.holds_at(&moment(&session)) {
            return Err(format!("the goal ({}) already holds where the challenge starts", c.goal.describe()));
        }
        for (k, label) in c.solution.iter().enumerate() {
            take(&mut session, label).map_err(|m| format!("solution action {} of {}: {m}", k + 1, c.solution.len()))?;
            let reached = c.goal.holds_at(&moment(&session));
            let last = k + 1 == c.solution.len();
            if reached && !last {
                return Err(format!(
                    "the goal ({}) already holds after solution action {} of {}: cut the solution there",
                    c.goal.describe(),
                    k + 1,
                    c.solution.len()
                ));
            }
            if last && !reached {
                return Err(format!("the goal ({}) does not hold at the end of the solution{}", c.goal.describe(), missing_path(&c.goal, &session)));
            }
        }
        Ok(())
    }
}
