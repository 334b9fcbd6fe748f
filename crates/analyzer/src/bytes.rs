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
}
