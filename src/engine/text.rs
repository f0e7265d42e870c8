//! Words for counts: "1 state", "2 states", never "1 states" or "state(s)". For every layer (CLI,
//! explorer, UI): `plural(n, "state", "states")`, or `noun(n, ..)` for the word alone.

use std::fmt::Display;

/// An integer count (any of Rust's integer types).
pub trait Count: Copy + Display {
    fn is_one(self) -> bool;
}

macro_rules! count {
    ($($t:ty),*) => {$(impl Count for $t { fn is_one(self) -> bool { self == 1 } })*};
}
count!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

/// The count and the noun that agrees with it: `plural(1, "state", "states")` is "1 state",
/// `plural(0, "state", "states")` is "0 states".
pub fn plural<N: Count>(n: N, one: &str, many: &str) -> String {
    format!("{n} {}", noun(n, one, many))
}

/// The noun alone, for sentences that put the count elsewhere ("2 of 3 runs").
pub fn noun<'a, N: Count>(n: N, one: &'a str, many: &'a str) -> &'a str {
    if n.is_one() {
        one
    } else {
        many
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(plural(1u64, "state", "states"), "1 state");
        assert_eq!(plural(0usize, "state", "states"), "0 states");
        assert_eq!(plural(2u32, "property", "properties"), "2 properties");
        assert_eq!(plural(-1i64, "step", "steps"), "-1 steps");
        assert_eq!(noun(1u8, "run", "runs"), "run");
        assert_eq!(noun(11u8, "run", "runs"), "runs");
    }
}
