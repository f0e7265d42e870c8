//! Moving through the trace: taking actions, random steps, back and forward, undoing a fork,
//! starting over, and loading, restoring, exporting and importing traces.

use super::jobs::{Job, OpenKind, SYNC_REPLAY_STEPS};
use super::settings::fields_for;
use super::{Explorer, Notice};
use crate::catalogue::TraceHint;
use crate::engine::foreign::{read_any, TraceText};
use crate::engine::{plural, replay, DynModel, Lasso, Replayer, Session, Steps};
use std::sync::Arc;

/// The longest trace from another tool (TLC, ITF) the app opens: it is matched against the model
/// state by state, under each config, before anything shows, and the page waits for that.
pub const FOREIGN_STATES_IN_APP: usize = 2_000;

impl Explorer {
    pub fn can_restore_previous(&self) -> bool {
        self.previous.is_some()
    }

    pub fn take(&mut self, label: &str) -> Result<(), String> {
        self.session.take(label).map_err(|e| e.to_string())
    }

    /// Takes a random enabled action (drawn from the seed and the step's position). Returns its
    /// label and the first property that fails on this step, if any.
    pub fn random_step(&mut self) -> Option<(String, Option<String>)> {
        let label = self.session.random_step_with(self.seed, self.skip_stutter)?;
        let broken = self.verdicts().broken_at(self.session.cursor());
        Some((label, broken))
    }

    /// The loop of a liveness counterexample, when the trace is one (see [`Lasso`]).
    pub fn lasso(&self) -> Option<Lasso> {
        self.session.trace().lasso
    }

    /// Makes the loaded trace a lasso (a check's liveness counterexample).
    pub fn set_lasso(&mut self, lasso: Option<Lasso>) -> Result<(), String> {
        self.session.set_lasso(lasso)
    }

    pub fn back(&mut self) -> bool {
        self.session.back()
    }

    /// One step forward; at the end of a lasso, around its loop (back to where it starts).
    pub fn forward(&mut self) -> bool {
        if self.session.forward() {
            return true;
        }
        match self.lasso() {
            Some(Lasso::BackTo(i)) => {
                self.session.go_to(i);
                true
            }
            _ => false,
        }
    }

    pub fn go_to(&mut self, index: usize) {
        self.session.go_to(index);
    }

    pub fn undo_fork(&mut self) -> bool {
        self.session.undo_fork()
    }

    /// Back to what the page showed: `len` steps, the cursor at `cursor`. Steps random play
    /// appended after that were never shown and are dropped (a pause stops at the step the reader
    /// saw); a lasso's play only moved the cursor.
    pub fn back_to_shown(&mut self, len: usize, cursor: usize) {
        self.session.truncate(len);
        self.session.go_to(cursor);
    }

    /// Starts over from the initial state (the current trace can be brought back with
    /// [`Explorer::restore_previous`]).
    pub fn reset(&mut self) {
        let fresh = Session::at_init(self.model.clone(), self.session.trace().init_index);
        self.previous = Some((self.model.clone(), std::mem::replace(&mut self.session, fresh)));
    }

    /// Replaces the trace with one given by its labels (a counterexample from the checker),
    /// keeping the current one so that it can be restored.
    pub fn load_trace(&mut self, init: usize, labels: &[String], cursor: usize, why: &str) -> Result<(), String> {
        self.replace_trace(init, labels, cursor).map_err(|stop| format!("{why}: {stop}"))?;
        self.notices.push(Notice::info(format!("{why}: {} loaded. The previous trace can be restored.", plural(labels.len(), "step", "steps"))));
        Ok(())
    }

    /// [`Explorer::load_trace`] without its notice: for a lesson, whose own panel says where the
    /// reader is.
    pub fn replace_trace(&mut self, init: usize, labels: &[String], cursor: usize) -> Result<(), String> {
        let (trace, stop) = replay(self.model.as_ref(), init, labels);
        if let Some(stop) = stop {
            return Err(stop.to_string());
        }
        let session = Session::from_trace(self.model.clone(), trace, cursor);
        self.previous = Some((self.model.clone(), std::mem::replace(&mut self.session, session)));
        self.comparison = None;
        Ok(())
    }

    /// The explorer on `model`/`config` at default constants with the checker's shortest
    /// counterexample loaded and shown at its last step, and the property it breaks; `Err` when
    /// the check finds no violation (or the names are unknown).
    pub fn with_counterexample(model: &str, config: &str) -> Result<(Explorer, String), String> {
        Self::with_counterexample_in(std::sync::Arc::new(crate::catalogue::builtin().clone()), model, config)
    }

    /// [`Explorer::with_counterexample`] for a model of `catalogue`.
    pub fn with_counterexample_in(catalogue: std::sync::Arc<crate::catalogue::Catalogue>, model: &str, config: &str) -> Result<(Explorer, String), String> {
        let mut x = Explorer::for_model_in(catalogue, model).map_err(|e| e.to_string())?;
        x.select_config(config)?;
        let mut checker = x.model().checker(crate::engine::CheckOptions::default());
        while !checker.run(100_000) {}
        let Some(crate::engine::CheckResult { outcome: crate::engine::DynOutcome::Violation { name, trace, .. }, .. }) = checker.result() else {
            return Err(format!("{model}/{config}: the check finds no violation"));
        };
        let labels = trace.labels();
        x.load_trace(trace.init_index, &labels, labels.len(), "counterexample")?;
        x.set_lasso(trace.lasso)?;
        Ok((x, name))
    }

    /// Brings back the trace a load, import or reset replaced.
    pub fn restore_previous(&mut self) -> bool {
        let Some((model, session)) = self.previous.take() else { return false };
        self.fields = fields_for(model.info(), model.constants());
        self.model = model;
        self.session = session;
        true
    }

    /// The current trace as a trace file (JSON), as `pex replay` reads it.
    pub fn export_trace(&self) -> String {
        serde_json::to_string_pretty(&self.session.trace_file()).expect("serialisable") + "\n"
    }

    /// The current trace in the Informal Trace Format (Apalache, Quint; `pex replay` reads it too).
    pub fn export_itf(&self) -> String {
        let source = format!("{}.tla", self.model.info().tla_module);
        serde_json::to_string_pretty(&crate::engine::foreign::to_itf(self.model.as_ref(), self.session.trace(), &source)).expect("serialisable") + "\n"
    }

    /// Opens a trace file: its model, config and constants, and the trace. Bad input changes
    /// nothing and says what is wrong. Reads this project's trace files, TLC's error traces and
    /// ITF (see `engine::foreign`); another tool's trace is matched state by state at once, so
    /// it is bounded at [`FOREIGN_STATES_IN_APP`] states (`pex replay` opens longer ones).
    pub fn import_trace(&mut self, text: &str) -> Result<(), String> {
        let file = match read_any(text)? {
            TraceText::Pex(file) => file,
            TraceText::Foreign(t) => {
                if t.states.len() > FOREIGN_STATES_IN_APP {
                    return Err(format!(
                        "this {} has {} states; the app matches at most {FOREIGN_STATES_IN_APP} (pex replay opens it whole)",
                        t.format.name(),
                        t.states.len()
                    ));
                }
                let opened = self.catalogue.open_foreign(&t, &TraceHint::default())?;
                let also = if opened.also.is_empty() { String::new() } else { format!(" (also a behaviour of {})", opened.also.join(", ")) };
                self.notices.push(Notice::info(format!(
                    "Read a {}: every state matched {}/{}, step by step{also}.",
                    t.format.name(),
                    opened.file.model,
                    opened.file.config
                )));
                opened.file
            }
        };
        let model = self.catalogue.build(&file.model, &file.config, &file.constants).map_err(|e| format!("trace file: {e}"))?;
        self.job = None;
        let states = file.actions.len() + 1;
        let mut replayer = Replayer::new(model.as_ref(), file.init, Steps::Labels(file.actions));
        if states > SYNC_REPLAY_STEPS {
            // A long file is opened in slices; a failure is then told in a notice.
            self.job = Some(Job::Open { model, replayer, kind: OpenKind::Import(file.lasso) });
            return Ok(());
        }
        replayer.advance(model.as_ref(), usize::MAX);
        match replayer.finish() {
            (_, Some(stop)) => Err(format!("trace file does not replay: {stop}")),
            (trace, None) => {
                self.open_imported(model, trace, file.lasso);
                Ok(())
            }
        }
    }

    pub(super) fn end_import(&mut self, model: Arc<dyn DynModel>, trace: crate::engine::Trace, stop: Option<crate::engine::ReplayStop>, lasso: Option<Lasso>) {
        match stop {
            Some(stop) => self.notices.push(Notice::error(format!("Could not import: trace file does not replay: {stop}"))),
            None => self.open_imported(model, trace, lasso),
        }
    }

    fn open_imported(&mut self, model: Arc<dyn DynModel>, trace: crate::engine::Trace, lasso: Option<Lasso>) {
        let cursor = trace.len() - 1;
        let steps = trace.len() - 1;
        let mut session = Session::from_trace(model.clone(), trace, cursor);
        if let Err(e) = session.set_lasso(lasso) {
            self.notices.push(Notice::error(format!("The trace file's loop is not one of the model's ({e}); it is opened as a plain trace.")));
        }
        self.previous = Some((self.model.clone(), std::mem::replace(&mut self.session, session)));
        self.fields = fields_for(model.info(), model.constants());
        self.model = model;
        self.comparison = None;
        self.carried = None;
        self.notices.push(Notice::info(format!("Imported a trace of {}. The previous trace can be restored.", plural(steps, "step", "steps"))));
    }
}
