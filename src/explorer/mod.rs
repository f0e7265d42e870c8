//! The explorer: everything the web app shows and every command it accepts, as plain Rust with no
//! web dependency, so that it is tested natively. The yew layer in `ui` renders an [`Explorer`]
//! and forwards clicks and keys to its methods. `Explorer`'s own methods are its commands and a few
//! accessors; what a panel reads goes through a view borrowed from it: [`Verdicts`]
//! (`x.verdicts()`), [`Inspector`] (`x.inspect()`), [`Picture`] (`x.picture()`), and the
//! [`Notices`] (`x.notices()`, `x.notices_mut()`).
//!
//! Invariants of this type: the session always belongs to `model`; a constant field holds either
//! a valid value that `model` was built with or an error that changed nothing; no command loses
//! the user's trace without a way back (a fork can be undone, a loaded counterexample or imported
//! trace can be undone, a config switch that drops steps is reversed by switching back).

mod causes;
mod definitions;
pub mod draw;
pub mod embed;
mod export;
pub mod generic;
mod inspector;
mod jobs;
pub mod link;
mod links;
mod liveness;
pub mod msc;
mod notices;
mod picture;
mod settings;
mod side;
pub mod state_graph;
mod stepping;
mod verdicts;
pub mod views;
pub mod worker_protocol;

pub use causes::{AlteredStep, Causes, LastWrite};
pub use inspector::{timeline_window, trace_window, Inspector, TraceDrawing, TreeRow, TRACE_VIEW_WINDOW};
pub use jobs::SYNC_REPLAY_STEPS;
pub use liveness::{phase_text, LoopView, TemporalRow};
pub use notices::{Notice, NoticeKind, Notices, INFO_NOTICE_MS};
pub use picture::{GraphSummary, Picture, ViewMode, NEIGHBOURHOOD_LEVELS, WHOLE_GRAPH_STATES};
pub use settings::{Comparison, ConstField};
pub use side::SideView;
pub use stepping::FOREIGN_STATES_IN_APP;
pub use verdicts::{PropertyRow, TimelineEntry, Verdicts};

use crate::catalogue::{self, BuildError, Catalogue};
use crate::engine::{DynModel, Session};
use jobs::{Carried, Job};
use settings::fields_for;
use std::cell::RefCell;
use std::sync::Arc;
use verdicts::{Scan, StepVerdict};

pub struct Explorer {
    /// The models this explorer can show (the app, the worker and the CLI are given one).
    catalogue: Arc<Catalogue>,
    model: Arc<dyn DynModel>,
    session: Session,
    seed: u64,
    /// Random play stops at the first step where a property fails.
    pub stop_at_violation: bool,
    /// Random steps draw only among the actions that change the state (as simulation does).
    pub skip_stutter: bool,
    fields: Vec<ConstField>,
    comparison: Option<Comparison>,
    carried: Option<Carried>,
    notices: Notices,
    /// A long replay under way (see [`Explorer::work`]).
    job: Option<Job>,
    /// What loading a counterexample or importing a trace replaced.
    previous: Option<(Arc<dyn DynModel>, Session)>,
    /// Per-step facts, valid for the session revision `cached_for` (the trace only grew since).
    cached_for: std::cell::Cell<u64>,
    verdicts: RefCell<Vec<Option<StepVerdict>>>,
    /// [`Verdicts::causes`] found so far on this trace, one per failing property.
    causes_cache: RefCell<Vec<Causes>>,
    /// Each step's position among the actions enabled before it, and the labels' checksum, for
    /// links: extended as the trace grows, so a link costs one step per new step.
    positions: RefCell<links::Positions>,
    /// The first step where each invariant, then each action property, fails, as far as the trace
    /// has been scanned: random play only appends, so each render scans just the new steps.
    scan: RefCell<Scan>,
    /// Another configuration played beside this one (see `side.rs`).
    side: RefCell<Option<side::Side>>,
    /// Each property's definition and each action's meaning, for the model shown.
    definitions: RefCell<definitions::DefinitionCache>,
    /// The view mode chosen (see [`Picture::view_mode`]).
    view_mode: ViewMode,
    /// The state graph of the model shown, once drawn.
    graph: RefCell<picture::GraphCache>,
}

impl Explorer {
    /// The first model of the built-in catalogue, safe, at its initial state.
    pub fn new() -> Explorer {
        Self::in_catalogue(Arc::new(catalogue::builtin().clone())).expect("the built-in catalogue's first model builds")
    }

    /// The model `name` of the built-in catalogue, safe, at its initial state.
    pub fn for_model(name: &str) -> Result<Explorer, BuildError> {
        Self::for_model_in(Arc::new(catalogue::builtin().clone()), name)
    }

    /// The first model of `catalogue`, in its first config, at its initial state.
    pub fn in_catalogue(catalogue: Arc<Catalogue>) -> Result<Explorer, BuildError> {
        let Some(first) = catalogue.entries().first() else {
            return Err(BuildError::UnknownModel { model: String::new(), known: Vec::new() });
        };
        let info = (first.info)();
        let config = info.configs.first().map_or("safe", |c| c.name);
        let model = catalogue.build(info.name, config, &[])?;
        Ok(Self::with_model(catalogue, model))
    }

    /// The model `name` of `catalogue`, in its first config, at its initial state.
    pub fn for_model_in(catalogue: Arc<Catalogue>, name: &str) -> Result<Explorer, BuildError> {
        let info = (catalogue.find(name)?.info)();
        let config = info.configs.first().map_or("safe", |c| c.name);
        let model = catalogue.build(name, config, &[])?;
        Ok(Self::with_model(catalogue, model))
    }

    fn with_model(catalogue: Arc<Catalogue>, model: Arc<dyn DynModel>) -> Explorer {
        let fields = fields_for(model.info(), model.constants());
        Explorer {
            catalogue,
            session: Session::new(model.clone()),
            model,
            seed: 1,
            stop_at_violation: true,
            skip_stutter: false,
            fields,
            comparison: None,
            carried: None,
            notices: Notices::default(),
            job: None,
            previous: None,
            cached_for: std::cell::Cell::new(0),
            verdicts: RefCell::new(Vec::new()),
            causes_cache: RefCell::new(Vec::new()),
            positions: RefCell::new(links::Positions::default()),
            scan: RefCell::new(Scan::default()),
            side: RefCell::new(None),
            definitions: RefCell::new(Default::default()),
            view_mode: ViewMode::default(),
            graph: RefCell::new(Default::default()),
        }
    }

    pub fn model(&self) -> &Arc<dyn DynModel> {
        &self.model
    }

    /// The models this explorer can show.
    pub fn catalogue(&self) -> &Arc<Catalogue> {
        &self.catalogue
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// What the properties say about the trace (see [`Verdicts`]).
    pub fn verdicts(&self) -> Verdicts<'_> {
        Verdicts { x: self }
    }

    /// The state at the cursor and the actions enabled there (see [`Inspector`]).
    pub fn inspect(&self) -> Inspector<'_> {
        Inspector { x: self }
    }

    /// What the view panel draws (see [`Picture`]).
    pub fn picture(&self) -> Picture<'_> {
        Picture { x: self }
    }
}

impl Default for Explorer {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests;
