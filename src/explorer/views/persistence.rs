//! The view of `persistence` (placeholder, replaced below).

use super::super::draw::{Drawing, Legend};
use super::View;
use crate::models::persistence::{Persistence, State};

impl View for Persistence {
    const TITLE: &'static str = "Write buffer, object store, manifest";

    fn legend(&self) -> Legend {
        Legend::default()
    }

    fn view(&self, _prev: Option<&State>, _s: &State) -> Drawing {
        Drawing { width: 100.0, height: 100.0, shapes: Vec::new(), caption: Vec::new() }
    }
}
