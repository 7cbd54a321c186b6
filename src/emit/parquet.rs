//! Parquet: one file per table (`parquet/<table>.parquet`; a shard writes
//! `parquet/<table>/part-<k>-of-<n>.parquet`, see [`table_path`]) with typed columns — Int64 ids and
//! integers, Utf8 codes, Date32 dates, Decimal128(p,s) money — from the same column model and
//! rows as CSV. Snappy-compressed unless `--parquet-compression` says otherwise, and no
//! creation time or other run-dependent metadata, so the bytes depend only on the data.
//!
//! Workers hand each chunk's rows of a table to the file's [`TableWriter`], which gathers them
//! into batches of a few megabytes and encodes those into row groups of 128k rows (fewer for
//! wide tables; the last one holds the rest), so neither batches nor row groups follow the
//! chunks. Each table's file is encoded on its own output thread, so the
//! sixteen tables encode side by side. Every column is declared nullable, as pyarrow and
//! Spark write them: the model's
//! NOT NULL is enforced where it means something (the PostgreSQL schema), and a Parquet file
//! never refuses a row the CSV file holds.

use std::any::Any;
use std::io::{self, Write};
use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::{Date32Builder, Decimal128Builder, Int64Builder, StringBuilder};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnWriter, ArrowRowGroupWriterFactory, compute_leaves};
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;

use crate::schema::{Column, SqlType, TABLES, Table};
use crate::value::Value;

use super::tables::{DateStyle, ParquetCompression, for_each_row, write_cell};
use super::{Chunk, FileEncoder, Part, PartData, RenderContext, Stream, StreamKind, TableStream};

/// Rows per row group of the narrow tables: big enough for readers to scan efficiently.
pub const ROW_GROUP_ROWS: usize = 128 * 1024;

/// Cells per row group: wide tables (inpatient claims have 262 columns) get fewer rows per
/// group, because each table's open row group is held in memory until it is full, and the
/// sixteen of them must fit in the memory target together.
const ROW_GROUP_CELLS: usize = 2 << 20;

/// Rows per row group of `table`: 128k for the narrowest tables, at least 8k for the widest.
pub fn row_group_rows(table: &Table) -> usize {
    (ROW_GROUP_CELLS / table.width()).clamp(8 * 1024, ROW_GROUP_ROWS)
}

/// A table's file: `parquet/<table>.parquet`, or for shard `k` of `n` (1-based) the part file
/// `parquet/<table>/part-<k>-of-<n>.parquet` (`k` zero-padded to the width of `n`, so names sort
/// in shard order). Engines read such a directory as one table, and the parts of every shard
/// can lie side by side in it (`bbgen merge` puts them there).
pub fn table_path(table: &Table, shard: Option<(u64, u64)>) -> String {
    match shard {
        None => format!("parquet/{}.parquet", table.name),
        Some((k, n)) => {
            let width = n.to_string().len();
            format!("parquet/{}/part-{k:0width$}-of-{n}.parquet", table.name)
        }
    }
}

/// The Arrow type of a column.
fn arrow_type(c: &Column) -> DataType {
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

/// Bytes of column data (values, offsets and text) a table's writer gathers before it encodes
/// them as one batch: batches span many chunks (tens of thousands of rows of a narrow table),
/// so encoding costs per row, not per chunk, while the sixteen tables' open batches stay a
/// small part of the memory target.
const BATCH_BYTES: usize = 2 << 20;

/// Opens a Parquet writer for `table` over `out`.
pub fn writer<W: std::io::Write + Send>(
    table: &'static Table,
    compression: ParquetCompression,
    out: W,
) -> Result<TableWriter<W>, ParquetError> {
    let compression = match compression {
        ParquetCompression::Snappy => Compression::SNAPPY,
        ParquetCompression::Zstd => Compression::ZSTD(ZstdLevel::try_new(1)?),
        ParquetCompression::None => Compression::UNCOMPRESSED,
    };
    let props = WriterProperties::builder()
        .set_compression(compression)
        .set_max_row_group_row_count(Some(row_group_rows(table)))
        .set_created_by(format!("bbgen {}", env!("CARGO_PKG_VERSION")))
        .set_statistics_enabled(parquet::file::properties::EnabledStatistics::Chunk)
        // The sixteen tables have 1,439 columns, each with an open page and dictionary:
        // small pages keep their buffers, and so the process, well under the memory target.
        .set_data_page_size_limit(32 << 10)
        .set_dictionary_page_size_limit(32 << 10)
        .build();
    let schema = schema(table);
    // The Arrow writer sets the file up (Parquet schema, the Arrow schema in the footer's
    // metadata); its lower-level parts then let row groups be cut across batches.
    let (file, factory) =
        ArrowWriter::try_new(out, schema.clone(), Some(props))?.into_serialized_writer()?;
    Ok(TableWriter {
        file,
        factory,
        batch: Batch::new(table),
        schema,
        columns: None,
        rows: 0,
        group_rows: row_group_rows(table),
    })
}

/// Writes one table's Parquet file from its rows in order. Rows are gathered into batches of
/// about [`BATCH_BYTES`] that never straddle a row group, and row groups hold exactly
/// [`row_group_rows`] rows (the last holds the rest). The column writers cut pages and
/// dictionaries per batch, and a batch ends where the rows before it say, so the bytes depend
/// on the sequence of rows alone: not on the threads, the chunks or how the rows were fed.
pub struct TableWriter<W: std::io::Write + Send> {
    file: SerializedFileWriter<W>,
    factory: ArrowRowGroupWriterFactory,
    schema: Arc<Schema>,
    /// The rows gathered for the next batch.
    batch: Batch,
    /// The row group being filled: one writer per column.
    columns: Option<Vec<ArrowColumnWriter>>,
    /// Rows in it.
    rows: usize,
    /// Rows per row group.
    group_rows: usize,
}

impl<W: std::io::Write + Send> TableWriter<W> {
    /// Appends rows; encodes each batch as it fills.
    pub fn append(&mut self, rows: &Rows) -> Result<(), ParquetError> {
        for row in rows.vals.chunks_exact(rows.width.max(1)) {
            self.batch.push(row).map_err(ParquetError::General)?;
            if self.batch.rows == self.group_rows - self.rows || self.batch.bytes >= BATCH_BYTES {
                self.encode_batch()?;
            }
        }
        Ok(())
    }

    /// Encodes the gathered rows into the open row group, closing it when it is full.
    fn encode_batch(&mut self) -> Result<(), ParquetError> {
        if self.batch.rows == 0 {
            return Ok(());
        }
        let n = self.batch.rows;
        let arrays = self.batch.finish();
        let columns = match &mut self.columns {
            Some(c) => c,
            none => none.insert(
                self.factory
                    .create_column_writers(self.file.flushed_row_groups().len())?,
            ),
        };
        let mut writers = columns.iter_mut();
        for (field, array) in self.schema.fields().iter().zip(&arrays) {
            for leaf in compute_leaves(field, array)? {
                let w = writers.next().ok_or_else(|| {
                    ParquetError::General("fewer column writers than leaves".into())
                })?;
                w.write(&leaf)?;
            }
        }
        drop(arrays);
        self.batch.renew();
        self.rows += n;
        if self.rows == self.group_rows {
            self.flush()?;
        }
        Ok(())
    }

    /// Closes the row group being filled, if any.
    fn flush(&mut self) -> Result<(), ParquetError> {
        let Some(columns) = self.columns.take() else {
            return Ok(());
        };
        let chunks = columns
            .into_iter()
            .map(ArrowColumnWriter::close)
            .collect::<Result<Vec<_>, _>>()?;
        let mut group = self.file.next_row_group()?;
        for chunk in chunks {
            chunk.append_to_row_group(&mut group)?;
        }
        group.close()?;
        self.rows = 0;
        Ok(())
    }

    /// Writes the last batch, the last row group and the footer; returns the output.
    pub fn into_inner(mut self) -> Result<W, ParquetError> {
        self.encode_batch()?;
        self.flush()?;
        self.file.into_inner()
    }
}

/// The value rows of one chunk's part of a table, row after row: what a worker hands the
/// table's [`TableWriter`], which gathers them into batches of many chunks.
pub struct Rows {
    /// Columns per row.
    width: usize,
    /// Every row's values, in column order.
    vals: Vec<Value>,
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

/// The Parquet tables.
pub struct ParquetTables {
    /// Page compression.
    compression: ParquetCompression,
    /// The rows' buffers, shared by the workers and the tables' writers.
    pool: Arc<RowsPool>,
    /// The shard written (`k` of `n`, 1-based), which names the part files.
    shard: Option<(u64, u64)>,
}

impl ParquetTables {
    /// Every table, its pages compressed as given, as the part files of `shard` if given.
    pub fn new(compression: ParquetCompression, shard: Option<(u64, u64)>) -> ParquetTables {
        ParquetTables {
            compression,
            pool: Arc::default(),
            shard,
        }
    }
}

impl TableStream for ParquetTables {
    type Item = &'static Table;

    fn items(&self) -> &[&'static Table] {
        &TABLES
    }

    fn stream(&self, &t: &&'static Table) -> Stream {
        let (compression, pool) = (self.compression, self.pool.clone());
        Stream {
            path: table_path(t, self.shard),
            header: Vec::new(),
            kind: StreamKind::Encoded(Arc::new(move || {
                let w = writer(t, compression, Vec::new()).map_err(io::Error::other)?;
                Ok(Box::new(Pooled(w, pool.clone())) as Box<dyn FileEncoder>)
            })),
        }
    }

    fn part(&self, _ctx: &RenderContext<'_>, chunk: &Chunk, &t: &&'static Table) -> Part {
        let rows = Rows::of(chunk, t, &self.pool);
        Part {
            rows: rows.len() as u64,
            data: PartData::Encoded(Box::new(rows)),
        }
    }
}

/// A table's writer in the pipeline: it hands the rows' buffers back to the workers' pool.
struct Pooled(TableWriter<Vec<u8>>, Arc<RowsPool>);

impl FileEncoder for Pooled {
    fn encode(&mut self, data: Box<dyn Any + Send>, out: &mut dyn Write) -> io::Result<()> {
        let rows = data
            .downcast::<Rows>()
            .map_err(|_| io::Error::other("a Parquet part holds no rows"))?;
        self.0.append(&rows).map_err(io::Error::other)?;
        self.1.give(rows.vals);
        // The bytes the file writer has flushed so far; it counts offsets itself, so taking
        // them out of its buffer leaves the file intact.
        out.write_all(&std::mem::take(self.0.file.inner_mut()))
    }

    fn finish(self: Box<Self>, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.0.into_inner().map_err(io::Error::other)?)
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
struct Batch {
    table: &'static Table,
    types: Vec<DataType>,
    builders: Vec<Builder>,
    /// Rows gathered.
    rows: usize,
    /// Bytes of column data gathered (values, offsets, text).
    bytes: usize,
    /// Bytes of values and offsets per row.
    row_bytes: usize,
    /// A cell written as text, for text columns holding numbers or dates.
    cell: Vec<u8>,
    /// Rows and text bytes of each column in the last batch.
    capacity: Vec<(usize, usize)>,
}

impl Batch {
    fn new(table: &'static Table) -> Batch {
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
    fn push(&mut self, row: &[Value]) -> Result<(), String> {
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
    fn finish(&mut self) -> Vec<ArrayRef> {
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
    fn renew(&mut self) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SNF_CLAIM_LINES;
    use crate::value::Date;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    /// `n` rows of `table` (from row `from` on), every cell of its column's type and varying.
    fn rows(table: &'static Table, from: usize, n: usize) -> Rows {
        let mut vals = Vec::new();
        for r in from..from + n {
            for (i, c) in table.columns.iter().enumerate() {
                let k = (r * 31 + i * 7) % 97;
                vals.push(match arrow_type(c) {
                    _ if k % 11 == 0 => Value::Null,
                    DataType::Date32 => Value::Date(Date(18_000 + k as i32)),
                    DataType::Utf8 => Value::Str(["A", "BB", "CCC", "12345"][k % 4]),
                    _ => Value::Int(k as i64 * 1000),
                });
            }
        }
        Rows {
            width: table.width(),
            vals,
        }
    }

    /// A Parquet file of `total` rows of `table`, fed in parts of the sizes `part` says.
    fn file_of(table: &'static Table, total: usize, part: impl Fn(usize) -> usize) -> Vec<u8> {
        let mut w = writer(table, ParquetCompression::Snappy, Vec::new()).unwrap();
        let (mut at, mut i) = (0, 0);
        while at < total {
            let n = part(i).min(total - at);
            w.append(&rows(table, at, n)).unwrap();
            at += n;
            i += 1;
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn bytes_depend_on_the_rows_not_on_how_they_are_fed() {
        let t = &SNF_CLAIM_LINES;
        let total = row_group_rows(t) + 5_000;
        let whole = file_of(t, total, |_| total);
        assert_eq!(whole, file_of(t, total, |_| 3), "parts of 3 rows");
        assert_eq!(
            whole,
            file_of(t, total, |i| 1 + (i * 337) % 2500),
            "varying parts"
        );
        let other = file_of(t, total + 1, |_| total + 1);
        assert_ne!(whole, other, "one more row changes the file");
    }

    #[test]
    fn row_groups_hold_exactly_their_rows_across_parts() {
        let t = &SNF_CLAIM_LINES;
        let group = row_group_rows(t);
        let total = 2 * group + 12_345;
        let bytes = file_of(t, total, |i| 1000 + (i * 337) % 2500);
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        let groups: Vec<usize> = reader
            .metadata()
            .row_groups()
            .iter()
            .map(|g| g.num_rows() as usize)
            .collect();
        assert_eq!(groups, [group, group, 12_345]);
    }

    #[test]
    fn a_value_its_column_cannot_hold_is_an_error_naming_it() {
        let t = &SNF_CLAIM_LINES;
        let mut r = rows(t, 0, 1);
        let i = t
            .columns
            .iter()
            .position(|c| arrow_type(c) == DataType::Int64)
            .unwrap();
        r.vals[i] = Value::Str("x");
        let mut w = writer(t, ParquetCompression::None, Vec::new()).unwrap();
        let e = w.append(&r).unwrap_err().to_string();
        assert!(
            e.contains(&format!("{}.{}", t.name, t.columns[i].db)),
            "{e}"
        );
    }
}
