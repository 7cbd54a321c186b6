//! Patient as the Blue Button v2 API serves it.

use crate::emit::fhir::elements::{concept, present, put};
use crate::emit::fhir::json::J;
use crate::emit::fhir::vars::VARS;
use crate::model::Beneficiary;
use crate::schema::Col;

use super::meta;
use crate::emit::fhir::bene::{ext_col, ext_monthly, ext_year, gender, mbi_period, monthly};

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
    let (gender, snomed) = gender(b);
    extensions(&mut j, b, snomed);
    identifiers(&mut j, b, id);
    name(&mut j, b);
    j.lit("gender", gender);
    put(&mut j, "birthDate", &r.get(Col::BENE_BIRTH_DT));
    put(&mut j, "deceasedDateTime", &r.get(Col::DEATH_DT));
    address(&mut j, b);
    j.end(top);
}

/// `extension`: US Core sex (SNOMED), race (the CCW code, and US Core's `Unknown`), the
/// reference year and the monthly dual-eligibility codes.
fn extensions(j: &mut J<'_>, b: &Beneficiary, snomed: Option<&str>) {
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
    ext_col(j, b, "race", Col::BENE_RACE_CD);
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
    ext_year(j, b);
    ext_monthly(j, b, "dual", "_", &monthly().dual);
    j.end_arr(ea);
}

/// `identifier`: the MBI (current, with its effective period) and the BENE_ID.
fn identifiers(j: &mut J<'_>, b: &Beneficiary, id: &str) {
    let r = &b.record;
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
        put(j, "value", &mbi);
        mbi_period(j, b);
        j.end(m);
    }
    let m = j.begin();
    concept(
        j,
        "type",
        "http://terminology.hl7.org/CodeSystem/v2-0203",
        "MB",
        "Member Number",
    );
    j.str_parts("system", &[VARS, "bene_id"]);
    j.lit("value", id);
    j.end(m);
    j.end_arr(ids);
}

/// `name`: family and given names, or the text `Unknown` when none is known.
fn name(j: &mut J<'_>, b: &Beneficiary) {
    let r = &b.record;
    let na = j.arr("name");
    let n = j.begin();
    j.lit("use", "usual");
    put(j, "family", &r.get(Col::BENE_SRNM_NAME));
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
}

/// `address`: the derived address lines, city, state and ZIP code.
fn address(j: &mut J<'_>, b: &Beneficiary) {
    let r = &b.record;
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
    put(j, "city", &r.get(Col::CITY_NAME));
    let st = r.get(Col::STATE_CD);
    put(
        j,
        "state",
        &if present(&st) {
            st
        } else {
            r.get(Col::STATE_CODE)
        },
    );
    put(j, "postalCode", &r.get(Col::BENE_ZIP_CD));
    j.end(a);
    j.end_arr(aa);
}
