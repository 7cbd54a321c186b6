//! A small streaming JSON writer into a reused `Vec<u8>`: commas are placed by looking at the
//! last byte written, and containers that end up empty are removed with their key, so no
//! empty object or array (which FHIR forbids) is ever written.

use crate::value::{Date, push_decimal};

/// Writes JSON into `out`.
pub struct J<'a> {
    /// The buffer written to.
    pub out: &'a mut Vec<u8>,
}

/// Where a container started, to drop it (with its key) if it stays empty.
#[derive(Clone, Copy)]
pub struct Mark(usize);

impl Mark {
    /// The buffer length when the container was opened.
    pub fn pos(self) -> usize {
        self.0
    }
}

impl J<'_> {
    #[inline]
    fn sep(&mut self) {
        match self.out.last() {
            Some(b'{' | b'[' | b':') | None => {}
            _ => self.out.push(b','),
        }
    }

    #[inline]
    fn key(&mut self, k: &str) {
        self.sep();
        self.out.push(b'"');
        self.out.extend_from_slice(k.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    /// Opens a resource (a top-level object, appended to whatever the buffer holds).
    #[inline]
    pub fn doc(&mut self) -> Mark {
        let m = Mark(self.out.len());
        self.out.push(b'{');
        m
    }

    /// Opens an object as an array element.
    #[inline]
    pub fn begin(&mut self) -> Mark {
        let m = Mark(self.out.len());
        self.sep();
        self.out.push(b'{');
        m
    }

    /// Opens object member `k`.
    #[inline]
    pub fn obj(&mut self, k: &str) -> Mark {
        let m = Mark(self.out.len());
        self.key(k);
        self.out.push(b'{');
        m
    }

    /// Opens array member `k`.
    #[inline]
    pub fn arr(&mut self, k: &str) -> Mark {
        let m = Mark(self.out.len());
        self.key(k);
        self.out.push(b'[');
        m
    }

    /// Closes an object; drops it (and its key) if nothing was written into it.
    #[inline]
    pub fn end(&mut self, m: Mark) {
        if self.out.last() == Some(&b'{') {
            self.out.truncate(m.0);
        } else {
            self.out.push(b'}');
        }
    }

    /// Closes an array; drops it (and its key) if empty.
    #[inline]
    pub fn end_arr(&mut self, m: Mark) {
        if self.out.last() == Some(&b'[') {
            self.out.truncate(m.0);
        } else {
            self.out.push(b']');
        }
    }

    /// Whether anything was written since `m` besides the container's opening.
    pub fn written_since(&self, m: Mark) -> usize {
        self.out.len() - m.0
    }

    /// A string member; nothing if the trimmed value is empty.
    #[inline]
    pub fn str(&mut self, k: &str, v: &str) {
        let v = v.trim();
        if v.is_empty() {
            return;
        }
        self.key(k);
        push_str(self.out, v);
    }

    /// A string member from a trusted constant (no surrounding spaces, nothing to escape):
    /// code systems, codes and labels of the mapping tables. Nothing if empty.
    #[inline]
    pub fn lit(&mut self, k: &str, v: &str) {
        if v.is_empty() {
            return;
        }
        debug_assert!(
            v.trim() == v && !v.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'),
            "not a plain literal: {v:?}"
        );
        self.key(k);
        self.out.push(b'"');
        self.out.extend_from_slice(v.as_bytes());
        self.out.push(b'"');
    }

    /// A string array element.
    #[inline]
    pub fn elem_str(&mut self, v: &str) {
        let v = v.trim();
        if v.is_empty() {
            return;
        }
        self.sep();
        push_str(self.out, v);
    }

    /// A string member made of pieces (written unescaped: ids and URLs only).
    #[inline]
    pub fn str_parts(&mut self, k: &str, parts: &[&str]) {
        self.key(k);
        self.out.push(b'"');
        for p in parts {
            self.out.extend_from_slice(p.as_bytes());
        }
        self.out.push(b'"');
    }

    /// A raw JSON value (a literal number or `true`).
    #[inline]
    pub fn raw(&mut self, k: &str, v: &str) {
        self.key(k);
        self.out.extend_from_slice(v.as_bytes());
    }

    /// An integer member.
    #[inline]
    pub fn int(&mut self, k: &str, v: i64) {
        self.key(k);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// An integer array element.
    #[inline]
    pub fn elem_int(&mut self, v: i64) {
        self.sep();
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// A decimal member from a scaled integer, written as the Blue Button API writes
    /// amounts: trailing zeros dropped but at least one decimal (`75.0`, `37.5`, `9.57`).
    #[inline]
    pub fn dec(&mut self, k: &str, v: i64, scale: u16) {
        self.key(k);
        push_number(self.out, v, scale);
    }

    /// A date member (`YYYY-MM-DD`).
    #[inline]
    pub fn date(&mut self, k: &str, d: Date) {
        self.key(k);
        self.out.push(b'"');
        d.write_iso(self.out);
        self.out.push(b'"');
    }

    /// A dateTime member at midnight UTC.
    #[inline]
    pub fn date_time(&mut self, k: &str, d: Date) {
        self.key(k);
        self.out.push(b'"');
        d.write_iso(self.out);
        self.out.extend_from_slice(b"T00:00:00+00:00\"");
    }
}

/// Appends a scaled integer as a JSON number: integers as is, decimals with trailing zeros
/// dropped but at least one digit after the point.
pub fn push_number(out: &mut Vec<u8>, v: i64, scale: u16) {
    if scale == 0 {
        out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        return;
    }
    let start = out.len();
    push_decimal(out, v, scale);
    let mut end = out.len();
    while out[end - 1] == b'0' && out[end - 2] != b'.' {
        end -= 1;
    }
    out.truncate(end.max(start));
}

/// Appends a JSON string literal, escaped.
#[inline]
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    if b.iter().all(|&c| c >= 0x20 && c != b'"' && c != b'\\') {
        out.extend_from_slice(b);
    } else {
        for &c in b {
            match c {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                c if c < 0x20 => {
                    out.extend_from_slice(format!("\\u{:04x}", c).as_bytes());
                }
                c => out.push(c),
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: i64, s: u16) -> String {
        let mut o = Vec::new();
        push_number(&mut o, v, s);
        String::from_utf8(o).unwrap()
    }

    #[test]
    fn amounts_are_written_as_the_api_writes_them() {
        assert_eq!(num(7500, 2), "75.0");
        assert_eq!(num(3750, 2), "37.5");
        assert_eq!(num(957, 2), "9.57");
        assert_eq!(num(0, 2), "0.0");
        assert_eq!(num(-5, 2), "-0.05");
        assert_eq!(num(60234, 3), "60.234");
        assert_eq!(num(77, 0), "77");
    }

    #[test]
    fn empty_containers_vanish_with_their_key() {
        let mut o = Vec::new();
        let mut j = J { out: &mut o };
        let top = j.begin();
        j.str("a", "x");
        let m = j.arr("empty");
        let n = j.begin();
        j.str("blank", "  ");
        j.end(n);
        j.end_arr(m);
        let m = j.obj("o");
        j.end(m);
        j.str("b", " y ");
        j.end(top);
        assert_eq!(String::from_utf8(o).unwrap(), r#"{"a":"x","b":"y"}"#);
    }

    #[test]
    fn strings_are_escaped() {
        let mut o = Vec::new();
        push_str(&mut o, "a\"b\\c\n");
        assert_eq!(o, br#""a\"b\\c\n""#);
    }
}
