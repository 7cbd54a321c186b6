//! Records with every column filled, for tests that check every element a renderer can write.

use bbgen::Dataset;
use bbgen::model::{Beneficiary, Claim, ClaimType, Lines, Record};
use bbgen::schema::{SqlType, Table};
use bbgen::value::{Date, Value};

/// A value that fits column `c` (the `n`-th of its table), for a record with every column
/// filled: distinct codes per column, the principal diagnosis and first procedure in
/// ICD-9, the rest in ICD-10.
fn fill(c: &bbgen::schema::Column, n: usize) -> Value {
    let ty = c.ty;
    if c.db.contains("vrsn") {
        let icd9 = c.db.starts_with("prncpal") || c.db == "icd_prcdr_vrsn_cd1";
        return Value::Str(if icd9 { "9" } else { "0" });
    }
    match ty {
        SqlType::Varchar(w) | SqlType::Char(w) if w >= 3 => {
            let s = format!("H{n:04}");
            Value::text(&s[..s.len().min(w as usize)])
        }
        SqlType::Date => Value::Date(Date::from_ymd(2024, 1, 1 + (n % 28) as u32).unwrap()),
        SqlType::Numeric { .. } => Value::Int(12_345 + n as i64),
        SqlType::BigInt | SqlType::Integer | SqlType::SmallInt => Value::Int(7 + n as i64),
        SqlType::Varchar(_) | SqlType::Char(_) => Value::Str("1"),
    }
}

fn full_record(t: &'static Table, r: &mut Record) {
    for (n, c) in t.columns.iter().enumerate() {
        if c.col == bbgen::schema::Col::BENE_ID {
            continue;
        }
        r.set(c.col, fill(c, n));
    }
}

pub fn full_claim(t: ClaimType, bene_id: i64) -> Claim {
    let mut header = Record::new(t.header_table());
    full_record(t.header_table(), &mut header);
    header.set(bbgen::schema::Col::BENE_ID, Value::Int(bene_id));
    let lines = t.line_table().map(|lt| {
        let mut l = Lines::new(lt);
        for k in 0..2 {
            let mut line = l.push();
            for (n, c) in lt.columns.iter().enumerate() {
                line.set(c.col, fill(c, n));
            }
            for c in [
                bbgen::schema::Col::LINE_NUM,
                bbgen::schema::Col::CLM_LINE_NUM,
            ] {
                if lt.position(c).is_some() {
                    line.set(c, Value::Int(k + 1));
                }
            }
        }
        l
    });
    Claim {
        kind: t,
        card: 0,
        header,
        lines,
    }
}

pub fn full_beneficiary(ds: &Dataset) -> Beneficiary {
    let mut b = ds.beneficiary(0);
    let t = b.record.table();
    full_record(t, &mut b.record);
    b
}
