//! DEX strings: a ULEB128 UTF-16 length, then Modified UTF-8 bytes ending in NUL.
//!
//! Modified UTF-8 differs from UTF-8 in two ways: NUL is written `C0 80`, and characters
//! outside the Basic Multilingual Plane are written as two 3-byte surrogates. Plain ASCII and
//! BMP text is byte-identical to UTF-8, so the common case borrows.

use std::borrow::Cow;

use super::{DexError, read_uleb};

/// A string of a DEX file, undecoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DexStr<'a> {
    /// The Modified UTF-8 bytes, without the terminating NUL.
    pub bytes: &'a [u8],
    /// Length in UTF-16 code units, as declared.
    pub utf16_len: u32,
}

impl<'a> DexStr<'a> {
    /// Reads the `string_data_item` at `offset`.
    pub(crate) fn read(data: &'a [u8], offset: u64) -> Result<Self, DexError> {
        let mut at = offset;
        let utf16_len = read_uleb(data, &mut at, "string_data_item")?;
        let start = usize::try_from(at).map_err(|_| DexError::Malformed {
            what: "string_data_item",
            offset,
        })?;
        let rest = data.get(start..).ok_or(DexError::Malformed {
            what: "string_data_item",
            offset,
        })?;
        let end = rest.iter().position(|&b| b == 0).ok_or(DexError::Malformed {
            what: "unterminated string_data_item",
            offset,
        })?;
        Ok(DexStr {
            bytes: &rest[..end],
            utf16_len,
        })
    }

    /// The text: borrowed when the bytes are also valid UTF-8 without surrogates, decoded
    /// otherwise; malformed sequences become U+FFFD as in Java's decoder.
    pub fn to_str(&self) -> Cow<'a, str> {
        // Valid UTF-8 cannot contain `C0 80` or surrogates (`ED A0..BF ..`), so when
        // `from_utf8` accepts the bytes they mean the same in both encodings.
        match std::str::from_utf8(self.bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => Cow::Owned(decode(self.bytes)),
        }
    }
}

impl PartialEq<str> for DexStr<'_> {
    fn eq(&self, other: &str) -> bool {
        self.to_str() == other
    }
}

fn decode(bytes: &[u8]) -> String {
    let mut units: Vec<u16> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b0 = bytes[i];
        let continuation = |at: usize| bytes.get(at).copied().filter(|b| b & 0xc0 == 0x80);
        if b0 < 0x80 {
            units.push(u16::from(b0));
            i += 1;
        } else if b0 & 0xe0 == 0xc0 {
            match continuation(i + 1) {
                Some(b1) => {
                    units.push((u16::from(b0 & 0x1f) << 6) | u16::from(b1 & 0x3f));
                    i += 2;
                }
                None => {
                    units.push(0xfffd);
                    i += 1;
                }
            }
        } else if b0 & 0xf0 == 0xe0 {
            match (continuation(i + 1), continuation(i + 2)) {
                (Some(b1), Some(b2)) => {
                    units.push(
                        (u16::from(b0 & 0x0f) << 12) | (u16::from(b1 & 0x3f) << 6) | u16::from(b2 & 0x3f),
                    );
                    i += 3;
                }
                _ => {
                    units.push(0xfffd);
                    i += 1;
                }
            }
        } else {
            // 4-byte UTF-8 forms are not Modified UTF-8.
            units.push(0xfffd);
            i += 1;
        }
    }
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(bytes: &[u8]) -> String {
        DexStr { bytes, utf16_len: 0 }.to_str().into_owned()
    }

    #[test]
    fn ascii_borrows() {
        let s = DexStr {
            bytes: b"Ljava/lang/Object;",
            utf16_len: 18,
        };
        assert!(matches!(s.to_str(), Cow::Borrowed("Ljava/lang/Object;")));
    }

    #[test]
    fn modified_forms_decode() {
        assert_eq!(string(&[b'a', 0xc0, 0x80, b'b']), "a\0b");
        // U+1F600 as a surrogate pair, each surrogate in three bytes.
        assert_eq!(string(&[0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]), "\u{1F600}");
        assert_eq!(string("é漢".as_bytes()), "é漢");
        // A lone surrogate and a truncated sequence become replacement characters.
        assert_eq!(string(&[0xed, 0xa0, 0xbd]), "\u{FFFD}");
        assert_eq!(string(&[0xe6, 0xbc]), "\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn reads_string_data_items() {
        let data = [0x03, b'a', b'b', b'c', 0x00, 0x01, b'x'];
        let s = DexStr::read(&data, 0).unwrap();
        assert_eq!(s.bytes, b"abc");
        assert_eq!(s.utf16_len, 3);
        assert!(DexStr::read(&data, 5).is_err(), "no NUL");
        assert!(DexStr::read(&data, 99).is_err());
    }
}
