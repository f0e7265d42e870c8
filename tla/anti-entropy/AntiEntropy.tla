------------------------------ MODULE AntiEntropy ------------------------------
(***************************************************************************)
(* redis-rust's anti-entropy (seed 000): Merkle digests find where two    *)
(* replicas differ, and a request/response sync repairs it after a        *)
(* partition heals.                                                        *)
(*                                                                         *)
(* Each replica holds a store key -> entry, an entry being a value and    *)
(* the stamp (time, replica) of the write that made it.  The keys fall    *)
(* into buckets (KeyToBucket); each replica keeps a hash per bucket and a *)
(* root over them.  THE HASH IS ABSTRACT: a bucket's "hash" is the set of *)
(* its <<key, entry>> pairs and the root's "hash" is the tuple of the     *)
(* bucket hashes.  So two hashes are equal exactly when the contents are  *)
(* (a hash without collisions), and a digest carries the contents it      *)
(* summarises, which the properties below use.                            *)
(*                                                                         *)
(* LocalWrite stamps a new entry; ExchangeDigest compares two replicas'   *)
(* roots and marks (or clears) them as divergent; a divergent replica     *)
(* sends a SyncRequest carrying its root; the peer compares that root's   *)
(* buckets with its own and answers with a SyncResponse carrying the      *)
(* entries of every differing bucket and its own root; the requester      *)
(* merges them last-writer-wins and clears the mark.  CreatePartition     *)
(* cuts a link (dropping the syncs on it), HealPartition restores it and  *)
(* marks both sides divergent.                                            *)
(*                                                                         *)
(* Configurations (the two switches):                                     *)
(*   safe             SyncAllBuckets = TRUE, LwwMerge = TRUE              *)
(*   root-only        SyncAllBuckets = FALSE: the response carries only   *)
(*                    the first differing bucket, yet the requester       *)
(*                    clears its mark: it stays behind its peer in the    *)
(*                    other buckets, SyncReconciles fails.  (Not stuck:   *)
(*                    a later ExchangeDigest sees the roots differ again, *)
(*                    so under fairness the replicas still converge, one  *)
(*                    bucket per round.)                                  *)
(*   blind-overwrite  LwwMerge = FALSE: the response's entries overwrite  *)
(*                    the requester's, so a newer write is replaced by an *)
(*                    older entry: LwwMonotonic fails.                    *)
(*   healing          safe, checked against FairSpec: PartitionHealing    *)
(*                    and SyncCompleteness hold.                          *)
(*   healing-unfair   safe, FairSpecNoInitiate (no fairness on            *)
(*                    InitiateSync): a replica that knows it diverges     *)
(*                    never asks, PartitionHealing fails.                 *)
(*                                                                         *)
(* Repairs of the published spec (specs/tla/AntiEntropy.tla):            *)
(*  1. NULL was never declared.  An unwritten entry is Bottom, stamped    *)
(*     (time 0, replica 0): the write nobody made, older than any other.  *)
(*  2. Stamps were the writer's generation alone, so two replicas writing *)
(*     one key at the same generation tied, each kept its own entry       *)
(*     (remote wins only if strictly later), and they never converged.    *)
(*     A stamp is (time, replica), ordered by time then replica id.       *)
(*  3. A write took its time from the replica's generation, which a merge *)
(*     never advanced: a replica could write a key with a stamp older     *)
(*     than the entry it already held for it.  A write's time is the      *)
(*     key's current time + 1 (so the per-replica `generation` is gone,   *)
(*     and with it GenerationMonotonic, "generation >= 0", true of every  *)
(*     natural); MaxTimestamp bounds each key's time.                     *)
(*  4. ComputeBucketHash and ComputeRootHash read the unprimed store and  *)
(*     buckets, so after a write or a merge the hashes described the      *)
(*     state before it; and the "hashes" (one key's key * timestamp,      *)
(*     CHOOSE of a set) collided.  Hashes here are computed from the new  *)
(*     store and are the abstract, collision-free hash of the header.     *)
(*  5. HandleSyncResponse let any replica consume any response (the       *)
(*     response had no destination).  Responses carry dst, and only dst   *)
(*     takes them.                                                        *)
(*  6. CreatePartition dropped every response *from* either replica, on   *)
(*     any link.  It drops the requests and responses on the cut link.   *)
(*  7. MerkleConsistent was "merkle_root[r] \in Nat".  It checks that     *)
(*     every bucket hash and root matches the store.                      *)
(*  8. EventualConvergence (no partition and no sync in flight => equal   *)
(*     stores) fails after any LocalWrite, which nothing marks divergent  *)
(*     until the next ExchangeDigest.  Not kept; convergence is the       *)
(*     temporal PartitionHealing below.  PartitionHealTriggers used       *)
(*     primes in a state predicate; it is an action property here.        *)
(*  9. SyncCompleteness quantified p over divergent_peers[r] outside ~>,  *)
(*     which TLC cannot check as a leads-to per pair.  Here: whenever     *)
(*     some replica marks a peer it can reach as divergent, eventually no *)
(*     replica does.                                                      *)
(* 10. FairSpec's fairness was weak fairness on each action as a whole;   *)
(*     one replica's syncs could then starve the other's for ever (each   *)
(*     sync re-enables the next).  Fairness is per pair of replicas.      *)
(* 11. SyncReconciles ("after sync, divergent keys are reconciled", the   *)
(*     seed's SYNC_COMPLETENESS comment) and LwwMonotonic ("merge uses    *)
(*     CRDT semantics, not overwrite", CRDT_AWARE) were only comments.    *)
(*     Both are checked, as action properties.                            *)
(* Deliberate deviations:                                                 *)
(*  - peer_digests was written by ExchangeDigest and read by nothing; it  *)
(*    is dropped (it only multiplied the states).  Digests travel in the  *)
(*    sync messages instead.                                              *)
(*  - A SyncRequest carries the requester's root and the responder works  *)
(*    out the differing buckets (the seed's requester read its peer's     *)
(*    live hashes, which no replica can see).                             *)
(*  - InitiateSync waits until the replica's previous sync with that peer *)
(*    is answered: one sync per direction in flight.                      *)
(*  - Keys are 1..NumKeys, buckets 1..NumBuckets, key k in bucket         *)
(*    ((k - 1) % NumBuckets) + 1 (the seed: k % NumBuckets, from 0).      *)
(*  - ExchangeDigest, CreatePartition and HealPartition take r1 < r2 (the *)
(*    seed took both orders, the same successor twice).                   *)
(*  - No SYMMETRY: stamps order replicas by id.                           *)
(*                                                                         *)
(* Twin of src/models/anti_entropy.rs in Protocol Explorer; TLC and the   *)
(* Rust checker must agree on every figure.  Record fields are written in *)
(* alphabetical order and the constructors below are the first place each *)
(* field name appears (TLC orders fields by first appearance).            *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS
    Replicas,        \* replica ids, positive integers ordered by <
    NumKeys,         \* the keys are 1..NumKeys
    NumBuckets,      \* the Merkle buckets are 1..NumBuckets
    NumValues,       \* the values a write may store are 1..NumValues
    MaxTimestamp,    \* a replica writes a key only while its time is below this
    SyncAllBuckets,  \* TRUE: a response carries every differing bucket (safe)
    LwwMerge         \* TRUE: a response is merged last-writer-wins (safe)

ASSUME /\ Replicas \subseteq Nat \ {0}
       /\ NumKeys \in Nat \ {0}
       /\ NumBuckets \in Nat \ {0}
       /\ NumValues \in Nat \ {0}
       /\ MaxTimestamp \in Nat
       /\ SyncAllBuckets \in BOOLEAN
       /\ LwwMerge \in BOOLEAN

VARIABLES
    kv_state,         \* kv_state[r][k]: replica r's entry for key k
    merkle_buckets,   \* merkle_buckets[r][b]: r's hash of bucket b
    merkle_root,      \* merkle_root[r]: r's root hash
    divergent_peers,  \* divergent_peers[r]: the peers r believes differ from it
    pending_syncs,    \* the sync requests and responses in flight
    partitioned       \* partitioned[r1][r2]: the link between r1 and r2 is cut

vars == <<kv_state, merkle_buckets, merkle_root, divergent_peers, pending_syncs, partitioned>>

\* The record constructors, first (see the header).
SyncResponse(ds, dg, to, from) == [deltas |-> ds, digest |-> dg, dst |-> to, src |-> from, type |-> "SyncResponse"]
SyncRequest(dg, to, from) == [digest |-> dg, dst |-> to, src |-> from, type |-> "SyncRequest"]
Entry(rep, t, v) == [replica |-> rep, time |-> t, value |-> v]

Keys == 1..NumKeys
Buckets == 1..NumBuckets
Values == 1..NumValues

\* Every entry before any write: the write nobody made, at time 0.
Bottom == Entry(0, 0, 0)

--------------------------------------------------------------------------------
\* Types.

EntryType == [replica : Replicas \cup {0}, time : 0..MaxTimestamp, value : Values \cup {0}]
StoreType == [Keys -> EntryType]
BucketHashType == SUBSET (Keys \X EntryType)
RootType == [Buckets -> BucketHashType]
MessageType ==
    [digest : RootType, dst : Replicas, src : Replicas, type : {"SyncRequest"}]
        \cup [deltas : BucketHashType, digest : RootType, dst : Replicas, src : Replicas, type : {"SyncResponse"}]

TypeOK ==
    /\ kv_state \in [Replicas -> StoreType]
    /\ merkle_buckets \in [Replicas -> RootType]
    /\ merkle_root \in [Replicas -> RootType]
    /\ divergent_peers \in [Replicas -> SUBSET Replicas]
    /\ pending_syncs \subseteq MessageType
    /\ partitioned \in [Replicas -> [Replicas -> BOOLEAN]]

--------------------------------------------------------------------------------
\* Stamps, hashes and the merge.

\* The order of stamps: by time, then by replica id.
StampLT(a, b) == a.time < b.time \/ (a.time = b.time /\ a.replica < b.replica)

KeyToBucket(k) == ((k - 1) % NumBuckets) + 1
KeysOf(b) == {k \in Keys : KeyToBucket(k) = b}

\* The abstract hashes (see the header): a bucket's is its <<key, entry>> pairs, the
\* root's the tuple of the bucket hashes.
BucketHash(store, b) == {<<k, store[k]>> : k \in KeysOf(b)}
BucketHashes(store) == [b \in Buckets |-> BucketHash(store, b)]
RootHash(hashes) == [b \in Buckets |-> hashes[b]]

\* The buckets in which a digest (a root) differs from replica r's hashes.
DivergentBuckets(digest, r) == {b \in Buckets : digest[b] # merkle_buckets[r][b]}

\* The buckets a response carries: every differing one, or (root-only) the first.
SentBuckets(diff) ==
    IF SyncAllBuckets \/ diff = {} THEN diff ELSE {CHOOSE b \in diff : \A c \in diff : b <= c}

\* Last writer wins (or, blind-overwrite, the remote entry always).
MergeValue(local, remote) == IF ~LwwMerge \/ StampLT(local, remote) THEN remote ELSE local

\* The store after merging a response's deltas (a set of <<key, entry>> pairs).
Merged(store, deltas) ==
    [k \in Keys |-> IF \E d \in deltas : d[1] = k
                    THEN MergeValue(store[k], (CHOOSE d \in deltas : d[1] = k)[2])
                    ELSE store[k]]

\* r's own sync with peer (its request, or the answer to it) is in flight.
SyncInFlight(r, peer) ==
    \E m \in pending_syncs :
        \/ m.type = "SyncRequest" /\ m.src = r /\ m.dst = peer
        \/ m.type = "SyncResponse" /\ m.src = peer /\ m.dst = r

OnLink(m, r1, r2) == {m.src, m.dst} = {r1, r2}

--------------------------------------------------------------------------------

Init ==
    /\ kv_state = [r \in Replicas |-> [k \in Keys |-> Bottom]]
    /\ merkle_buckets = [r \in Replicas |-> BucketHashes([k \in Keys |-> Bottom])]
    /\ merkle_root = [r \in Replicas |-> RootHash(BucketHashes([k \in Keys |-> Bottom]))]
    /\ divergent_peers = [r \in Replicas |-> {}]
    /\ pending_syncs = {}
    /\ partitioned = [r1 \in Replicas |-> [r2 \in Replicas |-> FALSE]]

\* Replica r writes v to key k, stamped one past the key's time, and rehashes.
LocalWrite(r, k, v) ==
    /\ kv_state[r][k].time < MaxTimestamp
    /\ LET store == [kv_state[r] EXCEPT ![k] = Entry(r, kv_state[r][k].time + 1, v)]
       IN /\ kv_state' = [kv_state EXCEPT ![r] = store]
          /\ merkle_buckets' = [merkle_buckets EXCEPT ![r] = BucketHashes(store)]
          /\ merkle_root' = [merkle_root EXCEPT ![r] = RootHash(BucketHashes(store))]
    /\ UNCHANGED <<divergent_peers, pending_syncs, partitioned>>

\* Two replicas that can reach each other compare roots: different roots mark both
\* divergent, equal roots clear the marks.
ExchangeDigest(r1, r2) ==
    /\ r1 < r2
    /\ ~partitioned[r1][r2]
    /\ IF merkle_root[r1] # merkle_root[r2]
       THEN divergent_peers' = [divergent_peers EXCEPT ![r1] = @ \cup {r2}, ![r2] = @ \cup {r1}]
       ELSE divergent_peers' = [divergent_peers EXCEPT ![r1] = @ \ {r2}, ![r2] = @ \ {r1}]
    /\ UNCHANGED <<kv_state, merkle_buckets, merkle_root, pending_syncs, partitioned>>

\* A replica that believes it differs from a peer it can reach asks for a sync,
\* sending its root.
InitiateSync(r, peer) ==
    /\ peer \in divergent_peers[r]
    /\ ~partitioned[r][peer]
    /\ ~SyncInFlight(r, peer)
    /\ pending_syncs' = pending_syncs \cup {SyncRequest(merkle_root[r], peer, r)}
    /\ UNCHANGED <<kv_state, merkle_buckets, merkle_root, divergent_peers, partitioned>>

\* The peer answers with the entries of the buckets where the request's root differs
\* from its own hashes (root-only: the first of them), and its root.
HandleSyncRequest(req) ==
    /\ req.type = "SyncRequest"
    /\ ~partitioned[req.dst][req.src]
    /\ LET p == req.dst
           sent == SentBuckets(DivergentBuckets(req.digest, p))
           deltas == UNION {merkle_buckets[p][b] : b \in sent}
       IN pending_syncs' = (pending_syncs \ {req}) \cup {SyncResponse(deltas, merkle_root[p], req.src, p)}
    /\ UNCHANGED <<kv_state, merkle_buckets, merkle_root, divergent_peers, partitioned>>

\* The requester merges the response's entries, rehashes and clears its mark.
HandleSyncResponse(resp) ==
    /\ resp.type = "SyncResponse"
    /\ ~partitioned[resp.src][resp.dst]
    /\ LET r == resp.dst
           store == Merged(kv_state[r], resp.deltas)
       IN /\ kv_state' = [kv_state EXCEPT ![r] = store]
          /\ merkle_buckets' = [merkle_buckets EXCEPT ![r] = BucketHashes(store)]
          /\ merkle_root' = [merkle_root EXCEPT ![r] = RootHash(BucketHashes(store))]
          /\ divergent_peers' = [divergent_peers EXCEPT ![r] = @ \ {resp.src}]
    /\ pending_syncs' = pending_syncs \ {resp}
    /\ UNCHANGED partitioned

\* The link between r1 and r2 is cut; the syncs in flight on it are dropped.
CreatePartition(r1, r2) ==
    /\ r1 < r2
    /\ ~partitioned[r1][r2]
    /\ partitioned' = [partitioned EXCEPT ![r1][r2] = TRUE, ![r2][r1] = TRUE]
    /\ pending_syncs' = {m \in pending_syncs : ~OnLink(m, r1, r2)}
    /\ UNCHANGED <<kv_state, merkle_buckets, merkle_root, divergent_peers>>

\* The link is restored, and both sides are marked divergent to trigger a sync.
HealPartition(r1, r2) ==
    /\ r1 < r2
    /\ partitioned[r1][r2]
    /\ partitioned' = [partitioned EXCEPT ![r1][r2] = FALSE, ![r2][r1] = FALSE]
    /\ divergent_peers' = [divergent_peers EXCEPT ![r1] = @ \cup {r2}, ![r2] = @ \cup {r1}]
    /\ UNCHANGED <<kv_state, merkle_buckets, merkle_root, pending_syncs>>

Next ==
    \/ \E r \in Replicas : \E k \in Keys : \E v \in Values : LocalWrite(r, k, v)
    \/ \E r1 \in Replicas : \E r2 \in Replicas : ExchangeDigest(r1, r2)
    \/ \E r \in Replicas : \E peer \in Replicas : InitiateSync(r, peer)
    \/ \E req \in pending_syncs : HandleSyncRequest(req)
    \/ \E resp \in pending_syncs : HandleSyncResponse(resp)
    \/ \E r1 \in Replicas : \E r2 \in Replicas : CreatePartition(r1, r2)
    \/ \E r1 \in Replicas : \E r2 \in Replicas : HealPartition(r1, r2)

Spec == Init /\ [][Next]_vars

--------------------------------------------------------------------------------
(* Invariants. *)

\* Every bucket hash and root matches the replica's store.
MerkleConsistent ==
    \A r \in Replicas :
        /\ merkle_buckets[r] = BucketHashes(kv_state[r])
        /\ merkle_root[r] = RootHash(merkle_buckets[r])

\* No replica marks itself divergent.
NoSelfDivergence == \A r \in Replicas : r \notin divergent_peers[r]

\* A link is cut both ways or neither.
PartitionSymmetric == \A r1, r2 \in Replicas : partitioned[r1][r2] = partitioned[r2][r1]

\* Every sync request and response goes between two different replicas.
SyncRequestsValid ==
    \A m \in pending_syncs : m.src \in Replicas /\ m.dst \in Replicas /\ m.src # m.dst

(* Action properties. *)

\* A heal marks each side divergent from the other.
PartitionHealTriggers ==
    [][\A r1, r2 \in Replicas : (partitioned[r1][r2] /\ ~partitioned'[r1][r2]) => r2 \in divergent_peers'[r1]]_vars

\* A store holds, for every key, an entry at least as new as the digest's.
Dominates(store, digest) == \A b \in Buckets : \A d \in digest[b] : ~StampLT(store[d[1]], d[2])

\* Merging a response (taken off a link that stays up) leaves the requester at least as
\* new as the responder's root in every key: after a sync, the divergent keys are reconciled.
SyncReconciles ==
    [][\A m \in pending_syncs \ pending_syncs' :
          (m.type = "SyncResponse" /\ ~partitioned'[m.src][m.dst]) => Dominates(kv_state'[m.dst], m.digest)]_vars

\* No replica's entry for a key is replaced by an older one: no write is lost.
LwwMonotonic == [][\A r \in Replicas, k \in Keys : ~StampLT(kv_state'[r][k], kv_state[r][k])]_vars

--------------------------------------------------------------------------------
(* Liveness. *)

Connected == \A r1, r2 \in Replicas : ~partitioned[r1][r2]
Converged == \A r1, r2 \in Replicas : kv_state[r1] = kv_state[r2]
MarkedReachable == \E r, p \in Replicas : p \in divergent_peers[r] /\ ~partitioned[r][p]

\* Once every link is up and the stores differ, the replicas come to hold equal stores,
\* unless a link is cut again first.
PartitionHealing == (Connected /\ ~Converged) ~> (Converged \/ ~Connected)

\* Whenever a replica marks a peer it can reach as divergent, eventually none does.
SyncCompleteness == MarkedReachable ~> ~MarkedReachable

\* One sync action per ordered pair of replicas, for fairness per pair.
HandleRequestOn(r, p) == \E req \in pending_syncs : req.src = r /\ req.dst = p /\ HandleSyncRequest(req)
HandleResponseOn(r, p) == \E resp \in pending_syncs : resp.src = r /\ resp.dst = p /\ HandleSyncResponse(resp)

FairSpec ==
    /\ Spec
    /\ \A r1, r2 \in Replicas : WF_vars(ExchangeDigest(r1, r2))
    /\ \A r, p \in Replicas : WF_vars(InitiateSync(r, p))
    /\ \A r, p \in Replicas : WF_vars(HandleRequestOn(r, p))
    /\ \A r, p \in Replicas : WF_vars(HandleResponseOn(r, p))

\* The liveness gap: nothing obliges a divergent replica to ask for a sync.
FairSpecNoInitiate ==
    /\ Spec
    /\ \A r1, r2 \in Replicas : WF_vars(ExchangeDigest(r1, r2))
    /\ \A r, p \in Replicas : WF_vars(HandleRequestOn(r, p))
    /\ \A r, p \in Replicas : WF_vars(HandleResponseOn(r, p))

================================================================================
