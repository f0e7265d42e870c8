//! Every model, by name: list them, read their constants and configs, build any of them, draw
//! any of them. A model's one registration is its line in [`entries`]: its `ModelDef` and `View`
//! carry everything else.

use crate::engine::{typed, AnyState, ConstError, Constants, DynModel, Erased, ModelDef, ModelInfo};
use crate::explorer::draw::{Drawing, Legend};
use crate::explorer::views::{StatePath, View};
use crate::models;
use std::fmt;
use std::sync::Arc;

/// Builds a catalogued model from a config name and constants.
type BuildFn = fn(&str, &Constants) -> Result<Arc<dyn DynModel>, BuildError>;

/// A model's trace view: its title and the drawing of the given states, the cursor at the index.
pub type TraceViewFn = fn(&dyn DynModel, &[&AnyState], usize) -> Option<(&'static str, Drawing)>;

/// One model of the catalogue.
pub struct Entry {
    pub info: fn() -> ModelInfo,
    build: BuildFn,
    /// The title of the model's view ([`View::TITLE`]).
    pub view_title: &'static str,
    /// [`View::view`] of a model this entry built (`None` for another model's).
    pub view: fn(&dyn DynModel, Option<&AnyState>, &AnyState) -> Option<Drawing>,
    /// [`View::trace_view`] of a model this entry built.
    pub trace_view: TraceViewFn,
    /// [`View::legend`] of a model this entry built.
    pub legend: fn(&dyn DynModel) -> Option<Legend>,
    /// [`View::shapes_for`] of a model this entry built.
    pub shapes_for: fn(&dyn DynModel, &AnyState, &str) -> Vec<String>,
}

fn entry<M: ModelDef + View>() -> Entry {
    Entry {
        info: M::info,
        build: |config, constants| {
            let info = M::info();
            let spec = info.config(config).cloned().ok_or_else(|| BuildError::UnknownConfig {
                model: info.name.to_string(),
                config: config.to_string(),
                known: info.configs.iter().map(|c| c.name.to_string()).collect(),
            })?;
            let model = M::build(&spec, constants).map_err(BuildError::Invalid)?;
            Ok(Arc::new(Erased::new(model, info, spec, constants.clone())) as Arc<dyn DynModel>)
        },
        view_title: M::TITLE,
        view: |model, prev, state| {
            let m = model.as_any().downcast_ref::<M>()?;
            Some(m.view(prev.map(typed::<M::State>), typed::<M::State>(state)))
        },
        legend: |model| Some(model.as_any().downcast_ref::<M>()?.legend()),
        shapes_for: |model, state, path| match model.as_any().downcast_ref::<M>() {
            Some(m) => m.shapes_for(typed::<M::State>(state), &StatePath::parse(path)),
            None => Vec::new(),
        },
        trace_view: |model, states, cursor| {
            let m = model.as_any().downcast_ref::<M>()?;
            let states: Vec<&M::State> = states.iter().map(|s| typed::<M::State>(s)).collect();
            m.trace_view(&states, cursor)
        },
    }
}

/// The models, in the order the catalogue presents them.
pub fn entries() -> Vec<Entry> {
    vec![
        entry::<models::seqlock::Seqlock>(),
        entry::<models::ebpf_ring::EbpfRing>(),
        entry::<models::paxos::Paxos>(),
        entry::<models::hlc::HlcModel>(),
        entry::<models::occ::Occ>(),
        entry::<models::mvcc::Mvcc>(),
        entry::<models::routes::Routes>(),
        entry::<models::composed::Composed>(),
        entry::<models::crdt::Crdt>(),
        entry::<models::gossip::Gossip>(),
        entry::<models::persistence::Persistence>(),
        entry::<models::anti_entropy::AntiEntropy>(),
    ]
}

pub fn infos() -> Vec<ModelInfo> {
    entries().iter().map(|e| (e.info)()).collect()
}

/// Bad input when building a model: which part, and what would have been valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildError {
    UnknownModel { model: String, known: Vec<String> },
    UnknownConfig { model: String, config: String, known: Vec<String> },
    Constant(ConstError),
    Invalid(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::UnknownModel { model, known } => {
                write!(f, "unknown model '{model}'; the models are {}", known.join(", "))
            }
            BuildError::UnknownConfig { model, config, known } => {
                write!(f, "model {model} has no config '{config}'; its configs are {}", known.join(", "))
            }
            BuildError::Constant(e) => write!(f, "{e}"),
            BuildError::Invalid(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for BuildError {}

/// The catalogue entry named `name`.
pub fn find(name: &str) -> Result<Entry, BuildError> {
    let all = entries();
    match all.iter().position(|e| (e.info)().name == name) {
        Some(i) => Ok(all.into_iter().nth(i).expect("found")),
        None => Err(BuildError::UnknownModel { model: name.to_string(), known: all.iter().map(|e| (e.info)().name.to_string()).collect() }),
    }
}

/// Builds `model` for `config` with the defaults overridden by `(name, value)` pairs.
pub fn build(model: &str, config: &str, overrides: &[(String, String)]) -> Result<Arc<dyn DynModel>, BuildError> {
    let entry = find(model)?;
    let info = (entry.info)();
    let constants = Constants::build(&info.constants, overrides).map_err(BuildError::Constant)?;
    (entry.build)(config, &constants)
}

/// Builds from already-validated constants.
pub fn build_with(model: &str, config: &str, constants: &Constants) -> Result<Arc<dyn DynModel>, BuildError> {
    let entry = find(model)?;
    (entry.build)(config, constants)
}
