//! The docs book, generated from the catalogue: a gallery, a page per model and the embed
//! contract, as mdBook sources (`pex docs --out DIR`; `scripts/site.sh` builds them into the
//! site beside the app). Each page says what the model's definition says (its story, constants,
//! configs, properties with their TLA+ text, actions) and embeds the explorer at a telling step:
//! each gap's shortest counterexample, found by the checker when the book is written, so a page
//! never shows a trace the model no longer has.
//!
//! The pages sit in the book's root, one level below the app (`<site>/docs/paxos.html`), so the
//! app is `../index.html` and its embed script `../embed.js` from every page.

use crate::catalogue::Catalogue;
use crate::explorer::draw::standalone_svg;
use crate::explorer::link::Link;
use crate::explorer::Explorer;
use crate::lessons::{self, LessonRun, StepKind};
use std::sync::Arc;

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
    /// The counterexample as TLC prints it, as ITF, and with its second state left out (a trace
    /// that is no behaviour of the model), for the chapter on traces from other tools.
    tlc: String,
    itf: String,
    broken_tlc: Option<String>,
}

fn gaps(catalogue: &Arc<Catalogue>, model: &str) -> Result<Vec<Gap>, String> {
    let info = (catalogue.find(model).map_err(|e| e.to_string())?.info)();
    let mut out = Vec::new();
    for c in info.configs.iter().filter(|c| c.expect.is_some()) {
        let (x, property) = Explorer::with_counterexample_in(catalogue.clone(), model, c.name)?;
        let drawing = x.picture().drawing().ok_or_else(|| format!("{model} has no view"))?;
        let trace = x.session().trace();
        let itf = crate::engine::foreign::to_itf(x.model().as_ref(), trace, &format!("{model}/{}", c.name));
        let broken_tlc = (trace.steps.len() >= 3).then(|| {
            let mut t = trace.clone();
            t.steps.remove(1);
            t.to_tlc_text(x.model().as_ref())
        });
        out.push(Gap {
            config: c.name,
            summary: c.summary,
            property,
            link: x.link().encode(),
            labels: x.session().trace().labels(),
            picture: standalone_svg(&drawing, STYLE, false),
            tlc: trace.to_tlc_text(x.model().as_ref()),
            itf: first_itf_state(itf),
            broken_tlc,
        });
    }
    Ok(out)
}

/// Markdown text with `|` escaped, for a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Text that Markdown must show as written: a condition in words holds TLA+ values (`<<1, 0, 2>>`)
/// and names with underscores, which Markdown would read as tags or emphasis.
fn plain(s: &str) -> String {
    s.replace('\\', "\\\\").replace('<', "&lt;").replace('_', "\\_").replace('*', "\\*").replace('[', "\\[")
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
/// page per model and per lesson, the "Using it" pages (`write-a-lesson.md` with its example lesson
/// in `examples/`, `embedding.md`, …), and a picture per model (`pictures/<model>.svg`).
pub fn book(catalogue: &Catalogue) -> Result<Vec<Page>, String> {
    let catalogue = Arc::new(catalogue.clone());
    let infos = catalogue.infos();
    let mut pages = Vec::new();
    // (title, gap config, property, link) of each model's first gap, for the "Five gaps" page.
    let mut five: Vec<(&str, &str, String, String)> = Vec::new();
    // The first gap of the gallery, with its model's name and title: the traces chapter's example.
    let mut example: Option<(&str, &str, Gap)> = None;
    let mut summary = String::from("# Summary\n\n[Gallery](index.md)\n\n# Protocols\n\n");
    let mut gallery = format!(
        "# Protocol Explorer\n\nStep through formal models of concurrent and distributed protocols, check them exhaustively in \
         your browser, and watch an invariant break when a deliberately unsafe configuration (a *gap*) is switched on. \
         Each protocol below has a page: its story, what the picture shows, its properties with their TLA+ text, and \
         its gap at the step where it breaks. [Open the explorer]({APP}).\n\n<div class=\"pex-gallery\">\n\n"
    );
    for info in &infos {
        let gaps = gaps(&catalogue, info.name)?;
        summary.push_str(&format!("- [{}]({}.md)\n", info.title, info.name));
        let picture = format!("pictures/{}.svg", info.name);
        let first = gaps.first();
        if let Some(g) = first {
            pages.push(Page { path: picture.clone(), text: g.picture.clone() });
        }
        let explore = first.map(|g| format!("{APP}#{}", g.link)).unwrap_or_else(|| format!("{APP}#v=1&m={}", info.name));
        // The model's own lesson is the one named after it (`tests/lessons.rs` insists each
        // model has one); a model without one simply has no lesson link.
        let lesson = catalogue.lesson(info.name).map(|_| format!(" · [Its lesson](lesson-{}.md)", info.name)).unwrap_or_default();
        gallery.push_str(&format!(
            "<div class=\"pex-card\">\n<a class=\"pex-picture\" href=\"{name}.html\"><img src=\"{picture}\" alt=\"{title}: the view at the step where its gap breaks {what}\" loading=\"lazy\"></a>\n\
             <p class=\"pex-card-title\"><a href=\"{name}.html\">{title}</a></p>\n\n{story}\n\n[Its page]({name}.md) · [Explore it]({explore}){lesson}\n\n</div>\n\n",
            name = info.name,
            title = info.title,
            story = info.story,
            what = first.map(|g| g.property.as_str()).unwrap_or("nothing"),
            explore = attr(&explore),
        ));
        pages.push(Page { path: format!("{}.md", info.name), text: model_page(&catalogue, info, &gaps) });
        if let Some(g) = first {
            five.push((info.title, g.config, g.property.clone(), g.link.clone()));
        }
        if example.is_none() {
            example = gaps.into_iter().next().map(|g| (info.name, info.title, g));
        }
    }
    // Lessons: every lesson compiled in, one page each; a model's own lesson in the gallery's
    // order, any other after them in the order of their files.
    summary.push_str("\n# Lessons\n\n");
    let mut all: Vec<(&str, &str)> = catalogue.lessons().to_vec();
    all.sort_by_key(|(path, _)| infos.iter().position(|i| i.name == lessons::lesson_name(path)).unwrap_or(infos.len()));
    for (path, text) in all {
        let run = lessons::load_in(&catalogue, path, text).map_err(|e| e.to_string())?;
        let name = lessons::lesson_name(path);
        summary.push_str(&format!("- [{}](lesson-{name}.md)\n", run.lesson().title));
        pages.push(Page { path: format!("lesson-{name}.md"), text: lesson_page(&catalogue, &run)? });
    }
    gallery.push_str(&format!("</div>\n\n<script src=\"{EMBED_SCRIPT}\"></script>\n"));
    summary.push_str(
        "\n# Using it\n\n- [Write a lesson](write-a-lesson.md)\n- [Embedding the explorer](embedding.md)\n- [Five gaps on one page](five-gaps.md)\n\
         - [Model your own protocol](own-protocol.md)\n- [Traces from TLC, Apalache and Quint](traces.md)\n",
    );
    pages.push(Page { path: "traces.md".into(), text: traces_page(&catalogue, example.as_ref().map(|(n, t, g)| (*n, *t, g))) });
    pages.push(Page { path: "write-a-lesson.md".into(), text: write_a_lesson(&catalogue)? });
    pages.push(Page { path: format!("examples/{EXAMPLE_FILE}"), text: EXAMPLE_LESSON.to_string() });
    pages.push(Page { path: "own-protocol.md".into(), text: own_protocol() });
    pages.push(Page { path: "five-gaps.md".into(), text: five_gaps(&five) });
    pages.push(Page { path: "SUMMARY.md".into(), text: summary });
    pages.push(Page { path: "index.md".into(), text: gallery });
    pages.push(Page { path: "embedding.md".into(), text: EMBEDDING.to_string() });
    // The sources in src/, the settings and extra stylesheet beside them (mdBook reads
    // `additional-css` from the book's root).
    for p in &mut pages {
        p.path = format!("src/{}", p.path);
    }
    pages.push(Page { path: "gallery.css".into(), text: GALLERY_CSS.to_string() });
    pages.push(Page { path: "a11y.js".into(), text: A11Y_JS.to_string() });
    pages.push(Page { path: "book.toml".into(), text: BOOK_TOML.to_string() });
    Ok(pages)
}

/// The files of `examples/peterson` the "Model your own protocol" page quotes.
mod peterson {
    pub const LIB: &str = include_str!("../examples/peterson/src/lib.rs");
    pub const TWIN: &str = include_str!("../examples/peterson/tla/peterson/Peterson.tla");
    pub const GAP_CFG: &str = include_str!("../examples/peterson/tla/peterson/MC_flag-after-check.cfg");
    pub const CLI: &str = include_str!("../examples/peterson/src/bin/pex.rs");
    pub const INDEX: &str = include_str!("../examples/peterson/index.html");
}

/// The lines of `text` from the first that starts (trimmed) with `from` up to, not including, the
/// first after it that starts with `to`; panics when either is missing (the page's test then
/// fails, so a quote never goes stale silently).
fn lines_between(text: &str, from: &str, to: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.trim_start().starts_with(from)).unwrap_or_else(|| panic!("no line {from:?} to quote"));
    let end = lines[start + 1..].iter().position(|l| l.trim_start().starts_with(to)).unwrap_or_else(|| panic!("no line {to:?} after {from:?}")) + start + 1;
    lines[start..end].join("\n").trim_end().to_string()
}

/// "Model your own protocol": the Peterson example (`examples/peterson`), quoted from its files.
fn own_protocol() -> String {
    let fence = |lang: &str, code: &str| format!("```{lang}\n{}\n```\n", code.trim_end());
    let catalogue_fn = lines_between(peterson::LIB, "/// This crate's catalogue", "// ---- CONSTANTS");
    let constants = lines_between(peterson::LIB, "pub struct Peterson", "impl ModelDef for Peterson");
    let info = lines_between(peterson::LIB, "configs: vec![", "meanings: &[");
    let variables = lines_between(peterson::LIB, "pub struct State", "/// `Other(p)`");
    let action = lines_between(peterson::LIB, "/// `Enter(p)`", "/// `Exit(p)`");
    let next = lines_between(peterson::LIB, "/// `Next`'s candidates", "/// The successor by");
    let invariant = lines_between(peterson::LIB, "/// Never both in the critical section.", "}");
    let twin_enter = lines_between(peterson::TWIN, "\\* Enter once", "\\* Leave the critical");
    let twin_next = lines_between(peterson::TWIN, "Next ==", "Spec ==");
    let links: Vec<&str> = peterson::INDEX.lines().filter(|l| l.contains("data-trunk rel=\"rust\"")).map(str::trim).collect();
    let mut page = String::from(
        "# Model your own protocol\n\n\
         A protocol of your own gets everything the built-in models have (the explorer, the exhaustive check, random \
         walks, the state graph, the conformance run against TLC) from a crate of its own that depends on this \
         repository. This page walks through `examples/peterson`, Peterson's mutual exclusion for two processes, \
         written with the public API only; every snippet below is quoted from its files.\n\n\
         ## Start from a skeleton\n\n\
         ```sh\npex new my-lock          # or: cargo run -- new my-lock --pex-path <this checkout>\ncd my-lock\n\
         cargo run -- check my-lock --config test-then-set\n```\n\n\
         `pex new` writes a crate laid out like the example: the model in `src/lib.rs`, its TLA+ twin in \
         `tla/my-lock/`, the binaries `pex`, `app` and `worker`, `Trunk.toml` and `index.html`, a test and a README. \
         The skeleton is a lock for two processes whose gap `test-then-set` breaks `MutualExclusion`; rewrite the \
         model and its twin together, action for action. It depends on this checkout by path \
         (`--pex-path DIR`, by default the checkout `pex` was built from) and carries its `Cargo.lock`, so it builds \
         offline with the same versions.\n\n\
         ## The catalogue\n\n\
         A crate lists its models in a `Catalogue`; its CLI, app and check worker are each one line over it. \
         `.with::<M>()` registers a model drawn by the generic *Variables* view (every variable laid out by the \
         shape of its value); `.with_view::<M>()` one that implements `View` and draws its own picture; \
         `.and(Catalogue::builtin())` lists the built-in models after yours.\n\n",
    );
    page.push_str(&fence("rust", &catalogue_fn));
    page.push_str("\n`src/bin/pex.rs`, the whole of it (`app.rs` calls `pex::ui::start`, `worker.rs` `pex::ui::worker::run_worker` the same way):\n\n");
    page.push_str(&fence("rust", peterson::CLI));
    page.push_str(
        "\n## The model, section by section\n\n\
         `src/lib.rs` reads like its twin `tla/peterson/Peterson.tla`, in the same order. **Constants**: the model's \
         struct holds them, and the configs' TLA+ switches (here `UseTurn`, FALSE in the gap):\n\n",
    );
    page.push_str(&fence("rust", &constants));
    page.push_str("\nEach config names the switches its cfg sets, the property a gap breaks, and the actions it alters (`safe` comes first):\n\n");
    page.push_str(&fence("rust", &info));
    page.push_str("\n**Variables**: one field per TLA+ variable (`to_tla` turns a state into TLA+ values, in `variables()` order):\n\n");
    page.push_str(&fence("rust", &variables));
    page.push_str("\n**Actions**: one function per action, its guard then its effect, `None` when not enabled. `Enter(p)`:\n\n");
    page.push_str(&fence("rust", &action));
    page.push_str("\nand its twin:\n\n");
    page.push_str(&fence("tla", &twin_enter));
    page.push_str(
        "\n**Next** enumerates the candidate actions in the order of the twin's `Next` disjuncts, parameters \
         ascending: TLC (one worker) explores in that order, which is how the two agree on every figure, including \
         the state a failing search stops at.\n\n",
    );
    page.push_str(&fence("rust", &next));
    page.push('\n');
    page.push_str(&fence("tla", &twin_next));
    page.push_str("\n**Invariants**, listed in `build` in the order the cfgs list them:\n\n");
    page.push_str(&fence("rust", &invariant));
    page.push_str(
        "\n## The twin and its cfgs\n\n\
         `tla/peterson/MC.cfg` is the `safe` config and `MC_<gap>.cfg` each gap; a cfg sets every constant and \
         exactly its config's switches, and lists its invariants in the model's order:\n\n",
    );
    page.push_str(&fence("text", peterson::GAP_CFG));
    page.push_str(
        "\n## Check it, compare it with TLC, draw its graph\n\n\
         ```sh\ncd examples/peterson\ncargo run -- check peterson                           # 20 distinct states, depth 7: holds\n\
         cargo run -- check peterson --config flag-after-check  # MutualExclusion fails in 4 steps\n\
         cargo run -- check peterson --config progress          # liveness under weak fairness: a waiting process enters\n\
         cargo run -- conform --tla-dir tla                     # TLC and pex agree on every cfg\n\
         cargo run -- graph peterson > peterson.dot             # the reachable state graph\ncargo test\n```\n\n\
         `conform` runs TLC (`tla2tools.jar` from `$PEX_TLA2TOOLS` or a `.tools/` folder here or above) on each cfg \
         and the crate's own `pex` on the same config, and compares distinct and generated states, depth, verdict \
         and counterexample.\n\n\
         ## Serve it\n\n\
         ```sh\ntrunk serve        # the explorer with your model, on http://127.0.0.1:8081 for the example\n\
         trunk build --release\n```\n\n\
         `index.html` builds the app and the check worker from the crate's own binaries (the stylesheet is this \
         repository's `web/style.css`, by relative path):\n\n",
    );
    page.push_str(&fence("html", &links.join("\n")));
    page
}

fn model_page(catalogue: &Arc<Catalogue>, info: &crate::engine::ModelInfo, gaps: &[Gap]) -> String {
    let x = Explorer::for_model_in(catalogue.clone(), info.name).expect("a catalogued model");
    let m = x.model();
    let mut p = format!("# {}\n\n{}\n\n*Source: {}. TLA+ twin: `tla/{}/{}.tla`.*\n\n", info.title, info.story, info.source, info.name, info.tla_module);
    p.push_str(&format!("[Open it in the explorer]({APP}#v=1&m={}).", info.name));
    if catalogue.lesson(info.name).is_some() {
        p.push_str(&format!(" [Its lesson](lesson-{}.md) walks its gap step by step.", info.name));
    }
    p.push_str("\n\n");
    if let Some(g) = gaps.first() {
        p.push_str(&format!("Below: the `{}` configuration at the step where {} fails. Step back and forth, or play on.\n\n", g.config, g.property));
        p.push_str(&embed(&g.link, true));
        p.push('\n');
    }
    if let Some(legend) = x.picture().legend() {
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
    for (name, d) in x.verdicts().definitions() {
        p.push_str(&format!("**{name}**: {}\n\n```tla\n{}\n```\n\n", d.words.unwrap_or(""), d.tla.trim_end()));
    }
    p.push_str("## Actions\n\n");
    for (name, words) in x.inspect().action_meanings() {
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

/// The link that opens a lesson's model, config, constants and seed with the first `steps` actions
/// of the lesson's walk loaded, at the initial state. Built through the explorer, as the app builds
/// links, so the page's embed opens exactly what the app would.
fn lesson_link(catalogue: &Arc<Catalogue>, run: &LessonRun, steps: usize) -> Result<Link, String> {
    let l = run.lesson();
    let settings =
        Link { model: l.model.clone(), config: l.config.clone(), constants: l.constants.clone(), seed: l.seed, init: run.walk().init_index, ..Link::default() };
    let mut x = Explorer::from_link_in(catalogue.clone(), &settings.encode());
    if let Some(n) = x.notices().as_slice().first() {
        return Err(format!("{}: {}", l.file, n.text));
    }
    let labels = run.walk().labels();
    x.load_trace(run.walk().init_index, &labels[..steps.min(labels.len())], 0, "lesson")?;
    Ok(x.link())
}

/// A lesson as a page: its intro, the explorer holding its walk (at the initial state, so the
/// reader steps forward through it), each step as a numbered section, then the challenges. The
/// answers, hints and solutions are folded away in `<details>`, so reading does not give them
/// away.
fn lesson_page(catalogue: &Arc<Catalogue>, run: &LessonRun) -> Result<String, String> {
    let l = run.lesson();
    let link = lesson_link(catalogue, run, usize::MAX)?;
    let mut p = format!("# {}\n\n*{}*\n\n", l.title, l.summary.trim());
    let constants = if l.constants.is_empty() {
        "default constants".to_string()
    } else {
        l.constants.iter().map(|(k, v)| format!("`{k} = {v}`")).collect::<Vec<_>>().join(", ")
    };
    p.push_str(&format!(
        "Model [{model}]({model}.md), configuration `{}`, {constants}. [Open the lesson's walk in the explorer]({APP}#{}).\n\n",
        l.config,
        attr(&link.encode()),
        model = l.model,
    ));
    p.push_str(l.intro.trim());
    p.push_str("\n\n");
    p.push_str(&format!(
        "The explorer below holds the lesson's whole walk ({}), at its initial state: step forward (→) to follow the \
         steps below, or take other actions to see what else could happen.\n\n",
        crate::engine::plural(run.walk().len() - 1, "action", "actions")
    ));
    p.push_str(&embed(&link.encode(), true));
    p.push('\n');
    for (i, step) in l.steps.iter().enumerate() {
        let (start, end) = (run.step_start(i).unwrap_or(0), run.step_end(i).unwrap_or(0));
        let labels: Vec<&str> = run.walk().steps[start + 1..=end].iter().filter_map(|s| s.action.as_deref()).collect();
        let head = match &step.kind {
            StepKind::Take(label) => format!("`{label}`"),
            StepKind::Wait { until, .. } => format!("until {}", plain(&until.describe())),
        };
        p.push_str(&format!("<div class=\"pex-step\">\n\n## Step {}: {head}\n\n", i + 1));
        if let StepKind::Wait { .. } = &step.kind {
            let way = labels.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ");
            p.push_str(&format!("*Step freely until this holds.*\n\n<details>\n<summary>One way there</summary>\n\n{way}\n\n</details>\n\n"));
        }
        p.push_str(step.caption.trim());
        p.push_str("\n\n");
        for name in &step.breaks {
            p.push_str(&format!("<p class=\"pex-breaks\">✗ <strong>{name}</strong> fails here, for the first time.</p>\n\n"));
        }
        if let Some(q) = &step.question {
            p.push_str(&format!("**Question.** {}\n\n", q.trim()));
            if let Some(a) = &step.answer {
                p.push_str(&format!("<details>\n<summary>Answer</summary>\n\n{}\n\n</details>\n\n", a.trim()));
            }
        }
        let mut at = link.clone();
        at.at = end;
        p.push_str(&format!("[Walk step {end} in the explorer]({APP}#{})\n\n</div>\n\n", attr(&at.encode())));
    }
    if !l.challenges.is_empty() {
        p.push_str("## Try it\n\n");
    }
    for (j, c) in l.challenges.iter().enumerate() {
        let from = if c.from_step == 0 { "the initial state".to_string() } else { format!("the end of step {}", c.from_step) };
        // The walk up to where the challenge starts, and no further: the reader's own steps from
        // there are the challenge.
        let start = run.step_end(c.from_step.saturating_sub(1)).filter(|_| c.from_step > 0).unwrap_or(0);
        let mut at = lesson_link(catalogue, run, start)?;
        at.at = start;
        p.push_str(&format!(
            "### Challenge {}\n\n{}\n\n*From {from} ([open it]({APP}#{})); solved when {}.*\n\n",
            j + 1,
            c.prompt.trim(),
            attr(&at.encode()),
            plain(&c.goal.describe())
        ));
        for (k, hint) in c.hints.iter().enumerate() {
            p.push_str(&format!("<details>\n<summary>Hint {}</summary>\n\n{}\n\n</details>\n\n", k + 1, hint.trim()));
        }
        let solution = c.solution.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ");
        p.push_str(&format!("<details>\n<summary>A solution</summary>\n\n{solution}\n\n</details>\n\n"));
    }
    p.push_str(&format!("\n<script src=\"{EMBED_SCRIPT}\"></script>\n"));
    Ok(p)
}

/// The worked example of "Write a lesson": a complete lesson, kept in `lessons/examples/` (not
/// `lessons/*.toml`, so it is not one of the lessons compiled into the app). The book ships it
/// beside the page (`examples/<file>`), where the page's embed loads it with `lesson-src`.
pub const EXAMPLE_LESSON: &str = include_str!("../lessons/examples/gossip-twice.toml");
/// The worked example's file name.
pub const EXAMPLE_FILE: &str = "gossip-twice.toml";
/// What JavaScript's `encodeURIComponent` leaves as it is: letters, digits and `-_.!~*'()`.
const URI_COMPONENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'!').remove(b'~').remove(b'*').remove(b'\'').remove(b'(').remove(b')');
/// The port the chapter's `pex lesson serve` example listens on.
const EXAMPLE_PORT: u16 = 8123;

/// "Write a lesson": a worked example, then the author's loop (`pex lesson check`, `pex lesson
/// serve`), then trying and publishing a lesson (a link, an embed, inline). Every verdict it
/// quotes is computed here from the example, so the page cannot show a lesson or a message that
/// no longer holds (the example must check, or the book is not written).
fn write_a_lesson(catalogue: &Arc<Catalogue>) -> Result<String, String> {
    let fence = |lang: &str, code: &str| format!("```{lang}\n{}\n```\n", code.trim_end());
    let run = lessons::load_in(catalogue, EXAMPLE_FILE, EXAMPLE_LESSON).map_err(|e| format!("the worked example of write-a-lesson.md: {e}"))?;
    let l = run.lesson();
    // What the checks say of the example, and of two mistakes made in it.
    let ok = run.summary_line();
    let mistake = |from: &str, to: &str| -> Result<String, String> {
        if !EXAMPLE_LESSON.contains(from) {
            return Err(format!("write-a-lesson.md: the worked example has no {from:?} to change"));
        }
        match lessons::load_in(catalogue, EXAMPLE_FILE, &EXAMPLE_LESSON.replacen(from, to, 1)) {
            Err(e) => Ok(e.to_string()),
            Ok(_) => Err(format!("write-a-lesson.md: changing {from:?} to {to:?} still checks")),
        }
    };
    let unclosed = mistake("config = \"no-dedup\"", "config = \"no-dedup")?;
    let no_breaks = mistake("breaks = \"NoDuplicateProcessing\"\n", "")?;
    let url = format!("http://127.0.0.1:{EXAMPLE_PORT}/{EXAMPLE_FILE}");
    let encode = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    let limit_kib = lessons::MAX_LESSON_BYTES / 1024;
    let mut p = format!(
        "# Write a lesson\n\n\
         A lesson walks a reader through one protocol, one step at a time: a short story at the start, a caption \
         for each step, a question now and then, and a few \"try it\" challenges at the end. The lessons in this \
         book are built in, but you can write your own for your students, for a talk or for a design review, \
         and share it as a link or put it on your own page. A lesson is one small text file in \
         [TOML](https://toml.io); you need no Rust and no build, only a model the explorer already has \
         ([the gallery](index.md) lists them).\n\n\
         The explorer checks a lesson against its model before playing it: every action you name must be one \
         the reader can take at that moment, every condition you wait for must really come true, every \
         challenge must be solvable by the solution you give. So a lesson that opens is a lesson that works.\n\n\
         ## A worked example\n\n\
         This lesson ({steps}, {challenges}) shows the gap `{config}` of the [gossip model](gossip.md): a \
         network that delivers a message twice, and a receiver that counts it twice. Here it is, the whole \
         file, `{EXAMPLE_FILE}`:\n\n",
        steps = crate::engine::plural(l.steps.len(), "step", "steps"),
        challenges = crate::engine::plural(l.challenges.len(), "challenge", "challenges"),
        config = l.config,
    );
    p.push_str(&fence("toml", EXAMPLE_LESSON));
    p.push_str(&format!(
        "\nAnd here it is playing (it is fetched from [`examples/{EXAMPLE_FILE}`](examples/{EXAMPLE_FILE}), \
         beside this page):\n\n\
         <protocol-explorer lesson-src=\"examples/{EXAMPLE_FILE}\" theme=\"page\" props></protocol-explorer>\n\n\
         What the parts do:\n\n\
         - **`title`, `summary`, `intro`**: the lesson's name, one sentence about it, and the story shown before \
         the first step. Captions, questions and the intro are Markdown: `**bold**`, `*italic*`, `` `code` ``.\n\
         - **`model`, `config`**: the protocol and its configuration, as the explorer names them (a model's page \
         lists its configurations; `pex list` prints them all).\n\
         - **`[constants]`**: changes to the model's default constants, here two replicas instead of three. Put it \
         after the keys above: in TOML a table runs until the next `[…]` line.\n\
         - **`[[steps]]`**, in order. `do = \"…\"` is one action, written exactly as the explorer's list of \
         actions writes it. `wait = {{ … }}` lets the reader step freely until a condition holds, with \
         `solution` as one way there (the explorer's *Show me*). `highlight` picks what to emphasise: property \
         names and rows of the state inspector (`local_state[2]`). `question` and `answer` are optional.\n\
         - **`breaks`**: the step where a property first fails must say so. The check works out where that \
         happens along your walk and insists the caption shown there is the one that explains it.\n\
         - **`[[challenges]]`**: a `prompt`, a `goal` checked live as the reader plays, `hints` from a nudge to \
         nearly the answer, and a `solution` the check replays to prove the goal can be reached.\n\n\
         The full format, with every kind of condition (`fails`, `holds`, `took`, `steps_at_least`, `value`) and \
         how inspector paths are written, is `lessons/README.md` in the repository. To find the actions to walk, \
         open the model in the explorer and step through, or let the checker find the shortest way to a broken \
         property: `pex check gossip --config no-dedup` prints it, action by action, with the labels to use.\n\n\
         ## Check it as you write\n\n\
         `pex` is the explorer's command-line tool (the repository's README says how to build it). It checks a \
         lesson file exactly as the explorer will:\n\n"
    ));
    p.push_str(&fence(
        "text",
        &format!(
            "$ pex lesson check {EXAMPLE_FILE}\nok    {EXAMPLE_FILE}: {ok}\n$ pex lesson show {EXAMPLE_FILE}      # the whole walk as text: each step, what changed, the challenges"
        ),
    ));
    p.push_str(
        "\nA mistake is one line that says where it is: a line and column for a slip in the TOML (here a \
         missing quote), a step or challenge for something that does not fit the model (here the missing \
         `breaks`):\n\n",
    );
    p.push_str(&fence("text", &format!("FAIL  {unclosed}\nFAIL  {no_breaks}")));
    p.push_str(
        "\n## See it in the explorer while you write\n\n\
         `pex lesson serve` shares the file with the explorer on your own computer and checks it again every \
         time you save it:\n\n",
    );
    p.push_str(&fence(
        "text",
        &format!(
            "$ pex lesson serve {EXAMPLE_FILE} --port {EXAMPLE_PORT}\n\
             serving {EXAMPLE_FILE} at {url}\n\
             open: http://127.0.0.1:8080/#lesson-src={}\n\
             ok: {} — {ok}",
            encode(&url),
            l.title
        ),
    ));
    p.push_str(&format!(
        "\nOpen the `open:` link: the explorer fetches your file and plays it. Edit the file and save it: `pex` \
         prints `changed: {EXAMPLE_FILE}` and a new `ok:` or `error:` line, and reloading the page shows the new \
         version (the file is read afresh for every request). If the lesson has a mistake, the explorer shows it \
         in place of the lesson, with its line and column, so you can keep both windows side by side. A file that \
         is moved away gives an `error:` line until it is back. Stop the server with Ctrl-C.\n\n\
         The link opens the app at `--app` (by default `http://127.0.0.1:8080/`, where `trunk serve` runs it from \
         the repository). To use a hosted explorer instead, such as [this site's]({APP}), give its address: \
         `--app https://…/protocol-explorer/`. The server allows pages from any site to read the file, including \
         the extra permission Chrome asks before a public site may fetch from your own computer; a browser that \
         still refuses says so in the explorer, and a local app (`trunk serve`) always works. `--port` picks the \
         port (without it, any free one: the printed link says which) and `--address` the address to listen on \
         (`127.0.0.1`, only your computer, by default).\n\n\
         ## Try a file without a server\n\n\
         In the explorer, **Lessons…** then **Open a lesson file…** plays a `.toml` file from your computer, and \
         so does dropping the file on the page (any other file dropped there is imported as a trace). The file \
         is checked the same way and a mistake is shown in place. A link cannot point at a file on your disk, so \
         to share the lesson, publish it.\n\n\
         ## Publish it\n\n\
         Put the `.toml` file on any web server that lets other sites read it, that is, one that sends the \
         `Access-Control-Allow-Origin` header with it. GitHub Pages does, for example: commit the file to a \
         repository with Pages switched on. If the explorer cannot fetch an address (not found, not allowed by \
         the server, too large, not a lesson), it says why where the lesson would be.\n\n\
         **A link.** Add `#lesson-src=` and the file's address, percent-encoded (as JavaScript's \
         `encodeURIComponent` writes it), to the explorer's address:\n\n"
    ));
    let published = format!("https://you.github.io/course/{EXAMPLE_FILE}");
    let component = percent_encoding::utf8_percent_encode(&published, URI_COMPONENT);
    p.push_str(&fence("text", &format!("https://example.org/protocol-explorer/#lesson-src={component}")));
    p.push_str(&format!(
        "\nopens the lesson at `{published}` in the explorer at `https://example.org/protocol-explorer/` (put \
         the address of the explorer you use, such as [this site's]({APP}), in its place).\n\n\
         **On your own page**, with the explorer's embed script (see [Embedding the explorer](embedding.md)). \
         `lesson-src` is the file's address, relative to your page or absolute; the lesson names its model, so no \
         `model` attribute is needed:\n\n"
    ));
    p.push_str(&fence(
        "html",
        &format!(
            "<script src=\"https://example.org/protocol-explorer/embed.js\" defer></script>\n\
             <protocol-explorer lesson-src=\"{EXAMPLE_FILE}\" props></protocol-explorer>"
        ),
    ));
    p.push_str(
        "\n**Inline**, with no file at all: write the lesson into the page, inside the element, in a \
         `<script type=\"text/x-pex-lesson\">` (the browser leaves its text alone; it only must not contain \
         `</script>`):\n\n",
    );
    let head: Vec<&str> = EXAMPLE_LESSON.lines().filter(|line| ["title", "model", "config"].iter().any(|k| line.starts_with(&format!("{k} =")))).collect();
    p.push_str(&fence(
        "html",
        &format!("<protocol-explorer props>\n<script type=\"text/x-pex-lesson\">\n{}\n# … the rest of the lesson, as in the file above …\n</script>\n</protocol-explorer>", head.join("\n")),
    ));
    p.push_str(&format!(
        "\nA built-in lesson is `lesson=\"gossip\"` on the element, or `#lesson=gossip` in a link.\n\n\
         The explorer keeps each reader's progress through a lesson (the step they reached, the challenges they \
         solved) in their own browser, separately for each lesson source: a lesson from an address by its \
         address, a file or an inline lesson by its text.\n\n\
         **Limits.** A lesson file is at most {limit_kib} KiB, with at most {} steps and {} challenges; its \
         captions are Markdown, and HTML written in them is shown as text.\n\n\
         <script src=\"{EMBED_SCRIPT}\"></script>\n",
        lessons::MAX_STEPS,
        lessons::MAX_CHALLENGES,
    ));
    Ok(p)
}

/// A page with the first five models' gaps embedded, one under another: what a course page
/// with several explorers looks like, and what `web/e2e/bench.mjs` measures (bytes and time to
/// first paint with posters only, then with every frame ready).
fn five_gaps(gaps: &[(&str, &str, String, String)]) -> String {
    let mut p = String::from(
        "# Five gaps on one page\n\nFive protocols, each in its gap configuration at the step where the gap breaks an \
         invariant. Each explorer loads when it nears the screen, one after another, so the app's WebAssembly is \
         downloaded once for the whole page.\n\n",
    );
    for (title, config, property, link) in gaps.iter().take(5) {
        p.push_str(&format!("## {title}\n\n`{config}` breaks **{property}**:\n\n"));
        p.push_str(&embed(link, false));
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
additional-js = ["a11y.js"]
no-section-label = true
"#;

/// What mdBook 0.5's pages lack for a keyboard or screen-reader reader (axe-core's serious and
/// critical findings, checked by `web/e2e/a11y.test.mjs`). The sidebar toggle is a `<label>`
/// that mdBook gives `aria-label` and `aria-expanded`, which ARIA allows on a button but not on a
/// label, and which no key reaches: it gets the button role it acts as, a place in the tab order
/// and Enter/Space. A code block wider than the page scrolls, so it must take the focus for the
/// arrow keys to scroll it.
const A11Y_JS: &str = "\
(() => {
  const toggle = document.getElementById('mdbook-sidebar-toggle');
  if (toggle) {
    toggle.setAttribute('role', 'button');
    toggle.tabIndex = 0;
    toggle.addEventListener('keydown', e => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle.click(); }
    });
  }
  for (const code of document.querySelectorAll('pre > code')) {
    if (!code.hasAttribute('tabindex')) {
      code.tabIndex = 0;
      code.setAttribute('role', 'region');
      code.setAttribute('aria-label', 'Code (scrolls)');
    }
  }
})();
";

const GALLERY_CSS: &str = "\
.pex-gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; }
.pex-card { border: 1px solid var(--table-border-color, #ddd); border-radius: 10px; padding: 10px 12px; }
/* mdBook makes a link around an image an inline-block, which would shrink it to the picture's own
   width at this height; the picture fills the card's width instead, cropped at its right. */
.content .pex-card a.pex-picture { display: block; }
.pex-card img { display: block; width: 100%; height: 150px; object-fit: cover; object-position: left top; border-radius: 6px; background: #fff; }
/* The card's title is not a heading, so the sidebar's \"on this page\" list does not repeat the
   book's table of contents with empty entries. */
.pex-card .pex-card-title { margin: 8px 0 4px; font-size: 1.1em; font-weight: 700; }
.pex-card p { margin: 4px 0; font-size: 0.92em; }
protocol-explorer { margin: 12px 0; }
.pex-step { border-left: 3px solid var(--links, #4183c4); padding: 0 0 0 14px; margin: 22px 0; }
.pex-step h2 { margin-top: 0; font-size: 1.25em; }
.pex-breaks { color: #b3261e; font-weight: 600; }
.coal .pex-breaks, .navy .pex-breaks, .ayu .pex-breaks { color: #ff8a80; }
details { margin: 6px 0; }
details > summary { cursor: pointer; color: var(--links, #4183c4); }
/* mdBook's dark themes draw links and the current sidebar entry in #2b79a2: 3.6:1 on navy's
   background, 2.8:1 on its sidebar (WCAG asks 4.5:1). A lighter blue gives 7.2:1 and 5.6:1. */
.coal, .navy { --links: #5aaee0; --sidebar-active: #5aaee0; }
@media (prefers-color-scheme: dark) { html:not(.js) { --links: #5aaee0; --sidebar-active: #5aaee0; } }
/* Tomorrow Night's tags and attributes (#cc6666) are 4.45:1 on its code background. */
:is(.coal, .navy) :is(.hljs-variable, .hljs-attribute, .hljs-attr, .hljs-tag, .hljs-regexp, .hljs-tag .hljs-title) { color: #dd7777; }
/* It also dims a script inside HTML to half opacity (3.1:1 to 3.5:1); the script is what the
   embedding page asks a reader to copy. */
.xml :is(.javascript, .vbscript, .css, .hljs-cdata) { opacity: 1; }
/* A link inside running text is told apart by more than its colour (WCAG 1.4.1). */
.content main :is(p, li, td) > a:not(.pex-picture) { text-decoration: underline; text-underline-offset: 2px; }
";

/// An ITF trace with its first state only, a line per key and each value on one line: the
/// chapter shows the shape, not all of it.
fn first_itf_state(itf: serde_json::Value) -> String {
    let one = |v: &serde_json::Value| serde_json::to_string(v).unwrap_or_default();
    let Some(top) = itf.as_object() else { return one(&itf) };
    let mut lines = Vec::new();
    for (k, v) in top {
        match (k.as_str(), v.as_array().and_then(|s| s.first()).and_then(|s| s.as_object())) {
            ("states", Some(state)) => {
                let vars: Vec<String> = state.iter().map(|(name, value)| format!("      {}: {}", one(&name.as_str().into()), one(value))).collect();
                lines.push(format!("  \"states\": [\n    {{\n{}\n    }}\n  ]", vars.join(",\n")));
            }
            _ => lines.push(format!("  {}: {}", one(&k.as_str().into()), one(v))),
        }
    }
    format!("{{\n{}\n}}", lines.join(",\n"))
}

/// "Traces from TLC, Apalache and Quint": what opens where, how a trace is matched, and an
/// example made from the gallery's first gap (its counterexample as TLC prints it, as ITF, and a
/// copy with a state left out, refused with the message the reader really gives).
fn traces_page(catalogue: &Catalogue, example: Option<(&str, &str, &Gap)>) -> String {
    let fence = |lang: &str, code: &str| format!("```{lang}\n{}\n```\n", code.trim_end());
    let mut p = TRACES_INTRO
        .replace("{max_in_app}", &crate::explorer::FOREIGN_STATES_IN_APP.to_string())
        .replace("{max_bytes}", &(crate::engine::trace::MAX_TRACE_FILE_BYTES / (1024 * 1024)).to_string())
        .replace("{max_steps}", &crate::engine::trace::MAX_TRACE_STEPS.to_string());
    if let Some((model, title, g)) = example {
        let blocks: Vec<&str> = g.tlc.split("\n\n").filter(|b| !b.trim().is_empty()).collect();
        p.push_str(&format!(
            "\n## An example\n\nThe counterexample of {title}'s gap `{config}` ({property} fails), as TLC prints an error trace: its first two of {n} states.\n\n{tlc}\n\
             Saved to a file, `pex replay FILE` (or Import in the app) matches each state with the model's and replays it: \
             a behaviour of `{model}` under `{config}`, where {property} fails at state {n}. The same trace as ITF, with its first state:\n\n{itf}\n",
            config = g.config,
            property = g.property,
            n = blocks.len(),
            tlc = fence("text", &blocks.iter().take(2).copied().collect::<Vec<_>>().join("\n\n")),
            itf = fence("json", &g.itf),
        ));
        if let Some(broken) = &g.broken_tlc {
            let hint = crate::catalogue::TraceHint { model: Some(model.to_string()), config: Some(g.config.to_string()), constants: Vec::new() };
            let said = match catalogue.open_trace(broken, &hint) {
                Ok(_) => "(it was read: the example is out of date)".to_string(),
                Err(e) => e,
            };
            p.push_str(&format!(
                "\nLeave out its second state and the trace is no longer a behaviour of the model. Nothing opens; `pex replay --config {} FILE` says where the trace departs and in which variable (without `--config`, it says so for each configuration):\n\n{}\n",
                g.config,
                fence("text", &said)
            ));
        }
    }
    p.push_str(TRACES_DETAILS);
    p
}

const TRACES_INTRO: &str = r#"# Traces from TLC, Apalache and Quint

Every protocol here has a TLA+ twin that TLC checks, and the checkers you may already use write
their counterexamples in formats the explorer reads. A trace from elsewhere is not drawn from its
text: each of its states is matched against the model's own states, and each step must be a step
the model can take. So what you step through is a behaviour of the model, with its picture, its
properties judged at every step, and the message chart where the model sends messages.

## What opens

- **TLC's error trace**: the whole output of a TLC run (`java -cp tla2tools.jar tlc2.TLC …`), or
  only the `State 1: …` blocks copied from a terminal or the TLA+ Toolbox.
- **ITF**, the [Informal Trace Format](https://apalache-mc.org/docs/adr/015adr-trace.html): what
  Apalache writes, and Quint with `--out-itf`.
- **pex's own trace files** (Export in the app, `pex check --out cex.json`).

The format is told from the text itself. The model is the one whose variables the trace has (a
trace of a spec that is not one of the models is refused, naming both sets of variables); the
configuration is the one the trace is a behaviour of, and of several, the one that checks the
property TLC names.

## In the app

**Import** (beside Export) opens a trace file; so does dropping it anywhere on the page. A trace
of up to {max_in_app} states opens at its last state, with the property that fails there marked; a longer
one opens in `pex replay`. **ITF** (beside Export) writes the trace shown as ITF. A file that is not
a trace, or a trace that is not a behaviour of any configuration, leaves the page as it was and says
why.

## On the command line

```sh
pex replay MC.out                                # TLC's output: matched, replayed, every property judged
pex replay --cfg tla/<model>/MC_<config>.cfg MC.out   # the twin's cfg names the config and constants
pex replay counterexample.itf.json               # Apalache's or Quint's ITF
pex check <model> -c <config> --out cex.itf.json # write a counterexample as ITF (a .json name writes pex's own format)
```

`pex replay` exits 1 when a property fails along the trace, 0 when none does, 2 when the file is
not a trace of a model (`--json` prints the verdicts for a script). `--config`, `--const` and
`--model` say outright what the trace's states alone leave open. A trace file is at most
{max_bytes} MB and {max_steps} steps.
"#;

const TRACES_DETAILS: &str = r#"
## How states are compared

As TLA+ values, not as text: TLC's text against the model's own TLC text of the same state
(records, sets and functions printed the way TLC prints them); ITF's JSON in a canonical form
(records and sets in any order, a function on `1..n` the same as a sequence, model values as
strings, `#bigint` integers). A lasso (a behaviour that loops, for a temporal property) keeps its
loop: TLC's `Back to state k` and ITF's `loop`.

Under `SYMMETRY`, TLC keeps one state of each class of permuted states and rebuilds its trace from
their fingerprints, by generating successors, so each state it prints is still a step of the model:
such traces open as any other. The conformance run in this project's tests opens TLC's own
counterexample of every gap configuration, with and without symmetry, and checks that the
property TLC names fails at the state where TLC stopped.

TLC's `-dumpTrace json` file is not read: the TLC bundled with this project (2.15) has no
`-dumpTrace` option.
"#;

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
| `actions` | shows the enabled actions as buttons, so a reader takes the one they choose |
| `theme` | `light`, `dark`, `auto` (the reader's colour scheme as it changes, the default) or `page` (follow this page, also when its theme changes later) |
| `height` | a fixed height in pixels; without it the frame fits its content when it appears, then only grows, with room to spare, so your text moves as little as possible |
| `loading` | `lazy` (the default: a poster until it nears the screen or is clicked) or `eager` |
| `lesson` | a built-in lesson by name (`paxos`): its player above the view |
| `lesson-src` | the address of a lesson file (`.toml`), relative to this page or absolute; its server must send `Access-Control-Allow-Origin` |

A lesson can also be written into the page: a `<script type="text/x-pex-lesson">` inside the
element holds its text (TOML). A lesson from `lesson-src` or written inline names its own model, so
the element needs no `model`; give at most one lesson. [Write a lesson](write-a-lesson.md) shows all
three:

```html
<protocol-explorer lesson="gossip"></protocol-explorer>
<protocol-explorer lesson-src="my-lesson.toml"></protocol-explorer>
<protocol-explorer>
  <script type="text/x-pex-lesson">
title = "…"
model = "gossip"
…
  </script>
</protocol-explorer>
```

A bad attribute or an unknown model shows a message in place of the widget; a lesson that cannot
be fetched or does not check is explained inside the explorer, where the lesson would be. Several
explorers on one page load one after another, so the app's WebAssembly is downloaded once.

**Events** (DOM `CustomEvent`s on the element, `detail` as below): `pex-ready`, `pex-step`
(`model, config, step, steps, action, failing`), `pex-violation` (`step, properties`),
`pex-resize` (`height`), `pex-error` (`message`): for a lesson that cannot be loaded or played, a
config or constant of the element that the explorer does not have (it shows its default instead
and says so), a `goTo` past the end of the trace (the last step is shown) and a `step` whose action
is not enabled.

**Methods**: `goTo(n)`, `step(action?)` (a random step, or the action with that label),
`back()`, `forward()`, `play()`, `pause()`, `reset()`, `lesson(text)` (play this lesson, its TOML
text; `pex-error` says why when it cannot).

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
`actions=1`, `theme=light|dark|auto`, `lesson=<name>`, `lesson-src=<encoded address>`, and
`origin=<your page's origin>`. With `origin`, the frame sends its
events to that origin alone and takes commands from it alone; without it, events go to the parent
page and commands are taken from the parent window only.

Messages are version 1 of the embed protocol. Events:
`{source: 'protocol-explorer', v: 1, type: 'ready' | 'step' | 'violation' | 'resize' | 'error', ...}`.
Commands: `{target: 'protocol-explorer', v: 1, type: 'goto', step: 3}`, `type: 'step'` (with an
optional `action`), `'back'`, `'forward'`, `'play'`, `'pause'`, `'reset'`, `'theme'` (with
`theme: 'light' | 'dark'`), `'lesson'` (with `text`: a lesson's TOML). A command of another
version, or one that cannot be read, is answered with an `error` event and changes nothing.

The embed needs no cookies and no storage. Where the browser allows storage, a lesson's progress
is kept (per lesson source) so a reader comes back to their step; nothing else is kept.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;

    #[test]
    fn the_book_has_a_page_and_a_picture_per_model_and_every_embed_replays() {
        let pages = book(catalogue::builtin()).unwrap();
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
                assert!(x.notices().as_slice().is_empty(), "{}: {link}: {:?}", info.name, x.notices().as_slice());
                assert!(x.verdicts().property_rows().iter().any(|r| r.holds_now == Some(false)) || x.lasso().is_some(), "{}: {link}", info.name);
            }
        }
    }

    #[test]
    fn the_own_protocol_page_is_linked_and_quotes_the_example() {
        let pages = book(catalogue::builtin()).unwrap();
        let find = |p: &str| pages.iter().find(|x| x.path == format!("src/{p}")).map(|x| x.text.as_str());
        assert!(find("SUMMARY.md").unwrap().contains("[Model your own protocol](own-protocol.md)"));
        let page = find("own-protocol.md").unwrap();
        for quoted in [
            "pub fn catalogue() -> Catalogue",
            "fn enter(&self",
            "Enter(p) ==",
            "UseTurn = FALSE",
            "pex::cli::main(peterson_explorer::catalogue())",
            "data-type=\"worker\"",
        ] {
            assert!(page.contains(quoted), "{quoted}");
        }
        assert_eq!(page.matches("```").count() % 2, 0, "every fence closed");
    }

    #[test]
    fn every_lesson_has_a_page_that_embeds_its_walk_and_shows_each_step() {
        let pages = book(catalogue::builtin()).unwrap();
        let find = |p: &str| pages.iter().find(|x| x.path == format!("src/{p}")).map(|x| x.text.as_str());
        let summary = find("SUMMARY.md").unwrap();
        let gallery = find("index.md").unwrap();
        assert!(!lessons::embedded().is_empty());
        for (path, text) in lessons::embedded() {
            let run = lessons::load(path, text).unwrap();
            let (name, l) = (lessons::lesson_name(path), run.lesson());
            assert!(summary.contains(&format!("[{}](lesson-{name}.md)", l.title)), "{name}");
            let page = find(&format!("lesson-{name}.md")).unwrap();
            assert!(page.starts_with(&format!("# {}\n", l.title)) && page.contains(l.intro.trim()), "{name}");
            // The embed opens the lesson's settings with its whole walk, at the initial state.
            let embeds: Vec<&str> = page.split("<protocol-explorer link=\"#").skip(1).collect();
            assert_eq!(embeds.len(), 1, "{name}");
            let link = embeds[0].split('"').next().unwrap().replace("&amp;", "&");
            let x = Explorer::from_link(&link);
            assert!(x.notices().as_slice().is_empty(), "{name}: {link}: {:?}", x.notices().as_slice());
            assert_eq!(x.session().trace().labels(), run.walk().labels(), "{name}");
            assert_eq!(x.session().cursor(), 0, "{name}");
            assert_eq!(x.model().config().name, l.config, "{name}");
            for (i, step) in l.steps.iter().enumerate() {
                assert!(page.contains(&format!("## Step {}: ", i + 1)), "{name} step {}", i + 1);
                assert!(page.contains(step.caption.trim()), "{name} step {}", i + 1);
                for b in &step.breaks {
                    assert!(page.contains(&format!("✗ <strong>{b}</strong> fails here")), "{name} step {}", i + 1);
                }
                if let Some(a) = &step.answer {
                    assert!(page.contains(&format!("<summary>Answer</summary>\n\n{}\n", a.trim())), "{name} step {}", i + 1);
                }
            }
            // Each challenge's link holds the walk up to where the challenge starts, at its end.
            let challenge_links: Vec<String> =
                page.split("([open it](../index.html#").skip(1).map(|c| c.split(')').next().unwrap().replace("&amp;", "&")).collect();
            assert_eq!(challenge_links.len(), l.challenges.len(), "{name}");
            for (j, link) in challenge_links.iter().enumerate() {
                let x = Explorer::from_link(link);
                let session = run.challenge_session(j).unwrap();
                assert!(x.notices().as_slice().is_empty(), "{name}: {link}");
                assert_eq!(x.session().trace().labels(), session.trace().labels(), "{name} challenge {}", j + 1);
                assert_eq!(x.session().cursor(), session.cursor(), "{name} challenge {}", j + 1);
            }
            for c in &l.challenges {
                assert!(page.contains(c.prompt.trim()), "{name}");
                for h in &c.hints {
                    assert!(page.contains(h.trim()), "{name}");
                }
            }
            // The model's gallery card and page point to the lesson named after it.
            if catalogue::infos().iter().any(|i| i.name == name) {
                assert!(gallery.contains(&format!("[Its lesson](lesson-{name}.md)")), "{name}");
                assert!(find(&format!("{name}.md")).unwrap().contains(&format!("[Its lesson](lesson-{name}.md)")), "{name}");
            }
        }
    }

    #[test]
    fn the_write_a_lesson_chapter_is_linked_and_its_worked_example_checks() {
        // The worked example is a valid lesson with a property that breaks, and not one of the
        // lessons compiled into the app.
        let run = lessons::load_in(catalogue::builtin(), EXAMPLE_FILE, EXAMPLE_LESSON).unwrap_or_else(|e| panic!("{e}"));
        assert!(run.lesson().steps.iter().any(|s| !s.breaks.is_empty()) && !run.lesson().challenges.is_empty());
        assert!(lessons::embedded().iter().all(|(path, text)| !path.contains("gossip-twice") && *text != EXAMPLE_LESSON));

        let pages = book(catalogue::builtin()).unwrap();
        let find = |p: &str| pages.iter().find(|x| x.path == format!("src/{p}")).map(|x| x.text.as_str());
        assert!(find("SUMMARY.md").unwrap().contains("# Using it\n\n- [Write a lesson](write-a-lesson.md)\n- [Embedding the explorer](embedding.md)\n"));
        let page = find("write-a-lesson.md").unwrap();
        assert!(page.starts_with("# Write a lesson\n"));
        assert_eq!(page.matches("```").count() % 2, 0, "every fence closed");
        // The whole example, as a TOML block; the file itself beside the page, where its embed loads it.
        assert!(page.contains(&format!("```toml\n{}\n```\n", EXAMPLE_LESSON.trim_end())));
        assert_eq!(find(&format!("examples/{EXAMPLE_FILE}")), Some(EXAMPLE_LESSON));
        assert!(page.contains(&format!("<protocol-explorer lesson-src=\"examples/{EXAMPLE_FILE}\"")));
        assert!(page.trim_end().ends_with(&format!("<script src=\"{EMBED_SCRIPT}\"></script>")));
        // The verdicts it quotes are the checker's.
        assert!(page.contains(&format!("ok    {EXAMPLE_FILE}: {}\n", run.summary_line())));
        assert!(page.contains(&format!("FAIL  {EXAMPLE_FILE}: line 4, column ")), "{page}");
        assert!(page.contains(&format!("FAIL  {EXAMPLE_FILE}: step 3: NoDuplicateProcessing first fails")), "{page}");
        assert!(page.contains(&format!("ok: {} — {}\n", run.lesson().title, run.summary_line())));
        // The published link carries the file's address, percent-encoded.
        let link = page.split("https://example.org/protocol-explorer/#lesson-src=").nth(1).unwrap().split_whitespace().next().unwrap();
        let decoded = percent_encoding::percent_decode_str(link).decode_utf8().unwrap();
        assert_eq!(decoded, format!("https://you.github.io/course/{EXAMPLE_FILE}"));
        for words in ["pex lesson check", "pex lesson serve", "Open a lesson file…", "Access-Control-Allow-Origin", "text/x-pex-lesson", "256 KiB"] {
            assert!(page.contains(words), "{words}");
        }
        // The embed contract lists the lesson attributes and the inline lesson.
        let embedding = find("embedding.md").unwrap();
        for words in ["| `lesson` |", "| `lesson-src` |", "<script type=\"text/x-pex-lesson\">", "(write-a-lesson.md)"] {
            assert!(embedding.contains(words), "{words}");
        }
    }

    #[test]
    fn the_traces_chapter_shows_a_real_counterexample_that_reads_back_and_a_broken_one_refused() {
        let cat = catalogue::builtin();
        let pages = book(cat).unwrap();
        let find = |p: &str| pages.iter().find(|x| x.path == format!("src/{p}")).map(|x| x.text.as_str());
        assert!(find("SUMMARY.md").unwrap().contains("- [Traces from TLC, Apalache and Quint](traces.md)\n"));
        let page = find("traces.md").unwrap();
        // The example is the gallery's first gap: seqlock's no-verify, its first two states as TLC
        // prints them, and the whole trace, read back, is a behaviour of that config.
        assert!(page.contains("The counterexample of Photon Ring seqlock ring's gap `no-verify` (NoTornRead fails)"), "{page}");
        assert!(page.contains("```text\nState 1: <Initial predicate>\n"), "{page}");
        assert!(page.contains("State 2: <WriterBegin>"), "{page}");
        assert!(!page.contains("State 3:"), "only two states are quoted");
        let (x, _) = Explorer::with_counterexample_in(Arc::new(cat.clone()), "seqlock", "no-verify").unwrap();
        let whole = x.session().trace().to_tlc_text(x.model().as_ref());
        let opened = cat.open_trace(&whole, &crate::catalogue::TraceHint::default()).unwrap();
        assert_eq!((opened.file.model.as_str(), opened.file.config.as_str()), ("seqlock", "no-verify"));
        assert!(page.contains(&format!("where NoTornRead fails at state {}", x.session().trace().len())), "{page}");
        // The ITF excerpt is ITF with one state.
        let itf = page.split("```json\n").nth(1).and_then(|t| t.split("\n```").next()).unwrap();
        let itf: serde_json::Value = serde_json::from_str(itf).unwrap();
        assert_eq!(itf["#meta"]["format"], "ITF");
        assert_eq!(itf["states"].as_array().map(Vec::len), Some(1));
        // The broken copy's message is the reader's own.
        assert!(page.contains("state 2 is not a step of seqlock/no-verify from state 1: the nearest, after WriterBegin, differs in"), "{page}");
        assert!(!page.contains("out of date"), "{page}");
    }

    #[test]
    fn the_five_gaps_page_embeds_five_explorers_at_their_violations() {
        let pages = book(catalogue::builtin()).unwrap();
        let page = &pages.iter().find(|x| x.path == "src/five-gaps.md").unwrap().text;
        let links: Vec<String> = page.split("<protocol-explorer link=\"#").skip(1).map(|c| c.split('"').next().unwrap().replace("&amp;", "&")).collect();
        assert_eq!(links.len(), 5);
        for link in links {
            let x = Explorer::from_link(&link);
            assert!(x.notices().as_slice().is_empty() && x.verdicts().property_rows().iter().any(|r| r.holds_now == Some(false)), "{link}");
        }
    }
}
