//! Parquet: one file per table (`parquet/<table>.parquet`; a shard writes
//! `parquet/<table>/part-<k>-of-<n>.parquet`, see [`table_path`]) with typed columns — Int64 ids and
//! integers, Utf8 codes, Date32 dates, Decimal128(p,s) money — from the same column model and
//! rows as CSV. Snappy-compressed unless `--parquet-compression` says otherwise, and no
//! creation time or other run-dependent metadata, so the bytes depend only on the data.
//!
//! Workers turn each chunk into one record batch; the file's [`TableWriter`] encodes the
//! batches into row groups of 128k rows (the last one holds the rest), so row groups do not
//! follow the chunk size. Each table's file is encoded on its own output thread, so the
//! sixteen tables encode side by side. Every column is declared nullable, as pyarrow and
//! Spark write them: the model's
//! NOT NULL is enforced where it means something (the PostgreSQL schema), and a Parquet file
//! never refuses a row the CSV file holds.

use std::any::Any;
use std::io::{self, Write};
use std::sync::Arc;

use arrow_array::builder::{Date32Builder, Decimal128Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema};
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
        schema,
        columns: None,
        rows: 0,
        group_rows: row_group_rows(table),
    })
}

/// Writes one table's Parquet file: record batches in order, cut into row groups of exactly
/// [`row_group_rows`] rows (the last holds the rest). Every column is encoded by one writer in
/// row order, so the bytes depend on the batches alone, never on the threads.
pub struct TableWriter<W: std::io::Write + Send> {
    file: SerializedFileWriter<W>,
    factory: ArrowRowGroupWriterFactory,
    schema: Arc<Schema>,
    /// The row group being filled: one writer per column.
    columns: Option<Vec<ArrowColumnWriter>>,
    /// Rows in it.
    rows: usize,
    /// Rows per row group.
    group_rows: usize,
}

impl<W: std::io::Write + Send> TableWriter<W> {
    /// Appends a batch.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), ParquetError> {
        let (n, mut at) = (batch.num_rows(), 0);
        while at < n {
            let take = (n - at).min(self.group_rows - self.rows);
            let columns = match &mut self.columns {
                Some(c) => c,
                none => none.insert(
                    self.factory
                        .create_column_writers(self.file.flushed_row_groups().len())?,
                ),
            };
            let mut leaves = Vec::with_capacity(columns.len());
            for (field, array) in self.schema.fields().iter().zip(batch.columns()) {
                // Most batches fit in the open row group whole: slicing every column costs.
                if take == n {
                    leaves.extend(compute_leaves(field, array)?);
                } else {
                    leaves.extend(compute_leaves(field, &array.slice(at, take))?);
                }
            }
            for (w, leaf) in columns.iter_mut().zip(&leaves) {
                w.write(leaf)?;
            }
            self.rows += take;
            at += take;
            if self.rows == self.group_rows {
                self.flush()?;
            }
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

    /// Writes the last row group and the footer; returns the output.
    pub fn into_inner(mut self) -> Result<W, ParquetError> {
        self.flush()?;
        self.file.into_inner()
    }
}

impl FileEncoder for TableWriter<Vec<u8>> {
    fn encode(&mut self, data: Box<dyn Any + Send>, out: &mut dyn Write) -> io::Result<()> {
        let batch = data
            .downcast::<Result<RecordBatch, ArrowError>>()
            .map_err(|_| io::Error::other("a Parquet part holds no record batch"))?;
        self.write(&(*batch).map_err(io::Error::other)?)
            .map_err(io::Error::other)?;
        // The bytes the file writer has flushed so far; it counts offsets itself, so taking
        // them out of its buffer leaves the file intact.
        out.write_all(&std::mem::take(self.file.inner_mut()))
    }

    fn finish(self: Box<Self>, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.into_inner().map_err(io::Error::other)?)
    }
}

/// The Parquet tables.
pub struct ParquetTables {
    /// Page compression.
    compression: ParquetCompression,
    /// The shard written (`k` of `n`, 1-based), which names the part files.
    shard: Option<(u64, u64)>,
    /// Every table with its Arrow schema, built once: a schema per batch is hundreds of
    /// allocations.
    tables: Vec<(&'static Table, Arc<Schema>)>,
}

impl ParquetTables {
    /// Every table, its pages compressed as given, as the part files of `shard` if given.
    pub fn new(compression: ParquetCompression, shard: Option<(u64, u64)>) -> ParquetTables {
        ParquetTables {
            compression,
            shard,
            tables: TABLES.iter().map(|&t| (t, schema(t))).collect(),
        }
    }
}

impl TableStream for ParquetTables {
    type Item = (&'static Table, Arc<Schema>);

    fn items(&self) -> &[(&'static Table, Arc<Schema>)] {
        &self.tables
    }

    fn stream(&self, &(t, _): &(&'static Table, Arc<Schema>)) -> Stream {
        let compression = self.compression;
        Stream {
            path: table_path(t, self.shard),
            header: Vec::new(),
            kind: StreamKind::Encoded(Arc::new(move || {
                let w = writer(t, compression, Vec::new()).map_err(io::Error::other)?;
                Ok(Box::new(w) as Box<dyn FileEncoder>)
            })),
        }
    }

    fn part(
        &self,
        _ctx: &RenderContext<'_>,
        chunk: &Chunk,
        (t, schema): &(&'static Table, Arc<Schema>),
    ) -> Part {
        let batch = batch(chunk, t, schema);
        Part {
            rows: batch.as_ref().map_or(0, |b| b.num_rows() as u64),
            data: PartData::Encoded(Box::new(batch)),
        }
    }
}

enum Builder {
    Int(Int64Builder),
    Dec(Decimal128Builder),
    Date(Date32Builder),
    Text(StringBuilder),
}

/// One chunk's rows of `table` as a record batch.
pub fn batch(
    chunk: &Chunk,
    table: &'static Table,
    schema: &Arc<Schema>,
) -> Result<RecordBatch, ArrowError> {
    // Sized up front: growing hundreds of builders chunk after chunk is mostly allocation.
    let n = for_each_row(chunk, table, |_| {}) as usize;
    let mut builders: Vec<Builder> = table
        .columns
        .iter()
        .map(|c| match arrow_type(c) {
            DataType::Int64 => Builder::Int(Int64Builder::with_capacity(n)),
            DataType::Decimal128(p, s) => Builder::Dec(
                Decimal128Builder::with_capacity(n)
                    .with_precision_and_scale(p, s)
                    .expect("valid decimal"),
            ),
            DataType::Date32 => Builder::Date(Date32Builder::with_capacity(n)),
            _ => Builder::Text(StringBuilder::with_capacity(n, n * 8)),
        })
        .collect();
    let mut cell = Vec::new();
    let mut mismatch = None;
    for_each_row(chunk, table, |row| {
        for ((b, v), c) in builders.iter_mut().zip(row.vals).zip(table.columns) {
            match (b, v) {
                (Builder::Int(b), Value::Null) => b.append_null(),
                (Builder::Dec(b), Value::Null) => b.append_null(),
                (Builder::Date(b), Value::Null) => b.append_null(),
                (Builder::Text(b), Value::Null) => b.append_null(),
                (Builder::Int(b), Value::Int(i)) => b.append_value(*i),
                (Builder::Dec(b), Value::Int(i)) => b.append_value(i128::from(*i)),
                (Builder::Date(b), Value::Date(d)) => b.append_value(d.0),
                (Builder::Text(b), Value::Str(s)) => b.append_value(s),
                (Builder::Text(b), Value::Text(t)) => b.append_value(t.as_str()),
                (Builder::Text(b), v) => {
                    cell.clear();
                    write_cell(&mut cell, c, v, DateStyle::Iso);
                    b.append_value(std::str::from_utf8(&cell).expect("cells are UTF-8"));
                }
                (Builder::Int(b), _) => {
                    mismatch.get_or_insert((c, *v));
                    b.append_null();
                }
                (Builder::Dec(b), _) => {
                    mismatch.get_or_insert((c, *v));
                    b.append_null();
                }
                (Builder::Date(b), _) => {
                    mismatch.get_or_insert((c, *v));
                    b.append_null();
                }
            }
        }
    });
    if let Some((c, v)) = mismatch {
        return Err(ArrowError::InvalidArgumentError(format!(
            "{}.{} holds {v:?}, which its type {} cannot",
            table.name,
            c.db,
            c.ty.sql()
        )));
    }
    let arrays: Vec<ArrayRef> = builders
        .into_iter()
        .map(|b| -> ArrayRef {
            match b {
                Builder::Int(mut b) => Arc::new(b.finish()),
                Builder::Dec(mut b) => Arc::new(b.finish()),
                Builder::Date(mut b) => Arc::new(b.finish()),
                Builder::Text(mut b) => Arc::new(b.finish()),
            }
        })
        .collect();
    RecordBatch::try_new(schema.clone(), arrays)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SNF_CLAIM_LINES;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    #[test]
    fn row_groups_hold_exactly_128k_rows_across_batches() {
        let t = &SNF_CLAIM_LINES;
        let file = tempfile::tempfile().unwrap();
        let mut w = writer(t, ParquetCompression::Snappy, file.try_clone().unwrap()).unwrap();
        let schema = schema(t);
        let mut total = 0;
        for i in 0..150 {
            // Batch sizes vary, so batches straddle the row-group boundaries.
            let n = 1000 + (i * 337) % 2500;
            let columns = schema
                .fields()
                .iter()
                .map(|f| arrow_array::new_null_array(f.data_type(), n))
                .collect();
            w.write(&RecordBatch::try_new(schema.clone(), columns).unwrap())
                .unwrap();
            total += n;
        }
        w.into_inner().unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        let groups: Vec<usize> = reader
            .metadata()
            .row_groups()
            .iter()
            .map(|g| g.num_rows() as usize)
            .collect();
        assert!(total > 2 * ROW_GROUP_ROWS, "{total}");
        assert_eq!(groups.len(), total.div_ceil(ROW_GROUP_ROWS), "{groups:?}");
        assert_eq!(groups.iter().sum::<usize>(), total);
        assert!(
            groups[..groups.len() - 1]
                .iter()
                .all(|&g| g == ROW_GROUP_ROWS)
        );
    }
}
