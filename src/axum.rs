//! axum extractors that hand a handler verified deliveries only.
//!
//! - [`VerifiedEvent`] yields the [`Event`].
//! - [`VerifiedJson<T>`] yields the body deserialised into your own type `T`, after
//!   the same verification.
//!
//! Each takes the event from the request extensions when
//! [`VerifyLayer`](crate::tower::VerifyLayer) ran first. Otherwise it verifies the
//! request itself with the [`Verifier`] it gets from the router state through
//! [`FromRef`], reading at most [`DEFAULT_BODY_LIMIT`] bytes of body. A failure is a
//! [`VerifyRejection`], sent as an `application/problem+json` response.
//!
//! Both extractors need a [`Verifier`] in the router state even behind the layer,
//! because the compiler cannot know whether the layer ran. With `.with_state(verifier)`
//! that is already the case; with a state struct of your own, implement [`FromRef`] for it, as
//! below, or derive it with axum's `macros` feature.
//!
//! The layer is the place for a custom body limit or a `401` on signature mismatch.
//! Behind it, a handler can also take the raw body as `Bytes` and the
//! [`MatchedSecret`](crate::tower::MatchedSecret) as `Extension<MatchedSecret>`, next
//! to `Extension<Event>`.
//!
//! # Example
//!
//! ```
//! use axum::{Router, routing::post};
//! use reachcell_webhooks::axum::{VerifiedEvent, VerifiedJson};
//! use reachcell_webhooks::Verifier;
//!
//! #[derive(serde::Deserialize)]
//! struct Delivery {
//!     event_id: String,
//! }
//!
//! async fn events(VerifiedEvent(event): VerifiedEvent) -> &'static str {
//!     println!("{} {}", event.event_type(), event.event_id);
//!     "ok"
//! }
//!
//! async fn ids(VerifiedJson(delivery): VerifiedJson<Delivery>) -> String {
//!     delivery.event_id
//! }
//!
//! let verifier = Verifier::new("whsec_test_secret")?;
//! let app: Router = Router::new()
//!     .route("/webhooks/reachcell", post(events))
//!     .route("/webhooks/reachcell/ids", post(ids))
//!     .with_state(verifier);
//! # Ok::<(), reachcell_webhooks::ConfigError>(())
//! ```
//!
//! With a state struct of your own:
//!
//! ```
//! use axum::extract::FromRef;
//! use axum::{Router, routing::post};
//! use reachcell_webhooks::Verifier;
//! use reachcell_webhooks::axum::VerifiedEvent;
//!
//! #[derive(Clone)]
//! struct AppState {
//!     verifier: Verifier,
//!     greeting: String,
//! }
//!
//! impl FromRef<AppState> for Verifier {
//!     fn from_ref(state: &AppState) -> Verifier {
//!         state.verifier.clone()
//!     }
//! }
//!
//! async fn events(VerifiedEvent(event): VerifiedEvent) {
//!     println!("{}", event.event_id);
//! }
//!
//! let state = AppState {
//!     verifier: Verifier::new("whsec_test_secret")?,
//!     greeting: "hello".to_owned(),
//! };
//! let app: Router = Router::new()
//!     .route("/webhooks/reachcell", post(events))
//!     .with_state(state);
//! # Ok::<(), reachcell_webhooks::ConfigError>(())
//! ```

use std::fmt;

use axum::body::Body;
use axum::extract::{FromRef, FromRequest, Request};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::StatusCode;
use http_body_util::{BodyExt, Limited};
use serde::de::DeserializeOwned;

use crate::error::VerifyError;
use crate::problem::{self, MismatchStatus};
use crate::tower::{DEFAULT_BODY_LIMIT, exceeds_limit, read_error};
use crate::{Event, Verifier};

/// Extracts the verified [`Event`] of a ReachCell delivery.
///
/// See the [module docs](self) for where the event comes from.
#[derive(Clone, Debug)]
pub struct VerifiedEvent(pub Event);

/// Extracts a verified ReachCell delivery deserialised into the caller's type `T`.
///
/// The body is verified exactly as for [`VerifiedEvent`], envelope and timestamp
/// included, and then read as `T`. A body that does not fit `T` is rejected with
/// `422 Unprocessable Entity` and the code `unexpected_payload`.
#[derive(Clone, Debug)]
pub struct VerifiedJson<T>(pub T);

/// The rejection of an extractor, sent as an `application/problem+json` response.
#[derive(Debug)]
pub struct VerifyRejection {
    error: VerifyError,
}

impl VerifyRejection {
    /// Returns the verification error.
    #[must_use]
    pub fn error(&self) -> &VerifyError {
        &self.error
    }

    /// Returns the HTTP status of the response.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        problem::status(self.error.kind(), MismatchStatus::default())
    }

    /// Consumes the rejection and returns the verification error.
    #[must_use]
    pub fn into_error(self) -> VerifyError {
        self.error
    }
}

impl From<VerifyError> for VerifyRejection {
    fn from(error: VerifyError) -> Self {
        Self { error }
    }
}

impl fmt::Display for VerifyRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for VerifyRejection {}

impl IntoResponse for VerifyRejection {
    fn into_response(self) -> Response {
        problem::response(&self.error, MismatchStatus::default())
            .map(Body::new)
            .into_response()
    }
}

impl<S> FromRequest<S> for VerifiedEvent
where
    Verifier: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = VerifyRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, VerifyRejection> {
        let (mut parts, body) = request.into_parts();
        if let Some(event) = parts.extensions.remove::<Event>() {
            return Ok(Self(event));
        }

        let body = read_body(&parts.headers, body).await?;
        let (event, _) = Verifier::from_ref(state).verify_request(&parts.headers, &body)?;
        Ok(Self(event))
    }
}

impl<S, T> FromRequest<S> for VerifiedJson<T>
where
    Verifier: FromRef<S>,
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = VerifyRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, VerifyRejection> {
        let (parts, body) = request.into_parts();
        let verified_by_layer = parts.extensions.get::<Event>().is_some();

        let body = read_body(&parts.headers, body).await?;
        if !verified_by_layer {
            Verifier::from_ref(state).verify_request(&parts.headers, &body)?;
        }

        let value = serde_json::from_slice(&body).map_err(|error| {
            let error = VerifyError::unexpected_payload(error);
            crate::log::rejected(&error);
            error
        })?;
        Ok(Self(value))
    }
}

/// Reads the request body, up to [`DEFAULT_BODY_LIMIT`] bytes.
async fn read_body(headers: &http::HeaderMap, body: Body) -> Result<Bytes, VerifyError> {
    let limit = DEFAULT_BODY_LIMIT;
    let result = if exceeds_limit(headers, limit) {
        Err(VerifyError::body_too_large(limit))
    } else {
        match Limited::new(body, limit).collect().await {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(error) => Err(read_error(error, limit)),
        }
    };
    result.inspect_err(crate::log::rejected)
}
