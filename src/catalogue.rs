//! A catalogue: the models a program lists, by name: read their constants and configs, build any
//! of them, draw any of them, and the lessons that go with them. A catalogue is a value that the
//! app, the check worker and the CLI are given ([`Catalogue::builtin`] for this repository's
//! site and `pex`; a crate of its own builds one with [`Catalogue::new`] and [`Catalogue::with`]).
//! A model's one registration is its line in a catalogue: its `ModelDef` (and its `View`, if it
//! draws its own picture) carry everything else.

use crate::engine::foreign::{match_trace, read_any, ForeignTrace, Format, TraceText};
use crate::engine::{typed, AnyState, ConstError, Constants, DynModel, Erased, ModelDef, ModelInfo, TraceFile};
use crate::explorer::draw::{Drawing, Layout, Legend};
use crate::explorer::generic;
use crate::explorer::views::{StatePath, View};
use crate::models;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Builds a catalogued model from a config name and constants.
type BuildFn = fn(&str, &Constants) -> Result<Arc<dyn DynModel>, BuildError>;

/// A model's trace view: its title and the drawing of the given states, the cursor at the index.
pub type TraceViewFn = fn(&dyn DynModel, &[&AnyState], usize) -> Option<(&'static str, Drawing)>;

/// How a model is drawn: its own [`View`] or, for a model that has none, the generic view
/// ([`generic`]: every variable laid out by the shape of its value).
#[derive(Clone, Copy)]
pub struct ViewFns {
    /// The title of the model's view ([`View::TITLE`], or the generic view's).
    pub title: &'static str,
    /// Whether this is the model's own drawing (false: the generic view).
    pub own: bool,
    /// [`View::view`] of a model this entry built (`None` for another model's).
    pub view: fn(&dyn DynModel, Option<&AnyState>, &AnyState, Layout) -> Option<Drawing>,
    /// [`View::trace_view`] of a model this entry built.
    pub trace_view: TraceViewFn,
    /// [`View::legend`] of a model this entry built.
    pub legend: fn(&dyn DynModel) -> Option<Legend>,
    /// [`View::shapes_for`] of a model this entry built.
    pub shapes_for: fn(&dyn DynModel, &AnyState, &str) -> Vec<String>,
}

/// The generic view's functions (for a model with no [`View`] of its own).
pub const GENERIC_VIEW: ViewFns = ViewFns {
    title: generic::TITLE,
    own: false,
    view: |model, prev, state, _| Some(generic::draw(model, prev, state, &[])),
    trace_view: |_, _, _| None,
    legend: |model| Some(generic::legend(model)),
    shapes_for: generic::shapes_for,
};

/// One model of a catalogue.
#[derive(Clone, Copy)]
pub struct Entry {
    pub info: fn() -> ModelInfo,
    build: BuildFn,
    /// The model's own view; `None` for a model the generic view draws. (Kept apart from
    /// [`GENERIC_VIEW`] so that a program that draws nothing, the check worker, links no drawing
    /// code.)
    pub view: Option<ViewFns>,
}

impl Entry {
    /// A model drawn by its own [`View`].
    pub fn drawn<M: ModelDef + View>() -> Entry {
        Entry { build: build_model::<M>, ..Entry::drawn_without_checker::<M>() }
    }

    /// [`Entry::drawn`] for a program that never checks in its own thread: its models have no
    /// checker (see [`Erased::without_checker`]), so their checkers' code is not linked.
    pub fn drawn_without_checker<M: ModelDef + View>() -> Entry {
        Entry {
            info: M::info,
            build: build_model_without_checker::<M>,
            view: Some(ViewFns {
                title: M::TITLE,
                own: true,
                view: |model, prev, state, layout| {
                    let m = model.as_any().downcast_ref::<M>()?;
                    Some(m.view(prev.map(typed::<M::State>), typed::<M::State>(state), layout))
                },
                legend: |model| Some(model.as_any().downcast_ref::<M>()?.legend()),
                shapes_for: |model, state, path| match model.as_any().downcast_ref::<M>() {
                    Some(m) => m.shapes_for(typed::<M::State>(state), &StatePath::parse(path)),
                    None => Vec::new(),
                },
                trace_view: |model, states, cursor| {
                    let m = model.as_any().downcast_ref::<M>()?;
                    let states: Vec<&M::State> = states.iter().map(|s| typed::<M::State>(s)).collect();
                    m.trace_view(&states, cursor)
                },
            }),
        }
    }

    /// A model with no drawing code: the generic view draws it.
    pub fn generic<M: ModelDef>() -> Entry {
        Entry { info: M::info, build: build_model::<M>, view: None }
    }

    /// A model for a program that only checks it (the check worker): no drawing code, and none
    /// of what showing it takes (see [`Erased::checker_only`]: no twin's text, no message code).
    pub fn checker_only<M: ModelDef>() -> Entry {
        Entry { info: M::info, build: build_model_checker_only::<M>, view: None }
    }
}

fn build_model<M: ModelDef>(config: &str, constants: &Constants) -> Result<Arc<dyn DynModel>, BuildError> {
    let (model, info, spec) = built::<M>(config, constants)?;
    Ok(Arc::new(Erased::new(model, info, spec, constants.clone())) as Arc<dyn DynModel>)
}

/// [`build_model`] without the checker (see [`Erased::without_checker`]).
fn build_model_without_checker<M: ModelDef>(config: &str, constants: &Constants) -> Result<Arc<dyn DynModel>, BuildError> {
    let (model, info, spec) = built::<M>(config, constants)?;
    Ok(Arc::new(Erased::without_checker(model, info, spec, constants.clone())) as Arc<dyn DynModel>)
}

/// [`build_model`] without what showing the model takes (see [`Erased::checker_only`]).
fn build_model_checker_only<M: ModelDef>(config: &str, constants: &Constants) -> Result<Arc<dyn DynModel>, BuildError> {
    let (model, info, spec) = built::<M>(config, constants)?;
    Ok(Arc::new(Erased::checker_only(model, info, spec, constants.clone())) as Arc<dyn DynModel>)
}

fn built<M: ModelDef>(config: &str, constants: &Constants) -> Result<(M, ModelInfo, crate::engine::ConfigSpec), BuildError> {
    let info = M::info();
    let spec = info.config(config).cloned().ok_or_else(|| BuildError::UnknownConfig {
        model: info.name.to_string(),
        config: config.to_string(),
        known: info.configs.iter().map(|c| c.name.to_string()).collect(),
    })?;
    let model = M::build(&spec, constants).map_err(BuildError::Invalid)?;
    crate::engine::liveness::check_property_count(&model).map_err(BuildError::Invalid)?;
    Ok((model, info, spec))
}

/// The built-in models, in the order the catalogue presents them, each added by `$add`.
macro_rules! builtin_models {
    ($add:ident) => {
        Catalogue::new()
            .$add::<models::seqlock::Seqlock>()
            .$add::<models::ebpf_ring::EbpfRing>()
            .$add::<models::paxos::Paxos>()
            .$add::<models::hlc::HlcModel>()
            .$add::<models::occ::Occ>()
            .$add::<models::mvcc::Mvcc>()
            .$add::<models::routes::Routes>()
            .$add::<models::composed::Composed>()
            .$add::<models::crdt::Crdt>()
            .$add::<models::gossip::Gossip>()
            .$add::<models::persistence::Persistence>()
            .$add::<models::anti_entropy::AntiEntropy>()
    };
}

/// The models a program lists, in the order it presents them, and their lessons.
#[derive(Clone, Default)]
pub struct Catalogue {
    entries: Vec<Entry>,
    /// (path such as `lessons/paxos.toml`, TOML text), sorted by path.
    lessons: Vec<(&'static str, &'static str)>,
}

/// What is known of a trace file's model before it is read (`pex replay --config`, a twin's cfg).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TraceHint {
    pub model: Option<String>,
    pub config: Option<String>,
    /// `(name, value)` in `--const` syntax, over the model's defaults.
    pub constants: Vec<(String, String)>,
}

/// A trace file opened: this project's own, or one made from another tool's trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenedTrace {
    pub file: TraceFile,
    /// The other tool's format, if it was one.
    pub format: Option<Format>,
    /// What that tool said was violated.
    pub violated: Option<String>,
    /// Other configs the trace is also a behaviour of (the first matching one, or the one that
    /// checks what the tool says was violated, is used).
    pub also: Vec<String>,
}

impl Catalogue {
    /// Opens a trace file of any format (see `engine::foreign`): this project's JSON as it is;
    /// a TLC error trace or an ITF trace matched state by state against the models whose
    /// variables it has (or the one `hint` names), under each config (or `hint`'s) with `hint`'s
    /// constants. The config is the one under which the trace is a behaviour; of several, the
    /// first that checks the property the tool says is violated, else the first.
    pub fn open_trace(&self, text: &str, hint: &TraceHint) -> Result<OpenedTrace, String> {
        match read_any(text)? {
            TraceText::Pex(file) => Ok(OpenedTrace { file, format: None, violated: None, also: Vec::new() }),
            TraceText::Foreign(t) => self.open_foreign(&t, hint),
        }
    }

    /// [`Catalogue::open_trace`] of another tool's trace, once read.
    pub fn open_foreign(&self, trace: &ForeignTrace, hint: &TraceHint) -> Result<OpenedTrace, String> {
        let what = trace.format.name();
        // An ITF file pex wrote names its model, config and constants; what the reader gives wins.
        let written;
        let hint = match &trace.written_by_pex {
            Some(w) => {
                let mut constants = w.constants.clone();
                constants.extend(hint.constants.iter().cloned());
                written = TraceHint { model: hint.model.clone().or(Some(w.model.clone())), config: hint.config.clone().or(Some(w.config.clone())), constants };
                &written
            }
            None => hint,
        };
        let vars: Vec<&str> = trace.states[0].keys().map(String::as_str).collect();
        let mut models = Vec::new();
        for entry in &self.entries {
            let info = (entry.info)();
            if hint.model.as_deref().is_some_and(|m| m != info.name) {
                continue;
            }
            let Some(first) = info.configs.first() else { continue };
            let Ok(model) = self.build(info.name, first.name, &[]) else { continue };
            let mut theirs: Vec<&str> = model.variables().to_vec();
            theirs.sort();
            if hint.model.is_some() || theirs == vars {
                models.push(info);
            }
        }
        if let Some(m) = &hint.model {
            self.find(m).map_err(|e| e.to_string())?;
        }
        if models.is_empty() {
            return Err(format!("a {what} of another spec: no model here has its variables ({})", vars.join(", ")));
        }
        // Of several models with these variables, the one the file names.
        if models.len() > 1 {
            if let Some(module) = &trace.module {
                let named: Vec<ModelInfo> = models.iter().filter(|i| i.tla_module == module).cloned().collect();
                if !named.is_empty() {
                    models = named;
                }
            }
        }
        let mut found = Vec::new();
        let mut refusals = Vec::new();
        for info in &models {
            for config in &info.configs {
                if hint.config.as_deref().is_some_and(|c| c != config.name) {
                    continue;
                }
                let model = self.build(info.name, config.name, &hint.constants).map_err(|e| e.to_string())?;
                match match_trace(model.as_ref(), trace) {
                    Ok((init, actions, lasso)) => {
                        let checks = trace.violated.as_deref().is_some_and(|v| {
                            v == "Deadlock"
                                || model.invariant_names().contains(&v)
                                || model.property_names().contains(&v)
                                || model.liveness_names().contains(&v)
                        });
                        let file = TraceFile {
                            model: info.name.to_string(),
                            config: config.name.to_string(),
                            constants: model.constants().to_pairs(),
                            init,
                            actions,
                            lasso,
                        };
                        found.push((checks, file));
                    }
                    Err(why) => refusals.push(why.to_string()),
                }
            }
        }
        if let Some(c) = &hint.config {
            if found.is_empty() && refusals.is_empty() {
                return Err(format!("{} has no config {c}", models.iter().map(|i| i.name).collect::<Vec<_>>().join(", ")));
            }
        }
        refusals.dedup();
        if found.is_empty() {
            return Err(match refusals.len() {
                1 => refusals.remove(0),
                _ => format!("the {what} is not a behaviour of the model under any config: {}", refusals.join("; ")),
            });
        }
        let pick = found.iter().position(|(checks, _)| *checks).unwrap_or(0);
        let (_, file) = found.remove(pick);
        let also = found.into_iter().map(|(_, f)| format!("{}/{}", f.model, f.config)).collect();
        Ok(OpenedTrace { file, format: Some(trace.format), violated: trace.violated.clone(), also })
    }

    /// An empty catalogue: add models with [`Catalogue::with`] or [`Catalogue::with_view`].
    pub fn new() -> Catalogue {
        Catalogue::default()
    }

    /// This repository's models, each with its own view, and their lessons (the built-in site
    /// and `pex`).
    pub fn builtin() -> Catalogue {
        builtin_models!(with_view).with_lessons(crate::lessons::embedded())
    }

    /// What the app's page needs: [`Catalogue::builtin`] without the checkers (the page checks in
    /// its worker, which builds [`Catalogue::builtin_models`]), a few hundred kilobytes less wasm.
    pub fn builtin_app() -> Catalogue {
        builtin_models!(with_view_without_checker).with_lessons(crate::lessons::embedded())
    }

    /// This repository's models alone, with no view and no lesson, built to be checked only (no
    /// definitions' text, no message charts: [`Entry::checker_only`]): what the check worker needs
    /// (it builds and checks models by name and shows nothing), without the weight of the rest.
    pub fn builtin_models() -> Catalogue {
        builtin_models!(with_checker_only)
    }

    /// Adds a model drawn by the generic view.
    ///
    /// # Panics
    /// When the catalogue already has a model of that name (a programming error, found at start).
    pub fn with<M: ModelDef>(self) -> Catalogue {
        self.with_entry(Entry::generic::<M>())
    }

    /// Adds a model for a program that only checks it (see [`Entry::checker_only`]).
    ///
    /// # Panics
    /// When the catalogue already has a model of that name.
    pub fn with_checker_only<M: ModelDef>(self) -> Catalogue {
        self.with_entry(Entry::checker_only::<M>())
    }

    /// Adds a model drawn by its own [`View`].
    ///
    /// # Panics
    /// When the catalogue already has a model of that name.
    pub fn with_view<M: ModelDef + View>(self) -> Catalogue {
        self.with_entry(Entry::drawn::<M>())
    }

    /// [`Catalogue::with_view`] without the checker (see [`Entry::drawn_without_checker`]).
    pub fn with_view_without_checker<M: ModelDef + View>(self) -> Catalogue {
        self.with_entry(Entry::drawn_without_checker::<M>())
    }

    /// Adds an entry.
    ///
    /// # Panics
    /// When the catalogue already has a model of that name, or the model's first config is not
    /// `safe`.
    pub fn with_entry(mut self, entry: Entry) -> Catalogue {
        let info = (entry.info)();
        let name = info.name;
        assert!(self.entries.iter().all(|e| (e.info)().name != name), "the catalogue already has a model named {name}");
        // Links fall back to it, a gap's causes compare with it, and its twin's cfg is `MC.cfg`.
        assert_eq!(info.configs.first().map(|c| c.name), Some("safe"), "model {name}: its first config must be `safe`");
        self.entries.push(entry);
        self
    }

    /// Every model of `other` after this one's, and its lessons (the built-in models beside a
    /// crate's own: `Catalogue::new().with::<Mine>().and(Catalogue::builtin())`).
    ///
    /// # Panics
    /// When both have a model of the same name.
    pub fn and(mut self, other: Catalogue) -> Catalogue {
        for entry in other.entries {
            self = self.with_entry(entry);
        }
        self.with_lessons(&other.lessons)
    }

    /// Adds lessons, as (path ending in `<name>.toml`, TOML text), e.g. `include_str!`ed files.
    /// They are checked against the catalogue's models when played (`pex lesson check`).
    pub fn with_lessons(mut self, lessons: &[(&'static str, &'static str)]) -> Catalogue {
        self.lessons.extend_from_slice(lessons);
        self.lessons.sort_by_key(|(path, _)| *path);
        self
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn infos(&self) -> Vec<ModelInfo> {
        self.entries.iter().map(|e| (e.info)()).collect()
    }

    /// The names of the models, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.entries.iter().map(|e| (e.info)().name).collect()
    }

    /// The lessons, as (path, text), sorted by path.
    pub fn lessons(&self) -> &[(&'static str, &'static str)] {
        &self.lessons
    }

    /// The lesson named `name` (its file name without `.toml`), as (path, text).
    pub fn lesson(&self, name: &str) -> Option<(&'static str, &'static str)> {
        self.lessons.iter().copied().find(|(path, _)| crate::lessons::lesson_name(path) == name)
    }

    /// The entry named `name`.
    pub fn find(&self, name: &str) -> Result<&Entry, BuildError> {
        self.entries
            .iter()
            .find(|e| (e.info)().name == name)
            .ok_or_else(|| BuildError::UnknownModel { model: name.to_string(), known: self.names().iter().map(|n| n.to_string()).collect() })
    }

    /// Builds `model` for `config` with the defaults overridden by `(name, value)` pairs.
    pub fn build(&self, model: &str, config: &str, overrides: &[(String, String)]) -> Result<Arc<dyn DynModel>, BuildError> {
        let entry = self.find(model)?;
        let info = (entry.info)();
        let constants = Constants::build(&info.constants, overrides).map_err(BuildError::Constant)?;
        (entry.build)(config, &constants)
    }

    /// Builds from already-validated constants.
    pub fn build_with(&self, model: &str, config: &str, constants: &Constants) -> Result<Arc<dyn DynModel>, BuildError> {
        (self.find(model)?.build)(config, constants)
    }

    /// How a model of this catalogue is drawn: its own view, or the generic view for one that
    /// has none (or that the catalogue does not list).
    pub fn view_of(&self, model: &str) -> ViewFns {
        self.find(model).ok().and_then(|e| e.view).unwrap_or(GENERIC_VIEW)
    }

    /// The picture of `state` (reached from `prev`, if given), drawn by the model's view in its
    /// wide layout (a desktop's, and the pictures exported for the docs).
    pub fn draw(&self, model: &dyn DynModel, prev: Option<&AnyState>, state: &AnyState) -> Option<Drawing> {
        self.draw_laid_out(model, prev, state, Layout::Wide)
    }

    /// [`Catalogue::draw`] laid out for `layout` (a phone's narrow column stacks and wraps what
    /// the wide layout puts side by side; a view with no narrow layout draws its wide one).
    pub fn draw_laid_out(&self, model: &dyn DynModel, prev: Option<&AnyState>, state: &AnyState, layout: Layout) -> Option<Drawing> {
        (self.view_of(model.info().name).view)(model, prev, state, layout)
    }

    /// A picture of a stretch of a trace, for models that have one (the ballot timeline of
    /// `paxos`), with the cursor at position `cursor` of `states`. A pure function of those
    /// states; the caller passes a window around the cursor, so the cost does not grow with the
    /// trace.
    pub fn draw_trace(&self, model: &dyn DynModel, states: &[&AnyState], cursor: usize) -> Option<(&'static str, Drawing)> {
        (self.view_of(model.info().name).trace_view)(model, states, cursor)
    }

    /// The legend of a model's view.
    pub fn legend(&self, model: &dyn DynModel) -> Option<Legend> {
        (self.view_of(model.info().name).legend)(model)
    }

    /// The ids of the shapes of a model's view that draw the value at `path` of `state`.
    pub fn shapes_for(&self, model: &dyn DynModel, state: &AnyState, path: &str) -> Vec<String> {
        (self.view_of(model.info().name).shapes_for)(model, state, path)
    }

    /// The name of a model's view, shown as the panel's title.
    pub fn view_name(&self, model: &str) -> &'static str {
        self.view_of(model).title
    }
}

/// The built-in catalogue, made once: for this repository's tests and its own binaries'
/// conveniences. Code that serves any catalogue takes a `&Catalogue` instead.
pub fn builtin() -> &'static Catalogue {
    static BUILTIN: OnceLock<Catalogue> = OnceLock::new();
    BUILTIN.get_or_init(Catalogue::builtin)
}

/// [`Catalogue::infos`] of the built-in catalogue.
pub fn infos() -> Vec<ModelInfo> {
    builtin().infos()
}

/// [`Catalogue::build`] in the built-in catalogue.
pub fn build(model: &str, config: &str, overrides: &[(String, String)]) -> Result<Arc<dyn DynModel>, BuildError> {
    builtin().build(model, config, overrides)
}

/// [`Catalogue::build_with`] in the built-in catalogue.
pub fn build_with(model: &str, config: &str, constants: &Constants) -> Result<Arc<dyn DynModel>, BuildError> {
    builtin().build_with(model, config, constants)
}

/// Bad input when building a model: which part, and what would have been valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildError {
    UnknownModel { model: String, known: Vec<String> },
    UnknownConfig { model: String, config: String, known: Vec<String> },
    Constant(ConstError),
    Invalid(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::UnknownModel { model, known } => {
                write!(f, "unknown model '{model}'; the models are {}", known.join(", "))
            }
            BuildError::UnknownConfig { model, config, known } => {
                write!(f, "model {model} has no config '{config}'; its configs are {}", known.join(", "))
            }
            BuildError::Constant(e) => write!(f, "{e}"),
            BuildError::Invalid(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for BuildError {}
