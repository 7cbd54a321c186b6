//! Per-beneficiary claim and line counts, for `synthetic_users_by_claim_count_full.csv`.

use crate::model::{Claim, ClaimType, PerType};

/// How many claims and claim lines of each type a set of claims (one beneficiary's) holds.
///
/// A *line* is what the CMS sandbox file counts as one: one row of the type's line table —
/// a carrier or DME line, an institutional revenue-center line (including the `0001` total
/// line, as the CCW RIF files carry it) — and, for Part D, one per event (events have no
/// line table). [`ClaimTally::total_claims`] and [`ClaimTally::total_lines`] sum over all
/// eight types; `emit::users` picks the types the sandbox file lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClaimTally {
    /// Claims per type.
    pub claims: PerType<u64>,
    /// Lines per type (Part D: one per event).
    pub lines: PerType<u64>,
}

impl ClaimTally {
    /// Counts `claims`.
    pub fn of(claims: &[Claim]) -> ClaimTally {
        let mut t = ClaimTally::default();
        for c in claims {
            t.claims[c.kind] += 1;
            t.lines[c.kind] += c.lines.as_ref().map_or(1, |l| l.len() as u64);
        }
        t
    }

    /// Claims of one type.
    pub fn claims_of(&self, t: ClaimType) -> u64 {
        self.claims[t]
    }

    /// Lines of one type.
    pub fn lines_of(&self, t: ClaimType) -> u64 {
        self.lines[t]
    }

    /// Claims of all types.
    pub fn total_claims(&self) -> u64 {
        self.claims.iter().sum()
    }

    /// Lines of all types (Part D events count one each).
    pub fn total_lines(&self) -> u64 {
        self.lines.iter().sum()
    }

    /// Adds another tally.
    pub fn add(&mut self, other: &ClaimTally) {
        self.claims = self.claims.plus(other.claims);
        self.lines = self.lines.plus(other.lines);
    }
}
