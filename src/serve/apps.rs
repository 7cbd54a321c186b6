//! Registered applications: the default app (printed at start), `--app ID:SECRET:URI` and the
//! full records of `--apps FILE`.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde::Deserialize;

use super::secrets::Secrets;
use super::uri::RedirectUri;

/// How long a beneficiary's consent lasts (WS `DataAccessGrant` types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DataAccess {
    /// One hour of access; refresh refused.
    OneTime,
    /// 13 months after the last consent (the default).
    ThirteenMonth,
    /// Never expires.
    ResearchStudy,
}

/// One confidential authorization-code application.
#[derive(Debug)]
pub struct App {
    /// The name shown on the consent page and in the inactive-app messages.
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    /// Registered redirect URIs, in registration order (the first is the token endpoint's default).
    pub redirect_uris: Vec<RedirectUri>,
    pub data_access: DataAccess,
    /// Whether the beneficiary's "share demographic data" choice applies (else all scopes stay).
    pub require_demographic_scopes: bool,
    /// Registered by `active` in `--apps FILE` and switched at run time by
    /// `POST /_bbgen/apps/{client_id}`, so a test can make a live token's app inactive.
    active: AtomicBool,
    /// The seed documentation's implicit flow (`response_type=token`), off by default.
    pub implicit: bool,
}

/// An `--apps FILE` record (a JSON array of these).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppRecord {
    name: Option<String>,
    client_id: String,
    client_secret: String,
    /// Separated by spaces or newlines, as the sandbox's registration form takes them.
    redirect_uris: String,
    data_access_type: Option<DataAccess>,
    require_demographic_scopes: Option<bool>,
    active: Option<bool>,
    /// `authorization-code` (always) and optionally `implicit`.
    grant_types: Option<Vec<String>>,
}

impl App {
    fn new(name: &str, id: &str, secret: &str, uris: &str) -> Result<App, String> {
        if id.is_empty() || secret.is_empty() {
            return Err("the client id and secret must not be empty".into());
        }
        let redirect_uris = uris
            .split_whitespace()
            .map(RedirectUri::register)
            .collect::<Result<Vec<_>, _>>()?;
        if redirect_uris.is_empty() {
            return Err(format!("application {id} has no redirect URI"));
        }
        Ok(App {
            name: name.to_string(),
            client_id: id.to_string(),
            client_secret: secret.to_string(),
            redirect_uris,
            data_access: DataAccess::ThirteenMonth,
            require_demographic_scopes: true,
            active: AtomicBool::new(true),
            implicit: false,
        })
    }

    /// The app bbgen registers by itself: id and secret derived from the seed, so they are the
    /// same on every start with the same `--seed`.
    pub fn default_app(seed: u64) -> App {
        let mut s = Secrets::from_rng(ChaCha20Rng::seed_from_u64(seed ^ 0xa995_0000_0000_0042));
        let (id, secret) = (s.alphanumeric(40), s.alphanumeric(128));
        App::new("bbgen sandbox app", &id, &secret, DEFAULT_REDIRECTS)
            .expect("the default redirect URIs are valid")
    }

    /// `--app CLIENT_ID:SECRET:REDIRECT_URI` (split on the first two colons).
    pub fn parse_flag(text: &str) -> Result<App, String> {
        let mut parts = text.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(id), Some(secret), Some(uri)) => {
                App::new(id, id, secret, uri).map_err(|e| format!("--app {text}: {e}"))
            }
            _ => Err(format!(
                "--app {text}: expected CLIENT_ID:SECRET:REDIRECT_URI"
            )),
        }
    }

    /// Whether the app may authorize, exchange tokens and read data.
    pub fn is_active(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }

    pub fn set_active(&self, active: bool) {
        self.active.store(active, Ordering::Relaxed);
    }

    /// Whether `id` has the hosted sandbox's client id format (40 alphanumerics).
    pub fn is_hosted_client_id(id: &str) -> bool {
        id.len() == 40 && id.bytes().all(|c| c.is_ascii_alphanumeric())
    }
}

/// Redirect URIs of the default app: any loopback port (RFC 8252) and the Python SDK's
/// sample callback on localhost:3000.
const DEFAULT_REDIRECTS: &str = "http://127.0.0.1/callback http://[::1]/callback http://localhost:3000/api/bluebutton/callback/";

/// Reads `--apps FILE`: a JSON array of records with `client_id`, `client_secret`,
/// `redirect_uris` and optionally `name`, `data_access_type`, `require_demographic_scopes`,
/// `active` and `grant_types`.
pub fn load_file(path: &Path) -> Result<Vec<App>, String> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("--apps {shown}: cannot read: {e}"))?;
    let records: Vec<AppRecord> =
        serde_json::from_str(&text).map_err(|e| format!("--apps {shown}: {e}"))?;
    records
        .into_iter()
        .map(|r| from_record(r).map_err(|e| format!("--apps {shown}: {e}")))
        .collect()
}

fn from_record(r: AppRecord) -> Result<App, String> {
    let name = r.name.as_deref().unwrap_or(&r.client_id);
    let mut app = App::new(name, &r.client_id, &r.client_secret, &r.redirect_uris)?;
    app.data_access = r.data_access_type.unwrap_or(DataAccess::ThirteenMonth);
    app.require_demographic_scopes = r.require_demographic_scopes.unwrap_or(true);
    app.set_active(r.active.unwrap_or(true));
    for g in r.grant_types.unwrap_or_default() {
        match g.as_str() {
            "authorization-code" | "authorization_code" => {}
            "implicit" => app.implicit = true,
            other => {
                return Err(format!(
                    "application {}: unknown grant type {other:?} (authorization-code, implicit)",
                    r.client_id
                ));
            }
        }
    }
    Ok(app)
}

/// Checks that no two apps share a client id.
pub fn check_unique(apps: &[App]) -> Result<(), String> {
    for (i, a) in apps.iter().enumerate() {
        if apps[..i].iter().any(|b| b.client_id == a.client_id) {
            return Err(format!("client id {} is registered twice", a.client_id));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_flag_splits_on_the_first_two_colons() {
        let a = App::parse_flag("cid:sec:http://localhost:3000/cb?a=1").unwrap();
        assert_eq!(
            (a.client_id.as_str(), a.client_secret.as_str()),
            ("cid", "sec")
        );
        assert_eq!(a.redirect_uris[0].text(), "http://localhost:3000/cb?a=1");
        assert!(App::parse_flag("cid:sec").is_err());
        assert!(App::parse_flag("cid:sec:http://x/cb#frag").is_err());
    }

    #[test]
    fn default_app_is_stable_and_hosted_shaped() {
        let (a, b) = (App::default_app(42), App::default_app(42));
        assert_eq!(a.client_id, b.client_id);
        assert!(App::is_hosted_client_id(&a.client_id));
        assert_eq!(a.client_secret.len(), 128);
        assert_ne!(a.client_id, App::default_app(7).client_id);
    }

    #[test]
    fn records_take_every_attribute() {
        let r: Vec<AppRecord> = serde_json::from_str(
            r#"[{"client_id":"x","client_secret":"y","redirect_uris":"http://a/cb\nmyapp:/cb",
                "data_access_type":"RESEARCH_STUDY","require_demographic_scopes":false,
                "active":false,"grant_types":["authorization-code","implicit"]}]"#,
        )
        .unwrap();
        let a = from_record(r.into_iter().next().unwrap()).unwrap();
        assert_eq!(a.redirect_uris.len(), 2);
        assert_eq!(a.data_access, DataAccess::ResearchStudy);
        assert!(!a.require_demographic_scopes && !a.is_active() && a.implicit);
    }
}
