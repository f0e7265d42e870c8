//! The docs book, generated from the catalogue: a gallery, a page per model and the embed
//! contract, as mdBook sources (`pex docs --out DIR`; `scripts/site.sh` builds them into the
//! site beside the app). Each page says what the model's definition says (its story, constants,
//! configs, properties with their TLA+ text, actions) and embeds the explorer at a telling step:
//! each gap's shortest counterexample, found by the checker when the book is written, so a page
//! never shows a trace the model no longer has.
//!
//! The pages sit in the book's root, one level below the app (`<site>/docs/paxos.html`), so the
//! app is `../index.html` and its embed script `../embed.js` from every page.

use crate::catalogue;
use crate::explorer::draw::standalone_svg;
use crate::explorer::Explorer;

/// One file of the book's sources: its path under the source folder, and its text.
pub struct Page {
    pub path: String,
    pub text: String,
}

/// The app, seen from a page of the book.
const APP: &str = "../index.html";
/// The embed script, seen from a page of the book.
const EMBED_SCRIPT: &str = "../embed.js";
/// The app's stylesheet, which the pictures carry inside them.
const STYLE: &str = include_str!("../web/style.css");

/// A gap's shortest counterexample, as a page shows it.
struct Gap {
    config: &'static str,
    summary: &'static str,
    property: String,
    link: String,
    /// The action labels after the initial state.
    labels: Vec<String>,
    picture: String,
}

fn gaps(model: &str) -> Result<Vec<Gap>, String> {
    let info = (catalogue::find(model).map_err(|e| e.to_string())?.info)();
    let mut out = Vec::new();
    for c in info.configs.iter().filter(|c| c.expect.is_some()) {
        let (x, property) = Explorer::with_counterexample(model, c.name)?;
        let drawing = x.drawing().ok_or_else(|| format!("{model} has no view"))?;
        out.push(Gap {
            config: c.name,
            summary: c.summary,
            property,
            link: x.link().encode(),
            labels: x.session().trace().labels(),
            picture: standalone_svg(&drawing, STYLE, false),
        });
    }
    Ok(out)
}

/// Markdown text with `|` escaped, for a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// An HTML attribute value.
fn attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

fn embed(link: &str, props: bool) -> String {
    // The theme follows the book's own (mdBook's light or dark themes) when the frame loads.
    format!("<protocol-explorer link=\"#{}\" theme=\"page\"{}></protocol-explorer>\n", attr(link), if props { " props" } else { "" })
}

/// Every file of the book: `book.toml`, and under `src/` `SUMMARY.md`, the gallery (`index.md`), a
/// page per model, `embedding.md`, and a picture per model (`pictures/<model>.svg`).
pub fn book() -> Result<Vec<Page>, String> {
    let infos = catalogue::infos();
    let mut pages = Vec::new();
    let mut summary = String::from("# Summary\n\n[Gallery](index.md)\n\n# Protocols\n\n");
    let mut gallery = format!(
        "# Protocol Explorer\n\nStep through formal models of concurrent and distributed protocols, check them exhaustively in \
         your browser, and watch an invariant break when a deliberately unsafe configuration (a *gap*) is switched on. \
         Each protocol below has a page: its story, what the picture shows, its properties with their TLA+ text, and \
         its gap at the step where it breaks. [Open the explorer]({APP}).\n\n<div class=\"pex-gallery\">\n\n"
    );
    for info in &infos {
        let gaps = gaps(info.name)?;
        summary.push_str(&format!("- [{}]({}.md)\n", info.title, info.name));
        let picture = format!("pictures/{}.svg", info.name);
        let first = gaps.first();
        if let Some(g) = first {
            pages.push(Page { path: picture.clone(), text: g.picture.clone() });
        }
        let explore = first.map(|g| format!("{APP}#{}", g.link)).unwrap_or_else(|| format!("{APP}#v=1&m={}", info.name));
        gallery.push_str(&format!(
            "<div class=\"pex-card\">\n<a href=\"{name}.html\"><img src=\"{picture}\" alt=\"{title}: the view at the step where its gap breaks {what}\" loading=\"lazy\"></a>\n\n\
             ### [{title}]({name}.md)\n\n{story}\n\n[Its page]({name}.md) · [Explore it]({explore}){lesson}\n\n</div>\n\n",
            name = info.name,
            title = info.title,
            story = info.story,
            what = first.map(|g| g.property.as_str()).unwrap_or("nothing"),
            explore = attr(&explore),
            lesson = "",
        ));
        pages.push(Page { path: format!("{}.md", info.name), text: model_page(info, &gaps) });
    }
    gallery.push_str(&format!("</div>\n\n<script src=\"{EMBED_SCRIPT}\"></script>\n"));
    summary.push_str("\n# Using it\n\n- [Embedding the explorer](embedding.md)\n");
    pages.push(Page { path: "SUMMARY.md".into(), text: summary });
    pages.push(Page { path: "index.md".into(), text: gallery });
    pages.push(Page { path: "embedding.md".into(), text: EMBEDDING.to_string() });
    // The sources in src/, the settings and extra stylesheet beside them (mdBook reads
    // `additional-css` from the book's root).
    for p in &mut pages {
        p.path = format!("src/{}", p.path);
    }
    pages.push(Page { path: "gallery.css".into(), text: GALLERY_CSS.to_string() });
    pages.push(Page { path: "book.toml".into(), text: BOOK_TOML.to_string() });
    Ok(pages)
}

fn model_page(info: &crate::engine::ModelInfo, gaps: &[Gap]) -> String {
    let x = Explorer::for_model(info.name).expect("a catalogued model");
    let m = x.model();
    let mut p = format!("# {}\n\n{}\n\n*Source: {}. TLA+ twin: `tla/{}/{}.tla`.*\n\n", info.title, info.story, info.source, info.name, info.tla_module);
    p.push_str(&format!("[Open it in the explorer]({APP}#v=1&m={}).\n\n", info.name));
    if let Some(g) = gaps.first() {
        p.push_str(&format!("Below: the `{}` configuration at the step where {} fails. Step back and forth, or play on.\n\n", g.config, g.property));
        p.push_str(&embed(&g.link, true));
        p.push('\n');
    }
    if let Some(legend) = x.legend() {
        p.push_str("## What the picture shows\n\n");
        for item in &legend.items {
            p.push_str(&format!("- {}\n", item.meaning));
        }
        for n in &legend.notation {
            p.push_str(&format!("\n{n}\n"));
        }
        p.push('\n');
    }
    p.push_str("## Constants\n\n| constant | default | meaning |\n|---|---|---|\n");
    for c in &info.constants {
        p.push_str(&format!("| `{}` | `{}` | {} |\n", c.name, cell(c.default), cell(c.doc)));
    }
    p.push_str("\n## Configurations\n\n| config | what it changes | expected to break |\n|---|---|---|\n");
    for c in &info.configs {
        p.push_str(&format!("| `{}` | {} | {} |\n", c.name, cell(c.summary), c.expect.unwrap_or("nothing")));
    }
    p.push_str("\n## Properties\n\n");
    for (name, d) in x.definitions() {
        p.push_str(&format!("**{name}**: {}\n\n```tla\n{}\n```\n\n", d.words.unwrap_or(""), d.tla.trim_end()));
    }
    p.push_str("## Actions\n\n");
    for (name, words) in x.action_meanings() {
        p.push_str(&format!("- **{name}**: {words}\n"));
    }
    for g in gaps {
        p.push_str(&format!(
            "\n## The gap `{}`\n\n{}\n\nThe checker's shortest counterexample breaks **{}** in {} steps:\n\n",
            g.config,
            g.summary,
            g.property,
            g.labels.len()
        ));
        for (i, label) in g.labels.iter().enumerate() {
            let family = label.split('(').next().unwrap_or(label);
            let words = m.action_meaning(family).map(|w| format!(": {w}")).unwrap_or_default();
            p.push_str(&format!("{}. `{}`{}\n", i + 1, label, words));
        }
        p.push('\n');
    }
    p.push_str(&format!("\n<script src=\"{EMBED_SCRIPT}\"></script>\n"));
    p
}

/// The book's settings.
const BOOK_TOML: &str = r#"[book]
title = "Protocol Explorer"
description = "Formal models of concurrent and distributed protocols, explained and explorable."
language = "en"
src = "src"

[build]
create-missing = false

[output.html]
additional-css = ["gallery.css"]
no-section-label = true
"#;

const GALLERY_CSS: &str = "\
.pex-gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; }
.pex-card { border: 1px solid var(--table-border-color, #ddd); border-radius: 10px; padding: 10px 12px; }
.pex-card img { width: 100%; height: 150px; object-fit: cover; object-position: left top; border-radius: 6px; background: #fff; }
.pex-card h3 { margin: 8px 0 4px; font-size: 1.1em; }
.pex-card p { margin: 4px 0; font-size: 0.92em; }
protocol-explorer { margin: 12px 0; }
";

const EMBEDDING: &str = r#"# Embedding the explorer

Any page can show the explorer at an exact step: a docs page, a course page, a slide deck in the
browser. In the app, **Embed** (beside *Copy link*) gives the two snippets below for the step shown.

## The element

```html
<script src="https://example.org/protocol-explorer/embed.js" defer></script>
<protocol-explorer model="paxos" config="ignore-accepted" props></protocol-explorer>
```

| attribute | meaning |
|---|---|
| `model`, `config`, `seed` | what to explore (`config` defaults to `safe`) |
| `constants` | `"Acceptors={1, 2, 3}; Values={v1, v2}"`: each replaces that constant's default |
| `link` | a deep link (from *Copy link* or *Embed*): model, config, constants, seed, trace and step |
| `step` | the step of the link's trace shown |
| `controls` | `false` hides the step bar |
| `props` | shows the properties panel under the view |
| `theme` | `light`, `dark`, `auto` (the reader's colour scheme, the default) or `page` (follow this page) |
| `height` | a fixed height in pixels; without it the frame fits its content |
| `loading` | `lazy` (the default: a poster until it nears the screen or is clicked) or `eager` |

A bad attribute or an unknown model shows a message in place of the widget. Several explorers on
one page load one after another, so the app's WebAssembly is downloaded once.

**Events** (DOM `CustomEvent`s on the element, `detail` as below): `pex-ready`, `pex-step`
(`model, config, step, steps, action, failing`), `pex-violation` (`step, properties`),
`pex-resize` (`height`), `pex-error` (`message`).

**Methods**: `goTo(n)`, `step(action?)` (a random step, or the action with that label),
`back()`, `forward()`, `play()`, `pause()`, `reset()`.

```html
<script>
  const pe = document.querySelector('protocol-explorer');
  pe.addEventListener('pex-violation', e => console.log('broken at', e.detail.step, e.detail.properties));
  pe.addEventListener('pex-ready', () => pe.goTo(3));
</script>
```

## The iframe

```html
<iframe src="https://example.org/protocol-explorer/index.html#v=1&m=paxos&c=ignore-accepted&embed=1&props=1"
        title="Protocol Explorer" style="width:100%;height:520px;border:0" loading="lazy"></iframe>
```

The fragment is a deep link plus the embed's keys: `embed=1`, `props=1`, `controls=0`,
`theme=light|dark|auto`, and `origin=<your page's origin>`. With `origin`, the frame sends its
events to that origin alone and takes commands from it alone; without it, events go to the parent
page and commands are taken from the parent window only.

Messages are version 1 of the embed protocol. Events:
`{source: 'protocol-explorer', v: 1, type: 'ready' | 'step' | 'violation' | 'resize' | 'error', ...}`.
Commands: `{target: 'protocol-explorer', v: 1, type: 'goto', step: 3}`, `type: 'step'` (with an
optional `action`), `'back'`, `'forward'`, `'play'`, `'pause'`, `'reset'`. A command of another
version, or one that cannot be read, is answered with an `error` event and changes nothing.

The embed needs no cookies and no storage: it keeps nothing between visits.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_book_has_a_page_and_a_picture_per_model_and_every_embed_replays() {
        let pages = book().unwrap();
        let find = |p: &str| pages.iter().find(|x| x.path == format!("src/{p}")).map(|x| x.text.as_str());
        let summary = find("SUMMARY.md").unwrap();
        for info in catalogue::infos() {
            assert!(summary.contains(&format!("({}.md)", info.name)), "{}", info.name);
            let page = find(&format!("{}.md", info.name)).unwrap();
            assert!(page.contains(info.story));
            let svg = find(&format!("pictures/{}.svg", info.name)).unwrap();
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.ends_with("</svg>\n"));
            // Each embedded link opens, with nothing dropped, at the step where its property fails.
            for cap in page.split("<protocol-explorer link=\"#").skip(1) {
                let link = cap.split('"').next().unwrap().replace("&amp;", "&");
                let x = Explorer::from_link(&link);
                assert!(x.notices().is_empty(), "{}: {link}: {:?}", info.name, x.notices());
                assert!(x.property_rows().iter().any(|r| r.holds_now == Some(false)) || x.lasso().is_some(), "{}: {link}", info.name);
            }
        }
    }
}
