//! DEX files: the header, read in place.
//!
//! The header alone gives the version and the size of every ID table, which is what the
//! 65,536-reference limit and the inventory need; decoding of the tables and the code is layered
//! on top of this type.

use crate::bytes::{slice, u32_at};

/// Size of the DEX header in every version this reader knows.
pub const HEADER_LEN: u64 = 0x70;
const ENDIAN_CONSTANT: u32 = 0x1234_5678;
/// Versions Android's runtime accepts (041 is the multi-DEX container of Android 15).
pub const KNOWN_VERSIONS: [u16; 6] = [35, 37, 38, 39, 40, 41];

/// Why bytes are not a DEX file this reader accepts.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum DexError {
    #[error("not a DEX file: bad magic")]
    BadMagic,
    #[error("unknown DEX version {0:?}")]
    UnknownVersion(String),
    #[error("truncated DEX: {len} bytes, shorter than its {needed}-byte header")]
    Truncated { len: u64, needed: u64 },
    #[error("DEX header: unsupported endian tag {0:#010x}")]
    BadEndianTag(u32),
    #[error("DEX header: header_size {0} is not 0x70")]
    BadHeaderSize(u32),
}

/// The fixed header of a DEX file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DexHeader {
    /// Numeric version from the magic, e.g. 35 for `dex\n035\0`.
    pub version: u16,
    pub checksum: u32,
    pub file_size: u32,
    pub string_ids: u32,
    pub type_ids: u32,
    pub proto_ids: u32,
    pub field_ids: u32,
    pub method_ids: u32,
    pub class_defs: u32,
    pub data_size: u32,
}

impl DexHeader {
    pub fn parse(data: &[u8]) -> Result<Self, DexError> {
        let magic = slice(data, 0, 8).ok_or(DexError::BadMagic)?;
        if &magic[..4] != b"dex\n" || magic[7] != 0 {
            return Err(DexError::BadMagic);
        }
        let digits = &magic[4..7];
        let version = std::str::from_utf8(digits)
            .ok()
            .and_then(|text| text.parse::<u16>().ok())
            .filter(|v| KNOWN_VERSIONS.contains(v))
            .ok_or_else(|| DexError::UnknownVersion(String::from_utf8_lossy(digits).into_owned()))?;
        if (data.len() as u64) < HEADER_LEN {
            return Err(DexError::Truncated {
                len: data.len() as u64,
                needed: HEADER_LEN,
            });
        }
        // Every offset below is inside the 0x70 bytes checked above.
        let field = |offset: u64| u32_at(data, offset).unwrap_or_default();
        let endian = field(0x28);
        if endian != ENDIAN_CONSTANT {
            return Err(DexError::BadEndianTag(endian));
        }
        let header_size = field(0x24);
        if u64::from(header_size) != HEADER_LEN {
            return Err(DexError::BadHeaderSize(header_size));
        }
        Ok(DexHeader {
            version,
            checksum: field(0x08),
            file_size: field(0x20),
            string_ids: field(0x38),
            type_ids: field(0x40),
            proto_ids: field(0x48),
            field_ids: field(0x50),
            method_ids: field(0x58),
            class_defs: field(0x60),
            data_size: field(0x68),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(version: &[u8; 3]) -> Vec<u8> {
        let mut data = vec![0u8; HEADER_LEN as usize];
        data[..4].copy_from_slice(b"dex\n");
        data[4..7].copy_from_slice(version);
        data[0x24..0x28].copy_from_slice(&0x70u32.to_le_bytes());
        data[0x28..0x2c].copy_from_slice(&ENDIAN_CONSTANT.to_le_bytes());
        data[0x58..0x5c].copy_from_slice(&70_000u32.to_le_bytes());
        data
    }

    #[test]
    fn reads_version_and_counts() {
        let parsed = DexHeader::parse(&header(b"039")).unwrap();
        assert_eq!(parsed.version, 39);
        assert_eq!(parsed.method_ids, 70_000);
    }

    #[test]
    fn rejects_bad_inputs() {
        assert_eq!(DexHeader::parse(b"PK\x03\x04").unwrap_err(), DexError::BadMagic);
        assert_eq!(
            DexHeader::parse(&header(b"036")).unwrap_err(),
            DexError::UnknownVersion("036".into())
        );
        let mut swapped = header(b"035");
        swapped[0x28..0x2c].copy_from_slice(&0x7856_3412u32.to_le_bytes());
        assert_eq!(
            DexHeader::parse(&swapped).unwrap_err(),
            DexError::BadEndianTag(0x7856_3412)
        );
        assert!(matches!(
            DexHeader::parse(&header(b"035")[..50]).unwrap_err(),
            DexError::Truncated { len: 50, .. }
        ));
    }
}
