//! `hyper-migrate fix` end to end on every corpus app: the output is accepted by apksigner,
//! zipalign and aapt, the planned findings are gone when the output is analyzed, a second fix
//! changes nothing, the input is untouched, and what cannot be repaired is refused cleanly.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const REFUSED: [&str; 3] = ["duplicate-entries", "unsafe-entry-name", "overlapping-entries"];

fn tool(program: &str, args: &[&str], apk: &Path) -> Output {
    Command::new(program).args(args).arg(apk).output().unwrap()
}

fn package_line(apk: &Path) -> Option<String> {
    let out = tool("aapt", &["dump", "badging"], apk);
    out.status.success().then(|| {
        text(&out.stdout)
            .lines()
            .find(|l| l.starts_with("package:"))
            .unwrap_or_default()
            .to_string()
    })
}

#[test]
fn fixes_every_corpus_app_into_an_apk_androids_tools_accept() {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut fixed_codes = 0;
    for app in &apps {
        let input = app.apk_path(&out);
        let before = std::fs::read(&input).unwrap();
        let output = dir.path().join(format!("{}.apk", app.name));
        let result = fix(&input, &output, &[]);
        let stderr = text(&result.stderr);
        if REFUSED.contains(&app.name.as_str()) {
            assert_eq!(result.status.code(), Some(2), "{}: {stderr}", app.name);
            assert_eq!(stderr.lines().count(), 1, "{}: {stderr}", app.name);
            assert!(stderr.contains(&input.display().to_string()), "{stderr}");
            assert!(
                !output.exists(),
                "{}: output written for a refused input",
                app.name
            );
            continue;
        }
        assert!(result.status.success(), "{}: {stderr}", app.name);
        let stdout = text(&result.stdout);
        assert!(!stdout.contains("NOT fixed"), "{}:\n{stdout}", app.name);
        fixed_codes += stdout.lines().filter(|l| l.starts_with("fixed: ")).count();

        let verify = tool("apksigner", &["verify", "-v"], &output);
        assert!(verify.status.success(), "{}: {}", app.name, text(&verify.stderr));
        let zipalign = tool("zipalign", &["-c", "-p", "4"], &output);
        assert!(
            zipalign.status.success(),
            "{}: {}",
            app.name,
            text(&zipalign.stdout)
        );
        if let Some(line) = package_line(&input) {
            assert_eq!(package_line(&output), Some(line), "{}", app.name);
        }
        // What the plan fixed is gone; what it left is what the output still reports.
        let report = analyzer::report::analyze("out.apk", &std::fs::read(&output).unwrap());
        let facts = report.facts.as_ref().unwrap();
        assert!(facts.signing.as_ref().unwrap().verified, "{}", app.name);
        // A change resolves the findings it names (a mapping fixes some HC2008 and not others).
        let resolved: Vec<&str> = stdout
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("resolves: "))
            .collect();
        assert_eq!(
            resolved.is_empty(),
            !stdout.contains("\nfixed: "),
            "{}: fixed lines without resolved findings:\n{stdout}",
            app.name
        );
        for message in resolved {
            assert!(
                report.findings.iter().all(|f| f.message != message),
                "{}: {message} still reported",
                app.name
            );
        }
        for lib in &facts.native {
            if lib.stored == Some(true) {
                assert_eq!(
                    lib.zip_alignment.map(|a| a % 16384),
                    Some(0),
                    "{} {}",
                    app.name,
                    lib.entry
                );
            }
        }
        // Fixing the output again changes nothing, and the input was never touched.
        let again = dir.path().join(format!("{}-again.apk", app.name));
        let second = fix(&output, &again, &[]);
        assert!(second.status.success(), "{}: {}", app.name, text(&second.stderr));
        assert_eq!(
            std::fs::read(&again).unwrap(),
            std::fs::read(&output).unwrap(),
            "{}",
            app.name
        );
        assert_eq!(
            std::fs::read(&input).unwrap(),
            before,
            "{}: input modified",
            app.name
        );
    }
    // The corpus has apps for every rule fix repairs (HC1004/1005/1014/1016, HC3002, HC4001-4004).
    assert!(
        fixed_codes >= 12,
        "only {fixed_codes} findings fixed over the corpus"
    );
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let out = corpus::default_out_dir();
    corpus::ensure_built(&out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("never.apk");
    let result = fix(&out.join("legacy-manifest.apk"), &output, &["--dry-run"]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let stdout = text(&result.stdout);
    assert!(stdout.starts_with("plan (dry run, nothing written):"), "{stdout}");
    assert!(stdout.contains("HC1014 max-sdk-below-platform: remove android:maxSdkVersion from <uses-sdk>"));
    assert!(stdout.contains("HC1016 test-only: remove android:testOnly from <application>"));
    assert!(stdout.contains("HC1001 platform-too-old") && stdout.contains("(not fixable automatically)"));
    assert!(!output.exists());
    // --select narrows the plan; the rest is left, saying why.
    let selected = fix(
        &out.join("legacy-manifest.apk"),
        &output,
        &["--dry-run", "--select", "HC1016"],
    );
    let stdout = text(&selected.stdout);
    assert!(
        stdout.contains("HC1016 test-only: remove")
            && !stdout.contains("HC1014 max-sdk-below-platform: remove")
    );
    assert!(
        stdout.contains("HC1014 max-sdk-below-platform: maxSdkVersion") && stdout.contains("(not selected)")
    );
}

#[test]
fn without_a_key_it_signs_with_a_debug_key_and_says_so_loudly() {
    let out = corpus::default_out_dir();
    corpus::ensure_built(&out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("debug.apk");
    let result = Command::new(bin())
        .args(["fix"])
        .arg(out.join("unsigned.apk"))
        .arg("-o")
        .arg(&output)
        .env("HYPERCOMPAT_DEBUG_KEY", dir.path().join("debug-key.pk8"))
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", text(&result.stderr));
    let stderr = text(&result.stderr);
    assert!(
        stderr.contains("warning: no key given") && stderr.contains("DEBUG key"),
        "{stderr}"
    );
    assert!(stderr.contains("generated just now"), "{stderr}");
    assert!(tool("apksigner", &["verify"], &output).status.success());
    // The debug certificate is one the analyzer recognizes as such.
    let report = analyzer::report::analyze("debug.apk", &std::fs::read(&output).unwrap());
    assert!(report.findings.iter().any(|f| f.code == "HC4008"));
}

#[test]
fn bad_invocations_exit_2_with_one_line() {
    let out = corpus::default_out_dir();
    corpus::ensure_built(&out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.apk");
    std::fs::copy(out.join("minimal.apk"), &input).unwrap();
    let cases: Vec<(PathBuf, PathBuf, &str)> = vec![
        (input.clone(), input.clone(), "would overwrite the input"),
        (
            dir.path().join("missing.apk"),
            dir.path().join("o.apk"),
            "No such file",
        ),
        (out.join("../corpus"), dir.path().join("o.apk"), ""),
    ];
    for (from, to, message) in cases {
        let result = fix(&from, &to, &[]);
        let stderr = text(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
    }
    let truncated = dir.path().join("truncated.apk");
    std::fs::write(&truncated, &std::fs::read(&input).unwrap()[..300]).unwrap();
    let result = fix(&truncated, &dir.path().join("o.apk"), &[]);
    assert_eq!(result.status.code(), Some(2));
    assert!(!dir.path().join("o.apk").exists());
}

/// Every third-party sample APK: fixed into an APK Android's tools accept (same package line,
/// every DEX passing dexdump, the second fix giving the same bytes), or refused with one line
/// naming the file and exit code 2 — the samples include broken and hostile files on purpose.
#[test]
fn fixes_the_third_party_samples_or_refuses_them_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (mut fixed, mut refused) = (Vec::new(), Vec::new());
    for input in corpus::sample_apks() {
        let name = input.file_stem().unwrap().to_string_lossy().into_owned();
        let before = std::fs::read(&input).unwrap();
        let output = dir.path().join(format!("{name}.apk"));
        let result = fix(&input, &output, &[]);
        let stderr = text(&result.stderr);
        assert_eq!(std::fs::read(&input).unwrap(), before, "{name}: input modified");
        match result.status.code() {
            Some(0) => {}
            Some(2) => {
                assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
                assert!(stderr.contains(&input.display().to_string()), "{name}: {stderr}");
                assert!(!output.exists(), "{name}: output written for a refused input");
                refused.push(name);
                continue;
            }
            other => panic!("{name}: exit {other:?}: {stderr}"),
        }
        let verify = tool("apksigner", &["verify"], &output);
        assert!(verify.status.success(), "{name}: {}", text(&verify.stderr));
        let zipalign = tool("zipalign", &["-c", "-p", "4"], &output);
        assert!(zipalign.status.success(), "{name}: {}", text(&zipalign.stdout));
        if let Some(line) = package_line(&input) {
            assert_eq!(package_line(&output), Some(line), "{name}");
        }
        let data = std::fs::read(&output).unwrap();
        let zip = analyzer::zip::ZipArchive::parse(&data).unwrap();
        for entry in zip.entries() {
            let entry_name = entry.name_lossy();
            if entry_name.starts_with("classes") && entry_name.ends_with(".dex") {
                let path = dir.path().join("check.dex");
                std::fs::write(&path, zip.read(entry).unwrap()).unwrap();
                let dump = tool("dexdump", &["-f"], &path);
                assert!(
                    dump.status.success() && !text(&dump.stderr).contains("Failure"),
                    "{name}!{entry_name}: {}",
                    text(&dump.stderr)
                );
            }
        }
        let again = dir.path().join(format!("{name}-again.apk"));
        let second = fix(&output, &again, &[]);
        assert!(second.status.success(), "{name}: {}", text(&second.stderr));
        assert!(
            std::fs::read(&again).unwrap() == data,
            "{name}: a second fix changed the output"
        );
        fixed.push(name);
    }
    eprintln!(
        "fixed {}: {fixed:?}\nrefused {}: {refused:?}",
        fixed.len(),
        refused.len()
    );
    assert!(fixed.len() >= 25, "only {} samples fixed: {fixed:?}", fixed.len());
}
