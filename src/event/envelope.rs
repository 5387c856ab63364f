//! The event envelope: the JSON object around every delivery's `data`.

use std::borrow::Borrow;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Event, EventData, EventType};
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

/// An envelope read in one pass over the body.
pub(crate) struct Envelope<'de, Raw> {
    pub(crate) event_id: String,
    pub(crate) event_type: Key<'de>,
    pub(crate) api_version: String,
    pub(crate) timestamp: Key<'de>,
    pub(crate) data: Data<Raw>,
    pub(crate) extra: Map<String, Value>,
}

/// The `data` member: typed while the envelope is read when `event_type` comes
/// before it, as ReachCell sends it, or kept as raw JSON until the type is known.
pub(crate) enum Data<Raw> {
    Typed(EventData),
    Raw(Raw),
}

impl<'de> Envelope<'de, &'de RawValue> {
    /// Parses a delivery body.
    ///
    /// A body in the shape ReachCell sends is read by [`flat::read`](super::flat::read).
    /// Any other goes to serde_json, whose first attempt reads `data` into its struct
    /// as it goes, which is one pass over the body. Should that fail, the body is read
    /// again with `data` kept raw, which separates a broken envelope from data that
    /// does not fit its struct. The latter becomes [`EventData::Unparsed`] instead of
    /// an error.
    pub(crate) fn parse(body: &'de [u8]) -> Result<Self, VerifyError> {
        // Both readers take a `str`, and checking UTF-8 once for the whole body is
        // cheaper than the check the JSON parser makes on every string. A body that
        // is not UTF-8 is still parsed from bytes, so the error reports where the
        // invalid bytes are.
        let Ok(text) = std::str::from_utf8(body) else {
            return parse_with(serde_json::Deserializer::from_slice(body), DataMode::Raw)
                .map_err(VerifyError::envelope);
        };
        if let Some(envelope) = super::flat::read(text) {
            return Ok(envelope);
        }
        Self::parse_with_serde(text)
    }

    /// Parses a UTF-8 body with serde_json, as [`Envelope::parse`] does for a body
    /// that [`flat::read`](super::flat::read) does not read.
    pub(crate) fn parse_with_serde(text: &'de str) -> Result<Self, VerifyError> {
        parse_with(
            serde_json::Deserializer::from_str(text),
            DataMode::TypedInPass,
        )
        .or_else(|_| parse_with(serde_json::Deserializer::from_str(text), DataMode::Raw))
        .map_err(VerifyError::envelope)
    }
}

/// The way the envelope visitor reads `data`.
#[derive(Clone, Copy)]
enum DataMode {
    /// Read `data` into its struct when `event_type` is already known.
    TypedInPass,
    /// Keep `data` as raw JSON.
    Raw,
}

fn parse_with<'de, R: serde_json::de::Read<'de>>(
    mut deserializer: serde_json::Deserializer<R>,
    mode: DataMode,
) -> Result<Envelope<'de, &'de RawValue>, serde_json::Error> {
    let visitor = EnvelopeVisitor {
        mode,
        raw: std::marker::PhantomData,
    };
    let envelope = serde::Deserializer::deserialize_map(&mut deserializer, visitor)?;
    deserializer.end()?;
    Ok(envelope)
}

impl<Raw: Borrow<RawValue>> Envelope<'_, Raw> {
    /// Parses the `timestamp` field as RFC 3339.
    pub(crate) fn timestamp(&self) -> Result<OffsetDateTime, time::error::Parse> {
        OffsetDateTime::parse(self.timestamp.as_str(), &Rfc3339)
    }

    /// Builds the event, reading raw `data` into the struct of its type.
    pub(crate) fn into_event(self, timestamp: OffsetDateTime) -> Event {
        let data = match self.data {
            Data::Typed(data) => data,
            Data::Raw(raw) => {
                EventData::from_raw(self.event_type.as_str(), &self.event_id, raw.borrow())
            }
        };
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

/// Reads `data` straight into the struct of a known event type, or into a
/// [`Value`] for an unknown one.
struct TypedDataSeed<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for TypedDataSeed<'_> {
    type Value = EventData;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<EventData, D::Error> {
        match self.0.parse::<EventType>() {
            Ok(known) => known.deserialize_data(deserializer),
            Err(_) => Ok(EventData::Unknown {
                event_type: self.0.to_owned(),
                data: Value::deserialize(deserializer)?,
            }),
        }
    }
}

struct EnvelopeVisitor<Raw> {
    mode: DataMode,
    raw: std::marker::PhantomData<Raw>,
}

/// Stores a member's value, rejecting a second occurrence: two `event_type` keys
/// would let two JSON parsers disagree on what the signed body contains.
fn set_once<T, E: de::Error>(slot: &mut Option<T>, value: T, name: &'static str) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(value);
    Ok(())
}

impl<'de, Raw: Deserialize<'de>> Visitor<'de> for EnvelopeVisitor<Raw> {
    type Value = Envelope<'de, Raw>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event envelope object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut event_id = None;
        let mut event_type: Option<Key<'de>> = None;
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
                "data" => {
                    let value = match (&event_type, self.mode) {
                        (Some(event_type), DataMode::TypedInPass) => {
                            Data::Typed(map.next_value_seed(TypedDataSeed(event_type.as_str()))?)
                        }
                        _ => Data::Raw(map.next_value()?),
                    };
                    set_once(&mut data, value, "data")?;
                }
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
        let visitor = EnvelopeVisitor::<Box<RawValue>> {
            mode: DataMode::Raw,
            raw: std::marker::PhantomData,
        };
        let envelope = deserializer.deserialize_map(visitor)?;
        let timestamp = envelope.timestamp().map_err(|error| {
            de::Error::custom(format_args!("invalid envelope timestamp: {error}"))
        })?;
        Ok(envelope.into_event(timestamp))
    }
}
