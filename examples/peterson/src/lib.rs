//! `peterson`: Peterson's mutual exclusion for two processes, a model of its own outside
//! Protocol Explorer's catalogue, built with its public API only. Twin: `tla/peterson/Peterson.tla`.
//!
//! A process that wants the critical section raises its flag, gives the turn to the other, and
//! waits until the other's flag is down or the turn is its own; it leaves by lowering its flag.
//! The claim: `MutualExclusion`, never both in the critical section.
//!
//! Configurations: `safe`; `flag-after-check` (the naive two-flag protocol: no turn, and a process
//! checks the other's flag before raising its own, so both can pass the check: MutualExclusion
//! fails); `progress` (liveness: under weak fairness on each process's steps after it raised its
//! flag, a waiting process enters: Progress0 and Progress1 hold).
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the invariants, then
//! TLC's plumbing (TLA+ values).

use pex::catalogue::Catalogue;
use pex::engine::{Checks, ConfigSpec, Constants, FairSpec, Fairness, FairnessKind, LivenessProperty, Model, ModelDef, ModelInfo, Temporal, Value};

/// This crate's catalogue: its one model, drawn by the generic "Variables" view. To list it beside
/// Protocol Explorer's own models, add them: `Catalogue::new().with::<Peterson>().and(Catalogue::builtin())`.
pub fn catalogue() -> Catalogue {
    Catalogue::new().with::<Peterson>()
}

// ---- CONSTANTS ----

pub struct Peterson {
    /// `UseTurn` in the twin: FALSE in the `flag-after-check` gap.
    pub use_turn: bool,
    /// What the config checks: its invariants and, for `progress`, its fairness and temporal
    /// properties.
    checks: Checks<Peterson>,
}

impl ModelDef for Peterson {
    const TWINS: &'static [&'static str] = &[include_str!("../tla/peterson/Peterson.tla")];

    fn info() -> ModelInfo {
        ModelInfo {
            name: "peterson",
            title: "Peterson's mutual exclusion",
            story: "Two processes share one critical section with two flags and a turn; without the turn, and checking before flagging, both get in.",
            source: "G. L. Peterson, Myths About the Mutual Exclusion Problem (1981)",
            tla_module: "Peterson",
            constants: vec![],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "Peterson's algorithm: raise the flag, give the turn away, wait for the other's flag to drop or the turn to come back.",
                    expect: None,
                    tla_switches: &[("UseTurn", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "flag-after-check",
                    summary:
                        "No turn, and a process checks the other's flag before raising its own: both pass the check, then both enter. MutualExclusion fails.",
                    expect: Some("MutualExclusion"),
                    tla_switches: &[("UseTurn", "FALSE")],
                    alters: &["Check", "SetFlag"],
                },
                ConfigSpec {
                    name: "progress",
                    summary: "Liveness: with weak fairness on each process's steps after it raised its flag, a waiting process eventually enters.",
                    expect: None,
                    tla_switches: &[("UseTurn", "TRUE")],
                    alters: &[],
                },
            ],
            meanings: &[
                ("TypeOK", "Each flag is a boolean, the turn is a process, and each process is at one of its labels."),
                ("MutualExclusion", "The two processes are never both in the critical section."),
                ("Progress0", "Process 0, once waiting, eventually enters the critical section."),
                ("Progress1", "Process 1, once waiting, eventually enters the critical section."),
                ("Check", "Only in the gap: the process sees the other's flag down and goes on to raise its own."),
                ("SetFlag", "The process raises its flag: it wants the critical section (in the gap, it enters with it)."),
                ("SetTurn", "The process gives the turn to the other."),
                ("Enter", "The process enters the critical section: the other's flag is down, or the turn is its own."),
                ("Exit", "The process leaves the critical section and lowers its flag."),
            ],
        }
    }

    fn build(config: &ConfigSpec, _constants: &Constants) -> Result<Self, String> {
        Ok(Peterson {
            use_turn: config.switch("UseTurn"),
            checks: Checks::new().invariant("TypeOK", Peterson::type_ok).invariant("MutualExclusion", Peterson::mutual_exclusion).fair_spec(
                (config.name == "progress").then(|| FairSpec {
                    name: "FairSpec",
                    fairness: vec![Peterson::WF_EACH_PROCESS],
                    properties: vec![Peterson::PROGRESS_0, Peterson::PROGRESS_1],
                }),
            ),
        })
    }
}

// ---- VARIABLES ----

/// Where a process is in its loop: `pc[p]` in the twin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pc {
    Idle,
    SetTurn,
    Wait,
    /// Only in the gap: checked, about to raise the flag.
    SetFlag,
    Cs,
}

impl Pc {
    pub fn name(self) -> &'static str {
        match self {
            Pc::Idle => "idle",
            Pc::SetTurn => "set-turn",
            Pc::Wait => "wait",
            Pc::SetFlag => "set-flag",
            Pc::Cs => "cs",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// `flag[p]`: process p wants the critical section.
    pub flag: [bool; 2],
    /// Who goes first when both want it.
    pub turn: u8,
    pub pc: [Pc; 2],
}

/// `Other(p)`.
fn other(p: u8) -> usize {
    1 - p as usize
}

impl Peterson {
    // ---- TypeOK ----

    /// Holds by the state's types: two booleans, a turn in 0..1, two labels.
    fn type_ok(&self, s: &State) -> bool {
        s.turn <= 1
    }

    // ---- Init ----

    fn init(&self) -> State {
        State { flag: [false, false], turn: 0, pc: [Pc::Idle, Pc::Idle] }
    }

    // ---- The actions of process p ----

    /// `Check(p)`: only in the gap, look at the other's flag before raising one's own.
    fn check(&self, s: &State, p: u8) -> Option<State> {
        if self.use_turn || s.pc[p as usize] != Pc::Idle || s.flag[other(p)] {
            return None;
        }
        let mut t = s.clone();
        t.pc[p as usize] = Pc::SetFlag;
        Some(t)
    }

    /// `SetFlag(p)`: raise the flag, first (Peterson) or after the check (the gap, straight into cs).
    fn set_flag(&self, s: &State, p: u8) -> Option<State> {
        let from = if self.use_turn { Pc::Idle } else { Pc::SetFlag };
        if s.pc[p as usize] != from {
            return None;
        }
        let mut t = s.clone();
        t.flag[p as usize] = true;
        t.pc[p as usize] = if self.use_turn { Pc::SetTurn } else { Pc::Cs };
        Some(t)
    }

    /// `SetTurn(p)`: give the turn to the other process.
    fn set_turn(&self, s: &State, p: u8) -> Option<State> {
        if s.pc[p as usize] != Pc::SetTurn {
            return None;
        }
        let mut t = s.clone();
        t.turn = other(p) as u8;
        t.pc[p as usize] = Pc::Wait;
        Some(t)
    }

    /// `Enter(p)`: once the other does not want to, or it is p's turn.
    fn enter(&self, s: &State, p: u8) -> Option<State> {
        if !(s.pc[p as usize] == Pc::Wait && (!s.flag[other(p)] || s.turn == p)) {
            return None;
        }
        let mut t = s.clone();
        t.pc[p as usize] = Pc::Cs;
        Some(t)
    }

    /// `Exit(p)`: leave the critical section and lower the flag.
    fn exit(&self, s: &State, p: u8) -> Option<State> {
        if s.pc[p as usize] != Pc::Cs {
            return None;
        }
        let mut t = s.clone();
        t.flag[p as usize] = false;
        t.pc[p as usize] = Pc::Idle;
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s candidates: its disjuncts in order, each for process 0 then 1.
    fn next(&self, _s: &State, out: &mut Vec<Action>) {
        for family in [Action::Check, Action::SetFlag, Action::SetTurn, Action::Enter, Action::Exit] {
            out.extend([family(0), family(1)]);
        }
    }

    /// The successor by `action`, or `None` if it is not enabled.
    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::Check(p) => self.check(s, p),
            Action::SetFlag(p) => self.set_flag(s, p),
            Action::SetTurn(p) => self.set_turn(s, p),
            Action::Enter(p) => self.enter(s, p),
            Action::Exit(p) => self.exit(s, p),
        }
    }

    // ---- Invariants ----

    /// Never both in the critical section.
    fn mutual_exclusion(&self, s: &State) -> bool {
        !(s.pc[0] == Pc::Cs && s.pc[1] == Pc::Cs)
    }

    // ---- Liveness ----

    /// `Progress0 == pc[0] = "wait" ~> pc[0] = "cs"`.
    const PROGRESS_0: LivenessProperty<Peterson> =
        LivenessProperty { name: "Progress0", kind: Temporal::LeadsTo, p: |_, s| s.pc[0] == Pc::Wait, q: Some(|_, s| s.pc[0] == Pc::Cs) };
    /// `Progress1 == pc[1] = "wait" ~> pc[1] = "cs"`.
    const PROGRESS_1: LivenessProperty<Peterson> =
        LivenessProperty { name: "Progress1", kind: Temporal::LeadsTo, p: |_, s| s.pc[1] == Pc::Wait, q: Some(|_, s| s.pc[1] == Pc::Cs) };

    // ---- Fairness ----

    /// `\A p \in Procs : WF_vars(Steps(p))`, `Steps(p) == SetTurn(p) \/ Enter(p) \/ Exit(p)`.
    const WF_EACH_PROCESS: Fairness<Peterson> = Fairness {
        kind: FairnessKind::Weak,
        name: "\\A p \\in Procs : WF_vars(Steps(p))",
        instance: |_, a| match *a {
            Action::SetTurn(p) | Action::Enter(p) | Action::Exit(p) => Some(p as u32),
            Action::Check(_) | Action::SetFlag(_) => None,
        },
    };
}

/// An action of `Next`, with its process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Check(u8),
    SetFlag(u8),
    SetTurn(u8),
    Enter(u8),
    Exit(u8),
}

impl Action {
    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Check(_) => "Check",
            Action::SetFlag(_) => "SetFlag",
            Action::SetTurn(_) => "SetTurn",
            Action::Enter(_) => "Enter",
            Action::Exit(_) => "Exit",
        }
    }

    pub fn process(&self) -> u8 {
        match *self {
            Action::Check(p) | Action::SetFlag(p) | Action::SetTurn(p) | Action::Enter(p) | Action::Exit(p) => p,
        }
    }
}

impl Model for Peterson {
    type State = State;
    type Action = Action;

    fn init_states(&self) -> Vec<State> {
        vec![self.init()]
    }

    fn actions(&self, s: &State, out: &mut Vec<Action>) {
        self.next(s, out)
    }

    fn next_state(&self, s: &State, action: &Action) -> Option<State> {
        self.take(s, action)
    }

    fn action_name(&self, action: &Action) -> &'static str {
        action.name()
    }

    fn action_label(&self, action: &Action) -> String {
        format!("{}({})", action.name(), action.process())
    }

    /// Check only where it can be enabled (the gap); SetTurn and Enter only where they can (safe).
    fn action_names(&self) -> Vec<&'static str> {
        if self.use_turn {
            vec!["SetFlag", "SetTurn", "Enter", "Exit"]
        } else {
            vec!["Check", "SetFlag", "Exit"]
        }
    }

    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }

    fn by_construction(&self) -> &'static [(&'static str, &'static str)] {
        &[("TypeOK", "The state is two booleans, a turn that every action sets to 0 or 1, and two labels.")]
    }

    fn variables(&self) -> &'static [&'static str] {
        &["flag", "turn", "pc"]
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        let per_process = |f: &dyn Fn(usize) -> Value| Value::func((0..2).map(|p| (Value::Int(p as i64), f(p))));
        vec![per_process(&|p| Value::Bool(s.flag[p])), Value::Int(s.turn as i64), per_process(&|p| Value::str(s.pc[p].name()))]
    }
}
