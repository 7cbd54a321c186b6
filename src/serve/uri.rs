//! Redirect URIs: registration (no fragment) and the matching rule of django-oauth-toolkit's
//! `redirect_to_uri_allowed`: scheme and path equal, the registered query a subset of the
//! request's, and the netloc equal — except that a registered `http://127.0.0.1/…` or
//! `http://[::1]/…` without a port matches any port (RFC 8252 loopback; `localhost` does not).

/// The parts of a URI that matching looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectUri {
    text: String,
    scheme: String,
    netloc: String,
    path: String,
    query: Vec<(String, String)>,
}

impl RedirectUri {
    /// Parses `text`, or says why it is not a URI.
    pub fn parse(text: &str) -> Option<RedirectUri> {
        let (scheme, rest) = text.split_once(':')?;
        let scheme_ok = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if !scheme_ok {
            return None;
        }
        let rest = rest.split('#').next().unwrap_or_default();
        let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (netloc, path) = match before_query.strip_prefix("//") {
            Some(authority) => match authority.find('/') {
                Some(k) => (&authority[..k], &authority[k..]),
                None => (authority, ""),
            },
            None => ("", before_query),
        };
        Some(RedirectUri {
            text: text.to_string(),
            scheme: scheme.to_ascii_lowercase(),
            netloc: netloc.to_string(),
            path: path.to_string(),
            query: form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        })
    }

    /// A URI as an app registers it: no fragment allowed.
    pub fn register(text: &str) -> Result<RedirectUri, String> {
        if text.contains('#') {
            return Err(format!(
                "redirect URI {text} has a fragment, which is not allowed"
            ));
        }
        RedirectUri::parse(text).ok_or_else(|| format!("{text} is not a URI"))
    }

    /// The URI as registered.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether a request's `redirect_uri` is allowed by this registered one.
    pub fn allows(&self, asked: &RedirectUri) -> bool {
        if self.scheme != asked.scheme || self.path != asked.path {
            return false;
        }
        if !self.query.iter().all(|p| asked.query.contains(p)) {
            return false;
        }
        let (host, port) = split_host_port(&self.netloc);
        let loopback = (host == "127.0.0.1" || host == "[::1]") && port.is_none();
        if loopback && asked.scheme == "http" && split_host_port(&asked.netloc).0 == host {
            return true;
        }
        self.netloc == asked.netloc
    }

    /// Whether the scheme is neither http nor https (such apps must use PKCE).
    pub fn is_custom_scheme(&self) -> bool {
        self.scheme != "http" && self.scheme != "https"
    }
}

fn split_host_port(netloc: &str) -> (&str, Option<&str>) {
    let hostport = netloc.rsplit('@').next().unwrap_or(netloc);
    let colon = if hostport.starts_with('[') {
        hostport
            .find(']')
            .and_then(|k| hostport[k..].find(':').map(|c| k + c))
    } else {
        hostport.rfind(':')
    };
    match colon {
        Some(k) => (&hostport[..k], Some(&hostport[k + 1..])),
        None => (hostport, None),
    }
}

/// Whether one of `registered` allows `asked`.
pub fn allowed(registered: &[RedirectUri], asked: &str) -> bool {
    RedirectUri::parse(asked).is_some_and(|a| registered.iter().any(|r| r.allows(&a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(reg: &str, asked: &str) -> bool {
        allowed(&[RedirectUri::register(reg).unwrap()], asked)
    }

    #[test]
    fn matching_rules() {
        assert!(ok("http://127.0.0.1/cb", "http://127.0.0.1:54321/cb"));
        assert!(ok("http://[::1]/cb", "http://[::1]:54321/cb"));
        assert!(!ok("http://localhost/cb", "http://localhost:54321/cb"));
        assert!(!ok("http://127.0.0.1:80/cb", "http://127.0.0.1:54321/cb"));
        assert!(ok("http://a/cb?a=1", "http://a/cb?b=2&a=1"));
        assert!(!ok("http://a/cb?a=1", "http://a/cb"));
        assert!(!ok("http://a/cb", "http://a/cb/"));
        assert!(!ok("http://a/cb", "https://a/cb"));
        assert!(ok(
            "gov.cms.bluebutton.oauthtester:/cb",
            "gov.cms.bluebutton.oauthtester:/cb"
        ));
        assert!(!ok("http://a/cb", "not a uri"));
        assert!(RedirectUri::register("http://a/cb#x").is_err());
    }
}
