//! Protocol Explorer: formal models of concurrent and distributed protocols as Rust state
//! machines, each the twin of a TLA+ spec checked by TLC.
//!
//! - [`engine`]: the model API, sessions, random walks, the exhaustive checker, traces.
//! - [`models`]: one file per protocol, each reading like its TLA+ twin in `tla/`.
//! - [`catalogue`]: every model by name, buildable without knowing its types.
//! - [`tlc`] (native only): running TLC, reading its output and cfg files, and the conformance
//!   and benchmark runs that compare the two.

pub mod catalogue;
#[cfg(not(target_arch = "wasm32"))]
pub mod docs;
pub mod engine;
pub mod explorer;
pub mod lessons;
pub mod models;
#[cfg(not(target_arch = "wasm32"))]
pub mod tlc;
#[cfg(feature = "web")]
pub mod ui;
