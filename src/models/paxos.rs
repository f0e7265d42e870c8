//! `paxos`: Multi-Paxos with signed proposals (seed 001). Twin: `tla/paxos/Paxos.tla`.
//!
//! A proposal is (round, attempt, proposer), ordered lexicographically; NONE is below every
//! proposal. For each round, an acceptor promises not to accept anything below a proposal, and
//! accepts a (proposal, value) pair once a majority quorum has promised exactly that proposal and the
//! value is the one of the highest proposal accepted inside that quorum (any value if none). A value
//! is learned once a majority has accepted the same (proposal, value).
//!
//! Configurations: `safe`; `ignore-accepted` (the proposer may pick any value even when its quorum
//! has accepted one: a second value gets chosen and Agreement fails).
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the invariants, then
//! TLC's plumbing (TLA+ values).
//!
//! This is the model the checker's speed is measured on, so two things differ from the other
//! models. The state is a few small codes packed into words (no heap): copying, hashing and
//! comparing it is cheap. And what Accept and Learn ask of a round (who promised what, what the
//! quorums allow, what is chosen) is computed once per state into a [`RoundView`] that every action
//! function reads; so that `take` need not compute it again, `next` calls the action functions
//! itself and each candidate carries the successor its function returned.

use crate::engine::{Checks, ConfigSpec, ConstKind, ConstSpec, Constants, MessageEvent, MessageOp, Model, ModelDef, ModelInfo, Value};

// ---- CONSTANTS ----

/// Bounds on the constants (and the sizes of the state's arrays).
pub const MAX_ACCEPTORS: usize = 5;
pub const MAX_ROUNDS: usize = 3;
pub const MAX_PROPOSERS: usize = 3;
pub const MAX_ATTEMPTS: usize = 4;
pub const MAX_VALUES: usize = 3;

/// Promise codes of one round: NONE and every proposal.
const CODES: usize = 1 + MAX_ATTEMPTS * MAX_PROPOSERS;

pub struct Paxos {
    pub acceptors: Vec<i64>,
    pub proposers: Vec<i64>,
    pub rounds: Vec<i64>,
    pub attempts: Vec<i64>,
    pub values: Vec<String>,
    /// `RespectAccepted` in the twin: FALSE in the `ignore-accepted` gap, where the value rule is
    /// skipped.
    pub respect_accepted: bool,
    /// `Quorums`: the majority quorums, as bit masks over acceptor indices.
    quorums: Vec<u8>,
    layout: Layout,
    /// Acceptance code → (promise code of its proposal, value index): a table, not a division.
    decode: [(u8, u8); 64],
    /// What this config checks.
    checks: Checks<Paxos>,
}

impl ModelDef for Paxos {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/paxos/Paxos.tla")];

    fn info() -> ModelInfo {
        ModelInfo {
            name: "paxos",
            title: "Multi-Paxos with signed proposals",
            story: "Acceptors promise and accept numbered proposals; a value is chosen once a majority accepts it, and a new proposal must carry forward what its quorum already accepted.",
            source: "seed 001: Multi-Paxos TLA+ specification (MultiPaxos.tla, Rust acceptor/learner mapping)",
            tla_module: "Paxos",
            constants: vec![
                ConstSpec { name: "Proposers", doc: "Proposer ids.", kind: ConstKind::IntSet { min: 1, max: MAX_PROPOSERS as i64 }, default: "{1, 2}" },
                ConstSpec { name: "Acceptors", doc: "Acceptor ids.", kind: ConstKind::IntSet { min: 1, max: MAX_ACCEPTORS as i64 }, default: "{1, 2, 3}" },
                ConstSpec { name: "Rounds", doc: "Rounds (log slots).", kind: ConstKind::IntSet { min: 1, max: MAX_ROUNDS as i64 }, default: "{1}" },
                ConstSpec {
                    name: "Attempts",
                    doc: "Attempt numbers a proposer may use; must include 0.",
                    kind: ConstKind::IntSet { min: 0, max: MAX_ATTEMPTS as i64 - 1 },
                    default: "{0, 1, 2}",
                },
                ConstSpec {
                    name: "Values",
                    doc: "Values that may be proposed.",
                    kind: ConstKind::ModelValues { prefix: "v", min_len: 1, max_len: MAX_VALUES },
                    default: "{v1, v2}",
                },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "Paxos as designed: a proposal carries the value of the highest proposal its quorum already accepted.",
                    expect: None,
                    tla_switches: &[("RespectAccepted", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "ignore-accepted",
                    summary: "The proposer picks any value even when its quorum has accepted one, so a second value gets chosen: Agreement fails.",
                    expect: Some("Agreement"),
                    tla_switches: &[("RespectAccepted", "FALSE")],
                    alters: &["Accept"],
                },
            ],
            meanings: &[
                ("TypeOK", "Every promise, acceptance, attempt and learned set holds a value of its declared kind."),
                ("Agreement", "No round ever learns two different values."),
                ("Validity", "Every learned value is one of the values that may be proposed."),
                ("Consistency", "If a majority accepted two proposals in a round, the higher one carries the same value as the lower."),
                ("PromiseIntegrity", "No acceptor's promise in a round is below the proposal it accepted there."),
                ("Promise", "An acceptor promises a proposal that is at least as high as anything it promised or accepted in that round."),
                ("Accept", "An acceptor accepts a proposal and value once a majority promised exactly that proposal and the value is what the quorum's highest acceptance carries (any value in the gap)."),
                ("Learn", "A round learns a value that a majority has accepted under one proposal."),
                ("IncrementAttempt", "A proposer moves to its next attempt number in a round."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        let attempts = constants.int_set("Attempts");
        if attempts.first() != Some(&0) {
            return Err("constant Attempts: must include 0 (every proposer starts at attempt 0)".to_string());
        }
        let acceptors = constants.int_set("Acceptors");
        let n = acceptors.len();
        let quorums = (1u8..(1 << n)).filter(|q| q.count_ones() as usize * 2 > n).collect();
        let (n_p, n_r, n_v) = (constants.int_set("Proposers").len(), constants.int_set("Rounds").len(), constants.names("Values").len());
        let per_round = attempts.len() * n_p;
        let mut decode = [(0u8, 0u8); 64];
        for (code, entry) in decode.iter_mut().enumerate().skip(1).take(per_round * n_v) {
            *entry = (1 + ((code - 1) / n_v) as u8, ((code - 1) % n_v) as u8);
        }
        let layout = Layout::new(n, n_p, n_r, bits_for(per_round), bits_for(per_round * n_v), bits_for(attempts.len() - 1), n_v as u32)?;
        Ok(Paxos {
            acceptors,
            proposers: constants.int_set("Proposers"),
            rounds: constants.int_set("Rounds"),
            attempts,
            values: constants.names("Values"),
            respect_accepted: config.switch("RespectAccepted"),
            quorums,
            layout,
            decode,
            checks: Checks::new()
                .invariant("TypeOK", Paxos::type_ok)
                .invariant("Agreement", Paxos::agreement)
                .invariant("Validity", Paxos::validity)
                .invariant("Consistency", Paxos::consistency)
                .invariant("PromiseIntegrity", Paxos::promise_integrity),
        })
    }
}

// ---- VARIABLES ----

/// `promised`, `accepted`, `proposerAttempt` and `learned`, as codes: a promise is 0 for NONE or
/// 1 + the proposal's index within its round (attempt-major, so codes order as proposals do); an
/// acceptance is 0 for NONE or 1 + proposal index * values + value; an attempt is an index into
/// `attempts`; a learned set is one bit per value.
///
/// The state is those codes packed into 64-bit words, each field in the fewest bits its constants
/// allow ([`Layout`]); the model reads and writes fields through it (`self.promised(s, a, r)`).
/// With the seed's constants a whole state is 27 bits of one word: copying, comparing and
/// fingerprinting it costs next to nothing, and the fingerprint is exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub words: [u64; 4],
}

/// Where one field lives in the state's words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Field {
    word: u8,
    shift: u8,
    mask: u64,
}

/// The place of every field for the model's constants (fixed arrays: no bounds to check beyond
/// the compile-time ones in the hot path).
#[derive(Clone, Debug, Default)]
struct Layout {
    /// Indexed `acceptor * MAX_ROUNDS + round`.
    promised: [Field; MAX_ACCEPTORS * MAX_ROUNDS],
    accepted: [Field; MAX_ACCEPTORS * MAX_ROUNDS],
    /// Indexed `proposer * MAX_ROUNDS + round`.
    attempt: [Field; MAX_PROPOSERS * MAX_ROUNDS],
    /// Indexed by round.
    learned: [Field; MAX_ROUNDS],
    /// Words in use.
    words: usize,
}

impl Layout {
    /// Lays the fields out in order, never splitting one across two words.
    fn new(n_a: usize, n_p: usize, n_r: usize, promise_bits: u32, accept_bits: u32, attempt_bits: u32, learned_bits: u32) -> Result<Layout, String> {
        let mut layout = Layout::default();
        let (mut word, mut shift) = (0usize, 0u32);
        let mut place = |bits: u32| -> Field {
            if shift + bits > 64 {
                word += 1;
                shift = 0;
            }
            let f = Field { word: word as u8, shift: shift as u8, mask: if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 } };
            shift += bits;
            f
        };
        for a in 0..n_a {
            for r in 0..n_r {
                layout.promised[a * MAX_ROUNDS + r] = place(promise_bits.max(1));
                layout.accepted[a * MAX_ROUNDS + r] = place(accept_bits.max(1));
            }
        }
        for p in 0..n_p {
            for r in 0..n_r {
                layout.attempt[p * MAX_ROUNDS + r] = place(attempt_bits.max(1));
            }
        }
        for r in 0..n_r {
            layout.learned[r] = place(learned_bits.max(1));
        }
        layout.words = word + 1;
        if layout.words > 4 {
            return Err(format!("these constants need {} words of state; at most 4 fit", layout.words));
        }
        Ok(layout)
    }
}

fn bits_for(max_code: usize) -> u32 {
    usize::BITS - max_code.leading_zeros()
}

#[inline(always)]
fn get(s: &State, f: Field) -> u8 {
    ((s.words[f.word as usize] >> f.shift) & f.mask) as u8
}

#[inline(always)]
fn set(s: &mut State, f: Field, value: u8) {
    let w = &mut s.words[f.word as usize];
    *w = (*w & !(f.mask << f.shift)) | ((value as u64) << f.shift);
}

impl Paxos {
    pub fn n_a(&self) -> usize {
        self.acceptors.len()
    }
    pub fn n_r(&self) -> usize {
        self.rounds.len()
    }
    pub fn n_p(&self) -> usize {
        self.proposers.len()
    }
    pub fn n_v(&self) -> usize {
        self.values.len()
    }
    /// Acceptor `a`'s promise code in round `r`.
    #[inline]
    pub fn promised(&self, s: &State, a: usize, r: usize) -> u8 {
        get(s, self.layout.promised[a * MAX_ROUNDS + r])
    }
    /// Acceptor `a`'s acceptance code in round `r`.
    #[inline]
    pub fn accepted(&self, s: &State, a: usize, r: usize) -> u8 {
        get(s, self.layout.accepted[a * MAX_ROUNDS + r])
    }
    /// Proposer `p`'s attempt in round `r`, as an index into `attempts` (its value is
    /// `attempts[index]`). The state packs the index, TypeOK bounds it by `attempts.len()`, and
    /// [`Model::to_tla`] prints the value.
    #[inline]
    pub fn attempt(&self, s: &State, p: usize, r: usize) -> u8 {
        get(s, self.layout.attempt[p * MAX_ROUNDS + r])
    }
    /// The values learned in round `r`, as a bit set.
    #[inline]
    pub fn learned(&self, s: &State, r: usize) -> u8 {
        get(s, self.layout.learned[r])
    }
    #[inline]
    fn set_promised(&self, s: &mut State, a: usize, r: usize, code: u8) {
        set(s, self.layout.promised[a * MAX_ROUNDS + r], code)
    }
    #[inline]
    fn set_accepted(&self, s: &mut State, a: usize, r: usize, code: u8) {
        set(s, self.layout.accepted[a * MAX_ROUNDS + r], code)
    }
    #[inline]
    fn set_attempt(&self, s: &mut State, p: usize, r: usize, index: u8) {
        set(s, self.layout.attempt[p * MAX_ROUNDS + r], index)
    }
    #[inline]
    fn set_learned(&self, s: &mut State, r: usize, bits: u8) {
        set(s, self.layout.learned[r], bits)
    }

    /// IncrementAttempt's guard, `proposerAttempt[p][r] + 1 \in Attempts`, for the attempt at
    /// `index`: the attempt rises by one, not to the next element of the set (with Attempts =
    /// {0, 2} it never rises). Attempts is sorted, so `value + 1` is in it exactly when it is the
    /// next element, and the new index is `index + 1`.
    #[inline]
    pub fn can_increment_attempt(&self, index: usize) -> bool {
        self.attempts.get(index + 1) == Some(&(self.attempts[index] + 1))
    }

    /// Proposals per round.
    pub fn per_round(&self) -> usize {
        self.attempts.len() * self.proposers.len()
    }

    /// (attempt, proposer) of proposal `k` of a round.
    pub fn proposal(&self, k: usize) -> (i64, i64) {
        (self.attempts[k / self.n_p()], self.proposers[k % self.n_p()])
    }

    /// The proposal part of an acceptance code, as a promise code (0 for NONE).
    #[inline]
    pub fn accepted_proposal(&self, code: u8) -> u8 {
        self.decode[code as usize].0
    }

    /// The value index of a non-NONE acceptance code.
    #[inline]
    pub fn accepted_value(&self, code: u8) -> usize {
        self.decode[code as usize].1 as usize
    }

    #[inline]
    fn acceptance(&self, k: usize, v: usize) -> u8 {
        (1 + k * self.n_v() + v) as u8
    }

    pub fn quorums(&self) -> &[u8] {
        &self.quorums
    }

    /// The quorum (bit mask), the acceptor and the value that an acceptance of value `v` at
    /// proposal `k`, round `r`, from state `s`, ignored: every quorum that promised `k` had an
    /// acceptor with another value at the highest proposal it had accepted (only the gap's Accept
    /// does that). `None` when some quorum allowed `v`.
    pub fn ignored_overlap(&self, s: &State, r: usize, k: usize, v: usize) -> Option<(u8, usize, usize)> {
        let want = (k + 1) as u8;
        let promisers: u8 = (0..self.n_a()).filter(|&a| self.promised(s, a, r) == want).fold(0, |acc, a| acc | 1 << a);
        let mut ignored = None;
        for &q in self.quorums() {
            if q & promisers != q {
                continue;
            }
            let best = (0..self.n_a()).filter(|&a| q & (1 << a) != 0).map(|a| self.accepted(s, a, r)).max().unwrap_or(0);
            if best == 0 || self.accepted_value(best) == v {
                return None; // some quorum allowed v: the rule was respected
            }
            let holder = (0..self.n_a()).find(|&a| q & (1 << a) != 0 && self.accepted(s, a, r) == best)?;
            ignored.get_or_insert((q, holder, self.accepted_value(best)));
        }
        ignored
    }

    // ---- TypeOK ----

    /// Every code in range; [`Model::by_construction`] says why no action can break it.
    fn type_ok(&self, s: &State) -> bool {
        let (per_round, codes) = (self.per_round() as u8, (self.per_round() * self.n_v()) as u8);
        (0..self.n_a()).all(|a| (0..self.n_r()).all(|r| self.promised(s, a, r) <= per_round && self.accepted(s, a, r) <= codes))
            && (0..self.n_p()).all(|p| (0..self.n_r()).all(|r| (self.attempt(s, p, r) as usize) < self.attempts.len()))
            && (0..self.n_r()).all(|r| (self.learned(s, r) as usize) < (1 << self.n_v()))
    }

    // ---- Init ----

    /// Every code 0: NONE, attempt index 0, nothing learned.
    fn init(&self) -> State {
        State { words: [0; 4] }
    }
}

// ---- What the actions ask of a round ----

/// What a state says about one round, computed once per state for every action's guard.
#[derive(Clone, Debug)]
struct RoundView {
    r: usize,
    /// Each acceptor's promise and acceptance codes in this round.
    promised: [u8; MAX_ACCEPTORS],
    accepted: [u8; MAX_ACCEPTORS],
    /// For each promise code (proposal), the acceptors (bit mask) that promised exactly it.
    promisers: [u8; CODES],
    /// For each proposal (by promise code), the values (bit mask) accepted at it by anyone.
    values_at: [u8; CODES],
    /// For each proposal some acceptor promised, the values `v` with `QuorumsFor(r, p, v) # {}`.
    allowed: [u8; CODES],
    /// `{ t.val : t \in Chosen(r) }`: values a majority accepted at one same proposal.
    chosen: u8,
}

impl Paxos {
    /// Round `r` of state `s`, decoded and summarised: the twin's `QuorumsFor` and `Chosen` for
    /// every proposal at once. [`Paxos::next`] computes it once per round for all candidates.
    fn round_view(&self, s: &State, r: usize) -> RoundView {
        let mut view = RoundView {
            r,
            promised: [0; MAX_ACCEPTORS],
            accepted: [0; MAX_ACCEPTORS],
            promisers: [0; CODES],
            values_at: [0; CODES],
            allowed: [0; CODES],
            chosen: 0,
        };
        let n_a = self.n_a();
        for a in 0..n_a {
            view.promised[a] = self.promised(s, a, r);
            view.accepted[a] = self.accepted(s, a, r);
        }
        for a in 0..n_a {
            view.promisers[view.promised[a] as usize] |= 1 << a;
            let c = view.accepted[a];
            if c != 0 {
                let (prop, value) = self.decode[c as usize];
                view.values_at[prop as usize] |= 1 << value;
                // ChosenAt: a majority accepted this same <<proposal, value>>.
                let same = view.accepted[..n_a].iter().filter(|&&b| b == c).count();
                if same * 2 > n_a {
                    view.chosen |= 1 << value;
                }
            }
        }
        // Only a proposal some acceptor promised can have a quorum that promised it; each such
        // proposal once, at the first acceptor that promised it.
        for a in 0..n_a {
            let p = view.promised[a] as usize;
            if p != 0 && view.promisers[p].trailing_zeros() as usize == a {
                view.allowed[p] = self.allowed_values(view.promisers[p], &view.accepted);
            }
        }
        view
    }

    /// The values (bit mask) `v` with `QuorumsFor(r, p, v) # {}`, for the proposal `p` that the
    /// acceptors `promisers` promised exactly: some majority quorum inside `promisers` allows `v`
    /// (`ValueAllowed`): the highest proposal accepted inside the quorum carries `v`, or none is,
    /// or the gap skips the value rule.
    fn allowed_values(&self, promisers: u8, accepted: &[u8; MAX_ACCEPTORS]) -> u8 {
        let all = ((1u16 << self.n_v()) - 1) as u8;
        let mut allowed = 0u8;
        for &q in &self.quorums {
            if q & promisers != q {
                continue;
            }
            if !self.respect_accepted {
                return all;
            }
            let mut best = 0u8;
            let mut members = q;
            while members != 0 {
                let a = members.trailing_zeros() as usize;
                members &= members - 1;
                best = best.max(accepted[a]);
            }
            // Codes order by proposal first, so the largest code is the highest proposal.
            if best == 0 {
                return all;
            }
            allowed |= 1 << self.accepted_value(best);
        }
        allowed
    }

    // ---- Actions ----

    /// `Promise(a, p)` for the proposal `k` of the view's round: `p` is not below what `a`
    /// promised or accepted there. Re-promising the same proposal is a stuttering step, as in the
    /// twin.
    #[inline]
    fn promise(&self, s: &State, view: &RoundView, a: usize, k: usize) -> Option<State> {
        let p = k as u8 + 1;
        if !(p >= view.promised[a] && p >= self.accepted_proposal(view.accepted[a])) {
            return None;
        }
        let mut t = *s;
        self.set_promised(&mut t, a, view.r, p);
        Some(t)
    }

    /// `Accept(a, p, v)` for the proposal `k` of the view's round: `a` promised exactly `p` and
    /// has accepted nothing above it, nobody accepted `p` with another value, and a quorum that
    /// promised `p` allows `v`.
    #[inline]
    fn accept(&self, s: &State, view: &RoundView, a: usize, k: usize, v: usize) -> Option<State> {
        let p = k as u8 + 1;
        let clash = view.values_at[p as usize] & !(1 << v) != 0;
        if !(view.promised[a] == p && p >= self.accepted_proposal(view.accepted[a]) && !clash && view.allowed[p as usize] & (1 << v) != 0) {
            return None;
        }
        let mut t = *s;
        self.set_accepted(&mut t, a, view.r, self.acceptance(k, v));
        self.set_promised(&mut t, a, view.r, p);
        Some(t)
    }

    /// `Learn(r, v)` for the view's round: a majority accepted `v` at one same proposal.
    #[inline]
    fn learn(&self, s: &State, view: &RoundView, v: usize) -> Option<State> {
        if view.chosen & (1 << v) == 0 {
            return None;
        }
        let mut t = *s;
        self.set_learned(&mut t, view.r, self.learned(s, view.r) | 1 << v);
        Some(t)
    }

    /// `IncrementAttempt(p, r)`: kept because the seed has it; nothing reads the attempt.
    #[inline]
    fn increment_attempt(&self, s: &State, p: usize, r: usize) -> Option<State> {
        let index = self.attempt(s, p, r);
        if !self.can_increment_attempt(index as usize) {
            return None;
        }
        let mut t = *s;
        self.set_attempt(&mut t, p, r, index + 1);
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s enabled actions, in its disjunct order, quantifiers nested as the twin nests them
    /// (a proposal ranges over Rounds, then Attempts, then Proposers: `k` is attempt-major). Each
    /// candidate carries its successor, computed here from round views built once for the state.
    fn next(&self, s: &State, out: &mut Vec<Candidate>) {
        let (n_a, n_r, n_v, per_round) = (self.n_a(), self.n_r(), self.n_v(), self.per_round());
        let views: [Option<RoundView>; MAX_ROUNDS] = std::array::from_fn(|r| (r < n_r).then(|| self.round_view(s, r)));
        let view = |r: usize| views[r].as_ref().expect("a view per round");
        let mut push = |action: Action, next: Option<State>| {
            if let Some(next) = next {
                out.push(Candidate { action, next });
            }
        };
        // \E a \in Acceptors : \E p \in Proposals : Promise(a, p)
        for a in 0..n_a {
            for r in 0..n_r {
                for k in 0..per_round {
                    push(Action::Promise { a: a as u8, r: r as u8, k: k as u8 }, self.promise(s, view(r), a, k));
                }
            }
        }
        // \E a \in Acceptors : \E p \in Proposals : \E v \in Values : Accept(a, p, v)
        for a in 0..n_a {
            for r in 0..n_r {
                for k in 0..per_round {
                    for v in 0..n_v {
                        push(Action::Accept { a: a as u8, r: r as u8, k: k as u8, v: v as u8 }, self.accept(s, view(r), a, k, v));
                    }
                }
            }
        }
        // \E r \in Rounds : \E v \in Values : Learn(r, v)
        for r in 0..n_r {
            for v in 0..n_v {
                push(Action::Learn { r: r as u8, v: v as u8 }, self.learn(s, view(r), v));
            }
        }
        // \E p \in Proposers : \E r \in Rounds : IncrementAttempt(p, r)
        for p in 0..self.n_p() {
            for r in 0..n_r {
                push(Action::IncrementAttempt { p: p as u8, r: r as u8 }, self.increment_attempt(s, p, r));
            }
        }
    }

    /// The successor by `action` from `s`, or `None` if it is not enabled: the action's function,
    /// given the view of the action's round.
    fn step(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::Promise { a, r, k } => self.promise(s, &self.round_view(s, r as usize), a as usize, k as usize),
            Action::Accept { a, r, k, v } => self.accept(s, &self.round_view(s, r as usize), a as usize, k as usize, v as usize),
            Action::Learn { r, v } => self.learn(s, &self.round_view(s, r as usize), v as usize),
            Action::IncrementAttempt { p, r } => self.increment_attempt(s, p as usize, r as usize),
        }
    }

    /// The successor by a candidate of `next(s)`: the one its action's function computed there.
    /// Debug builds check that the function, given a fresh view, still says the same; the test
    /// `next_agrees_with_each_actions_own_function_on_reachable_states` checks it in release too.
    fn take(&self, s: &State, candidate: &Candidate) -> Option<State> {
        debug_assert_eq!(self.step(s, &candidate.action), Some(candidate.next), "{:?} is not a candidate of {s:?}", candidate.action);
        Some(candidate.next)
    }
}

/// An action of `Next` with its parameters: acceptor, round, proposal within the round, value,
/// proposer, all as indices from 0 (labels print the twin's values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Promise { a: u8, r: u8, k: u8 },
    Accept { a: u8, r: u8, k: u8, v: u8 },
    Learn { r: u8, v: u8 },
    IncrementAttempt { p: u8, r: u8 },
}

impl Action {
    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Promise { .. } => "Promise",
            Action::Accept { .. } => "Accept",
            Action::Learn { .. } => "Learn",
            Action::IncrementAttempt { .. } => "IncrementAttempt",
        }
    }
}

/// An enabled action of a state with the successor its function computed from the state's round
/// views, so that `take` does not compute a view again: the checker takes every candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Candidate {
    pub action: Action,
    next: State,
}

impl Paxos {
    // ---- Invariants ----

    /// At most one value is learned per round.
    fn agreement(&self, s: &State) -> bool {
        (0..self.n_r()).all(|r| self.learned(s, r).count_ones() <= 1)
    }

    /// Learned values are values: any value may be proposed in this model, so this is the whole of
    /// validity here.
    fn validity(&self, s: &State) -> bool {
        (0..self.n_r()).all(|r| (self.learned(s, r) as usize) < (1 << self.n_v()))
    }

    /// If majorities have accepted (p1, v1) and (p2, v2) with p2 > p1, then v1 = v2.
    fn consistency(&self, s: &State) -> bool {
        (0..self.n_r()).all(|r| {
            let mut accepted = [0u8; MAX_ACCEPTORS];
            for (a, c) in accepted.iter_mut().enumerate().take(self.n_a()) {
                *c = self.accepted(s, a, r);
            }
            let codes = &accepted[..self.n_a()];
            let chosen = |c: u8| c != 0 && codes.iter().filter(|&&b| b == c).count() * 2 > codes.len();
            codes.iter().filter(|&&c| chosen(c)).all(|&c1| {
                codes
                    .iter()
                    .filter(|&&c| chosen(c))
                    .all(|&c2| self.accepted_proposal(c2) <= self.accepted_proposal(c1) || self.accepted_value(c1) == self.accepted_value(c2))
            })
        })
    }

    /// An acceptor's promise is never below what it has accepted.
    fn promise_integrity(&self, s: &State) -> bool {
        (0..self.n_a()).all(|a| (0..self.n_r()).all(|r| self.promised(s, a, r) >= self.accepted_proposal(self.accepted(s, a, r))))
    }

    // ---- TLA+ values ----

    fn proposal_value(&self, r: usize, code: u8) -> Value {
        if code == 0 {
            return Value::Tuple(vec![Value::Int(0), Value::Int(0), Value::Int(0)]);
        }
        let (att, p) = self.proposal(code as usize - 1);
        Value::Tuple(vec![Value::Int(self.rounds[r]), Value::Int(att), Value::Int(p)])
    }

    fn value_value(&self, v: usize) -> Value {
        Value::model(v, &self.values[v])
    }
}

/// A function on a set of integers: TLC prints it as a tuple when the set is 1..n.
fn int_fn(keys: &[i64], values: impl Iterator<Item = Value>) -> Value {
    if keys.iter().enumerate().all(|(i, k)| *k == i as i64 + 1) {
        Value::Tuple(values.collect())
    } else {
        Value::func(keys.iter().map(|k| Value::Int(*k)).zip(values))
    }
}

impl Model for Paxos {
    type State = State;
    type Action = Candidate;

    fn init_states(&self) -> Vec<State> {
        vec![self.init()]
    }

    fn actions(&self, s: &State, out: &mut Vec<Candidate>) {
        self.next(s, out)
    }

    fn next_state(&self, s: &State, candidate: &Candidate) -> Option<State> {
        self.take(s, candidate)
    }

    /// One word of state (the seed's constants): mixed by a bijection, so exact. More: hashed.
    #[inline]
    fn fingerprint(&self, s: &State) -> u64 {
        if self.layout.words == 1 {
            crate::engine::fingerprint::mix64(s.words[0])
        } else {
            crate::engine::fingerprint::mix_words(&s.words[..self.layout.words])
        }
    }

    fn exact_fingerprint(&self) -> bool {
        self.layout.words == 1
    }

    fn action_name(&self, candidate: &Candidate) -> &'static str {
        candidate.action.name()
    }

    fn action_label(&self, candidate: &Candidate) -> String {
        let prop = |r: u8, k: u8| {
            let (att, p) = self.proposal(k as usize);
            format!("<<{}, {}, {}>>", self.rounds[r as usize], att, p)
        };
        match candidate.action {
            Action::Promise { a, r, k } => format!("Promise({}, {})", self.acceptors[a as usize], prop(r, k)),
            Action::Accept { a, r, k, v } => format!("Accept({}, {}, {})", self.acceptors[a as usize], prop(r, k), self.values[v as usize]),
            Action::Learn { r, v } => format!("Learn({}, {})", self.rounds[r as usize], self.values[v as usize]),
            Action::IncrementAttempt { p, r } => format!("IncrementAttempt({}, {})", self.proposers[p as usize], self.rounds[r as usize]),
        }
    }

    fn action_names(&self) -> Vec<&'static str> {
        vec!["Promise", "Accept", "Learn", "IncrementAttempt"]
    }

    /// The proposers, the acceptors and one learner: the lanes of the message chart.
    fn nodes(&self) -> Vec<String> {
        let proposers = self.proposers.iter().map(|p| format!("proposer {p}"));
        let acceptors = self.acceptors.iter().map(|a| format!("acceptor {a}"));
        proposers.chain(acceptors).chain(std::iter::once("learner".to_string())).collect()
    }

    /// The messages the actions imply, as a person draws this Paxos on a whiteboard. The twin keeps
    /// no message set (an acceptor may answer any proposal at any time), so a message is delivered
    /// at the step whose action first reads what it carries:
    /// - Promise(a, p): p's proposer's prepare reaches a (sent and delivered in the step) and a's
    ///   promise leaves for the proposer, carrying what a accepted last (its label says so:
    ///   "promise ⟨1,0,2⟩, last accepted ⟨1,0,1⟩=v1");
    /// - Accept(a, p, v), the first acceptance of p: the proposer reads the promises of p (Accept's
    ///   guard reads every acceptor that promised exactly p), so every one of them reaches the
    ///   proposer here, then its accept request for v reaches a (sent and delivered in the step);
    ///   a's "accepted" leaves for the learner. A later acceptance of p reads no promise the first
    ///   did not: its step is the accept request and the "accepted" alone. Where the value rule
    ///   was ignored (the gap), the request's label names the value it ignored ("accept
    ///   ⟨1,0,2⟩=v2, ignoring v1");
    /// - Learn(r, v): the learner receives "accepted" from every acceptor whose acceptance in r is
    ///   of v (each sent by that acceptor's Accept; Learn(r, v) happens once);
    /// - IncrementAttempt(p, r): the proposer's timer.
    ///
    /// Whether an acceptance is p's first is read off the state: once any acceptor accepted p, no
    /// acceptance of a higher proposal can have happened while p is still acceptable (that needed a
    /// majority promising above p, and any majority meets the one p needs), so an acceptor that
    /// accepted p still shows it. A stuttering step (a promise or acceptance already made) sends
    /// nothing. A promise no acceptance read (one made after p's first acceptance, or one the
    /// acceptor went back on by promising higher), or an "accepted" the learner did without, stays
    /// in flight.
    fn messages(&self, s: &State, candidate: &Candidate, next: &State) -> Vec<MessageEvent> {
        if s == next {
            return Vec::new();
        }
        let proposer_of = |k: u8| k as usize % self.n_p();
        let acceptor = |a: u8| self.n_p() + a as usize;
        let learner = self.n_p() + self.n_a();
        // Compact: a label must fit between two lanes of the chart.
        let prop = |r: u8, k: u8| {
            let (att, p) = self.proposal(k as usize);
            format!("⟨{},{},{}⟩", self.rounds[r as usize], att, p)
        };
        let fields = |r: u8, k: u8, v: Option<u8>| {
            let mut f = vec![("round".to_string(), self.rounds[r as usize].to_string()), ("proposal".to_string(), prop(r, k))];
            f.extend(v.map(|v| ("value".to_string(), self.values[v as usize].clone())));
            f
        };
        let event = |op, from, to, id: String, label: String, contents: Vec<(String, String)>| MessageEvent { op, from, to, id, label, contents };
        let promise = |a: u8, r: u8, k: u8, op: MessageOp| {
            let last = match self.accepted(s, a as usize, r as usize) {
                0 => "none".to_string(),
                c => format!("{}={}", prop(r, self.accepted_proposal(c) - 1), self.values[self.accepted_value(c)]),
            };
            let label = match last.as_str() {
                "none" => format!("promise {}, nothing accepted", prop(r, k)),
                _ => format!("promise {}, last accepted {last}", prop(r, k)),
            };
            let mut contents = fields(r, k, None);
            contents.push(("last accepted".to_string(), last));
            event(op, acceptor(a), proposer_of(k), format!("promise r{r} k{k} from {a}"), label, contents)
        };
        let accepted = |a: u8, r: u8, k: u8, v: u8, op: MessageOp| {
            let label = format!("accepted {}={}", prop(r, k), self.values[v as usize]);
            event(op, acceptor(a), learner, format!("accepted r{r} k{k} v{v} from {a}"), label, fields(r, k, Some(v)))
        };
        match candidate.action {
            Action::Promise { a, r, k } => {
                let id = format!("prepare r{r} k{k} to {a}");
                let label = format!("prepare {}", prop(r, k));
                vec![
                    event(MessageOp::Send, proposer_of(k), acceptor(a), id.clone(), label.clone(), fields(r, k, None)),
                    event(MessageOp::Deliver, proposer_of(k), acceptor(a), id, label, fields(r, k, None)),
                    promise(a, r, k, MessageOp::Send),
                ]
            }
            Action::Accept { a, r, k, v } => {
                let id = format!("accept r{r} k{k} v{v} to {a}");
                let want = k + 1;
                let first = (0..self.n_a()).all(|b| self.accepted_proposal(self.accepted(s, b, r as usize)) != want);
                let mut events: Vec<MessageEvent> = if first {
                    (0..self.n_a() as u8).filter(|&b| self.promised(s, b as usize, r as usize) == want).map(|b| promise(b, r, k, MessageOp::Deliver)).collect()
                } else {
                    Vec::new()
                };
                let mut contents = fields(r, k, Some(v));
                let label = match self.ignored_overlap(s, r as usize, k as usize, v as usize) {
                    Some((_, holder, other)) => {
                        let code = self.accepted(s, holder, r as usize);
                        contents.push((
                            "ignored".to_string(),
                            format!("{} accepted at {} by acceptor {}", self.values[other], prop(r, self.accepted_proposal(code) - 1), self.acceptors[holder]),
                        ));
                        format!("accept {}={}, ignoring {}", prop(r, k), self.values[v as usize], self.values[other])
                    }
                    None => format!("accept {}={}", prop(r, k), self.values[v as usize]),
                };
                events.extend([
                    event(MessageOp::Send, proposer_of(k), acceptor(a), id.clone(), label.clone(), contents.clone()),
                    event(MessageOp::Deliver, proposer_of(k), acceptor(a), id, label, contents),
                    accepted(a, r, k, v, MessageOp::Send),
                ]);
                events
            }
            Action::Learn { r, v } => (0..self.n_a() as u8)
                .filter_map(|a| {
                    let code = self.accepted(s, a as usize, r as usize);
                    (code != 0 && self.accepted_value(code) == v as usize).then(|| accepted(a, r, self.accepted_proposal(code) - 1, v, MessageOp::Deliver))
                })
                .collect(),
            // A new attempt only raises the proposer's counter; nothing reads it (see the action).
            Action::IncrementAttempt { p, .. } => {
                vec![event(MessageOp::Timer, p as usize, p as usize, format!("attempt {p}"), "next attempt".into(), Vec::new())]
            }
        }
    }

    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }

    fn by_construction(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "TypeOK",
                "Every code is written only from what the actions enumerate in range (a proposal of the round, a value of Values, an attempt index whose next one exists), and a learned set has one bit per value.",
            ),
            ("Validity", "A round's learned set is a field of exactly one bit per value of Values, so it holds nothing but values, and any value may be proposed here."),
        ]
    }

    fn variables(&self) -> &'static [&'static str] {
        &["promised", "accepted", "proposerAttempt", "learned"]
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        let per_acceptor =
            |f: &dyn Fn(usize, usize) -> Value| int_fn(&self.acceptors, (0..self.n_a()).map(|a| int_fn(&self.rounds, (0..self.n_r()).map(|r| f(a, r)))));
        let promised = per_acceptor(&|a, r| self.proposal_value(r, self.promised(s, a, r)));
        let accepted = per_acceptor(&|a, r| {
            let code = self.accepted(s, a, r);
            let val = if code == 0 { Value::str("none") } else { self.value_value(self.accepted_value(code)) };
            Value::record([("prop", self.proposal_value(r, self.accepted_proposal(code))), ("val", val)])
        });
        let attempts = int_fn(
            &self.proposers,
            (0..self.n_p()).map(|p| int_fn(&self.rounds, (0..self.n_r()).map(|r| Value::Int(self.attempts[self.attempt(s, p, r) as usize])))),
        );
        let learned = int_fn(
            &self.rounds,
            (0..self.n_r()).map(|r| Value::set((0..self.n_v()).filter(|v| self.learned(s, r) & (1 << v) != 0).map(|v| self.value_value(v)))),
        );
        vec![promised, accepted, attempts, learned]
    }
}

/// A scenario the model's and the view's tests share: v2 is chosen at <<1, 0, 1>> by acceptors 1
/// and 2, then acceptors 2 and 3 promise <<1, 1, 2>>, a quorum that overlaps the one that chose v2.
#[cfg(test)]
pub(crate) const CHOSEN_THEN_NEW_QUORUM: &[&str] = &[
    "Promise(1, <<1, 0, 1>>)",
    "Promise(2, <<1, 0, 1>>)",
    "Accept(1, <<1, 0, 1>>, v2)",
    "Accept(2, <<1, 0, 1>>, v2)",
    "Learn(1, v2)",
    "Promise(2, <<1, 1, 2>>)",
    "Promise(3, <<1, 1, 2>>)",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::testing::{self, labels, step};

    fn model(config: &str) -> Paxos {
        testing::model(config)
    }

    #[test]
    fn proposals_order_by_attempt_then_proposer() {
        let m = model("safe");
        assert_eq!(m.per_round(), 6);
        assert_eq!(m.proposal(0), (0, 1));
        assert_eq!(m.proposal(1), (0, 2));
        assert_eq!(m.proposal(2), (1, 1));
        assert_eq!(m.proposal(5), (2, 2));
        assert_eq!(m.quorums().len(), 4); // {1,2} {1,3} {2,3} {1,2,3}
    }

    #[test]
    fn promise_accepts_any_proposal_not_below_the_current_one() {
        let m = model("safe");
        let s = step(&m, &m.init_states()[0], "Promise(1, <<1, 1, 2>>)");
        assert_eq!(m.promised(&s, 0, 0), 4);
        let ls = labels(&m, &s);
        assert!(ls.contains(&"Promise(1, <<1, 1, 2>>)".to_string()), "re-promising the same proposal is a stutter step");
        assert!(!ls.contains(&"Promise(1, <<1, 1, 1>>)".to_string()), "a lower proposal is refused");
        assert!(ls.contains(&"Promise(1, <<1, 2, 1>>)".to_string()));
    }

    #[test]
    fn accept_needs_a_quorum_that_promised_exactly_the_proposal() {
        let m = model("safe");
        let s = step(&m, &m.init_states()[0], "Promise(1, <<1, 0, 1>>)");
        assert!(!labels(&m, &s).iter().any(|l| l.starts_with("Accept")), "one promise is no quorum");
        let s = step(&m, &s, "Promise(2, <<1, 0, 1>>)");
        assert!(labels(&m, &s).contains(&"Accept(1, <<1, 0, 1>>, v1)".to_string()));
        assert!(labels(&m, &s).contains(&"Accept(2, <<1, 0, 1>>, v2)".to_string()));
        let s = step(&m, &s, "Accept(1, <<1, 0, 1>>, v2)");
        assert_eq!(m.accepted_value(m.accepted(&s, 0, 0)), 1);
        // Nobody may now accept the same proposal with another value.
        assert!(!labels(&m, &s).contains(&"Accept(2, <<1, 0, 1>>, v1)".to_string()));
        let s = step(&m, &s, "Accept(2, <<1, 0, 1>>, v2)");
        assert!(labels(&m, &s).contains(&"Learn(1, v2)".to_string()));
        let s = step(&m, &s, "Learn(1, v2)");
        assert_eq!(m.learned(&s, 0), 0b10);
    }

    /// v2 chosen at <<1,0,1>> by acceptors 1 and 2; then acceptors 2 and 3 promise <<1,1,2>>.
    fn chosen_then_new_quorum(m: &Paxos) -> State {
        testing::run(m, m.init_states()[0], CHOSEN_THEN_NEW_QUORUM)
    }

    #[test]
    fn safe_carries_the_accepted_value_forward() {
        let m = model("safe");
        let s = chosen_then_new_quorum(&m);
        let ls = labels(&m, &s);
        assert!(ls.contains(&"Accept(3, <<1, 1, 2>>, v2)".to_string()));
        assert!(!ls.contains(&"Accept(3, <<1, 1, 2>>, v1)".to_string()), "quorum {{2,3}} contains 2 which accepted v2");
    }

    #[test]
    fn ignore_accepted_lets_a_second_value_be_chosen() {
        let m = model("ignore-accepted");
        let mut s = chosen_then_new_quorum(&m);
        for l in ["Accept(3, <<1, 1, 2>>, v1)", "Accept(2, <<1, 1, 2>>, v1)", "Learn(1, v1)"] {
            s = step(&m, &s, l);
        }
        assert_eq!(m.learned(&s, 0), 0b11);
        assert!(!m.agreement(&s));
        assert!(m.promise_integrity(&s) && m.consistency(&s));
    }

    #[test]
    fn attempts_rise_until_the_last() {
        let m = model("safe");
        let mut s = m.init_states()[0];
        s = step(&m, &s, "IncrementAttempt(2, 1)");
        s = step(&m, &s, "IncrementAttempt(2, 1)");
        assert_eq!(m.attempt(&s, 1, 0), 2);
        assert!(!labels(&m, &s).contains(&"IncrementAttempt(2, 1)".to_string()));
    }

    #[test]
    fn attempts_rise_by_one_not_to_the_next_element() {
        // The twin (and the seed) require proposerAttempt + 1 \in Attempts.
        let build = |attempts: &str| {
            let info = Paxos::info();
            let c = Constants::build(&info.constants, &[("Attempts".into(), attempts.into())]).unwrap();
            Paxos::build(info.config("safe").unwrap(), &c).unwrap()
        };
        let m = build("{0, 2}");
        let s = m.init_states()[0];
        assert!(!labels(&m, &s).iter().any(|l| l.starts_with("IncrementAttempt")), "0 + 1 is not in {{0, 2}}");
        assert!(labels(&m, &s).contains(&"Promise(1, <<1, 2, 1>>)".to_string()), "attempt 2 is still a proposal");
        let m = build("{0, 1, 3}");
        let s = step(&m, &m.init_states()[0], "IncrementAttempt(1, 1)");
        assert_eq!(m.attempts[m.attempt(&s, 0, 0) as usize], 1);
        assert_eq!(m.to_tla(&s)[2].to_string(), "<<<<1>>, <<0>>>>");
        assert!(!labels(&m, &s).contains(&"IncrementAttempt(1, 1)".to_string()), "1 + 1 is not in {{0, 1, 3}}");
        assert!(labels(&m, &s).contains(&"IncrementAttempt(2, 1)".to_string()));
        assert!(m.type_ok(&s));
    }

    #[test]
    fn prints_like_the_twin() {
        let m = model("safe");
        let v = m.to_tla(&m.init_states()[0]);
        assert_eq!(v[0].to_string(), "<<<<<<0, 0, 0>>>>, <<<<0, 0, 0>>>>, <<<<0, 0, 0>>>>>>");
        assert_eq!(v[1].to_string().matches("[prop |-> <<0, 0, 0>>, val |-> \"none\"]").count(), 3);
        assert_eq!(v[2].to_string(), "<<<<0>>, <<0>>>>");
        assert_eq!(v[3].to_string(), "<<{}>>");
    }

    /// Every reachable state of `m`, breadth-first from Init, with what `actions` + `next_state`
    /// give there: (states, enabled actions summed over them, a digest of every state's successors
    /// in order). The digest changes if any successor changes or moves.
    fn walk(m: &Paxos) -> (usize, usize, u64) {
        let mut seen: std::collections::HashSet<State> = m.init_states().into_iter().collect();
        let mut queue: std::collections::VecDeque<State> = m.init_states().into();
        let (mut enabled, mut digest, mut actions) = (0usize, 0xcbf2_9ce4_8422_2325u64, Vec::new());
        while let Some(s) = queue.pop_front() {
            actions.clear();
            m.actions(&s, &mut actions);
            for a in &actions {
                let Some(t) = m.next_state(&s, a) else { continue };
                enabled += 1;
                for w in t.words {
                    digest = (digest ^ w).wrapping_mul(0x0100_0000_01b3);
                }
                if seen.insert(t) {
                    queue.push_back(t);
                }
            }
        }
        (seen.len(), enabled, digest)
    }

    /// `next` + `take` give exactly the successors, in exactly the order, the model gave before it
    /// was split into one function per action (figures measured on that version): the conformance
    /// runs against TLC depend on the order.
    #[test]
    fn successors_are_unchanged_on_whole_spaces() {
        let build = |config: &str, attempts: &str| {
            let info = Paxos::info();
            let c = Constants::build(&info.constants, &[("Attempts".into(), attempts.into())]).unwrap();
            Paxos::build(info.config(config).unwrap(), &c).unwrap()
        };
        assert_eq!(walk(&build("safe", "{0, 1}")), (49716, 452356, 1951773675389702821));
        assert_eq!(walk(&build("ignore-accepted", "{0, 1}")), (95604, 902548, 6668524882443071829));
        assert_eq!(walk(&build("safe", "{0, 2}")), (12429, 100660, 2432174999196429643));
    }

    /// Every action of `m`'s action space, in `next`'s order (its loops, outer first).
    fn every_action(m: &Paxos) -> Vec<Action> {
        let (n_a, n_r, per_round, n_v) = (m.n_a() as u8, m.n_r() as u8, m.per_round() as u8, m.n_v() as u8);
        let mut all = Vec::new();
        for a in 0..n_a {
            for r in 0..n_r {
                for k in 0..per_round {
                    all.push(Action::Promise { a, r, k });
                }
            }
        }
        for a in 0..n_a {
            for r in 0..n_r {
                for k in 0..per_round {
                    for v in 0..n_v {
                        all.push(Action::Accept { a, r, k, v });
                    }
                }
            }
        }
        for r in 0..n_r {
            for v in 0..n_v {
                all.push(Action::Learn { r, v });
            }
        }
        for p in 0..m.n_p() as u8 {
            for r in 0..n_r {
                all.push(Action::IncrementAttempt { p, r });
            }
        }
        all
    }

    /// What `take`'s `debug_assert` checks, and more, at `s`: `next` lists exactly the actions
    /// whose own function (`step`, with a fresh round view) enables them, in `next`'s order, each
    /// with the successor that function computes. The release test command compiles the
    /// `debug_assert` out, so this is what checks the per-action functions there.
    fn cross_check(m: &Paxos, all: &[Action], s: &State) -> Vec<Candidate> {
        let mut listed = Vec::new();
        m.next(s, &mut listed);
        let by_function: Vec<Candidate> = all.iter().filter_map(|a| m.step(s, a).map(|next| Candidate { action: *a, next })).collect();
        assert_eq!(listed, by_function, "next and the per-action functions disagree at {s:?}");
        listed
    }

    fn build_with(config: &str, overrides: &[(&str, &str)]) -> Paxos {
        let info = Paxos::info();
        let pairs: Vec<(String, String)> = overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let c = Constants::build(&info.constants, &pairs).unwrap();
        Paxos::build(info.config(config).unwrap(), &c).unwrap()
    }

    /// The cross-check on every reachable state of every config, with constants small enough to
    /// explore whole (the defaults' 879,129 states of `safe` would take the test command seconds),
    /// and along seeded random walks with the defaults and with larger sets.
    #[test]
    #[cfg_attr(debug_assertions, ignore = "slow in a debug build, where take's debug_assert makes the same check on every step anyway")]
    fn next_agrees_with_each_actions_own_function_on_reachable_states() {
        use rand::{Rng, SeedableRng};
        let configs: Vec<&str> = Paxos::info().configs.iter().map(|c| c.name).collect();
        assert_eq!(configs, ["safe", "ignore-accepted"]);
        for config in &configs {
            for attempts in ["{0, 1}", "{0, 2}"] {
                let m = build_with(config, &[("Attempts", attempts)]);
                let all = every_action(&m);
                let mut seen: std::collections::HashSet<State> = m.init_states().into_iter().collect();
                let mut queue: std::collections::VecDeque<State> = m.init_states().into();
                let mut checked = 0usize;
                while let Some(s) = queue.pop_front() {
                    for c in cross_check(&m, &all, &s) {
                        if seen.insert(c.next) {
                            queue.push_back(c.next);
                        }
                    }
                    checked += 1;
                }
                // The whole space was visited (the figures `successors_are_unchanged_on_whole_spaces` pins).
                let expected = match (*config, attempts) {
                    ("safe", "{0, 1}") => 49716,
                    ("ignore-accepted", "{0, 1}") => 95604,
                    ("safe", "{0, 2}") => 12429,
                    ("ignore-accepted", "{0, 2}") => 23901,
                    other => unreachable!("no figure for {other:?}"),
                };
                assert_eq!(checked, expected, "{config} with Attempts = {attempts}");
            }
            for overrides in
                [&[][..], &[("Rounds", "{1, 2}")][..], &[("Values", "{v1, v2, v3}"), ("Proposers", "{1, 2, 3}")][..], &[("Acceptors", "{1, 2, 3, 4, 5}")][..]]
            {
                let m = build_with(config, overrides);
                let all = every_action(&m);
                let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20);
                let mut steps = 0usize;
                for _ in 0..200 {
                    let mut s = m.init_states()[0];
                    for _ in 0..80 {
                        let listed = cross_check(&m, &all, &s);
                        if listed.is_empty() {
                            break;
                        }
                        s = listed[rng.gen_range(0..listed.len())].next;
                        steps += 1;
                    }
                }
                assert!(steps > 200 * 10, "{config} {overrides:?}: walks of {steps} steps in all");
            }
        }
    }

    #[test]
    fn attempts_must_include_zero() {
        let info = Paxos::info();
        let c = Constants::build(&info.constants, &[("Attempts".into(), "{1, 2}".into())]).unwrap();
        let err = Paxos::build(info.config("safe").unwrap(), &c).err().expect("refused");
        assert!(err.contains("must include 0"), "{err}");
    }

    /// The message declarations pair up along long walks with five acceptors (where promises come
    /// after a proposal's first acceptance, and acceptors go back on promises): every promise is
    /// delivered at most once, after it was sent, and only at the first acceptance of its
    /// proposal; no promise is read after a higher proposal was accepted.
    #[test]
    fn promises_reach_their_proposer_once_at_the_first_acceptance() {
        use crate::engine::{random_walk_with, WalkOptions};
        use std::collections::HashMap;
        let five = [("Acceptors".to_string(), "{1, 2, 3, 4, 5}".to_string())];
        for (config, overrides) in [("ignore-accepted", &five[..]), ("safe", &five[..]), ("ignore-accepted", &[][..])] {
            let m = crate::catalogue::build("paxos", config, overrides).unwrap();
            let (mut delivered, mut first_reads) = (0, 0);
            for seed in 0..200 {
                let walk = random_walk_with(m.as_ref(), seed, 60, WalkOptions { stop_on_violation: false, skip_stutter: true });
                let mut copies: HashMap<String, i32> = HashMap::new();
                for pair in walk.trace.steps.windows(2) {
                    let label = pair[1].action.as_deref().unwrap();
                    let events = m.messages(&pair[0].state, label);
                    let promises = events.iter().filter(|e| e.op == MessageOp::Deliver && e.label.starts_with("promise")).count();
                    if promises > 0 {
                        assert!(label.starts_with("Accept"), "{config} seed {seed}: {label} delivers promises");
                        first_reads += 1;
                    }
                    for e in events {
                        let n = copies.entry(e.id.clone()).or_insert(0);
                        match e.op {
                            MessageOp::Send => {
                                assert_eq!(*n, 0, "{config} seed {seed}: {label}: {} sent twice", e.id);
                                *n = 1;
                            }
                            MessageOp::Deliver => {
                                assert_eq!(*n, 1, "{config} seed {seed}: {label}: {} delivered while not in flight", e.id);
                                *n = 0;
                                delivered += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            assert!(delivered > 0 && first_reads > 0, "{config}: the walks deliver nothing");
        }
    }
}
