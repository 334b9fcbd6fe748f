//! `hyper-migrate fix`'s manifest changes on corpus apps, with Android's own tools as oracles:
//! `aapt dump xmltree` shows exactly the asked-for attributes and elements changed (every other
//! line of the document the same), `aapt dump badging` the same package and versions, `apksigner
//! verify` and `zipalign -c -p 4` accept the output, the analyzer no longer reports what the
//! change resolves, and fixing the output again with the same flags gives the same bytes.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use analyzer::report::Report;
use migrator::axml_edit::XmlEditor;
use migrator::{Changes, Compression, SignOptions, SigningKey};

fn tool(program: &str, args: &[&str], apk: &Path) -> Output {
    let out = Command::new(program).args(args).arg(apk).output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?} {}: {}{}",
        apk.display(),
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

fn xmltree(apk: &Path) -> String {
    let out = Command::new("aapt")
        .args(["dump", "xmltree"])
        .arg(apk)
        .arg("AndroidManifest.xml")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

fn badging(apk: &Path) -> String {
    text(&tool("aapt", &["dump", "badging"], apk).stdout)
}

fn badging_line<'a>(badging: &'a str, prefix: &str) -> Option<&'a str> {
    badging.lines().find(|l| l.starts_with(prefix))
}

fn report(apk: &Path) -> Report {
    analyzer::report::analyze("apk", &std::fs::read(apk).unwrap())
}

fn codes(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code).collect()
}

/// The lines only `before` has and the lines only `after` has (a longest-common-subsequence
/// diff), trimmed of the indentation aapt nests elements with.
fn diff(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(b[j].trim().to_string());
            j += 1;
        } else {
            removed.push(a[i].trim().to_string());
            i += 1;
        }
    }
    (removed, added)
}

/// The `line=` of the first element `tag` in an xmltree dump: where an element added under
/// it says it is.
fn line_of(tree: &str, tag: &str) -> String {
    let start = format!("E: {tag} (line=");
    let line = tree
        .lines()
        .find_map(|l| l.trim().strip_prefix(start.as_str()))
        .unwrap();
    line.trim_end_matches(')').to_string()
}

/// Strings for comparing with `diff`'s output.
fn lines(expected: &[&str]) -> Vec<String> {
    expected.iter().map(|l| l.to_string()).collect()
}

/// Fixes `input` with `flags` and checks what every output must satisfy: it is signed as
/// apksigner wants for its own minSdkVersion, aligned, has the same package and versions,
/// and fixing it again with the same flags changes nothing (each requested change is
/// reported as already made). Returns the output and the first run's stdout.
fn fix_and_check(input: &Path, dir: &Path, flags: &[&str]) -> (PathBuf, String) {
    let output = dir.join("out.apk");
    let result = fix(input, &output, flags);
    let stdout = text(&result.stdout);
    assert!(
        result.status.success(),
        "{flags:?}: {}{stdout}",
        text(&result.stderr)
    );
    assert!(!stdout.contains("NOT fixed"), "{flags:?}:\n{stdout}");
    tool("apksigner", &["verify", "-v"], &output);
    tool("zipalign", &["-c", "-p", "4"], &output);
    let package = |apk: &Path| badging_line(&badging(apk), "package:").map(str::to_string);
    assert_eq!(package(&output), package(input), "{flags:?}");
    assert!(report(&output).facts.unwrap().signing.unwrap().verified);

    let again = dir.join("again.apk");
    let second = fix(&output, &again, flags);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&output).unwrap(),
        "{flags:?}: a second fix changed the output"
    );
    let second = text(&second.stdout);
    assert!(
        !second.lines().any(|l| l.starts_with("changed: ")),
        "{flags:?}:\n{second}"
    );
    (output, stdout)
}

const TRUE: &str = "(type 0x12)0xffffffff";
const FALSE: &str = "(type 0x12)0x0";

#[test]
fn components_with_an_intent_filter_get_the_exported_value_it_implied() {
    let input = corpus_apk("insecure-debuggable");
    let before = report(&input);
    let component = "activity org.hypercompat.corpus.insecure_debuggable.DeepLinkActivity";
    assert!(
        before
            .findings
            .iter()
            .any(|f| f.code == "HC1015" && f.location.element.as_deref() == Some(component)),
        "{:?}",
        codes(&before)
    );
    let dir = tempfile::tempdir().unwrap();
    let (output, stdout) = fix_and_check(&input, dir.path(), &[]);
    assert!(stdout.contains(&format!(
        "HC1015 exported-unset: set android:exported=\"true\" on <{component}>"
    )));
    assert!(stdout.contains("fixed: HC1015"), "{stdout}");
    assert!(!codes(&report(&output)).contains(&"HC1015"));
    // What changed in aapt's view: debuggable removed (HC1005) and exported added on the one
    // component; every other line is the same.
    let (removed, added) = diff(&xmltree(&input), &xmltree(&output));
    assert_eq!(
        removed,
        lines(&[&format!("A: android:debuggable(0x0101000f)={TRUE}")])
    );
    assert_eq!(
        added,
        lines(&[&format!("A: android:exported(0x01010010)={TRUE}")])
    );
    let tree = xmltree(&output);
    let at = tree.find("DeepLinkActivity\"").unwrap();
    let next_element = tree[at..].find("E: ").unwrap();
    assert!(tree[at..at + next_element].contains("android:exported(0x01010010)=(type 0x12)0xffffffff"));
}

#[test]
fn cleartext_traffic_is_set_on_request() {
    let input = corpus_apk("insecure-debuggable");
    assert!(codes(&report(&input)).contains(&"HC1006"));
    let dir = tempfile::tempdir().unwrap();
    let flags = ["--select", "HC1006", "--cleartext-traffic", "false"];
    let (output, stdout) = fix_and_check(&input, dir.path(), &flags);
    assert!(
        stdout.contains(
            "HC1006 cleartext-traffic: set android:usesCleartextTraffic=\"false\" on <application>"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("(requested: --cleartext-traffic)"), "{stdout}");
    assert!(stdout.contains("fixed: HC1006"), "{stdout}");
    let (removed, added) = diff(&xmltree(&input), &xmltree(&output));
    assert_eq!(
        removed,
        lines(&[&format!("A: android:usesCleartextTraffic(0x010104ec)={TRUE}")])
    );
    assert_eq!(
        added,
        lines(&[&format!("A: android:usesCleartextTraffic(0x010104ec)={FALSE}")])
    );
    let after = codes(&report(&output));
    assert!(!after.contains(&"HC1006"), "{after:?}");
    // Only HC1006 was selected: the other fixable findings stay.
    assert!(
        after.contains(&"HC1005") && after.contains(&"HC1015"),
        "{after:?}"
    );
}

#[test]
fn extract_native_libs_false_stores_and_page_aligns_the_libraries() {
    // An app with compressed libraries and no extractNativeLibs: setting it to false is only
    // valid with every library stored at a page boundary.
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    let input = apps
        .iter()
        .map(|app| app.apk_path(&out))
        .find(|apk| {
            let report = report(apk);
            let facts = report.facts.as_ref().unwrap();
            facts.kind == "apk"
                && facts.native.iter().any(|lib| lib.stored == Some(false))
                && !xmltree(apk).contains("extractNativeLibs")
                && report.error.is_none()
                && !codes(&report)
                    .iter()
                    .any(|c| ["HC4006", "HC4007", "HC4009"].contains(c))
        })
        .expect("a corpus app with compressed native libraries");
    let dir = tempfile::tempdir().unwrap();
    let (output, stdout) = fix_and_check(&input, dir.path(), &["--extract-native-libs", "false"]);
    assert!(
        stdout.contains("requested --extract-native-libs: store native libraries uncompressed"),
        "{stdout}"
    );
    let (removed, added) = diff(&xmltree(&input), &xmltree(&output));
    assert_eq!(removed, Vec::<String>::new());
    assert_eq!(
        added,
        lines(&[&format!("A: android:extractNativeLibs(0x010104ea)={FALSE}")])
    );
    let report = report(&output);
    let facts = report.facts.as_ref().unwrap();
    assert!(!facts.native.is_empty());
    for lib in &facts.native {
        assert_eq!(lib.stored, Some(true), "{}", lib.entry);
        assert_eq!(lib.zip_alignment.map(|a| a % 16384), Some(0), "{}", lib.entry);
    }
    assert!(!codes(&report).contains(&"HC1004"), "{:?}", codes(&report));
}

#[test]
fn sdk_levels_are_set_and_signatures_follow_the_new_min_sdk() {
    // minSdkVersion 35 (above the target's platform), targetSdkVersion 22 (too old).
    let input = corpus_apk("legacy-manifest");
    let before = codes(&report(&input));
    assert!(
        before.contains(&"HC1001") && before.contains(&"HC1002"),
        "{before:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let flags = ["--min-sdk", "21", "--target-sdk", "30"];
    let (output, stdout) = fix_and_check(&input, dir.path(), &flags);
    assert!(
        stdout.contains(
            "HC1001 platform-too-old: set android:minSdkVersion=\"21\" on <uses-sdk> in AndroidManifest.xml"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("HC1002 target-sdk-too-old: set android:targetSdkVersion=\"30\" on <uses-sdk>"),
        "{stdout}"
    );
    let (removed, added) = diff(&xmltree(&input), &xmltree(&output));
    assert!(removed.contains(&"A: android:minSdkVersion(0x0101020c)=(type 0x10)0x23".to_string()));
    assert!(added.contains(&"A: android:minSdkVersion(0x0101020c)=(type 0x10)0x15".to_string()));
    assert!(removed.contains(&"A: android:targetSdkVersion(0x01010270)=(type 0x10)0x16".to_string()));
    assert!(added.contains(&"A: android:targetSdkVersion(0x01010270)=(type 0x10)0x1e".to_string()));
    let badging = badging(&output);
    assert_eq!(badging_line(&badging, "sdkVersion:"), Some("sdkVersion:'21'"));
    assert_eq!(
        badging_line(&badging, "targetSdkVersion:"),
        Some("targetSdkVersion:'30'")
    );
    let after = report(&output);
    assert!(!codes(&after).contains(&"HC1001") && !codes(&after).contains(&"HC1002"));
    // Installable from API 21 now, so it needs the JAR signature, which apksigner checked.
    let signing = after.facts.as_ref().unwrap().signing.as_ref().unwrap();
    assert_eq!(signing.min_sdk_checked, 21);
    assert!(stdout.contains("(signed v1, v2, v3)"), "{stdout}");
}

#[test]
fn uses_sdk_is_added_when_the_manifest_has_none() {
    // minimal.apk without its <uses-sdk>, repacked and signed by the library.
    let input = corpus_apk("minimal");
    let data = std::fs::read(&input).unwrap();
    let zip = analyzer::zip::ZipArchive::parse(&data).unwrap();
    let manifest = zip.read(zip.entry("AndroidManifest.xml").unwrap()).unwrap();
    let mut editor = XmlEditor::parse(&manifest).unwrap();
    let uses_sdk = editor.find("manifest/uses-sdk");
    assert_eq!(uses_sdk.len(), 1);
    editor.remove_element(uses_sdk[0]).unwrap();
    let mut changes = Changes::new();
    changes.put(
        "AndroidManifest.xml",
        editor.to_bytes().unwrap(),
        Compression::Deflated,
    );
    let (key, cert) = keys();
    let key = SigningKey::load_pkcs8(&key, &cert).unwrap();
    let bare = migrator::repack_and_sign(&data, &changes, &key, &SignOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let stripped = dir.path().join("no-uses-sdk.apk");
    std::fs::write(&stripped, bare).unwrap();
    assert!(!xmltree(&stripped).contains("uses-sdk"));

    let flags = ["--min-sdk", "24", "--target-sdk", "33"];
    let (output, _) = fix_and_check(&stripped, dir.path(), &flags);
    let (removed, added) = diff(&xmltree(&stripped), &xmltree(&output));
    assert_eq!(removed, Vec::<String>::new());
    assert_eq!(
        added,
        lines(&[
            &format!("E: uses-sdk (line={})", line_of(&xmltree(&stripped), "manifest")),
            "A: android:minSdkVersion(0x0101020c)=(type 0x10)0x18",
            "A: android:targetSdkVersion(0x01010270)=(type 0x10)0x21",
        ])
    );
    let badging = badging(&output);
    assert_eq!(badging_line(&badging, "sdkVersion:"), Some("sdkVersion:'24'"));
    assert_eq!(
        badging_line(&badging, "targetSdkVersion:"),
        Some("targetSdkVersion:'33'")
    );
    let signing = report(&output).facts.unwrap().signing.unwrap();
    assert_eq!(signing.min_sdk_checked, 24);
}

#[test]
fn raising_the_target_to_31_makes_implicit_exports_explicit() {
    let dir = tempfile::tempdir().unwrap();
    // insecure-debuggable at targetSdkVersion 30, its deep-link activity still without
    // android:exported (HC1015 left out, and below 31 nothing reports it).
    let lowered = dir.path().join("target-30.apk");
    let result = fix(
        &corpus_apk("insecure-debuggable"),
        &lowered,
        &["--ignore", "HC1015", "--target-sdk", "30"],
    );
    assert!(result.status.success(), "{}", text(&result.stderr));
    let before = xmltree(&lowered);
    assert_eq!(before.matches("android:exported").count(), 4, "{before}");
    assert!(!codes(&report(&lowered)).contains(&"HC1015"));

    let (output, stdout) = fix_and_check(&lowered, dir.path(), &["--target-sdk", "33"]);
    assert!(
        stdout.contains("requested --target-sdk: set android:exported=\"true\" on every component"),
        "{stdout}"
    );
    let (removed, added) = diff(&before, &xmltree(&output));
    assert_eq!(
        removed,
        lines(&["A: android:targetSdkVersion(0x01010270)=(type 0x10)0x1e"])
    );
    assert_eq!(
        added,
        lines(&[
            "A: android:targetSdkVersion(0x01010270)=(type 0x10)0x21",
            &format!("A: android:exported(0x01010010)={TRUE}"),
        ])
    );
    assert!(!codes(&report(&output)).contains(&"HC1015"));
}

#[test]
fn permissions_are_dropped_and_added_on_request() {
    let input = corpus_apk("hidden-api");
    let permission = "android.permission.READ_PHONE_STATE";
    let before = report(&input);
    assert!(
        before
            .findings
            .iter()
            .any(|f| f.code == "HC1008" && f.message.contains(permission))
    );
    assert!(badging(&input).contains(&format!("uses-permission: name='{permission}'")));
    let dir = tempfile::tempdir().unwrap();
    let flags = [
        "--drop-permission",
        permission,
        "--add-permission",
        "android.permission.VIBRATE",
    ];
    let (output, stdout) = fix_and_check(&input, dir.path(), &flags);
    assert!(
        stdout.contains(&format!(
            "HC1008 permission-not-granted: remove <uses-permission android:name=\"{permission}\">"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "requested --add-permission: add <uses-permission android:name=\"android.permission.VIBRATE\">"
        ),
        "{stdout}"
    );
    let before = xmltree(&input);
    let (removed, added) = diff(&before, &xmltree(&output));
    assert_eq!(removed.len(), 2, "{removed:?}");
    assert!(removed[0].starts_with("E: uses-permission (line="), "{removed:?}");
    assert_eq!(
        removed[1],
        format!("A: android:name(0x01010003)=\"{permission}\" (Raw: \"{permission}\")")
    );
    assert_eq!(
        added,
        lines(&[
            &format!("E: uses-permission (line={})", line_of(&before, "manifest")),
            "A: android:name(0x01010003)=\"android.permission.VIBRATE\" (Raw: \"android.permission.VIBRATE\")",
        ])
    );
    let badging = badging(&output);
    assert!(!badging.contains(permission), "{badging}");
    assert!(badging.contains("uses-permission: name='android.permission.VIBRATE'"));
    assert!(!codes(&report(&output)).contains(&"HC1008"));
}

#[test]
fn dropping_one_of_several_ungranted_permissions_resolves_just_its_finding() {
    let input = corpus_apk("play-services");
    let not_granted = |report: &Report| -> Vec<String> {
        report
            .findings
            .iter()
            .filter(|f| f.code == "HC1008")
            .map(|f| f.location.element.clone().unwrap())
            .collect()
    };
    let before = not_granted(&report(&input));
    assert!(before.len() >= 2, "{before:?}");
    let dropped = before[0].strip_prefix("uses-permission ").unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let (output, stdout) = fix_and_check(&input, dir.path(), &["--drop-permission", &dropped]);
    assert!(stdout.contains("fixed: HC1008 (1 finding(s))"), "{stdout}");
    assert_eq!(not_granted(&report(&output)), before[1..].to_vec());
    assert!(!badging(&output).contains(&format!("name='{dropped}'")));
}

#[test]
fn libraries_are_made_optional_and_added_on_request() {
    let input = corpus_apk("legacy-manifest");
    let library = "com.google.android.maps";
    assert!(badging(&input).contains(&format!("uses-library:'{library}'")));
    assert!(codes(&report(&input)).contains(&"HC1010"));
    let dir = tempfile::tempdir().unwrap();
    // Only HC1010 selected: the testOnly and maxSdkVersion fixes stay out of the picture.
    let flags = [
        "--select",
        "HC1010",
        "--optional-library",
        library,
        "--add-uses-library",
        "org.hypercompat.extra:false",
    ];
    let (output, stdout) = fix_and_check(&input, dir.path(), &flags);
    assert!(
        stdout.contains(&format!(
            "HC1010 library-not-provided: set android:required=\"false\" on <uses-library {library}>"
        )),
        "{stdout}"
    );
    let before = xmltree(&input);
    let (removed, added) = diff(&before, &xmltree(&output));
    assert_eq!(
        removed,
        lines(&[&format!("A: android:required(0x0101028e)={TRUE}")])
    );
    assert_eq!(
        added,
        lines(&[
            &format!("A: android:required(0x0101028e)={FALSE}"),
            &format!("E: uses-library (line={})", line_of(&before, "application")),
            "A: android:name(0x01010003)=\"org.hypercompat.extra\" (Raw: \"org.hypercompat.extra\")",
            &format!("A: android:required(0x0101028e)={FALSE}"),
        ])
    );
    let badging = badging(&output);
    assert!(
        badging.contains(&format!("uses-library-not-required:'{library}'")),
        "{badging}"
    );
    assert!(badging.contains("uses-library-not-required:'org.hypercompat.extra'"));
    assert!(badging.contains("uses-library:'org.apache.http.legacy'"));
    assert!(!codes(&report(&output)).contains(&"HC1010"));
}

#[test]
fn meta_data_is_removed_on_request() {
    let input = corpus_apk("play-services");
    let name = "com.google.android.gms.version";
    let dir = tempfile::tempdir().unwrap();
    let (output, stdout) = fix_and_check(&input, dir.path(), &["--remove-meta-data", name]);
    assert!(stdout.contains(&format!(
        "requested --remove-meta-data: remove <meta-data android:name=\"{name}\">"
    )));
    let (removed, added) = diff(&xmltree(&input), &xmltree(&output));
    assert_eq!(added, Vec::<String>::new());
    assert_eq!(removed.len(), 3, "{removed:?}");
    assert!(removed[0].starts_with("E: meta-data (line="), "{removed:?}");
    assert_eq!(
        removed[1],
        format!("A: android:name(0x01010003)=\"{name}\" (Raw: \"{name}\")")
    );
    assert!(
        removed[2].starts_with("A: android:value(0x01010024)=@0x"),
        "{removed:?}"
    );
}

#[test]
fn dry_run_shows_requested_changes_and_what_is_already_so() {
    let input = corpus_apk("minimal");
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("never.apk");
    let flags = [
        "--dry-run",
        "--target-sdk",
        "33",
        "--add-permission",
        "android.permission.INTERNET",
        "--extract-native-libs",
        "true",
    ];
    let result = fix(&input, &output, &flags);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let stdout = text(&result.stdout);
    assert!(stdout.starts_with("plan (dry run, nothing written):"), "{stdout}");
    // The target is 33 already: nothing to do for it.
    assert!(
        stdout.contains(
            "requested --target-sdk: set android:targetSdkVersion=\"33\" on <uses-sdk> in AndroidManifest.xml (already so: nothing to change)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("requested --add-permission: add <uses-permission android:name=\"android.permission.INTERNET\"> to <manifest> unless it is there\n"),
        "{stdout}"
    );
    // No extractNativeLibs means true to Android: asking for true changes nothing.
    assert!(
        stdout.contains(
            "requested --extract-native-libs: set android:extractNativeLibs=\"true\" on <application> in AndroidManifest.xml (already so: nothing to change)"
        ),
        "{stdout}"
    );
    assert!(!output.exists());
}

#[test]
fn a_request_applies_even_when_its_rule_is_not_selected() {
    let input = corpus_apk("hidden-api");
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("never.apk");
    let permission = "android.permission.READ_PHONE_STATE";
    let result = fix(
        &input,
        &output,
        &["--dry-run", "--ignore", "HC1008", "--drop-permission", permission],
    );
    assert!(result.status.success(), "{}", text(&result.stderr));
    let stdout = text(&result.stdout);
    assert!(
        stdout.contains(&format!(
            "  HC1008 permission-not-granted: remove <uses-permission android:name=\"{permission}\">"
        )),
        "{stdout}"
    );
    // The finding is resolved by the request, so it is not among those left unselected.
    assert!(
        !stdout
            .lines()
            .any(|l| l.contains("HC1008") && l.contains("(not selected)")),
        "{stdout}"
    );
}

#[test]
fn bad_manifest_flags_exit_2_with_one_line() {
    // minimal: minSdkVersion 24, targetSdkVersion 33.
    let input = corpus_apk("minimal");
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("never.apk");
    let cases: &[(&[&str], &str)] = &[
        (&["--min-sdk", "abc"], "--min-sdk: `abc` is not an API level"),
        (&["--min-sdk", "0"], "--min-sdk: `0` is not an API level"),
        (
            &["--target-sdk", "10000"],
            "--target-sdk: `10000` is not an API level",
        ),
        (
            &["--cleartext-traffic", "yes"],
            "--cleartext-traffic: `yes` is neither true nor false",
        ),
        (
            &["--extract-native-libs", "1"],
            "--extract-native-libs: `1` is neither",
        ),
        (
            &["--add-uses-library", "lib:maybe"],
            "--add-uses-library: `maybe` is neither",
        ),
        (
            &["--add-uses-library", ":true"],
            "--add-uses-library: `` is not a name",
        ),
        (
            &["--drop-permission", "a b"],
            "--drop-permission: `a b` is not a name",
        ),
        (
            &["--min-sdk", "34"],
            "minSdkVersion 34 would be above targetSdkVersion 33 (give --target-sdk too)",
        ),
        (
            &["--target-sdk", "23"],
            "minSdkVersion 24 would be above targetSdkVersion 23 (give --min-sdk too)",
        ),
        (
            &["--min-sdk", "30", "--target-sdk", "29"],
            "minSdkVersion 30 would be above targetSdkVersion 29",
        ),
        (
            &["--drop-permission", "p.X", "--add-permission", "p.X"],
            "p.X is both dropped and added",
        ),
        (
            &["--optional-library", "l.Y", "--add-uses-library", "l.Y"],
            "uses-library l.Y is both made optional and added as required",
        ),
    ];
    for (flags, message) in cases {
        let result = fix(&input, &output, flags);
        let stderr = text(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{flags:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{flags:?}: {stderr}");
        assert!(stderr.contains(message), "{flags:?}: {stderr}");
        assert!(!output.exists(), "{flags:?}");
    }
    // The same levels in order are accepted.
    let result = fix(&input, &output, &["--min-sdk", "30", "--target-sdk", "30"]);
    assert!(result.status.success(), "{}", text(&result.stderr));
}
