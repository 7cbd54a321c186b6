//! `diagnosis` and `procedure`: the header's diagnosis columns of each type (admitting,
//! principal, numbered, external cause, reason for visit), then line diagnoses not already
//! on the claim, each code once; and the numbered ICD procedures. ICD-9 or ICD-10 follows the
//! version column beside each code.

use crate::codes;
use crate::emit::fhir::dx::{DxKind, type_cols};
use crate::emit::fhir::elements::{
    coding, coding_extension, coding_str, icd10cm_display, is_icd9, present, table_display,
};
use crate::emit::fhir::json::J;
use crate::emit::fhir::vars::VARS;
use crate::schema::Col;
use crate::value::Value;

use super::{Eob, Scratch};

const C4BB_DX_TYPE: &str = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimDiagnosisType";
const HL7_DX_TYPE: &str = "http://terminology.hl7.org/CodeSystem/ex-diagnosistype";
const ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
const ICD9CM: &str = "http://hl7.org/fhir/sid/icd-9-cm";
const ICD10: &str = "http://hl7.org/fhir/sid/icd-10";
const ICD10PCS: &str = "http://www.cms.gov/Medicare/Coding/ICD10";

/// The diagnosis type coding of a diagnosis column's kind.
fn dx_type(kind: DxKind, other_secondary: bool) -> (&'static str, &'static str, &'static str) {
    match kind {
        DxKind::Admitting => (HL7_DX_TYPE, "admitting", "Admitting Diagnosis"),
        DxKind::Principal => (HL7_DX_TYPE, "principal", "Principal Diagnosis"),
        DxKind::Other if other_secondary => SECONDARY,
        DxKind::Other => (C4BB_DX_TYPE, "other", "Other"),
        DxKind::External => (
            C4BB_DX_TYPE,
            "externalcauseofinjury",
            "External Cause of Injury",
        ),
        DxKind::Reason => (
            C4BB_DX_TYPE,
            "patientreasonforvisit",
            "Patient Reason for Visit",
        ),
    }
}

const SECONDARY: (&str, &str, &str) = (C4BB_DX_TYPE, "secondary", "Secondary");

/// `diagnosis`, recording each line's diagnosis sequence in `sc.line_dx`.
pub(super) fn write(j: &mut J<'_>, e: &Eob<'_>, sc: &mut Scratch) {
    let h = &e.h;
    let dx_codes = &mut sc.dx_codes;
    let dg = j.arr("diagnosis");
    for d in &type_cols(e.t).dx {
        let v = h.get(d.code);
        if !present(&v) || dx_codes.contains(&v) {
            continue;
        }
        dx_codes.push(v);
        let version = d.version.map_or(Value::Null, |c| h.get(c));
        let poa = d.poa.map(|(c, var)| (c, var, h.get(c)));
        let ty = dx_type(d.kind, e.sp.rules.other_dx_secondary);
        diagnosis(j, dx_codes.len() as i64, &v, &version, poa, ty);
    }
    // Line diagnoses (carrier, DME) not already on the claim.
    sc.line_dx.resize(e.lines.len(), None);
    if e.professional {
        for (n, l) in e.lines.iter().enumerate() {
            let v = l.get(Col::LINE_ICD_DGNS_CD);
            if !present(&v) {
                continue;
            }
            if let Some(p) = dx_codes.iter().position(|c| *c == v) {
                sc.line_dx[n] = Some(p + 1);
                continue;
            }
            dx_codes.push(v);
            sc.line_dx[n] = Some(dx_codes.len());
            let version = l.get(Col::LINE_ICD_DGNS_VRSN_CD);
            diagnosis(j, dx_codes.len() as i64, &v, &version, None, SECONDARY);
        }
    }
    j.end_arr(dg);
}

/// `procedure`: the numbered ICD procedures with their dates.
pub(super) fn procedures(j: &mut J<'_>, e: &Eob<'_>) {
    let h = &e.h;
    let pr = j.arr("procedure");
    let mut pseq = 0;
    for p in &type_cols(e.t).px {
        let v = h.get(p.code);
        if !present(&v) {
            continue;
        }
        pseq += 1;
        let m = j.begin();
        j.int("sequence", pseq);
        if let Some(d) = p.date.and_then(|c| h.get(c).as_date()) {
            j.date_time("date", d);
        }
        let icd9 = p.version.is_some_and(|c| is_icd9(&h.get(c)));
        let pc = j.obj("procedureCodeableConcept");
        let a = j.arr("coding");
        if icd9 {
            let d = table_display(codes::icd9pcs(), &v);
            coding(j, &[ICD9CM], &v, d);
        } else {
            let d = table_display(codes::icd10pcs(), &v);
            coding(j, &[ICD10PCS], &v, d);
            coding(j, &[ICD10], &v, d);
        }
        j.end_arr(a);
        j.end(pc);
        j.end(m);
    }
    j.end_arr(pr);
}

/// One diagnosis entry: present-on-admission extension, code (ICD-9 or ICD-10) and type.
fn diagnosis(
    j: &mut J<'_>,
    seq: i64,
    code: &Value,
    version: &Value,
    poa: Option<(Col, &str, Value)>,
    ty: (&str, &str, &str),
) {
    let m = j.begin();
    if let Some((col, var, v)) = poa {
        let a = j.arr("extension");
        coding_extension(j, &[VARS, var], col, &v, 0);
        j.end_arr(a);
    }
    j.int("sequence", seq);
    let dc = j.obj("diagnosisCodeableConcept");
    let a = j.arr("coding");
    if is_icd9(version) {
        coding(j, &[ICD9CM], code, table_display(codes::icd9cm(), code));
    } else {
        let d = icd10cm_display(code);
        coding(j, &[ICD10CM], code, d);
        coding(j, &[ICD10], code, d);
    }
    j.end_arr(a);
    j.end(dc);
    let ta = j.arr("type");
    let tm = j.begin();
    let a = j.arr("coding");
    coding_str(j, ty.0, ty.1, ty.2);
    j.end_arr(a);
    j.end(tm);
    j.end_arr(ta);
    j.end(m);
}
