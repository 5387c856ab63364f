//! The `X-ReachCell-Signature` header: strict parsing and signing.

use std::fmt;

use hmac::Mac;
use http::HeaderName;
use subtle::ConstantTimeEq;

use crate::error::{MalformedReason, VerifyError};
use crate::secret::keyed_mac;
use crate::swar::{HIGH_BITS, ONES, bytes_in_range};

/// Name of the header that carries the signature, in the lowercase form `http` uses.
pub const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("x-reachcell-signature");

/// Scheme label before the hex digits; matched without regard to ASCII case.
const SCHEME: &str = "sha256=";

/// Length in bytes of an HMAC-SHA256 tag.
pub(crate) const TAG_LEN: usize = 32;

/// A parsed `X-ReachCell-Signature` value: the 32-byte HMAC-SHA256 tag it carries.
///
/// Parsing is strict. The value is `sha256=` (in any ASCII case) followed by exactly 64
/// hexadecimal digits (in either case). Spaces and tabs around the whole value are
/// ignored; anything else, including a list of several signatures, is malformed.
#[derive(Clone, Copy, PartialEq, Eq)]
// Aligned for the 64-bit loads of the comparison. At an odd offset inside a
// `Result`, each load would wait for several narrower stores to complete.
#[repr(align(8))]
pub struct Signature {
    tag: [u8; TAG_LEN],
}

impl Signature {
    /// Parses a header value into its tag.
    ///
    /// This only checks the form of the value; [`Verifier`](crate::Verifier) checks
    /// the tag against the body.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::MalformedHeader`](crate::ErrorKind::MalformedHeader)
    /// that names the rule the value breaks.
    pub fn parse(header_value: &str) -> Result<Self, VerifyError> {
        Self::parse_bytes(header_value.as_bytes())
    }

    /// Parses a header value given as raw bytes, as [`http::HeaderValue`] stores it.
    ///
    /// # Errors
    ///
    /// The same as [`Signature::parse`].
    #[inline]
    pub fn parse_bytes(header_value: &[u8]) -> Result<Self, VerifyError> {
        // The valid case is kept small enough to inline into the caller, so the tag
        // goes from the decoder to the comparison in registers. Working out what is
        // wrong with an invalid value is left to a separate function.
        let value = trim_ows(header_value);
        if let Some((scheme, hex_digits)) = value.split_at_checked(SCHEME.len())
            && scheme.eq_ignore_ascii_case(SCHEME.as_bytes())
            && let Some(tag) = decode_hex(hex_digits)
        {
            return Ok(Self { tag });
        }
        Err(VerifyError::malformed(malformed_reason(value)))
    }

    /// Compares the tag with `computed` in constant time.
    pub(crate) fn matches(&self, computed: &[u8; TAG_LEN]) -> bool {
        // The XOR of the two tags, folded into one 64-bit word, is zero exactly when
        // they are equal. Folding has no branch, and one constant-time comparison of
        // the result costs less than one per byte.
        let (expected, _) = self.tag.as_chunks::<8>();
        let (actual, _) = computed.as_chunks::<8>();
        let difference = expected
            .iter()
            .zip(actual)
            .fold(0, |folded, (expected, actual)| {
                folded | (u64::from_ne_bytes(*expected) ^ u64::from_ne_bytes(*actual))
            });
        difference.ct_eq(&0).into()
    }

    /// Returns the 32-byte tag.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; TAG_LEN] {
        &self.tag
    }
}

impl fmt::Debug for Signature {
    // The tag of a forged delivery is harmless, but the tag of a genuine one is a
    // valid signature for that body, so it is kept out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signature(<redacted>)")
    }
}

/// Computes the `X-ReachCell-Signature` value for `body`, as ReachCell does.
///
/// The value is `sha256=` followed by 64 lowercase hex digits of
/// HMAC-SHA256 keyed with `SHA-256(secret)` over the raw body bytes. Use it to sign
/// test deliveries; [`Verifier`](crate::Verifier) accepts what it returns.
///
/// An empty secret is signed with like any other, although no verifier accepts one.
///
/// ```
/// let header = reachcell_webhooks::sign("whsec_test_secret", br#"{"event_id":"evt_1"}"#);
/// assert!(header.starts_with("sha256="));
/// assert_eq!(header.len(), 7 + 64);
/// ```
#[must_use]
pub fn sign(secret: impl AsRef<[u8]>, body: &[u8]) -> String {
    let mut mac = keyed_mac(secret.as_ref());
    mac.update(body);
    let tag = mac.finalize().into_bytes();
    format!("{SCHEME}{}", hex::encode(tag))
}

/// Names the rule that a trimmed header value breaks.
#[cold]
fn malformed_reason(value: &[u8]) -> MalformedReason {
    if value.is_empty() {
        return MalformedReason::Empty;
    }
    let Some((scheme, hex_digits)) = value.split_at_checked(SCHEME.len()) else {
        return MalformedReason::MissingScheme;
    };
    if !scheme.eq_ignore_ascii_case(SCHEME.as_bytes()) {
        return MalformedReason::MissingScheme;
    }
    if hex_digits.len() == TAG_LEN * 2 {
        return MalformedReason::NotHex;
    }
    // A comma or a second scheme label means a list of signatures, which ReachCell
    // never sends. Such a value never has the length of one tag.
    if hex_digits.contains(&b',') || contains_ignore_case(hex_digits, SCHEME.as_bytes()) {
        MalformedReason::SeveralSignatures
    } else {
        MalformedReason::WrongLength {
            digits: hex_digits.len(),
        }
    }
}

/// Decodes 64 hex digits into a tag, or returns `None` if any byte is not a hex digit.
///
/// Eight digits are decoded at a time as the bytes of one `u64`, without branches or
/// a table, which costs a fraction of decoding them one at a time.
#[inline]
fn decode_hex(digits: &[u8]) -> Option<[u8; TAG_LEN]> {
    let (chunks, []) = digits.as_chunks::<16>() else {
        return None;
    };
    if chunks.len() != TAG_LEN / 8 {
        return None;
    }
    let mut tag = [0u8; TAG_LEN];
    let mut invalid = 0;
    // Eight bytes are written at a time, so that reading the tag back in 64-bit words
    // takes each word from one store.
    for (bytes, chunk) in tag.as_chunks_mut::<8>().0.iter_mut().zip(chunks) {
        let (low, high) = chunk.split_at(8);
        let (low, low_invalid) = decode_hex_word(le_word(low));
        let (high, high_invalid) = decode_hex_word(le_word(high));
        *bytes = (u64::from(low) | (u64::from(high) << 32)).to_le_bytes();
        invalid |= low_invalid | high_invalid;
    }
    (invalid == 0).then_some(tag)
}

/// Reads eight bytes as a little-endian `u64`: the first byte is the lowest.
fn le_word(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

/// Decodes eight hex digits, the first one in the lowest byte of `digits`, into four
/// bytes, the first one in the lowest byte of the result. The second value is zero
/// exactly when all eight are hex digits.
fn decode_hex_word(digits: u64) -> (u32, u64) {
    // A byte with its high bit set is not ASCII. The range checks below assume ASCII
    // bytes; for any other byte their result does not matter, as this one is set.
    let not_ascii = digits & HIGH_BITS;
    let decimal = bytes_in_range(digits, b'0', b'9');
    // Setting bit 5 maps `A`..=`F` onto `a`..=`f` and no other byte into that range.
    let letter = bytes_in_range(digits | (ONES * 0x20), b'a', b'f');
    let invalid = not_ascii | (!(decimal | letter) & HIGH_BITS);

    // The low four bits of `0`..=`9` are their values; those of `a`..=`f` and
    // `A`..=`F` are their values minus 9.
    let nibbles = (digits & (ONES * 0x0f)) + (letter >> 7) * 9;
    // Byte 2n becomes the n-th output byte: its own nibble high, the next one low.
    let pairs = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff_00ff_00ff_00ff;
    let pairs = (pairs | (pairs >> 8)) & 0x0000_ffff_0000_ffff;
    let pairs = (pairs | (pairs >> 16)) & 0xffff_ffff;
    (u32::try_from(pairs).unwrap_or_default(), invalid)
}

/// Returns whether `needle` occurs in `haystack`, ignoring ASCII case.
fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

/// Strips optional whitespace (spaces and tabs), as HTTP defines it around field values.
fn trim_ows(value: &[u8]) -> &[u8] {
    let is_ows = |byte: &u8| *byte == b' ' || *byte == b'\t';
    let start = value.iter().position(|b| !is_ows(b)).unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|b| !is_ows(b))
        .map_or(start, |i| i + 1);
    &value[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    const HEX: &str = "91b23ef3e4afd5582cf088e535117a28e81f6c22ccb8b8157c0bb079edb2ad4a";

    fn malformed_reason(value: &str) -> MalformedReason {
        let error = Signature::parse(value).expect_err("value must be malformed");
        assert_eq!(error.kind(), ErrorKind::MalformedHeader);
        error
            .malformed_reason()
            .expect("malformed errors carry a reason")
    }

    #[test]
    fn sign_matches_documented_example() {
        let body = br#"{"event_id":"evt_1","event_type":"webhook.test","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{}}"#;
        assert_eq!(sign("whsec_test_secret", body), format!("sha256={HEX}"));
    }

    #[test]
    fn parse_accepts_lowercase() {
        let signature = Signature::parse(&format!("sha256={HEX}")).expect("valid value");
        assert_eq!(hex::encode(signature.as_bytes()), HEX);
    }

    #[test]
    fn parse_accepts_uppercase_scheme_and_digits() {
        let value = format!("SHA256={}", HEX.to_ascii_uppercase());
        let signature = Signature::parse(&value).expect("case does not matter");
        assert_eq!(hex::encode(signature.as_bytes()), HEX);
    }

    #[test]
    fn parse_ignores_surrounding_spaces_and_tabs() {
        let value = format!(" \t sha256={HEX}\t ");
        assert!(Signature::parse(&value).is_ok());
    }

    #[test]
    fn parse_rejects_empty_and_blank() {
        assert_eq!(malformed_reason(""), MalformedReason::Empty);
        assert_eq!(malformed_reason(" \t "), MalformedReason::Empty);
    }

    #[test]
    fn parse_rejects_missing_or_other_scheme() {
        assert_eq!(malformed_reason(HEX), MalformedReason::MissingScheme);
        assert_eq!(
            malformed_reason(&format!("sha1={HEX}")),
            MalformedReason::MissingScheme
        );
        assert_eq!(
            malformed_reason(&format!("md5={HEX}")),
            MalformedReason::MissingScheme
        );
        assert_eq!(malformed_reason("sha256"), MalformedReason::MissingScheme);
    }

    #[test]
    fn parse_rejects_wrong_lengths() {
        assert_eq!(
            malformed_reason("sha256="),
            MalformedReason::WrongLength { digits: 0 }
        );
        assert_eq!(
            malformed_reason(&format!("sha256={}", &HEX[..63])),
            MalformedReason::WrongLength { digits: 63 }
        );
        assert_eq!(
            malformed_reason(&format!("sha256={HEX}a")),
            MalformedReason::WrongLength { digits: 65 }
        );
        assert_eq!(
            malformed_reason(&format!("sha256={HEX}{HEX}")),
            MalformedReason::WrongLength { digits: 128 }
        );
    }

    #[test]
    fn parse_rejects_inner_whitespace() {
        assert_eq!(
            malformed_reason(&format!("sha256= {HEX}")),
            MalformedReason::WrongLength { digits: 65 }
        );
        let split = format!("sha256={} {}", &HEX[..32], &HEX[32..]);
        assert_eq!(
            malformed_reason(&split),
            MalformedReason::WrongLength { digits: 65 }
        );
    }

    #[test]
    fn parse_rejects_non_hex_digits() {
        let value = format!("sha256={}", "z".repeat(64));
        assert_eq!(malformed_reason(&value), MalformedReason::NotHex);
    }

    #[test]
    fn parse_rejects_signature_lists() {
        let list = format!("sha256={HEX},sha256={HEX}");
        assert_eq!(malformed_reason(&list), MalformedReason::SeveralSignatures);
        let spaced = format!("sha256={HEX} sha256={HEX}");
        assert_eq!(
            malformed_reason(&spaced),
            MalformedReason::SeveralSignatures
        );
    }

    #[test]
    fn parse_rejects_non_ascii_bytes() {
        let mut value = format!("sha256={HEX}").into_bytes();
        value[10] = 0xff;
        let error = Signature::parse_bytes(&value).expect_err("non-ASCII byte");
        assert_eq!(error.malformed_reason(), Some(MalformedReason::NotHex));
    }

    #[test]
    fn decode_hex_matches_hex_crate() {
        let upper = HEX.to_ascii_uppercase();
        for digits in [HEX, upper.as_str(), &"0".repeat(64), &"f".repeat(64)] {
            let expected = hex::decode(digits).expect("valid hex");
            assert_eq!(
                decode_hex(digits.as_bytes()).map(Vec::from),
                Some(expected),
                "{digits}"
            );
        }
        for bad in [b'g', b'G', b' ', b'/', b':', b'@', b'`', 0x80, 0xff] {
            let mut digits = HEX.as_bytes().to_vec();
            digits[17] = bad;
            assert_eq!(decode_hex(&digits), None, "byte {bad:#x}");
        }
    }

    #[test]
    fn decode_hex_checks_every_byte_position() {
        for position in 0..TAG_LEN * 2 {
            for byte in 0..=u8::MAX {
                let mut digits = HEX.as_bytes().to_vec();
                digits[position] = byte;
                let expected = hex::decode(&digits).ok();
                assert_eq!(
                    decode_hex(&digits).map(Vec::from),
                    expected,
                    "byte {byte:#04x} at {position}"
                );
            }
        }
    }

    #[test]
    fn matches_compares_every_byte() {
        let signature = Signature::parse(&format!("sha256={HEX}")).expect("valid value");
        let tag = *signature.as_bytes();
        assert!(signature.matches(&tag));
        for index in 0..TAG_LEN {
            let mut other = tag;
            other[index] ^= 0x01;
            assert!(!signature.matches(&other), "byte {index}");
        }
    }

    #[test]
    fn debug_hides_tag() {
        let signature = Signature::parse(&format!("sha256={HEX}")).expect("valid value");
        let printed = format!("{signature:?}");
        assert!(!printed.contains(&HEX[..8]), "{printed}");
    }
}
