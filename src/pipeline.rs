//! The pipeline: generates chunks of beneficiaries on worker threads, renders them to every
//! requested format there, and writes the parts in chunk order on the calling thread, so the
//! bytes never depend on the thread count. At most a fixed window of chunks is in flight, so
//! memory stays flat whatever the number of users.
//!
//! Output goes to a temporary directory beside `--out` that is renamed into place once
//! `manifest.json` is written; on any error it is removed, so a failed run never leaves a
//! dataset that looks complete.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::Instant;

use crate::dataset::{BLOCK, Dataset, Options};
use crate::emit::manifest::{FileEntry, Manifest, ManifestOptions};
use crate::emit::tables::ParquetCompression;
use crate::emit::users::{self, UserTally};
use crate::emit::{
    BufferPool, Chunk, Emitter, Part, RenderContext, Stream, WrittenFile, csv, rif, sql,
};
use crate::sink::{Compression, Sink};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// CSV tables with BFD column names.
    Csv,
    /// FHIR R4 NDJSON (Patient, Coverage, ExplanationOfBenefit).
    Fhir,
    /// FHIR per-patient bundles (`fhir/bundles/<patient-id>.json`).
    Bundles,
    /// Parquet tables (the same columns, typed).
    #[cfg(feature = "parquet")]
    Parquet,
    /// RIF files as BFD ingests them.
    Rif,
    /// PostgreSQL schema and load scripts (for the CSV tables, which it implies).
    Sql,
}

impl Format {
    /// Every format, in the order `--formats all` lists them.
    pub const ALL: &[Format] = &[
        Format::Csv,
        Format::Fhir,
        Format::Bundles,
        #[cfg(feature = "parquet")]
        Format::Parquet,
        Format::Rif,
        Format::Sql,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Fhir => "fhir",
            Format::Bundles => "bundles",
            #[cfg(feature = "parquet")]
            Format::Parquet => "parquet",
            Format::Rif => "rif",
            Format::Sql => "sql",
        }
    }

    /// The formats written when `--formats` is not given.
    pub fn defaults() -> Vec<Format> {
        vec![
            Format::Fhir,
            Format::Csv,
            #[cfg(feature = "parquet")]
            Format::Parquet,
        ]
    }

    /// `formats` sorted, without repeats, and with what they imply (`sql` loads the CSV
    /// tables, so it brings `csv`).
    pub fn resolve(mut formats: Vec<Format>) -> Vec<Format> {
        if formats.contains(&Format::Sql) {
            formats.push(Format::Csv);
        }
        formats.sort();
        formats.dedup();
        formats
    }
}

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

/// Chunks in flight per worker thread (rendered but not yet written).
const WINDOW_PER_THREAD: u64 = 2;

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

fn check_output_dir(out: &Path, force: bool) -> Result<(), RunError> {
    match fs::metadata(out) {
        Ok(m) if !m.is_dir() => Err(RunError(format!(
            "--out {} exists and is not a directory",
            out.display()
        ))),
        Ok(_) => {
            let mut entries =
                fs::read_dir(out).map_err(|e| io_err("cannot read output directory", out, e))?;
            if entries.next().is_some() && !force {
                Err(RunError(format!(
                    "--out {} already exists and is not empty; use --force to replace it",
                    out.display()
                )))
            } else {
                Ok(())
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("cannot use output directory", out, e)),
    }
}

/// A hidden sibling of `out` (same file system, so the final rename is atomic).
fn temp_dir_for(out: &Path) -> Result<PathBuf, RunError> {
    let name = out
        .file_name()
        .ok_or_else(|| RunError(format!("--out {} is not a directory name", out.display())))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| io_err("cannot create", &parent, e))?;
    Ok(parent.join(format!(
        ".{}.bbgen-partial-{}",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// The emitters of the formats of a run, in the order their streams are opened.
fn emitters(cfg: &RunConfig) -> Vec<Box<dyn Emitter>> {
    let mut e: Vec<Box<dyn Emitter>> = Vec::new();
    for f in &cfg.formats {
        match f {
            Format::Csv => e.push(Box::new(csv::CsvTables::all())),
            Format::Fhir => e.push(Box::new(crate::emit::fhir::FhirNdjson)),
            Format::Bundles => e.push(Box::new(crate::emit::fhir::FhirBundles)),
            #[cfg(feature = "parquet")]
            Format::Parquet => e.push(Box::new(crate::emit::parquet::ParquetTables {
                compression: cfg.parquet_compression,
            })),
            Format::Rif => e.push(Box::new(rif::RifTables::all())),
            Format::Sql => e.push(Box::new(sql::SqlScripts {
                csv_compression: cfg.compress,
            })),
        }
    }
    e
}

/// A rendered chunk on its way to the writer.
struct Rendered {
    parts: Vec<Part>,
    files: Vec<WrittenFile>,
    tallies: Vec<UserTally>,
    claims: u64,
}

/// What the run needs before its chunks: the thread pool, the dataset, its chunks and emitters.
struct Plan {
    pool: rayon::ThreadPool,
    ds: Dataset,
    users: Range<u64>,
    chunks: Vec<Range<u64>>,
    emitters: Vec<Box<dyn Emitter>>,
    streams: Vec<Stream>,
}

impl Plan {
    fn new(cfg: &RunConfig, emitters: Vec<Box<dyn Emitter>>) -> Result<Plan, RunError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cfg.threads)
            .build()
            .map_err(|e| RunError(format!("cannot start {} threads: {e}", cfg.threads)))?;
        let ds = pool
            .install(|| Dataset::new(cfg.options.clone()))
            .map_err(|e| RunError(e.0))?;
        let users = match cfg.shard {
            Some(s) => s.range(cfg.options.user_range()),
            None => cfg.options.user_range(),
        };
        let streams = emitters.iter().flat_map(|e| e.streams()).collect();
        Ok(Plan {
            pool,
            ds,
            chunks: chunk_ranges(users.clone()),
            users,
            emitters,
            streams,
        })
    }

    /// Renders every chunk on `cfg.threads` workers and hands them to `consume` in chunk
    /// order, on the calling thread (inside the pool, so work a consumer spreads over threads
    /// stays within `--threads`). At most a window of chunks is rendered ahead of `consume`.
    fn run(
        &self,
        cfg: &RunConfig,
        dir: &Path,
        buffers: &BufferPool,
        mut consume: impl FnMut(Rendered) -> Result<(), RunError> + Send,
    ) -> Result<(), RunError> {
        let bar = progress_bar(cfg.progress, self.users.end - self.users.start);
        let next = AtomicU64::new(0);
        let written = Mutex::new(0u64);
        let room = Condvar::new();
        let abort = AtomicBool::new(false);
        let window = WINDOW_PER_THREAD * cfg.threads as u64;
        let ctx = RenderContext {
            options: &cfg.options,
            dir,
            buffers,
            codes: &cfg.codes,
        };
        let outcome = std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel::<(u64, io::Result<Rendered>)>();
            for _ in 0..cfg.threads {
                let tx = tx.clone();
                let (next, written, room, abort, ctx) = (&next, &written, &room, &abort, &ctx);
                scope.spawn(move || {
                    loop {
                        let c = next.fetch_add(1, Ordering::SeqCst);
                        if c >= self.chunks.len() as u64 {
                            break;
                        }
                        {
                            let mut w = written.lock().expect("lock");
                            while c >= *w + window && !abort.load(Ordering::SeqCst) {
                                w = room.wait(w).expect("lock");
                            }
                        }
                        if abort.load(Ordering::SeqCst) {
                            break;
                        }
                        let r = render_chunk(
                            &self.ds,
                            &self.emitters,
                            &self.streams,
                            ctx,
                            self.chunks[c as usize].clone(),
                            cfg.compress,
                        );
                        if tx.send((c, r)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);

            let mut pending: BTreeMap<u64, Rendered> = BTreeMap::new();
            let mut expect = 0u64;
            let fail = |e: RunError| {
                abort.store(true, Ordering::SeqCst);
                room.notify_all();
                Err(e)
            };
            for (c, r) in rx.iter() {
                let r = match r {
                    Ok(r) => r,
                    Err(e) => return fail(RunError(format!("cannot render chunk: {e}"))),
                };
                pending.insert(c, r);
                while let Some(r) = pending.remove(&expect) {
                    let n = r.tallies.len() as u64;
                    if let Err(e) = self.pool.install(|| consume(r)) {
                        return fail(e);
                    }
                    bar.inc(n);
                    expect += 1;
                    *written.lock().expect("lock") = expect;
                    room.notify_all();
                }
            }
            Ok(())
        });
        bar.finish_and_clear();
        outcome
    }
}

/// `--stdout`: the streams of `cfg.formats` (FHIR NDJSON: Patient, Coverage and
/// ExplanationOfBenefit lines, chunk by chunk) written to standard output, uncompressed, with
/// no files, manifest or temporary directory.
pub fn run_to_stdout(cfg: &RunConfig) -> Result<Summary, RunError> {
    use std::io::Write;
    let started = Instant::now();
    let plan = Plan::new(cfg, emitters(cfg))?;
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
    emitters.extend(self::emitters(cfg));
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

/// Users per chunk: small enough that the chunks in flight stay well under the memory target
/// (a chunk's FHIR alone is about a megabyte per user), large enough that handing chunks
/// around costs nothing next to generating them. Chunks never straddle a slot-index block, so
/// each starts with a short slot look-up.
const CHUNK_USERS: u64 = 2;

fn chunk_ranges(users: Range<u64>) -> Vec<Range<u64>> {
    let mut out = Vec::new();
    let mut lo = users.start;
    while lo < users.end {
        let block_end = (lo / BLOCK + 1) * BLOCK;
        let hi = (lo + CHUNK_USERS).min(block_end).min(users.end);
        out.push(lo..hi);
        lo = hi;
    }
    out
}

fn render_chunk(
    ds: &Dataset,
    emitters: &[Box<dyn Emitter>],
    streams: &[Stream],
    ctx: &RenderContext<'_>,
    users: Range<u64>,
    compress: Compression,
) -> io::Result<Rendered> {
    let chunk = Chunk {
        entries: ds.chunk(users),
    };
    let mut parts = Vec::new();
    let mut files = Vec::new();
    for e in emitters {
        e.render(ctx, &chunk, &mut parts, &mut files)?;
    }
    for (part, stream) in parts.iter_mut().zip(streams) {
        Sink::prepare(part, stream, compress, ctx.buffers)?;
    }
    let tallies = chunk
        .entries
        .iter()
        .map(|(b, c)| UserTally::of(b, c))
        .collect();
    let claims = chunk.entries.iter().map(|(_, c)| c.len() as u64).sum();
    Ok(Rendered {
        parts,
        files,
        tallies,
        claims,
    })
}

fn progress_bar(enabled: bool, users: u64) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    if !enabled || !io::IsTerminal::is_terminal(&io::stderr()) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(users), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {human_pos}/{human_len} beneficiaries ({per_sec}, {eta} left)",
        )
        .expect("valid template"),
    );
    bar
}
