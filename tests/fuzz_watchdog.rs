//! The fuzzer (`src/bin/fuzz.rs`) itself: a short run reaches every entry point, and a panic, a
//! hang or an abort on one input fails the run with a report that names the entry and the input
//! (`--inject` makes input 3 do that instead of its entry's work).

use std::process::{Command, Output};

fn fuzz(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fuzz")).args(args).output().expect("the fuzz binary runs")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn a_short_run_reaches_every_entry_and_passes() {
    // A generous budget per input: this test is about reach, and debug builds are ten times slower.
    let out = fuzz(&["--seed", "7", "--inputs", "300", "--budget-ms", "20000", "--hang-secs", "60"]);
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    let per = all.lines().find_map(|l| l.strip_prefix("fuzz: per entry: ")).unwrap_or_else(|| panic!("no per-entry line in {all}"));
    let counts: Vec<(&str, u64)> = per
        .split(", ")
        .map(|p| {
            let (name, n) = p.rsplit_once(' ').unwrap_or_else(|| panic!("{p}"));
            (name, n.parse().unwrap_or_else(|_| panic!("{p}")))
        })
        .collect();
    let names: Vec<&str> = counts.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        ["link", "constant", "trace", "cfg", "tlc-output", "lesson", "embed", "embed-command", "worker-request", "cli-const", "foreign-trace"],
        "{per}"
    );
    assert!(counts.iter().all(|(_, n)| *n > 0), "an entry got no input: {per}");
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<u64>(), 300, "{per}");
}

#[test]
fn a_panic_is_reported_with_its_input_and_fails_the_run() {
    let out = fuzz(&["--inputs", "10", "--inject", "panic"]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("): PANIC injected panic") && all.contains("input: \"injected panic\""), "{all}");
    assert!(all.contains("fuzz: 10 inputs, 1 panics"), "the run goes on to its summary: {all}");
}

#[test]
fn a_hang_is_reported_by_the_watchdog_with_its_input() {
    let out = fuzz(&["--inputs", "10", "--inject", "hang", "--hang-secs", "1"]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(3), "{all}");
    assert!(all.contains("fuzz: HANG: input 3 (") && all.contains("input: \"injected hang\""), "{all}");
}

#[test]
fn an_abort_is_reported_by_the_parent_with_its_input() {
    let scratch = std::env::temp_dir().join(format!("pex-fuzz-watchdog-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let out = fuzz(&["--inputs", "10", "--inject", "abort", "--save", scratch.to_str().expect("a UTF-8 temp dir")]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("fuzz: ABORT: the fuzzing process died (signal 6) on input 3 (") && all.contains("input: \"injected abort\""), "{all}");
    // The input is saved in the corpus format, under its entry's folder.
    let saved: Vec<String> = std::fs::read_dir(&scratch)
        .expect("--save wrote a folder")
        .flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).into_iter().flatten().flatten())
        .map(|f| std::fs::read_to_string(f.path()).expect("readable"))
        .collect();
    let _ = std::fs::remove_dir_all(&scratch);
    assert_eq!(saved, ["injected abort"]);
}
