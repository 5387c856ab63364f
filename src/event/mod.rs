//! Typed events: the envelope of every delivery and the `data` of each event type.
//!
//! [`Event`] is the envelope, and [`EventData`] has one variant per event type that
//! ReachCell documents, each with its own struct. Two variants make sure that no
//! genuine delivery is turned away or loses data:
//!
//! - [`EventData::Unknown`] contains an event type this crate does not know yet.
//! - [`EventData::Unparsed`] contains a known type whose `data` does not match its struct
//!   (a documented field missing or of another type), with the reason.
//!
//! Every struct keeps the fields it does not declare in its `extra` map, and so does
//! [`Event`] for envelope members, so serialising an event back to JSON keeps them.

mod account;
mod call;
pub(crate) mod envelope;
pub(crate) mod fields;
pub(crate) mod flat;
mod number;
mod sms;
mod webhook;

use std::fmt;
use std::str::FromStr;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub use account::{AccountBalanceLow, AccountSuspended};
pub use call::{CallConnected, CallEnded, CallFailed, CallIncoming, CallMissed, CallRejected};
pub use number::{NumberAssigned, NumberReleased};
pub use sms::{SmsDelivered, SmsFailed, SmsReceived, SmsSent};
pub use webhook::WebhookTest;

/// A verified ReachCell event: the envelope and its typed `data`.
///
/// Every field comes from the signed body. Routing on [`Event::event_type`] or on
/// [`Event::data`] therefore never trusts an unsigned header.
///
/// Serialising an event writes it back as JSON with every member it arrived with,
/// and money amounts with all their digits. Store it as text (`serde_json::to_string`)
/// to keep them: a [`serde_json::Value`] stores numbers as `f64`, so
/// `serde_json::to_value` can round an amount with more than 15 significant digits.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// Unique id of the event, such as `01HX5V6W7K8M9N0P1Q2R3S4T5U`; the key for
    /// de-duplicating retried deliveries.
    pub event_id: String,
    /// API version of the payload, `v1` today.
    pub api_version: String,
    /// When ReachCell created the event, with the offset it was sent with.
    pub timestamp: OffsetDateTime,
    /// The event type and its data.
    pub data: EventData,
    /// Envelope members other than the five above, kept as they arrived.
    pub extra: Map<String, Value>,
}

impl Event {
    /// Returns the `event_type` as sent, such as `sms.received`, for unknown types too.
    #[must_use]
    pub fn event_type(&self) -> &str {
        self.data.event_type()
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let timestamp = self
            .timestamp
            .format(&Rfc3339)
            .map_err(serde::ser::Error::custom)?;

        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("event_id", &self.event_id)?;
        map.serialize_entry("event_type", self.event_type())?;
        map.serialize_entry("api_version", &self.api_version)?;
        map.serialize_entry("timestamp", &timestamp)?;
        map.serialize_entry("data", &self.data)?;
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// The reason the `data` of a known event type did not match its struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    message: String,
    line: usize,
    column: usize,
}

impl DataError {
    fn new(error: &serde_json::Error) -> Self {
        Self {
            message: error.to_string(),
            line: error.line(),
            column: error.column(),
        }
    }

    /// Returns the parser's message, such as ``missing field `body` at line 1 column 52``.
    ///
    /// The message can quote values from the data; keep it out of logs that must not
    /// hold personal data.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Returns the 1-based line and column within `data` where parsing failed, or
    /// `(0, 0)` when the failure has no position, such as a missing field.
    #[must_use]
    pub fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DataError {}

/// The name given is not one of the event types this crate defines.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown ReachCell event type `{}`", name.escape_debug())]
pub struct UnknownEventType {
    name: String,
}

/// Declares [`EventType`] and [`EventData`] from one list of event types, so the wire
/// names, the variants and their structs cannot drift apart.
macro_rules! event_catalog {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, )*) => {
        /// A documented ReachCell event type, for subscriptions and routing.
        ///
        /// It converts from and to the wire name with [`FromStr`] and [`fmt::Display`],
        /// and serialises as that name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum EventType {
            $( $(#[$doc])* $variant, )*
        }

        impl EventType {
            /// Every documented event type, in the order of ReachCell's event reference.
            pub const ALL: &[EventType] = &[$(EventType::$variant,)*];

            /// Returns the wire name, such as `sms.received`.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( EventType::$variant => $name, )*
                }
            }

            /// Reads `data` into the struct of this type from any deserializer.
            fn deserialize_data<'de, D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<EventData, D::Error> {
                match self {
                    $( EventType::$variant => $variant::deserialize(deserializer).map(EventData::$variant), )*
                }
            }

            /// Builds the struct of this type from the members of a flat `data` object.
            fn data_from_members(self, members: &flat::Members<'_>) -> Option<EventData> {
                match self {
                    $( EventType::$variant => $variant::from_members(members).map(EventData::$variant), )*
                }
            }

            /// Reads `data` into the struct of this type.
            fn parse_data(self, data: &RawValue) -> Result<EventData, serde_json::Error> {
                match self {
                    $( EventType::$variant => serde_json::from_str(data.get()).map(EventData::$variant), )*
                }
            }
        }

        impl FromStr for EventType {
            type Err = UnknownEventType;

            fn from_str(name: &str) -> Result<Self, UnknownEventType> {
                match name {
                    $( $name => Ok(EventType::$variant), )*
                    _ => Err(UnknownEventType { name: name.to_owned() }),
                }
            }
        }

        /// The `data` of an event, typed by its `event_type`.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum EventData {
            $( $(#[$doc])* $variant($variant), )*
            /// A known event type whose `data` does not match its struct, kept whole.
            Unparsed {
                /// The event type.
                event_type: EventType,
                /// The `data` as it arrived.
                data: Value,
                /// The reason it did not match the struct.
                error: DataError,
            },
            /// An event type this crate does not know, kept whole.
            Unknown {
                /// The `event_type` as sent.
                event_type: String,
                /// The `data` as it arrived.
                data: Value,
            },
        }

        impl EventData {
            /// Returns the `event_type` as sent.
            #[must_use]
            pub fn event_type(&self) -> &str {
                match self {
                    $( EventData::$variant(_) => $name, )*
                    EventData::Unparsed { event_type, .. } => event_type.as_str(),
                    EventData::Unknown { event_type, .. } => event_type,
                }
            }

            /// Returns the known event type, or `None` for [`EventData::Unknown`].
            #[must_use]
            pub fn known_type(&self) -> Option<EventType> {
                match self {
                    $( EventData::$variant(_) => Some(EventType::$variant), )*
                    EventData::Unparsed { event_type, .. } => Some(*event_type),
                    EventData::Unknown { .. } => None,
                }
            }
        }

        impl Serialize for EventData {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( EventData::$variant(data) => data.serialize(serializer), )*
                    EventData::Unparsed { data, .. } | EventData::Unknown { data, .. } => {
                        data.serialize(serializer)
                    }
                }
            }
        }
    };
}

event_catalog! {
    /// `sms.received`: an inbound SMS arrived.
    SmsReceived = "sms.received",
    /// `sms.sent`: an outbound SMS was handed to the carrier.
    SmsSent = "sms.sent",
    /// `sms.delivered`: the carrier confirmed delivery.
    SmsDelivered = "sms.delivered",
    /// `sms.failed`: an outbound SMS failed on the device.
    SmsFailed = "sms.failed",
    /// `call.incoming`: an inbound call is ringing.
    CallIncoming = "call.incoming",
    /// `call.connected`: a call was picked up.
    CallConnected = "call.connected",
    /// `call.ended`: a connected call was hung up.
    CallEnded = "call.ended",
    /// `call.missed`: a call rang and nobody picked up.
    CallMissed = "call.missed",
    /// `call.rejected`: the destination rejected the call.
    CallRejected = "call.rejected",
    /// `call.failed`: an outbound call failed.
    CallFailed = "call.failed",
    /// `number.assigned`: a number was provisioned to the account.
    NumberAssigned = "number.assigned",
    /// `number.released`: a number was released from the account.
    NumberReleased = "number.released",
    /// `account.suspended`: the account was suspended.
    AccountSuspended = "account.suspended",
    /// `account.balance.low`: credit dropped below the threshold.
    AccountBalanceLow = "account.balance.low",
    /// `webhook.test`: a test event sent on request.
    WebhookTest = "webhook.test",
}

impl EventData {
    /// Reads `data` for the given `event_type`. It never fails: data that does not
    /// fit its struct becomes [`EventData::Unparsed`] and is logged as a warning.
    pub(crate) fn from_raw(event_type: &str, event_id: &str, data: &RawValue) -> Self {
        let Ok(known) = event_type.parse::<EventType>() else {
            return Self::Unknown {
                event_type: event_type.to_owned(),
                data: raw_to_value(data),
            };
        };

        match known.parse_data(data) {
            Ok(typed) => typed,
            Err(error) => {
                let error = DataError::new(&error);
                crate::log::unparsed_data(known, event_id, &error);
                Self::Unparsed {
                    event_type: known,
                    data: raw_to_value(data),
                    error,
                }
            }
        }
    }
}

/// Converts raw JSON into a [`Value`].
///
/// The raw text was already parsed once with the same nesting limit, so this cannot
/// fail in practice. Should it fail, the text is kept as a JSON string rather than lost.
fn raw_to_value(data: &RawValue) -> Value {
    serde_json::from_str(data.get()).unwrap_or_else(|_| Value::String(data.get().to_owned()))
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = envelope::Key::deserialize(deserializer)?;
        name.as_str().parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
