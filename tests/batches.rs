//! `bbgen::batches`: the Arrow batches of any part of a run hold the rows the CLI writes to
//! Parquet for those users, for every table, and the lines of its FHIR NDJSON files, for every
//! resource type, however the run is split and whatever the batch limits; the parts are the
//! `--shard` ranges.

#![cfg(feature = "parquet")]

mod common;

use std::fs::File;
use std::sync::Arc;

use arrow_array::{Array, RecordBatch, StringArray};
use bbgen::batches::{self, Limits, Source};
use bbgen::schema::TABLES;
use bbgen::{Dataset, Options};
use common::generate;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

const USERS: u64 = 40;
const SEED: u64 = 11;

fn options() -> Options {
    Options {
        users: USERS,
        seed: SEED,
        offset: 5,
        ..Options::default()
    }
}

/// A Parquet file's rows as one batch.
fn parquet_rows(path: &std::path::Path) -> RecordBatch {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let schema = builder.schema().clone();
    let batches: Vec<_> = builder.build().unwrap().map(|b| b.unwrap()).collect();
    arrow_select::concat::concat_batches(&schema, &batches).unwrap()
}

/// The batches of every part of `n`, in order, with `limits`; asserts each batch keeps them.
fn parts_rows(ds: &Arc<Dataset>, table: &str, n: u64, limits: Limits) -> RecordBatch {
    let source = Source::named(table).unwrap();
    let mut all = Vec::new();
    for part in ds.options().split(n) {
        for b in batches::read(ds.clone(), source, part, limits).unwrap() {
            let b = b.unwrap();
            assert!(b.num_rows() > 0 && b.num_rows() <= limits.rows, "{table}");
            all.push(b);
        }
    }
    arrow_select::concat::concat_batches(&source.schema(), &all).unwrap()
}

/// The limits every comparison is made with: the default, few rows, few bytes.
const LIMITS: [Limits; 3] = [
    Limits {
        rows: 64 * 1024,
        bytes: 64 << 20,
    },
    Limits {
        rows: 7,
        bytes: usize::MAX,
    },
    Limits {
        rows: usize::MAX,
        bytes: 4096,
    },
];

/// The values of a one-column batch of NDJSON lines.
fn lines(b: &RecordBatch) -> Vec<&str> {
    assert_eq!(b.num_columns(), 1);
    let col = b.column(0).as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(col.null_count(), 0);
    col.iter().map(Option::unwrap).collect()
}

#[test]
fn parts_concatenate_to_the_cli_tables_and_ndjson_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (users, seed) = (USERS.to_string(), SEED.to_string());
    let out = generate(
        tmp.path(),
        "run",
        &[
            "--users",
            &users,
            "--seed",
            &seed,
            "--offset",
            "5",
            "--formats",
            "parquet,fhir,fhir-stu3",
        ],
    );
    assert_eq!(LIMITS[0], Limits::default());
    let ds = Arc::new(Dataset::new(options()).unwrap());
    let mut filled = 0;
    for t in TABLES {
        let cli = parquet_rows(&out.join(format!("parquet/{}.parquet", t.name)));
        filled += usize::from(cli.num_rows() > 0);
        for n in [1, 3, 7] {
            for l in LIMITS {
                let ours = parts_rows(&ds, t.name, n, l);
                assert_eq!(ours.schema().fields(), cli.schema().fields(), "{}", t.name);
                assert_eq!(
                    ours.columns(),
                    cli.columns(),
                    "{}, {n} parts, {l:?}",
                    t.name
                );
            }
        }
    }
    assert!(filled >= 12, "only {filled} tables have rows");
    let fhir: Vec<Source> = Source::all()
        .into_iter()
        .filter(|s| matches!(s, Source::Fhir(..)))
        .collect();
    assert_eq!(fhir.len(), 6);
    for source in fhir {
        let name = source.name();
        let file = std::fs::read_to_string(out.join(format!("{name}.ndjson"))).unwrap();
        let want: Vec<&str> = file.lines().collect();
        assert!(!want.is_empty(), "{name} has no lines");
        for n in [1, 3, 7] {
            for l in LIMITS {
                let ours = parts_rows(&ds, &name, n, l);
                assert_eq!(ours.schema(), source.schema());
                assert!(lines(&ours) == want, "{name}, {n} parts, {l:?}");
            }
        }
    }
}

#[test]
fn fhir_batches_end_at_the_row_and_byte_limits() {
    let ds = Arc::new(Dataset::new(options()).unwrap());
    let source = Source::named("fhir/ExplanationOfBenefit").unwrap();
    for limits in [
        Limits {
            rows: usize::MAX,
            bytes: 32 << 10,
        },
        Limits {
            rows: 5,
            bytes: usize::MAX,
        },
    ] {
        let all: Vec<RecordBatch> = batches::read(ds.clone(), source, 5..45, limits)
            .unwrap()
            .map(|b| b.unwrap())
            .collect();
        assert!(all.len() > 3, "{} batches", all.len());
        for b in &all[..all.len() - 1] {
            // A line counts its text and its offset.
            let sizes: Vec<usize> = lines(b).iter().map(|l| l.len() + 4).collect();
            let total: usize = sizes.iter().sum();
            let full = sizes.len() == limits.rows || total >= limits.bytes;
            let without_last =
                sizes.len() - 1 < limits.rows && total - sizes[sizes.len() - 1] < limits.bytes;
            assert!(
                full && without_last,
                "{limits:?}: {} rows, {total} bytes",
                sizes.len()
            );
        }
    }
}

#[test]
fn batches_end_at_the_byte_limit() {
    let ds = Arc::new(Dataset::new(options()).unwrap());
    let t = Source::named("carrier_claim_lines").unwrap();
    let limits = Limits {
        rows: usize::MAX,
        bytes: 16 << 10,
    };
    let all: Vec<RecordBatch> = batches::read(ds, t, options().user_range(), limits)
        .unwrap()
        .map(|b| b.unwrap())
        .collect();
    assert!(all.len() > 3, "{} batches", all.len());
    for b in &all[..all.len() - 1] {
        let size = b.get_array_memory_size();
        // Arrow's own count includes validity bitmaps and rounding, the limit only the
        // column data: the two are within a factor of a few.
        assert!((16 << 10..256 << 10).contains(&size), "{size} bytes");
    }
}

#[test]
fn split_gives_the_shard_ranges() {
    let o = options();
    for n in [1u64, 3, 7, 40, 41] {
        let parts = o.split(n);
        assert_eq!(parts.len() as u64, n);
        assert_eq!(parts[0].start, o.user_range().start);
        assert_eq!(parts.last().unwrap().end, o.user_range().end);
        assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
        let sizes: Vec<u64> = parts.iter().map(|p| p.end - p.start).collect();
        assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
    }
}

#[test]
fn shard_files_equal_their_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = Arc::new(Dataset::new(options()).unwrap());
    let t = Source::named("beneficiaries").unwrap();
    let parts = options().split(3);
    for k in 1..=3u64 {
        let shard = format!("{k}/3");
        let out = generate(
            tmp.path(),
            &format!("s{k}"),
            &[
                "--users",
                "40",
                "--seed",
                "11",
                "--offset",
                "5",
                "--formats",
                "parquet,fhir",
                "--shard",
                &shard,
            ],
        );
        let part = &parts[k as usize - 1];
        let read = |source: Source| -> RecordBatch {
            let all: Vec<_> = batches::read(ds.clone(), source, part.clone(), Limits::default())
                .unwrap()
                .map(|b| b.unwrap())
                .collect();
            arrow_select::concat::concat_batches(&source.schema(), &all).unwrap()
        };
        let file = out.join(format!("parquet/beneficiaries/part-{k}-of-3.parquet"));
        let cli = parquet_rows(&file);
        assert_eq!(read(t).columns(), cli.columns(), "shard {k}/3");
        let coverage = std::fs::read_to_string(out.join("fhir/Coverage.ndjson")).unwrap();
        let ours = read(Source::named("fhir/Coverage").unwrap());
        assert!(!coverage.is_empty());
        assert!(
            lines(&ours) == coverage.lines().collect::<Vec<_>>(),
            "shard {k}/3"
        );
    }
}

#[test]
fn bad_requests_are_errors() {
    let ds = Arc::new(Dataset::new(options()).unwrap());
    let e = Source::named("claims").err().unwrap();
    assert!(
        e.contains("carrier_claims") && e.contains("fhir/Patient"),
        "{e}"
    );
    let t = Source::named("beneficiaries").unwrap();
    for users in [0..10, 40..46, std::ops::Range { start: 10, end: 5 }] {
        let e = batches::read(ds.clone(), t, users.clone(), Limits::default())
            .err()
            .unwrap();
        assert!(e.contains("5..45"), "{users:?}: {e}");
    }
    let zero = Limits { rows: 0, bytes: 1 };
    assert!(batches::read(ds, t, 5..45, zero).is_err());
}
