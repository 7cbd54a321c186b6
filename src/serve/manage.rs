//! Token management: `revoke_token/` (one token), `revoke/` (the whole grant), `introspect/`,
//! and the sandbox-only `expire_authenticated_user/<patient>/`.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;

use super::Server;
use super::apps::App;
use super::params::{self, Params};
use super::reply::{self, Py};
use super::token::{authenticate, check_secret, identify, invalid_client};

/// The form (POST) or query (GET) and the headers of a management request.
async fn read(req: Request) -> Result<(axum::http::HeaderMap, Params), Response> {
    let headers = req.headers().clone();
    let mut p = Params::parse(req.uri().query().unwrap_or(""));
    if req.method() == Method::POST {
        p.extend(params::form(req).await?);
    }
    Ok((headers, p))
}

/// A management request from an app that authenticates as a client (Basic or body secret).
async fn read_as_client(s: &Server, req: Request) -> Result<(&App, Params), Response> {
    let (h, p) = read(req).await?;
    let app = authenticate(s, &h, &p)?;
    Ok((app, p))
}

/// Which (app, user) a token belongs to, if it is a live access token or a refresh token.
fn owner(s: &Server, token: &str) -> Option<(String, u64, bool)> {
    let st = s.store();
    if let Some(a) = st.access.get(token) {
        return Some((a.client_id.clone(), a.user, true));
    }
    st.refresh
        .get(token)
        .map(|r| (r.client_id.clone(), r.user, false))
}

fn foreign() -> Response {
    reply::oauth_error(
        StatusCode::FORBIDDEN,
        &[
            ("status_code", Py::Int(403)),
            (
                "description",
                Py::Str("Application did not have access to the provided token."),
            ),
        ],
    )
}

/// `POST /v2/o/revoke_token/`: revokes one token (an access token's refresh token then fails).
pub async fn revoke_token(State(s): State<Arc<Server>>, req: Request) -> Response {
    let (app, p) = match read_as_client(&s, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let token = p.get("token").unwrap_or("");
    match owner(&s, token) {
        Some((client, ..)) if client != app.client_id => foreign(),
        Some((_, _, true)) => {
            s.store().revoke_access(token);
            reply::empty_ok()
        }
        Some((_, _, false)) => {
            let mut st = s.store();
            let access = st.refresh.get_mut(token).and_then(|r| {
                r.revoked = true;
                r.access.take()
            });
            if let Some(a) = access {
                st.access.remove(&a);
            }
            reply::empty_ok()
        }
        None => reply::empty_ok(),
    }
}

/// `POST /v2/o/revoke/`: deletes the grant of the token's app and user, so all their tokens die.
pub async fn revoke(State(s): State<Arc<Server>>, req: Request) -> Response {
    let (app, p) = match read_as_client(&s, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match owner(&s, p.get("token").unwrap_or("")) {
        Some((client, ..)) if client != app.client_id => foreign(),
        Some((client, user, _)) => {
            let mut st = s.store();
            st.grants.remove(&(client.clone(), user));
            st.revoke_pair(&client, user);
            reply::empty_ok()
        }
        None => reply::empty_ok(),
    }
}

/// `GET|POST /v2/o/introspect/`: whether an access token is live, with its scope and expiry.
pub async fn introspect(State(s): State<Arc<Server>>, req: Request) -> Response {
    let (h, p) = match read(req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if let Err(r) = authenticate(&s, &h, &p) {
        return r;
    }
    let now = s.clock.now();
    let live = {
        let st = s.store();
        st.access
            .get(p.get("token").unwrap_or(""))
            .filter(|a| now <= a.expires)
            .map(|a| (a.scopes.to_string(), a.expires, a.client_id.clone(), a.user))
    };
    let body = match live {
        Some((scope, exp, client, user)) => {
            let name = crate::model::ids::username(user);
            reply::py_json(&[
                ("active", Py::Bool(true)),
                ("scope", Py::Str(&scope)),
                ("exp", Py::Int(exp)),
                ("client_id", Py::Str(&client)),
                ("username", Py::Str(name.as_str())),
            ])
        }
        None => reply::py_json(&[("active", Py::Bool(false))]),
    };
    reply::json(StatusCode::OK, body)
}

/// `POST /v2/o/expire_authenticated_user/<patient>/` (Basic auth): deletes the grant.
pub async fn expire_user(
    State(s): State<Arc<Server>>,
    Path(patient): Path<String>,
    req: Request,
) -> Response {
    let h = req.headers().clone();
    let empty = Params::default();
    let app = match identify(&s, &h, &empty) {
        Ok(a) => a,
        Err(r) => return r,
    };
    if check_secret(app, &h, &empty).is_err() {
        return invalid_client();
    }
    let Some(user) = s.user_of_patient(&patient) else {
        return reply::text(
            StatusCode::NOT_FOUND,
            "Patient was Not Found. Please check the id number and try again.",
        );
    };
    let mut st = s.store();
    if st.grants.remove(&(app.client_id.clone(), user)).is_none() {
        return reply::text(StatusCode::NOT_FOUND, "Data Access Grant was Not Found.");
    }
    st.revoke_pair(&app.client_id, user);
    reply::text(StatusCode::OK, "success")
}
