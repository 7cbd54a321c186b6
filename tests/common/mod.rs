//! Helpers shared by the integration tests: run the binary, read what it wrote.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The bbgen binary with `args`.
pub fn bbgen(args: &[&str]) -> Output {
    Command::cargo_bin("bbgen")
        .expect("binary")
        .args(args)
        .output()
        .expect("runs")
}

/// Runs bbgen into `dir/name` with `args` (plus `--quiet`), asserting success; returns the
/// output directory.
pub fn generate(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut all = vec!["--out", out.to_str().expect("UTF-8 path"), "--quiet"];
    all.extend_from_slice(args);
    let o = bbgen(&all);
    assert!(
        o.status.success(),
        "bbgen {all:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// `manifest.json` as JSON.
pub fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest"))
        .expect("JSON")
}

/// Path → SHA-256 of every file in the manifest.
pub fn file_hashes(out: &Path) -> BTreeMap<String, String> {
    manifest(out)["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A CSV file's header and rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).expect("CSV opens");
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("record").iter().map(String::from).collect())
        .collect();
    (header, rows)
}
