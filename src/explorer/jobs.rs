//! Replays that can outlast a frame (a config switch or a constant edit on a long trace, opening a
//! link's or a file's trace), run at once when short and otherwise a slice at a time.

use super::links::LinkEnd;
use super::{Comparison, Explorer, Notice};
use crate::engine::{plural, Comparer, DynModel, Lasso, Replayer, Session, Steps};
use std::sync::Arc;

/// Traces up to this many states are replayed at once; longer ones as a [`Job`] in slices.
pub const SYNC_REPLAY_STEPS: usize = 5_000;

/// Work that can outlast a frame, advanced a slice at a time ([`Explorer::work`]): nothing the
/// user sees changes until it ends.
pub(super) enum Job {
    /// The trace replayed under a new model (a config switch or new constants) and compared.
    Switch(Box<Switch>),
    /// A trace replayed to be opened (a link or an imported file).
    Open { model: Arc<dyn DynModel>, replayer: Replayer, kind: OpenKind },
}

pub(super) struct Switch {
    model: Arc<dyn DynModel>,
    comparer: Comparer,
    kind: JobKind,
    /// After the comparison, when switching back: the longer trace being restored.
    restoring: Option<(Carried, Replayer)>,
}

pub(super) enum JobKind {
    Config { from: String, to: String, carried: Carried, restore: Option<Carried> },
    Constants,
}

pub(super) enum OpenKind {
    /// What a link still has to say once its trace is replayed.
    Link(LinkEnd),
    /// An imported file's loop, if it is a lasso.
    Import(Option<Lasso>),
}

/// A trace kept aside so that a config switch that drops steps can be reversed.
#[derive(Clone)]
pub(super) struct Carried {
    pub(super) config: String,
    pub(super) init: usize,
    pub(super) labels: Vec<String>,
    pub(super) cursor: usize,
}

impl Explorer {
    /// Starts replaying the trace under `model` (a config switch or new constants): at once for a
    /// short trace, otherwise as a [`Job`] the page advances between frames ([`Explorer::work`]).
    pub(super) fn start_job(&mut self, model: Arc<dyn DynModel>, kind: JobKind) {
        let comparer = Comparer::new(self.session.trace(), model.as_ref());
        self.start(Job::Switch(Box::new(Switch { model, comparer, kind, restoring: None })), self.session.len());
    }

    /// Runs `job` at once when it covers at most [`SYNC_REPLAY_STEPS`] states, otherwise leaves it
    /// for the page to advance between frames.
    pub(super) fn start(&mut self, job: Job, states: usize) {
        self.job = Some(job);
        if states <= SYNC_REPLAY_STEPS {
            self.finish_work();
        }
    }

    /// The replay in progress, if any: what it is for and (steps done, steps in all).
    pub fn work_in_progress(&self) -> Option<(String, usize, usize)> {
        match self.job.as_ref()? {
            Job::Switch(job) => {
                let what = match &job.kind {
                    JobKind::Config { to, .. } => format!("Replaying the trace under {to}"),
                    JobKind::Constants => "Replaying the trace with the new constants".to_string(),
                };
                let (done, all) = match &job.restoring {
                    Some((_, r)) => {
                        let (d, a) = r.progress();
                        (2 * self.session.len() + d, 2 * self.session.len() + a)
                    }
                    None => job.comparer.progress(self.session.trace()),
                };
                Some((what, done, all))
            }
            Job::Open { replayer, kind, .. } => {
                let what = match kind {
                    OpenKind::Link(_) => "Opening the link's trace",
                    OpenKind::Import(_) => "Opening the imported trace",
                };
                let (done, all) = replayer.progress();
                Some((what.to_string(), done, all))
            }
        }
    }

    /// Advances the replay in progress for about `budget`; true when nothing is left to do.
    pub fn work(&mut self, budget: web_time::Duration) -> bool {
        let started = web_time::Instant::now();
        while self.job.is_some() {
            if started.elapsed() >= budget {
                return false;
            }
            self.work_slice(256);
        }
        true
    }

    /// Runs the replay in progress to its end at once (the CLI, the fuzzer and tests; the page
    /// uses [`Explorer::work`]).
    pub fn finish_work(&mut self) {
        while self.job.is_some() {
            self.work_slice(usize::MAX);
        }
    }

    /// Drops the replay in progress: the explorer stays as it was before it started (a link or
    /// import being opened is not opened).
    pub fn cancel_work(&mut self) -> bool {
        let Some(job) = self.job.take() else { return false };
        let said = match &job {
            Job::Switch(job) => match &job.kind {
                JobKind::Config { from, to, .. } => format!("Switching to {to} was cancelled; still showing {from}."),
                JobKind::Constants => "The new constants were not applied: their replay was cancelled.".to_string(),
            },
            Job::Open { kind: OpenKind::Link(_), .. } => "Opening the link's trace was cancelled; showing its settings at the initial state.".to_string(),
            Job::Open { kind: OpenKind::Import(_), .. } => "The import was cancelled; nothing changed.".to_string(),
        };
        self.notices.push(Notice::info(said));
        true
    }

    pub(super) fn work_slice(&mut self, budget: usize) {
        match self.job.take() {
            None => {}
            Some(Job::Switch(job)) => self.switch_slice(job, budget),
            Some(Job::Open { model, mut replayer, kind }) => {
                if replayer.advance(model.as_ref(), budget) {
                    let (trace, stop) = replayer.finish();
                    match kind {
                        OpenKind::Link(end) => self.end_link(model, trace, stop, end),
                        OpenKind::Import(lasso) => self.end_import(model, trace, stop, lasso),
                    }
                } else {
                    self.job = Some(Job::Open { model, replayer, kind });
                }
            }
        }
    }

    fn switch_slice(&mut self, mut job: Box<Switch>, budget: usize) {
        if let Some((_, replayer)) = &mut job.restoring {
            if replayer.advance(job.model.as_ref(), budget) {
                self.apply_switch(*job);
            } else {
                self.job = Some(Job::Switch(job));
            }
            return;
        }
        if !job.comparer.advance(self.model.as_ref(), self.session.trace(), job.model.as_ref(), budget) {
            self.job = Some(Job::Switch(job));
            return;
        }
        // Switching back to the config a longer trace came from: replay that trace too.
        if let JobKind::Config { restore: Some(c), .. } = &mut job.kind {
            let c = c.clone();
            let replayer = Replayer::new(job.model.as_ref(), c.init, Steps::Labels(c.labels.clone()));
            job.restoring = Some((c, replayer));
            self.job = Some(Job::Switch(job));
            return;
        }
        self.apply_switch(*job);
    }

    /// Puts a finished replay under a new model in place of the session.
    fn apply_switch(&mut self, job: Switch) {
        let Switch { model, comparer, kind, restoring } = job;
        let (trace, divergence) = comparer.finish();
        let steps_before = self.session.len();
        let cursor = self.session.cursor();
        self.session = Session::from_trace(model.clone(), trace, cursor);
        self.model = model;
        match kind {
            JobKind::Config { from, to, carried, .. } => {
                if let Some((c, replayer)) = restoring {
                    let (trace, stop) = replayer.finish();
                    if stop.is_none() {
                        let dropped = c.labels.len() + 1 - self.session.len();
                        self.session = Session::from_trace(self.model.clone(), trace, c.cursor);
                        self.notices.push(Notice::info(format!(
                            "Back under {to}: {} the switch had dropped {}.",
                            plural(dropped, "step", "steps"),
                            if dropped == 1 { "is restored" } else { "are restored" }
                        )));
                    }
                }
                if self.session.len() < steps_before {
                    self.carried = Some(carried);
                }
                self.comparison = Some(Comparison { from, to, steps_before, divergence });
            }
            JobKind::Constants => {
                self.comparison = None;
                self.carried = None;
                if let Some((pos, label)) = divergence.blocked {
                    self.notices.push(Notice::warning(format!(
                        "With the new constants the trace replays up to step {}: {label} is no longer enabled at step {pos} (it had {}).",
                        pos - 1,
                        plural(steps_before - 1, "step", "steps")
                    )));
                }
            }
        }
    }
}
