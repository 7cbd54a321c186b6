//! Identifiers: sandbox user names and passwords, BENE_IDs in the CMS sandbox's own ranges,
//! synthetic MBIs, and claim ids. All are pure functions of the user index or card, so
//! batches made with `--offset` never collide.

use crate::model::ClaimType;
use crate::value::InlineStr;

/// The sandbox's three BENE_ID ranges for users 0–29,999, and the continuation beyond them.
/// BBUser00000–09999 → −(19990000000000 + i + 1); BBUser10000–19999 →
/// −(20000000000000 + (i − 10000) + 1); BBUser20000–29999 → −(20140000000000 + (i − 20000) + 1),
/// so BBUser29999 is −20140000010000 as in the sandbox. From user 30,000 on:
/// −(30000000000000 + i + 1), above every sandbox id.
const RANGES: [(u64, u64, i64); 3] = [
    (0, 10_000, 19_990_000_000_000),
    (10_000, 20_000, 20_000_000_000_000),
    (20_000, 30_000, 20_140_000_000_000),
];
const CONTINUATION: i64 = 30_000_000_000_000;

/// The largest user index with an id (ids stay below 2^53 so JSON readers keep them exact).
pub const MAX_USERS: u64 = 1_000_000_000_000;

/// BENE_ID of user `i`.
pub fn bene_id(i: u64) -> i64 {
    for (lo, hi, base) in RANGES {
        if (lo..hi).contains(&i) {
            return -(base + (i - lo) as i64 + 1);
        }
    }
    -(CONTINUATION + i as i64 + 1)
}

/// The user index of a BENE_ID, if it is one bbgen gives out.
pub fn index_of_bene_id(id: i64) -> Option<u64> {
    let v = id.checked_neg()? - 1;
    for (lo, hi, base) in RANGES {
        if v >= base && v < base + (hi - lo) as i64 {
            return Some(lo + (v - base) as u64);
        }
    }
    let i = v.checked_sub(CONTINUATION)?;
    (i >= 30_000 && (i as u64) < MAX_USERS).then_some(i as u64)
}

/// `BBUser` + the index zero-padded to at least five digits.
pub fn username(i: u64) -> InlineStr {
    InlineStr::build(|w| {
        w.push_str("BBUser");
        w.push_num(i, 5);
    })
}

/// `PW` + the index zero-padded to at least five digits + `!`.
pub fn password(i: u64) -> InlineStr {
    InlineStr::build(|w| {
        w.push_str("PW");
        w.push_num(i, 5);
        w.push_str("!");
    })
}

/// The user index of a sandbox user name (`BBUser00042` → 42).
pub fn index_of_username(name: &str) -> Option<u64> {
    let digits = name.strip_prefix("BBUser")?;
    if digits.len() < 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let i: u64 = digits.parse().ok()?;
    (username(i).as_str() == name).then_some(i)
}

/// Letters allowed in an MBI (no S, L, O, I, B, Z).
const MBI_ALPHA: &[u8; 20] = b"ACDEFGHJKMNPQRTUVWXY";
const MBI_ALNUM: &[u8; 30] = b"0123456789ACDEFGHJKMNPQRTUVWXY";
const DIGITS: &[u8; 10] = b"0123456789";

/// Character classes of MBI positions 3–11 (position 1 is a digit 1–9, position 2 the `S`
/// that marks synthetic MBIs).
const MBI_TAIL: [&[u8]; 9] = [
    MBI_ALNUM, DIGITS, MBI_ALPHA, MBI_ALNUM, DIGITS, MBI_ALPHA, MBI_ALPHA, DIGITS, DIGITS,
];

/// The synthetic MBI of user `i`: 11 characters in the MBI character classes with `S` in
/// position 2. Distinct users get distinct MBIs: the index goes through an affine bijection of
/// the MBI number space (so neighbours do not look alike) and is then written digit by digit.
pub fn mbi(i: u64) -> InlineStr {
    let tail_space: u64 = MBI_TAIL.iter().map(|c| c.len() as u64).product();
    let space = tail_space * 9;
    // 1_000_003 is prime and does not divide the space, so the map is a bijection.
    let mut v = ((u128::from(i) * 1_000_003 + 7_777_777) % u128::from(space)) as u64;
    let mut tail = [0u8; 9];
    for p in (0..9).rev() {
        let class = MBI_TAIL[p];
        tail[p] = class[(v % class.len() as u64) as usize];
        v /= class.len() as u64;
    }
    let first = [b'1' + v as u8];
    InlineStr::build(|w| {
        w.push_str(std::str::from_utf8(&first).expect("digit"));
        w.push_str("S");
        w.push_str(std::str::from_utf8(&tail).expect("ASCII"));
    })
}

/// Users per deal block: each claim type's deck is dealt among the users
/// `b * BLOCK_USERS .. (b + 1) * BLOCK_USERS` of block `b`, whatever `--offset` and `--users`.
pub const BLOCK_USERS: u64 = 1024;

/// Card places per block and type: a card is `block * BLOCK_CARDS + place`, and the claim
/// ids of one block and type take one billion of their own.
pub const BLOCK_CARDS: u64 = 1_000_000_000;

/// The most claims of one type a user holds (976,562, about 670 a day over the four-year
/// window), so a block's cards of a type never outgrow their [`BLOCK_CARDS`] places. Counts
/// never reach it at `--claims-scale` up to 3 (the largest count the draws allow is about
/// 317,000 Part D events there); above, it trims the far tail of the log-normal rate.
pub const MAX_CLAIMS_PER_USER: u32 = (BLOCK_CARDS / BLOCK_USERS) as u32;

/// Deal blocks that hold a user below [`MAX_USERS`].
const MAX_BLOCKS: u64 = MAX_USERS.div_ceil(BLOCK_USERS);

/// The card at `place` of block `block`'s deck (its key: the claim is generated from it).
pub fn card(block: u64, place: u64) -> u64 {
    debug_assert!(place < BLOCK_CARDS);
    block * BLOCK_CARDS + place
}

/// The block and place of a card.
pub fn block_and_place(card: u64) -> (u64, u64) {
    (card / BLOCK_CARDS, card % BLOCK_CARDS)
}

/// Where a type's billion falls among the eight of a block: Part D first, so the Part D
/// events of block 0 keep the sandbox's ten-digit ids (`pde--1010252550`).
fn rank(t: ClaimType) -> u64 {
    (t.index() as u64 + 1) % ClaimType::COUNT as u64
}

/// CLM_ID (or PDE_ID) of `card` of a type's deck: −(10⁹ · (1 + 8 · block + rank) + place),
/// negative and unique across types and blocks without knowing any block's size. Users
/// below [`MAX_USERS`] keep every id above −7.9 · 10¹⁸, inside `i64`; ids pass 2⁵³ from
/// block 1,125,900 (user 1.15 · 10⁹) on, so readers should take them as 64-bit integers.
pub fn claim_id(kind: ClaimType, card: u64) -> i64 {
    let (block, place) = block_and_place(card);
    let billion = 1 + ClaimType::COUNT as u64 * block + rank(kind);
    -((billion * BLOCK_CARDS + place) as i64)
}

/// The type, block and place of the card a claim id names, if it is one bbgen gives out.
pub fn card_of_claim_id(id: i64) -> Option<(ClaimType, u64, u64)> {
    let v = id.checked_neg()? as u64;
    let billion = (v / BLOCK_CARDS).checked_sub(1)?;
    let n = ClaimType::COUNT as u64;
    let (block, r) = (billion / n, billion % n);
    let t = ClaimType::ALL.into_iter().find(|&t| rank(t) == r)?;
    (block < MAX_BLOCKS).then_some((t, block, v % BLOCK_CARDS))
}

const _: () = assert!(
    (1 + ClaimType::COUNT as u64 * MAX_BLOCKS) * BLOCK_CARDS <= i64::MAX as u64,
    "claim ids of every block fit in i64"
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn bene_ids_follow_the_sandbox_ranges() {
        assert_eq!(bene_id(0), -19_990_000_000_001);
        assert_eq!(bene_id(9338), -19_990_000_009_339);
        assert_eq!(bene_id(10_000), -20_000_000_000_001);
        assert_eq!(bene_id(29_999), -20_140_000_010_000);
        assert_eq!(bene_id(30_000), -30_000_000_030_001);
        for i in [
            0,
            1,
            9_999,
            10_000,
            19_999,
            20_000,
            29_999,
            30_000,
            123_456_789,
        ] {
            assert_eq!(index_of_bene_id(bene_id(i)), Some(i));
        }
        assert_eq!(index_of_bene_id(5), None);
        assert_eq!(index_of_bene_id(-19_990_000_010_001), None);
    }

    #[test]
    fn user_names_and_passwords_pad_to_five_digits() {
        assert_eq!(username(42).as_str(), "BBUser00042");
        assert_eq!(password(42).as_str(), "PW00042!");
        assert_eq!(username(123_456).as_str(), "BBUser123456");
        assert_eq!(index_of_username("BBUser00042"), Some(42));
        assert_eq!(index_of_username("BBUser42"), None);
        assert_eq!(index_of_username("BBUser000042"), None);
        assert_eq!(index_of_username("bbuser00042"), None);
    }

    #[test]
    fn mbis_are_valid_and_distinct() {
        let mut seen = HashSet::new();
        for i in (0..200_000).chain(10_000_000..10_001_000) {
            let m = mbi(i);
            let b = m.as_str().as_bytes();
            assert_eq!(b.len(), 11);
            assert!((b'1'..=b'9').contains(&b[0]));
            assert_eq!(b[1], b'S');
            for (p, class) in MBI_TAIL.iter().enumerate() {
                assert!(class.contains(&b[p + 2]), "{m} position {}", p + 3);
            }
            assert!(seen.insert(m), "duplicate MBI {m}");
        }
    }

    #[test]
    fn claim_ids_do_not_collide_across_types_and_blocks() {
        let mut seen = HashSet::new();
        for t in ClaimType::ALL {
            for block in [0, 1, 2, MAX_BLOCKS - 1] {
                for place in [0, 1, BLOCK_CARDS - 1] {
                    let id = claim_id(t, card(block, place));
                    assert!(id < 0);
                    assert!(seen.insert(id), "{t:?} {block} {place}");
                    assert_eq!(card_of_claim_id(id), Some((t, block, place)));
                }
            }
        }
        assert_eq!(claim_id(ClaimType::PartD, 10_252_550), -1_010_252_550);
        assert_eq!(claim_id(ClaimType::Carrier, 0), -2_000_000_000);
        assert_eq!(claim_id(ClaimType::PartD, card(1, 0)), -9_000_000_000);
    }

    #[test]
    fn only_bbgen_claim_ids_name_cards() {
        for id in [0, 5, -1, -999_999_999, i64::MIN] {
            assert_eq!(card_of_claim_id(id), None, "{id}");
        }
        let past = -(((1 + 8 * MAX_BLOCKS) * BLOCK_CARDS) as i64);
        assert_eq!(card_of_claim_id(past), None);
    }

    #[test]
    fn a_block_of_users_at_the_cap_fits_its_places() {
        assert!(u64::from(MAX_CLAIMS_PER_USER) * BLOCK_USERS <= BLOCK_CARDS);
        assert!(
            MAX_USERS.is_multiple_of(BLOCK_USERS),
            "the last block is whole"
        );
    }
}
