//! `bbgen merge`: the shards of a run become one dataset equal to the unsharded run, which
//! `bbgen verify` accepts; shards that do not make a run are refused.

mod common;

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use common::{bbgen, file_hashes, generate, manifest};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// Every batch of the Parquet files given, in order, as one batch.
fn read_parquet(paths: &[PathBuf]) -> RecordBatch {
    let (mut batches, mut schema) = (Vec::new(), None);
    for p in paths {
        let file = File::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        schema = Some(builder.schema().clone());
        batches.extend(builder.build().unwrap().map(|b| b.unwrap()));
    }
    let schema = schema.expect("a file");
    arrow_select::concat::concat_batches(&schema, &batches).unwrap()
}

/// Runs `bbgen merge --out OUT SHARDS…`; returns the output.
fn merge(out: &Path, shards: &[&Path]) -> std::process::Output {
    let mut args = vec!["merge", "--quiet", "--out", out.to_str().unwrap()];
    args.extend(shards.iter().map(|s| s.to_str().unwrap()));
    bbgen(&args)
}

/// The whole run and its three shards, with `args`.
fn whole_and_shards(tmp: &Path, args: &[&str]) -> (PathBuf, Vec<PathBuf>) {
    let whole = generate(tmp, "whole", args);
    let shards = (1..=3)
        .map(|k| {
            let shard = format!("{k}/3");
            let more = [args, &["--shard", &shard]].concat();
            generate(tmp, &format!("s{k}"), &more)
        })
        .collect();
    (whole, shards)
}

#[test]
fn three_shards_merge_into_the_unsharded_run() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "--users",
        "30",
        "--seed",
        "5",
        "--claims-scale",
        "0.2",
        "--formats",
        "all",
    ];
    let (whole, shards) = whole_and_shards(tmp.path(), &args);
    assert!(
        shards[1]
            .join("parquet/carrier_claims/part-2-of-3.parquet")
            .is_file()
    );
    let merged = tmp.path().join("merged");
    // Shards in any order.
    let o = merge(&merged, &[&shards[2], &shards[0], &shards[1]]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = bbgen(&["verify", merged.to_str().unwrap()]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));

    let (w, m) = (manifest(&whole), manifest(&merged));
    assert_eq!(
        m["options"], w["options"],
        "the options of the unsharded run"
    );
    let (wf, mf) = (file_hashes(&whole), file_hashes(&merged));
    let mut parquet_tables = 0;
    for (path, sha) in &wf {
        let Some(table) = path
            .strip_prefix("parquet/")
            .and_then(|p| p.strip_suffix(".parquet"))
        else {
            // Text files (CSV, NDJSON, RIF, credentials, SQL, bundles) and the users file.
            assert_eq!(mf.get(path), Some(sha), "{path}: the same bytes");
            assert_eq!(m["counts"].get(path), w["counts"].get(path), "{path}");
            continue;
        };
        let parts: Vec<String> = (1..=3)
            .map(|k| format!("parquet/{table}/part-{k}-of-3.parquet"))
            .collect();
        let rows: u64 = parts.iter().map(|p| m["counts"][p].as_u64().unwrap()).sum();
        assert_eq!(rows, w["counts"][path].as_u64().unwrap(), "{table} rows");
        let paths: Vec<PathBuf> = parts.iter().map(|p| merged.join(p)).collect();
        assert_eq!(
            read_parquet(&paths),
            read_parquet(&[whole.join(path)]),
            "{table}"
        );
        parquet_tables += 1;
    }
    assert_eq!(parquet_tables, 16);
    assert_eq!(mf.len(), wf.len() + 2 * parquet_tables, "{mf:?}");
    assert!(mf.contains_key("synthetic_users_by_claim_count_full.csv"));
}

#[test]
fn compressed_shards_merge_into_the_same_text() {
    use std::io::Read;
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--users", "30", "--formats", "csv", "--compress", "gzip"];
    let (whole, shards) = whole_and_shards(tmp.path(), &args);
    let merged = tmp.path().join("merged");
    let refs: Vec<&Path> = shards.iter().map(PathBuf::as_path).collect();
    assert!(merge(&merged, &refs).status.success());
    let text = |p: &Path| {
        let mut s = String::new();
        flate2::read::MultiGzDecoder::new(File::open(p).unwrap())
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let paths = file_hashes(&whole);
    let gz: Vec<&String> = paths.keys().filter(|p| p.ends_with(".gz")).collect();
    assert!(gz.len() > 10, "{gz:?}");
    for p in gz {
        assert_eq!(text(&merged.join(p)), text(&whole.join(p)), "{p}");
    }
    let counts = |d: &Path| manifest(d)["counts"].clone();
    assert_eq!(counts(&merged), counts(&whole));
}

#[test]
fn shards_that_do_not_make_one_run_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--users", "12", "--formats", "csv"];
    let (whole, shards) = whole_and_shards(tmp.path(), &args);
    let other = generate(
        tmp.path(),
        "other",
        &[
            "--users",
            "12",
            "--formats",
            "csv",
            "--seed",
            "1",
            "--shard",
            "3/3",
        ],
    );
    let fails = |shards: &[&Path], why: &str| {
        let out = tmp.path().join("out");
        let o = merge(&out, shards);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(why), "{why}: {err}");
        assert!(!out.exists(), "nothing is left behind");
    };
    let (s1, s2, s3) = (&*shards[0], &*shards[1], &*shards[2]);
    fails(&[s1, s3], "1/3 … 3/3, each once; got 1/3, 3/3");
    fails(&[s1, s2, s2, s3], "each once");
    fails(&[s1, s2, &other], "different runs");
    fails(&[s1, s2, &whole], "holds a whole run");
    std::fs::write(s2.join("csv/carrier_claims.csv"), "changed\n").unwrap();
    fails(&[s1, s2, s3], "changed since its shard was written");
}
