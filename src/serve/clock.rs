//! The server's clock: the wall clock plus an offset that tests move forward
//! (`/_bbgen/clock`), so codes (60 s), approvals (600 s), access tokens (3,600 s) and 13-month
//! grants expire in milliseconds instead of real time.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Months, Utc};

/// Wall clock + a virtual offset, in milliseconds since the Unix epoch.
#[derive(Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// Now, in milliseconds since the epoch, as the server sees it.
    pub fn now_ms(&self) -> i64 {
        wall_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Now, in whole seconds since the epoch.
    pub fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// The current virtual offset.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves the clock forward (or back, for a negative amount).
    pub fn advance_ms(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// Sets the clock to `at_ms` (milliseconds since the epoch).
    pub fn set_ms(&self, at_ms: i64) {
        self.offset_ms.store(at_ms - wall_ms(), Ordering::Relaxed);
    }
}

fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// `secs` (since the epoch) as the sandbox writes `access_grant_expiration`: `%Y-%m-%dT%H:%M:%SZ`.
pub fn iso_seconds(secs: i64) -> String {
    match DateTime::<Utc>::from_timestamp(secs, 0) {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => String::new(),
    }
}

/// `ms` (since the epoch) with milliseconds: `2021-02-05T05:26:39.117Z`.
pub fn iso_millis(ms: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(ms) {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => String::new(),
    }
}

/// `secs` + 13 calendar months (a THIRTEEN_MONTH grant's end), in seconds since the epoch.
pub fn plus_13_months(secs: i64) -> i64 {
    DateTime::<Utc>::from_timestamp(secs, 0)
        .and_then(|t| t.checked_add_months(Months::new(13)))
        .map_or(i64::MAX, |t| t.timestamp())
}

/// Parses `2027-01-02T03:04:05Z` (or with a fraction or offset) into milliseconds.
pub fn parse_iso_ms(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_months_and_formats() {
        let t = parse_iso_ms("2026-01-31T10:00:00Z").unwrap() / 1000;
        assert_eq!(iso_seconds(plus_13_months(t)), "2027-02-28T10:00:00Z");
        assert_eq!(iso_millis(1_612_502_799_117), "2021-02-05T05:26:39.117Z");
    }

    #[test]
    fn advancing_moves_now() {
        let c = Clock::default();
        let before = c.now();
        c.advance_ms(3_601_000);
        assert!(c.now() - before >= 3601);
    }
}
