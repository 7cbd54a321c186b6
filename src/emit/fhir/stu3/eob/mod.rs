//! ExplanationOfBenefit for all eight claim types, as the Blue Button v1 API serves them.
//!
//! The sections follow BFD's v1 order: contained resources (the referral of a professional
//! claim, its lines' lab results), extensions, identifiers, type, patient, periods, the
//! provider, organization and facility, `information`, `careTeam`, `diagnosis`,
//! `procedure`, `insurance`, `hospitalization`, `item`, then the amounts. Every element is
//! written only when its column has a value.

mod clinical;
mod item;

use crate::codes::Codes;
use crate::emit::fhir::Row;
use crate::emit::fhir::arrangement::{self, Shape, TypeSpec};
use crate::emit::fhir::elements::{coding, extension, present, put, var_coding, write_value};
use crate::emit::fhir::json::J;
use crate::emit::fhir::r4::eob::write_id;
use crate::emit::fhir::vars::{BalanceKind, Ext, ExtKind, VARS};
use crate::model::Claim;
use crate::schema::Col;
use crate::value::Value;

use super::{meta, money};

const NPI: &str = "http://hl7.org/fhir/sid/us-npi";
/// The id of a professional claim's contained ReferralRequest.
const REFERRAL_ID: &str = "referral";

/// One claim as the section writers read it.
struct Eob<'a> {
    sp: &'static TypeSpec,
    h: Row<'a>,
    lines: Vec<Row<'a>>,
    shape: Shape,
    /// The beneficiary id as text.
    bene: String,
}

/// Writes one claim's ExplanationOfBenefit as one line of JSON (no newline).
pub fn write_eob(out: &mut Vec<u8>, c: &Claim, last_updated: &str, codes: &Codes) {
    let sp = arrangement::spec(c.kind);
    let h = c.header.view();
    let mut bene = Vec::new();
    write_value(&mut bene, &h.get(Col::BENE_ID));
    let e = Eob {
        sp,
        h,
        lines: c.lines.iter().flat_map(|l| l.iter()).collect(),
        shape: sp.rules.shape,
        bene: String::from_utf8(bene).unwrap_or_default(),
    };
    let care = clinical::CareTeam::collect(&e);
    let mut j = J { out };
    let top = j.doc();
    j.lit("resourceType", "ExplanationOfBenefit");
    j.out.extend_from_slice(b",\"id\":\"");
    write_id(j.out, c);
    j.out.push(b'"');
    meta(&mut j, last_updated);
    contained(&mut j, &e);
    header_extensions(&mut j, &e);
    identifiers(&mut j, &e);
    j.lit("status", "active");
    kind(&mut j, &e);
    let p = j.obj("patient");
    j.str_parts("reference", &["Patient/", &e.bene]);
    j.end(p);
    period(&mut j, &e);
    parties(&mut j, &e);
    let dx = clinical::write(&mut j, &e, &care);
    insurance(&mut j, &e);
    clinical::hospitalization(&mut j, &e);
    item::write(&mut j, &e, &care, &dx, codes);
    item::totals(&mut j, &e);
    j.end(top);
}

/// Whether a professional claim names a referring physician (its contained ReferralRequest).
fn has_referral(e: &Eob<'_>) -> bool {
    e.shape == Shape::Professional && present(&e.h.get(Col::RFR_PHYSN_NPI))
}

/// `contained`: the ReferralRequest of a referred professional claim (STU3 requires the
/// `intent` BFD leaves out: a referral is an `order`), and each line's lab result.
fn contained(j: &mut J<'_>, e: &Eob<'_>) {
    let ca = j.arr("contained");
    if has_referral(e) {
        let m = j.begin();
        j.lit("resourceType", "ReferralRequest");
        j.lit("id", REFERRAL_ID);
        j.lit("status", "completed");
        j.lit("intent", "order");
        let s = j.obj("subject");
        j.str_parts("reference", &["Patient/", &e.bene]);
        j.end(s);
        let r = j.obj("requester");
        let a = j.obj("agent");
        npi_identifier(j, &e.h.get(Col::RFR_PHYSN_NPI));
        j.end(a);
        j.end(r);
        if let Some(v) = e.first_line_npi() {
            let ra = j.arr("recipient");
            let x = j.begin();
            npi_identifier(j, &v);
            j.end(x);
            j.end_arr(ra);
        }
        j.end(m);
    }
    if e.shape == Shape::Professional {
        item::line_observations(j, e);
    }
    j.end_arr(ca);
}

impl Eob<'_> {
    /// The performing NPI of the first line that has one.
    fn first_line_npi(&self) -> Option<Value> {
        let lc = self.sp.rules.line_care?;
        self.lines.iter().map(|l| l.get(lc.npi)).find(present)
    }
}

/// `"identifier":{"system":<NPI>,"value":…}`.
fn npi_identifier(j: &mut J<'_>, v: &Value) {
    let i = j.obj("identifier");
    j.lit("system", NPI);
    put(j, "value", v);
    j.end(i);
}

/// A pharmacy's NPI identifier, typed as v1 types it.
fn typed_npi_identifier(j: &mut J<'_>, v: &Value) {
    let i = j.obj("identifier");
    let t = j.obj("type");
    let a = j.arr("coding");
    crate::emit::fhir::elements::coding_str(j, NPI, "NPI", "National Provider Identifier");
    j.end_arr(a);
    j.end(t);
    j.lit("system", NPI);
    put(j, "value", v);
    j.end(i);
}

/// An extension in STU3's form: amounts are a STU3 `Money`, the rest as every version
/// writes them.
fn stu3_extension(j: &mut J<'_>, x: &Ext, row: &Row<'_>) {
    if let ExtKind::Money = x.kind {
        let Some(cents) = row.get(x.col).as_int() else {
            return;
        };
        let m = j.begin();
        j.str_parts("url", &[VARS, x.var]);
        money(j, "valueMoney", Some(cents), scale_of(row, x.col));
        j.end(m);
    } else {
        extension(j, x, row);
    }
}

/// `"extension":[…]` of the listed columns of a row, in STU3's form.
fn stu3_extensions(j: &mut J<'_>, list: &[Ext], row: &Row<'_>) {
    let a = j.arr("extension");
    for x in list {
        stu3_extension(j, x, row);
    }
    j.end_arr(a);
}

fn scale_of(row: &Row<'_>, col: Col) -> u16 {
    crate::emit::fhir::elements::scale_of(row.table, col)
}

/// Institutional claims' identifiers that v1 writes as `valueIdentifier` extensions: the
/// intermediary number (a coding in v2) and the original claim control number.
const V1_IDENTIFIERS: [Ext; 2] = [
    Ext {
        col: Col::FI_NUM,
        var: "fi_num",
        kind: ExtKind::Identifier,
    },
    Ext {
        col: Col::FI_ORIG_CLM_CNTL_NUM,
        var: "fi_orig_clm_cntl_num",
        kind: ExtKind::Identifier,
    },
];

/// The claim's extensions, then its amounts that v2 writes as money benefit balances (v1
/// writes them as `valueMoney` extensions).
fn header_extensions(j: &mut J<'_>, e: &Eob<'_>) {
    let a = j.arr("extension");
    let institutional = e.shape == Shape::Institutional;
    for x in e.sp.ext {
        if !(institutional && V1_IDENTIFIERS.iter().any(|v| v.col == x.col)) {
            stu3_extension(j, x, &e.h);
        }
    }
    if institutional {
        for x in &V1_IDENTIFIERS {
            stu3_extension(j, x, &e.h);
        }
    }
    for b in e.sp.balance {
        if let BalanceKind::Money = b.kind
            && let Some(cents) = e.h.get(b.col).as_int()
        {
            let m = j.begin();
            j.str_parts("url", &[VARS, b.var]);
            money(j, "valueMoney", Some(cents), scale_of(&e.h, b.col));
            j.end(m);
        }
    }
    j.end_arr(a);
}

/// `identifier`: the claim (or event) id, the claim group and a Part D event's prescription
/// reference number.
fn identifiers(j: &mut J<'_>, e: &Eob<'_>) {
    let ids = j.arr("identifier");
    for (col, var) in [
        e.sp.rules.id,
        (Col::CLM_GRP_ID, ""),
        (Col::RX_SRVC_RFRNC_NUM, "rx_srvc_rfrnc_num"),
    ] {
        let v = e.h.get(col);
        if !present(&v) {
            continue;
        }
        let i = j.begin();
        if var.is_empty() {
            j.lit(
                "system",
                "https://bluebutton.cms.gov/resources/identifier/claim-group",
            );
        } else {
            j.str_parts("system", &[VARS, var]);
        }
        put(j, "value", &v);
        j.end(i);
    }
    j.end_arr(ids);
}

/// `type`: the NCH claim type, the Blue Button EOB type, the STU3 claim type, the near-line
/// record identifier and the service classification.
fn kind(j: &mut J<'_>, e: &Eob<'_>) {
    let h = &e.h;
    let ty = j.obj("type");
    let a = j.arr("coding");
    let var = |j: &mut J<'_>, name: &str, col: Col| var_coding(j, name, col, &h.get(col));
    var(j, "nch_clm_type_cd", Col::NCH_CLM_TYPE_CD);
    let m = j.begin();
    j.lit(
        "system",
        "https://bluebutton.cms.gov/resources/codesystem/eob-type",
    );
    j.lit("code", e.sp.eob_type);
    j.end(m);
    let m = j.begin();
    j.lit("system", "http://hl7.org/fhir/ex-claimtype");
    j.lit("code", e.sp.claim_type.0);
    j.lit("display", e.sp.claim_type.1);
    j.end(m);
    var(
        j,
        "nch_near_line_rec_ident_cd",
        Col::NCH_NEAR_LINE_REC_IDENT_CD,
    );
    var(j, "clm_srvc_clsfctn_type_cd", Col::CLM_SRVC_CLSFCTN_TYPE_CD);
    j.end_arr(a);
    j.end(ty);
}

/// `billablePeriod`, and a professional claim's `referral` and `disposition`.
fn period(j: &mut J<'_>, e: &Eob<'_>) {
    let (from, thru) = e.sp.rules.period;
    let bp = j.obj("billablePeriod");
    stu3_extensions(j, e.sp.rules.period_ext, &e.h);
    put(j, "start", &e.h.get(from));
    put(j, "end", &e.h.get(thru));
    j.end(bp);
    if has_referral(e) {
        let r = j.obj("referral");
        j.str_parts("reference", &["#", REFERRAL_ID]);
        j.end(r);
    }
    if e.shape == Shape::Professional {
        put(j, "disposition", &e.h.get(Col::CARR_CLM_PMT_DNL_CD));
    }
}

/// `provider` (an institution's CMS number), `organization` and `facility` (its NPI, or the
/// pharmacy's).
fn parties(j: &mut J<'_>, e: &Eob<'_>) {
    let h = &e.h;
    let npi = match e.shape {
        Shape::Professional => return,
        Shape::Institutional => h.get(Col::ORG_NPI_NUM),
        Shape::Pharmacy => e.sp.rules.facility_npi.map_or(Value::Null, |c| h.get(c)),
    };
    let prn = h.get(Col::PRVDR_NUM);
    if present(&prn) {
        let p = j.obj("provider");
        let i = j.obj("identifier");
        j.str_parts("system", &[VARS, "prvdr_num"]);
        put(j, "value", &prn);
        j.end(i);
        j.end(p);
    }
    let id = if e.shape == Shape::Pharmacy {
        typed_npi_identifier
    } else {
        npi_identifier
    };
    if present(&npi) {
        let o = j.obj("organization");
        id(j, &npi);
        j.end(o);
    }
    let f = j.obj("facility");
    stu3_extensions(j, e.sp.rules.facility_ext, h);
    if present(&npi) {
        id(j, &npi);
    }
    j.end(f);
}

/// `insurance` (one in STU3): the Coverage of the claim's part.
fn insurance(j: &mut J<'_>, e: &Eob<'_>) {
    let i = j.obj("insurance");
    let cv = j.obj("coverage");
    stu3_extensions(j, e.sp.rules.coverage_ext, &e.h);
    j.str_parts("reference", &["Coverage/", e.sp.part, "-", &e.bene]);
    j.end(cv);
    j.end(i);
}

/// A one-coding `"k":{"coding":[…]}` of a column as its Blue Button variable; nothing when
/// the column is empty.
fn var_concept(j: &mut J<'_>, k: &str, var: &str, col: Col, row: &Row<'_>) {
    let v = row.get(col);
    if !present(&v) {
        return;
    }
    let c = j.obj(k);
    let a = j.arr("coding");
    var_coding(j, var, col, &v);
    j.end_arr(a);
    j.end(c);
}

/// `"k":{"coding":[{system, code}]}` of a value in a code system.
fn code_concept(j: &mut J<'_>, k: &str, system: &str, v: &Value, display: Option<&str>) {
    if !present(v) {
        return;
    }
    let c = j.obj(k);
    let a = j.arr("coding");
    coding(j, &[system], v, display);
    j.end_arr(a);
    j.end(c);
}
