//! `pex` over this crate's catalogue: `cargo run -- check {{crate}} --config {{gap}}`.

fn main() -> std::process::ExitCode {
    pex::cli::main({{lib}}::catalogue())
}
