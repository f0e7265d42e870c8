//! The app: the root component holds the [`Explorer`] and the page's timers, and turns clicks,
//! keys, timers and a check's counterexample into the explorer's commands. All decisions about
//! traces, links and verdicts live in the explorer; this file only wires the page to it. What a
//! person sees is drawn by the panels (`super::panels`), small function components each given
//! only what it shows: the root's render computes those props, and a panel whose props did not
//! change is not rendered again. The check worker is the check panel's own (`super::check`), so
//! its progress renders that panel alone, not this root.

use super::check::CheckSettings;
use super::dom;
use super::embed::{EmbedBar, EmbedError, EmbedSnippets, HeightWatch};
use super::lesson::{LessonPanel, LessonProblem, LessonStatus, LessonStatusCard};
use super::panels::{
    count_render, ActionsPanel, CheckPanel, ConstantsPanel, Header, InspectorPanel, Notices, PlayPanel, PropertiesPanel, SidePanel, TimelinePanel, ViewPanel,
};
use super::play::{RandomPlay, Shown};
use super::simulate::{SimulatePanel, SimulateSettings};
use super::worker::{CheckDone, CheckEnd, CheckRequest, SimulateOutcome, SimulateRequest};
use crate::engine::LivenessReport;
use crate::explorer::draw::Layout;
use crate::explorer::embed::{Command, EmbedOptions, EmbedTheme};
use crate::explorer::{timeline_window, Explorer, NoticeKind, ViewMode, INFO_NOTICE_MS};
use crate::lessons::player::{digest, LessonSource, Load, Player};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Timeout;
use serde_json::json;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// The address bar is updated this long after the last render (see `App::hash_timer`).
const HASH_DELAY_MS: u32 = 150;
/// How long a lesson's fetch may take before the page says there was no answer.
const LESSON_FETCH_MS: u32 = 30_000;
/// Timeline chips drawn around the cursor; the slider reaches the rest. Laying out the chips was
/// most of a step's layout: 120 chips cost about 3 ms a step on the benchmark machine, 48 about
/// 1.3 ms (seqlock, layout with and without the chips), and 48 still fill several screen widths.
pub(super) const TIMELINE_WINDOW: usize = 48;
/// The timeline's window moves in strides of this many steps (see `timeline_window`).
const TIMELINE_STRIDE: usize = 16;

/// What the root component is told, by concern: each concern has its own message type and
/// handler (`App::on_step`, `on_play`, `on_lesson`, `on_export`, `on_settings`, `on_found`,
/// `on_page`); `App::update` routes them and applies the rules that cut across them (the
/// lesson's lock, stopping play, ending a long replay: see `Msg::refused_by_lock`,
/// `Msg::stops_play`, `Msg::leaves_work_alone`).
pub enum Msg {
    /// A move along the trace.
    Step(StepMsg),
    /// Random play and its settings.
    Play(PlayMsg),
    /// The lesson player.
    Lesson(LessonMsg),
    /// Files, pictures, links and snippets out of the page, and traces into it.
    Export(ExportMsg),
    /// What is explored and how it is shown.
    Settings(SettingsMsg),
    /// A trace found by a check or a simulation, to load.
    Found(FoundMsg),
    /// The page's own housekeeping: long replays, the address bar, notices.
    Page(PageMsg),
    /// A command in the check or simulation panel (run, cancel, a bound): the panel carries it
    /// out; here it only ends a long replay under way, as other commands do.
    CheckCommand,
    /// A command from the page that embeds this one, or why one was refused.
    Embed(Result<Command, String>),
}

/// Moves along the trace ([`App::on_step`]).
pub enum StepMsg {
    Take(String),
    Back,
    Forward,
    GoTo(usize),
    Random,
    UndoFork,
    Reset,
    RestorePrevious,
    /// Make the trace the shortest path to this node of the state graph (a click on it).
    GraphJump(usize),
}

/// Random play ([`App::on_play`]).
pub enum PlayMsg {
    Toggle,
    SetSpeed(usize),
    Tick,
    SeedInput(String),
    ToggleStopAtViolation,
    ToggleSkipStutter,
}

/// The lesson player ([`App::on_lesson`]).
pub enum LessonMsg {
    /// Open the lesson of this name (from the picker or the link's `lesson` key).
    Open(String),
    /// Open a lesson's text from elsewhere: a file the reader opened or dropped, the host page's
    /// inline lesson.
    OpenText(LessonSource, String),
    /// Fetch the lesson at this address (as written in a link: resolved against the page) and
    /// open it.
    Fetch(String),
    /// A fetch ended (or ran out of time): its number (a later fetch makes it stale), the
    /// address, and the text or why there is none.
    Fetched(u64, String, Result<String, String>),
    /// A lesson file the reader chose could not be read: its name and why.
    FileFailed(String, String),
    /// Close the card of a lesson that is loading or could not be opened.
    DismissStatus,
    Close,
    Next,
    Back,
    /// Take the current `do` step's action.
    Take,
    /// Play a `wait` step's solution.
    ShowMe,
    OpenChallenge(usize),
    Hint,
    Check,
    Solution,
}

/// Out of the page and into it ([`App::on_export`]).
pub enum ExportMsg {
    /// The trace as JSON.
    Trace,
    Svg,
    Png,
    Markdown,
    /// The trace in the Informal Trace Format.
    Itf,
    /// The message chart as Mermaid text.
    Mermaid,
    /// The message chart as SVG.
    ChartSvg,
    Failed(String),
    ImportText(String),
    ImportFailed(String),
    CopyLink,
    LinkCopied(Result<(), String>),
    /// Show or hide the snippets that embed this step in another page.
    ToggleEmbedSnippets,
    /// Copy a snippet.
    CopyText(String),
    TextCopied(Result<(), String>),
}

/// What is explored and how it is shown ([`App::on_settings`]).
pub enum SettingsMsg {
    Model(String),
    Config(String),
    Constant(String, String),
    /// Play the trace in another configuration beside this one (`None`: stop).
    Side(Option<String>),
    /// Show the model's picture, its variables or its state graph.
    ViewMode(ViewMode),
    ToggleTheme,
    /// The light (`false`) or dark theme, not kept: an embed's host or the reader's colour scheme
    /// changed.
    Theme(bool),
    /// The view panel's width class changed (a phone turned, a window resized): the picture is
    /// laid out again for it.
    Layout(Layout),
}

/// A trace found elsewhere, to load ([`App::on_found`]).
pub enum FoundMsg {
    /// A check found a violation: stop play and load its counterexample.
    Violation(Box<(CheckRequest, CheckDone)>),
    /// "load it again": the counterexample of a finished check.
    LoadCounterexample(Box<(CheckRequest, CheckDone)>),
    /// A simulation found a walk that breaks a property: load it.
    Simulation(Box<(SimulateRequest, SimulateOutcome)>),
    /// A check of a liveness config ended: what it judged of the temporal properties.
    Checked(Box<LivenessReport>),
}

/// The page's housekeeping ([`App::on_page`]).
pub enum PageMsg {
    /// Advance a long replay (a config switch or constant edit on a long trace) by one slice.
    Work,
    CancelWork,
    /// Write the current link into the address bar.
    SyncHash,
    HashChanged,
    DismissNotice(u64),
    DismissComparison,
}

impl Msg {
    /// A message that changes what is explored ends a long replay still under way (the explorer
    /// stays as it was before that replay began); these do not.
    fn leaves_work_alone(&self) -> bool {
        matches!(
            self,
            Msg::Page(PageMsg::Work | PageMsg::CancelWork | PageMsg::SyncHash | PageMsg::DismissNotice(_) | PageMsg::DismissComparison | PageMsg::HashChanged)
                | Msg::Found(FoundMsg::Violation(_) | FoundMsg::Checked(_))
                | Msg::Export(ExportMsg::LinkCopied(_))
                | Msg::Settings(SettingsMsg::ToggleTheme | SettingsMsg::Theme(_) | SettingsMsg::Layout(_))
                | Msg::Embed(Err(_))
        )
    }

    /// These stop random play before they are carried out. (A constant edit that changes the
    /// constants, a new address and play's own toggle stop it in their handlers.)
    fn stops_play(&self) -> bool {
        match self {
            Msg::Step(m) => matches!(m, StepMsg::Back | StepMsg::GoTo(_) | StepMsg::Reset | StepMsg::RestorePrevious | StepMsg::GraphJump(_)),
            Msg::Settings(m) => matches!(m, SettingsMsg::Model(_) | SettingsMsg::Config(_)),
            Msg::Found(m) => matches!(m, FoundMsg::Violation(_) | FoundMsg::Simulation(_)),
            Msg::Export(m) => matches!(m, ExportMsg::ImportText(_)),
            Msg::Lesson(LessonMsg::Open(name)) => !name.is_empty(),
            Msg::Lesson(LessonMsg::OpenText(..) | LessonMsg::Fetched(_, _, Ok(_))) => true,
            Msg::Lesson(m) => matches!(m, LessonMsg::Back | LessonMsg::OpenChallenge(_)),
            Msg::Play(_) | Msg::Page(_) | Msg::CheckCommand | Msg::Embed(_) => false,
        }
    }

    /// Notes what the page shows when this message is the reader's play or pause, read where the
    /// input is (see [`Shown`]).
    fn note_input(&self, shown: &Shown) {
        if matches!(self, Msg::Play(PlayMsg::Toggle)) {
            shown.toggle_asked();
        }
    }

    /// Whether a lesson's step that holds the explorer (`only`: the one action it asks for, if
    /// any) refuses this: a step it does not ask for, keys included.
    fn refused_by_lock(&self, only: Option<&str>, playing: bool) -> bool {
        match self {
            Msg::Step(StepMsg::Take(label)) => only != Some(label.as_str()),
            Msg::Step(StepMsg::Random | StepMsg::GraphJump(_)) => true,
            Msg::Play(PlayMsg::Toggle) => !playing,
            _ => false,
        }
    }
}

pub struct App {
    x: Explorer,
    /// Embedded in another page (the fragment's `embed` key): the compact layout and the
    /// host's messages. `None` for the full app.
    embed: Option<Embedded>,
    /// "Embed" is open.
    show_embed_snippets: bool,
    /// The lesson being played, if any.
    lesson: Option<Player>,
    /// A lesson on its way (fetched from a URL) or one that could not be opened, shown where the
    /// lesson would be.
    lesson_status: Option<LessonStatus>,
    /// The address of the lesson being fetched or that failed to load: the address bar keeps
    /// naming it, so a reload (after fixing the file) tries again.
    lesson_src: Option<String>,
    /// Numbers the fetches of lessons: only the latest one's answer counts.
    lesson_fetch: u64,
    /// Ends a fetch that gets no answer.
    lesson_fetch_timer: Option<Timeout>,
    seed_text: String,
    seed_error: Option<String>,
    /// Random play and its timer.
    play: RandomPlay,
    /// Bumped when the model, configuration or constants change or a link is opened: the check
    /// panel then ends its check and clears its result.
    check_reset: u64,
    /// Made once, like `dispatch`.
    on_violation: Callback<(CheckRequest, CheckDone)>,
    on_checked: Callback<LivenessReport>,
    /// What the last check judged of the temporal properties, and the `check_reset` it ran under
    /// (a newer one makes it stale).
    checked: Option<(u64, LivenessReport)>,
    dark: bool,
    /// The width class of the view panel, which the model's picture is laid out for (measured by
    /// the panel: `SettingsMsg::Layout`).
    layout: Layout,
    last_hash: String,
    /// The address bar's fragment as the browser shows it after the app last wrote or read it
    /// (the browser may percent-encode what was written). When it differs, someone else changed
    /// it (a pasted link, a link clicked in the page) and its `hashchange` is still to come: the
    /// app must not write over it meanwhile, or that event would find the app's own fragment and
    /// the reader's link would be lost.
    seen_hash: String,
    /// The pending update of the address bar (written once the page is idle, not on every render:
    /// a long trace's link is long).
    hash_timer: Option<Timeout>,
    /// The next slice of a long replay, when one is under way.
    work_timer: Option<Timeout>,
    /// Info notices whose fade is scheduled, by id.
    fading: Vec<(u64, Timeout)>,
    /// Sends any [`Msg`] to this component: made once, so the panels' props that hold it compare
    /// equal from one render to the next.
    dispatch: Callback<Msg>,
    /// What the page shows, for a pause that must stop there (see [`Shown`]).
    shown: Shown,
    _listeners: Vec<EventListener>,
}

impl App {
    /// Info notices fade after [`INFO_NOTICE_MS`]; errors and warnings stay until dismissed.
    fn schedule_fades(&mut self, ctx: &Context<Self>) {
        let shown: Vec<u64> = self.x.notices().as_slice().iter().filter(|n| n.kind == NoticeKind::Info).map(|n| n.id).collect();
        self.fading.retain(|(id, _)| shown.contains(id));
        for id in shown {
            if !self.fading.iter().any(|(f, _)| *f == id) {
                let link = ctx.link().clone();
                self.fading.push((id, Timeout::new(INFO_NOTICE_MS, move || link.send_message(Msg::Page(PageMsg::DismissNotice(id))))));
            }
        }
    }

    fn sync_hash(&mut self) {
        // While a link or file is still being opened, the address bar keeps what the user gave.
        if self.play.playing() || self.x.work_in_progress().is_some() {
            return;
        }
        // An embed that shows why it cannot be shown keeps the link it was given.
        if self.embed.as_ref().is_some_and(|e| e.error.is_some()) {
            return;
        }
        let mut hash = self.x.link().encode();
        let lesson = match &self.lesson {
            // The host page sends its inline lesson again whenever the frame says it is ready.
            Some(l) if matches!(l.source, LessonSource::Inline { .. }) && self.embed.is_some() => Some("lesson-inline=1".to_string()),
            Some(l) => l.source.fragment(),
            None => self.lesson_src.as_ref().map(|url| LessonSource::Url(url.clone())).and_then(|s| s.fragment()),
        };
        if let Some(keys) = lesson {
            hash = format!("{hash}&{keys}");
        }
        if let Some(e) = &self.embed {
            // The embed's own keys stay, so a reload of the frame is still the embed.
            hash = format!("{hash}&{}", e.options.encode());
        }
        if !self.seen_hash.is_empty() && dom::hash() != self.seen_hash {
            return;
        }
        if hash != self.last_hash {
            dom::replace_hash(&hash);
            self.last_hash = hash;
            self.seen_hash = dom::hash();
        }
    }

    fn load_simulated(&mut self, request: &SimulateRequest, outcome: &SimulateOutcome) {
        let SimulateOutcome::Found { seed, walk, name, init, labels, .. } = outcome else { return };
        let m = self.x.model();
        if request.model != m.info().name || request.config != m.config().name || request.constants != m.constants().to_pairs() {
            self.x.notices_mut().error("That walk belongs to other settings than the ones shown; run the simulation again.");
            return;
        }
        let title = format!("Walk {} of a simulation (seed {seed}), breaking {name}", walk + 1);
        if let Err(e) = self.x.load_trace(*init, labels, labels.len(), &title) {
            self.x.notices_mut().error(e);
            return;
        }
        // The seed field holds the walk's seed: random play from any of its steps continues it.
        self.seed_text = seed.to_string();
        self.seed_error = self.x.set_seed(&self.seed_text).err();
        self.x.skip_stutter = true;
    }

    fn load_counterexample(&mut self, request: &CheckRequest, done: &CheckDone) {
        let CheckEnd::Violation { init, labels, name, lasso, kind } = &done.end else { return };
        let m = self.x.model();
        if request.model != m.info().name || request.config != m.config().name || request.constants != m.constants().to_pairs() {
            self.x.notices_mut().error("That counterexample belongs to other settings than the ones shown; run the check again.");
            return;
        }
        let (init, labels, name) = (*init, labels.clone(), name.clone());
        let at = labels.len();
        let what = if kind == "liveness" {
            format!("Counterexample to {name}: a path, then a loop that repeats for ever")
        } else {
            format!("Shortest counterexample to {name}")
        };
        if let Err(e) = self.x.load_trace(init, &labels, at, &what) {
            self.x.notices_mut().error(e);
        } else if let Err(e) = self.x.set_lasso(*lasso) {
            self.x.notices_mut().error(format!("The counterexample's loop does not close: {e}."));
        }
    }
}

/// What a host's command does, as the app's own message.
fn embed_command(command: Command, playing: bool) -> Msg {
    match command {
        Command::GoTo(i) => Msg::Step(StepMsg::GoTo(i)),
        Command::Step(None) => Msg::Step(StepMsg::Random),
        Command::Step(Some(label)) => Msg::Step(StepMsg::Take(label)),
        Command::Back => Msg::Step(StepMsg::Back),
        Command::Forward => Msg::Step(StepMsg::Forward),
        Command::Play if !playing => Msg::Play(PlayMsg::Toggle),
        Command::Pause if playing => Msg::Play(PlayMsg::Toggle),
        // Already playing, or already paused: nothing to do (keeping the address in step is harmless).
        Command::Play | Command::Pause => Msg::Page(PageMsg::SyncHash),
        Command::Reset => Msg::Step(StepMsg::Reset),
        Command::Theme(dark) => Msg::Settings(SettingsMsg::Theme(dark)),
        Command::Lesson(text) => Msg::Lesson(LessonMsg::OpenText(LessonSource::Inline { digest: digest(&text) }, text)),
    }
}

impl App {
    /// Opens a lesson: the explorer on its model, config and constants, at the step its kept
    /// progress names (or its intro). A lesson that cannot be opened changes nothing.
    fn open_lesson(&mut self, name: &str) {
        match Player::open(&super::catalogue(), name) {
            Ok(player) => self.open_player(player),
            Err(e) => self.x.notices_mut().error(format!("The lesson cannot be opened: {e}.")),
        }
    }

    /// Opens a lesson's text from a URL, a file or the host page, checked as `pex lesson check`
    /// checks it; a mistake is shown where the lesson would be, and nothing else changes.
    fn open_lesson_text(&mut self, source: LessonSource, text: &str) {
        match Player::from_text(&super::catalogue(), source, text) {
            Ok(player) => self.open_player(player),
            Err(e) => self.lesson_failed(LessonProblem { message: e.to_string(), excerpt: e.excerpt(text) }),
        }
    }

    fn open_player(&mut self, mut player: Player) {
        self.x = Explorer::from_link_in(super::catalogue(), &player.link().encode());
        self.seed_text = self.x.seed().to_string();
        self.check_reset += 1;
        let load = dom::load_progress(&player.source.progress_key()).and_then(|kept| player.restore(&kept));
        self.lesson = Some(player);
        self.lesson_status = None;
        self.lesson_src = None;
        self.lesson_load(load);
    }

    /// Shows why a lesson cannot be played (and tells an embed's host).
    fn lesson_failed(&mut self, problem: LessonProblem) {
        if let Some(e) = &self.embed {
            super::embed::post(&e.options, "error", json!({ "message": problem.message }));
        }
        self.lesson_status = Some(LessonStatus::Failed(problem));
    }

    /// Fetches the lesson at `written` (a link's `lesson-src`, resolved against the page); it
    /// opens when it comes, or says why it did not.
    fn fetch_lesson(&mut self, ctx: &Context<Self>, written: &str) {
        let url = match dom::resolve_url(written).and_then(|u| crate::explorer::embed::check_lesson_url(&u).map(|()| u)) {
            Ok(url) => url,
            Err(e) => return self.lesson_failed(LessonProblem { message: format!("The lesson cannot be loaded: {e}."), excerpt: None }),
        };
        self.lesson_fetch += 1;
        let (number, link, for_timer) = (self.lesson_fetch, ctx.link().clone(), ctx.link().clone());
        let (answer_url, timer_url) = (url.clone(), url.clone());
        dom::fetch_text(&url, crate::lessons::MAX_LESSON_BYTES, move |r| link.send_message(Msg::Lesson(LessonMsg::Fetched(number, answer_url, r))));
        self.lesson_fetch_timer = Some(Timeout::new(LESSON_FETCH_MS, move || {
            let why = format!("no answer came in {} seconds", LESSON_FETCH_MS / 1000);
            for_timer.send_message(Msg::Lesson(LessonMsg::Fetched(number, timer_url, Err(why))))
        }));
        self.lesson_status = Some(LessonStatus::Loading(url.clone()));
        self.lesson_src = Some(url);
    }

    /// Opens the lesson a link names (`lesson=` or `lesson-src=`), unless it is the one open; a
    /// link that names none closes the lesson.
    fn follow_link_lesson(&mut self, ctx: &Context<Self>, hash: &str) {
        use crate::explorer::embed::{lesson_of, lesson_src_of};
        let open = self.lesson.as_ref().map(|l| l.source.clone());
        if let Some(name) = lesson_of(hash) {
            if open != Some(LessonSource::Builtin(name.clone())) {
                self.open_lesson(&name);
            }
        } else if let Some(src) = lesson_src_of(hash) {
            let same = |url: &String| dom::resolve_url(&src).is_ok_and(|u| &u == url);
            if !matches!(&open, Some(LessonSource::Url(u)) if same(u)) && !self.lesson_src.as_ref().is_some_and(same) {
                self.fetch_lesson(ctx, &src);
            }
        } else {
            self.lesson = None;
            self.lesson_status = None;
            self.lesson_src = None;
        }
    }

    /// Shows a lesson's trace in the explorer.
    fn lesson_load(&mut self, load: Option<Load>) {
        if let Some(load) = load {
            let at = load.labels.len();
            if let Err(e) = self.x.replace_trace(load.init, &load.labels, at) {
                self.x.notices_mut().error(format!("The lesson's walk does not replay here: {e}."));
            }
        }
    }

    /// Tells the lesson what the reader did, and keeps its progress.
    fn lesson_observe(&mut self) {
        if let Some(l) = &mut self.lesson {
            l.observe(self.x.session());
            dom::store_progress(&l.source.progress_key(), &l.progress());
        }
    }

    fn embed_snippets(&self) -> Html {
        let (element, iframe) = crate::explorer::embed::snippets(&dom::asset_url(""), &self.x.link().encode());
        html! { <EmbedSnippets element={element} iframe={iframe} on={self.dispatch.clone()} /> }
    }

    /// The embedded layout: the step bar, the notices, the view and, when asked for, the
    /// properties; or, when the link names nothing to show, why.
    fn embed_view(&self, e: &Embedded) -> Html {
        if let Some(message) = &e.error {
            return html! { <div class="app embed"><EmbedError message={message.clone()} /></div> };
        }
        let (x, on) = (&self.x, &self.dispatch);
        let (m, s) = (x.model(), x.session());
        let (n, cursor) = (s.len(), s.cursor());
        let rows = x.verdicts().property_rows();
        let failing: Vec<String> = rows.iter().filter(|r| r.holds_now == Some(false)).map(|r| r.name.clone()).collect();
        let causes: Vec<_> = rows.iter().filter(|r| r.first_broken.is_some()).filter_map(|r| x.verdicts().causes(&r.name)).collect();
        let causes_here: Vec<_> = causes.iter().filter(|c| c.failed_at == cursor).cloned().collect();
        let action = s.trace().steps[cursor].action.clone();
        let (choices, disabled) = if e.options.actions { x.inspect().actions() } else { Default::default() };
        let full_link = format!("{}#{}", dom::href().split('#').next().unwrap_or_default(), x.link().encode());
        let loop_view = x.verdicts().loop_view();
        html! {
            <div class={classes!("app", "embed")}>
                <EmbedBar title={m.info().title} config={m.config().name} cursor={cursor} len={n} action={action} failing={failing}
                          playing={self.play.playing()} controls={e.options.controls} full_link={full_link} on={on.clone()} />
                <Notices work={x.work_in_progress()} notices={x.notices().as_slice().to_vec()} comparison={x.comparison().cloned()} on={on.clone()} />
                if let Some(status) = &self.lesson_status {
                    <LessonStatusCard status={status.clone()} on={on.clone()} />
                }
                if let Some(player) = &self.lesson {
                    <LessonPanel player={player.clone()} on={on.clone()} />
                }
                <ViewPanel model={m.info().name} on={on.clone()} cursor={cursor} len={n} drawing={x.picture().view_drawing_in(&self.lesson.as_ref().map(|l| l.highlights().1).unwrap_or_default(), self.layout)} traces={x.picture().trace_drawings()}
                           modes={x.picture().view_modes()} mode={x.picture().view_mode()} graph={(x.picture().view_mode() == ViewMode::Graph).then(|| x.picture().graph_drawing().1)}
                           repeat={loop_view.as_ref().map(|l| (l.first, l.last, l.stutter))} legend={x.picture().view_legend()}
                           config={m.config().name} configs={Vec::<&'static str>::new()} side={None::<&'static str>}
                           divergence={None::<(usize, String)>} causes_here={causes_here} />
                if e.options.actions {
                    <ActionsPanel locked_to={self.lesson.as_ref().and_then(|l| l.locked_to().map(|o| o.map(str::to_string)))} enabled={choices.into_iter().map(|c| c.label).collect::<Vec<_>>()}
                                  disabled={disabled} outside={s.outside_constraint()} meanings={x.inspect().action_meanings()} on={on.clone()} />
                }
                if e.options.props {
                    <PropertiesPanel rows={rows} highlight={self.lesson.as_ref().map(|l| l.highlights().0).unwrap_or_default()} expect={m.config().expect} temporal={x.verdicts().temporal_rows()} fairness={m.fairness_names()}
                                     loop_view={loop_view} definitions={x.verdicts().definitions()} causes={causes} on={on.clone()} />
                }
            </div>
        }
    }

    /// Why a host's command cannot be carried out as sent, if it cannot: a step past the end of
    /// the trace, an action not enabled here.
    fn command_problem(&self, command: &Command) -> Option<String> {
        let last = self.x.session().len() - 1;
        match command {
            Command::GoTo(i) if *i > last => Some(format!("goto {i}: the trace has steps 0 to {last}, so step {last} is shown")),
            Command::Step(Some(label)) => {
                let enabled: Vec<String> = self.x.inspect().actions().0.into_iter().map(|c| c.label).collect();
                (!enabled.contains(label)).then(|| match enabled.is_empty() {
                    true => format!("step '{label}': no action is enabled at step {}", self.x.session().cursor()),
                    false => format!("step '{label}': it is not enabled at step {}; the enabled actions are {}", self.x.session().cursor(), enabled.join(", ")),
                })
            }
            _ => None,
        }
    }

    /// Tells the host what changed: `ready` once, `step` when the step shown or the trace
    /// changes, `violation` when a property starts failing at the step shown.
    fn post_embed_events(&mut self, first: bool) {
        let Some(e) = &mut self.embed else { return };
        if let Some(message) = &e.error {
            if first {
                super::embed::post(&e.options, "error", json!({ "message": message }));
            }
            return;
        }
        let (m, s) = (self.x.model(), self.x.session());
        let cursor = s.cursor();
        let failing: Vec<String> = self.x.verdicts().property_rows().into_iter().filter(|r| r.holds_now == Some(false)).map(|r| r.name).collect();
        let step = json!({
            "model": m.info().name,
            "config": m.config().name,
            "step": cursor,
            "steps": s.len() - 1,
            "action": s.trace().steps[cursor].action,
            "failing": failing,
        });
        if first {
            super::embed::post(&e.options, "ready", step.clone());
            // What the link asked for and did not get (an unknown config, a constant out of
            // range: the explorer shows a notice and uses the default) is the host's to know.
            for n in self.x.notices().as_slice().iter().filter(|n| n.kind != NoticeKind::Info) {
                super::embed::post(&e.options, "error", json!({ "message": n.text }));
            }
        }
        if e.last_step.as_ref() != Some(&step) {
            super::embed::post(&e.options, "step", step.clone());
            let new: Vec<&String> = failing.iter().filter(|f| !e.last_failing.contains(f)).collect();
            if !new.is_empty() {
                super::embed::post(&e.options, "violation", json!({ "step": cursor, "properties": new }));
            }
            e.last_failing = failing;
            e.last_step = Some(step);
        }
    }
}

/// The command a shortcut key stands for (the footer lists them).
fn key_command(key: &str) -> Option<Msg> {
    Some(match key {
        "r" | "R" | "n" => Msg::Step(StepMsg::Random),
        "ArrowLeft" | "h" => Msg::Step(StepMsg::Back),
        "ArrowRight" | "l" => Msg::Step(StepMsg::Forward),
        " " | "p" => Msg::Play(PlayMsg::Toggle),
        "Home" => Msg::Step(StepMsg::GoTo(0)),
        "End" => Msg::Step(StepMsg::GoTo(usize::MAX)),
        "u" => Msg::Step(StepMsg::UndoFork),
        _ => return None,
    })
}

/// What the embedded app keeps besides the explorer.
struct Embedded {
    options: EmbedOptions,
    /// Why nothing can be shown (the link names no model this explorer has), shown in place of it.
    error: Option<String>,
    /// The last `step` event sent, so an event goes out when what it says changes.
    last_step: Option<serde_json::Value>,
    /// The properties failing at the step of the last event (a `violation` event goes out when
    /// this set grows).
    last_failing: Vec<String>,
    _height: Option<HeightWatch>,
}

impl Embedded {
    fn new(options: EmbedOptions, hash: &str, on: Callback<Result<Command, String>>) -> (Embedded, EventListener) {
        let error = match crate::explorer::link::Link::decode(hash) {
            Err(_) if crate::explorer::embed::lesson_from_elsewhere(hash) => None,
            Err(e) => Some(format!("Its link could not be read: {e}.")),
            // The catalogue's error names the models there are (and the player's the lessons).
            Ok(d) => super::catalogue().find(&d.link.model).err().map(|e| format!("It names an {e}.")).or_else(|| {
                crate::explorer::embed::lesson_of(hash)
                    .and_then(|name| Player::open(&super::catalogue(), &name).err())
                    .map(|e| format!("Its lesson cannot be opened: {e}."))
            }),
        };
        let listener = super::embed::listen(&options, on);
        let height = HeightWatch::new(&options);
        (Embedded { options, error, last_step: None, last_failing: Vec::new(), _height: height }, listener)
    }
}

/// The handlers, one per concern. Each returns whether there is something to render (`false`:
/// nothing changed on the page, and the lesson is not told). Play has already been stopped and a
/// long replay ended by `update` where the message asks for it.
impl App {
    fn on_step(&mut self, m: StepMsg) -> bool {
        match m {
            StepMsg::Take(label) => {
                if let Err(e) = self.x.take(&label) {
                    self.x.notices_mut().error(e);
                }
            }
            StepMsg::Back => {
                self.x.back();
            }
            StepMsg::Forward => {
                self.x.forward();
            }
            StepMsg::GoTo(i) => {
                self.x.go_to(i);
            }
            StepMsg::Random => {
                if self.x.random_step().is_none() {
                    self.x.notices_mut().info("No action is enabled here.");
                }
            }
            StepMsg::UndoFork => {
                self.x.undo_fork();
            }
            StepMsg::Reset => {
                self.x.reset();
            }
            StepMsg::RestorePrevious => {
                self.x.restore_previous();
            }
            StepMsg::GraphJump(id) => {
                if let Err(e) = self.x.jump_to_graph_node(id) {
                    self.x.notices_mut().error(e);
                }
            }
        }
        true
    }

    fn on_play(&mut self, ctx: &Context<Self>, m: PlayMsg) -> bool {
        let link = ctx.link().clone();
        let tick = move || link.send_message(Msg::Play(PlayMsg::Tick));
        match m {
            PlayMsg::Toggle => {
                let shown = self.shown.take_at_toggle();
                if let Some((len, cursor)) = shown.filter(|_| self.play.playing()) {
                    self.x.back_to_shown(len, cursor);
                }
                self.play.toggle(&mut self.x, tick)
            }
            PlayMsg::SetSpeed(i) => self.play.set_speed(i, tick),
            PlayMsg::Tick => self.play.tick(&mut self.x),
            PlayMsg::SeedInput(text) => {
                self.seed_text = text.clone();
                self.seed_error = self.x.set_seed(&text).err();
            }
            PlayMsg::ToggleStopAtViolation => self.x.stop_at_violation = !self.x.stop_at_violation,
            PlayMsg::ToggleSkipStutter => self.x.skip_stutter = !self.x.skip_stutter,
        }
        true
    }

    fn on_lesson(&mut self, ctx: &Context<Self>, m: LessonMsg) -> bool {
        match m {
            LessonMsg::Open(name) if name.is_empty() => return false,
            LessonMsg::Open(name) => self.open_lesson(&name),
            LessonMsg::OpenText(source, text) => self.open_lesson_text(source, &text),
            LessonMsg::Fetch(written) => self.fetch_lesson(ctx, &written),
            LessonMsg::Fetched(number, _, _) if number != self.lesson_fetch => return false,
            LessonMsg::Fetched(_, url, answer) => {
                // The first answer ends this fetch: a late one (or the timer's) is stale.
                self.lesson_fetch += 1;
                self.lesson_fetch_timer = None;
                match answer {
                    Ok(text) => self.open_lesson_text(LessonSource::Url(url), &text),
                    Err(why) => self.lesson_failed(LessonProblem { message: format!("The lesson at {url} cannot be loaded: {why}."), excerpt: None }),
                }
            }
            LessonMsg::FileFailed(name, why) => {
                self.lesson_failed(LessonProblem { message: format!("The file {name} cannot be opened as a lesson: {why}."), excerpt: None })
            }
            LessonMsg::DismissStatus => {
                self.lesson_fetch += 1;
                self.lesson_fetch_timer = None;
                self.lesson_status = None;
                self.lesson_src = None;
            }
            LessonMsg::Close => self.lesson = None,
            LessonMsg::Next => {
                let load = self.lesson.as_mut().and_then(|l| l.advance());
                self.lesson_load(load);
            }
            LessonMsg::Back => {
                let load = self.lesson.as_mut().and_then(|l| l.back());
                self.lesson_load(load);
            }
            LessonMsg::Take => {
                if let Some(label) = self.lesson.as_ref().and_then(|l| l.action_to_take()).map(str::to_string) {
                    // From the step's start: the reader may have wandered off the walk.
                    let here = self.lesson.as_ref().and_then(|l| {
                        let crate::lessons::player::Place::Step { index, .. } = l.place else { return None };
                        let start = l.run.step_start(index)?;
                        Some(Load { init: l.run.walk().init_index, labels: l.run.walk().labels()[..start].to_vec() })
                    });
                    if let Some(mut load) = here {
                        load.labels.push(label);
                        self.lesson_load(Some(load));
                    }
                }
            }
            LessonMsg::ShowMe => {
                let load = self.lesson.as_ref().and_then(|l| l.show_me());
                self.lesson_load(load);
            }
            LessonMsg::OpenChallenge(j) => {
                let load = self.lesson.as_mut().and_then(|l| l.open_challenge(j));
                self.lesson_load(load);
            }
            LessonMsg::Hint => {
                if let Some(l) = &mut self.lesson {
                    l.hint();
                }
            }
            LessonMsg::Check => {
                if let Some(l) = &mut self.lesson {
                    l.check(self.x.session());
                }
            }
            LessonMsg::Solution => {
                let load = self.lesson.as_ref().and_then(|l| l.solution());
                self.lesson_load(load);
            }
        }
        true
    }

    fn on_export(&mut self, ctx: &Context<Self>, m: ExportMsg) -> bool {
        let (model, config, cursor) = (self.x.model().info().name, self.x.model().config().name, self.x.session().cursor());
        match m {
            ExportMsg::Trace => {
                if let Err(e) = dom::download(&format!("{model}-{config}-trace.json"), &self.x.export_trace()) {
                    self.x.notices_mut().error(format!("Could not export the trace: {e}"));
                }
                return false;
            }
            ExportMsg::Svg => {
                match dom::view_svg().and_then(|(svg, _, _)| dom::download_as(&format!("{model}-{config}-step-{cursor}.svg"), &svg, "image/svg+xml")) {
                    Ok(()) => return false,
                    Err(e) => self.x.notices_mut().error(format!("Could not export the view: {e}")),
                }
            }
            ExportMsg::Png => {
                let link = ctx.link().clone();
                dom::download_view_png(format!("{model}-{config}-step-{cursor}.png"), move |r| {
                    if let Err(e) = r {
                        link.send_message(Msg::Export(ExportMsg::Failed(e)));
                    }
                });
                return false;
            }
            ExportMsg::Markdown => {
                if let Err(e) = dom::download_as(&format!("{model}-{config}-trace.md"), &self.x.trace_markdown(), "text/markdown") {
                    self.x.notices_mut().error(format!("Could not export the trace: {e}"));
                }
                return false;
            }
            ExportMsg::Itf => {
                if let Err(e) = dom::download(&format!("{model}-{config}-trace.itf.json"), &self.x.export_itf()) {
                    self.x.notices_mut().error(format!("Could not export the trace: {e}"));
                }
                return false;
            }
            ExportMsg::ChartSvg => {
                let name = format!("{model}-{config}-messages-step-{cursor}.svg");
                match dom::chart_svg().and_then(|(svg, _, _)| dom::download_as(&name, &svg, "image/svg+xml")) {
                    Ok(()) => return false,
                    Err(e) => self.x.notices_mut().error(format!("Could not export the chart: {e}")),
                }
            }
            ExportMsg::Mermaid => match self.x.picture().message_mermaid() {
                Some(text) => match dom::download_as(&format!("{model}-{config}-messages.mmd"), &text, "text/vnd.mermaid") {
                    Ok(()) => return false,
                    Err(e) => self.x.notices_mut().error(format!("Could not export the chart: {e}")),
                },
                None => self.x.notices_mut().error("This model passes no messages, so it has no message chart."),
            },
            ExportMsg::Failed(e) => self.x.notices_mut().error(format!("Could not export the view: {e}")),
            ExportMsg::ImportText(text) => match self.x.import_trace(&text) {
                Ok(()) => self.seed_text = self.x.seed().to_string(),
                Err(e) => self.x.notices_mut().error(format!("Could not import: {e}")),
            },
            ExportMsg::ImportFailed(e) => self.x.notices_mut().error(format!("Could not read the file: {e}")),
            ExportMsg::CopyLink => {
                self.sync_hash();
                let link = ctx.link().clone();
                dom::copy_to_clipboard(&dom::href(), move |r| link.send_message(Msg::Export(ExportMsg::LinkCopied(r))));
                return false;
            }
            ExportMsg::LinkCopied(Ok(())) => self.x.notices_mut().info("Link copied: it reopens this trace at this step."),
            ExportMsg::LinkCopied(Err(why)) => self.x.notices_mut().error(format!("The link was not copied: {why}. Copy it by hand: {}", dom::href())),
            ExportMsg::ToggleEmbedSnippets => self.show_embed_snippets = !self.show_embed_snippets,
            ExportMsg::CopyText(text) => {
                let link = ctx.link().clone();
                dom::copy_to_clipboard(&text, move |r| link.send_message(Msg::Export(ExportMsg::TextCopied(r))));
                return false;
            }
            ExportMsg::TextCopied(Ok(())) => self.x.notices_mut().info("Copied: paste it into the page's HTML (Markdown pages take raw HTML too)."),
            ExportMsg::TextCopied(Err(why)) => self.x.notices_mut().error(format!("It was not copied: {why}. Select the text and copy it by hand.")),
        }
        true
    }

    fn on_settings(&mut self, m: SettingsMsg) -> bool {
        match m {
            SettingsMsg::Model(name) => {
                self.check_reset += 1;
                if let Err(e) = self.x.select_model(&name) {
                    self.x.notices_mut().error(e);
                }
            }
            SettingsMsg::Config(name) => {
                self.check_reset += 1;
                if let Err(e) = self.x.select_config(&name) {
                    self.x.notices_mut().error(e);
                }
            }
            SettingsMsg::Constant(name, text) => {
                let before = self.x.model().constants().clone();
                self.x.edit_constant(&name, &text);
                if &before != self.x.model().constants() {
                    self.play.stop();
                    self.check_reset += 1;
                }
            }
            SettingsMsg::Side(config) => {
                if let Err(e) = self.x.set_side(config.as_deref()) {
                    self.x.notices_mut().error(e);
                }
            }
            SettingsMsg::ViewMode(mode) => self.x.set_view_mode(mode),
            SettingsMsg::ToggleTheme => {
                self.dark = !self.dark;
                dom::set_theme(self.dark);
                dom::store_theme(self.dark);
            }
            SettingsMsg::Theme(dark) if dark == self.dark => return false,
            SettingsMsg::Theme(dark) => {
                self.dark = dark;
                dom::set_theme(dark);
            }
            SettingsMsg::Layout(layout) if layout == self.layout => return false,
            SettingsMsg::Layout(layout) => self.layout = layout,
        }
        true
    }

    fn on_found(&mut self, m: FoundMsg) -> bool {
        match m {
            FoundMsg::Violation(v) | FoundMsg::LoadCounterexample(v) => self.load_counterexample(&v.0, &v.1),
            FoundMsg::Simulation(found) => self.load_simulated(&found.0, &found.1),
            FoundMsg::Checked(report) => self.checked = Some((self.check_reset, *report)),
        }
        true
    }

    fn on_page(&mut self, ctx: &Context<Self>, m: PageMsg) -> bool {
        match m {
            PageMsg::Work => {
                self.work_timer = None;
                self.x.work(web_time::Duration::from_millis(12));
            }
            PageMsg::CancelWork => {
                self.x.cancel_work();
            }
            PageMsg::SyncHash => {
                self.hash_timer = None;
                self.sync_hash();
                return false;
            }
            PageMsg::HashChanged => {
                let hash = dom::hash();
                self.seen_hash = hash.clone();
                let h = hash.trim_start_matches('#');
                if h != self.last_hash && !h.is_empty() {
                    self.play.stop();
                    self.check_reset += 1;
                    self.x = Explorer::from_link_in(super::catalogue(), h);
                    self.seed_text = self.x.seed().to_string();
                    self.last_hash = h.to_string();
                    let h = h.to_string();
                    self.follow_link_lesson(ctx, &h);
                }
            }
            PageMsg::DismissNotice(i) => self.x.notices_mut().dismiss(i),
            PageMsg::DismissComparison => self.x.dismiss_comparison(),
        }
        true
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let hash = dom::hash();
        // A lesson from a URL or the host page names its own model: until it comes, the link
        // need not name one.
        let lesson_names_model = crate::explorer::embed::lesson_from_elsewhere(&hash) && crate::explorer::link::Link::decode(&hash).is_err();
        let x = if hash.trim_start_matches('#').is_empty() || lesson_names_model {
            Explorer::in_catalogue(super::catalogue()).expect("start refuses an empty catalogue")
        } else {
            Explorer::from_link_in(super::catalogue(), &hash)
        };
        let embed_options = EmbedOptions::from_fragment(&hash);
        // An embed takes its theme from its host (the `theme` key), never from this site's stored
        // choice: the reader is on the host's page.
        let dark = match embed_options.as_ref().map(|o| &o.theme) {
            None => dom::initial_dark(),
            Some(EmbedTheme::Dark) => true,
            Some(EmbedTheme::Light) => false,
            Some(EmbedTheme::Auto) => dom::prefers_dark(),
        };
        dom::set_theme(dark);
        let mut listeners = Vec::new();
        // An embed on `auto` follows the reader's colour scheme as it changes (a phone at dusk).
        if matches!(embed_options.as_ref().map(|o| &o.theme), Some(EmbedTheme::Auto)) {
            if let Ok(Some(query)) = dom::window().match_media("(prefers-color-scheme: dark)") {
                let link = ctx.link().clone();
                let watched = query.clone();
                listeners.push(EventListener::new(&query, "change", move |_| link.send_message(Msg::Settings(SettingsMsg::Theme(watched.matches())))));
            }
        }
        let embed = embed_options.map(|options| {
            let (embedded, listener) = Embedded::new(options, &hash, ctx.link().callback(Msg::Embed));
            listeners.push(listener);
            embedded
        });
        let link = ctx.link().clone();
        let shown = Shown::default();
        let shown_for_keys = shown.clone();
        // Not passive: a key the app handles must not also scroll the page (Space, Home, End,
        // arrows), and only the listener itself can prevent that, synchronously.
        let keys = EventListener::new_with_options(&dom::document(), "keydown", EventListenerOptions::enable_prevent_default(), move |e| {
            let e: &KeyboardEvent = wasm_bindgen::JsCast::unchecked_ref(e);
            if dom::typing_in_field(e) || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            if let Some(msg) = key_command(&e.key()) {
                e.prevent_default();
                msg.note_input(&shown_for_keys);
                link.send_message(msg);
            }
        });
        let link = ctx.link().clone();
        let hashes = EventListener::new(&dom::window(), "hashchange", move |_| link.send_message(Msg::Page(PageMsg::HashChanged)));
        listeners.extend([keys, hashes]);
        // A file dropped on the app: a lesson (`.toml`) opens as a lesson, anything else is read
        // as a trace (this app's JSON, TLC's output, ITF), as "Import" reads it. Not in an embed:
        // there a drop is the host page's.
        if embed.is_none() {
            let over = EventListener::new_with_options(&dom::document(), "dragover", EventListenerOptions::enable_prevent_default(), |e| {
                let e: &web_sys::DragEvent = wasm_bindgen::JsCast::unchecked_ref(e);
                if e.data_transfer().is_some_and(|d| d.types().includes(&"Files".into(), 0)) {
                    e.prevent_default();
                }
            });
            let link = ctx.link().clone();
            let drop = EventListener::new_with_options(&dom::document(), "drop", EventListenerOptions::enable_prevent_default(), move |e| {
                let e: &web_sys::DragEvent = wasm_bindgen::JsCast::unchecked_ref(e);
                let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) else { return };
                e.prevent_default();
                super::lesson::read_dropped(file, link.callback(|m| m));
            });
            listeners.extend([over, drop]);
        }
        let mut x = x;
        if let Some(problems) = embed.as_ref().map(|e| &e.options.problems).filter(|p| !p.is_empty()) {
            x.notices_mut().warning(format!("This embed's settings were partly ignored: {}.", problems.join("; ")));
        }
        let mut app = App {
            seed_text: x.seed().to_string(),
            x,
            embed,
            show_embed_snippets: false,
            lesson: None,
            lesson_status: None,
            lesson_src: None,
            lesson_fetch: 0,
            lesson_fetch_timer: None,
            seed_error: None,
            play: RandomPlay::new(),
            check_reset: 0,
            on_violation: ctx.link().callback(|v| Msg::Found(FoundMsg::Violation(Box::new(v)))),
            on_checked: ctx.link().callback(|r| Msg::Found(FoundMsg::Checked(Box::new(r)))),
            checked: None,
            dark,
            layout: super::svg::initial_layout(),
            last_hash: String::new(),
            seen_hash: String::new(),
            fading: Vec::new(),
            work_timer: None,
            hash_timer: None,
            dispatch: {
                let shown = shown.clone();
                ctx.link().callback(move |m: Msg| {
                    m.note_input(&shown);
                    m
                })
            },
            shown,
            _listeners: listeners,
        };
        // A link that names a lesson opens it (at the reader's kept progress), before the first
        // render, so the address keeps naming it.
        app.follow_link_lesson(ctx, &hash);
        if app.embed.is_some() && crate::explorer::embed::waits_for_inline_lesson(&hash) {
            app.lesson_status = Some(LessonStatus::Loading("this page".to_string()));
        }
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        if let Some(only) = self.lesson.as_ref().and_then(|l| l.locked_to()) {
            if msg.refused_by_lock(only, self.play.playing()) {
                let what = only.map_or("press Next to go on".to_string(), |l| format!("take {l}, or press Next once it is taken"));
                self.x.notices_mut().info(format!("The lesson holds the explorer at this step: {what}. (Close the lesson to explore freely.)"));
                return true;
            }
        }
        let ends_work = !msg.leaves_work_alone() && self.x.work_in_progress().is_some();
        if ends_work {
            self.x.cancel_work();
        }
        if msg.stops_play() {
            self.play.stop();
        }
        // A handler says whether there is something to render; if so, the lesson is told what
        // the reader did first.
        let render = match msg {
            Msg::Step(m) => self.on_step(m),
            Msg::Play(m) => self.on_play(ctx, m),
            Msg::Lesson(m) => self.on_lesson(ctx, m),
            Msg::Export(m) => self.on_export(ctx, m),
            Msg::Settings(m) => self.on_settings(m),
            Msg::Found(m) => self.on_found(m),
            Msg::Page(m) => self.on_page(ctx, m),
            Msg::CheckCommand => return ends_work,
            // A host's command is the app's own message, under the same rules.
            Msg::Embed(Ok(command)) => {
                // A command the host cannot have meant as sent is carried out as far as it can be
                // (a step past the end shows the last), and the host is told.
                if let (Some(e), Some(why)) = (&self.embed, self.command_problem(&command)) {
                    super::embed::post(&e.options, "error", json!({ "message": why }));
                }
                return <Self as Component>::update(self, ctx, embed_command(command, self.play.playing()));
            }
            Msg::Embed(Err(why)) => {
                if let Some(e) = &self.embed {
                    super::embed::post(&e.options, "error", json!({ "message": why }));
                }
                false
            }
        };
        if render {
            self.lesson_observe();
        }
        render
    }

    fn rendered(&mut self, ctx: &Context<Self>, first: bool) {
        if first {
            self.sync_hash();
        } else if !self.play.playing() {
            let link = ctx.link().clone();
            self.hash_timer = Some(Timeout::new(HASH_DELAY_MS, move || link.send_message(Msg::Page(PageMsg::SyncHash))));
        }
        self.schedule_fades(ctx);
        // A long replay goes on a slice per frame, leaving the page to paint and take clicks.
        if self.x.work_in_progress().is_some() && self.work_timer.is_none() {
            let link = ctx.link().clone();
            self.work_timer = Some(Timeout::new(0, move || link.send_message(Msg::Page(PageMsg::Work))));
        }
        // The check panel draws the chart and the timeline keeps its current step in view, each
        // when it renders.
        if self.embed.is_some() {
            self.post_embed_events(first);
        }
    }

    fn view(&self, _ctx: &Context<Self>) -> Html {
        count_render("app");
        if let Some(e) = &self.embed {
            return self.embed_view(e);
        }
        let (x, on) = (&self.x, &self.dispatch);
        let (m, s) = (x.model(), x.session());
        let (n, cursor) = (s.len(), s.cursor());
        let window = timeline_window(n, cursor, TIMELINE_WINDOW, TIMELINE_STRIDE);
        let (choices, disabled) = x.inspect().actions();
        let loop_view = x.verdicts().loop_view();
        let side = x.side_view();
        let property_rows = x.verdicts().property_rows();
        let causes: Vec<_> = property_rows.iter().filter(|r| r.first_broken.is_some()).filter_map(|r| x.verdicts().causes(&r.name)).collect();
        let causes_here: Vec<_> = causes.iter().filter(|c| c.failed_at == cursor).cloned().collect();
        let divergence = side.as_ref().and_then(|v| v.divergence.clone());
        let (lesson_properties, lesson_paths) = self.lesson.as_ref().map(|l| l.highlights()).unwrap_or_default();
        html! {
            <div class="app">
                <Header model={m.info().name} config={m.config().name} dark={self.dark} on={on.clone()} />
                <Notices work={x.work_in_progress()} notices={x.notices().as_slice().to_vec()} comparison={x.comparison().cloned()} on={on.clone()} />
                if self.show_embed_snippets {
                    { self.embed_snippets() }
                }
                <main class="layout">
                    <aside class="col-left" aria-label="Stepping: play, actions and constants">
                        <PlayPanel playing={self.play.playing()} speed={self.play.speed()} seed_text={self.seed_text.clone()} seed_error={self.seed_error.clone()}
                                   stop_at_violation={x.stop_at_violation} skip_stutter={x.skip_stutter} locked={self.lesson.as_ref().is_some_and(|l| l.locked_to().is_some())} on={on.clone()} />
                        <ActionsPanel locked_to={self.lesson.as_ref().and_then(|l| l.locked_to().map(|o| o.map(str::to_string)))} enabled={choices.into_iter().map(|c| c.label).collect::<Vec<_>>()} disabled={disabled} outside={s.outside_constraint()} meanings={x.inspect().action_meanings()} on={on.clone()} />
                        <ConstantsPanel fields={x.fields().to_vec()} on={on.clone()} />
                    </aside>
                    <section class="col-center">
                        if let Some(status) = &self.lesson_status {
                            <LessonStatusCard status={status.clone()} on={on.clone()} />
                        }
                        if let Some(player) = &self.lesson {
                            <LessonPanel player={player.clone()} on={on.clone()} />
                        }
                        <ViewPanel model={m.info().name} on={on.clone()} cursor={cursor} len={n} drawing={x.picture().view_drawing_in(&lesson_paths, self.layout)} traces={x.picture().trace_drawings()}
                                   modes={x.picture().view_modes()} mode={x.picture().view_mode()} graph={(x.picture().view_mode() == ViewMode::Graph).then(|| x.picture().graph_drawing().1)}
                                   repeat={loop_view.as_ref().map(|l| (l.first, l.last, l.stutter))} legend={x.picture().view_legend()}
                                   config={m.config().name} configs={m.info().configs.iter().map(|c| c.name).collect::<Vec<_>>()} side={x.side_config()}
                                   divergence={divergence.clone()} causes_here={causes_here} />
                        if let Some(view) = side {
                            <SidePanel model={m.info().name} view={view} cursor={cursor} />
                        }
                        <TimelinePanel len={n} cursor={cursor} start={window.start} entries={x.verdicts().timeline(window)}
                                       first_bad={x.verdicts().first_violation().map(|f| f.0)}
                                       divergence={divergence.as_ref().map(|d| d.0).or_else(|| x.comparison().and_then(|c| c.divergence.verdicts_differ.as_ref().map(|d| d.0)))}
                                       can_undo_fork={s.can_undo_fork()} can_restore={x.can_restore_previous()} lasso={x.lasso()} on={on.clone()} />
                        <InspectorPanel rows={x.inspect().state_tree()} highlight={lesson_paths} />
                    </section>
                    <aside class="col-right" aria-label="Properties and checks">
                        <PropertiesPanel rows={property_rows} highlight={lesson_properties} expect={m.config().expect} temporal={x.verdicts().temporal_rows_checked(self.checked.as_ref().filter(|(r, _)| *r == self.check_reset).map(|(_, c)| c))} fairness={m.fairness_names()}
                                         loop_view={loop_view} definitions={x.verdicts().definitions()} causes={causes.clone()} on={on.clone()} />
                        <CheckPanel settings={CheckSettings { model: m.info().name.to_string(), config: m.config().name.to_string(), constants: m.constants().to_pairs(), sym: !m.symmetric_sets().is_empty() }}
                                    reset={self.check_reset} on_violation={self.on_violation.clone()} on_checked={self.on_checked.clone()} dark={self.dark} causes={causes.clone()} on={on.clone()} />
                        <SimulatePanel settings={SimulateSettings { model: m.info().name.to_string(), config: m.config().name.to_string(), constants: m.constants().to_pairs(), seed: x.seed(), temporal: !m.liveness_names().is_empty() }}
                                       reset={self.check_reset} on={on.clone()} />
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
