//! The claim-level elements: id and meta, the contained billing Organization, identifiers,
//! status and type, patient, billablePeriod, created, insurer, provider, referral, facility
//! and insurance.

use crate::emit::fhir::arrangement::{Provider, Shape};
use crate::emit::fhir::elements::{
    coding_str, concept, extensions, present, put, var_coding, write_value,
};
use crate::emit::fhir::json::J;
use crate::emit::fhir::vars::VARS;
use crate::schema::Col;
use crate::value::Date;

use super::Eob;

/// The C4BB identifier types.
pub(super) const C4BB_IDENTIFIER: &str =
    "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType";
/// NPIs.
pub(super) const NPI: &str = "http://hl7.org/fhir/sid/us-npi";

/// `resourceType`, `id` and `meta`.
pub(super) fn opening(j: &mut J<'_>, e: &Eob<'_>, last_updated: &str) {
    j.lit("resourceType", "ExplanationOfBenefit");
    j.out.extend_from_slice(b",\"id\":\"");
    super::write_id(j.out, e.c);
    j.out.push(b'"');
    super::super::meta(j, last_updated, e.sp.profile);
}

/// Whether an institutional claim names its billing organization.
fn has_organization(e: &Eob<'_>) -> bool {
    e.sp.rules.shape == Shape::Institutional
        && (present(&e.h.get(Col::PRVDR_NUM)) || present(&e.h.get(Col::ORG_NPI_NUM)))
}

/// The contained billing Organization of an institutional claim (`#provider-org`).
pub(super) fn organization(j: &mut J<'_>, e: &Eob<'_>) {
    if !has_organization(e) {
        return;
    }
    let o = j.begin();
    j.lit("resourceType", "Organization");
    j.lit("id", "provider-org");
    let m = j.obj("meta");
    let a = j.arr("profile");
    j.elem_str("http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Organization");
    j.end_arr(a);
    j.end(m);
    let ids = j.arr("identifier");
    for (col, sys, code, system) in [
        (
            Col::PRVDR_NUM,
            "http://terminology.hl7.org/CodeSystem/v2-0203",
            "PRN",
            None,
        ),
        (Col::ORG_NPI_NUM, C4BB_IDENTIFIER, "npi", Some(NPI)),
    ] {
        let v = e.h.get(col);
        if present(&v) {
            let i = j.begin();
            concept(j, "type", sys, code, "");
            if let Some(s) = system {
                j.lit("system", s);
            }
            put(j, "value", &v);
            j.end(i);
        }
    }
    j.end_arr(ids);
    j.raw("active", "true");
    j.end(o);
}

/// Identifiers: the claim id, the claim group, the prescription reference number.
pub(super) fn identifiers(j: &mut J<'_>, e: &Eob<'_>) {
    let ids = j.arr("identifier");
    for (col, system) in [
        e.sp.rules.id,
        (Col::CLM_GRP_ID, ""),
        (Col::RX_SRVC_RFRNC_NUM, "rx_srvc_rfrnc_num"),
    ] {
        let v = e.h.get(col);
        if !present(&v) {
            continue;
        }
        let i = j.begin();
        concept(j, "type", C4BB_IDENTIFIER, "uc", "Unique Claim ID");
        if system.is_empty() {
            j.lit(
                "system",
                "https://bluebutton.cms.gov/resources/identifier/claim-group",
            );
        } else {
            j.str_parts("system", &[VARS, system]);
        }
        put(j, "value", &v);
        j.end(i);
    }
    j.end_arr(ids);
}

/// `status`, `type`, `subType`, `use` and `patient`.
pub(super) fn kind(j: &mut J<'_>, e: &Eob<'_>) {
    let h = &e.h;
    let sp = e.sp;
    let cancelled = matches!(h.get(Col::FINAL_ACTION).as_str().map(str::trim), Some("N"));
    j.lit("status", if cancelled { "cancelled" } else { "active" });

    let ty = j.obj("type");
    let a = j.arr("coding");
    var_coding(
        j,
        "nch_clm_type_cd",
        Col::NCH_CLM_TYPE_CD,
        &h.get(Col::NCH_CLM_TYPE_CD),
    );
    let m = j.begin();
    j.lit(
        "system",
        "https://bluebutton.cms.gov/resources/codesystem/eob-type",
    );
    j.lit("code", sp.eob_type);
    j.end(m);
    coding_str(
        j,
        "http://terminology.hl7.org/CodeSystem/claim-type",
        sp.claim_type.0,
        sp.claim_type.1,
    );
    j.end_arr(a);
    j.end(ty);
    if let Some((code, text)) = sp.sub_type {
        let st = j.obj("subType");
        let a = j.arr("coding");
        let m = j.begin();
        j.lit(
            "system",
            "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBInstitutionalClaimSubType",
        );
        j.lit("code", code);
        j.end(m);
        j.end_arr(a);
        j.lit("text", text);
        j.end(st);
    }
    j.lit("use", "claim");
    let p = j.obj("patient");
    j.out.extend_from_slice(b"\"reference\":\"Patient/");
    write_value(j.out, &h.get(Col::BENE_ID));
    j.out.push(b'"');
    j.end(p);
}

/// `billablePeriod`, `created` (the first processing or service date, else the end of the
/// data window) and `insurer`.
pub(super) fn period(j: &mut J<'_>, e: &Eob<'_>, fallback: Date) {
    let h = &e.h;
    let (from, thru) = e.sp.rules.period;
    let bp = j.obj("billablePeriod");
    extensions(j, e.sp.rules.period_ext, h);
    put(j, "start", &h.get(from));
    put(j, "end", &h.get(thru));
    j.end(bp);

    let created = [
        Col::NCH_WKLY_PROC_DT,
        Col::PD_DT,
        Col::CLM_THRU_DT,
        Col::SRVC_DT,
    ]
    .into_iter()
    .find_map(|col| h.get(col).as_date())
    .unwrap_or(fallback);
    j.date("created", created);
    let ins = j.obj("insurer");
    let i = j.obj("identifier");
    j.lit("value", "CMS");
    j.end(i);
    j.end(ins);
}

/// `provider` (required): the billing provider as each type names it, or `Unknown`.
pub(super) fn provider(j: &mut J<'_>, e: &Eob<'_>) {
    let h = &e.h;
    let pm = j.obj("provider");
    let before = j.written_since(pm);
    match e.sp.rules.provider {
        Provider::BillingNpi(col, var) => {
            let v = h.get(col);
            if present(&v) {
                let i = j.obj("identifier");
                j.str_parts("system", &[VARS, var]);
                put(j, "value", &v);
                j.end(i);
            }
        }
        Provider::FirstLineNpi(col) => {
            if let Some(v) = e.lines.iter().map(|l| l.get(col)).find(present) {
                j.lit("type", "Practitioner");
                let i = j.obj("identifier");
                j.lit("system", NPI);
                put(j, "value", &v);
                j.end(i);
            }
        }
        Provider::Npi(col) => {
            let v = h.get(col);
            if present(&v) {
                let i = j.obj("identifier");
                j.lit("system", NPI);
                put(j, "value", &v);
                j.end(i);
            }
        }
        Provider::Organization => {
            if has_organization(e) {
                j.lit("reference", "#provider-org");
            }
        }
    }
    if j.written_since(pm) == before {
        // Nothing known about the provider: say so rather than omit a required element.
        j.lit("display", "Unknown");
    }
    j.end(pm);
}

/// `referral` (professional claims), `facility`, `outcome` and `disposition`.
pub(super) fn referral_and_facility(j: &mut J<'_>, e: &Eob<'_>) {
    let h = &e.h;
    if e.sp.rules.shape == Shape::Professional {
        let v = h.get(Col::RFR_PHYSN_NPI);
        if present(&v) {
            let r = j.obj("referral");
            let i = j.obj("identifier");
            concept(
                j,
                "type",
                C4BB_IDENTIFIER,
                "npi",
                "National Provider Identifier",
            );
            put(j, "value", &v);
            j.end(i);
            j.end(r);
        }
    }
    let f = j.obj("facility");
    extensions(j, e.sp.rules.facility_ext, h);
    if let Some(col) = e.sp.rules.facility_npi {
        let v = h.get(col);
        if present(&v) {
            let i = j.obj("identifier");
            concept(j, "type", C4BB_IDENTIFIER, "npi", "");
            put(j, "value", &v);
            j.end(i);
        }
    }
    j.end(f);
    j.lit("outcome", "complete");
    put(j, "disposition", &h.get(Col::CLM_DISP_CD));
}

/// `insurance` (required): the Coverage of the part the claim is paid under.
pub(super) fn insurance(j: &mut J<'_>, e: &Eob<'_>, bene: &mut Vec<u8>) {
    let ia = j.arr("insurance");
    let m = j.begin();
    j.raw("focal", "true");
    let cv = j.obj("coverage");
    extensions(j, e.sp.rules.coverage_ext, &e.h);
    write_value(bene, &e.h.get(Col::BENE_ID));
    let bene_s = std::str::from_utf8(bene).unwrap_or("");
    j.str_parts("reference", &["Coverage/", e.sp.part, "-", bene_s]);
    j.end(cv);
    j.end(m);
    j.end_arr(ia);
}
