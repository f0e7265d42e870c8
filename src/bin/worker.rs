//! The check worker's entry point (built by trunk as a no-modules worker).

fn main() {
    use gloo_worker::Registrable;
    std::panic::set_hook(Box::new(console_error_panic_hook::hook));
    pex::ui::worker::CheckWorker::registrar().register();
}
