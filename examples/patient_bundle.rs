//! One patient's FHIR document, computed alone from the library: the Patient, its Coverage
//! searchset and its ExplanationOfBenefit searchset pages, as `fhir/bundles/<id>.json` holds
//! them, without generating anyone else.
//!
//! `cargo run --release --example patient_bundle -- BBUser00042`

use std::io::Write;

use bbgen::codes::Codes;
use bbgen::emit::fhir::Renderer;
use bbgen::model::ids;
use bbgen::{Dataset, Options};

fn main() {
    let who = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "BBUser00042".into());
    let Some(i) = ids::index_of_username(&who) else {
        eprintln!("error: '{who}' is not a sandbox user name such as BBUser00042");
        std::process::exit(2);
    };
    let options = Options {
        users: 30_000.max(i + 1),
        ..Options::default()
    };
    let ds = Dataset::new(options).expect("valid options");
    let (bene, claims) = (ds.beneficiary(i), ds.claims(i));
    let mut out = Vec::new();
    Renderer::new(ds.options(), Codes::builtin_ref()).bundle(&mut out, &bene, &claims);
    out.push(b'\n');
    if let Err(e) = std::io::stdout().write_all(&out) {
        eprintln!("error: cannot write to stdout: {e}");
        std::process::exit(1);
    }
    eprintln!("{who}: {} claims, {} bytes", claims.len(), out.len());
}
