//! One beneficiary and its claims as a JSON document of rows: every column by its database
//! name, with each cell written exactly as the CSV tables write it, so the document can be
//! checked against a full run's tables cell by cell (what `bbgen patient` prints).

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::emit::tables::{DateStyle, write_cell};
use crate::model::{Beneficiary, Claim, RowRef};

/// The document of `bene` and its `claims` (pretty-printed, with a final newline):
/// `username`, `password`, `bene_id`, the `beneficiary` row and the `claims` (each with its
/// `type`, `claim` row and `lines`).
pub fn patient_rows(bene: &Beneficiary, claims: &[Claim]) -> Vec<u8> {
    let doc = PatientDoc { bene, claims };
    let mut out = serde_json::to_vec_pretty(&doc).expect("rows of strings serialize");
    out.push(b'\n');
    out
}

struct PatientDoc<'a> {
    bene: &'a Beneficiary,
    claims: &'a [Claim],
}

impl Serialize for PatientDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("username", self.bene.username.as_str())?;
        m.serialize_entry("password", self.bene.password.as_str())?;
        m.serialize_entry("bene_id", &self.bene.bene_id)?;
        m.serialize_entry("beneficiary", &Row(self.bene.record.view()))?;
        let claims: Vec<ClaimDoc<'_>> = self.claims.iter().map(ClaimDoc).collect();
        m.serialize_entry("claims", &claims)?;
        m.end()
    }
}

struct ClaimDoc<'a>(&'a Claim);

impl Serialize for ClaimDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("type", c.kind.name())?;
        m.serialize_entry("claim", &Row(c.header.view()))?;
        if let Some(lines) = &c.lines {
            let rows: Vec<Row<'_>> = lines.iter().map(Row).collect();
            m.serialize_entry("lines", &rows)?;
        }
        m.end()
    }
}

/// A row as a JSON object in column order; null cells are left out.
struct Row<'a>(RowRef<'a>);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        let mut cell = Vec::new();
        for (c, v) in self.0.table.columns.iter().zip(self.0.vals) {
            if v.is_null() {
                continue;
            }
            cell.clear();
            write_cell(&mut cell, c, v, DateStyle::Iso);
            m.serialize_entry(c.db, std::str::from_utf8(&cell).expect("cells are UTF-8"))?;
        }
        m.end()
    }
}
