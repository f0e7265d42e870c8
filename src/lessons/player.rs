//! A lesson as a reader plays it: where they are (the intro, a step, the challenges), whether the
//! step in front of them is done, which challenge is open, how many hints are shown and which
//! challenges are solved. Web-free: the app's lesson panel draws it and loads what it says into
//! the explorer; the reader's own steps come back through [`Player::observe`].

use super::{load_in, LessonError, LessonRun, StepKind};
use crate::catalogue::Catalogue;
use crate::engine::Session;
use crate::explorer::link::Link;
use std::sync::Arc;

/// Where the reader is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Intro,
    /// Lesson step `index` (from 0), done or still in front of the reader.
    Step {
        index: usize,
        done: bool,
    },
    /// The "try it" part: challenge `open` (if one is open), `hints` of its hints shown, and
    /// whether the reader asked to check it and it was not solved.
    Challenges {
        open: Option<usize>,
        hints: usize,
        not_yet: bool,
    },
}

/// A trace for the explorer to show: the lesson's walk (or a challenge's solution) as labels from
/// its initial state, the cursor at its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Load {
    pub init: usize,
    pub labels: Vec<String>,
}

/// Where a lesson came from. It names the lesson in a link (when a link can name it) and keys the
/// reader's kept progress, so two lessons of the same name from different places never share it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LessonSource {
    /// Compiled into the program (`lessons/<name>.toml`): `lesson=<name>` in a link.
    Builtin(String),
    /// Fetched from this absolute http(s) URL: `lesson-src=<url>` in a link or on an embed.
    Url(String),
    /// A file the reader opened or dropped on the page: its name and a digest of its text (a link
    /// cannot name a file on the reader's disk).
    File { name: String, digest: u64 },
    /// The lesson a host page wrote inside its `<protocol-explorer>` element: a digest of its text.
    Inline { digest: u64 },
}

impl LessonSource {
    /// The key of the reader's kept progress. A built-in lesson keeps the key it always had.
    pub fn progress_key(&self) -> String {
        match self {
            LessonSource::Builtin(name) => format!("pex-lesson-{name}"),
            LessonSource::Url(url) => format!("pex-lesson-url-{url}"),
            LessonSource::File { name, digest } => format!("pex-lesson-file-{digest:016x}-{name}"),
            LessonSource::Inline { digest } => format!("pex-lesson-inline-{digest:016x}"),
        }
    }

    /// The fragment keys that open this lesson again (`lesson=paxos`, `lesson-src=<encoded url>`);
    /// `None` for a file or an inline lesson, which a link cannot carry.
    pub fn fragment(&self) -> Option<String> {
        let encode = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
        match self {
            LessonSource::Builtin(name) => Some(format!("lesson={}", encode(name))),
            LessonSource::Url(url) => Some(format!("lesson-src={}", encode(url))),
            LessonSource::File { .. } | LessonSource::Inline { .. } => None,
        }
    }

    /// How error messages name the lesson: its file, URL or place.
    pub fn label(&self) -> String {
        match self {
            LessonSource::Builtin(name) => format!("lessons/{name}.toml"),
            LessonSource::Url(url) => url.clone(),
            LessonSource::File { name, .. } => name.clone(),
            LessonSource::Inline { .. } => "the lesson in this page".to_string(),
        }
    }
}

/// A digest of a lesson's text that is the same in every build and on every platform (FNV-1a,
/// 64 bits): it keys the progress of lessons that have no name of their own.
pub fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[derive(Clone)]
pub struct Player {
    /// Where the lesson came from: its link and the key of its progress.
    pub source: LessonSource,
    pub run: Arc<LessonRun>,
    pub place: Place,
    /// Challenges solved (kept with the progress).
    pub solved: Vec<bool>,
}

impl PartialEq for Player {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source && self.place == other.place && self.solved == other.solved
    }
}

impl Player {
    /// The catalogue's lesson named `name`, checked against its model.
    pub fn open(catalogue: &Catalogue, name: &str) -> Result<Player, String> {
        let (path, text) = catalogue.lesson(name).ok_or_else(|| {
            let known: Vec<&str> = catalogue.lessons().iter().map(|(p, _)| super::lesson_name(p)).collect();
            match known.is_empty() {
                true => format!("there is no lesson '{name}'; there are no lessons here"),
                false => format!("there is no lesson '{name}'; the lessons are {}", known.join(", ")),
            }
        })?;
        let run = load_in(catalogue, path, text).map_err(|e| e.to_string())?;
        Ok(Player::of(LessonSource::Builtin(name.to_string()), run))
    }

    /// A lesson's text from elsewhere (a URL, a file, a host page), checked against its model as
    /// `pex lesson check` checks it. The error says where in the text, for the reader to fix.
    pub fn from_text(catalogue: &Catalogue, source: LessonSource, text: &str) -> Result<Player, LessonError> {
        let run = load_in(catalogue, &source.label(), text)?;
        Ok(Player::of(source, run))
    }

    fn of(source: LessonSource, run: LessonRun) -> Player {
        let solved = vec![false; run.lesson().challenges.len()];
        Player { source, run: Arc::new(run), place: Place::Intro, solved }
    }

    /// The link that opens the lesson's model, config, constants and seed at the initial state.
    pub fn link(&self) -> Link {
        let l = self.run.lesson();
        Link { model: l.model.clone(), config: l.config.clone(), constants: l.constants.clone(), seed: l.seed, ..Link::default() }
    }

    pub fn steps(&self) -> usize {
        self.run.lesson().steps.len()
    }

    /// The walk up to walk index `end`.
    fn walk_to(&self, end: usize) -> Load {
        let walk = self.run.walk();
        Load { init: walk.init_index, labels: walk.labels()[..end].to_vec() }
    }

    /// Begins the walk: step 0 in front of the reader, the explorer at the initial state.
    pub fn start(&mut self) -> Load {
        self.place = Place::Step { index: 0, done: false };
        self.walk_to(0)
    }

    /// Takes the current `do` step's action for the reader: what the explorer must take.
    pub fn action_to_take(&self) -> Option<&str> {
        match (&self.place, self.current_step_kind()) {
            (Place::Step { done: false, .. }, Some(StepKind::Take(label))) => Some(label),
            _ => None,
        }
    }

    fn current_step_kind(&self) -> Option<&StepKind> {
        match self.place {
            Place::Step { index, .. } => self.run.lesson().steps.get(index).map(|s| &s.kind),
            _ => None,
        }
    }

    /// While the current step holds the explorer (a `do` step without `free`): the only action the
    /// reader may take, or none once the step is done (Next goes on). `None`: the explorer is free.
    pub fn locked_to(&self) -> Option<Option<&str>> {
        let Place::Step { index, done } = self.place else { return None };
        let step = self.run.lesson().steps.get(index)?;
        match (&step.kind, step.free, done) {
            (_, true, _) => None,
            (StepKind::Take(label), false, false) => Some(Some(label)),
            (_, false, _) => Some(None),
        }
    }

    /// "Show me" on a `wait` step: the walk from the step's start through its solution.
    pub fn show_me(&self) -> Option<Load> {
        let Place::Step { index, done: false } = self.place else { return None };
        let start = self.run.step_start(index)?;
        let end = self.run.step_end(index)?;
        matches!(self.current_step_kind(), Some(StepKind::Wait { .. })).then(|| self.walk_to(end.max(start)))
    }

    /// After any change of the explorer's trace: marks the current step done when the reader's
    /// session has done it, and a challenge solved when its goal holds.
    pub fn observe(&mut self, session: &Session) {
        match self.place {
            Place::Step { index, done: false } if self.run.check_condition(index, session) => self.place = Place::Step { index, done: true },
            Place::Challenges { open: Some(j), .. } if self.run.challenge_solved(j, session) => {
                self.solved[j] = true;
                if let Place::Challenges { not_yet, .. } = &mut self.place {
                    *not_yet = false;
                }
            }
            _ => {}
        }
    }

    /// On to the next step (when the current one is done), or to the challenges after the last;
    /// what the explorer must show, if it changes.
    pub fn advance(&mut self) -> Option<Load> {
        match self.place {
            Place::Intro => Some(self.start()),
            Place::Step { index, done: true } if index + 1 < self.steps() => {
                self.place = Place::Step { index: index + 1, done: false };
                None
            }
            Place::Step { done: true, .. } => {
                self.place = Place::Challenges { open: None, hints: 0, not_yet: false };
                None
            }
            _ => None,
        }
    }

    /// Back to the previous step, shown done, the explorer at its end.
    pub fn back(&mut self) -> Option<Load> {
        let previous = match self.place {
            Place::Intro => return None,
            Place::Step { index: 0, .. } => {
                self.place = Place::Intro;
                return Some(self.walk_to(0));
            }
            Place::Step { index, .. } => index - 1,
            Place::Challenges { .. } => self.steps() - 1,
        };
        self.place = Place::Step { index: previous, done: true };
        Some(self.walk_to(self.run.step_end(previous)?))
    }

    /// Opens challenge `j`: the explorer at its start.
    pub fn open_challenge(&mut self, j: usize) -> Option<Load> {
        let c = self.run.lesson().challenges.get(j)?;
        let start = if c.from_step == 0 { 0 } else { self.run.step_end(c.from_step - 1)? };
        self.place = Place::Challenges { open: Some(j), hints: 0, not_yet: false };
        Some(self.walk_to(start))
    }

    /// One more hint of the open challenge.
    pub fn hint(&mut self) {
        let total = match self.place {
            Place::Challenges { open: Some(j), .. } => self.run.lesson().challenges[j].hints.len(),
            _ => return,
        };
        if let Place::Challenges { hints, .. } = &mut self.place {
            *hints = (*hints + 1).min(total);
        }
    }

    /// "Check": the open challenge is solved at the reader's step, or says "not yet".
    pub fn check(&mut self, session: &Session) -> bool {
        let Place::Challenges { open: Some(j), .. } = self.place else { return false };
        let ok = self.run.challenge_solved(j, session);
        if ok {
            self.solved[j] = true;
        }
        if let Place::Challenges { not_yet, .. } = &mut self.place {
            *not_yet = !ok;
        }
        ok
    }

    /// The open challenge's solution, from its start.
    pub fn solution(&self) -> Option<Load> {
        let Place::Challenges { open: Some(j), .. } = self.place else { return None };
        let c = &self.run.lesson().challenges[j];
        let mut load = self.open_start(c.from_step)?;
        load.labels.extend(c.solution.iter().cloned());
        Some(load)
    }

    fn open_start(&self, from_step: usize) -> Option<Load> {
        let start = if from_step == 0 { 0 } else { self.run.step_end(from_step - 1)? };
        Some(self.walk_to(start))
    }

    /// What the step shown asks the page to emphasise, once it is done: (property names, inspector
    /// paths).
    pub fn highlights(&self) -> (Vec<String>, Vec<String>) {
        let Place::Step { index, done: true } = self.place else { return (Vec::new(), Vec::new()) };
        let (mut properties, mut paths) = (Vec::new(), Vec::new());
        for h in self.run.highlights(index) {
            match h {
                super::Highlight::Property(p) => properties.push(p.clone()),
                super::Highlight::Path(p) => paths.push(p.clone()),
            }
        }
        (properties, paths)
    }

    /// The progress to keep between visits: `"<step>;<solved challenges as 0/1>"` (the step is
    /// the index of the step in front of the reader, or the number of steps for the challenges).
    pub fn progress(&self) -> String {
        let at = match self.place {
            Place::Intro => 0,
            Place::Step { index, done } => index + 1 + usize::from(done),
            Place::Challenges { .. } => self.steps() + 1,
        };
        let solved: String = self.solved.iter().map(|s| if *s { '1' } else { '0' }).collect();
        format!("{at};{solved}")
    }

    /// Brings back kept progress (anything unreadable is ignored: the lesson starts over); what
    /// the explorer must show.
    pub fn restore(&mut self, kept: &str) -> Option<Load> {
        let (at, solved) = kept.split_once(';')?;
        let at: usize = at.parse().ok()?;
        if solved.len() == self.solved.len() && solved.chars().all(|c| c == '0' || c == '1') {
            self.solved = solved.chars().map(|c| c == '1').collect();
        }
        let n = self.steps();
        match at {
            0 => None,
            a if a > n + 1 => None,
            a if a == n + 1 => {
                self.place = Place::Challenges { open: None, hints: 0, not_yet: false };
                Some(self.walk_to(self.run.step_end(n - 1)?))
            }
            a => {
                // Step a-1 in front of the reader (or done, when a counts it twice: a-2 done).
                let index = a - 1;
                self.place = Place::Step { index, done: false };
                Some(self.walk_to(self.run.step_start(index)?))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;

    fn session_of(p: &Player, load: &Load) -> Session {
        let model = catalogue::build(&p.link().model, &p.link().config, &p.link().constants).unwrap();
        let (trace, stop) = crate::engine::replay(model.as_ref(), load.init, &load.labels);
        assert!(stop.is_none(), "{stop:?}");
        let at = trace.len() - 1;
        Session::from_trace(model, trace, at)
    }

    #[test]
    fn a_lesson_from_text_is_checked_and_keyed_by_its_source() {
        let (_, text) = super::super::find_embedded("seqlock").unwrap();
        let url = LessonSource::Url("https://teach.example/her lesson.toml?x=1&y=2".into());
        let p = Player::from_text(catalogue::builtin(), url.clone(), text).unwrap();
        assert_eq!(p.steps(), Player::open(catalogue::builtin(), "seqlock").unwrap().steps());
        // The link names the URL so that the page reads the same URL back.
        let fragment = url.fragment().unwrap();
        assert_eq!(
            crate::explorer::embed::lesson_src_of(&format!("#v=1&m=seqlock&{fragment}")).as_deref(),
            Some("https://teach.example/her lesson.toml?x=1&y=2")
        );
        // Progress is kept per source: the same text from a file, inline or built in never shares it.
        let file = LessonSource::File { name: "seqlock.toml".into(), digest: digest(text) };
        let inline = LessonSource::Inline { digest: digest(text) };
        let keys = [LessonSource::Builtin("seqlock".into()), url, file.clone(), inline.clone()].map(|s| s.progress_key());
        assert_eq!(keys[0], "pex-lesson-seqlock", "a built-in lesson keeps the key readers' progress is kept under");
        assert!(keys.iter().enumerate().all(|(i, k)| keys[..i].iter().all(|o| o != k)), "{keys:?}");
        assert_eq!(file.fragment(), None);
        assert_ne!(digest(text), digest(&text.replacen("title", "title ", 1)));
        assert_eq!(digest("a"), 0xaf63_dc4c_8601_ec8c, "FNV-1a: the same in every build");
    }

    #[test]
    fn a_lesson_with_a_mistake_says_where_in_its_text() {
        let (_, text) = super::super::find_embedded("seqlock").unwrap();
        let broken = text.replacen("title = ", "title = = ", 1);
        let source = LessonSource::File { name: "mine.toml".into(), digest: digest(&broken) };
        let e = Player::from_text(catalogue::builtin(), source, &broken).err().unwrap();
        let super::super::Place::Text { line, column } = e.at else { panic!("{e}") };
        assert!(e.to_string().starts_with(&format!("mine.toml: line {line}, column {column}: ")), "{e}");
        let (shown_line, shown_text, caret) = e.excerpt(&broken).unwrap();
        assert_eq!(shown_line, line);
        assert!(shown_text.contains("title = = "), "{shown_text}");
        assert_eq!(caret, column);
        // A mistake against the model (not the text) has no excerpt, and says which step.
        let wrong = text.replacen("do = \"", "do = \"Nonsense", 1);
        let e = Player::from_text(catalogue::builtin(), LessonSource::Inline { digest: 1 }, &wrong).err().unwrap();
        assert!(matches!(e.at, super::super::Place::Step(_)), "{e}");
        assert!(e.to_string().starts_with("the lesson in this page: step "), "{e}");
        assert_eq!(e.excerpt(&wrong), None);
    }

    #[test]
    fn a_reader_walks_every_lesson_to_its_challenges_and_solves_them() {
        for (path, _) in super::super::embedded() {
            let name = super::super::lesson_name(path);
            let mut p = Player::open(catalogue::builtin(), name).unwrap();
            let mut load = p.advance().unwrap();
            for i in 0..p.steps() {
                assert_eq!(p.place, Place::Step { index: i, done: false }, "{name}");
                let mut session = session_of(&p, &load);
                let step = &p.run.lesson().steps[i];
                // A do step holds the explorer to its own action unless it says free; a wait step is free.
                match (&step.kind, step.free) {
                    (StepKind::Take(label), false) => assert_eq!(p.locked_to(), Some(Some(label.as_str())), "{name} step {i}"),
                    _ => assert_eq!(p.locked_to(), None, "{name} step {i}"),
                }
                if let Some(label) = p.action_to_take() {
                    session.take(label).unwrap();
                    load.labels.push(label.to_string());
                } else {
                    load = p.show_me().expect("a wait step can be shown");
                    session = session_of(&p, &load);
                }
                p.observe(&session);
                assert_eq!(p.place, Place::Step { index: i, done: true }, "{name} step {i}");
                assert!(matches!(p.locked_to(), None | Some(None)), "{name} step {i}: a done step allows no action");
                assert_eq!(p.advance(), None);
            }
            assert!(matches!(p.place, Place::Challenges { open: None, .. }), "{name}");
            for j in 0..p.solved.len() {
                let start = p.open_challenge(j).unwrap();
                assert!(!p.check(&session_of(&p, &start)), "{name} challenge {j} is not solved at its start");
                assert_eq!(p.place, Place::Challenges { open: Some(j), hints: 0, not_yet: true });
                p.hint();
                let solution = p.solution().unwrap();
                p.observe(&session_of(&p, &solution));
                assert!(p.solved[j], "{name} challenge {j}");
            }
            // Progress survives a visit.
            let kept = p.progress();
            let mut again = Player::open(catalogue::builtin(), name).unwrap();
            assert!(again.restore(&kept).is_some());
            assert_eq!(again.solved, p.solved);
            assert!(matches!(again.place, Place::Challenges { .. }));
        }
    }

    #[test]
    fn unknown_lessons_and_unreadable_progress_are_refused_without_harm() {
        assert!(Player::open(catalogue::builtin(), "raft").err().unwrap().contains("there is no lesson 'raft'"));
        let mut p = Player::open(catalogue::builtin(), "paxos").unwrap();
        for junk in ["", "x;1", "999;", "3", ";;", "2;10101010101"] {
            let _ = p.restore(junk);
        }
        assert!(p.solved.iter().all(|s| !s));
    }
}
