//! Micro-benchmarks of the generating core and the table renderers (`cargo bench`).
//! End-to-end throughput is measured by `benches/output.py` (against the page cache) and
//! `benches/throughput.sh` (against the disk).

use bbgen::emit::csv::CsvTables;
use bbgen::emit::{Chunk, Emitter, Out, RenderContext};
use bbgen::model::ClaimType;
use bbgen::{Dataset, Options};

fn main() {
    divan::main();
}

fn dataset() -> Dataset {
    Dataset::new(Options {
        users: 30_000,
        ..Options::default()
    })
    .expect("valid options")
}

/// One beneficiary (demographics, address, a year of monthly enrollment).
#[divan::bench]
fn beneficiary(b: divan::Bencher) {
    let ds = dataset();
    let mut i = 0;
    b.bench_local(|| {
        i = (i + 1) % 30_000;
        ds.beneficiary(i)
    });
}

/// One claim of each type, generated from its card.
#[divan::bench(args = ClaimType::ALL.map(|t| t.name()))]
fn claim(b: divan::Bencher, name: &str) {
    let ds = dataset();
    let t = ClaimType::from_name(name).expect("type");
    let n = ds.claims_of(ds.options().user_range())[t].max(1);
    let holder = ds.beneficiary(0);
    let mut k = 0;
    b.bench_local(|| {
        k = (k + 1) % n;
        ds.claim(t, k, &holder)
    });
}

/// A chunk of 64 beneficiaries with their claims, dealt from the decks.
#[divan::bench]
fn chunk_of_64(b: divan::Bencher) {
    let ds = dataset();
    b.bench_local(|| ds.chunk(640..704));
}

fn render_bench(b: divan::Bencher, e: &dyn Emitter) {
    let ds = dataset();
    let chunk = Chunk {
        entries: ds.chunk(640..704),
    };
    let buffers = bbgen::emit::BufferPool::default();
    let ctx = RenderContext {
        options: ds.options(),
        buffers: &buffers,
        codes: bbgen::codes::Codes::builtin_ref(),
    };
    let render = || {
        let mut out = Out::default();
        e.render(&ctx, &chunk, &mut out);
        let mut bytes = 0;
        for b in out.parts.into_iter().filter_map(|p| p.into_bytes()) {
            bytes += b.len();
            buffers.give(b);
        }
        bytes
    };
    // Text formats count output bytes; Parquet batches count beneficiaries.
    match render() {
        0 => b
            .counter(divan::counter::ItemsCount::new(64u32))
            .bench_local(render),
        bytes => b
            .counter(divan::counter::BytesCount::new(bytes))
            .bench_local(render),
    };
}

/// FHIR NDJSON rendering of a 64-beneficiary chunk (Patient, Coverage, ExplanationOfBenefit).
#[divan::bench]
fn fhir_chunk(b: divan::Bencher) {
    render_bench(
        b,
        &bbgen::emit::fhir::FhirNdjson(bbgen::emit::fhir::FhirVersion::R4),
    );
}

/// CSV rendering of a 64-beneficiary chunk (all 16 tables).
#[divan::bench]
fn csv_chunk(b: divan::Bencher) {
    render_bench(b, &CsvTables::all());
}

/// Parquet rows of a 64-beneficiary chunk (all 16 tables), as the workers hand them to the
/// tables' writers (the encoding happens there).
#[cfg(feature = "parquet")]
#[divan::bench]
fn parquet_chunk(b: divan::Bencher) {
    render_bench(
        b,
        &bbgen::emit::parquet::ParquetTables::new(Default::default(), None),
    );
}

/// RIF rendering of a 64-beneficiary chunk (all 9 files).
#[divan::bench]
fn rif_chunk(b: divan::Bencher) {
    render_bench(b, &bbgen::emit::rif::RifTables::all());
}
