//! RIF: the files the Blue Button back end (BFD) ingests, one per record type
//! (`rif/<type>.txt`: beneficiary, carrier, inpatient, outpatient, dme, hha, hospice, snf,
//! pde). As in CCW's extracts: `|`-delimited, no quoting, LF line ends, an upper-case header of
//! RIF column names in RIF order with `DML_IND` first, `INSERT` in every row, `DD-MON-YYYY`
//! dates, amounts with their column's decimals, empty for null, and one row per claim line with
//! the claim's columns repeated.

use super::tables::{DateStyle, RifFile, write_cell};
use super::{Chunk, Part, RenderContext, Stream, TableStream};

/// The RIF files.
pub struct RifTables {
    files: Vec<RifFile>,
}

impl RifTables {
    /// Every RIF file.
    pub fn all() -> RifTables {
        RifTables {
            files: RifFile::all(),
        }
    }
}

impl TableStream for RifTables {
    type Item = RifFile;

    fn items(&self) -> &[RifFile] {
        &self.files
    }

    fn stream(&self, f: &RifFile) -> Stream {
        Stream::text(format!("rif/{}.txt", f.name), f.header())
    }

    fn part(&self, ctx: &RenderContext<'_>, chunk: &Chunk, f: &RifFile) -> Part {
        Part::text(ctx, |out| {
            f.for_each_row(chunk, |record, line| {
                out.extend_from_slice(b"INSERT");
                for (c, v) in f.table.columns.iter().zip(record.vals) {
                    out.push(b'|');
                    write_cell(out, c, v, DateStyle::Rif);
                }
                if let Some(lt) = f.lines {
                    for (i, c) in lt.columns.iter().enumerate() {
                        if c.rif.is_some() {
                            out.push(b'|');
                            if let Some(l) = line {
                                write_cell(out, c, &l.vals[i], DateStyle::Rif);
                            }
                        }
                    }
                }
                out.push(b'\n');
            })
        })
    }
}
