//! Carrier (Part B professional) claims: one practitioner's services on one or a few days,
//! priced from the physician fee schedule levels in `seeds/fees.tsv`.
//!
//! Per line: allowed = fee × units × the practice's locality factor; the submitted charge is
//! above it; the deductible (when the claim meets some of it) comes off first, then 20 %
//! coinsurance; Medicare pays the rest. Labs and preventive services have no cost sharing.
//! Header amounts are the sums of the line amounts.

use super::providers::{POOL, practitioner, practitioner_npi};
use super::{Cx, encounter, money, num};
use crate::model::{Claim, Record};
use crate::schema::{CARRIER_CLAIM_LINES as L, Col};
use crate::seeds::clinical::{Fee, clinical, params};
use crate::value::{Date, InlineStr, Value};

/// Amounts of one professional line, in cents.
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct ProAmounts {
    pub submitted: i64,
    pub allowed: i64,
    pub deductible: i64,
    pub coinsurance: i64,
    pub payment: i64,
}

/// Prices one professional line: `allowed` is the allowed amount; `deductible_left` is what
/// the claim still applies to the Part B deductible (reduced here); `no_cost_sharing` for labs
/// and preventive services; `denied` lines are allowed nothing.
pub(crate) fn price_line(
    cx: &mut Cx,
    allowed: i64,
    deductible_left: &mut i64,
    no_cost_sharing: bool,
    denied: bool,
) -> ProAmounts {
    let submitted = cx.vary(allowed, 1.25, 3.2).max(allowed).max(1);
    if denied {
        return ProAmounts {
            submitted,
            ..ProAmounts::default()
        };
    }
    let (deductible, coinsurance) = if no_cost_sharing {
        (0, 0)
    } else {
        let ded = (*deductible_left).min(allowed);
        *deductible_left -= ded;
        (ded, (allowed - ded) / 5)
    };
    ProAmounts {
        submitted,
        allowed,
        deductible,
        coinsurance,
        payment: allowed - deductible - coinsurance,
    }
}

/// The part of the Part B deductible a claim of `year` still meets (most claims none).
pub(crate) fn deductible_left(cx: &mut Cx, year: i32) -> i64 {
    if cx.d.chance(0.12) {
        let full = params(year).partb_deductible;
        cx.vary(full, 0.05, 1.0)
    } else {
        0
    }
}

/// Picks a modifier from a fee's candidates (`-` stands for none).
pub(crate) fn modifier(cx: &mut Cx, mods: &[&'static str]) -> Option<&'static str> {
    if mods.is_empty() {
        return None;
    }
    let m = *cx.d.pick(mods);
    (m != "-").then_some(m)
}

pub(super) fn build(cx: &mut Cx) -> Claim {
    let sc = cx.sc;
    let mut c = cx.new_claim();

    // The first service decides who bills: a lab, radiologist or anesthesiologist when the code
    // fixes the specialty, otherwise one of the scenario's specialties. Every line of the claim
    // is from that practitioner.
    let first: &'static Fee = sc.carrier.pick(&mut cx.d);
    let spec = first.spec.unwrap_or_else(|| *sc.spec.pick(&mut cx.d));
    let prac = practitioner(spec, cx.d.below(POOL));
    let n = cx.line_count(1);
    let mut services =
        encounter::services(cx, &sc.carrier, Some(first), n, |g| g.spec == first.spec);
    if services.iter().any(|f| encounter::is_office_visit(f.code)) {
        let k = [0, 1, 2, 3][cx.d.weighted(&[45, 30, 17, 8])];
        let quality = encounter::services(cx, &clinical().quality, None, k, |_| true);
        services.extend(quality);
    }

    let span = if cx.d.chance(0.85) {
        0
    } else {
        cx.d.range(1, 6) as i32
    };
    let from = cx.first_day(span);
    let thru = from.plus(span);
    let (year, _, _) = from.ymd();
    let claim_pos = if sc.pos.is_empty() {
        "11"
    } else {
        *sc.pos.pick(&mut cx.d)
    };
    // Practice expense and work vary by locality (geographic practice cost indexes).
    let gpci = 0.9 + (prac.tax.as_str().as_bytes()[8] - b'0') as f64 * 0.035;
    let denied = cx.d.chance(0.02);
    let unassigned = !denied && cx.d.chance(0.03);
    let mut ded_left = deductible_left(cx, year);

    let h = &mut c.header;
    let weekly = professional_header(cx, h, ("O", "71"), (from, thru), prac.mac.carrier);
    h.set(
        Col::CARR_CLM_PMT_DNL_CD,
        Value::Str(if denied {
            "0"
        } else if unassigned {
            "2"
        } else {
            "1"
        }),
    );
    h.set(Col::CARR_CLM_PRMRY_PYR_PD_AMT, money(0));
    let referred = first.spec.is_some() || cx.d.chance(0.4);
    if referred {
        let rspec = if cx.d.chance(0.5) { "11" } else { "08" };
        let r = practitioner_npi(rspec, cx.d.below(POOL));
        h.set(Col::RFR_PHYSN_NPI, Value::Text(r));
        h.set(Col::CARR_CLM_RFRNG_PIN_NUM, Value::Text(r));
    } else {
        h.set(Col::CARR_CLM_RFRNG_PIN_NUM, Value::Str("0"));
    }
    h.set(
        Col::CARR_CLM_PRVDR_ASGNMT_IND_SW,
        Value::Str(if unassigned { "N" } else { "A" }),
    );
    h.set(
        Col::CARR_CLM_HCPCS_YR_CD,
        Value::Text(InlineStr::build(|w| w.push_num((year % 10) as u64, 1))),
    );
    let dx = cx.diagnoses(h, 1, 4, false);
    cx.external_cause(h, false);
    let icn = cx.control_number("10", weekly, 6);
    h.set(Col::CARR_CLM_CNTL_NUM, Value::Text(icn));
    h.set(Col::CARR_CLM_BLG_NPI_NUM, Value::Text(prac.group_npi));

    let lines = c.lines.as_mut().expect("carrier claims have lines");
    let mut tot = ProAmounts::default();
    let days: Vec<Date> = services
        .iter()
        .map(|_| {
            from.plus(if span == 0 {
                0
            } else {
                cx.d.range(0, span as i64) as i32
            })
        })
        .collect();
    for (i, f) in services.iter().enumerate() {
        let day = days[i];
        let procedure_that_day = services
            .iter()
            .zip(&days)
            .any(|(g, d)| *d == day && encounter::is_major(g));
        let pos = f.pos.unwrap_or(claim_pos);
        let (lo, hi) = f.units;
        let units = cx.d.range(i64::from(lo), i64::from(hi));
        let per_unit = (f.fee as f64 * gpci).round() as i64;
        let no_share = f.is_lab() || f.is_preventive();
        let a = price_line(cx, per_unit * units, &mut ded_left, no_share, denied);
        tot.submitted += a.submitted;
        tot.allowed += a.allowed;
        tot.deductible += a.deductible;
        tot.coinsurance += a.coinsurance;
        tot.payment += a.payment;

        let mut l = lines.push();
        l.set(Col::CLM_ID, Value::Int(cx.id));
        l.set(Col::LINE_NUM, Value::Int(i as i64 + 1));
        l.set(Col::CARR_PRFRNG_PIN_NUM, Value::Text(prac.npi));
        l.set(Col::PRF_PHYSN_NPI, Value::Text(prac.npi));
        l.set(Col::ORG_NPI_NUM, Value::Text(prac.group_npi));
        l.set(
            Col::CARR_LINE_PRVDR_TYPE_CD,
            Value::Str(if f.is_lab() { "5" } else { "0" }),
        );
        l.set(Col::TAX_NUM, Value::Text(prac.tax));
        l.set(Col::PRVDR_STATE_CD, Value::Str(prac.place.ssa_state));
        l.set(Col::PRVDR_ZIP, Value::Text(prac.zip9));
        l.set(Col::PRVDR_SPCLTY, Value::Str(spec));
        l.set(Col::PRTCPTNG_IND_CD, Value::Str("1"));
        l.set(Col::CARR_LINE_RDCD_PMT_PHYS_ASTN_C, Value::Str("0"));
        l.set(Col::LINE_CMS_TYPE_SRVC_CD, Value::Str(f.tos));
        l.set(Col::LINE_PLACE_OF_SRVC_CD, Value::Str(pos));
        l.set(Col::CARR_LINE_PRCNG_LCLTY_CD, Value::Str(prac.mac.locality));
        l.set(Col::LINE_1ST_EXPNS_DT, Value::Date(day));
        l.set(Col::LINE_LAST_EXPNS_DT, Value::Date(day));
        l.set(Col::HCPCS_CD, Value::Str(f.code));
        if let Some(m) = encounter::modifier(cx, f, procedure_that_day, Some(pos)) {
            l.set(Col::HCPCS_1ST_MDFR_CD, Value::Str(m));
        }
        if let Some(b) = super::betos(f.code) {
            l.set(Col::BETOS_CD, Value::Str(b));
        }
        l.set(Col::LINE_NCH_PMT_AMT, money(a.payment));
        let (to_bene, to_prvdr) = if unassigned {
            (a.payment, 0)
        } else {
            (0, a.payment)
        };
        l.set(Col::LINE_BENE_PMT_AMT, money(to_bene));
        l.set(Col::LINE_PRVDR_PMT_AMT, money(to_prvdr));
        l.set(Col::LINE_BENE_PTB_DDCTBL_AMT, money(a.deductible));
        l.set(Col::LINE_BENE_PRMRY_PYR_PD_AMT, money(0));
        l.set(Col::LINE_COINSRNC_AMT, money(a.coinsurance));
        l.set(Col::LINE_SBMTD_CHRG_AMT, money(a.submitted));
        l.set(Col::LINE_ALOWD_CHRG_AMT, money(a.allowed));
        l.set(
            Col::LINE_PRCSG_IND_CD,
            Value::Str(if denied { "N" } else { "A" }),
        );
        l.set(
            Col::LINE_PMT_80_100_CD,
            Value::Str(if no_share { "1" } else { "0" }),
        );
        l.set(
            Col::LINE_SERVICE_DEDUCTIBLE,
            Value::Str(if no_share { "1" } else { "0" }),
        );
        if f.is_anesthesia() {
            l.set(Col::LINE_SRVC_CNT, num(&L, Col::LINE_SRVC_CNT, 1));
            l.set(
                Col::CARR_LINE_MTUS_CNT,
                num(&L, Col::CARR_LINE_MTUS_CNT, units * 15),
            );
            l.set(Col::CARR_LINE_MTUS_CD, Value::Str("2"));
            l.set(
                Col::CARR_LINE_ANSTHSA_UNIT_CNT,
                num(&L, Col::CARR_LINE_ANSTHSA_UNIT_CNT, units),
            );
        } else {
            l.set(Col::LINE_SRVC_CNT, num(&L, Col::LINE_SRVC_CNT, units));
            l.set(
                Col::CARR_LINE_MTUS_CNT,
                num(&L, Col::CARR_LINE_MTUS_CNT, units),
            );
            l.set(Col::CARR_LINE_MTUS_CD, Value::Str("3"));
            l.set(
                Col::CARR_LINE_ANSTHSA_UNIT_CNT,
                num(&L, Col::CARR_LINE_ANSTHSA_UNIT_CNT, 0),
            );
        }
        let ldx = if i == 0 || dx.len() == 1 {
            dx[0]
        } else {
            *cx.d.pick(&dx)
        };
        l.set(Col::LINE_ICD_DGNS_CD, Value::Str(ldx));
        l.set(Col::LINE_ICD_DGNS_VRSN_CD, Value::Str("0"));
        if f.code.starts_with("J08") {
            // Erythropoiesis-stimulating agents are billed with the latest hemoglobin.
            let hgb = cx.d.range(95, 118);
            l.set(Col::LINE_HCT_HGB_RSLT_NUM, Value::Int(hgb));
            l.set(Col::LINE_HCT_HGB_TYPE_CD, Value::Str("R1"));
        } else {
            l.set(
                Col::LINE_HCT_HGB_RSLT_NUM,
                num(&L, Col::LINE_HCT_HGB_RSLT_NUM, 0),
            );
        }
        if f.is_lab() {
            let clia = cx.d.below(10_000_000);
            let state = prac.place.ssa_state;
            l.set(
                Col::CARR_LINE_CLIA_LAB_NUM,
                Value::Text(InlineStr::build(|w| {
                    w.push_str(state);
                    w.push_str("D");
                    w.push_num(clia, 7);
                })),
            );
        }
    }

    let h = &mut c.header;
    h.set(Col::CLM_PMT_AMT, money(tot.payment));
    let (to_bene, to_prvdr) = if unassigned {
        (tot.payment, 0)
    } else {
        (0, tot.payment)
    };
    h.set(Col::NCH_CLM_PRVDR_PMT_AMT, money(to_prvdr));
    h.set(Col::NCH_CLM_BENE_PMT_AMT, money(to_bene));
    h.set(Col::NCH_CARR_CLM_SBMTD_CHRG_AMT, money(tot.submitted));
    h.set(Col::NCH_CARR_CLM_ALOWD_AMT, money(tot.allowed));
    h.set(Col::CARR_CLM_CASH_DDCTBL_APLD_AMT, money(tot.deductible));
    c
}

/// The header columns carrier and DME claims share (both are Part B professional claims
/// processed by a carrier): record identity and claim type (`("O", "71")` carrier,
/// `("M", "82")` DME), service dates, the weekly processing date (returned), entry and
/// disposition codes, and the carrier number.
pub(crate) fn professional_header(
    cx: &mut Cx,
    h: &mut Record,
    (record, claim_type): (&'static str, &'static str),
    (from, thru): (Date, Date),
    carrier: &'static str,
) -> Date {
    h.set(Col::NCH_NEAR_LINE_REC_IDENT_CD, Value::Str(record));
    h.set(Col::NCH_CLM_TYPE_CD, Value::Str(claim_type));
    h.set(Col::CLM_FROM_DT, Value::Date(from));
    h.set(Col::CLM_THRU_DT, Value::Date(thru));
    let weekly = cx.weekly_processing(thru);
    h.set(Col::NCH_WKLY_PROC_DT, Value::Date(weekly));
    h.set(Col::CARR_CLM_ENTRY_CD, Value::Str("1"));
    h.set(Col::CLM_DISP_CD, Value::Str("01"));
    h.set(Col::CARR_NUM, Value::Str(carrier));
    weekly
}
