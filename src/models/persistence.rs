//! `persistence`: redis-rust's streaming persistence, a write buffer of deltas streamed to an
//! object store as segments listed in a manifest (seed 000). Twin:
//! `tla/persistence/StreamingPersistence.tla`.
//!
//! The writer pushes deltas into the server's bounded write buffer (refused by backpressure when
//! it is full). A flush takes the whole buffer as a segment with a fresh id (`FlushBuffer`), puts
//! it into the object store (`WriteSegment`), lists its id in the manifest (`UpdateManifest`) and
//! then acknowledges its deltas (`Ack`). A `Crash` loses the server's memory, buffer and flush in
//! progress; the object store survives, and `Recover` rebuilds the memory from the segments the
//! manifest names. The writer re-pushes whatever it has no acknowledgement for and the server no
//! longer holds.
//!
//! Configurations: `safe`; `ack-before-flush` (a push is acknowledged at once: a crash before
//! the flush loses acknowledged data, DurabilityGuarantee fails); `manifest-first` (the manifest
//! lists a segment before it is written: a crash between leaves a dangling manifest entry,
//! ManifestConsistent fails); `no-backpressure` (WriteBufferBounded fails); liveness:
//! `eventually-flushed` (FairSpec: EventualFlush holds) and `flush-unfair` (no fairness on
//! FlushBuffer: the buffer may hold deltas for ever).
//!
//! No symmetry: deltas are told apart by their numbers.
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the properties, then
//! the plumbing (TLA+ values, messages).

use crate::engine::messages::{MessageEvent, MessageOp};
use crate::engine::sorted;
use crate::engine::{
    Checks, ConfigSpec, ConstKind, ConstSpec, Constants, FairSpec, Fairness, FairnessKind, LivenessProperty, Model, ModelDef, ModelInfo, Temporal, Value,
};

// ---- CONSTANTS ----

/// Bounds on the constants: deltas are bits of a `u8` set, segment ids fit a `u8`.
pub const MAX_DELTAS: i64 = 6;
pub const MAX_SEGMENTS: i64 = 8;

pub struct Persistence {
    /// `MaxDeltas`: the writer sends deltas `1..=max_deltas`.
    pub max_deltas: u8,
    /// `MaxBufferSize`: the buffer's capacity, in deltas.
    pub max_buffer_size: u8,
    /// `MaxSegments`: segment ids `0..max_segments`.
    pub max_segments: u8,
    /// `MaxCrashes`: the crash budget.
    pub max_crashes: u8,
    /// `AckOnPush` (gap): a delta is acknowledged when it enters the buffer.
    pub ack_on_push: bool,
    /// `ManifestFirst` (gap): the manifest lists a segment before it is written.
    pub manifest_first: bool,
    /// `Backpressure`: a push is refused while the buffer is full.
    pub backpressure: bool,
    /// What this config checks.
    checks: Checks<Persistence>,
}

impl ModelDef for Persistence {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/persistence/StreamingPersistence.tla")];

    fn info() -> ModelInfo {
        const SAFE: &[(&str, &str)] = &[("AckOnPush", "FALSE"), ("ManifestFirst", "FALSE"), ("Backpressure", "TRUE")];
        ModelInfo {
            name: "persistence",
            title: "Streaming persistence: write buffer, segments, manifest",
            story: "A server buffers the writer's deltas, streams them to an object store as segments and lists each segment in a manifest before it acknowledges the deltas; a crash loses only what was never acknowledged, unless the acknowledgement or the manifest comes too early.",
            source: "seed 000: redis-rust replication specs (StreamingPersistence.tla; Stateright peer src/stateright/persistence.rs, WriteBufferModel)",
            tla_module: "StreamingPersistence",
            constants: vec![
                ConstSpec { name: "MaxDeltas", doc: "The writer sends deltas 1..MaxDeltas.", kind: ConstKind::Int { min: 1, max: MAX_DELTAS }, default: "3" },
                ConstSpec {
                    name: "MaxBufferSize",
                    doc: "The write buffer's capacity, in deltas (backpressure refuses a push beyond it).",
                    kind: ConstKind::Int { min: 1, max: MAX_DELTAS },
                    default: "2",
                },
                ConstSpec {
                    name: "MaxSegments",
                    doc: "Segment ids are 0..MaxSegments-1 (a bound for model checking; EventualFlush needs MaxDeltas + MaxCrashes of them).",
                    kind: ConstKind::Int { min: 1, max: MAX_SEGMENTS },
                    default: "4",
                },
                ConstSpec { name: "MaxCrashes", doc: "How many times the server may crash.", kind: ConstKind::Int { min: 0, max: 3 }, default: "1" },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "A segment is written before the manifest lists it, deltas are acknowledged only once both are done, and a full buffer refuses pushes.",
                    expect: None,
                    tla_switches: SAFE,
                    alters: &[],
                },
                ConfigSpec {
                    name: "ack-before-flush",
                    summary: "A delta is acknowledged as soon as it enters the buffer, so a crash before the flush loses a delta the writer was told is safe: DurabilityGuarantee fails.",
                    expect: Some("DurabilityGuarantee"),
                    tla_switches: &[("AckOnPush", "TRUE"), ("ManifestFirst", "FALSE"), ("Backpressure", "TRUE")],
                    alters: &["PushDelta"],
                },
                ConfigSpec {
                    name: "manifest-first",
                    summary: "The manifest lists a segment before the segment is written, so a crash between the two leaves the manifest naming a segment the object store does not hold: ManifestConsistent fails.",
                    expect: Some("ManifestConsistent"),
                    tla_switches: &[("AckOnPush", "FALSE"), ("ManifestFirst", "TRUE"), ("Backpressure", "TRUE")],
                    alters: &["WriteSegment", "UpdateManifest"],
                },
                ConfigSpec {
                    name: "no-backpressure",
                    summary: "A push ignores the buffer's capacity, so the buffer grows past it: WriteBufferBounded fails.",
                    expect: Some("WriteBufferBounded"),
                    tla_switches: &[("AckOnPush", "FALSE"), ("ManifestFirst", "FALSE"), ("Backpressure", "FALSE")],
                    alters: &["PushDelta"],
                },
                ConfigSpec {
                    name: "eventually-flushed",
                    summary: "The safe protocol under weak fairness on pushes, on every flush step and on Recover: every delta is eventually acknowledged (EventualFlush holds).",
                    expect: None,
                    tla_switches: SAFE,
                    alters: &[],
                },
                ConfigSpec {
                    name: "flush-unfair",
                    summary: "The same fairness without FlushBuffer's: the server may never start a flush, so deltas sit in the buffer for ever and EventualFlush fails.",
                    expect: Some("EventualFlush"),
                    tla_switches: SAFE,
                    alters: &[],
                },
            ],
            meanings: &[
                ("TypeOK", "The buffer and every segment hold deltas 1..MaxDeltas, segment ids are below MaxSegments, at most one flush is in progress, and crashes stay within the budget."),
                ("WriteBufferBounded", "The write buffer never holds more deltas than its capacity, MaxBufferSize."),
                ("SegmentIdMonotonic", "Every segment id in use (written, being flushed or listed in the manifest) is below next_segment_id: ids are handed out in increasing order."),
                ("ManifestConsistent", "In the state a crash leaves, every segment the manifest names is in the object store."),
                ("NoSegmentIdReuse", "Two segments (written or being flushed) with the same id are the same segment."),
                ("DurabilityGuarantee", "In the state a crash leaves, every acknowledged delta is in a segment the manifest names, so recovery can load it."),
                ("RecoveryCompleteness", "A running server holds every acknowledged delta in memory; after a crash, recovery reloaded it from the manifest's segments."),
                ("EventualFlush", "Every delta is eventually acknowledged, so durable: a delta a crash lost is sent again and flushed."),
                ("PushDelta", "The writer sends a delta it has no acknowledgement for and the server does not hold; the server appends it to the buffer and applies it in memory (safe: only while the buffer has room; ack-before-flush: and acknowledges it at once)."),
                ("FlushBuffer", "A flush starts: the whole buffer becomes a segment with the next segment id, and the buffer empties."),
                ("WriteSegment", "The flush's segment is put into the object store (safe: before the manifest lists it; manifest-first: after)."),
                ("UpdateManifest", "The manifest lists the flush's segment id and its generation goes up (safe: once the segment is written; manifest-first: before)."),
                ("Ack", "The flush is done (segment written and listed): its deltas are acknowledged to the writer."),
                ("Crash", "The server crashes: its memory, its buffer and the flush in progress are lost; the object store keeps the segments and the manifest."),
                ("Recover", "The server restarts and rebuilds its memory from the segments the manifest names."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        let fair_spec = match config.name {
            "eventually-flushed" => {
                Some(FairSpec { name: "FairSpec", fairness: Persistence::fairness_with(true), properties: vec![Persistence::EVENTUAL_FLUSH] })
            }
            "flush-unfair" => {
                Some(FairSpec { name: "FairSpecNoFlush", fairness: Persistence::fairness_with(false), properties: vec![Persistence::EVENTUAL_FLUSH] })
            }
            _ => None,
        };
        Ok(Persistence {
            max_deltas: constants.int("MaxDeltas") as u8,
            max_buffer_size: constants.int("MaxBufferSize") as u8,
            max_segments: constants.int("MaxSegments") as u8,
            max_crashes: constants.int("MaxCrashes") as u8,
            ack_on_push: config.switch("AckOnPush"),
            manifest_first: config.switch("ManifestFirst"),
            backpressure: config.switch("Backpressure"),
            checks: Checks::new()
                .invariant("TypeOK", Persistence::type_ok)
                .invariant("WriteBufferBounded", Persistence::write_buffer_bounded)
                .invariant("SegmentIdMonotonic", Persistence::segment_id_monotonic)
                .invariant("ManifestConsistent", Persistence::manifest_consistent)
                .invariant("NoSegmentIdReuse", Persistence::no_segment_id_reuse)
                .invariant("DurabilityGuarantee", Persistence::durability_guarantee)
                .invariant("RecoveryCompleteness", Persistence::recovery_completeness)
                .fair_spec(fair_spec),
        })
    }
}

// ---- VARIABLES ----

/// A set of deltas: bit `d - 1` for delta `d`.
pub type Deltas = u8;

/// `Segment(deltas, id)`: the deltas in buffer order and the segment's id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Segment {
    pub id: u8,
    pub deltas: Vec<u8>,
}

impl Segment {
    pub fn delta_set(&self) -> Deltas {
        set_of(&self.deltas)
    }
}

/// The deltas of a sequence, as a set.
pub fn set_of(seq: &[u8]) -> Deltas {
    seq.iter().fold(0, |acc, &d| acc | bit(d))
}

/// Delta `d`'s bit.
pub fn bit(d: u8) -> Deltas {
    1 << (d - 1)
}

/// The members of a delta set, ascending.
pub fn members(set: Deltas) -> Vec<u8> {
    (1..=8u8).filter(|&d| set & bit(d) != 0).collect()
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// `buffer`: pushed, not yet taken by a flush, in push order.
    pub buffer: Vec<u8>,
    /// `memory`: the deltas the server holds in memory.
    pub memory: Deltas,
    /// `acked`: the deltas acknowledged to the writer.
    pub acked: Deltas,
    /// `flushing`: the flush in progress, if any (the twin's `{}` or `{segment}`).
    pub flushing: Option<Segment>,
    /// `object_store`: the segments written, sorted (a set).
    pub object_store: Vec<Segment>,
    pub next_segment_id: u8,
    /// `manifest_segments`: the ids listed, a set (bit `i` for id `i`).
    pub manifest_segments: u8,
    pub manifest_generation: u8,
    pub crashed: bool,
    pub crashes: u8,
}

impl State {
    /// `StoredIds`: the ids of the segments in the object store.
    pub fn stored_ids(&self) -> u8 {
        self.object_store.iter().fold(0, |acc, seg| acc | (1 << seg.id))
    }

    pub fn listed(&self, id: u8) -> bool {
        self.manifest_segments & (1 << id) != 0
    }

    pub fn stored(&self, seg: &Segment) -> bool {
        self.object_store.contains(seg)
    }

    /// `FlushingDeltas`.
    pub fn flushing_deltas(&self) -> Deltas {
        self.flushing.as_ref().map_or(0, Segment::delta_set)
    }

    /// `Recoverable`: the deltas of the segments the manifest names that the store holds.
    pub fn recoverable(&self) -> Deltas {
        self.object_store.iter().filter(|seg| self.listed(seg.id)).fold(0, |acc, seg| acc | seg.delta_set())
    }
}

impl Persistence {
    /// `Deltas`: `1..MaxDeltas` as a set.
    pub fn all_deltas(&self) -> Deltas {
        ((1u16 << self.max_deltas) - 1) as u8
    }

    // ---- TypeOK ----

    fn type_ok(&self, s: &State) -> bool {
        let deltas_ok = |seq: &[u8]| seq.iter().all(|&d| (1..=self.max_deltas).contains(&d));
        let segment_ok = |seg: &Segment| deltas_ok(&seg.deltas) && seg.id < self.max_segments;
        deltas_ok(&s.buffer)
            && s.memory & !self.all_deltas() == 0
            && s.acked & !self.all_deltas() == 0
            && s.flushing.iter().chain(&s.object_store).all(segment_ok)
            && s.next_segment_id <= self.max_segments
            && (s.manifest_segments as u16) < (1u16 << self.max_segments)
            && s.crashes <= self.max_crashes
    }

    // ---- Init ----

    fn init(&self) -> State {
        State {
            buffer: Vec::new(),
            memory: 0,
            acked: 0,
            flushing: None,
            object_store: Vec::new(),
            next_segment_id: 0,
            manifest_segments: 0,
            manifest_generation: 0,
            crashed: false,
            crashes: 0,
        }
    }

    // ---- Actions ----

    /// `PushDelta(d)`: the writer sends d (unacknowledged, not held in the buffer or the flush).
    fn push_delta(&self, s: &State, d: u8) -> Option<State> {
        if s.crashed || s.acked & bit(d) != 0 || (set_of(&s.buffer) | s.flushing_deltas()) & bit(d) != 0 {
            return None;
        }
        if self.backpressure && s.buffer.len() >= self.max_buffer_size as usize {
            return None;
        }
        let mut t = s.clone();
        t.buffer.push(d);
        t.memory |= bit(d);
        if self.ack_on_push {
            t.acked |= bit(d);
        }
        Some(t)
    }

    /// `FlushBuffer`: the whole buffer becomes a segment with a fresh id.
    fn flush_buffer(&self, s: &State) -> Option<State> {
        if s.crashed || s.flushing.is_some() || s.buffer.is_empty() || s.next_segment_id >= self.max_segments {
            return None;
        }
        let mut t = s.clone();
        t.flushing = Some(Segment { id: s.next_segment_id, deltas: std::mem::take(&mut t.buffer) });
        t.next_segment_id += 1;
        Some(t)
    }

    /// `WriteSegment`: the flush's segment goes into the object store (manifest-first: only once
    /// the manifest lists it).
    fn write_segment(&self, s: &State) -> Option<State> {
        let seg = s.flushing.as_ref().filter(|_| !s.crashed)?;
        if s.stored(seg) || (self.manifest_first && !s.listed(seg.id)) {
            return None;
        }
        let mut t = s.clone();
        t.object_store.push(seg.clone());
        sorted::sort(&mut t.object_store);
        Some(t)
    }

    /// `UpdateManifest`: the manifest lists the flush's segment (safe: only once it is written).
    fn update_manifest(&self, s: &State) -> Option<State> {
        let seg = s.flushing.as_ref().filter(|_| !s.crashed)?;
        if s.listed(seg.id) || (!self.manifest_first && !s.stored(seg)) {
            return None;
        }
        let mut t = s.clone();
        t.manifest_segments |= 1 << seg.id;
        t.manifest_generation += 1;
        Some(t)
    }

    /// `Ack`: the flush is done, its deltas are acknowledged.
    fn ack(&self, s: &State) -> Option<State> {
        let seg = s.flushing.as_ref().filter(|_| !s.crashed)?;
        if !s.stored(seg) || !s.listed(seg.id) {
            return None;
        }
        let mut t = s.clone();
        t.acked |= seg.delta_set();
        t.flushing = None;
        Some(t)
    }

    /// `Crash`: memory, buffer and the flush in progress are lost.
    fn crash(&self, s: &State) -> Option<State> {
        if s.crashed || s.crashes >= self.max_crashes {
            return None;
        }
        let mut t = s.clone();
        t.crashed = true;
        t.crashes += 1;
        t.buffer.clear();
        t.memory = 0;
        t.flushing = None;
        Some(t)
    }

    /// `Recover`: memory is rebuilt from the segments the manifest names.
    fn recover(&self, s: &State) -> Option<State> {
        if !s.crashed {
            return None;
        }
        let mut t = s.clone();
        t.crashed = false;
        t.memory = s.recoverable();
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s candidates, in its disjunct order (pushes by ascending delta).
    fn next(&self, _s: &State, out: &mut Vec<Action>) {
        out.extend((1..=self.max_deltas).map(Action::PushDelta));
        out.extend([Action::FlushBuffer, Action::WriteSegment, Action::UpdateManifest, Action::Ack, Action::Crash, Action::Recover]);
    }

    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::PushDelta(d) => self.push_delta(s, d),
            Action::FlushBuffer => self.flush_buffer(s),
            Action::WriteSegment => self.write_segment(s),
            Action::UpdateManifest => self.update_manifest(s),
            Action::Ack => self.ack(s),
            Action::Crash => self.crash(s),
            Action::Recover => self.recover(s),
        }
    }
}

/// An action of `Next`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    PushDelta(u8),
    FlushBuffer,
    WriteSegment,
    UpdateManifest,
    Ack,
    Crash,
    Recover,
}

impl Action {
    pub const NAMES: [&'static str; 7] = ["PushDelta", "FlushBuffer", "WriteSegment", "UpdateManifest", "Ack", "Crash", "Recover"];

    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::PushDelta(_) => "PushDelta",
            Action::FlushBuffer => "FlushBuffer",
            Action::WriteSegment => "WriteSegment",
            Action::UpdateManifest => "UpdateManifest",
            Action::Ack => "Ack",
            Action::Crash => "Crash",
            Action::Recover => "Recover",
        }
    }
}

impl Persistence {
    // ---- Invariants ----

    fn write_buffer_bounded(&self, s: &State) -> bool {
        s.buffer.len() <= self.max_buffer_size as usize
    }

    /// Every id in use (stored, being flushed, listed) is below `next_segment_id`.
    fn segment_id_monotonic(&self, s: &State) -> bool {
        let flushing = s.flushing.as_ref().map_or(0u16, |seg| 1 << seg.id);
        let in_use = s.stored_ids() as u16 | flushing | s.manifest_segments as u16;
        in_use >> s.next_segment_id == 0
    }

    /// In the state a crash leaves, the manifest names only stored segments.
    fn manifest_consistent(&self, s: &State) -> bool {
        !s.crashed || s.manifest_segments & !s.stored_ids() == 0
    }

    /// Two segments (stored or being flushed) with one id are one segment.
    fn no_segment_id_reuse(&self, s: &State) -> bool {
        let all: Vec<&Segment> = s.object_store.iter().chain(&s.flushing).collect();
        all.iter().all(|a| all.iter().all(|b| a.id != b.id || a == b))
    }

    /// In the state a crash leaves, every acknowledged delta is recoverable.
    fn durability_guarantee(&self, s: &State) -> bool {
        !s.crashed || s.acked & !s.recoverable() == 0
    }

    /// A running server holds every acknowledged delta.
    fn recovery_completeness(&self, s: &State) -> bool {
        s.crashed || s.acked & !s.memory == 0
    }

    /// The acknowledged deltas a crash now would lose (for the view): acknowledged, not recoverable.
    pub fn at_risk(&self, s: &State) -> Deltas {
        s.acked & !s.recoverable()
    }

    // ---- Liveness ----

    /// `EventualFlush == <>(acked = Deltas)`.
    const EVENTUAL_FLUSH: LivenessProperty<Persistence> =
        LivenessProperty { name: "EventualFlush", kind: Temporal::Eventually, p: Persistence::all_acked, q: None };

    pub fn all_acked(&self, s: &State) -> bool {
        s.acked == self.all_deltas()
    }

    // ---- Fairness ----

    const WF_PUSH: Fairness<Persistence> = Fairness {
        kind: FairnessKind::Weak,
        name: "WF_vars(\\E d \\in Deltas : PushDelta(d))",
        instance: |_, a| matches!(a, Action::PushDelta(_)).then_some(0),
    };
    const WF_FLUSH: Fairness<Persistence> =
        Fairness { kind: FairnessKind::Weak, name: "WF_vars(FlushBuffer)", instance: |_, a| matches!(a, Action::FlushBuffer).then_some(0) };
    const WF_WRITE: Fairness<Persistence> =
        Fairness { kind: FairnessKind::Weak, name: "WF_vars(WriteSegment)", instance: |_, a| matches!(a, Action::WriteSegment).then_some(0) };
    const WF_MANIFEST: Fairness<Persistence> =
        Fairness { kind: FairnessKind::Weak, name: "WF_vars(UpdateManifest)", instance: |_, a| matches!(a, Action::UpdateManifest).then_some(0) };
    const WF_ACK: Fairness<Persistence> = Fairness { kind: FairnessKind::Weak, name: "WF_vars(Ack)", instance: |_, a| matches!(a, Action::Ack).then_some(0) };
    const WF_RECOVER: Fairness<Persistence> =
        Fairness { kind: FairnessKind::Weak, name: "WF_vars(Recover)", instance: |_, a| matches!(a, Action::Recover).then_some(0) };

    /// FairSpec's conjuncts in its order; without FlushBuffer's for FairSpecNoFlush.
    fn fairness_with(flush: bool) -> Vec<Fairness<Persistence>> {
        let mut f = vec![Self::WF_PUSH];
        if flush {
            f.push(Self::WF_FLUSH);
        }
        f.extend([Self::WF_WRITE, Self::WF_MANIFEST, Self::WF_ACK, Self::WF_RECOVER]);
        f
    }

    // ---- Notation shared by labels, messages and the view ----

    /// `{1, 2}`, `{}`.
    pub fn set_text(set: Deltas) -> String {
        format!("{{{}}}", members(set).iter().map(u8::to_string).collect::<Vec<_>>().join(", "))
    }

    /// `<<1, 2>>`.
    pub fn seq_text(seq: &[u8]) -> String {
        format!("<<{}>>", seq.iter().map(u8::to_string).collect::<Vec<_>>().join(", "))
    }

    /// `segment 0 <<1, 2>>`.
    pub fn segment_text(seg: &Segment) -> String {
        format!("segment {} {}", seg.id, Self::seq_text(&seg.deltas))
    }

    // ---- TLA+ values ----

    fn deltas_value(set: Deltas) -> Value {
        Value::set(members(set).into_iter().map(|d| Value::Int(d as i64)))
    }

    pub fn segment_value(seg: &Segment) -> Value {
        Value::record([("deltas", Value::Tuple(seg.deltas.iter().map(|&d| Value::Int(d as i64)).collect())), ("id", Value::Int(seg.id as i64))])
    }

    fn ids_value(ids: u8) -> Value {
        Value::set((0..8u8).filter(|i| ids & (1 << i) != 0).map(|i| Value::Int(i as i64)))
    }
}

impl Persistence {
    // ---- Messages ----

    /// The writer, the server (its buffer and memory) and the object store.
    pub const WRITER: usize = 0;
    pub const SERVER: usize = 1;
    pub const STORE: usize = 2;

    fn event(op: MessageOp, from: usize, to: usize, id: String, label: String, contents: Vec<(String, String)>) -> MessageEvent {
        MessageEvent { op, from, to, id, label, contents }
    }

    /// A segment's PUT to the object store, sent by FlushBuffer and delivered by WriteSegment
    /// (or dropped by a crash): one per segment id.
    fn put_event(op: MessageOp, seg: &Segment) -> MessageEvent {
        Self::event(
            op,
            Self::SERVER,
            Self::STORE,
            format!("put segment {}", seg.id),
            format!("PUT seg {} {}", seg.id, Self::seq_text(&seg.deltas)),
            vec![("id".into(), seg.id.to_string()), ("deltas".into(), Self::seq_text(&seg.deltas))],
        )
    }

    /// A message that arrives in the step that sends it (a push, a manifest write, an ack, a
    /// recovery's read): its send and its delivery.
    fn exchange(from: usize, to: usize, id: String, label: String, contents: Vec<(String, String)>) -> [MessageEvent; 2] {
        [Self::event(MessageOp::Send, from, to, id.clone(), label.clone(), contents.clone()), Self::event(MessageOp::Deliver, from, to, id, label, contents)]
    }
}

impl Model for Persistence {
    type State = State;
    type Action = Action;

    fn init_states(&self) -> Vec<State> {
        vec![self.init()]
    }

    fn actions(&self, s: &State, out: &mut Vec<Action>) {
        self.next(s, out)
    }

    fn next_state(&self, s: &State, action: &Action) -> Option<State> {
        self.take(s, action)
    }

    fn action_name(&self, action: &Action) -> &'static str {
        action.name()
    }

    fn action_label(&self, action: &Action) -> String {
        match action {
            Action::PushDelta(d) => format!("PushDelta({d})"),
            other => other.name().to_string(),
        }
    }

    fn action_names(&self) -> Vec<&'static str> {
        Action::NAMES.to_vec()
    }

    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }

    fn variables(&self) -> &'static [&'static str] {
        &["buffer", "memory", "acked", "flushing", "object_store", "next_segment_id", "manifest_segments", "manifest_generation", "crashed", "crashes"]
    }

    /// Three lanes: the writer, the server (buffer and memory; it crashes and recovers) and the
    /// object store (segments and manifest, which survive).
    fn nodes(&self) -> Vec<String> {
        vec!["writer".into(), "server".into(), "object store".into()]
    }

    /// A push is a delta writer → server (and, ack-before-flush, its ack back at once);
    /// FlushBuffer sends the segment's PUT to the store, WriteSegment delivers it and a crash
    /// drops it; UpdateManifest writes the manifest; Ack answers the writer; Crash and Recover
    /// happen to the server, and recovery reads the manifest's segments back.
    fn messages(&self, s: &State, action: &Action, next: &State) -> Vec<MessageEvent> {
        match *action {
            Action::PushDelta(d) => {
                // A delta is pushed at most once between two crashes, so (delta, crashes) names it.
                let mut events =
                    Self::exchange(Self::WRITER, Self::SERVER, format!("delta {d} push {}", s.crashes), format!("Δ{d}"), vec![("delta".into(), d.to_string())])
                        .to_vec();
                if next.acked & bit(d) != s.acked & bit(d) {
                    events.extend(Self::exchange(
                        Self::SERVER,
                        Self::WRITER,
                        format!("ack delta {d}"),
                        format!("ack {{{d}}}"),
                        vec![("deltas".into(), format!("{{{d}}}"))],
                    ));
                }
                events
            }
            Action::FlushBuffer => next.flushing.iter().map(|seg| Self::put_event(MessageOp::Send, seg)).collect(),
            Action::WriteSegment => s.flushing.iter().map(|seg| Self::put_event(MessageOp::Deliver, seg)).collect(),
            Action::UpdateManifest => {
                let id = s.flushing.as_ref().map_or(0, |seg| seg.id);
                Self::exchange(
                    Self::SERVER,
                    Self::STORE,
                    format!("manifest generation {}", next.manifest_generation),
                    format!("manifest +seg {id}"),
                    vec![("generation".into(), next.manifest_generation.to_string()), ("segments".into(), Self::ids_text(next.manifest_segments))],
                )
                .to_vec()
            }
            Action::Ack => {
                let seg = s.flushing.clone().unwrap_or(Segment { id: 0, deltas: Vec::new() });
                let set = Self::set_text(seg.delta_set());
                Self::exchange(Self::SERVER, Self::WRITER, format!("ack segment {}", seg.id), format!("ack {set}"), vec![("deltas".into(), set)]).to_vec()
            }
            Action::Crash => {
                let mut events = vec![Self::event(MessageOp::Crash, Self::SERVER, Self::SERVER, "crash".into(), "crash".into(), Vec::new())];
                // A segment still on its way to the store is lost with the server.
                events.extend(s.flushing.iter().filter(|seg| !s.stored(seg)).map(|seg| Self::put_event(MessageOp::Drop, seg)));
                events
            }
            Action::Recover => {
                let loaded = Self::set_text(next.memory);
                let mut events = vec![Self::event(MessageOp::Recover, Self::SERVER, Self::SERVER, "recover".into(), "recover".into(), Vec::new())];
                events.extend(Self::exchange(
                    Self::STORE,
                    Self::SERVER,
                    format!("recovery {}", s.crashes),
                    format!("load {loaded}"),
                    vec![("manifest".into(), Self::ids_text(s.manifest_segments)), ("deltas".into(), loaded)],
                ));
                events
            }
        }
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        vec![
            Value::Tuple(s.buffer.iter().map(|&d| Value::Int(d as i64)).collect()),
            Self::deltas_value(s.memory),
            Self::deltas_value(s.acked),
            Value::set(s.flushing.iter().map(Self::segment_value)),
            Value::set(s.object_store.iter().map(Self::segment_value)),
            Value::Int(s.next_segment_id as i64),
            Self::ids_value(s.manifest_segments),
            Value::Int(s.manifest_generation as i64),
            Value::Bool(s.crashed),
            Value::Int(s.crashes as i64),
        ]
    }
}

impl Persistence {
    /// `{0, 2}`: a set of segment ids.
    pub fn ids_text(ids: u8) -> String {
        format!("{{{}}}", (0..8u8).filter(|i| ids & (1 << i) != 0).map(|i| i.to_string()).collect::<Vec<_>>().join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::testing::{self, labels, run};

    fn model(config: &str) -> Persistence {
        testing::model(config)
    }

    fn after(m: &Persistence, steps: &[&str]) -> State {
        run(m, m.init_states().remove(0), steps)
    }

    #[test]
    fn initially_the_writer_may_push_any_delta_or_the_server_crash() {
        let m = model("safe");
        assert_eq!(labels(&m, &m.init_states()[0]), ["PushDelta(1)", "PushDelta(2)", "PushDelta(3)", "Crash"]);
    }

    #[test]
    fn a_flush_writes_then_lists_then_acknowledges() {
        let m = model("safe");
        let s = after(&m, &["PushDelta(1)", "PushDelta(2)"]);
        assert!(!labels(&m, &s).iter().any(|l| l.starts_with("PushDelta")), "backpressure: the buffer is full");
        let s = run(&m, s, &["FlushBuffer"]);
        assert_eq!((s.buffer.len(), s.flushing.clone(), s.next_segment_id), (0, Some(Segment { id: 0, deltas: vec![1, 2] }), 1));
        assert_eq!(labels(&m, &s), ["PushDelta(3)", "WriteSegment", "Crash"], "the manifest waits for the segment");
        let s = run(&m, s, &["WriteSegment", "UpdateManifest"]);
        assert_eq!((s.manifest_segments, s.manifest_generation, s.acked), (1, 1, 0));
        let s = run(&m, s, &["Ack"]);
        assert_eq!((s.acked, s.flushing.clone()), (0b11, None));
        assert!(!labels(&m, &s).contains(&"PushDelta(1)".to_string()), "an acknowledged delta is not sent again");
    }

    #[test]
    fn a_crash_loses_the_buffer_and_recovery_loads_the_manifest() {
        let m = model("safe");
        let s = after(&m, &["PushDelta(1)", "FlushBuffer", "WriteSegment", "UpdateManifest", "Ack", "PushDelta(2)", "Crash"]);
        assert!(s.crashed && s.buffer.is_empty() && s.memory == 0);
        assert_eq!(labels(&m, &s), ["Recover"]);
        let s = run(&m, s, &["Recover"]);
        assert_eq!(s.memory, 0b1, "delta 1 came back from segment 0; delta 2 was never acknowledged");
        assert!(labels(&m, &s).contains(&"PushDelta(2)".to_string()), "the writer sends the lost delta again");
        assert!(!labels(&m, &s).contains(&"Crash".to_string()), "the crash budget is spent");
    }

    #[test]
    fn an_orphan_segment_is_not_recovered() {
        let m = model("safe");
        let s = after(&m, &["PushDelta(1)", "FlushBuffer", "WriteSegment", "Crash", "Recover"]);
        assert_eq!((s.object_store.len(), s.manifest_segments, s.memory, s.acked), (1, 0, 0, 0));
        assert!(m.invariants().iter().all(|i| (i.holds)(&m, &s)));
    }

    #[test]
    fn the_gaps_change_one_rule_each() {
        let gap = model("ack-before-flush");
        let s = after(&gap, &["PushDelta(1)"]);
        assert_eq!(s.acked, 0b1);
        let s = run(&gap, s, &["Crash"]);
        assert!(!gap.durability_guarantee(&s) && gap.manifest_consistent(&s));
        let gap = model("manifest-first");
        let s = after(&gap, &["PushDelta(1)", "FlushBuffer"]);
        assert_eq!(labels(&gap, &s), ["PushDelta(2)", "PushDelta(3)", "UpdateManifest", "Crash"]);
        let s = run(&gap, s, &["UpdateManifest", "Crash"]);
        assert!(!gap.manifest_consistent(&s) && gap.durability_guarantee(&s));
        let gap = model("no-backpressure");
        let s = after(&gap, &["PushDelta(1)", "PushDelta(2)", "PushDelta(3)"]);
        assert!(!gap.write_buffer_bounded(&s));
    }

    #[test]
    fn invariants_catch_bad_states() {
        let m = model("safe");
        let mut s = after(&m, &["PushDelta(1)", "FlushBuffer", "WriteSegment"]);
        assert!(m.segment_id_monotonic(&s) && m.no_segment_id_reuse(&s));
        s.object_store.push(Segment { id: 0, deltas: vec![2] });
        assert!(!m.no_segment_id_reuse(&s));
        s.next_segment_id = 0;
        assert!(!m.segment_id_monotonic(&s));
        let mut t = after(&m, &["PushDelta(1)"]);
        t.acked = 0b1;
        assert!(!m.recovery_completeness(&State { memory: 0, ..t.clone() }));
        t.buffer.push(9);
        assert!(!m.type_ok(&t));
    }

    #[test]
    fn prints_like_the_twin() {
        let m = model("manifest-first");
        let s = after(&m, &["PushDelta(1)", "PushDelta(2)", "FlushBuffer", "UpdateManifest", "WriteSegment"]);
        let v: Vec<String> = m.to_tla(&s).iter().map(Value::to_string).collect();
        assert_eq!(v, ["<<>>", "{1, 2}", "{}", "{[deltas |-> <<1, 2>>, id |-> 0]}", "{[deltas |-> <<1, 2>>, id |-> 0]}", "1", "{0}", "1", "FALSE", "0"]);
    }
}
