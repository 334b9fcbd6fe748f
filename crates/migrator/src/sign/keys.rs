//! Signing keys and their certificates: loaded from a PKCS#12 keystore or from a PKCS#8 key
//! with an X.509 certificate chain, or generated once as a debug key.
//!
//! Keys are RSA (signed PKCS#1 v1.5) or ECDSA on P-256; both sign deterministically (ECDSA
//! with RFC 6979 nonces), so the same input and key always give the same APK bytes.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use p256::ecdsa::DerSignature;
use p256::ecdsa::signature::Signer as _;
use pkcs8::DecodePrivateKey as _;
use rsa::Pkcs1v15Sign;
use rsa::pkcs8::DecodePublicKey as _;
use sha1::Sha1;
use sha2::{Digest as _, Sha256};
use x509_cert::Certificate;

/// Environment variable naming the debug key's PKCS#8 file (its certificate sits beside it).
pub const DEBUG_KEY_ENV: &str = "HYPERCOMPAT_DEBUG_KEY";
/// Subject of the generated debug certificate: the one the Android SDK's debug keystore has,
/// which tools and stores recognise as a debug signature.
pub const DEBUG_CERTIFICATE_SUBJECT: &str = "CN=Android Debug,O=Android,C=US";
const DEBUG_KEY_BITS: usize = 2048;
/// Validity of the debug certificate, as the SDK's (30 years).
const DEBUG_VALIDITY_SECONDS: u64 = 30 * 365 * 24 * 60 * 60;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

/// Why a signing key could not be loaded or made.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("password source `{0}`: expected env:VAR, file:PATH or pass:TEXT")]
    BadPasswordSource(String),
    #[error("password variable `{0}` is not set or not UTF-8")]
    PasswordVariableMissing(String),
    #[error("wrong password for the keystore or key, or the file is corrupt")]
    WrongPassword,
    #[error("keystore: {0}")]
    Keystore(String),
    #[error("keystore holds no private key with its certificate")]
    NoPrivateKey,
    #[error("keystore has no key entry `{0}`")]
    NoSuchAlias(String),
    #[error("keystore holds several keys ({0}): name one")]
    AmbiguousAlias(String),
    #[error("private key: {0}")]
    BadKey(String),
    #[error("unsupported key ({0}): RSA and ECDSA P-256 keys are supported")]
    UnsupportedKey(String),
    #[error("certificate: {0}")]
    BadCertificate(String),
    #[error("the certificate's public key is not the private key's")]
    KeyCertificateMismatch,
    #[error("HOME is not set, so there is no ~/.config for the debug key: set {DEBUG_KEY_ENV}")]
    NoHome,
    #[error("generating the debug key: {0}")]
    Generate(String),
}

/// A key, certificate or keystore file: read whole, but never a device (`/dev/zero` would be
/// read for ever) nor more than 16 MiB (the largest keystore or chain is kilobytes).
fn read_key_file(path: &Path) -> Result<Vec<u8>, KeyError> {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    const LIMIT: u64 = 16 << 20;
    let file = std::fs::File::open(path).map_err(io_error(path))?;
    let kind = file.metadata().map_err(io_error(path))?.file_type();
    let refuse = |reason: &str| io_error(path)(std::io::Error::new(std::io::ErrorKind::InvalidInput, reason));
    if kind.is_dir() {
        return Err(refuse("is a directory"));
    }
    if kind.is_char_device() || kind.is_block_device() {
        return Err(refuse("is a device, not a file"));
    }
    let mut data = Vec::new();
    file.take(LIMIT + 1)
        .read_to_end(&mut data)
        .map_err(io_error(path))?;
    if data.len() as u64 > LIMIT {
        return Err(refuse("larger than 16 MiB: not a key, certificate or keystore"));
    }
    Ok(data)
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where a password comes from, as apksigner's `--ks-pass`: `env:VAR`, `file:PATH` (its first
/// line) or `pass:TEXT`.
#[derive(Clone, PartialEq, Eq)]
pub enum PasswordSource {
    Env(String),
    File(PathBuf),
    Text(String),
}

impl fmt::Debug for PasswordSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordSource::Env(var) => write!(f, "env:{var}"),
            PasswordSource::File(path) => write!(f, "file:{}", path.display()),
            PasswordSource::Text(_) => f.write_str("pass:<hidden>"),
        }
    }
}

impl FromStr for PasswordSource {
    type Err = KeyError;

    fn from_str(text: &str) -> Result<Self, KeyError> {
        if let Some(var) = text.strip_prefix("env:") {
            Ok(PasswordSource::Env(var.to_string()))
        } else if let Some(path) = text.strip_prefix("file:") {
            Ok(PasswordSource::File(PathBuf::from(path)))
        } else if let Some(password) = text.strip_prefix("pass:") {
            Ok(PasswordSource::Text(password.to_string()))
        } else {
            // Only a prefix is echoed: the text may be a password typed without one.
            let shown = match text.split_once(':') {
                Some((prefix, _)) => format!("{prefix}:…"),
                None => "…".to_string(),
            };
            Err(KeyError::BadPasswordSource(shown))
        }
    }
}

impl PasswordSource {
    /// The password.
    pub fn read(&self) -> Result<String, KeyError> {
        match self {
            PasswordSource::Env(var) => {
                std::env::var(var).map_err(|_| KeyError::PasswordVariableMissing(var.clone()))
            }
            PasswordSource::File(path) => {
                let text = std::fs::read_to_string(path).map_err(io_error(path))?;
                let line = text.split(['\n', '\r']).next().unwrap_or_default();
                Ok(line.to_string())
            }
            PasswordSource::Text(password) => Ok(password.clone()),
        }
    }
}

/// The kind of a signing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Rsa,
    EcdsaP256,
}

impl KeyKind {
    /// The JAR signature block extension (`CERT.RSA`, `CERT.EC`), as apksigner names it.
    pub fn jar_extension(self) -> &'static str {
        match self {
            KeyKind::Rsa => "RSA",
            KeyKind::EcdsaP256 => "EC",
        }
    }
}

/// The digest a signature is made over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureDigest {
    Sha1,
    Sha256,
}

enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    EcdsaP256(p256::ecdsa::SigningKey),
}

/// A private key with its certificate chain (the signer's certificate first).
pub struct SigningKey {
    private: PrivateKey,
    certificate: Certificate,
    /// DER of every certificate of the chain, the signer's first.
    chain: Vec<Vec<u8>>,
    /// The signer certificate's SubjectPublicKeyInfo, DER.
    public_key: Vec<u8>,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kind", &self.kind())
            .field("subject", &self.certificate.tbs_certificate.subject.to_string())
            .field("chain", &self.chain.len())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A PKCS#8 private key (DER, or PEM `PRIVATE KEY`) and its certificate chain (DER, or one
    /// or more PEM `CERTIFICATE` blocks, the signer's first).
    pub fn from_pkcs8(key: &[u8], certificates: &[u8]) -> Result<Self, KeyError> {
        let key_der = der_or_pem(key, "PRIVATE KEY", "PKCS#8, unencrypted")?;
        Self::from_der_parts(&key_der, certificate_chain(certificates)?)
    }

    /// [`SigningKey::from_pkcs8`] with the files at `key` and `certificates`.
    pub fn load_pkcs8(key: &Path, certificates: &Path) -> Result<Self, KeyError> {
        let key_bytes = read_key_file(key)?;
        let certificate_bytes = read_key_file(certificates)?;
        Self::from_pkcs8(&key_bytes, &certificate_bytes)
    }

    /// A password-protected PKCS#8 key (DER, or PEM `ENCRYPTED PRIVATE KEY`; PBES2, as
    /// `openssl pkcs8 -topk8` writes it) and its certificate chain, as apksigner's `--key-pass`.
    pub fn from_encrypted_pkcs8(key: &[u8], certificates: &[u8], password: &str) -> Result<Self, KeyError> {
        let key_der = der_or_pem(key, "ENCRYPTED PRIVATE KEY", "encrypted PKCS#8")?;
        let encrypted = pkcs8::EncryptedPrivateKeyInfo::try_from(key_der.as_slice())
            .map_err(|e| KeyError::BadKey(e.to_string()))?;
        let decrypted = encrypted.decrypt(password).map_err(|_| KeyError::WrongPassword)?;
        Self::from_der_parts(decrypted.as_bytes(), certificate_chain(certificates)?)
    }

    /// [`SigningKey::from_encrypted_pkcs8`] with the files at `key` and `certificates`.
    pub fn load_encrypted_pkcs8(
        key: &Path,
        certificates: &Path,
        password: &PasswordSource,
    ) -> Result<Self, KeyError> {
        let key_bytes = read_key_file(key)?;
        let certificate_bytes = read_key_file(certificates)?;
        Self::from_encrypted_pkcs8(&key_bytes, &certificate_bytes, &password.read()?)
    }

    /// The key entry `alias` of a PKCS#12 keystore, or its only key entry when `alias` is
    /// `None`. Keystore and key share the password, as `keytool` and `openssl` make them.
    pub fn from_pkcs12(data: &[u8], password: &str, alias: Option<&str>) -> Result<Self, KeyError> {
        use p12_keystore::error::Error as P12Error;
        let store = p12_keystore::KeyStore::from_pkcs12(data, password).map_err(|e| match e {
            P12Error::MacError(_) | P12Error::UnpadError | P12Error::Pkcs5Error(_) => KeyError::WrongPassword,
            other => KeyError::Keystore(other.to_string()),
        })?;
        let keys: Vec<(&String, &p12_keystore::PrivateKeyChain)> = store
            .entries()
            .filter_map(|(name, entry)| match entry {
                p12_keystore::KeyStoreEntry::PrivateKeyChain(chain) => Some((name, chain)),
                _ => None,
            })
            .collect();
        let chain = match alias {
            Some(alias) => keys
                .iter()
                .find(|(name, _)| name.as_str() == alias)
                .map(|(_, chain)| *chain)
                .ok_or_else(|| KeyError::NoSuchAlias(alias.to_string()))?,
            None => match keys.as_slice() {
                [] => return Err(KeyError::NoPrivateKey),
                [(_, chain)] => *chain,
                several => {
                    let names: Vec<&str> = several.iter().map(|(name, _)| name.as_str()).collect();
                    return Err(KeyError::AmbiguousAlias(names.join(", ")));
                }
            },
        };
        let certificates = chain.chain().iter().map(|c| c.as_der().to_vec()).collect();
        Self::from_der_parts(chain.key(), certificates)
    }

    /// [`SigningKey::from_pkcs12`] with the keystore at `path`.
    pub fn load_pkcs12(
        path: &Path,
        password: &PasswordSource,
        alias: Option<&str>,
    ) -> Result<Self, KeyError> {
        let data = read_key_file(path)?;
        Self::from_pkcs12(&data, &password.read()?, alias)
    }

    fn from_der_parts(key_der: &[u8], chain: Vec<Vec<u8>>) -> Result<Self, KeyError> {
        let first = chain
            .first()
            .ok_or_else(|| KeyError::BadCertificate("no certificate".into()))?;
        let certificate =
            Certificate::from_der(first).map_err(|e| KeyError::BadCertificate(e.to_string()))?;
        // Every certificate must at least parse: they all go into the signatures.
        for der in chain.iter().skip(1) {
            Certificate::from_der(der).map_err(|e| KeyError::BadCertificate(e.to_string()))?;
        }
        let public_key = certificate
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|e| KeyError::BadCertificate(e.to_string()))?;

        let info = pkcs8::PrivateKeyInfo::try_from(key_der).map_err(|e| KeyError::BadKey(e.to_string()))?;
        let private = match info.algorithm.oid {
            RSA_ENCRYPTION => {
                let key = rsa::RsaPrivateKey::from_pkcs8_der(key_der)
                    .map_err(|e| KeyError::BadKey(e.to_string()))?;
                let certified = rsa::RsaPublicKey::from_public_key_der(&public_key)
                    .map_err(|_| KeyError::KeyCertificateMismatch)?;
                if certified != key.to_public_key() {
                    return Err(KeyError::KeyCertificateMismatch);
                }
                PrivateKey::Rsa(Box::new(key))
            }
            EC_PUBLIC_KEY => {
                let curve = info.algorithm.parameters_oid().ok();
                if curve != Some(PRIME256V1) {
                    let curve = curve.map_or_else(|| "none".to_string(), |c| c.to_string());
                    return Err(KeyError::UnsupportedKey(format!("EC curve {curve}")));
                }
                let key = p256::ecdsa::SigningKey::from_pkcs8_der(key_der)
                    .map_err(|e| KeyError::BadKey(e.to_string()))?;
                let certified = p256::PublicKey::from_public_key_der(&public_key)
                    .map_err(|_| KeyError::KeyCertificateMismatch)?;
                if certified != p256::PublicKey::from(key.verifying_key()) {
                    return Err(KeyError::KeyCertificateMismatch);
                }
                PrivateKey::EcdsaP256(key)
            }
            other => return Err(KeyError::UnsupportedKey(format!("algorithm {other}"))),
        };
        Ok(SigningKey {
            private,
            certificate,
            chain,
            public_key,
        })
    }

    pub fn kind(&self) -> KeyKind {
        match self.private {
            PrivateKey::Rsa(_) => KeyKind::Rsa,
            PrivateKey::EcdsaP256(_) => KeyKind::EcdsaP256,
        }
    }

    /// The signer's certificate, parsed.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// DER of the certificate chain, the signer's first.
    pub fn certificate_chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// SHA-256 of the signer's certificate, as `apksigner verify --print-certs` shows it.
    pub fn certificate_sha256(&self) -> [u8; 32] {
        let der = self.chain.first().map(Vec::as_slice).unwrap_or_default();
        Sha256::digest(der).into()
    }

    /// The signer certificate's SubjectPublicKeyInfo, DER.
    pub fn public_key(&self) -> &[u8] {
        &self.public_key
    }

    /// Signs `message`: RSA PKCS#1 v1.5, or ECDSA with a DER signature. Both are
    /// deterministic. ECDSA signs with SHA-256 only (nobody asks it for SHA-1).
    pub(crate) fn sign(&self, digest: SignatureDigest, message: &[u8]) -> Result<Vec<u8>, String> {
        match (&self.private, digest) {
            (PrivateKey::Rsa(key), SignatureDigest::Sha256) => key
                .sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message))
                .map_err(|e| e.to_string()),
            (PrivateKey::Rsa(key), SignatureDigest::Sha1) => key
                .sign(Pkcs1v15Sign::new::<Sha1>(), &Sha1::digest(message))
                .map_err(|e| e.to_string()),
            (PrivateKey::EcdsaP256(key), SignatureDigest::Sha256) => {
                let signature: DerSignature = key.try_sign(message).map_err(|e| e.to_string())?;
                Ok(signature.as_bytes().to_vec())
            }
            (PrivateKey::EcdsaP256(_), SignatureDigest::Sha1) => {
                Err("ECDSA with SHA-1 is not offered".into())
            }
        }
    }
}

fn is_pem(bytes: &[u8]) -> bool {
    bytes.trim_ascii_start().starts_with(b"-----BEGIN ")
}

/// The DER of a key given as DER or as PEM with `label`.
fn der_or_pem(key: &[u8], label: &str, what: &str) -> Result<Vec<u8>, KeyError> {
    if !is_pem(key) {
        return Ok(key.to_vec());
    }
    let (found, der) = der::pem::decode_vec(key).map_err(|e| KeyError::BadKey(format!("PEM: {e}")))?;
    if found != label {
        return Err(KeyError::BadKey(format!(
            "PEM label `{found}`, expected `{label}` ({what})"
        )));
    }
    Ok(der)
}

/// The DER of each certificate of a chain given as DER (one) or PEM (one or more).
fn certificate_chain(certificates: &[u8]) -> Result<Vec<Vec<u8>>, KeyError> {
    if !is_pem(certificates) {
        return Ok(vec![certificates.to_vec()]);
    }
    Certificate::load_pem_chain(certificates)
        .map_err(|e| KeyError::BadCertificate(format!("PEM: {e}")))?
        .iter()
        .map(|c| c.to_der().map_err(|e| KeyError::BadCertificate(e.to_string())))
        .collect()
}

/// The debug key used when none is given, and whether this call created it.
#[derive(Debug)]
pub struct DebugKey {
    pub key: SigningKey,
    /// The PKCS#8 file; the certificate is beside it ([`debug_certificate_path`]).
    pub path: PathBuf,
    /// Generated by this call (the caller should say so loudly, with the path).
    pub created: bool,
}

/// Where the debug key lives: `$HYPERCOMPAT_DEBUG_KEY`, else
/// `~/.config/hypercompat/debug-key.pk8`.
pub fn debug_key_path() -> Result<PathBuf, KeyError> {
    if let Some(path) = std::env::var_os(DEBUG_KEY_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .ok_or(KeyError::NoHome)?;
    Ok(PathBuf::from(home).join(".config/hypercompat/debug-key.pk8"))
}

/// The certificate beside a debug key: `debug-key.pk8` → `debug-key.x509.pem`.
pub fn debug_certificate_path(key_path: &Path) -> PathBuf {
    key_path.with_extension("x509.pem")
}

/// The debug key at [`debug_key_path`], created on first use.
pub fn debug_key() -> Result<DebugKey, KeyError> {
    load_or_create_debug_key(&debug_key_path()?)
}

/// Loads the debug key at `path` (PKCS#8 DER, certificate beside it), or generates it there:
/// RSA 2048 with a self-signed certificate for `CN=Android Debug, O=Android, C=US`. A lock
/// file beside it keeps two processes from generating two different keys.
pub fn load_or_create_debug_key(path: &Path) -> Result<DebugKey, KeyError> {
    let certificate_path = debug_certificate_path(path);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let lock_path = path.with_extension("lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io_error(&lock_path))?;
    lock.lock().map_err(io_error(&lock_path))?;
    if path.exists() {
        let key = SigningKey::load_pkcs8(path, &certificate_path)?;
        return Ok(DebugKey {
            key,
            path: path.to_path_buf(),
            created: false,
        });
    }
    let (key_der, certificate_pem) = generate_debug_key()?;
    // The certificate first: a key file without its certificate would be unusable.
    write_atomically(&certificate_path, certificate_pem.as_bytes(), 0o644)?;
    write_atomically(path, &key_der, 0o600)?;
    let key = SigningKey::from_pkcs8(&key_der, certificate_pem.as_bytes())?;
    Ok(DebugKey {
        key,
        path: path.to_path_buf(),
        created: true,
    })
}

fn write_atomically(path: &Path, bytes: &[u8], mode: u32) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(io_error(dir))?;
    file.as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode))
        .map_err(io_error(path))?;
    file.write_all(bytes).map_err(io_error(path))?;
    file.as_file().sync_all().map_err(io_error(path))?;
    file.persist(path).map_err(|e| KeyError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// A fresh RSA key (PKCS#8 DER) and its self-signed certificate (PEM).
fn generate_debug_key() -> Result<(Vec<u8>, String), KeyError> {
    use rand_core::{OsRng, RngCore};
    use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
    use x509_cert::builder::{Builder, CertificateBuilder, Profile};
    use x509_cert::der::EncodePem;

    let failed = |what: &str, e: &dyn fmt::Display| KeyError::Generate(format!("{what}: {e}"));
    let key = rsa::RsaPrivateKey::new(&mut OsRng, DEBUG_KEY_BITS).map_err(|e| failed("RSA key", &e))?;
    let key_der = key
        .to_pkcs8_der()
        .map_err(|e| failed("PKCS#8", &e))?
        .as_bytes()
        .to_vec();
    let public_der = key
        .to_public_key()
        .to_public_key_der()
        .map_err(|e| failed("public key", &e))?;
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(public_der.as_bytes())
        .map_err(|e| failed("public key", &e))?;

    let mut serial = [0u8; 8];
    OsRng.fill_bytes(&mut serial);
    // Positive and without a leading zero byte, as DER integers must be.
    serial[0] = (serial[0] & 0x7f) | 0x40;
    let serial = x509_cert::serial_number::SerialNumber::new(&serial).map_err(|e| failed("serial", &e))?;
    let validity =
        x509_cert::time::Validity::from_now(std::time::Duration::from_secs(DEBUG_VALIDITY_SECONDS))
            .map_err(|e| failed("validity", &e))?;
    let subject =
        x509_cert::name::Name::from_str(DEBUG_CERTIFICATE_SUBJECT).map_err(|e| failed("subject", &e))?;
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key);
    // A self-signed end-entity certificate: its key usage includes digitalSignature, without
    // which Java (apksigner) refuses JAR signatures (a CA profile allows certificate signing
    // only).
    let profile = Profile::Leaf {
        issuer: subject.clone(),
        enable_key_agreement: false,
        enable_key_encipherment: false,
    };
    let builder = CertificateBuilder::new(profile, serial, validity, subject, spki, &signer)
        .map_err(|e| failed("certificate", &e))?;
    let certificate = builder
        .build::<rsa::pkcs1v15::Signature>()
        .map_err(|e| failed("certificate", &e))?;
    let pem = certificate
        .to_pem(der::pem::LineEnding::LF)
        .map_err(|e| failed("certificate PEM", &e))?;
    Ok((key_der, pem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_sources_parse_like_apksigner() {
        assert_eq!(
            "env:KS_PASS".parse::<PasswordSource>().unwrap(),
            PasswordSource::Env("KS_PASS".into())
        );
        assert_eq!(
            "file:/tmp/p".parse::<PasswordSource>().unwrap(),
            PasswordSource::File("/tmp/p".into())
        );
        assert_eq!(
            "pass:a:b".parse::<PasswordSource>().unwrap(),
            PasswordSource::Text("a:b".into())
        );
        let err = "hunter2".parse::<PasswordSource>().unwrap_err().to_string();
        assert!(!err.contains("hunter2"), "{err}");
        assert_eq!(format!("{:?}", PasswordSource::Text("x".into())), "pass:<hidden>");
    }

    #[test]
    fn password_file_gives_its_first_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "secret\r\nsecond\n").unwrap();
        assert_eq!(PasswordSource::File(path).read().unwrap(), "secret");
    }

    #[test]
    fn garbage_keys_and_certificates_are_errors() {
        assert!(SigningKey::from_pkcs8(b"", b"").is_err());
        assert!(SigningKey::from_pkcs8(b"-----BEGIN PRIVATE KEY-----\n", b"").is_err());
        assert!(SigningKey::from_pkcs12(b"", "pw", None).is_err());
        assert!(SigningKey::from_pkcs12(&[0x30, 0x03, 0x02, 0x01, 0x03], "pw", None).is_err());
    }
}
