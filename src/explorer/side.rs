//! Side by side: the trace played at once in another configuration of the same model (safe beside
//! a gap), step-aligned, with the first step where the two part marked in both. The other side is
//! the trace's actions replayed under the other configuration, extended as the trace grows (a
//! cache keyed on the session's revision, like the verdicts), so a step costs one replayed step.

use super::draw::Drawing;
use super::Explorer;
use crate::engine::walk::first_violation;
use crate::engine::{AnyState, DynModel};
use std::sync::Arc;

/// The other configuration and what has been replayed under it.
pub(super) struct Side {
    model: Arc<dyn DynModel>,
    /// The trace's states replayed under the other configuration, as far as they go.
    states: Vec<AnyState>,
    /// The first step whose action the other configuration does not enable, with its label.
    blocked: Option<(usize, String)>,
    /// The first step where the two configurations' verdicts differ (what fails, if anything).
    differ: Option<(usize, String)>,
    /// How far `differ` has been looked for.
    compared: usize,
    revision: u64,
}

/// What the page shows of the other side at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct SideView {
    pub config: &'static str,
    /// The other side's picture at the cursor, or at its last step when it stopped before.
    pub drawing: Option<Drawing>,
    /// The step that picture shows.
    pub step: usize,
    /// What fails at that step under the other configuration.
    pub fails: Option<String>,
    /// The first step where the two sides part, and how, in a sentence.
    pub divergence: Option<(usize, String)>,
}

impl Explorer {
    /// Plays the trace in `config` beside the current configuration (`None` ends it).
    pub fn set_side(&mut self, config: Option<&str>) -> Result<(), String> {
        let Some(config) = config else {
            *self.side.borrow_mut() = None;
            return Ok(());
        };
        if config == self.model.config().name {
            return Err(format!("{config} is the configuration shown; pick another to compare with"));
        }
        let model = self.catalogue.build_with(self.model.info().name, config, self.model.constants()).map_err(|e| e.to_string())?;
        *self.side.borrow_mut() = Some(Side { model, states: Vec::new(), blocked: None, differ: None, compared: 0, revision: 0 });
        Ok(())
    }

    /// The configuration shown beside, if any.
    pub fn side_config(&self) -> Option<&'static str> {
        self.side.borrow().as_ref().map(|s| s.model.config().name)
    }

    /// The other side at the cursor.
    pub fn side_view(&self) -> Option<SideView> {
        let mut guard = self.side.borrow_mut();
        let side = guard.as_mut()?;
        if side.model.constants() != self.model.constants() || side.model.info().name != self.model.info().name {
            *guard = None;
            return None;
        }
        let trace = self.session.trace();
        if side.revision != self.session.revision() {
            side.revision = self.session.revision();
            side.states.clear();
            side.blocked = None;
            side.differ = None;
            side.compared = 0;
        }
        let cursor = self.session.cursor();
        // Replay up to the cursor (the steps before it never change while the revision stays).
        if side.states.is_empty() {
            match side.model.init_states().get(trace.init_index) {
                Some(s) => side.states.push(s.clone()),
                None => side.blocked = Some((0, "its initial state".into())),
            }
        }
        while side.blocked.is_none() && side.states.len() <= cursor {
            let i = side.states.len();
            let label = trace.steps[i].action.clone().unwrap_or_default();
            let prev = side.states[i - 1].clone();
            match side.model.choices(&prev).into_iter().find(|c| c.label == label) {
                Some(c) => side.states.push(c.next),
                None => side.blocked = Some((i, label)),
            }
        }
        // The first step where what fails differs, up to the cursor.
        while side.differ.is_none() && side.compared <= cursor.min(side.states.len().saturating_sub(1)) && !side.states.is_empty() {
            let i = side.compared;
            let here = self.verdicts().broken_at(i);
            let prev = (i > 0).then(|| &side.states[i - 1]);
            let there = first_violation(side.model.as_ref(), prev, &side.states[i]).map(|(_, n)| n);
            if here != there {
                let (a, b) = (self.model.config().name, side.model.config().name);
                let say = |c: &str, f: &Option<String>| match f {
                    Some(n) => format!("{n} fails under {c}"),
                    None => format!("nothing fails under {c}"),
                };
                side.differ = Some((i, format!("{}, {}", say(a, &here), say(b, &there))));
            }
            side.compared += 1;
        }
        let step = cursor.min(side.states.len().saturating_sub(1));
        let drawing = side.states.get(step).and_then(|s| self.catalogue.draw(side.model.as_ref(), step.checked_sub(1).and_then(|j| side.states.get(j)), s));
        let fails =
            side.states.get(step).and_then(|s| first_violation(side.model.as_ref(), step.checked_sub(1).and_then(|j| side.states.get(j)), s).map(|(_, n)| n));
        let divergence = match (&side.blocked, &side.differ) {
            (Some((b, label)), Some((d, _))) if b <= d => {
                Some((*b, format!("{label} is not enabled under {}: that side stops at step {}", side.model.config().name, b - 1)))
            }
            (_, Some((d, text))) => Some((*d, text.clone())),
            (Some((b, label)), None) => {
                Some((*b, format!("{label} is not enabled under {}: that side stops at step {}", side.model.config().name, b.saturating_sub(1))))
            }
            (None, None) => None,
        };
        Some(SideView { config: side.model.config().name, drawing, step, fails, divergence })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;

    /// The torn read played in no-verify beside safe: the two part at the step where the torn value
    /// is committed, the safe side draws that step too, and nothing fails there under safe.
    #[test]
    fn the_torn_read_beside_safe_parts_at_the_commit() {
        let mut x = Explorer::for_model("seqlock").unwrap();
        x.select_config("no-verify").unwrap();
        for s in crate::explorer::tests::TORN {
            x.take(s).unwrap();
        }
        x.set_side(Some("safe")).unwrap();
        let v = x.side_view().unwrap();
        assert_eq!((v.config, v.step), ("safe", 11));
        assert!(v.drawing.is_some());
        assert_eq!(v.fails, None);
        let (at, why) = v.divergence.unwrap();
        assert_eq!(at, 11);
        assert!(why.contains("NoTornRead fails under no-verify, nothing fails under safe"), "{why}");
        // Before the commit, the sides agree.
        x.go_to(5);
        assert_eq!(x.side_view().unwrap().step, 5);
        assert!(x.set_side(Some("no-verify")).is_err());
        x.set_side(None).unwrap();
        assert!(x.side_view().is_none());
    }

    /// Paxos' gap beside safe: the altered Accept is not enabled under safe, so that side stops.
    #[test]
    fn an_action_the_other_side_does_not_enable_stops_it() {
        let m = catalogue::build("paxos", "ignore-accepted", &[]).unwrap();
        let mut c = m.checker(Default::default());
        while !c.run(100_000) {}
        let Some(crate::engine::CheckResult { outcome: crate::engine::DynOutcome::Violation { trace, .. }, .. }) = c.result() else { panic!() };
        let mut x = Explorer::for_model("paxos").unwrap();
        x.select_config("ignore-accepted").unwrap();
        x.load_trace(trace.init_index, &trace.labels(), trace.len() - 1, "test").unwrap();
        x.set_side(Some("safe")).unwrap();
        let v = x.side_view().unwrap();
        let (at, why) = v.divergence.unwrap();
        assert!(why.contains("is not enabled under safe"), "{why}");
        assert!(why.starts_with("Accept("), "{why}");
        assert_eq!(v.step, at - 1);
    }
}
