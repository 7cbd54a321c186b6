//! `--code-tables DIR`: descriptions come from the user's official files.

mod common;

use std::path::{Path, PathBuf};

use bbgen::cli::load_code_tables;
use bbgen::codes::Codes;
use common::{bbgen, generate, manifest};

const HCPCS_SYSTEM: &str = "https://bluebutton.cms.gov/resources/codesystem/hcpcs";

fn fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/code-tables")
        .join(name)
}

/// Every (code, display) of a HCPCS coding in the EOBs.
fn hcpcs_codings(out: &Path) -> Vec<(String, Option<String>)> {
    fn walk(v: &serde_json::Value, found: &mut Vec<(String, Option<String>)>) {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("system").and_then(|s| s.as_str()) == Some(HCPCS_SYSTEM) {
                    let code = m["code"].as_str().unwrap().to_string();
                    let display = m.get("display").and_then(|d| d.as_str()).map(String::from);
                    found.push((code, display));
                }
                m.values().for_each(|v| walk(v, found));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let text = std::fs::read_to_string(out.join("fhir/ExplanationOfBenefit.ndjson")).unwrap();
    let mut found = Vec::new();
    for line in text.lines() {
        walk(&serde_json::from_str(line).unwrap(), &mut found);
    }
    found
}

#[test]
fn official_files_replace_the_descriptions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixtures("full");
    let args = ["--users", "40", "--formats", "fhir"];
    let builtin = generate(tmp.path(), "builtin", &args);
    let official = generate(
        tmp.path(),
        "official",
        &[&args[..], &["--code-tables", dir.to_str().unwrap()]].concat(),
    );
    assert_eq!(
        manifest(&official)["options"]["code_tables"],
        dir.to_str().unwrap()
    );
    let codes = Codes::with_overrides(load_code_tables(&dir).unwrap());
    let (a, b) = (hcpcs_codings(&builtin), hcpcs_codings(&official));
    assert_eq!(a.len(), b.len());
    assert!(!b.is_empty());
    for (code, display) in &b {
        assert_eq!(display.as_deref(), codes.hcpcs().display(code), "{code}");
    }
    assert!(
        a.iter().zip(&b).any(|(x, y)| x.1 != y.1),
        "some description changed"
    );
}

#[test]
fn malformed_official_files_are_refused_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in ["bad-hcpcs", "bad-ndc", "no-such-dir"] {
        let out = tmp.path().join(bad);
        let o = bbgen(&[
            "--users",
            "3",
            "--out",
            out.to_str().unwrap(),
            "--code-tables",
            fixtures(bad).to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{bad}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{bad}: {err}");
        assert!(err.contains("--code-tables"), "{err}");
        assert!(!out.exists());
    }
}
