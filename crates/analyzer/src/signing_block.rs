//! The APK Signing Block: the ID-value pairs stored between the last zip entry and the central
//! directory, which carry the v2, v3 and v3.1 signatures (and padding, verity and other blocks).
//!
//! Layout (all little-endian): `size_of_block: u64` (excluding this field), then pairs of
//! `len: u64, id: u32, value: [u8; len - 4]`, then `size_of_block: u64` again and the 16-byte
//! magic `"APK Sig Block 42"`, which ends immediately before the central directory.
//! This module finds and splits the block; verifying signatures is a separate concern.

use crate::bytes::{slice, u32_at, u64_at};
use crate::zip::ZipArchive;

const MAGIC: &[u8; 16] = b"APK Sig Block 42";
/// Footer: `size_of_block` and the magic.
const FOOTER_LEN: u64 = 24;

pub const V2_SCHEME_ID: u32 = 0x7109_871a;
pub const V3_SCHEME_ID: u32 = 0xf053_68c0;
pub const V31_SCHEME_ID: u32 = 0x1b93_ad61;
pub const VERITY_PADDING_ID: u32 = 0x4272_6577;
pub const STRIPPING_PROTECTION_ID: u32 = 0xbeef_f00d;
pub const SOURCE_STAMP_ID: u32 = 0x6dff_800d;

/// Why the bytes before the central directory are not a valid APK Signing Block.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SigningBlockError {
    #[error("APK Signing Block: size {size} in the footer does not fit before offset {cd_offset}")]
    SizeOutOfBounds { size: u64, cd_offset: u64 },
    #[error("APK Signing Block: header size {header} differs from footer size {footer}")]
    SizeMismatch { header: u64, footer: u64 },
    #[error("APK Signing Block: pair at offset {offset} is malformed")]
    BadPair { offset: u64 },
}

/// One ID-value pair.
#[derive(Debug, Clone, Copy)]
pub struct SigningBlockPair<'a> {
    pub id: u32,
    pub value: &'a [u8],
    /// Offset of the value in the file.
    pub offset: u64,
}

/// The APK Signing Block of an archive.
#[derive(Debug)]
pub struct SigningBlock<'a> {
    /// Offset of the block's first byte (its leading size field).
    pub offset: u64,
    pub pairs: Vec<SigningBlockPair<'a>>,
}

impl<'a> SigningBlock<'a> {
    /// Finds the block before the central directory: `Ok(None)` when the magic is absent.
    pub fn find(zip: &ZipArchive<'a>) -> Result<Option<Self>, SigningBlockError> {
        let data = zip.data();
        let cd_offset = zip.central_directory_offset;
        let Some(footer) = cd_offset.checked_sub(FOOTER_LEN) else {
            return Ok(None);
        };
        if slice(data, footer + 8, 16) != Some(&MAGIC[..]) {
            return Ok(None);
        }
        let footer_size = u64_at(data, footer).unwrap_or(0);
        let out_of_bounds = SigningBlockError::SizeOutOfBounds {
            size: footer_size,
            cd_offset,
        };
        // size_of_block counts the pairs and the footer, so it is at least the footer's length.
        if footer_size < FOOTER_LEN {
            return Err(out_of_bounds);
        }
        let offset = footer_size
            .checked_add(8)
            .and_then(|total| cd_offset.checked_sub(total))
            .ok_or(out_of_bounds)?;
        let header_size = u64_at(data, offset).unwrap_or(0);
        if header_size != footer_size {
            return Err(SigningBlockError::SizeMismatch {
                header: header_size,
                footer: footer_size,
            });
        }
        let pairs_end = footer;
        let mut pairs = Vec::new();
        let mut at = offset + 8;
        while at < pairs_end {
            let bad = SigningBlockError::BadPair { offset: at };
            let len = u64_at(data, at).ok_or(bad.clone())?;
            let value_len = len.checked_sub(4).ok_or(bad.clone())?;
            let end = (at + 8)
                .checked_add(len)
                .filter(|&e| e <= pairs_end)
                .ok_or(bad.clone())?;
            let id = u32_at(data, at + 8).ok_or(bad.clone())?;
            let value = slice(data, at + 12, value_len).ok_or(bad)?;
            pairs.push(SigningBlockPair {
                id,
                value,
                offset: at + 12,
            });
            at = end;
        }
        Ok(Some(SigningBlock { offset, pairs }))
    }

    /// The value of the first pair with this id.
    pub fn get(&self, id: u32) -> Option<&'a [u8]> {
        self.pairs.iter().find(|p| p.id == id).map(|p| p.value)
    }
}

/// The human name of a well-known signing block id.
pub fn block_name(id: u32) -> Option<&'static str> {
    Some(match id {
        V2_SCHEME_ID => "v2",
        V3_SCHEME_ID => "v3",
        V31_SCHEME_ID => "v3.1",
        VERITY_PADDING_ID => "padding",
        STRIPPING_PROTECTION_ID => "stripping-protection",
        SOURCE_STAMP_ID => "source-stamp",
        _ => return None,
    })
}
