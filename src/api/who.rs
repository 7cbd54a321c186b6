//! Who a request is about: a sandbox user name, a BENE_ID or a Patient id, turned into a user
//! index of the run. Checked against the options alone, so a caller can refuse a stranger
//! before preparing a [`crate::Dataset`].

use super::ApiError;
use crate::model::ids;
use crate::options::Options;

/// The user index of `who` (`BBUser00042`, or a BENE_ID such as `-19990000000043`, which is
/// also the Patient's FHIR id) in the run of `opts`.
pub fn resolve(who: &str, opts: &Options) -> Result<u64, ApiError> {
    let i = ids::index_of_username(who)
        .or_else(|| who.parse::<i64>().ok().and_then(ids::index_of_bene_id))
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "'{who}' is neither a sandbox user name (BBUser00042) nor a BENE_ID"
            ))
        })?;
    if !opts.user_range().contains(&i) {
        return Err(ApiError::NotFound(format!(
            "{who} is not in this run (users {} to {}); pass the run's --users and --offset",
            ids::username(opts.offset),
            ids::username(opts.offset + opts.users - 1)
        )));
    }
    Ok(i)
}

/// The user index of the Patient `id` (its BENE_ID), if it is one of this run's.
pub(super) fn patient(id: &str, opts: &Options) -> Option<u64> {
    let i = ids::index_of_bene_id(id.parse().ok()?)?;
    opts.user_range().contains(&i).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_resolve_inside_the_run_only() {
        let opts = Options {
            users: 100,
            offset: 20,
            ..Options::default()
        };
        assert_eq!(resolve("BBUser00042", &opts), Ok(42));
        assert_eq!(resolve("-19990000000043", &opts), Ok(42));
        let e = resolve("BBUser00007", &opts).unwrap_err().to_string();
        assert!(e.contains("BBUser00020 to BBUser00119"), "{e}");
        let e = resolve("nobody", &opts).unwrap_err();
        assert!(matches!(e, ApiError::NotFound(_)) && e.to_string().contains("'nobody'"));
        assert_eq!(patient("-19990000000043", &opts), Some(42));
        assert_eq!(patient("-19990000000001", &opts), None);
        assert_eq!(
            patient("BBUser00042", &opts),
            None,
            "a Patient id is a BENE_ID"
        );
    }
}
