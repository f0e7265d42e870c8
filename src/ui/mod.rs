//! The web app (feature `web`): a yew layer over [`crate::explorer`], a web worker for checks, a
//! plotters chart, and the glue to the page (URL, theme, downloads, the panic banner).

pub mod app;
pub mod chart;
pub mod check;
pub mod embed;
pub mod lesson;
pub mod panel_state;
pub mod panels;
pub mod play;
pub mod simulate;
pub mod svg;
pub mod worker;

/// Whether this build carries the browser tests' hooks: the render counts in `window.__pexRenders`
/// and `window.__pexCrashWorker` / `window.__pexHangWorker`. Only a build made with
/// `PEX_TEST_HOOKS` set in its environment has them (the test command builds such a second site
/// for the tests that need them); in every other build this is `false`, the hooks' code is compiled
/// out, and users never download it (the test command checks the released files for `__pex`).
pub const TEST_HOOKS: bool = option_env!("PEX_TEST_HOOKS").is_some();

use crate::catalogue::Catalogue;
use std::sync::{Arc, OnceLock};

/// The catalogue the app was started with (see [`start`]).
static CATALOGUE: OnceLock<Arc<Catalogue>> = OnceLock::new();

/// The models and lessons this app shows: the catalogue given to [`start`].
pub fn catalogue() -> Arc<Catalogue> {
    CATALOGUE.get().cloned().unwrap_or_else(|| Arc::new(Catalogue::new()))
}

/// Starts the app over `catalogue` (this repository's site: `Catalogue::builtin()`): a panic hook
/// that shows a banner (not just a console line), then the root component.
pub fn start(catalogue: Catalogue) {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        dom::show_fatal(&format!("The app hit an internal error and stopped: {info}. Reload the page; your link still holds the trace."));
    }));
    dom::watch_uncaught_errors();
    if catalogue.is_empty() {
        dom::show_fatal("This app was built with an empty catalogue: there is no model to show.");
        return;
    }
    let _ = CATALOGUE.set(Arc::new(catalogue));
    // Mount into #app, beside (not over) the fatal-error banner.
    match dom::document().get_element_by_id("app") {
        Some(root) => {
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => dom::show_fatal("The page has no #app element to mount into."),
    }
}

/// Small helpers over the browser's APIs.
pub mod dom {
    use gloo::events::EventListener;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{Document, KeyboardEvent, Window};

    pub fn window() -> Window {
        web_sys::window().expect("a window")
    }

    pub fn document() -> Document {
        window().document().expect("a document")
    }

    /// Milliseconds from the page's performance clock.
    pub fn now() -> f64 {
        window().performance().map(|p| p.now()).unwrap_or(0.0)
    }

    pub fn hash() -> String {
        window().location().hash().unwrap_or_default()
    }

    pub fn href() -> String {
        window().location().href().unwrap_or_default()
    }

    /// Replaces the URL's fragment without adding a history entry.
    pub fn replace_hash(hash: &str) {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{hash}")));
        }
    }

    /// An asset's URL under the site's public URL (the `<base>` trunk writes), so the app works
    /// when served under a sub-path.
    pub fn asset_url(name: &str) -> String {
        let base = document().base_uri().ok().flatten().unwrap_or_else(href);
        web_sys::Url::new_with_base(name, &base).map(|u| u.href()).unwrap_or_else(|_| name.to_string())
    }

    /// Keys typed into a field are the field's, not shortcuts; a space on a focused button
    /// presses the button.
    pub fn typing_in_field(e: &KeyboardEvent) -> bool {
        let tag = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|el| el.tag_name()).unwrap_or_default();
        matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA") || (tag == "BUTTON" && (e.key() == " " || e.key() == "Enter"))
    }

    const THEME_KEY: &str = "pex-theme";

    pub fn initial_dark() -> bool {
        // Storage may be unavailable (a frame on another site, cookies blocked): then the
        // reader's colour scheme decides.
        if let Some(stored) = window().local_storage().ok().flatten().and_then(|s| s.get_item(THEME_KEY).ok().flatten()) {
            return stored == "dark";
        }
        prefers_dark()
    }

    /// The reader's colour scheme is dark.
    pub fn prefers_dark() -> bool {
        window().match_media("(prefers-color-scheme: dark)").ok().flatten().map(|m| m.matches()).unwrap_or(false)
    }

    pub fn set_theme(dark: bool) {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
        }
    }

    pub fn store_theme(dark: bool) {
        if let Some(s) = window().local_storage().ok().flatten() {
            let _ = s.set_item(THEME_KEY, if dark { "dark" } else { "light" });
        }
    }

    /// A lesson's kept progress; `None` when there is none or storage is unavailable (a frame on
    /// another site, cookies blocked): the lesson then starts at its intro.
    pub fn load_progress(key: &str) -> Option<String> {
        window().local_storage().ok().flatten()?.get_item(key).ok().flatten()
    }

    /// Keeps a lesson's progress, when storage is available (nothing is lost without it but the
    /// place in the lesson on the next visit).
    pub fn store_progress(key: &str, value: &str) {
        if let Some(s) = window().local_storage().ok().flatten() {
            let _ = s.set_item(key, value);
        }
    }

    /// Offers `text` as a file download.
    pub fn download(name: &str, text: &str) -> Result<(), String> {
        download_as(name, text, "application/json")
    }

    /// Saves `text` as a file of type `mime`.
    pub fn download_as(name: &str, text: &str, mime: &str) -> Result<(), String> {
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|e| format!("{e:?}"))?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
        let a: web_sys::HtmlAnchorElement = document().create_element("a").map_err(|e| format!("{e:?}"))?.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
        let _ = web_sys::Url::revoke_object_url(&url);
        Ok(())
    }

    /// Copies `text` to the clipboard and calls `done` with the outcome: the browser may have no
    /// clipboard here (an insecure origin) or refuse the write (a cross-origin frame without the
    /// permission), and the user must be told which.
    pub fn copy_to_clipboard(text: &str, done: impl FnOnce(Result<(), String>) + 'static) {
        let navigator = window().navigator();
        let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).map(|c| !c.is_undefined() && !c.is_null()).unwrap_or(false);
        if !has_clipboard {
            done(Err("this page has no clipboard access (it needs https or localhost)".to_string()));
            return;
        }
        let promise = navigator.clipboard().write_text(text);
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => done(Ok(())),
                Err(e) => {
                    let why = js_sys::Reflect::get(&e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()).unwrap_or_else(|| format!("{e:?}"));
                    done(Err(format!("the browser refused the clipboard write ({why})")))
                }
            }
        });
    }

    /// Resolves a lesson's address as written (a link's `lesson-src`, perhaps relative) against
    /// this page's address.
    pub fn resolve_url(url: &str) -> Result<String, String> {
        web_sys::Url::new_with_base(url, &href()).map(|u| u.href()).map_err(|_| format!("the lesson's address '{url}' is not a URL"))
    }

    /// Fetches a lesson's text from `url` (already checked) and calls `done` with it, or with why
    /// it could not be had: the browser's network or CORS refusal (which a page cannot tell apart),
    /// an HTTP error, a body over `limit` bytes (the download is cancelled there) or not UTF-8.
    pub fn fetch_text(url: &str, limit: usize, done: impl FnOnce(Result<String, String>) + 'static) {
        let url = url.to_string();
        wasm_bindgen_futures::spawn_local(async move { done(fetch_text_now(&url, limit).await) });
    }

    async fn fetch_text_now(url: &str, limit: usize) -> Result<String, String> {
        use wasm_bindgen_futures::JsFuture;
        let init = web_sys::RequestInit::new();
        init.set_mode(web_sys::RequestMode::Cors);
        init.set_credentials(web_sys::RequestCredentials::Omit);
        let message = |e: &JsValue| js_sys::Reflect::get(e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()).unwrap_or_else(|| format!("{e:?}"));
        let response = match JsFuture::from(window().fetch_with_str_and_init(url, &init)).await {
            Ok(r) => r.unchecked_into::<web_sys::Response>(),
            Err(e) => {
                let page_https = href().starts_with("https:");
                let hint = if page_https && url.starts_with("http:") && !is_loopback(url) {
                    "this page is served over https, so the browser refuses an http address: serve the lesson over https"
                } else {
                    "the server did not answer, or it does not let other sites read the file (it must send the header Access-Control-Allow-Origin; see \"Write a lesson\" in the docs)"
                };
                return Err(format!("it could not be fetched: {hint}. The browser says: {}", message(&e)));
            }
        };
        if !response.ok() {
            let status = response.status_text();
            return Err(format!("the server answered {} {}", response.status(), if status.is_empty() { "(an error)".to_string() } else { status }));
        }
        let Some(body) = response.body() else { return Ok(String::new()) };
        let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        let mut bytes: Vec<u8> = Vec::new();
        loop {
            let chunk = JsFuture::from(reader.read()).await.map_err(|e| format!("its download broke off: {}", message(&e)))?;
            let field = |name: &str| js_sys::Reflect::get(&chunk, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
            if field("done").as_bool().unwrap_or(true) {
                break;
            }
            let value = js_sys::Uint8Array::new(&field("value"));
            if bytes.len() + value.length() as usize > limit {
                let _ = reader.cancel();
                return Err(format!("it is larger than {limit} bytes, the most a lesson may hold"));
            }
            let start = bytes.len();
            bytes.resize(start + value.length() as usize, 0);
            value.copy_to(&mut bytes[start..]);
        }
        String::from_utf8(bytes).map_err(|e| format!("it is not UTF-8 text (byte {} is not)", e.utf8_error().valid_up_to()))
    }

    /// `http://127.0.0.1…`, `http://localhost…`, `http://[::1]…`: addresses an https page may
    /// still fetch over http (`pex lesson serve`).
    fn is_loopback(url: &str) -> bool {
        let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
        ["127.0.0.1", "localhost", "[::1]"].iter().any(|h| rest.starts_with(h) && matches!(rest[h.len()..].chars().next(), None | Some(':' | '/')))
    }

    /// [`scroll_current_step_into_view`] at the next animation frame: the page is laid out then
    /// anyway, so reading positions costs no forced layout in the middle of a render.
    pub fn scroll_current_step_into_view_before_paint() {
        let closure = wasm_bindgen::closure::Closure::once_into_js(scroll_current_step_into_view);
        let _ = window().request_animation_frame(closure.unchecked_ref());
    }

    /// The page's stylesheet, embedded in exported SVG so that it looks as it does on screen.
    const STYLE: &str = include_str!("../../web/style.css");

    /// The view's drawing as it is on screen, as a standalone SVG file: the page's stylesheet
    /// inside, the current theme, and a background, so that it reads the same on a slide.
    pub fn view_svg() -> Result<(String, f64, f64), String> {
        svg_of("[data-testid=view] .view-scroll svg", "this model has no picture to export")
    }

    /// The message chart as a standalone SVG document (see [`view_svg`]).
    pub fn chart_svg() -> Result<(String, f64, f64), String> {
        svg_of("[data-testid=trace-view][data-chart] svg", "this model passes no messages, so it has no message chart")
    }

    /// The drawing `selector` finds, as a standalone SVG document with the page's theme and
    /// style inlined, and its size.
    fn svg_of(selector: &str, missing: &str) -> Result<(String, f64, f64), String> {
        let svg = document().query_selector(selector).ok().flatten().ok_or(missing)?;
        let copy: web_sys::Element = svg.clone_node_with_deep(true).map_err(|e| format!("{e:?}"))?.unchecked_into();
        let view_box = copy.get_attribute("viewBox").unwrap_or_default();
        let dims: Vec<f64> = view_box.split_whitespace().filter_map(|n| n.parse().ok()).collect();
        let (w, h) = match dims[..] {
            [_, _, w, h] => (w, h),
            _ => return Err("the drawing has no size".into()),
        };
        let dark = document().document_element().and_then(|r| r.get_attribute("data-theme")).as_deref() == Some("dark");
        let _ = copy.set_attribute("xmlns", "http://www.w3.org/2000/svg");
        let _ = copy.set_attribute("width", &w.to_string());
        let _ = copy.set_attribute("height", &h.to_string());
        let _ = copy.set_attribute("data-theme", if dark { "dark" } else { "light" });
        let _ = copy.remove_attribute("style");
        let doc = document();
        let style = doc.create_element_ns(Some("http://www.w3.org/2000/svg"), "style").map_err(|e| format!("{e:?}"))?;
        style.set_text_content(Some(STYLE));
        let background = doc.create_element_ns(Some("http://www.w3.org/2000/svg"), "rect").map_err(|e| format!("{e:?}"))?;
        for (k, v) in [("width", "100%"), ("height", "100%"), ("style", "fill: var(--panel)")] {
            let _ = background.set_attribute(k, v);
        }
        let _ = copy.prepend_with_node_2(&style, &background);
        Ok((copy.outer_html(), w, h))
    }

    /// The view's drawing as a PNG file at twice its size, made by the browser from the SVG; `done`
    /// is told the outcome.
    pub fn download_view_png(name: String, done: impl FnOnce(Result<(), String>) + 'static) {
        let (svg, w, h) = match view_svg() {
            Ok(v) => v,
            Err(e) => return done(Err(e)),
        };
        let url = format!("data:image/svg+xml;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&svg)));
        wasm_bindgen_futures::spawn_local(async move {
            let result = async {
                let img = web_sys::HtmlImageElement::new().map_err(|e| format!("{e:?}"))?;
                img.set_src(&url);
                wasm_bindgen_futures::JsFuture::from(img.decode()).await.map_err(|_| "the browser could not render the drawing".to_string())?;
                let canvas: web_sys::HtmlCanvasElement = document().create_element("canvas").map_err(|e| format!("{e:?}"))?.unchecked_into();
                let scale = 2.0;
                canvas.set_width((w * scale).ceil() as u32);
                canvas.set_height((h * scale).ceil() as u32);
                let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok().flatten().ok_or("no 2D canvas in this browser")?.unchecked_into();
                ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, w * scale, h * scale).map_err(|e| format!("{e:?}"))?;
                let data = canvas.to_data_url_with_type("image/png").map_err(|e| format!("{e:?}"))?;
                let a: web_sys::HtmlAnchorElement = document().create_element("a").map_err(|e| format!("{e:?}"))?.unchecked_into();
                a.set_href(&data);
                a.set_download(&name);
                a.click();
                Ok::<(), String>(())
            }
            .await;
            done(result)
        });
    }

    /// Keeps the current timeline step visible by scrolling the timeline (never the page).
    pub fn scroll_current_step_into_view() {
        let Ok(Some(el)) = document().query_selector(".steps .current") else { return };
        let Some(list) = el.parent_element() else { return };
        let item: &web_sys::HtmlElement = el.unchecked_ref();
        let (left, width) = (list.scroll_left(), list.client_width());
        let (x, w) = (item.offset_left(), item.offset_width());
        if x < left || x + w > left + width {
            list.set_scroll_left((x - width / 2).max(0));
        }
    }

    /// Shows the fatal-error banner (used by the panic hook, when yew may be gone).
    pub fn show_fatal(text: &str) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        if let Some(el) = doc.get_element_by_id("fatal") {
            el.set_text_content(Some(text));
            let _ = el.remove_attribute("hidden");
        }
    }

    /// Uncaught script errors (a worker that fails to load, say) also go to the banner.
    pub fn watch_uncaught_errors() {
        EventListener::new(&window(), "error", |e| {
            let msg = js_sys::Reflect::get(e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()).unwrap_or_else(|| "unknown error".into());
            show_fatal(&format!("An error occurred: {msg}"));
        })
        .forget();
    }
}
