//! The api layer against the files of a small run: every read is its NDJSON line byte for
//! byte, search pages hold exactly the patient's EOB lines in the API's order, the bundle
//! files are the api's own pages, filters select what an independent reading of the NDJSON
//! selects, paging links lead through the whole result, and bad ids and parameters get the
//! sandbox's answers.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use bbgen::Options;
use bbgen::api::{Api, ApiError, SearchParams};
use bbgen::emit::fhir::FhirVersion::R4;
use bbgen::emit::fhir::bundle::SANDBOX_BASE;

const BASE: &str = "http://localhost:8000/v2/fhir/";

/// The run's data options, on the command line and as [`Options`].
const ARGS: [&str; 8] = [
    "--users",
    "40",
    "--offset",
    "29980",
    "--seed",
    "7",
    "--claims-scale",
    "0.2",
];

fn options() -> Options {
    Options {
        users: 40,
        offset: 29_980,
        seed: 7,
        claims_scale: 0.2,
        ..Options::default()
    }
}

/// One resource line of the run's NDJSON: its bytes and the fields the checks read.
struct Line {
    bytes: Vec<u8>,
    id: String,
    /// `Patient/<id>` of an EOB or Coverage, the id of a Patient.
    patient: String,
    /// An EOB's `billablePeriod.end`.
    service_end: Option<String>,
}

struct Run {
    out: PathBuf,
    api: Api,
    patients: Vec<Line>,
    coverages: Vec<Line>,
    eobs: Vec<Line>,
}

/// The run (FHIR NDJSON and bundle files), written once for all tests of this file.
fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let mut args = ARGS.to_vec();
        args.extend(["--formats", "fhir,bundles", "--force"]);
        let out = common::generate(&dir, "api-run", &args);
        let api = Api::new(options()).expect("valid options");
        let lines = |name: &str| read_lines(&out.join("fhir").join(name));
        Run {
            patients: lines("Patient.ndjson"),
            coverages: lines("Coverage.ndjson"),
            eobs: lines("ExplanationOfBenefit.ndjson"),
            out,
            api,
        }
    })
}

fn read_lines(path: &std::path::Path) -> Vec<Line> {
    let text = std::fs::read(path).expect("NDJSON file");
    text.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_slice(l).expect("JSON line");
            let id = v["id"].as_str().expect("id").to_string();
            let patient = match v["resourceType"].as_str() {
                Some("Patient") => id.clone(),
                Some("Coverage") => v["beneficiary"]["reference"].as_str().unwrap()[8..].into(),
                _ => v["patient"]["reference"].as_str().unwrap()[8..].into(),
            };
            let service_end = v["billablePeriod"]["end"].as_str().map(String::from);
            Line {
                bytes: l.to_vec(),
                id,
                patient,
                service_end,
            }
        })
        .collect()
}

/// A patient's EOB lines in the API's order: by claim id as text, then type.
fn eob_lines_of<'a>(run: &'a Run, patient: &str) -> Vec<&'a Line> {
    let mut lines: Vec<&Line> = run.eobs.iter().filter(|l| l.patient == patient).collect();
    lines.sort_by_key(|l| {
        let (t, claim) = l.id.split_once('-').expect("type-claim");
        (claim.to_string(), t.to_string())
    });
    lines
}

fn pairs(query: &[(&str, &str)]) -> Vec<(String, String)> {
    query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn params(query: &[(&str, &str)]) -> SearchParams {
    SearchParams::from_query(BASE, &pairs(query)).expect("valid parameters")
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("JSON")
}

/// The `entry` part of a page that holds exactly `lines`, as the page must end.
fn entries_suffix(lines: &[&Line]) -> Vec<u8> {
    let mut out = b",\"entry\":[".to_vec();
    for (n, l) in lines.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"resource\":");
        out.extend_from_slice(&l.bytes);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    out
}

/// Every EOB page of user `i`'s search with `query` (plus `_count`), following `next` links.
fn all_pages(api: &Api, i: u64, query: &[(&str, &str)], count: usize) -> Vec<Vec<u8>> {
    let count = count.to_string();
    let mut q = pairs(query);
    q.push(("_count".into(), count));
    let mut pages = Vec::new();
    loop {
        let page = api
            .search_eob(R4, i, &SearchParams::from_query(BASE, &q).unwrap())
            .unwrap();
        let next = link(&json(&page), "next");
        pages.push(page);
        match next {
            Some(url) => q = query_of(&url),
            None => return pages,
        }
    }
}

fn link(page: &serde_json::Value, rel: &str) -> Option<String> {
    page["link"]
        .as_array()?
        .iter()
        .find(|l| l["relation"] == rel)
        .map(|l| l["url"].as_str().unwrap().to_string())
}

/// The decoded query pairs of a URL.
fn query_of(url: &str) -> Vec<(String, String)> {
    let (_, query) = url.split_once('?').expect("a query");
    bbgen::api::query_pairs(query)
}

fn index(run: &Run, patient: &str) -> u64 {
    run.api.resolve(patient).expect("a patient of the run")
}

#[test]
fn reads_are_the_ndjson_lines() {
    let run = run();
    assert_eq!(run.patients.len(), 40);
    for l in &run.patients {
        assert_eq!(
            run.api.read_patient(R4, &l.id, BASE).unwrap(),
            l.bytes,
            "{}",
            l.id
        );
    }
    assert!(run.coverages.len() >= 80, "parts A and B at least");
    for l in &run.coverages {
        assert_eq!(
            run.api.read_coverage(R4, &l.id, BASE).unwrap(),
            l.bytes,
            "{}",
            l.id
        );
    }
    assert!(run.eobs.len() > 1000);
    for l in &run.eobs {
        assert_eq!(
            run.api.read_eob(R4, &l.id, BASE).unwrap(),
            l.bytes,
            "{}",
            l.id
        );
        let holder = run.api.eob_holder(&l.id).unwrap();
        assert_eq!(holder, index(run, &l.patient), "{}", l.id);
    }
}

#[test]
fn eob_ids_of_no_claim_of_this_run_are_not_found() {
    let run = run();
    let not_found = || ApiError::NotFound("Not found.".into());
    // A claim of a user before the run, of the same seed.
    let before = Api::new(Options {
        offset: 0,
        ..options()
    })
    .unwrap();
    let theirs =
        json(&before.search_eob(R4, 0, &params(&[])).unwrap())["entry"][0]["resource"]["id"]
            .as_str()
            .unwrap()
            .to_string();
    assert!(before.read_eob(R4, &theirs, BASE).is_ok());
    assert_eq!(run.api.read_eob(R4, &theirs, BASE), Err(not_found()));
    assert_eq!(run.api.eob_holder(&theirs), Err(not_found()));
    // A claim id of the run under another type's name.
    let (t, claim) = run.eobs[0].id.split_once('-').unwrap();
    let other = if t == "pde" { "carrier" } else { "pde" };
    for id in [
        format!("{other}-{claim}"),
        format!("bogus-{claim}"),
        "pde--1".into(),
    ] {
        assert_eq!(run.api.read_eob(R4, &id, BASE), Err(not_found()), "{id}");
    }
    assert_eq!(
        run.api.read_eob(R4, "pde_1", BASE),
        Err(ApiError::BadRequest(
            "An error occurred contacting the upstream server:Unsupported ID pattern: pde_1".into()
        ))
    );
}

#[test]
fn eob_pages_hold_the_patients_lines_in_order() {
    let run = run();
    let mut paged = 0;
    for p in &run.patients {
        let i = index(run, &p.id);
        let lines = eob_lines_of(run, &p.id);
        let pages = all_pages(&run.api, i, &[], 7);
        assert_eq!(pages.len(), lines.len().div_ceil(7).max(1), "{}", p.id);
        for (page, chunk) in pages.iter().zip(lines.chunks(7)) {
            assert!(page.ends_with(&entries_suffix(chunk)), "{}", p.id);
            assert_eq!(json(page)["total"], lines.len());
        }
        paged += usize::from(pages.len() > 2);
    }
    assert!(paged > 5, "patients with three pages or more: {paged}");
}

#[test]
fn bundle_files_are_the_api_document_and_its_pages() {
    let run = run();
    for p in run.patients.iter().take(10) {
        let i = index(run, &p.id);
        let file = std::fs::read(run.out.join(format!("fhir/bundles/{}.json", p.id))).unwrap();
        assert_eq!(run.api.document(i), file, "{}", p.id);
        let inside = |page: &[u8]| {
            let mut entry = b"{\"resource\":".to_vec();
            entry.extend_from_slice(page);
            entry.push(b'}');
            file.windows(entry.len()).any(|w| w == entry.as_slice())
        };
        let sandbox = SearchParams::new(SANDBOX_BASE);
        assert!(inside(&run.api.search_coverage(R4, i, &sandbox).unwrap()));
        let n = eob_lines_of(run, &p.id).len();
        for start in (0..n.max(1)).step_by(10) {
            let q = SearchParams {
                start_index: Some(start),
                ..SearchParams::new(SANDBOX_BASE)
            };
            assert!(
                inside(&run.api.search_eob(R4, i, &q).unwrap()),
                "{} page {start}",
                p.id
            );
        }
    }
}

#[test]
fn paging_links_lead_through_the_result() {
    let run = run();
    let p = run
        .patients
        .iter()
        .max_by_key(|p| eob_lines_of(run, &p.id).len())
        .unwrap();
    let (i, n) = (index(run, &p.id), eob_lines_of(run, &p.id).len());
    assert!(n > 12, "a patient with several pages of 5: {n}");
    let page = |q: &[(&str, &str)]| json(&run.api.search_eob(R4, i, &params(q)).unwrap());
    let middle = page(&[
        ("_count", "5"),
        ("startIndex", "5"),
        ("type", "carrier,pde"),
    ]);
    let rels: Vec<&str> = middle["link"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["relation"].as_str().unwrap())
        .collect();
    let last = (middle["total"].as_u64().unwrap() as usize - 1) / 5 * 5;
    assert!(last >= 10, "carrier and Part D EOBs fill three pages");
    assert_eq!(rels, ["first", "next", "previous", "last", "self"]);
    let url = |rel| link(&middle, rel).unwrap();
    assert_eq!(
        url("next"),
        format!(
            "{BASE}ExplanationOfBenefit?_format=application%2Fjson%2Bfhir&startIndex=10&_count=5&patient={}&type=carrier%2Cpde",
            p.id
        )
    );
    assert!(url("previous").contains("startIndex=0&"));
    assert!(url("last").contains(&format!("startIndex={last}&")));
    assert_eq!(
        url("self"),
        format!(
            "{BASE}ExplanationOfBenefit/?_count=5&_format=application%2Fjson%2Bfhir&patient={}&startIndex=5&type=carrier%2Cpde",
            p.id
        )
    );
    let coverage = json(
        &run.api
            .search_coverage(R4, i, &params(&[("_count", "1")]))
            .unwrap(),
    );
    let next = link(&coverage, "next").unwrap();
    assert!(next.starts_with(&format!("{BASE}Coverage?")), "{next}");
    assert!(next.ends_with(&format!(
        "startIndex=1&_count=1&beneficiary=Patient%2F{}",
        p.id
    )));
    let patient = json(&run.api.search_patient(R4, i, &params(&[])).unwrap());
    assert_eq!(patient["total"], 1);
    assert_eq!(patient["entry"][0]["resource"]["id"], p.id.as_str());
}

/// The ids a search with `query` lists, all pages.
fn served_ids(run: &Run, i: u64, query: &[(&str, &str)]) -> Vec<String> {
    all_pages(&run.api, i, query, 50)
        .iter()
        .flat_map(|p| {
            json(p)["entry"].as_array().map_or(Vec::new(), |e| {
                e.iter()
                    .map(|e| e["resource"]["id"].as_str().unwrap().to_string())
                    .collect()
            })
        })
        .collect()
}

#[test]
fn filters_select_what_the_ndjson_says() {
    let run = run();
    type Check = fn(&Line) -> bool;
    let cases: [(&[(&str, &str)], Check); 6] = [
        (&[("type", "pde")], |l| l.id.starts_with("pde-")),
        (&[("type", "carrier,DME")], |l| {
            l.id.starts_with("carrier-") || l.id.starts_with("dme-")
        }),
        (
            &[(
                "type",
                "https://bluebutton.cms.gov/resources/codesystem/eob-type|outpatient",
            )],
            |l| l.id.starts_with("outpatient-"),
        ),
        (
            &[
                ("service-date", "ge2024-01-01"),
                ("service-date", "lt2025-01"),
            ],
            |l| {
                let d = l.service_end.as_deref().unwrap();
                ("2024-01-01".."2025-01-01").contains(&d)
            },
        ),
        (
            &[
                ("service-date", "gt2023"),
                ("type", "inpatient,snf,outpatient"),
            ],
            |l| {
                let t = l.id.split_once('-').unwrap().0;
                ["inpatient", "snf", "outpatient"].contains(&t)
                    && l.service_end.as_deref().unwrap() >= "2024-01-01"
            },
        ),
        (&[("_lastUpdated", "gt2025-12-31T23:59:59Z")], |_| true),
    ];
    let mut found: BTreeMap<usize, usize> = BTreeMap::new();
    for p in &run.patients {
        let i = index(run, &p.id);
        let lines = eob_lines_of(run, &p.id);
        for (n, (query, check)) in cases.iter().enumerate() {
            let want: Vec<String> = lines
                .iter()
                .filter(|l| check(l))
                .map(|l| l.id.clone())
                .collect();
            assert_eq!(served_ids(run, i, query), want, "{} {query:?}", p.id);
            *found.entry(n).or_default() += want.len();
        }
        let stale = [("_lastUpdated", "lt2026-01-01")];
        assert!(served_ids(run, i, &stale).is_empty());
        let none = json(&run.api.search_coverage(R4, i, &params(&stale)).unwrap());
        assert_eq!((none["total"].as_u64(), none.get("entry")), (Some(0), None));
        let self_link = link(&none, "self").unwrap();
        assert!(
            self_link.contains("&_lastUpdated=lt2026-01-01&"),
            "{self_link}"
        );
    }
    for (n, count) in found {
        assert!(count > 0, "case {n} selects some EOB somewhere");
    }
}

#[test]
fn unknown_ids_and_bad_parameters_get_the_sandbox_answers() {
    let run = run();
    let api = &run.api;
    let not_found = Err(ApiError::NotFound("Not found.".into()));
    let outside = bbgen::model::ids::bene_id(3).to_string();
    assert_eq!(api.read_patient(R4, &outside, BASE), not_found);
    assert_eq!(api.read_patient(R4, "BBUser29990", BASE), not_found);
    assert_eq!(
        api.read_coverage(R4, &format!("part-a-{outside}"), BASE),
        not_found
    );
    let p = &run.patients[0].id;
    let bad = api.read_coverage(R4, "partparta_1", BASE).unwrap_err();
    assert_eq!(
        bad.to_string(),
        "An error occurred contacting the upstream server:Unsupported ID pattern: partparta_1"
    );
    assert!(matches!(bad, ApiError::BadRequest(_)));
    assert_eq!(
        api.read_coverage(R4, &format!("part-e-{p}"), BASE)
            .unwrap_err(),
        {
            let id = format!("part-e-{p}");
            ApiError::BadRequest(format!(
                "An error occurred contacting the upstream server:Unsupported ID pattern: {id}"
            ))
        }
    );
    assert!(
        api.resolve(&outside)
            .unwrap_err()
            .to_string()
            .contains(&outside)
    );

    let i = index(run, p);
    let n = eob_lines_of(run, p).len();
    let past = api
        .search_eob(R4, i, &params(&[("startIndex", &n.to_string())]))
        .unwrap_err();
    assert_eq!(
        past.to_string(),
        format!(
            "An error occurred contacting the upstream server:Value for startIndex ({n}) must be less than than result size ({n})"
        )
    );
    let detail = |q: &[(&str, &str)]| {
        SearchParams::from_query(BASE, &pairs(q))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(detail(&[("_count", "51")]), "value must be at most 50");
    assert_eq!(detail(&[("_count", "x")]), "expected int");
    assert_eq!(
        detail(&[("type", "bogus")]),
        "the type parameter value is not valid"
    );
    assert_eq!(
        detail(&[("_lastUpdated", "2020-01-01")]),
        "the _lastUpdated operator is not valid"
    );
    assert_eq!(
        detail(&[("service-date", "2020-01-01")]),
        "the service-date operator is not valid"
    );
    // `?_count=5&_count=10`: the last wins.
    let q = params(&[("_count", "5"), ("_count", "10"), ("excludeSAMHSA", "true")]);
    let page = json(&api.search_eob(R4, i, &q).unwrap());
    assert_eq!(page["entry"].as_array().unwrap().len(), n.min(10));
}
