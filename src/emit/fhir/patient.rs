//! Patient and Coverage (Parts A, B, C, D) as the Blue Button v2 API serves them.

use std::sync::OnceLock;

use crate::model::Beneficiary;
use crate::schema::Col;
use crate::value::Value;

use super::ccw_display;
use super::eob::write_value;
use super::json::J;
use super::spec::VARS;

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEPT", "OCT", "NOV", "DEC",
];

/// Monthly beneficiary columns, resolved once.
struct Monthly {
    dual: [Col; 12],
    buyin: [Col; 12],
    hmo: [Col; 12],
    ptc_cntrct: [Col; 12],
    ptc_pbp: [Col; 12],
    ptc_plan_type: [Col; 12],
    ptd_cntrct: [Col; 12],
    ptd_pbp: [Col; 12],
    ptd_sgmt: [Col; 12],
    rds: [Col; 12],
    cst_shr: [Col; 12],
}

fn monthly() -> &'static Monthly {
    static M: OnceLock<Monthly> = OnceLock::new();
    M.get_or_init(|| {
        let by = |f: &dyn Fn(usize) -> String| -> [Col; 12] {
            std::array::from_fn(|m| {
                let n = f(m);
                Col::by_name(&n).unwrap_or_else(|| panic!("no column {n}"))
            })
        };
        Monthly {
            dual: by(&|m| format!("META_DUAL_ELGBL_STUS_{}_CD", MONTHS[m])),
            buyin: by(&|m| format!("MDCR_ENTLMT_BUYIN_{}_IND", m + 1)),
            hmo: by(&|m| format!("HMO_{}_IND", m + 1)),
            ptc_cntrct: by(&|m| format!("PTC_CNTRCT_{}_ID", MONTHS[m])),
            ptc_pbp: by(&|m| format!("PTC_PBP_{}_ID", MONTHS[m])),
            ptc_plan_type: by(&|m| format!("PTC_PLAN_TYPE_{}_CD", MONTHS[m])),
            ptd_cntrct: by(&|m| format!("PTD_CNTRCT_{}_ID", MONTHS[m])),
            ptd_pbp: by(&|m| format!("PTD_PBP_{}_ID", MONTHS[m])),
            ptd_sgmt: by(&|m| format!("PTD_SGMT_{}_ID", MONTHS[m])),
            rds: by(&|m| format!("RDS_{}_IND", MONTHS[m])),
            cst_shr: by(&|m| format!("CST_SHR_GRP_{}_CD", MONTHS[m])),
        }
    })
}

fn present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Str(_) | Value::Text(_) => !v.as_str().unwrap_or("").trim().is_empty(),
        _ => true,
    }
}

fn put(j: &mut J<'_>, k: &str, v: &Value) {
    match v {
        Value::Null => {}
        Value::Int(i) => {
            let mut b = itoa::Buffer::new();
            j.lit(k, b.format(*i));
        }
        Value::Date(d) => j.date(k, *d),
        _ => j.str(k, v.as_str().unwrap_or("")),
    }
}

/// A `valueCoding` extension with the Blue Button variable `var` (url and system).
fn ext_coding(j: &mut J<'_>, var: &[&str], col: Col, v: &Value) {
    if !present(v) {
        return;
    }
    let m = j.begin();
    j.str_parts("url", var);
    let c = j.obj("valueCoding");
    j.str_parts("system", var);
    put(j, "code", v);
    if let Some(d) = v.as_str().and_then(|s| ccw_display(col, s.trim())) {
        j.str("display", d);
    }
    j.end(c);
    j.end(m);
}

fn ext_col(j: &mut J<'_>, b: &Beneficiary, var: &str, col: Col) {
    ext_coding(j, &[VARS, var], col, &b.record.get(col));
}

/// Monthly extensions `<var>01` … `<var>12` (or `<var>_01` with `sep`).
fn ext_monthly(j: &mut J<'_>, b: &Beneficiary, var: &str, sep: &str, cols: &[Col; 12]) {
    const MM: [&str; 12] = [
        "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
    ];
    for (m, col) in cols.iter().enumerate() {
        ext_coding(j, &[VARS, var, sep, MM[m]], *col, &b.record.get(*col));
    }
}

fn ext_year(j: &mut J<'_>, b: &Beneficiary) {
    let y = b.record.get(Col::RFRNC_YR);
    if present(&y) {
        let m = j.begin();
        j.str_parts("url", &[VARS, "rfrnc_yr"]);
        let mut s = Vec::new();
        write_value(&mut s, &y);
        j.lit("valueDate", std::str::from_utf8(&s).unwrap_or(""));
        j.end(m);
    }
}

fn meta(j: &mut J<'_>, last_updated: &str, profile: &str) {
    let m = j.obj("meta");
    j.lit("lastUpdated", last_updated);
    let a = j.arr("profile");
    j.elem_str(profile);
    j.end_arr(a);
    j.end(m);
}

/// Writes the Patient resource (one line, no newline).
pub fn write_patient(out: &mut Vec<u8>, b: &Beneficiary, last_updated: &str) {
    let r = &b.record;
    let mut j = J { out };
    let top = j.doc();
    j.lit("resourceType", "Patient");
    let mut id = itoa::Buffer::new();
    let id = id.format(b.bene_id);
    j.lit("id", id);
    meta(
        &mut j,
        last_updated,
        "http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Patient",
    );
    let sex = r.get(Col::BENE_SEX_IDENT_CD);
    let sex = sex
        .as_str()
        .map(str::trim)
        .map(str::to_owned)
        .or_else(|| sex.as_int().map(|i| i.to_string()));
    let (gender, snomed) = match sex.as_deref() {
        Some("1") => ("male", Some("248153007")),
        Some("2") => ("female", Some("248152002")),
        _ => ("unknown", None),
    };
    let ea = j.arr("extension");
    if let Some(code) = snomed {
        let m = j.begin();
        j.lit(
            "url",
            "http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex",
        );
        j.lit("valueCode", code);
        j.end(m);
    }
    ext_col(&mut j, b, "race", Col::BENE_RACE_CD);
    {
        let m = j.begin();
        j.lit(
            "url",
            "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
        );
        let a = j.arr("extension");
        let e = j.begin();
        j.lit("url", "ombCategory");
        let c = j.obj("valueCoding");
        j.lit(
            "system",
            "http://terminology.hl7.org/CodeSystem/v3-NullFlavor",
        );
        j.lit("code", "UNK");
        j.lit("display", "Unknown");
        j.end(c);
        j.end(e);
        let e = j.begin();
        j.lit("url", "text");
        j.lit("valueString", "Unknown");
        j.end(e);
        j.end_arr(a);
        j.end(m);
    }
    ext_year(&mut j, b);
    ext_monthly(&mut j, b, "dual", "_", &monthly().dual);
    j.end_arr(ea);

    let ids = j.arr("identifier");
    let mbi = r.get(Col::MBI_NUM);
    if present(&mbi) {
        let m = j.begin();
        let t = j.obj("type");
        let a = j.arr("coding");
        let c = j.begin();
        let x = j.arr("extension");
        let e = j.begin();
        j.lit(
            "url",
            "https://bluebutton.cms.gov/resources/codesystem/identifier-currency",
        );
        let v = j.obj("valueCoding");
        j.lit(
            "system",
            "https://bluebutton.cms.gov/resources/codesystem/identifier-currency",
        );
        j.lit("code", "current");
        j.lit("display", "Current");
        j.end(v);
        j.end(e);
        j.end_arr(x);
        j.lit("system", "http://terminology.hl7.org/CodeSystem/v2-0203");
        j.lit("code", "MC");
        j.lit("display", "Patient's Medicare number");
        j.end(c);
        j.end_arr(a);
        j.end(t);
        j.lit("system", "http://hl7.org/fhir/sid/us-mbi");
        put(&mut j, "value", &mbi);
        let from = r.get(Col::EFCTV_BGN_DT);
        if present(&from) {
            let p = j.obj("period");
            put(&mut j, "start", &from);
            put(&mut j, "end", &r.get(Col::EFCTV_END_DT));
            j.end(p);
        }
        j.end(m);
    }
    let m = j.begin();
    let t = j.obj("type");
    let a = j.arr("coding");
    let c = j.begin();
    j.lit("system", "http://terminology.hl7.org/CodeSystem/v2-0203");
    j.lit("code", "MB");
    j.lit("display", "Member Number");
    j.end(c);
    j.end_arr(a);
    j.end(t);
    j.str_parts("system", &[VARS, "bene_id"]);
    j.lit("value", id);
    j.end(m);
    j.end_arr(ids);

    let na = j.arr("name");
    let n = j.begin();
    j.lit("use", "usual");
    put(&mut j, "family", &r.get(Col::BENE_SRNM_NAME));
    let g = j.arr("given");
    for col in [Col::BENE_GVN_NAME, Col::BENE_MDL_NAME] {
        if let Some(s) = r.get(col).as_str() {
            j.elem_str(s);
        }
    }
    j.end_arr(g);
    if j.out.ends_with(b"\"usual\"") {
        // A name with no parts is no name.
        j.lit("text", "Unknown");
    }
    j.end(n);
    j.end_arr(na);
    j.lit("gender", gender);
    put(&mut j, "birthDate", &r.get(Col::BENE_BIRTH_DT));
    put(&mut j, "deceasedDateTime", &r.get(Col::DEATH_DT));
    let aa = j.arr("address");
    let a = j.begin();
    let l = j.arr("line");
    for col in [
        Col::DRVD_LINE_1_ADR,
        Col::DRVD_LINE_2_ADR,
        Col::DRVD_LINE_3_ADR,
        Col::DRVD_LINE_4_ADR,
        Col::DRVD_LINE_5_ADR,
        Col::DRVD_LINE_6_ADR,
    ] {
        if let Some(s) = r.get(col).as_str() {
            j.elem_str(s);
        }
    }
    j.end_arr(l);
    put(&mut j, "city", &r.get(Col::CITY_NAME));
    let st = r.get(Col::STATE_CD);
    put(
        &mut j,
        "state",
        &if present(&st) {
            st
        } else {
            r.get(Col::STATE_CODE)
        },
    );
    put(&mut j, "postalCode", &r.get(Col::BENE_ZIP_CD));
    j.end(a);
    j.end_arr(aa);
    j.end(top);
}

/// The Medicare parts a beneficiary has Coverage for: A and B always, C with a Part C
/// contract, D with a Part D contract.
pub fn parts(b: &Beneficiary) -> impl Iterator<Item = char> + '_ {
    let contract = |cols: &[Col; 12]| {
        cols.iter().any(|c| {
            b.record
                .get(*c)
                .as_str()
                .and_then(|s| s.trim().chars().next())
                .is_some_and(|ch| ch.is_ascii_alphabetic())
        })
    };
    let m = monthly();
    let c = contract(&m.ptc_cntrct);
    let d = contract(&m.ptd_cntrct);
    ['a', 'b', 'c', 'd'].into_iter().filter(move |p| match p {
        'c' => c,
        'd' => d,
        _ => true,
    })
}

/// Writes the Coverage of `part` (`'a'`…`'d'`) (one line, no newline).
pub fn write_coverage(out: &mut Vec<u8>, b: &Beneficiary, part: char, last_updated: &str) {
    let r = &b.record;
    let m = monthly();
    let mut j = J { out };
    let top = j.doc();
    j.lit("resourceType", "Coverage");
    let mut idb = itoa::Buffer::new();
    let id = idb.format(b.bene_id);
    let p = [part as u8];
    let p = std::str::from_utf8(&p).unwrap_or("a");
    j.str_parts("id", &["part-", p, "-", id]);
    meta(
        &mut j,
        last_updated,
        "http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Coverage",
    );
    let ea = j.arr("extension");
    match part {
        'a' => {
            ext_col(&mut j, b, "ms_cd", Col::BENE_MDCR_STATUS_CD);
            ext_col(&mut j, b, "orec", Col::BENE_ENTLMT_RSN_ORIG);
            ext_col(&mut j, b, "crec", Col::BENE_ENTLMT_RSN_CURR);
            ext_col(&mut j, b, "esrd_ind", Col::BENE_ESRD_IND);
            ext_col(&mut j, b, "a_trm_cd", Col::BENE_PTA_TRMNTN_CD);
            ext_year(&mut j, b);
            ext_monthly(&mut j, b, "dual", "_", &m.dual);
            ext_monthly(&mut j, b, "buyin", "", &m.buyin);
        }
        'b' => {
            ext_col(&mut j, b, "ms_cd", Col::BENE_MDCR_STATUS_CD);
            ext_col(&mut j, b, "b_trm_cd", Col::BENE_PTB_TRMNTN_CD);
            ext_year(&mut j, b);
            ext_monthly(&mut j, b, "dual", "_", &m.dual);
            ext_monthly(&mut j, b, "buyin", "", &m.buyin);
        }
        'c' => {
            ext_monthly(&mut j, b, "ptc_cntrct_id", "_", &m.ptc_cntrct);
            ext_monthly(&mut j, b, "ptc_pbp_id", "_", &m.ptc_pbp);
            ext_monthly(&mut j, b, "ptc_plan_type_cd", "_", &m.ptc_plan_type);
            ext_monthly(&mut j, b, "hmo_ind", "_", &m.hmo);
            ext_year(&mut j, b);
            ext_monthly(&mut j, b, "dual", "_", &m.dual);
        }
        _ => {
            ext_col(&mut j, b, "ms_cd", Col::BENE_MDCR_STATUS_CD);
            ext_monthly(&mut j, b, "ptdcntrct", "", &m.ptd_cntrct);
            // The same contracts by reference year and month (`ptdcntrct01/2025-1`).
            let mut year = Vec::new();
            write_value(&mut year, &r.get(Col::RFRNC_YR));
            if let Ok(y) = std::str::from_utf8(&year)
                && !y.is_empty()
            {
                for (i, col) in m.ptd_cntrct.iter().enumerate() {
                    let mm = format!("{:02}/{y}-{}", i + 1, i + 1);
                    ext_coding(&mut j, &[VARS, "ptdcntrct", &mm], *col, &r.get(*col));
                }
            }
            ext_monthly(&mut j, b, "ptdpbpid", "", &m.ptd_pbp);
            ext_monthly(&mut j, b, "sgmtid", "", &m.ptd_sgmt);
            ext_monthly(&mut j, b, "cstshr", "", &m.cst_shr);
            ext_monthly(&mut j, b, "rdsind", "", &m.rds);
            ext_year(&mut j, b);
            ext_monthly(&mut j, b, "dual", "_", &m.dual);
        }
    }
    j.end_arr(ea);
    let term = match part {
        'a' => r.get(Col::BENE_PTA_TRMNTN_CD),
        'b' => r.get(Col::BENE_PTB_TRMNTN_CD),
        _ => Value::Null,
    };
    let ended = match term {
        Value::Int(i) => i != 0,
        v => v.as_str().is_some_and(|s| !matches!(s.trim(), "" | "0")),
    };
    j.lit("status", if ended { "cancelled" } else { "active" });
    let t = j.obj("type");
    let a = j.arr("coding");
    let c = j.begin();
    j.lit("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode");
    j.lit("code", "SUBSIDIZ");
    j.end(c);
    j.end_arr(a);
    j.end(t);
    let mbi = r.get(Col::MBI_NUM);
    put(&mut j, "subscriberId", &mbi);
    let bn = j.obj("beneficiary");
    j.str_parts("reference", &["Patient/", id]);
    j.end(bn);
    let rel = j.obj("relationship");
    let a = j.arr("coding");
    let c = j.begin();
    j.lit(
        "system",
        "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
    );
    j.lit("code", "self");
    j.lit("display", "Self");
    j.end(c);
    j.end_arr(a);
    j.end(rel);
    let (from, to) = match part {
        'a' => (Col::PTA_CVRG_STRT_DT, Col::PTA_CVRG_END_DT),
        'b' => (Col::PTB_CVRG_STRT_DT, Col::PTB_CVRG_END_DT),
        'd' => (Col::PTD_CVRG_STRT_DT, Col::PTD_CVRG_END_DT),
        _ => (Col::BENE_ID, Col::BENE_ID),
    };
    if part != 'c' {
        let pm = j.obj("period");
        put(&mut j, "start", &r.get(from));
        put(&mut j, "end", &r.get(to));
        j.end(pm);
    }
    let pa = j.arr("payor");
    let pe = j.begin();
    let i = j.obj("identifier");
    j.lit("value", "Centers for Medicare and Medicaid Services");
    j.end(i);
    j.end(pe);
    j.end_arr(pa);
    let ca = j.arr("class");
    for (code, display, value) in [
        ("group", "Group", "Medicare"),
        (
            "plan",
            "Plan",
            match part {
                'a' => "Part A",
                'b' => "Part B",
                'c' => "Part C",
                _ => "Part D",
            },
        ),
    ] {
        let e = j.begin();
        let t = j.obj("type");
        let a = j.arr("coding");
        let c = j.begin();
        j.lit(
            "system",
            "http://terminology.hl7.org/CodeSystem/coverage-class",
        );
        j.lit("code", code);
        j.lit("display", display);
        j.end(c);
        j.end_arr(a);
        j.end(t);
        j.lit("value", value);
        j.end(e);
    }
    j.end_arr(ca);
    j.end(top);
}
