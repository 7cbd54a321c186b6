//! Discovery: the OpenID configuration (three paths), the SMART configuration and the FHIR
//! CapabilityStatement, built from `{H}` as the sandbox's `build_endpoint_info` does.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

use super::Server;
use super::reply;

/// The discovery routes.
pub fn routes() -> Router<Arc<Server>> {
    Router::new()
        .route("/v2/connect/.well-known/openid-configuration", get(openid))
        .route("/.well-known/openid-configuration", get(openid))
        .route("/.well-known/openid-configuration-v2", get(openid))
        .route("/v2/fhir/.well-known/smart-configuration", get(smart))
        .route("/v2/fhir/metadata", get(metadata))
}

/// Compact JSON with the top-level keys in the order given (serde_json's maps sort theirs).
fn ordered(status: StatusCode, pairs: &[(&str, serde_json::Value)]) -> Response {
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}:{v}", reply::quote(k)))
        .collect();
    reply::json(status, format!("{{{}}}", items.join(",")))
}

async fn openid(State(s): State<Arc<Server>>, h: HeaderMap) -> Response {
    let o = s.origin(&h);
    ordered(
        StatusCode::OK,
        &[
            ("issuer", json!(o)),
            (
                "authorization_endpoint",
                json!(format!("{o}/v2/o/authorize")),
            ),
            (
                "revocation_endpoint",
                json!(format!("{o}/v2/o/revoke_token")),
            ),
            ("token_endpoint", json!(format!("{o}/v2/o/token/"))),
            (
                "userinfo_endpoint",
                json!(format!("{o}/v2/connect/userinfo")),
            ),
            ("ui_locales_supported", json!(["en-US"])),
            (
                "service_documentation",
                json!("https://bluebutton.cms.gov/developers"),
            ),
            ("op_tos_uri", json!("https://bluebutton.cms.gov/terms")),
            (
                "grant_types_supported",
                json!(["refresh_token", "authorization_code"]),
            ),
            ("response_types_supported", json!(["code", "token"])),
            ("fhir_metadata_uri", json!(format!("{o}/v2/fhir/metadata"))),
        ],
    )
}

/// The scopes the SMART configuration lists.
const SMART_SCOPES: [&str; 9] = [
    "openid",
    "profile",
    "launch/patient",
    "patient/Patient.read",
    "patient/ExplanationOfBenefit.read",
    "patient/Coverage.read",
    "patient/Patient.rs",
    "patient/ExplanationOfBenefit.rs",
    "patient/Coverage.rs",
];

async fn smart(State(s): State<Arc<Server>>, h: HeaderMap) -> Response {
    let o = s.origin(&h);
    ordered(
        StatusCode::OK,
        &[
            (
                "authorization_endpoint",
                json!(format!("{o}/v2/o/authorize")),
            ),
            (
                "revocation_endpoint",
                json!(format!("{o}/v2/o/revoke_token")),
            ),
            ("token_endpoint", json!(format!("{o}/v2/o/token/"))),
            ("grant_types_supported", json!(["authorization_code"])),
            ("response_types_supported", json!(["code", "token"])),
            ("scopes_supported", json!(SMART_SCOPES)),
            ("code_challenge_methods_supported", json!(["S256"])),
            (
                "capabilities",
                json!([
                    "client-confidential-symmetric",
                    "context-standalone-patient",
                    "launch-standalone",
                    "permission-offline",
                    "permission-patient",
                    "permission-v1",
                    "permission-v2",
                    "authorize-post"
                ]),
            ),
        ],
    )
}

async fn metadata(State(s): State<Arc<Server>>, h: HeaderMap) -> Response {
    let o = s.origin(&h);
    let resource =
        |t: &str| json!({"type": t, "interaction": [{"code": "read"}, {"code": "search-type"}]});
    let oauth_uris = json!({
        "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
        "extension": [
            {"url": "token", "valueUri": format!("{o}/v2/o/token/")},
            {"url": "authorize", "valueUri": format!("{o}/v2/o/authorize/")},
            {"url": "revoke", "valueUri": format!("{o}/v2/o/revoke_token/")}
        ]
    });
    let security = json!({
        "extension": [oauth_uris],
        "service": [{"coding": [
            {"system": "http://hl7.org/fhir/restful-security-service", "code": "OAuth", "display": "OAuth"},
            {"system": "http://hl7.org/fhir/restful-security-service", "code": "SMART-on-FHIR", "display": "SMART-on-FHIR"}
        ], "text": "OAuth"}]
    });
    ordered(
        StatusCode::OK,
        &[
            ("resourceType", json!("CapabilityStatement")),
            ("status", json!("active")),
            ("date", json!("2025-01-01")),
            (
                "publisher",
                json!("Centers for Medicare & Medicaid Services"),
            ),
            ("kind", json!("instance")),
            (
                "software",
                json!({"name": "Blue Button API: Direct (bbgen)", "version": env!("CARGO_PKG_VERSION")}),
            ),
            (
                "implementation",
                json!({"description": "bbgen serve", "url": format!("{o}/v2/fhir/")}),
            ),
            ("fhirVersion", json!("4.0.1")),
            (
                "format",
                json!(["application/json", "application/fhir+json"]),
            ),
            (
                "rest",
                json!([{
                    "mode": "server",
                    "security": security,
                    "resource": [resource("Coverage"), resource("ExplanationOfBenefit"), resource("Patient")]
                }]),
            ),
        ],
    )
}
