//! The check worker: runs an exhaustive check in a web worker, in slices of about 50 ms, posting
//! progress after each slice. Between slices it returns to the worker's event loop (through a
//! zero-delay timer, not a microtask), which is what lets a Cancel message get in.

use crate::catalogue;
use crate::engine::{CheckOptions, DynChecker, DynOutcome, Footprint, Progress};
use gloo_worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};
use web_time::{Duration, Instant};

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
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ToWorker {
    Start(CheckRequest),
    Cancel,
}

/// How a check ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CheckEnd {
    Ok,
    /// A property failed; the shortest counterexample as an initial state and action labels.
    Violation { kind: String, name: String, init: usize, labels: Vec<String> },
    Incomplete { reason: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckDone {
    pub progress: Progress,
    pub footprint: Footprint,
    pub symmetry: bool,
    /// The symmetry audit's finding, shown as a warning beside the count.
    pub symmetry_problem: Option<String>,
    pub end: CheckEnd,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum FromWorker {
    Progress(Progress),
    Done(CheckDone),
    Failed(String),
}

pub enum Tick {
    Slice,
}

pub struct CheckWorker {
    run: Option<(Box<dyn DynChecker>, HandlerId)>,
}

const SLICE: Duration = Duration::from_millis(50);

fn done(checker: &dyn DynChecker) -> CheckDone {
    let r = checker.result().expect("finished");
    let end = match r.outcome {
        DynOutcome::Ok => CheckEnd::Ok,
        DynOutcome::Violation { kind, name, trace } => {
            CheckEnd::Violation { kind: kind.as_str().to_string(), name, init: trace.init_index, labels: trace.labels() }
        }
        DynOutcome::Incomplete(reason) => CheckEnd::Incomplete { reason: reason.as_str().to_string() },
    };
    CheckDone { progress: r.progress, footprint: r.footprint, symmetry: r.symmetry, symmetry_problem: r.symmetry_problem, end }
}

fn schedule(scope: &WorkerScope<CheckWorker>) {
    let scope = scope.clone();
    gloo::timers::callback::Timeout::new(0, move || scope.send_message(Tick::Slice)).forget();
}

impl Worker for CheckWorker {
    type Message = Tick;
    type Input = ToWorker;
    type Output = FromWorker;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        CheckWorker { run: None }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, Tick::Slice: Tick) {
        let Some((checker, id)) = self.run.as_mut() else { return };
        let id = *id;
        let started = Instant::now();
        let mut finished = false;
        while !finished && started.elapsed() < SLICE {
            finished = checker.run(1024);
        }
        if finished {
            let result = done(checker.as_ref());
            self.run = None;
            scope.respond(id, FromWorker::Done(result));
        } else {
            scope.respond(id, FromWorker::Progress(checker.progress()));
            schedule(scope);
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, msg: ToWorker, id: HandlerId) {
        match msg {
            ToWorker::Start(req) => {
                let model = match catalogue::build(&req.model, &req.config, &req.constants) {
                    Ok(m) => m,
                    Err(e) => {
                        scope.respond(id, FromWorker::Failed(e.to_string()));
                        return;
                    }
                };
                let options = CheckOptions { symmetry: req.symmetry, deadlock: req.deadlock, max_states: req.max_states, max_seconds: req.max_seconds, audit_symmetry: true, threads: 1 };
                self.run = Some((model.checker(options), id));
                schedule(scope);
            }
            ToWorker::Cancel => {
                if let Some((mut checker, id)) = self.run.take() {
                    checker.cancel();
                    scope.respond(id, FromWorker::Done(done(checker.as_ref())));
                }
            }
        }
    }
}
