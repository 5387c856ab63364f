//! The crate's log lines: one per rejection, with the reason and no personal data,
//! secret or signature.

use std::io::Write;
use std::sync::{Arc, Mutex};

use reachcell_webhooks::{EventData, Verifier, sign};
use time::macros::datetime;
use tracing_subscriber::fmt::MakeWriter;

const SECRET: &str = "whsec_logging_secret";
const SMS_TEXT: &str = "Your one-time code is 482910";
const PHONE: &str = "+14155553000";

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn lines(&self) -> Vec<String> {
        let bytes = self.0.lock().expect("not poisoned").clone();
        String::from_utf8(bytes)
            .expect("UTF-8 logs")
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// Runs `f` with a subscriber that records every level, and returns the lines.
fn capture(f: impl FnOnce()) -> Vec<String> {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, f);
    captured.lines()
}

fn verifier() -> Verifier {
    Verifier::builder()
        .secret(SECRET)
        .clock(|| datetime!(2026-06-08 14:02:30 UTC))
        .build()
        .expect("valid config")
}

fn sms(timestamp: &str) -> Vec<u8> {
    format!(
        r#"{{"event_id":"evt_log","event_type":"sms.received","api_version":"v1","timestamp":"{timestamp}","data":{{"from":"{PHONE}","to":"+14155552671","body":"{SMS_TEXT}"}}}}"#
    )
    .into_bytes()
}

fn assert_no_personal_data(lines: &[String]) {
    for line in lines {
        assert!(!line.contains(SMS_TEXT), "{line}");
        assert!(!line.contains(PHONE), "{line}");
        assert!(!line.contains(SECRET), "{line}");
    }
}

#[test]
fn mismatch_is_logged_once_without_signature() {
    let body = sms("2026-06-08T14:02:11Z");
    let expected = sign(SECRET, &body);
    let lines = capture(|| {
        let result = verifier().verify(&sign("whsec_forged", &body), &body);
        assert!(result.is_err());
    });

    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("WARN"), "{}", lines[0]);
    assert!(
        lines[0].contains("reason=\"signature_mismatch\""),
        "{}",
        lines[0]
    );
    assert!(
        !lines[0].contains(&expected["sha256=".len()..]),
        "{}",
        lines[0]
    );
    assert_no_personal_data(&lines);
}

#[test]
fn stale_delivery_is_logged_with_event_id() {
    let body = sms("2026-06-08T13:00:00Z");
    let lines = capture(|| {
        let result = verifier().verify(&sign(SECRET, &body), &body);
        assert!(result.is_err());
    });

    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("reason=\"timestamp_too_old\""),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("event_id=\"evt_log\""), "{}", lines[0]);
    assert_no_personal_data(&lines);
}

#[test]
fn envelope_error_does_not_echo_body_text() {
    // The parser names a repeated member in its message; here the name is SMS text.
    let body = format!(
        r#"{{"event_id":"evt_log","event_type":"sms.received","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{{}},"{SMS_TEXT}":1,"{SMS_TEXT}":2}}"#
    );
    let lines = capture(|| {
        let result = verifier().verify(&sign(SECRET, body.as_bytes()), body.as_bytes());
        assert!(result.is_err());
    });
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("reason=\"invalid_envelope\""),
        "{}",
        lines[0]
    );
    assert_no_personal_data(&lines);
}

#[test]
fn unparsed_data_warning_hides_sms_text() {
    let body = format!(
        r#"{{"event_id":"evt_log","event_type":"sms.received","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":"{SMS_TEXT} from {PHONE}"}}"#
    );
    let mut event = None;
    let lines = capture(|| {
        event = Some(verifier().verify(&sign(SECRET, body.as_bytes()), body.as_bytes()));
    });

    let event = event.expect("ran").expect("genuine delivery is accepted");
    assert!(
        matches!(event.data, EventData::Unparsed { .. }),
        "{:?}",
        event.data
    );
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("WARN"), "{}", lines[0]);
    assert!(
        lines[0].contains("event_type=\"sms.received\""),
        "{}",
        lines[0]
    );
    assert_no_personal_data(&lines);
}

#[test]
fn accepted_delivery_logs_nothing() {
    let body = sms("2026-06-08T14:02:11Z");
    let lines = capture(|| {
        assert!(verifier().verify(&sign(SECRET, &body), &body).is_ok());
    });
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn numeric_phone_number_is_redacted() {
    let digits = "14155553000";
    let body = format!(
        r#"{{"event_id":"evt_log","event_type":"sms.received","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{{"from":{digits},"to":"+1","body":"x"}}}}"#
    );
    let lines = capture(|| {
        let event = verifier().verify(&sign(SECRET, body.as_bytes()), body.as_bytes());
        assert!(event.is_ok());
    });
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("integer `…`"), "{}", lines[0]);
    assert!(!lines[0].contains(digits), "{}", lines[0]);
}
