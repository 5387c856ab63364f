//! The tower service in process: one request through `ServiceExt::oneshot`, with the
//! verifying layer and with a bare service that only reads the body.
//!
//! Both inner services respond with `200` and an empty body. The bare service collects the
//! body itself, so the difference between the two is what the layer adds: the
//! signature check, the envelope and typed-data parse, and the request extensions.
//!
//! The `router` group sends the same delivery through the axum routers of
//! `benches/routes`: the bare route, the extractor verifying in the handler, and the
//! layer in front of the extractor.

mod common;
mod routes;

use std::convert::Infallible;
use std::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use reachcell_webhooks::tower::VerifyLayer;
use reachcell_webhooks::{SIGNATURE_HEADER, sign};
use tower::{Layer, ServiceExt, service_fn};

use common::{SECRET, sms_received};
use routes::{Routers, pinned_verifier, send};

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
    let runtime = routes::runtime();
    let body = Bytes::from(sms_received(1024));
    let header = sign(SECRET, &body);

    let verifier = pinned_verifier();
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

fn router(c: &mut Criterion) {
    let runtime = routes::runtime();
    let body = Bytes::from(sms_received(1024));
    let header = sign(SECRET, &body);
    let routers = Routers::new(&pinned_verifier());
    for (name, router) in routers.named() {
        let status = send(&runtime, router, &header, &body);
        assert_eq!(status, StatusCode::OK, "{name} must accept the delivery");
    }

    let mut group = c.benchmark_group("router_1KiB");
    group.throughput(Throughput::Elements(1));
    for (name, router) in routers.named() {
        group.bench_function(name, |b| b.iter(|| send(&runtime, router, &header, &body)));
    }
    group.finish();
}

criterion_group!(benches, layer, router);
criterion_main!(benches);
