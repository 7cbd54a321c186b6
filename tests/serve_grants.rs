//! Tokens over time in `bbgen serve`: refresh rotation and narrowing, the one-grant rule, each
//! data access type under the virtual clock, the revoke, introspect and expire endpoints, the
//! fault rules and request capture, and 200 concurrent OAuth flows that never see another
//! user's data.

#![cfg(feature = "serve")]

mod serve_support;

use serde_json::{Value, json};
use serve_support::*;

fn start() -> (Sandbox, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apps.json");
    let apps = json!([
        {"client_id": "once", "client_secret": "s", "redirect_uris": "http://127.0.0.1/cb", "data_access_type": "ONE_TIME"},
        {"client_id": "study", "client_secret": "s", "redirect_uris": "http://127.0.0.1/cb", "data_access_type": "RESEARCH_STUDY"},
        {"client_id": "year", "client_secret": "s", "redirect_uris": "http://127.0.0.1/cb"}
    ]);
    std::fs::write(&path, apps.to_string()).unwrap();
    let p = path.display().to_string();
    (Sandbox::start(&["--apps", &p]), dir)
}

fn app(id: &str) -> TestApp {
    TestApp {
        id: id.into(),
        secret: "s".into(),
        redirect: "http://127.0.0.1/cb".into(),
    }
}

fn status(r: reqwest::blocking::Response) -> (u16, String) {
    (r.status().as_u16(), r.text().unwrap())
}

const GRANT: &str = r#"{"error": "invalid_grant"}"#;

#[test]
fn refresh_rotates_and_narrows() {
    let (sb, _d) = start();
    let a = app("year");
    let t = tokens(&sb, &a, 1);
    let (old_access, old_refresh) = (s(&t["access_token"]), s(&t["refresh_token"]));
    let r = refresh(&sb, &a, &old_refresh, &[]);
    assert_eq!(r.status(), 200);
    let n: Value = r.json().unwrap();
    assert_ne!(s(&n["access_token"]), old_access);
    assert_eq!(n["patient"], t["patient"]);
    assert_eq!(sb.get_auth("/v2/fhir/Patient/", &old_access).status(), 401);
    assert_eq!(
        sb.get_auth("/v2/fhir/Patient/", &s(&n["access_token"]))
            .status(),
        200
    );
    assert_eq!(
        status(refresh(&sb, &a, &old_refresh, &[])),
        (400, GRANT.into())
    );
    let narrow = refresh(
        &sb,
        &a,
        &s(&n["refresh_token"]),
        &[("scope", "patient/Patient.r")],
    );
    let narrow: Value = narrow.json().unwrap();
    assert_eq!(narrow["scope"], "patient/Patient.r");
    let wide = refresh(
        &sb,
        &a,
        &s(&narrow["refresh_token"]),
        &[("scope", "patient/Patient.rs")],
    );
    assert_eq!(status(wide), (400, r#"{"error": "invalid_scope"}"#.into()));
}

#[test]
fn a_new_consent_ends_the_earlier_tokens() {
    let (sb, _d) = start();
    let a = app("year");
    let first = tokens(&sb, &a, 2);
    let second = tokens(&sb, &a, 2);
    assert_eq!(
        sb.get_auth("/v2/fhir/Patient/", &s(&first["access_token"]))
            .status(),
        401
    );
    assert_eq!(
        refresh(&sb, &a, &s(&first["refresh_token"]), &[]).status(),
        400
    );
    assert_eq!(
        sb.get_auth("/v2/fhir/Patient/", &s(&second["access_token"]))
            .status(),
        200
    );
    // Another app's grant for the same user is untouched.
    let other = tokens(&sb, &app("study"), 2);
    assert_eq!(
        sb.get_auth("/v2/fhir/Patient/", &s(&second["access_token"]))
            .status(),
        200
    );
    assert_eq!(
        sb.get_auth("/v2/fhir/Patient/", &s(&other["access_token"]))
            .status(),
        200
    );
}

#[test]
fn data_access_types_under_the_virtual_clock() {
    let (sb, _d) = start();
    let once = tokens(&sb, &app("once"), 3);
    assert_eq!(s(&once["access_grant_expiration"]).len(), 20);
    let (st, body) = status(refresh(&sb, &app("once"), &s(&once["refresh_token"]), &[]));
    assert_eq!(st, 403);
    assert!(
        body.contains("Your application is not allowed to refresh tokens."),
        "{body}"
    );
    let study = tokens(&sb, &app("study"), 3);
    assert_eq!(study["access_grant_expiration"], "");
    let year = tokens(&sb, &app("year"), 3);
    let year_refresh = refresh(&sb, &app("year"), &s(&year["refresh_token"]), &[])
        .json::<Value>()
        .unwrap();
    sb.advance((396 + 2) * 86_400);
    let (st, body) = status(refresh(
        &sb,
        &app("year"),
        &s(&year_refresh["refresh_token"]),
        &[],
    ));
    assert_eq!(st, 401);
    assert_eq!(
        body,
        r#"{"status_code": 401, "error": "invalid_grant", "error_description": "User access has timed out. To refresh Medicare data, end user must re-authenticate and consent to share their data."}"#
    );
    let r = refresh(&sb, &app("study"), &s(&study["refresh_token"]), &[]);
    assert_eq!(r.status(), 200);
}

#[test]
fn a_thirteen_month_grant_ends_fhir_access_too() {
    let (sb, _d) = start();
    let a = app("year");
    let t = tokens(&sb, &a, 4);
    let end = s(&t["access_grant_expiration"]);
    let set = |at: String| {
        let r = sb
            .http
            .post(sb.url("/_bbgen/clock"))
            .body(json!({"now": at}).to_string())
            .send()
            .unwrap();
        assert_eq!(r.status(), 200);
    };
    // Ten minutes before the grant ends, a refresh gives an hour-long token ...
    set(shift(&end, -600));
    let n: Value = refresh(&sb, &a, &s(&t["refresh_token"]), &[])
        .json()
        .unwrap();
    let access = s(&n["access_token"]);
    assert_eq!(
        sb.get_auth("/v2/fhir/ExplanationOfBenefit/", &access)
            .status(),
        200
    );
    // ... that the grant's end stops ten minutes later.
    set(shift(&end, 600));
    let (st, body) = status(sb.get_auth("/v2/fhir/ExplanationOfBenefit/", &access));
    assert_eq!(st, 401);
    assert!(body.contains("User access has timed out."), "{body}");
}

/// `2027-01-02T03:04:05Z` moved by `secs`.
fn shift(iso: &str, secs: i64) -> String {
    let t = chrono::DateTime::parse_from_rfc3339(iso).unwrap() + chrono::Duration::seconds(secs);
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[test]
fn revoke_token_revoke_and_introspect() {
    let (sb, _d) = start();
    let a = app("year");
    let t = tokens(&sb, &a, 5);
    let intro = |tok: &str| -> Value {
        sb.http
            .post(sb.url("/v2/o/introspect/"))
            .basic_auth("year", Some("s"))
            .form(&[("token", tok)])
            .send()
            .unwrap()
            .json()
            .unwrap()
    };
    let i = intro(&s(&t["access_token"]));
    assert_eq!(i["active"], true);
    assert_eq!(i["client_id"], "year");
    assert!(
        i["exp"].as_i64().unwrap() > 0 && i["scope"].is_string() && i["username"] == "BBUser00005"
    );
    let revoke = |path: &str, tok: &str, id: &str| {
        sb.http
            .post(sb.url(path))
            .form(&[("token", tok), ("client_id", id), ("client_secret", "s")])
            .send()
            .unwrap()
    };
    let r = revoke("/v2/o/revoke_token/", &s(&t["access_token"]), "year");
    assert_eq!(status(r), (200, String::new()));
    assert_eq!(intro(&s(&t["access_token"])), json!({"active": false}));
    assert_eq!(
        sb.get_auth("/v2/fhir/Patient/", &s(&t["access_token"]))
            .status(),
        401
    );
    assert_eq!(
        status(refresh(&sb, &a, &s(&t["refresh_token"]), &[])),
        (400, GRANT.into())
    );
    assert_eq!(
        revoke("/v2/o/revoke_token/", "unknown", "year").status(),
        200
    );
    let t2 = tokens(&sb, &a, 6);
    let (st, body) = status(revoke(
        "/v2/o/revoke_token/",
        &s(&t2["access_token"]),
        "study",
    ));
    assert_eq!(
        (st, body.as_str()),
        (
            403,
            r#"{"status_code": 403, "description": "Application did not have access to the provided token."}"#
        )
    );
    assert_eq!(
        revoke("/v2/o/revoke/", &s(&t2["access_token"]), "year").status(),
        200
    );
    assert_eq!(
        sb.get_auth("/v2/fhir/Patient/", &s(&t2["access_token"]))
            .status(),
        401
    );
    let (st, body) = status(refresh(&sb, &a, &s(&t2["refresh_token"]), &[]));
    assert_eq!(st, 403);
    assert!(body.contains("User access cannot be found."), "{body}");
    let r = sb
        .http
        .post(sb.url("/v2/o/introspect/"))
        .basic_auth("year", Some("wrong"))
        .form(&[("token", "x")])
        .send()
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[test]
fn expire_authenticated_user() {
    let (sb, _d) = start();
    let a = app("year");
    let t = tokens(&sb, &a, 7);
    let me = s(&t["patient"]);
    let expire = |patient: &str| {
        let r = sb
            .http
            .post(sb.url(&format!("/v2/o/expire_authenticated_user/{patient}/")))
            .basic_auth("year", Some("s"))
            .send()
            .unwrap();
        status(r)
    };
    assert_eq!(expire(&me), (200, "success".into()));
    assert_eq!(
        sb.get_auth("/v2/fhir/Patient/", &s(&t["access_token"]))
            .status(),
        401
    );
    assert_eq!(
        expire(&me),
        (404, "Data Access Grant was Not Found.".into())
    );
    assert_eq!(
        expire("-1"),
        (
            404,
            "Patient was Not Found. Please check the id number and try again.".into()
        )
    );
}

#[test]
fn fault_rules_and_the_capture() {
    let sb = Sandbox::start(&[]);
    let a = sb.default_app();
    let t = tokens(&sb, &a, 8);
    let rule =
        json!({"path": "/v2/fhir/ExplanationOfBenefit", "status": 503, "rate": 0.5, "count": 2});
    let r = sb
        .http
        .post(sb.url("/_bbgen/faults"))
        .body(rule.to_string())
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let got: Vec<u16> = (0..6)
        .map(|_| {
            sb.get_auth("/v2/fhir/ExplanationOfBenefit/", &s(&t["access_token"]))
                .status()
                .as_u16()
        })
        .collect();
    assert_eq!(got, [200, 503, 200, 503, 200, 200]);
    let r = sb.get_auth("/v2/fhir/Patient/", &s(&t["access_token"]));
    assert_eq!(r.status(), 200);
    let cap: Value = sb.get("/_bbgen/requests").json().unwrap();
    let text = cap.to_string();
    for secret in [s(&t["access_token"]), a.secret.clone(), pkce().0] {
        assert!(!text.contains(&secret), "a secret leaked into the capture");
    }
    assert!(text.contains("Bearer [redacted]") && text.contains("/v2/o/token/"));
}

/// The `Patient/<id>` a resource of a search page belongs to.
fn owner(r: &Value) -> String {
    let who = r.get("patient").or(r.get("beneficiary"));
    who.map(|p| s(&p["reference"]))
        .unwrap_or_else(|| format!("Patient/{}", s(&r["id"])))
}

/// Follows a search's `next` links from `path`, asserting every entry is `me`'s; returns the
/// number of entries seen and the `total` the first page announced.
fn walk_search(sb: &Sandbox, path: &str, tok: &str, me: &str) -> (usize, u64) {
    let (mut url, mut seen, mut total) = (sb.url(path), 0, None);
    loop {
        let r = sb.http.get(&url).bearer_auth(tok).send().expect("GET");
        assert_eq!(r.status(), 200, "{me} {url}");
        let b: Value = r.json().unwrap();
        total.get_or_insert(b["total"].as_u64().expect("a total"));
        for e in b["entry"].as_array().into_iter().flatten() {
            assert_eq!(
                owner(&e["resource"]),
                me,
                "{me} saw another user's data at {url}"
            );
            seen += 1;
        }
        let links = b["link"].as_array().cloned().unwrap_or_default();
        match links.iter().find(|l| l["relation"] == "next") {
            Some(next) => url = s(&next["url"]),
            None => return (seen, total.unwrap()),
        }
    }
}

/// 200 flows at once, one thread each, released together after every log-in: each reads every
/// page of its EOB search, its Coverage and Patient, refreshes and reads userinfo, and never
/// sees another user's data.
#[test]
fn two_hundred_concurrent_flows_see_only_their_own_data() {
    const FLOWS: u64 = 200;
    let sb = std::sync::Arc::new(Sandbox::start(&[]));
    let go = std::sync::Arc::new(std::sync::Barrier::new(FLOWS as usize));
    let workers: Vec<_> = (0..FLOWS)
        .map(|user| {
            let (sb, go) = (sb.clone(), go.clone());
            std::thread::spawn(move || {
                let a = sb.default_app();
                let t = tokens(&sb, &a, user);
                let me = format!("Patient/{}", s(&t["patient"]));
                let tok = s(&t["access_token"]);
                go.wait();
                let (seen, total) = walk_search(&sb, "/v2/fhir/ExplanationOfBenefit/", &tok, &me);
                assert_eq!(seen as u64, total, "user {user}: every EOB page was read");
                for path in ["/v2/fhir/Coverage/", "/v2/fhir/Patient/"] {
                    assert!(
                        walk_search(&sb, path, &tok, &me).0 > 0,
                        "user {user} {path}"
                    );
                }
                let n: Value = refresh(&sb, &a, &s(&t["refresh_token"]), &[])
                    .json()
                    .unwrap();
                let tok = s(&n["access_token"]);
                let u: Value = sb.get_auth("/v2/connect/userinfo", &tok).json().unwrap();
                assert_eq!(format!("Patient/{}", s(&u["patient"])), me);
                total
            })
        })
        .collect();
    let eobs: u64 = workers
        .into_iter()
        .map(|w| w.join().expect("no flow failed"))
        .sum();
    assert!(
        eobs > FLOWS,
        "the flows read claims, not just empty pages ({eobs})"
    );
}
