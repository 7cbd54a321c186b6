//! FHIR R4 as the Blue Button v2 API serves it: Patient, Coverage and ExplanationOfBenefit
//! with the CARIN C4BB profiles. [`c4bb`] holds each claim type's arrangement as data; the
//! resource writers read it and the version-neutral layer (`elements`, `vars`, `bundle`).

pub mod c4bb;
pub mod coverage;
pub mod eob;
pub mod patient;
pub mod search;

use crate::Options;
use crate::model::{Beneficiary, Claim, ClaimType};

use super::json::J;
pub use coverage::{parts, write_coverage};
pub use eob::{EobContext, write_eob};
pub use patient::write_patient;
pub use search::PageRequest;

/// `"meta":{"lastUpdated":…,"profile":[<profile>]}`.
fn meta(j: &mut J<'_>, last_updated: &str, profile: &str) {
    let m = j.obj("meta");
    j.lit("lastUpdated", last_updated);
    let a = j.arr("profile");
    j.elem_str(profile);
    j.end_arr(a);
    j.end(m);
}

/// Renders one beneficiary's R4 resources.
pub struct Renderer<'a> {
    last_updated: String,
    created: crate::value::Date,
    codes: &'a crate::codes::Codes,
}

impl<'a> Renderer<'a> {
    /// For a run with these options and code tables.
    pub fn new(options: &Options, codes: &'a crate::codes::Codes) -> Renderer<'a> {
        Renderer {
            last_updated: super::last_updated(options),
            created: options.end_date,
            codes,
        }
    }

    /// The Patient.
    pub fn patient(&self, out: &mut Vec<u8>, b: &Beneficiary) {
        write_patient(out, b, &self.last_updated);
    }

    /// The Coverage of one part.
    pub fn coverage(&self, out: &mut Vec<u8>, b: &Beneficiary, part: char) {
        write_coverage(out, b, part, &self.last_updated);
    }

    /// One ExplanationOfBenefit.
    pub fn eob(&self, out: &mut Vec<u8>, c: &Claim) {
        write_eob(
            out,
            c,
            &EobContext {
                last_updated: &self.last_updated,
                created: self.created,
                codes: self.codes,
            },
        );
    }

    /// `meta.lastUpdated` of every resource this renderer writes.
    pub fn last_updated(&self) -> &str {
        &self.last_updated
    }
}

/// The order in which the API lists a patient's EOBs: the indexes of `claims` sorted by claim
/// id as a string (BFD sorts the decimal ids as text), then by claim type.
pub fn eob_order(claims: &[Claim]) -> Vec<usize> {
    let ids: Vec<(ClaimType, i64)> = claims
        .iter()
        .map(|c| {
            let id = c.header.get(c.kind.info().id_column).as_int();
            (c.kind, id.expect("claim ids are integers"))
        })
        .collect();
    eob_order_of_ids(&ids)
}

/// [`eob_order`] from each claim's type and id alone, so a page can be picked before any
/// claim is generated.
pub fn eob_order_of_ids(ids: &[(ClaimType, i64)]) -> Vec<usize> {
    let keys: Vec<(String, &str)> = ids
        .iter()
        .map(|(t, id)| (id.to_string(), t.name()))
        .collect();
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
    order
}
