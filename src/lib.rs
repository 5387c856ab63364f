//! Receive ReachCell SMS and call webhooks: verify each delivery's signature and
//! timestamp, then hand over a typed event.
//!
//! ReachCell signs every delivery with an `X-ReachCell-Signature: sha256=<hex>` header:
//! HMAC-SHA256 over the raw body, keyed with SHA-256 of the endpoint's webhook secret.
//! This crate checks that signature in constant time before anything reads the body,
//! checks the signed envelope `timestamp` against a tolerance, and parses the body into
//! an [`Event`] whose [`EventData`] has one variant per documented event type.
//!
//! # Example
//!
//! A complete axum receiver. The layer verifies each delivery and responds with `400` with an
//! `application/problem+json` body when it fails, so the handler only receives genuine events.
//!
//! ```no_run
//! # #[cfg(feature = "axum")]
//! # mod receiver {
//! use axum::{Router, routing::post};
//! use reachcell_webhooks::axum::VerifiedEvent;
//! use reachcell_webhooks::tower::VerifyLayer;
//! use reachcell_webhooks::{EventData, MaskedPhone, Verifier};
//!
//! async fn handle(VerifiedEvent(event): VerifiedEvent) {
//!     match &event.data {
//!         EventData::SmsReceived(sms) => println!("SMS from {}", MaskedPhone(&sms.from)),
//!         EventData::CallMissed(call) => println!("missed call {:?}", call.call_id),
//!         other => println!("{} {}", other.event_type(), event.event_id),
//!     }
//! }
//!
//! # #[allow(dead_code)]
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let secret = std::env::var("REACHCELL_WEBHOOK_SECRET")?;
//!     let verifier = Verifier::new(secret.trim())?;
//!
//!     // `route_layer` on the method router verifies POSTs to this route only, so
//!     // other routes and methods keep their 404 and 405.
//!     let webhook = post(handle).route_layer(VerifyLayer::new(verifier.clone()));
//!     let app = Router::new()
//!         .route("/webhooks/reachcell", webhook)
//!         .with_state(verifier);
//!
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//!     axum::serve(listener, app).await?;
//!     Ok(())
//! }
//! # }
//! ```
//!
//! Without a web framework, [`Verifier`] works on a header value and a byte slice:
//!
//! ```
//! use reachcell_webhooks::{ErrorKind, EventData, Verifier, sign};
//! use time::macros::datetime;
//!
//! let verifier = Verifier::new("whsec_test_secret")?;
//! let body = br#"{"event_id":"evt_2","event_type":"call.missed","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"from":"+14155553000"}}"#;
//! let header = sign("whsec_test_secret", body);
//! let now = datetime!(2026-06-08 14:02:30 UTC);
//!
//! let event = verifier.verify_at(&header, body, now)?;
//! assert!(matches!(event.data, EventData::CallMissed(_)));
//!
//! let forged = sign("not_the_secret", body);
//! let error = verifier.verify_at(&forged, body, now).unwrap_err();
//! assert_eq!(error.kind(), ErrorKind::SignatureMismatch);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # How a delivery is checked
//!
//! ```text
//! request ─▶ tower::VerifyLayer   read the body up to the limit (413 past it)
//!         ─▶ Verifier             header → 32-byte tag; HMAC over the raw bytes;
//!                                 constant-time compare (400 on failure)
//!         ─▶ event envelope       parsed once; timestamp checked against the clock
//!         ─▶ EventData            data read into its struct, or kept whole
//!         ─▶ request extensions   hold the Event; the body still holds the raw bytes
//!         ─▶ axum::VerifiedEvent  hands the Event to the handler
//! ```
//!
//! Each step is one module and knows only the steps before it: [`Verifier`] knows
//! nothing of tower, and [`tower`] nothing of axum.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `tower` | yes | [`tower::VerifyLayer`], which verifies before the inner service runs |
//! | `axum`  | yes | [`axum::VerifiedEvent`] and [`axum::VerifiedJson`] extractors; enables `tower` |
//!
//! With `default-features = false` the crate is the verifier core and the typed
//! events alone, with no async runtime, tower or axum in the dependency tree.
//!
//! # Security
//!
//! - **Raw body.** The signature covers the exact bytes sent. Verify before any JSON
//!   parsing, and make sure no proxy or middleware re-encodes, decompresses or trims
//!   the body first: parsing and re-serialising changes whitespace, key order and
//!   escapes, and the signature then fails.
//! - **Replay window.** The signature does not expire, so a captured delivery stays
//!   valid. The `timestamp` check limits a replay to the tolerance, 5 minutes by
//!   default in either direction; within it, de-duplicate by [`Event::event_id`].
//! - **Clock.** A receiver whose clock is off by more than the tolerance rejects every
//!   delivery as too old or in the future. Keep it synchronised with NTP.
//! - **CSRF.** A webhook route receives cross-site `POST`s by design. If the router has
//!   CSRF protection, exempt this route: the signature authenticates it instead.
//! - **Secrets** are hashed into an HMAC key when the [`Verifier`] is built, wiped from
//!   memory on drop, and never appear in `Debug` output, errors or log lines. No error
//!   ever contains the expected signature.
//! - **Logs.** Rejections are logged once each with `tracing` under the target
//!   `reachcell_webhooks`, at WARN up to 10 a minute and at DEBUG past that, with the
//!   reason and the event id when the body was authenticated. Rejections of
//!   authenticated deliveries have a budget of their own, so forged requests cannot
//!   crowd them out. Log lines contain no body, and values that a parser quotes from
//!   the body, where SMS text or phone numbers could be, are redacted.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
pub mod event;
mod log;
mod mask;
mod secret;
mod signature;
mod swar;
mod verifier;

#[cfg(feature = "tower")]
mod problem;

#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub mod tower;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;

pub use error::{ConfigError, ErrorKind, MalformedReason, VerifyError};
pub use event::{DataError, Event, EventData, EventType, UnknownEventType};
pub use mask::MaskedPhone;
pub use secret::Secret;
pub use signature::{SIGNATURE_HEADER, Signature, sign};
pub use verifier::{DEFAULT_TOLERANCE, Verifier, VerifierBuilder};

/// Compiles the Rust examples in README.md as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Verifies one delivery with a secret, the default tolerance and the system clock.
///
/// It suits a handler in any framework (actix-web, warp, a serverless function) that
/// verifies a delivery now and then. It derives the key from the secret on every call,
/// so a busy receiver should build a [`Verifier`] once and reuse it.
///
/// ```
/// # fn handler(headers: &http::HeaderMap, body: &[u8]) -> http::StatusCode {
/// let header = headers
///     .get(reachcell_webhooks::SIGNATURE_HEADER)
///     .and_then(|value| value.to_str().ok())
///     .unwrap_or_default();
/// match reachcell_webhooks::verify("whsec_test_secret", header, body) {
///     Ok(event) => {
///         println!("{} {}", event.event_type(), event.event_id);
///         http::StatusCode::OK
///     }
///     Err(error) => {
///         eprintln!("{error}");
///         error.status()
///     }
/// }
/// # }
/// # let status = handler(&http::HeaderMap::new(), b"{}");
/// # assert_eq!(status, http::StatusCode::BAD_REQUEST);
/// ```
///
/// # Errors
///
/// The errors of [`Verifier::verify_at`], and [`ErrorKind::SecretNotConfigured`] when
/// `secret` is empty.
pub fn verify(
    secret: impl AsRef<[u8]>,
    header_value: &str,
    body: &[u8],
) -> Result<Event, VerifyError> {
    let verifier = Verifier::new(secret).map_err(|_| {
        let error = VerifyError::secret_not_configured();
        log::rejected(&error);
        error
    })?;
    verifier.verify(header_value, body)
}
