//! `synthetic_users_by_claim_count_full.csv`: every user by claim count, in the format of the
//! file the Blue Button developer docs link as "CSV of sample beneficiaries with rich claims
//! data" (unsigned BENE_ID, a trailing comma on every row, LF line ends, sorted by total claim
//! count descending, and a last line of ten commas with no line end).
//!
//! As in that file, the totals cover carrier claims, inpatient claims and Part D events, and
//! line counts are claim lines of the carrier and inpatient claims.

use crate::generate::ClaimTally;
use crate::model::{Beneficiary, Claim, ClaimType};

/// File name in the output directory.
pub const FILE: &str = "synthetic_users_by_claim_count_full.csv";

/// The last line of the file, exactly as the sandbox's file ends.
pub const TRAILER: &str = ",,,,,,,,,,";

/// One user's counts; kept compact because the file is sorted over all users at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UserTally {
    index: u64,
    bene_id: i64,
    carrier: u32,
    carrier_lines: u32,
    inpatient: u32,
    inpatient_lines: u32,
    partd: u32,
}

impl UserTally {
    /// Counts one user's claims.
    pub fn of(bene: &Beneficiary, claims: &[Claim]) -> UserTally {
        let t = ClaimTally::of(claims);
        let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        UserTally {
            index: bene.index,
            bene_id: bene.bene_id,
            carrier: n(t.claims_of(ClaimType::Carrier)),
            carrier_lines: n(t.lines_of(ClaimType::Carrier)),
            inpatient: n(t.claims_of(ClaimType::Inpatient)),
            inpatient_lines: n(t.lines_of(ClaimType::Inpatient)),
            partd: n(t.claims_of(ClaimType::PartD)),
        }
    }

    fn total(&self) -> u32 {
        self.carrier + self.inpatient + self.partd
    }
}

/// The file's header row.
const HEADER: &[u8] = b"BENE_ID,FRONTEND_USER_NAME,FRONTEND_USER_PASSWORD,total_claim_count,\
total_claim_line_count,carrier_claim_count,carrier_claim_line_count,inpatient_claim_count,\
inpatient_claim_line_count,partd_event_count,\n";

/// Sorts the tallies (total claims descending, then user index) and renders the file.
pub fn render(tallies: &mut [UserTally]) -> Vec<u8> {
    tallies.sort_unstable_by_key(|t| (std::cmp::Reverse(t.total()), t.index));
    let mut out = Vec::with_capacity(64 * (tallies.len() + 2));
    out.extend_from_slice(HEADER);
    let mut b = itoa::Buffer::new();
    for t in tallies.iter() {
        out.extend_from_slice(b.format(t.bene_id.unsigned_abs()).as_bytes());
        out.push(b',');
        out.extend_from_slice(crate::model::ids::username(t.index).as_str().as_bytes());
        out.push(b',');
        out.extend_from_slice(crate::model::ids::password(t.index).as_str().as_bytes());
        for n in [
            t.total(),
            t.carrier_lines + t.inpatient_lines,
            t.carrier,
            t.carrier_lines,
            t.inpatient,
            t.inpatient_lines,
            t.partd,
        ] {
            out.push(b',');
            out.extend_from_slice(b.format(n).as_bytes());
        }
        out.extend_from_slice(b",\n");
    }
    // The sandbox file's last line: ten empty fields, no line end.
    out.extend_from_slice(TRAILER.as_bytes());
    out
}

/// Reads a file [`render`] wrote back into its tallies (so the files of several shards can
/// be rendered again as one). Every row is checked against what its user name implies (its
/// BENE_ID and password) and its totals, and the last row against the number of rows.
pub fn parse(text: &[u8]) -> Result<Vec<UserTally>, String> {
    let text = std::str::from_utf8(text).map_err(|_| "it is not UTF-8".to_string())?;
    let body = text
        .strip_prefix(std::str::from_utf8(HEADER).expect("ASCII"))
        .ok_or("its header row is not bbgen's")?;
    let mut lines: Vec<&str> = body.lines().collect();
    let last = lines.pop().ok_or("it has no last row")?;
    let tallies = lines
        .iter()
        .enumerate()
        .map(|(i, l)| parse_row(l).map_err(|e| format!("row {}: {e}", i + 2)))
        .collect::<Result<Vec<_>, _>>()?;
    if last != format!(",,,,,,,,,,{}", tallies.len()) {
        return Err(format!(
            "its last row {last:?} does not count its {} users",
            tallies.len()
        ));
    }
    Ok(tallies)
}

fn parse_row(line: &str) -> Result<UserTally, String> {
    let f: Vec<&str> = line.split(',').collect();
    let [bene, user, password, n @ .., ""] = f.as_slice() else {
        return Err(format!(
            "{line:?} is not a row of 10 fields and a trailing comma"
        ));
    };
    let index = crate::model::ids::index_of_username(user)
        .ok_or_else(|| format!("{user:?} is not a sandbox user name"))?;
    let bene_id = crate::model::ids::bene_id(index);
    if *bene != bene_id.unsigned_abs().to_string()
        || *password != crate::model::ids::password(index).as_str()
    {
        return Err(format!("{user}'s BENE_ID or password is not its own"));
    }
    let n: Vec<u32> = n
        .iter()
        .map(|v| v.parse().map_err(|_| format!("{v:?} is not a count")))
        .collect::<Result<_, _>>()?;
    let [
        total,
        lines,
        carrier,
        carrier_lines,
        inpatient,
        inpatient_lines,
        partd,
    ] = n[..]
    else {
        return Err(format!("{line:?} does not hold 7 counts"));
    };
    let t = UserTally {
        index,
        bene_id,
        carrier,
        carrier_lines,
        inpatient,
        inpatient_lines,
        partd,
    };
    if total != t.total() || lines != carrier_lines + inpatient_lines {
        return Err(format!("{user}'s totals are not the sums of its counts"));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(index: u64, carrier: u32, partd: u32) -> UserTally {
        UserTally {
            index,
            bene_id: crate::model::ids::bene_id(index),
            carrier,
            carrier_lines: 2 * carrier,
            inpatient: 1,
            inpatient_lines: 3,
            partd,
        }
    }

    #[test]
    fn parsing_a_rendered_file_gives_its_tallies_back() {
        let mut t = vec![tally(7, 3, 9), tally(2, 40, 1), tally(3, 0, 0)];
        let file = render(&mut t);
        assert_eq!(parse(&file).unwrap(), t);
        let mut back = parse(&file).unwrap();
        assert_eq!(render(&mut back), file);
    }

    #[test]
    fn parsing_refuses_files_that_are_not_bbgens() {
        let file = render(&mut [tally(7, 3, 9), tally(2, 40, 1)]);
        let text = String::from_utf8(file).unwrap();
        for (bad, why) in [
            (text.replace(",,,,,,,,,,2", ",,,,,,,,,,3"), "last row"),
            (text.replace("BBUser00002", "BBUser00004"), "not its own"),
            (text.replacen(",42,", ",44,", 1), "totals"),
            (text.replace("BENE_ID", "ID"), "header"),
        ] {
            let e = parse(bad.as_bytes()).unwrap_err();
            assert!(e.contains(why), "{why}: {e}");
        }
    }
}
