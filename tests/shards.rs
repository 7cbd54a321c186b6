//! Parts of a run: the N shards of `--shard K/N` together hold exactly the rows of the
//! unsharded run, and a user holds the same claims in every run that contains it.

mod common;

use common::{generate, manifest, read_csv};

#[test]
fn three_shards_hold_exactly_the_rows_of_the_whole_run() {
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--users", "200", "--formats", "csv", "--seed", "9"];
    let whole = generate(tmp.path(), "whole", &args);
    let shards: Vec<_> = (1..=3)
        .map(|k| {
            let shard = format!("{k}/3");
            generate(
                tmp.path(),
                &format!("s{k}"),
                &[&args[..], &["--shard", &shard]].concat(),
            )
        })
        .collect();
    let m = manifest(&whole);
    let mut tables: Vec<String> = m["counts"].as_object().unwrap().keys().cloned().collect();
    tables.retain(|p| p.ends_with(".csv"));
    assert!(tables.len() > 10, "{tables:?}");
    for t in &tables {
        let (h, rows) = read_csv(&whole.join(t));
        let mut joined = Vec::new();
        for s in &shards {
            let (sh, srows) = read_csv(&s.join(t));
            assert_eq!(sh, h, "{t} header");
            joined.extend(srows);
        }
        assert_eq!(joined, rows, "{t}: shards in order equal the whole run");
    }
    let users: Vec<u64> = shards
        .iter()
        .map(|s| manifest(s)["counts"]["credentials.csv"].as_u64().unwrap())
        .collect();
    assert_eq!(users.iter().sum::<u64>(), 200);
    assert!(users.iter().all(|&u| u > 60), "{users:?}");
    assert_eq!(manifest(&shards[1])["options"]["shard"], "2/3");
}

/// The header rows of a beneficiary's claims in every claim table of a CSV run, by table,
/// each with its `clm_grp_id`.
fn claim_rows_of(out: &std::path::Path, bene_id: &str) -> Vec<(String, String, Vec<String>)> {
    let mut rows = Vec::new();
    let mut tables: Vec<_> = std::fs::read_dir(out.join("csv"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with("_claims.csv") || n == "partd_events.csv")
        .collect();
    tables.sort();
    for t in tables {
        let (h, all) = read_csv(&out.join("csv").join(&t));
        let col = |name: &str| h.iter().position(|c| c == name).unwrap();
        let (b, g) = (col("bene_id"), col("clm_grp_id"));
        rows.extend(
            all.into_iter()
                .filter(|r| r[b] == bene_id)
                .map(|r| (t.clone(), r[g].clone(), r)),
        );
    }
    rows
}

/// The `clm_grp_id` of every claim `bbgen patient` prints.
fn patient_claim_ids(args: &[&str]) -> Vec<String> {
    let o = common::bbgen(&[&["patient"], args].concat());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut ids: Vec<String> = doc["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["claim"]["clm_grp_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_patient_alone_holds_its_rows_of_every_run_that_contains_it() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = generate(
        tmp.path(),
        "whole",
        &["--users", "1200", "--formats", "csv"],
    );
    let batch = generate(
        tmp.path(),
        "batch",
        &["--users", "100", "--offset", "1050", "--formats", "csv"],
    );
    let bene_id = bbgen::model::ids::bene_id(1100).to_string();
    let rows = claim_rows_of(&whole, &bene_id);
    assert!(rows.len() > 10, "{} claims", rows.len());
    assert_eq!(claim_rows_of(&batch, &bene_id), rows);
    let mut ids: Vec<String> = rows.iter().map(|(_, id, _)| id.clone()).collect();
    ids.sort();
    for args in [
        &["BBUser01100", "--users", "1000000000"][..],
        &["BBUser01100", "--users", "1", "--offset", "1100"],
    ] {
        assert_eq!(patient_claim_ids(args), ids, "bbgen patient {args:?}");
    }
}
