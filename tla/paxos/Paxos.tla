------------------------------- MODULE Paxos -------------------------------
(***************************************************************************)
(* Multi-Paxos with signed proposals (seed 001).                           *)
(*                                                                         *)
(* A proposal is <<round, attempt, proposer>>, ordered lexicographically;  *)
(* NoProposal is below every proposal.  For each round, an acceptor        *)
(* promises a proposal (never going below what it promised or accepted),   *)
(* and accepts <<proposal, value>> once some majority quorum has promised  *)
(* exactly that proposal and the value is the one of the highest proposal  *)
(* accepted inside the quorum (any value if none is).  A value is learned  *)
(* once a majority has accepted the same <<proposal, value>>.              *)
(*                                                                         *)
(* RespectAccepted = FALSE is the `ignore-accepted` gap: the value rule is *)
(* skipped, and a second value can be chosen.                              *)
(*                                                                         *)
(* Twin of src/models/paxos.rs in Protocol Explorer.  Quantifiers are      *)
(* nested (outer first) so TLC enumerates successors in the Rust order.    *)
(***************************************************************************)
EXTENDS Integers, FiniteSets

CONSTANTS
    Proposers,        \* proposer ids
    Acceptors,        \* acceptor ids
    Rounds,           \* rounds (log slots)
    Attempts,         \* attempt numbers, including 0
    Values,           \* values that may be proposed
    RespectAccepted   \* does Accept honour the quorum's accepted value?

ASSUME /\ 0 \in Attempts
       /\ RespectAccepted \in BOOLEAN

VARIABLES
    promised,         \* promised[a][r]: a proposal, or NoProposal
    accepted,         \* accepted[a][r]: [prop, val], or [prop |-> NoProposal, val |-> "none"]
    proposerAttempt,  \* proposerAttempt[p][r]: the proposer's current attempt (nothing reads it)
    learned           \* learned[r]: the values learned for round r

vars == << promised, accepted, proposerAttempt, learned >>

Proposals == Rounds \X Attempts \X Proposers
NoProposal == <<0, 0, 0>>
NoAcceptance == [prop |-> NoProposal, val |-> "none"]
Quorums == { Q \in SUBSET Acceptors : Cardinality(Q) * 2 > Cardinality(Acceptors) }

\* Lexicographic order on proposals; NoProposal is below all of them.
Less(p, q) == \/ p[1] < q[1]
              \/ p[1] = q[1] /\ p[2] < q[2]
              \/ p[1] = q[1] /\ p[2] = q[2] /\ p[3] < q[3]
GEq(p, q) == ~Less(p, q)

TypeOK ==
    /\ promised \in [Acceptors -> [Rounds -> Proposals \cup {NoProposal}]]
    /\ accepted \in [Acceptors -> [Rounds -> [prop : Proposals, val : Values] \cup {NoAcceptance}]]
    /\ proposerAttempt \in [Proposers -> [Rounds -> Attempts]]
    /\ learned \in [Rounds -> SUBSET Values]

Init ==
    /\ promised = [a \in Acceptors |-> [r \in Rounds |-> NoProposal]]
    /\ accepted = [a \in Acceptors |-> [r \in Rounds |-> NoAcceptance]]
    /\ proposerAttempt = [p \in Proposers |-> [r \in Rounds |-> 0]]
    /\ learned = [r \in Rounds |-> {}]

-----------------------------------------------------------------------------
Promise(a, p) ==
    LET r == p[1] IN
    /\ GEq(p, promised[a][r])
    /\ GEq(p, accepted[a][r].prop)
    /\ promised' = [promised EXCEPT ![a][r] = p]
    /\ UNCHANGED << accepted, proposerAttempt, learned >>

\* The value rule: the highest proposal accepted inside Q carries v, or none is.
ValueAllowed(Q, r, v) ==
    LET taken == { accepted[b][r] : b \in { b \in Q : accepted[b][r] # NoAcceptance } }
    IN  \/ ~RespectAccepted
        \/ taken = {}
        \/ \E t \in taken : t.val = v /\ \A u \in taken : GEq(t.prop, u.prop)

\* The majority quorums that all promised exactly p in round r and allow v.  Guards test this set
\* for emptiness rather than writing \E Q: TLC would otherwise generate the same successor once per
\* witness quorum and count each in "states generated".
QuorumsFor(r, p, v) == { Q \in Quorums : (\A b \in Q : promised[b][r] = p) /\ ValueAllowed(Q, r, v) }

Accept(a, p, v) ==
    LET r == p[1] IN
    /\ promised[a][r] = p
    /\ GEq(p, accepted[a][r].prop)
    /\ \A b \in Acceptors : accepted[b][r].prop = p => accepted[b][r].val = v
    /\ QuorumsFor(r, p, v) # {}
    /\ accepted' = [accepted EXCEPT ![a][r] = [prop |-> p, val |-> v]]
    /\ promised' = [promised EXCEPT ![a][r] = p]
    /\ UNCHANGED << proposerAttempt, learned >>

\* <<proposal, value>> pairs that a majority has accepted in round r.
ChosenAt(r, t) == \E Q \in Quorums : \A b \in Q : accepted[b][r] = t
Chosen(r) == { t \in { accepted[b][r] : b \in Acceptors } : t # NoAcceptance /\ ChosenAt(r, t) }

Learn(r, v) ==
    /\ v \in { t.val : t \in Chosen(r) }
    /\ learned' = [learned EXCEPT ![r] = @ \cup {v}]
    /\ UNCHANGED << promised, accepted, proposerAttempt >>

\* Kept because the seed has it: nothing reads proposerAttempt.  The attempt
\* rises by one, as in the seed, not to the next element of Attempts: with
\* Attempts = {0, 2} it never rises (MC.attempts-0-2.cfg checks this).
IncrementAttempt(p, r) ==
    /\ proposerAttempt[p][r] + 1 \in Attempts
    /\ proposerAttempt' = [proposerAttempt EXCEPT ![p][r] = @ + 1]
    /\ UNCHANGED << promised, accepted, learned >>

Next ==
    \/ \E a \in Acceptors : \E p \in Proposals : Promise(a, p)
    \/ \E a \in Acceptors : \E p \in Proposals : \E v \in Values : Accept(a, p, v)
    \/ \E r \in Rounds : \E v \in Values : Learn(r, v)
    \/ \E p \in Proposers : \E r \in Rounds : IncrementAttempt(p, r)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants. *)

\* At most one value is learned per round.
Agreement == \A r \in Rounds : Cardinality(learned[r]) <= 1

\* Learned values are values (any value may be proposed in this model).
Validity == \A r \in Rounds : learned[r] \subseteq Values

\* If majorities accepted <<p1, v1>> and <<p2, v2>> with p2 above p1, then v1 = v2.
Consistency ==
    \A r \in Rounds : \A a1, a2 \in Acceptors :
        LET t1 == accepted[a1][r]
            t2 == accepted[a2][r]
        IN  (t1 # NoAcceptance /\ t2 # NoAcceptance /\ ChosenAt(r, t1) /\ ChosenAt(r, t2) /\ Less(t1.prop, t2.prop))
                => t1.val = t2.val

\* A promise is never below what the acceptor has accepted.
PromiseIntegrity == \A a \in Acceptors : \A r \in Rounds : GEq(promised[a][r], accepted[a][r].prop)

=============================================================================
