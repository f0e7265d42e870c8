//! The app: renders an [`Explorer`] and turns clicks, keys, timers and worker messages into its
//! commands. All decisions about traces, links and verdicts live in the explorer; this file only
//! wires the page to it.

use super::worker::{CheckDone, CheckEnd, CheckRequest, FromWorker, ToWorker, WorkerHandle};
use super::{chart, dom, svg};
use crate::catalogue;
use crate::engine::{Footprint, Progress};
use crate::explorer::{trace_window, views, Explorer, NoticeKind, INFO_NOTICE_MS};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::{Interval, Timeout};
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

/// Random-play speeds, in steps per second; 0 is "as fast as the page allows".
const SPEEDS: [u32; 10] = [1, 2, 5, 10, 20, 50, 100, 500, 1000, 0];
/// Random play stops at this many steps, to bound memory.
const MAX_TRACE: usize = 200_000;
/// The address bar is updated this long after the last render (see `App::hash_timer`).
const HASH_DELAY_MS: u32 = 150;
/// Timeline chips drawn around the cursor; the slider reaches the rest.
const TIMELINE_WINDOW: usize = 120;

pub enum Msg {
    SelectModel(String),
    SelectConfig(String),
    EditConst(String, String),
    Take(String),
    Back,
    Forward,
    GoTo(usize),
    RandomStep,
    UndoFork,
    Reset,
    RestorePrevious,
    SeedInput(String),
    ToggleStopAtViolation,
    TogglePlay,
    SetSpeed(usize),
    PlayTick,
    DismissNotice(u64),
    DismissComparison,
    CheckSymmetry(bool),
    CheckDeadlock(bool),
    CheckMaxStates(String),
    CheckMaxSeconds(String),
    CheckMaxMemory(String),
    StartCheck,
    CancelCheck,
    RerunWithoutSymmetry,
    Worker(FromWorker),
    /// The worker of this generation fired its `error` event (a trap: out of memory, a panic).
    WorkerDied(u32, String),
    /// Watches a running check: cancel grace period, heartbeat.
    CheckTick,
    LoadCounterexample,
    HashChanged,
    ToggleTheme,
    Export,
    ImportText(String),
    ImportFailed(String),
    CopyLink,
    Copied(Result<(), String>),
    /// Advance a long replay (a config switch or constant edit on a long trace) by one slice.
    Work,
    CancelWork,
    /// Write the current link into the address bar.
    SyncHash,
}

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

enum CheckStatus {
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
    Done { request: CheckRequest, done: CheckDone },
    Failed(String),
    /// The worker trapped or stopped answering; the figures are the last it reported.
    Died { request: CheckRequest, progress: Progress, cause: Death },
}

enum Death {
    /// Its `error` event or its panic message.
    Error(String),
    /// No message for [`HEARTBEAT_MS`].
    Silent,
}

struct CheckForm {
    symmetry: bool,
    deadlock: bool,
    max_states: String,
    max_seconds: String,
    /// MiB of the worker's memory.
    max_memory: String,
    error: Option<String>,
}

impl CheckForm {
    fn new() -> Self {
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

pub struct App {
    x: Explorer,
    seed_text: String,
    seed_error: Option<String>,
    playing: bool,
    speed: usize,
    play_timer: Option<Interval>,
    check: CheckStatus,
    form: CheckForm,
    worker: CheckRunner,
    dark: bool,
    last_hash: String,
    /// The pending update of the address bar (written once the page is idle, not on every render:
    /// a long trace's link is long).
    hash_timer: Option<Timeout>,
    /// The next slice of a long replay, when one is under way.
    work_timer: Option<Timeout>,
    /// Info notices whose fade is scheduled, by id.
    fading: Vec<(u64, Timeout)>,
    canvas: NodeRef,
    import_input: NodeRef,
    _listeners: Vec<EventListener>,
}

impl App {
    fn stop_play(&mut self) {
        self.playing = false;
        self.play_timer = None;
    }

    fn start_play(&mut self, ctx: &Context<Self>) {
        let speed = SPEEDS[self.speed];
        let ms = if speed == 0 || speed > 20 { 50 } else { 1000 / speed };
        let link = ctx.link().clone();
        self.play_timer = Some(Interval::new(ms, move || link.send_message(Msg::PlayTick)));
        self.playing = true;
    }

    /// One tick of random play: one step, or as many as the speed asks for.
    fn play_tick(&mut self) {
        let speed = SPEEDS[self.speed];
        let budget_ms = 25.0;
        let started = dom::now();
        let steps = if speed == 0 { usize::MAX } else if speed > 20 { (speed / 20) as usize } else { 1 };
        for _ in 0..steps {
            if self.x.session().len() >= MAX_TRACE {
                self.stop_play();
                self.x.notify_info(format!("Random play stopped at {MAX_TRACE} steps."));
                return;
            }
            // Play continues from the end of the trace.
            let last = self.x.session().len() - 1;
            if self.x.session().cursor() != last {
                self.x.go_to(last);
            }
            match self.x.random_step() {
                None => {
                    self.stop_play();
                    let why = if self.x.session().outside_constraint() {
                        "this state is outside the model's state constraint"
                    } else {
                        "no action is enabled (a deadlock)"
                    };
                    self.x.notify_info(format!("Random play stopped: {why}."));
                    return;
                }
                Some((_, Some(broken))) if self.x.stop_at_violation => {
                    self.stop_play();
                    let at = self.x.session().cursor();
                    self.x.notify_info(format!("Random play stopped at step {at}: {broken} fails."));
                    return;
                }
                Some(_) => {}
            }
            if speed == 0 && dom::now() - started > budget_ms {
                break;
            }
        }
    }

    /// Info notices fade after [`INFO_NOTICE_MS`]; errors and warnings stay until dismissed.
    fn schedule_fades(&mut self, ctx: &Context<Self>) {
        let shown: Vec<u64> = self.x.notices().iter().filter(|n| n.kind == NoticeKind::Info).map(|n| n.id).collect();
        self.fading.retain(|(id, _)| shown.contains(id));
        for id in shown {
            if !self.fading.iter().any(|(f, _)| *f == id) {
                let link = ctx.link().clone();
                self.fading.push((id, Timeout::new(INFO_NOTICE_MS, move || link.send_message(Msg::DismissNotice(id)))));
            }
        }
    }

    /// Asks the worker to stop the running check (its answer is ignored if the caller moves on).
    fn cancel_check(&mut self) {
        if let CheckStatus::Running { id, cancel_at, .. } = &mut self.check {
            if let Some(w) = &self.worker.handle {
                w.send(&ToWorker::Cancel { id: *id });
            }
            cancel_at.get_or_insert_with(dom::now);
        }
    }

    fn start_check(&mut self, ctx: &Context<Self>) {
        if matches!(self.check, CheckStatus::Running { .. }) {
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
        if self.worker.handle.is_none() {
            self.worker.generation += 1;
            let generation = self.worker.generation;
            let (on_message, on_error) = (ctx.link().clone(), ctx.link().clone());
            match WorkerHandle::spawn(
                &dom::asset_url("worker_loader.js"),
                move |m| on_message.send_message(Msg::Worker(m)),
                move |e| on_error.send_message(Msg::WorkerDied(generation, e)),
            ) {
                Ok(handle) => self.worker.handle = Some(handle),
                Err(e) => {
                    self.check = CheckStatus::Failed(e);
                    return;
                }
            }
        }
        self.worker.last_id += 1;
        let id = self.worker.last_id;
        if let Some(w) = &self.worker.handle {
            w.send(&ToWorker::Start { id, request: request.clone() });
        }
        self.check = CheckStatus::Running { id, request, progress: Progress::default(), last_heard: dom::now(), cancel_at: None };
        if self.worker.timer.is_none() {
            let link = ctx.link().clone();
            self.worker.timer = Some(Interval::new(CHECK_TICK_MS, move || link.send_message(Msg::CheckTick)));
        }
    }

    /// The worker is gone: terminate it (a fresh one serves the next check) and, if a check was
    /// running, report the death with the last figures.
    fn worker_died(&mut self, cause: Death) {
        let loaded = self.worker.handle.take().is_some_and(|h| h.is_ready());
        if let CheckStatus::Running { request, progress, .. } = std::mem::replace(&mut self.check, CheckStatus::Idle) {
            self.check = match cause {
                Death::Error(e) if !loaded => CheckStatus::Failed(format!("its worker did not start ({e})")),
                cause => CheckStatus::Died { request, progress, cause },
            };
        }
    }

    /// A cancel the worker did not answer in time: terminate it; the last figures stand.
    fn force_cancel(&mut self) {
        self.worker.handle = None;
        if let CheckStatus::Running { request, progress, .. } = std::mem::replace(&mut self.check, CheckStatus::Idle) {
            let symmetry = request.symmetry && !self.x.model().symmetric_sets().is_empty();
            let done = CheckDone { progress, footprint: Footprint::default(), symmetry, symmetry_problem: None, end: CheckEnd::Incomplete { reason: "cancelled".into() } };
            self.check = CheckStatus::Done { request, done };
        }
    }

    fn check_tick(&mut self) -> bool {
        let now = dom::now();
        let CheckStatus::Running { last_heard, cancel_at, .. } = &self.check else {
            self.worker.timer = None;
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

    fn worker_message(&mut self, msg: FromWorker) {
        let running = match &self.check {
            CheckStatus::Running { id, .. } => Some(*id),
            _ => None,
        };
        let (id, ok) = match &msg {
            FromWorker::Ready => return,
            FromWorker::Progress { id, .. } | FromWorker::Done { id, .. } | FromWorker::Failed { id, .. } => (Some(*id), true),
            FromWorker::Panicked { id, .. } => (*id, false),
        };
        if !ok {
            // A worker that panicked is unusable, running or not.
            let FromWorker::Panicked { message, .. } = msg else { return };
            if running.is_some() && (id.is_none() || id == running) {
                self.worker_died(Death::Error(message));
            } else {
                self.worker.handle = None;
            }
            return;
        }
        if id != running {
            return; // about a check the page no longer waits for
        }
        if let CheckStatus::Running { last_heard, .. } = &mut self.check {
            *last_heard = dom::now();
        }
        match msg {
            FromWorker::Progress { progress: p, .. } => {
                if let CheckStatus::Running { progress, .. } = &mut self.check {
                    *progress = p;
                }
            }
            FromWorker::Done { done, .. } => {
                let CheckStatus::Running { request, .. } = std::mem::replace(&mut self.check, CheckStatus::Idle) else { return };
                // A wasm memory never shrinks: a worker that grew large is let go, which gives its
                // memory back and starts the next check's ceiling from a fresh worker.
                if done.footprint.peak_memory_bytes.is_some_and(|b| b > RECYCLE_WORKER_BYTES) {
                    self.worker.handle = None;
                }
                let violation = matches!(done.end, CheckEnd::Violation { .. });
                self.check = CheckStatus::Done { request, done };
                if violation {
                    self.stop_play();
                    self.load_counterexample();
                }
            }
            FromWorker::Failed { message, .. } => self.check = CheckStatus::Failed(message),
            FromWorker::Ready | FromWorker::Panicked { .. } => {}
        }
    }

    fn sync_hash(&mut self) {
        // While a link or file is still being opened, the address bar keeps what the user gave.
        if self.playing || self.x.work_in_progress().is_some() {
            return;
        }
        let hash = self.x.link().encode();
        if hash != self.last_hash {
            dom::replace_hash(&hash);
            self.last_hash = hash;
        }
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
            Some(mib) if mib > MAX_MEMORY_MIB => return Err(format!("Max memory (MiB) can be at most {MAX_MEMORY_MIB}: a wasm worker's memory cannot pass 4 GiB")),
            mib => mib.map(|m| m * 1024 * 1024),
        };
        let m = self.x.model();
        Ok(CheckRequest {
            model: m.info().name.to_string(),
            config: m.config().name.to_string(),
            constants: m.constants().to_pairs(),
            symmetry: self.form.symmetry,
            deadlock: self.form.deadlock,
            max_states,
            max_seconds,
            max_memory,
        })
    }

    fn load_counterexample(&mut self) {
        let CheckStatus::Done { request, done } = &self.check else { return };
        let CheckEnd::Violation { init, labels, name, .. } = &done.end else { return };
        let m = self.x.model();
        if request.model != m.info().name || request.config != m.config().name || request.constants != m.constants().to_pairs() {
            self.x.notify_error("That counterexample belongs to other settings than the ones shown; run the check again.");
            return;
        }
        let (init, labels, name) = (*init, labels.clone(), name.clone());
        let at = labels.len();
        if let Err(e) = self.x.load_trace(init, &labels, at, &format!("Shortest counterexample to {name}")) {
            self.x.notify_error(e);
        }
    }
}

/// The command a shortcut key stands for (the footer lists them).
fn key_command(key: &str) -> Option<Msg> {
    Some(match key {
        "r" | "R" | "n" => Msg::RandomStep,
        "ArrowLeft" | "h" => Msg::Back,
        "ArrowRight" | "l" => Msg::Forward,
        " " | "p" => Msg::TogglePlay,
        "Home" => Msg::GoTo(0),
        "End" => Msg::GoTo(usize::MAX),
        "u" => Msg::UndoFork,
        _ => return None,
    })
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let hash = dom::hash();
        let x = if hash.trim_start_matches('#').is_empty() { Explorer::new() } else { Explorer::from_link(&hash) };
        let dark = dom::initial_dark();
        dom::set_theme(dark);
        let link = ctx.link().clone();
        // Not passive: a key the app handles must not also scroll the page (Space, Home, End,
        // arrows), and only the listener itself can prevent that, synchronously.
        let keys = EventListener::new_with_options(&dom::document(), "keydown", EventListenerOptions::enable_prevent_default(), move |e| {
            let e: &KeyboardEvent = wasm_bindgen::JsCast::unchecked_ref(e);
            if dom::typing_in_field(e) || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            if let Some(msg) = key_command(&e.key()) {
                e.prevent_default();
                link.send_message(msg);
            }
        });
        let link = ctx.link().clone();
        let hashes = EventListener::new(&dom::window(), "hashchange", move |_| link.send_message(Msg::HashChanged));
        App {
            seed_text: x.seed().to_string(),
            x,
            seed_error: None,
            playing: false,
            speed: 3,
            play_timer: None,
            check: CheckStatus::Idle,
            form: CheckForm::new(),
            worker: CheckRunner::default(),
            dark,
            last_hash: String::new(),
            fading: Vec::new(),
            work_timer: None,
            hash_timer: None,
            canvas: NodeRef::default(),
            import_input: NodeRef::default(),
            _listeners: vec![keys, hashes],
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        // A command that changes what is explored ends a long replay still under way (the
        // explorer stays as it was before that replay began).
        let leaves_work_alone = matches!(
            msg,
            Msg::Work | Msg::CancelWork | Msg::SyncHash | Msg::DismissNotice(_) | Msg::DismissComparison | Msg::Worker(_) | Msg::Copied(_) | Msg::ToggleTheme | Msg::HashChanged
        );
        if !leaves_work_alone && self.x.work_in_progress().is_some() {
            self.x.cancel_work();
        }
        match msg {
            Msg::SelectModel(name) => {
                self.stop_play();
                self.cancel_check();
                self.check = CheckStatus::Idle;
                if let Err(e) = self.x.select_model(&name) {
                    self.x.notify_error(e);
                }
            }
            Msg::SelectConfig(name) => {
                self.stop_play();
                self.cancel_check();
                self.check = CheckStatus::Idle;
                if let Err(e) = self.x.select_config(&name) {
                    self.x.notify_error(e);
                }
            }
            Msg::EditConst(name, text) => {
                let before = self.x.model().constants().clone();
                self.x.edit_constant(&name, &text);
                if &before != self.x.model().constants() {
                    self.stop_play();
                    self.cancel_check();
                    self.check = CheckStatus::Idle;
                }
            }
            Msg::Take(label) => {
                if let Err(e) = self.x.take(&label) {
                    self.x.notify_error(e);
                }
            }
            Msg::Back => {
                self.stop_play();
                self.x.back();
            }
            Msg::Forward => {
                self.x.forward();
            }
            Msg::GoTo(i) => {
                self.stop_play();
                self.x.go_to(i);
            }
            Msg::RandomStep => {
                if self.x.random_step().is_none() {
                    self.x.notify_info("No action is enabled here.");
                }
            }
            Msg::UndoFork => {
                self.x.undo_fork();
            }
            Msg::Reset => {
                self.stop_play();
                self.x.reset();
            }
            Msg::RestorePrevious => {
                self.stop_play();
                self.x.restore_previous();
            }
            Msg::SeedInput(text) => {
                self.seed_text = text.clone();
                self.seed_error = self.x.set_seed(&text).err();
            }
            Msg::ToggleStopAtViolation => self.x.stop_at_violation = !self.x.stop_at_violation,
            Msg::TogglePlay => {
                if self.playing {
                    self.stop_play();
                } else {
                    self.start_play(ctx);
                }
            }
            Msg::SetSpeed(i) => {
                self.speed = i.min(SPEEDS.len() - 1);
                if self.playing {
                    self.start_play(ctx);
                }
            }
            Msg::PlayTick => {
                if self.playing {
                    self.play_tick();
                }
            }
            Msg::DismissNotice(i) => self.x.dismiss_notice(i),
            Msg::DismissComparison => self.x.dismiss_comparison(),
            Msg::CheckSymmetry(on) => self.form.symmetry = on,
            Msg::CheckDeadlock(on) => self.form.deadlock = on,
            Msg::CheckMaxStates(t) => {
                self.form.max_states = t;
                self.form.error = self.request().err();
            }
            Msg::CheckMaxSeconds(t) => {
                self.form.max_seconds = t;
                self.form.error = self.request().err();
            }
            Msg::CheckMaxMemory(t) => {
                self.form.max_memory = t;
                self.form.error = self.request().err();
            }
            Msg::StartCheck => self.start_check(ctx),
            Msg::CancelCheck => self.cancel_check(),
            Msg::RerunWithoutSymmetry => {
                self.form.symmetry = false;
                self.start_check(ctx);
            }
            Msg::Worker(m) => self.worker_message(m),
            Msg::WorkerDied(generation, message) => {
                if generation != self.worker.generation || self.worker.handle.is_none() {
                    return false;
                }
                self.worker_died(Death::Error(message));
            }
            Msg::CheckTick => return self.check_tick(),
            Msg::LoadCounterexample => self.load_counterexample(),
            Msg::HashChanged => {
                let hash = dom::hash();
                let h = hash.trim_start_matches('#');
                if h != self.last_hash && !h.is_empty() {
                    self.stop_play();
                    self.cancel_check();
                    self.check = CheckStatus::Idle;
                    self.x = Explorer::from_link(h);
                    self.seed_text = self.x.seed().to_string();
                    self.last_hash = h.to_string();
                }
            }
            Msg::ToggleTheme => {
                self.dark = !self.dark;
                dom::set_theme(self.dark);
                dom::store_theme(self.dark);
            }
            Msg::Export => {
                let name = format!("{}-{}-trace.json", self.x.model().info().name, self.x.model().config().name);
                if let Err(e) = dom::download(&name, &self.x.export_trace()) {
                    self.x.notify_error(format!("Could not export the trace: {e}"));
                }
                return false;
            }
            Msg::ImportText(text) => {
                self.stop_play();
                match self.x.import_trace(&text) {
                    Ok(()) => self.seed_text = self.x.seed().to_string(),
                    Err(e) => self.x.notify_error(format!("Could not import: {e}")),
                }
            }
            Msg::ImportFailed(e) => self.x.notify_error(format!("Could not read the file: {e}")),
            Msg::Work => {
                self.work_timer = None;
                self.x.work(web_time::Duration::from_millis(12));
            }
            Msg::CancelWork => {
                self.x.cancel_work();
            }
            Msg::SyncHash => {
                self.hash_timer = None;
                self.sync_hash();
                return false;
            }
            Msg::CopyLink => {
                self.sync_hash();
                let link = ctx.link().clone();
                dom::copy_to_clipboard(&dom::href(), move |r| link.send_message(Msg::Copied(r)));
                return false;
            }
            Msg::Copied(Ok(())) => self.x.notify_info("Link copied: it reopens this trace at this step."),
            Msg::Copied(Err(why)) => self.x.notify_error(format!("The link was not copied: {why}. Copy it by hand: {}", dom::href())),
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first: bool) {
        if first {
            self.sync_hash();
        } else if !self.playing {
            let link = ctx.link().clone();
            self.hash_timer = Some(Timeout::new(HASH_DELAY_MS, move || link.send_message(Msg::SyncHash)));
        }
        self.schedule_fades(ctx);
        // A long replay goes on a slice per frame, leaving the page to paint and take clicks.
        if self.x.work_in_progress().is_some() && self.work_timer.is_none() {
            let link = ctx.link().clone();
            self.work_timer = Some(Timeout::new(0, move || link.send_message(Msg::Work)));
        }
        let levels = match &self.check {
            CheckStatus::Running { progress, .. } => Some(&progress.levels),
            CheckStatus::Done { done, .. } => Some(&done.progress.levels),
            CheckStatus::Died { progress, .. } => Some(&progress.levels),
            _ => None,
        };
        if let (Some(levels), Some(canvas)) = (levels, self.canvas.cast::<HtmlCanvasElement>()) {
            if let Err(e) = chart::draw_levels(&canvas, levels, self.dark) {
                gloo::console::warn!(format!("chart: {e}"));
            }
        }
        dom::scroll_current_step_into_view();
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        html! {
            <div class="app">
                { self.header(ctx) }
                { self.notices(ctx) }
                <main class="layout">
                    <aside class="col-left">
                        { self.play_panel(ctx) }
                        { self.actions_panel(ctx) }
                        { self.constants_panel(ctx) }
                    </aside>
                    <section class="col-center">
                        { self.view_panel() }
                        { self.timeline_panel(ctx) }
                        { self.inspector_panel() }
                    </section>
                    <aside class="col-right">
                        { self.invariants_panel(ctx) }
                        { self.check_panel(ctx) }
                    </aside>
                </main>
                <footer class="footer">
                    <span>{ "Keys: " }<kbd>{"r"}</kbd>{" random step · "}<kbd>{"←"}</kbd><kbd>{"→"}</kbd>{" back / forward · "}<kbd>{"space"}</kbd>{" play / pause · "}<kbd>{"u"}</kbd>{" undo fork · "}<kbd>{"Home"}</kbd><kbd>{"End"}</kbd></span>
                    <span>{ format!("{} — source: {}", self.x.model().info().title, self.x.model().info().source) }</span>
                </footer>
            </div>
        }
    }
}

// ---- Panels ----

impl App {
    fn header(&self, ctx: &Context<Self>) -> Html {
        let m = self.x.model();
        let info = m.info();
        let infos = catalogue::infos();
        let on_model = ctx.link().callback(|e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            Msg::SelectModel(s.value())
        });
        let config = m.config();
        html! {
            <header class="header">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{"⟳"}</span>
                    <span class="title">{"Protocol Explorer"}</span>
                </div>
                <label class="model-picker">
                    <span class="label">{"Model"}</span>
                    <select data-testid="model-picker" onchange={on_model} aria-label="Model">
                        { for infos.iter().map(|i| html! {
                            <option value={i.name} selected={i.name == info.name}>{ format!("{} — {}", i.name, i.title) }</option>
                        }) }
                    </select>
                    <span class="story" data-testid="model-story">{ info.story }</span>
                </label>
                <div class="config-switch" role="group" aria-label="Configuration">
                    <div class="segments">
                        { for info.configs.iter().map(|c| {
                            let name = c.name.to_string();
                            let active = c.name == config.name;
                            let class = classes!("segment", active.then_some("active"), c.expect.map(|_| "gap"));
                            html! {
                                <button class={class} data-testid={format!("config-{}", c.name)} title={c.summary}
                                        onclick={ctx.link().callback(move |_| Msg::SelectConfig(name.clone()))}>
                                    { c.name }
                                </button>
                            }
                        }) }
                    </div>
                    <div class="config-summary" data-testid="config-summary">
                        { config.summary }
                        if let Some(e) = config.expect {
                            <span class="expect">{ format!(" Expected to break: {e}.") }</span>
                        }
                    </div>
                </div>
                <div class="header-tools">
                    <button class="ghost" data-testid="copy-link" onclick={ctx.link().callback(|_| Msg::CopyLink)} title="Copy a link to this exact step">{"Copy link"}</button>
                    <button class="ghost" data-testid="theme" onclick={ctx.link().callback(|_| Msg::ToggleTheme)} title="Light or dark theme">
                        { if self.dark { "☀ Light" } else { "☾ Dark" } }
                    </button>
                </div>
            </header>
        }
    }

    fn notices(&self, ctx: &Context<Self>) -> Html {
        let notices = self.x.notices();
        let comparison = self.x.comparison();
        html! {
            <div class="notices">
                if let Some((what, done, all)) = self.x.work_in_progress() {
                    <div class="notice info work" data-testid="work-progress" role="status">
                        <span>{ format!("{what}… {}%", if all == 0 { 100 } else { done * 100 / all }) }</span>
                        <div class="progress small"><div class="bar" style={format!("width: {:.1}%", if all == 0 { 100.0 } else { done as f64 * 100.0 / all as f64 })}></div></div>
                        <button class="link" data-testid="work-cancel" onclick={ctx.link().callback(|_| Msg::CancelWork)}>{"Cancel"}</button>
                    </div>
                }
                { for notices.iter().map(|n| {
                    let kind = match n.kind { NoticeKind::Info => "info", NoticeKind::Warning => "warning", NoticeKind::Error => "error" };
                    let id = n.id;
                    html! {
                        <div class={classes!("notice", kind)} data-testid={format!("notice-{kind}")} role={if kind == "error" { "alert" } else { "status" }}>
                            <span>{ n.text.clone() }</span>
                            <button class="close" aria-label="Dismiss" onclick={ctx.link().callback(move |_| Msg::DismissNotice(id))}>{"×"}</button>
                        </div>
                    }
                }) }
                if let Some(c) = comparison {
                    <div class="notice compare" data-testid="comparison">
                        <span><strong>{ format!("{} → {}: ", c.from, c.to) }</strong>{ c.summary() }</span>
                        if let Some((step, _)) = &c.divergence.verdicts_differ {
                            <button class="link" onclick={ctx.link().callback({ let s = *step; move |_| Msg::GoTo(s) })}>{ format!("go to step {step}") }</button>
                        }
                        <button class="close" aria-label="Dismiss" onclick={ctx.link().callback(|_| Msg::DismissComparison)}>{"×"}</button>
                    </div>
                }
            </div>
        }
    }

    fn play_panel(&self, ctx: &Context<Self>) -> Html {
        let speed = SPEEDS[self.speed];
        let speed_label = if speed == 0 { "max".to_string() } else { format!("{speed}/s") };
        html! {
            <div class="card play">
                <h2>{"Random play"}</h2>
                <div class="row">
                    <button class="primary" data-testid="play" onclick={ctx.link().callback(|_| Msg::TogglePlay)}>
                        { if self.playing { "❚❚ Pause" } else { "▶ Play" } }
                    </button>
                    <button data-testid="random-step" onclick={ctx.link().callback(|_| Msg::RandomStep)} title="One random step (r)">{"Random step"}</button>
                </div>
                <label class="field">
                    <span>{"Seed"}</span>
                    <input data-testid="seed" type="text" inputmode="numeric" value={self.seed_text.clone()}
                           class={classes!(self.seed_error.is_some().then_some("invalid"))}
                           oninput={ctx.link().callback(|e: InputEvent| { let i: HtmlInputElement = e.target_unchecked_into(); Msg::SeedInput(i.value()) })} />
                </label>
                if let Some(e) = &self.seed_error { <div class="field-error" data-testid="seed-error">{ e.clone() }</div> }
                <label class="field">
                    <span>{ format!("Speed {speed_label}") }</span>
                    <input data-testid="speed" type="range" min="0" max={(SPEEDS.len() - 1).to_string()} value={self.speed.to_string()}
                           oninput={ctx.link().callback(|e: InputEvent| { let i: HtmlInputElement = e.target_unchecked_into(); Msg::SetSpeed(i.value().parse().unwrap_or(3)) })} />
                </label>
                <label class="checkbox">
                    <input type="checkbox" data-testid="stop-at-violation" checked={self.x.stop_at_violation}
                           onchange={ctx.link().callback(|_| Msg::ToggleStopAtViolation)} />
                    {" Stop at the first violation"}
                </label>
            </div>
        }
    }

    fn actions_panel(&self, ctx: &Context<Self>) -> Html {
        let (choices, disabled) = self.x.actions();
        let outside = self.x.session().outside_constraint();
        html! {
            <div class="card actions">
                <h2>{"Enabled actions"}<span class="count">{ choices.len() }</span></h2>
                if outside {
                    <p class="muted">{"This state is outside the model's state constraint: the checker does not explore beyond it, and neither does stepping."}</p>
                } else if choices.is_empty() {
                    <p class="muted">{"No action is enabled: a deadlock (the checker reports it only when asked)."}</p>
                }
                <ul class="action-list" data-testid="actions">
                    { for choices.iter().map(|c| {
                        let label = c.label.clone();
                        html! {
                            <li><button class="action" data-action={c.label.clone()} onclick={ctx.link().callback(move |_| Msg::Take(label.clone()))}>{ c.label.clone() }</button></li>
                        }
                    }) }
                    { for disabled.iter().map(|f| html! {
                        <li><button class="action disabled" disabled=true title="not enabled in this state">{ *f }</button></li>
                    }) }
                </ul>
            </div>
        }
    }

    fn constants_panel(&self, ctx: &Context<Self>) -> Html {
        html! {
            <div class="card constants">
                <h2>{"Constants"}</h2>
                { for self.x.fields().iter().map(|f| {
                    let name = f.spec.name.to_string();
                    html! {
                        <label class="field">
                            <span title={f.spec.doc}>{ f.spec.name }</span>
                            <input type="text" data-testid={format!("const-{}", f.spec.name)} value={f.text.clone()}
                                   class={classes!(f.error.is_some().then_some("invalid"))} title={f.spec.doc}
                                   oninput={ctx.link().callback(move |e: InputEvent| { let i: HtmlInputElement = e.target_unchecked_into(); Msg::EditConst(name.clone(), i.value()) })} />
                            if let Some(e) = &f.error { <span class="field-error" data-testid={format!("const-error-{}", f.spec.name)}>{ e.clone() }</span> }
                        </label>
                    }
                }) }
            </div>
        }
    }

    fn view_panel(&self) -> Html {
        let name = self.x.model().info().name;
        let drawing = self.x.drawing();
        html! {
            <div class="card view" data-testid="view">
                <h2>{ views::view_name(name) }<span class="muted">{ format!(" · step {}", self.x.session().cursor()) }</span></h2>
                if let Some(d) = drawing {
                    <div class="view-scroll">{ svg::render(&d) }</div>
                    <ul class="caption" data-testid="caption">
                        { for d.caption.iter().map(|c| html! { <li>{ c.clone() }</li> }) }
                    </ul>
                } else {
                    <p class="muted">{"This model has no picture yet; the inspector below shows its state."}</p>
                }
                if let Some((title, d, window)) = self.x.trace_drawing() {
                    <h3 class="subhead">
                        { title }
                        if window.len() < self.x.session().len() {
                            <span class="muted small" data-testid="trace-view-window">{ format!(" · steps {}–{} of {}", window.start, window.end - 1, self.x.session().len() - 1) }</span>
                        }
                    </h3>
                    <div class="trace-drawing" data-testid="trace-view">{ svg::render(&d) }</div>
                }
            </div>
        }
    }

    fn timeline_panel(&self, ctx: &Context<Self>) -> Html {
        let s = self.x.session();
        let n = s.len();
        let cursor = s.cursor();
        let window = trace_window(n, cursor, TIMELINE_WINDOW);
        let start = window.start;
        let entries = self.x.timeline(window);
        let first_bad = self.x.first_violation();
        let divergence = self.x.comparison().and_then(|c| c.divergence.verdicts_differ.as_ref().map(|d| d.0));
        html! {
            <div class="card timeline">
                <h2>
                    {"Timeline"}
                    <span class="muted" data-testid="step-counter">{ format!(" step {cursor} of {}", n - 1) }</span>
                </h2>
                <div class="row timeline-tools">
                    <button data-testid="back" onclick={ctx.link().callback(|_| Msg::Back)} disabled={cursor == 0} title="Back (←)">{"◀ Back"}</button>
                    <button data-testid="forward" onclick={ctx.link().callback(|_| Msg::Forward)} disabled={cursor + 1 >= n} title="Forward (→)">{"Forward ▶"}</button>
                    <button data-testid="undo-fork" onclick={ctx.link().callback(|_| Msg::UndoFork)} disabled={!s.can_undo_fork()} title="Bring back the future the last fork dropped (u)">{"Undo fork"}</button>
                    <button data-testid="restore" onclick={ctx.link().callback(|_| Msg::RestorePrevious)} disabled={!self.x.can_restore_previous()} title="Bring back the trace that was replaced">{"Restore previous"}</button>
                    <button data-testid="reset" onclick={ctx.link().callback(|_| Msg::Reset)} title="Start over from the initial state">{"Reset"}</button>
                    <button data-testid="export" onclick={ctx.link().callback(|_| Msg::Export)} title="Download the trace (JSON; pex replay reads it)">{"Export"}</button>
                    <label class="button" title="Open a trace file">
                        {"Import"}
                        <input type="file" accept=".json,application/json" data-testid="import" ref={self.import_input.clone()} hidden=true
                               onchange={{
                                   let link = ctx.link().clone();
                                   Callback::from(move |e: Event| {
                                       let input: HtmlInputElement = e.target_unchecked_into();
                                       if let Some(file) = input.files().and_then(|f| f.get(0)) {
                                           let link = link.clone();
                                           let reader = gloo::file::callbacks::read_as_text(&gloo::file::File::from(file), move |r| match r {
                                               Ok(text) => link.send_message(Msg::ImportText(text)),
                                               Err(e) => link.send_message(Msg::ImportFailed(e.to_string())),
                                           });
                                           // Dropping the reader would abort the read; it is freed by the browser once done.
                                           std::mem::forget(reader);
                                       }
                                       input.set_value("");
                                   })
                               }} />
                    </label>
                </div>
                if n > TIMELINE_WINDOW {
                    <input class="scrub" type="range" min="0" max={(n - 1).to_string()} value={cursor.to_string()} data-testid="scrub"
                           oninput={ctx.link().callback(|e: InputEvent| { let i: HtmlInputElement = e.target_unchecked_into(); Msg::GoTo(i.value().parse().unwrap_or(0)) })} />
                }
                <ol class="steps" data-testid="timeline" start={start.to_string()}>
                    { for entries.iter().map(|e| {
                        let i = e.index;
                        let class = classes!(
                            "step",
                            (i == cursor).then_some("current"),
                            e.bad.then_some("bad"),
                            (first_bad.as_ref().map(|f| f.0) == Some(i)).then_some("first-bad"),
                            (divergence == Some(i)).then_some("diverge"),
                            (i > cursor).then_some("future"),
                        );
                        html! {
                            <li class={class} data-step={i.to_string()}>
                                <button onclick={ctx.link().callback(move |_| Msg::GoTo(i))} title={e.label.clone()}>
                                    <span class="idx">{ i }</span>{ e.label.clone() }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            </div>
        }
    }

    fn inspector_panel(&self) -> Html {
        let rows = self.x.state_tree();
        html! {
            <div class="card inspector">
                <h2>{"State"}<span class="muted">{" · changed by the last step in colour"}</span></h2>
                <div class="tree" data-testid="inspector">
                    { for rows.iter().map(|r| {
                        let class = classes!("tree-row", r.changed.then_some("changed"), r.inner_change.then_some("inner-change"), r.leaf.then_some("leaf"));
                        html! {
                            <div class={class} data-path={r.path.clone()} style={format!("padding-left: {}rem", 0.4 + r.depth as f64 * 1.1)}>
                                <span class="key">{ r.key.clone() }</span>
                                <span class="eq">{" = "}</span>
                                <span class="val">{ r.text.clone() }</span>
                            </div>
                        }
                    }) }
                </div>
            </div>
        }
    }

    fn invariants_panel(&self, ctx: &Context<Self>) -> Html {
        let rows = self.x.property_rows();
        html! {
            <div class="card invariants">
                <h2>{"Invariants"}</h2>
                <ul class="props" data-testid="invariants">
                    { for rows.iter().map(|r| {
                        let state = match r.holds_now { Some(true) => "ok", Some(false) => "bad", None => "na" };
                        html! {
                            <li class={classes!("prop", state)} data-prop={r.name.clone()}>
                                <span class="lamp" aria-hidden="true"></span>
                                <span class="name">{ r.name.clone() }</span>
                                if r.action { <span class="tag">{"step"}</span> }
                                if let Some(why) = r.by_construction {
                                    <span class="tag by-construction" data-testid="by-construction" title={why}>{"by construction"}</span>
                                    <span class="why muted small">{ why }</span>
                                }
                                if let Some(step) = r.first_broken {
                                    <button class="link first-broken" onclick={ctx.link().callback(move |_| Msg::GoTo(step))} title="Jump to the step where it first fails">
                                        { format!("broke at step {step}") }
                                    </button>
                                }
                            </li>
                        }
                    }) }
                </ul>
                if let Some(e) = self.x.model().config().expect {
                    <p class="muted small">{ format!("This configuration is expected to break {e}.") }</p>
                }
            </div>
        }
    }

    fn check_panel(&self, ctx: &Context<Self>) -> Html {
        let running = matches!(self.check, CheckStatus::Running { .. });
        let cancelling = matches!(self.check, CheckStatus::Running { cancel_at: Some(_), .. });
        let sym = !self.x.model().symmetric_sets().is_empty();
        let figures = |p: &Progress| {
            html! {
                <dl class="figures" data-testid="check-figures">
                    <dt>{"distinct"}</dt><dd data-testid="check-distinct">{ p.distinct }</dd>
                    <dt>{"generated"}</dt><dd>{ p.generated }</dd>
                    <dt>{"depth"}</dt><dd data-testid="check-depth">{ p.depth }</dd>
                    <dt>{"queue"}</dt><dd>{ p.queue }</dd>
                    <dt>{"time"}</dt><dd>{ format!("{:.2} s", p.seconds) }</dd>
                    <dt>{"states/s"}</dt><dd>{ format!("{:.0}", p.states_per_second()) }</dd>
                </dl>
            }
        };
        let mib = |b: u64| format!("{:.0} MiB", b as f64 / 1048576.0);
        let body = match &self.check {
            CheckStatus::Idle => html! { <p class="muted">{"Explore every reachable state breadth-first, off the page's thread. A violation loads its shortest counterexample into the timeline."}</p> },
            CheckStatus::Failed(e) => html! { <div class="notice error" data-testid="check-failed">{ format!("The check could not run: {e}") }</div> },
            CheckStatus::Running { progress, .. } => {
                let frac = if progress.distinct + progress.queue > 0 { progress.distinct as f64 / (progress.distinct + progress.queue) as f64 } else { 0.0 };
                html! {
                    <>
                        <div class="progress" data-testid="check-progress" title="share of found states already expanded">
                            <div class="bar" style={format!("width: {:.1}%", frac * 100.0)}></div>
                        </div>
                        { figures(progress) }
                    </>
                }
            }
            CheckStatus::Died { request, progress, cause } => {
                let at = format!("at {}, depth {}", count(progress.distinct, "state"), progress.depth);
                let (what, detail) = match cause {
                    Death::Error(e) => (format!("The check's worker died (out of memory?) {at}: set a bound or smaller constants."), format!(" · worker error: {e}")),
                    Death::Silent => (format!("The check's worker stopped answering {at} and was stopped: set a bound or smaller constants."), String::new()),
                };
                html! {
                    <>
                        <div class="verdict bad" data-testid="check-died" role="alert">{ what }</div>
                        { figures(progress) }
                        <p class="muted small verdict-detail">{ format!("{}/{}{detail} · a fresh worker runs the next check", request.model, request.config) }</p>
                    </>
                }
            }
            CheckStatus::Done { done, request } => {
                let unsound = done.symmetry && done.symmetry_problem.is_some();
                let verdict = match &done.end {
                    CheckEnd::Ok if unsound => html! {
                        <div class="verdict warn" data-testid="check-result">
                            { format!("No violation found under the {} symmetry reduction, which the audit found unsound.", unsound_sets(done.symmetry_problem.as_deref().unwrap_or_default())) }
                            <button class="link" data-testid="check-rerun-no-symmetry" disabled={running} onclick={ctx.link().callback(|_| Msg::RerunWithoutSymmetry)}>{"Run without symmetry"}</button>
                        </div>
                    },
                    CheckEnd::Ok => html! { <div class="verdict ok" data-testid="check-result">{"No error: every reachable state satisfies every invariant."}</div> },
                    CheckEnd::Violation { kind, name, labels, .. } => {
                        let what = match kind.as_str() {
                            "deadlock" => html! { {"Deadlock reached: no action is enabled"} },
                            "action-property" => html! { <>{"Action property "}{ breakable(name) }{" is violated"}</> },
                            _ => html! { <>{"Invariant "}{ breakable(name) }{" is violated"}</> },
                        };
                        html! {
                            <div class="verdict bad" data-testid="check-result">
                                { what }{ format!("; shortest counterexample: {}.", count(labels.len() as u64 + 1, "state")) }
                                <button class="link" onclick={ctx.link().callback(|_| Msg::LoadCounterexample)}>{"load it again"}</button>
                            </div>
                        }
                    }
                    CheckEnd::Incomplete { reason } if reason == "memory" => html! {
                        <div class="verdict warn" data-testid="check-result">
                            { format!("Stopped at the memory ceiling at {} ({}): set a bound or smaller constants.", count(done.progress.distinct, "state"),
                                      done.footprint.peak_memory_bytes.or(request.max_memory).map(mib).unwrap_or_default()) }
                        </div>
                    },
                    CheckEnd::Incomplete { reason } => html! { <div class="verdict warn" data-testid="check-result">{ format!("Stopped early ({reason}): the figures cover the states explored so far.") }</div> },
                };
                html! {
                    <>
                        { verdict }
                        if let Some(problem) = &done.symmetry_problem {
                            <div class="notice warning small" data-testid="symmetry-warning">
                                { format!("Symmetry warning: {problem}. The distinct count below is of classes under a symmetry that does not hold; check without symmetry for the true count.") }
                            </div>
                        }
                        { figures(&done.progress) }
                        if done.footprint.bytes_per_state > 0.0 {
                            <p class="muted small">
                                { format!("{}/{} · {:.1} bytes per stored state{} · collision chance {:.1e}{}", request.model, request.config, done.footprint.bytes_per_state,
                                          done.footprint.peak_memory_bytes.map(|b| format!(" · worker memory {}", mib(b))).unwrap_or_default(),
                                          done.footprint.collision_probability,
                                          if done.symmetry { " · counts are classes under symmetry" } else { "" }) }
                            </p>
                        }
                    </>
                }
            }
        };
        let show_chart = !matches!(self.check, CheckStatus::Idle | CheckStatus::Failed(_));
        html! {
            <div class="card check">
                <h2>{"Exhaustive check"}</h2>
                <div class="row">
                    if running {
                        <button class="danger" data-testid="check-cancel" disabled={cancelling} onclick={ctx.link().callback(|_| Msg::CancelCheck)}>{ if cancelling { "Cancelling…" } else { "Cancel" } }</button>
                        <span class="spinner" aria-label="running"></span>
                    } else {
                        <button class="primary" data-testid="check-run" onclick={ctx.link().callback(|_| Msg::StartCheck)}>{"Run check"}</button>
                    }
                </div>
                <div class="check-options">
                    <label class="field small">
                        <span>{"Max states"}</span>
                        <input type="text" inputmode="numeric" placeholder="no bound" data-testid="check-max-states" value={self.form.max_states.clone()} disabled={running}
                               oninput={ctx.link().callback(|e: InputEvent| { let i: HtmlInputElement = e.target_unchecked_into(); Msg::CheckMaxStates(i.value()) })} />
                    </label>
                    <label class="field small">
                        <span>{"Max seconds"}</span>
                        <input type="text" inputmode="decimal" placeholder="no bound" data-testid="check-max-seconds" value={self.form.max_seconds.clone()} disabled={running}
                               oninput={ctx.link().callback(|e: InputEvent| { let i: HtmlInputElement = e.target_unchecked_into(); Msg::CheckMaxSeconds(i.value()) })} />
                    </label>
                    <label class="field small" title="Memory ceiling: the check stops before the worker's memory would pass this many MiB (a worker that runs out of memory dies)">
                        <span>{"Memory (MiB)"}</span>
                        <input type="text" inputmode="numeric" placeholder="no ceiling" data-testid="check-max-memory" value={self.form.max_memory.clone()} disabled={running}
                               oninput={ctx.link().callback(|e: InputEvent| { let i: HtmlInputElement = e.target_unchecked_into(); Msg::CheckMaxMemory(i.value()) })} />
                    </label>
                    <label class="checkbox" title={if sym { "Reduce by the model's symmetric sets" } else { "This model declares no symmetric set" }}>
                        <input type="checkbox" checked={self.form.symmetry && sym} disabled={running || !sym}
                               onchange={ctx.link().callback({ let on = self.form.symmetry; move |_| Msg::CheckSymmetry(!on) })} />
                        {" Symmetry"}
                    </label>
                    <label class="checkbox">
                        <input type="checkbox" checked={self.form.deadlock} disabled={running}
                               onchange={ctx.link().callback({ let on = self.form.deadlock; move |_| Msg::CheckDeadlock(!on) })} />
                        {" Report deadlocks"}
                    </label>
                </div>
                if let Some(e) = &self.form.error { <div class="field-error" data-testid="check-error">{ e.clone() }</div> }
                { body }
                if show_chart {
                    <canvas class="chart" data-testid="check-chart" ref={self.canvas.clone()} width="400" height="200"></canvas>
                }
            </div>
        }
    }
}

/// "1 state", "2,000,000 states".
fn count(n: u64, noun: &str) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A long identifier that may wrap at its words: after `_` and between a lower-case letter or digit
/// and a capital (`MVCC4_NoLostCommit…`).
fn breakable(name: &str) -> Html {
    let mut parts: Vec<String> = vec![String::new()];
    let mut prev: Option<char> = None;
    for c in name.chars() {
        if prev.is_some_and(|p| p == '_' || ((p.is_lowercase() || p.is_ascii_digit()) && c.is_uppercase())) {
            parts.push(String::new());
        }
        parts.last_mut().expect("a part").push(c);
        prev = Some(c);
    }
    html! { <>{ for parts.into_iter().enumerate().map(|(i, p)| html! { <>if i > 0 { <wbr/> }{ p }</> }) }</> }
}

/// The symmetric sets an audit finding names ("permuting Groups (g1→g2, g2→g1) does not …" →
/// "Groups"), or "declared" when it names none.
fn unsound_sets(problem: &str) -> String {
    problem
        .strip_prefix("permuting ")
        .and_then(|rest| rest.split_once(" ("))
        .map(|(sets, _)| sets.to_string())
        .filter(|sets| !sets.is_empty() && sets.len() < 60)
        .unwrap_or_else(|| "declared".to_string())
}
