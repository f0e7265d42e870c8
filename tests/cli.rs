//! The `pex` binary: verdicts, JSON, exit codes, and one-line errors for bad input.

use std::process::{Command, Output};

fn pex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pex")).args(args).output().expect("pex runs")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn assert_bad_input(args: &[&str], needle: &str) {
    let out = pex(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    assert!(err.contains(needle), "{args:?}: expected '{needle}' in: {err}");
    if !err.starts_with("error:") {
        // Our own errors are one line; clap's usage errors add usage lines.
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("pex: error: "), "{err}");
    }
}

#[test]
fn list_names_every_model_and_config() {
    let out = pex(&["list"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["seqlock", "no-verify", "seed-invariant", "ebpf-ring", "publish-before-lock", "MaxLiveRecords"] {
        assert!(text.contains(needle), "{needle} missing from pex list");
    }
    let v = json(&pex(&["list", "--json"]));
    assert_eq!(v.as_array().unwrap().len(), pex::catalogue::infos().len());
}

#[test]
fn safe_checks_pass_with_exit_zero() {
    let out = pex(&["check", "ebpf-ring", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["result"], "ok");
    assert_eq!(v["model"], "ebpf-ring");
    assert_eq!(v["config"], "safe");
    assert_eq!(v["constants"]["Sizes"], serde_json::json!([1, 2]));
    assert!(v["distinct"].as_u64().unwrap() > 1000);
    assert!(v["generated"].as_u64().unwrap() >= v["distinct"].as_u64().unwrap());
    assert!(v["seconds"].as_f64().is_some() && v["depth"].as_u64().unwrap() > 5);
}

#[test]
fn no_verify_reports_a_torn_read_with_a_shortest_trace() {
    let out = pex(&["check", "seqlock", "--config", "no-verify", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["result"], "violation");
    assert_eq!(v["invariant"], "NoTornRead");
    let trace = v["trace"].as_array().unwrap();
    assert_eq!(trace.len(), 12);
    assert!(trace[0]["action"].is_null());
    let last = &trace[11];
    assert_eq!(last["action"], "ReaderVerify(1)");
    // The reader committed sequence 2 while reading sequence 0.
    assert_eq!(last["state"]["readResult"][0], 2);
    assert_eq!(last["state"]["readerCursor"][0], 1);
}

#[test]
fn publish_before_lock_breaks_safety_in_three_states() {
    let out = pex(&["check", "ebpf-ring", "--config", "publish-before-lock"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Error: Invariant Safety is violated."));
    assert!(text.contains("State 3: <ConsumerNext>"));
    assert!(text.contains("/\\ held = [active |-> TRUE, size |-> 1, state |-> \"Uninit\"]"));
    assert!(!text.contains("State 4:"));
}

#[test]
fn seed_invariant_fails_through_the_lag_jump_without_a_torn_read() {
    let v = json(&pex(&["check", "seqlock", "--config", "seed-invariant", "--json"]));
    assert_eq!(v["invariant"], "SeedNoTornRead");
    let trace = v["trace"].as_array().unwrap();
    assert_eq!(trace.last().unwrap()["action"].as_str().unwrap().split('(').next(), Some("ReaderStampMismatch"));
    for step in trace {
        // NoTornRead (result < cursor) holds all along: nothing torn was ever returned.
        let s = &step["state"];
        for r in 0..2 {
            assert!(s["readResult"][r].as_i64() < s["readerCursor"][r].as_i64());
        }
    }
}

#[test]
fn bounds_give_a_partial_result_and_exit_three() {
    let out = pex(&["check", "seqlock", "--max-states", "500", "--json"]);
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["result"], "incomplete");
    assert_eq!(v["reason"], "max-states");
    assert!(v["distinct"].as_u64().unwrap() >= 500);
}

#[test]
fn constants_change_the_model() {
    let small = json(&pex(&["check", "seqlock", "--const", "MaxSeq=1", "--const", "NumReaders=1", "--json"]));
    assert_eq!(small["constants"]["MaxSeq"], 1);
    assert!(small["distinct"].as_u64().unwrap() < 1000);
}

#[test]
fn walks_are_determined_by_the_seed() {
    let a = pex(&["walk", "seqlock", "--seed", "11", "--steps", "30", "--json"]);
    let b = pex(&["walk", "seqlock", "--seed", "11", "--steps", "30", "--json"]);
    let c = pex(&["walk", "seqlock", "--seed", "12", "--steps", "30", "--json"]);
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
    let v = json(&a);
    assert_eq!(v["steps"], 30);
    assert_eq!(v["trace"].as_array().unwrap().len(), 31);
}

#[test]
fn walk_stops_at_the_first_violation_when_asked() {
    let seed = (0..500u64)
        .find(|s| {
            let v = json(&pex(&["walk", "ebpf-ring", "-c", "publish-before-lock", "--seed", &s.to_string(), "--steps", "20", "--stop-on-violation", "--json"]));
            v["end"] == "violation"
        })
        .expect("some seed reaches the violation in 20 steps");
    let v = json(&pex(&["walk", "ebpf-ring", "-c", "publish-before-lock", "--seed", &seed.to_string(), "--steps", "20", "--stop-on-violation", "--json"]));
    assert_eq!(v["violation"]["invariant"], "Safety");
    assert_eq!(v["violation"]["position"].as_u64().unwrap() as usize, v["trace"].as_array().unwrap().len());
}

#[test]
fn trace_files_replay_and_bad_ones_are_refused() {
    let dir = std::env::temp_dir().join(format!("pex-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("torn.json");
    let out = pex(&["check", "seqlock", "-c", "no-verify", "--out", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let replayed = pex(&["replay", file.to_str().unwrap()]);
    assert_eq!(replayed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&replayed.stdout).contains("State 12: <ReaderVerify(1)>"));

    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{ not json").unwrap();
    assert_bad_input(&["replay", broken.to_str().unwrap()], ": not a trace file");
    let stale = dir.join("stale.json");
    std::fs::write(&stale, r#"{"model":"seqlock","config":"safe","constants":[],"actions":["WriterBegin","WriterBegin"]}"#).unwrap();
    assert_bad_input(&["replay", stale.to_str().unwrap()], "step 2: action WriterBegin is not enabled");
    let unknown = dir.join("unknown.json");
    std::fs::write(&unknown, r#"{"model":"raft","config":"safe","constants":[],"actions":[]}"#).unwrap();
    assert_bad_input(&["replay", unknown.to_str().unwrap()], "unknown model 'raft'");
    assert_bad_input(&["replay", dir.join("missing.json").to_str().unwrap()], "cannot read");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_input_is_one_line_and_exit_two() {
    assert_bad_input(&["check", "raft"], "unknown model 'raft'; the models are seqlock, ebpf-ring, paxos");
    assert_bad_input(&["check", "seqlock", "--config", "nope"], "model seqlock has no config 'nope'; its configs are safe, no-verify, seed-invariant");
    assert_bad_input(&["check", "seqlock", "--const", "Readers=2"], "constant Readers: unknown; this model's constants are NumReaders, RingSize, MaxSeq");
    assert_bad_input(&["check", "seqlock", "--const", "MaxSeq=99"], "constant MaxSeq: 99 is out of range; allowed 0..10");
    assert_bad_input(&["check", "seqlock", "--const", "MaxSeq=-1"], "out of range");
    assert_bad_input(&["check", "seqlock", "--const", "MaxSeq"], "--const expects NAME=VALUE");
    assert_bad_input(&["check", "seqlock", "--const", "MaxSeq=four"], "'four' is not an integer");
    assert_bad_input(&["check", "ebpf-ring", "--const", "Sizes={1,9}"], "element 9 is out of range");
    assert_bad_input(&["check", "ebpf-ring", "--const", "Sizes={1,2"], "does not close");
    assert_bad_input(&["walk", "seqlock", "--const", "NumReaders=0"], "out of range");
    assert_bad_input(&["check", "seqlock", "--max-seconds", "0"], "--max-seconds must be a positive number");
    assert_bad_input(&["check", "seqlock", "--max-states", "lots"], "invalid value");
    assert_bad_input(&["walk", "seqlock", "--seed=-1"], "invalid value");
    assert_bad_input(&["frobnicate"], "unrecognized subcommand");
}

#[test]
fn an_ok_under_an_unsound_symmetry_is_not_a_plain_ok() {
    // composed declares Groups symmetric, but permuting the groups does not preserve Init.
    let out = pex(&["check", "composed"]);
    assert_eq!(out.status.code(), Some(4));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("No error has been found"), "{text}");
    assert!(
        text.contains("Model checking completed under the symmetry reduction by Keys, Groups, TxnIds, which the audit found unsound (see the warning): no error was found in the reduced state space, but that does not show that every reachable state satisfies every property."),
        "{text}"
    );
    assert!(text.contains("For a verdict on every reachable state, run: pex check composed --no-symmetry\n"), "{text}");
    let out = pex(&["check", "composed", "--json"]);
    assert_eq!(out.status.code(), Some(4));
    let v = json(&out);
    assert_eq!((v["result"].as_str(), v["symmetry"].as_bool(), v["reduction_sound"].as_bool()), (Some("ok-under-unsound-symmetry"), Some(true), Some(false)));
    assert!(v["symmetry_problem"].as_str().unwrap().contains("does not preserve Init"));
    // The suggested run gives a verdict on every reachable state.
    let out = pex(&["check", "composed", "--no-symmetry"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Model checking completed. No error has been found."));
    let out = pex(&["check", "composed", "--no-symmetry", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!((v["result"].as_str(), v["symmetry"].as_bool(), v["reduction_sound"].as_bool()), (Some("ok"), Some(false), Some(true)));
    // Constants and the config are carried into the suggested command.
    let text = String::from_utf8_lossy(&pex(&["check", "composed", "--const", "InitGroup=g2"]).stdout).to_string();
    assert!(text.contains("run: pex check composed --const InitGroup=g2 --no-symmetry\n"), "{text}");
    // A sound symmetry (audited) gives a plain ok.
    let out = pex(&["check", "mvcc", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!((v["result"].as_str(), v["symmetry"].as_bool(), v["reduction_sound"].as_bool()), (Some("ok"), Some(true), Some(true)));
    // Without the audit nobody knows: exit 0, but the text and JSON say it was not audited.
    let out = pex(&["check", "composed", "--no-symmetry-audit"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("No error has been found under the symmetry reduction by Keys, Groups, TxnIds, which was not audited (--no-symmetry-audit)."));
    let v = json(&pex(&["check", "composed", "--no-symmetry-audit", "--json"]));
    assert_eq!((v["result"].as_str(), v["reduction_sound"].is_null()), (Some("ok"), true));
}

#[test]
fn a_violation_under_an_unsound_symmetry_is_real_but_maybe_not_shortest() {
    let out = pex(&["check", "composed", "--config", "gap"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Error: Invariant Composed1_CommitToOwningGroup is violated."), "{text}");
    assert!(text.contains("Note: this behavior is real (replayed from an initial state), but the search reduced by a symmetry the audit found unsound, so it may not be a shortest one"), "{text}");
    assert!(text.contains("(pex check composed --config gap --no-symmetry gives both without it)"), "{text}");
    let v = json(&pex(&["check", "composed", "--config", "gap", "--json"]));
    assert_eq!((v["result"].as_str(), v["reduction_sound"].as_bool()), (Some("violation"), Some(false)));
}

#[test]
fn a_run_stopped_by_a_bound_says_so_and_claims_no_verdict() {
    let v = json(&pex(&["check", "seqlock", "--max-states", "500", "--json"]));
    let (distinct, queue, depth) = (v["distinct"].as_u64().unwrap(), v["queue"].as_u64().unwrap(), v["depth"].as_u64().unwrap());
    assert!(queue > 1);
    let out = pex(&["check", "seqlock", "--max-states", "500"]);
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("Stopped by the bound --max-states 500 before exploring every reachable state: no property failed on the {distinct} distinct states found, but {queue} states left on the queue were never expanded, so the states beyond them were not checked. This is not a verdict on the model.")),
        "{text}"
    );
    assert!(text.contains(&format!("The depth reached before the run stopped is {depth}.")), "{text}");
    for claim in ["No error has been found", "complete state graph search", "Finished in"] {
        assert!(!text.contains(claim), "'{claim}' in: {text}");
    }
    let out = pex(&["check", "seqlock", "--max-seconds", "0.000001"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Stopped by the bound --max-seconds 0.000001 before exploring every reachable state"));
}

#[test]
fn counts_agree_with_their_nouns() {
    let out = pex(&["walk", "seqlock", "--seed", "3", "--steps", "1"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Walk with seed 3: 1 step (all it was asked for)."), "{text}");
    let text = String::from_utf8_lossy(&pex(&["walk", "seqlock", "--seed", "3", "--steps", "2"]).stdout).to_string();
    assert!(text.contains("Walk with seed 3: 2 steps (all it was asked for)."), "{text}");
    // A complete run leaves no state on the queue; "0 states", not "0 state".
    let text = String::from_utf8_lossy(&pex(&["check", "ebpf-ring"]).stdout).to_string();
    assert!(text.contains(" distinct states found, 0 states left on queue."), "{text}");
    let dir = std::env::temp_dir().join(format!("pex-cli-plural-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let one = dir.join("one.json");
    std::fs::write(&one, r#"{"model":"seqlock","config":"safe","constants":[],"actions":["Nope"]}"#).unwrap();
    assert_bad_input(&["replay", one.to_str().unwrap()], "(replayed 0 of 1 action)");
    let init = dir.join("init.json");
    std::fs::write(&init, r#"{"model":"seqlock","config":"safe","constants":[],"init":4,"actions":[]}"#).unwrap();
    assert_bad_input(&["replay", init.to_str().unwrap()], "initial state #4 does not exist (the model has 1 initial state, numbered from 0)");
    // A deadlock is reached, not "violated".
    let out = pex(&["check", "occ", "--deadlock"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Error: Deadlock reached.") && !text.contains("is violated"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn replay_refuses_an_oversized_file_and_walk_caps_its_steps() {
    let dir = std::env::temp_dir().join(format!("pex-cli-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.json");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(21 * 1024 * 1024).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pex")).args(["replay", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("big.json: trace file too large: more than 20 MB; a trace file is at most 20 MB"), "{err}");
    // A lesson file past its limit is refused the same way.
    let lesson = dir.join("big.toml");
    std::fs::write(&lesson, vec![b'#'; pex::lessons::MAX_LESSON_BYTES + 1]).unwrap();
    assert_bad_input(&["lesson", "show", lesson.to_str().unwrap()], "big.toml: lesson file too large: more than 256 KB");
    std::fs::remove_dir_all(&dir).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pex")).args(["walk", "seqlock", "--steps", "1000000000"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than a trace holds"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pex")).args(["list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("allowed: a non-empty set of integers"));
}

#[test]
fn check_stops_at_a_memory_ceiling_with_exit_3_and_says_so() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pex")).args(["check", "seqlock", "--max-memory", "1", "--threads", "1"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(text.contains("Stopped by the memory ceiling --max-memory 1 MiB"), "{text}");
}

/// `pex simulate` finds the paxos gap's violation and names a seed whose `pex walk` (skipping
/// steps that change nothing) breaks the same property at the same state; a safe config runs every
/// walk and exits 0.
#[test]
fn simulate_finds_the_gap_and_its_seed_replays_it() {
    let out = pex(&["simulate", "paxos", "-c", "ignore-accepted", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let found = &v["violation"];
    assert_eq!(found["invariant"], "Agreement");
    let seed = found["seed"].as_u64().unwrap().to_string();
    let length = found["length"].as_u64().unwrap();
    let steps = (length - 1).to_string();
    let walk = json(&pex(&["walk", "paxos", "-c", "ignore-accepted", "--seed", &seed, "--steps", &steps, "--skip-stutter", "--json"]));
    assert_eq!(walk["violation"]["invariant"], "Agreement");
    assert_eq!(walk["violation"]["position"].as_u64(), Some(length));
    assert_eq!(walk["trace"], found["trace"]);

    let safe = pex(&["simulate", "seqlock", "--walks", "50", "--depth", "100", "--json"]);
    assert_eq!(safe.status.code(), Some(0));
    let v = json(&safe);
    assert_eq!((v["end"].as_str(), v["walks"].as_u64()), (Some("walks"), Some(50)));
    assert_bad_input(&["simulate", "seqlock", "--max-seconds", "0"], "--max-seconds");
    assert_bad_input(&["simulate", "seqlock", "--depth", "999999999"], "--depth");
}

#[test]
fn graph_prints_every_distinct_state_or_refuses() {
    let small = ["--const", "MaxSeq=1", "--const", "NumReaders=1"];
    let checked = json(&pex(&[&["check", "seqlock", "--json"][..], &small].concat()));
    let out = pex(&[&["graph", "seqlock", "--format", "json"][..], &small].concat());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let g = json(&out);
    assert_eq!(g["complete"], true);
    assert_eq!(g["nodes"].as_array().unwrap().len() as u64, checked["distinct"].as_u64().unwrap());
    assert!(g["edges"].as_array().unwrap().iter().all(|e| e["action"].is_string()));
    let dot = pex(&[&["graph", "seqlock"][..], &small].concat());
    assert!(String::from_utf8_lossy(&dot.stdout).starts_with("digraph \"seqlock (safe)\" {"));
    // Over the bound: a refusal, not a partial graph. seqlock's default space has 265,796 states.
    assert_bad_input(&["graph", "seqlock", "--format", "json"], "has more than 100000 reachable states");
    assert_bad_input(&["graph", "seqlock", "--max-states", "50"], "has more than 50 reachable states");
    assert!(pex(&["graph", "seqlock", "--max-states", "50"]).stdout.is_empty());
}

/// A command whose stdout is a pipe nobody reads (`pex list | head -1` once head is gone)
/// stops quietly with exit code 141, without a panic.
#[test]
fn a_closed_stdout_ends_pex_quietly_with_exit_141() {
    // The pipe is made, and its read end closed, before pex starts, by a single-threaded helper
    // process: a pipe made here could be held open by a child that another test thread forks at
    // the same moment, and pex's writes would then succeed.
    const RUN_WITH_CLOSED_STDOUT: &str = "import os, subprocess, sys\n\
        r, w = os.pipe()\n\
        os.close(r)\n\
        p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)\n\
        sys.stderr.buffer.write(p.stderr)\n\
        sys.exit(p.returncode)\n";
    for args in [&["list"][..], &["check", "seqlock", "-c", "no-verify", "--threads", "1"][..]] {
        let out = Command::new("python3").arg("-c").arg(RUN_WITH_CLOSED_STDOUT).arg(env!("CARGO_BIN_EXE_pex")).args(args).output().expect("python3 runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked") && !err.contains("failed printing"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(141), "{args:?}: {err}");
    }
}

/// Every input file is read through a bound: `/dev/zero` (endless) is refused once past the
/// limit, quickly, instead of growing without end.
#[cfg(unix)]
#[test]
fn replay_of_an_endless_file_is_refused_at_the_limit() {
    let started = std::time::Instant::now();
    assert_bad_input(&["replay", "/dev/zero"], "/dev/zero: trace file too large: more than 20 MB; a trace file is at most 20 MB");
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
}

/// `pex replay` checks the trace again: the model, the config, each invariant's first failing
/// state (exit 1 as for check), in text and in JSON; a lasso's temporal verdict.
#[test]
fn replay_rechecks_the_trace_and_names_the_failing_property_and_state() {
    let dir = std::env::temp_dir().join(format!("pex-cli-recheck-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("torn.json");
    assert_eq!(pex(&["check", "seqlock", "-c", "no-verify", "--out", file.to_str().unwrap()]).status.code(), Some(1));
    let out = pex(&["replay", file.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.starts_with("Model seqlock ("), "{text}");
    assert!(text.contains("config no-verify"), "{text}");
    assert!(text.contains("Invariant NoTornRead fails at state 12, the first along the trace where it does."), "{text}");
    let out = pex(&["replay", file.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!((v["model"].as_str(), v["config"].as_str(), v["result"].as_str()), (Some("seqlock"), Some("no-verify"), Some("violation")));
    let props = v["properties"].as_array().unwrap();
    let torn = props.iter().find(|p| p["name"] == "NoTornRead").unwrap();
    assert_eq!((torn["kind"].as_str(), torn["holds"].as_bool(), torn["state"].as_u64()), (Some("invariant"), Some(false), Some(12)));
    assert!(props.iter().filter(|p| p["name"] != "NoTornRead").all(|p| p["holds"] == true));
    assert_eq!(v["trace"].as_array().unwrap().len(), 12);

    // A trace where nothing fails yet: its first five states.
    let mut short: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    short["actions"].as_array_mut().unwrap().truncate(4);
    let ok = dir.join("ok.json");
    std::fs::write(&ok, short.to_string()).unwrap();
    let out = pex(&["replay", ok.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No property fails along the trace."));

    // A lasso: the temporal property fails on it.
    let lasso = dir.join("lasso.json");
    assert_eq!(pex(&["check", "crdt", "-c", "convergence-lossy", "--threads", "1", "--out", lasso.to_str().unwrap()]).status.code(), Some(1));
    let out = pex(&["replay", lasso.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let live = v["properties"].as_array().unwrap().iter().find(|p| p["name"] == "ConvergesEventually").unwrap().clone();
    assert_eq!((live["kind"].as_str(), live["holds"].as_bool(), live["fair"].as_bool()), (Some("liveness"), Some(false), Some(true)));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Walks judge invariants and action properties, not temporal ones: on a config whose only
/// property that fails is temporal, `pex simulate` says what it did not judge and points to
/// `pex check`; `--walks 0` is refused; the replay hint's flags match the walks'.
#[test]
fn simulate_says_what_it_does_not_judge_and_its_hint_replays() {
    let out = pex(&["simulate", "crdt", "-c", "convergence-lossy", "--walks", "20", "--depth", "50"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("No walk broke an invariant or action property"), "{text}");
    assert!(
        text.contains("Walks do not judge temporal properties, so ConvergesEventually was not judged: `pex check crdt -c convergence-lossy` does."),
        "{text}"
    );
    let v = json(&pex(&["simulate", "gossip", "-c", "delivery-lossy", "--walks", "20", "--depth", "50", "--json"]));
    assert_eq!(v["not_judged"], serde_json::json!(["GossipDelivery"]));
    assert_bad_input(&["simulate", "seqlock", "--walks", "0"], "--walks must be at least 1");

    for keep in [false, true] {
        let mut args = vec!["simulate", "paxos", "-c", "ignore-accepted"];
        if keep {
            args.push("--keep-stutter");
        }
        let out = pex(&args);
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&out.stdout);
        let last = text.lines().last().unwrap();
        let hint = last.split('`').nth(1).unwrap_or_else(|| panic!("no hint in: {last}"));
        assert_eq!(hint.contains("--skip-stutter"), !keep, "{hint}");
        let state: u64 = last.split(" at state ").nth(1).and_then(|r| r.split(':').next()).unwrap().parse().unwrap();
        let mut walk: Vec<&str> = hint.split(' ').skip(1).collect();
        walk.push("--json");
        let w = json(&pex(&walk));
        assert_eq!(w["violation"]["invariant"], "Agreement", "{hint}");
        assert_eq!(w["violation"]["position"].as_u64(), Some(state), "{hint}");
    }
}

/// A liveness check runs on one thread: `--threads 2` says so, in text and in JSON.
#[test]
fn a_liveness_check_notes_that_it_runs_on_one_thread() {
    let out = pex(&["check", "crdt", "-c", "convergence-lossy", "--threads", "2"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("Note: liveness checks run on one thread, so this one used 1 of the 2 threads asked for (--threads)."), "{text}");
    let v = json(&pex(&["check", "crdt", "-c", "convergence-lossy", "--threads", "2", "--json"]));
    assert!(v["threads_note"].as_str().unwrap().starts_with("liveness checks run on one thread"));
    let v = json(&pex(&["check", "crdt", "-c", "convergence-lossy", "--threads", "1", "--json"]));
    assert!(v["threads_note"].is_null());
}

#[test]
fn a_temporal_property_that_holds_is_said_to_hold_and_under_which_fairness() {
    let out = pex(&["check", "seqlock", "--config", "progress"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Model checking completed. No error has been found."), "{text}");
    assert!(text.contains("ReaderProgress holds on every fair behaviour (FairSpecPerProcess: WF_vars(Writer)"), "{text}");
    let v = json(&pex(&["check", "seqlock", "--config", "progress", "--json"]));
    assert_eq!(v["temporal_verdicts"], serde_json::json!([{ "property": "ReaderProgress", "holds": true }]));
    assert!(v["fair_spec"].as_str().unwrap().starts_with("FairSpecPerProcess: "), "{v}");
    // A safety config judges no temporal property.
    let v = json(&pex(&["check", "ebpf-ring", "--json"]));
    assert_eq!(v["temporal_verdicts"], serde_json::json!([]));
    assert!(v["fair_spec"].is_null());
}

#[test]
fn a_liveness_check_stopped_by_a_bound_says_no_temporal_property_was_evaluated() {
    let out = pex(&["check", "seqlock", "--config", "progress", "--max-states", "100"]);
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("No temporal property was evaluated"), "{text}");
}

/// TLC's own output for paxos's gap (tla/paxos/MC_ignore-accepted.cfg, TLC 2.15): `pex replay`
/// matches every state, picks the config, and finds Agreement failing where TLC says.
const TLC_PAXOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/paxos-ignore-accepted.tlc.out");

#[test]
fn replay_reads_tlc_output_and_finds_the_violation_where_tlc_does() {
    let out = pex(&["replay", TLC_PAXOS]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.starts_with("Read as a TLC error trace: every state matched the model's, step by step, under config ignore-accepted."), "{text}");
    assert_eq!(text.matches("Read as a TLC error trace").count(), 1, "{text}");
    assert!(text.contains("It says Agreement is violated"), "{text}");
    assert!(text.contains("Invariant Agreement fails at state 11, the first along the trace where it does."), "{text}");
    let v = json(&pex(&["replay", TLC_PAXOS, "--json"]));
    assert_eq!((v["format"].as_str(), v["model"].as_str(), v["config"].as_str()), (Some("tlc"), Some("paxos"), Some("ignore-accepted")));
    let agreement = v["properties"].as_array().unwrap().iter().find(|p| p["name"] == "Agreement").unwrap().clone();
    assert_eq!(agreement["state"].as_u64(), Some(11));
    // The twin's cfg gives the same.
    let cfg = concat!(env!("CARGO_MANIFEST_DIR"), "/tla/paxos/MC_ignore-accepted.cfg");
    let v = json(&pex(&["replay", TLC_PAXOS, "--cfg", cfg, "--json"]));
    assert_eq!(
        (v["config"].as_str(), v["properties"].as_array().unwrap().iter().find(|p| p["name"] == "Agreement").unwrap()["state"].as_u64()),
        (Some("ignore-accepted"), Some(11))
    );
}

#[test]
fn a_tlc_trace_that_is_not_a_behaviour_says_which_state_and_variable_differ() {
    let dir = std::env::temp_dir().join(format!("pex-cli-foreign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(TLC_PAXOS).unwrap();
    // State 5 learns a value nobody accepted.
    let mut blocks: Vec<String> = text.split("\n\n").map(str::to_string).collect();
    let five = blocks.iter().position(|b| b.contains("State 5:")).unwrap();
    assert!(blocks[five].contains("/\\ learned = <<{}>>"), "{}", blocks[five]);
    blocks[five] = blocks[five].replace("/\\ learned = <<{}>>", "/\\ learned = <<{v2}>>");
    let bad = dir.join("bad.out");
    std::fs::write(&bad, blocks.join("\n\n")).unwrap();
    assert_bad_input(&["replay", bad.to_str().unwrap(), "--config", "ignore-accepted"], "state 5 is not a step of paxos/ignore-accepted from state 4");
    assert_bad_input(&["replay", bad.to_str().unwrap(), "--config", "ignore-accepted"], "the trace has learned = <<{v2}>>, the model has learned = <<{}>>");
    // Without --config each config says why.
    assert_bad_input(&["replay", bad.to_str().unwrap()], "the TLC error trace is not a behaviour of the model");
    // The trace of another spec.
    assert_bad_input(&["replay", TLC_PAXOS, "--model", "seqlock"], "it is a trace of another spec");
    let renamed = dir.join("renamed.out");
    std::fs::write(&renamed, text.replace("/\\ learned =", "/\\ decided =")).unwrap();
    assert_bad_input(
        &["replay", renamed.to_str().unwrap()],
        "a TLC error trace of another spec: no model here has its variables (accepted, decided, promised, proposerAttempt)",
    );
    // Other constants than the trace's: the first state already differs.
    assert_bad_input(&["replay", TLC_PAXOS, "--const", "Acceptors={1, 2}"], "state 1 is not an initial state of paxos/");
    // Text that is no trace at all.
    let junk = dir.join("junk.txt");
    std::fs::write(&junk, "TLC2 Version 2.15\nModel checking completed. No error has been found.\n").unwrap();
    assert_bad_input(&["replay", junk.to_str().unwrap()], "not a trace file (neither JSON nor a TLC error trace): no TLC error trace in it");
}

#[test]
fn an_itf_export_replays_to_the_same_verdict_and_reimports_as_the_same_trace() {
    let dir = std::env::temp_dir().join(format!("pex-cli-itf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (model, config, property) in
        [("paxos", "ignore-accepted", "Agreement"), ("seqlock", "no-verify", "NoTornRead"), ("crdt", "convergence-lossy", "ConvergesEventually")]
    {
        let (pexf, itf) = (dir.join(format!("{model}.json")), dir.join(format!("{model}.itf.json")));
        assert_eq!(pex(&["check", model, "-c", config, "--threads", "1", "--out", pexf.to_str().unwrap()]).status.code(), Some(1));
        assert_eq!(pex(&["check", model, "-c", config, "--threads", "1", "--out", itf.to_str().unwrap()]).status.code(), Some(1));
        let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&itf).unwrap()).unwrap();
        assert_eq!(written["#meta"]["format"], "ITF", "{model}");
        assert!(written["states"][0]["#meta"]["index"] == 0, "{model}");
        let (a, b) = (json(&pex(&["replay", pexf.to_str().unwrap(), "--json"])), json(&pex(&["replay", itf.to_str().unwrap(), "--json"])));
        assert_eq!(b["format"], "itf");
        assert_eq!(
            (&a["config"], &a["trace"], &a["lasso"], &a["properties"]),
            (&b["config"], &b["trace"], &b["lasso"], &b["properties"]),
            "{model}: the ITF file replays as the pex file does"
        );
        let failing = a["properties"].as_array().unwrap().iter().find(|p| p["name"] == property).unwrap().clone();
        assert_eq!(failing["holds"], false, "{model}: {failing}");
    }
}

/// TLC's output for hlc's gap under `SYMMETRY NodeSymmetry` (tla/hlc/MC_gap.cfg, TLC 2.15). TLC
/// rebuilds such a trace from fingerprints of symmetry classes, by generating successors, so each
/// printed state is a real step of the model and the trace replays as printed.
const TLC_HLC_SYMMETRY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hlc-gap-symmetry.tlc.out");

#[test]
fn replay_reads_a_trace_tlc_printed_under_symmetry() {
    let out = pex(&["replay", TLC_HLC_SYMMETRY]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.starts_with("Read as a TLC error trace: every state matched the model's, step by step, under config gap."), "{text}");
    assert!(text.contains("Invariant HLC4_NoRegressionAcrossTerms fails at state 5, the first along the trace where it does."), "{text}");
    let v = json(&pex(&["replay", TLC_HLC_SYMMETRY, "--cfg", concat!(env!("CARGO_MANIFEST_DIR"), "/tla/hlc/MC_gap.cfg"), "--json"]));
    assert_eq!((v["format"].as_str(), v["model"].as_str(), v["config"].as_str()), (Some("tlc"), Some("hlc"), Some("gap")));
    let hlc4 = v["properties"].as_array().unwrap().iter().find(|p| p["name"] == "HLC4_NoRegressionAcrossTerms").unwrap().clone();
    assert_eq!(hlc4["state"].as_u64(), Some(5));
}
