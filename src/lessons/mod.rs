//! Lessons as data: a guided walk through one model, written as a TOML file in `lessons/` (see
//! `lessons/README.md` for the format). A lesson names a model, a config, constants and a seed,
//! then an ordered list of steps, each an action to take (by label) or a condition to wait for
//! while the reader steps, with a caption, what to highlight and an optional question; then "try
//! it" challenges with hints and a solution.
//!
//! [`Lesson::parse`] reads a file (its shape only); [`Lesson::start`] builds the model through the
//! catalogue and replays the whole lesson against it, so a lesson that no longer fits its model
//! (a renamed action, a violation that moved) is refused with the file, the step and what is
//! wrong. The resulting [`LessonRun`] is what a player drives. Every lesson file is compiled into
//! the program ([`embedded`]): adding a lesson is adding one file.
//!
//! Web-free: compiled natively (the `pex lesson` commands, the tests) and into the app.

mod condition;
pub mod player;
mod run;
mod text;

pub use condition::{family_of, value_at, Condition, Moment, ValueIs};
pub use run::{Highlight, LessonRun};

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

// `EMBEDDED: &[(&str, &str)]`: (path, text) of every `lessons/*.toml`, sorted by path; generated
// by `build.rs`, so no list of lessons is kept by hand.
include!(concat!(env!("OUT_DIR"), "/embedded_lessons.rs"));

/// Every lesson compiled into the program, as (path such as `lessons/paxos.toml`, text).
pub fn embedded() -> &'static [(&'static str, &'static str)] {
    EMBEDDED
}

/// The embedded lesson named `name` (its file name without `.toml`), as (path, text).
pub fn find_embedded(name: &str) -> Option<(&'static str, &'static str)> {
    EMBEDDED.iter().copied().find(|(path, _)| lesson_name(path) == name)
}

/// A lesson's name: its file name without directory and `.toml` (`lessons/paxos.toml` → `paxos`).
pub fn lesson_name(path: &str) -> &str {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    file.strip_suffix(".toml").unwrap_or(file)
}

/// A lesson file larger than this is refused before it is parsed.
pub const MAX_LESSON_BYTES: usize = 256 * 1024;
/// Steps and challenges per lesson, and actions in the whole lesson (every step's action, every
/// wait's and every challenge's solution), at most: a lesson is read by people, and every action
/// is replayed when the lesson is checked, so the bound keeps a check's work bounded too.
pub const MAX_STEPS: usize = 200;
pub const MAX_CHALLENGES: usize = 20;
pub const MAX_ACTIONS: usize = 2000;

/// A lesson as written (see the module documentation and `lessons/README.md`).
#[derive(Clone, Debug)]
pub struct Lesson {
    /// The file it was read from (`lessons/paxos.toml`); error messages start with it.
    pub file: String,
    pub title: String,
    /// One sentence, for a list of lessons.
    pub summary: String,
    /// Markdown shown at the initial state, before the first step.
    pub intro: String,
    pub model: String,
    pub config: String,
    /// Constants overriding the model's defaults, as `pex --const` takes them (`MaxSeq` → `4`).
    pub constants: Vec<(String, String)>,
    /// The seed of random steps taken while the lesson is open.
    pub seed: u64,
    pub steps: Vec<Step>,
    pub challenges: Vec<Challenge>,
}

/// One step of the walk.
#[derive(Clone, Debug)]
pub struct Step {
    pub kind: StepKind,
    /// Markdown, shown once the step has been taken (or its condition reached).
    pub caption: String,
    /// What the view should emphasise: property names and inspector paths (see [`Highlight`]).
    pub highlight: Vec<String>,
    pub question: Option<String>,
    pub answer: Option<String>,
    /// The invariants or action properties that first fail at the end of this step; the checker
    /// of lessons insists that a property first fails exactly at a step that says so.
    pub breaks: Vec<String>,
    /// The reader may take any action during this step (`free = true`); otherwise a `do` step
    /// holds the explorer to its own action until it is taken, and to nothing after (Next goes
    /// on). A `wait` step is always free: the reader steps towards its condition.
    pub free: bool,
}

#[derive(Clone, Debug)]
pub enum StepKind {
    /// Take the enabled action with this label.
    Take(String),
    /// The reader steps until the condition holds; `solution` is one way to get there, replayed
    /// when the lesson is checked (and by a player's "show me").
    Wait { until: Condition, solution: Vec<String> },
}

/// A "try it" challenge: reach a state where `goal` holds, starting at the end of lesson step
/// `from_step` (0: the initial state).
#[derive(Clone, Debug)]
pub struct Challenge {
    pub prompt: String,
    pub goal: Condition,
    pub from_step: usize,
    pub hints: Vec<String>,
    /// Actions from the start that reach the goal: the proof that the challenge can be solved.
    pub solution: Vec<String>,
}

/// A lesson that cannot be read or does not fit its model: the file, where in it, and what is
/// wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    pub file: String,
    pub at: Place,
    pub message: String,
}

/// Where in a lesson file a problem is. Steps and challenges count from 1, as a reader of the
/// file counts its `[[steps]]` and `[[challenges]]` tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The file as a whole (its size, its model, config or constants).
    File,
    /// A position in the text (1-based line and column): a TOML syntax or shape error.
    Text {
        line: usize,
        column: usize,
    },
    Step(usize),
    Challenge(usize),
}

impl LessonError {
    /// For a mistake in the text: (line, that line of `text`, column), to show the line with a
    /// caret under the column. The line is cut to 200 characters around the column.
    pub fn excerpt(&self, text: &str) -> Option<(usize, String, usize)> {
        let Place::Text { line, column } = self.at else { return None };
        let whole = text.lines().nth(line.checked_sub(1)?)?;
        let chars: Vec<char> = whole.chars().filter(|c| *c != '\r').collect();
        let from = column.saturating_sub(100).min(chars.len());
        let shown: String = chars[from..].iter().take(200).collect();
        Some((line, shown, column - from.min(column.saturating_sub(1))))
    }
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Place::File => write!(f, "{}: {}", self.file, self.message),
            Place::Text { line, column } => write!(f, "{}: line {line}, column {column}: {}", self.file, self.message),
            Place::Step(n) => write!(f, "{}: step {n}: {}", self.file, self.message),
            Place::Challenge(n) => write!(f, "{}: challenge {n}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for LessonError {}

/// The file's shape, as serde reads it; [`Lesson::parse`] turns it into a [`Lesson`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonFile {
    title: String,
    summary: String,
    intro: String,
    model: String,
    config: String,
    #[serde(default)]
    constants: BTreeMap<String, ConstantText>,
    #[serde(default)]
    seed: u64,
    #[serde(default)]
    steps: Vec<StepFile>,
    #[serde(default)]
    challenges: Vec<ChallengeFile>,
}

/// A constant's value: a number (`MaxSeq = 4`), text as `--const` takes it (`Nodes = "{n1, n2}"`)
/// or a list standing for a set (`Sizes = [1, 2]` is `{1, 2}`).
#[derive(Deserialize)]
#[serde(untagged, expecting = "expected a number, a text as --const takes it (\"{n1, n2}\") or a list of numbers or names")]
enum ConstantText {
    Int(i64),
    Text(String),
    List(Vec<ConstantItem>),
}

#[derive(Deserialize)]
#[serde(untagged, expecting = "expected a number or a name")]
enum ConstantItem {
    Int(i64),
    Text(String),
}

impl ConstantText {
    fn into_text(self) -> String {
        match self {
            ConstantText::Int(n) => n.to_string(),
            ConstantText::Text(t) => t,
            ConstantText::List(items) => {
                let items: Vec<String> = items
                    .into_iter()
                    .map(|i| match i {
                        ConstantItem::Int(n) => n.to_string(),
                        ConstantItem::Text(t) => t,
                    })
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFile {
    #[serde(rename = "do")]
    take: Option<String>,
    wait: Option<Condition>,
    solution: Option<Vec<String>>,
    caption: String,
    #[serde(default)]
    highlight: Vec<String>,
    question: Option<String>,
    answer: Option<String>,
    breaks: Option<OneOrMany>,
    free: Option<bool>,
}

/// `breaks = "Agreement"` or `breaks = ["A", "B"]`.
#[derive(Deserialize)]
#[serde(untagged, expecting = "expected a property name or a list of them")]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChallengeFile {
    prompt: String,
    goal: Condition,
    #[serde(default)]
    from_step: usize,
    #[serde(default)]
    hints: Vec<String>,
    solution: Vec<String>,
}

impl Lesson {
    /// Reads a lesson's text: TOML syntax, known keys, each step either `do` or `wait` (with a
    /// `solution`), at least one step, a hint per challenge. Whether it fits its model is
    /// [`Lesson::start`]'s job.
    pub fn parse(file: &str, text: &str) -> Result<Lesson, LessonError> {
        let fail = |at: Place, message: String| LessonError { file: file.to_string(), at, message };
        if text.len() > MAX_LESSON_BYTES {
            return Err(fail(Place::File, format!("{} bytes; a lesson file may hold at most {MAX_LESSON_BYTES}", text.len())));
        }
        let raw: LessonFile = toml::from_str(text).map_err(|e| {
            let at = match e.span() {
                Some(span) => {
                    // A span inside a multi-byte character (never seen, but cheap to rule out)
                    // is moved back to the character's start rather than slicing through it.
                    let mut start = span.start.min(text.len());
                    while !text.is_char_boundary(start) {
                        start -= 1;
                    }
                    let before = &text[..start];
                    let line = before.matches('\n').count() + 1;
                    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    Place::Text { line, column }
                }
                None => Place::File,
            };
            // toml's message, without its own rendering of the file's line (we give line and column).
            fail(at, e.message().trim().to_string())
        })?;
        if raw.steps.is_empty() {
            return Err(fail(Place::File, "a lesson needs at least one [[steps]]".to_string()));
        }
        if raw.steps.len() > MAX_STEPS {
            return Err(fail(Place::File, format!("{} steps; a lesson may have at most {MAX_STEPS}", raw.steps.len())));
        }
        if raw.challenges.len() > MAX_CHALLENGES {
            return Err(fail(Place::File, format!("{} challenges; a lesson may have at most {MAX_CHALLENGES}", raw.challenges.len())));
        }
        let mut steps = Vec::with_capacity(raw.steps.len());
        for (i, s) in raw.steps.into_iter().enumerate() {
            let at = Place::Step(i + 1);
            let kind = match (s.take, s.wait, s.solution) {
                (Some(label), None, None) => StepKind::Take(label),
                (None, Some(until), Some(solution)) => {
                    if solution.is_empty() {
                        return Err(fail(at, "a wait step's solution is empty: list the actions that reach its condition".to_string()));
                    }
                    StepKind::Wait { until, solution }
                }
                (None, Some(_), None) => return Err(fail(at, "a wait step needs a solution: the actions that reach its condition".to_string())),
                (Some(_), None, Some(_)) => return Err(fail(at, "a do step takes one action; solution belongs to wait steps".to_string())),
                (Some(_), Some(_), _) => return Err(fail(at, "a step has either do (an action to take) or wait (a condition), not both".to_string())),
                (None, None, _) => return Err(fail(at, "a step needs do (an action to take) or wait (a condition to reach)".to_string())),
            };
            if s.answer.is_some() && s.question.is_none() {
                return Err(fail(at, "an answer without a question".to_string()));
            }
            let waits = matches!(kind, StepKind::Wait { .. });
            if waits && s.free == Some(false) {
                return Err(fail(at, "a wait step cannot be locked (free = false): the reader steps towards its condition".to_string()));
            }
            steps.push(Step {
                kind,
                caption: s.caption,
                highlight: s.highlight,
                question: s.question,
                answer: s.answer,
                breaks: s.breaks.map(OneOrMany::into_vec).unwrap_or_default(),
                free: s.free.unwrap_or(waits),
            });
        }
        let mut challenges = Vec::with_capacity(raw.challenges.len());
        for (i, c) in raw.challenges.into_iter().enumerate() {
            let at = Place::Challenge(i + 1);
            if c.hints.is_empty() {
                return Err(fail(at, "a challenge needs at least one hint".to_string()));
            }
            if c.solution.is_empty() {
                return Err(fail(at, "the solution is empty: list the actions that reach the goal".to_string()));
            }
            if c.from_step > steps.len() {
                return Err(fail(at, format!("from_step = {}, but the lesson has {} steps", c.from_step, steps.len())));
            }
            challenges.push(Challenge { prompt: c.prompt, goal: c.goal, from_step: c.from_step, hints: c.hints, solution: c.solution });
        }
        let actions: usize = steps
            .iter()
            .map(|s: &Step| match &s.kind {
                StepKind::Take(_) => 1,
                StepKind::Wait { solution, .. } => solution.len(),
            })
            .sum::<usize>()
            + challenges.iter().map(|c: &Challenge| c.solution.len()).sum::<usize>();
        if actions > MAX_ACTIONS {
            return Err(fail(Place::File, format!("{actions} actions in steps and solutions; a lesson may have at most {MAX_ACTIONS}")));
        }
        let constants = raw.constants.into_iter().map(|(k, v)| (k, v.into_text())).collect();
        Ok(Lesson {
            file: file.to_string(),
            title: raw.title,
            summary: raw.summary,
            intro: raw.intro,
            model: raw.model,
            config: raw.config,
            constants,
            seed: raw.seed,
            steps,
            challenges,
        })
    }

    /// The lesson's name (its file name without `.toml`).
    pub fn name(&self) -> &str {
        lesson_name(&self.file)
    }
}

/// Reads and checks a lesson in one go: [`Lesson::parse`], then [`Lesson::start`].
pub fn load(file: &str, text: &str) -> Result<LessonRun, LessonError> {
    load_in(crate::catalogue::builtin(), file, text)
}

/// [`load`] against the models of `catalogue`.
pub fn load_in(catalogue: &crate::catalogue::Catalogue, file: &str, text: &str) -> Result<LessonRun, LessonError> {
    Lesson::parse(file, text)?.start(catalogue)
}
