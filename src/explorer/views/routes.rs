//! The gauge view of `routes`: the catalog's version as a gauge, then one gauge per node filled to
//! the version its route engine holds, with the ghost's "newest seen" and the catalog's version
//! marked on it. A node behind the catalog is merely lagging; a node below a version it already had
//! has regressed, and its gauge flashes red.

use super::super::draw::{badge, gauge, lane, Drawing, Layout, Legend, LegendItem, Mark};
use super::{StatePath, View};
use crate::engine::plural;
use crate::models::routes::{Routes, State};

const WIDTH: f64 = 680.0;
const GAUGE_X: f64 = 110.0;
const GAUGE_W: f64 = 300.0;
const GAUGE_H: f64 = 14.0;
const LANE_H: f64 = 54.0;
const LANE_GAP: f64 = 8.0;

fn caption(m: &Routes, prev: Option<&State>, s: &State) -> Vec<String> {
    let Some(p) = prev else {
        return vec![format!(
            "Initial state: catalog version 0, every node's route engine at version 0. The catalog may reach version {}; {} in all.",
            m.max_versions,
            plural(m.max_ops, "action", "actions")
        )];
    };
    let mut out = Vec::new();
    if s.catalog_version != p.catalog_version {
        out.push(format!(
            "ProposeRouteChange: a route change committed catalog version {} in one atomic step; the nodes learn of it through their watchers.",
            s.catalog_version
        ));
    }
    if s.catalog_version == p.catalog_version && s.op_count != p.op_count {
        match changed_node(p, s) {
            Some(n) => {
                let (name, before, after, seen) = (&m.nodes[n], p.engine_version[n], s.engine_version[n], p.engine_max_observed[n]);
                let mut line = format!("{name}'s watcher installed catalog version {after} (the catalog is at {}; {name} had {before}).", s.catalog_version);
                if after < seen {
                    line.push_str(&format!(" That is older than version {seen}, which {name} already had: its routes went back — Routes-4 fails."));
                } else if after < s.catalog_version {
                    line.push_str(" Skipping versions is fine; it is still behind the catalog.");
                }
                out.push(line);
            }
            None => out.push("A watcher re-installed the version its node already had: only the op count moved.".into()),
        }
    }
    if out.is_empty() {
        out.push("Nothing changed.".into());
    }
    out
}

/// The node a watcher step changed (`None` for a re-sync of the version it already had, which
/// changes nothing but the op count).
fn changed_node(p: &State, s: &State) -> Option<usize> {
    (0..s.engine_version.len()).find(|&n| p.engine_version[n] != s.engine_version[n] || p.engine_max_observed[n] != s.engine_max_observed[n])
}

impl View for Routes {
    const TITLE: &'static str = "Route engines";

    fn shapes_for(&self, _s: &State, p: &StatePath) -> Vec<String> {
        let node = p.key().and_then(|k| self.nodes.iter().position(|x| x == k)).map(|n| &self.nodes[n]);
        match (p.var, node) {
            ("catalogVersion", _) => vec!["catalog-gauge".into(), "catalog-version".into()],
            ("engineVersion", Some(n)) => vec![format!("gauge-{n}"), format!("engine-{n}")],
            // The ghost is the "seen" mark on the node's gauge.
            ("engineMaxObserved", Some(n)) => vec![format!("gauge-{n}")],
            ("opCount", _) => vec!["ops".into()],
            _ => Vec::new(),
        }
    }

    fn legend(&self) -> Legend {
        Legend {
            items: vec![
                LegendItem::badge("warn", "catalog v2", "the catalog version just moved"),
                LegendItem::badge("good", "at catalog", "a node's engine at the catalog version"),
                LegendItem::badge("bad", "regressed", "a node's engine went below a version it had seen: Routes4 fails"),
            ],
            notation: vec![
                "Each gauge is a node's route engine version; the ghost mark (seen) is the highest version it has observed, the catalog mark the current catalog version."
                    .into(),
            ],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, _layout: Layout) -> Drawing {
        view(self, prev, s)
    }
}

fn view(m: &Routes, prev: Option<&State>, s: &State) -> Drawing {
    let mut shapes = Vec::new();
    let max = m.max_versions as i64;
    let label_x = GAUGE_X + GAUGE_W + 24.0;

    // The catalog.
    let y = 10.0;
    let (g, _) = gauge("catalog-gauge", GAUGE_X, y + 14.0, GAUGE_W, GAUGE_H, 0, max, s.catalog_version as i64, "catalog", &version_marks(max));
    let moved = prev.is_some_and(|p| p.catalog_version != s.catalog_version);
    let (b, _) = badge("catalog-version", label_x, y + 21.0, &format!("catalog v{}", s.catalog_version), if moved { "warn" } else { "plain" });
    let (ops, _) = badge("ops", label_x + 100.0, y + 21.0, &format!("ops {}/{}", s.op_count, m.max_ops), "plain");
    shapes.push(lane("catalog", 10.0, y, WIDTH - 20.0, LANE_H, "catalog", if moved { "fresh" } else { "" }, vec![g, b, ops]));

    // One lane per node.
    let touched = prev.and_then(|p| if p.catalog_version == s.catalog_version { changed_node(p, s) } else { None });
    for n in 0..m.n_nodes() {
        let y = 10.0 + (n + 1) as f64 * (LANE_H + LANE_GAP);
        let (v, seen) = (s.engine_version[n], s.engine_max_observed[n]);
        let regressed = v < seen;
        let state = if regressed {
            "regressed"
        } else if v < s.catalog_version {
            "behind"
        } else {
            "current"
        };
        let just_regressed = regressed && prev.is_some_and(|p| p.engine_version[n] > v);
        let class = format!("{state}{}{}", if touched == Some(n) { " fresh" } else { "" }, if just_regressed { " flash" } else { "" });
        let marks = vec![
            Mark { value: seen as i64, label: format!("seen {seen}"), class: "ghost".into() },
            Mark { value: s.catalog_version as i64, label: format!("catalog {}", s.catalog_version), class: "catalog".into() },
        ];
        // Two marks at one value share one label.
        let marks = if seen == s.catalog_version {
            vec![Mark { value: seen as i64, label: format!("seen = catalog {seen}"), class: "ghost catalog".into() }]
        } else {
            marks
        };
        let (g, _) = gauge(&format!("gauge-{}", m.nodes[n]), GAUGE_X, y + 14.0, GAUGE_W, GAUGE_H, 0, max, v as i64, &class, &marks);
        let text = if regressed { format!("engine v{v} < seen v{seen}: REGRESSED") } else { format!("engine v{v}") };
        let (b, _) = badge(
            &format!("engine-{}", m.nodes[n]),
            label_x,
            y + 21.0,
            &text,
            if regressed {
                "bad"
            } else if state == "current" {
                "good"
            } else {
                "plain"
            },
        );
        shapes.push(lane(&format!("node-{}", m.nodes[n]), 10.0, y, WIDTH - 20.0, LANE_H, &m.nodes[n], &class, vec![g, b]));
    }
    let height = 10.0 + (m.n_nodes() + 1) as f64 * (LANE_H + LANE_GAP);
    Drawing { width: WIDTH, height, shapes, caption: caption(m, prev, s) }
}

/// A light tick per version on the catalog gauge, labelled with its number.
fn version_marks(max: i64) -> Vec<Mark> {
    (0..=max).map(|v| Mark { value: v, label: format!("v{v}"), class: "tick".into() }).collect()
}
