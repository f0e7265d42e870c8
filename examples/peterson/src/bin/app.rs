//! The web app's entry point (built by trunk from index.html).

fn main() {
    pex::ui::start(peterson_explorer::catalogue());
}
