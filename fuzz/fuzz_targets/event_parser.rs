//! Feeds arbitrary bytes to the typed event parser, `serde_json::from_slice::<Event>`.
//!
//! The verifier reads bodies of the common shape with its own reader and all others
//! with serde_json. For every input, a verified delivery of it must give the same
//! event as `from_slice`, or both must fail.
//!
//! For every input that parses, the event must survive a round trip:
//! - serialising it to text, parsing the text and serialising again gives the same
//!   text. Events are compared as JSON because an `Unparsed` event's error contains a
//!   line and column, which change when the serialiser writes escapes differently;
//! - every envelope member other than the five known ones is kept with its value;
//! - the `data` of an unknown event type is kept whole;
//! - every non-null member of a known type's `data` object is kept with its value;
//!   numbers are compared by value, because typed fields may write them another way.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reachcell_webhooks::{Event, EventData, Verifier, sign};
use serde_json::Value;

/// Envelope members that `Event` reads into its own fields.
const ENVELOPE_FIELDS: [&str; 5] = ["event_id", "event_type", "api_version", "timestamp", "data"];

fuzz_target!(|data: &[u8]| {
    let parsed = serde_json::from_slice::<Event>(data);
    let verifier = Verifier::builder()
        .secret("whsec_fuzz")
        .disable_timestamp_check()
        .build()
        .expect("the secret is not empty");
    let verified = verifier.verify(&sign("whsec_fuzz", data), data);
    match (&verified, &parsed) {
        (Ok(verified), Ok(parsed)) => assert_eq!(verified, parsed, "the two readers disagree"),
        (Err(_), Err(_)) => {}
        (Ok(_), Err(error)) => panic!("verified, but from_slice fails: {error}"),
        (Err(error), Ok(_)) => panic!("from_slice parses, but verification fails: {error}"),
    }
    let Ok(event) = parsed else {
        return;
    };

    // The round trip goes through JSON text, as a stored event does: a `Value` in
    // between would store numbers as f64 and could round a 20-digit decimal. The two
    // texts are compared as JSON values, because the order of members can change when
    // a repeated member made `data` untyped the first time.
    let text = serde_json::to_string(&event).expect("a parsed event serialises");
    let reparsed: Event = serde_json::from_str(&text).expect("the serialised event parses again");
    let text_again = serde_json::to_string(&reparsed).expect("a parsed event serialises");
    let output: Value = serde_json::from_str(&text).expect("the serialised event is JSON");
    let output_again: Value =
        serde_json::from_str(&text_again).expect("the serialised event is JSON");
    assert_eq!(output_again, output, "the round trip changed the event");
    assert_eq!(reparsed.event_id, event.event_id);
    assert_eq!(reparsed.event_type(), event.event_type());
    assert_eq!(reparsed.timestamp, event.timestamp);

    // JSON with duplicate keys has no single meaning, so only the value-level checks
    // below are skipped for it; the round trip above still ran.
    let Ok(input) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if has_duplicate_keys(data) {
        return;
    }

    // Only objects carry named members to compare.
    let Some(input) = input.as_object() else {
        return;
    };
    let output = output
        .as_object()
        .expect("an event serialises to a JSON object");
    for (key, value) in input {
        if ENVELOPE_FIELDS.contains(&key.as_str()) {
            continue;
        }
        assert_eq!(
            output.get(key),
            Some(value),
            "envelope member {key:?} was not kept"
        );
        assert_eq!(
            event.extra.get(key),
            Some(value),
            "envelope member {key:?} is not in extra"
        );
    }

    let input_data = input.get("data").expect("a parsed event has data");
    let output_data = output.get("data").expect("a serialised event has data");
    if matches!(event.data, EventData::Unknown { .. }) {
        assert_eq!(
            output_data, input_data,
            "the data of an unknown type changed"
        );
        return;
    }
    if let (Some(input_data), Some(output_data)) = (input_data.as_object(), output_data.as_object())
    {
        for (key, value) in input_data {
            if value.is_null() {
                continue;
            }
            let written = output_data.get(key);
            // A typed number field is written back in its own form (`0e00` comes
            // back as `0`), so numbers are compared by value.
            if let (Some(written), Some(sent)) = (written.and_then(Value::as_f64), value.as_f64()) {
                assert_eq!(written, sent, "data member {key:?} changed value");
                continue;
            }
            assert_eq!(written, Some(value), "data member {key:?} was not kept");
        }
    }
});

/// Returns whether any JSON object in `data` repeats a key.
fn has_duplicate_keys(data: &[u8]) -> bool {
    struct Checker(bool);

    impl<'de> serde::de::Visitor<'de> for &mut Checker {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(&mut *self)?.is_some() {}
            Ok(())
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut keys = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !keys.insert(key) {
                    self.0 = true;
                }
                map.next_value_seed(&mut *self)?;
            }
            Ok(())
        }
    }

    impl<'de> serde::de::DeserializeSeed<'de> for &mut Checker {
        type Value = ();

        fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    let mut checker = Checker(false);
    let mut deserializer = serde_json::Deserializer::from_slice(data);
    serde::de::DeserializeSeed::deserialize(&mut checker, &mut deserializer).is_ok() && checker.0
}
