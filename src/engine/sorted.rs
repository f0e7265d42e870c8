//! Sorting a model's small sets: a network after a send, a version chain after a write.
//!
//! An insertion sort rather than the standard library's. A state's sets are short and almost
//! always sorted already (a few elements pushed onto a sorted vector), where an insertion sort
//! does one comparison per element; and it is a few hundred bytes of wasm per element type, where
//! `sort`/`sort_unstable` inline tens of kilobytes per type (quicksort, merges, sorting networks)
//! into both wasm files. Stable, so it orders exactly as `sort` does, and as `sort_unstable` does
//! for a total order whose equal elements are identical (every derived `Ord` here).

use std::cmp::Ordering;

/// Sorts `v` in ascending order, stably.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sorts `v` by `cmp`, stably.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && cmp(&v[j - 1], &v[j]) == Ordering::Greater {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_the_standard_sort_does() {
        let mut seed = 7u64;
        for len in 0..40 {
            let v: Vec<(u8, u32)> = (0..len as u32)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let (mut ours, mut std) = (v.clone(), v.clone());
            sort(&mut ours);
            std.sort();
            assert_eq!(ours, std);
            // Stable: by the first field only, equal keys keep their order.
            let (mut ours, mut std) = (v.clone(), v);
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std);
        }
    }
}
