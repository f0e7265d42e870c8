//! What a step does to messages, declared by the model and free of any drawing: the one source a
//! message-sequence chart or a network view reads, so that neither needs per-model code.
//!
//! A model that passes messages names its nodes (the chart's lanes, [`crate::engine::Model::nodes`])
//! and says, per step, which messages it sent, delivered, dropped or duplicated, and which node or
//! link events it caused ([`crate::engine::Model::messages`]). A message keeps one `id` from its
//! send to its delivery or drop, so a reader can pair the two ends of an arrow.

/// What happened to a message, a node or a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageOp {
    /// A message leaves `from` for `to`.
    Send,
    /// A message sent earlier reaches `to`.
    Deliver,
    /// A message sent earlier is lost.
    Drop,
    /// A message in flight is copied (it may be delivered twice).
    Duplicate,
    /// A node's timer fires (`from == to`).
    Timer,
    /// A node crashes (`from == to`).
    Crash,
    /// A node recovers (`from == to`).
    Recover,
    /// The link between `from` and `to` is cut.
    Partition,
    /// The link between `from` and `to` is restored.
    Heal,
}

impl MessageOp {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageOp::Send => "send",
            MessageOp::Deliver => "deliver",
            MessageOp::Drop => "drop",
            MessageOp::Duplicate => "duplicate",
            MessageOp::Timer => "timer",
            MessageOp::Crash => "crash",
            MessageOp::Recover => "recover",
            MessageOp::Partition => "partition",
            MessageOp::Heal => "heal",
        }
    }

    /// Whether the event is about a message (rather than a node or a link).
    pub fn is_message(self) -> bool {
        matches!(self, MessageOp::Send | MessageOp::Deliver | MessageOp::Drop | MessageOp::Duplicate)
    }
}

/// One thing a step did to a message, a node or a link. `from` and `to` index the model's
/// [`crate::engine::Model::nodes`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageEvent {
    pub op: MessageOp,
    pub from: usize,
    pub to: usize,
    /// Stable across steps: the same message has the same id when it is sent and when it is
    /// delivered, dropped or duplicated (derived from its content, not from the step).
    pub id: String,
    /// Short, for an arrow: `Δ k1=v1 @(2,1)`.
    pub label: String,
    /// The message's fields as (name, value) text, for a tooltip or an inspector.
    pub contents: Vec<(String, String)>,
}

impl MessageEvent {
    /// A link event (a cut or a heal) between nodes `from` and `to`, named by their ids `a` and
    /// `b` (`link 1-2`): one id per link, so a cut and its heal pair up.
    pub fn link(op: MessageOp, from: usize, to: usize, a: impl std::fmt::Display, b: impl std::fmt::Display) -> MessageEvent {
        MessageEvent { op, from, to, id: format!("link {a}-{b}"), label: format!("link {a}–{b}"), contents: Vec::new() }
    }
}
