//! The checker on tiny hand-made models with known figures.
//!
//! The `Counter` cases are the specs TLC 2.15 was run on to learn its rules (see the docs of
//! `engine::checker`); each expected figure is what TLC printed for the same spec.

use pex::engine::{ActionProperty, CheckOptions, Checker, Checks, Invariant, Model, Outcome, Permutation, StopReason, SymmetricSet, Value, ViolationKind};
use std::sync::Arc;

/// `VARIABLE x`, Init: x \in inits; Next: one disjunct per entry of `steps` (x' = x + d), plus an
/// optional jump `x = from /\ x' = to`.
struct Counter {
    inits: Vec<i64>,
    steps: Vec<i64>,
    jump: Option<(i64, i64)>,
    guard_below: Option<i64>,
    constraint: Option<i64>,
    checks: Checks<Counter>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Step {
    Add(i64),
    Jump,
}

impl Model for Counter {
    type State = i64;
    type Action = Step;
    fn init_states(&self) -> Vec<i64> {
        self.inits.clone()
    }
    fn actions(&self, x: &i64, out: &mut Vec<Step>) {
        if self.guard_below.map(|g| *x < g).unwrap_or(true) {
            out.extend(self.steps.iter().map(|d| Step::Add(*d)));
        }
        if matches!(self.jump, Some((from, _)) if from == *x) {
            out.push(Step::Jump);
        }
    }
    fn next_state(&self, x: &i64, a: &Step) -> Option<i64> {
        Some(match a {
            Step::Add(d) => x + d,
            Step::Jump => self.jump.unwrap().1,
        })
    }
    fn action_name(&self, a: &Step) -> &'static str {
        match a {
            Step::Add(_) => "Add",
            Step::Jump => "Jump",
        }
    }
    fn action_label(&self, a: &Step) -> String {
        format!("{a:?}")
    }
    fn action_names(&self) -> Vec<&'static str> {
        vec!["Add", "Jump"]
    }
    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }
    fn within_constraint(&self, x: &i64) -> bool {
        self.constraint.map(|c| *x <= c).unwrap_or(true)
    }
    fn variables(&self) -> &'static [&'static str] {
        &["x"]
    }
    fn to_tla(&self, x: &i64) -> Vec<Value> {
        vec![Value::Int(*x)]
    }
}

fn counter() -> Counter {
    Counter { inits: vec![0], steps: vec![1, 2], jump: None, guard_below: None, constraint: Some(3), checks: Checks::new() }
}

fn inv(name: &'static str, holds: fn(&Counter, &i64) -> bool) -> Invariant<Counter> {
    Invariant { name, holds }
}

fn prop(name: &'static str, holds: fn(&Counter, &i64, &i64) -> bool) -> ActionProperty<Counter> {
    ActionProperty { name, holds }
}

struct Figures {
    generated: u64,
    distinct: u64,
    depth: u32,
    verdict: Option<(ViolationKind, &'static str, Vec<i64>)>,
}

fn check(model: Counter, deadlock: bool) -> Figures {
    let mut c = Checker::new(Arc::new(model), CheckOptions { deadlock, ..CheckOptions::default() });
    let verdict = match c.run_to_end() {
        Outcome::Ok => None,
        Outcome::Violation(v) => Some((v.kind, v.name, v.trace.iter().map(|(_, s)| *s).collect())),
        Outcome::Incomplete(r) => panic!("incomplete: {r:?}"),
    };
    let p = c.progress();
    Figures { generated: p.generated, distinct: p.distinct, depth: p.depth, verdict }
}

#[test]
fn t1_states_outside_the_constraint_are_checked_but_not_kept() {
    let mut m = counter();
    m.checks.invariants = vec![inv("Inv", |_, x| *x != 5)];
    let f = check(m, false);
    // TLC: Invariant Inv violated; x = 0, 1, 3, 5; 9 generated, 4 distinct, depth 3.
    assert_eq!(f.verdict, Some((ViolationKind::Invariant, "Inv", vec![0, 1, 3, 5])));
    assert_eq!((f.generated, f.distinct, f.depth), (9, 4, 3));
}

#[test]
fn t1_safe_counts() {
    let mut m = counter();
    m.checks.invariants = vec![inv("Inv", |_, x| *x != 50)];
    let f = check(m, false);
    assert_eq!(f.verdict, None);
    assert_eq!((f.generated, f.distinct, f.depth), (9, 4, 3));
}

#[test]
fn t2_action_properties_are_checked_on_steps_to_seen_states() {
    let mut m = counter();
    m.jump = Some((3, 1));
    m.checks.action_properties = vec![prop("Prop", |_, a, b| b > a)];
    let f = check(m, false);
    assert_eq!(f.verdict, Some((ViolationKind::ActionProperty, "Prop", vec![0, 1, 3, 1])));
    assert_eq!((f.generated, f.distinct, f.depth), (10, 4, 3));
}

#[test]
fn t3_the_violating_state_is_counted() {
    let mut m = counter();
    m.checks.invariants = vec![inv("Inv", |_, x| *x != 3)];
    let f = check(m, false);
    assert_eq!(f.verdict, Some((ViolationKind::Invariant, "Inv", vec![0, 1, 3])));
    assert_eq!((f.generated, f.distinct, f.depth), (5, 4, 3));
}

#[test]
fn t4_initial_states_outside_the_constraint_are_dropped() {
    let mut m = counter();
    m.inits = vec![0, 7];
    let f = check(m, false);
    assert_eq!(f.verdict, None);
    assert_eq!((f.generated, f.distinct, f.depth), (10, 4, 3));
}

#[test]
fn t5_an_initial_state_can_violate() {
    let mut m = counter();
    m.inits = vec![0, 7];
    m.checks.invariants = vec![inv("Inv", |_, x| *x != 7)];
    let f = check(m, false);
    assert_eq!(f.verdict, Some((ViolationKind::Invariant, "Inv", vec![7])));
}

#[test]
fn t6_action_properties_see_steps_leaving_the_constraint() {
    let mut m = counter();
    m.checks.action_properties = vec![prop("Prop", |_, _, b| *b < 5)];
    let f = check(m, false);
    assert_eq!(f.verdict, Some((ViolationKind::ActionProperty, "Prop", vec![0, 1, 3, 5])));
    assert_eq!((f.generated, f.distinct, f.depth), (9, 4, 3));
}

#[test]
fn t7_invariants_come_before_action_properties() {
    let mut m = counter();
    m.checks.invariants = vec![inv("Inv", |_, x| *x != 2)];
    m.checks.action_properties = vec![prop("Prop", |_, _, b| *b < 2)];
    let f = check(m, false);
    assert_eq!(f.verdict, Some((ViolationKind::Invariant, "Inv", vec![0, 2])));
    assert_eq!((f.generated, f.distinct, f.depth), (3, 3, 2));
}

#[test]
fn t8_the_search_stops_at_the_first_bad_successor() {
    let mut m = counter();
    m.steps = vec![2, 1, 3];
    m.checks.invariants = vec![inv("Inv", |_, x| *x != 2)];
    let f = check(m, false);
    assert_eq!(f.verdict, Some((ViolationKind::Invariant, "Inv", vec![0, 2])));
    assert_eq!((f.generated, f.distinct, f.depth), (2, 2, 2));
}

#[test]
fn t9_deadlock() {
    let mut m = counter();
    m.steps = vec![1];
    m.guard_below = Some(3);
    let f = check(m, true);
    assert_eq!(f.verdict, Some((ViolationKind::Deadlock, "Deadlock", vec![0, 1, 2, 3])));
    assert_eq!((f.generated, f.distinct, f.depth), (4, 4, 4));
    // Off by default.
    let mut m = counter();
    m.steps = vec![1];
    m.guard_below = Some(3);
    assert_eq!(check(m, false).verdict, None);
}

#[test]
fn t10_states_outside_the_constraint_are_not_deadlocks() {
    let mut m = counter();
    m.steps = vec![1];
    let f = check(m, true);
    assert_eq!(f.verdict, None);
    assert_eq!((f.generated, f.distinct, f.depth), (5, 4, 4));
}

#[test]
fn first_failing_invariant_in_config_order_is_reported() {
    let mut m = counter();
    m.checks.invariants = vec![inv("Small", |_, x| *x < 2), inv("NotTwo", |_, x| *x != 2)];
    let f = check(m, false);
    // x = 2 breaks both; Small is listed first. (x = 1 is found first, then x = 2.)
    assert_eq!(f.verdict.unwrap().1, "Small");
    let mut m = counter();
    m.checks.invariants = vec![inv("NotTwo", |_, x| *x != 2), inv("Small", |_, x| *x < 2)];
    assert_eq!(check(m, false).verdict.unwrap().1, "NotTwo");
}

#[test]
fn counterexamples_are_shortest() {
    // From 0 by +1 or +7; x = 14 is reachable in 2 steps (7, 14) and in 14 steps of +1.
    let mut m = counter();
    m.steps = vec![1, 7];
    m.constraint = Some(20);
    m.checks.invariants = vec![inv("Not14", |_, x| *x != 14)];
    let f = check(m, false);
    assert_eq!(f.verdict.unwrap().2, vec![0, 7, 14]);
}

#[test]
fn slices_give_the_same_result_as_one_run() {
    let mk = || {
        let mut m = counter();
        m.steps = vec![1, 3, 5];
        m.constraint = Some(200);
        m.checks.invariants = vec![inv("Inv", |_, x| *x != 150)];
        m
    };
    let mut whole = Checker::new(Arc::new(mk()), CheckOptions::default());
    whole.run_to_end();
    let mut sliced = Checker::new(Arc::new(mk()), CheckOptions::default());
    let mut slices = 0;
    while !sliced.run(1) {
        slices += 1;
    }
    assert!(slices > 10);
    let (a, b) = (whole.progress(), sliced.progress());
    assert_eq!((a.distinct, a.generated, a.depth, a.levels), (b.distinct, b.generated, b.depth, b.levels));
}

#[test]
fn bounds_and_cancel_end_cleanly_with_partial_figures() {
    let mut m = counter();
    m.steps = vec![1];
    m.constraint = Some(1_000_000);
    let mut c = Checker::new(Arc::new(m), CheckOptions { max_states: Some(100), ..CheckOptions::default() });
    assert!(matches!(c.run_to_end(), Outcome::Incomplete(StopReason::MaxStates)));
    let p = c.progress();
    assert!(p.distinct >= 100 && p.distinct < 1000, "{p:?}");

    let mut m = counter();
    m.steps = vec![1];
    m.constraint = Some(1_000_000);
    let mut c = Checker::new(Arc::new(m), CheckOptions::default());
    assert!(!c.run(10));
    c.cancel();
    assert!(matches!(c.outcome(), Some(Outcome::Incomplete(StopReason::Cancelled))));
    assert_eq!(c.progress().distinct, 11);
    assert!(c.run(10), "a cancelled run stays ended");

    let mut m = counter();
    m.steps = vec![1];
    m.constraint = Some(i64::MAX);
    let mut c = Checker::new(Arc::new(m), CheckOptions { max_seconds: Some(0.05), ..CheckOptions::default() });
    assert!(matches!(c.run_to_end(), Outcome::Incomplete(StopReason::MaxSeconds)));
}

#[test]
fn levels_count_new_states_per_depth() {
    let mut m = counter();
    m.constraint = Some(6);
    let mut c = Checker::new(Arc::new(m), CheckOptions::default());
    c.run_to_end();
    // 0 | 1 2 | 3 4 | 5 6
    assert_eq!(c.progress().levels, vec![1, 2, 2, 2]);
}

// ---- Symmetry ----

/// Two groups of processes, A and B, each process with a bit; Flip(set, i) toggles one bit.
/// `pinned` makes Init set process A0's bit, which breaks A's symmetry.
struct Bits {
    a: usize,
    b: usize,
    pinned: bool,
    checks: Checks<Bits>,
}

impl Model for Bits {
    type State = (Vec<bool>, Vec<bool>);
    type Action = (usize, usize);
    fn init_states(&self) -> Vec<Self::State> {
        let mut a = vec![false; self.a];
        if self.pinned {
            a[0] = true;
        }
        vec![(a, vec![false; self.b])]
    }
    fn actions(&self, _: &Self::State, out: &mut Vec<(usize, usize)>) {
        out.extend((0..self.a).map(|i| (0, i)));
        out.extend((0..self.b).map(|i| (1, i)));
    }
    fn next_state(&self, s: &Self::State, &(set, i): &(usize, usize)) -> Option<Self::State> {
        let mut t = s.clone();
        if set == 0 {
            // In the pinned variant process A0 can only ever turn its bit off.
            if self.pinned && i == 0 && !s.0[0] {
                return None;
            }
            t.0[i] = !t.0[i];
        } else {
            t.1[i] = !t.1[i];
        }
        Some(t)
    }
    fn action_name(&self, _: &(usize, usize)) -> &'static str {
        "Flip"
    }
    fn action_label(&self, a: &(usize, usize)) -> String {
        format!("Flip({}, {})", if a.0 == 0 { "A" } else { "B" }, a.1)
    }
    fn action_names(&self) -> Vec<&'static str> {
        vec!["Flip"]
    }
    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }
    fn symmetric_sets(&self) -> Vec<SymmetricSet> {
        vec![SymmetricSet::new("A", (0..self.a).map(|i| format!("a{i}")).collect()), SymmetricSet::new("B", (0..self.b).map(|i| format!("b{i}")).collect())]
    }
    fn permute(&self, s: &Self::State, p: &Permutation) -> Self::State {
        let mut a = vec![false; self.a];
        let mut b = vec![false; self.b];
        for i in 0..self.a {
            a[p.apply(0, i)] = s.0[i];
        }
        for i in 0..self.b {
            b[p.apply(1, i)] = s.1[i];
        }
        (a, b)
    }
    fn variables(&self) -> &'static [&'static str] {
        &["a", "b"]
    }
    fn to_tla(&self, s: &Self::State) -> Vec<Value> {
        let f = |v: &Vec<bool>, prefix: &str, first: usize| {
            Value::func(v.iter().enumerate().map(|(i, b)| (Value::model(first + i, &format!("{prefix}{i}")), Value::Bool(*b))))
        };
        vec![f(&s.0, "a", 0), f(&s.1, "b", self.a)]
    }
}

fn bits(a: usize, b: usize) -> Bits {
    Bits { a, b, pinned: false, checks: Checks::new() }
}

fn distinct(model: Bits, symmetry: bool) -> u64 {
    let mut c = Checker::new(Arc::new(model), CheckOptions { symmetry, ..CheckOptions::default() });
    assert!(matches!(c.run_to_end(), Outcome::Ok));
    c.progress().distinct
}

#[test]
fn symmetry_counts_orbits() {
    // Without symmetry: 2^(a+b) states. With symmetry: (a+1)(b+1) orbits (how many bits are set
    // in each group). Two sets reduce by the group they generate, as TLC does with
    // `Permutations(A) \cup Permutations(B)` (it closes the set under composition).
    assert_eq!(distinct(bits(3, 2), false), 32);
    assert_eq!(distinct(bits(3, 2), true), 12);
    assert_eq!(distinct(bits(2, 2), true), 9);
    assert_eq!(distinct(bits(4, 0), true), 5);
}

#[test]
fn unsound_symmetry_still_gives_valid_traces() {
    // A0's bit is pinned by Init and A0 behaves differently: permuting A is not a symmetry. The
    // trace must still replay through real steps of the model.
    let mut m = bits(3, 1);
    m.pinned = true;
    m.checks.invariants = vec![Invariant { name: "NotAllA", holds: |_, s| !(s.0.iter().all(|b| *b)) }];
    let model = Arc::new(m);
    let mut c = Checker::new(model.clone(), CheckOptions::default());
    let Outcome::Violation(v) = c.run_to_end() else { panic!("expected a violation") };
    assert_eq!(v.name, "NotAllA");
    for w in v.trace.windows(2) {
        let (from, (action, to)) = (&w[0].1, &w[1]);
        assert_eq!(model.next_state(from, action.as_ref().unwrap()).as_ref(), Some(to));
    }
}

#[test]
fn the_audit_catches_an_unsound_symmetry_and_passes_a_sound_one() {
    let mut c = Checker::new(Arc::new(bits(3, 2)), CheckOptions::default());
    c.run_to_end();
    assert_eq!(c.symmetry_problem(), None);
    let mut m = bits(3, 1);
    m.pinned = true;
    let mut c = Checker::new(Arc::new(m), CheckOptions::default());
    c.run_to_end();
    let problem = c.symmetry_problem().expect("pinning A0 breaks A's symmetry");
    assert!(problem.contains("does not preserve Init") && problem.contains("A (a0→"), "{problem}");
    // Without the audit, nothing is said.
    let mut m = bits(3, 1);
    m.pinned = true;
    let mut c = Checker::new(Arc::new(m), CheckOptions { audit_symmetry: false, ..CheckOptions::default() });
    c.run_to_end();
    assert_eq!(c.symmetry_problem(), None);
}

#[test]
fn the_audit_catches_an_action_that_does_not_commute() {
    // Init is symmetric (all bits clear) but A0 may only turn its bit on once B0's is on: the
    // actions single out A0.
    struct Skewed(Bits, Checks<Skewed>);
    impl Model for Skewed {
        type State = <Bits as Model>::State;
        type Action = <Bits as Model>::Action;
        fn init_states(&self) -> Vec<Self::State> {
            self.0.init_states()
        }
        fn actions(&self, s: &Self::State, out: &mut Vec<Self::Action>) {
            self.0.actions(s, out)
        }
        fn next_state(&self, s: &Self::State, a: &Self::Action) -> Option<Self::State> {
            if *a == (0, 0) && !s.1[0] {
                return None;
            }
            self.0.next_state(s, a)
        }
        fn action_name(&self, a: &Self::Action) -> &'static str {
            self.0.action_name(a)
        }
        fn action_label(&self, a: &Self::Action) -> String {
            self.0.action_label(a)
        }
        fn action_names(&self) -> Vec<&'static str> {
            self.0.action_names()
        }
        fn checks(&self) -> &Checks<Self> {
            &self.1
        }
        fn symmetric_sets(&self) -> Vec<SymmetricSet> {
            self.0.symmetric_sets()
        }
        fn permute(&self, s: &Self::State, p: &Permutation) -> Self::State {
            self.0.permute(s, p)
        }
        fn variables(&self) -> &'static [&'static str] {
            self.0.variables()
        }
        fn to_tla(&self, s: &Self::State) -> Vec<Value> {
            self.0.to_tla(s)
        }
    }
    let mut c = Checker::new(Arc::new(Skewed(bits(2, 1), Checks::new())), CheckOptions::default());
    c.run_to_end();
    let problem = c.symmetry_problem().expect("A0's guard breaks A's symmetry");
    assert!(
        problem.contains("does not commute with Flip(A, 1)")
            || problem.contains("does not commute with Flip(A, 0)")
            || problem.contains("number of distinct successors"),
        "{problem}"
    );
}

#[test]
fn the_parallel_search_is_the_sequential_one() {
    // Every figure, and where a failing search stops, must not depend on the thread count: every
    // config of every model of the catalogue, some with smaller constants to stay quick.
    use pex::catalogue;
    let smaller = |model: &str, config: &str| match (model, config) {
        ("seqlock", "safe") => vec![("MaxSeq".to_string(), "2".to_string())],
        ("paxos", _) => vec![("Attempts".to_string(), "{0, 1}".to_string())],
        _ => vec![],
    };
    for (model, config) in catalogue::infos().iter().flat_map(|i| i.configs.iter().map(|c| (i.name, c.name)).collect::<Vec<_>>()) {
        let m = catalogue::build(model, config, &smaller(model, config)).unwrap();
        // Every thread in every slice (not one or all, whichever is faster), so that the parallel
        // search is what runs.
        let run = |threads: usize| {
            let mut c = m.checker(CheckOptions { threads, adapt_threads: false, ..CheckOptions::default() });
            while !c.run(1000) {}
            let r = c.result().unwrap();
            let verdict = match r.outcome {
                pex::engine::DynOutcome::Violation { name, trace, .. } => Some((name, trace.labels())),
                _ => None,
            };
            (r.progress.distinct, r.progress.generated, r.progress.depth, r.progress.levels, r.progress.queue, verdict)
        };
        let one = run(1);
        assert_eq!(run(2), one, "{model}/{config}");
        assert_eq!(run(3), one, "{model}/{config}");
        // And switching between one thread and all, slice by slice, as the default does.
        let mut c = m.checker(CheckOptions { threads: 2, ..CheckOptions::default() });
        while !c.run(3000) {}
        let r = c.result().unwrap();
        assert_eq!((r.progress.distinct, r.progress.generated, r.progress.depth), (one.0, one.1, one.2), "{model}/{config} adapting");
    }
}
