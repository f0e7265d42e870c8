//! The network view of `crdt`: the replicas as nodes on a circle with their clock and registers,
//! the links between them (a cut link broken and crossed out), and every delta in flight as a
//! token on its link, pointing the way it travels. What the last step did to messages comes from
//! the model's own message declaration (`Model::messages`): a delta just sent sits near its sender,
//! one just delivered is drawn faint at its receiver, one just dropped is crossed out.

use super::super::draw::{badge_row, ended_tokens, network, Drawing, Layout, Legend, LegendItem, LinkRows, NetLink, NetNode, NetToken, Shape};
use super::{last_action, last_step_messages, StatePath, View};
use crate::engine::plural;
use crate::models::crdt::{Action, Crdt, Delta, State};

const WIDTH: f64 = 680.0;
const NODE_W: f64 = 190.0;

/// The class of a delta still in flight: just sent, held back by a cut link, or waiting.
fn token_class(prev: Option<&State>, s: &State, m: &Delta) -> &'static str {
    if s.cut(m.src as usize, m.dst as usize) {
        "held"
    } else if prev.is_some_and(|p| !p.network.contains(m)) {
        "sent"
    } else {
        "in-flight"
    }
}

fn caption(m: &Crdt, prev: Option<&State>, s: &State) -> Vec<String> {
    let Some(p) = prev else {
        return vec![
            format!(
                "Initial state: {}, every register empty and stamped (0,0) (the write nobody made), every clock at 0, nothing in flight. A replica writes while its clock is below {}.",
                plural(m.n(), "replica", "replicas"),
                m.max_time
            ),
            match (m.tie_break_by_replica, m.lossy_partitions) {
                (true, false) => "Safe: equal times are ordered by replica id, and a cut link only holds deltas back until it heals.".to_string(),
                (false, _) => "Gap: the merge compares times only and keeps the local register on a tie.".to_string(),
                (true, true) => "Gap: partitions lose deltas (nothing is sent across a cut link, and a cut drops what is in flight on it), and nothing repairs the loss.".to_string(),
            },
        ];
    };
    let mut out = Vec::new();
    let id = |r: u8| m.id(r as usize);
    match last_action(m, p, s) {
        Some(Action::Set { r, k, .. }) | Some(Action::Delete { r, k }) => {
            let g = s.registers[r as usize][k as usize];
            // A write only adds to the network: the difference is what it sent.
            let sent = s.network.len().saturating_sub(p.network.len());
            let across_cut = (0..m.n()).filter(|&q| q != r as usize && s.cut(r as usize, q)).count();
            out.push(format!(
                "Replica {} ticked its clock to {} and wrote {}; it sent {}.",
                id(r),
                s.clocks[r as usize],
                m.register_text(k as usize, &g),
                plural(sent, "delta", "deltas")
            ));
            if across_cut > 0 {
                out.push(if m.lossy_partitions {
                    format!("Lossy partitions: nothing was sent across its {}.", plural(across_cut, "cut link", "cut links"))
                } else {
                    "A delta on a cut link waits in the network until the link heals.".to_string()
                });
            }
        }
        Some(Action::ReceiveDelta { r, msg }) => {
            let (k, local) = (msg.key as usize, p.registers[r as usize][msg.key as usize]);
            let kept = s.registers[r as usize][k];
            let verdict = if kept == msg.reg && local != msg.reg {
                "the delta is later, so it replaced the local register".to_string()
            } else if local.ts.time == msg.reg.ts.time && local != msg.reg && !m.tie_break_by_replica {
                format!("both are at time {}: with no tie-break the local register is kept", local.ts.time)
            } else {
                "the local register is later, so it was kept".to_string()
            };
            out.push(format!(
                "Replica {} received {} from replica {}: its register was {}; {}. Its clock moved from {} to {}.",
                id(r),
                m.register_text(k, &msg.reg),
                id(msg.src),
                m.register_text(k, &local),
                verdict,
                p.clocks[r as usize],
                s.clocks[r as usize]
            ));
        }
        Some(Action::CreatePartition { r1, r2 }) => {
            let dropped = p.network.len() - s.network.len();
            out.push(if m.lossy_partitions {
                format!("The link {}–{} was cut, and {} in flight on it dropped.", id(r1), id(r2), plural(dropped, "delta", "deltas"))
            } else {
                format!("The link {}–{} was cut; deltas on it wait until it heals.", id(r1), id(r2))
            });
        }
        Some(Action::HealPartition { r1, r2 }) => out.push(format!("The link {}–{} was healed.", id(r1), id(r2))),
        None => out.push("This state does not follow from the previous one by one step.".to_string()),
    }
    if let Some((k, a, b)) = m.non_commuting(s) {
        out.push(format!(
            "{} and {} are at the same time and the merge keeps whichever is local, so merging them gives a different register in each order: MergeCommutative fails.",
            m.register_text(k, &a),
            m.register_text(k, &b)
        ));
    }
    if m.quiet(s) && !m.converged(s) {
        out.push("No link is cut and nothing is in flight, yet the replicas hold different registers: EventualConvergence fails.".to_string());
    }
    out
}

impl View for Crdt {
    const TITLE: &'static str = "Replicas and deltas";

    fn shapes_for(&self, s: &State, p: &StatePath) -> Vec<String> {
        let replica = || p.key().and_then(|k| k.parse::<u8>().ok()).filter(|id| self.replicas.contains(id));
        match p.var {
            "lww_registers" | "lamport_clocks" => replica().map(|id| vec![format!("replica-{id}")]).unwrap_or_default(),
            // The network is the deltas in flight, each a token on its link.
            "network" => s.network.iter().map(|d| self.delta_id(d)).collect(),
            "partitioned" => vec!["status-cuts".into()],
            _ => Vec::new(),
        }
    }

    fn legend(&self) -> Legend {
        let node = |class: &str| NetNode { id: String::new(), title: "replica".into(), lines: Vec::new(), class: class.into(), tooltip: None };
        let token =
            |class: &str| NetToken { id: String::new(), from: 0, to: 1, label: "Δ".into(), class: class.into(), progress: 0.5, stack: 0, tooltip: None };
        // A swatch: one element of a network drawn by the same widget, framed to fit.
        let swatch = |nodes: Vec<NetNode>, links: Vec<NetLink>, tokens: Vec<NetToken>| network("", 60.0, 4.0, 50.0, 0.0, 90.0, &nodes, &links, &tokens);
        let only_token = |class: &str, meaning: &str| {
            let Shape::Group { children, .. } = swatch(vec![node(""), node("")], Vec::new(), vec![token(class)]) else { unreachable!("a network is a group") };
            let tok = children.into_iter().last().expect("the token");
            LegendItem::shape(Shape::group("network", vec![tok]).without_ids(), 120.0, 40.0, meaning)
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
        Legend {
            items: vec![
                only_node("", "a replica: its Lamport clock and its register per key"),
                only_node("diverged", "a replica whose registers differ from another's while the network is quiet: EventualConvergence fails"),
                only_link(false, "a link between two replicas"),
                only_link(true, "a cut link (a partition)"),
                only_token("in-flight", "a delta in flight, pointing the way it travels"),
                only_token("sent", "a delta the last step sent"),
                only_token("held", "a delta held back on a cut link until it heals"),
                only_token("delivered", "the delta the last step delivered, at its receiver"),
                only_token("dropped", "a delta the last step dropped (lossy partitions)"),
            ],
            notation: vec![
                "A register is written key=value @(time,replica): the Lamport time and the id of the replica that wrote it; (0,0) is the initial register nobody wrote. \"deleted\" is a tombstone.".into(),
                "Δ is a delta: the register a write sends to a peer. Registers compare by time, then (safe) by replica id; the later one wins a merge.".into(),
            ],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, _layout: Layout) -> Drawing {
        view(self, prev, s)
    }
}

fn view(m: &Crdt, prev: Option<&State>, s: &State) -> Drawing {
    let n = m.n();
    let mut shapes = Vec::new();
    let mode = match (m.tie_break_by_replica, m.lossy_partitions) {
        (true, false) => ("safe: tie-break, cuts hold deltas", "good"),
        (false, _) => ("gap: no tie-break", "warn"),
        (true, true) => ("gap: lossy partitions", "warn"),
    };
    let cuts = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).filter(|&(a, b)| s.cut(a, b)).count();
    let (row, _) = badge_row(
        8.0,
        18.0,
        8.0,
        &[
            ("status-flight".into(), format!("{} in flight", plural(s.network.len(), "delta", "deltas")), "plain".into()),
            ("status-cuts".into(), plural(cuts, "cut link", "cut links"), if cuts > 0 { "warn".into() } else { "plain".into() }),
            ("status-mode".into(), mode.0.to_string(), mode.1.to_string()),
        ],
    );
    shapes.extend(row);

    let diverged = m.quiet(s) && !m.converged(s);
    let nodes: Vec<NetNode> = (0..n)
        .map(|r| {
            let mut lines = vec![format!("clock {}", s.clocks[r])];
            lines.extend((0..m.nkeys()).map(|k| m.register_text(k, &s.registers[r][k])));
            // Diverged: this replica's registers differ from some other's.
            let differs = diverged && (0..n).any(|q| s.registers[q][..m.nkeys()] != s.registers[r][..m.nkeys()]);
            NetNode {
                id: format!("replica-{}", m.id(r)),
                title: format!("replica {}", m.id(r)),
                lines,
                class: if differs { "diverged".into() } else { String::new() },
                tooltip: None,
            }
        })
        .collect();
    let links: Vec<NetLink> = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).map(|(a, b)| NetLink { a, b, cut: s.cut(a, b) }).collect();

    // Deltas in flight on their link; several going one way along a link stack outwards (in
    // network order), and what the last step delivered or dropped goes outside them.
    let mut tokens = Vec::new();
    let mut rows = LinkRows::default();
    for msg in &s.network {
        let class = token_class(prev, s, msg);
        // A held delta waits on its sender's side of the cut (drawn mid-link); one just sent is
        // near its sender.
        let progress = if class == "held" || class == "sent" { 0.3 } else { 0.5 };
        tokens.push(NetToken {
            id: m.delta_id(msg),
            from: msg.src as usize,
            to: msg.dst as usize,
            label: format!("Δ {}", m.register_text(msg.key as usize, &msg.reg)),
            class: class.into(),
            progress,
            stack: rows.next(msg.src as usize, msg.dst as usize),
            tooltip: Some(format!("from replica {} to replica {}", m.id(msg.src as usize), m.id(msg.dst as usize))),
        });
    }
    // What the last step delivered or dropped, by the model's own message declaration.
    tokens.extend(ended_tokens(&last_step_messages(m, prev, s), 0.86, &mut rows));
    // Two replicas face each other on one line; three sit on a triangle, one at the top.
    let node_h = 30.0 + 16.0 * (1 + m.nkeys()) as f64;
    let (cy, rx, ry, height) = if n <= 2 {
        (44.0 + node_h / 2.0 + 50.0, WIDTH / 2.0 - NODE_W / 2.0 - 12.0, 0.0, 44.0 + node_h + 120.0)
    } else {
        (44.0 + node_h / 2.0 + 150.0, WIDTH / 2.0 - NODE_W / 2.0 - 40.0, 150.0, 44.0 + node_h + 150.0 + 75.0 + 30.0)
    };
    shapes.push(network("replicas", WIDTH / 2.0, cy, rx, ry, NODE_W, &nodes, &links, &tokens));
    Drawing { width: WIDTH, height, shapes, caption: caption(m, prev, s) }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{self, class_of};
    use crate::catalogue;
    use crate::explorer::draw::Drawing;

    fn drawing_after(config: &str, labels: &[&str]) -> Drawing {
        testing::drawing_after("crdt", config, labels)
    }

    #[test]
    fn draws_replicas_links_and_deltas_in_flight() {
        let d = drawing_after("safe", &["Set(1, k1, v1)"]);
        assert!(d.texts().iter().any(|t| t == "k1=v1 @(1,1)"), "{:?}", d.texts());
        assert_eq!(class_of(&d, "delta 1->2 k1 @(1,1)"), "net-token sent");
        assert_eq!(class_of(&d, "link-0-1"), "net-link");
        assert!(d.caption[0].contains("sent 1 delta"), "{:?}", d.caption);
        let d = drawing_after("safe", &["Set(1, k1, v1)", "CreatePartition(1, 2)"]);
        assert_eq!(class_of(&d, "link-0-1"), "net-link cut");
        assert_eq!(class_of(&d, "delta 1->2 k1 @(1,1)"), "net-token held", "safe: the cut holds the delta back");
        let d = drawing_after("safe", &["Set(1, k1, v1)", "CreatePartition(1, 2)", "HealPartition(1, 2)", "ReceiveDelta(2, k1=v1 @(1,1))"]);
        assert_eq!(class_of(&d, "delta 1->2 k1 @(1,1) (deliver)"), "net-token delivered");
        assert!(d.caption[0].contains("replaced the local register"), "{:?}", d.caption);
        assert_eq!(class_of(&d, "replica-2"), "net-node ", "converged: no replica is marked");
    }

    #[test]
    fn the_legend_carries_no_ids() {
        let m = catalogue::build("crdt", "safe", &[]).unwrap();
        let legend = crate::catalogue::builtin().legend(m.as_ref()).unwrap();
        for item in &legend.items {
            let mut ids = Vec::new();
            item.swatch.ids(&mut ids);
            assert!(ids.is_empty(), "{}: {ids:?}", item.meaning);
        }
    }

    #[test]
    fn lossy_partition_drops_and_shows_the_divergence() {
        let d = drawing_after("lossy-partition", &["Set(1, k1, v1)", "CreatePartition(1, 2)"]);
        assert_eq!(class_of(&d, "delta 1->2 k1 @(1,1) (drop)"), "net-token dropped");
        assert!(d.caption[0].contains("1 delta in flight on it dropped"), "{:?}", d.caption);
        let d = drawing_after("lossy-partition", &["Set(1, k1, v1)", "CreatePartition(1, 2)", "HealPartition(1, 2)"]);
        assert_eq!(class_of(&d, "replica-1"), "net-node diverged");
        assert_eq!(class_of(&d, "replica-2"), "net-node diverged");
        assert!(d.caption.iter().any(|c| c.contains("EventualConvergence fails")), "{:?}", d.caption);
    }

    #[test]
    fn tie_break_missing_names_the_non_commuting_pair_then_diverges() {
        let d = drawing_after("tie-break-missing", &["Set(1, k1, v1)", "Set(2, k1, v1)"]);
        assert!(d.caption.iter().any(|c| c.contains("k1=v1 @(1,1) and k1=v1 @(1,2)") && c.contains("MergeCommutative fails")), "{:?}", d.caption);
        let d = drawing_after("tie-break-missing", &["Set(1, k1, v1)", "Set(2, k1, v1)", "ReceiveDelta(1, k1=v1 @(1,2))", "ReceiveDelta(2, k1=v1 @(1,1))"]);
        assert!(d.caption[0].contains("with no tie-break the local register is kept"), "{:?}", d.caption);
        assert_eq!(class_of(&d, "replica-1"), "net-node diverged");
        assert!(d.caption.iter().any(|c| c.contains("EventualConvergence fails")), "{:?}", d.caption);
    }
}
