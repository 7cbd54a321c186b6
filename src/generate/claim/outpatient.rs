//! Hospital outpatient claims (type of bill 13x; 72x for dialysis facilities): one visit or a
//! short series of services, each line a revenue center with its HCPCS code, paid at the OPPS
//! level of `seeds/fees.tsv` (labs and therapy at their fee schedules; packaged services at 0).
//!
//! Per line: payment = OPPS amount − deductible − 20 % coinsurance (none for labs and
//! preventive services); the charge is a hospital markup of the OPPS amount. Header amounts
//! are the sums of the line amounts.

use super::carrier::modifier;
use super::institutional::{Bill, RevAmounts, header, physician, push_line, push_total};
use super::providers::{FacilityKind, POOL, facility};
use super::{Cx, NUM_COLS, money};
use crate::model::Claim;
use crate::schema::{Col, OUTPATIENT_CLAIM_LINES};
use crate::seeds::clinical::{Fee, params, revenue};
use crate::value::Value;

pub(super) fn build(cx: &mut Cx) -> Claim {
    let sc = cx.sc;
    let mut c = cx.new_claim();
    let n = cx.line_count(2);
    let details = n - 1;
    let dialysis = sc.op_bill.0 == "7";
    // Dialysis facilities bill a month of treatments; hospital visits are one day, sometimes a
    // short series (therapy, infusions).
    let span = if dialysis {
        cx.d.range(20, 30) as i32
    } else if cx.d.chance(0.8) {
        0
    } else {
        cx.d.range(1, 20) as i32
    };
    let from = cx.first_day(span);
    let thru = from.plus(span);
    let (year, _, _) = from.ymd();
    let fac = facility(
        if dialysis {
            FacilityKind::Dialysis
        } else {
            FacilityKind::Hospital
        },
        cx.d.below(POOL),
    );
    let attending = physician(cx);
    let services: Vec<&'static Fee> = cx.pick_distinct(&sc.outpatient, details);
    let surgical = services.iter().any(|f| f.tos == "2");

    let h = &mut c.header;
    header(
        cx,
        h,
        &Bill {
            near_line: "W",
            clm_type: "40",
            from,
            thru,
            facility: &fac,
            fac_type: sc.op_bill.0,
            classification: sc.op_bill.1,
            frequency: "1",
            fi_num: fac.mac.part_a,
            discharge_status: "01",
            attending,
        },
    );
    if surgical {
        let op = physician(cx);
        h.set(Col::OP_PHYSN_NPI, Value::Text(op));
    }
    let dx = cx.diagnoses(h, 1, 6, false);
    cx.external_cause(h, false);
    h.set(Col::RSN_VISIT_CD1, Value::Str(dx[0]));
    h.set(Col::RSN_VISIT_VRSN_CD1, Value::Str("0"));
    if !sc.op_pcs.is_empty() && cx.d.chance(0.5) {
        let p = *cx.d.pick(&sc.op_pcs);
        h.set(NUM_COLS.prcdr[0], Value::Str(p));
        h.set(NUM_COLS.prcdr_vrsn[0], Value::Str("0"));
        h.set(NUM_COLS.prcdr_dt[0], Value::Date(from));
    }

    let mut ded_left = if cx.d.chance(0.12) {
        let full = params(year).partb_deductible;
        cx.vary(full, 0.05, 1.0)
    } else {
        0
    };
    let wage = 0.85 + (fac.h % 40) as f64 / 100.0;
    let markup = 2.0 + ((fac.h >> 8) % 30) as f64 / 10.0;
    let lines = c.lines.as_mut().expect("outpatient claims have lines");
    let table = &OUTPATIENT_CLAIM_LINES;
    let (mut pay, mut ded, mut coins) = (0, 0, 0);
    for f in &services {
        let (lo, hi) = f.units;
        let units = cx.d.range(i64::from(lo), i64::from(hi));
        let rate = (f.opps as f64 * wage).round() as i64;
        let allowed = rate * units;
        let charge = if allowed > 0 {
            cx.vary(allowed, markup, markup + 1.5)
        } else {
            let base = revenue(f.rev).map_or(f.fee * 3, |r| r.charge).max(2000);
            cx.vary(base * units, 0.8, 1.3)
        };
        let no_share = f.is_lab() || f.is_preventive() || allowed == 0;
        let (d, co) = if no_share {
            (0, 0)
        } else {
            let d = ded_left.min(allowed);
            ded_left -= d;
            (d, (allowed - d) / 5)
        };
        let payment = allowed - d - co;
        pay += payment;
        ded += d;
        coins += co;
        let day = from.plus(if span == 0 {
            0
        } else {
            cx.d.range(0, i64::from(span)) as i32
        });
        let method = match f.si {
            "A" => "2",
            "N" => "9",
            _ => "1",
        };
        let line = RevAmounts {
            rev: f.rev,
            hcpcs: Some(f.code),
            modifier: modifier(cx, &f.mods),
            date: Some(day),
            units,
            rate: if units > 0 { charge / units } else { 0 },
            charge,
            payment,
            deductible: d,
            coinsurance: co,
            apc_hipps: f.apc,
            status: Some(f.si),
            method: Some(method),
            npi: Some(attending),
            ..RevAmounts::default()
        };
        push_line(lines, table, cx.id, &line);
    }
    let total = push_total(lines, table, cx.id, Some(from));

    let h = &mut c.header;
    h.set(Col::CLM_PMT_AMT, money(pay));
    h.set(Col::CLM_TOT_CHRG_AMT, money(total));
    h.set(Col::NCH_BENE_BLOOD_DDCTBL_LBLTY_AM, money(0));
    h.set(Col::NCH_PROFNL_CMPNT_CHRG_AMT, money(0));
    h.set(Col::NCH_BENE_PTB_DDCTBL_AMT, money(ded));
    h.set(Col::NCH_BENE_PTB_COINSRNC_AMT, money(coins));
    h.set(Col::CLM_OP_PRVDR_PMT_AMT, money(pay));
    h.set(Col::CLM_OP_BENE_PMT_AMT, money(0));
    c
}
