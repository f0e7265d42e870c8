//! The conformance run: every cfg in `tla/` through TLC and through `pex check --json`, with and
//! without symmetry where the model declares it; the figures must be equal.
//!
//! A case is found, not registered: `tla/<model>/MC.cfg` is the `safe` config of `<model>`,
//! `tla/<model>/MC_<gap>.cfg` its `<gap>` config, and `<TlaModule>.tla` beside them is the twin
//! (for a config with temporal properties, `<TlaModule>Liveness.tla` when the twin has one).
//! `MC.<variant>.cfg` and `MC_<gap>.<variant>.cfg` are further cases of the same config with other
//! constants (say `tla/paxos/MC.attempts-0-2.cfg`); config names hold no dot.
//! Adding a model to the catalogue and its twin to `tla/` adds it to the run. Before running, the
//! case is checked for drift: the cfg must set every model constant (those become `--const`
//! values), set exactly the config's switches, and list exactly the config's invariants and action
//! properties, in order.

use super::cfg::TlcCfg;
use super::run::{normalise, run_tlc, TlcOutcome, TlcResult};
use crate::catalogue::Catalogue;
use crate::engine::{plural, ModelInfo};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One cfg of one twin.
#[derive(Clone, Debug)]
pub struct Case {
    pub model: String,
    pub config: String,
    pub spec: PathBuf,
    pub cfg_path: PathBuf,
    pub cfg_text: String,
    pub cfg: TlcCfg,
    /// The cfg's model constants, as `--const` pairs.
    pub constants: Vec<(String, String)>,
    /// `<variant>` of `MC.<variant>.cfg` / `MC_<config>.<variant>.cfg`: another cfg of the config.
    pub variant: Option<String>,
}

impl Case {
    pub fn name(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{}.{v}", self.model, self.config),
            None => format!("{}/{}", self.model, self.config),
        }
    }
}

/// (config, variant) of a conformance cfg's file name: `MC[.<variant>].cfg` is `safe`,
/// `MC_<config>[.<variant>].cfg` is `<config>`.
fn case_of(file: &str) -> Option<(String, Option<String>)> {
    let stem = file.strip_suffix(".cfg")?;
    let (base, variant) = match stem.split_once('.') {
        Some((base, variant)) if !variant.is_empty() => (base, Some(variant.to_string())),
        Some(_) => return None,
        None => (stem, None),
    };
    let config = if base == "MC" { "safe" } else { base.strip_prefix("MC_").filter(|c| !c.is_empty())? };
    Some((config.to_string(), variant))
}

fn config_of(file: &str) -> Option<String> {
    case_of(file).map(|(config, _)| config)
}

/// The config a benchmark cfg is for: `Bench.cfg` is `safe`, `Bench_<gap>.cfg` is `<gap>`. These
/// carry larger constants for `pex bench` and are not part of the conformance run.
fn bench_config_of(file: &str) -> Option<String> {
    if file == "Bench.cfg" {
        return Some("safe".to_string());
    }
    file.strip_prefix("Bench_").and_then(|r| r.strip_suffix(".cfg")).map(str::to_string)
}

/// Reads one cfg and checks it against the catalogue's description of the model.
pub fn load_case(catalogue: &Catalogue, info: &ModelInfo, dir: &Path, file: &str) -> Result<Case, String> {
    let config_name = config_of(file)
        .or_else(|| bench_config_of(file))
        .ok_or_else(|| format!("{}: not an MC[.<variant>].cfg, MC_<config>[.<variant>].cfg, Bench.cfg or Bench_<config>.cfg name", dir.join(file).display()))?;
    let variant = case_of(file).and_then(|(_, v)| v);
    let cfg_path = dir.join(file);
    let here = cfg_path.display().to_string();
    let config = info.config(&config_name).ok_or_else(|| format!("{here}: model {} has no config '{config_name}'", info.name))?;
    let spec = dir.join(format!("{}.tla", info.tla_module));
    if !spec.is_file() {
        return Err(format!("{here}: the twin {} is missing", spec.display()));
    }
    let cfg_text = std::fs::read_to_string(&cfg_path).map_err(|e| format!("{here}: {e}"))?;
    let cfg = TlcCfg::parse(&cfg_text).map_err(|e| format!("{here}: {e}"))?;
    let mut constants = Vec::new();
    for (name, value) in &cfg.constants {
        if info.constants.iter().any(|c| c.name == name) {
            constants.push((name.clone(), value.clone()));
        } else if let Some((_, want)) = config.tla_switches.iter().find(|(n, _)| n == name) {
            if want != value {
                return Err(format!("{here}: sets {name} = {value}, but config {config_name} means {name} = {want}"));
            }
        } else {
            return Err(format!("{here}: sets {name}, which is neither a constant of {} nor a switch of config {config_name}", info.name));
        }
    }
    for c in &info.constants {
        if !cfg.constants.iter().any(|(n, _)| n == c.name) {
            return Err(format!("{here}: does not set constant {}", c.name));
        }
    }
    for (name, _) in config.tla_switches {
        if !cfg.constants.iter().any(|(n, _)| n == name) {
            return Err(format!("{here}: does not set switch {name} of config {config_name}"));
        }
    }
    let model = catalogue.build(info.name, &config_name, &constants).map_err(|e| format!("{here}: {e}"))?;
    let invariants: Vec<String> = model.invariant_names().iter().map(|s| s.to_string()).collect();
    if cfg.invariants != invariants {
        return Err(format!("{here}: lists invariants {:?}, but config {config_name} of the model checks {:?}", cfg.invariants, invariants));
    }
    let mut properties: Vec<String> = model.property_names().iter().map(|s| s.to_string()).collect();
    let liveness = model.liveness_names();
    properties.extend(liveness.iter().map(|s| s.to_string()));
    if cfg.properties != properties {
        return Err(format!(
            "{here}: lists properties {:?}, but config {config_name} of the model checks action properties and then temporal properties {:?}",
            cfg.properties, properties
        ));
    }
    // SPECIFICATION names the spec; INIT/NEXT is `Spec`.
    let spec_name = cfg.specification.clone().unwrap_or_else(|| "Spec".to_string());
    if spec_name != model.specification() {
        return Err(format!("{here}: checks the specification {spec_name}, but config {config_name} of the model checks {}", model.specification()));
    }
    if !liveness.is_empty() {
        // Symmetry reduction is unsound for temporal properties: neither side uses it.
        if cfg.symmetry.is_some() {
            return Err(format!("{here}: checks temporal properties under SYMMETRY, which is unsound for liveness"));
        }
        // A twin may keep its liveness in `<Module>Liveness.tla` (EXTENDS the twin), so that the
        // twin's own text, and with it TLC's internal variable order, stays as it was.
        let live = dir.join(format!("{}Liveness.tla", info.tla_module));
        let spec = if live.is_file() { live } else { spec };
        return Ok(Case { model: info.name.to_string(), config: config_name, spec, cfg_path, cfg_text, cfg, constants, variant });
    }
    let declares_symmetry = !model.symmetric_sets().is_empty();
    if declares_symmetry != cfg.symmetry.is_some() {
        return Err(if declares_symmetry {
            format!("{here}: the model declares symmetric sets but the cfg has no SYMMETRY")
        } else {
            format!("{here}: the cfg has SYMMETRY but the model declares no symmetric set")
        });
    }
    Ok(Case { model: info.name.to_string(), config: config_name, spec, cfg_path, cfg_text, cfg, constants, variant })
}

/// The models of `catalogue` that have no twin under `tla_dir` (no directory `tla_dir/<model>`):
/// they get no conformance run.
pub fn without_twin(catalogue: &Catalogue, tla_dir: &Path) -> Vec<&'static str> {
    catalogue.names().into_iter().filter(|name| !tla_dir.join(name).is_dir()).collect()
}

/// Every case under `tla_dir`, model by model. A model with a twin directory must have a cfg for
/// each of its configs; a model without one is left out (see [`without_twin`]).
pub fn discover(catalogue: &Catalogue, tla_dir: &Path, only_model: Option<&str>) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for info in catalogue.infos() {
        if only_model.is_some_and(|m| m != info.name) {
            continue;
        }
        let dir = tla_dir.join(info.name);
        if !dir.is_dir() {
            if only_model.is_some() {
                return Err(format!("model {} has no twin: {} is missing, so there is nothing to compare with TLC", info.name, dir.display()));
            }
            continue;
        }
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
            .filter(|f| f.ends_with(".cfg") && config_of(f).is_some())
            .collect();
        files.sort();
        for config in &info.configs {
            let want = if config.name == "safe" { "MC.cfg".to_string() } else { format!("MC_{}.cfg", config.name) };
            if !files.contains(&want) {
                return Err(format!("model {}: config {} has no cfg ({} is missing)", info.name, config.name, dir.join(&want).display()));
            }
        }
        for f in files {
            cases.push(load_case(catalogue, &info, &dir, &f)?);
        }
    }
    if let Some(m) = only_model {
        if cases.is_empty() {
            return Err(format!("no model named '{m}' in the catalogue"));
        }
    }
    Ok(cases)
}

/// The benchmark cases: each conformance case, replaced by its `Bench[_<config>].cfg` when the
/// twin has one (larger constants, such as a seed's own).
pub fn discover_bench(catalogue: &Catalogue, tla_dir: &Path, only_model: Option<&str>) -> Result<Vec<Case>, String> {
    let mut cases = discover(catalogue, tla_dir, only_model)?;
    // Variants exist to test conformance on other constants; the benchmark keeps one case per config.
    cases.retain(|c| c.variant.is_none());
    for case in &mut cases {
        let dir = case.cfg_path.parent().expect("a cfg has a directory").to_path_buf();
        let file = if case.config == "safe" { "Bench.cfg".to_string() } else { format!("Bench_{}.cfg", case.config) };
        if dir.join(&file).is_file() {
            let info = catalogue.infos().into_iter().find(|i| i.name == case.model).expect("discovered from the catalogue");
            *case = load_case(catalogue, &info, &dir, &file)?;
        }
    }
    Ok(cases)
}

/// What `pex check --json` said.
#[derive(Clone, Debug)]
pub struct PexResult {
    pub json: serde_json::Value,
}

impl PexResult {
    fn num(&self, key: &str) -> Option<u64> {
        self.json.get(key).and_then(|v| v.as_u64())
    }
    pub fn distinct(&self) -> Option<u64> {
        self.num("distinct")
    }
    pub fn generated(&self) -> Option<u64> {
        self.num("generated")
    }
    pub fn depth(&self) -> Option<u64> {
        self.num("depth")
    }
    pub fn seconds(&self) -> f64 {
        self.json.get("seconds").and_then(|v| v.as_f64()).unwrap_or(0.0)
    }
    pub fn result(&self) -> &str {
        self.json.get("result").and_then(|v| v.as_str()).unwrap_or("?")
    }
    pub fn kind(&self) -> &str {
        self.json.get("kind").and_then(|v| v.as_str()).unwrap_or("")
    }
    pub fn invariant(&self) -> &str {
        self.json.get("invariant").and_then(|v| v.as_str()).unwrap_or("")
    }
    pub fn trace(&self) -> Vec<serde_json::Value> {
        self.json.get("trace").and_then(|v| v.as_array()).cloned().unwrap_or_default()
    }
}

/// Runs `pex check --json` (this very binary) on a case.
pub fn run_pex(case: &Case, symmetry: bool) -> Result<PexResult, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(exe);
    cmd.args(["check", &case.model, "--config", &case.config, "--json", "--tlc-trace"]);
    for (k, v) in &case.constants {
        cmd.arg("--const").arg(format!("{k}={v}"));
    }
    if !symmetry {
        cmd.arg("--no-symmetry");
    }
    let out = cmd.output().map_err(|e| format!("cannot run pex: {e}"))?;
    // 0 ok, 1 a violation, 4 ok only under a symmetry the audit found unsound (TLC reduces by it too).
    if !matches!(out.status.code(), Some(0) | Some(1) | Some(4)) {
        return Err(format!("pex check failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr)));
    }
    let json = serde_json::from_slice(&out.stdout).map_err(|e| format!("pex check --json printed no JSON: {e}"))?;
    Ok(PexResult { json })
}

/// TLC's own counterexample, opened by `pex replay` (this very binary) with the case's cfg: the
/// property TLC names must fail there at the state where TLC stopped (an invariant at the last
/// state, an action property on the last step) or, for a temporal property, on the lasso as a
/// fair behaviour. `None` when TLC found nothing to replay (no violation, a deadlock, or a
/// violation in an initial state).
fn tlc_trace_in_replay(case: &Case, tlc: &TlcResult) -> Option<Figure> {
    let what = "TLC's trace in pex replay";
    let (kind, name) = match &tlc.outcome {
        TlcOutcome::Invariant { name, initial: false } => ("invariant", name.clone()),
        TlcOutcome::ActionProperty { name } => ("action-property", name.clone()),
        TlcOutcome::Temporal => ("liveness", String::new()),
        _ => return None,
    };
    let n = tlc.trace.len();
    let theirs = match kind {
        "liveness" => "a temporal property fails on a fair lasso".to_string(),
        _ => format!("{name} fails at state {n}"),
    };
    let file = std::env::temp_dir().join(format!("pex-tlc-trace-{}-{}.out", std::process::id(), case.name().replace(['/', '.'], "-")));
    let replayed = (|| -> Result<serde_json::Value, String> {
        std::fs::write(&file, &tlc.output).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let out =
            Command::new(exe).arg("replay").arg(&file).arg("--cfg").arg(&case.cfg_path).arg("--json").output().map_err(|e| format!("cannot run pex: {e}"))?;
        if !matches!(out.status.code(), Some(0) | Some(1)) {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        serde_json::from_slice(&out.stdout).map_err(|e| format!("pex replay --json printed no JSON: {e}"))
    })();
    let _ = std::fs::remove_file(&file);
    let mine = match replayed {
        Err(e) => format!("refused: {e}"),
        Ok(v) => {
            let props = v["properties"].as_array().cloned().unwrap_or_default();
            if kind == "liveness" {
                match props.iter().find(|p| p["kind"] == "liveness" && p["holds"] == false && p["fair"] == true) {
                    Some(_) => "a temporal property fails on a fair lasso".to_string(),
                    None => "no temporal property fails on it".to_string(),
                }
            } else {
                match props.iter().find(|p| p["name"] == name.as_str()).and_then(|p| p["state"].as_u64()) {
                    Some(at) => format!("{name} fails at state {at}"),
                    None => format!("{name} holds along it"),
                }
            }
        }
    };
    Some(Figure { what, tlc: theirs, pex: mine })
}

/// One line of the comparison: a figure and both sides' values.
#[derive(Clone, Debug)]
pub struct Figure {
    pub what: &'static str,
    pub tlc: String,
    pub pex: String,
}

impl Figure {
    pub fn agrees(&self) -> bool {
        self.tlc == self.pex
    }
}

/// A figure as one side reported it. A side that reported none never agrees with the other, even
/// if that one reported none too: missing data fails the comparison rather than passing it.
fn figure(what: &'static str, tlc: Option<u64>, pex: Option<u64>) -> Figure {
    Figure {
        what,
        tlc: tlc.map(|n| n.to_string()).unwrap_or_else(|| "(TLC printed none)".to_string()),
        pex: pex.map(|n| n.to_string()).unwrap_or_else(|| "(missing from pex check --json)".to_string()),
    }
}

/// TLC's verdict in pex's words: ("ok" | "violation", kind, property).
fn tlc_verdict(r: &TlcResult, temporal: Option<&str>) -> (String, String, String) {
    match &r.outcome {
        TlcOutcome::Ok => ("ok".into(), String::new(), String::new()),
        TlcOutcome::Invariant { name, .. } => ("violation".into(), "invariant".into(), name.clone()),
        TlcOutcome::ActionProperty { name } => ("violation".into(), "action-property".into(), name.clone()),
        TlcOutcome::Deadlock => ("violation".into(), "deadlock".into(), "Deadlock".into()),
        // TLC names no property; the cfgs list one temporal property each, after the action
        // properties, so it is the last.
        TlcOutcome::Temporal => ("violation".into(), "liveness".into(), temporal.unwrap_or("(TLC does not say)").to_string()),
    }
}

/// The figures both sides report, side by side. When TLC stops at an initial state it prints no
/// counts, and those figures are not compared.
pub fn compare(tlc: &TlcResult, pex: &PexResult, compare_states: bool) -> Vec<Figure> {
    let liveness: Vec<&str> = pex.json.get("liveness").and_then(|v| v.as_array()).map(|a| a.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
    let temporal = if liveness.len() == 1 { Some(liveness[0]) } else { None };
    let (mut result, kind, name) = tlc_verdict(tlc, temporal);
    // TLC reduced by the same SYMMETRY and says nothing about it; when pex's audit found it
    // unsound, TLC's "no error" is, in pex's words, an ok under that unsound symmetry.
    if result == "ok" && pex.json.get("symmetry") == Some(&true.into()) && pex.json.get("reduction_sound") == Some(&false.into()) {
        result = "ok-under-unsound-symmetry".into();
    }
    let mut figures = vec![
        Figure { what: "result", tlc: result, pex: pex.result().to_string() },
        Figure { what: "kind", tlc: kind, pex: pex.kind().to_string() },
        Figure { what: "property", tlc: name, pex: pex.invariant().to_string() },
    ];
    let initial = matches!(tlc.outcome, TlcOutcome::Invariant { initial: true, .. });
    if !initial {
        figures.push(figure("distinct", tlc.distinct, pex.distinct()));
        figures.push(figure("generated", tlc.generated, pex.generated()));
        figures.push(figure("depth", tlc.depth, pex.depth()));
    }
    let pex_trace = pex.trace();
    if tlc.outcome == TlcOutcome::Temporal {
        // Both sides print a lasso; they need not be the same one (pex's is checked by the
        // independent validator in tests/liveness.rs). Each must end in a loop or a stutter.
        let tlc_end = match tlc.lasso {
            Some(_) => "lasso",
            None => "(no Back to state / Stuttering line)",
        };
        let pex_end = if pex.json.get("lasso").is_some_and(|l| !l.is_null()) { "lasso" } else { "(no lasso in pex check --json)" };
        figures.push(Figure { what: "counterexample", tlc: tlc_end.to_string(), pex: pex_end.to_string() });
        return figures;
    }
    if tlc.outcome != TlcOutcome::Ok {
        figures.push(Figure { what: "trace length", tlc: tlc.trace_len().to_string(), pex: pex_trace.len().to_string() });
    }
    // Under symmetry TLC keeps the permutation that is smallest comparing variables in its own
    // internal order, which is the order it prints them in; the model must declare the same.
    if let (Some(order), Some(first)) = (pex.json.get("tlc_variable_order").and_then(|v| v.as_array()), tlc.trace.first()) {
        let declared: Vec<String> = order.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
        figures.push(Figure { what: "variable order", tlc: first.order.join(", "), pex: declared.join(", ") });
    }
    if compare_states && tlc.outcome != TlcOutcome::Ok && tlc.trace_len() == pex_trace.len() {
        figures.extend(compare_trace_states(tlc, &pex_trace));
    }
    figures
}

/// The counterexamples, state by state and variable by variable, as TLC prints them: the first
/// difference, or the first place where either side has nothing to compare (a failure, never a
/// silent end of the comparison).
fn compare_trace_states(tlc: &TlcResult, pex_trace: &[serde_json::Value]) -> Option<Figure> {
    let what = "trace state";
    if tlc.trace.is_empty() {
        return Some(Figure { what, tlc: "no error trace in TLC's output".into(), pex: plural(pex_trace.len(), "state", "states") });
    }
    for (i, (t, p)) in tlc.trace.iter().zip(pex_trace).enumerate() {
        let n = i + 1;
        let vars = p.get("tlc").and_then(|v| v.as_object()).filter(|v| !v.is_empty());
        let Some(vars) = vars else {
            return Some(Figure {
                what,
                tlc: format!("state {n}: {}", plural(t.vars.len(), "variable", "variables")),
                pex: format!("state {n}: no TLC text to compare (pex check --json --tlc-trace gave none)"),
            });
        };
        if t.vars.is_empty() {
            return Some(Figure {
                what,
                tlc: format!("state {n}: no variables could be read from TLC's output"),
                pex: format!("state {n}: {}", plural(vars.len(), "variable", "variables")),
            });
        }
        for (var, text) in vars {
            let Some(text) = text.as_str() else {
                return Some(Figure { what, tlc: format!("state {n}: {var} present"), pex: format!("state {n}: {var} has no TLC text ({text})") });
            };
            let mine = normalise(text);
            let theirs = t.vars.get(var).cloned().unwrap_or_else(|| "(TLC printed no such variable)".to_string());
            if mine != theirs {
                return Some(Figure { what, tlc: format!("state {n}: {var} = {theirs}"), pex: format!("state {n}: {var} = {mine}") });
            }
        }
        if t.vars.len() != vars.len() {
            return Some(Figure {
                what: "trace variables",
                tlc: format!("{:?}", t.vars.keys().collect::<Vec<_>>()),
                pex: format!("{:?}", vars.keys().collect::<Vec<_>>()),
            });
        }
    }
    None
}

/// The outcome of one case in one symmetry mode.
pub struct CaseRun {
    pub case: String,
    pub symmetry: bool,
    pub figures: Vec<Figure>,
    pub tlc_seconds: f64,
    pub pex_seconds: f64,
    pub error: Option<String>,
}

impl CaseRun {
    pub fn agrees(&self) -> bool {
        self.error.is_none() && self.figures.iter().all(Figure::agrees)
    }
}

/// Runs one case in both symmetry modes (or one, when the model declares no symmetric set).
pub fn run_case(jar: &Path, case: &Case) -> Vec<CaseRun> {
    let modes: &[bool] = if case.cfg.symmetry.is_some() { &[true, false] } else { &[false] };
    let mut runs = Vec::new();
    for &symmetry in modes {
        let mut run = CaseRun { case: case.name(), symmetry, figures: Vec::new(), tlc_seconds: 0.0, pex_seconds: 0.0, error: None };
        let cfg_path = if case.cfg.symmetry.is_some() && !symmetry {
            let p = std::env::temp_dir().join(format!("pex-nosym-{}-{}.cfg", std::process::id(), case.name().replace(['/', '.'], "-")));
            if let Err(e) = std::fs::write(&p, TlcCfg::without_symmetry(&case.cfg_text)) {
                run.error = Some(format!("cannot write {}: {e}", p.display()));
                runs.push(run);
                continue;
            }
            p
        } else {
            case.cfg_path.clone()
        };
        let tlc = run_tlc(jar, &case.spec, &cfg_path, 1);
        let pex = run_pex(case, symmetry);
        match (tlc, pex) {
            (Ok(t), Ok(p)) => {
                run.tlc_seconds = t.wall_seconds;
                run.pex_seconds = p.seconds();
                // Under symmetry TLC rebuilds its trace from fingerprints and may print other
                // members of the same classes than pex's trace; only the length is compared then.
                run.figures = compare(&t, &p, !symmetry);
                // Each state TLC prints is still a real successor of the one before (TLC rebuilds
                // the trace by generating successors and keeping the one whose fingerprint is
                // next), so its trace must replay in either mode.
                run.figures.extend(tlc_trace_in_replay(case, &t));
            }
            (Err(e), _) => run.error = Some(format!("TLC: {e}")),
            (_, Err(e)) => run.error = Some(format!("pex: {e}")),
        }
        runs.push(run);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tlc::run::parse_output;
    use serde_json::json;

    // A counterexample of two states, as TLC 2.15 prints it.
    const TLC_VIOLATION: &str = "Error: Invariant Inv is violated.\nError: The behavior up to this point is:\nState 1: <Initial predicate>\n/\\ x = 0\n/\\ y = <<1, 2>>\n\nState 2: <Next line 5, col 9 to line 5, col 18 of module T>\n/\\ x = 1\n/\\ y = <<1, 2>>\n\n3 states generated, 2 distinct states found, 0 states left on queue.\nThe depth of the complete state graph search is 2.\n";

    fn pex_result(trace: serde_json::Value) -> PexResult {
        PexResult { json: json!({"result": "violation", "kind": "invariant", "invariant": "Inv", "distinct": 2, "generated": 3, "depth": 2, "trace": trace}) }
    }

    fn differing(figures: &[Figure]) -> Vec<&Figure> {
        figures.iter().filter(|f| !f.agrees()).collect()
    }

    #[test]
    fn the_same_counterexample_agrees() {
        let tlc = parse_output(TLC_VIOLATION).unwrap();
        let pex = pex_result(json!([
            {"action": null, "tlc": {"x": "0", "y": "<<1, 2>>"}},
            {"action": "Next", "tlc": {"x": "1", "y": "<<1, 2>>"}},
        ]));
        assert!(differing(&compare(&tlc, &pex, true)).is_empty());
        // A different value in the second state is found.
        let other = pex_result(json!([
            {"action": null, "tlc": {"x": "0", "y": "<<1, 2>>"}},
            {"action": "Next", "tlc": {"x": "2", "y": "<<1, 2>>"}},
        ]));
        let figures = compare(&tlc, &other, true);
        let bad = differing(&figures);
        assert_eq!(bad.len(), 1);
        assert_eq!((bad[0].tlc.as_str(), bad[0].pex.as_str()), ("state 2: x = 1", "state 2: x = 2"));
    }

    #[test]
    fn a_state_without_comparison_data_fails() {
        let tlc = parse_output(TLC_VIOLATION).unwrap();
        // pex gave TLC text for the first state only: the comparison must not stop there quietly.
        let pex = pex_result(json!([
            {"action": null, "tlc": {"x": "0", "y": "<<1, 2>>"}},
            {"action": "Next", "state": {"x": 1, "y": [1, 2]}},
        ]));
        let figures = compare(&tlc, &pex, true);
        let bad = differing(&figures);
        assert_eq!(bad.len(), 1, "{figures:?}");
        assert_eq!(bad[0].what, "trace state");
        assert_eq!(bad[0].tlc, "state 2: 2 variables");
        assert!(bad[0].pex.contains("state 2: no TLC text to compare"), "{}", bad[0].pex);
        // An empty TLC text is no better.
        let empty = pex_result(json!([{"action": null, "tlc": {}}, {"action": "Next", "tlc": {}}]));
        assert!(differing(&compare(&tlc, &empty, true)).iter().any(|f| f.pex == "state 1: no TLC text to compare (pex check --json --tlc-trace gave none)"));
    }

    #[test]
    fn tlc_output_without_comparison_data_fails() {
        // TLC's state 2 printed nothing readable.
        let unreadable = TLC_VIOLATION.replace("/\\ x = 1\n/\\ y = <<1, 2>>\n", "(nothing)\n");
        let tlc = parse_output(&unreadable).unwrap();
        let pex = pex_result(json!([
            {"action": null, "tlc": {"x": "0", "y": "<<1, 2>>"}},
            {"action": "Next", "tlc": {"x": "1", "y": "<<1, 2>>"}},
        ]));
        let bad: Vec<String> = differing(&compare(&tlc, &pex, true)).iter().map(|f| format!("{}: {} | {}", f.what, f.tlc, f.pex)).collect();
        assert_eq!(bad, vec!["trace state: state 2: no variables could be read from TLC's output | state 2: 2 variables"]);
        // A violation with no trace on either side: nothing was compared, so it fails.
        let mut tlc = parse_output(TLC_VIOLATION).unwrap();
        tlc.trace.clear();
        let bad: Vec<String> = differing(&compare(&tlc, &pex_result(json!([])), true)).iter().map(|f| format!("{}: {} | {}", f.what, f.tlc, f.pex)).collect();
        assert_eq!(bad, vec!["trace state: no error trace in TLC's output | 0 states"]);
        // Counts neither side printed do not agree either.
        let mut tlc = parse_output(TLC_VIOLATION).unwrap();
        tlc.depth = None;
        let mut pex = pex_result(json!([
            {"action": null, "tlc": {"x": "0", "y": "<<1, 2>>"}},
            {"action": "Next", "tlc": {"x": "1", "y": "<<1, 2>>"}},
        ]));
        pex.json.as_object_mut().unwrap().remove("depth");
        let bad: Vec<&str> = differing(&compare(&tlc, &pex, true)).iter().map(|f| f.what).collect();
        assert_eq!(bad, vec!["depth"]);
    }

    #[test]
    fn tlc_ok_under_a_symmetry_found_unsound_reads_as_pex_says_it() {
        let tlc = parse_output("Model checking completed. No error has been found.\n10 states generated, 4 distinct states found, 0 states left on queue.\nThe depth of the complete state graph search is 3.\n").unwrap();
        let mut pex = PexResult {
            json: json!({"result": "ok-under-unsound-symmetry", "symmetry": true, "reduction_sound": false, "distinct": 4, "generated": 10, "depth": 3}),
        };
        assert!(differing(&compare(&tlc, &pex, false)).is_empty());
        // A plain "ok" from pex under that symmetry would be a claim TLC's run does not back.
        pex.json["result"] = "ok".into();
        assert_eq!(differing(&compare(&tlc, &pex, false)).iter().map(|f| f.what).collect::<Vec<_>>(), vec!["result"]);
    }
}
