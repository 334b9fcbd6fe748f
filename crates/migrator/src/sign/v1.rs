//! JAR signing (v1), as apksigner writes it: `META-INF/MANIFEST.MF` with a digest section per
//! entry, `META-INF/CERT.SF` with digests of the manifest and of each of its sections, and
//! `META-INF/CERT.RSA` (or `.EC`), a detached PKCS#7 SignedData over the `.SF` bytes with the
//! certificate chain and one SignerInfo without signed attributes (which Android before API 19
//! cannot verify).
//!
//! Digests are SHA-256; for apps that install below Android 4.3 (API 18), which knows only
//! SHA-1, SHA-1 digests are written beside them and the RSA signature uses SHA-1, as apksigner
//! does (ECDSA is refused there: those platforms cannot verify it).

use std::collections::BTreeMap;

use base64ct::{Base64, Encoding as _};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode as _, Encode as _};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};
use spki::AlgorithmIdentifierOwned;

use super::keys::{KeyKind, SignatureDigest, SigningKey};
use super::{SDK_JB_MR2, SignError};
use crate::repack::is_signature_file;

pub const MANIFEST_NAME: &str = "META-INF/MANIFEST.MF";
/// Signer name of the `.SF` and signature block files, apksigner's default.
pub const SIGNER_NAME: &str = "CERT";
const CREATED_BY: &str = "1.0 (HyperCompat)";
/// Manifest lines are at most 72 bytes with their CRLF.
const MAX_LINE_LEN: usize = 70;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// Whether a JAR manifest lists this entry: everything but directories and the signature
/// files themselves (apksigner's rule).
pub fn needs_digest(name: &[u8]) -> bool {
    !name.ends_with(b"/") && !is_signature_file(name)
}

/// The digests of one entry's uncompressed bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDigests {
    sha256: [u8; 32],
    sha1: Option<[u8; 20]>,
}

/// A JAR signer for one key and platform range.
#[derive(Debug)]
pub struct JarSigner<'k> {
    key: &'k SigningKey,
    /// Platforms below API 18 are in range: SHA-1 digests and an SHA-1 signature.
    legacy: bool,
}

impl<'k> JarSigner<'k> {
    pub fn new(key: &'k SigningKey, min_sdk: u32) -> Result<Self, SignError> {
        let legacy = min_sdk < SDK_JB_MR2;
        if legacy && key.kind() == KeyKind::EcdsaP256 {
            return Err(SignError::EcdsaBelowApi18(min_sdk));
        }
        Ok(JarSigner { key, legacy })
    }

    /// The digests the manifest will carry for an entry whose bytes `feed` gives, a piece at a
    /// time, to the function it is passed.
    pub fn digest<E>(
        &self,
        feed: impl FnOnce(&mut dyn FnMut(&[u8])) -> Result<(), E>,
    ) -> Result<EntryDigests, E> {
        let mut sha256 = Sha256::new();
        let mut sha1 = self.legacy.then(Sha1::new);
        feed(&mut |piece| {
            sha256.update(piece);
            if let Some(sha1) = &mut sha1 {
                sha1.update(piece);
            }
        })?;
        Ok(EntryDigests {
            sha256: sha256.finalize().into(),
            sha1: sha1.map(|sha1| sha1.finalize().into()),
        })
    }

    /// The signature files for `entries` (name → digests), in the order they are added to the
    /// APK: `CERT.SF`, `CERT.RSA`/`CERT.EC`, `MANIFEST.MF`. `apk_scheme_ids` are the APK
    /// Signing Block schemes also applied (2, 3), named in the `.SF` so that a verifier
    /// rejects the APK if someone strips them.
    pub fn sign(
        &self,
        entries: &BTreeMap<String, EntryDigests>,
        apk_scheme_ids: &[u32],
    ) -> Result<Vec<(String, Vec<u8>)>, SignError> {
        let mut manifest = Vec::new();
        write_attribute(&mut manifest, "Manifest-Version", "1.0");
        write_attribute(&mut manifest, "Created-By", CREATED_BY);
        manifest.extend_from_slice(b"\r\n");
        let mut sections: Vec<(&str, std::ops::Range<usize>)> = Vec::with_capacity(entries.len());
        for (name, digests) in entries {
            if name.contains(['\r', '\n', '\0']) {
                return Err(SignError::UnsignableName(name.clone()));
            }
            let start = manifest.len();
            write_attribute(&mut manifest, "Name", name);
            // Attributes in name order, as apksigner writes them.
            write_attribute(
                &mut manifest,
                "SHA-256-Digest",
                &Base64::encode_string(&digests.sha256),
            );
            if let Some(sha1) = &digests.sha1 {
                write_attribute(&mut manifest, "SHA1-Digest", &Base64::encode_string(sha1));
            }
            manifest.extend_from_slice(b"\r\n");
            sections.push((name, start..manifest.len()));
        }

        let mut sf = Vec::new();
        write_attribute(&mut sf, "Signature-Version", "1.0");
        write_attribute(&mut sf, "Created-By", CREATED_BY);
        write_attribute(
            &mut sf,
            "SHA-256-Digest-Manifest",
            &Base64::encode_string(&Sha256::digest(&manifest)),
        );
        if self.legacy {
            write_attribute(
                &mut sf,
                "SHA1-Digest-Manifest",
                &Base64::encode_string(&Sha1::digest(&manifest)),
            );
        }
        if !apk_scheme_ids.is_empty() {
            let ids: Vec<String> = apk_scheme_ids.iter().map(u32::to_string).collect();
            write_attribute(&mut sf, "X-Android-APK-Signed", &ids.join(", "));
        }
        sf.extend_from_slice(b"\r\n");
        for (name, range) in &sections {
            let section = manifest.get(range.clone()).unwrap_or_default();
            write_attribute(&mut sf, "Name", name);
            write_attribute(
                &mut sf,
                "SHA-256-Digest",
                &Base64::encode_string(&Sha256::digest(section)),
            );
            if self.legacy {
                write_attribute(
                    &mut sf,
                    "SHA1-Digest",
                    &Base64::encode_string(&Sha1::digest(section)),
                );
            }
            sf.extend_from_slice(b"\r\n");
        }
        // Android up to 1.6 fails on signature files whose length is a multiple of 1024.
        if sf.len().is_multiple_of(1024) {
            sf.extend_from_slice(b"\r\n");
        }

        let block = self.signature_block(&sf)?;
        Ok(vec![
            (format!("META-INF/{SIGNER_NAME}.SF"), sf),
            (
                format!("META-INF/{SIGNER_NAME}.{}", self.key.kind().jar_extension()),
                block,
            ),
            (MANIFEST_NAME.to_string(), manifest),
        ])
    }

    /// The detached PKCS#7 SignedData over `sf`.
    fn signature_block(&self, sf: &[u8]) -> Result<Vec<u8>, SignError> {
        let encoding = |what: &'static str| {
            move |e: der::Error| SignError::Encoding {
                what,
                reason: e.to_string(),
            }
        };
        let (digest, digest_oid) = if self.legacy {
            (SignatureDigest::Sha1, ID_SHA1)
        } else {
            (SignatureDigest::Sha256, ID_SHA256)
        };
        let signature_oid = match self.key.kind() {
            KeyKind::Rsa => RSA_ENCRYPTION,
            KeyKind::EcdsaP256 => EC_PUBLIC_KEY,
        };
        let with_null = |oid| AlgorithmIdentifierOwned {
            oid,
            parameters: Some(Any::null()),
        };
        let signature = self.key.sign(digest, sf).map_err(SignError::Signature)?;
        let certificate = self.key.certificate();
        let signer_info = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: certificate.tbs_certificate.issuer.clone(),
                serial_number: certificate.tbs_certificate.serial_number.clone(),
            }),
            digest_alg: with_null(digest_oid),
            signed_attrs: None,
            signature_algorithm: with_null(signature_oid),
            signature: OctetString::new(signature).map_err(encoding("signature"))?,
            unsigned_attrs: None,
        };
        let mut certificates = Vec::with_capacity(self.key.certificate_chain().len());
        for der in self.key.certificate_chain() {
            let parsed = x509_cert::Certificate::from_der(der).map_err(encoding("certificate"))?;
            certificates.push(CertificateChoices::Certificate(parsed));
        }
        let signed_data = SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![with_null(digest_oid)])
                .map_err(encoding("digest algorithms"))?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: ID_DATA,
                econtent: None,
            },
            certificates: Some(CertificateSet(
                SetOfVec::try_from(certificates).map_err(encoding("certificates"))?,
            )),
            crls: None,
            signer_infos: SignerInfos(
                SetOfVec::try_from(vec![signer_info]).map_err(encoding("signer info"))?,
            ),
        };
        let content_info = ContentInfo {
            content_type: ID_SIGNED_DATA,
            content: Any::encode_from(&signed_data).map_err(encoding("SignedData"))?,
        };
        content_info.to_der().map_err(encoding("ContentInfo"))
    }
}

/// Writes `name: value` as manifest lines: at most 70 bytes before each CRLF, continuation
/// lines starting with a space. Lines break between characters, never inside one, so that
/// readers that decode each line on its own see the same name.
fn write_attribute(out: &mut Vec<u8>, name: &str, value: &str) {
    let line = format!("{name}: {value}");
    let mut rest = line.as_str();
    let mut first = true;
    while first || !rest.is_empty() {
        let limit = if first { MAX_LINE_LEN } else { MAX_LINE_LEN - 1 };
        let mut cut = rest.len().min(limit);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        if !first {
            out.push(b' ');
        }
        out.extend_from_slice(&rest.as_bytes()[..cut]);
        out.extend_from_slice(b"\r\n");
        rest = &rest[cut..];
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_at_seventy_bytes_between_characters() {
        let mut out = Vec::new();
        write_attribute(&mut out, "Name", &"a".repeat(100));
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert_eq!(lines[0].len(), 70);
        assert!(lines[1].starts_with(' ') && lines[1].len() == 37);

        let mut out = Vec::new();
        let name = "é".repeat(60);
        write_attribute(&mut out, "Name", &name);
        let text = String::from_utf8(out).expect("no character split");
        let joined: String = text
            .split_terminator("\r\n")
            .enumerate()
            .map(|(i, l)| if i == 0 { l } else { &l[1..] })
            .collect();
        assert_eq!(joined, format!("Name: {name}"));
        assert!(text.split_terminator("\r\n").all(|l| l.len() <= 70));

        let mut out = Vec::new();
        write_attribute(&mut out, "Created-By", "");
        assert_eq!(out, b"Created-By: \r\n");
    }

    #[test]
    fn signature_files_are_recognised_only_directly_in_meta_inf() {
        for name in [
            "META-INF/MANIFEST.MF",
            "META-INF/cert.sf",
            "META-INF/X.RSA",
            "META-INF/A.DSA",
            "META-INF/K.EC",
            "META-INF/SIG-foo",
        ] {
            assert!(!needs_digest(name.as_bytes()), "{name}");
        }
        for name in [
            "META-INF/services/x.RSA",
            "META-INF/LICENSE",
            "classes.dex",
            "res/MANIFEST.MF",
        ] {
            assert!(needs_digest(name.as_bytes()), "{name}");
        }
        assert!(!needs_digest(b"res/"));
    }
}
