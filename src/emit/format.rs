//! The registry of output formats: their names, the defaults, what each implies, and the
//! emitter that writes each. Adding a format is one emitter file plus one line in the
//! `formats!` table below.

use crate::emit::compress::Compression;
use crate::emit::fhir::FhirVersion;
use crate::emit::tables::ParquetCompression;
use crate::emit::{Emitter, csv, fhir, rif, sql};

/// What the emitters of a run need to know besides the data: how outputs are compressed.
#[derive(Clone, Copy, Debug)]
pub struct EmitConfig {
    /// Compression of text outputs.
    pub compress: Compression,
    /// Compression of Parquet pages.
    pub parquet_compression: ParquetCompression,
    /// The shard the run writes (`k` of `n`, 1-based): Parquet writes it as part files.
    pub shard: Option<(u64, u64)>,
}

/// Declares [`Format`] from one line per format: its doc, an optional `cfg`, the variant, its
/// command-line name, whether it is written by default, and how its emitter is made from the
/// [`EmitConfig`].
macro_rules! formats {
    ($( $(#[doc = $doc:literal])* $(#[cfg($on:meta)])?
        $variant:ident = $name:literal, default = $default:literal
        => |$cfg:ident| $make:expr; )*) => {
        /// Output formats, in the order their files are opened.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Format {
            $( $(#[doc = $doc])* $(#[cfg($on)])? $variant, )*
        }

        impl Format {
            /// Every format, in the order `--formats all` lists them.
            pub const ALL: &[Format] = &[ $( $(#[cfg($on)])? Format::$variant, )* ];

            /// The name used on the command line.
            pub fn name(self) -> &'static str {
                match self { $( $(#[cfg($on)])? Format::$variant => $name, )* }
            }

            /// Whether it is written when `--formats` is not given.
            fn is_default(self) -> bool {
                match self { $( $(#[cfg($on)])? Format::$variant => $default, )* }
            }

            /// The emitter that writes this format.
            fn emitter(self, config: &EmitConfig) -> Box<dyn Emitter> {
                match self {
                    $( $(#[cfg($on)])? Format::$variant => {
                        let $cfg = config;
                        $make
                    } )*
                }
            }
        }
    };
}

formats! {
    /// CSV tables with BFD column names.
    Csv = "csv", default = true => |_c| Box::new(csv::CsvTables::all());
    /// FHIR R4 NDJSON (Patient, Coverage, ExplanationOfBenefit).
    Fhir = "fhir", default = true => |_c| Box::new(fhir::FhirNdjson(FhirVersion::R4));
    /// FHIR per-patient bundles (`fhir/bundles/<patient-id>.json`; STU3 ones too in
    /// `fhir-stu3/bundles/` when `fhir-stu3` is written).
    Bundles = "bundles", default = false => |_c| Box::new(fhir::FhirBundles(FhirVersion::R4));
    /// Parquet tables (the same columns, typed).
    #[cfg(feature = "parquet")]
    Parquet = "parquet", default = true
        => |c| Box::new(crate::emit::parquet::ParquetTables::new(c.parquet_compression, c.shard));
    /// RIF files as BFD ingests them.
    Rif = "rif", default = false => |_c| Box::new(rif::RifTables::all());
    /// PostgreSQL schema and load scripts (for the CSV tables, which it implies).
    Sql = "sql", default = false => |c| Box::new(sql::SqlScripts { csv_compression: c.compress });
    /// FHIR STU3 NDJSON as the v1 API serves it (`fhir-stu3/`).
    FhirStu3 = "fhir-stu3", default = false => |_c| Box::new(fhir::FhirNdjson(FhirVersion::Stu3));
}

impl Format {
    /// The formats written when `--formats` is not given.
    pub fn defaults() -> Vec<Format> {
        Format::ALL
            .iter()
            .copied()
            .filter(|f| f.is_default())
            .collect()
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

/// The emitters of the formats of a run, in the order their streams are opened; `bundles`
/// with `fhir-stu3` also writes the STU3 documents.
pub fn emitters(formats: &[Format], config: &EmitConfig) -> Vec<Box<dyn Emitter>> {
    let mut all: Vec<Box<dyn Emitter>> = formats.iter().map(|f| f.emitter(config)).collect();
    if formats.contains(&Format::Bundles) && formats.contains(&Format::FhirStu3) {
        all.push(Box::new(fhir::FhirBundles(FhirVersion::Stu3)));
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_defaults_are_fhir_and_the_tables() {
        let mut names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Format::ALL.len());
        let want = [
            Format::Csv,
            Format::Fhir,
            #[cfg(feature = "parquet")]
            Format::Parquet,
        ];
        assert_eq!(Format::defaults(), want);
        assert_eq!(
            Format::resolve(vec![Format::Sql, Format::Fhir, Format::Sql]),
            vec![Format::Csv, Format::Fhir, Format::Sql]
        );
    }

    #[test]
    fn every_format_has_an_emitter_and_only_sql_writes_no_stream_or_file_per_chunk() {
        let config = EmitConfig {
            compress: Compression::None,
            parquet_compression: ParquetCompression::Snappy,
            shard: None,
        };
        for (f, e) in Format::ALL.iter().zip(emitters(Format::ALL, &config)) {
            let streams = e.streams();
            assert!(
                streams.iter().all(|s| !s.path.is_empty()),
                "{}: {streams:?}",
                f.name()
            );
            let writes_per_chunk = !streams.is_empty() || *f == Format::Bundles;
            assert_eq!(writes_per_chunk, *f != Format::Sql, "{}", f.name());
        }
    }
}
