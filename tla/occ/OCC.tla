-------------------------------- MODULE OCC --------------------------------
(***************************************************************************)
(* elastickv's Percolator-style optimistic transactions (seed 003).        *)
(*                                                                         *)
(* A global counter stands for the HLC.  A transaction begins by taking    *)
(* the next timestamp as its start (and read) timestamp; it reads keys at  *)
(* that snapshot, buffers write intents, prepares by locking every key it  *)
(* writes at its start timestamp (refused if a key is locked or has a      *)
(* version newer than the start), and commits by installing one version    *)
(* per written key at its commit timestamp, releasing its locks.  A read   *)
(* is refused while the key holds a lock at or below the reader's start.   *)
(* Abort releases the locks of an Active or Prepared transaction.          *)
(*                                                                         *)
(* EnableSafety = TRUE (safe): the commit timestamp is a fresh             *)
(* tsCounter + 1.  EnableSafety = FALSE (the `gap`): Commit reuses the     *)
(* current counter, so a transaction can commit at its own start           *)
(* timestamp: OCC1_CommitTsAboveStart fails.                               *)
(*                                                                         *)
(* Twin of src/models/occ.rs in Protocol Explorer; TLC and the Rust        *)
(* checker must agree on every figure, with and without SYMMETRY.  TLC     *)
(* reduces by the group that the SYMMETRY set generates (it closes it      *)
(* under composition), keeping the smallest permutation of each state.     *)
(* It orders strings and record fields by when it first met the name; an   *)
(* operator of the same name counts even if defined later (hence           *)
(* CommittedTxns).  So the states are listed first, in States, and record  *)
(* fields are written alphabetically, which is how the Rust side orders    *)
(* them.                                                                   *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS
    Keys,          \* the keys (symmetric)
    TxnIds,        \* the transactions (symmetric)
    MaxTs,         \* timestamps stay within 0..MaxTs
    MaxOps,        \* at most this many write intents in all
    EnableSafety   \* TRUE: a commit takes a fresh timestamp

ASSUME /\ MaxTs \in Nat
       /\ MaxOps \in Nat
       /\ EnableSafety \in BOOLEAN

States == {"Idle", "Active", "Prepared", "Committed", "Aborted"}

VARIABLES
    tsCounter,   \* the last timestamp handed out
    txnState,    \* txnState[t] \in States
    startTs,     \* startTs[t]: t's start (= read) timestamp, 0 before it begins
    commitTs,    \* commitTs[t]: t's commit timestamp, 0 unless committed
    writeSet,    \* writeSet[t]: the keys t intends to write
    readObs,     \* readObs[t][k]: the commit timestamp t saw on k, 0 = not read (or nothing seen)
    lockMap,     \* lockMap[k]: [lockTs, owner], or NoLock
    versions,    \* versions[k]: the committed versions of k, as [commitTs, owner] records
    opCount      \* how many write intents have been buffered

vars == << tsCounter, txnState, startTs, commitTs, writeSet, readObs, lockMap, versions, opCount >>

NoLock == [lockTs |-> 0, owner |-> "none"]
Version(ts, t) == [commitTs |-> ts, owner |-> t]

Timestamps == 0..MaxTs
Max(S) == CHOOSE x \in S : \A y \in S : y <= x

HasLock(k) == lockMap[k] # NoLock

\* The commit timestamp of the newest version of k at or below ts; 0 if none.
LatestVisible(k, ts) ==
    LET seen == { v.commitTs : v \in { w \in versions[k] : w.commitTs <= ts } }
    IN  IF seen = {} THEN 0 ELSE Max(seen)

TypeOK ==
    /\ tsCounter \in Timestamps
    /\ txnState \in [TxnIds -> States]
    /\ startTs \in [TxnIds -> Timestamps]
    /\ commitTs \in [TxnIds -> Timestamps]
    /\ writeSet \in [TxnIds -> SUBSET Keys]
    /\ readObs \in [TxnIds -> [Keys -> Timestamps]]
    /\ lockMap \in [Keys -> [lockTs : Timestamps, owner : TxnIds] \cup {NoLock}]
    /\ versions \in [Keys -> SUBSET [commitTs : Timestamps, owner : TxnIds]]
    /\ opCount \in 0..MaxOps

Init ==
    /\ tsCounter = 0
    /\ txnState = [t \in TxnIds |-> "Idle"]
    /\ startTs = [t \in TxnIds |-> 0]
    /\ commitTs = [t \in TxnIds |-> 0]
    /\ writeSet = [t \in TxnIds |-> {}]
    /\ readObs = [t \in TxnIds |-> [k \in Keys |-> 0]]
    /\ lockMap = [k \in Keys |-> NoLock]
    /\ versions = [k \in Keys |-> {}]
    /\ opCount = 0

-----------------------------------------------------------------------------
\* An Idle transaction begins: it takes the next timestamp as its start.
BeginTxn(t) ==
    /\ txnState[t] = "Idle"
    /\ tsCounter < MaxTs
    /\ tsCounter' = tsCounter + 1
    /\ txnState' = [txnState EXCEPT ![t] = "Active"]
    /\ startTs' = [startTs EXCEPT ![t] = tsCounter + 1]
    /\ UNCHANGED << commitTs, writeSet, readObs, lockMap, versions, opCount >>

\* A snapshot read of k at t's start: refused while k holds a lock at or below the start;
\* records the newest commit timestamp at or below the start.
ReadKey(t, k) ==
    /\ txnState[t] = "Active"
    /\ readObs[t][k] = 0
    /\ ~(HasLock(k) /\ lockMap[k].lockTs <= startTs[t])
    /\ readObs' = [readObs EXCEPT ![t][k] = LatestVisible(k, startTs[t])]
    /\ UNCHANGED << tsCounter, txnState, startTs, commitTs, writeSet, lockMap, versions, opCount >>

\* t buffers a write of k (no lock yet).
WriteIntent(t, k) ==
    /\ txnState[t] = "Active"
    /\ k \notin writeSet[t]
    /\ opCount < MaxOps
    /\ writeSet' = [writeSet EXCEPT ![t] = @ \cup {k}]
    /\ opCount' = opCount + 1
    /\ UNCHANGED << tsCounter, txnState, startTs, commitTs, readObs, lockMap, versions >>

\* t locks every key it writes at its start timestamp, if none is locked or has a newer version.
Prepare(t) ==
    /\ txnState[t] = "Active"
    /\ writeSet[t] # {}
    /\ \A k \in writeSet[t] : ~HasLock(k) /\ \A v \in versions[k] : v.commitTs <= startTs[t]
    /\ txnState' = [txnState EXCEPT ![t] = "Prepared"]
    /\ lockMap' = [k \in Keys |-> IF k \in writeSet[t] THEN [lockTs |-> startTs[t], owner |-> t]
                                                       ELSE lockMap[k]]
    /\ UNCHANGED << tsCounter, startTs, commitTs, writeSet, readObs, versions, opCount >>

\* The commit timestamp: a fresh one with safety on; the gap reuses the current counter.
CommitStamp == IF EnableSafety THEN tsCounter + 1 ELSE tsCounter

\* t installs a version of every key it writes at its commit timestamp and releases its locks.
Commit(t) ==
    /\ txnState[t] = "Prepared"
    /\ CommitStamp <= MaxTs
    /\ tsCounter' = CommitStamp
    /\ txnState' = [txnState EXCEPT ![t] = "Committed"]
    /\ commitTs' = [commitTs EXCEPT ![t] = CommitStamp]
    /\ versions' = [k \in Keys |-> IF k \in writeSet[t] THEN versions[k] \cup {Version(CommitStamp, t)}
                                                        ELSE versions[k]]
    /\ lockMap' = [k \in Keys |-> IF lockMap[k].owner = t THEN NoLock ELSE lockMap[k]]
    /\ UNCHANGED << startTs, writeSet, readObs, opCount >>

\* An Active or Prepared transaction aborts and releases its locks.
Abort(t) ==
    /\ txnState[t] \in {"Active", "Prepared"}
    /\ txnState' = [txnState EXCEPT ![t] = "Aborted"]
    /\ lockMap' = [k \in Keys |-> IF lockMap[k].owner = t THEN NoLock ELSE lockMap[k]]
    /\ UNCHANGED << tsCounter, startTs, commitTs, writeSet, readObs, versions, opCount >>

Next ==
    \/ \E t \in TxnIds : BeginTxn(t)
    \/ \E t \in TxnIds : \E k \in Keys : ReadKey(t, k)
    \/ \E t \in TxnIds : \E k \in Keys : WriteIntent(t, k)
    \/ \E t \in TxnIds : Prepare(t)
    \/ \E t \in TxnIds : Commit(t)
    \/ \E t \in TxnIds : Abort(t)

Spec == Init /\ [][Next]_vars

\* TLC's CONSTRAINT: states outside it are checked but not explored.
StateConstraint ==
    /\ tsCounter <= MaxTs
    /\ opCount <= MaxOps

Symmetry == Permutations(Keys) \cup Permutations(TxnIds)

-----------------------------------------------------------------------------
(* Invariants. *)

CommittedTxns == { t \in TxnIds : txnState[t] = "Committed" }

\* OCC-1: a transaction commits strictly above its start.
OCC1_CommitTsAboveStart == \A t \in CommittedTxns : commitTs[t] > startTs[t]

\* OCC-2: two committed transactions that write a common key commit at different
\* timestamps, and one of them committed at or before the other's start.
OCC2_NoWriteWriteConflict ==
    \A t1, t2 \in CommittedTxns :
        (t1 # t2 /\ writeSet[t1] \cap writeSet[t2] # {}) =>
            /\ commitTs[t1] # commitTs[t2]
            /\ (commitTs[t1] <= startTs[t2] \/ commitTs[t2] <= startTs[t1])

\* OCC-3: what a live or committed transaction read is still the newest version at its start.
OCC3_ReadSnapshotStability ==
    \A t \in TxnIds : \A k \in Keys :
        (txnState[t] \in {"Active", "Prepared", "Committed"} /\ readObs[t][k] # 0) =>
            readObs[t][k] = LatestVisible(k, startTs[t])

\* OCC-4: once no transaction is Active or Prepared, no key is locked.
OCC4_NoStrandedLockAtQuiescence ==
    (\A t \in TxnIds : txnState[t] \in {"Idle", "Committed", "Aborted"}) =>
        \A k \in Keys : ~HasLock(k)

\* OCC-5: every read is at the transaction's start timestamp (it saw nothing newer).
OCC5_StartTsConsistency ==
    \A t \in TxnIds : \A k \in Keys : readObs[t][k] <= startTs[t]

(* Action properties (the seed calls the first OCC5_Action). *)

\* A start timestamp never changes once set.
StartTsAssignedOnce == [][\A t \in TxnIds : startTs[t] # 0 => startTs'[t] = startTs[t]]_vars

\* A commit timestamp never changes once set.
CommitTsAssignedOnce == [][\A t \in TxnIds : commitTs[t] # 0 => commitTs'[t] = commitTs[t]]_vars

=============================================================================
