//! Why a property fails: the step where the trace first did something the safe protocol cannot
//! do, and the steps that last wrote each variable the property reads. Derived from what every
//! model declares (its `safe` config, its twin's definitions); nothing here knows a model.

use super::Verdicts;
use crate::catalogue::Catalogue;
use crate::engine::{AnyState, DynModel};

/// Why a property fails on the current trace, at its first failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Causes {
    pub property: String,
    /// The step where it first fails.
    pub failed_at: usize,
    /// The first step at or before `failed_at` that the `safe` config could not have taken from
    /// the same state: the gap's changed guard or effect at work. `None` when every step up to the
    /// failure is one the safe protocol takes too (the property itself is what differs).
    pub altered: Option<AlteredStep>,
    /// Each variable the property's definition reads, with the last step at or before
    /// `failed_at` that changed it, in the twin's variable order.
    pub writes: Vec<LastWrite>,
}

/// A step the safe protocol could not take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlteredStep {
    pub step: usize,
    pub label: String,
    pub family: &'static str,
}

/// The last step that changed a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastWrite {
    pub variable: &'static str,
    /// The step; 0 (the initial state, label `Init`) when no step up to the failure changed it.
    pub step: usize,
    pub label: String,
}

impl Verdicts<'_> {
    /// Why `property` (an invariant or an action property) fails on the current trace, at the first
    /// step where it fails; `None` if it does not fail on this trace, or is a temporal property
    /// (whose failure is a whole lasso, not a step). Costs one pass over the trace up to the
    /// failure, remembered until the trace is cut or replaced.
    pub fn causes(&self, property: &str) -> Option<Causes> {
        self.x.sync_caches();
        if let Some(found) = self.x.causes_cache.borrow().iter().find(|c| c.property == property) {
            return Some(found.clone());
        }
        let failed_at = self.property_rows().into_iter().find(|r| r.name == property)?.first_broken?;
        let steps = &self.x.session.trace().steps;
        let states: Vec<&AnyState> = steps[..=failed_at].iter().map(|s| &s.state).collect();
        let labels: Vec<String> = steps[..=failed_at].iter().map(|s| s.action.clone().unwrap_or_else(|| "Init".to_string())).collect();
        let causes = Causes {
            property: property.to_string(),
            failed_at,
            altered: altered_step(&self.x.catalogue, self.x.model.as_ref(), &states, &labels),
            writes: last_writes(self.x.model.as_ref(), property, &states, &labels),
        };
        // The first failure, and every step before it, stay as they are while the trace only grows;
        // a cut or a replacement renews the revision and `sync_caches` drops the cache. A property
        // that does not fail yet is not cached: a later step may break it.
        self.x.causes_cache.borrow_mut().push(causes.clone());
        Some(causes)
    }
}

/// The first step `i` whose move from state `i - 1` the safe config has no choice for (same label,
/// same successor).
fn altered_step(catalogue: &Catalogue, model: &dyn DynModel, states: &[&AnyState], labels: &[String]) -> Option<AlteredStep> {
    if model.config().name == "safe" {
        return None;
    }
    // Every config of a model shares its state type, so the safe model can judge the gap's states.
    let safe = catalogue.build_with(model.info().name, "safe", model.constants()).ok()?;
    (1..states.len()).find_map(|i| {
        let safe_takes_it = safe.choices(states[i - 1]).iter().any(|c| c.label == labels[i] && safe.same_state(&c.next, states[i]));
        if safe_takes_it {
            return None;
        }
        let family = model.choices(states[i - 1]).into_iter().find(|c| c.label == labels[i]).map(|c| c.family)?;
        Some(AlteredStep { step: i, label: labels[i].clone(), family })
    })
}

/// For each variable `property` reads, the last step among `states` that changed it.
fn last_writes(model: &dyn DynModel, property: &str, states: &[&AnyState], labels: &[String]) -> Vec<LastWrite> {
    let Some(definition) = model.definition(property) else { return Vec::new() };
    let variables = model.variables();
    let values: Vec<_> = states.iter().map(|s| model.to_tla(s)).collect();
    definition
        .reads
        .iter()
        .filter_map(|name| {
            let v = variables.iter().position(|x| x == name)?;
            let step = (1..values.len()).rev().find(|&i| values[i][v] != values[i - 1][v]).unwrap_or(0);
            Some(LastWrite { variable: name, step, label: labels[step].clone() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::catalogue;
    use crate::engine::{CheckOptions, DynOutcome, Value};
    use crate::explorer::Explorer;

    /// The explorer on `model`/`config` at default constants, with the checker's shortest
    /// counterexample loaded; the name of the property it breaks.
    fn counterexample(model: &str, config: &str) -> (Explorer, String) {
        Explorer::with_counterexample(model, config).unwrap()
    }

    /// Every gap whose expected property is an invariant or an action property.
    fn gaps() -> Vec<(&'static str, &'static str, &'static str, &'static [&'static str])> {
        let mut out = Vec::new();
        for info in catalogue::infos() {
            for c in &info.configs {
                let Some(expect) = c.expect else { continue };
                let m = catalogue::build(info.name, c.name, &[]).unwrap();
                if m.invariant_names().contains(&expect) || m.property_names().contains(&expect) {
                    out.push((info.name, c.name, expect, c.alters));
                }
            }
        }
        out
    }

    #[test]
    fn every_gap_counterexample_names_the_altered_step_and_the_writes() {
        let gaps = gaps();
        assert!(gaps.len() >= 8, "{gaps:?}");
        for (model, config, expect, alters) in gaps {
            let (x, broken) = counterexample(model, config);
            assert_eq!(broken, expect, "{model}/{config}");
            let causes = x.verdicts().causes(expect).unwrap_or_else(|| panic!("{model}/{config}: no causes"));
            let last = x.session().len() - 1;
            assert_eq!(causes.failed_at, last, "{model}/{config}: fails at the counterexample's last step");
            assert!(!causes.writes.is_empty(), "{model}/{config}: names the writes");
            for w in &causes.writes {
                assert!(w.step <= last, "{model}/{config}: {w:?}");
            }
            if config == "seed-invariant" {
                // The safe protocol against a stricter invariant: no step differs from safe.
                assert_eq!(causes.altered, None, "{model}/{config}");
                continue;
            }
            if (model, config) == ("crdt", "tie-break-missing") {
                // The gap changes the merge, and MergeCommutative checks the merge itself on the
                // registers present: two writes at one time break it before any delta is merged,
                // and safe takes both writes too.
                assert_eq!(causes.altered, None, "{model}/{config}");
                assert!(x.session().trace().labels().iter().all(|l| l.starts_with("Set(")), "{model}/{config}");
                continue;
            }
            let altered = causes.altered.unwrap_or_else(|| panic!("{model}/{config}: no altered step"));
            assert!(altered.step >= 1 && altered.step <= last, "{model}/{config}: {altered:?}");
            assert!(alters.contains(&altered.family), "{model}/{config}: {altered:?} is not one of {alters:?}");
            // It names the trace's own step.
            assert_eq!(x.session().trace().steps[altered.step].action.as_deref(), Some(altered.label.as_str()));
        }
    }

    /// `accepted[a][r]` of a state, as (proposal, value) printed by TLC.
    fn accepted_values(x: &Explorer, step: usize) -> Vec<String> {
        let m = x.model();
        let v = m.variables().iter().position(|n| *n == "accepted").unwrap();
        let accepted = m.to_tla(&x.session().trace().steps[step].state)[v].clone();
        let mut vals = Vec::new();
        collect_vals(&accepted, &mut vals);
        vals
    }

    fn collect_vals(value: &Value, out: &mut Vec<String>) {
        for (k, child) in value.children() {
            if k == "val" {
                out.push(child.to_string());
            } else {
                collect_vals(child, out);
            }
        }
    }

    #[test]
    fn paxos_ignore_accepted_is_an_accept_of_another_value_than_the_quorum_accepted() {
        let (x, _) = counterexample("paxos", "ignore-accepted");
        let causes = x.verdicts().causes("Agreement").unwrap();
        let altered = causes.altered.unwrap();
        assert_eq!(altered.family, "Accept");
        // Accept(a, <<r, attempt, p>>, v): some acceptor had accepted a value before, and this
        // step accepts another one.
        let value = altered.label.trim_end_matches(')').rsplit(", ").next().unwrap().to_string();
        let before = accepted_values(&x, altered.step - 1);
        assert!(before.iter().any(|v| v != "\"none\"" && *v != value), "{altered:?} after {before:?}");
        // Safe Paxos, from the same state, has the same acceptor accept the same proposal only with
        // the value its quorum carries.
        let safe = catalogue::build_with("paxos", "safe", x.model().constants()).unwrap();
        let head = altered.label.rsplit_once(", ").unwrap().0;
        let safe_accepts: Vec<String> =
            safe.choices(&x.session().trace().steps[altered.step - 1].state).into_iter().map(|c| c.label).filter(|l| l.starts_with(head)).collect();
        assert!(!safe_accepts.is_empty() && !safe_accepts.contains(&altered.label), "{altered:?}; safe: {safe_accepts:?}");
        // Agreement reads `learned`, last written by the Learn that made the second value learned.
        assert_eq!(causes.writes.len(), 1);
        assert_eq!((causes.writes[0].variable, causes.writes[0].step), ("learned", causes.failed_at));
        assert!(causes.writes[0].label.starts_with("Learn("));
    }

    #[test]
    fn causes_follow_the_trace_when_a_fork_cuts_the_failure_off() {
        let (mut x, _) = counterexample("paxos", "ignore-accepted");
        assert!(x.verdicts().causes("Agreement").is_some());
        x.go_to(0);
        let trace = x.session().trace();
        let other = x.model().choices(&trace.steps[0].state).into_iter().map(|c| c.label).find(|l| Some(l) != trace.steps[1].action.as_ref()).unwrap();
        x.take(&other).unwrap();
        assert_eq!(x.session().len(), 2, "the fork cut the rest of the trace");
        assert_eq!(x.verdicts().causes("Agreement"), None, "nothing fails on the forked trace");
    }

    #[test]
    fn no_causes_for_a_property_that_holds_or_is_temporal() {
        let x = Explorer::for_model("paxos").unwrap();
        assert_eq!(x.verdicts().causes("Agreement"), None);
        // A liveness counterexample: the property fails on the lasso as a whole, not at a step.
        let mut x = Explorer::for_model("seqlock").unwrap();
        x.select_config("progress-next-only").unwrap();
        let mut checker = x.model().checker(CheckOptions::default());
        while !checker.run(100_000) {}
        let DynOutcome::Violation { name, trace, .. } = checker.result().unwrap().outcome else { panic!("ReaderProgress holds") };
        assert_eq!(name, "ReaderProgress");
        let labels: Vec<String> = trace.steps[1..].iter().map(|s| s.action.clone().unwrap()).collect();
        x.load_trace(trace.init_index, &labels, 0, "counterexample").unwrap();
        x.set_lasso(trace.lasso).unwrap();
        assert!(x.lasso().is_some());
        assert_eq!(x.verdicts().causes("ReaderProgress"), None);
    }
}
