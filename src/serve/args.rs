//! The options of `bbgen serve`.

use std::path::PathBuf;

use clap::Args;

use super::Config;
use crate::cli::DataArgs;

/// Options of `bbgen serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Address to listen on; `localhost` listens on both 127.0.0.1 and ::1.
    #[arg(long, default_value = "localhost", value_name = "HOST")]
    pub host: String,
    /// Port to listen on (0: any free port; the address is printed at start).
    #[arg(long, default_value_t = 8000, value_name = "PORT")]
    pub port: u16,
    /// Scheme and host for discovery documents and paging links instead of the request's Host.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Register a confidential app: CLIENT_ID:SECRET:REDIRECT_URI (split on the first two
    /// colons; repeatable).
    #[arg(long = "app", value_name = "ID:SECRET:URI")]
    pub apps: Vec<String>,
    /// Register the apps of a JSON file: [{"client_id", "client_secret", "redirect_uris"
    /// (space- or newline-separated), "name", "data_access_type" (ONE_TIME, THIRTEEN_MONTH,
    /// RESEARCH_STUDY), "require_demographic_scopes", "active", "grant_types"
    /// (["authorization-code", "implicit"])}].
    #[arg(long = "apps", value_name = "FILE")]
    pub apps_file: Option<PathBuf>,
    /// Approve every consent at once (with `login_hint=BBUser00001`, skip the log-in too).
    #[arg(long)]
    pub auto_approve: bool,
    /// Tokens, codes and approval ids from the seed and a counter (same run → same values).
    #[arg(long)]
    pub deterministic: bool,
    /// Only the hosted sandbox's surface: no /_bbgen/ controls or login hint, and client ids
    /// must be 40 alphanumerics.
    #[arg(long)]
    pub strict: bool,
    /// Throttle: requests per second per access token, as `N/s` (default 100000/s).
    #[arg(long, value_name = "N/s", value_parser = parse_rate)]
    pub rate: Option<u32>,
}

fn parse_rate(s: &str) -> Result<u32, String> {
    s.strip_suffix("/s")
        .unwrap_or(s)
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{s}: expected a positive number of requests per second, like 5/s"))
}

impl ServeArgs {
    /// The server's configuration (reads `--code-tables` if given).
    pub fn config(&self) -> Result<Config, String> {
        let (codes, _) = self.data.codes()?;
        Ok(Config {
            opts: self.data.options(),
            codes,
            host: self.host.clone(),
            port: self.port,
            public_url: self.public_url.clone(),
            app_flags: self.apps.clone(),
            apps_file: self.apps_file.clone(),
            auto_approve: self.auto_approve,
            deterministic: self.deterministic,
            strict: self.strict,
            rate: self.rate,
        })
    }
}
