//! `paxos` written a second time, against Stateright: Multi-Paxos with signed proposals, from the
//! twin `tla/paxos/Paxos.tla` (not from `src/models/paxos.rs`, which packs the state into bits).
//! Written as a Stateright user would: proposals as `(round, attempt, proposer)` tuples, nested
//! `Vec`s indexed by acceptor (proposer) then round, the quorums as lists, a clone per successor.
//!
//! Same constants and semantics as our model, so the same distinct states. No symmetry (none is
//! declared for paxos, and the checker is never given `.symmetry()`).

use pex::engine::{ConfigSpec, Constants, ModelDef};
use stateright::{Model, Property};

/// `<<round, attempt, proposer>>`, ordered lexicographically (the derived tuple order).
pub type Proposal = (i64, i64, i64);
/// `NoProposal`, below every proposal (rounds and proposers start at 1).
pub const NO_PROPOSAL: Proposal = (0, 0, 0);

/// `[prop, val]`, or `None` for `NoAcceptance`.
pub type Acceptance = Option<(Proposal, usize)>;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// `promised[a][r]`.
    pub promised: Vec<Vec<Proposal>>,
    /// `accepted[a][r]`.
    pub accepted: Vec<Vec<Acceptance>>,
    /// `proposerAttempt[p][r]`.
    pub attempt: Vec<Vec<i64>>,
    /// `learned[r]`: a value index set, as a `Vec<bool>`.
    pub learned: Vec<Vec<bool>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Promise { a: usize, p: Proposal },
    Accept { a: usize, p: Proposal, v: usize },
    Learn { r: usize, v: usize },
    IncrementAttempt { p: usize, r: usize },
}

pub struct PaxosPeer {
    pub proposers: Vec<i64>,
    pub acceptors: usize,
    pub rounds: Vec<i64>,
    pub attempts: Vec<i64>,
    pub values: usize,
    pub respect_accepted: bool,
    /// `Quorums`: the majorities, as lists of acceptor indices.
    pub quorums: Vec<Vec<usize>>,
}

impl PaxosPeer {
    pub fn new(config: &ConfigSpec, constants: &Constants) -> PaxosPeer {
        let acceptors = constants.int_set("Acceptors").len();
        let quorums = (1usize..1 << acceptors)
            .filter(|q| q.count_ones() as usize * 2 > acceptors)
            .map(|q| (0..acceptors).filter(|a| q & (1 << a) != 0).collect())
            .collect();
        PaxosPeer {
            proposers: constants.int_set("Proposers"),
            acceptors,
            rounds: constants.int_set("Rounds"),
            attempts: constants.int_set("Attempts"),
            values: constants.names("Values").len(),
            respect_accepted: config.switch("RespectAccepted"),
            quorums,
        }
    }

    pub fn info() -> pex::engine::ModelInfo {
        pex::models::paxos::Paxos::info()
    }

    /// The index of round `p.0`.
    fn round(&self, p: Proposal) -> usize {
        self.rounds.iter().position(|&r| r == p.0).expect("a proposal's round is a round")
    }

    /// `Proposals == Rounds \X Attempts \X Proposers`, in that nesting.
    fn proposals(&self) -> impl Iterator<Item = Proposal> + '_ {
        self.rounds.iter().flat_map(move |&r| self.attempts.iter().flat_map(move |&t| self.proposers.iter().map(move |&p| (r, t, p))))
    }

    fn prop_of(acc: Acceptance) -> Proposal {
        acc.map(|(p, _)| p).unwrap_or(NO_PROPOSAL)
    }

    /// `ValueAllowed(Q, r, v)`.
    fn value_allowed(&self, s: &State, q: &[usize], r: usize, v: usize) -> bool {
        let taken: Vec<(Proposal, usize)> = q.iter().filter_map(|&b| s.accepted[b][r]).collect();
        !self.respect_accepted || taken.is_empty() || taken.iter().any(|&(tp, tv)| tv == v && taken.iter().all(|&(up, _)| tp >= up))
    }

    /// `QuorumsFor(r, p, v) # {}`.
    fn some_quorum_for(&self, s: &State, r: usize, p: Proposal, v: usize) -> bool {
        self.quorums.iter().any(|q| q.iter().all(|&b| s.promised[b][r] == p) && self.value_allowed(s, q, r, v))
    }

    /// `ChosenAt(r, t)`.
    fn chosen_at(&self, s: &State, r: usize, t: Acceptance) -> bool {
        self.quorums.iter().any(|q| q.iter().all(|&b| s.accepted[b][r] == t))
    }
}

impl Model for PaxosPeer {
    type State = State;
    type Action = Action;

    fn init_states(&self) -> Vec<State> {
        let nr = self.rounds.len();
        vec![State {
            promised: vec![vec![NO_PROPOSAL; nr]; self.acceptors],
            accepted: vec![vec![None; nr]; self.acceptors],
            attempt: vec![vec![0; nr]; self.proposers.len()],
            learned: vec![vec![false; self.values]; nr],
        }]
    }

    fn actions(&self, _: &State, actions: &mut Vec<Action>) {
        for a in 0..self.acceptors {
            actions.extend(self.proposals().map(|p| Action::Promise { a, p }));
        }
        for a in 0..self.acceptors {
            for p in self.proposals() {
                actions.extend((0..self.values).map(|v| Action::Accept { a, p, v }));
            }
        }
        for r in 0..self.rounds.len() {
            actions.extend((0..self.values).map(|v| Action::Learn { r, v }));
        }
        for p in 0..self.proposers.len() {
            actions.extend((0..self.rounds.len()).map(|r| Action::IncrementAttempt { p, r }));
        }
    }

    fn next_state(&self, s: &State, action: Action) -> Option<State> {
        match action {
            Action::Promise { a, p } => {
                let r = self.round(p);
                if p < s.promised[a][r] || p < Self::prop_of(s.accepted[a][r]) {
                    return None;
                }
                let mut t = s.clone();
                t.promised[a][r] = p;
                Some(t)
            }
            Action::Accept { a, p, v } => {
                let r = self.round(p);
                let guard = s.promised[a][r] == p
                    && p >= Self::prop_of(s.accepted[a][r])
                    && (0..self.acceptors).all(|b| s.accepted[b][r].is_none_or(|(bp, bv)| bp != p || bv == v))
                    && self.some_quorum_for(s, r, p, v);
                if !guard {
                    return None;
                }
                let mut t = s.clone();
                t.accepted[a][r] = Some((p, v));
                t.promised[a][r] = p;
                Some(t)
            }
            Action::Learn { r, v } => {
                let chosen = (0..self.acceptors).any(|b| matches!(s.accepted[b][r], Some((_, bv)) if bv == v) && self.chosen_at(s, r, s.accepted[b][r]));
                if !chosen {
                    return None;
                }
                let mut t = s.clone();
                t.learned[r][v] = true;
                Some(t)
            }
            Action::IncrementAttempt { p, r } => {
                let next = s.attempt[p][r] + 1;
                if !self.attempts.contains(&next) {
                    return None;
                }
                let mut t = s.clone();
                t.attempt[p][r] = next;
                Some(t)
            }
        }
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![
            Property::always("TypeOK", |m: &PaxosPeer, s: &State| {
                let proposal = |p: Proposal| m.proposals().any(|q| q == p);
                s.promised.iter().flatten().all(|&p| p == NO_PROPOSAL || proposal(p))
                    && s.accepted.iter().flatten().all(|acc| acc.is_none_or(|(p, v)| proposal(p) && v < m.values))
                    && s.attempt.iter().flatten().all(|t| m.attempts.contains(t))
            }),
            Property::always("Agreement", |_: &PaxosPeer, s: &State| s.learned.iter().all(|l| l.iter().filter(|&&b| b).count() <= 1)),
            // Learned values are value indices by construction of the state.
            Property::always("Validity", |m: &PaxosPeer, s: &State| s.learned.iter().all(|l| l.len() == m.values)),
            Property::always("Consistency", |m: &PaxosPeer, s: &State| {
                (0..m.rounds.len()).all(|r| {
                    let chosen: Vec<(Proposal, usize)> =
                        (0..m.acceptors).filter_map(|a| s.accepted[a][r].filter(|_| m.chosen_at(s, r, s.accepted[a][r]))).collect();
                    chosen.iter().all(|&(p1, v1)| chosen.iter().all(|&(p2, v2)| p1 >= p2 || v1 == v2))
                })
            }),
            Property::always("PromiseIntegrity", |m: &PaxosPeer, s: &State| {
                (0..m.acceptors).all(|a| (0..m.rounds.len()).all(|r| s.promised[a][r] >= Self::prop_of(s.accepted[a][r])))
            }),
        ]
    }
}
