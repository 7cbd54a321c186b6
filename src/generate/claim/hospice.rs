//! Hospice claims (type of bill 81x): one month of a hospice election, billed monthly like
//! SNF stays. The level-of-care line (`0651` routine home care, with the Q-code of where care
//! is given; sometimes `0656` general inpatient days) carries the per-diem payment: the
//! year's routine home care rate for days 1–60 of the election and the lower rate after,
//! times the hospice's wage index. Visit lines (nursing, aide, social work, therapy) carry
//! charges only. Hospice has no deductible.

use super::institutional::{Bill, RevAmounts, header, physician, push_rev_lines, raise_charges};
use super::providers::{FacilityKind, POOL, facility};
use super::{Cx, money};
use crate::model::Claim;
use crate::schema::Col;
use crate::seeds::clinical::{clinical, params};
use crate::value::{Date, Value};

fn month_end(d: Date) -> Date {
    let (y, m, _) = d.ymd();
    let next = if m == 12 {
        Date::from_ymd(y + 1, 1, 1)
    } else {
        Date::from_ymd(y, m + 1, 1)
    };
    next.expect("first of month").plus(-1)
}

pub(super) fn build(cx: &mut Cx) -> Claim {
    let mut c = cx.new_claim();
    // Length of the election: median about three weeks, a long tail of many months.
    let z = cx.d.normal();
    let stay = ((3.1 + 1.2 * z).exp().round() as i32).clamp(1, 720);
    let start = cx.opts.start_date();
    let window = cx.end().days_since(start) as u64 + 1;
    let election = start
        .plus(1 - stay)
        .plus(cx.d.below(window + stay as u64 - 1) as i32);
    let end_of_care = election.plus(stay);
    // The month billed: the first month of the election that ends inside the window, or a
    // later one.
    let first = election.max(start);
    let last_day = end_of_care.min(cx.end());
    let months = {
        let (y0, m0, _) = first.ymd();
        let (y1, m1, _) = last_day.ymd();
        (y1 - y0) * 12 + m1 as i32 - m0 as i32 + 1
    };
    let k = cx.d.below(months.max(1) as u64) as i32;
    let (y0, m0, _) = first.ymd();
    let mi = m0 as i32 - 1 + k;
    let month = Date::from_ymd(y0 + mi.div_euclid(12), (mi.rem_euclid(12) + 1) as u32, 1)
        .expect("first of month");
    let from = month.max(first);
    let thru = month_end(from).min(last_day);
    let ends_here = end_of_care <= thru;
    let starts_here = election >= from;
    let frequency = match (starts_here, ends_here) {
        (true, true) => "1",
        (true, false) => "2",
        (false, false) => "3",
        (false, true) => "4",
    };
    let status = if ends_here {
        ["40", "40", "40", "41", "41", "42", "01", "01"][cx.d.below(8) as usize]
    } else {
        "30"
    };
    let days = thru.days_since(from) + i32::from(!ends_here || status != "01");
    let days = days.max(1);
    let prior = from.days_since(election);
    let early = (prior + 1..=prior + days).filter(|&j| j <= 60).count() as i64;
    let late = i64::from(days) - early;

    let (year, _, _) = from.ymd();
    let p = params(year);
    let fac = facility(FacilityKind::Hospice, cx.d.below(POOL));
    let wage = 0.85 + (fac.h % 41) as f64 / 100.0;
    let attending = physician(cx);

    let h = &mut c.header;
    header(
        cx,
        h,
        &Bill {
            near_line: "V",
            clm_type: "50",
            from,
            thru,
            facility: &fac,
            fac_type: "8",
            classification: if fac.h.is_multiple_of(7) { "2" } else { "1" },
            frequency,
            fi_num: fac.mac.hhh,
            discharge_status: status,
            attending,
        },
    );
    h.set(
        Col::NCH_PTNT_STATUS_IND_CD,
        Value::Str(match status {
            "30" => "C",
            "01" => "A",
            _ => "B",
        }),
    );
    if ends_here {
        h.set(Col::NCH_BENE_DSCHRG_DT, Value::Date(thru));
    }
    h.set(Col::CLM_HOSPC_START_DT_ID, Value::Date(election));
    // Benefit periods: two of 90 days, then 60-day periods.
    let period = match prior {
        ..90 => 1,
        90..180 => 2,
        _ => 3 + i64::from((prior - 180) / 60),
    };
    h.set(Col::BENE_HOSPC_PRD_CNT, Value::Int(period.min(99)));
    cx.diagnoses(h, 1, 6, false);

    // Level of care: routine home care, sometimes a few general inpatient days.
    let setting = clinical().setting("hospice");
    let n = cx.line_count(3);
    let mut rows: Vec<RevAmounts> = Vec::with_capacity(n);
    let gip_days = if days > 3 && cx.d.chance(0.06) {
        cx.d.range(1, 5.min(i64::from(days) - 1))
    } else {
        0
    };
    let rhc_days = i64::from(days) - gip_days;
    let late_rhc = late.min(rhc_days);
    let early_rhc = rhc_days - late_rhc;
    let rhc = *setting.room.pick(&mut cx.d);
    let rhc_pay = ((early_rhc * p.hospice_rhc_1_60 + late_rhc * p.hospice_rhc_61) as f64 * wage)
        .round() as i64;
    let rhc_rate = cx.vary(rhc.rev.charge, 0.85, 1.2);
    rows.push(RevAmounts {
        rev: rhc.rev.code,
        hcpcs: rhc.hcpcs,
        date: Some(from),
        units: rhc_days,
        rate: rhc_rate,
        charge: rhc_rate * rhc_days,
        payment: rhc_pay,
        ..RevAmounts::default()
    });
    if gip_days > 0 {
        let pay = (gip_days as f64 * p.hospice_gip as f64 * wage).round() as i64;
        let rate = cx.vary(140_000, 0.85, 1.2);
        rows.push(RevAmounts {
            rev: "0656",
            hcpcs: Some("Q5006"),
            date: Some(from.plus(cx.d.range(0, i64::from(days) - 1) as i32)),
            units: gip_days,
            rate,
            charge: rate * gip_days,
            payment: pay,
            ..RevAmounts::default()
        });
    }
    let span = thru.days_since(from);
    let mut visits: Vec<RevAmounts> = Vec::new();
    for _ in rows.len()..n.saturating_sub(1) {
        let l = *setting.lines.pick(&mut cx.d);
        let day = from.plus(cx.d.range(0, i64::from(span)) as i32);
        let units = if l.hcpcs.is_some() {
            cx.d.range(1, 6)
        } else {
            1
        };
        let charge = cx.vary(l.rev.charge * units.max(2) / 2, 0.8, 1.3);
        visits.push(RevAmounts {
            rev: l.rev.code,
            hcpcs: l.hcpcs,
            date: Some(day),
            units,
            rate: charge / units,
            charge,
            ..RevAmounts::default()
        });
    }
    visits.sort_by_key(|r| r.date);
    rows.extend(visits);
    let payment: i64 = rows.iter().map(|r| r.payment).sum();
    raise_charges(&mut rows, payment * 11 / 10);
    let total = push_rev_lines(&mut c, &rows, cx.id, Some(from));

    let h = &mut c.header;
    h.set(Col::CLM_PMT_AMT, money(payment));
    h.set(Col::CLM_TOT_CHRG_AMT, money(total));
    h.set(Col::CLM_UTLZTN_DAY_CNT, Value::Int(i64::from(days)));
    c
}
