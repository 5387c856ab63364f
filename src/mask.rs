//! Masking of phone numbers for log lines.

use std::fmt;

/// A phone number that displays with its middle digits hidden, such as `+1415***2671`.
///
/// Phone numbers are personal data. Log a `MaskedPhone` instead of the number: it
/// keeps the country and area code and the last four digits, which is usually enough
/// to tell deliveries apart. Shorter values show proportionally fewer characters.
///
/// ```
/// use reachcell_webhooks::MaskedPhone;
///
/// assert_eq!(MaskedPhone("+14155552671").to_string(), "+1415***2671");
/// assert_eq!(MaskedPhone("+15550100").to_string(), "+15***100");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct MaskedPhone<'a>(pub &'a str);

/// Most characters shown before the mask.
const MAX_HEAD: usize = 5;
/// Most characters shown after the mask.
const MAX_TAIL: usize = 4;

impl fmt::Display for MaskedPhone<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let length = self.0.chars().count();
        // A 12-character E.164 number shows 5 + 4; shorter values show less.
        let head = (length * 5 / 12).min(MAX_HEAD);
        let tail = (length / 3).min(MAX_TAIL);

        for character in self.0.chars().take(head) {
            write!(f, "{character}")?;
        }
        f.write_str("***")?;
        for character in self.0.chars().skip(length - tail) {
            write!(f, "{character}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_e164_number() {
        assert_eq!(MaskedPhone("+14155552671").to_string(), "+1415***2671");
        assert_eq!(MaskedPhone("+919812345678").to_string(), "+9198***5678");
    }

    #[test]
    fn masks_short_values() {
        assert_eq!(MaskedPhone("").to_string(), "***");
        assert_eq!(MaskedPhone("12").to_string(), "***");
        assert_eq!(MaskedPhone("123456").to_string(), "12***56");
    }

    #[test]
    fn masks_non_ascii_without_panicking() {
        assert_eq!(MaskedPhone("ééééééééé").to_string(), "ééé***ééé");
    }
}
