//! Checks on the eight bytes of a `u64` at once, for the header and body scanners.
//!
//! Each function sets the high bit of every byte that matches and clears the others.

/// `0x01` in every byte of a `u64`.
pub(crate) const ONES: u64 = u64::from_ne_bytes([0x01; 8]);

/// The high bit of every byte of a `u64`.
pub(crate) const HIGH_BITS: u64 = u64::from_ne_bytes([0x80; 8]);

/// Flags the bytes of `word` that lie in `low..=high`. Every byte of `word` must be
/// below `0x80`, so that no addition carries into the next byte.
pub(crate) fn bytes_in_range(word: u64, low: u8, high: u8) -> u64 {
    let at_least_low = word.wrapping_add(ONES * u64::from(0x80 - low));
    let above_high = word.wrapping_add(ONES * u64::from(0x7f - high));
    at_least_low & !above_high & HIGH_BITS
}

/// Flags the bytes of `word` that equal `byte`.
///
/// A borrow from a lower byte can also flag a byte above a true match, never one
/// below it, so the lowest flagged byte is always a true match.
pub(crate) fn bytes_equal(word: u64, byte: u8) -> u64 {
    let zeroed = word ^ (ONES * u64::from(byte));
    zeroed.wrapping_sub(ONES) & !zeroed & HIGH_BITS
}

/// Flags the bytes of `word` below `limit`, which must be at most `0x80`. As with
/// [`bytes_equal`], the lowest flagged byte is always a true match.
pub(crate) fn bytes_below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Returns the index of the lowest flagged byte, if any.
    fn lowest(flags: u64) -> Option<u32> {
        (flags != 0).then(|| flags.trailing_zeros() / 8)
    }

    #[test]
    fn range_flags_each_byte_value() {
        for byte in 0..0x80u8 {
            let word = u64::from_le_bytes([b'x', byte, b'x', b'x', byte, b'x', b'x', b'x']);
            let flags = bytes_in_range(word, b'0', b'9');
            let expected = if byte.is_ascii_digit() { 0x80 } else { 0 };
            assert_eq!((flags >> 8) & 0xff, expected, "byte {byte:#04x}");
            assert_eq!((flags >> 32) & 0xff, expected, "byte {byte:#04x}");
            assert_eq!(flags & 0xff, 0, "byte {byte:#04x}");
        }
    }

    #[test]
    fn lowest_match_is_exact_for_equal_and_below() {
        for position in 0..8 {
            for byte in 0..=u8::MAX {
                let mut bytes = [b'a'; 8];
                bytes[position] = byte;
                let word = u64::from_le_bytes(bytes);
                let expected_quote = (byte == b'"').then_some(position as u32);
                let expected_control = (byte < 0x20).then_some(position as u32);
                assert_eq!(
                    lowest(bytes_equal(word, b'"')),
                    expected_quote,
                    "byte {byte:#04x}"
                );
                assert_eq!(
                    lowest(bytes_below(word, 0x20)),
                    expected_control,
                    "byte {byte:#04x}"
                );
            }
        }
    }
}
