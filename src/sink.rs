//! Output files: a [`Sink`] per stream appends parts in order, hashing and counting what it
//! writes for the manifest; [`write_whole`] writes a file rendered whole. Compression of text
//! parts happens on the worker threads ([`prepare`]), one gzip member or zstd frame per part.
//! Each sink runs on a thread of its own behind a short [`Queue`], so encoding and the
//! kernel's copy of one file overlap with those of the others and with rendering; each file's
//! SHA-256 (per file, as `sha256sum -c` checks it) is computed on a [`Hasher`] thread of its
//! own, fed the buffers just written, so hashing one buffer overlaps with writing the next.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::{JoinHandle, Scope, ScopedJoinHandle};

use sha2::{Digest, Sha256};

use crate::emit::compress::Compression;
use crate::emit::manifest::{FileEntry, hex, sha256_hex};
use crate::emit::{BufferPool, FileEncoder, OutFile, Part, PartData, Stream, StreamKind};

/// A file's SHA-256, computed on a thread of its own from the buffers written to the file, in
/// the order they were written. SHA-256 is sequential, so one file's hash cannot be split
/// across threads; pipelined this way it takes the writer thread's place on the critical
/// path only when it is the slower of the two. Hashed buffers come back for reuse.
struct Hasher {
    tx: SyncSender<Vec<u8>>,
    back: Receiver<Vec<u8>>,
    thread: JoinHandle<[u8; 32]>,
}

impl Hasher {
    /// Buffers waiting to be hashed at most: a slow hash holds the writer back soon, so memory
    /// stays bounded.
    const DEPTH: usize = 1;

    /// Starts the thread, going on from the hash of what the file already holds.
    fn spawn(mut hash: Sha256) -> io::Result<Hasher> {
        let (tx, rx) = sync_channel::<Vec<u8>>(Self::DEPTH);
        let (back_tx, back): (Sender<Vec<u8>>, _) = channel();
        let thread = std::thread::Builder::new()
            .name("sha256".into())
            .spawn(move || {
                for b in rx {
                    hash.update(&b);
                    // The sink may be gone (an error): the buffer is then simply freed.
                    let _ = back_tx.send(b);
                }
                hash.finalize().into()
            })?;
        Ok(Hasher { tx, back, thread })
    }

    /// Queues bytes that were just written, and hands the hashed buffers back to `pool`.
    fn send(&self, b: Vec<u8>, pool: &BufferPool) -> io::Result<()> {
        self.tx
            .send(b)
            .map_err(|_| io::Error::other("hashing thread stopped"))?;
        self.recycle(pool);
        Ok(())
    }

    fn recycle(&self, pool: &BufferPool) {
        for b in self.back.try_iter() {
            pool.give(b);
        }
    }

    /// Waits for the hash of everything sent.
    fn finish(self, pool: &BufferPool) -> io::Result<[u8; 32]> {
        let Hasher { tx, back, thread } = self;
        drop(tx);
        let digest = thread
            .join()
            .map_err(|_| io::Error::other("hashing thread failed"))?;
        for b in back.try_iter() {
            pool.give(b);
        }
        Ok(digest)
    }
}

/// Where a file's hash is computed: on the writer's own thread while the file is small, on a
/// [`Hasher`] of its own once it is large. Most files (the tables' CSV and Parquet) take a
/// few megabytes, and a thread each for them cost more in wake-ups and memory than their
/// hashing did.
enum FileHash {
    Inline(Sha256),
    Piped(Hasher),
}

impl FileHash {
    /// Bytes a file holds before its hash moves to a thread of its own.
    const PIPED_FROM: u64 = 32 << 20;

    /// Hashes bytes just written (`total` is the file's size with them); the buffer goes back
    /// to `pool` once hashed.
    fn update(&mut self, b: Vec<u8>, total: u64, pool: &BufferPool) -> io::Result<()> {
        match self {
            FileHash::Inline(hash) if total < Self::PIPED_FROM => {
                hash.update(&b);
                pool.give(b);
                Ok(())
            }
            FileHash::Inline(hash) => {
                let piped = Hasher::spawn(std::mem::take(hash))?;
                piped.send(b, pool)?;
                *self = FileHash::Piped(piped);
                Ok(())
            }
            FileHash::Piped(h) => h.send(b, pool),
        }
    }

    fn finish(self, pool: &BufferPool) -> io::Result<[u8; 32]> {
        match self {
            FileHash::Inline(hash) => Ok(hash.finalize().into()),
            FileHash::Piped(h) => h.finish(pool),
        }
    }
}

/// One output file being written.
pub struct Sink {
    path: String,
    file: File,
    /// Small writes (the header, small parts, encoded Parquet bytes) gathered until
    /// [`Self::GATHER`] bytes, then written and hashed as one buffer (small, as a file has
    /// up to three such buffers at once: gathering, queued and being hashed).
    pending: Vec<u8>,
    digest: FileHash,
    /// The stream's encoder, for [`StreamKind::Encoded`] streams.
    encoder: Option<Box<dyn FileEncoder>>,
    bytes: u64,
    rows: u64,
}

/// Creates `dir/path` (and its parent directories).
fn create(dir: &Path, path: &str) -> io::Result<File> {
    let full = dir.join(path);
    if let Some(parent) = full.parent() {
        fs::create_dir_all(parent)?;
    }
    File::create(&full)
}

impl Sink {
    /// Bytes gathered before a write: parts at least half this size are written as they are.
    const GATHER: usize = 256 << 10;

    /// Creates the file for `stream` under `dir` and queues its header.
    pub fn open(dir: &Path, stream: &Stream, compress: Compression) -> io::Result<Sink> {
        let compress = effective(stream, compress);
        let path = format!("{}{}", stream.path, compress.suffix());
        let file = create(dir, &path)?;
        let mut pending = Vec::new();
        if !stream.header.is_empty() {
            pending = compress.compress(&stream.header)?;
        }
        let encoder = match &stream.kind {
            StreamKind::Encoded(open) => Some(open()?),
            StreamKind::Text | StreamKind::Plain => None,
        };
        Ok(Sink {
            path,
            file,
            pending,
            digest: FileHash::Inline(Sha256::new()),
            encoder,
            bytes: 0,
            rows: 0,
        })
    }

    /// The file's path relative to the output directory.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Appends a part; its buffer goes back to the pool once hashed.
    pub fn write(&mut self, part: Part, pool: &BufferPool) -> io::Result<()> {
        match (part.data, self.encoder.as_mut()) {
            (PartData::Bytes(b), None) if b.len() < Self::GATHER / 2 => {
                self.pending.extend_from_slice(&b);
                pool.give(b);
            }
            (PartData::Bytes(b), None) => {
                self.flush(pool)?;
                self.put(b, pool)?;
            }
            (PartData::Encoded(data), Some(e)) => e.encode(data, &mut self.pending)?,
            _ => return Err(io::Error::other("part does not match its stream")),
        }
        if self.pending.len() >= Self::GATHER {
            self.flush(pool)?;
        }
        self.rows += part.rows;
        Ok(())
    }

    /// Writes a buffer to the file and hands it to the hasher.
    fn put(&mut self, b: Vec<u8>, pool: &BufferPool) -> io::Result<()> {
        if b.is_empty() {
            pool.give(b);
            return Ok(());
        }
        self.file.write_all(&b)?;
        self.bytes += b.len() as u64;
        self.digest.update(b, self.bytes, pool)
    }

    /// Writes the gathered bytes.
    fn flush(&mut self, pool: &BufferPool) -> io::Result<()> {
        // A buffer of its own size, not one from the pool: those are the renderers' parts of
        // many megabytes, and some fifty files each holding one cost more memory than it saves.
        let gathered = std::mem::replace(&mut self.pending, Vec::with_capacity(Self::GATHER));
        self.put(gathered, pool)
    }

    /// Writes what is left and closes the file.
    pub fn finish(mut self, pool: &BufferPool) -> io::Result<FileEntry> {
        if let Some(e) = self.encoder.take() {
            e.finish(&mut self.pending)?;
        }
        self.flush(pool)?;
        Ok(FileEntry {
            path: self.path,
            bytes: self.bytes,
            rows: self.rows,
            sha256: hex(&self.digest.finish(pool)?),
        })
    }
}

/// Writes a file rendered whole under `dir`.
pub fn write_whole(dir: &Path, file: OutFile) -> io::Result<FileEntry> {
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", file.path));
    let mut out = create(dir, &file.path).map_err(named)?;
    out.write_all(&file.bytes).map_err(named)?;
    Ok(FileEntry {
        path: file.path.clone(),
        bytes: file.bytes.len() as u64,
        rows: file.rows,
        sha256: sha256_hex(&file.bytes),
    })
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
        sink.finish(pool).map_err(named)
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
        let entry = sink.finish(&pool).unwrap();
        let text = fs::read(dir.path().join("t/lines.txt")).unwrap();
        assert_eq!(text, b"head\n3\n1\n2\n3 parts\n");
        assert_eq!(entry.sha256, sha256_hex(&text));
        assert_eq!((entry.bytes, entry.rows), (text.len() as u64, 6));
    }

    #[test]
    fn text_parts_small_and_large_are_written_in_order_and_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let stream = Stream {
            path: "t/text.ndjson".into(),
            header: b"head\n".to_vec(),
            kind: StreamKind::Text,
        };
        let pool = BufferPool::default();
        let mut sink = Sink::open(dir.path(), &stream, Compression::None).unwrap();
        // Parts below, at and above the size gathered before a write, in a mixed order.
        // The file passes the size from which it is hashed on a thread of its own.
        let big = FileHash::PIPED_FROM as usize;
        let sizes = [
            3,
            Sink::GATHER / 2,
            10,
            Sink::GATHER - 1,
            0,
            big,
            2 * Sink::GATHER + 7,
            1,
        ];
        let mut expected = b"head\n".to_vec();
        for (i, &n) in sizes.iter().enumerate() {
            let bytes: Vec<u8> = (0..n).map(|k| (k * 7 + i) as u8).collect();
            expected.extend_from_slice(&bytes);
            let data = PartData::Bytes(bytes);
            sink.write(Part { rows: 1, data }, &pool).unwrap();
        }
        let entry = sink.finish(&pool).unwrap();
        let text = fs::read(dir.path().join("t/text.ndjson")).unwrap();
        assert!(
            text == expected,
            "the file holds the header and parts in order"
        );
        assert_eq!(entry.sha256, sha256_hex(&expected));
        assert_eq!((entry.bytes, entry.rows), (expected.len() as u64, 8));
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
