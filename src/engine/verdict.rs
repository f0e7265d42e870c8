//! What a check decided about temporal properties, and the sentences that say how a check ended:
//! one place for the CLI, the worker and the page, so a stop during the liveness phase and a
//! property that holds are worded alike everywhere.

use super::checker::Progress;
use super::text::{noun, plural};

/// The temporal side of a check of a liveness config (a safety config has none).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LivenessReport {
    /// The twin's FairSpec this config checks (`FairSpecPerProcess`).
    pub specification: String,
    /// Its fairness conjuncts, as the twin writes them.
    pub fairness: Vec<String>,
    /// Every temporal property of the config, in config order.
    pub properties: Vec<String>,
    /// The properties judged, in order, and whether each holds on every fair behaviour.
    pub verdicts: Vec<(String, bool)>,
    /// The search ended: every reachable state was expanded and every invariant checked there.
    pub search_complete: bool,
}

impl LivenessReport {
    /// The properties judged to hold on every fair behaviour.
    pub fn holding(&self) -> Vec<&str> {
        self.verdicts.iter().filter(|(_, h)| *h).map(|(n, _)| n.as_str()).collect()
    }

    /// Whether `name` was judged, and if so whether it holds.
    pub fn verdict(&self, name: &str) -> Option<bool> {
        self.verdicts.iter().find(|(n, _)| n == name).map(|(_, h)| *h)
    }

    /// The fairness the verdicts are under: `FairSpec: WF_vars(Writer), ∀ r ∈ Readers : WF_vars(Reader(r))`.
    pub fn under(&self) -> String {
        let conjuncts: Vec<String> = self.fairness.iter().map(|f| f.replace("\\A ", "∀ ").replace(" \\in ", " ∈ ")).collect();
        if conjuncts.is_empty() {
            format!("{}: no fairness", self.specification)
        } else {
            format!("{}: {}", self.specification, conjuncts.join(", "))
        }
    }
}

fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The verdict of a check that found nothing wrong.
pub fn ok_text(liveness: Option<&LivenessReport>) -> String {
    let base = "No error: every reachable state satisfies every invariant";
    match liveness {
        Some(l) if !l.holding().is_empty() => {
            let holding = l.holding();
            format!("{base}, and {} {} on every fair behaviour ({}).", list(&holding), noun(holding.len() as u64, "holds", "hold"), l.under())
        }
        _ => format!("{base}."),
    }
}

/// The verdict of a check stopped early: what was checked and what was not. `how` follows
/// "Stopped": `by the bound --max-states 1000`, `by cancellation`, `early (cancelled)`.
pub fn stopped_text(how: &str, progress: &Progress, liveness: Option<&LivenessReport>) -> String {
    match liveness {
        Some(l) if l.search_complete => {
            let judged: Vec<&str> = l.verdicts.iter().map(|(n, _)| n.as_str()).collect();
            let rest: Vec<&str> = l.properties.iter().map(String::as_str).filter(|p| !judged.contains(p)).collect();
            let mut s = format!(
                "Stopped {how} during the liveness phase, after the search: every reachable state ({}) was expanded and satisfies every invariant",
                plural(progress.distinct, "distinct state", "distinct states")
            );
            if !judged.is_empty() {
                s += &format!("; {} {} on every fair behaviour ({})", list(&judged), noun(judged.len() as u64, "holds", "hold"), l.under());
            }
            if rest.is_empty() {
                s += ". The temporal properties were not judged.";
            } else {
                s += &format!(
                    ", but the temporal {} {} {} not judged. This is not a verdict on {}.",
                    noun(rest.len() as u64, "property", "properties"),
                    list(&rest),
                    noun(rest.len() as u64, "was", "were"),
                    noun(rest.len() as u64, "it", "them")
                );
            }
            // Where in the liveness phase it stopped (and, at the memory ceiling, what needed how much).
            if let Some(phase) = &progress.phase {
                s += &format!(" It stopped at: {}.", phase.strip_prefix("liveness: ").unwrap_or(phase));
            }
            s
        }
        _ => {
            let mut s = format!(
                "Stopped {how} before exploring every reachable state: no property failed on the {} found, but {} left on the queue {} never expanded, so the states beyond {} were not checked.",
                plural(progress.distinct, "distinct state", "distinct states"),
                plural(progress.queue, "state", "states"),
                noun(progress.queue, "was", "were"),
                noun(progress.queue, "it", "them"),
            );
            if let Some(l) = liveness {
                s += &format!(
                    " No temporal property was evaluated ({}): they are judged on the whole state graph, after the search.",
                    list(&l.properties.iter().map(String::as_str).collect::<Vec<_>>())
                );
            }
            s + " This is not a verdict on the model."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(verdicts: &[(&str, bool)], search_complete: bool) -> LivenessReport {
        LivenessReport {
            specification: "FairSpecPerProcess".into(),
            fairness: vec!["WF_vars(Writer)".into(), "\\A r \\in Readers : WF_vars(Reader(r))".into()],
            properties: vec!["ReaderProgress".into(), "WriterProgress".into()],
            verdicts: verdicts.iter().map(|(n, h)| (n.to_string(), *h)).collect(),
            search_complete,
        }
    }

    #[test]
    fn ok_text_says_which_temporal_properties_hold_and_under_what_fairness() {
        assert_eq!(ok_text(None), "No error: every reachable state satisfies every invariant.");
        assert_eq!(
            ok_text(Some(&report(&[("ReaderProgress", true), ("WriterProgress", true)], true))),
            "No error: every reachable state satisfies every invariant, and ReaderProgress and WriterProgress hold on every fair behaviour (FairSpecPerProcess: WF_vars(Writer), ∀ r ∈ Readers : WF_vars(Reader(r)))."
        );
    }

    #[test]
    fn a_stop_in_the_liveness_phase_says_the_search_was_complete() {
        let p = Progress { distinct: 10, queue: 0, ..Progress::default() };
        let t = stopped_text("by cancellation", &p, Some(&report(&[("ReaderProgress", true)], true)));
        assert!(t.contains("after the search: every reachable state (10 distinct states) was expanded and satisfies every invariant"), "{t}");
        assert!(t.contains("ReaderProgress holds on every fair behaviour"), "{t}");
        assert!(t.contains("the temporal property WriterProgress was not judged"), "{t}");
        assert!(!t.contains("left on the queue"), "{t}");
        let t = stopped_text("by cancellation", &p, Some(&report(&[], true)));
        assert!(t.contains("the temporal properties ReaderProgress and WriterProgress were not judged"), "{t}");
        assert!(!t.contains("It stopped at"), "{t}");
        // The phase it stopped in is named.
        let p = Progress { phase: Some("liveness: state graph: indexing the states (3 of 10)".into()), ..p };
        let t = stopped_text("by the bound --max-seconds 1", &p, Some(&report(&[], true)));
        assert!(t.ends_with(" It stopped at: state graph: indexing the states (3 of 10)."), "{t}");
    }

    #[test]
    fn a_stop_in_the_search_of_a_liveness_config_says_no_temporal_property_was_evaluated() {
        let p = Progress { distinct: 10, queue: 3, ..Progress::default() };
        let t = stopped_text("by the bound --max-states 10", &p, Some(&report(&[], false)));
        assert!(t.contains("3 states left on the queue were never expanded"), "{t}");
        assert!(t.contains("No temporal property was evaluated (ReaderProgress and WriterProgress)"), "{t}");
        let t = stopped_text("by the bound --max-states 10", &p, None);
        assert!(!t.contains("temporal"), "{t}");
    }
}
