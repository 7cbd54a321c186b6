//! bbgen: synthetic Medicare beneficiaries and claims in the shape of the CMS Blue Button 2.0
//! API, deterministic from a seed.
//!
//! The core is pure: [`Dataset`] turns options and an index into records, with no I/O, clock
//! or shared state, so any beneficiary can be computed alone ([`Dataset::beneficiary`],
//! [`Dataset::claims`]) and the pipeline can generate chunks on any number of threads and
//! still write byte-identical files.
//!
//! ```
//! use bbgen::{Dataset, Options};
//! let ds = Dataset::new(Options { users: 100, ..Options::default() }).unwrap();
//! let bene = ds.beneficiary(42);
//! assert_eq!(bene.username.as_str(), "BBUser00042");
//! let claims = ds.claims(42);
//! assert!(claims.iter().all(|c| c.header.get(bbgen::schema::Col::BENE_ID).as_int() == Some(bene.bene_id)));
//! ```

pub mod api;
#[cfg(feature = "arrow")]
pub mod batches;
pub mod cli;
pub mod codes;
pub mod deal;
pub mod emit;
pub mod generate;
pub mod model;
pub mod pipeline;
pub mod rng;
pub mod schema;
pub mod seeds;
#[cfg(feature = "serve")]
pub mod serve;
pub mod sink;
pub mod value;
pub mod verify;

mod dataset;
mod options;

pub use dataset::Dataset;
pub use options::{Options, OptionsError};
