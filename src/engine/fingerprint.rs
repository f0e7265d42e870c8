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

/// A bijective mix of 64 bits (the finaliser of MurmurHash3): a model that packs its state into a
/// `u64` exactly gets a well-spread fingerprint with no collisions at all.
#[inline]
pub fn mix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^= x >> 33;
    x
}

/// A fast fingerprint of a few machine words.
#[inline]
pub fn mix_words(words: &[u64]) -> u64 {
    let mut h: u64 = SEED;
    for &w in words {
        h = mix64(h ^ w).wrapping_add(0x9e37_79b9_7f4a_7c15);
    }
    mix64(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix64_is_a_bijection_on_a_sample() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..100_000u64 {
            assert!(seen.insert(mix64(i)));
        }
        assert_ne!(mix_words(&[1, 2]), mix_words(&[2, 1]));
    }
}
