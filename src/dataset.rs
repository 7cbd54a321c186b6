//! [`Dataset`]: the pure generator of one run, from options and an index to records.

use std::ops::Range;

use rayon::prelude::*;

use crate::deal::Permutation;
use crate::generate;
use crate::model::{Beneficiary, Claim, ClaimType, ids};
use crate::value::Date;

/// Everything that decides the data. Two runs with equal options (and the same bbgen version)
/// produce the same records.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The random seed.
    pub seed: u64,
    /// Number of beneficiaries.
    pub users: u64,
    /// Index of the first beneficiary (BBUser + offset), so batches never collide.
    pub offset: u64,
    /// Last day of the four-year data window.
    pub end_date: Date,
    /// Multiplier of every claim type's mean count (1 = the sandbox's volume, 2 = real Medicare).
    pub claims_scale: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            seed: 42,
            users: 30_000,
            offset: 0,
            end_date: Options::DEFAULT_END_DATE,
            claims_scale: 1.0,
        }
    }
}

impl Options {
    /// The default end of the data window: a constant, never the clock.
    pub const DEFAULT_END_DATE: Date = Date(20_453); // 2025-12-31

    /// First day of the four-year data window.
    pub fn start_date(&self) -> Date {
        let (y, m, d) = self.end_date.ymd();
        // The day after the same date four years earlier (Feb 29 falls back to Feb 28).
        let back = Date::from_ymd(y - 4, m, d).unwrap_or_else(|| {
            Date::from_ymd(y - 4, m, d - 1).expect("day before a missing Feb 29 exists")
        });
        back.plus(1)
    }

    /// The user indexes of this run.
    pub fn user_range(&self) -> Range<u64> {
        self.offset..self.offset + self.users
    }

    fn check(&self) -> Result<(), OptionsError> {
        if self.users == 0 {
            return Err(OptionsError("--users must be at least 1".into()));
        }
        if self
            .offset
            .checked_add(self.users)
            .is_none_or(|e| e > ids::MAX_USERS)
        {
            return Err(OptionsError(format!(
                "--offset + --users must not exceed {}",
                ids::MAX_USERS
            )));
        }
        if !(self.claims_scale.is_finite()
            && self.claims_scale >= 0.0
            && self.claims_scale <= 100.0)
        {
            return Err(OptionsError(
                "--claims-scale must be a number from 0 to 100".into(),
            ));
        }
        let (y, _, _) = self.end_date.ymd();
        if !(1970..=9999).contains(&y) {
            return Err(OptionsError(
                "--end-date must be between 1970 and 9999".into(),
            ));
        }
        Ok(())
    }
}

/// Options that make no valid dataset; the message names the option.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionsError(pub String);

impl std::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OptionsError {}

/// Users per block of the slot index: the deck start of every block is kept, and a
/// beneficiary's slots are found from its block's start in at most this many count draws.
pub const BLOCK: u64 = 64;

/// One run's generator: the decks of the eight claim types and the slot index.
pub struct Dataset {
    opts: Options,
    /// Global deck position of this run's first card, per type (cards of earlier users come
    /// first, so batches made with `--offset` deal disjoint cards and claim ids).
    base: [u64; 8],
    decks: [Permutation; 8],
    /// Local slot where each block of `BLOCK` users starts, per type; one extra entry holds the
    /// deck size.
    block_starts: Vec<[u64; 8]>,
}

impl Dataset {
    /// Prepares a run: counts every user's claims (in parallel; a few draws per user) to size
    /// the decks and index the slots.
    pub fn new(opts: Options) -> Result<Dataset, OptionsError> {
        opts.check()?;
        let sum_range = |r: Range<u64>| -> [u64; 8] {
            let blocks = r.start / BLOCK..r.end.div_ceil(BLOCK);
            blocks
                .into_par_iter()
                .map(|b| {
                    let lo = (b * BLOCK).max(r.start);
                    let hi = ((b + 1) * BLOCK).min(r.end);
                    block_sum(&opts, lo..hi)
                })
                .reduce(|| [0; 8], add)
        };
        let base = sum_range(0..opts.offset);
        let range = opts.user_range();
        let n_blocks = opts.users.div_ceil(BLOCK);
        let sums: Vec<[u64; 8]> = (0..n_blocks)
            .into_par_iter()
            .map(|b| {
                let lo = range.start + b * BLOCK;
                block_sum(&opts, lo..(lo + BLOCK).min(range.end))
            })
            .collect();
        let mut block_starts = Vec::with_capacity(sums.len() + 1);
        let mut acc = [0u64; 8];
        for s in sums {
            block_starts.push(acc);
            acc = add(acc, s);
        }
        block_starts.push(acc);
        let decks = std::array::from_fn(|t| Permutation::new(opts.seed, t as u64, acc[t]));
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
        self.decks = std::array::from_fn(|t| Permutation::identity(sizes[t]));
        self
    }

    /// The options of this run.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Number of claims of each type in the whole run.
    pub fn deck_sizes(&self) -> [u64; 8] {
        *self.block_starts.last().expect("at least one entry")
    }

    /// Beneficiary `i` (a user index within the run).
    pub fn beneficiary(&self, i: u64) -> Beneficiary {
        generate::beneficiary(&self.opts, i)
    }

    /// How many claims of each type user `i` holds.
    pub fn claim_counts(&self, i: u64) -> [u32; 8] {
        generate::claim_counts(&self.opts, i)
    }

    /// The deck slots of user `i`, per type.
    pub fn slots(&self, i: u64) -> [Range<u64>; 8] {
        assert!(
            self.opts.user_range().contains(&i),
            "user {i} is not in this run"
        );
        let local = i - self.opts.offset;
        let block = local / BLOCK;
        let mut start = self.block_starts[block as usize];
        for j in self.opts.offset + block * BLOCK..i {
            start = add(start, self.claim_counts(j).map(u64::from));
        }
        let counts = self.claim_counts(i);
        std::array::from_fn(|t| start[t]..start[t] + u64::from(counts[t]))
    }

    /// The global deck position of the card dealt to local slot `s` of type `t`.
    pub fn card(&self, t: ClaimType, s: u64) -> u64 {
        self.base[t.index()] + self.decks[t.index()].apply(s)
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
            for s in slots[t.index()].clone() {
                let mut c = self.unheld_claim(t, self.card(t, s));
                generate::give_to(&mut c, bene_id);
                out.push(c);
            }
        }
        out
    }
}

fn block_sum(opts: &Options, users: Range<u64>) -> [u64; 8] {
    users.fold([0; 8], |acc, i| {
        add(acc, generate::claim_counts(opts, i).map(u64::from))
    })
}

fn add(a: [u64; 8], b: [u64; 8]) -> [u64; 8] {
    std::array::from_fn(|t| a[t] + b[t])
}

impl Dataset {
    /// Beneficiaries `users` (consecutive, within the run) with their claims, dealing slots
    /// sequentially so a chunk costs one slot look-up in all.
    pub fn chunk(&self, users: Range<u64>) -> Vec<(Beneficiary, Vec<Claim>)> {
        let mut out = Vec::with_capacity((users.end - users.start) as usize);
        if users.is_empty() {
            return out;
        }
        let mut next: [u64; 8] = self.slots(users.start).map(|r| r.start);
        for i in users {
            let bene = self.beneficiary(i);
            let counts = self.claim_counts(i);
            let mut claims = Vec::with_capacity(counts.iter().map(|&c| c as usize).sum());
            for t in ClaimType::ALL {
                let n = u64::from(counts[t.index()]);
                for s in next[t.index()]..next[t.index()] + n {
                    let mut c = self.unheld_claim(t, self.card(t, s));
                    generate::give_to(&mut c, bene.bene_id);
                    claims.push(c);
                }
                next[t.index()] += n;
            }
            out.push((bene, claims));
        }
        out
    }
}
