------------------------------- MODULE Routes -------------------------------
(***************************************************************************)
(* elastickv route catalog and watcher fan-out (seed 003, M4).             *)
(*                                                                         *)
(* The durable route catalog is a version counter that a control-plane     *)
(* ProposeRouteChange bumps by one.  Each node's CatalogWatcher fetches a  *)
(* catalog snapshot, some version v no newer than the catalog, and         *)
(* installs it in the node's route engine; the ghost engineMaxObserved     *)
(* remembers the highest version the node has ever installed.  Every       *)
(* action counts one operation.                                            *)
(*                                                                         *)
(* Routes-4: a node's engine never goes back to a version older than one   *)
(* it already had (engineVersion >= engineMaxObserved).  Routes-2 and      *)
(* Routes-3 are trivially true here, as in the seed: ranges are not        *)
(* modelled (coverage and disjointness hold by typing), and a route change *)
(* is one atomic step.                                                     *)
(*                                                                         *)
(* EnableSafety = FALSE is the `gap` configuration: the watcher may        *)
(* install any version up to the catalog's, including an older one.        *)
(*                                                                         *)
(* Twin of src/models/routes.rs in Protocol Explorer.  The version the     *)
(* watcher fetches is a parameter of CatalogWatcherSync, enumerated        *)
(* ascending inside the node, as TLC would enumerate the seed's inner      *)
(* \E v \in 0..catalogVersion.                                             *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS
    Nodes,          \* nodes, each with a route engine (symmetric)
    MaxVersions,    \* bound on the catalog version
    MaxOps,         \* bound on the number of actions
    EnableSafety    \* does the watcher refuse a version older than it has seen?

ASSUME /\ MaxVersions \in Nat
       /\ MaxOps \in Nat
       /\ EnableSafety \in BOOLEAN

VARIABLES
    catalogVersion,     \* the durable catalog's version
    engineVersion,      \* engineVersion[n]: the version n's route engine holds
    engineMaxObserved,  \* ghost: the highest version n has ever installed
    opCount             \* actions so far

vars == << catalogVersion, engineVersion, engineMaxObserved, opCount >>

TypeOK ==
    /\ catalogVersion \in 0..MaxVersions
    /\ engineVersion \in [Nodes -> 0..MaxVersions]
    /\ engineMaxObserved \in [Nodes -> 0..MaxVersions]
    /\ opCount \in 0..MaxOps

Init ==
    /\ catalogVersion = 0
    /\ engineVersion = [n \in Nodes |-> 0]
    /\ engineMaxObserved = [n \in Nodes |-> 0]
    /\ opCount = 0

-----------------------------------------------------------------------------
\* A split (or move) commits a new catalog version in one atomic step.
ProposeRouteChange ==
    /\ opCount < MaxOps
    /\ catalogVersion < MaxVersions
    /\ catalogVersion' = catalogVersion + 1
    /\ opCount' = opCount + 1
    /\ UNCHANGED << engineVersion, engineMaxObserved >>

\* n's watcher fetches catalog version v and installs it.
CatalogWatcherSync(n, v) ==
    /\ opCount < MaxOps
    /\ v <= catalogVersion
    /\ EnableSafety => v >= engineMaxObserved[n]
    /\ engineVersion' = [engineVersion EXCEPT ![n] = v]
    /\ engineMaxObserved' = [engineMaxObserved EXCEPT ![n] = IF v > @ THEN v ELSE @]
    /\ opCount' = opCount + 1
    /\ UNCHANGED catalogVersion

Next ==
    \/ ProposeRouteChange
    \/ \E n \in Nodes : \E v \in 0..MaxVersions : CatalogWatcherSync(n, v)

Spec == Init /\ [][Next]_vars

\* The seed's state constraint (the guards already keep every state inside it).
StateConstraint ==
    /\ catalogVersion <= MaxVersions
    /\ opCount <= MaxOps

Symmetry == Permutations(Nodes)

-----------------------------------------------------------------------------
(* Invariants. *)

\* Routes-1: the catalog version stays in range (Routes1_Action: it never goes down).
Routes1_VersionInRange == catalogVersion \in 0..MaxVersions

\* Routes-2 (coverage and disjointness of the key ranges): trivially true, as in
\* the seed; ranges are not modelled here (see the composed model).
Routes2_CoverageDisjoint == TRUE

\* Routes-3 (a split's catalog update is atomic): trivially true, as in the seed;
\* ProposeRouteChange is a single step.
Routes3_SplitAtomicity == TRUE

\* Routes-4: no node's engine regresses below a version it already installed.
Routes4_NoEngineRegression == \A n \in Nodes : engineVersion[n] >= engineMaxObserved[n]

(* Action properties. *)

Routes1_Action == [][catalogVersion' >= catalogVersion]_vars

Routes4_GhostMonotonic == [][\A n \in Nodes : engineMaxObserved'[n] >= engineMaxObserved[n]]_vars

-----------------------------------------------------------------------------
(* Liveness. *)

\* Once proposals stop, every node reaches the catalog version, unless the
\* operation budget (which every step spends) runs out first.
Convergence == <>[](opCount = MaxOps \/ \A n \in Nodes : engineVersion[n] = catalogVersion)

\* Weak fairness on each node's watcher.
FairSpec == Spec /\ \A n \in Nodes : WF_vars(\E v \in 0..MaxVersions : CatalogWatcherSync(n, v))

\* Weak fairness on proposals only: a watcher may never run.
FairSpecProposals == Spec /\ WF_vars(ProposeRouteChange)

=============================================================================
