//! Home health claims (type of bill 329): one 30-day period of care under the PDGM. The
//! `0023` line carries the HIPPS code and the period payment (the year's base rate × a
//! case-mix weight × the agency's wage index); the visit lines (nursing, therapy, aide,
//! social work, with their G-codes) carry charges. A period with few visits is a LUPA:
//! paid per visit instead, on the visit lines. Home health has no deductible or coinsurance.

use super::institutional::{
    Bill, RevAmounts, code5, header, physician, push_rev_lines, raise_charges,
};
use super::providers::{FacilityKind, POOL, facility};
use super::{Cx, money};
use crate::model::Claim;
use crate::schema::Col;
use crate::seeds::clinical::{clinical, params};
use crate::value::Value;

/// Visits below which a period is paid per visit (low-utilization payment adjustment).
const LUPA_THRESHOLD: usize = 4;

/// National per-visit LUPA amounts by discipline (CY2024 HH PPS final rule), in cents.
fn lupa_rate(hcpcs: Option<&str>) -> i64 {
    match hcpcs {
        Some("G0151") => 18_500,
        Some("G0152") => 18_600,
        Some("G0153") => 20_100,
        Some("G0155") => 27_200,
        Some("G0156") => 7_700,
        _ => 17_000, // skilled nursing
    }
}

pub(super) fn build(cx: &mut Cx) -> Claim {
    let sc = cx.sc;
    let mut c = cx.new_claim();
    let from = cx.first_day(29);
    let discharged = cx.d.chance(0.25);
    let thru = if discharged {
        from.plus(cx.d.range(5, 29) as i32)
    } else {
        from.plus(29)
    };
    let span = thru.days_since(from);
    let admission = from.plus(-30 * [0, 0, 1, 2][cx.d.below(4) as usize]);
    let (year, _, _) = from.ymd();
    let p = params(year);
    let fac = facility(FacilityKind::Hha, cx.d.below(POOL));
    let wage = 0.85 + (fac.h % 41) as f64 / 100.0;
    let attending = physician(cx);
    let status = if discharged {
        ["01", "01", "01", "02", "20"][cx.d.below(5) as usize]
    } else {
        "30"
    };

    let h = &mut c.header;
    header(
        cx,
        h,
        &Bill {
            near_line: "W",
            clm_type: "10",
            from,
            thru,
            facility: &fac,
            fac_type: "3",
            classification: "2",
            frequency: "9",
            fi_num: fac.mac.hhh,
            discharge_status: status,
            attending,
        },
    );
    h.set(Col::CLM_PPS_IND_CD, Value::Str("2"));
    h.set(Col::CLM_ADMSN_DT, Value::Date(admission));
    h.set(
        Col::CLM_HHA_RFRL_CD,
        Value::Str(["1", "1", "1", "4", "4", "2"][cx.d.below(6) as usize]),
    );
    cx.diagnoses(h, 2, 10, false);
    cx.external_cause(h, false);

    let n = cx.line_count(3);
    let visits = n - 2;
    let lupa = visits < LUPA_THRESHOLD;
    let timing = if admission == from {
        ["1", "2"]
    } else {
        ["3", "4"]
    };
    let hipps = code5([
        timing[cx.d.below(2) as usize],
        sc.hha_group,
        ["A", "B", "C"][cx.d.below(3) as usize],
        ["1", "2", "3"][cx.d.below(3) as usize],
        "1",
    ]);
    let case_mix = 0.6 + cx.d.unit();
    let period = (p.hha_period_base as f64 * case_mix * wage).round() as i64;

    let setting = clinical().setting("hha");
    let mut rows: Vec<RevAmounts> = Vec::with_capacity(n);
    rows.push(RevAmounts {
        rev: "0023",
        hipps: Some(hipps),
        date: Some(from),
        units: 1,
        payment: if lupa { 0 } else { period },
        ..RevAmounts::default()
    });
    let mut visit_rows: Vec<RevAmounts> = Vec::with_capacity(visits);
    for _ in 0..visits {
        let l = *setting.lines.pick(&mut cx.d);
        let day = from.plus(cx.d.range(0, i64::from(span)) as i32);
        let charge = cx.vary(l.rev.charge, 0.8, 1.4);
        let units = if l.hcpcs.is_some() {
            cx.d.range(2, 6)
        } else {
            1
        };
        let payment = if lupa && l.hcpcs.is_some() {
            (lupa_rate(l.hcpcs) as f64 * wage).round() as i64
        } else {
            0
        };
        visit_rows.push(RevAmounts {
            rev: l.rev.code,
            hcpcs: l.hcpcs,
            date: Some(day),
            units,
            rate: charge,
            charge,
            payment,
            ..RevAmounts::default()
        });
    }
    visit_rows.sort_by_key(|r| r.date);
    rows.extend(visit_rows);
    let visit_count = rows.iter().filter(|r| r.hcpcs.is_some()).count();
    let payment: i64 = rows.iter().map(|r| r.payment).sum();
    raise_charges(&mut rows, payment * 11 / 10);
    let total = push_rev_lines(&mut c, &rows, cx.id, Some(from));

    let h = &mut c.header;
    h.set(Col::CLM_PMT_AMT, money(payment));
    h.set(Col::CLM_TOT_CHRG_AMT, money(total));
    h.set(Col::CLM_HHA_TOT_VISIT_CNT, Value::Int(visit_count as i64));
    if lupa {
        h.set(Col::CLM_HHA_LUPA_IND_CD, Value::Str("L"));
    }
    c
}
