//! Signature verification against `apksigner verify -v --print-certs` on every corpus APK (and
//! on the third-party APKs under `target/samples/apk/`): the verdict, the schemes
//! reported as verified, and the signer certificates' SHA-256 digests and DNs. Plus mutated
//! signing blocks and JAR signature files, which must be rejected without panicking.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use analyzer::signing::v2v3::{self, ApkSections, BlockKind, SchemeParams};
use analyzer::signing::x509::hex;
use analyzer::signing::{Verification, VerifyOptions, verify_apk};
use analyzer::signing_block::{SigningBlock, V2_SCHEME_ID, V3_SCHEME_ID};
use analyzer::zip::ZipArchive;
use corpus::recipe::Scheme;

mod common;

/// What apksigner printed.
#[derive(Debug, Default)]
struct Oracle {
    verifies: bool,
    v1: bool,
    v2: bool,
    v3: bool,
    certificates: Vec<String>,
    dns: Vec<String>,
    text: String,
}

fn apksigner(apk: &Path, min_sdk: Option<u32>) -> Oracle {
    let mut command = Command::new("apksigner");
    command.args(["verify", "-v", "--print-certs"]);
    if let Some(min_sdk) = min_sdk {
        command.arg(format!("--min-sdk-version={min_sdk}"));
    }
    let output = command.arg(apk).output().expect("running apksigner");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut oracle = Oracle {
        verifies: output.status.success() && text.lines().next() == Some("Verifies"),
        ..Oracle::default()
    };
    for line in text.lines() {
        let value = line.rsplit_once(": ").map(|(_, v)| v);
        if line.starts_with("Verified using v1 scheme") {
            oracle.v1 = value == Some("true");
        } else if line.starts_with("Verified using v2 scheme") {
            oracle.v2 = value == Some("true");
        } else if line.starts_with("Verified using v3 scheme") {
            oracle.v3 = value == Some("true");
        } else if line.starts_with("Signer #") && line.contains(" certificate SHA-256 digest: ") {
            oracle.certificates.push(value.unwrap_or_default().to_string());
        } else if let Some((_, dn)) = line.split_once(" certificate DN: ")
            && line.starts_with("Signer #")
        {
            oracle.dns.push(dn.to_string());
        }
    }
    oracle.text = text;
    oracle
}

/// `attribute="N"` in a plain-text manifest.
fn manifest_number(manifest: &str, attribute: &str) -> Option<u32> {
    let start = manifest.find(&format!("{attribute}=\""))? + attribute.len() + 2;
    let end = manifest[start..].find('"')? + start;
    manifest[start..end].parse().ok()
}

/// Every difference between our verification and apksigner's.
fn compare(ours: &Verification, oracle: &Oracle) -> Vec<String> {
    let mut problems = Vec::new();
    if ours.verified != oracle.verifies {
        problems.push(format!(
            "verdict: ours {} ({:?}), apksigner {}\n{}",
            ours.verified, ours.error, oracle.verifies, oracle.text
        ));
        return problems;
    }
    if !oracle.verifies {
        return problems;
    }
    let schemes = [
        ("v1", ours.v1.verified, oracle.v1),
        ("v2", ours.v2.verified, oracle.v2),
        ("v3", ours.v3.verified, oracle.v3),
    ];
    for (name, mine, theirs) in schemes {
        if mine != theirs {
            problems.push(format!("{name} verified: ours {mine}, apksigner {theirs}"));
        }
    }
    let certificates: Vec<String> = ours.signer_certificates.iter().map(|c| hex(c)).collect();
    if certificates != oracle.certificates {
        problems.push(format!(
            "certificates: ours {certificates:?}, apksigner {:?}",
            oracle.certificates
        ));
    }
    let subjects: Vec<&str> = [&ours.v3, &ours.v2, &ours.v1]
        .into_iter()
        .find(|s| s.verified)
        .map(|s| {
            let signers: Vec<_> = s.signers.iter().map(|s| s.subject.as_str()).collect();
            // v3 prints only the newest signer.
            if std::ptr::eq(s, &ours.v3) {
                signers.into_iter().rev().take(1).collect()
            } else {
                signers
            }
        })
        .unwrap_or_default();
    if subjects != oracle.dns {
        problems.push(format!("DNs: ours {subjects:?}, apksigner {:?}", oracle.dns));
    }
    problems
}

#[test]
fn corpus_matches_apksigner() {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    let mut problems = Vec::new();
    for app in &apps {
        let path = app.apk_path(&out);
        let manifest = std::fs::read_to_string(app.dir.join("AndroidManifest.xml")).unwrap();
        let options = VerifyOptions {
            target_sdk: manifest_number(&manifest, "android:targetSdkVersion"),
            ..VerifyOptions::from_min_sdk(manifest_number(&manifest, "android:minSdkVersion").unwrap_or(1))
        };
        let data = std::fs::read(&path).unwrap();
        let ours = verify_apk(&data, &options).unwrap();
        let oracle = apksigner(&path, None);
        problems.extend(
            compare(&ours, &oracle)
                .into_iter()
                .map(|p| format!("{}: {p}", app.name)),
        );

        // The recipe's expectations too.
        let expect = &app.recipe.expect;
        if ours.verified != expect.verifies {
            problems.push(format!(
                "{}: recipe expects verifies = {}",
                app.name, expect.verifies
            ));
        }
        let schemes = [
            (Scheme::V1, ours.v1.verified),
            (Scheme::V2, ours.v2.verified),
            (Scheme::V3, ours.v3.verified),
        ];
        if expect.verifies {
            for (scheme, verified) in schemes {
                if verified != expect.schemes.contains(&scheme) {
                    problems.push(format!(
                        "{}: {scheme:?} verified = {verified}, recipe disagrees",
                        app.name
                    ));
                }
            }
        }
        if expect.verifies && ours.signer_certificates.len() != 1 {
            problems.push(format!(
                "{}: {} signer certificates",
                app.name,
                ours.signer_certificates.len()
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// `aapt dump badging`'s `sdkVersion` and `targetSdkVersion`.
fn badging_sdks(apk: &Path) -> (Option<u32>, Option<u32>) {
    let Ok(output) = Command::new("aapt").args(["dump", "badging"]).arg(apk).output() else {
        return (None, None);
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let value = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:'")))
            .and_then(|v| v.trim_end_matches('\'').parse().ok())
    };
    (value("sdkVersion"), value("targetSdkVersion"))
}

#[test]
fn sample_apks_match_apksigner() {
    let mut problems = Vec::new();
    {
        let paths = common::samples("apk", ".apk");
        for path in paths {
            let (min_sdk, target_sdk) = badging_sdks(&path);
            let min_sdk = min_sdk.unwrap_or(1);
            let data = std::fs::read(&path).unwrap();
            let name = path.display().to_string();
            let mut ranges = vec![(min_sdk, false)];
            // apksig's test vectors are tiny apps without a useful minSdk: check them for the
            // block schemes too.
            let vector = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("apksig-"));
            if vector {
                ranges.extend([(24, true), (28, true)]);
            }
            for (min_sdk, explicit) in ranges {
                let options = VerifyOptions {
                    target_sdk: if explicit { None } else { target_sdk },
                    ..VerifyOptions::from_min_sdk(min_sdk)
                };
                let oracle = apksigner(&path, Some(min_sdk));
                let label = format!("{name} (min SDK {min_sdk})");
                // apksigner throws for algorithms its JVM lacks (RSASSA-PSS here): no oracle.
                // apksig's own tests expect its RSASSA-PSS vector to verify (where v1 is not needed).
                if oracle.text.contains("Exception in thread") {
                    let pss = name.contains("rsa-pss") && min_sdk >= 24;
                    if pss && !verify_apk(&data, &options).is_ok_and(|v| v.verified && v.v2.verified) {
                        problems.push(format!("{label}: RSASSA-PSS vector does not verify"));
                    }
                    continue;
                }
                match verify_apk(&data, &options) {
                    Ok(ours) => {
                        problems.extend(
                            compare(&ours, &oracle)
                                .into_iter()
                                .map(|p| format!("{label}: {p}")),
                        );
                    }
                    Err(err) if oracle.verifies => {
                        problems.push(format!(
                            "{label}: we cannot read it ({err}), apksigner verifies it"
                        ));
                    }
                    Err(_) => {}
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

fn corpus_apk(name: &str) -> Vec<u8> {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    let app = apps.iter().find(|a| a.name == name).unwrap();
    std::fs::read(app.apk_path(&out)).unwrap()
}

#[test]
fn mutated_signing_blocks_never_verify_and_never_panic() {
    let data = corpus_apk("sign-v2-v3");
    let options = VerifyOptions::from_min_sdk(24);
    assert!(verify_apk(&data, &options).unwrap().verified);
    let zip = ZipArchive::parse(&data).unwrap();
    let block = SigningBlock::find(&zip).unwrap().unwrap();
    let start = block.offset as usize;
    let end = zip.central_directory_offset as usize;
    drop(block);
    drop(zip);
    // Flip one bit every few bytes of the block (the signer data, lengths and footer).
    let mut flips = 0;
    for at in (start..end).step_by(13) {
        let mut copy = data.clone();
        copy[at] ^= 1 << (at % 8);
        if let Ok(result) = verify_apk(&copy, &options) {
            // A flip in an unsigned part (padding, unknown pairs) may still verify; a flip in
            // signed data or a signature must not.
            if result.verified {
                assert_eq!(
                    result.signer_certificates,
                    verify_apk(&data, &options).unwrap().signer_certificates
                );
            }
        }
        flips += 1;
    }
    assert!(flips > 10);
    // The v2 and v3 values cut short, fed to the scheme verifier directly.
    let zip = ZipArchive::parse(&data).unwrap();
    let block = SigningBlock::find(&zip).unwrap().unwrap();
    let sections = ApkSections {
        data: &data,
        signing_block_offset: block.offset,
        central_directory_offset: zip.central_directory_offset,
        eocd_offset: zip.eocd_offset,
    };
    for (id, kind) in [(V2_SCHEME_ID, BlockKind::V2), (V3_SCHEME_ID, BlockKind::V3)] {
        let value = block.get(id).unwrap();
        let params = SchemeParams {
            kind,
            min_sdk: 28,
            max_sdk: 40,
            rotation_min_sdk: None,
            supported_scheme_ids: vec![2, 3],
            found_scheme_ids: vec![2, 3],
        };
        assert!(v2v3::verify_block(&sections, value, &params).verified, "{kind:?}");
        for cut in 0..value.len() {
            let result = v2v3::verify_block(&sections, &value[..cut], &params);
            assert!(
                !result.verified && result.error.is_some(),
                "{kind:?} cut at {cut}"
            );
        }
    }
    // Length fields set to huge values: every u32 of the block in turn.
    for at in (start..end.saturating_sub(4)).step_by(29) {
        let mut copy = data.clone();
        copy[at..at + 4].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
        let _ = verify_apk(&copy, &options);
    }
}

/// The APK with entry `name` replaced by `bytes` (stored), other entries copied as they are.
fn replace_entry(data: &[u8], name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(data)).unwrap();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let entry_name = entry.name().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        writer.start_file(entry_name.as_str(), stored).unwrap();
        writer
            .write_all(if entry_name == name { bytes } else { &content })
            .unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn mutated_jar_signatures_match_apksigner_and_never_panic() {
    let data = corpus_apk("sign-v1-only");
    let options = VerifyOptions::from_min_sdk(21);
    // Rewriting the archive keeps every entry's content, so v1 still verifies.
    let names: Vec<String> = {
        let zip = ZipArchive::parse(&data).unwrap();
        zip.entries()
            .iter()
            .map(|e| e.name_lossy().into_owned())
            .collect()
    };
    let signature_files: Vec<&String> = names
        .iter()
        .filter(|n| {
            n.starts_with("META-INF/") && (n.ends_with(".SF") || n.ends_with(".RSA") || n.ends_with(".MF"))
        })
        .collect();
    assert_eq!(signature_files.len(), 3, "{names:?}");
    let original = {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&data)).unwrap();
        move |name: &str| {
            let mut bytes = Vec::new();
            archive.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
            bytes
        }
    };
    let mut original = original;
    let rewritten = replace_entry(&data, "", b"");
    assert!(verify_apk(&rewritten, &options).unwrap().verified);
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for name in signature_files {
        let bytes = original(name);
        let step = (bytes.len() / 40).max(1);
        let flips = (0..bytes.len()).step_by(step).map(|at| {
            let mut mutated = bytes.clone();
            mutated[at] ^= 0x04;
            (format!("byte {at} flipped"), mutated)
        });
        let cuts = (0..bytes.len())
            .step_by(step)
            .map(|cut| (format!("cut at {cut}"), bytes[..cut].to_vec()));
        for (index, (what, mutated)) in flips.chain(cuts).enumerate() {
            let apk = replace_entry(&data, name, &mutated);
            let ours = verify_apk(&apk, &options).unwrap();
            // Not every byte is covered (a changed manifest main section is accepted when the
            // .SF has no main-attributes digest, as on Android): a sample is checked against
            // apksigner, the rest only must not panic.
            if index % 7 == 0 {
                let path = dir.path().join("mutated.apk");
                std::fs::write(&path, &apk).unwrap();
                let oracle = apksigner(&path, None);
                if ours.verified != oracle.verifies {
                    problems.push(format!(
                        "{name} {what}: ours {} ({:?}), apksigner {}\n{}",
                        ours.verified, ours.error, oracle.verifies, oracle.text
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// Runs a command and panics with its output when it fails.
fn run(command: &mut Command) {
    let output = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A fresh key (PKCS#8 DER) and self-signed certificate made with openssl.
fn make_key(dir: &Path, name: &str, genpkey: &[&str]) -> (PathBuf, PathBuf) {
    let pem = dir.join(format!("{name}.pem"));
    let pk8 = dir.join(format!("{name}.pk8"));
    let cert = dir.join(format!("{name}.x509.pem"));
    if genpkey.first() == Some(&"DSA") {
        let params = dir.join(format!("{name}.params"));
        run(Command::new("openssl")
            .args(["genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt"])
            .arg(genpkey[1])
            .arg("-out")
            .arg(&params));
        run(Command::new("openssl")
            .args(["genpkey", "-paramfile"])
            .arg(&params)
            .arg("-out")
            .arg(&pem));
    } else {
        run(Command::new("openssl")
            .arg("genpkey")
            .args(genpkey)
            .arg("-out")
            .arg(&pem));
    }
    run(Command::new("openssl")
        .args(["pkcs8", "-topk8", "-nocrypt", "-outform", "DER", "-in"])
        .arg(&pem)
        .arg("-out")
        .arg(&pk8));
    run(Command::new("openssl")
        .args(["req", "-new", "-x509", "-sha256", "-days", "3650", "-subj"])
        .arg(format!("/C=XX/O=HyperCompat test/CN={name}"))
        .arg("-key")
        .arg(&pem)
        .arg("-out")
        .arg(&cert));
    (pk8, cert)
}

/// Signs the unsigned corpus APK with other key types and apksigner options (ECDSA P-256 and
/// P-384, DSA, RSA 4096 with SHA-512, verity, v1 for old platforms, a rotation lineage) and
/// checks that we agree with apksigner on each, then that a tampered copy fails both.
#[test]
fn other_keys_and_options_match_apksigner() {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    let unsigned = apps.iter().find(|a| a.name == "unsigned").unwrap().apk_path(&out);
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let keys = [
        (
            "ec256",
            vec!["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        ),
        (
            "ec384",
            vec!["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        ),
        (
            "ec521",
            vec!["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
        ),
        (
            "rsa4096",
            vec!["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:4096"],
        ),
        ("dsa", vec!["DSA", "dsa_paramgen_bits:2048"]),
    ];
    let mut problems = Vec::new();
    let mut check = |label: &str, apk: &Path, min_sdk: u32| {
        let data = std::fs::read(apk).unwrap();
        let ours = verify_apk(&data, &VerifyOptions::from_min_sdk(min_sdk)).unwrap();
        let oracle = apksigner(apk, Some(min_sdk));
        problems.extend(
            compare(&ours, &oracle)
                .into_iter()
                .map(|p| format!("{label}: {p}")),
        );
        ours.verified
    };
    for (name, genpkey) in &keys {
        let (pk8, cert) = make_key(dir, name, genpkey);
        let variants: [(&str, &[&str], u32); 3] = [
            ("v1-v2-v3", &["--min-sdk-version", "21"], 21),
            ("v2-v3-verity", &["--verity-enabled", "true"], 24),
            (
                "v3-only",
                &["--v1-signing-enabled", "false", "--v2-signing-enabled", "false"],
                28,
            ),
        ];
        for (variant, options, min_sdk) in variants {
            let label = format!("{name} {variant}");
            let apk = dir.join(format!("{name}-{variant}.apk"));
            run(Command::new("apksigner")
                .args(["sign", "--key"])
                .arg(&pk8)
                .arg("--cert")
                .arg(&cert)
                .args(options)
                .arg("--out")
                .arg(&apk)
                .arg(&unsigned));
            let verified = check(&label, &apk, min_sdk);
            assert!(verified, "{label} does not verify");
            // One changed byte in the first entry's data breaks every scheme.
            let mut data = std::fs::read(&apk).unwrap();
            let zip = ZipArchive::parse(&data).unwrap();
            let first = zip
                .entries()
                .iter()
                .find(|e| e.compressed_size > 0)
                .unwrap()
                .data_offset as usize;
            drop(zip);
            data[first] ^= 0x20;
            let tampered = dir.join(format!("{name}-{variant}-tampered.apk"));
            std::fs::write(&tampered, &data).unwrap();
            assert!(
                !check(&format!("{label} tampered"), &tampered, min_sdk),
                "{label} tampered verifies"
            );
        }
    }

    // Key rotation: a v3 signer with a proof-of-rotation lineage from the corpus key.
    let (new_pk8, new_cert) = make_key(
        dir,
        "rotated",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    );
    let keys_dir = corpus::source_root().join("keys");
    let (old_pk8, old_cert) = (
        keys_dir.join("test-only.pk8"),
        keys_dir.join("test-only.x509.pem"),
    );
    let lineage = dir.join("lineage");
    run(Command::new("apksigner")
        .args(["rotate", "--out"])
        .arg(&lineage)
        .arg("--old-signer")
        .arg("--key")
        .arg(&old_pk8)
        .arg("--cert")
        .arg(&old_cert)
        .arg("--new-signer")
        .arg("--key")
        .arg(&new_pk8)
        .arg("--cert")
        .arg(&new_cert));
    let rotated = dir.join("rotated.apk");
    run(Command::new("apksigner")
        .args(["sign", "--min-sdk-version", "24", "--key"])
        .arg(&old_pk8)
        .arg("--cert")
        .arg(&old_cert)
        .arg("--next-signer")
        .arg("--key")
        .arg(&new_pk8)
        .arg("--cert")
        .arg(&new_cert)
        .arg("--lineage")
        .arg(&lineage)
        .arg("--out")
        .arg(&rotated)
        .arg(&unsigned));
    assert!(check("rotated", &rotated, 24), "rotated does not verify");
    let data = std::fs::read(&rotated).unwrap();
    let ours = verify_apk(&data, &VerifyOptions::from_min_sdk(24)).unwrap();
    // The lineage runs from the corpus key to the new one, which is the v3 signer; v2 keeps
    // the corpus key, the lineage's root.
    let lineage = &ours.v3.signers.last().unwrap().lineage;
    let old = hex(&lineage[0]);
    assert_eq!(lineage.len(), 2, "{:?}", ours.v3);
    assert_eq!(lineage[1], ours.v3.signers.last().unwrap().certificate_sha256);
    assert_eq!(
        Some(lineage[0]),
        ours.v2.signers.first().map(|s| s.certificate_sha256),
        "{old}"
    );
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
