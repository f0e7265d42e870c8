//! Liveness: every lasso the checker reports is replayed and judged here by an independent
//! validator that shares none of the checker's code (it uses only `Model::init_states`, `actions`,
//! `next_state`, the properties' predicates and the fairness declarations): each step is a real
//! step, the cycle closes (or the last state stutters), the behaviour is fair, and it violates the
//! property. Configs that must hold, hold.

use pex::catalogue;
use pex::engine::liveness::LivenessChecker;
use pex::engine::{CheckOptions, Constants, DynOutcome, FairnessKind, Lasso, Model, ModelDef, Outcome, Temporal, TraceFile, ViolationKind};
use pex::models::{crdt::Crdt, occ::Occ, persistence::Persistence, routes::Routes, seqlock::Seqlock};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The fairness obligations `(condition, instance)` a step `s -> t` takes: those of every action
/// that leads from `s` to `t` (a TLA+ step satisfies `A` when some `A` action yields it).
fn taken<M: Model>(m: &M, s: &M::State, t: &M::State) -> BTreeSet<(usize, u32)> {
    let mut out = BTreeSet::new();
    if s == t {
        return out;
    }
    let mut actions = Vec::new();
    m.actions(s, &mut actions);
    for a in &actions {
        if m.next_state(s, a).as_ref() == Some(t) {
            for (f, fair) in m.fairness().iter().enumerate() {
                if let Some(i) = (fair.instance)(m, a) {
                    out.insert((f, i));
                }
            }
        }
    }
    out
}

/// The obligations enabled in `s` as state-changing steps.
fn enabled<M: Model>(m: &M, s: &M::State) -> BTreeSet<(usize, u32)> {
    let mut out = BTreeSet::new();
    let mut actions = Vec::new();
    m.actions(s, &mut actions);
    for a in &actions {
        if m.next_state(s, a).is_some_and(|t| t != *s) {
            for (f, fair) in m.fairness().iter().enumerate() {
                if let Some(i) = (fair.instance)(m, a) {
                    out.insert((f, i));
                }
            }
        }
    }
    out
}

/// Judges a lasso: `Ok` when it is a fair behaviour of `m` that violates property `name`.
fn validate<M: Model>(m: &M, name: &str, states: &[M::State], labels: &[String], lasso: Lasso) -> Result<(), String> {
    let prop = m.liveness().iter().find(|p| p.name == name).ok_or(format!("no property {name}"))?;
    if states.is_empty() || !m.init_states().contains(&states[0]) {
        return Err("the trace does not start in an initial state".into());
    }
    for (i, w) in states.windows(2).enumerate() {
        let mut actions = Vec::new();
        m.actions(&w[0], &mut actions);
        let ok = actions.iter().any(|a| m.action_label(a) == labels[i] && m.next_state(&w[0], a).as_ref() == Some(&w[1]));
        if !ok || w[0] == w[1] {
            return Err(format!("step {} ({}) is not a state-changing step of the model", i + 1, labels[i]));
        }
    }
    let last = states.len() - 1;
    // The cycle's states and steps (a stutter: the last state alone, no step).
    let (start, steps): (usize, Vec<(usize, usize)>) = match lasso {
        Lasso::BackTo(i) => {
            if i > last {
                return Err(format!("back to state {i} of {}", states.len()));
            }
            let mut actions = Vec::new();
            m.actions(&states[last], &mut actions);
            if states[last] == states[i] || !actions.iter().any(|a| m.next_state(&states[last], a).as_ref() == Some(&states[i])) {
                return Err("the cycle does not close: no step from the last state back".into());
            }
            let mut steps: Vec<(usize, usize)> = (i..last).map(|k| (k, k + 1)).collect();
            steps.push((last, i));
            (i, steps)
        }
        Lasso::Stuttering => (last, Vec::new()),
    };
    let cycle = &states[start..];
    // The violation.
    let p = |s: &M::State| (prop.p)(m, s);
    let violated = match prop.kind {
        Temporal::Eventually => states.iter().all(|s| !p(s)),
        Temporal::AlwaysEventually => cycle.iter().all(|s| !p(s)),
        Temporal::EventuallyAlways => cycle.iter().any(|s| !p(s)),
        Temporal::LeadsTo => {
            let q = |s: &M::State| (prop.q.expect("Q"))(m, s);
            (0..states.len()).any(|j| p(&states[j]) && !q(&states[j]) && states[j.min(start)..].iter().all(|s| !q(s)))
        }
    };
    if !violated {
        return Err(format!("the behaviour satisfies {name}"));
    }
    // Fairness.
    let mut taken_all = BTreeSet::new();
    for &(a, b) in &steps {
        taken_all.extend(taken(m, &states[a], &states[b]));
    }
    let enabled_at: Vec<BTreeSet<(usize, u32)>> = cycle.iter().map(|s| enabled(m, s)).collect();
    let every: BTreeSet<(usize, u32)> = enabled_at.iter().flatten().copied().collect();
    for o in every {
        if taken_all.contains(&o) {
            continue;
        }
        let fair = &m.fairness()[o.0];
        let disabled_somewhere = enabled_at.iter().any(|e| !e.contains(&o));
        let disabled_everywhere = enabled_at.iter().all(|e| !e.contains(&o));
        let ok = match fair.kind {
            FairnessKind::Weak => disabled_somewhere,
            FairnessKind::Strong => disabled_everywhere,
        };
        if !ok {
            return Err(format!("unfair: {} instance {} is enabled on the cycle and never taken", fair.name, o.1));
        }
    }
    Ok(())
}

/// Liveness config `config` of `M` at default constants: a violation is a validated lasso of the
/// expected property, otherwise it holds.
fn check_config<M: ModelDef>(config: &str) {
    let info = M::info();
    let config = info.config(config).unwrap();
    let model = Arc::new(M::build(config, &Constants::defaults(&info.constants)).unwrap());
    assert!(!model.liveness().is_empty(), "{}/{}", info.name, config.name);
    let mut c = LivenessChecker::new(model.clone(), CheckOptions::default());
    match (c.run_to_end(), config.expect) {
        (Outcome::Ok, None) => {}
        (Outcome::Violation(v), Some(want)) => {
            assert_eq!((v.kind, v.name), (ViolationKind::Liveness, want), "{}/{}", info.name, config.name);
            let states: Vec<M::State> = v.trace.iter().map(|(_, s)| s.clone()).collect();
            let labels: Vec<String> = v.trace.iter().skip(1).map(|(a, _)| model.action_label(a.as_ref().unwrap())).collect();
            let lasso = v.lasso.expect("a liveness violation has a lasso");
            validate(model.as_ref(), want, &states, &labels, lasso).unwrap_or_else(|e| panic!("{}/{}: {e}", info.name, config.name));
        }
        (Outcome::Violation(v), None) => panic!("{}/{}: {} fails", info.name, config.name, v.name),
        (Outcome::Ok, Some(want)) => panic!("{}/{}: {want} should fail", info.name, config.name),
        (Outcome::Incomplete(r), _) => panic!("{}/{}: incomplete {r:?}", info.name, config.name),
    }
}

/// Every liveness config of every model of the catalogue (a config whose model checks temporal
/// properties). The validator needs the typed model, so each catalogue name is mapped to its type
/// here; a model missing from the table fails the test rather than going unchecked.
#[test]
fn every_liveness_config_gives_its_verdict_and_valid_lassos() {
    use pex::models::{anti_entropy::AntiEntropy, composed::Composed, ebpf_ring::EbpfRing, gossip::Gossip, hlc::HlcModel, mvcc::Mvcc, paxos::Paxos};
    let mut checked = Vec::new();
    for info in catalogue::infos() {
        for config in &info.configs {
            if catalogue::build(info.name, config.name, &[]).unwrap().liveness_names().is_empty() {
                continue;
            }
            let check: fn(&str) = match info.name {
                "seqlock" => check_config::<Seqlock>,
                "ebpf-ring" => check_config::<EbpfRing>,
                "paxos" => check_config::<Paxos>,
                "hlc" => check_config::<HlcModel>,
                "occ" => check_config::<Occ>,
                "mvcc" => check_config::<Mvcc>,
                "routes" => check_config::<Routes>,
                "composed" => check_config::<Composed>,
                "crdt" => check_config::<Crdt>,
                "persistence" => check_config::<Persistence>,
                "anti-entropy" => check_config::<AntiEntropy>,
                "gossip" => check_config::<Gossip>,
                other => panic!("{other}/{}: a liveness config of a model this test does not know; add it to the table", config.name),
            };
            check(config.name);
            checked.push(format!("{}/{}", info.name, config.name));
        }
    }
    // Two per model that has any (a config that holds and one that fails).
    assert_eq!(checked.len(), 14, "{checked:?}");
}

#[test]
fn the_validator_rejects_unfair_or_satisfying_behaviours() {
    let info = Seqlock::info();
    let consts = Constants::defaults(&info.constants);
    let fair = Seqlock::build(info.config("progress").unwrap(), &consts).unwrap();
    let next_only = Seqlock::build(info.config("progress-next-only").unwrap(), &consts).unwrap();
    // The initial state stuttering for ever: nothing is published, so ReaderProgress holds on it.
    let s0 = fair.init_states().remove(0);
    assert!(validate(&next_only, "ReaderProgress", std::slice::from_ref(&s0), &[], Lasso::Stuttering).unwrap_err().contains("satisfies"));
    // Published, then stuttering while both readers could move: unfair under WF(Next).
    let mut states = vec![s0];
    let mut labels = Vec::new();
    for label in ["WriterBegin", "WriterData", "WriterFinish"] {
        let s = states.last().unwrap().clone();
        let mut actions = Vec::new();
        fair.actions(&s, &mut actions);
        let a = actions.into_iter().find(|a| fair.action_label(a) == label).unwrap();
        states.push(fair.next_state(&s, &a).unwrap());
        labels.push(label.to_string());
    }
    assert!(validate(&next_only, "ReaderProgress", &states, &labels, Lasso::Stuttering).unwrap_err().contains("unfair"));
    // A wrong label is not a step.
    let mut bad = labels.clone();
    bad[1] = "WriterFinish".into();
    assert!(validate(&next_only, "ReaderProgress", &states, &bad, Lasso::Stuttering).unwrap_err().contains("not a state-changing step"));
    // A cycle that does not close.
    assert!(validate(&next_only, "ReaderProgress", &states, &labels, Lasso::BackTo(0)).unwrap_err().contains("does not close"));
}

#[test]
fn the_erased_check_carries_the_lasso_and_prints_it_as_tlc_does() {
    let model = catalogue::build("seqlock", "progress-next-only", &[]).unwrap();
    assert_eq!(model.liveness_names(), vec!["ReaderProgress"]);
    assert_eq!(model.fairness_names(), vec!["WF_vars(Next)"]);
    assert_eq!(model.specification(), "FairSpec");
    let mut c = model.checker(CheckOptions::default());
    while !c.run(1000) {}
    let r = c.result().unwrap();
    assert!(!r.symmetry);
    let DynOutcome::Violation { kind, name, trace } = r.outcome else { panic!("holds") };
    assert_eq!((kind, name.as_str()), (ViolationKind::Liveness, "ReaderProgress"));
    let Some(Lasso::BackTo(i)) = trace.lasso else { panic!("{:?}", trace.lasso) };
    assert!(i < trace.len());
    let text = trace.to_tlc_text(model.as_ref());
    assert!(text.lines().last().unwrap().starts_with(&format!("Back to state {}: <", i + 1)), "{text}");
    // A liveness config of a model with symmetric sets runs without them, and says why.
    let occ = catalogue::build("occ", "termination-unfair", &[]).unwrap();
    let mut c = occ.checker(CheckOptions::default());
    while !c.run(1000) {}
    let r = c.result().unwrap();
    assert!(!r.symmetry);
    assert_eq!(r.note.as_deref(), Some("symmetry not used: liveness"));
    let DynOutcome::Violation { trace, .. } = r.outcome else { panic!("holds") };
    assert_eq!(trace.lasso, Some(Lasso::Stuttering));
    assert!(trace.to_tlc_text(occ.as_ref()).ends_with(&format!("State {}: Stuttering\n", trace.len() + 1)));
}

#[test]
fn liveness_configs_count_the_states_the_plain_search_counts() {
    // The search behind a liveness check is the BFS: same distinct, generated, depth as the safe
    // config without symmetry.
    for (model, safe, live) in
        [("seqlock", "safe", "progress"), ("occ", "safe", "termination"), ("routes", "safe", "convergence"), ("crdt", "safe", "convergence")]
    {
        let figures = |config: &str| {
            let m = catalogue::build(model, config, &[]).unwrap();
            let mut c = m.checker(CheckOptions { symmetry: false, ..CheckOptions::default() });
            while !c.run(4096) {}
            let p = c.result().unwrap().progress;
            (p.distinct, p.generated, p.depth)
        };
        assert_eq!(figures(safe), figures(live), "{model}");
    }
}

#[test]
fn the_liveness_check_honours_bounds_and_cancel() {
    let model = catalogue::build("seqlock", "progress", &[]).unwrap();
    let mut c = model.checker(CheckOptions { max_states: Some(1000), ..CheckOptions::default() });
    while !c.run(100) {}
    assert!(matches!(c.result().unwrap().outcome, DynOutcome::Incomplete(pex::engine::StopReason::MaxStates)));
    let mut c = model.checker(CheckOptions::default());
    assert!(!c.run(10));
    c.cancel();
    assert!(c.run(10));
    assert!(matches!(c.result().unwrap().outcome, DynOutcome::Incomplete(pex::engine::StopReason::Cancelled)));
    // The liveness phase runs in slices too: it reports its phase, and a cancel between two
    // slices ends the run.
    let mut c = model.checker(CheckOptions::default());
    while c.progress().phase.as_deref().is_none_or(|p| p.starts_with("liveness: state graph: ")) {
        assert!(!c.run(50), "the liveness phase takes more than one slice of 50");
    }
    assert!(c.progress().phase.as_deref().unwrap().starts_with("liveness: state graph built ("), "{:?}", c.progress().phase);
    assert!(!c.run(50));
    assert_eq!(c.progress().phase.as_deref(), Some("liveness: property 1 of 1, ReaderProgress: its subgraph"));
    assert_eq!(c.progress().distinct, 265796);
    c.cancel();
    assert!(matches!(c.result().unwrap().outcome, DynOutcome::Incomplete(pex::engine::StopReason::Cancelled)));
    // Small slices reach the verdict big ones do.
    let next_only = catalogue::build("seqlock", "progress-next-only", &[]).unwrap();
    let lasso = |budget: usize| {
        let mut c = next_only.checker(CheckOptions::default());
        while !c.run(budget) {}
        match c.result().unwrap().outcome {
            DynOutcome::Violation { trace, .. } => (trace.labels(), trace.lasso),
            _ => panic!("holds"),
        }
    };
    assert_eq!(lasso(7), lasso(1 << 20));
    let mut c = model.checker(CheckOptions { max_memory: Some(1 << 20), ..CheckOptions::default() });
    while !c.run(1000) {}
    assert!(matches!(c.result().unwrap().outcome, DynOutcome::Incomplete(pex::engine::StopReason::Memory)));
}

#[test]
fn trace_files_carry_the_lasso_and_old_files_still_read() {
    let old = r#"{"model":"seqlock","config":"safe","constants":[],"init":0,"actions":["WriterBegin"]}"#;
    assert_eq!(TraceFile::parse(old).unwrap().lasso, None);
    let with = r#"{"model":"seqlock","config":"progress-next-only","constants":[],"init":0,"actions":["WriterBegin"],"lasso":{"back_to":1}}"#;
    assert_eq!(TraceFile::parse(with).unwrap().lasso, Some(Lasso::BackTo(1)));
    let stutter = r#"{"model":"seqlock","config":"progress-next-only","constants":[],"actions":[],"lasso":"stuttering"}"#;
    assert_eq!(TraceFile::parse(stutter).unwrap().lasso, Some(Lasso::Stuttering));
    // A loop back past the end, or a lasso of another shape, is refused without a panic.
    let past = r#"{"model":"seqlock","config":"x","constants":[],"actions":["A"],"lasso":{"back_to":5}}"#;
    assert!(TraceFile::parse(past).unwrap_err().contains("lasso"));
    for bad in [r#""lasso":7"#, r#""lasso":{"back_to":-1}"#, r#""lasso":{"loop":1}"#, r#""lasso":"forever""#] {
        let text = format!(r#"{{"model":"m","config":"c","constants":[],"actions":[],{bad}}}"#);
        assert!(TraceFile::parse(&text).is_err(), "{bad}");
    }
    let file = TraceFile { model: "m".into(), config: "c".into(), constants: vec![], init: 0, actions: vec!["A".into()], lasso: Some(Lasso::BackTo(0)) };
    let round = TraceFile::parse(&serde_json::to_string(&file).unwrap()).unwrap();
    assert_eq!(round, file);
}

#[test]
fn a_liveness_property_that_holds_is_said_to_hold_and_under_which_fairness() {
    let model = catalogue::build("seqlock", "progress", &[]).unwrap();
    let mut c = model.checker(CheckOptions::default());
    while !c.run(1 << 16) {}
    let r = c.result().unwrap();
    assert!(matches!(r.outcome, DynOutcome::Ok));
    assert_eq!(r.temporal_verdicts(), vec![("ReaderProgress".to_string(), true)]);
    let l = r.liveness.as_ref().expect("a liveness config reports its temporal side");
    assert_eq!(l.specification, "FairSpecPerProcess");
    assert_eq!(l.fairness, model.fairness_names());
    assert!(l.search_complete);
    let text = pex::engine::verdict::ok_text(Some(l));
    assert!(
        text.starts_with(
            "No error: every reachable state satisfies every invariant, and ReaderProgress holds on every fair behaviour (FairSpecPerProcess: WF_vars("
        ),
        "{text}"
    );
    // A violated one is judged false; a safety config has no temporal side.
    let next_only = catalogue::build("seqlock", "progress-next-only", &[]).unwrap();
    let mut c = next_only.checker(CheckOptions::default());
    while !c.run(1 << 16) {}
    assert_eq!(c.result().unwrap().temporal_verdicts(), vec![("ReaderProgress".to_string(), false)]);
    let safe = catalogue::build("seqlock", "safe", &[]).unwrap();
    let mut c = safe.checker(CheckOptions::default());
    while !c.run(1 << 16) {}
    assert!(c.result().unwrap().liveness.is_none());
}

#[test]
fn the_liveness_phase_names_each_stage_and_a_stop_in_it_is_described_rightly() {
    let model = catalogue::build("seqlock", "progress", &[]).unwrap();
    let mut c = model.checker(CheckOptions::default());
    let mut phases: Vec<String> = Vec::new();
    while !c.run(200) {
        let p = c.progress().phase.unwrap_or_else(|| "search".to_string());
        let stage = p.split(" (").next().unwrap().to_string();
        if phases.last() != Some(&stage) {
            phases.push(stage);
        }
    }
    assert_eq!(
        phases,
        vec![
            "search",
            "liveness: state graph: indexing the states",
            "liveness: state graph: resolving the edges",
            "liveness: state graph built",
            "liveness: property 1 of 1, ReaderProgress: its subgraph",
            "liveness: property 1 of 1, ReaderProgress: fair components",
            "liveness: property 1 of 1, ReaderProgress: the shortest lasso",
        ]
    );
    // Cancelled after the search: every state expanded, the temporal property not judged.
    let mut c = model.checker(CheckOptions::default());
    while c.progress().phase.is_none() {
        assert!(!c.run(1 << 16));
    }
    c.cancel();
    let r = c.result().unwrap();
    let l = r.liveness.clone().unwrap();
    assert!(l.search_complete);
    assert!(l.verdicts.is_empty());
    let text = pex::engine::verdict::stopped_text("by cancellation", &r.progress, Some(&l));
    assert!(text.contains("during the liveness phase, after the search: every reachable state (265796 distinct states) was expanded"), "{text}");
    assert!(text.contains("the temporal property ReaderProgress was not judged"), "{text}");
    assert!(!text.contains("left on the queue"), "{text}");
    // Stopped by a bound during the search: no temporal property was evaluated.
    let mut c = model.checker(CheckOptions { max_states: Some(1000), ..CheckOptions::default() });
    while !c.run(100) {}
    let r = c.result().unwrap();
    let l = r.liveness.clone().unwrap();
    assert!(!l.search_complete);
    let text = pex::engine::verdict::stopped_text("by the bound --max-states 1000", &r.progress, Some(&l));
    assert!(text.contains("left on the queue") && text.contains("No temporal property was evaluated (ReaderProgress)"), "{text}");
}
