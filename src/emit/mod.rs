//! Emitters turn records into bytes. Each output format is an [`Emitter`]: it names the files
//! it writes ([`Stream`]s, appended chunk by chunk in user order) and renders one [`Chunk`] of
//! beneficiaries into one [`Part`] per stream. Rendering runs on the worker threads; the
//! pipeline owns the files and writes the parts in chunk order, so output never depends on
//! the thread count.

pub mod csv;
pub mod fhir;
pub mod format;
pub mod manifest;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod rif;
pub mod sql;
pub mod tables;
pub mod users;

use crate::model::{Beneficiary, Claim};
use crate::options::Options;

/// Consecutive beneficiaries (in user order) with their claims.
pub struct Chunk {
    /// The beneficiaries and, for each, its claims (by type, then deck slot).
    pub entries: Vec<(Beneficiary, Vec<Claim>)>,
}

/// How a stream's parts are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamKind {
    /// Text appended as is (and compressed if the run asks for it: CSV, NDJSON, RIF).
    Text,
    /// Never compressed (a header or format that must stay plain).
    Plain,
    /// Parquet row groups of the given table, compressed as given.
    #[cfg(feature = "parquet")]
    Parquet(&'static crate::schema::Table, tables::ParquetCompression),
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
    /// A Parquet record batch.
    #[cfg(feature = "parquet")]
    Batch(arrow_array::RecordBatch),
}

impl Part {
    /// A text part.
    pub fn bytes(rows: u64, bytes: Vec<u8>) -> Part {
        Part {
            rows,
            data: PartData::Bytes(bytes),
        }
    }

    /// The bytes of a text part (`None` for a Parquet batch).
    pub fn into_bytes(self) -> Option<Vec<u8>> {
        match self.data {
            PartData::Bytes(b) => Some(b),
            #[cfg(feature = "parquet")]
            PartData::Batch(_) => None,
        }
    }
}

/// A file an emitter wrote whole while rendering (a per-patient bundle), for the manifest.
#[derive(Clone, Debug)]
pub struct WrittenFile {
    /// Path relative to the output directory.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Hex SHA-256 of its content.
    pub sha256: String,
    /// Rows (resources) it holds.
    pub rows: u64,
}

/// What rendering needs besides the chunk.
pub struct RenderContext<'a> {
    /// The run's data options.
    pub options: &'a Options,
    /// The (temporary) output directory, for emitters that write whole files.
    pub dir: &'a std::path::Path,
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
    fn streams(&self) -> Vec<Stream>;

    /// Renders a chunk: pushes exactly one part per stream, in the order of [`Self::streams`].
    /// Files written whole go to `files`.
    fn render(
        &self,
        ctx: &RenderContext<'_>,
        chunk: &Chunk,
        parts: &mut Vec<Part>,
        files: &mut Vec<WrittenFile>,
    ) -> std::io::Result<()>;

    /// Files written once the data is complete (e.g. SQL scripts), as (path, content).
    fn finish(&self, _options: &Options) -> Vec<(String, Vec<u8>)> {
        Vec::new()
    }
}
