//! What the five institutional claim types (inpatient, outpatient, SNF, home health, hospice)
//! share: the header fields of a Part A/B institutional bill and revenue-center lines.
//!
//! Every institutional claim ends with a `0001` revenue line carrying the claim totals, as the
//! CCW RIF files have it: its REV_CNTR_TOT_CHRG_AMT (and non-covered charges) equal the sum of
//! the other lines and the header's CLM_TOT_CHRG_AMT. Payment fields of the `0001` line are
//! zero, so payment columns add up over the detail lines alone.

use super::providers::{Facility, POOL, practitioner_npi};
use super::{Cx, money};
use crate::model::{Claim, Lines, Record};
use crate::schema::{Col, Table};
use crate::value::{Date, InlineStr, Value};

/// Sets `col` if the row's table has it.
pub(crate) fn set_if(h: &mut Record, col: Col, v: Value) {
    if h.table().position(col).is_some() {
        h.set(col, v);
    }
}

/// The header fields every institutional claim has.
pub(crate) struct Bill<'a> {
    pub near_line: &'static str,
    pub clm_type: &'static str,
    pub from: Date,
    pub thru: Date,
    pub facility: &'a Facility,
    /// Type of bill: facility type, service classification, frequency.
    pub fac_type: &'static str,
    pub classification: &'static str,
    pub frequency: &'static str,
    pub fi_num: &'static str,
    pub discharge_status: &'static str,
    pub attending: InlineStr,
}

/// Writes the shared header fields.
pub(crate) fn header(cx: &mut Cx, h: &mut Record, b: &Bill) {
    h.set(Col::NCH_NEAR_LINE_REC_IDENT_CD, Value::Str(b.near_line));
    h.set(Col::NCH_CLM_TYPE_CD, Value::Str(b.clm_type));
    h.set(Col::CLM_FROM_DT, Value::Date(b.from));
    h.set(Col::CLM_THRU_DT, Value::Date(b.thru));
    let weekly = cx.weekly_processing(b.thru);
    h.set(Col::NCH_WKLY_PROC_DT, Value::Date(weekly));
    let fi_proc = weekly.plus(-(cx.d.range(0, 6) as i32)).max(b.thru);
    h.set(Col::FI_CLM_PROC_DT, Value::Date(fi_proc));
    set_if(h, Col::CLAIM_QUERY_CODE, Value::Str("3"));
    h.set(Col::PRVDR_NUM, Value::Text(b.facility.ccn));
    h.set(Col::CLM_FAC_TYPE_CD, Value::Str(b.fac_type));
    h.set(Col::CLM_SRVC_CLSFCTN_TYPE_CD, Value::Str(b.classification));
    h.set(Col::CLM_FREQ_CD, Value::Str(b.frequency));
    h.set(Col::FI_NUM, Value::Str(b.fi_num));
    h.set(Col::NCH_PRMRY_PYR_CLM_PD_AMT, money(0));
    h.set(Col::PRVDR_STATE_CD, Value::Str(b.facility.place.ssa_state));
    h.set(Col::ORG_NPI_NUM, Value::Text(b.facility.npi));
    h.set(Col::AT_PHYSN_NPI, Value::Text(b.attending));
    set_if(h, Col::CLM_MCO_PD_SW, Value::Str("0"));
    h.set(Col::PTNT_DSCHRG_STUS_CD, Value::Str(b.discharge_status));
    let dcn = cx.control_number("2", weekly, 8);
    h.set(Col::FI_DOC_CLM_CNTL_NUM, Value::Text(dcn));
}

/// An attending (or operating) physician's NPI of one of the scenario's specialties.
pub(crate) fn physician(cx: &mut Cx) -> InlineStr {
    let spec = if cx.sc.spec.is_empty() {
        "11"
    } else {
        *cx.sc.spec.pick(&mut cx.d)
    };
    practitioner_npi(spec, cx.d.below(POOL))
}

/// One revenue-center line, amounts in cents.
#[derive(Clone, Copy, Default)]
pub(crate) struct RevAmounts {
    pub rev: &'static str,
    pub hcpcs: Option<&'static str>,
    pub modifier: Option<&'static str>,
    pub date: Option<Date>,
    pub units: i64,
    pub rate: i64,
    pub charge: i64,
    pub noncovered: i64,
    /// Medicare payment for the line.
    pub payment: i64,
    pub deductible: i64,
    pub coinsurance: i64,
    pub apc_hipps: Option<&'static str>,
    pub hipps: Option<InlineStr>,
    pub status: Option<&'static str>,
    pub method: Option<&'static str>,
    pub ded_coins_cd: Option<&'static str>,
    pub npi: Option<InlineStr>,
}

/// Appends a revenue-center line to `lines` (of `table`), filling the columns the table has.
pub(crate) fn push_line(lines: &mut Lines, table: &Table, id: i64, a: &RevAmounts) {
    let n = lines.len() as i64 + 1;
    let has = |c: Col| table.position(c).is_some();
    let mut l = lines.push();
    l.set(Col::CLM_ID, Value::Int(id));
    l.set(Col::CLM_LINE_NUM, Value::Int(n));
    l.set(Col::REV_CNTR, Value::Str(a.rev));
    if let Some(hc) = a.hcpcs {
        l.set(Col::HCPCS_CD, Value::Str(hc));
    }
    let mut put = |col: Col, v: Option<Value>| {
        if let Some(v) = v
            && has(col)
        {
            l.set(col, v);
        }
    };
    put(Col::HCPCS_1ST_MDFR_CD, a.modifier.map(Value::Str));
    put(Col::REV_CNTR_DT, a.date.map(Value::Date));
    // Unit counts are whole numbers in every institutional line table.
    put(Col::REV_CNTR_UNIT_CNT, Some(Value::Int(a.units)));
    put(Col::REV_CNTR_RATE_AMT, Some(money(a.rate)));
    put(Col::REV_CNTR_TOT_CHRG_AMT, Some(money(a.charge)));
    put(Col::REV_CNTR_NCVRD_CHRG_AMT, Some(money(a.noncovered)));
    put(Col::REV_CNTR_PMT_AMT_AMT, Some(money(a.payment)));
    put(Col::REV_CNTR_PRVDR_PMT_AMT, Some(money(a.payment)));
    put(Col::REV_CNTR_BENE_PMT_AMT, Some(money(0)));
    put(Col::REV_CNTR_BLOOD_DDCTBL_AMT, Some(money(0)));
    put(Col::REV_CNTR_CASH_DDCTBL_AMT, Some(money(a.deductible)));
    put(
        Col::REV_CNTR_COINSRNC_WGE_ADJSTD_C,
        Some(money(a.coinsurance)),
    );
    put(Col::REV_CNTR_RDCD_COINSRNC_AMT, Some(money(0)));
    put(Col::REV_CNTR_1ST_MSP_PD_AMT, Some(money(0)));
    put(Col::REV_CNTR_2ND_MSP_PD_AMT, Some(money(0)));
    put(
        Col::REV_CNTR_PTNT_RSPNSBLTY_PMT,
        Some(money(a.deductible + a.coinsurance)),
    );
    put(Col::REV_CNTR_APC_HIPPS_CD, a.apc_hipps.map(Value::Str));
    if let Some(x) = a.hipps {
        // The HIPPS code is the line's HCPCS code (as BFD's RIF samples and FHIR responses
        // show it); home health lines also carry it in their APC/HIPPS column.
        put(Col::HCPCS_CD, Some(Value::Text(x)));
        put(Col::REV_CNTR_APC_HIPPS_CD, Some(Value::Text(x)));
    }
    put(Col::REV_CNTR_STUS_IND_CD, a.status.map(Value::Str));
    put(Col::REV_CNTR_PMT_MTHD_IND_CD, a.method.map(Value::Str));
    put(
        Col::REV_CNTR_DDCTBL_COINSRNC_CD,
        a.ded_coins_cd.map(Value::Str),
    );
    put(Col::RNDRNG_PHYSN_NPI, a.npi.map(Value::Text));
    if a.rev != "0001" {
        // Claim adjustment reasons, in the order the remittance gives them: the contractual
        // write-off of charges above the payment (CO45), then coinsurance (PR2) and deductible
        // (PR1) owed by the beneficiary.
        let reasons = [
            (a.charge > a.payment, "CO45"),
            (a.coinsurance > 0, "PR2"),
            (a.deductible > 0, "PR1"),
        ];
        let slots = [
            Col::REV_CNTR_1ST_ANSI_CD,
            Col::REV_CNTR_2ND_ANSI_CD,
            Col::REV_CNTR_3RD_ANSI_CD,
        ];
        for (col, (_, code)) in slots.into_iter().zip(reasons.iter().filter(|r| r.0)) {
            put(col, Some(Value::Str(code)));
        }
        if a.hcpcs.is_some() {
            put(Col::REV_CNTR_DSCNT_IND_CD, Some(Value::Str("1")));
            let packaged = if a.status == Some("N") { "1" } else { "0" };
            put(Col::REV_CNTR_PACKG_IND_CD, Some(Value::Str(packaged)));
        }
    }
}

/// Appends the revenue-center lines of `rows` and the `0001` total line (dated `total_date`)
/// to an institutional claim; returns the total charges.
pub(crate) fn push_rev_lines(
    c: &mut Claim,
    rows: &[RevAmounts],
    id: i64,
    total_date: Option<Date>,
) -> i64 {
    let table = c
        .kind
        .line_table()
        .expect("institutional claims have lines");
    let lines = c.lines.as_mut().expect("institutional claims have lines");
    for r in rows {
        push_line(lines, table, id, r);
    }
    push_total(lines, table, id, total_date)
}

/// Appends the `0001` total line and returns the total charges.
pub(crate) fn push_total(lines: &mut Lines, table: &Table, id: i64, date: Option<Date>) -> i64 {
    let charge_pos = table
        .position(Col::REV_CNTR_TOT_CHRG_AMT)
        .expect("line tables have charges");
    let ncvrd_pos = table.position(Col::REV_CNTR_NCVRD_CHRG_AMT);
    let (mut charge, mut noncovered) = (0, 0);
    for l in lines.iter() {
        charge += l.vals[charge_pos].as_int().unwrap_or(0);
        if let Some(p) = ncvrd_pos {
            noncovered += l.vals[p].as_int().unwrap_or(0);
        }
    }
    let total = RevAmounts {
        rev: "0001",
        date,
        charge,
        noncovered,
        ..RevAmounts::default()
    };
    push_line(lines, table, id, &total);
    charge
}

/// Raises the charges of `rows` in proportion until they add up to at least `floor` (hospital
/// charges exceed what Medicare pays). Lines priced per unit keep `charge = rate × units`.
pub(crate) fn raise_charges(rows: &mut [RevAmounts], floor: i64) {
    let sum: i64 = rows.iter().map(|r| r.charge).sum();
    if sum >= floor || sum == 0 {
        return;
    }
    let deficit = floor - sum;
    for r in rows.iter_mut().filter(|r| r.charge > 0) {
        let add = (i128::from(r.charge) * i128::from(deficit) / i128::from(sum)) as i64 + 1;
        if r.rate == r.charge {
            // Priced per visit: the rate is the charge.
            r.charge += add;
            r.rate = r.charge;
        } else if r.units > 0 && r.rate * r.units == r.charge {
            r.rate += add.div_euclid(r.units) + 1;
            r.charge = r.rate * r.units;
        } else {
            r.charge += add;
        }
    }
}

/// A HIPPS code or other five-character code built from pieces.
pub(crate) fn code5(parts: [&str; 5]) -> InlineStr {
    InlineStr::build(|w| {
        for p in parts {
            w.push_str(p);
        }
    })
}
