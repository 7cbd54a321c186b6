//! FHIR R4 as the Blue Button v2 API serves it: Patient, Coverage and ExplanationOfBenefit
//! with the CARIN C4BB profiles. [`c4bb`] holds each claim type's arrangement as data; the
//! resource writers read it and the version-neutral layer (`elements`, `vars`, `bundle`).

pub mod c4bb;
pub mod coverage;
pub mod eob;
pub mod patient;

use crate::Options;
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
        let mut doc = Collection::begin(out, id, &self.last_updated);
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
        doc.entry(|out| self.coverage_page(out, &format!("{id}-coverage"), b, &page));

        let order = eob_order(claims);
        let params = [("patient", id)];
        let page = Page {
            resource: "ExplanationOfBenefit",
            params: &params,
            total: claims.len(),
            ..page
        };
        for start in bundle::page_starts(page.total, page.count) {
            let page = page.at(start);
            doc.entry(|out| {
                self.eob_page(out, &format!("{id}-eob-{start}"), claims, &order, &page)
            });
        }
        doc.end();
    }

    /// A `Patient?_id=` search: the one Patient (`page.total` is 1).
    pub fn patient_page(&self, out: &mut Vec<u8>, id: &str, b: &Beneficiary, page: &Page<'_>) {
        bundle::searchset(out, id, &self.last_updated, page, |out, _| {
            self.patient(out, b)
        });
    }

    /// One page of a `Coverage?beneficiary=` search: the Coverage of each of `parts(b)` the
    /// page holds (`page.total` is their number).
    pub fn coverage_page(&self, out: &mut Vec<u8>, id: &str, b: &Beneficiary, page: &Page<'_>) {
        let parts: Vec<char> = parts(b).collect();
        bundle::searchset(out, id, &self.last_updated, page, |out, i| {
            self.coverage(out, b, parts[i])
        });
    }

    /// One page of an `ExplanationOfBenefit?patient=` search over `claims` (already filtered
    /// by any `type=`), listed in `order` (from [`eob_order`]); only the page's EOBs are
    /// rendered.
    pub fn eob_page(
        &self,
        out: &mut Vec<u8>,
        id: &str,
        claims: &[Claim],
        order: &[usize],
        page: &Page<'_>,
    ) {
        bundle::searchset(out, id, &self.last_updated, page, |out, i| {
            self.eob(out, &claims[order[i]])
        });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dataset, Options};

    fn ids(bundle: &serde_json::Value) -> Vec<String> {
        bundle["entry"].as_array().map_or(Vec::new(), |e| {
            e.iter()
                .map(|e| e["resource"]["id"].as_str().unwrap().to_owned())
                .collect()
        })
    }

    /// A server paging with `_count=3` lists the same EOBs, in the same order, as the
    /// document's pages of 10, and `startIndex` picks up where the previous page ended.
    #[test]
    fn eob_pages_of_any_size_list_the_document_order() {
        let opts = Options {
            users: 20,
            ..Options::default()
        };
        let ds = Dataset::new(opts.clone()).unwrap();
        let i = (0..20).max_by_key(|i| ds.claims(*i).len()).unwrap();
        let (b, claims) = (ds.beneficiary(i), ds.claims(i));
        assert!(claims.len() > 10, "a user with more than one page");
        let r = Renderer::new(&opts, crate::codes::Codes::builtin_ref());

        let mut out = Vec::new();
        r.bundle(&mut out, &b, &claims);
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let pages = &doc["entry"].as_array().unwrap()[2..];
        assert_eq!(pages.len(), claims.len().div_ceil(DEFAULT_COUNT));
        let in_doc: Vec<String> = pages.iter().flat_map(|p| ids(&p["resource"])).collect();
        let mut sorted = in_doc.clone();
        sorted.sort();
        assert_eq!(in_doc, sorted, "entries sorted by id");

        let id = b.bene_id.to_string();
        let params = [("patient", id.as_str())];
        let order = eob_order(&claims);
        let mut served = Vec::new();
        for start in bundle::page_starts(claims.len(), 3) {
            let page = Page::new(
                "http://localhost/v2/fhir/",
                "ExplanationOfBenefit",
                &params,
                3,
                start,
                claims.len(),
            )
            .unwrap();
            let mut out = Vec::new();
            r.eob_page(&mut out, "page", &claims, &order, &page);
            let p: serde_json::Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(p["total"], claims.len());
            served.extend(ids(&p));
        }
        assert_eq!(served, in_doc);
    }

    #[test]
    fn patient_and_coverage_searches_hold_their_resources() {
        let opts = Options {
            users: 1,
            ..Options::default()
        };
        let ds = Dataset::new(opts.clone()).unwrap();
        let b = ds.beneficiary(0);
        let r = Renderer::new(&opts, crate::codes::Codes::builtin_ref());
        let id = b.bene_id.to_string();
        let params = [("_id", id.as_str())];
        let page = Page::new(bundle::SANDBOX_BASE, "Patient", &params, 10, 0, 1).unwrap();
        let mut out = Vec::new();
        r.patient_page(&mut out, "p", &b, &page);
        let p: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(p["total"], 1);
        assert_eq!(ids(&p), std::slice::from_ref(&id));

        let n = parts(&b).count();
        let params = [("beneficiary", "Patient%2F1")];
        let page = Page::new(bundle::SANDBOX_BASE, "Coverage", &params, 1, 1, n).unwrap();
        let mut out = Vec::new();
        r.coverage_page(&mut out, "c", &b, &page);
        let c: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(ids(&c), [format!("part-b-{id}")], "the second part alone");
    }
}
