//! `--code-tables DIR`: full official HCPCS and NDC files, read at start-up in place of the
//! compiled-in HCPCS Level II and NDC tables.
//!
//! * HCPCS: CMS's annual alpha-numeric HCPCS file, fixed width (`HCPC2026_JAN_ANWEB_v2.txt`
//!   and the like: any `HCPC*.txt` in DIR that is not the record layout). Positions used
//!   (1-based, from the published record layout): code 1–5, sequence number 6–10, record
//!   identification code 11 (3 = procedure, 4 = its continuation, 7 = modifier, 8 = its
//!   continuation), long description 12–91, short description 92–119, BETOS 257–259,
//!   termination date 285–292.
//! * NDC: FDA's NDC directory, `product.txt` and `package.txt` (tab-separated, with their
//!   header rows; columns are found by name).
//!
//! The files are converted to the layouts of the compiled-in tables, so one parser and one
//! table type serve both. The text of a loaded table is kept for the rest of the process:
//! load the files once.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use super::hcpcs::{self, LEVEL2_LAYOUT};
use super::ndc;
use super::table::{CodeTable, CodeTablesError, Layout};

/// Tables read from a `--code-tables` directory; `None` where the directory has no such file.
#[derive(Debug, Clone, Default)]
pub struct CodeOverrides {
    /// HCPCS Level II (layout of `hcpcs.tsv`: code, short description, BETOS).
    pub hcpcs_level2: Option<CodeTable>,
    /// Modifiers from the same HCPCS file, with their long descriptions.
    pub hcpcs_modifiers: Option<CodeTable>,
    /// Every package of every human prescription drug in FDA's directory (layout of `ndc.tsv`).
    pub ndc: Option<CodeTable>,
}

/// Layout of the modifier table read from a HCPCS file (it has descriptions).
pub const MODIFIER_FILE_LAYOUT: Layout = Layout {
    key: "code",
    display: Some("display"),
    extra: &[],
};

/// The code tables one run uses: the compiled-in ones, or a user's official files where given.
#[derive(Debug, Clone)]
pub struct Codes {
    hcpcs: Table,
    ndc: Table,
    modifiers: Table,
}

#[derive(Debug, Clone)]
enum Table {
    Builtin(&'static CodeTable),
    Loaded(Box<CodeTable>),
}

impl Table {
    fn get(&self) -> &CodeTable {
        match self {
            Table::Builtin(t) => t,
            Table::Loaded(t) => t,
        }
    }
}

impl Codes {
    /// The compiled-in tables.
    pub fn builtin() -> Codes {
        Codes {
            hcpcs: Table::Builtin(hcpcs::hcpcs()),
            ndc: Table::Builtin(ndc::ndc()),
            modifiers: Table::Builtin(hcpcs::modifiers()),
        }
    }

    /// The compiled-in tables, with those `overrides` holds put in their place. A HCPCS file
    /// replaces the Level II codes; the CPT code numbers stay.
    pub fn with_overrides(overrides: CodeOverrides) -> Codes {
        let mut codes = Codes::builtin();
        if let Some(level2) = overrides.hcpcs_level2 {
            codes.hcpcs = Table::Loaded(Box::new(hcpcs::combine(&level2, hcpcs::cpt())));
        }
        if let Some(ndc) = overrides.ndc {
            codes.ndc = Table::Loaded(Box::new(ndc));
        }
        if let Some(modifiers) = overrides.hcpcs_modifiers {
            codes.modifiers = Table::Loaded(Box::new(modifiers));
        }
        codes
    }

    /// The compiled-in tables, shared.
    pub fn builtin_ref() -> &'static Codes {
        static BUILTIN: std::sync::LazyLock<Codes> = std::sync::LazyLock::new(Codes::builtin);
        &BUILTIN
    }

    /// Read `dir` with [`load_code_tables`] and apply it.
    pub fn from_dir(dir: &Path) -> Result<Codes, CodeTablesError> {
        Ok(Codes::with_overrides(load_code_tables(dir)?))
    }

    /// HCPCS Level II plus the CPT code numbers (layout of [`hcpcs::hcpcs`]).
    pub fn hcpcs(&self) -> &CodeTable {
        self.hcpcs.get()
    }
    /// NDCs (layout [`ndc::LAYOUT`]; use [`ndc::Drug`] for the drug fields).
    pub fn ndc(&self) -> &CodeTable {
        self.ndc.get()
    }
    /// The drug of an NDC in this run's NDC table.
    pub fn drug(&self, ndc11: &str) -> Option<ndc::Drug<'_>> {
        ndc::Drug::find(self.ndc(), ndc11)
    }
    /// HCPCS modifiers (with descriptions when read from a HCPCS file).
    pub fn hcpcs_modifiers(&self) -> &CodeTable {
        self.modifiers.get()
    }
    /// The BETOS code of a HCPCS code in this run's HCPCS table.
    pub fn betos_of(&self, code: &str) -> Option<&'static str> {
        hcpcs::betos_in(self.hcpcs(), code)
    }
}

impl Default for Codes {
    fn default() -> Self {
        Codes::builtin()
    }
}

/// Read the official HCPCS file and/or FDA NDC directory files found in `dir`.
pub fn load_code_tables(dir: &Path) -> Result<CodeOverrides, CodeTablesError> {
    let shown = dir.display().to_string();
    let listing = fs::read_dir(dir)
        .map_err(|e| CodeTablesError::file(&shown, format!("cannot read directory: {e}")))?;
    let mut hcpcs_files = Vec::new();
    let (mut product, mut package) = (None, None);
    for item in listing {
        let item = item.map_err(|e| CodeTablesError::file(&shown, e.to_string()))?;
        let name = item.file_name().to_string_lossy().to_ascii_lowercase();
        let path = item.path();
        if name.starts_with("hcpc") && name.ends_with(".txt") && !name.contains("layout") {
            hcpcs_files.push(path);
        } else if name == "product.txt" {
            product = Some(path);
        } else if name == "package.txt" {
            package = Some(path);
        }
    }
    hcpcs_files.sort();
    if hcpcs_files.len() > 1 {
        let names: Vec<_> = hcpcs_files
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        return Err(CodeTablesError::file(
            &shown,
            format!("several HCPCS files, keep one: {}", names.join(", ")),
        ));
    }
    let mut overrides = CodeOverrides::default();
    if let Some(path) = hcpcs_files.pop() {
        let text = read_text(&path)?;
        let (level2, modifiers) = parse_hcpcs_file(&path.display().to_string(), &text)?;
        overrides.hcpcs_level2 = Some(level2);
        overrides.hcpcs_modifiers = Some(modifiers);
    }
    match (product, package) {
        (Some(product), Some(package)) => {
            let ndc = parse_ndc_directory(
                &product.display().to_string(),
                &read_text(&product)?,
                &package.display().to_string(),
                &read_text(&package)?,
            )?;
            overrides.ndc = Some(ndc);
        }
        (Some(p), None) | (None, Some(p)) => {
            return Err(CodeTablesError::file(
                p.display().to_string(),
                "FDA's product.txt and package.txt are needed together",
            ));
        }
        (None, None) => {}
    }
    if overrides.hcpcs_level2.is_none() && overrides.ndc.is_none() {
        return Err(CodeTablesError::file(
            &shown,
            "no HCPCS file (HCPC*.txt) and no NDC directory (product.txt, package.txt)",
        ));
    }
    Ok(overrides)
}

/// A file's text: UTF-8, or else Latin-1 (CMS and FDA have shipped both).
fn read_text(path: &PathBuf) -> Result<String, CodeTablesError> {
    let bytes = fs::read(path)
        .map_err(|e| CodeTablesError::file(path.display().to_string(), e.to_string()))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    })
}

/// Keep a converted table's text for the rest of the process and parse it.
fn leak_table(name: &str, text: String, layout: Layout) -> Result<CodeTable, CodeTablesError> {
    let name: &'static str = String::leak(name.to_owned());
    CodeTable::parse(name, String::leak(text), layout)
}

fn clean(cell: &str) -> String {
    cell.split_whitespace().collect::<Vec<_>>().join(" ")
}

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
