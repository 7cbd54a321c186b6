//! CMS's fixed-width alpha-numeric HCPCS file → the Level II and modifier tables.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{MODIFIER_FILE_LAYOUT, clean, leak_table};
use crate::codes::hcpcs::{self, LEVEL2_LAYOUT};
use crate::codes::table::{CodeTable, CodeTablesError};

/// 1-based inclusive column range of a fixed-width line (missing columns are blank).
fn cols(line: &[char], from: usize, to: usize) -> String {
    let end = to.min(line.len());
    if from > end {
        return String::new();
    }
    line[from - 1..end]
        .iter()
        .collect::<String>()
        .trim()
        .to_owned()
}

struct HcpcsRecord {
    code: String,
    long: String,
    short: String,
    betos: String,
    line: usize,
}

/// Parse CMS's fixed-width HCPCS file into the Level II table (without dental D codes) and
/// the modifier table.
pub fn parse_hcpcs_file(name: &str, text: &str) -> Result<(CodeTable, CodeTable), CodeTablesError> {
    let mut procedures: Vec<HcpcsRecord> = Vec::new();
    let mut modifiers: Vec<HcpcsRecord> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let line: Vec<char> = raw.chars().collect();
        if line.len() < 12 {
            return Err(CodeTablesError::at(
                name,
                n,
                format!("{} characters, a HCPCS record has at least 12", line.len()),
            ));
        }
        let code = cols(&line, 1, 5);
        let seq = cols(&line, 6, 10);
        let recid = line[10];
        if seq.is_empty() || !seq.chars().all(|c| c.is_ascii_digit()) {
            return Err(CodeTablesError::at(
                name,
                n,
                format!("sequence number {seq:?} (columns 6-10) is not numeric"),
            ));
        }
        let (list, code_ok) = match recid {
            '3' | '4' => (
                &mut procedures,
                code.len() == 5 && code.chars().all(|c| c.is_ascii_alphanumeric()),
            ),
            '7' | '8' => (
                &mut modifiers,
                code.len() == 2 && code.chars().all(|c| c.is_ascii_alphanumeric()),
            ),
            other => {
                return Err(CodeTablesError::at(
                    name,
                    n,
                    format!("record identification code {other:?} (column 11) is not 3, 4, 7 or 8"),
                ));
            }
        };
        if !code_ok {
            return Err(CodeTablesError::at(
                name,
                n,
                format!("{code:?} (columns 1-5) is not a HCPCS code or modifier"),
            ));
        }
        let long = cols(&line, 12, 91);
        if recid == '4' || recid == '8' {
            match list.last_mut() {
                Some(prev) if prev.code == code => {
                    prev.long.push(' ');
                    prev.long.push_str(&long);
                }
                _ => {
                    return Err(CodeTablesError::at(
                        name,
                        n,
                        format!("continuation of {code} without its first record"),
                    ));
                }
            }
            continue;
        }
        let terminated = cols(&line, 285, 292);
        if !terminated.is_empty() && !terminated.chars().all(|c| c.is_ascii_digit()) {
            return Err(CodeTablesError::at(
                name,
                n,
                format!("termination date {terminated:?} (columns 285-292) is not YYYYMMDD"),
            ));
        }
        list.push(HcpcsRecord {
            code,
            long,
            short: cols(&line, 92, 119),
            betos: cols(&line, 257, 259),
            line: n,
        });
    }
    if procedures.is_empty() {
        return Err(CodeTablesError::file(name, "no HCPCS procedure records"));
    }
    let mut level2 = LEVEL2_LAYOUT.header_line();
    let mut seen = HashMap::new();
    procedures.sort_by(|a, b| a.code.cmp(&b.code));
    for r in &procedures {
        if let Some(first) = seen.insert(r.code.clone(), r.line) {
            return Err(CodeTablesError::at(
                name,
                r.line,
                format!("{} again (first on line {first})", r.code),
            ));
        }
        // CPT codes are not in this file; dental codes (CDT) are the ADA's and bbgen makes no
        // dental claims.
        if hcpcs::is_cpt(&r.code) || r.code.starts_with('D') {
            continue;
        }
        let short = if r.short.is_empty() {
            &r.long
        } else {
            &r.short
        };
        let _ = writeln!(level2, "{}\t{}\t{}", r.code, clean(short), clean(&r.betos));
    }
    let mut mods = MODIFIER_FILE_LAYOUT.header_line();
    modifiers.sort_by(|a, b| a.code.cmp(&b.code));
    modifiers.dedup_by(|a, b| a.code == b.code);
    for r in &modifiers {
        let _ = writeln!(mods, "{}\t{}", r.code, clean(&r.long));
    }
    Ok((
        leak_table(name, level2, LEVEL2_LAYOUT)?,
        leak_table(&format!("{name} (modifiers)"), mods, MODIFIER_FILE_LAYOUT)?,
    ))
}
