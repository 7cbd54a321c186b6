//! FHIR R4 output as the Blue Button v2 API serves it: Patient, Coverage and
//! ExplanationOfBenefit (all eight claim types) with the CARIN C4BB profiles and the
//! `https://bluebutton.cms.gov/resources/variables/…` extensions.
//!
//! Two layouts:
//! - **NDJSON** (Bulk Data): `fhir/Patient.ndjson`, `fhir/Coverage.ndjson`,
//!   `fhir/ExplanationOfBenefit.ndjson`, one resource per line, in user order (each user's
//!   Coverage by part, EOBs by type then deck slot).
//! - **Bundles**: `fhir/bundles/<patient-id>.json`, one document per patient holding what
//!   the API returns for that patient: a `collection` Bundle whose entries are, in order,
//!   the `Patient` (as `GET /v2/fhir/Patient/<id>`), the `Coverage?beneficiary=` searchset
//!   Bundle, and every page of the `ExplanationOfBenefit?patient=` searchset (pages of 10,
//!   the API's default `_count`, with `total`, `link` `first`/`previous`/`next`/`last`/`self`
//!   carrying `startIndex` and `_count`, and entries `{"resource": …}` sorted by id as the
//!   sandbox serves them).
//!
//! Resources are written by a small JSON writer ([`json`]) straight from the records, money
//! from integer cents; nothing goes through a JSON tree. `meta.lastUpdated` is the end of the
//! data window (a run option), never the clock.

mod emitters;
pub mod eob;
pub mod json;
pub mod patient;
pub mod spec;

use std::io::Write;

use crate::model::{Beneficiary, Claim, RowRef};
use crate::options::Options;
use crate::schema::Col;

pub use emitters::{FhirBundles, FhirNdjson};
pub use eob::{EobContext, write_eob};
pub use patient::{parts, write_coverage, write_patient};

/// A row of a claim, line or beneficiary table.
pub type Row<'a> = RowRef<'a>;

/// The display of a CCW code of a column, where the codebook has one (codings without a
/// display are valid FHIR, and are what the API writes where it knows no label).
///
/// The values of each column's CCW variable are looked up once per column id, so a display
/// costs one binary search in that variable's few values.
pub fn ccw_display(col: Col, code: &str) -> Option<&'static str> {
    type Values = &'static [(&'static str, crate::codes::ccw::CcwValue)];
    static BY_COL: std::sync::OnceLock<Vec<Values>> = std::sync::OnceLock::new();
    let by_col = BY_COL.get_or_init(|| {
        (0..crate::schema::COL_COUNT)
            .map(|i| {
                crate::codes::ccw::variable(Col(i as u16).name())
                    .map_or(&[][..], |v| crate::codes::ccw::values_of_id(v.ccw_id()))
            })
            .collect()
    });
    let values = by_col.get(col.0 as usize)?;
    values
        .binary_search_by(|(_, v)| v.code.cmp(code))
        .ok()
        .map(|i| values[i].1.display)
        .filter(|d| !d.trim().is_empty())
}

/// Resources per searchset page (the API's default `_count`).
pub const PAGE: usize = 10;

const API: &str = "https://sandbox.bluebutton.cms.gov/v2/fhir/";

/// `meta.lastUpdated` of a run: midnight UTC after the end of its data window.
pub fn last_updated(options: &Options) -> String {
    format!("{}T00:00:00.000+00:00", options.end_date.plus(1))
}

/// Renders one beneficiary's resources.
pub struct Renderer<'a> {
    last_updated: String,
    created: crate::value::Date,
    codes: &'a crate::codes::Codes,
}

impl<'a> Renderer<'a> {
    /// For a run with these options and code tables.
    pub fn new(options: &Options, codes: &'a crate::codes::Codes) -> Renderer<'a> {
        Renderer {
            last_updated: last_updated(options),
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

    /// The per-patient document (see the module docs), pretty-free JSON with a final newline.
    pub fn bundle(&self, out: &mut Vec<u8>, b: &Beneficiary, claims: &[Claim]) {
        let mut id = itoa::Buffer::new();
        let id = id.format(b.bene_id);
        let lu = &self.last_updated;
        out.extend_from_slice(b"{\"resourceType\":\"Bundle\",\"id\":\"");
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(b"\",\"meta\":{\"lastUpdated\":\"");
        out.extend_from_slice(lu.as_bytes());
        out.extend_from_slice(b"\"},\"type\":\"collection\",\"entry\":[{\"resource\":");
        self.patient(out, b);
        out.extend_from_slice(b"},{\"resource\":");

        // Coverage?beneficiary=Patient/<id>
        let parts: Vec<char> = parts(b).collect();
        let q = format!("beneficiary=Patient%2F{id}");
        searchset_head(
            out,
            &format!("{id}-coverage"),
            lu,
            "Coverage",
            &q,
            parts.len(),
            0,
        );
        out.extend_from_slice(b",\"entry\":[");
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"resource\":");
            self.coverage(out, b, *p);
            out.push(b'}');
        }
        out.extend_from_slice(b"]}");

        // ExplanationOfBenefit?patient=<id>, every page, entries sorted by id.
        let mut buf = Vec::with_capacity(claims.len() * 4096);
        let mut spans: Vec<(Vec<u8>, std::ops::Range<usize>)> = Vec::with_capacity(claims.len());
        for c in claims {
            let mut rid = Vec::with_capacity(32);
            eob::write_id(&mut rid, c);
            let s = buf.len();
            self.eob(&mut buf, c);
            spans.push((rid, s..buf.len()));
        }
        spans.sort_by(|a, b| a.0.cmp(&b.0));
        let q = format!("patient={id}");
        let total = spans.len();
        let pages = total.div_ceil(PAGE).max(1);
        for page in 0..pages {
            out.extend_from_slice(b"},{\"resource\":");
            let start = page * PAGE;
            searchset_head(
                out,
                &format!("{id}-eob-{start}"),
                lu,
                "ExplanationOfBenefit",
                &q,
                total,
                start,
            );
            let slice = &spans[start.min(total)..(start + PAGE).min(total)];
            if !slice.is_empty() {
                out.extend_from_slice(b",\"entry\":[");
                for (i, (_, r)) in slice.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(b"{\"resource\":");
                    out.extend_from_slice(&buf[r.clone()]);
                    out.push(b'}');
                }
                out.push(b']');
            }
            out.push(b'}');
        }
        out.extend_from_slice(b"}]}\n");
    }
}

/// Writes a searchset Bundle's opening members up to (not including) `entry`, leaving the
/// object open.
fn searchset_head(
    out: &mut Vec<u8>,
    bundle_id: &str,
    last_updated: &str,
    resource: &str,
    query: &str,
    total: usize,
    start: usize,
) {
    let last = if total == 0 {
        0
    } else {
        (total - 1) / PAGE * PAGE
    };
    let _ = write!(
        out,
        "{{\"resourceType\":\"Bundle\",\"id\":\"{bundle_id}\",\"meta\":{{\"lastUpdated\":\"{last_updated}\"}},\"type\":\"searchset\",\"total\":{total},\"link\":["
    );
    let link = |out: &mut Vec<u8>, rel: &str, s: usize, first: bool| {
        if !first {
            out.push(b',');
        }
        let _ = write!(
            out,
            "{{\"relation\":\"{rel}\",\"url\":\"{API}{resource}?_format=application%2Fjson%2Bfhir&startIndex={s}&_count={PAGE}&{query}\"}}"
        );
    };
    link(out, "first", 0, true);
    if start >= PAGE {
        link(out, "previous", start - PAGE, false);
    }
    if start + PAGE < total {
        link(out, "next", start + PAGE, false);
    }
    link(out, "last", last, false);
    let _ = write!(
        out,
        ",{{\"relation\":\"self\",\"url\":\"{API}{resource}/?_count={PAGE}&_format=application%2Fjson%2Bfhir&{query}&startIndex={start}\"}}]"
    );
}
