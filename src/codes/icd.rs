//! ICD-10-CM (billable codes), ICD-10-PCS, and ICD-9-CM diagnoses and procedures (v32).
//! Codes are stored without the dot: `E119` for E11.9.

use std::sync::LazyLock;

use super::table::{CodeTable, Layout, builtin};

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
