//! FHIR output as the Blue Button API serves it: Patient, Coverage and ExplanationOfBenefit
//! (all eight claim types) with the `https://bluebutton.cms.gov/resources/variables/…`
//! extensions: FHIR R4 (the v2 API) with the CARIN C4BB profiles, and FHIR STU3 (the v1 API).
//!
//! Two layers, so that another FHIR version (STU3 for the v1 API) is one more module beside
//! [`r4`] on the same foundation:
//! - **Version-neutral**: [`json`] (the streaming JSON writer), [`elements`] (values, codings,
//!   concepts, variable extensions, numbers, quantities, money, adjudications), [`vars`] (the
//!   Blue Button variable catalogue: column → variable id → CCW label and value kind),
//!   [`ccw`] (CCW code displays), [`bundle`] (searchset pages with their paging links and
//!   collection Bundles, with the base URL, `_count` and `startIndex` as parameters) and
//!   `emitters` (the output formats).
//!   The [`Renderer`] (`render`) writes one beneficiary's resources in a [`FhirVersion`];
//!   [`search`] pages them and builds the per-patient documents for either version; [`bene`]
//!   and [`dx`] hold the beneficiary and diagnosis columns both versions write.
//!   [`arrangement`] holds each claim type's arrangement as data (columns, categories, rules),
//!   read by both versions' EOB builders.
//! - **Per version**: [`r4`] holds the R4 Patient and Coverage writers and the EOB builder cut
//!   along the resource's own sections (`r4::eob`); [`stu3`] the STU3 writers in BFD v1's
//!   shape.
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
//!   sandbox serves them). The pages are written by [`bundle::searchset`], the function a
//!   server calls with its own base URL, `_count` and `startIndex`.
//!
//! Resources are written by a small JSON writer ([`json`]) straight from the records, money
//! from integer cents; nothing goes through a JSON tree. `meta.lastUpdated` is the end of the
//! data window (a run option), never the clock.

pub mod arrangement;
pub mod bene;
pub mod bundle;
pub mod ccw;
pub mod dx;
pub mod elements;
mod emitters;
pub mod json;
pub mod r4;
mod render;
pub mod search;
pub mod stu3;
pub mod vars;

use crate::model::RowRef;
use crate::options::Options;

pub use ccw::ccw_display;
pub use emitters::{FhirBundles, FhirNdjson, Resource};
pub use r4::{EobContext, parts, write_coverage, write_eob, write_patient};
pub use render::{FhirVersion, Renderer, eob_order, eob_order_of_ids};
pub use search::{PageRequest, service_end};

/// A row of a claim, line or beneficiary table.
pub type Row<'a> = RowRef<'a>;

/// `meta.lastUpdated` of a run: midnight UTC after the end of its data window.
pub fn last_updated(options: &Options) -> String {
    format!("{}T00:00:00.000+00:00", options.end_date.plus(1))
}
