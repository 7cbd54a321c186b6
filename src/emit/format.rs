//! The registry of output formats: their names, the defaults, what each implies, and the
//! emitter that writes each. Adding a format is one emitter file plus one line here.

use crate::emit::tables::ParquetCompression;
use crate::emit::{Emitter, csv, rif, sql};
use crate::sink::Compression;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// CSV tables with BFD column names.
    Csv,
    /// FHIR R4 NDJSON (Patient, Coverage, ExplanationOfBenefit).
    Fhir,
    /// FHIR per-patient bundles (`fhir/bundles/<patient-id>.json`).
    Bundles,
    /// Parquet tables (the same columns, typed).
    #[cfg(feature = "parquet")]
    Parquet,
    /// RIF files as BFD ingests them.
    Rif,
    /// PostgreSQL schema and load scripts (for the CSV tables, which it implies).
    Sql,
}

impl Format {
    /// Every format, in the order `--formats all` lists them.
    pub const ALL: &[Format] = &[
        Format::Csv,
        Format::Fhir,
        Format::Bundles,
        #[cfg(feature = "parquet")]
        Format::Parquet,
        Format::Rif,
        Format::Sql,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Fhir => "fhir",
            Format::Bundles => "bundles",
            #[cfg(feature = "parquet")]
            Format::Parquet => "parquet",
            Format::Rif => "rif",
            Format::Sql => "sql",
        }
    }

    /// The formats written when `--formats` is not given.
    pub fn defaults() -> Vec<Format> {
        vec![
            Format::Fhir,
            Format::Csv,
            #[cfg(feature = "parquet")]
            Format::Parquet,
        ]
    }

    /// `formats` sorted, without repeats, and with what they imply (`sql` loads the CSV
    /// tables, so it brings `csv`).
    pub fn resolve(mut formats: Vec<Format>) -> Vec<Format> {
        if formats.contains(&Format::Sql) {
            formats.push(Format::Csv);
        }
        formats.sort();
        formats.dedup();
        formats
    }
}

/// The emitters of the formats of a run, in the order their streams are opened.
pub fn emitters(
    formats: &[Format],
    compress: Compression,
    parquet_compression: ParquetCompression,
) -> Vec<Box<dyn Emitter>> {
    let mut e: Vec<Box<dyn Emitter>> = Vec::new();
    for f in formats {
        match f {
            Format::Csv => e.push(Box::new(csv::CsvTables::all())),
            Format::Fhir => e.push(Box::new(crate::emit::fhir::FhirNdjson)),
            Format::Bundles => e.push(Box::new(crate::emit::fhir::FhirBundles)),
            #[cfg(feature = "parquet")]
            Format::Parquet => e.push(Box::new(crate::emit::parquet::ParquetTables {
                compression: parquet_compression,
            })),
            Format::Rif => e.push(Box::new(rif::RifTables::all())),
            Format::Sql => e.push(Box::new(sql::SqlScripts {
                csv_compression: compress,
            })),
        }
    }
    e
}
