//! Numbers as people read them in messages: thousands separators, singular or plural, sizes
//! in decimal units (as disks and `df -H` count them).

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 beneficiary`, `2 beneficiaries`, `30,000 beneficiaries`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// A size with three significant digits: `512 B`, `3.10 kB`, `74.6 GB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 999.5 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    match unit {
        0 => format!("{n} B"),
        _ if v >= 99.95 => format!("{v:.0} {}", UNITS[unit]),
        _ if v >= 9.995 => format!("{v:.1} {}", UNITS[unit]),
        _ => format!("{v:.2} {}", UNITS[unit]),
    }
}

/// A duration in whole seconds as `42s`, `3m05s` or `2h07m`.
pub fn duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, secs / 60 % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(count(1, "beneficiary", "beneficiaries"), "1 beneficiary");
        assert_eq!(count(0, "file", "files"), "0 files");
        assert_eq!(count(30_000, "claim", "claims"), "30,000 claims");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(3_100), "3.10 kB");
        assert_eq!(bytes(74_612_000_000), "74.6 GB");
        assert_eq!(bytes(999_999), "1.00 MB");
        assert_eq!(bytes(250_000_000), "250 MB");
        assert_eq!(duration(42), "42s");
        assert_eq!(duration(185), "3m05s");
        assert_eq!(duration(7620), "2h07m");
    }
}
