//! Discovery: the OpenID configuration (three paths, and v1's), the SMART configuration and
//! the FHIR CapabilityStatement (R4 under `/v2`, STU3 under `/v1`), built from `{H}` as the
//! sandbox's `build_endpoint_info` does. The v1 discovery documents name the v2 endpoints, as
//! the sandbox's do.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

use super::Server;
use super::reply;
use super::scopes::Resource;
use crate::emit::fhir::FhirVersion;

/// The discovery routes.
pub fn routes() -> Router<Arc<Server>> {
    Router::new()
        .route("/v2/connect/.well-known/openid-configuration", get(openid))
        .route("/.well-known/openid-configuration", get(openid))
        .route("/.well-known/openid-configuration-v2", get(openid))
        .route("/v2/fhir/.well-known/smart-configuration", get(smart))
        .route("/v2/fhir/metadata", get(metadata))
        .route("/v1/connect/.well-known/openid-configuration", get(openid))
        .route("/v1/fhir/.well-known/smart-configuration", get(smart))
        .route("/v1/fhir/metadata", get(metadata))
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

/// `GET /v1/fhir/metadata` and `/v2/…`: the version's CapabilityStatement.
async fn metadata(State(s): State<Arc<Server>>, h: HeaderMap, uri: Uri) -> Response {
    let v = if uri.path().starts_with("/v1/") {
        FhirVersion::Stu3
    } else {
        FhirVersion::R4
    };
    let o = s.origin(&h);
    let mut pairs = vec![
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
            json!({"description": "bbgen serve", "url": format!("{o}/{}/fhir/", v.api_version())}),
        ),
    ];
    pairs.extend(version_fields(v));
    pairs.push((
        "format",
        json!(["application/json", "application/fhir+json"]),
    ));
    let mut types = Resource::ALL;
    types.sort_by_key(|r| r.name());
    let resources: Vec<serde_json::Value> = types.iter().map(|r| capability(v, *r)).collect();
    pairs.push((
        "rest",
        json!([{"mode": "server", "security": security(&o), "resource": resources}]),
    ));
    ordered(StatusCode::OK, &pairs)
}

/// `fhirVersion`, and for STU3 the `acceptUnknown` it requires (`extensions`, as BFD's v1
/// statement says).
fn version_fields(v: FhirVersion) -> Vec<(&'static str, serde_json::Value)> {
    match v {
        FhirVersion::R4 => vec![("fhirVersion", json!("4.0.1"))],
        FhirVersion::Stu3 => vec![
            ("fhirVersion", json!("3.0.2")),
            ("acceptUnknown", json!("extensions")),
        ],
    }
}

/// One resource's entry: read and search-type; in STU3 also the base profile and the search
/// parameters the front end accepts, as BFD's v1 statement lists them.
fn capability(v: FhirVersion, r: Resource) -> serde_json::Value {
    let interaction = json!([{"code": "read"}, {"code": "search-type"}]);
    if v == FhirVersion::R4 {
        return json!({"type": r.name(), "interaction": interaction});
    }
    let own = match r {
        Resource::Patient => vec![("_id", "token"), ("identifier", "token")],
        Resource::Coverage => vec![("beneficiary", "reference")],
        Resource::ExplanationOfBenefit => vec![
            ("patient", "reference"),
            ("type", "token"),
            ("service-date", "date"),
            ("excludeSAMHSA", "string"),
            ("includeTaxNumbers", "string"),
        ],
    };
    let paging = [
        ("_lastUpdated", "date"),
        ("_count", "string"),
        ("startIndex", "string"),
    ];
    let params: Vec<serde_json::Value> = own
        .into_iter()
        .chain(paging)
        .map(|(name, t)| json!({"name": name, "type": t}))
        .collect();
    json!({
        "type": r.name(),
        "profile": {"reference": format!("http://hl7.org/fhir/Profile/{}", r.name())},
        "interaction": interaction,
        "searchParam": params,
    })
}

/// `rest[0].security`: OAuth and SMART-on-FHIR, and the OAuth endpoints. Both versions name
/// the v2 endpoints, as the discovery documents do (a token serves both).
fn security(o: &str) -> serde_json::Value {
    let oauth_uris = json!({
        "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
        "extension": [
            {"url": "token", "valueUri": format!("{o}/v2/o/token/")},
            {"url": "authorize", "valueUri": format!("{o}/v2/o/authorize/")},
            {"url": "revoke", "valueUri": format!("{o}/v2/o/revoke_token/")}
        ]
    });
    json!({
        "extension": [oauth_uris],
        "service": [{"coding": [
            {"system": "http://hl7.org/fhir/restful-security-service", "code": "OAuth", "display": "OAuth"},
            {"system": "http://hl7.org/fhir/restful-security-service", "code": "SMART-on-FHIR", "display": "SMART-on-FHIR"}
        ], "text": "OAuth"}]
    })
}
