//! The check worker's entry point (a second trunk `rust` link in index.html, `data-type="worker"`).

fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        pex::ui::worker::report_panic(&info.to_string());
    }));
    pex::ui::worker::run_worker(peterson_explorer::catalogue());
}
