//! `--stdout` and `--compress` carry exactly the content of the plain files.

mod common;

use std::io::Read;
use std::path::Path;

use common::{bbgen, generate};

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(b)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unzstd(b: &[u8]) -> Vec<u8> {
    zstd::stream::decode_all(b).unwrap()
}

fn sorted_lines(b: &[u8]) -> Vec<&[u8]> {
    let mut v: Vec<&[u8]> = b.split(|&c| c == b'\n').filter(|l| !l.is_empty()).collect();
    v.sort_unstable();
    v
}

fn read(out: &Path, p: &str) -> Vec<u8> {
    std::fs::read(out.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn stdout_holds_the_ndjson_files_resources() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = generate(tmp.path(), "plain", &["--users", "30", "--formats", "fhir"]);
    let mut files = Vec::new();
    for r in ["Patient", "Coverage", "ExplanationOfBenefit"] {
        files.extend(read(&plain, &format!("fhir/{r}.ndjson")));
    }
    let o = bbgen(&["--users", "30", "--stdout", "ndjson", "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!o.stdout.is_empty());
    assert_eq!(sorted_lines(&o.stdout), sorted_lines(&files));
    let z = bbgen(&[
        "--users",
        "30",
        "--stdout",
        "ndjson",
        "--compress",
        "zstd",
        "--quiet",
    ]);
    assert!(z.status.success());
    assert_eq!(unzstd(&z.stdout), o.stdout);
    let clash = bbgen(&["--users", "30", "--stdout", "ndjson", "--formats", "csv"]);
    assert_eq!(clash.status.code(), Some(2));
}

#[test]
fn compressed_files_decompress_to_the_plain_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--users", "25", "--formats", "fhir,csv,rif"];
    let plain = generate(tmp.path(), "plain", &args);
    let gz = generate(
        tmp.path(),
        "gz",
        &[&args[..], &["--compress", "gzip"]].concat(),
    );
    let zst = generate(
        tmp.path(),
        "zst",
        &[&args[..], &["--compress", "zstd"]].concat(),
    );
    let m = common::manifest(&plain);
    let mut checked = 0;
    for f in m["files"].as_array().unwrap() {
        let p = f["path"].as_str().unwrap();
        let compressible = p.ends_with(".ndjson") || p.starts_with("csv/") || p.starts_with("rif/");
        if !compressible {
            continue;
        }
        let want = read(&plain, p);
        assert_eq!(gunzip(&read(&gz, &format!("{p}.gz"))), want, "{p}.gz");
        assert_eq!(unzstd(&read(&zst, &format!("{p}.zst"))), want, "{p}.zst");
        checked += 1;
    }
    assert!(checked > 20, "{checked} files compared");
    assert_eq!(
        read(&gz, "credentials.csv"),
        read(&plain, "credentials.csv")
    );
}
