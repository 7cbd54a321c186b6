//! Revenue center codes (4 digits, e.g. `0450`). Codes only: their descriptions are NUBC's.

use std::sync::LazyLock;

use super::table::{CodeTable, Layout, builtin};

const LAYOUT: Layout = Layout {
    key: "code",
    display: None,
    extra: &[],
};

/// Revenue center codes recognised by the outpatient code editor in April 2026.
pub fn revenue_centers() -> &'static CodeTable {
    static TABLE: LazyLock<CodeTable> = LazyLock::new(|| {
        builtin(
            "revenue_centers.tsv",
            include_str!("../../codesystems/revenue_centers.tsv"),
            LAYOUT,
        )
    });
    &TABLE
}
