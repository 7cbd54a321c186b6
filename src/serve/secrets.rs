//! Tokens, codes, approval ids and client credentials: 30 characters from `[A-Za-z0-9]` as
//! oauthlib's `generate_token` makes them, from the operating system's randomness or, with
//! `--deterministic`, from the seed and a counter so two runs hand out the same values in the
//! same order.

use crate::emit::manifest::hex;
use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha20Rng;

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Length of access and refresh tokens and authorization codes.
pub const TOKEN_LEN: usize = 30;

/// A source of secrets.
pub struct Secrets {
    rng: ChaCha20Rng,
}

impl Secrets {
    /// Seeded from `seed` when `deterministic`, else from the operating system.
    pub fn new(deterministic: bool, seed: u64) -> Secrets {
        let rng = if deterministic {
            ChaCha20Rng::seed_from_u64(seed ^ 0x5e72_7665_0000_0001)
        } else {
            ChaCha20Rng::from_rng(&mut rand::rng())
        };
        Secrets { rng }
    }

    /// Secrets drawn from `rng` (the default app's credentials, stable for a seed).
    pub fn from_rng(rng: ChaCha20Rng) -> Secrets {
        Secrets { rng }
    }

    /// `n` characters from `[A-Za-z0-9]`.
    pub fn alphanumeric(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| ALPHANUMERIC[self.rng.random_range(0..ALPHANUMERIC.len())] as char)
            .collect()
    }

    /// A token or code.
    pub fn token(&mut self) -> String {
        self.alphanumeric(TOKEN_LEN)
    }

    /// A version-4 UUID in its usual text form (the approval ids of `/v2/o/authorize/<uuid>/`).
    pub fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        self.rng.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let hex = hex(&b);
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    /// `n` decimal digits (the login relay nonce has 26).
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.rng.random_range(0..10u8)))
            .collect()
    }
}

/// Whether `s` has the shape of a UUID (the approval view answers 404 otherwise).
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_secrets_repeat() {
        let (mut a, mut b) = (Secrets::new(true, 42), Secrets::new(true, 42));
        assert_eq!(a.token(), b.token());
        let u = a.uuid();
        assert!(is_uuid(&u), "{u}");
        assert_eq!(u, b.uuid());
        assert!(a.token().bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(
            Secrets::new(false, 42).token(),
            Secrets::new(false, 42).token()
        );
    }
}
