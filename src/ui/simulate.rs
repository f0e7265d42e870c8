//! "Find a violation": a simulation (many seeded random walks that skip steps changing nothing,
//! see `engine::simulate`) in a web worker of its own, so that it and an exhaustive check can run
//! side by side. Walk `k` has the page's seed plus `k`: the same settings and seed find the same
//! walk in the browser and with `pex simulate`. The first walk that breaks a property is loaded
//! into the timeline; the seed field then holds its seed, so random play continues that walk.
//!
//! Simpler than the check's hook ([`super::check`]): a simulation has no partial result worth a
//! grace period, so Cancel terminates the worker at once (a fresh one serves the next run) and
//! keeps the last figures.

use super::app::{FoundMsg, Msg};
use super::dom;
use super::panel_state::PanelState;
use super::worker::{FromWorker, SimulateOutcome, SimulateRequest, ToWorker, WorkerHandle};
use crate::engine::{plural, SimulateOptions, SimulateProgress};
use web_sys::HtmlInputElement;
use yew::prelude::*;

const DEFAULT_WALKS: &str = "10000";
const DEFAULT_DEPTH: &str = "1000";
const DEFAULT_SECONDS: &str = "60";
/// A trace holds at most this many steps (`engine::trace::MAX_TRACE_STEPS` bounds files; a walk
/// this long is already far past anything a person reads).
const MAX_DEPTH: u64 = 100_000;

/// What a simulation runs on: the page's model, configuration, constants and seed.
#[derive(Clone, Debug, PartialEq)]
pub struct SimulateSettings {
    pub model: String,
    pub config: String,
    pub constants: Vec<(String, String)>,
    pub seed: u64,
    /// The configuration checks temporal properties, which walks cannot break.
    pub temporal: bool,
}

#[derive(Clone, PartialEq)]
pub enum SimulateStatus {
    Idle,
    Running { id: u64, request: SimulateRequest, progress: SimulateProgress },
    Done { request: SimulateRequest, progress: SimulateProgress, outcome: SimulateOutcome },
    Failed(String),
}

#[derive(Clone, PartialEq)]
pub struct SimulateForm {
    pub walks: String,
    pub depth: String,
    pub seconds: String,
    pub error: Option<String>,
}

impl Default for SimulateForm {
    fn default() -> Self {
        SimulateForm { walks: DEFAULT_WALKS.into(), depth: DEFAULT_DEPTH.into(), seconds: DEFAULT_SECONDS.into(), error: None }
    }
}

struct SimulateState {
    status: SimulateStatus,
    form: SimulateForm,
    handle: Option<WorkerHandle>,
    /// Counts spawned workers; events of a replaced worker are ignored.
    generation: u32,
    last_id: u64,
    settings: SimulateSettings,
    reset: u64,
    on: Callback<Msg>,
}

impl SimulateState {
    fn request(&self) -> Result<SimulateRequest, String> {
        let whole = |t: &str, what: &str, max: u64| -> Result<u64, String> {
            match t.trim().replace([',', '_', ' '], "").parse::<u64>() {
                Ok(n) if n > 0 && n <= max => Ok(n),
                _ => Err(format!("{what} must be a whole number from 1 to {max}, not '{}'", t.trim())),
            }
        };
        let walks = whole(&self.form.walks, "Walks", 1_000_000_000)?;
        let depth = whole(&self.form.depth, "Depth", MAX_DEPTH)? as usize;
        let seconds = match self.form.seconds.trim().parse::<f64>() {
            Ok(s) if s.is_finite() && s > 0.0 && s <= 3600.0 => s,
            _ => return Err(format!("Seconds must be a number above 0 and at most 3600, not '{}'", self.form.seconds.trim())),
        };
        let s = &self.settings;
        Ok(SimulateRequest {
            model: s.model.clone(),
            config: s.config.clone(),
            constants: s.constants.clone(),
            options: SimulateOptions { first_seed: s.seed, max_walks: Some(walks), depth, max_seconds: Some(seconds), skip_stutter: true },
        })
    }

    fn start(&mut self, hook: &UseSimulate) {
        if matches!(self.status, SimulateStatus::Running { .. }) {
            return;
        }
        let request = match self.request() {
            Ok(r) => r,
            Err(e) => {
                self.form.error = Some(e);
                return;
            }
        };
        self.form.error = None;
        if self.handle.is_none() {
            self.generation += 1;
            let generation = self.generation;
            let (on_message, on_error) = (hook.clone(), hook.clone());
            match WorkerHandle::spawn(
                &dom::asset_url("worker_loader.js"),
                move |m| on_message.later(move |h| h.message(m)),
                move |e| on_error.later(move |h| h.died(generation, e)),
            ) {
                Ok(h) => self.handle = Some(h),
                Err(e) => {
                    self.status = SimulateStatus::Failed(e);
                    return;
                }
            }
        }
        self.last_id += 1;
        let id = self.last_id;
        if let Some(w) = &self.handle {
            w.send(&ToWorker::Simulate { id, request: request.clone() });
        }
        self.status = SimulateStatus::Running { id, request, progress: SimulateProgress::default() };
    }

    /// Ends a running simulation by terminating its worker; the last figures stand.
    fn cancel(&mut self) {
        if let SimulateStatus::Running { request, progress, .. } = std::mem::replace(&mut self.status, SimulateStatus::Idle) {
            self.handle = None;
            self.status = SimulateStatus::Done { request, progress, outcome: SimulateOutcome::NotFound { reason: "cancelled".into() } };
        }
    }

    /// Returns the found walk, for the page to load.
    fn message(&mut self, msg: FromWorker) -> Option<(SimulateRequest, SimulateOutcome)> {
        let SimulateStatus::Running { id: running, .. } = &self.status else { return None };
        let running = *running;
        match msg {
            FromWorker::SimulateProgress { id, progress: p } if id == running => {
                if let SimulateStatus::Running { progress, .. } = &mut self.status {
                    *progress = p;
                }
            }
            FromWorker::Simulated { id, progress, outcome } if id == running => {
                let SimulateStatus::Running { request, .. } = std::mem::replace(&mut self.status, SimulateStatus::Idle) else { return None };
                let found = matches!(outcome, SimulateOutcome::Found { .. }).then(|| (request.clone(), outcome.clone()));
                self.status = SimulateStatus::Done { request, progress, outcome };
                return found;
            }
            FromWorker::Failed { id, message } if id == running => self.status = SimulateStatus::Failed(message),
            FromWorker::Panicked { message, .. } => {
                self.handle = None;
                self.status = SimulateStatus::Failed(format!("its worker stopped: {message}"));
            }
            _ => {}
        }
        None
    }
}

type UseSimulate = PanelState<SimulateState>;

impl PanelState<SimulateState> {
    fn message(&self, m: FromWorker) {
        let (found, on) = self.change(|s| (s.message(m), s.on.clone()));
        if let Some(found) = found {
            on.emit(Msg::Found(FoundMsg::Simulation(Box::new(found))));
        }
    }

    fn died(&self, generation: u32, e: String) {
        self.change(|s| {
            if generation == s.generation && s.handle.is_some() {
                s.handle = None;
                if matches!(s.status, SimulateStatus::Running { .. }) {
                    s.status = SimulateStatus::Failed(format!("its worker died ({e})"));
                }
            }
        });
    }
}

#[derive(Properties, PartialEq)]
pub struct SimulateProps {
    pub settings: SimulateSettings,
    /// A new value ends the simulation and clears its result (the page bumps it when the model,
    /// configuration or constants change).
    pub reset: u64,
    pub on: Callback<Msg>,
}

/// The "Find a violation" panel.
#[function_component]
pub fn SimulatePanel(p: &SimulateProps) -> Html {
    super::panels::count_render("simulate");
    let state = {
        let (settings, on, reset) = (p.settings.clone(), p.on.clone(), p.reset);
        use_mut_ref(move || SimulateState {
            status: SimulateStatus::Idle,
            form: SimulateForm::default(),
            handle: None,
            generation: 0,
            last_id: 0,
            settings,
            reset,
            on,
        })
    };
    let hook = UseSimulate::new(state.clone(), use_force_update());
    {
        let mut s = state.borrow_mut();
        s.settings = p.settings.clone();
        s.on = p.on.clone();
        if s.reset != p.reset {
            s.reset = p.reset;
            s.cancel();
            s.status = SimulateStatus::Idle;
        }
    }
    let s = state.borrow();
    let running = matches!(s.status, SimulateStatus::Running { .. });
    let cmd = |f: fn(&mut SimulateState, &UseSimulate)| {
        let (h, on) = (hook.clone(), p.on.clone());
        Callback::from(move |_: MouseEvent| {
            on.emit(Msg::CheckCommand);
            let h2 = h.clone();
            h.change(|s| f(s, &h2));
        })
    };
    let field = |f: fn(&mut SimulateForm, String)| {
        let h = hook.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            h.change(|s| {
                f(&mut s.form, v);
                s.form.error = s.request().err();
            });
        })
    };
    let figures = |pr: &SimulateProgress| {
        format!(
            "{} · {} · {:.2} s{}",
            plural(pr.walks as usize, "walk", "walks"),
            plural(pr.steps as usize, "step", "steps"),
            pr.seconds,
            if pr.seconds > 0.0 { format!(" · {:.0} steps/s", pr.steps as f64 / pr.seconds) } else { String::new() }
        )
    };
    let body = match &s.status {
        SimulateStatus::Idle => html! {},
        SimulateStatus::Failed(e) => html! { <div class="notice error" data-testid="simulate-failed">{ format!("The simulation could not run: {e}") }</div> },
        SimulateStatus::Running { progress, .. } => html! { <p class="muted small" data-testid="simulate-progress">{ figures(progress) }</p> },
        SimulateStatus::Done { request, progress, outcome } => {
            let verdict = match outcome {
                SimulateOutcome::Found { seed, walk, name, labels, .. } => {
                    let again = {
                        let (on, found) = (p.on.clone(), (request.clone(), outcome.clone()));
                        Callback::from(move |_: MouseEvent| on.emit(Msg::Found(FoundMsg::Simulation(Box::new(found.clone())))))
                    };
                    html! {
                        <div class="verdict bad" data-testid="simulate-result">
                            { format!("Walk {} (seed {seed}) broke {name} at step {}. The run started at seed {}.", walk + 1, labels.len(), request.options.first_seed) }
                            <button class="link" onclick={again}>{"load it again"}</button>
                        </div>
                    }
                }
                SimulateOutcome::NotFound { reason } => {
                    let why = match reason.as_str() {
                        "cancelled" => "Cancelled",
                        "max-seconds" => "Time is up",
                        _ => "Every walk ran",
                    };
                    html! {
                        <div class="verdict warn" data-testid="simulate-result">
                            { format!("{why}: no walk broke a property (walks of up to {} steps). Walks are samples, not a proof: the exhaustive check gives one.", request.options.depth) }
                        </div>
                    }
                }
            };
            html! { <>{ verdict }<p class="muted small" data-testid="simulate-figures">{ figures(progress) }</p></> }
        }
    };
    html! {
        <div class="card simulate" data-testid="simulate">
            <h2>{"Find a violation"}</h2>
            <p class="muted small">
                { format!("Random walks from seed {} (walk k uses seed {} + k), each skipping steps that change nothing. The first walk that breaks a property loads into the timeline.", p.settings.seed, p.settings.seed) }
            </p>
            if p.settings.temporal {
                <p class="muted small" data-testid="simulate-temporal">{"Walks check invariants and action properties at each step; a temporal property is about whole fair behaviours: the exhaustive check decides it."}</p>
            }
            <div class="row">
                if running {
                    <button class="danger" data-testid="simulate-cancel" onclick={cmd(|s, _| s.cancel())}>{"Cancel"}</button>
                    <span class="spinner" aria-label="running"></span>
                } else {
                    <button class="primary" data-testid="simulate-run" onclick={cmd(|s, h| s.start(h))}>{"Find a violation"}</button>
                }
            </div>
            <div class="check-options">
                <label class="field small"><span>{"Walks"}</span>
                    <input type="text" inputmode="numeric" data-testid="simulate-walks" value={s.form.walks.clone()} disabled={running} oninput={field(|f, v| f.walks = v)} />
                </label>
                <label class="field small"><span>{"Depth"}</span>
                    <input type="text" inputmode="numeric" data-testid="simulate-depth" value={s.form.depth.clone()} disabled={running} oninput={field(|f, v| f.depth = v)} />
                </label>
                <label class="field small"><span>{"Seconds"}</span>
                    <input type="text" inputmode="decimal" data-testid="simulate-seconds" value={s.form.seconds.clone()} disabled={running} oninput={field(|f, v| f.seconds = v)} />
                </label>
            </div>
            if let Some(e) = &s.form.error { <div class="field-error" data-testid="simulate-error">{ e.clone() }</div> }
            { body }
        </div>
    }
}
