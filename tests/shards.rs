//! `--shard K/N`: the N shards together hold exactly the rows of the unsharded run.

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
