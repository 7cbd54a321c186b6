//! The authorize flow: `/v2/o/authorize/` (or `/v1/…`, the same flow; checks in the sandbox's
//! order), the Medicare.gov log-in stand-in (`/mymedicare/login` → the log-in page →
//! `/mymedicare/sls-callback`), and the approval view `/v2/o/authorize/<uuid>/` with its consent
//! form.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;

use super::apps::App;
use super::pages::{self, ConsentFields, Lang};
use super::params::{self, Params, encode, with_query};
use super::reply::{self, status_message};
use super::scopes::Scopes;
use super::store::{APPROVAL_SECONDS, Approval, CODE_SECONDS, Code, Relay};
use super::{Server, token, uri};

/// Seconds after which expired relays, approvals and codes are dropped from memory.
const PRUNE_AT: usize = 10_000;

/// `GET /v2/o/authorize?…` (or `/v1/…`) → 301 to the same with the slash (Django's
/// `APPEND_SLASH`).
pub async fn no_slash(uri: Uri) -> Response {
    let q = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    reply::redirect(
        StatusCode::MOVED_PERMANENTLY,
        &format!("{}/{q}", uri.path()),
    )
}

/// `GET|POST /v2/o/authorize/`: the app, the query and PKCE are checked, then the log-in.
pub async fn start(State(s): State<Arc<Server>>, req: Request) -> Response {
    let raw = req.uri().query().unwrap_or("").to_string();
    // `/v1/o/authorize/` or `/v2/…`: the flow comes back to the version it started from.
    let path = format!("{}/", req.uri().path().trim_end_matches('/'));
    let is_post = req.method() == Method::POST;
    let mut p = Params::parse(&raw);
    if is_post {
        match params::form(req).await {
            Ok(body) => p.extend(body),
            Err(r) => return r,
        }
    }
    if let Err(r) = check_request(&s, &p, &raw, is_post) {
        return r;
    }
    let query = if is_post { serialize(&p) } else { raw };
    let hint = p.get("login_hint").and_then(|h| s.user_named(h));
    if let (true, false, Some(user)) = (s.cfg.auto_approve, s.cfg.strict, hint) {
        let id = new_approval(&s, user);
        return reply::redirect(StatusCode::FOUND, &format!("{path}{id}/?{query}"));
    }
    let next = format!("{path}?{query}");
    reply::redirect(
        StatusCode::FOUND,
        &format!("/mymedicare/login?next={}", encode(&next)),
    )
}

/// Steps 1, 3, 5 and 6 of the sandbox's `AuthorizationView.dispatch`.
fn check_request(s: &Server, p: &Params, raw: &str, is_post: bool) -> Result<(), Response> {
    active_app(s, p)?;
    if p.get("scope").is_some_and(|v| v.contains("AuditEvent")) {
        return Err(status_message(StatusCode::BAD_REQUEST, "Invalid scopes."));
    }
    if Params::parse(raw).get("client_secret").is_some() {
        return Err(reply::text(
            StatusCode::BAD_REQUEST,
            "Illegal query parameter [client_secret] detected",
        ));
    }
    if is_post && p.get("state").is_none() {
        return Err(status_message(
            StatusCode::UNAUTHORIZED,
            "State required in POST body.",
        ));
    }
    check_pkce_and_state(p)
}

/// The app of `client_id`, if registered and active; else the sandbox's error page.
fn active_app<'a>(s: &'a Server, p: &Params) -> Result<&'a App, Response> {
    let Some(id) = p.non_empty("client_id") else {
        return Err(reply::html(
            StatusCode::UNAUTHORIZED,
            pages::error("invalid_client : Missing client_id parameter."),
        ));
    };
    let Some(app) = s.app(id) else {
        return Err(reply::html(
            StatusCode::BAD_REQUEST,
            pages::error("invalid_client : Invalid client_id parameter value."),
        ));
    };
    if !app.is_active() {
        return Err(reply::html(
            StatusCode::FORBIDDEN,
            pages::error(&token::inactive_text(app)),
        ));
    }
    Ok(app)
}

fn check_pkce_and_state(p: &Params) -> Result<(), Response> {
    let missing: Vec<&str> = ["code_challenge", "code_challenge_method", "state"]
        .into_iter()
        .filter(|k| p.non_empty(k).is_none())
        .collect();
    if !missing.is_empty() {
        let m = format!("Missing Required Parameter(s): {}", missing.join(", "));
        return Err(status_message(StatusCode::BAD_REQUEST, &m));
    }
    if p.get("code_challenge_method") != Some("S256") {
        return Err(reply::status_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "code_challenge_method must be S256",
        ));
    }
    if p.get("state").map_or(0, |v| v.chars().count()) < 16 {
        return Err(status_message(
            StatusCode::BAD_REQUEST,
            "State parameter should have a minimum of 16 characters",
        ));
    }
    Ok(())
}

fn serialize(p: &Params) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &p.0 {
        ser.append_pair(k, v);
    }
    ser.finish()
}

fn new_approval(s: &Server, user: u64) -> String {
    let id = s.lock_secrets().uuid();
    let now = s.clock.now();
    let mut st = s.store();
    st.prune(now, PRUNE_AT);
    st.approvals
        .insert(id.clone(), Approval { user, created: now });
    id
}

/// `GET /mymedicare/login?next=…` → 302 to the log-in page with a 26-digit relay.
pub async fn mymedicare_login(State(s): State<Arc<Server>>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref().unwrap_or(""));
    let next = p.get("next").unwrap_or("/").to_string();
    let relay = s.lock_secrets().digits(26);
    let now = s.clock.now();
    s.store()
        .relays
        .insert(relay.clone(), Relay { next, created: now });
    let back = "/mymedicare/sls-callback";
    reply::redirect(
        StatusCode::FOUND,
        &format!(
            "/mymedicare/sls/login?relay={relay}&redirect_uri={}",
            encode(back)
        ),
    )
}

/// The authorize query a relay came from.
fn relay_query(s: &Server, relay: &str) -> Option<Params> {
    let st = s.store();
    let r = st.relays.get(relay)?;
    let q = r.next.split_once('?').map_or("", |(_, q)| q);
    Some(Params::parse(q))
}

/// `GET /mymedicare/sls/login`: the log-in page (in the authorize request's `lang`).
pub async fn login_page(State(s): State<Arc<Server>>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref().unwrap_or(""));
    let relay = p.get("relay").unwrap_or("");
    let query = relay_query(&s, relay).unwrap_or_default();
    let lang = Lang::from_param(query.get("lang"));
    let hint = if s.cfg.strict {
        ""
    } else {
        query.get("login_hint").unwrap_or("")
    };
    reply::html(StatusCode::OK, pages::login(lang, relay, hint, false))
}

/// `POST /mymedicare/sls/login`: a right user name and password → the callback; else the
/// page again with an error.
pub async fn login_submit(State(s): State<Arc<Server>>, req: Request) -> Response {
    let p = match params::form(req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let relay = p.get("relay").unwrap_or("").to_string();
    let name = p.get("username").unwrap_or("").trim().to_string();
    let user = s
        .user_named(&name)
        .filter(|&i| p.get("password") == Some(crate::model::ids::password(i).as_str()));
    let Some(user) = user else {
        let lang = Lang::from_param(relay_query(&s, &relay).unwrap_or_default().get("lang"));
        return reply::html(StatusCode::OK, pages::login(lang, &relay, &name, true));
    };
    let ticket = s.token();
    s.store()
        .tickets
        .insert(ticket.clone(), (user, relay.clone()));
    reply::redirect(
        StatusCode::FOUND,
        &format!(
            "/mymedicare/sls-callback?req_token={ticket}&relay={}",
            encode(&relay)
        ),
    )
}

/// `GET /mymedicare/sls-callback?req_token&relay` → 302 to the approval view.
pub async fn callback(State(s): State<Arc<Server>>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref().unwrap_or(""));
    let state_error =
        |m: &str| reply::oauth_error(StatusCode::BAD_REQUEST, &[("error", reply::Py::Str(m))]);
    let Some(relay) = p.non_empty("relay") else {
        return state_error("The state parameter is required");
    };
    let now = s.clock.now();
    let (next, ticket) = {
        let mut st = s.store();
        let next = match st.relays.remove(relay) {
            Some(r) if now - r.created <= APPROVAL_SECONDS => r.next,
            _ => return state_error("The requested state was not found"),
        };
        (next, p.get("req_token").and_then(|t| st.tickets.remove(t)))
    };
    let Some((user, _)) = ticket.filter(|(_, r)| r == relay) else {
        return reply::html(StatusCode::NOT_FOUND, pages::error("Not found."));
    };
    let (path, query) = next.split_once('?').unwrap_or((next.as_str(), ""));
    let path = authorize_path(path);
    let id = new_approval(&s, user);
    reply::redirect(StatusCode::FOUND, &format!("{path}{id}/?{query}"))
}

/// The authorize path a flow's `next` started at, `/v1/o/authorize/` or `/v2/…`; any other
/// `next` (it comes from the query, so anyone can set it) gets v2's, never a foreign URL.
fn authorize_path(next: &str) -> &'static str {
    if next == "/v1/o/authorize/" {
        "/v1/o/authorize/"
    } else {
        "/v2/o/authorize/"
    }
}

/// The approval's user, if `id` is a live approval.
fn approval_user(s: &Server, id: &str) -> Result<u64, Response> {
    let not_found = || status_message(StatusCode::NOT_FOUND, "Not found.");
    if !super::secrets::is_uuid(id) {
        return Err(not_found());
    }
    let now = s.clock.now();
    match s.store().approvals.get(id) {
        Some(a) if now - a.created <= APPROVAL_SECONDS => Ok(a.user),
        _ => Err(not_found()),
    }
}

/// What the approval view checked: the app, the redirect URI and the scopes asked for.
struct Checked<'a> {
    app: &'a App,
    redirect_uri: String,
    scopes: Scopes,
    implicit: bool,
}

/// oauthlib's `validate_authorization_request`: redirect URI (fatal, no redirect), then
/// response type and scope.
fn validate<'a>(s: &'a Server, p: &Params) -> Result<Checked<'a>, Response> {
    let app = active_app(s, p)?;
    let redirect_uri = match p.non_empty("redirect_uri") {
        Some(u) if uri::allowed(&app.redirect_uris, u) => u.to_string(),
        Some(_) => {
            return Err(reply::html(
                StatusCode::BAD_REQUEST,
                pages::error("Mismatching redirect URI."),
            ));
        }
        None => app.redirect_uris[0].text().to_string(),
    };
    let state = p.get("state").unwrap_or("");
    let implicit = match p.get("response_type") {
        Some("code") => false,
        Some("token") if app.implicit => true,
        Some("token") => return Err(app_error(&redirect_uri, "unauthorized_client", state)),
        Some(_) => return Err(app_error(&redirect_uri, "unsupported_response_type", state)),
        None => return Err(app_error(&redirect_uri, "invalid_request", state)),
    };
    let scopes = match p.get("scope") {
        None => Scopes::defaults(),
        Some(text) => Scopes::parse(text)
            .ok_or_else(|| status_message(StatusCode::BAD_REQUEST, "Invalid scopes."))?,
    };
    Ok(Checked {
        app,
        redirect_uri,
        scopes,
        implicit,
    })
}

/// A 302 back to the app with `error` and `state`.
fn app_error(redirect_uri: &str, error: &str, state: &str) -> Response {
    reply::redirect(
        StatusCode::FOUND,
        &with_query(redirect_uri, &[("error", error), ("state", state)]),
    )
}

/// `GET /v2/o/authorize/<uuid>/?…`: the consent page (or, with `--auto-approve`, the answer).
pub async fn approval(
    State(s): State<Arc<Server>>,
    Path(id): Path<String>,
    uri: Uri,
    RawQuery(q): RawQuery,
) -> Response {
    let user = match approval_user(&s, &id) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let p = Params::parse(q.as_deref().unwrap_or(""));
    let checked = match validate(&s, &p) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if s.cfg.auto_approve {
        return approve(&s, &id, user, &checked, &p, true);
    }
    let keys = [
        "client_id",
        "redirect_uri",
        "response_type",
        "state",
        "scope",
        "code_challenge",
        "code_challenge_method",
        "lang",
    ];
    let hidden: Vec<(&str, String)> = keys
        .iter()
        .filter_map(|k| p.get(k).map(|v| (*k, v.to_string())))
        .collect();
    // The form posts back to this page's own path, whichever API version it is under.
    let action = uri.path().to_string();
    let fields = ConsentFields {
        action: &action,
        app_name: &checked.app.name,
        hidden: &hidden,
    };
    reply::html(
        StatusCode::OK,
        pages::consent(Lang::from_param(p.get("lang")), &fields),
    )
}

/// `POST /v2/o/authorize/<uuid>/`: Connect (`allow`) or Cancel.
pub async fn decide(
    State(s): State<Arc<Server>>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let user = match approval_user(&s, &id) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let p = match params::form(req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if p.get("state").is_none() {
        return status_message(StatusCode::UNAUTHORIZED, "State required in POST body.");
    }
    if let Err(r) = check_pkce_and_state(&p) {
        return r;
    }
    let checked = match validate(&s, &p) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let share = p.get("share_demographic_scopes") == Some("True");
    if p.get("allow").is_none() {
        return app_error(
            &checked.redirect_uri,
            "access_denied",
            p.get("state").unwrap_or(""),
        );
    }
    approve(&s, &id, user, &checked, &p, share)
}

/// Records the consent (one live grant per app and user) and answers with a code, or with
/// tokens in the fragment for the legacy implicit flow.
fn approve(s: &Server, id: &str, user: u64, c: &Checked<'_>, p: &Params, share: bool) -> Response {
    let state = p.get("state").unwrap_or("");
    let mut scopes = c.scopes.condensed();
    if !share && c.app.require_demographic_scopes {
        scopes = scopes.without_demographics();
    }
    if scopes.is_empty() {
        return app_error(&c.redirect_uri, "access_denied", state);
    }
    let now = s.clock.now();
    token::record_consent(s, c.app, user, now);
    s.store().approvals.remove(id);
    if c.implicit {
        return implicit_answer(s, c, user, scopes, state);
    }
    let code = s.token();
    let challenge = p
        .get("code_challenge")
        .unwrap_or("")
        .trim_end_matches('=')
        .to_string();
    s.store().codes.insert(
        code.clone(),
        Code {
            client_id: c.app.client_id.clone(),
            user,
            scopes,
            redirect_uri: c.redirect_uri.clone(),
            challenge,
            expires: now + CODE_SECONDS,
        },
    );
    reply::redirect(
        StatusCode::FOUND,
        &with_query(&c.redirect_uri, &[("code", &code), ("state", state)]),
    )
}

fn implicit_answer(
    s: &Server,
    c: &Checked<'_>,
    user: u64,
    scopes: Scopes,
    state: &str,
) -> Response {
    let (access, refresh) = (s.token(), s.token());
    s.store().issue(
        (access.clone(), refresh),
        &c.app.client_id,
        user,
        scopes,
        s.clock.now(),
    );
    let fragment = format!(
        "#access_token={access}&expires_in=3600&token_type=Bearer&scope={}&state={}",
        encode(&scopes.to_string()),
        encode(state)
    );
    reply::redirect(StatusCode::FOUND, &format!("{}{fragment}", c.redirect_uri))
}

#[cfg(test)]
mod tests {
    use super::authorize_path;

    /// `next` is the client's to set: only the two authorize paths come back, anything else
    /// (another host, another path) is v2's, so the callback never redirects off the server.
    #[test]
    fn the_callback_returns_to_an_authorize_path_only() {
        assert_eq!(authorize_path("/v1/o/authorize/"), "/v1/o/authorize/");
        assert_eq!(authorize_path("/v2/o/authorize/"), "/v2/o/authorize/");
        for other in [
            "https://evil.test/",
            "//evil.test/v1/o/authorize/",
            "/v1/o/token/",
            "",
        ] {
            assert_eq!(authorize_path(other), "/v2/o/authorize/", "{other}");
        }
    }
}
