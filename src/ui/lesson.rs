//! The lesson player's panel: the lesson's intro, each step's caption and question, and its "try
//! it" challenges with hints, drawn from a [`Player`] (web-free, `crate::lessons::player`). The
//! root loads what the player says into the explorer and tells it of every change of the trace.

use super::app::{LessonMsg, Msg};
use crate::lessons::player::{Place, Player};
use crate::lessons::StepKind;
use pulldown_cmark::{html::push_html, Event, Parser};
use yew::prelude::*;

/// A lesson's Markdown as HTML. Lessons are part of the repository, but raw HTML in them is shown
/// as text all the same: a caption is prose, never markup of its own.
pub fn markdown(text: &str) -> Html {
    let events = Parser::new(text).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
    });
    let mut out = String::new();
    push_html(&mut out, events);
    Html::from_html_unchecked(AttrValue::from(out))
}

/// The lessons there are: (name, title), for the picker (read once).
pub fn lesson_list() -> Vec<(String, String)> {
    thread_local! {
        static LIST: Vec<(String, String)> = read_lesson_list();
    }
    LIST.with(|l| l.clone())
}

fn read_lesson_list() -> Vec<(String, String)> {
    super::catalogue()
        .lessons()
        .iter()
        .filter_map(|(path, text)| {
            let name = crate::lessons::lesson_name(path).to_string();
            crate::lessons::Lesson::parse(path, text).ok().map(|l| (name, l.title))
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub player: Player,
    pub on: Callback<Msg>,
}

#[function_component]
pub fn LessonPanel(p: &LessonProps) -> Html {
    super::panels::count_render("lesson");
    let player = &p.player;
    let lesson = player.run.lesson();
    let n = lesson.steps.len();
    let on = &p.on;
    // Keyboard play: the control the reader needs next (Start, Take it / Show me, Next, a
    // challenge) takes the focus whenever the lesson moves, since the one just pressed is often
    // gone (Take it) and the focus would otherwise fall back to the page.
    let next_control = use_node_ref();
    {
        let next_control = next_control.clone();
        let place = match &player.place {
            Place::Intro => (0, 0, false),
            Place::Step { index, done } => (1, *index, *done),
            Place::Challenges { open, .. } => (2, open.map_or(0, |o| o + 1), false),
        };
        use_effect_with(place, move |place| {
            if let Some(e) = next_control.cast::<web_sys::HtmlElement>() {
                let _ = e.focus();
            }
            // A step just done: the caption and the mark it is about on screen together, once
            // the view has drawn it (at the next frame).
            if place.0 == 1 && place.2 {
                let then = wasm_bindgen::closure::Closure::once_into_js(bring_step_into_view);
                let _ = super::dom::window().request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&then));
            }
        });
    }
    let body = match &player.place {
        Place::Intro => html! {
            <>
                <div class="lesson-text" data-testid="lesson-intro">{ markdown(&lesson.intro) }</div>
                <div class="row lesson-nav">
                    <button class="primary" data-testid="lesson-next" ref={next_control.clone()} onclick={on.reform(|_| Msg::Lesson(LessonMsg::Next))}>{ format!("Start: {n} steps") }</button>
                </div>
            </>
        },
        Place::Step { index, done } => {
            let step = &lesson.steps[*index];
            // The step of the trace (as the view and the timeline number them) this lesson step
            // makes: lesson steps and trace steps differ once a `wait` step takes several.
            let trace_step = player.run.step_start(*index).map(|s| s + 1);
            let what = match &step.kind {
                StepKind::Take(label) => html! {
                    <p class="lesson-do" data-testid="lesson-do">
                        {"Take "}<code>{ label.clone() }</code>
                        if let Some(t) = trace_step {
                            <span class="muted small" data-testid="lesson-trace-step">{ format!(" (step {t} of the trace) ") }</span>
                        }
                        if !done {
                            <button class="small" data-testid="lesson-take" ref={next_control.clone()} onclick={on.reform(|_| Msg::Lesson(LessonMsg::Take))}>{"Take it"}</button>
                            <span class="muted small">{" (or click it in Actions)"}</span>
                        }
                    </p>
                },
                StepKind::Wait { until, .. } => html! {
                    <p class="lesson-do" data-testid="lesson-wait">
                        {"Step until: "}<strong>{ until.describe() }</strong>
                        if !done {
                            <button class="small" data-testid="lesson-show-me" ref={next_control.clone()} onclick={on.reform(|_| Msg::Lesson(LessonMsg::ShowMe))}>{"Show me"}</button>
                        }
                    </p>
                },
            };
            html! {
                <>
                    { what }
                    if *done {
                        <div class="lesson-text" data-testid="lesson-caption">{ markdown(&step.caption) }</div>
                        if !step.breaks.is_empty() {
                            <p class="lesson-breaks" data-testid="lesson-breaks">{ format!("Here {} fails.", step.breaks.join(" and ")) }</p>
                        }
                        if let Some(q) = &step.question {
                            <details class="lesson-question" data-testid="lesson-question">
                                <summary>{ markdown(q) }</summary>
                                { step.answer.as_deref().map(markdown).unwrap_or_default() }
                            </details>
                        }
                    } else if matches!(step.kind, StepKind::Wait { .. }) {
                        // A wait is the reader's own task: what to look for is said before it is
                        // done, not after.
                        <div class="lesson-text" data-testid="lesson-task">{ markdown(&step.caption) }</div>
                    } else {
                        <p class="muted small">{"Take it: then this says what it did."}</p>
                    }
                    <div class="row lesson-nav">
                        <button data-testid="lesson-back" onclick={on.reform(|_| Msg::Lesson(LessonMsg::Back))}>{"◀ Back"}</button>
                        <button class="primary" data-testid="lesson-next" disabled={!done} ref={if *done { next_control.clone() } else { NodeRef::default() }} onclick={on.reform(|_| Msg::Lesson(LessonMsg::Next))}>
                            { if index + 1 < n { "Next ▶" } else { "Try it yourself ▶" } }
                        </button>
                    </div>
                </>
            }
        }
        Place::Challenges { open, hints, not_yet } => {
            let first_to_try = player.solved.iter().position(|solved| !solved).unwrap_or(0);
            html! {
            <>
                <ol class="lesson-challenges" data-testid="lesson-challenges">
                    { for lesson.challenges.iter().enumerate().map(|(j, c)| {
                        let is_open = *open == Some(j);
                        let solved = player.solved[j];
                        html! {
                            <li class={classes!("lesson-challenge", is_open.then_some("open"), solved.then_some("solved"))} data-testid={format!("challenge-{j}")}>
                                <div class="lesson-text">{ markdown(&c.prompt) }</div>
                                if solved {
                                    <p class="lesson-solved" data-testid="challenge-solved">{"✓ Solved"}</p>
                                }
                                if is_open {
                                    { for c.hints.iter().take(*hints).enumerate().map(|(h, hint)| html! {
                                        <div class="lesson-hint" data-testid="challenge-hint"><strong>{ format!("Hint {}: ", h + 1) }</strong>{ markdown(hint) }</div>
                                    }) }
                                    if *not_yet && !solved {
                                        <p class="lesson-not-yet" data-testid="challenge-not-yet">{ format!("Not yet: at this step, {} does not hold. Keep stepping, or take a hint.", c.goal.describe()) }</p>
                                    }
                                    <div class="row">
                                        <button class="small" data-testid="challenge-check" ref={next_control.clone()} onclick={on.reform(|_| Msg::Lesson(LessonMsg::Check))}>{"Check"}</button>
                                        <button class="small" data-testid="challenge-hint-more" disabled={*hints >= c.hints.len()} onclick={on.reform(|_| Msg::Lesson(LessonMsg::Hint))}>
                                            { format!("Hint ({} of {})", hints, c.hints.len()) }
                                        </button>
                                        <button class="small ghost" data-testid="challenge-solution" onclick={on.reform(|_| Msg::Lesson(LessonMsg::Solution))}>{"Show a solution"}</button>
                                    </div>
                                } else {
                                    <button class="small" data-testid={format!("challenge-open-{j}")} ref={if j == first_to_try { next_control.clone() } else { NodeRef::default() }} onclick={on.reform(move |_| Msg::Lesson(LessonMsg::OpenChallenge(j)))}>
                                        { if solved { "Again" } else { "Try it" } }
                                    </button>
                                }
                            </li>
                        }
                    }) }
                </ol>
                <div class="row lesson-nav">
                    <button data-testid="lesson-back" onclick={on.reform(|_| Msg::Lesson(LessonMsg::Back))}>{"◀ Back to the walk"}</button>
                </div>
            </>
            }
        }
    };
    let progress = match &player.place {
        Place::Intro => "introduction".to_string(),
        Place::Step { index, .. } => format!("lesson step {} of {n}", index + 1),
        Place::Challenges { .. } => format!("try it: {} of {} solved", player.solved.iter().filter(|s| **s).count(), player.solved.len()),
    };
    html! {
        <div class="card lesson" data-testid="lesson">
            <h2>
                {"Lesson"}<span class="muted" data-testid="lesson-progress">{ format!(" · {progress}") }</span>
                <button class="ghost small close" data-testid="lesson-close" onclick={on.reform(|_| Msg::Lesson(LessonMsg::Close))} title="Close the lesson (the explorer stays where it is)">{"×"}</button>
            </h2>
            <h3 class="lesson-title" data-testid="lesson-title">{ lesson.title.clone() }</h3>
            { body }
        </div>
    }
}

/// On a narrow screen the drawing scrolls sideways and sits under the lesson: centre the marks the
/// step highlights in the drawing's scroller, and if the drawing starts below the window, scroll
/// the page so the caption is at its top with the drawing under it.
fn bring_step_into_view() {
    let document = super::dom::document();
    let find = |selector: &str| document.query_selector(selector).ok().flatten();
    if let (Some(mark), Some(scroller)) = (find(".view-scroll .lesson-highlight"), find(".view-scroll")) {
        let (m, s) = (mark.get_bounding_client_rect(), scroller.get_bounding_client_rect());
        if m.left() < s.left() || m.right() > s.right() {
            scroller.set_scroll_left(scroller.scroll_left() + ((m.left() + m.width() / 2.0) - (s.left() + s.width() / 2.0)) as i32);
        }
    }
    let height = super::dom::window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    if let (Some(caption), Some(view)) = (find("[data-testid=lesson-caption]"), find("[data-testid=view]")) {
        if view.get_bounding_client_rect().top() > height * 0.6 {
            caption.scroll_into_view();
        }
    }
}

/// A lesson from a URL, a file or the host page that is on its way or could not be opened.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonStatus {
    /// Being fetched from this address.
    Loading(String),
    Failed(LessonProblem),
}

/// Why a lesson cannot be played, said where the lesson would be: the message, and for a mistake
/// in its text the line with a caret under the column.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonProblem {
    pub message: String,
    /// (line, the line's text, column) of a mistake in the text.
    pub excerpt: Option<(usize, String, usize)>,
}

#[derive(Properties, PartialEq)]
pub struct LessonStatusProps {
    pub status: LessonStatus,
    pub on: Callback<Msg>,
}

#[function_component]
pub fn LessonStatusCard(p: &LessonStatusProps) -> Html {
    let close = html! {
        <button class="ghost small close" data-testid="lesson-problem-close" onclick={p.on.reform(|_| Msg::Lesson(LessonMsg::DismissStatus))} aria-label="Close">{"×"}</button>
    };
    match &p.status {
        LessonStatus::Loading(url) => html! {
            <div class="card lesson lesson-status" role="status" data-testid="lesson-loading">
                <h2>{"Loading a lesson"}{ close }</h2>
                <p class="small">{ format!("From {url}…") }</p>
            </div>
        },
        LessonStatus::Failed(problem) => html! {
            <div class="card lesson lesson-status lesson-problem" role="alert" data-testid="lesson-problem">
                <h2>{"This lesson cannot be played"}{ close }</h2>
                <p data-testid="lesson-problem-message">{ problem.message.clone() }</p>
                if let Some((line, text, column)) = &problem.excerpt {
                    <pre class="lesson-excerpt" data-testid="lesson-problem-excerpt" tabindex="0" aria-label={format!("Line {line} of the lesson, the mistake at column {column}")}>
                        { format!("{line:>4} │ {text}\n     │ {}^", " ".repeat(column.saturating_sub(1))) }
                    </pre>
                }
                <p class="small muted">{"Nothing else changed. Fix the lesson and open it again; \"Write a lesson\" in the docs explains the format."}</p>
            </div>
        },
    }
}

/// Reads a file the reader dropped on the app or chose: a `.toml` is a lesson (refused unread
/// when larger than a lesson may be), anything else a trace to import.
pub fn read_dropped(file: web_sys::File, on: Callback<Msg>) {
    use super::app::ExportMsg;
    use crate::lessons::player::{digest, LessonSource};
    let name = file.name();
    let lesson = name.to_ascii_lowercase().ends_with(".toml");
    if lesson && file.size() > crate::lessons::MAX_LESSON_BYTES as f64 {
        let why = format!("it is {} bytes; a lesson may hold at most {}", file.size(), crate::lessons::MAX_LESSON_BYTES);
        on.emit(Msg::Lesson(LessonMsg::FileFailed(name, why)));
        return;
    }
    let reader = gloo::file::callbacks::read_as_text(&gloo::file::File::from(file), move |r| {
        on.emit(match (r, lesson) {
            (Ok(text), true) => Msg::Lesson(LessonMsg::OpenText(LessonSource::File { name, digest: digest(&text) }, text)),
            (Err(e), true) => Msg::Lesson(LessonMsg::FileFailed(name, e.to_string())),
            (Ok(text), false) => Msg::Export(ExportMsg::ImportText(text)),
            (Err(e), false) => Msg::Export(ExportMsg::ImportFailed(e.to_string())),
        })
    });
    // Dropping the reader would abort the read; the browser frees it once done.
    std::mem::forget(reader);
}
