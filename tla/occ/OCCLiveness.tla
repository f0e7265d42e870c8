---------------------------- MODULE OCCLiveness ----------------------------
(***************************************************************************)
(* Liveness of OCC.tla, in a module of its own: adding these definitions  *)
(* to OCC.tla changes the order in which TLC 2.15 keeps the variables      *)
(* internally, which is the order it compares permuted states in under     *)
(* SYMMETRY (and so the symmetric configs' figures).  The liveness cfgs    *)
(* (MC_termination*.cfg) check this module; `pex conform` picks            *)
(* <Module>Liveness.tla for a config with temporal properties.             *)
(***************************************************************************)
EXTENDS OCC

\* Every transaction that begins eventually commits or aborts (a transaction
\* begins at most once, so "eventually none is live, for ever").
Termination == <>[](\A t \in TxnIds : txnState[t] \notin {"Active", "Prepared"})

\* Weak fairness on each transaction's Abort: a live transaction cannot stay
\* live for ever.
FairSpec == Spec /\ \A t \in TxnIds : WF_vars(Abort(t))

=============================================================================
