use std::time::Duration;

use http::{HeaderMap, HeaderValue};
use time::OffsetDateTime;
use time::macros::datetime;

use super::*;
use crate::{ErrorKind, EventData, MalformedReason, sign};

const SECRET: &str = "whsec_test_secret";
const BODY: &[u8] = br#"{"event_id":"evt_1","event_type":"webhook.test","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{}}"#;
const SIGNED_AT: OffsetDateTime = datetime!(2026-06-08 14:02:11 UTC);

fn verifier() -> Verifier {
    Verifier::new(SECRET).expect("valid secret")
}

fn kind_at(body: &[u8], now: OffsetDateTime) -> ErrorKind {
    let header = sign(SECRET, body);
    verifier()
        .verify_at(&header, body, now)
        .expect_err("delivery must be rejected")
        .kind()
}

fn body_with(timestamp: &str) -> Vec<u8> {
    format!(
        r#"{{"event_id":"evt_t","event_type":"sms.sent","api_version":"v1","timestamp":"{timestamp}","data":{{}}}}"#
    )
    .into_bytes()
}

#[test]
fn genuine_delivery_is_accepted() {
    let header = sign(SECRET, BODY);
    let event = verifier()
        .verify_at(&header, BODY, SIGNED_AT)
        .expect("genuine");
    assert_eq!(event.event_id, "evt_1");
    assert!(matches!(event.data, EventData::WebhookTest(_)));
}

#[test]
fn signature_only_check_accepts_any_bytes() {
    let body = [0xff, 0x00, 0xfe];
    let header = sign(SECRET, &body);
    assert!(verifier().verify_signature(&header, &body).is_ok());
}

#[test]
fn forged_signature_is_mismatch() {
    let header = sign("whsec_other", BODY);
    let error = verifier()
        .verify_at(&header, BODY, SIGNED_AT)
        .expect_err("forged");
    assert_eq!(error.kind(), ErrorKind::SignatureMismatch);
    assert_eq!(error.event_id(), None);
}

#[test]
fn altered_body_is_mismatch() {
    let header = sign(SECRET, BODY);
    let mut altered = BODY.to_vec();
    altered[15] ^= 1;
    let error = verifier()
        .verify_at(&header, &altered, SIGNED_AT)
        .expect_err("altered");
    assert_eq!(error.kind(), ErrorKind::SignatureMismatch);
}

#[test]
fn malformed_header_is_reported_before_mac() {
    let error = verifier()
        .verify_at("sha256=abc", BODY, SIGNED_AT)
        .expect_err("short");
    assert_eq!(error.kind(), ErrorKind::MalformedHeader);
    assert_eq!(
        error.malformed_reason(),
        Some(MalformedReason::WrongLength { digits: 3 })
    );
}

#[test]
fn non_json_body_is_invalid_envelope() {
    let error = verifier()
        .verify_at(&sign(SECRET, b"hello"), b"hello", SIGNED_AT)
        .expect_err("not JSON");
    assert_eq!(error.kind(), ErrorKind::InvalidEnvelope);
    assert_eq!(error.envelope_position(), Some((1, 1)));
    assert!(error.to_string().contains("line 1 column 1"), "{error}");
}

#[test]
fn missing_member_is_invalid_envelope() {
    let body = br#"{"event_id":"e","event_type":"sms.sent","api_version":"v1","data":{}}"#;
    let error = verifier()
        .verify_at(&sign(SECRET, body), body, SIGNED_AT)
        .expect_err("no timestamp");
    assert_eq!(error.kind(), ErrorKind::InvalidEnvelope);
    assert!(
        error.to_string().contains("missing field `timestamp`"),
        "{error}"
    );
}

#[test]
fn empty_body_is_invalid_envelope() {
    assert_eq!(kind_at(b"", SIGNED_AT), ErrorKind::InvalidEnvelope);
}

#[test]
fn unparsable_timestamp_is_invalid_timestamp() {
    let body = body_with("yesterday");
    let header = sign(SECRET, &body);
    let error = verifier()
        .verify_at(&header, &body, SIGNED_AT)
        .expect_err("bad timestamp");
    assert_eq!(error.kind(), ErrorKind::InvalidTimestamp);
    assert_eq!(error.event_id(), Some("evt_t"));
}

#[test]
fn timestamp_without_offset_is_invalid() {
    assert_eq!(
        kind_at(&body_with("2026-06-08T14:02:11"), SIGNED_AT),
        ErrorKind::InvalidTimestamp
    );
}

#[test]
fn timestamp_exactly_at_tolerance_is_accepted() {
    let header = sign(SECRET, BODY);
    let verifier = verifier();
    let limit = time::Duration::seconds(300);
    assert!(verifier.verify_at(&header, BODY, SIGNED_AT + limit).is_ok());
    assert!(verifier.verify_at(&header, BODY, SIGNED_AT - limit).is_ok());
}

#[test]
fn timestamp_one_second_past_tolerance_is_too_old() {
    let header = sign(SECRET, BODY);
    let now = SIGNED_AT + time::Duration::seconds(301);
    let error = verifier().verify_at(&header, BODY, now).expect_err("stale");
    assert_eq!(error.kind(), ErrorKind::TimestampTooOld);
    assert_eq!(error.clock_skew_seconds(), Some(301));
    assert_eq!(error.event_id(), Some("evt_1"));
    assert!(error.to_string().contains("301 s older"), "{error}");
}

#[test]
fn timestamp_beyond_tolerance_ahead_is_in_future() {
    let header = sign(SECRET, BODY);
    let now = SIGNED_AT - time::Duration::seconds(301);
    let error = verifier()
        .verify_at(&header, BODY, now)
        .expect_err("future");
    assert_eq!(error.kind(), ErrorKind::TimestampInFuture);
    assert_eq!(error.clock_skew_seconds(), Some(301));
}

#[test]
fn fractional_excess_rounds_up() {
    let body = body_with("2026-06-08T14:02:11.5Z");
    let now = datetime!(2026-06-08 14:07:11.6 UTC);
    let error = verifier()
        .verify_at(&sign(SECRET, &body), &body, now)
        .expect_err("300.1 s old");
    assert_eq!(error.clock_skew_seconds(), Some(301));
}

#[test]
fn offset_timestamp_is_compared_as_instant() {
    let body = body_with("2026-06-08T19:32:11+05:30");
    assert!(
        verifier()
            .verify_at(&sign(SECRET, &body), &body, SIGNED_AT)
            .is_ok()
    );
}

#[test]
fn custom_tolerance_applies() {
    let verifier = Verifier::builder()
        .secret(SECRET)
        .tolerance(Duration::from_secs(10))
        .build()
        .expect("valid config");
    let header = sign(SECRET, BODY);
    assert!(
        verifier
            .verify_at(&header, BODY, SIGNED_AT + time::Duration::seconds(10))
            .is_ok()
    );
    let error = verifier
        .verify_at(&header, BODY, SIGNED_AT + time::Duration::seconds(11))
        .expect_err("past 10 s");
    assert_eq!(error.kind(), ErrorKind::TimestampTooOld);
}

#[test]
fn disabled_timestamp_check_accepts_old_event() {
    let verifier = Verifier::builder()
        .secret(SECRET)
        .disable_timestamp_check()
        .build()
        .expect("valid config");
    let header = sign(SECRET, BODY);
    let years_later = datetime!(2036-01-01 00:00:00 UTC);
    assert!(verifier.verify_at(&header, BODY, years_later).is_ok());
}

#[test]
fn verify_uses_configured_clock() {
    let fixed = Verifier::builder()
        .secret(SECRET)
        .clock(|| datetime!(2026-06-08 14:03:00 UTC))
        .build()
        .expect("valid config");
    let header = sign(SECRET, BODY);
    assert!(fixed.verify(&header, BODY).is_ok());

    let system_clock = verifier();
    let error = system_clock
        .verify(&header, BODY)
        .expect_err("2026-06-08 is not now");
    assert!(
        matches!(
            error.kind(),
            ErrorKind::TimestampTooOld | ErrorKind::TimestampInFuture
        ),
        "{error}"
    );
}

#[test]
fn rotation_accepts_each_secret_and_reports_which() {
    let verifier = Verifier::builder()
        .secrets(["whsec_new", "whsec_old"])
        .build()
        .expect("valid config");
    assert_eq!(
        verifier
            .matching_secret(&sign("whsec_new", BODY), BODY)
            .ok(),
        Some(0)
    );
    assert_eq!(
        verifier
            .matching_secret(&sign("whsec_old", BODY), BODY)
            .ok(),
        Some(1)
    );
    let error = verifier
        .matching_secret(&sign("whsec_retired", BODY), BODY)
        .expect_err("unknown secret");
    assert_eq!(error.kind(), ErrorKind::SignatureMismatch);
}

#[test]
fn headers_missing_signature() {
    let error = verifier()
        .verify_headers(&HeaderMap::new(), BODY)
        .expect_err("no header");
    assert_eq!(error.kind(), ErrorKind::MissingHeader);
}

#[test]
fn headers_with_two_signatures() {
    let value = HeaderValue::from_str(&sign(SECRET, BODY)).expect("ASCII value");
    let mut headers = HeaderMap::new();
    headers.append(SIGNATURE_HEADER, value.clone());
    headers.append(SIGNATURE_HEADER, value);
    let error = verifier()
        .verify_headers(&headers, BODY)
        .expect_err("two headers");
    assert_eq!(error.kind(), ErrorKind::DuplicateHeader);
}

#[test]
fn headers_with_non_ascii_value() {
    let mut headers = HeaderMap::new();
    let value = HeaderValue::from_bytes(b"sha256=\xff").expect("opaque bytes are allowed");
    headers.insert(SIGNATURE_HEADER, value);
    let error = verifier()
        .verify_headers(&headers, BODY)
        .expect_err("bad bytes");
    assert_eq!(error.kind(), ErrorKind::MalformedHeader);
}

#[test]
fn empty_secret_is_rejected_when_built() {
    assert_eq!(
        Verifier::new("").expect_err("empty"),
        ConfigError::EmptySecret { index: 0 }
    );
    let error = Verifier::builder()
        .secrets(["ok", "", "also ok"])
        .build()
        .expect_err("empty");
    assert_eq!(error, ConfigError::EmptySecret { index: 1 });
    assert_eq!(
        Verifier::builder().build().expect_err("none"),
        ConfigError::NoSecret
    );
}

#[test]
fn one_shot_empty_secret_is_500() {
    let error = crate::verify("", &sign(SECRET, BODY), BODY).expect_err("empty secret");
    assert_eq!(error.kind(), ErrorKind::SecretNotConfigured);
    assert_eq!(error.status(), http::StatusCode::INTERNAL_SERVER_ERROR);
}

#[test]
fn debug_output_holds_no_secret() {
    let verifier = Verifier::builder()
        .secrets([SECRET, "whsec_old"])
        .build()
        .expect("valid");
    let printed = format!("{verifier:?} {:?}", Verifier::builder().secret(SECRET));
    assert!(!printed.contains("whsec"), "{printed}");
    assert!(printed.contains("secrets: 2"), "{printed}");
}

#[test]
fn errors_never_hold_expected_signature() {
    let expected = sign(SECRET, BODY);
    let expected_hex = &expected["sha256=".len()..];
    let forged = sign("whsec_other", BODY);
    let cases = [
        verifier().verify_at(&forged, BODY, SIGNED_AT),
        verifier().verify_at("sha256=abc", BODY, SIGNED_AT),
        verifier().verify_at(&expected, BODY, SIGNED_AT + time::Duration::hours(1)),
    ];
    for result in cases {
        let error = result.expect_err("rejected");
        let printed = format!("{error} {error:?}");
        assert!(!printed.contains(expected_hex), "{printed}");
        assert!(!printed.contains(SECRET), "{printed}");
    }
}

#[test]
fn shared_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Verifier>();
    assert_send_sync::<VerifyError>();
    assert_send_sync::<Event>();
}

#[test]
fn data_before_event_type_is_typed() {
    let body = br#"{"data":{"from":"+14155553000"},"event_type":"call.incoming","event_id":"e","api_version":"v1","timestamp":"2026-06-08T14:02:11Z"}"#;
    let event = verifier()
        .verify_at(&sign(SECRET, body), body, SIGNED_AT)
        .expect("genuine");
    assert!(
        matches!(event.data, EventData::CallIncoming(_)),
        "{:?}",
        event.data
    );
}

#[test]
fn mismatched_data_is_unparsed_not_rejected() {
    let body = br#"{"event_id":"e","event_type":"sms.received","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"from":"+1","to":"+2","text":"hello"}}"#;
    let event = verifier()
        .verify_at(&sign(SECRET, body), body, SIGNED_AT)
        .expect("genuine");
    let EventData::Unparsed { data, .. } = &event.data else {
        panic!("expected Unparsed, got {:?}", event.data);
    };
    assert_eq!(data["text"], "hello");
}

#[test]
fn broken_envelope_after_typed_data_is_rejected() {
    let body = br#"{"event_id":"e","event_type":"sms.sent","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{}"#;
    assert_eq!(kind_at(body, SIGNED_AT), ErrorKind::InvalidEnvelope);
}
