//! The records bbgen generates: beneficiaries and claims of eight types, as rows of the
//! column model (`crate::schema`), plus the identifiers that tie them together.

pub mod ids;
mod record;

pub use record::{LineMut, Lines, Record, RowRef};

use crate::rng::Domain;
use crate::schema::{self, Table};
use crate::value::InlineStr;

/// The eight claim types, in the order bbgen numbers them (the number keys each type's deck).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum ClaimType {
    /// Part B professional claims (physicians, labs, ambulance).
    Carrier = 0,
    /// Part A inpatient hospital stays.
    Inpatient = 1,
    /// Part B hospital outpatient claims.
    Outpatient = 2,
    /// Part B durable medical equipment.
    Dme = 3,
    /// Home health agency claims.
    Hha = 4,
    /// Hospice claims.
    Hospice = 5,
    /// Skilled nursing facility stays.
    Snf = 6,
    /// Part D prescription drug events.
    PartD = 7,
}

impl ClaimType {
    /// All types, in number order.
    pub const ALL: [ClaimType; 8] = [
        ClaimType::Carrier,
        ClaimType::Inpatient,
        ClaimType::Outpatient,
        ClaimType::Dme,
        ClaimType::Hha,
        ClaimType::Hospice,
        ClaimType::Snf,
        ClaimType::PartD,
    ];

    /// The type's number (0–7).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case name, as in RIF file names, FHIR ids and `--help` (`carrier`, …, `pde`).
    pub fn name(self) -> &'static str {
        match self {
            ClaimType::Carrier => "carrier",
            ClaimType::Inpatient => "inpatient",
            ClaimType::Outpatient => "outpatient",
            ClaimType::Dme => "dme",
            ClaimType::Hha => "hha",
            ClaimType::Hospice => "hospice",
            ClaimType::Snf => "snf",
            ClaimType::PartD => "pde",
        }
    }

    /// The claim (or event) table.
    pub fn header_table(self) -> &'static Table {
        match self {
            ClaimType::Carrier => &schema::CARRIER_CLAIMS,
            ClaimType::Inpatient => &schema::INPATIENT_CLAIMS,
            ClaimType::Outpatient => &schema::OUTPATIENT_CLAIMS,
            ClaimType::Dme => &schema::DME_CLAIMS,
            ClaimType::Hha => &schema::HHA_CLAIMS,
            ClaimType::Hospice => &schema::HOSPICE_CLAIMS,
            ClaimType::Snf => &schema::SNF_CLAIMS,
            ClaimType::PartD => &schema::PARTD_EVENTS,
        }
    }

    /// The line table (Part D events have none).
    pub fn line_table(self) -> Option<&'static Table> {
        match self {
            ClaimType::Carrier => Some(&schema::CARRIER_CLAIM_LINES),
            ClaimType::Inpatient => Some(&schema::INPATIENT_CLAIM_LINES),
            ClaimType::Outpatient => Some(&schema::OUTPATIENT_CLAIM_LINES),
            ClaimType::Dme => Some(&schema::DME_CLAIM_LINES),
            ClaimType::Hha => Some(&schema::HHA_CLAIM_LINES),
            ClaimType::Hospice => Some(&schema::HOSPICE_CLAIM_LINES),
            ClaimType::Snf => Some(&schema::SNF_CLAIM_LINES),
            ClaimType::PartD => None,
        }
    }

    /// The random-stream domain of this type's claims.
    pub fn domain(self) -> Domain {
        match self {
            ClaimType::Carrier => Domain::CarrierClaim,
            ClaimType::Inpatient => Domain::InpatientClaim,
            ClaimType::Outpatient => Domain::OutpatientClaim,
            ClaimType::Dme => Domain::DmeClaim,
            ClaimType::Hha => Domain::HhaClaim,
            ClaimType::Hospice => Domain::HospiceClaim,
            ClaimType::Snf => Domain::SnfClaim,
            ClaimType::PartD => Domain::PartDEvent,
        }
    }

    /// Parses a name as written by [`Self::name`].
    pub fn from_name(s: &str) -> Option<ClaimType> {
        ClaimType::ALL.into_iter().find(|t| t.name() == s)
    }
}

/// One claim (or Part D event): its header row and, except for Part D, its lines.
#[derive(Clone, PartialEq, Debug)]
pub struct Claim {
    /// The claim type.
    pub kind: ClaimType,
    /// Its position in the type's deck (global across batches), which keys its random stream.
    pub card: u64,
    /// The claim-level row.
    pub header: Record,
    /// The line rows (`None` for Part D events).
    pub lines: Option<Lines>,
}

/// One beneficiary: sandbox log-in and the beneficiary row (demographics and enrollment).
#[derive(Clone, PartialEq, Debug)]
pub struct Beneficiary {
    /// User index (0 for BBUser00000).
    pub index: u64,
    /// BENE_ID (negative, synthetic).
    pub bene_id: i64,
    /// Sandbox user name, `BBUser` + index.
    pub username: InlineStr,
    /// Sandbox password, `PW` + index + `!`.
    pub password: InlineStr,
    /// The `beneficiaries` row.
    pub record: Record,
}
