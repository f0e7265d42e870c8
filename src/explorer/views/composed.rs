//! The catalog-history view of `composed`: a table of catalog versions (rows) × keys (columns),
//! each cell coloured by the group owning the key at that version (versions not yet written are
//! dimmed), and the transactions as cards pinned to the row of the version they observed. A commit
//! through a group that did not own a written key at that version marks the card and the key's
//! cell red.

use super::super::draw::{badge, badge_row, Anchor, Drawing, Layout, Legend, LegendItem, Shape};
use super::{StatePath, View};
use crate::models::composed::{Composed, State, Txn, TxnState};

const LEFT: f64 = 64.0;
const TOP: f64 = 66.0;
const CELL_W: f64 = 64.0;
const ROW_H: f64 = 66.0;
const CELL_H: f64 = 36.0;
const CARD_W: f64 = 160.0;
const CARD_H: f64 = 58.0;
const CARD_GAP: f64 = 10.0;

fn state_class(t: TxnState) -> &'static str {
    match t {
        TxnState::Idle => "idle",
        TxnState::Active => "active",
        TxnState::Committed => "committed",
        TxnState::Aborted => "aborted",
    }
}

fn keys_text(m: &Composed, txn: &Txn) -> String {
    let ks: Vec<&str> = (0..m.n_keys()).filter(|&k| txn.writes_key(k)).map(|k| m.keys[k].as_str()).collect();
    if ks.is_empty() {
        "writes nothing".into()
    } else {
        format!("writes {}", ks.join(", "))
    }
}

fn caption(m: &Composed, prev: Option<&State>, s: &State) -> Vec<String> {
    let Some(p) = prev else {
        return vec![format!(
            "Initial state: catalog version 0, every key owned by {}; no transaction has begun. A transaction pins the catalog version it begins at.",
            m.groups[m.init_group as usize]
        )];
    };
    let mut out = Vec::new();
    if s.catalog_version != p.catalog_version {
        let v = s.catalog_version as usize;
        let moved: Vec<String> = (0..m.n_keys())
            .filter(|&k| s.routes[v][k] != p.routes[v - 1][k])
            .map(|k| format!("{} moves from {} to {}", m.keys[k], m.groups[p.routes[v - 1][k] as usize], m.groups[s.routes[v][k] as usize]))
            .collect();
        out.push(if moved.is_empty() {
            format!("ProposeRouteChange wrote catalog version {v} with the same owners (a version bump only).")
        } else {
            format!("ProposeRouteChange wrote catalog version {v}: {}. Transactions that began earlier still see their own version.", moved.join(", "))
        });
    }
    for t in 0..m.n_txns() {
        let (a, b) = (&p.txns[t], &s.txns[t]);
        if a == b {
            continue;
        }
        let name = &m.txn_ids[t];
        out.push(match (a.state, b.state) {
            (TxnState::Idle, TxnState::Active) => format!("{name} began at ts {} and pinned catalog version {}.", b.start_ts, b.observed),
            (TxnState::Active, TxnState::Active) => {
                let k = (0..m.n_keys()).find(|&k| b.writes_key(k) && !a.writes_key(k)).unwrap_or(0);
                format!(
                    "{name} will write {} ({} owns it at version {}, the one {name} observed).",
                    m.keys[k], m.groups[s.routes[b.observed as usize][k] as usize], b.observed
                )
            }
            (TxnState::Active, TxnState::Committed) => {
                let g = b.group.unwrap_or(0);
                let bad = m.misrouted(s, t, g);
                if bad.is_empty() {
                    format!(
                        "{name} committed at ts {} through {}, which owned every key it wrote at version {}.",
                        b.commit_ts, m.groups[g as usize], b.observed
                    )
                } else {
                    let owners: Vec<String> =
                        bad.iter().map(|&k| format!("{} belongs to {}", m.keys[k], m.groups[s.routes[b.observed as usize][k] as usize])).collect();
                    format!(
                        "{name} committed at ts {} through {}, but at version {} (the one {name} observed) {} — Composed-1 fails.",
                        b.commit_ts,
                        m.groups[g as usize],
                        b.observed,
                        owners.join(" and ")
                    )
                }
            }
            (_, TxnState::Aborted) => format!("{name} aborted; its buffered writes are dropped."),
            _ => format!("{name} changed."),
        });
    }
    if out.is_empty() {
        out.push("Nothing changed.".into());
    }
    out
}

impl View for Composed {
    const TITLE: &'static str = "Catalog history";

    fn shapes_for(&self, _s: &State, p: &StatePath) -> Vec<String> {
        let txn = p.key().and_then(|k| self.txn_ids.iter().position(|x| x == k)).map(|t| &self.txn_ids[t]);
        match (p.var, p.keys.as_slice()) {
            ("routes", [v]) => vec![format!("version-{v}")],
            ("routes", [v, k]) => vec![format!("route-{v}-{k}")],
            ("txnState" | "txnWriteSet" | "txnCommitTs" | "txnObservedVer" | "txnCommitGroup" | "txnStartTs", _) => {
                txn.map(|t| vec![format!("txn-{t}")]).unwrap_or_default()
            }
            ("catalogVersion", _) => vec!["catalog-version".into()],
            ("tsCounter", _) => vec!["ts-counter".into()],
            ("opCount", _) => vec!["ops".into()],
            _ => Vec::new(),
        }
    }

    fn legend(&self) -> Legend {
        Legend {
            items: vec![
                LegendItem::shape(
                    Shape::Rect { x: 1.0, y: 1.0, w: 30.0, h: 18.0, rx: 6.0, class: "route-box group-0".into() },
                    32.0,
                    20.0,
                    "a key's group in one catalog version, coloured by group",
                ),
                LegendItem::shape(
                    Shape::group("txn-card active", vec![Shape::Rect { x: 1.0, y: 1.0, w: 30.0, h: 18.0, rx: 8.0, class: "txn-box".into() }]),
                    32.0,
                    20.0,
                    "an active transaction",
                ),
                LegendItem::shape(
                    Shape::group("txn-card committed", vec![Shape::Rect { x: 1.0, y: 1.0, w: 30.0, h: 18.0, rx: 8.0, class: "txn-box".into() }]),
                    32.0,
                    20.0,
                    "a committed transaction",
                ),
                LegendItem::shape(
                    Shape::group("txn-card aborted", vec![Shape::Rect { x: 1.0, y: 1.0, w: 30.0, h: 18.0, rx: 8.0, class: "txn-box".into() }]),
                    32.0,
                    20.0,
                    "an aborted transaction",
                ),
                LegendItem::shape(
                    Shape::group("txn-card committed bad", vec![Shape::Rect { x: 1.0, y: 1.0, w: 30.0, h: 18.0, rx: 8.0, class: "txn-box".into() }]),
                    32.0,
                    20.0,
                    "committed to a group that does not own its keys: Composed1 fails",
                ),
                LegendItem::shape(
                    Shape::Line { x1: 0.0, y1: 10.0, x2: 30.0, y2: 10.0, class: "pin".into(), arrow: false },
                    32.0,
                    20.0,
                    "the catalog version a transaction observed when it began",
                ),
            ],
            notation: vec!["Rows are catalog versions (newest at the bottom), columns keys; a transaction is pinned to the version it observed.".into()],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, _layout: Layout) -> Drawing {
        view(self, prev, s)
    }
}

fn view(m: &Composed, prev: Option<&State>, s: &State) -> Drawing {
    let mut shapes = Vec::new();
    let rows = m.max_versions as usize + 1;
    let table_right = LEFT + m.n_keys() as f64 * CELL_W;
    let cards_x = table_right + 36.0;

    // Which cards sit on which row (the version each non-idle transaction observed).
    let mut per_row: Vec<Vec<usize>> = vec![Vec::new(); rows];
    for (t, txn) in s.txns.iter().enumerate() {
        if txn.state != TxnState::Idle {
            per_row[txn.observed as usize].push(t);
        }
    }
    let most = per_row.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let width = (cards_x + most as f64 * (CARD_W + CARD_GAP) + 10.0).max(600.0);

    // Counters and the groups' colours.
    let mut items = vec![
        ("catalog-version".to_string(), format!("catalog v{}", s.catalog_version), "plain".to_string()),
        ("ts-counter".to_string(), format!("ts {}", s.ts_counter), "plain".to_string()),
        ("ops".to_string(), format!("ops {}/{}", s.op_count, m.max_ops), "plain".to_string()),
    ];
    for g in 0..m.n_groups() {
        items.push((format!("legend-{}", m.groups[g]), m.groups[g].clone(), format!("group-legend group-{g}")));
    }
    let (row, _) = badge_row(LEFT, 16.0, 8.0, &items);
    shapes.extend(row);

    // Column heads.
    for k in 0..m.n_keys() {
        shapes.push(Shape::text(LEFT + (k as f64 + 0.5) * CELL_W, TOP - 10.0, m.keys[k].clone(), "key-head", Anchor::Middle));
    }
    shapes.push(Shape::text(cards_x, TOP - 10.0, "transactions, at the version they observed", "key-head muted-head", Anchor::Start));

    // Misrouted cells: (version, key) a committed transaction wrote through a non-owner.
    let mut misrouted: Vec<(usize, usize)> = Vec::new();
    for (t, txn) in s.txns.iter().enumerate() {
        if let (TxnState::Committed, Some(g)) = (txn.state, txn.group) {
            misrouted.extend(m.misrouted(s, t, g).into_iter().map(|k| (txn.observed as usize, k)));
        }
    }

    // The history: one row per version.
    for (v, cards) in per_row.iter().enumerate() {
        let y = TOP + v as f64 * ROW_H;
        let written = v <= s.catalog_version as usize;
        let current = v == s.catalog_version as usize;
        let row_class = format!("version-row{}{}", if current { " current" } else { "" }, if written { "" } else { " unwritten" });
        let mut children =
            vec![Shape::text(LEFT - 10.0, y + ROW_H / 2.0 + 4.0, if current { format!("v{v} ▶") } else { format!("v{v}") }, "version-head", Anchor::End)];
        for k in 0..m.n_keys() {
            let g = s.routes[v][k] as usize;
            let x = LEFT + k as f64 * CELL_W;
            let fresh = prev.is_some_and(|p| p.routes[v][k] != s.routes[v][k]);
            let mut class = format!("route group-{g}");
            if fresh {
                class.push_str(" fresh");
            }
            if misrouted.contains(&(v, k)) {
                class.push_str(" misrouted");
            }
            let title = if written {
                format!("at catalog version {v}, {} is owned by {}", m.keys[k], m.groups[g])
            } else {
                format!("catalog version {v} is not written yet (it holds the initial map)")
            };
            children.push(Shape::Group {
                id: Some(format!("route-{v}-{}", m.keys[k])),
                class,
                title: Some(title),
                children: vec![
                    Shape::Rect { x: x + 3.0, y: y + (ROW_H - CELL_H) / 2.0, w: CELL_W - 6.0, h: CELL_H, rx: 6.0, class: "route-box".into() },
                    Shape::text(x + CELL_W / 2.0, y + ROW_H / 2.0 + 4.5, if written { m.groups[g].clone() } else { "·".into() }, "route-text", Anchor::Middle),
                ],
            });
        }
        shapes.push(Shape::Group { id: Some(format!("version-{v}")), class: row_class, title: None, children });

        // The transactions pinned to this version.
        for (i, &t) in cards.iter().enumerate() {
            let txn = &s.txns[t];
            let x = cards_x + i as f64 * (CARD_W + CARD_GAP);
            let cy = y + (ROW_H - CARD_H) / 2.0;
            let bad = matches!((txn.state, txn.group), (TxnState::Committed, Some(g)) if !m.misrouted(s, t, g).is_empty());
            let fresh = prev.is_some_and(|p| p.txns[t] != *txn);
            let class = format!("txn-card {}{}{}", state_class(txn.state), if bad { " bad" } else { "" }, if fresh { " fresh" } else { "" });
            let status = match (txn.state, txn.group) {
                (TxnState::Committed, Some(g)) => format!("via {} @ ts {}{}", m.groups[g as usize], txn.commit_ts, if bad { " ✗" } else { "" }),
                (TxnState::Aborted, _) => "aborted".to_string(),
                _ => "not committed".to_string(),
            };
            let lines = [
                format!("{} · {}", m.txn_ids[t], txn.state.name()),
                format!("start ts {} · pinned v{}", txn.start_ts, txn.observed),
                keys_text(m, txn),
                status,
            ];
            let mut children = vec![
                Shape::Line { x1: table_right + 4.0, y1: y + ROW_H / 2.0, x2: x, y2: y + ROW_H / 2.0, class: "pin".into(), arrow: false },
                Shape::Rect { x, y: cy, w: CARD_W, h: CARD_H, rx: 8.0, class: "txn-box".into() },
            ];
            for (j, l) in lines.iter().enumerate() {
                children.push(Shape::text(x + 8.0, cy + 14.0 + j as f64 * 13.0, l.clone(), if j == 0 { "txn-head" } else { "txn-text" }, Anchor::Start));
            }
            shapes.push(Shape::Group {
                id: Some(format!("txn-{}", m.txn_ids[t])),
                class,
                title: Some(format!("{} observed catalog version {}", m.txn_ids[t], txn.observed)),
                children,
            });
        }
    }

    // Transactions that have not begun.
    let idle_y = TOP + rows as f64 * ROW_H + 14.0;
    let mut height = TOP + rows as f64 * ROW_H + 4.0;
    let idle: Vec<(String, String, String)> = (0..m.n_txns())
        .filter(|&t| s.txns[t].state == TxnState::Idle)
        .map(|t| (format!("txn-{}", m.txn_ids[t]), format!("{} idle", m.txn_ids[t]), "plain idle".to_string()))
        .collect();
    let (b, _) = badge("", LEFT - 44.0, idle_y, "not begun", "muted-badge");
    if !idle.is_empty() {
        shapes.push(b);
        let (row, _) = badge_row(LEFT + 40.0, idle_y, 6.0, &idle);
        shapes.extend(row);
        height = idle_y + 16.0;
    }
    Drawing { width, height, shapes, caption: caption(m, prev, s) }
}
