//! JAR signatures (v1): `META-INF/MANIFEST.MF` digests of every entry, `.SF` signature files
//! with digests of the manifest and its sections, and PKCS#7 `SignedData` signature blocks
//! (`.RSA`, `.DSA`, `.EC`) over the `.SF` bytes. The rules follow apksigner's, including the
//! `X-Android-APK-Signed` stripping protection and the digest choice per platform range.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo as CmsSignerInfo};
use der::asn1::{ObjectIdentifier, OctetStringRef};
use der::{Decode, Encode};

use super::x509::{self, HashAlgorithm, SignatureKind};
use super::{SchemeResult, SignatureError, SignerInfo};
use crate::zip::ZipArchive;

const MANIFEST: &str = "META-INF/MANIFEST.MF";
/// apksigner refuses more signers than this.
const MAX_SIGNERS: usize = 10;
const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// Android JB MR2 (18): the strongest of several manifest digests is used from here on.
const SDK_JB_MR2: u32 = 18;
const SDK_KITKAT: u32 = 19;
const SDK_N: u32 = 24;

/// Whether the APK carries JAR signature material.
pub fn is_present(zip: &ZipArchive<'_>) -> bool {
    zip.entries().iter().any(|e| {
        let name = e.name;
        name == MANIFEST.as_bytes() || (name.starts_with(b"META-INF/") && name.ends_with(b".SF"))
    })
}

/// Verifies the JAR signatures of `zip` for platforms `min_sdk..=max_sdk`. `supported` are the
/// scheme ids the platforms know (2, 3), `found` those whose block was found and verified.
pub fn verify(
    zip: &ZipArchive<'_>,
    min_sdk: u32,
    max_sdk: u32,
    supported: &[u32],
    found: &[u32],
) -> SchemeResult {
    let mut result = SchemeResult {
        present: is_present(zip),
        checked: true,
        ..SchemeResult::default()
    };
    match verify_inner(zip, min_sdk, max_sdk, supported, found) {
        Ok(signers) => {
            result.signers = signers;
            result.verified = true;
        }
        Err(error) => result.error = Some(error),
    }
    result
}

/// One section of a manifest or signature file: its byte range and `Name: value` attributes
/// (continuation lines joined).
#[derive(Debug, Clone)]
struct Section {
    start: usize,
    end: usize,
    attributes: Vec<(String, String)>,
}

impl Section {
    /// The value of an attribute; names compare case-insensitively as in `java.util.jar`.
    fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn name(&self) -> Option<&str> {
        self.get("Name")
    }
}

/// Splits a manifest into its main section and individual sections. Each section's byte range
/// includes the blank line that ends it, as the `.SF` section digests require.
fn parse_sections(bytes: &[u8]) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut at = 0;
    let mut first = true;
    while at < bytes.len() || first {
        // Blank lines between sections belong to no section (the main section may be empty).
        if !first {
            while let Some((line, next)) = next_line(bytes, at) {
                if !line.is_empty() {
                    break;
                }
                at = next;
            }
            if at >= bytes.len() {
                break;
            }
        }
        first = false;
        let start = at;
        let mut attributes: Vec<(String, String)> = Vec::new();
        while let Some((line, next)) = next_line(bytes, at) {
            at = next;
            if line.is_empty() {
                break;
            }
            let text = String::from_utf8_lossy(line);
            if let Some(continuation) = text.strip_prefix(' ') {
                if let Some((_, value)) = attributes.last_mut() {
                    value.push_str(continuation);
                }
            } else if let Some((name, value)) = text.split_once(": ") {
                attributes.push((name.to_string(), value.to_string()));
            } else {
                attributes.push((text.trim_end_matches(':').to_string(), String::new()));
            }
        }
        sections.push(Section {
            start,
            end: at,
            attributes,
        });
    }
    sections
}

/// The line at `at` without its terminator (`\r\n`, `\n` or `\r`), and where the next starts.
fn next_line(bytes: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let rest = bytes.get(at..).filter(|r| !r.is_empty())?;
    match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
        Some(end) => {
            let terminator = if rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            Some((&rest[..end], at + end + terminator))
        }
        None => Some((rest, bytes.len())),
    }
}

/// Standard base64 with padding, as `java.util.Base64.getDecoder()` accepts it.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (index, quad) in bytes.chunks(4).enumerate() {
        let last = index + 1 == bytes.len() / 4;
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pad] {
            n = (n << 6) | value(c)?;
        }
        n <<= 6 * pad as u32;
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&decoded[..3 - pad]);
    }
    Some(out)
}

fn hash_by_jar_name(name: &str) -> Option<HashAlgorithm> {
    Some(match name.to_ascii_uppercase().as_str() {
        "MD5" => HashAlgorithm::Md5,
        "SHA" | "SHA1" | "SHA-1" => HashAlgorithm::Sha1,
        "SHA-256" => HashAlgorithm::Sha256,
        "SHA-384" => HashAlgorithm::Sha384,
        "SHA-512" => HashAlgorithm::Sha512,
        _ => return None,
    })
}

/// The digests of `section` with attribute names ending in `suffix` that the platforms in range
/// check: before JB MR2 the first listed in `Digest-Algorithms` (default SHA-1), from JB MR2
/// the strongest of SHA-512, SHA-384, SHA-256, SHA-1. `None` when an attribute is not base64.
fn digests_to_verify(
    section: &Section,
    suffix: &str,
    min_sdk: u32,
    max_sdk: u32,
) -> Result<Vec<(HashAlgorithm, Vec<u8>)>, ()> {
    let mut digests: Vec<(HashAlgorithm, Vec<u8>)> = Vec::new();
    if min_sdk < SDK_JB_MR2 {
        let algorithms = section.get("Digest-Algorithms").unwrap_or("SHA SHA1").to_string();
        for name in algorithms.split_ascii_whitespace() {
            let Some(value) = section.get(&format!("{name}{suffix}")) else {
                continue;
            };
            let Some(algorithm) = hash_by_jar_name(name) else {
                continue;
            };
            // SHA-384 and SHA-512 came with Gingerbread (9).
            if matches!(algorithm, HashAlgorithm::Sha384 | HashAlgorithm::Sha512) && min_sdk < 9 {
                continue;
            }
            digests.push((algorithm, base64_decode(value).ok_or(())?));
            break;
        }
        if digests.is_empty() {
            return Ok(digests);
        }
    }
    if max_sdk >= SDK_JB_MR2 {
        let strongest = [
            ("SHA-512", HashAlgorithm::Sha512),
            ("SHA-384", HashAlgorithm::Sha384),
            ("SHA-256", HashAlgorithm::Sha256),
            ("SHA1", HashAlgorithm::Sha1),
        ];
        for (name, algorithm) in strongest {
            let Some(value) = section.get(&format!("{name}{suffix}")) else {
                continue;
            };
            let digest = base64_decode(value).ok_or(())?;
            if !digests.iter().any(|(a, d)| *a == algorithm && *d == digest) {
                digests.push((algorithm, digest));
            }
            break;
        }
    }
    Ok(digests)
}

/// A signature block and its signature file.
struct Signer {
    /// `CERT.RSA`, as apksigner names signers.
    name: String,
    block_entry: String,
    sf_entry: String,
    sf_bytes: Vec<u8>,
    info: Option<SignerInfo>,
    /// Entry names the `.SF` has sections for.
    sf_names: HashSet<String>,
}

fn signer_error(signer: &Signer, reason: impl Into<String>) -> SignatureError {
    SignatureError::JarSigner {
        signer: signer.name.clone(),
        reason: reason.into(),
    }
}

fn verify_inner(
    zip: &ZipArchive<'_>,
    min_sdk: u32,
    max_sdk: u32,
    supported: &[u32],
    found: &[u32],
) -> Result<Vec<SignerInfo>, SignatureError> {
    if let Some(name) = zip.duplicate_names().first() {
        return Err(SignatureError::JarEntry {
            entry: String::from_utf8_lossy(name).into_owned(),
            reason: "duplicate zip entry".into(),
        });
    }
    let read = |name: &str| -> Result<Vec<u8>, SignatureError> {
        let entry = zip.entry(name).ok_or(SignatureError::NoManifest)?;
        // Like apksigner (and Android), any method other than stored is inflated, as the zip
        // reader does: an unknown method number does not hide an entry from verification.
        zip.read(entry)
            .map(|b| b.into_owned())
            .map_err(|e| SignatureError::JarEntry {
                entry: name.to_string(),
                reason: e.to_string(),
            })
    };
    if zip.entry(MANIFEST).is_none() {
        return Err(SignatureError::NoManifest);
    }
    let manifest = read(MANIFEST)?;
    let sections = parse_sections(&manifest);
    let main = sections.first().cloned().unwrap_or(Section {
        start: 0,
        end: 0,
        attributes: Vec::new(),
    });
    let entry_names: HashSet<Cow<'_, str>> = zip.entries().iter().map(|e| e.name_lossy()).collect();
    let mut by_name: HashMap<String, Section> = HashMap::new();
    for section in sections.iter().skip(1) {
        let entry_error = |entry: &str, reason: &str| SignatureError::JarEntry {
            entry: entry.to_string(),
            reason: reason.to_string(),
        };
        let Some(name) = section.name() else {
            return Err(entry_error(MANIFEST, "manifest section without a name"));
        };
        if by_name.contains_key(name) {
            return Err(entry_error(name, "duplicate manifest section"));
        }
        if !entry_names.contains(name) {
            return Err(entry_error(name, "listed in the manifest but not in the APK"));
        }
        by_name.insert(name.to_string(), section.clone());
    }

    // Signers: every signature block with a matching signature file.
    let mut signers = Vec::new();
    for entry in zip.entries() {
        let name = entry.name_lossy();
        if !name.starts_with("META-INF/")
            || !(name.ends_with(".RSA") || name.ends_with(".DSA") || name.ends_with(".EC"))
        {
            continue;
        }
        let Some((base, _)) = name.rsplit_once('.') else {
            continue;
        };
        let sf_entry = format!("{base}.SF");
        if zip.entry(&sf_entry).is_none() {
            continue;
        }
        signers.push(Signer {
            name: name["META-INF/".len()..].to_string(),
            block_entry: name.to_string(),
            sf_bytes: read(&sf_entry)?,
            sf_entry,
            info: None,
            sf_names: HashSet::new(),
        });
    }
    if signers.is_empty() {
        return Err(SignatureError::NoJarSignatures);
    }
    if signers.len() > MAX_SIGNERS {
        return Err(SignatureError::JarSigner {
            signer: format!("{} signers", signers.len()),
            reason: format!("more than {MAX_SIGNERS} signers"),
        });
    }

    for signer in &mut signers {
        let block = read(&signer.block_entry)?;
        let info =
            verify_block(&block, &signer.sf_bytes, min_sdk, max_sdk).map_err(|r| signer_error(signer, r))?;
        signer.info = Some(SignerInfo {
            name: Some(signer.block_entry.clone()),
            ..info
        });
    }

    let mut remaining = Vec::new();
    for mut signer in signers {
        // A signer without `Signature-Version` (and the like) is ignored, as by apksigner.
        if verify_sf_against_manifest(
            &mut signer,
            &manifest,
            &main,
            &by_name,
            min_sdk,
            max_sdk,
            supported,
            found,
        )? {
            remaining.push(signer);
        }
    }
    if remaining.is_empty() {
        return Err(SignatureError::NoJarSignatures);
    }

    // Entries, in file order, against the manifest and the signers that list them.
    let mut entries: Vec<_> = zip.entries().iter().collect();
    entries.sort_by_key(|e| e.local_header_offset);
    let mut first_signers: Option<Vec<usize>> = None;
    for entry in entries {
        let name = entry.name_lossy();
        if name.starts_with("META-INF/") || name.ends_with('/') {
            continue;
        }
        let entry_error = |reason: &str| SignatureError::JarEntry {
            entry: name.to_string(),
            reason: reason.to_string(),
        };
        let Some(section) = by_name.get(name.as_ref()) else {
            return Err(entry_error("no digest in META-INF/MANIFEST.MF"));
        };
        let entry_signers: Vec<usize> = remaining
            .iter()
            .enumerate()
            .filter(|(_, s)| s.sf_names.contains(name.as_ref()))
            .map(|(i, _)| i)
            .collect();
        if entry_signers.is_empty() {
            return Err(entry_error("not signed by any signer"));
        }
        match &first_signers {
            None => first_signers = Some(entry_signers),
            Some(first) if *first != entry_signers => {
                return Err(entry_error(
                    "signed by a different set of signers than other entries",
                ));
            }
            Some(_) => {}
        }
        let digests = digests_to_verify(section, "-Digest", min_sdk, max_sdk)
            .map_err(|()| entry_error("malformed digest in META-INF/MANIFEST.MF"))?;
        if digests.is_empty() {
            return Err(entry_error("no digest in META-INF/MANIFEST.MF"));
        }
        // Hashed as it is inflated: a large native library is never held whole for this.
        let mut hashers: Vec<_> = digests.iter().map(|(algorithm, _)| algorithm.hasher()).collect();
        zip.read_pieces(entry, |piece| hashers.iter_mut().for_each(|h| h.update(piece)))
            .map_err(|e| entry_error(&e.to_string()))?;
        for (hasher, (_, expected)) in hashers.into_iter().zip(digests) {
            if *hasher.finalize() != *expected {
                return Err(entry_error(
                    "digest does not match META-INF/MANIFEST.MF: modified after signing",
                ));
            }
        }
    }
    let Some(first_signers) = first_signers else {
        return Err(SignatureError::JarEntry {
            entry: MANIFEST.into(),
            reason: "no signed entries".into(),
        });
    };
    Ok(first_signers
        .into_iter()
        .filter_map(|i| remaining[i].info.clone())
        .collect())
}

/// Checks a `.SF` against the manifest; `Ok(false)` when apksigner ignores the signer.
#[allow(clippy::too_many_arguments)]
fn verify_sf_against_manifest(
    signer: &mut Signer,
    manifest: &[u8],
    main: &Section,
    by_name: &HashMap<String, Section>,
    min_sdk: u32,
    max_sdk: u32,
    supported: &[u32],
    found: &[u32],
) -> Result<bool, SignatureError> {
    let sf_sections = parse_sections(&signer.sf_bytes);
    let Some(sf_main) = sf_sections.first() else {
        return Ok(false);
    };
    if sf_main.get("Signature-Version").is_none() {
        return Ok(false);
    }
    if max_sdk >= SDK_N
        && let Some(schemes) = sf_main.get("X-Android-APK-Signed")
    {
        for id in schemes.split(',').filter_map(|t| t.trim().parse::<u32>().ok()) {
            if supported.contains(&id) && !found.contains(&id) {
                return Err(signer_error(
                    signer,
                    format!(
                        "{} indicates the APK is signed using {} but no such signature was found: stripped?",
                        signer.sf_entry,
                        super::v2v3::scheme_name(id)
                    ),
                ));
            }
        }
    }
    let malformed = || signer_error(signer, format!("malformed digest in {}", signer.sf_entry));
    let signtool = sf_main.get("Created-By").is_some_and(|c| c.contains("signtool"));
    let suffix = if signtool { "-Digest" } else { "-Digest-Manifest" };
    let expected = digests_to_verify(sf_main, suffix, min_sdk, max_sdk).map_err(|()| malformed())?;
    let manifest_verified = !expected.is_empty() && expected.iter().all(|(a, d)| a.digest(&[manifest]) == *d);
    if !signtool {
        let main_bytes = manifest.get(main.start..main.end).unwrap_or_default();
        let expected = digests_to_verify(sf_main, "-Digest-Manifest-Main-Attributes", min_sdk, max_sdk)
            .map_err(|()| malformed())?;
        if expected.iter().any(|(a, d)| a.digest(&[main_bytes]) != *d) {
            return Err(signer_error(
                signer,
                "manifest main section digest does not match",
            ));
        }
    }

    let mut names: HashSet<String> = HashSet::new();
    for section in sf_sections.iter().skip(1) {
        let Some(name) = section.name() else {
            return Ok(false);
        };
        if !names.insert(name.to_string()) {
            return Ok(false);
        }
        if manifest_verified {
            continue;
        }
        let Some(manifest_section) = by_name.get(name) else {
            return Err(signer_error(
                signer,
                format!("{name}: no manifest section for .SF section"),
            ));
        };
        let expected = digests_to_verify(section, "-Digest", min_sdk, max_sdk).map_err(|()| malformed())?;
        if expected.is_empty() {
            return Err(signer_error(
                signer,
                format!("{name}: no digest in {}", signer.sf_entry),
            ));
        }
        let mut end = manifest_section.end;
        if signtool && manifest.get(end.saturating_sub(2)..end) == Some(b"\n\n") {
            end -= 1;
        }
        let bytes = manifest.get(manifest_section.start..end).unwrap_or_default();
        if expected.iter().any(|(a, d)| a.digest(&[bytes]) != *d) {
            return Err(signer_error(
                signer,
                format!("{name}: manifest section digest does not match"),
            ));
        }
    }
    signer.sf_names = names;
    Ok(true)
}

fn digest_by_oid(oid: &ObjectIdentifier) -> Option<HashAlgorithm> {
    Some(match oid.to_string().as_str() {
        "1.2.840.113549.2.5" => HashAlgorithm::Md5,
        "1.3.14.3.2.26" => HashAlgorithm::Sha1,
        "2.16.840.1.101.3.4.2.4" => HashAlgorithm::Sha224,
        "2.16.840.1.101.3.4.2.1" => HashAlgorithm::Sha256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithm::Sha384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithm::Sha512,
        _ => return None,
    })
}

/// The signature kind from the SignerInfo's signature algorithm (a key algorithm or a
/// `<digest>with<key>` OID; the digest is always the SignerInfo's digest algorithm), and the
/// first platform that verifies that combination in a JAR signature.
fn signature_kind(signature_oid: &ObjectIdentifier, hash: HashAlgorithm) -> Option<(SignatureKind, u32)> {
    let oid = signature_oid.to_string();
    let family = if oid == "1.2.840.113549.1.1.1" || oid.starts_with("1.2.840.113549.1.1.") {
        "rsa"
    } else if oid == "1.2.840.10045.2.1" || oid.starts_with("1.2.840.10045.4.") {
        "ec"
    } else if oid == "1.2.840.10040.4.1"
        || oid == "1.2.840.10040.4.3"
        || oid.starts_with("2.16.840.1.101.3.4.3.")
    {
        "dsa"
    } else {
        return None;
    };
    let strong = !matches!(hash, HashAlgorithm::Sha1 | HashAlgorithm::Md5);
    Some(match family {
        "rsa" => (SignatureKind::RsaPkcs1(hash), if strong { SDK_JB_MR2 } else { 0 }),
        "ec" => (SignatureKind::Ecdsa(hash), SDK_JB_MR2),
        _ => (SignatureKind::Dsa(hash), if strong { 21 } else { 0 }),
    })
}

/// Verifies a PKCS#7 signature block over the `.SF` bytes; the signer of the first SignerInfo
/// that verifies (only the first is tried when platforms before N are in range).
fn verify_block(block: &[u8], sf: &[u8], min_sdk: u32, max_sdk: u32) -> Result<SignerInfo, String> {
    let content = ContentInfo::from_der(block).map_err(|e| format!("malformed PKCS#7 block: {e}"))?;
    if content.content_type != SIGNED_DATA {
        return Err("PKCS#7 block is not SignedData".into());
    }
    let signed: SignedData = content
        .content
        .decode_as()
        .map_err(|e| format!("malformed PKCS#7 SignedData: {e}"))?;
    let infos: Vec<&CmsSignerInfo> = signed.signer_infos.0.iter().collect();
    if infos.is_empty() {
        return Err("PKCS#7 block has no signers".into());
    }
    let certificates: Vec<&x509_cert::Certificate> = signed
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c),
                    CertificateChoices::Other(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let to_try = if min_sdk < SDK_N { &infos[..1] } else { &infos[..] };
    for info in to_try {
        if let Some(signer) = verify_signer_info(&signed, &certificates, info, sf, min_sdk, max_sdk)? {
            return Ok(signer);
        }
    }
    Err("signature over the .SF did not verify".into())
}

/// `Ok(None)` when this SignerInfo does not verify but others may; `Err` when it is malformed.
fn verify_signer_info(
    signed: &SignedData,
    certificates: &[&x509_cert::Certificate],
    info: &CmsSignerInfo,
    sf: &[u8],
    min_sdk: u32,
    max_sdk: u32,
) -> Result<Option<SignerInfo>, String> {
    let hash = digest_by_oid(&info.digest_alg.oid)
        .ok_or_else(|| format!("unsupported digest algorithm {}", info.digest_alg.oid))?;
    let (kind, since) = signature_kind(&info.signature_algorithm.oid, hash)
        .ok_or_else(|| format!("unsupported signature algorithm {}", info.signature_algorithm.oid))?;
    if min_sdk < since {
        return Err(format!(
            "signature algorithm {} with digest {} is not supported before API level {since}",
            info.signature_algorithm.oid, info.digest_alg.oid
        ));
    }
    let SignerIdentifier::IssuerAndSerialNumber(id) = &info.sid else {
        return Err("SignerInfo identifies its certificate by key identifier, which is unsupported".into());
    };
    let certificate = certificates
        .iter()
        .find(|c| {
            c.tbs_certificate.serial_number == id.serial_number
                && x509::names_match(&c.tbs_certificate.issuer, &id.issuer)
        })
        .ok_or("signing certificate not found in the PKCS#7 block")?;
    let certificate_der = certificate.to_der().map_err(|_| "malformed certificate")?;
    let parsed = x509::parse_certificate(&certificate_der).map_err(|e| e.to_string())?;
    let key = x509::parse_public_key(&parsed.public_key).map_err(|e| e.to_string())?;

    let message: Vec<u8>;
    let signed_bytes: &[u8] = match &info.signed_attrs {
        None => sf,
        Some(attributes) => {
            if min_sdk < SDK_KITKAT {
                return Err("signed attributes are broken before API level 19".into());
            }
            let single = |oid: ObjectIdentifier| {
                let mut values = attributes
                    .iter()
                    .filter(|a| a.oid == oid)
                    .flat_map(|a| a.values.iter());
                let first = values.next();
                if values.next().is_some() { None } else { first }
            };
            if max_sdk >= SDK_N {
                let content_type = single(CONTENT_TYPE)
                    .and_then(|v| v.decode_as::<ObjectIdentifier>().ok())
                    .ok_or("no content type in signed attributes")?;
                if content_type != signed.encap_content_info.econtent_type {
                    return Ok(None);
                }
            }
            let digest = single(MESSAGE_DIGEST)
                .and_then(|v| {
                    v.decode_as::<OctetStringRef<'_>>()
                        .ok()
                        .map(|o| o.as_bytes().to_vec())
                })
                .ok_or("no message digest in signed attributes")?;
            if digest != hash.digest(&[sf]) {
                return Ok(None);
            }
            message = attributes.to_der().map_err(|_| "malformed signed attributes")?;
            &message
        }
    };
    if !x509::verify_signature(&key, kind, signed_bytes, info.signature.as_bytes()) {
        return Ok(None);
    }
    Ok(Some(SignerInfo {
        certificate_sha256: parsed.sha256,
        subject: parsed.subject,
        key_algorithm: parsed.key_algorithm,
        min_sdk: None,
        max_sdk: None,
        lineage: Vec::new(),
        name: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_java() {
        assert_eq!(base64_decode("").unwrap(), b"");
        assert_eq!(base64_decode("Zg==").unwrap(), b"f");
        assert_eq!(base64_decode("Zm8=").unwrap(), b"fo");
        assert_eq!(base64_decode("Zm9v").unwrap(), b"foo");
        assert!(base64_decode("Zm9").is_none());
        assert!(base64_decode("Z===").is_none());
        assert!(base64_decode("Zg==Zm9v").is_none());
        assert!(base64_decode("Zm9*").is_none());
    }

    #[test]
    fn sections_keep_their_blank_line_and_continuations() {
        let text = b"Manifest-Version: 1.0\r\n\r\nName: a/very/long\r\n  name\r\nSHA-256-Digest: AAAA\r\n\r\nName: b\nSHA1-Digest: Zg==\n\n";
        let sections = parse_sections(text);
        assert_eq!(sections.len(), 3);
        assert_eq!(
            &text[sections[0].start..sections[0].end],
            b"Manifest-Version: 1.0\r\n\r\n"
        );
        assert_eq!(sections[1].name(), Some("a/very/long name"));
        assert_eq!(sections[1].get("sha-256-digest"), Some("AAAA"));
        assert!(text[sections[1].start..sections[1].end].ends_with(b"AAAA\r\n\r\n"));
        assert_eq!(sections[2].name(), Some("b"));
        assert_eq!(sections[2].end, text.len());
        // No panic on odd input.
        for cut in 0..text.len() {
            let _ = parse_sections(&text[..cut]);
            let _ = parse_sections(&text[cut..]);
        }
        assert_eq!(parse_sections(b"").len(), 1);
    }

    #[test]
    fn strongest_digest_is_chosen_from_jb_mr2() {
        let section = Section {
            start: 0,
            end: 0,
            attributes: vec![
                ("SHA1-Digest".into(), "Zg==".into()),
                ("SHA-256-Digest".into(), "Zm8=".into()),
            ],
        };
        let digests = digests_to_verify(&section, "-Digest", 24, 40).unwrap();
        assert_eq!(digests, vec![(HashAlgorithm::Sha256, b"fo".to_vec())]);
        // Before JB MR2 the SHA-1 digest is checked too.
        let digests = digests_to_verify(&section, "-Digest", 14, 40).unwrap();
        assert_eq!(digests.len(), 2);
        assert_eq!(digests[0].0, HashAlgorithm::Sha1);
    }

    #[test]
    fn garbage_signature_blocks_are_errors() {
        assert!(verify_block(b"", b"", 21, 40).is_err());
        assert!(verify_block(&[0x30, 0x03, 0x06, 0x01, 0x00], b"", 21, 40).is_err());
    }
}
