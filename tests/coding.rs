//! Claims as a medical coder reviews them, over every claim of a 3,000-user run (the claims of
//! a run are the cards of its decks; the deal only gives them to beneficiaries): FHIR items
//! that show what the lines bill, admitting and principal diagnoses, encounter rules, Part D
//! fills and post-acute payment codes.

use std::sync::OnceLock;

use bbgen::emit::fhir::{FhirVersion, Renderer};
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
    ds.chunk(0..USERS)
        .into_iter()
        .flat_map(|(_, claims)| claims)
        .filter(|c| c.kind == t)
        .collect()
}

fn text(r: RowRef, c: Col) -> Option<String> {
    r.get(c).as_str().map(str::to_owned)
}

/// Both FHIR versions bbgen writes.
const VERSIONS: [FhirVersion; 2] = [FhirVersion::R4, FhirVersion::Stu3];

/// The ExplanationOfBenefit of a claim in one FHIR version.
fn eob_in(version: FhirVersion, c: &Claim) -> Json {
    let ds = dataset();
    let r = Renderer::of(version, ds.options(), bbgen::codes::Codes::builtin_ref());
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
    // A unit count is whole; the line's NDC quantity beside it has three decimals, and the
    // count must not take that scale (6 units once printed as 0.006). v1 (STU3) gives the
    // unit count as the item quantity; v2 (R4) the NDC quantity when the line has one.
    let mut checked = 0;
    for t in [ClaimType::Hha, ClaimType::Hospice, ClaimType::Snf] {
        for c in claims(t).iter().take(150) {
            let lines = c.lines.as_ref().unwrap();
            for version in VERSIONS {
                let v = eob_in(version, c);
                let items = v["item"].as_array().unwrap();
                assert_eq!(items.len(), lines.len());
                for (item, l) in items.iter().zip(lines.iter()) {
                    let units = l.get(Col::REV_CNTR_UNIT_CNT).as_int().unwrap();
                    let ndc = l.get(Col::REV_CNTR_NDC_QTY).as_int();
                    let want = match (version, ndc) {
                        (FhirVersion::R4, Some(thousandths)) => thousandths as f64 / 1000.0,
                        _ => units as f64,
                    };
                    let q = item["quantity"]["value"].as_f64().unwrap();
                    assert_eq!(
                        q, want,
                        "{t:?} {version:?} item quantity {q}, {units} units"
                    );
                    checked += usize::from(units > 1);
                }
            }
        }
    }
    assert!(checked > 100, "{checked} items of more than one unit");
}

#[test]
fn home_health_items_show_their_hipps_code() {
    let hha = claims(ClaimType::Hha);
    for c in hha.iter().take(200) {
        let lines = c.lines.as_ref().unwrap();
        for version in VERSIONS {
            let v = eob_in(version, c);
            // The line's product: `productOrService` in R4, `service` in STU3.
            let product = match version {
                FhirVersion::R4 => "productOrService",
                _ => "service",
            };
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
                let codes: Vec<&str> = item[product]["coding"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["code"].as_str().unwrap())
                    .collect();
                assert!(
                    codes.contains(&hipps.as_str()),
                    "{version:?} {codes:?} lacks {hipps}"
                );
            }
        }
    }
}

/// Whether an EOB lists a diagnosis of type `code` (`principal`, `admitting`).
fn has_dx_type(v: &Json, code: &str) -> bool {
    v["diagnosis"].as_array().unwrap().iter().any(|d| {
        d["type"].as_array().into_iter().flatten().any(|t| {
            t["coding"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["code"].as_str() == Some(code))
        })
    })
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
            for version in VERSIONS {
                let v = eob_in(version, c);
                assert!(has_dx_type(&v, "admitting"), "{t:?} {version:?} admitting");
                // BFD writes the principal type only on a principal that is not also the
                // admitting diagnosis (in v1, as in v2).
                assert_eq!(
                    has_dx_type(&v, "principal"),
                    differ,
                    "{t:?} {version:?} principal type"
                );
            }
        }
    }
}

/// Modifiers that let a service appear twice on a claim on the same day: distinct procedural
/// service (59, X{EPSU}), repeat procedures and tests (76, 77, 91), laterality and bilateral
/// (RT, LT, 50).
const REPEAT_MODIFIERS: [&str; 11] = [
    "59", "XE", "XP", "XS", "XU", "76", "77", "91", "RT", "LT", "50",
];

/// A line's HCPCS code, service date, performing provider and modifiers.
struct LineCode {
    hcpcs: String,
    day: String,
    npi: String,
    mods: Vec<String>,
}

fn line_codes(c: &Claim) -> Vec<LineCode> {
    let professional = c.kind == ClaimType::Carrier;
    let (day, npi) = if professional {
        (Col::LINE_1ST_EXPNS_DT, Col::PRF_PHYSN_NPI)
    } else {
        (Col::REV_CNTR_DT, Col::RNDRNG_PHYSN_NPI)
    };
    c.lines
        .as_ref()
        .unwrap()
        .iter()
        .filter_map(|l| {
            Some(LineCode {
                hcpcs: text(l, Col::HCPCS_CD)?,
                day: l
                    .get(day)
                    .as_date()
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                npi: text(l, npi).unwrap_or_default(),
                mods: [Col::HCPCS_1ST_MDFR_CD, Col::HCPCS_2ND_MDFR_CD]
                    .into_iter()
                    .filter_map(|m| text(l, m))
                    .collect(),
            })
        })
        .collect()
}

fn is_em(code: &str) -> bool {
    code.parse::<u32>()
        .is_ok_and(|n| (99202..=99499).contains(&n))
        || matches!(code, "G0402" | "G0438" | "G0439" | "G0463")
}

fn is_major(code: &str) -> bool {
    bbgen::seeds::clinical::fee(code).is_some_and(|f| f.tos == "2")
}

#[test]
fn no_line_repeats_a_service_on_the_same_day_without_a_modifier() {
    for t in [ClaimType::Carrier, ClaimType::Outpatient] {
        for c in claims(t) {
            let ls = line_codes(&c);
            for (i, a) in ls.iter().enumerate() {
                let allowed = a
                    .mods
                    .iter()
                    .any(|m| REPEAT_MODIFIERS.contains(&m.as_str()));
                let dup = ls[..i].iter().any(|b| b.hcpcs == a.hcpcs && b.day == a.day);
                assert!(
                    !dup || allowed,
                    "{t:?} claim {}: {} twice on {}",
                    c.card,
                    a.hcpcs,
                    a.day
                );
            }
        }
    }
}

#[test]
fn facility_lines_never_carry_the_professional_component() {
    for c in claims(ClaimType::Outpatient) {
        for l in line_codes(&c) {
            assert!(
                !l.mods.iter().any(|m| m == "26" || m == "TC"),
                "outpatient claim {}: {} with {:?}",
                c.card,
                l.hcpcs,
                l.mods
            );
        }
    }
}

#[test]
fn one_em_per_provider_and_day_and_one_major_procedure_per_claim() {
    for t in [ClaimType::Carrier, ClaimType::Outpatient] {
        for c in claims(t) {
            let ls = line_codes(&c);
            let mut em: Vec<(&str, &str)> = Vec::new();
            for l in ls.iter().filter(|l| is_em(&l.hcpcs)) {
                let key = (l.npi.as_str(), l.day.as_str());
                assert!(
                    !em.contains(&key),
                    "{t:?} claim {}: two E/M on {}",
                    c.card,
                    l.day
                );
                em.push(key);
                // Modifier 25: a significant, separately identifiable E/M beside a procedure.
                let procedure = ls.iter().any(|p| p.day == l.day && is_major(&p.hcpcs));
                assert_eq!(
                    l.mods.iter().any(|m| m == "25"),
                    procedure,
                    "{t:?} claim {}: modifier 25 on {}",
                    c.card,
                    l.hcpcs
                );
            }
            let major = ls.iter().filter(|l| is_major(&l.hcpcs)).count();
            assert!(
                major <= 1,
                "{t:?} claim {}: {major} major procedures",
                c.card
            );
        }
    }
}

#[test]
fn dialysis_months_bill_three_sessions_a_week() {
    let months: Vec<usize> = claims(ClaimType::Outpatient)
        .iter()
        .filter(|c| c.header.view().get(Col::CLM_FAC_TYPE_CD).as_str() == Some("7"))
        .map(|c| {
            line_codes(c)
                .iter()
                .filter(|l| matches!(l.hcpcs.as_str(), "90935" | "90937"))
                .count()
        })
        .collect();
    assert!(months.len() > 100, "{} dialysis claims", months.len());
    let mean = months.iter().sum::<usize>() as f64 / months.len() as f64;
    assert!((11.5..=14.0).contains(&mean), "{mean:.1} sessions a month");
    assert!(months.iter().all(|&n| (10..=14).contains(&n)));
}

/// The package unit a dose form is dispensed in, and the least a month's supply holds:
/// tablets and capsules by count, metered-dose inhalers by the gram (one 8.5–12 g canister a
/// month), eye drops by the millilitre (a 2.5 mL bottle), injection pens by the millilitre.
fn month_minimum(dosage_form: &str) -> (&'static str, f64) {
    if dosage_form.starts_with("AEROSOL") {
        ("g", 8.5)
    } else if dosage_form.contains("DROPS") {
        ("mL", 2.5)
    } else if dosage_form.starts_with("INJECTION") {
        ("mL", 3.0)
    } else {
        assert!(
            dosage_form.starts_with("TABLET") || dosage_form.starts_with("CAPSULE"),
            "{dosage_form}"
        );
        ("each", 4.0)
    }
}

#[test]
fn part_d_fills_look_like_pharmacy_fills() {
    let pde = claims(ClaimType::PartD);
    let days = |c: &Claim| c.header.view().get(Col::DAYS_SUPLY_NUM).as_int().unwrap();
    let generic = share(&pde, |c| {
        c.header.view().get(Col::BRND_GNRC_CD).as_str() == Some("G")
    });
    assert!(
        (0.86..=0.94).contains(&generic),
        "generic share {generic:.3}"
    );
    // Acute courses (antibiotics) of 5–14 days beside 30/60/90-day maintenance fills.
    let acute = share(&pde, |c| (5..=14).contains(&days(c)));
    let month = share(&pde, |c| matches!(days(c), 28 | 30));
    let two = share(&pde, |c| matches!(days(c), 56 | 60));
    let three = share(&pde, |c| matches!(days(c), 84 | 90));
    assert!((0.02..=0.1).contains(&acute), "acute fills {acute:.3}");
    assert!((0.5..=0.7).contains(&month), "30-day fills {month:.3}");
    assert!((0.25..=0.42).contains(&three), "90-day fills {three:.3}");
    assert!((0.02..=0.1).contains(&two), "60-day fills {two:.3}");
    assert!(
        (acute + month + two + three - 1.0).abs() < 1e-9,
        "no other days supply"
    );
    for c in &pde {
        let h = c.header.view();
        let d = days(c);
        let fill = h.get(Col::FILL_NUM).as_int().unwrap();
        assert!(fill < 360 / d, "refill {fill} of a {d}-day prescription");
        if d < 28 {
            assert_eq!(fill, 0, "an acute course is not refilled");
        }
        // The quantity is in the package unit of the NDC's dose form, as the NDC table
        // gives it.
        let ndc = h.get(Col::PROD_SRVC_ID);
        let drug = bbgen::codes::ndc::drug(ndc.as_str().unwrap()).expect("NDC in the table");
        let (unit, minimum) = month_minimum(drug.dosage_form());
        let qty = h.get(Col::QTY_DSPNSD_NUM).as_int().unwrap() as f64 / 1000.0;
        if unit == "each" {
            assert_eq!(qty.fract(), 0.0, "{qty} {}", drug.dosage_form());
        }
        let months = (d as f64 / 30.0).max(1.0).floor();
        let least = if d < 28 { 1.0 } else { minimum * months };
        assert!(
            qty >= least,
            "{qty} {unit} of {} for {d} days",
            drug.dosage_form()
        );
    }
    let refills = |n| {
        share(&pde, |c| {
            c.header.view().get(Col::FILL_NUM).as_int() == Some(n)
        })
    };
    assert!(
        refills(1) > refills(5) && refills(5) > refills(10),
        "refills thin out"
    );
}

#[test]
fn every_diagnosis_is_valid_on_its_claims_date() {
    // ICD-10-CM codes are valid from the fiscal year that adds them (G20A1 from 2023-10-01);
    // a claim dated earlier carries the code in use then (G20).
    use bbgen::generate::claim::{coding_date, is_diagnosis_column};
    let (mut retired, mut introduced) = (0, 0);
    for t in ClaimType::ALL {
        for c in claims(t) {
            let Some(on) = coding_date(&c) else { continue };
            let mut rows = vec![c.header.view()];
            rows.extend(c.lines.iter().flat_map(|l| l.iter()));
            for r in rows {
                for col in r.table.columns {
                    if !col.rif.is_some_and(is_diagnosis_column) {
                        continue;
                    }
                    let Some(code) = text(r, col.col) else {
                        continue;
                    };
                    assert!(
                        bbgen::codes::icd10cm_valid_on(&code, on),
                        "{t:?} {}: {code} on {on}",
                        col.col.name()
                    );
                    retired += usize::from(!bbgen::codes::icd10cm().contains(&code));
                    introduced += usize::from(bbgen::codes::icd10cm_introduced(&code).is_some());
                }
            }
        }
    }
    assert!(retired > 100, "{retired} codes of an earlier edition");
    assert!(introduced > 100, "{introduced} codes added since 2015");
}
