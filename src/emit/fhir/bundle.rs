//! Bundles as the Blue Button API writes them, for any FHIR version: `searchset` pages with
//! their paging links, and the `collection` of a per-patient document.
//!
//! A search is described by a [`Page`]: the base URL the links start with, the resource
//! type, the request's own parameters, `_count`, `startIndex` and the size of the whole
//! result. [`searchset`] writes that page, asking the caller for the resources of the page
//! only (by their index in the whole result), so a server renders ten EOBs, not all of them.
//! The bundle files call the same functions with [`SANDBOX_BASE`] and [`DEFAULT_COUNT`], so a
//! file and a served page are the same bytes.
//!
//! Links, in the order the API writes them: `first`, `next` (unless on the last page),
//! `previous` (unless on the first), `last`, then `self`. All but `self` are
//! `{base}{Resource}?_format=application%2Fjson%2Bfhir&startIndex=S&_count=N&<params>`;
//! `self` is `{base}{Resource}/?` followed by every parameter in key order. Entries are
//! `{"resource":…}` without `fullUrl`; `total` counts the whole result.

use std::fmt;
use std::io::Write;
use std::ops::Range;

/// The hosted sandbox's v2 FHIR base, which the bundle files' links use.
pub const SANDBOX_BASE: &str = "https://sandbox.bluebutton.cms.gov/v2/fhir/";

/// The hosted sandbox's v1 (STU3) FHIR base.
pub const SANDBOX_BASE_V1: &str = "https://sandbox.bluebutton.cms.gov/v1/fhir/";

/// `_count` when a request gives none (the API's default page size).
pub const DEFAULT_COUNT: usize = 10;

/// The largest `_count` the API accepts.
pub const MAX_COUNT: usize = 50;

/// The `_format` every link carries, URL-encoded.
const FORMAT: &str = "application%2Fjson%2Bfhir";

/// One page of a search: what was asked, and where the page sits in the whole result.
#[derive(Clone, Copy, Debug)]
pub struct Page<'a> {
    /// The FHIR base the links start with, ending in `/` (e.g. [`SANDBOX_BASE`]).
    pub base: &'a str,
    /// The resource type searched: `ExplanationOfBenefit`, `Coverage`, `Patient`.
    pub resource: &'a str,
    /// The request's parameters other than `_count`, `_format` and `startIndex`, as
    /// URL-encoded `(key, value)` pairs in request order (e.g. `[("patient", "-19990000000001"),
    /// ("type", "carrier")]`). Repeated keys are kept.
    pub params: &'a [(&'a str, &'a str)],
    /// `_count`: resources per page, at most [`MAX_COUNT`]. 0 asks for the `total` alone.
    pub count: usize,
    /// `startIndex`: the index of the page's first resource in the whole result.
    pub start: usize,
    /// `total`: the number of resources in the whole result.
    pub total: usize,
}

/// Why a page cannot be served, with the API's wording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageError {
    /// `_count` above [`MAX_COUNT`].
    CountTooLarge,
    /// `startIndex` at or past the end of a non-empty result.
    StartPastEnd {
        /// The `startIndex` asked for.
        start: usize,
        /// The size of the result.
        total: usize,
    },
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::CountTooLarge => write!(f, "value must be at most {MAX_COUNT}"),
            // BFD's wording, doubled "than" included.
            PageError::StartPastEnd { start, total } => write!(
                f,
                "Value for startIndex ({start}) must be less than than result size ({total})"
            ),
        }
    }
}

impl std::error::Error for PageError {}

impl<'a> Page<'a> {
    /// The page of `resource` searched with `params`, checked as the API checks it: `_count`
    /// at most [`MAX_COUNT`], and `startIndex` inside the result unless the result is empty
    /// (BFD checks `startIndex` against a non-empty result only, so an empty one has an empty
    /// page wherever asked).
    pub fn new(
        base: &'a str,
        resource: &'a str,
        params: &'a [(&'a str, &'a str)],
        count: usize,
        start: usize,
        total: usize,
    ) -> Result<Page<'a>, PageError> {
        if count > MAX_COUNT {
            return Err(PageError::CountTooLarge);
        }
        if total > 0 && start >= total {
            return Err(PageError::StartPastEnd { start, total });
        }
        Ok(Page {
            base,
            resource,
            params,
            count,
            start,
            total,
        })
    }

    /// The indexes, in the whole result, of the resources this page holds.
    pub fn entries(&self) -> Range<usize> {
        let start = self.start.min(self.total);
        start..self.start.saturating_add(self.count).min(self.total)
    }

    /// The `startIndex` of the last page: the last multiple of `_count` below `total` (0 for
    /// an empty result or `_count` 0).
    pub fn last_start(&self) -> usize {
        match (self.total, self.count) {
            (0, _) | (_, 0) => 0,
            (t, c) => (t - 1) / c * c,
        }
    }

    /// The paging links other than `self`, in the order written: (relation, `startIndex`).
    pub fn links(&self) -> Vec<(&'static str, usize)> {
        let mut links = vec![("first", 0)];
        if self.count > 0 && self.start + self.count < self.total {
            links.push(("next", self.start + self.count));
        }
        // Off the first page there is a previous one, clamped at 0 when `startIndex` is not a
        // multiple of `_count` (BFD's `OffsetLinkBuilder` does the same).
        if self.start > 0 {
            links.push(("previous", self.start.saturating_sub(self.count)));
        }
        links.push(("last", self.last_start()));
        links
    }

    /// This page at another `startIndex` (for a document that holds every page).
    pub fn at(&self, start: usize) -> Page<'a> {
        Page { start, ..*self }
    }
}

/// The `startIndex` of every page of a result of `total` resources in pages of `count`, in
/// order; an empty result (or `count` 0) has one page, at 0.
pub fn page_starts(total: usize, count: usize) -> impl Iterator<Item = usize> {
    let pages = if count == 0 {
        1
    } else {
        total.div_ceil(count).max(1)
    };
    (0..pages).map(move |p| p * count)
}

/// Writes one searchset page: `id` and `meta.lastUpdated` as given, `total`, the links, and
/// an entry for each index of [`Page::entries`], whose resource `entry(out, index)` writes
/// (`entry` is not called for an empty page, which has no `entry` member).
pub fn searchset(
    out: &mut Vec<u8>,
    id: &str,
    last_updated: &str,
    page: &Page<'_>,
    mut entry: impl FnMut(&mut Vec<u8>, usize),
) {
    let _ = write!(
        out,
        "{{\"resourceType\":\"Bundle\",\"id\":\"{id}\",\"meta\":{{\"lastUpdated\":\"{last_updated}\"}},\"type\":\"searchset\",\"total\":{},\"link\":[",
        page.total
    );
    for (rel, start) in page.links() {
        link(out, page, rel, start);
        out.push(b',');
    }
    self_link(out, page);
    out.push(b']');
    let entries = page.entries();
    if !entries.is_empty() {
        out.extend_from_slice(b",\"entry\":[");
        for (n, i) in entries.enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"resource\":");
            entry(out, i);
            out.push(b'}');
        }
        out.push(b']');
    }
    out.push(b'}');
}

/// [`searchset`] over already-rendered resources: `all` is the whole result, in order.
pub fn searchset_rendered<R: AsRef<[u8]>>(
    out: &mut Vec<u8>,
    id: &str,
    last_updated: &str,
    page: &Page<'_>,
    all: &[R],
) {
    searchset(out, id, last_updated, page, |out, i| {
        out.extend_from_slice(all[i].as_ref());
    });
}

/// A paging link other than `self`.
fn link(out: &mut Vec<u8>, page: &Page<'_>, rel: &str, start: usize) {
    let _ = write!(
        out,
        "{{\"relation\":\"{rel}\",\"url\":\"{}{}?_format={FORMAT}&startIndex={start}&_count={}",
        page.base, page.resource, page.count
    );
    for (k, v) in page.params {
        let _ = write!(out, "&{k}={v}");
    }
    out.extend_from_slice(b"\"}");
}

/// The `self` link: every parameter, `_count`, `_format` and `startIndex` included, in key
/// order (a stable sort, so repeated keys keep their request order).
fn self_link(out: &mut Vec<u8>, page: &Page<'_>) {
    let (count, start) = (page.count.to_string(), page.start.to_string());
    let mut all: Vec<(&str, &str)> = Vec::with_capacity(page.params.len() + 3);
    all.extend([("_count", count.as_str()), ("_format", FORMAT)]);
    all.extend(page.params.iter().copied());
    all.push(("startIndex", start.as_str()));
    all.sort_by(|a, b| a.0.cmp(b.0));
    let _ = write!(
        out,
        "{{\"relation\":\"self\",\"url\":\"{}{}/?",
        page.base, page.resource
    );
    for (n, (k, v)) in all.iter().enumerate() {
        if n > 0 {
            out.push(b'&');
        }
        let _ = write!(out, "{k}={v}");
    }
    out.extend_from_slice(b"\"}");
}

/// A `collection` Bundle being written: [`Collection::entry`] adds `{"resource":…}`
/// entries, [`Collection::end`] closes it with a final newline (a document file's shape).
pub struct Collection<'o> {
    out: &'o mut Vec<u8>,
    entries: usize,
}

impl<'o> Collection<'o> {
    /// Opens a collection Bundle with this `id` and `meta.lastUpdated`.
    pub fn begin(out: &'o mut Vec<u8>, id: &str, last_updated: &str) -> Collection<'o> {
        let _ = write!(
            out,
            "{{\"resourceType\":\"Bundle\",\"id\":\"{id}\",\"meta\":{{\"lastUpdated\":\"{last_updated}\"}},\"type\":\"collection\""
        );
        Collection { out, entries: 0 }
    }

    /// Adds one entry whose resource `write` writes.
    pub fn entry(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        self.out.extend_from_slice(if self.entries == 0 {
            b",\"entry\":[{\"resource\":"
        } else {
            b",{\"resource\":"
        });
        write(self.out);
        self.out.push(b'}');
        self.entries += 1;
    }

    /// Closes the Bundle and ends the line.
    pub fn end(self) {
        if self.entries > 0 {
            self.out.push(b']');
        }
        self.out.extend_from_slice(b"}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATIENT: &[(&str, &str)] = &[("patient", "-19990000000001")];

    fn page(count: usize, start: usize, total: usize) -> Page<'static> {
        Page::new(
            SANDBOX_BASE,
            "ExplanationOfBenefit",
            PATIENT,
            count,
            start,
            total,
        )
        .expect("a valid page")
    }

    /// The page written with resources `{"n":<index>}`, parsed.
    fn written(p: &Page<'_>) -> serde_json::Value {
        let mut out = Vec::new();
        searchset(
            &mut out,
            "b",
            "2025-01-01T00:00:00.000+00:00",
            p,
            |out, i| out.extend_from_slice(format!("{{\"n\":{i}}}").as_bytes()),
        );
        serde_json::from_slice(&out).expect("JSON")
    }

    fn relations(b: &serde_json::Value) -> Vec<String> {
        b["link"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["relation"].as_str().unwrap().to_owned())
            .collect()
    }

    fn url(b: &serde_json::Value, rel: &str) -> String {
        let links = b["link"].as_array().unwrap();
        let l = links.iter().find(|l| l["relation"] == rel).unwrap();
        l["url"].as_str().unwrap().to_owned()
    }

    fn entries(b: &serde_json::Value) -> Vec<u64> {
        b["entry"].as_array().map_or(Vec::new(), |e| {
            e.iter()
                .map(|e| e["resource"]["n"].as_u64().unwrap())
                .collect()
        })
    }

    #[test]
    fn no_results_is_one_page_without_entries() {
        let b = written(&page(DEFAULT_COUNT, 0, 0));
        assert_eq!(b["total"], 0);
        assert_eq!(relations(&b), ["first", "last", "self"]);
        assert!(url(&b, "last").contains("startIndex=0&"));
        assert!(b.get("entry").is_none(), "no empty entry array");
        assert_eq!(page_starts(0, DEFAULT_COUNT).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn exactly_one_page_has_no_next_or_previous() {
        let b = written(&page(10, 0, 10));
        assert_eq!(relations(&b), ["first", "last", "self"]);
        assert_eq!(entries(&b), (0..10).collect::<Vec<_>>());
        assert_eq!(page_starts(10, 10).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn last_partial_page_links_back_and_holds_the_rest() {
        let b = written(&page(10, 20, 25));
        assert_eq!(b["total"], 25);
        assert_eq!(relations(&b), ["first", "previous", "last", "self"]);
        assert!(url(&b, "previous").contains("startIndex=10&_count=10&"));
        assert!(url(&b, "last").contains("startIndex=20&"));
        assert_eq!(entries(&b), [20, 21, 22, 23, 24]);
        assert_eq!(page_starts(25, 10).collect::<Vec<_>>(), [0, 10, 20]);
    }

    #[test]
    fn a_middle_page_has_every_link_in_order() {
        let b = written(&page(10, 10, 25));
        assert_eq!(relations(&b), ["first", "next", "previous", "last", "self"]);
        assert_eq!(
            url(&b, "next"),
            "https://sandbox.bluebutton.cms.gov/v2/fhir/ExplanationOfBenefit?_format=application%2Fjson%2Bfhir&startIndex=20&_count=10&patient=-19990000000001"
        );
        assert_eq!(
            url(&b, "self"),
            "https://sandbox.bluebutton.cms.gov/v2/fhir/ExplanationOfBenefit/?_count=10&_format=application%2Fjson%2Bfhir&patient=-19990000000001&startIndex=10"
        );
    }

    #[test]
    fn start_index_past_the_end_is_refused_with_the_api_wording() {
        let err = Page::new(SANDBOX_BASE, "Coverage", &[], 10, 4, 4).unwrap_err();
        assert_eq!(err, PageError::StartPastEnd { start: 4, total: 4 });
        assert_eq!(
            err.to_string(),
            "Value for startIndex (4) must be less than than result size (4)"
        );
        assert!(Page::new(SANDBOX_BASE, "Coverage", &[], 10, 3, 4).is_ok());
        let empty = Page::new(SANDBOX_BASE, "Coverage", &[], 10, 20, 0).unwrap();
        assert!(empty.entries().is_empty());
        assert_eq!(empty.links(), [("first", 0), ("previous", 10), ("last", 0)]);
    }

    #[test]
    fn count_1_pages_one_by_one_and_count_50_is_the_largest() {
        let b = written(&page(1, 2, 3));
        assert_eq!(relations(&b), ["first", "previous", "last", "self"]);
        assert!(url(&b, "previous").contains("startIndex=1&_count=1&"));
        assert!(url(&b, "last").contains("startIndex=2&_count=1&"));
        assert_eq!(entries(&b), [2]);

        let b = written(&page(MAX_COUNT, 0, 120));
        assert_eq!(relations(&b), ["first", "next", "last", "self"]);
        assert!(url(&b, "next").contains("startIndex=50&_count=50&"));
        assert!(url(&b, "last").contains("startIndex=100&"));
        assert_eq!(entries(&b).len(), 50);
        let err = Page::new(SANDBOX_BASE, "Patient", &[], MAX_COUNT + 1, 0, 1).unwrap_err();
        assert_eq!(err.to_string(), "value must be at most 50");
    }

    #[test]
    fn a_start_between_pages_links_back_to_the_first() {
        let b = written(&page(10, 5, 25));
        assert_eq!(relations(&b), ["first", "next", "previous", "last", "self"]);
        assert!(url(&b, "previous").contains("startIndex=0&"));
        assert!(url(&b, "next").contains("startIndex=15&"));
        assert_eq!(entries(&b), (5..15).collect::<Vec<_>>());
    }

    #[test]
    fn count_0_gives_the_total_alone() {
        let b = written(&page(0, 0, 7));
        assert_eq!(b["total"], 7);
        assert_eq!(relations(&b), ["first", "last", "self"]);
        assert!(b.get("entry").is_none());
    }

    #[test]
    fn other_base_and_parameters_reach_every_link_and_self_is_in_key_order() {
        let params = [("patient", "-1"), ("type", "carrier,pde")];
        let p = Page::new(
            "http://localhost:8080/v2/fhir/",
            "ExplanationOfBenefit",
            &params,
            5,
            0,
            6,
        )
        .unwrap();
        let b = written(&p);
        for rel in ["first", "next", "last"] {
            let u = url(&b, rel);
            assert!(u.starts_with("http://localhost:8080/v2/fhir/ExplanationOfBenefit?"));
            assert!(u.ends_with("&patient=-1&type=carrier,pde"), "{u}");
        }
        assert_eq!(
            url(&b, "self"),
            "http://localhost:8080/v2/fhir/ExplanationOfBenefit/?_count=5&_format=application%2Fjson%2Bfhir&patient=-1&startIndex=0&type=carrier,pde"
        );
    }

    #[test]
    fn rendered_entries_and_a_collection_document() {
        let all = [b"{\"n\":0}".as_slice(), b"{\"n\":1}", b"{\"n\":2}"];
        let p = Page::new(SANDBOX_BASE, "Coverage", &[], 2, 2, all.len()).unwrap();
        let mut out = Vec::new();
        let mut doc = Collection::begin(&mut out, "d", "t");
        doc.entry(|out| searchset_rendered(out, "s", "t", &p, &all));
        doc.end();
        assert!(out.ends_with(b"}\n"));
        let d: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(d["type"], "collection");
        let s = &d["entry"][0]["resource"];
        assert_eq!(s["type"], "searchset");
        assert_eq!(entries(s), [2]);
        assert_eq!(
            entries(s).len(),
            p.entries().len(),
            "entries follow Page::entries"
        );
    }
}
