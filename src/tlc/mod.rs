//! TLC, the TLA+ model checker, as a reference: running it, reading its cfg files and output, and
//! the conformance and benchmark runs that put its figures beside ours. Native only.

pub mod bench;
pub mod cfg;
pub mod conform;
pub mod run;

pub use cfg::TlcCfg;
pub use run::{find_jar, parse_output, run_tlc, TlcOutcome, TlcResult};
