//! The local test controls under `/_bbgen/` (absent with `--strict`): health, the virtual
//! clock, fault and latency rules, captured requests with secrets redacted, the registered
//! apps (and the switch that makes one inactive); and the per-token throttle behind the `X-RateLimit-*` headers.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::apps::App;
use super::reply;
use super::{Server, clock};

/// How many requests the capture keeps (the oldest go first).
const CAPTURE_KEEP: usize = 500;
/// The sandbox's throttle when none is asked for (`TOKEN_THROTTLE_RATE`).
const DEFAULT_RATE: u32 = 100_000;

/// One fault or latency rule.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Applies to paths starting with this (`/v2/fhir/ExplanationOfBenefit`).
    pub path: String,
    /// Only this method, if given.
    pub method: Option<String>,
    /// Answer with this status and the sandbox's body for it; `None`: only delay.
    pub status: Option<u16>,
    /// Share of matching requests hit, 0–1 (spread evenly: every 1/rate-th request).
    #[serde(default = "one")]
    pub rate: f64,
    /// Stop after this many hits.
    pub count: Option<u64>,
    /// Milliseconds to wait before answering (or passing on).
    #[serde(default)]
    pub delay_ms: u64,
    /// `Retry-After` seconds for a 429 or 503.
    pub retry_after: Option<u64>,
    #[serde(default, skip_deserializing)]
    seen: u64,
    #[serde(default, skip_deserializing)]
    hits: u64,
}

fn one() -> f64 {
    1.0
}

/// One captured request.
#[derive(Clone, Serialize)]
pub struct Captured {
    pub at: String,
    pub method: String,
    pub path: String,
    /// Query and form parameters, secrets replaced by `[redacted]`.
    pub params: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub status: u16,
}

/// The controls' state.
#[derive(Default)]
pub struct Extras {
    faults: Mutex<Vec<Fault>>,
    capture: Mutex<VecDeque<Captured>>,
    /// Per token: the current one-second window and requests in it.
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

/// What a fault rule does to one request.
pub struct Hit {
    pub delay_ms: u64,
    pub answer: Option<Response>,
}

impl Extras {
    /// The first rule matching the request that fires this time, counting it.
    pub fn fault_for(&self, method: &str, path: &str) -> Option<Hit> {
        let mut rules = self.faults.lock().unwrap_or_else(|e| e.into_inner());
        for f in rules.iter_mut() {
            let matches = path.starts_with(&f.path)
                && f.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
                && f.count.is_none_or(|c| f.hits < c);
            if !matches {
                continue;
            }
            f.seen += 1;
            let due = (f.seen as f64 * f.rate).floor() as u64
                > ((f.seen - 1) as f64 * f.rate).floor() as u64;
            if due {
                f.hits += 1;
                return Some(Hit {
                    delay_ms: f.delay_ms,
                    answer: f.status.map(|s| fault_answer(s, f.retry_after)),
                });
            }
        }
        None
    }

    /// Keeps a captured request.
    pub fn record(&self, c: Captured) {
        let mut q = self.capture.lock().unwrap_or_else(|e| e.into_inner());
        if q.len() == CAPTURE_KEEP {
            q.pop_front();
        }
        q.push_back(c);
    }

    /// Counts a request of `token`: the three `X-RateLimit-*` values, or the seconds to wait.
    pub fn throttle(
        &self,
        token: &str,
        rate: Option<u32>,
        now_ms: i64,
    ) -> Result<Option<[HeaderValue; 3]>, u64> {
        let limit = rate.unwrap_or(DEFAULT_RATE);
        let second = now_ms.div_euclid(1000);
        let mut w = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if w.len() > 100_000 {
            w.retain(|_, (s, _)| *s == second);
        }
        let entry = w.entry(token.to_string()).or_insert((second, 0));
        if entry.0 != second {
            *entry = (second, 0);
        }
        if entry.1 >= limit {
            return Err(1);
        }
        entry.1 += 1;
        let reset = (1000 - now_ms.rem_euclid(1000)) as f64 / 1000.0;
        Ok(Some([
            HeaderValue::from(limit),
            HeaderValue::from(limit - entry.1),
            HeaderValue::from_str(&format!("{reset}")).unwrap_or(HeaderValue::from_static("1.0")),
        ]))
    }
}

/// The sandbox's own body for an injected status.
fn fault_answer(status: u16, retry_after: Option<u64>) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let ct = "application/json";
    let mut r = match status {
        401 => reply::detail(code, ct, "Authentication credentials were not provided."),
        403 => reply::detail(
            code,
            ct,
            "You do not have permission to perform this action.",
        ),
        404 => reply::detail(code, ct, "Not found."),
        429 => reply::detail(
            code,
            ct,
            &format!(
                "Request was throttled. Expected available in {} seconds.",
                retry_after.unwrap_or(1)
            ),
        ),
        400..=499 => reply::detail(code, ct, "An error occurred contacting the upstream server"),
        _ => reply::detail(
            code,
            ct,
            "A failure occurred contacting the upstream server",
        ),
    };
    if let Some(secs) = retry_after.or((status == 429).then_some(1)) {
        r.headers_mut()
            .insert(axum::http::header::RETRY_AFTER, HeaderValue::from(secs));
    }
    r
}

/// Parameter and header names whose values never appear in the capture.
const SECRETS: [&str; 9] = [
    "client_secret",
    "code",
    "code_verifier",
    "refresh_token",
    "access_token",
    "token",
    "password",
    "req_token",
    "authorization",
];

/// `value`, or `[redacted]` when `name` holds a secret (an Authorization header keeps its scheme).
pub fn redact(name: &str, value: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if !SECRETS.contains(&lower.as_str()) {
        return value.to_string();
    }
    match value.split_once(' ') {
        Some((scheme, _)) if lower == "authorization" => format!("{scheme} [redacted]"),
        _ => "[redacted]".to_string(),
    }
}

/// The `/_bbgen/` routes.
pub fn routes() -> Router<Arc<Server>> {
    Router::new()
        .route(
            "/_bbgen/health",
            get(|| async { reply::json(StatusCode::OK, "{\"status\":\"ok\"}".into()) }),
        )
        .route("/_bbgen/clock", get(clock_get).post(clock_set))
        .route("/_bbgen/clock/advance", post(clock_advance))
        .route(
            "/_bbgen/faults",
            get(faults_get).post(faults_add).delete(faults_clear),
        )
        .route("/_bbgen/requests", get(requests_get).delete(requests_clear))
        .route("/_bbgen/apps", get(apps_get))
        .route("/_bbgen/apps/{client_id}", post(app_set))
}

fn clock_body(s: &Server) -> Response {
    let body = serde_json::json!({
        "now": clock::iso_millis(s.clock.now_ms()),
        "offset_seconds": s.clock.offset_ms() as f64 / 1000.0,
    });
    reply::json(StatusCode::OK, body.to_string())
}

async fn clock_get(State(s): State<Arc<Server>>) -> Response {
    clock_body(&s)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockSet {
    now: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockAdvance {
    seconds: f64,
}

fn bad_json(e: impl std::fmt::Display) -> Response {
    reply::detail(StatusCode::BAD_REQUEST, "application/json", &e.to_string())
}

/// `POST /_bbgen/clock {"now":"2027-01-01T00:00:00Z"}`.
async fn clock_set(State(s): State<Arc<Server>>, body: Bytes) -> Response {
    match serde_json::from_slice::<ClockSet>(&body) {
        Ok(c) => match clock::parse_iso_ms(&c.now) {
            Some(ms) => {
                s.clock.set_ms(ms);
                clock_body(&s)
            }
            None => bad_json(format!("not an RFC 3339 time: {}", c.now)),
        },
        Err(e) => bad_json(e),
    }
}

/// `POST /_bbgen/clock/advance {"seconds":3601}`.
async fn clock_advance(State(s): State<Arc<Server>>, body: Bytes) -> Response {
    match serde_json::from_slice::<ClockAdvance>(&body) {
        Ok(a) => {
            s.clock.advance_ms((a.seconds * 1000.0) as i64);
            clock_body(&s)
        }
        Err(e) => bad_json(e),
    }
}

async fn faults_get(State(s): State<Arc<Server>>) -> Response {
    let rules = s
        .extras
        .faults
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    reply::json(
        StatusCode::OK,
        serde_json::to_string(&rules).unwrap_or_default(),
    )
}

/// `POST /_bbgen/faults` with one rule (or an array of rules).
async fn faults_add(State(s): State<Arc<Server>>, body: Bytes) -> Response {
    let rules: Result<Vec<Fault>, _> = serde_json::from_slice::<Vec<Fault>>(&body)
        .or_else(|_| serde_json::from_slice::<Fault>(&body).map(|f| vec![f]));
    match rules {
        Ok(r) if r.iter().all(|f| (0.0..=1.0).contains(&f.rate)) => {
            s.extras
                .faults
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(r);
            faults_get(State(s)).await
        }
        Ok(_) => bad_json("rate must be between 0 and 1"),
        Err(e) => bad_json(e),
    }
}

async fn faults_clear(State(s): State<Arc<Server>>) -> Response {
    s.extras
        .faults
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    reply::json(StatusCode::OK, "[]".into())
}

async fn requests_get(State(s): State<Arc<Server>>) -> Response {
    let q = s.extras.capture.lock().unwrap_or_else(|e| e.into_inner());
    let all: Vec<&Captured> = q.iter().collect();
    reply::json(
        StatusCode::OK,
        serde_json::to_string(&all).unwrap_or_default(),
    )
}

async fn requests_clear(State(s): State<Arc<Server>>) -> Response {
    s.extras
        .capture
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    reply::json(StatusCode::OK, "[]".into())
}

/// One registered app as `/_bbgen/apps` shows it, without its secret.
fn app_json(a: &App) -> serde_json::Value {
    serde_json::json!({
        "name": a.name,
        "client_id": a.client_id,
        "redirect_uris": a.redirect_uris.iter().map(|u| u.text()).collect::<Vec<_>>(),
        "data_access_type": format!("{:?}", a.data_access),
        "require_demographic_scopes": a.require_demographic_scopes,
        "active": a.is_active(),
        "implicit": a.implicit,
    })
}

/// The registered apps, without their secrets.
async fn apps_get(State(s): State<Arc<Server>>) -> Response {
    let apps: Vec<serde_json::Value> = s.apps.iter().map(app_json).collect();
    reply::json(StatusCode::OK, serde_json::Value::from(apps).to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppSet {
    active: bool,
}

/// `POST /_bbgen/apps/{client_id} {"active":false}`: the hosted sandbox's switch that makes an
/// app "temporarily inactive", so an app can test what its users see when that happens.
async fn app_set(
    State(s): State<Arc<Server>>,
    Path(client_id): Path<String>,
    body: Bytes,
) -> Response {
    let Some(app) = s.app(&client_id) else {
        return reply::detail(StatusCode::NOT_FOUND, "application/json", "Not found.");
    };
    match serde_json::from_slice::<AppSet>(&body) {
        Ok(set) => {
            app.set_active(set.active);
            reply::json(StatusCode::OK, app_json(app).to_string())
        }
        Err(e) => bad_json(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(redact("client_secret", "s3"), "[redacted]");
        assert_eq!(redact("Authorization", "Bearer abc"), "Bearer [redacted]");
        assert_eq!(redact("state", "xyz"), "xyz");
    }

    #[test]
    fn rules_fire_at_their_rate_and_count() {
        let e = Extras::default();
        let f: Fault =
            serde_json::from_str(r#"{"path":"/v2/fhir","status":503,"rate":0.5,"count":2}"#)
                .unwrap();
        e.faults.lock().unwrap().push(f);
        let fired: Vec<bool> = (0..8)
            .map(|_| e.fault_for("GET", "/v2/fhir/Patient").is_some())
            .collect();
        assert_eq!(
            fired,
            [false, true, false, true, false, false, false, false]
        );
        assert!(e.fault_for("GET", "/v2/o/token/").is_none());
    }

    #[test]
    fn throttle_counts_per_second() {
        let e = Extras::default();
        assert!(e.throttle("t", Some(2), 1000).is_ok());
        assert!(e.throttle("t", Some(2), 1500).is_ok());
        assert_eq!(e.throttle("t", Some(2), 1900).err(), Some(1));
        assert!(e.throttle("t", Some(2), 2000).is_ok());
    }
}
