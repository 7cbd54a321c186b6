//! One sorted table type and one TSV parser, serving every code system.
//!
//! A table's text is `'static` (compiled in with `include_str!`, or read once from a user's
//! files and kept for the rest of the process), so every entry borrows its cells out of it.

use std::fmt;

/// One row of a code table: its code, display text (if the system has one), and the
/// table-specific columns in the order given by [`CodeTable::extra_columns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    code: &'static str,
    display: Option<&'static str>,
    extra: &'static [&'static str],
}

impl Entry {
    /// Build an entry from its parts (used when combining or converting tables).
    pub fn new(
        code: &'static str,
        display: Option<&'static str>,
        extra: &'static [&'static str],
    ) -> Entry {
        Entry {
            code,
            display,
            extra,
        }
    }
    pub fn code(&self) -> &'static str {
        self.code
    }
    /// The display text; `None` where the code system's text may not be redistributed (CPT)
    /// or the table has none.
    pub fn display(&self) -> Option<&'static str> {
        self.display
    }
    /// The table-specific cells, in the order of [`CodeTable::extra_columns`].
    pub fn extra(&self) -> &'static [&'static str] {
        self.extra
    }
    /// The `i`-th table-specific cell; `""` when the table has fewer columns.
    pub fn field(&self, i: usize) -> &'static str {
        self.extra.get(i).copied().unwrap_or("")
    }
}

/// The column layout a table file must have: its key column, an optional display column and
/// the table-specific columns, named as in the header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub key: &'static str,
    pub display: Option<&'static str>,
    pub extra: &'static [&'static str],
}

impl Layout {
    fn width(&self) -> usize {
        1 + usize::from(self.display.is_some()) + self.extra.len()
    }
    /// The column names, in file order.
    pub fn header(&self) -> Vec<&'static str> {
        let mut h = vec![self.key];
        h.extend(self.display);
        h.extend_from_slice(self.extra);
        h
    }
    /// The header row of a TSV file with this layout, with its line break.
    pub fn header_line(&self) -> String {
        self.header().join("\t") + "\n"
    }
}

/// A code table, sorted by code (byte order), without duplicate codes.
#[derive(Debug, Clone)]
pub struct CodeTable {
    name: &'static str,
    layout: Layout,
    entries: Vec<Entry>,
}

impl CodeTable {
    /// Binary search for `code` (exactly as stored: ICD codes without the dot, NDCs as 11 digits).
    pub fn get(&self, code: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.code.cmp(code))
            .ok()
            .map(|i| &self.entries[i])
    }
    pub fn contains(&self, code: &str) -> bool {
        self.get(code).is_some()
    }
    pub fn display(&self, code: &str) -> Option<&str> {
        self.get(code).and_then(|e| e.display)
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Entries in code order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }
    /// The entries as a slice in code order (handy for drawing a random code by index).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
    /// The file (or table) name the entries came from.
    pub fn name(&self) -> &'static str {
        self.name
    }
    pub fn layout(&self) -> &Layout {
        &self.layout
    }
    /// Names of the table-specific columns.
    pub fn extra_columns(&self) -> &'static [&'static str] {
        self.layout.extra
    }
    /// The cell of `entry` in the table-specific column `column`.
    pub fn field(&self, entry: &Entry, column: &str) -> Option<&'static str> {
        let i = self.layout.extra.iter().position(|c| *c == column)?;
        entry.extra.get(i).copied()
    }

    /// Parse a TSV table: a header row equal to `layout`, then one row per code, sorted by
    /// code with no duplicates. Cells are borrowed from `text`.
    pub fn parse(
        name: &'static str,
        text: &'static str,
        layout: Layout,
    ) -> Result<CodeTable, CodeTablesError> {
        let header = layout.header();
        let rows = parse_rows(name, text, &header)?;
        let width = layout.width();
        let mut entries = Vec::with_capacity(rows.cells.len() / width);
        for (i, row) in rows.cells.chunks_exact(width).enumerate() {
            let (display, extra) = match layout.display {
                Some(_) => (Some(row[1]).filter(|d| !d.is_empty()), &row[2..]),
                None => (None, &row[1..]),
            };
            if row[0].is_empty() {
                return Err(CodeTablesError::at(name, rows.lines[i], "empty code"));
            }
            entries.push(Entry {
                code: row[0],
                display,
                extra,
            });
        }
        Self::check_sorted(name, &entries, Some(&rows.lines))?;
        Ok(CodeTable {
            name,
            layout,
            entries,
        })
    }

    /// Build a table from entries in any order: sorts them and refuses duplicate codes.
    pub fn from_entries(
        name: &'static str,
        layout: Layout,
        mut entries: Vec<Entry>,
    ) -> Result<CodeTable, CodeTablesError> {
        entries.sort_by(|a, b| a.code.cmp(b.code));
        Self::check_sorted(name, &entries, None)?;
        Ok(CodeTable {
            name,
            layout,
            entries,
        })
    }

    fn check_sorted(
        name: &'static str,
        entries: &[Entry],
        lines: Option<&[usize]>,
    ) -> Result<(), CodeTablesError> {
        for (i, pair) in entries.windows(2).enumerate() {
            if pair[0].code >= pair[1].code {
                let what = if pair[0].code == pair[1].code {
                    format!("duplicate code {:?}", pair[1].code)
                } else {
                    format!(
                        "code {:?} out of order after {:?}",
                        pair[1].code, pair[0].code
                    )
                };
                return Err(match lines {
                    Some(lines) => CodeTablesError::at(name, lines[i + 1], what),
                    None => CodeTablesError::file(name, what),
                });
            }
        }
        Ok(())
    }
}

/// Cells of a TSV file, flattened row after row, with the line number of each row.
pub(crate) struct Rows {
    pub cells: &'static [&'static str],
    pub lines: Vec<usize>,
}

/// Split a tab-separated file whose header must equal `header`; every row must have as many
/// cells. Blank lines are skipped; a trailing `\r` is ignored. The cell array lives for the
/// rest of the process, like the text it points into.
pub(crate) fn parse_rows(
    name: &'static str,
    text: &'static str,
    header: &[&str],
) -> Result<Rows, CodeTablesError> {
    let mut lines = text.lines().enumerate();
    let found: Vec<&str> = match lines.next() {
        Some((_, line)) => line.trim_end_matches('\r').split('\t').collect(),
        None => return Err(CodeTablesError::file(name, "empty file")),
    };
    if found != header {
        return Err(CodeTablesError::at(
            name,
            1,
            format!(
                "header is {:?}, expected {:?}",
                found.join("\\t"),
                header.join("\\t")
            ),
        ));
    }
    let width = header.len();
    let mut cells = Vec::with_capacity(text.len() / 24);
    let mut numbers = Vec::new();
    for (i, line) in lines {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let before = cells.len();
        cells.extend(line.split('\t'));
        let n = cells.len() - before;
        if n != width {
            return Err(CodeTablesError::at(
                name,
                i + 1,
                format!("{n} fields, the header has {width}"),
            ));
        }
        numbers.push(i + 1);
    }
    Ok(Rows {
        cells: Vec::leak(cells),
        lines: numbers,
    })
}

/// A code table that could not be read: the file, the line (1-based) when known, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeTablesError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl CodeTablesError {
    pub(crate) fn at(file: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        CodeTablesError {
            file: file.into(),
            line: Some(line),
            message: message.into(),
        }
    }
    pub(crate) fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        CodeTablesError {
            file: file.into(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for CodeTablesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for CodeTablesError {}

/// Parse a compiled-in table; the tests guarantee these parse, so failure is a build defect.
pub(crate) fn builtin(name: &'static str, text: &'static str, layout: Layout) -> CodeTable {
    CodeTable::parse(name, text, layout).unwrap_or_else(|e| panic!("built-in code table: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT: Layout = Layout {
        key: "code",
        display: Some("display"),
        extra: &["x"],
    };

    #[test]
    fn parses_and_looks_up() {
        let t = CodeTable::parse(
            "t.tsv",
            "code\tdisplay\tx\nA\tfirst\t1\nB\t\t2\r\n\n",
            LAYOUT,
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t.display("A"), Some("first"));
        assert_eq!(t.display("B"), None);
        assert_eq!(t.get("B").unwrap().field(0), "2");
        assert_eq!(t.field(t.get("A").unwrap(), "x"), Some("1"));
        assert!(!t.contains("C"));
    }

    #[test]
    fn refuses_bad_tables() {
        let e =
            CodeTable::parse("t.tsv", "code\tdisplay\tx\nB\tb\t1\nA\ta\t2\n", LAYOUT).unwrap_err();
        assert_eq!(e.line, Some(3));
        let e =
            CodeTable::parse("t.tsv", "code\tdisplay\tx\nA\ta\t1\nA\ta\t2\n", LAYOUT).unwrap_err();
        assert!(e.to_string().contains("duplicate"), "{e}");
        let e = CodeTable::parse("t.tsv", "code\tdisplay\tx\nA\ta\n", LAYOUT).unwrap_err();
        assert_eq!(e.to_string(), "t.tsv:2: 2 fields, the header has 3");
        let e = CodeTable::parse("t.tsv", "code\tx\n", LAYOUT).unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
