//! MS-DRGs v43 (FY2026 final rule, table 5) with their weights and mean lengths of stay.

use std::sync::LazyLock;

use super::table::{CodeTable, Entry, Layout, builtin};

/// `msdrg.tsv`
pub const LAYOUT: Layout = Layout {
    key: "code",
    display: Some("display"),
    extra: &["mdc", "type", "weight", "gmlos", "amlos"],
};

/// MS-DRGs by 3-digit code (`"470"`); the display is the DRG title.
pub fn ms_drg() -> &'static CodeTable {
    static TABLE: LazyLock<CodeTable> = LazyLock::new(|| {
        builtin(
            "msdrg.tsv",
            include_str!("../../codesystems/msdrg.tsv"),
            LAYOUT,
        )
    });
    &TABLE
}

/// Typed view of an MS-DRG.
pub fn drg(code: &str) -> Option<MsDrg> {
    ms_drg().get(code).map(|entry| MsDrg { entry })
}

/// One MS-DRG. Decimal values are returned as integers in fixed units so that no float
/// decides any output.
#[derive(Debug, Clone, Copy)]
pub struct MsDrg {
    entry: &'static Entry,
}

impl MsDrg {
    pub fn code(&self) -> &'static str {
        self.entry.code()
    }
    pub fn title(&self) -> &'static str {
        self.entry.display().unwrap_or("")
    }
    /// Major diagnostic category: `"01"`–`"25"`, or `"PRE"`; empty for 998/999.
    pub fn mdc(&self) -> &'static str {
        self.entry.field(0)
    }
    /// `MED` or `SURG`; empty for 998/999.
    pub fn kind(&self) -> &'static str {
        self.entry.field(1)
    }
    pub fn is_surgical(&self) -> bool {
        self.kind() == "SURG"
    }
    /// Relative weight as printed (`"1.9289"`).
    pub fn weight(&self) -> &'static str {
        self.entry.field(2)
    }
    /// Relative weight in ten-thousandths (1.9289 → 19289).
    pub fn weight_ten_thousandths(&self) -> Option<u64> {
        super::decimal_scaled(self.weight(), 4)
    }
    /// Geometric mean length of stay in tenths of a day.
    pub fn gmlos_tenths(&self) -> Option<u64> {
        super::decimal_scaled(self.entry.field(3), 1)
    }
    /// Arithmetic mean length of stay in tenths of a day.
    pub fn amlos_tenths(&self) -> Option<u64> {
        super::decimal_scaled(self.entry.field(4), 1)
    }
}
