//! Repacking and signing arbitrary bytes as `hyper-migrate fix` will: a typed refusal or a
//! signed APK, never a panic; and the key loaders on arbitrary keystores, keys and certificates.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use migrator::{Changes, SignOptions, SigningKey};

static KEY: OnceLock<SigningKey> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let key = KEY.get_or_init(|| {
        SigningKey::from_pkcs8(
            include_bytes!("../../corpus/keys/test-only.pk8"),
            include_bytes!("../../corpus/keys/test-only.x509.pem"),
        )
        .expect("the committed test key loads")
    });
    let options = SignOptions {
        min_sdk: Some(21),
        ..SignOptions::default()
    };
    let _ = migrator::repack::repack(data, &Changes::new());
    if let Ok(signed) = migrator::repack_and_sign(data, &Changes::new(), key, &options) {
        // What we sign we can read back.
        assert!(analyzer::zip::ZipArchive::parse(&signed).is_ok());
    }
    let _ = SigningKey::from_pkcs12(data, "password", None);
    let _ = SigningKey::from_pkcs8(data, data);
    let _ = SigningKey::from_encrypted_pkcs8(data, data, "password");
});
