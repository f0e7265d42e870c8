------------------------- MODULE StreamingPersistence -------------------------
(***************************************************************************)
(* redis-rust's streaming persistence (seed 000): a write buffer of deltas *)
(* streamed to an object store as segments, listed in a manifest.          *)
(*                                                                         *)
(* A writer pushes deltas into the server's write buffer (PushDelta,       *)
(* refused by backpressure when the buffer is full) and applies them to    *)
(* the server's memory.  A flush takes the whole buffer as a segment with  *)
(* a fresh id (FlushBuffer), puts the segment into the object store        *)
(* (WriteSegment), lists its id in the manifest (UpdateManifest), and then *)
(* acknowledges its deltas to the writer (Ack).  A Crash loses the         *)
(* server's memory, its buffer and any flush in progress; the object store *)
(* (segments and manifest) survives.  Recover rebuilds the memory from the *)
(* segments the manifest names.  The writer re-pushes every delta it has   *)
(* no acknowledgement for and the server no longer holds.                  *)
(*                                                                         *)
(* Configurations (the three switches):                                    *)
(*   safe             AckOnPush = FALSE, ManifestFirst = FALSE,            *)
(*                    Backpressure = TRUE                                  *)
(*   ack-before-flush AckOnPush = TRUE: a delta is acknowledged when it    *)
(*                    enters the buffer; a crash before the flush loses an *)
(*                    acknowledged delta: DurabilityGuarantee fails.       *)
(*   manifest-first   ManifestFirst = TRUE: the manifest lists the         *)
(*                    segment's id before the segment is written; a crash  *)
(*                    between the two leaves the manifest naming a segment *)
(*                    the store does not hold: ManifestConsistent fails.   *)
(*   no-backpressure  Backpressure = FALSE: PushDelta ignores the bound:   *)
(*                    WriteBufferBounded fails.                            *)
(*   eventually-flushed  safe, under FairSpec: EventualFlush holds.        *)
(*   flush-unfair     safe, under FairSpecNoFlush (no fairness on          *)
(*                    FlushBuffer): the buffer may hold deltas for ever,   *)
(*                    and EventualFlush fails.                             *)
(*                                                                         *)
(* Repairs of the published spec (specs/tla/StreamingPersistence.tla):     *)
(*  1. NULL was never declared, and object_store \in [Nat -> ...] (and     *)
(*     Init's [i \in Nat |-> NULL]) is an infinite function TLC cannot     *)
(*     build.  The object store is the finite set of segments written,     *)
(*     each a record [deltas, id]; the seed's `segments` (the ids          *)
(*     written) is derived from it (SegmentIds).                           *)
(*  2. The flush was one atomic step (segment and manifest together), so   *)
(*     no crash could fall between them and no order of the two could be   *)
(*     wrong.  It is four steps here: FlushBuffer (take the buffer as a    *)
(*     segment with a fresh id), WriteSegment, UpdateManifest, Ack; the    *)
(*     seed had no acknowledgement at all (PROTOCOLS.md's Ack), so its     *)
(*     DurabilityGuarantee had no acknowledged data to speak of.           *)
(*  3. DurabilityGuarantee ("\A seg in manifest : recovered =>             *)
(*     object_store[seg] # NULL \/ seg \notin segments") said nothing      *)
(*     about data and was refuted only by the fault-injection action       *)
(*     SegmentLoss.  Here: in the state a crash leaves, every              *)
(*     acknowledged delta is in a segment the manifest names (Recoverable).*)
(*     SegmentLoss is dropped: the object store is assumed durable (with   *)
(*     it no durability property can hold).                                *)
(*  4. ManifestConsistent was "~crashed => manifest \subseteq segments":   *)
(*     it excused exactly the state a crash leaves.  The manifest and the  *)
(*     segments both live in the object store and survive a crash, so the  *)
(*     property is checked where it matters: in the state a crash leaves   *)
(*     (a Crash can follow every running state and changes no durable      *)
(*     variable, so this covers every moment a crash can strike).          *)
(*  5. NoSegmentIdReuse was "\A s1, s2 : s1 = s2 => TRUE", true of         *)
(*     anything.  Here: two segments (written or being flushed) with one   *)
(*     id are the same segment.                                            *)
(*  6. RecoveryCompleteness was a temporal formula, (crashed /\            *)
(*     ~recovered) ~> (recovered /\ Len(buffer) = 0), true by Recover's    *)
(*     own effect.  Here it is a state predicate on what recovery          *)
(*     rebuilds: a running server's memory holds every acknowledged delta. *)
(*  7. Backpressure tested buffer_size >= MaxBufferSize before adding a    *)
(*     delta, so a delta larger than the room left overshot the bound.     *)
(*     Sizes are counted in deltas here (every delta has size 1, so the    *)
(*     seed's DeltaSize and buffer_size = Len(buffer) * DeltaSize go) and  *)
(*     the push is refused when Len(buffer) = MaxBufferSize.               *)
(*  8. Recover's guard "\A seg in manifest : object_store[seg] # NULL"     *)
(*     made a bad manifest block recovery for ever (a deadlock, not a      *)
(*     violation); recovery here loads what the manifest names and finds,  *)
(*     and ManifestConsistent reports the missing segment.                 *)
(*  9. EventualFlush, (Len(buffer) > 0 /\ ~crashed) ~> (Len(buffer) = 0 \/ *)
(*     crashed), counted a crash that lost the buffer as a flush.  Here    *)
(*     the writer re-pushes what a crash lost, and EventualFlush says that *)
(*     every delta is eventually acknowledged, so durable.                 *)
(* Deliberate deviations:                                                  *)
(*  - `recovered` is dropped: it was always ~crashed.  A crash budget      *)
(*    (crashes < MaxCrashes) keeps the state space finite; the seed's      *)
(*    MaxDeltas (a count flush trigger) is unused by its actions and is    *)
(*    here the number of deltas the writer sends; keys, values and         *)
(*    timestamps of deltas are dropped (a delta is its number).            *)
(*  - ForceFlush (FlushBuffer again) and RecoveredStateValid /             *)
(*    BufferSizeConsistent (true by construction here) are dropped.        *)
(*  - next_segment_id survives a crash (the seed's choice: the id          *)
(*    allocator is durable), so an abandoned flush's id is never reused.   *)
(*  - No SYMMETRY: deltas are told apart by their numbers in traces.       *)
(*  - The liveness configs need MaxSegments >= MaxDeltas + MaxCrashes:     *)
(*    a crash can waste one id (an abandoned or orphaned flush) and every  *)
(*    flush needs a fresh one; with fewer ids EventualFlush fails at the   *)
(*    model's bound, not in the protocol (MaxSegments = 3 shows it).       *)
(*                                                                         *)
(* Twin of src/models/persistence.rs in Protocol Explorer; TLC and the     *)
(* Rust checker must agree on every figure.  Segment records are written   *)
(* [deltas, id] (alphabetical), the constructor first: TLC orders a        *)
(* record's fields by when their names first appear in the spec.           *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
    MaxDeltas,      \* the writer sends deltas 1..MaxDeltas
    MaxBufferSize,  \* the write buffer's capacity, in deltas (backpressure)
    MaxSegments,    \* segment ids 0..MaxSegments-1 (a bound for model checking)
    MaxCrashes,     \* the crash budget
    AckOnPush,      \* TRUE: a delta is acknowledged on push (gap)
    ManifestFirst,  \* TRUE: the manifest is updated before the segment is written (gap)
    Backpressure    \* TRUE: a push is refused while the buffer is full (safe)

ASSUME /\ MaxDeltas \in Nat /\ MaxBufferSize \in Nat
       /\ MaxSegments \in Nat /\ MaxCrashes \in Nat
       /\ AckOnPush \in BOOLEAN /\ ManifestFirst \in BOOLEAN /\ Backpressure \in BOOLEAN

VARIABLES
    buffer,               \* the write buffer: deltas pushed, not yet taken by a flush
    memory,               \* the server's in-memory data: the deltas it holds
    acked,                \* the deltas acknowledged to the writer
    flushing,             \* the flush in progress: {} or {segment}
    object_store,         \* the segments written, each [deltas, id]
    next_segment_id,      \* the id of the next segment
    manifest_segments,    \* the segment ids the manifest lists
    manifest_generation,  \* the manifest's version, one per update
    crashed,              \* the server is down
    crashes               \* crashes so far

vars == <<buffer, memory, acked, flushing, object_store, next_segment_id,
          manifest_segments, manifest_generation, crashed, crashes>>

\* The record constructor, first (see the header).
Segment(ds, i) == [deltas |-> ds, id |-> i]

Deltas == 1..MaxDeltas
SegmentIds == 0..(MaxSegments - 1)
Range(seq) == {seq[i] : i \in DOMAIN seq}

\* The ids of the segments in the object store (the seed's `segments`).
StoredIds == {seg.id : seg \in object_store}

\* The deltas of the flush in progress.
FlushingDeltas == UNION {Range(seg.deltas) : seg \in flushing}

\* What a recovery loads: the deltas of the segments the manifest names that the store holds.
Recoverable == UNION {Range(seg.deltas) : seg \in {s \in object_store : s.id \in manifest_segments}}

--------------------------------------------------------------------------------

TypeOK ==
    /\ buffer \in Seq(Deltas)
    /\ memory \subseteq Deltas
    /\ acked \subseteq Deltas
    /\ \A seg \in flushing \cup object_store : Range(seg.deltas) \subseteq Deltas /\ seg.id \in SegmentIds
    /\ Cardinality(flushing) <= 1
    /\ next_segment_id \in 0..MaxSegments
    /\ manifest_segments \subseteq SegmentIds
    /\ manifest_generation \in Nat
    /\ crashed \in BOOLEAN
    /\ crashes \in 0..MaxCrashes

Init ==
    /\ buffer = <<>>
    /\ memory = {}
    /\ acked = {}
    /\ flushing = {}
    /\ object_store = {}
    /\ next_segment_id = 0
    /\ manifest_segments = {}
    /\ manifest_generation = 0
    /\ crashed = FALSE
    /\ crashes = 0

\* The writer pushes delta d: one it has no acknowledgement for and the server does not hold
\* in its buffer or in the flush in progress (a first send, or a resend after a crash).
PushDelta(d) ==
    /\ ~crashed
    /\ d \notin acked
    /\ d \notin Range(buffer) \cup FlushingDeltas
    /\ Backpressure => Len(buffer) < MaxBufferSize
    /\ buffer' = Append(buffer, d)
    /\ memory' = memory \cup {d}
    /\ acked' = IF AckOnPush THEN acked \cup {d} ELSE acked
    /\ UNCHANGED <<flushing, object_store, next_segment_id, manifest_segments,
                   manifest_generation, crashed, crashes>>

\* A flush starts: the whole buffer becomes a segment with a fresh id.
FlushBuffer ==
    /\ ~crashed
    /\ flushing = {}
    /\ Len(buffer) > 0
    /\ next_segment_id < MaxSegments
    /\ flushing' = {Segment(buffer, next_segment_id)}
    /\ buffer' = <<>>
    /\ next_segment_id' = next_segment_id + 1
    /\ UNCHANGED <<memory, acked, object_store, manifest_segments, manifest_generation,
                   crashed, crashes>>

\* The flush puts its segment into the object store (safe: before the manifest names it).
WriteSegment ==
    /\ ~crashed
    /\ \E seg \in flushing :
        /\ seg \notin object_store
        /\ ManifestFirst => seg.id \in manifest_segments
        /\ object_store' = object_store \cup {seg}
    /\ UNCHANGED <<buffer, memory, acked, flushing, next_segment_id, manifest_segments,
                   manifest_generation, crashed, crashes>>

\* The flush lists its segment in the manifest (safe: once the segment is written).
UpdateManifest ==
    /\ ~crashed
    /\ \E seg \in flushing :
        /\ seg.id \notin manifest_segments
        /\ ~ManifestFirst => seg \in object_store
        /\ manifest_segments' = manifest_segments \cup {seg.id}
        /\ manifest_generation' = manifest_generation + 1
    /\ UNCHANGED <<buffer, memory, acked, flushing, object_store, next_segment_id,
                   crashed, crashes>>

\* The flush is done (segment written and listed): its deltas are acknowledged.
Ack ==
    /\ ~crashed
    /\ \E seg \in flushing :
        /\ seg \in object_store
        /\ seg.id \in manifest_segments
        /\ acked' = acked \cup Range(seg.deltas)
    /\ flushing' = {}
    /\ UNCHANGED <<buffer, memory, object_store, next_segment_id, manifest_segments,
                   manifest_generation, crashed, crashes>>

\* The server crashes: its memory, its buffer and the flush in progress are lost.
Crash ==
    /\ ~crashed
    /\ crashes < MaxCrashes
    /\ crashed' = TRUE
    /\ crashes' = crashes + 1
    /\ buffer' = <<>>
    /\ memory' = {}
    /\ flushing' = {}
    /\ UNCHANGED <<acked, object_store, next_segment_id, manifest_segments, manifest_generation>>

\* The server restarts and rebuilds its memory from the segments the manifest names.
Recover ==
    /\ crashed
    /\ crashed' = FALSE
    /\ memory' = Recoverable
    /\ UNCHANGED <<buffer, acked, flushing, object_store, next_segment_id, manifest_segments,
                   manifest_generation, crashes>>

Next ==
    \/ \E d \in Deltas : PushDelta(d)
    \/ FlushBuffer
    \/ WriteSegment
    \/ UpdateManifest
    \/ Ack
    \/ Crash
    \/ Recover

Spec == Init /\ [][Next]_vars

--------------------------------------------------------------------------------
(* Invariants. *)

\* The buffer never holds more than its capacity.
WriteBufferBounded == Len(buffer) <= MaxBufferSize

\* Every segment id in use (written, being flushed, or listed) was handed out before.
SegmentIdMonotonic ==
    \A i \in StoredIds \cup {seg.id : seg \in flushing} \cup manifest_segments : i < next_segment_id

\* In the state a crash leaves, the manifest names only segments the object store holds.
ManifestConsistent == crashed => manifest_segments \subseteq StoredIds

\* Two segments (written or being flushed) with the same id are the same segment.
NoSegmentIdReuse == \A a, b \in object_store \cup flushing : a.id = b.id => a = b

\* In the state a crash leaves, every acknowledged delta is in a segment the manifest names.
DurabilityGuarantee == crashed => acked \subseteq Recoverable

\* A running server holds every acknowledged delta (after a crash: recovery reloaded it).
RecoveryCompleteness == ~crashed => acked \subseteq memory

--------------------------------------------------------------------------------
(* Liveness. *)

\* Every delta is eventually acknowledged, so durable: what a crash lost is sent again and flushed.
EventualFlush == <>(acked = Deltas)

\* The writer keeps sending what is unacknowledged; the server keeps flushing and recovers.
FairSpec ==
    /\ Spec
    /\ WF_vars(\E d \in Deltas : PushDelta(d))
    /\ WF_vars(FlushBuffer) /\ WF_vars(WriteSegment) /\ WF_vars(UpdateManifest) /\ WF_vars(Ack)
    /\ WF_vars(Recover)

\* The same without fairness on FlushBuffer: the server need never start a flush.
FairSpecNoFlush ==
    /\ Spec
    /\ WF_vars(\E d \in Deltas : PushDelta(d))
    /\ WF_vars(WriteSegment) /\ WF_vars(UpdateManifest) /\ WF_vars(Ack)
    /\ WF_vars(Recover)

================================================================================
