//! FDA's NDC directory (`product.txt` + `package.txt`) → the NDC table.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{clean, leak_table};
use crate::codes::ndc;
use crate::codes::table::{CodeTable, CodeTablesError};

/// Column positions of a tab-separated file with a header row, found by name.
struct Columns<'a> {
    name: &'a str,
    index: HashMap<&'a str, usize>,
    width: usize,
}

impl<'a> Columns<'a> {
    fn new(name: &'a str, header: &'a str) -> Columns<'a> {
        let cells: Vec<&str> = header.trim_end_matches('\r').split('\t').collect();
        Columns {
            name,
            width: cells.len(),
            index: cells
                .iter()
                .enumerate()
                .map(|(i, c)| (c.trim(), i))
                .collect(),
        }
    }
    fn need(&self, column: &str) -> Result<usize, CodeTablesError> {
        self.index.get(column).copied().ok_or_else(|| {
            CodeTablesError::at(self.name, 1, format!("no column {column} in the header"))
        })
    }
    fn split<'t>(&self, n: usize, line: &'t str) -> Result<Vec<&'t str>, CodeTablesError> {
        let cells: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if cells.len() != self.width {
            return Err(CodeTablesError::at(
                self.name,
                n,
                format!("{} fields, the header has {}", cells.len(), self.width),
            ));
        }
        Ok(cells)
    }
}

struct Product<'t> {
    generic: &'t str,
    brand: String,
    strength: String,
    form: &'t str,
    brand_or_generic: &'static str,
    id: &'t str,
}

/// `0093-7214-01` (4-4-2, 5-3-2 or 5-4-1) → `00093721401`.
pub fn ndc11(printed: &str) -> Option<String> {
    let parts: Vec<&str> = printed.trim().split('-').collect();
    let widths = [5, 4, 2];
    let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    if parts.len() != 3
        || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        || !matches!(lens.as_slice(), [4, 4, 2] | [5, 3, 2] | [5, 4, 1])
    {
        return None;
    }
    let mut out = String::with_capacity(11);
    for (p, w) in parts.iter().zip(widths) {
        out.extend(std::iter::repeat_n('0', w - p.len()));
        out.push_str(p);
    }
    Some(out)
}

/// Join FDA's `product.txt` and `package.txt` into an NDC table (human prescription drugs).
pub fn parse_ndc_directory(
    product_name: &str,
    product_text: &str,
    package_name: &str,
    package_text: &str,
) -> Result<CodeTable, CodeTablesError> {
    let mut lines = product_text.lines();
    let header = lines
        .next()
        .ok_or_else(|| CodeTablesError::file(product_name, "empty file"))?;
    let cols = Columns::new(product_name, header);
    let c_id = cols.need("PRODUCTID")?;
    let c_type = cols.need("PRODUCTTYPENAME")?;
    let c_brand = cols.need("PROPRIETARYNAME")?;
    let c_suffix = cols.index.get("PROPRIETARYNAMESUFFIX").copied();
    let c_generic = cols.need("NONPROPRIETARYNAME")?;
    let c_form = cols.need("DOSAGEFORMNAME")?;
    let c_category = cols.need("MARKETINGCATEGORYNAME")?;
    let c_amount = cols.need("ACTIVE_NUMERATOR_STRENGTH")?;
    let c_unit = cols.need("ACTIVE_INGRED_UNIT")?;
    let mut products: HashMap<&str, Product> = HashMap::new();
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let r = cols.split(i + 2, line)?;
        if r[c_type] != "HUMAN PRESCRIPTION DRUG" {
            continue;
        }
        let mut brand = r[c_brand].trim().to_owned();
        if let Some(suffix) = c_suffix.map(|c| r[c].trim()).filter(|s| !s.is_empty()) {
            brand.push(' ');
            brand.push_str(suffix);
        }
        let amounts = r[c_amount].split(';').map(str::trim);
        let units = r[c_unit].split(';').map(str::trim);
        let strength: Vec<String> = amounts
            .zip(units)
            .filter(|(a, _)| !a.is_empty())
            .map(|(a, u)| format!("{a} {}", u.strip_suffix("/1").unwrap_or(u)))
            .collect();
        let brand_or_generic = match r[c_category].trim() {
            "NDA" | "BLA" => "B",
            "ANDA" | "NDA AUTHORIZED GENERIC" => "G",
            _ => "",
        };
        products.insert(
            r[c_id].trim(),
            Product {
                generic: r[c_generic].trim(),
                brand,
                strength: strength.join("; "),
                form: r[c_form].trim(),
                brand_or_generic,
                id: r[c_id].trim(),
            },
        );
    }

    let mut lines = package_text.lines();
    let header = lines
        .next()
        .ok_or_else(|| CodeTablesError::file(package_name, "empty file"))?;
    let pcols = Columns::new(package_name, header);
    let p_id = pcols.need("PRODUCTID")?;
    let p_code = pcols.need("NDCPACKAGECODE")?;
    let mut rows: Vec<(String, String)> = Vec::new();
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let n = i + 2;
        let r = pcols.split(n, line)?;
        let printed = r[p_code].trim();
        let code = ndc11(printed).ok_or_else(|| {
            CodeTablesError::at(
                package_name,
                n,
                format!("NDC package code {printed:?} is not in 4-4-2, 5-3-2 or 5-4-1 form"),
            )
        })?;
        let Some(p) = products.get(r[p_id].trim()) else {
            continue; // not a human prescription drug
        };
        let display = clean(&format!("{} {} {}", p.generic, p.strength, p.form));
        let row = [
            display.as_str(),
            printed,
            p.generic,
            p.brand.as_str(),
            p.strength.as_str(),
            p.form,
            "",
            "",
            p.brand_or_generic,
            &format!("fda-ndc-product:{}", p.id),
        ]
        .map(clean)
        .join("\t");
        rows.push((code, row));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.dedup_by(|a, b| a.0 == b.0);
    let mut text = ndc::LAYOUT.header_line();
    for (code, row) in &rows {
        let _ = writeln!(text, "{code}\t{row}");
    }
    leak_table(package_name, text, ndc::LAYOUT)
}
