//! Feeds an arbitrary secret, header value and body to `Verifier::verify_signature`.
//!
//! Input layout: `secret`, a newline, the header value, a newline, then the body (any
//! bytes). Inputs with fewer than two newlines are skipped.
//!
//! Checks, for every input with a non-empty secret:
//! - the arbitrary header verifies only when it carries the body's true tag;
//! - the output of `sign` always verifies;
//! - flipping one bit of the body or of the tag is always a signature mismatch.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reachcell_webhooks::{ErrorKind, Signature, Verifier, sign};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |byte| *byte == b'\n');
    let (Some(secret), Some(header), Some(body)) = (parts.next(), parts.next(), parts.next())
    else {
        return;
    };
    let Ok(verifier) = Verifier::new(secret) else {
        assert!(secret.is_empty(), "only an empty secret is rejected");
        return;
    };

    let signed = sign(secret, body);
    let true_tag = *Signature::parse(&signed)
        .expect("sign returns a well-formed header")
        .as_bytes();

    // The header is arbitrary bytes, as an HTTP header value can be. The verifier
    // takes `&str`, so a header that is not UTF-8 goes through the byte parser only.
    if let Ok(header) = std::str::from_utf8(header) {
        match verifier.verify_signature(header, body) {
            Ok(()) => {
                let parsed = Signature::parse(header).expect("a verified header parses");
                assert_eq!(
                    parsed.as_bytes(),
                    &true_tag,
                    "accepted a header without the body's tag"
                );
            }
            Err(error) => {
                let carries_true_tag =
                    Signature::parse(header).is_ok_and(|parsed| parsed.as_bytes() == &true_tag);
                assert!(!carries_true_tag, "rejected the body's true tag: {error}");
            }
        }
    } else {
        let _ = Signature::parse_bytes(header);
    }

    verifier
        .verify_signature(&signed, body)
        .expect("the output of sign verifies");

    // The flipped position and bit come from the input, so the fuzzer explores them.
    let position = header.len() ^ body.len();
    let bit = 1u8 << (secret.len() % 8);

    if !body.is_empty() {
        let mut flipped = body.to_vec();
        flipped[position % body.len()] ^= bit;
        let error = verifier
            .verify_signature(&signed, &flipped)
            .expect_err("a body with one flipped bit must not verify");
        assert_eq!(error.kind(), ErrorKind::SignatureMismatch);
    }

    let mut tag = true_tag;
    tag[position % tag.len()] ^= bit;
    let forged = format!("sha256={}", hex_lower(&tag));
    let error = verifier
        .verify_signature(&forged, body)
        .expect_err("a tag with one flipped bit must not verify");
    assert_eq!(error.kind(), ErrorKind::SignatureMismatch);
});

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
