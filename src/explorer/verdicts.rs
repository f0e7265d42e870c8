//! Per-step verdicts: the invariants panel, the timeline and the first violation, from caches keyed
//! on the session's revision (appends reuse them).

use super::Explorer;

/// One row of the invariants panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyRow {
    pub name: String,
    /// An action property (checked on steps) rather than an invariant (checked on states).
    pub action: bool,
    /// The verdict at the current step (`None` for an action property at the initial state).
    pub holds_now: Option<bool>,
    /// The first step of the trace where it fails.
    pub first_broken: Option<usize>,
    /// Why it cannot fail in this model, when it holds by construction (the model's types or
    /// every action's own guard make a violation unrepresentable): a green lamp that means nothing.
    pub by_construction: Option<&'static str>,
}

/// One entry of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineEntry {
    pub index: usize,
    /// The action that led here (`Init` for the initial state).
    pub label: String,
    /// Some property fails at this step.
    pub bad: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct StepVerdict {
    invariants: Vec<bool>,
    properties: Vec<bool>,
}

#[derive(Default)]
pub(super) struct Scan {
    /// Steps scanned.
    upto: usize,
    first_broken: Vec<Option<usize>>,
    /// The first step where anything fails, and what.
    first_any: Option<(usize, String)>,
}

impl Explorer {
    /// Drops per-step facts computed for another trace (one that was cut or replaced since).
    pub(super) fn sync_caches(&self) {
        let revision = self.session.revision();
        if self.cached_for.get() != revision {
            self.cached_for.set(revision);
            self.verdicts.borrow_mut().clear();
            *self.positions.borrow_mut() = super::links::Positions::default();
            *self.scan.borrow_mut() = Scan::default();
            self.causes_cache.borrow_mut().clear();
        }
    }
}

/// What the properties say about the trace, read from an explorer ([`Explorer::verdicts`]): each
/// property's verdict now and where it first fails, the timeline's marks, why a property fails
/// (`causes.rs`), the temporal properties and a lasso's loop (`liveness.rs`), the definitions
/// (`definitions.rs`). Cached per step in the explorer (see `sync_caches`).
#[derive(Clone, Copy)]
pub struct Verdicts<'a> {
    pub(super) x: &'a Explorer,
}

impl Verdicts<'_> {
    fn verdict(&self, index: usize) -> StepVerdict {
        self.x.sync_caches();
        if let Some(Some(v)) = self.x.verdicts.borrow().get(index) {
            return v.clone();
        }
        let steps = &self.x.session.trace().steps;
        let state = &steps[index].state;
        let invariants = self.x.model.check_invariants(state);
        let properties = if index > 0 { self.x.model.check_properties(&steps[index - 1].state, state) } else { Vec::new() };
        let v = StepVerdict { invariants, properties };
        let mut cache = self.x.verdicts.borrow_mut();
        if cache.len() <= index {
            cache.resize(index + 1, None);
        }
        cache[index] = Some(v.clone());
        v
    }

    /// The first property failing at step `index`, if any.
    pub fn broken_at(&self, index: usize) -> Option<String> {
        let v = self.verdict(index);
        if let Some(i) = v.invariants.iter().position(|ok| !ok) {
            return Some(self.x.model.invariant_names()[i].to_string());
        }
        v.properties.iter().position(|ok| !ok).map(|i| self.x.model.property_names()[i].to_string())
    }

    /// Brings the scan of first failures up to the end of the trace.
    fn scanned(&self) -> std::cell::Ref<'_, Scan> {
        self.x.sync_caches();
        {
            let steps = &self.x.session.trace().steps;
            let names = self.x.model.invariant_names().len() + self.x.model.property_names().len();
            let mut scan = self.x.scan.borrow_mut();
            if scan.first_broken.len() != names {
                *scan = Scan { first_broken: vec![None; names], ..Scan::default() };
            }
            let invariants = self.x.model.invariant_names().len();
            for step in scan.upto..steps.len() {
                let v = self.verdict(step);
                for (i, ok) in v.invariants.iter().chain(v.properties.iter()).enumerate() {
                    if !ok && scan.first_broken[i].is_none() {
                        scan.first_broken[i] = Some(step);
                    }
                }
                if scan.first_any.is_none() {
                    if let Some(i) = v.invariants.iter().chain(v.properties.iter()).position(|ok| !ok) {
                        let name = if i < invariants { self.x.model.invariant_names()[i] } else { self.x.model.property_names()[i - invariants] };
                        scan.first_any = Some((step, name.to_string()));
                    }
                }
            }
            scan.upto = steps.len();
        }
        self.x.scan.borrow()
    }

    /// Every invariant and action property with its verdict now and the step where it first fails.
    pub fn property_rows(&self) -> Vec<PropertyRow> {
        let now = self.verdict(self.x.session.cursor());
        let scan = self.scanned();
        let mut rows: Vec<PropertyRow> = self
            .x
            .model
            .invariant_names()
            .iter()
            .enumerate()
            .map(|(i, name)| PropertyRow {
                name: name.to_string(),
                action: false,
                holds_now: Some(now.invariants[i]),
                first_broken: scan.first_broken[i],
                by_construction: self.x.model.by_construction().iter().find(|(n, _)| n == name).map(|(_, why)| *why),
            })
            .collect();
        let invariants = rows.len();
        rows.extend(self.x.model.property_names().iter().enumerate().map(|(i, name)| PropertyRow {
            name: name.to_string(),
            action: true,
            holds_now: now.properties.get(i).copied(),
            first_broken: scan.first_broken[invariants + i],
            by_construction: None,
        }));
        rows
    }

    /// The first step where anything fails, and what.
    pub fn first_violation(&self) -> Option<(usize, String)> {
        self.scanned().first_any.clone()
    }

    /// Timeline entries for steps `range` (clamped to the trace).
    pub fn timeline(&self, range: std::ops::Range<usize>) -> Vec<TimelineEntry> {
        let n = self.x.session.len();
        let steps = &self.x.session.trace().steps;
        (range.start.min(n)..range.end.min(n))
            .map(|i| TimelineEntry { index: i, label: steps[i].action.clone().unwrap_or_else(|| "Init".to_string()), bad: self.broken_at(i).is_some() })
            .collect()
    }
}
