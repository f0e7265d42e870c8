//! The explorer's side of deep links: the link that reopens the current view, and opening a link,
//! honouring every part of it that can be.

use super::jobs::{Job, OpenKind};
use super::link::{extend_checksum, labels_checksum, Link, CHECKSUM_START};
use super::settings::fields_for;
use super::{Explorer, Notice};
use crate::catalogue::{self, BuildError, Catalogue};
use crate::engine::{Constants, DynModel, Replayer, Session, Steps};
use std::sync::Arc;

/// The positions of a trace's steps and its labels' checksum, as far as they are computed.
pub(super) struct Positions {
    choices: Vec<usize>,
    checksum: u32,
}

impl Default for Positions {
    fn default() -> Self {
        Positions { choices: Vec::new(), checksum: CHECKSUM_START }
    }
}

/// The end of opening a link: the checks that need its replayed trace, and its notice.
pub(super) struct LinkEnd {
    checksum: Option<u32>,
    at: usize,
    lasso: Option<crate::engine::Lasso>,
    problems: Vec<String>,
    ignored: Vec<String>,
    settings_changed: bool,
}

impl Explorer {
    /// The link that reopens exactly this view.
    pub fn link(&self) -> Link {
        let defaults = Constants::defaults(&self.model.info().constants);
        let constants = self.model.constants().iter().filter(|(k, v)| defaults.get(k) != Some(v)).map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let trace = self.session.trace();
        self.sync_caches();
        let mut cache = self.positions.borrow_mut();
        while cache.choices.len() + 1 < trace.len() {
            let i = cache.choices.len() + 1;
            let label = trace.steps[i].action.as_deref().unwrap_or_default();
            let p = self.model.choices(&trace.steps[i - 1].state).iter().position(|c| c.label == label).unwrap_or(0);
            cache.choices.push(p);
            cache.checksum = extend_checksum(cache.checksum, label);
        }
        let steps = trace.len() - 1;
        Link {
            model: self.model.info().name.to_string(),
            config: self.model.config().name.to_string(),
            constants,
            seed: self.seed,
            init: trace.init_index,
            checksum: if steps == 0 { None } else { Some(cache.checksum) },
            choices: cache.choices[..steps].to_vec(),
            at: self.session.cursor(),
            lasso: trace.lasso,
        }
    }

    /// Opens a link, keeping every part of it that can be honoured. What cannot be is named in one
    /// notice (an error; a warning when the only thing to say is that unknown parameters were
    /// ignored), and the explorer falls back for that part alone: an unknown config to `safe`, a bad
    /// constant to its default, a trace that does not replay or does not match the link's settings
    /// to the initial state. A link with nothing usable (no model, an unknown model, another
    /// format) opens the first model at its initial state. Never fails, never panics, and the work
    /// done is bounded by the link's length (see [`Link::decode`]) and the app's trace cap.
    pub fn from_link(fragment: &str) -> Explorer {
        Self::from_link_in(Arc::new(catalogue::builtin().clone()), fragment)
    }

    /// [`Explorer::from_link`] among the models of `catalogue`.
    ///
    /// # Panics
    /// When the catalogue is empty (the app refuses to start with one).
    pub fn from_link_in(catalogue: Arc<Catalogue>, fragment: &str) -> Explorer {
        let first = || Explorer::in_catalogue(catalogue.clone()).expect("a catalogue with a model");
        let decoded = match Link::decode(fragment) {
            Ok(d) => d,
            Err(e) => {
                let mut x = first();
                x.notices.push(Notice::error(format!("This link could not be read ({e}); showing {} at its initial state instead.", x.model.info().name)));
                return x;
            }
        };
        let link = decoded.link;
        let mut problems = decoded.problems;
        let mut x = match Explorer::for_model_in(catalogue.clone(), &link.model) {
            Ok(x) => x,
            Err(e) => {
                let mut x = first();
                x.notices.push(Notice::error(format!("This link names an {e}; showing {} at its initial state instead.", x.model.info().name)));
                return x;
            }
        };
        x.seed = link.seed;
        let name = link.model.clone();
        let specs = x.model.info().constants.clone();
        // Each constant on its own: a bad one keeps its default, the others apply. The last value
        // given for a name counts; sets before members, so `InitGroup` is checked against the
        // link's `Groups`. At most one value per declared constant is ever parsed.
        let mut wanted: Vec<(String, String)> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (k, v) in link.constants.iter().rev() {
            if !seen.insert(k.as_str()) {
                continue;
            }
            if specs.iter().any(|s| s.name == k) {
                wanted.push((k.clone(), v.clone()));
            } else {
                unknown.push(k.clone());
            }
        }
        if !unknown.is_empty() {
            unknown.reverse();
            let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
            problems.push(format!(
                "{} has no constant {} (its constants are {}), so {} ignored",
                name,
                list_some(&unknown),
                known.join(", "),
                if unknown.len() == 1 { "it is" } else { "they are" }
            ));
        }
        wanted.sort_by_key(|(k, _)| {
            let member = specs.iter().any(|s| s.name == k && matches!(s.kind, crate::engine::ConstKind::MemberOf { .. }));
            (member, specs.iter().position(|s| s.name == k))
        });
        let mut accepted: Vec<(String, String)> = Vec::new();
        for pair in &wanted {
            let mut candidate = accepted.clone();
            candidate.push(pair.clone());
            match Constants::build(&specs, &candidate) {
                Ok(_) => accepted.push(pair.clone()),
                Err(e) if e.name == pair.0 => problems.push(format!("{e}, so it keeps its default")),
                Err(e) => {
                    // Another constant's default refuses it (`Groups` without the default
                    // `InitGroup`): it applies if the link's own value for that one fits.
                    let theirs = wanted.iter().find(|(k, _)| *k == e.name).is_some_and(|w| {
                        candidate.push(w.clone());
                        Constants::build(&specs, &candidate).is_ok()
                    });
                    if theirs {
                        accepted.push(pair.clone());
                    } else {
                        problems.push(format!(
                            "constant {} = {} does not fit the others ({e}), so it keeps its default",
                            pair.0,
                            list_some(std::slice::from_ref(&pair.1))
                        ));
                    }
                }
            }
        }
        let constants = Constants::build(&specs, &accepted).unwrap_or_else(|_| Constants::defaults(&specs));
        let mut config = link.config.clone();
        let model = match catalogue.build_with(&name, &config, &constants) {
            Ok(m) => Ok(m),
            Err(e @ BuildError::UnknownConfig { .. }) => {
                problems.push(format!("{e}, so safe is used"));
                config = "safe".to_string();
                catalogue.build_with(&name, &config, &constants)
            }
            Err(e) => Err(e),
        };
        let model = match model {
            Ok(m) => m,
            Err(e) => {
                // The constants are each valid but the model refuses them together.
                problems.push(format!("{e}, so the default constants are used"));
                match catalogue.build(&name, &config, &[]) {
                    Ok(m) => m,
                    Err(_) => x.model.clone(),
                }
            }
        };
        let settings_changed = !problems.is_empty();
        x.fields = fields_for(model.info(), model.constants());
        x.model = model.clone();
        x.session = Session::new(model.clone());
        if link.choices.is_empty() && link.init != 0 {
            let inits = model.init_states().len();
            if link.init < inits {
                x.session = Session::at_init(model.clone(), link.init);
            } else {
                problems.push(format!("its initial state #{} does not exist (the model has {inits}), so the first is shown", link.init));
            }
        }
        let end = LinkEnd { checksum: link.checksum, at: link.at, lasso: link.lasso, problems, ignored: decoded.ignored, settings_changed };
        if link.choices.is_empty() {
            x.say_link(end);
        } else {
            // A long trace is replayed in slices by the page (see `Explorer::work`); the link's
            // notice comes when it is done.
            let states = link.choices.len() + 1;
            let replayer = Replayer::new(model.as_ref(), link.init, Steps::Positions(link.choices));
            x.start(Job::Open { model, replayer, kind: OpenKind::Link(Box::new(end)) }, states);
        }
        x
    }

    /// Opens a link's replayed trace, if it is the trace the link names, and says what could not
    /// be honoured.
    pub(super) fn end_link(&mut self, model: Arc<dyn DynModel>, trace: crate::engine::Trace, stop: Option<crate::engine::ReplayStop>, mut end: LinkEnd) {
        let mut at_warning = None;
        match stop {
            None if Some(labels_checksum(&trace.labels())) == end.checksum => {
                let at = end.at.min(trace.len() - 1);
                if end.at >= trace.len() {
                    at_warning = Some(format!("This link points at step {} of a {}-step trace; showing the last step.", end.at, trace.len() - 1));
                }
                self.session = Session::from_trace(model, trace, at);
                if let Err(e) = self.session.set_lasso(end.lasso) {
                    end.problems.push(format!("{e}, so the trace is shown without its loop"));
                }
            }
            None => end.problems.push(if end.settings_changed {
                "its trace does not match the settings that could be applied (see above), so the initial state is shown".to_string()
            } else {
                "its trace does not match its settings (its constants or config were edited, or it was made with another version of the model), so the link's settings are applied at the initial state".to_string()
            }),
            Some(e) => end.problems.push(if end.settings_changed {
                format!("its trace does not replay with the settings that could be applied ({e}), so the initial state is shown")
            } else {
                format!("its trace does not replay with its settings ({e}; its constants or config were edited, or it was made with another version of the model), so the link's settings are applied at the initial state")
            }),
        }
        self.say_link(end);
        if let Some(w) = at_warning {
            self.notices.push(Notice::warning(w));
        }
    }

    /// The one notice that says what part of a link could not be honoured.
    fn say_link(&mut self, end: LinkEnd) {
        let LinkEnd { problems, ignored, .. } = end;
        if !problems.is_empty() {
            let mut text = format!("This link was opened in part: {}.", problems.iter().take(12).cloned().collect::<Vec<_>>().join("; "));
            if problems.len() > 12 {
                text.push_str(&format!(" ({} more problems not listed.)", problems.len() - 12));
            }
            if !ignored.is_empty() {
                text.push_str(&format!(" It also has parameters this version does not use, ignored: {}.", list_some(&ignored)));
            }
            self.notices.push(Notice::error(text));
        } else if !ignored.is_empty() {
            self.notices.push(Notice::warning(format!("This link has parameters this version does not use; they are ignored: {}.", list_some(&ignored))));
        }
    }
}

/// Names for a message: the first few, then how many more.
fn list_some(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut out = names.iter().take(SHOWN).map(|n| crate::engine::constants::shown(n)).collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}
