//! Reading TLC's output: its verdict, its figures and its error trace (each state's variables as
//! TLC printed them). Web-free, so the app reads a TLC trace as `pex` does; `tlc::run` runs TLC.

use std::collections::BTreeMap;

/// How a TLC run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlcOutcome {
    Ok,
    /// An invariant failed (`initial` when the initial state already violates it).
    Invariant {
        name: String,
        initial: bool,
    },
    ActionProperty {
        name: String,
    },
    Deadlock,
    /// `Temporal properties were violated.`: TLC does not say which (with one PROPERTY, that one).
    Temporal,
}

/// One state of TLC's error trace: the header after `State N:` and each variable's value text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlcState {
    pub header: String,
    pub vars: BTreeMap<String, String>,
    /// The variables in the order TLC printed them: its internal order, the one it compares
    /// permuted states in under SYMMETRY.
    pub order: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TlcResult {
    pub outcome: TlcOutcome,
    /// Absent when TLC stops at an initial state (it prints no figures then).
    pub distinct: Option<u64>,
    pub generated: Option<u64>,
    pub depth: Option<u64>,
    pub trace: Vec<TlcState>,
    /// How a temporal counterexample goes on: `Back to state N` (N from 1) or `Stuttering`.
    pub lasso: Option<TlcLasso>,
    /// Wall time of the whole java process, JVM start included.
    pub wall_seconds: f64,
    /// TLC's output as it printed it (empty when only parsed).
    pub output: String,
}

/// The end of TLC's temporal counterexample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlcLasso {
    BackTo(usize),
    Stuttering,
}

impl TlcResult {
    pub fn trace_len(&self) -> usize {
        self.trace.len()
    }
}

fn number(text: &str) -> Option<u64> {
    text.replace(',', "").parse().ok()
}

/// Collapses runs of whitespace and drops the spaces TLC's line-wrapping printer puts inside
/// brackets (`<< <<...>>, ... >>`), so a value TLC wraps over several lines compares equal to ours.
pub fn normalise(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = collapsed;
    for (from, to) in [("<< ", "<<"), (" >>", ">>"), ("{ ", "{"), (" }", "}"), ("[ ", "["), (" ]", "]"), ("( ", "("), (" )", ")")] {
        out = out.replace(from, to);
    }
    out
}

fn parse_state_block(lines: &[&str]) -> (BTreeMap<String, String>, Vec<String>) {
    let mut vars = BTreeMap::new();
    let mut order = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in lines {
        let t = line.trim_start();
        let body = t.strip_prefix("/\\ ");
        let starts_var = body.and_then(|b| b.split_once(" = ")).filter(|(n, _)| n.chars().all(|c| c.is_alphanumeric() || c == '_'));
        match starts_var {
            Some((name, value)) => {
                if let Some((n, v)) = current.take() {
                    vars.insert(n, normalise(&v));
                }
                order.push(name.to_string());
                current = Some((name.to_string(), value.to_string()));
            }
            None => {
                if let Some((_, v)) = current.as_mut() {
                    v.push(' ');
                    v.push_str(t);
                } else if let Some((name, value)) = t.split_once(" = ") {
                    // A spec with one variable prints it without "/\".
                    order.push(name.to_string());
                    current = Some((name.to_string(), value.to_string()));
                }
            }
        }
    }
    if let Some((n, v)) = current {
        vars.insert(n, normalise(&v));
    }
    (vars, order)
}

/// Reads TLC's output. An error TLC reports that is not a property violation (a parse error, a
/// type error while evaluating) is returned as `Err` with TLC's message.
pub fn parse_output(output: &str) -> Result<TlcResult, String> {
    let (scan, lines) = (scan(output)?, output.lines().collect::<Vec<_>>());
    let outcome = scan.outcome.ok_or_else(|| {
        let tail: Vec<&str> = lines.iter().rev().take(25).rev().copied().collect();
        format!("TLC ended without a verdict; the end of its output:\n{}", tail.join("\n"))
    })?;
    let Scan { distinct, generated, mut depth, progress_depth, trace, lasso, .. } = scan;
    // After a temporal violation TLC prints the counts but not the depth; its last progress
    // report, taken once the search is complete, gives it.
    if outcome == TlcOutcome::Temporal && depth.is_none() {
        depth = progress_depth;
    }
    Ok(TlcResult { outcome, distinct, generated, depth, trace, lasso, wall_seconds: 0.0, output: String::new() })
}

/// An error trace as TLC printed it, read from its whole output or from the trace alone (pasted
/// from a terminal or TLC's Toolbox).
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorTrace {
    /// What TLC said failed, when the text says it.
    pub outcome: Option<TlcOutcome>,
    /// The spec's module, from TLC's `Parsing file .../Name.tla` line (the first one is the spec).
    pub module: Option<String>,
    pub states: Vec<TlcState>,
    pub lasso: Option<TlcLasso>,
}

/// Reads an error trace out of TLC's output: `State N: <...>` blocks of `/\ var = value` lines,
/// and how a temporal counterexample ends. Errors when the text holds no such state.
pub fn read_error_trace(output: &str) -> Result<ErrorTrace, String> {
    let scan = scan(output)?;
    if scan.trace.is_empty() {
        return Err("no TLC error trace in it: TLC prints one as \"State 1: <Initial predicate>\" followed by \"/\\ variable = value\" lines".to_string());
    }
    Ok(ErrorTrace { outcome: scan.outcome, module: scan.module, states: scan.trace, lasso: scan.lasso })
}

/// The state whose `/\\ var = value` lines follow line `i` (up to a blank line), and the index
/// of the line after them.
fn state_after(lines: &[&str], i: usize, header: &str) -> (TlcState, usize) {
    let end = (i + 1..lines.len()).find(|&j| lines[j].trim().is_empty()).unwrap_or(lines.len());
    let (vars, order) = parse_state_block(&lines[i + 1..end]);
    (TlcState { header: header.to_string(), vars, order }, end)
}

/// What [`scan`] read.
struct Scan {
    outcome: Option<TlcOutcome>,
    module: Option<String>,
    distinct: Option<u64>,
    generated: Option<u64>,
    depth: Option<u64>,
    progress_depth: Option<u64>,
    trace: Vec<TlcState>,
    lasso: Option<TlcLasso>,
}

fn scan(output: &str) -> Result<Scan, String> {
    let lines: Vec<&str> = output.lines().collect();
    let mut module = None;
    let mut outcome = None;
    let mut distinct = None;
    let mut generated = None;
    let mut depth = None;
    let mut progress_depth = None;
    let mut lasso = None;
    let mut trace = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if let Some(file) = line.strip_prefix("Parsing file ") {
            if module.is_none() {
                let name = file.trim().rsplit(['/', '\\']).next().unwrap_or("");
                module = name.strip_suffix(".tla").map(str::to_string);
            }
        } else if line.starts_with("Model checking completed. No error has been found.") {
            outcome = Some(TlcOutcome::Ok);
        } else if let Some(rest) = line.strip_prefix("Error: Invariant ") {
            let name = rest.split_whitespace().next().unwrap_or("").to_string();
            let initial = rest.contains("initial state");
            if initial {
                // The violating initial state follows, without a "State 1:" header.
                let (state, next) = state_after(&lines, i, "<Initial predicate>");
                trace.push(state);
                i = next;
            }
            outcome = Some(TlcOutcome::Invariant { name, initial });
        } else if let Some(rest) = line.strip_prefix("Error: Action property ") {
            outcome = Some(TlcOutcome::ActionProperty { name: rest.split_whitespace().next().unwrap_or("").to_string() });
        } else if line.starts_with("Error: Deadlock reached.") {
            outcome = Some(TlcOutcome::Deadlock);
        } else if line.starts_with("Error: Temporal properties were violated") {
            outcome = Some(TlcOutcome::Temporal);
        } else if let Some(rest) = line.strip_prefix("Back to state ") {
            let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            lasso = n.parse().ok().map(TlcLasso::BackTo);
        } else if let Some(rest) = line.strip_prefix("Progress(") {
            progress_depth = rest.split(')').next().and_then(number);
        } else if let Some(rest) = line.strip_prefix("State ") {
            if let Some((n, header)) = rest.split_once(": ") {
                if n.parse::<usize>().is_ok() && header.trim() == "Stuttering" {
                    lasso = Some(TlcLasso::Stuttering);
                } else if n.parse::<usize>().is_ok() {
                    let (state, next) = state_after(&lines, i, header);
                    trace.push(state);
                    i = next;
                    continue;
                }
            }
        } else if line.contains(" states generated, ") && line.contains(" distinct states found") {
            let mut words = line.split_whitespace();
            generated = words.next().and_then(number);
            let after = line.split(" states generated, ").nth(1).unwrap_or("");
            distinct = after.split_whitespace().next().and_then(number);
        } else if let Some(rest) = line.strip_prefix("The depth of the complete state graph search is ") {
            depth = number(rest.trim_end_matches('.'));
        } else if line.starts_with("Error:") && outcome.is_none() && !line.starts_with("Error: The behavior") {
            let mut msg = vec![line.to_string()];
            msg.extend(lines[i + 1..].iter().take(12).map(|l| l.to_string()));
            return Err(format!("TLC reported an error:\n{}", msg.join("\n")));
        }
        i += 1;
    }
    Ok(Scan { outcome, module, distinct, generated, depth, progress_depth, trace, lasso })
}
