//! Parquet: one file per table (`parquet/<table>.parquet`) with typed columns — Int64 ids and
//! integers, Utf8 codes, Date32 dates, Decimal128(p,s) money — from the same column model and
//! rows as CSV. Snappy-compressed, row groups of at most 128k rows, and no creation time or
//! other run-dependent metadata, so the bytes depend only on the data.

use std::sync::Arc;

use arrow_array::builder::{Date32Builder, Decimal128Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;

use crate::schema::{Column, SqlType, TABLES, Table};
use crate::value::Value;

use super::tables::{DateStyle, for_each_row, write_cell};
use super::{Chunk, Emitter, Part, PartData, RenderContext, Stream, StreamKind, WrittenFile};

/// Rows per row group: big enough for readers to scan efficiently, small enough that a
/// writer per table does not buffer much.
const ROW_GROUP_ROWS: usize = 128 * 1024;

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
            .map(|c| Field::new(c.db, arrow_type(c), c.nullable))
            .collect::<Vec<_>>(),
    ))
}

/// Opens a Parquet writer for `table` over `out`.
pub fn writer<W: std::io::Write + Send>(
    table: &'static Table,
    out: W,
) -> Result<ArrowWriter<W>, ParquetError> {
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_created_by(format!("bbgen {}", env!("CARGO_PKG_VERSION")))
        .build();
    ArrowWriter::try_new(out, schema(table), Some(props))
}

/// The Parquet tables.
pub struct ParquetTables;

impl Emitter for ParquetTables {
    fn streams(&self) -> Vec<Stream> {
        TABLES
            .iter()
            .map(|t| Stream {
                path: format!("parquet/{}.parquet", t.name),
                header: Vec::new(),
                kind: StreamKind::Parquet(t),
            })
            .collect()
    }

    fn render(
        &self,
        _ctx: &RenderContext<'_>,
        chunk: &Chunk,
        parts: &mut Vec<Part>,
        _files: &mut Vec<WrittenFile>,
    ) -> std::io::Result<()> {
        for &t in &TABLES {
            let (rows, batch) = batch(chunk, t).map_err(std::io::Error::other)?;
            parts.push(Part {
                rows,
                data: PartData::Batch(batch),
            });
        }
        Ok(())
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
) -> Result<(u64, RecordBatch), arrow_schema::ArrowError> {
    let mut builders: Vec<Builder> = table
        .columns
        .iter()
        .map(|c| match arrow_type(c) {
            DataType::Int64 => Builder::Int(Int64Builder::new()),
            DataType::Decimal128(p, s) => Builder::Dec(
                Decimal128Builder::new()
                    .with_precision_and_scale(p, s)
                    .expect("valid decimal"),
            ),
            DataType::Date32 => Builder::Date(Date32Builder::new()),
            _ => Builder::Text(StringBuilder::new()),
        })
        .collect();
    let mut cell = Vec::new();
    let rows = for_each_row(chunk, table, |row| {
        for ((b, v), c) in builders.iter_mut().zip(row.vals).zip(table.columns) {
            match (b, v) {
                (Builder::Int(b), Value::Int(i)) => b.append_value(*i),
                (Builder::Dec(b), Value::Int(i)) => b.append_value(i128::from(*i)),
                (Builder::Date(b), Value::Date(d)) => b.append_value(d.0),
                (Builder::Text(b), Value::Null) => b.append_null(),
                (Builder::Text(b), v) => {
                    cell.clear();
                    write_cell(&mut cell, c, v, DateStyle::Iso);
                    b.append_value(std::str::from_utf8(&cell).expect("cells are UTF-8"));
                }
                (Builder::Int(b), _) => b.append_null(),
                (Builder::Dec(b), _) => b.append_null(),
                (Builder::Date(b), _) => b.append_null(),
            }
        }
    });
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
    Ok((rows, RecordBatch::try_new(schema(table), arrays)?))
}
