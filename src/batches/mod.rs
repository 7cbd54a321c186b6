//! Arrow record batches of one table for one range of users, computed on demand: what data
//! engines (Spark, Dask, DuckDB, Polars, through the Python package) read instead of files.
//!
//! A [`Source`] is a table or a FHIR resource type. A table's batches hold the columns its
//! Parquet file holds, built by the same builder ([`crate::emit::arrow`]) from the same rows;
//! a resource type's batches hold one column, `resource`, whose values are the lines of its
//! NDJSON file (`fhir/Patient.ndjson`, …), written by the same renderer. So the rows of a
//! range of users are the rows the CLI writes for them. [`Options::split`] cuts a run into the
//! parts `--shard k/n` writes; each part is read alone, in any process, in any order.
//!
//! ```
//! use std::sync::Arc;
//! use bbgen::batches::{self, Limits, Source};
//! use bbgen::{Dataset, Options};
//! let options = Options { users: 30, ..Options::default() };
//! let parts = options.split(3);
//! let ds = Arc::new(Dataset::new(options).unwrap());
//! let rows = |name: &str| -> usize {
//!     let source = Source::named(name).unwrap();
//!     batches::read(ds.clone(), source, parts[1].clone(), Limits::default())
//!         .unwrap()
//!         .map(|b| b.unwrap().num_rows())
//!         .sum()
//! };
//! assert_eq!(rows("beneficiaries"), 10);
//! assert_eq!(rows("fhir/Patient"), 10);
//! ```

mod fhir;
mod table;

use std::ops::Range;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, RecordBatchReader};
use arrow_schema::{ArrowError, SchemaRef};

use crate::dataset::Dataset;
use crate::emit::Chunk;
use crate::emit::fhir::{FhirVersion, Resource};
use crate::schema::{TABLES, Table};

#[cfg(doc)]
use crate::Options;

/// Users generated at a time: a few hundred rows of a claim table, so a batch's rows come
/// from a handful of chunks and a small batch costs no more than its users.
const CHUNK_USERS: u64 = 16;

/// The most column data a batch is let hold, whatever the limits say: an Arrow `Utf8`
/// column's offsets reach 2 GiB, and a batch may end one row past its limit.
const MAX_BATCH_BYTES: usize = 1 << 30;

/// The most a batch holds: it ends at `rows` rows, or at the first row that takes its column
/// data (values, offsets and text) to `bytes` or more, whichever comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Rows per batch.
    pub rows: usize,
    /// Bytes of column data per batch (one row may take a batch past it; above 1 GiB, 1 GiB).
    pub bytes: usize,
}

impl Default for Limits {
    /// 64k rows or 64 MiB: large enough for engines to work at speed, small enough that
    /// a worker holds a few at once.
    fn default() -> Limits {
        Limits {
            rows: 64 * 1024,
            bytes: 64 << 20,
        }
    }
}

/// What batches are read of: a table, or the NDJSON lines of one FHIR resource type.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// A table, with the columns of its Parquet file.
    Table(&'static Table),
    /// One resource type's NDJSON lines in one FHIR version, one column `resource`.
    Fhir(FhirVersion, Resource),
}

impl Source {
    /// Every source: the tables, then the R4 and the STU3 resource types.
    pub fn all() -> Vec<Source> {
        let tables = TABLES.iter().map(|&t| Source::Table(t));
        let fhir = [FhirVersion::R4, FhirVersion::Stu3]
            .into_iter()
            .flat_map(|v| Resource::ALL.map(|r| Source::Fhir(v, r)));
        tables.chain(fhir).collect()
    }

    /// Its name: a table's as its Parquet and CSV files name it, a resource type's as its
    /// NDJSON file's path without the suffix (`fhir/Patient`, `fhir-stu3/Coverage`).
    pub fn name(&self) -> String {
        match self {
            Source::Table(t) => t.name.to_string(),
            Source::Fhir(v, r) => format!("{}/{}", v.folder(), r.name()),
        }
    }

    /// The source named `name` ([`Self::name`]); the error lists the names.
    pub fn named(name: &str) -> Result<Source, String> {
        let all = Source::all();
        all.iter()
            .find(|s| s.name() == name)
            .copied()
            .ok_or_else(|| {
                let names: Vec<String> = all.iter().map(Source::name).collect();
                format!("no table {name:?}; the tables are {}", names.join(", "))
            })
    }

    /// The Arrow schema of its batches.
    pub fn schema(&self) -> SchemaRef {
        match self {
            Source::Table(t) => crate::emit::arrow::schema(t),
            Source::Fhir(..) => fhir::schema(),
        }
    }
}

/// A chunk's rows of one source, and the batch being gathered from them.
trait Gather: Send {
    /// Takes `chunk`'s rows as the pending ones, in place of the last chunk's.
    fn load(&mut self, chunk: &Chunk) -> Result<(), String>;
    /// How many rows are pending.
    fn pending(&self) -> usize;
    /// Adds pending row `i` to the batch.
    fn push(&mut self, i: usize) -> Result<(), String>;
    /// Rows and bytes of column data gathered.
    fn size(&self) -> (usize, usize);
    /// The gathered rows' columns; the next batch starts empty.
    fn finish(&mut self) -> Vec<ArrayRef>;
}

/// The batches of `source` holding the rows of `users` (a range within the dataset's run), in
/// the order the CLI writes them. The error says why the request is invalid: users outside
/// the run, or limits of zero.
pub fn read(
    ds: Arc<Dataset>,
    source: Source,
    users: Range<u64>,
    limits: Limits,
) -> Result<Batches, String> {
    let run = ds.options().user_range();
    if users.start > users.end || users.start < run.start || users.end > run.end {
        return Err(format!(
            "users {}..{} are not within the run's users {}..{}",
            users.start, users.end, run.start, run.end
        ));
    }
    if limits.rows == 0 || limits.bytes == 0 {
        return Err("a batch must be allowed at least one row and one byte".into());
    }
    let gather: Box<dyn Gather> = match source {
        Source::Table(t) => Box::new(table::TableRows::new(t)),
        Source::Fhir(v, r) => Box::new(fhir::FhirLines::new(v, r, ds.options())),
    };
    Ok(Batches {
        ds,
        schema: source.schema(),
        next: users.start,
        end: users.end,
        limits: Limits {
            bytes: limits.bytes.min(MAX_BATCH_BYTES),
            ..limits
        },
        gather,
        at: 0,
    })
}

/// The batches of one source for one range of users ([`read`]): an iterator and an Arrow
/// [`RecordBatchReader`], which generates the users as the batches are taken.
pub struct Batches {
    ds: Arc<Dataset>,
    schema: SchemaRef,
    /// The next user to generate.
    next: u64,
    /// The end of the range.
    end: u64,
    limits: Limits,
    /// The pending rows and the batch gathered from them.
    gather: Box<dyn Gather>,
    /// The first pending row not yet in a batch.
    at: usize,
}

impl Batches {
    /// The gathered rows as a batch.
    fn finish(&mut self) -> Result<RecordBatch, ArrowError> {
        RecordBatch::try_new(self.schema.clone(), self.gather.finish())
    }

    /// Generates the next users' rows; false when the range is done.
    fn generate(&mut self) -> Result<bool, String> {
        if self.next >= self.end {
            return Ok(false);
        }
        let hi = (self.next + CHUNK_USERS).min(self.end);
        let chunk = Chunk {
            entries: self.ds.chunk(self.next..hi),
        };
        self.gather.load(&chunk)?;
        self.at = 0;
        self.next = hi;
        Ok(true)
    }
}

impl Iterator for Batches {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        let invalid = |e| Some(Err(ArrowError::InvalidArgumentError(e)));
        loop {
            while self.at < self.gather.pending() {
                let pushed = self.gather.push(self.at);
                self.at += 1;
                if let Err(e) = pushed {
                    return invalid(e);
                }
                let (rows, bytes) = self.gather.size();
                if rows >= self.limits.rows || bytes >= self.limits.bytes {
                    return Some(self.finish());
                }
            }
            match self.generate() {
                Ok(true) => {}
                Ok(false) => return (self.gather.size().0 > 0).then(|| self.finish()),
                Err(e) => return invalid(e),
            }
        }
    }
}

impl RecordBatchReader for Batches {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}
