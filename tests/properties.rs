//! Properties of signing and verification over arbitrary bodies and headers.

use proptest::prelude::*;
use reachcell_webhooks::{ErrorKind, Signature, Verifier, sign};

const SECRET: &str = "whsec_property_secret";

fn verifier() -> Verifier {
    Verifier::new(SECRET).expect("non-empty secret")
}

proptest! {
    #[test]
    fn signed_body_verifies(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let header = sign(SECRET, &body);
        prop_assert!(verifier().verify_signature(&header, &body).is_ok());
    }

    #[test]
    fn any_secret_round_trips(secret in proptest::collection::vec(any::<u8>(), 1..100), body in proptest::collection::vec(any::<u8>(), 0..256)) {
        let header = sign(&secret, &body);
        let verifier = Verifier::new(&secret).expect("non-empty secret");
        prop_assert!(verifier.verify_signature(&header, &body).is_ok());
    }

    #[test]
    fn flipped_body_bit_is_rejected(
        body in proptest::collection::vec(any::<u8>(), 1..1024),
        position in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let header = sign(SECRET, &body);
        let mut altered = body.clone();
        let index = position.index(altered.len());
        altered[index] ^= 1 << bit;
        let error = verifier().verify_signature(&header, &altered).expect_err("altered body");
        prop_assert_eq!(error.kind(), ErrorKind::SignatureMismatch);
    }

    #[test]
    fn changed_hex_digit_is_rejected(
        body in proptest::collection::vec(any::<u8>(), 0..256),
        position in 0usize..64,
        replacement in prop::sample::select(b"0123456789abcdef".to_vec()),
    ) {
        let header = sign(SECRET, &body);
        let mut digits = header.into_bytes();
        let index = "sha256=".len() + position;
        prop_assume!(digits[index] != replacement);
        digits[index] = replacement;
        let altered = String::from_utf8(digits).expect("ASCII");
        let error = verifier().verify_signature(&altered, &body).expect_err("changed digit");
        prop_assert_eq!(error.kind(), ErrorKind::SignatureMismatch);
    }

    #[test]
    fn arbitrary_header_never_panics(header in ".*", body in proptest::collection::vec(any::<u8>(), 0..64)) {
        let result = verifier().verify_signature(&header, &body);
        prop_assert!(result.is_err());
        let kind = result.expect_err("random header").kind();
        prop_assert!(matches!(kind, ErrorKind::MalformedHeader | ErrorKind::SignatureMismatch));
    }

    #[test]
    fn arbitrary_header_bytes_never_panic(header in proptest::collection::vec(any::<u8>(), 0..200)) {
        prop_assert!(Signature::parse_bytes(&header).is_err() || header.len() >= 71);
    }

    #[test]
    fn arbitrary_signed_body_never_panics(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let header = sign(SECRET, &body);
        let now = time::OffsetDateTime::now_utc();
        if let Err(error) = verifier().verify_at(&header, &body, now) {
            prop_assert!(error.kind().is_after_signature(), "{error}");
        }
    }
}
