//! The check worker's entry point (built by trunk as a no-modules worker, started by the page from
//! trunk's loader shim). A panic is logged, then reported to the page before the instance traps.

fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        pex::ui::worker::report_panic(&info.to_string());
    }));
    pex::ui::worker::run_worker(pex::catalogue::Catalogue::builtin());
}
