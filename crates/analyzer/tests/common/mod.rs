//! Inputs shared by the oracle tests: the corpus (built on demand) and the real third-party
//! samples that `scripts/fetch-samples` places under `target/samples/`.

#![allow(dead_code)]

use std::path::PathBuf;

/// `target/samples/` of the workspace, or `$SAMPLES_DIR` (panics when the samples are missing).
pub fn samples_dir() -> PathBuf {
    corpus::samples_dir()
}

/// Sample files under `target/samples/<sub>/` (recursively) whose name ends with `suffix`,
/// sorted.
pub fn samples(sub: &str, suffix: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![samples_dir().join(sub)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                found.push(path);
            }
        }
    }
    found.sort();
    assert!(!found.is_empty(), "no {suffix} samples under {sub}/");
    found
}

/// The corpus APKs, built or found current.
pub fn corpus_apks() -> Vec<(corpus::App, PathBuf)> {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap_or_else(|err| panic!("building the corpus: {err}"));
    apps.into_iter()
        .map(|app| {
            let path = app.apk_path(&out);
            (app, path)
        })
        .collect()
}
