------------------------------ MODULE Composed ------------------------------
(***************************************************************************)
(* elastickv transactions across a changing route catalog (seed 003, M5).  *)
(*                                                                         *)
(* The route catalog is versioned: routes[v][k] is the Raft group owning   *)
(* key k at catalog version v (every key starts at InitGroup, and versions *)
(* not yet written hold that initial map).  ProposeRouteChange(k, g)       *)
(* writes version catalogVersion + 1 as the current map with k moved to g. *)
(* A transaction begins at a fresh timestamp and pins the catalog version  *)
(* it observes, buffers writes, and commits through a group g at a fresh   *)
(* commit timestamp, or aborts.  Timestamps come from one monotonic        *)
(* counter.  ProposeRouteChange, BeginTxn and WriteIntent count operations.*)
(*                                                                         *)
(* Composed-1: every committed write went to the group that owned the key  *)
(* at the catalog version the transaction observed.  Composed-3: distinct  *)
(* committed transactions have distinct commit timestamps.                 *)
(*                                                                         *)
(* EnableSafety = FALSE is the `gap` configuration: Commit no longer       *)
(* checks that g owns the written keys at the observed version.            *)
(*                                                                         *)
(* The seed declares Keys, Groups and TxnIds symmetric, but InitGroup pins *)
(* one group: permuting Groups maps the initial state to a state that is   *)
(* not initial, so the group symmetry is not sound.  TLC reduces by it     *)
(* anyway; Protocol Explorer's checker does the same and reports it.       *)
(*                                                                         *)
(* Twin of src/models/composed.rs in Protocol Explorer.  Quantifiers are   *)
(* nested (outer first) so TLC enumerates successors in the Rust order.    *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS
    Keys,           \* keys (declared symmetric)
    Groups,         \* Raft groups (declared symmetric)
    TxnIds,         \* transactions (declared symmetric)
    MaxVersions,    \* bound on the catalog version
    MaxTs,          \* bound on the timestamp counter
    MaxOps,         \* bound on route changes, begins and write intents
    InitGroup,      \* the group owning every key at first
    EnableSafety    \* does Commit check that g owns the keys at the observed version?

ASSUME /\ InitGroup \in Groups
       /\ MaxVersions \in Nat
       /\ MaxTs \in Nat
       /\ MaxOps \in Nat
       /\ EnableSafety \in BOOLEAN

TxnStates == {"Idle", "Active", "Committed", "Aborted"}
NoGroup == "no_group"   \* the commit group of a transaction that has not committed

VARIABLES
    catalogVersion,     \* the current catalog version
    routes,             \* routes[v][k]: the owner of k at catalog version v
    tsCounter,          \* the last timestamp handed out
    txnState,           \* txnState[t] \in TxnStates
    txnStartTs,         \* txnStartTs[t]: the start timestamp (0 before BeginTxn)
    txnObservedVer,     \* txnObservedVer[t]: the catalog version pinned at BeginTxn
    txnWriteSet,        \* txnWriteSet[t]: the keys t writes
    txnCommitTs,        \* txnCommitTs[t]: the commit timestamp (0 before Commit)
    txnCommitGroup,     \* txnCommitGroup[t]: the group t committed through, or NoGroup
    opCount             \* route changes, begins and write intents so far

vars == << catalogVersion, routes, tsCounter, txnState, txnStartTs, txnObservedVer,
           txnWriteSet, txnCommitTs, txnCommitGroup, opCount >>

TxnVars == << txnState, txnStartTs, txnObservedVer, txnWriteSet, txnCommitTs, txnCommitGroup >>

Committed == { t \in TxnIds : txnState[t] = "Committed" }

TypeOK ==
    /\ catalogVersion \in 0..MaxVersions
    /\ routes \in [0..MaxVersions -> [Keys -> Groups]]
    /\ tsCounter \in 0..MaxTs
    /\ txnState \in [TxnIds -> TxnStates]
    /\ txnStartTs \in [TxnIds -> 0..MaxTs]
    /\ txnObservedVer \in [TxnIds -> 0..MaxVersions]
    /\ txnWriteSet \in [TxnIds -> SUBSET Keys]
    /\ txnCommitTs \in [TxnIds -> 0..MaxTs]
    /\ txnCommitGroup \in [TxnIds -> Groups \cup {NoGroup}]
    /\ opCount \in 0..MaxOps

Init ==
    /\ catalogVersion = 0
    /\ routes = [v \in 0..MaxVersions |-> [k \in Keys |-> InitGroup]]
    /\ tsCounter = 0
    /\ txnState = [t \in TxnIds |-> "Idle"]
    /\ txnStartTs = [t \in TxnIds |-> 0]
    /\ txnObservedVer = [t \in TxnIds |-> 0]
    /\ txnWriteSet = [t \in TxnIds |-> {}]
    /\ txnCommitTs = [t \in TxnIds |-> 0]
    /\ txnCommitGroup = [t \in TxnIds |-> NoGroup]
    /\ opCount = 0

-----------------------------------------------------------------------------
\* The control plane commits catalog version + 1: the current map with k moved to g.
ProposeRouteChange(k, g) ==
    /\ opCount < MaxOps
    /\ catalogVersion < MaxVersions
    /\ catalogVersion' = catalogVersion + 1
    /\ routes' = [routes EXCEPT ![catalogVersion + 1] = [routes[catalogVersion] EXCEPT ![k] = g]]
    /\ opCount' = opCount + 1
    /\ UNCHANGED << tsCounter >> /\ UNCHANGED TxnVars

\* t starts at a fresh timestamp and pins the catalog version it sees.
BeginTxn(t) ==
    /\ txnState[t] = "Idle"
    /\ tsCounter < MaxTs
    /\ opCount < MaxOps
    /\ tsCounter' = tsCounter + 1
    /\ txnState' = [txnState EXCEPT ![t] = "Active"]
    /\ txnStartTs' = [txnStartTs EXCEPT ![t] = tsCounter + 1]
    /\ txnObservedVer' = [txnObservedVer EXCEPT ![t] = catalogVersion]
    /\ opCount' = opCount + 1
    /\ UNCHANGED << catalogVersion, routes, txnWriteSet, txnCommitTs, txnCommitGroup >>

\* t buffers a write to k.
WriteIntent(t, k) ==
    /\ txnState[t] = "Active"
    /\ k \notin txnWriteSet[t]
    /\ opCount < MaxOps
    /\ txnWriteSet' = [txnWriteSet EXCEPT ![t] = @ \cup {k}]
    /\ opCount' = opCount + 1
    /\ UNCHANGED << catalogVersion, routes, tsCounter, txnState, txnStartTs,
                    txnObservedVer, txnCommitTs, txnCommitGroup >>

\* t commits through group g at a fresh timestamp.  With EnableSafety, g must
\* own every key t writes at the catalog version t observed.
Commit(t, g) ==
    /\ txnState[t] = "Active"
    /\ tsCounter < MaxTs
    /\ EnableSafety => \A k \in txnWriteSet[t] : routes[txnObservedVer[t]][k] = g
    /\ tsCounter' = tsCounter + 1
    /\ txnState' = [txnState EXCEPT ![t] = "Committed"]
    /\ txnCommitTs' = [txnCommitTs EXCEPT ![t] = tsCounter + 1]
    /\ txnCommitGroup' = [txnCommitGroup EXCEPT ![t] = g]
    /\ UNCHANGED << catalogVersion, routes, txnStartTs, txnObservedVer, txnWriteSet, opCount >>

Abort(t) ==
    /\ txnState[t] = "Active"
    /\ txnState' = [txnState EXCEPT ![t] = "Aborted"]
    /\ UNCHANGED << catalogVersion, routes, tsCounter, txnStartTs, txnObservedVer,
                    txnWriteSet, txnCommitTs, txnCommitGroup, opCount >>

Next ==
    \/ \E k \in Keys : \E g \in Groups : ProposeRouteChange(k, g)
    \/ \E t \in TxnIds : BeginTxn(t)
    \/ \E t \in TxnIds : \E k \in Keys : WriteIntent(t, k)
    \/ \E t \in TxnIds : \E g \in Groups : Commit(t, g)
    \/ \E t \in TxnIds : Abort(t)

Spec == Init /\ [][Next]_vars

\* The seed's state constraint (the guards already keep every state inside it).
StateConstraint ==
    /\ catalogVersion <= MaxVersions
    /\ tsCounter <= MaxTs
    /\ opCount <= MaxOps

\* The seed's symmetry.  TLC closes a SYMMETRY set under composition, so it
\* reduces by the product of the per-set permutation groups.
\* Not sound for Groups: InitGroup pins one group.
Symmetry == Permutations(Keys) \cup Permutations(Groups) \cup Permutations(TxnIds)

-----------------------------------------------------------------------------
(* Invariants. *)

\* Composed-1: a committed transaction's group owned each key it wrote at the
\* catalog version it observed.
Composed1_CommitToOwningGroup ==
    \A t \in Committed : \A k \in txnWriteSet[t] : routes[txnObservedVer[t]][k] = txnCommitGroup[t]

\* Composed-3: distinct committed transactions have distinct commit timestamps.
Composed3_DistinctCommitTs ==
    \A t1, t2 \in Committed : t1 # t2 => txnCommitTs[t1] # txnCommitTs[t2]

(* Action properties. *)

Composed_CatalogMonotonic == [][catalogVersion' >= catalogVersion]_vars

Composed_TsMonotonic == [][tsCounter' >= tsCounter]_vars

\* A commit strictly raises the timestamp counter.
Composed3_TsAction ==
    [][\A t \in TxnIds : (txnState[t] = "Active" /\ txnState'[t] = "Committed") => tsCounter' > tsCounter]_vars

=============================================================================
