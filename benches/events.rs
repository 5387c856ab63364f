//! Typed parsing of each sample delivery, and a full verification of a 1 KiB
//! `sms.received` next to the HMAC it starts with.

mod common;

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::Mac;
use reachcell_webhooks::{Event, Verifier, sign};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use common::{SECRET, TIMESTAMP, keyed_hmac, sms_received};

/// Reads every sample delivery in `tests/data/events`, sorted by file name.
fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/events");
    let mut fixtures: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("failed to read {}: {error}", dir.display()))
        .map(|entry| {
            let path = entry.expect("directory entry").path();
            let name = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .expect("fixture names are UTF-8")
                .to_owned();
            let body = std::fs::read(&path)
                .unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()));
            (name, body)
        })
        .collect();
    fixtures.sort();
    fixtures
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for (name, body) in fixtures() {
        serde_json::from_slice::<Event>(&body)
            .unwrap_or_else(|error| panic!("fixture {name} does not parse: {error}"));

        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(&name), &body, |b, body| {
            b.iter(|| serde_json::from_slice::<Event>(black_box(body)));
        });
    }
    group.finish();
}

fn verify(c: &mut Criterion) {
    let body = sms_received(1024);
    let header = sign(SECRET, &body);
    let verifier = Verifier::new(SECRET).expect("the benchmark secret is not empty");
    let now = OffsetDateTime::parse(TIMESTAMP, &Rfc3339).expect("valid timestamp");
    verifier
        .verify_at(&header, &body, now)
        .expect("the benchmark delivery verifies");
    let keyed = keyed_hmac();

    let mut group = c.benchmark_group("verify_1KiB");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("raw_hmac", |b| {
        b.iter(|| {
            let mut mac = keyed.clone();
            mac.update(black_box(&body));
            mac.finalize().into_bytes()
        });
    });
    group.bench_function("verify_signature", |b| {
        b.iter(|| verifier.verify_signature(black_box(&header), black_box(&body)));
    });
    group.bench_function("verify_at", |b| {
        b.iter(|| verifier.verify_at(black_box(&header), black_box(&body), now));
    });
    group.finish();
}

criterion_group!(benches, parse, verify);
criterion_main!(benches);
