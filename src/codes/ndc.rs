//! National Drug Codes: a curated list of real package NDCs for drugs Medicare beneficiaries
//! fill most, with the fields a Part D event needs.

use std::sync::LazyLock;

use super::table::{CodeTable, Entry, Layout, builtin};

/// `ndc.tsv`, and the table built from FDA's NDC directory by `--code-tables`.
pub const LAYOUT: Layout = Layout {
    key: "ndc11",
    display: Some("display"),
    extra: &[
        "ndc",
        "generic_name",
        "brand_name",
        "strength",
        "dosage_form",
        "days_supply",
        "quantity",
        "brand_or_generic",
        "source",
    ],
};

/// The compiled-in NDC table: 11-digit NDCs (no dashes).
pub fn ndc() -> &'static CodeTable {
    static TABLE: LazyLock<CodeTable> =
        LazyLock::new(|| builtin("ndc.tsv", include_str!("../../codesystems/ndc.tsv"), LAYOUT));
    &TABLE
}

/// The drug of a compiled-in NDC.
pub fn drug(ndc11: &str) -> Option<Drug<'static>> {
    Drug::find(ndc(), ndc11)
}

/// A row of an NDC table, with typed access to its drug fields.
#[derive(Debug, Clone, Copy)]
pub struct Drug<'a> {
    entry: &'a Entry,
}

impl<'a> Drug<'a> {
    /// Look `ndc11` up in `table`, which must have the NDC [`LAYOUT`].
    pub fn find(table: &'a CodeTable, ndc11: &str) -> Option<Drug<'a>> {
        Self::of(table, table.get(ndc11)?)
    }
    /// View an entry of `table` as a drug; `None` if the table is not an NDC table.
    pub fn of(table: &CodeTable, entry: &'a Entry) -> Option<Drug<'a>> {
        (*table.layout() == LAYOUT).then_some(Drug { entry })
    }
    /// Every drug of an NDC table, in NDC order.
    pub fn all(table: &'a CodeTable) -> impl Iterator<Item = Drug<'a>> {
        let ok = *table.layout() == LAYOUT;
        table.iter().filter(move |_| ok).map(|entry| Drug { entry })
    }
    pub fn entry(&self) -> &'a Entry {
        self.entry
    }
    /// The 11-digit NDC.
    pub fn ndc11(&self) -> &'static str {
        self.entry.code()
    }
    /// The NDC as printed on the package (10 digits with dashes, e.g. `0093-7214-01`).
    pub fn ndc_printed(&self) -> &'static str {
        self.entry.field(0)
    }
    pub fn generic_name(&self) -> &'static str {
        self.entry.field(1)
    }
    /// The proprietary name on the label (for generics, often the generic name again).
    pub fn brand_name(&self) -> &'static str {
        self.entry.field(2)
    }
    pub fn strength(&self) -> &'static str {
        self.entry.field(3)
    }
    pub fn dosage_form(&self) -> &'static str {
        self.entry.field(4)
    }
    /// Typical days supply of one fill; `None` when unknown (tables from FDA's files).
    pub fn days_supply(&self) -> Option<u32> {
        self.entry.field(5).parse().ok()
    }
    /// Typical quantity for 30 days, as decimal text (units, mL or grams).
    pub fn quantity(&self) -> Option<&'static str> {
        Some(self.entry.field(6)).filter(|q| !q.is_empty())
    }
    /// The quantity for 30 days in thousandths of a unit (Part D quantities have 3 decimals).
    pub fn quantity_thousandths(&self) -> Option<u64> {
        super::decimal_scaled(self.entry.field(6), 3)
    }
    /// `B` (brand) or `G` (generic); `""` when unknown.
    pub fn brand_or_generic(&self) -> &'static str {
        self.entry.field(7)
    }
    pub fn is_brand(&self) -> bool {
        self.brand_or_generic() == "B"
    }
    /// Where the code can be checked (DailyMed set id, or the FDA product id).
    pub fn source(&self) -> &'static str {
        self.entry.field(8)
    }
}
