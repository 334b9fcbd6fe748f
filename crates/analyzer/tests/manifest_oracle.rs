//! The binary XML, resource table and manifest readers held against Android's own aapt on real
//! APKs: the corpus, Debian's framework-res.apk (API 29), fixtures built here with aapt and aapt2
//! (references for versionName and the label, a localized label, split launcher filters,
//! activity-alias, sparse types), and every third-party APK under `target/samples/apk/`.
//!
//! - `aapt dump badging`: package, versions, SDK levels, label, permissions, launchable
//!   activities, debuggable, libraries, features; where aapt fails, we must have predicted it.
//! - `aapt dump xmltree`: our tree rendered in aapt's format, line for line, for the manifest and
//!   binary XML resources.
//! - `aapt dump --values resources`: our table rendered in aapt's format, line for line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use analyzer::arsc::{EntryKind, ResourceTable};
use analyzer::axml::{XmlDocument, normalize_for_output};
use analyzer::manifest::Manifest;
use analyzer::res::{ParseMode, ResValue, data_type, until_nul};
use analyzer::zip::ZipArchive;

mod common;

const FRAMEWORK_RES: &str = "/usr/share/android-framework-res/framework-res.apk";

/// Every APK the tests read, built once.
fn apks() -> &'static [PathBuf] {
    static APKS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    APKS.get_or_init(|| {
        let out = corpus::default_out_dir();
        let apps = corpus::ensure_built(&out).unwrap_or_else(|err| panic!("building the corpus: {err}"));
        let mut apks: Vec<PathBuf> = apps.iter().map(|app| app.apk_path(&out)).collect();
        apks.push(PathBuf::from(FRAMEWORK_RES));
        apks.extend(fixtures().iter().cloned());
        apks.extend(samples());
        apks
    })
}

/// Real third-party APKs placed by `scripts/fetch-samples`; missing samples fail the test.
fn samples() -> Vec<PathBuf> {
    common::samples("apk", ".apk")
}

/// APKs built here from small sources, for what the corpus does not exercise.
fn fixtures() -> &'static [PathBuf] {
    static FIXTURES: OnceLock<(tempfile::TempDir, Vec<PathBuf>)> = OnceLock::new();
    &FIXTURES.get_or_init(build_fixtures).1
}

const FIXTURE_MANIFEST: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="org.example.fixture"
    android:versionCode="7" android:versionName="@string/version" android:sharedUserId="org.example.shared">
    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="28" />
    <uses-permission android:name="android.permission.WRITE_EXTERNAL_STORAGE" android:maxSdkVersion="18"/>
    <uses-permission android:name="android.permission.READ_CONTACTS"/>
    <uses-permission-sdk-23 android:name="android.permission.CAMERA"/>
    <uses-feature android:name="android.hardware.camera" android:required="false"/>
    <uses-feature android:glEsVersion="0x00020000"/>
    <application android:label="@string/app" android:debuggable="@bool/debug" android:name="App"
        android:allowBackup="false" android:usesCleartextTraffic="@bool/debug">
        <uses-library android:name="org.apache.http.legacy" android:required="false"/>
        <meta-data android:name="com.example.number" android:value="@integer/number"/>
        <meta-data android:name="com.example.xml" android:resource="@string/app"/>
        <activity android:name="Main" android:label="@string/title">
            <intent-filter><action android:name="android.intent.action.MAIN" /></intent-filter>
            <intent-filter><category android:name="android.intent.category.LAUNCHER" /></intent-filter>
        </activity>
        <activity android:name=".Second" android:label="Literal &quot;quoted&quot; label" android:exported="@bool/debug">
            <intent-filter>
                <action android:name="android.intent.action.MAIN" />
                <category android:name="android.intent.category.LAUNCHER" />
                <data android:scheme="https"/>
            </intent-filter>
        </activity>
        <activity-alias android:name=".Alias" android:targetActivity=".Second">
            <intent-filter>
                <action android:name="android.intent.action.MAIN" />
                <category android:name="android.intent.category.LAUNCHER" />
            </intent-filter>
        </activity-alias>
        <service android:name="org.other.Service" android:permission="android.permission.BIND_JOB_SERVICE"/>
        <receiver android:name=".Boot"><intent-filter><action android:name="android.intent.action.BOOT_COMPLETED"/></intent-filter></receiver>
        <provider android:name=".Data" android:authorities="org.example.fixture.data" android:exported="false"/>
    </application>
</manifest>
"#;

const FIXTURE_VALUES: &str = r#"<resources>
    <string name="version">1.2.3-@string</string>
    <string name="app">Fixture app</string>
    <string name="title">Main title</string>
    <string name="unused">Ünïcödé ✓ "quoted" back\\slash</string>
    <bool name="debug">true</bool>
    <integer name="number">42</integer>
    <integer name="min_sdk">21</integer>
    <integer name="target_sdk">28</integer>
    <dimen name="gap">-2.5dp</dimen>
    <item name="ratio" type="dimen" format="float">0.125</item>
    <fraction name="half">50%p</fraction>
    <color name="tint">#8f00</color>
    <string-array name="words"><item>one</item><item>@string/app</item></string-array>
    <style name="Theme"><item name="android:windowNoTitle">true</item></style>
</resources>
"#;

fn build_fixtures() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("res/values")).unwrap();
    std::fs::create_dir_all(src.join("res/values-fr")).unwrap();
    std::fs::create_dir_all(src.join("res/values-v26")).unwrap();
    std::fs::create_dir_all(src.join("res/xml")).unwrap();
    std::fs::write(src.join("AndroidManifest.xml"), FIXTURE_MANIFEST).unwrap();
    std::fs::write(src.join("res/values/values.xml"), FIXTURE_VALUES).unwrap();
    std::fs::write(
        src.join("res/values-fr/values.xml"),
        r#"<resources><string name="app">Appli</string><string name="title">Titre</string></resources>"#,
    )
    .unwrap();
    std::fs::write(
        src.join("res/values-v26/values.xml"),
        r#"<resources><string name="title">Main title (v26)</string></resources>"#,
    )
    .unwrap();
    std::fs::write(
        src.join("res/xml/prefs.xml"),
        r#"<?xml version="1.0" encoding="utf-8"?>
<PreferenceScreen xmlns:android="http://schemas.android.com/apk/res/android">
    <CheckBoxPreference android:key="k" android:title="@string/app" android:defaultValue="true"/>
    <EditTextPreference android:key="t" android:dialogTitle="Text&#10;with newline"/>
</PreferenceScreen>
"#,
    )
    .unwrap();
    let mut built = Vec::new();

    let aapt_apk = dir.path().join("fixture-aapt.apk");
    let status = Command::new("aapt")
        .args(["package", "-f", "-M"])
        .arg(src.join("AndroidManifest.xml"))
        .arg("-S")
        .arg(src.join("res"))
        .args(["-I", FRAMEWORK_RES, "-F"])
        .arg(&aapt_apk)
        .status()
        .unwrap();
    assert!(status.success(), "aapt package failed");
    built.push(aapt_apk);

    // SDK levels through `@integer/`: Android resolves them, Android 10's aapt gives up.
    // aapt wants the file named AndroidManifest.xml.
    std::fs::create_dir_all(dir.path().join("refs")).unwrap();
    let refs_manifest = dir.path().join("refs/AndroidManifest.xml");
    let refs = FIXTURE_MANIFEST.replace(
        r#"android:minSdkVersion="21" android:targetSdkVersion="28""#,
        r#"android:minSdkVersion="@integer/min_sdk" android:targetSdkVersion="@integer/target_sdk""#,
    );
    assert_ne!(refs, FIXTURE_MANIFEST);
    std::fs::write(&refs_manifest, refs).unwrap();
    let refs_apk = dir.path().join("fixture-sdk-refs.apk");
    let status = Command::new("aapt")
        .args(["package", "-f", "-M"])
        .arg(&refs_manifest)
        .arg("-S")
        .arg(src.join("res"))
        .args(["-I", FRAMEWORK_RES, "-F"])
        .arg(&refs_apk)
        .status()
        .unwrap();
    assert!(status.success(), "aapt package failed");
    built.push(refs_apk);

    // aapt2 with sparse type chunks (Android 8+ encoding, used from minSdk 26).
    let sparse_manifest = src.join("AndroidManifest-26.xml");
    std::fs::write(
        &sparse_manifest,
        FIXTURE_MANIFEST.replace("minSdkVersion=\"21\"", "minSdkVersion=\"26\""),
    )
    .unwrap();
    let flat = dir.path().join("compiled.zip");
    let status = Command::new("aapt2")
        .arg("compile")
        .arg("--dir")
        .arg(src.join("res"))
        .arg("-o")
        .arg(&flat)
        .status()
        .unwrap();
    assert!(status.success(), "aapt2 compile failed");
    let mut link = Command::new("aapt2");
    link.args([
        "link",
        "--enable-sparse-encoding",
        "-I",
        FRAMEWORK_RES,
        "--manifest",
    ])
    .arg(&sparse_manifest)
    .arg("-o")
    .arg(dir.path().join("fixture-aapt2.apk"))
    .arg(&flat);
    assert!(link.status().unwrap().success(), "aapt2 link failed");
    built.push(dir.path().join("fixture-aapt2.apk"));
    (dir, built)
}

struct Apk {
    path: PathBuf,
    data: Vec<u8>,
}

impl Apk {
    fn open(path: &Path) -> Apk {
        Apk {
            path: path.to_path_buf(),
            data: std::fs::read(path).unwrap(),
        }
    }

    /// Whether our zip reader reads the container: samples include deliberately broken zips,
    /// which are the zip reader's business, not this test's.
    fn readable(&self) -> bool {
        ZipArchive::parse(&self.data).is_ok() && self.entry("AndroidManifest.xml").is_some()
    }

    /// Whether Android's zip layer (libziparchive, through aapt) opens the archive at all; it
    /// refuses, for instance, entry names with NUL bytes. Such APKs are for the zip reader's
    /// tests: aapt sees no manifest in them.
    fn android_opens(&self) -> bool {
        let output = Command::new("aapt")
            .args(["dump", "badging"])
            .arg(&self.path)
            .output()
            .unwrap();
        let said = |bytes: &[u8]| String::from_utf8_lossy(bytes).contains("Error opening archive");
        !said(&output.stdout) && !said(&output.stderr)
    }

    /// An entry's bytes; `None` when it is missing or its data is unreadable.
    fn entry(&self, name: &str) -> Option<Vec<u8>> {
        let zip = ZipArchive::parse(&self.data).ok()?;
        let entry = zip.entry(name)?;
        Some(zip.read(entry).ok()?.into_owned())
    }

    fn entry_names(&self) -> Vec<String> {
        let Ok(zip) = ZipArchive::parse(&self.data) else {
            return Vec::new();
        };
        zip.entries()
            .iter()
            .map(|e| e.name_lossy().into_owned())
            .collect()
    }

    fn aapt(&self, args: &[&str]) -> (bool, String) {
        let output = Command::new("aapt").args(args).arg(&self.path).output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    }
}

/// Runs `check` on every APK and fails once, listing every problem.
fn for_each_apk(check: impl Fn(&Apk) -> Vec<String>) {
    let mut problems = Vec::new();
    for path in apks() {
        let apk = Apk::open(path);
        if !apk.readable() || !apk.android_opens() {
            eprintln!(
                "{}: container unreadable by our zip reader or by Android's; skipped",
                path.display()
            );
            continue;
        }
        for problem in check(&apk) {
            problems.push(format!("{}: {problem}", path.display()));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The value of `key='...'` on a badging line.
fn quoted(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("{key}='"))? + key.len() + 2;
    let rest = &line[start..];
    Some(rest[..rest.find('\'')?].to_string())
}

/// The text of the first `prefix:'...'` line.
fn line_value(badging: &str, prefix: &str) -> Option<String> {
    badging
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{prefix}:'")))
        .map(|rest| rest.trim_end_matches('\'').to_string())
}

#[test]
fn manifest_facts_equal_aapt_badging() {
    for_each_apk(|apk| {
        let mut problems = Vec::new();
        let Some(xml) = apk.entry("AndroidManifest.xml") else {
            return vec!["no AndroidManifest.xml".into()];
        };
        let arsc = apk.entry("resources.arsc");
        let doc = XmlDocument::parse(&xml, ParseMode::Permissive).unwrap();
        let table = arsc
            .as_deref()
            .map(|a| ResourceTable::parse(a, ParseMode::Permissive).unwrap());
        let m = Manifest::parse(&doc, table.as_ref()).unwrap();
        let (ok, badging) = apk.aapt(&["dump", "badging"]);
        if !ok {
            if m.badging_errors.is_empty() {
                problems.push("aapt dump badging failed, we predicted no error".into());
            }
            return problems;
        }
        if !m.badging_errors.is_empty() {
            problems.push(format!("aapt succeeded, we predicted {:?}", m.badging_errors));
        }
        let mut check = |what: &str, ours: Option<String>, theirs: Option<String>| {
            if ours != theirs {
                problems.push(format!("{what}: ours {ours:?}, aapt {theirs:?}"));
            }
        };
        let first = badging.lines().next().unwrap_or_default();
        check("package", Some(m.package.clone()), quoted(first, "name"));
        check(
            "versionCode",
            Some(
                m.version_code
                    .filter(|&v| v > 0)
                    .map_or(String::new(), |v| v.to_string()),
            ),
            quoted(first, "versionCode"),
        );
        check(
            "versionName",
            Some(
                m.version_name
                    .clone()
                    .map(|v| normalize_for_output(&v))
                    .unwrap_or_default(),
            ),
            quoted(first, "versionName"),
        );
        check(
            "platformBuildVersionName",
            m.platform_build_version_name.clone().filter(|v| !v.is_empty()),
            quoted(first, "platformBuildVersionName"),
        );
        check(
            "compileSdkVersion",
            m.compile_sdk_version.filter(|&v| v > 0).map(|v| v.to_string()),
            quoted(first, "compileSdkVersion"),
        );
        check(
            "sdkVersion",
            m.min_sdk.as_ref().map(|v| normalize_for_output(&v.to_string())),
            line_value(&badging, "sdkVersion"),
        );
        check(
            "targetSdkVersion",
            m.target_sdk
                .as_ref()
                .map(|v| normalize_for_output(&v.to_string())),
            line_value(&badging, "targetSdkVersion"),
        );
        check(
            "maxSdkVersion",
            m.max_sdk.map(|v| v.to_string()),
            line_value(&badging, "maxSdkVersion"),
        );
        let app = m.application.clone().unwrap_or_default();
        check(
            "application-label",
            app.label.as_ref().map(|l| normalize_for_output(l)),
            line_value(&badging, "application-label"),
        );
        check(
            "application-debuggable",
            Some((app.debuggable == Some(true)).to_string()),
            Some(badging.lines().any(|l| l == "application-debuggable").to_string()),
        );
        // Declared permissions in order, then the implied ones, as aapt prints them.
        let ours: Vec<String> = m
            .uses_permissions
            .iter()
            .filter(|p| !p.sdk23)
            .map(|p| p.name.clone())
            .chain(m.implied_permissions().into_iter().map(|p| p.name))
            .collect();
        let theirs: Vec<String> = badging
            .lines()
            .filter(|l| l.starts_with("uses-permission:"))
            .filter_map(|l| quoted(l, "name"))
            .collect();
        check("uses-permission", Some(ours.join(",")), Some(theirs.join(",")));
        let ours: Vec<String> = m
            .uses_permissions
            .iter()
            .filter(|p| p.sdk23)
            .map(|p| p.name.clone())
            .collect();
        let theirs: Vec<String> = badging
            .lines()
            .filter(|l| l.starts_with("uses-permission-sdk-23:"))
            .filter_map(|l| quoted(l, "name"))
            .collect();
        check(
            "uses-permission-sdk-23",
            Some(ours.join(",")),
            Some(theirs.join(",")),
        );
        let ours: Vec<String> = m
            .launchable_activities
            .iter()
            .map(|a| {
                format!(
                    "launchable-activity: name='{}'  label='{}' icon='{}'",
                    normalize_for_output(&a.name),
                    normalize_for_output(&a.label),
                    normalize_for_output(&a.icon)
                )
            })
            .collect();
        let theirs: Vec<String> = badging
            .lines()
            .filter(|l| l.starts_with("launchable-activity:"))
            .map(str::to_string)
            .collect();
        check(
            "launchable-activity",
            Some(ours.join("\n")),
            Some(theirs.join("\n")),
        );
        let ours: Vec<String> = app
            .uses_libraries
            .iter()
            .map(|l| {
                let suffix = if l.required { "" } else { "-not-required" };
                format!("uses-library{suffix}:'{}'", l.name)
            })
            .collect();
        let theirs: Vec<String> = badging
            .lines()
            .filter(|l| l.starts_with("uses-library"))
            .map(str::to_string)
            .collect();
        check("uses-library", Some(ours.join("\n")), Some(theirs.join("\n")));
        for feature in &m.uses_features {
            let Some(name) = &feature.name else { continue };
            let suffix = if feature.required { "" } else { "-not-required" };
            let line = format!("  uses-feature{suffix}: name='{name}'");
            if !badging.lines().any(|l| l == line) {
                problems.push(format!("uses-feature: aapt has no line {line:?}"));
            }
        }
        problems
    });
}

/// Binary XML entries of an APK: the manifest and up to `limit` resources.
fn binary_xml_entries(apk: &Apk, limit: usize) -> Vec<String> {
    let mut names = vec!["AndroidManifest.xml".to_string()];
    names.extend(
        apk.entry_names()
            .into_iter()
            .filter(|n| n.starts_with("res/") && n.ends_with(".xml"))
            .filter(|n| apk.entry(n).is_some_and(|d| d.starts_with(&[3, 0])))
            .take(limit),
    );
    names
}

#[test]
fn xml_trees_equal_aapt_xmltree() {
    for_each_apk(|apk| {
        let mut problems = Vec::new();
        for name in binary_xml_entries(apk, 60) {
            let data = apk.entry(&name).unwrap();
            let output = Command::new("aapt")
                .args(["dump", "xmltree"])
                .arg(&apk.path)
                .arg(&name)
                .output()
                .unwrap();
            let theirs = String::from_utf8_lossy(&output.stdout);
            let ours = match XmlDocument::parse(&data, ParseMode::Permissive) {
                Ok(doc) => doc.to_aapt_xmltree(),
                Err(err) => {
                    if output.status.success() {
                        problems.push(format!("{name}: aapt reads it, we fail: {err}"));
                    }
                    continue;
                }
            };
            if !output.status.success() {
                problems.push(format!("{name}: aapt fails, we read it"));
                continue;
            }
            if let Some((line, (a, b))) = ours
                .lines()
                .zip(theirs.lines())
                .enumerate()
                .find(|(_, (a, b))| a != b)
            {
                problems.push(format!("{name} line {}: ours {a:?}, aapt {b:?}", line + 1));
            } else if ours.lines().count() != theirs.lines().count() {
                problems.push(format!(
                    "{name}: {} lines, aapt {}",
                    ours.lines().count(),
                    theirs.lines().count()
                ));
            }
            // Strict mode accepts what aapt and aapt2 write.
            if let Err(err) = XmlDocument::parse(&data, ParseMode::Strict) {
                problems.push(format!("{name}: strict mode refuses a tool-built file: {err}"));
            }
        }
        problems
    });
}

/// C's `%g` for a float promoted to double.
fn printf_g(value: f32) -> String {
    let v = f64::from(value);
    if v == 0.0 {
        return if v.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf".into() } else { "inf".into() };
    }
    let sci = format!("{v:.5e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap();
    let exponent: i32 = exponent.parse().unwrap();
    let trim = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if !(-4..6).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mantissa.to_string()), exponent.abs())
    } else {
        let decimals = (5 - exponent).max(0) as usize;
        trim(format!("{v:.decimals$}"))
    }
}

/// aapt's `print_complex`: the mantissa taken unsigned, as aapt does.
fn print_complex(data: u32, fraction: bool) -> String {
    let mults = [
        1.0f32 / 256.0,
        1.0 / 128.0 / 256.0,
        1.0 / 32768.0 / 256.0,
        1.0 / 8_388_608.0 / 256.0,
    ];
    let value = (data & 0xffff_ff00) as f32 * mults[((data >> 4) & 3) as usize];
    let unit = match (fraction, data & 0xf) {
        (false, 0) => "px",
        (false, 1) => "dp",
        (false, 2) => "sp",
        (false, 3) => "pt",
        (false, 4) => "in",
        (false, 5) => "mm",
        (true, 0) => "%",
        (true, 1) => "%p",
        _ => " (unknown unit)",
    };
    format!("{value:.6}{unit}")
}

/// aapt's `ResTable::print_value` (Android 10), including its `||` that prints every integer
/// type as a colour.
fn print_value(table: &ResourceTable<'_>, value: ResValue) -> String {
    match value.data_type {
        data_type::NULL => match value.data {
            0 => "(null)".into(),
            1 => "(null empty)".into(),
            other => format!("(null) 0x{other:08x}"),
        },
        data_type::REFERENCE => format!("(reference) 0x{:08x}", value.data),
        data_type::DYNAMIC_REFERENCE => format!("(dynamic reference) 0x{:08x}", value.data),
        data_type::ATTRIBUTE => format!("(attribute) 0x{:08x}", value.data),
        data_type::DYNAMIC_ATTRIBUTE => format!("(dynamic attribute) 0x{:08x}", value.data),
        data_type::STRING => match table.strings().get(value.data) {
            Ok(text) => {
                let kind = if table.strings().is_utf8() {
                    "string8"
                } else {
                    "string16"
                };
                format!("({kind}) \"{}\"", normalize_for_output(until_nul(&text)))
            }
            Err(_) => "(string) null".into(),
        },
        data_type::FLOAT => format!("(float) {}", printf_g(f32::from_bits(value.data))),
        data_type::DIMENSION => format!("(dimension) {}", print_complex(value.data, false)),
        data_type::FRACTION => format!("(fraction) {}", print_complex(value.data, true)),
        _ => format!("(color) #{:08x}", value.data),
    }
}

/// Our table in the format of `aapt dump --values resources` (Android 10's `ResTable::print`).
fn render_table(table: &ResourceTable<'_>) -> String {
    let mut out = String::new();
    // Package groups: one per package id, in order of first appearance.
    let mut groups: Vec<u8> = Vec::new();
    for p in table.packages() {
        if !groups.contains(&p.assigned_id) {
            groups.push(p.assigned_id);
        }
    }
    let _ = writeln!(out, "Package Groups ({})", groups.len());
    for (group_index, &id) in groups.iter().enumerate() {
        let packages: Vec<_> = table.packages().iter().filter(|p| p.assigned_id == id).collect();
        let _ = writeln!(
            out,
            "Package Group {group_index} id=0x{id:02x} packageCount={} name={}",
            packages.len(),
            packages[0].name
        );
        let mut libraries: Vec<_> = packages[0].libraries().collect();
        if !libraries.is_empty() {
            libraries.sort_by(|a, b| a.name.cmp(&b.name));
            let _ = writeln!(out, "  DynamicRefTable entryCount={}:", libraries.len());
            for lib in libraries {
                let _ = writeln!(out, "    0x{:02x} -> {}", lib.build_id, lib.name);
            }
            let _ = writeln!(out);
        }
        for (split, package) in packages.iter().enumerate() {
            let _ = writeln!(out, "  Package {split} id=0x{id:02x} name={}", package.name);
            let mut type_ids: Vec<u8> = package.type_specs.iter().map(|s| s.id).collect();
            type_ids.sort_unstable();
            type_ids.dedup();
            for type_id in type_ids {
                let (spec_index, spec) = package
                    .type_specs
                    .iter()
                    .enumerate()
                    .find(|(_, s)| s.id == type_id)
                    .unwrap();
                let chunks: Vec<_> = package.types.iter().filter(|t| t.spec == spec_index).collect();
                let _ = writeln!(
                    out,
                    "    type {} configCount={} entryCount={}",
                    type_id - 1,
                    chunks.len(),
                    spec.entry_count
                );
                let name_of = |index: u32| {
                    let id = (u32::from(id) << 24) | (u32::from(type_id) << 16) | index;
                    table.resource_name(id).map(|n| (id, n))
                };
                for index in 0..spec.entry_count {
                    match name_of(index) {
                        Some((rid, name)) => {
                            let _ = writeln!(
                                out,
                                "      spec resource 0x{rid:08x} {name}: flags=0x{:08x}",
                                spec.flags(index).unwrap_or(0)
                            );
                        }
                        None => {
                            let rid = (u32::from(id) << 24) | (u32::from(type_id) << 16) | index;
                            let _ = writeln!(out, "      INVALID TYPE CONFIG FOR RESOURCE 0x{rid:08x}");
                        }
                    }
                }
                for chunk in chunks {
                    let config = chunk.config.to_string();
                    let _ = write!(
                        out,
                        "      config {}",
                        if config.is_empty() {
                            "(default)"
                        } else {
                            config.as_str()
                        }
                    );
                    if chunk.flags != 0 {
                        let _ = write!(out, " flags=0x{:02x}", chunk.flags);
                        if chunk.is_sparse() {
                            out.push_str(" [sparse]");
                        }
                    }
                    out.push_str(":\n");
                    for (index, offset) in chunk.entry_offsets() {
                        let rid = (u32::from(id) << 24) | (u32::from(type_id) << 16) | index;
                        match name_of(index) {
                            Some((_, name)) => {
                                let _ = write!(out, "        resource 0x{rid:08x} {name}: ");
                            }
                            None => {
                                let _ = write!(out, "        INVALID RESOURCE 0x{rid:08x}: ");
                            }
                        }
                        let entry = chunk.entry_at(offset, rid).unwrap();
                        match entry.kind {
                            EntryKind::Simple(v) => {
                                let _ = write!(
                                    out,
                                    "t=0x{:02x} d=0x{:08x} (s=0x{:04x} r=0x{:02x})",
                                    v.data_type, v.data, v.size, v.res0
                                );
                            }
                            EntryKind::Bag(_) => out.push_str("<bag>"),
                        }
                        if entry.is_public() {
                            out.push_str(" (PUBLIC)");
                        }
                        out.push('\n');
                        match entry.kind {
                            EntryKind::Simple(v) => {
                                let _ = writeln!(out, "          {}", print_value(table, v));
                            }
                            EntryKind::Bag(bag) => {
                                let _ = writeln!(
                                    out,
                                    "          Parent=0x{:08x}(Resolved=0x{:08x}), Count={}",
                                    bag.parent, bag.parent, bag.count as i32
                                );
                                for (i, map) in bag.maps().enumerate() {
                                    let (key, value) = map.unwrap();
                                    let _ = writeln!(
                                        out,
                                        "          #{i} (Key=0x{key:08x}): {}",
                                        print_value(table, value)
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// Whether the table uses encodings newer than Android 10's aapt reads (16-bit offsets,
/// compact entries): aapt misreads those, so it cannot be the oracle.
fn newer_than_aapt(table: &ResourceTable<'_>) -> bool {
    table.packages().iter().flat_map(|p| &p.types).any(|t| {
        t.flags & analyzer::arsc::TYPE_FLAG_OFFSET16 != 0
            || t.entry_offsets()
                .any(|(i, o)| t.entry_at(o, i).is_ok_and(|e| e.is_compact()))
    })
}

#[test]
fn resource_tables_equal_aapt_dump_resources() {
    let compared = std::sync::atomic::AtomicUsize::new(0);
    for_each_apk(|apk| {
        let Some(arsc) = apk.entry("resources.arsc") else {
            return Vec::new();
        };
        let table = match ResourceTable::parse(&arsc, ParseMode::Permissive) {
            Ok(table) => table,
            Err(err) => return vec![format!("our reader fails: {err}")],
        };
        if newer_than_aapt(&table) {
            eprintln!(
                "{}: table uses encodings newer than aapt; not compared",
                apk.path.display()
            );
            return Vec::new();
        }
        compared.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (ok, theirs) = apk.aapt(&["dump", "--values", "resources"]);
        if !ok {
            return vec!["aapt dump resources failed".into()];
        }
        let ours = render_table(&table);
        let mut problems = Vec::new();
        if let Some((line, (a, b))) = ours
            .lines()
            .zip(theirs.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
        {
            problems.push(format!("line {}: ours {a:?}, aapt {b:?}", line + 1));
        } else if ours.lines().count() != theirs.lines().count() {
            problems.push(format!(
                "{} lines, aapt {}",
                ours.lines().count(),
                theirs.lines().count()
            ));
        }
        if let Err(err) = ResourceTable::parse(&arsc, ParseMode::Strict) {
            problems.push(format!("strict mode refuses a tool-built table: {err}"));
        }
        problems
    });
    // Every corpus app has a table, and so do framework-res and the fixtures.
    let compared = compared.into_inner();
    eprintln!("compared {compared} resource tables with aapt");
    assert!(
        compared >= 20 + 1 + fixtures().len(),
        "only {compared} tables compared"
    );
}

#[test]
fn corpus_resources_have_the_declared_values() {
    // compressed-arsc declares one of each simple kind and an array; check them by name
    // through resolution, independent of aapt's rendering.
    let path = apks()
        .iter()
        .find(|p| p.ends_with("compressed-arsc.apk"))
        .unwrap();
    let apk = Apk::open(path);
    let arsc = apk.entry("resources.arsc").unwrap();
    let table = ResourceTable::parse(&arsc, ParseMode::Strict).unwrap();
    let config = analyzer::arsc::Config::badging();
    let resolve = |id: u32| table.resolve(ResValue::new(data_type::REFERENCE, id), &config);
    assert_eq!(
        table.string_value(&resolve(0x7f06_0000)).unwrap(),
        "Compressed ARSC"
    );
    assert_eq!(
        table.string_value(&resolve(0x7f06_0002)).unwrap(),
        "Retrying in %1$d seconds (%2$s)"
    );
    assert_eq!(resolve(0x7f04_0001), ResValue::new(data_type::INT_DEC, 250));
    assert_eq!(
        resolve(0x7f05_0000),
        ResValue::new(data_type::INT_BOOLEAN, u32::MAX)
    );
    assert_eq!(
        resolve(0x7f02_0000),
        ResValue::new(data_type::INT_COLOR_ARGB8, 0xff62_00ee)
    );
    let padding = resolve(0x7f03_0001);
    assert_eq!(padding.data_type, data_type::DIMENSION);
    assert_eq!(analyzer::res::Complex(padding.data).value(), 16.0);
    assert_eq!(
        table.resource_name(0x7f07_0000).unwrap(),
        "org.hypercompat.corpus.compressed_arsc:array/planets"
    );
    let found = table.entry(0x7f07_0000, Some(&config)).unwrap().unwrap();
    let EntryKind::Bag(bag) = found.entry.kind else {
        panic!("planets is not a bag")
    };
    let planets: Vec<String> = bag
        .maps()
        .map(|m| table.string_value(&m.unwrap().1).unwrap().into_owned())
        .collect();
    assert_eq!(planets, ["Mercury", "Venus", "Earth"]);
}

#[test]
fn fixture_facts_beyond_badging() {
    // What badging does not print, checked against the fixture's source.
    for apk in fixtures() {
        let apk = Apk::open(apk);
        let xml = apk.entry("AndroidManifest.xml").unwrap();
        let arsc = apk.entry("resources.arsc").unwrap();
        let doc = XmlDocument::parse(&xml, ParseMode::Strict).unwrap();
        let table = ResourceTable::parse(&arsc, ParseMode::Strict).unwrap();
        let m = Manifest::parse(&doc, Some(&table)).unwrap();
        let at = apk.path.display();
        let min_sdk = if apk.path.ends_with("fixture-aapt2.apk") {
            26
        } else {
            21
        };
        assert_eq!(
            m.min_sdk,
            Some(analyzer::manifest::SdkVersion::Level(min_sdk)),
            "{at}"
        );
        let refs = apk.path.ends_with("fixture-sdk-refs.apk");
        assert_eq!(!m.badging_errors.is_empty(), refs, "{at}: {:?}", m.badging_errors);
        assert_eq!(m.shared_user_id.as_deref(), Some("org.example.shared"), "{at}");
        assert_eq!(m.effective_target_sdk(), 28, "{at}");
        let app = m.application.as_ref().unwrap();
        assert_eq!(app.name.as_deref(), Some("org.example.fixture.App"), "{at}");
        assert_eq!(app.allow_backup, Some(false), "{at}");
        assert_eq!(app.uses_cleartext_traffic, Some(true), "{at}");
        assert_eq!(app.label.as_deref(), Some("Fixture app"), "{at}");
        let number = app
            .meta_data
            .iter()
            .find(|d| d.name == "com.example.number")
            .unwrap();
        assert_eq!(number.value, Some(analyzer::manifest::AttrValue::Int(42)), "{at}");
        let resource = app
            .meta_data
            .iter()
            .find(|d| d.name == "com.example.xml")
            .unwrap();
        assert_eq!(
            table.resource_name(resource.resource.unwrap()).unwrap(),
            "org.example.fixture:string/app"
        );
        let kinds: Vec<_> = app
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.exported_effective(28)))
            .collect();
        assert_eq!(
            kinds,
            [
                ("org.example.fixture.Main", true),
                ("org.example.fixture.Second", true),
                ("org.example.fixture.Alias", true),
                ("org.other.Service", false),
                ("org.example.fixture.Boot", true),
                ("org.example.fixture.Data", false),
            ],
            "{at}"
        );
        let alias = &app.components[2];
        assert_eq!(
            alias.target_activity.as_deref(),
            Some("org.example.fixture.Second")
        );
        assert_eq!(app.components[1].intent_filters[0].schemes, ["https"]);
        assert_eq!(
            app.components[3].permission.as_deref(),
            Some("android.permission.BIND_JOB_SERVICE")
        );
        // The activity label resolves in the en-US badging configuration: v26 wins at SDK 10000.
        assert_eq!(app.components[0].label.as_deref(), Some("Main title (v26)"));
        assert_eq!(m.uses_features.len(), 2);
        assert_eq!(m.uses_features[1].gl_es_version, Some(0x20000));
        let sparse = table.packages()[0].types.iter().filter(|t| t.is_sparse()).count();
        let by_aapt2 = apk.path.ends_with("fixture-aapt2.apk");
        assert_eq!(sparse > 0, by_aapt2, "{at}: {sparse} sparse type chunks");
    }
}

/// `data` with every resource-mapped attribute name overwritten by `x`s of the same length:
/// what an obfuscator does to hide `android:` attributes from tools that match names.
fn obfuscate_attribute_names(data: &[u8]) -> Vec<u8> {
    let doc = XmlDocument::parse(data, ParseMode::Permissive).unwrap();
    let pool = doc.strings();
    let mut out = data.to_vec();
    let search_from = pool.offset();
    for index in 0..doc.resource_map_len().min(pool.len() as usize) as u32 {
        let name = pool.get(index).unwrap().into_owned();
        if name.is_empty() || name.len() > 0x7f {
            continue;
        }
        let (pattern, text_at, text_len, filler): (Vec<u8>, usize, usize, Vec<u8>) = if pool.is_utf8() {
            let mut p = vec![name.len() as u8, name.len() as u8];
            p.extend_from_slice(name.as_bytes());
            p.push(0);
            (p, 2, name.len(), vec![b'x'; name.len()])
        } else {
            let units: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let mut p = (units.len() as u16 / 2).to_le_bytes().to_vec();
            p.extend_from_slice(&units);
            p.extend_from_slice(&[0, 0]);
            let filler = "x"
                .repeat(units.len() / 2)
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            (p, 2, units.len(), filler)
        };
        let Some(at) = out[search_from..]
            .windows(pattern.len())
            .position(|w| w == pattern)
        else {
            continue;
        };
        let start = search_from + at + text_at;
        out[start..start + text_len].copy_from_slice(&filler);
    }
    out
}

#[test]
fn obfuscated_attribute_names_give_the_same_facts() {
    for_each_apk(|apk| {
        let xml = apk.entry("AndroidManifest.xml").unwrap();
        let arsc = apk.entry("resources.arsc");
        let table = arsc
            .as_deref()
            .map(|a| ResourceTable::parse(a, ParseMode::Permissive).unwrap());
        let obfuscated = obfuscate_attribute_names(&xml);
        let changed = xml.iter().zip(&obfuscated).filter(|(a, b)| a != b).count();
        let original = Manifest::parse(
            &XmlDocument::parse(&xml, ParseMode::Permissive).unwrap(),
            table.as_ref(),
        );
        let doc = XmlDocument::parse(&obfuscated, ParseMode::Permissive).unwrap();
        let hidden = Manifest::parse(&doc, table.as_ref());
        let mut problems = Vec::new();
        if changed == 0 {
            problems.push("no attribute name was obfuscated".to_string());
        }
        if original != hidden {
            problems.push(format!(
                "facts differ once names are hidden: {original:?} vs {hidden:?}"
            ));
        }
        problems
    });
}

#[test]
fn android_attribute_table_equals_framework_res() {
    let apk = Apk::open(Path::new(FRAMEWORK_RES));
    let (ok, dump) = apk.aapt(&["dump", "resources"]);
    assert!(ok);
    let mut count = 0;
    for line in dump.lines() {
        let Some(rest) = line.trim_start().strip_prefix("spec resource 0x") else {
            continue;
        };
        let (id, rest) = rest.split_once(' ').unwrap();
        let Some(name) = rest.strip_prefix("android:attr/") else {
            continue;
        };
        let name = name.split(':').next().unwrap();
        let id = u32::from_str_radix(id, 16).unwrap();
        assert_eq!(analyzer::res::android_attr_name(id), Some(name), "{id:#x}");
        count += 1;
    }
    assert_eq!(count, analyzer::res::android_attrs::ATTRS.len());
    assert!(count > 1000);
}

/// Counts the bytes each thread holds, so that a test can bound what one parse allocates while
/// other tests run in parallel.
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    pub struct Counting;

    thread_local! {
        static CURRENT: Cell<isize> = const { Cell::new(0) };
        static PEAK: Cell<isize> = const { Cell::new(0) };
    }

    fn add(delta: isize) {
        let _ = CURRENT.try_with(|current| {
            let now = current.get() + delta;
            current.set(now);
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
        });
    }

    // SAFETY: every call is forwarded unchanged to the system allocator; the bookkeeping only
    // touches const-initialised thread locals, which never allocate.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            add(layout.size() as isize);
            // SAFETY: same layout contract as our caller's.
            unsafe { System.alloc(layout) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            add(-(layout.size() as isize));
            // SAFETY: `ptr` came from `System.alloc` with this layout.
            unsafe { System.dealloc(ptr, layout) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            add(new_size as isize - layout.size() as isize);
            // SAFETY: forwarded with the caller's guarantees.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    /// Peak bytes allocated by this thread while `f` runs, above what it held before.
    pub fn peak_during(f: impl FnOnce()) -> usize {
        let start = CURRENT.with(Cell::get);
        PEAK.with(|peak| peak.set(start));
        f();
        (PEAK.with(Cell::get) - start).max(0) as usize
    }
}

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// Walks everything a reader offers on a (possibly broken) manifest.
fn exercise_xml(data: &[u8], table: Option<&ResourceTable<'_>>) {
    for mode in [ParseMode::Permissive, ParseMode::Strict] {
        let Ok(doc) = XmlDocument::parse(data, mode) else {
            continue;
        };
        for node in doc.nodes().flatten() {
            if let analyzer::axml::Node::StartElement(element) = node {
                for attribute in element.attributes().flatten() {
                    let _ = doc.attribute_name(&attribute);
                }
            }
        }
        if let Ok(m) = Manifest::parse(&doc, table) {
            let _ = m.implied_permissions();
        }
    }
}

/// Walks every entry of a (possibly broken) table and resolves each.
fn exercise_table(data: &[u8]) {
    for mode in [ParseMode::Permissive, ParseMode::Strict] {
        let Ok(table) = ResourceTable::parse(data, mode) else {
            continue;
        };
        for package in table.packages() {
            for chunk in package.types.iter().take(64) {
                let _ = chunk.config.to_string();
                for (index, offset) in chunk.entry_offsets().take(256) {
                    let id = (u32::from(package.assigned_id) << 24) | (u32::from(chunk.id) << 16) | index;
                    if let Ok(entry) = chunk.entry_at(offset, id)
                        && let EntryKind::Bag(bag) = entry.kind
                    {
                        let _ = bag.maps().count();
                    }
                    let value = table.resolve(
                        ResValue::new(data_type::REFERENCE, id),
                        &analyzer::arsc::Config::badging(),
                    );
                    let _ = table.string_value(&value);
                    let _ = table.resource_name(id);
                }
            }
        }
    }
}

/// Truncations and corruptions of `data` at about `cuts` offsets: bit flips, and 0xFFFFFFFF and
/// 0x7FFFFFFF written over counts and offsets. Made one at a time.
fn mutations(data: &[u8], cuts: usize) -> impl Iterator<Item = Vec<u8>> + '_ {
    let step = (data.len() / cuts).max(1);
    (0..data.len()).step_by(step).flat_map(move |at| {
        (0..4).map(move |kind| match kind {
            0 => data[..at].to_vec(),
            1 => {
                let mut flipped = data.to_vec();
                flipped[at] ^= 0xff;
                flipped
            }
            _ => {
                let word: u32 = if kind == 2 { u32::MAX } else { 0x7fff_ffff };
                let mut big = data.to_vec();
                let end = (at + 4).min(big.len());
                big[at..end].copy_from_slice(&word.to_le_bytes()[..end - at]);
                big
            }
        })
    })
}

#[test]
fn malformed_manifests_and_tables_never_panic_and_stay_bounded() {
    let mut problems = Vec::new();
    for path in apks() {
        let apk = Apk::open(path);
        let Some(xml) = apk.entry("AndroidManifest.xml") else {
            continue;
        };
        let arsc = apk.entry("resources.arsc");
        let table = arsc
            .as_deref()
            .and_then(|a| ResourceTable::parse(a, ParseMode::Permissive).ok());
        let cuts = if xml.len() > 20_000 { 25 } else { 50 };
        for mutated in mutations(&xml, cuts) {
            let peak = counting::peak_during(|| exercise_xml(&mutated, table.as_ref()));
            // Facts copy strings out of the document; a mutation cannot make them grow past a
            // small multiple of the input.
            if peak > 64 * mutated.len() + (1 << 20) {
                problems.push(format!(
                    "{}: manifest mutation allocated {peak} bytes",
                    path.display()
                ));
            }
        }
        // Tables: every small one, and of the multi-megabyte frameworks only a few cuts.
        let Some(arsc) = arsc else { continue };
        if arsc.len() > 2_000_000 && !path.ends_with("framework-res.apk") {
            continue;
        }
        let cuts = if arsc.len() > 1_000_000 { 2 } else { 16 };
        for mutated in mutations(&arsc, cuts) {
            let peak = counting::peak_during(|| exercise_table(&mutated));
            if peak > 4 * mutated.len() + (1 << 20) {
                problems.push(format!(
                    "{}: table mutation allocated {peak} bytes",
                    path.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
