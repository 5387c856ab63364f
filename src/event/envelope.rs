//! The event envelope: the JSON object around every delivery's `data`.

use std::borrow::Borrow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Event, EventData};
use crate::error::VerifyError;

/// A map key or short string, borrowed from the body when it contains no escapes.
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Borrowed(text) => text,
            Self::Owned(text) => text,
        }
    }

    pub(crate) fn into_string(self) -> String {
        match self {
            Self::Borrowed(text) => text.to_owned(),
            Self::Owned(text) => text,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(text))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(text.to_owned()))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(text))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// An envelope read in one pass, with `data` kept as raw JSON until the event type
/// is known (the keys may come in any order).
pub(crate) struct Envelope<'de, Data> {
    pub(crate) event_id: String,
    pub(crate) event_type: Key<'de>,
    pub(crate) api_version: String,
    pub(crate) timestamp: Key<'de>,
    pub(crate) data: Data,
    pub(crate) extra: Map<String, Value>,
}

impl<'de> Envelope<'de, &'de RawValue> {
    /// Parses a delivery body, borrowing `data` from it.
    pub(crate) fn parse(body: &'de [u8]) -> Result<Self, VerifyError> {
        serde_json::from_slice(body).map_err(VerifyError::envelope)
    }
}

impl<Data: Borrow<RawValue>> Envelope<'_, Data> {
    /// Parses the `timestamp` field as RFC 3339.
    pub(crate) fn timestamp(&self) -> Result<OffsetDateTime, time::error::Parse> {
        OffsetDateTime::parse(self.timestamp.as_str(), &Rfc3339)
    }

    /// Builds the event, reading `data` into the struct of its type.
    pub(crate) fn into_event(self, timestamp: OffsetDateTime) -> Event {
        let data =
            EventData::from_raw(self.event_type.as_str(), &self.event_id, self.data.borrow());
        Event {
            event_id: self.event_id,
            api_version: self.api_version,
            timestamp,
            data,
            extra: self.extra,
        }
    }
}

/// The envelope members that every delivery carries.
const FIELDS: &[&str] = &["event_id", "event_type", "api_version", "timestamp", "data"];

impl<'de, Data: Deserialize<'de>> Deserialize<'de> for Envelope<'de, Data> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EnvelopeVisitor(std::marker::PhantomData))
    }
}

struct EnvelopeVisitor<Data>(std::marker::PhantomData<Data>);

/// Stores a member's value, rejecting a second occurrence: two `event_type` keys
/// would let two JSON parsers disagree on what the signed body contains.
fn set_once<T, E: de::Error>(slot: &mut Option<T>, value: T, name: &'static str) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(value);
    Ok(())
}

impl<'de, Data: Deserialize<'de>> Visitor<'de> for EnvelopeVisitor<Data> {
    type Value = Envelope<'de, Data>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event envelope object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut event_id = None;
        let mut event_type = None;
        let mut api_version = None;
        let mut timestamp = None;
        let mut data = None;
        let mut extra = Map::new();

        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.as_str() {
                "event_id" => set_once(&mut event_id, map.next_value()?, "event_id")?,
                "event_type" => set_once(&mut event_type, map.next_value()?, "event_type")?,
                "api_version" => set_once(&mut api_version, map.next_value()?, "api_version")?,
                "timestamp" => set_once(&mut timestamp, map.next_value()?, "timestamp")?,
                "data" => set_once(&mut data, map.next_value()?, "data")?,
                _ => {
                    let value = map.next_value()?;
                    let name = key.into_string();
                    if extra.contains_key(&name) {
                        return Err(de::Error::custom(format_args!(
                            "duplicate field \"{}\"",
                            name.escape_debug()
                        )));
                    }
                    extra.insert(name, value);
                }
            }
        }

        let missing = |name: &'static str| de::Error::missing_field(name);
        Ok(Envelope {
            event_id: event_id.ok_or_else(|| missing(FIELDS[0]))?,
            event_type: event_type.ok_or_else(|| missing(FIELDS[1]))?,
            api_version: api_version.ok_or_else(|| missing(FIELDS[2]))?,
            timestamp: timestamp.ok_or_else(|| missing(FIELDS[3]))?,
            data: data.ok_or_else(|| missing(FIELDS[4]))?,
            extra,
        })
    }
}

impl<'de> Deserialize<'de> for Event {
    /// Reads an event from JSON without checking any signature or timestamp.
    ///
    /// Use it for events that were verified before they were stored, such as the raw
    /// body of a verified delivery taken from a queue. It supports `serde_json` only,
    /// because `data` is read as raw JSON.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let envelope = Envelope::<'de, Box<RawValue>>::deserialize(deserializer)?;
        let timestamp = envelope.timestamp().map_err(|error| {
            de::Error::custom(format_args!("invalid envelope timestamp: {error}"))
        })?;
        Ok(envelope.into_event(timestamp))
    }
}
