//! The [`Renderer`]: one beneficiary's resources in the FHIR version a run or a request asks
//! for, and the order in which the API lists a patient's EOBs. The searches and documents
//! built on it (`search`) are the same for every version.

use crate::Options;
use crate::model::{Beneficiary, Claim, ClaimType};

use super::{r4, stu3};

/// A FHIR version bbgen writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FhirVersion {
    /// R4 (4.0.1), the v2 API, CARIN C4BB profiles.
    R4,
    /// STU3 (3.0.2), the v1 API.
    Stu3,
}

impl FhirVersion {
    /// Both versions, in the order of the API versions that serve them (`v1`, `v2`).
    pub const ALL: [FhirVersion; 2] = [FhirVersion::Stu3, FhirVersion::R4];

    /// The Blue Button API version that serves this FHIR version, the first segment of its
    /// paths (`v1` for STU3, `v2` for R4).
    pub fn api_version(self) -> &'static str {
        match self {
            FhirVersion::R4 => "v2",
            FhirVersion::Stu3 => "v1",
        }
    }

    /// The folder of this version's files: `fhir` (R4) or `fhir-stu3`.
    pub fn folder(self) -> &'static str {
        match self {
            FhirVersion::R4 => "fhir",
            FhirVersion::Stu3 => "fhir-stu3",
        }
    }

    /// The FHIR base of the hosted sandbox for this version, ending in `/`.
    pub fn sandbox_base(self) -> &'static str {
        match self {
            FhirVersion::R4 => super::bundle::SANDBOX_BASE,
            FhirVersion::Stu3 => super::bundle::SANDBOX_BASE_V1,
        }
    }
}

/// Renders one beneficiary's resources in one FHIR version.
pub struct Renderer<'a> {
    version: FhirVersion,
    last_updated: String,
    created: crate::value::Date,
    codes: &'a crate::codes::Codes,
}

impl<'a> Renderer<'a> {
    /// R4 resources for a run with these options and code tables.
    pub fn new(options: &Options, codes: &'a crate::codes::Codes) -> Renderer<'a> {
        Renderer::of(FhirVersion::R4, options, codes)
    }

    /// Resources of `version` for a run with these options and code tables.
    pub fn of(
        version: FhirVersion,
        options: &Options,
        codes: &'a crate::codes::Codes,
    ) -> Renderer<'a> {
        Renderer {
            version,
            last_updated: super::last_updated(options),
            created: options.end_date,
            codes,
        }
    }

    /// The Patient.
    pub fn patient(&self, out: &mut Vec<u8>, b: &Beneficiary) {
        match self.version {
            FhirVersion::R4 => r4::write_patient(out, b, &self.last_updated),
            FhirVersion::Stu3 => stu3::write_patient(out, b, &self.last_updated),
        }
    }

    /// The Coverage of one part.
    pub fn coverage(&self, out: &mut Vec<u8>, b: &Beneficiary, part: char) {
        match self.version {
            FhirVersion::R4 => r4::write_coverage(out, b, part, &self.last_updated),
            FhirVersion::Stu3 => stu3::write_coverage(out, b, part, &self.last_updated),
        }
    }

    /// One ExplanationOfBenefit.
    pub fn eob(&self, out: &mut Vec<u8>, c: &Claim) {
        match self.version {
            FhirVersion::R4 => r4::write_eob(
                out,
                c,
                &r4::EobContext {
                    last_updated: &self.last_updated,
                    created: self.created,
                    codes: self.codes,
                },
            ),
            FhirVersion::Stu3 => stu3::write_eob(out, c, &self.last_updated, self.codes),
        }
    }

    /// The FHIR version it writes.
    pub fn version(&self) -> FhirVersion {
        self.version
    }

    /// `meta.lastUpdated` of every resource this renderer writes.
    pub fn last_updated(&self) -> &str {
        &self.last_updated
    }
}

/// The order in which the API lists a patient's EOBs: the indexes of `claims` sorted by claim
/// id as a string (BFD sorts the decimal ids as text), then by claim type.
pub fn eob_order(claims: &[Claim]) -> Vec<usize> {
    let ids: Vec<(ClaimType, i64)> = claims
        .iter()
        .map(|c| {
            let id = c.header.get(c.kind.info().id_column).as_int();
            (c.kind, id.expect("claim ids are integers"))
        })
        .collect();
    eob_order_of_ids(&ids)
}

/// [`eob_order`] from each claim's type and id alone, so a page can be picked before any
/// claim is generated.
pub fn eob_order_of_ids(ids: &[(ClaimType, i64)]) -> Vec<usize> {
    let keys: Vec<(String, &str)> = ids
        .iter()
        .map(|(t, id)| (id.to_string(), t.name()))
        .collect();
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
    order
}
