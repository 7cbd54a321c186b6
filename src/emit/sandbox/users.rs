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

/// Sorts the tallies (total claims descending, then user index) and renders the file.
pub fn render(tallies: &mut [UserTally]) -> Vec<u8> {
    tallies.sort_unstable_by_key(|t| (std::cmp::Reverse(t.total()), t.index));
    let mut out = Vec::with_capacity(64 * (tallies.len() + 2));
    out.extend_from_slice(
        b"BENE_ID,FRONTEND_USER_NAME,FRONTEND_USER_PASSWORD,total_claim_count,\
total_claim_line_count,carrier_claim_count,carrier_claim_line_count,inpatient_claim_count,\
inpatient_claim_line_count,partd_event_count,\n",
    );
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
