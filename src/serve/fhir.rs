//! The FHIR routes (`/v1` STU3, `/v2` R4) and userinfo: bearer authentication with the sandbox's
//! 401 bodies, the app and grant checks, scopes, the token's own patient only, content type by
//! `Accept`, the per-token throttle and its headers. Bodies come from [`crate::api`] unchanged.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use axum::routing::get;

use super::Server;
use super::clock;
use super::params::Params;
use super::reply::{self, detail};
use super::scopes::{Resource, Scopes};
use super::store::Grant;
use crate::api::{ApiError, SearchParams};
use crate::emit::fhir::FhirVersion;

const NOT_PROVIDED: &str = "Authentication credentials were not provided.";
const FORBIDDEN: &str = "You do not have permission to perform this action.";
const TIMED_OUT: &str = "User access has timed out. To refresh Medicare data, end user must re-authenticate and consent to share their data.";

/// The FHIR and userinfo routes of both API versions: `/v1` serves STU3 and `/v2` R4, through
/// the same checks and the same [`crate::api`] calls, since the sandbox's tokens, paging and
/// errors do not depend on the version.
pub fn routes() -> Router<Arc<Server>> {
    let mut r = Router::new();
    for v in FhirVersion::ALL {
        for res in Resource::ALL {
            r = resource(r, v, res);
        }
        let path = format!("/{}/connect/userinfo", v.api_version());
        r = r
            .route(&path, get(userinfo))
            .route(&format!("{path}/"), get(userinfo));
    }
    r
}

/// A resource type's search (with and without the trailing slash) and read routes under
/// version `v`; other methods get the sandbox's 405.
fn resource(r: Router<Arc<Server>>, v: FhirVersion, res: Resource) -> Router<Arc<Server>> {
    let search = move |State(s): State<Arc<Server>>, h: HeaderMap, RawQuery(q): RawQuery| {
        handle(s, h, q, v, Op::Search(res))
    };
    let read =
        move |State(s): State<Arc<Server>>,
              h: HeaderMap,
              Path(id): Path<String>,
              RawQuery(q): RawQuery| { handle(s, h, q, v, Op::Read(res, id)) };
    let base = format!("/{}/fhir/{}", v.api_version(), res.name());
    r.route(&base, get(search).fallback(not_allowed))
        .route(&format!("{base}/"), get(search).fallback(not_allowed))
        .route(&format!("{base}/{{id}}"), get(read).fallback(not_allowed))
}

/// Any other path: DRF's 404.
pub async fn not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "application/json", "Not found.")
}

async fn not_allowed(method: Method) -> Response {
    let text = format!("Method \"{method}\" not allowed.");
    detail(StatusCode::METHOD_NOT_ALLOWED, "application/json", &text)
}

/// The renderer DRF picks for `Accept`: FHIR JSON first, then JSON; `None` → 406.
fn negotiate(h: &HeaderMap, fhir_first: bool) -> Option<&'static str> {
    let accept = h
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*/*");
    let default = if fhir_first {
        "application/fhir+json"
    } else {
        "application/json"
    };
    let mut wildcard = false;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        if parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000")) {
            continue;
        }
        match media.as_str() {
            "application/json" => return Some("application/json"),
            "application/fhir+json" | "application/json+fhir" if fhir_first => {
                return Some("application/fhir+json");
            }
            "*/*" | "application/*" | "" => wildcard = true,
            _ => {}
        }
    }
    wildcard.then_some(default)
}

/// An authenticated request: whose token, and what it may do.
struct Caller {
    user: u64,
    scopes: Scopes,
    content_type: &'static str,
    limits: Option<[HeaderValue; 3]>,
}

/// Bearer authentication and the view's checks, in the sandbox's order.
fn authenticate(s: &Server, h: &HeaderMap, query: &Params, fhir: bool) -> Result<Caller, Response> {
    let ct = negotiate(h, fhir).ok_or_else(|| {
        detail(
            StatusCode::NOT_ACCEPTABLE,
            "application/json",
            "Could not satisfy the request Accept header.",
        )
    })?;
    if query.get("access_token").is_some() {
        return Err(detail(
            StatusCode::BAD_REQUEST,
            ct,
            "Using the access token in the query parameters is not supported. Use the Authorization header instead",
        ));
    }
    let token = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split_once(' ')
                .filter(|(k, _)| k.eq_ignore_ascii_case("bearer"))
        })
        .map(|(_, t)| t.trim().to_string());
    let Some(token) = token else {
        return Err(unauthorized(ct, None));
    };
    let now = s.clock.now();
    let found = {
        let st = s.store();
        st.access.get(&token).map(|a| {
            let grant = st.grants.get(&(a.client_id.clone(), a.user)).copied();
            (a.client_id.clone(), a.user, a.scopes, a.expires, grant)
        })
    };
    let Some((client, user, scopes, expires, grant)) = found else {
        return Err(unauthorized(ct, Some("The access token is invalid.")));
    };
    if now > expires {
        return Err(unauthorized(ct, Some("The access token has expired.")));
    }
    if let Some(app) = s.app(&client).filter(|a| !a.is_active()) {
        return Err(detail(
            StatusCode::UNAUTHORIZED,
            ct,
            &super::token::inactive_text(app),
        ));
    }
    if let Some(Grant { expires: Some(t) }) = grant
        && now > t
    {
        return Err(detail(StatusCode::UNAUTHORIZED, ct, TIMED_OUT));
    }
    let limits = s.extras.throttle(&token, s.cfg.rate, s.clock.now_ms());
    let limits = match limits {
        Ok(l) => l,
        Err(wait) => return Err(throttled(ct, wait)),
    };
    Ok(Caller {
        user,
        scopes,
        content_type: ct,
        limits,
    })
}

fn unauthorized(ct: &'static str, why: Option<&str>) -> Response {
    let mut r = detail(StatusCode::UNAUTHORIZED, ct, NOT_PROVIDED);
    let value = match why {
        None => "Bearer realm=\"api\"".to_string(),
        Some(w) => {
            format!("Bearer realm=\"api\",error=\"invalid_token\",error_description=\"{w}\"")
        }
    };
    if let Ok(v) = HeaderValue::from_str(&value) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    r
}

fn throttled(ct: &'static str, wait: u64) -> Response {
    let text = format!("Request was throttled. Expected available in {wait} seconds.");
    let mut r = detail(StatusCode::TOO_MANY_REQUESTS, ct, &text);
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    r
}

/// What a route does once authenticated.
enum Op {
    Read(Resource, String),
    Search(Resource),
}

async fn handle(
    s: Arc<Server>,
    h: HeaderMap,
    raw: Option<String>,
    v: FhirVersion,
    op: Op,
) -> Response {
    let query = Params::parse(raw.as_deref().unwrap_or(""));
    let c = match authenticate(&s, &h, &query, true) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let allowed = match &op {
        Op::Read(r, _) => c.scopes.can_read(*r),
        Op::Search(r) => c.scopes.can_search(*r),
    };
    let mut resp = if allowed {
        let base = format!("{}/{}/fhir/", s.origin(&h), v.api_version());
        answer(&s, &c, (v, &op), &query, &base)
    } else {
        detail(StatusCode::FORBIDDEN, c.content_type, FORBIDDEN)
    };
    if let Some(l) = c.limits {
        let hs = resp.headers_mut();
        let [limit, left, reset] = l;
        hs.insert("x-ratelimit-limit", limit);
        hs.insert("x-ratelimit-remaining", left);
        hs.insert("x-ratelimit-reset", reset);
    }
    resp
}

fn answer(s: &Server, c: &Caller, (v, op): (FhirVersion, &Op), q: &Params, base: &str) -> Response {
    let own = crate::model::ids::bene_id(c.user).to_string();
    let forbidden = || detail(StatusCode::FORBIDDEN, c.content_type, FORBIDDEN);
    let api = s.api();
    let result = match op {
        Op::Read(Resource::Patient, id) if *id != own => {
            Err(ApiError::NotFound("Not found.".into()))
        }
        Op::Read(Resource::Patient, id) => api.read_patient(v, id, base),
        Op::Read(Resource::Coverage, id) => {
            api.read_coverage(v, id, base).and_then(|b| owned(b, &own))
        }
        Op::Read(Resource::ExplanationOfBenefit, id) => {
            api.read_eob(v, id, base).and_then(|b| owned(b, &own))
        }
        Op::Search(r) => {
            let (key, ok) = match r {
                Resource::Patient => ("_id", q.get("_id").is_none_or(|v| v == own)),
                Resource::Coverage => (
                    "beneficiary",
                    q.get("beneficiary")
                        .is_none_or(|v| v.contains(own.as_str())),
                ),
                Resource::ExplanationOfBenefit => {
                    ("patient", q.get("patient").is_none_or(|v| v == own))
                }
            };
            if !ok && key == "_id" {
                return detail(StatusCode::NOT_FOUND, c.content_type, "Not found.");
            }
            if !ok {
                return forbidden();
            }
            match SearchParams::from_query(base, &q.0) {
                Err(e) => Err(e),
                Ok(sp) => match r {
                    Resource::Patient => api.search_patient(v, c.user, &sp),
                    Resource::Coverage => api.search_coverage(v, c.user, &sp),
                    Resource::ExplanationOfBenefit => api.search_eob(v, c.user, &sp),
                },
            }
        }
    };
    match result {
        Ok(bytes) => reply::body(StatusCode::OK, c.content_type, bytes),
        Err(e @ ApiError::NotFound(_)) => {
            detail(StatusCode::NOT_FOUND, c.content_type, &e.to_string())
        }
        Err(e @ ApiError::BadRequest(_)) => {
            detail(StatusCode::BAD_REQUEST, c.content_type, &e.to_string())
        }
    }
}

/// A resource read by id is served only to its own patient (404 otherwise, as the sandbox's
/// crosswalk check answers).
fn owned(body: Vec<u8>, own: &str) -> Result<Vec<u8>, ApiError> {
    let needle = format!("\"reference\":\"Patient/{own}\"");
    let hit = body.windows(needle.len()).any(|w| w == needle.as_bytes());
    if hit {
        Ok(body)
    } else {
        Err(ApiError::NotFound("Not found.".into()))
    }
}

/// `GET /v1/connect/userinfo` and `/v2/…`: the token's beneficiary, with `profile` (the same
/// in both versions).
async fn userinfo(State(s): State<Arc<Server>>, h: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let query = Params::parse(q.as_deref().unwrap_or(""));
    let c = match authenticate(&s, &h, &query, false) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !c.scopes.has_profile() {
        return detail(StatusCode::FORBIDDEN, c.content_type, FORBIDDEN);
    }
    let b = s.beneficiary(c.user);
    let text = |col| {
        b.record
            .get(col)
            .as_str()
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let given = text(crate::schema::Col::BENE_GVN_NAME);
    let family = text(crate::schema::Col::BENE_SRNM_NAME);
    let id = b.bene_id.to_string();
    // The account "joined" the day after the data window, where `meta.lastUpdated` also is.
    let epoch = crate::value::Date::from_ymd(1970, 1, 1).expect("a valid date");
    let joined = (i64::from(s.cfg.opts.end_date.days_since(epoch)) + 1) * 86_400_000;
    let q = reply::quote;
    let body = format!(
        "{{\"sub\":{},\"name\":{},\"given_name\":{},\"family_name\":{},\"email\":{},\"iat\":{},\"patient\":{}}}",
        q(&id),
        q(&format!("{given} {family}")),
        q(&given),
        q(&family),
        q(&format!(
            "{}@example.com",
            b.username.as_str().to_ascii_lowercase()
        )),
        q(&clock::iso_millis(joined)),
        q(&id)
    );
    reply::body(StatusCode::OK, c.content_type, body)
}
