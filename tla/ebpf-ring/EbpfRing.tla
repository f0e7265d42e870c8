------------------------------ MODULE EbpfRing ------------------------------
(***************************************************************************)
(* The eBPF-for-Windows ring buffer, as exposed through the map plumbing   *)
(* in libs/execution_context/ebpf_maps.c (seed 004).                       *)
(*                                                                         *)
(* A producer reserves space for a record, which stays Locked until it is  *)
(* submitted or discarded; the reserve publishes the producer offset.  The *)
(* consumer reads records in order: it waits while the head is Locked,     *)
(* skips a Discarded head, and otherwise holds the head until it returns   *)
(* its space (only while the head is still the record it holds).  A map    *)
(* async query completes once producer > consumer; asyncCompleted is       *)
(* sticky: an async query completed at least once.                         *)
(*                                                                         *)
(* Offsets grow up to MaxOffset and never wrap; liveSize (reserved and not *)
(* yet returned) stays within Capacity.  The consumer must only ever hold  *)
(* a Submitted record.                                                     *)
(*                                                                         *)
(* LockBeforePublish = FALSE is the `publish-before-lock` gap: the reserve *)
(* publishes the offset while the record is still Uninit, and a separate   *)
(* ProducerFinalizeLock locks it later.                                    *)
(*                                                                         *)
(* This follows the published RingBufferModel.tla (microsoft/ebpf-for-     *)
(* windows, models/ring_buffer/, PR #4923) action for action, with one     *)
(* deliberate deviation: the published spec has two reserve actions,       *)
(* ProducerReserve and ProducerReserveBuggyPublish, guarded by             *)
(* BuggyPublishBeforeLock; here one ProducerReserve(sz) appends a Locked   *)
(* or an Uninit record by LockBeforePublish (= ~BuggyPublishBeforeLock).   *)
(* In any one config exactly one of the two is enabled, so the states,     *)
(* the counts and the successor order are the same; only the gap's trace   *)
(* labels read ProducerReserve where the published one reads               *)
(* ProducerReserveBuggyPublish.  (ConsumerNext's CASE is the published     *)
(* nested IF; EXCEPT on the head is the published << [..] >> \o Tail.)     *)
(*                                                                         *)
(* Twin of src/models/ebpf_ring.rs in Protocol Explorer.                   *)
(***************************************************************************)
EXTENDS Integers, Sequences

CONSTANTS
    Capacity,           \* ring capacity, in abstract units
    Sizes,              \* record sizes a producer may reserve
    MaxOffset,          \* bound on the (never wrapping) offsets
    MaxLiveRecords,     \* bound on records reserved and not yet returned
    LockBeforePublish   \* is a record Locked before its offset is published?

ASSUME /\ Capacity \in Nat \ {0}
       /\ Sizes \subseteq Nat \ {0}
       /\ MaxOffset \in Nat
       /\ MaxLiveRecords \in Nat
       /\ LockBeforePublish \in BOOLEAN

VARIABLES
    consumer,        \* consumer offset
    producer,        \* published producer offset
    reserve,         \* reserve offset
    liveSize,        \* space reserved and not yet returned
    records,         \* live records, oldest first: [size, state]
    held,            \* the record the consumer holds: [active, size, state]
    asyncPending,    \* an async query is waiting
    asyncCompleted,  \* sticky: an async query completed at least once
    asyncResult,     \* offsets captured at completion: [consumer, producer]
    tripWire         \* set by the first async query, never cleared

vars == << consumer, producer, reserve, liveSize, records, held,
           asyncPending, asyncCompleted, asyncResult, tripWire >>

RecordStates == {"Uninit", "Locked", "Submitted", "Discarded"}
Offsets == 0..MaxOffset
NotHolding == [active |-> FALSE, size |-> 0, state |-> "Locked"]
HeadIs(s) == Len(records) > 0 /\ Head(records).state = s
AsyncVars == << asyncPending, asyncCompleted, asyncResult, tripWire >>

TypeOK ==
    /\ consumer \in Offsets
    /\ producer \in Offsets
    /\ reserve \in Offsets
    /\ liveSize \in 0..Capacity
    /\ records \in Seq([size : Sizes, state : RecordStates])
    /\ Len(records) <= MaxLiveRecords
    /\ held \in [active : BOOLEAN, size : 0..MaxOffset, state : RecordStates]
    /\ asyncPending \in BOOLEAN
    /\ asyncCompleted \in BOOLEAN
    /\ asyncResult \in [consumer : Offsets, producer : Offsets]
    /\ tripWire \in BOOLEAN

Init ==
    /\ consumer = 0
    /\ producer = 0
    /\ reserve = 0
    /\ liveSize = 0
    /\ records = << >>
    /\ held = NotHolding
    /\ asyncPending = FALSE
    /\ asyncCompleted = FALSE
    /\ asyncResult = [consumer |-> 0, producer |-> 0]
    /\ tripWire = FALSE

-----------------------------------------------------------------------------
(* The producer. *)

ProducerReserve(sz) ==
    /\ liveSize + sz <= Capacity
    /\ reserve + sz <= MaxOffset
    /\ Len(records) < MaxLiveRecords
    /\ records' = Append(records, [size |-> sz, state |-> IF LockBeforePublish THEN "Locked" ELSE "Uninit"])
    /\ reserve' = reserve + sz
    /\ producer' = reserve + sz    \* the reserve publishes the producer offset
    /\ liveSize' = liveSize + sz
    /\ UNCHANGED << consumer, held >> /\ UNCHANGED AsyncVars

\* Only in the gap: the lock that should have preceded publication.
ProducerFinalizeLock ==
    /\ ~LockBeforePublish
    /\ HeadIs("Uninit")
    /\ records' = [records EXCEPT ![1].state = "Locked"]
    /\ UNCHANGED << consumer, producer, reserve, liveSize, held >> /\ UNCHANGED AsyncVars

ProducerSubmit ==
    /\ HeadIs("Locked")
    /\ records' = [records EXCEPT ![1].state = "Submitted"]
    /\ UNCHANGED << consumer, producer, reserve, liveSize, held >> /\ UNCHANGED AsyncVars

ProducerDiscard ==
    /\ HeadIs("Locked")
    /\ records' = [records EXCEPT ![1].state = "Discarded"]
    /\ UNCHANGED << consumer, producer, reserve, liveSize, held >> /\ UNCHANGED AsyncVars

-----------------------------------------------------------------------------
(* The consumer. *)

\* A Locked head is still being written: the consumer sees nothing (a
\* stuttering step).  A Discarded head is skipped and its space returned.
\* Anything else is held.
ConsumerNext ==
    /\ ~held.active
    /\ Len(records) > 0
    /\ LET head == Head(records) IN
         CASE head.state = "Locked" ->
                UNCHANGED vars
           [] head.state = "Discarded" ->
                /\ records' = Tail(records)
                /\ liveSize' = liveSize - head.size
                /\ consumer' = consumer + head.size
                /\ UNCHANGED << producer, reserve, held >> /\ UNCHANGED AsyncVars
           [] OTHER ->
                /\ held' = [active |-> TRUE, size |-> head.size, state |-> head.state]
                /\ UNCHANGED << consumer, producer, reserve, liveSize, records >> /\ UNCHANGED AsyncVars

\* The head is still the record held (nothing else may be returned).
ConsumerReturn ==
    /\ held.active
    /\ Len(records) > 0
    /\ Head(records).size = held.size
    /\ Head(records).state = held.state
    /\ records' = Tail(records)
    /\ liveSize' = liveSize - held.size
    /\ consumer' = consumer + held.size
    /\ held' = NotHolding
    /\ UNCHANGED << producer, reserve >> /\ UNCHANGED AsyncVars

-----------------------------------------------------------------------------
(* The map's async query. *)

AsyncQuery ==
    /\ ~asyncPending
    /\ asyncPending' = TRUE
    /\ tripWire' = TRUE
    /\ UNCHANGED << consumer, producer, reserve, liveSize, records, held, asyncCompleted, asyncResult >>

AsyncCancel ==
    /\ asyncPending
    /\ asyncPending' = FALSE
    /\ UNCHANGED << consumer, producer, reserve, liveSize, records, held, asyncCompleted, asyncResult, tripWire >>

AsyncComplete ==
    /\ asyncPending
    /\ producer > consumer
    /\ asyncPending' = FALSE
    /\ asyncCompleted' = TRUE
    /\ asyncResult' = [consumer |-> consumer, producer |-> producer]
    /\ UNCHANGED << consumer, producer, reserve, liveSize, records, held, tripWire >>

-----------------------------------------------------------------------------
Next ==
    \/ \E sz \in Sizes : ProducerReserve(sz)
    \/ ProducerFinalizeLock
    \/ ProducerSubmit
    \/ ProducerDiscard
    \/ ConsumerNext
    \/ ConsumerReturn
    \/ AsyncQuery
    \/ AsyncCancel
    \/ AsyncComplete

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants. *)

OffsetsConsistent ==
    /\ consumer <= producer
    /\ producer <= reserve
    /\ reserve = consumer + liveSize
    /\ liveSize <= Capacity

\* The consumer only ever holds a Submitted record.
Safety == held.active => held.state = "Submitted"

=============================================================================
