//! The building blocks shared by Android's compiled resource formats: the chunk header that frames
//! every structure of binary XML and `resources.arsc`, the string pool (`ResStringPool`) and the
//! typed value (`Res_value`).
//!
//! The layouts are those of `frameworks/base/libs/androidfw/include/androidfw/ResourceTypes.h`.
//! Where Android's own parser (`ResourceTypes.cpp`) accepts files that bend the layout, the
//! [`ParseMode::Permissive`] mode accepts them too; [`ParseMode::Strict`] refuses everything that
//! aapt and aapt2 never write.

pub mod android_attrs;
pub(crate) mod string_pool;
mod value;

pub use string_pool::{StringPool, StringPoolError};
pub use value::{Complex, ComplexUnit, ResValue, Value, data_type};

use crate::bytes::{u16_at, u32_at};

/// How closely a reader holds a file to the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParseMode {
    /// Accept what Android's runtime parser accepts: chunk headers larger than their structure,
    /// unknown chunks, attribute records larger than 20 bytes, string pools whose size is not a
    /// multiple of 4, offsets that only the whole file (not the chunk) can hold. Obfuscators rely
    /// on exactly these, so this is what an analyzer of real APKs uses.
    #[default]
    Permissive,
    /// Additionally refuse anything aapt and aapt2 never write: a file that passes is well formed,
    /// not merely loadable.
    Strict,
}

impl ParseMode {
    pub fn is_strict(self) -> bool {
        self == ParseMode::Strict
    }
}

/// Chunk types (`RES_*_TYPE` in `ResourceTypes.h`).
pub mod chunk_type {
    pub const NULL: u16 = 0x0000;
    pub const STRING_POOL: u16 = 0x0001;
    pub const TABLE: u16 = 0x0002;
    pub const XML: u16 = 0x0003;
    pub const XML_FIRST_CHUNK: u16 = 0x0100;
    pub const XML_START_NAMESPACE: u16 = 0x0100;
    pub const XML_END_NAMESPACE: u16 = 0x0101;
    pub const XML_START_ELEMENT: u16 = 0x0102;
    pub const XML_END_ELEMENT: u16 = 0x0103;
    pub const XML_CDATA: u16 = 0x0104;
    pub const XML_LAST_CHUNK: u16 = 0x017f;
    pub const XML_RESOURCE_MAP: u16 = 0x0180;
    pub const TABLE_PACKAGE: u16 = 0x0200;
    pub const TABLE_TYPE: u16 = 0x0201;
    pub const TABLE_TYPE_SPEC: u16 = 0x0202;
    pub const TABLE_LIBRARY: u16 = 0x0203;
    pub const TABLE_OVERLAYABLE: u16 = 0x0204;
    pub const TABLE_OVERLAYABLE_POLICY: u16 = 0x0205;
    pub const TABLE_STAGED_ALIAS: u16 = 0x0206;
}

/// `ResChunk_header`: the 8 bytes that start every chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkHeader {
    pub chunk_type: u16,
    /// Size of the chunk's header, where its body starts.
    pub header_size: u16,
    /// Size of the whole chunk, header included.
    pub size: u32,
    /// Offset of the chunk in the buffer it was read from.
    pub offset: usize,
}

impl ChunkHeader {
    pub const LEN: usize = 8;

    /// The header at `offset`, or `None` when fewer than 8 bytes remain.
    pub fn read(data: &[u8], offset: usize) -> Option<ChunkHeader> {
        let at = offset as u64;
        Some(ChunkHeader {
            chunk_type: u16_at(data, at)?,
            header_size: u16_at(data, at + 2)?,
            size: u32_at(data, at + 4)?,
            offset,
        })
    }

    /// Android's `validate_chunk`: the header is at least `min_header` bytes, fits in the chunk,
    /// both sizes are multiples of 4, and the chunk ends at or before `end`.
    pub fn validate(&self, min_header: usize, end: usize) -> Result<(), &'static str> {
        let header = usize::from(self.header_size);
        let size = self.size as usize;
        if header < min_header {
            return Err("chunk header is too small");
        }
        if header > size {
            return Err("chunk is smaller than its header");
        }
        if (header | size) & 3 != 0 {
            return Err("chunk size is not a multiple of 4");
        }
        if self
            .offset
            .checked_add(size)
            .is_none_or(|chunk_end| chunk_end > end)
        {
            return Err("chunk extends past the end of its parent");
        }
        Ok(())
    }

    /// Offset just past the chunk (saturating; only meaningful after [`Self::validate`]).
    pub fn end(&self) -> usize {
        self.offset.saturating_add(self.size as usize)
    }

    /// Offset of the chunk's body.
    pub fn body(&self) -> usize {
        self.offset.saturating_add(usize::from(self.header_size))
    }
}

/// Name of an attribute of the `android` package (`0x0101xxxx`) in API 29's framework-res.apk.
/// Android resolves manifest attributes by this id, never by the name stored in the file.
pub fn android_attr_name(id: u32) -> Option<&'static str> {
    let attrs = android_attrs::ATTRS;
    attrs
        .binary_search_by_key(&id, |&(attr, _)| attr)
        .ok()
        .map(|index| attrs[index].1)
}

/// Resource id of an attribute of the `android` package, by name (the inverse of
/// [`android_attr_name`]).
pub fn android_attr_id(name: &str) -> Option<u32> {
    android_attrs::ATTRS
        .iter()
        .find(|&&(_, attr)| attr == name)
        .map(|&(id, _)| id)
}

/// The string that a C-string API (aapt's output) shows: text up to the first NUL.
pub fn until_nul(text: &str) -> &str {
    text.split('\0').next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_validation_follows_validate_chunk() {
        let mut data = vec![0u8; 16];
        data[0..2].copy_from_slice(&0x0003u16.to_le_bytes());
        data[2..4].copy_from_slice(&8u16.to_le_bytes());
        data[4..8].copy_from_slice(&16u32.to_le_bytes());
        let header = ChunkHeader::read(&data, 0).unwrap();
        assert_eq!(header.validate(8, 16), Ok(()));
        assert!(header.validate(12, 16).is_err());
        assert!(header.validate(8, 15).is_err());
        data[4..8].copy_from_slice(&14u32.to_le_bytes());
        let header = ChunkHeader::read(&data, 0).unwrap();
        assert_eq!(header.validate(8, 16), Err("chunk size is not a multiple of 4"));
        data[4..8].copy_from_slice(&4u32.to_le_bytes());
        let header = ChunkHeader::read(&data, 0).unwrap();
        assert_eq!(header.validate(8, 16), Err("chunk is smaller than its header"));
        assert_eq!(ChunkHeader::read(&data, 9), None);
        assert_eq!(ChunkHeader::read(&data, usize::MAX), None);
    }

    #[test]
    fn nul_truncation() {
        assert_eq!(until_nul("abc\0def"), "abc");
        assert_eq!(until_nul(""), "");
    }
}
