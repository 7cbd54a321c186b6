//! The PostgreSQL scripts against a real server: `sql/schema.sql` and `sql/load.sql` load every
//! CSV table, the row counts match the manifest, and every key and foreign key holds.
//!
//! The test starts no server itself: it uses the one named by `BBGEN_PG`, a libpq connection
//! string for a role that may create databases (`.ci/run` starts a private server and sets it,
//! e.g. `host=/tmp/bbgen-pg.XXXX port=54329 user=postgres dbname=postgres`). It creates a fresh
//! database, loads it and drops it. Without `BBGEN_PG` it fails under CI and is skipped
//! elsewhere.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{generate, manifest, outside_tool, read_csv};

/// Runs psql on `conninfo` with `args`; returns stdout, panicking with stderr on failure.
fn psql(conninfo: &str, dir: &Path, args: &[&str]) -> String {
    let out = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            conninfo,
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run psql (is the PostgreSQL client installed?): {e}"));
    assert!(
        out.status.success(),
        "psql {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Drops the test database when the test ends, passed or not.
struct Scratch {
    admin: String,
    name: String,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args(["-X", "-q", "-d", &self.admin, "-c"])
            .arg(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .output();
    }
}

/// The table a table's rows must point to, and through which column.
fn parent(table: &str) -> Option<(&'static str, String)> {
    if table == "beneficiaries" {
        None
    } else if let Some(t) = table.strip_suffix("_claim_lines") {
        Some(("clm_id", format!("{t}_claims")))
    } else {
        Some(("bene_id", "beneficiaries".to_string()))
    }
}

fn key(table: &str) -> &'static str {
    match table {
        "beneficiaries" => "bene_id",
        "partd_events" => "pde_id",
        _ => "clm_id",
    }
}

#[test]
fn csv_tables_load_into_postgresql_with_every_key() {
    let Some(admin) = outside_tool(
        "BBGEN_PG",
        "a libpq connection string for a PostgreSQL role that may create databases \
         (e.g. 'host=/tmp/pg port=5432 user=postgres dbname=postgres')",
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(tmp.path(), "o", &["--users", "500", "--formats", "csv,sql"]);

    let name = format!("bbgen_test_{}", std::process::id());
    let scratch = Scratch {
        admin: admin.clone(),
        name: name.clone(),
    };
    psql(
        &admin,
        &out,
        &["-c", &format!("DROP DATABASE IF EXISTS {name}")],
    );
    psql(&admin, &out, &["-c", &format!("CREATE DATABASE {name}")]);
    // A later keyword wins in a libpq connection string.
    let db = format!("{admin} dbname={name}");

    // The documented command, run from the output directory.
    psql(&db, &out, &["-f", "sql/schema.sql", "-f", "sql/load.sql"]);

    // Every table holds the rows the manifest counts.
    let m = manifest(&out);
    let tables: Vec<String> = m["counts"]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|p| p.strip_prefix("csv/")?.strip_suffix(".csv"))
        .map(String::from)
        .collect();
    assert_eq!(tables.len(), 16, "{tables:?}");
    for t in &tables {
        let n: u64 = psql(&db, &out, &["-c", &format!("SELECT count(*) FROM {t}")])
            .trim()
            .parse()
            .unwrap();
        assert_eq!(n, m["counts"][format!("csv/{t}.csv")], "{t}");
        assert!(n > 0, "{t} is empty: too few users to test it");
    }

    // The keys exist: a primary key per table, a foreign key from every table but
    // beneficiaries to its parent, and an index on bene_id wherever it is not the key.
    let constraints = psql(
        &db,
        &out,
        &[
            "-F",
            ",",
            "-c",
            "SELECT c.conrelid::regclass, c.contype, coalesce(c.confrelid::regclass::text, ''), \
             pg_get_constraintdef(c.oid) \
             FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
             WHERE n.nspname = 'public' AND c.contype IN ('p', 'f') ORDER BY 1, 2",
        ],
    );
    let mut found: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    for line in constraints.lines() {
        let f: Vec<&str> = line.splitn(4, ',').collect();
        found
            .entry((f[0].to_string(), f[1].to_string()))
            .or_default()
            .push((f[2].to_string(), f[3].to_string()));
    }
    let indexes = psql(
        &db,
        &out,
        &[
            "-c",
            "SELECT tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'",
        ],
    );
    for t in &tables {
        let pk = found
            .get(&(t.clone(), "p".to_string()))
            .unwrap_or_else(|| panic!("{t} has no primary key"));
        assert_eq!(pk.len(), 1, "{t}");
        assert!(
            pk[0].1.starts_with(&format!("PRIMARY KEY ({}", key(t))),
            "{t}: {}",
            pk[0].1
        );
        if t.ends_with("_claim_lines") {
            assert!(
                pk[0].1.contains(", "),
                "{t}: lines are keyed by claim and line"
            );
        }
        match parent(t) {
            None => assert!(!found.contains_key(&(t.clone(), "f".to_string()))),
            Some((col, p)) => {
                let fk = found
                    .get(&(t.clone(), "f".to_string()))
                    .unwrap_or_else(|| panic!("{t} has no foreign key to {p}"));
                assert_eq!(
                    fk,
                    &[(
                        p.clone(),
                        format!("FOREIGN KEY ({col}) REFERENCES {p}({})", key(&p))
                    )],
                    "{t}"
                );
                // No orphans (the constraint makes this impossible; check it anyway).
                let orphans = psql(
                    &db,
                    &out,
                    &[
                        "-c",
                        &format!(
                            "SELECT count(*) FROM {t} c WHERE NOT EXISTS \
                             (SELECT 1 FROM {p} p WHERE p.{k} = c.{col})",
                            k = key(&p)
                        ),
                    ],
                );
                assert_eq!(orphans.trim(), "0", "{t} rows without a {p} row");
                if col == "bene_id" {
                    assert!(
                        indexes
                            .lines()
                            .any(|l| l.starts_with(&format!("{t} ")) && l.ends_with("(bene_id)")),
                        "{t}: no index on bene_id in {indexes}"
                    );
                }
            }
        }
    }

    // Amounts arrive exactly: the claim payments sum to the CSV's total, to the cent.
    for t in tables.iter().filter(|t| t.ends_with("_claims")) {
        let (h, rows) = read_csv(&out.join(format!("csv/{t}.csv")));
        let p = h.iter().position(|c| c == "clm_pmt_amt").unwrap();
        let cents: i128 = rows
            .iter()
            .filter(|r| !r[p].is_empty())
            .map(|r| r[p].replace('.', "").parse::<i128>().unwrap())
            .sum();
        let db_cents = psql(
            &db,
            &out,
            &[
                "-c",
                &format!("SELECT coalesce(sum(clm_pmt_amt) * 100, 0)::bigint FROM {t}"),
            ],
        );
        assert_eq!(db_cents.trim().parse::<i128>().unwrap(), cents, "{t}");
    }
    drop(scratch);
}
