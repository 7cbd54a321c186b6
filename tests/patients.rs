//! Patients that could exist: the default deal gives sex-specific claims only to
//! beneficiaries of that sex, checked over every code of every claim of a run against the
//! sex edits of `codesystems/sex.tsv`.

use bbgen::codes::sex::{hcpcs_sex, icd10cm_sex, icd10pcs_sex};
use bbgen::model::{Claim, Sex};
use bbgen::schema::Col;
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
