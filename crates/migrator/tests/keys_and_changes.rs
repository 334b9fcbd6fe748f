//! Signing keys from every source (PKCS#8 + certificate, PKCS#12 from `openssl` and `keytool`,
//! RSA and ECDSA P-256, the generated debug key), the caller's entry changes, and the typed
//! refusals (unsafe, duplicate and overlapping entries, truncated inputs, wrong passwords),
//! each output checked by `apksigner verify` and our own verifier.

use std::path::{Path, PathBuf};
use std::process::Command;

use analyzer::signing::{self, VerifyOptions};
use analyzer::zip::{Method, ZipArchive};
use migrator::repack::RepackError;
use migrator::sign::keys::{self, KeyError, SigningKey};
use migrator::{
    Changes, Compression, FixError, KeyKind, PasswordSource, SignError, SignOptions, repack_and_sign,
};

fn keys_dir() -> PathBuf {
    corpus::source_root().join("keys")
}

fn test_key() -> SigningKey {
    let keys = keys_dir();
    SigningKey::load_pkcs8(&keys.join("test-only.pk8"), &keys.join("test-only.x509.pem")).unwrap()
}

fn corpus_apk(name: &str) -> Vec<u8> {
    let out = corpus::default_out_dir();
    corpus::ensure_built(&out).unwrap();
    std::fs::read(out.join(format!("{name}.apk"))).unwrap()
}

fn tool(program: &str, args: &[&str]) {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("running {program}: {err}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Signs minimal.apk from `min_sdk` and checks the result with apksigner and our verifier;
/// returns the signed bytes.
fn sign_and_verify(key: &SigningKey, min_sdk: u32, dir: &Path) -> Vec<u8> {
    let input = corpus_apk("minimal");
    let options = SignOptions {
        min_sdk: Some(min_sdk),
        ..SignOptions::default()
    };
    let out = repack_and_sign(&input, &Changes::new(), key, &options).unwrap();
    assert_eq!(
        repack_and_sign(&input, &Changes::new(), key, &options).unwrap(),
        out
    );
    let path = dir.join("signed.apk");
    std::fs::write(&path, &out).unwrap();
    let output = Command::new("apksigner")
        .args(["verify", "-v", "--min-sdk-version", &min_sdk.to_string()])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "apksigner: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for scheme in ["v1 scheme (JAR signing)", "v2 scheme", "v3 scheme"] {
        let line = text.lines().find(|l| l.contains(scheme)).unwrap();
        let expect = !(scheme.starts_with("v1") && min_sdk >= 24);
        assert_eq!(line.ends_with(": true"), expect, "{line}");
    }
    let ours = signing::verify_apk(&out, &VerifyOptions::from_min_sdk(min_sdk)).unwrap();
    assert!(ours.verified, "{:?}", ours.error);
    assert_eq!(ours.signer_certificates, vec![key.certificate_sha256()]);
    out
}

#[test]
fn rsa_pkcs8_with_pem_or_der_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keys_dir();
    let key = test_key();
    assert_eq!(key.kind(), KeyKind::Rsa);
    // The same key from a DER certificate and a PEM key.
    let pem_key = dir.path().join("key.pem");
    let der_cert = dir.path().join("cert.der");
    let pk8 = keys.join("test-only.pk8");
    let cert = keys.join("test-only.x509.pem");
    tool(
        "openssl",
        &[
            "pkcs8",
            "-inform",
            "DER",
            "-nocrypt",
            "-in",
            pk8.to_str().unwrap(),
            "-out",
            pem_key.to_str().unwrap(),
        ],
    );
    tool(
        "openssl",
        &[
            "x509",
            "-in",
            cert.to_str().unwrap(),
            "-outform",
            "DER",
            "-out",
            der_cert.to_str().unwrap(),
        ],
    );
    let same = SigningKey::load_pkcs8(&pem_key, &der_cert).unwrap();
    assert_eq!(same.certificate_sha256(), key.certificate_sha256());
    // Below API 18 the JAR signature is SHA-1 with RSA; from 24 v1 is not even checked.
    let legacy = sign_and_verify(&key, 9, dir.path());
    let modern = sign_and_verify(&same, 24, dir.path());
    assert_ne!(legacy, modern);
    // Password-protected PKCS#8 (PBES2, AES-256-CBC), PEM and DER, as `--key-pass` gives it.
    let encrypted_pem = dir.path().join("enc.pem");
    let encrypted_der = dir.path().join("enc.pk8");
    for (path, form) in [(&encrypted_pem, "PEM"), (&encrypted_der, "DER")] {
        tool(
            "openssl",
            &[
                "pkcs8",
                "-topk8",
                "-inform",
                "DER",
                "-in",
                pk8.to_str().unwrap(),
                "-v2",
                "aes-256-cbc",
                "-passout",
                "pass:key-pass",
                "-outform",
                form,
                "-out",
                path.to_str().unwrap(),
            ],
        );
        let password = PasswordSource::Text("key-pass".into());
        let decrypted = SigningKey::load_encrypted_pkcs8(path, &cert, &password).unwrap();
        assert_eq!(decrypted.certificate_sha256(), key.certificate_sha256(), "{form}");
        let wrong = SigningKey::load_encrypted_pkcs8(path, &cert, &PasswordSource::Text("nope".into()));
        assert!(matches!(wrong, Err(KeyError::WrongPassword)), "{form}: {wrong:?}");
    }
    assert!(matches!(
        SigningKey::load_pkcs8(&encrypted_pem, &cert),
        Err(KeyError::BadKey(_))
    ));
    // A certificate of another key is refused.
    let other = keys.join("android-debug.x509.pem");
    assert!(matches!(
        SigningKey::load_pkcs8(&pk8, &other),
        Err(KeyError::KeyCertificateMismatch)
    ));
}

#[test]
fn ecdsa_p256_key_signs_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let ec_pem = dir.path().join("ec.pem");
    let pk8 = dir.path().join("ec.pk8");
    let cert = dir.path().join("ec.x509.pem");
    tool(
        "openssl",
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            ec_pem.to_str().unwrap(),
        ],
    );
    tool(
        "openssl",
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            ec_pem.to_str().unwrap(),
            "-outform",
            "DER",
            "-out",
            pk8.to_str().unwrap(),
        ],
    );
    tool(
        "openssl",
        &[
            "req",
            "-new",
            "-x509",
            "-key",
            ec_pem.to_str().unwrap(),
            "-out",
            cert.to_str().unwrap(),
            "-days",
            "3650",
            "-subj",
            "/CN=HyperCompat EC test",
        ],
    );
    let key = SigningKey::load_pkcs8(&pk8, &cert).unwrap();
    assert_eq!(key.kind(), KeyKind::EcdsaP256);
    let out = sign_and_verify(&key, 21, dir.path());
    let zip = ZipArchive::parse(&out).unwrap();
    assert!(zip.entry("META-INF/CERT.EC").is_some());
    // Android before 18 cannot verify ECDSA JAR signatures: refused, as apksigner does.
    let err = repack_and_sign(
        &corpus_apk("minimal"),
        &Changes::new(),
        &key,
        &SignOptions {
            min_sdk: Some(14),
            ..SignOptions::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, FixError::Sign(SignError::EcdsaBelowApi18(14))),
        "{err}"
    );
    // Without v1 the same key signs for any platform.
    let out = repack_and_sign(
        &corpus_apk("minimal"),
        &Changes::new(),
        &key,
        &SignOptions {
            v1: false,
            min_sdk: Some(14),
            ..SignOptions::default()
        },
    )
    .unwrap();
    assert!(
        ZipArchive::parse(&out)
            .unwrap()
            .entry("META-INF/MANIFEST.MF")
            .is_none()
    );
}

#[test]
fn pkcs12_keystores_from_openssl_and_keytool() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let keys = keys_dir();
    tool(
        "openssl",
        &[
            "pkcs8",
            "-inform",
            "DER",
            "-nocrypt",
            "-in",
            keys.join("test-only.pk8").to_str().unwrap(),
            "-out",
            &d("key.pem"),
        ],
    );
    let cert = keys.join("test-only.x509.pem");
    // OpenSSL 3's default: PBES2 (PBKDF2, AES-256-CBC) and an HMAC-SHA256 MAC.
    tool(
        "openssl",
        &[
            "pkcs12",
            "-export",
            "-inkey",
            &d("key.pem"),
            "-in",
            cert.to_str().unwrap(),
            "-name",
            "release",
            "-out",
            &d("modern.p12"),
            "-passout",
            "pass:s3cret!",
        ],
    );
    // The legacy ciphers: 3DES for key and certificates, SHA-1 MAC.
    tool(
        "openssl",
        &[
            "pkcs12",
            "-export",
            "-inkey",
            &d("key.pem"),
            "-in",
            cert.to_str().unwrap(),
            "-out",
            &d("legacy.p12"),
            "-passout",
            "pass:s3cret!",
            "-keypbe",
            "PBE-SHA1-3DES",
            "-certpbe",
            "PBE-SHA1-3DES",
            "-macalg",
            "sha1",
        ],
    );
    let expected = test_key().certificate_sha256();
    std::fs::write(dir.path().join("pw.txt"), "s3cret!\n").unwrap();
    let sources = [
        PasswordSource::Text("s3cret!".into()),
        format!("file:{}", d("pw.txt")).parse().unwrap(),
    ];
    for store in ["modern.p12", "legacy.p12"] {
        for source in &sources {
            let key = SigningKey::load_pkcs12(&dir.path().join(store), source, None).unwrap();
            assert_eq!(key.certificate_sha256(), expected, "{store}");
        }
        let wrong = SigningKey::load_pkcs12(
            &dir.path().join(store),
            &PasswordSource::Text("nope".into()),
            None,
        );
        assert!(
            matches!(wrong, Err(KeyError::WrongPassword)),
            "{store}: {wrong:?}"
        );
    }
    let named =
        SigningKey::load_pkcs12(&dir.path().join("modern.p12"), &sources[0], Some("release")).unwrap();
    sign_and_verify(&named, 19, dir.path());
    assert!(matches!(
        SigningKey::load_pkcs12(&dir.path().join("modern.p12"), &sources[0], Some("other")),
        Err(KeyError::NoSuchAlias(_))
    ));

    // keytool (Java 17: PBES2/AES-256 and HMAC-SHA256 by default), RSA and EC keys; the
    // password from the environment, as `--ks-pass env:VAR` gives it.
    // SAFETY: the other threads of this test binary touch the environment only through std
    // (spawning tools), which serializes with `set_var`; nothing reads it through libc.
    unsafe { std::env::set_var("HC_TEST_KS_PASS", "keytool-pass") };
    let env = PasswordSource::Env("HC_TEST_KS_PASS".into());
    for (alias, args) in [
        ("rsa", &["-keyalg", "RSA", "-keysize", "2048"][..]),
        ("ec", &["-keyalg", "EC", "-groupname", "secp256r1"][..]),
    ] {
        let store = d(&format!("keytool-{alias}.p12"));
        let mut command = vec![
            "-genkeypair",
            "-storetype",
            "PKCS12",
            "-keystore",
            &store,
            "-storepass",
            "keytool-pass",
            "-alias",
            alias,
            "-dname",
            "CN=HyperCompat keytool test",
            "-validity",
            "3650",
        ];
        command.extend_from_slice(args);
        tool("keytool", &command);
        let key = SigningKey::load_pkcs12(Path::new(&store), &env, None).unwrap();
        let kind = if alias == "ec" {
            KeyKind::EcdsaP256
        } else {
            KeyKind::Rsa
        };
        assert_eq!(key.kind(), kind);
        sign_and_verify(&key, 21, dir.path());
    }
    let missing = PasswordSource::Env("HC_TEST_NO_SUCH_VARIABLE".into()).read();
    assert!(matches!(missing, Err(KeyError::PasswordVariableMissing(_))));
}

#[test]
fn debug_key_is_created_once_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/debug-key.pk8");
    let first = keys::load_or_create_debug_key(&path).unwrap();
    assert!(first.created);
    assert_eq!(first.key.kind(), KeyKind::Rsa);
    assert!(keys::debug_certificate_path(&path).is_file());
    let subject = first.key.certificate().tbs_certificate.subject.to_string();
    assert_eq!(subject, "CN=Android Debug,O=Android,C=US");
    let second = keys::load_or_create_debug_key(&path).unwrap();
    assert!(!second.created);
    assert_eq!(second.key.certificate_sha256(), first.key.certificate_sha256());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    sign_and_verify(&second.key, 21, dir.path());
    // openssl reads what we wrote.
    let cert = keys::debug_certificate_path(&path);
    tool(
        "openssl",
        &["x509", "-in", cert.to_str().unwrap(), "-noout", "-subject"],
    );
    tool(
        "openssl",
        &["pkey", "-inform", "DER", "-in", path.to_str().unwrap(), "-noout"],
    );
}

#[test]
fn changes_replace_add_and_remove_entries() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus_apk("compressed-arsc");
    let source = ZipArchive::parse(&input).unwrap();
    let dex = source
        .read(source.entry("classes.dex").unwrap())
        .unwrap()
        .into_owned();
    let mut changes = Changes::new();
    changes
        .put("classes.dex", dex.clone(), Compression::Stored)
        .put(
            "assets/added.txt",
            b"hello from fix\n".repeat(100),
            Compression::Deflated,
        )
        .put("lib/arm64-v8a/libadded.so", vec![0x7f; 5000], Compression::Stored)
        .remove("res/no-such-entry");
    let key = test_key();
    let options = SignOptions {
        min_sdk: Some(21),
        ..SignOptions::default()
    };
    let out = repack_and_sign(&input, &changes, &key, &options).unwrap();
    assert_eq!(
        repack_and_sign(&out, &changes, &key, &options).unwrap(),
        out,
        "idempotent"
    );
    let zip = ZipArchive::parse(&out).unwrap();
    let names: Vec<String> = zip
        .entries()
        .iter()
        .map(|e| e.name_lossy().into_owned())
        .collect();
    let classes = zip.entry("classes.dex").unwrap();
    assert_eq!(classes.method, Method::Stored);
    assert_eq!(classes.data_offset % 4, 0);
    // A replaced entry keeps its place; additions come after the input's entries, by name.
    let position = |n: &str| names.iter().position(|x| x == n).unwrap();
    let input_position = source
        .entries()
        .iter()
        .position(|e| e.name == b"classes.dex")
        .unwrap();
    assert_eq!(position("classes.dex"), input_position);
    assert!(position("assets/added.txt") < position("lib/arm64-v8a/libadded.so"));
    assert_eq!(position("META-INF/CERT.SF"), names.len() - 3);
    let added = zip.entry("assets/added.txt").unwrap();
    assert_eq!(added.method, Method::Deflated);
    assert_eq!(
        zip.read(added).unwrap().as_ref(),
        b"hello from fix\n".repeat(100).as_slice()
    );
    let library = zip.entry("lib/arm64-v8a/libadded.so").unwrap();
    assert_eq!(library.data_offset % 16384, 0);
    // The deflated resources.arsc of the input is stored now.
    let arsc = zip.entry("resources.arsc").unwrap();
    assert_eq!(arsc.method, Method::Stored);
    assert_eq!(source.entry("resources.arsc").unwrap().method, Method::Deflated);
    let path = dir.path().join("changed.apk");
    std::fs::write(&path, &out).unwrap();
    let status = Command::new("apksigner")
        .args(["verify", "--min-sdk-version", "21"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    let status = Command::new("zipalign")
        .args(["-c", "-p", "4"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());

    // Removing drops the entry, and names are checked.
    let mut removal = Changes::new();
    removal.remove("classes.dex");
    let out = repack_and_sign(&input, &removal, &key, &options).unwrap();
    assert!(ZipArchive::parse(&out).unwrap().entry("classes.dex").is_none());
    for bad in [
        "../escape",
        "/abs",
        "META-INF/CERT.SF",
        "META-INF/manifest.mf",
        "",
    ] {
        let mut changes = Changes::new();
        changes.put(bad, Vec::new(), Compression::Stored);
        let err = repack_and_sign(&input, &changes, &key, &options).unwrap_err();
        assert!(
            matches!(err, FixError::Repack(RepackError::BadChange { .. })),
            "{bad}: {err}"
        );
    }
}

#[test]
fn refusals_are_typed_errors_never_panics() {
    let key = test_key();
    let options = SignOptions::default();
    for (app, expect) in [
        ("duplicate-entries", "duplicate"),
        ("unsafe-entry-name", "unsafe"),
        ("overlapping-entries", "overlap"),
    ] {
        let err = repack_and_sign(&corpus_apk(app), &Changes::new(), &key, &options).unwrap_err();
        let ok = matches!(
            (expect, &err),
            ("duplicate", FixError::Repack(RepackError::DuplicateName { .. }))
                | ("unsafe", FixError::Repack(RepackError::UnsafeName { .. }))
                | (
                    "overlap",
                    FixError::Repack(RepackError::OverlappingEntries { .. })
                )
        );
        assert!(ok, "{app}: {err}");
        assert!(!err.to_string().contains('\n'), "one line: {err}");
    }
    // A name Android's zip reader refuses (not UTF-8): aapt would not open the output.
    let mut input = corpus_apk("minimal");
    let (name, renamed): (&[u8], &[u8]) = (b"classes.dex", b"class\xff\xfe.dex");
    let mut at = 0;
    while let Some(found) = input[at..].windows(name.len()).position(|w| w == name) {
        input[at + found..at + found + name.len()].copy_from_slice(renamed);
        at += found + name.len();
    }
    assert!(at > 0, "the name is in the archive");
    let err = repack_and_sign(&input, &Changes::new(), &key, &options).unwrap_err();
    assert!(
        matches!(
            err,
            FixError::Repack(RepackError::InvalidName {
                reason: "not UTF-8",
                ..
            })
        ),
        "{err}"
    );
    // Truncated and damaged inputs: errors, never panics.
    let input = corpus_apk("minimal");
    let step = (input.len() / 200).max(1);
    for cut in (0..input.len()).step_by(step) {
        assert!(repack_and_sign(&input[..cut], &Changes::new(), &key, &options).is_err());
        let mut damaged = input.clone();
        damaged[cut] ^= 0xff;
        let _ = repack_and_sign(&damaged, &Changes::new(), &key, &options);
    }
    assert!(matches!(
        repack_and_sign(&input[..input.len() / 2], &Changes::new(), &key, &options),
        Err(FixError::Repack(RepackError::Zip(_)))
    ));
    let none = SignOptions {
        v1: false,
        v2: false,
        v3: false,
        min_sdk: None,
    };
    assert!(matches!(
        repack_and_sign(&input, &Changes::new(), &key, &none),
        Err(FixError::Sign(SignError::NoScheme))
    ));
}

#[test]
fn v1_only_and_block_only_outputs_verify() {
    let dir = tempfile::tempdir().unwrap();
    let key = test_key();
    for (v1, v2, v3) in [
        (true, false, false),
        (false, true, false),
        (false, false, true),
        (true, true, false),
    ] {
        // apksigner refuses JAR signatures alone for apps targeting API 30 or later, as Android
        // does: the v1-only case signs an app that targets 29.
        let input = corpus_apk(if v2 || v3 { "minimal" } else { "sign-v1-only" });
        let options = SignOptions {
            v1,
            v2,
            v3,
            min_sdk: Some(21),
        };
        let out = repack_and_sign(&input, &Changes::new(), &key, &options).unwrap();
        let path = dir.path().join("out.apk");
        std::fs::write(&path, &out).unwrap();
        // Each set of schemes covers platforms from its oldest: v1 any, v2 24, v3 28.
        let from = if v1 {
            "21"
        } else if v2 {
            "24"
        } else {
            "28"
        };
        let output = Command::new("apksigner")
            .args(["verify", "-v", "--min-sdk-version", from])
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        let errors = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{v1} {v2} {v3}: {text}{errors}");
        let verified = |scheme: &str| {
            text.lines()
                .find(|l| l.starts_with(&format!("Verified using {scheme} scheme")))
                .is_some_and(|l| l.ends_with(": true"))
        };
        assert_eq!(
            (verified("v1"), verified("v2"), verified("v3")),
            (v1, v2, v3),
            "{text}"
        );
        let sf = ZipArchive::parse(&out)
            .unwrap()
            .entry("META-INF/CERT.SF")
            .map(|_| ());
        assert_eq!(sf.is_some(), v1);
    }
}

#[test]
fn min_sdk_defaults_to_the_manifest() {
    let key = test_key();
    // minimal declares minSdkVersion 24: the default options sign as if told 24.
    let input = corpus_apk("minimal");
    let default = repack_and_sign(&input, &Changes::new(), &key, &SignOptions::default()).unwrap();
    let explicit = SignOptions {
        min_sdk: Some(24),
        ..SignOptions::default()
    };
    assert_eq!(
        repack_and_sign(&input, &Changes::new(), &key, &explicit).unwrap(),
        default
    );
    // The manifest is read as apksigner reads it: legacy-manifest's declares 35.
    let legacy = corpus_apk("legacy-manifest");
    let legacy_zip = ZipArchive::parse(&legacy).unwrap();
    let manifest = legacy_zip
        .read(legacy_zip.entry("AndroidManifest.xml").unwrap())
        .unwrap();
    assert_eq!(
        migrator::sign::min_sdk_from_manifest(&manifest, None).unwrap(),
        35
    );
    // Without a manifest, JAR signing needs the min SDK given; the block schemes do not.
    let mut no_manifest = Changes::new();
    no_manifest.remove("AndroidManifest.xml");
    let err = repack_and_sign(&input, &no_manifest, &key, &SignOptions::default()).unwrap_err();
    assert!(
        matches!(err, FixError::Sign(SignError::MinSdkUnknown(_))),
        "{err}"
    );
    let blocks_only = SignOptions {
        v1: false,
        ..SignOptions::default()
    };
    assert!(repack_and_sign(&input, &no_manifest, &key, &blocks_only).is_ok());
}

#[test]
fn signing_block_layout_follows_apksigner() {
    use analyzer::signing_block::{SigningBlock, V2_SCHEME_ID, V3_SCHEME_ID, VERITY_PADDING_ID};
    let input = corpus_apk("native-16k");
    let key = test_key();
    let out = repack_and_sign(&input, &Changes::new(), &key, &SignOptions::default()).unwrap();
    let zip = ZipArchive::parse(&out).unwrap();
    let block = SigningBlock::find(&zip).unwrap().unwrap();
    let ids: Vec<u32> = block.pairs.iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![V2_SCHEME_ID, V3_SCHEME_ID, VERITY_PADDING_ID]);
    // The block is whole pages, and ends where the central directory starts.
    let block_len = zip.central_directory_offset - block.offset;
    assert_eq!(block_len % 4096, 0);
    // It starts right after the last entry's data (the JAR signature files are last).
    assert_eq!(block.offset, zip.end_of_entries());
    let names: Vec<_> = zip
        .entries()
        .iter()
        .rev()
        .take(3)
        .map(|e| e.name_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["META-INF/MANIFEST.MF", "META-INF/CERT.RSA", "META-INF/CERT.SF"]
    );
    let ours = signing::verify_apk(&out, &VerifyOptions::from_min_sdk(24)).unwrap();
    assert!(ours.verified, "{:?}", ours.error);
    let v3 = &ours.v3.signers[0];
    assert_eq!((v3.min_sdk, v3.max_sdk), (Some(28), Some(i32::MAX as u32)));
    // The v2 signer names v3 in its stripping protection: without the v3 pair it fails.
    let v2_only_block = {
        let mut bytes = out.clone();
        let v3_value = block.pairs[1].offset as usize;
        // Turn the v3 pair's id into an unknown one.
        bytes[v3_value - 4..v3_value].copy_from_slice(&0x1234_5678u32.to_le_bytes());
        bytes
    };
    let stripped = signing::verify_apk(&v2_only_block, &VerifyOptions::from_min_sdk(24)).unwrap();
    assert!(!stripped.verified);
    assert!(
        matches!(
            stripped.error,
            Some(signing::SignatureError::StrippedScheme { .. })
        ),
        "{:?}",
        stripped.error
    );
}
