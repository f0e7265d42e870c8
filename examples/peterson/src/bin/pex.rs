//! `pex` over this crate's catalogue: `cargo run -- check peterson --config flag-after-check`.

fn main() -> std::process::ExitCode {
    pex::cli::main(peterson_explorer::catalogue())
}
