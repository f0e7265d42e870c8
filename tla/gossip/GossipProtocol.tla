---------------------------- MODULE GossipProtocol ----------------------------
(***************************************************************************)
(* redis-rust's gossip-based delta dissemination (seed 000).               *)
(*                                                                         *)
(* A replica creates a delta for a key (here an increment of a counter     *)
(* key, so applying one twice shows), applies it at once and gossips it:   *)
(* a DeltaBatch to every peer, or, once it has switched to selective       *)
(* routing, a TargetedDelta to each replica responsible for the key        *)
(* (Owners).  A receiver applies each delta once: it remembers the ids it  *)
(* has processed.  Replicas also advance their gossip epochs, announcing   *)
(* each with a heartbeat to every peer.  The network is a set of messages; it may lose one          *)
(* (MessageLoss) or deliver a copy while keeping the original in flight    *)
(* (Redeliver: at-least-once delivery, the network duplicating a message). *)
(*                                                                         *)
(* Configurations (the three switches):                                    *)
(*   safe            Dedup = TRUE, RouteToSelf = FALSE, Loss = TRUE        *)
(*   no-dedup        Dedup = FALSE: a receiver applies every delta a       *)
(*                   message carries, processed or not, so a redelivered   *)
(*                   delta is applied twice: NoDuplicateProcessing fails.  *)
(*   route-to-self   RouteToSelf = TRUE: selective routing targets every   *)
(*                   owner of the key, the sender included, so an owner    *)
(*                   sends a TargetedDelta to itself: NoSelfTarget fails.  *)
(*   delivery        Loss = FALSE, FairSpec (weak fairness on each         *)
(*                   replica's receipt of each delta): GossipDelivery      *)
(*                   holds, every delta reaches every owner of its key.    *)
(*   delivery-lossy  Loss = TRUE, FairSpec: a lost message is never sent   *)
(*                   again, so its delta never reaches that owner:         *)
(*                   GossipDelivery fails.                                 *)
(*                                                                         *)
(* Repairs of the published spec (specs/tla/GossipProtocol.tla):          *)
(*  1. NULL was never declared.  Every message now names one target (see   *)
(*     2), and a heartbeat carries the empty set of deltas, so no NULL is  *)
(*     needed.                                                             *)
(*  2. A broadcast was one message with target NULL that the first         *)
(*     receiver removed from the network, so the other replicas never got  *)
(*     the delta and the seed's own delivery property failed.  A broadcast *)
(*     is one DeltaBatch per peer.                                         *)
(*  3. A delta's id was (key, epoch, origin): two deltas a replica created *)
(*     for one key in one epoch had the same id, and the second was taken  *)
(*     for a duplicate and dropped by every receiver.  The id's seq is the *)
(*     replica's own count of deltas created (NextSeq), unique per origin. *)
(*  4. CreateDelta was bounded by the epoch (gossip_epoch[r] < MaxEpoch),  *)
(*     an artefact of 3; creation is bounded by MaxDeltas in total.  A     *)
(*     send was allowed while fewer than MaxMessages were in flight, and a *)
(*     broadcast could overshoot the bound; a send here must leave at most *)
(*     MaxMessages in flight.                                              *)
(*  5. ReceiveGossip kept, per key, CHOOSE one of the new deltas: with two *)
(*     for one key in a batch, one was silently lost.  Here each delta is  *)
(*     an increment, and local_state[r][k] counts those applied.           *)
(*  6. The seed's invariants were vacuous or missing: SourceCorrect only   *)
(*     said the source is a replica (it now also says every delta a        *)
(*     message carries was created by its source: nothing is forwarded);   *)
(*     NoDuplicateProcessing and SelectiveRouting were comments; they are  *)
(*     checked (see below).  EventualDelivery was a state predicate true   *)
(*     of states with an empty processed set; it is GossipDelivery, a      *)
(*     temporal property under weak fairness.                              *)
(*  7. Without duplication no delta can be delivered twice, so             *)
(*     NoDuplicateProcessing could not fail whatever the receiver did:     *)
(*     Redeliver is the network's duplicate.                               *)
(* Deliberate deviations:                                                  *)
(*  - outbound_queue was never written by the seed's actions: dropped.     *)
(*  - SendHeartbeat is folded into AdvanceEpoch: a replica announces each  *)
(*    new epoch once, with a heartbeat to every peer.  The seed could send *)
(*    the same heartbeat again and again; here every message is sent at   *)
(*    most once, so a chart pairs each send with its deliveries.           *)
(*  - routing_table and UpdateRouting are replaced by the constant Owners, *)
(*    the replicas responsible for every key (one slot of redis-rust's     *)
(*    hash-slot table): with a routing table any action could rewrite,     *)
(*    "responsible for the key" had no meaning of its own.                 *)
(*  - A delta carries no value or epoch (the message carries the epoch);   *)
(*    a delta is an increment, so the value is its count.                  *)
(*  - ReceiveGossip's `msg \in network` is implied by Next's quantifier.   *)
(*  - No SYMMETRY: Owners tells replicas apart.                            *)
(*                                                                         *)
(* Twin of src/models/gossip.rs in Protocol Explorer; TLC and the Rust     *)
(* checker must agree on every figure.  Record fields are written in       *)
(* alphabetical order, and the constructors below are the first place each *)
(* field name appears: TLC orders a record's fields (and so sorts and      *)
(* prints sets of records) by when their names first appear in the spec,  *)
(* the Rust side alphabetically.                                           *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS
    Replicas,      \* replica ids, positive integers
    Keys,          \* the keys
    Owners,        \* the replicas responsible for every key (selective routing's targets)
    MaxDeltas,     \* at most this many deltas are created in all
    MaxEpoch,      \* a replica's gossip epoch stays at or below MaxEpoch
    MaxMessages,   \* a send must leave at most this many messages in flight
    Dedup,         \* TRUE: a receiver skips deltas it has processed (safe)
    RouteToSelf,   \* TRUE: selective routing targets the sender too (a gap)
    Loss           \* TRUE: the network may lose a message

ASSUME /\ Replicas \subseteq Nat \ {0}
       /\ Owners \subseteq Replicas
       /\ MaxDeltas \in Nat /\ MaxEpoch \in Nat /\ MaxMessages \in Nat
       /\ Dedup \in BOOLEAN /\ RouteToSelf \in BOOLEAN /\ Loss \in BOOLEAN

VARIABLES
    local_state,       \* local_state[r][k]: how many deltas of key k replica r has applied
    processed_deltas,  \* processed_deltas[r]: the ids of the deltas r has applied
    gossip_epoch,      \* gossip_epoch[r]: r's gossip epoch
    network,           \* the messages in flight
    selective_mode     \* selective_mode[r]: r targets deltas at the key's owners

vars == <<local_state, processed_deltas, gossip_epoch, network, selective_mode>>

\* The record constructors, first (see the header).
DeltaId(k, o, n) == [key |-> k, origin |-> o, seq |-> n]
Message(ds, e, src, dst, ty) == [deltas |-> ds, epoch |-> e, source |-> src, target |-> dst, type |-> ty]

--------------------------------------------------------------------------------
\* Types.

DeltaIds == [key : Keys, origin : Replicas, seq : 1..MaxDeltas]
MessageType ==
    [deltas : SUBSET DeltaIds, epoch : 0..MaxEpoch, source : Replicas, target : Replicas,
     type : {"DeltaBatch", "TargetedDelta", "Heartbeat"}]

TypeOK ==
    /\ local_state \in [Replicas -> [Keys -> Nat]]
    /\ processed_deltas \in [Replicas -> SUBSET DeltaIds]
    /\ gossip_epoch \in [Replicas -> 0..MaxEpoch]
    /\ network \subseteq MessageType
    /\ selective_mode \in [Replicas -> BOOLEAN]

--------------------------------------------------------------------------------
\* Helpers.

\* The replicas responsible for key k.
Responsible(k) == Owners

\* The deltas r has created: those of its own it has processed (a creator applies its delta at once).
CreatedBy(r) == {d \in processed_deltas[r] : d.origin = r}
Created == UNION {CreatedBy(r) : r \in Replicas}
NextSeq(r) == Cardinality(CreatedBy(r)) + 1

\* Where r gossips a delta of key k: the key's owners (selective), else every peer.
GetTargets(r, k) ==
    IF selective_mode[r]
    THEN IF RouteToSelf THEN Responsible(k) ELSE Responsible(k) \ {r}
    ELSE Replicas \ {r}

MessageCount == Cardinality(network)

\* r applies the deltas msg carries: with Dedup only those it has not processed.
Apply(r, msg) ==
    LET new == IF Dedup THEN {d \in msg.deltas : d \notin processed_deltas[r]} ELSE msg.deltas
    IN /\ local_state' = [local_state EXCEPT ![r] = [k \in Keys |-> @[k] + Cardinality({d \in new : d.key = k})]]
       /\ processed_deltas' = [processed_deltas EXCEPT ![r] = @ \cup new]

--------------------------------------------------------------------------------

Init ==
    /\ local_state = [r \in Replicas |-> [k \in Keys |-> 0]]
    /\ processed_deltas = [r \in Replicas |-> {}]
    /\ gossip_epoch = [r \in Replicas |-> 0]
    /\ network = {}
    /\ selective_mode = [r \in Replicas |-> FALSE]

\* Replica r creates a delta for key k, applies it and gossips it.
CreateDelta(r, k) ==
    /\ Cardinality(Created) < MaxDeltas
    /\ MessageCount + Cardinality(GetTargets(r, k)) <= MaxMessages
    /\ LET d == DeltaId(k, r, NextSeq(r))
           ty == IF selective_mode[r] THEN "TargetedDelta" ELSE "DeltaBatch"
       IN /\ local_state' = [local_state EXCEPT ![r][k] = @ + 1]
          /\ processed_deltas' = [processed_deltas EXCEPT ![r] = @ \cup {d}]
          /\ network' = network \cup {Message({d}, gossip_epoch[r], r, t, ty) : t \in GetTargets(r, k)}
    /\ UNCHANGED <<gossip_epoch, selective_mode>>

\* Replica r takes a message addressed to it and applies its deltas.
ReceiveGossip(r, msg) ==
    /\ msg.target = r
    /\ msg.source # r
    /\ Apply(r, msg)
    /\ network' = network \ {msg}
    /\ UNCHANGED <<gossip_epoch, selective_mode>>

\* The network delivers a copy of a delta message and keeps the original in flight.
Redeliver(r, msg) ==
    /\ msg.target = r
    /\ msg.source # r
    /\ msg.deltas # {}
    /\ Apply(r, msg)
    /\ UNCHANGED <<gossip_epoch, network, selective_mode>>

\* Replica r advances its gossip epoch and announces it with a heartbeat to every peer.
AdvanceEpoch(r) ==
    /\ gossip_epoch[r] < MaxEpoch
    /\ MessageCount + Cardinality(Replicas \ {r}) <= MaxMessages
    /\ gossip_epoch' = [gossip_epoch EXCEPT ![r] = @ + 1]
    /\ network' = network \cup {Message({}, gossip_epoch[r] + 1, r, t, "Heartbeat") : t \in Replicas \ {r}}
    /\ UNCHANGED <<local_state, processed_deltas, selective_mode>>

\* Replica r switches to selective routing.
EnableSelectiveMode(r) ==
    /\ ~selective_mode[r]
    /\ selective_mode' = [selective_mode EXCEPT ![r] = TRUE]
    /\ UNCHANGED <<local_state, processed_deltas, gossip_epoch, network>>

\* The network loses a message.
MessageLoss(msg) ==
    /\ Loss
    /\ network' = network \ {msg}
    /\ UNCHANGED <<local_state, processed_deltas, gossip_epoch, selective_mode>>

Next ==
    \/ \E r \in Replicas : \E k \in Keys : CreateDelta(r, k)
    \/ \E r \in Replicas : \E msg \in network : ReceiveGossip(r, msg)
    \/ \E r \in Replicas : \E msg \in network : Redeliver(r, msg)
    \/ \E r \in Replicas : AdvanceEpoch(r)
    \/ \E r \in Replicas : EnableSelectiveMode(r)
    \/ \E msg \in network : MessageLoss(msg)

Spec == Init /\ [][Next]_vars

\* r receives a message carrying delta d (the action weak fairness is put on).
ReceiveDelta(r, d) == \E msg \in {m \in network : d \in m.deltas} : ReceiveGossip(r, msg)

\* Every replica, for every delta, eventually receives a message carrying it that stays deliverable.
FairSpec == Spec /\ \A r \in Replicas : \A d \in DeltaIds : WF_vars(ReceiveDelta(r, d))

--------------------------------------------------------------------------------
(* Invariants. *)

\* Every message comes from a replica, and every delta it carries was created by that replica.
SourceCorrect ==
    \A msg \in network : msg.source \in Replicas /\ \A d \in msg.deltas : d.origin = msg.source

\* No replica sends a message to itself.
NoSelfTarget == \A msg \in network : msg.target # msg.source

\* Every replica has applied each delta it processed exactly once: its counters count its processed set.
NoDuplicateProcessing ==
    \A r \in Replicas, k \in Keys : local_state[r][k] = Cardinality({d \in processed_deltas[r] : d.key = k})

\* A targeted delta goes only to a replica responsible for its key.
SelectiveRouting ==
    \A msg \in network : msg.type = "TargetedDelta" => \A d \in msg.deltas : msg.target \in Responsible(d.key)

(* Action property. *)

\* No replica's gossip epoch goes down.
EpochMonotonic == [][\A r \in Replicas : gossip_epoch[r] <= gossip_epoch'[r]]_vars

(* Liveness. *)

\* Every delta created so far has reached every replica responsible for its key.
AllDelivered == \A d \in Created : \A o \in Responsible(d.key) : d \in processed_deltas[o]

\* From some point on, every delta created has reached every replica responsible for its key.
GossipDelivery == <>[]AllDelivered

================================================================================
