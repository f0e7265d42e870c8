//! `pex`: the Protocol Explorer engine on the command line, over the built-in catalogue (see
//! `pex::cli`).

fn main() -> std::process::ExitCode {
    pex::cli::main(pex::catalogue::Catalogue::builtin())
}
