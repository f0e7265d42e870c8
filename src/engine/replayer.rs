//! Replaying a trace's actions on a model, all at once or a slice at a time. A page replays a
//! 200,000-step trace (a config switch, a link, an imported file) in slices between frames, so it
//! stays responsive and can show progress; the CLI and tests replay in one go. Both are the same
//! code, so they give the same trace.

use super::erased::DynModel;
use super::trace::{ReplayStop, Trace, TraceStep};

/// What picks each step's action: its label, or its position among the enabled actions (links).
#[derive(Clone, Debug)]
pub enum Steps {
    Labels(Vec<String>),
    Positions(Vec<usize>),
}

impl Steps {
    pub fn len(&self) -> usize {
        match self {
            Steps::Labels(l) => l.len(),
            Steps::Positions(p) => p.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A replay in progress: [`Replayer::advance`] takes up to a given number of steps.
pub struct Replayer {
    steps: Steps,
    trace: Trace,
    stop: Option<ReplayStop>,
}

impl Replayer {
    /// Starts at initial state `init`; a missing one stops the replay at once (at the first
    /// initial state).
    pub fn new(model: &dyn DynModel, init: usize, steps: Steps) -> Replayer {
        let inits = model.init_states();
        let (index, stop) = if init < inits.len() { (init, None) } else { (0, Some(ReplayStop::NoSuchInit { index: init, count: inits.len() })) };
        let first = inits.into_iter().nth(index).expect("every model has an initial state");
        Replayer { steps, trace: Trace { init_index: index, steps: vec![TraceStep { action: None, state: first }], lasso: None }, stop }
    }

    /// Steps replayed so far and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.trace.len() - 1, self.steps.len())
    }

    pub fn finished(&self) -> bool {
        self.stop.is_some() || self.trace.len() > self.steps.len()
    }

    /// Replays up to `budget` more steps; true once the replay is over (done or stopped).
    pub fn advance(&mut self, model: &dyn DynModel, budget: usize) -> bool {
        for _ in 0..budget {
            if self.finished() {
                break;
            }
            let i = self.trace.len() - 1;
            let current = &self.trace.steps[i].state;
            let inside = model.within_constraint(current);
            let picked = match &self.steps {
                Steps::Labels(labels) => {
                    let found = if inside { model.choices(current).into_iter().find(|c| c.label == labels[i]) } else { None };
                    found.ok_or_else(|| ReplayStop::NotEnabled { position: i + 1, label: labels[i].clone() })
                }
                Steps::Positions(positions) => {
                    let found = if inside { model.choice_at(current, positions[i]) } else { None };
                    found.ok_or_else(|| ReplayStop::NoSuchPosition {
                        position: i + 1,
                        wanted: positions[i],
                        count: if inside { model.choices(current).len() } else { 0 },
                    })
                }
            };
            match picked {
                Ok(c) => self.trace.steps.push(TraceStep { action: Some(c.label), state: c.next }),
                Err(stop) => self.stop = Some(stop),
            }
        }
        self.finished()
    }

    /// The trace replayed so far, and why it stopped early (if it did).
    pub fn finish(self) -> (Trace, Option<ReplayStop>) {
        (self.trace, self.stop)
    }
}

/// Replays action labels from an initial state, as far as each stays enabled.
pub fn replay(model: &dyn DynModel, init: usize, labels: &[String]) -> (Trace, Option<ReplayStop>) {
    let mut r = Replayer::new(model, init, Steps::Labels(labels.to_vec()));
    r.advance(model, usize::MAX);
    r.finish()
}

/// Where the same actions, replayed on two configurations, part ways.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// Steps replayed on the other configuration (initial state included).
    pub replayed: usize,
    /// The first action the other configuration does not enable, if any (step index, 1-based).
    pub blocked: Option<(usize, String)>,
    /// The first step (0 = initial state) where an invariant common to both configurations holds
    /// in one and fails in the other, with that invariant's name.
    pub verdicts_differ: Option<(usize, String)>,
}

/// A comparison of a trace of configuration `a` with its replay on configuration `b`, in slices:
/// first the replay, then the invariants' verdicts step by step.
pub struct Comparer {
    replayer: Option<Replayer>,
    other: Option<(Trace, Option<ReplayStop>)>,
    compared: usize,
    verdicts_differ: Option<(usize, String)>,
}

impl Comparer {
    pub fn new(trace: &Trace, b: &dyn DynModel) -> Comparer {
        Comparer { replayer: Some(Replayer::new(b, trace.init_index, Steps::Labels(trace.labels()))), other: None, compared: 0, verdicts_differ: None }
    }

    /// Work done and in all (each step is replayed, then compared).
    pub fn progress(&self, trace: &Trace) -> (usize, usize) {
        let total = 2 * trace.len();
        match (&self.replayer, &self.other) {
            (Some(r), _) => (r.progress().0, total),
            (None, Some((other, _))) => (trace.len() + self.compared.min(other.len()), total),
            _ => (total, total),
        }
    }

    /// Does up to `budget` more steps of work; true once the comparison is complete.
    pub fn advance(&mut self, a: &dyn DynModel, trace: &Trace, b: &dyn DynModel, budget: usize) -> bool {
        if let Some(r) = &mut self.replayer {
            if !r.advance(b, budget) {
                return false;
            }
            self.other = Some(self.replayer.take().expect("present").finish());
            return false;
        }
        let Some((other, _)) = &self.other else { return true };
        let (names_a, names_b) = (a.invariant_names(), b.invariant_names());
        let end = (self.compared.saturating_add(budget)).min(other.len());
        while self.verdicts_differ.is_none() && self.compared < end {
            let i = self.compared;
            let va = a.check_invariants(&trace.steps[i].state);
            let vb = b.check_invariants(&other.steps[i].state);
            for (ia, name) in names_a.iter().enumerate() {
                if let Some(ib) = names_b.iter().position(|n| n == name) {
                    if va[ia] != vb[ib] {
                        self.verdicts_differ = Some((i, name.to_string()));
                        break;
                    }
                }
            }
            self.compared += 1;
        }
        self.verdicts_differ.is_some() || self.compared >= other.len()
    }

    /// The replayed trace and where the two configurations part. Call once `advance` is done.
    pub fn finish(self) -> (Trace, Divergence) {
        let (other, stop) = self.other.expect("the comparison is complete");
        let blocked = match stop {
            Some(ReplayStop::NotEnabled { position, label }) => Some((position, label)),
            _ => None,
        };
        let replayed = other.steps.len();
        (other, Divergence { replayed, blocked, verdicts_differ: self.verdicts_differ })
    }
}

/// Compares a trace of one configuration with its replay on another, in one go.
pub fn compare_configs(a: &dyn DynModel, trace: &Trace, b: &dyn DynModel) -> (Trace, Divergence) {
    let mut c = Comparer::new(trace, b);
    while !c.advance(a, trace, b, usize::MAX) {}
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;

    #[test]
    fn sliced_replay_and_comparison_equal_the_one_go_ones() {
        let a = catalogue::build("seqlock", "safe", &[]).unwrap();
        let b = catalogue::build("seqlock", "no-verify", &[]).unwrap();
        let walk = crate::engine::random_walk(a.as_ref(), 5, 300, false);
        let trace = walk.trace;
        let labels = trace.labels();
        let (whole, stop) = replay(b.as_ref(), trace.init_index, &labels);
        let mut r = Replayer::new(b.as_ref(), trace.init_index, Steps::Labels(labels.clone()));
        let mut slices = 0;
        while !r.advance(b.as_ref(), 7) {
            slices += 1;
            let (done, all) = r.progress();
            assert!(done <= all);
        }
        assert!(slices > 1, "the replay took several slices");
        let (sliced, sliced_stop) = r.finish();
        assert_eq!(sliced.labels(), whole.labels());
        assert_eq!(sliced_stop, stop);
        let (t1, d1) = compare_configs(a.as_ref(), &trace, b.as_ref());
        let mut c = Comparer::new(&trace, b.as_ref());
        while !c.advance(a.as_ref(), &trace, b.as_ref(), 5) {}
        let (t2, d2) = c.finish();
        assert_eq!(d1, d2);
        assert_eq!(t1.labels(), t2.labels());
        assert_eq!(d1.replayed, t1.len());
        assert!(d1.blocked.is_some() || d1.replayed == trace.len());
    }

    #[test]
    fn positions_replay_and_stop_where_an_action_is_missing() {
        let m = catalogue::build("seqlock", "safe", &[]).unwrap();
        let mut r = Replayer::new(m.as_ref(), 0, Steps::Positions(vec![0, 0, 99]));
        assert!(r.advance(m.as_ref(), 10));
        let (trace, stop) = r.finish();
        assert_eq!(trace.len(), 3);
        assert_eq!(stop, Some(ReplayStop::NoSuchPosition { position: 3, wanted: 99, count: m.choices(&trace.steps[2].state).len() }));
        let (whole, _) = replay(m.as_ref(), 0, &trace.labels());
        assert_eq!(whole.labels(), trace.labels(), "positions and labels replay the same steps");
        let r = Replayer::new(m.as_ref(), 7, Steps::Labels(vec![]));
        assert!(matches!(r.finish().1, Some(ReplayStop::NoSuchInit { index: 7, .. })));
    }
}

#[cfg(test)]
mod choice_at_tests {
    use crate::catalogue;

    #[test]
    fn the_kth_choice_is_the_kth_of_all_choices_for_every_model() {
        for info in catalogue::infos() {
            let m = catalogue::build(info.name, "safe", &[]).unwrap();
            let walk = crate::engine::random_walk(m.as_ref(), 3, 60, false);
            for step in &walk.trace.steps {
                let all = m.choices(&step.state);
                for (k, c) in all.iter().enumerate() {
                    let one = m.choice_at(&step.state, k).unwrap();
                    assert_eq!((one.label.as_str(), one.family), (c.label.as_str(), c.family), "{}", info.name);
                    assert!(m.same_state(&one.next, &c.next));
                }
                assert!(m.choice_at(&step.state, all.len()).is_none());
            }
        }
    }
}
