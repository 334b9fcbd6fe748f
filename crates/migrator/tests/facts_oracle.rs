//! `hyper-migrate analyze --format jsonl` against Android's own tools, on every corpus APK,
//! Debian's framework-res.apk and the third-party sample APKs: package, versions, SDK levels and
//! ABIs equal `aapt dump badging`; DEX versions and counts equal `dexdump -f`; the signature
//! verdict and the schemes used equal `apksigner verify -v`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const FRAMEWORK_RES: &str = "/usr/share/android-framework-res/framework-res.apk";

fn inputs() -> Vec<PathBuf> {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    let mut inputs: Vec<PathBuf> = apps.iter().map(|a| a.apk_path(&out)).collect();
    inputs.push(PathBuf::from(FRAMEWORK_RES));
    inputs.extend(corpus::sample_apks());
    inputs
}

/// Our reports, by file.
fn reports(inputs: &[PathBuf]) -> BTreeMap<String, Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_hyper-migrate"))
        .args(["analyze", "--format", "jsonl"])
        .args(inputs)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let reports: BTreeMap<String, Value> = stdout
        .lines()
        .map(|line| {
            let report: Value = serde_json::from_str(line).unwrap();
            (report["file"].as_str().unwrap().to_string(), report)
        })
        .collect();
    assert_eq!(reports.len(), inputs.len(), "one report per input");
    reports
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

/// `key='value'` pairs of one badging line.
fn quoted(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("{key}='"))? + key.len() + 2;
    let end = line[start..].find('\'')? + start;
    Some(line[start..end].to_string())
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Differences between our facts and `aapt dump badging`; `None` when aapt reads nothing.
fn compare_badging(file: &Path, facts: &Value) -> Option<Vec<String>> {
    let (_, text) = run("aapt", &["dump", "badging"], file);
    let package = text.lines().find(|l| l.starts_with("package: "))?;
    let mut diffs = Vec::new();
    let mut check = |what: &str, ours: Option<String>, theirs: Option<String>| {
        if ours != theirs {
            diffs.push(format!("{what}: ours {ours:?}, aapt {theirs:?}"));
        }
    };
    check("package", as_text(&facts["package"]), quoted(package, "name"));
    // aapt prints '' for an absent version.
    let blank = |v: Option<String>| v.filter(|v| !v.is_empty());
    check(
        "versionCode",
        as_text(&facts["version_code"]),
        blank(quoted(package, "versionCode")),
    );
    check(
        "versionName",
        as_text(&facts["version_name"]),
        blank(quoted(package, "versionName")),
    );
    let line_value = |prefix: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .map(|v| v.trim_matches('\'').to_string())
    };
    check(
        "sdkVersion",
        as_text(&facts["min_sdk"]),
        line_value("sdkVersion:"),
    );
    check(
        "targetSdkVersion",
        as_text(&facts["target_sdk"]),
        line_value("targetSdkVersion:"),
    );
    let mut theirs: Vec<String> = text
        .lines()
        .find_map(|l| l.strip_prefix("native-code: "))
        .map(|abis| {
            abis.split_whitespace()
                .map(|a| a.trim_matches('\'').to_string())
                .collect()
        })
        .unwrap_or_default();
    theirs.sort();
    let ours: Vec<String> = facts["abis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    if ours != theirs {
        diffs.push(format!("abis: ours {ours:?}, aapt {theirs:?}"));
    }
    Some(diffs)
}

/// Differences between the root DEX files we report and `dexdump -i -f` on the APK; `None`
/// when dexdump opens nothing. Without `-i` dexdump silently skips a DEX whose checksum is bad
/// (a corpus app has one on purpose); checksums have their own oracle (`dexdump -c`).
fn compare_dexdump(file: &Path, facts: &Value) -> Option<Vec<String>> {
    let (_, text) = run("dexdump", &["-i", "-f"], file);
    let mut theirs: Vec<BTreeMap<&str, String>> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Opened '") {
            let version = rest.rsplit("DEX version '").next()?.trim_end_matches('\'');
            // `Opened 'app.apk', ...` for the first DEX, `Opened 'app.apk:classes2.dex', ...`.
            let opened = rest.split("', DEX").next()?;
            let entry = opened
                .strip_prefix(file.to_str()?)?
                .strip_prefix(':')
                .unwrap_or("classes.dex");
            theirs.push(BTreeMap::from([
                ("entry", entry.to_string()),
                ("version", version.trim_start_matches('0').to_string()),
            ]));
        } else if let Some((key, value)) = line.split_once(':')
            && let Some(current) = theirs.last_mut()
        {
            let key = key.trim();
            if matches!(
                key,
                "class_defs_size"
                    | "method_ids_size"
                    | "field_ids_size"
                    | "string_ids_size"
                    | "type_ids_size"
            ) {
                current.insert(key, value.trim().to_string());
            }
        }
    }
    if theirs.is_empty() {
        return None;
    }
    let ours: Vec<BTreeMap<&str, String>> = facts["dex"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            let entry = d["entry"].as_str().unwrap();
            !entry.contains('/') && !entry.contains('!')
        })
        .map(|d| {
            BTreeMap::from([
                ("entry", d["entry"].as_str().unwrap().to_string()),
                ("version", d["version"].to_string()),
                ("class_defs_size", d["class_defs"].to_string()),
                ("method_ids_size", d["method_ids"].to_string()),
                ("field_ids_size", d["field_ids"].to_string()),
                ("string_ids_size", d["string_ids"].to_string()),
                ("type_ids_size", d["type_ids"].to_string()),
            ])
        })
        .collect();
    Some(if ours == theirs {
        Vec::new()
    } else {
        vec![format!("dex: ours {ours:?}\n   dexdump {theirs:?}")]
    })
}

/// Differences from `apksigner verify -v` (which checks from the manifest's minimum SDK, as we
/// do); `None` when apksigner has no verdict (it throws on RSASSA-PSS, which its JVM lacks).
fn compare_apksigner(file: &Path, signing: &Value) -> Option<Vec<String>> {
    let (ok, text) = run("apksigner", &["verify", "-v"], file);
    if text.contains("Exception in thread") {
        return None;
    }
    let verifies = ok && text.lines().next() == Some("Verifies");
    let used = |scheme: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("Verified using {scheme} scheme")))
            .is_some_and(|l| l.ends_with(": true"))
    };
    let mut diffs = Vec::new();
    let ours = |key: &str| signing[key].as_bool().unwrap_or(false);
    for (key, theirs) in [
        ("verified", verifies),
        ("v1", used("v1")),
        ("v2", used("v2")),
        ("v3", used("v3")),
    ] {
        if ours(key) != theirs {
            diffs.push(format!(
                "signing {key}: ours {}, apksigner {theirs}\n{}",
                ours(key),
                text.lines().take(4).collect::<Vec<_>>().join("\n")
            ));
        }
    }
    Some(diffs)
}

#[test]
fn facts_equal_aapt_dexdump_and_apksigner() {
    let inputs = inputs();
    let reports = reports(&inputs);
    let mut problems = Vec::new();
    let mut compared = [0usize; 3];
    // The oracles are separate JVM and native processes: run them on two threads.
    let results: Vec<(String, Vec<String>, [bool; 3])> = std::thread::scope(|scope| {
        let halves: Vec<_> = inputs
            .chunks(inputs.len().div_ceil(2))
            .map(|chunk| {
                let reports = &reports;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|file| {
                            let name = file.display().to_string();
                            let report = &reports[&name];
                            let mut diffs = Vec::new();
                            let mut seen = [false; 3];
                            if !report["error"].is_null() {
                                // Unreadable for us: aapt must not read it either.
                                if compare_badging(file, &Value::Null).is_some() {
                                    diffs.push(format!("we refuse it ({}), aapt reads it", report["error"]));
                                }
                                return (name, diffs, seen);
                            }
                            let facts = &report["facts"];
                            if let Some(d) = compare_badging(file, facts) {
                                seen[0] = true;
                                diffs.extend(d);
                            }
                            if let Some(d) = compare_dexdump(file, facts) {
                                seen[1] = true;
                                diffs.extend(d);
                            }
                            if let Some(d) = compare_apksigner(file, &facts["signing"]) {
                                seen[2] = true;
                                diffs.extend(d);
                            }
                            (name, diffs, seen)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    for (name, diffs, seen) in results {
        for (count, seen) in compared.iter_mut().zip(seen) {
            *count += usize::from(seen);
        }
        problems.extend(diffs.into_iter().map(|d| format!("{name}: {d}")));
    }
    assert!(
        problems.is_empty(),
        "{} difference(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Nearly every input must have been compared by each oracle: a broken oracle invocation
    // must not pass silently.
    let enough = inputs.len() * 9 / 10;
    assert!(
        compared.iter().all(|&n| n >= enough),
        "compared with aapt/dexdump/apksigner: {compared:?} of {}",
        inputs.len()
    );
}
