//! The per-beneficiary pass after the deal: [`settle`] makes one beneficiary's dealt claims a
//! life that could have been lived. The deal hands out claims like cards, so one beneficiary
//! may hold several "expired" discharges and keep receiving care long after any of them.
//!
//! Enrollment follows the claims too: a beneficiary holding dialysis claims has end-stage
//! renal disease, one holding none is not flagged with it.
//!
//! The pass reads and changes only this beneficiary and its claims, draws nothing and
//! depends on no other record, so a beneficiary computed alone still equals the same
//! beneficiary in a full run, whatever the threads or shards.

use crate::model::{Beneficiary, Claim, ClaimType};
use crate::schema::Col;
use crate::value::{Date, Value};

/// Patient discharge statuses meaning the patient died: expired (`20`), and the hospice
/// codes expired at home (`40`), in a facility (`41`), place unknown (`42`).
const DEATH_STATUSES: [&str; 4] = ["20", "40", "41", "42"];

/// The claim types whose discharge status can say the patient died.
const DEATH_TYPES: [ClaimType; 4] = [
    ClaimType::Inpatient,
    ClaimType::Snf,
    ClaimType::Hospice,
    ClaimType::Hha,
];

/// How long after death a claim may still start: bills for the last days of care, supplies
/// and refills dated before the death was known.
pub const AFTER_DEATH_DAYS: i32 = 30;

/// Settles one beneficiary's claims (in the order the deal listed them; kept in that order):
/// - the latest death discharge is the death; every other one becomes a routine discharge
///   (`01`, patient status indicator `A`);
/// - the beneficiary dies on that discharge's last day (`DEATH_DT`, `V_DOD_SW` = `V`), or,
///   without one, keeps the death date it was drawn with, if any;
/// - claims starting more than [`AFTER_DEATH_DAYS`] after the death are dropped;
/// - the ESRD flags follow the dialysis claims kept (see [`set_esrd`]).
///
/// Before all that, home health periods are made one after another ([`one_hha_at_a_time`]);
/// `end` is the last day of the run's window.
pub fn settle(bene: &mut Beneficiary, claims: &mut Vec<Claim>, end: Date) {
    one_hha_at_a_time(claims, end);
    die(bene, claims);
    let esrd = claims.iter().any(is_dialysis);
    set_esrd(bene, esrd);
}

/// The death part of [`settle`].
fn die(bene: &mut Beneficiary, claims: &mut Vec<Claim>) {
    let last = claims
        .iter()
        .enumerate()
        .filter_map(|(k, c)| death_discharge(c).map(|d| (d, k)))
        .max();
    for (k, c) in claims.iter_mut().enumerate() {
        if last.is_some_and(|(_, at)| at != k) && death_discharge(c).is_some() {
            survive(c);
        }
    }
    let death = match last {
        Some((day, _)) => Some(day),
        None => bene.record.get(Col::DEATH_DT).as_date(),
    };
    if let Some(day) = death {
        bene.record.set(Col::DEATH_DT, Value::Date(day));
        bene.record.set(Col::V_DOD_SW, Value::Str("V"));
        let limit = day.plus(AFTER_DEATH_DAYS);
        claims.retain(|c| start(c).is_none_or(|s| s <= limit));
    }
}

/// Home health periods one at a time: a beneficiary has one home health agency, and a
/// period that would start before the previous one ends (by its first day, then its place
/// in the list) moves later by whole weeks, so every date keeps its weekday (the weekly
/// processing date stays a Friday), to start after it; a period moved past `end` is dropped.
pub fn one_hha_at_a_time(claims: &mut Vec<Claim>, end: Date) {
    let mut order: Vec<(Date, usize)> = claims
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == ClaimType::Hha)
        .filter_map(|(k, c)| start(c).map(|s| (s, k)))
        .collect();
    order.sort();
    let mut busy_until: Option<Date> = None;
    let mut gone = vec![false; claims.len()];
    for (from, k) in order {
        let c = &mut claims[k];
        let weeks = busy_until.map_or(0, |b| (b.days_since(from) + 7).max(0) / 7);
        if weeks > 0 {
            c.header.shift_dates(7 * weeks);
            if let Some(lines) = &mut c.lines {
                lines.shift_dates(7 * weeks);
            }
        }
        match last_date(c) {
            Some(last) if last <= end => busy_until = c.header.get(Col::CLM_THRU_DT).as_date(),
            _ => gone[k] = true,
        }
    }
    let mut k = 0;
    claims.retain(|_| {
        k += 1;
        !gone[k - 1]
    });
}

/// The latest date anywhere on a claim.
fn last_date(c: &Claim) -> Option<Date> {
    let lines = c.lines.iter().flat_map(|ls| ls.iter());
    std::iter::once(c.header.view())
        .chain(lines)
        .flat_map(|r| r.vals.iter())
        .filter_map(|v| v.as_date())
        .max()
}

/// The last day of a claim whose discharge status says the patient died, else `None`.
pub fn death_discharge(c: &Claim) -> Option<Date> {
    let status = c.header.get(Col::PTNT_DSCHRG_STUS_CD);
    let died = DEATH_TYPES.contains(&c.kind)
        && status.as_str().is_some_and(|s| DEATH_STATUSES.contains(&s));
    died.then(|| c.header.get(Col::CLM_THRU_DT).as_date())
        .flatten()
}

/// The first day of a claim: its from date, or a Part D event's service date.
pub fn start(c: &Claim) -> Option<Date> {
    let h = &c.header;
    h.get(Col::CLM_FROM_DT)
        .as_date()
        .or_else(|| h.get(Col::SRVC_DT).as_date())
}

/// A death discharge rewritten as a routine discharge home, with the patient status
/// indicator that goes with it where the claim type carries one.
fn survive(c: &mut Claim) {
    let h = &mut c.header;
    h.set(Col::PTNT_DSCHRG_STUS_CD, Value::Str("01"));
    if h.table().position(Col::NCH_PTNT_STATUS_IND_CD).is_some() {
        h.set(Col::NCH_PTNT_STATUS_IND_CD, Value::Str("A"));
    }
}

/// Whether a claim is a dialysis facility's bill: an outpatient claim with type of bill 72x
/// (facility type 7, clinic; classification 2, hospital-based or independent renal dialysis
/// facility), as the `opbill 72` scenarios write them.
pub fn is_dialysis(c: &Claim) -> bool {
    let h = &c.header;
    c.kind == ClaimType::Outpatient
        && h.get(Col::CLM_FAC_TYPE_CD).as_str() == Some("7")
        && h.get(Col::CLM_SRVC_CLSFCTN_TYPE_CD).as_str() == Some("2")
}

/// Sets the ESRD indicator (`Y` or `0`), the Medicare status code (and its monthly copies)
/// and the current entitlement reason to agree with `esrd`, keeping the rest of the drawn
/// entitlement: aged stays aged (`10`/`11`); the young are disabled, with ESRD (`21`, or
/// `31` when entitled by ESRD alone) or without (`20`). The original entitlement reason is
/// history and stays.
pub fn set_esrd(bene: &mut Beneficiary, esrd: bool) {
    let r = &mut bene.record;
    let aged = matches!(r.get(Col::BENE_MDCR_STATUS_CD).as_str(), Some("10" | "11"));
    let esrd_only = r.get(Col::BENE_MDCR_STATUS_CD).as_str() == Some("31");
    let status = match (aged, esrd_only, esrd) {
        (true, _, false) => "10",
        (true, _, true) => "11",
        (false, true, true) => "31",
        (false, false, true) => "21",
        (false, _, false) => "20",
    };
    r.set(Col::BENE_ESRD_IND, Value::Str(if esrd { "Y" } else { "0" }));
    r.set(Col::BENE_MDCR_STATUS_CD, Value::Str(status));
    for col in super::beneficiary::status_months() {
        r.set(*col, Value::Str(status));
    }
    let reason = match (r.get(Col::BENE_ENTLMT_RSN_CURR).as_str(), esrd) {
        (Some("1" | "3"), true) => "3",
        (Some("2"), true) => "2",
        (Some("1" | "2" | "3"), false) => "1",
        _ => "0",
    };
    r.set(Col::BENE_ENTLMT_RSN_CURR, Value::Str(reason));
}
