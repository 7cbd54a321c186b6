//! FHIR R4 as the Blue Button v2 API serves it: Patient, Coverage and ExplanationOfBenefit
//! with the CARIN C4BB profiles. [`super::arrangement`] holds each claim type's arrangement as data; the
//! resource writers read it and the version-neutral layer (`elements`, `vars`, `bundle`).

pub mod coverage;
pub mod eob;
pub mod patient;

pub use super::bene::parts;
use super::json::J;
pub use coverage::write_coverage;
pub use eob::{EobContext, write_eob};
pub use patient::write_patient;

/// `"meta":{"lastUpdated":…,"profile":[<profile>]}`.
fn meta(j: &mut J<'_>, last_updated: &str, profile: &str) {
    let m = j.obj("meta");
    j.lit("lastUpdated", last_updated);
    let a = j.arr("profile");
    j.elem_str(profile);
    j.end_arr(a);
    j.end(m);
}
