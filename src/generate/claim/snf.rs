//! Skilled nursing facility claims (type of bill 21x): one month of a covered stay after a
//! qualifying hospital stay. Stays are billed monthly (interim bills 212/213, last 214, or 211
//! for a stay inside one month). Payment is the PDPM per diem of the year × days; from day 21
//! of the stay the beneficiary owes the daily SNF coinsurance, which comes off the payment.

use super::institutional::{
    Bill, RevAmounts, code5, header, physician, push_rev_lines, raise_charges,
};
use super::providers::{FacilityKind, POOL, facility};
use super::{Cx, money};
use crate::model::Claim;
use crate::schema::Col;
use crate::seeds::clinical::{RevLine, clinical, params};
use crate::value::{Date, Value};

const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXY";

/// Month segments of a stay `[admit, discharge]`: (from, thru, is_last).
fn segments(admit: Date, discharge: Date) -> Vec<(Date, Date, bool)> {
    let mut out = Vec::new();
    let mut from = admit;
    loop {
        let (y, m, _) = from.ymd();
        let next = if m == 12 {
            Date::from_ymd(y + 1, 1, 1)
        } else {
            Date::from_ymd(y, m + 1, 1)
        }
        .expect("first of month");
        if discharge < next {
            out.push((from, discharge, true));
            return out;
        }
        out.push((from, next.plus(-1), false));
        from = next;
    }
}

pub(super) fn build(cx: &mut Cx) -> Claim {
    let sc = cx.sc;
    let mut c = cx.new_claim();
    let z = cx.d.normal();
    let stay_len = ((22.0 * (0.6 * z - 0.18).exp()).round() as i32).clamp(1, 100);
    let admit = cx.first_day(stay_len);
    let discharge = admit.plus(stay_len);
    let segs = segments(admit, discharge);
    // Utilization days: every day of an interim month, the days before discharge in the last.
    let days_of = |s: &(Date, Date, bool)| s.1.days_since(s.0) + i32::from(!s.2);
    let usable: Vec<usize> = (0..segs.len()).filter(|&i| days_of(&segs[i]) > 0).collect();
    let seg = segs[usable[cx.d.below(usable.len() as u64) as usize]];
    let (from, thru, last) = seg;
    let days = days_of(&seg);
    let prior = from.days_since(admit);
    let coins_days = (prior + 1..=prior + days)
        .filter(|&j| (21..=100).contains(&j))
        .count() as i64;
    let frequency = match (segs.len() == 1, from == admit, last) {
        (true, _, _) => "1",
        (false, true, _) => "2",
        (false, false, false) => "3",
        (false, false, true) => "4",
    };
    let status = if last {
        ["01", "01", "01", "06", "06", "02", "02", "20", "03", "50"][cx.d.below(10) as usize]
    } else {
        "30"
    };
    let (year, _, _) = from.ymd();
    let p = params(year);
    let fac = facility(FacilityKind::Snf, cx.d.below(POOL));
    let wage = 0.85 + (fac.h % 41) as f64 / 100.0;
    let attending = physician(cx);

    let h = &mut c.header;
    header(
        cx,
        h,
        &Bill {
            near_line: "V",
            clm_type: "20",
            from,
            thru,
            facility: &fac,
            fac_type: "2",
            classification: "1",
            frequency,
            fi_num: fac.mac.part_a,
            discharge_status: status,
            attending,
        },
    );
    h.set(Col::FI_CLM_ACTN_CD, Value::Str("1"));
    h.set(Col::CLM_PPS_IND_CD, Value::Str("2"));
    h.set(Col::CLM_ADMSN_DT, Value::Date(admit));
    h.set(Col::CLM_IP_ADMSN_TYPE_CD, Value::Str("3"));
    h.set(
        Col::CLM_SRC_IP_ADMSN_CD,
        Value::Str(if cx.d.chance(0.9) { "4" } else { "1" }),
    );
    h.set(
        Col::NCH_PTNT_STATUS_IND_CD,
        Value::Str(match status {
            "30" => "C",
            "20" => "B",
            _ => "A",
        }),
    );
    let hosp_los = cx.d.range(3, 10) as i32;
    let q_thru = admit.plus(-(cx.d.range(0, 1) as i32));
    h.set(
        Col::NCH_QLFYD_STAY_FROM_DT,
        Value::Date(q_thru.plus(-hosp_los)),
    );
    h.set(Col::NCH_QLFYD_STAY_THRU_DT, Value::Date(q_thru));
    if last {
        h.set(Col::NCH_BENE_DSCHRG_DT, Value::Date(thru));
        h.set(Col::NCH_ACTV_OR_CVRD_LVL_CARE_THRU, Value::Date(thru));
    }
    let dx = cx.diagnoses(h, 4, 12, false);
    let admitting = cx.admitting(&dx, false);
    h.set(Col::ADMTG_DGNS_CD, Value::Str(admitting));
    h.set(Col::ADMTG_DGNS_VRSN_CD, Value::Str("0"));
    cx.external_cause(h, false);

    let per_diem = cx.vary((p.snf_per_diem as f64 * wage).round() as i64, 0.8, 1.3);
    let gross = per_diem * i64::from(days);
    let coinsurance = (coins_days * p.snf_coinsurance).min(gross);
    let payment = gross - coinsurance;

    // Lines: the PDPM HIPPS line (its code in HCPCS_CD), room and board, ancillaries.
    let setting = clinical().setting("snf");
    let n = cx.line_count(3);
    let mut rows: Vec<RevAmounts> = Vec::with_capacity(n);
    let l = |cx: &mut Cx, s: &str| {
        let i = cx.d.below(s.len() as u64) as usize;
        &LETTERS[i..i + 1]
    };
    let hipps = {
        let a = l(cx, &LETTERS[..16]);
        let b = l(cx, &LETTERS[..12]);
        let n_ = l(cx, LETTERS);
        let d = l(cx, &LETTERS[..6]);
        code5([a, b, n_, d, "1"])
    };
    rows.push(RevAmounts {
        rev: "0022",
        hipps: Some(hipps),
        units: i64::from(days),
        ..RevAmounts::default()
    });
    let room = *setting.room.pick(&mut cx.d);
    let rate = cx.vary(room.rev.charge, 0.8, 1.3);
    rows.push(RevAmounts {
        rev: room.rev.code,
        units: i64::from(days),
        rate,
        charge: rate * i64::from(days),
        ..RevAmounts::default()
    });
    let mut used: Vec<RevLine> = vec![room];
    for i in 0..n.saturating_sub(3) {
        let line = if i < sc.snf.len() {
            sc.snf[i]
        } else {
            setting.pick_new(&used, &mut cx.d)
        };
        used.push(line);
        let units = cx.d.range(1, 4 + i64::from(days));
        let charge = cx.vary(line.rev.charge * units, 0.6, 1.4);
        rows.push(RevAmounts {
            rev: line.rev.code,
            hcpcs: line.hcpcs,
            units,
            charge: charge.max(100),
            ..RevAmounts::default()
        });
    }
    raise_charges(&mut rows, gross * 11 / 10);
    let total = push_rev_lines(&mut c, &rows, cx.id, None);

    let h = &mut c.header;
    h.set(Col::CLM_PMT_AMT, money(payment));
    h.set(Col::CLM_TOT_CHRG_AMT, money(total));
    h.set(Col::NCH_BENE_IP_DDCTBL_AMT, money(0));
    h.set(Col::NCH_BENE_PTA_COINSRNC_LBLTY_AM, money(coinsurance));
    h.set(Col::NCH_BENE_BLOOD_DDCTBL_LBLTY_AM, money(0));
    h.set(Col::NCH_IP_NCVRD_CHRG_AMT, money(0));
    h.set(Col::NCH_IP_TOT_DDCTN_AMT, money(coinsurance));
    h.set(Col::CLM_UTLZTN_DAY_CNT, Value::Int(i64::from(days)));
    h.set(Col::BENE_TOT_COINSRNC_DAYS_CNT, Value::Int(coins_days));
    h.set(Col::CLM_NON_UTLZTN_DAYS_CNT, Value::Int(0));
    h.set(Col::NCH_BLOOD_PNTS_FRNSHD_QTY, Value::Int(0));
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_split_by_month() {
        let a = Date::from_ymd(2024, 1, 20).unwrap();
        let s = segments(a, Date::from_ymd(2024, 3, 5).unwrap());
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].1, Date::from_ymd(2024, 1, 31).unwrap());
        assert!(s[2].2 && !s[1].2);
        assert_eq!(segments(a, a.plus(3)).len(), 1);
    }
}
