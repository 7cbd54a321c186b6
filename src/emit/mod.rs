//! Emitters turn records into bytes. Each output format is an [`Emitter`]: it names the files
//! it writes ([`Stream`]s, appended chunk by chunk in user order) and renders one [`Chunk`] of
//! beneficiaries into one [`Part`] per stream, plus any files it writes whole ([`OutFile`]).
//! Emitters never touch the file system: rendering runs on the worker threads, and the
//! pipeline owns every file, writing the parts in chunk order, so output never depends on the
//! thread count.

#[cfg(feature = "arrow")]
pub mod arrow;
pub mod compress;
pub mod csv;
pub mod fhir;
pub mod format;
pub mod manifest;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod rif;
pub mod rows_json;
pub mod sandbox;
pub mod sql;
pub mod tables;

use std::any::Any;
use std::io::{self, Write};
use std::sync::Arc;

use crate::model::{Beneficiary, Claim};
use crate::options::Options;

/// Consecutive beneficiaries (in user order) with their claims.
pub struct Chunk {
    /// The beneficiaries and, for each, its claims (by type, then deck slot).
    pub entries: Vec<(Beneficiary, Vec<Claim>)>,
}

/// A file format that is more than its parts appended (Parquet: row groups cut across chunks,
/// and a footer). The pipeline feeds it a stream's encoded parts in order and appends the
/// bytes it hands back.
pub trait FileEncoder: Send {
    /// Encodes one part's data, appending the bytes that are ready to `out`.
    fn encode(&mut self, data: Box<dyn Any + Send>, out: &mut dyn Write) -> io::Result<()>;

    /// Appends the file's last bytes.
    fn finish(self: Box<Self>, out: &mut dyn Write) -> io::Result<()>;
}

/// Opens a [`FileEncoder`] for one file.
pub type OpenEncoder = Arc<dyn Fn() -> io::Result<Box<dyn FileEncoder>> + Send + Sync>;

/// How a stream's parts are written.
#[derive(Clone)]
pub enum StreamKind {
    /// Text appended as is (and compressed if the run asks for it: CSV, NDJSON, RIF).
    Text,
    /// Never compressed (a header or format that must stay plain).
    Plain,
    /// Parts hold [`PartData::Encoded`] data that the stream's encoder turns into the file.
    Encoded(OpenEncoder),
}

impl std::fmt::Debug for StreamKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StreamKind::Text => "Text",
            StreamKind::Plain => "Plain",
            StreamKind::Encoded(_) => "Encoded",
        })
    }
}

/// One output file written in chunk order.
#[derive(Clone, Debug)]
pub struct Stream {
    /// Path relative to the output directory, before any compression suffix.
    pub path: String,
    /// Bytes written before the first part (a CSV header row).
    pub header: Vec<u8>,
    /// How parts are written.
    pub kind: StreamKind,
}

impl Stream {
    /// A text stream.
    pub fn text(path: String, header: Vec<u8>) -> Stream {
        Stream {
            path,
            header,
            kind: StreamKind::Text,
        }
    }
}

/// One chunk's contribution to one stream.
pub struct Part {
    /// Rows (records, lines, resources) it holds, for the manifest.
    pub rows: u64,
    /// The data.
    pub data: PartData,
}

/// A part's data.
pub enum PartData {
    /// Bytes to append.
    Bytes(Vec<u8>),
    /// Data for the stream's [`FileEncoder`] (a Parquet record batch).
    Encoded(Box<dyn Any + Send>),
}

impl Part {
    /// A text part rendered by `render` into a recycled buffer; `render` returns its rows.
    pub fn text(ctx: &RenderContext<'_>, render: impl FnOnce(&mut Vec<u8>) -> u64) -> Part {
        let mut out = ctx.buffers.take();
        let rows = render(&mut out);
        Part {
            rows,
            data: PartData::Bytes(out),
        }
    }

    /// The bytes of a text part (`None` for encoded data).
    pub fn into_bytes(self) -> Option<Vec<u8>> {
        match self.data {
            PartData::Bytes(b) => Some(b),
            PartData::Encoded(_) => None,
        }
    }
}

/// A file rendered whole (a per-patient bundle, a SQL script), written by the pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutFile {
    /// Path relative to the output directory.
    pub path: String,
    /// Its content.
    pub bytes: Vec<u8>,
    /// Rows (resources, records) it holds, for the manifest.
    pub rows: u64,
}

/// What rendering one chunk produces: one part per stream, in the order of
/// [`Emitter::streams`], and the files rendered whole.
#[derive(Default)]
pub struct Out {
    /// Parts of the streams.
    pub parts: Vec<Part>,
    /// Files rendered whole.
    pub files: Vec<OutFile>,
}

/// What rendering needs besides the chunk.
pub struct RenderContext<'a> {
    /// The run's data options.
    pub options: &'a Options,
    /// Where text parts take their buffers from.
    pub buffers: &'a BufferPool,
    /// The run's code tables (display texts).
    pub codes: &'a crate::codes::Codes,
}

/// Recycled output buffers. Parts are rendered into buffers that the writer hands back once
/// written, so steady-state rendering allocates nothing: a fresh multi-megabyte buffer per
/// chunk costs page faults and kernel zeroing that halve the throughput of two threads.
#[derive(Default)]
pub struct BufferPool(std::sync::Mutex<(Vec<Vec<u8>>, usize)>);

impl BufferPool {
    /// Most bytes of capacity kept; beyond that, returned buffers are freed, so a few huge
    /// parts cannot pin memory for the rest of the run.
    const KEEP_BYTES: usize = 24 << 20;

    /// An empty buffer, recycled when one is available.
    pub fn take(&self) -> Vec<u8> {
        let mut pool = self.0.lock().expect("pool lock");
        match pool.0.pop() {
            Some(b) => {
                pool.1 -= b.capacity();
                b
            }
            None => Vec::new(),
        }
    }

    /// Returns a buffer for reuse.
    pub fn give(&self, mut b: Vec<u8>) {
        b.clear();
        let mut pool = self.0.lock().expect("pool lock");
        if pool.1 + b.capacity() <= Self::KEEP_BYTES {
            pool.1 += b.capacity();
            pool.0.push(b);
        }
    }
}

/// An output format.
pub trait Emitter: Send + Sync {
    /// The streams it writes, in a fixed order.
    fn streams(&self) -> Vec<Stream> {
        Vec::new()
    }

    /// Renders a chunk: pushes exactly one part per stream, in the order of [`Self::streams`],
    /// and any files rendered whole.
    fn render(&self, _ctx: &RenderContext<'_>, _chunk: &Chunk, _out: &mut Out) {}

    /// Files rendered once the data is complete (e.g. SQL scripts).
    fn finish(&self, _options: &Options) -> Vec<OutFile> {
        Vec::new()
    }
}

/// An emitter with one stream per item of a list (a table, a RIF file, a FHIR resource
/// type): it names an item's stream and renders an item's part of a chunk, and [`Emitter`]
/// follows, keeping streams and parts in step.
pub trait TableStream: Send + Sync {
    /// What each stream is written from.
    type Item: Sync;

    /// The items, in stream order.
    fn items(&self) -> &[Self::Item];

    /// The stream of one item.
    fn stream(&self, item: &Self::Item) -> Stream;

    /// One item's part of a chunk.
    fn part(&self, ctx: &RenderContext<'_>, chunk: &Chunk, item: &Self::Item) -> Part;
}

impl<T: TableStream> Emitter for T {
    fn streams(&self) -> Vec<Stream> {
        self.items().iter().map(|i| self.stream(i)).collect()
    }

    fn render(&self, ctx: &RenderContext<'_>, chunk: &Chunk, out: &mut Out) {
        out.parts
            .extend(self.items().iter().map(|i| self.part(ctx, chunk, i)));
    }
}
