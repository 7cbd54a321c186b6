//! The column model as Arrow: each table's schema (Int64 ids and integers, Utf8 codes, Date32
//! dates, Decimal128(p,s) money) and the builder that turns rows of values into a
//! `RecordBatch`. The Parquet files and the in-memory batches of [`crate::batches`] are both
//! built here, so they hold the same columns with the same values.

use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::{Date32Builder, Decimal128Builder, Int64Builder, StringBuilder};
use arrow_schema::{DataType, Field, Schema};

use crate::schema::{Column, SqlType, Table};
use crate::value::Value;

use super::Chunk;
use super::tables::{DateStyle, for_each_row, write_cell};

/// The Arrow type of a column.
pub(super) fn arrow_type(c: &Column) -> DataType {
    match c.ty {
        SqlType::BigInt | SqlType::SmallInt | SqlType::Integer => DataType::Int64,
        SqlType::Numeric { scale: 0, .. } => DataType::Int64,
        SqlType::Numeric { precision, scale } => DataType::Decimal128(
            if precision == 0 { 38 } else { precision as u8 },
            scale as i8,
        ),
        SqlType::Date => DataType::Date32,
        SqlType::Varchar(_) | SqlType::Char(_) => DataType::Utf8,
    }
}

/// The Arrow schema of a table (database column names).
pub fn schema(table: &Table) -> Arc<Schema> {
    Arc::new(Schema::new(
        table
            .columns
            .iter()
            .map(|c| Field::new(c.db, arrow_type(c), true))
            .collect::<Vec<_>>(),
    ))
}

/// The value rows of one chunk's part of a table, row after row: what a worker hands a
/// table's Parquet writer, which gathers them into batches of many chunks, and what a
/// [`crate::batches`] reader gathers into its batches.
pub struct Rows {
    /// Columns per row.
    pub(super) width: usize,
    /// Every row's values, in column order.
    pub(super) vals: Vec<Value>,
}

impl Rows {
    /// One chunk's rows of `table`, in a buffer from `pool`.
    pub fn of(chunk: &Chunk, table: &'static Table, pool: &RowsPool) -> Rows {
        let mut vals = pool.take();
        vals.reserve(for_each_row(chunk, table, |_| {}) as usize * table.width());
        for_each_row(chunk, table, |row| vals.extend_from_slice(row.vals));
        Rows {
            width: table.width(),
            vals,
        }
    }

    /// Row `i`: its values in column order.
    pub fn row(&self, i: usize) -> &[Value] {
        &self.vals[i * self.width..(i + 1) * self.width]
    }

    /// Hands the buffer back to `pool` for the next chunk's rows.
    pub fn recycle(self, pool: &RowsPool) {
        pool.give(self.vals);
    }

    /// The rows, each its values in column order.
    pub fn iter(&self) -> std::slice::ChunksExact<'_, Value> {
        self.vals.chunks_exact(self.width.max(1))
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.vals.len() / self.width.max(1)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.vals.is_empty()
    }
}

/// Recycled value buffers of [`Rows`]: the writers hand them back once appended, so the
/// workers' steady state allocates nothing (fresh buffers of many megabytes each cost page
/// faults and zeroing in the kernel, more than the copying they hold).
#[derive(Default)]
pub struct RowsPool(std::sync::Mutex<(Vec<Vec<Value>>, usize)>);

impl RowsPool {
    /// Most values of capacity kept; beyond that, returned buffers are freed.
    const KEEP_VALUES: usize = (32 << 20) / std::mem::size_of::<Value>();

    /// An empty buffer, recycled when one is available.
    fn take(&self) -> Vec<Value> {
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
    fn give(&self, mut b: Vec<Value>) {
        b.clear();
        let mut pool = self.0.lock().expect("pool lock");
        if pool.1 + b.capacity() <= Self::KEEP_VALUES {
            pool.1 += b.capacity();
            pool.0.push(b);
        }
    }
}

/// One column's builder.
enum Builder {
    Int(Int64Builder),
    Dec(Decimal128Builder),
    Date(Date32Builder),
    Text(StringBuilder),
}

impl Builder {
    /// A builder for a column of type `ty`, with room for `rows` rows and `text` bytes.
    fn new(ty: &DataType, rows: usize, text: usize) -> Builder {
        match *ty {
            DataType::Int64 => Builder::Int(Int64Builder::with_capacity(rows)),
            DataType::Decimal128(p, s) => Builder::Dec(
                Decimal128Builder::with_capacity(rows)
                    .with_precision_and_scale(p, s)
                    .expect("the column model's decimals are valid"),
            ),
            DataType::Date32 => Builder::Date(Date32Builder::with_capacity(rows)),
            _ => Builder::Text(StringBuilder::with_capacity(rows, text)),
        }
    }

    /// Bytes of values and offsets a row adds (text adds its own length as well).
    fn row_bytes(&self) -> usize {
        match self {
            Builder::Int(_) => 8,
            Builder::Dec(_) => 16,
            Builder::Date(_) | Builder::Text(_) => 4,
        }
    }

    /// The column's array; the builder starts again, sized like this batch.
    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Dec(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Text(b) => Arc::new(b.finish()),
        }
    }
}

/// The rows gathered for a table's next batch, column by column.
pub(crate) struct Batch {
    table: &'static Table,
    types: Vec<DataType>,
    builders: Vec<Builder>,
    /// Rows gathered.
    pub(crate) rows: usize,
    /// Bytes of column data gathered (values, offsets, text).
    pub(crate) bytes: usize,
    /// Bytes of values and offsets per row.
    row_bytes: usize,
    /// A cell written as text, for text columns holding numbers or dates.
    cell: Vec<u8>,
    /// Rows and text bytes of each column in the last batch.
    capacity: Vec<(usize, usize)>,
}

impl Batch {
    pub(crate) fn new(table: &'static Table) -> Batch {
        let types: Vec<DataType> = table.columns.iter().map(arrow_type).collect();
        let builders: Vec<Builder> = types.iter().map(|t| Builder::new(t, 0, 0)).collect();
        Batch {
            table,
            row_bytes: builders.iter().map(Builder::row_bytes).sum(),
            types,
            builders,
            rows: 0,
            bytes: 0,
            cell: Vec::new(),
            capacity: Vec::new(),
        }
    }

    /// Appends a row; a value its column's type cannot hold is an error naming both.
    pub(crate) fn push(&mut self, row: &[Value]) -> Result<(), String> {
        let mut text = 0;
        for ((b, v), c) in self.builders.iter_mut().zip(row).zip(self.table.columns) {
            // Each arm appends one cell and says how many bytes of text it added.
            let added = match (b, v) {
                (Builder::Int(b), Value::Null) => {
                    b.append_null();
                    Ok(0)
                }
                (Builder::Dec(b), Value::Null) => {
                    b.append_null();
                    Ok(0)
                }
                (Builder::Date(b), Value::Null) => {
                    b.append_null();
                    Ok(0)
                }
                (Builder::Text(b), Value::Null) => {
                    b.append_null();
                    Ok(0)
                }
                (Builder::Int(b), Value::Int(i)) => {
                    b.append_value(*i);
                    Ok(0)
                }
                (Builder::Dec(b), Value::Int(i)) => {
                    b.append_value(i128::from(*i));
                    Ok(0)
                }
                (Builder::Date(b), Value::Date(d)) => {
                    b.append_value(d.0);
                    Ok(0)
                }
                (Builder::Text(b), Value::Str(s)) => {
                    b.append_value(s);
                    Ok(s.len())
                }
                (Builder::Text(b), Value::Text(t)) => {
                    b.append_value(t.as_str());
                    Ok(t.as_str().len())
                }
                (Builder::Text(b), v) => {
                    self.cell.clear();
                    write_cell(&mut self.cell, c, v, DateStyle::Iso);
                    b.append_value(std::str::from_utf8(&self.cell).expect("cells are UTF-8"));
                    Ok(self.cell.len())
                }
                (_, v) => Err(v),
            };
            match added {
                Ok(n) => text += n,
                Err(v) => {
                    return Err(format!(
                        "{}.{} holds {v:?}, which its type {} cannot",
                        self.table.name,
                        c.db,
                        c.ty.sql()
                    ));
                }
            }
        }
        self.rows += 1;
        self.bytes += self.row_bytes + text;
        Ok(())
    }

    /// The gathered rows as arrays, one per column; the batch is empty until [`Self::renew`].
    pub(crate) fn finish(&mut self) -> Vec<ArrayRef> {
        self.bytes = 0;
        self.capacity.clear();
        let rows = std::mem::take(&mut self.rows);
        self.builders
            .iter_mut()
            .map(|b| {
                self.capacity.push(match b {
                    Builder::Text(t) => (rows, t.values_slice().len()),
                    _ => (rows, 0),
                });
                b.finish()
            })
            .collect()
    }

    /// Sizes the builders for as many rows and text bytes as the last batch had, once its
    /// arrays are gone (so the two never take memory at once): growing them row by row
    /// would copy every batch several times.
    pub(crate) fn renew(&mut self) {
        for ((b, ty), &(rows, text)) in self
            .builders
            .iter_mut()
            .zip(&self.types)
            .zip(&self.capacity)
        {
            *b = Builder::new(ty, rows, text);
        }
    }
}
