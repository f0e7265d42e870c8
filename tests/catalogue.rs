//! The catalogue is the one registration of a model: each entry is well-formed and has its twin in
//! `tla/<name>/` (the module and a cfg per config, found by the conformance run's rules), and no
//! twin is left without a model. None of this runs TLC.

use pex::catalogue;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn tla_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tla")
}

/// The config a twin's cfg file is for, by `src/tlc/conform.rs`'s rules: `MC[.<variant>].cfg` and
/// `Bench.cfg` are `safe`, `MC_<config>[.<variant>].cfg` and `Bench_<config>.cfg` are `<config>`.
fn config_of(file: &str) -> Option<String> {
    let stem = file.strip_suffix(".cfg")?;
    if let Some(rest) = stem.strip_prefix("Bench") {
        return if rest.is_empty() { Some("safe".into()) } else { rest.strip_prefix('_').filter(|c| !c.is_empty() && !c.contains('.')).map(str::to_string) };
    }
    let base = stem.split_once('.').map_or(stem, |(base, _)| base);
    if base == "MC" {
        Some("safe".into())
    } else {
        base.strip_prefix("MC_").filter(|c| !c.is_empty()).map(str::to_string)
    }
}

#[test]
fn entries_are_well_formed() {
    let catalogue = catalogue::builtin();
    let entries = catalogue.entries();
    let mut names = HashSet::new();
    for e in entries {
        let info = (e.info)();
        assert!(names.insert(info.name), "two models are named {}", info.name);
        assert!(!info.tla_module.is_empty() && !info.title.is_empty(), "{}: title and twin module are required", info.name);
        assert!(e.view.is_some_and(|v| v.own && !v.title.is_empty()), "{}: every built-in model draws its own view, with a title", info.name);
        assert_eq!(info.configs.first().map(|c| c.name), Some("safe"), "{}: safe comes first", info.name);
        let mut configs = HashSet::new();
        for c in &info.configs {
            assert!(configs.insert(c.name), "{}: two configs are named {}", info.name, c.name);
            assert!(!c.name.is_empty() && !c.name.contains('.'), "{}: config name {:?} (config names hold no dot)", info.name, c.name);
            // Safe expects nothing to break; a gap names what it breaks; a liveness config that
            // shows a temporal property holding (under its fairness) may expect nothing too.
            let temporal = !catalogue::build(info.name, c.name, &[]).unwrap().liveness_names().is_empty();
            if c.name == "safe" {
                assert!(c.expect.is_none(), "{}/safe expects nothing to break", info.name);
            } else {
                assert!(c.expect.is_some() || temporal, "{}/{}: a gap names what it breaks", info.name, c.name);
            }
        }
        assert!(catalogue.find(info.name).is_ok());
    }
}

#[test]
fn every_model_has_a_twin_with_a_cfg_per_config() {
    let tla = tla_dir();
    let mut missing = Vec::new();
    for info in catalogue::infos() {
        let dir = tla.join(info.name);
        let module = dir.join(format!("{}.tla", info.tla_module));
        if !module.is_file() {
            missing.push(format!("{}: the twin module {} is missing", info.name, module.display()));
        }
        for config in &info.configs {
            let cfg = dir.join(if config.name == "safe" { "MC.cfg".to_string() } else { format!("MC_{}.cfg", config.name) });
            if !cfg.is_file() {
                missing.push(format!("{}/{}: {} is missing", info.name, config.name, cfg.display()));
            }
        }
        // Every cfg in the twin's folder is for one of the model's configs.
        for file in std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().to_string()).collect())
            .unwrap_or_else(|_| Vec::new())
        {
            if !file.ends_with(".cfg") {
                continue;
            }
            match config_of(&file) {
                Some(c) if info.config(&c).is_some() => {}
                Some(c) => missing.push(format!("{}: {file} is for config '{c}', which the model does not have", info.name)),
                None => missing
                    .push(format!("{}: {file} is not an MC[.<variant>].cfg, MC_<config>[.<variant>].cfg, Bench.cfg or Bench_<config>.cfg name", info.name)),
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_twin_is_a_catalogued_model() {
    let names: Vec<&str> = catalogue::infos().iter().map(|i| i.name).collect();
    for dir in std::fs::read_dir(tla_dir()).unwrap() {
        let dir = dir.unwrap();
        if dir.file_type().unwrap().is_dir() {
            let name = dir.file_name().to_string_lossy().to_string();
            assert!(names.contains(&name.as_str()), "tla/{name} is not a model of the catalogue (src/catalogue.rs)");
        }
    }
}

#[test]
fn the_twins_cfgs_agree_with_the_catalogue() {
    // What the conformance run checks before it runs TLC: each cfg sets every constant and its
    // config's switches, and lists the config's invariants and properties in order.
    let cases = pex::tlc::conform::discover(catalogue::builtin(), &tla_dir(), None).unwrap_or_else(|e| panic!("{e}"));
    for info in catalogue::infos() {
        for config in &info.configs {
            assert!(cases.iter().any(|c| c.model == info.name && c.config == config.name && c.variant.is_none()), "{}/{}", info.name, config.name);
        }
    }
    pex::tlc::conform::discover_bench(catalogue::builtin(), &tla_dir(), None).unwrap_or_else(|e| panic!("{e}"));
}

/// Every model that passes messages declares them consistently along any walk, in every config:
/// each event names nodes the model has; a message is sent while no copy of it is in flight;
/// duplicated, delivered or dropped only while a copy is in flight. The message chart and the
/// network view draw from these declarations alone, so a slip here draws an arrow from nowhere.
#[test]
fn declared_messages_pair_up_along_walks_in_every_model() {
    use pex::engine::{random_walk_with, MessageOp, WalkOptions};
    use std::collections::HashMap;
    let mut models_with_messages = Vec::new();
    for info in catalogue::infos() {
        for config in &info.configs {
            let m = catalogue::build(info.name, config.name, &[]).unwrap();
            let nodes = m.nodes().len();
            if nodes == 0 {
                continue;
            }
            models_with_messages.push(info.name);
            let mut delivered = 0;
            for seed in 0..40 {
                let walk = random_walk_with(m.as_ref(), seed, 80, WalkOptions { stop_on_violation: false, skip_stutter: true });
                let mut copies: HashMap<String, usize> = HashMap::new();
                for pair in walk.trace.steps.windows(2) {
                    let label = pair[1].action.as_deref().expect("a step has its action");
                    for e in m.messages(&pair[0].state, label) {
                        let at = format!("{}/{} seed {seed}: {label}: {}", info.name, config.name, e.id);
                        assert!(e.from < nodes && e.to < nodes, "{at}: nodes {} and {} of {nodes}", e.from, e.to);
                        let n = copies.entry(e.id.clone()).or_insert(0);
                        match e.op {
                            MessageOp::Send => {
                                assert_eq!(*n, 0, "{at}: sent while a copy is in flight");
                                *n = 1;
                            }
                            MessageOp::Duplicate => {
                                assert!(*n > 0, "{at}: duplicated, but none is in flight");
                                *n += 1;
                            }
                            MessageOp::Deliver | MessageOp::Drop => {
                                assert!(*n > 0, "{at}: delivered or dropped, but none is in flight");
                                *n -= 1;
                                delivered += 1;
                            }
                            _ => assert!(!e.op.is_message()),
                        }
                    }
                }
            }
            assert!(delivered > 0, "{}/{}: the walks deliver nothing", info.name, config.name);
        }
    }
    models_with_messages.dedup();
    assert!(models_with_messages.contains(&"crdt") && models_with_messages.contains(&"paxos"), "{models_with_messages:?}");
}
