//! PostgreSQL: `sql/schema.sql` creates the tables with the Blue Button back end's (BFD) table
//! names, column names and types, primary keys (beneficiaries by `bene_id`, claims by `clm_id`,
//! lines by `clm_id` and line number, Part D events by `pde_id`), foreign keys (lines → claims
//! → beneficiaries) and an index on every `bene_id`; `sql/load.sql` loads the CSV tables with
//! psql's `\copy`, parents first, in one transaction. From the output directory:
//!
//! ```text
//! psql -v ON_ERROR_STOP=1 -f sql/schema.sql -f sql/load.sql
//! ```
//!
//! The scripts read the CSV files, so the `sql` format always comes with `csv`; compressed CSV
//! files are read through `gzip -dc` or `zstd -dc`.

use std::fmt::Write as _;

use crate::emit::compress::Compression;
use crate::options::Options;
use crate::schema::{TABLES, Table};

use super::tables::{parent, primary_key};
use super::{Emitter, OutFile};

/// The schema and load scripts.
pub struct SqlScripts {
    /// How the CSV files they load are compressed.
    pub csv_compression: Compression,
}

impl Emitter for SqlScripts {
    fn finish(&self, _options: &Options) -> Vec<OutFile> {
        let file = |path: &str, text: String| OutFile {
            path: path.into(),
            bytes: text.into_bytes(),
            rows: 0,
        };
        vec![
            file("sql/schema.sql", schema_sql()),
            file("sql/load.sql", load_sql(self.csv_compression)),
        ]
    }
}

fn join<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().collect::<Vec<_>>().join(", ")
}

/// `CREATE TABLE` and `CREATE INDEX` statements for every table, parents first.
pub fn schema_sql() -> String {
    let mut s = String::new();
    s.push_str(
        "-- bbgen: PostgreSQL tables for the CSV files in csv/, with the Blue Button back end's\n\
         -- (BFD) table names, column names and types. From the output directory:\n\
         --   psql -v ON_ERROR_STOP=1 -f sql/schema.sql -f sql/load.sql\n\
         \\set ON_ERROR_STOP on\n",
    );
    for &t in &TABLES {
        create_table(&mut s, t);
    }
    s
}

fn create_table(s: &mut String, t: &'static Table) {
    let _ = write!(s, "\nCREATE TABLE {} (\n", t.name);
    for c in t.columns {
        let _ = writeln!(
            s,
            "    {} {}{},",
            c.db,
            c.ty.sql(),
            if c.nullable { "" } else { " NOT NULL" }
        );
    }
    let key = join(primary_key(t).iter().map(|c| c.db));
    let _ = write!(s, "    CONSTRAINT {}_pkey PRIMARY KEY ({key})", t.name);
    if let Some((col, p)) = parent(t) {
        let pkey = join(primary_key(p).iter().map(|c| c.db));
        let _ = write!(
            s,
            ",\n    CONSTRAINT {}_{}_to_{} FOREIGN KEY ({}) REFERENCES {} ({pkey})",
            t.name, col.db, p.name, col.db, p.name
        );
    }
    s.push_str("\n);\n");
    if t.position(crate::schema::Col::BENE_ID).is_some() && primary_key(t)[0].db != "bene_id" {
        let _ = writeln!(
            s,
            "CREATE INDEX {}_bene_id_idx ON {} (bene_id);",
            t.name, t.name
        );
    }
}

/// psql `\copy` commands loading every CSV file, parents first, in one transaction.
pub fn load_sql(csv: Compression) -> String {
    let mut s = String::new();
    s.push_str(
        "-- bbgen: loads the CSV files in csv/ into the tables of sql/schema.sql, parents first.\n\
         -- From the output directory:\n\
         --   psql -v ON_ERROR_STOP=1 -f sql/schema.sql -f sql/load.sql\n\
         \\set ON_ERROR_STOP on\n\
         BEGIN;\n",
    );
    for &t in &TABLES {
        let file = format!("csv/{}.csv", t.name);
        let source = match csv {
            Compression::None => format!("'{file}'"),
            Compression::Gzip => format!("PROGRAM 'gzip -dc {file}.gz'"),
            Compression::Zstd => format!("PROGRAM 'zstd -dc {file}.zst'"),
        };
        let _ = writeln!(
            s,
            "\\copy {} FROM {source} WITH (FORMAT csv, HEADER true)",
            t.name
        );
    }
    s.push_str("COMMIT;\nANALYZE;\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_come_before_the_tables_that_point_to_them() {
        let sql = schema_sql();
        for &t in &TABLES {
            let at = sql.find(&format!("CREATE TABLE {} (", t.name)).unwrap();
            if let Some((_, p)) = parent(t) {
                let pat = sql.find(&format!("CREATE TABLE {} (", p.name)).unwrap();
                assert!(pat < at, "{} before {}", p.name, t.name);
            }
        }
        assert!(sql.contains(
            "CONSTRAINT carrier_claim_lines_clm_id_to_carrier_claims FOREIGN KEY (clm_id) \
             REFERENCES carrier_claims (clm_id)"
        ));
        assert!(
            sql.contains(
                "CONSTRAINT inpatient_claim_lines_pkey PRIMARY KEY (clm_id, clm_line_num)"
            )
        );
        assert!(sql.contains("CREATE INDEX partd_events_bene_id_idx ON partd_events (bene_id);"));
        assert!(!sql.contains("beneficiaries_bene_id_idx"));
    }

    #[test]
    fn load_reads_compressed_csv_through_a_program() {
        assert!(load_sql(Compression::None).contains(
            "\\copy beneficiaries FROM 'csv/beneficiaries.csv' WITH (FORMAT csv, HEADER true)\n"
        ));
        assert!(
            load_sql(Compression::Gzip)
                .contains("\\copy snf_claims FROM PROGRAM 'gzip -dc csv/snf_claims.csv.gz'")
        );
    }
}
