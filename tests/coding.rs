//! Claims as a medical coder reviews them, over every claim of a 3,000-user run (the claims of
//! a run are the cards of its decks; the deal only gives them to beneficiaries): FHIR items
//! that show what the lines bill, admitting and principal diagnoses, encounter rules, Part D
//! fills and post-acute payment codes.

use std::sync::OnceLock;

use bbgen::emit::fhir::Renderer;
use bbgen::generate::give_to;
use bbgen::model::{Claim, ClaimType, RowRef};
use bbgen::schema::Col;
use bbgen::{Dataset, Options};
use serde_json::Value as Json;

const USERS: u64 = 3000;

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        Dataset::new(Options {
            users: USERS,
            ..Options::default()
        })
        .expect("options")
    })
}

/// Every claim of type `t` in the run.
fn claims(t: ClaimType) -> Vec<Claim> {
    let ds = dataset();
    (0..ds.deck_sizes()[t.index()])
        .map(|k| ds.unheld_claim(t, k))
        .collect()
}

fn text(r: RowRef, c: Col) -> Option<String> {
    r.get(c).as_str().map(str::to_owned)
}

/// The FHIR ExplanationOfBenefit of a claim.
fn eob(c: &Claim) -> Json {
    let ds = dataset();
    let r = Renderer::new(ds.options(), bbgen::codes::Codes::builtin_ref());
    let mut c = c.clone();
    give_to(&mut c, -1_000_000);
    let mut out = Vec::new();
    r.eob(&mut out, &c);
    serde_json::from_slice(&out).expect("EOB JSON")
}

/// Share of `items` for which `f` holds.
fn share<T>(items: &[T], f: impl Fn(&T) -> bool) -> f64 {
    items.iter().filter(|x| f(x)).count() as f64 / items.len().max(1) as f64
}

#[test]
fn institutional_item_quantities_are_the_lines_unit_counts() {
    for t in [ClaimType::Hha, ClaimType::Hospice, ClaimType::Snf] {
        for c in claims(t).iter().take(150) {
            let v = eob(c);
            let lines = c.lines.as_ref().unwrap();
            let items = v["item"].as_array().unwrap();
            assert_eq!(items.len(), lines.len());
            for (item, l) in items.iter().zip(lines.iter()) {
                let units = l.get(Col::REV_CNTR_UNIT_CNT).as_int().unwrap();
                let q = item["quantity"]["value"].as_f64().unwrap();
                assert_eq!(q, units as f64, "{t:?} item quantity {q}, {units} units");
            }
        }
    }
}

#[test]
fn home_health_items_show_their_hipps_code() {
    let hha = claims(ClaimType::Hha);
    for c in hha.iter().take(200) {
        let lines = c.lines.as_ref().unwrap();
        let v = eob(c);
        for (item, l) in v["item"].as_array().unwrap().iter().zip(lines.iter()) {
            if text(l, Col::REV_CNTR).as_deref() != Some("0023") {
                continue;
            }
            let hipps = text(l, Col::REV_CNTR_APC_HIPPS_CD).expect("HIPPS on 0023");
            assert_eq!(
                text(l, Col::HCPCS_CD),
                Some(hipps.clone()),
                "HCPCS_CD = HIPPS"
            );
            let codes: Vec<&str> = item["productOrService"]["coding"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["code"].as_str().unwrap())
                .collect();
            assert!(codes.contains(&hipps.as_str()), "{codes:?} lacks {hipps}");
        }
    }
}

/// Whether an EOB lists a diagnosis of type `principal`.
fn has_principal(v: &Json) -> bool {
    v["diagnosis"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["type"][0]["coding"][0]["code"].as_str() == Some("principal"))
}

#[test]
fn admitting_and_principal_diagnoses_differ_at_realistic_rates() {
    // Unplanned admissions often present with a sign or symptom, later explained by the
    // principal diagnosis; the two differ on roughly 40–60 % of Medicare stays.
    for (t, lo, hi) in [
        (ClaimType::Inpatient, 0.3, 0.65),
        (ClaimType::Snf, 0.15, 0.45),
    ] {
        let cs = claims(t);
        let differ = share(&cs, |c| {
            let h = c.header.view();
            text(h, Col::ADMTG_DGNS_CD) != text(h, Col::PRNCPAL_DGNS_CD)
        });
        assert!((lo..=hi).contains(&differ), "{t:?}: {differ:.3} differ");
        for c in cs.iter().take(300) {
            let h = c.header.view();
            let differ = text(h, Col::ADMTG_DGNS_CD) != text(h, Col::PRNCPAL_DGNS_CD);
            assert_eq!(has_principal(&eob(c)), differ, "{t:?} principal type");
        }
    }
}
