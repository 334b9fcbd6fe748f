//! Helpers the `fix` test files share: the binary, the corpus's test-only signing key, built
//! corpus apps, and `fix` run with that key.
#![allow(dead_code)] // each test file uses its own subset

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_hyper-migrate")
}

/// The corpus's committed test-only key and certificate.
pub fn keys() -> (PathBuf, PathBuf) {
    let keys = corpus::source_root().join("keys");
    (keys.join("test-only.pk8"), keys.join("test-only.x509.pem"))
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A built corpus app.
pub fn corpus_apk(name: &str) -> PathBuf {
    let out = corpus::default_out_dir();
    corpus::ensure_built(&out).unwrap();
    out.join(format!("{name}.apk"))
}

/// `hyper-migrate fix INPUT -o OUTPUT` signed with the test-only key, plus `extra` flags.
pub fn fix(input: &Path, output: &Path, extra: &[&str]) -> Output {
    let (key, cert) = keys();
    Command::new(bin())
        .arg("fix")
        .arg(input)
        .arg("-o")
        .arg(output)
        .arg("--key")
        .arg(key)
        .arg("--cert")
        .arg(cert)
        .args(extra)
        .output()
        .unwrap()
}

/// `baksmali d` of the DEX file `dex` into `out_dir`: every smali file's path relative to
/// `out_dir`, and its text.
pub fn smali(dex: &Path, out_dir: &Path) -> BTreeMap<String, String> {
    let out = Command::new("baksmali")
        .arg("d")
        .arg("-o")
        .arg(out_dir)
        .arg(dex)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "baksmali {}: {}",
        dex.display(),
        text(&out.stderr)
    );
    let mut files = BTreeMap::new();
    let mut stack = vec![out_dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(out_dir).unwrap().display().to_string();
                files.insert(relative, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}
