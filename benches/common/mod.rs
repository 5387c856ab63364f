//! Request bodies and secrets shared by the benchmarks.
//!
//! Each benchmark file includes this module with `mod common;`, and the peer
//! comparison in `benches/peers` includes it by path, so every benchmark signs the
//! same bytes.

#![allow(dead_code)]

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Secret that every benchmark signs and verifies with.
pub(crate) const SECRET: &str = "whsec_benchmark_secret";

/// Body sizes measured by the signature benchmarks, with their labels.
pub(crate) const SIZES: [(usize, &str); 4] = [
    (256, "256B"),
    (1024, "1KiB"),
    (16 * 1024, "16KiB"),
    (1024 * 1024, "1MiB"),
];

/// Envelope `timestamp` of the bodies that [`sms_received`] builds.
pub(crate) const TIMESTAMP: &str = "2026-06-08T14:02:11Z";

/// Builds an `sms.received` delivery of exactly `size` bytes of valid UTF-8 JSON.
///
/// The message text is padded with ASCII letters to reach the size, so the body stays
/// a delivery that the typed parser reads in full.
///
/// # Panics
///
/// Panics when `size` is smaller than the envelope without any message text.
pub(crate) fn sms_received(size: usize) -> Vec<u8> {
    let head = format!(
        r#"{{"event_id":"01HX5V6W7K8M9N0P1Q2R3S4T00","event_type":"sms.received","api_version":"v1","timestamp":"{TIMESTAMP}","data":{{"message_id":"9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5","from":"+14155553000","to":"+14155552671","body":""#
    );
    let tail = r#""}}"#;
    let fixed = head.len() + tail.len();
    assert!(
        size >= fixed,
        "a body of {size} bytes cannot hold the {fixed}-byte envelope"
    );

    let mut body = Vec::with_capacity(size);
    body.extend_from_slice(head.as_bytes());
    body.extend((0..size - fixed).map(|i| b'a' + (i % 26) as u8));
    body.extend_from_slice(tail.as_bytes());
    body
}

/// Verifies a delivery the way a receiver written from a documentation snippet often
/// does: it derives the key from the secret on every request, hex-encodes the tag into
/// a new string and compares the strings with `==`. That compare is not constant-time,
/// so this function only serves as a baseline.
pub(crate) fn naive_verify(secret: &str, header_value: &str, body: &[u8]) -> bool {
    let key = Sha256::digest(secret.as_bytes());
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        return false;
    };
    mac.update(body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    expected == header_value
}

/// Keys HMAC-SHA256 with `SHA-256(SECRET)`; the raw HMAC baseline clones the result
/// for each iteration.
pub(crate) fn keyed_hmac() -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(&Sha256::digest(SECRET.as_bytes()))
        .expect("HMAC takes keys of any length")
}
