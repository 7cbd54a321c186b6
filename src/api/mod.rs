//! The Blue Button operations over one run, with no transport: who a user is, reads by FHIR
//! id, searches with the API's parameters and paging, and a patient's whole document. Each
//! answer is the bytes the run's files hold for it (a read is its NDJSON line, a search page
//! is written by the same functions as the bundle files' pages), computed for that one
//! patient from the pure core. `bbgen patient` calls it, and so can a server: requests come in
//! as strings and query pairs, answers go out as bytes or an [`ApiError`] whose text is the
//! sandbox's `detail`.
//!
//! ```
//! use bbgen::api::{Api, SearchParams};
//! use bbgen::emit::fhir::FhirVersion;
//! use bbgen::Options;
//! let api = Api::new(Options { users: 10, ..Options::default() }).unwrap();
//! let i = api.resolve("BBUser00003").unwrap();
//! let q = SearchParams::from_query("http://localhost:8000/v2/fhir/", &[("type".into(), "pde".into())]).unwrap();
//! let page: serde_json::Value = serde_json::from_slice(&api.search_eob(FhirVersion::R4, i, &q).unwrap()).unwrap();
//! assert_eq!(page["type"], "searchset");
//! ```

mod dates;
mod query;
mod read;
mod search;
mod who;

use std::fmt;
use std::sync::Arc;

use crate::Dataset;
use crate::codes::Codes;
use crate::emit::fhir::{FhirVersion, Renderer};
use crate::emit::rows_json;
use crate::model::Beneficiary;
use crate::options::{Options, OptionsError};

pub use dates::{DateBound, Prefix};
pub use query::{SearchParams, query_pairs, url_encode};
pub use who::resolve;

/// The sandbox's `detail` for a resource that is not the user's or does not exist.
const NOT_FOUND: &str = "Not found.";

/// How the sandbox's front end prefixes an error the FHIR server behind it returned.
const UPSTREAM: &str = "An error occurred contacting the upstream server:";

/// Why a request has no answer; `Display` is the text the sandbox returns as `detail`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 404: no such resource in this run (or, from [`Api::resolve`], no such user).
    NotFound(String),
    /// 400: a malformed id or parameter.
    BadRequest(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::NotFound(d) | ApiError::BadRequest(d) => f.write_str(d),
        }
    }
}

impl std::error::Error for ApiError {}

/// One run's Blue Button operations: the run's [`Dataset`] and its code tables.
pub struct Api {
    ds: Dataset,
    codes: Arc<Codes>,
}

impl Api {
    /// The run of `opts`, with the compiled-in code tables.
    pub fn new(opts: Options) -> Result<Api, OptionsError> {
        Ok(Api::from_dataset(
            Dataset::new(opts)?,
            Arc::new(Codes::builtin()),
        ))
    }

    /// A prepared run, with the code tables its files were written with.
    pub fn from_dataset(ds: Dataset, codes: Arc<Codes>) -> Api {
        Api { ds, codes }
    }

    /// The run.
    pub fn dataset(&self) -> &Dataset {
        &self.ds
    }

    /// A username (`BBUser00042`), a BENE_ID (`-19990000000043`) or a Patient FHIR id (the
    /// BENE_ID again) → the user index in this run (see [`resolve`]).
    pub fn resolve(&self, who: &str) -> Result<u64, ApiError> {
        resolve(who, self.ds.options())
    }

    /// Beneficiary `i` (from [`Api::resolve`]), settled by its claims: names, log-in and ids,
    /// e.g. for userinfo, and the death and enrollment its Patient and Coverage show.
    pub fn beneficiary(&self, i: u64) -> Beneficiary {
        self.ds.beneficiary(i)
    }

    /// User `i`'s FHIR R4 document, byte for byte `fhir/bundles/<patient id>.json` of the run.
    pub fn document(&self, i: u64) -> Vec<u8> {
        self.document_of(FhirVersion::R4, i)
    }

    /// User `i`'s FHIR document in `version`, byte for byte the run's
    /// `fhir/bundles/<patient id>.json` (R4) or `fhir-stu3/bundles/<patient id>.json` (STU3).
    pub fn document_of(&self, version: FhirVersion, i: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let (b, claims) = self.ds.patient(i);
        Renderer::of(version, self.ds.options(), &self.codes).bundle(&mut out, &b, &claims);
        out
    }

    /// User `i` and its claims as rows (see [`rows_json`]), as `bbgen patient` prints them.
    pub fn rows(&self, i: u64) -> Vec<u8> {
        let (b, claims) = self.ds.patient(i);
        rows_json::patient_rows(&b, &claims)
    }

    fn renderer(&self, v: FhirVersion) -> Renderer<'_> {
        Renderer::of(v, self.ds.options(), &self.codes)
    }
}
