//! Simulation: many seeded random walks, looking for a violation, as TLC's `-simulate` does. Walk
//! `k` of a run is the walk with seed `first_seed + k`, so a found walk is reproduced by its seed
//! alone (`pex walk --seed`, the app's seed field): natively and in the browser the same seeds
//! give the same walks and the same finding.
//!
//! Walks skip steps that change nothing by default: on a state where a reader can retry forever,
//! a plain walk spends most of its length retrying; skipping those steps explores the same
//! behaviours (a stutter step never changes what a property sees) in far fewer steps.
//!
//! Like the checker, a simulation is resumable: [`Simulator::run`] does a bounded slice of work
//! and returns, so a web worker can report progress and take a cancel between slices.

use super::erased::DynModel;
use super::walk::{random_walk_with, Walk, WalkOptions};
use std::sync::Arc;
use web_time::Instant;

/// What a simulation may do.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SimulateOptions {
    /// The seed of the first walk; walk `k` has seed `first_seed + k`.
    pub first_seed: u64,
    /// Stop after this many walks.
    pub max_walks: Option<u64>,
    /// Steps per walk, at most (TLC's `-depth`).
    pub depth: usize,
    /// Stop after this many seconds.
    pub max_seconds: Option<f64>,
    /// Draw only among actions that change the state (see the module's comment).
    pub skip_stutter: bool,
}

impl Default for SimulateOptions {
    fn default() -> Self {
        SimulateOptions { first_seed: 0, max_walks: Some(10_000), depth: 1_000, max_seconds: Some(60.0), skip_stutter: true }
    }
}

/// Figures of a simulation, running or ended.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SimulateProgress {
    /// Walks finished.
    pub walks: u64,
    /// Steps taken over all walks.
    pub steps: u64,
    pub seconds: f64,
}

/// Why a simulation ended.
#[derive(Clone, Debug, PartialEq)]
pub enum SimulateEnd {
    /// A walk broke a property; the walk ends at the violating state.
    Found(Box<FoundWalk>),
    /// Every walk it was allowed ran without a violation.
    Walks,
    Seconds,
    Cancelled,
}

/// The first walk of a simulation that broke a property.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundWalk {
    pub seed: u64,
    /// Its 0-based number in the run.
    pub walk: u64,
    pub kind: super::checker::ViolationKind,
    pub name: String,
    pub init_index: usize,
    /// The walk's actions up to the violating state.
    pub labels: Vec<String>,
}

pub struct Simulator {
    model: Arc<dyn DynModel>,
    options: SimulateOptions,
    progress: SimulateProgress,
    started: Instant,
    end: Option<SimulateEnd>,
}

impl Simulator {
    pub fn new(model: Arc<dyn DynModel>, options: SimulateOptions) -> Simulator {
        Simulator { model, options, progress: SimulateProgress::default(), started: Instant::now(), end: None }
    }

    pub fn options(&self) -> &SimulateOptions {
        &self.options
    }

    pub fn progress(&self) -> SimulateProgress {
        let mut p = self.progress.clone();
        if self.end.is_none() {
            p.seconds = self.started.elapsed().as_secs_f64();
        }
        p
    }

    /// How the run ended, once it has.
    pub fn end(&self) -> Option<&SimulateEnd> {
        self.end.as_ref()
    }

    pub fn cancel(&mut self) {
        if self.end.is_none() {
            self.finish(SimulateEnd::Cancelled);
        }
    }

    fn finish(&mut self, end: SimulateEnd) {
        self.progress.seconds = self.started.elapsed().as_secs_f64();
        self.end = Some(end);
    }

    /// Runs whole walks until about `budget` steps have been taken; true once the run has ended.
    pub fn run(&mut self, budget: u64) -> bool {
        let mut spent = 0u64;
        while self.end.is_none() && spent < budget {
            if self.options.max_walks.is_some_and(|m| self.progress.walks >= m) {
                self.finish(SimulateEnd::Walks);
                break;
            }
            if self.options.max_seconds.is_some_and(|s| self.started.elapsed().as_secs_f64() >= s) {
                self.finish(SimulateEnd::Seconds);
                break;
            }
            let k = self.progress.walks;
            let seed = self.options.first_seed.wrapping_add(k);
            let walk = random_walk_with(
                self.model.as_ref(),
                seed,
                self.options.depth,
                WalkOptions { stop_on_violation: true, skip_stutter: self.options.skip_stutter },
            );
            let steps = walk.trace.len() as u64 - 1;
            spent += steps.max(1);
            self.progress.steps += steps;
            self.progress.walks += 1;
            if let Some(found) = found(&walk, k) {
                self.finish(SimulateEnd::Found(Box::new(found)));
            }
        }
        self.end.is_some()
    }

    /// Runs to the end (natively).
    pub fn run_to_end(&mut self) -> &SimulateEnd {
        while !self.run(1 << 16) {}
        self.end.as_ref().expect("ended")
    }
}

fn found(walk: &Walk, k: u64) -> Option<FoundWalk> {
    let v = walk.violation.as_ref()?;
    Some(FoundWalk {
        seed: walk.seed,
        walk: k,
        kind: v.kind,
        name: v.name.clone(),
        init_index: walk.trace.init_index,
        labels: walk.trace.labels().into_iter().take(v.position).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;
    use crate::engine::walk::random_walk_with;

    fn sim(model: &str, config: &str, skip_stutter: bool) -> (SimulateEnd, SimulateProgress) {
        let m = catalogue::build(model, config, &[]).unwrap();
        let mut s = Simulator::new(m, SimulateOptions { first_seed: 0, max_walks: Some(5_000), depth: 3_000, max_seconds: None, skip_stutter });
        let end = s.run_to_end().clone();
        (end, s.progress())
    }

    /// Every gap's violation is found, and the walk it names breaks that property at its last step.
    #[test]
    fn finds_every_gaps_violation_and_the_seed_reproduces_it() {
        for info in catalogue::infos() {
            for config in info.configs.iter().filter(|c| c.expect.is_some()) {
                // Walks see states and steps, not whole fair behaviours: temporal properties are
                // the exhaustive check's.
                let m = catalogue::build(info.name, config.name, &[]).unwrap();
                if m.liveness_names().iter().any(|n| Some(*n) == config.expect) {
                    continue;
                }
                let (end, progress) = sim(info.name, config.name, true);
                let SimulateEnd::Found(f) = end else { panic!("{} {}: nothing found in {} walks", info.name, config.name, progress.walks) };
                assert_eq!(Some(f.name.as_str()), config.expect, "{} {}", info.name, config.name);
                let m = catalogue::build(info.name, config.name, &[]).unwrap();
                let walk = random_walk_with(m.as_ref(), f.seed, 3_000, WalkOptions { stop_on_violation: true, skip_stutter: true });
                assert_eq!(walk.trace.labels(), f.labels, "{} {}: the seed gives the same walk", info.name, config.name);
                assert_eq!(walk.violation.map(|v| v.position), Some(f.labels.len()));
            }
        }
    }

    /// A safe config runs every walk it is given and finds nothing.
    #[test]
    fn safe_configs_run_every_walk() {
        let m = catalogue::build("seqlock", "safe", &[]).unwrap();
        let mut s = Simulator::new(m, SimulateOptions { first_seed: 0, max_walks: Some(200), depth: 200, max_seconds: None, skip_stutter: true });
        assert_eq!(s.run_to_end(), &SimulateEnd::Walks);
        assert_eq!(s.progress().walks, 200);
        assert!(s.progress().steps > 0);
    }

    /// Skipping steps that change nothing never takes one.
    #[test]
    fn skipping_stutter_takes_no_step_that_changes_nothing() {
        let m = catalogue::build("seqlock", "safe", &[]).unwrap();
        for seed in 0..20 {
            let w = random_walk_with(m.as_ref(), seed, 300, WalkOptions { stop_on_violation: false, skip_stutter: true });
            for pair in w.trace.steps.windows(2) {
                assert!(!m.same_state(&pair[0].state, &pair[1].state), "seed {seed}: a step that changed nothing");
            }
        }
    }
}
