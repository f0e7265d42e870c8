//! The protocols, one file each, each reading like its TLA+ twin in `tla/<name>/`.

pub mod anti_entropy;
pub mod composed;
pub mod crdt;
pub mod ebpf_ring;
pub mod gossip;
pub mod hlc;
pub mod mvcc;
pub mod occ;
pub mod paxos;
pub mod persistence;
pub mod routes;
pub mod seqlock;
#[cfg(test)]
mod testing;
