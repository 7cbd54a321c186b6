//! Inpatient hospital stays (type of bill 111): a stay of the scenario groups to an MS-DRG;
//! the length of stay comes from the DRG's geometric mean length of stay and the payment from
//! its relative weight × the IPPS standardized amounts of the year (`seeds/medicare.tsv`) ×
//! the hospital's wage index, plus teaching (IME) and disproportionate-share (DSH) add-ons.
//! The Part A deductible comes off the payment. Charges are built line by line from the
//! hospital's revenue-center charges and always exceed the payment.

use super::institutional::{Bill, RevAmounts, header, physician, push_rev_lines, raise_charges};
use super::providers::{FacilityKind, POOL, facility};
use super::{Cx, NUM_COLS, drg_info, money};
use crate::model::Claim;
use crate::schema::Col;
use crate::seeds::clinical::{RevLine, clinical, params};
use crate::value::Value;

/// Discharge statuses of hospital stays and their weights.
const DISCHARGE: [(&str, u32); 10] = [
    ("01", 50),
    ("06", 20),
    ("03", 14),
    ("62", 4),
    ("20", 3),
    ("50", 2),
    ("02", 2),
    ("07", 1),
    ("63", 1),
    ("51", 1),
];

pub(super) fn build(cx: &mut Cx) -> Claim {
    let sc = cx.sc;
    let mut c = cx.new_claim();
    let stay = sc.stays.pick(&mut cx.d);
    cx.stay_dx = Some(&stay.dx);
    let drg = *stay.drgs.pick(&mut cx.d);
    let (weight, gmlos_tenths) = drg_info(drg);
    let gmlos = gmlos_tenths as f64 / 10.0;
    let z = cx.d.normal();
    let los = ((gmlos * (0.45 * z - 0.1).exp()).round() as i32).clamp(1, 60);
    let from = cx.first_day(los);
    let thru = from.plus(los);
    let (year, _, _) = from.ymd();
    let p = params(year);
    let fac = facility(FacilityKind::Hospital, cx.d.below(POOL));
    let wage = 0.85 + (fac.h % 41) as f64 / 100.0;
    let teaching = fac.h.is_multiple_of(5);
    let dsh = fac.h.is_multiple_of(3);
    let attending = physician(cx);
    let w = weight as f64 / 10_000.0;

    let status = DISCHARGE[cx.d.weighted(&DISCHARGE.map(|(_, w)| w))].0;
    let h = &mut c.header;
    header(
        cx,
        h,
        &Bill {
            near_line: "V",
            clm_type: "60",
            from,
            thru,
            facility: &fac,
            fac_type: "1",
            classification: "1",
            frequency: "1",
            fi_num: fac.mac.part_a,
            discharge_status: status,
            attending,
        },
    );
    h.set(Col::FI_CLM_ACTN_CD, Value::Str("1"));
    h.set(Col::CLM_PPS_IND_CD, Value::Str("2"));
    h.set(Col::CLM_ADMSN_DT, Value::Date(from));
    h.set(Col::NCH_BENE_DSCHRG_DT, Value::Date(thru));
    let (adm_type, source) = if stay.elective {
        ("3", "1")
    } else {
        let t = ["1", "1", "1", "2"][cx.d.below(4) as usize];
        let s = ["1", "1", "1", "1", "1", "1", "2", "4", "5", "1"][cx.d.below(10) as usize];
        (t, s)
    };
    h.set(Col::CLM_IP_ADMSN_TYPE_CD, Value::Str(adm_type));
    h.set(Col::CLM_SRC_IP_ADMSN_CD, Value::Str(source));
    h.set(
        Col::NCH_PTNT_STATUS_IND_CD,
        Value::Str(if status == "20" { "B" } else { "A" }),
    );
    h.set(Col::CLM_DRG_CD, Value::Str(drg));
    h.set(Col::CLM_DRG_OUTLIER_STAY_CD, Value::Str("0"));
    h.set(Col::NCH_DRG_OUTLIER_APRVD_PMT_AMT, money(0));
    let dx = cx.diagnoses(h, 5, 18, true);
    let admitting = cx.admitting(&dx, !stay.elective);
    h.set(Col::ADMTG_DGNS_CD, Value::Str(admitting));
    h.set(Col::ADMTG_DGNS_VRSN_CD, Value::Str("0"));
    cx.external_cause(h, true);

    // Procedures: the principal one and sometimes a second, on the first days of the stay.
    if !stay.pcs.is_empty() {
        let k = if stay.pcs.len() > 1 && cx.d.chance(0.3) {
            2
        } else {
            1
        };
        let mut done: Vec<&str> = Vec::with_capacity(k);
        for i in 0..k {
            let mut code = *cx.d.pick(&stay.pcs);
            if done.contains(&code) {
                code = stay
                    .pcs
                    .iter()
                    .copied()
                    .find(|p| !done.contains(p))
                    .unwrap_or(code);
            }
            done.push(code);
            let day = from.plus(cx.d.range(0, i64::from(los.min(2))) as i32);
            h.set(NUM_COLS.prcdr[i], Value::Str(code));
            h.set(NUM_COLS.prcdr_vrsn[i], Value::Str("0"));
            h.set(NUM_COLS.prcdr_dt[i], Value::Date(day.min(thru)));
        }
        let op = physician(cx);
        h.set(Col::OP_PHYSN_NPI, Value::Text(op));
    }
    if cx.d.chance(0.3) {
        let ot = physician(cx);
        h.set(Col::OT_PHYSN_NPI, Value::Text(ot));
    }

    // Payment.
    let operating = (w * p.ipps_operating as f64 * wage).round() as i64;
    let capital = (w * p.ipps_capital as f64 * wage).round() as i64;
    let ime = if teaching { operating * 6 / 100 } else { 0 };
    let dsh_amt = if dsh { operating * 4 / 100 } else { 0 };
    let uncompensated = if dsh {
        cx.vary(operating, 0.05, 0.12)
    } else {
        0
    };
    let total_pmt = operating + capital + ime + dsh_amt;
    let deductible = if cx.d.chance(0.85) {
        p.parta_deductible.min(total_pmt)
    } else {
        0
    };
    let cap_ime = if teaching { capital * 5 / 100 } else { 0 };
    let cap_dsh = if dsh { capital * 3 / 100 } else { 0 };
    let per_diem = if fac.h.is_multiple_of(4) {
        cx.vary(15_000, 0.5, 2.0)
    } else {
        0
    };

    // Lines: room and board, the stay's own revenue centers, then the setting's ancillaries.
    let setting = clinical().setting("inpatient");
    let n = cx.line_count(3);
    let charge_factor = 0.8 + ((fac.h >> 16) % 60) as f64 / 100.0;
    let mut rows: Vec<RevAmounts> = Vec::with_capacity(n);
    let room = *setting.room.pick(&mut cx.d);
    let room_rate = cx.vary(room.rev.charge, 0.8, 1.3);
    rows.push(RevAmounts {
        rev: room.rev.code,
        hcpcs: room.hcpcs,
        units: i64::from(los),
        rate: room_rate,
        charge: room_rate * i64::from(los),
        ..RevAmounts::default()
    });
    let mut used: Vec<RevLine> = vec![room];
    let extra = n.saturating_sub(2);
    for i in 0..extra {
        let line = if i < stay.rev.len() {
            stay.rev[i]
        } else {
            setting.pick_new(&used, &mut cx.d)
        };
        used.push(line);
        let units = match line.rev.code {
            "0278" | "0360" | "0370" | "0710" => cx.d.range(1, 4),
            _ => cx.d.range(1, 2 + i64::from(los)),
        };
        let charge = cx.vary(
            line.rev.charge * units,
            0.7 * charge_factor,
            1.4 * charge_factor,
        );
        rows.push(RevAmounts {
            rev: line.rev.code,
            hcpcs: line.hcpcs,
            units,
            charge: charge.max(100),
            ..RevAmounts::default()
        });
    }
    // Charges exceed the payment (hospital charges run at several times Medicare's rates).
    raise_charges(&mut rows, total_pmt * 13 / 10);
    let total = push_rev_lines(&mut c, &rows, cx.id, None);

    let h = &mut c.header;
    h.set(Col::CLM_PMT_AMT, money(total_pmt - deductible));
    h.set(Col::CLM_TOT_CHRG_AMT, money(total));
    h.set(Col::CLM_PASS_THRU_PER_DIEM_AMT, money(per_diem));
    h.set(Col::NCH_BENE_IP_DDCTBL_AMT, money(deductible));
    h.set(Col::NCH_BENE_PTA_COINSRNC_LBLTY_AM, money(0));
    h.set(Col::NCH_BENE_BLOOD_DDCTBL_LBLTY_AM, money(0));
    h.set(Col::NCH_PROFNL_CMPNT_CHRG_AMT, money(0));
    h.set(Col::NCH_IP_NCVRD_CHRG_AMT, money(0));
    h.set(Col::NCH_IP_TOT_DDCTN_AMT, money(deductible));
    h.set(Col::CLM_TOT_PPS_CPTL_AMT, money(capital));
    h.set(
        Col::CLM_PPS_CPTL_FSP_AMT,
        money(capital - cap_ime - cap_dsh),
    );
    h.set(Col::CLM_PPS_CPTL_OUTLIER_AMT, money(0));
    h.set(Col::CLM_PPS_CPTL_DSPRPRTNT_SHR_AMT, money(cap_dsh));
    h.set(Col::CLM_PPS_CPTL_IME_AMT, money(cap_ime));
    h.set(Col::CLM_PPS_CPTL_EXCPTN_AMT, money(0));
    h.set(Col::CLM_PPS_OLD_CPTL_HLD_HRMLS_AMT, money(0));
    h.set(Col::CLM_PPS_CPTL_DRG_WT_NUM, Value::Int(weight as i64));
    h.set(Col::CLM_UTLZTN_DAY_CNT, Value::Int(i64::from(los)));
    h.set(Col::BENE_TOT_COINSRNC_DAYS_CNT, Value::Int(0));
    h.set(Col::BENE_LRD_USED_CNT, Value::Int(0));
    h.set(Col::CLM_NON_UTLZTN_DAYS_CNT, Value::Int(0));
    h.set(Col::NCH_BLOOD_PNTS_FRNSHD_QTY, Value::Int(0));
    h.set(Col::IME_OP_CLM_VAL_AMT, money(ime));
    h.set(Col::DSH_OP_CLM_VAL_AMT, money(dsh_amt));
    h.set(Col::CLM_UNCOMPD_CARE_PMT_AMT, money(uncompensated));
    c
}
