//! The check worker: runs an exhaustive check (or a simulation) in a web worker, in slices of about 50 ms, posting
//! progress after each slice. Between slices it returns to the worker's event loop (through a
//! zero-delay timer, not a microtask), which is what lets a Cancel message get in.
//!
//! Page and worker talk through a plain `web_sys::Worker` (no gloo-worker bridge): messages are
//! serde_json strings, every check carries the id the page gave it, and the page holds the
//! `Worker` object itself, so it can see the worker's `error` event (a wasm trap such as running
//! out of memory) and `terminate()` a worker that died or stopped answering ([`WorkerHandle`]).
//! A worker that traps is never reused: the page spawns a fresh one for the next check.
//!
//! Test hooks, only in a build with them ([`TEST_HOOKS`](super::TEST_HOOKS); compiled out of users'
//! builds): while a worker exists, the page defines `window.__pexCrashWorker(panic)`, which makes
//! the worker trap as an out-of-memory abort does (or panic, when `panic` is true), and
//! `window.__pexHangWorker(ms)`, which keeps the worker busy for `ms` milliseconds without answering.

use crate::catalogue::Catalogue;
use crate::engine::{DynChecker, DynOutcome, Footprint, Lasso, LivenessReport, Progress, SimulateEnd, SimulateProgress, Simulator};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_time::{Duration, Instant};

pub use crate::explorer::worker_protocol::{CheckRequest, SimulateRequest, ToWorker};

/// How a simulation ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SimulateOutcome {
    /// Walk `walk` (from 0), with seed `seed`, broke `name`: its initial state and actions up to
    /// the violating state.
    Found { seed: u64, walk: u64, kind: String, name: String, init: usize, labels: Vec<String> },
    /// `walks`, `max-seconds` or `cancelled`.
    NotFound { reason: String },
}

/// How a check ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CheckEnd {
    Ok,
    /// A property failed; the shortest counterexample as an initial state and action labels.
    Violation {
        kind: String,
        name: String,
        init: usize,
        labels: Vec<String>,
        /// A liveness counterexample's loop.
        #[serde(default)]
        lasso: Option<Lasso>,
    },
    Incomplete {
        reason: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckDone {
    pub progress: Progress,
    pub footprint: Footprint,
    pub symmetry: bool,
    /// The symmetry audit's finding, shown as a warning beside the count.
    pub symmetry_problem: Option<String>,
    /// Anything else the result must say ("symmetry not used: liveness").
    #[serde(default)]
    pub note: Option<String>,
    pub end: CheckEnd,
    /// A liveness config's temporal side (see `CheckResult::liveness`).
    #[serde(default)]
    pub liveness: Option<LivenessReport>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm is loaded and it listens (messages sent before are queued by the page).
    Ready,
    Progress {
        id: u64,
        progress: Progress,
    },
    Done {
        id: u64,
        done: CheckDone,
    },
    SimulateProgress {
        id: u64,
        progress: SimulateProgress,
    },
    Simulated {
        id: u64,
        progress: SimulateProgress,
        outcome: SimulateOutcome,
    },
    Failed {
        id: u64,
        message: String,
    },
    /// The worker panicked while running check `id` (if any); it is unusable from here on.
    Panicked {
        id: Option<u64>,
        message: String,
    },
}

// ---------------------------------------------------------------------------------------------
// The worker's side.

const SLICE: Duration = Duration::from_millis(50);

struct Run {
    id: u64,
    job: Job,
}

enum Job {
    Check(Box<dyn DynChecker>),
    Simulate(Simulator),
}

thread_local! {
    static RUN: RefCell<Option<Run>> = const { RefCell::new(None) };
    /// The id of the check running now, readable from the panic hook (which must not borrow RUN).
    static CURRENT: Cell<Option<u64>> = const { Cell::new(None) };
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &FromWorker) {
    match serde_json::to_string(msg) {
        Ok(text) => {
            let _ = scope().post_message(&JsValue::from_str(&text));
        }
        Err(e) => gloo::console::error!(format!("worker: cannot encode a message: {e}")),
    }
}

fn done(checker: &dyn DynChecker) -> CheckDone {
    let r = checker.result().expect("finished");
    let end = match r.outcome {
        DynOutcome::Ok => CheckEnd::Ok,
        DynOutcome::Violation { kind, name, trace } => {
            CheckEnd::Violation { kind: kind.as_str().to_string(), name, init: trace.init_index, labels: trace.labels(), lasso: trace.lasso }
        }
        DynOutcome::Incomplete(reason) => CheckEnd::Incomplete { reason: reason.as_str().to_string() },
    };
    CheckDone {
        progress: r.progress,
        footprint: r.footprint,
        symmetry: r.symmetry,
        symmetry_problem: r.symmetry_problem,
        note: r.note,
        end,
        liveness: r.liveness,
    }
}

fn schedule(id: u64) {
    gloo::timers::callback::Timeout::new(0, move || slice(id)).forget();
}

/// One slice of run `id` (a slice scheduled for a run since cancelled or replaced does nothing).
fn slice(id: u64) {
    let reply = RUN.with(|run| {
        let mut run = run.borrow_mut();
        let current = run.as_mut().filter(|r| r.id == id)?;
        let started = Instant::now();
        let mut finished = false;
        while !finished && started.elapsed() < SLICE {
            finished = match &mut current.job {
                Job::Check(checker) => checker.run(1024),
                Job::Simulate(sim) => sim.run(4096),
            };
        }
        let reply = match (&current.job, finished) {
            (Job::Check(checker), true) => FromWorker::Done { id, done: done(checker.as_ref()) },
            (Job::Check(checker), false) => FromWorker::Progress { id, progress: checker.progress() },
            (Job::Simulate(sim), true) => simulated(id, sim),
            (Job::Simulate(sim), false) => FromWorker::SimulateProgress { id, progress: sim.progress() },
        };
        if finished {
            *run = None;
            CURRENT.with(|c| c.set(None));
        }
        Some(reply)
    });
    if let Some(reply) = reply {
        let again = matches!(reply, FromWorker::Progress { .. } | FromWorker::SimulateProgress { .. });
        post(&reply);
        if again {
            schedule(id);
        }
    }
}

fn simulated(id: u64, sim: &Simulator) -> FromWorker {
    let outcome = match sim.end() {
        Some(SimulateEnd::Found(f)) => SimulateOutcome::Found {
            seed: f.seed,
            walk: f.walk,
            kind: f.kind.as_str().to_string(),
            name: f.name.clone(),
            init: f.init_index,
            labels: f.labels.clone(),
        },
        Some(SimulateEnd::Walks) => SimulateOutcome::NotFound { reason: "walks".into() },
        Some(SimulateEnd::Seconds) => SimulateOutcome::NotFound { reason: "max-seconds".into() },
        Some(SimulateEnd::Cancelled) | None => SimulateOutcome::NotFound { reason: "cancelled".into() },
    };
    FromWorker::Simulated { id, progress: sim.progress(), outcome }
}

fn start(id: u64, job: Job) {
    RUN.with(|run| *run.borrow_mut() = Some(Run { id, job }));
    CURRENT.with(|c| c.set(Some(id)));
    schedule(id);
}

fn received(msg: ToWorker) {
    match msg {
        ToWorker::Start { id, request } => {
            let model = match worker_catalogue().build(&request.model, &request.config, &request.constants) {
                Ok(m) => m,
                Err(e) => {
                    post(&FromWorker::Failed { id, message: e.to_string() });
                    return;
                }
            };
            let options = request.options();
            start(id, Job::Check(model.checker(options)));
        }
        ToWorker::Simulate { id, request } => match worker_catalogue().build(&request.model, &request.config, &request.constants) {
            Ok(model) => start(id, Job::Simulate(Simulator::new(model, request.options))),
            Err(e) => post(&FromWorker::Failed { id, message: e.to_string() }),
        },
        ToWorker::Cancel { id } => {
            let cancelled = RUN.with(|run| {
                let mut run = run.borrow_mut();
                if run.as_ref().is_some_and(|r| r.id == id) {
                    let mut r = run.take().expect("a run");
                    Some(match &mut r.job {
                        Job::Check(checker) => {
                            checker.cancel();
                            FromWorker::Done { id, done: done(checker.as_ref()) }
                        }
                        Job::Simulate(sim) => {
                            sim.cancel();
                            simulated(id, sim)
                        }
                    })
                } else {
                    None
                }
            });
            if let Some(reply) = cancelled {
                CURRENT.with(|c| c.set(None));
                post(&reply);
            }
        }
    }
}

/// The test hooks' messages to the worker (see the module's header); read only in a build with
/// the hooks.
#[derive(Serialize, Deserialize)]
enum TestHookMsg {
    /// Trap as an out-of-memory abort does (`panic: false`), or panic.
    Crash { panic: bool },
    /// Stay busy this long without answering.
    Hang { ms: u32 },
}

fn test_hook(msg: TestHookMsg) {
    match msg {
        TestHookMsg::Crash { panic } => {
            if panic {
                panic!("the page asked this worker to crash (test hook)");
            }
            // What an allocation failure does: abort, without a panic message.
            #[cfg(target_arch = "wasm32")]
            core::arch::wasm32::unreachable();
            #[cfg(not(target_arch = "wasm32"))]
            std::process::abort();
        }
        TestHookMsg::Hang { ms } => {
            let started = Instant::now();
            while started.elapsed() < Duration::from_millis(ms as u64) {}
        }
    }
}

thread_local! {
    /// The catalogue this worker builds models from (see [`run_worker`]).
    static CATALOGUE: RefCell<Rc<Catalogue>> = RefCell::new(Rc::new(Catalogue::new()));
}

fn worker_catalogue() -> Rc<Catalogue> {
    CATALOGUE.with(|c| c.borrow().clone())
}

/// The worker's entry point, over the same catalogue as the page's app: listen to the page, then
/// say so.
pub fn run_worker(catalogue: Catalogue) {
    // A panic is logged, then reported to the page before the instance traps.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        report_panic(&info.to_string());
    }));
    CATALOGUE.with(|c| *c.borrow_mut() = Rc::new(catalogue));
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
        let Some(text) = e.data().as_string() else { return };
        if super::TEST_HOOKS {
            if let Ok(hook) = serde_json::from_str::<TestHookMsg>(&text) {
                return test_hook(hook);
            }
        }
        match serde_json::from_str::<ToWorker>(&text) {
            Ok(msg) => received(msg),
            Err(err) => gloo::console::error!(format!("worker: unreadable message: {err}")),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromWorker::Ready);
}

/// For the worker's panic hook: tell the page before the wasm instance traps.
pub fn report_panic(message: &str) {
    let id = CURRENT.with(|c| c.get());
    post(&FromWorker::Panicked { id, message: message.to_string() });
}

// ---------------------------------------------------------------------------------------------
// The page's side.

/// A check worker seen from the page. Dropping it terminates the worker.
pub struct WorkerHandle {
    worker: web_sys::Worker,
    ready: Rc<Cell<bool>>,
    /// Messages sent before the worker said Ready.
    pending: Rc<RefCell<Vec<String>>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
    /// The test hooks set on `window` (none in users' builds).
    _hooks: Vec<(&'static str, JsValue)>,
    _hook_closures: Vec<TestHook>,
}

/// A test hook on `window` (`__pexCrashWorker`, `__pexHangWorker`), kept alive with the worker.
type TestHook = Closure<dyn Fn(JsValue)>;

impl WorkerHandle {
    /// Starts the worker from trunk's loader shim at `url`. `on_message` gets every message but
    /// Ready; `on_error` gets the worker's `error` event (a trap, a failed load) as text.
    pub fn spawn(url: &str, on_message: impl Fn(FromWorker) + 'static, on_error: impl Fn(String) + 'static) -> Result<WorkerHandle, String> {
        let worker = web_sys::Worker::new(url).map_err(|e| format!("cannot start the check worker: {}", js_text(&e)))?;
        let ready = Rc::new(Cell::new(false));
        let pending: Rc<RefCell<Vec<String>>> = Rc::new(RefCell::new(Vec::new()));
        let on_message = {
            let (worker, ready, pending) = (worker.clone(), ready.clone(), pending.clone());
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let Some(text) = e.data().as_string() else { return };
                match serde_json::from_str::<FromWorker>(&text) {
                    Ok(FromWorker::Ready) => {
                        ready.set(true);
                        for text in pending.borrow_mut().drain(..) {
                            let _ = worker.post_message(&JsValue::from_str(&text));
                        }
                    }
                    Ok(msg) => on_message(msg),
                    Err(err) => gloo::console::error!(format!("unreadable message from the check worker: {err}")),
                }
            })
        };
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            // Handled here: not reported again as an error of the page (and its fatal banner).
            e.prevent_default();
            let message = js_sys::Reflect::get(&e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()).filter(|m| !m.is_empty());
            on_error(message.unwrap_or_else(|| "the worker failed to load or stopped".to_string()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let (hooks, hook_closures) = if super::TEST_HOOKS { test_hooks(&worker) } else { (Vec::new(), Vec::new()) };
        Ok(WorkerHandle { worker, ready, pending, _on_message: on_message, _on_error: on_error, _hooks: hooks, _hook_closures: hook_closures })
    }

    /// Whether the worker has loaded and said so.
    pub fn is_ready(&self) -> bool {
        self.ready.get()
    }

    /// Sends a message now, or once the worker is ready.
    pub fn send(&self, msg: &ToWorker) {
        let Ok(text) = serde_json::to_string(msg) else { return };
        if self.ready.get() {
            let _ = self.worker.post_message(&JsValue::from_str(&text));
        } else {
            self.pending.borrow_mut().push(text);
        }
    }
}

/// Sets the test hooks on `window`, posting straight to `worker`.
fn test_hooks(worker: &web_sys::Worker) -> (Vec<(&'static str, JsValue)>, Vec<TestHook>) {
    fn hook(worker: &web_sys::Worker, msg: impl Fn(JsValue) -> TestHookMsg + 'static) -> TestHook {
        let worker = worker.clone();
        Closure::<dyn Fn(JsValue)>::new(move |arg: JsValue| {
            let _ = worker.post_message(&JsValue::from_str(&serde_json::to_string(&msg(arg)).unwrap_or_default()));
        })
    }
    let crash = hook(worker, |panic| TestHookMsg::Crash { panic: panic.is_truthy() });
    let hang = hook(worker, |ms| TestHookMsg::Hang { ms: ms.as_f64().unwrap_or(5000.0).clamp(0.0, 600_000.0) as u32 });
    let hooks: Vec<(&'static str, JsValue)> = vec![("__pexCrashWorker", crash.as_ref().clone()), ("__pexHangWorker", hang.as_ref().clone())];
    let window = super::dom::window();
    for (name, f) in &hooks {
        let _ = js_sys::Reflect::set(&window, &JsValue::from_str(name), f);
    }
    (hooks, vec![crash, hang])
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        // An error event already on its way (the trap that follows a reported panic) must not reach
        // the page's own error handler and its fatal banner.
        let swallow = js_sys::Function::new_with_args("e", "e.preventDefault()");
        self.worker.set_onerror(Some(&swallow));
        self.worker.terminate();
        let window = super::dom::window();
        for (name, f) in &self._hooks {
            // Only remove the hooks if a newer worker has not replaced them.
            if js_sys::Reflect::get(&window, &JsValue::from_str(name)).ok().as_ref() == Some(f) {
                let _ = js_sys::Reflect::delete_property(&window, &JsValue::from_str(name));
            }
        }
    }
}

fn js_text(v: &JsValue) -> String {
    v.as_string().or_else(|| js_sys::Reflect::get(v, &JsValue::from_str("message")).ok().and_then(|m| m.as_string())).unwrap_or_else(|| format!("{v:?}"))
}
