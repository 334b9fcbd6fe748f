//! APK signature verification: JAR (v1), APK Signature Scheme v2, v3 and v3.1, and the
//! overall verdict `apksigner verify` gives for a range of platform versions.
//!
//! The verdict follows apksigner's order: on platforms from Android N (24) the APK Signing
//! Block is checked first (v3.1 from 33, v3 from 28, v2 while platforms below 28 are in range
//! or no v3 was found), and a signature that is present but fails rejects the APK. JAR
//! signatures are checked when platforms below 24 are in range or no block scheme was found.
//! Everything is read in place; the only copies are the modified end record and inflated
//! entries (JAR signature files, and each entry while its JAR digest is checked).
//!
//! Not covered: the v4 (`.idsig`) scheme, source stamps, the `targetSandboxVersion` rule,
//! consolidation of several v3 signers' lineages, and BER (non-DER) PKCS#7 or certificates.

pub mod v1;
pub mod v2v3;
pub mod x509;

use crate::signing_block::{SigningBlock, V2_SCHEME_ID, V3_SCHEME_ID, V31_SCHEME_ID};
use crate::zip::{ZipArchive, ZipError};

pub use x509::KeyAlgorithm;

use v2v3::{ApkSections, BlockKind, SchemeParams};

/// Android N: the first platform that verifies the APK Signing Block.
pub const SDK_N: u32 = 24;
/// Android P: the first platform that verifies v3.
pub const SDK_P: u32 = 28;
/// Android T: the first platform with v3.1.
pub const SDK_T: u32 = 33;
/// Android R (30): apps targeting it must carry v2 or newer.
pub const SDK_R: u32 = 30;

/// Why a signature scheme (or the whole APK) does not verify.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("malformed {0}")]
    Malformed(&'static str),
    #[error("no signers")]
    NoSigners,
    #[error("signer has no signatures")]
    NoSignatures,
    #[error("no signature with an algorithm supported on the platforms checked")]
    NoSupportedSignatures,
    #[error("malformed public key")]
    MalformedPublicKey,
    #[error("unsupported public key: {0}")]
    UnsupportedKey(String),
    #[error("malformed certificate")]
    MalformedCertificate,
    #[error("signer has no certificates")]
    NoCertificates,
    #[error("signature (algorithm 0x{algorithm:04x}) over the signed data did not verify")]
    SignatureDidNotVerify { algorithm: u32 },
    #[error("signer's public key differs from its first certificate's")]
    PublicKeyMismatch,
    #[error("signature algorithms differ between the digests and signatures records")]
    AlgorithmListMismatch,
    #[error("APK content digest (algorithm 0x{algorithm:04x}) does not match: APK modified after signing")]
    DigestMismatch { algorithm: u32 },
    #[error("invalid signer SDK range {min}..={max}")]
    InvalidSdkRange { min: u32, max: u32 },
    #[error("signer SDK range differs from the signed data's")]
    SdkRangeMismatch,
    #[error("signers' SDK ranges overlap or leave gaps")]
    InconsistentSdkVersions,
    #[error("signers cover SDK {first_min}..={last_max} only, not every platform checked")]
    MissingSdkVersions { first_min: u32, last_max: u32 },
    #[error("signature says the APK is also signed with {scheme}, which is absent: signature stripped?")]
    StrippedScheme { scheme: &'static str },
    #[error("v3.1 block without a v3 block")]
    V31WithoutV3,
    #[error("missing META-INF/MANIFEST.MF")]
    NoManifest,
    #[error("no JAR signatures")]
    NoJarSignatures,
    #[error("JAR signer {signer}: {reason}")]
    JarSigner { signer: String, reason: String },
    #[error("entry `{entry}`: {reason}")]
    JarEntry { entry: String, reason: String },
    #[error("no signature scheme verified")]
    NotSigned,
    #[error("targetSdkVersion {target_sdk} requires APK Signature Scheme v2 or newer")]
    MinSchemeForTargetSdk { target_sdk: u32 },
    #[error("proof-of-rotation lineage did not verify")]
    LineageDidNotVerify,
    #[error("proof-of-rotation lineage does not end with the signer's certificate")]
    LineageMismatch,
    #[error("signers differ between {0}")]
    SignerMismatch(&'static str),
}

/// Why an APK could not be examined at all.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    #[error(transparent)]
    Zip(#[from] ZipError),
    #[error("min SDK {min} is above max SDK {max}")]
    BadSdkRange { min: u32, max: u32 },
}

/// One signer of one scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerInfo {
    /// SHA-256 of the signer's (first) certificate DER.
    pub certificate_sha256: [u8; 32],
    /// Certificate subject, formatted like apksigner's `certificate DN`.
    pub subject: String,
    pub key_algorithm: KeyAlgorithm,
    /// v3/v3.1: the platform range this signer is for.
    pub min_sdk: Option<u32>,
    pub max_sdk: Option<u32>,
    /// v3/v3.1: the verified proof-of-rotation lineage, as certificate SHA-256 digests from the
    /// oldest to this signer's; empty when the signer has none.
    pub lineage: Vec<[u8; 32]>,
    /// v1: the signature block file name (`META-INF/CERT.RSA`).
    pub name: Option<String>,
}

/// The result of one scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemeResult {
    /// The APK carries this scheme's signature (for v1: `META-INF/MANIFEST.MF` or a `.SF`).
    pub present: bool,
    /// apksigner's rules required checking it for the platform range.
    pub checked: bool,
    /// Checked and valid: what `apksigner verify -v` reports as "Verified using".
    pub verified: bool,
    /// The first problem found, when checked and not valid.
    pub error: Option<SignatureError>,
    /// Signers parsed before verification stopped (all of them when verified).
    pub signers: Vec<SignerInfo>,
}

/// Platform range to verify for, as apksigner's `--min-sdk-version` / `--max-sdk-version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The app's `minSdkVersion` (1 when the manifest has none).
    pub min_sdk: u32,
    /// apksigner's default is `i32::MAX`.
    pub max_sdk: u32,
    /// The app's `targetSdkVersion`, when known: 30 and above require v2 or newer.
    pub target_sdk: Option<u32>,
}

impl VerifyOptions {
    /// All platforms from `min_sdk` on, as `apksigner verify` checks by default.
    pub fn from_min_sdk(min_sdk: u32) -> Self {
        VerifyOptions {
            min_sdk,
            max_sdk: i32::MAX as u32,
            target_sdk: None,
        }
    }
}

/// The verdict over all schemes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub v1: SchemeResult,
    pub v2: SchemeResult,
    pub v3: SchemeResult,
    pub v31: SchemeResult,
    /// `apksigner verify` would print "Verifies".
    pub verified: bool,
    /// Why not, when not verified.
    pub error: Option<SignatureError>,
    /// SHA-256 of the signing certificates apksigner prints (the newest v3.1/v3 signer, else
    /// every v2 signer, else every v1 signer); empty when not verified.
    pub signer_certificates: Vec<[u8; 32]>,
}

/// Verifies the signatures of the APK in `data` for the platforms in `options`.
pub fn verify_apk(data: &[u8], options: &VerifyOptions) -> Result<Verification, VerifyError> {
    verify_zip(&ZipArchive::parse(data)?, options)
}

/// [`verify_apk`] for an APK already parsed.
pub fn verify_zip(zip: &ZipArchive<'_>, options: &VerifyOptions) -> Result<Verification, VerifyError> {
    let (min_sdk, max_sdk) = (options.min_sdk, options.max_sdk);
    if min_sdk > max_sdk {
        return Err(VerifyError::BadSdkRange {
            min: min_sdk,
            max: max_sdk,
        });
    }
    let data = zip.data();
    let block = find_block(zip);
    let sections = block.as_ref().map(|b| ApkSections {
        data,
        signing_block_offset: b.offset,
        central_directory_offset: zip.central_directory_offset,
        eocd_offset: zip.eocd_offset,
    });
    let value = |id| block.as_ref().and_then(|b| b.get(id));

    let mut out = Verification {
        v1: SchemeResult::default(),
        v2: SchemeResult {
            present: value(V2_SCHEME_ID).is_some(),
            ..SchemeResult::default()
        },
        v3: SchemeResult {
            present: value(V3_SCHEME_ID).is_some(),
            ..SchemeResult::default()
        },
        v31: SchemeResult {
            present: value(V31_SCHEME_ID).is_some(),
            ..SchemeResult::default()
        },
        verified: false,
        error: None,
        signer_certificates: Vec::new(),
    };
    out.v1.present = v1::is_present(zip);

    let supported_scheme_ids: Vec<u32> = if max_sdk >= SDK_P {
        vec![2, 3]
    } else if max_sdk >= SDK_N {
        vec![2]
    } else {
        Vec::new()
    };
    let mut found: Vec<u32> = Vec::new();
    let params = |kind, min_sdk, rotation_min_sdk, found: &Vec<u32>| SchemeParams {
        kind,
        min_sdk,
        max_sdk,
        rotation_min_sdk,
        supported_scheme_ids: supported_scheme_ids.clone(),
        found_scheme_ids: found.clone(),
    };

    if max_sdk >= SDK_N
        && let Some(sections) = &sections
    {
        let mut rotation_min_sdk = None;
        if max_sdk >= SDK_T
            && let Some(value) = value(V31_SCHEME_ID)
        {
            out.v31 = v2v3::verify_block(
                sections,
                value,
                &params(BlockKind::V31, min_sdk.max(SDK_T), None, &found),
            );
            found.push(31);
            rotation_min_sdk = out.v31.signers.iter().filter_map(|s| s.min_sdk).min();
            if let Some(error) = out.v31.error.clone() {
                return Ok(fail(out, error));
            }
        }
        if max_sdk >= SDK_P {
            if let Some(value) = value(V3_SCHEME_ID) {
                let p = params(BlockKind::V3, min_sdk.max(SDK_P), rotation_min_sdk, &found);
                out.v3 = v2v3::verify_block(sections, value, &p);
                found.push(3);
                if let Some(error) = out.v3.error.clone() {
                    return Ok(fail(out, error));
                }
            } else if found.contains(&31) {
                return Ok(fail(out, SignatureError::V31WithoutV3));
            }
        }
        if (min_sdk < SDK_P || found.is_empty())
            && let Some(value) = value(V2_SCHEME_ID)
        {
            let p = params(BlockKind::V2, min_sdk.max(SDK_N), None, &found);
            out.v2 = v2v3::verify_block(sections, value, &p);
            found.push(2);
            if let Some(error) = out.v2.error.clone() {
                return Ok(fail(out, error));
            }
        }
    }

    if min_sdk < SDK_N || found.is_empty() {
        out.v1 = v1::verify(zip, min_sdk, max_sdk, &supported_scheme_ids, &found);
        if let Some(error) = out.v1.error.clone() {
            return Ok(fail(out, error));
        }
    }

    // Signers must agree between schemes.
    if out.v1.verified && out.v2.verified {
        let v1: Vec<_> = out.v1.signers.iter().map(|s| s.certificate_sha256).collect();
        let v2: Vec<_> = out.v2.signers.iter().map(|s| s.certificate_sha256).collect();
        if v1.iter().any(|c| !v2.contains(c)) || v2.iter().any(|c| !v1.contains(c)) {
            return Ok(fail(out, SignatureError::SignerMismatch("v1 and v2")));
        }
    }
    if out.v3.verified && (out.v1.verified || out.v2.verified) {
        let older = if out.v1.verified {
            &out.v1.signers
        } else {
            &out.v2.signers
        };
        let newest = out.v3.signers.last();
        let lineage = out.v3.signers.iter().map(|s| &s.lineage).max_by_key(|l| l.len());
        let older_certificate = older.first().map(|s| s.certificate_sha256);
        // Without rotation the one v3 signer is the older schemes' signer; with rotation the
        // older schemes' signer is the lineage's root.
        let matches = match lineage {
            Some(lineage) if !lineage.is_empty() => lineage.first().copied() == older_certificate,
            _ => out.v3.signers.len() == 1 && newest.map(|s| s.certificate_sha256) == older_certificate,
        };
        if older.len() != 1 || !matches {
            return Ok(fail(out, SignatureError::SignerMismatch("v3 and older schemes")));
        }
    }
    if let Some(target_sdk) = options.target_sdk
        && target_sdk >= SDK_R
        && max_sdk >= target_sdk
        && !(out.v2.verified || out.v3.verified || out.v31.verified)
    {
        return Ok(fail(out, SignatureError::MinSchemeForTargetSdk { target_sdk }));
    }
    if !(out.v1.verified || out.v2.verified || out.v3.verified || out.v31.verified) {
        return Ok(fail(out, SignatureError::NotSigned));
    }

    out.verified = true;
    let newest = |scheme: &SchemeResult| scheme.signers.last().map(|s| vec![s.certificate_sha256]);
    out.signer_certificates = if out.v31.verified {
        newest(&out.v31).unwrap_or_default()
    } else if out.v3.verified {
        newest(&out.v3).unwrap_or_default()
    } else if out.v2.verified {
        out.v2.signers.iter().map(|s| s.certificate_sha256).collect()
    } else {
        out.v1.signers.iter().map(|s| s.certificate_sha256).collect()
    };
    Ok(out)
}

fn fail(mut out: Verification, error: SignatureError) -> Verification {
    out.verified = false;
    out.error = Some(error);
    out
}

/// The APK Signing Block as apksigner finds it: immediately before a central directory that
/// immediately precedes the end record. A malformed block counts as absent, as in apksigner.
fn find_block<'a>(zip: &ZipArchive<'a>) -> Option<SigningBlock<'a>> {
    let cd_end = zip
        .central_directory_offset
        .checked_add(zip.central_directory_size)?;
    if cd_end != zip.eocd_offset {
        return None;
    }
    SigningBlock::find(zip).ok().flatten()
}
