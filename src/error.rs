//! Errors: why a delivery was rejected, and why a verifier could not be built.

use std::error::Error as StdError;
use std::fmt;

use http::StatusCode;

/// The reason a delivery was rejected.
///
/// The kinds map one to one onto the `code` member of the problem+json body that the
/// tower layer and the axum extractor send, and onto the `reason` field of the log line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request has no `X-ReachCell-Signature` header.
    MissingHeader,
    /// The request has more than one `X-ReachCell-Signature` header.
    DuplicateHeader,
    /// The `X-ReachCell-Signature` value is not `sha256=` and 64 hex digits.
    MalformedHeader,
    /// The signature does not match the body under any configured secret.
    SignatureMismatch,
    /// The body is signed but is not a valid event envelope (JSON object with
    /// `event_id`, `event_type`, `api_version`, `timestamp` and `data`).
    InvalidEnvelope,
    /// The envelope `timestamp` is not an RFC 3339 date and time.
    InvalidTimestamp,
    /// The envelope `timestamp` is further in the past than the tolerance allows.
    TimestampTooOld,
    /// The envelope `timestamp` is further in the future than the tolerance allows.
    TimestampInFuture,
    /// The body is larger than the configured limit (tower layer and axum extractor only).
    BodyTooLarge,
    /// The body could not be read from the connection (tower layer and axum extractor only).
    BodyUnreadable,
    /// The verified body does not deserialise into the handler's own type
    /// ([`VerifiedJson`](crate::axum::VerifiedJson) only). Its status is `422`.
    UnexpectedPayload,
    /// The receiver has no usable secret: [`verify`](crate::verify) was given an empty one.
    /// The fault is the receiver's, so its status is `500` and ReachCell retries later.
    SecretNotConfigured,
}

impl ErrorKind {
    /// Returns the stable snake_case code of this kind, such as `signature_mismatch`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::MissingHeader => "missing_header",
            Self::DuplicateHeader => "duplicate_header",
            Self::MalformedHeader => "malformed_header",
            Self::SignatureMismatch => "signature_mismatch",
            Self::InvalidEnvelope => "invalid_envelope",
            Self::InvalidTimestamp => "invalid_timestamp",
            Self::TimestampTooOld => "timestamp_too_old",
            Self::TimestampInFuture => "timestamp_in_future",
            Self::BodyTooLarge => "body_too_large",
            Self::BodyUnreadable => "body_unreadable",
            Self::UnexpectedPayload => "unexpected_payload",
            Self::SecretNotConfigured => "secret_not_configured",
        }
    }

    /// Returns the HTTP status a receiver responds with for this kind.
    ///
    /// Every kind is `400 Bad Request`, as ReachCell's guidance recommends for failed
    /// signature checks, except [`ErrorKind::BodyTooLarge`], which is
    /// `413 Payload Too Large`, [`ErrorKind::UnexpectedPayload`], which is
    /// `422 Unprocessable Entity`, and [`ErrorKind::SecretNotConfigured`], which is
    /// `500 Internal Server Error`.
    #[must_use]
    pub const fn status(self) -> StatusCode {
        match self {
            Self::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnexpectedPayload => StatusCode::UNPROCESSABLE_ENTITY,
            Self::SecretNotConfigured => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// Returns whether the body was authenticated before this error occurred.
    ///
    /// Only for these kinds can the body's contents, such as the event id, be trusted.
    /// [`ErrorKind::UnexpectedPayload`] is among them: it follows a full verification.
    #[must_use]
    pub const fn is_after_signature(self) -> bool {
        matches!(
            self,
            Self::InvalidEnvelope
                | Self::InvalidTimestamp
                | Self::TimestampTooOld
                | Self::TimestampInFuture
                | Self::UnexpectedPayload
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The rule a malformed `X-ReachCell-Signature` value breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MalformedReason {
    /// The value is empty or only whitespace.
    Empty,
    /// The value does not start with `sha256=`.
    MissingScheme,
    /// The value contains more than one signature.
    SeveralSignatures,
    /// The part after `sha256=` is not 64 characters long.
    WrongLength {
        /// Number of characters found after `sha256=`.
        digits: usize,
    },
    /// The part after `sha256=` contains a character that is not a hex digit.
    NotHex,
}

impl fmt::Display for MalformedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the value is empty"),
            Self::MissingScheme => f.write_str("the value does not start with `sha256=`"),
            Self::SeveralSignatures => f.write_str("the value contains more than one signature"),
            Self::WrongLength { digits } => {
                write!(
                    f,
                    "the part after `sha256=` has {digits} characters instead of 64"
                )
            }
            Self::NotHex => f.write_str("the part after `sha256=` contains a non-hex character"),
        }
    }
}

/// A rejected delivery: what failed, and the detail needed to fix it.
///
/// The type is opaque so that it can carry more detail later; match on
/// [`VerifyError::kind`]. Neither `Display` nor `Debug` ever shows a secret, a derived
/// key or the expected signature.
pub struct VerifyError {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    detail: Detail,
    event_id: Option<String>,
}

enum Detail {
    None,
    Malformed(MalformedReason),
    Envelope(serde_json::Error),
    Timestamp(time::error::Parse),
    Skew { seconds: u64, tolerance: u64 },
    BodyLimit { limit: usize },
    Body(Box<dyn StdError + Send + Sync>),
}

impl VerifyError {
    fn new(kind: ErrorKind, detail: Detail) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                detail,
                event_id: None,
            }),
        }
    }

    pub(crate) fn missing_header() -> Self {
        Self::new(ErrorKind::MissingHeader, Detail::None)
    }

    pub(crate) fn duplicate_header() -> Self {
        Self::new(ErrorKind::DuplicateHeader, Detail::None)
    }

    pub(crate) fn malformed(reason: MalformedReason) -> Self {
        Self::new(ErrorKind::MalformedHeader, Detail::Malformed(reason))
    }

    pub(crate) fn secret_not_configured() -> Self {
        Self::new(ErrorKind::SecretNotConfigured, Detail::None)
    }

    pub(crate) fn mismatch() -> Self {
        Self::new(ErrorKind::SignatureMismatch, Detail::None)
    }

    pub(crate) fn envelope(error: serde_json::Error) -> Self {
        Self::new(ErrorKind::InvalidEnvelope, Detail::Envelope(error))
    }

    pub(crate) fn timestamp(error: time::error::Parse) -> Self {
        Self::new(ErrorKind::InvalidTimestamp, Detail::Timestamp(error))
    }

    pub(crate) fn too_old(seconds: u64, tolerance: u64) -> Self {
        Self::new(
            ErrorKind::TimestampTooOld,
            Detail::Skew { seconds, tolerance },
        )
    }

    pub(crate) fn in_future(seconds: u64, tolerance: u64) -> Self {
        Self::new(
            ErrorKind::TimestampInFuture,
            Detail::Skew { seconds, tolerance },
        )
    }

    #[cfg_attr(not(feature = "tower"), allow(dead_code))]
    pub(crate) fn body_too_large(limit: usize) -> Self {
        Self::new(ErrorKind::BodyTooLarge, Detail::BodyLimit { limit })
    }

    #[cfg_attr(not(feature = "tower"), allow(dead_code))]
    pub(crate) fn body_unreadable(error: Box<dyn StdError + Send + Sync>) -> Self {
        Self::new(ErrorKind::BodyUnreadable, Detail::Body(error))
    }

    #[cfg_attr(not(feature = "axum"), allow(dead_code))]
    pub(crate) fn unexpected_payload(error: serde_json::Error) -> Self {
        Self::new(ErrorKind::UnexpectedPayload, Detail::Envelope(error))
    }

    pub(crate) fn with_event_id(mut self, event_id: &str) -> Self {
        self.inner.event_id = Some(event_id.to_owned());
        self
    }

    /// Returns what failed.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// Returns the HTTP status for this error; see [`ErrorKind::status`].
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.inner.kind.status()
    }

    /// Returns the `event_id` of the delivery, when the body was authenticated and
    /// held one before the error occurred.
    #[must_use]
    pub fn event_id(&self) -> Option<&str> {
        self.inner.event_id.as_deref()
    }

    /// Returns which rule the header value breaks, for [`ErrorKind::MalformedHeader`].
    #[must_use]
    pub fn malformed_reason(&self) -> Option<MalformedReason> {
        match self.inner.detail {
            Detail::Malformed(reason) => Some(reason),
            _ => None,
        }
    }

    /// Returns the 1-based line and column where the body failed to parse, for
    /// [`ErrorKind::InvalidEnvelope`] and [`ErrorKind::UnexpectedPayload`].
    ///
    /// Both are 0 when the failure is not tied to a position, such as a missing field.
    #[must_use]
    pub fn envelope_position(&self) -> Option<(usize, usize)> {
        match &self.inner.detail {
            Detail::Envelope(error) => Some((error.line(), error.column())),
            _ => None,
        }
    }

    /// Returns the difference between the envelope `timestamp` and the receiver's
    /// clock in whole seconds, for the two timestamp-window kinds.
    #[must_use]
    pub fn clock_skew_seconds(&self) -> Option<u64> {
        match self.inner.detail {
            Detail::Skew { seconds, .. } => Some(seconds),
            _ => None,
        }
    }

    /// Returns the message with the values a JSON parser quotes from the body, such
    /// as SMS text or a phone number, replaced by `…`.
    ///
    /// Log lines and problem+json responses use this form; `Display` keeps the values
    /// for the receiver's own diagnosis.
    pub(crate) fn redacted_message(&self) -> String {
        redact_values(&self.to_string())
    }
}

/// Kinds of value that serde quotes in backticks, such as ``integer `14155552671` ``.
/// Field names also appear in backticks (``missing field `body` ``) and are kept.
const BACKTICK_VALUE_KINDS: &[&str] = &[
    "integer ",
    "floating point ",
    "boolean ",
    "character ",
    "number ",
];

/// Replaces the values quoted in a parser message by `…`.
///
/// serde writes an unexpected string as `string "<value>"`, escaping inner quotes,
/// and other values as ``integer `<value>` ``. Every double-quoted run is replaced,
/// and so is every backtick-quoted run that follows a value kind.
pub(crate) fn redact_values(message: &str) -> String {
    let mut redacted = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find(['"', '`']) {
        let before = &rest[..open];
        redacted.push_str(before);
        let quote = &rest[open..=open];
        let after_open = &rest[open + 1..];
        let close = if quote == "\"" {
            find_closing_quote(after_open)
        } else {
            after_open.find('`')
        };
        let is_value = quote == "\""
            || BACKTICK_VALUE_KINDS
                .iter()
                .any(|kind| redacted.ends_with(kind));

        match close {
            Some(close) if !is_value => {
                redacted.push_str(quote);
                redacted.push_str(&after_open[..=close]);
                rest = &after_open[close + 1..];
            }
            Some(close) => {
                redacted.push_str(quote);
                redacted.push('…');
                redacted.push_str(quote);
                rest = &after_open[close + 1..];
            }
            None => {
                redacted.push_str(quote);
                redacted.push('…');
                redacted.push_str(quote);
                rest = "";
            }
        }
    }
    redacted.push_str(rest);
    redacted
}

/// Returns the index of the first quote in `text` that is not escaped by a backslash.
fn find_closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (index, character) in text.char_indices() {
        match character {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(index),
            _ => escaped = false,
        }
    }
    None
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.inner.kind, &self.inner.detail) {
            (ErrorKind::MissingHeader, _) => f.write_str(
                "missing X-ReachCell-Signature header: ReachCell signs every delivery, so the \
                 request did not come from ReachCell or a proxy removed the header",
            ),
            (ErrorKind::DuplicateHeader, _) => f.write_str(
                "more than one X-ReachCell-Signature header: ReachCell sends exactly one",
            ),
            (ErrorKind::MalformedHeader, Detail::Malformed(reason)) => write!(
                f,
                "malformed X-ReachCell-Signature header: {reason}; expected `sha256=` followed \
                 by 64 hex digits"
            ),
            (ErrorKind::SignatureMismatch, _) => f.write_str(
                "signature does not match the body: check that the verifier uses the secret \
                 ReachCell returned for this endpoint and that it gets the raw body unmodified",
            ),
            (ErrorKind::InvalidEnvelope, Detail::Envelope(error)) => match error.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    write!(f, "the body is not valid JSON: {error}")
                }
                _ => write!(f, "invalid event envelope: {error}"),
            },
            (ErrorKind::InvalidTimestamp, Detail::Timestamp(error)) => write!(
                f,
                "invalid envelope timestamp: {error}; expected an RFC 3339 date and time such \
                 as 2026-06-08T14:02:11Z"
            ),
            (ErrorKind::TimestampTooOld, Detail::Skew { seconds, tolerance }) => write!(
                f,
                "event timestamp is {seconds} s older than the receiver clock, beyond the \
                 tolerance of {tolerance} s: the delivery is stale or replayed, or the \
                 receiver clock is wrong"
            ),
            (ErrorKind::TimestampInFuture, Detail::Skew { seconds, tolerance }) => write!(
                f,
                "event timestamp is {seconds} s ahead of the receiver clock, beyond the \
                 tolerance of {tolerance} s: check the receiver clock"
            ),
            (ErrorKind::BodyTooLarge, Detail::BodyLimit { limit }) => {
                write!(f, "request body is larger than the limit of {limit} bytes")
            }
            (ErrorKind::BodyUnreadable, Detail::Body(error)) => {
                write!(f, "failed to read the request body: {error}")
            }
            (ErrorKind::UnexpectedPayload, Detail::Envelope(error)) => write!(
                f,
                "the verified body does not match the handler's payload type: {error}"
            ),
            (ErrorKind::SecretNotConfigured, _) => f.write_str(
                "the receiver's webhook secret is empty: set it to the secret ReachCell \
                 returned when the endpoint was created",
            ),
            (kind, _) => write!(f, "webhook delivery rejected: {kind}"),
        }
    }
}

impl fmt::Debug for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyError")
            .field("kind", &self.inner.kind)
            .field("event_id", &self.inner.event_id)
            .field("message", &self.to_string())
            .finish()
    }
}

impl StdError for VerifyError {
    // The causes are already part of the Display text, so they are not returned
    // again here: a chain reporter would print them twice.
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        None
    }
}

/// A reason a [`Verifier`](crate::Verifier) or layer could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A secret is empty. ReachCell never issues empty secrets, so this is an unset
    /// variable or a configuration mistake.
    #[error(
        "a webhook secret is empty (position {index} among those given, from 0): set it to the secret ReachCell returned when the endpoint was created"
    )]
    EmptySecret {
        /// Position of the empty secret among those given, from 0.
        index: usize,
    },
    /// No secret was given to the builder.
    #[error("no webhook secret configured: add at least one with `VerifierBuilder::secret`")]
    NoSecret,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_values_removes_numbers_but_keeps_field_names() {
        let message =
            "invalid type: integer `14155552671`, expected a string; missing field `body`";
        assert_eq!(
            redact_values(message),
            "invalid type: integer `…`, expected a string; missing field `body`"
        );
        assert_eq!(
            redact_values("invalid type: floating point `1.5`, expected u64"),
            "invalid type: floating point `…`, expected u64"
        );
    }

    #[test]
    fn redact_quoted_removes_string_values() {
        let message =
            r#"invalid type: string "call me at +14155552671", expected a map at line 1 column 40"#;
        assert_eq!(
            redact_values(message),
            r#"invalid type: string "…", expected a map at line 1 column 40"#
        );
    }

    #[test]
    fn redact_quoted_handles_escaped_quotes() {
        let message = r#"string "say \"hi\" now", expected u64"#;
        assert_eq!(redact_values(message), r#"string "…", expected u64"#);
    }

    #[test]
    fn redact_quoted_handles_unclosed_quote() {
        assert_eq!(redact_values(r#"a "b"#), r#"a "…""#);
    }

    #[test]
    fn status_is_400_except_body_too_large() {
        assert_eq!(
            ErrorKind::SignatureMismatch.status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(ErrorKind::TimestampTooOld.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            ErrorKind::BodyTooLarge.status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }

    #[test]
    fn config_error_names_index() {
        let message = ConfigError::EmptySecret { index: 2 }.to_string();
        assert!(message.contains("position 2"), "{message}");
    }
}
