//! A tower [`Layer`](::tower::Layer) that verifies ReachCell deliveries before the
//! inner service runs.
//!
//! [`VerifyLayer`] reads the request body up to a limit, verifies the signature and
//! the timestamp with a [`Verifier`](crate::Verifier), and then calls the inner service
//! with:
//!
//! - the original body bytes as the request body, so the inner service can still read
//!   or forward them exactly as signed;
//! - the [`Event`](crate::Event) and the [`MatchedSecret`] in the request extensions.
//!
//! A delivery that fails never reaches the inner service. It gets an
//! `application/problem+json` response (RFC 9457) with a `code` member such as
//! `signature_mismatch`, and the [`ErrorKind`](crate::ErrorKind) in the response
//! extensions. The statuses are:
//!
//! | failure | status |
//! |---|---|
//! | missing, repeated or malformed signature header | 400 |
//! | signature mismatch | 400, or 401 with [`VerifyLayer::mismatch_status`] |
//! | invalid envelope or timestamp, timestamp outside the tolerance | 400 |
//! | body larger than the limit (256 KiB by default) | 413, without reading the rest |
//!
//! In an axum router, put the layer on the webhook's method router with
//! `post(handler).route_layer(layer)`. `Router::layer` would wrap every route and
//! method, so a `GET /health` would be rejected for lacking a signature.
//!
//! # Example
//!
//! ```
//! use http::Request;
//! use http_body_util::Full;
//! use bytes::Bytes;
//! use reachcell_webhooks::tower::VerifyLayer;
//! use reachcell_webhooks::{Event, Verifier};
//! use tower::{ServiceBuilder, service_fn};
//!
//! let verifier = Verifier::new("whsec_test_secret")?;
//! let service = ServiceBuilder::new()
//!     .layer(VerifyLayer::new(verifier).body_limit(64 * 1024))
//!     .service(service_fn(|request: Request<Full<Bytes>>| async move {
//!         let event = request.extensions().get::<Event>().expect("the layer ran");
//!         println!("{} {}", event.event_type(), event.event_id);
//!         Ok::<_, std::convert::Infallible>(http::Response::new(Full::new(Bytes::new())))
//!     }));
//! # drop(service);
//! # Ok::<(), reachcell_webhooks::ConfigError>(())
//! ```

mod body;
mod future;
mod layer;
mod service;

pub use crate::problem::MismatchStatus;
pub use body::ResponseBody;
pub(crate) use body::{exceeds_limit, read_error};
pub use future::ResponseFuture;
pub use layer::{DEFAULT_BODY_LIMIT, VerifyLayer};
pub use service::VerifyService;

/// A type-erased error, as tower and `http-body-util` use.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The position of the secret that signed a verified delivery, among those given to
/// the [`Verifier`](crate::Verifier); the layer puts it in the request extensions.
///
/// A secret that no delivery matches any more can be retired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MatchedSecret(pub usize);

#[cfg(test)]
mod tests;
