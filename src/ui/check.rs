//! The check worker as a hook, [`use_check`]: its state (the form, the run's status, the worker
//! and its timer) lives in the check panel, so the worker's progress messages render that panel
//! alone. The worker itself is [`WorkerHandle`]: spawned on the first check, replaced when it dies
//! or stops answering, terminated when a cancel goes unanswered. Worker events and timer ticks are
//! handled a microtask later (as yew's own messages are), never inside the event's callback.

use super::dom;
use super::panel_state::PanelState;
use super::worker::{CheckDone, CheckEnd, CheckRequest, FromWorker, ToWorker, WorkerHandle};
use crate::engine::{Footprint, LivenessReport, Progress};
use gloo::timers::callback::Interval;
use yew::prelude::*;

/// Bounds a check starts with; a person can clear or raise them. Measured in headless Chromium
/// (Debian 12, 23 GB RAM): a worker's wasm memory grows to the full 4 GiB there; Paxos with five
/// acceptors and three values died without a ceiling at 58,714,599 states (211 s), when the
/// visited set doubled to 2^27 buckets; with the ceiling at 4096 MiB it stopped cleanly just
/// before, at 3520 MiB. The default ceiling leaves half of that for machines that refuse earlier,
/// and 20 million states stay under it with every model.
const DEFAULT_MAX_STATES: &str = "20000000";
const DEFAULT_MAX_SECONDS: &str = "300";
const DEFAULT_MAX_MEMORY_MIB: &str = "2048";
/// wasm32's linear memory cannot pass 4 GiB.
const MAX_MEMORY_MIB: u64 = 4096;
/// A cancel not answered within this long ends with the worker terminated.
const CANCEL_GRACE_MS: f64 = 1000.0;
/// A running worker that has said nothing for this long is taken for dead (it reports every 50 ms).
const HEARTBEAT_MS: f64 = 30_000.0;
const CHECK_TICK_MS: u32 = 250;
/// A worker whose memory grew past this is terminated after its check (see `worker_message`).
const RECYCLE_WORKER_BYTES: u64 = 128 << 20;

#[derive(Clone, PartialEq)]
pub enum CheckStatus {
    Idle,
    Running {
        /// The id the worker's messages for this run carry; others are ignored.
        id: u64,
        request: CheckRequest,
        progress: Progress,
        /// `dom::now()` of the last message from the worker about this run (or of the start).
        last_heard: f64,
        /// When Cancel was sent, if it was.
        cancel_at: Option<f64>,
    },
    Done {
        request: CheckRequest,
        done: CheckDone,
    },
    Failed(String),
    /// The worker trapped or stopped answering; the figures are the last it reported.
    Died {
        request: CheckRequest,
        progress: Progress,
        cause: Death,
    },
}

#[derive(Clone, PartialEq)]
pub enum Death {
    /// Its `error` event or its panic message.
    Error(String),
    /// No message for [`HEARTBEAT_MS`].
    Silent,
}

#[derive(Clone, PartialEq)]
pub struct CheckForm {
    pub symmetry: bool,
    pub deadlock: bool,
    pub max_states: String,
    pub max_seconds: String,
    /// MiB of the worker's memory.
    pub max_memory: String,
    pub error: Option<String>,
}

impl Default for CheckForm {
    fn default() -> Self {
        CheckForm {
            symmetry: true,
            deadlock: false,
            max_states: DEFAULT_MAX_STATES.to_string(),
            max_seconds: DEFAULT_MAX_SECONDS.to_string(),
            max_memory: DEFAULT_MAX_MEMORY_MIB.to_string(),
            error: None,
        }
    }
}

/// The check worker as the page holds it: spawned on the first check, dropped (terminated) when
/// it dies or stops answering, spawned afresh for the next check.
#[derive(Default)]
struct CheckRunner {
    handle: Option<WorkerHandle>,
    /// Counts spawned workers; events of a replaced worker are ignored.
    generation: u32,
    /// The last check id handed out (ids are unique across workers).
    last_id: u64,
    /// Ticks while a check runs.
    timer: Option<Interval>,
}

/// What a check is run on: the page's model, configuration and constants, and whether the model
/// declares symmetric sets.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckSettings {
    pub model: String,
    pub config: String,
    pub constants: Vec<(String, String)>,
    pub sym: bool,
}

/// The check panel's state.
pub struct CheckState {
    pub status: CheckStatus,
    pub form: CheckForm,
    runner: CheckRunner,
    settings: CheckSettings,
    /// The page's `reset` the state last saw: a new one ends the check (see [`use_check`]).
    reset: u64,
    /// Told of a check that found a violation.
    on_violation: Callback<(CheckRequest, CheckDone)>,
    /// Told what a finished check of a liveness config judged of its temporal properties.
    on_checked: Callback<LivenessReport>,
}

impl CheckState {
    /// Asks the worker to stop the running check (its answer is ignored if the caller moves on).
    fn cancel_check(&mut self) {
        if let CheckStatus::Running { id, cancel_at, .. } = &mut self.status {
            if let Some(w) = &self.runner.handle {
                w.send(&ToWorker::Cancel { id: *id });
            }
            cancel_at.get_or_insert_with(dom::now);
        }
    }

    fn start_check(&mut self, hook: &UseCheck) {
        if matches!(self.status, CheckStatus::Running { .. }) {
            return;
        }
        let request = match self.request() {
            Err(e) => {
                self.form.error = Some(e);
                return;
            }
            Ok(r) => r,
        };
        self.form.error = None;
        if self.runner.handle.is_none() {
            self.runner.generation += 1;
            let generation = self.runner.generation;
            let (on_message, on_error) = (hook.clone(), hook.clone());
            match WorkerHandle::spawn(
                &dom::asset_url("worker_loader.js"),
                move |m| on_message.later(move |h| h.worker_message(m)),
                move |e| on_error.later(move |h| h.worker_error(generation, e)),
            ) {
                Ok(handle) => self.runner.handle = Some(handle),
                Err(e) => {
                    self.status = CheckStatus::Failed(e);
                    return;
                }
            }
        }
        self.runner.last_id += 1;
        let id = self.runner.last_id;
        if let Some(w) = &self.runner.handle {
            w.send(&ToWorker::Start { id, request: request.clone() });
        }
        self.status = CheckStatus::Running { id, request, progress: Progress::default(), last_heard: dom::now(), cancel_at: None };
        if self.runner.timer.is_none() {
            let hook = hook.clone();
            self.runner.timer = Some(Interval::new(CHECK_TICK_MS, move || hook.later(|h| h.tick())));
        }
    }

    /// The worker is gone: terminate it (a fresh one serves the next check) and, if a check was
    /// running, report the death with the last figures.
    fn worker_died(&mut self, cause: Death) {
        let loaded = self.runner.handle.take().is_some_and(|h| h.is_ready());
        if let CheckStatus::Running { request, progress, .. } = std::mem::replace(&mut self.status, CheckStatus::Idle) {
            self.status = match cause {
                Death::Error(e) if !loaded => CheckStatus::Failed(format!("its worker did not start ({e})")),
                cause => CheckStatus::Died { request, progress, cause },
            };
        }
    }

    /// A cancel the worker did not answer in time: terminate it; the last figures stand.
    fn force_cancel(&mut self) {
        self.runner.handle = None;
        if let CheckStatus::Running { request, progress, .. } = std::mem::replace(&mut self.status, CheckStatus::Idle) {
            let symmetry = request.symmetry && self.settings.sym;
            // The last progress says whether the search had ended (a phase after it); the
            // temporal properties were not judged.
            let liveness = progress.phase.is_some().then(|| LivenessReport { search_complete: true, ..LivenessReport::default() });
            let done = CheckDone {
                progress,
                footprint: Footprint::default(),
                symmetry,
                symmetry_problem: None,
                note: None,
                end: CheckEnd::Incomplete { reason: "cancelled".into() },
                liveness,
            };
            self.status = CheckStatus::Done { request, done };
        }
    }

    fn check_tick(&mut self) -> bool {
        let now = dom::now();
        let CheckStatus::Running { last_heard, cancel_at, .. } = &self.status else {
            self.runner.timer = None;
            return false;
        };
        if cancel_at.is_some_and(|at| now - at > CANCEL_GRACE_MS) {
            self.force_cancel();
            return true;
        }
        if now - last_heard > HEARTBEAT_MS {
            self.worker_died(Death::Silent);
            return true;
        }
        false
    }

    /// Returns the finished check when it found a violation (the page loads its counterexample).
    fn worker_message(&mut self, msg: FromWorker) -> (Option<(CheckRequest, CheckDone)>, Option<LivenessReport>) {
        let running = match &self.status {
            CheckStatus::Running { id, .. } => Some(*id),
            _ => None,
        };
        let (id, ok) = match &msg {
            FromWorker::Ready => return (None, None),
            FromWorker::Progress { id, .. } | FromWorker::Done { id, .. } | FromWorker::Failed { id, .. } => (Some(*id), true),
            FromWorker::Panicked { id, .. } => (*id, false),
            // A simulation's messages: it runs in a worker of its own (`super::simulate`).
            FromWorker::SimulateProgress { .. } | FromWorker::Simulated { .. } => return (None, None),
        };
        if !ok {
            // A worker that panicked is unusable, running or not.
            let FromWorker::Panicked { message, .. } = msg else { return (None, None) };
            if running.is_some() && (id.is_none() || id == running) {
                self.worker_died(Death::Error(message));
            } else {
                self.runner.handle = None;
            }
            return (None, None);
        }
        if id != running {
            return (None, None); // about a check the page no longer waits for
        }
        if let CheckStatus::Running { last_heard, .. } = &mut self.status {
            *last_heard = dom::now();
        }
        match msg {
            FromWorker::Progress { progress: p, .. } => {
                if let CheckStatus::Running { progress, .. } = &mut self.status {
                    *progress = p;
                }
            }
            FromWorker::Done { done, .. } => {
                let CheckStatus::Running { request, .. } = std::mem::replace(&mut self.status, CheckStatus::Idle) else { return (None, None) };
                // A wasm memory never shrinks: a worker that grew large is let go, which gives its
                // memory back and starts the next check's ceiling from a fresh worker.
                if done.footprint.peak_memory_bytes.is_some_and(|b| b > RECYCLE_WORKER_BYTES) {
                    self.runner.handle = None;
                }
                let violation = matches!(done.end, CheckEnd::Violation { .. }).then(|| (request.clone(), done.clone()));
                let checked = done.liveness.clone();
                self.status = CheckStatus::Done { request, done };
                return (violation, checked);
            }
            FromWorker::Failed { message, .. } => self.status = CheckStatus::Failed(message),
            FromWorker::Ready | FromWorker::Panicked { .. } | FromWorker::SimulateProgress { .. } | FromWorker::Simulated { .. } => {}
        }
        (None, None)
    }

    fn request(&self) -> Result<CheckRequest, String> {
        let parse_opt_u64 = |t: &str, what: &str| -> Result<Option<u64>, String> {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            match t.replace([',', '_', ' '], "").parse::<u64>() {
                Ok(n) if n > 0 => Ok(Some(n)),
                _ => Err(format!("{what} must be a whole number above 0 (or empty for no bound), not '{t}'")),
            }
        };
        let max_states = parse_opt_u64(&self.form.max_states, "Max states")?;
        let max_seconds = match self.form.max_seconds.trim() {
            "" => None,
            t => match t.parse::<f64>() {
                Ok(s) if s.is_finite() && s > 0.0 => Some(s),
                _ => return Err(format!("Max seconds must be a number above 0 (or empty for no bound), not '{t}'")),
            },
        };
        let max_memory = match parse_opt_u64(&self.form.max_memory, "Max memory (MiB)")? {
            Some(mib) if mib > MAX_MEMORY_MIB => {
                return Err(format!("Max memory (MiB) can be at most {MAX_MEMORY_MIB}: a wasm worker's memory cannot pass 4 GiB"))
            }
            mib => mib.map(|m| m * 1024 * 1024),
        };
        Ok(CheckRequest {
            model: self.settings.model.clone(),
            config: self.settings.config.clone(),
            constants: self.settings.constants.clone(),
            symmetry: self.form.symmetry,
            deadlock: self.form.deadlock,
            max_states,
            max_seconds,
            max_memory,
        })
    }

    /// The finished check, if it found a violation.
    pub fn violation(&self) -> Option<(CheckRequest, CheckDone)> {
        match &self.status {
            CheckStatus::Done { request, done } if matches!(done.end, CheckEnd::Violation { .. }) => Some((request.clone(), done.clone())),
            _ => None,
        }
    }
}

/// The check panel's handle on its state: commands that change it and render the panel again.
pub type UseCheck = PanelState<CheckState>;

impl PanelState<CheckState> {
    pub fn start(&self) {
        self.change(|s| s.start_check(self));
    }

    pub fn cancel(&self) {
        self.change(|s| s.cancel_check());
    }

    pub fn rerun_without_symmetry(&self) {
        self.change(|s| {
            s.form.symmetry = false;
            s.start_check(self);
        });
    }

    pub fn set_symmetry(&self, on: bool) {
        self.change(|s| s.form.symmetry = on);
    }

    pub fn set_deadlock(&self, on: bool) {
        self.change(|s| s.form.deadlock = on);
    }

    /// Edits a bound's text and says at once whether the bounds are valid.
    pub fn edit_bound(&self, edit: impl FnOnce(&mut CheckForm)) {
        self.change(|s| {
            edit(&mut s.form);
            s.form.error = s.request().err();
        });
    }

    fn worker_message(&self, m: FromWorker) {
        let ((violation, checked), tell, tell_checked) = self.change(|s| (s.worker_message(m), s.on_violation.clone(), s.on_checked.clone()));
        if let Some(c) = checked {
            tell_checked.emit(c);
        }
        if let Some(v) = violation {
            tell.emit(v);
        }
    }

    /// The worker of this generation fired its `error` event (a trap: out of memory, a panic).
    fn worker_error(&self, generation: u32, message: String) {
        let mut s = self.state.borrow_mut();
        if generation != s.runner.generation || s.runner.handle.is_none() {
            return;
        }
        s.worker_died(Death::Error(message));
        drop(s);
        self.redraw.force_update();
    }

    /// Watches a running check: cancel grace period, heartbeat.
    fn tick(&self) {
        let changed = self.state.borrow_mut().check_tick();
        if changed {
            self.redraw.force_update();
        }
    }
}

/// The check worker's state for the check panel. `settings` are what a check runs on; a new
/// `reset` (the page bumps it when the model, configuration or constants change, or a link is
/// opened) cancels a running check and clears the last result; `on_violation` is told of a check
/// that found a violation.
#[hook]
pub fn use_check(settings: CheckSettings, reset: u64, on_violation: Callback<(CheckRequest, CheckDone)>, on_checked: Callback<LivenessReport>) -> UseCheck {
    let state = {
        let (settings, on_violation, on_checked) = (settings.clone(), on_violation.clone(), on_checked.clone());
        use_mut_ref(move || CheckState {
            status: CheckStatus::Idle,
            form: CheckForm::default(),
            runner: CheckRunner::default(),
            settings,
            reset,
            on_violation,
            on_checked,
        })
    };
    let redraw = use_force_update();
    {
        let mut s = state.borrow_mut();
        s.settings = settings;
        s.on_violation = on_violation;
        s.on_checked = on_checked;
        if s.reset != reset {
            s.reset = reset;
            s.cancel_check();
            s.status = CheckStatus::Idle;
        }
    }
    UseCheck::new(state, redraw)
}
