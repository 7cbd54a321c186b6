//! Golden bytes: the SHA-256 of every file of two small runs in every format, checked in under
//! `tests/golden/`. The other determinism tests compare runs of the same build with each other
//! (threads, shards, formats); this one compares a build with its predecessors, so a change of
//! output is always a decision, never an accident.
//!
//! When output is meant to change, regenerate the files and say why in the commit message:
//!
//! ```sh
//! BBGEN_BLESS=1 cargo test --test golden
//! ```
//!
//! The files are in `sha256sum` format, so `cd OUT && sha256sum -c tests/golden/NAME.sha256`
//! checks a run made by hand with the same options.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Every file below `dir` (relative path, with `/` separators) → its SHA-256, hashed here
/// rather than read from the run's manifest, so a broken manifest cannot vouch for itself.
fn hash_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(dir).expect("below dir");
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_str().expect("UTF-8 name"))
                .collect::<Vec<_>>()
                .join("/");
            let digest = Sha256::digest(fs::read(&path).expect("read file"));
            let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
            out.insert(rel, hex);
        }
    }
    out
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.sha256"))
}

fn parse_golden(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (hash, path) = l.split_once("  ").expect("`HASH  PATH` lines");
            (path.to_string(), hash.to_string())
        })
        .collect()
}

fn render_golden(hashes: &BTreeMap<String, String>) -> String {
    hashes.iter().map(|(p, h)| format!("{h}  {p}\n")).collect()
}

/// Runs bbgen with `args` and compares every file's hash with `tests/golden/<name>.sha256`,
/// or rewrites that file when `BBGEN_BLESS` is set.
fn check(name: &str, args: &[&str]) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = common::generate(tmp.path(), name, args);
    let got = hash_tree(&out);
    let path = golden_path(name);
    if std::env::var_os("BBGEN_BLESS").is_some() {
        fs::create_dir_all(path.parent().expect("parent")).expect("golden dir");
        fs::write(&path, render_golden(&got)).expect("write golden file");
        return;
    }
    let text = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; create it with BBGEN_BLESS=1 cargo test --test golden",
            path.display()
        )
    });
    let want = parse_golden(&text);
    let mut diffs = Vec::new();
    for (file, hash) in &want {
        match got.get(file) {
            None => diffs.push(format!("missing   {file}")),
            Some(h) if h != hash => diffs.push(format!("changed   {file}")),
            Some(_) => {}
        }
    }
    for file in got.keys().filter(|f| !want.contains_key(*f)) {
        diffs.push(format!("new       {file}"));
    }
    assert!(
        diffs.is_empty(),
        "output of `bbgen {}` differs from {}:\n  {}\nIf the change is intended, run \
         BBGEN_BLESS=1 cargo test --test golden and say why in the commit message.",
        args.join(" "),
        path.display(),
        diffs.join("\n  ")
    );
}

/// The sandbox's first users, every format.
#[test]
fn sandbox_users_seed_42() {
    check(
        "seed42-users40",
        &[
            "--users",
            "40",
            "--seed",
            "42",
            "--claims-scale",
            "0.2",
            "--formats",
            "all",
        ],
    );
}

/// Another seed, across the boundary where the sandbox's BENE_ID ranges end (BBUser29999).
#[test]
fn other_seed_across_the_sandbox_boundary() {
    check(
        "seed7-offset29980-users40",
        &[
            "--users",
            "40",
            "--seed",
            "7",
            "--offset",
            "29980",
            "--claims-scale",
            "0.2",
            "--formats",
            "all",
        ],
    );
}
