//! Every model, by name: list them, read their constants and configs, build any of them.

use crate::engine::{ConstError, Constants, DynModel, Erased, ModelDef, ModelInfo};
use crate::models;
use std::fmt;
use std::sync::Arc;

/// One model of the catalogue.
pub struct Entry {
    pub info: fn() -> ModelInfo,
    build: fn(&str, &Constants) -> Result<Arc<dyn DynModel>, BuildError>,
}

fn entry<M: ModelDef>() -> Entry {
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
    let known: Vec<String> = all.iter().map(|e| (e.info)().name.to_string()).collect();
    all.into_iter().find(|e| (e.info)().name == name).ok_or(BuildError::UnknownModel { model: name.to_string(), known })
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
