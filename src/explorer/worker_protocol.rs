//! The check worker's requests (`src/ui/worker.rs`): what the page sends, as serde_json text. Kept
//! here, web-free, so that the native fuzzer (`src/bin/fuzz.rs`) decodes exactly the type the worker
//! decodes and builds the models its requests name.

use crate::engine::SimulateOptions;
use serde::{Deserialize, Serialize};

/// What to check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRequest {
    pub model: String,
    pub config: String,
    pub constants: Vec<(String, String)>,
    pub symmetry: bool,
    pub deadlock: bool,
    pub max_states: Option<u64>,
    pub max_seconds: Option<f64>,
    /// The memory ceiling, in bytes of the worker's wasm memory.
    pub max_memory: Option<u64>,
}

impl CheckRequest {
    /// The checker's options for this request, as the web worker runs it: one thread (a worker
    /// is one), the symmetry audit on.
    pub fn options(&self) -> crate::engine::CheckOptions {
        crate::engine::CheckOptions {
            symmetry: self.symmetry,
            deadlock: self.deadlock,
            max_states: self.max_states,
            max_seconds: self.max_seconds,
            audit_symmetry: true,
            threads: 1,
            adapt_threads: true,
            max_memory: self.max_memory,
        }
    }
}

/// What to simulate (see `engine::simulate`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulateRequest {
    pub model: String,
    pub config: String,
    pub constants: Vec<(String, String)>,
    pub options: SimulateOptions,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ToWorker {
    Start { id: u64, request: CheckRequest },
    Simulate { id: u64, request: SimulateRequest },
    Cancel { id: u64 },
}
