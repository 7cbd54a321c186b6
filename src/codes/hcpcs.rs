//! HCPCS: Level II codes with CMS short descriptors, the curated CPT (Level I) code numbers
//! (no descriptors: their text belongs to the AMA), BETOS categories and modifiers.

use std::sync::LazyLock;

use super::table::{CodeTable, Entry, Layout, builtin};

/// `hcpcs.tsv`: Level II codes.
pub const LEVEL2_LAYOUT: Layout = Layout {
    key: "code",
    display: Some("display"),
    extra: &["betos"],
};
/// `cpt.tsv`: CPT code numbers only.
pub const CPT_LAYOUT: Layout = Layout {
    key: "code",
    display: None,
    extra: &["category", "betos"],
};
/// The combined table served by [`hcpcs()`].
pub const LAYOUT: Layout = Layout {
    key: "code",
    display: Some("display"),
    extra: &["betos", "category"],
};
/// `hcpcs_modifiers.tsv`: modifier codes (no descriptors in the public source).
pub const MODIFIER_LAYOUT: Layout = Layout {
    key: "code",
    display: None,
    extra: &["level", "oce_flags"],
};
const BETOS_LAYOUT: Layout = Layout {
    key: "code",
    display: Some("display"),
    extra: &[],
};

static LEVEL2: LazyLock<CodeTable> = LazyLock::new(|| {
    builtin(
        "hcpcs.tsv",
        include_str!("../../codesystems/hcpcs.tsv"),
        LEVEL2_LAYOUT,
    )
});
static CPT: LazyLock<CodeTable> = LazyLock::new(|| {
    builtin(
        "cpt.tsv",
        include_str!("../../codesystems/cpt.tsv"),
        CPT_LAYOUT,
    )
});
static COMBINED: LazyLock<CodeTable> = LazyLock::new(|| combine(&LEVEL2, &CPT));

/// HCPCS Level II (A–V without dental D codes) plus the curated CPT code numbers, whose
/// display is `None`. Extra columns: `betos`, `category` (CPT only).
pub fn hcpcs() -> &'static CodeTable {
    &COMBINED
}

/// The compiled-in Level II table alone (`hcpcs.tsv`).
pub fn level2() -> &'static CodeTable {
    &LEVEL2
}

/// The curated CPT code numbers alone (`cpt.tsv`), with a category in bbgen's own words.
pub fn cpt() -> &'static CodeTable {
    &CPT
}

/// BETOS categories (2014 BETOS file): code → description.
pub fn betos() -> &'static CodeTable {
    static TABLE: LazyLock<CodeTable> = LazyLock::new(|| {
        builtin(
            "betos.tsv",
            include_str!("../../codesystems/betos.tsv"),
            BETOS_LAYOUT,
        )
    });
    &TABLE
}

/// HCPCS modifier codes current in April 2026 (Level I two-digit and Level II).
pub fn modifiers() -> &'static CodeTable {
    static TABLE: LazyLock<CodeTable> = LazyLock::new(|| {
        builtin(
            "hcpcs_modifiers.tsv",
            include_str!("../../codesystems/hcpcs_modifiers.tsv"),
            MODIFIER_LAYOUT,
        )
    });
    &TABLE
}

/// The BETOS code of a HCPCS or CPT code, where the BETOS file assigns one.
pub fn betos_of(hcpcs: &str) -> Option<&'static str> {
    betos_in(&COMBINED, hcpcs)
}

/// [`betos_of`] against any table with the combined layout (e.g. one loaded with
/// `--code-tables`).
pub fn betos_in(table: &CodeTable, hcpcs: &str) -> Option<&'static str> {
    Some(table.field(table.get(hcpcs)?, "betos")?).filter(|b| !b.is_empty())
}

/// Whether a code is a CPT (Level I) code: five digits, or four digits and a letter.
pub fn is_cpt(code: &str) -> bool {
    code.len() == 5 && code.as_bytes()[..4].iter().all(u8::is_ascii_digit)
}

/// Merge a Level II table (`LEVEL2_LAYOUT`) with the CPT numbers (`CPT_LAYOUT`) into one
/// table with `LAYOUT`. Dental (D) codes are left out.
pub fn combine(level2: &CodeTable, cpt: &CodeTable) -> CodeTable {
    assert_eq!(*level2.layout(), LEVEL2_LAYOUT, "{}", level2.name());
    assert_eq!(*cpt.layout(), CPT_LAYOUT, "{}", cpt.name());
    let rows: Vec<(&Entry, [&'static str; 2])> = level2
        .iter()
        .filter(|e| !e.code().starts_with('D'))
        .map(|e| (e, [e.field(0), ""]))
        .chain(cpt.iter().map(|e| (e, [e.field(1), e.field(0)])))
        .collect();
    let cells: &'static [&'static str] =
        Vec::leak(rows.iter().flat_map(|(_, extra)| *extra).collect());
    let entries = rows
        .iter()
        .zip(cells.chunks_exact(2))
        .map(|((e, _), extra)| Entry::new(e.code(), e.display(), extra))
        .collect();
    CodeTable::from_entries("hcpcs", LAYOUT, entries)
        .unwrap_or_else(|e| panic!("HCPCS and CPT tables overlap: {e}"))
}
