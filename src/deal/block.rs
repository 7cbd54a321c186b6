//! [`Block`]: the deal among the users of one absolute block.
//!
//! Users `b * BLOCK_USERS .. (b + 1) * BLOCK_USERS` form block `b` whatever `--offset` and
//! `--users` are: each claim type's deck holds the cards of all of them, and user `i` owns the
//! slots after those of the block's users before it. A run that covers part of a block still
//! deals the whole deck (the users outside the run keep their slots), so a user's claims are
//! the same in every run that contains it, and one user costs one block, never the users
//! before it.

use std::ops::Range;

use super::Permutation;
use crate::model::{ClaimType, PerType, ids};

/// One block's slot index and decks.
#[derive(Debug)]
pub struct Block {
    index: u64,
    /// Slots of each type before each of the block's users, and one more entry holding the
    /// deck sizes (a block has below `BLOCK_CARDS` < 2³² cards of a type).
    starts: Vec<PerType<u32>>,
    decks: PerType<Permutation>,
}

impl Block {
    /// Block `index`, from each user's claim counts (`counts(i)`, a few draws a user); its
    /// decks are shuffled by `(seed, block, type)`, or dealt in order when `ordered`.
    pub fn deal(
        seed: u64,
        index: u64,
        ordered: bool,
        counts: impl Fn(u64) -> PerType<u32>,
    ) -> Block {
        let first = index * ids::BLOCK_USERS;
        let mut starts = Vec::with_capacity(ids::BLOCK_USERS as usize + 1);
        let mut acc = PerType::<u32>::default();
        starts.push(acc);
        for i in first..first + ids::BLOCK_USERS {
            acc = acc.plus(counts(i));
            starts.push(acc);
        }
        let decks = PerType::from_fn(|t| {
            let n = u64::from(acc[t]);
            let deck = index * ClaimType::COUNT as u64 + t.index() as u64;
            if ordered {
                Permutation::identity(n)
            } else {
                Permutation::new(seed, deck, n)
            }
        });
        Block {
            index,
            starts,
            decks,
        }
    }

    /// The block number.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The users of the block.
    pub fn users(&self) -> Range<u64> {
        let first = self.index * ids::BLOCK_USERS;
        first..first + ids::BLOCK_USERS
    }

    /// The slots of user `i` (one of the block's users) in each deck of the block.
    pub fn slots(&self, i: u64) -> PerType<Range<u64>> {
        let k = self.local(i);
        let (lo, hi) = (self.starts[k], self.starts[k + 1]);
        PerType::from_fn(|t| u64::from(lo[t])..u64::from(hi[t]))
    }

    /// The card (see [`ids::card`]) dealt to slot `s` of the type-`t` deck.
    #[inline]
    pub fn card(&self, t: ClaimType, s: u64) -> u64 {
        ids::card(self.index, self.decks[t].apply(s))
    }

    /// The user holding the card at `place` of the type-`t` deck, if the deck has that place.
    pub fn holder(&self, t: ClaimType, place: u64) -> Option<u64> {
        let deck = &self.decks[t];
        if place >= deck.len() {
            return None;
        }
        let slot = deck.invert(place);
        // The holder is the last user whose first slot is at or before `slot`.
        let after = self.starts.partition_point(|s| u64::from(s[t]) <= slot);
        Some(self.users().start + after as u64 - 1)
    }

    fn local(&self, i: u64) -> usize {
        assert!(
            self.users().contains(&i),
            "user {i} is not in block {}",
            self.index
        );
        (i - self.users().start) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// User `i` holds `i % 3` claims of every type.
    fn counts(i: u64) -> PerType<u32> {
        PerType::from_fn(|_| (i % 3) as u32)
    }

    #[test]
    fn slots_tile_the_deck_and_holders_invert_the_deal() {
        let b = Block::deal(5, 2, false, counts);
        assert_eq!(b.users().start, 2 * ids::BLOCK_USERS);
        let mut next = 0;
        for i in b.users() {
            let s = b.slots(i)[ClaimType::Hha].clone();
            assert_eq!((s.start, s.end - s.start), (next, i % 3));
            next = s.end;
            for slot in s {
                let (block, place) = ids::block_and_place(b.card(ClaimType::Hha, slot));
                assert_eq!(block, 2);
                assert_eq!(b.holder(ClaimType::Hha, place), Some(i));
            }
        }
        assert_eq!(b.holder(ClaimType::Hha, next), None, "past the deck");
    }

    #[test]
    fn blocks_and_types_shuffle_apart() {
        let deal = |b: &Block, t| -> Vec<u64> {
            (0..50)
                .map(|s| ids::block_and_place(b.card(t, s)).1)
                .collect()
        };
        let (a, b) = (
            Block::deal(5, 0, false, counts),
            Block::deal(5, 1, false, counts),
        );
        assert_ne!(deal(&a, ClaimType::Carrier), deal(&b, ClaimType::Carrier));
        assert_ne!(deal(&a, ClaimType::Carrier), deal(&a, ClaimType::Dme));
        let ordered = Block::deal(5, 0, true, counts);
        assert_eq!(deal(&ordered, ClaimType::Dme), (0..50).collect::<Vec<_>>());
    }
}
