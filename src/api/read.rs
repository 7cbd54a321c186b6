//! Reads by FHIR id: `Patient/<bene id>`, `Coverage/part-<a…d>-<bene id>` and
//! `ExplanationOfBenefit/<type>-<claim id>`, each the bytes of its NDJSON line (without the
//! newline). A malformed id is the FHIR server's 400; an id of no resource of this run is 404.

use super::{Api, ApiError, NOT_FOUND, UPSTREAM, who};
use crate::emit::fhir::{FhirVersion, parts};
use crate::model::{Claim, ClaimType, ids};

impl Api {
    /// The Patient with this FHIR id (its BENE_ID), in `v` (R4 for v2, STU3 for v1). `_base`:
    /// the request's FHIR base; both versions' resources hold relative references only, so
    /// their bytes do not depend on it.
    pub fn read_patient(&self, v: FhirVersion, id: &str, _base: &str) -> Result<Vec<u8>, ApiError> {
        let i = who::patient(id, self.dataset().options()).ok_or_else(not_found)?;
        let mut out = Vec::new();
        self.renderer(v).patient(&mut out, &self.beneficiary(i));
        Ok(out)
    }

    /// The Coverage with this FHIR id (`part-a--19990000000001`), if the beneficiary has that
    /// part.
    pub fn read_coverage(
        &self,
        v: FhirVersion,
        id: &str,
        _base: &str,
    ) -> Result<Vec<u8>, ApiError> {
        let (part, patient) = id
            .strip_prefix("part-")
            .and_then(|rest| rest.split_once('-'))
            .filter(|(p, bene)| matches!(*p, "a" | "b" | "c" | "d") && is_int(bene))
            .ok_or_else(|| unsupported(id))?;
        let i = who::patient(patient, self.dataset().options()).ok_or_else(not_found)?;
        let b = self.beneficiary(i);
        let part = part.chars().next().expect("one letter");
        if !parts(&b).any(|p| p == part) {
            return Err(not_found());
        }
        let mut out = Vec::new();
        self.renderer(v).coverage(&mut out, &b, part);
        Ok(out)
    }

    /// The ExplanationOfBenefit with this FHIR id (`carrier--100000000001`), found among the
    /// settled claims of the holder [`Api::eob_holder`] finds.
    pub fn read_eob(&self, v: FhirVersion, id: &str, _base: &str) -> Result<Vec<u8>, ApiError> {
        let (_, claim) = self.locate(id)?;
        let mut out = Vec::new();
        self.renderer(v).eob(&mut out, &claim);
        Ok(out)
    }

    /// The user index of the holder of the EOB with this FHIR id, found through the deal's
    /// inverse in O(the holder's block and claims), so a server can refuse someone else's
    /// claim; 404 for a claim the holder's settled claims dropped.
    pub fn eob_holder(&self, id: &str) -> Result<u64, ApiError> {
        self.locate(id).map(|(i, _)| i)
    }

    /// The holder and the settled claim of an EOB id; 404 unless the id's type is its
    /// claim's and the holder keeps it.
    fn locate(&self, id: &str) -> Result<(u64, Claim), ApiError> {
        let (kind, claim_id) = eob_id(id)?;
        let (t, block, place) = ids::card_of_claim_id(claim_id)
            .filter(|(t, _, _)| *t == kind)
            .ok_or_else(not_found)?;
        let i = self.dataset().holder_of(claim_id).ok_or_else(not_found)?;
        let card = ids::card(block, place);
        let claim = self
            .dataset()
            .claims(i)
            .into_iter()
            .find(|c| c.kind == t && c.card == card)
            .ok_or_else(not_found)?;
        Ok((i, claim))
    }
}

/// The claim type and claim id of an EOB id: `<letters>-<integer>`, else the FHIR server's
/// 400; letters naming no claim type are 404.
fn eob_id(id: &str) -> Result<(ClaimType, i64), ApiError> {
    let (name, claim) = id
        .split_once('-')
        .filter(|(name, claim)| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphabetic()) && is_int(claim)
        })
        .ok_or_else(|| unsupported(id))?;
    let kind = ClaimType::from_name(name).ok_or_else(not_found)?;
    let claim_id = claim.parse().map_err(|_| not_found())?;
    Ok((kind, claim_id))
}

/// An optionally negative decimal integer.
fn is_int(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn not_found() -> ApiError {
    ApiError::NotFound(NOT_FOUND.into())
}

fn unsupported(id: &str) -> ApiError {
    ApiError::BadRequest(format!("{UPSTREAM}Unsupported ID pattern: {id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eob_ids_split_into_type_and_claim_id() {
        assert_eq!(
            eob_id("carrier--100000000001"),
            Ok((ClaimType::Carrier, -100000000001))
        );
        assert_eq!(
            eob_id("pde--1010252550"),
            Ok((ClaimType::PartD, -1010252550))
        );
        assert_eq!(eob_id("bogus--1"), Err(not_found()));
        for bad in [
            "carrier",
            "carrier-",
            "carrier--",
            "-1",
            "car1er--1",
            "carrier-x",
        ] {
            assert_eq!(eob_id(bad), Err(unsupported(bad)), "{bad}");
        }
    }
}
