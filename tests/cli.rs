//! The command line: bad input, output directory safety, log-ins, determinism, `patient`.

mod common;

use std::collections::HashSet;

use common::{bbgen, file_hashes, generate, read_csv};

/// Asserts a failed run: the exit code, stderr naming `needle` (clap's whole message, which
/// points to --help, for bad arguments; a single line for run-time failures), and no output
/// directory left behind.
fn assert_fails(args: &[&str], code: i32, needle: &str, out: Option<&std::path::Path>) {
    let o = bbgen(args);
    assert_eq!(o.status.code(), Some(code), "bbgen {args:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    if code == 2 {
        assert!(
            err.contains("try '--help'"),
            "help pointer for {args:?}, got: {err}"
        );
    } else {
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "one line for {args:?}, got: {err}"
        );
    }
    assert!(err.contains(needle), "{args:?}: {err} lacks {needle}");
    assert!(!err.contains("panicked"), "{err}");
    if let Some(out) = out {
        assert!(!out.exists(), "{args:?} left {}", out.display());
    }
}

#[test]
fn bad_input_gets_clap_s_message_and_exit_code_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let o = out.to_str().unwrap();
    for (args, needle) in [
        (vec!["--users", "0"], "--users"),
        (vec!["--users", "-1"], "--users"),
        (vec!["--users", "abc"], "--users"),
        (vec!["--seed", "x1"], "--seed"),
        (vec!["--threads", "0"], "--threads"),
        (vec!["--formats", "xml"], "--formats"),
        (vec!["--end-date", "2025-13-40"], "--end-date"),
        (vec!["--claims-scale", "-2"], "--claims-scale"),
        (vec!["--shard", "4/3"], "--shard"),
        (vec!["--compress", "rar"], "--compress"),
    ] {
        let mut a = vec!["--out", o];
        a.extend(args);
        assert_fails(&a, 2, needle, Some(&out));
    }
}

#[test]
fn an_out_that_is_a_file_or_unwritable_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("f");
    std::fs::write(&file, "x").unwrap();
    assert_fails(
        &["--users", "3", "--out", file.to_str().unwrap()],
        1,
        "not a directory",
        None,
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
    let under_file = file.join("sub");
    assert_fails(
        &["--users", "3", "--out", under_file.to_str().unwrap()],
        1,
        "cannot",
        None,
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "only the file remains");
}

#[test]
fn existing_data_is_never_overwritten_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(tmp.path(), "o", &["--users", "5", "--formats", "csv"]);
    let before = file_hashes(&out);
    assert_fails(
        &["--users", "6", "--out", out.to_str().unwrap()],
        1,
        "--force",
        None,
    );
    assert_eq!(file_hashes(&out), before, "refused run left the data alone");
    let o = bbgen(&[
        "--users",
        "6",
        "--formats",
        "csv",
        "--out",
        out.to_str().unwrap(),
        "--force",
        "--quiet",
    ]);
    assert!(o.status.success());
    assert_ne!(file_hashes(&out), before);
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary directory left: {names:?}");
}

#[test]
fn patient_beyond_the_run_is_refused() {
    assert_fails(
        &["patient", "BBUser99999", "--users", "300"],
        1,
        "BBUser99999",
        None,
    );
    assert_fails(&["patient", "nobody", "--users", "300"], 1, "nobody", None);
}

#[test]
fn credentials_hold_exactly_the_sandbox_log_ins() {
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(tmp.path(), "o", &["--users", "300", "--formats", "csv"]);
    let (header, rows) = read_csv(&out.join("credentials.csv"));
    assert_eq!(
        header,
        [
            "username",
            "password",
            "patient_id",
            "mbi",
            "given_name",
            "family_name"
        ]
    );
    assert_eq!(rows.len(), 300);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[0], format!("BBUser{i:05}"));
        assert_eq!(r[1], format!("PW{i:05}!"));
        assert!(r[2].starts_with("-1999000000"), "{}", r[2]);
        assert_eq!(r[3].len(), 11);
        assert_eq!(&r[3][1..2], "S");
        assert!(!r[4].is_empty() && !r[5].is_empty());
    }
    let (bh, brows) = read_csv(&out.join("csv/beneficiaries.csv"));
    assert_eq!(bh[0], "bene_id");
    assert_eq!(brows.len(), 300);
    let m = common::manifest(&out);
    assert_eq!(m["counts"]["csv/beneficiaries.csv"], 300);
    assert_eq!(m["options"]["users"], 300);
}

#[test]
fn output_is_identical_across_thread_counts_and_differs_by_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--users", "260", "--formats", "all"];
    let a = generate(tmp.path(), "a", &[&args[..], &["--threads", "1"]].concat());
    let b = generate(tmp.path(), "b", &[&args[..], &["--threads", "2"]].concat());
    let c = generate(
        tmp.path(),
        "c",
        &[&args[..], &["--threads", "2", "--seed", "7"]].concat(),
    );
    assert_eq!(
        file_hashes(&a),
        file_hashes(&b),
        "file hashes across thread counts"
    );
    assert!(
        std::fs::read(a.join("manifest.json")).unwrap()
            == std::fs::read(b.join("manifest.json")).unwrap(),
        "manifests differ across thread counts"
    );
    let (ha, hc) = (file_hashes(&a), file_hashes(&c));
    assert_eq!(ha.keys().collect::<Vec<_>>(), hc.keys().collect::<Vec<_>>());
    for (path, h) in &ha {
        let seedless = ["credentials.csv", "synthetic_users_by_claim_count_full.csv"];
        if !seedless.contains(&path.as_str()) && !path.starts_with("sql/") {
            assert_ne!(h, &hc[path], "{path} does not depend on the seed");
        }
    }
}

#[test]
fn batches_with_offset_never_collide() {
    let tmp = tempfile::tempdir().unwrap();
    let a = generate(tmp.path(), "a", &["--users", "40", "--formats", "csv"]);
    let b = generate(
        tmp.path(),
        "b",
        &["--users", "40", "--offset", "40", "--formats", "csv"],
    );
    let (_, ca) = read_csv(&a.join("credentials.csv"));
    let (_, cb) = read_csv(&b.join("credentials.csv"));
    assert_eq!(cb[0][0], "BBUser00040");
    for col in [0, 2, 3] {
        let sa: HashSet<_> = ca.iter().map(|r| &r[col]).collect();
        assert!(
            cb.iter().all(|r| !sa.contains(&r[col])),
            "column {col} collides"
        );
    }
    let claim_ids = |out: &std::path::Path| -> HashSet<String> {
        let (h, rows) = read_csv(&out.join("csv/carrier_claims.csv"));
        let i = h.iter().position(|c| c == "clm_id").unwrap();
        rows.into_iter().map(|r| r[i].clone()).collect()
    };
    assert!(claim_ids(&a).is_disjoint(&claim_ids(&b)));
}

#[test]
fn patient_equals_its_rows_in_the_full_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(tmp.path(), "o", &["--users", "150", "--formats", "csv"]);
    let (header, rows) = read_csv(&out.join("csv/beneficiaries.csv"));
    let (ch, crows) = read_csv(&out.join("csv/carrier_claims.csv"));
    for who in ["BBUser00042", "-19990000000150"] {
        let o = bbgen(&["patient", who, "--users", "150"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let id = doc["bene_id"].as_i64().unwrap().to_string();
        let row = rows
            .iter()
            .find(|r| r[0] == id)
            .expect("beneficiary in the full run");
        for (col, cell) in header.iter().zip(row) {
            let got = doc["beneficiary"]
                .get(col)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            assert_eq!(got, cell, "{who} {col}");
        }
        let bene_col = ch.iter().position(|c| c == "bene_id").unwrap();
        let full: Vec<&Vec<String>> = crows.iter().filter(|r| r[bene_col] == id).collect();
        let alone: Vec<&serde_json::Value> = doc["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["type"] == "carrier")
            .collect();
        assert_eq!(full.len(), alone.len(), "{who}: carrier claims");
        for (r, c) in full.iter().zip(alone) {
            for (col, cell) in ch.iter().zip(r.iter()) {
                let got = c["claim"].get(col).and_then(|v| v.as_str()).unwrap_or("");
                assert_eq!(got, cell, "{who} carrier {col}");
            }
        }
    }
}

#[test]
fn help_teaches_with_examples() {
    let o = bbgen(&["--help"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "--users",
        "--seed",
        "--out",
        "--threads",
        "--formats",
        "--offset",
        "--force",
        "--end-date",
        "Examples:",
        "patient",
    ] {
        assert!(text.contains(needle), "--help lacks {needle}");
    }
}

#[test]
fn formats_help_names_the_real_defaults() {
    let o = bbgen(&["--help"]);
    let text = String::from_utf8_lossy(&o.stdout);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let defaults = bbgen::pipeline::Format::defaults()
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(",");
    assert!(text.contains(&format!("[default: {defaults}]")), "{text}");
    assert!(!text.contains("[default: default]"), "{text}");
    assert!(text.contains("verify"), "{text}");
    for f in bbgen::pipeline::Format::ALL {
        assert!(text.contains(f.name()), "--help lacks format {}", f.name());
    }
}
