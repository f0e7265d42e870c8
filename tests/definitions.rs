//! Every property of every catalogued config has its definition from the twin and a sentence in
//! plain words; every action family has a meaning; every config's altered families are its own.

use pex::catalogue;

/// Each (model, config) with its default constants.
fn every_config() -> Vec<(String, String)> {
    catalogue::infos().iter().flat_map(|info| info.configs.iter().map(|c| (info.name.to_string(), c.name.to_string())).collect::<Vec<_>>()).collect()
}

#[test]
fn every_property_has_its_tla_text_and_a_sentence() {
    let mut missing = Vec::new();
    for (model, config) in every_config() {
        let m = catalogue::build(&model, &config, &[]).unwrap();
        for name in m.invariant_names().into_iter().chain(m.property_names()).chain(m.liveness_names()) {
            match m.definition(name) {
                None => missing.push(format!("{model}/{config}: {name} has no definition in the twin")),
                Some(d) => {
                    if !d.tla.starts_with(name) || !d.tla.contains("==") {
                        missing.push(format!("{model}/{config}: {name}'s text does not read as its definition: {}", d.tla));
                    }
                    if d.words.is_none_or(|w| w.trim().is_empty()) {
                        missing.push(format!("{model}/{config}: {name} has no sentence"));
                    }
                    // Only a definition that is a constant (`Routes2_CoverageDisjoint == TRUE`)
                    // reads no variable.
                    let body = d.tla.split_once("==").unwrap().1.trim();
                    if d.reads.is_empty() && body != "TRUE" {
                        missing.push(format!("{model}/{config}: {name} reads no variable: {}", d.tla));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_action_family_has_a_meaning() {
    let mut missing = Vec::new();
    for (model, config) in every_config() {
        let m = catalogue::build(&model, &config, &[]).unwrap();
        for family in m.action_names() {
            if m.action_meaning(family).is_none_or(|w| w.trim().is_empty()) {
                missing.push(format!("{model}/{config}: action {family} has no meaning"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn definitions_stop_at_the_next_definition_and_follow_operators() {
    let paxos = catalogue::build("paxos", "safe", &[]).unwrap();
    let agreement = paxos.definition("Agreement").unwrap();
    assert_eq!(agreement.tla, "Agreement == \\A r \\in Rounds : Cardinality(learned[r]) <= 1");
    assert_eq!(agreement.reads, vec!["learned"]);
    // Consistency reads `accepted` through ChosenAt, and names nothing else.
    assert_eq!(paxos.definition("Consistency").unwrap().reads, vec!["accepted"]);
    // OCC's liveness lives in its second module.
    let occ = catalogue::build("occ", "termination", &[]).unwrap();
    let termination = occ.definition("Termination").unwrap();
    assert!(termination.tla.starts_with("Termination == <>[]"), "{}", termination.tla);
    assert_eq!(termination.reads, vec!["txnState"]);
    // OCC-3 reads `versions` through LatestVisible, whose `v.commitTs` is a field, not the variable.
    assert_eq!(occ.definition("OCC3_ReadSnapshotStability").unwrap().reads, vec!["txnState", "startTs", "readObs", "versions"]);
    // An action property: its `_vars` subscript is not a read.
    let hlc = catalogue::build("hlc", "safe", &[]).unwrap();
    assert_eq!(hlc.definition("HLC2_Action").unwrap().reads, vec!["physicalCeiling"]);
    assert!(paxos.definition("NoSuchProperty").is_none());
}

#[test]
fn a_config_alters_its_own_action_families_exactly_when_its_switches_differ_from_safe() {
    for info in catalogue::infos() {
        for config in &info.configs {
            let m = catalogue::build(info.name, config.name, &[]).unwrap();
            // A config alters actions exactly when its switches differ from safe's: the others
            // (safe itself, a stricter invariant, liveness under some fairness) run safe's steps.
            let safe = info.config("safe").unwrap();
            assert_eq!(
                config.alters.is_empty(),
                config.tla_switches == safe.tla_switches,
                "{}/{}: alters {:?} with switches {:?}",
                info.name,
                config.name,
                config.alters,
                config.tla_switches
            );
            for family in config.alters {
                assert!(m.action_names().contains(family), "{}/{}: alters {family}, which it does not have", info.name, config.name);
            }
        }
    }
}
