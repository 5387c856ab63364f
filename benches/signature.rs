//! Signature check against its lower bound: one HMAC-SHA256 pass over the body.
//!
//! - `raw_hmac`: an HMAC-SHA256 state keyed once, cloned and run over the body. No
//!   verifier can do less work, so it is the limit the others are compared with.
//! - `verify_signature`: [`Verifier::verify_signature`] with a valid header.
//! - `naive`: what a receiver written from a documentation snippet does: derive the
//!   key from the secret on every request, hex-encode the tag into a new string and
//!   compare the strings with `==`.

mod common;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::Mac;
use reachcell_webhooks::{Verifier, sign};

use common::{SECRET, SIZES, keyed_hmac, naive_verify, sms_received};

fn signature(c: &mut Criterion) {
    let verifier = Verifier::new(SECRET).expect("the benchmark secret is not empty");
    let keyed = keyed_hmac();

    let mut group = c.benchmark_group("signature");
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
        group.bench_with_input(
            BenchmarkId::new("verify_signature", label),
            &body,
            |b, body| {
                b.iter(|| verifier.verify_signature(black_box(&header), black_box(body)));
            },
        );
        group.bench_with_input(BenchmarkId::new("naive", label), &body, |b, body| {
            b.iter(|| naive_verify(SECRET, black_box(&header), black_box(body)));
        });
    }
    group.finish();
}

criterion_group!(benches, signature);
criterion_main!(benches);
