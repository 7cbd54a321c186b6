//! `total`, `payment` and `benefitBalance`: the claim-level amounts each type lists.

use crate::emit::fhir::arrangement::Shape;
use crate::emit::fhir::elements::{adjudication, concept, money, put, scale_of};
use crate::emit::fhir::json::J;
use crate::emit::fhir::vars::{BalanceKind, VARS};
use crate::schema::Col;

use super::Eob;

/// `total`, `payment` and `benefitBalance`.
pub(super) fn write(j: &mut J<'_>, e: &Eob<'_>) {
    let pharmacy = e.sp.rules.shape == Shape::Pharmacy;
    total(j, e, pharmacy);
    payment(j, e, pharmacy);
    benefit_balance(j, e);
}

/// `total`: the type's total amounts (Part D events add a zero `other`).
fn total(j: &mut J<'_>, e: &Eob<'_>, pharmacy: bool) {
    let (sp, h) = (e.sp, &e.h);
    let tt = j.arr("total");
    for a in sp.total {
        adjudication(j, a, h, None);
    }
    if pharmacy {
        let m = j.begin();
        concept(
            j,
            "category",
            "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBPayerAdjudicationStatus",
            "other",
            "Other",
        );
        money(j, "amount", Some(0), 0);
        j.end(m);
    }
    j.end_arr(tt);
}

/// `payment`: the date paid (Part D) or the amount paid.
fn payment(j: &mut J<'_>, e: &Eob<'_>, pharmacy: bool) {
    let h = &e.h;
    let pay = j.obj("payment");
    if pharmacy {
        put(j, "date", &h.get(Col::PD_DT));
    } else {
        money(
            j,
            "amount",
            h.get(Col::CLM_PMT_AMT).as_int(),
            scale_of(h.table, Col::CLM_PMT_AMT),
        );
    }
    j.end(pay);
}

/// `benefitBalance`: one Medical Care entry with the type's balances (none when no balance
/// column has a value).
fn benefit_balance(j: &mut J<'_>, e: &Eob<'_>) {
    let (sp, h) = (e.sp, &e.h);
    let bb = j.arr("benefitBalance");
    let m = j.begin();
    concept(
        j,
        "category",
        "http://terminology.hl7.org/CodeSystem/ex-benefitcategory",
        "1",
        "Medical Care",
    );
    let fa = j.arr("financial");
    let mut any = false;
    for b in sp.balance {
        let v = h.get(b.col);
        let Some(n) = v.as_int() else { continue };
        any = true;
        let f = j.begin();
        let ty = j.obj("type");
        let a = j.arr("coding");
        let c = j.begin();
        j.lit(
            "system",
            "https://bluebutton.cms.gov/resources/codesystem/benefit-balance",
        );
        j.str_parts("code", &[VARS, b.var]);
        j.lit("display", b.label);
        j.end(c);
        j.end_arr(a);
        j.end(ty);
        match b.kind {
            BalanceKind::Money => money(j, "usedMoney", Some(n), scale_of(h.table, b.col)),
            BalanceKind::UnsignedInt => j.int("usedUnsignedInt", n.max(0)),
        }
        j.end(f);
    }
    j.end_arr(fa);
    if any {
        j.end(m);
    } else {
        // A category alone is no balance: drop the entry.
        j.out.truncate(m.pos());
    }
    j.end_arr(bb);
}
