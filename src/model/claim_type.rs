//! The eight claim types and what each one is: one descriptor per type ([`TypeInfo`]), and
//! [`PerType`], an array indexed by type, so adding a type fails to compile wherever it
//! needs a value instead of falling into a catch-all arm.

use std::ops::{Deref, DerefMut, Index, IndexMut};

use crate::rng::Domain;
use crate::schema::{self, Col, Table};

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

/// How a type's claims are shaped: who bills and what a line is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Family {
    /// Billed by a practitioner or supplier, one line per service (carrier, DME).
    Professional,
    /// Billed by a facility, one line per revenue center (inpatient, outpatient, HHA,
    /// hospice, SNF).
    Institutional,
    /// A pharmacy's prescription drug event, without lines (Part D).
    Drug,
}

/// What one claim type is.
#[derive(Debug)]
pub struct TypeInfo {
    /// Lower-case name, as in RIF file names, FHIR ids and `--help` (`carrier`, …, `pde`).
    pub name: &'static str,
    /// The claim (or event) table.
    pub header: &'static Table,
    /// The line table (Part D events have none).
    pub lines: Option<&'static Table>,
    /// The random-stream domain of this type's claims.
    pub domain: Domain,
    /// The header column holding the claim's id (`CLM_ID`, or `PDE_ID` for Part D).
    pub id_column: Col,
    /// The shape of its claims.
    pub family: Family,
}

static TYPES: [TypeInfo; ClaimType::COUNT] = [
    TypeInfo {
        name: "carrier",
        header: &schema::CARRIER_CLAIMS,
        lines: Some(&schema::CARRIER_CLAIM_LINES),
        domain: Domain::CarrierClaim,
        id_column: Col::CLM_ID,
        family: Family::Professional,
    },
    TypeInfo {
        name: "inpatient",
        header: &schema::INPATIENT_CLAIMS,
        lines: Some(&schema::INPATIENT_CLAIM_LINES),
        domain: Domain::InpatientClaim,
        id_column: Col::CLM_ID,
        family: Family::Institutional,
    },
    TypeInfo {
        name: "outpatient",
        header: &schema::OUTPATIENT_CLAIMS,
        lines: Some(&schema::OUTPATIENT_CLAIM_LINES),
        domain: Domain::OutpatientClaim,
        id_column: Col::CLM_ID,
        family: Family::Institutional,
    },
    TypeInfo {
        name: "dme",
        header: &schema::DME_CLAIMS,
        lines: Some(&schema::DME_CLAIM_LINES),
        domain: Domain::DmeClaim,
        id_column: Col::CLM_ID,
        family: Family::Professional,
    },
    TypeInfo {
        name: "hha",
        header: &schema::HHA_CLAIMS,
        lines: Some(&schema::HHA_CLAIM_LINES),
        domain: Domain::HhaClaim,
        id_column: Col::CLM_ID,
        family: Family::Institutional,
    },
    TypeInfo {
        name: "hospice",
        header: &schema::HOSPICE_CLAIMS,
        lines: Some(&schema::HOSPICE_CLAIM_LINES),
        domain: Domain::HospiceClaim,
        id_column: Col::CLM_ID,
        family: Family::Institutional,
    },
    TypeInfo {
        name: "snf",
        header: &schema::SNF_CLAIMS,
        lines: Some(&schema::SNF_CLAIM_LINES),
        domain: Domain::SnfClaim,
        id_column: Col::CLM_ID,
        family: Family::Institutional,
    },
    TypeInfo {
        name: "pde",
        header: &schema::PARTD_EVENTS,
        lines: None,
        domain: Domain::PartDEvent,
        id_column: Col::PDE_ID,
        family: Family::Drug,
    },
];

impl ClaimType {
    /// Number of claim types.
    pub const COUNT: usize = 8;

    /// All types, in number order.
    pub const ALL: [ClaimType; ClaimType::COUNT] = [
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

    /// What this type is.
    pub fn info(self) -> &'static TypeInfo {
        &TYPES[self.index()]
    }

    /// Lower-case name, as in RIF file names, FHIR ids and `--help` (`carrier`, …, `pde`).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The claim (or event) table.
    pub fn header_table(self) -> &'static Table {
        self.info().header
    }

    /// The line table (Part D events have none).
    pub fn line_table(self) -> Option<&'static Table> {
        self.info().lines
    }

    /// The random-stream domain of this type's claims.
    pub fn domain(self) -> Domain {
        self.info().domain
    }

    /// The shape of this type's claims.
    pub fn family(self) -> Family {
        self.info().family
    }

    /// Parses a name as written by [`Self::name`].
    pub fn from_name(s: &str) -> Option<ClaimType> {
        ClaimType::ALL.into_iter().find(|t| t.name() == s)
    }
}

/// One value per claim type, indexed by [`ClaimType`] (and, through `Deref`, an array in
/// type-number order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PerType<T>(pub [T; ClaimType::COUNT]);

impl<T> PerType<T> {
    /// The value of each type computed by `f`, in type order.
    pub fn from_fn(mut f: impl FnMut(ClaimType) -> T) -> PerType<T> {
        PerType(ClaimType::ALL.map(&mut f))
    }

    /// Each value transformed by `f`.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> PerType<U> {
        PerType(self.0.map(f))
    }

    /// The types with their values, in type order.
    pub fn by_type(&self) -> impl Iterator<Item = (ClaimType, &T)> {
        ClaimType::ALL.into_iter().zip(self.0.iter())
    }
}

impl<T: Copy + std::ops::Add<Output = T>> PerType<T> {
    /// The sum of two, type by type.
    pub fn plus(self, other: PerType<T>) -> PerType<T> {
        PerType::from_fn(|t| self[t] + other[t])
    }
}

impl<T> Index<ClaimType> for PerType<T> {
    type Output = T;
    fn index(&self, t: ClaimType) -> &T {
        &self.0[t.index()]
    }
}

impl<T> IndexMut<ClaimType> for PerType<T> {
    fn index_mut(&mut self, t: ClaimType) -> &mut T {
        &mut self.0[t.index()]
    }
}

/// By type number ([`ClaimType::index`]), for code that walks the types as numbers.
impl<T> Index<usize> for PerType<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.0[i]
    }
}

impl<T> IndexMut<usize> for PerType<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.0[i]
    }
}

impl<T> Deref for PerType<T> {
    type Target = [T; ClaimType::COUNT];
    fn deref(&self) -> &[T; ClaimType::COUNT] {
        &self.0
    }
}

impl<T> DerefMut for PerType<T> {
    fn deref_mut(&mut self) -> &mut [T; ClaimType::COUNT] {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_are_in_type_order_and_name_their_own_tables() {
        for t in ClaimType::ALL {
            assert_eq!(ClaimType::from_name(t.name()), Some(t));
            assert!(t.header_table().position(t.info().id_column).is_some());
            assert_eq!(t.line_table().is_none(), t.family() == Family::Drug);
        }
        assert_eq!(ClaimType::Dme.family(), Family::Professional);
        assert_eq!(ClaimType::Hospice.family(), Family::Institutional);
    }

    #[test]
    fn per_type_indexes_by_type_and_by_number() {
        let mut p = PerType::from_fn(|t| t.index() as u64 * 10);
        p[ClaimType::Snf] += 1;
        assert_eq!(p[ClaimType::Snf], 61);
        assert_eq!(p[6], 61);
        assert_eq!(p.plus(p)[ClaimType::PartD], 140);
        assert_eq!(p.iter().sum::<u64>(), 281);
    }
}
