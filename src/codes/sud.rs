//! Substance-use-disorder codes. The Blue Button API withholds claims that carry them
//! (42 CFR Part 2), so bbgen does not generate them unless asked.
//!
//! The rules are in `codesystems/sud.tsv`: a code is SUD when the longest listed prefix it
//! starts with is marked `sud = 1` (so ICD-10-CM F17, tobacco, is excluded from F10–F19).
//! Codes may be given with or without the dot.

use std::sync::LazyLock;

use super::table::parse_rows;

struct Rule {
    system: &'static str,
    prefix: &'static str,
    sud: bool,
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rows = parse_rows(
        "sud.tsv",
        include_str!("../../codesystems/sud.tsv"),
        &["system", "prefix", "sud", "note"],
    )
    .unwrap_or_else(|e| panic!("built-in code table: {e}"));
    rows.cells
        .chunks_exact(4)
        .zip(&rows.lines)
        .map(|(r, line)| Rule {
            system: r[0],
            prefix: r[1],
            sud: match r[2] {
                "1" => true,
                "0" => false,
                other => panic!("sud.tsv:{line}: sud is {other:?}, expected 0 or 1"),
            },
        })
        .collect()
});

/// `code` (dots ignored, surrounding spaces trimmed) starts with `prefix`.
fn starts_with_undotted(code: &str, prefix: &str) -> bool {
    let mut code = code.trim().bytes().filter(|b| *b != b'.');
    prefix.bytes().all(|p| code.next() == Some(p))
}

fn is_sud(system: &str, code: &str) -> bool {
    RULES
        .iter()
        .filter(|r| r.system == system && starts_with_undotted(code, r.prefix))
        .max_by_key(|r| r.prefix.len())
        .is_some_and(|r| r.sud)
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
    RULES.iter().map(|r| (r.system, r.prefix, r.sud))
}
