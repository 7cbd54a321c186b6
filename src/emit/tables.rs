//! The shared side of every table format, so CSV, Parquet, RIF and SQL never keep a column list
//! of their own: which rows a chunk holds for a table (or a RIF file), how one cell is written
//! as text, the header rows, and the keys that tie the tables together. CSV and RIF render cells
//! through [`write_cell`], Parquet builds typed columns from the same rows ([`for_each_row`]),
//! and the SQL schema takes its types, keys and foreign keys from [`primary_key`] and
//! [`parent`].

use crate::model::{ClaimType, RowRef};
use crate::schema::{self, Col, Column, TABLES, Table};
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

/// One RIF file: a record table (beneficiaries, Part D events) or a claim table with its line
/// table, written as one row per line with the claim's columns repeated.
#[derive(Clone, Copy, Debug)]
pub struct RifFile {
    /// File stem (`beneficiary`, `carrier`, …, `pde`), as `Table::file`.
    pub name: &'static str,
    /// The record or claim table.
    pub table: &'static Table,
    /// The line table, for claim types with lines.
    pub lines: Option<&'static Table>,
}

impl RifFile {
    /// Every RIF file, in table order.
    pub fn all() -> Vec<RifFile> {
        TABLES
            .iter()
            .filter_map(|&t| {
                if *t == schema::BENEFICIARIES {
                    return Some(RifFile {
                        name: t.file,
                        table: t,
                        lines: None,
                    });
                }
                let (kind, is_lines) = claim_table(t);
                (!is_lines).then(|| RifFile {
                    name: t.file,
                    table: t,
                    lines: kind.line_table(),
                })
            })
            .collect()
    }

    /// The columns of a row, in RIF order without `DML_IND`: the record's columns, then the
    /// line's columns that the RIF file has (not the line table's parent claim id).
    pub fn columns(&self) -> impl Iterator<Item = &'static Column> + '_ {
        self.table.columns.iter().chain(
            self.lines
                .into_iter()
                .flat_map(|l| l.columns.iter().filter(|c| c.rif.is_some())),
        )
    }

    /// The header row: `DML_IND` and every column's RIF name, `|`-separated, with a line end.
    pub fn header(&self) -> Vec<u8> {
        let mut h = b"DML_IND".to_vec();
        for c in self.columns() {
            h.push(b'|');
            h.extend_from_slice(c.rif.expect("RIF columns have RIF names").as_bytes());
        }
        h.push(b'\n');
        h
    }

    /// Calls `f` on every RIF row of the chunk: the record (or claim) and, for claim types with
    /// lines, one of its lines (`None` for a claim without lines, whose line columns stay
    /// empty). Returns the number of rows.
    pub fn for_each_row(
        &self,
        chunk: &Chunk,
        mut f: impl FnMut(RowRef<'_>, Option<RowRef<'_>>),
    ) -> u64 {
        if self.lines.is_none() {
            return for_each_row(chunk, self.table, |r| f(r, None));
        }
        let kind = claim_table(self.table).0;
        let mut n = 0;
        for (_, claims) in &chunk.entries {
            for c in claims.iter().filter(|c| c.kind == kind) {
                let header = c.header.view();
                match &c.lines {
                    Some(lines) if !lines.is_empty() => {
                        for line in lines.iter() {
                            f(header, Some(line));
                            n += 1;
                        }
                    }
                    _ => {
                        f(header, None);
                        n += 1;
                    }
                }
            }
        }
        n
    }
}

/// Compression of Parquet column chunks (`--parquet-compression`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ParquetCompression {
    /// Snappy: fast, and what most readers expect.
    #[default]
    Snappy,
    /// Zstandard level 1: smaller files, still fast.
    Zstd,
    /// Uncompressed pages.
    None,
}

impl ParquetCompression {
    /// Name on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            ParquetCompression::Snappy => "snappy",
            ParquetCompression::Zstd => "zstd",
            ParquetCompression::None => "none",
        }
    }

    /// Parses a name as written by [`Self::name`].
    pub fn from_name(s: &str) -> Option<ParquetCompression> {
        [Self::Snappy, Self::Zstd, Self::None]
            .into_iter()
            .find(|c| c.name() == s)
    }
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

/// A header row of the tables' database column names, joined by `sep`, ending in `eol`.
pub fn db_header(table: &Table, sep: u8, eol: &[u8]) -> Vec<u8> {
    let mut header = Vec::new();
    for (i, c) in table.columns.iter().enumerate() {
        if i > 0 {
            header.push(sep);
        }
        header.extend_from_slice(c.db.as_bytes());
    }
    header.extend_from_slice(eol);
    header
}

/// The line-number column of a line table (`line_num` or `clm_line_num`).
pub fn line_number(table: &Table) -> &'static Column {
    [Col::LINE_NUM, Col::CLM_LINE_NUM]
        .into_iter()
        .find_map(|c| table.position(c))
        .map(|i| &table.columns[i])
        .unwrap_or_else(|| panic!("{} has no line number", table.name))
}

/// The columns of a table's primary key: `bene_id` for beneficiaries, `pde_id` for Part D
/// events, `clm_id` for claims, and (`clm_id`, line number) for claim lines — as BFD keys them.
pub fn primary_key(table: &'static Table) -> Vec<&'static Column> {
    let col = |c: Col| &table.columns[table.position(c).expect("key column")];
    if *table == schema::BENEFICIARIES {
        vec![col(Col::BENE_ID)]
    } else if *table == schema::PARTD_EVENTS {
        vec![col(Col::PDE_ID)]
    } else if claim_table(table).1 {
        vec![col(Col::CLM_ID), line_number(table)]
    } else {
        vec![col(Col::CLM_ID)]
    }
}

/// The table a table's rows point to, and the column that points: lines → their claim
/// (`clm_id`), claims and events → their beneficiary (`bene_id`). `None` for beneficiaries.
pub fn parent(table: &'static Table) -> Option<(&'static Column, &'static Table)> {
    if *table == schema::BENEFICIARIES {
        return None;
    }
    let col = |c: Col| &table.columns[table.position(c).expect("key column")];
    let (kind, is_lines) = claim_table(table);
    Some(if is_lines {
        (col(Col::CLM_ID), kind.header_table())
    } else {
        (col(Col::BENE_ID), &schema::BENEFICIARIES)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rif_files_cover_every_table_once() {
        let files = RifFile::all();
        let names: Vec<&str> = files.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "beneficiary",
                "carrier",
                "inpatient",
                "outpatient",
                "dme",
                "hha",
                "hospice",
                "snf",
                "pde"
            ]
        );
        let mut covered: Vec<&str> = files
            .iter()
            .flat_map(|f| std::iter::once(f.table).chain(f.lines))
            .map(|t| t.name)
            .collect();
        covered.sort_unstable();
        let mut all: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        all.sort_unstable();
        assert_eq!(covered, all);
    }

    #[test]
    fn keys_follow_bfd() {
        let names = |t| -> Vec<&str> { primary_key(t).iter().map(|c| c.db).collect() };
        assert_eq!(names(&schema::BENEFICIARIES), ["bene_id"]);
        assert_eq!(names(&schema::PARTD_EVENTS), ["pde_id"]);
        assert_eq!(names(&schema::CARRIER_CLAIMS), ["clm_id"]);
        assert_eq!(names(&schema::CARRIER_CLAIM_LINES), ["clm_id", "line_num"]);
        assert_eq!(
            names(&schema::INPATIENT_CLAIM_LINES),
            ["clm_id", "clm_line_num"]
        );
        let (c, t) = parent(&schema::SNF_CLAIM_LINES).unwrap();
        assert_eq!((c.db, t.name), ("clm_id", "snf_claims"));
        let (c, t) = parent(&schema::PARTD_EVENTS).unwrap();
        assert_eq!((c.db, t.name), ("bene_id", "beneficiaries"));
        assert!(parent(&schema::BENEFICIARIES).is_none());
    }
}
