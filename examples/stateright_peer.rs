//! The peer benchmark's Stateright side: runs Stateright's breadth-first checker on `crdt` or
//! `paxos` written for Stateright (`peer/`), and prints the unique states and the time.
//! `pex bench --peer` runs it beside our checker (build it with
//! `cargo build --release --example stateright_peer`).
//!
//! ```text
//! stateright_peer --model crdt [--config safe] [--const Replicas={1,2,3} ...] [--threads N] [--ours] [--json]
//! ```
//! `--ours` runs our own model code (`src/models/`) under Stateright's checker instead: a control
//! that separates the checker's cost from the model's.

#[path = "../peer/mod.rs"]
mod peer;

use std::process::ExitCode;

const USAGE: &str = "usage: stateright_peer --model crdt|paxos [--config NAME] [--const NAME=VALUE]... [--threads N] [--ours] [--json]";

fn main() -> ExitCode {
    match parse(std::env::args().skip(1).collect()) {
        Ok(args) => match peer::run(&args.model, &args.config, &args.constants, args.threads, args.code) {
            Ok(run) => {
                if args.json {
                    println!("{}", run.to_json());
                } else {
                    let consts: Vec<String> = run.constants.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    println!(
                        "stateright 0.31 ({} code), {} {} [{}], {} thread(s): {} unique states, {} generated, depth {}, {:.3}s{}",
                        if run.code == peer::Code::Peer { "Stateright" } else { "our" },
                        run.model,
                        run.config,
                        consts.join(", "),
                        run.threads,
                        run.unique_states,
                        run.generated,
                        run.max_depth,
                        run.seconds,
                        if run.discoveries.is_empty() { String::new() } else { format!("; counterexamples to {}", run.discoveries.join(", ")) }
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("stateright_peer: {e}");
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("stateright_peer: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    model: String,
    config: String,
    constants: Vec<(String, String)>,
    threads: usize,
    code: peer::Code,
    json: bool,
}

fn parse(argv: Vec<String>) -> Result<Args, String> {
    let mut args = Args { model: String::new(), config: "safe".into(), constants: Vec::new(), threads: 1, code: peer::Code::Peer, json: false };
    let mut it = argv.into_iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--model" => args.model = value("--model")?,
            "--config" => args.config = value("--config")?,
            "--const" => {
                let pair = value("--const")?;
                let (k, v) = pair.split_once('=').ok_or_else(|| format!("--const {pair}: expected NAME=VALUE"))?;
                args.constants.push((k.trim().to_string(), v.trim().to_string()));
            }
            "--threads" => {
                let n = value("--threads")?;
                args.threads = n.parse().ok().filter(|&t| t > 0).ok_or_else(|| format!("--threads {n}: expected a positive integer"))?;
            }
            "--ours" => args.code = peer::Code::Ours,
            "--json" => args.json = true,
            "-h" | "--help" => return Err("help".into()),
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    if args.model.is_empty() {
        return Err("--model is required".into());
    }
    Ok(args)
}
