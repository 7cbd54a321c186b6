//! Compiles `schema/rif_columns.tsv` into the column model (`src/schema.rs` includes the
//! result): one `Col` constant per distinct RIF column name and one static `Table` per database
//! table, so every emitter and generator shares the same column list and looks columns up by
//! array index rather than by name.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

struct Row {
    file: String,
    rif: String,
    level: String,
    table: String,
    db: String,
    sql: String,
    nullable: bool,
}

fn sql_type(s: &str) -> String {
    let (base, args) = match s.find('(') {
        Some(i) => (&s[..i], s[i + 1..s.len() - 1].to_string()),
        None => (s, String::new()),
    };
    let nums: Vec<u16> = args
        .split(',')
        .filter(|a| !a.is_empty())
        .map(|a| a.trim().parse().expect("numeric type argument"))
        .collect();
    match base {
        "bigint" => "SqlType::BigInt".into(),
        "smallint" => "SqlType::SmallInt".into(),
        "integer" => "SqlType::Integer".into(),
        "date" => "SqlType::Date".into(),
        "char" => format!("SqlType::Char({})", nums.first().copied().unwrap_or(1)),
        "varchar" => format!("SqlType::Varchar({})", nums[0]),
        "numeric" => format!(
            "SqlType::Numeric {{ precision: {}, scale: {} }}",
            nums.first().copied().unwrap_or(0),
            nums.get(1).copied().unwrap_or(0)
        ),
        other => panic!("unknown SQL type {other}"),
    }
}

fn main() {
    let src = "schema/rif_columns.tsv";
    println!("cargo::rerun-if-changed={src}");
    let text = std::fs::read_to_string(src).expect("read schema/rif_columns.tsv");
    let rows: Vec<Row> = text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 7, "bad schema line: {l}");
            Row {
                file: f[0].into(),
                rif: f[1].into(),
                level: f[2].into(),
                table: f[3].into(),
                db: f[4].into(),
                sql: f[5].into(),
                nullable: f[6] == "1",
            }
        })
        .collect();

    // Distinct column names, in first-appearance order.
    let mut cols: Vec<&str> = Vec::new();
    let mut col_id: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        if !col_id.contains_key(r.rif.as_str()) {
            col_id.insert(&r.rif, cols.len());
            cols.push(&r.rif);
        }
    }

    let mut out = String::new();
    writeln!(out, "/// Number of distinct RIF column names.").unwrap();
    writeln!(out, "pub const COL_COUNT: usize = {};", cols.len()).unwrap();
    writeln!(out, "#[allow(missing_docs)]\nimpl Col {{").unwrap();
    for (i, c) in cols.iter().enumerate() {
        writeln!(out, "    pub const {c}: Col = Col({i});").unwrap();
    }
    writeln!(out, "}}").unwrap();
    writeln!(out, "static COL_NAMES: [&str; {}] = [", cols.len()).unwrap();
    for c in &cols {
        writeln!(out, "    {c:?},").unwrap();
    }
    writeln!(out, "];").unwrap();

    // Tables in file order; line tables get the parent claim id first, as BFD's schema has it.
    let mut tables: Vec<(String, String, String)> = Vec::new(); // (table, file, level)
    for r in &rows {
        if !tables.iter().any(|t| t.0 == r.table) {
            tables.push((r.table.clone(), r.file.clone(), r.level.clone()));
        }
    }
    for (table, file, level) in &tables {
        let ident = table.to_uppercase();
        let mut columns = Vec::new();
        if level == "line" {
            let parent = rows
                .iter()
                .find(|r| &r.file == file && r.rif == "CLM_ID")
                .expect("claim id column");
            columns.push(format!(
                "Column {{ col: Col::CLM_ID, rif: None, db: \"clm_id\", ty: {}, nullable: false }}",
                sql_type(&parent.sql)
            ));
        }
        for r in rows.iter().filter(|r| &r.table == table) {
            columns.push(format!(
                "Column {{ col: Col::{}, rif: Some({:?}), db: {:?}, ty: {}, nullable: {} }}",
                r.rif,
                r.rif,
                r.db,
                sql_type(&r.sql),
                r.nullable
            ));
        }
        let mut pos = vec![u16::MAX; cols.len()];
        let mut i = 0u16;
        if level == "line" {
            pos[col_id["CLM_ID"]] = 0;
            i = 1;
        }
        for r in rows.iter().filter(|r| &r.table == table) {
            pos[col_id[r.rif.as_str()]] = i;
            i += 1;
        }
        writeln!(
            out,
            "static {ident}_COLUMNS: [Column; {}] = [",
            columns.len()
        )
        .unwrap();
        for c in &columns {
            writeln!(out, "    {c},").unwrap();
        }
        writeln!(out, "];").unwrap();
        writeln!(out, "static {ident}_POS: [u16; {}] = {pos:?};", cols.len()).unwrap();
        writeln!(
            out,
            "/// The `{table}` table.\npub static {ident}: Table = Table {{ name: {table:?}, file: {file:?}, columns: &{ident}_COLUMNS, pos: &{ident}_POS }};"
        )
        .unwrap();
    }

    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("schema_gen.rs");
    std::fs::write(dest, out).unwrap();
}
