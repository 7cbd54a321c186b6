//! bbgen: synthetic Medicare beneficiaries and claims in the shape of the CMS Blue Button 2.0 API.
pub mod codes;
