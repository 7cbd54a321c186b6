//! Date search values (`service-date`, `_lastUpdated`): a prefix and a FHIR date or instant,
//! compared as FHIR compares ranges. A value stands for the span its precision covers
//! (`2024` the year, `2024-03` the month, `2024-03-05T10:00Z` that minute), and so does the
//! target (a service date its day, `meta.lastUpdated` its millisecond). Times are milliseconds
//! since 1970 in UTC; a time without a zone is read as UTC.

use std::ops::Range;

use super::{ApiError, UPSTREAM};
use crate::value::Date;

const MS_PER_DAY: i64 = 86_400_000;

/// The comparisons the sandbox accepts before a date (it refuses a bare date, and `eq`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefix {
    /// `lt`: some of the target lies before the value.
    Lt,
    /// `le`: `lt`, or the target lies within the value.
    Le,
    /// `gt`: some of the target lies after the value.
    Gt,
    /// `ge`: `gt`, or the target lies within the value.
    Ge,
}

/// One date search value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateBound {
    /// How the target compares with the value.
    pub prefix: Prefix,
    /// The span the value covers at its precision, in milliseconds since 1970 (UTC).
    pub span: Range<i64>,
}

impl DateBound {
    /// Parses one value of the date parameter `param` (`service-date`, `_lastUpdated`), with
    /// the sandbox's error texts: a missing prefix is refused by the front end, a bad date
    /// after a good prefix by the FHIR server behind it.
    pub fn parse(param: &str, value: &str) -> Result<DateBound, ApiError> {
        let prefix = match value.get(..2) {
            Some("lt") => Prefix::Lt,
            Some("le") => Prefix::Le,
            Some("gt") => Prefix::Gt,
            Some("ge") => Prefix::Ge,
            _ => return Err(bad_operator(param)),
        };
        let text = &value[2..];
        if text.is_empty() {
            return Err(bad_operator(param));
        }
        let span = parse_span(text).ok_or_else(|| {
            ApiError::BadRequest(format!("{UPSTREAM}Invalid date/time format: \"{text}\""))
        })?;
        Ok(DateBound { prefix, span })
    }

    /// Whether a target covering `t` satisfies this bound.
    pub fn admits(&self, t: &Range<i64>) -> bool {
        let v = &self.span;
        let within = v.start <= t.start && t.end <= v.end;
        match self.prefix {
            Prefix::Lt => t.start < v.start,
            Prefix::Le => t.start < v.start || within,
            Prefix::Gt => t.end > v.end,
            Prefix::Ge => t.end > v.end || within,
        }
    }
}

/// The span of one day.
pub fn day(d: Date) -> Range<i64> {
    let start = i64::from(d.0) * MS_PER_DAY;
    start..start + MS_PER_DAY
}

/// The span of the instant at midnight UTC starting day `d` (a run's `meta.lastUpdated`).
pub fn midnight(d: Date) -> Range<i64> {
    let start = i64::from(d.0) * MS_PER_DAY;
    start..start + 1
}

fn bad_operator(param: &str) -> ApiError {
    ApiError::BadRequest(format!("the {param} operator is not valid"))
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DDThh:mm[:ss[.fff…]][Z|±hh:mm]`.
fn parse_span(text: &str) -> Option<Range<i64>> {
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let fields: Vec<&str> = date.split('-').collect();
    let widths_ok = fields.len() <= 3
        && fields
            .iter()
            .zip([4, 2, 2])
            .all(|(f, w)| f.len() == w && f.bytes().all(|b| b.is_ascii_digit()));
    if !widths_ok {
        return None;
    }
    let num = |i: usize| fields.get(i).map(|f| f.parse::<u32>().ok());
    let y = num(0)?? as i32;
    match (num(1), num(2), time) {
        (None, _, None) => span_of(Date::from_ymd(y, 1, 1)?, Date::from_ymd(y + 1, 1, 1)?),
        (Some(m), None, None) => {
            let m = m?;
            let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            span_of(Date::from_ymd(y, m, 1)?, Date::from_ymd(next.0, next.1, 1)?)
        }
        (Some(m), Some(d), time) => {
            let day = Date::from_ymd(y, m?, d?)?;
            match time {
                None => Some(self::day(day)),
                Some(t) => time_span(day, t),
            }
        }
        _ => None,
    }
}

fn span_of(from: Date, to: Date) -> Option<Range<i64>> {
    Some(i64::from(from.0) * MS_PER_DAY..i64::from(to.0) * MS_PER_DAY)
}

/// The span of `hh:mm[:ss[.fff…]]` plus an optional zone on `day`, at the precision given.
fn time_span(day: Date, text: &str) -> Option<Range<i64>> {
    let (clock, offset_min) = split_zone(text)?;
    let (hm, frac) = match clock.split_once('.') {
        Some((hm, f)) => (hm, Some(f)),
        None => (clock, None),
    };
    let parts: Vec<&str> = hm.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let n: Vec<i64> = parts
        .iter()
        .map(|p| p.parse::<u8>().ok().map(i64::from))
        .collect::<Option<_>>()?;
    if n[0] > 23 || n[1] > 59 || n.get(2).is_some_and(|s| *s > 59) {
        return None;
    }
    let mut ms = (n[0] * 60 + n[1]) * 60_000 + n.get(2).map_or(0, |s| s * 1000);
    let unit = match (parts.len(), frac) {
        (2, None) => 60_000,
        (3, None) => 1000,
        (3, Some(f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let milli = format!("{:0<3}", &f[..f.len().min(3)]);
            ms += milli.parse::<i64>().ok()?;
            1
        }
        _ => return None,
    };
    let start = i64::from(day.0) * MS_PER_DAY + ms - offset_min * 60_000;
    Some(start..start + unit)
}

/// Splits a trailing `Z` or `±hh:mm` off a clock time: (the clock, the zone's offset in
/// minutes east of UTC).
fn split_zone(text: &str) -> Option<(&str, i64)> {
    if let Some(clock) = text.strip_suffix('Z') {
        return Some((clock, 0));
    }
    let Some(at) = text.rfind(['+', '-']) else {
        return Some((text, 0));
    };
    let (clock, zone) = text.split_at(at);
    let (sign, hm) = zone.split_at(1);
    let (h, m) = hm.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    let minutes = h * 60 + m;
    Some((clock, if sign == "-" { -minutes } else { minutes }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(v: &str) -> DateBound {
        DateBound::parse("service-date", v).unwrap()
    }

    fn d(y: i32, m: u32, dd: u32) -> Date {
        Date::from_ymd(y, m, dd).unwrap()
    }

    #[test]
    fn day_targets_compare_with_days_as_dates_do() {
        let t = day(d(2024, 3, 5));
        for (v, admitted) in [
            ("gt2024-03-04", true),
            ("gt2024-03-05", false),
            ("ge2024-03-05", true),
            ("ge2024-03-06", false),
            ("lt2024-03-06", true),
            ("lt2024-03-05", false),
            ("le2024-03-05", true),
            ("le2024-03-04", false),
        ] {
            assert_eq!(bound(v).admits(&t), admitted, "{v}");
        }
    }

    #[test]
    fn coarser_values_cover_their_month_or_year() {
        let t = day(d(2024, 3, 31));
        assert!(bound("le2024-03").admits(&t));
        assert!(!bound("gt2024-03").admits(&t));
        assert!(bound("ge2024").admits(&t));
        assert!(!bound("lt2024").admits(&t));
        assert!(bound("gt2023").admits(&t));
        assert_eq!(
            bound("ge2024-12").span,
            span_of(d(2024, 12, 1), d(2025, 1, 1)).unwrap()
        );
    }

    #[test]
    fn instants_read_zones_and_precision() {
        let last_updated = midnight(d(2026, 1, 1));
        assert!(bound("gt2025-12-31T23:59:59Z").admits(&last_updated));
        assert!(!bound("gt2026-01-01T00:00:00.000Z").admits(&last_updated));
        assert!(bound("ge2026-01-01T00:00:00.000Z").admits(&last_updated));
        // 19:00 at UTC−05:00 is midnight UTC.
        assert_eq!(
            bound("lt2025-12-31T19:00-05:00").span.start,
            last_updated.start
        );
        assert!(bound("lt2026-01-01T00:00:00.001+00:00").admits(&last_updated));
        assert_eq!(
            bound("gt2026-01-01T00:00:00.5Z").span.start,
            last_updated.start + 500
        );
    }

    #[test]
    fn bad_values_get_the_sandbox_texts() {
        for v in ["2024-01-01", "eq2024-01-01", "xx2024", "gt", ""] {
            let e = DateBound::parse("_lastUpdated", v).unwrap_err();
            assert_eq!(
                e.to_string(),
                "the _lastUpdated operator is not valid",
                "{v}"
            );
        }
        for v in [
            "gt2024-13-01",
            "gt2024-02-30",
            "gt24-01-01",
            "gt2024-01-01T25:00Z",
            "gt2024-01-01T10",
            "gt2024-01-01T10:00+5",
            "gtyesterday",
        ] {
            let e = DateBound::parse("service-date", v).unwrap_err();
            assert!(matches!(e, ApiError::BadRequest(_)), "{v}");
            assert!(e.to_string().starts_with(UPSTREAM), "{v}: {e}");
        }
    }
}
