//! `item` (the lines, or a Part D event's one item), the lines' lab results, and the
//! claim's amounts: `totalCost`, `payment` and `benefitBalance`.

use crate::codes::Codes;
use crate::emit::fhir::Row;
use crate::emit::fhir::arrangement::Shape;
use crate::emit::fhir::elements::{
    Adj, coding, coding_extension, coding_str, item_quantity, number, present, put, table_display,
    var_coding, write_line_obs_id,
};
use crate::emit::fhir::json::J;
use crate::emit::fhir::vars::{Balance, BalanceKind, Ext, ExtKind, VARS};
use crate::schema::Col;

use super::clinical::{CareTeam, LineDx};
use super::{Eob, money, scale_of, stu3_extension, stu3_extensions, var_concept};

const HCPCS: &str = "https://bluebutton.cms.gov/resources/codesystem/hcpcs";
const NDC: &str = "http://hl7.org/fhir/sid/ndc";
const UCUM: &str = "http://unitsofmeasure.org";
const BB_ADJ: &str = "https://bluebutton.cms.gov/resources/codesystem/adjudication";

/// The contained Observation of each professional line's hematocrit / hemoglobin result.
pub(super) fn line_observations(j: &mut J<'_>, e: &Eob<'_>) {
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
                "http://hl7.org/fhir/data-absent-reason",
                "unknown",
                "Unknown",
            );
        }
        j.end_arr(a);
        j.end(cd);
        let q = j.obj("valueQuantity");
        number(j, "value", &v, scale_of(l, Col::LINE_HCT_HGB_RSLT_NUM));
        j.end(q);
        j.end(o);
    }
}

/// `item`.
pub(super) fn write(j: &mut J<'_>, e: &Eob<'_>, care: &CareTeam, dx: &LineDx, codes: &Codes) {
    let it = j.arr("item");
    if e.shape == Shape::Pharmacy {
        pde_item(j, e, care, codes);
    } else {
        for (n, l) in e.lines.iter().enumerate() {
            let m = j.begin();
            line_extensions(j, e, l, n, codes);
            j.int("sequence", line_number(l, n));
            links(j, "careTeamLinkId", care.line.get(n).copied().flatten());
            links(j, "diagnosisLinkId", dx[n]);
            if e.shape == Shape::Professional {
                var_concept(
                    j,
                    "category",
                    "line_cms_type_srvc_cd",
                    Col::LINE_CMS_TYPE_SRVC_CD,
                    l,
                );
            } else {
                revenue(j, l);
            }
            service(j, e, l);
            modifiers(j, e, l);
            if e.shape == Shape::Professional {
                professional_place(j, l);
            } else {
                put(j, "servicedDate", &l.get(Col::REV_CNTR_DT));
                let st = e.h.get(Col::PRVDR_STATE_CD);
                if present(&st) {
                    let la = j.obj("locationAddress");
                    put(j, "state", &st);
                    j.end(la);
                }
                // v1 keeps the NDC quantity in an extension.
                item_quantity(j, l, Col::REV_CNTR_UNIT_CNT);
            }
            adjudications(j, e.sp.item_adj, l);
            j.end(m);
        }
    }
    j.end_arr(it);
}

/// The line number: `LINE_NUM`, `CLM_LINE_NUM`, or the position from 1.
fn line_number(l: &Row<'_>, n: usize) -> i64 {
    [Col::LINE_NUM, Col::CLM_LINE_NUM]
        .into_iter()
        .find_map(|c| l.get(c).as_int())
        .unwrap_or(n as i64 + 1)
}

/// `"k":[seq]` when there is one.
fn links(j: &mut J<'_>, k: &str, seq: Option<usize>) {
    if let Some(s) = seq {
        let a = j.arr(k);
        j.elem_int(s as i64);
        j.end_arr(a);
    }
}

/// A line's extensions: the type's line variables, the NDC quantity (institutional), the
/// lab result reference and the NDC (professional).
fn line_extensions(j: &mut J<'_>, e: &Eob<'_>, l: &Row<'_>, n: usize, codes: &Codes) {
    let a = j.arr("extension");
    for x in e.sp.item_ext {
        stu3_extension(j, x, l);
    }
    if e.shape == Shape::Professional {
        if present(&l.get(Col::LINE_HCT_HGB_RSLT_NUM)) {
            let m = j.begin();
            j.str_parts("url", &[VARS, "line_hct_hgb_rslt_num"]);
            let r = j.obj("valueReference");
            write_line_obs_id(j, "reference", "#", n as i64 + 1);
            j.end(r);
            j.end(m);
        }
        let ndc = l.get(Col::LINE_NDC_CD);
        if present(&ndc) {
            let m = j.begin();
            j.lit("url", NDC);
            let vc = j.obj("valueCoding");
            j.lit("system", NDC);
            put(j, "code", &ndc);
            if let Some(d) = table_display(codes.ndc(), &ndc) {
                j.str("display", d);
            }
            j.end(vc);
            j.end(m);
        }
    } else {
        let q = l.get(Col::REV_CNTR_NDC_QTY);
        if present(&q) {
            let m = j.begin();
            j.str_parts("url", &[VARS, "rev_cntr_ndc_qty"]);
            let o = j.obj("valueQuantity");
            number(j, "value", &q, scale_of(l, Col::REV_CNTR_NDC_QTY));
            let u = l.get(Col::REV_CNTR_NDC_QTY_QLFR_CD);
            if present(&u) {
                put(j, "unit", &u);
                j.lit("system", UCUM);
                put(j, "code", &u);
            }
            j.end(o);
            j.end(m);
        }
    }
    j.end_arr(a);
}

/// `revenue` of an institutional line, with its status and deductible/coinsurance codes.
fn revenue(j: &mut J<'_>, l: &Row<'_>) {
    let r = j.obj("revenue");
    stu3_extensions(
        j,
        &[
            Ext::coding(Col::REV_CNTR_STUS_IND_CD, "rev_cntr_stus_ind_cd"),
            Ext::coding(
                Col::REV_CNTR_DDCTBL_COINSRNC_CD,
                "rev_cntr_ddctbl_coinsrnc_cd",
            ),
        ],
        l,
    );
    let a = j.arr("coding");
    var_coding(j, "rev_cntr", Col::REV_CNTR, &l.get(Col::REV_CNTR));
    j.end_arr(a);
    j.end(r);
}

/// `service`: the HCPCS code (with the claim's HCPCS year on professional claims), and an
/// institutional line's NDC as an extension.
fn service(j: &mut J<'_>, e: &Eob<'_>, l: &Row<'_>) {
    let s = j.obj("service");
    if e.shape == Shape::Institutional {
        let a = j.arr("extension");
        let ndc = l.get(Col::REV_CNTR_IDE_NDC_UPC_NUM);
        coding_extension(
            j,
            &[VARS, "rev_cntr_ide_ndc_upc_num"],
            Col::REV_CNTR_IDE_NDC_UPC_NUM,
            &ndc,
            0,
        );
        j.end_arr(a);
    }
    hcpcs_coding(j, e, &l.get(Col::HCPCS_CD));
    j.end(s);
}

/// `"coding":[{system: hcpcs, version?, code}]`.
fn hcpcs_coding(j: &mut J<'_>, e: &Eob<'_>, v: &crate::value::Value) {
    if !present(v) {
        return;
    }
    let a = j.arr("coding");
    let c = j.begin();
    j.lit("system", HCPCS);
    put(j, "version", &e.h.get(Col::CARR_CLM_HCPCS_YR_CD));
    put(j, "code", v);
    j.end(c);
    j.end_arr(a);
}

/// `modifier`: the line's HCPCS modifiers.
fn modifiers(j: &mut J<'_>, e: &Eob<'_>, l: &Row<'_>) {
    let md = j.arr("modifier");
    for col in [
        Col::HCPCS_1ST_MDFR_CD,
        Col::HCPCS_2ND_MDFR_CD,
        Col::HCPCS_3RD_MDFR_CD,
        Col::HCPCS_4TH_MDFR_CD,
    ] {
        let v = l.get(col);
        if present(&v) {
            let c = j.begin();
            hcpcs_coding(j, e, &v);
            j.end(c);
        }
    }
    j.end_arr(md);
}

/// `servicedPeriod`, `locationCodeableConcept` and `quantity` of a professional line.
fn professional_place(j: &mut J<'_>, l: &Row<'_>) {
    let p = j.obj("servicedPeriod");
    put(j, "start", &l.get(Col::LINE_1ST_EXPNS_DT));
    put(j, "end", &l.get(Col::LINE_LAST_EXPNS_DT));
    j.end(p);
    let place = l.get(Col::LINE_PLACE_OF_SRVC_CD);
    if present(&place) {
        let lc = j.obj("locationCodeableConcept");
        stu3_extensions(
            j,
            &[
                Ext::coding(Col::PRVDR_STATE_CD, "prvdr_state_cd"),
                Ext::coding(Col::PRVDR_ZIP, "prvdr_zip"),
                Ext::coding(Col::CARR_LINE_PRCNG_LCLTY_CD, "carr_line_prcng_lclty_cd"),
                Ext::coding(Col::DMERC_LINE_PRCNG_STATE_CD, "dmerc_line_prcng_state_cd"),
                Ext::coding(Col::DMERC_LINE_SUPPLR_TYPE_CD, "dmerc_line_supplr_type_cd"),
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
            &place,
        );
        j.end_arr(a);
        j.end(lc);
    }
    item_quantity(j, l, Col::LINE_SRVC_CNT);
}

/// A line's `adjudication`: its coded results (a reduced-payment code, denial reasons, the
/// processing indicator) as `reason`s, then the type's amounts (the NCH payment with its
/// 80/100 % indicator).
fn adjudications(j: &mut J<'_>, adj: &[Adj], l: &Row<'_>) {
    let ad = j.arr("adjudication");
    for (col, label) in [
        (
            Col::CARR_LINE_RDCD_PMT_PHYS_ASTN_C,
            "Carrier Line Reduced Payment Physician Assistant Code",
        ),
        (Col::REV_CNTR_1ST_ANSI_CD, "Revenue Center 1st ANSI Code"),
        (Col::REV_CNTR_2ND_ANSI_CD, "Revenue Center 2nd ANSI Code"),
        (Col::REV_CNTR_3RD_ANSI_CD, "Revenue Center 3rd ANSI Code"),
        (Col::REV_CNTR_4TH_ANSI_CD, "Revenue Center 4th ANSI Code"),
        (Col::LINE_PRCSG_IND_CD, "Line Processing Indicator Code"),
        (Col::DRUG_CVRG_STUS_CD, "Drug Coverage Status Code"),
    ] {
        let v = l.get(col);
        if !present(&v) {
            continue;
        }
        let var = col.name().to_ascii_lowercase();
        let m = j.begin();
        category(j, &var, label);
        let r = j.obj("reason");
        let a = j.arr("coding");
        var_coding(j, &var, col, &v);
        j.end_arr(a);
        j.end(r);
        j.end(m);
    }
    let pct = Ext::coding(Col::LINE_PMT_80_100_CD, "line_pmt_80_100_cd");
    for a in adj {
        let ext = (a.col == Col::LINE_NCH_PMT_AMT).then_some(&pct);
        amount(j, a, l, ext);
    }
    j.end_arr(ad);
}

/// An adjudication `category`: the Blue Button adjudication code of a variable.
fn category(j: &mut J<'_>, var: &str, label: &str) {
    let c = j.obj("category");
    let a = j.arr("coding");
    let m = j.begin();
    j.lit("system", BB_ADJ);
    j.str_parts("code", &[VARS, var]);
    j.str("display", label);
    j.end(m);
    j.end_arr(a);
    j.end(c);
}

/// An adjudication of an amount column.
fn amount(j: &mut J<'_>, a: &Adj, row: &Row<'_>, ext: Option<&Ext>) {
    let Some(cents) = row.get(a.col).as_int() else {
        return;
    };
    let m = j.begin();
    if let Some(x) = ext {
        stu3_extensions(j, std::slice::from_ref(x), row);
    }
    let var = if a.var.is_empty() {
        a.col.name().to_ascii_lowercase()
    } else {
        a.var.to_string()
    };
    category(j, &var, a.label);
    money(j, "amount", Some(cents), scale_of(row, a.col));
    j.end(m);
}

/// The one item of a Part D event: the drug, its date, quantity (with the fill number and
/// days' supply), amounts, and the dispense `detail` (STU3 requires its `sequence`).
fn pde_item(j: &mut J<'_>, e: &Eob<'_>, care: &CareTeam, codes: &Codes) {
    let h = &e.h;
    let m = j.begin();
    j.int("sequence", 1);
    links(j, "careTeamLinkId", care.first());
    let v = h.get(Col::PROD_SRVC_ID);
    if present(&v) {
        let s = j.obj("service");
        let a = j.arr("coding");
        coding(j, &[NDC], &v, table_display(codes.ndc(), &v));
        j.end_arr(a);
        j.end(s);
    }
    put(j, "servicedDate", &h.get(Col::SRVC_DT));
    let q = j.obj("quantity");
    let qa = j.arr("extension");
    for (col, var) in [
        (Col::FILL_NUM, "fill_num"),
        (Col::DAYS_SUPLY_NUM, "days_suply_num"),
    ] {
        stu3_extension(
            j,
            &Ext {
                col,
                var,
                kind: ExtKind::Quantity,
            },
            h,
        );
    }
    j.end_arr(qa);
    number(
        j,
        "value",
        &h.get(Col::QTY_DSPNSD_NUM),
        scale_of(h, Col::QTY_DSPNSD_NUM),
    );
    j.end(q);
    adjudications(j, e.sp.item_adj, h);
    let da = j.arr("detail");
    let d = j.begin();
    j.int("sequence", 1);
    let t = j.obj("type");
    let a = j.arr("coding");
    let c = j.begin();
    j.lit("system", "http://hl7.org/fhir/v3/ActCode");
    j.lit("code", "RXDINV");
    j.lit("display", "Rx dispense invoice");
    j.end(c);
    j.end_arr(a);
    j.end(t);
    j.end(d);
    j.end_arr(da);
    j.end(m);
}

/// An HHA claim's visit count, which v1 writes as a benefit balance.
const HHA_VISITS: Balance = Balance {
    col: Col::CLM_HHA_TOT_VISIT_CNT,
    var: "clm_hha_tot_visit_cnt",
    label: "Claim HHA Total Visit Count",
    kind: BalanceKind::UnsignedInt,
};

/// `totalCost`, `payment` and `benefitBalance` (the day counts; v1 writes the amounts as
/// extensions).
pub(super) fn totals(j: &mut J<'_>, e: &Eob<'_>) {
    let h = &e.h;
    if let Some(t) = e.sp.total.first() {
        money(j, "totalCost", h.get(t.col).as_int(), scale_of(h, t.col));
    }
    let pay = j.obj("payment");
    if e.shape == Shape::Pharmacy {
        put(j, "date", &h.get(Col::PD_DT));
    } else {
        money(
            j,
            "amount",
            h.get(Col::CLM_PMT_AMT).as_int(),
            scale_of(h, Col::CLM_PMT_AMT),
        );
    }
    j.end(pay);
    let hha = (e.sp.kind == crate::model::ClaimType::Hha).then_some(&HHA_VISITS);
    let counts: Vec<_> =
        e.sp.balance
            .iter()
            .chain(hha)
            .filter(|b| matches!(b.kind, BalanceKind::UnsignedInt))
            .filter_map(|b| h.get(b.col).as_int().map(|n| (b, n)))
            .collect();
    if counts.is_empty() {
        return;
    }
    let bb = j.arr("benefitBalance");
    let m = j.begin();
    let c = j.obj("category");
    let a = j.arr("coding");
    let cm = j.begin();
    j.lit("system", "http://hl7.org/fhir/benefit-category");
    j.lit("code", "medical");
    j.lit("display", "Medical Health Coverage");
    j.end(cm);
    j.end_arr(a);
    j.end(c);
    let fa = j.arr("financial");
    for (b, n) in counts {
        let f = j.begin();
        let ty = j.obj("type");
        let a = j.arr("coding");
        let cm = j.begin();
        j.lit(
            "system",
            "https://bluebutton.cms.gov/resources/codesystem/benefit-balance",
        );
        j.str_parts("code", &[VARS, b.var]);
        j.lit("display", b.label);
        j.end(cm);
        j.end_arr(a);
        j.end(ty);
        j.int("usedUnsignedInt", n.max(0));
        j.end(f);
    }
    j.end_arr(fa);
    j.end(m);
    j.end_arr(bb);
}
