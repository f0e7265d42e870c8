------------------------ MODULE ReplicationConvergence ------------------------
(***************************************************************************)
(* redis-rust's CRDT replication (seed 000): last-writer-wins registers    *)
(* kept convergent by Lamport-stamped deltas.                              *)
(*                                                                         *)
(* Each replica has a Lamport clock and, per key, an LWW register: a value *)
(* (or none), the timestamp (time, replica) of the write that produced it, *)
(* and a tombstone flag.  Set(r, k, v) and Delete(r, k) tick r's clock     *)
(* (only while it is below MaxTime), write r's register and send a delta   *)
(* (the new register) to r's peers.  ReceiveDelta merges a delta into the  *)
(* receiver's register (the later timestamp wins) and moves the receiver's *)
(* clock past the delta's time.  CreatePartition and HealPartition cut and *)
(* restore the link between two replicas.                                  *)
(*                                                                         *)
(* Configurations (the two switches):                                      *)
(*   safe               TieBreakByReplica = TRUE, LossyPartitions = FALSE  *)
(*   tie-break-missing  TieBreakByReplica = FALSE: the merge compares      *)
(*                      times only and keeps the local register on a tie,  *)
(*                      so merge(a, b) # merge(b, a) for two writes at the *)
(*                      same time: MergeCommutative fails, and once both   *)
(*                      replicas have taken the other's delta they hold    *)
(*                      different registers for good.                      *)
(*   lossy-partition    LossyPartitions = TRUE (the seed's behaviour): a   *)
(*                      write sends nothing across a cut link, and cutting *)
(*                      a link drops the deltas in flight on it.  Nothing  *)
(*                      repairs the loss (redis-rust's fix, anti-entropy,  *)
(*                      is not modelled here), so after the heal the       *)
(*                      network is quiet and the replicas differ:          *)
(*                      EventualConvergence fails.                         *)
(*                                                                         *)
(* Repairs of the published spec (specs/tla/ReplicationConvergence.tla):   *)
(*  1. NULL was never declared.  "No value" is the string NoValue.         *)
(*  2. Set and Delete built their deltas with {e : x \in S : P}, which is  *)
(*     not TLA+; here {e : x \in {y \in S : P}} (Broadcast).               *)
(*  3. TimestampLT compares replicas with <, which TLC refuses on model    *)
(*     values: Replicas is a set of positive integers.                     *)
(*  4. Every replica's initial register carried its own id in its          *)
(*     timestamp, so the registers differed in the initial state and the   *)
(*     published EventualConvergence failed there.  Every replica starts   *)
(*     with the same register, Bottom, stamped (time 0, NoReplica): the    *)
(*     write nobody made.                                                  *)
(*  5. EventualConvergence was listed as a temporal PROPERTY but is a      *)
(*     state predicate (quiet network and no partition => equal            *)
(*     registers); it is checked here as an invariant, comparing whole     *)
(*     registers: value, tombstone and timestamp.  What the seed meant,    *)
(*     that every behaviour ends converged, is the temporal property       *)
(*     ConvergesEventually == <>[]Converged, checked under FairSpec in the *)
(*     liveness configs (`convergence`, `convergence-lossy`): strong       *)
(*     fairness on each replica's ReceiveDelta (a link may be cut and      *)
(*     healed for ever, so a delivery is enabled only now and then) and    *)
(*     weak fairness on healing each cut link.  The seed gave no fairness. *)
(*  6. LamportMonotonic was "time >= 0", true of every natural number.  It *)
(*     is checked as what its comment says, an action property: no        *)
(*     replica's clock ever goes down.                                     *)
(*  7. MergeCommutative was only a comment ("by construction").  It is     *)
(*     checked: the merge commutes on every pair of registers of a key     *)
(*     present in the state (held by a replica or carried by a delta).     *)
(*  8. The seed's partitions lose deltas for good (a write sends nothing   *)
(*     across a cut link; a cut drops what is in flight on it), so its own *)
(*     EventualConvergence fails.  In `safe` a cut link only blocks        *)
(*     delivery: every write sends a delta to every peer, and a delta on a *)
(*     cut link waits in the network until the link heals.  The seed's     *)
(*     behaviour is kept as the `lossy-partition` gap.                     *)
(* Deliberate deviations:                                                  *)
(*  - Messages have no `type` field: the delta is the only kind.           *)
(*  - CreatePartition(r1, r2) and HealPartition(r1, r2) take r1 < r2, so   *)
(*    each link is one action (the relation is symmetric anyway; the seed  *)
(*    took both orders, with the same successor twice).                    *)
(*  - The seed's `msg \in network` and `msg.type = "delta"` conjuncts of   *)
(*    ReceiveDelta are implied by Next's quantifier and dropped.           *)
(*  - No SYMMETRY: replicas are ordered by the tie-break, so they are not  *)
(*    interchangeable; values are never ordered and could be, but the      *)
(*    state space is small enough without.                                 *)
(*                                                                         *)
(* Twin of src/models/crdt.rs in Protocol Explorer; TLC and the Rust       *)
(* checker must agree on every figure.  Record fields are written in       *)
(* alphabetical order, and the constructors below are the first place each *)
(* field name appears: TLC orders a record's fields (and so sorts and      *)
(* prints sets of records) by when their names first appear in the spec,  *)
(* the Rust side alphabetically.                                           *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS
    Replicas,           \* replica ids, positive integers ordered by <
    Keys,               \* the keys
    Values,             \* the values a Set may write
    MaxTime,            \* a replica writes only while its clock is below MaxTime
    TieBreakByReplica,  \* TRUE: equal times are ordered by replica id (safe)
    LossyPartitions     \* TRUE: partitions lose deltas (the seed's behaviour, a gap)

ASSUME /\ Replicas \subseteq Nat \ {0}
       /\ MaxTime \in Nat
       /\ TieBreakByReplica \in BOOLEAN
       /\ LossyPartitions \in BOOLEAN

VARIABLES
    lww_registers,   \* lww_registers[r][k]: replica r's register for key k
    lamport_clocks,  \* lamport_clocks[r]: r's Lamport clock, a timestamp of r
    network,         \* the deltas in flight
    partitioned      \* partitioned[r1][r2]: the link between r1 and r2 is cut

vars == <<lww_registers, lamport_clocks, network, partitioned>>

\* The record constructors, first (see the header).
Timestamp(rep, t) == [replica |-> rep, time |-> t]
Register(dead, stamp, val) == [tombstone |-> dead, ts |-> stamp, value |-> val]
Delta(to, k, g, from) == [dst |-> to, key |-> k, reg |-> g, src |-> from]

NoValue == "none"
NoReplica == 0
\* Every replica's register before any write: the write nobody made, at time 0.
Bottom == Register(FALSE, Timestamp(NoReplica, 0), NoValue)

--------------------------------------------------------------------------------
\* Types.

TimestampType == [replica : Replicas \cup {NoReplica}, time : Nat]
RegisterType == [tombstone : BOOLEAN, ts : TimestampType, value : Values \cup {NoValue}]
DeltaType == [dst : Replicas, key : Keys, reg : RegisterType, src : Replicas]

TypeOK ==
    /\ lww_registers \in [Replicas -> [Keys -> RegisterType]]
    /\ lamport_clocks \in [Replicas -> TimestampType]
    /\ \A r \in Replicas : lamport_clocks[r].replica = r
    /\ network \subseteq DeltaType
    /\ partitioned \in [Replicas -> [Replicas -> BOOLEAN]]

--------------------------------------------------------------------------------
\* Timestamps and the merge.

\* The order of timestamps: by time, then (with the tie-break) by replica id.
TimestampLT(a, b) ==
    \/ a.time < b.time
    \/ TieBreakByReplica /\ a.time = b.time /\ a.replica < b.replica

\* Last writer wins: the remote register replaces the local one only if it is later.
MergeLww(local, remote) == IF TimestampLT(local.ts, remote.ts) THEN remote ELSE local

Tick(clock) == Timestamp(clock.replica, clock.time + 1)

\* On receipt, the clock moves past both its own time and the delta's.
UpdateClock(clock, remote) ==
    Timestamp(clock.replica, IF clock.time > remote.time THEN clock.time + 1 ELSE remote.time + 1)

\* The peers a write by r sends its delta to: every other replica, or (lossy) only
\* those r is not cut off from.
Recipients(r) == {p \in Replicas \ {r} : ~(LossyPartitions /\ partitioned[r][p])}
Broadcast(r, k, g) == {Delta(p, k, g, r) : p \in Recipients(r)}

OnLink(m, r1, r2) == {m.src, m.dst} = {r1, r2}

--------------------------------------------------------------------------------

Init ==
    /\ lww_registers = [r \in Replicas |-> [k \in Keys |-> Bottom]]
    /\ lamport_clocks = [r \in Replicas |-> Timestamp(r, 0)]
    /\ network = {}
    /\ partitioned = [r1 \in Replicas |-> [r2 \in Replicas |-> FALSE]]

\* Replica r sets key k to v and sends the new register to its peers.
Set(r, k, v) ==
    /\ lamport_clocks[r].time < MaxTime
    /\ LET clock == Tick(lamport_clocks[r])
           g == Register(FALSE, clock, v)
       IN /\ lamport_clocks' = [lamport_clocks EXCEPT ![r] = clock]
          /\ lww_registers' = [lww_registers EXCEPT ![r][k] = g]
          /\ network' = network \cup Broadcast(r, k, g)
    /\ UNCHANGED partitioned

\* Replica r deletes key k: a tombstone, sent like a write.
Delete(r, k) ==
    /\ lamport_clocks[r].time < MaxTime
    /\ LET clock == Tick(lamport_clocks[r])
           g == Register(TRUE, clock, NoValue)
       IN /\ lamport_clocks' = [lamport_clocks EXCEPT ![r] = clock]
          /\ lww_registers' = [lww_registers EXCEPT ![r][k] = g]
          /\ network' = network \cup Broadcast(r, k, g)
    /\ UNCHANGED partitioned

\* Replica r takes a delta addressed to it over a link that is not cut.
ReceiveDelta(r, msg) ==
    /\ msg.dst = r
    /\ ~partitioned[msg.src][r]
    /\ lww_registers' = [lww_registers EXCEPT ![r][msg.key] = MergeLww(@, msg.reg)]
    /\ lamport_clocks' = [lamport_clocks EXCEPT ![r] = UpdateClock(@, msg.reg.ts)]
    /\ network' = network \ {msg}
    /\ UNCHANGED partitioned

\* The link between r1 and r2 is cut; lossy partitions drop the deltas in flight on it.
CreatePartition(r1, r2) ==
    /\ r1 < r2
    /\ ~partitioned[r1][r2]
    /\ partitioned' = [partitioned EXCEPT ![r1][r2] = TRUE, ![r2][r1] = TRUE]
    /\ network' = IF LossyPartitions THEN {m \in network : ~OnLink(m, r1, r2)} ELSE network
    /\ UNCHANGED <<lww_registers, lamport_clocks>>

\* The link between r1 and r2 is restored.
HealPartition(r1, r2) ==
    /\ r1 < r2
    /\ partitioned[r1][r2]
    /\ partitioned' = [partitioned EXCEPT ![r1][r2] = FALSE, ![r2][r1] = FALSE]
    /\ UNCHANGED <<lww_registers, lamport_clocks, network>>

Next ==
    \/ \E r \in Replicas : \E k \in Keys : \E v \in Values : Set(r, k, v)
    \/ \E r \in Replicas : \E k \in Keys : Delete(r, k)
    \/ \E r \in Replicas : \E msg \in network : ReceiveDelta(r, msg)
    \/ \E r1 \in Replicas : \E r2 \in Replicas : CreatePartition(r1, r2)
    \/ \E r1 \in Replicas : \E r2 \in Replicas : HealPartition(r1, r2)

Spec == Init /\ [][Next]_vars

\* Liveness: every replica eventually takes the deltas addressed to it (strong: a
\* cut and healed link enables a delivery only now and then), and a cut link heals.
FairSpec ==
    /\ Spec
    /\ \A r \in Replicas : SF_vars(\E msg \in network : ReceiveDelta(r, msg))
    /\ \A r1, r2 \in Replicas : WF_vars(HealPartition(r1, r2))

--------------------------------------------------------------------------------
(* Invariants. *)

\* A deleted register holds no value.
TombstoneConsistency ==
    \A r \in Replicas, k \in Keys :
        lww_registers[r][k].tombstone => lww_registers[r][k].value = NoValue

\* The registers of key k in the state: held by a replica or carried by a delta.
RegistersOf(k) ==
    {lww_registers[r][k] : r \in Replicas} \cup {m.reg : m \in {d \in network : d.key = k}}

\* Merging two registers of a key gives the same register in either order.
MergeCommutative ==
    \A k \in Keys : \A a, b \in RegistersOf(k) : MergeLww(a, b) = MergeLww(b, a)

\* With no link cut and no delta in flight, every replica holds the same register for every key.
EventualConvergence ==
    ((\A r1, r2 \in Replicas : ~partitioned[r1][r2]) /\ network = {}) =>
        \A r1, r2 \in Replicas, k \in Keys : lww_registers[r1][k] = lww_registers[r2][k]

\* Every replica holds the same register for every key.
Converged == \A r1, r2 \in Replicas, k \in Keys : lww_registers[r1][k] = lww_registers[r2][k]

(* Temporal property (the liveness configs). *)

\* From some point on the replicas agree, for ever.
ConvergesEventually == <>[]Converged

(* Action property. *)

\* No replica's Lamport clock goes down.
LamportMonotonic == [][\A r \in Replicas : lamport_clocks[r].time <= lamport_clocks'[r].time]_vars

================================================================================
