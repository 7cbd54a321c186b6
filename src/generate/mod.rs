//! Generators: pure functions from (options, index) to records.

mod beneficiary;
mod claim;
mod counts;

pub use beneficiary::beneficiary;
pub use claim::{claim, give_to};
pub use counts::claim_counts;
