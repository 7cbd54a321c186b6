//! The shared side of every table format: which rows a chunk holds for a table, and how one
//! cell is written as text. CSV, RIF and SQL render cells through [`write_cell`]; Parquet reads
//! the same rows through [`for_each_row`].

use crate::model::{ClaimType, RowRef};
use crate::schema::{self, Column, Table};
use crate::value::{Value, push_decimal};

use super::Chunk;

/// Calls `f` on every row of `table` in the chunk, in user order (then claim order, then line
/// order). Returns the number of rows.
pub fn for_each_row(chunk: &Chunk, table: &'static Table, mut f: impl FnMut(RowRef<'_>)) -> u64 {
    let mut n = 0;
    if *table == schema::BENEFICIARIES {
        for (b, _) in &chunk.entries {
            f(b.record.view());
            n += 1;
        }
        return n;
    }
    let (kind, is_lines) = claim_table(table);
    for (_, claims) in &chunk.entries {
        for c in claims.iter().filter(|c| c.kind == kind) {
            if is_lines {
                for line in c.lines.iter().flat_map(|l| l.iter()) {
                    f(line);
                    n += 1;
                }
            } else {
                f(c.header.view());
                n += 1;
            }
        }
    }
    n
}

/// The claim type of a claim or line table, and whether it is the line table.
pub fn claim_table(table: &Table) -> (ClaimType, bool) {
    for t in ClaimType::ALL {
        if t.header_table() == table {
            return (t, false);
        }
        if t.line_table() == Some(table) {
            return (t, true);
        }
    }
    panic!("{} is not a claim table", table.name)
}

/// How dates are written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DateStyle {
    /// `2024-03-07` (CSV, SQL, FHIR).
    Iso,
    /// `07-MAR-2024` (CCW RIF files).
    Rif,
}

/// Appends one cell's text: nothing for null, decimals with the column's scale, dates in the
/// given style, text as is (quoting is the caller's business).
#[inline]
pub fn write_cell(out: &mut Vec<u8>, column: &Column, v: &Value, dates: DateStyle) {
    match v {
        Value::Null => {}
        Value::Int(i) => push_decimal(out, *i, column.ty.scale()),
        Value::Date(d) => match dates {
            DateStyle::Iso => d.write_iso(out),
            DateStyle::Rif => d.write_rif(out),
        },
        Value::Str(s) => out.extend_from_slice(s.as_bytes()),
        Value::Text(t) => out.extend_from_slice(t.as_str().as_bytes()),
    }
}
