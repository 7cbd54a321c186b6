//! The deck of cards: a keyed permutation of `0..n` that deals claim `π(s)` to slot `s`, and
//! the deal [`Block`]s whose users share one deck per claim type.
//!
//! Small decks are shuffled exactly by a keyed Fisher–Yates shuffle held in memory (4 bytes a
//! card); large decks use a balanced Feistel network with cycle-walking, which needs O(1)
//! memory and O(1) work per card, so one beneficiary's claims can be dealt without touching
//! the rest of the deck. The Feistel network uses many rounds of a strong mixing function
//! because few rounds leave a card's position measurably non-uniform; the tests check it
//! with a chi-square statistic.

mod block;

pub use block::Block;

use crate::rng::{Domain, Draw};

/// Decks up to this many cards are shuffled exactly in memory.
const EXACT_LIMIT: u64 = 1 << 16;
/// Feistel rounds for large decks.
const ROUNDS: usize = 16;

/// A keyed pseudo-random permutation of `0..n`.
#[derive(Clone, Debug)]
pub struct Permutation {
    n: u64,
    how: How,
}

#[derive(Clone, Debug)]
enum How {
    Identity,
    Exact(Vec<u32>),
    Feistel { half_bits: u32, keys: [u64; ROUNDS] },
}

impl Permutation {
    /// The permutation of `0..n` for `(seed, deck)`.
    pub fn new(seed: u64, deck: u64, n: u64) -> Permutation {
        let mut draw = Draw::new(seed, Domain::Deck, deck);
        let how = if n <= EXACT_LIMIT {
            let mut cards: Vec<u32> = (0..n as u32).collect();
            for i in (1..cards.len()).rev() {
                let j = draw.below(i as u64 + 1) as usize;
                cards.swap(i, j);
            }
            How::Exact(cards)
        } else {
            let bits = 64 - (n - 1).leading_zeros();
            let half_bits = bits.div_ceil(2);
            let mut keys = [0u64; ROUNDS];
            for k in &mut keys {
                *k = draw.bits();
            }
            How::Feistel { half_bits, keys }
        };
        Permutation { n, how }
    }

    /// The identity permutation of `0..n` (slot `s` gets card `s`): a test hook that deals
    /// the deck unshuffled.
    #[doc(hidden)]
    pub fn identity(n: u64) -> Permutation {
        Permutation {
            n,
            how: How::Identity,
        }
    }

    /// Number of cards.
    pub fn len(&self) -> u64 {
        self.n
    }

    /// Whether the deck is empty.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The card dealt to slot `s` (`s < n`).
    #[inline]
    pub fn apply(&self, s: u64) -> u64 {
        debug_assert!(s < self.n);
        match &self.how {
            How::Identity => s,
            How::Exact(cards) => u64::from(cards[s as usize]),
            How::Feistel { half_bits, keys } => {
                // Cycle-walking: the network permutes 0..2^(2h) ⊇ 0..n, so re-applying it until
                // the value falls inside the deck permutes 0..n. The domain is below 4n, so
                // the expected number of walks is below 4.
                let mut x = s;
                loop {
                    x = feistel(x, *half_bits, keys);
                    if x < self.n {
                        return x;
                    }
                }
            }
        }
    }

    /// The slot that card `c` is dealt to (`c < n`): the inverse of [`Permutation::apply`].
    /// O(n) for small decks (a scan of the shuffle), O(1) for large ones.
    pub fn invert(&self, c: u64) -> u64 {
        debug_assert!(c < self.n);
        match &self.how {
            How::Identity => c,
            How::Exact(cards) => cards
                .iter()
                .position(|&x| u64::from(x) == c)
                .expect("a permutation holds every card") as u64,
            How::Feistel { half_bits, keys } => {
                // Walking the inverse network back from `c` passes the same out-of-deck values
                // the forward walk passed, in reverse, and stops at the first one inside.
                let mut x = c;
                loop {
                    x = feistel_inverse(x, *half_bits, keys);
                    if x < self.n {
                        return x;
                    }
                }
            }
        }
    }
}

#[inline]
fn feistel_inverse(x: u64, half_bits: u32, keys: &[u64; ROUNDS]) -> u64 {
    let mask = (1u64 << half_bits) - 1;
    let mut l = x >> half_bits;
    let mut r = x & mask;
    for &k in keys.iter().rev() {
        let f = mix(l ^ k) & mask;
        (l, r) = (r ^ f, l);
    }
    (l << half_bits) | r
}

#[inline]
fn feistel(x: u64, half_bits: u32, keys: &[u64; ROUNDS]) -> u64 {
    let mask = (1u64 << half_bits) - 1;
    let mut l = x >> half_bits;
    let mut r = x & mask;
    for &k in keys {
        let f = mix(r ^ k) & mask;
        (l, r) = (r, l ^ f);
    }
    (l << half_bits) | r
}

/// A strong 64-bit mixer (the MurmurHash3 / SplitMix64 finaliser family).
#[inline]
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_bijection(n: u64, seed: u64) {
        let p = Permutation::new(seed, 3, n);
        let mut seen = vec![false; n as usize];
        for s in 0..n {
            let c = p.apply(s);
            assert!(!seen[c as usize], "n={n}: card {c} dealt twice");
            seen[c as usize] = true;
            if n > EXACT_LIMIT || s % 97 == 0 {
                assert_eq!(p.invert(c), s, "n={n}: invert undoes apply");
            }
        }
    }

    #[test]
    fn is_a_bijection_for_many_sizes() {
        for n in [
            1,
            2,
            3,
            7,
            64,
            97,
            1000,
            65_535,
            65_536,
            65_537,
            131_072,
            200_003,
            1 << 20,
        ] {
            assert_bijection(n, 42);
        }
    }

    #[test]
    fn large_decks_use_constant_memory() {
        let p = Permutation::new(1, 0, 1 << 40);
        assert!(matches!(p.how, How::Feistel { .. }));
        let c = p.apply((1 << 40) - 1);
        assert!(c < 1 << 40);
        assert_eq!(p.invert(c), (1 << 40) - 1);
        let id = Permutation::identity(10);
        assert_eq!((id.apply(7), id.invert(7)), (7, 7));
    }

    #[test]
    fn different_seeds_and_decks_shuffle_differently() {
        for n in [1000u64, 1 << 20] {
            let a: Vec<u64> = (0..50)
                .map(|s| Permutation::new(1, 0, n).apply(s))
                .collect();
            let b: Vec<u64> = (0..50)
                .map(|s| Permutation::new(2, 0, n).apply(s))
                .collect();
            let c: Vec<u64> = (0..50)
                .map(|s| Permutation::new(1, 1, n).apply(s))
                .collect();
            assert_ne!(a, b);
            assert_ne!(a, c);
        }
    }

    /// Chi-square statistic of where one card lands over many keys, in `buckets` buckets.
    fn position_chi_square(n: u64, keys: u64, buckets: u64, slot: u64) -> f64 {
        let mut counts = vec![0u64; buckets as usize];
        for key in 0..keys {
            let p = Permutation::new(key, 7, n);
            let card = p.apply(slot);
            counts[(card * buckets / n) as usize] += 1;
        }
        let expect = keys as f64 / buckets as f64;
        counts
            .iter()
            .map(|&c| (c as f64 - expect).powi(2) / expect)
            .sum()
    }

    #[test]
    fn a_card_lands_uniformly_in_small_and_large_decks() {
        // 31 degrees of freedom: the 99.9th percentile of chi-square is about 61.1.
        for (n, slot) in [
            (32u64, 0u64),
            (32, 31),
            (1000, 17),
            (70_000, 0),
            (70_000, 69_999),
            (1 << 22, 12_345),
        ] {
            let chi = position_chi_square(n, 6_400, 32, slot);
            assert!(chi < 61.1, "n={n} slot={slot}: chi-square {chi:.1}");
        }
    }
}
