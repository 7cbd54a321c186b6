//! Patient as the Blue Button v1 API serves it.

use crate::emit::fhir::bene::{ext_col, ext_monthly, ext_year, mbi_period, monthly};
use crate::emit::fhir::elements::{present, put};
use crate::emit::fhir::json::J;
use crate::emit::fhir::vars::VARS;
use crate::emit::manifest::sha256_hex;
use crate::model::Beneficiary;
use crate::schema::Col;

use super::meta;

/// Writes the Patient resource (one line, no newline).
pub fn write_patient(out: &mut Vec<u8>, b: &Beneficiary, last_updated: &str) {
    let r = &b.record;
    let mut j = J { out };
    let top = j.doc();
    j.lit("resourceType", "Patient");
    let mut id = itoa::Buffer::new();
    let id = id.format(b.bene_id);
    j.lit("id", id);
    meta(&mut j, last_updated);
    let (gender, snomed) = crate::emit::fhir::bene::gender(b);
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
    ext_year(&mut j, b);
    ext_monthly(&mut j, b, "dual", "_", &monthly().dual);
    j.end_arr(ea);
    identifiers(&mut j, b, id);
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
    j.end(n);
    j.end_arr(na);
    j.lit("gender", gender);
    put(&mut j, "birthDate", &r.get(Col::BENE_BIRTH_DT));
    put(&mut j, "deceasedDateTime", &r.get(Col::DEATH_DT));
    let aa = j.arr("address");
    let a = j.begin();
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

/// `identifier`: the MBI hash (with the MBI's effective period) and the BENE_ID. BFD hashes
/// the MBI with a secret pepper; bbgen's synthetic MBIs are hashed with plain SHA-256, so the
/// identifier has BFD's form and follows from the MBI.
fn identifiers(j: &mut J<'_>, b: &Beneficiary, id: &str) {
    let r = &b.record;
    let ids = j.arr("identifier");
    let mbi = r.get(Col::MBI_NUM);
    if let Some(m) = mbi.as_str().map(str::trim).filter(|s| !s.is_empty()) {
        let e = j.begin();
        j.lit(
            "system",
            "https://bluebutton.cms.gov/resources/identifier/mbi-hash",
        );
        j.lit("value", &sha256_hex(m.as_bytes()));
        mbi_period(j, b);
        j.end(e);
    }
    let e = j.begin();
    j.str_parts("system", &[VARS, "bene_id"]);
    j.lit("value", id);
    j.end(e);
    j.end_arr(ids);
}
