//! Liveness on screen: the temporal properties of the configuration, and, when the trace is a
//! lasso (a liveness counterexample loaded from a check, a file or a link), why it breaks them and
//! how its loop meets every fairness condition. Generic: from what models declare (predicates,
//! fairness instances), through [`DynModel`](crate::engine::DynModel).

use super::Verdicts;
use crate::engine::lasso::{breaks, loop_start, Breaks};
use crate::engine::{Lasso, LivenessReport, Obligation, Progress, Temporal};

/// A temporal property in the properties panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemporalRow {
    pub name: String,
    /// Its form in TLA+ notation: `<>P`, `[]<>P`, `<>[]P`, `P ~> Q`.
    pub form: &'static str,
    /// When the trace is a lasso that breaks it: why, in a sentence.
    pub broken: Option<String>,
    /// The step the explanation points at.
    pub at: Option<usize>,
    /// What a complete check of this configuration decided: `Some(true)` when it holds on every
    /// fair behaviour, `Some(false)` when a fair behaviour breaks it; `None` when not judged.
    pub checked: Option<bool>,
    /// The row's sentence when the trace does not break it.
    pub status: String,
}

/// The loop of a lasso trace, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoopView {
    /// Trace indices of the loop's first and last states (equal when the end stutters).
    pub first: usize,
    pub last: usize,
    pub stutter: bool,
    /// One sentence per fairness condition the loop meets, and whether it does.
    pub obligations: Vec<(bool, String)>,
}

fn form(kind: Temporal) -> &'static str {
    match kind {
        Temporal::Eventually => "<>P",
        Temporal::AlwaysEventually => "[]<>P",
        Temporal::EventuallyAlways => "<>[]P",
        Temporal::LeadsTo => "P ~> Q",
    }
}

impl Verdicts<'_> {
    /// The configuration's temporal properties, each explained when the trace is a lasso breaking it.
    pub fn temporal_rows(&self) -> Vec<TemporalRow> {
        self.temporal_rows_checked(None)
    }

    /// [`Verdicts::temporal_rows`], with what a finished check of this configuration judged
    /// (`checked`, its [`LivenessReport`]): a property it found to hold says so.
    pub fn temporal_rows_checked(&self, checked: Option<&LivenessReport>) -> Vec<TemporalRow> {
        let m = &self.x.model;
        let names = m.liveness_names();
        if names.is_empty() {
            return Vec::new();
        }
        let kinds = m.liveness_kinds();
        let trace = self.x.session.trace();
        let lasso = trace.lasso;
        let values: Vec<Vec<(bool, Option<bool>)>> =
            if lasso.is_some() { trace.steps.iter().map(|s| m.liveness_values(&s.state)).collect() } else { Vec::new() };
        names
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let found = lasso.and_then(|l| {
                    let column: Vec<(bool, Option<bool>)> = values.iter().map(|v| v[k]).collect();
                    breaks(kinds[k], &column, l).map(|b| (b, l))
                });
                let (broken, at) = match found {
                    Some((b, l)) => {
                        let (text, at) = explain(b, l, trace.steps.len());
                        (Some(text), at)
                    }
                    None => (None, None),
                };
                let verdict = checked.and_then(|c| c.verdict(name));
                let status = match verdict {
                    Some(true) => format!("Holds on every fair behaviour: checked ({}).", checked.map(|c| c.under()).unwrap_or_default()),
                    Some(false) => "Fails: the check found a fair behaviour that breaks it (its counterexample loads as a loop).".to_string(),
                    None => "About whole behaviours: the exhaustive check decides it; a counterexample loads as a loop.".to_string(),
                };
                TemporalRow { name: name.to_string(), form: form(kinds[k]), broken, at, checked: verdict, status }
            })
            .collect()
    }

    /// The loop of the trace, when it is a lasso, with what fairness asks of it and how it answers.
    pub fn loop_view(&self) -> Option<LoopView> {
        let trace = self.x.session.trace();
        let lasso = trace.lasso?;
        let last = trace.steps.len() - 1;
        let first = loop_start(lasso, trace.steps.len());
        let stutter = matches!(lasso, Lasso::Stuttering);
        let found = self.x.model.loop_obligations(trace);
        let mut obligations: Vec<(bool, String)> = found.iter().map(|o| (o.met(), obligation_text(o, last, stutter))).collect();
        if stutter {
            // A behaviour that stops: each fairness condition none of whose actions is enabled
            // where it stops, and the steps enabled there that no fairness condition covers.
            for f in self.x.model.fairness_names() {
                if !found.iter().any(|o| o.fairness == f) {
                    obligations.push((true, format!("{f}: none of its actions can change the state at step {last}, so stopping there breaks no fairness.")));
                }
            }
            // With no fairness condition enabled there, every step that changes the state is under
            // none.
            let state = &trace.steps[last].state;
            let mut unfair: Vec<String> = Vec::new();
            for c in self.x.model.choices(state) {
                if !self.x.model.same_state(state, &c.next) && !unfair.contains(&c.label) {
                    unfair.push(c.label);
                }
            }
            if found.is_empty() && !unfair.is_empty() && !self.x.model.fairness_names().is_empty() {
                obligations.push((
                    true,
                    format!(
                        "Enabled at step {last} but under no fairness condition, so a behaviour may leave {} untaken for ever: {}.",
                        if unfair.len() == 1 { "it" } else { "them" },
                        unfair.join(", ")
                    ),
                ));
            }
        }
        if self.x.model.fairness_names().is_empty() {
            obligations.push((true, "No fairness is assumed: a behaviour may stop taking steps anywhere, and stutter for ever.".to_string()));
        }
        Some(LoopView { first, last, stutter, obligations })
    }
}

/// The check panel's line for a running check: the search, or the liveness phase's stage
/// (`Progress::phase`: the state graph, property N of M and its stage).
pub fn phase_text(progress: &Progress) -> String {
    match progress.phase.as_deref() {
        None => format!("Search: expanding the reachable states breadth-first and checking every invariant ({} on the queue).", progress.queue),
        Some(p) => {
            let p = p.strip_prefix("liveness: ").unwrap_or(p);
            format!("Liveness, after the search (every state expanded): {p}.")
        }
    }
}

fn span(first: usize, last: usize, stutter: bool) -> String {
    if stutter {
        format!("step {last}, repeated for ever (stuttering)")
    } else if first == last {
        format!("step {last}, which steps back to itself for ever")
    } else {
        format!("steps {first}–{last}, repeated for ever")
    }
}

fn explain(b: Breaks, lasso: Lasso, len: usize) -> (String, Option<usize>) {
    let (first, last) = (loop_start(lasso, len), len - 1);
    let stutter = matches!(lasso, Lasso::Stuttering);
    let lp = span(first, last, stutter);
    match b {
        Breaks::Never => (format!("P holds at no step of this behaviour: not on the way, nor in its loop ({lp})."), Some(first)),
        Breaks::NotInfinitelyOften => (format!("P holds nowhere in the loop ({lp}), so from step {first} on it never holds again."), Some(first)),
        Breaks::FailsInLoop(j) => (format!("P fails at step {j}, inside the loop ({lp}), so it fails again on every round: it never holds for good."), Some(j)),
        Breaks::LeadsNowhere(j) => (format!("P holds at step {j}, and Q holds at no step after it: not up to step {last}, nor in the loop ({lp})."), Some(j)),
    }
}

fn obligation_text(o: &Obligation, last: usize, stutter: bool) -> String {
    let what = if o.example.is_empty() { o.fairness.to_string() } else { format!("{} for {}", o.fairness, o.example) };
    match (o.taken_at, o.disabled_at) {
        (Some(i), _) if i == last && !stutter => format!("{what}: taken on the step from step {last} back into the loop."),
        (Some(i), _) => format!("{what}: taken in the loop, on the step after step {i}."),
        (None, Some(d)) if stutter => format!("{what}: not enabled at step {d}, so stopping there breaks no fairness."),
        (None, _) if o.strong && !o.enabled_somewhere => format!("{what}: never enabled in the loop, so strong fairness asks nothing of it."),
        (None, Some(d)) if !o.strong => {
            format!("{what}: not enabled at step {d}, so weak fairness (which asks only of actions enabled without a break) asks nothing of it.")
        }
        (None, _) => format!("{what}: enabled in the loop but never taken: this loop is not fair."),
    }
}
