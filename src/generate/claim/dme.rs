//! DMEPOS claims (DME MAC, claim type 82): equipment rentals (a month each), purchases and
//! supplies from one supplier, ordered by a physician, priced from `seeds/dmepos.tsv`.
//! Amounts follow the professional rules (see [`super::carrier`]): allowed = fee × units,
//! deductible then 20 % coinsurance, header totals = sums of the lines.

use super::carrier::{ProAmounts, deductible_left, price_line, professional_header};
use super::providers::{POOL, ein, key, npi, place, practitioner_npi};
use super::{Cx, money, num};
use crate::model::Claim;
use crate::schema::{Col, DME_CLAIM_LINES as L};
use crate::seeds::clinical::Dmepos;
use crate::value::{InlineStr, Value};

pub(super) fn build(cx: &mut Cx) -> Claim {
    let sc = cx.sc;
    let mut c = cx.new_claim();
    let n = cx.line_count(1);
    let items: Vec<&'static Dmepos> = cx.pick_distinct(&sc.dme, n);
    let rental = items.iter().any(|i| i.tos == "R");
    let span = if rental { 30 } else { 0 };
    let from = cx.first_day(span);
    let thru = from.plus(if rental { 29 } else { 0 });
    let (year, _, _) = from.ymd();

    // The supplier: NPI, supplier number, place.
    let k = cx.d.below(POOL);
    let h_sup = key("supplier", k);
    let sup_place = place(h_sup);
    let sup_mac = super::providers::mac_of(sup_place);
    let sup_npi = npi(h_sup);
    let nsc = InlineStr::build(|w| w.push_num(h_sup % 10_000_000_000, 10));
    let tax = ein(h_sup >> 5);
    let mut ded_left = deductible_left(cx, year);

    let h = &mut c.header;
    let weekly = professional_header(cx, h, ("M", "82"), (from, thru), sup_mac.dme);
    h.set(Col::CARR_CLM_PMT_DNL_CD, Value::Str("1"));
    h.set(Col::CARR_CLM_PRMRY_PYR_PD_AMT, money(0));
    h.set(Col::CARR_CLM_PRVDR_ASGNMT_IND_SW, Value::Str("A"));
    h.set(
        Col::CARR_CLM_HCPCS_YR_CD,
        Value::Text(InlineStr::build(|w| w.push_num((year % 10) as u64, 1))),
    );
    let dx = cx.diagnoses(h, 1, 3, false);
    let spec = if sc.spec.is_empty() {
        "11"
    } else {
        *sc.spec.pick(&mut cx.d)
    };
    let ordering = practitioner_npi(spec, cx.d.below(POOL));
    h.set(Col::RFR_PHYSN_NPI, Value::Text(ordering));
    let icn = cx.control_number("19", weekly, 6);
    h.set(Col::CARR_CLM_CNTL_NUM, Value::Text(icn));

    let lines = c.lines.as_mut().expect("DME claims have lines");
    let mut tot = ProAmounts::default();
    for (i, item) in items.iter().enumerate() {
        let (lo, hi) = item.units;
        let units = cx.d.range(i64::from(lo), i64::from(hi));
        // DMEPOS fee schedule amounts differ a little between states.
        let fee = item.fee * (95 + (h_sup >> 20) as i64 % 11) / 100;
        let a = price_line(cx, fee * units, &mut ded_left, false, false);
        tot.submitted += a.submitted;
        tot.allowed += a.allowed;
        tot.deductible += a.deductible;
        tot.coinsurance += a.coinsurance;
        tot.payment += a.payment;
        let mods = super::carrier::modifier(cx, &item.mods);

        let mut l = lines.push();
        l.set(Col::CLM_ID, Value::Int(cx.id));
        l.set(Col::LINE_NUM, Value::Int(i as i64 + 1));
        l.set(Col::TAX_NUM, Value::Text(tax));
        l.set(Col::PRVDR_SPCLTY, Value::Str(item.spec));
        l.set(Col::PRTCPTNG_IND_CD, Value::Str("1"));
        l.set(Col::LINE_SRVC_CNT, num(&L, Col::LINE_SRVC_CNT, units));
        l.set(Col::LINE_CMS_TYPE_SRVC_CD, Value::Str(item.tos));
        l.set(Col::LINE_PLACE_OF_SRVC_CD, Value::Str("12"));
        l.set(Col::LINE_1ST_EXPNS_DT, Value::Date(from));
        let last = if item.tos == "R" { thru } else { from };
        l.set(Col::LINE_LAST_EXPNS_DT, Value::Date(last));
        l.set(Col::HCPCS_CD, Value::Str(item.code));
        if let Some(m) = mods {
            let (m1, m2) = m.split_once('+').unwrap_or((m, ""));
            l.set(Col::HCPCS_1ST_MDFR_CD, Value::Str(m1));
            if !m2.is_empty() {
                l.set(Col::HCPCS_2ND_MDFR_CD, Value::Str(m2));
            }
        }
        if let Some(b) = super::betos(item.code) {
            l.set(Col::BETOS_CD, Value::Str(b));
        }
        l.set(Col::LINE_NCH_PMT_AMT, money(a.payment));
        l.set(Col::LINE_BENE_PMT_AMT, money(0));
        l.set(Col::LINE_PRVDR_PMT_AMT, money(a.payment));
        l.set(Col::LINE_BENE_PTB_DDCTBL_AMT, money(a.deductible));
        l.set(Col::LINE_BENE_PRMRY_PYR_PD_AMT, money(0));
        l.set(Col::LINE_COINSRNC_AMT, money(a.coinsurance));
        l.set(Col::LINE_PRMRY_ALOWD_CHRG_AMT, money(0));
        l.set(Col::LINE_SBMTD_CHRG_AMT, money(a.submitted));
        l.set(Col::LINE_ALOWD_CHRG_AMT, money(a.allowed));
        l.set(Col::LINE_PRCSG_IND_CD, Value::Str("A"));
        l.set(Col::LINE_PMT_80_100_CD, Value::Str("0"));
        l.set(Col::LINE_SERVICE_DEDUCTIBLE, Value::Str("0"));
        l.set(Col::LINE_ICD_DGNS_CD, Value::Str(dx[0]));
        l.set(Col::LINE_ICD_DGNS_VRSN_CD, Value::Str("0"));
        l.set(Col::LINE_DME_PRCHS_PRICE_AMT, money(item.purchase));
        l.set(Col::PRVDR_NUM, Value::Text(nsc));
        l.set(Col::PRVDR_NPI, Value::Text(sup_npi));
        l.set(
            Col::DMERC_LINE_PRCNG_STATE_CD,
            Value::Str(sup_place.ssa_state),
        );
        l.set(Col::PRVDR_STATE_CD, Value::Str(sup_place.ssa_state));
        l.set(Col::DMERC_LINE_SUPPLR_TYPE_CD, Value::Str("3"));
        l.set(Col::DMERC_LINE_SCRN_SVGS_AMT, money(0));
        l.set(
            Col::DMERC_LINE_MTUS_CNT,
            num(&L, Col::DMERC_LINE_MTUS_CNT, units),
        );
        l.set(Col::DMERC_LINE_MTUS_CD, Value::Str("3"));
        l.set(
            Col::LINE_HCT_HGB_RSLT_NUM,
            num(&L, Col::LINE_HCT_HGB_RSLT_NUM, 0),
        );
    }

    let h = &mut c.header;
    h.set(Col::CLM_PMT_AMT, money(tot.payment));
    h.set(Col::NCH_CLM_PRVDR_PMT_AMT, money(tot.payment));
    h.set(Col::NCH_CLM_BENE_PMT_AMT, money(0));
    h.set(Col::NCH_CARR_CLM_SBMTD_CHRG_AMT, money(tot.submitted));
    h.set(Col::NCH_CARR_CLM_ALOWD_AMT, money(tot.allowed));
    h.set(Col::CARR_CLM_CASH_DDCTBL_APLD_AMT, money(tot.deductible));
    c
}
