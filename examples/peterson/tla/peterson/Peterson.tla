------------------------------ MODULE Peterson ------------------------------
(***************************************************************************)
(* Peterson's mutual exclusion for two processes, 0 and 1.                 *)
(*                                                                         *)
(* A process that wants the critical section raises its flag, then gives  *)
(* the turn to the other, then waits until the other's flag is down or the *)
(* turn is its own.  It leaves by lowering its flag.  The claim:           *)
(* MutualExclusion, never both in the critical section.                    *)
(*                                                                         *)
(*   idle --SetFlag--> set-turn --SetTurn--> wait --Enter--> cs --Exit-->  *)
(*                                                                         *)
(* UseTurn = FALSE is the `flag-after-check` gap, the naive two-flag       *)
(* protocol: no turn, and a process looks at the other's flag (Check)      *)
(* before it raises its own, so both can pass the check before either      *)
(* flag is up:                                                             *)
(*                                                                         *)
(*   idle --Check--> set-flag --SetFlag--> cs --Exit--> idle               *)
(*                                                                         *)
(* (Dropping turn but keeping the flag first gives a deadlock instead: two *)
(* raised flags and both waiting for ever; MutualExclusion still holds.)   *)
(*                                                                         *)
(* Twin of examples/peterson/src/lib.rs in Protocol Explorer.              *)
(***************************************************************************)
EXTENDS Integers

CONSTANTS
    UseTurn     \* FALSE: the flag-after-check gap

ASSUME UseTurn \in BOOLEAN

Procs == {0, 1}
Other(p) == 1 - p

VARIABLES
    flag,   \* flag[p]: process p wants the critical section
    turn,   \* who goes first when both want it
    pc      \* pc[p]: where process p is in its loop

vars == << flag, turn, pc >>

Labels == {"idle", "set-turn", "wait", "set-flag", "cs"}

TypeOK ==
    /\ flag \in [Procs -> BOOLEAN]
    /\ turn \in Procs
    /\ pc \in [Procs -> Labels]

Init ==
    /\ flag = [p \in Procs |-> FALSE]
    /\ turn = 0
    /\ pc = [p \in Procs |-> "idle"]

-----------------------------------------------------------------------------
(* The actions of process p. *)

\* Only in the gap: look at the other's flag before raising one's own.
Check(p) ==
    /\ ~UseTurn
    /\ pc[p] = "idle"
    /\ ~flag[Other(p)]
    /\ pc' = [pc EXCEPT ![p] = "set-flag"]
    /\ UNCHANGED << flag, turn >>

\* Raise the flag: first (Peterson), or after the check (the gap, straight into cs).
SetFlag(p) ==
    /\ pc[p] = IF UseTurn THEN "idle" ELSE "set-flag"
    /\ flag' = [flag EXCEPT ![p] = TRUE]
    /\ pc' = [pc EXCEPT ![p] = IF UseTurn THEN "set-turn" ELSE "cs"]
    /\ UNCHANGED turn

\* Give the turn to the other process.
SetTurn(p) ==
    /\ pc[p] = "set-turn"
    /\ turn' = Other(p)
    /\ pc' = [pc EXCEPT ![p] = "wait"]
    /\ UNCHANGED flag

\* Enter once the other does not want to, or it is p's turn.
Enter(p) ==
    /\ pc[p] = "wait"
    /\ ~flag[Other(p)] \/ turn = p
    /\ pc' = [pc EXCEPT ![p] = "cs"]
    /\ UNCHANGED << flag, turn >>

\* Leave the critical section and lower the flag.
Exit(p) ==
    /\ pc[p] = "cs"
    /\ flag' = [flag EXCEPT ![p] = FALSE]
    /\ pc' = [pc EXCEPT ![p] = "idle"]
    /\ UNCHANGED turn

-----------------------------------------------------------------------------
Next ==
    \/ \E p \in Procs : Check(p)
    \/ \E p \in Procs : SetFlag(p)
    \/ \E p \in Procs : SetTurn(p)
    \/ \E p \in Procs : Enter(p)
    \/ \E p \in Procs : Exit(p)

Spec == Init /\ [][Next]_vars

\* The steps process p takes once it has raised its flag (none is forced on
\* an idle process: it may stay idle for ever).
Steps(p) == SetTurn(p) \/ Enter(p) \/ Exit(p)

\* The `progress` config: weak fairness on each process's steps.
FairSpec == Spec /\ \A p \in Procs : WF_vars(Steps(p))

-----------------------------------------------------------------------------
(* Invariants. *)

\* Never both in the critical section.
MutualExclusion == ~(pc[0] = "cs" /\ pc[1] = "cs")

-----------------------------------------------------------------------------
(* Liveness (the `progress` config, under FairSpec). *)

\* A process that waits for the critical section eventually enters it.
Progress0 == pc[0] = "wait" ~> pc[0] = "cs"
Progress1 == pc[1] = "wait" ~> pc[1] = "cs"

=============================================================================
