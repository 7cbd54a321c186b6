//! The records bbgen generates: beneficiaries and claims of eight types, as rows of the
//! column model (`crate::schema`), plus the identifiers that tie them together.

mod claim_type;
pub mod ids;
mod record;

pub use claim_type::{ClaimType, Family, PerType, TypeInfo};
pub use record::{LineMut, Lines, Record, RowRef};

use crate::schema::Col;
use crate::value::{InlineStr, Value};

/// A beneficiary's sex as Medicare records it (`BENE_SEX_IDENT_CD`: 1 male, 2 female), which
/// decides the sex-specific claims the beneficiary may hold. `as usize` indexes per-sex
/// tables: male 0, female 1.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sex {
    Male = 0,
    Female = 1,
}

/// One claim (or Part D event): its header row and, except for Part D, its lines.
#[derive(Clone, PartialEq, Debug)]
pub struct Claim {
    /// The claim type.
    pub kind: ClaimType,
    /// Its card number (block × the type's stride + its place in the block's deck, see
    /// [`ids::CardLayout`]), which keys its random stream.
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

impl Beneficiary {
    /// The beneficiary's sex, from its row.
    pub fn sex(&self) -> Sex {
        match self.record.get(Col::BENE_SEX_IDENT_CD) {
            Value::Str("2") => Sex::Female,
            _ => Sex::Male,
        }
    }
}
