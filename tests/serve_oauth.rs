//! `bbgen serve`'s OAuth surface against SERVE.md §b: the authorize-time errors (b.2) and the
//! token endpoint's (b.3), row by row, plus the log-in, consent and redirect-URI rules.

#![cfg(feature = "serve")]

mod serve_support;

use serde_json::{Value, json};
use serve_support::*;

/// Apps of every kind, registered through `--apps`.
fn apps_json() -> Value {
    json!([
        {"client_id": "off", "client_secret": "s", "redirect_uris": "http://127.0.0.1/cb", "active": false, "name": "Dormant"},
        {"client_id": "legacy", "client_secret": "s", "redirect_uris": "http://127.0.0.1/cb", "grant_types": ["authorization-code", "implicit"]},
        {"client_id": "multi", "client_secret": "s", "redirect_uris": "http://127.0.0.1/cb\nhttp://localhost/cb http://a.test/cb?a=1 gov.cms.bluebutton.oauthtester:/cb"}
    ])
}

/// A table row: name, request parameters, expected status and body (or page text).
type Row<'a, V> = (&'a str, Vec<(&'a str, V)>, u16, &'a str);

fn start(extra: &[&str]) -> (Sandbox, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apps.json");
    std::fs::write(&path, apps_json().to_string()).unwrap();
    let p = path.display().to_string();
    let mut args = vec![
        "--apps",
        p.as_str(),
        "--app",
        "cid:csecret:http://127.0.0.1/cb",
    ];
    args.extend_from_slice(extra);
    (Sandbox::start(&args), dir)
}

fn app(id: &str) -> TestApp {
    let secret = if id == "cid" { "csecret" } else { "s" };
    TestApp {
        id: id.into(),
        secret: secret.into(),
        redirect: "http://127.0.0.1/cb".into(),
    }
}

fn query(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

#[test]
fn authorize_without_slash_is_a_301_to_the_slash() {
    let (sb, _d) = start(&[]);
    let q = authorize_query(&app("cid"), "c", &[]);
    let r = sb.get(&format!("/v2/o/authorize?{q}"));
    assert_eq!(r.status(), 301);
    assert_eq!(location(&r), format!("/v2/o/authorize/?{q}"));
}

#[test]
fn authorize_time_errors_b2() {
    let (sb, _d) = start(&[]);
    let full = [
        ("client_id", "cid"),
        ("redirect_uri", "http://127.0.0.1/cb"),
        ("response_type", "code"),
        ("state", STATE),
        ("code_challenge", "abc"),
        ("code_challenge_method", "S256"),
    ];
    let without = |keys: &[&str]| -> Vec<(&str, &str)> {
        full.iter()
            .copied()
            .filter(|(k, _)| !keys.contains(k))
            .collect()
    };
    let with = |k: &'static str, v: &'static str| -> Vec<(&'static str, &'static str)> {
        let mut p: Vec<_> = full.iter().copied().filter(|(x, _)| *x != k).collect();
        p.push((k, v));
        p
    };
    let rows: Vec<Row<&str>> = vec![
        (
            "challenge missing",
            without(&["code_challenge"]),
            400,
            r#"{"status_code": 400, "message": "Missing Required Parameter(s): code_challenge"}"#,
        ),
        (
            "all three missing",
            without(&["code_challenge", "code_challenge_method", "state"]),
            400,
            r#"{"status_code": 400, "message": "Missing Required Parameter(s): code_challenge, code_challenge_method, state"}"#,
        ),
        (
            "plain method",
            with("code_challenge_method", "plain"),
            400,
            r#"{"status_code": 400, "error": "invalid_request", "error_description": "code_challenge_method must be S256"}"#,
        ),
        (
            "15-character state",
            with("state", "abcdefghijklmno"),
            400,
            r#"{"status_code": 400, "message": "State parameter should have a minimum of 16 characters"}"#,
        ),
        (
            "client_secret in the query",
            with("client_secret", "x"),
            400,
            "Illegal query parameter [client_secret] detected",
        ),
        (
            "AuditEvent scope",
            with("scope", "patient/AuditEvent.read"),
            400,
            r#"{"status_code": 400, "message": "Invalid scopes."}"#,
        ),
    ];
    for (name, pairs, status, body) in rows {
        let r = sb.get(&format!("/v2/o/authorize/?{}", query(&pairs)));
        assert_eq!(r.status(), status, "{name}");
        assert_eq!(r.text().unwrap(), body, "{name}");
    }
    let pages: Vec<Row<&str>> = vec![
        (
            "no client_id",
            without(&["client_id"]),
            401,
            "invalid_client : Missing client_id parameter.",
        ),
        (
            "unknown client_id",
            with("client_id", "nobody"),
            400,
            "invalid_client : Invalid client_id parameter value.",
        ),
        (
            "inactive app",
            with("client_id", "off"),
            403,
            "This application, Dormant, is temporarily inactive.",
        ),
    ];
    for (name, pairs, status, text) in pages {
        let r = sb.get(&format!("/v2/o/authorize/?{}", query(&pairs)));
        assert_eq!(r.status(), status, "{name}");
        assert!(r.headers().get("location").is_none(), "{name}");
        assert!(r.text().unwrap().contains(text), "{name}");
    }
    let post = sb.post_form("/v2/o/authorize/", &without(&["state"]));
    assert_eq!(post.status(), 401);
    assert_eq!(
        post.text().unwrap(),
        r#"{"status_code": 401, "message": "State required in POST body."}"#
    );
}

#[test]
fn approval_view_errors_b2() {
    let (sb, _d) = start(&[]);
    let (_, ch) = pkce();
    let a = app("cid");
    let after_login = |extra: &[(&str, &str)], user: u64| {
        let approval = login(&sb, &authorize_query(&a, &ch, &[]), user);
        let (path, q) = approval.split_once('?').unwrap();
        let mut pairs: Vec<(String, String)> =
            form_urlencoded::parse(q.as_bytes()).into_owned().collect();
        for (k, v) in extra {
            pairs.retain(|(x, _)| x != k);
            pairs.push((k.to_string(), v.to_string()));
        }
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            s.append_pair(k, v);
        }
        sb.get(&format!("{path}?{}", s.finish()))
    };
    let r = after_login(&[("redirect_uri", "http://127.0.0.1/other")], 1);
    assert_eq!(r.status(), 400);
    assert!(r.headers().get("location").is_none());
    let r = after_login(&[("scope", "patient/Claim.read")], 2);
    assert_eq!(
        (r.status().as_u16(), r.text().unwrap()),
        (
            400,
            r#"{"status_code": 400, "message": "Invalid scopes."}"#.into()
        )
    );
    for (rt, error, user) in [
        ("token", "unauthorized_client", 3),
        ("id_token", "unsupported_response_type", 4),
    ] {
        let r = after_login(&[("response_type", rt)], user);
        assert_eq!(r.status(), 302, "{rt}");
        assert_eq!(
            location(&r),
            format!("http://127.0.0.1/cb?error={error}&state={STATE}"),
            "{rt}"
        );
    }
    let approval = login(&sb, &authorize_query(&a, &ch, &[]), 5);
    let r = consent(&sb, &approval, false, true);
    assert_eq!(
        location(&r),
        format!("http://127.0.0.1/cb?error=access_denied&state={STATE}")
    );
    let r = sb.get("/v2/o/authorize/not-a-uuid/");
    assert_eq!(
        (r.status().as_u16(), r.text().unwrap()),
        (
            404,
            r#"{"status_code": 404, "message": "Not found."}"#.into()
        )
    );
}

#[test]
fn full_flow_log_in_consent_code_and_token_shape() {
    let (sb, _d) = start(&[]);
    let a = app("cid");
    let (_, ch) = pkce();
    let approval = login(&sb, &authorize_query(&a, &ch, &[]), 1);
    let html = sb.get(&approval).text().unwrap();
    for id in ["id=\"approve\"", "id=\"deny\"", "id=\"radio_1\""] {
        assert!(html.contains(id), "{id}");
    }
    let form: Vec<(String, String)> = hidden_fields(&html)
        .into_iter()
        .chain([
            ("share_demographic_scopes".to_string(), "True".to_string()),
            ("allow".into(), "Connect".into()),
        ])
        .collect();
    assert_eq!(
        form.iter()
            .filter(|(k, _)| k == "share_demographic_scopes")
            .count(),
        2
    );
    let r = sb
        .http
        .post(sb.url(approval.split('?').next().unwrap()))
        .form(&form)
        .send()
        .unwrap();
    let loc = location(&r);
    let code = loc
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    assert_eq!(code.len(), 30);
    assert!(code.bytes().all(|c| c.is_ascii_alphanumeric()));
    let r = exchange(&sb, &a, code);
    assert_eq!(r.status(), 200);
    for (h, v) in [
        ("content-type", "application/json"),
        ("cache-control", "no-store"),
        ("pragma", "no-cache"),
    ] {
        assert_eq!(r.headers()[h], v, "{h}");
    }
    let text = r.text().unwrap();
    let keys = [
        "access_token",
        "expires_in",
        "token_type",
        "scope",
        "refresh_token",
        "patient",
        "access_grant_expiration",
    ];
    let pos: Vec<usize> = keys
        .iter()
        .map(|k| text.find(&format!("\"{k}\": ")).expect(k))
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.contains("\"expires_in\": 3600,"), "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["patient"], "-19990000000002");
    assert_eq!(v["token_type"], "Bearer");
    let exp = s(&v["access_grant_expiration"]);
    assert_eq!(exp.len(), 20, "{exp}");
    assert!(exp.ends_with('Z'));
}

#[test]
fn log_in_refuses_wrong_passwords_and_users_beyond_the_run() {
    let (sb, _d) = start(&[]);
    let (_, ch) = pkce();
    let r = sb.get(&format!(
        "/v2/o/authorize/?{}",
        authorize_query(&app("cid"), &ch, &[])
    ));
    let r = sb.get(&location(&r));
    let page = location(&r);
    let relay = page
        .split("relay=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    for (user, pw) in [
        ("BBUser00001", "PW00002!"),
        ("BBUser00200", "PW00200!"),
        ("nobody", "x"),
    ] {
        let r = sb.post_form(
            "/mymedicare/sls/login",
            &[("username", user), ("password", pw), ("relay", &relay)],
        );
        assert_eq!(r.status(), 200, "{user}");
        assert!(r.text().unwrap().contains("id=\"login-error\""), "{user}");
    }
    let r = sb.get("/mymedicare/sls-callback?req_token=x");
    assert_eq!(
        r.text().unwrap(),
        r#"{"error": "The state parameter is required"}"#
    );
    let r = sb.get("/mymedicare/sls-callback?req_token=x&relay=1");
    assert_eq!(
        r.text().unwrap(),
        r#"{"error": "The requested state was not found"}"#
    );
}

#[test]
fn redirect_uri_rules() {
    let (sb, _d) = start(&[]);
    let (_, ch) = pkce();
    let rows = [
        ("http://127.0.0.1:54321/cb", true),
        ("http://localhost:54321/cb", false),
        ("http://localhost/cb", true),
        ("http://a.test/cb?a=1&b=2", true),
        ("http://a.test/cb", false),
        ("gov.cms.bluebutton.oauthtester:/cb", true),
    ];
    for (user, (uri, ok)) in (10..).zip(rows) {
        let a = TestApp {
            id: "multi".into(),
            secret: "s".into(),
            redirect: uri.into(),
        };
        let approval = login(&sb, &authorize_query(&a, &ch, &[]), user);
        let r = sb.get(&approval);
        assert_eq!(r.status() == 200, ok, "{uri}: {}", r.status());
        if ok {
            let r = consent(&sb, &approval, true, true);
            assert!(location(&r).starts_with(uri), "{uri}");
        }
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bbgen"))
        .args([
            "serve",
            "--users",
            "10",
            "--port",
            "0",
            "--app",
            "x:y:http://a/cb#frag",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fragment"));
}

#[test]
fn legacy_implicit_flow_is_opt_in() {
    let (sb, _d) = start(&[]);
    let (_, ch) = pkce();
    let a = app("legacy");
    let approval = login(
        &sb,
        &authorize_query(&a, &ch, &[("response_type", "token")]),
        20,
    );
    let approval = approval.replace("response_type=code&", "");
    let r = consent(&sb, &approval, true, true);
    let loc = location(&r);
    assert!(
        loc.starts_with("http://127.0.0.1/cb#access_token="),
        "{loc}"
    );
    assert!(
        loc.contains("&expires_in=3600&token_type=Bearer&scope=")
            && loc.ends_with(&format!("&state={STATE}")),
        "{loc}"
    );
}

#[test]
fn auto_approve_with_a_login_hint_answers_at_once() {
    let (sb, _d) = start(&["--auto-approve"]);
    let (_, ch) = pkce();
    let a = app("cid");
    let r = sb.get(&format!(
        "/v2/o/authorize/?{}",
        authorize_query(&a, &ch, &[("login_hint", "BBUser00007")])
    ));
    let r = sb.get(&location(&r));
    let loc = location(&r);
    assert!(loc.starts_with("http://127.0.0.1/cb?code="), "{loc}");
    let code = loc
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let v: Value = exchange(&sb, &a, code).json().unwrap();
    assert_eq!(v["patient"], "-19990000000008");
}

fn token_post(sb: &Sandbox, form: &[(&str, &str)]) -> (u16, String) {
    let r = sb.post_form("/v2/o/token/", form);
    (r.status().as_u16(), r.text().unwrap())
}

#[test]
fn token_endpoint_errors_b3() {
    let (sb, _d) = start(&[]);
    let a = app("cid");
    let (verifier, _) = pkce();
    let code = code_for(&sb, &a, 30, &[], true);
    let base = |over: &[(&'static str, &'static str)]| -> Vec<(&'static str, String)> {
        let mut f: Vec<(&str, String)> = vec![
            ("grant_type", "authorization_code".into()),
            ("code", code.clone()),
            ("redirect_uri", "http://127.0.0.1/cb".into()),
            ("code_verifier", verifier.clone()),
            ("client_id", "cid".into()),
            ("client_secret", "csecret".into()),
        ];
        for (k, v) in over {
            f.retain(|(x, _)| x != k);
            if !v.is_empty() {
                f.push((k, v.to_string()));
            }
        }
        f
    };
    let grant = r#"{"error": "invalid_grant"}"#;
    let rows: Vec<Row<String>> = vec![
        ("wrong code", base(&[("code", "x")]), 400, grant),
        (
            "wrong verifier",
            base(&[(
                "code_verifier",
                "wrong-verifier-wrong-verifier-wrong-verifier",
            )]),
            400,
            grant,
        ),
        (
            "verifier missing",
            base(&[("code_verifier", "")]),
            400,
            r#"{"error": "invalid_request", "error_description": "Code verifier required."}"#,
        ),
        (
            "code missing",
            base(&[("code", "")]),
            400,
            r#"{"error": "invalid_request", "error_description": "Missing code parameter."}"#,
        ),
        (
            "redirect mismatch",
            base(&[("redirect_uri", "http://127.0.0.1:5/cb")]),
            400,
            r#"{"error": "invalid_request", "error_description": "Mismatching redirect URI."}"#,
        ),
        (
            "wrong secret",
            base(&[("client_secret", "nope")]),
            401,
            r#"{"error": "invalid_client"}"#,
        ),
        (
            "unknown body client",
            base(&[("client_id", "ghost")]),
            400,
            r#"{"status_code": 400, "error": "invalid_client", "error_description": "Application does not exist (client_id)"}"#,
        ),
        (
            "unsupported grant",
            base(&[("grant_type", "password")]),
            400,
            r#"{"error": "unsupported_grant_type"}"#,
        ),
        (
            "inactive app",
            base(&[("client_id", "off")]),
            403,
            r#"{"status_code": 403, "error": "invalid_client", "error_description": "This application, Dormant, is temporarily inactive. If you are the app maintainer, please contact the Blue Button API team. If you are a Medicare Beneficiary and need assistance, please contact the support team for the application you are trying to access."}"#,
        ),
        (
            "refresh missing",
            vec![
                ("grant_type", "refresh_token".into()),
                ("client_id", "cid".into()),
                ("client_secret", "csecret".into()),
            ],
            400,
            r#"{"status_code": 400, "error": "invalid_request", "error_description": "Missing refresh token parameter"}"#,
        ),
        (
            "refresh unknown",
            vec![
                ("grant_type", "refresh_token".into()),
                ("refresh_token", "zzz".into()),
                ("client_id", "cid".into()),
                ("client_secret", "csecret".into()),
            ],
            400,
            r#"{"status_code": 400, "error": "invalid_request", "error_description": "Refresh token not found."}"#,
        ),
    ];
    for (name, form, status, body) in rows {
        let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(token_post(&sb, &f), (status, body.to_string()), "{name}");
    }
    let mut dup = base(&[]);
    dup.push(("client_id", "cid".into()));
    let f: Vec<(&str, &str)> = dup.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        token_post(&sb, &f).1,
        r#"{"error": "invalid_request", "error_description": "Duplicate client_id parameter."}"#
    );
    let r = sb.post_form(
        "/v2/o/token/",
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", "cid"),
            ("client_secret", "bad"),
        ],
    );
    assert_eq!(
        r.headers()["www-authenticate"],
        "Bearer error=\"invalid_client\""
    );
    let r = sb
        .http
        .post(sb.url("/v2/o/token/"))
        .basic_auth("ghost", Some("x"))
        .form(&[("grant_type", "authorization_code")])
        .send()
        .unwrap();
    assert_eq!((r.status().as_u16(), r.text().unwrap()), (401, r#"{"status_code": 401, "error": "invalid_client", "error_description": "Application does not exist"}"#.into()));
    // The wrong verifier did not use the code up: the right one still works, once.
    let f: Vec<(&str, String)> = base(&[]);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(token_post(&sb, &f).0, 200);
    assert_eq!(token_post(&sb, &f), (400, grant.to_string()));
}

#[test]
fn codes_expire_after_60_seconds_and_short_verifiers_are_refused() {
    let (sb, _d) = start(&[]);
    let a = app("cid");
    let code = code_for(&sb, &a, 31, &[], true);
    sb.advance(61);
    assert_eq!(
        exchange(&sb, &a, &code).text().unwrap(),
        r#"{"error": "invalid_grant"}"#
    );
    use base64::Engine;
    use sha2::Digest;
    let short = "a".repeat(42);
    let ch = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(short.as_bytes()));
    let approval = login(&sb, &authorize_query(&a, &ch, &[]), 32);
    let loc = location(&consent(&sb, &approval, true, true));
    let code = loc
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let (st, body) = token_post(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &a.redirect),
            ("code_verifier", &short),
            ("client_id", "cid"),
            ("client_secret", "csecret"),
        ],
    );
    assert_eq!(
        (st, body.as_str()),
        (
            400,
            r#"{"error": null, "error_description": "code_verifier min length is 43"}"#
        )
    );
}

#[test]
fn token_requests_in_every_form_the_sdks_send() {
    let (sb, _d) = start(&[]);
    let a = app("cid");
    let (verifier, _) = pkce();
    // Basic auth, urlencoded, no slash.
    let code = code_for(&sb, &a, 40, &[], true);
    let r = sb
        .http
        .post(sb.url("/v2/o/token"))
        .basic_auth("cid", Some("csecret"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &a.redirect),
            ("code_verifier", &verifier),
        ])
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    // Multipart with body credentials and a stale Bearer header (the Python SDK).
    let code = code_for(&sb, &a, 41, &[], true);
    let form = reqwest::blocking::multipart::Form::new()
        .text("client_id", "cid")
        .text("client_secret", "csecret")
        .text("code", code)
        .text("grant_type", "authorization_code")
        .text("redirect_uri", a.redirect.clone())
        .text("code_verifier", verifier.clone());
    let r = sb
        .http
        .post(sb.url("/v2/o/token/"))
        .bearer_auth("stale")
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    // The Python SDK's padded challenge and 44-character verifier with '='.
    use base64::Engine;
    use sha2::Digest;
    let v = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=";
    let padded =
        base64::engine::general_purpose::URL_SAFE.encode(sha2::Sha256::digest(v.as_bytes()));
    assert!(padded.ends_with('='));
    let approval = login(&sb, &authorize_query(&a, &padded, &[]), 42);
    let loc = location(&consent(&sb, &approval, true, true));
    let code = loc
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let (st, _) = token_post(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &a.redirect),
            ("code_verifier", v),
            ("client_id", "cid"),
            ("client_secret", "csecret"),
        ],
    );
    assert_eq!(st, 200);
}

#[test]
fn strict_mode_checks_client_ids_and_hides_the_controls() {
    let (sb, _d) = start(&["--strict"]);
    let (st, body) = token_post(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("code", "x"),
            ("client_id", "cid"),
            ("client_secret", "csecret"),
        ],
    );
    assert_eq!(
        (st, body.as_str()),
        (
            400,
            r#"{"status_code": 400, "error": "invalid_client", "error_description": "Invalid client_id format"}"#
        )
    );
    assert_eq!(sb.get("/_bbgen/health").status(), 404);
}
