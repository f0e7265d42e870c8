//! The explorer: everything the web app shows and every command it accepts, as plain Rust with no
//! web dependency, so that it is tested natively. The yew layer in `ui` renders an [`Explorer`]
//! and forwards clicks and keys to its methods.
//!
//! Invariants of this type: the session always belongs to `model`; a constant field holds either
//! a valid value that `model` was built with or an error that changed nothing; no command loses
//! the user's trace without a way back (a fork can be undone, a loaded counterexample or imported
//! trace can be undone, a config switch that drops steps is reversed by switching back).

pub mod draw;
pub mod link;
pub mod views;

use crate::catalogue::{self, BuildError};
use crate::engine::{
    plural, replay, AnyState, Comparer, ConstSpec, Constants, Divergence, DynModel, ModelInfo, Replayer, Session, Steps, TraceFile, Value,
};
use link::{labels_checksum, Link};
use std::cell::RefCell;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Warning,
    Error,
}

/// A message for the user. Errors and warnings stay until dismissed; the page lets an info
/// notice fade after a few seconds ([`INFO_NOTICE_MS`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// Unique among the notices this explorer has shown (dismissal is by id, so a notice that
    /// fades cannot take another with it).
    pub id: u64,
}

impl Notice {
    fn info(text: impl Into<String>) -> Notice {
        Notice { kind: NoticeKind::Info, text: text.into(), id: 0 }
    }
    fn warning(text: impl Into<String>) -> Notice {
        Notice { kind: NoticeKind::Warning, text: text.into(), id: 0 }
    }
    fn error(text: impl Into<String>) -> Notice {
        Notice { kind: NoticeKind::Error, text: text.into(), id: 0 }
    }
}

/// How long the page shows an info notice.
pub const INFO_NOTICE_MS: u32 = 8_000;

/// The notices on screen: the newest [`Notices::MAX`], without repeats.
#[derive(Clone, Debug, Default)]
pub struct Notices {
    items: Vec<Notice>,
    next_id: u64,
}

impl Notices {
    /// At most this many notices show at once; a new one pushes out the oldest.
    pub const MAX: usize = 3;

    /// Shows `notice`, newest last; the same text shown again replaces its older copy.
    pub fn push(&mut self, mut notice: Notice) {
        self.items.retain(|n| n.text != notice.text);
        self.next_id += 1;
        notice.id = self.next_id;
        self.items.push(notice);
        if self.items.len() > Self::MAX {
            self.items.remove(0);
        }
    }

    pub fn dismiss(&mut self, id: u64) {
        self.items.retain(|n| n.id != id);
    }

    pub fn as_slice(&self) -> &[Notice] {
        &self.items
    }
}

/// A constant's input field: the text typed and, if it is not valid, why.
#[derive(Clone, Debug, PartialEq)]
pub struct ConstField {
    pub spec: ConstSpec,
    pub text: String,
    pub error: Option<String>,
}

/// What happened to the trace when the configuration was switched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    pub from: String,
    pub to: String,
    /// Steps in the trace before the switch (initial state included).
    pub steps_before: usize,
    pub divergence: Divergence,
}

impl Comparison {
    /// One or two sentences for the comparison bar.
    pub fn summary(&self) -> String {
        let d = &self.divergence;
        let mut parts = Vec::new();
        match &d.blocked {
            Some((pos, label)) => parts.push(format!(
                "Replayed under {}: the first {} carry over; step {pos}, {label}, is not enabled under {} (the trace stops there).",
                self.to,
                plural(pos - 1, "step", "steps"),
                self.to
            )),
            None if self.steps_before == 1 => parts.push(format!("The initial state is the same under {}.", self.to)),
            None => parts.push(format!("All {} replay under {}.", plural(self.steps_before - 1, "step", "steps"), self.to)),
        }
        match &d.verdicts_differ {
            Some((step, inv)) => parts.push(format!(
                "From step {step} the verdicts differ: {inv} holds under one configuration and fails under the other."
            )),
            None => parts.push("Every invariant the two share gives the same verdict at every replayed step.".to_string()),
        }
        parts.join(" ")
    }
}

/// One row of the invariants panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyRow {
    pub name: String,
    /// An action property (checked on steps) rather than an invariant (checked on states).
    pub action: bool,
    /// The verdict at the current step (`None` for an action property at the initial state).
    pub holds_now: Option<bool>,
    /// The first step of the trace where it fails.
    pub first_broken: Option<usize>,
    /// Why it cannot fail in this model, when it holds by construction (the model's types or
    /// every action's own guard make a violation unrepresentable): a green lamp that means nothing.
    pub by_construction: Option<&'static str>,
}

/// One entry of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineEntry {
    pub index: usize,
    /// The action that led here (`Init` for the initial state).
    pub label: String,
    /// Some property fails at this step.
    pub bad: bool,
}

/// One row of the state inspector: a variable or a part of one, indented by depth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeRow {
    pub depth: usize,
    /// The path the step diff uses (`ring[0].stamp`).
    pub path: String,
    pub key: String,
    /// The value as TLC prints it (containers: abbreviated when long).
    pub text: String,
    pub leaf: bool,
    /// The last step changed exactly this.
    pub changed: bool,
    /// The last step changed something inside this.
    pub inner_change: bool,
}

fn tree_rows(depth: usize, path: &str, key: &str, value: &Value, changed: &[String], out: &mut Vec<TreeRow>) {
    let text = value.to_string();
    let leaf = value.is_leaf();
    let shown = if leaf || text.chars().count() <= 56 {
        text
    } else {
        let n = value.children().len();
        match value {
            Value::Tuple(_) => format!("<< {} >>", plural(n, "item", "items")),
            Value::Record(_) => format!("[ {} ]", plural(n, "field", "fields")),
            Value::Func(_) => format!("( {} )", plural(n, "entry", "entries")),
            _ => format!("{{ {} }}", plural(n, "element", "elements")),
        }
    };
    let is_changed = changed.iter().any(|c| c == path);
    let inner = !is_changed && changed.iter().any(|c| c.len() > path.len() && c.starts_with(path) && matches!(c.as_bytes()[path.len()], b'.' | b'['));
    out.push(TreeRow { depth, path: path.to_string(), key: key.to_string(), text: shown, leaf, changed: is_changed, inner_change: inner });
    if leaf {
        return;
    }
    for (k, child) in value.children() {
        let child_path = match value {
            Value::Record(_) => format!("{path}.{k}"),
            Value::Set(_) => format!("{path}{k}"),
            _ => format!("{path}[{k}]"),
        };
        tree_rows(depth + 1, &child_path, &k, child, changed, out);
    }
}

#[derive(Clone, Debug, PartialEq)]
struct StepVerdict {
    invariants: Vec<bool>,
    properties: Vec<bool>,
}

/// Traces up to this many states are replayed at once; longer ones as a [`Job`] in slices.
pub const SYNC_REPLAY_STEPS: usize = 5_000;

/// Work that can outlast a frame, advanced a slice at a time ([`Explorer::work`]): nothing the
/// user sees changes until it ends.
enum Job {
    /// The trace replayed under a new model (a config switch or new constants) and compared.
    Switch(Switch),
    /// A trace replayed to be opened (a link or an imported file).
    Open { model: Arc<dyn DynModel>, replayer: Replayer, kind: OpenKind },
}

struct Switch {
    model: Arc<dyn DynModel>,
    comparer: Comparer,
    kind: JobKind,
    /// After the comparison, when switching back: the longer trace being restored.
    restoring: Option<(Carried, Replayer)>,
}

enum JobKind {
    Config { from: String, to: String, carried: Carried, restore: Option<Carried> },
    Constants,
}

enum OpenKind {
    /// What a link still has to say once its trace is replayed.
    Link(LinkEnd),
    Import,
}

/// The end of opening a link: the checks that need its replayed trace, and its notice.
struct LinkEnd {
    checksum: Option<u32>,
    at: usize,
    problems: Vec<String>,
    ignored: Vec<String>,
    settings_changed: bool,
}

/// A trace kept aside so that a config switch that drops steps can be reversed.
#[derive(Clone)]
struct Carried {
    config: String,
    init: usize,
    labels: Vec<String>,
    cursor: usize,
}

pub struct Explorer {
    model: Arc<dyn DynModel>,
    session: Session,
    seed: u64,
    /// Random play stops at the first step where a property fails.
    pub stop_at_violation: bool,
    fields: Vec<ConstField>,
    comparison: Option<Comparison>,
    carried: Option<Carried>,
    notices: Notices,
    /// A long replay under way (see [`Explorer::work`]).
    job: Option<Job>,
    /// What loading a counterexample or importing a trace replaced.
    previous: Option<(Arc<dyn DynModel>, Session)>,
    /// Per-step facts, valid for the session revision `cached_for` (the trace only grew since).
    cached_for: std::cell::Cell<u64>,
    verdicts: RefCell<Vec<Option<StepVerdict>>>,
    /// Position of each step's action among those enabled before it, for links.
    positions: RefCell<Vec<Option<usize>>>,
    /// The first step where each invariant, then each action property, fails, as far as the trace
    /// has been scanned: random play only appends, so each render scans just the new steps.
    scan: RefCell<Scan>,
}

#[derive(Default)]
struct Scan {
    /// Steps scanned.
    upto: usize,
    first_broken: Vec<Option<usize>>,
    /// The first step where anything fails, and what.
    first_any: Option<(usize, String)>,
}

fn fields_for(info: &ModelInfo, constants: &Constants) -> Vec<ConstField> {
    info.constants
        .iter()
        .map(|spec| ConstField {
            spec: spec.clone(),
            text: constants.get(spec.name).map(|v| v.to_string()).unwrap_or_default(),
            error: None,
        })
        .collect()
}

impl Explorer {
    /// The first model of the catalogue, safe, at its initial state.
    pub fn new() -> Explorer {
        let name = (catalogue::entries()[0].info)().name;
        Self::for_model(name).expect("the catalogue's first model builds")
    }

    pub fn for_model(name: &str) -> Result<Explorer, BuildError> {
        let model = catalogue::build(name, "safe", &[])?;
        Ok(Self::with_model(model))
    }

    fn with_model(model: Arc<dyn DynModel>) -> Explorer {
        let fields = fields_for(model.info(), model.constants());
        Explorer {
            session: Session::new(model.clone()),
            model,
            seed: 1,
            stop_at_violation: true,
            fields,
            comparison: None,
            carried: None,
            notices: Notices::default(),
            job: None,
            previous: None,
            cached_for: std::cell::Cell::new(0),
            verdicts: RefCell::new(Vec::new()),
            positions: RefCell::new(Vec::new()),
            scan: RefCell::new(Scan::default()),
        }
    }

    pub fn model(&self) -> &Arc<dyn DynModel> {
        &self.model
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn fields(&self) -> &[ConstField] {
        &self.fields
    }

    pub fn comparison(&self) -> Option<&Comparison> {
        self.comparison.as_ref()
    }

    pub fn notices(&self) -> &[Notice] {
        self.notices.as_slice()
    }

    pub fn dismiss_notice(&mut self, id: u64) {
        self.notices.dismiss(id);
    }

    pub fn dismiss_comparison(&mut self) {
        self.comparison = None;
    }

    pub fn notify_error(&mut self, text: impl Into<String>) {
        self.notices.push(Notice::error(text));
    }

    pub fn notify_info(&mut self, text: impl Into<String>) {
        self.notices.push(Notice::info(text));
    }

    pub fn can_restore_previous(&self) -> bool {
        self.previous.is_some()
    }

    // ---- Choosing what to explore ----

    /// Opens another model at its initial state (safe, default constants).
    pub fn select_model(&mut self, name: &str) -> Result<(), String> {
        if name == self.model.info().name {
            return Ok(());
        }
        let model = catalogue::build(name, "safe", &[]).map_err(|e| e.to_string())?;
        let seed = self.seed;
        let stop = self.stop_at_violation;
        *self = Self::with_model(model);
        self.seed = seed;
        self.stop_at_violation = stop;
        Ok(())
    }

    /// Starts replaying the trace under `model` (a config switch or new constants): at once for a
    /// short trace, otherwise as a [`Job`] the page advances between frames ([`Explorer::work`]).
    fn start_job(&mut self, model: Arc<dyn DynModel>, kind: JobKind) {
        let comparer = Comparer::new(self.session.trace(), model.as_ref());
        self.start(Job::Switch(Switch { model, comparer, kind, restoring: None }), self.session.len());
    }

    /// Runs `job` at once when it covers at most [`SYNC_REPLAY_STEPS`] states, otherwise leaves it
    /// for the page to advance between frames.
    fn start(&mut self, job: Job, states: usize) {
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
                    OpenKind::Import => "Opening the imported trace",
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
            Job::Switch(Switch { kind: JobKind::Config { from, to, .. }, .. }) => format!("Switching to {to} was cancelled; still showing {from}."),
            Job::Switch(_) => "The new constants were not applied: their replay was cancelled.".to_string(),
            Job::Open { kind: OpenKind::Link(_), .. } => "Opening the link's trace was cancelled; showing its settings at the initial state.".to_string(),
            Job::Open { kind: OpenKind::Import, .. } => "The import was cancelled; nothing changed.".to_string(),
        };
        self.notices.push(Notice::info(said));
        true
    }

    fn work_slice(&mut self, budget: usize) {
        match self.job.take() {
            None => {}
            Some(Job::Switch(job)) => self.switch_slice(job, budget),
            Some(Job::Open { model, mut replayer, kind }) => {
                if replayer.advance(model.as_ref(), budget) {
                    let (trace, stop) = replayer.finish();
                    match kind {
                        OpenKind::Link(end) => self.end_link(model, trace, stop, end),
                        OpenKind::Import => self.end_import(model, trace, stop),
                    }
                } else {
                    self.job = Some(Job::Open { model, replayer, kind });
                }
            }
        }
    }

    fn switch_slice(&mut self, mut job: Switch, budget: usize) {
        if let Some((_, replayer)) = &mut job.restoring {
            if replayer.advance(job.model.as_ref(), budget) {
                self.apply_switch(job);
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
        self.apply_switch(job);
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
                        self.notices.push(Notice::info(format!("Back under {to}: {} the switch had dropped {}.", plural(dropped, "step", "steps"), if dropped == 1 { "is restored" } else { "are restored" })));
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

    /// Switches configuration, replaying the trace under the new one as far as its actions stay
    /// enabled, and records where the two diverge. Switching back to the configuration the trace
    /// came from restores any steps the switch dropped. A long trace is replayed as a job (see
    /// [`Explorer::work`]).
    pub fn select_config(&mut self, config: &str) -> Result<(), String> {
        self.job = None;
        let from = self.model.config().name.to_string();
        if config == from {
            return Ok(());
        }
        let model = catalogue::build_with(self.model.info().name, config, self.model.constants()).map_err(|e| e.to_string())?;
        let labels = self.session.trace().labels();
        let restore = self
            .carried
            .take()
            .filter(|c| c.config == config && c.labels.len() > labels.len() && c.labels.starts_with(&labels));
        let carried = Carried { config: from.clone(), init: self.session.trace().init_index, labels, cursor: self.session.cursor() };
        self.start_job(model, JobKind::Config { from, to: config.to_string(), carried, restore });
        Ok(())
    }

    /// Edits a constant's field. A valid value rebuilds the model (the trace replays as far as it
    /// can); an invalid one leaves everything as it was and puts the reason beside the field.
    pub fn edit_constant(&mut self, name: &str, text: &str) {
        let Some(i) = self.fields.iter().position(|f| f.spec.name == name) else { return };
        self.fields[i].text = text.to_string();
        self.fields[i].error = None;
        let pairs: Vec<(String, String)> = self.fields.iter().map(|f| (f.spec.name.to_string(), f.text.clone())).collect();
        let constants = match Constants::build(&self.model.info().constants, &pairs) {
            Ok(c) => c,
            Err(e) => {
                if let Some(f) = self.fields.iter_mut().find(|f| f.spec.name == e.name) {
                    f.error = Some(e.message);
                }
                return;
            }
        };
        for f in &mut self.fields {
            f.error = None;
        }
        if &constants == self.model.constants() {
            return;
        }
        match catalogue::build_with(self.model.info().name, self.model.config().name, &constants) {
            Ok(model) => {
                self.job = None;
                self.start_job(model, JobKind::Constants);
            }
            Err(e) => self.fields[i].error = Some(e.to_string()),
        }
    }

    pub fn set_seed(&mut self, text: &str) -> Result<(), String> {
        let seed = text.trim().parse::<u64>().map_err(|_| format!("'{}' is not a seed: use a whole number from 0 to {}", text.trim(), u64::MAX))?;
        self.seed = seed;
        Ok(())
    }

    // ---- Stepping ----

    pub fn take(&mut self, label: &str) -> Result<(), String> {
        self.session.take(label).map_err(|e| e.to_string())
    }

    /// Takes a random enabled action (drawn from the seed and the step's position). Returns its
    /// label and the first property that fails on this step, if any.
    pub fn random_step(&mut self) -> Option<(String, Option<String>)> {
        let label = self.session.random_step(self.seed)?;
        let broken = self.broken_at(self.session.cursor());
        Some((label, broken))
    }

    pub fn back(&mut self) -> bool {
        self.session.back()
    }

    pub fn forward(&mut self) -> bool {
        self.session.forward()
    }

    pub fn go_to(&mut self, index: usize) {
        self.session.go_to(index);
    }

    pub fn undo_fork(&mut self) -> bool {
        self.session.undo_fork()
    }

    /// Starts over from the initial state (the current trace can be brought back with
    /// [`Explorer::restore_previous`]).
    pub fn reset(&mut self) {
        let fresh = Session::at_init(self.model.clone(), self.session.trace().init_index);
        self.previous = Some((self.model.clone(), std::mem::replace(&mut self.session, fresh)));
    }

    /// Replaces the trace with one given by its labels (a counterexample from the checker),
    /// keeping the current one so that it can be restored.
    pub fn load_trace(&mut self, init: usize, labels: &[String], cursor: usize, why: &str) -> Result<(), String> {
        let (trace, stop) = replay(self.model.as_ref(), init, labels);
        if let Some(stop) = stop {
            return Err(format!("{why}: {stop}"));
        }
        let session = Session::from_trace(self.model.clone(), trace, cursor);
        self.previous = Some((self.model.clone(), std::mem::replace(&mut self.session, session)));
        self.comparison = None;
        self.notices.push(Notice::info(format!("{why}: {} loaded. The previous trace can be restored.", plural(labels.len(), "step", "steps"))));
        Ok(())
    }

    /// Brings back the trace a load, import or reset replaced.
    pub fn restore_previous(&mut self) -> bool {
        let Some((model, session)) = self.previous.take() else { return false };
        self.fields = fields_for(model.info(), model.constants());
        self.model = model;
        self.session = session;
        true
    }

    /// The current trace as a trace file (JSON), as `pex replay` reads it.
    pub fn export_trace(&self) -> String {
        serde_json::to_string_pretty(&self.session.trace_file()).expect("serialisable") + "\n"
    }

    /// Opens a trace file: its model, config and constants, and the trace. Bad input changes
    /// nothing and says what is wrong.
    pub fn import_trace(&mut self, text: &str) -> Result<(), String> {
        let file = TraceFile::parse(text)?;
        let model = catalogue::build(&file.model, &file.config, &file.constants).map_err(|e| format!("trace file: {e}"))?;
        self.job = None;
        let states = file.actions.len() + 1;
        let mut replayer = Replayer::new(model.as_ref(), file.init, Steps::Labels(file.actions));
        if states > SYNC_REPLAY_STEPS {
            // A long file is opened in slices; a failure is then told in a notice.
            self.job = Some(Job::Open { model, replayer, kind: OpenKind::Import });
            return Ok(());
        }
        replayer.advance(model.as_ref(), usize::MAX);
        match replayer.finish() {
            (_, Some(stop)) => Err(format!("trace file does not replay: {stop}")),
            (trace, None) => {
                self.open_imported(model, trace);
                Ok(())
            }
        }
    }

    fn end_import(&mut self, model: Arc<dyn DynModel>, trace: crate::engine::Trace, stop: Option<crate::engine::ReplayStop>) {
        match stop {
            Some(stop) => self.notices.push(Notice::error(format!("Could not import: trace file does not replay: {stop}"))),
            None => self.open_imported(model, trace),
        }
    }

    fn open_imported(&mut self, model: Arc<dyn DynModel>, trace: crate::engine::Trace) {
        let cursor = trace.len() - 1;
        let steps = trace.len() - 1;
        let session = Session::from_trace(model.clone(), trace, cursor);
        self.previous = Some((self.model.clone(), std::mem::replace(&mut self.session, session)));
        self.fields = fields_for(model.info(), model.constants());
        self.model = model;
        self.comparison = None;
        self.carried = None;
        self.notices.push(Notice::info(format!("Imported a trace of {}. The previous trace can be restored.", plural(steps, "step", "steps"))));
    }

    // ---- What the panels show ----

    /// Drops per-step facts computed for another trace (one that was cut or replaced since).
    fn sync_caches(&self) {
        let revision = self.session.revision();
        if self.cached_for.get() != revision {
            self.cached_for.set(revision);
            self.verdicts.borrow_mut().clear();
            self.positions.borrow_mut().clear();
            *self.scan.borrow_mut() = Scan::default();
        }
    }

    fn verdict(&self, index: usize) -> StepVerdict {
        self.sync_caches();
        if let Some(Some(v)) = self.verdicts.borrow().get(index) {
            return v.clone();
        }
        let steps = &self.session.trace().steps;
        let state = &steps[index].state;
        let invariants = self.model.check_invariants(state);
        let properties = if index > 0 { self.model.check_properties(&steps[index - 1].state, state) } else { Vec::new() };
        let v = StepVerdict { invariants, properties };
        let mut cache = self.verdicts.borrow_mut();
        if cache.len() <= index {
            cache.resize(index + 1, None);
        }
        cache[index] = Some(v.clone());
        v
    }

    /// The first property failing at step `index`, if any.
    pub fn broken_at(&self, index: usize) -> Option<String> {
        let v = self.verdict(index);
        if let Some(i) = v.invariants.iter().position(|ok| !ok) {
            return Some(self.model.invariant_names()[i].to_string());
        }
        v.properties.iter().position(|ok| !ok).map(|i| self.model.property_names()[i].to_string())
    }

    /// Brings the scan of first failures up to the end of the trace.
    fn scanned(&self) -> std::cell::Ref<'_, Scan> {
        self.sync_caches();
        {
            let steps = &self.session.trace().steps;
            let names = self.model.invariant_names().len() + self.model.property_names().len();
            let mut scan = self.scan.borrow_mut();
            if scan.first_broken.len() != names {
                *scan = Scan { first_broken: vec![None; names], ..Scan::default() };
            }
            let invariants = self.model.invariant_names().len();
            for step in scan.upto..steps.len() {
                let v = self.verdict(step);
                for (i, ok) in v.invariants.iter().chain(v.properties.iter()).enumerate() {
                    if !ok && scan.first_broken[i].is_none() {
                        scan.first_broken[i] = Some(step);
                    }
                }
                if scan.first_any.is_none() {
                    if let Some(i) = v.invariants.iter().chain(v.properties.iter()).position(|ok| !ok) {
                        let name = if i < invariants {
                            self.model.invariant_names()[i]
                        } else {
                            self.model.property_names()[i - invariants]
                        };
                        scan.first_any = Some((step, name.to_string()));
                    }
                }
            }
            scan.upto = steps.len();
        }
        self.scan.borrow()
    }

    /// Every invariant and action property with its verdict now and the step where it first fails.
    pub fn property_rows(&self) -> Vec<PropertyRow> {
        let now = self.verdict(self.session.cursor());
        let scan = self.scanned();
        let mut rows: Vec<PropertyRow> = self
            .model
            .invariant_names()
            .iter()
            .enumerate()
            .map(|(i, name)| PropertyRow {
                name: name.to_string(),
                action: false,
                holds_now: Some(now.invariants[i]),
                first_broken: scan.first_broken[i],
                by_construction: self.model.by_construction().iter().find(|(n, _)| n == name).map(|(_, why)| *why),
            })
            .collect();
        let invariants = rows.len();
        rows.extend(self.model.property_names().iter().enumerate().map(|(i, name)| PropertyRow {
            name: name.to_string(),
            action: true,
            holds_now: now.properties.get(i).copied(),
            first_broken: scan.first_broken[invariants + i],
            by_construction: None,
        }));
        rows
    }

    /// The first step where anything fails, and what.
    pub fn first_violation(&self) -> Option<(usize, String)> {
        self.scanned().first_any.clone()
    }

    /// Timeline entries for steps `range` (clamped to the trace).
    pub fn timeline(&self, range: std::ops::Range<usize>) -> Vec<TimelineEntry> {
        let n = self.session.len();
        let steps = &self.session.trace().steps;
        (range.start.min(n)..range.end.min(n))
            .map(|i| TimelineEntry {
                index: i,
                label: steps[i].action.clone().unwrap_or_else(|| "Init".to_string()),
                bad: self.broken_at(i).is_some(),
            })
            .collect()
    }

    /// The state at the cursor, one TLA+ value per variable.
    pub fn state_vars(&self) -> Vec<(&'static str, Value)> {
        self.model.variables().iter().copied().zip(self.model.to_tla(self.session.state())).collect()
    }

    /// The state at the cursor as rows of a tree, with what the last step changed marked.
    pub fn state_tree(&self) -> Vec<TreeRow> {
        let changed = self.changed();
        let mut rows = Vec::new();
        for (name, value) in self.state_vars() {
            tree_rows(0, name, name, &value, &changed, &mut rows);
        }
        rows
    }

    /// The paths (`ring[0].stamp`) the last step changed.
    pub fn changed(&self) -> Vec<String> {
        match self.session.previous() {
            Some(prev) => crate::engine::trace::changed_paths(self.model.as_ref(), &prev.state, self.session.state()),
            None => Vec::new(),
        }
    }

    /// The domain view of the state at the cursor.
    pub fn drawing(&self) -> Option<draw::Drawing> {
        let prev: Option<&AnyState> = self.session.previous().map(|s| &s.state);
        views::draw(self.model.as_ref(), prev, self.session.state())
    }

    /// The picture of the trace around the cursor (for models that have one), with its title and
    /// the range of steps it covers: at most [`TRACE_VIEW_WINDOW`] steps, so that its cost does not
    /// grow with the trace.
    pub fn trace_drawing(&self) -> Option<(&'static str, draw::Drawing, std::ops::Range<usize>)> {
        let steps = &self.session.trace().steps;
        let window = trace_window(steps.len(), self.session.cursor(), TRACE_VIEW_WINDOW);
        let states: Vec<&AnyState> = steps[window.clone()].iter().map(|s| &s.state).collect();
        let (title, drawing) = views::draw_trace(self.model.as_ref(), &states, self.session.cursor() - window.start)?;
        Some((title, drawing, window))
    }

    /// The enabled actions, and the action families with none enabled (shown greyed).
    pub fn actions(&self) -> (Vec<crate::engine::Choice>, Vec<&'static str>) {
        let choices = self.session.choices();
        let disabled = self.model.action_names().into_iter().filter(|f| !choices.iter().any(|c| c.family == *f)).collect();
        (choices, disabled)
    }

    // ---- Links ----

    /// The link that reopens exactly this view.
    pub fn link(&self) -> Link {
        let defaults = Constants::defaults(&self.model.info().constants);
        let constants = self
            .model
            .constants()
            .iter()
            .filter(|(k, v)| defaults.get(k) != Some(v))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let trace = self.session.trace();
        self.sync_caches();
        let mut choices = Vec::new();
        let mut cache = self.positions.borrow_mut();
        if cache.len() < trace.len() {
            cache.resize(trace.len(), None);
        }
        for (i, w) in trace.steps.windows(2).enumerate() {
            let position = match cache[i + 1] {
                Some(p) => p,
                None => {
                    let label = w[1].action.as_deref().unwrap_or_default();
                    let p = self.model.choices(&w[0].state).iter().position(|c| c.label == label).unwrap_or(0);
                    cache[i + 1] = Some(p);
                    p
                }
            };
            choices.push(position);
        }
        let labels = trace.labels();
        Link {
            model: self.model.info().name.to_string(),
            config: self.model.config().name.to_string(),
            constants,
            seed: self.seed,
            init: trace.init_index,
            checksum: if labels.is_empty() { None } else { Some(labels_checksum(&labels)) },
            choices,
            at: self.session.cursor(),
        }
    }

    /// Opens a link, keeping every part of it that can be honoured. What cannot be is named in one
    /// notice (an error; a warning when the only thing to say is that unknown parameters were
    /// ignored), and the explorer falls back for that part alone: an unknown config to `safe`, a bad
    /// constant to its default, a trace that does not replay or does not match the link's settings
    /// to the initial state. A link with nothing usable (no model, an unknown model, another
    /// format) opens the first model at its initial state. Never fails, never panics, and the work
    /// done is bounded by the link's length (see [`Link::decode`]) and the app's trace cap.
    pub fn from_link(fragment: &str) -> Explorer {
        let decoded = match Link::decode(fragment) {
            Ok(d) => d,
            Err(e) => {
                let mut x = Explorer::new();
                x.notices.push(Notice::error(format!("This link could not be read ({e}); showing {} at its initial state instead.", x.model.info().name)));
                return x;
            }
        };
        let link = decoded.link;
        let mut problems = decoded.problems;
        let mut x = match Explorer::for_model(&link.model) {
            Ok(x) => x,
            Err(e) => {
                let mut x = Explorer::new();
                x.notices.push(Notice::error(format!("This link names an {e}; showing {} at its initial state instead.", x.model.info().name)));
                return x;
            }
        };
        x.seed = link.seed;
        let name = link.model.clone();
        let specs = x.model.info().constants.clone();
        // Each constant on its own: a bad one keeps its default, the others apply. The last value
        // given for a name counts; sets before members, so `InitGroup` is checked against the
        // link's `Groups`. At most one value per declared constant is ever parsed.
        let mut wanted: Vec<(String, String)> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (k, v) in link.constants.iter().rev() {
            if !seen.insert(k.as_str()) {
                continue;
            }
            if specs.iter().any(|s| s.name == k) {
                wanted.push((k.clone(), v.clone()));
            } else {
                unknown.push(k.clone());
            }
        }
        if !unknown.is_empty() {
            unknown.reverse();
            let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
            problems.push(format!("{} has no constant {} (its constants are {}), so {} ignored", name, list_some(&unknown), known.join(", "), if unknown.len() == 1 { "it is" } else { "they are" }));
        }
        wanted.sort_by_key(|(k, _)| {
            let member = specs.iter().any(|s| s.name == k && matches!(s.kind, crate::engine::ConstKind::MemberOf { .. }));
            (member, specs.iter().position(|s| s.name == k))
        });
        let mut accepted: Vec<(String, String)> = Vec::new();
        for pair in &wanted {
            let mut candidate = accepted.clone();
            candidate.push(pair.clone());
            match Constants::build(&specs, &candidate) {
                Ok(_) => accepted.push(pair.clone()),
                Err(e) if e.name == pair.0 => problems.push(format!("{e}, so it keeps its default")),
                Err(e) => {
                    // Another constant's default refuses it (`Groups` without the default
                    // `InitGroup`): it applies if the link's own value for that one fits.
                    let theirs = wanted.iter().find(|(k, _)| *k == e.name).is_some_and(|w| {
                        candidate.push(w.clone());
                        Constants::build(&specs, &candidate).is_ok()
                    });
                    if theirs {
                        accepted.push(pair.clone());
                    } else {
                        problems.push(format!("constant {} = {} does not fit the others ({e}), so it keeps its default", pair.0, list_some(std::slice::from_ref(&pair.1))));
                    }
                }
            }
        }
        let constants = Constants::build(&specs, &accepted).unwrap_or_else(|_| Constants::defaults(&specs));
        let mut config = link.config.clone();
        let model = match catalogue::build_with(&name, &config, &constants) {
            Ok(m) => Ok(m),
            Err(e @ BuildError::UnknownConfig { .. }) => {
                problems.push(format!("{e}, so safe is used"));
                config = "safe".to_string();
                catalogue::build_with(&name, &config, &constants)
            }
            Err(e) => Err(e),
        };
        let model = match model {
            Ok(m) => m,
            Err(e) => {
                // The constants are each valid but the model refuses them together.
                problems.push(format!("{e}, so the default constants are used"));
                match catalogue::build(&name, &config, &[]) {
                    Ok(m) => m,
                    Err(_) => x.model.clone(),
                }
            }
        };
        let settings_changed = !problems.is_empty();
        x.fields = fields_for(model.info(), model.constants());
        x.model = model.clone();
        x.session = Session::new(model.clone());
        if link.choices.is_empty() && link.init != 0 {
            let inits = model.init_states().len();
            if link.init < inits {
                x.session = Session::at_init(model.clone(), link.init);
            } else {
                problems.push(format!("its initial state #{} does not exist (the model has {inits}), so the first is shown", link.init));
            }
        }
        let end = LinkEnd { checksum: link.checksum, at: link.at, problems, ignored: decoded.ignored, settings_changed };
        if link.choices.is_empty() {
            x.say_link(end);
        } else {
            // A long trace is replayed in slices by the page (see `Explorer::work`); the link's
            // notice comes when it is done.
            let states = link.choices.len() + 1;
            let replayer = Replayer::new(model.as_ref(), link.init, Steps::Positions(link.choices));
            x.start(Job::Open { model, replayer, kind: OpenKind::Link(end) }, states);
        }
        x
    }

    /// Opens a link's replayed trace, if it is the trace the link names, and says what could not
    /// be honoured.
    fn end_link(&mut self, model: Arc<dyn DynModel>, trace: crate::engine::Trace, stop: Option<crate::engine::ReplayStop>, mut end: LinkEnd) {
        let mut at_warning = None;
        match stop {
            None if Some(labels_checksum(&trace.labels())) == end.checksum => {
                let at = end.at.min(trace.len() - 1);
                if end.at >= trace.len() {
                    at_warning = Some(format!("This link points at step {} of a {}-step trace; showing the last step.", end.at, trace.len() - 1));
                }
                self.session = Session::from_trace(model, trace, at);
            }
            None => end.problems.push(if end.settings_changed {
                "its trace does not match the settings that could be applied (see above), so the initial state is shown".to_string()
            } else {
                "its trace does not match its settings (its constants or config were edited, or it was made with another version of the model), so the link's settings are applied at the initial state".to_string()
            }),
            Some(e) => end.problems.push(if end.settings_changed {
                format!("its trace does not replay with the settings that could be applied ({e}), so the initial state is shown")
            } else {
                format!("its trace does not replay with its settings ({e}; its constants or config were edited, or it was made with another version of the model), so the link's settings are applied at the initial state")
            }),
        }
        self.say_link(end);
        if let Some(w) = at_warning {
            self.notices.push(Notice::warning(w));
        }
    }

    /// The one notice that says what part of a link could not be honoured.
    fn say_link(&mut self, end: LinkEnd) {
        let LinkEnd { problems, ignored, .. } = end;
        if !problems.is_empty() {
            let mut text = format!("This link was opened in part: {}.", problems.iter().take(12).cloned().collect::<Vec<_>>().join("; "));
            if problems.len() > 12 {
                text.push_str(&format!(" ({} more problems not listed.)", problems.len() - 12));
            }
            if !ignored.is_empty() {
                text.push_str(&format!(" It also has parameters this version does not use, ignored: {}.", list_some(&ignored)));
            }
            self.notices.push(Notice::error(text));
        } else if !ignored.is_empty() {
            self.notices.push(Notice::warning(format!("This link has parameters this version does not use; they are ignored: {}.", list_some(&ignored))));
        }
    }
}

/// Names for a message: the first few, then how many more.
fn list_some(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut out = names.iter().take(SHOWN).map(|n| crate::engine::constants::shown(n)).collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}

impl Default for Explorer {
    fn default() -> Self {
        Self::new()
    }
}

/// Steps the trace view draws at most.
pub const TRACE_VIEW_WINDOW: usize = 80;

/// The `size` steps of a `len`-step trace shown around `cursor`: centred on it where the trace
/// allows, never past either end.
pub fn trace_window(len: usize, cursor: usize, size: usize) -> std::ops::Range<usize> {
    let start = cursor.saturating_sub(size / 2).min(len.saturating_sub(size));
    start..(start + size).min(len)
}


#[cfg(test)]
mod tests;
