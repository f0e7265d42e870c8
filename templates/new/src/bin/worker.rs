//! The check worker's entry point (a second trunk `rust` link in index.html, `data-type="worker"`).

fn main() {
    pex::ui::worker::run_worker({{lib}}::catalogue());
}
