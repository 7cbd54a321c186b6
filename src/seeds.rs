//! Seed data compiled into the binary from `seeds/`: calibration figures, places and the
//! clinical scenarios claims are drawn from ([`clinical`]). Each file
//! is parsed once, on first use; see `seeds/SOURCES.md` for where the figures come from.

use std::sync::LazyLock;

use crate::model::{ClaimType, PerType};
use crate::rng::{Draw, poisson_quantile};

pub mod clinical;

/// Calibration of one claim type (a row of `seeds/calibration.tsv`).
#[derive(Clone, Copy, Debug)]
pub struct Calibration {
    /// Share of all Medicare claims, in percent.
    pub share_pct: f64,
    /// Mean lines per claim.
    pub lines_per_claim: f64,
    /// Mean claims per beneficiary over four years at scale 1.
    pub mean_per_bene: f64,
    /// Share of beneficiaries with none.
    pub zero_share: f64,
    /// Log-normal spread of the rate among beneficiaries with claims.
    pub sigma: f64,
}

static CALIBRATION: LazyLock<PerType<Calibration>> = LazyLock::new(|| {
    let mut out = PerType([None; ClaimType::COUNT]);
    for f in tsv_rows(include_str!("../seeds/calibration.tsv"), 6) {
        let t = ClaimType::from_name(f[0]).expect("calibration.tsv: unknown claim type");
        let n = |i: usize| f[i].parse::<f64>().expect("calibration.tsv: number");
        out[t] = Some(Calibration {
            share_pct: n(1),
            lines_per_claim: n(2),
            mean_per_bene: n(3),
            zero_share: n(4),
            sigma: n(5),
        });
    }
    out.map(|c| c.expect("calibration.tsv: every claim type has a row"))
});

/// The calibration of a claim type.
pub fn calibration(t: ClaimType) -> &'static Calibration {
    &CALIBRATION[t]
}

impl Calibration {
    /// Expected claims over the data window of a beneficiary with claims whose rate deviate
    /// is `z` (a standard normal draw), at `scale`.
    pub fn rate(&self, scale: f64, z: f64) -> f64 {
        self.mean_per_bene / (1.0 - self.zero_share)
            * scale
            * (self.sigma * z - self.sigma * self.sigma / 2.0).exp()
    }

    /// The claims of this type a beneficiary holds, given its three draws from the count
    /// stream: `zero` and `u` uniform in [0, 1), `z` standard normal.
    pub fn count(&self, scale: f64, zero: f64, z: f64, u: f64) -> u32 {
        if zero < self.zero_share {
            return 0;
        }
        poisson_quantile(u, self.rate(scale, z)).min(u64::from(u32::MAX)) as u32
    }
}

/// A real US place (a row of `seeds/places.tsv`).
#[derive(Clone, Copy, Debug)]
pub struct Place {
    /// Five-digit ZIP code.
    pub zip5: &'static str,
    /// City, upper case.
    pub city: &'static str,
    /// Postal state abbreviation.
    pub state: &'static str,
    /// SSA state code (two digits).
    pub ssa_state: &'static str,
    /// FIPS state + county (five digits).
    pub fips_county: &'static str,
    /// SSA state + county (five digits).
    pub ssa_county: &'static str,
    /// County name.
    pub county_name: &'static str,
}

/// Items with integer sampling weights, drawn in O(log n) from cumulative sums.
#[derive(Debug)]
pub struct Weighted<T> {
    /// The items.
    pub items: Vec<T>,
    /// Running total of the weights up to and including each item.
    cumulative: Vec<u64>,
}

impl<T> Default for Weighted<T> {
    fn default() -> Self {
        Weighted {
            items: Vec::new(),
            cumulative: Vec::new(),
        }
    }
}

impl<T> Weighted<T> {
    /// Whether there is nothing to pick.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sum of the weights.
    pub fn total(&self) -> u64 {
        self.cumulative.last().copied().unwrap_or(0)
    }

    /// One item, drawn by weight. Panics if empty.
    #[inline]
    pub fn pick(&self, d: &mut Draw) -> &T {
        self.at(d.below(self.total()))
    }

    /// The item whose share of the weight line holds `x` (`x < total()`).
    #[inline]
    pub fn at(&self, x: u64) -> &T {
        &self.items[self.cumulative.partition_point(|&c| c <= x)]
    }

    /// Appends an item.
    pub fn push(&mut self, item: T, w: u32) {
        self.cumulative.push(self.total() + u64::from(w));
        self.items.push(item);
    }
}

static PLACES: LazyLock<Weighted<Place>> = LazyLock::new(|| {
    let mut places = Weighted::default();
    for f in tsv_rows(include_str!("../seeds/places.tsv"), 8) {
        let place = Place {
            zip5: f[0],
            city: f[1],
            state: f[2],
            ssa_state: f[3],
            fips_county: f[4],
            ssa_county: f[5],
            county_name: f[6],
        };
        places.push(place, f[7].parse().expect("places.tsv: weight"));
    }
    places
});

/// All places.
pub fn places() -> &'static Weighted<Place> {
    &PLACES
}

/// The data rows of a compiled-in TSV file (header skipped), each split into exactly `width`
/// fields. The files are part of the source tree, so a malformed one is a build defect.
pub fn tsv_rows(text: &'static str, width: usize) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(move |l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), width, "malformed seed row: {l}");
            f
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_means_add_up_to_the_sandbox_volume() {
        let total: f64 = ClaimType::ALL
            .iter()
            .map(|&t| calibration(t).mean_per_bene)
            .sum();
        assert!((130.0..150.0).contains(&total), "{total}");
        assert!(calibration(ClaimType::Hha).zero_share >= 0.85);
    }

    #[test]
    fn places_are_well_formed() {
        let p = places();
        assert!(!p.is_empty());
        for pl in &p.items {
            assert_eq!(pl.zip5.len(), 5);
            assert_eq!(pl.ssa_state.len(), 2);
            assert_eq!(pl.fips_county.len(), 5);
            assert!(pl.city.len() <= 30);
        }
    }
}
