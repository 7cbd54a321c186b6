//! Sex-specific codes: diagnoses, procedures and services that only fit one sex, so the deal
//! gives claims carrying them only to beneficiaries of that sex.
//!
//! The rules are in `codesystems/sex.tsv`, one `(system, prefix, sex)` row per range: for
//! ICD-10-CM and ICD-10-PCS they follow the sex-conflict edits of CMS's Medicare Code Editor
//! (diagnoses and procedures for females or males only); for HCPCS/CPT, whose files carry no
//! such edit, the services whose descriptors name one sex's organs (mammography, cervical
//! screening, the female and male genital system chapters, the prostate). The longest
//! listed prefix decides, so `N99` (either sex) carves `N99.2`–`N99.3` back out of it.

use std::sync::LazyLock;

use super::prefix::PrefixRules;
use crate::model::Sex;

static RULES: LazyLock<PrefixRules<Option<Sex>>> = LazyLock::new(|| {
    PrefixRules::parse(
        "sex.tsv",
        include_str!("../../codesystems/sex.tsv"),
        "sex",
        |v| match v {
            "F" => Some(Some(Sex::Female)),
            "M" => Some(Some(Sex::Male)),
            "-" => Some(None),
            _ => None,
        },
    )
});

fn sex_of(system: &str, code: &str) -> Option<Sex> {
    RULES.lookup(system, code).flatten()
}

/// The one sex an ICD-10-CM diagnosis fits, if it fits only one.
pub fn icd10cm_sex(code: &str) -> Option<Sex> {
    sex_of("icd10cm", code)
}

/// The one sex an ICD-10-PCS procedure fits, if it fits only one.
pub fn icd10pcs_sex(code: &str) -> Option<Sex> {
    sex_of("icd10pcs", code)
}

/// The one sex a HCPCS or CPT service fits, if it fits only one.
pub fn hcpcs_sex(code: &str) -> Option<Sex> {
    sex_of("hcpcs", code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_one_sex_and_of_either() {
        let f = Some(Sex::Female);
        let m = Some(Sex::Male);
        for (code, sex) in [
            ("C61", m),
            ("N401", m),
            ("N40.1", m),
            ("R9720", m),
            ("C50911", f),
            ("C50921", m),
            ("C50919", f),
            ("N390", None),
            ("N9920", f),
            ("N990", None),
            ("O80", f),
            ("E119", None),
        ] {
            assert_eq!(icd10cm_sex(code), sex, "{code}");
        }
        assert_eq!(icd10pcs_sex("0VT08ZZ"), m);
        assert_eq!(icd10pcs_sex("0UT90ZZ"), f);
        assert_eq!(icd10pcs_sex("0SR9019"), None);
        assert_eq!(hcpcs_sex("77067"), f);
        assert_eq!(hcpcs_sex("G0103"), m);
        assert_eq!(hcpcs_sex("52601"), m);
        assert_eq!(hcpcs_sex("52000"), None);
        assert_eq!(hcpcs_sex("99213"), None);
    }
}
