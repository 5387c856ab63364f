//! This crate's signature check next to svix's `Webhook::verify` and two baselines,
//! over the same bodies in one run.
//!
//! - `raw_hmac`: HMAC-SHA256 keyed once, cloned and run over the body; the limit.
//! - `reachcell`: `Verifier::verify_signature`.
//! - `naive`: the key derived per request, the tag hex-encoded, strings compared.
//! - `svix`: `svix::webhooks::Webhook::verify` with the timestamp check on. svix signs
//!   `id.timestamp.body` rather than the body alone, so its input is 39 bytes
//!   longer here; its throughput is still counted over the body size.
//!
//! svix checks its timestamp header against the system clock with a 5-minute
//! tolerance, so each size signs a fresh timestamp just before it is measured.

#[path = "../../common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::{SystemTime, UNIX_EPOCH};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::Mac;
use http::{HeaderMap, HeaderValue};
use reachcell_webhooks::{Verifier, sign};
use sha2::{Digest, Sha256};
use svix::webhooks::Webhook;

use common::{SECRET, SIZES, keyed_hmac, naive_verify, sms_received};

/// Builds svix's three headers for `body`, signed now.
fn svix_headers(webhook: &Webhook, body: &[u8]) -> HeaderMap {
    let message_id = "msg_2fXxBenchmark0000000000";
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs();
    let timestamp = i64::try_from(now).expect("seconds since 1970 fit in i64");
    let signature = webhook
        .sign(message_id, timestamp, body)
        .expect("svix signs UTF-8 bodies");

    let mut headers = HeaderMap::new();
    headers.insert("svix-id", HeaderValue::from_static(message_id));
    headers.insert("svix-timestamp", HeaderValue::from(timestamp));
    headers.insert(
        "svix-signature",
        HeaderValue::from_str(&signature).expect("svix signatures are ASCII"),
    );
    headers
}

fn peers(c: &mut Criterion) {
    let verifier = Verifier::new(SECRET).expect("the benchmark secret is not empty");
    let keyed = keyed_hmac();
    // The same 32-byte key as the other three, so every HMAC has the same key length.
    let svix = Webhook::from_bytes(Sha256::digest(SECRET.as_bytes()).to_vec())
        .expect("the key is not empty");

    let mut group = c.benchmark_group("peers");
    for (size, label) in SIZES {
        let body = sms_received(size);
        let header = sign(SECRET, &body);
        assert!(verifier.verify_signature(&header, &body).is_ok());
        assert!(naive_verify(SECRET, &header, &body));

        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("raw_hmac", label), &body, |b, body| {
            b.iter(|| {
                let mut mac = keyed.clone();
                mac.update(black_box(body));
                mac.finalize().into_bytes()
            });
        });
        group.bench_with_input(BenchmarkId::new("reachcell", label), &body, |b, body| {
            b.iter(|| verifier.verify_signature(black_box(&header), black_box(body)));
        });
        group.bench_with_input(BenchmarkId::new("naive", label), &body, |b, body| {
            b.iter(|| naive_verify(SECRET, black_box(&header), black_box(body)));
        });

        let headers = svix_headers(&svix, &body);
        svix.verify(&body, &headers)
            .expect("svix verifies its own signature");
        group.bench_with_input(BenchmarkId::new("svix", label), &body, |b, body| {
            b.iter(|| svix.verify(black_box(body), black_box(&headers)));
        });
    }
    group.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
