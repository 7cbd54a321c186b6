//! Generators: pure functions from (options, index) to records.

mod beneficiary;
pub mod claim;
mod counts;
pub mod life;

pub use beneficiary::beneficiary;
pub use claim::{ClaimTally, claim, give_to, providers, scenario_of};
pub use counts::claim_counts;
pub use life::settle;
