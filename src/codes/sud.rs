//! Substance-use-disorder codes. The Blue Button API withholds claims that carry them
//! (42 CFR Part 2), so bbgen does not generate them unless asked.
//!
//! The rules are in `codesystems/sud.tsv`: a code is SUD when the longest listed prefix it
//! starts with is marked `sud = 1` (so ICD-10-CM F17, tobacco, is excluded from F10–F19).
//! Codes may be given with or without the dot.

use std::sync::LazyLock;

use super::prefix::PrefixRules;

static RULES: LazyLock<PrefixRules<bool>> = LazyLock::new(|| {
    PrefixRules::parse(
        "sud.tsv",
        include_str!("../../codesystems/sud.tsv"),
        "sud",
        |v| match v {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        },
    )
});

fn is_sud(system: &str, code: &str) -> bool {
    RULES.lookup(system, code) == Some(true)
}

/// ICD-10-CM F10–F19 except F17 (nicotine).
pub fn is_sud_icd10cm(code: &str) -> bool {
    is_sud("icd10cm", code)
}

/// ICD-9-CM 291, 292, 303, 304, 305 except 305.1 (tobacco use disorder).
pub fn is_sud_icd9(code: &str) -> bool {
    is_sud("icd9cm", code)
}

/// ICD-10-PCS section HZ (substance abuse treatment).
pub fn is_sud_pcs(code: &str) -> bool {
    is_sud("icd10pcs", code)
}

/// ICD-9-CM procedures 94.6x (alcohol and drug rehabilitation and detoxification).
pub fn is_sud_icd9_procedure(code: &str) -> bool {
    is_sud("icd9pcs", code)
}

/// MS-DRGs 894–897 (alcohol, drug abuse or dependence).
pub fn is_sud_drg(drg: &str) -> bool {
    let drg = drg.trim();
    drg.len() == 3 && is_sud("msdrg", drg)
}

/// The (system, prefix, sud) rules, for documentation and tests.
pub fn rules() -> impl Iterator<Item = (&'static str, &'static str, bool)> {
    RULES.iter()
}
