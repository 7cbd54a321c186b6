//! `item`: one per claim line (professional or revenue-center lines), or the one drug item
//! of a Part D event; each with its sequences into the care team, diagnoses and supporting
//! information, its product or service, modifiers, place and quantity, and adjudications.

use crate::codes::Codes;
use crate::emit::fhir::Row;
use crate::emit::fhir::arrangement::{Shape, TypeSpec};
use crate::emit::fhir::elements::{
    adjudication, coding, coding_str, concept, extensions, item_quantity, present, put,
    table_display, var_coding,
};
use crate::emit::fhir::json::J;
use crate::emit::fhir::vars::{Ext, ExtKind, VARS};
use crate::schema::Col;

use super::{Eob, Scratch};

const HCPCS: &str = "https://bluebutton.cms.gov/resources/codesystem/hcpcs";
const NDC: &str = "http://hl7.org/fhir/sid/ndc";
const UCUM: &str = "http://unitsofmeasure.org";

/// `item`.
pub(super) fn write(j: &mut J<'_>, e: &Eob<'_>, sc: &Scratch, codes: &Codes) {
    let it = j.arr("item");
    if e.sp.rules.shape == Shape::Pharmacy {
        pde_item(j, e.sp, &e.h, sc.members.is_empty(), codes);
    } else {
        for (n, l) in e.lines.iter().enumerate() {
            let m = j.begin();
            extensions(j, e.sp.item_ext, &l);
            j.int("sequence", line_number(&l, n));
            seq_array(j, "careTeamSequence", &sc.line_care[n]);
            seq_array(j, "diagnosisSequence", &[sc.line_dx[n]]);
            if let Some(i) = sc.line_info[n] {
                let a = j.arr("informationSequence");
                j.elem_int(i);
                j.end_arr(a);
            }
            category_or_revenue(j, e.professional, &l);
            product(j, e, &l, codes);
            modifiers(j, &e.h, &l);
            if e.professional {
                professional_place(j, &l);
            } else {
                institutional_place(j, &e.h, &l);
            }
            line_adjudications(j, e.sp, &l);
            j.end(m);
        }
    }
    j.end_arr(it);
}

/// The line number: `LINE_NUM`, `CLM_LINE_NUM`, or the position from 1.
fn line_number(l: &Row<'_>, n: usize) -> i64 {
    l.get(Col::LINE_NUM)
        .as_int()
        .or_else(|| l.get(Col::CLM_LINE_NUM).as_int())
        .unwrap_or(n as i64 + 1)
}

/// An array of the sequences that are there.
fn seq_array(j: &mut J<'_>, k: &str, seqs: &[Option<usize>]) {
    let a = j.arr(k);
    for s in seqs.iter().flatten() {
        j.elem_int(*s as i64);
    }
    j.end_arr(a);
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

/// `category` (the CMS type of service) of a professional line, `revenue` of an
/// institutional one.
fn category_or_revenue(j: &mut J<'_>, professional: bool, l: &Row<'_>) {
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
            &[Ext::coding(
                Col::REV_CNTR_STUS_IND_CD,
                "rev_cntr_stus_ind_cd",
            )],
            l,
        );
        let a = j.arr("coding");
        let rc = l.get(Col::REV_CNTR);
        var_coding(j, "rev_cntr", Col::REV_CNTR, &rc);
        coding(
            j,
            &["https://www.nubc.org/CodeSystem/RevenueCodes"],
            &rc,
            table_display(crate::codes::revenue_centers(), &rc),
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
}

/// `productOrService` (required): the HCPCS code, with the line's NDC as an extension.
fn product(j: &mut J<'_>, e: &Eob<'_>, l: &Row<'_>, codes: &Codes) {
    let professional = e.professional;
    let hcpcs_var = e.sp.rules.hcpcs_var;
    let ps = j.obj("productOrService");
    let ndc_col = if professional {
        Col::LINE_NDC_CD
    } else {
        Col::REV_CNTR_IDE_NDC_UPC_NUM
    };
    let ndc = l.get(ndc_col);
    if present(&ndc) {
        let a = j.arr("extension");
        let x = j.begin();
        j.lit("url", NDC);
        let vc = j.obj("valueCoding");
        j.lit("system", NDC);
        put(j, "code", &ndc);
        if let Some(d) = table_display(codes.ndc(), &ndc) {
            j.str("display", d);
        }
        j.end(vc);
        j.end(x);
        j.end_arr(a);
    }
    let hc = l.get(Col::HCPCS_CD);
    if present(&hc) {
        let a = j.arr("coding");
        if hcpcs_var {
            coding(j, &[VARS, "hcpcs_cd"], &hc, None);
        }
        coding(j, &[HCPCS], &hc, table_display(codes.hcpcs(), &hc));
        j.end_arr(a);
    } else {
        no_product(j);
    }
    j.end(ps);
}

/// `modifier`: the HCPCS modifiers (with the claim's HCPCS year) and the NDC quantity
/// qualifier.
fn modifiers(j: &mut J<'_>, h: &Row<'_>, l: &Row<'_>) {
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
}

/// `servicedPeriod`, `locationCodeableConcept` and `quantity` of a professional line.
fn professional_place(j: &mut J<'_>, l: &Row<'_>) {
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
            Ext::coding(Col::PRVDR_STATE_CD, "prvdr_state_cd"),
            Ext::coding(Col::PRVDR_ZIP, "prvdr_zip"),
            Ext::coding(Col::CARR_LINE_PRCNG_LCLTY_CD, "carr_line_prcng_lclty_cd"),
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
    item_quantity(j, l, Col::LINE_SRVC_CNT);
}

/// `servicedDate`, `locationAddress` and `quantity` of a revenue-center line.
fn institutional_place(j: &mut J<'_>, h: &Row<'_>, l: &Row<'_>) {
    put(j, "servicedDate", &l.get(Col::REV_CNTR_DT));
    let st = h.get(Col::PRVDR_STATE_CD);
    if present(&st) {
        let la = j.obj("locationAddress");
        put(j, "state", &st);
        j.end(la);
    }
    // The NDC quantity when the line has one (v2 keeps the unit count in an extension),
    // else the unit count.
    let ndc_qty = l.get(Col::REV_CNTR_NDC_QTY);
    let col = if present(&ndc_qty) {
        Col::REV_CNTR_NDC_QTY
    } else {
        Col::REV_CNTR_UNIT_CNT
    };
    item_quantity(j, l, col);
}

/// A line's `adjudication`: denial reasons, then the type's amounts (the NCH payment with its
/// 80/100 % indicator).
fn line_adjudications(j: &mut J<'_>, sp: &TypeSpec, l: &Row<'_>) {
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
    let pct = Ext::coding(Col::LINE_PMT_80_100_CD, "line_pmt_80_100_cd");
    for a in sp.item_adj {
        let ext = (a.col == Col::LINE_NCH_PMT_AMT).then_some((&pct, l));
        adjudication(j, a, l, ext);
    }
    j.end_arr(ad);
}

/// The one item of a Part D event: the drug, its date, quantity and amounts.
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
    item_quantity(j, h, Col::QTY_DSPNSD_NUM);
    let ad = j.arr("adjudication");
    for a in sp.item_adj {
        adjudication(j, a, h, None);
    }
    j.end_arr(ad);
    j.end(m);
}
