use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::*;

/// Every sample delivery, by file name.
const FIXTURES: &[(&str, &str)] = &[
    (
        "account.balance.low",
        include_str!("../../tests/data/events/account.balance.low.json"),
    ),
    (
        "account.suspended",
        include_str!("../../tests/data/events/account.suspended.json"),
    ),
    (
        "call.connected",
        include_str!("../../tests/data/events/call.connected.json"),
    ),
    (
        "call.ended",
        include_str!("../../tests/data/events/call.ended.json"),
    ),
    (
        "call.failed",
        include_str!("../../tests/data/events/call.failed.json"),
    ),
    (
        "call.incoming",
        include_str!("../../tests/data/events/call.incoming.json"),
    ),
    (
        "call.missed",
        include_str!("../../tests/data/events/call.missed.json"),
    ),
    (
        "call.rejected",
        include_str!("../../tests/data/events/call.rejected.json"),
    ),
    (
        "extra-fields",
        include_str!("../../tests/data/events/extra-fields.json"),
    ),
    (
        "number.assigned",
        include_str!("../../tests/data/events/number.assigned.json"),
    ),
    (
        "number.released",
        include_str!("../../tests/data/events/number.released.json"),
    ),
    (
        "sms.delivered",
        include_str!("../../tests/data/events/sms.delivered.json"),
    ),
    (
        "sms.failed",
        include_str!("../../tests/data/events/sms.failed.json"),
    ),
    (
        "sms.received",
        include_str!("../../tests/data/events/sms.received.json"),
    ),
    (
        "sms.sent",
        include_str!("../../tests/data/events/sms.sent.json"),
    ),
    (
        "unknown-type",
        include_str!("../../tests/data/events/unknown-type.json"),
    ),
    (
        "webhook.test",
        include_str!("../../tests/data/events/webhook.test.json"),
    ),
];

fn parse(json: &str) -> Event {
    serde_json::from_str(json).expect("valid event JSON")
}

fn fixture(name: &str) -> &'static str {
    FIXTURES
        .iter()
        .find(|(fixture, _)| *fixture == name)
        .map(|(_, json)| *json)
        .expect("fixture exists")
}

#[test]
fn every_known_fixture_parses_typed() {
    for (name, json) in FIXTURES {
        if *name == "unknown-type" {
            continue;
        }
        let event = parse(json);
        let known = event.data.known_type().expect("known type");
        assert!(
            !matches!(event.data, EventData::Unparsed { .. }),
            "{name}: {:?}",
            event.data
        );
        if *name != "extra-fields" {
            assert_eq!(known.as_str(), *name);
            assert_eq!(event.event_type(), *name);
        }
    }
}

#[test]
fn every_fixture_round_trips_without_loss() {
    for (name, json) in FIXTURES {
        let event = parse(json);
        let written = serde_json::to_value(&event).expect("serialisable");
        let original: Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(written, original, "{name}");
    }
}

#[test]
fn unknown_type_keeps_data() {
    let event = parse(fixture("unknown-type"));
    let EventData::Unknown { event_type, data } = &event.data else {
        panic!("expected Unknown, got {:?}", event.data);
    };
    assert_eq!(event_type, "sms.read");
    assert_eq!(event.event_type(), "sms.read");
    assert_eq!(
        data,
        &json!({"message_id": "x", "read_at": "2026-06-08T14:02:11Z"})
    );
    assert_eq!(event.data.known_type(), None);
}

#[test]
fn extra_fields_are_kept_at_both_levels() {
    let event = parse(fixture("extra-fields"));
    assert_eq!(event.extra.get("delivery_attempt"), Some(&json!(2)));

    let EventData::SmsReceived(sms) = &event.data else {
        panic!("expected SmsReceived, got {:?}", event.data);
    };
    assert_eq!(sms.body, "namaste नमस्ते");
    assert_eq!(sms.extra.get("segments"), Some(&json!(1)));
    assert_eq!(
        sms.extra.get("carrier"),
        Some(&json!({"name": "X", "mcc": "404"}))
    );
}

#[test]
fn timestamp_keeps_fraction_and_offset() {
    let event = parse(fixture("extra-fields"));
    assert_eq!(event.timestamp.nanosecond(), 123_456_000);
    assert_eq!(event.timestamp.offset().whole_minutes(), 5 * 60 + 30);
    let written = serde_json::to_value(&event).expect("serialisable");
    assert_eq!(written["timestamp"], "2026-06-08T14:02:11.123456+05:30");
}

#[test]
fn sms_received_fields_are_typed() {
    let event = parse(fixture("sms.received"));
    let EventData::SmsReceived(sms) = event.data else {
        panic!("expected SmsReceived");
    };
    assert_eq!(sms.from, "+14155553000");
    assert_eq!(sms.to, "+14155552671");
    assert_eq!(sms.body, "Hi, is the 3pm slot still free?");
    assert_eq!(
        sms.message_id.as_deref(),
        Some("9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5")
    );
    assert!(sms.extra.is_empty());
}

#[test]
fn call_ended_cost_is_exact_decimal() {
    let event = parse(fixture("call.ended"));
    let EventData::CallEnded(call) = event.data else {
        panic!("expected CallEnded");
    };
    assert_eq!(call.duration_seconds, 74);
    assert_eq!(call.cost_usd, Decimal::new(123, 4));
}

#[test]
fn balance_amounts_are_exact_decimals() {
    let event = parse(fixture("account.balance.low"));
    let EventData::AccountBalanceLow(balance) = event.data else {
        panic!("expected AccountBalanceLow");
    };
    assert_eq!(balance.balance_usd, Some(Decimal::new(45, 1)));
    assert_eq!(balance.threshold_usd, Some(Decimal::new(5, 0)));
}

#[test]
fn decimal_survives_digits_a_float_would_round() {
    let json = r#"{"event_id":"e","event_type":"call.ended","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"duration_seconds":1,"cost_usd":0.10000000000000000000000001}}"#;
    let event = parse(json);
    let EventData::CallEnded(call) = &event.data else {
        panic!("expected CallEnded, got {:?}", event.data);
    };
    assert_eq!(call.cost_usd.to_string(), "0.10000000000000000000000001");
    let written = serde_json::to_string(&event).expect("serialisable");
    assert!(
        written.contains("\"cost_usd\":0.10000000000000000000000001"),
        "{written}"
    );
}

#[test]
fn long_decimal_round_trips_through_text_exactly() {
    let json = r#"{"event_id":"01HX2","event_type":"account.balance.low","api_version":"v1","timestamp":"2026-06-09T12:04:11Z","data":{"balance_usd":-53050000000000000.181}}"#;
    let event = parse(json);
    let written = serde_json::to_string(&event).expect("serialisable");
    assert!(
        written.contains("\"balance_usd\":-53050000000000000.181"),
        "{written}"
    );

    let reparsed = parse(&written);
    assert_eq!(reparsed, event);
    let written_again = serde_json::to_string(&reparsed).expect("serialisable");
    assert_eq!(written_again, written);
}

#[test]
fn repeated_data_member_round_trips_to_same_json() {
    let json = r#"{"event_id":"","event_type":"sms.delivered","api_version":"v1","timestamp":"2426-06-08T14:02:11Z","data":{"mess":"671","status":"1415530","status":"d"}}"#;
    let event = parse(json);
    assert!(
        matches!(event.data, EventData::Unparsed { .. }),
        "a repeated member makes data untyped: {:?}",
        event.data
    );

    let written = serde_json::to_string(&event).expect("serialisable");
    let reparsed = parse(&written);
    let written_again = serde_json::to_string(&reparsed).expect("serialisable");
    let first: Value = serde_json::from_str(&written).expect("valid JSON");
    let second: Value = serde_json::from_str(&written_again).expect("valid JSON");
    assert_eq!(second, first);
    assert_eq!(first["data"]["status"], "d");
}

#[test]
fn missing_documented_field_falls_back_to_unparsed() {
    let json = r#"{"event_id":"evt_b12","event_type":"sms.received","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"from":"+15550100","to":"+15550199","text":"hello"}}"#;
    let event = parse(json);
    let EventData::Unparsed {
        event_type,
        data,
        error,
    } = &event.data
    else {
        panic!("expected Unparsed, got {:?}", event.data);
    };
    assert_eq!(*event_type, EventType::SmsReceived);
    assert_eq!(event.event_type(), "sms.received");
    assert_eq!(
        data,
        &json!({"from": "+15550100", "to": "+15550199", "text": "hello"})
    );
    assert!(error.message().contains("missing field `body`"), "{error}");
}

#[test]
fn wrong_field_type_falls_back_to_unparsed() {
    let json = r#"{"event_id":"e","event_type":"call.ended","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"duration_seconds":"74","cost_usd":0.5}}"#;
    let event = parse(json);
    let EventData::Unparsed { error, data, .. } = &event.data else {
        panic!("expected Unparsed, got {:?}", event.data);
    };
    assert_eq!(data["duration_seconds"], "74");
    assert_ne!(error.position(), (0, 0));
}

#[test]
fn money_as_string_falls_back_to_unparsed() {
    let json = r#"{"event_id":"e","event_type":"call.ended","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"duration_seconds":74,"cost_usd":"0.0123"}}"#;
    let event = parse(json);
    assert!(
        matches!(event.data, EventData::Unparsed { .. }),
        "{:?}",
        event.data
    );
}

#[test]
fn data_that_is_not_an_object_falls_back() {
    let json = r#"{"event_id":"e","event_type":"sms.received","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":"hello"}"#;
    let event = parse(json);
    let EventData::Unparsed { data, .. } = &event.data else {
        panic!("expected Unparsed, got {:?}", event.data);
    };
    assert_eq!(data, "hello");
}

#[test]
fn null_optional_field_is_absent_and_kept() {
    let json = r#"{"event_id":"e","event_type":"sms.sent","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"status":null}}"#;
    let event = parse(json);
    let EventData::SmsSent(sent) = &event.data else {
        panic!("expected SmsSent, got {:?}", event.data);
    };
    assert_eq!(sent.status, None);
    let written = serde_json::to_value(&event).expect("serialisable");
    assert_eq!(written["data"], json!({"status": null}));
}

#[test]
fn duplicate_data_field_falls_back() {
    let json = r#"{"event_id":"e","event_type":"call.incoming","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"from":"+1","from":"+2"}}"#;
    let event = parse(json);
    assert!(
        matches!(event.data, EventData::Unparsed { .. }),
        "{:?}",
        event.data
    );
}

#[test]
fn duplicate_envelope_member_is_an_error() {
    let json = r#"{"event_id":"e","event_type":"sms.sent","event_type":"call.missed","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{}}"#;
    let error = serde_json::from_str::<Event>(json).expect_err("duplicate member");
    assert!(
        error.to_string().contains("duplicate field `event_type`"),
        "{error}"
    );
}

#[test]
fn missing_envelope_member_is_an_error() {
    let json = r#"{"event_id":"e","event_type":"sms.sent","api_version":"v1","data":{}}"#;
    let error = serde_json::from_str::<Event>(json).expect_err("missing timestamp");
    assert!(
        error.to_string().contains("missing field `timestamp`"),
        "{error}"
    );
}

#[test]
fn escaped_event_type_is_recognised() {
    let json = r#"{"event_id":"e","event_type":"sms\u002esent","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{}}"#;
    let event = parse(json);
    assert_eq!(event.data.known_type(), Some(EventType::SmsSent));
}

#[test]
fn event_type_names_round_trip() {
    assert_eq!(EventType::ALL.len(), 15);
    for kind in EventType::ALL {
        let name = kind.to_string();
        assert_eq!(name.parse::<EventType>(), Ok(*kind));
        let json = serde_json::to_string(kind).expect("serialisable");
        assert_eq!(
            serde_json::from_str::<EventType>(&json).expect("known"),
            *kind
        );
    }
}

#[test]
fn unknown_event_type_name_is_an_error() {
    let error = "sms.read".parse::<EventType>().expect_err("unknown name");
    assert_eq!(error.to_string(), "unknown ReachCell event type `sms.read`");
}

#[test]
fn huge_number_survives_repeated_round_trips() {
    // Found by fuzzing: without correctly rounded float parsing (serde_json's
    // `float_roundtrip` feature), reading the written number back gave a float one
    // unit in the last place away.
    let json = r#"{"event_id":"01HX53S4T06","event_type":"cjll.ended","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"sall_id":"bv1","ti_seco":11111111111111111111111111111111111111111111148,"costconds":70123}}"#;
    let written = serde_json::to_value(parse(json)).expect("serialisable");
    let reread: Event = serde_json::from_value(written.clone()).expect("parses again");
    let written_again = serde_json::to_value(&reread).expect("serialisable");
    assert_eq!(written_again, written);
}
