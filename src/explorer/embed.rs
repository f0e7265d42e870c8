//! The embed: the explorer inside another page, through an iframe or the `<protocol-explorer>`
//! element (`web/embed.js`, which makes the iframe). The iframe's fragment is an ordinary deep link
//! (see [`super::link`]) plus the embed's own keys:
//!
//! `#v=1&m=paxos&c=ignore-accepted&t=…&h=…&at=5&embed=1&props=1&theme=dark&origin=https%3A%2F%2Fdocs.example.org`
//!
//! - `embed=1` (or `embed=view`): the compact layout, the view and a step bar;
//! - `props=1`: the properties panel under the view as well;
//! - `controls=0`: no step bar (a picture of one step, driven by the host through messages);
//! - `actions=1`: the enabled actions as buttons, so a reader takes the one they choose;
//! - `theme=light|dark|auto` (`auto`, the default, follows the reader's colour scheme);
//! - `origin=<the host page's origin>`: events go to that origin alone and commands are taken from
//!   it alone. Without it events go to any parent (they say nothing a link does not) and commands
//!   are taken only from the parent window.
//!
//! The messages are the versioned protocol below ([`API_VERSION`]); `ARCHITECTURE.md` and
//! `web/embed.js` document them for hosts.

use percent_encoding::percent_decode_str;

/// The version of the embed's `postMessage` protocol, sent in every message as `v`.
pub const API_VERSION: u32 = 1;

/// The fragment keys the page reads besides the link's own: the embed's, and `lesson` (the lesson
/// player's lesson); a deep link passes them over without calling them unknown.
pub const PAGE_KEYS: &[&str] = &["embed", "props", "controls", "actions", "theme", "origin", "lesson", "lesson-src", "lesson-inline"];

/// Whether a fragment waits for its host page to send a lesson (`lesson-inline=1`: `embed.js`
/// found a `<script type="text/x-pex-lesson">` in the element and sends it once the frame is
/// ready).
pub fn waits_for_inline_lesson(fragment: &str) -> bool {
    fragment.trim_start_matches('#').split('&').any(|p| p == "lesson-inline=1")
}

/// Whether the lesson a fragment opens comes from elsewhere (a URL or the host page): then the
/// lesson names the model, and the link need not.
pub fn lesson_from_elsewhere(fragment: &str) -> bool {
    lesson_src_of(fragment).is_some() || waits_for_inline_lesson(fragment)
}

/// The lesson a fragment opens (`lesson=<name>`), if any.
pub fn lesson_of(fragment: &str) -> Option<String> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|p| p.strip_prefix("lesson="))
        .map(|v| percent_decode_str(v).decode_utf8_lossy().into_owned())
        .filter(|v| !v.is_empty())
}

/// The URL of the lesson a fragment loads (`lesson-src=<percent-encoded url>`), as written: the
/// page resolves it against its own address and checks it with [`check_lesson_url`].
pub fn lesson_src_of(fragment: &str) -> Option<String> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|p| p.strip_prefix("lesson-src="))
        .map(|v| percent_decode_str(v).decode_utf8_lossy().trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The longest lesson URL the page will fetch.
pub const MAX_LESSON_URL: usize = 2048;

/// Whether the page may fetch a lesson from `url` (already resolved to an absolute URL): http or
/// https, a host, no credentials, not absurdly long. The error says why not.
pub fn check_lesson_url(url: &str) -> Result<(), String> {
    if url.len() > MAX_LESSON_URL {
        return Err(format!("the lesson's address is {} characters long; at most {MAX_LESSON_URL} are read", url.len()));
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else {
        return Err(format!("the lesson's address '{}' is not an http or https address", shown(url)));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() {
        return Err(format!("the lesson's address '{}' names no host", shown(url)));
    }
    if authority.contains('@') {
        return Err(format!("the lesson's address '{}' carries a user name or password; give its address without them", shown(url)));
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!("the lesson's address '{}' contains spaces or control characters", shown(url)));
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmbedTheme {
    Light,
    Dark,
    /// The reader's colour scheme (`prefers-color-scheme`).
    Auto,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedOptions {
    /// Show the properties panel under the view.
    pub props: bool,
    /// Show the step bar.
    pub controls: bool,
    /// Show the enabled actions, to take one by hand.
    pub actions: bool,
    pub theme: EmbedTheme,
    /// The host page's origin (`https://docs.example.org`), when the host names it.
    pub origin: Option<String>,
    /// The embed keys that could not be read, each a clause saying what is used instead.
    pub problems: Vec<String>,
}

impl EmbedOptions {
    /// The embed options of a fragment, or `None` when the fragment does not ask for the embed
    /// (no `embed` key, or `embed=0`). Never fails: a value it cannot read is named in
    /// `problems` and the default is used.
    pub fn from_fragment(fragment: &str) -> Option<EmbedOptions> {
        let mut embed = false;
        let mut o = EmbedOptions { props: false, controls: true, actions: false, theme: EmbedTheme::Auto, origin: None, problems: Vec::new() };
        for part in fragment.trim_start_matches('#').split('&') {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            let value = percent_decode_str(value).decode_utf8_lossy();
            let value = value.trim();
            match key {
                "embed" => embed = !matches!(value, "0" | "false" | "no"),
                "props" => o.props = flag(value, "props", false, &mut o.problems),
                "controls" => o.controls = flag(value, "controls", true, &mut o.problems),
                "actions" => o.actions = flag(value, "actions", false, &mut o.problems),
                "theme" => {
                    o.theme = match value {
                        "light" => EmbedTheme::Light,
                        "dark" => EmbedTheme::Dark,
                        "auto" | "" => EmbedTheme::Auto,
                        other => {
                            o.problems.push(format!("theme '{}' is not light, dark or auto, so the reader's colour scheme is used", shown(other)));
                            EmbedTheme::Auto
                        }
                    }
                }
                "origin" => match origin_of(value) {
                    Some(origin) => o.origin = Some(origin),
                    None => o.problems.push(format!(
                        "origin '{}' is not a web origin (https://host[:port]), so events go to the parent page whatever its origin and commands are taken from the parent alone",
                        shown(value)
                    )),
                },
                _ => {}
            }
        }
        embed.then_some(o)
    }

    /// The fragment keys that reproduce these options (appended to a deep link).
    pub fn encode(&self) -> String {
        let mut s = String::from("embed=1");
        if self.props {
            s.push_str("&props=1");
        }
        if !self.controls {
            s.push_str("&controls=0");
        }
        if self.actions {
            s.push_str("&actions=1");
        }
        match self.theme {
            EmbedTheme::Light => s.push_str("&theme=light"),
            EmbedTheme::Dark => s.push_str("&theme=dark"),
            EmbedTheme::Auto => {}
        }
        if let Some(origin) = &self.origin {
            s.push_str("&origin=");
            s.push_str(&percent_encoding::utf8_percent_encode(origin, percent_encoding::NON_ALPHANUMERIC).to_string());
        }
        s
    }

    /// Whether a message from `origin` may drive the embed (the caller has already checked that it
    /// comes from the parent window).
    pub fn accepts_from(&self, origin: &str) -> bool {
        self.origin.as_deref().is_none_or(|o| o == origin)
    }
}

fn flag(value: &str, key: &str, default: bool, problems: &mut Vec<String>) -> bool {
    match value {
        "1" | "true" | "yes" | "" => true,
        "0" | "false" | "no" => false,
        other => {
            problems.push(format!("{key} '{}' is not 1 or 0, so {}", shown(other), if default { "it is on" } else { "it is off" }));
            default
        }
    }
}

/// `scheme://host[:port]` with nothing after it, lower-cased; `None` for anything else.
fn origin_of(value: &str) -> Option<String> {
    let v = value.trim_end_matches('/').to_ascii_lowercase();
    let (scheme, rest) = v.split_once("://")?;
    let host_ok = !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    (matches!(scheme, "http" | "https") && host_ok).then_some(v)
}

/// A value as a message quotes it: at most 40 characters, control characters dropped.
fn shown(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).take(40).collect();
    if s.chars().count() > 40 {
        format!("{clean}…")
    } else {
        clean
    }
}

/// A command from the host page, as its message's `type` and fields say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `{type: 'goto', step: N}`: show step N of the trace (clamped to its last step).
    GoTo(usize),
    /// `{type: 'step'}`: a random step; `{type: 'step', action: 'Label(1)'}`: that action.
    Step(Option<String>),
    Back,
    Forward,
    Play,
    Pause,
    Reset,
    /// `{type: 'theme', theme: 'light' | 'dark'}`: the host's theme changed (`embed.js` sends it
    /// for `theme="page"` whenever the page's background turns light or dark).
    Theme(bool),
    /// `{type: 'lesson', text: '…TOML…'}`: play this lesson (`embed.js` sends the host page's
    /// `<script type="text/x-pex-lesson">` this way once the embed is ready).
    Lesson(String),
}

impl Command {
    /// Reads a command from a message's `type` and its optional `step`, `action` and `text` fields.
    pub fn parse(kind: &str, step: Option<f64>, action: Option<String>, text: Option<String>) -> Result<Command, String> {
        Ok(match kind {
            "goto" => match step {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 1e9 => Command::GoTo(n as usize),
                Some(n) => return Err(format!("goto needs a step that is a whole number from 0, not {n}")),
                None => return Err("goto needs a step: {type: 'goto', step: 3}".to_string()),
            },
            "step" => Command::Step(action),
            "back" => Command::Back,
            "forward" => Command::Forward,
            "play" => Command::Play,
            "pause" => Command::Pause,
            "reset" => Command::Reset,
            "theme" => match text.as_deref() {
                Some("dark") => Command::Theme(true),
                Some("light") => Command::Theme(false),
                other => {
                    return Err(format!("theme needs theme: 'light' or 'dark', not {}", other.map_or("nothing".to_string(), |t| format!("'{}'", shown(t)))))
                }
            },
            "lesson" => match text {
                Some(t) if t.len() > crate::lessons::MAX_LESSON_BYTES => {
                    return Err(format!("the lesson is {} bytes; a lesson may hold at most {}", t.len(), crate::lessons::MAX_LESSON_BYTES))
                }
                Some(t) if !t.trim().is_empty() => Command::Lesson(t),
                _ => return Err("lesson needs the lesson's text: {type: 'lesson', text: '…'}".to_string()),
            },
            other => {
                return Err(format!("unknown command '{}'; the commands are goto, step, back, forward, play, pause, reset, theme and lesson", shown(other)))
            }
        })
    }
}

/// The two ways to put the step shown into another page, as "Embed" offers them: the
/// `<protocol-explorer>` element (with its script) and a plain iframe. `app` is the app's URL
/// without a fragment (`https://example.org/protocol-explorer/`), `link` the deep link's fragment.
pub fn snippets(app: &str, link: &str) -> (String, String) {
    let base = app.split('#').next().unwrap_or_default();
    let base = base.strip_suffix("index.html").unwrap_or(base);
    let base = if base.ends_with('/') { base.to_string() } else { format!("{base}/") };
    let attr = |s: &str| s.replace('&', "&amp;").replace('"', "&quot;");
    let element = format!("<script src=\"{}embed.js\" defer></script>\n<protocol-explorer link=\"#{}\" props></protocol-explorer>", attr(&base), attr(link));
    let iframe = format!(
        "<iframe src=\"{}index.html#{}&amp;embed=1&amp;props=1\" title=\"Protocol Explorer\" style=\"width:100%;height:520px;border:0\" loading=\"lazy\"></iframe>",
        attr(&base),
        attr(link)
    );
    (element, iframe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_without_embed_is_the_full_app() {
        assert_eq!(EmbedOptions::from_fragment("#v=1&m=paxos"), None);
        assert_eq!(EmbedOptions::from_fragment("#v=1&m=paxos&embed=0&props=1"), None);
    }

    #[test]
    fn embed_options_are_read_and_written_back() {
        let o = EmbedOptions::from_fragment("#v=1&m=paxos&embed=1&props=1&controls=0&actions=1&theme=dark&origin=https%3A%2F%2FDocs.Example.org%2F").unwrap();
        assert!(o.props && !o.controls && o.actions && o.theme == EmbedTheme::Dark && o.problems.is_empty());
        assert_eq!(o.origin.as_deref(), Some("https://docs.example.org"));
        assert_eq!(EmbedOptions::from_fragment(&format!("#{}", o.encode())).unwrap(), o);
        assert!(o.accepts_from("https://docs.example.org") && !o.accepts_from("https://evil.example"));
    }

    #[test]
    fn bad_embed_values_fall_back_with_a_reason() {
        let o = EmbedOptions::from_fragment("embed=1&props=maybe&theme=purple&origin=javascript:alert(1)").unwrap();
        assert!(!o.props && o.theme == EmbedTheme::Auto && o.origin.is_none());
        assert_eq!(o.problems.len(), 3, "{:?}", o.problems);
        assert!(o.problems[2].contains("not a web origin"));
        // Without a named origin, commands come from the parent whatever its origin.
        assert!(o.accepts_from("https://anyone.example"));
        for bad in ["https://a.b/path", "ftp://a.b", "https://", "https://a b"] {
            assert!(origin_of(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn snippets_point_at_the_app_and_escape_the_link() {
        let (element, iframe) = snippets("https://x.org/pex/index.html#v=1&m=paxos", "v=1&m=paxos&at=2");
        assert!(element.starts_with("<script src=\"https://x.org/pex/embed.js\" defer></script>"), "{element}");
        assert!(element.contains("<protocol-explorer link=\"#v=1&amp;m=paxos&amp;at=2\" props>"), "{element}");
        assert!(iframe.contains("src=\"https://x.org/pex/index.html#v=1&amp;m=paxos&amp;at=2&amp;embed=1&amp;props=1\""), "{iframe}");
        assert_eq!(snippets("https://x.org/pex", "v=1").0, snippets("https://x.org/pex/", "v=1").0);
    }

    #[test]
    fn a_link_with_embed_keys_names_none_of_them_unknown() {
        let d = super::super::link::Link::decode("v=1&m=paxos&embed=1&props=1&controls=0&theme=dark&origin=https%3A%2F%2Fa.b&embed").unwrap();
        assert!(d.ignored.is_empty() && d.problems.is_empty(), "{d:?}");
    }

    #[test]
    fn commands_are_read_or_refused_with_a_reason() {
        assert_eq!(Command::parse("goto", Some(3.0), None, None), Ok(Command::GoTo(3)));
        assert_eq!(Command::parse("step", None, Some("Promise(1)".into()), None), Ok(Command::Step(Some("Promise(1)".into()))));
        assert!(Command::parse("goto", Some(-1.0), None, None).unwrap_err().contains("whole number"));
        assert!(Command::parse("goto", Some(1.5), None, None).is_err());
        assert!(Command::parse("goto", None, None, None).is_err());
        assert!(Command::parse("explode", None, None, None).unwrap_err().contains("unknown command 'explode'"));
        assert_eq!(Command::parse("lesson", None, None, Some("title = 'x'".into())), Ok(Command::Lesson("title = 'x'".into())));
        assert!(Command::parse("lesson", None, None, Some("  ".into())).unwrap_err().contains("needs the lesson's text"));
        let huge = "#".repeat(crate::lessons::MAX_LESSON_BYTES + 1);
        assert!(Command::parse("lesson", None, None, Some(huge)).unwrap_err().contains("at most"));
    }

    #[test]
    fn a_lesson_url_is_read_from_the_fragment_and_checked() {
        assert_eq!(lesson_src_of("#v=1&lesson-src=https%3A%2F%2Fa.b%2Fl.toml&embed=1").as_deref(), Some("https://a.b/l.toml"));
        assert_eq!(lesson_src_of("#v=1&lesson=paxos"), None);
        assert_eq!(lesson_src_of("#lesson-src="), None);
        assert!(check_lesson_url("https://teach.example/l.toml").is_ok());
        assert_eq!(Command::parse("theme", None, None, Some("dark".into())), Ok(Command::Theme(true)));
        assert!(Command::parse("theme", None, None, Some("purple".into())).unwrap_err().contains("'light' or 'dark', not 'purple'"));
        assert!(check_lesson_url("http://127.0.0.1:4000/l.toml?v=2").is_ok());
        for (bad, why) in [
            ("javascript:alert(1)", "not an http"),
            ("file:///etc/passwd", "not an http"),
            ("https://", "names no host"),
            ("https://me:pw@a.b/l.toml", "user name or password"),
            ("https://a.b/l l.toml", "spaces"),
        ] {
            assert!(check_lesson_url(bad).unwrap_err().contains(why), "{bad}");
        }
        assert!(check_lesson_url(&format!("https://a.b/{}", "x".repeat(MAX_LESSON_URL))).unwrap_err().contains("characters long"));
        let d = super::super::link::Link::decode("v=1&m=paxos&lesson-src=https%3A%2F%2Fa.b%2Fl.toml").unwrap();
        assert!(d.ignored.is_empty(), "{d:?}");
    }
}
