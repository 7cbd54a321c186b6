//! Output files: a [`Sink`] per stream appends parts in order, hashing and counting what it
//! writes for the manifest. Compression of text parts happens on the worker threads
//! ([`Sink::prepare`]), one gzip member or zstd frame per part; concatenated members and frames
//! are valid files that every reader decompresses as one.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::emit::manifest::{FileEntry, hex};
use crate::emit::{BufferPool, Part, PartData, Stream, StreamKind};

/// Compression of text outputs (CSV, NDJSON, RIF).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Plain files.
    None,
    /// `.gz` (gzip level 1: fast, and about as small as text of this kind gets at level 6).
    Gzip,
    /// `.zst` (zstd level 1).
    Zstd,
}

impl Compression {
    /// Name on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Compression::None => "",
            Compression::Gzip => ".gz",
            Compression::Zstd => ".zst",
        }
    }

    /// Compresses `bytes` as one self-contained member or frame.
    pub fn compress(self, bytes: &[u8]) -> io::Result<Vec<u8>> {
        match self {
            Compression::None => Ok(bytes.to_vec()),
            Compression::Gzip => {
                let mut e = flate2::write::GzEncoder::new(
                    Vec::with_capacity(bytes.len() / 4),
                    flate2::Compression::fast(),
                );
                e.write_all(bytes)?;
                e.finish()
            }
            Compression::Zstd => zstd::bulk::compress(bytes, 1),
        }
    }
}

/// Counts and hashes what passes through.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

enum Writer {
    Bytes(BufWriter<Hashing<File>>),
    #[cfg(feature = "parquet")]
    Parquet(Box<parquet::arrow::ArrowWriter<Hashing<File>>>),
}

/// One output file being written.
pub struct Sink {
    path: String,
    writer: Writer,
    rows: u64,
}

impl Sink {
    /// Creates the file for `stream` under `dir` and writes its header.
    pub fn open(dir: &Path, stream: &Stream, compress: Compression) -> io::Result<Sink> {
        let compress = effective(stream, compress);
        let path = format!("{}{}", stream.path, compress.suffix());
        let full = dir.join(&path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)?;
        }
        let file = Hashing {
            inner: File::create(&full)?,
            hash: Sha256::new(),
            bytes: 0,
        };
        let writer = match stream.kind {
            StreamKind::Text | StreamKind::Plain => {
                let mut w = BufWriter::with_capacity(1 << 20, file);
                if !stream.header.is_empty() {
                    w.write_all(&compress.compress(&stream.header)?)?;
                }
                Writer::Bytes(w)
            }
            #[cfg(feature = "parquet")]
            StreamKind::Parquet(table) => Writer::Parquet(Box::new(
                crate::emit::parquet::writer(table, file).map_err(io::Error::other)?,
            )),
        };
        Ok(Sink {
            path,
            writer,
            rows: 0,
        })
    }

    /// Worker-side preparation of a part for `stream`: compression of text (the plain
    /// buffer goes back to the pool).
    pub fn prepare(
        part: &mut Part,
        stream: &Stream,
        compress: Compression,
        pool: &BufferPool,
    ) -> io::Result<()> {
        let compress = effective(stream, compress);
        if let (PartData::Bytes(b), true) = (&mut part.data, compress != Compression::None) {
            let packed = compress.compress(b)?;
            pool.give(std::mem::replace(b, packed));
        }
        Ok(())
    }

    /// The file's path relative to the output directory.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Appends a part; its buffer goes back to the pool.
    pub fn write(&mut self, part: Part, pool: &BufferPool) -> io::Result<()> {
        self.rows += part.rows;
        match (&mut self.writer, part.data) {
            (Writer::Bytes(w), PartData::Bytes(b)) => {
                w.write_all(&b)?;
                pool.give(b);
                Ok(())
            }
            #[cfg(feature = "parquet")]
            (Writer::Parquet(w), PartData::Batch(b)) => w.write(&b).map_err(io::Error::other),
            #[cfg(feature = "parquet")]
            _ => Err(io::Error::other("part does not match its stream")),
        }
    }

    /// Flushes and closes the file.
    pub fn finish(self) -> io::Result<FileEntry> {
        let hashing = match self.writer {
            Writer::Bytes(w) => w.into_inner().map_err(|e| e.into_error())?,
            #[cfg(feature = "parquet")]
            Writer::Parquet(w) => w.into_inner().map_err(io::Error::other)?,
        };
        hashing.inner.sync_data().ok();
        Ok(FileEntry {
            path: self.path,
            bytes: hashing.bytes,
            rows: self.rows,
            sha256: hex(&hashing.hash.finalize()),
        })
    }
}

/// Plain streams are never compressed.
fn effective(stream: &Stream, compress: Compression) -> Compression {
    match stream.kind {
        StreamKind::Text => compress,
        _ => Compression::None,
    }
}
