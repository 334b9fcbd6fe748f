//! `ResStringPool`: the string table of binary XML and of `resources.arsc`.
//!
//! Strings are decoded one at a time when asked for ([`StringPool::get`]); parsing only checks
//! the header, as Android's `ResStringPool::setTo` does. Both encodings are read: UTF-16 with
//! a 1- or 2-unit length, and UTF-8 with a 1- or 2-byte UTF-16 length followed by a 1- or 2-byte
//! UTF-8 length. Style spans are bounded (their end marker must be where Android looks for it)
//! but not decoded: nothing in this crate needs styled text.

use std::borrow::Cow;

use super::ParseMode;
use crate::bytes::{u16_at, u32_at};

const HEADER_LEN: usize = 28;
const UTF8_FLAG: u32 = 1 << 8;
const SORTED_FLAG: u32 = 1 << 0;
/// The three `0xFFFFFFFF` words that close the style area.
const STYLE_END: [u8; 12] = [0xff; 12];

/// Why a string pool, or one of its strings, could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StringPoolError {
    #[error("string pool at offset {offset}: {reason}")]
    BadHeader { offset: usize, reason: &'static str },
    #[error("string #{index} does not exist (the pool has {count})")]
    OutOfRange { index: u32, count: u32 },
    #[error("string #{index} is corrupt: {reason}")]
    BadString { index: u32, reason: &'static str },
}

/// A string pool read in place.
#[derive(Debug, Clone, Copy)]
pub struct StringPool<'a> {
    /// The chunk, from its header to the end of the bytes the pool may use.
    data: &'a [u8],
    offset: usize,
    header_size: usize,
    string_count: u32,
    style_count: u32,
    flags: u32,
    strings_start: usize,
    /// Size of the string data in code units (bytes for UTF-8, 16-bit units for UTF-16):
    /// Android's `mStringPoolSize`.
    pool_units: usize,
    mode: ParseMode,
}

impl<'a> StringPool<'a> {
    /// Reads the pool whose chunk starts at `offset` of `data`. As in Android, the chunk's
    /// declared size must fit in `data`; the string offsets may use the bytes after the chunk
    /// (up to the end of `data`) only in permissive mode.
    pub fn parse(data: &'a [u8], offset: usize, mode: ParseMode) -> Result<Self, StringPoolError> {
        let bad = |reason| StringPoolError::BadHeader { offset, reason };
        let available = data.get(offset..).ok_or(bad("starts past the end of the data"))?;
        if available.len() < HEADER_LEN {
            return Err(bad("truncated header"));
        }
        let u16_field = |at| u16_at(available, at).map_or(0, usize::from);
        let u32_field = |at| u32_at(available, at).unwrap_or(0);
        let chunk_type = u16_field(0);
        let header_size = u16_field(2);
        let size = u32_field(4) as usize;
        let string_count = u32_field(8);
        let style_count = u32_field(12);
        let flags = u32_field(16);
        let strings_start = u32_field(20) as usize;
        let styles_start = u32_field(24) as usize;

        if chunk_type != usize::from(super::chunk_type::STRING_POOL) {
            return Err(bad("not a string pool chunk"));
        }
        if header_size > size || size > available.len() {
            return Err(bad("header or total size larger than the data"));
        }
        if mode.is_strict() {
            if header_size != HEADER_LEN {
                return Err(bad("header size is not 28"));
            }
            if !size.is_multiple_of(4) {
                return Err(bad("size is not a multiple of 4"));
            }
            if flags & !(UTF8_FLAG | SORTED_FLAG) != 0 {
                return Err(bad("unknown flags"));
            }
        } else if header_size < HEADER_LEN {
            // Android reads the 28-byte header regardless; a smaller declared header would put
            // the string offsets inside it.
            return Err(bad("header size is smaller than 28"));
        }
        // In strict mode everything must lie inside the chunk; Android only bounds the offsets
        // array by the data it was handed.
        let limit = if mode.is_strict() { size } else { available.len() };
        let offsets_end = (string_count as usize)
            .checked_mul(4)
            .and_then(|len| len.checked_add(header_size))
            .filter(|&end| end <= limit)
            .ok_or(bad("string offsets extend past the data"))?;

        let utf8 = flags & UTF8_FLAG != 0;
        let unit = if utf8 { 1 } else { 2 };
        let mut pool_units = 0;
        if string_count > 0 {
            // Room for the smallest string: a length and a terminator.
            if strings_start >= size - 2 {
                return Err(bad("string data starts past the end of the pool"));
            }
            if mode.is_strict() && strings_start < offsets_end {
                return Err(bad("string data overlaps the offsets"));
            }
            pool_units = if style_count == 0 {
                (size - strings_start) / unit
            } else {
                if styles_start >= size - 2 {
                    return Err(bad("style data starts past the end of the pool"));
                }
                if styles_start <= strings_start {
                    return Err(bad("style data starts before the string data"));
                }
                (styles_start - strings_start) / unit
            };
            if pool_units == 0 {
                return Err(bad("strings are declared but the string data is empty"));
            }
            let last = strings_start + (pool_units - 1) * unit;
            let terminated = if utf8 {
                available.get(last) == Some(&0)
            } else {
                u16_at(available, last as u64) == Some(0)
            };
            if !terminated {
                return Err(bad("last string is not NUL-terminated"));
            }
        }
        if style_count > 0 {
            let style_offsets_end = (style_count as usize)
                .checked_mul(4)
                .and_then(|len| len.checked_add(offsets_end))
                .filter(|&end| end <= limit)
                .ok_or(bad("style offsets extend past the data"))?;
            if styles_start >= size {
                return Err(bad("style data starts past the end of the pool"));
            }
            if string_count > 0 && style_offsets_end > strings_start {
                return Err(bad("style offsets run into the string data"));
            }
            let style_words = (size - styles_start) / 4;
            let end_marker = style_words
                .checked_sub(3)
                .map(|first| styles_start + first * 4)
                .and_then(|at| available.get(at..at + 12));
            if end_marker != Some(&STYLE_END[..]) {
                return Err(bad("style data does not end with the 0xFFFFFFFF marker"));
            }
        }

        Ok(StringPool {
            data: &available[..limit],
            offset,
            header_size,
            string_count,
            style_count,
            flags,
            strings_start,
            pool_units,
            mode,
        })
    }

    /// Number of strings.
    pub fn len(&self) -> u32 {
        self.string_count
    }

    pub fn is_empty(&self) -> bool {
        self.string_count == 0
    }

    /// Number of style entries (spans are not decoded).
    pub fn style_count(&self) -> u32 {
        self.style_count
    }

    pub fn is_utf8(&self) -> bool {
        self.flags & UTF8_FLAG != 0
    }

    pub fn is_sorted(&self) -> bool {
        self.flags & SORTED_FLAG != 0
    }

    /// Offset of the pool's chunk in the buffer it was read from.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// String `index`, decoded. UTF-8 strings that are valid UTF-8 are borrowed.
    ///
    /// Android's checks apply in both modes (a string it would refuse is refused): the string
    /// and its terminator lie inside the string data, and for UTF-8 the declared UTF-16 length
    /// agrees with the text. aapt truncated UTF-8 lengths above 0x7FFF; like Android, the real
    /// end is then found at the next NUL whose offset ends in the declared bits. Text that is
    /// not valid UTF-8/UTF-16 is replaced with U+FFFD in permissive mode and refused in strict
    /// mode.
    pub fn get(&self, index: u32) -> Result<Cow<'a, str>, StringPoolError> {
        if index >= self.string_count {
            return Err(StringPoolError::OutOfRange {
                index,
                count: self.string_count,
            });
        }
        let bad = |reason| StringPoolError::BadString { index, reason };
        let entry = self.header_size as u64 + u64::from(index) * 4;
        let raw_offset = u32_at(self.data, entry).ok_or(bad("offset outside the data"))? as usize;
        let unit = if self.is_utf8() { 1 } else { 2 };
        if self.mode.is_strict() && !raw_offset.is_multiple_of(unit) {
            return Err(bad("offset is not on a character boundary"));
        }
        let start = raw_offset / unit;
        if start >= self.pool_units.saturating_sub(1) {
            return Err(bad("offset past the end of the string data"));
        }
        if self.is_utf8() {
            self.utf8_at(start, index)
        } else {
            self.utf16_at(start, index).map(Cow::Owned)
        }
    }

    /// Code unit `at` (relative to the string data) of a UTF-16 pool.
    fn unit16(&self, at: usize) -> Option<u16> {
        u16_at(self.data, (self.strings_start + at * 2) as u64)
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.data.get(self.strings_start + at).copied()
    }

    fn utf16_at(&self, start: usize, index: u32) -> Result<String, StringPoolError> {
        let bad = |reason| StringPoolError::BadString { index, reason };
        let first = self.unit16(start).ok_or(bad("length outside the data"))?;
        let (len, text_start) = if first & 0x8000 != 0 {
            let second = self.unit16(start + 1).ok_or(bad("length outside the data"))?;
            (
                (usize::from(first & 0x7fff) << 16) | usize::from(second),
                start + 2,
            )
        } else {
            (usize::from(first), start + 1)
        };
        let end = text_start
            .checked_add(len)
            .filter(|&end| end < self.pool_units)
            .ok_or(bad("string extends past the end of the string data"))?;
        if self.unit16(end) != Some(0) {
            return Err(bad("string is not NUL-terminated"));
        }
        let units = (text_start..end).map(|at| self.unit16(at).unwrap_or(0));
        if self.mode.is_strict() {
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .map_err(|_| bad("invalid UTF-16"))
        } else {
            Ok(char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect())
        }
    }

    fn utf8_at(&self, start: usize, index: u32) -> Result<Cow<'a, str>, StringPoolError> {
        let bad = |reason| StringPoolError::BadString { index, reason };
        let (utf16_len, at) = self.utf8_length(start).ok_or(bad("length outside the data"))?;
        let (encoded_len, text_start) = self.utf8_length(at).ok_or(bad("length outside the data"))?;
        if text_start + encoded_len >= self.pool_units {
            return Err(bad("string extends past the end of the string data"));
        }
        // aapt wrote lengths above 0x7FFF truncated; Android finds the real end at the first NUL
        // whose offset carries the written low bits (`ResStringPool::stringDecodeAt`).
        let mut len = encoded_len;
        let mut step = 0usize;
        loop {
            if text_start + len >= self.pool_units {
                return Err(bad("string is not NUL-terminated"));
            }
            if self.byte(text_start + len) == Some(0) {
                break;
            }
            step += 1;
            len = (step << 15) | encoded_len;
        }
        if self.mode.is_strict() && step != 0 {
            return Err(bad("length field is truncated"));
        }
        let begin = self.strings_start + text_start;
        let bytes = self
            .data
            .get(begin..begin + len)
            .ok_or(bad("string outside the data"))?;
        match utf16_length_of_utf8(bytes) {
            Some(actual) if actual & 0x7fff == utf16_len => {}
            _ => return Err(bad("UTF-16 length does not match the UTF-8 text")),
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Cow::Borrowed(text)),
            Err(_) if self.mode.is_strict() => Err(bad("invalid UTF-8")),
            Err(_) => Ok(String::from_utf8_lossy(bytes)),
        }
    }

    /// A UTF-8 pool length field at `at`: one byte, or two when the high bit is set. Returns
    /// the length and where the next field starts.
    fn utf8_length(&self, at: usize) -> Option<(usize, usize)> {
        let first = self.byte(at)?;
        if first & 0x80 != 0 {
            let second = self.byte(at + 1)?;
            Some(((usize::from(first & 0x7f) << 8) | usize::from(second), at + 2))
        } else {
            Some((usize::from(first), at + 1))
        }
    }
}

/// Android's `utf8_to_utf16_length`: the UTF-16 length of `bytes`, counting a code point from the
/// lead byte alone; `None` when a sequence runs past the end.
fn utf16_length_of_utf8(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    let mut units = 0;
    while at < bytes.len() {
        let lead = bytes[at];
        let len = ((0xe500_0000u32 >> ((lead >> 3) & 0x1e)) & 3) as usize + 1;
        if at + len > bytes.len() {
            return None;
        }
        units += if len == 4 { 2 } else { 1 };
        at += len;
    }
    Some(units)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a string pool chunk the way aapt2 lays it out.
    pub(crate) fn build_pool(strings: &[&str], utf8: bool) -> Vec<u8> {
        let mut body = Vec::new();
        let mut offsets = Vec::new();
        for s in strings {
            offsets.push(body.len() as u32);
            if utf8 {
                let utf16 = s.encode_utf16().count();
                push_len8(&mut body, utf16);
                push_len8(&mut body, s.len());
                body.extend_from_slice(s.as_bytes());
                body.push(0);
            } else {
                let units: Vec<u16> = s.encode_utf16().collect();
                if units.len() > 0x7fff {
                    body.extend_from_slice(&((units.len() >> 16) as u16 | 0x8000).to_le_bytes());
                    body.extend_from_slice(&(units.len() as u16).to_le_bytes());
                } else {
                    body.extend_from_slice(&(units.len() as u16).to_le_bytes());
                }
                for u in units {
                    body.extend_from_slice(&u.to_le_bytes());
                }
                body.extend_from_slice(&[0, 0]);
            }
        }
        while body.len() % 4 != 0 {
            body.push(0);
        }
        let strings_start = HEADER_LEN + 4 * strings.len();
        let size = strings_start + body.len();
        let mut out = Vec::new();
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&(HEADER_LEN as u16).to_le_bytes());
        out.extend_from_slice(&(size as u32).to_le_bytes());
        out.extend_from_slice(&(strings.len() as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(if utf8 { UTF8_FLAG } else { 0 }).to_le_bytes());
        out.extend_from_slice(&(strings_start as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        for o in offsets {
            out.extend_from_slice(&o.to_le_bytes());
        }
        out.extend_from_slice(&body);
        out
    }

    fn push_len8(out: &mut Vec<u8>, len: usize) {
        if len > 0x7f {
            out.push(((len >> 8) as u8 & 0x7f) | 0x80);
        }
        out.push(len as u8);
    }

    #[test]
    fn reads_both_encodings_and_long_lengths() {
        let long = "x".repeat(300);
        let longer = "y".repeat(20_000);
        let strings = ["", "android", "élan ✓ 😀", long.as_str(), longer.as_str()];
        for utf8 in [true, false] {
            let data = build_pool(&strings, utf8);
            for mode in [ParseMode::Strict, ParseMode::Permissive] {
                let pool = StringPool::parse(&data, 0, mode).unwrap();
                assert_eq!(pool.len(), 5);
                assert_eq!(pool.is_utf8(), utf8);
                for (i, s) in strings.iter().enumerate() {
                    assert_eq!(pool.get(i as u32).unwrap(), *s, "utf8={utf8} #{i}");
                }
                assert_eq!(
                    pool.get(5).unwrap_err().to_string(),
                    "string #5 does not exist (the pool has 5)"
                );
            }
        }
    }

    #[test]
    fn utf16_two_unit_lengths() {
        let longest = "w".repeat(40_000);
        let data = build_pool(&[longest.as_str(), "after"], false);
        let pool = StringPool::parse(&data, 0, ParseMode::Strict).unwrap();
        assert_eq!(pool.get(0).unwrap().len(), 40_000);
        assert_eq!(pool.get(1).unwrap(), "after");
    }

    #[test]
    fn utf8_strings_are_borrowed() {
        let data = build_pool(&["abc"], true);
        let pool = StringPool::parse(&data, 0, ParseMode::Strict).unwrap();
        assert!(matches!(pool.get(0).unwrap(), Cow::Borrowed("abc")));
    }

    #[test]
    fn truncated_utf8_length_is_recovered_like_android() {
        // aapt wrote 0x8000+n byte strings with only the low 15 bits of the length.
        let text = "z".repeat(0x8000 + 5);
        let mut data = build_pool(&[text.as_str()], true);
        // Lengths start after header + one offset: two 2-byte length fields.
        let at = HEADER_LEN + 4;
        let utf16 = (0x8000 + 5) & 0x7fff;
        data[at] = 0x80 | (utf16 >> 8) as u8;
        data[at + 1] = utf16 as u8;
        data[at + 2] = 0x80;
        data[at + 3] = 5;
        let pool = StringPool::parse(&data, 0, ParseMode::Permissive).unwrap();
        assert_eq!(pool.get(0).unwrap().len(), 0x8000 + 5);
        let strict = StringPool::parse(&data, 0, ParseMode::Strict).unwrap();
        assert!(strict.get(0).is_err());
    }

    #[test]
    fn wrong_utf16_length_of_utf8_string_is_refused() {
        let mut data = build_pool(&["abc"], true);
        data[HEADER_LEN + 4] = 2;
        let pool = StringPool::parse(&data, 0, ParseMode::Permissive).unwrap();
        assert_eq!(
            pool.get(0).unwrap_err().to_string(),
            "string #0 is corrupt: UTF-16 length does not match the UTF-8 text"
        );
    }

    #[test]
    fn odd_sizes_pass_only_in_permissive_mode() {
        let mut data = build_pool(&["ab"], true);
        // Drop one padding byte from the declared size: Android 10 still loads such pools.
        let size = data.len() as u32 - 1;
        data[4..8].copy_from_slice(&size.to_le_bytes());
        let permissive = StringPool::parse(&data, 0, ParseMode::Permissive).unwrap();
        assert_eq!(permissive.get(0).unwrap(), "ab");
        assert!(StringPool::parse(&data, 0, ParseMode::Strict).is_err());
    }

    #[test]
    fn larger_header_is_permissive_only() {
        let base = build_pool(&["hello"], false);
        // Insert 4 bytes after the header: header size 32, offsets and strings shift by 4.
        let mut data = base[..HEADER_LEN].to_vec();
        data.extend_from_slice(&[0; 4]);
        data.extend_from_slice(&base[HEADER_LEN..]);
        data[2..4].copy_from_slice(&32u16.to_le_bytes());
        let size = data.len() as u32;
        data[4..8].copy_from_slice(&size.to_le_bytes());
        let start = u32::from_le_bytes(data[20..24].try_into().unwrap()) + 4;
        data[20..24].copy_from_slice(&start.to_le_bytes());
        let pool = StringPool::parse(&data, 0, ParseMode::Permissive).unwrap();
        assert_eq!(pool.get(0).unwrap(), "hello");
        assert!(StringPool::parse(&data, 0, ParseMode::Strict).is_err());
    }

    #[test]
    fn huge_counts_are_refused_before_use() {
        let mut data = build_pool(&["a"], true);
        data[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(StringPool::parse(&data, 0, ParseMode::Permissive).is_err());
        let mut data = build_pool(&["a"], true);
        data[12..16].copy_from_slice(&0x4000_0000u32.to_le_bytes());
        assert!(StringPool::parse(&data, 0, ParseMode::Permissive).is_err());
    }

    #[test]
    fn truncation_never_panics() {
        let data = build_pool(&["one", "two", "three"], false);
        for cut in 0..data.len() {
            if let Ok(pool) = StringPool::parse(&data[..cut], 0, ParseMode::Permissive) {
                for i in 0..pool.len().min(8) {
                    let _ = pool.get(i);
                }
            }
        }
    }

    #[test]
    fn utf16_length_counts_like_android() {
        assert_eq!(utf16_length_of_utf8(b"abc"), Some(3));
        assert_eq!(utf16_length_of_utf8("é😀".as_bytes()), Some(3));
        assert_eq!(utf16_length_of_utf8(&[0xe2, 0x82]), None);
    }
}
