//! Helpers the `fix` test files share: the binary, the corpus's test-only signing key, built
//! corpus apps, and `fix` run with that key.
#![allow(dead_code)] // each test file uses its own subset

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
