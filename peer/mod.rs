//! The peer benchmark's models: `crdt` and `paxos` written a second time against Stateright
//! (crates.io `stateright`, a dev-dependency: never linked into pex, the app or the worker), and a
//! runner shared by `tests/stateright_peer.rs` and `examples/stateright_peer.rs` (which include
//! this folder with `#[path]`).
//!
//! Constants are parsed by our catalogue (`pex::engine::Constants`), so `--const` means the same
//! on both sides, with the same defaults and ranges. Stateright runs breadth-first
//! (`spawn_bfs`) and without symmetry reduction (no `.symmetry()`), as our checker does for these
//! two models, which declare no symmetric set.

pub mod crdt;
pub mod ours;
pub mod paxos;

use pex::engine::{Constants, ModelDef};
use stateright::{Checker, Model};
use std::time::Instant;

/// The models with a Stateright twin.
pub const MODELS: &[&str] = &["crdt", "paxos"];

/// Which model code Stateright's checker runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// The model written for Stateright (`peer/<model>.rs`): the comparison.
    Peer,
    /// Our own model code (`src/models/<model>.rs`) under Stateright's checker: a control.
    Ours,
}

/// One Stateright run.
#[derive(Clone, Debug)]
pub struct Run {
    pub model: String,
    pub config: String,
    pub constants: Vec<(String, String)>,
    pub threads: usize,
    pub code: Code,
    pub unique_states: usize,
    /// Stateright's `state_count`: every successor generated, stuttering ones included.
    pub generated: usize,
    pub max_depth: usize,
    /// From `spawn_bfs` to `join`.
    pub seconds: f64,
    /// Properties with a counterexample (none for the `safe` configs).
    pub discoveries: Vec<String>,
}

impl Run {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "checker": "stateright 0.31",
            "model": self.model,
            "config": self.config,
            "constants": self.constants.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect::<serde_json::Map<_, _>>(),
            "code": if self.code == Code::Peer { "peer" } else { "ours" },
            "threads": self.threads,
            "symmetry": false,
            "unique_states": self.unique_states,
            "generated": self.generated,
            "max_depth": self.max_depth,
            "seconds": self.seconds,
            "discoveries": self.discoveries,
        })
    }
}

/// Runs Stateright's breadth-first checker on `model`/`config` at `constants` (the defaults for
/// any not given), on `threads` threads.
pub fn run(model: &str, config: &str, constants: &[(String, String)], threads: usize, code: Code) -> Result<Run, String> {
    let info = match model {
        "crdt" => crdt::CrdtPeer::info(),
        "paxos" => paxos::PaxosPeer::info(),
        other => return Err(format!("no Stateright model for '{other}' (there are: {})", MODELS.join(", "))),
    };
    let spec = info.config(config).ok_or_else(|| format!("model {model} has no config '{config}'"))?;
    let consts = Constants::build(&info.constants, constants).map_err(|e| e.to_string())?;
    let mut run = Run {
        model: model.to_string(),
        config: config.to_string(),
        constants: consts.to_pairs(),
        threads,
        code,
        unique_states: 0,
        generated: 0,
        max_depth: 0,
        seconds: 0.0,
        discoveries: Vec::new(),
    };
    match (model, code) {
        ("crdt", Code::Peer) => check(crdt::CrdtPeer::new(spec, &consts), threads, &mut run),
        ("paxos", Code::Peer) => check(paxos::PaxosPeer::new(spec, &consts), threads, &mut run),
        ("crdt", Code::Ours) => check(ours::Ours(pex::models::crdt::Crdt::build(spec, &consts)?), threads, &mut run),
        (_, Code::Ours) => check(ours::Ours(pex::models::paxos::Paxos::build(spec, &consts)?), threads, &mut run),
        _ => unreachable!("models checked above"),
    }
    Ok(run)
}

fn check<M>(model: M, threads: usize, run: &mut Run)
where
    M: Model + Send + Sync + 'static,
    M::State: std::hash::Hash + Send + Sync + Clone + PartialEq + std::fmt::Debug + 'static,
    M::Action: Clone + PartialEq + std::fmt::Debug,
{
    let started = Instant::now();
    let checker = model.checker().threads(threads.max(1)).spawn_bfs().join();
    run.seconds = started.elapsed().as_secs_f64();
    run.unique_states = checker.unique_state_count();
    run.generated = checker.state_count();
    run.max_depth = checker.max_depth();
    let mut found: Vec<String> = checker.discoveries().into_keys().map(str::to_string).collect();
    found.sort();
    run.discoveries = found;
}
