//! The transaction view of `occ`: per key a lock badge and its committed versions (ordered by
//! commit timestamp, coloured by the transaction that wrote them); per transaction a lifecycle strip
//! (Idle → Active → Prepared → Committed or Aborted) with its start and commit timestamps, its
//! write set and what it read. A commit not above its start (OCC1) shows in red.

use super::super::draw::{badge, badge_row, lane, slot_strip, Anchor, Cell, Drawing, Layout, Legend, LegendItem, Shape};
use super::{StatePath, View};
use crate::engine::plural;
use crate::models::occ::{Occ, State, TxnState, NO_LOCK};

const WIDTH: f64 = 680.0;
const X: f64 = 8.0;
const KEY_H: f64 = 40.0;
const TXN_H: f64 = 74.0;
const GAP: f64 = 8.0;
const LIFE_X: f64 = 56.0;
const LIFE_W: f64 = 86.0;

const LIFECYCLE: [TxnState; 5] = [TxnState::Idle, TxnState::Active, TxnState::Prepared, TxnState::Committed, TxnState::Aborted];

fn set_text(m: &Occ, mask: u8) -> String {
    let keys: Vec<&str> = (0..m.n_keys()).filter(|&k| mask & (1 << k) != 0).map(|k| m.keys[k].as_str()).collect();
    format!("{{{}}}", keys.join(", "))
}

fn owner_class(t: usize) -> String {
    format!("owner-{}", t.min(2))
}

/// The versions of key `k`, oldest first: (commit ts, owner).
fn versions_of(m: &Occ, s: &State, k: usize) -> Vec<(u8, usize)> {
    let mut v: Vec<(u8, usize)> = (0..m.n_txns()).filter(|&t| s.versions[k][t] != 0).map(|t| (s.versions[k][t], t)).collect();
    v.sort();
    v
}

fn caption(m: &Occ, prev: Option<&State>, s: &State) -> Vec<String> {
    let Some(p) = prev else {
        return vec![
            format!(
                "Initial state: {}, all Idle; {}, no locks and no versions; tsCounter 0. At most {}.",
                plural(m.n_txns(), "transaction", "transactions"),
                plural(m.n_keys(), "key", "keys"),
                plural(m.max_ops, "write intent", "write intents")
            ),
            if m.enable_safety {
                "Safety on: a commit takes a fresh timestamp, tsCounter + 1.".to_string()
            } else {
                "Gap: a commit reuses the current tsCounter, which can be the transaction's own start.".to_string()
            },
        ];
    };
    let mut out = Vec::new();
    for t in 0..m.n_txns() {
        let (a, b) = (&p.txns[t], &s.txns[t]);
        let name = &m.txn_ids[t];
        if a == b {
            continue;
        }
        match (a.state, b.state) {
            (TxnState::Idle, TxnState::Active) => {
                out.push(format!("{name} began with start timestamp {} (tsCounter {} → {}).", b.start, p.ts_counter, s.ts_counter))
            }
            (TxnState::Active, TxnState::Prepared) => out.push(format!(
                "{name} prepared: it locked {} at its start timestamp {} (no key was locked or had a newer version).",
                set_text(m, b.write_set),
                b.start
            )),
            (TxnState::Prepared, TxnState::Committed) if b.commit > b.start => out.push(format!(
                "{name} committed at {} (above its start {}), installed versions of {} and released its locks.",
                b.commit,
                b.start,
                set_text(m, b.write_set)
            )),
            (TxnState::Prepared, TxnState::Committed) => {
                out.push(format!("{name} committed at {}, reusing tsCounter: not above its start {}, so OCC1_CommitTsAboveStart fails.", b.commit, b.start))
            }
            (_, TxnState::Aborted) => out.push(if a.state == TxnState::Prepared {
                format!("{name} aborted and released its locks on {}.", set_text(m, a.write_set))
            } else {
                format!("{name} aborted before preparing; it held no locks.")
            }),
            _ if b.write_set != a.write_set => {
                let k = (0..m.n_keys()).find(|&k| b.writes(k) && !a.writes(k)).unwrap();
                out.push(format!("{name} buffered a write of {} (no lock yet); {} of {} write intents used.", m.keys[k], s.op_count, m.max_ops));
            }
            _ => {
                let k = (0..m.n_keys()).find(|&k| b.read_obs[k] != a.read_obs[k]).unwrap();
                out.push(format!("{name} read {} at its start {}: the newest version at or below it is at {}.", m.keys[k], b.start, b.read_obs[k]));
            }
        }
    }
    if out.is_empty() {
        out.push("Nothing changed: the read found no version at or below the start timestamp, so readObs stays 0 (the read may be repeated).".to_string());
    }
    out
}

impl View for Occ {
    const TITLE: &'static str = "Keys and transactions";

    fn shapes_for(&self, s: &State, p: &StatePath) -> Vec<String> {
        let txn = || p.key().and_then(|k| self.txn_ids.iter().position(|x| x == k)).map(|t| &self.txn_ids[t]);
        let key = || p.key().and_then(|k| self.keys.iter().position(|x| x == k));
        match p.var {
            "startTs" => txn().map(|t| vec![format!("start-{t}")]).unwrap_or_default(),
            "commitTs" => txn().map(|t| vec![format!("commit-{t}")]).unwrap_or_default(),
            "writeSet" => txn().map(|t| vec![format!("writes-{t}")]).unwrap_or_default(),
            // The lifecycle cell of the state the transaction is in.
            "txnState" => p
                .key()
                .and_then(|k| self.txn_ids.iter().position(|x| x == k))
                .map(|t| vec![format!("life-{}-{}", self.txn_ids[t], s.txns[t].state.name())])
                .unwrap_or_default(),
            "readObs" => txn().map(|t| vec![format!("txn-{t}")]).unwrap_or_default(),
            "lockMap" => key().map(|k| vec![format!("lock-{}", self.keys[k])]).unwrap_or_default(),
            "versions" => key()
                .map(|k| {
                    let name = &self.keys[k];
                    std::iter::once(format!("key-{name}"))
                        .chain((0..self.txn_ids.len()).filter(|&t| s.versions[k][t] != 0).map(|t| format!("version-{name}-{}", self.txn_ids[t])))
                        .collect()
                })
                .unwrap_or_default(),
            "tsCounter" => vec!["status-ts".into()],
            "opCount" => vec!["status-ops".into()],
            _ => Vec::new(),
        }
    }

    fn legend(&self) -> Legend {
        Legend {
            items: vec![
                LegendItem::badge("locked", "locked by t1 @2", "a key locked by a prepared transaction, at its start ts"),
                LegendItem::badge("version owner-0", "@3 by t1", "a committed version of a key: its commit ts and writer"),
                LegendItem::badge("version owner-0 clash", "@3 by t1", "two versions of a key at one commit ts: a write-write conflict"),
                LegendItem::badge("good", "commit 3", "a commit ts above the start ts"),
                LegendItem::badge("bad", "commit 2 ≤ start", "a commit ts at or below the start ts: OCC1 fails"),
                LegendItem::badge("warn", "gap: commit ts = tsCounter", "the gap: commit reuses the counter instead of taking a fresh ts"),
            ],
            notation: vec![
                "@n is a timestamp; a transaction's strip shows its lifecycle Idle → Active → Prepared → Committed or Aborted, with its start and commit ts."
                    .into(),
            ],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, _layout: Layout) -> Drawing {
        view(self, prev, s)
    }
}

fn view(m: &Occ, prev: Option<&State>, s: &State) -> Drawing {
    let mut shapes = Vec::new();
    let mode = if m.enable_safety { ("safe: commit ts = tsCounter + 1", "good") } else { ("gap: commit ts = tsCounter", "warn") };
    let (row, _) = badge_row(
        X,
        18.0,
        8.0,
        &[
            ("status-ts".into(), format!("tsCounter {}", s.ts_counter), "plain".into()),
            ("status-ops".into(), format!("write intents {} of {}", s.op_count, m.max_ops), "plain".into()),
            ("status-mode".into(), mode.0.to_string(), mode.1.to_string()),
        ],
    );
    shapes.extend(row);

    // Keys: the lock and the versions.
    let mut y = 48.0;
    shapes.push(Shape::text(X + 2.0, y + 4.0, "KEYS", "occ-subhead", Anchor::Start));
    y += 14.0;
    for k in 0..m.n_keys() {
        let name = &m.keys[k];
        let lock = s.locks[k];
        let changed = prev.is_some_and(|p| p.locks[k] != lock || p.versions[k] != s.versions[k]);
        let mid = y + KEY_H / 2.0;
        let mut children = Vec::new();
        let (lock_text, lock_class) = if lock == NO_LOCK {
            ("unlocked".to_string(), "plain")
        } else {
            (format!("locked by {} at {}", m.txn_ids[lock.owner as usize], lock.lock_ts), "locked")
        };
        let (b, w) = badge(&format!("lock-{name}"), X + 48.0, mid, &lock_text, lock_class);
        children.push(b);
        let mut x = X + 48.0 + w.max(150.0) + 12.0;
        children.push(Shape::text(x, mid + 4.0, "versions", "occ-label", Anchor::Start));
        x += 60.0;
        let versions = versions_of(m, s, k);
        if versions.is_empty() {
            children.push(Shape::text(x, mid + 4.0, "none", "occ-none", Anchor::Start));
        }
        for (i, &(ts, t)) in versions.iter().enumerate() {
            // Two versions of one key at the same timestamp: the history is ambiguous.
            let clash = versions.iter().enumerate().any(|(j, &(other, _))| j != i && other == ts);
            let class = format!("version {}{}", owner_class(t), if clash { " clash" } else { "" });
            let (b, w) = badge(&format!("version-{name}-{}", m.txn_ids[t]), x, mid, &format!("@{ts} by {}", m.txn_ids[t]), &class);
            children.push(b);
            x += w + 6.0;
        }
        shapes.push(lane(&format!("key-{name}"), X, y, WIDTH - 2.0 * X, KEY_H, name, if changed { "occ-key acting" } else { "occ-key" }, children));
        y += KEY_H + GAP;
    }

    // Transactions: the lifecycle strip, the timestamps, the write set and the reads.
    y += 8.0;
    shapes.push(Shape::text(X + 2.0, y + 4.0, "TRANSACTIONS", "occ-subhead", Anchor::Start));
    y += 14.0;
    for t in 0..m.n_txns() {
        let name = &m.txn_ids[t];
        let x = &s.txns[t];
        let changed = prev.is_some_and(|p| p.txns[t] != *x);
        let reached = LIFECYCLE.iter().position(|&st| st == x.state).unwrap();
        let cells: Vec<Cell> = LIFECYCLE
            .iter()
            .enumerate()
            .map(|(i, st)| {
                let class = if *st == x.state {
                    format!("life current {}", st.name().to_lowercase())
                } else if i < reached && (i < 2 || x.state == TxnState::Committed) {
                    "life past".to_string()
                } else {
                    "life future".to_string()
                };
                Cell { id: format!("life-{name}-{}", st.name()), head: String::new(), body: st.name().to_string(), foot: String::new(), class, tooltip: None }
            })
            .collect();
        let mut children = vec![Shape::group("lifecycle", vec![slot_strip(X + LIFE_X, y + 6.0, LIFE_W, 30.0, &cells)])];
        let bx = X + LIFE_X + 5.0 * LIFE_W + 10.0;
        let start = if x.start == 0 { ("start —".to_string(), "plain") } else { (format!("start {}", x.start), "plain") };
        let commit = if x.state == TxnState::Committed {
            if x.commit > x.start {
                (format!("commit {}", x.commit), "good")
            } else {
                (format!("commit {} ≤ start", x.commit), "bad")
            }
        } else {
            ("commit —".to_string(), "plain")
        };
        // The timestamps in a column right of the strip: start above, commit below.
        let (b, _) = badge(&format!("start-{name}"), bx, y + 21.0, &start.0, start.1);
        children.push(b);
        let (b, _) = badge(&format!("commit-{name}"), bx, y + 56.0, &commit.0, commit.1);
        children.push(b);
        let reads: Vec<String> = (0..m.n_keys()).filter(|&k| x.read_obs[k] != 0).map(|k| format!("{}@{}", m.keys[k], x.read_obs[k])).collect();
        let mut items = vec![(format!("writes-{name}"), format!("writes {}", set_text(m, x.write_set)), "plain".to_string())];
        if !reads.is_empty() {
            items.push((format!("reads-{name}"), format!("saw {}", reads.join(", ")), "plain".to_string()));
        }
        let (row, _) = badge_row(X + LIFE_X + 2.0, y + 56.0, 6.0, &items);
        children.extend(row);
        let class = format!("occ-txn {}{}", owner_class(t), if changed { " acting" } else { "" });
        shapes.push(lane(&format!("txn-{name}"), X, y, WIDTH - 2.0 * X, TXN_H, name, &class, children));
        y += TXN_H + GAP;
    }
    Drawing { width: WIDTH, height: y + 2.0, shapes, caption: caption(m, prev, s) }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{self, class_of, texts_of};
    use crate::explorer::draw::Drawing;

    fn drawing_after(config: &str, labels: &[&str]) -> Drawing {
        testing::drawing_after("occ", config, labels)
    }

    #[test]
    fn initial_state_shows_idle_transactions_and_free_keys() {
        let d = drawing_after("safe", &[]);
        assert_eq!(texts_of(&d, "lock-k1"), ["unlocked"]);
        assert_eq!(class_of(&d, "life-t1-Idle"), "cell-group life current idle");
        assert_eq!(class_of(&d, "life-t2-Committed"), "cell-group life future");
        assert!(d.find("key-k2").unwrap().texts().contains(&"none".to_string()), "no versions yet");
        assert!(d.caption[0].starts_with("Initial state: 2 transactions"));
    }

    #[test]
    fn prepare_locks_keys_at_the_start_timestamp() {
        let d = drawing_after("safe", &["BeginTxn(t1)", "WriteIntent(t1, k1)", "Prepare(t1)"]);
        assert_eq!(texts_of(&d, "lock-k1"), ["locked by t1 at 1"]);
        assert_eq!(class_of(&d, "lock-k1"), "badge locked");
        assert_eq!(texts_of(&d, "lock-k2"), ["unlocked"]);
        assert_eq!(class_of(&d, "life-t1-Prepared"), "cell-group life current prepared");
        assert_eq!(class_of(&d, "life-t1-Active"), "cell-group life past");
        assert!(class_of(&d, "txn-t1").contains("acting") && !class_of(&d, "txn-t2").contains("acting"));
        assert!(class_of(&d, "key-k1").contains("acting"));
        assert_eq!(d.caption, ["t1 prepared: it locked {k1} at its start timestamp 1 (no key was locked or had a newer version)."]);
    }

    #[test]
    fn safe_commit_installs_versions_above_the_start() {
        let d = drawing_after("safe", &["BeginTxn(t1)", "WriteIntent(t1, k2)", "Prepare(t1)", "Commit(t1)"]);
        assert_eq!(texts_of(&d, "commit-t1"), ["commit 2"]);
        assert_eq!(class_of(&d, "commit-t1"), "badge good");
        assert_eq!(texts_of(&d, "version-k2-t1"), ["@2 by t1"]);
        assert_eq!(texts_of(&d, "lock-k2"), ["unlocked"]);
        assert!(d.caption[0].contains("t1 committed at 2 (above its start 1)"));
    }

    #[test]
    fn gap_commit_at_the_start_timestamp_is_red() {
        let d = drawing_after("gap", &["BeginTxn(t1)", "WriteIntent(t1, k1)", "Prepare(t1)", "Commit(t1)"]);
        assert_eq!(texts_of(&d, "commit-t1"), ["commit 1 ≤ start"]);
        assert_eq!(class_of(&d, "commit-t1"), "badge bad");
        assert_eq!(class_of(&d, "status-mode"), "badge warn");
        assert!(d.caption[0].contains("reusing tsCounter") && d.caption[0].contains("OCC1_CommitTsAboveStart fails"));
    }

    #[test]
    fn reads_writes_and_aborts_are_told() {
        let d = drawing_after("safe", &["BeginTxn(t2)", "WriteIntent(t2, k1)"]);
        assert_eq!(texts_of(&d, "writes-t2"), ["writes {k1}"]);
        assert!(d.caption[0].contains("t2 buffered a write of k1 (no lock yet); 1 of 3"));
        let d = drawing_after("safe", &["BeginTxn(t2)", "WriteIntent(t2, k1)", "Abort(t2)"]);
        assert_eq!(class_of(&d, "life-t2-Aborted"), "cell-group life current aborted");
        assert_eq!(class_of(&d, "life-t2-Prepared"), "cell-group life future", "it never prepared");
        assert!(d.caption[0].contains("aborted before preparing"));
        let base = ["BeginTxn(t1)", "WriteIntent(t1, k2)", "Prepare(t1)", "Commit(t1)", "BeginTxn(t2)", "ReadKey(t2, k2)"];
        let d = drawing_after("safe", &base);
        assert_eq!(texts_of(&d, "reads-t2"), ["saw k2@2"]);
        assert!(d.caption[0].contains("t2 read k2 at its start 3: the newest version at or below it is at 2"));
        let mut again = base.to_vec();
        again.extend(["ReadKey(t2, k1)", "ReadKey(t2, k1)"]);
        let d = drawing_after("safe", &again);
        assert!(d.caption[0].starts_with("Nothing changed"), "{:?}", d.caption);
    }
}
