//! The check worker's entry point (built by trunk as a no-modules worker, started by the page from
//! trunk's loader shim). It builds and checks models and draws nothing, so it is given the
//! built-in models without their views and lessons.

fn main() {
    pex::ui::worker::run_worker(pex::catalogue::Catalogue::builtin_models());
}
