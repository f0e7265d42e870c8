//! The view of `anti-entropy`: the replicas as nodes of a network (their divergence marks; the
//! links, a cut one broken; the sync requests and responses in flight as tokens on the links),
//! and under each replica its Merkle tree: the root over its buckets, each bucket over its keys'
//! entries, every part that differs from the other replicas' highlighted. What the last step did
//! to messages comes from the model's own declaration (`Model::messages`): a digest exchange or a
//! delivery is drawn faint at its receiver, a dropped sync crossed out.

use super::super::draw::{
    badge_row, ended_tokens, network, slot_strip, Cell, Drawing, Layout, Legend, LegendItem, LinkRows, NetLink, NetNode, NetToken, Shape,
};
use super::{last_action, last_step_messages, StatePath, View};
use crate::engine::plural;
use crate::models::anti_entropy::{Action, AntiEntropy, Kind, State, Sync};

const WIDTH: f64 = 720.0;
const NODE_W: f64 = 200.0;
/// A Merkle tree's rows: root, buckets, keys.
const CELL_H: f64 = 40.0;
const ROW_GAP: f64 = 26.0;

/// Whether replica r's entry for key k differs from another replica's.
fn key_differs(m: &AntiEntropy, s: &State, r: usize, k: usize) -> bool {
    (0..m.n()).any(|q| s.store[q][k] != s.store[r][k])
}

/// Whether replica r's hash of bucket b differs from another replica's.
fn bucket_differs(m: &AntiEntropy, s: &State, r: usize, b: usize) -> bool {
    (0..m.n()).any(|q| m.keys_of(b).any(|k| s.buckets[q][k] != s.buckets[r][k]))
}

fn root_differs(m: &AntiEntropy, s: &State, r: usize) -> bool {
    (0..m.n()).any(|q| s.root[q][..m.num_keys] != s.root[r][..m.num_keys])
}

fn caption(m: &AntiEntropy, prev: Option<&State>, s: &State) -> Vec<String> {
    let Some(p) = prev else {
        return vec![
            format!(
                "Initial state: {}, every entry ⊥ (the write nobody made), so every root is equal; nothing in flight. A key is written while its time is below {}.",
                plural(m.n(), "replica", "replicas"),
                m.max_timestamp
            ),
            match (m.sync_all_buckets, m.lww_merge) {
                (true, true) => "Safe: a response carries every bucket that differs and is merged last-writer-wins.".to_string(),
                (false, _) => "Gap: a response carries only the first bucket that differs, and the requester still clears its mark.".to_string(),
                (true, false) => "Gap: a response's entries overwrite the requester's without comparing stamps.".to_string(),
            },
        ];
    };
    let id = |r: u8| m.id(r as usize);
    let mut out = Vec::new();
    match last_action(m, p, s) {
        Some(Action::LocalWrite { r, k, .. }) => out.push(format!(
            "Replica {} wrote {}; bucket b{} and its root were rehashed.",
            id(r),
            AntiEntropy::key_entry_text(k as usize, &s.store[r as usize][k as usize]),
            m.bucket_of(k as usize) + 1
        )),
        Some(Action::ExchangeDigest { r1, r2 }) => out.push(if p.root[r1 as usize] != p.root[r2 as usize] {
            format!("Replicas {} and {} exchanged roots: they differ, so each marks the other divergent.", id(r1), id(r2))
        } else {
            format!("Replicas {} and {} exchanged roots: they are equal, so neither marks the other divergent.", id(r1), id(r2))
        }),
        Some(Action::InitiateSync { r, peer }) => {
            out.push(format!("Replica {} believes it differs from replica {} and sent a sync request carrying its root.", id(r), id(peer)))
        }
        Some(Action::HandleSyncRequest { m: req }) => {
            let diff = m.divergent_buckets(&req.digest, &p.buckets[req.dst as usize]);
            let sent = m.sent_buckets(diff);
            let mut line = format!(
                "Replica {} compared the request's root with its own buckets: {} differ; it answered with the entries of {}.",
                id(req.dst),
                m.buckets_text(diff),
                m.buckets_text(sent)
            );
            if sent != diff {
                line.push_str(" Root-only: the other differing buckets are left out.");
            }
            out.push(line);
        }
        Some(Action::HandleSyncResponse { m: resp }) => {
            let r = resp.dst as usize;
            let verb = if m.lww_merge { "merged last-writer-wins" } else { "copied over its own (blind overwrite)" };
            out.push(format!(
                "Replica {} took the response from replica {}: {}, and cleared its mark for replica {}.",
                id(resp.dst),
                id(resp.src),
                if m.delta_keys(&resp).is_empty() { "it carried no entries".to_string() } else { format!("its entries were {verb}") },
                id(resp.src)
            ));
            let behind = m.behind(&s.store[r], &resp.digest);
            if !behind.is_empty() {
                let keys: Vec<String> = behind.iter().map(|&k| format!("k{}", k + 1)).collect();
                out.push(format!("Yet replica {} is still older than the responder's root in {}: SyncReconciles fails.", id(resp.dst), keys.join(", ")));
            }
        }
        Some(Action::CreatePartition { r1, r2 }) => {
            let dropped = p.pending.len() - s.pending.len();
            out.push(format!("The link {}–{} was cut; {} in flight on it dropped.", id(r1), id(r2), plural(dropped, "sync message", "sync messages")))
        }
        Some(Action::HealPartition { r1, r2 }) => out.push(format!("The link {}–{} was healed, and both sides were marked divergent.", id(r1), id(r2))),
        None => out.push("This state does not follow from the previous one by one step.".to_string()),
    }
    for r in 0..m.n() {
        for k in 0..m.num_keys {
            let (before, after) = (p.store[r][k], s.store[r][k]);
            if crate::models::anti_entropy::stamp_lt(after, before) {
                out.push(format!(
                    "Replica {}'s {} went back to an older entry, {}: a newer write is lost, LwwMonotonic fails.",
                    m.id(r),
                    AntiEntropy::key_entry_text(k, &before),
                    AntiEntropy::entry_text(&after)
                ));
            }
        }
    }
    out
}

/// A sync message's token class when still in flight: just sent, or waiting.
fn token_class(prev: Option<&State>, msg: &Sync) -> &'static str {
    match (msg.kind, prev.is_some_and(|p| !p.pending.contains(msg))) {
        (Kind::Request, true) => "sent request",
        (Kind::Request, false) => "request",
        (Kind::Response, true) => "sent response",
        (Kind::Response, false) => "response",
    }
}

/// Replica r's Merkle tree, centred at x, from y down: root, buckets, keys, with the edges.
fn merkle_tree(m: &AntiEntropy, s: &State, r: usize, cx: f64, y: f64, width: f64) -> Shape {
    let id = m.id(r);
    let (nb, nk) = (m.num_buckets, m.num_keys);
    let key_w = (width / nk as f64).min(80.0);
    let keys_x = cx - key_w * nk as f64 / 2.0;
    // Keys in bucket order, so that each bucket sits over its own keys.
    let order: Vec<usize> = (0..nb).flat_map(|b| m.keys_of(b).collect::<Vec<_>>()).collect();
    let key_centre = |k: usize| keys_x + key_w * (order.iter().position(|&x| x == k).unwrap_or(0) as f64 + 0.5);
    let bucket_centre = |b: usize| {
        let ks: Vec<f64> = m.keys_of(b).map(key_centre).collect();
        ks.iter().sum::<f64>() / ks.len().max(1) as f64
    };
    let bucket_w = (key_w * nk as f64 / nb as f64).min(90.0);
    let root_w = 110.0;
    let (root_y, bucket_y, key_y) = (y, y + CELL_H + ROW_GAP, y + 2.0 * (CELL_H + ROW_GAP));
    let mut children = Vec::new();
    // Edges first, under the cells.
    for b in 0..nb {
        children.push(Shape::Line { x1: cx, y1: root_y + CELL_H, x2: bucket_centre(b), y2: bucket_y, class: "merkle-edge".into(), arrow: false });
        for k in m.keys_of(b) {
            children.push(Shape::Line { x1: bucket_centre(b), y1: bucket_y + CELL_H, x2: key_centre(k), y2: key_y, class: "merkle-edge".into(), arrow: false });
        }
    }
    let class = |differs: bool| if differs { "differs".to_string() } else { "same".to_string() };
    let root = Cell {
        id: format!("root-{id}"),
        head: "root".into(),
        body: String::new(),
        foot: if root_differs(m, s, r) { "differs".into() } else { "equal".into() },
        class: class(root_differs(m, s, r)),
        tooltip: Some(format!("replica {id}'s root: the tuple of its bucket hashes")),
    };
    children.push(slot_strip(cx - root_w / 2.0, root_y, root_w, CELL_H, &[root]));
    for b in 0..nb {
        let keys: Vec<String> = m.keys_of(b).map(|k| format!("k{}", k + 1)).collect();
        let differs = bucket_differs(m, s, r, b);
        let cell = Cell {
            id: format!("bucket-{id}-{}", b + 1),
            head: format!("b{}", b + 1),
            body: String::new(),
            foot: keys.join(" "),
            class: class(differs),
            tooltip: Some(format!("replica {id}'s hash of bucket b{}: its keys' entries", b + 1)),
        };
        children.push(slot_strip(bucket_centre(b) - bucket_w / 2.0, bucket_y, bucket_w, CELL_H, &[cell]));
    }
    let cells: Vec<Cell> = order
        .iter()
        .map(|&k| Cell {
            id: format!("key-{id}-{}", k + 1),
            head: format!("k{}", k + 1),
            body: String::new(),
            foot: AntiEntropy::entry_text(&s.store[r][k]),
            class: class(key_differs(m, s, r, k)),
            tooltip: Some(format!("replica {id}'s entry for k{}: value@(time,replica)", k + 1)),
        })
        .collect();
    children.push(slot_strip(keys_x, key_y, key_w, CELL_H, &cells));
    Shape::Group { id: Some(format!("merkle-{id}")), class: "merkle-tree".into(), title: None, children }
}

/// The height of a Merkle tree.
const TREE_H: f64 = 3.0 * CELL_H + 2.0 * ROW_GAP;

impl View for AntiEntropy {
    const TITLE: &'static str = "Replicas, Merkle trees and syncs";

    fn shapes_for(&self, s: &State, p: &StatePath) -> Vec<String> {
        // Replicas are keyed by id, keys and buckets from 1, as in the twin and the tree's ids.
        let replica = p.key().and_then(|k| k.parse::<u8>().ok()).filter(|id| self.replicas.contains(id));
        let second = p.keys.get(1).and_then(|k| k.parse::<usize>().ok());
        let ids: Vec<u8> = match replica {
            Some(id) => vec![id],
            None if p.keys.is_empty() => self.replicas.clone(),
            None => Vec::new(),
        };
        let per = |f: &dyn Fn(u8) -> Vec<String>| ids.iter().flat_map(|&id| f(id)).collect::<Vec<String>>();
        match (p.var, second) {
            ("kv_state", Some(k)) if (1..=self.num_keys).contains(&k) => per(&|id| vec![format!("key-{id}-{k}")]),
            ("kv_state", None) => per(&|id| (1..=self.num_keys).map(|k| format!("key-{id}-{k}")).collect()),
            ("merkle_buckets", Some(b)) if (1..=self.num_buckets).contains(&b) => per(&|id| vec![format!("bucket-{id}-{b}")]),
            ("merkle_buckets", None) => per(&|id| (1..=self.num_buckets).map(|b| format!("bucket-{id}-{b}")).collect()),
            ("merkle_root", None) => per(&|id| vec![format!("root-{id}")]),
            ("divergent_peers", _) => per(&|id| vec![format!("replica-{id}")]),
            // The syncs in flight are tokens on the links; with none, the count says so.
            ("pending_syncs", _) if s.pending.is_empty() => vec!["status-flight".into()],
            ("pending_syncs", _) => s.pending.iter().map(|m| self.sync_id(m)).collect(),
            ("partitioned", _) => vec!["status-cuts".into()],
            _ => Vec::new(),
        }
    }

    fn legend(&self) -> Legend {
        let node = |class: &str| NetNode { id: String::new(), title: "replica".into(), lines: Vec::new(), class: class.into(), tooltip: None };
        let token = |class: &str, label: &str| NetToken {
            id: String::new(),
            from: 0,
            to: 1,
            label: label.into(),
            class: class.into(),
            progress: 0.5,
            stack: 0,
            tooltip: None,
        };
        let swatch = |nodes: Vec<NetNode>, links: Vec<NetLink>, tokens: Vec<NetToken>| network("", 60.0, 4.0, 50.0, 0.0, 90.0, &nodes, &links, &tokens);
        let only_token = |class: &str, label: &str, meaning: &str| {
            let Shape::Group { children, .. } = swatch(vec![node(""), node("")], Vec::new(), vec![token(class, label)]) else {
                unreachable!("a network is a group")
            };
            let tok = children.into_iter().last().expect("the token");
            LegendItem::shape(Shape::group("network", vec![tok]).without_ids(), 150.0, 40.0, meaning)
        };
        let only_link = |cut: bool, meaning: &str| {
            let Shape::Group { children, .. } = swatch(vec![node(""), node("")], vec![NetLink { a: 0, b: 1, cut }], Vec::new()) else { unreachable!() };
            let link = children.into_iter().next().expect("the link");
            LegendItem::shape(Shape::group("network", vec![link]).without_ids(), 120.0, 10.0, meaning)
        };
        let only_node = |class: &str, meaning: &str| {
            let g = network("", 50.0, 16.0, 0.0, 0.0, 90.0, &[node(class)], &[], &[]);
            LegendItem::shape(g.without_ids(), 100.0, 34.0, meaning)
        };
        let cell = |class: &str, text: &str, meaning: &str| {
            let item = LegendItem::cell(class, text, meaning);
            LegendItem { swatch: item.swatch.without_ids(), ..item }
        };
        let edge = LegendItem::shape(
            Shape::group("merkle-tree", vec![Shape::Line { x1: 4.0, y1: 4.0, x2: 40.0, y2: 24.0, class: "merkle-edge".into(), arrow: false }]),
            44.0,
            28.0,
            "a Merkle tree edge: the root hashes its buckets, a bucket hashes its keys' entries",
        );
        Legend {
            items: vec![
                only_node("", "a replica: the peers it marks divergent"),
                only_node("marking", "a replica that marks some peer divergent (it will ask for a sync)"),
                only_link(false, "a link between two replicas"),
                only_link(true, "a cut link (a partition)"),
                cell("same", "1@(1,2)", "a root, bucket or key equal at every replica"),
                cell("differs", "⊥", "a root, bucket or key that differs from another replica's: what a sync must repair"),
                edge,
                only_token("request", "sync request", "a sync request in flight, carrying its sender's root"),
                only_token("response", "sync response k1=…", "a sync response in flight, carrying the entries of the differing buckets and its sender's root"),
                only_token("sent request", "sync request", "a sync message the last step sent"),
                only_token("delivered", "digest", "a digest (root) exchanged, or a sync message taken, by the last step, at its receiver"),
                only_token("dropped", "sync request", "a sync message the last step dropped (its link was cut)"),
            ],
            notation: vec![
                "An entry is written value@(time,replica): the stamp of the write that made it; ⊥ is the entry nobody wrote (time 0). Stamps compare by time, then replica id; the later wins a merge.".into(),
                "Hashes are abstract: a bucket's hash is its keys' entries and the root is the tuple of bucket hashes, so two hashes are equal exactly when what they summarise is.".into(),
            ],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, _layout: Layout) -> Drawing {
        view(self, prev, s)
    }
}

fn view(m: &AntiEntropy, prev: Option<&State>, s: &State) -> Drawing {
    let n = m.n();
    let mut shapes = Vec::new();
    let mode = match (m.sync_all_buckets, m.lww_merge) {
        (true, true) => ("safe: every differing bucket, LWW merge", "good"),
        (false, _) => ("gap: first differing bucket only", "warn"),
        (true, false) => ("gap: blind overwrite", "warn"),
    };
    let cuts = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).filter(|&(a, b)| s.cut(a, b)).count();
    let (row, _) = badge_row(
        8.0,
        18.0,
        8.0,
        &[
            ("status-flight".into(), format!("{} in flight", plural(s.pending.len(), "sync message", "sync messages")), "plain".into()),
            ("status-cuts".into(), plural(cuts, "cut link", "cut links"), if cuts > 0 { "warn".into() } else { "plain".into() }),
            (
                "status-converged".into(),
                if m.converged(s) { "stores equal".into() } else { "stores differ".into() },
                if m.converged(s) { "good".into() } else { "warn".into() },
            ),
            ("status-mode".into(), mode.0.to_string(), mode.1.to_string()),
        ],
    );
    shapes.extend(row);

    let nodes: Vec<NetNode> = (0..n)
        .map(|r| {
            let marked: Vec<String> = (0..n).filter(|&p| s.marks(r, p)).map(|p| m.id(p).to_string()).collect();
            NetNode {
                id: format!("replica-{}", m.id(r)),
                title: format!("replica {}", m.id(r)),
                lines: vec![if marked.is_empty() { "divergent: none".into() } else { format!("divergent: {}", marked.join(", ")) }],
                class: if marked.is_empty() { String::new() } else { "marking".into() },
                tooltip: None,
            }
        })
        .collect();
    let links: Vec<NetLink> = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).map(|(a, b)| NetLink { a, b, cut: s.cut(a, b) }).collect();
    let mut tokens = Vec::new();
    let mut rows = LinkRows::default();
    for msg in &s.pending {
        let class = token_class(prev, msg);
        tokens.push(NetToken {
            id: m.sync_id(msg),
            from: msg.src as usize,
            to: msg.dst as usize,
            label: m.sync_label(msg),
            class: class.into(),
            progress: if class.starts_with("sent") { 0.3 } else { 0.5 },
            stack: rows.next(msg.src as usize, msg.dst as usize),
            tooltip: Some(format!("from replica {} to replica {}", m.id(msg.src as usize), m.id(msg.dst as usize))),
        });
    }
    tokens.extend(ended_tokens(&last_step_messages(m, prev, s), 0.7, &mut rows));
    // Two replicas face each other on one line, their trees under them; three sit on a
    // triangle, their trees in a row below.
    let node_h = 30.0 + 16.0;
    let top = 44.0;
    let (cy, rx, ry, net_h) = if n <= 2 {
        (top + node_h / 2.0 + 50.0, WIDTH / 2.0 - NODE_W / 2.0 - 12.0, 0.0, node_h + 110.0)
    } else {
        (top + node_h / 2.0 + 110.0, WIDTH / 2.0 - NODE_W / 2.0 - 40.0, 110.0, node_h + 110.0 + 60.0 + 40.0)
    };
    shapes.push(network("replicas", WIDTH / 2.0, cy, rx, ry, NODE_W, &nodes, &links, &tokens));
    let trees_y = top + net_h;
    let tree_w = WIDTH / n.max(1) as f64 - 16.0;
    for r in 0..n {
        let cx = if n <= 2 { crate::explorer::draw::network_position(WIDTH / 2.0, cy, rx, ry, r, n).0 } else { (r as f64 + 0.5) * WIDTH / n as f64 };
        shapes.push(merkle_tree(m, s, r, cx, trees_y, tree_w.min(2.0 * NODE_W)));
    }
    Drawing { width: WIDTH, height: trees_y + TREE_H + 12.0, shapes, caption: caption(m, prev, s) }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{self, class_of};
    use crate::catalogue;
    use crate::explorer::draw::Drawing;

    fn drawing_after(config: &str, labels: &[&str]) -> Drawing {
        testing::drawing_after("anti-entropy", config, labels)
    }

    #[test]
    fn draws_trees_with_the_differing_parts_highlighted() {
        let d = drawing_after("safe", &[]);
        assert_eq!(class_of(&d, "root-1"), "cell-group same");
        assert_eq!(class_of(&d, "key-2-1"), "cell-group same");
        let d = drawing_after("safe", &["LocalWrite(1, k1, 1)"]);
        assert_eq!(class_of(&d, "root-1"), "cell-group differs");
        assert_eq!(class_of(&d, "bucket-1-1"), "cell-group differs");
        assert_eq!(class_of(&d, "bucket-1-2"), "cell-group same");
        assert_eq!(class_of(&d, "key-2-1"), "cell-group differs");
        assert!(d.texts().iter().any(|t| t == "1@(1,1)"), "{:?}", d.texts());
        assert!(d.caption[0].contains("Replica 1 wrote k1=1@(1,1)"), "{:?}", d.caption);
    }

    #[test]
    fn draws_syncs_on_the_links_and_what_the_last_step_did() {
        let d = drawing_after("safe", &["LocalWrite(1, k1, 1)", "ExchangeDigest(1, 2)"]);
        assert_eq!(class_of(&d, "replica-1"), "net-node marking");
        assert!(d.caption[0].contains("they differ"), "{:?}", d.caption);
        assert!(d.ids().iter().any(|i| i.starts_with("digest 1->2") && i.ends_with("(deliver)")), "{:?}", d.ids());
        let d = drawing_after("safe", &["LocalWrite(1, k1, 1)", "ExchangeDigest(1, 2)", "InitiateSync(2, 1)"]);
        assert_eq!(class_of(&d, "request 2->1 [⊥ ⊥] 0"), "net-token sent request");
        let d = drawing_after("safe", &["LocalWrite(1, k1, 1)", "ExchangeDigest(1, 2)", "InitiateSync(2, 1)", "CreatePartition(1, 2)"]);
        assert_eq!(class_of(&d, "link-0-1"), "net-link cut");
        assert_eq!(class_of(&d, "request 2->1 [⊥ ⊥] 0 (drop)"), "net-token dropped");
    }

    #[test]
    fn root_only_says_what_the_response_left_out() {
        let steps = ["LocalWrite(1, k1, 1)", "LocalWrite(1, k2, 1)", "ExchangeDigest(1, 2)", "InitiateSync(2, 1)", "HandleSyncRequest(2 -> 1)"];
        let d = drawing_after("root-only", &steps);
        assert!(d.caption[0].contains("b1, b2 differ") && d.caption[0].contains("entries of b1.") && d.caption[0].contains("Root-only"), "{:?}", d.caption);
        let mut all = steps.to_vec();
        all.push("HandleSyncResponse(1 -> 2)");
        let d = drawing_after("root-only", &all);
        assert!(d.caption.iter().any(|c| c.contains("still older than the responder's root in k2") && c.contains("SyncReconciles fails")), "{:?}", d.caption);
        assert_eq!(class_of(&d, "bucket-2-1"), "cell-group same");
        assert_eq!(class_of(&d, "bucket-2-2"), "cell-group differs");
    }

    #[test]
    fn blind_overwrite_names_the_lost_write() {
        let d = drawing_after(
            "blind-overwrite",
            &["LocalWrite(1, k1, 1)", "ExchangeDigest(1, 2)", "InitiateSync(1, 2)", "HandleSyncRequest(1 -> 2)", "HandleSyncResponse(2 -> 1)"],
        );
        assert!(d.caption.iter().any(|c| c.contains("k1=1@(1,1) went back to an older entry, ⊥") && c.contains("LwwMonotonic fails")), "{:?}", d.caption);
    }

    #[test]
    fn the_legend_carries_no_ids() {
        let m = catalogue::build("anti-entropy", "safe", &[]).unwrap();
        let legend = crate::catalogue::builtin().legend(m.as_ref()).unwrap();
        for item in &legend.items {
            let mut ids = Vec::new();
            item.swatch.ids(&mut ids);
            assert!(ids.is_empty(), "{}: {ids:?}", item.meaning);
        }
    }
}
