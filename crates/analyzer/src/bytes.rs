//! Bounds-checked little-endian reads over a byte slice.
//!
//! Every reader in this crate works on borrowed input; these helpers are the one place where
//! offsets are turned into values, so that no arithmetic on untrusted offsets can overflow or
//! index past the end.

/// A sub-slice `data[offset..offset + len]`, or `None` when any part lies outside `data` or the
/// arithmetic overflows.
pub fn slice(data: &[u8], offset: u64, len: u64) -> Option<&[u8]> {
    let start = usize::try_from(offset).ok()?;
    let len = usize::try_from(len).ok()?;
    let end = start.checked_add(len)?;
    data.get(start..end)
}

/// A fixed-size array read at `offset`.
pub fn array<const N: usize>(data: &[u8], offset: u64) -> Option<[u8; N]> {
    slice(data, offset, N as u64)?.try_into().ok()
}

pub fn u16_at(data: &[u8], offset: u64) -> Option<u16> {
    array(data, offset).map(u16::from_le_bytes)
}

pub fn u32_at(data: &[u8], offset: u64) -> Option<u32> {
    array(data, offset).map(u32::from_le_bytes)
}

pub fn u64_at(data: &[u8], offset: u64) -> Option<u64> {
    array(data, offset).map(u64::from_le_bytes)
}

/// An unsigned LEB128 value of at most five bytes (the DEX limit) at `*offset`, which is
/// advanced past it.
pub fn uleb128(data: &[u8], offset: &mut u64) -> Option<u32> {
    let mut result: u32 = 0;
    for index in 0..5u32 {
        let byte = *data.get(usize::try_from(*offset).ok()?)?;
        *offset += 1;
        let payload = u32::from(byte & 0x7f);
        // The fifth byte may carry only the top four bits of a 32-bit value.
        if index == 4 && payload > 0x0f {
            return None;
        }
        result |= payload << (7 * index);
        if byte & 0x80 == 0 {
            return Some(result);
        }
    }
    None
}

/// A signed LEB128 value of at most five bytes at `*offset`, which is advanced past it.
pub fn sleb128(data: &[u8], offset: &mut u64) -> Option<i32> {
    let start = *offset;
    let raw = uleb128(data, offset)?;
    let bits = 7 * (*offset - start) as u32;
    if bits >= 32 {
        return Some(raw as i32);
    }
    // Sign-extend from the last payload bit.
    let shift = 32 - bits;
    Some(((raw << shift) as i32) >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_little_endian_and_bounded() {
        let data = [1u8, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(u16_at(&data, 0), Some(0x0201));
        assert_eq!(u32_at(&data, 4), Some(0x0807_0605));
        assert_eq!(u64_at(&data, 0), Some(0x0807_0605_0403_0201));
        assert_eq!(u32_at(&data, 5), None);
        assert_eq!(u64_at(&data, 1), None);
        assert_eq!(slice(&data, u64::MAX, 2), None);
        assert_eq!(slice(&data, 2, u64::MAX), None);
        assert_eq!(slice(&data, 8, 0), Some(&[][..]));
    }

    #[test]
    fn leb128_follows_the_dex_spec_examples() {
        // Examples from the DEX format's LEB128 table.
        let cases: [(&[u8], i32, u32); 5] = [
            (&[0x00], 0, 0),
            (&[0x01], 1, 1),
            (&[0x7f], -1, 127),
            (&[0x80, 0x7f], -128, 16256),
            (&[0xff, 0xff, 0xff, 0xff, 0x0f], -1, u32::MAX),
        ];
        for (bytes, signed, unsigned) in cases {
            let (mut a, mut b) = (0, 0);
            assert_eq!(sleb128(bytes, &mut a), Some(signed), "{bytes:?}");
            assert_eq!(uleb128(bytes, &mut b), Some(unsigned), "{bytes:?}");
            assert_eq!(a, bytes.len() as u64);
        }
        let mut at = 0;
        assert_eq!(uleb128(&[0x80, 0x80], &mut at), None, "unterminated");
        let mut at = 0;
        assert_eq!(
            uleb128(&[0xff, 0xff, 0xff, 0xff, 0x7f], &mut at),
            None,
            "over 32 bits"
        );
    }
}
