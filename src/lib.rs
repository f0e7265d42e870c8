//! Protocol Explorer: formal models of concurrent and distributed protocols as Rust state
//! machines, each the twin of a TLA+ spec checked by TLC.
//!
//! - [`engine`]: the model API, sessions, random walks, the exhaustive checker, traces.
//! - [`models`]: one file per protocol, each reading like its TLA+ twin in `tla/`.
//! - [`catalogue`]: a catalogue of models by name, buildable without knowing their types; the
//!   app, the check worker and the CLI are each given one ([`catalogue::Catalogue::builtin`] for
//!   this repository's own; a crate of its own lists its models, with or without these).
//! - [`cli`] (native, feature `cli`): the `pex` command line over a catalogue.
//! - [`scaffold`] (native, feature `cli`): `pex new`, a crate with a model of its own.
//! - [`tlc`] (native only): running TLC, reading its output and cfg files, and the conformance
//!   and benchmark runs that compare the two.

pub mod catalogue;
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod docs;
pub mod engine;
pub mod explorer;
pub mod lessons;
pub mod models;
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub mod scaffold;
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub mod serve;
#[cfg(not(target_arch = "wasm32"))]
pub mod tlc;
#[cfg(feature = "web")]
pub mod ui;
