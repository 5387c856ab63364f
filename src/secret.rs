//! The webhook secret and the HMAC key derived from it.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::error::ConfigError;
use crate::signature::TAG_LEN;

/// HMAC-SHA256 keyed and ready to clone for each delivery.
pub(crate) type HmacSha256 = Hmac<Sha256>;

/// Size in bytes of the HMAC-SHA256 input block, and so of a padded HMAC key.
const BLOCK_SIZE: usize = 64;

/// A ReachCell webhook secret, held only as the HMAC state keyed with `SHA-256(secret)`.
///
/// The secret bytes are hashed when the value is built and are not kept. The derived
/// key is wiped from memory on drop, and `Debug` prints a placeholder, so a `Secret`
/// can sit in a struct that is logged.
#[derive(Clone)]
pub struct Secret {
    mac: HmacSha256,
}

impl Secret {
    /// Derives the HMAC key `SHA-256(secret)` and keys an HMAC-SHA256 state with it.
    ///
    /// The secret is used byte for byte: surrounding whitespace is part of it.
    ///
    /// # Errors
    ///
    /// Returns [`ConfigError::EmptySecret`] when `secret` is empty.
    pub fn new(secret: impl AsRef<[u8]>) -> Result<Self, ConfigError> {
        let secret = secret.as_ref();
        if secret.is_empty() {
            return Err(ConfigError::EmptySecret { index: 0 });
        }
        Ok(Self {
            mac: keyed_mac(secret),
        })
    }

    /// Computes the HMAC-SHA256 tag of `body` under this secret.
    pub(crate) fn tag(&self, body: &[u8]) -> [u8; TAG_LEN] {
        let mut mac = self.mac.clone();
        mac.update(body);
        mac.finalize().into_bytes().into()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Keys HMAC-SHA256 with `SHA-256(secret)`.
///
/// The 32-byte key is shorter than the 64-byte block, and HMAC pads short keys with
/// zero bytes, so passing the padded block keys the MAC exactly as the 32-byte key
/// would, through a constructor that cannot fail.
pub(crate) fn keyed_mac(secret: &[u8]) -> HmacSha256 {
    let digest = Zeroizing::new(<[u8; 32]>::from(Sha256::digest(secret)));
    let mut block = [0u8; BLOCK_SIZE];
    block[..digest.len()].copy_from_slice(digest.as_ref());

    let mac = HmacSha256::new(&block.into());
    block.zeroize();
    mac
}

#[cfg(test)]
mod tests {
    use hmac::Mac;

    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::new("whsec_test_secret").expect("non-empty secret");
        let printed = format!("{secret:?}");
        assert_eq!(printed, "Secret(<redacted>)");
    }

    #[test]
    fn empty_secret_is_rejected() {
        let error = Secret::new("").expect_err("empty secret must fail");
        assert_eq!(error, ConfigError::EmptySecret { index: 0 });
    }

    #[test]
    fn padded_key_matches_plain_key() {
        let digest = Sha256::digest(b"whsec_test_secret");
        let mut plain = HmacSha256::new_from_slice(&digest).expect("HMAC takes any key length");
        plain.update(b"body");
        let mut padded = keyed_mac(b"whsec_test_secret");
        padded.update(b"body");
        assert_eq!(
            plain.finalize().into_bytes(),
            padded.finalize().into_bytes()
        );
    }
}
