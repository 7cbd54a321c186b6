//! The searches of one patient's resources as the API pages them (the same in v1 and v2) (`Patient?_id=`,
//! `Coverage?beneficiary=`, `ExplanationOfBenefit?patient=`), and the per-patient document
//! that holds the default pages of each. `bbgen::api` (for `bbgen patient`, and a server) and
//! the bundle files call these same functions, so a served page and a file's page are the
//! same bytes.
//!
//! Every page carries the patient's own parameter first (`_id`, `beneficiary=Patient%2F<id>`,
//! `patient`), then whatever else the caller's links carry. A page is named
//! `<patient id>-<resource>-<startIndex>` (`-19990000000001-eob-10`); a first page of Patient
//! or Coverage, the document's only one, drops the `-0`.

use std::borrow::Cow;

use crate::model::{Beneficiary, Claim};
use crate::value::Date;

use super::arrangement;
use super::bundle::{self, Collection, DEFAULT_COUNT, Page, PageError, SANDBOX_BASE};
use super::{Renderer, eob_order, parts};

/// What a caller asks of one page of a patient's search, the patient and resource aside.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest<'a> {
    /// The FHIR base the links start with, ending in `/`.
    pub base: &'a str,
    /// The parameters the links carry after the patient's own, URL-encoded, in request order
    /// (e.g. `[("type", "pde")]`).
    pub params: &'a [(&'a str, &'a str)],
    /// `_count`: resources per page.
    pub count: usize,
    /// `startIndex`: the index of the page's first resource in the whole result.
    pub start: usize,
}

impl PageRequest<'static> {
    /// The first page as the bundle files hold it: the hosted sandbox's base, no other
    /// parameter, the API's default page size.
    pub const DOCUMENT: PageRequest<'static> = PageRequest {
        base: SANDBOX_BASE,
        params: &[],
        count: DEFAULT_COUNT,
        start: 0,
    };
}

impl PageRequest<'_> {
    /// The same request at another `startIndex`.
    pub fn at(self, start: usize) -> Self {
        PageRequest { start, ..self }
    }
}

/// The date `service-date` is compared with: the end of the claim's `billablePeriod` (the
/// claim's through date, a Part D event's fill date), as BFD filters on the service end.
pub fn service_end(c: &Claim) -> Option<Date> {
    c.header
        .get(arrangement::spec(c.kind).rules.period.1)
        .as_date()
}

impl Renderer<'_> {
    /// A `Patient?_id=` search: the Patient `b`, or nothing when `found` is false (a
    /// `_lastUpdated` that excludes it).
    pub fn patient_search(
        &self,
        out: &mut Vec<u8>,
        b: &Beneficiary,
        found: bool,
        req: &PageRequest<'_>,
    ) -> Result<(), PageError> {
        let id = b.bene_id.to_string();
        let total = usize::from(found);
        self.search(
            out,
            ("Patient", "patient"),
            (&id, "_id", &id),
            total,
            req,
            |out, _| self.patient(out, b),
        )
    }

    /// A `Coverage?beneficiary=` search over `selected`, some of `parts(b)` in order.
    pub fn coverage_search(
        &self,
        out: &mut Vec<u8>,
        b: &Beneficiary,
        selected: &[char],
        req: &PageRequest<'_>,
    ) -> Result<(), PageError> {
        let id = b.bene_id.to_string();
        let reference = format!("Patient%2F{id}");
        let own = (id.as_str(), "beneficiary", reference.as_str());
        self.search(
            out,
            ("Coverage", "coverage"),
            own,
            selected.len(),
            req,
            |out, i| self.coverage(out, b, selected[i]),
        )
    }

    /// An `ExplanationOfBenefit?patient=` search finding `total` EOBs: `claim_at(n)` gives the
    /// `n`th in the API's order ([`eob_order`]), and is asked for the page's EOBs only, so a
    /// caller can generate just those.
    pub fn eob_search<'c>(
        &self,
        out: &mut Vec<u8>,
        bene_id: i64,
        total: usize,
        req: &PageRequest<'_>,
        mut claim_at: impl FnMut(usize) -> Cow<'c, Claim>,
    ) -> Result<(), PageError> {
        let id = bene_id.to_string();
        let own = (id.as_str(), "patient", id.as_str());
        let what = ("ExplanationOfBenefit", "eob");
        self.search(out, what, own, total, req, |out, n| {
            self.eob(out, &claim_at(n))
        })
    }

    /// One page of `total` resources of `resource` (named `tag` in page ids) for the patient
    /// `own.0`, whose own parameter is `own.1=own.2`; `entry` writes the resource at an index.
    fn search(
        &self,
        out: &mut Vec<u8>,
        (resource, tag): (&str, &str),
        own: (&str, &str, &str),
        total: usize,
        req: &PageRequest<'_>,
        entry: impl FnMut(&mut Vec<u8>, usize),
    ) -> Result<(), PageError> {
        let (patient, key, value) = own;
        let mut params = Vec::with_capacity(1 + req.params.len());
        params.push((key, value));
        params.extend_from_slice(req.params);
        let page = Page::new(req.base, resource, &params, req.count, req.start, total)?;
        let id = match (tag, req.start) {
            ("eob", start) | (_, start @ 1..) => format!("{patient}-{tag}-{start}"),
            _ => format!("{patient}-{tag}"),
        };
        bundle::searchset(out, &id, self.last_updated(), &page, entry);
        Ok(())
    }

    /// The per-patient document (see the `fhir` module docs): a collection of the Patient,
    /// the first page of its Coverage search and every page of its EOB search, each as
    /// [`PageRequest::DOCUMENT`] asks; compact JSON with a final newline.
    pub fn bundle(&self, out: &mut Vec<u8>, b: &Beneficiary, claims: &[Claim]) {
        const IN_RANGE: &str = "the document's pages start inside their results";
        let req = PageRequest {
            base: self.version().sandbox_base(),
            ..PageRequest::DOCUMENT
        };
        let mut doc = Collection::begin(out, &b.bene_id.to_string(), self.last_updated());
        doc.entry(|out| self.patient(out, b));
        let all: Vec<char> = parts(b).collect();
        doc.entry(|out| self.coverage_search(out, b, &all, &req).expect(IN_RANGE));
        let order = eob_order(claims);
        for start in bundle::page_starts(claims.len(), req.count) {
            doc.entry(|out| {
                let claim_at = |n: usize| Cow::Borrowed(&claims[order[n]]);
                self.eob_search(out, b.bene_id, claims.len(), &req.at(start), claim_at)
                    .expect(IN_RANGE)
            });
        }
        doc.end();
    }
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

    fn parse(out: &[u8]) -> serde_json::Value {
        serde_json::from_slice(out).expect("JSON")
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
        let doc = parse(&out);
        let pages = &doc["entry"].as_array().unwrap()[2..];
        assert_eq!(pages.len(), claims.len().div_ceil(DEFAULT_COUNT));
        let in_doc: Vec<String> = pages.iter().flat_map(|p| ids(&p["resource"])).collect();
        // By claim id as text, then type: `carrier-<id>` → (`<id>`, `carrier`).
        let key = |id: &String| {
            let (t, c) = id.split_once('-').unwrap();
            (c.to_string(), t.to_string())
        };
        let mut sorted = in_doc.clone();
        sorted.sort_by_key(key);
        assert_eq!(in_doc, sorted, "entries sorted by claim id, then type");

        let order = eob_order(&claims);
        let mut served = Vec::new();
        for start in bundle::page_starts(claims.len(), 3) {
            let req = PageRequest {
                base: "http://localhost/v2/fhir/",
                params: &[],
                count: 3,
                start,
            };
            let mut out = Vec::new();
            r.eob_search(&mut out, b.bene_id, claims.len(), &req, |n| {
                Cow::Borrowed(&claims[order[n]])
            })
            .unwrap();
            let p = parse(&out);
            assert_eq!(p["total"], claims.len());
            assert_eq!(p["id"], format!("{}-eob-{start}", b.bene_id));
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
        let mut out = Vec::new();
        r.patient_search(&mut out, &b, true, &PageRequest::DOCUMENT)
            .unwrap();
        let p = parse(&out);
        assert_eq!(p["total"], 1);
        assert_eq!(ids(&p), std::slice::from_ref(&id));
        assert!(
            p["link"][0]["url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("&_id={id}"))
        );

        let all: Vec<char> = parts(&b).collect();
        let req = PageRequest {
            count: 1,
            ..PageRequest::DOCUMENT.at(1)
        };
        let mut out = Vec::new();
        r.coverage_search(&mut out, &b, &all, &req).unwrap();
        let c = parse(&out);
        assert_eq!(ids(&c), [format!("part-b-{id}")], "the second part alone");
        assert_eq!(c["id"], format!("{id}-coverage-1"));

        let mut out = Vec::new();
        let past = PageRequest::DOCUMENT.at(all.len());
        let err = r.coverage_search(&mut out, &b, &all, &past).unwrap_err();
        assert!(matches!(err, PageError::StartPastEnd { .. }), "{err}");
        assert!(out.is_empty(), "nothing written for a refused page");
    }
}
