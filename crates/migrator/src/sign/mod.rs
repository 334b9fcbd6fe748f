//! Signing a repacked APK: JAR signature files (v1, [`v1`]) added as entries, then the APK
//! Signing Block with v2 and v3 signers ([`block`]) inserted before the central directory.
//! Signing always comes after alignment: the block's digests cover the final entry bytes.

pub mod block;
pub mod keys;
pub mod v1;

use analyzer::zip::ZipError;

pub use keys::{KeyError, KeyKind, PasswordSource, SigningKey};

/// Android N (24): the first platform that verifies the APK Signing Block.
pub const SDK_N: u32 = 24;
/// Android P (28): the first platform that verifies v3; v3 signers cover it and later.
pub const SDK_P: u32 = 28;
/// Android JB MR2 (18): the first that verifies SHA-256 and ECDSA in JAR signatures.
pub const SDK_JB_MR2: u32 = 18;

/// Which signatures to make, and for which platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignOptions {
    /// JAR signing, which Android before 7.0 (API 24) needs.
    pub v1: bool,
    /// APK Signature Scheme v2 (Android 7.0+).
    pub v2: bool,
    /// APK Signature Scheme v3 (Android 9+), for platforms 28 and up.
    pub v3: bool,
    /// The lowest platform the app installs on: picks SHA-1 for JAR signatures below 18.
    /// `None`: the `minSdkVersion` of the output's manifest, as apksigner reads it.
    pub min_sdk: Option<u32>,
}

impl Default for SignOptions {
    /// v1, v2 and v3, the min SDK from the manifest: what `apksigner sign` does by default.
    fn default() -> Self {
        SignOptions {
            v1: true,
            v2: true,
            v3: true,
            min_sdk: None,
        }
    }
}

/// Why an APK could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("no signature scheme selected")]
    NoScheme,
    #[error(transparent)]
    Entry(#[from] ZipError),
    #[error("JAR signing: entry name `{0}` is not UTF-8 or holds CR, LF or NUL")]
    UnsignableName(String),
    #[error("JAR signing with an ECDSA key needs min SDK 18 or higher; the app's is {0}")]
    EcdsaBelowApi18(u32),
    #[error("cannot tell the app's min SDK ({0}): give it explicitly")]
    MinSdkUnknown(String),
    #[error("signing failed: {0}")]
    Signature(String),
    #[error("encoding the {what} failed: {reason}")]
    Encoding { what: &'static str, reason: String },
    #[error("signed APK would need ZIP64 (4 GiB or more)")]
    TooLarge,
}

/// Appends `bytes` with its little-endian `u32` length, the framing of every APK Signing Block
/// record.
fn put_prefixed(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), SignError> {
    let len = u32::try_from(bytes.len()).map_err(|_| SignError::TooLarge)?;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}

/// The min SDK apksigner derives from a binary `AndroidManifest.xml` (1 when it declares
/// none, codenames mapped as apksigner maps them); `resources` (`resources.arsc`) resolves
/// references.
pub fn min_sdk_from_manifest(manifest: &[u8], resources: Option<&[u8]>) -> Result<u32, SignError> {
    use analyzer::arsc::ResourceTable;
    use analyzer::axml::XmlDocument;
    use analyzer::res::ParseMode;

    let unknown = |e: &dyn std::fmt::Display| SignError::MinSdkUnknown(format!("AndroidManifest.xml: {e}"));
    let document = XmlDocument::parse(manifest, ParseMode::Permissive).map_err(|e| unknown(&e))?;
    // A table that does not parse only costs the references it would resolve.
    let table = resources.and_then(|r| ResourceTable::parse(r, ParseMode::Permissive).ok());
    let parsed = analyzer::manifest::Manifest::parse(&document, table.as_ref()).map_err(|e| unknown(&e))?;
    Ok(analyzer::report::apksigner_min_sdk(parsed.min_sdk.as_ref()))
}
