//! Feeds arbitrary bytes to the `X-ReachCell-Signature` parser.
//!
//! Beyond not panicking, an accepted value must have the documented form: optional
//! spaces and tabs, `sha256=` in any case, 64 hex digits, optional spaces and tabs.
//! The parsed tag must then be the decoded digits.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reachcell_webhooks::{ErrorKind, Signature};

fuzz_target!(|data: &[u8]| {
    let parsed = Signature::parse_bytes(data);

    if let Ok(text) = std::str::from_utf8(data) {
        assert_eq!(
            Signature::parse(text).ok(),
            parsed.as_ref().ok().copied(),
            "parse and parse_bytes disagree"
        );
    }

    let signature = match parsed {
        Ok(signature) => signature,
        Err(error) => {
            assert_eq!(error.kind(), ErrorKind::MalformedHeader);
            assert!(
                error.malformed_reason().is_some(),
                "a malformed header carries a reason"
            );
            return;
        }
    };

    let trimmed = data
        .iter()
        .position(|byte| *byte != b' ' && *byte != b'\t')
        .map_or(&data[..0], |start| {
            let end = data
                .iter()
                .rposition(|byte| *byte != b' ' && *byte != b'\t')
                .map_or(start, |end| end + 1);
            &data[start..end]
        });
    assert_eq!(
        trimmed.len(),
        7 + 64,
        "accepted a value of the wrong length"
    );
    assert!(
        trimmed[..7].eq_ignore_ascii_case(b"sha256="),
        "accepted another scheme"
    );

    let digits = &trimmed[7..];
    assert!(
        digits.iter().all(u8::is_ascii_hexdigit),
        "accepted a non-hex digit"
    );
    let decoded: Vec<u8> = digits
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).expect("hex digits are ASCII");
            u8::from_str_radix(text, 16).expect("two hex digits")
        })
        .collect();
    assert_eq!(signature.as_bytes().as_slice(), decoded.as_slice());
});
