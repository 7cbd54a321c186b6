//! The table formats read back: CSV (RFC 4180, checked against `schema/rif_columns.tsv`), RIF
//! (parsed with a small reader written from the same file, header checked against BFD's own
//! sample files as `tests/fixtures/bfd/rif-headers.tsv` holds them), and their agreement with
//! each other and with the manifest; plus byte identity across thread counts.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{bfd_fixture, file_hashes, generate, manifest, read_csv};

/// One row of `schema/rif_columns.tsv`.
#[derive(Clone, Debug)]
pub struct Col {
    pub file: String,
    pub rif: String,
    pub level: String,
    pub table: String,
    pub db: String,
    pub sql: String,
}

impl Col {
    /// Digits after the point for `numeric(p,s)`, `None` for anything but a numeric.
    pub fn scale(&self) -> Option<usize> {
        let rest = self.sql.strip_prefix("numeric")?;
        Some(
            rest.trim_start_matches('(')
                .trim_end_matches(')')
                .split(',')
                .nth(1)
                .map_or(0, |s| s.trim().parse().unwrap()),
        )
    }

    pub fn is_date(&self) -> bool {
        self.sql == "date"
    }

    pub fn is_int(&self) -> bool {
        matches!(self.sql.as_str(), "bigint" | "integer" | "smallint")
    }
}

/// `schema/rif_columns.tsv`, read here independently of the crate's own build script.
pub fn rif_columns() -> Vec<Col> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/rif_columns.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Col {
                file: f[0].into(),
                rif: f[1].into(),
                level: f[2].into(),
                table: f[3].into(),
                db: f[4].into(),
                sql: f[5].into(),
            }
        })
        .collect()
}

/// Database columns of a table in order (a line table starts with its parent `clm_id`).
pub fn table_columns(cols: &[Col], table: &str) -> Vec<Col> {
    let own: Vec<Col> = cols.iter().filter(|c| c.table == table).cloned().collect();
    if own[0].level != "line" {
        return own;
    }
    let parent = cols
        .iter()
        .find(|c| c.file == own[0].file && c.rif == "CLM_ID")
        .unwrap()
        .clone();
    std::iter::once(Col {
        table: table.into(),
        level: "line".into(),
        ..parent
    })
    .chain(own)
    .collect()
}

/// Table names in file order.
pub fn tables(cols: &[Col]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in cols {
        if !out.contains(&c.table) {
            out.push(c.table.clone());
        }
    }
    out
}

/// RIF file names in order.
fn rif_files(cols: &[Col]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in cols {
        if !out.contains(&c.file) {
            out.push(c.file.clone());
        }
    }
    out
}

/// The header line of BFD's RIF sample of a file, from `tests/fixtures/bfd/rif-headers.tsv`.
fn sample_header(file: &str) -> String {
    let name = match file {
        "beneficiary" => "beneficiaries",
        "carrier" => "bcarrier",
        other => other,
    };
    let sample = format!("sample-a-{name}.txt");
    bfd_fixture("rif-headers.tsv")
        .into_iter()
        .find(|r| r[0] == sample)
        .unwrap_or_else(|| panic!("rif-headers.tsv has no {sample}"))[1]
        .clone()
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// `DD-MON-YYYY` → `YYYY-MM-DD`, or `None` if the text is not such a date.
fn rif_date_to_iso(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() != 11 || b[2] != b'-' || b[6] != b'-' {
        return None;
    }
    let (d, m, y) = (&s[..2], &s[3..6], &s[7..]);
    let m = MONTHS.iter().position(|x| *x == m)? + 1;
    if !(d.bytes().all(|c| c.is_ascii_digit()) && y.bytes().all(|c| c.is_ascii_digit())) {
        return None;
    }
    Some(format!("{y}-{m:02}-{d}"))
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Whether `s` is a decimal with exactly `scale` digits after the point.
fn is_decimal(s: &str, scale: usize) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    match s.split_once('.') {
        None => scale == 0 && !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()),
        Some((i, f)) => {
            scale > 0
                && !i.is_empty()
                && f.len() == scale
                && i.bytes().chain(f.bytes()).all(|c| c.is_ascii_digit())
        }
    }
}

/// A decimal's value in units of its last digit (cents for scale 2).
fn units(s: &str) -> i64 {
    s.replace('.', "").parse().unwrap()
}

#[test]
fn csv_tables_are_rfc_4180_with_the_model_columns() {
    let cols = rif_columns();
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(tmp.path(), "o", &["--users", "200", "--formats", "csv"]);
    let m = manifest(&out);
    for table in tables(&cols) {
        let path = out.join(format!("csv/{table}.csv"));
        let bytes = std::fs::read(&path).unwrap();
        // Every record ends in CRLF and there is no bare LF.
        assert!(bytes.ends_with(b"\r\n"), "{table}");
        assert_eq!(
            bytes.iter().filter(|&&b| b == b'\n').count(),
            bytes.windows(2).filter(|w| w == b"\r\n").count(),
            "{table}: bare LF"
        );
        let tc = table_columns(&cols, &table);
        let (header, rows) = read_csv(&path);
        let names: Vec<&str> = tc.iter().map(|c| c.db.as_str()).collect();
        assert_eq!(header, names, "{table} header");
        assert_eq!(
            m["counts"][format!("csv/{table}.csv")],
            rows.len() as u64,
            "{table} count"
        );
        for row in &rows {
            assert_eq!(row.len(), tc.len(), "{table}");
            for (c, v) in tc.iter().zip(row) {
                if v.is_empty() {
                    continue;
                }
                if c.is_date() {
                    assert!(is_iso_date(v), "{table}.{}: {v}", c.db);
                } else if c.is_int() {
                    assert!(v.parse::<i64>().is_ok(), "{table}.{}: {v}", c.db);
                } else if let Some(scale) = c.scale() {
                    assert!(is_decimal(v, scale), "{table}.{} ({}): {v}", c.db, c.sql);
                }
            }
        }
    }
    let (_, benes) = read_csv(&out.join("csv/beneficiaries.csv"));
    assert_eq!(benes.len(), 200);
}

/// A parsed RIF file: header names and rows of fields.
struct Rif {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn read_rif(path: &Path) -> Rif {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        !text.contains('\r'),
        "{}: RIF lines end in LF",
        path.display()
    );
    assert!(text.ends_with('\n'));
    let mut lines = text.lines();
    let header = lines.next().unwrap().split('|').map(String::from).collect();
    let rows = lines
        .map(|l| l.split('|').map(String::from).collect())
        .collect();
    Rif { header, rows }
}

#[test]
fn rif_files_round_trip_and_match_bfd_samples() {
    let cols = rif_columns();
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(tmp.path(), "o", &["--users", "200", "--formats", "csv,rif"]);
    let m = manifest(&out);
    for file in rif_files(&cols) {
        let rif = read_rif(&out.join(format!("rif/{file}.txt")));
        // The header: DML_IND, then the file's columns in RIF order, exactly as BFD's sample.
        let fc: Vec<&Col> = cols.iter().filter(|c| c.file == file).collect();
        let expected: Vec<&str> = std::iter::once("DML_IND")
            .chain(fc.iter().map(|c| c.rif.as_str()))
            .collect();
        assert_eq!(rif.header, expected, "{file} header");
        assert_eq!(
            rif.header.join("|"),
            sample_header(&file),
            "{file}: header differs from BFD's sample"
        );
        assert_eq!(
            m["counts"][format!("rif/{file}.txt")],
            rif.rows.len() as u64,
            "{file} count"
        );

        // Every row: INSERT, the right number of fields, RIF dates, scaled decimals.
        for row in &rif.rows {
            assert_eq!(row.len(), expected.len(), "{file}: field count");
            assert_eq!(row[0], "INSERT");
            for (c, v) in fc.iter().zip(&row[1..]) {
                if v.is_empty() {
                    continue;
                }
                assert!(!v.contains('"'), "{file}.{}: quoted {v}", c.rif);
                if c.is_date() {
                    assert!(rif_date_to_iso(v).is_some(), "{file}.{}: {v}", c.rif);
                } else if let Some(scale) = c.scale() {
                    assert!(is_decimal(v, scale), "{file}.{} ({}): {v}", c.rif, c.sql);
                }
            }
        }

        // The same rows as the CSV tables: the record part is its table's row (the claim,
        // repeated on each of its lines), the line part the line table's row.
        let tabs: Vec<String> = tables(&cols)
            .into_iter()
            .filter(|t| fc.iter().any(|c| &c.table == t))
            .collect();
        let as_csv = |c: &Col, v: &str| -> String {
            if c.is_date() && !v.is_empty() {
                rif_date_to_iso(v).unwrap()
            } else {
                v.to_string()
            }
        };
        let record_w = fc.iter().filter(|c| c.level != "line").count();
        let (_, record_rows) = read_csv(&out.join(format!("csv/{}.csv", tabs[0])));
        let mut records = Vec::new();
        let mut lines = Vec::new();
        for row in &rif.rows {
            let rec: Vec<String> = fc[..record_w]
                .iter()
                .zip(&row[1..=record_w])
                .map(|(c, v)| as_csv(c, v))
                .collect();
            if records.last() != Some(&rec) {
                records.push(rec.clone());
            }
            if tabs.len() == 2 {
                let clm_id = rec[fc.iter().position(|c| c.rif == "CLM_ID").unwrap()].clone();
                let line: Vec<String> = std::iter::once(clm_id)
                    .chain(
                        fc[record_w..]
                            .iter()
                            .zip(&row[1 + record_w..])
                            .map(|(c, v)| as_csv(c, v)),
                    )
                    .collect();
                lines.push(line);
            }
        }
        assert_eq!(records, record_rows, "{file}: records differ from the CSV");
        if tabs.len() == 2 {
            let (_, line_rows) = read_csv(&out.join(format!("csv/{}.csv", tabs[1])));
            assert_eq!(lines, line_rows, "{file}: lines differ from the CSV");
        }
    }
}

/// Per claim type: the number of claims (distinct claim ids), the sum of the claim payment
/// amount in cents, and the claim ids seen in its line table.
#[derive(Debug, PartialEq, Eq, Default)]
struct Totals {
    claims: u64,
    payment_cents: i64,
    line_claims: u64,
}

/// The claim tables and the payment column summed for each.
const PAYMENTS: [(&str, &str, Option<&str>); 8] = [
    ("carrier", "clm_pmt_amt", Some("carrier_claim_lines")),
    ("inpatient", "clm_pmt_amt", Some("inpatient_claim_lines")),
    ("outpatient", "clm_pmt_amt", Some("outpatient_claim_lines")),
    ("dme", "clm_pmt_amt", Some("dme_claim_lines")),
    ("hha", "clm_pmt_amt", Some("hha_claim_lines")),
    ("hospice", "clm_pmt_amt", Some("hospice_claim_lines")),
    ("snf", "clm_pmt_amt", Some("snf_claim_lines")),
    ("pde", "tot_rx_cst_amt", None),
];

fn claim_table(file: &str) -> String {
    if file == "pde" {
        "partd_events".into()
    } else {
        format!("{file}_claims")
    }
}

fn csv_totals(out: &Path) -> BTreeMap<&'static str, Totals> {
    let mut all = BTreeMap::new();
    for (file, pay, lines) in PAYMENTS {
        let (h, rows) = read_csv(&out.join(format!("csv/{}.csv", claim_table(file))));
        let id = h
            .iter()
            .position(|c| c == "clm_id" || c == "pde_id")
            .unwrap();
        let p = h.iter().position(|c| c == pay).unwrap();
        let ids: BTreeSet<&str> = rows.iter().map(|r| r[id].as_str()).collect();
        assert_eq!(ids.len(), rows.len(), "{file}: claim ids are unique");
        let line_claims = lines.map_or(0, |l| {
            let (_, lrows) = read_csv(&out.join(format!("csv/{l}.csv")));
            let lids: BTreeSet<String> = lrows.into_iter().map(|r| r[0].clone()).collect();
            assert!(
                lids.iter().all(|i| ids.contains(i.as_str())),
                "{l}: orphans"
            );
            lids.len() as u64
        });
        all.insert(
            file,
            Totals {
                claims: rows.len() as u64,
                payment_cents: rows
                    .iter()
                    .filter(|r| !r[p].is_empty())
                    .map(|r| units(&r[p]))
                    .sum(),
                line_claims,
            },
        );
    }
    all
}

#[test]
fn claims_per_type_agree_across_tables_manifest_and_user_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(tmp.path(), "o", &["--users", "250", "--formats", "csv,rif"]);
    let m = manifest(&out);
    let totals = csv_totals(&out);
    for (file, _, lines) in PAYMENTS {
        let t = &totals[file];
        assert_eq!(
            m["counts"][format!("csv/{}.csv", claim_table(file))],
            t.claims
        );
        if lines.is_some() {
            // Every claim has at least one line.
            assert_eq!(t.line_claims, t.claims, "{file}: claims without lines");
        }
        // The RIF file holds the same claims, with the same payments.
        let rif = read_rif(&out.join(format!("rif/{file}.txt")));
        let id = rif
            .header
            .iter()
            .position(|c| c == "CLM_ID" || c == "PDE_ID")
            .unwrap();
        let pay = PAYMENTS.iter().find(|p| p.0 == file).unwrap().1;
        let p = rif
            .header
            .iter()
            .position(|c| c.eq_ignore_ascii_case(pay))
            .unwrap();
        let mut seen = BTreeMap::new();
        for r in &rif.rows {
            seen.insert(r[id].clone(), r[p].clone());
        }
        assert_eq!(seen.len() as u64, t.claims, "{file}: RIF claims");
        let cents: i64 = seen
            .values()
            .filter(|v| !v.is_empty())
            .map(|v| units(v))
            .sum();
        assert_eq!(cents, t.payment_cents, "{file}: RIF payments");
    }
    // The users file counts carrier and inpatient claims and Part D events per user.
    let users =
        std::fs::read_to_string(out.join("synthetic_users_by_claim_count_full.csv")).unwrap();
    let mut header = None;
    let mut sums = BTreeMap::<String, u64>::new();
    for line in users.lines() {
        let f: Vec<&str> = line.split(',').collect();
        match &header {
            None => header = Some(f.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            Some(h) => {
                if f.first().is_some_and(|s| s.is_empty()) {
                    continue; // the last line: empty fields, as the sandbox file ends
                }
                for (name, v) in h.iter().zip(&f) {
                    if let Ok(n) = v.parse::<u64>() {
                        *sums.entry(name.clone()).or_default() += n;
                    }
                }
            }
        }
    }
    assert!(header.is_some());
    assert_eq!(sums["carrier_claim_count"], totals["carrier"].claims);
    assert_eq!(sums["inpatient_claim_count"], totals["inpatient"].claims);
    assert_eq!(sums["partd_event_count"], totals["pde"].claims);
}

#[test]
fn table_outputs_are_identical_across_thread_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let formats = if cfg!(feature = "parquet") {
        "csv,parquet,rif,sql"
    } else {
        "csv,rif,sql"
    };
    for extra in [
        &[][..],
        &["--compress", "zstd", "--parquet-compression", "zstd"][..],
    ] {
        // Three chunks (64 + 64 + 22 users), so two threads finish them out of order.
        let args = [&["--users", "150", "--formats", formats][..], extra].concat();
        let one = generate(
            tmp.path(),
            &format!("one{}", extra.len()),
            &[&args[..], &["--threads", "1"]].concat(),
        );
        let two = generate(
            tmp.path(),
            &format!("two{}", extra.len()),
            &[&args[..], &["--threads", "2"]].concat(),
        );
        let (a, b) = (file_hashes(&one), file_hashes(&two));
        assert!(a.keys().any(|p| p.starts_with("rif/")));
        assert!(a.contains_key("sql/load.sql"));
        assert_eq!(a, b, "{extra:?}");
        assert_eq!(
            std::fs::read(one.join("manifest.json")).unwrap(),
            std::fs::read(two.join("manifest.json")).unwrap()
        );
    }
}

#[test]
fn sql_brings_the_csv_tables_it_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let out = generate(tmp.path(), "o", &["--users", "10", "--formats", "sql"]);
    let m = manifest(&out);
    assert_eq!(m["options"]["formats"], serde_json::json!(["csv", "sql"]));
    let load = std::fs::read_to_string(out.join("sql/load.sql")).unwrap();
    for table in tables(&rif_columns()) {
        assert!(out.join(format!("csv/{table}.csv")).is_file());
        assert!(load.contains(&format!("\\copy {table} FROM 'csv/{table}.csv'")));
    }
}
