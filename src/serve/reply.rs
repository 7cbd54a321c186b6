//! Response builders in the sandbox's three JSON dialects: DRF's compact `{"detail":"…"}`,
//! the `json.dumps` layout (`", "` and `": "` separators) of oauthlib and of BB2's own OAuth
//! errors, and plain pages and redirects.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

/// A value in a `json.dumps`-style body.
pub enum Py<'a> {
    Str(&'a str),
    Int(i64),
    Bool(bool),
    Null,
}

/// `{"k": v, …}` with Python's default separators, keys in the order given.
pub fn py_json(pairs: &[(&str, Py<'_>)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Py::Str(s) => quote(s),
                Py::Int(n) => n.to_string(),
                Py::Bool(b) => b.to_string(),
                Py::Null => "null".to_string(),
            };
            format!("{}: {v}", quote(k))
        })
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// A JSON string literal.
pub fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// A response with a body and a content type.
pub fn body(status: StatusCode, content_type: &'static str, bytes: impl Into<Body>) -> Response {
    let mut r = Response::new(bytes.into());
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// `application/json`.
pub fn json(status: StatusCode, text: String) -> Response {
    body(status, "application/json", text)
}

/// An oauthlib or BB2 OAuth error body (`json.dumps` layout).
pub fn oauth_error(status: StatusCode, pairs: &[(&str, Py<'_>)]) -> Response {
    json(status, py_json(pairs))
}

/// `{"error": "<code>"}`, oauthlib's bare error.
pub fn oauth_code(status: StatusCode, code: &str) -> Response {
    oauth_error(status, &[("error", Py::Str(code))])
}

/// `{"error": "invalid_request", "error_description": "<why>"}`.
pub fn invalid_request(why: &str) -> Response {
    oauth_error(
        StatusCode::BAD_REQUEST,
        &[
            ("error", Py::Str("invalid_request")),
            ("error_description", Py::Str(why)),
        ],
    )
}

/// BB2's `{"status_code": N, "message": "…"}`.
pub fn status_message(status: StatusCode, message: &str) -> Response {
    oauth_error(
        status,
        &[
            ("status_code", Py::Int(i64::from(status.as_u16()))),
            ("message", Py::Str(message)),
        ],
    )
}

/// BB2's `{"status_code": N, "error": "…", "error_description": "…"}`.
pub fn status_error(status: StatusCode, error: &str, description: &str) -> Response {
    oauth_error(
        status,
        &[
            ("status_code", Py::Int(i64::from(status.as_u16()))),
            ("error", Py::Str(error)),
            ("error_description", Py::Str(description)),
        ],
    )
}

/// DRF's compact `{"detail":"…"}` in the negotiated content type.
pub fn detail(status: StatusCode, content_type: &'static str, text: &str) -> Response {
    body(
        status,
        content_type,
        format!("{{\"detail\":{}}}", quote(text)),
    )
}

/// An HTML page.
pub fn html(status: StatusCode, page: String) -> Response {
    body(status, "text/html; charset=utf-8", page)
}

/// Django's plain `HttpResponse` text.
pub fn text(status: StatusCode, t: &str) -> Response {
    body(status, "text/html; charset=utf-8", t.to_string())
}

/// A redirect (302, or 301 for the missing slash).
pub fn redirect(status: StatusCode, location: &str) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// An empty 200.
pub fn empty_ok() -> Response {
    body(StatusCode::OK, "text/html; charset=utf-8", Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_layout() {
        let b = py_json(&[
            ("error", Py::Null),
            ("error_description", Py::Str("a \"b\"")),
        ]);
        assert_eq!(b, r#"{"error": null, "error_description": "a \"b\""}"#);
        assert_eq!(
            py_json(&[("status_code", Py::Int(400))]),
            r#"{"status_code": 400}"#
        );
    }
}
