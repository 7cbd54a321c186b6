//! FHIR R4 as the Blue Button v2 API serves it: Patient, Coverage and ExplanationOfBenefit
//! with the CARIN C4BB profiles. [`c4bb`] holds each claim type's arrangement as data; the
//! resource writers read it and the version-neutral layer (`elements`, `vars`, `bundle`).

pub mod c4bb;
pub mod coverage;
pub mod eob;
pub mod patient;

use crate::dataset::Options;
use crate::model::{Beneficiary, Claim};

use super::bundle::{self, Collection, DEFAULT_COUNT, Page, SANDBOX_BASE};
use super::json::J;
pub use coverage::{parts, write_coverage};
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

    /// The per-patient document (see the `fhir` module docs): a collection of the Patient,
    /// the `Coverage?beneficiary=` searchset and every page of the `ExplanationOfBenefit?patient=`
    /// searchset, as the sandbox pages them by default; compact JSON with a final newline.
    pub fn bundle(&self, out: &mut Vec<u8>, b: &Beneficiary, claims: &[Claim]) {
        let mut id = itoa::Buffer::new();
        let id = id.format(b.bene_id);
        let lu = self.last_updated.as_str();
        let mut doc = Collection::begin(out, id, lu);
        doc.entry(|out| self.patient(out, b));

        let parts: Vec<char> = parts(b).collect();
        let beneficiary = format!("Patient%2F{id}");
        let params = [("beneficiary", beneficiary.as_str())];
        let page = Page {
            base: SANDBOX_BASE,
            resource: "Coverage",
            params: &params,
            count: DEFAULT_COUNT,
            start: 0,
            total: parts.len(),
        };
        doc.entry(|out| {
            bundle::searchset(out, &format!("{id}-coverage"), lu, &page, |out, i| {
                self.coverage(out, b, parts[i])
            })
        });

        let order = eob_order(claims);
        let params = [("patient", id)];
        let page = Page {
            resource: "ExplanationOfBenefit",
            params: &params,
            total: order.len(),
            ..page
        };
        for start in bundle::page_starts(page.total, page.count) {
            doc.entry(|out| {
                let page = page.at(start);
                bundle::searchset(out, &format!("{id}-eob-{start}"), lu, &page, |out, i| {
                    self.eob(out, &claims[order[i]])
                })
            });
        }
        doc.end();
    }
}

/// The order in which the API lists a patient's EOBs: the indexes of `claims` sorted by
/// resource id (`<type>-<claim id>`, as bytes).
pub fn eob_order(claims: &[Claim]) -> Vec<usize> {
    let ids: Vec<Vec<u8>> = claims
        .iter()
        .map(|c| {
            let mut id = Vec::with_capacity(32);
            eob::write_id(&mut id, c);
            id
        })
        .collect();
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by(|a, b| ids[*a].cmp(&ids[*b]));
    order
}
