//! A table's rows, gathered into batches by the builder of its Parquet files.

use arrow_array::ArrayRef;

use super::Gather;
use crate::emit::Chunk;
use crate::emit::arrow::{Batch, Rows, RowsPool};
use crate::schema::Table;

/// A chunk's rows of one table and the batch gathered from them.
pub(super) struct TableRows {
    table: &'static Table,
    batch: Batch,
    /// The last loaded chunk's rows.
    pending: Option<Rows>,
    pool: RowsPool,
}

impl TableRows {
    pub(super) fn new(table: &'static Table) -> TableRows {
        TableRows {
            table,
            batch: Batch::new(table),
            pending: None,
            pool: RowsPool::default(),
        }
    }
}

impl Gather for TableRows {
    fn load(&mut self, chunk: &Chunk) -> Result<(), String> {
        if let Some(done) = self.pending.take() {
            done.recycle(&self.pool);
        }
        self.pending = Some(Rows::of(chunk, self.table, &self.pool));
        Ok(())
    }

    fn pending(&self) -> usize {
        self.pending.as_ref().map_or(0, Rows::len)
    }

    fn push(&mut self, i: usize) -> Result<(), String> {
        let rows = self.pending.as_ref().expect("a pending row was loaded");
        self.batch.push(rows.row(i))
    }

    fn size(&self) -> (usize, usize) {
        (self.batch.rows, self.batch.bytes)
    }

    fn finish(&mut self) -> Vec<ArrayRef> {
        let columns = self.batch.finish();
        self.batch.renew();
        columns
    }
}
