//! `{{crate}}`: a lock for two processes, the skeleton `pex new` writes. Twin:
//! `tla/{{crate}}/{{Type}}.tla`. Rewrite the two together, action for action.
//!
//! A process takes the lock if it is free (test and set in one step), enters the critical section,
//! and releases the lock when it leaves; at most `MaxEntries` entries in all. The claim:
//! `MutualExclusion`, never both in the critical section.
//!
//! Configurations: `safe`; `{{gap}}` (Test sees the lock free and Acquire sets it in a later
//! step, so both can see it free: MutualExclusion fails).
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the invariants, then
//! TLC's plumbing (TLA+ values).

use pex::catalogue::Catalogue;
use pex::engine::{Checks, ConfigSpec, ConstKind, ConstSpec, Constants, Model, ModelDef, ModelInfo, Value};

/// This crate's catalogue: its one model, drawn by the generic "Variables" view. With
/// `.with_view::<M>()` instead, a model that implements `pex::explorer::views::View` draws its own
/// picture; `.and(Catalogue::builtin())` lists Protocol Explorer's own models after it.
pub fn catalogue() -> Catalogue {
    Catalogue::new().with::<{{Type}}>()
}

// ---- CONSTANTS ----

pub struct {{Type}} {
    pub max_entries: u32,
    /// `Atomic` in the twin: FALSE in the `{{gap}}` gap.
    pub atomic: bool,
    /// What the config checks (its invariants; action properties and a FairSpec go here too).
    checks: Checks<{{Type}}>,
}

impl ModelDef for {{Type}} {
    const TWINS: &'static [&'static str] = &[include_str!("../tla/{{crate}}/{{Type}}.tla")];

    fn info() -> ModelInfo {
        ModelInfo {
            name: "{{crate}}",
            title: "{{crate}}: a lock for two processes",
            story: "Two processes share a critical section through one lock; tested and set in two steps, it lets both in.",
            source: "pex new (a skeleton to rewrite)",
            tla_module: "{{Type}}",
            constants: vec![ConstSpec {
                name: "MaxEntries",
                doc: "Entries to the critical section, in all.",
                kind: ConstKind::Int { min: 1, max: 10 },
                default: "3",
            }],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "The lock is tested and set in one step.",
                    expect: None,
                    tla_switches: &[("Atomic", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "{{gap}}",
                    summary: "Test sees the lock free and Acquire sets it in a later step: both processes see it free and enter. MutualExclusion fails.",
                    expect: Some("MutualExclusion"),
                    tla_switches: &[("Atomic", "FALSE")],
                    alters: &["Test", "Acquire"],
                },
            ],
            meanings: &[
                ("TypeOK", "The lock is a boolean, the entries stay within MaxEntries, and each process is at one of its labels."),
                ("MutualExclusion", "The two processes are never both in the critical section."),
                ("Test", "Only in the gap: the process sees the lock free."),
                ("Acquire", "The process takes the lock and enters the critical section."),
                ("Release", "The process leaves the critical section and releases the lock."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        Ok({{Type}} {
            max_entries: constants.int("MaxEntries") as u32,
            atomic: config.switch("Atomic"),
            checks: Checks::new().invariant("TypeOK", {{Type}}::type_ok).invariant("MutualExclusion", {{Type}}::mutual_exclusion),
        })
    }
}

// ---- VARIABLES ----

/// Where a process is: `pc[p]` in the twin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pc {
    Idle,
    /// Only in the gap: tested, about to set.
    Set,
    Cs,
}

impl Pc {
    pub fn name(self) -> &'static str {
        match self {
            Pc::Idle => "idle",
            Pc::Set => "set",
            Pc::Cs => "cs",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub locked: bool,
    pub entries: u32,
    pub pc: [Pc; 2],
}

impl {{Type}} {
    // ---- TypeOK ----

    fn type_ok(&self, s: &State) -> bool {
        s.entries <= self.max_entries
    }

    // ---- Init ----

    fn init(&self) -> State {
        State { locked: false, entries: 0, pc: [Pc::Idle, Pc::Idle] }
    }

    // ---- The actions of process p ----

    /// `Test(p)`: only in the gap, see the lock free; take it in a later step.
    fn test(&self, s: &State, p: usize) -> Option<State> {
        if self.atomic || s.pc[p] != Pc::Idle || s.locked {
            return None;
        }
        let mut t = s.clone();
        t.pc[p] = Pc::Set;
        Some(t)
    }

    /// `Acquire(p)`: take the lock and enter; test and set at once, or (the gap) set after Test.
    fn acquire(&self, s: &State, p: usize) -> Option<State> {
        let ready = if self.atomic { s.pc[p] == Pc::Idle && !s.locked } else { s.pc[p] == Pc::Set };
        if !(ready && s.entries < self.max_entries) {
            return None;
        }
        let mut t = s.clone();
        t.locked = true;
        t.entries = s.entries + 1;
        t.pc[p] = Pc::Cs;
        Some(t)
    }

    /// `Release(p)`: leave the critical section and release the lock.
    fn release(&self, s: &State, p: usize) -> Option<State> {
        if s.pc[p] != Pc::Cs {
            return None;
        }
        let mut t = s.clone();
        t.locked = false;
        t.pc[p] = Pc::Idle;
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s candidates: its disjuncts in order, each for process 0 then 1.
    fn next(&self, _s: &State, out: &mut Vec<Action>) {
        for family in [Action::Test, Action::Acquire, Action::Release] {
            out.extend([family(0), family(1)]);
        }
    }

    /// The successor by `action`, or `None` if it is not enabled.
    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::Test(p) => self.test(s, p),
            Action::Acquire(p) => self.acquire(s, p),
            Action::Release(p) => self.release(s, p),
        }
    }

    // ---- Invariants ----

    /// Never both in the critical section.
    fn mutual_exclusion(&self, s: &State) -> bool {
        !(s.pc[0] == Pc::Cs && s.pc[1] == Pc::Cs)
    }
}

/// An action of `Next`, with its process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Test(usize),
    Acquire(usize),
    Release(usize),
}

impl Action {
    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Test(_) => "Test",
            Action::Acquire(_) => "Acquire",
            Action::Release(_) => "Release",
        }
    }

    pub fn process(&self) -> usize {
        match *self {
            Action::Test(p) | Action::Acquire(p) | Action::Release(p) => p,
        }
    }
}

impl Model for {{Type}} {
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

    /// Test only where it can be enabled (the gap).
    fn action_names(&self) -> Vec<&'static str> {
        if self.atomic {
            vec!["Acquire", "Release"]
        } else {
            vec!["Test", "Acquire", "Release"]
        }
    }

    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }

    fn variables(&self) -> &'static [&'static str] {
        &["locked", "entries", "pc"]
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        let pc = Value::func((0..2).map(|p| (Value::Int(p as i64), Value::str(s.pc[p].name()))));
        vec![Value::Bool(s.locked), Value::Int(s.entries as i64), pc]
    }
}
