//! The command line: `bbgen` generates a dataset (the default command), `bbgen patient` prints
//! one beneficiary computed alone, `bbgen verify` checks a dataset against its manifest,
//! `bbgen merge` makes one dataset of the shards of a run.

use std::fs;
use std::path::{Path, PathBuf};

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::sync::Arc;

use crate::codes::{self, CodeOverrides, CodeTablesError, Codes};
use crate::emit::compress::Compression;
use crate::emit::tables::ParquetCompression;
use crate::model::ids;
use crate::options::Options;
use crate::pipeline::{Format, RunConfig, Shard};
use crate::value::Date;

const ABOUT: &str = "Synthetic Medicare beneficiaries and claims in the shape of the CMS Blue Button 2.0 API, \
deterministic from a seed.";

const AFTER_HELP: &str = "\
Examples:
  bbgen --users 30000 --seed 42                 the sandbox's 30,000 users (BBUser00000…BBUser29999)
  bbgen --users 1000 --out small --formats csv  a small CSV-only dataset in ./small
  bbgen --users 30000 --offset 30000            the next batch (BBUser30000…), colliding with no id
  bbgen --users 1000000 --shard 3/8             the third of eight shards of a million users
  bbgen patient BBUser00042 --users 30000       one beneficiary and its claims, computed alone

The same options (and bbgen version) always give byte-identical files, whatever --threads.";

/// bbgen's command line.
#[derive(Parser, Debug)]
#[command(name = "bbgen", version, about = ABOUT, after_help = AFTER_HELP)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to generate (the default command).
    #[command(flatten)]
    pub generate: GenerateArgs,
    /// Another command.
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Parses the command line. Bad arguments give clap's whole message (usage, tips,
    /// possible values), also for an `--offset` + `--users` past the last user index.
    pub fn parse_checked() -> Result<Cli, clap::Error> {
        let cli = Cli::try_parse()?;
        let data = match &cli.command {
            None => Some(&cli.generate.data),
            Some(Command::Patient(a)) => Some(&a.data),
            #[cfg(feature = "serve")]
            Some(Command::Serve(a)) => Some(&a.data),
            Some(Command::Verify(_) | Command::Merge(_)) => None,
        };
        if let Some(d) = data.filter(|d| d.offset.saturating_add(d.users) > ids::MAX_USERS) {
            return Err(Cli::command().error(
                ErrorKind::ValueValidation,
                format!(
                    "--offset {} + --users {} exceed {}, the number of user indexes; lower one of them",
                    d.offset,
                    d.users,
                    ids::MAX_USERS
                ),
            ));
        }
        Ok(cli)
    }
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print one beneficiary and its claims as JSON, computed alone (without generating the
    /// rest), exactly as the full run with the same data options writes them.
    Patient(PatientArgs),
    /// Check a dataset against its manifest.json: re-hash every listed file and report files
    /// that changed, are missing or are not listed. Exits 1 if any.
    Verify(VerifyArgs),
    /// Serve the Blue Button 2.0 sandbox API (OAuth, FHIR v1 STU3 and v2 R4, userinfo) over
    /// HTTP from the data these options generate, computed per request.
    #[cfg(feature = "serve")]
    Serve(crate::serve::ServeArgs),
    /// Make one dataset of the N shards of a run (written with --shard 1/N … N/N): text files
    /// appended in shard order, Parquet parts side by side in parquet/<table>/, the users file
    /// sorted over all users, and a manifest that bbgen verify checks.
    Merge(MergeArgs),
}

/// Options of `bbgen merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shard datasets (the --out of each shard's run), in any order.
    #[arg(value_name = "SHARD_DIR", required = true)]
    pub shards: Vec<PathBuf>,
    /// Output directory for the merged dataset (created if missing); refused if it is not
    /// empty, unless --force.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace a previous bbgen dataset in --out.
    #[arg(long)]
    pub force: bool,
    /// No summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options of `bbgen verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The dataset directory (the --out of the run that wrote it).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// Options that decide the data: the same values always give the same records.
#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Number of beneficiaries (sandbox users BBUser00000, BBUser00001, …).
    #[arg(long, default_value_t = 30_000, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(1..=ids::MAX_USERS))]
    pub users: u64,
    /// Random seed (0 to 2^64-1); any other seed gives a different dataset.
    #[arg(
        long,
        default_value_t = 42,
        value_name = "S",
        allow_negative_numbers = true
    )]
    pub seed: u64,
    /// Index of the first user, so batches never collide (--offset 30000 starts at BBUser30000).
    #[arg(long, default_value_t = 0, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(..ids::MAX_USERS))]
    pub offset: u64,
    /// Last day of the four-year data window (never the current date, so runs repeat); from
    /// 2019-09-30, so the window starts in the ICD-10 era (2015-10-01), to 9999-12-30.
    #[arg(long, default_value = "2025-12-31", value_name = "YYYY-MM-DD", value_parser = parse_end_date)]
    pub end_date: Date,
    /// Multiply every claim type's volume (1 ≈ 140 claims per beneficiary as the sandbox
    /// serves; 2 ≈ real Medicare; 0.1 for a small dataset).
    #[arg(long, default_value_t = 1.0, value_name = "F", allow_negative_numbers = true, value_parser = parse_scale)]
    pub claims_scale: f64,
    /// A directory with the full official code files to take HCPCS and NDC descriptions
    /// from instead of the compiled-in tables: CMS's annual HCPCS record-layout file
    /// (HCPC20xx_…txt) and/or FDA's NDC directory (product.txt + package.txt).
    #[arg(long, value_name = "DIR")]
    pub code_tables: Option<PathBuf>,
}

impl DataArgs {
    /// The code tables: compiled in, or read from `--code-tables` (with where they came from).
    pub fn codes(&self) -> Result<(Arc<Codes>, Option<String>), String> {
        match &self.code_tables {
            None => Ok((Arc::new(Codes::builtin()), None)),
            Some(dir) => {
                let overrides = load_code_tables(dir).map_err(|e| format!("--code-tables: {e}"))?;
                let codes = Codes::with_overrides(overrides);
                Ok((Arc::new(codes), Some(dir.display().to_string())))
            }
        }
    }

    /// The data options.
    pub fn options(&self) -> Options {
        Options {
            seed: self.seed,
            users: self.users,
            offset: self.offset,
            end_date: self.end_date,
            claims_scale: self.claims_scale,
        }
    }
}

/// Read the official HCPCS file and/or FDA NDC directory files found in `dir` (any
/// `HCPC*.txt` that is not the record layout; `product.txt` with `package.txt`).
pub fn load_code_tables(dir: &Path) -> Result<CodeOverrides, CodeTablesError> {
    let shown = dir.display().to_string();
    let listing = fs::read_dir(dir)
        .map_err(|e| CodeTablesError::file(&shown, format!("cannot read directory: {e}")))?;
    let mut hcpcs_files = Vec::new();
    let (mut product, mut package) = (None, None);
    for item in listing {
        let item = item.map_err(|e| CodeTablesError::file(&shown, e.to_string()))?;
        let name = item.file_name().to_string_lossy().to_ascii_lowercase();
        let path = item.path();
        if name.starts_with("hcpc") && name.ends_with(".txt") && !name.contains("layout") {
            hcpcs_files.push(path);
        } else if name == "product.txt" {
            product = Some(path);
        } else if name == "package.txt" {
            package = Some(path);
        }
    }
    hcpcs_files.sort();
    if hcpcs_files.len() > 1 {
        let names: Vec<_> = hcpcs_files
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        return Err(CodeTablesError::file(
            &shown,
            format!("several HCPCS files, keep one: {}", names.join(", ")),
        ));
    }
    let mut overrides = CodeOverrides::default();
    if let Some(path) = hcpcs_files.pop() {
        let text = read_text(&path)?;
        let (level2, modifiers) = codes::parse_hcpcs_file(&path.display().to_string(), &text)?;
        overrides.hcpcs_level2 = Some(level2);
        overrides.hcpcs_modifiers = Some(modifiers);
    }
    match (product, package) {
        (Some(product), Some(package)) => {
            let ndc = codes::parse_ndc_directory(
                &product.display().to_string(),
                &read_text(&product)?,
                &package.display().to_string(),
                &read_text(&package)?,
            )?;
            overrides.ndc = Some(ndc);
        }
        (Some(p), None) | (None, Some(p)) => {
            return Err(CodeTablesError::file(
                p.display().to_string(),
                "FDA's product.txt and package.txt are needed together",
            ));
        }
        (None, None) => {}
    }
    if overrides.hcpcs_level2.is_none() && overrides.ndc.is_none() {
        return Err(CodeTablesError::file(
            &shown,
            "no HCPCS file (HCPC*.txt) and no NDC directory (product.txt, package.txt)",
        ));
    }
    Ok(overrides)
}

/// A file's text: UTF-8, or else Latin-1 (CMS and FDA have shipped both).
fn read_text(path: &PathBuf) -> Result<String, CodeTablesError> {
    let bytes = fs::read(path)
        .map_err(|e| CodeTablesError::file(path.display().to_string(), e.to_string()))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    })
}

/// Options of the default command.
#[derive(Args, Debug)]
pub struct GenerateArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub data: DataArgs,
    /// Output directory (created if missing; a mount point or a symlink receives the data
    /// inside it); refused if it is not empty, unless --force.
    #[arg(long, default_value = "bbgen-out", value_name = "DIR")]
    pub out: PathBuf,
    /// Replace a previous bbgen dataset in --out (a directory with bbgen's manifest.json):
    /// its listed files are removed once the new dataset is complete. Any other non-empty
    /// directory is still refused.
    #[arg(long)]
    pub force: bool,
    /// Write even if the size estimate exceeds the free space of --out's file system.
    #[arg(long)]
    pub no_space_check: bool,
    /// Worker threads (default: all cores). Output does not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Comma-separated output formats, or `all` (the help lists them and the defaults).
    #[arg(long, value_delimiter = ',', value_name = "LIST", value_parser = parse_format_list,
          default_value = "default", hide_default_value = true, help = formats_help())]
    pub formats: Vec<Vec<Format>>,
    /// Compress CSV, NDJSON and RIF outputs: none, gzip (.gz) or zstd (.zst).
    #[arg(long, default_value = "none", value_name = "HOW", value_parser = parse_compression)]
    pub compress: Compression,
    /// Compression of Parquet pages: snappy, zstd or none.
    #[arg(long, default_value = "snappy", value_name = "HOW", value_parser = parse_parquet_compression)]
    pub parquet_compression: ParquetCompression,
    /// Write only shard K of N contiguous user ranges (1-based, e.g. 3/8); the N shards
    /// together hold exactly the rows of the whole run.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Write FHIR NDJSON (Patient, Coverage and ExplanationOfBenefit lines, beneficiary by
    /// beneficiary) to standard output instead of files, e.g. to pipe into a parser under test:
    /// `bbgen --users 1000 --stdout ndjson | my-parser`. With --compress the stream is
    /// compressed. No directory, manifest or other format is written.
    #[arg(long, value_name = "FORMAT", value_parser = ["ndjson"], conflicts_with_all = ["formats", "force", "out", "no_space_check"])]
    pub stdout: Option<String>,
    /// No progress bar and no summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

impl GenerateArgs {
    /// The run configuration.
    pub fn config(&self) -> Result<RunConfig, String> {
        let formats = match self.stdout {
            Some(_) => vec![Format::Fhir],
            None => Format::resolve(self.formats.iter().flatten().copied().collect()),
        };
        let threads = self.threads.map_or_else(
            || std::thread::available_parallelism().map_or(1, |n| n.get()),
            |t| t as usize,
        );
        let (codes, code_tables) = self.data.codes()?;
        Ok(RunConfig {
            options: self.data.options(),
            codes,
            code_tables,
            out: self.out.clone(),
            force: self.force,
            threads,
            formats,
            compress: self.compress,
            parquet_compression: self.parquet_compression,
            shard: self.shard,
            progress: !self.quiet,
            space_check: !self.no_space_check,
        })
    }
}

/// Options of `bbgen patient`.
#[derive(Args, Debug)]
pub struct PatientArgs {
    /// The beneficiary: a sandbox user name (BBUser00042) or a BENE_ID (-19990000000043).
    #[arg(value_name = "USER", allow_hyphen_values = true)]
    pub who: String,
    /// Print FHIR instead: the patient's document of `fhir/bundles/<patient-id>.json` (the
    /// Patient, the Coverage searchset and every ExplanationOfBenefit searchset page, as the
    /// API returns them), byte for byte as the full run writes it. `--fhir stu3` prints the
    /// STU3 (v1 API) document of `fhir-stu3/bundles/<patient-id>.json` instead.
    #[arg(long, value_name = "VERSION", num_args = 0..=1, default_missing_value = "r4",
          value_parser = ["r4", "stu3"])]
    pub fhir: Option<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub data: DataArgs,
}

/// The latest `--end-date`: `meta.lastUpdated` is the day after, and FHIR instants end with
/// year 9999.
pub const LAST_END_DATE: Date = Date(2_932_895); // 9999-12-30

/// The earliest `--end-date`: its four-year window starts on 2015-10-01, when ICD-10 replaced
/// ICD-9 for Medicare claims (every code system bbgen writes, NPIs included, existed then).
pub const FIRST_END_DATE: Date = Date(18_169); // 2019-09-30

/// `--end-date`: a date from [`FIRST_END_DATE`] to [`LAST_END_DATE`].
pub fn parse_end_date(s: &str) -> Result<Date, String> {
    let d: Date = s.parse()?;
    if (FIRST_END_DATE..=LAST_END_DATE).contains(&d) {
        Ok(d)
    } else {
        Err(format!(
            "expected a date from {FIRST_END_DATE} (the four-year window then starts 2015-10-01, with ICD-10) to {LAST_END_DATE} (meta.lastUpdated, the day after, must stay in year 9999)"
        ))
    }
}

/// `--claims-scale`: a number from 0 to 100.
pub fn parse_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() && (0.0..=100.0).contains(&f) => Ok(f),
        _ => Err("expected a number from 0 to 100".into()),
    }
}

fn parse_compression(s: &str) -> Result<Compression, String> {
    match s {
        "none" => Ok(Compression::None),
        "gzip" | "gz" => Ok(Compression::Gzip),
        "zstd" | "zst" => Ok(Compression::Zstd),
        _ => Err("expected none, gzip or zstd".into()),
    }
}

fn parse_parquet_compression(s: &str) -> Result<ParquetCompression, String> {
    ParquetCompression::from_name(s).ok_or_else(|| "expected snappy, zstd or none".into())
}

/// The `--formats` help, from the format registry.
fn formats_help() -> String {
    let names = |fs: &[Format], sep| fs.iter().map(|f| f.name()).collect::<Vec<_>>().join(sep);
    format!(
        "Comma-separated output formats: {}, or `all`. `sql` writes PostgreSQL scripts that \
         load the CSV tables, so it brings csv along. [default: {}]",
        names(Format::ALL, ", "),
        names(&Format::defaults(), ",")
    )
}

fn parse_format_list(s: &str) -> Result<Vec<Format>, String> {
    match s {
        "all" => Ok(Format::ALL.to_vec()),
        "default" => Ok(Format::defaults()),
        _ => Format::ALL
            .iter()
            .find(|f| f.name() == s)
            .map(|&f| vec![f])
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                format!("unknown format; expected one of: {}, all", names.join(", "))
            }),
    }
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let bad = || "expected K/N with 1 ≤ K ≤ N, e.g. 3/8".to_string();
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (k.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if n == 0 || k == 0 || k > n {
        return Err(bad());
    }
    Ok(Shard {
        index: k - 1,
        count: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_date_bounds_are_the_dates_they_claim() {
        assert_eq!(Date::from_ymd(9999, 12, 30), Some(LAST_END_DATE));
        assert_eq!(LAST_END_DATE.plus(1).ymd().0, 9999);
        assert_eq!(Date::from_ymd(2019, 9, 30), Some(FIRST_END_DATE));
        let first = Options {
            end_date: FIRST_END_DATE,
            ..Options::default()
        };
        assert_eq!(first.start_date(), Date::from_ymd(2015, 10, 1).unwrap());
    }
}
