------------------------------ MODULE {{Type}} ------------------------------
(***************************************************************************)
(* {{crate}}: a lock for two processes, 0 and 1 (the skeleton `pex new`   *)
(* writes: rewrite it, and src/lib.rs with it, action for action).         *)
(*                                                                         *)
(* A process takes the lock if it is free (test and set in one step),      *)
(* enters the critical section, and releases the lock when it leaves.      *)
(* At most MaxEntries entries in all, so the state space is small.  The    *)
(* claim: MutualExclusion, never both in the critical section.             *)
(*                                                                         *)
(* Atomic = FALSE is the `{{gap}}` gap: Test sees the lock free and    *)
(* Acquire sets it in a later step, so both can see it free.               *)
(*                                                                         *)
(* Twin of src/lib.rs.                                                     *)
(***************************************************************************)
EXTENDS Integers

CONSTANTS
    MaxEntries,  \* entries to the critical section, in all
    Atomic       \* FALSE: the {{gap}} gap

ASSUME /\ MaxEntries \in Nat
       /\ Atomic \in BOOLEAN

Procs == {0, 1}

VARIABLES
    locked,   \* the lock is taken
    entries,  \* entries to the critical section so far
    pc        \* pc[p]: where process p is

vars == << locked, entries, pc >>

TypeOK ==
    /\ locked \in BOOLEAN
    /\ entries \in 0..MaxEntries
    /\ pc \in [Procs -> {"idle", "set", "cs"}]

Init ==
    /\ locked = FALSE
    /\ entries = 0
    /\ pc = [p \in Procs |-> "idle"]

-----------------------------------------------------------------------------
(* The actions of process p. *)

\* Only in the gap: see the lock free; take it in a later step.
Test(p) ==
    /\ ~Atomic
    /\ pc[p] = "idle"
    /\ ~locked
    /\ pc' = [pc EXCEPT ![p] = "set"]
    /\ UNCHANGED << locked, entries >>

\* Take the lock and enter: test and set at once, or (the gap) set after Test.
Acquire(p) ==
    /\ IF Atomic THEN pc[p] = "idle" /\ ~locked ELSE pc[p] = "set"
    /\ entries < MaxEntries
    /\ locked' = TRUE
    /\ entries' = entries + 1
    /\ pc' = [pc EXCEPT ![p] = "cs"]

\* Leave the critical section and release the lock.
Release(p) ==
    /\ pc[p] = "cs"
    /\ locked' = FALSE
    /\ pc' = [pc EXCEPT ![p] = "idle"]
    /\ UNCHANGED entries

-----------------------------------------------------------------------------
Next ==
    \/ \E p \in Procs : Test(p)
    \/ \E p \in Procs : Acquire(p)
    \/ \E p \in Procs : Release(p)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants. *)

\* Never both in the critical section.
MutualExclusion == ~(pc[0] = "cs" /\ pc[1] = "cs")

=============================================================================
