//! `bbgen serve`'s v1 API (SERVE.md §a.3): STU3 bodies under `/v1/fhir/` equal to the
//! `--formats fhir-stu3` files of the same options, one token for v1 and v2, the authorize flow
//! under `/v1/o/`, and paging, errors and gzip exactly as under `/v2`; the v1 metadata is an
//! STU3 CapabilityStatement that an independent STU3 parser accepts.

mod common;
mod serve_support;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde_json::Value;
use serve_support::*;

/// The data options of every server here (and of the file run they are compared with).
const DATA: [&str; 6] = ["--users", "20", "--seed", "7", "--claims-scale", "0.3"];

/// The hosted sandbox's origin, so served links equal the bundle files' links.
const SANDBOX: &str = "https://sandbox.bluebutton.cms.gov";

fn start(extra: &[&str]) -> Sandbox {
    let mut args = DATA[2..].to_vec();
    args.extend_from_slice(extra);
    Sandbox::start_with_users("20", &args)
}

fn token(sb: &Sandbox, user: u64) -> (String, String) {
    let t = tokens(sb, &sb.default_app(), user);
    (s(&t["access_token"]), s(&t["patient"]))
}

fn get(sb: &Sandbox, path: &str, tok: &str) -> (u16, String) {
    let r = sb.get_auth(path, tok);
    (r.status().as_u16(), r.text().unwrap())
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn detail(text: &str) -> String {
    format!("{{\"detail\":{}}}", serde_json::to_string(text).unwrap())
}

/// The lines of an NDJSON file of the run, by resource id.
fn lines_by_id(path: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| (s(&json(l)["id"]), l.to_string()))
        .collect()
}

/// The `next` link of a searchset page, as a path on the server.
fn next_path(page: &Value, origin: &str) -> Option<String> {
    page["link"]
        .as_array()?
        .iter()
        .find(|l| l["relation"] == "next")
        .map(|l| s(&l["url"]).replace(origin, ""))
}

/// Every page of a search under `/v1`, each checked to be a page of the patient's STU3
/// bundle file, with its links under the v1 base.
fn v1_pages(sb: &Sandbox, tok: &str, first: &str, bundle: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut path = Some(first.to_string());
    while let Some(p) = path {
        let (st, text) = get(sb, &p, tok);
        assert_eq!(st, 200, "{p}");
        assert!(
            bundle.contains(&text),
            "{p} is not a page of the bundle file"
        );
        let page = json(&text);
        for l in page["link"].as_array().unwrap() {
            assert!(
                s(&l["url"]).starts_with(&format!("{SANDBOX}/v1/fhir/")),
                "{l}"
            );
        }
        path = next_path(&page, SANDBOX);
        pages.push(page);
    }
    pages
}

/// The resources of searchset pages.
fn resources(pages: &[Value]) -> Vec<Value> {
    pages
        .iter()
        .flat_map(|p| p["entry"].as_array().cloned().unwrap_or_default())
        .map(|e| e["resource"].clone())
        .collect()
}

#[test]
fn one_token_reads_both_versions_and_v1_bodies_are_the_stu3_files() {
    let tmp = tempfile::tempdir().unwrap();
    let formats = ["--formats", "fhir,fhir-stu3,bundles"];
    let out = common::generate(tmp.path(), "data", &[&DATA[..], &formats].concat());
    let (v1, v2) = (out.join("fhir-stu3"), out.join("fhir"));
    let sb = start(&["--public-url", SANDBOX]);
    let (tok, me) = token(&sb, 11);

    let patient = |dir: &Path| lines_by_id(&dir.join("Patient.ndjson"))[&me].clone();
    assert_eq!(
        get(&sb, &format!("/v2/fhir/Patient/{me}"), &tok).1,
        patient(&v2)
    );
    assert_eq!(
        get(&sb, &format!("/v1/fhir/Patient/{me}"), &tok).1,
        patient(&v1)
    );
    assert_ne!(patient(&v1), patient(&v2), "the versions differ");

    let bundle = std::fs::read_to_string(v1.join(format!("bundles/{me}.json"))).unwrap();
    let coverages = lines_by_id(&v1.join("Coverage.ndjson"));
    let search = format!("/v1/fhir/Coverage/?beneficiary=Patient/{me}");
    let found = resources(&v1_pages(&sb, &tok, &search, &bundle));
    assert!(found.len() >= 2, "{found:?}");
    for c in &found {
        let id = s(&c["id"]);
        assert_eq!(*c, json(&coverages[&id]), "{id}");
        let read = get(&sb, &format!("/v1/fhir/Coverage/{id}"), &tok);
        assert_eq!(read, (200, coverages[&id].clone()));
    }

    let eobs = lines_by_id(&v1.join("ExplanationOfBenefit.ndjson"));
    let mine: Vec<&String> = eobs
        .iter()
        .filter(|(_, l)| json(l)["patient"]["reference"] == format!("Patient/{me}"))
        .map(|(id, _)| id)
        .collect();
    let search = format!("/v1/fhir/ExplanationOfBenefit/?patient={me}");
    let pages = v1_pages(&sb, &tok, &search, &bundle);
    assert!(pages.len() > 1, "user 11 has several pages");
    let served = resources(&pages);
    let mut ids: Vec<String> = served.iter().map(|e| s(&e["id"])).collect();
    ids.sort();
    assert_eq!(ids.iter().collect::<Vec<_>>(), mine, "all the user's EOBs");
    for e in &served {
        assert_eq!(*e, json(&eobs[&s(&e["id"])]));
    }
    let one = mine[0];
    let read = get(&sb, &format!("/v1/fhir/ExplanationOfBenefit/{one}"), &tok);
    assert_eq!(read, (200, eobs[one].clone()));
    check_stu3(tmp.path(), "pages.ndjson", &pages);
}

/// Runs the STU3 checker (when there is one) on `resources`, written to `dir/name`.
fn check_stu3(dir: &Path, name: &str, resources: &[Value]) {
    let Some(python) = common::outside_tool(
        "BBGEN_FHIR_CHECKER",
        "the Python of a venv with tests/fhir_check/requirements.txt installed",
    ) else {
        return;
    };
    let path = dir.join(name);
    let text: Vec<String> = resources.iter().map(Value::to_string).collect();
    std::fs::write(&path, text.join("\n") + "\n").unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fhir_check/check.py");
    let o = std::process::Command::new(python)
        .arg(script)
        .arg("--stu3")
        .arg(&path)
        .output()
        .expect("the FHIR checker runs");
    assert!(
        o.status.success(),
        "STU3 checker rejected {name}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("(FHIR 3.0.2)"));
}

#[test]
fn v1_errors_and_paging_are_v2s() {
    let sb = start(&[]);
    let (tok, me) = token(&sb, 8);
    let other = "-19990000000005";
    let forbidden = detail("You do not have permission to perform this action.");
    let rows: Vec<(String, u16, String)> = vec![
        (format!("Patient/{other}"), 404, detail("Not found.")),
        (
            format!("Coverage/?beneficiary=Patient/{other}"),
            403,
            forbidden.clone(),
        ),
        (
            format!("ExplanationOfBenefit/?patient={other}"),
            403,
            forbidden,
        ),
        (
            "ExplanationOfBenefit/?type=bogus".into(),
            400,
            detail("the type parameter value is not valid"),
        ),
        (
            "ExplanationOfBenefit/?_count=51".into(),
            400,
            detail("value must be at most 50"),
        ),
        (
            "Coverage/partparta_1".into(),
            400,
            detail(
                "An error occurred contacting the upstream server:Unsupported ID pattern: partparta_1",
            ),
        ),
    ];
    for (path, status, body) in rows {
        for v in ["v1", "v2"] {
            let url = format!("/{v}/fhir/{path}");
            assert_eq!(get(&sb, &url, &tok), (status, body.clone()), "{url}");
        }
    }
    let r = sb.get("/v1/fhir/Patient/");
    assert_eq!(r.headers()["www-authenticate"], "Bearer realm=\"api\"");
    let creds = detail("Authentication credentials were not provided.");
    assert_eq!((r.status().as_u16(), r.text().unwrap()), (401, creds));
    let r = sb
        .http
        .post(sb.url("/v1/fhir/Patient/"))
        .bearer_auth(&tok)
        .send();
    let r = r.unwrap();
    let body = detail("Method \"POST\" not allowed.");
    assert_eq!((r.status().as_u16(), r.text().unwrap()), (405, body));

    let q = "ExplanationOfBenefit/?_count=3&startIndex=3&type=carrier,pde";
    let links = |v: &str| {
        let page = json(&get(&sb, &format!("/{v}/fhir/{q}"), &tok).1);
        assert_eq!(page["entry"].as_array().unwrap().len(), 3, "{v}");
        page["link"].clone()
    };
    let (l1, l2) = (links("v1"), links("v2"));
    let relations: Vec<&str> = l1
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["relation"].as_str().unwrap())
        .collect();
    assert_eq!(relations, ["first", "next", "previous", "last", "self"]);
    let as_v1 = l2.to_string().replace("/v2/fhir/", "/v1/fhir/");
    assert_eq!(l1.to_string(), as_v1, "the same links, under /v1");
    assert!(s(&l1[4]["url"]).starts_with(&format!("{}/v1/fhir/ExplanationOfBenefit/?", sb.base)));
    let total = json(&get(&sb, "/v1/fhir/ExplanationOfBenefit/", &tok).1)["total"].clone();
    let past = format!("/v1/fhir/ExplanationOfBenefit/?startIndex={total}");
    let text = format!(
        "An error occurred contacting the upstream server:Value for startIndex ({total}) must be less than than result size ({total})"
    );
    assert_eq!(get(&sb, &past, &tok), (400, detail(&text)));
    let info = |v: &str| get(&sb, &format!("/{v}/connect/userinfo"), &tok);
    assert_eq!(info("v1"), info("v2"));
    assert_eq!(json(&info("v1").1)["patient"], me.as_str());
}

#[test]
fn v1_gzip_starts_at_1000_bytes() {
    let sb = start(&[]);
    let (tok, _) = token(&sb, 9);
    // The 400 for a malformed Coverage id echoes the id, so its size can be chosen exactly.
    let fixed =
        detail("An error occurred contacting the upstream server:Unsupported ID pattern: ").len();
    let fetch = |path: &str, gzip: bool| {
        let mut req = sb.http.get(sb.url(path)).bearer_auth(&tok);
        if gzip {
            req = req.header("accept-encoding", "gzip");
        }
        req.send().unwrap()
    };
    let sized = |n: usize| format!("/v1/fhir/Coverage/{}", "x".repeat(n - fixed));
    let r = fetch(&sized(999), true);
    assert!(r.headers().get("content-encoding").is_none());
    assert_eq!(r.bytes().unwrap().len(), 999);
    for path in [sized(1000), "/v1/fhir/ExplanationOfBenefit/".to_string()] {
        let plain = fetch(&path, false);
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        let plain = plain.bytes().unwrap();
        assert!(plain.len() >= 1000, "{path}");
        let r = fetch(&path, true);
        assert_eq!(r.headers()["content-encoding"], "gzip", "{path}");
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&r.bytes().unwrap()[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, plain, "{path}");
    }
}

/// The authorize flow started under `/v1/o/` comes back to `/v1/o/`, and the token it gives
/// reads v2 too; revoking it under `/v1` ends it under `/v2`.
#[test]
fn the_v1_flow_gives_a_token_for_both_versions() {
    let sb = start(&[]);
    let app = sb.default_app();
    let (verifier, challenge) = pkce();
    let approval = login_at(&sb, "v1", &authorize_query(&app, &challenge, &[]), 4);
    assert!(approval.starts_with("/v1/o/authorize/"), "{approval}");
    let r = consent(&sb, &approval, true, true);
    let code = location(&r).split("code=").nth(1).unwrap()[..30].to_string();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", &app.redirect),
        ("code_verifier", &verifier),
        ("client_id", &app.id),
        ("client_secret", &app.secret),
    ];
    let t: Value = sb.post_form("/v1/o/token/", &form).json().unwrap();
    let tok = s(&t["access_token"]);
    for v in ["v1", "v2"] {
        assert_eq!(get(&sb, &format!("/{v}/fhir/Patient/"), &tok).0, 200, "{v}");
    }
    let revoke = [
        ("token", tok.as_str()),
        ("client_id", &app.id),
        ("client_secret", &app.secret),
    ];
    assert_eq!(sb.post_form("/v1/o/revoke_token/", &revoke).status(), 200);
    assert_eq!(get(&sb, "/v2/fhir/Patient/", &tok).0, 401);
}

#[test]
fn v1_metadata_is_an_stu3_capability_statement() {
    let sb = start(&[]);
    let m: Value = sb.get("/v1/fhir/metadata").json().unwrap();
    assert_eq!(m["fhirVersion"], "3.0.2");
    assert_eq!(m["implementation"]["url"], format!("{}/v1/fhir/", sb.base));
    let rest = &m["rest"][0]["resource"];
    let types: Vec<&str> = rest
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Coverage", "ExplanationOfBenefit", "Patient"]);
    let eob_params: Vec<&str> = rest[1]["searchParam"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "patient",
        "type",
        "service-date",
        "_lastUpdated",
        "_count",
        "startIndex",
    ] {
        assert!(eob_params.contains(&p), "{p}");
    }
    let oidc: Value = sb
        .get("/v1/connect/.well-known/openid-configuration")
        .json()
        .unwrap();
    assert_eq!(oidc["token_endpoint"], format!("{}/v2/o/token/", sb.base));
    let tmp = tempfile::tempdir().unwrap();
    check_stu3(tmp.path(), "metadata.ndjson", &[m]);
}
