//! Element writers shared by every FHIR version: values as text, codings, concepts,
//! Blue Button variable extensions, numbers, quantities, money and adjudication amounts.
//!
//! Each writer writes nothing when its column has no value, so a resource is valid whatever
//! columns the generator fills. They know the Blue Button variables ([`super::vars`]) and the
//! CCW displays ([`super::ccw`]), but nothing of where a version puts an element.

use crate::codes::{self, CodeTable};
use crate::schema::{Col, Table};
use crate::value::Value;

use super::Row;
use super::ccw::ccw_display;
use super::json::J;
use super::vars::{Ext, ExtKind, VARS};

/// The Blue Button adjudication code system (its codes are variable URLs).
const BB_ADJ: &str = "https://bluebutton.cms.gov/resources/codesystem/adjudication";

/// Whether a value is there: not null and not blank text.
pub fn present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Str(_) | Value::Text(_) => !v.as_str().unwrap_or("").trim().is_empty(),
        _ => true,
    }
}

/// Writes a value as text (ids, codes).
pub fn write_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Int(i) => out.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
        Value::Str(s) => out.extend_from_slice(s.trim().as_bytes()),
        Value::Text(t) => out.extend_from_slice(t.as_str().trim().as_bytes()),
        Value::Date(d) => d.write_iso(out),
        Value::Null => {}
    }
}

/// Writes `"k":"<value as text>"` if the value is present.
pub fn put(j: &mut J<'_>, k: &str, v: &Value) {
    match v {
        Value::Null => {}
        Value::Str(_) | Value::Text(_) => j.str(k, v.as_str().unwrap_or("")),
        Value::Int(i) => {
            let mut b = itoa::Buffer::new();
            j.lit(k, b.format(*i));
        }
        Value::Date(d) => j.date(k, *d),
    }
}

/// The display of a coded value in a code table.
pub fn table_display<'t>(t: &'t CodeTable, v: &Value) -> Option<&'t str> {
    t.display(v.as_str()?.trim())
}

/// The display of an ICD-10-CM diagnosis, including codes retired since that older claims
/// carry (G20 before G20A1 existed).
pub fn icd10cm_display(v: &Value) -> Option<&'static str> {
    codes::icd10cm_display(v.as_str()?.trim())
}

/// The decimal scale of a column in its table (0 for integers and text).
pub fn scale_of(t: &Table, col: Col) -> u16 {
    t.position(col).map_or(0, |p| t.columns[p].ty.scale())
}

/// Whether a code-version column says ICD-9.
pub fn is_icd9(v: &Value) -> bool {
    matches!(v.as_str().map(str::trim), Some("9")) || v.as_int() == Some(9)
}

/// A coding `{system, code, display?}` as an array element.
pub fn coding(j: &mut J<'_>, system: &[&str], code: &Value, display: Option<&str>) {
    if !present(code) {
        return;
    }
    let m = j.begin();
    j.str_parts("system", system);
    put(j, "code", code);
    if let Some(d) = display {
        j.str("display", d);
    }
    j.end(m);
}

/// A coding with a fixed code.
pub fn coding_str(j: &mut J<'_>, system: &str, code: &str, display: &str) {
    let m = j.begin();
    j.lit("system", system);
    j.lit("code", code);
    j.lit("display", display);
    j.end(m);
}

/// `"k":{"coding":[{system, code, display}]}` with fixed values.
pub fn concept(j: &mut J<'_>, k: &str, system: &str, code: &str, display: &str) {
    let m = j.obj(k);
    let a = j.arr("coding");
    coding_str(j, system, code, display);
    j.end_arr(a);
    j.end(m);
}

/// A Blue Button variable coding of a column value, with its CCW display (MS-DRG codes take
/// theirs from the MS-DRG table).
pub fn var_coding(j: &mut J<'_>, var: &str, col: Col, v: &Value) {
    let d = if col == Col::CLM_DRG_CD {
        table_display(codes::ms_drg(), v)
    } else {
        v.as_str().and_then(|s| ccw_display(col, s.trim()))
    };
    coding(j, &[VARS, var], v, d);
}

/// A `valueCoding` extension whose url and system are the Blue Button variable spelled by
/// `var` (joined parts, e.g. `[VARS, "dual", "_", "01"]`); an integer of a decimal column
/// (`scale` > 0) is written as its decimal text.
pub fn coding_extension(j: &mut J<'_>, var: &[&str], col: Col, v: &Value, scale: u16) {
    if !present(v) {
        return;
    }
    let m = j.begin();
    j.str_parts("url", var);
    let o = j.obj("valueCoding");
    j.str_parts("system", var);
    match v {
        Value::Int(i) if scale > 0 => {
            let mut t = Vec::with_capacity(24);
            super::json::push_number(&mut t, *i, scale);
            j.str("code", std::str::from_utf8(&t).unwrap_or(""));
        }
        _ => put(j, "code", v),
    }
    if let Some(d) = v.as_str().and_then(|s| ccw_display(col, s.trim())) {
        j.str("display", d);
    }
    j.end(o);
    j.end(m);
}

/// One extension (an element of an open `extension` array).
pub fn extension(j: &mut J<'_>, e: &Ext, row: &Row<'_>) {
    let v = row.get(e.col);
    if !present(&v) {
        return;
    }
    let scale = scale_of(row.table, e.col);
    if let ExtKind::Coding = e.kind {
        coding_extension(j, &[VARS, e.var], e.col, &v, scale);
        return;
    }
    let m = j.begin();
    j.str_parts("url", &[VARS, e.var]);
    match e.kind {
        ExtKind::Coding => {}
        ExtKind::Identifier => {
            let o = j.obj("valueIdentifier");
            j.str_parts("system", &[VARS, e.var]);
            put(j, "value", &v);
            j.end(o);
        }
        ExtKind::Money => money(j, "valueMoney", v.as_int(), scale),
        ExtKind::Date => put(j, "valueDate", &v),
        ExtKind::Quantity => quantity(j, "valueQuantity", &v, scale),
        ExtKind::QuantityCoded(unit, unit_var) => {
            let o = j.obj("valueQuantity");
            number(j, "value", &v, scale);
            let u = row.get(unit);
            if present(&u) {
                j.str_parts("system", &[VARS, unit_var]);
                put(j, "code", &u);
            }
            j.end(o);
        }
    }
    j.end(m);
}

/// `"extension":[…]` of the listed columns of a row (removed when none has a value).
pub fn extensions(j: &mut J<'_>, list: &[Ext], row: &Row<'_>) {
    let a = j.arr("extension");
    for e in list {
        extension(j, e, row);
    }
    j.end_arr(a);
}

/// A number member from a value (integer or scaled decimal); text values that are numbers
/// are written as they are.
pub fn number(j: &mut J<'_>, k: &str, v: &Value, scale: u16) {
    match v {
        Value::Int(i) => j.dec(k, *i, scale),
        Value::Str(_) | Value::Text(_) => {
            let s = v.as_str().unwrap_or("").trim();
            if !s.is_empty() && s.parse::<f64>().is_ok_and(f64::is_finite) {
                j.raw(k, s);
            }
        }
        _ => {}
    }
}

/// `"k":{"value":…}`.
pub fn quantity(j: &mut J<'_>, k: &str, v: &Value, scale: u16) {
    let o = j.obj(k);
    number(j, "value", v, scale);
    j.end(o);
}

/// An item's `"quantity":{"value":…}` from one column of a line (or a Part D event), at that
/// column's own scale: a line table mixes whole unit counts with three-decimal NDC
/// quantities, and a count printed at another column's scale reads a thousand times too small.
pub fn item_quantity(j: &mut J<'_>, row: &Row<'_>, col: Col) {
    quantity(j, "quantity", &row.get(col), scale_of(row.table, col));
}

/// `"k":{"value":…,"currency":"USD"}`.
pub fn money(j: &mut J<'_>, k: &str, cents: Option<i64>, scale: u16) {
    if let Some(c) = cents {
        let o = j.obj(k);
        j.dec("value", c, scale);
        j.lit("currency", "USD");
        j.end(o);
    }
}

/// An adjudication category coding.
#[derive(Clone, Copy, Debug)]
pub struct Cat {
    /// Code system.
    pub system: &'static str,
    /// Code.
    pub code: &'static str,
    /// Display.
    pub display: &'static str,
}

/// An amount column written as an adjudication (or total).
#[derive(Clone, Copy, Debug)]
pub struct Adj {
    /// The column.
    pub col: Col,
    /// The version's adjudication category (C4BB / HL7 in R4).
    pub category: Cat,
    /// The Blue Button adjudication variable ("" for none).
    pub var: &'static str,
    /// Its CCW label.
    pub label: &'static str,
}

/// An adjudication (or total) entry for an amount column, with an optional extension from
/// another row.
pub fn adjudication(j: &mut J<'_>, a: &Adj, row: &Row<'_>, ext: Option<(&Ext, &Row<'_>)>) {
    let v = row.get(a.col);
    let Some(cents) = v.as_int() else { return };
    let m = j.begin();
    if let Some((e, r)) = ext {
        extensions(j, std::slice::from_ref(e), r);
    }
    let c = j.obj("category");
    let arr = j.arr("coding");
    coding_str(j, a.category.system, a.category.code, a.category.display);
    if !a.var.is_empty() {
        let o = j.begin();
        j.lit("system", BB_ADJ);
        j.str_parts("code", &[VARS, a.var]);
        j.lit("display", a.label);
        j.end(o);
    }
    j.end_arr(arr);
    j.end(c);
    money(j, "amount", Some(cents), scale_of(row.table, a.col));
    j.end(m);
}

/// The id of a line's lab result: `line-observation-<n>` (with `#` in a reference).
pub fn write_line_obs_id(j: &mut J<'_>, k: &str, prefix: &str, n: i64) {
    let mut b = itoa::Buffer::new();
    j.str_parts(k, &[prefix, "line-observation-", b.format(n)]);
}
