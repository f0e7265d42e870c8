//! The network view of `gossip`: the replicas as nodes on a circle, each with its routing mode, its
//! counters and its processed set (owners of the keys marked), every message in flight as a token
//! on its link pointing the way it travels, and a routing row per delta created: which replicas it
//! targets and which of the owners have processed it. What the last step did to messages comes from
//! the model's own message declaration (`Model::messages`): a message just sent sits near its
//! sender, one just delivered is drawn faint at its receiver, a redelivered copy is marked, a lost
//! one is crossed out.

use super::super::draw::{badge_row, ended_tokens, network, Anchor, Drawing, Layout, Legend, LegendItem, LinkRows, NetLink, NetNode, NetToken, Shape};
use super::{last_action, last_step_messages, StatePath, View};
use crate::engine::plural;
use crate::models::gossip::{Action, DeltaId, Gossip, Kind, Message, State};

const WIDTH: f64 = 700.0;
const NODE_W: f64 = 200.0;

fn token_class(prev: Option<&State>, msg: &Message) -> &'static str {
    if msg.source == msg.target {
        "self"
    } else if prev.is_some_and(|p| !p.network.contains(msg)) {
        "sent"
    } else if msg.kind == Kind::Heartbeat {
        "heartbeat"
    } else {
        "in-flight"
    }
}

/// The replicas (ids, ascending) delta d has reached (processed it, the origin aside) or is in
/// flight to: its routing as far as the state still shows it (a lost message leaves no trace).
fn reached_or_on_the_way(m: &Gossip, s: &State, d: DeltaId) -> Vec<String> {
    (0..m.n())
        .filter(|&r| r != d.origin as usize && (m.has_processed(s, r, d) || s.network.iter().any(|x| x.delta == Some(d) && x.target as usize == r)))
        .map(|r| m.id(r).to_string())
        .collect()
}

fn caption(m: &Gossip, prev: Option<&State>, s: &State) -> Vec<String> {
    let id = |r: u8| m.id(r as usize);
    let owners = m.owners.iter().map(|&o| m.id(o).to_string()).collect::<Vec<_>>().join(", ");
    let Some(p) = prev else {
        return vec![
            format!(
                "Initial state: {}, nothing created, nothing in flight, every replica broadcasting. Replicas {owners} are responsible for every key. At most {} are created; a send must leave at most {} in flight.",
                plural(m.n(), "replica", "replicas"),
                plural(m.max_deltas as usize, "delta", "deltas"),
                plural(m.max_messages as usize, "message", "messages")
            ),
            match (m.dedup, m.route_to_self, m.loss) {
                (false, _, _) => "Gap: a receiver applies every delta a message carries, processed or not.".to_string(),
                (true, true, _) => "Gap: selective routing targets every owner of the key, the sender included.".to_string(),
                (true, false, true) => "Receivers skip deltas they have processed; selective routing skips the sender; the network may lose and duplicate messages.".to_string(),
                (true, false, false) => "Receivers skip deltas they have processed; selective routing skips the sender; the network may duplicate messages but loses none.".to_string(),
            },
        ];
    };
    let mut out = Vec::new();
    match last_action(m, p, s) {
        Some(Action::CreateDelta { r, k }) => {
            let sent: Vec<String> = s.network.iter().filter(|x| !p.network.contains(x)).map(|x| id(x.target).to_string()).collect();
            let d = m.created_by(s, r as usize).into_iter().filter(|d| d.key == k).max_by_key(|d| d.seq);
            let how = if p.selective_mode[r as usize] { "targeted it at" } else { "broadcast it to" };
            out.push(format!(
                "Replica {} created delta {}, applied it and {how} {}.",
                id(r),
                d.map(|d| m.delta_text(d)).unwrap_or_default(),
                if sent.is_empty() { "nobody".to_string() } else { format!("replica {}", sent.join(" and ")) }
            ));
        }
        Some(Action::ReceiveGossip { r, msg }) | Some(Action::Redeliver { r, msg }) => {
            let copy = matches!(last_action(m, p, s), Some(Action::Redeliver { .. }));
            let what = if copy { "The network delivered a copy of" } else { "Replica {r} received" };
            let head = what.replace("{r}", &id(r).to_string());
            let verdict = match msg.delta {
                None => "a heartbeat: nothing to apply".to_string(),
                Some(d) if s.local_state[r as usize][d.key as usize] > p.local_state[r as usize][d.key as usize] => {
                    if m.has_processed(p, r as usize, d) {
                        format!("replica {} had processed {} already and applied it again", id(r), m.delta_text(d))
                    } else {
                        format!("replica {} applied {}", id(r), m.delta_text(d))
                    }
                }
                Some(d) => format!("replica {} had processed {} already and skipped it", id(r), m.delta_text(d)),
            };
            let kept = if copy { "; the original stays in flight" } else { "" };
            out.push(format!("{head} {}: {verdict}{kept}.", m.message_text(&msg)));
        }
        Some(Action::AdvanceEpoch { r }) => {
            out.push(format!("Replica {} advanced its gossip epoch to {} and announced it with a heartbeat to its peers.", id(r), s.gossip_epoch[r as usize]))
        }
        Some(Action::EnableSelectiveMode { r }) => {
            out.push(format!("Replica {} switched to selective routing: its next deltas go only to the key's owners ({owners}).", id(r)))
        }
        Some(Action::MessageLoss { msg }) => out.push(format!("The network lost {}; nothing sends it again.", m.message_text(&msg))),
        None => out.push("This state does not follow from the previous one by one step.".to_string()),
    }
    if let Some(msg) = s.network.iter().find(|x| x.source == x.target) {
        out.push(format!("{} is addressed to its own sender: NoSelfTarget fails.", m.message_text(msg)));
    }
    for r in 0..m.n() {
        for k in 0..m.nkeys() {
            if !m.counted_once(s, r, k) {
                out.push(format!(
                    "Replica {}'s counter for {} is {}, but it processed only {}: a delta was applied twice, NoDuplicateProcessing fails.",
                    m.id(r),
                    m.keys[k],
                    s.local_state[r][k],
                    plural(m.processed(s, r).iter().filter(|d| d.key as usize == k).count(), "delta", "deltas")
                ));
            }
        }
    }
    out
}

impl View for Gossip {
    const TITLE: &'static str = "Replicas and gossip";

    fn shapes_for(&self, s: &State, p: &StatePath) -> Vec<String> {
        // A replica's variables are drawn in its node (by id); the network is the tokens on the links.
        let replicas: Vec<u8> = match p.key().map(|k| k.parse::<u8>().ok().filter(|id| self.replicas.contains(id))) {
            Some(Some(id)) => vec![id],
            Some(None) => Vec::new(),
            None => self.replicas.clone(),
        };
        match p.var {
            "local_state" | "processed_deltas" | "gossip_epoch" | "selective_mode" => replicas.iter().map(|id| format!("replica-{id}")).collect(),
            "network" if s.network.is_empty() => vec!["status-flight".into()],
            "network" => s.network.iter().map(|m| self.message_id(m)).collect(),
            _ => Vec::new(),
        }
    }

    fn legend(&self) -> Legend {
        let node = |class: &str| NetNode { id: String::new(), title: "replica".into(), lines: Vec::new(), class: class.into(), tooltip: None };
        let token =
            |class: &str| NetToken { id: String::new(), from: 0, to: 1, label: "Δ".into(), class: class.into(), progress: 0.5, stack: 0, tooltip: None };
        let swatch = |nodes: Vec<NetNode>, links: Vec<NetLink>, tokens: Vec<NetToken>| network("", 60.0, 4.0, 50.0, 0.0, 90.0, &nodes, &links, &tokens);
        let only_token = |class: &str, meaning: &str| {
            let Shape::Group { children, .. } = swatch(vec![node(""), node("")], Vec::new(), vec![token(class)]) else { unreachable!("a network is a group") };
            let tok = children.into_iter().last().expect("the token");
            LegendItem::shape(Shape::group("network", vec![tok]).without_ids(), 120.0, 40.0, meaning)
        };
        let only_link = |meaning: &str| {
            let Shape::Group { children, .. } = swatch(vec![node(""), node("")], vec![NetLink { a: 0, b: 1, cut: false }], Vec::new()) else { unreachable!() };
            let link = children.into_iter().next().expect("the link");
            LegendItem::shape(Shape::group("network", vec![link]).without_ids(), 120.0, 10.0, meaning)
        };
        let only_node = |class: &str, meaning: &str| {
            let g = network("", 50.0, 16.0, 0.0, 0.0, 90.0, &[node(class)], &[], &[]);
            LegendItem::shape(g.without_ids(), 100.0, 34.0, meaning)
        };
        let route = |class: &str, text: &str, meaning: &str| {
            let w = super::super::draw::text_width(text);
            LegendItem::shape(Shape::text(2.0, 14.0, text, class, Anchor::Start), w, 20.0, meaning)
        };
        Legend {
            items: vec![
                only_node("", "a replica: its routing mode, its counter per key and the deltas it has processed"),
                only_node("owner", "a replica responsible for the keys (an owner: selective routing's target)"),
                only_node("diverged", "a replica that applied a delta twice: NoDuplicateProcessing fails"),
                only_link("a link between two replicas"),
                only_token("in-flight", "a delta message in flight, pointing the way it travels"),
                only_token("sent", "a message the last step sent"),
                only_token("heartbeat", "a heartbeat in flight"),
                only_token("delivered", "the message the last step delivered, at its receiver"),
                only_token("duplicate", "a copy of a message the network delivered, the original still in flight"),
                only_token("dropped", "a message the network lost"),
                only_token("self", "a message addressed to its own sender: NoSelfTarget fails"),
                route("route-line", "k1@1#1 → 2 3  owners ✓1 ✗2", "a delta's routing: the replicas it has reached or is in flight to, and which owners have processed it (✓) or not yet (✗)"),
            ],
            notation: vec![
                "A delta is written key@origin#seq: k1@1#2 is the second delta replica 1 created, for key k1. Each delta is an increment of its key's counter, so applying one twice shows in the counter.".into(),
                "Δ is a DeltaBatch (broadcast to every peer), →Δ a TargetedDelta (selective routing, to the key's owners), ♥ a heartbeat carrying the sender's epoch (e0, e1).".into(),
            ],
        }
    }

    fn view(&self, prev: Option<&State>, s: &State, _layout: Layout) -> Drawing {
        view(self, prev, s)
    }
}

fn view(m: &Gossip, prev: Option<&State>, s: &State) -> Drawing {
    let n = m.n();
    let mut shapes = Vec::new();
    let mode = match (m.dedup, m.route_to_self, m.loss) {
        (false, _, _) => ("gap: no dedup", "warn"),
        (true, true, _) => ("gap: route to self", "warn"),
        (true, false, true) => ("safe: dedup, lossy network", "good"),
        (true, false, false) => ("safe: dedup, no loss", "good"),
    };
    let created = m.created(s);
    let (row, _) = badge_row(
        8.0,
        18.0,
        8.0,
        &[
            ("status-flight".into(), format!("{} in flight", plural(s.network.len(), "message", "messages")), "plain".into()),
            ("status-created".into(), format!("{} of {} created", plural(created.len(), "delta", "deltas"), m.max_deltas), "plain".into()),
            (
                "status-delivered".into(),
                if m.all_delivered(s) { "every owner has every delta".to_string() } else { "owners still missing deltas".to_string() },
                if m.all_delivered(s) { "good".into() } else { "plain".into() },
            ),
            ("status-mode".into(), mode.0.to_string(), mode.1.to_string()),
        ],
    );
    shapes.extend(row);

    let nodes: Vec<NetNode> = (0..n)
        .map(|r| {
            let owner = m.owners.contains(&r);
            let mut lines = vec![format!("{}, epoch {}", if s.selective_mode[r] { "selective" } else { "broadcast" }, s.gossip_epoch[r])];
            lines.extend((0..m.nkeys()).map(|k| format!("{} = {}", m.keys[k], s.local_state[r][k])));
            let done: Vec<String> = m.processed(s, r).into_iter().map(|d| m.delta_text(d)).collect();
            lines.push(if done.is_empty() { "processed {}".to_string() } else { format!("processed {{{}}}", done.join(", ")) });
            let twice = (0..m.nkeys()).any(|k| !m.counted_once(s, r, k));
            NetNode {
                id: format!("replica-{}", m.id(r)),
                title: if owner { format!("replica {} (owner)", m.id(r)) } else { format!("replica {}", m.id(r)) },
                lines,
                class: if twice {
                    "diverged".into()
                } else if owner {
                    "owner".into()
                } else {
                    String::new()
                },
                tooltip: None,
            }
        })
        .collect();
    let links: Vec<NetLink> = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).map(|(a, b)| NetLink { a, b, cut: false }).collect();

    let mut tokens = Vec::new();
    let mut rows = LinkRows::default();
    let token_label = |msg: &Message| match msg.delta {
        Some(d) => format!("{} {}", if msg.kind == Kind::TargetedDelta { "→Δ" } else { "Δ" }, m.delta_text(d)),
        None => format!("♥ e{}", msg.epoch),
    };
    for msg in &s.network {
        let class = token_class(prev, msg);
        tokens.push(NetToken {
            id: m.message_id(msg),
            from: msg.source as usize,
            to: msg.target as usize,
            label: token_label(msg),
            class: class.into(),
            progress: if class == "sent" { 0.3 } else { 0.5 },
            stack: rows.next(msg.source as usize, msg.target as usize),
            tooltip: Some(m.message_text(msg)),
        });
    }
    tokens.extend(ended_tokens(&last_step_messages(m, prev, s), 0.74, &mut rows));
    let node_h = 30.0 + 16.0 * (2 + m.nkeys()) as f64;
    let (cy, rx, ry, net_bottom) = if n <= 2 {
        (44.0 + node_h / 2.0 + 50.0, WIDTH / 2.0 - NODE_W / 2.0 - 12.0, 0.0, 44.0 + node_h + 120.0)
    } else {
        (44.0 + node_h / 2.0 + 150.0, WIDTH / 2.0 - NODE_W / 2.0 - 40.0, 150.0, 44.0 + node_h + 150.0 + 75.0 + 30.0)
    };
    shapes.push(network("replicas", WIDTH / 2.0, cy, rx, ry, NODE_W, &nodes, &links, &tokens));

    // Routing: per delta created, where it went and which owners have it.
    let mut y = net_bottom + 6.0;
    shapes.push(Shape::text(8.0, y, "Routing (delta → reached or in flight to; owners ✓ processed, ✗ not yet)", "route-head", Anchor::Start));
    if created.is_empty() {
        y += 18.0;
        shapes.push(Shape::text(8.0, y, "no delta created yet", "route-line", Anchor::Start));
    }
    for d in &created {
        y += 18.0;
        let targets = reached_or_on_the_way(m, s, *d);
        let owners: Vec<String> =
            m.responsible(d.key as usize).iter().map(|&o| format!("{}{}", if m.has_processed(s, o, *d) { "✓" } else { "✗" }, m.id(o))).collect();
        let class = if m.missing(s, *d).is_empty() { "route-line done" } else { "route-line" };
        shapes.push(
            Shape::text(
                8.0,
                y,
                format!("{} → {}  owners {}", m.delta_text(*d), if targets.is_empty() { "—".to_string() } else { targets.join(" ") }, owners.join(" ")),
                class,
                Anchor::Start,
            )
            .with_id(format!("route-{}", m.delta_text(*d))),
        );
    }
    Drawing { width: WIDTH, height: y + 14.0, shapes, caption: caption(m, prev, s) }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{self, class_of};
    use crate::catalogue;
    use crate::explorer::draw::Drawing;

    fn drawing_after(config: &str, labels: &[&str]) -> Drawing {
        testing::drawing_after("gossip", config, labels)
    }

    #[test]
    fn draws_replicas_messages_and_routing() {
        let d = drawing_after("safe", &["CreateDelta(1, k1)"]);
        assert_eq!(class_of(&d, "msg DeltaBatch k1@1#1 e0 1->2"), "net-token sent");
        assert_eq!(class_of(&d, "replica-1"), "net-node owner");
        assert_eq!(class_of(&d, "replica-3"), "net-node ");
        assert!(d.texts().iter().any(|t| t == "k1@1#1 → 2 3  owners ✓1 ✗2"), "{:?}", d.texts());
        assert!(d.caption[0].contains("broadcast it to replica 2 and 3"), "{:?}", d.caption);
        let d = drawing_after("safe", &["CreateDelta(1, k1)", "ReceiveGossip(2, DeltaBatch k1@1#1 e0 1->2)"]);
        assert_eq!(class_of(&d, "msg DeltaBatch k1@1#1 e0 1->2 (deliver)"), "net-token delivered");
        assert_eq!(class_of(&d, "msg DeltaBatch k1@1#1 e0 1->3"), "net-token in-flight");
        assert_eq!(class_of(&d, "route-k1@1#1"), "route-line done");
        let d = drawing_after("safe", &["CreateDelta(1, k1)", "MessageLoss(DeltaBatch k1@1#1 e0 1->2)"]);
        assert_eq!(class_of(&d, "msg DeltaBatch k1@1#1 e0 1->2 (drop)"), "net-token dropped");
    }

    #[test]
    fn the_gaps_are_marked() {
        let d = drawing_after("no-dedup", &["CreateDelta(1, k1)", "Redeliver(2, DeltaBatch k1@1#1 e0 1->2)", "Redeliver(2, DeltaBatch k1@1#1 e0 1->2)"]);
        assert_eq!(class_of(&d, "msg DeltaBatch k1@1#1 e0 1->2 (duplicate)"), "net-token duplicate");
        assert_eq!(class_of(&d, "replica-2"), "net-node diverged");
        assert!(d.caption.iter().any(|c| c.contains("NoDuplicateProcessing fails")), "{:?}", d.caption);
        let d = drawing_after("route-to-self", &["EnableSelectiveMode(1)", "CreateDelta(1, k1)"]);
        assert_eq!(class_of(&d, "msg TargetedDelta k1@1#1 e0 1->1"), "net-token self");
        // A message to its own sender still has a place and a direction (no NaN in the drawing).
        let svg = crate::explorer::draw::standalone_svg(&d, "", false);
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(d.caption.iter().any(|c| c.contains("NoSelfTarget fails")), "{:?}", d.caption);
    }

    #[test]
    fn the_legend_carries_no_ids() {
        let m = catalogue::build("gossip", "safe", &[]).unwrap();
        let legend = crate::catalogue::builtin().legend(m.as_ref()).unwrap();
        for item in &legend.items {
            let mut ids = Vec::new();
            item.swatch.ids(&mut ids);
            assert!(ids.is_empty(), "{}: {ids:?}", item.meaning);
        }
    }
}
