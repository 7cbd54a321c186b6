//! CSV: one RFC 4180 file per table (`csv/<table>.csv`, CRLF line ends, a header row of BFD
//! database column names, ISO dates, amounts with their scale's decimals, empty for null),
//! plus the sandbox log-ins in `credentials.csv`.

use crate::schema::{TABLES, Table};

use super::tables::{DateStyle, for_each_row, write_cell};
use super::{Chunk, Emitter, Part, RenderContext, Stream, StreamKind, WrittenFile};

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

impl Emitter for CsvTables {
    fn streams(&self) -> Vec<Stream> {
        self.tables
            .iter()
            .map(|t| {
                let mut header = Vec::new();
                for (i, c) in t.columns.iter().enumerate() {
                    if i > 0 {
                        header.push(b',');
                    }
                    header.extend_from_slice(c.db.as_bytes());
                }
                header.extend_from_slice(b"\r\n");
                Stream {
                    path: format!("csv/{}.csv", t.name),
                    header,
                    kind: StreamKind::Text,
                }
            })
            .collect()
    }

    fn render(
        &self,
        ctx: &RenderContext<'_>,
        chunk: &Chunk,
        parts: &mut Vec<Part>,
        _files: &mut Vec<WrittenFile>,
    ) -> std::io::Result<()> {
        for &t in &self.tables {
            let mut out = ctx.buffers.take();
            let rows = for_each_row(chunk, t, |row| {
                for (i, (c, v)) in t.columns.iter().zip(row.vals).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    match v.as_str() {
                        Some(s) => push_field(&mut out, s.as_bytes()),
                        None => write_cell(&mut out, c, v, DateStyle::Iso),
                    }
                }
                out.extend_from_slice(b"\r\n");
            });
            parts.push(Part::bytes(rows, out));
        }
        Ok(())
    }
}

/// The sandbox log-ins: `credentials.csv`.
pub struct Credentials;

impl Emitter for Credentials {
    fn streams(&self) -> Vec<Stream> {
        vec![Stream {
            path: "credentials.csv".into(),
            header: b"username,password,patient_id,mbi,given_name,family_name\r\n".to_vec(),
            kind: StreamKind::Plain,
        }]
    }

    fn render(
        &self,
        ctx: &RenderContext<'_>,
        chunk: &Chunk,
        parts: &mut Vec<Part>,
        _files: &mut Vec<WrittenFile>,
    ) -> std::io::Result<()> {
        use crate::schema::Col;
        let mut out = ctx.buffers.take();
        let mut id = itoa::Buffer::new();
        for (b, _) in &chunk.entries {
            let r = &b.record;
            let text = |c| r.get(c).as_str().map(str::to_owned).unwrap_or_default();
            out.extend_from_slice(b.username.as_str().as_bytes());
            out.push(b',');
            out.extend_from_slice(b.password.as_str().as_bytes());
            out.push(b',');
            out.extend_from_slice(id.format(b.bene_id).as_bytes());
            for field in [
                text(Col::MBI_NUM),
                text(Col::BENE_GVN_NAME),
                text(Col::BENE_SRNM_NAME),
            ] {
                out.push(b',');
                push_field(&mut out, field.as_bytes());
            }
            out.extend_from_slice(b"\r\n");
        }
        parts.push(Part::bytes(chunk.entries.len() as u64, out));
        Ok(())
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
