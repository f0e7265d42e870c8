//! The engine: models, stepping, random walks, the exhaustive checker and traces. No web
//! dependency; the CLI and the web UI are layers on top.

pub mod audit;
pub mod checker;
pub mod constants;
pub mod erased;
pub mod fingerprint;
pub mod foreign;
pub mod graph;
pub mod lasso;
pub mod liveness;
pub mod messages;
pub mod model;
pub mod replayer;
pub mod session;
pub mod simulate;
pub mod sorted;
pub mod symmetry;
pub mod text;
pub mod tla_text;
pub mod tlc_output;
pub mod trace;
pub mod value;
pub mod verdict;
pub mod walk;

pub use checker::{CheckOptions, Checker, Footprint, Outcome, Progress, StopReason, Violation, ViolationKind};
pub use constants::{ConstError, ConstKind, ConstSpec, Constants};
pub use erased::{typed, AnyState, CheckResult, Choice, Definition, DynChecker, DynModel, DynOutcome, Erased, Obligation};
pub use graph::{neighbourhood, reachable, GraphEdge, GraphNode, StateGraph};
pub use messages::{MessageEvent, MessageOp};
pub use model::{
    variable_order, ActionProperty, Checks, ConfigSpec, FairSpec, Fairness, FairnessKind, Invariant, LivenessProperty, Model, ModelDef, ModelInfo, Permutation,
    SymmetricSet, Temporal,
};
pub use replayer::{compare_configs, replay, Comparer, Divergence, Replayer, Steps};
pub use session::{Session, StepError};
pub use simulate::{FoundWalk, SimulateEnd, SimulateOptions, SimulateProgress, Simulator};
pub use text::{noun, plural};
pub use trace::{Lasso, ReplayStop, Trace, TraceFile, TraceStep};
pub use value::Value;
pub use verdict::LivenessReport;
pub use walk::{random_walk, random_walk_with, Walk, WalkEnd, WalkOptions, WalkViolation};
