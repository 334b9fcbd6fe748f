//! APK Signature Scheme v2, v3 and v3.1: the signer blocks stored in the APK Signing Block.
//!
//! Each scheme block is `signers: prefixed([prefixed(signer)])`; a v2 signer is
//! `prefixed(signed_data), prefixed(signatures), prefixed(public_key)` and a v3 signer adds
//! `min_sdk: u32, max_sdk: u32` after the signed data. Signed data holds the content digests,
//! the certificates and (v3) the SDK range, then additional attributes. Every prefix is a
//! little-endian `u32` length. The content digests cover the three sections of the APK: the
//! entries before the signing block, the central directory, and the end record with its
//! central directory offset replaced by the signing block's offset.

use sha2::{Digest, Sha256, Sha512};

use super::x509::{self, HashAlgorithm, SignatureKind};
use super::{SchemeResult, SignatureError, SignerInfo};

/// Where the three digested sections of an APK are.
#[derive(Debug, Clone, Copy)]
pub struct ApkSections<'a> {
    /// The whole file.
    pub data: &'a [u8],
    pub signing_block_offset: u64,
    pub central_directory_offset: u64,
    pub eocd_offset: u64,
}

/// Which block is verified: they differ in layout (v2 has no SDK range) and SDK rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    V2,
    V3,
    V31,
}

const CHUNK_SIZE: usize = 1 << 20;
const STRIPPING_PROTECTION_ATTR: u32 = 0xbeef_f00d;
const PROOF_OF_ROTATION_ATTR: u32 = 0x3ba0_6f8c;
/// Android N (24), the first release with v2, and P (28), the first with v3 and verity.
const SDK_N: u32 = 24;
const SDK_P: u32 = 28;

/// Scheme ids as the stripping-protection attribute names them.
pub const SCHEME_ID_V3: u32 = 3;

/// The content digest a signature algorithm covers the APK with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ContentDigest {
    ChunkedSha256,
    VerityChunkedSha256,
    ChunkedSha512,
}

/// A signature algorithm of the v2/v3 format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Algorithm {
    id: u32,
    kind: SignatureKind,
    digest: ContentDigest,
    /// First platform that verifies it in an APK Signing Block.
    min_sdk: u32,
}

fn algorithm(id: u32) -> Option<Algorithm> {
    use HashAlgorithm::{Sha256 as S256, Sha512 as S512};
    use SignatureKind::*;
    let (kind, digest, min_sdk) = match id {
        0x0101 => (RsaPss(S256), ContentDigest::ChunkedSha256, SDK_N),
        0x0102 => (RsaPss(S512), ContentDigest::ChunkedSha512, SDK_N),
        0x0103 => (RsaPkcs1(S256), ContentDigest::ChunkedSha256, SDK_N),
        0x0104 => (RsaPkcs1(S512), ContentDigest::ChunkedSha512, SDK_N),
        0x0201 => (Ecdsa(S256), ContentDigest::ChunkedSha256, SDK_N),
        0x0202 => (Ecdsa(S512), ContentDigest::ChunkedSha512, SDK_N),
        0x0301 => (Dsa(S256), ContentDigest::ChunkedSha256, SDK_N),
        0x0421 => (RsaPkcs1(S256), ContentDigest::VerityChunkedSha256, SDK_P),
        0x0423 => (Ecdsa(S256), ContentDigest::VerityChunkedSha256, SDK_P),
        0x0425 => (Dsa(S256), ContentDigest::VerityChunkedSha256, SDK_P),
        _ => return None,
    };
    Some(Algorithm {
        id,
        kind,
        digest,
        min_sdk,
    })
}

/// A cursor over length-prefixed little-endian records.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Reader { rest: data }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.rest.split_first_chunk::<4>()?;
        self.rest = rest;
        Some(u32::from_le_bytes(*head))
    }

    /// Everything not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// A `u32` length and that many bytes.
    pub(crate) fn prefixed(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.u32()?).ok()?;
        if len > self.rest.len() {
            return None;
        }
        let (value, rest) = self.rest.split_at(len);
        self.rest = rest;
        Some(value)
    }
}

/// Parameters of one scheme verification, following apksigner.
#[derive(Debug, Clone)]
pub struct SchemeParams {
    pub kind: BlockKind,
    /// Lowest and highest platform the verification must hold for.
    pub min_sdk: u32,
    pub max_sdk: u32,
    /// v3 with a v3.1 block: the v3 signers need only cover platforms below this one.
    pub rotation_min_sdk: Option<u32>,
    /// Scheme ids (2, 3) that stripping protection may name and that were found and verified.
    pub supported_scheme_ids: Vec<u32>,
    pub found_scheme_ids: Vec<u32>,
}

/// One signer as parsed, before the content digests are checked.
struct ParsedSigner<'a> {
    info: SignerInfo,
    /// (signature algorithm id, digest) pairs of the signed data.
    digests: Vec<(u32, &'a [u8])>,
}

/// Verifies one scheme block `value` (the ID-value pair's value) of `apk`.
pub fn verify_block(apk: &ApkSections<'_>, value: &[u8], params: &SchemeParams) -> SchemeResult {
    let mut result = SchemeResult {
        present: true,
        checked: true,
        ..SchemeResult::default()
    };
    match verify_inner(apk, value, params, &mut result.signers) {
        Ok(()) => result.verified = true,
        Err(error) => result.error = Some(error),
    }
    result
}

fn verify_inner(
    apk: &ApkSections<'_>,
    value: &[u8],
    params: &SchemeParams,
    signers_out: &mut Vec<SignerInfo>,
) -> Result<(), SignatureError> {
    let mut block = Reader::new(value);
    let signers = block.prefixed().ok_or(SignatureError::Malformed("signers"))?;
    if signers.is_empty() {
        return Err(SignatureError::NoSigners);
    }
    let mut signers = Reader::new(signers);
    let mut parsed = Vec::new();
    let mut needed: Vec<ContentDigest> = Vec::new();
    while !signers.is_empty() {
        let signer = signers.prefixed().ok_or(SignatureError::Malformed("signer"))?;
        let signer = parse_signer(signer, params, &mut needed)?;
        signers_out.push(signer.info.clone());
        parsed.push(signer);
    }

    // Content digests, each computed once for all signers.
    needed.sort_unstable();
    needed.dedup();
    let mut computed = Vec::new();
    for &digest in &needed {
        computed.push((digest, content_digest(apk, digest)?));
    }
    for signer in &parsed {
        for &(id, expected) in &signer.digests {
            let Some(algorithm) = algorithm(id) else { continue };
            let Some((_, actual)) = computed.iter().find(|(d, _)| *d == algorithm.digest) else {
                continue;
            };
            if actual.as_slice() != expected {
                return Err(SignatureError::DigestMismatch { algorithm: id });
            }
        }
    }

    if params.kind != BlockKind::V2 {
        check_sdk_coverage(&parsed, params)?;
    }
    Ok(())
}

/// v3: the signers' SDK ranges, sorted, must be contiguous and cover the checked range.
fn check_sdk_coverage(parsed: &[ParsedSigner<'_>], params: &SchemeParams) -> Result<(), SignatureError> {
    let mut ranges: Vec<(u32, u32)> = parsed
        .iter()
        .map(|s| (s.info.min_sdk.unwrap_or(0), s.info.max_sdk.unwrap_or(0)))
        .collect();
    ranges.sort_by_key(|&(_, max)| max);
    let (mut first_min, mut last_max) = (None, 0u32);
    for (min, max) in ranges {
        match first_min {
            None => first_min = Some(min),
            Some(_) if Some(min) != last_max.checked_add(1) => {
                return Err(SignatureError::InconsistentSdkVersions);
            }
            Some(_) => {}
        }
        last_max = max;
    }
    let first_min = first_min.unwrap_or(0);
    let required_max = params
        .rotation_min_sdk
        .map_or(params.max_sdk, |rotation| rotation.saturating_sub(1));
    if first_min > params.min_sdk || last_max < required_max {
        return Err(SignatureError::MissingSdkVersions { first_min, last_max });
    }
    Ok(())
}

fn parse_signer<'a>(
    signer: &'a [u8],
    params: &SchemeParams,
    needed: &mut Vec<ContentDigest>,
) -> Result<ParsedSigner<'a>, SignatureError> {
    let v3 = params.kind != BlockKind::V2;
    let mut reader = Reader::new(signer);
    let signed_data = reader
        .prefixed()
        .ok_or(SignatureError::Malformed("signed data"))?;
    let (min_sdk, max_sdk) = if v3 {
        let min = reader
            .u32()
            .ok_or(SignatureError::Malformed("signer SDK range"))?;
        let max = reader
            .u32()
            .ok_or(SignatureError::Malformed("signer SDK range"))?;
        // apksigner reads these as Java ints: a negative minimum is invalid.
        if min > i32::MAX as u32 || (min as i32) > (max as i32) {
            return Err(SignatureError::InvalidSdkRange { min, max });
        }
        (min, max)
    } else {
        (params.min_sdk.max(SDK_N), params.max_sdk)
    };
    let signatures = reader.prefixed().ok_or(SignatureError::Malformed("signatures"))?;
    let public_key = reader.prefixed().ok_or(SignatureError::Malformed("public key"))?;

    // Signatures: unknown algorithms are skipped; at least one record must exist.
    let mut records = Vec::new();
    let mut supported = Vec::new();
    let mut signatures = Reader::new(signatures);
    while !signatures.is_empty() {
        let mut record = signatures
            .prefixed()
            .map(Reader::new)
            .ok_or(SignatureError::Malformed("signature record"))?;
        let id = record
            .u32()
            .ok_or(SignatureError::Malformed("signature record"))?;
        let bytes = record
            .prefixed()
            .ok_or(SignatureError::Malformed("signature record"))?;
        records.push(id);
        if let Some(algorithm) = algorithm(id) {
            supported.push((algorithm, bytes));
        }
    }
    if records.is_empty() {
        return Err(SignatureError::NoSignatures);
    }
    let to_verify = signatures_to_verify(&supported, min_sdk, max_sdk)?;
    let key = x509::parse_public_key(public_key)?;
    for (algorithm, bytes) in to_verify {
        if !x509::verify_signature(&key, algorithm.kind, signed_data, bytes) {
            return Err(SignatureError::SignatureDidNotVerify {
                algorithm: algorithm.id,
            });
        }
        needed.push(algorithm.digest);
    }

    // The signed data is authentic from here on.
    let mut data = Reader::new(signed_data);
    let digests = data.prefixed().ok_or(SignatureError::Malformed("digests"))?;
    let certificates = data.prefixed().ok_or(SignatureError::Malformed("certificates"))?;
    if v3 {
        let signed_min = data.u32().ok_or(SignatureError::Malformed("signed SDK range"))?;
        let signed_max = data.u32().ok_or(SignatureError::Malformed("signed SDK range"))?;
        if (signed_min, signed_max) != (min_sdk, max_sdk) {
            return Err(SignatureError::SdkRangeMismatch);
        }
    }
    let attributes = data
        .prefixed()
        .ok_or(SignatureError::Malformed("additional attributes"))?;

    let mut certificates = Reader::new(certificates);
    let mut first = None;
    while !certificates.is_empty() {
        let der = certificates
            .prefixed()
            .ok_or(SignatureError::Malformed("certificate"))?;
        let certificate = x509::parse_certificate(der)?;
        first.get_or_insert(certificate);
    }
    let certificate = first.ok_or(SignatureError::NoCertificates)?;
    if certificate.public_key.as_slice() != public_key {
        return Err(SignatureError::PublicKeyMismatch);
    }

    let mut digest_records = Vec::new();
    let mut digests = Reader::new(digests);
    while !digests.is_empty() {
        let mut record = digests
            .prefixed()
            .map(Reader::new)
            .ok_or(SignatureError::Malformed("digest record"))?;
        let id = record.u32().ok_or(SignatureError::Malformed("digest record"))?;
        let value = record
            .prefixed()
            .ok_or(SignatureError::Malformed("digest record"))?;
        digest_records.push((id, value));
    }
    if !digest_records
        .iter()
        .map(|(id, _)| *id)
        .eq(records.iter().copied())
    {
        return Err(SignatureError::AlgorithmListMismatch);
    }

    let mut lineage = Vec::new();
    let mut attributes = Reader::new(attributes);
    while !attributes.is_empty() {
        let mut attribute = attributes
            .prefixed()
            .map(Reader::new)
            .ok_or(SignatureError::Malformed("additional attribute"))?;
        let id = attribute
            .u32()
            .ok_or(SignatureError::Malformed("additional attribute"))?;
        match (params.kind, id) {
            (BlockKind::V2, STRIPPING_PROTECTION_ATTR) => {
                let scheme = attribute
                    .u32()
                    .ok_or(SignatureError::Malformed("additional attribute"))?;
                if params.supported_scheme_ids.contains(&scheme) && !params.found_scheme_ids.contains(&scheme)
                {
                    return Err(SignatureError::StrippedScheme {
                        scheme: scheme_name(scheme),
                    });
                }
            }
            (BlockKind::V3 | BlockKind::V31, PROOF_OF_ROTATION_ATTR) => {
                lineage = verify_lineage(attribute.rest())?;
                if lineage.last() != Some(&certificate.sha256) {
                    return Err(SignatureError::LineageMismatch);
                }
            }
            _ => {}
        }
    }

    Ok(ParsedSigner {
        info: SignerInfo {
            certificate_sha256: certificate.sha256,
            subject: certificate.subject,
            key_algorithm: certificate.key_algorithm,
            min_sdk: v3.then_some(min_sdk),
            max_sdk: v3.then_some(max_sdk),
            lineage,
            name: None,
        },
        digests: digest_records,
    })
}

/// Verifies a v3 proof-of-rotation lineage: `version: u32` (1), then length-prefixed nodes of
/// `prefixed(signed: prefixed(certificate), algorithm: u32), flags: u32, algorithm: u32,
/// prefixed(signature)`, where each node's signed data is signed by the previous node's key
/// with the algorithm the previous node names. Returns the certificates' SHA-256, oldest first.
pub fn verify_lineage(value: &[u8]) -> Result<Vec<[u8; 32]>, SignatureError> {
    let malformed = || SignatureError::Malformed("proof-of-rotation lineage");
    let mut reader = Reader::new(value);
    if reader.u32() != Some(1) {
        return Err(malformed());
    }
    let mut certificates: Vec<[u8; 32]> = Vec::new();
    let mut previous: Option<(x509::PublicKey, u32)> = None;
    while !reader.is_empty() {
        let mut node = reader.prefixed().map(Reader::new).ok_or_else(malformed)?;
        let signed = node.prefixed().ok_or_else(malformed)?;
        let _flags = node.u32().ok_or_else(malformed)?;
        let next_algorithm = node.u32().ok_or_else(malformed)?;
        let signature = node.prefixed().ok_or_else(malformed)?;
        let mut signed_reader = Reader::new(signed);
        let der = signed_reader.prefixed().ok_or_else(malformed)?;
        let signed_algorithm = signed_reader.u32().ok_or_else(malformed)?;
        if let Some((key, algorithm_id)) = &previous {
            let algorithm = algorithm(*algorithm_id).ok_or(SignatureError::LineageDidNotVerify)?;
            if signed_algorithm != *algorithm_id
                || !x509::verify_signature(key, algorithm.kind, signed, signature)
            {
                return Err(SignatureError::LineageDidNotVerify);
            }
        }
        let certificate = x509::parse_certificate(der)?;
        if certificates.contains(&certificate.sha256) {
            return Err(malformed());
        }
        certificates.push(certificate.sha256);
        previous = Some((x509::parse_public_key(&certificate.public_key)?, next_algorithm));
    }
    Ok(certificates)
}

pub(crate) fn scheme_name(id: u32) -> &'static str {
    match id {
        2 => "APK Signature Scheme v2",
        3 => "APK Signature Scheme v3",
        _ => "an unknown scheme",
    }
}

/// apksigner's choice: for each platform where some algorithm starts to be supported, the
/// strongest algorithm supported there; the lowest platform checked must be covered.
fn signatures_to_verify<'a>(
    supported: &[(Algorithm, &'a [u8])],
    min_sdk: u32,
    max_sdk: u32,
) -> Result<Vec<(Algorithm, &'a [u8])>, SignatureError> {
    let mut best: Vec<(Algorithm, &'a [u8])> = Vec::new();
    for &(algorithm, bytes) in supported {
        if algorithm.min_sdk > max_sdk {
            continue;
        }
        match best.iter_mut().find(|(b, _)| b.min_sdk == algorithm.min_sdk) {
            Some(slot) if algorithm.digest > slot.0.digest => *slot = (algorithm, bytes),
            Some(_) => {}
            None => best.push((algorithm, bytes)),
        }
    }
    let lowest = best.iter().map(|(a, _)| a.min_sdk).min();
    match lowest {
        Some(lowest) if lowest <= min_sdk => {}
        _ => return Err(SignatureError::NoSupportedSignatures),
    }
    best.sort_by_key(|(a, _)| a.id);
    Ok(best)
}

/// The three digested sections, the last as modified bytes.
fn sections<'a>(apk: &ApkSections<'a>) -> Result<[std::borrow::Cow<'a, [u8]>; 3], SignatureError> {
    let bad = SignatureError::Malformed("zip sections");
    let data = apk.data;
    let block = usize::try_from(apk.signing_block_offset).map_err(|_| bad.clone())?;
    let cd = usize::try_from(apk.central_directory_offset).map_err(|_| bad.clone())?;
    let eocd = usize::try_from(apk.eocd_offset).map_err(|_| bad.clone())?;
    let before = data.get(..block).ok_or(bad.clone())?;
    let central = data.get(cd..eocd).ok_or(bad.clone())?;
    let mut end = data.get(eocd..).ok_or(bad.clone())?.to_vec();
    let offset = u32::try_from(apk.signing_block_offset).map_err(|_| bad.clone())?;
    end.get_mut(16..20)
        .ok_or(bad)?
        .copy_from_slice(&offset.to_le_bytes());
    Ok([before.into(), central.into(), end.into()])
}

fn content_digest(apk: &ApkSections<'_>, digest: ContentDigest) -> Result<Vec<u8>, SignatureError> {
    let sections = sections(apk)?;
    let parts = [&*sections[0], &*sections[1], &*sections[2]];
    Ok(match digest {
        ContentDigest::ChunkedSha256 => chunked::<Sha256>(&parts),
        ContentDigest::ChunkedSha512 => chunked::<Sha512>(&parts),
        ContentDigest::VerityChunkedSha256 => {
            // The verity tree needs the signing block page-aligned, as apksigner checks.
            let block_len = apk.central_directory_offset - apk.signing_block_offset;
            if !apk.signing_block_offset.is_multiple_of(4096) || !block_len.is_multiple_of(4096) {
                return Err(SignatureError::Malformed(
                    "signing block not page-aligned for verity",
                ));
            }
            verity(&parts)
        }
    })
}

/// The v2 chunked digest: 1 MiB chunks of each section, each hashed as
/// `0xa5 || len_le32 || chunk`, then `0x5a || count_le32 || chunk digests`. Public for the
/// signer (`migrator::sign`), which must compute exactly what is verified here.
pub fn chunked<D: Digest>(sections: &[&[u8]]) -> Vec<u8> {
    let mut count: u32 = 0;
    let mut chunk_digests = Vec::new();
    for section in sections {
        for chunk in section.chunks(CHUNK_SIZE) {
            chunk_digests.extend_from_slice(&chunk_digest::<D>(chunk));
            crate::pager::done_with(chunk);
            count = count.wrapping_add(1);
        }
    }
    top_digest::<D>(count, &chunk_digests)
}

fn chunk_digest<D: Digest>(chunk: &[u8]) -> sha2::digest::Output<D> {
    let mut hasher = D::new();
    hasher.update([0xa5]);
    hasher.update((chunk.len() as u32).to_le_bytes());
    hasher.update(chunk);
    hasher.finalize()
}

fn top_digest<D: Digest>(count: u32, chunk_digests: &[u8]) -> Vec<u8> {
    let mut top = D::new();
    top.update([0x5a]);
    top.update(count.to_le_bytes());
    top.update(chunk_digests);
    top.finalize().to_vec()
}

/// [`chunked`] over sections that arrive a piece at a time (a signer writing its output):
/// [`Chunked::update`] with a section's bytes, [`Chunked::end_section`] after each section,
/// then [`Chunked::finish`]. Holds at most one chunk (1 MiB).
pub struct Chunked<D: Digest> {
    chunk: Vec<u8>,
    count: u32,
    chunk_digests: Vec<u8>,
    hash: std::marker::PhantomData<D>,
}

impl<D: Digest> std::fmt::Debug for Chunked<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chunked")
            .field("pending", &self.chunk.len())
            .field("chunks", &self.count)
            .finish()
    }
}

impl<D: Digest> Default for Chunked<D> {
    fn default() -> Self {
        Chunked {
            chunk: Vec::new(),
            count: 0,
            chunk_digests: Vec::new(),
            hash: std::marker::PhantomData,
        }
    }
}

impl<D: Digest> Chunked<D> {
    /// The next bytes of the current section.
    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let take = (CHUNK_SIZE - self.chunk.len()).min(data.len());
            self.chunk.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.chunk.len() == CHUNK_SIZE {
                self.end_chunk();
            }
        }
    }

    /// Ends the current section: its last chunk may be shorter than 1 MiB.
    pub fn end_section(&mut self) {
        if !self.chunk.is_empty() {
            self.end_chunk();
        }
    }

    fn end_chunk(&mut self) {
        self.chunk_digests
            .extend_from_slice(&chunk_digest::<D>(&self.chunk));
        self.count = self.count.wrapping_add(1);
        self.chunk.clear();
    }

    /// The digest of every section given, the last one ended here.
    pub fn finish(mut self) -> Vec<u8> {
        self.end_section();
        top_digest::<D>(self.count, &self.chunk_digests)
    }
}

/// The fs-verity style digest: the root of a SHA-256 Merkle tree over 4 KiB pages of the
/// three sections (each hash salted with eight zero bytes, the last page zero-padded), then
/// the total length as `u64` little-endian.
fn verity(sections: &[&[u8]]) -> Vec<u8> {
    const PAGE: usize = 4096;
    const SALT: [u8; 8] = [0; 8];
    let total: u64 = sections.iter().map(|s| s.len() as u64).sum();
    const ZEROS: [u8; PAGE] = [0; PAGE];
    let hash_page = |page: &[u8]| -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(SALT);
        hasher.update(page);
        hasher.update(&ZEROS[..PAGE - page.len().min(PAGE)]);
        hasher.finalize().into()
    };
    // Level 0: the sections as one stream of pages; only a partial page is ever copied.
    let mut level: Vec<u8> = Vec::new();
    let mut carry: Vec<u8> = Vec::with_capacity(PAGE);
    for section in sections {
        let mut rest: &[u8] = section;
        if !carry.is_empty() {
            let take = (PAGE - carry.len()).min(rest.len());
            carry.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if carry.len() == PAGE {
                level.extend_from_slice(&hash_page(&carry));
                carry.clear();
            }
        }
        let whole = rest.len() / PAGE * PAGE;
        for pages in rest[..whole].chunks(CHUNK_SIZE) {
            for page in pages.chunks(PAGE) {
                level.extend_from_slice(&hash_page(page));
            }
            crate::pager::done_with(pages);
        }
        carry.extend_from_slice(&rest[whole..]);
    }
    if !carry.is_empty() {
        level.extend_from_slice(&hash_page(&carry));
    }
    // Upper levels until one page remains.
    while level.len() > PAGE {
        let mut next = Vec::new();
        for page in level.chunks(PAGE) {
            next.extend_from_slice(&hash_page(page));
        }
        level = next;
    }
    let mut out = hash_page(&level).to_vec();
    out.extend_from_slice(&total.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_in_pieces_equals_chunked_whole() {
        let data: Vec<u8> = (0..5_000_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        // Sections around the chunk size: empty, shorter, exactly one chunk, several and a rest.
        for lengths in [
            [0, 10, 22],
            [1 << 20, 5, 1],
            [(1 << 20) + 1, 3 << 20, 100],
            [2_000_000, 0, 7],
        ] {
            let mut at = 0;
            let sections: Vec<&[u8]> = lengths
                .iter()
                .map(|&len| {
                    let section = &data[at..at + len];
                    at += len;
                    section
                })
                .collect();
            for piece in [1, 4096, 333_333, 1 << 20, 5 << 20] {
                let mut streamed = Chunked::<Sha256>::default();
                for section in &sections {
                    section.chunks(piece).for_each(|p| streamed.update(p));
                    streamed.end_section();
                }
                assert_eq!(
                    streamed.finish(),
                    chunked::<Sha256>(&sections),
                    "{lengths:?} in pieces of {piece}"
                );
            }
        }
    }

    #[test]
    fn lineages_must_be_version_one_and_well_formed() {
        assert!(verify_lineage(b"").is_err());
        assert!(verify_lineage(&[2, 0, 0, 0]).is_err());
        assert_eq!(verify_lineage(&[1, 0, 0, 0]).unwrap(), Vec::<[u8; 32]>::new());
        assert!(verify_lineage(&[1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0]).is_err());
    }

    #[test]
    fn reader_refuses_lengths_past_the_end() {
        let mut reader = Reader::new(&[3, 0, 0, 0, 1, 2]);
        assert_eq!(reader.prefixed(), None);
        let mut reader = Reader::new(&[2, 0, 0, 0, 1, 2, 0xff]);
        assert_eq!(reader.prefixed(), Some(&[1u8, 2][..]));
        assert_eq!(reader.u32(), None);
        let mut reader = Reader::new(&[0xff, 0xff, 0xff, 0xff]);
        assert_eq!(reader.prefixed(), None);
    }

    #[test]
    fn chunked_digest_of_empty_sections_is_the_count_header() {
        let empty: [&[u8]; 3] = [b"", b"", b""];
        let expected = Sha256::digest([0x5a, 0, 0, 0, 0]).to_vec();
        assert_eq!(chunked::<Sha256>(&empty), expected);
        // A section of exactly one chunk plus one byte gives two chunks.
        let big = vec![7u8; CHUNK_SIZE + 1];
        let mut manual = vec![0x5a, 2, 0, 0, 0];
        for chunk in big.chunks(CHUNK_SIZE) {
            let mut h = Sha256::new();
            h.update([0xa5]);
            h.update((chunk.len() as u32).to_le_bytes());
            h.update(chunk);
            manual.extend_from_slice(&h.finalize());
        }
        assert_eq!(
            chunked::<Sha256>(&[&big, b"", b""]),
            Sha256::digest(&manual).to_vec()
        );
    }

    #[test]
    fn selection_prefers_the_strongest_digest_per_platform() {
        let rsa256 = algorithm(0x0103).unwrap();
        let rsa512 = algorithm(0x0104).unwrap();
        let verity = algorithm(0x0421).unwrap();
        let chosen = signatures_to_verify(&[(rsa256, b"a"), (rsa512, b"b"), (verity, b"c")], 24, 40).unwrap();
        assert_eq!(
            chosen.iter().map(|(a, _)| a.id).collect::<Vec<_>>(),
            vec![0x0104, 0x0421]
        );
        // Verity alone does not cover Android N.
        assert_eq!(
            signatures_to_verify(&[(verity, b"c")], 24, 40).unwrap_err(),
            SignatureError::NoSupportedSignatures
        );
        assert!(signatures_to_verify(&[], 24, 40).is_err());
    }

    #[test]
    fn verity_of_one_page_hashes_it_twice() {
        let page = [1u8; 4096];
        let leaf: [u8; 32] = Sha256::new()
            .chain_update([0u8; 8])
            .chain_update(page)
            .finalize()
            .into();
        let mut padded = leaf.to_vec();
        padded.resize(4096, 0);
        let mut expected = Sha256::new()
            .chain_update([0u8; 8])
            .chain_update(&padded)
            .finalize()
            .to_vec();
        expected.extend_from_slice(&4096u64.to_le_bytes());
        assert_eq!(verity(&[&page, b"", b""]), expected);
        // Where the sections split the stream does not matter.
        let data: Vec<u8> = (0..3 * 4096 + 100).map(|i| i as u8).collect();
        let whole = verity(&[&data, b"", b""]);
        assert_eq!(verity(&[&data[..10], &data[10..5000], &data[5000..]]), whole);
        assert_eq!(verity(&[&data[..4096], &data[4096..4097], &data[4097..]]), whole);
        assert_eq!(whole[32..], (data.len() as u64).to_le_bytes());
    }
}
