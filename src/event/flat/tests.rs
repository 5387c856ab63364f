use std::path::PathBuf;

use proptest::prelude::*;
use time::OffsetDateTime;
use time::macros::datetime;

use super::*;
use crate::Event;

/// Both readers' events are built with this timestamp, so any value works.
const TIMESTAMP: OffsetDateTime = datetime!(2026-06-08 14:02:11 UTC);

fn fixture(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "data", "events", name]
        .iter()
        .collect();
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn fixtures() -> Vec<(String, String)> {
    let directory: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "data", "events"]
        .iter()
        .collect();
    let mut names: Vec<String> = std::fs::read_dir(&directory)
        .expect("fixture directory")
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .into_string()
                .expect("UTF-8 name")
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let text = fixture(&name);
            (name, text)
        })
        .collect()
}

/// Reads `text` with this reader and, when it succeeds, checks that serde_json
/// gives the same event. Returns whether this reader read it.
fn read_and_compare(text: &str) -> bool {
    let Some(flat) = read(text) else {
        return false;
    };
    let serde = Envelope::parse_with_serde(text).unwrap_or_else(|error| {
        panic!("serde_json rejects what the flat reader read: {error}\n{text}")
    });
    assert_eq!(
        flat.event_type.as_str(),
        serde.event_type.as_str(),
        "{text}"
    );
    assert_eq!(flat.timestamp.as_str(), serde.timestamp.as_str(), "{text}");
    let flat: Event = flat.into_event(TIMESTAMP);
    let serde: Event = serde.into_event(TIMESTAMP);
    assert_eq!(flat, serde, "{text}");
    true
}

#[test]
fn known_fixtures_match_serde_json() {
    let mut read_names = Vec::new();
    for (name, text) in fixtures() {
        if read_and_compare(&text) {
            read_names.push(name);
        }
    }
    // Every fixture but the one with an unknown type and the one with members the
    // structs do not declare.
    let left: Vec<String> = fixtures()
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !read_names.contains(name))
        .collect();
    assert_eq!(left, ["extra-fields.json", "unknown-type.json"]);
}

#[test]
fn whitespace_between_tokens_is_read() {
    let text = "\r\n{ \"event_id\" :\t\"evt_1\" , \"event_type\": \"webhook.test\",\n \
                \"api_version\":\"v1\", \"timestamp\":\"2026-06-08T14:02:11Z\",\
                \"data\" : { \"webhook_id\" : 1 , \"message\":\"hi\" } }\n ";
    assert!(read_and_compare(text));
}

#[test]
fn members_in_another_order_are_read() {
    let text = r#"{"data":{"webhook_id":1},"timestamp":"2026-06-08T14:02:11Z","api_version":"v1","event_type":"webhook.test","event_id":"evt_1"}"#;
    assert!(read_and_compare(text));
}

#[test]
fn null_optional_field_goes_to_extra() {
    let text = r#"{"event_id":"evt_1","event_type":"call.missed","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"call_id":null,"from":"+14155553000","to":"+14155552671"}}"#;
    assert!(read_and_compare(text));
    let event = read(text).expect("flat shape").into_event(TIMESTAMP);
    let crate::EventData::CallMissed(call) = event.data else {
        panic!("call.missed expected");
    };
    assert_eq!(call.call_id, None);
    assert_eq!(call.extra.get("call_id"), Some(&serde_json::Value::Null));
}

fn webhook_test(data: &str) -> String {
    format!(
        r#"{{"event_id":"evt_1","event_type":"webhook.test","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{data}}}"#
    )
}

fn balance_low(amount: &str) -> String {
    format!(
        r#"{{"event_id":"evt_1","event_type":"account.balance.low","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{{"balance_usd":{amount},"threshold_usd":5}}}}"#
    )
}

#[test]
fn numbers_follow_the_json_grammar() {
    for valid in ["0", "4.5", "-4.50", "0.0123", "1e2", "1E+2", "25e-1", "-0"] {
        assert!(read_and_compare(&balance_low(valid)), "{valid} is read");
    }
    for invalid in [
        "01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "1.e5", "Infinity", "NaN",
    ] {
        assert!(read(&balance_low(invalid)).is_none(), "{invalid} is left");
        assert!(
            Envelope::parse_with_serde(&balance_low(invalid)).is_err(),
            "{invalid} is invalid JSON"
        );
    }
}

#[test]
fn other_shapes_are_left_to_serde_json() {
    let cases = [
        // An escape in a string.
        webhook_test(r#"{"message":"hi\u0021"}"#),
        webhook_test(r#"{"message":"hi\"there"}"#),
        // A raw control character in a string.
        webhook_test("{\"message\":\"hi\tthere\"}"),
        // A nested value, a boolean or a member no struct declares.
        webhook_test(r#"{"webhook_id":{"id":1}}"#),
        webhook_test(r#"{"webhook_id":[1]}"#),
        webhook_test(r#"{"webhook_id":1,"live":true}"#),
        webhook_test(r#"{"webhook_id":1,"note":"x"}"#),
        // A repeated member.
        webhook_test(r#"{"webhook_id":1,"webhook_id":2}"#),
        r#"{"event_id":"evt_1","event_id":"evt_2","event_type":"webhook.test","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{}}"#.to_owned(),
        // An unknown envelope member or event type, and data that is not an object.
        r#"{"event_id":"evt_1","event_type":"webhook.test","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{},"region":"eu"}"#.to_owned(),
        r#"{"event_id":"evt_1","event_type":"fax.received","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{}}"#.to_owned(),
        webhook_test("null"),
        webhook_test("[]"),
        // A string where a number belongs, a number where a string belongs, and a
        // required field that is missing or null.
        balance_low(r#""4.5""#),
        webhook_test(r#"{"message":5}"#),
        webhook_test(r#"{"webhook_id":"1"}"#),
        // An integer field given a sign, a fraction or an exponent.
        webhook_test(r#"{"webhook_id":-0}"#),
        webhook_test(r#"{"webhook_id":1.0}"#),
        webhook_test(r#"{"webhook_id":1e2}"#),
        r#"{"event_id":"evt_1","event_type":"sms.received","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"from":"+1","to":"+2"}}"#.to_owned(),
        r#"{"event_id":"evt_1","event_type":"sms.received","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"from":"+1","to":"+2","body":null}}"#.to_owned(),
        // Text after the object, a missing member, and broken syntax.
        format!("{} x", webhook_test("{}")),
        format!("{}{{}}", webhook_test("{}")),
        r#"{"event_id":"evt_1","event_type":"webhook.test","api_version":"v1","data":{}}"#.to_owned(),
        r#"{"event_id":"evt_1","event_type":"webhook.test","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{},}"#.to_owned(),
        r#"{"event_id":"evt_1" "event_type":"webhook.test"}"#.to_owned(),
        r#"{"event_id":"evt_1","event_type":"webhook.test","api_version":"v1","timestamp":"2026-06-08T14:02:11Z","data":{"webhook_id":1}"#.to_owned(),
        String::new(),
        "[]".to_owned(),
    ];
    for text in &cases {
        assert!(read(text).is_none(), "the flat reader must leave {text}");
    }
}

#[test]
fn oversized_data_is_left_to_serde() {
    let members: Vec<String> = (0..MAX_DATA_MEMBERS + 1)
        .map(|index| format!(r#""m{index}":"v""#))
        .collect();
    let text = webhook_test(&format!("{{{}}}", members.join(",")));
    assert!(read(&text).is_none());
}

/// Bytes that change the JSON structure or a token's meaning.
const INTERESTING: &[u8] = b"\"\\{}[],: \t\n0123456789-+.eEnul\x01\x1fa";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn agrees_with_serde_json_on_changed_fixtures(
        fixture_index in 0usize..17,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, prop::sample::select(INTERESTING)), 1..4),
    ) {
        let all = fixtures();
        let (_, text) = &all[fixture_index % all.len()];
        let mut bytes = text.clone().into_bytes();
        for (position, action, byte) in edits {
            let index = position.index(bytes.len() + 1);
            match action {
                0 if index < bytes.len() => bytes[index] = byte,
                1 => bytes.insert(index, byte),
                _ if index < bytes.len() => { bytes.remove(index); }
                _ => {}
            }
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            read_and_compare(text);
        }
    }
}

#[test]
fn special_byte_search_matches_a_byte_loop() {
    for length in 0..80 {
        for position in 0..length {
            for byte in 0..=u8::MAX {
                let mut bytes = vec![b'a'; length];
                bytes[position] = byte;
                // A second special byte after the first must not change the result.
                if position + 1 < length {
                    bytes[length - 1] = b'"';
                }
                let expected = bytes.iter().position(|&byte| is_special(byte));
                assert_eq!(
                    find_special_byte(&bytes),
                    expected,
                    "byte {byte:#04x} at {position} of {length}"
                );
            }
        }
    }
}

#[test]
fn integer_field_rejects_float_forms_in_serde_json() {
    for number in ["-0", "1.0", "1e2"] {
        let text = webhook_test(&format!(r#"{{"webhook_id":{number}}}"#));
        let event = Envelope::parse_with_serde(&text)
            .unwrap_or_else(|error| panic!("{number}: {error}"))
            .into_event(TIMESTAMP);
        assert!(
            matches!(event.data, crate::EventData::Unparsed { .. }),
            "{number}: {:?}",
            event.data
        );
    }
}
