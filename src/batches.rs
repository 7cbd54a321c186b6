//! Arrow record batches of one table for one range of users, computed on demand: what data
//! engines (Spark, Dask, DuckDB, Polars, through the Python package) read instead of files.
//!
//! The batches hold the columns the Parquet files hold, built by the same builder
//! ([`crate::emit::arrow`]) from the same rows, so the rows of a range of users are the rows
//! the CLI writes for them. [`Options::split`] cuts a run into the parts `--shard k/n` writes;
//! each part is read alone, in any process, in any order.
//!
//! ```
//! use std::sync::Arc;
//! use bbgen::batches::{self, Limits};
//! use bbgen::{Dataset, Options};
//! let options = Options { users: 30, ..Options::default() };
//! let parts = options.split(3);
//! let ds = Arc::new(Dataset::new(options).unwrap());
//! let table = batches::table("beneficiaries").unwrap();
//! let rows: usize = batches::read(ds, table, parts[1].clone(), Limits::default())
//!     .unwrap()
//!     .map(|b| b.unwrap().num_rows())
//!     .sum();
//! assert_eq!(rows, 10);
//! ```

use std::ops::Range;
use std::sync::Arc;

use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::{ArrowError, SchemaRef};

use crate::dataset::Dataset;
use crate::emit::Chunk;
use crate::emit::arrow::{Batch, Rows, RowsPool, schema};
use crate::schema::{TABLES, Table};

#[cfg(doc)]
use crate::Options;

/// Users generated at a time: a few hundred rows of a claim table, so a batch's rows come
/// from a handful of chunks and a small batch costs no more than its users.
const CHUNK_USERS: u64 = 16;

/// The most a batch holds: it ends at `rows` rows, or at the first row that takes its column
/// data (values, offsets and text) to `bytes` or more, whichever comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Rows per batch.
    pub rows: usize,
    /// Bytes of column data per batch (one row may take a batch past it).
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

/// The table named `name` (as the Parquet and CSV files name it); the error lists the names.
pub fn table(name: &str) -> Result<&'static Table, String> {
    TABLES
        .iter()
        .copied()
        .find(|t| t.name == name)
        .ok_or_else(|| {
            let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
            format!("no table {name:?}; the tables are {}", names.join(", "))
        })
}

/// The batches of `table` holding the rows of `users` (a range within the dataset's run), in
/// the order the CLI writes them. The error says why the request is invalid: users outside
/// the run, or limits of zero.
pub fn read(
    ds: Arc<Dataset>,
    table: &'static Table,
    users: Range<u64>,
    limits: Limits,
) -> Result<TableBatches, String> {
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
    Ok(TableBatches {
        ds,
        table,
        schema: schema(table),
        next: users.start,
        end: users.end,
        limits,
        batch: Batch::new(table),
        pending: None,
        at: 0,
        pool: RowsPool::default(),
    })
}

/// The batches of one table for one range of users ([`read`]): an iterator and an Arrow
/// [`RecordBatchReader`], which generates the users as the batches are taken.
pub struct TableBatches {
    ds: Arc<Dataset>,
    table: &'static Table,
    schema: SchemaRef,
    /// The next user to generate.
    next: u64,
    /// The end of the range.
    end: u64,
    limits: Limits,
    /// The rows gathered for the next batch.
    batch: Batch,
    /// The last generated chunk's rows, and the first of them not yet in a batch.
    pending: Option<Rows>,
    at: usize,
    pool: RowsPool,
}

impl TableBatches {
    /// The gathered rows as a batch.
    fn finish(&mut self) -> Result<RecordBatch, ArrowError> {
        let batch = RecordBatch::try_new(self.schema.clone(), self.batch.finish());
        self.batch.renew();
        batch
    }

    /// Generates the next users' rows; false when the range is done.
    fn generate(&mut self) -> bool {
        if self.next >= self.end {
            return false;
        }
        let hi = (self.next + CHUNK_USERS).min(self.end);
        let chunk = Chunk {
            entries: self.ds.chunk(self.next..hi),
        };
        if let Some(done) = self.pending.take() {
            done.recycle(&self.pool);
        }
        self.pending = Some(Rows::of(&chunk, self.table, &self.pool));
        self.at = 0;
        self.next = hi;
        true
    }
}

impl Iterator for TableBatches {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(rows) = &self.pending {
                while self.at < rows.len() {
                    let pushed = self.batch.push(rows.row(self.at));
                    self.at += 1;
                    if let Err(e) = pushed {
                        return Some(Err(ArrowError::InvalidArgumentError(e)));
                    }
                    if self.batch.rows >= self.limits.rows || self.batch.bytes >= self.limits.bytes
                    {
                        return Some(self.finish());
                    }
                }
            }
            if !self.generate() {
                return (self.batch.rows > 0).then(|| self.finish());
            }
        }
    }
}

impl RecordBatchReader for TableBatches {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}
