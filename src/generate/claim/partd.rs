//! Part D prescription drug events: one fill of one drug of the scenario, at a pharmacy, for a
//! prescriber of the scenario's specialties, under a Part D plan.
//!
//! Cost fields follow CMS's PDE definitions and add up two ways:
//! `TOT_RX_CST_AMT = GDC_BLW_OOPT_AMT + GDC_ABV_OOPT_AMT + NCVRD_PLAN_PD_AMT` (the gross drug
//! cost below and above the out-of-pocket threshold, plus non-covered cost) and
//! `TOT_RX_CST_AMT = PTNT_PAY_AMT + OTHR_TROOP_AMT + LICS_AMT + PLRO_AMT + CVRD_D_PLAN_PD_AMT
//! + NCVRD_PLAN_PD_AMT + RPTD_GAP_DSCNT_NUM` (who paid it).

use super::providers::{POOL, pharmacy, practitioner_npi};
use super::{Cx, money, num};
use crate::model::Claim;
use crate::schema::{Col, PARTD_EVENTS as T};
use crate::seeds::clinical::Drug;
use crate::value::{InlineStr, Value};

/// Stand-alone prescription drug plans and Medicare Advantage drug plans.
const CONTRACTS: [&str; 12] = [
    "S4802", "S5601", "S5617", "S5810", "S5921", "S7694", "S5884", "H0028", "H0524", "H1036",
    "H3312", "H5216",
];

/// Amounts of one event, in cents.
#[derive(Default, Debug, Clone, Copy)]
pub(crate) struct PdeCosts {
    pub total: i64,
    pub below_oop: i64,
    pub above_oop: i64,
    pub patient: i64,
    pub other_troop: i64,
    pub lics: i64,
    pub plro: i64,
    pub plan_covered: i64,
    pub plan_noncovered: i64,
    pub gap_discount: i64,
}

/// Splits a total drug cost among the payers.
fn split(cx: &mut Cx, total: i64, brand: bool, year: i32) -> PdeCosts {
    let mut c = PdeCosts {
        total,
        ..PdeCosts::default()
    };
    // Catastrophic coverage: expensive drugs once the out-of-pocket threshold is met.
    let catastrophic = total > 300_000 && cx.d.chance(0.5);
    if catastrophic {
        c.above_oop = total;
        c.patient = if year >= 2024 { 0 } else { total / 20 };
    } else {
        c.below_oop = total;
        let low_income = cx.d.chance(0.25);
        // The coverage-gap discount (until 2024) did not apply to low-income subsidy enrollees.
        let gap = brand && year < 2025 && !low_income && cx.d.chance(0.1);
        let share = if gap {
            c.gap_discount = total * 70 / 100;
            total * 25 / 100
        } else if brand {
            (total / 4).max(4_700.min(total))
        } else {
            [0, 100, 300, 500, 1000][cx.d.below(5) as usize].min(total)
        };
        if low_income {
            let copay = (if brand { 1_120 } else { 450 }).min(share);
            c.patient = copay;
            c.lics = share - copay;
        } else {
            c.patient = share;
        }
        if cx.d.chance(0.03) {
            // Another payer (a charity or state program) picked up part of the patient share.
            c.other_troop = c.patient / 2;
            c.patient -= c.other_troop;
        }
        if cx.d.chance(0.02) {
            c.plro = c.patient / 3;
            c.patient -= c.plro;
        }
    }
    c.plan_covered =
        total - c.patient - c.other_troop - c.lics - c.plro - c.plan_noncovered - c.gap_discount;
    debug_assert!(c.plan_covered >= 0);
    c
}

/// Days supplied: maintenance drugs fill one, two or three months at a time (30/60/90 days,
/// or 28/56/84 for weekly and four-week packs), mostly a month and about a third three months,
/// as Part D fills are; short-course drugs fill their listed courses.
fn days_supply(cx: &mut Cx, drug: &Drug) -> u32 {
    let month = drug.days[0];
    if month < 28 {
        return *cx.d.pick(&drug.days);
    }
    let months = [1, 3, 2][cx.d.weighted(&[60, 34, 6])];
    month * months
}

/// The fill number of a maintenance prescription: 0 for the original fill, then refills up to
/// a year's supply (11 refills of 30 days, 3 of 90), each later one rarer as patients stop or
/// get a new prescription (weights 0.85^n).
fn refill_number(cx: &mut Cx, days: u32) -> i64 {
    let max = 360 / days.max(1) - 1;
    let weights: Vec<u32> = (0..=max)
        .map(|n| (1000.0 * 0.85f64.powi(n as i32)).round() as u32)
        .collect();
    cx.d.weighted(&weights) as i64
}

pub(super) fn build(cx: &mut Cx) -> Claim {
    let sc = cx.sc;
    let mut c = cx.new_claim();
    let drug: &'static Drug = sc.drugs.pick(&mut cx.d);
    let days = days_supply(cx, drug);
    let chronic = days >= 28;
    // Quantities are package units (tablets, mL of drops or insulin, grams of an inhaler) for
    // the drug's usual sig, in proportion to the days supplied.
    let qty = drug.qty30 * i64::from(days) / 30;
    let base_cost = drug.cost30 * i64::from(days) / 30;
    let srvc = cx.first_day(0);
    let (year, _, _) = srvc.ymd();
    let brand = drug.brand_generic == "B";
    let dispensing = cx.d.range(50, 250);
    let total = cx.vary(base_cost, 0.85, 1.2).max(100) + dispensing;
    let costs = split(cx, total, brand, year);

    let (pharm, _) = pharmacy(cx.d.below(POOL * 2));
    let spec = if sc.spec.is_empty() {
        "08"
    } else {
        *sc.spec.pick(&mut cx.d)
    };
    let prescriber = practitioner_npi(spec, cx.d.below(POOL));
    let service_type = if total > 200_000 {
        "08"
    } else if days >= 84 && cx.d.chance(0.4) {
        "06"
    } else if cx.d.chance(0.06) {
        "05"
    } else {
        "01"
    };

    let h = &mut c.header;
    h.set(Col::SRVC_DT, Value::Date(srvc));
    let paid = srvc.plus(cx.d.range(1, 14) as i32).min(cx.end()).max(srvc);
    h.set(Col::PD_DT, Value::Date(paid));
    h.set(Col::SRVC_PRVDR_ID_QLFYR_CD, Value::Str("01"));
    h.set(Col::SRVC_PRVDR_ID, Value::Text(pharm));
    h.set(Col::PRSCRBR_ID_QLFYR_CD, Value::Str("01"));
    h.set(Col::PRSCRBR_ID, Value::Text(prescriber));
    h.set(
        Col::RX_SRVC_RFRNC_NUM,
        Value::Int(cx.d.range(100_000, 999_999_999_999)),
    );
    h.set(Col::PROD_SRVC_ID, Value::Str(drug.ndc));
    let contract = *cx.d.pick(&CONTRACTS);
    h.set(Col::PLAN_CNTRCT_REC_ID, Value::Str(contract));
    let pbp = cx.d.range(1, 30) as u64;
    h.set(
        Col::PLAN_PBP_REC_NUM,
        Value::Text(InlineStr::build(|w| w.push_num(pbp, 3))),
    );
    h.set(Col::CMPND_CD, Value::Int(1));
    h.set(
        Col::DAW_PROD_SLCTN_CD,
        Value::Str(if brand && cx.d.chance(0.2) { "1" } else { "0" }),
    );
    h.set(Col::QTY_DSPNSD_NUM, Value::Int(qty));
    h.set(
        Col::DAYS_SUPLY_NUM,
        num(&T, Col::DAYS_SUPLY_NUM, i64::from(days)),
    );
    let fill = if chronic { refill_number(cx, days) } else { 0 };
    h.set(Col::FILL_NUM, num(&T, Col::FILL_NUM, fill));
    h.set(Col::DRUG_CVRG_STUS_CD, Value::Str("C"));
    if costs.above_oop > 0 {
        h.set(Col::CTSTRPHC_CVRG_CD, Value::Str("C"));
    }
    h.set(Col::GDC_BLW_OOPT_AMT, money(costs.below_oop));
    h.set(Col::GDC_ABV_OOPT_AMT, money(costs.above_oop));
    h.set(Col::PTNT_PAY_AMT, money(costs.patient));
    h.set(Col::OTHR_TROOP_AMT, money(costs.other_troop));
    h.set(Col::LICS_AMT, money(costs.lics));
    h.set(Col::PLRO_AMT, money(costs.plro));
    h.set(Col::CVRD_D_PLAN_PD_AMT, money(costs.plan_covered));
    h.set(Col::NCVRD_PLAN_PD_AMT, money(costs.plan_noncovered));
    h.set(Col::TOT_RX_CST_AMT, money(costs.total));
    h.set(
        Col::RX_ORGN_CD,
        Value::Str(
            ["3", "3", "3", "3", "3", "3", "3", "1", "1", "2", "4", "5"][cx.d.below(12) as usize],
        ),
    );
    h.set(Col::RPTD_GAP_DSCNT_NUM, money(costs.gap_discount));
    h.set(Col::BRND_GNRC_CD, Value::Str(drug.brand_generic));
    h.set(Col::PHRMCY_SRVC_TYPE_CD, Value::Str(service_type));
    h.set(
        Col::PTNT_RSDNC_CD,
        Value::Str(if service_type == "05" { "03" } else { "01" }),
    );
    c
}
