//! FHIR output: an independent R4 checker accepts every resource, FHIR's own rules hold,
//! references resolve, ids and profiles are as the API serves them, the two layouts agree,
//! output does not depend on the thread count, and every JSON path, extension URL and code
//! system of BFD's reference responses (`tests/fixtures/bfd/fhir-v2-elements.tsv`) appears in
//! bbgen's output for the same claim type.
//!
//! A run is read one resource at a time and remembered by id and digest only, so the tests'
//! memory stays that of one patient's bundle whatever the run's size.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use bbgen::emit::fhir::Renderer;
use bbgen::model::ClaimType;
use bbgen::{Dataset, Options};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use common::full::{full_beneficiary, full_claim};
use common::{bfd_fixture, generate, outside_tool};

/// The checker's Python, set by `.ci/run`; `None` where it is skipped (see
/// [`common::outside_tool`]).
fn checker() -> Option<PathBuf> {
    outside_tool(
        "BBGEN_FHIR_CHECKER",
        "the Python of a venv with tests/fhir_check/requirements.txt installed",
    )
    .map(PathBuf::from)
}

fn checker_command(python: &Path, paths: &[&Path]) -> Command {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fhir_check/check.py");
    let mut c = Command::new(python);
    c.arg(script).args(paths);
    c
}

fn run_checker(python: &Path, paths: &[&Path]) -> std::process::Output {
    checker_command(python, paths)
        .output()
        .expect("the FHIR checker runs")
}

/// Calls `f` with each resource of an NDJSON file, parsed one line at a time so that only one
/// resource is held; returns the number of resources.
fn each_resource(path: &Path, mut f: impl FnMut(&Json)) -> usize {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut n = 0;
    for line in BufReader::new(file).lines() {
        let line = line.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let v: Json = serde_json::from_str(&line).expect("each line is JSON");
        f(&v);
        n += 1;
    }
    n
}

/// Resources by (resource type, id), each as the SHA-256 of its JSON text with sorted keys
/// (serde_json's map is ordered): two indexes are equal exactly when they hold equal
/// resources, and neither holds a resource.
type Index = BTreeMap<(String, String), [u8; 32]>;

/// Adds `r` to `index`; a second resource with the same type and id fails.
fn index_resource(index: &mut Index, r: &Json) {
    let key = (
        r["resourceType"]
            .as_str()
            .expect("resourceType")
            .to_string(),
        r["id"].as_str().expect("id").to_string(),
    );
    let digest: [u8; 32] = Sha256::digest(r.to_string()).into();
    let dup = format!("duplicate {key:?}");
    assert!(index.insert(key, digest).is_none(), "{dup}");
}

/// FHIR's rules for JSON: no empty strings, arrays or objects; no surrounding whitespace.
fn check_rules(v: &Json, at: &str) {
    match v {
        Json::String(s) => {
            assert!(!s.is_empty(), "empty string at {at}");
            assert_eq!(s.trim(), s, "surrounding whitespace at {at}");
        }
        Json::Array(a) => {
            assert!(!a.is_empty(), "empty array at {at}");
            for (i, x) in a.iter().enumerate() {
                check_rules(x, &format!("{at}[{i}]"));
            }
        }
        Json::Object(o) => {
            assert!(!o.is_empty(), "empty object at {at}");
            for (k, x) in o {
                check_rules(x, &format!("{at}.{k}"));
            }
        }
        Json::Null => panic!("null at {at}"),
        _ => {}
    }
}

/// Inside one EOB, every sequence an item points at exists, and contained ids are unique and
/// resolve.
fn check_eob_links(e: &Json) {
    let id = e["id"].as_str().unwrap_or("?");
    let seqs = |k: &str| -> BTreeSet<u64> {
        e[k].as_array()
            .map(|a| a.iter().map(|x| x["sequence"].as_u64().unwrap()).collect())
            .unwrap_or_default()
    };
    let (care, dx, info) = (seqs("careTeam"), seqs("diagnosis"), seqs("supportingInfo"));
    for (k, set) in [
        ("careTeam", &care),
        ("diagnosis", &dx),
        ("supportingInfo", &info),
    ] {
        let n = e[k].as_array().map_or(0, Vec::len);
        assert_eq!(set.len(), n, "{id}: {k} sequences repeat");
    }
    let contained: Vec<&str> = e["contained"]
        .as_array()
        .map(|a| a.iter().map(|c| c["id"].as_str().unwrap()).collect())
        .unwrap_or_default();
    let unique: BTreeSet<&&str> = contained.iter().collect();
    assert_eq!(unique.len(), contained.len(), "{id}: contained ids repeat");
    for item in e["item"].as_array().expect("items") {
        for (k, set) in [
            ("careTeamSequence", &care),
            ("diagnosisSequence", &dx),
            ("informationSequence", &info),
        ] {
            for s in item[k].as_array().into_iter().flatten() {
                assert!(set.contains(&s.as_u64().unwrap()), "{id}: {k} {s} dangles");
            }
        }
    }
    let text = e.to_string();
    for part in text.split("\"reference\":\"#").skip(1) {
        let r = &part[..part.find('"').unwrap()];
        assert!(contained.contains(&r), "{id}: #{r} is not contained");
    }
}

const PREFIX: [(&str, &str, &str); 8] = [
    (
        "CARRIER",
        "carrier-",
        "C4BB-ExplanationOfBenefit-Professional-NonClinician",
    ),
    (
        "INPATIENT",
        "inpatient-",
        "C4BB-ExplanationOfBenefit-Inpatient-Institutional",
    ),
    (
        "OUTPATIENT",
        "outpatient-",
        "C4BB-ExplanationOfBenefit-Outpatient-Institutional",
    ),
    (
        "DME",
        "dme-",
        "C4BB-ExplanationOfBenefit-Inpatient-Institutional",
    ),
    (
        "HHA",
        "hha-",
        "C4BB-ExplanationOfBenefit-Professional-NonClinician",
    ),
    (
        "HOSPICE",
        "hospice-",
        "C4BB-ExplanationOfBenefit-Inpatient-Institutional",
    ),
    (
        "SNF",
        "snf-",
        "C4BB-ExplanationOfBenefit-Inpatient-Institutional",
    ),
    ("PDE", "pde-", "C4BB-ExplanationOfBenefit-Pharmacy"),
];

fn eob_type(e: &Json) -> &str {
    e["type"]["coding"]
        .as_array()
        .expect("type codings")
        .iter()
        .find(|c| c["system"] == "https://bluebutton.cms.gov/resources/codesystem/eob-type")
        .and_then(|c| c["code"].as_str())
        .expect("eob-type coding")
}

/// Starts the independent R4 checker on every NDJSON resource and on whole bundle documents
/// (the first ten; the checks of [`check_bundles`] prove every bundle holds exactly the NDJSON
/// resources, so checking them all would only parse the same resources twice).
fn start_checker(python: &Path, fhir: &Path) -> Child {
    let mut bundle_files: Vec<PathBuf> = std::fs::read_dir(fhir.join("bundles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    bundle_files.sort();
    bundle_files.truncate(10);
    let mut to_check: Vec<PathBuf> = ["Patient", "Coverage", "ExplanationOfBenefit"]
        .iter()
        .map(|r| fhir.join(format!("{r}.ndjson")))
        .collect();
    to_check.extend(bundle_files);
    let to_check: Vec<&Path> = to_check.iter().map(PathBuf::as_path).collect();
    checker_command(python, &to_check)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the FHIR checker starts")
}

/// Checks every Patient and indexes it; returns the patient ids.
fn check_patients(path: &Path, index: &mut Index) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    each_resource(path, |p| {
        let id = p["id"].as_str().unwrap();
        check_rules(p, id);
        index_resource(index, p);
        ids.insert(id.to_string());
    });
    ids
}

/// Checks every Coverage and indexes it: each belongs to a known patient and is named after
/// its part and patient, and every patient has parts A and B.
fn check_coverages(path: &Path, patients: &BTreeSet<String>, index: &mut Index) {
    let mut ids = BTreeSet::new();
    each_resource(path, |c| {
        let id = c["id"].as_str().unwrap();
        check_rules(c, id);
        index_resource(index, c);
        let pid = c["beneficiary"]["reference"]
            .as_str()
            .unwrap()
            .strip_prefix("Patient/")
            .unwrap();
        assert!(patients.contains(pid), "{id}: unknown patient");
        assert!(
            ["a", "b", "c", "d"]
                .iter()
                .any(|p| id == format!("part-{p}-{pid}")),
            "coverage id {id}"
        );
        ids.insert(id.to_string());
    });
    for p in patients {
        assert!(ids.contains(&format!("part-a-{p}")), "{p}: no part A");
        assert!(ids.contains(&format!("part-b-{p}")), "{p}: no part B");
    }
}

/// Checks every EOB and indexes it: links inside it resolve, it belongs to a known patient
/// and that patient's coverage, its id and profile fit its claim type; every claim type
/// occurs. Returns the number of EOBs.
fn check_eobs(path: &Path, patients: &BTreeSet<String>, index: &mut Index) -> usize {
    let mut seen_types = BTreeSet::new();
    let n = each_resource(path, |e| {
        let id = e["id"].as_str().unwrap();
        check_rules(e, id);
        index_resource(index, e);
        check_eob_links(e);
        let pid = e["patient"]["reference"]
            .as_str()
            .unwrap()
            .strip_prefix("Patient/")
            .unwrap();
        assert!(patients.contains(pid), "{id}: unknown patient {pid}");
        let cov = e["insurance"][0]["coverage"]["reference"]
            .as_str()
            .unwrap()
            .strip_prefix("Coverage/")
            .unwrap();
        assert!(
            cov.ends_with(pid),
            "{id}: coverage {cov} of another patient"
        );
        let t = eob_type(e);
        let (_, prefix, profile) = PREFIX.iter().find(|p| p.0 == t).expect("known type");
        assert!(id.starts_with(prefix), "{id} is a {t}");
        let rest = &id[prefix.len()..];
        assert!(
            rest.starts_with('-') && rest[1..].bytes().all(|b| b.is_ascii_digit()),
            "{id}: the claim id is negative"
        );
        assert_eq!(
            e["meta"]["profile"][0].as_str().unwrap(),
            format!("http://hl7.org/fhir/us/carin-bb/StructureDefinition/{profile}"),
            "{id}"
        );
        seen_types.insert(t.to_string());
    });
    assert_eq!(
        seen_types.len(),
        8,
        "all claim types present: {seen_types:?}"
    );
    n
}

/// Checks one patient's bundle document (a collection: the Patient, then the Coverage
/// searchset, then the EOB pages in id order with totals and links) and indexes its
/// resources.
fn check_bundle(path: &Path, index: &mut Index) {
    let doc: Json = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    check_rules(&doc, &path.display().to_string());
    assert_eq!(doc["type"], "collection");
    let entries = doc["entry"].as_array().unwrap();
    let patient = &entries[0]["resource"];
    assert_eq!(patient["resourceType"], "Patient");
    assert_eq!(
        path.file_name().unwrap().to_str().unwrap(),
        format!("{}.json", patient["id"].as_str().unwrap())
    );
    index_resource(index, patient);
    let mut eob_ids = Vec::new();
    for (k, e) in entries.iter().enumerate().skip(1) {
        let b = &e["resource"];
        assert_eq!(b["type"], "searchset");
        let rels: Vec<&str> = b["link"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["relation"].as_str().unwrap())
            .collect();
        assert!(rels.contains(&"first") && rels.contains(&"last") && rels.contains(&"self"));
        let total = b["total"].as_u64().unwrap() as usize;
        let inner = b["entry"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        if k == 1 {
            assert_eq!(total, inner.len(), "coverage total");
        } else {
            assert!(inner.len() <= 10);
            assert_eq!(rels.contains(&"next"), (k - 1) * 10 < total);
        }
        for r in inner {
            let r = &r["resource"];
            if r["resourceType"] == "ExplanationOfBenefit" {
                eob_ids.push(r["id"].as_str().unwrap().to_string());
            }
            index_resource(index, r);
        }
    }
    // BFD's order: claim id as text, then type (`carrier-<id>` → (`<id>`, `carrier`)).
    let mut sorted = eob_ids.clone();
    sorted.sort_by_key(|id| {
        let (t, c) = id.split_once('-').unwrap();
        (c.to_string(), t.to_string())
    });
    assert_eq!(eob_ids, sorted, "EOB entries by claim id, then type");
}

#[test]
fn generated_fhir_is_valid_r4_and_consistent() {
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(
        tmp.path(),
        "o",
        &["--users", "200", "--formats", "fhir,bundles"],
    );
    let fhir = out.join("fhir");
    // The checker runs while the checks below do.
    let checking = checker().map(|python| start_checker(&python, &fhir));

    let mut ndjson = Index::new();
    let patients = check_patients(&fhir.join("Patient.ndjson"), &mut ndjson);
    assert_eq!(patients.len(), 200);
    check_coverages(&fhir.join("Coverage.ndjson"), &patients, &mut ndjson);
    let eobs = check_eobs(
        &fhir.join("ExplanationOfBenefit.ndjson"),
        &patients,
        &mut ndjson,
    );
    assert!(eobs > 1000, "{eobs} EOBs");

    // Bundles hold exactly the NDJSON resources.
    let mut from_bundles = Index::new();
    let mut n_bundles = 0;
    for f in std::fs::read_dir(fhir.join("bundles")).unwrap() {
        check_bundle(&f.unwrap().path(), &mut from_bundles);
        n_bundles += 1;
    }
    assert_eq!(n_bundles, 200);
    assert!(
        from_bundles == ndjson,
        "bundles and NDJSON hold different resources"
    );

    if let Some(checking) = checking {
        let o = checking.wait_with_output().expect("the FHIR checker runs");
        assert!(
            o.status.success(),
            "FHIR checker rejected the output: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn the_checker_rejects_a_broken_resource() {
    let Some(python) = checker() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let opts = Options {
        users: 3,
        ..Options::default()
    };
    let ds = Dataset::new(opts.clone()).unwrap();
    let r = Renderer::new(&opts, bbgen::codes::Codes::builtin_ref());
    let claim = &ds.claims(0)[0];
    let mut good = Vec::new();
    r.eob(&mut good, claim);
    let good_path = tmp.path().join("good.ndjson");
    std::fs::write(&good_path, [&good[..], b"\n"].concat()).unwrap();
    assert!(run_checker(&python, &[&good_path]).status.success());

    let mut v: Json = serde_json::from_slice(&good).unwrap();
    v.as_object_mut().unwrap().remove("status");
    let bad_path = tmp.path().join("bad.ndjson");
    std::fs::write(&bad_path, format!("{v}\n")).unwrap();
    let o = run_checker(&python, &[&bad_path]);
    assert!(!o.status.success(), "a resource without status passed");
    assert!(String::from_utf8_lossy(&o.stderr).contains("INVALID"));

    let mut v: Json = serde_json::from_slice(&good).unwrap();
    v["billablePeriod"]["start"] = Json::from("2023-02-30");
    std::fs::write(&bad_path, format!("{v}\n")).unwrap();
    assert!(
        !run_checker(&python, &[&bad_path]).status.success(),
        "a bad date passed"
    );
}

#[test]
fn fhir_output_does_not_depend_on_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let args = |t| {
        vec![
            "--users",
            "130",
            "--formats",
            "fhir,bundles",
            "--threads",
            t,
        ]
    };
    let a = common::file_hashes(&generate(tmp.path(), "a", &args("1")));
    let b = common::file_hashes(&generate(tmp.path(), "b", &args("2")));
    let fhir = |m: &BTreeMap<String, String>| -> BTreeMap<String, String> {
        m.iter()
            .filter(|(p, _)| p.starts_with("fhir/"))
            .map(|(p, h)| (p.clone(), h.clone()))
            .collect()
    };
    assert!(fhir(&a).len() > 70);
    assert_eq!(fhir(&a), fhir(&b));
}

#[test]
fn patient_fhir_prints_the_bundle_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(tmp.path(), "o", &["--users", "12", "--formats", "bundles"]);
    let o = common::bbgen(&["patient", "BBUser00005", "--users", "12", "--fhir"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ds = Dataset::new(Options {
        users: 12,
        ..Options::default()
    })
    .unwrap();
    let id = ds.beneficiary(5).bene_id;
    let file = std::fs::read(out.join(format!("fhir/bundles/{id}.json"))).unwrap();
    assert_eq!(o.stdout, file);
}

// ---- Reference coverage -----------------------------------------------------------------

/// (path, url-or-system) pairs of the reference that bbgen deliberately does not write, with
/// the reason. Paths are dotted element names without array indexes.
const OMITTED: &[(&str, &str, &str)] = &[(
    "careTeam.qualification.coding.system",
    "http://nucc.org/provider-taxonomy",
    "provider taxonomy comes from NPPES look-ups, not from any RIF column",
)];

/// Every (path, url/system) pair in a resource.
fn pairs(v: &Json, path: &str, out: &mut BTreeSet<(String, String)>) {
    match v {
        Json::Object(o) => {
            for (k, x) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if (k == "url" || k == "system")
                    && let Some(s) = x.as_str()
                {
                    out.insert((p.clone(), normalize(s)));
                }
                pairs(x, &p, out);
            }
        }
        Json::Array(a) => {
            for x in a {
                pairs(x, path, out);
            }
        }
        _ => {}
    }
}

/// Drops the year-month suffix of `ptdcntrct01/2018-1`-style URLs.
fn normalize(s: &str) -> String {
    match s.find("ptdcntrct") {
        Some(i) => match s[i..].find('/') {
            Some(j) => format!("{}/YYYY-M", &s[..i + j]),
            None => s.to_string(),
        },
        None => s.to_string(),
    }
}

/// The (path, url-or-system) pairs of one BFD v2 response, normalized as bbgen's are, from
/// `tests/fixtures/bfd/fhir-v2-elements.tsv`.
fn reference_pairs(response: &str) -> BTreeSet<(String, String)> {
    let set: BTreeSet<(String, String)> = bfd_fixture("fhir-v2-elements.tsv")
        .into_iter()
        .filter(|r| r[0] == response)
        .map(|r| (r[1].clone(), normalize(&r[2])))
        .collect();
    assert!(!set.is_empty(), "fhir-v2-elements.tsv has no {response}");
    set
}

fn missing(
    reference: &BTreeSet<(String, String)>,
    ours: &BTreeSet<(String, String)>,
) -> Vec<String> {
    reference
        .difference(ours)
        .filter(|(p, s)| !OMITTED.iter().any(|o| o.0 == p && o.1 == s))
        .map(|(p, s)| format!("{p} = {s}"))
        .collect()
}

#[test]
fn reference_paths_urls_and_systems_are_all_written() {
    let opts = Options {
        users: 1,
        ..Options::default()
    };
    let ds = Dataset::new(opts.clone()).unwrap();
    let r = Renderer::new(&opts, bbgen::codes::Codes::builtin_ref());
    let b = full_beneficiary(&ds);
    let mut report = Vec::new();
    // Every resource built from fully filled records, for the R4 checker below.
    let mut all = Vec::new();
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
        all.extend_from_slice(&out);
        all.push(b'\n');
        let v: Json = serde_json::from_slice(&out).expect("EOB JSON");
        check_rules(&v, t.name());
        check_eob_links(&v);
        let mut ours = BTreeSet::new();
        pairs(&v, "", &mut ours);
        for m in missing(&reference_pairs(file), &ours) {
            report.push(format!("{}: {m}", t.name()));
        }
    }
    let mut ours = BTreeSet::new();
    let mut out = Vec::new();
    r.patient(&mut out, &b);
    all.extend_from_slice(&out);
    all.push(b'\n');
    pairs(&serde_json::from_slice(&out).unwrap(), "", &mut ours);
    for m in missing(&reference_pairs("patientRead.json"), &ours) {
        report.push(format!("patient: {m}"));
    }
    let mut ours = BTreeSet::new();
    for p in ['a', 'b', 'c', 'd'] {
        let mut out = Vec::new();
        r.coverage(&mut out, &b, p);
        all.extend_from_slice(&out);
        all.push(b'\n');
        let v: Json = serde_json::from_slice(&out).unwrap();
        check_rules(&v, "coverage");
        pairs(&v, "", &mut ours);
    }
    let cov = reference_pairs("coverageSearchByPatientId.json");
    let cov: BTreeSet<(String, String)> = cov
        .into_iter()
        .filter_map(|(p, s)| {
            p.strip_prefix("entry.resource.")
                .map(|p| (p.to_string(), s.clone()))
        })
        .collect();
    for m in missing(&cov, &ours) {
        report.push(format!("coverage: {m}"));
    }
    assert!(
        report.is_empty(),
        "reference paths missing from bbgen's output:\n{}",
        report.join("\n")
    );
    if let Some(d) = std::env::var_os("BBGEN_FHIR_DUMP") {
        std::fs::write(d, &all).unwrap();
    }
    let Some(python) = checker() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("full.ndjson");
    std::fs::write(&path, &all).unwrap();
    let o = run_checker(&python, &[&path]);
    assert!(
        o.status.success(),
        "FHIR checker rejected resources built from full records: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}
