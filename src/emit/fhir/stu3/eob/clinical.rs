//! `information`, `careTeam`, `diagnosis`, `procedure` and `hospitalization`.

use crate::codes;
use crate::emit::fhir::arrangement::{Info, InfoValue, ROLES, Shape};
use crate::emit::fhir::dx::{DxKind, type_cols};
use crate::emit::fhir::elements::{
    coding, coding_extension, coding_str, icd10cm_display, is_icd9, number, present, put,
    table_display, var_coding,
};
use crate::emit::fhir::json::J;
use crate::emit::fhir::vars::VARS;
use crate::schema::Col;
use crate::value::Value;

use super::{Eob, NPI, code_concept, scale_of, stu3_extensions};

const ICD9CM: &str = "http://hl7.org/fhir/sid/icd-9-cm";
const ICD10: &str = "http://hl7.org/fhir/sid/icd-10";
const UCUM: &str = "http://unitsofmeasure.org";
const BB_DX_TYPE: &str = "https://bluebutton.cms.gov/resources/codesystem/diagnosis-type";

/// The care team: the header's physicians, then each line's performing provider, each once.
pub(super) struct CareTeam {
    /// (provider, STU3 role, whether a UPIN, the first line naming it).
    members: Vec<(Value, &'static str, bool, Option<usize>)>,
    /// Per line: the sequence of its performing member.
    pub(super) line: Vec<Option<usize>>,
}

/// The STU3 care team role (`claimcareteamrole`) of a C4BB role; `None` for the referring
/// physician (v1 names it in the ReferralRequest) and a line's organization (an extension
/// of its performing member).
fn stu3_role(c4bb: &str) -> Option<&'static str> {
    match c4bb {
        "attending" | "performing" | "prescribing" => Some("primary"),
        "operating" => Some("assist"),
        "otheroperating" => Some("other"),
        _ => None,
    }
}

impl CareTeam {
    pub(super) fn collect(e: &Eob<'_>) -> CareTeam {
        let mut t = CareTeam {
            members: Vec::new(),
            line: Vec::new(),
        };
        let rules = e.sp.rules;
        for m in rules.care {
            if let Some(role) = stu3_role(ROLES[m.role].0) {
                t.add(e.h.get(m.col), role, m.upin, None);
            }
        }
        if let Some(lc) = rules.line_care {
            for (n, l) in e.lines.iter().enumerate() {
                let seq = t.add(l.get(lc.npi), "primary", false, Some(n)).or_else(|| {
                    lc.upin
                        .and_then(|c| t.add(l.get(c), "primary", true, Some(n)))
                });
                t.line.push(seq);
            }
        }
        t
    }

    fn add(
        &mut self,
        v: Value,
        role: &'static str,
        upin: bool,
        line: Option<usize>,
    ) -> Option<usize> {
        if !present(&v) {
            return None;
        }
        if let Some(i) = self
            .members
            .iter()
            .position(|m| m.0 == v && m.1 == role && m.2 == upin)
        {
            return Some(i + 1);
        }
        self.members.push((v, role, upin, line));
        Some(self.members.len())
    }

    /// The sequence of the first member (a Part D event's prescriber).
    pub(super) fn first(&self) -> Option<usize> {
        (!self.members.is_empty()).then_some(1)
    }
}

/// Per line, the sequence of its diagnosis.
pub(super) type LineDx = Vec<Option<usize>>;

/// Writes `information`, `careTeam`, `diagnosis` and `procedure`; returns each line's
/// diagnosis sequence.
pub(super) fn write(j: &mut J<'_>, e: &Eob<'_>, care: &CareTeam) -> LineDx {
    information(j, e);
    care_team(j, e, care);
    let dx = diagnosis(j, e);
    procedures(j, e);
    dx
}

/// Whether an information entry is written elsewhere in v1: the DRG as a diagnosis, the
/// admission period as `hospitalization`.
fn elsewhere(inf: &Info) -> bool {
    inf.col == Col::CLM_DRG_CD || matches!(inf.category, Some(("admissionperiod", _)))
}

/// `information`: each entry's category is the Blue Button information code of its variable.
fn information(j: &mut J<'_>, e: &Eob<'_>) {
    let h = &e.h;
    let ia = j.arr("information");
    let mut seq = 0;
    for inf in e.sp.info.iter().filter(|i| !elsewhere(i)) {
        let v = h.get(inf.col);
        if !present(&v) {
            continue;
        }
        seq += 1;
        let m = j.begin();
        j.int("sequence", seq);
        let var = if inf.info.is_empty() {
            inf.col.name().to_ascii_lowercase()
        } else {
            inf.info.to_string()
        };
        let label = if inf.label.is_empty() {
            inf.category.map_or("", |c| c.1)
        } else {
            inf.label
        };
        let c = j.obj("category");
        let a = j.arr("coding");
        let cm = j.begin();
        j.lit(
            "system",
            "https://bluebutton.cms.gov/resources/codesystem/information",
        );
        j.str_parts("code", &[VARS, &var]);
        j.str("display", label);
        j.end(cm);
        j.end_arr(a);
        j.end(c);
        info_value(j, inf, h, &v);
        j.end(m);
    }
    j.end_arr(ia);
}

fn info_value(j: &mut J<'_>, inf: &Info, h: &crate::emit::fhir::Row<'_>, v: &Value) {
    match inf.value {
        InfoValue::Code(var) => {
            let c = j.obj("code");
            let a = j.arr("coding");
            var_coding(j, var, inf.col, v);
            j.end_arr(a);
            j.end(c);
        }
        InfoValue::CodeIn(system) => code_concept(j, "code", system, v, None),
        InfoValue::Date => put(j, "timingDate", v),
        InfoValue::Period(end) => {
            let p = j.obj("timingPeriod");
            put(j, "start", v);
            put(j, "end", &h.get(end));
            j.end(p);
        }
        InfoValue::Quantity => {
            let q = j.obj("valueQuantity");
            number(j, "value", v, scale_of(h, inf.col));
            j.end(q);
        }
        InfoValue::Pints => {
            let q = j.obj("valueQuantity");
            number(j, "value", v, scale_of(h, inf.col));
            j.lit("unit", "pint");
            j.lit("system", UCUM);
            j.lit("code", "[pt_us]");
            j.end(q);
        }
    }
}

/// `careTeam`: a line's performing member takes its extensions (with the line's
/// organization NPI), `responsible` and qualification from the first line naming it.
fn care_team(j: &mut J<'_>, e: &Eob<'_>, care: &CareTeam) {
    let line_ext = e.sp.rules.line_care.map_or(&[][..], |lc| lc.ext);
    let ct = j.arr("careTeam");
    for (i, (v, role, upin, line)) in care.members.iter().enumerate() {
        let m = j.begin();
        let line = line.map(|n| &e.lines[n]);
        if let Some(l) = line {
            let a = j.arr("extension");
            for x in line_ext {
                super::stu3_extension(j, x, l);
            }
            let org = l.get(Col::ORG_NPI_NUM);
            if present(&org) {
                coding_extension(j, &[NPI], Col::ORG_NPI_NUM, &org, 0);
            }
            j.end_arr(a);
        }
        j.int("sequence", i as i64 + 1);
        let p = j.obj("provider");
        let id = j.obj("identifier");
        if *upin {
            j.str_parts("system", &[VARS, "upin"]);
        } else {
            j.lit("system", NPI);
        }
        put(j, "value", v);
        j.end(id);
        j.end(p);
        if line.is_some() && e.shape == Shape::Professional {
            j.raw("responsible", "true");
        }
        let r = j.obj("role");
        let a = j.arr("coding");
        let (code, display) = match *role {
            "primary" => ("primary", "Primary provider"),
            "assist" => ("assist", "Assisting Provider"),
            _ => ("other", "Other"),
        };
        coding_str(j, "http://hl7.org/fhir/claimcareteamrole", code, display);
        j.end_arr(a);
        j.end(r);
        if let Some(l) = line {
            super::var_concept(j, "qualification", "prvdr_spclty", Col::PRVDR_SPCLTY, l);
        }
        j.end(m);
    }
    j.end_arr(ct);
}

/// The Blue Button diagnosis type of a column's kind; numbered diagnoses have none.
fn dx_type(kind: DxKind) -> Option<(&'static str, &'static str)> {
    match kind {
        DxKind::Admitting => Some((
            "admitting",
            "The diagnosis given as the reason why the patient was admitted to the hospital.",
        )),
        DxKind::Principal => Some((
            "principal",
            "The single medical diagnosis that is most relevant to the patient's chief \
             complaint or need for treatment.",
        )),
        DxKind::External => Some((
            "external",
            "A code used to identify an external cause of injury, poisoning, or other adverse \
             effect.",
        )),
        DxKind::Reason => Some((
            "reason-for-visit",
            "A diagnosis code used to identify the patient's reason for the Hospital \
             Outpatient visit.",
        )),
        DxKind::Other => None,
    }
}

/// `diagnosis`: the header's diagnoses, each code once, the line diagnoses not already
/// there, then the DRG (its `packageCode`, and as STU3 requires a diagnosis, the DRG
/// coding as `diagnosisCodeableConcept` too).
fn diagnosis(j: &mut J<'_>, e: &Eob<'_>) -> LineDx {
    let h = &e.h;
    let mut codes: Vec<Value> = Vec::new();
    let dg = j.arr("diagnosis");
    for d in &type_cols(e.sp.kind).dx {
        let v = h.get(d.code);
        if !present(&v) || codes.contains(&v) {
            continue;
        }
        codes.push(v);
        let version = d.version.map_or(Value::Null, |c| h.get(c));
        let m = j.begin();
        if let Some((col, var)) = d.poa {
            let a = j.arr("extension");
            coding_extension(j, &[VARS, var], col, &h.get(col), 0);
            j.end_arr(a);
        }
        j.int("sequence", codes.len() as i64);
        icd_dx(j, &v, &version);
        if let Some((code, display)) = dx_type(d.kind) {
            let ta = j.arr("type");
            let tm = j.begin();
            let a = j.arr("coding");
            coding_str(j, BB_DX_TYPE, code, display);
            j.end_arr(a);
            j.end(tm);
            j.end_arr(ta);
        }
        j.end(m);
    }
    let mut line_dx = vec![None; e.lines.len()];
    if e.shape == Shape::Professional {
        for (n, l) in e.lines.iter().enumerate() {
            let v = l.get(Col::LINE_ICD_DGNS_CD);
            if !present(&v) {
                continue;
            }
            if let Some(p) = codes.iter().position(|c| *c == v) {
                line_dx[n] = Some(p + 1);
                continue;
            }
            codes.push(v);
            line_dx[n] = Some(codes.len());
            let m = j.begin();
            j.int("sequence", codes.len() as i64);
            icd_dx(j, &v, &l.get(Col::LINE_ICD_DGNS_VRSN_CD));
            j.end(m);
        }
    }
    let drg = h.get(Col::CLM_DRG_CD);
    if present(&drg) {
        let m = j.begin();
        j.int("sequence", codes.len() as i64 + 1);
        for k in ["diagnosisCodeableConcept", "packageCode"] {
            super::var_concept(j, k, "clm_drg_cd", Col::CLM_DRG_CD, h);
        }
        j.end(m);
    }
    j.end_arr(dg);
    line_dx
}

/// `diagnosisCodeableConcept` of an ICD-9 or ICD-10 code.
fn icd_dx(j: &mut J<'_>, code: &Value, version: &Value) {
    let dc = j.obj("diagnosisCodeableConcept");
    let a = j.arr("coding");
    if is_icd9(version) {
        coding(j, &[ICD9CM], code, table_display(codes::icd9cm(), code));
    } else {
        coding(j, &[ICD10], code, icd10cm_display(code));
    }
    j.end_arr(a);
    j.end(dc);
}

/// `procedure`: the numbered ICD procedures with their dates.
fn procedures(j: &mut J<'_>, e: &Eob<'_>) {
    let h = &e.h;
    let pr = j.arr("procedure");
    let mut seq = 0;
    for p in &type_cols(e.sp.kind).px {
        let v = h.get(p.code);
        if !present(&v) {
            continue;
        }
        seq += 1;
        let m = j.begin();
        j.int("sequence", seq);
        if let Some(d) = p.date.and_then(|c| h.get(c).as_date()) {
            j.date_time("date", d);
        }
        let pc = j.obj("procedureCodeableConcept");
        let a = j.arr("coding");
        if p.version.is_some_and(|c| is_icd9(&h.get(c))) {
            coding(j, &[ICD9CM], &v, table_display(codes::icd9pcs(), &v));
        } else {
            coding(j, &[ICD10], &v, table_display(codes::icd10pcs(), &v));
        }
        j.end_arr(a);
        j.end(pc);
        j.end(m);
    }
    j.end_arr(pr);
}

/// `hospitalization`: the admission (or hospice) period, with the hospice period count.
pub(super) fn hospitalization(j: &mut J<'_>, e: &Eob<'_>) {
    let Some(inf) =
        e.sp.info
            .iter()
            .find(|i| matches!(i.category, Some(("admissionperiod", _))))
    else {
        return;
    };
    let InfoValue::Period(end) = inf.value else {
        return;
    };
    let h = &e.h;
    if !present(&h.get(inf.col)) {
        return;
    }
    let p = j.obj("hospitalization");
    stu3_extensions(
        j,
        &[crate::emit::fhir::vars::Ext {
            col: Col::BENE_HOSPC_PRD_CNT,
            var: "bene_hospc_prd_cnt",
            kind: crate::emit::fhir::vars::ExtKind::Quantity,
        }],
        h,
    );
    put(j, "start", &h.get(inf.col));
    put(j, "end", &h.get(end));
    j.end(p);
}
