------------------------------ MODULE Seqlock ------------------------------
(***************************************************************************)
(* The Photon Ring single-producer, multi-consumer ring buffer, whose      *)
(* slots are guarded by seqlock stamps (seed 002).                         *)
(*                                                                         *)
(* The writer publishes sequence s into slot s % RingSize in three steps:  *)
(* it stores the odd stamp 2s+1 ("being written"), then the value, then    *)
(* the even stamp 2s+2 ("done") together with the published cursor.  A     *)
(* reader loads its slot's stamp; if the stamp says its sequence is there  *)
(* it loads the value and then the stamp again, and commits the value only *)
(* if both stamp loads agree.  A reader that finds a newer sequence in its *)
(* slot has been lapped and jumps to the oldest sequence still in the ring.*)
(*                                                                         *)
(* VerifyStamps = FALSE is the `no-verify` gap: the second stamp is loaded *)
(* but not compared, and a value overwritten mid-read is returned.         *)
(*                                                                         *)
(* Twin of src/models/seqlock.rs in Protocol Explorer; TLC and the Rust    *)
(* checker must agree on every figure.                                     *)
(***************************************************************************)
EXTENDS Integers

CONSTANTS
    NumReaders,     \* number of readers
    RingSize,       \* number of slots
    MaxSeq,         \* the writer publishes sequences 0..MaxSeq
    VerifyStamps    \* does ReaderVerify compare the two stamps?

ASSUME /\ NumReaders \in Nat \ {0}
       /\ RingSize \in Nat \ {0}
       /\ MaxSeq \in Nat
       /\ VerifyStamps \in BOOLEAN

VARIABLES
    ring,           \* ring[i] = [stamp, value] of slot i
    cursor,         \* the last published sequence, -1 before the first
    writerPC,       \* "idle", "stamped" or "written"
    writerSeq,      \* the sequence being written, or next to write
    readerPC,       \* readerPC[r] \in {"idle", "stamp1", "reading"}
    readerCursor,   \* the next sequence reader r will read
    readStamp1,     \* the stamp r loaded before reading the value
    readValue,      \* the value r loaded
    readStamp2,     \* the stamp r loaded after reading the value
    readResult      \* the last value r committed, -1 before the first

vars == << ring, cursor, writerPC, writerSeq, readerPC, readerCursor,
           readStamp1, readValue, readStamp2, readResult >>

Readers == 1..NumReaders
Slots == 0..(RingSize - 1)
Stamps == 0..(2 * MaxSeq + 2)
Values == -1..MaxSeq

SlotOf(seq) == seq % RingSize
DoneStamp(seq) == 2 * seq + 2
Max(a, b) == IF a >= b THEN a ELSE b

TypeOK ==
    /\ ring \in [Slots -> [stamp : Stamps, value : Values]]
    /\ cursor \in Values
    /\ writerPC \in {"idle", "stamped", "written"}
    /\ writerSeq \in 0..(MaxSeq + 1)
    /\ readerPC \in [Readers -> {"idle", "stamp1", "reading"}]
    /\ readerCursor \in [Readers -> 0..(MaxSeq + 1)]
    /\ readStamp1 \in [Readers -> Stamps]
    /\ readValue \in [Readers -> Values]
    /\ readStamp2 \in [Readers -> Stamps]
    /\ readResult \in [Readers -> Values]

Init ==
    /\ ring = [i \in Slots |-> [stamp |-> 0, value |-> -1]]
    /\ cursor = -1
    /\ writerPC = "idle"
    /\ writerSeq = 0
    /\ readerPC = [r \in Readers |-> "idle"]
    /\ readerCursor = [r \in Readers |-> 0]
    /\ readStamp1 = [r \in Readers |-> 0]
    /\ readValue = [r \in Readers |-> -1]
    /\ readStamp2 = [r \in Readers |-> 0]
    /\ readResult = [r \in Readers |-> -1]

ReaderVars == << readerPC, readerCursor, readStamp1, readValue, readStamp2, readResult >>

-----------------------------------------------------------------------------
(* The writer. *)

WriterBegin ==
    /\ writerPC = "idle"
    /\ writerSeq <= MaxSeq
    /\ ring' = [ring EXCEPT ![SlotOf(writerSeq)].stamp = 2 * writerSeq + 1]
    /\ writerPC' = "stamped"
    /\ UNCHANGED << cursor, writerSeq >> /\ UNCHANGED ReaderVars

WriterData ==
    /\ writerPC = "stamped"
    /\ ring' = [ring EXCEPT ![SlotOf(writerSeq)].value = writerSeq]
    /\ writerPC' = "written"
    /\ UNCHANGED << cursor, writerSeq >> /\ UNCHANGED ReaderVars

WriterFinish ==
    /\ writerPC = "written"
    /\ ring' = [ring EXCEPT ![SlotOf(writerSeq)].stamp = DoneStamp(writerSeq)]
    /\ cursor' = writerSeq
    /\ writerSeq' = writerSeq + 1
    /\ writerPC' = "idle"
    /\ UNCHANGED ReaderVars

-----------------------------------------------------------------------------
(* A reader. *)

ReaderLoadStamp1(r) ==
    /\ readerPC[r] = "idle"
    /\ readStamp1' = [readStamp1 EXCEPT ![r] = ring[SlotOf(readerCursor[r])].stamp]
    /\ readerPC' = [readerPC EXCEPT ![r] = "stamp1"]
    /\ UNCHANGED << ring, cursor, writerPC, writerSeq, readerCursor, readValue, readStamp2, readResult >>

ReaderRetryOdd(r) ==
    /\ readerPC[r] = "stamp1"
    /\ readStamp1[r] % 2 = 1
    /\ readerPC' = [readerPC EXCEPT ![r] = "idle"]
    /\ UNCHANGED << ring, cursor, writerPC, writerSeq, readerCursor, readStamp1, readValue, readStamp2, readResult >>

\* An even stamp of another sequence: larger means the reader was lapped and
\* jumps to the oldest sequence still in the ring; smaller means its sequence
\* is not published yet.
ReaderStampMismatch(r) ==
    /\ readerPC[r] = "stamp1"
    /\ readStamp1[r] % 2 = 0
    /\ readStamp1[r] # DoneStamp(readerCursor[r])
    /\ readerCursor' = [readerCursor EXCEPT ![r] =
           IF readStamp1[r] > DoneStamp(readerCursor[r])
           THEN Max(Max(readerCursor[r], cursor - RingSize + 1), 0)
           ELSE readerCursor[r]]
    /\ readerPC' = [readerPC EXCEPT ![r] = "idle"]
    /\ UNCHANGED << ring, cursor, writerPC, writerSeq, readStamp1, readValue, readStamp2, readResult >>

ReaderLoadValue(r) ==
    /\ readerPC[r] = "stamp1"
    /\ readStamp1[r] = DoneStamp(readerCursor[r])
    /\ readValue' = [readValue EXCEPT ![r] = ring[SlotOf(readerCursor[r])].value]
    /\ readerPC' = [readerPC EXCEPT ![r] = "reading"]
    /\ UNCHANGED << ring, cursor, writerPC, writerSeq, readerCursor, readStamp1, readStamp2, readResult >>

ReaderVerify(r) ==
    LET stamp2 == ring[SlotOf(readerCursor[r])].stamp
        commit == stamp2 = readStamp1[r] \/ ~VerifyStamps
    IN  /\ readerPC[r] = "reading"
        /\ readStamp2' = [readStamp2 EXCEPT ![r] = stamp2]
        /\ readResult' = IF commit THEN [readResult EXCEPT ![r] = readValue[r]] ELSE readResult
        /\ readerCursor' = IF commit THEN [readerCursor EXCEPT ![r] = @ + 1] ELSE readerCursor
        /\ readerPC' = [readerPC EXCEPT ![r] = "idle"]
        /\ UNCHANGED << ring, cursor, writerPC, writerSeq, readStamp1, readValue >>

-----------------------------------------------------------------------------
Next ==
    \/ WriterBegin
    \/ WriterData
    \/ WriterFinish
    \/ \E r \in Readers : ReaderLoadStamp1(r)
    \/ \E r \in Readers : ReaderRetryOdd(r)
    \/ \E r \in Readers : ReaderStampMismatch(r)
    \/ \E r \in Readers : ReaderLoadValue(r)
    \/ \E r \in Readers : ReaderVerify(r)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants. *)

\* Every committed result is a sequence the writer publishes.
ResultIsValid == \A r \in Readers : readResult[r] = -1 \/ readResult[r] \in 0..MaxSeq

\* A committed result is never ahead of the reader's own position.  A torn
\* value is always newer than the sequence being read; a lag jump only moves
\* the position forward, so it is not mistaken for one.
NoTornRead == \A r \in Readers : readResult[r] < readerCursor[r]

\* The seed's form: a committed result is exactly the sequence before the
\* reader's position.  Too strict: after a lag jump the position moves on
\* while the last result stays.
SeedNoTornRead == \A r \in Readers : readResult[r] = -1 \/ readResult[r] = readerCursor[r] - 1

-----------------------------------------------------------------------------
(* Liveness. *)

\* The seed's ReaderProgress: once something is published, every reader
\* eventually commits a value.  A committed result never returns to -1, so
\* "eventually all" is "each eventually".
ReaderProgress == cursor >= 0 ~> \A r \in Readers : readResult[r] # -1

\* The writer's steps and reader r's steps, as processes.
Writer == WriterBegin \/ WriterData \/ WriterFinish
Reader(r) ==
    \/ ReaderLoadStamp1(r)
    \/ ReaderRetryOdd(r)
    \/ ReaderStampMismatch(r)
    \/ ReaderLoadValue(r)
    \/ ReaderVerify(r)

\* The seed's fairness: weak fairness on Next as a whole.  Too weak: a reader
\* may spin on an odd stamp forever while the writer never moves.
FairSpec == Spec /\ WF_vars(Next)

\* Weak fairness on the writer and on each reader separately.
FairSpecPerProcess == Spec /\ WF_vars(Writer) /\ \A r \in Readers : WF_vars(Reader(r))

=============================================================================
