//! `migrator::repack_and_sign` against Android's own tools, on every corpus APK, Debian's
//! framework-res.apk and the third-party sample APKs: each output is verified by
//! `apksigner verify -v` (v1, v2, v3), passes `zipalign -c -p -v 4`, has its stored `.so`
//! files at 16 KiB boundaries and `resources.arsc` stored, gives the same `aapt dump badging`
//! package line, holds the same entry bytes as its input, is verified by our own verifier,
//! and comes out byte for byte the same when made twice or made again from itself.

use std::path::{Path, PathBuf};
use std::process::Command;

use analyzer::signing::{self, VerifyOptions};
use analyzer::zip::{Method, ZipArchive, ZipEntry};
use migrator::repack::{self, RepackError};
use migrator::sign::keys::SigningKey;
use migrator::{Changes, FixError, SignOptions, repack_and_sign};

const FRAMEWORK_RES: &str = "/usr/share/android-framework-res/framework-res.apk";

/// Inputs that repack must refuse, and the refusal each must give.
const REFUSED: &[(&str, &str)] = &[
    ("duplicate-entries.apk", "duplicate"),
    ("unsafe-entry-name.apk", "unsafe"),
    ("overlapping-entries.apk", "overlap"),
    // A NUL in an entry name is an unsafe name.
    ("apksig-v1-only-nul-in-entry-name.apk", "unsafe"),
    // Its central directory runs past the end record: not a zip we can read.
    ("apksig-v2-only-truncated-cd.apk", "zip"),
];

/// Zips among the samples that are not APKs to apksigner, which needs a manifest to verify
/// anything: for these, apksigner's refusal is asserted instead and every other check holds.
const NO_MANIFEST: &[&str] = &["androguard-multidex-minimal.apk"];

fn keys_dir() -> PathBuf {
    corpus::source_root().join("keys")
}

fn test_key() -> SigningKey {
    let keys = keys_dir();
    SigningKey::load_pkcs8(&keys.join("test-only.pk8"), &keys.join("test-only.x509.pem")).unwrap()
}

fn corpus_apks() -> Vec<PathBuf> {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    apps.iter().map(|a| a.apk_path(&out)).collect()
}

fn run(program: &str, args: &[&str], file: &Path) -> (bool, String) {
    let output = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|err| panic!("running {program}: {err}"));
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

/// The min SDK apksigner reads from the app's manifest, if it can be read.
fn app_min_sdk(apk: &[u8]) -> Option<u32> {
    let zip = ZipArchive::parse(apk).ok()?;
    let manifest = zip.read(zip.entry("AndroidManifest.xml")?).ok()?;
    let resources = zip.entry("resources.arsc").and_then(|e| zip.read(e).ok());
    migrator::sign::min_sdk_from_manifest(&manifest, resources.as_deref()).ok()
}

/// An entry's bytes as Android reads them: any method but stored is deflate.
fn read(zip: &ZipArchive<'_>, entry: &ZipEntry<'_>) -> Vec<u8> {
    let mut entry = entry.clone();
    if let Method::Other(_) = entry.method {
        entry.method = Method::Deflated;
    }
    zip.read(&entry).unwrap().into_owned()
}

/// `Verified using vN scheme (...): true|false` lines of `apksigner verify -v`.
fn apksigner_schemes(text: &str) -> Option<[bool; 3]> {
    let scheme = |n: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("Verified using {n} scheme")))
            .map(|l| l.ends_with(": true"))
    };
    Some([scheme("v1")?, scheme("v2")?, scheme("v3")?])
}

/// The package line (name and versions) and SDK lines of `aapt dump badging`, when aapt reads
/// the APK.
fn badging_package(file: &Path) -> Option<String> {
    let (_, text) = run("aapt", &["dump", "badging"], file);
    let package = text.lines().find(|l| l.starts_with("package: "))?;
    let sdk = text
        .lines()
        .filter(|l| l.starts_with("sdkVersion:") || l.starts_with("targetSdkVersion:"));
    Some(std::iter::once(package).chain(sdk).collect::<Vec<_>>().join("\n"))
}

/// Everything checked about one input; the problems found, empty when all is well.
fn check(input_path: &Path, key: &SigningKey, dir: &Path) -> Vec<String> {
    let name = input_path.file_name().unwrap().to_string_lossy().into_owned();
    let mut problems = Vec::new();
    let mut problem = |text: String| problems.push(format!("{name}: {text}"));
    let input = std::fs::read(input_path).unwrap();
    let min_sdk = app_min_sdk(&input).unwrap_or(24);
    let options = SignOptions {
        min_sdk: Some(min_sdk),
        ..SignOptions::default()
    };
    let out = match repack_and_sign(&input, &Changes::new(), key, &options) {
        Ok(out) => out,
        Err(err) => {
            problem(format!("refused: {err}"));
            return problems;
        }
    };
    let again = repack_and_sign(&input, &Changes::new(), key, &options).unwrap();
    if again != out {
        problem("two runs gave different bytes".into());
    }
    match repack_and_sign(&out, &Changes::new(), key, &options) {
        Ok(resigned) if resigned == out => {}
        Ok(_) => problem("repacking the output changed it".into()),
        Err(err) => problem(format!("repacking the output failed: {err}")),
    }
    let out_path = dir.join(&name);
    std::fs::write(&out_path, &out).unwrap();

    // apksigner, for the app's platforms, and from below 24 so that v1 is checked too (our
    // JAR signature is valid from the app's min SDK, and SHA-256 from 18).
    for checked_min in [min_sdk, min_sdk.min(23)] {
        let (ok, text) = run(
            "apksigner",
            &["verify", "-v", "--min-sdk-version", &checked_min.to_string()],
            &out_path,
        );
        let expected = [checked_min < 24, checked_min < 28, true];
        if NO_MANIFEST.contains(&name.as_str()) {
            if ok || !text.contains("Missing AndroidManifest.xml") {
                problem(format!(
                    "apksigner was expected to refuse a zip without a manifest:\n{text}"
                ));
            }
        } else if !ok || apksigner_schemes(&text) != Some(expected) {
            problem(format!(
                "apksigner --min-sdk-version {checked_min}: expected v1/v2/v3 {expected:?}:\n{text}"
            ));
        }
        let ours = signing::verify_apk(&out, &VerifyOptions::from_min_sdk(checked_min)).unwrap();
        let ours_schemes = [ours.v1.verified, ours.v2.verified, ours.v3.verified];
        if !ours.verified || ours_schemes != expected {
            problem(format!(
                "our verifier from {checked_min}: {ours_schemes:?} {:?}",
                ours.error
            ));
        }
    }

    let (ok, text) = run("zipalign", &["-c", "-p", "-v", "4"], &out_path);
    if !ok {
        problem(format!("zipalign -c -p -v 4 failed:\n{text}"));
    }

    let zip = ZipArchive::parse(&out).unwrap();
    for entry in zip.entries() {
        let entry_name = entry.name_lossy();
        if entry.method == Method::Stored {
            let alignment = if entry_name.ends_with(".so") { 16384 } else { 4 };
            if entry.data_offset % alignment != 0 {
                problem(format!(
                    "{entry_name} at {} is not {alignment}-aligned",
                    entry.data_offset
                ));
            }
        } else if entry_name == "resources.arsc" {
            problem("resources.arsc is compressed".into());
        }
        if entry.flags & 8 != 0 {
            problem(format!("{entry_name} has a data descriptor"));
        }
    }

    let source = ZipArchive::parse(&input).unwrap();
    let mut expected_names = Vec::new();
    for entry in source.entries() {
        if repack::is_signature_file(entry.name) {
            continue;
        }
        expected_names.push(entry.name.to_vec());
        let Some(copy) = zip.entries().iter().find(|e| e.name == entry.name) else {
            problem(format!("{} missing", entry.name_lossy()));
            continue;
        };
        if read(&source, entry) != read(&zip, copy) {
            problem(format!("{} changed", entry.name_lossy()));
        }
    }
    for added in ["META-INF/CERT.SF", "META-INF/CERT.RSA", "META-INF/MANIFEST.MF"] {
        expected_names.push(added.as_bytes().to_vec());
    }
    let names: Vec<Vec<u8>> = zip.entries().iter().map(|e| e.name.to_vec()).collect();
    if names != expected_names {
        problem("entries differ from the input's (minus old and plus new signature files)".into());
    }

    if let Some(before) = badging_package(input_path) {
        let after = badging_package(&out_path);
        if after.as_deref() != Some(before.as_str()) {
            problem(format!("aapt badging: {before:?} became {after:?}"));
        }
    }
    problems
}

fn check_all(inputs: &[PathBuf]) {
    let key = test_key();
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut refused = Vec::new();
    for input in inputs {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        if let Some((_, reason)) = REFUSED.iter().find(|(n, _)| *n == name) {
            let data = std::fs::read(input).unwrap();
            let err = repack_and_sign(&data, &Changes::new(), &key, &SignOptions::default()).unwrap_err();
            let matches = matches!(
                (*reason, &err),
                ("duplicate", FixError::Repack(RepackError::DuplicateName { .. }))
                    | ("unsafe", FixError::Repack(RepackError::UnsafeName { .. }))
                    | (
                        "overlap",
                        FixError::Repack(RepackError::OverlappingEntries { .. })
                    )
                    | ("zip", FixError::Repack(RepackError::Zip(_)))
            );
            assert!(matches, "{name}: expected a {reason} refusal, got {err}");
            refused.push(name);
            continue;
        }
        problems.extend(check(input, &key, dir.path()));
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    eprintln!(
        "checked {} inputs, refused as expected: {refused:?}",
        inputs.len() - refused.len()
    );
}

#[test]
fn every_corpus_apk_is_repacked_signed_and_verified() {
    let apks = corpus_apks();
    assert!(apks.len() >= 20, "corpus has {} APKs", apks.len());
    check_all(&apks);
}

#[test]
fn every_sample_apk_is_repacked_signed_and_verified() {
    let apks = corpus::sample_apks();
    assert!(apks.len() >= 30, "{} sample APKs", apks.len());
    check_all(&apks);
}

#[test]
fn framework_res_is_repacked_signed_and_verified() {
    check_all(&[PathBuf::from(FRAMEWORK_RES)]);
}
