//! What a lasso (a liveness counterexample: a path, then a loop repeated for ever, or the last
//! state repeated for ever) shows about a temporal property, from the values of its predicates at
//! each state of the trace. Used to explain a counterexample on screen; the checker finds lassos,
//! this only reads them.

use super::model::Temporal;
use super::trace::Lasso;

/// How a lasso's behaviour breaks a temporal property. Indices are trace indices (0 = the initial
/// state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Breaks {
    /// `<>P`: P holds at no state of the behaviour.
    Never,
    /// `[]<>P`: P holds at no state of the loop, which repeats for ever.
    NotInfinitelyOften,
    /// `<>[]P`: P fails at this state of the loop, which comes back for ever.
    FailsInLoop(usize),
    /// `P ~> Q`: P holds at this state, and Q holds at no state from there on, loop included.
    LeadsNowhere(usize),
}

/// The first trace index of the loop (the last index for a stuttering end).
pub fn loop_start(lasso: Lasso, len: usize) -> usize {
    match lasso {
        Lasso::BackTo(i) => i.min(len - 1),
        Lasso::Stuttering => len - 1,
    }
}

/// Whether and how the behaviour `values` (P and Q at each trace state) ending in `lasso` breaks
/// a property of form `kind`; `None` when it satisfies it.
pub fn breaks(kind: Temporal, values: &[(bool, Option<bool>)], lasso: Lasso) -> Option<Breaks> {
    if values.is_empty() {
        return None;
    }
    let first = loop_start(lasso, values.len());
    let p = |i: usize| values[i].0;
    let q = |i: usize| values[i].1.unwrap_or(false);
    match kind {
        Temporal::Eventually => (0..values.len()).all(|i| !p(i)).then_some(Breaks::Never),
        Temporal::AlwaysEventually => (first..values.len()).all(|i| !p(i)).then_some(Breaks::NotInfinitelyOften),
        Temporal::EventuallyAlways => (first..values.len()).find(|&i| !p(i)).map(Breaks::FailsInLoop),
        Temporal::LeadsTo => {
            // Q never holds in the loop, and P ∧ ¬Q at some j after the last Q before the loop (or
            // in the loop itself): from j on, Q never holds.
            if (first..values.len()).any(q) {
                return None;
            }
            let last_q = (0..first).rev().find(|&i| q(i));
            let from = last_q.map_or(0, |i| i + 1);
            (from..values.len()).find(|&i| p(i)).map(Breaks::LeadsNowhere)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(ps: &[u8]) -> Vec<(bool, Option<bool>)> {
        // 0: neither, 1: P, 2: Q, 3: both
        ps.iter().map(|&x| (x & 1 == 1, Some(x & 2 == 2))).collect()
    }

    #[test]
    fn each_form_on_small_lassos() {
        let loop1 = Lasso::BackTo(1);
        assert_eq!(breaks(Temporal::Eventually, &v(&[0, 0, 0]), loop1), Some(Breaks::Never));
        assert_eq!(breaks(Temporal::Eventually, &v(&[1, 0, 0]), loop1), None);
        assert_eq!(breaks(Temporal::AlwaysEventually, &v(&[1, 0, 0]), loop1), Some(Breaks::NotInfinitelyOften));
        assert_eq!(breaks(Temporal::AlwaysEventually, &v(&[0, 0, 1]), loop1), None);
        assert_eq!(breaks(Temporal::EventuallyAlways, &v(&[0, 1, 0]), loop1), Some(Breaks::FailsInLoop(2)));
        assert_eq!(breaks(Temporal::EventuallyAlways, &v(&[0, 1, 1]), loop1), None);
        assert_eq!(breaks(Temporal::EventuallyAlways, &v(&[0, 1, 1]), Lasso::Stuttering), None);
        // P at 1, Q only before it: broken from 1 on.
        assert_eq!(breaks(Temporal::LeadsTo, &v(&[2, 1, 0, 0]), Lasso::BackTo(2)), Some(Breaks::LeadsNowhere(1)));
        // Q in the loop answers every P.
        assert_eq!(breaks(Temporal::LeadsTo, &v(&[1, 0, 2, 0]), Lasso::BackTo(2)), None);
        // P ∧ Q at the same state is answered at once.
        assert_eq!(breaks(Temporal::LeadsTo, &v(&[3, 0, 0]), Lasso::Stuttering), None);
    }
}
