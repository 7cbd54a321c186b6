//! Request parameters: decoded query strings and form bodies (urlencoded or multipart, as the
//! Python SDK posts), where repeated keys keep every value and lookups take the last one.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::reply;

/// Decoded `(key, value)` pairs in request order.
#[derive(Clone, Debug, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// Parses a raw query string (or urlencoded body).
    pub fn parse(raw: &str) -> Params {
        Params(crate::api::query_pairs(raw))
    }

    /// The last value of `key` (Django's `QueryDict.dict()`).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The last value of `key`, when it is not empty.
    pub fn non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }

    /// How many times `key` occurs.
    pub fn count(&self, key: &str) -> usize {
        self.0.iter().filter(|(k, _)| k == key).count()
    }

    /// Adds pairs after these ones.
    pub fn extend(&mut self, more: Params) {
        self.0.extend(more.0);
    }
}

/// Reads a form body: `application/x-www-form-urlencoded` or `multipart/form-data`.
pub async fn form(req: Request) -> Result<Params, Response> {
    let is_multipart = content_type(req.headers()).starts_with("multipart/form-data");
    if is_multipart {
        let mut mp = Multipart::from_request(req, &())
            .await
            .map_err(|e| reply::invalid_request(&e.body_text()))?;
        let mut pairs = Vec::new();
        loop {
            match mp.next_field().await {
                Ok(Some(f)) => {
                    let name = f.name().unwrap_or_default().to_string();
                    let value = f
                        .text()
                        .await
                        .map_err(|e| reply::invalid_request(&e.body_text()))?;
                    pairs.push((name, value));
                }
                Ok(None) => return Ok(Params(pairs)),
                Err(e) => return Err(reply::invalid_request(&e.body_text())),
            }
        }
    }
    let bytes = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .map_err(|_| reply::text(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large"))?;
    Ok(Params::parse(&String::from_utf8_lossy(&bytes)))
}

/// The request's content type (empty if none).
pub fn content_type(h: &HeaderMap) -> &str {
    h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn encode(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// `base` + `?` or `&` + `pairs`, as redirects to an app add `code`, `state` or `error`.
pub fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{}", q.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_value_wins_and_queries_append() {
        let p = Params::parse("a=1&b=x+y&a=2");
        assert_eq!(
            (p.get("a"), p.get("b"), p.count("a")),
            (Some("2"), Some("x y"), 2)
        );
        assert_eq!(
            with_query("http://a/cb?x=1", &[("code", "c d")]),
            "http://a/cb?x=1&code=c%20d"
        );
    }
}
