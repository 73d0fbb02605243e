//! Secrets handed to people: bearer tokens, tickets and join codes.
//!
//! A token is `<selector>.<verifier>`: the selector (64 random bits) finds the
//! stored credential, the verifier (256 random bits) is kept only as a SHA-256
//! digest and checked in constant time, so neither a database read nor a
//! timing difference reveals a usable token.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A freshly issued token: give `token` to the person, store the rest.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub selector: String,
    pub verifier_hash: Vec<u8>,
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the operating system provides randomness");
    buf
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

pub fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Constant-time comparison of a presented secret against a stored digest.
pub fn verify(secret: &str, stored_digest: &[u8]) -> bool {
    digest(secret).ct_eq(stored_digest).into()
}

pub fn issue() -> IssuedToken {
    let selector = hex(&random_bytes::<8>());
    let verifier = hex(&random_bytes::<32>());
    IssuedToken {
        token: format!("{selector}.{verifier}"),
        verifier_hash: digest(&verifier),
        selector,
    }
}

/// Splits a presented token into selector and verifier, if it has that shape.
pub fn split(token: &str) -> Option<(&str, &str)> {
    let (selector, verifier) = token.split_once('.')?;
    let hexlike = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hexlike(selector, 16) && hexlike(verifier, 64)).then_some((selector, verifier))
}

/// A single-use stream ticket (128 random bits).
pub fn ticket() -> String {
    hex(&random_bytes::<16>())
}

/// A join code for a private session: 10 characters, no look-alikes (0/O, 1/l).
pub fn join_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    random_bytes::<10>()
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_verify_and_differ() {
        let a = issue();
        let b = issue();
        assert_ne!(a.token, b.token);
        let (selector, verifier) = split(&a.token).unwrap();
        assert_eq!(selector, a.selector);
        assert!(verify(verifier, &a.verifier_hash));
        assert!(!verify(verifier, &b.verifier_hash));
    }

    #[test]
    fn malformed_tokens_do_not_split() {
        for bad in [
            "",
            "abc",
            "zz.zz",
            &format!("{}.{}", "a".repeat(16), "b".repeat(63)),
        ] {
            assert!(split(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn join_codes_use_the_unambiguous_alphabet() {
        let code = join_code();
        assert_eq!(code.len(), 10);
        assert!(!code.contains(['0', 'o', '1', 'l', 'i']));
    }
}
