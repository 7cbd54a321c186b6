//! Streams ExplanationOfBenefit NDJSON for a range of users to stdout from the library, one
//! beneficiary at a time in constant memory: the shape of a test harness feeding a FHIR parser.
//!
//! `cargo run --release --example stream_ndjson -- 100 | wc -l`

use std::io::{BufWriter, Write};

use bbgen::codes::Codes;
use bbgen::emit::fhir::Renderer;
use bbgen::{Dataset, Options};

fn main() {
    let users: u64 = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("a number of users"))
        .unwrap_or(100);
    let ds = Dataset::new(Options {
        users,
        ..Options::default()
    })
    .expect("valid options");
    if let Err(e) = stream(&ds, users) {
        eprintln!("error: cannot write to stdout: {e}");
        std::process::exit(1);
    }
}

fn stream(ds: &Dataset, users: u64) -> std::io::Result<()> {
    let r = Renderer::new(ds.options(), Codes::builtin_ref());
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut line = Vec::with_capacity(64 << 10);
    for (_, claims) in (0..users).flat_map(|i| ds.chunk(i..i + 1)) {
        for c in &claims {
            line.clear();
            r.eob(&mut line, c);
            line.push(b'\n');
            out.write_all(&line)?;
        }
    }
    out.flush()
}
