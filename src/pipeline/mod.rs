//! The pipeline: generates chunks of beneficiaries on worker threads, renders them to every
//! requested format there, and writes the parts in chunk order on the calling thread, so the
//! bytes never depend on the thread count. At most a fixed window of chunks is in flight, so
//! memory stays flat whatever the number of users.
//!
//! Output goes to a temporary directory beside `--out` that is renamed into place once
//! `manifest.json` is written; on any error it is removed, so a failed run never leaves a
//! dataset that looks complete.

mod output;
mod schedule;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use crate::emit::format::Format;
use crate::emit::manifest::{FileEntry, Manifest, ManifestOptions};
use crate::emit::tables::ParquetCompression;
use crate::emit::users;
use crate::emit::{BufferPool, Emitter, Part, WrittenFile, csv};
use crate::options::Options;
use crate::sink::{Compression, Sink};

use output::{check_output_dir, temp_dir_for};
use schedule::Plan;

/// Which part of the run to write: shard `index` (0-based) of `count` contiguous user ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 0-based shard number.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl Shard {
    /// The users of this shard within `users` (the N shards' ranges tile it exactly).
    pub fn range(self, users: Range<u64>) -> Range<u64> {
        let n = users.end - users.start;
        let at =
            |k: u64| users.start + (u128::from(n) * u128::from(k) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

/// Everything a run needs besides the data options.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// What to generate.
    pub options: Options,
    /// Output directory.
    pub out: PathBuf,
    /// Replace a non-empty output directory.
    pub force: bool,
    /// Worker threads.
    pub threads: usize,
    /// Formats to write.
    pub formats: Vec<Format>,
    /// Compression of text outputs.
    pub compress: Compression,
    /// Compression of Parquet pages.
    pub parquet_compression: ParquetCompression,
    /// Write one shard only.
    pub shard: Option<Shard>,
    /// Code tables for display texts (the compiled-in ones unless `--code-tables`).
    pub codes: std::sync::Arc<crate::codes::Codes>,
    /// Where the code tables came from (`None`: compiled in), for the manifest.
    pub code_tables: Option<String>,
    /// Draw a progress bar on stderr (when it is a terminal).
    pub progress: bool,
}

/// What a finished run wrote.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Users written.
    pub users: u64,
    /// Claims and events written.
    pub claims: u64,
    /// Files written (manifest included).
    pub files: usize,
    /// Bytes written (manifest included).
    pub bytes: u64,
    /// Wall time.
    pub seconds: f64,
}

/// A run failure: one line, naming what went wrong.
#[derive(Debug)]
pub struct RunError(pub String);

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RunError {}

fn io_err(what: &str, path: &Path, e: io::Error) -> RunError {
    RunError(format!("{what} {}: {e}", path.display()))
}

/// Runs the pipeline into `cfg.out`.
pub fn run(cfg: &RunConfig) -> Result<Summary, RunError> {
    let started = Instant::now();
    let out = &cfg.out;
    check_output_dir(out, cfg.force)?;
    let tmp = temp_dir_for(out)?;
    fs::create_dir(&tmp).map_err(|e| io_err("cannot create output directory", &tmp, e))?;
    let result = generate_into(cfg, &tmp).and_then(|summary| {
        if out.exists() {
            fs::remove_dir_all(out).map_err(|e| io_err("cannot replace", out, e))?;
        }
        fs::rename(&tmp, out).map_err(|e| io_err("cannot move output into", out, e))?;
        Ok(summary)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result.map(|s| Summary {
        seconds: started.elapsed().as_secs_f64(),
        ..s
    })
}

/// `--stdout`: the streams of `cfg.formats` (FHIR NDJSON: Patient, Coverage and
/// ExplanationOfBenefit lines, chunk by chunk) written to standard output, uncompressed, with
/// no files, manifest or temporary directory.
pub fn run_to_stdout(cfg: &RunConfig) -> Result<Summary, RunError> {
    use std::io::Write;
    let started = Instant::now();
    let plan = Plan::new(cfg, format_emitters(cfg))?;
    let buffers = BufferPool::default();
    let mut out = io::BufWriter::with_capacity(1 << 20, io::stdout());
    let (mut claims, mut bytes) = (0u64, 0u64);
    let nowhere = std::env::temp_dir();
    plan.run(cfg, &nowhere, &buffers, |r| {
        claims += r.claims;
        for b in r.parts.into_iter().filter_map(Part::into_bytes) {
            bytes += b.len() as u64;
            out.write_all(&b)
                .map_err(|e| RunError(format!("cannot write to standard output: {e}")))?;
            buffers.give(b);
        }
        Ok(())
    })?;
    out.flush()
        .map_err(|e| RunError(format!("cannot write to standard output: {e}")))?;
    Ok(Summary {
        users: plan.users.end - plan.users.start,
        claims,
        files: 0,
        bytes,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn generate_into(cfg: &RunConfig, dir: &Path) -> Result<Summary, RunError> {
    if cfg.formats.contains(&Format::Sql) && !cfg.formats.contains(&Format::Csv) {
        return Err(RunError(
            "--formats sql loads the CSV tables, so it needs csv too".into(),
        ));
    }
    let mut emitters = vec![Box::new(csv::Credentials) as Box<dyn Emitter>];
    emitters.extend(format_emitters(cfg));
    let plan = Plan::new(cfg, emitters)?;
    let (users, streams) = (plan.users.clone(), &plan.streams);
    let mut sinks = streams
        .iter()
        .map(|s| Sink::open(dir, s, cfg.compress))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| RunError(format!("cannot write in {}: {e}", dir.display())))?;
    let buffers = BufferPool::default();
    let mut tallies = Vec::with_capacity((users.end - users.start) as usize);
    let mut files: Vec<WrittenFile> = Vec::new();
    let mut claims = 0u64;
    plan.run(cfg, dir, &buffers, |r| {
        for (sink, part) in sinks.iter_mut().zip(r.parts) {
            sink.write(part, &buffers)
                .map_err(|e| io_err("cannot write", &dir.join(sink.path()), e))?;
        }
        tallies.extend(r.tallies);
        files.extend(r.files);
        claims += r.claims;
        Ok(())
    })?;
    let emitters = &plan.emitters;

    let mut entries: Vec<FileEntry> = Vec::new();
    let mut counts = BTreeMap::new();
    for (sink, stream) in sinks.into_iter().zip(streams) {
        let path = dir.join(sink.path());
        let e = sink
            .finish()
            .map_err(|e| io_err("cannot finish", &path, e))?;
        counts.insert(stream.path.clone(), e.rows);
        entries.push(e);
    }
    for f in files {
        entries.push(FileEntry {
            path: f.path,
            bytes: f.bytes,
            rows: f.rows,
            sha256: f.sha256,
        });
    }
    let mut whole: Vec<(String, Vec<u8>, u64)> = vec![(
        users::FILE.to_string(),
        users::render(&mut tallies),
        tallies.len() as u64,
    )];
    for e in emitters {
        whole.extend(e.finish(&cfg.options).into_iter().map(|(p, b)| (p, b, 0)));
    }
    for (path, bytes, rows) in whole {
        let full = dir.join(&path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(|e| io_err("cannot create", parent, e))?;
        }
        fs::write(&full, &bytes).map_err(|e| io_err("cannot write", &full, e))?;
        entries.push(FileEntry {
            sha256: crate::emit::manifest::sha256_hex(&bytes),
            path,
            bytes: bytes.len() as u64,
            rows,
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));

    let manifest = Manifest {
        generator: "bbgen",
        version: env!("CARGO_PKG_VERSION"),
        options: ManifestOptions {
            seed: cfg.options.seed,
            users: cfg.options.users,
            offset: cfg.options.offset,
            shard: cfg.shard.map(|s| format!("{}/{}", s.index + 1, s.count)),
            end_date: cfg.options.end_date.to_string(),
            start_date: cfg.options.start_date().to_string(),
            claims_scale: cfg.options.claims_scale,
            formats: cfg.formats.iter().map(|f| f.name().to_string()).collect(),
            compress: cfg.compress.name().to_string(),
            parquet_compression: cfg.parquet_compression.name().to_string(),
            code_tables: cfg.code_tables.clone(),
        },
        counts,
        files: entries,
    };
    let mut json = serde_json::to_vec_pretty(&manifest).expect("manifest serializes");
    json.push(b'\n');
    let path = dir.join("manifest.json");
    fs::write(&path, &json).map_err(|e| io_err("cannot write", &path, e))?;
    Ok(Summary {
        users: users.end - users.start,
        claims,
        files: manifest.files.len() + 1,
        bytes: manifest.files.iter().map(|f| f.bytes).sum::<u64>() + json.len() as u64,
        seconds: 0.0,
    })
}

/// The emitters of the run's formats, in the order their streams are opened.
fn format_emitters(cfg: &RunConfig) -> Vec<Box<dyn Emitter>> {
    crate::emit::format::emitters(&cfg.formats, cfg.compress, cfg.parquet_compression)
}
