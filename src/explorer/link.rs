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
}

/// FNV-1a over the labels, each followed by a newline. Written out here because it must never
/// change: old links depend on it, and a crate's hash may change between versions.
pub fn labels_checksum(labels: &[String]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for l in labels {
        for b in l.bytes().chain(std::iter::once(b'\n')) {
            h ^= b as u32;
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}

fn enc(s: &str) -> String {
    utf8_percent_encode(s, VALUE).to_string()
}

fn dec(s: &str) -> Result<String, String> {
    percent_decode_str(s).decode_utf8().map(|c| c.to_string()).map_err(|_| format!("'{s}' is not valid UTF-8 once decoded"))
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
            let t: Vec<String> = self.choices.iter().map(|c| to_base36(*c)).collect();
            parts.push(format!("t={}", t.join(".")));
            if let Some(h) = self.checksum {
                parts.push(format!("h={h:08x}"));
            }
        }
        parts.push(format!("at={}", self.at));
        parts.join("&")
    }

    /// Reads a fragment (with or without `#`). Any part that cannot be read is an error naming it.
    pub fn decode(fragment: &str) -> Result<Link, String> {
        let f = fragment.trim_start_matches('#');
        let mut link = Link::default();
        let mut saw_model = false;
        let mut saw_at = false;
        for part in f.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| format!("'{part}' is not key=value"))?;
            match key {
                "v" => {
                    if value != VERSION {
                        return Err(format!("link format v={value} is not one this version reads (v={VERSION})"));
                    }
                }
                "m" => {
                    link.model = dec(value)?;
                    saw_model = true;
                }
                "c" => link.config = dec(value)?,
                "seed" => link.seed = value.parse().map_err(|_| format!("seed '{value}' is not a whole number"))?,
                "i" => link.init = value.parse().map_err(|_| format!("initial state '{value}' is not a whole number"))?,
                "t" => {
                    link.choices = value
                        .split('.')
                        .filter(|s| !s.is_empty())
                        .map(|s| usize::from_str_radix(s, 36).map_err(|_| format!("trace step '{s}' is not a base-36 number")))
                        .collect::<Result<_, _>>()?
                }
                "h" => link.checksum = Some(u32::from_str_radix(value, 16).map_err(|_| format!("checksum '{value}' is not hexadecimal"))?),
                "at" => {
                    link.at = value.parse().map_err(|_| format!("step 'at={value}' is not a whole number"))?;
                    saw_at = true;
                }
                k if k.starts_with("k.") => link.constants.push((dec(&k[2..])?, dec(value)?)),
                other => return Err(format!("unknown part '{other}'")),
            }
        }
        if !saw_model {
            return Err("it names no model".to_string());
        }
        if link.config.is_empty() {
            link.config = "safe".to_string();
        }
        if !link.choices.is_empty() && link.checksum.is_none() {
            return Err("its trace has no checksum".to_string());
        }
        if !saw_at {
            link.at = link.choices.len();
        }
        Ok(link)
    }
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
        };
        let text = link.encode();
        assert!(text.contains("t=0.3.14.1"), "{text}");
        assert!(text.contains("k.Sizes=%7B1%2C%202%7D"), "{text}");
        assert_eq!(Link::decode(&text).unwrap(), link);
        assert_eq!(Link::decode(&format!("#{text}")).unwrap(), link);
    }

    #[test]
    fn defaults_and_errors() {
        let l = Link::decode("m=seqlock").unwrap();
        assert_eq!((l.config.as_str(), l.seed, l.at, l.choices.len()), ("safe", 0, 0, 0));
        assert_eq!(Link::decode("c=safe").unwrap_err(), "it names no model");
        assert!(Link::decode("m=seqlock&seed=x").unwrap_err().contains("seed 'x'"));
        assert!(Link::decode("m=seqlock&t=0.%21&h=00").unwrap_err().contains("base-36"));
        assert!(Link::decode("m=seqlock&t=0.1").unwrap_err().contains("checksum"));
        assert!(Link::decode("m=seqlock&what=1").unwrap_err().contains("unknown part"));
        assert!(Link::decode("m=seqlock&v=9").unwrap_err().contains("v=9"));
        assert!(Link::decode("m=seqlock&garbage").unwrap_err().contains("key=value"));
        assert!(Link::decode("m=%FF").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn checksum_is_stable() {
        // Pinned: changing the checksum breaks every shared link.
        assert_eq!(labels_checksum(&[]), 0x811c_9dc5);
        assert_eq!(labels_checksum(&["WriterBegin".to_string(), "WriterData".to_string()]), labels_checksum(&["WriterBegin".to_string(), "WriterData".to_string()]));
        assert_ne!(labels_checksum(&["a".to_string(), "b".to_string()]), labels_checksum(&["ab".to_string()]));
        assert_eq!(labels_checksum(&["a".to_string()]), 0x2524_c6d2);
    }
}
