//! A [`Drawing`] as SVG.

use crate::explorer::draw::{Drawing, Layout, Shape};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn shape(s: &Shape) -> Html {
    match s {
        Shape::Rect { x, y, w, h, rx, class } => {
            html! { <rect x={x.to_string()} y={y.to_string()} width={w.to_string()} height={h.to_string()} rx={rx.to_string()} class={class.clone()} /> }
        }
        Shape::Circle { cx, cy, r, class } => html! { <circle cx={cx.to_string()} cy={cy.to_string()} r={r.to_string()} class={class.clone()} /> },
        Shape::Line { x1, y1, x2, y2, class, arrow } => html! {
            <line x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} class={class.clone()}
                  marker-end={arrow.then_some("url(#arrow)")} />
        },
        Shape::Path { d, class, arrow } => html! { <path d={d.clone()} class={class.clone()} marker-end={arrow.then_some("url(#arrow)")} /> },
        Shape::Text { x, y, text, class, anchor } => html! {
            <text x={x.to_string()} y={y.to_string()} class={class.clone()} text-anchor={anchor.as_str()}>{ text.clone() }</text>
        },
        Shape::Group { id, class, title, children } => html! {
            <g class={class.clone()} data-id={id.clone()}>
                if let Some(t) = title { <title>{ t.clone() }</title> }
                { for children.iter().map(shape) }
            </g>
        },
    }
}

#[derive(Properties, PartialEq)]
struct TopShapeProps {
    shape: Shape,
}

/// A top-level shape of a drawing (a slot, a lane, a node): a step re-renders only those it
/// changed; comparing a shape costs far less than rebuilding and diffing its elements.
#[function_component]
fn TopShape(p: &TopShapeProps) -> Html {
    shape(&p.shape)
}

/// A legend swatch: one shape in a small box of its own.
pub fn swatch(shape_: &Shape, width: f64, height: f64) -> Html {
    html! {
        <svg class="legend-swatch" viewBox={format!("0 0 {width} {height}")} width={width.to_string()} height={height.to_string()} aria-hidden="true">
            { shape(shape_) }
        </svg>
    }
}

/// The smallest scale a drawing is shown at: its smallest text (11 px) stays readable (≥ 8.8 px)
/// on a phone, where the drawing scrolls sideways instead of shrinking further.
const MIN_SCALE: f64 = 0.8;

/// The largest scale: a small drawing (a short trace's timeline) is not blown up to giant text.
const MAX_SCALE: f64 = 1.3;

/// The drawing as an `<svg>` that scales to its container's width, between [`MIN_SCALE`] and
/// [`MAX_SCALE`].
pub fn render(d: &Drawing) -> Html {
    html! {
        <svg class="view-svg" viewBox={format!("0 0 {} {}", d.width, d.height)} preserveAspectRatio="xMinYMin meet" role="img"
             aria-label={d.text_alternative()}
             style={format!("min-width: {:.0}px; max-width: {:.0}px", d.width * MIN_SCALE, d.width * MAX_SCALE)}>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                </marker>
            </defs>
            { for d.shapes.iter().map(|s| html! { <TopShape shape={s.clone()} /> }) }
        </svg>
    }
}

/// The width class to lay the first picture out for, before the view panel has been measured:
/// the window's width less the page's margins.
pub fn initial_layout() -> Layout {
    let width = web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).unwrap_or(0.0);
    Layout::for_width(width - 40.0)
}

/// Watches an element (the view panel) and says its width class whenever the element is resized
/// (a `ResizeObserver`; the class, not the pixels, so a resize redraws only when it crosses a
/// class's edge: the receiver ignores a class it already has).
pub struct LayoutWatch {
    observer: web_sys::ResizeObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl LayoutWatch {
    pub fn new(node: &NodeRef, on: Callback<Layout>) -> Option<LayoutWatch> {
        let element = node.cast::<web_sys::Element>()?;
        let watched = element.clone();
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| {
            on.emit(Layout::for_width(watched.client_width() as f64));
        });
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(&element);
        Some(LayoutWatch { observer, _callback: callback })
    }
}

impl Drop for LayoutWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
