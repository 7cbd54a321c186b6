//! One patient's FHIR document, computed alone from the library: the Patient, its Coverage
//! searchset and its ExplanationOfBenefit searchset pages, as `fhir/bundles/<id>.json` holds
//! them, without generating anyone else.
//!
//! `cargo run --release --example patient_bundle -- BBUser00042`

use std::io::Write;

use bbgen::Options;
use bbgen::api::Api;
use bbgen::model::ids;

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
    let api = Api::new(options).expect("valid options");
    let out = api.document(i);
    if let Err(e) = std::io::stdout().write_all(&out) {
        eprintln!("error: cannot write to stdout: {e}");
        std::process::exit(1);
    }
    eprintln!("{who}: {} bytes", out.len());
}
