//! Choosing what to explore: the model, its config (a switch replays the trace and compares), its
//! constants' fields, and the seed of random play.

use super::jobs::{Carried, JobKind};
use super::Explorer;
use crate::engine::{plural, ConstSpec, Constants, Divergence, ModelInfo};

/// A constant's input field: the text typed and, if it is not valid, why.
#[derive(Clone, Debug, PartialEq)]
pub struct ConstField {
    pub spec: ConstSpec,
    pub text: String,
    pub error: Option<String>,
}

/// What happened to the trace when the configuration was switched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    pub from: String,
    pub to: String,
    /// Steps in the trace before the switch (initial state included).
    pub steps_before: usize,
    pub divergence: Divergence,
}

impl Comparison {
    /// One or two sentences for the comparison bar.
    pub fn summary(&self) -> String {
        let d = &self.divergence;
        let mut parts = Vec::new();
        match &d.blocked {
            Some((pos, label)) => parts.push(format!(
                "Replayed under {}: the first {} carry over; step {pos}, {label}, is not enabled under {} (the trace stops there).",
                self.to,
                plural(pos - 1, "step", "steps"),
                self.to
            )),
            None if self.steps_before == 1 => parts.push(format!("The initial state is the same under {}.", self.to)),
            None => parts.push(format!("All {} replay under {}.", plural(self.steps_before - 1, "step", "steps"), self.to)),
        }
        match &d.verdicts_differ {
            Some((step, inv)) => parts.push(format!("From step {step} the verdicts differ: {inv} holds under one configuration and fails under the other.")),
            None => parts.push("Every invariant the two share gives the same verdict at every replayed step.".to_string()),
        }
        parts.join(" ")
    }
}

pub(super) fn fields_for(info: &ModelInfo, constants: &Constants) -> Vec<ConstField> {
    info.constants
        .iter()
        .map(|spec| ConstField { spec: spec.clone(), text: constants.get(spec.name).map(|v| v.to_string()).unwrap_or_default(), error: None })
        .collect()
}

impl Explorer {
    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn fields(&self) -> &[ConstField] {
        &self.fields
    }

    pub fn comparison(&self) -> Option<&Comparison> {
        self.comparison.as_ref()
    }

    pub fn dismiss_comparison(&mut self) {
        self.comparison = None;
    }

    /// Opens another model at its initial state (safe, default constants).
    pub fn select_model(&mut self, name: &str) -> Result<(), String> {
        if name == self.model.info().name {
            return Ok(());
        }
        let info = (self.catalogue.find(name).map_err(|e| e.to_string())?.info)();
        let config = info.configs.first().map_or("safe", |c| c.name);
        let model = self.catalogue.build(name, config, &[]).map_err(|e| e.to_string())?;
        let seed = self.seed;
        let (stop, skip) = (self.stop_at_violation, self.skip_stutter);
        *self = Self::with_model(self.catalogue.clone(), model);
        self.seed = seed;
        self.stop_at_violation = stop;
        self.skip_stutter = skip;
        Ok(())
    }

    /// Switches configuration, replaying the trace under the new one as far as its actions stay
    /// enabled, and records where the two diverge. Switching back to the configuration the trace
    /// came from restores any steps the switch dropped. A long trace is replayed as a job (see
    /// [`Explorer::work`]).
    pub fn select_config(&mut self, config: &str) -> Result<(), String> {
        self.job = None;
        let from = self.model.config().name.to_string();
        if config == from {
            return Ok(());
        }
        let model = self.catalogue.build_with(self.model.info().name, config, self.model.constants()).map_err(|e| e.to_string())?;
        let labels = self.session.trace().labels();
        let restore = self.carried.take().filter(|c| c.config == config && c.labels.len() > labels.len() && c.labels.starts_with(&labels));
        let carried = Carried { config: from.clone(), init: self.session.trace().init_index, labels, cursor: self.session.cursor() };
        self.start_job(model, JobKind::Config { from, to: config.to_string(), carried, restore });
        Ok(())
    }

    /// Edits a constant's field. A valid value rebuilds the model (the trace replays as far as it
    /// can); an invalid one leaves everything as it was and puts the reason beside the field.
    pub fn edit_constant(&mut self, name: &str, text: &str) {
        let Some(i) = self.fields.iter().position(|f| f.spec.name == name) else { return };
        self.fields[i].text = text.to_string();
        self.fields[i].error = None;
        let pairs: Vec<(String, String)> = self.fields.iter().map(|f| (f.spec.name.to_string(), f.text.clone())).collect();
        let constants = match Constants::build(&self.model.info().constants, &pairs) {
            Ok(c) => c,
            Err(e) => {
                if let Some(f) = self.fields.iter_mut().find(|f| f.spec.name == e.name) {
                    f.error = Some(e.message);
                }
                return;
            }
        };
        for f in &mut self.fields {
            f.error = None;
        }
        if &constants == self.model.constants() {
            return;
        }
        match self.catalogue.build_with(self.model.info().name, self.model.config().name, &constants) {
            Ok(model) => {
                self.job = None;
                self.start_job(model, JobKind::Constants);
            }
            Err(e) => self.fields[i].error = Some(e.to_string()),
        }
    }

    pub fn set_seed(&mut self, text: &str) -> Result<(), String> {
        let seed = text.trim().parse::<u64>().map_err(|_| format!("'{}' is not a seed: use a whole number from 0 to {}", text.trim(), u64::MAX))?;
        self.seed = seed;
        Ok(())
    }
}
