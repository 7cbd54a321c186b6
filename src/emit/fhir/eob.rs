//! ExplanationOfBenefit for all eight claim types, as the Blue Button v2 API serves them.
//!
//! One header builder, one line→item builder and one set of adjudication helpers serve every
//! type; what differs between types is data in [`super::spec`]. Every element is written only
//! when its column has a value, so the output is valid whatever columns the generator fills.

use std::sync::OnceLock;

use crate::codes::{self, CodeTable, Codes};
use crate::model::{Claim, ClaimType};
use crate::schema::{Col, Table};
use crate::value::Value;

use super::json::{J, push_str};
use super::spec::{self, Adj, BalanceKind, Ext, ExtKind, Info, InfoValue, TypeSpec, VARS};
use super::{Row, ccw_display};

const C4BB_IDENTIFIER: &str = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType";
const C4BB_ROLE: &str = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimCareTeamRole";
const C4BB_DX_TYPE: &str = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimDiagnosisType";
const HL7_DX_TYPE: &str = "http://terminology.hl7.org/CodeSystem/ex-diagnosistype";
const ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
const ICD9CM: &str = "http://hl7.org/fhir/sid/icd-9-cm";
const ICD10: &str = "http://hl7.org/fhir/sid/icd-10";
const ICD10PCS: &str = "http://www.cms.gov/Medicare/Coding/ICD10";
const HCPCS: &str = "https://bluebutton.cms.gov/resources/codesystem/hcpcs";
const NDC: &str = "http://hl7.org/fhir/sid/ndc";
const NPI: &str = "http://hl7.org/fhir/sid/us-npi";
const UCUM: &str = "http://unitsofmeasure.org";
const BB_ADJ: &str = "https://bluebutton.cms.gov/resources/codesystem/adjudication";

/// The C4BB profile of a claim type's ExplanationOfBenefit.
pub fn profile(t: ClaimType) -> &'static str {
    spec::spec(t).profile
}

/// The resource id of a claim: `<type>-<claim id>` (`pde-<pde id>`).
pub fn write_id(out: &mut Vec<u8>, c: &Claim) {
    out.extend_from_slice(c.kind.name().as_bytes());
    out.push(b'-');
    let id = c.header.get(id_col(c.kind));
    write_value(out, &id);
}

fn id_col(t: ClaimType) -> Col {
    if t == ClaimType::PartD {
        Col::PDE_ID
    } else {
        Col::CLM_ID
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
fn put(j: &mut J<'_>, k: &str, v: &Value) {
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
fn table_display<'t>(t: &'t CodeTable, v: &Value) -> Option<&'t str> {
    t.display(v.as_str()?.trim())
}

fn present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Str(_) | Value::Text(_) => !v.as_str().unwrap_or("").trim().is_empty(),
        _ => true,
    }
}

fn scale_of(t: &Table, col: Col) -> u16 {
    t.position(col).map_or(0, |p| t.columns[p].ty.scale())
}

/// A coding `{system, code, display?}` as an array element.
fn coding(j: &mut J<'_>, system: &[&str], code: &Value, display: Option<&str>) {
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
fn coding_str(j: &mut J<'_>, system: &str, code: &str, display: &str) {
    let m = j.begin();
    j.lit("system", system);
    j.lit("code", code);
    j.lit("display", display);
    j.end(m);
}

/// `"k":{"coding":[{system, code, display}]}` with fixed values.
fn concept(j: &mut J<'_>, k: &str, system: &str, code: &str, display: &str) {
    let m = j.obj(k);
    let a = j.arr("coding");
    coding_str(j, system, code, display);
    j.end_arr(a);
    j.end(m);
}

/// A Blue Button variable coding of a column value, with its CCW display.
fn var_coding(j: &mut J<'_>, var: &str, col: Col, v: &Value) {
    let d = if col == Col::CLM_DRG_CD {
        table_display(codes::ms_drg(), v)
    } else {
        v.as_str().and_then(|s| ccw_display(col, s.trim()))
    };
    coding(j, &[VARS, var], v, d);
}

/// One extension (an element of an open `extension` array).
fn extension(j: &mut J<'_>, e: &Ext, row: &Row<'_>) {
    let v = row.get(e.col);
    if !present(&v) {
        return;
    }
    let m = j.begin();
    j.str_parts("url", &[VARS, e.var]);
    match e.kind {
        ExtKind::Coding => {
            let o = j.obj("valueCoding");
            j.str_parts("system", &[VARS, e.var]);
            match (v, scale_of(row.table, e.col)) {
                (Value::Int(i), s) if s > 0 => {
                    let mut t = Vec::with_capacity(24);
                    super::json::push_number(&mut t, i, s);
                    j.str("code", std::str::from_utf8(&t).unwrap_or(""));
                }
                _ => put(j, "code", &v),
            }
            if let Some(d) = v.as_str().and_then(|s| ccw_display(e.col, s.trim())) {
                j.str("display", d);
            }
            j.end(o);
        }
        ExtKind::Identifier => {
            let o = j.obj("valueIdentifier");
            j.str_parts("system", &[VARS, e.var]);
            put(j, "value", &v);
            j.end(o);
        }
        ExtKind::Money => money(j, "valueMoney", v.as_int(), scale_of(row.table, e.col)),
        ExtKind::Date => put(j, "valueDate", &v),
        ExtKind::Quantity => quantity(j, "valueQuantity", &v, scale_of(row.table, e.col)),
        ExtKind::QuantityCoded(unit, unit_var) => {
            let o = j.obj("valueQuantity");
            number(j, "value", &v, scale_of(row.table, e.col));
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

fn extensions(j: &mut J<'_>, list: &[Ext], row: &Row<'_>) {
    let a = j.arr("extension");
    for e in list {
        extension(j, e, row);
    }
    j.end_arr(a);
}

/// A number member from a value (integer or scaled decimal); text values that are numbers
/// are written as they are.
fn number(j: &mut J<'_>, k: &str, v: &Value, scale: u16) {
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

fn quantity(j: &mut J<'_>, k: &str, v: &Value, scale: u16) {
    let o = j.obj(k);
    number(j, "value", v, scale);
    j.end(o);
}

/// `"k":{"value":…,"currency":"USD"}`.
fn money(j: &mut J<'_>, k: &str, cents: Option<i64>, scale: u16) {
    if let Some(c) = cents {
        let o = j.obj(k);
        j.dec("value", c, scale);
        j.lit("currency", "USD");
        j.end(o);
    }
}

/// An adjudication (or total) entry for an amount column.
fn adjudication(j: &mut J<'_>, a: &Adj, row: &Row<'_>, ext: Option<(&Ext, &Row<'_>)>) {
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

/// Diagnosis columns of a claim table, found once per type.
struct DxCol {
    code: Col,
    version: Option<Col>,
    poa: Option<(Col, &'static str)>,
    kind: DxKind,
}

#[derive(Clone, Copy, PartialEq)]
enum DxKind {
    Admitting,
    Principal,
    Other,
    External,
    Reason,
}

struct ProcCol {
    code: Col,
    version: Option<Col>,
    date: Option<Col>,
}

struct TypeCols {
    dx: Vec<DxCol>,
    px: Vec<ProcCol>,
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn type_cols(t: ClaimType) -> &'static TypeCols {
    static CELLS: [OnceLock<TypeCols>; 8] = [const { OnceLock::new() }; 8];
    CELLS[t.index()].get_or_init(|| {
        let table = t.header_table();
        let col = |n: &str| Col::by_name(n).filter(|c| table.position(*c).is_some());
        let mut dx = Vec::new();
        let mut add = |code: &str, version: &str, poa: Option<String>, kind| {
            if let Some(c) = col(code) {
                let poa = poa.and_then(|p| col(&p).map(|pc| (pc, leak(p.to_lowercase()))));
                dx.push(DxCol {
                    code: c,
                    version: col(version),
                    poa,
                    kind,
                });
            }
        };
        add(
            "ADMTG_DGNS_CD",
            "ADMTG_DGNS_VRSN_CD",
            None,
            DxKind::Admitting,
        );
        add(
            "PRNCPAL_DGNS_CD",
            "PRNCPAL_DGNS_VRSN_CD",
            None,
            DxKind::Principal,
        );
        for n in 1..=25 {
            add(
                &format!("ICD_DGNS_CD{n}"),
                &format!("ICD_DGNS_VRSN_CD{n}"),
                Some(format!("CLM_POA_IND_SW{n}")),
                DxKind::Other,
            );
        }
        add(
            "FST_DGNS_E_CD",
            "FST_DGNS_E_VRSN_CD",
            None,
            DxKind::External,
        );
        for n in 1..=12 {
            add(
                &format!("ICD_DGNS_E_CD{n}"),
                &format!("ICD_DGNS_E_VRSN_CD{n}"),
                Some(format!("CLM_E_POA_IND_SW{n}")),
                DxKind::External,
            );
        }
        for n in 1..=3 {
            add(
                &format!("RSN_VISIT_CD{n}"),
                &format!("RSN_VISIT_VRSN_CD{n}"),
                None,
                DxKind::Reason,
            );
        }
        let mut px = Vec::new();
        for n in 1..=25 {
            if let Some(c) = col(&format!("ICD_PRCDR_CD{n}")) {
                px.push(ProcCol {
                    code: c,
                    version: col(&format!("ICD_PRCDR_VRSN_CD{n}")),
                    date: col(&format!("PRCDR_DT{n}")),
                });
            }
        }
        TypeCols { dx, px }
    })
}

fn is_icd9(v: &Value) -> bool {
    matches!(v.as_str().map(str::trim), Some("9")) || v.as_int() == Some(9)
}

/// Everything the EOB needs besides the claim.
pub struct EobContext<'a> {
    /// `meta.lastUpdated` (an instant fixed by the run's options).
    pub last_updated: &'a str,
    /// The fallback `created` date.
    pub created: crate::value::Date,
    /// The run's HCPCS and NDC tables (the official files with `--code-tables`).
    pub codes: &'a Codes,
}

/// Care team members collected from the header and lines: (provider value, role index,
/// whether the value is a UPIN rather than an NPI).
struct Care {
    members: Vec<(Value, usize, bool)>,
}

impl Care {
    fn seq(&mut self, v: Value, role: usize) -> Option<usize> {
        self.add(v, role, false)
    }

    fn upin(&mut self, v: Value, role: usize) -> Option<usize> {
        self.add(v, role, true)
    }

    fn add(&mut self, v: Value, role: usize, upin: bool) -> Option<usize> {
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
        self.members.push((v, role, upin));
        Some(self.members.len())
    }
}

/// Roles: (code, display, system).
const ROLES: [(&str, &str, &str); 7] = [
    ("referring", "Referring", C4BB_ROLE),
    ("attending", "Attending", C4BB_ROLE),
    ("operating", "Operating", C4BB_ROLE),
    ("otheroperating", "Other Operating", C4BB_ROLE),
    ("performing", "Performing provider", C4BB_ROLE),
    (
        "primary",
        "Primary provider",
        "http://terminology.hl7.org/CodeSystem/claimcareteamrole",
    ),
    ("prescribing", "Prescribing provider", C4BB_ROLE),
];
const REFERRING: usize = 0;
const PERFORMING: usize = 4;
const PRIMARY: usize = 5;

/// Writes one claim's ExplanationOfBenefit as one line of JSON (no newline).
pub fn write_eob(out: &mut Vec<u8>, c: &Claim, ctx: &EobContext<'_>) {
    let sp = spec::spec(c.kind);
    let h = c.header.view();
    let t = c.kind;
    let professional = matches!(t, ClaimType::Carrier | ClaimType::Dme);
    let institutional = !professional && t != ClaimType::PartD;
    let cols = type_cols(t);
    let bene = h.get(Col::BENE_ID);

    // Care team: header members first, then line members, in order of appearance.
    let lines = LinesView(c.lines.as_ref());
    let mut sc = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
    sc.clear();
    let Scratch {
        members,
        line_care,
        line_info,
        line_dx,
        dx_codes,
        bene: bene_buf,
    } = &mut sc;
    let mut care = Care {
        members: std::mem::take(members),
    };
    match t {
        ClaimType::Carrier | ClaimType::Dme => {
            care.seq(h.get(Col::RFR_PHYSN_NPI), REFERRING);
            care.upin(h.get(Col::RFR_PHYSN_UPIN), REFERRING);
        }
        ClaimType::PartD => {
            care.seq(h.get(Col::PRSCRBR_ID), 6);
        }
        _ => {
            care.seq(h.get(Col::AT_PHYSN_NPI), 1);
            care.seq(h.get(Col::OP_PHYSN_NPI), 2);
            care.seq(h.get(Col::OT_PHYSN_NPI), 3);
            care.upin(h.get(Col::AT_PHYSN_UPIN), 1);
            care.upin(h.get(Col::OP_PHYSN_UPIN), 2);
            care.upin(h.get(Col::OT_PHYSN_UPIN), 3);
        }
    }
    for l in lines.iter() {
        let a = match t {
            ClaimType::Carrier => care.seq(l.get(Col::PRF_PHYSN_NPI), PERFORMING),
            ClaimType::Dme => care.seq(l.get(Col::PRVDR_NPI), PERFORMING),
            _ => care.seq(l.get(Col::RNDRNG_PHYSN_NPI), PERFORMING),
        };
        let a = a.or_else(|| match t {
            ClaimType::Carrier => care.upin(l.get(Col::PRF_PHYSN_UPIN), PERFORMING),
            ClaimType::Dme => None,
            _ => care.upin(l.get(Col::RNDRNG_PHYSN_UPIN), PERFORMING),
        });
        let b = if t == ClaimType::Carrier {
            care.seq(l.get(Col::ORG_NPI_NUM), PRIMARY)
        } else {
            None
        };
        line_care.push([a, b]);
    }
    // The first line that names each member gives its qualification and extensions.
    let member_line = |i: usize| -> Option<Row<'_>> {
        line_care
            .iter()
            .position(|lc| lc.contains(&Some(i + 1)))
            .map(|p| lines.get(p))
    };

    let mut j = J { out };
    let top = j.doc();
    j.lit("resourceType", "ExplanationOfBenefit");
    {
        j.out.extend_from_slice(b",\"id\":\"");
        write_id(j.out, c);
        j.out.push(b'"');
    }
    let m = j.obj("meta");
    j.lit("lastUpdated", ctx.last_updated);
    let a = j.arr("profile");
    j.elem_str(sp.profile);
    j.end_arr(a);
    j.end(m);

    // Contained resources: the billing organization, line lab results.
    let contained = j.arr("contained");
    if institutional && (present(&h.get(Col::PRVDR_NUM)) || present(&h.get(Col::ORG_NPI_NUM))) {
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
            let v = h.get(col);
            if present(&v) {
                let i = j.begin();
                concept(&mut j, "type", sys, code, "");
                if let Some(s) = system {
                    j.lit("system", s);
                }
                put(&mut j, "value", &v);
                j.end(i);
            }
        }
        j.end_arr(ids);
        j.raw("active", "true");
        j.end(o);
    }
    if professional {
        for (n, l) in lines.iter().enumerate() {
            let l = &l;
            let v = l.get(Col::LINE_HCT_HGB_RSLT_NUM);
            if !present(&v) {
                continue;
            }
            let o = j.begin();
            j.lit("resourceType", "Observation");
            write_line_obs_id(&mut j, "id", "", n as i64 + 1);
            j.lit("status", "unknown");
            let cd = j.obj("code");
            let a = j.arr("coding");
            let ty = l.get(Col::LINE_HCT_HGB_TYPE_CD);
            if present(&ty) {
                var_coding(
                    &mut j,
                    "line_hct_hgb_type_cd",
                    Col::LINE_HCT_HGB_TYPE_CD,
                    &ty,
                );
            } else {
                coding_str(
                    &mut j,
                    "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                    "unknown",
                    "Unknown",
                );
            }
            j.end_arr(a);
            j.end(cd);
            quantity(
                &mut j,
                "valueQuantity",
                &v,
                scale_of(l.table, Col::LINE_HCT_HGB_RSLT_NUM),
            );
            j.end(o);
        }
    }
    j.end_arr(contained);

    extensions(&mut j, sp.ext, &h);

    // Identifiers: the claim id and the claim group.
    let ids = j.arr("identifier");
    for (col, system) in [
        (
            id_col(t),
            if t == ClaimType::PartD {
                "pde_id"
            } else {
                "clm_id"
            },
        ),
        (Col::CLM_GRP_ID, ""),
        (Col::RX_SRVC_RFRNC_NUM, "rx_srvc_rfrnc_num"),
    ] {
        let v = h.get(col);
        if !present(&v) {
            continue;
        }
        let i = j.begin();
        concept(&mut j, "type", C4BB_IDENTIFIER, "uc", "Unique Claim ID");
        if system.is_empty() {
            j.lit(
                "system",
                "https://bluebutton.cms.gov/resources/identifier/claim-group",
            );
        } else {
            j.str_parts("system", &[VARS, system]);
        }
        put(&mut j, "value", &v);
        j.end(i);
    }
    j.end_arr(ids);

    let cancelled = matches!(h.get(Col::FINAL_ACTION).as_str().map(str::trim), Some("N"));
    j.lit("status", if cancelled { "cancelled" } else { "active" });

    let ty = j.obj("type");
    let a = j.arr("coding");
    var_coding(
        &mut j,
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
        &mut j,
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
    write_value(j.out, &bene);
    j.out.push(b'"');
    j.end(p);

    let (from, thru) = if t == ClaimType::PartD {
        (h.get(Col::SRVC_DT), h.get(Col::SRVC_DT))
    } else {
        (h.get(Col::CLM_FROM_DT), h.get(Col::CLM_THRU_DT))
    };
    let bp = j.obj("billablePeriod");
    if institutional {
        let q = Ext {
            col: Col::CLAIM_QUERY_CODE,
            var: "claim_query_cd",
            kind: ExtKind::Coding,
        };
        extensions(&mut j, std::slice::from_ref(&q), &h);
    }
    put(&mut j, "start", &from);
    put(&mut j, "end", &thru);
    j.end(bp);

    let created = [
        Col::NCH_WKLY_PROC_DT,
        Col::PD_DT,
        Col::CLM_THRU_DT,
        Col::SRVC_DT,
    ]
    .into_iter()
    .find_map(|col| h.get(col).as_date())
    .unwrap_or(ctx.created);
    j.date("created", created);
    let ins = j.obj("insurer");
    let i = j.obj("identifier");
    j.lit("value", "CMS");
    j.end(i);
    j.end(ins);

    // provider (required): the billing provider as each type names it.
    let pm = j.obj("provider");
    let before = j.written_since(pm);
    match t {
        ClaimType::Carrier => {
            let v = h.get(Col::CARR_CLM_BLG_NPI_NUM);
            if present(&v) {
                let i = j.obj("identifier");
                j.str_parts("system", &[VARS, "carr_clm_blg_npi_num"]);
                put(&mut j, "value", &v);
                j.end(i);
            }
        }
        ClaimType::Dme => {
            if let Some(v) = lines.iter().map(|l| l.get(Col::PRVDR_NPI)).find(present) {
                j.lit("type", "Practitioner");
                let i = j.obj("identifier");
                j.lit("system", NPI);
                put(&mut j, "value", &v);
                j.end(i);
            }
        }
        ClaimType::PartD => {
            let v = h.get(Col::SRVC_PRVDR_ID);
            if present(&v) {
                let i = j.obj("identifier");
                j.lit("system", NPI);
                put(&mut j, "value", &v);
                j.end(i);
            }
        }
        _ => {
            if present(&h.get(Col::PRVDR_NUM)) || present(&h.get(Col::ORG_NPI_NUM)) {
                j.lit("reference", "#provider-org");
            }
        }
    }
    if j.written_since(pm) == before {
        // Nothing known about the provider: say so rather than omit a required element.
        j.lit("display", "Unknown");
    }
    j.end(pm);

    if professional {
        let v = h.get(Col::RFR_PHYSN_NPI);
        if present(&v) {
            let r = j.obj("referral");
            let i = j.obj("identifier");
            concept(
                &mut j,
                "type",
                C4BB_IDENTIFIER,
                "npi",
                "National Provider Identifier",
            );
            put(&mut j, "value", &v);
            j.end(i);
            j.end(r);
        }
    }
    let f = j.obj("facility");
    if t == ClaimType::PartD {
        let e = Ext {
            col: Col::PHRMCY_SRVC_TYPE_CD,
            var: "phrmcy_srvc_type_cd",
            kind: ExtKind::Coding,
        };
        extensions(&mut j, std::slice::from_ref(&e), &h);
        let v = h.get(Col::SRVC_PRVDR_ID);
        if present(&v) {
            let i = j.obj("identifier");
            concept(&mut j, "type", C4BB_IDENTIFIER, "npi", "");
            put(&mut j, "value", &v);
            j.end(i);
        }
    } else if institutional {
        let e = Ext {
            col: Col::CLM_FAC_TYPE_CD,
            var: "clm_fac_type_cd",
            kind: ExtKind::Coding,
        };
        extensions(&mut j, std::slice::from_ref(&e), &h);
    }
    j.end(f);
    j.lit("outcome", "complete");
    put(&mut j, "disposition", &h.get(Col::CLM_DISP_CD));

    // careTeam
    let ct = j.arr("careTeam");
    for (i, (v, role, upin)) in care.members.iter().enumerate() {
        let m = j.begin();
        let line = if *role == PERFORMING {
            member_line(i)
        } else {
            None
        };
        if let Some(l) = line {
            let ext: &[Ext] = match t {
                ClaimType::Carrier => &[
                    Ext {
                        col: Col::CARR_LINE_PRVDR_TYPE_CD,
                        var: "carr_line_prvdr_type_cd",
                        kind: ExtKind::Coding,
                    },
                    Ext {
                        col: Col::PRTCPTNG_IND_CD,
                        var: "prtcptng_ind_cd",
                        kind: ExtKind::Coding,
                    },
                ],
                ClaimType::Dme => &[Ext {
                    col: Col::PRTCPTNG_IND_CD,
                    var: "prtcptng_ind_cd",
                    kind: ExtKind::Coding,
                }],
                _ => &[],
            };
            extensions(&mut j, ext, &l);
        }
        j.int("sequence", i as i64 + 1);
        let p = j.obj("provider");
        let id = j.obj("identifier");
        if *upin {
            concept(
                &mut j,
                "type",
                "http://terminology.hl7.org/CodeSystem/v2-0203",
                "UPIN",
                "Medicare/CMS (formerly HCFA)'s Universal Physician Identification numbers",
            );
        } else {
            concept(
                &mut j,
                "type",
                C4BB_IDENTIFIER,
                "npi",
                "National Provider Identifier",
            );
        }
        put(&mut j, "value", v);
        j.end(id);
        j.end(p);
        if line.is_some() && professional {
            j.raw("responsible", "true");
        }
        let (code, display, system) = ROLES[*role];
        concept(&mut j, "role", system, code, display);
        if let Some(l) = line {
            let s = l.get(Col::PRVDR_SPCLTY);
            if present(&s) {
                let q = j.obj("qualification");
                let a = j.arr("coding");
                var_coding(&mut j, "prvdr_spclty", Col::PRVDR_SPCLTY, &s);
                j.end_arr(a);
                j.end(q);
            }
        }
        j.end(m);
    }
    j.end_arr(ct);

    // supportingInfo
    let mut seq = 0i64;
    let si = j.arr("supportingInfo");
    for inf in sp.info {
        if supporting_info(&mut j, inf, &h, seq + 1) {
            seq += 1;
        }
    }
    line_info.resize(lines.len(), None);
    if professional {
        for (n, l) in lines.iter().enumerate() {
            let l = &l;
            if !present(&l.get(Col::LINE_HCT_HGB_RSLT_NUM)) {
                continue;
            }
            seq += 1;
            line_info[n] = Some(seq);
            let m = j.begin();
            j.int("sequence", seq);
            info_category(
                &mut j,
                None,
                "line_hct_hgb_rslt_num",
                "Hematocrit / Hemoglobin Test Results",
            );
            let r = j.obj("valueReference");
            write_line_obs_id(&mut j, "reference", "#", n as i64 + 1);
            j.end(r);
            j.end(m);
        }
    }
    j.end_arr(si);

    // diagnosis

    let dg = j.arr("diagnosis");
    for d in &cols.dx {
        let v = h.get(d.code);
        if !present(&v) || dx_codes.contains(&v) {
            continue;
        }
        dx_codes.push(v);
        let version = d.version.map_or(Value::Null, |c| h.get(c));
        let kind = match d.kind {
            DxKind::Other if !institutional || t == ClaimType::Hha => DxKind::Reason,
            k => k,
        };
        let (sys, code, display) = match (d.kind, kind) {
            (DxKind::Admitting, _) => (HL7_DX_TYPE, "admitting", "Admitting Diagnosis"),
            (DxKind::Principal, _) => (HL7_DX_TYPE, "principal", "Principal Diagnosis"),
            (DxKind::Other, DxKind::Reason) => (C4BB_DX_TYPE, "secondary", "Secondary"),
            (DxKind::Other, _) => (C4BB_DX_TYPE, "other", "Other"),
            (DxKind::External, _) => (
                C4BB_DX_TYPE,
                "externalcauseofinjury",
                "External Cause of Injury",
            ),
            (DxKind::Reason, _) => (
                C4BB_DX_TYPE,
                "patientreasonforvisit",
                "Patient Reason for Visit",
            ),
        };
        let poa = d.poa.map(|(c, var)| (c, var, h.get(c)));
        diagnosis(
            &mut j,
            dx_codes.len() as i64,
            &v,
            &version,
            poa,
            (sys, code, display),
        );
    }
    // Line diagnoses (carrier, DME) not already on the claim.
    line_dx.resize(lines.len(), None);
    if professional {
        for (n, l) in lines.iter().enumerate() {
            let l = &l;
            let v = l.get(Col::LINE_ICD_DGNS_CD);
            if !present(&v) {
                continue;
            }
            if let Some(p) = dx_codes.iter().position(|c| *c == v) {
                line_dx[n] = Some(p + 1);
                continue;
            }
            dx_codes.push(v);
            line_dx[n] = Some(dx_codes.len());
            diagnosis(
                &mut j,
                dx_codes.len() as i64,
                &v,
                &l.get(Col::LINE_ICD_DGNS_VRSN_CD),
                None,
                (C4BB_DX_TYPE, "secondary", "Secondary"),
            );
        }
    }
    j.end_arr(dg);

    // procedure
    let pr = j.arr("procedure");
    let mut pseq = 0;
    for p in &cols.px {
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
            coding(&mut j, &[ICD9CM], &v, d);
        } else {
            let d = table_display(codes::icd10pcs(), &v);
            coding(&mut j, &[ICD10PCS], &v, d);
            coding(&mut j, &[ICD10], &v, d);
        }
        j.end_arr(a);
        j.end(pc);
        j.end(m);
    }
    j.end_arr(pr);

    // insurance (required)
    let ia = j.arr("insurance");
    let m = j.begin();
    j.raw("focal", "true");
    let cv = j.obj("coverage");
    if t == ClaimType::PartD {
        extensions(
            &mut j,
            &[
                Ext {
                    col: Col::PLAN_CNTRCT_REC_ID,
                    var: "plan_cntrct_rec_id",
                    kind: ExtKind::Identifier,
                },
                Ext {
                    col: Col::PLAN_PBP_REC_NUM,
                    var: "plan_pbp_rec_num",
                    kind: ExtKind::Identifier,
                },
            ],
            &h,
        );
    }
    write_value(bene_buf, &bene);
    let bene_s = std::str::from_utf8(bene_buf).unwrap_or("");
    j.str_parts("reference", &["Coverage/", sp.part, "-", bene_s]);
    j.end(cv);
    j.end(m);
    j.end_arr(ia);

    // item
    let it = j.arr("item");
    if t == ClaimType::PartD {
        pde_item(&mut j, sp, &h, care.members.is_empty(), ctx.codes);
    } else {
        for (n, l) in lines.iter().enumerate() {
            let l = &l;
            line_item(
                &mut j,
                sp,
                &h,
                l,
                n,
                &line_care[n],
                line_dx[n],
                line_info[n],
                ctx.codes,
            );
        }
    }
    j.end_arr(it);

    // total
    let tt = j.arr("total");
    for a in sp.total {
        adjudication(&mut j, a, &h, None);
    }
    if t == ClaimType::PartD {
        let m = j.begin();
        concept(
            &mut j,
            "category",
            "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBPayerAdjudicationStatus",
            "other",
            "Other",
        );
        money(&mut j, "amount", Some(0), 0);
        j.end(m);
    }
    j.end_arr(tt);

    let pay = j.obj("payment");
    if t == ClaimType::PartD {
        put(&mut j, "date", &h.get(Col::PD_DT));
    } else {
        money(
            &mut j,
            "amount",
            h.get(Col::CLM_PMT_AMT).as_int(),
            scale_of(h.table, Col::CLM_PMT_AMT),
        );
    }
    j.end(pay);

    let bb = j.arr("benefitBalance");
    let m = j.begin();
    concept(
        &mut j,
        "category",
        "http://terminology.hl7.org/CodeSystem/ex-benefitcategory",
        "1",
        "Medical Care",
    );
    let fa = j.arr("financial");
    let mut any = false;
    for b in sp.balance {
        let v = h.get(b.col);
        let Some(n) = v.as_int() else { continue };
        any = true;
        let f = j.begin();
        let ty = j.obj("type");
        let a = j.arr("coding");
        let c = j.begin();
        j.lit(
            "system",
            "https://bluebutton.cms.gov/resources/codesystem/benefit-balance",
        );
        j.str_parts("code", &[VARS, b.var]);
        j.lit("display", b.label);
        j.end(c);
        j.end_arr(a);
        j.end(ty);
        match b.kind {
            BalanceKind::Money => money(&mut j, "usedMoney", Some(n), scale_of(h.table, b.col)),
            BalanceKind::UnsignedInt => j.int("usedUnsignedInt", n.max(0)),
        }
        j.end(f);
    }
    j.end_arr(fa);
    if any {
        j.end(m);
    } else {
        // A category alone is no balance: drop the entry.
        j.out.truncate(m_pos(m));
    }
    j.end_arr(bb);
    j.end(top);
    sc.members = care.members;
    SCRATCH.with(|s| *s.borrow_mut() = sc);
}

/// Per-thread buffers reused from one EOB to the next.
#[derive(Default)]
struct Scratch {
    members: Vec<(Value, usize, bool)>,
    line_care: Vec<[Option<usize>; 2]>,
    line_info: Vec<Option<i64>>,
    line_dx: Vec<Option<usize>>,
    dx_codes: Vec<Value>,
    bene: Vec<u8>,
}

impl Scratch {
    fn clear(&mut self) {
        self.members.clear();
        self.line_care.clear();
        self.line_info.clear();
        self.line_dx.clear();
        self.dx_codes.clear();
        self.bene.clear();
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// The lines of a claim (none for Part D), by index without collecting them.
#[derive(Clone, Copy)]
struct LinesView<'a>(Option<&'a crate::model::Lines>);

impl<'a> LinesView<'a> {
    fn len(self) -> usize {
        self.0.map_or(0, |l| l.len())
    }

    fn get(self, i: usize) -> Row<'a> {
        self.0.expect("a line table").get(i)
    }

    fn iter(self) -> impl Iterator<Item = Row<'a>> {
        self.0.into_iter().flat_map(|l| l.iter())
    }
}

fn m_pos(m: super::json::Mark) -> usize {
    m.pos()
}

fn line_number(l: &Row<'_>, n: usize) -> i64 {
    l.get(Col::LINE_NUM)
        .as_int()
        .or_else(|| l.get(Col::CLM_LINE_NUM).as_int())
        .unwrap_or(n as i64 + 1)
}

fn write_line_obs_id(j: &mut J<'_>, k: &str, prefix: &str, n: i64) {
    let mut b = itoa::Buffer::new();
    j.str_parts(k, &[prefix, "line-observation-", b.format(n)]);
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

fn diagnosis(
    j: &mut J<'_>,
    seq: i64,
    code: &Value,
    version: &Value,
    poa: Option<(Col, &str, Value)>,
    ty: (&str, &str, &str),
) {
    let m = j.begin();
    if let Some((col, var, v)) = poa
        && present(&v)
    {
        let a = j.arr("extension");
        let e = j.begin();
        j.str_parts("url", &[VARS, var]);
        let vc = j.obj("valueCoding");
        j.str_parts("system", &[VARS, var]);
        put(j, "code", &v);
        if let Some(d) = v.as_str().and_then(|s| ccw_display(col, s.trim())) {
            j.str("display", d);
        }
        j.end(vc);
        j.end(e);
        j.end_arr(a);
    }
    j.int("sequence", seq);
    let dc = j.obj("diagnosisCodeableConcept");
    let a = j.arr("coding");
    if is_icd9(version) {
        coding(j, &[ICD9CM], code, table_display(codes::icd9cm(), code));
    } else {
        let d = table_display(codes::icd10cm(), code);
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

/// `productOrService` is required: a data-absent-reason coding stands in for a missing code.
fn no_product(j: &mut J<'_>) {
    let a = j.arr("coding");
    coding_str(
        j,
        "http://terminology.hl7.org/CodeSystem/data-absent-reason",
        "not-applicable",
        "Not Applicable",
    );
    j.end_arr(a);
}

fn seq_array(j: &mut J<'_>, k: &str, seqs: &[Option<usize>]) {
    let a = j.arr(k);
    for s in seqs.iter().flatten() {
        j.elem_int(*s as i64);
    }
    j.end_arr(a);
}

#[allow(clippy::too_many_arguments)]
fn line_item(
    j: &mut J<'_>,
    sp: &TypeSpec,
    h: &Row<'_>,
    l: &Row<'_>,
    n: usize,
    care: &[Option<usize>; 2],
    dx: Option<usize>,
    info: Option<i64>,
    codes: &Codes,
) {
    let professional = matches!(sp.kind, ClaimType::Carrier | ClaimType::Dme);
    let m = j.begin();
    extensions(j, sp.item_ext, l);
    j.int("sequence", line_number(l, n));
    seq_array(j, "careTeamSequence", care);
    seq_array(j, "diagnosisSequence", &[dx]);
    if let Some(i) = info {
        let a = j.arr("informationSequence");
        j.elem_int(i);
        j.end_arr(a);
    }
    if professional {
        let v = l.get(Col::LINE_CMS_TYPE_SRVC_CD);
        if present(&v) {
            let c = j.obj("category");
            let a = j.arr("coding");
            var_coding(j, "line_cms_type_srvc_cd", Col::LINE_CMS_TYPE_SRVC_CD, &v);
            j.end_arr(a);
            j.end(c);
        }
    } else {
        let r = j.obj("revenue");
        extensions(
            j,
            &[Ext {
                col: Col::REV_CNTR_STUS_IND_CD,
                var: "rev_cntr_stus_ind_cd",
                kind: ExtKind::Coding,
            }],
            l,
        );
        let a = j.arr("coding");
        let rc = l.get(Col::REV_CNTR);
        var_coding(j, "rev_cntr", Col::REV_CNTR, &rc);
        coding(
            j,
            &["https://www.nubc.org/CodeSystem/RevenueCodes"],
            &rc,
            table_display(codes::revenue_centers(), &rc),
        );
        let dc = l.get(Col::REV_CNTR_DDCTBL_COINSRNC_CD);
        var_coding(
            j,
            "rev_cntr_ddctbl_coinsrnc_cd",
            Col::REV_CNTR_DDCTBL_COINSRNC_CD,
            &dc,
        );
        j.end_arr(a);
        j.end(r);
    }

    // productOrService (required)
    let ps = j.obj("productOrService");
    let ndc_col = if professional {
        Col::LINE_NDC_CD
    } else {
        Col::REV_CNTR_IDE_NDC_UPC_NUM
    };
    let ndc = l.get(ndc_col);
    if present(&ndc) {
        let a = j.arr("extension");
        let e = j.begin();
        j.lit("url", NDC);
        let vc = j.obj("valueCoding");
        j.lit("system", NDC);
        put(j, "code", &ndc);
        if let Some(d) = table_display(codes.ndc(), &ndc) {
            j.str("display", d);
        }
        j.end(vc);
        j.end(e);
        j.end_arr(a);
    }
    let hc = l.get(Col::HCPCS_CD);
    if present(&hc) {
        let a = j.arr("coding");
        if sp.kind == ClaimType::Inpatient {
            coding(j, &[VARS, "hcpcs_cd"], &hc, None);
        }
        coding(j, &[HCPCS], &hc, table_display(codes.hcpcs(), &hc));
        j.end_arr(a);
    } else {
        no_product(j);
    }
    j.end(ps);

    let md = j.arr("modifier");
    let version = h.get(Col::CARR_CLM_HCPCS_YR_CD);
    for col in [
        Col::HCPCS_1ST_MDFR_CD,
        Col::HCPCS_2ND_MDFR_CD,
        Col::HCPCS_3RD_MDFR_CD,
        Col::HCPCS_4TH_MDFR_CD,
    ] {
        let v = l.get(col);
        if present(&v) {
            let c = j.begin();
            let a = j.arr("coding");
            let e = j.begin();
            j.lit("system", HCPCS);
            put(j, "version", &version);
            put(j, "code", &v);
            j.end(e);
            j.end_arr(a);
            j.end(c);
        }
    }
    let q = l.get(Col::REV_CNTR_NDC_QTY_QLFR_CD);
    if present(&q) {
        let c = j.begin();
        let a = j.arr("coding");
        coding(j, &[UCUM], &q, None);
        j.end_arr(a);
        j.end(c);
    }
    j.end_arr(md);

    if professional {
        let (a, b) = (
            l.get(Col::LINE_1ST_EXPNS_DT),
            l.get(Col::LINE_LAST_EXPNS_DT),
        );
        let p = j.obj("servicedPeriod");
        put(j, "start", &a);
        put(j, "end", &b);
        j.end(p);
        let lc = j.obj("locationCodeableConcept");
        extensions(
            j,
            &[
                Ext {
                    col: Col::PRVDR_STATE_CD,
                    var: "prvdr_state_cd",
                    kind: ExtKind::Coding,
                },
                Ext {
                    col: Col::PRVDR_ZIP,
                    var: "prvdr_zip",
                    kind: ExtKind::Coding,
                },
                Ext {
                    col: Col::CARR_LINE_PRCNG_LCLTY_CD,
                    var: "carr_line_prcng_lclty_cd",
                    kind: ExtKind::Coding,
                },
                Ext {
                    col: Col::CARR_LINE_CLIA_LAB_NUM,
                    var: "carr_line_clia_lab_num",
                    kind: ExtKind::Identifier,
                },
            ],
            l,
        );
        let a = j.arr("coding");
        var_coding(
            j,
            "line_place_of_srvc_cd",
            Col::LINE_PLACE_OF_SRVC_CD,
            &l.get(Col::LINE_PLACE_OF_SRVC_CD),
        );
        j.end_arr(a);
        j.end(lc);
        quantity(
            j,
            "quantity",
            &l.get(Col::LINE_SRVC_CNT),
            scale_of(l.table, Col::LINE_SRVC_CNT),
        );
    } else {
        put(j, "servicedDate", &l.get(Col::REV_CNTR_DT));
        let st = h.get(Col::PRVDR_STATE_CD);
        if present(&st) {
            let la = j.obj("locationAddress");
            put(j, "state", &st);
            j.end(la);
        }
        let qv = l.get(Col::REV_CNTR_NDC_QTY);
        let qv = if present(&qv) {
            qv
        } else {
            l.get(Col::REV_CNTR_UNIT_CNT)
        };
        quantity(j, "quantity", &qv, scale_of(l.table, Col::REV_CNTR_NDC_QTY));
    }

    let ad = j.arr("adjudication");
    for col in [
        Col::CARR_LINE_RDCD_PMT_PHYS_ASTN_C,
        Col::REV_CNTR_1ST_ANSI_CD,
        Col::REV_CNTR_2ND_ANSI_CD,
        Col::REV_CNTR_3RD_ANSI_CD,
        Col::REV_CNTR_4TH_ANSI_CD,
    ] {
        let v = l.get(col);
        if !present(&v) {
            continue;
        }
        let m = j.begin();
        concept(
            j,
            "category",
            "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudicationDiscriminator",
            "denialreason",
            "Denial Reason",
        );
        let r = j.obj("reason");
        let a = j.arr("coding");
        let var = col.name().to_ascii_lowercase();
        var_coding(j, &var, col, &v);
        j.end_arr(a);
        j.end(r);
        j.end(m);
    }
    let pct = Ext {
        col: Col::LINE_PMT_80_100_CD,
        var: "line_pmt_80_100_cd",
        kind: ExtKind::Coding,
    };
    for a in sp.item_adj {
        let ext = (a.col == Col::LINE_NCH_PMT_AMT).then_some((&pct, l));
        adjudication(j, a, l, ext);
    }
    j.end_arr(ad);
    j.end(m);
}

fn pde_item(j: &mut J<'_>, sp: &TypeSpec, h: &Row<'_>, no_care: bool, codes: &Codes) {
    let m = j.begin();
    j.int("sequence", 1);
    if !no_care {
        let a = j.arr("careTeamSequence");
        j.elem_int(1);
        j.end_arr(a);
    }
    let ps = j.obj("productOrService");
    let v = h.get(Col::PROD_SRVC_ID);
    if present(&v) {
        let a = j.arr("coding");
        coding(j, &[NDC], &v, table_display(codes.ndc(), &v));
        j.end_arr(a);
    } else {
        no_product(j);
    }
    j.end(ps);
    put(j, "servicedDate", &h.get(Col::SRVC_DT));
    quantity(
        j,
        "quantity",
        &h.get(Col::QTY_DSPNSD_NUM),
        scale_of(h.table, Col::QTY_DSPNSD_NUM),
    );
    let ad = j.arr("adjudication");
    for a in sp.item_adj {
        adjudication(j, a, h, None);
    }
    j.end_arr(ad);
    j.end(m);
}

/// Writes `s` as a JSON string (for callers outside this module).
pub fn json_str(out: &mut Vec<u8>, s: &str) {
    push_str(out, s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dataset, Options};

    /// The first generated claim of each type, rendered and parsed.
    fn one_of_each() -> Vec<(ClaimType, serde_json::Value)> {
        let opts = Options {
            users: 64,
            ..Options::default()
        };
        let ds = Dataset::new(opts.clone()).unwrap();
        let r = super::super::Renderer::new(&opts, crate::codes::Codes::builtin_ref());
        let mut found = Vec::new();
        for i in 0..64 {
            for c in ds.claims(i) {
                if found.iter().any(|(t, _)| *t == c.kind) {
                    continue;
                }
                let mut out = Vec::new();
                r.eob(&mut out, &c);
                found.push((c.kind, serde_json::from_slice(&out).expect("JSON")));
            }
        }
        assert_eq!(found.len(), 8, "all eight types among 64 users");
        found
    }

    #[test]
    fn each_claim_type_has_its_id_profile_types_and_coverage() {
        for (t, e) in one_of_each() {
            let sp = spec::spec(t);
            let id = e["id"].as_str().unwrap();
            assert!(id.starts_with(&format!("{}--", t.name())), "{id}");
            assert_eq!(e["meta"]["profile"][0], sp.profile, "{id}");
            let codes: Vec<&str> = e["type"]["coding"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["code"].as_str().unwrap())
                .collect();
            assert!(codes.contains(&sp.eob_type), "{id} {codes:?}");
            assert!(codes.contains(&sp.claim_type.0), "{id} {codes:?}");
            let patient = e["patient"]["reference"].as_str().unwrap();
            let bene = patient.strip_prefix("Patient/").unwrap();
            assert_eq!(
                e["insurance"][0]["coverage"]["reference"],
                format!("Coverage/{}-{bene}", sp.part)
            );
            for k in [
                "status", "use", "created", "insurer", "provider", "outcome", "item",
            ] {
                assert!(!e[k].is_null(), "{id} lacks {k}");
            }
            for item in e["item"].as_array().unwrap() {
                assert!(item["productOrService"]["coding"][0]["code"].is_string());
                assert!(item["sequence"].is_u64());
            }
        }
    }

    #[test]
    fn amounts_are_numbers_with_decimals_and_usd() {
        for (t, e) in one_of_each() {
            let text = e.to_string();
            assert!(text.contains("\"currency\":\"USD\""), "{}", t.name());
            for a in e["item"][0]["adjudication"]
                .as_array()
                .into_iter()
                .flatten()
            {
                if let Some(v) = a["amount"]["value"].as_f64() {
                    assert!(v.is_finite());
                    assert_eq!(a["amount"]["currency"], "USD");
                }
            }
        }
    }

    #[test]
    fn institutional_claims_contain_their_provider_organization() {
        for (t, e) in one_of_each() {
            let institutional =
                !matches!(t, ClaimType::Carrier | ClaimType::Dme | ClaimType::PartD);
            if institutional {
                assert_eq!(e["provider"]["reference"], "#provider-org", "{}", t.name());
                assert_eq!(e["contained"][0]["id"], "provider-org");
            }
        }
    }
}
