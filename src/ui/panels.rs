//! The page's panels: small function components, each given only what it shows (`PartialEq`
//! props, compared before rendering) and one dispatcher callback, `on`, that the root
//! [`App`](super::app::App) creates once, so it never defeats the comparison. A message that
//! changes what one panel shows (a check's progress, say) renders that panel alone; the rest
//! compare equal and are skipped.
//!
//! In a build with the test hooks ([`TEST_HOOKS`](super::TEST_HOOKS)), every component counts its
//! renders in `window.__pexRenders` (`{ app: n, header: n, notices: n, play: n, actions: n,
//! constants: n, view: n, timeline: n, inspector: n, properties: n, check: n }`), read by
//! `web/e2e/renders.test.mjs` and `web/e2e/bench.mjs`; in users' builds the count is compiled out.

use super::app::{ExportMsg, FoundMsg, LessonMsg, Msg, PageMsg, PlayMsg, SettingsMsg, StepMsg, TIMELINE_WINDOW};
use super::check::{use_check, CheckForm, CheckSettings, CheckStatus, Death, UseCheck};
use super::play::SPEEDS;
use super::worker::{CheckDone, CheckEnd, CheckRequest};
use super::{chart, dom, svg};
use crate::engine::verdict::{ok_text, stopped_text};
use crate::engine::{Definition, Lasso, LivenessReport, Progress};
use crate::explorer::draw::{Drawing, Legend};
use crate::explorer::{
    Causes, Comparison, ConstField, GraphSummary, LoopView, Notice, NoticeKind, PropertyRow, SideView, TemporalRow, TimelineEntry, TraceDrawing, TreeRow,
    ViewMode,
};
use wasm_bindgen::JsValue;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Adds one to `window.__pexRenders[name]` (only in a build with the test hooks).
pub fn count_render(name: &str) {
    if !super::TEST_HOOKS {
        return;
    }
    let window = dom::window();
    let key = JsValue::from_str("__pexRenders");
    let counts = match js_sys::Reflect::get(&window, &key) {
        Ok(v) if v.is_object() => v,
        _ => {
            let o: JsValue = js_sys::Object::new().into();
            let _ = js_sys::Reflect::set(&window, &key, &o);
            o
        }
    };
    let name = JsValue::from_str(name);
    let n = js_sys::Reflect::get(&counts, &name).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    let _ = js_sys::Reflect::set(&counts, &name, &JsValue::from_f64(n + 1.0));
}

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub model: &'static str,
    pub config: &'static str,
    pub dark: bool,
    pub on: Callback<Msg>,
}

#[function_component]
pub fn Header(p: &HeaderProps) -> Html {
    count_render("header");
    let infos = super::catalogue().infos();
    let Some(info) = infos.iter().find(|i| i.name == p.model) else {
        return html! {};
    };
    let Some(config) = info.config(p.config) else {
        return html! {};
    };
    let on_model = p.on.reform(|e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        Msg::Settings(SettingsMsg::Model(s.value()))
    });
    html! {
        <header class="header">
            <div class="brand">
                <span class="logo" aria-hidden="true">{"⟳"}</span>
                <h1 class="title">{"Protocol Explorer"}</h1>
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
                                    onclick={p.on.reform(move |_| Msg::Settings(SettingsMsg::Config(name.clone())))}>
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
                <button class="ghost" data-testid="copy-link" onclick={p.on.reform(|_| Msg::Export(ExportMsg::CopyLink))} title="Copy a link to this exact step">{"Copy link"}</button>
                <button class="ghost" data-testid="embed" onclick={p.on.reform(|_| Msg::Export(ExportMsg::ToggleEmbedSnippets))} title="Put this step into a docs or course page">{"Embed"}</button>
                <select class="ghost lesson-picker" data-testid="lesson-picker" aria-label="Lessons" title="A guided walk through a protocol and its gap"
                        onchange={p.on.reform(|e: Event| {
                            let s: HtmlSelectElement = e.target_unchecked_into();
                            let v = s.value();
                            s.set_value("");
                            if v == OPEN_LESSON_FILE {
                                // The file chooser; what is chosen comes through the input's change.
                                if let Some(input) = super::dom::document().get_element_by_id("lesson-file") {
                                    wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&input).click();
                                }
                                return Msg::Lesson(LessonMsg::Open(String::new()));
                            }
                            Msg::Lesson(LessonMsg::Open(v))
                        })}>
                    <option value="" selected=true>{"Lessons…"}</option>
                    { for super::lesson::lesson_list().into_iter().map(|(name, title)| html! { <option value={name}>{ title }</option> }) }
                    <option value={OPEN_LESSON_FILE}>{"Open a lesson file…"}</option>
                </select>
                <input type="file" id="lesson-file" accept=".toml,application/toml,text/plain" data-testid="lesson-file" hidden=true aria-label="A lesson file (.toml)"
                       onchange={{
                           let on = p.on.clone();
                           Callback::from(move |e: Event| {
                               let input: HtmlInputElement = e.target_unchecked_into();
                               if let Some(file) = input.files().and_then(|f| f.get(0)) {
                                   super::lesson::read_dropped(file, on.clone());
                               }
                               input.set_value("");
                           })
                       }} />
                <a class="button ghost" data-testid="docs-link" href={dom::asset_url("docs/")} title="The docs: every protocol's story, the lessons, embedding the explorer, modelling your own protocol">{"Docs"}</a>
                <button class="ghost" data-testid="theme" onclick={p.on.reform(|_| Msg::Settings(SettingsMsg::ToggleTheme))} title="Light or dark theme">
                    { if p.dark { "☀ Light" } else { "☾ Dark" } }
                </button>
            </div>
        </header>
    }
}

/// The picker's entry that opens the file chooser (no lesson's name: those are file names).
const OPEN_LESSON_FILE: &str = "+file";

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    /// A long replay under way: what, how far, of how much.
    pub work: Option<(String, usize, usize)>,
    pub notices: Vec<Notice>,
    pub comparison: Option<Comparison>,
    pub on: Callback<Msg>,
}

#[function_component]
pub fn Notices(p: &NoticesProps) -> Html {
    count_render("notices");
    let notices = &p.notices;
    let comparison = p.comparison.as_ref();
    html! {
        <div class="notices">
            if let Some((what, done, all)) = p.work.clone() {
                <div class="notice info work" data-testid="work-progress" role="status">
                    <span>{ format!("{what}… {}%", (done * 100).checked_div(all).unwrap_or(100)) }</span>
                    <div class="progress small"><div class="bar" style={format!("width: {:.1}%", if all == 0 { 100.0 } else { done as f64 * 100.0 / all as f64 })}></div></div>
                    <button class="link" data-testid="work-cancel" onclick={p.on.reform(|_| Msg::Page(PageMsg::CancelWork))}>{"Cancel"}</button>
                </div>
            }
            { for notices.iter().map(|n| {
                let kind = match n.kind { NoticeKind::Info => "info", NoticeKind::Warning => "warning", NoticeKind::Error => "error" };
                let id = n.id;
                html! {
                    <div class={classes!("notice", kind)} data-testid={format!("notice-{kind}")} role={if kind == "error" { "alert" } else { "status" }}>
                        <span>{ n.text.clone() }</span>
                        <button class="close" aria-label="Dismiss" onclick={p.on.reform(move |_| Msg::Page(PageMsg::DismissNotice(id)))}>{"×"}</button>
                    </div>
                }
            }) }
            if let Some(c) = comparison {
                <div class="notice compare" data-testid="comparison">
                    <span><strong>{ format!("{} → {}: ", c.from, c.to) }</strong>{ c.summary() }</span>
                    if let Some((step, _)) = &c.divergence.verdicts_differ {
                        <button class="link" onclick={p.on.reform({ let s = *step; move |_| Msg::Step(StepMsg::GoTo(s)) })}>{ format!("go to step {step}") }</button>
                    }
                    <button class="close" aria-label="Dismiss" onclick={p.on.reform(|_| Msg::Page(PageMsg::DismissComparison))}>{"×"}</button>
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PlayProps {
    pub playing: bool,
    /// An index into [`SPEEDS`].
    pub speed: usize,
    pub seed_text: String,
    pub seed_error: Option<String>,
    pub stop_at_violation: bool,
    pub skip_stutter: bool,
    /// A lesson's step holds the explorer: no random steps.
    #[prop_or_default]
    pub locked: bool,
    pub on: Callback<Msg>,
}

#[function_component]
pub fn PlayPanel(p: &PlayProps) -> Html {
    count_render("play");
    let speed = SPEEDS[p.speed];
    let speed_label = if speed == 0 { "max".to_string() } else { format!("{speed}/s") };
    html! {
        <div class="card play">
            <h2>{"Random play"}</h2>
            <div class="row">
                <button class="primary" data-testid="play" disabled={p.locked && !p.playing} onclick={p.on.reform(|_| Msg::Play(PlayMsg::Toggle))}>
                    { if p.playing { "❚❚ Pause" } else { "▶ Play" } }
                </button>
                <button data-testid="random-step" disabled={p.locked} onclick={p.on.reform(|_| Msg::Step(StepMsg::Random))} title="One random step (r)">{"Random step"}</button>
            </div>
            <label class="field">
                <span>{"Seed"}</span>
                <input data-testid="seed" type="text" inputmode="numeric" value={p.seed_text.clone()}
                       class={classes!(p.seed_error.is_some().then_some("invalid"))}
                       oninput={p.on.reform(|e: InputEvent| { let i: HtmlInputElement = e.target_unchecked_into(); Msg::Play(PlayMsg::SeedInput(i.value())) })} />
            </label>
            if let Some(e) = &p.seed_error { <div class="field-error" data-testid="seed-error">{ e.clone() }</div> }
            <label class="field">
                <span>{ format!("Speed {speed_label}") }</span>
                <input data-testid="speed" type="range" min="0" max={(SPEEDS.len() - 1).to_string()} value={p.speed.to_string()}
                       oninput={p.on.reform(|e: InputEvent| { let i: HtmlInputElement = e.target_unchecked_into(); Msg::Play(PlayMsg::SetSpeed(i.value().parse().unwrap_or(3))) })} />
            </label>
            <label class="checkbox">
                <input type="checkbox" data-testid="stop-at-violation" checked={p.stop_at_violation}
                       onchange={p.on.reform(|_| Msg::Play(PlayMsg::ToggleStopAtViolation))} />
                {" Stop at the first violation"}
            </label>
            <label class="checkbox" title="Draw only among the actions that change the state: a step that leaves it as it was adds length, never behaviour">
                <input type="checkbox" data-testid="skip-stutter" checked={p.skip_stutter}
                       onchange={p.on.reform(|_| Msg::Play(PlayMsg::ToggleSkipStutter))} />
                {" Skip steps that change nothing"}
            </label>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    /// The labels of the enabled actions, in the model's order.
    pub enabled: Vec<String>,
    /// The action families not enabled here.
    pub disabled: Vec<&'static str>,
    pub outside: bool,
    /// Each action family and its one-line meaning.
    pub meanings: Vec<(&'static str, &'static str)>,
    /// A lesson's step holds the explorer: only this action may be taken (`Some(None)`: none).
    #[prop_or_default]
    pub locked_to: Option<Option<String>>,
    pub on: Callback<Msg>,
}

#[function_component]
pub fn ActionsPanel(p: &ActionsProps) -> Html {
    count_render("actions");
    let (choices, disabled, outside) = (&p.enabled, &p.disabled, p.outside);
    html! {
        <div class="card actions">
            <h2>{"Enabled actions"}<span class="count">{ choices.len() }</span></h2>
            if outside {
                <p class="muted">{"This state is outside the model's state constraint: the checker does not explore beyond it, and neither does stepping."}</p>
            } else if choices.is_empty() {
                <p class="muted">{"No action is enabled: a deadlock (the checker reports it only when asked)."}</p>
            }
            <ul class="action-list" data-testid="actions" tabindex="0" aria-label="Enabled actions (scrolls)">
                { for choices.iter().map(|c| {
                    let label = c.clone();
                    let family = c.split('(').next().unwrap_or_default();
                    let meaning = p.meanings.iter().find(|(f, _)| *f == family).map(|(_, m)| *m);
                    let held = p.locked_to.as_ref().is_some_and(|only| only.as_deref() != Some(c.as_str()));
                    let title = if held { Some("The lesson holds the explorer at this step: take its action, or press Next".to_string()) } else { meaning.map(str::to_string) };
                    html! {
                        <li><button class="action" data-action={c.clone()} disabled={held} title={title} onclick={p.on.reform(move |_| Msg::Step(StepMsg::Take(label.clone())))}>{ c.clone() }</button></li>
                    }
                }) }
                { for disabled.iter().map(|f| html! {
                    <li><button class="action disabled" disabled=true title={format!("not enabled in this state: {}", p.meanings.iter().find(|(g, _)| g == f).map_or("", |(_, m)| *m))}>{ *f }</button></li>
                }) }
            </ul>
            if !p.meanings.is_empty() {
                <details class="meanings" data-testid="action-meanings">
                    <summary>{"What each action does"}</summary>
                    <dl>
                        { for p.meanings.iter().map(|(f, m)| html! { <><dt>{ *f }</dt><dd>{ *m }</dd></> }) }
                    </dl>
                </details>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ConstantsProps {
    pub fields: Vec<ConstField>,
    pub on: Callback<Msg>,
}

#[function_component]
pub fn ConstantsPanel(p: &ConstantsProps) -> Html {
    count_render("constants");
    html! {
        <div class="card constants">
            <h2>{"Constants"}</h2>
            { for p.fields.iter().map(|f| {
                let name = f.spec.name.to_string();
                html! {
                    <label class="field">
                        <span title={f.spec.doc}>{ f.spec.name }</span>
                        <input type="text" data-testid={format!("const-{}", f.spec.name)} value={f.text.clone()}
                               class={classes!(f.error.is_some().then_some("invalid"))} title={f.spec.doc}
                               oninput={p.on.reform(move |e: InputEvent| { let i: HtmlInputElement = e.target_unchecked_into(); Msg::Settings(SettingsMsg::Constant(name.clone(), i.value())) })} />
                        if let Some(e) = &f.error { <span class="field-error" data-testid={format!("const-error-{}", f.spec.name)}>{ e.clone() }</span> }
                    </label>
                }
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ViewProps {
    pub model: &'static str,
    pub on: Callback<Msg>,
    pub cursor: usize,
    /// Steps in the trace, the initial state included.
    pub len: usize,
    pub drawing: Option<Drawing>,
    /// The view modes the model offers, and the one shown.
    pub modes: Vec<ViewMode>,
    pub mode: ViewMode,
    /// What the state graph holds, when it is shown.
    pub graph: Option<GraphSummary>,
    /// The trace views: the model's own (if any), then the message chart (if it passes messages).
    pub traces: Vec<TraceDrawing>,
    /// A lasso's loop: its first and last steps, and whether the end stutters.
    pub repeat: Option<(usize, usize, bool)>,
    pub legend: Option<Legend>,
    /// The configuration shown, and the others one can play beside it.
    pub config: &'static str,
    pub configs: Vec<&'static str>,
    /// The configuration played beside this one, if any.
    pub side: Option<&'static str>,
    /// Where the two sides part, in words.
    pub divergence: Option<(usize, String)>,
    /// Why the properties that fail at this step fail (shown under the caption).
    pub causes_here: Vec<Causes>,
}

#[function_component]
pub fn ViewPanel(p: &ViewProps) -> Html {
    count_render("view");
    let name = p.model;
    let drawing = p.drawing.as_ref();
    // The panel's width class, measured whenever it is resized: the model's picture is laid out
    // for it (narrow on a phone).
    let card = use_node_ref();
    {
        let (card, on) = (card.clone(), p.on.clone());
        use_effect_with((), move |_| {
            let watch = svg::LayoutWatch::new(&card, on.reform(|l| Msg::Settings(SettingsMsg::Layout(l))));
            move || drop(watch)
        });
    }
    let title = match p.mode {
        ViewMode::Picture => super::catalogue().view_name(name),
        other => other.label(),
    };
    // A click on a node of the state graph jumps there (the trace becomes the path to it).
    let on_graph_click = {
        let on = p.on.clone();
        Callback::from(move |e: MouseEvent| {
            let node = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.closest("[data-id^='gnode-']").ok().flatten())
                .and_then(|g| g.get_attribute("data-id"))
                .and_then(|id| id.strip_prefix("gnode-").and_then(|n| n.parse::<usize>().ok()));
            if let Some(id) = node {
                on.emit(Msg::Step(StepMsg::GraphJump(id)));
            }
        })
    };
    html! {
        <div class="card view" data-testid="view" ref={card}>
            if p.modes.len() > 1 {
                <div class="view-tabs" role="tablist" aria-label="How to draw the state">
                    { for p.modes.iter().map(|&m| html! {
                        <button role="tab" class={classes!("tab", (m == p.mode).then_some("active"))} aria-selected={(m == p.mode).to_string()}
                                data-testid={format!("view-tab-{}", m.key())} onclick={p.on.reform(move |_| Msg::Settings(SettingsMsg::ViewMode(m)))}>{ m.label() }</button>
                    }) }
                </div>
            }
            <h2>
                { title }<span class="muted">{ format!(" · step {}", p.cursor) }</span>
                if drawing.is_some() {
                    <span class="export-tools">
                        <select class="small" data-testid="side-by-side" aria-label="Play beside another configuration" title="Play this trace in another configuration beside this one"
                                onchange={p.on.reform(|e: Event| { let s: HtmlSelectElement = e.target_unchecked_into(); let v = s.value(); Msg::Settings(SettingsMsg::Side((!v.is_empty()).then_some(v))) })}>
                            <option value="" selected={p.side.is_none()}>{"beside: none"}</option>
                            { for p.configs.iter().filter(|c| **c != p.config).map(|c| html! { <option value={*c} selected={p.side == Some(*c)}>{ format!("beside: {c}") }</option> }) }
                        </select>
                        <button class="small" data-testid="export-svg" onclick={p.on.reform(|_| Msg::Export(ExportMsg::Svg))} title="Save this picture as SVG (for slides)">{"SVG"}</button>
                        <button class="small" data-testid="export-png" onclick={p.on.reform(|_| Msg::Export(ExportMsg::Png))} title="Save this picture as PNG">{"PNG"}</button>
                    </span>
                }
            </h2>
            if let Some((at, why)) = &p.divergence {
                <div class={classes!("diverge-banner", (p.cursor >= *at).then_some("reached"))} data-testid="divergence-banner">
                    { if p.cursor >= *at { format!("The two configurations part at step {at}: {why}.") } else { format!("Ahead, at step {at}, the two configurations part: {why}.") } }
                </div>
            }
            if let Some((first, last, stutter)) = p.repeat.filter(|(first, _, _)| p.cursor >= *first) {
                <div class="repeat-banner" data-testid="repeat-banner" role="note">
                    { if stutter {
                        format!("↻ From step {last} on nothing changes: this state repeats forever.")
                    } else {
                        format!("↻ Steps {first}–{last} repeat forever: after step {last} the behaviour goes back to step {first}. Forward and play go around the loop.")
                    } }
                </div>
            }
            if let Some(g) = &p.graph {
                <p class="muted small" data-testid="graph-summary">{ graph_summary(g) }</p>
            }
            if let Some(d) = drawing {
                if p.graph.is_some() {
                    <div class="view-scroll graph-scroll" data-testid="state-graph" onclick={on_graph_click} tabindex="0" role="region" aria-label="State graph (scrolls)">{ svg::render(d) }</div>
                } else {
                    <div class="view-scroll" tabindex="0" role="region" aria-label="Drawing (scrolls)">{ svg::render(d) }</div>
                }
                <ul class="caption" data-testid="caption">
                    { for d.caption.iter().map(|c| html! { <li>{ c.clone() }</li> }) }
                </ul>
                { for p.causes_here.iter().map(|c| html! {
                    <div class="caption-why" data-testid="caption-why">
                        <strong>{ format!("Why {} fails here:", c.property) }</strong>
                        { why_it_fails(c, &p.on) }
                    </div>
                }) }
                if let Some(l) = &p.legend {
                    <LegendView legend={l.clone()} />
                }
            } else {
                <p class="muted">{"This model has no picture yet; the inspector below shows its state."}</p>
            }
            { for p.traces.iter().map(|t| html! {
                <>
                    <h3 class="subhead">
                        { t.title }
                        if t.window.len() < p.len {
                            <span class="muted small" data-testid="trace-view-window">{ format!(" · steps {}–{} of {}", t.window.start, t.window.end - 1, p.len - 1) }</span>
                        }
                        if t.chart {
                            <span class="export-tools">
                                <button class="small" data-testid="export-chart-svg" onclick={p.on.reform(|_| Msg::Export(ExportMsg::ChartSvg))} title="Save the message chart as SVG">{"SVG"}</button>
                                <button class="small" data-testid="export-mermaid" onclick={p.on.reform(|_| Msg::Export(ExportMsg::Mermaid))} title="Save the message chart up to this step as Mermaid sequenceDiagram text">{"Mermaid"}</button>
                            </span>
                        }
                    </h3>
                    <div class="trace-drawing" data-testid="trace-view" data-chart={t.chart.then_some("")} tabindex="0" role="region" aria-label={if t.chart { "Message chart (scrolls)" } else { "Trace drawing (scrolls)" }}>{ svg::render(&t.drawing) }</div>
                    // How to read the trace view (the message chart says what its marks mean).
                    { for t.drawing.caption.iter().map(|c| html! { <p class="notation small" data-testid="trace-view-caption">{ c.clone() }</p> }) }
                </>
            }) }
        </div>
    }
}

/// One line on what the state graph shows.
fn graph_summary(g: &GraphSummary) -> String {
    let what = if g.whole {
        format!("Every reachable state: {}, {}", crate::engine::plural(g.nodes, "state", "states"), crate::engine::plural(g.edges, "step", "steps"))
    } else {
        format!(
            "More than {} reachable states, so this is the neighbourhood of the trace: its last states and what lies {} steps beyond the current one ({}, {})",
            crate::explorer::WHOLE_GRAPH_STATES,
            crate::explorer::NEIGHBOURHOOD_LEVELS,
            crate::engine::plural(g.nodes, "state", "states"),
            crate::engine::plural(g.edges, "step", "steps")
        )
    };
    let symmetry = if g.symmetry { "; a node stands for a class of symmetric states" } else { "" };
    format!("{what}{symmetry}. Click a state to go there by a shortest path.")
}

#[derive(Properties, PartialEq)]
pub struct SideProps {
    pub model: &'static str,
    pub view: SideView,
    pub cursor: usize,
}

/// The other configuration's picture, step-aligned with the main view.
#[function_component]
pub fn SidePanel(p: &SideProps) -> Html {
    count_render("side");
    let v = &p.view;
    html! {
        <div class="card view side-view" data-testid="side-view">
            <h2>
                { super::catalogue().view_name(p.model) }<span class="muted">{ format!(" · {} · step {}", v.config, v.step) }</span>
                if let Some(f) = &v.fails { <span class="tag bad" data-testid="side-fails">{ format!("{f} fails") }</span> }
            </h2>
            if v.step < p.cursor {
                <div class="diverge-banner reached">{ format!("Under {} the trace stops at step {}: the next action is not enabled there.", v.config, v.step) }</div>
            }
            if let Some(d) = &v.drawing {
                <div class="view-scroll" tabindex="0" role="region" aria-label={format!("Drawing under {} (scrolls)", v.config)}>{ svg::render(d) }</div>
                <ul class="caption" data-testid="side-caption">{ for d.caption.iter().map(|c| html! { <li>{ c.clone() }</li> }) }</ul>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LegendProps {
    legend: Legend,
}

/// A view's legend: the same at every step, so a step does not render it again.
#[function_component]
fn LegendView(p: &LegendProps) -> Html {
    let l = &p.legend;
    html! {
        <details class="legend" data-testid="legend" open=true>
            <summary>{"Legend"}</summary>
            <ul class="legend-items">
                { for l.items.iter().map(|i| html! { <li>{ svg::swatch(&i.swatch, i.width, i.height) }<span>{ i.meaning.clone() }</span></li> }) }
            </ul>
            { for l.notation.iter().map(|n| html! { <p class="notation small" data-testid="notation">{ n.clone() }</p> }) }
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// Steps in the trace, the initial state included.
    pub len: usize,
    pub cursor: usize,
    /// The chips drawn: a window around the cursor (see [`TIMELINE_WINDOW`]).
    pub entries: Vec<TimelineEntry>,
    /// The index of the first chip.
    pub start: usize,
    pub first_bad: Option<usize>,
    pub divergence: Option<usize>,
    pub can_undo_fork: bool,
    pub can_restore: bool,
    /// A liveness counterexample's loop: where its last step goes back to.
    pub lasso: Option<Lasso>,
    pub on: Callback<Msg>,
}

#[function_component]
pub fn TimelinePanel(p: &TimelineProps) -> Html {
    count_render("timeline");
    // Keeps the current step visible (scrolling the timeline, never the page), once the step
    // has moved: before the next paint, when the browser lays the page out anyway, so reading the
    // chip's position forces no extra layout.
    use_effect_with((p.cursor, p.start, p.len), |_| dom::scroll_current_step_into_view_before_paint());
    let (n, cursor, start) = (p.len, p.cursor, p.start);
    let (entries, first_bad, divergence) = (&p.entries, p.first_bad, p.divergence);
    html! {
        <div class="card timeline">
            <h2>
                {"Timeline"}
                <span class="muted" data-testid="step-counter">{ format!(" step {cursor} of {}", n - 1) }</span>
            </h2>
            <div class="row timeline-tools">
                <button data-testid="back" onclick={p.on.reform(|_| Msg::Step(StepMsg::Back))} disabled={cursor == 0} title="Back (←)">{"◀ Back"}</button>
                <button data-testid="forward" onclick={p.on.reform(|_| Msg::Step(StepMsg::Forward))} disabled={cursor + 1 >= n && !matches!(p.lasso, Some(Lasso::BackTo(_)))} title="Forward (→); at the end of a loop, back into it">{"Forward ▶"}</button>
                <button data-testid="undo-fork" onclick={p.on.reform(|_| Msg::Step(StepMsg::UndoFork))} disabled={!p.can_undo_fork} title="Bring back the future the last fork dropped (u)">{"Undo fork"}</button>
                <button data-testid="restore" onclick={p.on.reform(|_| Msg::Step(StepMsg::RestorePrevious))} disabled={!p.can_restore} title="Bring back the trace that was replaced">{"Restore previous"}</button>
                <button data-testid="reset" onclick={p.on.reform(|_| Msg::Step(StepMsg::Reset))} title="Start over from the initial state">{"Reset"}</button>
                <button data-testid="export" onclick={p.on.reform(|_| Msg::Export(ExportMsg::Trace))} title="Download the trace (JSON; pex replay reads it)">{"Export"}</button>
                <button data-testid="export-markdown" onclick={p.on.reform(|_| Msg::Export(ExportMsg::Markdown))} title="Download the trace as a Markdown table (step, action, what changed, what fails)">{"Markdown"}</button>
                <button data-testid="export-itf" onclick={p.on.reform(|_| Msg::Export(ExportMsg::Itf))} title="Download the trace in the Informal Trace Format (Apalache, Quint)">{"ITF"}</button>
                <label class="button" title="Open a trace file: this app's JSON, a TLC error trace (its output), or ITF (Apalache, Quint)">
                    {"Import"}
                    <input type="file" accept=".json,.txt,.out,.log,.tlc,application/json,text/plain" data-testid="import" hidden=true
                           onchange={{
                               let link = p.on.clone();
                               Callback::from(move |e: Event| {
                                   let input: HtmlInputElement = e.target_unchecked_into();
                                   if let Some(file) = input.files().and_then(|f| f.get(0)) {
                                       let link = link.clone();
                                       let reader = gloo::file::callbacks::read_as_text(&gloo::file::File::from(file), move |r| match r {
                                           Ok(text) => link.emit(Msg::Export(ExportMsg::ImportText(text))),
                                           Err(e) => link.emit(Msg::Export(ExportMsg::ImportFailed(e.to_string()))),
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
                       oninput={p.on.reform(|e: InputEvent| { let i: HtmlInputElement = e.target_unchecked_into(); Msg::Step(StepMsg::GoTo(i.value().parse().unwrap_or(0))) })} />
            }
            <ol class="steps" data-testid="timeline" start={start.to_string()}>
                { for entries.iter().map(|e| {
                    let i = e.index;
                    // Not keyed: the window moves in strides (`timeline_window`), so a step appends
                    // a chip or moves the current mark and the other chips keep their place and
                    // text; keyed, yew moved every chip on each append. A chip whose marks did not
                    // change is not rendered again.
                    html! {
                        <TimelineChip index={i} label={e.label.clone()} current={i == cursor} bad={e.bad}
                                      first_bad={first_bad == Some(i)} diverge={divergence == Some(i)} future={i > cursor}
                                      loop_start={matches!(p.lasso, Some(Lasso::BackTo(k)) if k == i)} on={p.on.clone()} />
                    }
                }) }
                if let Some(lasso) = p.lasso.filter(|_| entries.last().is_some_and(|e| e.index + 1 == n)) {
                    <li class="step loop-end" data-testid="loop-end">
                        { match lasso {
                            Lasso::BackTo(k) => html! { <button onclick={p.on.reform(move |_| Msg::Step(StepMsg::GoTo(k)))} title="The behaviour goes on around its loop, for ever">{ format!("↻ back to step {k}") }</button> },
                            Lasso::Stuttering => html! { <span class="stutter" title="The last state repeats for ever">{"↻ stutters forever"}</span> },
                        } }
                    </li>
                }
            </ol>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ChipProps {
    index: usize,
    label: String,
    current: bool,
    bad: bool,
    first_bad: bool,
    diverge: bool,
    future: bool,
    /// A lasso's loop starts here.
    loop_start: bool,
    on: Callback<Msg>,
}

/// One step of the timeline.
#[function_component]
fn TimelineChip(p: &ChipProps) -> Html {
    let i = p.index;
    let class = classes!(
        "step",
        p.current.then_some("current"),
        p.bad.then_some("bad"),
        p.first_bad.then_some("first-bad"),
        p.diverge.then_some("diverge"),
        p.future.then_some("future"),
        p.loop_start.then_some("loop-start"),
    );
    html! {
        <li {class} data-step={i.to_string()}>
            <button onclick={p.on.reform(move |_| Msg::Step(StepMsg::GoTo(i)))} title={p.label.clone()}>
                <span class="idx">{ i }</span>{ p.label.clone() }
            </button>
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub rows: Vec<TreeRow>,
    /// Paths a lesson's step points at.
    pub highlight: Vec<String>,
}

#[function_component]
pub fn InspectorPanel(p: &InspectorProps) -> Html {
    count_render("inspector");
    let rows = &p.rows;
    html! {
        <div class="card inspector">
            <h2>{"State"}<span class="muted">{" · changed by the last step in colour"}</span></h2>
            <div class="tree" data-testid="inspector" tabindex="0" role="region" aria-label="State variables (scrolls)">
                // Keyed by path: a step re-renders the rows it changed (and those whose marks it
                // cleared), not the whole tree.
                { for rows.iter().map(|r| html! { <TreeRowView key={r.path.clone()} row={r.clone()} highlight={p.highlight.contains(&r.path)} /> }) }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TreeRowProps {
    row: TreeRow,
    /// A lesson's step points at this row.
    highlight: bool,
}

/// One row of the state inspector.
#[function_component]
fn TreeRowView(p: &TreeRowProps) -> Html {
    let r = &p.row;
    let class = classes!(
        "tree-row",
        r.changed.then_some("changed"),
        r.inner_change.then_some("inner-change"),
        r.leaf.then_some("leaf"),
        p.highlight.then_some("lesson-highlight")
    );
    html! {
        <div class={class} data-path={r.path.clone()} style={format!("padding-left: {}rem", 0.4 + r.depth as f64 * 1.1)}>
            <span class="key">{ r.key.clone() }</span>
            <span class="eq">{" = "}</span>
            <span class="val">{ r.text.clone() }</span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PropertiesProps {
    pub rows: Vec<PropertyRow>,
    /// Properties a lesson's step points at.
    pub highlight: Vec<String>,
    /// The property this configuration is expected to break.
    pub expect: Option<&'static str>,
    /// The temporal properties, explained when the trace is a lasso that breaks them.
    pub temporal: Vec<TemporalRow>,
    /// The fairness conditions the configuration assumes, as the twin writes them.
    pub fairness: Vec<&'static str>,
    /// The trace's loop, when it is a lasso.
    pub loop_view: Option<LoopView>,
    /// Each property's TLA+ text and meaning.
    pub definitions: Vec<(String, Definition)>,
    /// Why each property that fails on this trace fails there.
    pub causes: Vec<Causes>,
    pub on: Callback<Msg>,
}

/// The invariants and action properties, green or red at the current step.
#[function_component]
pub fn PropertiesPanel(p: &PropertiesProps) -> Html {
    count_render("properties");
    let rows = &p.rows;
    html! {
        <div class="card invariants">
            <h2>{"Invariants"}</h2>
            <ul class="props" data-testid="invariants">
                { for rows.iter().map(|r| {
                    let state = match r.holds_now { Some(true) => "ok", Some(false) => "bad", None => "na" };
                    html! {
                        <li class={classes!("prop", state, p.highlight.contains(&r.name).then_some("lesson-highlight"))} data-prop={r.name.clone()}>
                            <span class="lamp" aria-hidden="true"></span>
                            <span class="name">{ r.name.clone() }</span>
                            if r.action { <span class="tag">{"step"}</span> }
                            if let Some(why) = r.by_construction {
                                <span class="tag by-construction" data-testid="by-construction" title={why}>{"by construction"}</span>
                                <span class="why muted small">{ why }</span>
                            }
                            if let Some(step) = r.first_broken {
                                <button class="link first-broken" onclick={p.on.reform(move |_| Msg::Step(StepMsg::GoTo(step)))} title="Jump to the step where it first fails">
                                    { format!("broke at step {step}") }
                                </button>
                            }
                            if let Some(c) = p.causes.iter().find(|c| c.property == r.name) {
                                { why_it_fails(c, &p.on) }
                            }
                            { definition_of(&r.name, &p.definitions) }
                        </li>
                    }
                }) }
            </ul>
            if !p.temporal.is_empty() {
                <h3 class="subhead">{"Temporal properties"}</h3>
                <ul class="props" data-testid="temporal">
                    { for p.temporal.iter().map(|t| {
                        let state = match (&t.broken, t.checked) { (Some(_), _) | (None, Some(false)) => "bad", (None, Some(true)) => "ok", (None, None) => "na" };
                        html! {
                            <li class={classes!("prop", "temporal", state)} data-prop={t.name.clone()}>
                                <span class="lamp" aria-hidden="true"></span>
                                <span class="name">{ t.name.clone() }</span>
                                <span class="tag" title="checked on whole fair behaviours, not at a step">{ t.form }</span>
                                { definition_of(&t.name, &p.definitions) }
                                if let Some(why) = &t.broken {
                                    <span class="why small" data-testid="temporal-why">{ format!("Fails on this behaviour: {why}") }</span>
                                    if let Some(step) = t.at {
                                        <button class="link" onclick={p.on.reform(move |_| Msg::Step(StepMsg::GoTo(step)))}>{ format!("go to step {step}") }</button>
                                    }
                                } else {
                                    <span class={classes!("why", "small", t.checked.is_none().then_some("muted"))} data-testid="temporal-status">{ t.status.clone() }</span>
                                }
                            </li>
                        }
                    }) }
                </ul>
                <p class="muted small" data-testid="fairness">
                    { if p.fairness.is_empty() { "Fairness: none (a behaviour may stop anywhere).".to_string() } else { format!("Fairness: {}.", p.fairness.join(" ∧ ")) } }
                </p>
                if let Some(l) = &p.loop_view {
                    <div class="loop-fairness" data-testid="loop-fairness">
                        <p class="small">{ if l.stutter { format!("The behaviour stops at step {}. Fairness allows that because:", l.last) } else { format!("The loop (steps {}–{}) is fair:", l.first, l.last) } }</p>
                        <ul class="small">
                            { for l.obligations.iter().map(|(met, text)| html! { <li class={classes!(if *met { "met" } else { "unmet" })}>{ text.clone() }</li> }) }
                        </ul>
                        <p class="small">{
                            match (l.obligations.iter().all(|(met, _)| *met), p.temporal.iter().any(|t| t.broken.is_some())) {
                                (true, true) => "Every fairness condition is met, and yet the property fails: fairness alone does not make it hold.",
                                (true, false) => "Every fairness condition is met, and no temporal property fails on this behaviour.",
                                (false, _) => "A fairness condition is not met: no fair behaviour runs this loop, so it shows nothing about the properties.",
                            }
                        }</p>
                    </div>
                }
            }
            if let Some(e) = p.expect {
                <p class="muted small">{ format!("This configuration is expected to break {e}.") }</p>
            }
        </div>
    }
}

/// A property's definition, on demand: its meaning in words and its TLA+ text from the twin.
fn definition_of(name: &str, definitions: &[(String, Definition)]) -> Html {
    let Some((_, d)) = definitions.iter().find(|(n, _)| n == name) else { return html! {} };
    html! {
        <details class="definition" data-testid="definition">
            <summary>{"definition"}</summary>
            if let Some(w) = d.words { <p class="small">{ w }</p> }
            <pre class="tla">{ d.tla.clone() }</pre>
            if !d.reads.is_empty() { <p class="muted small">{ format!("Reads {}.", d.reads.join(", ")) }</p> }
        </details>
    }
}

/// Why a property fails where it does: the step where the gap's change was used, and the steps
/// that last wrote what it reads; each a link to its step.
pub(super) fn why_it_fails(c: &Causes, on: &Callback<Msg>) -> Html {
    html! {
        <div class="why-fails small" data-testid="causes">
            if let Some(a) = &c.altered {
                <p>
                    {"Caused at "}
                    <button class="link" data-testid="cause-altered" onclick={let s = a.step; on.reform(move |_| Msg::Step(StepMsg::GoTo(s)))}>{ format!("step {}", a.step) }</button>
                    { format!(": {} — safe could not take this step from the same state; this configuration changes {}.", a.label, a.family) }
                </p>
            }
            if !c.writes.is_empty() {
                <p>
                    {"It reads what these steps last wrote: "}
                    { for c.writes.iter().enumerate().map(|(i, w)| { let s = w.step; html! {
                        <>
                            if i > 0 { {", "} }
                            { format!("{} at ", w.variable) }
                            <button class="link" onclick={on.reform(move |_| Msg::Step(StepMsg::GoTo(s)))}>{ if s == 0 { "the initial state".to_string() } else { format!("step {s}") } }</button>
                            if s > 0 { { format!(" ({})", w.label) } }
                        </>
                    } }) }
                    {"."}
                </p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckProps {
    /// What a check runs on.
    pub settings: CheckSettings,
    /// A new value ends the check and clears its result (see [`use_check`]).
    pub reset: u64,
    /// Told of a check that found a violation.
    pub on_violation: Callback<(CheckRequest, CheckDone)>,
    /// Told what a finished check of a liveness config judged of its temporal properties.
    pub on_checked: Callback<LivenessReport>,
    /// The theme, for the chart's colours.
    pub dark: bool,
    /// Why the properties that fail on the trace shown fail (the counterexample's cause, once loaded).
    pub causes: Vec<Causes>,
    pub on: Callback<Msg>,
}

/// The exhaustive check: its form, its run in the worker (the [`use_check`] hook), its figures,
/// verdict and chart.
#[function_component]
pub fn CheckPanel(p: &CheckProps) -> Html {
    count_render("check");
    let check = use_check(p.settings.clone(), p.reset, p.on_violation.clone(), p.on_checked.clone());
    let state = check.state();
    let (status, form) = (&state.status, &state.form);
    // Each command is also told to the page, which ends a long replay under way (as any command
    // but a few does).
    let act = |f: fn(&UseCheck)| {
        let (c, on) = (check.clone(), p.on.clone());
        Callback::from(move |_: MouseEvent| {
            on.emit(Msg::CheckCommand);
            f(&c)
        })
    };
    let bound = |f: fn(&mut CheckForm, String)| {
        let (c, on) = (check.clone(), p.on.clone());
        Callback::from(move |e: InputEvent| {
            on.emit(Msg::CheckCommand);
            let i: HtmlInputElement = e.target_unchecked_into();
            let v = i.value();
            c.edit_bound(|form| f(form, v))
        })
    };
    let toggle = |f: fn(&UseCheck, bool), now: bool| {
        let (c, on) = (check.clone(), p.on.clone());
        Callback::from(move |_: Event| {
            on.emit(Msg::CheckCommand);
            f(&c, !now)
        })
    };
    let canvas = use_node_ref();
    {
        // The chart of new states per depth, drawn once the canvas is in the page.
        let levels = match status {
            CheckStatus::Running { progress, .. } => Some(progress.levels.clone()),
            CheckStatus::Done { done, .. } => Some(done.progress.levels.clone()),
            CheckStatus::Died { progress, .. } => Some(progress.levels.clone()),
            _ => None,
        };
        let (canvas, dark) = (canvas.clone(), p.dark);
        use_effect(move || {
            if let (Some(levels), Some(canvas)) = (levels, canvas.cast::<HtmlCanvasElement>()) {
                if let Err(e) = chart::draw_levels(&canvas, &levels, dark) {
                    gloo::console::warn!(format!("chart: {e}"));
                }
            }
        });
    }
    let running = matches!(status, CheckStatus::Running { .. });
    let cancelling = matches!(status, CheckStatus::Running { cancel_at: Some(_), .. });
    let sym = p.settings.sym;
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
    let body = match status {
        CheckStatus::Idle => {
            html! { <p class="muted">{"Explore every reachable state breadth-first, off the page's thread. A violation loads its shortest counterexample into the timeline."}</p> }
        }
        CheckStatus::Failed(e) => {
            html! { <div class="notice error" data-testid="check-failed">{ format!("The check could not run: {e}") }</div> }
        }
        CheckStatus::Running { progress, .. } => {
            let frac = if progress.distinct + progress.queue > 0 { progress.distinct as f64 / (progress.distinct + progress.queue) as f64 } else { 0.0 };
            html! {
                <>
                    <div class="progress" data-testid="check-progress" title="share of found states already expanded">
                        <div class="bar" style={format!("width: {:.1}%", frac * 100.0)}></div>
                    </div>
                    <p class="small muted" data-testid="check-phase">{ crate::explorer::phase_text(progress) }</p>
                    { figures(progress) }
                </>
            }
        }
        CheckStatus::Died { request, progress, cause } => {
            let at = format!("at {}, depth {}", count(progress.distinct, "state"), progress.depth);
            let (what, detail) = match cause {
                Death::Error(e) => {
                    (format!("The check's worker died (out of memory?) {at}: set a bound or smaller constants."), format!(" · worker error: {e}"))
                }
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
                        <button class="link" data-testid="check-rerun-no-symmetry" disabled={running} onclick={act(UseCheck::rerun_without_symmetry)}>{"Run without symmetry"}</button>
                    </div>
                },
                CheckEnd::Ok => {
                    html! { <div class="verdict ok" data-testid="check-result">{ ok_text(done.liveness.as_ref()) }</div> }
                }
                CheckEnd::Violation { kind, name, labels, lasso: Some(lasso), .. } if kind == "liveness" => {
                    let shape = match lasso {
                        Lasso::BackTo(k) => format!("a path of {} then a loop back to step {k}, repeated forever", count(labels.len() as u64 + 1, "state")),
                        Lasso::Stuttering => format!("a path of {} whose last state repeats forever", count(labels.len() as u64 + 1, "state")),
                    };
                    html! {
                        <div class="verdict bad" data-testid="check-result">
                            {"Temporal property "}{ breakable(name) }{ format!(" is violated by a fair behaviour: {shape}.") }
                            <button class="link" onclick={{ let (on, v) = (p.on.clone(), state.violation()); Callback::from(move |_: MouseEvent| if let Some(v) = v.clone() { on.emit(Msg::Found(FoundMsg::LoadCounterexample(Box::new(v)))) }) }}>{"load it again"}</button>
                        </div>
                    }
                }
                CheckEnd::Violation { kind, name, labels, .. } => {
                    let what = match kind.as_str() {
                        "deadlock" => html! { {"Deadlock reached: no action is enabled"} },
                        "action-property" => {
                            html! { <>{"Action property "}{ breakable(name) }{" is violated"}</> }
                        }
                        _ => html! { <>{"Invariant "}{ breakable(name) }{" is violated"}</> },
                    };
                    let cause = p.causes.iter().find(|c| &c.property == name && c.failed_at == labels.len()).and_then(|c| c.altered.clone());
                    html! {
                        <div class="verdict bad" data-testid="check-result">
                            { what }{ format!("; shortest counterexample: {}.", count(labels.len() as u64 + 1, "state")) }
                            if let Some(a) = cause {
                                {" Caused at "}
                                <button class="link" data-testid="check-cause" onclick={let s = a.step; p.on.reform(move |_| Msg::Step(StepMsg::GoTo(s)))}>{ format!("step {}", a.step) }</button>
                                { format!(" ({}).", a.label) }
                            }
                            <button class="link" onclick={{ let (on, v) = (p.on.clone(), state.violation()); Callback::from(move |_: MouseEvent| if let Some(v) = v.clone() { on.emit(Msg::Found(FoundMsg::LoadCounterexample(Box::new(v)))) }) }}>{"load it again"}</button>
                        </div>
                    }
                }
                CheckEnd::Incomplete { reason } if reason == "memory" && done.liveness.as_ref().is_none_or(|l| !l.search_complete) => html! {
                    <div class="verdict warn" data-testid="check-result">
                        { format!("Stopped at the memory ceiling at {} ({}): set a bound or smaller constants.", count(done.progress.distinct, "state"),
                                  done.footprint.peak_memory_bytes.or(request.max_memory).map(mib).unwrap_or_default()) }
                    </div>
                },
                CheckEnd::Incomplete { reason } => {
                    html! { <div class="verdict warn" data-testid="check-result">{ stopped_text(&format!("early ({reason})"), &done.progress, done.liveness.as_ref()) }</div> }
                }
            };
            html! {
                <>
                    { verdict }
                    if let Some(note) = &done.note {
                        <p class="muted small" data-testid="check-note">{ match note.as_str() {
                            "symmetry not used: liveness" => "Symmetry not used: a symmetry reduction can hide or invent fair cycles, so a check of temporal properties runs on every state.".to_string(),
                            other => other.to_string(),
                        } }</p>
                    }
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
    let show_chart = !matches!(status, CheckStatus::Idle | CheckStatus::Failed(_));
    html! {
        <div class="card check">
            <h2>{"Exhaustive check"}</h2>
            <div class="row">
                if running {
                    <button class="danger" data-testid="check-cancel" disabled={cancelling} onclick={act(UseCheck::cancel)}>{ if cancelling { "Cancelling…" } else { "Cancel" } }</button>
                    <span class="spinner" aria-label="running"></span>
                } else {
                    <button class="primary" data-testid="check-run" onclick={act(UseCheck::start)}>{"Run check"}</button>
                }
            </div>
            <div class="check-options">
                <label class="field small">
                    <span>{"Max states"}</span>
                    <input type="text" inputmode="numeric" placeholder="no bound" data-testid="check-max-states" value={form.max_states.clone()} disabled={running}
                           oninput={bound(|f, v| f.max_states = v)} />
                </label>
                <label class="field small">
                    <span>{"Max seconds"}</span>
                    <input type="text" inputmode="decimal" placeholder="no bound" data-testid="check-max-seconds" value={form.max_seconds.clone()} disabled={running}
                           oninput={bound(|f, v| f.max_seconds = v)} />
                </label>
                <label class="field small" title="Memory ceiling: the check stops before the worker's memory would pass this many MiB (a worker that runs out of memory dies)">
                    <span>{"Memory (MiB)"}</span>
                    <input type="text" inputmode="numeric" placeholder="no ceiling" data-testid="check-max-memory" value={form.max_memory.clone()} disabled={running}
                           oninput={bound(|f, v| f.max_memory = v)} />
                </label>
                <label class="checkbox" title={if sym { "Reduce by the model's symmetric sets" } else { "This model declares no symmetric set" }}>
                    <input type="checkbox" checked={form.symmetry && sym} disabled={running || !sym}
                           onchange={toggle(UseCheck::set_symmetry, form.symmetry)} />
                    {" Symmetry"}
                </label>
                <label class="checkbox">
                    <input type="checkbox" checked={form.deadlock} disabled={running}
                           onchange={toggle(UseCheck::set_deadlock, form.deadlock)} />
                    {" Report deadlocks"}
                </label>
            </div>
            if let Some(e) = &form.error { <div class="field-error" data-testid="check-error">{ e.clone() }</div> }
            { body }
            if show_chart {
                <canvas class="chart" data-testid="check-chart" ref={canvas.clone()} width="400" height="200"></canvas>
            }
        </div>
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
