//! FHIR STU3 (3.0.2) as the Blue Button v1 API serves it: Patient, Coverage and
//! ExplanationOfBenefit in the shape of BFD's v1 responses, plus what STU3 itself requires
//! and BFD's responses leave out (the contained ReferralRequest's `intent`, a
//! `diagnosisCodeableConcept` on the DRG diagnosis, a `sequence` on the Part D `detail`).
//!
//! The claim's variables are the same in both API versions: the columns each claim type
//! writes as extensions, information, adjudications and balances are the lists of its
//! arrangement in [`super::arrangement`]; this module decides only where STU3 puts them (v1 has
//! no C4BB categories: every category is the Blue Button code system of its variable, money
//! is a STU3 `Money` quantity, and the benefit balances that are amounts are extensions).

mod coverage;
pub mod eob;
mod patient;

use super::json::J;
pub use coverage::write_coverage;
pub use eob::write_eob;
pub use patient::write_patient;

/// ISO 4217, the system of a STU3 `Money`.
const ISO4217: &str = "urn:iso:std:iso:4217";

/// `"meta":{"lastUpdated":…}` (v1 names no profile).
fn meta(j: &mut J<'_>, last_updated: &str) {
    let m = j.obj("meta");
    j.lit("lastUpdated", last_updated);
    j.end(m);
}

/// `"k":{"value":…,"system":"urn:iso:std:iso:4217","code":"USD"}`: a STU3 `Money`.
fn money(j: &mut J<'_>, k: &str, cents: Option<i64>, scale: u16) {
    if let Some(c) = cents {
        let o = j.obj(k);
        j.dec("value", c, scale);
        j.lit("system", ISO4217);
        j.lit("code", "USD");
        j.end(o);
    }
}
