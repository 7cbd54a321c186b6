//! What the server remembers: log-in relays, approvals, codes, tokens and data access grants,
//! all in memory and created only by requests (nothing is preloaded). Lifetimes follow the
//! sandbox: relays and approvals 600 s, codes 60 s, access tokens 3,600 s, refresh tokens
//! until used or revoked.

use std::collections::HashMap;

use super::scopes::Scopes;

/// Seconds an approval id (and a log-in relay) stays valid.
pub const APPROVAL_SECONDS: i64 = 600;
/// Seconds an authorization code stays valid.
pub const CODE_SECONDS: i64 = 60;
/// Seconds an access token stays valid (`expires_in`).
pub const ACCESS_SECONDS: i64 = 3600;

/// An authorize request waiting for its log-in: where to go back to.
pub struct Relay {
    pub next: String,
    pub created: i64,
}

/// A logged-in beneficiary's pending consent.
pub struct Approval {
    pub user: u64,
    pub created: i64,
}

/// An issued authorization code.
pub struct Code {
    pub client_id: String,
    pub user: u64,
    pub scopes: Scopes,
    pub redirect_uri: String,
    /// The S256 challenge with its `=` padding removed.
    pub challenge: String,
    pub expires: i64,
}

/// A live access token.
pub struct Access {
    pub client_id: String,
    pub user: u64,
    pub scopes: Scopes,
    pub expires: i64,
    pub refresh: Option<String>,
}

/// A refresh token; kept after use or revocation so reuse gets `invalid_grant`.
pub struct Refresh {
    pub client_id: String,
    pub user: u64,
    pub scopes: Scopes,
    /// The access token issued with it, while it lives.
    pub access: Option<String>,
    pub revoked: bool,
}

/// A beneficiary's consent to an app: when it ends (`None`: never).
#[derive(Clone, Copy)]
pub struct Grant {
    pub expires: Option<i64>,
}

/// The whole state, behind one lock.
#[derive(Default)]
pub struct Store {
    pub relays: HashMap<String, Relay>,
    /// `req_token` of the log-in callback → (user, relay).
    pub tickets: HashMap<String, (u64, String)>,
    pub approvals: HashMap<String, Approval>,
    pub codes: HashMap<String, Code>,
    pub access: HashMap<String, Access>,
    pub refresh: HashMap<String, Refresh>,
    pub grants: HashMap<(String, u64), Grant>,
}

impl Store {
    /// Drops relays, approvals, tickets and codes that can no longer be used, once their
    /// number passes `keep` (so a long run's memory stays bounded).
    pub fn prune(&mut self, now: i64, keep: usize) {
        if self.relays.len() > keep {
            self.relays
                .retain(|_, r| now - r.created <= APPROVAL_SECONDS);
        }
        if self.approvals.len() > keep {
            self.approvals
                .retain(|_, a| now - a.created <= APPROVAL_SECONDS);
        }
        if self.tickets.len() > keep {
            let relays = &self.relays;
            self.tickets
                .retain(|_, (_, relay)| relays.contains_key(relay));
        }
        if self.codes.len() > keep {
            self.codes.retain(|_, c| now <= c.expires);
        }
        if self.access.len() > keep {
            self.access.retain(|_, a| now <= a.expires);
        }
    }

    /// Revokes every access and refresh token of (app, user): on a new consent and when the
    /// grant is deleted.
    pub fn revoke_pair(&mut self, client_id: &str, user: u64) {
        self.access
            .retain(|_, a| !(a.user == user && a.client_id == client_id));
        for r in self.refresh.values_mut() {
            if r.user == user && r.client_id == client_id {
                r.revoked = true;
                r.access = None;
            }
        }
    }

    /// Deletes one access token; its refresh token can no longer be used.
    pub fn revoke_access(&mut self, token: &str) {
        if let Some(a) = self.access.remove(token)
            && let Some(r) = a.refresh.and_then(|r| self.refresh.get_mut(&r))
        {
            r.access = None;
        }
    }

    /// Issues an access + refresh pair.
    pub fn issue(
        &mut self,
        pair: (String, String),
        client_id: &str,
        user: u64,
        scopes: Scopes,
        now: i64,
    ) {
        let (access, refresh) = pair;
        self.access.insert(
            access.clone(),
            Access {
                client_id: client_id.to_string(),
                user,
                scopes,
                expires: now + ACCESS_SECONDS,
                refresh: Some(refresh.clone()),
            },
        );
        self.refresh.insert(
            refresh,
            Refresh {
                client_id: client_id.to_string(),
                user,
                scopes,
                access: Some(access),
                revoked: false,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoking_a_pair_spares_other_pairs() {
        let mut s = Store::default();
        let sc = Scopes::defaults();
        s.issue(("a1".into(), "r1".into()), "app", 1, sc, 0);
        s.issue(("a2".into(), "r2".into()), "app", 2, sc, 0);
        s.issue(("a3".into(), "r3".into()), "other", 1, sc, 0);
        s.revoke_pair("app", 1);
        assert!(!s.access.contains_key("a1") && s.refresh["r1"].revoked);
        assert!(s.access.contains_key("a2") && s.access.contains_key("a3"));
        s.revoke_access("a2");
        assert!(s.refresh["r2"].access.is_none() && !s.refresh["r2"].revoked);
    }
}
