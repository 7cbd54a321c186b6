//! Pages through one patient's ExplanationOfBenefit search the way a client of the sandbox
//! does, through the transport-free api: ask for the first page, then follow each `next` link
//! until there is none. A query string given after the user is the request's own
//! (`type=pde&_count=5`); the links point at a local server's base.
//!
//! `cargo run --release --example api_search -- BBUser00042 'type=carrier,pde&_count=5'`

use bbgen::Options;
use bbgen::api::{Api, SearchParams};
use bbgen::emit::fhir::FhirVersion;

const BASE: &str = "http://localhost:8000/v2/fhir/";

fn main() {
    let mut args = std::env::args().skip(1);
    let who = args.next().unwrap_or_else(|| "BBUser00042".into());
    let query = args.next().unwrap_or_default();
    let api = Api::new(Options::default()).expect("valid options");
    let i = api.resolve(&who).unwrap_or_else(|e| fail(&e.to_string()));
    let mut pairs = bbgen::api::query_pairs(&query);
    loop {
        let q = SearchParams::from_query(BASE, &pairs).unwrap_or_else(|e| fail(&e.to_string()));
        let page = api
            .search_eob(FhirVersion::R4, i, &q)
            .unwrap_or_else(|e| fail(&e.to_string()));
        let page: serde_json::Value = serde_json::from_slice(&page).expect("a searchset");
        let ids: Vec<&str> = page["entry"].as_array().map_or(Vec::new(), |e| {
            e.iter()
                .filter_map(|e| e["resource"]["id"].as_str())
                .collect()
        });
        println!(
            "total {} from {}: {}",
            page["total"],
            q.start_index.unwrap_or(0),
            ids.join(" ")
        );
        let next = page["link"]
            .as_array()
            .and_then(|links| links.iter().find(|l| l["relation"] == "next")?["url"].as_str());
        match next.and_then(|url| url.split_once('?')) {
            Some((_, q)) => pairs = bbgen::api::query_pairs(q),
            None => break,
        }
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1);
}
