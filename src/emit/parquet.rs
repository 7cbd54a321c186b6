//! Parquet: one file per table (`parquet/<table>.parquet`; a shard writes
//! `parquet/<table>/part-<k>-of-<n>.parquet`, see [`table_path`]) with typed columns — Int64 ids and
//! integers, Utf8 codes, Date32 dates, Decimal128(p,s) money, as [`super::arrow`] builds them —
//! from the same column model and rows as CSV. Snappy-compressed unless `--parquet-compression` says otherwise, and no
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

use arrow_schema::Schema;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnWriter, ArrowRowGroupWriterFactory, compute_leaves};
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;

use crate::schema::{TABLES, Table};

use super::arrow::Batch;
pub use super::arrow::{Rows, RowsPool, schema};
use super::tables::ParquetCompression;
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
        for row in rows.iter() {
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

/// The Parquet tables.
pub struct ParquetTables {
    /// Page compression.
    compression: ParquetCompression,
    /// The shard written (`k` of `n`, 1-based), which names the part files.
    shard: Option<(u64, u64)>,
    /// The rows' buffers, shared by the workers and the tables' writers.
    pool: Arc<RowsPool>,
}

impl ParquetTables {
    /// Every table, its pages compressed as given, as the part files of `shard` if given.
    pub fn new(compression: ParquetCompression, shard: Option<(u64, u64)>) -> ParquetTables {
        ParquetTables {
            compression,
            shard,
            pool: Arc::default(),
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
        rows.recycle(&self.1);
        // The bytes the file writer has flushed so far; it counts offsets itself, so taking
        // them out of its buffer leaves the file intact.
        out.write_all(&std::mem::take(self.0.file.inner_mut()))
    }

    fn finish(self: Box<Self>, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.0.into_inner().map_err(io::Error::other)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::arrow::arrow_type;
    use crate::schema::SNF_CLAIM_LINES;
    use crate::value::{Date, Value};
    use arrow_schema::DataType;
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
