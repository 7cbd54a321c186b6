//! `bbgen serve`'s FHIR v2 routes: the resource errors of SERVE.md §b.4 row by row, paging and
//! filters (§a.2), scopes, content negotiation, CORS, rate limits, gzip at 999 and 1,000 bytes,
//! userinfo, discovery, and bodies byte for byte those of the file output.

#![cfg(feature = "serve")]

mod serve_support;

use std::io::Read;

use serde_json::Value;
use serve_support::*;

/// The data options of every server here (and of the file run they are compared with).
const DATA: [&str; 6] = ["--users", "20", "--seed", "7", "--claims-scale", "0.3"];

fn start(extra: &[&str]) -> Sandbox {
    let mut args = DATA[2..].to_vec();
    args.extend_from_slice(extra);
    let mut sb = Sandbox::start_with_users("20", &args);
    sb.http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    sb
}

fn token(sb: &Sandbox, user: u64, extra: &[(&str, &str)], share: bool) -> Value {
    let app = sb.default_app();
    let code = code_for(sb, &app, user, extra, share);
    let r = exchange(sb, &app, &code);
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

fn get(sb: &Sandbox, path: &str, tok: &str) -> (u16, String) {
    let r = sb.get_auth(path, tok);
    (r.status().as_u16(), r.text().unwrap())
}

fn detail(text: &str) -> String {
    format!("{{\"detail\":{}}}", serde_json::to_string(text).unwrap())
}

#[test]
fn resource_errors_b4() {
    let sb = start(&["--rate", "1000/s"]);
    let t = token(&sb, 1, &[], true);
    let (tok, me) = (s(&t["access_token"]), s(&t["patient"]));
    let other = "-19990000000005";
    let forbidden = detail("You do not have permission to perform this action.");
    let not_found = detail("Not found.");
    let rows: Vec<(String, u16, String)> = vec![
        (format!("/v2/fhir/Patient/{other}"), 404, not_found.clone()),
        (
            format!("/v2/fhir/Patient/?_id={other}"),
            404,
            not_found.clone(),
        ),
        (
            format!("/v2/fhir/Coverage/?beneficiary=Patient/{other}"),
            403,
            forbidden.clone(),
        ),
        (
            format!("/v2/fhir/Coverage/part-a-{other}"),
            404,
            not_found.clone(),
        ),
        (
            "/v2/fhir/Coverage/partparta_1".into(),
            400,
            detail(
                "An error occurred contacting the upstream server:Unsupported ID pattern: partparta_1",
            ),
        ),
        (
            format!("/v2/fhir/ExplanationOfBenefit/?patient={other}"),
            403,
            forbidden.clone(),
        ),
        (
            "/v2/fhir/ExplanationOfBenefit/?type=bogus".into(),
            400,
            detail("the type parameter value is not valid"),
        ),
        (
            "/v2/fhir/ExplanationOfBenefit/?_lastUpdated=2020-01-01".into(),
            400,
            detail("the _lastUpdated operator is not valid"),
        ),
        (
            "/v2/fhir/ExplanationOfBenefit/?service-date=2020-01-01".into(),
            400,
            detail("the service-date operator is not valid"),
        ),
        (
            "/v2/fhir/ExplanationOfBenefit/?_count=51".into(),
            400,
            detail("value must be at most 50"),
        ),
        (
            "/v2/fhir/ExplanationOfBenefit/?_count=x".into(),
            400,
            detail("expected int"),
        ),
        (
            format!("/v2/fhir/Patient/?access_token={tok}"),
            400,
            detail(
                "Using the access token in the query parameters is not supported. Use the Authorization header instead",
            ),
        ),
        ("/v2/fhir/Nothing/".into(), 404, not_found.clone()),
    ];
    for (path, status, body) in rows {
        assert_eq!(get(&sb, &path, &tok), (status, body), "{path}");
    }
    let own_eob: Value = sb
        .get_auth(
            &format!("/v2/fhir/ExplanationOfBenefit/?patient={me}"),
            &tok,
        )
        .json()
        .unwrap();
    assert_eq!(own_eob["resourceType"], "Bundle");
    let r = sb
        .http
        .post(sb.url("/v2/fhir/Patient/"))
        .bearer_auth(&tok)
        .send()
        .unwrap();
    assert_eq!(
        (r.status().as_u16(), r.text().unwrap()),
        (405, detail("Method \"POST\" not allowed."))
    );
}

#[test]
fn authentication_errors_and_expiry() {
    let sb = start(&[]);
    let creds = detail("Authentication credentials were not provided.");
    let r = sb.get("/v2/fhir/Patient/");
    assert_eq!(r.headers()["www-authenticate"], "Bearer realm=\"api\"");
    assert_eq!(
        (r.status().as_u16(), r.text().unwrap()),
        (401, creds.clone())
    );
    let r = sb.get_auth("/v2/fhir/Patient/", "bogus");
    assert_eq!(
        r.headers()["www-authenticate"],
        "Bearer realm=\"api\",error=\"invalid_token\",error_description=\"The access token is invalid.\""
    );
    assert_eq!(r.text().unwrap(), creds);
    let tok = s(&token(&sb, 2, &[], true)["access_token"]);
    assert_eq!(sb.get_auth("/v2/fhir/Patient/", &tok).status(), 200);
    sb.advance(3601);
    let r = sb.get_auth("/v2/fhir/Patient/", &tok);
    assert_eq!(r.status(), 401);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .ends_with("error_description=\"The access token has expired.\"")
    );
}

/// SERVE.md §b.4's inactive-app row: a live token of an app switched off answers 401 with the
/// sandbox's text, and works again once the app is back.
#[test]
fn a_live_token_of_an_inactive_app_is_refused() {
    let sb = start(&[]);
    let tok = s(&token(&sb, 3, &[], true)["access_token"]);
    assert_eq!(get(&sb, "/v2/fhir/Patient/", &tok).0, 200);
    let switch = |active: bool| {
        sb.http
            .post(sb.url(&format!("/_bbgen/apps/{}", sb.default_app().id)))
            .body(format!("{{\"active\":{active}}}"))
            .send()
            .unwrap()
    };
    let r: Value = switch(false).json().unwrap();
    assert_eq!(r["active"], false);
    let text = "This application, bbgen sandbox app, is temporarily inactive. If you are the app \
        maintainer, please contact the Blue Button API team. If you are a Medicare Beneficiary and \
        need assistance, please contact the support team for the application you are trying to \
        access.";
    for path in [
        "/v2/fhir/Patient/",
        "/v2/fhir/ExplanationOfBenefit/",
        "/v2/connect/userinfo",
    ] {
        assert_eq!(get(&sb, path, &tok), (401, detail(text)), "{path}");
    }
    switch(true);
    assert_eq!(get(&sb, "/v2/fhir/Patient/", &tok).0, 200);
    let r = sb
        .http
        .post(sb.url("/_bbgen/apps/no-such-app"))
        .body("{\"active\":false}")
        .send()
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[test]
fn throttle_headers_and_429() {
    let sb = start(&["--rate", "5/s"]);
    let tok = s(&token(&sb, 3, &[], true)["access_token"]);
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let r = sb.get_auth("/v2/fhir/Patient/", &tok);
        if r.status() == 200 {
            assert_eq!(r.headers()["x-ratelimit-limit"], "5");
            assert!(
                r.headers().contains_key("x-ratelimit-remaining")
                    && r.headers().contains_key("x-ratelimit-reset")
            );
        } else {
            assert_eq!(r.headers()["retry-after"], "1");
        }
        statuses.push(r.status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    assert!(statuses.iter().filter(|s| **s == 200).count() >= 5);
}

#[test]
fn scopes_decide_what_a_token_reaches() {
    let sb = start(&[]);
    let no_demo = token(&sb, 4, &[], false);
    let scope = s(&no_demo["scope"]);
    assert!(
        !scope.contains("profile") && !scope.contains("patient/Patient."),
        "{scope}"
    );
    let tok = s(&no_demo["access_token"]);
    assert_eq!(get(&sb, "/v2/fhir/Patient/", &tok).0, 403);
    assert_eq!(get(&sb, "/v2/connect/userinfo", &tok).0, 403);
    assert_eq!(get(&sb, "/v2/fhir/ExplanationOfBenefit/", &tok).0, 200);
    let me = s(&no_demo["patient"]);
    for (scope, read, search, user) in [
        ("patient/Patient.s", 403, 200, 5),
        ("patient/Patient.r", 200, 403, 6),
    ] {
        let t = token(&sb, user, &[("scope", scope)], true);
        assert_eq!(s(&t["scope"]), scope);
        let tok = s(&t["access_token"]);
        let id = s(&t["patient"]);
        assert_ne!(id, me);
        assert_eq!(
            get(&sb, &format!("/v2/fhir/Patient/{id}"), &tok).0,
            read,
            "{scope} read"
        );
        assert_eq!(
            get(&sb, "/v2/fhir/Patient/", &tok).0,
            search,
            "{scope} search"
        );
    }
}

#[test]
fn patient_coverage_and_userinfo_shapes() {
    let sb = start(&[]);
    let t = token(&sb, 7, &[], true);
    let (tok, me) = (s(&t["access_token"]), s(&t["patient"]));
    for path in ["/v2/fhir/Patient/", "/v2/fhir/Patient"] {
        let b: Value = serde_json::from_str(&get(&sb, path, &tok).1).unwrap();
        assert_eq!(b["total"], 1, "{path}");
        let rels: Vec<&str> = b["link"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["relation"].as_str().unwrap())
            .collect();
        assert_eq!(rels, ["first", "last", "self"]);
        assert!(b["link"][0]["url"].as_str().unwrap().starts_with(&sb.base));
    }
    let p: Value =
        serde_json::from_str(&get(&sb, &format!("/v2/fhir/Patient/{me}"), &tok).1).unwrap();
    assert_eq!(p["id"], me.as_str());
    let c: Value = serde_json::from_str(&get(&sb, "/v2/fhir/Coverage/", &tok).1).unwrap();
    let ids: Vec<&str> = c["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"]["id"].as_str().unwrap())
        .collect();
    assert!(
        !ids.is_empty()
            && ids
                .iter()
                .all(|i| i.starts_with("part-") && i.ends_with(&me)),
        "{ids:?}"
    );
    assert_eq!(
        get(&sb, &format!("/v2/fhir/Coverage/{}", ids[0]), &tok).0,
        200
    );
    let text = get(&sb, "/v2/connect/userinfo", &tok).1;
    let keys = [
        "sub",
        "name",
        "given_name",
        "family_name",
        "email",
        "iat",
        "patient",
    ];
    let pos: Vec<usize> = keys
        .iter()
        .map(|k| text.find(&format!("\"{k}\":")).expect(k))
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{text}");
    let u: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (u["sub"].as_str(), u["patient"].as_str()),
        (Some(me.as_str()), Some(me.as_str()))
    );
    let iat = s(&u["iat"]);
    assert!(iat.len() == 24 && iat.ends_with(".000Z"), "{iat}");
}

#[test]
fn eob_paging_and_filters() {
    let sb = start(&[]);
    let t = token(&sb, 8, &[], true);
    let tok = s(&t["access_token"]);
    let first: Value =
        serde_json::from_str(&get(&sb, "/v2/fhir/ExplanationOfBenefit/", &tok).1).unwrap();
    let total = first["total"].as_u64().unwrap() as usize;
    assert!(total > 10, "user 8 needs several pages: {total}");
    assert_eq!(first["entry"].as_array().unwrap().len(), 10);
    let mut ids = Vec::new();
    let mut page = first;
    loop {
        ids.extend(
            page["entry"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| s(&e["resource"]["id"])),
        );
        let next = page["link"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["relation"] == "next")
            .map(|l| s(&l["url"]));
        let Some(next) = next else { break };
        let path = next
            .strip_prefix(&sb.base)
            .expect("links on the request's host");
        page = serde_json::from_str(&get(&sb, path, &tok).1).unwrap();
    }
    assert_eq!(ids.len(), total);
    let mut uniq = ids.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), total);
    let big: Value =
        serde_json::from_str(&get(&sb, "/v2/fhir/ExplanationOfBenefit/?_count=50", &tok).1)
            .unwrap();
    assert_eq!(big["entry"].as_array().unwrap().len(), total.min(50));
    let last_wins: Value = serde_json::from_str(
        &get(
            &sb,
            "/v2/fhir/ExplanationOfBenefit/?_count=5&_count=10",
            &tok,
        )
        .1,
    )
    .unwrap();
    assert_eq!(last_wins["entry"].as_array().unwrap().len(), 10);
    let (st, body) = get(
        &sb,
        &format!("/v2/fhir/ExplanationOfBenefit/?startIndex={total}"),
        &tok,
    );
    assert_eq!(st, 400);
    assert_eq!(
        body,
        detail(&format!(
            "An error occurred contacting the upstream server:Value for startIndex ({total}) must be less than than result size ({total})"
        ))
    );
    let pde: Value = serde_json::from_str(
        &get(
            &sb,
            "/v2/fhir/ExplanationOfBenefit/?type=pde&_count=50",
            &tok,
        )
        .1,
    )
    .unwrap();
    for e in pde["entry"].as_array().into_iter().flatten() {
        assert!(s(&e["resource"]["id"]).starts_with("pde-"));
    }
    for q in [
        "type=carrier,dme",
        "type=https://bluebutton.cms.gov/resources/codesystem/eob-type|hha",
        "_lastUpdated=gt2020-01-01",
        "service-date=ge2020-01-01&service-date=le2022-12-31",
        "excludeSAMHSA=true&includeTaxNumbers=true&_format=json",
    ] {
        assert_eq!(
            get(&sb, &format!("/v2/fhir/ExplanationOfBenefit/?{q}"), &tok).0,
            200,
            "{q}"
        );
    }
}

#[test]
fn negotiation_cors_and_gzip_at_999_and_1000_bytes() {
    let sb = start(&[]);
    let tok = s(&token(&sb, 9, &[], true)["access_token"]);
    for (accept, ct) in [
        ("*/*", "application/fhir+json"),
        ("application/json, text/plain, */*", "application/json"),
    ] {
        let r = sb
            .http
            .get(sb.url("/v2/fhir/Patient/"))
            .bearer_auth(&tok)
            .header("accept", accept)
            .send()
            .unwrap();
        assert_eq!(r.headers()["content-type"], ct, "{accept}");
        assert_eq!(r.headers()["access-control-allow-origin"], "*");
        assert!(!r.text().unwrap().contains(": "), "compact JSON");
    }
    let r = sb
        .http
        .get(sb.url("/v2/fhir/Patient/"))
        .bearer_auth(&tok)
        .header("accept", "application/xml")
        .send()
        .unwrap();
    assert_eq!(r.status(), 406);
    let r = sb
        .http
        .request(reqwest::Method::OPTIONS, sb.url("/v2/fhir/Patient/"))
        .header("origin", "http://app.test")
        .header("access-control-request-method", "GET")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    // The 400 for a malformed Coverage id echoes the id, so its size can be chosen exactly.
    let sized = |n: usize, enc: Option<&str>| {
        let fixed =
            detail("An error occurred contacting the upstream server:Unsupported ID pattern: ")
                .len();
        let id = "x".repeat(n - fixed);
        let mut req = sb
            .http
            .get(sb.url(&format!("/v2/fhir/Coverage/{id}")))
            .bearer_auth(&tok);
        if let Some(e) = enc {
            req = req.header("accept-encoding", e);
        }
        req.send().unwrap()
    };
    let r = sized(999, Some("gzip"));
    assert!(r.headers().get("content-encoding").is_none());
    assert_eq!(r.headers()["content-length"], "999");
    let plain = sized(1000, None);
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().unwrap();
    assert_eq!(plain.len(), 1000);
    for enc in [
        "gzip",
        "br, zstd, gzip;q=0.5",
        "gzip, compress, deflate, br",
    ] {
        let r = sized(1000, Some(enc));
        assert_eq!(r.headers()["content-encoding"], "gzip", "{enc}");
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&r.bytes().unwrap()[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, plain);
    }
    let r = sized(1000, Some("br"));
    assert!(
        r.headers().get("content-encoding").is_none(),
        "never brotli"
    );
    let userinfo = sb
        .http
        .get(sb.url("/v2/connect/userinfo"))
        .bearer_auth(&tok)
        .header("accept-encoding", "gzip")
        .send()
        .unwrap();
    assert!(userinfo.headers().get("content-encoding").is_none());
    let eob = sb
        .http
        .get(sb.url("/v2/fhir/ExplanationOfBenefit/"))
        .bearer_auth(&tok)
        .header("accept-encoding", "gzip")
        .header("accept", "application/json")
        .send()
        .unwrap();
    assert_eq!(eob.headers()["content-encoding"], "gzip");
}

#[test]
fn discovery_documents() {
    let sb = start(&[]);
    let a: Value = sb
        .get("/v2/connect/.well-known/openid-configuration")
        .json()
        .unwrap();
    for p in [
        "/.well-known/openid-configuration",
        "/.well-known/openid-configuration-v2",
    ] {
        assert_eq!(sb.get(p).json::<Value>().unwrap(), a, "{p}");
    }
    assert_eq!(a["issuer"], sb.base.as_str());
    assert_eq!(a["token_endpoint"], format!("{}/v2/o/token/", sb.base));
    assert_eq!(
        a["authorization_endpoint"],
        format!("{}/v2/o/authorize", sb.base)
    );
    let smart: Value = sb
        .get("/v2/fhir/.well-known/smart-configuration")
        .json()
        .unwrap();
    assert_eq!(
        smart["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(smart["capabilities"].as_array().unwrap().len(), 8);
    assert_eq!(smart["scopes_supported"].as_array().unwrap().len(), 9);
    let m: Value = sb.get("/v2/fhir/metadata").json().unwrap();
    assert_eq!(m["fhirVersion"], "4.0.1");
    let types: Vec<&str> = m["rest"][0]["resource"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Coverage", "ExplanationOfBenefit", "Patient"]);
}

#[test]
fn bodies_equal_the_file_output() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("data");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_bbgen"))
        .args(DATA)
        .args(["--formats", "fhir,bundles", "--quiet", "--out"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    let sb = start(&["--public-url", "https://sandbox.bluebutton.cms.gov"]);
    let t = token(&sb, 11, &[], true);
    let (tok, me) = (s(&t["access_token"]), s(&t["patient"]));
    let patients = std::fs::read_to_string(dir.join("fhir/Patient.ndjson")).unwrap();
    let line = patients
        .lines()
        .find(|l| l.contains(&format!("\"id\":\"{me}\"")))
        .unwrap();
    assert_eq!(get(&sb, &format!("/v2/fhir/Patient/{me}"), &tok).1, line);
    let bundle = std::fs::read_to_string(dir.join(format!("fhir/bundles/{me}.json"))).unwrap();
    let mut path = "/v2/fhir/ExplanationOfBenefit/".to_string();
    let mut pages = 0;
    loop {
        let (st, page) = get(&sb, &path, &tok);
        assert_eq!(st, 200);
        assert!(
            bundle.contains(&page),
            "page {pages} is not in the bundle file"
        );
        pages += 1;
        let v: Value = serde_json::from_str(&page).unwrap();
        let Some(next) = v["link"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["relation"] == "next")
        else {
            break;
        };
        path = s(&next["url"]).replace("https://sandbox.bluebutton.cms.gov", "");
    }
    assert!(pages > 1);
    let cov = get(&sb, "/v2/fhir/Coverage/", &tok).1;
    assert!(bundle.contains(&cov));
}
