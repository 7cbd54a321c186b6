//! How many claims of each type a beneficiary holds: a zero-inflated Poisson count with a
//! log-normal rate, calibrated in `seeds/calibration.tsv`.

use crate::dataset::Options;
use crate::model::ClaimType;
use crate::rng::{Domain, Draw, poisson_quantile};
use crate::seeds::calibration;

/// Claim counts of user `i`, per type, from the stream `(seed, ClaimCounts, i)`.
pub fn claim_counts(opts: &Options, i: u64) -> [u32; 8] {
    let mut d = Draw::new(opts.seed, Domain::ClaimCounts, i);
    ClaimType::ALL.map(|t| {
        let c = calibration(t);
        // Draw all three numbers whatever the branch, so each type uses a fixed share of the
        // stream and changing one type's figures leaves the others' counts alone.
        let zero = d.unit();
        let z = d.normal();
        let u = d.unit();
        if zero < c.zero_share {
            return 0;
        }
        let rate = c.mean_per_bene / (1.0 - c.zero_share)
            * opts.claims_scale
            * (c.sigma * z - c.sigma * c.sigma / 2.0).exp();
        poisson_quantile(u, rate).min(u64::from(u32::MAX)) as u32
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_skewed_with_many_zeros() {
        let opts = Options::default();
        let n = 20_000u64;
        let all: Vec<[u32; 8]> = (0..n).map(|i| claim_counts(&opts, i)).collect();
        for t in ClaimType::ALL {
            let c: Vec<u32> = all.iter().map(|a| a[t.index()]).collect();
            let mean = c.iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64;
            let want = calibration(t).mean_per_bene;
            assert!(
                (mean - want).abs() < 0.1 * want,
                "{t:?}: mean {mean}, want {want}"
            );
        }
        let pde: Vec<u32> = all.iter().map(|a| a[ClaimType::PartD.index()]).collect();
        let max = *pde.iter().max().unwrap();
        assert!(max as f64 > 10.0 * 83.0, "largest Part D count {max}");
        let no_hha = all
            .iter()
            .filter(|a| a[ClaimType::Hha.index()] == 0)
            .count();
        assert!(no_hha as f64 > 0.85 * n as f64);
    }
}
