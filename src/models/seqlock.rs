//! `seqlock`: the Photon Ring single-producer, multi-consumer ring whose slots are guarded by
//! seqlock stamps (seed 002). Twin: `tla/seqlock/Seqlock.tla`.
//!
//! The writer publishes sequence `s` into slot `s % RingSize` in three steps: an odd stamp
//! `2s+1` (writing), the value, then the even stamp `2s+2` (done) and the published cursor. A
//! reader loads the slot's stamp, loads the value if the stamp says its sequence is there, and
//! loads the stamp again: only if both loads agree is the value whole. A reader that finds a newer
//! sequence in its slot has been lapped and jumps forward to the oldest sequence still in the ring.
//!
//! Configurations: `safe`; `no-verify` (the second stamp is loaded but not compared: a torn value is
//! returned); `seed-invariant` (the protocol as designed, checked against the seed's own NoTornRead,
//! "result = cursor − 1", which the lag jump refutes though nothing torn is ever returned).
//!
//! The file reads like its twin, in the same order: constants, variables, `TypeOK`, `Init`, one
//! function per action (guard and effect; `None` when not enabled), `Next`, the invariants, then
//! TLC's plumbing (TLA+ values).

use crate::engine::{
    Checks, ConfigSpec, ConstKind, ConstSpec, Constants, FairSpec, Fairness, FairnessKind, LivenessProperty, Model, ModelDef, ModelInfo, Temporal, Value,
};

// ---- CONSTANTS ----

pub struct Seqlock {
    pub num_readers: usize,
    pub ring_size: usize,
    pub max_seq: i32,
    /// `VerifyStamps` in the twin: FALSE in the `no-verify` gap.
    pub verify_stamps: bool,
    /// What this config checks.
    checks: Checks<Seqlock>,
}

impl ModelDef for Seqlock {
    const TWINS: &'static [&'static str] = &[include_str!("../../tla/seqlock/Seqlock.tla")];

    fn info() -> ModelInfo {
        ModelInfo {
            name: "seqlock",
            title: "Photon Ring seqlock ring",
            story: "One writer, many readers, slots guarded by seqlock stamps: a reader trusts a value only if the slot's stamp is the same before and after it reads.",
            source: "seed 002: Photon Ring SPMC seqlock-stamped ring buffer (TLA+ spec and README)",
            tla_module: "Seqlock",
            constants: vec![
                ConstSpec { name: "NumReaders", doc: "Number of readers.", kind: ConstKind::Int { min: 1, max: 4 }, default: "2" },
                ConstSpec { name: "RingSize", doc: "Number of slots in the ring.", kind: ConstKind::Int { min: 1, max: 6 }, default: "2" },
                ConstSpec {
                    name: "MaxSeq",
                    doc: "The last sequence the writer publishes (it writes 0..MaxSeq).",
                    kind: ConstKind::Int { min: 0, max: 10 },
                    default: "4",
                },
            ],
            configs: vec![
                ConfigSpec {
                    name: "safe",
                    summary: "The protocol as designed: a reader commits a value only if the slot's stamp is unchanged after reading it.",
                    expect: None,
                    tla_switches: &[("VerifyStamps", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "no-verify",
                    summary: "ReaderVerify commits without comparing the two stamps, so a value the writer overwrote mid-read is returned: NoTornRead fails.",
                    expect: Some("NoTornRead"),
                    tla_switches: &[("VerifyStamps", "FALSE")],
                    alters: &["ReaderVerify"],
                },
                ConfigSpec {
                    name: "seed-invariant",
                    summary: "The safe protocol checked against the seed's own NoTornRead (result = cursor − 1), which a lag jump refutes though no torn value is ever returned.",
                    expect: Some("SeedNoTornRead"),
                    tla_switches: &[("VerifyStamps", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "progress",
                    summary: "The safe protocol with weak fairness on the writer and on each reader separately: once something is published, every reader eventually commits a value (ReaderProgress holds).",
                    expect: None,
                    tla_switches: &[("VerifyStamps", "TRUE")],
                    alters: &[],
                },
                ConfigSpec {
                    name: "progress-next-only",
                    summary: "The seed's fairness, weak fairness on Next as a whole: one reader may spin for ever while another never moves, so ReaderProgress fails.",
                    expect: Some("ReaderProgress"),
                    tla_switches: &[("VerifyStamps", "TRUE")],
                    alters: &[],
                },
            ],
            meanings: &[
                ("TypeOK", "Every variable holds a value of its declared kind: stamps, values, cursors and program counters stay in their ranges."),
                ("ResultIsValid", "A reader only ever commits a sequence number the writer actually publishes (or still holds -1, nothing yet)."),
                ("NoTornRead", "A reader's committed result is always behind its own position: it never returns a value newer than the sequence it was reading."),
                ("SeedNoTornRead", "A reader's committed result is exactly the sequence just before its position (the seed's stricter form, broken by a lag jump)."),
                ("ReaderProgress", "Once the writer has published something, every reader eventually commits a value."),
                ("WriterBegin", "The writer marks the slot of its next sequence as being written by storing an odd stamp."),
                ("WriterData", "The writer stores the sequence's value in the slot."),
                ("WriterFinish", "The writer stores the even done stamp, publishes the sequence through the cursor and moves to the next one."),
                ("ReaderLoadStamp1", "A reader loads the stamp of the slot its next sequence lives in."),
                ("ReaderRetryOdd", "A reader saw an odd stamp (a write in progress) and starts over."),
                ("ReaderStampMismatch", "A reader saw the done stamp of another sequence: if newer it was lapped and jumps ahead, if older it waits."),
                ("ReaderLoadValue", "A reader whose stamp matches its sequence loads the slot's value."),
                ("ReaderVerify", "A reader loads the stamp again and commits the value if it is unchanged (with no-verify, without comparing)."),
            ],
        }
    }

    fn build(config: &ConfigSpec, constants: &Constants) -> Result<Self, String> {
        let checks = Checks::new()
            .invariant("TypeOK", Seqlock::type_ok)
            .invariant("ResultIsValid", Seqlock::result_is_valid)
            .invariant("NoTornRead", Seqlock::no_torn_read)
            .invariant_if(config.name == "seed-invariant", "SeedNoTornRead", Seqlock::seed_no_torn_read)
            .fair_spec(match config.name {
                "progress" => Some(FairSpec {
                    name: "FairSpecPerProcess",
                    fairness: vec![Seqlock::WF_WRITER, Seqlock::WF_EACH_READER],
                    properties: vec![Seqlock::READER_PROGRESS],
                }),
                "progress-next-only" => Some(FairSpec { name: "FairSpec", fairness: vec![Seqlock::WF_NEXT], properties: vec![Seqlock::READER_PROGRESS] }),
                _ => None,
            });
        Ok(Seqlock {
            num_readers: constants.int("NumReaders") as usize,
            ring_size: constants.int("RingSize") as usize,
            max_seq: constants.int("MaxSeq") as i32,
            verify_stamps: config.switch("VerifyStamps"),
            checks,
        })
    }
}

// ---- VARIABLES ----

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WriterPc {
    Idle,
    Stamped,
    Written,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReaderPc {
    Idle,
    Stamp1,
    Reading,
}

impl WriterPc {
    pub fn name(self) -> &'static str {
        match self {
            WriterPc::Idle => "idle",
            WriterPc::Stamped => "stamped",
            WriterPc::Written => "written",
        }
    }
}

impl ReaderPc {
    pub fn name(self) -> &'static str {
        match self {
            ReaderPc::Idle => "idle",
            ReaderPc::Stamp1 => "stamp1",
            ReaderPc::Reading => "reading",
        }
    }
}

/// One ring slot: `ring[i]` in the twin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    pub stamp: i32,
    pub value: i32,
}

/// One reader's registers: `readerPC[r]`, `readerCursor[r]`, `readStamp1[r]`, `readValue[r]`,
/// `readStamp2[r]`, `readResult[r]` in the twin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reader {
    pub pc: ReaderPc,
    /// The next sequence this reader will read.
    pub cursor: i32,
    pub stamp1: i32,
    pub value: i32,
    pub stamp2: i32,
    /// The last committed value, −1 before the first.
    pub result: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub ring: Vec<Slot>,
    /// The last published sequence, −1 before the first.
    pub cursor: i32,
    pub writer_pc: WriterPc,
    /// The sequence the writer is writing or will write next.
    pub writer_seq: i32,
    pub readers: Vec<Reader>,
}

impl Seqlock {
    pub fn slot_of(&self, seq: i32) -> usize {
        seq.rem_euclid(self.ring_size as i32) as usize
    }

    /// `DoneStamp(seq)`: the stamp of a slot holding sequence `seq`, fully written.
    pub fn done_stamp(seq: i32) -> i32 {
        2 * seq + 2
    }

    // ---- TypeOK ----

    /// Not declared true by construction: WriterData and WriterFinish stay in range only because
    /// a writer past WriterBegin has `writer_seq <= MaxSeq`, a fact about pc and seq together.
    fn type_ok(&self, s: &State) -> bool {
        let stamps = 0..=2 * self.max_seq + 2;
        let values = -1..=self.max_seq;
        s.ring.len() == self.ring_size
            && s.ring.iter().all(|slot| stamps.contains(&slot.stamp) && values.contains(&slot.value))
            && values.contains(&s.cursor)
            && (0..=self.max_seq + 1).contains(&s.writer_seq)
            && s.readers.len() == self.num_readers
            && s.readers.iter().all(|r| {
                (0..=self.max_seq + 1).contains(&r.cursor)
                    && stamps.contains(&r.stamp1)
                    && stamps.contains(&r.stamp2)
                    && values.contains(&r.value)
                    && values.contains(&r.result)
            })
    }

    // ---- Init ----

    fn init(&self) -> State {
        State {
            ring: vec![Slot { stamp: 0, value: -1 }; self.ring_size],
            cursor: -1,
            writer_pc: WriterPc::Idle,
            writer_seq: 0,
            readers: vec![Reader { pc: ReaderPc::Idle, cursor: 0, stamp1: 0, value: -1, stamp2: 0, result: -1 }; self.num_readers],
        }
    }

    // ---- The writer ----

    /// `WriterBegin`: the odd stamp tells readers the slot is being written.
    fn writer_begin(&self, s: &State) -> Option<State> {
        if !(s.writer_pc == WriterPc::Idle && s.writer_seq <= self.max_seq) {
            return None;
        }
        let mut t = s.clone();
        t.ring[self.slot_of(s.writer_seq)].stamp = 2 * s.writer_seq + 1;
        t.writer_pc = WriterPc::Stamped;
        Some(t)
    }

    /// `WriterData`.
    fn writer_data(&self, s: &State) -> Option<State> {
        if s.writer_pc != WriterPc::Stamped {
            return None;
        }
        let mut t = s.clone();
        t.ring[self.slot_of(s.writer_seq)].value = s.writer_seq;
        t.writer_pc = WriterPc::Written;
        Some(t)
    }

    /// `WriterFinish`.
    fn writer_finish(&self, s: &State) -> Option<State> {
        if s.writer_pc != WriterPc::Written {
            return None;
        }
        let mut t = s.clone();
        t.ring[self.slot_of(s.writer_seq)].stamp = Self::done_stamp(s.writer_seq);
        t.cursor = s.writer_seq;
        t.writer_seq = s.writer_seq + 1;
        t.writer_pc = WriterPc::Idle;
        Some(t)
    }

    // ---- A reader ----

    /// `ReaderLoadStamp1(r)`.
    fn reader_load_stamp1(&self, s: &State, r: usize) -> Option<State> {
        if s.readers[r].pc != ReaderPc::Idle {
            return None;
        }
        let mut t = s.clone();
        t.readers[r].stamp1 = s.ring[self.slot_of(s.readers[r].cursor)].stamp;
        t.readers[r].pc = ReaderPc::Stamp1;
        Some(t)
    }

    /// `ReaderRetryOdd(r)`.
    fn reader_retry_odd(&self, s: &State, r: usize) -> Option<State> {
        let rd = &s.readers[r];
        if !(rd.pc == ReaderPc::Stamp1 && rd.stamp1 % 2 == 1) {
            return None;
        }
        let mut t = s.clone();
        t.readers[r].pc = ReaderPc::Idle;
        Some(t)
    }

    /// `ReaderStampMismatch(r)`: an even stamp of another sequence: larger means the reader was
    /// lapped and jumps to the oldest sequence still in the ring; smaller means its sequence is not
    /// published yet.
    fn reader_stamp_mismatch(&self, s: &State, r: usize) -> Option<State> {
        let rd = s.readers[r];
        if !(rd.pc == ReaderPc::Stamp1 && rd.stamp1 % 2 == 0 && rd.stamp1 != Self::done_stamp(rd.cursor)) {
            return None;
        }
        let mut t = s.clone();
        if rd.stamp1 > Self::done_stamp(rd.cursor) {
            let oldest = s.cursor - self.ring_size as i32 + 1;
            t.readers[r].cursor = rd.cursor.max(oldest).max(0);
        }
        t.readers[r].pc = ReaderPc::Idle;
        Some(t)
    }

    /// `ReaderLoadValue(r)`.
    fn reader_load_value(&self, s: &State, r: usize) -> Option<State> {
        let rd = &s.readers[r];
        if !(rd.pc == ReaderPc::Stamp1 && rd.stamp1 == Self::done_stamp(rd.cursor)) {
            return None;
        }
        let mut t = s.clone();
        t.readers[r].value = s.ring[self.slot_of(rd.cursor)].value;
        t.readers[r].pc = ReaderPc::Reading;
        Some(t)
    }

    /// `ReaderVerify(r)`: commits the value if the second stamp equals the first (or always, when
    /// `VerifyStamps` is off).
    fn reader_verify(&self, s: &State, r: usize) -> Option<State> {
        let rd = s.readers[r];
        if rd.pc != ReaderPc::Reading {
            return None;
        }
        let mut t = s.clone();
        let stamp2 = s.ring[self.slot_of(rd.cursor)].stamp;
        t.readers[r].stamp2 = stamp2;
        if stamp2 == rd.stamp1 || !self.verify_stamps {
            t.readers[r].result = rd.value;
            t.readers[r].cursor = rd.cursor + 1;
        }
        t.readers[r].pc = ReaderPc::Idle;
        Some(t)
    }

    // ---- Next ----

    /// `Next`'s candidates, in its disjunct order, each reader action over Readers ascending.
    fn next(&self, _s: &State, out: &mut Vec<Action>) {
        out.extend([Action::WriterBegin, Action::WriterData, Action::WriterFinish]);
        for family in [Action::ReaderLoadStamp1, Action::ReaderRetryOdd, Action::ReaderStampMismatch, Action::ReaderLoadValue, Action::ReaderVerify] {
            out.extend((0..self.num_readers).map(family));
        }
    }

    /// The successor by `action`, or `None` if it is not enabled.
    fn take(&self, s: &State, action: &Action) -> Option<State> {
        match *action {
            Action::WriterBegin => self.writer_begin(s),
            Action::WriterData => self.writer_data(s),
            Action::WriterFinish => self.writer_finish(s),
            Action::ReaderLoadStamp1(r) => self.reader_load_stamp1(s, r),
            Action::ReaderRetryOdd(r) => self.reader_retry_odd(s, r),
            Action::ReaderStampMismatch(r) => self.reader_stamp_mismatch(s, r),
            Action::ReaderLoadValue(r) => self.reader_load_value(s, r),
            Action::ReaderVerify(r) => self.reader_verify(s, r),
        }
    }
}

/// An action of `Next`. Readers are numbered from 0 here and from 1 in the twin and in labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    WriterBegin,
    WriterData,
    WriterFinish,
    ReaderLoadStamp1(usize),
    ReaderRetryOdd(usize),
    ReaderStampMismatch(usize),
    ReaderLoadValue(usize),
    ReaderVerify(usize),
}

impl Action {
    /// One action of each of `Next`'s disjuncts, in order.
    const FAMILIES: [Action; 8] = [
        Action::WriterBegin,
        Action::WriterData,
        Action::WriterFinish,
        Action::ReaderLoadStamp1(0),
        Action::ReaderRetryOdd(0),
        Action::ReaderStampMismatch(0),
        Action::ReaderLoadValue(0),
        Action::ReaderVerify(0),
    ];

    /// The twin's name of the action.
    pub fn name(&self) -> &'static str {
        match self {
            Action::WriterBegin => "WriterBegin",
            Action::WriterData => "WriterData",
            Action::WriterFinish => "WriterFinish",
            Action::ReaderLoadStamp1(_) => "ReaderLoadStamp1",
            Action::ReaderRetryOdd(_) => "ReaderRetryOdd",
            Action::ReaderStampMismatch(_) => "ReaderStampMismatch",
            Action::ReaderLoadValue(_) => "ReaderLoadValue",
            Action::ReaderVerify(_) => "ReaderVerify",
        }
    }

    /// The reader (from 0) of a reader action.
    pub fn reader(&self) -> Option<usize> {
        match *self {
            Action::WriterBegin | Action::WriterData | Action::WriterFinish => None,
            Action::ReaderLoadStamp1(r) | Action::ReaderRetryOdd(r) | Action::ReaderStampMismatch(r) | Action::ReaderLoadValue(r) | Action::ReaderVerify(r) => {
                Some(r)
            }
        }
    }
}

impl Seqlock {
    // ---- Invariants ----

    /// Every committed result is a sequence the writer publishes.
    fn result_is_valid(&self, s: &State) -> bool {
        s.readers.iter().all(|r| r.result == -1 || (0..=self.max_seq).contains(&r.result))
    }

    /// A committed result is never ahead of the reader's own position. A torn value is always a
    /// newer sequence than the one being read, so this catches it; a lag jump only moves the
    /// position forward, so it does not count as one.
    fn no_torn_read(&self, s: &State) -> bool {
        s.readers.iter().all(|r| r.result < r.cursor)
    }

    /// The seed's form: a committed result is exactly the sequence before the reader's position.
    /// Too strict: after a lag jump the reader's position moves on while its last result stays.
    fn seed_no_torn_read(&self, s: &State) -> bool {
        s.readers.iter().all(|r| r.result == -1 || r.result == r.cursor - 1)
    }

    // ---- Liveness ----

    /// `ReaderProgress == cursor >= 0 ~> \A r \in Readers : readResult[r] # -1`: once something is
    /// published, every reader eventually commits a value (a result never returns to −1).
    const READER_PROGRESS: LivenessProperty<Seqlock> =
        LivenessProperty { name: "ReaderProgress", kind: Temporal::LeadsTo, p: Seqlock::published, q: Some(Seqlock::every_reader_committed) };

    /// `cursor >= 0`.
    fn published(&self, s: &State) -> bool {
        s.cursor >= 0
    }

    /// `\A r \in Readers : readResult[r] # -1`.
    fn every_reader_committed(&self, s: &State) -> bool {
        s.readers.iter().all(|r| r.result != -1)
    }

    // ---- Fairness ----

    /// `WF_vars(Next)`: the seed's FairSpec.
    const WF_NEXT: Fairness<Seqlock> = Fairness { kind: FairnessKind::Weak, name: "WF_vars(Next)", instance: |_, _| Some(0) };

    /// `WF_vars(Writer)`, `Writer == WriterBegin \/ WriterData \/ WriterFinish`.
    const WF_WRITER: Fairness<Seqlock> =
        Fairness { kind: FairnessKind::Weak, name: "WF_vars(Writer)", instance: |_, a| if a.reader().is_none() { Some(0) } else { None } };

    /// `\A r \in Readers : WF_vars(Reader(r))`, `Reader(r)` the disjunction of r's five actions.
    const WF_EACH_READER: Fairness<Seqlock> =
        Fairness { kind: FairnessKind::Weak, name: "\\A r \\in Readers : WF_vars(Reader(r))", instance: |_, a| a.reader().map(|r| r as u32) };
}

impl Model for Seqlock {
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
        match action.reader() {
            Some(r) => format!("{}({})", action.name(), r + 1),
            None => action.name().to_string(),
        }
    }

    fn action_names(&self) -> Vec<&'static str> {
        Action::FAMILIES.iter().map(Action::name).collect()
    }

    fn checks(&self) -> &Checks<Self> {
        &self.checks
    }

    fn variables(&self) -> &'static [&'static str] {
        &["ring", "cursor", "writerPC", "writerSeq", "readerPC", "readerCursor", "readStamp1", "readValue", "readStamp2", "readResult"]
    }

    fn to_tla(&self, s: &State) -> Vec<Value> {
        let per_reader = |f: &dyn Fn(&Reader) -> Value| Value::Tuple(s.readers.iter().map(f).collect());
        vec![
            Value::func(
                s.ring.iter().enumerate().map(|(i, slot)| {
                    (Value::Int(i as i64), Value::record([("stamp", Value::Int(slot.stamp as i64)), ("value", Value::Int(slot.value as i64))]))
                }),
            ),
            Value::Int(s.cursor as i64),
            Value::str(s.writer_pc.name()),
            Value::Int(s.writer_seq as i64),
            per_reader(&|r| Value::str(r.pc.name())),
            per_reader(&|r| Value::Int(r.cursor as i64)),
            per_reader(&|r| Value::Int(r.stamp1 as i64)),
            per_reader(&|r| Value::Int(r.value as i64)),
            per_reader(&|r| Value::Int(r.stamp2 as i64)),
            per_reader(&|r| Value::Int(r.result as i64)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::testing::{self, enabled, take as step};

    fn model(config: &str) -> Seqlock {
        testing::model(config)
    }

    fn publish(m: &Seqlock, s: &State) -> State {
        let s = step(m, s, Action::WriterBegin);
        let s = step(m, &s, Action::WriterData);
        step(m, &s, Action::WriterFinish)
    }

    #[test]
    fn writer_publishes_in_three_steps() {
        let m = model("safe");
        let s0 = m.init_states().remove(0);
        let s1 = step(&m, &s0, Action::WriterBegin);
        assert_eq!(s1.ring[0], Slot { stamp: 1, value: -1 });
        assert_eq!(s1.writer_pc, WriterPc::Stamped);
        assert!(!enabled(&m, &s1).contains(&Action::WriterBegin));
        let s2 = step(&m, &s1, Action::WriterData);
        assert_eq!(s2.ring[0], Slot { stamp: 1, value: 0 });
        let s3 = step(&m, &s2, Action::WriterFinish);
        assert_eq!(s3.ring[0], Slot { stamp: 2, value: 0 });
        assert_eq!((s3.cursor, s3.writer_seq, s3.writer_pc), (0, 1, WriterPc::Idle));
    }

    #[test]
    fn writer_stops_after_max_seq() {
        let m = model("safe");
        let mut s = m.init_states().remove(0);
        for _ in 0..=m.max_seq {
            s = publish(&m, &s);
        }
        assert_eq!(s.writer_seq, m.max_seq + 1);
        assert!(!enabled(&m, &s).contains(&Action::WriterBegin));
        // Slot of the last sequence holds its done stamp.
        assert_eq!(s.ring[m.slot_of(m.max_seq)].stamp, 2 * m.max_seq + 2);
    }

    #[test]
    fn reader_reads_a_published_value() {
        let m = model("safe");
        let s = publish(&m, &m.init_states()[0]);
        let s = step(&m, &s, Action::ReaderLoadStamp1(0));
        assert_eq!(s.readers[0].stamp1, 2);
        assert_eq!(enabled(&m, &s).iter().filter(|a| matches!(a, Action::ReaderLoadValue(0))).count(), 1);
        let s = step(&m, &s, Action::ReaderLoadValue(0));
        assert_eq!(s.readers[0].value, 0);
        let s = step(&m, &s, Action::ReaderVerify(0));
        assert_eq!((s.readers[0].result, s.readers[0].cursor, s.readers[0].pc), (0, 1, ReaderPc::Idle));
        assert!(m.no_torn_read(&s) && m.seed_no_torn_read(&s));
    }

    #[test]
    fn reader_retries_on_odd_stamp() {
        let m = model("safe");
        let s = step(&m, &m.init_states()[0], Action::WriterBegin);
        let s = step(&m, &s, Action::ReaderLoadStamp1(1));
        assert_eq!(s.readers[1].stamp1, 1);
        let acts = enabled(&m, &s);
        assert!(acts.contains(&Action::ReaderRetryOdd(1)));
        assert!(!acts.contains(&Action::ReaderLoadValue(1)) && !acts.contains(&Action::ReaderStampMismatch(1)));
        let s = step(&m, &s, Action::ReaderRetryOdd(1));
        assert_eq!(s.readers[1].pc, ReaderPc::Idle);
    }

    #[test]
    fn unpublished_slot_is_a_mismatch_that_keeps_the_cursor() {
        let m = model("safe");
        let s = step(&m, &m.init_states()[0], Action::ReaderLoadStamp1(0));
        assert!(enabled(&m, &s).contains(&Action::ReaderStampMismatch(0)));
        let s = step(&m, &s, Action::ReaderStampMismatch(0));
        assert_eq!((s.readers[0].cursor, s.readers[0].pc), (0, ReaderPc::Idle));
    }

    #[test]
    fn lapped_reader_jumps_to_oldest_in_ring() {
        let m = model("safe");
        let mut s = m.init_states().remove(0);
        for _ in 0..3 {
            s = publish(&m, &s); // sequences 0, 1, 2; slot 0 now holds 2
        }
        let s = step(&m, &s, Action::ReaderLoadStamp1(0));
        assert_eq!(s.readers[0].stamp1, 6);
        let s = step(&m, &s, Action::ReaderStampMismatch(0));
        // oldest in the ring = cursor − RingSize + 1 = 2 − 2 + 1 = 1
        assert_eq!(s.readers[0].cursor, 1);
    }

    #[test]
    fn verify_discards_a_value_overwritten_mid_read() {
        for (config, torn) in [("safe", false), ("no-verify", true)] {
            let m = model(config);
            let mut s = publish(&m, &m.init_states()[0]);
            s = step(&m, &s, Action::ReaderLoadStamp1(0)); // stamp1 = 2 (sequence 0)
            s = publish(&m, &s); // sequence 1 into slot 1
            s = step(&m, &s, Action::WriterBegin); // sequence 2 into slot 0
            s = step(&m, &s, Action::WriterData);
            s = step(&m, &s, Action::ReaderLoadValue(0)); // loads 2: torn
            s = step(&m, &s, Action::ReaderVerify(0));
            assert_eq!(s.readers[0].stamp2, 5);
            if torn {
                assert_eq!((s.readers[0].result, s.readers[0].cursor), (2, 1));
                assert!(!m.no_torn_read(&s));
            } else {
                assert_eq!((s.readers[0].result, s.readers[0].cursor), (-1, 0));
                assert!(m.no_torn_read(&s));
            }
        }
    }

    #[test]
    fn seed_invariant_fails_after_a_lag_jump() {
        let m = model("seed-invariant");
        let mut s = publish(&m, &m.init_states()[0]);
        s = step(&m, &s, Action::ReaderLoadStamp1(0));
        s = step(&m, &s, Action::ReaderLoadValue(0));
        s = step(&m, &s, Action::ReaderVerify(0)); // result 0, cursor 1
        for _ in 0..3 {
            s = publish(&m, &s); // 1, 2, 3: slot 1 holds 3
        }
        s = step(&m, &s, Action::ReaderLoadStamp1(0));
        s = step(&m, &s, Action::ReaderStampMismatch(0));
        assert_eq!(s.readers[0].cursor, 2);
        assert!(m.no_torn_read(&s));
        assert!(!m.seed_no_torn_read(&s));
    }

    #[test]
    fn labels_number_readers_from_one() {
        let m = model("safe");
        assert_eq!(m.action_label(&Action::ReaderVerify(1)), "ReaderVerify(2)");
        assert_eq!(m.action_label(&Action::WriterBegin), "WriterBegin");
    }
}
