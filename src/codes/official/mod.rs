//! Official code files in place of the compiled-in HCPCS Level II and NDC tables: their
//! text turned into tables of the compiled-in layouts, so one parser and one table type
//! serve both. Reading the files is the caller's job (the CLI's `--code-tables`).
//!
//! * HCPCS: CMS's annual alpha-numeric HCPCS file, fixed width (`HCPC2026_JAN_ANWEB_v2.txt`
//!   and the like). Positions used (1-based, from the published record layout): code 1–5,
//!   sequence number 6–10, record identification code 11 (3 = procedure, 4 = its
//!   continuation, 7 = modifier, 8 = its continuation), long description 12–91, short
//!   description 92–119, BETOS 257–259, termination date 285–292.
//! * NDC: FDA's NDC directory, `product.txt` and `package.txt` (tab-separated, with their
//!   header rows; columns are found by name).
//!
//! The text of a converted table is kept for the rest of the process: convert files once.

mod hcpcs_file;
mod ndc_directory;

pub use hcpcs_file::parse_hcpcs_file;
pub use ndc_directory::{ndc11, parse_ndc_directory};

use super::table::{CodeTable, CodeTablesError, Layout};

/// Tables read from a `--code-tables` directory; `None` where the directory has no such file.
#[derive(Debug, Clone, Default)]
pub struct CodeOverrides {
    /// HCPCS Level II (layout of `hcpcs.tsv`: code, short description, BETOS).
    pub hcpcs_level2: Option<CodeTable>,
    /// Modifiers from the same HCPCS file, with their long descriptions.
    pub hcpcs_modifiers: Option<CodeTable>,
    /// Every package of every human prescription drug in FDA's directory (layout of `ndc.tsv`).
    pub ndc: Option<CodeTable>,
}

/// Layout of the modifier table read from a HCPCS file (it has descriptions).
pub const MODIFIER_FILE_LAYOUT: Layout = Layout {
    key: "code",
    display: Some("display"),
    extra: &[],
};

/// Keep a converted table's text for the rest of the process and parse it.
pub(super) fn leak_table(
    name: &str,
    text: String,
    layout: Layout,
) -> Result<CodeTable, CodeTablesError> {
    let name: &'static str = String::leak(name.to_owned());
    CodeTable::parse(name, String::leak(text), layout)
}

pub(super) fn clean(cell: &str) -> String {
    cell.split_whitespace().collect::<Vec<_>>().join(" ")
}
