//! Reading and writing the fields of event data, and the macro that declares the
//! data structs.
//!
//! The structs keep every field that they do not declare in an `extra` map. serde's
//! `flatten` could do that, but it buffers the whole object first, which is slower
//! and loses the exact text of numbers that [`Decimal`] fields need.

use std::marker::PhantomData;

use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

/// A type that a data struct field can have.
pub(crate) trait FieldValue: Sized {
    fn deserialize_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;

    fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

macro_rules! serde_field_value {
    ($($ty:ty),*) => {$(
        impl FieldValue for $ty {
            fn deserialize_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$ty>::deserialize(deserializer)
            }

            fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.serialize(serializer)
            }
        }
    )*};
}

serde_field_value!(String, u64);

/// Money is read from the JSON number's own text, so `0.0123` is exactly 123/10000 and
/// never passes through a binary float. It is written back as a JSON number.
impl FieldValue for Decimal {
    fn deserialize_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        parse_json_number(raw.get()).map_err(de::Error::custom)
    }

    fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

/// Parses the text of a JSON number into an exact decimal.
pub(crate) fn parse_json_number(text: &str) -> Result<Decimal, String> {
    let is_number = text
        .bytes()
        .next()
        .is_some_and(|first| first == b'-' || first.is_ascii_digit());
    if !is_number {
        return Err(format!(
            "invalid type: expected a JSON number, found {}",
            json_kind(text)
        ));
    }

    let parsed = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text)
    } else {
        Decimal::from_str_exact(text)
    };
    parsed.map_err(|error| format!("number `{text}` is not an exact decimal: {error}"))
}

/// Names the kind of JSON value that `text` holds, without its content.
fn json_kind(text: &str) -> &'static str {
    match text.bytes().next() {
        Some(b'"') => "a string",
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "another value",
    }
}

/// Deserialises one field through [`FieldValue`].
pub(crate) struct FieldSeed<T>(pub(crate) PhantomData<T>);

impl<'de, T: FieldValue> DeserializeSeed<'de> for FieldSeed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize_field(deserializer)
    }
}

/// Deserialises an optional field, reading JSON `null` as absent.
pub(crate) struct NullableSeed<T>(pub(crate) PhantomData<T>);

impl<'de, T: FieldValue> DeserializeSeed<'de> for NullableSeed<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_option(NullableVisitor(PhantomData))
    }
}

struct NullableVisitor<T>(PhantomData<T>);

impl<'de, T: FieldValue> de::Visitor<'de> for NullableVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::deserialize_field(deserializer).map(Some)
    }
}

/// Serialises one field through [`FieldValue`].
pub(crate) struct FieldRef<'a, T>(pub(crate) &'a T);

impl<T: FieldValue> Serialize for FieldRef<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_field(serializer)
    }
}

/// The Rust type of a declared field: `T` when required, `Option<T>` when optional.
macro_rules! field_type {
    (required $ty:ty) => { $ty };
    (optional $ty:ty) => { Option<$ty> };
}

/// Reads one declared field into its slot. An optional field that is `null` stays
/// absent and its `null` goes to `extra`, so that writing the struct back keeps it.
macro_rules! read_field {
    (required $map:ident, $extra:ident, $name:ident, $ty:ty) => {
        $name = Some(
            $map.next_value_seed($crate::event::fields::FieldSeed::<$ty>(
                ::std::marker::PhantomData,
            ))?,
        );
    };
    (optional $map:ident, $extra:ident, $name:ident, $ty:ty) => {
        $name = $map.next_value_seed($crate::event::fields::NullableSeed::<$ty>(
            ::std::marker::PhantomData,
        ))?;
        if $name.is_none() {
            $extra.insert(stringify!($name).to_owned(), ::serde_json::Value::Null);
        }
    };
}

/// Turns the slot filled while reading into the field's value.
macro_rules! finish_field {
    (required $name:ident) => {
        $name.ok_or_else(|| ::serde::de::Error::missing_field(stringify!($name)))?
    };
    (optional $name:ident) => {
        $name
    };
}

/// Writes a field, skipping an optional one that is absent.
macro_rules! write_field {
    ($map:ident, required $name:ident, $value:expr) => {
        ::serde::ser::SerializeMap::serialize_entry(
            &mut $map,
            stringify!($name),
            &$crate::event::fields::FieldRef(&$value),
        )?;
    };
    ($map:ident, optional $name:ident, $value:expr) => {
        if let Some(value) = &$value {
            ::serde::ser::SerializeMap::serialize_entry(
                &mut $map,
                stringify!($name),
                &$crate::event::fields::FieldRef(value),
            )?;
        }
    };
}

/// Takes one declared field from the members of a flat `data` object, counting the
/// members it uses; see [`flat`](super::flat). Leaves the function with `None` where
/// the serde path would give another result.
macro_rules! member_field {
    (required $members:ident, $extra:ident, $found:ident, $name:ident, $ty:ty) => {{
        let value = $members.get(stringify!($name))?;
        $found += 1;
        <$ty as $crate::event::flat::FromScalar>::from_scalar(value)?
    }};
    (optional $members:ident, $extra:ident, $found:ident, $name:ident, $ty:ty) => {
        match $members.get(stringify!($name)) {
            None => None,
            Some($crate::event::flat::Scalar::Null) => {
                $found += 1;
                $extra.insert(stringify!($name).to_owned(), ::serde_json::Value::Null);
                None
            }
            Some(value) => {
                $found += 1;
                Some(<$ty as $crate::event::flat::FromScalar>::from_scalar(
                    value,
                )?)
            }
        }
    };
}

/// Declares the `data` struct of one event type, with its `Deserialize` and `Serialize`.
///
/// Each field is `required` or `optional`; its JSON name is its Rust name. Fields the
/// struct does not declare go to `extra`, and a repeated key is an error.
macro_rules! event_data {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $presence:ident $field:ident: $ty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$field_meta])*
                pub $field: field_type!($presence $ty),
            )*
            /// Fields that this struct does not declare, kept as they arrived.
            pub extra: ::serde_json::Map<String, ::serde_json::Value>,
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct DataVisitor;

                impl<'de> ::serde::de::Visitor<'de> for DataVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("the data object of ", stringify!($name)))
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $( let mut $field: Option<$ty> = None; )*
                        let mut extra = ::serde_json::Map::new();

                        while let Some(key) = map.next_key::<$crate::event::envelope::Key<'de>>()? {
                            match key.as_str() {
                                $(
                                    stringify!($field) => {
                                        if $field.is_some() || extra.contains_key(stringify!($field)) {
                                            return Err(::serde::de::Error::duplicate_field(stringify!($field)));
                                        }
                                        read_field!($presence map, extra, $field, $ty);
                                    }
                                )*
                                _ => {
                                    let value = map.next_value()?;
                                    if extra.insert(key.into_string(), value).is_some() {
                                        return Err(::serde::de::Error::custom("duplicate field in data"));
                                    }
                                }
                            }
                        }

                        Ok($name {
                            $( $field: finish_field!($presence $field), )*
                            extra,
                        })
                    }
                }

                deserializer.deserialize_map(DataVisitor)
            }
        }

        impl $name {
            /// Builds the struct from the members of a flat `data` object, or returns
            /// `None` for members that serde_json would read differently or reject.
            pub(crate) fn from_members(
                members: &$crate::event::flat::Members<'_>,
            ) -> Option<Self> {
                let mut extra = ::serde_json::Map::new();
                let mut found = 0;
                $( let $field = member_field!($presence members, extra, found, $field, $ty); )*
                if found != members.len() {
                    return None;
                }
                Some($name {
                    $( $field, )*
                    extra,
                })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                $( write_field!(map, $presence $field, self.$field); )*
                for (key, value) in &self.extra {
                    ::serde::ser::SerializeMap::serialize_entry(&mut map, key, value)?;
                }
                ::serde::ser::SerializeMap::end(map)
            }
        }
    };
}

pub(crate) use {event_data, field_type, finish_field, member_field, read_field, write_field};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_number_parses_exactly() {
        assert_eq!(parse_json_number("0.0123"), Ok(Decimal::new(123, 4)));
        assert_eq!(parse_json_number("5"), Ok(Decimal::new(5, 0)));
        assert_eq!(parse_json_number("-4.50"), Ok(Decimal::new(-450, 2)));
        assert_eq!(parse_json_number("1.5e3"), Ok(Decimal::new(1500, 0)));
    }

    #[test]
    fn json_number_rejects_other_kinds() {
        let error = parse_json_number("\"4.5\"").expect_err("a string is not a number");
        assert!(error.contains("a string"), "{error}");
        assert!(!error.contains("4.5"), "{error}");
    }

    #[test]
    fn json_number_rejects_excess_precision() {
        let long = "0.12345678901234567890123456789012345";
        assert!(parse_json_number(long).is_err());
    }
}
