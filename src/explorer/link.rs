//! Deep links: model, config, constants, seed, trace and the step shown, in the URL's fragment.
//!
//! `#v=1&m=seqlock&c=no-verify&k.MaxSeq=3&seed=7&t=0.2.1.0&h=5d1c0a2e&at=3`
//!
//! The trace is stored compactly as the position of each action among the actions enabled at its
//! step (base 36), with a checksum of the action labels. Replaying the positions and checking the
//! labels' checksum tells a stale link (the model changed since) from a good one: a stale link is
//! reported, never silently shown as some other trace.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

const VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// The current link format.
pub const VERSION: &str = "1";

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Link {
    pub model: String,
    pub config: String,
    /// Only constants that differ from the defaults need be present.
    pub constants: Vec<(String, String)>,
    pub seed: u64,
    pub init: usize,
    /// For each step, the position of its action among the enabled actions.
    pub choices: Vec<usize>,
    /// Checksum of the action labels (see [`labels_checksum`]); absent for an empty trace.
    pub checksum: Option<u32>,
    /// The step shown.
    pub at: usize,
    /// A liveness counterexample's loop: `loop=3` (the last step goes back to step 3) or `loop=s`
    /// (the last state stutters for ever).
    pub lasso: Option<crate::engine::Lasso>,
}

/// FNV-1a over the labels, each followed by a newline. Written out here because it must never
/// change: old links depend on it, and a crate's hash may change between versions.
pub fn labels_checksum(labels: &[String]) -> u32 {
    labels.iter().fold(CHECKSUM_START, |h, l| extend_checksum(h, l))
}

/// The checksum of no labels; [`extend_checksum`] adds one label at a time, so a growing trace's
/// checksum costs one step per new step.
pub const CHECKSUM_START: u32 = 0x811c_9dc5;

/// The checksum of the labels so far (`h`) followed by `label`.
pub fn extend_checksum(mut h: u32, label: &str) -> u32 {
    for b in label.bytes().chain(std::iter::once(b'\n')) {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

fn enc(s: &str) -> String {
    utf8_percent_encode(s, VALUE).to_string()
}

fn dec(s: &str) -> Result<String, String> {
    percent_decode_str(s).decode_utf8().map(|c| c.to_string()).map_err(|_| format!("'{}' is not valid UTF-8 once decoded", shown(s)))
}

impl Link {
    /// The fragment, without the leading `#`.
    pub fn encode(&self) -> String {
        let mut parts = vec![format!("v={VERSION}"), format!("m={}", enc(&self.model)), format!("c={}", enc(&self.config))];
        for (k, v) in &self.constants {
            parts.push(format!("k.{}={}", enc(k), enc(v)));
        }
        parts.push(format!("seed={}", self.seed));
        if self.init != 0 {
            parts.push(format!("i={}", self.init));
        }
        if !self.choices.is_empty() {
            // One buffer for the whole trace: a long trace's link is built once per idle moment.
            let mut t = String::with_capacity(2 + 2 * self.choices.len());
            t.push_str("t=");
            for (i, c) in self.choices.iter().enumerate() {
                if i > 0 {
                    t.push('.');
                }
                t.push_str(&to_base36(*c));
            }
            parts.push(t);
            if let Some(h) = self.checksum {
                parts.push(format!("h={h:08x}"));
            }
        }
        parts.push(format!("at={}", self.at));
        match self.lasso {
            Some(crate::engine::Lasso::BackTo(i)) => parts.push(format!("loop={i}")),
            Some(crate::engine::Lasso::Stuttering) => parts.push("loop=s".to_string()),
            None => {}
        }
        parts.join("&")
    }

    /// Reads a fragment (with or without `#`), keeping whatever can be read. A part that cannot be
    /// read is dropped and named in [`Decoded::problems`]; a parameter this version does not use is
    /// ignored and named in [`Decoded::ignored`] (except the usual tracking parameters a host or a
    /// mailer adds, `utm_*`, `fbclid`, `gclid`, ..., which are ignored silently). It fails only when
    /// nothing usable is left: no model, another link format, or a fragment over [`MAX_FRAGMENT`].
    /// The work done is linear in the fragment, which is bounded, and a trace over
    /// [`MAX_LINK_STEPS`] steps is refused by counting its separators before it is read.
    pub fn decode(fragment: &str) -> Result<Decoded, String> {
        let f = fragment.trim_start_matches('#');
        if f.len() > MAX_FRAGMENT {
            return Err(format!("it is {} bytes long; a link is at most {} bytes", f.len(), MAX_FRAGMENT));
        }
        let mut link = Link::default();
        let mut problems = Vec::new();
        let mut ignored: Vec<String> = Vec::new();
        let mut saw_model = false;
        let mut at: Option<usize> = None;
        // Why the trace is dropped, if it is: the positions mean nothing without all of t, h and i.
        let mut trace_dropped: Option<String> = None;
        let mut saw_trace = false;
        for part in f.split('&').filter(|p| !p.is_empty()) {
            let Some((key, value)) = part.split_once('=') else {
                if let Some(name) = part.strip_prefix("k.") {
                    problems.push(format!(
                        "constant {} has no value (the link may have been cut short), so it keeps its default",
                        shown(&dec(name).unwrap_or_else(|_| name.to_string()))
                    ));
                } else if matches!(part, "t" | "h" | "i") {
                    trace_dropped.get_or_insert_with(|| format!("'{part}' has no value (the link may have been cut short)"));
                } else if !silently_ignored(part) && !super::embed::PAGE_KEYS.contains(&part) {
                    ignored.push(shown(part));
                }
                continue;
            };
            match key {
                "v" => {
                    if value != VERSION {
                        return Err(format!("link format v={} is not one this version reads (v={VERSION})", shown(value)));
                    }
                }
                "m" => match dec(value) {
                    Ok(m) => {
                        link.model = m;
                        saw_model = true;
                    }
                    Err(e) => problems.push(format!("the model name {e}")),
                },
                "c" => match dec(value) {
                    Ok(c) => link.config = c,
                    Err(e) => problems.push(format!("the config name {e}, so safe is used")),
                },
                "seed" => match value.parse() {
                    Ok(seed) => link.seed = seed,
                    Err(_) => problems.push(format!("seed '{}' is not a whole number from 0 to {}, so seed 0 is used", shown(value), u64::MAX)),
                },
                "i" => match value.parse() {
                    Ok(i) => link.init = i,
                    Err(_) => {
                        trace_dropped.get_or_insert_with(|| format!("its initial state 'i={}' is not a whole number", shown(value)));
                    }
                },
                "t" => {
                    saw_trace = true;
                    if value.is_empty() {
                        trace_dropped.get_or_insert_with(|| "its trace 't=' is empty (the link may have been cut short)".to_string());
                        continue;
                    }
                    let steps = value.bytes().filter(|&b| b == b'.').count() + 1;
                    if steps > MAX_LINK_STEPS + 1 {
                        trace_dropped.get_or_insert_with(|| format!("its trace has {steps} steps; a link holds at most {MAX_LINK_STEPS}"));
                        continue;
                    }
                    let mut choices = Vec::new();
                    for (n, s) in value.split('.').filter(|s| !s.is_empty()).enumerate() {
                        match usize::from_str_radix(s, 36) {
                            Ok(c) if s.len() <= 8 => choices.push(c),
                            _ => {
                                trace_dropped.get_or_insert_with(|| format!("its trace step {} ('{}') is not a base-36 number", n + 1, shown(s)));
                                break;
                            }
                        }
                    }
                    if choices.len() > MAX_LINK_STEPS {
                        trace_dropped.get_or_insert_with(|| format!("its trace has {} steps; a link holds at most {MAX_LINK_STEPS}", choices.len()));
                    }
                    link.choices = choices;
                }
                "h" => match u32::from_str_radix(value, 16) {
                    Ok(h) if value.len() == 8 => link.checksum = Some(h),
                    _ => {
                        trace_dropped.get_or_insert_with(|| {
                            format!("its checksum 'h={}' is not an 8-digit hexadecimal number (the link may have been cut short)", shown(value))
                        });
                    }
                },
                "loop" => match value {
                    "s" => link.lasso = Some(crate::engine::Lasso::Stuttering),
                    v => match v.parse() {
                        Ok(i) => link.lasso = Some(crate::engine::Lasso::BackTo(i)),
                        Err(_) => problems.push(format!("its loop 'loop={}' is neither a step number nor 's', so the trace is shown without it", shown(v))),
                    },
                },
                "at" => match value.parse() {
                    Ok(a) => at = Some(a),
                    Err(_) => problems.push(format!("the step 'at={}' is not a whole number, so the last step is shown", shown(value))),
                },
                k if k.starts_with("k.") => match (dec(&k[2..]), dec(value)) {
                    (Ok(name), Ok(v)) if !name.is_empty() => link.constants.push((name, v)),
                    (Ok(_), Ok(_)) => problems.push("a constant has no name (k.=...), so it is ignored".to_string()),
                    (Err(e), _) => problems.push(format!("a constant's name {e}, so it is ignored")),
                    (Ok(name), Err(e)) => problems.push(format!("constant {}'s value {e}, so it keeps its default", shown(&name))),
                },
                other => {
                    // The embed's own keys are read by `embed::EmbedOptions`.
                    if !silently_ignored(other) && !super::embed::PAGE_KEYS.contains(&other) {
                        ignored.push(shown(other));
                    }
                }
            }
        }
        if !saw_model {
            return Err(problems.iter().find(|p| p.starts_with("the model name")).cloned().unwrap_or_else(|| "it names no model".to_string()));
        }
        if link.config.is_empty() {
            link.config = "safe".to_string();
        }
        if saw_trace && trace_dropped.is_none() && !link.choices.is_empty() && link.checksum.is_none() {
            trace_dropped = Some("its trace has no checksum 'h=' (the link may have been cut short)".to_string());
        }
        if let Some(why) = trace_dropped {
            problems.push(format!("{why}, so its trace is dropped and the initial state is shown"));
            link.choices = Vec::new();
            link.checksum = None;
            link.init = 0;
            at = None;
        }
        if link.choices.is_empty() {
            link.checksum = None;
        }
        link.at = at.unwrap_or(link.choices.len());
        ignored.dedup();
        Ok(Decoded { link, problems, ignored })
    }
}

/// What [`Link::decode`] could read, and what it could not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub link: Link,
    /// Parts the link holds but that could not be read, each a clause saying what was dropped and
    /// what is used instead (`seed 'x' is not a whole number from 0 to ..., so seed 0 is used`).
    pub problems: Vec<String>,
    /// Parameters this version does not use, which were ignored (a newer link, or a host's).
    pub ignored: Vec<String>,
}

/// The longest link read: a link of 200,000 steps takes under 1 MB.
pub const MAX_FRAGMENT: usize = 2_000_000;

/// The longest trace a link may hold: the app's trace cap.
pub const MAX_LINK_STEPS: usize = crate::engine::trace::MAX_TRACE_STEPS;

/// Parameters hosts, mailers and analytics add to URLs; a link ignores them without a word.
fn silently_ignored(key: &str) -> bool {
    key.starts_with("utm_") || matches!(key, "fbclid" | "gclid" | "dclid" | "msclkid" | "mc_cid" | "mc_eid" | "_ga" | "_gl" | "ref" | "igshid")
}

fn shown(text: &str) -> String {
    crate::engine::constants::shown(text)
}

fn to_base36(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n == 0 {
        return "0".into();
    }
    let mut out = Vec::new();
    while n > 0 {
        out.push(DIGITS[n % 36]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loop_round_trips_and_a_bad_one_is_named() {
        for (lasso, part) in [(crate::engine::Lasso::BackTo(3), "loop=3"), (crate::engine::Lasso::Stuttering, "loop=s")] {
            let link = Link { model: "seqlock".into(), config: "progress-next-only".into(), lasso: Some(lasso), ..Link::default() };
            let text = link.encode();
            assert!(text.contains(part), "{text}");
            assert_eq!(Link::decode(&text).unwrap().link.lasso, Some(lasso));
        }
        let d = Link::decode("v=1&m=seqlock&loop=x").unwrap();
        assert_eq!(d.link.lasso, None);
        assert!(d.problems.iter().any(|p| p.contains("loop=x")), "{:?}", d.problems);
    }

    #[test]
    fn round_trip() {
        let link = Link {
            model: "ebpf-ring".into(),
            config: "publish-before-lock".into(),
            constants: vec![("Sizes".into(), "{1, 2}".into()), ("Capacity".into(), "3".into())],
            seed: 42,
            init: 0,
            choices: vec![0, 3, 40, 1],
            checksum: Some(0xdead_beef),
            at: 2,
            lasso: None,
        };
        let text = link.encode();
        assert!(text.contains("t=0.3.14.1"), "{text}");
        assert!(text.contains("k.Sizes=%7B1%2C%202%7D"), "{text}");
        assert_eq!(Link::decode(&text).unwrap(), Decoded { link: link.clone(), problems: vec![], ignored: vec![] });
        assert_eq!(Link::decode(&format!("#{text}")).unwrap().link, link);
    }

    fn read(fragment: &str) -> (Link, Vec<String>, Vec<String>) {
        let d = Link::decode(fragment).unwrap();
        (d.link, d.problems, d.ignored)
    }

    #[test]
    fn defaults_and_errors() {
        let (l, p, i) = read("m=seqlock");
        assert_eq!((l.config.as_str(), l.seed, l.at, l.choices.len()), ("safe", 0, 0, 0));
        assert!(p.is_empty() && i.is_empty());
        // Nothing usable at all: an error.
        assert_eq!(Link::decode("c=safe").unwrap_err(), "it names no model");
        assert!(Link::decode("m=seqlock&v=9").unwrap_err().contains("v=9"));
        assert!(Link::decode("m=%FF").unwrap_err().contains("UTF-8"));
        assert!(Link::decode("garbage%%").unwrap_err().contains("names no model"));
        let huge = format!("m=seqlock&x={}", "a".repeat(MAX_FRAGMENT));
        assert!(Link::decode(&huge).unwrap_err().contains("a link is at most 2000000 bytes"));
        // Anything else keeps what could be read and says what was dropped.
        let (l, p, _) = read("m=seqlock&c=no-verify&seed=x&k.MaxSeq=3");
        assert_eq!((l.model.as_str(), l.config.as_str(), l.seed), ("seqlock", "no-verify", 0));
        assert_eq!(l.constants, vec![("MaxSeq".to_string(), "3".to_string())]);
        assert_eq!(p, vec![format!("seed 'x' is not a whole number from 0 to {}, so seed 0 is used", u64::MAX)]);
        let (l, p, _) = read("m=seqlock&t=0.%21&h=00&at=2");
        assert!(l.choices.is_empty() && l.checksum.is_none() && l.at == 0);
        assert_eq!(p, vec!["its trace step 2 ('%21') is not a base-36 number, so its trace is dropped and the initial state is shown"]);
        let (l, p, _) = read("m=seqlock&t=0.1");
        assert!(l.choices.is_empty());
        assert_eq!(p, vec!["its trace has no checksum 'h=' (the link may have been cut short), so its trace is dropped and the initial state is shown"]);
        let (_, p, _) = read("m=seqlock&at=x");
        assert_eq!(p, vec!["the step 'at=x' is not a whole number, so the last step is shown"]);
    }

    #[test]
    fn unknown_parameters_are_ignored_and_named() {
        let (l, p, i) = read("v=1&m=paxos&c=ignore-accepted&utm_source=lms&widget=1&fbclid=abc&what&seed=4");
        assert_eq!((l.model.as_str(), l.config.as_str(), l.seed), ("paxos", "ignore-accepted", 4));
        assert!(p.is_empty(), "{p:?}");
        // Tracking parameters are ignored silently; anything else is named.
        assert_eq!(i, vec!["widget", "what"]);
    }

    #[test]
    fn a_link_cut_short_keeps_its_model_config_and_constants() {
        let full = "v=1&m=paxos&c=ignore-accepted&k.Acceptors=%7B1%2C%202%7D&k.Values=3&seed=5&t=0.1.2&h=0a0b0c0d&at=3";
        let (l, p, i) = read(full);
        assert!(p.is_empty() && i.is_empty());
        assert_eq!((l.choices.len(), l.at), (3, 3));
        let (l, p, _) = read("#v=1&m=paxos&c=ignore-accepted&k.Acceptors=%7B1%2C%202%7D&k.Val");
        assert_eq!((l.model.as_str(), l.config.as_str()), ("paxos", "ignore-accepted"));
        assert_eq!(l.constants, vec![("Acceptors".to_string(), "{1, 2}".to_string())]);
        assert_eq!(p, vec!["constant Val has no value (the link may have been cut short), so it keeps its default"]);
        // Cut inside the trace or before its checksum: the trace goes, the settings stay.
        let start = full.find("&t=").unwrap() + 1;
        for cut in ["t=0.1.2&h=0a0b", "t=0.1.2&h=", "t=0.1.2&h", "t=0.1.2&", "t=0.1.", "t=0", "t=", "t"] {
            let text = &full[..start + cut.len()];
            let (l, p, _) = read(text);
            assert_eq!((l.model.as_str(), l.config.as_str(), l.seed, l.constants.len()), ("paxos", "ignore-accepted", 5, 2), "{text}");
            assert!(l.choices.is_empty() && l.at == 0, "{text}");
            assert_eq!(p.len(), 1, "{text}: {p:?}");
            assert!(p[0].contains("cut short") && p[0].ends_with("so its trace is dropped and the initial state is shown"), "{text}: {p:?}");
        }
    }

    #[test]
    fn work_is_bounded_by_the_link_not_by_what_it_asks() {
        let long = vec!["0"; MAX_LINK_STEPS + 1].join(".");
        let (l, p, _) = read(&format!("m=seqlock&t={long}&h=00000000"));
        assert!(l.choices.is_empty());
        assert_eq!(
            p,
            vec![format!("its trace has {} steps; a link holds at most 200000, so its trace is dropped and the initial state is shown", MAX_LINK_STEPS + 1)]
        );
        let (l, _, _) = read(&format!("m=seqlock&t={}&h=00000000", vec!["0"; MAX_LINK_STEPS].join(".")));
        assert_eq!(l.choices.len(), MAX_LINK_STEPS);
        // Numbers that do not fit are dropped with a message, never wrapped.
        let (l, p, _) = read("m=seqlock&t=zzzzzzzzzzzzzzzz&h=1&i=99999999999999999999999&seed=18446744073709551616");
        assert!(l.choices.is_empty() && l.seed == 0 && l.init == 0);
        assert_eq!(p.len(), 2, "{p:?}");
        // Messages quote at most a little of what they could not read.
        let (_, p, i) = read(&format!("m=seqlock&seed={}&{}=1", "9".repeat(100_000), "q".repeat(100_000)));
        assert!(p[0].len() < 200 && i[0].len() < 80, "{p:?} {i:?}");
    }

    #[test]
    fn checksum_is_stable() {
        // Pinned: changing the checksum breaks every shared link.
        assert_eq!(labels_checksum(&[]), 0x811c_9dc5);
        assert_eq!(
            labels_checksum(&["WriterBegin".to_string(), "WriterData".to_string()]),
            labels_checksum(&["WriterBegin".to_string(), "WriterData".to_string()])
        );
        assert_ne!(labels_checksum(&["a".to_string(), "b".to_string()]), labels_checksum(&["ab".to_string()]));
        assert_eq!(labels_checksum(&["a".to_string()]), 0x2524_c6d2);
    }
}
