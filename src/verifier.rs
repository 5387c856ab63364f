//! [`Verifier`]: checks a delivery's signature and timestamp and returns its event.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderMap;
use time::OffsetDateTime;

use crate::error::{ConfigError, VerifyError};
use crate::event::Event;
use crate::event::envelope::Envelope;
use crate::secret::Secret;
use crate::signature::{SIGNATURE_HEADER, Signature};

/// How far the envelope `timestamp` may be from the receiver's clock, in either
/// direction, unless configured otherwise.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// Checks ReachCell deliveries: the signature over the raw body, then the envelope,
/// then its `timestamp` against the clock.
///
/// Build it once and share it: each secret is turned into a keyed HMAC state when the
/// verifier is built, so a check costs one HMAC pass over the body. Cloning is cheap
/// (one reference count), and the verifier is `Send + Sync`.
///
/// ```
/// use reachcell_webhooks::{Verifier, sign};
/// use time::macros::datetime;
///
/// let verifier = Verifier::new("whsec_test_secret")?;
/// let body = br#"{"event_id":"evt_1","event_type":"webhook.test","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{}}"#;
/// let header = sign("whsec_test_secret", body);
///
/// let event = verifier.verify_at(&header, body, datetime!(2026-06-08 14:03:00 UTC))?;
/// assert_eq!(event.event_type(), "webhook.test");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

struct Inner {
    secrets: Vec<Secret>,
    tolerance: Option<time::Duration>,
    clock: Option<Clock>,
}

impl Verifier {
    /// Builds a verifier for one secret with the default tolerance and the system clock.
    ///
    /// # Errors
    ///
    /// Returns [`ConfigError::EmptySecret`] when `secret` is empty.
    pub fn new(secret: impl AsRef<[u8]>) -> Result<Self, ConfigError> {
        Self::builder().secret(secret).build()
    }

    /// Starts a builder for several secrets, another tolerance or another clock.
    pub fn builder() -> VerifierBuilder {
        VerifierBuilder::default()
    }

    /// Checks that `header_value` is a valid signature of `body`.
    ///
    /// It parses the header strictly (see [`Signature`]), computes HMAC-SHA256 over the
    /// body under each secret in turn, and compares in constant time. It does not read
    /// the body as JSON and allocates nothing on the heap unless it fails.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MalformedHeader`](crate::ErrorKind::MalformedHeader) or
    /// [`ErrorKind::SignatureMismatch`](crate::ErrorKind::SignatureMismatch).
    pub fn verify_signature(&self, header_value: &str, body: &[u8]) -> Result<(), VerifyError> {
        self.matching_secret(header_value, body).map(drop)
    }

    /// Checks the signature like [`Verifier::verify_signature`] and returns the
    /// position of the secret that signed the body, in the order they were added.
    ///
    /// During a secret rotation, once no delivery matches an old secret any more,
    /// that secret can be removed.
    ///
    /// # Errors
    ///
    /// The same as [`Verifier::verify_signature`].
    pub fn matching_secret(&self, header_value: &str, body: &[u8]) -> Result<usize, VerifyError> {
        self.check_signature(header_value.as_bytes(), body)
            .inspect_err(crate::log::rejected)
    }

    /// Verifies a delivery against the configured clock and returns its event.
    ///
    /// # Errors
    ///
    /// See [`Verifier::verify_at`].
    pub fn verify(&self, header_value: &str, body: &[u8]) -> Result<Event, VerifyError> {
        self.verify_at(header_value, body, self.now())
    }

    /// Verifies a delivery as of `now` and returns its event.
    ///
    /// The steps run in this order, and the first failure is returned. First the
    /// signature over the raw body is checked, then the envelope is parsed once, then
    /// its `timestamp` is compared with `now`. A timestamp exactly at the tolerance is
    /// accepted. Last, `data` is read into its typed struct, which never fails (see
    /// [`EventData`](crate::EventData)).
    ///
    /// # Errors
    ///
    /// An error whose [`kind`](VerifyError::kind) is one of `MalformedHeader`,
    /// `SignatureMismatch`, `InvalidEnvelope`, `InvalidTimestamp`, `TimestampTooOld`
    /// or `TimestampInFuture`.
    pub fn verify_at(
        &self,
        header_value: &str,
        body: &[u8],
        now: OffsetDateTime,
    ) -> Result<Event, VerifyError> {
        self.verify_delivery(Some(header_value.as_bytes()), body, now)
            .map(|(event, _)| event)
    }

    /// Verifies a delivery from its request headers and body, against the configured clock.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MissingHeader`](crate::ErrorKind::MissingHeader) when there is no
    /// `X-ReachCell-Signature` header, [`ErrorKind::DuplicateHeader`](crate::ErrorKind::DuplicateHeader)
    /// when there are several, and otherwise the errors of [`Verifier::verify_at`].
    pub fn verify_headers(&self, headers: &HeaderMap, body: &[u8]) -> Result<Event, VerifyError> {
        self.verify_request(headers, body).map(|(event, _)| event)
    }

    /// Verifies a delivery from its headers, returning the event and the position of
    /// the secret that signed it.
    pub(crate) fn verify_request(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(Event, usize), VerifyError> {
        let mut values = headers.get_all(SIGNATURE_HEADER).iter();
        let header_value = match (values.next(), values.next()) {
            (Some(value), None) => Some(value.as_bytes()),
            (None, _) => None,
            (Some(_), Some(_)) => {
                let error = VerifyError::duplicate_header();
                crate::log::rejected(&error);
                return Err(error);
            }
        };
        self.verify_delivery(header_value, body, self.now())
    }

    fn verify_delivery(
        &self,
        header_value: Option<&[u8]>,
        body: &[u8],
        now: OffsetDateTime,
    ) -> Result<(Event, usize), VerifyError> {
        self.check_delivery(header_value, body, now)
            .inspect_err(crate::log::rejected)
    }

    fn check_delivery(
        &self,
        header_value: Option<&[u8]>,
        body: &[u8],
        now: OffsetDateTime,
    ) -> Result<(Event, usize), VerifyError> {
        let header_value = header_value.ok_or_else(VerifyError::missing_header)?;
        let secret_index = self.check_signature(header_value, body)?;

        let envelope = Envelope::parse(body)?;
        let timestamp = envelope
            .timestamp()
            .map_err(|error| VerifyError::timestamp(error).with_event_id(&envelope.event_id))?;
        self.check_window(timestamp, now)
            .map_err(|error| error.with_event_id(&envelope.event_id))?;

        if secret_index > 0 {
            tracing::debug!(
                target: "reachcell_webhooks",
                event_id = envelope.event_id.as_str(),
                secret_index,
                "delivery signed with a secret other than the first; it cannot be retired yet"
            );
        }

        Ok((envelope.into_event(timestamp), secret_index))
    }

    fn check_signature(&self, header_value: &[u8], body: &[u8]) -> Result<usize, VerifyError> {
        let signature = Signature::parse_bytes(header_value)?;
        self.inner
            .secrets
            .iter()
            .position(|secret| signature.matches(&secret.tag(body)))
            .ok_or_else(VerifyError::mismatch)
    }

    fn check_window(
        &self,
        timestamp: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<(), VerifyError> {
        let Some(tolerance) = self.inner.tolerance else {
            return Ok(());
        };

        let age = now - timestamp;
        let tolerance_seconds = tolerance.whole_seconds().unsigned_abs();
        if age > tolerance {
            return Err(VerifyError::too_old(ceil_seconds(age), tolerance_seconds));
        }
        if -age > tolerance {
            return Err(VerifyError::in_future(
                ceil_seconds(-age),
                tolerance_seconds,
            ));
        }
        Ok(())
    }

    fn now(&self) -> OffsetDateTime {
        match &self.inner.clock {
            Some(clock) => clock(),
            None => OffsetDateTime::now_utc(),
        }
    }
}

/// Rounds a positive duration up to whole seconds, so that a timestamp 300.4 s old
/// is reported as 301 s against a 300 s tolerance.
fn ceil_seconds(duration: time::Duration) -> u64 {
    let whole = duration.whole_seconds().unsigned_abs();
    if duration.subsec_nanoseconds() == 0 {
        whole
    } else {
        whole.saturating_add(1)
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &self.inner.secrets.len())
            .field("tolerance", &self.inner.tolerance)
            .field("custom_clock", &self.inner.clock.is_some())
            .finish()
    }
}

/// Builds a [`Verifier`] with several secrets, another tolerance or another clock.
///
/// ```
/// use std::time::Duration;
/// use reachcell_webhooks::Verifier;
///
/// let verifier = Verifier::builder()
///     .secret("whsec_new")   // index 0
///     .secret("whsec_old")   // index 1: still accepted during the rotation
///     .tolerance(Duration::from_secs(120))
///     .build()?;
/// # Ok::<(), reachcell_webhooks::ConfigError>(())
/// ```
#[must_use]
pub struct VerifierBuilder {
    secrets: Vec<Secret>,
    empty_secret: Option<usize>,
    tolerance: Option<Duration>,
    clock: Option<Clock>,
}

impl Default for VerifierBuilder {
    fn default() -> Self {
        Self {
            secrets: Vec::new(),
            empty_secret: None,
            tolerance: Some(DEFAULT_TOLERANCE),
            clock: None,
        }
    }
}

impl VerifierBuilder {
    /// Adds a secret. A delivery signed with any added secret is accepted, so add the
    /// new secret and keep the old one while ReachCell switches over.
    pub fn secret(mut self, secret: impl AsRef<[u8]>) -> Self {
        match Secret::new(secret) {
            Ok(secret) => self.secrets.push(secret),
            // Only the first empty secret is reported; its position counts the
            // secrets added before it, all of them valid.
            Err(_) => {
                self.empty_secret.get_or_insert(self.secrets.len());
            }
        }
        self
    }

    /// Adds several secrets, in order; see [`VerifierBuilder::secret`].
    pub fn secrets<I>(self, secrets: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        secrets.into_iter().fold(self, Self::secret)
    }

    /// Sets how far the envelope `timestamp` may be from the clock, in the past or in
    /// the future. The default is [`DEFAULT_TOLERANCE`], 5 minutes.
    ///
    /// Together with replay protection by event id, the tolerance bounds how long a
    /// captured delivery can be replayed.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = Some(tolerance);
        self
    }

    /// Accepts any envelope `timestamp`, however old.
    ///
    /// A captured delivery can then be replayed forever unless something else, such
    /// as replay protection by event id, rejects it. Use it to re-verify stored
    /// deliveries, not for a live endpoint.
    pub fn disable_timestamp_check(mut self) -> Self {
        self.tolerance = None;
        self
    }

    /// Sets the clock that [`Verifier::verify`] compares timestamps with, instead of
    /// the system clock.
    pub fn clock(mut self, clock: impl Fn() -> OffsetDateTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Builds the verifier.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NoSecret`] when no secret was added, and
    /// [`ConfigError::EmptySecret`] when one of them is empty.
    pub fn build(self) -> Result<Verifier, ConfigError> {
        if let Some(index) = self.empty_secret {
            return Err(ConfigError::EmptySecret { index });
        }
        if self.secrets.is_empty() {
            return Err(ConfigError::NoSecret);
        }

        let tolerance = self
            .tolerance
            .map(|tolerance| time::Duration::try_from(tolerance).unwrap_or(time::Duration::MAX));
        Ok(Verifier {
            inner: Arc::new(Inner {
                secrets: self.secrets,
                tolerance,
                clock: self.clock,
            }),
        })
    }
}

impl fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("secrets", &self.secrets.len())
            .field("tolerance", &self.tolerance)
            .field("custom_clock", &self.clock.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests;
