//! CCW codebook variables and values for the RIF columns bbgen writes: the variable behind
//! each column (its `https://bluebutton.cms.gov/resources/variables/<id>` URL and label) and
//! the display of each coded value.

use std::sync::LazyLock;

use super::table::{CodeTable, Layout, builtin, parse_rows};

/// Prefix of the FHIR coding systems and extension URLs named after CCW variables.
pub const URL_PREFIX: &str = "https://bluebutton.cms.gov/resources/variables/";

const VARIABLES_LAYOUT: Layout = Layout {
    key: "rif_column",
    display: None,
    extra: &["ccw_id", "label"],
};

/// The CCW variable behind a RIF column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CcwVariable {
    rif_column: &'static str,
    ccw_id: &'static str,
    label: &'static str,
    url: String,
}

impl CcwVariable {
    pub fn rif_column(&self) -> &'static str {
        self.rif_column
    }
    /// The codebook id, e.g. `NCH_CLM_TYPE_CD`, `SEX`, `BUYIN01`.
    pub fn ccw_id(&self) -> &'static str {
        self.ccw_id
    }
    /// The lower-cased id used in Blue Button URLs, e.g. `nch_clm_type_cd`.
    pub fn url_id(&self) -> &str {
        &self.url[URL_PREFIX.len()..]
    }
    /// `https://bluebutton.cms.gov/resources/variables/<url_id>`
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The codebook label, e.g. `NCH Claim Type Code`.
    pub fn label(&self) -> &'static str {
        self.label
    }
}

/// One coded value of a CCW variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CcwValue {
    pub code: &'static str,
    pub display: &'static str,
}

struct Codebook {
    variables: Vec<CcwVariable>,
    /// (ccw_id, value), sorted by ccw_id then code
    values: Vec<(&'static str, CcwValue)>,
}

static CODEBOOK: LazyLock<Codebook> = LazyLock::new(|| {
    let variables = variables_table()
        .iter()
        .map(|e| CcwVariable {
            rif_column: e.code(),
            ccw_id: e.field(0),
            label: e.field(1),
            url: format!("{URL_PREFIX}{}", e.field(0).to_ascii_lowercase()),
        })
        .collect();
    let rows = parse_rows(
        "ccw_values.tsv",
        include_str!("../../codesystems/ccw_values.tsv"),
        &["ccw_id", "code", "display"],
    )
    .unwrap_or_else(|e| panic!("built-in code table: {e}"));
    let values: Vec<_> = rows
        .cells
        .chunks_exact(3)
        .map(|r| {
            (
                r[0],
                CcwValue {
                    code: r[1],
                    display: r[2],
                },
            )
        })
        .collect();
    for (i, w) in values.windows(2).enumerate() {
        assert!(
            (w[0].0, w[0].1.code) < (w[1].0, w[1].1.code),
            "ccw_values.tsv:{}: not sorted by ccw_id, code or duplicate",
            rows.lines[i + 1]
        );
    }
    Codebook { variables, values }
});

/// The CCW variable behind a RIF column (`BENE_SEX_IDENT_CD` → `SEX`).
pub fn variable(rif_column: &str) -> Option<&'static CcwVariable> {
    let vars = &CODEBOOK.variables;
    vars.binary_search_by(|v| v.rif_column.cmp(rif_column))
        .ok()
        .map(|i| &vars[i])
}

/// Every RIF column that has a CCW variable, in column-name order.
pub fn variables() -> &'static [CcwVariable] {
    &CODEBOOK.variables
}

/// The coded values of a CCW variable, by codebook id, in code order.
pub fn values_of_id(ccw_id: &str) -> &'static [(&'static str, CcwValue)] {
    let values = &CODEBOOK.values;
    let start = values.partition_point(|(id, _)| *id < ccw_id);
    let end = start + values[start..].partition_point(|(id, _)| *id == ccw_id);
    &values[start..end]
}

/// The coded values of the variable behind a RIF column, in code order.
pub fn values(rif_column: &str) -> impl Iterator<Item = &'static CcwValue> {
    variable(rif_column)
        .map(|v| values_of_id(v.ccw_id))
        .unwrap_or(&[])
        .iter()
        .map(|(_, v)| v)
}

/// The display of a coded value by codebook id (`("NCH_CLM_TYPE_CD", "71")`).
pub fn display_by_id(ccw_id: &str, code: &str) -> Option<&'static str> {
    let values = values_of_id(ccw_id);
    values
        .binary_search_by(|(_, v)| v.code.cmp(code))
        .ok()
        .map(|i| values[i].1.display)
}

/// The display of a coded value of a RIF column (`("NCH_CLM_TYPE_CD", "71")` →
/// `"Local carrier non-durable medical equipment, prosthetics, orthotics, and supplies (DMEPOS) claim"`).
pub fn display(rif_column: &str, code: &str) -> Option<&'static str> {
    display_by_id(variable(rif_column)?.ccw_id, code)
}

/// The parsed variables as a code table keyed by RIF column (columns `ccw_id`, `label`).
pub fn variables_table() -> &'static CodeTable {
    static TABLE: LazyLock<CodeTable> = LazyLock::new(|| {
        builtin(
            "ccw_variables.tsv",
            include_str!("../../codesystems/ccw_variables.tsv"),
            VARIABLES_LAYOUT,
        )
    });
    &TABLE
}
