//! The web app's entry point.

fn main() {
    pex::ui::start(pex::catalogue::Catalogue::builtin_app());
}
