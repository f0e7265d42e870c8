//! Symmetry reduction the way TLC does it: of a state and its permutations, keep the one that is
//! smallest in TLC's value order, and fingerprint that. The state that is explored is the one that
//! was generated, not the representative, exactly as in TLC, so even an unsound symmetry gives
//! TLC's count.

use super::model::{Model, Permutation, SymmetricSet};
use super::value::Value;
use std::cmp::Ordering;

/// Every permutation of `0..n`, in lexicographic order (the identity first).
pub fn permutations_of(n: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut current: Vec<u8> = (0..n as u8).collect();
    loop {
        out.push(current.clone());
        // Next lexicographic permutation.
        let Some(i) = (1..n).rev().find(|&i| current[i - 1] < current[i]) else { break };
        let j = (i..n).rev().find(|&j| current[j] > current[i - 1]).expect("exists");
        current.swap(i - 1, j);
        current[i..].reverse();
    }
    out
}

/// The non-identity permutations TLC tries for these sets: the group their permutations
/// generate, i.e. every combination of one permutation per set. (TLC closes the declared set of
/// permutations under composition before using it.)
pub fn symmetry_permutations(sets: &[SymmetricSet]) -> Vec<Permutation> {
    let identity = Permutation::identity(sets);
    let mut perms: Vec<Permutation> = vec![identity];
    for (k, set) in sets.iter().enumerate() {
        let mut next = Vec::new();
        for base in &perms {
            for p in permutations_of(set.size) {
                let mut perm = base.clone();
                perm.maps[k] = p;
                next.push(perm);
            }
        }
        perms = next;
    }
    perms.retain(|p| !p.is_identity());
    perms
}

/// A model's symmetry, ready to canonicalise states.
#[derive(Clone)]
pub struct Symmetry {
    pub sets: Vec<SymmetricSet>,
    pub perms: Vec<Permutation>,
    order: Vec<usize>,
}

impl Symmetry {
    /// `None` when the model declares no symmetric set (or only trivial ones).
    pub fn of<M: Model>(model: &M) -> Option<Symmetry> {
        let sets = model.symmetric_sets();
        let perms = symmetry_permutations(&sets);
        if perms.is_empty() {
            return None;
        }
        Some(Symmetry { sets, perms, order: model.tlc_variable_order() })
    }

    fn compare(&self, a: &[Value], b: &[Value]) -> Ordering {
        for &i in &self.order {
            let c = a[i].tlc_cmp(&b[i]);
            if c != Ordering::Equal {
                return c;
            }
        }
        Ordering::Equal
    }

    /// The representative of `state`'s class: the smallest of it and its permutations.
    pub fn representative<M: Model>(&self, model: &M, state: &M::State) -> Option<M::State> {
        let mut best_vals = model.to_tla(state);
        let mut best: Option<M::State> = None;
        for perm in &self.perms {
            let candidate = model.permute(state, perm);
            let vals = model.to_tla(&candidate);
            if self.compare(&vals, &best_vals) == Ordering::Less {
                best_vals = vals;
                best = Some(candidate);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutations_are_complete_and_ordered() {
        assert_eq!(permutations_of(3).len(), 6);
        assert_eq!(permutations_of(3)[0], vec![0, 1, 2]);
        assert_eq!(permutations_of(3)[5], vec![2, 1, 0]);
        assert_eq!(permutations_of(1), vec![vec![0]]);
    }

    #[test]
    fn the_group_of_several_sets_combines_their_permutations() {
        let sets = vec![SymmetricSet { name: "A", size: 2, elements: vec![] }, SymmetricSet { name: "B", size: 2, elements: vec![] }];
        // swap A, swap B, swap both.
        assert_eq!(symmetry_permutations(&sets).len(), 3);
        let one = vec![SymmetricSet { name: "A", size: 3, elements: vec![] }];
        assert_eq!(symmetry_permutations(&one).len(), 5);
        let single = vec![SymmetricSet { name: "A", size: 1, elements: vec![] }];
        assert!(symmetry_permutations(&single).is_empty(), "one element: no symmetry to use");
    }
}
