//! Definitions on screen: each property's TLA+ text (from the twin) and its meaning in words, and
//! each action's one-line meaning. The same for every state of a model, so they are computed once
//! per model the explorer shows (extracting them from the twin's text is not free).

use super::{Explorer, Inspector, Verdicts};
use crate::engine::Definition;
use std::sync::Arc;

/// The definitions of one model, keyed by the model they were made for.
#[derive(Default)]
pub(super) struct DefinitionCache {
    model: usize,
    properties: Vec<(String, Definition)>,
    actions: Vec<(&'static str, &'static str)>,
}

impl Explorer {
    fn with_definitions<R>(&self, f: impl FnOnce(&DefinitionCache) -> R) -> R {
        let key = Arc::as_ptr(&self.model) as *const () as usize;
        let mut cache = self.definitions.borrow_mut();
        if cache.model != key {
            let m = &self.model;
            let names = m.invariant_names().into_iter().chain(m.property_names()).chain(m.liveness_names());
            *cache = DefinitionCache {
                model: key,
                properties: names.filter_map(|n| m.definition(n).map(|d| (n.to_string(), d))).collect(),
                actions: m.action_names().into_iter().filter_map(|a| m.action_meaning(a).map(|w| (a, w))).collect(),
            };
        }
        f(&cache)
    }
}

impl Verdicts<'_> {
    /// Every property's definition (invariants, action properties, temporal properties).
    pub fn definitions(&self) -> Vec<(String, Definition)> {
        self.x.with_definitions(|c| c.properties.clone())
    }
}

impl Inspector<'_> {
    /// Every action family with its one-line meaning, in `Next`'s order.
    pub fn action_meanings(&self) -> Vec<(&'static str, &'static str)> {
        self.x.with_definitions(|c| c.actions.clone())
    }
}
