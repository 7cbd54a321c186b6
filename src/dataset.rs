//! [`Dataset`]: the pure generator of one run, from options and an index to records.

use std::ops::Range;

use rayon::prelude::*;

use crate::deal::Permutation;
use crate::generate;
use crate::model::{Beneficiary, Claim, ClaimType, PerType, ids};
use crate::options::{Options, OptionsError};

/// Users per block of the slot index: the deck start of every block is kept, and a
/// beneficiary's slots are found from its block's start in at most this many count draws.
pub const BLOCK: u64 = 64;

/// One run's generator: the decks of the eight claim types and the slot index.
pub struct Dataset {
    opts: Options,
    /// Global deck position of this run's first card, per type (cards of earlier users come
    /// first, so batches made with `--offset` deal disjoint cards and claim ids).
    base: PerType<u64>,
    decks: PerType<Permutation>,
    /// Local slot where each block of `BLOCK` users starts, per type; one extra entry holds the
    /// deck size.
    block_starts: Vec<PerType<u64>>,
}

impl Dataset {
    /// Prepares a run: counts every user's claims (in parallel; a few draws per user) to size
    /// the decks and index the slots.
    pub fn new(opts: Options) -> Result<Dataset, OptionsError> {
        opts.check()?;
        let sum_range = |r: Range<u64>| -> PerType<u64> {
            let blocks = r.start / BLOCK..r.end.div_ceil(BLOCK);
            blocks
                .into_par_iter()
                .map(|b| {
                    let lo = (b * BLOCK).max(r.start);
                    let hi = ((b + 1) * BLOCK).min(r.end);
                    block_sum(&opts, lo..hi)
                })
                .reduce(PerType::default, PerType::plus)
        };
        let base = sum_range(0..opts.offset);
        let range = opts.user_range();
        let n_blocks = opts.users.div_ceil(BLOCK);
        let sums: Vec<PerType<u64>> = (0..n_blocks)
            .into_par_iter()
            .map(|b| {
                let lo = range.start + b * BLOCK;
                block_sum(&opts, lo..(lo + BLOCK).min(range.end))
            })
            .collect();
        let mut block_starts = Vec::with_capacity(sums.len() + 1);
        let mut acc = PerType::<u64>::default();
        for s in sums {
            block_starts.push(acc);
            acc = acc.plus(s);
        }
        block_starts.push(acc);
        let decks = PerType::from_fn(|t| Permutation::new(opts.seed, t.index() as u64, acc[t]));
        Ok(Dataset {
            opts,
            base,
            decks,
            block_starts,
        })
    }

    /// The same run with every deck dealt in order (slot `s` gets card `s`) instead of
    /// shuffled: a test hook showing that the deal only moves claims between holders.
    #[doc(hidden)]
    pub fn with_identity_deal(mut self) -> Self {
        let sizes = self.deck_sizes();
        self.decks = PerType::from_fn(|t| Permutation::identity(sizes[t]));
        self
    }

    /// The options of this run.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Number of claims of each type in the whole run.
    pub fn deck_sizes(&self) -> PerType<u64> {
        *self.block_starts.last().expect("at least one entry")
    }

    /// Beneficiary `i` (a user index within the run).
    pub fn beneficiary(&self, i: u64) -> Beneficiary {
        generate::beneficiary(&self.opts, i)
    }

    /// How many claims of each type user `i` holds.
    pub fn claim_counts(&self, i: u64) -> PerType<u32> {
        generate::claim_counts(&self.opts, i)
    }

    /// The deck slots of user `i`, per type.
    pub fn slots(&self, i: u64) -> PerType<Range<u64>> {
        assert!(
            self.opts.user_range().contains(&i),
            "user {i} is not in this run"
        );
        let local = i - self.opts.offset;
        let block = local / BLOCK;
        let mut start = self.block_starts[block as usize];
        for j in self.opts.offset + block * BLOCK..i {
            start = start.plus(self.claim_counts(j).map(u64::from));
        }
        let counts = self.claim_counts(i);
        PerType::from_fn(|t| start[t]..start[t] + u64::from(counts[t]))
    }

    /// The global deck position of the card dealt to local slot `s` of type `t`.
    pub fn card(&self, t: ClaimType, s: u64) -> u64 {
        self.base[t] + self.decks[t].apply(s)
    }

    /// Claim `card` of type `t`, generated knowing nothing of who holds it.
    pub fn unheld_claim(&self, t: ClaimType, card: u64) -> Claim {
        generate::claim(&self.opts, t, card)
    }

    /// All claims of user `i`: by type, then by slot. O(its claims) after the slot look-up.
    pub fn claims(&self, i: u64) -> Vec<Claim> {
        let bene_id = ids::bene_id(i);
        let slots = self.slots(i);
        let mut out =
            Vec::with_capacity(slots.iter().map(|r| r.end - r.start).sum::<u64>() as usize);
        for t in ClaimType::ALL {
            for s in slots[t].clone() {
                let mut c = self.unheld_claim(t, self.card(t, s));
                generate::give_to(&mut c, bene_id);
                out.push(c);
            }
        }
        out
    }
}

fn block_sum(opts: &Options, users: Range<u64>) -> PerType<u64> {
    users.fold(PerType::default(), |acc, i| {
        acc.plus(generate::claim_counts(opts, i).map(u64::from))
    })
}

impl Dataset {
    /// Beneficiaries `users` (consecutive, within the run) with their claims, dealing slots
    /// sequentially so a chunk costs one slot look-up in all.
    pub fn chunk(&self, users: Range<u64>) -> Vec<(Beneficiary, Vec<Claim>)> {
        let mut out = Vec::with_capacity((users.end - users.start) as usize);
        if users.is_empty() {
            return out;
        }
        let mut next: PerType<u64> = self.slots(users.start).map(|r| r.start);
        for i in users {
            let bene = self.beneficiary(i);
            let counts = self.claim_counts(i);
            let mut claims = Vec::with_capacity(counts.iter().map(|&c| c as usize).sum());
            for t in ClaimType::ALL {
                let n = u64::from(counts[t]);
                for s in next[t]..next[t] + n {
                    let mut c = self.unheld_claim(t, self.card(t, s));
                    generate::give_to(&mut c, bene.bene_id);
                    claims.push(c);
                }
                next[t] += n;
            }
            out.push((bene, claims));
        }
        out
    }
}
