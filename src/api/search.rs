//! Searches of one patient's resources: the filters are applied here, the page is written by
//! the same `Renderer` searches the bundle files are written with, in the FHIR version the
//! caller names (R4 for `/v2`, STU3 for `/v1`), so both versions page and refuse alike.

use super::query::{SearchParams, Searched};
use super::{Api, ApiError, UPSTREAM, dates};
use crate::emit::fhir::bundle::PageError;
use std::borrow::Cow;

use crate::Dataset;
use crate::emit::fhir::{FhirVersion, eob_order_of_ids, parts, service_end};
use crate::model::{Beneficiary, Claim, ClaimType, ids};

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

    /// The `ExplanationOfBenefit?patient=` searchset page of user `i`: its EOBs in the API's
    /// order, less those `type`, `service-date` and `_lastUpdated` exclude. A claim is generated
    /// only when the page holds it or `service-date` must read it: the order and `type` need
    /// only each claim's type and card.
    pub fn search_eob(
        &self,
        v: FhirVersion,
        i: u64,
        q: &SearchParams,
    ) -> Result<Vec<u8>, ApiError> {
        let holder = self.beneficiary(i);
        let mut held = self.held(i, q);
        if !q.service_date.is_empty() {
            held.retain_mut(|h| served(q, h.claim(self.dataset(), &holder)));
        }
        let keys: Vec<(ClaimType, i64)> = held
            .iter()
            .map(|h| (h.kind, ids::claim_id(h.kind, h.card)))
            .collect();
        let order = eob_order_of_ids(&keys);
        let links = q.links_for(Searched::Eob);
        let mut out = Vec::new();
        let claim_at = |n: usize| {
            let h = &held[order[n]];
            match &h.claim {
                Some(c) => Cow::Borrowed(c),
                None => Cow::Owned(h.generate(self.dataset(), &holder)),
            }
        };
        self.renderer(v)
            .eob_search(
                &mut out,
                holder.bene_id,
                order.len(),
                &q.page(&links),
                claim_at,
            )
            .map_err(page_error)?;
        Ok(out)
    }

    /// User `i`'s claims of the types `q` asks for, not yet generated, in the order
    /// [`crate::Dataset::claims`] lists them; none if `_lastUpdated` excludes the run.
    fn held(&self, i: u64, q: &SearchParams) -> Vec<Held> {
        if !self.fresh(q) {
            return Vec::new();
        }
        let ds = self.dataset();
        let slots = ds.slots(i);
        ClaimType::ALL
            .into_iter()
            .filter(|t| q.types.as_ref().is_none_or(|ts| ts.contains(t)))
            .flat_map(|kind| {
                slots[kind]
                    .clone()
                    .map(move |s| Held::unread(kind, ds.card(kind, s)))
            })
            .collect()
    }

    /// Whether this run's `meta.lastUpdated`, the same for every resource, meets every
    /// `_lastUpdated` bound.
    fn fresh(&self, q: &SearchParams) -> bool {
        let at = dates::midnight(self.dataset().options().end_date.plus(1));
        q.last_updated.iter().all(|b| b.admits(&at))
    }
}

/// One of a patient's claims: its type and card, and the claim once generated.
pub(super) struct Held {
    kind: ClaimType,
    card: u64,
    claim: Option<Claim>,
}

impl Held {
    /// Card `card` of type `kind`, not generated yet.
    pub(super) fn unread(kind: ClaimType, card: u64) -> Held {
        Held {
            kind,
            card,
            claim: None,
        }
    }

    /// The claim, as [`crate::Dataset::claims`] generates it for its holder.
    pub(super) fn generate(&self, ds: &Dataset, holder: &Beneficiary) -> Claim {
        ds.claim(self.kind, self.card, holder)
    }

    /// The claim, generated on first use and kept.
    fn claim(&mut self, ds: &Dataset, holder: &Beneficiary) -> &Claim {
        if self.claim.is_none() {
            self.claim = Some(self.generate(ds, holder));
        }
        self.claim.as_ref().expect("just generated")
    }
}

/// Whether the claim's service end meets every `service-date` bound.
fn served(q: &SearchParams, c: &Claim) -> bool {
    service_end(c).is_some_and(|d| {
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
