//! Claims of the eight types: volumes, coherence with their clinical scenario, amounts,
//! completeness, dates, and the deal (which only moves claims between holders).

use std::collections::HashSet;

use bbgen::codes;
use bbgen::generate::life::{death_discharge, start};
use bbgen::generate::providers::is_valid_npi;
use bbgen::generate::{ClaimTally, scenario_of, settle};
use bbgen::model::{Beneficiary, Claim, ClaimType, PerType, RowRef, Sex, ids};
use bbgen::schema::{Col, SqlType};
use bbgen::seeds::calibration;
use bbgen::seeds::clinical::clinical;
use bbgen::value::{Date, Value};
use bbgen::{Dataset, Options};

fn opts(users: u64) -> Options {
    Options {
        users,
        ..Options::default()
    }
}

/// A man and a woman of the run, to hold sampled cards (a card's scenario fits its holder's
/// sex).
fn holders(ds: &Dataset) -> [Beneficiary; 2] {
    [Sex::Male, Sex::Female].map(|sex| {
        ds.options()
            .user_range()
            .map(|i| ds.beneficiary(i))
            .find(|b| b.sex() == sex)
            .expect("both sexes in the run")
    })
}

/// Card `k` of type `t`, held by a man for even `k` and a woman for odd `k`.
fn card(ds: &Dataset, holders: &[Beneficiary; 2], t: ClaimType, k: u64) -> Claim {
    ds.claim(t, k, &holders[(k % 2) as usize])
}

/// `per_type` claims of every type, straight from the decks of the run's first block.
fn sample(ds: &Dataset, per_type: u64) -> Vec<Claim> {
    let mut out = Vec::new();
    let totals = ds.claims_of(ds.options().user_range());
    let h = holders(ds);
    for t in ClaimType::ALL {
        let n = totals[t].min(per_type);
        for k in 0..n {
            out.push(card(ds, &h, t, k));
        }
    }
    out
}

/// The sex of the beneficiary a claim was given to.
fn holder_sex(ds: &Dataset, c: &Claim) -> Sex {
    let bene_id = c.header.view().get(Col::BENE_ID).as_int().expect("BENE_ID");
    ds.beneficiary(ids::index_of_bene_id(bene_id).expect("a user's BENE_ID"))
        .sex()
}

fn int(r: RowRef, c: Col) -> i64 {
    r.get(c).as_int().unwrap_or(0)
}

fn text(r: RowRef, c: Col) -> Option<String> {
    r.get(c).as_str().map(str::to_owned)
}

#[test]
fn volumes_follow_the_calibration() {
    let ds = Dataset::new(opts(2000)).unwrap();
    let mut seen = [false; 8];
    for i in 0..2000 {
        for (t, c) in ds.claim_counts(i).iter().enumerate() {
            seen[t] |= *c > 0;
        }
    }
    assert!(
        seen.iter().all(|&s| s),
        "every type appears among 2000 users"
    );

    // Means over a larger population (counts only: cheap; a user's counts do not depend on
    // the size of the run).
    let n = 20_000u64;
    let counts: Vec<[u32; 8]> = (0..n).map(|i| ds.claim_counts(i).0).collect();
    for t in ClaimType::ALL {
        let mean = counts.iter().map(|c| f64::from(c[t.index()])).sum::<f64>() / n as f64;
        let want = calibration(t).mean_per_bene;
        assert!(
            (mean - want).abs() <= 0.15 * want,
            "{t:?}: mean {mean:.3}, calibration {want}"
        );
    }
    let none = counts
        .iter()
        .filter(|c| {
            c[ClaimType::Hha.index()] == 0
                && c[ClaimType::Snf.index()] == 0
                && c[ClaimType::Hospice.index()] == 0
        })
        .count();
    assert!(
        none * 2 >= n as usize,
        "{none} of {n} without HHA, SNF or hospice"
    );
    let pde: Vec<u32> = counts.iter().map(|c| c[ClaimType::PartD.index()]).collect();
    let mean = pde.iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64;
    let max = *pde.iter().max().unwrap();
    assert!(f64::from(max) >= 5.0 * mean, "max {max}, mean {mean}");
}

/// The claims dealt to user `i` (before they are settled).
fn dealt(ds: &Dataset, i: u64) -> Vec<Claim> {
    let (holder, slots) = (ds.drawn(i), ds.slots(i));
    ClaimType::ALL
        .into_iter()
        .flat_map(|t| slots[t].clone().map(move |s| (t, s)))
        .map(|(t, s)| ds.claim(t, ds.card(t, s), &holder))
        .collect()
}

#[test]
fn the_tally_counts_claims_and_lines() {
    let ds = Dataset::new(opts(300)).unwrap();
    let mut short = 0;
    for i in 0..300 {
        let (bene, claims) = ds.patient(i);
        let t = ClaimTally::of(&claims);
        let each = PerType::from_fn(|k| claims.iter().filter(|c| c.kind == k).count() as u64);
        assert_eq!(t.claims, each, "user {i}");
        // The counts drawn, less what settling dropped: claims long after a death, home
        // health periods pushed out of the window.
        let counts = ds.claim_counts(i).map(u64::from);
        assert!(t.claims.iter().zip(counts.iter()).all(|(a, b)| a <= b));
        let alive = bene.record.get(Col::DEATH_DT).is_null();
        if alive && counts[ClaimType::Hha] <= 1 {
            assert_eq!(t.claims, counts, "user {i}");
        }
        short += u32::from(t.claims != counts);
        let lines: u64 = claims
            .iter()
            .map(|c| c.lines.as_ref().map_or(1, |l| l.len() as u64))
            .sum();
        assert_eq!(t.total_lines(), lines);
        assert_eq!(t.lines_of(ClaimType::PartD), t.claims_of(ClaimType::PartD));
    }
    assert!(short > 0, "some of 300 die and lose claims");
}

#[test]
fn lines_per_claim_follow_the_calibration() {
    let ds = Dataset::new(opts(20_000)).unwrap();
    for t in ClaimType::ALL {
        if t == ClaimType::PartD {
            continue;
        }
        let n = 1500;
        let h = holders(&ds);
        let total: usize = (0..n)
            .map(|k| card(&ds, &h, t, k).lines.unwrap().len())
            .sum();
        let mean = total as f64 / n as f64;
        let want = calibration(t).lines_per_claim;
        assert!(
            (mean - want).abs() <= 0.15 * want,
            "{t:?}: {mean:.2} lines per claim, calibration {want}"
        );
    }
}

#[test]
fn every_non_nullable_column_is_filled() {
    let ds = Dataset::new(opts(2000)).unwrap();
    for c in sample(&ds, 400) {
        let h = c.header.view();
        for (col, v) in h.table.columns.iter().zip(h.vals) {
            if col.col == Col::BENE_ID {
                continue; // set when the claim is dealt
            }
            assert!(
                col.nullable || !v.is_null(),
                "{:?}: {} is empty",
                c.kind,
                col.db
            );
        }
        if let Some(lines) = &c.lines {
            assert!(!lines.is_empty());
            for l in lines.iter() {
                for (col, v) in l.table.columns.iter().zip(l.vals) {
                    assert!(
                        col.nullable || !v.is_null(),
                        "{:?}: {} is empty",
                        c.kind,
                        col.db
                    );
                }
            }
        }
    }
}

#[test]
fn values_fit_their_columns() {
    let ds = Dataset::new(opts(2000)).unwrap();
    for c in sample(&ds, 300) {
        let rows = std::iter::once(c.header.view()).chain(c.lines.iter().flat_map(|l| l.iter()));
        for r in rows {
            for (col, v) in r.table.columns.iter().zip(r.vals) {
                match (col.ty, v) {
                    (SqlType::Varchar(n) | SqlType::Char(n), Value::Str(_) | Value::Text(_)) => {
                        let s = v.as_str().unwrap();
                        assert!(s.len() <= n as usize, "{}: {s:?} longer than {n}", col.db);
                    }
                    (SqlType::Varchar(_) | SqlType::Char(_), Value::Null) => {}
                    (SqlType::Varchar(_) | SqlType::Char(_), _) => {
                        panic!("{}: {v:?} in a text column", col.db)
                    }
                    (SqlType::Date, Value::Date(_) | Value::Null) => {}
                    (SqlType::Date, _) => panic!("{}: {v:?} in a date column", col.db),
                    (_, Value::Int(_) | Value::Null) => {}
                    (_, _) => panic!("{}: {v:?} in a numeric column", col.db),
                }
            }
        }
    }
}

#[test]
fn dates_stay_in_the_window() {
    let o = opts(2000);
    let (start, end) = (o.start_date(), o.end_date);
    let ds = Dataset::new(o).unwrap();
    let inside = |d: Date| start <= d && d <= end;
    for c in sample(&ds, 400) {
        let h = c.header.view();
        if c.kind == ClaimType::PartD {
            let d = h.get(Col::SRVC_DT).as_date().unwrap();
            assert!(inside(d));
            assert!(h.get(Col::PD_DT).as_date().unwrap() >= d);
            continue;
        }
        let from = h.get(Col::CLM_FROM_DT).as_date().unwrap();
        let thru = h.get(Col::CLM_THRU_DT).as_date().unwrap();
        assert!(
            inside(from) && inside(thru) && from <= thru,
            "{:?} {from}..{thru}",
            c.kind
        );
        let weekly = h.get(Col::NCH_WKLY_PROC_DT).as_date().unwrap();
        assert!(weekly >= thru && weekly <= end);
        for v in h.vals {
            if let Value::Date(d) = v {
                assert!(*d <= end, "{:?}: date {d} after the window", c.kind);
            }
        }
        for l in c.lines.as_ref().unwrap().iter() {
            for col in [
                Col::REV_CNTR_DT,
                Col::LINE_1ST_EXPNS_DT,
                Col::LINE_LAST_EXPNS_DT,
            ] {
                if let Some(d) = l.get(col).as_date() {
                    assert!(from <= d && d <= thru, "{:?}: line date {d}", c.kind);
                }
            }
        }
    }
}

#[test]
fn amounts_add_up() {
    let ds = Dataset::new(opts(2000)).unwrap();
    for c in sample(&ds, 500) {
        let h = c.header.view();
        match c.kind {
            ClaimType::Carrier | ClaimType::Dme => {
                let (mut sub, mut alw, mut pmt, mut ded) = (0, 0, 0, 0);
                for l in c.lines.as_ref().unwrap().iter() {
                    let (p, a, s) = (
                        int(l, Col::LINE_NCH_PMT_AMT),
                        int(l, Col::LINE_ALOWD_CHRG_AMT),
                        int(l, Col::LINE_SBMTD_CHRG_AMT),
                    );
                    assert!(0 <= p && p <= a && a <= s, "{:?}: {p} {a} {s}", c.kind);
                    let d = int(l, Col::LINE_BENE_PTB_DDCTBL_AMT);
                    let co = int(l, Col::LINE_COINSRNC_AMT);
                    assert_eq!(
                        p + d + co,
                        a,
                        "payment + deductible + coinsurance = allowed"
                    );
                    sub += s;
                    alw += a;
                    pmt += p;
                    ded += d;
                }
                assert_eq!(int(h, Col::NCH_CARR_CLM_SBMTD_CHRG_AMT), sub);
                assert_eq!(int(h, Col::NCH_CARR_CLM_ALOWD_AMT), alw);
                assert_eq!(int(h, Col::CLM_PMT_AMT), pmt);
                assert_eq!(int(h, Col::CARR_CLM_CASH_DDCTBL_APLD_AMT), ded);
                assert_eq!(
                    int(h, Col::NCH_CLM_PRVDR_PMT_AMT) + int(h, Col::NCH_CLM_BENE_PMT_AMT),
                    pmt
                );
            }
            ClaimType::PartD => {
                let total = int(h, Col::TOT_RX_CST_AMT);
                let parts = [
                    Col::PTNT_PAY_AMT,
                    Col::OTHR_TROOP_AMT,
                    Col::LICS_AMT,
                    Col::PLRO_AMT,
                    Col::CVRD_D_PLAN_PD_AMT,
                    Col::NCVRD_PLAN_PD_AMT,
                    Col::RPTD_GAP_DSCNT_NUM,
                ];
                assert!(parts.iter().all(|&p| int(h, p) >= 0));
                assert_eq!(parts.iter().map(|&p| int(h, p)).sum::<i64>(), total);
                assert_eq!(
                    int(h, Col::GDC_BLW_OOPT_AMT)
                        + int(h, Col::GDC_ABV_OOPT_AMT)
                        + int(h, Col::NCVRD_PLAN_PD_AMT),
                    total
                );
                assert!(total > 0);
            }
            _ => {
                let lines = c.lines.as_ref().unwrap();
                let last = lines.get(lines.len() - 1);
                assert_eq!(last.get(Col::REV_CNTR).as_str(), Some("0001"));
                let (mut chrg, mut pmt) = (0, 0);
                for l in lines.iter().take(lines.len() - 1) {
                    assert_ne!(l.get(Col::REV_CNTR).as_str(), Some("0001"));
                    let ch = int(l, Col::REV_CNTR_TOT_CHRG_AMT);
                    let p = int(l, Col::REV_CNTR_PMT_AMT_AMT);
                    assert!(ch >= 0 && p >= 0 && p <= ch.max(p), "{:?}", c.kind);
                    if c.kind == ClaimType::Outpatient {
                        assert!(p <= ch, "outpatient payment {p} above charge {ch}");
                    }
                    chrg += ch;
                    pmt += p;
                }
                let total = int(h, Col::CLM_TOT_CHRG_AMT);
                assert_eq!(total, chrg, "{:?}: total charge = sum of lines", c.kind);
                assert_eq!(int(last, Col::REV_CNTR_TOT_CHRG_AMT), total);
                let paid = int(h, Col::CLM_PMT_AMT);
                assert!(
                    paid >= 0 && paid <= total,
                    "{:?}: paid {paid} of {total}",
                    c.kind
                );
                if matches!(
                    c.kind,
                    ClaimType::Outpatient | ClaimType::Hha | ClaimType::Hospice
                ) {
                    assert_eq!(paid, pmt, "{:?}: payment = sum of lines", c.kind);
                }
                if c.kind == ClaimType::Outpatient {
                    let ded: i64 = lines
                        .iter()
                        .map(|l| int(l, Col::REV_CNTR_CASH_DDCTBL_AMT))
                        .sum();
                    assert_eq!(int(h, Col::NCH_BENE_PTB_DDCTBL_AMT), ded);
                }
            }
        }
    }
}

/// The codes a claim carries, by kind.
#[derive(Default)]
struct Codes {
    dx: Vec<String>,
    hcpcs: Vec<String>,
    pcs: Vec<String>,
    drg: Option<String>,
    ndc: Option<String>,
    rev: Vec<(String, Option<String>)>,
}

fn codes_of(c: &Claim) -> Codes {
    let mut out = Codes::default();
    let h = c.header.view();
    for col in h.table.columns {
        let name = col.col.name();
        let v = text(h, col.col);
        let Some(v) = v else { continue };
        if (name.starts_with("ICD_DGNS_") && !name.contains("VRSN"))
            || name == "PRNCPAL_DGNS_CD"
            || name == "ADMTG_DGNS_CD"
            || name == "FST_DGNS_E_CD"
            || name.starts_with("RSN_VISIT_CD")
        {
            out.dx.push(v);
        } else if name.starts_with("ICD_PRCDR_CD") {
            out.pcs.push(v);
        }
    }
    out.drg = text(h, Col::CLM_DRG_CD);
    out.ndc = text(h, Col::PROD_SRVC_ID);
    if let Some(lines) = &c.lines {
        for l in lines.iter() {
            if let Some(d) = text(l, Col::LINE_ICD_DGNS_CD) {
                out.dx.push(d);
            }
            let hc = text(l, Col::HCPCS_CD);
            if let Some(rev) = text(l, Col::REV_CNTR) {
                out.rev.push((rev, hc));
            } else if let Some(hc) = hc {
                out.hcpcs.push(hc);
            }
        }
    }
    out
}

#[test]
fn every_claim_is_coherent_with_its_scenario() {
    let o = opts(2000);
    let ds = Dataset::new(o.clone()).unwrap();
    let cl = clinical();
    let comorbid: HashSet<&str> = cl.comorbid.iter().copied().collect();
    for c in sample(&ds, 400) {
        let sc = scenario_of(&o, c.kind, c.card, holder_sex(&ds, &c));
        assert!(sc.type_weight[c.kind.index()] > 0);
        let codes = codes_of(&c);
        let dx: HashSet<&str> = sc.diagnoses().collect();
        for d in &codes.dx {
            assert!(
                dx.contains(d.as_str())
                    || comorbid.contains(d.as_str())
                    || dx
                        .iter()
                        .chain(&comorbid)
                        .any(|s| codes::icd10cm_introduced(s).is_some_and(|i| i.before == d)),
                "{:?} {}: diagnosis {d} not in the scenario",
                c.kind,
                sc.id
            );
        }
        match c.kind {
            ClaimType::Carrier => {
                for hc in &codes.hcpcs {
                    assert!(
                        sc.carrier.items.iter().any(|f| f.code == hc)
                            || cl.quality.items.iter().any(|f| f.code == hc),
                        "{} {hc}",
                        sc.id
                    );
                }
            }
            ClaimType::Dme => {
                for hc in &codes.hcpcs {
                    assert!(sc.dme.items.iter().any(|f| f.code == hc), "{} {hc}", sc.id);
                }
            }
            ClaimType::Outpatient => {
                let packaged = |rev: &str, hc: Option<&str>| {
                    ["outpatient", "outpatient_surgery"].iter().any(|s| {
                        cl.setting(s)
                            .lines
                            .items
                            .iter()
                            .any(|l| l.rev.code == rev && l.hcpcs == hc)
                    })
                };
                for (rev, hc) in &codes.rev {
                    if rev == "0001" || packaged(rev, hc.as_deref()) {
                        continue;
                    }
                    let hc = hc.as_deref().unwrap();
                    let f = sc.outpatient.items.iter().find(|f| f.code == hc);
                    assert!(f.is_some_and(|f| f.rev == rev), "{} {rev} {hc}", sc.id);
                }
                for p in &codes.pcs {
                    assert!(sc.op_pcs.contains(&p.as_str()), "{} {p}", sc.id);
                }
            }
            ClaimType::Inpatient => {
                let drg = codes.drg.as_deref().unwrap();
                let principal = text(c.header.view(), Col::PRNCPAL_DGNS_CD).unwrap();
                let stay = sc
                    .stays
                    .items
                    .iter()
                    .find(|s| {
                        s.drgs.items.contains(&drg)
                            && codes.pcs.iter().all(|p| s.pcs.contains(&p.as_str()))
                            && (s.dx.is_empty() || s.dx.contains(&principal.as_str()))
                    })
                    .unwrap_or_else(|| panic!("{}: DRG {drg} with {:?}", sc.id, codes.pcs));
                let setting = cl.setting("inpatient");
                for (rev, hc) in &codes.rev {
                    let ok = rev == "0001"
                        || stay
                            .rev
                            .iter()
                            .any(|l| l.rev.code == rev && l.hcpcs == hc.as_deref())
                        || setting
                            .room
                            .items
                            .iter()
                            .chain(&setting.lines.items)
                            .any(|l| l.rev.code == rev && l.hcpcs == hc.as_deref());
                    assert!(ok, "{} inpatient line {rev} {hc:?}", sc.id);
                }
            }
            ClaimType::Snf | ClaimType::Hha | ClaimType::Hospice => {
                let setting = cl.setting(match c.kind {
                    ClaimType::Snf => "snf",
                    ClaimType::Hha => "hha",
                    _ => "hospice",
                });
                for (rev, hc) in &codes.rev {
                    let ok = matches!(rev.as_str(), "0001" | "0022" | "0023")
                        || (rev == "0656" && hc.as_deref() == Some("Q5006"))
                        || sc
                            .snf
                            .iter()
                            .any(|l| l.rev.code == rev && l.hcpcs == hc.as_deref())
                        || setting
                            .room
                            .items
                            .iter()
                            .chain(&setting.lines.items)
                            .any(|l| l.rev.code == rev && l.hcpcs == hc.as_deref());
                    assert!(ok, "{:?} {} line {rev} {hc:?}", c.kind, sc.id);
                }
            }
            ClaimType::PartD => {
                let ndc = codes.ndc.as_deref().unwrap();
                assert!(
                    sc.drugs.items.iter().any(|d| d.ndc == ndc),
                    "{} {ndc}",
                    sc.id
                );
            }
        }
    }
}

#[test]
fn providers_have_valid_npis() {
    let ds = Dataset::new(opts(2000)).unwrap();
    let npi_cols = [
        Col::PRF_PHYSN_NPI,
        Col::ORG_NPI_NUM,
        Col::RFR_PHYSN_NPI,
        Col::CARR_CLM_BLG_NPI_NUM,
        Col::AT_PHYSN_NPI,
        Col::OP_PHYSN_NPI,
        Col::OT_PHYSN_NPI,
        Col::RNDRNG_PHYSN_NPI,
        Col::PRVDR_NPI,
        Col::SRVC_PRVDR_ID,
        Col::PRSCRBR_ID,
    ];
    for c in sample(&ds, 200) {
        let rows = std::iter::once(c.header.view()).chain(c.lines.iter().flat_map(|l| l.iter()));
        for r in rows {
            for col in npi_cols {
                if let Some(n) = r.get(col).as_str() {
                    assert!(is_valid_npi(n), "{:?} {}: {n}", c.kind, col.name());
                }
            }
        }
    }
}

#[test]
fn the_documented_examples_are_scenarios() {
    let cl = clinical();
    let lung = cl.scenario("lung_cancer").expect("Lucille's lung cancer");
    let carrier: Vec<&str> = lung.carrier.items.iter().map(|f| f.code).collect();
    for code in ["99215", "70553", "77385", "77427", "96413"] {
        assert!(
            carrier.contains(&code),
            "lung cancer office claims include {code}"
        );
    }
    let biopsy = lung.stays.items.iter().any(|s| s.pcs.contains(&"0BBC8ZX"));
    assert!(biopsy && lung.op_pcs.contains(&"0BBC8ZX"), "lung biopsy");
    let jack = cl.scenario("diabetes_t2").expect("Jack's type 2 diabetes");
    assert!(jack.dx.items.contains(&"E119"));
    let ndcs: Vec<&str> = jack.drugs.items.iter().map(|d| d.ndc).collect();
    let generic = |n: &str| {
        codes::ndc::drug(n)
            .map(|d| d.generic_name().to_lowercase())
            .unwrap_or_default()
    };
    assert!(ndcs.iter().any(|n| generic(n).contains("metformin")));
    // Glimepiride joins Jack's drugs as soon as the NDC table lists it.
    let has_glimepiride = codes::ndc::Drug::all(codes::ndc())
        .any(|d| d.generic_name().to_lowercase().contains("glimepiride"));
    if has_glimepiride {
        assert!(ndcs.iter().any(|n| generic(n).contains("glimepiride")));
    }
    let hip = cl.scenario("hip_replacement").unwrap();
    assert!(
        hip.stays
            .items
            .iter()
            .any(|s| s.drgs.items.contains(&"470") && s.pcs.contains(&"0SR9019"))
    );
}

/// Every claim of a run, by holder: each block's decks walked slot by slot, each run of
/// slots given to its owner (the order a full run deals them in), then each holder's claims
/// settled.
const BLOCK: u64 = ids::BLOCK_USERS;

fn full_run(ds: &Dataset) -> Vec<Vec<Claim>> {
    let users = ds.options().user_range();
    let slots: Vec<_> = users.clone().map(|i| ds.slots(i)).collect();
    let drawn: Vec<_> = users.clone().map(|i| ds.drawn(i)).collect();
    let mut out: Vec<Vec<Claim>> = vec![Vec::new(); slots.len()];
    for t in ClaimType::ALL {
        let mut next = slots[0][t].start;
        for (u, s) in slots.iter().enumerate() {
            let r = s[t].clone();
            let i = users.start + u as u64;
            if i.is_multiple_of(BLOCK) {
                next = ids::card(i / BLOCK, 0);
            }
            assert_eq!(
                r.start, next,
                "slots of {t:?} are contiguous within a block"
            );
            next = r.end;
            for slot in r {
                out[u].push(ds.claim(t, ds.card(t, slot), &drawn[u]));
            }
        }
    }
    for (mut bene, claims) in drawn.into_iter().zip(&mut out) {
        settle(&mut bene, claims, ds.options().end_date);
    }
    out
}

#[test]
fn a_beneficiary_alone_equals_its_claims_in_the_full_run() {
    // 1,000 to 1,120 straddles the first two blocks.
    let ds = Dataset::new(Options {
        offset: 1000,
        ..opts(120)
    })
    .unwrap();
    let full = full_run(&ds);
    for i in (1000..1120).rev() {
        assert_eq!(ds.claims(i), full[i as usize - 1000], "user {i}");
    }
}

#[test]
fn a_user_holds_the_same_claims_in_every_run_that_contains_it() {
    let big = Dataset::new(opts(3000)).unwrap();
    for (offset, users) in [(1000, 300), (2047, 1), (1500, 1500), (0, 2049)] {
        let small = Dataset::new(Options {
            offset,
            ..opts(users)
        })
        .unwrap();
        for i in [offset, offset + users / 2, offset + users - 1] {
            assert_eq!(
                small.claims(i),
                big.claims(i),
                "user {i}, run {offset}+{users}"
            );
        }
    }
}

fn id_of(c: &Claim) -> i64 {
    c.header
        .view()
        .get(c.kind.info().id_column)
        .as_int()
        .unwrap()
}

#[test]
fn every_claim_id_leads_back_to_its_holder() {
    let ds = Dataset::new(Options {
        offset: 1000,
        ..opts(60)
    })
    .unwrap();
    let mut n = 0;
    for (bene, claims) in ds.chunk(1000..1060) {
        let i = ids::index_of_bene_id(bene.bene_id).unwrap();
        for c in claims {
            assert_eq!(ds.holder_of(id_of(&c)), Some(i));
            n += 1;
        }
    }
    assert!(n > 5000, "{n} claims");
    // A card of a block user outside the run, a place past a deck, and no claim id at all.
    let other = Dataset::new(opts(1)).unwrap();
    let held_by_0 = id_of(&other.claims(0)[0]);
    assert_eq!(ds.holder_of(held_by_0), None, "user 0 is not in the run");
    assert_eq!(other.holder_of(held_by_0), Some(0));
    assert_eq!(
        ds.holder_of(ids::claim_id(ClaimType::Snf, ids::card(0, 999_999_999))),
        None
    );
    assert_eq!(ds.holder_of(42), None);
}

#[test]
fn the_deal_only_moves_claims_between_holders() {
    // Two whole blocks: a block's deck holds exactly its users' claims.
    let users = 2 * BLOCK;
    let shuffled = Dataset::new(opts(users)).unwrap();
    let ordered = Dataset::new(opts(users)).unwrap().with_identity_deal();
    let cards = |ds: &Dataset| -> Vec<(ClaimType, u64)> {
        let mut all = Vec::new();
        for i in 0..users {
            let slots = ds.slots(i);
            for t in ClaimType::ALL {
                all.extend(slots[t].clone().map(|s| (t, ds.card(t, s))));
            }
        }
        all.sort();
        all
    };
    let (a, b) = (cards(&shuffled), cards(&ordered));
    assert_eq!(
        a.len() as u64,
        shuffled.claims_of(0..users).iter().sum::<u64>()
    );
    assert!(a == b, "the same cards, whoever holds them");
    // A dealt claim is the card's claim, given to its holder; settling it may only drop it,
    // move a home health period or make a death discharge a routine one.
    let (mut survived, mut moved) = (0, 0);
    for i in (0..300).chain([users - 1]) {
        let kept = shuffled.claims(i);
        let mut cards = dealt(&shuffled, i).into_iter();
        for c in kept {
            let mut card = cards
                .find(|d| (d.kind, d.card) == (c.kind, c.card))
                .unwrap();
            let days = start(&c).unwrap().days_since(start(&card).unwrap());
            if days != 0 {
                // A home health period moved later by whole weeks.
                assert_eq!(c.kind, ClaimType::Hha, "user {i}");
                assert!(days > 0 && days % 7 == 0, "user {i}: moved {days} days");
                card.header.shift_dates(days);
                card.lines.as_mut().unwrap().shift_dates(days);
                moved += 1;
            }
            if c != card {
                assert!(death_discharge(&card).is_some(), "user {i}: {c:?}");
                assert_eq!(c.header.get(Col::PTNT_DSCHRG_STUS_CD), Value::Str("01"));
                for col in [Col::PTNT_DSCHRG_STUS_CD, Col::NCH_PTNT_STATUS_IND_CD] {
                    if card.header.table().position(col).is_some() {
                        card.header.set(col, c.header.get(col));
                    }
                }
                survived += 1;
            }
            assert!(c == card, "user {i}: only the dates or discharge changed");
        }
    }
    assert!(
        moved > 0,
        "some of 300 users held overlapping home health periods"
    );
    assert!(survived > 0, "some of 300 users held two deaths");
    // And the shuffle does move them.
    let holder_cards = |ds: &Dataset| -> Vec<u64> { ds.claims(0).iter().map(|c| c.card).collect() };
    assert_ne!(holder_cards(&shuffled), holder_cards(&ordered));
}

#[test]
fn claims_are_deterministic() {
    let a = Dataset::new(opts(300)).unwrap();
    let b = Dataset::new(opts(300)).unwrap();
    for i in [0, 7, 150, 299] {
        assert_eq!(a.claims(i), a.claims(i));
        assert_eq!(a.claims(i), b.claims(i));
    }
    for t in ClaimType::ALL {
        assert_eq!(
            a.claim(t, 3, &a.beneficiary(0)),
            b.claim(t, 3, &b.beneficiary(0))
        );
    }
}

#[test]
fn every_seed_code_is_in_the_code_tables() {
    let cl = clinical();
    let icd = codes::icd10cm();
    let pcs = codes::icd10pcs();
    let hcpcs = codes::hcpcs();
    let revs = codes::revenue_centers();
    let ndc = codes::ndc();
    let mut bad = Vec::new();
    let mut check = |ok: bool, what: &str, code: &str, id: &str| {
        if !ok {
            bad.push(format!("{id}: {what} {code}"));
        }
    };
    for c in &cl.comorbid {
        check(icd.contains(c), "ICD-10-CM", c, "comorbid");
        check(
            !codes::sud::is_sud_icd10cm(c),
            "SUD diagnosis",
            c,
            "comorbid",
        );
    }
    for s in &cl.scenarios {
        for d in s.diagnoses() {
            check(icd.contains(d), "ICD-10-CM", d, s.id);
            check(!codes::sud::is_sud_icd10cm(d), "SUD diagnosis", d, s.id);
        }
        for f in s.carrier.items.iter().chain(&s.outpatient.items) {
            check(hcpcs.contains(f.code), "HCPCS", f.code, s.id);
            check(revs.contains(f.rev), "revenue center", f.rev, s.id);
        }
        for f in &s.dme.items {
            check(hcpcs.contains(f.code), "HCPCS", f.code, s.id);
        }
        for p in &s.op_pcs {
            check(pcs.contains(p), "ICD-10-PCS", p, s.id);
            check(!codes::sud::is_sud_pcs(p), "SUD procedure", p, s.id);
        }
        for st in &s.stays.items {
            for d in &st.drgs.items {
                check(codes::ms_drg().contains(d), "MS-DRG", d, s.id);
                check(!codes::sud::is_sud_drg(d), "SUD DRG", d, s.id);
            }
            for p in &st.pcs {
                check(pcs.contains(p), "ICD-10-PCS", p, s.id);
                check(!codes::sud::is_sud_pcs(p), "SUD procedure", p, s.id);
            }
            for l in &st.rev {
                check(
                    revs.contains(l.rev.code),
                    "revenue center",
                    l.rev.code,
                    s.id,
                );
            }
        }
        for d in &s.drugs.items {
            check(ndc.contains(d.ndc), "NDC", d.ndc, s.id);
        }
    }
    for (name, st) in &cl.settings {
        for l in st.room.items.iter().chain(&st.lines.items) {
            check(
                revs.contains(l.rev.code),
                "revenue center",
                l.rev.code,
                name,
            );
            if let Some(h) = l.hcpcs {
                check(hcpcs.contains(h), "HCPCS", h, name);
            }
        }
    }
    for r in bbgen::seeds::clinical::revenues() {
        check(
            revs.contains(r.code),
            "revenue center",
            r.code,
            "revenue.tsv",
        );
    }
    for f in bbgen::seeds::clinical::fees() {
        for m in f.mods.iter().filter(|m| **m != "-") {
            check(codes::hcpcs::modifiers().contains(m), "modifier", m, f.code);
        }
    }
    for f in bbgen::seeds::clinical::dmepos_items() {
        for m in f
            .mods
            .iter()
            .filter(|m| **m != "-")
            .flat_map(|m| m.split('+'))
        {
            check(codes::hcpcs::modifiers().contains(m), "modifier", m, f.code);
        }
    }
    assert!(
        bad.is_empty(),
        "codes missing from the code tables:\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_emitted_code_is_in_the_code_tables_and_none_is_sud() {
    let ds = Dataset::new(opts(2000)).unwrap();
    for c in sample(&ds, 400) {
        let k = codes_of(&c);
        let on = bbgen::generate::claim::coding_date(&c);
        for d in &k.dx {
            assert!(
                on.is_some_and(|on| codes::icd10cm_valid_on(d, on)),
                "{:?}: ICD-10-CM {d} on {on:?}",
                c.kind
            );
            assert!(!codes::sud::is_sud_icd10cm(d), "{:?}: SUD {d}", c.kind);
        }
        for p in &k.pcs {
            assert!(
                codes::icd10pcs().contains(p),
                "{:?}: ICD-10-PCS {p}",
                c.kind
            );
            assert!(!codes::sud::is_sud_pcs(p));
        }
        if let Some(d) = &k.drg {
            assert!(
                codes::ms_drg().contains(d) && !codes::sud::is_sud_drg(d),
                "DRG {d}"
            );
        }
        if let Some(n) = &k.ndc {
            assert!(codes::ndc().contains(n), "NDC {n}");
        }
        for h in &k.hcpcs {
            assert!(codes::hcpcs().contains(h), "{:?}: HCPCS {h}", c.kind);
        }
        for (rev, h) in &k.rev {
            assert!(
                codes::revenue_centers().contains(rev),
                "revenue center {rev}"
            );
            // SNF and home health lines carry the HIPPS code of their 0022/0023 line in
            // HCPCS_CD.
            if let Some(h) = h.as_deref().filter(|_| rev != "0022" && rev != "0023") {
                assert!(
                    codes::hcpcs().contains(h),
                    "{:?}: HCPCS {h} on {rev}",
                    c.kind
                );
            }
        }
        if let Some(lines) = &c.lines {
            for l in lines.iter() {
                let on_hipps_line = matches!(l.get(Col::REV_CNTR).as_str(), Some("0022" | "0023"));
                if let (Some(h), Some(b)) =
                    (l.get(Col::HCPCS_CD).as_str(), l.get(Col::BETOS_CD).as_str())
                    && !on_hipps_line
                {
                    assert_eq!(codes::betos_of(h), Some(b));
                }
            }
        }
    }
}

#[test]
fn coded_columns_hold_ccw_codebook_values() {
    // Columns whose codebook lists only historical values: contractor numbers and provider
    // numbers (current ones are issued since), the year digit ("1 = 2011 … etc."), claim
    // adjustment reasons (the codebook lists group and reason codes apart; the RIF joins
    // them, e.g. CO45), APC/HIPPS codes (the codebook predates the current APCs and PDGM) and
    // Part D contracts (the codebook lists a few special ones).
    const OPEN: [&str; 9] = [
        "CARR_NUM",
        "PRVDR_NUM",
        "CARR_CLM_HCPCS_YR_CD",
        "REV_CNTR_1ST_ANSI_CD",
        "REV_CNTR_2ND_ANSI_CD",
        "REV_CNTR_3RD_ANSI_CD",
        "REV_CNTR_4TH_ANSI_CD",
        "REV_CNTR_APC_HIPPS_CD",
        "PLAN_CNTRCT_REC_ID",
    ];
    let ds = Dataset::new(opts(2000)).unwrap();
    for c in sample(&ds, 300) {
        let rows = std::iter::once(c.header.view()).chain(c.lines.iter().flat_map(|l| l.iter()));
        for r in rows {
            for (col, v) in r.table.columns.iter().zip(r.vals) {
                let (Some(s), Some(rif)) = (v.as_str(), col.rif) else {
                    continue;
                };
                if OPEN.contains(&rif) {
                    continue;
                }
                let mut vals = codes::ccw::values(rif).peekable();
                if vals.peek().is_none() {
                    continue;
                }
                let ok =
                    vals.any(|x| x.code == s) || (rif == "CARR_LINE_PRCNG_LCLTY_CD" && s == "88");
                assert!(ok, "{:?}: {rif} = {s} is not in the CCW codebook", c.kind);
            }
        }
    }
}
