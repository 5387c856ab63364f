//! A reader for deliveries in the shape ReachCell sends them: an envelope of plain
//! strings around a `data` object of plain strings, numbers and `null`s.
//!
//! It reads such a body in one pass without serde, and finds the end of a long
//! string with a vectorised search. It reads no other shape. A string with an
//! escape, a nested value in `data`, a member the structs do not declare, an unknown
//! event type or anything else makes it return `None`. The caller then reads the
//! body with serde_json, which also reports the errors. For every body this reader
//! accepts, the result equals what serde_json gives.

use rust_decimal::Decimal;
use serde_json::Map;
use serde_json::value::RawValue;

use super::EventType;
use super::envelope::{Data, Envelope, Key};
use super::fields::parse_json_number;
use crate::swar::{bytes_below, bytes_equal};

/// Maximum number of members in a `data` object that this reader accepts. The
/// structs declare seven fields or fewer.
const MAX_DATA_MEMBERS: usize = 10;

/// Number of bytes scanned eight at a time before `memchr2` takes over. Most strings
/// end within it, and `memchr2` only pays off past its set-up cost.
const SHORT_STRING: usize = 32;

/// A `data` member's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Scalar<'a> {
    /// A string without escapes: its text is its value.
    Text(&'a str),
    /// The text of a number, checked against the JSON grammar.
    Number(&'a str),
    /// `null`.
    Null,
}

/// A field type that can be read from a [`Scalar`].
pub(crate) trait FromScalar: Sized {
    /// Returns the value, or `None` where serde_json would not give the same one.
    fn from_scalar(scalar: Scalar<'_>) -> Option<Self>;
}

impl FromScalar for String {
    fn from_scalar(scalar: Scalar<'_>) -> Option<Self> {
        match scalar {
            Scalar::Text(text) => Some(text.to_owned()),
            _ => None,
        }
    }
}

impl FromScalar for u64 {
    fn from_scalar(scalar: Scalar<'_>) -> Option<Self> {
        match scalar {
            // Plain digits only: serde_json reads `-0`, fractions and exponents as
            // floats, which an integer field rejects.
            Scalar::Number(text) if text.bytes().all(|byte| byte.is_ascii_digit()) => {
                text.parse().ok()
            }
            _ => None,
        }
    }
}

impl FromScalar for Decimal {
    fn from_scalar(scalar: Scalar<'_>) -> Option<Self> {
        match scalar {
            Scalar::Number(text) => parse_json_number(text).ok(),
            _ => None,
        }
    }
}

/// The members of a `data` object, in the order they came.
pub(crate) struct Members<'a> {
    entries: [(&'a str, Scalar<'a>); MAX_DATA_MEMBERS],
    len: usize,
}

impl<'a> Members<'a> {
    fn new() -> Self {
        Self {
            entries: [("", Scalar::Null); MAX_DATA_MEMBERS],
            len: 0,
        }
    }

    fn push(&mut self, key: &'a str, value: Scalar<'a>) -> Option<()> {
        let slot = self.entries.get_mut(self.len)?;
        *slot = (key, value);
        self.len += 1;
        Some(())
    }

    /// Returns the value of the member named `key`.
    pub(crate) fn get(&self, key: &str) -> Option<Scalar<'a>> {
        self.as_slice()
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| *value)
    }

    /// Returns the number of members.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn as_slice(&self) -> &[(&'a str, Scalar<'a>)] {
        &self.entries[..self.len]
    }
}

/// Reads a delivery body of the common shape, or returns `None` for any other.
pub(crate) fn read(text: &str) -> Option<Envelope<'_, &RawValue>> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        position: 0,
    };
    let mut event_id = None;
    let mut event_type = None;
    let mut api_version = None;
    let mut timestamp = None;
    // The members are read in place: the array is large enough that moving it
    // costs more than reading a short string.
    let mut data = Members::new();
    let mut has_data = false;

    reader.object(|key, reader| match key {
        "event_id" => set_once(&mut event_id, reader.string()?),
        "event_type" => set_once(&mut event_type, reader.string()?),
        "api_version" => set_once(&mut api_version, reader.string()?),
        "timestamp" => set_once(&mut timestamp, reader.string()?),
        "data" if !has_data => {
            has_data = true;
            reader.data(&mut data)
        }
        _ => None,
    })?;
    reader.skip_whitespace();
    if reader.position != reader.bytes.len() {
        return None;
    }

    let event_type: &str = event_type?;
    if !has_data {
        return None;
    }
    let data = event_type
        .parse::<EventType>()
        .ok()?
        .data_from_members(&data)?;
    Some(Envelope {
        event_id: event_id?.to_owned(),
        event_type: Key::Borrowed(event_type),
        api_version: api_version?.to_owned(),
        timestamp: Key::Borrowed(timestamp?),
        data: Data::Typed(data),
        extra: Map::new(),
    })
}

/// Fills an empty slot; a second value for the same member gives `None`.
fn set_once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

/// Reads JSON from a position in `text`, which is valid UTF-8.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    /// Skips the four characters JSON allows between tokens.
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.position) {
            self.position += 1;
        }
    }

    /// Returns the next byte after whitespace, without consuming it.
    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.position).copied()
    }

    /// Consumes `expected` after whitespace.
    fn expect(&mut self, expected: u8) -> Option<()> {
        (self.peek()? == expected).then(|| self.position += 1)
    }

    /// Reads an object, calling `member` with each key and the reader placed at the
    /// key's value; `member` reads the value.
    fn object(&mut self, mut member: impl FnMut(&'a str, &mut Self) -> Option<()>) -> Option<()> {
        self.expect(b'{')?;
        if self.peek()? == b'}' {
            self.position += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            member(key, self)?;
            match self.peek()? {
                b',' => self.position += 1,
                b'}' => {
                    self.position += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Reads the `data` object, whose values must all be scalars, into `members`.
    fn data(&mut self, members: &mut Members<'a>) -> Option<()> {
        self.object(|key, reader| {
            let value = reader.scalar()?;
            members.push(key, value)
        })
    }

    /// Reads a string, a number or `null`.
    fn scalar(&mut self) -> Option<Scalar<'a>> {
        match self.peek()? {
            b'"' => self.string().map(Scalar::Text),
            b'n' => {
                let rest = self.bytes.get(self.position..)?;
                rest.starts_with(b"null").then(|| {
                    self.position += 4;
                    Scalar::Null
                })
            }
            _ => self.number().map(Scalar::Number),
        }
    }

    /// Reads a string that has no escape and no control character, and returns its
    /// text, which is then also its value.
    fn string(&mut self) -> Option<&'a str> {
        self.expect(b'"')?;
        let start = self.position;
        let rest = self.bytes.get(start..)?;
        let length = find_special_byte(rest)?;
        if rest[length] != b'"' {
            return None;
        }
        self.position = start + length + 1;
        // Both ends are ASCII quotes, so they are character boundaries.
        self.text.get(start..start + length)
    }

    /// Reads a number by the JSON grammar, `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`,
    /// and returns its text.
    fn number(&mut self) -> Option<&'a str> {
        let start = self.position;
        self.eat(b'-');
        match self.bytes.get(self.position)? {
            b'0' => self.position += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat(b'.') {
            self.required_digits()?;
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _ = self.eat(b'+') || self.eat(b'-');
            self.required_digits()?;
        }
        self.text.get(start..self.position)
    }

    /// Consumes `byte` if it comes next, with no whitespace before it.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.position) == Some(&byte);
        if found {
            self.position += 1;
        }
        found
    }

    /// Consumes the digits that come next, if any.
    fn digits(&mut self) {
        while self
            .bytes
            .get(self.position)
            .is_some_and(u8::is_ascii_digit)
        {
            self.position += 1;
        }
    }

    /// Consumes one or more digits, or returns `None` if none comes next.
    fn required_digits(&mut self) -> Option<()> {
        let start = self.position;
        self.digits();
        (self.position > start).then_some(())
    }
}

/// Returns the position of the first byte in `bytes` that ends or interrupts a JSON
/// string: `"`, `\\` or a control character below `0x20`.
///
/// The first [`SHORT_STRING`] bytes, which hold most strings whole, are scanned eight
/// at a time in a `u64`. Past them, `memchr2` finds the next `"` or `\\`, and one
/// vectorised pass checks the bytes before it for control characters.
fn find_special_byte(bytes: &[u8]) -> Option<usize> {
    let (words, _) = bytes[..bytes.len().min(SHORT_STRING)].as_chunks::<8>();
    for (index, word) in words.iter().enumerate() {
        let found = special_bytes(u64::from_le_bytes(*word));
        if found != 0 {
            return Some(index * 8 + (found.trailing_zeros() / 8) as usize);
        }
    }

    let scanned = words.len() * 8;
    let rest = &bytes[scanned..];
    if scanned < SHORT_STRING {
        // The input ends within the first bytes, and the few after the last whole
        // word are checked one at a time.
        return rest
            .iter()
            .position(|&byte| is_special(byte))
            .map(|position| scanned + position);
    }
    let end = memchr::memchr2(b'"', b'\\', rest);
    let text = &rest[..end.unwrap_or(rest.len())];
    let has_control = text
        .iter()
        .copied()
        .min()
        .is_some_and(|smallest| smallest < 0x20);
    let position = if has_control {
        text.iter().position(|&byte| byte < 0x20)
    } else {
        end
    };
    position.map(|position| scanned + position)
}

/// Returns whether `byte` ends or interrupts a JSON string.
fn is_special(byte: u8) -> bool {
    byte == b'"' || byte == b'\\' || byte < 0x20
}

/// Flags the bytes of `word` that are `"`, `\\` or below `0x20`; the lowest flagged
/// byte is always a true match.
fn special_bytes(word: u64) -> u64 {
    bytes_equal(word, b'"') | bytes_equal(word, b'\\') | bytes_below(word, 0x20)
}

#[cfg(test)]
mod tests;
