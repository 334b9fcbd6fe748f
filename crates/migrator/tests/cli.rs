//! `hyper-migrate analyze` end to end: on the corpus, and on inputs it must refuse.

use std::path::Path;
use std::process::{Command, Output};

fn hyper_migrate(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hyper-migrate"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn analyzes_the_whole_corpus_and_leaves_it_untouched() {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    let before: Vec<Vec<u8>> = apps
        .iter()
        .map(|a| std::fs::read(a.apk_path(&out)).unwrap())
        .collect();

    let result = hyper_migrate(&["analyze".as_ref(), out.as_os_str()]);
    let stdout = text(&result.stdout);
    assert_eq!(result.status.code(), Some(0), "stderr: {}", text(&result.stderr));
    for app in &apps {
        let apk = app.apk_path(&out);
        let block = stdout
            .split(&format!("{} (", apk.display()))
            .nth(1)
            .unwrap_or_else(|| panic!("no report for {}", app.name));
        let block = &block[..block.find("\n  zip").unwrap()];
        let dex_lines = block
            .lines()
            .filter(|l| l.trim_start().starts_with("dex ") && !l.ends_with("none"))
            .count();
        assert_eq!(dex_lines, app.recipe.dex.len(), "{}", app.name);
        let unsigned = block.contains("unsigned (no v1 files, no APK Signing Block)");
        assert_eq!(unsigned, app.recipe.package.sign.is_empty(), "{}", app.name);
    }
    assert!(stdout.contains(&format!("{} file(s) read, 0 unusable", apps.len())));

    let after: Vec<Vec<u8>> = apps
        .iter()
        .map(|a| std::fs::read(a.apk_path(&out)).unwrap())
        .collect();
    assert!(before == after, "an input APK was modified");
}

/// One line on stderr naming the file and the reason, exit code 2.
fn assert_refused(path: &Path, reason: &str) {
    let result = hyper_migrate(&["analyze".as_ref(), path.as_os_str()]);
    let stderr = text(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{}: {stderr}", path.display());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    assert!(stderr.contains(reason), "{stderr}");
}

#[test]
fn unusable_inputs_get_one_line_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let text_file = dir.path().join("notes.apk");
    std::fs::write(&text_file, "definitely not a zip archive\n").unwrap();
    assert_refused(&text_file, "not a zip archive");

    let out = corpus::default_out_dir();
    corpus::ensure_built(&out).unwrap();
    let apk = std::fs::read(out.join("minimal.apk")).unwrap();
    let truncated = dir.path().join("truncated.apk");
    std::fs::write(&truncated, &apk[..apk.len() - 30]).unwrap();
    assert_refused(&truncated, "zip");

    assert_refused(&dir.path().join("missing.apk"), "No such file");

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert_refused(&empty, "no .apk files");
}

#[test]
fn usage_errors_exit_with_2() {
    let result = hyper_migrate(&["analyze".as_ref()]);
    assert_eq!(result.status.code(), Some(2));
    let result = hyper_migrate(&["frobnicate".as_ref()]);
    assert_eq!(result.status.code(), Some(2));
}
