//! A `bbgen serve` on a free loopback port for one test file, and a scripted beneficiary who
//! logs in and consents over HTTP, as a browser would.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::blocking::{Client, Response};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A running server; stopped (SIGTERM) when dropped.
pub struct Sandbox {
    child: Child,
    pub base: String,
    pub client_id: String,
    pub secret: String,
    pub http: Client,
}

/// A registered test app: `--app` value parts.
pub struct TestApp {
    pub id: String,
    pub secret: String,
    pub redirect: String,
}

impl TestApp {
    pub fn new(id: &str, redirect: &str) -> TestApp {
        TestApp {
            id: id.into(),
            secret: format!("{id}-secret"),
            redirect: redirect.into(),
        }
    }
    pub fn flag(&self) -> String {
        format!("{}:{}:{}", self.id, self.secret, self.redirect)
    }
}

impl Sandbox {
    /// `bbgen serve --users 200 --seed 42 --host 127.0.0.1 --port 0` + `extra`.
    pub fn start(extra: &[&str]) -> Sandbox {
        let mut args = vec!["--seed", "42"];
        args.extend_from_slice(extra);
        Sandbox::start_with_users("200", &args)
    }

    /// `bbgen serve --users N --host 127.0.0.1 --port 0` + `extra`.
    pub fn start_with_users(users: &str, extra: &[&str]) -> Sandbox {
        Sandbox::start_on("127.0.0.1", "0", users, extra)
    }

    /// `bbgen serve --users N --host HOST --port PORT` + `extra`.
    pub fn start_on(host: &str, port: &str, users: &str, extra: &[&str]) -> Sandbox {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bbgen"))
            .args(["serve", "--users", users, "--host", host, "--port", port])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("BBGEN_SERVE_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("bbgen serve starts");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        let mut field = |name: &str| {
            line.clear();
            out.read_line(&mut line).expect("a line");
            line.trim()
                .strip_prefix(name)
                .map(|v| v.trim().to_string())
                .unwrap_or_else(|| line.clone())
        };
        let head = field("");
        let base = head
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("the base URL is printed")
            .to_string();
        let client_id = field("client_id:");
        let secret = field("client_secret:");
        // Keep reading what else it prints, so its stdout never closes under it.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Sandbox {
            child,
            base,
            client_id,
            secret,
            http,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get(&self, path: &str) -> Response {
        self.http.get(self.url(path)).send().expect("GET")
    }

    pub fn get_auth(&self, path: &str, token: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .expect("GET")
    }

    pub fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.http
            .post(self.url(path))
            .form(form)
            .send()
            .expect("POST")
    }

    /// Moves the virtual clock.
    pub fn advance(&self, seconds: i64) {
        let r = self
            .http
            .post(self.url("/_bbgen/clock/advance"))
            .body(format!("{{\"seconds\":{seconds}}}"))
            .send()
            .expect("advance");
        assert_eq!(r.status(), 200);
    }

    /// The default app as a [`TestApp`].
    pub fn default_app(&self) -> TestApp {
        TestApp {
            id: self.client_id.clone(),
            secret: self.secret.clone(),
            redirect: "http://127.0.0.1:9/callback".into(),
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-a".to_string();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

pub const STATE: &str = "state-0123456789abcdef";

/// The authorize query of `app` with PKCE, plus `extra` pairs.
pub fn authorize_query(app: &TestApp, challenge: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(&str, &str)> = vec![
        ("client_id", &app.id),
        ("redirect_uri", &app.redirect),
        ("response_type", "code"),
        ("state", STATE),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ];
    pairs.extend_from_slice(extra);
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

pub fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .unwrap_or_else(|| panic!("a Location on {} {}", r.status(), r.url()))
        .to_str()
        .expect("text")
        .to_string()
}

/// Logs in as `user` from an authorize query and returns the approval URL (path + query).
pub fn login(sb: &Sandbox, query: &str, user: u64) -> String {
    login_at(sb, "v2", query, user)
}

/// [`login`] from the authorize endpoint of API `version` (`v1` or `v2`).
pub fn login_at(sb: &Sandbox, version: &str, query: &str, user: u64) -> String {
    let r = sb.get(&format!("/{version}/o/authorize/?{query}"));
    assert_eq!(r.status(), 302, "authorize");
    let r = sb.get(&location(&r));
    assert_eq!(r.status(), 302, "mymedicare/login");
    let page = location(&r);
    let relay = page
        .split("relay=")
        .nth(1)
        .expect("relay")
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let html = sb.get(&page).text().unwrap();
    assert!(html.contains("id=\"login-button\""));
    let (name, pw) = (format!("BBUser{user:05}"), format!("PW{user:05}!"));
    let r = sb.post_form(
        "/mymedicare/sls/login",
        &[("username", &name), ("password", &pw), ("relay", &relay)],
    );
    assert_eq!(r.status(), 302, "log-in");
    let r = sb.get(&location(&r));
    assert_eq!(r.status(), 302, "callback");
    location(&r)
}

/// The hidden fields of the consent page, in order.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|rest| {
            let name = rest.split('"').next().unwrap().to_string();
            let value = rest
                .split("value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            (
                name,
                value
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&#x27;", "'"),
            )
        })
        .collect()
}

/// Submits the consent form: Connect (with or without the demographic box) or Cancel.
pub fn consent(sb: &Sandbox, approval: &str, allow: bool, share: bool) -> Response {
    let html = sb.get(approval).text().unwrap();
    assert!(html.contains("id=\"approve\""), "{html}");
    let mut form: Vec<(String, String)> = hidden_fields(&html);
    if share {
        form.push(("share_demographic_scopes".into(), "True".into()));
    }
    if allow {
        form.push(("allow".into(), "Connect".into()));
    }
    let path = approval.split('?').next().unwrap();
    sb.http.post(sb.url(path)).form(&form).send().unwrap()
}

/// The code that a full log-in and consent gives `app` for `user`.
pub fn code_for(
    sb: &Sandbox,
    app: &TestApp,
    user: u64,
    extra: &[(&str, &str)],
    share: bool,
) -> String {
    let (_, challenge) = pkce();
    let approval = login(sb, &authorize_query(app, &challenge, extra), user);
    let r = consent(sb, &approval, true, share);
    assert_eq!(r.status(), 302);
    let loc = location(&r);
    assert!(loc.contains(&format!("state={STATE}")), "{loc}");
    loc.split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string()
}

/// Exchanges a code (body client credentials).
pub fn exchange(sb: &Sandbox, app: &TestApp, code: &str) -> Response {
    let (verifier, _) = pkce();
    sb.post_form(
        "/v2/o/token/",
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &app.redirect),
            ("code_verifier", &verifier),
            ("client_id", &app.id),
            ("client_secret", &app.secret),
        ],
    )
}

/// A token response for `user` from a full flow.
pub fn tokens(sb: &Sandbox, app: &TestApp, user: u64) -> Value {
    let code = code_for(sb, app, user, &[], true);
    let r = exchange(sb, app, &code);
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

/// Refreshes with Basic auth.
pub fn refresh(
    sb: &Sandbox,
    app: &TestApp,
    refresh_token: &str,
    extra: &[(&str, &str)],
) -> Response {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("client_id", app.id.as_str()),
    ];
    form.extend_from_slice(extra);
    sb.http
        .post(sb.url("/v2/o/token/"))
        .basic_auth(&app.id, Some(&app.secret))
        .form(&form)
        .send()
        .unwrap()
}

pub fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}
