//! `POST /v2/o/token/`: code exchange with PKCE and refresh with rotation, client
//! authentication (HTTP Basic first, then the body), and the consent record (data access
//! grant) both depend on, with the sandbox's check order and error bodies.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use super::Server;
use super::apps::{App, DataAccess};
use super::clock;
use super::params::{self, Params};
use super::reply::{self, Py, invalid_request, oauth_code, status_error};
use super::scopes::Scopes;
use super::store::{ACCESS_SECONDS, Grant};

/// The sandbox's text for an inactive app.
pub fn inactive_text(app: &App) -> String {
    format!(
        "This application, {}, is temporarily inactive. If you are the app maintainer, please \
         contact the Blue Button API team. If you are a Medicare Beneficiary and need assistance, \
         please contact the support team for the application you are trying to access.",
        app.name
    )
}

const REAUTH: &str =
    "To refresh Medicare data, end user must re-authenticate and consent to share their data.";

/// A consent: the pair's earlier tokens are revoked and its grant is created or renewed.
pub fn record_consent(s: &Server, app: &App, user: u64, now: i64) {
    let expires = match app.data_access {
        DataAccess::ThirteenMonth => Some(clock::plus_13_months(now)),
        DataAccess::OneTime | DataAccess::ResearchStudy => None,
    };
    let mut st = s.store();
    st.revoke_pair(&app.client_id, user);
    st.grants
        .insert((app.client_id.clone(), user), Grant { expires });
}

/// `Authorization: Basic` credentials, percent-decoded; `None` for any other scheme.
fn basic(h: &HeaderMap) -> Option<(String, String)> {
    let v = h.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = v.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = STANDARD.decode(rest.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    let dec = |s: &str| {
        Params::parse(&format!("x={}", s.replace('+', "%2B")))
            .get("x")
            .unwrap_or("")
            .to_string()
    };
    Some((dec(id), dec(secret)))
}

/// BB2's pre-check: the app named by Basic (401 if unknown) or by the body's `client_id`
/// (400 if unknown), which must be active.
pub fn identify<'a>(s: &'a Server, h: &HeaderMap, p: &Params) -> Result<&'a App, Response> {
    let app = match (basic(h), p.get("client_id")) {
        (Some((id, _)), _) => s.app(&id).ok_or_else(|| {
            status_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "Application does not exist",
            )
        })?,
        (None, Some(id)) => {
            if s.cfg.strict && !App::is_hosted_client_id(id) {
                return Err(status_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_client",
                    "Invalid client_id format",
                ));
            }
            s.app(id).ok_or_else(|| {
                status_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_client",
                    "Application does not exist (client_id)",
                )
            })?
        }
        (None, None) => return Err(invalid_client()),
    };
    if !app.is_active() {
        return Err(status_error(
            StatusCode::FORBIDDEN,
            "invalid_client",
            &inactive_text(app),
        ));
    }
    Ok(app)
}

/// DOT's `authenticate_client`: Basic credentials first, then `client_secret` in the body.
pub fn check_secret(app: &App, h: &HeaderMap, p: &Params) -> Result<(), Response> {
    let secret = match basic(h) {
        Some((id, secret)) if id == app.client_id => Some(secret),
        Some(_) => None,
        None => p.get("client_secret").map(str::to_string),
    };
    if secret.as_deref() == Some(app.client_secret.as_str()) {
        Ok(())
    } else {
        Err(invalid_client())
    }
}

/// Both client checks at once, for the revoke and introspect endpoints.
pub fn authenticate<'a>(s: &'a Server, h: &HeaderMap, p: &Params) -> Result<&'a App, Response> {
    let app = identify(s, h, p)?;
    check_secret(app, h, p)?;
    Ok(app)
}

/// oauthlib's 401 `invalid_client`.
pub fn invalid_client() -> Response {
    let mut r = oauth_code(StatusCode::UNAUTHORIZED, "invalid_client");
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_client\""),
    );
    r
}

/// `POST /v2/o/token/` (and without the slash).
pub async fn token(State(s): State<Arc<Server>>, req: Request) -> Response {
    let headers = req.headers().clone();
    let p = match params::form(req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let result = match p.get("grant_type") {
        None | Some("authorization_code") => exchange(&s, &headers, &p),
        Some("refresh_token") => refresh(&s, &headers, &p),
        Some(_) => Err(oauth_code(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
        )),
    };
    let mut r = result.unwrap_or_else(|e| e);
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

fn no_duplicates(p: &Params) -> Result<(), Response> {
    for key in ["client_id", "grant_type", "redirect_uri"] {
        if p.count(key) > 1 {
            return Err(invalid_request(&format!("Duplicate {key} parameter.")));
        }
    }
    Ok(())
}

/// `grant_type=authorization_code`.
fn exchange(s: &Server, h: &HeaderMap, p: &Params) -> Result<Response, Response> {
    no_duplicates(p)?;
    let app = identify(s, h, p)?;
    check_secret(app, h, p)?;
    let code = p
        .non_empty("code")
        .ok_or_else(|| invalid_request("Missing code parameter."))?;
    let now = s.clock.now();
    let (user, scopes) = {
        let st = s.store();
        let c = st
            .codes
            .get(code)
            .filter(|c| c.client_id == app.client_id && now <= c.expires)
            .ok_or_else(|| oauth_code(StatusCode::BAD_REQUEST, "invalid_grant"))?;
        let verifier = p
            .get("code_verifier")
            .ok_or_else(|| invalid_request("Code verifier required."))?;
        if !pkce_matches(verifier, &c.challenge) {
            return Err(oauth_code(StatusCode::BAD_REQUEST, "invalid_grant"));
        }
        let asked = p
            .non_empty("redirect_uri")
            .unwrap_or(app.redirect_uris[0].text());
        if asked != c.redirect_uri {
            return Err(invalid_request("Mismatching redirect URI."));
        }
        check_verifier_length(verifier)?;
        (c.user, c.scopes)
    };
    s.store().codes.remove(code);
    Ok(issue(s, app, user, scopes, now))
}

/// oauthlib's S256 check against the challenge stored without padding.
fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let digest = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    !challenge.is_empty() && digest == challenge
}

/// BB2's `validate_code_verifier`, after the hash matched: 43–128 characters.
fn check_verifier_length(v: &str) -> Result<(), Response> {
    let why = match v.chars().count() {
        n if n < 43 => "code_verifier min length is 43",
        n if n > 128 => "code_verifier max length is 128",
        _ => return Ok(()),
    };
    Err(reply::oauth_error(
        StatusCode::BAD_REQUEST,
        &[("error", Py::Null), ("error_description", Py::Str(why))],
    ))
}

/// `grant_type=refresh_token`, in the order of BB2's checks and oauthlib's grant.
fn refresh(s: &Server, h: &HeaderMap, p: &Params) -> Result<Response, Response> {
    no_duplicates(p)?;
    let app = identify(s, h, p)?;
    if app.data_access == DataAccess::OneTime {
        return Err(status_error(
            StatusCode::FORBIDDEN,
            "invalid_client",
            "Your application is not allowed to refresh tokens. To refresh Medicare data, end user \
             must re-authenticate and consent to share their data. If your application needs to \
             refresh tokens, contact us at BlueButtonAPI@cms.hhs.gov.",
        ));
    }
    let bad = |why: &str| status_error(StatusCode::BAD_REQUEST, "invalid_request", why);
    let token = p
        .non_empty("refresh_token")
        .ok_or_else(|| bad("Missing refresh token parameter"))?;
    let now = s.clock.now();
    let (user, original) = {
        let st = s.store();
        let r = st
            .refresh
            .get(token)
            .ok_or_else(|| bad("Refresh token not found."))?;
        (r.user, r.scopes)
    };
    grant_is_live(s, app, user, now)?;
    check_secret(app, h, p)?;
    let invalid_grant = || oauth_code(StatusCode::BAD_REQUEST, "invalid_grant");
    let scopes = match p.get("scope") {
        None => original,
        Some(text) => Scopes::parse(text)
            .filter(|asked| original.covers(*asked))
            .ok_or_else(|| oauth_code(StatusCode::BAD_REQUEST, "invalid_scope"))?,
    };
    {
        let mut st = s.store();
        let r = st.refresh.get_mut(token).ok_or_else(invalid_grant)?;
        if r.revoked || r.client_id != app.client_id || r.access.is_none() {
            return Err(invalid_grant());
        }
        r.revoked = true;
        let old = r.access.take();
        if let Some(old) = old {
            st.access.remove(&old);
        }
    }
    Ok(issue(s, app, user, scopes, now))
}

/// The pair's grant must exist (else 403) and not have ended (else 401).
fn grant_is_live(s: &Server, app: &App, user: u64, now: i64) -> Result<(), Response> {
    let grant = s
        .store()
        .grants
        .get(&(app.client_id.clone(), user))
        .copied();
    match grant {
        None => Err(status_error(
            StatusCode::FORBIDDEN,
            "invalid_grant",
            &format!("User access cannot be found. {REAUTH}"),
        )),
        Some(Grant { expires: Some(t) }) if now > t => Err(status_error(
            StatusCode::UNAUTHORIZED,
            "invalid_grant",
            &format!("User access has timed out. {REAUTH}"),
        )),
        Some(_) => Ok(()),
    }
}

/// A new access + refresh pair and the token response, keys in the sandbox's order.
fn issue(s: &Server, app: &App, user: u64, scopes: Scopes, now: i64) -> Response {
    let (access, refresh) = (s.token(), s.token());
    let grant = s
        .store()
        .grants
        .get(&(app.client_id.clone(), user))
        .copied();
    let expiration = match (app.data_access, grant) {
        (DataAccess::ResearchStudy, _) => String::new(),
        (DataAccess::OneTime, _) => clock::iso_seconds(now + ACCESS_SECONDS),
        (DataAccess::ThirteenMonth, g) => g
            .and_then(|g| g.expires)
            .map(clock::iso_seconds)
            .unwrap_or_default(),
    };
    s.store().issue(
        (access.clone(), refresh.clone()),
        &app.client_id,
        user,
        scopes,
        now,
    );
    let patient = crate::model::ids::bene_id(user).to_string();
    let scope = scopes.to_string();
    let body = reply::py_json(&[
        ("access_token", Py::Str(&access)),
        ("expires_in", Py::Int(ACCESS_SECONDS)),
        ("token_type", Py::Str("Bearer")),
        ("scope", Py::Str(&scope)),
        ("refresh_token", Py::Str(&refresh)),
        ("patient", Py::Str(&patient)),
        ("access_grant_expiration", Py::Str(&expiration)),
    ]);
    reply::json(StatusCode::OK, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_and_unpadded_challenges_match() {
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let c = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(v, c));
        assert!(pkce_matches(v, c.trim_end_matches('=')));
        assert!(!pkce_matches("x", c));
        assert!(check_verifier_length(&"a".repeat(42)).is_err());
        assert!(check_verifier_length(&"a".repeat(43)).is_ok());
    }
}
