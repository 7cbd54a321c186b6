//! Hospital outpatient claims (type of bill 13x; 72x for dialysis facilities): one visit or a
//! short series of services, each line a revenue center with its HCPCS code, paid at the OPPS
//! level of `seeds/fees.tsv` (labs and therapy at their fee schedules; packaged services at 0).
//!
//! The lines follow the encounter rules of [`super::encounter`]: each service once a day, one
//! E/M and one major procedure per claim, no professional-component modifier. A surgery brings
//! its anesthesia, recovery and sterile-supply lines; a one-day visit's bill is filled out with
//! the packaged pharmacy and supply lines hospitals report; a series repeats its services on
//! other days; a dialysis facility's month lists one line per session, three a week.
//!
//! Per line: payment = OPPS amount − deductible − 20 % coinsurance (none for labs and
//! preventive services); the charge is a hospital markup of the OPPS amount. Header amounts
//! are the sums of the line amounts.

use super::encounter::{self, is_em, is_major};
use super::institutional::{Bill, RevAmounts, header, physician, push_line, push_total};
use super::providers::{FacilityKind, POOL, facility};
use super::{Cx, NUM_COLS, money};
use crate::model::Claim;
use crate::schema::{Col, OUTPATIENT_CLAIM_LINES};
use crate::seeds::clinical::{Fee, RevLine, clinical, params, revenue};
use crate::value::{Date, Value};

/// What one line bills: a priced service, or a packaged revenue-center line.
#[derive(Clone, Copy)]
enum Billed {
    Service(&'static Fee),
    Packaged(RevLine),
}

/// One planned line: what it bills and on which day.
#[derive(Clone, Copy)]
struct Planned {
    what: Billed,
    day: Date,
}

/// The lines of a claim of `details` detail lines over `[from, from + span]`.
fn plan(cx: &mut Cx, details: usize, from: Date, span: i32, dialysis: bool) -> Vec<Planned> {
    let sc = cx.sc;
    if dialysis {
        return dialysis_month(cx, details, from, span);
    }
    let services = encounter::services(cx, &sc.outpatient, None, details, |_| true);
    let mut out: Vec<Planned> = services
        .iter()
        .map(|&f| {
            let day = if span == 0 {
                from
            } else {
                from.plus(cx.d.range(0, i64::from(span)) as i32)
            };
            Planned {
                what: Billed::Service(f),
                day,
            }
        })
        .collect();
    if span > 0 {
        repeat_series(cx, &mut out, details, from, span);
    }
    if services.iter().any(|f| is_major(f)) {
        for l in &clinical().setting("outpatient_surgery").lines.items {
            out.push(Planned {
                what: Billed::Packaged(*l),
                day: from,
            });
        }
    }
    fill_packaged(cx, &mut out, details, from);
    out
}

/// A series (therapy, infusions) repeats its services on other days until `details` lines.
fn repeat_series(cx: &mut Cx, out: &mut Vec<Planned>, details: usize, from: Date, span: i32) {
    let repeatable: Vec<&'static Fee> = out
        .iter()
        .filter_map(|p| match p.what {
            Billed::Service(f) if !is_major(f) && !is_em(f.code) => Some(f),
            _ => None,
        })
        .collect();
    if repeatable.is_empty() {
        return;
    }
    let mut tries = 0;
    while out.len() < details && tries < details * 4 {
        tries += 1;
        let f = *cx.d.pick(&repeatable);
        let day = from.plus(cx.d.range(0, i64::from(span)) as i32);
        let taken = out
            .iter()
            .any(|p| p.day == day && matches!(p.what, Billed::Service(g) if g.code == f.code));
        if !taken {
            out.push(Planned {
                what: Billed::Service(f),
                day,
            });
        }
    }
}

/// Fills a bill up to `details` lines with packaged pharmacy and supply lines, each once.
fn fill_packaged(cx: &mut Cx, out: &mut Vec<Planned>, details: usize, day: Date) {
    let setting = clinical().setting("outpatient");
    let mut used: Vec<RevLine> = Vec::new();
    while out.len() < details && used.len() < setting.lines.items.len() {
        let l = setting.pick_new(&used, &mut cx.d);
        if used
            .iter()
            .any(|u| u.rev.code == l.rev.code && u.hcpcs == l.hcpcs)
        {
            break;
        }
        used.push(l);
        out.push(Planned {
            what: Billed::Packaged(l),
            day,
        });
    }
}

/// A dialysis facility's month: a session every other day, three a week (Monday, Wednesday,
/// Friday), each on its own line, and the month's other services (labs, drugs) once.
fn dialysis_month(cx: &mut Cx, details: usize, from: Date, span: i32) -> Vec<Planned> {
    let sc = cx.sc;
    let session: &'static Fee = sc
        .outpatient
        .items
        .iter()
        .copied()
        .find(|f| f.rev == "0821")
        .expect("a dialysis scenario bills hemodialysis (revenue center 0821)");
    let mut out = Vec::new();
    let mut day = from;
    let mut gap = [2, 2, 3].into_iter().cycle();
    while day <= from.plus(span) {
        out.push(Planned {
            what: Billed::Service(session),
            day,
        });
        day = day.plus(gap.next().unwrap_or(2));
    }
    let others = details.saturating_sub(out.len()).clamp(1, 4);
    let extra = encounter::services(cx, &sc.outpatient, None, others, |f| f.rev != "0821");
    for f in extra {
        let at = out[cx.d.below(out.len() as u64) as usize].day;
        out.push(Planned {
            what: Billed::Service(f),
            day: at,
        });
    }
    out
}

pub(super) fn build(cx: &mut Cx) -> Claim {
    let sc = cx.sc;
    let mut c = cx.new_claim();
    let n = cx.line_count(2);
    let details = n - 1;
    let dialysis = sc.op_bill.0 == "7";
    // Dialysis facilities bill a month of treatments; hospital visits are one day, sometimes a
    // short series (therapy, infusions).
    let span = if dialysis {
        cx.d.range(26, 30) as i32
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
    let mut planned = plan(cx, details, from, span, dialysis);
    planned.sort_by_key(|p| p.day);
    let surgical = planned
        .iter()
        .any(|p| matches!(p.what, Billed::Service(f) if is_major(f)));

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
    for p in &planned {
        let mut line = match p.what {
            Billed::Service(f) => {
                let same_day_procedure = planned
                    .iter()
                    .any(|q| q.day == p.day && matches!(q.what, Billed::Service(g) if is_major(g)));
                let modifier = encounter::modifier(cx, f, same_day_procedure, None);
                service_line(cx, f, &mut ded_left, (wage, markup), modifier)
            }
            Billed::Packaged(l) => packaged_line(cx, l),
        };
        pay += line.payment;
        ded += line.deductible;
        coins += line.coinsurance;
        line.date = Some(p.day);
        line.npi = Some(attending);
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

/// A priced service line: OPPS payment (packaged services none) less the deductible still
/// due (`ded_left`, reduced here) and 20 % coinsurance; the charge is the hospital's markup.
fn service_line(
    cx: &mut Cx,
    f: &'static Fee,
    ded_left: &mut i64,
    (wage, markup): (f64, f64),
    modifier: Option<&'static str>,
) -> RevAmounts {
    let (lo, hi) = f.units;
    let units = cx.d.range(i64::from(lo), i64::from(hi));
    // Packaged services (status indicator N) are paid within the claim's other lines.
    let rate = if f.si == "N" {
        0
    } else {
        (f.opps as f64 * wage).round() as i64
    };
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
        let d = (*ded_left).min(allowed);
        *ded_left -= d;
        (d, (allowed - d) / 5)
    };
    let method = match f.si {
        "A" => "2",
        "N" => "9",
        _ => "1",
    };
    RevAmounts {
        rev: f.rev,
        hcpcs: Some(f.code),
        modifier,
        units,
        rate: if units > 0 { charge / units } else { 0 },
        charge,
        payment: allowed - d - co,
        deductible: d,
        coinsurance: co,
        apc_hipps: f.apc,
        status: Some(f.si),
        method: Some(method),
        ..RevAmounts::default()
    }
}

/// A packaged line (status indicator N): charged, paid within the claim's services.
fn packaged_line(cx: &mut Cx, l: RevLine) -> RevAmounts {
    let units = if l.hcpcs.is_some() {
        cx.d.range(1, 3)
    } else {
        1
    };
    let charge = cx.vary(l.rev.charge * units, 0.7, 1.6).max(100);
    RevAmounts {
        rev: l.rev.code,
        hcpcs: l.hcpcs,
        units,
        rate: charge / units,
        charge,
        status: Some("N"),
        method: Some("9"),
        ..RevAmounts::default()
    }
}
