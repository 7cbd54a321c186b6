//! Keyed random streams: every random draw in bbgen comes from a stream keyed by
//! `(seed, domain, index)`, so any record can be generated alone, in any order, on any thread,
//! and always comes out the same.
//!
//! The key of a ChaCha8 generator is built from the seed and the [`Domain`]; the index is the
//! ChaCha stream number (2^64 independent streams per key). Sampling helpers are written here
//! rather than taken from `rand`'s distributions so that their values stay stable across crate
//! upgrades (the golden tests would catch a change).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What a stream is for. Each domain has its own key, so streams of different domains never
/// overlap even at equal indexes. The numbers are part of the output contract: never reuse or
/// renumber one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Domain {
    /// A beneficiary's demographics and enrollment; index = user index.
    Beneficiary = 1,
    /// A beneficiary's claim counts per type; index = user index.
    ClaimCounts = 2,
    /// The deck permutation of one claim type; index = claim type number.
    Deck = 3,
    /// Claim `k` of a carrier deck; index = deck position (likewise the next seven).
    CarrierClaim = 10,
    /// Inpatient claims.
    InpatientClaim = 11,
    /// Outpatient claims.
    OutpatientClaim = 12,
    /// DME claims.
    DmeClaim = 13,
    /// Home health claims.
    HhaClaim = 14,
    /// Hospice claims.
    HospiceClaim = 15,
    /// SNF claims.
    SnfClaim = 16,
    /// Part D events.
    PartDEvent = 17,
}

/// A random stream with the sampling helpers bbgen needs.
pub struct Draw(ChaCha8Rng);

#[cfg(test)]
thread_local! {
    static OPENED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// `f`'s result and how many keyed streams it opened. Every record (beneficiary, claim
/// counts, claim, deck) opens one, so tests measure per-record work with it — e.g. that
/// preparing a run of any size opens none. `f` runs on a one-thread rayon pool, so work it
/// spreads over rayon's workers is counted too.
#[cfg(test)]
pub(crate) fn streams_opened_by<T: Send>(f: impl FnOnce() -> T + Send) -> (T, u64) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool");
    pool.install(|| {
        let before = OPENED.with(|n| n.get());
        let out = f();
        (out, OPENED.with(|n| n.get()) - before)
    })
}

impl Draw {
    /// The stream `(seed, domain, index)`.
    pub fn new(seed: u64, domain: Domain, index: u64) -> Draw {
        #[cfg(test)]
        OPENED.with(|n| n.set(n.get() + 1));
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..12].copy_from_slice(&(domain as u32).to_le_bytes());
        key[12..16].copy_from_slice(b"bbgn");
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(index);
        Draw(rng)
    }

    /// 64 random bits.
    #[inline]
    pub fn bits(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform integer in `0..n` (unbiased, Lemire's method). `n` must be positive.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let mut m = u128::from(self.bits()) * u128::from(n);
        if (m as u64) < n {
            let t = n.wrapping_neg() % n;
            while (m as u64) < t {
                m = u128::from(self.bits()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }

    /// Uniform integer in `lo..=hi`.
    #[inline]
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// Uniform float in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.bits() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element, uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given (non-negative, not all zero) integer weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        unreachable!("draw below the total weight")
    }

    /// A standard normal deviate (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit(); // (0, 1]
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A Poisson count with mean `lambda`.
    pub fn poisson(&mut self, lambda: f64) -> u64 {
        poisson_quantile(self.unit(), lambda)
    }

    /// The underlying generator, for crates that take an `Rng` (the `fake` crate).
    pub fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.0
    }
}

/// The Poisson quantile of `u` for mean `rate` (a rounded normal approximation for large rates).
pub fn poisson_quantile(u: f64, rate: f64) -> u64 {
    if rate <= 0.0 {
        return 0;
    }
    if rate > 60.0 {
        let z = normal_quantile(u);
        return (rate + rate.sqrt() * z).round().max(0.0) as u64;
    }
    let mut p = (-rate).exp();
    let mut cdf = p;
    let mut k = 0u64;
    while u > cdf && k < 10_000 {
        k += 1;
        p *= rate / k as f64;
        cdf += p;
    }
    k
}

/// The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_keyed_by_seed_domain_and_index() {
        let a = Draw::new(42, Domain::Beneficiary, 7).bits();
        assert_eq!(a, Draw::new(42, Domain::Beneficiary, 7).bits());
        assert_ne!(a, Draw::new(43, Domain::Beneficiary, 7).bits());
        assert_ne!(a, Draw::new(42, Domain::ClaimCounts, 7).bits());
        assert_ne!(a, Draw::new(42, Domain::Beneficiary, 8).bits());
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut d = Draw::new(1, Domain::Deck, 0);
        let mut seen = [0u32; 7];
        for _ in 0..7000 {
            seen[d.below(7) as usize] += 1;
        }
        assert!(seen.iter().all(|&c| (800..1200).contains(&c)), "{seen:?}");
    }

    #[test]
    fn poisson_mean_is_close() {
        let mut d = Draw::new(3, Domain::ClaimCounts, 0);
        for lambda in [0.3, 4.0, 40.0, 200.0] {
            let n = 20_000;
            let s: u64 = (0..n).map(|_| d.poisson(lambda)).sum();
            let mean = s as f64 / n as f64;
            assert!(
                (mean - lambda).abs() < 0.05 * lambda + 0.02,
                "{lambda}: {mean}"
            );
        }
    }

    #[test]
    fn weighted_follows_weights() {
        let mut d = Draw::new(5, Domain::Deck, 1);
        let mut seen = [0u32; 3];
        for _ in 0..30_000 {
            seen[d.weighted(&[1, 0, 2])] += 1;
        }
        assert_eq!(seen[1], 0);
        assert!((9_000..11_000).contains(&seen[0]), "{seen:?}");
    }

    #[test]
    fn the_quantile_is_accurate() {
        assert!(normal_quantile(0.5).abs() < 1e-9);
        assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-6);
        assert!((normal_quantile(0.001) + 3.090_232_306).abs() < 1e-6);
    }
}
