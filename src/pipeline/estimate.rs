//! The size of a run before it writes anything, and the refusal of a run that cannot fit.
//!
//! The estimate multiplies the run's exact claim counts per type (known from the counting
//! pass, for the shard's users only) by the bytes one claim of that type takes in each format,
//! adds the bytes per beneficiary and per run, and divides by the compression ratio. The
//! figures below were measured on bbgen 0.1.0 runs of 300 and 1,000 users (seed 42, default
//! options, `--compress`/`--parquet-compression` variants); on the 30,000-user default run the
//! estimate is within a few per cent of the real size, and within ±15 % from a few hundred
//! users up at any `--claims-scale` (a test checks it).

use std::path::Path;

use super::schedule::Plan;
use super::units;
use super::{RunConfig, RunError, io_err};
use crate::emit::compress::Compression;
use crate::emit::format::Format;
use crate::emit::tables::ParquetCompression;

/// Bytes one format takes: per run, per beneficiary, and per claim of each type (with its
/// lines), in `ClaimType::ALL` order (carrier, inpatient, outpatient, DME, HHA, hospice, SNF,
/// Part D).
struct Sizes {
    per_run: f64,
    per_user: f64,
    per_claim: [f64; 8],
}

/// FHIR NDJSON: Patient and four Coverage lines per beneficiary, one EOB per claim.
const FHIR: Sizes = Sizes {
    per_run: 0.0,
    per_user: 33_612.0,
    per_claim: [
        22_170.0, 50_033.0, 55_658.0, 22_329.0, 34_810.0, 69_005.0, 28_519.0, 9_579.0,
    ],
};

/// Per-patient bundles: the same resources with searchset wrapping (0.75 % more than the
/// NDJSON), plus one manifest entry per file.
const BUNDLES_OVER_FHIR: f64 = 1.0075;
const BUNDLE_MANIFEST_ENTRY: f64 = 192.0;

const CSV: Sizes = Sizes {
    per_run: 0.0,
    per_user: 717.0,
    per_claim: [
        652.0, 1_478.0, 1_483.0, 572.0, 1_147.0, 2_073.0, 914.0, 214.0,
    ],
};

/// Parquet (snappy): each file's footer and first pages make a fixed part.
#[cfg(feature = "parquet")]
const PARQUET: Sizes = Sizes {
    per_run: 560_000.0,
    per_user: 178.0,
    per_claim: [181.0, 305.0, 279.0, 144.0, 251.0, 438.0, 234.0, 55.0],
};

const RIF: Sizes = Sizes {
    per_run: 0.0,
    per_user: 729.0,
    per_claim: [
        881.0, 11_690.0, 4_018.0, 738.0, 4_163.0, 8_437.0, 4_278.0, 222.0,
    ],
};

/// `sql/schema.sql` and `sql/load.sql`.
const SQL_BYTES: f64 = 53_771.0;

/// Written by every run: credentials and the users file per beneficiary, the manifest.
const ALWAYS: Sizes = Sizes {
    per_run: 12_000.0,
    per_user: 122.0,
    per_claim: [0.0; 8],
};

impl Sizes {
    fn of(&self, users: u64, claims: &[u64; 8]) -> f64 {
        self.per_run
            + self.per_user * users as f64
            + claims
                .iter()
                .zip(self.per_claim)
                .map(|(&n, b)| n as f64 * b)
                .sum::<f64>()
    }
}

/// How many times smaller `--compress` makes a text format (measured on the formats' own
/// text: FHIR repeats long URLs, RIF pads its columns).
fn text_ratio(format: Format, how: Compression) -> f64 {
    match (format, how) {
        (_, Compression::None) => 1.0,
        (Format::Fhir | Format::FhirStu3, Compression::Zstd) => 50.8,
        (Format::Fhir | Format::FhirStu3, Compression::Gzip) => 12.1,
        (Format::Rif, Compression::Zstd) => 7.10,
        (Format::Rif, Compression::Gzip) => 4.26,
        (_, Compression::Zstd) => 4.24,
        (_, Compression::Gzip) => 2.60,
    }
}

/// Parquet size relative to snappy pages.
#[cfg(feature = "parquet")]
fn parquet_factor(how: ParquetCompression) -> f64 {
    match how.name() {
        "zstd" => 1.0 / 1.41,
        "none" => 1.49,
        _ => 1.0,
    }
}

/// What a run is expected to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Bytes per format, in the run's format order.
    pub by_format: Vec<(Format, u64)>,
    /// Bytes in all, files written by every run included.
    pub total: u64,
}

/// The estimated size of writing `users` beneficiaries holding `claims` (per type).
#[cfg_attr(not(feature = "parquet"), allow(unused_variables))]
pub fn estimate(
    formats: &[Format],
    compress: Compression,
    parquet: ParquetCompression,
    users: u64,
    claims: &[u64; 8],
) -> Estimate {
    let by_format: Vec<(Format, u64)> = formats
        .iter()
        .map(|&f| {
            let bytes = match f {
                // STU3 resources are about the size of R4's (fewer codings, more extensions).
                Format::Fhir | Format::FhirStu3 => FHIR.of(users, claims) / text_ratio(f, compress),
                Format::Bundles => {
                    FHIR.of(users, claims) * BUNDLES_OVER_FHIR
                        + BUNDLE_MANIFEST_ENTRY * users as f64
                }
                Format::Csv => CSV.of(users, claims) / text_ratio(f, compress),
                #[cfg(feature = "parquet")]
                Format::Parquet => PARQUET.of(users, claims) * parquet_factor(parquet),
                Format::Rif => RIF.of(users, claims) / text_ratio(f, compress),
                Format::Sql => SQL_BYTES,
            };
            (f, bytes as u64)
        })
        .collect();
    let total = by_format.iter().map(|(_, b)| b).sum::<u64>() + ALWAYS.of(users, claims) as u64;
    Estimate { by_format, total }
}

impl Estimate {
    /// `~74.6 GB (fhir 71.8 GB, csv 1.96 GB, parquet 535 MB)`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .by_format
            .iter()
            .map(|(f, b)| format!("{} {}", f.name(), units::bytes(*b)))
            .collect();
        format!("~{} ({})", units::bytes(self.total), parts.join(", "))
    }
}

/// Bytes free for this user on the file system holding `dir`.
pub fn free_space(dir: &Path) -> Result<u64, RunError> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| RunError(format!("{} is not a valid path", dir.display())))?;
    // SAFETY: `c` is a NUL-terminated path and `s` a zeroed statvfs the call fills in.
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
        let e = std::io::Error::last_os_error();
        return Err(io_err("cannot read the free space of", dir, e));
    }
    // The fields are narrower than u64 on some platforms.
    #[allow(clippy::useless_conversion)]
    Ok(u64::from(s.f_bavail).saturating_mul(u64::from(s.f_frsize)))
}

/// Refuses a run whose estimate exceeds the free space of `dir`'s file system.
pub fn check_fits(e: &Estimate, dir: &Path, out: &Path) -> Result<u64, RunError> {
    let free = free_space(dir)?;
    if e.total > free {
        return Err(RunError(format!(
            "this run needs {}, and {} is free on the file system of --out {}; use --formats/--compress or fewer --users to make it smaller, or --no-space-check",
            e.describe(),
            units::bytes(free),
            out.display()
        )));
    }
    Ok(free)
}

/// Before the first chunk: says when a shard holds no users, prints the estimate (unless
/// `--quiet`) and refuses a run that cannot fit (unless `--no-space-check`).
pub(super) fn preflight(cfg: &RunConfig, plan: &Plan, dir: &Path) -> Result<(), RunError> {
    let users = plan.users.end - plan.users.start;
    if let (0, Some(s)) = (users, cfg.shard) {
        super::progress::notice(&format!(
            "shard {}/{} of {} holds no users (there are more shards than users): writing an empty dataset",
            s.index + 1,
            s.count,
            units::count(cfg.options.users, "user", "users")
        ));
    }
    let e = estimate(
        &cfg.formats,
        cfg.compress,
        cfg.parquet_compression,
        users,
        &claims_of(plan),
    );
    let free = if cfg.space_check {
        Some(check_fits(&e, dir, &cfg.out)?)
    } else {
        None
    };
    if cfg.progress {
        let free = free.map_or(String::new(), |f| format!(", {} free", units::bytes(f)));
        super::progress::notice(&format!("writing {}{free}", e.describe()));
    }
    Ok(())
}

/// The exact claim counts per type of the plan's users.
fn claims_of(plan: &Plan) -> [u64; 8] {
    if plan.users.is_empty() {
        return [0; 8];
    }
    plan.ds.claims_of(plan.users.clone()).0
}
