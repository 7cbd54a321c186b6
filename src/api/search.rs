//! Searches of one patient's resources: the filters are applied here, the page is written by
//! the same `Renderer` searches the bundle files are written with, in the FHIR version the
//! caller names (R4 for `/v2`, STU3 for `/v1`), so both versions page and refuse alike.

use super::query::{SearchParams, Searched};
use super::{Api, ApiError, UPSTREAM, dates};
use crate::emit::fhir::bundle::PageError;
use std::borrow::Cow;

use crate::emit::fhir::{FhirVersion, eob_order_of_ids, parts, service_end};
use crate::model::{Claim, ClaimType, ids};

impl Api {
    /// The `Patient?_id=` searchset page of user `i` (from [`Api::resolve`]).
    pub fn search_patient(
        &self,
        v: FhirVersion,
        i: u64,
        q: &SearchParams,
    ) -> Result<Vec<u8>, ApiError> {
        let b = self.beneficiary(i);
        let links = q.links_for(Searched::PatientOrCoverage);
        let mut out = Vec::new();
        let found = self.fresh(q);
        self.renderer(v)
            .patient_search(&mut out, &b, found, &q.page(&links))
            .map_err(page_error)?;
        Ok(out)
    }

    /// The `Coverage?beneficiary=` searchset page of user `i`.
    pub fn search_coverage(
        &self,
        v: FhirVersion,
        i: u64,
        q: &SearchParams,
    ) -> Result<Vec<u8>, ApiError> {
        let b = self.beneficiary(i);
        let selected: Vec<char> = if self.fresh(q) {
            parts(&b).collect()
        } else {
            Vec::new()
        };
        let links = q.links_for(Searched::PatientOrCoverage);
        let mut out = Vec::new();
        self.renderer(v)
            .coverage_search(&mut out, &b, &selected, &q.page(&links))
            .map_err(page_error)?;
        Ok(out)
    }

    /// The `ExplanationOfBenefit?patient=` searchset page of user `i`: its settled EOBs in
    /// the API's order, less those `type`, `service-date` and `_lastUpdated` exclude.
    pub fn search_eob(
        &self,
        v: FhirVersion,
        i: u64,
        q: &SearchParams,
    ) -> Result<Vec<u8>, ApiError> {
        let (holder, mut held) = self.dataset().patient(i);
        let fresh = self.fresh(q);
        let wanted = |c: &Claim| q.types.as_ref().is_none_or(|ts| ts.contains(&c.kind));
        held.retain(|c| fresh && wanted(c) && served(q, c));
        let keys: Vec<(ClaimType, i64)> = held
            .iter()
            .map(|c| (c.kind, ids::claim_id(c.kind, c.card)))
            .collect();
        let order = eob_order_of_ids(&keys);
        let links = q.links_for(Searched::Eob);
        let mut out = Vec::new();
        self.renderer(v)
            .eob_search(
                &mut out,
                holder.bene_id,
                order.len(),
                &q.page(&links),
                |n: usize| Cow::Borrowed(&held[order[n]]),
            )
            .map_err(page_error)?;
        Ok(out)
    }

    /// Whether this run's `meta.lastUpdated`, the same for every resource, meets every
    /// `_lastUpdated` bound.
    fn fresh(&self, q: &SearchParams) -> bool {
        let at = dates::midnight(self.dataset().options().end_date.plus(1));
        q.last_updated.iter().all(|b| b.admits(&at))
    }
}

/// Whether the claim's service end meets every `service-date` bound (any claim, when the
/// search has none).
fn served(q: &SearchParams, c: &Claim) -> bool {
    q.service_date.is_empty()
        || service_end(c).is_some_and(|d| {
            let day = dates::day(d);
            q.service_date.iter().all(|b| b.admits(&day))
        })
}

/// A page the FHIR server refuses, with its wording: `_count` over the maximum is the front
/// end's own check, a `startIndex` past the end comes back from the server behind it.
fn page_error(e: PageError) -> ApiError {
    match e {
        PageError::CountTooLarge => ApiError::BadRequest(e.to_string()),
        PageError::StartPastEnd { .. } => ApiError::BadRequest(format!("{UPSTREAM}{e}")),
    }
}
