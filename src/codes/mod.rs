//! Code systems: the tables in `codesystems/`, compiled into the binary and parsed once on
//! first use. Every system is served by one sorted [`CodeTable`] type; typed views
//! ([`ndc::Drug`], [`drg::MsDrg`]) read the table-specific columns.
//!
//! Codes are stored as claims carry them: ICD codes without the dot (`E119`), NDCs as 11
//! digits, MS-DRGs as 3 digits, revenue centers as 4 digits.
//!
//! `--code-tables DIR` swaps in the full official HCPCS and NDC files: [`official`] turns
//! their text into tables and [`Codes`] holds the set a run uses.

pub mod ccw;
pub mod drg;
pub mod hcpcs;
pub mod icd;
pub mod ndc;
pub mod official;
mod prefix;
pub mod revenue;
mod run;
pub mod sex;
pub mod sud;
mod table;

pub use drg::ms_drg;
pub use hcpcs::{betos_of, hcpcs};
pub use icd::{
    Introduced, icd9cm, icd9pcs, icd10cm, icd10cm_as_of, icd10cm_display, icd10cm_introduced,
    icd10cm_valid_on, icd10pcs,
};
pub use ndc::ndc;
pub use official::{
    CodeOverrides, MODIFIER_FILE_LAYOUT, ndc11, parse_hcpcs_file, parse_ndc_directory,
};
pub use revenue::revenue_centers;
pub use run::Codes;
pub use table::{CodeTable, CodeTablesError, Entry, Layout};

/// `"1.9289"` with `places = 4` → `19289`; `None` for empty or malformed text or more
/// decimals than `places`.
pub(crate) fn decimal_scaled(text: &str, places: u32) -> Option<u64> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if (int.is_empty() && frac.is_empty()) || frac.len() > places as usize {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) {
        return None;
    }
    let int: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac_value: u64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    let scale = 10u64.pow(places);
    let frac_scaled = frac_value * 10u64.pow(places - frac.len() as u32);
    int.checked_mul(scale)?.checked_add(frac_scaled)
}

#[cfg(test)]
mod tests {
    use super::decimal_scaled;

    #[test]
    fn decimals() {
        assert_eq!(decimal_scaled("1.9289", 4), Some(19289));
        assert_eq!(decimal_scaled("25.8", 1), Some(258));
        assert_eq!(decimal_scaled("14", 1), Some(140));
        assert_eq!(decimal_scaled("0.5", 3), Some(500));
        assert_eq!(decimal_scaled("", 1), None);
        assert_eq!(decimal_scaled(".", 1), None);
        assert_eq!(decimal_scaled("1.25", 1), None);
        assert_eq!(decimal_scaled("x", 1), None);
    }
}
