//! The fuzzer's regression corpus: every input in `tests/fuzz-corpus/<entry>/*.txt` (the known
//! hostile inputs and whatever `src/bin/fuzz.rs` has found) goes through its entry point again. None
//! may panic, report an inconsistency or take longer than the budget; where `<name>.expect` exists,
//! its first line says `ok` or `error` and each further line is text the summary or the message
//! must contain. Inputs too large to keep as files are generated below.

#[path = "../src/bin/fuzz/entries.rs"]
mod entries;

use entries::Entry;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

/// The fuzzer's budget; debug builds are about ten times slower.
fn budget() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(10)
    } else {
        Duration::from_millis(500)
    }
}

/// Runs one input and returns what is wrong with the outcome, if anything.
fn check(entry: Entry, name: &str, input: &str, expect: Option<&str>) -> Option<String> {
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| entries::run(entry, input)));
    let took = started.elapsed();
    let outcome = match outcome {
        Err(_) => return Some(format!("{}/{name}: panicked", entry.name())),
        Ok(o) => o,
    };
    if took > budget() {
        return Some(format!("{}/{name}: took {:.0} ms", entry.name(), took.as_secs_f64() * 1000.0));
    }
    let text = match &outcome {
        Ok(t) => t,
        Err(t) => t,
    };
    if text.starts_with("BUG") {
        return Some(format!("{}/{name}: {text}", entry.name()));
    }
    let expect = expect?;
    let mut lines = expect.lines();
    let want_ok = match lines.next().map(str::trim) {
        Some("ok") => true,
        Some("error") => false,
        other => return Some(format!("{}/{name}.expect: the first line must be ok or error, not {other:?}", entry.name())),
    };
    if want_ok != outcome.is_ok() {
        return Some(format!("{}/{name}: expected {}, got {outcome:?}", entry.name(), if want_ok { "ok" } else { "an error" }));
    }
    for needle in lines.filter(|l| !l.is_empty()) {
        if !text.contains(needle) {
            return Some(format!("{}/{name}: {text:?} does not contain {needle:?}", entry.name()));
        }
    }
    None
}

#[test]
fn the_corpus_replays_without_a_panic_and_with_clear_errors() {
    std::panic::set_hook(Box::new(|_| {}));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut failures = Vec::new();
    let mut count = 0;
    let mut folders: Vec<_> =
        std::fs::read_dir(&root).unwrap_or_else(|e| panic!("{}: {e}", root.display())).flatten().map(|f| f.file_name().to_string_lossy().to_string()).collect();
    folders.sort();
    assert_eq!(folders.len(), Entry::ALL.len(), "one folder per entry point: {folders:?}");
    for folder in folders {
        let entry = Entry::from_name(&folder).unwrap_or_else(|| panic!("tests/fuzz-corpus/{folder} is no entry point"));
        let dir = root.join(entry.name());
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten().map(|f| f.path()).collect();
        files.sort();
        for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let input = std::fs::read_to_string(path).unwrap();
            let expect = std::fs::read_to_string(path.with_extension("expect")).ok();
            failures.extend(check(entry, &name, &input, expect.as_deref()));
            count += 1;
        }
    }
    let _ = std::panic::take_hook();
    assert!(count >= 80, "only {count} corpus inputs under {}", root.display());
    assert!(failures.is_empty(), "{} of {count} corpus inputs fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn inputs_too_large_to_keep_are_refused_by_size() {
    let zeros = |n: usize| vec!["0"; n].join(".");
    let cases: Vec<(Entry, &str, String, &str)> = vec![
        (Entry::Link, "fragment over 2 MB", format!("#m=seqlock&x={}", "a".repeat(2_000_001)), "error\na link is at most 2000000 bytes"),
        (
            Entry::Link,
            "trace over the cap",
            format!("#m=seqlock&t={}&h=00000000", zeros(200_001)),
            "error\nits trace has 200001 steps; a link holds at most 200000",
        ),
        (
            Entry::Link,
            "many unknown constants",
            format!("#m=seqlock&{}", (0..100_000).map(|i| format!("k.X{i}=1")).collect::<Vec<_>>().join("&")),
            "error\nseqlock has no constant X0, X1, X2, X3, X4, X5, X6, X7 and 99992 more",
        ),
        (
            Entry::Link,
            "many unknown parameters",
            format!("#m=seqlock&{}", (0..100_000).map(|i| format!("p{i}=1")).collect::<Vec<_>>().join("&")),
            "ok\nignored: p0, p1",
        ),
        (
            Entry::Trace,
            "file over 20 MB",
            format!(r#"{{"model":"seqlock","config":"safe","constants":[],"actions":["{}"]}}"#, "x".repeat(21 << 20)),
            "error\ntrace file too large: 21.0 MB; a trace file is at most 20 MB",
        ),
        (
            Entry::Trace,
            "actions over the cap",
            format!(r#"{{"model":"seqlock","config":"safe","constants":[],"actions":[{}]}}"#, vec!["\"a\""; 200_001].join(",")),
            "error\ntrace file too long: 200001 actions; a trace holds at most 200000",
        ),
        (Entry::Constant, "text over 4 KiB", format!("paxos Values\n{{{}}}", "v1,".repeat(2000)), "error\ncharacters of text; a constant is at most 4096"),
        (Entry::Constant, "digits over 4 KiB", format!("seqlock MaxSeq\n{}", "9".repeat(5000)), "error\n5000 characters of text"),
        (Entry::Cfg, "nesting 100000 deep", format!("CONSTANTS X = {}1{}", "{".repeat(100_000), "}".repeat(100_000)), "error\nnests more than 32 levels"),
        (Entry::Cfg, "cfg over 1 MB", "INVARIANT Inv\n".repeat(100_000), "error\na cfg is at most 1048576"),
        (
            Entry::TlcOutput,
            "a long trace",
            format!("Error: Deadlock reached.\n{}", (1..=20_000).map(|i| format!("State {i}: <A>\n/\\ x = {i}\n\n")).collect::<String>()),
            "ok\nDeadlock, 20000 state(s)",
        ),
        (
            Entry::Lesson,
            "lesson over 256 KiB",
            format!("title = \"{}\"\n", "x".repeat(300_000)),
            "error\nfuzz.toml: 300011 bytes; a lesson file may hold at most 262144",
        ),
        (Entry::Lesson, "nesting 100000 deep", format!("title = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)), "error\nrecursion limit exceeded"),
    ];
    std::panic::set_hook(Box::new(|_| {}));
    let failures: Vec<String> = cases.iter().filter_map(|(entry, name, input, expect)| check(*entry, name, input, Some(expect))).collect();
    let _ = std::panic::take_hook();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The most work a link can ask for: a trace at the cap whose every step is enabled (Paxos has a
/// cycle), replayed to its end before its checksum can be compared. It is bounded by the cap, not
/// by the budget: about 1.6 s natively, nearly all of it formatting the labels of every enabled
/// action at every step (the model API lists the enabled actions with their labels).
#[test]
#[cfg_attr(debug_assertions, ignore = "about 20 s in a debug build; scripts/test.sh runs it in release")]
fn a_link_at_the_trace_cap_replays_in_bounded_time() {
    let link = format!("#v=1&m=paxos&c=safe&seed=1&t={}&h=00000000", vec!["0"; 200_000].join("."));
    let started = Instant::now();
    let outcome = entries::run(Entry::Link, &link);
    let took = started.elapsed();
    let message = outcome.unwrap_err();
    assert!(message.contains("its trace does not match its settings"), "{message}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}
