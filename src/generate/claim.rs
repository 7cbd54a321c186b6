//! Claims: claim `card` of a type's deck, generated from its own stream knowing nothing of
//! who will hold it, then given to a beneficiary by [`give_to`].

use crate::dataset::Options;
use crate::model::{Claim, ClaimType, Lines, Record, ids};
use crate::rng::Draw;
use crate::schema::Col;
use crate::seeds::calibration;
use crate::value::Value;

/// Claim `card` of type `t`, from the stream `(seed, t's domain, card)`.
pub fn claim(opts: &Options, t: ClaimType, card: u64) -> Claim {
    let mut d = Draw::new(opts.seed, t.domain(), card);
    let id = Value::Int(ids::claim_id(t, card));
    let mut header = Record::new(t.header_table());
    let start = opts.start_date();
    let from = start.plus(d.below(opts.end_date.days_since(start) as u64 + 1) as i32);
    if t == ClaimType::PartD {
        header.set(Col::PDE_ID, id);
        header.set(Col::CLM_GRP_ID, id);
        header.set(Col::SRVC_DT, Value::Date(from));
        return Claim {
            kind: t,
            card,
            header,
            lines: None,
        };
    }
    header.set(Col::CLM_ID, id);
    header.set(Col::CLM_GRP_ID, id);
    header.set(Col::FINAL_ACTION, Value::Str("F"));
    header.set(Col::CLM_FROM_DT, Value::Date(from));
    header.set(Col::CLM_THRU_DT, Value::Date(from));
    let table = t
        .line_table()
        .expect("claim types other than Part D have lines");
    let mut lines = Lines::new(table);
    let n = 1 + d.poisson(calibration(t).lines_per_claim - 1.0);
    let number_col = if table.position(Col::LINE_NUM).is_some() {
        Col::LINE_NUM
    } else {
        Col::CLM_LINE_NUM
    };
    for l in 1..=n {
        let mut line = lines.push();
        line.set(Col::CLM_ID, id);
        line.set(number_col, Value::Int(l as i64));
    }
    Claim {
        kind: t,
        card,
        header,
        lines: Some(lines),
    }
}

/// Gives a claim to the beneficiary `bene_id`: the only fields that depend on the holder.
pub fn give_to(claim: &mut Claim, bene_id: i64) {
    claim.header.set(Col::BENE_ID, Value::Int(bene_id));
}
