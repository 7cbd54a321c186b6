//! ICD-10-CM (billable codes), ICD-10-PCS, and ICD-9-CM diagnoses and procedures (v32).
//! Codes are stored without the dot: `E119` for E11.9.

use std::sync::LazyLock;

use super::table::{CodeTable, Layout, builtin};
use crate::value::Date;

const LAYOUT: Layout = Layout {
    key: "code",
    display: Some("display"),
    extra: &[],
};

macro_rules! icd_table {
    ($(#[$doc:meta])* $fn:ident, $file:literal) => {
        $(#[$doc])*
        pub fn $fn() -> &'static CodeTable {
            static TABLE: LazyLock<CodeTable> = LazyLock::new(|| {
                builtin($file, include_str!(concat!("../../codesystems/", $file)), LAYOUT)
            });
            &TABLE
        }
    };
}

icd_table!(
    /// ICD-10-CM FY2026 billable codes (no dot), with their long descriptions.
    icd10cm,
    "icd10cm.tsv"
);
icd_table!(
    /// ICD-10-PCS FY2024 codes (7 characters), with their long descriptions.
    icd10pcs,
    "icd10pcs.tsv"
);
icd_table!(
    /// ICD-9-CM v32 diagnosis codes (no dot), for claims dated before October 2015.
    icd9cm,
    "icd9cm.tsv"
);
icd_table!(
    /// ICD-9-CM v32 procedure codes (no dot), for claims dated before October 2015.
    icd9pcs,
    "icd9pcs.tsv"
);

/// `E11.9` → `E119`: the stored form of a dotted ICD code.
pub fn undotted(code: &str) -> String {
    code.replace('.', "")
}

/// An ICD-10-CM code of the FY2026 table that came into use after October 2015 (a row of
/// `codesystems/icd10cm_dates.tsv`): the first day it is valid, and the code, since retired
/// or still valid, that classified the condition until then.
#[derive(Debug)]
pub struct Introduced {
    /// The code (no dot).
    pub code: &'static str,
    /// The first day of the fiscal year (or quarter) that added it.
    pub effective: Date,
    /// The code in use before it.
    pub before: &'static str,
    /// That code's long description (from the last edition that listed it).
    pub before_display: &'static str,
}

fn bad_row(l: &str) -> ! {
    panic!("icd10cm_dates.tsv: bad row {l:?}")
}

/// The rows of `codesystems/icd10cm_dates.tsv`, sorted by code.
fn introduced_rows() -> &'static [Introduced] {
    static ROWS: LazyLock<Vec<Introduced>> = LazyLock::new(|| {
        let rows: Vec<Introduced> = include_str!("../../codesystems/icd10cm_dates.tsv")
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&'static str> = l.split('\t').collect();
                let [code, effective, before, before_display] = f[..] else {
                    bad_row(l)
                };
                let ymd: Vec<u32> = effective
                    .split('-')
                    .filter_map(|p| p.parse().ok())
                    .collect();
                let effective = match ymd[..] {
                    [y, m, d] => Date::from_ymd(y as i32, m, d),
                    _ => None,
                }
                .unwrap_or_else(|| bad_row(l));
                Introduced {
                    code,
                    effective,
                    before,
                    before_display,
                }
            })
            .collect();
        assert!(
            rows.windows(2).all(|w| w[0].code < w[1].code),
            "icd10cm_dates.tsv: not sorted by code"
        );
        rows
    });
    &ROWS
}

/// When `code` came into use, if after October 2015.
pub fn icd10cm_introduced(code: &str) -> Option<&'static Introduced> {
    let rows = introduced_rows();
    rows.binary_search_by(|i| i.code.cmp(code))
        .ok()
        .map(|i| &rows[i])
}

/// The code a claim dated `on` carries for the condition `code` classifies: `code`, or the
/// code in use before `code` existed (G20 for G20A1 before October 2023).
pub fn icd10cm_as_of(code: &'static str, on: Date) -> &'static str {
    match icd10cm_introduced(code) {
        Some(i) if on < i.effective => i.before,
        _ => code,
    }
}

/// Whether a claim dated `on` may carry `code`: a code of the FY2026 table from its
/// effective date, or a code retired since, before the date its successors replaced it.
pub fn icd10cm_valid_on(code: &str, on: Date) -> bool {
    if let Some(i) = icd10cm_introduced(code) {
        return on >= i.effective;
    }
    icd10cm().contains(code)
        || introduced_rows()
            .iter()
            .any(|i| i.before == code && on < i.effective)
}

/// The description of an ICD-10-CM code: from the FY2026 table, or, for a code retired
/// since that older claims carry, from the last edition that listed it.
pub fn icd10cm_display(code: &str) -> Option<&'static str> {
    icd10cm().display(code).or_else(|| {
        introduced_rows()
            .iter()
            .find(|i| i.before == code)
            .map(|i| i.before_display)
    })
}
