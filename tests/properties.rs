//! Property tests over the catalogue: random walks of safe configurations never violate anything;
//! a walk is a function of its seed; labels identify actions; traces survive a round trip.

use pex::catalogue;
use pex::engine::{random_walk, replay, DynModel, Session};
use proptest::prelude::*;
use proptest::strategy::Union;
use std::collections::HashSet;
use std::sync::Arc;

type Overrides = Vec<(String, String)>;

/// Small constants for every model of the catalogue, so that thousands of walks stay quick. A
/// model missing here fails [`every_model_has_small_constants`].
fn small_constants_table() -> Vec<(&'static str, BoxedStrategy<Overrides>)> {
    vec![
        (
            "seqlock",
            (1..=3i64, 1..=3i64, 0..=6i64)
                .prop_map(|(n, r, m)| vec![("NumReaders".into(), n.to_string()), ("RingSize".into(), r.to_string()), ("MaxSeq".into(), m.to_string())])
                .boxed(),
        ),
        (
            "ebpf-ring",
            (1..=6i64, prop::sample::select(vec!["{1}", "{2}", "{1, 2}", "{1, 3}"]), 2..=10i64, 1..=4i64)
                .prop_map(|(cap, sizes, off, live)| {
                    vec![
                        ("Capacity".into(), cap.to_string()),
                        ("Sizes".into(), sizes.to_string()),
                        ("MaxOffset".into(), off.to_string()),
                        ("MaxLiveRecords".into(), live.to_string()),
                    ]
                })
                .boxed(),
        ),
        (
            "paxos",
            (
                prop::sample::select(vec!["{1}", "{1, 2}"]),
                prop::sample::select(vec!["{1}", "{1, 2}", "{1, 2, 3}"]),
                prop::sample::select(vec!["{0}", "{0, 1}"]),
                1..=2i64,
            )
                .prop_map(|(p, a, att, v)| {
                    vec![
                        ("Proposers".into(), p.to_string()),
                        ("Acceptors".into(), a.to_string()),
                        ("Rounds".into(), "{1}".into()),
                        ("Attempts".into(), att.to_string()),
                        ("Values".into(), v.to_string()),
                    ]
                })
                .boxed(),
        ),
        (
            "hlc",
            (1..=3i64, 0..=1i64, 2..=3i64, 1..=2i64, 0..=3i64, 0..=3i64, 0..=1i64)
                .prop_map(|(n, skew, window, terms, ops, wall, logical)| {
                    vec![
                        ("Nodes".into(), n.to_string()),
                        ("MaxClockSkewMs".into(), skew.to_string()),
                        ("HlcPhysicalWindowMs".into(), window.to_string()),
                        ("MaxTerms".into(), terms.to_string()),
                        ("MaxOps".into(), ops.to_string()),
                        ("MaxWallTime".into(), wall.to_string()),
                        ("LogicalMax".into(), logical.to_string()),
                    ]
                })
                .boxed(),
        ),
        (
            "occ",
            (1..=2i64, 1..=2i64, 1..=6i64, 1..=3i64)
                .prop_map(|(k, t, ts, ops)| {
                    vec![("Keys".into(), k.to_string()), ("TxnIds".into(), t.to_string()), ("MaxTs".into(), ts.to_string()), ("MaxOps".into(), ops.to_string())]
                })
                .boxed(),
        ),
        (
            "mvcc",
            (1..=3i64, 1..=2i64, 1..=5i64, 0..=4i64)
                .prop_map(|(k, v, ts, ops)| {
                    vec![("Keys".into(), k.to_string()), ("Vals".into(), v.to_string()), ("MaxTs".into(), ts.to_string()), ("MaxOps".into(), ops.to_string())]
                })
                .boxed(),
        ),
        (
            "routes",
            (1..=3i64, 0..=4i64, 0..=6i64)
                .prop_map(|(n, v, ops)| vec![("Nodes".into(), n.to_string()), ("MaxVersions".into(), v.to_string()), ("MaxOps".into(), ops.to_string())])
                .boxed(),
        ),
        (
            "composed",
            (1..=3i64, 1..=3i64, 1..=3i64, 0..=3i64, 0..=5i64, 0..=5i64)
                .prop_map(|(k, g, t, v, ts, ops)| {
                    vec![
                        ("Keys".into(), k.to_string()),
                        ("Groups".into(), g.to_string()),
                        ("TxnIds".into(), t.to_string()),
                        ("MaxVersions".into(), v.to_string()),
                        ("MaxTs".into(), ts.to_string()),
                        ("MaxOps".into(), ops.to_string()),
                        ("InitGroup".into(), format!("g{g}")),
                    ]
                })
                .boxed(),
        ),
        (
            "crdt",
            (prop::sample::select(vec!["{1}", "{1, 2}", "{2, 3}", "{1, 2, 3}"]), 1..=2i64, 1..=3i64, 0..=4i64)
                .prop_map(|(r, k, v, t)| {
                    vec![
                        ("Replicas".into(), r.to_string()),
                        ("Keys".into(), k.to_string()),
                        ("Values".into(), v.to_string()),
                        ("MaxTime".into(), t.to_string()),
                    ]
                })
                .boxed(),
        ),
        (
            "persistence",
            (1..=3i64, 1..=3i64, 1..=4i64, 0..=2i64)
                .prop_map(|(d, b, s, c)| {
                    vec![
                        ("MaxDeltas".into(), d.to_string()),
                        ("MaxBufferSize".into(), b.to_string()),
                        ("MaxSegments".into(), s.to_string()),
                        ("MaxCrashes".into(), c.to_string()),
                    ]
                })
                .boxed(),
        ),
        (
            "anti-entropy",
            (prop::sample::select(vec!["{1}", "{1, 2}", "{2, 3}", "{1, 2, 3}"]), 1..=3i64, 1..=2i64, 0..=3i64)
                .prop_map(|(r, k, v, t)| {
                    vec![
                        ("Replicas".into(), r.to_string()),
                        ("NumKeys".into(), k.to_string()),
                        ("NumBuckets".into(), k.min(2).to_string()),
                        ("NumValues".into(), v.to_string()),
                        ("MaxTimestamp".into(), t.to_string()),
                    ]
                })
                .boxed(),
        ),
        (
            "gossip",
            (prop::sample::select(vec!["{1}", "{1, 2}", "{1, 2, 3}"]), 1..=2i64, 0..=3i64, 0..=2i64, 0..=3i64)
                .prop_map(|(r, k, d, e, msgs)| {
                    vec![
                        ("Replicas".into(), r.to_string()),
                        ("Keys".into(), k.to_string()),
                        ("Owners".into(), "{1}".into()),
                        ("MaxDeltas".into(), d.to_string()),
                        ("MaxEpoch".into(), e.to_string()),
                        ("MaxMessages".into(), msgs.to_string()),
                    ]
                })
                .boxed(),
        ),
    ]
}

/// A model of the catalogue and small constants for it.
fn small_constants() -> impl Strategy<Value = (String, Overrides)> {
    Union::new(small_constants_table().into_iter().map(|(name, constants)| constants.prop_map(move |c| (name.to_string(), c)).boxed()))
}

#[test]
fn every_model_has_small_constants() {
    let mut table: Vec<&str> = small_constants_table().iter().map(|(name, _)| *name).collect();
    let mut models: Vec<&str> = catalogue::infos().iter().map(|i| i.name).collect();
    table.sort_unstable();
    models.sort_unstable();
    assert_eq!(table, models, "one entry per catalogue model");
}

fn labels(model: &dyn DynModel, seed: u64, steps: usize) -> Vec<String> {
    random_walk(model, seed, steps, false).trace.labels()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn safe_walks_never_violate((name, consts) in small_constants(), seed in any::<u64>()) {
        let model = catalogue::build(&name, "safe", &consts).unwrap();
        let walk = random_walk(model.as_ref(), seed, 300, false);
        prop_assert!(walk.violation.is_none(), "{name} {consts:?} seed {seed}: {:?}", walk.violation);
    }

    #[test]
    fn same_seed_same_trace((name, consts) in small_constants(), seed in any::<u64>()) {
        let a = catalogue::build(&name, "safe", &consts).unwrap();
        let b = catalogue::build(&name, "safe", &consts).unwrap();
        prop_assert_eq!(labels(a.as_ref(), seed, 120), labels(b.as_ref(), seed, 120));
    }

    #[test]
    fn labels_are_unique_and_traces_replay((name, consts) in small_constants(), seed in any::<u64>()) {
        let model = catalogue::build(&name, "safe", &consts).unwrap();
        let walk = random_walk(model.as_ref(), seed, 150, false);
        for step in &walk.trace.steps {
            let choices = model.choices(&step.state);
            let unique: HashSet<&str> = choices.iter().map(|c| c.label.as_str()).collect();
            prop_assert_eq!(unique.len(), choices.len(), "two enabled actions share a label");
        }
        let (again, stop) = replay(model.as_ref(), walk.trace.init_index, &walk.trace.labels());
        prop_assert!(stop.is_none());
        for (x, y) in walk.trace.steps.iter().zip(again.steps.iter()) {
            prop_assert!(model.same_state(&x.state, &y.state));
        }
    }

    #[test]
    fn random_steps_in_a_session_follow_the_walk((name, consts) in small_constants(), seed in any::<u64>()) {
        let model: Arc<dyn DynModel> = catalogue::build(&name, "safe", &consts).unwrap();
        let walk = random_walk(model.as_ref(), seed, 60, false);
        let mut session = Session::at_init(model.clone(), walk.trace.init_index);
        while session.random_step(seed).is_some() && session.len() < walk.trace.len() {}
        prop_assert_eq!(session.trace().labels(), walk.trace.labels());
    }
}

#[test]
fn different_seeds_give_different_walks() {
    let model = catalogue::build("seqlock", "safe", &[]).unwrap();
    let walks: HashSet<Vec<String>> = (0..20).map(|seed| labels(model.as_ref(), seed, 40)).collect();
    assert!(walks.len() > 15, "only {} distinct walks from 20 seeds", walks.len());
}

#[test]
fn a_walk_is_pinned_by_its_seed() {
    // The draw is fixed: ChaCha8 seeded by the seed, stream = position, u32 range sampling, over
    // the enabled actions in Next's order. These values are also asserted by the browser build
    // (web/tests), which is how we know a seed gives the same walk natively and in the browser.
    // A change here changes every stored link and trace file, so it must be deliberate.
    assert_eq!((0..12).map(|p| pex::engine::walk::pick(42, p, 10)).collect::<Vec<_>>(), vec![2, 5, 3, 5, 0, 5, 3, 2, 9, 3, 9, 8]);
    let model = catalogue::build("ebpf-ring", "safe", &[]).unwrap();
    assert_eq!(
        labels(model.as_ref(), 7, 6),
        vec!["ProducerReserve(1)", "ProducerDiscard", "ConsumerNext", "AsyncQuery", "ProducerReserve(2)", "ProducerDiscard"]
    );
}

#[test]
fn gap_walks_find_their_violation() {
    // A long enough random walk of a gap config eventually breaks the expected invariant.
    for (name, config, expect) in [
        ("seqlock", "no-verify", "NoTornRead"),
        ("ebpf-ring", "publish-before-lock", "Safety"),
        ("seqlock", "seed-invariant", "SeedNoTornRead"),
        ("mvcc", "gap", "MVCC4_NoLostCommitOnSnapshotInstall"),
        ("routes", "gap", "Routes4_NoEngineRegression"),
        ("composed", "gap", "Composed1_CommitToOwningGroup"),
        ("crdt", "tie-break-missing", "MergeCommutative"),
        ("crdt", "lossy-partition", "EventualConvergence"),
        ("persistence", "ack-before-flush", "DurabilityGuarantee"),
        ("persistence", "manifest-first", "ManifestConsistent"),
        ("persistence", "no-backpressure", "WriteBufferBounded"),
        ("anti-entropy", "root-only", "SyncReconciles"),
        ("anti-entropy", "blind-overwrite", "LwwMonotonic"),
        ("gossip", "no-dedup", "NoDuplicateProcessing"),
        ("gossip", "route-to-self", "NoSelfTarget"),
    ] {
        let model = catalogue::build(name, config, &[]).unwrap();
        let found = (0..200u64).find_map(|seed| random_walk(model.as_ref(), seed, 400, true).violation);
        assert_eq!(found.map(|v| v.name), Some(expect.to_string()), "{name}/{config}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every model of the catalogue, at its default constants: safe walks never violate, a walk
    /// is a function of its seed, enabled actions have distinct labels, and traces replay.
    #[test]
    fn every_model_walks_safely_and_replays(index in 0usize..64, seed in any::<u64>()) {
        let infos = catalogue::infos();
        let info = &infos[index % infos.len()];
        let model = catalogue::build(info.name, "safe", &[]).unwrap();
        let walk = random_walk(model.as_ref(), seed, 200, false);
        prop_assert!(walk.violation.is_none(), "{} seed {seed}: {:?}", info.name, walk.violation);
        prop_assert_eq!(random_walk(model.as_ref(), seed, 200, false).trace.labels(), walk.trace.labels());
        for step in walk.trace.steps.iter().step_by(7) {
            let choices = model.choices(&step.state);
            let unique: HashSet<&str> = choices.iter().map(|c| c.label.as_str()).collect();
            prop_assert_eq!(unique.len(), choices.len(), "{}: two enabled actions share a label", info.name);
        }
        let (again, stop) = replay(model.as_ref(), walk.trace.init_index, &walk.trace.labels());
        prop_assert!(stop.is_none());
        prop_assert!(model.same_state(&again.steps.last().unwrap().state, &walk.trace.steps.last().unwrap().state));
    }
}

#[test]
fn invariants_true_by_construction_are_declared_with_a_reason() {
    // Which invariants hold by construction is a reading of the code (see each model's
    // `by_construction`); this pins the list and checks what can be checked about it.
    let want: &[(&str, &[&str])] = &[
        ("seqlock", &[]),
        ("ebpf-ring", &[]),
        ("paxos", &["TypeOK", "Validity"]),
        ("hlc", &["TypeOK", "HLC2_NonNeg"]),
        ("occ", &["TypeOK"]),
        ("mvcc", &["TypeOK"]),
        ("routes", &["TypeOK", "Routes1_VersionInRange", "Routes2_CoverageDisjoint", "Routes3_SplitAtomicity"]),
        ("composed", &["TypeOK"]),
        ("crdt", &[]),
        ("persistence", &[]),
        ("anti-entropy", &[]),
        ("gossip", &[]),
    ];
    assert_eq!(want.len(), catalogue::infos().len(), "every model of the catalogue is listed here");
    for info in catalogue::infos() {
        let (_, expected) = want.iter().find(|(m, _)| *m == info.name).unwrap_or_else(|| panic!("{} is not listed", info.name));
        for config in &info.configs {
            let model = catalogue::build(info.name, config.name, &[]).unwrap();
            let what = format!("{}/{}", info.name, config.name);
            let declared = model.by_construction();
            let names: Vec<&str> = declared.iter().map(|(n, _)| *n).collect();
            assert_eq!(&names, expected, "{what}");
            let invariants = model.invariant_names();
            for (name, why) in declared {
                assert!(invariants.contains(name), "{what}: {name} is declared by construction but is not an invariant of the model");
                assert!(why.len() > 20 && why.ends_with('.') && !why.contains('\n'), "{what}: {name} needs a one-sentence reason, got {why:?}");
                assert_ne!(config.expect, Some(*name), "{what}: the gap is expected to break {name}, so it cannot hold by construction");
            }
            // They hold on every state of many walks, in every config (including past a gap's
            // violation of something else).
            let index: Vec<usize> = names.iter().map(|n| invariants.iter().position(|i| i == n).unwrap()).collect();
            for seed in 0..40 {
                let walk = random_walk(model.as_ref(), seed, 200, false);
                for step in &walk.trace.steps {
                    let verdicts = model.check_invariants(&step.state);
                    for &i in &index {
                        assert!(verdicts[i], "{what}: {} failed on walk {seed}", invariants[i]);
                    }
                }
            }
        }
    }
}
