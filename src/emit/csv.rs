//! CSV: one RFC 4180 file per table (`csv/<table>.csv`, CRLF line ends, a header row of BFD
//! database column names, ISO dates, amounts with their scale's decimals, empty for null).

use crate::schema::{TABLES, Table};

use super::tables::{DateStyle, db_header, for_each_row, write_cell};
use super::{Chunk, Part, RenderContext, Stream, TableStream};

/// The CSV tables.
pub struct CsvTables {
    tables: Vec<&'static Table>,
}

impl CsvTables {
    /// All tables.
    pub fn all() -> CsvTables {
        CsvTables {
            tables: TABLES.to_vec(),
        }
    }

    /// Only the given tables.
    pub fn only(tables: Vec<&'static Table>) -> CsvTables {
        CsvTables { tables }
    }
}

impl TableStream for CsvTables {
    type Item = &'static Table;

    fn items(&self) -> &[&'static Table] {
        &self.tables
    }

    fn stream(&self, t: &&'static Table) -> Stream {
        Stream::text(format!("csv/{}.csv", t.name), db_header(t, b',', b"\r\n"))
    }

    fn part(&self, ctx: &RenderContext<'_>, chunk: &Chunk, &t: &&'static Table) -> Part {
        Part::text(ctx, |out| {
            for_each_row(chunk, t, |row| {
                for (i, (c, v)) in t.columns.iter().zip(row.vals).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    match v.as_str() {
                        Some(s) => push_field(out, s.as_bytes()),
                        None => write_cell(out, c, v, DateStyle::Iso),
                    }
                }
                out.extend_from_slice(b"\r\n");
            })
        })
    }
}

/// Appends a CSV field, quoted (with doubled quotes) only when it must be.
pub fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    if field
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        for &b in field {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut out = Vec::new();
        push_field(&mut out, b"plain");
        out.push(b'|');
        push_field(&mut out, b"a,b");
        out.push(b'|');
        push_field(&mut out, b"say \"hi\"");
        assert_eq!(out, b"plain|\"a,b\"|\"say \"\"hi\"\"\"");
    }
}
