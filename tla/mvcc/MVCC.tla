-------------------------------- MODULE MVCC --------------------------------
(***************************************************************************)
(* elastickv MVCC: per-key version chains with compaction (seed 003, M3).  *)
(*                                                                         *)
(* Write(k, v) takes a fresh timestamp from a single monotonic counter and *)
(* adds the version [commitTs, value] to the key's chain and to a ghost    *)
(* copy that compaction never touches.  Compact(newMin) raises the         *)
(* retention watermark minRetained and prunes every version below it,      *)
(* keeping (EnableSafety) the newest version below newMin, which is what a *)
(* read at newMin or later still needs to see.                             *)
(*                                                                         *)
(* MVCC-1: a key never holds two versions at one timestamp.  MVCC-4: for   *)
(* every key and every read timestamp from the watermark to MaxTs, the     *)
(* visible version (the newest at or below the read timestamp) is the one  *)
(* the ghost shows: compaction loses no commit a later read could see.     *)
(*                                                                         *)
(* EnableSafety = FALSE is the `gap` configuration: Compact drops the      *)
(* newest-below version too, and a read at the watermark finds nothing.    *)
(*                                                                         *)
(* Twin of src/models/mvcc.rs in Protocol Explorer.  Quantifiers are       *)
(* nested (outer first) so TLC enumerates successors in the Rust order.    *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS
    Keys,           \* keys (symmetric)
    Vals,           \* values a write may store (symmetric)
    MaxTs,          \* bound on the timestamp counter
    MaxOps,         \* bound on the number of writes
    EnableSafety    \* does Compact keep the newest version below the watermark?

ASSUME /\ MaxTs \in Nat
       /\ MaxOps \in Nat
       /\ EnableSafety \in BOOLEAN

VARIABLES
    versions,           \* versions[k]: the key's chain, a set of [commitTs, value]
    originalVersions,   \* ghost: every version ever written; Compact never prunes it
    tsCounter,          \* the last timestamp handed out (0 before the first write)
    minRetained,        \* the compaction watermark
    opCount             \* writes so far

vars == << versions, originalVersions, tsCounter, minRetained, opCount >>

Version == [commitTs : 1..MaxTs, value : Vals]

\* What a read at ts sees in the chain S: the version with the largest commit
\* timestamp at or below ts, or NotFound.
NotFound == [commitTs |-> 0, value |-> "none"]
LatestBefore(S, ts) ==
    LET below == { w \in S : w.commitTs <= ts }
    IN  IF below = {} THEN NotFound
        ELSE CHOOSE w \in below : \A u \in below : u.commitTs <= w.commitTs

TypeOK ==
    /\ versions \in [Keys -> SUBSET Version]
    /\ originalVersions \in [Keys -> SUBSET Version]
    /\ tsCounter \in 0..MaxTs
    /\ minRetained \in 0..MaxTs
    /\ opCount \in 0..MaxOps

Init ==
    /\ versions = [k \in Keys |-> {}]
    /\ originalVersions = [k \in Keys |-> {}]
    /\ tsCounter = 0
    /\ minRetained = 0
    /\ opCount = 0

-----------------------------------------------------------------------------
Write(k, v) ==
    /\ opCount < MaxOps
    /\ tsCounter < MaxTs
    /\ LET ver == [commitTs |-> tsCounter + 1, value |-> v]
       IN  /\ versions' = [versions EXCEPT ![k] = @ \cup {ver}]
           /\ originalVersions' = [originalVersions EXCEPT ![k] = @ \cup {ver}]
    /\ tsCounter' = tsCounter + 1
    /\ opCount' = opCount + 1
    /\ UNCHANGED minRetained

\* The chain of k after compacting to newMin: every version at or above
\* newMin, plus (EnableSafety) the newest version below it.
Retained(k, newMin) ==
    LET kept == { w \in versions[k] : w.commitTs >= newMin }
        newestBelow == LatestBefore(versions[k], newMin - 1)
    IN  IF EnableSafety /\ newestBelow # NotFound THEN kept \cup {newestBelow} ELSE kept

Compact(newMin) ==
    /\ newMin > minRetained
    /\ newMin <= tsCounter
    /\ minRetained' = newMin
    /\ versions' = [k \in Keys |-> Retained(k, newMin)]
    /\ UNCHANGED << originalVersions, tsCounter, opCount >>

Next ==
    \/ \E k \in Keys : \E v \in Vals : Write(k, v)
    \/ \E newMin \in 1..MaxTs : Compact(newMin)

Spec == Init /\ [][Next]_vars

\* The seed's state constraint (the guards already keep every state inside it).
StateConstraint ==
    /\ tsCounter <= MaxTs
    /\ minRetained <= MaxTs
    /\ opCount <= MaxOps

\* The seed's symmetry.  TLC closes a SYMMETRY set under composition, so it
\* reduces by the product of the per-set permutation groups.
Symmetry == Permutations(Keys) \cup Permutations(Vals)

-----------------------------------------------------------------------------
(* Invariants. *)

\* MVCC-1: no two versions of a key share a commit timestamp.
MVCC1_VisibleVersionUnique ==
    \A k \in Keys : \A w1, w2 \in versions[k] : w1.commitTs = w2.commitTs => w1 = w2

\* MVCC-4: a read at any timestamp from the watermark on sees what the ghost shows.
MVCC4_NoLostCommitOnSnapshotInstall ==
    \A k \in Keys : \A ts \in minRetained..MaxTs :
        LatestBefore(versions[k], ts) = LatestBefore(originalVersions[k], ts)

(* Action properties. *)

\* The timestamp counter never goes down.
MVCC_TsMonotonic == [][tsCounter' >= tsCounter]_vars

\* The ghost only grows.
MVCC_GhostMonotonic == [][\A k \in Keys : originalVersions[k] \subseteq originalVersions'[k]]_vars

=============================================================================
