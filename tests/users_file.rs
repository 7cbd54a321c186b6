//! `synthetic_users_by_claim_count_full.csv` is written exactly as the sandbox's own file
//! (its header and line ends from `tests/fixtures/bfd/sandbox-users-file.tsv`).

mod common;

use std::collections::HashMap;

use common::{bfd_fixture, generate, read_csv};

/// A fact about the Blue Button developer site's users file, from
/// `tests/fixtures/bfd/sandbox-users-file.tsv`.
fn sandbox_fact(name: &str) -> String {
    bfd_fixture("sandbox-users-file.tsv")
        .into_iter()
        .find(|r| r[0] == name)
        .unwrap_or_else(|| panic!("sandbox-users-file.tsv has no {name}"))[1]
        .clone()
}

#[test]
fn the_users_file_has_the_sandbox_files_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(tmp.path(), "o", &["--users", "300", "--formats", "csv"]);
    let ours =
        std::fs::read_to_string(out.join("synthetic_users_by_claim_count_full.csv")).unwrap();
    let header = sandbox_fact("header");
    assert_eq!(ours.lines().next(), Some(header.as_str()), "header");
    assert_eq!(sandbox_fact("line_ending"), "LF");
    assert!(!ours.contains('\r'), "LF line ends, as the sandbox file");
    let last = sandbox_fact("last_line_without_line_end");
    assert!(
        ours.ends_with(&format!("\n{last}")),
        "ends with the sandbox file's last line {last:?} and no line end: {:?}",
        &ours[ours.len().saturating_sub(20)..]
    );
    let lines: Vec<&str> = ours.lines().collect();
    let rows: Vec<Vec<&str>> = lines[1..lines.len() - 1]
        .iter()
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 300);
    let mut prev = u64::MAX;
    let (ch, carrier) = read_csv(&out.join("csv/carrier_claims.csv"));
    let bene = ch.iter().position(|c| c == "bene_id").unwrap();
    let mut carrier_by_bene: HashMap<String, u64> = HashMap::new();
    for r in &carrier {
        *carrier_by_bene
            .entry(r[bene].trim_start_matches('-').to_string())
            .or_default() += 1;
    }
    for r in &rows {
        assert_eq!(
            r.len(),
            header.split(',').count(),
            "the header's ten fields and a trailing comma"
        );
        assert_eq!(r[10], "");
        assert!(r[0].starts_with("1999"), "unsigned BENE_ID: {}", r[0]);
        let n: Vec<u64> = r[3..10].iter().map(|v| v.parse().unwrap()).collect();
        assert!(n[0] <= prev, "sorted by total claim count, descending");
        prev = n[0];
        assert_eq!(
            n[0],
            n[2] + n[4] + n[6],
            "total = carrier + inpatient + Part D"
        );
        assert_eq!(n[1], n[3] + n[5], "total lines = carrier + inpatient lines");
        assert_eq!(
            n[2],
            carrier_by_bene.get(r[0]).copied().unwrap_or(0),
            "carrier count of {}",
            r[0]
        );
        let user: u64 = r[1].trim_start_matches("BBUser").parse().unwrap();
        assert_eq!(r[2], format!("PW{user:05}!"));
    }
}
