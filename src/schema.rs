//! The column model: every table bbgen writes, with the CCW RIF column names, the BFD database
//! column names, SQL types and nullability, compiled from `schema/rif_columns.tsv`.
//!
//! One model feeds every table format (CSV, Parquet, RIF, SQL) and the generators, so the
//! formats cannot drift apart. Columns are addressed by [`Col`], a dense id per distinct RIF
//! column name; each [`Table`] maps a `Col` to its position in O(1).

/// A RIF column name, as a dense id usable across tables (`Col::CLM_ID` is the claim id in
/// every claim table).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Col(pub u16);

impl Col {
    /// The RIF column name (upper case, as in the RIF header).
    pub fn name(self) -> &'static str {
        COL_NAMES[self.0 as usize]
    }

    /// Looks a column up by its RIF name.
    pub fn by_name(name: &str) -> Option<Col> {
        COL_NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Col(i as u16))
    }
}

/// A column's SQL type as BFD declares it in PostgreSQL.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SqlType {
    /// 64-bit integer (ids).
    BigInt,
    /// 16-bit integer.
    SmallInt,
    /// 32-bit integer.
    Integer,
    /// Exact decimal; `precision` 0 means unconstrained. Values are held as integers scaled by
    /// `10^scale` (money in cents).
    Numeric {
        /// Total digits (0: unconstrained).
        precision: u16,
        /// Digits after the decimal point.
        scale: u16,
    },
    /// Variable-length text of at most this many characters.
    Varchar(u16),
    /// Fixed-length text.
    Char(u16),
    /// Calendar date.
    Date,
}

impl SqlType {
    /// Digits after the decimal point (0 for everything but scaled numerics).
    pub fn scale(self) -> u16 {
        match self {
            SqlType::Numeric { scale, .. } => scale,
            _ => 0,
        }
    }

    /// The PostgreSQL spelling of the type.
    pub fn sql(self) -> String {
        match self {
            SqlType::BigInt => "bigint".into(),
            SqlType::SmallInt => "smallint".into(),
            SqlType::Integer => "integer".into(),
            SqlType::Numeric { precision: 0, .. } => "numeric".into(),
            SqlType::Numeric { precision, scale } => format!("numeric({precision},{scale})"),
            SqlType::Varchar(n) => format!("varchar({n})"),
            SqlType::Char(n) => format!("char({n})"),
            SqlType::Date => "date".into(),
        }
    }
}

/// One column of a table.
#[derive(Debug)]
pub struct Column {
    /// Its id.
    pub col: Col,
    /// The RIF column name; `None` for database-only columns (a line table's parent `clm_id`).
    pub rif: Option<&'static str>,
    /// The BFD database column name (lower case).
    pub db: &'static str,
    /// SQL type.
    pub ty: SqlType,
    /// Whether the column may be empty.
    pub nullable: bool,
}

/// A database table (one per claim header, claim line, Part D event and beneficiary).
#[derive(Debug)]
pub struct Table {
    /// Database table name, also the CSV/Parquet file stem.
    pub name: &'static str,
    /// The RIF file it belongs to (`carrier`, `pde`, `beneficiary`, …).
    pub file: &'static str,
    /// Columns in RIF order (a line table starts with its parent claim id).
    pub columns: &'static [Column],
    pos: &'static [u16],
}

impl Table {
    /// The position of `col` in this table, if it has it.
    #[inline]
    pub fn position(&self, col: Col) -> Option<usize> {
        match self.pos[col.0 as usize] {
            u16::MAX => None,
            p => Some(p as usize),
        }
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.columns.len()
    }
}

impl PartialEq for Table {
    /// Tables are static and uniquely named.
    fn eq(&self, other: &Table) -> bool {
        self.name == other.name
    }
}

impl Eq for Table {}

include!(concat!(env!("OUT_DIR"), "/schema_gen.rs"));

/// Every table, in the order bbgen writes them.
pub static TABLES: [&Table; 16] = [
    &BENEFICIARIES,
    &CARRIER_CLAIMS,
    &CARRIER_CLAIM_LINES,
    &INPATIENT_CLAIMS,
    &INPATIENT_CLAIM_LINES,
    &OUTPATIENT_CLAIMS,
    &OUTPATIENT_CLAIM_LINES,
    &DME_CLAIMS,
    &DME_CLAIM_LINES,
    &HHA_CLAIMS,
    &HHA_CLAIM_LINES,
    &HOSPICE_CLAIMS,
    &HOSPICE_CLAIM_LINES,
    &SNF_CLAIMS,
    &SNF_CLAIM_LINES,
    &PARTD_EVENTS,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_where_the_table_has_them() {
        for t in TABLES {
            for (i, c) in t.columns.iter().enumerate() {
                assert_eq!(t.position(c.col), Some(i), "{} {}", t.name, c.db);
            }
        }
        assert_eq!(CARRIER_CLAIMS.position(Col::BENE_ID), Some(0));
        assert_eq!(CARRIER_CLAIMS.position(Col::LINE_NUM), None);
        assert_eq!(CARRIER_CLAIM_LINES.columns[0].db, "clm_id");
        assert_eq!(CARRIER_CLAIM_LINES.columns[1].db, "line_num");
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(Col::by_name("CLM_PMT_AMT"), Some(Col::CLM_PMT_AMT));
        assert_eq!(Col::CLM_PMT_AMT.name(), "CLM_PMT_AMT");
        assert_eq!(Col::by_name("NO_SUCH_COLUMN"), None);
    }

    #[test]
    fn money_is_scaled_by_two() {
        let t = &CARRIER_CLAIMS;
        let c = &t.columns[t.position(Col::CLM_PMT_AMT).unwrap()];
        assert_eq!(c.ty.scale(), 2);
        assert_eq!(c.ty.sql(), "numeric(12,2)");
    }
}
