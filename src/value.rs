//! Field values: what every generated column holds, independent of any output format.
//!
//! Values are small and allocation-free: codes from the compiled-in tables are `&'static str`,
//! generated text (names, numbers-as-text) lives inline, dates are day numbers, and every
//! number is an integer in the column's own units (a `numeric(12,2)` column holds cents), so
//! no float ever decides what is written.

use std::fmt;

/// One field.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Value {
    /// Empty (SQL NULL).
    #[default]
    Null,
    /// An integer in the column's units: for `numeric(p,s)` the value times `10^s`.
    Int(i64),
    /// A calendar date.
    Date(Date),
    /// Text borrowed from a compiled-in table or literal.
    Str(&'static str),
    /// Generated text, held inline.
    Text(InlineStr),
}

impl Value {
    /// Whether the value is empty.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The integer, if this is one.
    pub fn as_int(&self) -> Option<i64> {
        match *self {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The date, if this is one.
    pub fn as_date(&self) -> Option<Date> {
        match *self {
            Value::Date(d) => Some(d),
            _ => None,
        }
    }

    /// The text, if this is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Text(t) => Some(t.as_str()),
            _ => None,
        }
    }

    /// Text value from a string that fits inline (at most [`InlineStr::CAPACITY`] bytes).
    ///
    /// # Panics
    /// If `s` is longer than the inline capacity: generators only produce short text.
    pub fn text(s: &str) -> Value {
        Value::Text(InlineStr::new(s))
    }
}

/// A short string stored inline (no heap allocation), for generated identifiers and names.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct InlineStr {
    len: u8,
    buf: [u8; InlineStr::CAPACITY],
}

impl InlineStr {
    /// The most bytes an inline string holds; every generated text column fits (names are at
    /// most 24 characters in the RIF layout, addresses are written as coded pieces).
    pub const CAPACITY: usize = 30;

    /// Copies `s`.
    ///
    /// # Panics
    /// If `s` is longer than [`Self::CAPACITY`] bytes.
    pub fn new(s: &str) -> InlineStr {
        assert!(
            s.len() <= Self::CAPACITY,
            "inline text too long ({} bytes): {s}",
            s.len()
        );
        let mut buf = [0u8; Self::CAPACITY];
        buf[..s.len()].copy_from_slice(s.as_bytes());
        InlineStr {
            len: s.len() as u8,
            buf,
        }
    }

    /// Builds the string from pieces written into an inline buffer.
    pub fn build(f: impl FnOnce(&mut InlineWriter)) -> InlineStr {
        let mut w = InlineWriter(InlineStr {
            len: 0,
            buf: [0; Self::CAPACITY],
        });
        f(&mut w);
        w.0
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only ever filled from `&str` pieces, so always valid UTF-8.
        std::str::from_utf8(&self.buf[..self.len as usize]).expect("inline text is UTF-8")
    }
}

/// Appends to an [`InlineStr`]; see [`InlineStr::build`].
pub struct InlineWriter(InlineStr);

impl InlineWriter {
    /// Appends text.
    pub fn push_str(&mut self, s: &str) {
        let start = self.0.len as usize;
        let end = start + s.len();
        assert!(end <= InlineStr::CAPACITY, "inline text too long");
        self.0.buf[start..end].copy_from_slice(s.as_bytes());
        self.0.len = end as u8;
    }

    /// Appends a decimal number, zero-padded to `width` digits.
    pub fn push_num(&mut self, n: u64, width: usize) {
        let mut b = itoa::Buffer::new();
        let s = b.format(n);
        for _ in s.len()..width {
            self.push_str("0");
        }
        self.push_str(s);
    }
}

impl fmt::Debug for InlineStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for InlineStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar date as a day number (days since 1970-01-01), with allocation-free formatting.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date(pub i32);

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

impl Date {
    /// The date of a (proleptic Gregorian) year, month and day; `None` if it does not exist.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Days-from-civil (H. Hinnant's algorithm).
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy as i32;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }

    /// The date `days` later (earlier if negative).
    pub fn plus(self, days: i32) -> Date {
        Date(self.0 + days)
    }

    /// Days from `earlier` to `self`.
    pub fn days_since(self, earlier: Date) -> i32 {
        self.0 - earlier.0
    }

    /// The first day of this date's month.
    pub fn month_start(self) -> Date {
        let (y, m, _) = self.ymd();
        Date::from_ymd(y, m, 1).expect("first of month exists")
    }

    /// Appends `YYYY-MM-DD` (ISO 8601, as FHIR and CSV write dates).
    pub fn write_iso(self, out: &mut Vec<u8>) {
        let (y, m, d) = self.ymd();
        push_padded(out, y as u32, 4);
        out.push(b'-');
        push_padded(out, m, 2);
        out.push(b'-');
        push_padded(out, d, 2);
    }

    /// Appends `DD-MON-YYYY` (as CCW RIF files write dates).
    pub fn write_rif(self, out: &mut Vec<u8>) {
        let (y, m, d) = self.ymd();
        push_padded(out, d, 2);
        out.push(b'-');
        out.extend_from_slice(MONTHS[m as usize - 1].as_bytes());
        out.push(b'-');
        push_padded(out, y as u32, 4);
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut v = Vec::with_capacity(10);
        self.write_iso(&mut v);
        f.write_str(std::str::from_utf8(&v).expect("ASCII"))
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    /// Parses `YYYY-MM-DD`, naming what is wrong.
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("'{s}' is not a valid date (expected YYYY-MM-DD, e.g. 2025-12-31)");
        let mut it = s.split('-');
        let (Some(y), Some(m), Some(d), None) = (it.next(), it.next(), it.next(), it.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse()) else {
            return Err(bad());
        };
        Date::from_ymd(y, m, d).ok_or_else(bad)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Appends `n` zero-padded to `width` digits.
pub fn push_padded(out: &mut Vec<u8>, n: u32, width: usize) {
    let mut b = itoa::Buffer::new();
    let s = b.format(n);
    out.extend(std::iter::repeat_n(b'0', width.saturating_sub(s.len())));
    out.extend_from_slice(s.as_bytes());
}

/// Appends a scaled integer as a decimal with exactly `scale` digits after the point
/// (`12345` at scale 2 is `123.45`; `-5` is `-0.05`).
pub fn push_decimal(out: &mut Vec<u8>, v: i64, scale: u16) {
    let mut b = itoa::Buffer::new();
    if scale == 0 {
        out.extend_from_slice(b.format(v).as_bytes());
        return;
    }
    if v < 0 {
        out.push(b'-');
    }
    let p = 10u64.pow(u32::from(scale));
    let a = v.unsigned_abs();
    out.extend_from_slice(b.format(a / p).as_bytes());
    out.push(b'.');
    let frac = a % p;
    let s = b.format(frac);
    out.extend(std::iter::repeat_n(b'0', scale as usize - s.len()));
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(d: Date) -> String {
        let mut v = Vec::new();
        d.write_iso(&mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn dates_round_trip_through_civil() {
        for n in -800_000..800_000 {
            let (y, m, d) = Date(n).ymd();
            assert_eq!(Date::from_ymd(y, m, d), Some(Date(n)));
        }
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
        assert_eq!(iso(Date::from_ymd(2024, 2, 29).unwrap()), "2024-02-29");
    }

    #[test]
    fn invalid_dates_are_rejected() {
        assert_eq!(Date::from_ymd(2025, 2, 29), None);
        assert!("2025-13-40".parse::<Date>().is_err());
        assert!("2025-1-4".parse::<Date>().is_err());
        assert!("abc".parse::<Date>().is_err());
        assert_eq!(
            "2025-12-31".parse::<Date>().map(iso),
            Ok("2025-12-31".into())
        );
    }

    #[test]
    fn rif_dates_use_month_abbreviations() {
        let mut v = Vec::new();
        Date::from_ymd(2019, 3, 7).unwrap().write_rif(&mut v);
        assert_eq!(v, b"07-MAR-2019");
    }

    #[test]
    fn decimals_keep_their_scale() {
        let f = |v, s| {
            let mut o = Vec::new();
            push_decimal(&mut o, v, s);
            String::from_utf8(o).unwrap()
        };
        assert_eq!(f(12345, 2), "123.45");
        assert_eq!(f(-5, 2), "-0.05");
        assert_eq!(f(100, 2), "1.00");
        assert_eq!(f(7, 0), "7");
        assert_eq!(f(1500, 3), "1.500");
    }

    #[test]
    fn inline_text_builds_from_pieces() {
        let s = InlineStr::build(|w| {
            w.push_str("BBUser");
            w.push_num(42, 5);
        });
        assert_eq!(s.as_str(), "BBUser00042");
        assert_eq!(std::mem::size_of::<Value>(), 32);
    }
}
