//! The tower service in process: one request through `ServiceExt::oneshot`, with the
//! verifying layer and with a bare service that only reads the body.
//!
//! Both inner services respond with `200` and an empty body. The bare service collects the
//! body itself, so the difference between the two is what the layer adds: the
//! signature check, the envelope and typed-data parse, and the request extensions.

mod common;

use std::convert::Infallible;
use std::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use reachcell_webhooks::tower::VerifyLayer;
use reachcell_webhooks::{SIGNATURE_HEADER, Verifier, sign};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tower::{Layer, ServiceExt, service_fn};

use common::{SECRET, TIMESTAMP, sms_received};

/// Reads the whole body, then responds with `200`.
async fn read_body(request: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, Infallible> {
    let body = request.into_body().collect().await?.to_bytes();
    black_box(body);
    Ok(Response::new(Full::new(Bytes::new())))
}

fn request(header: &str, body: &Bytes) -> Request<Full<Bytes>> {
    Request::post("/webhooks/reachcell")
        .header(SIGNATURE_HEADER, header)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Full::new(body.clone()))
        .expect("valid request")
}

fn layer(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime");
    let body = Bytes::from(sms_received(1024));
    let header = sign(SECRET, &body);

    // The clock is pinned to the body's timestamp, so the delivery stays inside the
    // tolerance however long the benchmark runs.
    let now = OffsetDateTime::parse(TIMESTAMP, &Rfc3339).expect("valid timestamp");
    let verifier = Verifier::builder()
        .secret(SECRET)
        .clock(move || now)
        .build()
        .expect("the benchmark secret is not empty");
    let bare = service_fn(read_body);
    let layered = VerifyLayer::new(verifier).layer(service_fn(read_body));

    let status = runtime
        .block_on(layered.clone().oneshot(request(&header, &body)))
        .expect("infallible")
        .status();
    assert_eq!(status, StatusCode::OK, "the benchmark delivery must verify");

    let mut group = c.benchmark_group("service_1KiB");
    group.throughput(Throughput::Elements(1));
    group.bench_function("bare", |b| {
        b.iter(|| runtime.block_on(bare.oneshot(request(&header, &body))));
    });
    group.bench_function("verify_layer", |b| {
        b.iter(|| runtime.block_on(layered.clone().oneshot(request(&header, &body))));
    });
    group.finish();
}

criterion_group!(benches, layer);
criterion_main!(benches);
