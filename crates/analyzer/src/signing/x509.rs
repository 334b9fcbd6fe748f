//! Certificates, public keys and the signature primitives the APK signature schemes use.
//!
//! Certificates and keys are decoded with the strict DER decoders of `x509-cert` and `spki`;
//! signatures are checked with RustCrypto's `rsa`, `p256`, `p384` and `dsa`.

use der::asn1::{
    BmpString, Ia5StringRef, ObjectIdentifier, PrintableStringRef, TeletexStringRef, Utf8StringRef,
};
use der::{Decode, Encode, Tag, Tagged};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rsa::traits::PublicKeyParts;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use spki::SubjectPublicKeyInfoRef;
use x509_cert::Certificate;

use super::SignatureError;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
/// Android accepts RSA keys up to 16384 bits (apksig tests use 8192-bit keys).
const MAX_RSA_BITS: usize = 16384;

/// A message digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlgorithm {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlgorithm {
    /// The digest of the concatenation of `parts`.
    pub fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        let mut hasher = self.hasher();
        for part in parts {
            hasher.update(part);
        }
        hasher.finalize().into_vec()
    }

    /// A hasher for data that comes a piece at a time.
    pub fn hasher(self) -> Box<dyn sha2::digest::DynDigest> {
        match self {
            HashAlgorithm::Md5 => Box::new(md5::Md5::new()),
            HashAlgorithm::Sha1 => Box::new(Sha1::new()),
            HashAlgorithm::Sha224 => Box::new(Sha224::new()),
            HashAlgorithm::Sha256 => Box::new(Sha256::new()),
            HashAlgorithm::Sha384 => Box::new(Sha384::new()),
            HashAlgorithm::Sha512 => Box::new(Sha512::new()),
        }
    }

    /// The DER `DigestInfo` prefix that PKCS#1 v1.5 puts before the digest.
    fn pkcs1_prefix(self) -> &'static [u8] {
        match self {
            HashAlgorithm::Md5 => &[
                0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05, 0x05,
                0x00, 0x04, 0x10,
            ],
            HashAlgorithm::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
            ],
            HashAlgorithm::Sha224 => &[
                0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04,
                0x05, 0x00, 0x04, 0x1c,
            ],
            HashAlgorithm::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
                0x05, 0x00, 0x04, 0x20,
            ],
            HashAlgorithm::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,
                0x05, 0x00, 0x04, 0x30,
            ],
            HashAlgorithm::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
                0x05, 0x00, 0x04, 0x40,
            ],
        }
    }

    fn output_len(self) -> usize {
        match self {
            HashAlgorithm::Md5 => 16,
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha224 => 28,
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }
}

/// How a signature is computed over a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureKind {
    RsaPkcs1(HashAlgorithm),
    /// RSASSA-PSS with MGF1 over the same digest and a salt as long as the digest.
    RsaPss(HashAlgorithm),
    /// ECDSA with a DER-encoded `(r, s)`.
    Ecdsa(HashAlgorithm),
    /// DSA with a DER-encoded `(r, s)`.
    Dsa(HashAlgorithm),
}

/// The algorithm family of a signer's public key, as apksigner names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyAlgorithm {
    Rsa {
        bits: usize,
    },
    /// `curve` is the named curve's OID.
    Ec {
        curve: String,
    },
    Dsa,
    /// Any other algorithm OID.
    Other(String),
}

impl KeyAlgorithm {
    /// `RSA`, `EC`, `DSA` or the OID.
    pub fn name(&self) -> &str {
        match self {
            KeyAlgorithm::Rsa { .. } => "RSA",
            KeyAlgorithm::Ec { .. } => "EC",
            KeyAlgorithm::Dsa => "DSA",
            KeyAlgorithm::Other(oid) => oid,
        }
    }
}

/// A public key usable for verification.
pub enum PublicKey {
    Rsa(rsa::RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Dsa(dsa::VerifyingKey),
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `p521`'s key has no `Debug`; the variant is what matters in messages.
        f.write_str(match self {
            PublicKey::Rsa(_) => "PublicKey::Rsa",
            PublicKey::P256(_) => "PublicKey::P256",
            PublicKey::P384(_) => "PublicKey::P384",
            PublicKey::P521(_) => "PublicKey::P521",
            PublicKey::Dsa(_) => "PublicKey::Dsa",
        })
    }
}

/// The algorithm of a DER `SubjectPublicKeyInfo`, without requiring that the key be usable.
pub fn key_algorithm(spki_der: &[u8]) -> KeyAlgorithm {
    let Ok(spki) = SubjectPublicKeyInfoRef::from_der(spki_der) else {
        return KeyAlgorithm::Other("malformed".into());
    };
    let oid = spki.algorithm.oid;
    if oid == RSA_ENCRYPTION {
        let bits = spki
            .subject_public_key
            .as_bytes()
            .and_then(|key| rsa::pkcs1::RsaPublicKey::from_der(key).ok())
            .map_or(0, |key| bit_length(key.modulus.as_bytes()));
        KeyAlgorithm::Rsa { bits }
    } else if oid == EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
            .map_or_else(|| "explicit".to_string(), |c| c.to_string());
        KeyAlgorithm::Ec { curve }
    } else if oid == DSA {
        KeyAlgorithm::Dsa
    } else {
        KeyAlgorithm::Other(oid.to_string())
    }
}

fn bit_length(big_endian: &[u8]) -> usize {
    let mut bytes = big_endian;
    while let [0, rest @ ..] = bytes {
        bytes = rest;
    }
    match bytes.first() {
        Some(&top) => bytes.len() * 8 - top.leading_zeros() as usize,
        None => 0,
    }
}

/// Decodes a DER `SubjectPublicKeyInfo` into a key we can verify with.
pub fn parse_public_key(spki_der: &[u8]) -> Result<PublicKey, SignatureError> {
    let malformed = SignatureError::MalformedPublicKey;
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der).map_err(|_| malformed.clone())?;
    let key = spki.subject_public_key.as_bytes().ok_or(malformed.clone())?;
    let oid = spki.algorithm.oid;
    if oid == RSA_ENCRYPTION {
        let key = rsa::pkcs1::RsaPublicKey::from_der(key).map_err(|_| malformed.clone())?;
        let n = rsa::BigUint::from_bytes_be(key.modulus.as_bytes());
        let e = rsa::BigUint::from_bytes_be(key.public_exponent.as_bytes());
        let key = rsa::RsaPublicKey::new_with_max_size(n, e, MAX_RSA_BITS).map_err(|_| malformed)?;
        Ok(PublicKey::Rsa(key))
    } else if oid == EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
            .ok_or(SignatureError::UnsupportedKey(
                "EC key without a named curve".into(),
            ))?;
        if curve == SECP256R1 {
            p256::ecdsa::VerifyingKey::from_sec1_bytes(key)
                .map(PublicKey::P256)
                .map_err(|_| malformed)
        } else if curve == SECP384R1 {
            p384::ecdsa::VerifyingKey::from_sec1_bytes(key)
                .map(PublicKey::P384)
                .map_err(|_| malformed)
        } else if curve == SECP521R1 {
            p521::ecdsa::VerifyingKey::from_sec1_bytes(key)
                .map(PublicKey::P521)
                .map_err(|_| malformed)
        } else {
            Err(SignatureError::UnsupportedKey(format!("EC curve {curve}")))
        }
    } else if oid == DSA {
        dsa::VerifyingKey::try_from(spki)
            .map(PublicKey::Dsa)
            .map_err(|_| malformed)
    } else {
        Err(SignatureError::UnsupportedKey(format!("key algorithm {oid}")))
    }
}

/// Whether `signature` is a valid `kind` signature of `message` under `key`. A kind that does
/// not fit the key (ECDSA with an RSA key) is simply invalid.
pub fn verify_signature(key: &PublicKey, kind: SignatureKind, message: &[u8], signature: &[u8]) -> bool {
    let hash = |algorithm: HashAlgorithm| algorithm.digest(&[message]);
    match (key, kind) {
        (PublicKey::Rsa(key), SignatureKind::RsaPkcs1(algorithm)) => {
            let scheme = rsa::Pkcs1v15Sign {
                hash_len: Some(algorithm.output_len()),
                prefix: algorithm.pkcs1_prefix().into(),
            };
            key.verify(scheme, &hash(algorithm), signature).is_ok()
        }
        (PublicKey::Rsa(key), SignatureKind::RsaPss(algorithm)) => {
            let scheme = match algorithm {
                HashAlgorithm::Sha256 => rsa::Pss::new::<Sha256>(),
                HashAlgorithm::Sha512 => rsa::Pss::new::<Sha512>(),
                _ => return false,
            };
            // The modulus must be at least as long as the signature claims to be.
            signature.len() <= key.size() && key.verify(scheme, &hash(algorithm), signature).is_ok()
        }
        (PublicKey::P256(key), SignatureKind::Ecdsa(algorithm)) => {
            p256::ecdsa::Signature::from_der(signature).is_ok_and(|sig| {
                key.verify_prehash(&ecdsa_prehash(hash(algorithm), 32), &sig)
                    .is_ok()
            })
        }
        (PublicKey::P384(key), SignatureKind::Ecdsa(algorithm)) => {
            p384::ecdsa::Signature::from_der(signature).is_ok_and(|sig| {
                key.verify_prehash(&ecdsa_prehash(hash(algorithm), 48), &sig)
                    .is_ok()
            })
        }
        (PublicKey::P521(key), SignatureKind::Ecdsa(algorithm)) => {
            p521::ecdsa::Signature::from_der(signature).is_ok_and(|sig| {
                key.verify_prehash(&ecdsa_prehash(hash(algorithm), 66), &sig)
                    .is_ok()
            })
        }
        (PublicKey::Dsa(key), SignatureKind::Dsa(algorithm)) => dsa::Signature::from_der(signature)
            .is_ok_and(|sig| key.verify_prehash(&hash(algorithm), &sig).is_ok()),
        _ => false,
    }
}

/// ECDSA takes the digest as an integer; RustCrypto refuses digests shorter than half the field
/// (SHA-256 with P-521), so short ones are left-padded with zeros, which keeps their value.
fn ecdsa_prehash(mut digest: Vec<u8>, field_len: usize) -> Vec<u8> {
    if digest.len() < field_len {
        let mut padded = vec![0u8; field_len - digest.len()];
        padded.append(&mut digest);
        return padded;
    }
    digest
}

/// What the schemes need from an X.509 certificate.
#[derive(Debug, Clone)]
pub struct CertificateInfo {
    /// SHA-256 of the certificate's DER encoding, as `apksigner --print-certs` prints it.
    pub sha256: [u8; 32],
    /// The subject distinguished name in Java's `X500Principal` order (`C=.., O=.., CN=..`).
    pub subject: String,
    /// The DER `SubjectPublicKeyInfo`.
    pub public_key: Vec<u8>,
    pub key_algorithm: KeyAlgorithm,
    pub certificate: Certificate,
}

/// Decodes a DER certificate.
pub fn parse_certificate(der_bytes: &[u8]) -> Result<CertificateInfo, SignatureError> {
    let certificate = Certificate::from_der(der_bytes).map_err(|_| SignatureError::MalformedCertificate)?;
    let public_key = certificate
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|_| SignatureError::MalformedCertificate)?;
    let sha256 = Sha256::digest(der_bytes).into();
    Ok(CertificateInfo {
        sha256,
        subject: distinguished_name(&certificate.tbs_certificate.subject),
        key_algorithm: key_algorithm(&public_key),
        public_key,
        certificate,
    })
}

/// Renders a name the way Java prints an `X500Principal`: RDNs from last to first, `, `-joined,
/// well-known attribute types by their short names and others as dotted OIDs.
pub fn distinguished_name(name: &x509_cert::name::Name) -> String {
    let mut parts = Vec::new();
    for rdn in name.0.iter().rev() {
        let attributes: Vec<String> = rdn
            .0
            .iter()
            .map(|atv| {
                format!(
                    "{}={}",
                    attribute_name(&atv.oid),
                    java_quote(&attribute_value(&atv.value))
                )
            })
            .collect();
        parts.push(attributes.join(" + "));
    }
    parts.join(", ")
}

/// Whether two names are equal the way Java's `X500Principal.equals` sees them: RDN by RDN,
/// attribute values compared as case-folded text with whitespace collapsed, whatever their
/// string type (a `PrintableString` issuer matches a `UTF8String` subject).
pub fn names_match(a: &x509_cert::name::Name, b: &x509_cert::name::Name) -> bool {
    fn canonical(name: &x509_cert::name::Name) -> Vec<Vec<(String, String)>> {
        name.0
            .iter()
            .map(|rdn| {
                let mut atvs: Vec<(String, String)> = rdn
                    .0
                    .iter()
                    .map(|atv| {
                        let value = attribute_value(&atv.value);
                        let folded = value
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                            .to_lowercase();
                        (atv.oid.to_string(), folded)
                    })
                    .collect();
                atvs.sort();
                atvs
            })
            .collect()
    }
    a == b || canonical(a) == canonical(b)
}

/// Java's RFC 1779 quoting of an attribute value: the value is put in double quotes when it
/// holds one of `,+=\n<>#;\"`, leading or trailing whitespace or doubled inner whitespace;
/// `"` and `\` are backslash-escaped.
fn java_quote(value: &str) -> String {
    const ESCAPEES: &str = ",+=\n<>#;\\\"";
    let mut quote = false;
    let mut out = String::with_capacity(value.len());
    let mut previous_white = false;
    for (index, c) in value.chars().enumerate() {
        let white = c == ' ' || c == '\n';
        if (index == 0 && white) || ESCAPEES.contains(c) {
            quote = true;
        }
        if white {
            quote |= previous_white;
        } else if c == '"' || c == '\\' {
            out.push('\\');
        }
        previous_white = white;
        out.push(c);
    }
    quote |= out.ends_with([' ', '\n']);
    if quote { format!("\"{out}\"") } else { out }
}

fn attribute_name(oid: &ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        "2.5.4.3" => "CN".into(),
        "2.5.4.6" => "C".into(),
        "2.5.4.7" => "L".into(),
        "2.5.4.8" => "ST".into(),
        "2.5.4.9" => "STREET".into(),
        "2.5.4.10" => "O".into(),
        "2.5.4.11" => "OU".into(),
        "2.5.4.5" => "SERIALNUMBER".into(),
        "1.2.840.113549.1.9.1" => "EMAILADDRESS".into(),
        "0.9.2342.19200300.100.1.25" => "DC".into(),
        "0.9.2342.19200300.100.1.1" => "UID".into(),
        other => format!("OID.{other}"),
    }
}

fn attribute_value(value: &der::Any) -> String {
    let text = match value.tag() {
        Tag::Utf8String => value.decode_as::<Utf8StringRef<'_>>().ok().map(|s| s.to_string()),
        Tag::PrintableString => value
            .decode_as::<PrintableStringRef<'_>>()
            .ok()
            .map(|s| s.to_string()),
        Tag::Ia5String => value.decode_as::<Ia5StringRef<'_>>().ok().map(|s| s.to_string()),
        Tag::TeletexString => value
            .decode_as::<TeletexStringRef<'_>>()
            .ok()
            .map(|s| s.to_string()),
        Tag::BmpString => value.decode_as::<BmpString>().ok().map(|s| s.to_string()),
        _ => None,
    };
    text.unwrap_or_else(|| {
        let bytes = value.to_der().unwrap_or_default();
        format!("#{}", hex(&bytes))
    })
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_like_java() {
        assert_eq!(java_quote("CyberAgent, Inc."), "\"CyberAgent, Inc.\"");
        assert_eq!(java_quote("plain value"), "plain value");
        assert_eq!(java_quote(" lead"), "\" lead\"");
        assert_eq!(java_quote("two  spaces"), "\"two  spaces\"");
        assert_eq!(java_quote("a\"b"), "\"a\\\"b\"");
        assert_eq!(java_quote("back\\slash"), "\"back\\\\slash\"");
    }

    #[test]
    fn names_match_across_string_types() {
        use std::str::FromStr;
        let utf8 = x509_cert::name::Name::from_str("CN=rsa-1024").unwrap();
        // The same name with a PrintableString value.
        let der = [
            0x30, 0x13, 0x31, 0x11, 0x30, 0x0f, 0x06, 0x03, 0x55, 0x04, 0x03, 0x13, 0x08, b'r', b's', b'a',
            b'-', b'1', b'0', b'2', b'4',
        ];
        let printable = x509_cert::name::Name::from_der(&der).unwrap();
        assert_ne!(utf8, printable);
        assert!(names_match(&utf8, &printable));
        let other = x509_cert::name::Name::from_str("CN=RSA-1024  x").unwrap();
        assert!(!names_match(&utf8, &other));
        assert!(names_match(
            &other,
            &x509_cert::name::Name::from_str("CN=rsa-1024 X").unwrap()
        ));
    }

    #[test]
    fn short_ecdsa_digests_keep_their_value() {
        assert_eq!(ecdsa_prehash(vec![1, 2], 4), vec![0, 0, 1, 2]);
        assert_eq!(ecdsa_prehash(vec![1; 64], 32), vec![1; 64]);
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[0, 0x80, 0]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[0, 0]), 0);
    }

    #[test]
    fn pkcs1_prefixes_end_with_the_digest_length() {
        for algorithm in [
            HashAlgorithm::Md5,
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha224,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512,
        ] {
            let prefix = algorithm.pkcs1_prefix();
            assert_eq!(prefix.last().copied(), Some(algorithm.output_len() as u8));
            assert_eq!(usize::from(prefix[1]) + 2, prefix.len() + algorithm.output_len());
            assert_eq!(algorithm.digest(&[b"a", b"bc"]), algorithm.digest(&[b"abc"]));
        }
    }

    #[test]
    fn garbage_keys_and_certificates_are_errors() {
        assert!(parse_public_key(b"").is_err());
        assert!(parse_public_key(&[0x30, 0x03, 0x02, 0x01, 0x00]).is_err());
        assert!(parse_certificate(&[0x30, 0x80, 0x00, 0x00]).is_err());
        assert_eq!(key_algorithm(b"\x30"), KeyAlgorithm::Other("malformed".into()));
    }
}
