//! The axum routers that the in-process benchmarks send deliveries through: `layer`
//! times each one with criterion, and `paired` compares them in alternating blocks.
//!
//! All three serve the same route and respond with `200` and an empty body:
//!
//! - `bare` reads the body with the `Bytes` extractor and checks nothing.
//! - `extractor` verifies the delivery in the handler with [`VerifiedEvent`].
//! - `layered` puts [`VerifyLayer`] in front of the same handler, as the `receiver`
//!   example does, so the extractor takes the event that the layer put in the request.

#![allow(dead_code)]

use std::hint::black_box;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::routing::post;
use http::{Request, StatusCode};
use reachcell_webhooks::axum::VerifiedEvent;
use reachcell_webhooks::tower::VerifyLayer;
use reachcell_webhooks::{SIGNATURE_HEADER, Verifier};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tower::ServiceExt;

use crate::common::{SECRET, TIMESTAMP};

/// Path of the webhook route in every router.
const PATH: &str = "/webhooks/reachcell";

/// Builds a verifier whose clock is pinned to the benchmark body's timestamp, so the
/// delivery stays inside the tolerance however long a benchmark runs.
pub(crate) fn pinned_verifier() -> Verifier {
    let now = OffsetDateTime::parse(TIMESTAMP, &Rfc3339).expect("valid timestamp");
    Verifier::builder()
        .secret(SECRET)
        .clock(move || now)
        .build()
        .expect("the benchmark secret is not empty")
}

/// Builds the single-threaded runtime that the in-process benchmarks block on.
pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime")
}

/// The three routers. [`send`] gives each request to a fresh clone of one of them.
pub(crate) struct Routers {
    pub(crate) bare: Router,
    pub(crate) extractor: Router,
    pub(crate) layered: Router,
}

impl Routers {
    /// Builds the three routers around clones of `verifier`.
    pub(crate) fn new(verifier: &Verifier) -> Self {
        Self {
            bare: Router::new().route(PATH, post(read_only)),
            extractor: Router::new()
                .route(PATH, post(receive))
                .with_state(verifier.clone()),
            layered: Router::new()
                .route(
                    PATH,
                    post(receive).route_layer(VerifyLayer::new(verifier.clone())),
                )
                .with_state(verifier.clone()),
        }
    }

    /// Returns the routers with their names, in the order above.
    pub(crate) fn named(&self) -> [(&'static str, &Router); 3] {
        [
            ("bare", &self.bare),
            ("extractor", &self.extractor),
            ("layer_and_extractor", &self.layered),
        ]
    }
}

/// Sends one delivery through a clone of `router` and returns the status.
pub(crate) fn send(
    runtime: &tokio::runtime::Runtime,
    router: &Router,
    header: &str,
    body: &Bytes,
) -> StatusCode {
    let request = Request::post(PATH)
        .header(SIGNATURE_HEADER, header)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.clone()))
        .expect("valid request");
    runtime
        .block_on(router.clone().oneshot(request))
        .expect("axum routers are infallible")
        .status()
}

async fn read_only(body: Bytes) -> StatusCode {
    black_box(body);
    StatusCode::OK
}

async fn receive(VerifiedEvent(event): VerifiedEvent) -> StatusCode {
    black_box(event);
    StatusCode::OK
}
