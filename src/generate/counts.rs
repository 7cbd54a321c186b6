//! How many claims of each type a beneficiary holds: a zero-inflated Poisson count with a
//! log-normal rate, calibrated in `seeds/calibration.tsv`.

use crate::model::{PerType, ids};
use crate::options::Options;
use crate::rng::{Domain, Draw};
use crate::seeds::calibration;

/// Claim counts of user `i`, per type, from the stream `(seed, ClaimCounts, i)`, at most
/// [`ids::MAX_CLAIMS_PER_USER`] each (so a deal block's cards fit its claim ids).
pub fn claim_counts(opts: &Options, i: u64) -> PerType<u32> {
    let mut d = Draw::new(opts.seed, Domain::ClaimCounts, i);
    PerType::from_fn(|t| {
        // Draw all three numbers whatever the branch, so each type uses a fixed share of the
        // stream and changing one type's figures leaves the others' counts alone.
        let zero = d.unit();
        let z = d.normal();
        let u = d.unit();
        calibration(t)
            .count(opts.claims_scale, zero, z, u)
            .min(ids::MAX_CLAIMS_PER_USER)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ClaimType;

    #[test]
    fn the_cap_is_out_of_reach_up_to_scale_3() {
        // The most extreme draws the stream can make: `normal` takes ln of a unit in
        // [2^-53, 1] times a cosine, and `unit` stays below 1 - 2^-53.
        let z_max = (2.0 * 53.0 * std::f64::consts::LN_2).sqrt();
        let u_max = 1.0 - 1.0 / (1u64 << 53) as f64;
        for t in ClaimType::ALL {
            let most = calibration(t).count(3.0, 1.0, z_max, u_max);
            assert!(most < ids::MAX_CLAIMS_PER_USER, "{t:?}: {most}");
        }
    }

    #[test]
    fn counts_are_skewed_with_many_zeros() {
        let opts = Options::default();
        let n = 20_000u64;
        let all: Vec<PerType<u32>> = (0..n).map(|i| claim_counts(&opts, i)).collect();
        for t in ClaimType::ALL {
            let c: Vec<u32> = all.iter().map(|a| a[t]).collect();
            let mean = c.iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64;
            let want = calibration(t).mean_per_bene;
            assert!(
                (mean - want).abs() < 0.1 * want,
                "{t:?}: mean {mean}, want {want}"
            );
        }
        let pde: Vec<u32> = all.iter().map(|a| a[ClaimType::PartD]).collect();
        let max = *pde.iter().max().unwrap();
        assert!(max as f64 > 10.0 * 83.0, "largest Part D count {max}");
        let no_hha = all.iter().filter(|a| a[ClaimType::Hha] == 0).count();
        assert!(no_hha as f64 > 0.85 * n as f64);
    }
}
