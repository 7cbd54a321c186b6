//! A person's log-in in a real browser (SERVE.md §f test 11): headless Chromium, driven over
//! the W3C WebDriver protocol by chromedriver, opens an app's authorize URL, types
//! BBUser00042 / PW00042!, clicks "Log in" and "Connect", and lands on the app's loopback
//! redirect URI, served here, with a code and the state (after one mistyped password, which
//! the log-in page reports); the code is then exchanged over HTTP.
//! The same in Spanish (`lang=es`) ends with "Cancelar". Screenshots of the log-in and consent
//! pages are kept as PNGs under `target/test-artifacts/browser/` and checked to be real,
//! styled pages.
//!
//! Needs `BBGEN_CHROMIUM` (the chromium binary) and `BBGEN_CHROMEDRIVER`; without them the tests
//! print a note and pass, unless `CI` is set (`.ci/run` installs both and sets them).

#![cfg(feature = "serve")]

mod serve_support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::blocking::Client;
use serde_json::{Value, json};
use serve_support::*;

/// How long one page may take to show the element a step waits for.
const STEP: Duration = Duration::from_secs(30);

/// The chromium and chromedriver binaries, or `None` (with a note) when they are not configured
/// and `CI` is unset.
fn tools() -> Option<(String, String)> {
    let get = |k: &str| {
        std::env::var(k)
            .ok()
            .filter(|p| std::path::Path::new(p).is_file())
    };
    match (get("BBGEN_CHROMIUM"), get("BBGEN_CHROMEDRIVER")) {
        (Some(c), Some(d)) => Some((c, d)),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI is set but BBGEN_CHROMIUM or BBGEN_CHROMEDRIVER is not an existing file")
        }
        _ => {
            eprintln!(
                "note: skipping the browser test: set BBGEN_CHROMIUM and BBGEN_CHROMEDRIVER \
                 (Debian: apt-get install chromium chromium-driver)"
            );
            None
        }
    }
}

/// The app's redirect URI: a loopback HTTP server that records each request target the browser
/// sends and answers with a small page.
struct Callback {
    port: u16,
    requests: Receiver<String>,
}

impl Callback {
    fn start() -> Callback {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().unwrap().port();
        let (tx, requests) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let tx = tx.clone();
                // One thread per connection: the browser may open a socket and send nothing.
                std::thread::spawn(move || {
                    let mut stream = stream;
                    let mut line = String::new();
                    if BufReader::new(&stream).read_line(&mut line).is_err() {
                        return;
                    }
                    if let Some(target) = line.split_whitespace().nth(1) {
                        let _ = tx.send(target.to_string());
                    }
                    let body = "<!DOCTYPE html><title>App</title><p>Back in the app.</p>";
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
                         Connection: close\r\n\r\n{body}",
                        body.len()
                    );
                });
            }
        });
        Callback { port, requests }
    }

    /// The first request target under `path` (the browser may also ask for `/favicon.ico`).
    fn wait(&self, path: &str) -> String {
        let deadline = Instant::now() + STEP;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.requests.recv_timeout(left) {
                Ok(t) if t.split('?').next() == Some(path) => return t,
                Ok(_) => continue,
                Err(_) => panic!("the browser never came back to {path}"),
            }
        }
    }
}

/// One headless Chromium session through chromedriver; both end when dropped.
struct Browser {
    driver: Child,
    session: String,
    http: Client,
}

impl Browser {
    fn start(chromium: &str, chromedriver: &str) -> Browser {
        let mut driver = Command::new(chromedriver)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut out = BufReader::new(driver.stdout.take().unwrap());
        let port = loop {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("chromedriver exited before saying its port");
            }
            if let Some(p) = line
                .trim()
                .strip_prefix("ChromeDriver was started successfully on port ")
            {
                break p.trim_end_matches('.').to_string();
            }
        };
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let http = Client::builder()
            .timeout(Duration::from_secs(120))
            .no_proxy()
            .build()
            .unwrap();
        // --no-sandbox: containers and CI run as root, where Chromium's sandbox cannot start.
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {"binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--no-proxy-server", "--window-size=1024,900",
                "--force-device-scale-factor=1", "--hide-scrollbars"
            ]}
        }}});
        let base = format!("http://127.0.0.1:{port}");
        let v = call(&http, "POST", &format!("{base}/session"), Some(caps))
            .unwrap_or_else(|e| panic!("a WebDriver session: {e}"));
        let session = format!("{base}/session/{}", v["sessionId"].as_str().unwrap());
        Browser {
            driver,
            session,
            http,
        }
    }

    /// A WebDriver command on this session; its `value`.
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.session);
        call(&self.http, method, &url, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None).as_str().unwrap().to_string()
    }

    /// The element matching `css`, waiting for the page to show it.
    fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + STEP;
        let body = json!({"using": "css selector", "value": css});
        loop {
            let url = format!("{}/element", self.session);
            match call(&self.http, "POST", &url, Some(body.clone())) {
                Ok(v) => {
                    let id = v["element-6066-11e4-a52e-4f735466cecf"].as_str();
                    return id.expect("an element reference").to_string();
                }
                Err(e) if Instant::now() > deadline => {
                    panic!("{css} never appeared on {}: {e}", self.url())
                }
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Replaces the field's text by `text`, typed key by key.
    fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css);
        self.cmd("POST", &format!("/element/{el}/clear"), Some(json!({})));
        self.cmd(
            "POST",
            &format!("/element/{el}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn click(&self, css: &str) {
        let el = self.find(css);
        self.cmd("POST", &format!("/element/{el}/click"), Some(json!({})));
    }

    fn text(&self, css: &str) -> String {
        let el = self.find(css);
        let v = self.cmd("GET", &format!("/element/{el}/text"), None);
        v.as_str().unwrap().to_string()
    }

    /// What a form field holds.
    fn value(&self, css: &str) -> String {
        let el = self.find(css);
        let v = self.cmd("GET", &format!("/element/{el}/property/value"), None);
        v.as_str().unwrap().to_string()
    }

    /// A screenshot of the viewport, checked and kept as `target/test-artifacts/browser/NAME`.
    fn screenshot(&self, name: &str) -> Png {
        let v = self.cmd("GET", "/screenshot", None);
        let bytes = STANDARD.decode(v.as_str().unwrap()).expect("base64 PNG");
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .unwrap()
            .join("test-artifacts/browser");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), &bytes).unwrap();
        let png = Png::decode(&bytes);
        png.assert_looks_like_a_page(name);
        png
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.http.delete(&self.session).send();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// One WebDriver HTTP call: its `value`, or the error and message it answered with.
fn call(http: &Client, method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
    let req = match method {
        "GET" => http.get(url),
        _ => http.post(url).json(&body.unwrap_or(json!({}))),
    };
    let r = req.send().map_err(|e| e.to_string())?;
    let ok = r.status().is_success();
    let v: Value = r.json().map_err(|e| e.to_string())?;
    let value = v["value"].clone();
    if ok {
        Ok(value)
    } else {
        Err(format!("{} {}", value["error"], value["message"]))
    }
}

/// A decoded 8-bit RGB or RGBA PNG (what Chromium's screenshots are).
struct Png {
    width: usize,
    height: usize,
    /// RGB triples, row by row.
    rgb: Vec<[u8; 3]>,
}

impl Png {
    fn decode(bytes: &[u8]) -> Png {
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
        let (mut width, mut height, mut channels) = (0, 0, 0);
        let mut idat = Vec::new();
        let mut pos = 8;
        while pos + 12 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
            let data = &bytes[pos + 8..pos + 8 + len];
            match &bytes[pos + 4..pos + 8] {
                b"IHDR" => {
                    width = u32::from_be_bytes(data[0..4].try_into().unwrap()) as usize;
                    height = u32::from_be_bytes(data[4..8].try_into().unwrap()) as usize;
                    assert_eq!((data[8], data[12]), (8, 0), "8-bit, not interlaced");
                    channels = match data[9] {
                        2 => 3,
                        6 => 4,
                        t => panic!("PNG colour type {t}"),
                    };
                }
                b"IDAT" => idat.extend_from_slice(data),
                b"IEND" => break,
                _ => {}
            }
            pos += 12 + len;
        }
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&idat[..])
            .read_to_end(&mut raw)
            .expect("the image data inflates");
        let stride = width * channels;
        assert_eq!(
            raw.len(),
            height * (stride + 1),
            "one filtered row per line"
        );
        let pixels = unfilter(&raw, stride, channels);
        let rgb = pixels
            .chunks(channels)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        Png { width, height, rgb }
    }

    /// A rendered page, not a blank or error screen: full size, text (many anti-aliased
    /// shades, dark pixels) and a coloured band or button (saturated blue).
    fn assert_looks_like_a_page(&self, name: &str) {
        assert!(
            self.width >= 800 && self.height >= 600,
            "{name}: {}×{}",
            self.width,
            self.height
        );
        let n = self.rgb.len();
        let shades: HashSet<[u8; 3]> = self.rgb.iter().copied().collect();
        let dark = self
            .rgb
            .iter()
            .filter(|p| p.iter().all(|&c| c < 80))
            .count();
        let blue = self.rgb.iter().filter(|p| is_blue(p)).count();
        assert!(shades.len() >= 100, "{name}: only {} colours", shades.len());
        assert!(
            dark * 1000 >= n,
            "{name}: little dark text ({dark} of {n} pixels)"
        );
        assert!(
            blue * 100 >= 3 * n,
            "{name}: little blue ({blue} of {n} pixels)"
        );
    }
}

/// Medicare's and Blue Button's blues (#0071bc and kin), not grey or black.
fn is_blue(p: &[u8; 3]) -> bool {
    let [r, g, b] = p.map(i32::from);
    b >= 120 && b - r >= 80 && b - g >= 30
}

/// Undoes PNG's per-row filters (None, Sub, Up, Average, Paeth).
fn unfilter(raw: &[u8], stride: usize, bpp: usize) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(raw.len());
    for row in raw.chunks(stride + 1) {
        let start = out.len();
        for (i, &x) in row[1..].iter().enumerate() {
            let a = if i >= bpp { out[start + i - bpp] } else { 0 };
            let b = if start >= stride {
                out[start + i - stride]
            } else {
                0
            };
            let c = if i >= bpp && start >= stride {
                out[start + i - bpp - stride]
            } else {
                0
            };
            let pred = match row[0] {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => paeth(a, b, c),
                f => panic!("PNG filter {f}"),
            };
            out.push(x.wrapping_add(pred));
        }
    }
    out
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let (ia, ib, ic) = (i16::from(a), i16::from(b), i16::from(c));
    let p = ia + ib - ic;
    let (pa, pb, pc) = ((p - ia).abs(), (p - ib).abs(), (p - ic).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// The query pairs of a request target.
fn query_of(target: &str) -> Vec<(String, String)> {
    let q = target.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

fn param(pairs: &[(String, String)], key: &str) -> Option<String> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// BBUser00042's Patient id as `bbgen patient` computes it, apart from the server.
fn patient_id(user: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bbgen"))
        .args(["patient", user, "--users", "200", "--seed", "42", "--fhir"])
        .output()
        .expect("bbgen patient runs");
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let patient = &doc["entry"][0]["resource"];
    assert_eq!(patient["resourceType"], "Patient");
    s(&patient["id"])
}

/// A server with one app whose redirect URI is `callback`'s loopback address.
fn sandbox(callback: &Callback) -> (Sandbox, TestApp) {
    let app = TestApp::new(
        "browserapp",
        &format!("http://127.0.0.1:{}/cb", callback.port),
    );
    let sb = Sandbox::start(&["--app", &app.flag()]);
    (sb, app)
}

/// What a page says in one language, and the authorize parameter that asks for it.
struct Words {
    name: &'static str,
    query: &'static [(&'static str, &'static str)],
    log_in: &'static str,
    wrong: &'static str,
    connect: &'static str,
}

const ENGLISH: Words = Words {
    name: "en",
    query: &[],
    log_in: "Log in",
    wrong: "The username or password you entered is incorrect.",
    connect: "Connect",
};

const SPANISH: Words = Words {
    name: "es",
    query: &[("lang", "es")],
    log_in: "Entrar",
    wrong: "El nombre de usuario o la contraseña que ingresó no es correcto.",
    connect: "Conectar",
};

/// Opens the authorize URL and logs in as `user` as a person would: a mistyped password first
/// (the page says so and keeps the user name), then the right one; returns once the consent
/// page shows. The log-in page, its error and the consent page are screenshotted.
fn log_in(b: &Browser, sb: &Sandbox, app: &TestApp, words: &Words, user: u64) {
    let (_, challenge) = pkce();
    let query = authorize_query(app, &challenge, words.query);
    b.go(&sb.url(&format!("/v2/o/authorize/?{query}")));
    assert_eq!(b.text("#login-button"), words.log_in);
    assert!(
        b.url().contains("/mymedicare/sls/login?relay="),
        "{}",
        b.url()
    );
    b.screenshot(&format!("login-{}.png", words.name));
    let name = format!("BBUser{user:05}");
    b.type_into("#username", &name);
    b.type_into("#password", &format!("PW{user:05}?"));
    b.click("#login-button");
    assert_eq!(b.text("#login-error"), words.wrong);
    assert_eq!(b.value("#username"), name);
    b.screenshot(&format!("login-error-{}.png", words.name));
    b.type_into("#password", &format!("PW{user:05}!"));
    b.click("#login-button");
    assert_eq!(b.text("#approve"), words.connect);
    assert!(b.url().contains("/v2/o/authorize/"), "{}", b.url());
    b.screenshot(&format!("consent-{}.png", words.name));
}

#[test]
fn a_person_logs_in_and_approves_in_chromium() {
    let Some((chromium, driver)) = tools() else {
        return;
    };
    let cb = Callback::start();
    let (sb, app) = sandbox(&cb);
    let b = Browser::start(&chromium, &driver);
    log_in(&b, &sb, &app, &ENGLISH, 42);
    b.click("#approve");

    let target = cb.wait("/cb");
    let q = query_of(&target);
    let code = param(&q, "code").expect("a code");
    assert_eq!(code.len(), 30, "{code}");
    assert!(code.bytes().all(|c| c.is_ascii_alphanumeric()), "{code}");
    assert_eq!(param(&q, "state").as_deref(), Some(STATE));
    assert!(b.url().starts_with(&app.redirect), "{}", b.url());

    let r = exchange(&sb, &app, &code);
    assert_eq!(r.status(), 200);
    let t: Value = r.json().unwrap();
    assert_eq!(s(&t["patient"]), patient_id("BBUser00042"));
}

#[test]
fn in_spanish_a_person_logs_in_and_cancels() {
    let Some((chromium, driver)) = tools() else {
        return;
    };
    let cb = Callback::start();
    let (sb, app) = sandbox(&cb);
    let b = Browser::start(&chromium, &driver);
    log_in(&b, &sb, &app, &SPANISH, 43);
    b.click("#deny");

    let q = query_of(&cb.wait("/cb"));
    assert_eq!(param(&q, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&q, "state").as_deref(), Some(STATE));
    assert_eq!(param(&q, "code"), None);
}
