//! The pipeline: generates chunks of beneficiaries on worker threads, renders them to every
//! requested format there, and writes the parts in chunk order on the calling thread, so the
//! bytes never depend on the thread count. At most a fixed window of chunks is in flight, so
//! memory stays flat whatever the number of users.
//!
//! Output goes to a temporary directory inside the locked `--out` whose contents are moved
//! into place once `manifest.json` is written ([`output`]); on any error or interruption it is
//! removed, so a failed run never leaves a dataset that looks complete.

pub mod estimate;
pub mod interrupt;
mod lock;
mod memory;
pub mod merge;
mod output;
pub mod progress;
mod schedule;
pub mod units;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::Instant;

use crate::emit::compress::Compression;
use crate::emit::format::EmitConfig;
pub use crate::emit::format::Format;
use crate::emit::manifest::{FileEntry, Manifest, ManifestOptions};
use crate::emit::sandbox::credentials::Credentials;
use crate::emit::sandbox::users::{self, UserTally};
use crate::emit::tables::ParquetCompression;
use crate::emit::{BufferPool, Emitter, OutFile, Part};
use crate::options::Options;
use crate::sink::{self, Queue, Sink};

pub use lock::LOCK_FILE;
pub use output::PARTIAL_DIR;
use output::Target;
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
        crate::options::part(users, self.index, self.count)
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
    /// Draw a progress bar on stderr (when it is a terminal) and print the size estimate.
    pub progress: bool,
    /// Refuse a run whose estimated size exceeds the free space of `out`.
    pub space_check: bool,
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
    memory::no_huge_pages();
    let target = Target::open(&cfg.out, cfg.force, progress::notice)?;
    let summary = generate_into(cfg, target.temp())?;
    // A signal during the closing step still stops the run rather than publishing it.
    interrupt::check()?;
    target.commit()?;
    Ok(Summary {
        seconds: started.elapsed().as_secs_f64(),
        ..summary
    })
}

/// `--stdout`: the streams of `cfg.formats` (FHIR NDJSON: Patient, Coverage and
/// ExplanationOfBenefit lines, chunk by chunk) written to standard output, compressed as
/// `--compress` says, with no files, manifest or temporary directory. `Ok(None)` when the
/// reader closed standard output before the end (`bbgen --stdout ndjson | head`), which is no
/// failure.
pub fn run_to_stdout(cfg: &RunConfig) -> Result<Option<Summary>, RunError> {
    use std::io::Write;
    let started = Instant::now();
    memory::no_huge_pages();
    let plan = Plan::new(cfg, format_emitters(cfg))?;
    let buffers = BufferPool::default();
    let mut out = io::BufWriter::with_capacity(1 << 20, io::stdout());
    let (mut claims, mut bytes) = (0u64, 0u64);
    let mut closed = false;
    let stdout_err = |e: io::Error, closed: &mut bool| {
        *closed = e.kind() == io::ErrorKind::BrokenPipe;
        RunError(format!("cannot write to standard output: {e}"))
    };
    let written = plan.run(cfg, &buffers, |r| {
        claims += r.claims;
        for b in r.parts.into_iter().filter_map(Part::into_bytes) {
            bytes += b.len() as u64;
            out.write_all(&b).map_err(|e| stdout_err(e, &mut closed))?;
            buffers.give(b);
        }
        Ok(())
    });
    let written = written.and_then(|()| out.flush().map_err(|e| stdout_err(e, &mut closed)));
    if closed {
        return Ok(None);
    }
    written?;
    Ok(Some(Summary {
        users: plan.users.end - plan.users.start,
        claims,
        files: 0,
        bytes,
        seconds: started.elapsed().as_secs_f64(),
    }))
}

/// What the chunks of a run wrote: the manifest entries of its files, rows per stream, the
/// users' claim tallies and the number of claims.
struct Written {
    entries: Vec<FileEntry>,
    counts: BTreeMap<String, u64>,
    tallies: Vec<UserTally>,
    claims: u64,
}

fn generate_into(cfg: &RunConfig, dir: &Path) -> Result<Summary, RunError> {
    if cfg.formats.contains(&Format::Sql) && !cfg.formats.contains(&Format::Csv) {
        return Err(RunError(
            "--formats sql loads the CSV tables, so it needs csv too".into(),
        ));
    }
    let mut emitters = vec![Box::new(Credentials) as Box<dyn Emitter>];
    emitters.extend(format_emitters(cfg));
    let plan = Plan::new(cfg, emitters)?;
    estimate::preflight(cfg, &plan, dir)?;
    let mut written = write_chunks(cfg, &plan, dir)?;
    let _closing = progress::Closing::start(
        cfg.progress,
        "closing: Parquet footers, the users file and manifest.json",
    );

    let mut whole = vec![OutFile {
        path: users::FILE.to_string(),
        bytes: users::render(&mut written.tallies),
        rows: written.tallies.len() as u64,
    }];
    whole.extend(plan.emitters.iter().flat_map(|e| e.finish(&cfg.options)));
    for f in whole {
        written.entries.push(write_whole(dir, f)?);
    }
    let mut entries = written.entries;
    entries.sort_by(|a, b| a.path.cmp(&b.path));

    let manifest = Manifest {
        generator: "bbgen",
        version: env!("CARGO_PKG_VERSION"),
        options: manifest_options(cfg),
        counts: written.counts,
        files: entries,
    };
    let json = manifest.to_json();
    let path = dir.join("manifest.json");
    fs::write(&path, &json).map_err(|e| io_err("cannot write", &path, e))?;
    Ok(Summary {
        users: plan.users.end - plan.users.start,
        claims: written.claims,
        files: manifest.files.len() + 1,
        bytes: manifest.files.iter().map(|f| f.bytes).sum::<u64>() + json.len() as u64,
        seconds: 0.0,
    })
}

/// Renders every chunk and writes it: parts appended to their streams' files, files rendered
/// whole written as they come, all in chunk order, each file on its sink's own thread.
fn write_chunks(cfg: &RunConfig, plan: &Plan, dir: &Path) -> Result<Written, RunError> {
    let sinks = plan
        .streams
        .iter()
        .map(|s| Sink::open(dir, s, cfg.compress))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| write_error(dir, e))?;
    let buffers = BufferPool::default();
    let users = plan.users.end - plan.users.start;
    let mut tallies = Vec::with_capacity(users as usize);
    let mut claims = 0u64;
    std::thread::scope(|scope| {
        let queues: Vec<_> = sinks
            .into_iter()
            .map(|s| sink::spawn_sink(scope, s, &buffers))
            .collect();
        let whole = Queue::spawn(scope, |rx: Receiver<OutFile>| {
            rx.into_iter()
                .map(|f| sink::write_whole(dir, f))
                .collect::<io::Result<Vec<FileEntry>>>()
        });
        let stopped = |e: io::Error| RunError(e.to_string());
        let ran = plan.run(cfg, &buffers, |r| {
            for (q, part) in queues.iter().zip(r.parts) {
                q.send(part).map_err(stopped)?;
            }
            for f in r.files {
                whole.send(f).map_err(stopped)?;
            }
            tallies.extend(r.tallies);
            claims += r.claims;
            Ok(())
        });
        // Every queue is finished before any error is returned, so a file's own error wins
        // over the "stopped" of the queue it closed.
        let mut counts = BTreeMap::new();
        let mut entries = Vec::new();
        let mut failed = None;
        for (q, stream) in queues.into_iter().zip(&plan.streams) {
            match q.finish() {
                Ok(e) => {
                    counts.insert(stream.path.clone(), e.rows);
                    entries.push(e);
                }
                Err(e) => drop(failed.get_or_insert(e)),
            }
        }
        match whole.finish() {
            Ok(files) => entries.extend(files),
            Err(e) => drop(failed.get_or_insert(e)),
        }
        if let Some(e) = failed {
            return Err(write_error(dir, e));
        }
        ran?;
        Ok(Written {
            entries,
            counts,
            tallies,
            claims,
        })
    })
}

/// Writes a file rendered whole under `dir`.
fn write_whole(dir: &Path, f: OutFile) -> Result<FileEntry, RunError> {
    sink::write_whole(dir, f).map_err(|e| write_error(dir, e))
}

/// An output error (it names the file) in the output directory.
fn write_error(dir: &Path, e: io::Error) -> RunError {
    RunError(format!("cannot write in {}: {e}", dir.display()))
}

/// The run's options, as the manifest records them.
fn manifest_options(cfg: &RunConfig) -> ManifestOptions {
    ManifestOptions {
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
    }
}

/// The emitters of the run's formats, in the order their streams are opened.
fn format_emitters(cfg: &RunConfig) -> Vec<Box<dyn Emitter>> {
    let config = EmitConfig {
        compress: cfg.compress,
        parquet_compression: cfg.parquet_compression,
        shard: cfg.shard.map(|s| (s.index + 1, s.count)),
    };
    crate::emit::format::emitters(&cfg.formats, &config)
}
