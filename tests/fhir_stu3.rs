//! FHIR STU3 output (the v1 API's shape): an independent strict STU3 parser accepts every
//! resource of a run holding all eight claim types, the files do not depend on the thread
//! count, `bbgen patient --fhir stu3` prints the run's document, and the element paths of
//! BFD's v1 reference responses (`tests/fixtures/bfd/fhir-v1-elements.tsv`) are written, at
//! least 95 % of them per resource type.
//!
//! The run's NDJSON is read one line at a time; only ids and claim types are kept.

mod common;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Command;

use bbgen::emit::fhir::{FhirVersion, Renderer};
use bbgen::model::ClaimType;
use bbgen::{Dataset, Options};
use serde_json::Value as Json;

use common::full::{full_beneficiary, full_claim};
use common::{bbgen, bfd_fixture, file_hashes, generate, outside_tool};

const RUN: &[&str] = &["--users", "64", "--formats", "fhir-stu3,bundles"];

fn checker() -> Option<PathBuf> {
    outside_tool(
        "BBGEN_FHIR_CHECKER",
        "the Python of a venv with tests/fhir_check/requirements.txt installed",
    )
    .map(PathBuf::from)
}

/// Runs the STU3 checker on `paths`.
fn check_stu3(python: &Path, paths: &[&Path]) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fhir_check/check.py");
    Command::new(python)
        .arg(script)
        .arg("--stu3")
        .args(paths)
        .output()
        .expect("the FHIR checker runs")
}

/// Calls `f` with each resource of an NDJSON file, one line at a time.
fn each_resource(path: &Path, mut f: impl FnMut(&Json)) -> usize {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut n = 0;
    for line in BufReader::new(file).lines() {
        let v: Json = serde_json::from_str(&line.expect("a line")).expect("each line is JSON");
        f(&v);
        n += 1;
    }
    n
}

#[test]
fn a_run_is_valid_stu3_with_all_eight_claim_types() {
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(tmp.path(), "run", RUN);
    let dir = out.join("fhir-stu3");
    let mut types = BTreeSet::new();
    let mut patients = BTreeSet::new();
    each_resource(&dir.join("Patient.ndjson"), |p| {
        patients.insert(p["id"].as_str().unwrap().to_string());
    });
    let eobs = each_resource(&dir.join("ExplanationOfBenefit.ndjson"), |e| {
        assert_eq!(e["resourceType"], "ExplanationOfBenefit");
        let patient = e["patient"]["reference"].as_str().unwrap();
        assert!(patients.contains(patient.strip_prefix("Patient/").unwrap()));
        // STU3 has one `insurance`, and v1 names no profile.
        assert!(e["insurance"]["coverage"]["reference"].is_string());
        assert!(e["meta"]["profile"].is_null());
        let code = e["type"]["coding"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["system"] == "https://bluebutton.cms.gov/resources/codesystem/eob-type")
            .and_then(|c| c["code"].as_str())
            .expect("eob-type coding")
            .to_string();
        types.insert(code);
    });
    assert!(eobs > 0);
    assert_eq!(types.len(), 8, "claim types in the run: {types:?}");
    let coverages = each_resource(&dir.join("Coverage.ndjson"), |c| {
        assert!(
            c["grouping"]["subPlan"]
                .as_str()
                .unwrap()
                .starts_with("Part ")
        );
    });
    assert!(coverages >= 2 * patients.len());
    let listed = file_hashes(&out);
    for f in ["Patient", "Coverage", "ExplanationOfBenefit"] {
        assert!(listed.contains_key(&format!("fhir-stu3/{f}.ndjson")), "{f}");
    }
    let bundles = std::fs::read_dir(dir.join("bundles")).unwrap().count();
    assert_eq!(bundles, patients.len());
    let Some(python) = checker() else { return };
    let first_bundle = dir
        .join("bundles")
        .join(format!("{}.json", patients.iter().next().unwrap()));
    let ndjson: Vec<PathBuf> = ["Patient", "Coverage", "ExplanationOfBenefit"]
        .iter()
        .map(|r| dir.join(format!("{r}.ndjson")))
        .chain([first_bundle])
        .collect();
    let paths: Vec<&Path> = ndjson.iter().map(PathBuf::as_path).collect();
    let o = check_stu3(&python, &paths);
    assert!(
        o.status.success(),
        "STU3 checker rejected the run: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("(FHIR 3.0.2)"));
}

#[test]
fn the_stu3_checker_rejects_what_stu3_has_not() {
    let Some(python) = checker() else { return };
    let tmp = tempfile::tempdir().unwrap();
    // An R4 element (`productOrService`) on a STU3 EOB.
    let path = tmp.path().join("bad.ndjson");
    std::fs::write(
        &path,
        "{\"resourceType\":\"ExplanationOfBenefit\",\"id\":\"x\",\"item\":[{\"sequence\":1,\
         \"productOrService\":{\"text\":\"a\"}}]}\n",
    )
    .unwrap();
    assert!(!check_stu3(&python, &[&path]).status.success());
}

#[test]
fn stu3_files_do_not_depend_on_threads_and_patient_prints_the_document() {
    let tmp = tempfile::tempdir().unwrap();
    let one = generate(tmp.path(), "t1", &[RUN, &["--threads", "1"]].concat());
    let two = generate(tmp.path(), "t2", &[RUN, &["--threads", "2"]].concat());
    let (h1, h2) = (file_hashes(&one), file_hashes(&two));
    let stu3 = |h: &std::collections::BTreeMap<String, String>| -> Vec<(String, String)> {
        h.iter()
            .filter(|(p, _)| p.starts_with("fhir-stu3/"))
            .map(|(p, s)| (p.clone(), s.clone()))
            .collect()
    };
    assert!(stu3(&h1).len() > 3);
    assert_eq!(stu3(&h1), stu3(&h2));
    let doc = std::fs::read_dir(one.join("fhir-stu3/bundles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let id = doc.file_stem().unwrap().to_str().unwrap().to_string();
    let o = bbgen(&["patient", &id, "--users", "64", "--fhir", "stu3"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.stdout, std::fs::read(&doc).unwrap());
    let r4 = bbgen(&["patient", &id, "--users", "64", "--fhir"]);
    assert_eq!(
        r4.stdout,
        std::fs::read(one.join("fhir/bundles").join(format!("{id}.json"))).unwrap()
    );
    let bad = bbgen(&["patient", &id, "--users", "64", "--fhir", "dstu2"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("stu3"));
}

// ---- Reference coverage -----------------------------------------------------------------

/// Every (path, "") and (path, url-or-system) pair of a resource, as extract.py lists them.
fn element_paths(v: &Json, path: &str, out: &mut BTreeSet<(String, String)>) {
    match v {
        Json::Object(o) => {
            for (k, x) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                out.insert((p.clone(), String::new()));
                if (k == "url" || k == "system")
                    && let Some(s) = x.as_str()
                {
                    out.insert((p.clone(), s.to_string()));
                }
                element_paths(x, &p, out);
            }
        }
        Json::Array(a) => a.iter().for_each(|x| element_paths(x, path, out)),
        _ => {}
    }
}

/// The share of a v1 response's rows of `fhir-v1-elements.tsv` that `ours` holds, with the
/// rows it lacks. Year-month suffixes of Part D contract URLs (`ptdcntrct01/2018-1`) are
/// compared without the year.
fn coverage(response: &str, ours: &BTreeSet<(String, String)>) -> (f64, Vec<String>) {
    let strip_year = |s: &str| match s.find("ptdcntrct") {
        Some(i) => s[..i + s[i..].find('/').map_or(s.len() - i, |j| j)].to_string(),
        None => s.to_string(),
    };
    let ours: BTreeSet<(String, String)> = ours
        .iter()
        .map(|(p, v)| (p.clone(), strip_year(v)))
        .collect();
    let reference: BTreeSet<(String, String)> = bfd_fixture("fhir-v1-elements.tsv")
        .into_iter()
        .filter(|r| r[0] == response)
        .map(|r| {
            let path = r[1]
                .strip_prefix("entry.resource.")
                .unwrap_or(&r[1])
                .to_string();
            (path, strip_year(r.get(2).map_or("", String::as_str)))
        })
        .collect();
    assert!(
        !reference.is_empty(),
        "fhir-v1-elements.tsv has no {response}"
    );
    let missing: Vec<String> = reference
        .difference(&ours)
        .map(|(p, v)| format!("{p} {v}"))
        .collect();
    let share = 1.0 - missing.len() as f64 / reference.len() as f64;
    (share, missing)
}

#[test]
fn v1_reference_element_paths_are_written() {
    let opts = Options {
        users: 1,
        ..Options::default()
    };
    let ds = Dataset::new(opts.clone()).unwrap();
    let r = Renderer::of(FhirVersion::Stu3, &opts, bbgen::codes::Codes::builtin_ref());
    let b = full_beneficiary(&ds);
    let mut report = Vec::new();
    let mut all = Vec::new();
    let mut measure = |name: &str, response: &str, resources: Vec<Vec<u8>>| {
        let mut ours = BTreeSet::new();
        for out in resources {
            let v: Json = serde_json::from_slice(&out).expect("JSON");
            element_paths(&v, "", &mut ours);
            all.extend_from_slice(&out);
            all.push(b'\n');
        }
        let (share, missing) = coverage(response, &ours);
        eprintln!("{name}: {:.3} of {response}", share);
        if share < 0.95 {
            report.push(format!("{name}: {share:.3}, missing {missing:?}"));
        }
    };
    for (t, file) in [
        (ClaimType::Carrier, "eobReadCarrier.json"),
        (ClaimType::Inpatient, "eobReadInpatient.json"),
        (ClaimType::Outpatient, "eobReadOutpatient.json"),
        (ClaimType::Dme, "eobReadDme.json"),
        (ClaimType::Hha, "eobReadHha.json"),
        (ClaimType::Hospice, "eobReadHospice.json"),
        (ClaimType::Snf, "eobReadSnf.json"),
        (ClaimType::PartD, "eobReadPde.json"),
    ] {
        let mut out = Vec::new();
        r.eob(&mut out, &full_claim(t, b.bene_id));
        measure(t.name(), file, vec![out]);
    }
    let mut out = Vec::new();
    r.patient(&mut out, &b);
    measure("patient", "patientRead.json", vec![out]);
    let coverages = ['a', 'b', 'c', 'd']
        .into_iter()
        .map(|p| {
            let mut out = Vec::new();
            r.coverage(&mut out, &b, p);
            out
        })
        .collect();
    measure("coverage", "coverageSearchByPatientId.json", coverages);
    assert!(
        report.is_empty(),
        "v1 coverage below 0.95:\n{}",
        report.join("\n")
    );
    let Some(python) = checker() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("full.ndjson");
    std::fs::write(&path, &all).unwrap();
    let o = check_stu3(&python, &[&path]);
    assert!(
        o.status.success(),
        "STU3 checker rejected resources built from full records: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}
