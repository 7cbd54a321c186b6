//! What wraps every route: a structured log line per request (to stderr), the request capture
//! and the fault rules of `/_bbgen/`, CORS for any origin, and gzip (level 1, nginx's
//! default) only when the client asks, for bodies of at least 1,000 bytes of the documented
//! types — never brotli.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, Version, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::cors::{Any, CorsLayer};

use super::extras::{Captured, redact};
use super::params::{self, Params};
use super::{Server, clock};

/// Content types nginx's `gzip_types` (and the docs) name.
const GZIP_TYPES: [&str; 5] = [
    "text/html",
    "text/plain",
    "application/json",
    "application/fhir+json",
    "application/json+fhir",
];

/// Largest form body the capture reads to redact and record.
const CAPTURE_BODY_MAX: usize = 64 * 1024;

/// The router with every shared layer.
pub fn wrap(router: Router, server: Arc<Server>) -> Router {
    let types = |_: StatusCode, _: Version, h: &HeaderMap, _: &axum::http::Extensions| {
        let ct = h
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let media = ct.split(';').next().unwrap_or("").trim();
        GZIP_TYPES.contains(&media)
    };
    let gzip = CompressionLayer::new()
        .gzip(true)
        .quality(CompressionLevel::Fastest)
        .compress_when(SizeAbove::new(1000).and(types));
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(Any);
    let strict = server.cfg.strict;
    let mut r = router.layer(gzip).layer(cors);
    if !strict {
        r = r.layer(middleware::from_fn_with_state(server.clone(), faults));
    }
    r.layer(middleware::from_fn_with_state(server, observe))
}

/// Applies the first fault rule that fires: a delay, then (if it has a status) its answer.
async fn faults(State(s): State<Arc<Server>>, req: Request, next: Next) -> Response {
    let hit = s.extras.fault_for(req.method().as_str(), req.uri().path());
    match hit {
        None => next.run(req).await,
        Some(h) => {
            if h.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(h.delay_ms)).await;
            }
            match h.answer {
                Some(r) => r,
                None => next.run(req).await,
            }
        }
    }
}

/// Logs the request as one JSON line and, unless `--strict`, captures it with secrets redacted.
async fn observe(State(s): State<Arc<Server>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let capture = !s.cfg.strict && !path.starts_with("/_bbgen/");
    let (req, mut pairs) = if capture {
        read_params(req).await
    } else {
        (req, Vec::new())
    };
    let headers: Vec<(String, String)> = if capture {
        req.headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    redact(k.as_str(), &String::from_utf8_lossy(v.as_bytes())),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    eprintln!(
        "{{\"ts\":{},\"method\":{},\"path\":{},\"status\":{status},\"ms\":{ms:.2}}}",
        super::reply::quote(&clock::iso_millis(s.clock.now_ms())),
        super::reply::quote(&method),
        super::reply::quote(&path),
    );
    if capture {
        for (k, v) in pairs.iter_mut() {
            *v = redact(k, v);
        }
        s.extras.record(Captured {
            at: clock::iso_millis(s.clock.now_ms()),
            method,
            path,
            params: pairs,
            headers,
            status,
        });
    }
    resp
}

/// The query's and (for a small form body, urlencoded or multipart as the Python SDK posts its
/// token requests) the form's parameters; the body is put back.
async fn read_params(req: Request) -> (Request, Vec<(String, String)>) {
    let mut pairs = Params::parse(req.uri().query().unwrap_or("")).0;
    let kind = params::content_type(req.headers());
    let form = kind.starts_with("application/x-www-form-urlencoded")
        || kind.starts_with("multipart/form-data");
    // Only a body that says it is small is read here; any other reaches its handler untouched.
    let small = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .is_some_and(|n| n <= CAPTURE_BODY_MAX);
    if !form || !small {
        return (req, pairs);
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, CAPTURE_BODY_MAX).await {
        Ok(bytes) => {
            // The same parser as the handlers', on a copy; a body it cannot read adds nothing
            // here, and the handler answers for it.
            let mut copy = Request::new(Body::from(bytes.clone()));
            if let Some(kind) = parts.headers.get(header::CONTENT_TYPE) {
                copy.headers_mut()
                    .insert(header::CONTENT_TYPE, kind.clone());
            }
            if let Ok(form) = params::form(copy).await {
                pairs.extend(form.0);
            }
            (Request::from_parts(parts, Body::from(bytes)), pairs)
        }
        // A body longer than it said: the handler gets none and answers as for a bad form.
        Err(_) => (Request::from_parts(parts, Body::empty()), pairs),
    }
}
