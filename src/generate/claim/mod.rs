//! Claims: claim `card` of a type's deck, generated from its own stream knowing only its
//! holder's sex, then given to a beneficiary by [`give_to`].
//!
//! The first draw of a claim's stream picks its clinical scenario (`seeds/scenarios.txt`)
//! among those that fit the holder's sex;
//! every code on the claim — diagnoses, procedures, DRG, revenue centers, drugs, place of
//! service, provider specialty — and its amounts come from that scenario and the seed tables
//! it refers to, so a claim is coherent on its own. [`scenario_of`] recomputes the scenario of
//! any claim without generating it.
//!
//! One module per claim type builds the header and lines; this module holds what they share:
//! the context, service dates, line counts, diagnosis columns and small numeric helpers.
//!
//! Every non-nullable column is filled. Nullable columns are filled where real claims usually
//! carry a value; these stay empty on purpose:
//! - UPIN columns (`*_UPIN`): UPINs were retired for NPIs in 2007;
//! - `FI_ORIG_CLM_CNTL_NUM`, `CLM_MDCR_NON_PMT_RSN_CD`, `NCH_PRMRY_PYR_CD`,
//!   `LINE_BENE_PRMRY_PYR_CD`: every claim is an original, paid, final-action claim with
//!   Medicare as primary payer (a few carrier claims are denied, with payment 0);
//! - `CLM_CLNCL_TRIL_NUM`, `HPSA_SCRCTY_IND_CD`, `CARR_LINE_RX_NUM`, `LINE_NDC_CD`,
//!   `REV_CNTR_IDE_NDC_UPC_NUM`, `REV_CNTR_NDC_QTY(_QLFR_CD)`, `REV_CNTR_OTAF_PMT_CD`: rarely
//!   present (drug NDCs on medical claims would need an NDC–HCPCS crosswalk);
//! - `NCH_VRFD_NCVRD_STAY_*`, `NCH_BENE_MDCR_BNFTS_EXHTD_DT_I`: no non-covered stays or
//!   exhausted benefits; `CLM_DRG_CD` on SNF claims (SNFs bill HIPPS codes);
//! - Part D `DSPNSNG_STUS_CD`, `ADJSTMT_DLTN_CD`, `NSTD_FRMT_CD`, `PRCNG_EXCPTN_CD`,
//!   `SUBMSN_CLR_CD`: blank means a complete, original, standard-format fill;
//! - conditional ones: external-cause codes (injuries only), `CTSTRPHC_CVRG_CD` (catastrophic
//!   coverage only), `CLM_HHA_LUPA_IND_CD` (LUPA periods), CLIA numbers (labs), hemoglobin
//!   type (ESA drug lines), `OT_PHYSN_NPI` (some stays), rendering NPIs on inpatient, SNF, home
//!   health and hospice lines.

mod carrier;
mod dme;
mod encounter;
mod hha;
mod hospice;
mod inpatient;
mod institutional;
mod outpatient;
mod partd;
pub mod providers;
mod snf;
mod tally;

use std::sync::LazyLock;

pub use tally::ClaimTally;

use crate::codes;
use crate::model::{Claim, ClaimType, Lines, PerType, Record, Sex, ids};
use crate::options::Options;
use crate::rng::Draw;
use crate::schema::{Col, Table};
use crate::seeds::Weighted;
use crate::seeds::calibration;
use crate::seeds::clinical::{Scenario, clinical};
use crate::value::{Date, InlineStr, Value};

/// Claim `card` of type `t` for a holder of sex `sex`, from the stream `(seed, t's domain,
/// card)`.
pub fn claim(opts: &Options, t: ClaimType, card: u64, sex: Sex) -> Claim {
    let mut d = Draw::new(opts.seed, t.domain(), card);
    let sc = pick_scenario(&mut d, t, sex);
    let mut cx = Cx {
        opts,
        d,
        sc,
        t,
        card,
        id: ids::claim_id(t, card),
        stay_dx: None,
    };
    let mut c = match t {
        ClaimType::Carrier => carrier::build(&mut cx),
        ClaimType::Inpatient => inpatient::build(&mut cx),
        ClaimType::Outpatient => outpatient::build(&mut cx),
        ClaimType::Dme => dme::build(&mut cx),
        ClaimType::Hha => hha::build(&mut cx),
        ClaimType::Hospice => hospice::build(&mut cx),
        ClaimType::Snf => snf::build(&mut cx),
        ClaimType::PartD => partd::build(&mut cx),
    };
    diagnoses_as_of_claim_date(&mut c);
    c
}

/// The day whose ICD-10-CM edition codes a claim: the through date of a stay or period
/// (inpatient, SNF, home health, hospice), else the first day of service.
pub fn coding_date(c: &Claim) -> Option<Date> {
    let col = match c.kind {
        ClaimType::Inpatient | ClaimType::Snf | ClaimType::Hha | ClaimType::Hospice => {
            Col::CLM_THRU_DT
        }
        _ => Col::CLM_FROM_DT,
    };
    c.header.get(col).as_date()
}

/// Whether a column holds an ICD-10-CM diagnosis (principal, numbered, admitting, external
/// cause, reason for visit, line diagnosis), not its version code.
pub fn is_diagnosis_column(rif: &str) -> bool {
    rif.contains("DGNS_CD") || rif.contains("DGNS_E_CD") || rif.starts_with("RSN_VISIT_CD")
}

/// The diagnosis columns of each type's header and line tables.
static DX_COLUMNS: LazyLock<PerType<(Vec<Col>, Vec<Col>)>> = LazyLock::new(|| {
    let of = |t: Option<&'static Table>| -> Vec<Col> {
        t.map(|t| t.columns)
            .unwrap_or_default()
            .iter()
            .filter(|c| c.rif.is_some_and(is_diagnosis_column))
            .map(|c| c.col)
            .collect()
    };
    PerType::from_fn(|t| (of(Some(t.header_table())), of(t.line_table())))
});

/// Codes every diagnosis as of the claim's coding date: a code added after it (G20A1, from
/// October 2023) is replaced by the code in use then (G20), so no claim carries a code
/// before it existed. Only codes change, no draw, so later claims are unaffected.
fn diagnoses_as_of_claim_date(c: &mut Claim) {
    let Some(on) = coding_date(c) else { return };
    let (head, line) = &DX_COLUMNS[c.kind];
    for &col in head {
        if let Value::Str(code) = c.header.get(col) {
            let now = codes::icd10cm_as_of(code, on);
            if now != code {
                c.header.set(col, Value::Str(now));
            }
        }
    }
    if let Some(lines) = c.lines.as_mut() {
        for i in 0..lines.len() {
            let mut l = lines.get_mut(i);
            for &col in line {
                if let Value::Str(code) = l.get(col) {
                    let now = codes::icd10cm_as_of(code, on);
                    if now != code {
                        l.set(col, Value::Str(now));
                    }
                }
            }
        }
    }
}

/// The clinical scenario claim `card` of type `t` is drawn from for a holder of sex `sex`
/// (the first draw of its stream), without generating the claim.
pub fn scenario_of(opts: &Options, t: ClaimType, card: u64, sex: Sex) -> &'static Scenario {
    let mut d = Draw::new(opts.seed, t.domain(), card);
    pick_scenario(&mut d, t, sex)
}

/// The scenario among those that fit the holder's sex: a card's face is drawn for the
/// beneficiary it is dealt to, so no claim carries the other sex's codes.
fn pick_scenario(d: &mut Draw, t: ClaimType, sex: Sex) -> &'static Scenario {
    let c = clinical();
    let i = *c.by_type[t][sex as usize].pick(d);
    &c.scenarios[i as usize]
}

/// Gives a claim to the beneficiary `bene_id`: the only fields that depend on the holder.
pub fn give_to(claim: &mut Claim, bene_id: i64) {
    claim.header.set(Col::BENE_ID, Value::Int(bene_id));
}

/// What a claim builder works with.
pub(crate) struct Cx<'a> {
    pub opts: &'a Options,
    pub d: Draw,
    pub sc: &'static Scenario,
    pub t: ClaimType,
    pub card: u64,
    pub id: i64,
    /// Principal diagnoses of the hospital stay being built, if it fixes them.
    pub stay_dx: Option<&'static [&'static str]>,
}

impl Cx<'_> {
    /// An empty claim of this context's type with its ids set.
    pub fn new_claim(&self) -> Claim {
        let mut header = Record::new(self.t.header_table());
        let id = Value::Int(self.id);
        header.set(self.t.info().id_column, id);
        header.set(Col::CLM_GRP_ID, id);
        header.set(Col::FINAL_ACTION, Value::Str("F"));
        Claim {
            kind: self.t,
            card: self.card,
            header,
            lines: self.t.line_table().map(Lines::new),
        }
    }

    /// First day of the data window.
    pub fn start(&self) -> Date {
        self.opts.start_date()
    }

    /// Last day of the data window.
    pub fn end(&self) -> Date {
        self.opts.end_date
    }

    /// A first service day such that `span` more days still end inside the window.
    pub fn first_day(&mut self, span: i32) -> Date {
        let start = self.start();
        let room = (self.end().days_since(start) - span).max(0);
        start.plus(self.d.below(room as u64 + 1) as i32)
    }

    /// A Friday between `lo` and `lo + 6`, not after the end of the window (nor before
    /// `floor`): the weekly processing date of a claim.
    pub fn friday_after(&mut self, lo: Date, floor: Date) -> Date {
        let end = self.end();
        let mut f = lo;
        while !is_friday(f) {
            f = f.plus(1);
        }
        if f > end {
            f = end;
            while !is_friday(f) && f > floor {
                f = f.plus(-1);
            }
        }
        f.max(floor)
    }

    /// NCH weekly processing date for a claim through `thru` (one to four weeks later).
    pub fn weekly_processing(&mut self, thru: Date) -> Date {
        let lag = self.d.range(6, 27) as i32;
        self.friday_after(thru.plus(lag), thru)
    }

    /// Number of lines of a claim: at least `min`, with the calibrated mean, skewed.
    pub fn line_count(&mut self, min: usize) -> usize {
        let mean = calibration(self.t).lines_per_claim;
        let extra = (mean - min as f64).max(0.0);
        let sigma = 0.7;
        let z = self.d.normal();
        let rate = extra * (sigma * z - sigma * sigma / 2.0).exp();
        let n = min + self.d.poisson(rate) as usize;
        n.min(MAX_LINES)
    }

    /// `v` in `[lo, hi)` fractions of itself: a multiplicative variation, rounded to units.
    pub fn vary(&mut self, v: i64, lo: f64, hi: f64) -> i64 {
        let f = lo + (hi - lo) * self.d.unit();
        (v as f64 * f).round() as i64
    }

    /// A principal diagnosis for this claim type (or of the hospital stay being built).
    pub fn principal(&mut self) -> &'static str {
        if let Some(dx) = self.stay_dx.filter(|d| !d.is_empty()) {
            let code: &&'static str = self.d.pick(dx);
            return code;
        }
        self.sc.principal_for(self.t).pick(&mut self.d)
    }

    /// Up to `n` distinct secondary diagnoses (scenario secondaries first, then the shared
    /// comorbidities), none equal to `principal`.
    pub fn secondaries(&mut self, principal: &str, n: usize, out: &mut Vec<&'static str>) {
        out.clear();
        let own = &self.sc.dx2;
        let shared = &clinical().comorbid;
        let mut tries = 0;
        while out.len() < n && tries < n * 4 {
            tries += 1;
            let from_own = !own.is_empty() && (shared.is_empty() || self.d.chance(0.7));
            let pool = if from_own { own } else { shared };
            if pool.is_empty() {
                break;
            }
            let c = *self.d.pick(pool);
            if c != principal && !out.contains(&c) {
                out.push(c);
            }
        }
    }

    /// Fills the principal and numbered diagnosis columns (`ICD_DGNS_CD1` = the principal,
    /// as the RIF has it), with ICD-10 version codes and, when `poa`, present-on-admission
    /// indicators. Returns the codes written, the principal first.
    pub fn diagnoses(
        &mut self,
        h: &mut Record,
        min: usize,
        max: usize,
        poa: bool,
    ) -> Vec<&'static str> {
        let cols = &*NUM_COLS;
        let principal = self.principal();
        let n = self.d.range(min as i64, max as i64) as usize;
        let mut sec = Vec::with_capacity(n);
        self.secondaries(principal, n.saturating_sub(1), &mut sec);
        sec.insert(0, principal);
        let slots = if h.table().position(cols.dgns[12]).is_some() {
            25
        } else {
            12
        };
        h.set(Col::PRNCPAL_DGNS_CD, Value::Str(principal));
        h.set(Col::PRNCPAL_DGNS_VRSN_CD, Value::Str("0"));
        sec.truncate(slots);
        for (i, &code) in sec.iter().enumerate() {
            h.set(cols.dgns[i], Value::Str(code));
            h.set(cols.dgns_vrsn[i], Value::Str("0"));
            if poa {
                let flag = if i == 0 || self.d.chance(0.9) {
                    "Y"
                } else {
                    "N"
                };
                h.set(cols.poa[i], Value::Str(flag));
            }
        }
        sec
    }

    /// The admitting diagnosis of a stay whose diagnoses are `dx` (the principal first). On
    /// an unplanned hospital admission it is often a presenting sign or symptom of the
    /// scenario (the workup then finds the principal diagnosis); a SNF admission sometimes
    /// names a secondary condition; otherwise it is the principal.
    pub fn admitting(&mut self, dx: &[&'static str], unplanned_hospital: bool) -> &'static str {
        if unplanned_hospital {
            if !self.sc.admitting.is_empty() && self.d.chance(0.55) {
                let code: &&'static str = self.d.pick(&self.sc.admitting);
                return code;
            }
        } else if self.t == ClaimType::Snf && dx.len() > 1 && self.d.chance(0.3) {
            return dx[1];
        }
        dx[0]
    }

    /// The external cause of an injury scenario, in the first external-cause columns (on
    /// professional claims, in the first free diagnosis column).
    pub fn external_cause(&mut self, h: &mut Record, poa: bool) {
        if self.sc.ecode.is_empty() {
            return;
        }
        let cols = &*NUM_COLS;
        let e = *self.d.pick(&self.sc.ecode);
        if h.table().position(Col::FST_DGNS_E_CD).is_none() {
            // Professional claims list external causes among the diagnoses.
            if let Some(i) = (0..12).find(|&i| h.get(cols.dgns[i]).is_null()) {
                h.set(cols.dgns[i], Value::Str(e));
                h.set(cols.dgns_vrsn[i], Value::Str("0"));
            }
            return;
        }
        h.set(Col::FST_DGNS_E_CD, Value::Str(e));
        h.set(Col::FST_DGNS_E_VRSN_CD, Value::Str("0"));
        if h.table().position(cols.e_dgns[0]).is_some() {
            h.set(cols.e_dgns[0], Value::Str(e));
            h.set(cols.e_vrsn[0], Value::Str("0"));
            if poa {
                h.set(cols.e_poa[0], Value::Str("Y"));
            }
        }
    }

    /// A control number: `prefix` + two-digit year + day of year + digits from the card.
    pub fn control_number(&mut self, prefix: &str, date: Date, digits: usize) -> InlineStr {
        let (y, _, _) = date.ymd();
        let jan1 = Date::from_ymd(y, 1, 1).expect("Jan 1");
        let doy = date.days_since(jan1) as u64 + 1;
        let tail = self.d.below(10u64.pow(digits as u32));
        InlineStr::build(|w| {
            w.push_str(prefix);
            w.push_num((y % 100) as u64, 2);
            w.push_num(doy, 3);
            w.push_num(tail, digits);
        })
    }

    /// Picks distinct items from `w` (up to a few retries per item, so tiny lists may
    /// repeat), `n` times.
    pub fn pick_distinct<T: Copy + PartialEq>(&mut self, w: &Weighted<T>, n: usize) -> Vec<T> {
        let mut out: Vec<T> = Vec::with_capacity(n);
        for _ in 0..n {
            let mut x = *w.pick(&mut self.d);
            for _ in 0..8 {
                if !out.contains(&x) {
                    break;
                }
                x = *w.pick(&mut self.d);
            }
            out.push(x);
        }
        out
    }
}

/// The BETOS code of a HCPCS code (from the code tables).
pub(crate) fn betos(hcpcs: &str) -> Option<&'static str> {
    crate::codes::betos_of(hcpcs)
}

/// An MS-DRG's relative weight (ten-thousandths) and geometric mean length of stay (tenths
/// of a day), from the code tables.
pub(crate) fn drg_info(drg: &str) -> (u64, u64) {
    let d = crate::codes::drg::drg(drg)
        .unwrap_or_else(|| panic!("MS-DRG {drg} of scenarios.txt is not in the code tables"));
    (
        d.weight_ten_thousandths().unwrap_or(10_000),
        d.gmlos_tenths().unwrap_or(40),
    )
}

/// Lines per claim are capped (the longest real claims have a few hundred; the RIF line
/// number is a smallint).
const MAX_LINES: usize = 450;

fn is_friday(d: Date) -> bool {
    // 1970-01-02, day 1, was a Friday.
    (d.0 - 1).rem_euclid(7) == 0
}

/// `whole` units of `col` in `table`, scaled to the column's decimal places.
pub(crate) fn num(table: &Table, col: Col, whole: i64) -> Value {
    let pos = table
        .position(col)
        .unwrap_or_else(|| panic!("{} has no column {}", table.name, col.name()));
    Value::Int(whole * 10i64.pow(u32::from(table.columns[pos].ty.scale())))
}

/// Cents as a value.
pub(crate) fn money(cents: i64) -> Value {
    Value::Int(cents)
}

/// The numbered columns (diagnoses 1–25, procedures 1–25, external causes 1–12), resolved
/// once by name.
pub(crate) struct NumCols {
    pub dgns: [Col; 25],
    pub dgns_vrsn: [Col; 25],
    pub poa: [Col; 25],
    pub prcdr: [Col; 25],
    pub prcdr_vrsn: [Col; 25],
    pub prcdr_dt: [Col; 25],
    pub e_dgns: [Col; 12],
    pub e_vrsn: [Col; 12],
    pub e_poa: [Col; 12],
}

pub(crate) static NUM_COLS: LazyLock<NumCols> = LazyLock::new(|| {
    fn c<const N: usize>(f: impl Fn(usize) -> String) -> [Col; N] {
        std::array::from_fn(|i| {
            let name = f(i + 1);
            Col::by_name(&name).unwrap_or_else(|| panic!("no column {name}"))
        })
    }
    NumCols {
        dgns: c(|i| format!("ICD_DGNS_CD{i}")),
        dgns_vrsn: c(|i| format!("ICD_DGNS_VRSN_CD{i}")),
        poa: c(|i| format!("CLM_POA_IND_SW{i}")),
        prcdr: c(|i| format!("ICD_PRCDR_CD{i}")),
        prcdr_vrsn: c(|i| format!("ICD_PRCDR_VRSN_CD{i}")),
        prcdr_dt: c(|i| format!("PRCDR_DT{i}")),
        e_dgns: c(|i| format!("ICD_DGNS_E_CD{i}")),
        e_vrsn: c(|i| format!("ICD_DGNS_E_VRSN_CD{i}")),
        e_poa: c(|i| format!("CLM_E_POA_IND_SW{i}")),
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fridays_are_fridays() {
        assert!(is_friday(Date::from_ymd(2025, 12, 26).unwrap()));
        assert!(!is_friday(Date::from_ymd(2025, 12, 31).unwrap()));
    }
}
