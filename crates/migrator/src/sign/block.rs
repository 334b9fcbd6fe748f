//! The APK Signing Block with APK Signature Scheme v2 and v3 signers, inserted between the
//! last entry and the central directory of a written zip.
//!
//! Both schemes sign the same content digest: the v2 chunked SHA-256 over the entries, the
//! central directory, and the end record with its central directory offset pointing at the
//! block (that is, the zip as written before the block goes in). A signer is
//! `prefixed(signed data)`, (v3: `min_sdk, max_sdk`), `prefixed(signatures)`,
//! `prefixed(public key)`; the signed data holds the digests, the certificates, (v3: the SDK
//! range again) and additional attributes. With v3 also applied, the v2 signer carries the
//! stripping-protection attribute naming scheme 3. A verity padding pair rounds the block up
//! to a multiple of 4096 bytes, as apksigner lays it out.

use analyzer::signing_block::{STRIPPING_PROTECTION_ID, V2_SCHEME_ID, V3_SCHEME_ID, VERITY_PADDING_ID};

use super::keys::{KeyKind, SignatureDigest, SigningKey};
use super::{SDK_P, SignError, put_prefixed};

const MAGIC: &[u8; 16] = b"APK Sig Block 42";
const PAGE: usize = 4096;
/// Length, id: the smallest pair.
const MIN_PAIR_LEN: usize = 12;
/// The v3 signer covers every platform from Android P on.
const V3_MAX_SDK: u32 = i32::MAX as u32;
/// The scheme id stripping protection names for v3.
const SCHEME_V3: u32 = 3;

/// The signature algorithm id for a key: RSA PKCS#1 v1.5 with SHA-256 (0x0103) or ECDSA with
/// SHA-256 (0x0201), both over the chunked SHA-256 digest.
fn algorithm_id(kind: KeyKind) -> u32 {
    match kind {
        KeyKind::Rsa => 0x0103,
        KeyKind::EcdsaP256 => 0x0201,
    }
}

/// Which block schemes to sign with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockSchemes {
    pub v2: bool,
    pub v3: bool,
}

/// The APK Signing Block for a zip whose v2 chunked SHA-256 digest (over its entries, central
/// directory and end record, written without a block) is `digest`.
pub fn block(digest: &[u8], key: &SigningKey, schemes: BlockSchemes) -> Result<Vec<u8>, SignError> {
    if !schemes.v2 && !schemes.v3 {
        return Err(SignError::NoScheme);
    }
    let mut pairs: Vec<(u32, Vec<u8>)> = Vec::new();
    if schemes.v2 {
        pairs.push((V2_SCHEME_ID, scheme_block(key, digest, None, schemes.v3)?));
    }
    if schemes.v3 {
        pairs.push((
            V3_SCHEME_ID,
            scheme_block(key, digest, Some((SDK_P, V3_MAX_SDK)), false)?,
        ));
    }
    signing_block(&pairs)
}

/// The end record `end` of a zip whose entries take `entries_len` bytes, with its central
/// directory offset (at 16) moved past a signing block of `block_len` bytes inserted there.
pub fn moved_end(end: &[u8], entries_len: usize, block_len: usize) -> Result<Vec<u8>, SignError> {
    let new_cd = entries_len
        .checked_add(block_len)
        .and_then(|cd| u32::try_from(cd).ok())
        .ok_or(SignError::TooLarge)?;
    let mut end = end.to_vec();
    end.get_mut(16..20)
        .ok_or_else(|| SignError::Encoding {
            what: "zip sections",
            reason: "an end record shorter than 22 bytes".into(),
        })?
        .copy_from_slice(&new_cd.to_le_bytes());
    Ok(end)
}

/// The value of a v2 (`sdk_range` `None`) or v3 block: one signer.
fn scheme_block(
    key: &SigningKey,
    digest: &[u8],
    sdk_range: Option<(u32, u32)>,
    stripping_protection: bool,
) -> Result<Vec<u8>, SignError> {
    let algorithm = algorithm_id(key.kind());

    let mut digest_record = algorithm.to_le_bytes().to_vec();
    put_prefixed(&mut digest_record, digest)?;
    let mut digests = Vec::new();
    put_prefixed(&mut digests, &digest_record)?;

    let mut certificates = Vec::new();
    for der in key.certificate_chain() {
        put_prefixed(&mut certificates, der)?;
    }

    let mut attributes = Vec::new();
    if stripping_protection {
        let mut attribute = STRIPPING_PROTECTION_ID.to_le_bytes().to_vec();
        attribute.extend_from_slice(&SCHEME_V3.to_le_bytes());
        put_prefixed(&mut attributes, &attribute)?;
    }

    let mut signed_data = Vec::new();
    put_prefixed(&mut signed_data, &digests)?;
    put_prefixed(&mut signed_data, &certificates)?;
    if let Some((min, max)) = sdk_range {
        signed_data.extend_from_slice(&min.to_le_bytes());
        signed_data.extend_from_slice(&max.to_le_bytes());
    }
    put_prefixed(&mut signed_data, &attributes)?;

    let signature = key
        .sign(SignatureDigest::Sha256, &signed_data)
        .map_err(SignError::Signature)?;
    let mut signature_record = algorithm.to_le_bytes().to_vec();
    put_prefixed(&mut signature_record, &signature)?;
    let mut signatures = Vec::new();
    put_prefixed(&mut signatures, &signature_record)?;

    let mut signer = Vec::new();
    put_prefixed(&mut signer, &signed_data)?;
    if let Some((min, max)) = sdk_range {
        signer.extend_from_slice(&min.to_le_bytes());
        signer.extend_from_slice(&max.to_le_bytes());
    }
    put_prefixed(&mut signer, &signatures)?;
    put_prefixed(&mut signer, key.public_key())?;

    let mut signers = Vec::new();
    put_prefixed(&mut signers, &signer)?;
    let mut value = Vec::new();
    put_prefixed(&mut value, &signers)?;
    Ok(value)
}

/// The APK Signing Block holding `pairs`, padded to a multiple of 4096 bytes.
fn signing_block(pairs: &[(u32, Vec<u8>)]) -> Result<Vec<u8>, SignError> {
    // Leading size, pairs, trailing size, magic.
    let unpadded = 8 + pairs.iter().map(|(_, v)| MIN_PAIR_LEN + v.len()).sum::<usize>() + 8 + MAGIC.len();
    let mut padding = (PAGE - unpadded % PAGE) % PAGE;
    if padding != 0 && padding < MIN_PAIR_LEN {
        padding += PAGE;
    }
    let total = unpadded + padding;
    let size = (total - 8) as u64;
    let mut block = Vec::with_capacity(total);
    block.extend_from_slice(&size.to_le_bytes());
    let mut put_pair = |id: u32, value: &[u8]| {
        block.extend_from_slice(&(value.len() as u64 + 4).to_le_bytes());
        block.extend_from_slice(&id.to_le_bytes());
        block.extend_from_slice(value);
    };
    for (id, value) in pairs {
        put_pair(*id, value);
    }
    if padding != 0 {
        put_pair(VERITY_PADDING_ID, &vec![0; padding - MIN_PAIR_LEN]);
    }
    block.extend_from_slice(&size.to_le_bytes());
    block.extend_from_slice(MAGIC);
    debug_assert_eq!(block.len() % PAGE, 0);
    Ok(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_whole_pages() {
        for len in [
            0usize,
            1,
            4000,
            4096 - 32 - 12,
            4096 - 32 - 12 - 5,
            4096 - 32 - 12 + 1,
            9000,
        ] {
            let block = signing_block(&[(V2_SCHEME_ID, vec![7; len])]).unwrap();
            assert_eq!(block.len() % PAGE, 0, "value of {len} bytes");
            assert_eq!(&block[block.len() - 16..], MAGIC);
            let size = u64::from_le_bytes(block[..8].try_into().unwrap());
            assert_eq!(size as usize, block.len() - 8);
            let trailing = u64::from_le_bytes(block[block.len() - 24..block.len() - 16].try_into().unwrap());
            assert_eq!(trailing, size);
        }
    }
}
