//! Code rules by prefix: `(system, prefix, value)` rows of a built-in TSV table, where the
//! longest listed prefix a code starts with decides (so a rule can carve an exception out of a
//! wider one). Codes may be given with or without the dot.

use super::table::parse_rows;

/// The rules of one table.
pub(super) struct PrefixRules<V> {
    rules: Vec<(&'static str, &'static str, V)>,
}

impl<V: Copy> PrefixRules<V> {
    /// Parses `text` with columns `system, prefix, <value column>, note`; `value` reads a
    /// cell of the value column. Panics on a defect, since the tables are compiled in.
    pub fn parse(
        name: &'static str,
        text: &'static str,
        value_column: &str,
        value: impl Fn(&str) -> Option<V>,
    ) -> PrefixRules<V> {
        let rows = parse_rows(name, text, &["system", "prefix", value_column, "note"])
            .unwrap_or_else(|e| panic!("built-in code table: {e}"));
        let rules = rows
            .cells
            .chunks_exact(4)
            .zip(&rows.lines)
            .map(|(r, line)| {
                let v = value(r[2])
                    .unwrap_or_else(|| panic!("{name}:{line}: {value_column} is {:?}", r[2]));
                (r[0], r[1], v)
            })
            .collect();
        PrefixRules { rules }
    }

    /// The value of the longest prefix of `code` listed for `system`, if any.
    pub fn lookup(&self, system: &str, code: &str) -> Option<V> {
        self.rules
            .iter()
            .filter(|(s, p, _)| *s == system && starts_with_undotted(code, p))
            .max_by_key(|(_, p, _)| p.len())
            .map(|(_, _, v)| *v)
    }

    /// Every rule, for documentation and tests.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str, V)> + '_ {
        self.rules.iter().copied()
    }
}

/// `code` (dots ignored, surrounding spaces trimmed) starts with `prefix`.
fn starts_with_undotted(code: &str, prefix: &str) -> bool {
    let mut code = code.trim().bytes().filter(|b| *b != b'.');
    prefix.bytes().all(|p| code.next() == Some(p))
}
