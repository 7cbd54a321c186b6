//! CCW code displays: the codebook label of a column's coded value, as the API writes it
//! beside Blue Button variable codings in every FHIR version.

use crate::schema::Col;

/// The display of a CCW code of a column, where the codebook has one (codings without a
/// display are valid FHIR, and are what the API writes where it knows no label).
///
/// The values of each column's CCW variable are looked up once per column id, so a display
/// costs one binary search in that variable's few values.
pub fn ccw_display(col: Col, code: &str) -> Option<&'static str> {
    type Values = &'static [(&'static str, crate::codes::ccw::CcwValue)];
    static BY_COL: std::sync::OnceLock<Vec<Values>> = std::sync::OnceLock::new();
    let by_col = BY_COL.get_or_init(|| {
        (0..crate::schema::COL_COUNT)
            .map(|i| {
                crate::codes::ccw::variable(Col(i as u16).name())
                    .map_or(&[][..], |v| crate::codes::ccw::values_of_id(v.ccw_id()))
            })
            .collect()
    });
    let values = by_col.get(col.0 as usize)?;
    values
        .binary_search_by(|(_, v)| v.code.cmp(code))
        .ok()
        .map(|i| values[i].1.display)
        .filter(|d| !d.trim().is_empty())
}
