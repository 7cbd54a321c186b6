//! `bbgen serve`: the Blue Button 2.0 sandbox over HTTP, on this machine. OAuth2 (authorize with
//! PKCE, the log-in and consent pages, tokens, refresh, revoke, introspect), the FHIR routes of v1
//! (STU3) and v2 (R4), userinfo and discovery, with the sandbox's statuses and bodies
//! (`../shared/SERVE.md` in the repository that specified it); FHIR bodies come from
//! [`crate::api`], computed per request, so nothing is preloaded. `/_bbgen/` holds the test
//! controls (clock, faults, captured requests), off with `--strict`.

// The error side of the checks below is the HTTP answer itself (`Result<_, Response>`), made
// once per refused request; boxing it would only add an allocation.
#![allow(clippy::result_large_err)]

mod apps;
mod args;
mod authorize;
mod clock;
mod extras;
mod fhir;
mod layers;
mod manage;
mod pages;
mod params;
mod reply;
mod scopes;
mod secrets;
mod store;
mod token;
mod uri;
mod wellknown;

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::HeaderMap;
use axum::http::header;
use axum::routing::{any, get, post};

use crate::Dataset;
use crate::api::Api;
use crate::codes::Codes;
use crate::emit::fhir::FhirVersion;
use crate::model::{Beneficiary, ids};
use crate::options::Options;

pub use apps::{App, DataAccess};
pub use args::ServeArgs;

/// What `bbgen serve` was asked to do.
#[derive(Clone, Debug)]
pub struct Config {
    /// The data options, as for generating files.
    pub opts: Options,
    /// The code tables (compiled in, or `--code-tables`).
    pub codes: Arc<Codes>,
    pub host: String,
    pub port: u16,
    /// The scheme and host to put in discovery documents and links instead of the request's.
    pub public_url: Option<String>,
    /// `--app ID:SECRET:URI` values.
    pub app_flags: Vec<String>,
    /// `--apps FILE`.
    pub apps_file: Option<PathBuf>,
    /// Skip the consent page (and, with `login_hint`, the log-in page).
    pub auto_approve: bool,
    /// Tokens, codes and ids from the seed and a counter.
    pub deterministic: bool,
    /// Only the hosted sandbox's surface: no `/_bbgen/`, no login hint, client ids checked.
    pub strict: bool,
    /// Requests per second and access token (the sandbox's throttle), if limited.
    pub rate: Option<u32>,
}

/// The running server's state, shared by every request.
pub struct Server {
    pub cfg: Config,
    pub apps: Vec<App>,
    pub store: Mutex<store::Store>,
    pub clock: clock::Clock,
    pub secrets: Mutex<secrets::Secrets>,
    pub extras: extras::Extras,
    /// The FHIR layer. Preparing it costs the same for any `--users` (deal blocks are dealt
    /// when a request first needs one), so the server answers as soon as it listens.
    api: Api,
}

impl Server {
    fn new(cfg: Config) -> Result<Server, String> {
        let mut apps = vec![App::default_app(cfg.opts.seed)];
        for f in &cfg.app_flags {
            apps.push(App::parse_flag(f)?);
        }
        if let Some(path) = &cfg.apps_file {
            apps.extend(apps::load_file(path)?);
        }
        apps::check_unique(&apps)?;
        let secrets = secrets::Secrets::new(cfg.deterministic, cfg.opts.seed);
        let ds = Dataset::new(cfg.opts.clone()).map_err(|e| e.to_string())?;
        Ok(Server {
            apps,
            store: Mutex::default(),
            clock: clock::Clock::default(),
            secrets: Mutex::new(secrets),
            extras: extras::Extras::default(),
            api: Api::from_dataset(ds, cfg.codes.clone()),
            cfg,
        })
    }

    /// The registered app with this client id.
    pub fn app(&self, client_id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.client_id == client_id)
    }

    /// The user index of a sandbox user name in this run.
    pub fn user_named(&self, name: &str) -> Option<u64> {
        ids::index_of_username(name).filter(|i| self.cfg.opts.user_range().contains(i))
    }

    /// The user index of a Patient id (BENE_ID) in this run.
    pub fn user_of_patient(&self, id: &str) -> Option<u64> {
        let id: i64 = id.parse().ok()?;
        ids::index_of_bene_id(id).filter(|i| self.cfg.opts.user_range().contains(i))
    }

    /// Beneficiary `i`, computed alone (no deck needed).
    pub fn beneficiary(&self, i: u64) -> Beneficiary {
        crate::generate::beneficiary(&self.cfg.opts, i)
    }

    /// The FHIR layer.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// `{H}`: `--public-url`, else `http://` + the request's `Host`.
    pub fn origin(&self, h: &HeaderMap) -> String {
        if let Some(u) = &self.cfg.public_url {
            return u.trim_end_matches('/').to_string();
        }
        let host = h
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    }

    /// A fresh token (or code).
    pub fn token(&self) -> String {
        self.lock_secrets().token()
    }

    fn lock_secrets(&self) -> std::sync::MutexGuard<'_, secrets::Secrets> {
        self.secrets.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The store, locked.
    pub fn store(&self) -> std::sync::MutexGuard<'_, store::Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn routes(server: Arc<Server>) -> Router {
    let strict = server.cfg.strict;
    let mut r = Router::new()
        .route("/mymedicare/login", get(authorize::mymedicare_login))
        .route(
            "/mymedicare/sls/login",
            get(authorize::login_page).post(authorize::login_submit),
        )
        .route("/mymedicare/sls-callback", get(authorize::callback))
        .merge(wellknown::routes())
        .merge(fhir::routes());
    for v in FhirVersion::ALL {
        r = r.merge(oauth_routes(v.api_version()));
    }
    if !strict {
        r = r.merge(extras::routes());
    }
    r.fallback(any(fhir::not_found)).with_state(server)
}

/// The OAuth routes under `/v1` or `/v2`: the same handlers, since a token has no version
/// (the hosted sandbox's v1 and v2 tokens are one and the same).
fn oauth_routes(version: &str) -> Router<Arc<Server>> {
    let o = format!("/{version}/o");
    Router::new()
        .route(
            &format!("{o}/authorize"),
            get(authorize::no_slash).post(authorize::start),
        )
        .route(
            &format!("{o}/authorize/"),
            get(authorize::start).post(authorize::start),
        )
        .route(
            &format!("{o}/authorize/{{id}}/"),
            get(authorize::approval).post(authorize::decide),
        )
        .route(&format!("{o}/token"), post(token::token))
        .route(&format!("{o}/token/"), post(token::token))
        .route(&format!("{o}/revoke_token/"), post(manage::revoke_token))
        .route(&format!("{o}/revoke/"), post(manage::revoke))
        .route(
            &format!("{o}/introspect/"),
            get(manage::introspect).post(manage::introspect),
        )
        .route(
            &format!("{o}/expire_authenticated_user/{{patient}}/"),
            post(manage::expire_user),
        )
}

/// Runs the server until SIGINT or SIGTERM; in-flight requests finish first.
pub fn run(cfg: Config) -> Result<(), String> {
    let server = Arc::new(Server::new(cfg)?);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    rt.block_on(serve(server))
}

async fn serve(server: Arc<Server>) -> Result<(), String> {
    let listeners = bind(&server.cfg.host, server.cfg.port).await?;
    let port = listeners[0].local_addr().map(|a| a.port()).unwrap_or(0);
    announce(&server, port);
    let app = layers::wrap(routes(server.clone()), server.clone());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut tasks = Vec::new();
    for l in listeners {
        let mut rx = stop_rx.clone();
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            axum::serve(l, app.into_make_service())
                .with_graceful_shutdown(async move {
                    let _ = rx.wait_for(|s| *s).await;
                })
                .await
        }));
    }
    shutdown_signal().await;
    let _ = stop_tx.send(true);
    for t in tasks {
        if let Ok(Err(e)) = t.await {
            return Err(format!("server error: {e}"));
        }
    }
    eprintln!("bbgen serve: stopped");
    Ok(())
}

/// Listens on `host:port`; `localhost` means both 127.0.0.1 and ::1 (same port).
async fn bind(host: &str, port: u16) -> Result<Vec<tokio::net::TcpListener>, String> {
    let addrs: Vec<IpAddr> = if host == "localhost" {
        vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ]
    } else {
        let ip = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .map_err(|_| format!("--host {host}: not an IP address or localhost"))?;
        vec![ip]
    };
    let first = tokio::net::TcpListener::bind(SocketAddr::new(addrs[0], port))
        .await
        .map_err(|e| format!("cannot listen on {host}:{port}: {e}"))?;
    let port = first.local_addr().map_err(|e| e.to_string())?.port();
    let mut out = vec![first];
    for ip in &addrs[1..] {
        // ::1 may be missing (IPv6 disabled); 127.0.0.1 alone still serves `localhost`.
        if let Ok(l) = tokio::net::TcpListener::bind(SocketAddr::new(*ip, port)).await {
            out.push(l);
        }
    }
    Ok(out)
}

/// Prints the base URL and the default app. A closed stdout is no reason to stop serving.
fn announce(server: &Server, port: u16) {
    let host = &server.cfg.host;
    let shown = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.clone()
    };
    let app = &server.apps[0];
    let uris: Vec<&str> = app.redirect_uris.iter().map(|u| u.text()).collect();
    let mut text = format!(
        "bbgen serve: Blue Button 2.0 sandbox on http://{shown}:{port} ({} users from BBUser{:05}, seed {})\n\
         \x20 client_id:     {}\n  client_secret: {}\n  redirect_uris: {}\n",
        server.cfg.opts.users,
        server.cfg.opts.offset,
        server.cfg.opts.seed,
        app.client_id,
        app.client_secret,
        uris.join(" ")
    );
    for extra in &server.apps[1..] {
        text.push_str(&format!("  also: {} ({})\n", extra.client_id, extra.name));
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::streams_opened_by;

    fn config(users: u64) -> Config {
        Config {
            opts: Options {
                users,
                seed: 42,
                ..Options::default()
            },
            codes: Arc::new(Codes::builtin()),
            host: "127.0.0.1".into(),
            port: 0,
            public_url: None,
            app_flags: vec![],
            apps_file: None,
            auto_approve: true,
            deterministic: true,
            strict: false,
            rate: None,
        }
    }

    /// Start-up (everything before the server listens) computes no beneficiary, claim count,
    /// claim or deck, so its time and memory are the same for 30,000 users as for the most
    /// a run can have; the first FHIR request deals the one block it needs.
    #[test]
    fn start_up_draws_for_no_user_whatever_the_number_of_users() {
        for users in [30_000, 60_000_000, ids::MAX_USERS] {
            let (server, opened) = streams_opened_by(|| Server::new(config(users)));
            let server = server.expect("a valid configuration");
            assert_eq!(opened, 0, "start-up with {users} users");
            let (page, opened) = streams_opened_by(|| {
                let q = crate::api::SearchParams::from_query("http://h/v2/fhir/", &[]);
                server
                    .api()
                    .search_eob(FhirVersion::R4, users - 1, &q.expect("no parameters"))
            });
            assert!(
                page.is_ok() && opened > 0,
                "the last user's EOB page is computed"
            );
        }
    }
}
