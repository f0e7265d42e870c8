//! `ebpf-ring`: the eBPF-for-Windows ring buffer as exposed through the map plumbing (seed 004).
//! Twin: `tla/ebpf-ring/EbpfRing.tla`.
//!
//! A producer reserves space for a record, which is Locked until it is submitted or discarded; the
//! reserve publishes the producer offset. The consumer reads records in order: it waits on a Locked
//! head, skips a Discarded one, and otherwise holds the head until it returns its space (only while
//! the head is still the record it holds). A map async query completes once there is data
//! (`producer > consumer`); `asyncCompleted` is sticky: some async query completed at least once.
//! These follow the published RingBufferModel.tla (microsoft/ebpf-for-windows, models/ring_buffer/);
//! the twin's header names the one deliberate deviation (one reserve action with a switch).
//!
//! Offsets grow up to `MaxOffset` and never wrap; `liveSize` (reserved, not yet returned) stays
//! within `Capacity`. The safety claim: the consumer only ever holds a Submitted record.
//!
//! Configurations: `safe`; `publish-before-lock` (the reserve publishes the offset with the record
//! still Uninit and a separate ProducerFinalizeLock locks it later: the consumer can hold an Uninit
//! record).
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the invariants, then
//! TLC's plumbing (TLA+ values).

use crate::engine::{Checks, ConfigSpec, ConstKind, ConstSpec, Constants, Model, ModelDef, ModelInfo, Value};

// ---- CONSTANTS ----

pub struct EbpfRing {
    pub capacity: i32,
    pub sizes: Vec<i32>,
    pub max_offset: i32,
    pub max_live_records: usize,
    /// `LockBeforePublish` in the twin: FALSE in the `publish-before-lock` gap.
    pub lock_before_publish: bool,
    /// What this config checks.
    checks: Checks<EbpfRing>,
}

impl ModelDef for EbpfRing {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/ebpf-ring/EbpfRing.tla")];

    fn info() -> ModelInfo {
        ModelInfo {
            name: "ebpf-ring",
            title: "eBPF-for-Windows ring buffer",
            story: "A producer reserves, then submits or discards records; the consumer must only ever see a record once it is submitted.",
            source: "seed 004: eBPF-for-Windows ring buffer TLA+ model (libs/execution_context/ebpf_maps.c)",
            tla_module: "EbpfRing",
            constants: vec![
                ConstSpec { name: "Capacity", doc: "Ring capacity, in abstract units.", kind: ConstKind::Int { min: 1, max: 8 }, default: "4" },
                ConstSpec { name: "Sizes", doc: "Record sizes a producer may reserve.", kind: ConstKind::IntSet { min: 1, max: 4 }, default: "{1, 2}" },
                ConstSpec {
                    name: "MaxOffset",
                    doc: "Bound on the offsets (they grow and never wrap in this model).",
                    kind: ConstKind::Int { min: 1, max: 16 },
                    default: "8",
                },
                ConstSpec {
                    name: "MaxLiveRecords",
                    doc: "Bound on records reserved and not yet returned.",
                    kind: ConstKind::Int { min: 1, max: 5 },
                    default: "3",
                },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "The ring as implemented: a reserved record is Locked before the producer offset is published.",
                    expect: None,
                    tla_switches: &[("LockBeforePublish", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "publish-before-lock",
                    summary: "The reserve publishes the offset while the record is still Uninit and locks it in a later step, so the consumer can hold an uninitialised record: Safety fails.",
                    expect: Some("Safety"),
                    tla_switches: &[("LockBeforePublish", "FALSE")],
                    alters: &["ProducerReserve", "ProducerFinalizeLock"],
                },
            ],
            meanings: &[
                ("TypeOK", "Every variable holds a value of its declared kind, and no more records are live than the ring allows."),
                ("OffsetsConsistent", "consumer <= producer <= reserve, the reserve is the consumer plus the live space, and the live space fits in the ring."),
                ("Safety", "The consumer only ever holds a record the producer has submitted."),
                ("ProducerReserve", "The producer reserves space for a record at the end of the ring, which also publishes the producer offset."),
                ("ProducerFinalizeLock", "Only in the gap: the producer locks the oldest record after it was already published."),
                ("ProducerSubmit", "The producer submits the oldest record, once locked: its data is ready to read."),
                ("ProducerDiscard", "The producer discards the oldest record, once locked: the consumer will skip it."),
                ("ConsumerNext", "The consumer looks at the oldest record: it waits on a locked one, skips a discarded one, and holds anything else."),
                ("ConsumerReturn", "The consumer returns the record it holds, freeing its space."),
                ("AsyncQuery", "The map's asynchronous query starts waiting for data."),
                ("AsyncCancel", "The waiting asynchronous query is cancelled."),
                ("AsyncComplete", "The waiting asynchronous query completes because data is available, capturing both offsets."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        Ok(EbpfRing {
            capacity: constants.int("Capacity") as i32,
            sizes: constants.int_set("Sizes").into_iter().map(|s| s as i32).collect(),
            max_offset: constants.int("MaxOffset") as i32,
            max_live_records: constants.int("MaxLiveRecords") as usize,
            lock_before_publish: config.switch("LockBeforePublish"),
            checks: Checks::new()
                .invariant("TypeOK", EbpfRing::type_ok)
                .invariant("OffsetsConsistent", EbpfRing::offsets_consistent)
                .invariant("Safety", EbpfRing::safety),
        })
    }
}

// ---- VARIABLES ----

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordState {
    Uninit,
    Locked,
    Submitted,
    Discarded,
}

impl RecordState {
    pub fn name(self) -> &'static str {
        match self {
            RecordState::Uninit => "Uninit",
            RecordState::Locked => "Locked",
            RecordState::Submitted => "Submitted",
            RecordState::Discarded => "Discarded",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Record {
    pub size: i32,
    pub state: RecordState,
}

/// The record the consumer holds: `held` in the twin. Inactive: size 0, state Locked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Held {
    pub active: bool,
    pub size: i32,
    pub state: RecordState,
}

const NOT_HOLDING: Held = Held { active: false, size: 0, state: RecordState::Locked };

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub consumer: i32,
    pub producer: i32,
    pub reserve: i32,
    /// Space reserved and not yet returned.
    pub live_size: i32,
    /// Live records in ring order; the head is the oldest.
    pub records: Vec<Record>,
    pub held: Held,
    pub async_pending: bool,
    /// Sticky: an async query completed at least once (only AsyncComplete sets it).
    pub async_completed: bool,
    /// Offsets captured when the async query completed: (consumer, producer).
    pub async_result: (i32, i32),
    /// Set when the first async query is queued, never cleared.
    pub trip_wire: bool,
}

impl EbpfRing {
    fn head(s: &State) -> Option<&Record> {
        s.records.first()
    }

    /// `HeadIs(st)`.
    fn head_is(s: &State, state: RecordState) -> bool {
        Self::head(s).map(|r| r.state == state).unwrap_or(false)
    }

    // ---- TypeOK ----

    /// Not declared true by construction: returning or skipping a record adds its size to
    /// `consumer`, which stays within MaxOffset only because OffsetsConsistent holds too.
    fn type_ok(&self, s: &State) -> bool {
        let offset = 0..=self.max_offset;
        let size_ok = |n: i32| self.sizes.contains(&n);
        offset.contains(&s.consumer)
            && offset.contains(&s.producer)
            && offset.contains(&s.reserve)
            && (0..=self.capacity).contains(&s.live_size)
            && s.records.len() <= self.max_live_records
            && s.records.iter().all(|r| size_ok(r.size))
            && offset.contains(&s.held.size)
            && offset.contains(&s.async_result.0)
            && offset.contains(&s.async_result.1)
    }

    // ---- Init ----

    fn init(&self) -> State {
        State {
            consumer: 0,
            producer: 0,
            reserve: 0,
            live_size: 0,
            records: Vec::new(),
            held: NOT_HOLDING,
            async_pending: false,
            async_completed: false,
            async_result: (0, 0),
            trip_wire: false,
        }
    }

    // ---- The producer ----

    /// `ProducerReserve(sz)`: the reserve publishes the producer offset; the record is Locked
    /// first unless `LockBeforePublish` is off.
    fn producer_reserve(&self, s: &State, size: i32) -> Option<State> {
        if !(s.live_size + size <= self.capacity && s.reserve + size <= self.max_offset && s.records.len() < self.max_live_records) {
            return None;
        }
        let mut t = s.clone();
        let state = if self.lock_before_publish { RecordState::Locked } else { RecordState::Uninit };
        t.records.push(Record { size, state });
        t.reserve = s.reserve + size;
        t.producer = s.reserve + size;
        t.live_size = s.live_size + size;
        Some(t)
    }

    /// `ProducerFinalizeLock`: only in the gap, the lock that should have preceded publication.
    fn producer_finalize_lock(&self, s: &State) -> Option<State> {
        if self.lock_before_publish || !Self::head_is(s, RecordState::Uninit) {
            return None;
        }
        let mut t = s.clone();
        t.records[0].state = RecordState::Locked;
        Some(t)
    }

    /// `ProducerSubmit`.
    fn producer_submit(&self, s: &State) -> Option<State> {
        if !Self::head_is(s, RecordState::Locked) {
            return None;
        }
        let mut t = s.clone();
        t.records[0].state = RecordState::Submitted;
        Some(t)
    }

    /// `ProducerDiscard`.
    fn producer_discard(&self, s: &State) -> Option<State> {
        if !Self::head_is(s, RecordState::Locked) {
            return None;
        }
        let mut t = s.clone();
        t.records[0].state = RecordState::Discarded;
        Some(t)
    }

    // ---- The consumer ----

    /// `ConsumerNext`: a Locked head is still being written: the consumer sees nothing (a
    /// stuttering step). A Discarded head is skipped and its space returned. Anything else is held.
    fn consumer_next(&self, s: &State) -> Option<State> {
        if !(!s.held.active && !s.records.is_empty()) {
            return None;
        }
        let mut t = s.clone();
        let head = s.records[0];
        match head.state {
            RecordState::Locked => {}
            RecordState::Discarded => {
                t.records.remove(0);
                t.live_size = s.live_size - head.size;
                t.consumer = s.consumer + head.size;
            }
            _ => t.held = Held { active: true, size: head.size, state: head.state },
        }
        Some(t)
    }

    /// `ConsumerReturn`: only while the head is still the record held.
    fn consumer_return(&self, s: &State) -> Option<State> {
        if !(s.held.active && Self::head(s).is_some_and(|r| r.size == s.held.size && r.state == s.held.state)) {
            return None;
        }
        let mut t = s.clone();
        t.records.remove(0);
        t.live_size = s.live_size - s.held.size;
        t.consumer = s.consumer + s.held.size;
        t.held = NOT_HOLDING;
        Some(t)
    }

    // ---- The map's async query ----

    /// `AsyncQuery`: asyncCompleted is left as it is (it is sticky).
    fn async_query(&self, s: &State) -> Option<State> {
        if s.async_pending {
            return None;
        }
        let mut t = s.clone();
        t.async_pending = true;
        t.trip_wire = true;
        Some(t)
    }

    /// `AsyncCancel`.
    fn async_cancel(&self, s: &State) -> Option<State> {
        if !s.async_pending {
            return None;
        }
        let mut t = s.clone();
        t.async_pending = false;
        Some(t)
    }

    /// `AsyncComplete`.
    fn async_complete(&self, s: &State) -> Option<State> {
        if !(s.async_pending && s.producer > s.consumer) {
            return None;
        }
        let mut t = s.clone();
        t.async_pending = false;
        t.async_completed = true;
        t.async_result = (s.consumer, s.producer);
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s candidates, in its disjunct order, the reserve's sizes ascending.
    fn next(&self, _s: &State, out: &mut Vec<Action>) {
        out.extend(self.sizes.iter().map(|&size| Action::ProducerReserve(size)));
        out.extend(Action::FAMILIES[1..].iter().copied());
    }

    /// The successor by `action`, or `None` if it is not enabled.
    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::ProducerReserve(size) => self.producer_reserve(s, size),
            Action::ProducerFinalizeLock => self.producer_finalize_lock(s),
            Action::ProducerSubmit => self.producer_submit(s),
            Action::ProducerDiscard => self.producer_discard(s),
            Action::ConsumerNext => self.consumer_next(s),
            Action::ConsumerReturn => self.consumer_return(s),
            Action::AsyncQuery => self.async_query(s),
            Action::AsyncCancel => self.async_cancel(s),
            Action::AsyncComplete => self.async_complete(s),
        }
    }
}

/// An action of `Next`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    ProducerReserve(i32),
    ProducerFinalizeLock,
    ProducerSubmit,
    ProducerDiscard,
    ConsumerNext,
    ConsumerReturn,
    AsyncQuery,
    AsyncCancel,
    AsyncComplete,
}

impl Action {
    /// One action of each of `Next`'s disjuncts, in order.
    const FAMILIES: [Action; 9] = [
        Action::ProducerReserve(0),
        Action::ProducerFinalizeLock,
        Action::ProducerSubmit,
        Action::ProducerDiscard,
        Action::ConsumerNext,
        Action::ConsumerReturn,
        Action::AsyncQuery,
        Action::AsyncCancel,
        Action::AsyncComplete,
    ];

    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::ProducerReserve(_) => "ProducerReserve",
            Action::ProducerFinalizeLock => "ProducerFinalizeLock",
            Action::ProducerSubmit => "ProducerSubmit",
            Action::ProducerDiscard => "ProducerDiscard",
            Action::ConsumerNext => "ConsumerNext",
            Action::ConsumerReturn => "ConsumerReturn",
            Action::AsyncQuery => "AsyncQuery",
            Action::AsyncCancel => "AsyncCancel",
            Action::AsyncComplete => "AsyncComplete",
        }
    }
}

impl EbpfRing {
    // ---- Invariants ----

    /// consumer ≤ producer ≤ reserve = consumer + liveSize, and liveSize ≤ Capacity.
    fn offsets_consistent(&self, s: &State) -> bool {
        s.consumer <= s.producer && s.producer <= s.reserve && s.reserve == s.consumer + s.live_size && s.live_size <= self.capacity
    }

    /// The consumer holds only Submitted records.
    fn safety(&self, s: &State) -> bool {
        !s.held.active || s.held.state == RecordState::Submitted
    }
}

impl Model for EbpfRing {
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
            Action::ProducerReserve(size) => format!("ProducerReserve({size})"),
            _ => action.name().to_string(),
        }
    }

    /// ProducerFinalizeLock only where it can be enabled (the gap).
    fn action_names(&self) -> Vec<&'static str> {
        Action::FAMILIES.iter().filter(|a| !self.lock_before_publish || **a != Action::ProducerFinalizeLock).map(Action::name).collect()
    }

    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }

    fn variables(&self) -> &'static [&'static str] {
        &["consumer", "producer", "reserve", "liveSize", "records", "held", "asyncPending", "asyncCompleted", "asyncResult", "tripWire"]
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        let int = |i: i32| Value::Int(i as i64);
        vec![
            int(s.consumer),
            int(s.producer),
            int(s.reserve),
            int(s.live_size),
            Value::Tuple(s.records.iter().map(|r| Value::record([("size", int(r.size)), ("state", Value::str(r.state.name()))])).collect()),
            Value::record([("active", Value::Bool(s.held.active)), ("size", int(s.held.size)), ("state", Value::str(s.held.state.name()))]),
            Value::Bool(s.async_pending),
            Value::Bool(s.async_completed),
            Value::record([("consumer", int(s.async_result.0)), ("producer", int(s.async_result.1))]),
            Value::Bool(s.trip_wire),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::testing::{self, enabled, take as step};

    fn model(config: &str) -> EbpfRing {
        testing::model(config)
    }

    #[test]
    fn reserve_appends_a_locked_record_and_publishes() {
        let m = model("safe");
        let s = step(&m, &m.init_states()[0], Action::ProducerReserve(2));
        assert_eq!(s.records, vec![Record { size: 2, state: RecordState::Locked }]);
        assert_eq!((s.consumer, s.producer, s.reserve, s.live_size), (0, 2, 2, 2));
        assert!(m.offsets_consistent(&s));
    }

    #[test]
    fn reserve_respects_capacity_offset_and_count() {
        let m = model("safe");
        let mut s = m.init_states().remove(0);
        s = step(&m, &s, Action::ProducerReserve(2));
        s = step(&m, &s, Action::ProducerReserve(1));
        // live 3 of 4: a size-2 reserve no longer fits, size 1 does
        assert!(!enabled(&m, &s).contains(&Action::ProducerReserve(2)));
        s = step(&m, &s, Action::ProducerReserve(1));
        // three live records = MaxLiveRecords
        assert!(!enabled(&m, &s).iter().any(|a| matches!(a, Action::ProducerReserve(_))));
        let mut far = m.init_states().remove(0);
        far.consumer = 7;
        far.producer = 7;
        far.reserve = 7;
        assert!(enabled(&m, &far).contains(&Action::ProducerReserve(1)));
        assert!(!enabled(&m, &far).contains(&Action::ProducerReserve(2)), "reserve + 2 > MaxOffset");
    }

    #[test]
    fn submit_and_discard_act_on_a_locked_head() {
        let m = model("safe");
        let s = step(&m, &m.init_states()[0], Action::ProducerReserve(1));
        let sub = step(&m, &s, Action::ProducerSubmit);
        assert_eq!(sub.records[0].state, RecordState::Submitted);
        assert!(!enabled(&m, &sub).contains(&Action::ProducerSubmit));
        let dis = step(&m, &s, Action::ProducerDiscard);
        assert_eq!(dis.records[0].state, RecordState::Discarded);
    }

    #[test]
    fn consumer_waits_on_locked_skips_discarded_holds_submitted() {
        let m = model("safe");
        let s = step(&m, &m.init_states()[0], Action::ProducerReserve(2));
        assert_eq!(step(&m, &s, Action::ConsumerNext), s, "a Locked head is a stutter step");
        let dis = step(&m, &s, Action::ProducerDiscard);
        let skipped = step(&m, &dis, Action::ConsumerNext);
        assert!(skipped.records.is_empty());
        assert_eq!((skipped.consumer, skipped.live_size, skipped.held.active), (2, 0, false));
        let sub = step(&m, &s, Action::ProducerSubmit);
        let held = step(&m, &sub, Action::ConsumerNext);
        assert_eq!(held.held, Held { active: true, size: 2, state: RecordState::Submitted });
        assert_eq!(held.records.len(), 1, "the record stays live until it is returned");
        assert!(!enabled(&m, &held).contains(&Action::ConsumerNext));
        let back = step(&m, &held, Action::ConsumerReturn);
        assert_eq!(back.held, NOT_HOLDING);
        assert_eq!((back.consumer, back.producer, back.reserve, back.live_size), (2, 2, 2, 0));
        assert!(m.safety(&held) && m.offsets_consistent(&back));
    }

    #[test]
    fn async_query_completes_only_with_data() {
        let m = model("safe");
        let s = step(&m, &m.init_states()[0], Action::AsyncQuery);
        assert!(s.async_pending && s.trip_wire);
        assert!(!enabled(&m, &s).contains(&Action::AsyncComplete));
        assert!(!enabled(&m, &s).contains(&Action::AsyncQuery));
        let cancelled = step(&m, &s, Action::AsyncCancel);
        assert!(!cancelled.async_pending && cancelled.trip_wire, "the trip wire is sticky");
        let s = step(&m, &s, Action::ProducerReserve(1));
        let done = step(&m, &s, Action::AsyncComplete);
        assert!(!done.async_pending && done.async_completed);
        assert_eq!(done.async_result, (0, 1));
        // Sticky, as in the published spec: a new query leaves asyncCompleted set.
        let again = step(&m, &done, Action::AsyncQuery);
        assert!(again.async_pending && again.async_completed);
        assert!(step(&m, &again, Action::AsyncCancel).async_completed);
    }

    #[test]
    fn return_needs_the_head_to_be_the_held_record() {
        // In the gap the producer can lock the Uninit head the consumer holds; the held record is
        // then no longer the head, and the published ConsumerReturn is not enabled.
        let m = model("publish-before-lock");
        let s = step(&m, &m.init_states()[0], Action::ProducerReserve(1));
        let held = step(&m, &s, Action::ConsumerNext);
        assert!(enabled(&m, &held).contains(&Action::ConsumerReturn));
        let locked = step(&m, &held, Action::ProducerFinalizeLock);
        assert!(locked.held.active && locked.records[0].state == RecordState::Locked);
        assert!(!enabled(&m, &locked).contains(&Action::ConsumerReturn));
        let submitted = step(&m, &locked, Action::ProducerSubmit);
        assert!(!enabled(&m, &submitted).contains(&Action::ConsumerReturn), "same size, other state");
    }

    #[test]
    fn publish_before_lock_lets_the_consumer_hold_uninit() {
        let m = model("publish-before-lock");
        let s = step(&m, &m.init_states()[0], Action::ProducerReserve(1));
        assert_eq!(s.records[0].state, RecordState::Uninit);
        assert!(!enabled(&m, &s).contains(&Action::ProducerSubmit));
        let held = step(&m, &s, Action::ConsumerNext);
        assert_eq!(held.held.state, RecordState::Uninit);
        assert!(!m.safety(&held));
        let locked = step(&m, &s, Action::ProducerFinalizeLock);
        assert_eq!(locked.records[0].state, RecordState::Locked);
        assert!(!enabled(&model("safe"), &s).contains(&Action::ProducerFinalizeLock));
    }
}
