//! Helpers shared by the integration tests: run the binary, read what it wrote.

#![allow(dead_code)]

pub mod full;

use std::collections::BTreeMap;
use std::io::Write;
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

/// The rows of `tests/fixtures/bfd/<name>` after its header, split at tabs. These tables hold
/// the facts the tests take from Blue Button's public reference files; `extract.py` beside
/// them writes them and names the sources.
pub fn bfd_fixture(name: &str) -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bfd")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()));
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').map(String::from).collect())
        .collect()
}

/// The value of `var`, which names an outside tool a test needs (`.ci/run` installs each one
/// and sets its variable). When it is unset, the test fails under CI (`CI` set), so CI never
/// passes without the tool; elsewhere the part that needs the tool is skipped with a note on
/// stderr, so `cargo test` passes on a machine that lacks it.
pub fn outside_tool(var: &str, what: &str) -> Option<String> {
    if let Ok(v) = std::env::var(var) {
        return Some(v);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{var} is not set under CI: it must name {what} (.ci/run sets it up and exports it)"
    );
    // Past the test harness's capture, so the skip shows in `cargo test`'s output.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {var} is not set (it names {what}; .ci/run sets it up)"
    );
    None
}
