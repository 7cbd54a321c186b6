//! `bbgen merge`: the N shard datasets of one run (`--shard 1/N` … `N/N`, each in its own
//! `--out`) become one dataset in a new `--out`, as if one machine had written it.
//!
//! - The text streams (CSV tables, FHIR NDJSON, RIF files, `credentials.csv`) are the shards'
//!   files appended in shard order, with the header written once: as a shard is exactly its
//!   users' rows of the whole run, uncompressed files come out byte for byte as the unsharded
//!   run's (compressed ones hold the same bytes once decompressed).
//! - Parquet part files (`parquet/<table>/part-<k>-of-<n>.parquet`) and per-patient bundles are
//!   brought in as they are (hard-linked where the file system allows, else copied).
//! - Files every shard writes alike (the SQL scripts) are taken once.
//! - `synthetic_users_by_claim_count_full.csv`, sorted over all users, is rendered again from
//!   the shards' files.
//!
//! Every shard file is re-hashed against its shard's manifest on the way, so a changed file is
//! never merged, and the result has a manifest of its own that `bbgen verify` checks. The new
//! `--out` is written like a run's: locked, into `.bbgen-partial`, moved into place at the end.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::output::Target;
use super::{RunError, io_err};
use crate::emit::compress::Compression;
use crate::emit::format::{self, EmitConfig, Format};
use crate::emit::manifest::{FileEntry, Manifest, ManifestOptions, hex};
use crate::emit::sandbox::credentials::Credentials;
use crate::emit::sandbox::users;
use crate::emit::tables::ParquetCompression;
use crate::emit::{BufferPool, Emitter, Part, PartData, Stream, StreamKind};
use crate::sink::{self, Sink};

/// A shard's `manifest.json`, as read back.
#[derive(Deserialize)]
struct ShardManifest {
    generator: String,
    version: String,
    options: ManifestOptions,
    counts: BTreeMap<String, u64>,
    files: Vec<FileEntry>,
}

/// One shard dataset.
struct ShardDir {
    dir: PathBuf,
    manifest: ShardManifest,
}

impl ShardDir {
    fn read(dir: &Path) -> Result<ShardDir, RunError> {
        let path = dir.join("manifest.json");
        let bytes = fs::read(&path).map_err(|e| io_err("cannot read", &path, e))?;
        let manifest: ShardManifest = serde_json::from_slice(&bytes)
            .map_err(|e| RunError(format!("{} is not a bbgen manifest: {e}", path.display())))?;
        if manifest.generator != "bbgen" || manifest.version != env!("CARGO_PKG_VERSION") {
            return Err(RunError(format!(
                "{} was written by {} {}; this is bbgen {}, which merges only its own shards",
                path.display(),
                manifest.generator,
                manifest.version,
                env!("CARGO_PKG_VERSION")
            )));
        }
        Ok(ShardDir {
            dir: dir.to_path_buf(),
            manifest,
        })
    }

    /// `(k, n)` from the manifest's `shard`.
    fn shard(&self) -> Option<(u64, u64)> {
        let (k, n) = self.manifest.options.shard.as_deref()?.split_once('/')?;
        Some((k.parse().ok()?, n.parse().ok()?))
    }

    fn listed(&self, path: &str) -> Option<&FileEntry> {
        self.manifest.files.iter().find(|f| f.path == path)
    }
}

/// What a merge wrote.
#[derive(Debug, Clone)]
pub struct Merged {
    /// Shards merged.
    pub shards: usize,
    /// Users of the merged dataset.
    pub users: u64,
    /// Files written (manifest included).
    pub files: usize,
    /// Bytes written (manifest included).
    pub bytes: u64,
    /// Wall time.
    pub seconds: f64,
}

/// Merges the shard datasets in `shards` (in any order) into `out`.
pub fn merge(out: &Path, shards: &[PathBuf], force: bool) -> Result<Merged, RunError> {
    let started = std::time::Instant::now();
    let shards = read_shards(out, shards)?;
    let compress = options_compress(&shards[0].manifest.options)?;
    let target = Target::open(out, force, super::progress::notice)?;
    let dir = target.temp();
    let options = ManifestOptions {
        shard: None,
        ..shards[0].manifest.options.clone()
    };
    let streams = text_streams(&options)?;
    let mut jobs: Vec<Job<'_>> = streams.iter().map(Job::Append).collect();
    jobs.extend(single_files(&shards, &streams)?);
    let mut files = jobs
        .par_iter()
        .map(|job| job.run(&shards, dir, compress))
        .collect::<Result<Vec<FileEntry>, RunError>>()?;
    files.push(users_file(&shards, dir)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut counts = BTreeMap::new();
    for s in &shards {
        for (path, n) in &s.manifest.counts {
            *counts.entry(path.clone()).or_insert(0) += n;
        }
    }
    let users = counts.get("credentials.csv").copied().unwrap_or(0);
    let manifest = Manifest {
        generator: "bbgen",
        version: env!("CARGO_PKG_VERSION"),
        options,
        counts,
        files,
    };
    let json = manifest.to_json();
    let path = dir.join("manifest.json");
    fs::write(&path, &json).map_err(|e| io_err("cannot write", &path, e))?;
    target.commit()?;
    Ok(Merged {
        shards: shards.len(),
        users,
        files: manifest.files.len() + 1,
        bytes: manifest.files.iter().map(|f| f.bytes).sum::<u64>() + json.len() as u64,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Reads every shard's manifest and checks that they are the N shards of one run, each once,
/// none of them `out`. Returns them in shard order.
fn read_shards(out: &Path, dirs: &[PathBuf]) -> Result<Vec<ShardDir>, RunError> {
    let mut shards = dirs
        .iter()
        .map(|d| ShardDir::read(d))
        .collect::<Result<Vec<_>, _>>()?;
    let out_real = fs::canonicalize(out).ok();
    for s in &shards {
        if s.shard().is_none() {
            return Err(RunError(format!(
                "{} holds a whole run, not a shard (its manifest has no shard K/N)",
                s.dir.display()
            )));
        }
        if out_real.is_some() && fs::canonicalize(&s.dir).ok() == out_real {
            return Err(RunError(format!(
                "--out {} is one of the shards; merge into a new directory",
                out.display()
            )));
        }
    }
    shards.sort_by_key(|s| s.shard());
    let first = &shards[0];
    let n = first.shard().map_or(0, |(_, n)| n);
    for (i, s) in shards.iter().enumerate() {
        let same = ManifestOptions {
            shard: first.manifest.options.shard.clone(),
            ..s.manifest.options.clone()
        };
        if same != first.manifest.options {
            return Err(RunError(format!(
                "{} and {} are shards of different runs (their options differ besides --shard)",
                first.dir.display(),
                s.dir.display()
            )));
        }
        if s.shard() != Some((i as u64 + 1, n)) {
            return Err(RunError(format!(
                "the shards of a run split in {n} are 1/{n} … {n}/{n}, each once; got {}",
                shards
                    .iter()
                    .map(|s| s.manifest.options.shard.clone().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(shards)
}

fn options_compress(options: &ManifestOptions) -> Result<Compression, RunError> {
    [Compression::None, Compression::Gzip, Compression::Zstd]
        .into_iter()
        .find(|c| c.name() == options.compress)
        .ok_or_else(|| RunError(format!("unknown compression {:?}", options.compress)))
}

/// The text streams of the run's formats (and `credentials.csv`): the files that are the
/// shards' files appended.
fn text_streams(options: &ManifestOptions) -> Result<Vec<Stream>, RunError> {
    let formats = options
        .formats
        .iter()
        .map(|name| {
            Format::ALL
                .iter()
                .copied()
                .find(|f| f.name() == name)
                .ok_or_else(|| RunError(format!("this bbgen does not write {name}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let config = EmitConfig {
        compress: options_compress(options)?,
        parquet_compression: ParquetCompression::from_name(&options.parquet_compression)
            .unwrap_or_default(),
        shard: None,
    };
    let mut emitters = vec![Box::new(Credentials) as Box<dyn Emitter>];
    emitters.extend(format::emitters(&formats, &config));
    Ok(emitters
        .iter()
        .flat_map(|e| e.streams())
        .filter(|s| !matches!(s.kind, StreamKind::Encoded(_)))
        .collect())
}

/// One file of the merged dataset.
enum Job<'a> {
    /// A text stream: every shard's file appended.
    Append(&'a Stream),
    /// A file brought in from one shard as it is.
    Take(&'a ShardDir, &'a FileEntry),
}

impl Job<'_> {
    fn run(&self, shards: &[ShardDir], dir: &Path, c: Compression) -> Result<FileEntry, RunError> {
        match self {
            Job::Append(stream) => append(shards, stream, dir, c),
            Job::Take(shard, file) => take(shard, file, dir),
        }
    }
}

/// Every listed file that is not a text stream nor the users file, from the one shard that
/// wrote it (Parquet parts, bundles) or, where every shard wrote the same bytes (the SQL
/// scripts), from the first.
fn single_files<'a>(shards: &'a [ShardDir], streams: &[Stream]) -> Result<Vec<Job<'a>>, RunError> {
    let compress = options_compress(&shards[0].manifest.options)?;
    let appended: BTreeSet<String> = streams
        .iter()
        .map(|s| format!("{}{}", s.path, sink::effective(s, compress).suffix()))
        .chain([users::FILE.to_string()])
        .collect();
    let mut taken: BTreeMap<&str, (&ShardDir, &FileEntry)> = BTreeMap::new();
    for s in shards {
        for f in s
            .manifest
            .files
            .iter()
            .filter(|f| !appended.contains(&f.path))
        {
            match taken.get(f.path.as_str()) {
                Some((_, seen)) if seen.sha256 != f.sha256 => {
                    return Err(RunError(format!(
                        "{} differs between the shards, so they cannot be merged",
                        f.path
                    )));
                }
                Some(_) => {}
                None => drop(taken.insert(&f.path, (s, f))),
            }
        }
    }
    Ok(taken.into_values().map(|(s, f)| Job::Take(s, f)).collect())
}

/// Streams a shard's file through SHA-256, handing each block to `each`; fails unless it
/// is the file its shard's manifest lists.
fn read_verified(
    shard: &ShardDir,
    path: &str,
    mut each: impl FnMut(&[u8]),
) -> Result<u64, RunError> {
    let listed = shard.listed(path).ok_or_else(|| {
        RunError(format!(
            "{}: the manifest does not list {path}",
            shard.dir.display()
        ))
    })?;
    let full = shard.dir.join(path);
    let mut file = File::open(&full).map_err(|e| io_err("cannot read", &full, e))?;
    let (mut h, mut n, mut buf) = (Sha256::new(), 0u64, vec![0u8; 1 << 20]);
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => {
                h.update(&buf[..k]);
                each(&buf[..k]);
                n += k as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_err("cannot read", &full, e)),
        }
    }
    if n != listed.bytes || hex(&h.finalize()) != listed.sha256 {
        return Err(RunError(format!(
            "{} changed since its shard was written (run bbgen verify {})",
            full.display(),
            shard.dir.display()
        )));
    }
    Ok(listed.rows)
}

/// A text stream: the header once, then each shard's file without its header.
fn append(
    shards: &[ShardDir],
    stream: &Stream,
    dir: &Path,
    compress: Compression,
) -> Result<FileEntry, RunError> {
    let failed = |e: io::Error| RunError(format!("cannot write in {}: {e}", dir.display()));
    let pool = BufferPool::default();
    let mut out = Sink::open(dir, stream, compress).map_err(failed)?;
    let header = match stream.header.is_empty() {
        true => Vec::new(),
        false => sink::effective(stream, compress)
            .compress(&stream.header)
            .map_err(failed)?,
    };
    let path = out.path().to_string();
    for s in shards {
        let (mut skip, mut head, mut written) = (header.len(), Vec::new(), Ok(()));
        let rows = read_verified(s, &path, |block| {
            let cut = skip.min(block.len());
            head.extend_from_slice(&block[..cut]);
            skip -= cut;
            if written.is_ok() && cut < block.len() {
                let data = PartData::Bytes(block[cut..].to_vec());
                written = out.write(Part { rows: 0, data }, &pool);
            }
        })?;
        written.map_err(failed)?;
        if head != header {
            return Err(RunError(format!(
                "{} does not start with its header",
                s.dir.join(&path).display()
            )));
        }
        let data = PartData::Bytes(Vec::new());
        out.write(Part { rows, data }, &pool).map_err(failed)?;
    }
    out.finish(&pool).map_err(failed)
}

/// A file brought in as it is: hard-linked, or copied where linking fails.
fn take(shard: &ShardDir, file: &FileEntry, dir: &Path) -> Result<FileEntry, RunError> {
    let (from, to) = (shard.dir.join(&file.path), dir.join(&file.path));
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(|e| io_err("cannot create", parent, e))?;
    }
    if fs::hard_link(&from, &to).is_ok() {
        read_verified(shard, &file.path, |_| {})?;
        return Ok(file.clone());
    }
    let mut copy =
        io::BufWriter::new(File::create(&to).map_err(|e| io_err("cannot create", &to, e))?);
    let mut written = Ok(());
    read_verified(shard, &file.path, |block| {
        if written.is_ok() {
            written = io::Write::write_all(&mut copy, block);
        }
    })?;
    written
        .and_then(|()| io::Write::flush(&mut copy))
        .map_err(|e| io_err("cannot write", &to, e))?;
    Ok(file.clone())
}

/// `synthetic_users_by_claim_count_full.csv` over the users of every shard.
fn users_file(shards: &[ShardDir], dir: &Path) -> Result<FileEntry, RunError> {
    let mut tallies = Vec::new();
    for s in shards {
        let mut text = Vec::new();
        read_verified(s, users::FILE, |b| text.extend_from_slice(b))?;
        let path = s.dir.join(users::FILE);
        tallies.extend(
            users::parse(&text)
                .map_err(|e| RunError(format!("cannot read {}: {e}", path.display())))?,
        );
    }
    let file = crate::emit::OutFile {
        path: users::FILE.to_string(),
        bytes: users::render(&mut tallies),
        rows: tallies.len() as u64,
    };
    sink::write_whole(dir, file)
        .map_err(|e| RunError(format!("cannot write in {}: {e}", dir.display())))
}
