-------------------------------- MODULE HLC --------------------------------
(***************************************************************************)
(* elastickv's hybrid logical clock under leader changes (seed 003).       *)
(*                                                                         *)
(* Raft is abstract: BecomeLeader(n) makes n the leader of the next term.  *)
(* Each node has a wall clock (ticking within a bounded skew of the       *)
(* others), a physical ceiling that the leader renews through Raft        *)
(* (ApplyCeiling raises every node's ceiling to the leader's wall plus a   *)
(* window), and the last HLC value it issued.  An HLC value is            *)
(* <<wall, logical>>, ordered by wall, then logical.  The leader issues a  *)
(* timestamp from now = max(wall, ceiling): (now, 0) when now is past the  *)
(* last wall, else the next logical value, and on logical overflow         *)
(* (last wall + 1, 0).  Every issued timestamp is recorded with its term,  *)
(* node and issuance number (seq) in committedTS.                          *)
(*                                                                         *)
(* EnableSafety = TRUE (safe): a new leader first raises its last HLC to   *)
(* the highest applied timestamp (maxAppliedHLC), and a leader may issue   *)
(* only while its wall clock is below the ceiling.  EnableSafety = FALSE   *)
(* (the `gap`): neither, and a later term can issue a timestamp that is    *)
(* not above an earlier term's: HLC4_NoRegressionAcrossTerms fails.        *)
(*                                                                         *)
(* Twin of src/models/hlc.rs in Protocol Explorer; TLC and the Rust        *)
(* checker must agree on every figure, with and without SYMMETRY.  Record  *)
(* fields are written in alphabetical order: TLC orders fields by first    *)
(* appearance in the spec, the Rust side alphabetically, and sets of       *)
(* records are sorted (and printed) in that order.                         *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS
    Nodes,                \* the nodes (symmetric)
    MaxClockSkewMs,       \* bound on the difference between two wall clocks
    HlcPhysicalWindowMs,  \* how far past the leader's wall a renewed ceiling reaches
    MaxTerms,             \* terms 1..MaxTerms can be led
    MaxOps,               \* at most this many timestamps are issued
    MaxWallTime,          \* wall clocks stop at this value
    LogicalMax,           \* the logical counter wraps past this value
    EnableSafety          \* TRUE: leader handoff observes maxAppliedHLC, ceiling fence on

ASSUME /\ MaxClockSkewMs \in Nat
       /\ HlcPhysicalWindowMs \in Nat
       /\ MaxClockSkewMs < HlcPhysicalWindowMs
       /\ MaxTerms \in Nat \ {0}
       /\ MaxOps \in Nat
       /\ MaxWallTime \in Nat
       /\ LogicalMax \in Nat
       /\ EnableSafety \in BOOLEAN

VARIABLES
    activeTerm,       \* the highest term that has a leader (0 before the first election)
    leaderOf,         \* leaderOf[t] for t \in 0..MaxTerms: its leader, or NoLeader
    currentTerm,      \* currentTerm[n]: the term n last became leader of (0 if never)
    hlcLast,          \* hlcLast[n]: the last HLC value n issued or observed
    physicalCeiling,  \* physicalCeiling[n]: the ceiling applied on n
    wallNow,          \* wallNow[n]: n's wall clock
    maxAppliedHLC,    \* the highest timestamp applied so far
    committedTS,      \* every issued timestamp, as a record [node, seq, term, ts]
    opCount           \* how many timestamps have been issued

vars == << activeTerm, leaderOf, currentTerm, hlcLast, physicalCeiling, wallNow,
           maxAppliedHLC, committedTS, opCount >>

NoLeader == "none"
Terms == 0..MaxTerms

\* An issued timestamp as recorded in committedTS.
Commit(n, s, t, h) == [node |-> n, seq |-> s, term |-> t, ts |-> h]

\* HLC values <<wall, logical>> and their order.
HLCValues == Nat \X (0..LogicalMax)
HLCLess(x, y) == \/ x[1] < y[1]
                 \/ x[1] = y[1] /\ x[2] < y[2]
HLCLeq(x, y) == ~HLCLess(y, x)
HLCMax(x, y) == IF HLCLess(x, y) THEN y ELSE x
Max(a, b) == IF a >= b THEN a ELSE b

TypeOK ==
    /\ activeTerm \in Terms
    /\ leaderOf \in [Terms -> Nodes \cup {NoLeader}]
    /\ currentTerm \in [Nodes -> Terms]
    /\ hlcLast \in [Nodes -> HLCValues]
    /\ physicalCeiling \in [Nodes -> Nat]
    /\ wallNow \in [Nodes -> 0..MaxWallTime]
    /\ maxAppliedHLC \in HLCValues
    /\ committedTS \subseteq [node : Nodes, seq : 0..MaxOps, term : 1..MaxTerms, ts : HLCValues]
    /\ opCount \in 0..MaxOps

Init ==
    /\ activeTerm = 0
    /\ leaderOf = [t \in Terms |-> NoLeader]
    /\ currentTerm = [n \in Nodes |-> 0]
    /\ hlcLast = [n \in Nodes |-> <<0, 0>>]
    /\ physicalCeiling = [n \in Nodes |-> 0]
    /\ wallNow = [n \in Nodes |-> 0]
    /\ maxAppliedHLC = <<0, 0>>
    /\ committedTS = {}
    /\ opCount = 0

IsLeader(n) == activeTerm > 0 /\ leaderOf[activeTerm] = n

-----------------------------------------------------------------------------
\* n is elected leader of the next term; with safety on, it first observes maxAppliedHLC.
BecomeLeader(n) ==
    /\ activeTerm < MaxTerms
    /\ activeTerm' = activeTerm + 1
    /\ leaderOf' = [leaderOf EXCEPT ![activeTerm + 1] = n]
    /\ currentTerm' = [currentTerm EXCEPT ![n] = activeTerm + 1]
    /\ hlcLast' = IF EnableSafety THEN [hlcLast EXCEPT ![n] = HLCMax(@, maxAppliedHLC)]
                                  ELSE hlcLast
    /\ UNCHANGED << physicalCeiling, wallNow, maxAppliedHLC, committedTS, opCount >>

\* n's wall clock advances by one, keeping every pair of clocks within the skew bound.
TickWall(n) ==
    LET w == [wallNow EXCEPT ![n] = @ + 1] IN
    /\ wallNow[n] < MaxWallTime
    /\ \A a \in Nodes : \A b \in Nodes : w[a] <= w[b] + MaxClockSkewMs
    /\ wallNow' = w
    /\ UNCHANGED << activeTerm, leaderOf, currentTerm, hlcLast, physicalCeiling,
                    maxAppliedHLC, committedTS, opCount >>

\* The leader renews the ceiling through Raft: every node's ceiling becomes
\* max(ceiling, wallNow[n] + HlcPhysicalWindowMs).
ApplyCeiling(n) ==
    /\ IsLeader(n)
    /\ physicalCeiling' = [m \in Nodes |-> Max(physicalCeiling[m], wallNow[n] + HlcPhysicalWindowMs)]
    /\ UNCHANGED << activeTerm, leaderOf, currentTerm, hlcLast, wallNow,
                    maxAppliedHLC, committedTS, opCount >>

\* The next HLC value after last, at physical time now.
NextHLC(last, now) ==
    IF now > last[1] THEN <<now, 0>>
    ELSE IF last[2] < LogicalMax THEN <<last[1], last[2] + 1>>
    ELSE <<last[1] + 1, 0>>

\* The leader issues a timestamp; with safety on, only while its wall is below the ceiling.
IssueTimestamp(n) ==
    LET issued == NextHLC(hlcLast[n], Max(wallNow[n], physicalCeiling[n])) IN
    /\ IsLeader(n)
    /\ opCount < MaxOps
    /\ EnableSafety => wallNow[n] < physicalCeiling[n]
    /\ hlcLast' = [hlcLast EXCEPT ![n] = issued]
    /\ committedTS' = committedTS \cup {Commit(n, opCount, activeTerm, issued)}
    /\ maxAppliedHLC' = HLCMax(maxAppliedHLC, issued)
    /\ opCount' = opCount + 1
    /\ UNCHANGED << activeTerm, leaderOf, currentTerm, physicalCeiling, wallNow >>

Next ==
    \/ \E n \in Nodes : BecomeLeader(n)
    \/ \E n \in Nodes : TickWall(n)
    \/ \E n \in Nodes : ApplyCeiling(n)
    \/ \E n \in Nodes : IssueTimestamp(n)

Spec == Init /\ [][Next]_vars

\* TLC's CONSTRAINT: states outside it are checked but not explored.
StateConstraint ==
    /\ opCount <= MaxOps
    /\ activeTerm <= MaxTerms
    /\ \A n \in Nodes : wallNow[n] <= MaxWallTime
    /\ \A n \in Nodes : hlcLast[n][1] <= MaxWallTime + 2
    /\ \A n \in Nodes : physicalCeiling[n] <= MaxWallTime + HlcPhysicalWindowMs

NodeSymmetry == Permutations(Nodes)

-----------------------------------------------------------------------------
(* Invariants. *)

\* HLC-1: a node's timestamps rise with their issuance order.
HLC1_PerNodeMonotonic ==
    \A r1, r2 \in committedTS :
        (r1.node = r2.node /\ r1.seq < r2.seq) => HLCLess(r1.ts, r2.ts)

\* HLC-2 (state form): ceilings are natural numbers.
HLC2_NonNeg == \A n \in Nodes : physicalCeiling[n] >= 0

\* HLC-3: every timestamp was issued by the leader of its term.
HLC3_LeaderOnly == \A r \in committedTS : r.term > 0 /\ leaderOf[r.term] = r.node

\* HLC-4: a later term's timestamps are strictly above an earlier term's.
HLC4_NoRegressionAcrossTerms ==
    \A r1, r2 \in committedTS : r1.term < r2.term => HLCLess(r1.ts, r2.ts)

(* Action properties. *)

\* HLC-1 (step form): no node's last HLC goes down.
HLC1_Action == [][\A n \in Nodes : HLCLeq(hlcLast[n], hlcLast'[n])]_vars

\* HLC-2 (step form): no ceiling goes down.
HLC2_Action == [][\A n \in Nodes : physicalCeiling[n] <= physicalCeiling'[n]]_vars

=============================================================================
