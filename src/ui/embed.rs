//! The embed's page glue: its `postMessage` protocol with the host page and its compact step bar.
//! What the options mean and how commands read is web-free, in [`crate::explorer::embed`].
//!
//! Every message either way is an object with `v` ([`API_VERSION`]) and `type`. Events go out
//! with `source: 'protocol-explorer'`: `ready`, `step`, `violation`, `resize`, `error`. Commands
//! come in with `target: 'protocol-explorer'` and are taken only from the parent window (and,
//! when the fragment names `origin`, only from that origin); any other message is not ours and is
//! left alone.

use super::app::{ExportMsg, Msg, PlayMsg, StepMsg};
use super::dom;
use crate::explorer::embed::{Command, EmbedOptions, API_VERSION};
use gloo::events::EventListener;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Posts an event to the host page: to the named origin, or to any parent when none was named
/// (an event says nothing a link does not).
pub fn post(options: &EmbedOptions, kind: &str, mut fields: Value) {
    let Ok(Some(parent)) = dom::window().parent() else { return };
    if let Value::Object(map) = &mut fields {
        map.insert("source".into(), json!("protocol-explorer"));
        map.insert("v".into(), json!(API_VERSION));
        map.insert("type".into(), json!(kind));
    }
    let Ok(message) = js_sys::JSON::parse(&fields.to_string()) else { return };
    let _ = parent.post_message(&message, options.origin.as_deref().unwrap_or("*"));
}

/// Listens for the host's commands; `on` gets each command, or why one was refused.
pub fn listen(options: &EmbedOptions, on: Callback<Result<Command, String>>) -> EventListener {
    let options = options.clone();
    EventListener::new(&dom::window(), "message", move |e| {
        let e: &web_sys::MessageEvent = e.unchecked_ref();
        let data = e.data();
        let field = |name: &str| js_sys::Reflect::get(&data, &JsValue::from_str(name)).ok();
        // Not addressed to us (the host's own traffic, our own events in a page without a parent).
        if !data.is_object() || field("target").and_then(|t| t.as_string()).as_deref() != Some("protocol-explorer") {
            return;
        }
        let from_parent = match (e.source(), dom::window().parent()) {
            (Some(source), Ok(Some(parent))) => js_sys::Object::is(&source, &parent),
            _ => false,
        };
        if !from_parent || !options.accepts_from(&e.origin()) {
            return;
        }
        let version = field("v").and_then(|v| v.as_f64());
        if version != Some(API_VERSION as f64) {
            on.emit(Err(format!("this embed speaks version {API_VERSION} of the message protocol; the command says v={version:?}")));
            return;
        }
        let kind = field("type").and_then(|t| t.as_string()).unwrap_or_default();
        let step = field("step").and_then(|s| s.as_f64());
        let action = field("action").and_then(|a| a.as_string());
        // A lesson's text, or a theme's name.
        let text = field("text").and_then(|t| t.as_string()).or_else(|| field("theme").and_then(|t| t.as_string()));
        on.emit(Command::parse(&kind, step, action, text));
    })
}

/// Tells the host the page's height whenever it changes, so the iframe can fit it.
pub struct HeightWatch {
    observer: web_sys::ResizeObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl HeightWatch {
    pub fn new(options: &EmbedOptions) -> Option<HeightWatch> {
        let options = options.clone();
        let mut last = 0.0;
        // The height of the app's own content (the root it is mounted in, plus the page's margin
        // below it), not the document's: that is at least the frame's height, so a frame could
        // grow to fit but never shrink.
        let root = dom::document().get_element_by_id("app")?;
        let watched = root.clone();
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| {
            let rect = watched.get_bounding_client_rect();
            let height = (rect.bottom() + dom::window().scroll_y().unwrap_or(0.0)).ceil();
            if height != last {
                last = height;
                post(&options, "resize", json!({ "height": height }));
            }
        });
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(&root);
        Some(HeightWatch { observer, _callback: callback })
    }
}

impl Drop for HeightWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

#[derive(Properties, PartialEq)]
pub struct EmbedBarProps {
    pub title: &'static str,
    pub config: &'static str,
    pub cursor: usize,
    pub len: usize,
    /// The action that led to the step shown.
    pub action: Option<String>,
    pub failing: Vec<String>,
    pub playing: bool,
    pub controls: bool,
    /// The full explorer at this step (a new tab).
    pub full_link: String,
    pub on: Callback<Msg>,
}

/// The embed's header and step bar: what is shown, where in the trace, and the few commands a
/// reader of a docs page needs.
#[function_component]
pub fn EmbedBar(p: &EmbedBarProps) -> Html {
    let (cursor, n) = (p.cursor, p.len);
    html! {
        <div class="embed-bar" data-testid="embed-bar">
            <div class="embed-title">
                <strong>{ p.title }</strong>
                <span class="muted">{ format!(" · {}", p.config) }</span>
                <a class="embed-open" href={p.full_link.clone()} target="_blank" rel="noopener" title="Open this step in the full explorer (a new tab)">{"Open ↗"}</a>
            </div>
            <div class="embed-step">
                <span data-testid="step-counter">{ format!("step {cursor} of {}", n - 1) }</span>
                <span class="embed-action" data-testid="embed-action">{ p.action.clone().map(|a| format!(" · {a}")).unwrap_or_default() }</span>
                if !p.failing.is_empty() {
                    <span class="embed-failing" data-testid="embed-failing">{ format!(" · fails: {}", p.failing.join(", ")) }</span>
                }
            </div>
            if p.controls {
                <div class="row embed-controls">
                    <button data-testid="back" onclick={p.on.reform(|_| Msg::Step(StepMsg::Back))} disabled={cursor == 0} title="Back (←)">{"◀"}</button>
                    <button data-testid="forward" onclick={p.on.reform(|_| Msg::Step(StepMsg::Forward))} disabled={cursor + 1 >= n} title="Forward (→)">{"▶"}</button>
                    <button data-testid="random-step" onclick={p.on.reform(|_| Msg::Step(StepMsg::Random))} title="A random enabled action (r)">{"Random step"}</button>
                    <button data-testid="play" onclick={p.on.reform(|_| Msg::Play(PlayMsg::Toggle))} title="Play random steps (space)">{ if p.playing { "Pause" } else { "Play" } }</button>
                    <button data-testid="reset" onclick={p.on.reform(|_| Msg::Step(StepMsg::Reset))} title="Start over from the initial state">{"Reset"}</button>
                </div>
            }
        </div>
    }
}

/// Shown in place of the explorer when the embed's link names nothing it can show.
#[derive(Properties, PartialEq)]
pub struct EmbedErrorProps {
    pub message: String,
}

#[function_component]
pub fn EmbedError(p: &EmbedErrorProps) -> Html {
    html! {
        <div class="embed-error" role="alert" data-testid="embed-error">
            <strong>{"This embedded explorer cannot be shown."}</strong>
            <p>{ p.message.clone() }</p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct EmbedSnippetsProps {
    /// The `<protocol-explorer>` element and the iframe, for the step shown.
    pub element: String,
    pub iframe: String,
    pub on: Callback<Msg>,
}

/// "Embed": the copy-paste snippets that put this step into another page.
#[function_component]
pub fn EmbedSnippets(p: &EmbedSnippetsProps) -> Html {
    let copy = |text: &String| {
        let text = text.clone();
        p.on.reform(move |_| Msg::Export(ExportMsg::CopyText(text.clone())))
    };
    html! {
        <div class="card embed-snippets" data-testid="embed-snippets">
            <h2>
                {"Embed this step"}
                <span class="muted">{" · in a docs or course page"}</span>
                <button class="ghost small close" onclick={p.on.reform(|_| Msg::Export(ExportMsg::ToggleEmbedSnippets))} aria-label="Close">{"×"}</button>
            </h2>
            <p class="small">{"The element loads when it comes into view and fits its height; see embed.js for its attributes, events and methods."}</p>
            <textarea readonly=true rows="3" data-testid="embed-element" value={p.element.clone()} />
            <button class="small" data-testid="copy-embed-element" onclick={copy(&p.element)}>{"Copy the element"}</button>
            <p class="small">{"Or a plain iframe:"}</p>
            <textarea readonly=true rows="3" data-testid="embed-iframe" value={p.iframe.clone()} />
            <button class="small" data-testid="copy-embed-iframe" onclick={copy(&p.iframe)}>{"Copy the iframe"}</button>
        </div>
    }
}
