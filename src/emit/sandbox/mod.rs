//! The sandbox's own files beside the data: the log-ins of its users (`credentials.csv`) and
//! the users-by-claim-count file the Blue Button developer docs link.

pub mod credentials;
pub mod users;
