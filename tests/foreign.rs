//! Traces for and from other tools: every gap config's counterexample, written as ITF (Apalache,
//! Quint) or as TLC prints a trace, reads back as the very same trace, lassos included.

use pex::catalogue::{self, TraceHint};
use pex::engine::foreign::{read_tlc, to_itf};
use pex::engine::trace::state_to_tlc_text;
use pex::engine::{CheckOptions, DynOutcome, Lasso};

#[test]
fn every_counterexample_written_as_itf_or_tlc_text_reads_back_as_the_same_trace() {
    let mut checked = 0;
    for info in catalogue::infos() {
        for config in info.configs.iter().filter(|c| c.expect.is_some()) {
            let model = catalogue::build(info.name, config.name, &[]).unwrap();
            let mut checker = model.checker(CheckOptions::default());
            while !checker.run(1 << 16) {}
            let Some(DynOutcome::Violation { trace, .. }) = checker.result().map(|r| r.outcome) else {
                panic!("{}/{}: expected a counterexample", info.name, config.name)
            };
            let what = format!("{}/{}", info.name, config.name);
            // ITF, as `pex check --out x.itf.json` writes it.
            let itf = to_itf(model.as_ref(), &trace, "Spec.tla").to_string();
            let opened = catalogue::builtin().open_trace(&itf, &TraceHint::default()).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!((opened.file.model.as_str(), opened.file.config.as_str()), (info.name, config.name), "{what}");
            assert_eq!((opened.file.init, &opened.file.actions, opened.file.lasso), (trace.init_index, &trace.labels(), trace.lasso), "{what}: ITF");
            // As TLC prints a counterexample: the twin's cfg names the config.
            let mut text = format!("Error: Invariant {} is violated.\nError: The behavior up to this point is:\n", config.expect.unwrap());
            for (i, step) in trace.steps.iter().enumerate() {
                text += &format!(
                    "State {}: <{}>\n{}\n",
                    i + 1,
                    step.action.as_deref().unwrap_or("Initial predicate"),
                    state_to_tlc_text(model.as_ref(), &step.state)
                );
            }
            match trace.lasso {
                Some(Lasso::BackTo(k)) => text += &format!("Back to state {}: <Next>\n", k + 1),
                Some(Lasso::Stuttering) => text += &format!("State {}: Stuttering\n", trace.len() + 1),
                None => {}
            }
            let read = read_tlc(&text).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(read.states.len(), trace.len(), "{what}");
            let hint = TraceHint { config: Some(config.name.to_string()), ..TraceHint::default() };
            let opened = catalogue::builtin().open_trace(&text, &hint).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!((opened.file.init, &opened.file.actions, opened.file.lasso), (trace.init_index, &trace.labels(), trace.lasso), "{what}: TLC text");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} gap configs");
}

#[test]
fn hostile_itf_is_refused_with_a_message() {
    let open = |text: &str| catalogue::builtin().open_trace(text, &TraceHint::default()).unwrap_err();
    assert!(open(r#"{"states": []}"#).contains("it has no states"));
    assert!(open(r#"{"states": [1]}"#).contains("state 1 is not an object"));
    assert!(open(r#"{"states": [{"x": null}]}"#).contains("null is not an ITF value"));
    assert!(open(r#"{"states": [{"x": 1.5}]}"#).contains("is not an integer"));
    assert!(open(r##"{"states": [{"x": {"#bigint": "12a"}}]}"##).contains("is not an integer"));
    assert!(open(r##"{"states": [{"x": {"#map": [[1]]}}]}"##).contains("[key, value] pairs"));
    assert!(open(r##"{"states": [{"x": {"#unserializable": "f"}}]}"##).contains("could not write this value"));
    assert!(open(r#"{"vars": ["x", "y"], "states": [{"x": 1}]}"#).contains("no value for variable y"));
    assert!(open(r#"{"states": [{"x": 1}], "loop": 3}"#).contains("\"loop\" must be a state's index"));
    assert!(open(r#"{"states": [{"x": 1}]}"#).contains("no model here has its variables (x)"));
    // Deep nesting stops at serde_json's recursion limit, not the stack.
    let deep = format!("{{\"states\": [{{\"x\": {}1{}}}]}}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(open(&deep).contains("not a trace file"));
}
