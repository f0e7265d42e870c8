//! State fingerprints: 64 bits, as TLC uses, from a fixed-seed hash so a run is repeatable.

use std::hash::{BuildHasher, Hash};

/// The fixed seed; any constant works, a fixed one makes runs repeatable.
const SEED: u64 = 0x5eed_f00d_c0ff_ee42;

/// The 64-bit fingerprint of a value. foldhash's "quality" variant mixes its output fully, which
/// is what the collision estimate (TLC's formula) assumes.
#[inline]
pub fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    foldhash::quality::FixedState::with_seed(SEED).hash_one(value)
}
