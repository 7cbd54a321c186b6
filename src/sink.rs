//! Output files: a [`Sink`] per stream appends parts in order, hashing and counting what it
//! writes for the manifest; [`write_whole`] writes a file rendered whole. Compression of text
//! parts happens on the worker threads ([`prepare`]), one gzip member or zstd frame per part.
//! Each sink runs on a thread of its own behind a short [`Queue`], so hashing (SHA-256 per
//! file, as `sha256sum -c` checks it), encoding and the kernel's copy of one file overlap with
//! those of the others and with rendering.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::{Scope, ScopedJoinHandle};

use sha2::{Digest, Sha256};

use crate::emit::compress::Compression;
use crate::emit::manifest::{FileEntry, hex};
use crate::emit::{BufferPool, FileEncoder, OutFile, Part, PartData, Stream, StreamKind};

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

/// One output file being written.
pub struct Sink {
    path: String,
    out: BufWriter<Hashing<File>>,
    /// The stream's encoder, for [`StreamKind::Encoded`] streams.
    encoder: Option<Box<dyn FileEncoder>>,
    rows: u64,
}

/// Creates `dir/path` (and its parent directories), counted and hashed.
fn create(dir: &Path, path: &str) -> io::Result<Hashing<File>> {
    let full = dir.join(path);
    if let Some(parent) = full.parent() {
        fs::create_dir_all(parent)?;
    }
    Ok(Hashing {
        inner: File::create(&full)?,
        hash: Sha256::new(),
        bytes: 0,
    })
}

/// Flushes a file and describes it for the manifest.
fn close(out: BufWriter<Hashing<File>>, path: String, rows: u64) -> io::Result<FileEntry> {
    let hashing = out.into_inner().map_err(|e| e.into_error())?;
    Ok(FileEntry {
        path,
        bytes: hashing.bytes,
        rows,
        sha256: hex(&hashing.hash.finalize()),
    })
}

impl Sink {
    /// Creates the file for `stream` under `dir` and writes its header.
    pub fn open(dir: &Path, stream: &Stream, compress: Compression) -> io::Result<Sink> {
        let compress = effective(stream, compress);
        let path = format!("{}{}", stream.path, compress.suffix());
        let mut out = BufWriter::with_capacity(1 << 20, create(dir, &path)?);
        if !stream.header.is_empty() {
            out.write_all(&compress.compress(&stream.header)?)?;
        }
        let encoder = match &stream.kind {
            StreamKind::Encoded(open) => Some(open()?),
            StreamKind::Text | StreamKind::Plain => None,
        };
        Ok(Sink {
            path,
            out,
            encoder,
            rows: 0,
        })
    }

    /// The file's path relative to the output directory.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Appends a part; its buffer goes back to the pool.
    pub fn write(&mut self, part: Part, pool: &BufferPool) -> io::Result<()> {
        match (part.data, &mut self.encoder) {
            (PartData::Bytes(b), None) => {
                self.out.write_all(&b)?;
                pool.give(b);
            }
            (PartData::Encoded(data), Some(e)) => e.encode(data, &mut self.out)?,
            _ => return Err(io::Error::other("part does not match its stream")),
        }
        self.rows += part.rows;
        Ok(())
    }

    /// Flushes and closes the file.
    pub fn finish(mut self) -> io::Result<FileEntry> {
        if let Some(e) = self.encoder.take() {
            e.finish(&mut self.out)?;
        }
        close(self.out, self.path, self.rows)
    }
}

/// Writes a file rendered whole under `dir`.
pub fn write_whole(dir: &Path, file: OutFile) -> io::Result<FileEntry> {
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", file.path));
    let mut out = BufWriter::new(create(dir, &file.path).map_err(named)?);
    out.write_all(&file.bytes).map_err(named)?;
    close(out, file.path.clone(), file.rows).map_err(named)
}

/// Items queued for a thread of their own, handled there in order. The queue is short, so
/// memory stays bounded and a slow file holds back the chunks behind it.
pub struct Queue<'scope, T, R> {
    tx: SyncSender<T>,
    thread: ScopedJoinHandle<'scope, io::Result<R>>,
}

impl<'scope, T: Send + 'scope, R: Send + 'scope> Queue<'scope, T, R> {
    /// Items waiting in a queue at most.
    const DEPTH: usize = 2;

    /// Starts a thread in `scope` that hands the queued items to `handle` and returns what it
    /// makes of them once the queue is closed.
    pub fn spawn<'env>(
        scope: &'scope Scope<'scope, 'env>,
        handle: impl FnOnce(Receiver<T>) -> io::Result<R> + Send + 'scope,
    ) -> Self {
        let (tx, rx) = sync_channel(Self::DEPTH);
        Queue {
            tx,
            thread: scope.spawn(move || handle(rx)),
        }
    }

    /// Queues an item. If the thread has stopped, its error.
    pub fn send(&self, item: T) -> Result<(), io::Error> {
        // A closed queue means the thread returned early, which it does only on an error
        // that `finish` reports.
        self.tx
            .send(item)
            .map_err(|_| io::Error::other("output thread stopped"))
    }

    /// Closes the queue and waits for the thread's result.
    pub fn finish(self) -> io::Result<R> {
        drop(self.tx);
        self.thread.join().expect("output threads do not panic")
    }
}

/// A [`Sink`] on a thread of its own: queued parts are written in order there.
pub fn spawn_sink<'scope>(
    scope: &'scope Scope<'scope, '_>,
    mut sink: Sink,
    pool: &'scope BufferPool,
) -> Queue<'scope, Part, FileEntry> {
    Queue::spawn(scope, move |rx| {
        let path = sink.path().to_string();
        let named = |e: io::Error| io::Error::new(e.kind(), format!("{path}: {e}"));
        for part in rx {
            sink.write(part, pool).map_err(named)?;
        }
        sink.finish().map_err(named)
    })
}

/// Worker-side preparation of a part for `stream`: compression of text (the plain buffer
/// goes back to the pool).
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

/// How a stream's parts are compressed under the run's `compress`: plain and encoded streams
/// never are.
pub fn effective(stream: &Stream, compress: Compression) -> Compression {
    match stream.kind {
        StreamKind::Text => compress,
        _ => Compression::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::manifest::sha256_hex;
    use std::any::Any;
    use std::sync::Arc;

    /// Writes each part's number as a line and a footer with their count.
    struct Lines(u64);

    impl FileEncoder for Lines {
        fn encode(&mut self, data: Box<dyn Any + Send>, out: &mut dyn Write) -> io::Result<()> {
            let n = data
                .downcast::<u64>()
                .map_err(|_| io::Error::other("not a u64"))?;
            self.0 += 1;
            writeln!(out, "{n}")
        }

        fn finish(self: Box<Self>, out: &mut dyn Write) -> io::Result<()> {
            writeln!(out, "{} parts", self.0)
        }
    }

    #[test]
    fn encoded_streams_are_fed_in_order_and_hashed_with_their_footer() {
        let dir = tempfile::tempdir().unwrap();
        let stream = Stream {
            path: "t/lines.txt".into(),
            header: b"head\n".to_vec(),
            kind: StreamKind::Encoded(Arc::new(|| Ok(Box::new(Lines(0)) as _))),
        };
        let pool = BufferPool::default();
        let mut sink = Sink::open(dir.path(), &stream, Compression::Gzip).unwrap();
        assert_eq!(
            sink.path(),
            "t/lines.txt",
            "encoded streams are not compressed"
        );
        for n in [3u64, 1, 2] {
            let data = PartData::Encoded(Box::new(n));
            sink.write(Part { rows: n, data }, &pool).unwrap();
        }
        let wrong = Part {
            rows: 1,
            data: PartData::Bytes(b"x".to_vec()),
        };
        assert!(sink.write(wrong, &pool).is_err());
        let entry = sink.finish().unwrap();
        let text = fs::read(dir.path().join("t/lines.txt")).unwrap();
        assert_eq!(text, b"head\n3\n1\n2\n3 parts\n");
        assert_eq!(entry.sha256, sha256_hex(&text));
        assert_eq!((entry.bytes, entry.rows), (text.len() as u64, 6));
    }

    #[test]
    fn whole_files_are_written_and_described() {
        let dir = tempfile::tempdir().unwrap();
        let file = OutFile {
            path: "a/b/c.json".into(),
            bytes: b"{}\n".to_vec(),
            rows: 1,
        };
        let entry = write_whole(dir.path(), file).unwrap();
        assert_eq!(fs::read(dir.path().join("a/b/c.json")).unwrap(), b"{}\n");
        assert_eq!(entry.sha256, sha256_hex(b"{}\n"));
        assert_eq!(
            (entry.path.as_str(), entry.bytes, entry.rows),
            ("a/b/c.json", 3, 1)
        );
    }
}
