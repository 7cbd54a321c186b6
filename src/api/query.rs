//! [`SearchParams`]: a search request's parameters, read as the sandbox reads them. Its front
//! end checks `startIndex`, `_count`, `_lastUpdated`, `type` and `service-date`, drops every
//! other parameter, and forwards the rest to the FHIR server with the patient's own id, which
//! writes them back into the paging links; the error texts below are that front end's (or,
//! after the `upstream` prefix, the FHIR server's).

use super::dates::DateBound;
use super::{ApiError, UPSTREAM};
use crate::emit::fhir::PageRequest;
use crate::emit::fhir::bundle::DEFAULT_COUNT;
use crate::model::ClaimType;

/// The system `type` values may name before `|`.
const EOB_TYPE_SYSTEM: &str = "https://bluebutton.cms.gov/resources/codesystem/eob-type";

/// What a search asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchParams {
    /// The FHIR base the links start with, ending in `/` (`http://localhost:8000/v2/fhir/`).
    pub base: String,
    /// `_count` (default [`DEFAULT_COUNT`]).
    pub count: Option<usize>,
    /// `startIndex` (default 0).
    pub start_index: Option<usize>,
    /// The claim types `type` asks for; `None` for all (EOB searches only).
    pub types: Option<Vec<ClaimType>>,
    /// Every `service-date` bound, all of which a claim's service end must meet (EOB searches
    /// only).
    pub service_date: Vec<DateBound>,
    /// Every `_lastUpdated` bound, all of which `meta.lastUpdated` must meet.
    pub last_updated: Vec<DateBound>,
    /// The request's parameters the paging links carry again, URL-encoded, in request order:
    /// `type` (its last value), every `service-date` and every `_lastUpdated`.
    pub link_params: Vec<(String, String)>,
}

/// Which search the links are for: Patient and Coverage searches carry `_lastUpdated` only.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Searched {
    PatientOrCoverage,
    Eob,
}

impl SearchParams {
    /// A search with every parameter at its default.
    pub fn new(base: &str) -> SearchParams {
        SearchParams {
            base: base.to_string(),
            count: None,
            start_index: None,
            types: None,
            service_date: Vec::new(),
            last_updated: Vec::new(),
            link_params: Vec::new(),
        }
    }

    /// Reads a request's decoded query `pairs`. Repeated keys: the last `_count`,
    /// `startIndex` and `type` win; every `_lastUpdated` and `service-date` counts. `count`
    /// stands for `_count`; keys the sandbox does not know are ignored.
    pub fn from_query(base: &str, pairs: &[(String, String)]) -> Result<SearchParams, ApiError> {
        let mut q = SearchParams::new(base);
        let last = |key: &str| pairs.iter().rposition(|(k, _)| k == key);
        let count_at = last("_count").max(last("count"));
        if let Some(at) = last("startIndex") {
            q.start_index = Some(start_index(&pairs[at].1)?);
        }
        if let Some(at) = count_at {
            q.count = Some(count(&pairs[at].1)?);
        }
        let type_at = last("type");
        for (at, (k, v)) in pairs.iter().enumerate() {
            match k.as_str() {
                "_lastUpdated" => q.last_updated.push(DateBound::parse(k, v)?),
                "type" if Some(at) == type_at => q.types = types(v)?,
                "service-date" => q.service_date.push(DateBound::parse(k, v)?),
                _ => continue,
            }
            q.link_params.push((k.clone(), url_encode(v)));
        }
        Ok(q)
    }

    /// The page asked for, with the links carrying `params` (from [`Self::links_for`]).
    pub(super) fn page<'a>(&'a self, params: &'a [(&'a str, &'a str)]) -> PageRequest<'a> {
        PageRequest {
            base: &self.base,
            params,
            count: self.count.unwrap_or(DEFAULT_COUNT),
            start: self.start_index.unwrap_or(0),
        }
    }

    /// The link parameters a search of `what` carries.
    pub(super) fn links_for(&self, what: Searched) -> Vec<(&str, &str)> {
        self.link_params
            .iter()
            .filter(|(k, _)| what == Searched::Eob || k == "_lastUpdated")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
}

/// A value the front end coerces to a Python int (surrounding blanks allowed).
fn int(v: &str) -> Result<i64, ApiError> {
    v.trim()
        .parse()
        .map_err(|_| ApiError::BadRequest("expected int".into()))
}

/// `startIndex`: an int for the front end, then a non-negative Java int for the FHIR server.
fn start_index(v: &str) -> Result<usize, ApiError> {
    let n = int(v)?;
    if n < 0 {
        return Err(ApiError::BadRequest(format!(
            "{UPSTREAM}HTTP 400 Bad Request: Value for startIndex cannot be negative: startIndex {n}"
        )));
    }
    i32::try_from(n).map(|n| n as usize).map_err(|_| {
        ApiError::BadRequest(format!(
            "{UPSTREAM}Invalid argument in request URL: startIndex. Cannot parse to Integer."
        ))
    })
}

/// `_count`: 0 to 50 for the front end; the FHIR server then fails on 0 (it divides by the
/// page size to find the last page).
fn count(v: &str) -> Result<usize, ApiError> {
    let n = int(v)?;
    let bad = |m: String| Err(ApiError::BadRequest(m));
    match n {
        ..0 => bad("value must be at least 0".into()),
        0 => bad(format!("{UPSTREAM}Invalid pageSize '0'")),
        1..=50 => Ok(n as usize),
        _ => bad("value must be at most 50".into()),
    }
}

/// `type`: a comma list of claim type names (`carrier`, …, `pde`, in any case), each alone or
/// after `<eob-type system>|`; the system with no code stands for every type (`None`).
fn types(v: &str) -> Result<Option<Vec<ClaimType>>, ApiError> {
    let invalid = || ApiError::BadRequest("the type parameter value is not valid".into());
    let mut out = Vec::new();
    let mut all = false;
    for token in v.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let code = match token.split_once('|') {
            Some((system, code)) if system.eq_ignore_ascii_case(EOB_TYPE_SYSTEM) => code,
            Some(_) => return Err(invalid()),
            None => token,
        };
        if code.is_empty() {
            all = true;
            continue;
        }
        let t = ClaimType::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(code))
            .ok_or_else(invalid)?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    match (all, out.is_empty()) {
        (true, _) => Ok(None),
        (false, true) => Err(invalid()),
        (false, false) => Ok(Some(out)),
    }
}

/// A value as the FHIR server writes it into its links (Java's URL form encoding: letters,
/// digits and `-_.*` stay, a space becomes `+`, every other byte `%XX`).
pub fn url_encode(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// The decoded `(key, value)` pairs of a query string, in order, as a server hands them to
/// [`SearchParams::from_query`] (`+` is a space, `%XX` a byte).
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Result<SearchParams, ApiError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        SearchParams::from_query("http://h/v2/fhir/", &pairs)
    }

    fn detail(pairs: &[(&str, &str)]) -> String {
        query(pairs).unwrap_err().to_string()
    }

    #[test]
    fn the_last_count_start_and_type_win_and_dates_add_up() {
        let q = query(&[
            ("_count", "5"),
            ("type", "carrier"),
            ("service-date", "ge2020-01-01"),
            ("_count", "10"),
            ("startIndex", " 20 "),
            (
                "type",
                "PDE,https://bluebutton.cms.gov/resources/codesystem/eob-type|dme",
            ),
            ("service-date", "le2021-01-01"),
            ("excludeSAMHSA", "true"),
            ("_format", "json"),
        ])
        .unwrap();
        assert_eq!((q.count, q.start_index), (Some(10), Some(20)));
        assert_eq!(q.types, Some(vec![ClaimType::PartD, ClaimType::Dme]));
        assert_eq!(q.service_date.len(), 2);
        let keys: Vec<&str> = q.link_params.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["service-date", "type", "service-date"]);
        assert_eq!(
            q.link_params[1].1,
            "PDE%2Chttps%3A%2F%2Fbluebutton.cms.gov%2Fresources%2Fcodesystem%2Feob-type%7Cdme"
        );
        assert!(q.links_for(Searched::PatientOrCoverage).is_empty());
        assert_eq!(query(&[("count", "7")]).unwrap().count, Some(7));
    }

    #[test]
    fn the_system_alone_means_every_type() {
        let all = "https://bluebutton.cms.gov/resources/codesystem/eob-type|";
        assert_eq!(query(&[("type", all)]).unwrap().types, None);
        assert_eq!(
            query(&[("type", &format!("pde,{all}"))]).unwrap().types,
            None
        );
    }

    #[test]
    fn bad_values_get_the_sandbox_texts() {
        assert_eq!(detail(&[("_count", "51")]), "value must be at most 50");
        assert_eq!(detail(&[("_count", "-1")]), "value must be at least 0");
        assert_eq!(detail(&[("_count", "x")]), "expected int");
        assert_eq!(detail(&[("startIndex", "1.5")]), "expected int");
        assert!(detail(&[("_count", "0")]).ends_with("Invalid pageSize '0'"));
        assert!(detail(&[("startIndex", "-3")]).ends_with("cannot be negative: startIndex -3"));
        assert!(detail(&[("startIndex", "3000000000")]).ends_with("Cannot parse to Integer."));
        for bad in ["bogus", "", "carrier,bogus", "http://x|pde", ","] {
            assert_eq!(
                detail(&[("type", bad)]),
                "the type parameter value is not valid",
                "{bad}"
            );
        }
        assert_eq!(
            detail(&[("service-date", "2020-01-01")]),
            "the service-date operator is not valid"
        );
        // Only the last `_count` is read.
        assert_eq!(
            query(&[("_count", "x"), ("_count", "3")]).unwrap().count,
            Some(3)
        );
    }

    #[test]
    fn values_are_encoded_as_the_links_write_them() {
        assert_eq!(
            url_encode("ge2020-01-01T00:00:00+05:00"),
            "ge2020-01-01T00%3A00%3A00%2B05%3A00"
        );
        assert_eq!(url_encode("a b*._"), "a+b*._");
    }
}
