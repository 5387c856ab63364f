//! Rejection responses: `application/problem+json` bodies as RFC 9457 defines them.

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use http_body_util::Full;
use serde::Serialize;

use crate::error::{ErrorKind, VerifyError};

/// Media type of an RFC 9457 problem details body.
const PROBLEM_JSON: &str = "application/problem+json";

/// The HTTP status sent when the signature does not match the body.
///
/// ReachCell's guidance is `400 Bad Request`; some receivers prefer `401 Unauthorized`.
/// Either way ReachCell treats the delivery as failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MismatchStatus {
    /// `400 Bad Request`, as ReachCell's documentation recommends.
    #[default]
    BadRequest,
    /// `401 Unauthorized`.
    Unauthorized,
}

impl MismatchStatus {
    fn status(self) -> StatusCode {
        match self {
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
        }
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    type_uri: String,
    title: &'static str,
    status: u16,
    detail: String,
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_id: Option<&'a str>,
}

/// Returns a short, fixed summary of a kind for the `title` member.
fn title(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::MissingHeader => "Missing signature header",
        ErrorKind::DuplicateHeader => "Duplicate signature header",
        ErrorKind::MalformedHeader => "Malformed signature header",
        ErrorKind::SignatureMismatch => "Signature mismatch",
        ErrorKind::InvalidEnvelope => "Invalid event envelope",
        ErrorKind::InvalidTimestamp => "Invalid event timestamp",
        ErrorKind::TimestampTooOld => "Event timestamp too old",
        ErrorKind::TimestampInFuture => "Event timestamp in the future",
        ErrorKind::BodyTooLarge => "Request body too large",
        ErrorKind::BodyUnreadable => "Request body unreadable",
        ErrorKind::UnexpectedPayload => "Unexpected payload",
        ErrorKind::SecretNotConfigured => "Webhook secret not configured",
    }
}

/// Returns the status a rejection is sent with.
pub(crate) fn status(kind: ErrorKind, mismatch: MismatchStatus) -> StatusCode {
    match kind {
        ErrorKind::SignatureMismatch => mismatch.status(),
        other => other.status(),
    }
}

/// Builds the rejection response for `error`.
///
/// The `type` member links to the documentation of the error kind. The detail is the
/// error's message with the values it quotes from the body redacted, and it never
/// contains the expected signature or a secret. The kind is also put in the response
/// extensions for middleware further out.
pub(crate) fn response(error: &VerifyError, mismatch: MismatchStatus) -> Response<Full<Bytes>> {
    let kind = error.kind();
    let status = status(kind, mismatch);
    let problem = Problem {
        type_uri: format!(
            "https://docs.rs/reachcell-webhooks/latest/reachcell_webhooks/enum.ErrorKind.html#variant.{kind:?}"
        ),
        title: title(kind),
        status: status.as_u16(),
        detail: error.redacted_message(),
        code: kind.code(),
        event_id: error.event_id(),
    };
    // Serialising a struct of strings and integers into memory cannot fail; should
    // it, the status and the content type still tell the sender what happened.
    let body = serde_json::to_vec(&problem).unwrap_or_default();

    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response.extensions_mut().insert(kind);
    response
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt;
    use serde_json::Value;

    use super::*;

    async fn body_json(response: Response<Full<Bytes>>) -> Value {
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("infallible")
            .to_bytes();
        serde_json::from_slice(&bytes).expect("problem body is JSON")
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(future)
    }

    #[test]
    fn mismatch_problem_has_every_member() {
        let response = response(&VerifyError::mismatch(), MismatchStatus::default());
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON);
        assert_eq!(
            response.extensions().get::<ErrorKind>(),
            Some(&ErrorKind::SignatureMismatch)
        );

        let body = block_on(body_json(response));
        assert_eq!(body["status"], 400);
        assert_eq!(body["code"], "signature_mismatch");
        assert_eq!(body["title"], "Signature mismatch");
        assert!(
            body["type"]
                .as_str()
                .is_some_and(|uri| uri.ends_with("#variant.SignatureMismatch"))
        );
        assert!(
            body["detail"]
                .as_str()
                .is_some_and(|detail| detail.contains("does not match"))
        );
        assert!(body.get("event_id").is_none());
    }

    #[test]
    fn mismatch_status_can_be_401() {
        let response = response(&VerifyError::mismatch(), MismatchStatus::Unauthorized);
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }

    #[test]
    fn other_kinds_keep_their_status() {
        let response = response(
            &VerifyError::body_too_large(10),
            MismatchStatus::Unauthorized,
        );
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn event_id_is_included_when_known() {
        let error = VerifyError::too_old(400, 300).with_event_id("evt_1");
        let body = block_on(body_json(response(&error, MismatchStatus::default())));
        assert_eq!(body["event_id"], "evt_1");
        assert_eq!(body["code"], "timestamp_too_old");
    }
}
