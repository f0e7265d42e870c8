//! Lessons (`lessons/*.toml`): every lesson replays against its model, step by step, as a reader
//! would take it; every model has a lesson walking its gap's shortest counterexample; bad lesson
//! files are refused with the file, the place and what is wrong; and `pex lesson` says so too.

use pex::catalogue;
use pex::engine::{CheckOptions, DynOutcome, Session};
use pex::lessons::{self, Highlight, Lesson, LessonError, Place, StepKind};
use std::path::Path;
use std::process::{Command, Output};

fn load_all() -> Vec<lessons::LessonRun> {
    lessons::embedded().iter().map(|(path, text)| lessons::load(path, text).unwrap_or_else(|e| panic!("{e}"))).collect()
}

#[test]
fn every_lesson_file_is_compiled_in() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("lessons/ exists")
        .map(|e| e.expect("readable").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("lessons/{n}"))
        .collect();
    on_disk.sort();
    let embedded: Vec<String> = lessons::embedded().iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(embedded, on_disk);
    for (path, text) in lessons::embedded() {
        assert_eq!(*text, std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap(), "{path} is stale");
    }
}

/// Every state path a lesson step highlights is drawn by the view: the view names the shapes that
/// draw it, they are in the step's picture, and the picture marks them (and nothing else) with
/// the highlight class, so a lesson never points at something the reader cannot see.
#[test]
fn every_highlighted_path_lights_shapes_in_the_view() {
    for run in load_all() {
        let lesson = run.lesson();
        let model = run.model().clone();
        for i in 0..lesson.steps.len() {
            let state = run.step_state(i).unwrap();
            let paths: Vec<String> = run.highlights(i).iter().filter_map(|h| if let Highlight::Path(p) = h { Some(p.clone()) } else { None }).collect();
            let mut drawing = catalogue::builtin().draw(model.as_ref(), None, state).expect("every model has a view");
            let in_picture = drawing.ids();
            let mut wanted = Vec::new();
            for p in &paths {
                let ids = catalogue::builtin().shapes_for(model.as_ref(), state, p);
                assert!(!ids.is_empty(), "{}: step {}: the view draws nothing for {p}", lesson.file, i + 1);
                for id in &ids {
                    assert!(in_picture.contains(id), "{}: step {}: {p} is drawn by '{id}', which is not in the picture ({in_picture:?})", lesson.file, i + 1);
                }
                wanted.extend(ids);
            }
            wanted.sort();
            wanted.dedup();
            assert_eq!(drawing.highlight(&wanted), wanted.len(), "{}: step {}: each shape is marked once", lesson.file, i + 1);
        }
    }
}

/// Each step as a reader takes it, in a session of its own: a `do` step's action is enabled where
/// the step begins and leads to where the lesson says; a `wait` step's condition is false where it
/// begins and true once its solution has been taken; the first failure of every property is at a
/// step whose `breaks` names it, and nowhere else.
#[test]
fn every_lesson_replays_step_by_step() {
    for run in load_all() {
        let lesson = run.lesson();
        let model = run.model().clone();
        for (i, step) in lesson.steps.iter().enumerate() {
            let mut session = run.session_before(i);
            assert_eq!(session.cursor(), run.step_start(i).unwrap(), "{}: step {}", lesson.file, i + 1);
            assert!(!run.check_condition(i, &session), "{}: step {} is done before it is taken", lesson.file, i + 1);
            match &step.kind {
                StepKind::Take(label) => session.take(label).unwrap_or_else(|e| panic!("{}: step {}: {e}", lesson.file, i + 1)),
                StepKind::Wait { solution, .. } => {
                    for (k, label) in solution.iter().enumerate() {
                        assert!(!run.check_condition(i, &session), "{}: step {} holds after {k} solution actions", lesson.file, i + 1);
                        session.take(label).unwrap_or_else(|e| panic!("{}: step {}: {e}", lesson.file, i + 1));
                    }
                }
            }
            assert!(run.check_condition(i, &session), "{}: step {} is not done by its action or solution", lesson.file, i + 1);
            assert_eq!(session.cursor(), run.step_end(i).unwrap());
            assert!(model.same_state(session.state(), run.step_state(i).unwrap()));
            // What the step highlights exists at the step's state.
            for h in run.highlights(i) {
                match h {
                    Highlight::Property(p) => assert!(model.invariant_names().contains(&p.as_str()) || model.property_names().contains(&p.as_str())),
                    Highlight::Path(p) => assert!(lessons::value_at(model.as_ref(), session.state(), p).is_some(), "{}: {p}", lesson.file),
                }
            }
        }
        // Where each invariant (in a state) and each action property (on the step into it) first
        // fails along the whole walk, computed here from the states, against the steps that say
        // `breaks`.
        let walk = run.walk();
        let (names, properties) = (model.invariant_names(), model.property_names());
        let mut first_failures: Vec<(&str, usize)> = Vec::new();
        for (index, step) in walk.steps.iter().enumerate() {
            let mut verdicts: Vec<(&str, bool)> = names.iter().copied().zip(model.check_invariants(&step.state)).collect();
            // Like `[P]_vars`, an action property is not evaluated on a step that changes nothing.
            if index > 0 && !model.same_state(&walk.steps[index - 1].state, &step.state) {
                verdicts.extend(properties.iter().copied().zip(model.check_properties(&walk.steps[index - 1].state, &step.state)));
            }
            for (name, ok) in verdicts {
                if !ok && !first_failures.iter().any(|(n, _)| *n == name) {
                    first_failures.push((name, index));
                }
            }
        }
        let mut declared: Vec<(&str, usize)> = Vec::new();
        for (i, s) in lesson.steps.iter().enumerate() {
            declared.extend(s.breaks.iter().map(|b| (b.as_str(), run.step_end(i).unwrap())));
        }
        assert_eq!(declared, first_failures, "{}: the steps saying `breaks` are not where the invariants first fail", lesson.file);
    }
}

#[test]
fn every_challenge_is_solved_by_its_solution_and_not_before() {
    for run in load_all() {
        for (j, c) in run.lesson().challenges.iter().enumerate() {
            let mut session = run.challenge_session(j).unwrap();
            assert_eq!(session.cursor(), if c.from_step == 0 { 0 } else { run.step_end(c.from_step - 1).unwrap() });
            for label in &c.solution {
                assert!(!run.challenge_solved(j, &session), "{}: challenge {} solved early", run.lesson().file, j + 1);
                session.take(label).unwrap_or_else(|e| panic!("{}: challenge {}: {e}", run.lesson().file, j + 1));
            }
            assert!(run.challenge_solved(j, &session), "{}: challenge {} not solved by its solution", run.lesson().file, j + 1);
            assert!(!c.hints.is_empty());
        }
    }
}

/// Each model has a lesson named after it that walks its gap config's shortest counterexample,
/// exactly as `pex check` finds it, and ends where the gap's invariant breaks: a model change that
/// moves the counterexample fails here.
#[test]
fn every_model_has_a_lesson_on_its_gaps_shortest_counterexample() {
    let runs = load_all();
    for info in catalogue::infos() {
        let run = runs.iter().find(|r| r.lesson().name() == info.name).unwrap_or_else(|| panic!("no lessons/{}.toml", info.name));
        let lesson = run.lesson();
        let config = info.config(&lesson.config).unwrap();
        let expect = config.expect.unwrap_or_else(|| panic!("{}: lesson on config {}, which breaks nothing", lesson.file, config.name));
        assert!(!lesson.challenges.is_empty(), "{}: no challenge", lesson.file);
        let mut checker = run.model().checker(CheckOptions::default());
        while !checker.run(1 << 14) {}
        let DynOutcome::Violation { name, trace, .. } = checker.result().unwrap().outcome else { panic!("{}: the check finds no violation", lesson.file) };
        assert_eq!(name, expect);
        assert_eq!(run.walk().labels(), trace.labels(), "{}: not the shortest counterexample", lesson.file);
        assert_eq!(lesson.steps.last().unwrap().breaks, vec![expect.to_string()], "{}: the last step should be where {expect} breaks", lesson.file);
    }
}

/// A lesson's walk as text names every step's action and caption.
#[test]
fn walk_text_shows_every_step() {
    for run in load_all() {
        let text = run.walk_text(true);
        assert!(text.contains(&run.lesson().title));
        for (i, step) in run.lesson().steps.iter().enumerate() {
            assert!(text.contains(&format!("## Step {} ", i + 1)), "{}", run.lesson().file);
            assert!(text.contains(step.caption.trim().lines().next().unwrap()));
        }
        for c in &run.lesson().challenges {
            assert!(text.contains(&c.solution.join(", ")));
        }
    }
}

// ---- Bad lessons ----

const GOOD: &str = r#"
title = "t"
summary = "s"
intro = "i"
model = "seqlock"
config = "no-verify"

[[steps]]
do = "WriterBegin"
caption = "c1"

[[steps]]
wait = { value = { path = "cursor", equals = "0" } }
solution = ["WriterData", "WriterFinish"]
caption = "c2"
highlight = ["cursor", "NoTornRead"]

[[challenges]]
prompt = "p"
goal = { took = "ReaderLoadStamp1" }
from_step = 2
hints = ["h"]
solution = ["ReaderLoadStamp1(1)"]
"#;

fn check(text: &str) -> Result<lessons::LessonRun, LessonError> {
    lessons::load("lessons/bad.toml", text)
}

fn error(text: &str) -> LessonError {
    match check(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

fn assert_error(text: &str, at: Place, needles: &[&str]) {
    let e = error(text);
    assert_eq!(e.at, at, "{e}");
    let shown = e.to_string();
    assert!(shown.starts_with("lessons/bad.toml: "), "{shown}");
    for n in needles {
        assert!(shown.contains(n), "expected '{n}' in: {shown}");
    }
}

#[test]
fn the_small_lesson_used_below_is_good() {
    let run = check(GOOD).unwrap();
    assert_eq!(run.walk().labels(), ["WriterBegin", "WriterData", "WriterFinish"]);
    assert_eq!(run.highlights(1), [Highlight::Path("cursor".into()), Highlight::Property("NoTornRead".into())]);
    // The player's view: a fresh session at step 2's start is not done; after the solution it is.
    let mut s: Session = run.session_before(1);
    assert!(!run.check_condition(1, &s));
    s.take("WriterData").unwrap();
    s.take("WriterFinish").unwrap();
    assert!(run.check_condition(1, &s));
    // A do step is done only by its own action to its own state.
    let mut other = run.session_before(0);
    assert!(!run.check_condition(0, &other));
    other.take("ReaderLoadStamp1(1)").unwrap();
    assert!(!run.check_condition(0, &other));
}

#[test]
fn an_unknown_model_config_or_constant_is_named() {
    assert_error(&GOOD.replace("model = \"seqlock\"", "model = \"raft\""), Place::File, &["unknown model 'raft'", "seqlock, ebpf-ring"]);
    assert_error(&GOOD.replace("config = \"no-verify\"", "config = \"nope\""), Place::File, &["no config 'nope'", "no-verify"]);
    let with_constant = |c: &str| GOOD.replace("config = \"no-verify\"\n", &format!("config = \"no-verify\"\n[constants]\n{c}\n"));
    assert_error(&with_constant("MaxSeq = 99"), Place::File, &["constant MaxSeq"]);
    assert_error(&with_constant("Bogus = 1"), Place::File, &["Bogus"]);
    assert_error(&with_constant("MaxSeq = { x = 1 }"), Place::Text { line: 8, column: 10 }, &["expected a number, a text as --const takes it"]);
    // A list stands for a set.
    let ring =
        |c: &str| GOOD.replace("model = \"seqlock\"\nconfig = \"no-verify\"\n", &format!("model = \"ebpf-ring\"\nconfig = \"safe\"\n[constants]\n{c}\n"));
    let run = lessons::load("x", &ring("Sizes = [2]\nCapacity = \"3\"")).err().unwrap();
    assert_eq!(run.at, Place::Step(1), "the constants are accepted, the seqlock steps are not: {run}");
    assert!(run.message.contains("WriterBegin is not enabled"), "{run}");
    // Constants are honoured: with MaxSeq = 0 the writer publishes once and stops.
    let run = check(&with_constant("MaxSeq = 0")).unwrap();
    assert_eq!(run.model().constants().to_string(), "NumReaders = 2, RingSize = 2, MaxSeq = 0");
}

#[test]
fn an_action_that_is_not_enabled_names_the_step_and_what_is() {
    assert_error(
        &GOOD.replace("do = \"WriterBegin\"", "do = \"WriterData\""),
        Place::Step(1),
        &["WriterData is not enabled", "enabled: WriterBegin, ReaderLoadStamp1(1)"],
    );
    assert_error(&GOOD.replace("do = \"WriterBegin\"", "do = \"Teleport\""), Place::Step(1), &["Teleport is not enabled"]);
    assert_error(
        &GOOD.replace("[\"WriterData\", \"WriterFinish\"]", "[\"WriterData\", \"WriterData\"]"),
        Place::Step(2),
        &["solution action 2 of 2", "WriterData is not enabled"],
    );
    assert_error(
        &GOOD.replace("solution = [\"ReaderLoadStamp1(1)\"]", "solution = [\"ReaderLoadStamp1(3)\"]"),
        Place::Challenge(1),
        &["solution action 1 of 1", "ReaderLoadStamp1(3) is not enabled"],
    );
}

#[test]
fn conditions_must_be_reached_when_the_lesson_says() {
    // Never reached by the solution.
    assert_error(&GOOD.replace("equals = \"0\"", "equals = \"3\""), Place::Step(2), &["(cursor = 3) does not hold at the end of its solution"]);
    // Reached before the solution ends.
    assert_error(
        &GOOD.replace("path = \"cursor\", equals = \"0\"", "path = \"writerPC\", equals = \"written\""),
        Place::Step(2),
        &["already holds after solution action 1 of 2"],
    );
    // Already true when the step begins.
    assert_error(
        &GOOD.replace("wait = { value = { path = \"cursor\", equals = \"0\" } }", "wait = { holds = \"NoTornRead\" }"),
        Place::Step(2),
        &["already holds when this step begins"],
    );
    // A name the config does not check, an action family the model does not have, no fact at all.
    assert_error(
        &GOOD.replace("wait = { value = { path = \"cursor\", equals = \"0\" } }", "wait = { fails = \"Agreement\" }"),
        Place::Step(2),
        &["'Agreement' is not an invariant", "NoTornRead"],
    );
    assert_error(
        &GOOD.replace("goal = { took = \"ReaderLoadStamp1\" }", "goal = { took = \"Learn\" }"),
        Place::Challenge(1),
        &["took = 'Learn' names no action family", "WriterBegin"],
    );
    assert_error(&GOOD.replace("goal = { took = \"ReaderLoadStamp1\" }", "goal = {}"), Place::Challenge(1), &["the condition is empty"]);
    // A challenge whose goal its solution does not reach, or that holds at its start.
    assert_error(
        &GOOD.replace("goal = { took = \"ReaderLoadStamp1\" }", "goal = { fails = \"NoTornRead\" }"),
        Place::Challenge(1),
        &["does not hold at the end of the solution"],
    );
    assert_error(
        &GOOD.replace("goal = { took = \"ReaderLoadStamp1\" }", "goal = { steps_at_least = 2 }"),
        Place::Challenge(1),
        &["already holds where the challenge starts"],
    );
}

/// The full seqlock walk, with or without the `breaks` that marks where NoTornRead fails.
fn torn(breaks_at_last: Option<&str>, breaks_at_first: Option<&str>) -> String {
    let labels = [
        "WriterBegin",
        "WriterData",
        "WriterFinish",
        "WriterBegin",
        "WriterData",
        "WriterFinish",
        "ReaderLoadStamp1(1)",
        "WriterBegin",
        "WriterData",
        "ReaderLoadValue(1)",
        "ReaderVerify(1)",
    ];
    let mut text = "title = \"t\"\nsummary = \"s\"\nintro = \"i\"\nmodel = \"seqlock\"\nconfig = \"no-verify\"\n".to_string();
    for (i, l) in labels.iter().enumerate() {
        text.push_str(&format!("[[steps]]\ndo = \"{l}\"\ncaption = \"c\"\n"));
        let b = if i == 0 {
            breaks_at_first
        } else if i + 1 == labels.len() {
            breaks_at_last
        } else {
            None
        };
        if let Some(b) = b {
            text.push_str(&format!("breaks = \"{b}\"\n"));
        }
    }
    text
}

#[test]
fn a_violation_is_captioned_exactly_where_it_happens() {
    assert!(check(&torn(Some("NoTornRead"), None)).is_ok());
    assert_error(&torn(None, None), Place::Step(11), &["NoTornRead first fails at the end of this step", "breaks = \"NoTornRead\""]);
    assert_error(&torn(Some("NoTornRead"), Some("NoTornRead")), Place::Step(1), &["breaks = \"NoTornRead\", but it holds at the end of this step"]);
    assert_error(&torn(Some("Agreement"), None), Place::Step(11), &["breaks = 'Agreement' is not an invariant"]);
    assert!(check(&torn(Some("NoTornRead"), None).replace("breaks = \"NoTornRead\"", "breaks = [\"NoTornRead\"]")).is_ok());
    assert_error(
        &torn(Some("NoTornRead"), None).replace("breaks = \"NoTornRead\"", "breaks = 3"),
        Place::Text { line: 39, column: 10 },
        &["expected a property name or a list of them"],
    );
    // A wait whose solution passes through the violation and goes on hides where it happened.
    let hidden = GOOD.replace("[[challenges]]", "[[steps]]\nwait = { steps_at_least = 12 }\nsolution = [\"ReaderLoadStamp1(1)\", \"WriterBegin\", \"WriterData\", \"WriterFinish\", \"WriterBegin\", \"WriterData\", \"ReaderLoadValue(1)\", \"ReaderVerify(1)\", \"ReaderLoadStamp1(2)\"]\ncaption = \"c\"\n\n[[challenges]]");
    assert_error(&hidden, Place::Step(3), &["NoTornRead first fails after solution action 8 of 9, inside the step"]);
}

#[test]
fn a_highlight_must_name_a_property_or_a_path() {
    assert_error(
        &GOOD.replace("[\"cursor\", \"NoTornRead\"]", "[\"ring[7].stamp\"]"),
        Place::Step(2),
        &["highlight 'ring[7].stamp' is neither", "ring, cursor"],
    );
    for good in ["ring[0].stamp", "readerPC[2]", "readStamp1", "TypeOK"] {
        assert!(check(&GOOD.replace("[\"cursor\", \"NoTornRead\"]", &format!("[\"{good}\"]"))).is_ok(), "{good}");
    }
}

#[test]
fn malformed_files_say_where() {
    assert_error("title = \"t\"\nmodel = \n", Place::Text { line: 2, column: 9 }, &["line 2, column 9"]);
    assert_error(&GOOD.replace("caption = \"c1\"", "caption = \"c1\"\ncolour = \"red\""), Place::Text { line: 11, column: 1 }, &["unknown field `colour`"]);
    assert_error(&GOOD.replace("title = \"t\"\n", ""), Place::Text { line: 1, column: 1 }, &["missing field `title`"]);
    assert_error(&GOOD.replace("do = \"WriterBegin\"", "do = \"WriterBegin\"\nwait = { steps_at_least = 1 }"), Place::Step(1), &["either do", "not both"]);
    assert_error(&GOOD.replace("do = \"WriterBegin\"", ""), Place::Step(1), &["needs do"]);
    assert_error(&GOOD.replace("solution = [\"WriterData\", \"WriterFinish\"]", ""), Place::Step(2), &["needs a solution"]);
    assert_error(&GOOD.replace("hints = [\"h\"]", ""), Place::Challenge(1), &["at least one hint"]);
    assert_error(&GOOD.replace("from_step = 2", "from_step = 9"), Place::Challenge(1), &["from_step = 9, but the lesson has 2 steps"]);
    assert_error(&GOOD.replace("caption = \"c1\"", "caption = \"c1\"\nanswer = \"a\""), Place::Step(1), &["an answer without a question"]);
    let huge = format!("{GOOD}\n# {}\n", "x".repeat(lessons::MAX_LESSON_BYTES));
    assert_error(&huge, Place::File, &["a lesson file may hold at most"]);
    let many = GOOD.replace("solution = [\"ReaderLoadStamp1(1)\"]", &format!("solution = [{}]", vec!["\"WriterBegin\""; lessons::MAX_ACTIONS].join(", ")));
    assert_error(&many, Place::File, &["2003 actions in steps and solutions; a lesson may have at most 2000"]);
    assert_error(&GOOD.replace("solution = [\"ReaderLoadStamp1(1)\"]", "solution = []"), Place::Challenge(1), &["the solution is empty"]);
    let no_steps = "title = \"t\"\nsummary = \"s\"\nintro = \"i\"\nmodel = \"seqlock\"\nconfig = \"no-verify\"\n";
    assert_error(no_steps, Place::File, &["at least one [[steps]]"]);
}

/// Mangled lesson files (every lesson cut short at many points, bytes flipped) yield an error or a
/// lesson, never a panic.
#[test]
fn mangled_lessons_never_panic() {
    for (path, text) in lessons::embedded() {
        let bytes = text.as_bytes();
        for cut in (0..bytes.len()).step_by(97) {
            let _ = lessons::load(path, &String::from_utf8_lossy(&bytes[..cut]));
        }
        for at in (0..bytes.len()).step_by(211) {
            let mut b = bytes.to_vec();
            b[at] = b"]\"=[{x9\n"[at % 8];
            let _ = lessons::load(path, &String::from_utf8_lossy(&b));
        }
    }
    let _ = Lesson::parse("x", "");
}

// ---- pex lesson ----

fn pex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pex")).args(args).output().expect("pex runs")
}

#[test]
fn pex_lesson_check_prints_one_line_per_lesson() {
    let out = pex(&["lesson", "check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), lessons::embedded().len());
    for ((path, _), line) in lessons::embedded().iter().zip(&lines) {
        assert!(line.starts_with(&format!("ok    {path}: ")), "{line}");
    }
    assert!(text.contains("seqlock/no-verify: 9 steps, 2 challenges, walk of 11 actions; NoTornRead breaks at step 9"), "{text}");
}

#[test]
fn pex_lesson_check_names_a_bad_files_step() {
    let dir = std::env::temp_dir().join(format!("pex-lessons-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.toml");
    let bad = dir.join("bad.toml");
    std::fs::write(&good, GOOD).unwrap();
    std::fs::write(&bad, GOOD.replace("do = \"WriterBegin\"", "do = \"WriterData\"")).unwrap();
    let missing = dir.join("missing.toml");
    let out = pex(&["lesson", "check", good.to_str().unwrap(), bad.to_str().unwrap(), missing.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("ok    ") && lines[0].contains("good.toml: seqlock/no-verify: 2 steps, 1 challenge, walk of 3 actions"), "{text}");
    assert!(lines[1].starts_with("FAIL  ") && lines[1].contains("bad.toml: step 1: WriterData is not enabled"), "{text}");
    assert!(lines[2].starts_with("FAIL  cannot read ") && lines[2].contains("missing.toml"), "{text}");
    assert_eq!(lines[3], "2 of 3 lessons failed");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pex_lesson_show_prints_the_walk() {
    let out = pex(&["lesson", "show", "seqlock"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("# Seqlock"), "{text}");
    assert!(text.contains("## Step 9 (walk step 11): take ReaderVerify(1)"), "{text}");
    assert!(text.contains("✗ NoTornRead fails here"), "{text}");
    assert!(text.contains("## Try it 1: "), "{text}");
    assert!(!text.contains("solution: "), "solutions are shown only with --solutions");
    assert!(String::from_utf8_lossy(&pex(&["lesson", "show", "seqlock", "--solutions"]).stdout).contains("   solution: WriterBegin"));
    let out = pex(&["lesson", "show", "raft"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.starts_with("pex: error: no lesson 'raft'; the lessons are ") && err.contains("seqlock"), "{err}");
}

/// The example in `lessons/README.md` is a valid lesson, so the page documenting the format cannot
/// drift from it.
#[test]
fn the_documented_example_is_a_valid_lesson() {
    let page = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/README.md")).unwrap();
    let start = page.find("```toml\n").expect("a toml example") + "```toml\n".len();
    let end = start + page[start..].find("```").expect("closed");
    let run = lessons::load("lessons/README.md", &page[start..end]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run.model().constants().to_string(), "NumReaders = 2, RingSize = 2, MaxSeq = 2");
    assert_eq!(run.walk().labels(), ["WriterBegin", "WriterData", "WriterFinish"]);
    assert_eq!(run.lesson().challenges.len(), 1);
}

/// Inspector paths, as the state tree names its rows.
#[test]
fn value_at_follows_the_inspectors_paths() {
    let seqlock = catalogue::build("seqlock", "safe", &[]).unwrap();
    let mut s = Session::new(seqlock.clone());
    s.take("WriterBegin").unwrap();
    let at = |path: &str| lessons::value_at(seqlock.as_ref(), s.state(), path).map(|v| v.to_string());
    assert_eq!(at("ring[0].stamp").as_deref(), Some("1"));
    assert_eq!(at("ring[1]").as_deref(), Some("[stamp |-> 0, value |-> -1]"));
    assert_eq!(at("readerPC[2]").as_deref(), Some("\"idle\""));
    assert_eq!(at("cursor").as_deref(), Some("-1"));
    for missing in ["ring[2].stamp", "ring[0]stamp", "ring[0].colour", "cursor.x", "readerPC[0]", "readerPC[1", "nothing", "", "ring[0].stamp]"] {
        assert_eq!(at(missing), None, "{missing}");
    }
    let mvcc = catalogue::build("mvcc", "gap", &[]).unwrap();
    let mut m = Session::new(mvcc.clone());
    m.take("Write(k1, v1)").unwrap();
    m.take("Write(k1, v2)").unwrap();
    let at = |path: &str| lessons::value_at(mvcc.as_ref(), m.state(), path).map(|v| v.to_string());
    assert_eq!(at("versions[k1]#2.value").as_deref(), Some("v2"));
    assert_eq!(at("versions[k1]#1").as_deref(), Some("[commitTs |-> 1, value |-> v1]"));
    assert_eq!(at("versions[k1]#3"), None);
    // Strings match with or without their quotes; other values as printed.
    let c = |equals: &str| lessons::Condition { value: Some(lessons::ValueIs { path: "readerPC[1]".into(), equals: equals.into() }), ..Default::default() };
    let moment = lessons::Moment { model: seqlock.as_ref(), previous: s.previous().map(|p| &p.state), action: Some("WriterBegin"), state: s.state(), index: 1 };
    assert!(c("idle").holds_at(&moment) && c("\"idle\"").holds_at(&moment) && !c("idl").holds_at(&moment));
    let took = |t: &str| lessons::Condition { took: Some(t.into()), ..Default::default() }.holds_at(&moment);
    assert!(took("WriterBegin") && !took("Writer") && !took("WriterData"));
}
