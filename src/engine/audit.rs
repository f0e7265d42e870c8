//! The symmetry audit: does a declared symmetry really hold on the states the checker explores?
//! For each explored state `s` and each permutation `p` TLC would try, the successors of `p(s)` must
//! be exactly the images under `p` of the successors of `s`, every invariant and the state
//! constraint must give `p(s)` the verdict they give `s`, and the initial states must be closed
//! under `p`. When one fails, reducing by that symmetry can change the count (TLC reduces anyway,
//! without a word); the audit says which permutation and where.

use super::fingerprint::fingerprint;
use super::model::{Model, Permutation};
use super::symmetry::Symmetry;
use std::collections::HashSet;

/// `g1→g2, g2→g1` for the sets the permutation moves.
pub fn describe(sym: &Symmetry, p: &Permutation) -> String {
    let mut parts = Vec::new();
    for (k, set) in sym.sets.iter().enumerate() {
        let moved: Vec<String> = (0..set.size).filter(|&i| p.apply(k, i) != i).map(|i| format!("{}→{}", set.element(i), set.element(p.apply(k, i)))).collect();
        if !moved.is_empty() {
            parts.push(format!("{} ({})", set.name, moved.join(", ")));
        }
    }
    parts.join(" and ")
}

/// Checks that the initial states are closed under every permutation.
pub fn audit_init<M: Model>(model: &M, sym: &Symmetry) -> Option<String> {
    let inits = model.init_states();
    let known: HashSet<u64> = inits.iter().map(fingerprint).collect();
    for p in &sym.perms {
        for s in &inits {
            if !known.contains(&fingerprint(&model.permute(s, p))) {
                return Some(format!(
                    "permuting {} does not preserve Init: an initial state is mapped to a state that is not initial, so states are merged that behave differently",
                    describe(sym, p)
                ));
            }
        }
    }
    None
}

/// Checks one explored state against every permutation.
pub fn audit_state<M: Model>(model: &M, sym: &Symmetry, s: &M::State, actions: &mut Vec<M::Action>) -> Option<String> {
    let successors = |state: &M::State, actions: &mut Vec<M::Action>| -> Vec<(M::Action, M::State)> {
        actions.clear();
        model.actions(state, actions);
        actions.iter().filter_map(|a| model.next_state(state, a).map(|t| (a.clone(), t))).collect()
    };
    let mine = successors(s, actions);
    for p in &sym.perms {
        let ps = model.permute(s, p);
        let what = describe(sym, p);
        for inv in model.invariants() {
            if (inv.holds)(model, s) != (inv.holds)(model, &ps) {
                return Some(format!("permuting {what} changes the verdict of invariant {}: it is not symmetric", inv.name));
            }
        }
        if model.within_constraint(s) != model.within_constraint(&ps) {
            return Some(format!("permuting {what} changes whether a state satisfies the state constraint"));
        }
        let theirs: HashSet<u64> = successors(&ps, actions).iter().map(|(_, t)| fingerprint(t)).collect();
        for (a, t) in &mine {
            let image = model.permute(t, p);
            if !theirs.contains(&fingerprint(&image)) {
                return Some(format!(
                    "permuting {what} does not commute with {}: its successor, permuted, is not a successor of the permuted state",
                    model.action_label(a)
                ));
            }
            for prop in model.action_properties() {
                if s != t && (prop.holds)(model, s, t) != (prop.holds)(model, &ps, &image) {
                    return Some(format!("permuting {what} changes the verdict of action property {}", prop.name));
                }
            }
        }
        if theirs.len() != mine.iter().map(|(_, t)| fingerprint(t)).collect::<HashSet<u64>>().len() {
            return Some(format!("permuting {what} changes the number of distinct successors of a state"));
        }
    }
    None
}
