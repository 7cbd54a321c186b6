//! [`Dataset`]: the pure generator of one run, from options and an index to records.
//!
//! Claims are dealt within absolute blocks of [`BLOCK`] users ([`Block`]), so preparing a
//! run costs nothing, and one user, or the holder of one claim id, costs its block: a few
//! count draws for each of the block's users and one deck shuffle per type. A small cache
//! keeps the blocks in use, which the workers of a run share.

use std::collections::VecDeque;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::deal::Block;
use crate::generate;
use crate::model::{Beneficiary, Claim, ClaimType, PerType, ids};
use crate::options::{Options, OptionsError};

/// Users per deal block (see [`Block`]): a chunk of users within one block needs one look-up.
pub const BLOCK: u64 = ids::BLOCK_USERS;

/// Blocks kept: more than the workers of a run have in hand at once.
const CACHED_BLOCKS: usize = 16;

/// One run's generator.
pub struct Dataset {
    opts: Options,
    /// Decks dealt in order instead of shuffled (a test hook).
    ordered: bool,
    /// The most recently used blocks, least recent first.
    cache: Mutex<VecDeque<Arc<Block>>>,
}

impl Dataset {
    /// Prepares a run: checks the options. O(1): blocks are dealt when first needed.
    pub fn new(opts: Options) -> Result<Dataset, OptionsError> {
        opts.check()?;
        Ok(Dataset {
            opts,
            ordered: false,
            cache: Mutex::new(VecDeque::with_capacity(CACHED_BLOCKS)),
        })
    }

    /// The same run with every deck dealt in order (slot `s` gets card `s`) instead of
    /// shuffled: a test hook showing that the deal only moves claims between holders.
    #[doc(hidden)]
    pub fn with_identity_deal(mut self) -> Self {
        self.ordered = true;
        self.cache.get_mut().expect("lock").clear();
        self
    }

    /// The options of this run.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Beneficiary `i` (a user index within the run), as its claims leave it (its death
    /// follows from them, see [`generate::settle`]). O(its claims + its block).
    pub fn beneficiary(&self, i: u64) -> Beneficiary {
        self.patient(i).0
    }

    /// Beneficiary `i` as drawn, before its claims settle it: its ids, names, sex and
    /// address are final, its death and ESRD flags may not be. O(1), no deck needed.
    pub fn drawn(&self, i: u64) -> Beneficiary {
        generate::beneficiary(&self.opts, i)
    }

    /// Beneficiary `i` and its claims, settled. O(its claims + its block).
    pub fn patient(&self, i: u64) -> (Beneficiary, Vec<Claim>) {
        self.chunk(i..i + 1).pop().expect("one user")
    }

    /// How many claims of each type user `i` holds.
    pub fn claim_counts(&self, i: u64) -> PerType<u32> {
        generate::claim_counts(&self.opts, i)
    }

    /// Claims of each type dealt to `users` (within the run), before [`generate::settle`]
    /// drops those after a death: O(their blocks), in parallel.
    pub fn claims_of(&self, users: Range<u64>) -> PerType<u64> {
        self.assert_in_run(&users);
        let blocks = users.start / BLOCK..users.end.div_ceil(BLOCK);
        blocks
            .into_par_iter()
            .map(|b| {
                let lo = (b * BLOCK).max(users.start);
                let hi = ((b + 1) * BLOCK).min(users.end);
                (lo..hi).fold(PerType::default(), |acc, i| {
                    acc.plus(self.claim_counts(i).map(u64::from))
                })
            })
            .reduce(PerType::default, PerType::plus)
    }

    /// The deck slots of user `i`, per type, numbered like cards ([`ids::card`]: block and
    /// place in the block's deck).
    pub fn slots(&self, i: u64) -> PerType<Range<u64>> {
        self.assert_in_run(&(i..i + 1));
        let block = self.block(i / BLOCK);
        let at = |s| ids::card(block.index(), s);
        block.slots(i).map(|r| at(r.start)..at(r.end))
    }

    /// The card dealt to slot `s` (as numbered by [`Dataset::slots`]) of type `t`.
    pub fn card(&self, t: ClaimType, s: u64) -> u64 {
        let (block, slot) = ids::block_and_place(s);
        self.block(block).card(t, slot)
    }

    /// Claim `card` of type `t`, given to `holder`: the holder's sex decides its scenario
    /// (see [`generate::claim`]), its BENE_ID is stamped on it. This is the claim as dealt;
    /// [`Dataset::claims`] lists the holder's claims once settled.
    pub fn claim(&self, t: ClaimType, card: u64, holder: &Beneficiary) -> Claim {
        let mut c = generate::claim(&self.opts, t, card, holder.sex());
        generate::give_to(&mut c, holder.bene_id);
        c
    }

    /// All claims of user `i`, settled: by type, then by slot. O(its claims + its block).
    pub fn claims(&self, i: u64) -> Vec<Claim> {
        self.patient(i).1
    }

    /// The user of this run dealt the claim (or Part D event) `claim_id`, or `None` when
    /// the id names no card of a user of this run. O(the holder's block). The holder's
    /// settled claims may not keep it (see [`generate::settle`]).
    pub fn holder_of(&self, claim_id: i64) -> Option<u64> {
        let (t, block, place) = ids::card_of_claim_id(claim_id)?;
        let run = self.opts.user_range();
        let users = block * BLOCK..(block + 1) * BLOCK;
        if users.end <= run.start || run.end <= users.start {
            return None;
        }
        let holder = self.block(block).holder(t, place)?;
        run.contains(&holder).then_some(holder)
    }

    /// Beneficiaries `users` (consecutive, within the run) with their claims, dealt then
    /// settled one beneficiary at a time, one block look-up per block the chunk touches.
    pub fn chunk(&self, users: Range<u64>) -> Vec<(Beneficiary, Vec<Claim>)> {
        self.assert_in_run(&users);
        let mut out = Vec::with_capacity((users.end - users.start) as usize);
        let mut block: Option<Arc<Block>> = None;
        for i in users {
            let b = match block {
                Some(b) if b.users().contains(&i) => b,
                _ => self.block(i / BLOCK),
            };
            let mut bene = self.drawn(i);
            let mut claims = self.deal(&b, i, &bene);
            generate::settle(&mut bene, &mut claims, self.opts.end_date);
            out.push((bene, claims));
            block = Some(b);
        }
        out
    }

    /// The claims of user `i` of `block`, given to `bene`.
    fn deal(&self, block: &Block, i: u64, bene: &Beneficiary) -> Vec<Claim> {
        let slots = block.slots(i);
        let n = slots.iter().map(|r| r.end - r.start).sum::<u64>();
        let mut claims = Vec::with_capacity(n as usize);
        for t in ClaimType::ALL {
            for s in slots[t].clone() {
                claims.push(self.claim(t, block.card(t, s), bene));
            }
        }
        claims
    }

    /// Block `b`, from the cache or dealt now. Two workers missing the same block at once
    /// both deal it (the same deal) and the cache keeps one.
    fn block(&self, b: u64) -> Arc<Block> {
        if let Some(hit) = self.cached(b) {
            return hit;
        }
        let dealt = Arc::new(Block::deal(self.opts.seed, b, self.ordered, |i| {
            self.claim_counts(i)
        }));
        let mut cache = self.cache.lock().expect("lock");
        if let Some(k) = cache.iter().position(|x| x.index() == b) {
            return Arc::clone(&cache[k]);
        }
        if cache.len() == CACHED_BLOCKS {
            cache.pop_front();
        }
        cache.push_back(Arc::clone(&dealt));
        dealt
    }

    fn cached(&self, b: u64) -> Option<Arc<Block>> {
        let mut cache = self.cache.lock().expect("lock");
        let k = cache.iter().position(|x| x.index() == b)?;
        let hit = cache.remove(k).expect("present");
        cache.push_back(Arc::clone(&hit));
        Some(hit)
    }

    fn assert_in_run(&self, users: &Range<u64>) {
        let run = self.opts.user_range();
        assert!(
            run.start <= users.start && users.end <= run.end,
            "users {users:?} are not all in this run ({run:?})"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::streams_opened_by as counting;

    /// Preparing a run draws for no user, whatever `--users` (the server starts with it), and
    /// one user's claims cost its block: the counts of the block's users, a deck per type, the
    /// beneficiary and one stream per claim.
    #[test]
    fn preparing_a_run_opens_no_stream_and_one_user_costs_its_block() {
        for users in [30_000, 60_000_000, ids::MAX_USERS] {
            let opts = Options {
                users,
                seed: 42,
                ..Options::default()
            };
            let (ds, opened) = counting(|| Dataset::new(opts).expect("valid"));
            assert_eq!(opened, 0, "Dataset::new with {users} users");
            let (claims, opened) = counting(|| ds.claims(users - 1));
            let most = BLOCK + ClaimType::COUNT as u64 + 1 + claims.len() as u64;
            assert!(
                (BLOCK..=most).contains(&opened),
                "{opened} streams for one user of {users} (at most {most})"
            );
            let (_, opened) = counting(|| ds.claims(users - 1));
            assert_eq!(
                opened,
                claims.len() as u64 + 1,
                "a cached block costs no count draws"
            );
        }
    }
}
