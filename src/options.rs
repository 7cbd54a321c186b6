//! [`Options`]: everything that decides the data, and the checks that keep a run's ids valid.
//!
//! Below [`crate::dataset`] and [`crate::generate`], which both read options, so neither
//! imports the other to get them.

use std::ops::Range;

use crate::model::ids;
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

    /// The user ranges of `n` parts of this run, in order: part `k` (0-based) holds exactly
    /// the users that `--shard k+1/n` writes, and together they tile [`Self::user_range`].
    pub fn split(&self, n: u64) -> Vec<Range<u64>> {
        (0..n).map(|k| self.part(k, n)).collect()
    }

    /// Part `k` (0-based) of [`Self::split`]`(n)`, alone.
    pub fn part(&self, k: u64, n: u64) -> Range<u64> {
        part(self.user_range(), k, n)
    }

    /// Whether these options make a valid dataset; the error names the option to change.
    pub fn check(&self) -> Result<(), OptionsError> {
        if self.users == 0 {
            return Err(OptionsError("--users must be at least 1".into()));
        }
        if !(self.claims_scale.is_finite()
            && self.claims_scale >= 0.0
            && self.claims_scale <= 100.0)
        {
            return Err(OptionsError(
                "--claims-scale must be a number from 0 to 100".into(),
            ));
        }
        // Users below MAX_USERS keep BENE_IDs below 2^53 and every claim id of their deal
        // blocks inside i64 (`ids::claim_id`).
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
        let (y, _, _) = self.end_date.ymd();
        if !(1970..=9999).contains(&y) {
            return Err(OptionsError(
                "--end-date must be between 1970 and 9999".into(),
            ));
        }
        Ok(())
    }
}

/// Part `k` (0-based) of `n` contiguous parts of `users`: the parts differ in size by at most
/// one user and tile `users` exactly. `--shard` and [`Options::split`] both cut runs so.
pub(crate) fn part(users: Range<u64>, k: u64, n: u64) -> Range<u64> {
    let len = users.end - users.start;
    let at = |k: u64| users.start + (u128::from(len) * u128::from(k) / u128::from(n)) as u64;
    at(k)..at(k + 1)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_past_the_last_id_are_refused() {
        let at = |offset, users| Options {
            offset,
            users,
            ..Options::default()
        };
        assert!(at(ids::MAX_USERS - 300, 300).check().is_ok());
        for (offset, users) in [(ids::MAX_USERS - 300, 301), (u64::MAX, 2)] {
            let e = at(offset, users).check().unwrap_err();
            assert!(e.0.contains("--offset + --users"), "{e}");
        }
    }
}
