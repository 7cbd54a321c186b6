//! Providers: physicians, suppliers, pharmacies and facilities as pure functions of a pool
//! index, so the same provider (same NPI, place, tax number, CCN) recurs across claims
//! without any shared state. A claim draws a pool index from its own stream; everything
//! else about the provider follows from a hash of that index.
//!
//! NPIs are ten digits whose last digit is the Luhn check digit computed with the `80840`
//! prefix, as the NPI standard defines; CCNs are the SSA state code followed by four digits in
//! the range of the facility type.

use crate::seeds::clinical::{Mac, mac, macs};
use crate::seeds::{Place, places};
use crate::value::InlineStr;

/// Physicians per specialty, suppliers, pharmacies and facilities per kind in the pools.
pub const POOL: u64 = 20_000;

/// A SplitMix64 step: a well-mixed 64-bit hash of `x`.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A hash of a short tag and an index.
pub fn key(tag: &str, k: u64) -> u64 {
    let t = tag.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    mix(t ^ mix(k))
}

/// The Luhn check digit of an NPI's first nine digits (with the `80840` card prefix).
pub fn npi_check_digit(nine: &[u8; 9]) -> u8 {
    let mut digits = [0u8; 14];
    digits[..5].copy_from_slice(&[8, 0, 8, 4, 0]);
    for (i, &c) in nine.iter().enumerate() {
        digits[5 + i] = c;
    }
    // Double every second digit from the right of the payload (the rightmost first).
    let mut sum = 0u32;
    for (i, &dg) in digits.iter().rev().enumerate() {
        let v = u32::from(dg);
        sum += if i % 2 == 0 {
            let x = v * 2;
            if x > 9 { x - 9 } else { x }
        } else {
            v
        };
    }
    ((10 - sum % 10) % 10) as u8
}

/// Whether a ten-digit string is a valid NPI.
pub fn is_valid_npi(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || !b.iter().all(u8::is_ascii_digit) || !matches!(b[0], b'1' | b'2') {
        return false;
    }
    let mut nine = [0u8; 9];
    for i in 0..9 {
        nine[i] = b[i] - b'0';
    }
    npi_check_digit(&nine) == b[9] - b'0'
}

/// The NPI of hash `h`: first digit 1 or 2, eight hashed digits, check digit.
pub fn npi(h: u64) -> InlineStr {
    let mut nine = [0u8; 9];
    nine[0] = 1 + (h % 2) as u8;
    let mut v = (h >> 1) % 100_000_000;
    for i in (1..9).rev() {
        nine[i] = (v % 10) as u8;
        v /= 10;
    }
    let check = npi_check_digit(&nine);
    let mut s = [0u8; 10];
    for i in 0..9 {
        s[i] = b'0' + nine[i];
    }
    s[9] = b'0' + check;
    InlineStr::new(std::str::from_utf8(&s).expect("digits"))
}

/// A place drawn by population from hash `h`.
pub fn place(h: u64) -> &'static Place {
    let p = places();
    p.at(h % p.total())
}

/// The contractors of a place's state (the first row of `macs.tsv` if the state is missing).
pub fn mac_of(p: &Place) -> &'static Mac {
    mac(p.state).unwrap_or_else(|| macs().min_by_key(|m| m.state).expect("macs.tsv has rows"))
}

/// A nine-digit ZIP code in a place: its five digits and four hashed ones.
pub fn zip9(p: &Place, h: u64) -> InlineStr {
    InlineStr::build(|w| {
        w.push_str(p.zip5);
        w.push_num(1 + h % 9998, 4);
    })
}

/// An employer identification number (nine digits, with a valid IRS campus prefix).
pub fn ein(h: u64) -> InlineStr {
    const PREFIXES: [u64; 12] = [10, 20, 26, 27, 31, 35, 41, 45, 52, 61, 75, 86];
    InlineStr::build(|w| {
        w.push_num(PREFIXES[(h % 12) as usize], 2);
        w.push_num((h >> 8) % 10_000_000, 7);
    })
}

/// A physician or other practitioner.
pub struct Practitioner {
    /// Individual NPI.
    pub npi: InlineStr,
    /// CMS specialty code.
    pub spec: &'static str,
    /// Where the practice is.
    pub place: &'static Place,
    /// Its contractors.
    pub mac: &'static Mac,
    /// Practice ZIP+4.
    pub zip9: InlineStr,
    /// The group's NPI (billing provider).
    pub group_npi: InlineStr,
    /// The group's tax number.
    pub tax: InlineStr,
}

/// Practitioner `k` of specialty `spec`.
pub fn practitioner(spec: &'static str, k: u64) -> Practitioner {
    let h = key(spec, k);
    let group = k / 4; // about four practitioners per group
    let g = key(spec, group | 1 << 40);
    let place = self::place(g);
    Practitioner {
        npi: npi(h),
        spec,
        place,
        mac: mac_of(place),
        zip9: zip9(place, g >> 7),
        group_npi: npi(g ^ 0x5555),
        tax: ein(g >> 3),
    }
}

/// The NPI of practitioner `k` of specialty `spec` (as [`practitioner`] gives it).
pub fn practitioner_npi(spec: &str, k: u64) -> InlineStr {
    npi(key(spec, k))
}

/// Facility kinds and the CCN ranges of their four-digit serial numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FacilityKind {
    /// Short-term acute care hospital (0001–0879).
    Hospital,
    /// Dialysis facility (2300–2499).
    Dialysis,
    /// Skilled nursing facility (5000–6499).
    Snf,
    /// Home health agency (7000–8499).
    Hha,
    /// Hospice (1500–1799).
    Hospice,
}

impl FacilityKind {
    fn range(self) -> (u64, u64) {
        match self {
            FacilityKind::Hospital => (1, 879),
            FacilityKind::Dialysis => (2300, 2499),
            FacilityKind::Snf => (5000, 6499),
            FacilityKind::Hha => (7000, 8499),
            FacilityKind::Hospice => (1500, 1799),
        }
    }

    fn tag(self) -> &'static str {
        match self {
            FacilityKind::Hospital => "hospital",
            FacilityKind::Dialysis => "dialysis",
            FacilityKind::Snf => "snf",
            FacilityKind::Hha => "hha",
            FacilityKind::Hospice => "hospice",
        }
    }
}

/// An institutional provider.
pub struct Facility {
    /// CMS Certification Number (PRVDR_NUM).
    pub ccn: InlineStr,
    /// Organization NPI.
    pub npi: InlineStr,
    /// Where it is.
    pub place: &'static Place,
    /// Its contractors.
    pub mac: &'static Mac,
    /// Hash of the facility, for further stable attributes (teaching status, wage index).
    pub h: u64,
}

/// Facility `k` of a kind.
pub fn facility(kind: FacilityKind, k: u64) -> Facility {
    let h = key(kind.tag(), k);
    let place = self::place(h);
    let (lo, hi) = kind.range();
    let serial = lo + (h >> 11) % (hi - lo + 1);
    Facility {
        ccn: InlineStr::build(|w| {
            w.push_str(place.ssa_state);
            w.push_num(serial, 4);
        }),
        npi: npi(h ^ 0xa5a5),
        place,
        mac: mac_of(place),
        h,
    }
}

/// A pharmacy's NPI and place.
pub fn pharmacy(k: u64) -> (InlineStr, &'static Place) {
    let h = key("pharmacy", k);
    (npi(h), place(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npis_pass_the_luhn_check() {
        // A published example NPI.
        assert!(is_valid_npi("1234567893"));
        assert!(!is_valid_npi("1234567890"));
        for k in 0..2000 {
            let n = npi(mix(k));
            assert!(is_valid_npi(n.as_str()), "{n}");
        }
    }

    #[test]
    fn every_place_has_its_contractors() {
        for p in &places().items {
            let m = mac(p.state).unwrap_or_else(|| panic!("macs.tsv has no row for {}", p.state));
            assert_eq!(m.ssa, p.ssa_state, "{}", p.state);
        }
        // The 50 states, DC, Puerto Rico and the territories.
        assert!(macs().count() >= 56);
        for m in macs() {
            for n in [m.carrier, m.dme, m.part_a, m.hhh] {
                assert!(n.len() == 5 && n.bytes().all(|b| b.is_ascii_digit()), "{n}");
            }
            assert!(!m.locality.is_empty() && m.locality.len() <= 2);
        }
    }

    #[test]
    fn providers_are_stable_functions_of_their_index() {
        let a = practitioner("11", 17);
        let b = practitioner("11", 17);
        assert_eq!(a.npi, b.npi);
        assert_eq!(a.tax, b.tax);
        assert_ne!(practitioner("11", 18).npi, a.npi);
        let f = facility(FacilityKind::Snf, 3);
        let serial: u64 = f.ccn.as_str()[2..].parse().unwrap();
        assert!((5000..=6499).contains(&serial));
        assert_eq!(f.ccn.as_str().len(), 6);
    }
}
