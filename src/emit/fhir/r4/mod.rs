//! FHIR R4 as the Blue Button v2 API serves it: Patient, Coverage and ExplanationOfBenefit
//! with the CARIN C4BB profiles. [`c4bb`] holds each claim type's arrangement as data; the
//! resource writers read it and the version-neutral layer (`elements`, `vars`, `bundle`).

pub mod c4bb;
pub mod coverage;
pub mod eob;
pub mod patient;
pub mod search;

use crate::Options;
use crate::model::{Beneficiary, Claim};

use super::elements::write_value;
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
    let keys: Vec<(Vec<u8>, &str)> = claims
        .iter()
        .map(|c| {
            let mut id = Vec::with_capacity(24);
            write_value(&mut id, &c.header.get(c4bb::spec(c.kind).rules.id.0));
            (id, c.kind.name())
        })
        .collect();
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
    order
}
