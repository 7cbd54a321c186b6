//! `supportingInfo`: the claim columns each type lists, then the lab results of professional
//! lines, which are also `contained` Observations.

use crate::emit::fhir::Row;
use crate::emit::fhir::arrangement::{Info, InfoValue};
use crate::emit::fhir::elements::{
    coding, coding_str, number, present, put, quantity, scale_of, var_coding,
};
use crate::emit::fhir::json::J;
use crate::emit::fhir::vars::VARS;
use crate::schema::Col;

use super::{Eob, Scratch};
use crate::emit::fhir::elements::write_line_obs_id;

const UCUM: &str = "http://unitsofmeasure.org";

/// The contained Observation of each professional line's hematocrit/hemoglobin result.
pub(super) fn line_observations(j: &mut J<'_>, e: &Eob<'_>) {
    if !e.professional {
        return;
    }
    for (n, l) in e.lines.iter().enumerate() {
        let v = l.get(Col::LINE_HCT_HGB_RSLT_NUM);
        if !present(&v) {
            continue;
        }
        let o = j.begin();
        j.lit("resourceType", "Observation");
        write_line_obs_id(j, "id", "", n as i64 + 1);
        j.lit("status", "unknown");
        let cd = j.obj("code");
        let a = j.arr("coding");
        let ty = l.get(Col::LINE_HCT_HGB_TYPE_CD);
        if present(&ty) {
            var_coding(j, "line_hct_hgb_type_cd", Col::LINE_HCT_HGB_TYPE_CD, &ty);
        } else {
            coding_str(
                j,
                "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                "unknown",
                "Unknown",
            );
        }
        j.end_arr(a);
        j.end(cd);
        quantity(
            j,
            "valueQuantity",
            &v,
            scale_of(l.table, Col::LINE_HCT_HGB_RSLT_NUM),
        );
        j.end(o);
    }
}

/// `supportingInfo`, recording each line's entry sequence in `sc.line_info`.
pub(super) fn write(j: &mut J<'_>, e: &Eob<'_>, sc: &mut Scratch) {
    let mut seq = 0i64;
    let si = j.arr("supportingInfo");
    for inf in e.sp.info {
        if supporting_info(j, inf, &e.h, seq + 1) {
            seq += 1;
        }
    }
    sc.line_info.resize(e.lines.len(), None);
    if e.professional {
        for (n, l) in e.lines.iter().enumerate() {
            if !present(&l.get(Col::LINE_HCT_HGB_RSLT_NUM)) {
                continue;
            }
            seq += 1;
            sc.line_info[n] = Some(seq);
            let m = j.begin();
            j.int("sequence", seq);
            info_category(
                j,
                None,
                "line_hct_hgb_rslt_num",
                "Hematocrit / Hemoglobin Test Results",
            );
            let r = j.obj("valueReference");
            write_line_obs_id(j, "reference", "#", n as i64 + 1);
            j.end(r);
            j.end(m);
        }
    }
    j.end_arr(si);
}

/// The category of a supporting-info entry: a C4BB type or `info`, then the BB variable.
fn info_category(j: &mut J<'_>, cat: Option<(&str, &str)>, var: &str, label: &str) {
    let c = j.obj("category");
    let a = j.arr("coding");
    match cat {
        Some((code, display)) => coding_str(
            j,
            "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType",
            code,
            display,
        ),
        None => coding_str(
            j,
            "http://terminology.hl7.org/CodeSystem/claiminformationcategory",
            "info",
            "Information",
        ),
    }
    if !var.is_empty() {
        let m = j.begin();
        j.lit(
            "system",
            "https://bluebutton.cms.gov/resources/codesystem/information",
        );
        j.str_parts("code", &[VARS, var]);
        j.lit("display", label);
        j.end(m);
    }
    j.end_arr(a);
    j.end(c);
}

/// Writes one supporting-info entry if its column has a value; says whether it did.
fn supporting_info(j: &mut J<'_>, inf: &Info, h: &Row<'_>, seq: i64) -> bool {
    let v = h.get(inf.col);
    if !present(&v) {
        return false;
    }
    let m = j.begin();
    j.int("sequence", seq);
    info_category(j, inf.category, inf.info, inf.label);
    match inf.value {
        InfoValue::Code(var) => {
            let c = j.obj("code");
            let a = j.arr("coding");
            var_coding(j, var, inf.col, &v);
            j.end_arr(a);
            j.end(c);
        }
        InfoValue::CodeIn(system) => {
            let c = j.obj("code");
            let a = j.arr("coding");
            coding(j, &[system], &v, None);
            j.end_arr(a);
            j.end(c);
        }
        InfoValue::Date => put(j, "timingDate", &v),
        InfoValue::Period(end) => {
            let p = j.obj("timingPeriod");
            put(j, "start", &v);
            put(j, "end", &h.get(end));
            j.end(p);
        }
        InfoValue::Quantity => quantity(j, "valueQuantity", &v, scale_of(h.table, inf.col)),
        InfoValue::Pints => {
            let q = j.obj("valueQuantity");
            number(j, "value", &v, scale_of(h.table, inf.col));
            j.lit("unit", "pint");
            j.lit("system", UCUM);
            j.lit("code", "[pt_us]");
            j.end(q);
        }
    }
    j.end(m);
    true
}
