//! Patients that could exist: the default deal gives sex-specific claims only to
//! beneficiaries of that sex, checked over every code of every claim of a run against the
//! sex edits of `codesystems/sex.tsv`; then each beneficiary's claims are settled: one
//! death at most, the death date it shows, no care starting long after it, and the ESRD
//! flags of the dialysis claims it holds.

use bbgen::api::{Api, SearchParams};
use bbgen::codes::sex::{hcpcs_sex, icd10cm_sex, icd10pcs_sex};
use bbgen::emit::fhir::FhirVersion;
use bbgen::generate::life::{AFTER_DEATH_DAYS, death_discharge, is_dialysis, start};
use bbgen::model::{Claim, ClaimType, Sex, ids};
use bbgen::schema::Col;
use bbgen::value::{Date, Value};
use bbgen::{Dataset, Options};

/// Every sex-specific code on a claim: diagnoses and procedures of the header, services and
/// line diagnoses of the lines.
fn sexed_codes(c: &Claim) -> Vec<(String, Sex)> {
    let mut out = Vec::new();
    let mut add = |code: Option<&str>, sex_of: fn(&str) -> Option<Sex>| {
        if let Some((code, sex)) = code.and_then(|x| sex_of(x).map(|s| (x, s))) {
            out.push((code.to_string(), sex));
        }
    };
    let h = c.header.view();
    for col in h.table.columns {
        let name = col.col.name();
        let code = h.get(col.col);
        let is_dx =
            (name.contains("DGNS_CD") || name.contains("DGNS_E_CD")) && !name.contains("VRSN");
        if is_dx || name.starts_with("RSN_VISIT_CD") {
            add(code.as_str(), icd10cm_sex);
        } else if name.starts_with("ICD_PRCDR_CD") {
            add(code.as_str(), icd10pcs_sex);
        }
    }
    for l in c.lines.iter().flat_map(|ls| ls.iter()) {
        add(l.get(Col::HCPCS_CD).as_str(), hcpcs_sex);
        add(l.get(Col::LINE_ICD_DGNS_CD).as_str(), icd10cm_sex);
    }
    out
}

#[test]
fn sex_specific_claims_go_only_to_beneficiaries_of_that_sex() {
    let ds = Dataset::new(Options {
        users: 2000,
        ..Options::default()
    })
    .unwrap();
    let (mut fitting, mut wrong) = ([0u32; 2], Vec::new());
    for (bene, claims) in ds.chunk(0..2000) {
        for c in &claims {
            for (code, sex) in sexed_codes(c) {
                if sex == bene.sex() {
                    fitting[sex as usize] += 1;
                } else {
                    wrong.push((bene.username.to_string(), code));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} misfits, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
    // Both sexes still get their own: prostate care for men, mammograms for women.
    assert!(fitting[Sex::Male as usize] > 200, "{fitting:?}");
    assert!(fitting[Sex::Female as usize] > 200, "{fitting:?}");
}

/// The death discharges among a beneficiary's claims.
fn deaths(claims: &[Claim]) -> Vec<Date> {
    claims.iter().filter_map(death_discharge).collect()
}

#[test]
fn a_beneficiary_dies_once_and_no_care_starts_long_after() {
    let ds = Dataset::new(Options {
        users: 2000,
        ..Options::default()
    })
    .unwrap();
    let (mut dead, mut in_care) = (0, 0);
    for (bene, claims) in ds.chunk(0..2000) {
        let who = bene.username.to_string();
        let deaths = deaths(&claims);
        assert!(deaths.len() <= 1, "{who} dies {} times", deaths.len());
        let death = bene.record.get(Col::DEATH_DT).as_date();
        if let Some(&d) = deaths.first() {
            assert_eq!(
                death,
                Some(d),
                "{who}: the death date is the death discharge"
            );
            in_care += 1;
        }
        let Some(d) = death else {
            assert_eq!(bene.record.get(Col::V_DOD_SW), Value::Null, "{who}");
            continue;
        };
        dead += 1;
        assert_eq!(bene.record.get(Col::V_DOD_SW), Value::Str("V"), "{who}");
        for c in &claims {
            let s = start(c).expect("every claim has a first day");
            assert!(
                s.days_since(d) <= AFTER_DEATH_DAYS,
                "{who} died {d:?}, {:?} claim starts {s:?}",
                c.kind
            );
        }
    }
    // Deaths in a hospital, SNF, hospice or home health care, and deaths elsewhere.
    assert!(in_care > 40, "{in_care} of 2000 die in care");
    assert!(dead > in_care + 20, "{dead} of 2000 die");
}

/// A claim the death dropped is in no file, search or read, and the Patient shows the death.
#[test]
fn the_api_serves_the_settled_patient() {
    let api = Api::new(Options {
        users: 300,
        ..Options::default()
    })
    .unwrap();
    let ds = api.dataset();
    let (i, dropped) = (0..300)
        .filter(|&i| !ds.beneficiary(i).record.get(Col::DEATH_DT).is_null())
        .find_map(|i| {
            let kept: Vec<(ClaimType, u64)> =
                ds.claims(i).iter().map(|c| (c.kind, c.card)).collect();
            let slots = ds.slots(i);
            ClaimType::ALL
                .into_iter()
                .flat_map(|t| slots[t].clone().map(move |s| (t, s)))
                .map(|(t, s)| (t, ds.card(t, s)))
                .find(|k| !kept.contains(k))
                .map(|k| (i, k))
        })
        .expect("someone of 300 loses a claim to death");
    let (t, card) = dropped;
    let eob = format!("{}-{}", t.name(), ids::claim_id(t, card));
    assert!(
        api.read_eob(FhirVersion::R4, &eob, "").is_err(),
        "{eob} was dropped"
    );
    assert!(api.eob_holder(&eob).is_err(), "{eob} was dropped");

    let bene = ds.beneficiary(i);
    let patient = api
        .read_patient(FhirVersion::R4, &bene.bene_id.to_string(), "")
        .unwrap();
    let patient: serde_json::Value = serde_json::from_slice(&patient).unwrap();
    let (y, m, d) = bene.record.get(Col::DEATH_DT).as_date().unwrap().ymd();
    assert_eq!(patient["deceasedDateTime"], format!("{y:04}-{m:02}-{d:02}"));

    // Every page of the patient's EOB search: the kept claims, never the dropped one.
    let kept = ds.claims(i).len();
    let mut seen = 0;
    for at in (0..kept).step_by(50) {
        let pairs = [
            ("_count".to_string(), "50".to_string()),
            ("startIndex".to_string(), at.to_string()),
        ];
        let q = SearchParams::from_query("http://localhost/v2/fhir/", &pairs).unwrap();
        let page: serde_json::Value =
            serde_json::from_slice(&api.search_eob(FhirVersion::R4, i, &q).unwrap()).unwrap();
        assert_eq!(page["total"], kept);
        for e in page["entry"].as_array().unwrap() {
            assert_ne!(e["resource"]["id"], eob.as_str(), "{eob} in the search");
            seen += 1;
        }
    }
    assert_eq!(seen, kept);
}

/// The value of a Coverage extension whose URL ends with `name`.
fn extension(coverage: &serde_json::Value, name: &str) -> Option<String> {
    coverage["extension"]
        .as_array()?
        .iter()
        .find(|e| e["url"].as_str().is_some_and(|u| u.ends_with(name)))
        .map(|e| {
            e["valueCoding"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
}

#[test]
fn the_esrd_flags_follow_the_dialysis_claims() {
    let api = Api::new(Options {
        users: 2000,
        ..Options::default()
    })
    .unwrap();
    let ds = api.dataset();
    let (mut on_dialysis, mut read) = (0, 0);
    for (bene, claims) in ds.chunk(0..2000) {
        let who = bene.username.to_string();
        let dialysis = claims.iter().any(is_dialysis);
        let r = &bene.record;
        let esrd = r.get(Col::BENE_ESRD_IND);
        assert_eq!(esrd, Value::Str(if dialysis { "Y" } else { "0" }), "{who}");
        let status = r.get(Col::BENE_MDCR_STATUS_CD);
        let with_esrd = matches!(status.as_str(), Some("11" | "21" | "31"));
        assert_eq!(with_esrd, dialysis, "{who}: status {status:?}");
        let jan = r.get(Col::by_name("MDCR_STUS_JAN_CD").unwrap());
        let dec = r.get(Col::by_name("MDCR_STUS_DEC_CD").unwrap());
        assert_eq!((jan, dec), (status, status), "{who}: the months agree");
        let reason = r.get(Col::BENE_ENTLMT_RSN_CURR);
        if !dialysis {
            assert!(
                matches!(reason.as_str(), Some("0" | "1")),
                "{who}: {reason:?}"
            );
        }
        on_dialysis += u32::from(dialysis);
        // The Coverage resources show the same flags.
        if read < 5 && (dialysis || bene.index < 3) {
            let id = format!("part-a-{}", bene.bene_id);
            let cov = api.read_coverage(FhirVersion::R4, &id, "").unwrap();
            let cov: serde_json::Value = serde_json::from_slice(&cov).unwrap();
            assert_eq!(
                extension(&cov, "esrd_ind").as_deref(),
                esrd.as_str(),
                "{who}"
            );
            assert_eq!(
                extension(&cov, "ms_cd").as_deref(),
                status.as_str(),
                "{who}"
            );
            read += 1;
        }
    }
    assert!(on_dialysis > 100, "{on_dialysis} of 2000 on dialysis");
}

#[test]
fn home_health_periods_do_not_overlap() {
    let ds = Dataset::new(Options {
        users: 2000,
        ..Options::default()
    })
    .unwrap();
    let (mut periods, mut overlapping) = (0, 0);
    for (_, claims) in ds.chunk(0..2000) {
        let span = |c: &Claim| {
            let h = &c.header;
            (
                h.get(Col::CLM_FROM_DT).as_date().unwrap(),
                h.get(Col::CLM_THRU_DT).as_date().unwrap(),
            )
        };
        let hha: Vec<(Date, Date)> = claims
            .iter()
            .filter(|c| c.kind == ClaimType::Hha)
            .map(span)
            .collect();
        periods += hha.len();
        overlapping += (0..hha.len())
            .filter(|&a| {
                (0..hha.len()).any(|b| a != b && hha[a].0 <= hha[b].1 && hha[b].0 <= hha[a].1)
            })
            .count();
    }
    assert!(periods > 300, "{periods} home health periods");
    assert!(
        overlapping * 100 <= periods,
        "{overlapping} of {periods} overlap another"
    );
}
