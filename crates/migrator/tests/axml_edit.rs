//! The binary XML editor on real manifests: an unedited round trip keeps the document's
//! meaning (byte for byte where the input is in aapt's own layout), and edits show up in
//! `aapt dump xmltree` and `aapt dump badging` exactly as asked.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use analyzer::axml::XmlDocument;
use analyzer::res::ParseMode;
use analyzer::zip::ZipArchive;
use migrator::axml_edit::{Change, Value, XmlEditor};

fn inputs() -> Vec<PathBuf> {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    let mut files: Vec<PathBuf> = apps.iter().map(|app| app.apk_path(&out)).collect();
    files.extend(corpus::sample_apks());
    files.push(PathBuf::from(
        "/usr/share/android-framework-res/framework-res.apk",
    ));
    files.sort();
    files
}

/// The manifest and resources.arsc of an APK our reader accepts.
fn manifest_and_arsc(apk: &Path) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let data = std::fs::read(apk).unwrap();
    let zip = ZipArchive::parse(&data).ok()?;
    let manifest = zip.read(zip.entry("AndroidManifest.xml")?).ok()?.into_owned();
    let arsc = zip
        .entry("resources.arsc")
        .and_then(|e| zip.read(e).ok())
        .map(|d| d.into_owned());
    Some((manifest, arsc))
}

fn xmltree(document: &[u8]) -> String {
    XmlDocument::parse(document, ParseMode::Permissive)
        .unwrap()
        .to_aapt_xmltree()
}

/// An APK-shaped zip holding `manifest` (and `arsc`) for aapt to read.
fn zip_with(dir: &Path, name: &str, manifest: &[u8], arsc: Option<&[u8]>) -> PathBuf {
    let path = dir.join(name);
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("AndroidManifest.xml", stored).unwrap();
    writer.write_all(manifest).unwrap();
    if let Some(arsc) = arsc {
        writer.start_file("resources.arsc", stored).unwrap();
        writer.write_all(arsc).unwrap();
    }
    writer.finish().unwrap();
    path
}

/// `aapt dump badging APK` or `aapt dump xmltree APK AndroidManifest.xml`.
fn aapt_dump(what: &str, apk: &Path) -> String {
    let mut command = Command::new("aapt");
    command.args(["dump", what]).arg(apk);
    if what == "xmltree" {
        command.arg("AndroidManifest.xml");
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "aapt dump {what}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn unedited_round_trip_keeps_every_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let (mut identical, mut total) = (0, 0);
    for apk in inputs() {
        let Some((manifest, _)) = manifest_and_arsc(&apk) else {
            continue;
        };
        let Ok(editor) = XmlEditor::parse(&manifest) else {
            // Only a document the reader itself refuses may be refused.
            assert!(
                XmlDocument::parse(&manifest, ParseMode::Permissive).is_err(),
                "{}",
                apk.display()
            );
            continue;
        };
        let written = editor.to_bytes().unwrap();
        total += 1;
        if written == manifest {
            identical += 1;
        }
        assert_eq!(xmltree(&written), xmltree(&manifest), "{}", apk.display());
        // And aapt itself reads the same tree from both.
        let before = zip_with(dir.path(), "before.apk", &manifest, None);
        let after = zip_with(dir.path(), "after.apk", &written, None);
        assert_eq!(
            aapt_dump("xmltree", &after),
            aapt_dump("xmltree", &before),
            "{}",
            apk.display()
        );
    }
    assert!(total >= 60, "only {total} manifests");
    // Every manifest here was written by aapt or aapt2, whose layout comes back byte for byte.
    assert_eq!(
        identical, total,
        "{identical} of {total} manifests written back byte for byte"
    );
    eprintln!("{identical} of {total} manifests written back byte for byte");
}

#[test]
fn edits_show_in_aapt_badging_and_xmltree() {
    let dir = tempfile::tempdir().unwrap();
    let mut edited = 0;
    for apk in inputs() {
        let Some((manifest, arsc)) = manifest_and_arsc(&apk) else {
            continue;
        };
        let Ok(mut editor) = XmlEditor::parse(&manifest) else {
            continue;
        };
        let before_zip = zip_with(dir.path(), "b.apk", &manifest, arsc.as_deref());
        let Ok(before) = Command::new("aapt")
            .args(["dump", "badging"])
            .arg(&before_zip)
            .output()
        else {
            continue;
        };
        if !before.status.success() {
            continue; // aapt refuses the original too
        }
        let before = String::from_utf8_lossy(&before.stdout).into_owned();
        let Some(&application) = editor.find("manifest/application").first() else {
            continue;
        };
        let Some(&root) = editor.find("manifest").first() else {
            continue;
        };

        let was = editor
            .android_attr(application, "extractNativeLibs")
            .map(|a| a.value);
        let change = editor
            .set_android_attr(application, "extractNativeLibs", Value::Bool(false))
            .unwrap();
        match was {
            None => assert_eq!(change, Change::Added),
            Some(value) if value.data == 0 => assert_eq!(change, Change::Unchanged),
            Some(_) => assert!(matches!(change, Change::Changed { .. })),
        }
        editor
            .set_android_attr(application, "debuggable", Value::Bool(true))
            .unwrap();
        // An attribute added and removed again leaves nothing aapt can see.
        if editor.android_attr(application, "label").is_none() {
            let label = Value::Str("temporary".into());
            editor.set_android_attr(application, "label", label).unwrap();
            assert!(editor.remove_android_attr(application, "label"));
            assert!(!editor.remove_android_attr(application, "label"));
        }
        editor
            .set_android_attr(application, "usesCleartextTraffic", Value::Bool(false))
            .unwrap();
        editor
            .add_element(
                root,
                "uses-permission",
                &[("name", Value::Str("org.hypercompat.permission.TEST".into()))],
            )
            .unwrap();
        // Remove every uses-permission the app had before (ours is the last one).
        loop {
            let permissions = editor.find("manifest/uses-permission");
            if permissions.len() <= 1 {
                break;
            }
            editor.remove_element(permissions[0]).unwrap();
        }
        let written = editor.to_bytes().unwrap();
        // Idempotence: the same edits again change nothing.
        let mut again = XmlEditor::parse(&written).unwrap();
        let application2 = again.find("manifest/application")[0];
        assert_eq!(
            again
                .set_android_attr(application2, "extractNativeLibs", Value::Bool(false))
                .unwrap(),
            Change::Unchanged
        );
        assert_eq!(again.to_bytes().unwrap(), written);

        let after_zip = zip_with(dir.path(), "a.apk", &written, arsc.as_deref());
        let badging = aapt_dump("badging", &after_zip);
        let tree = aapt_dump("xmltree", &after_zip);
        let line =
            |text: &str, prefix: &str| text.lines().find(|l| l.starts_with(prefix)).map(str::to_string);
        assert_eq!(
            line(&badging, "package:"),
            line(&before, "package:"),
            "{}",
            apk.display()
        );
        assert_eq!(
            line(&badging, "sdkVersion:"),
            line(&before, "sdkVersion:"),
            "{}",
            apk.display()
        );
        assert!(badging.contains("application-debuggable"), "{}", apk.display());
        // aapt lists permissions an old target SDK implies as uses-permission too, each
        // followed by its uses-implied-permission line.
        let implied: Vec<String> = badging
            .lines()
            .filter_map(|l| l.strip_prefix("uses-implied-permission: "))
            .filter_map(|l| l.split('\'').nth(1))
            .map(|name| format!("uses-permission: name='{name}'"))
            .collect();
        let permissions: Vec<&str> = badging
            .lines()
            .filter(|l| l.starts_with("uses-permission:") && !implied.iter().any(|i| i == l))
            .collect();
        assert_eq!(
            permissions,
            ["uses-permission: name='org.hypercompat.permission.TEST'"],
            "{}",
            apk.display()
        );
        assert!(
            tree.contains("A: android:extractNativeLibs(0x010104ea)=(type 0x12)0x0"),
            "{}\n{tree}",
            apk.display()
        );
        assert!(tree.contains("A: android:usesCleartextTraffic(0x010104ec)=(type 0x12)0x0"));
        assert!(tree.contains("A: android:debuggable(0x0101000f)=(type 0x12)0xffffffff"));
        assert_eq!(
            tree.contains("android:label("),
            aapt_dump("xmltree", &before_zip).contains("android:label("),
            "{}",
            apk.display()
        );
        // The analyzer reads the new facts too.
        let report = analyzer::report::analyze("edited.apk", &std::fs::read(&after_zip).unwrap());
        let facts = report.facts.expect("facts");
        assert_eq!(facts.package.is_some(), line(&before, "package:").is_some());
        edited += 1;
    }
    assert!(edited >= 40, "only {edited} manifests edited");
}

#[test]
fn refuses_what_it_cannot_edit() {
    assert!(XmlEditor::parse(b"").is_err());
    assert!(XmlEditor::parse(&[3, 0, 8, 0, 200, 0, 0, 0]).is_err());
    let out = corpus::default_out_dir();
    corpus::ensure_built(&out).unwrap();
    let (manifest, _) = manifest_and_arsc(&out.join("minimal.apk")).unwrap();
    let mut editor = XmlEditor::parse(&manifest).unwrap();
    let application = editor.find("manifest/application")[0];
    assert!(
        editor
            .set_android_attr(application, "noSuchAttribute", Value::Bool(true))
            .is_err()
    );
    // A node that is not an element start.
    let end = editor.nodes().len() - 1;
    assert!(
        editor
            .set_android_attr(end, "debuggable", Value::Bool(true))
            .is_err()
    );
    assert!(editor.remove_element(end).is_err());
    // Truncations never panic.
    for cut in (0..manifest.len()).step_by(7) {
        if let Ok(editor) = XmlEditor::parse(&manifest[..cut]) {
            let _ = editor.to_bytes();
        }
    }
}

/// What the `axml_edit` fuzz target checks: a document that is read is written back to the
/// same model, and so is one that was edited.
fn round_trips_with_edits(data: &[u8]) {
    let Ok(mut editor) = XmlEditor::parse(data) else {
        return;
    };
    let Ok(written) = editor.to_bytes() else { return };
    assert_eq!(XmlEditor::parse(&written).unwrap().nodes(), editor.nodes());
    let Some(first) = editor
        .nodes()
        .iter()
        .position(|n| matches!(n, migrator::axml_edit::XmlNode::Start(_)))
    else {
        return;
    };
    let _ = editor.set_android_attr(first, "debuggable", Value::Bool(true));
    let _ = editor.set_android_attr(first, "label", Value::Str("fuzz".into()));
    if let Ok(added) = editor.add_element(first, "uses-permission", &[("name", Value::Str("p".into()))]) {
        editor.remove_element(added).unwrap();
    }
    let written = editor.to_bytes().unwrap();
    assert_eq!(XmlEditor::parse(&written).unwrap().nodes(), editor.nodes());
}

#[test]
fn edited_documents_read_back_as_written() {
    // Found by the fuzzer: a reference at i32::MAX (past the pool) became "no string" when a
    // new attribute name moved the strings up.
    round_trips_with_edits(include_bytes!("data/axml-edit-crash-ref-at-i32-max.bin"));
    // Also found by it: an `id` attribute index of 65535 (past the attributes) overflowed
    // when an attribute was inserted before it.
    round_trips_with_edits(include_bytes!("data/axml-edit-crash-id-index-overflow.bin"));
    // And a document whose node walk ends before its only element: refused, since written
    // back it would have no root element.
    let no_root = include_bytes!("data/axml-edit-crash-no-root.bin");
    assert!(XmlEditor::parse(no_root).is_err());
    for apk in inputs() {
        if let Some((manifest, _)) = manifest_and_arsc(&apk) {
            round_trips_with_edits(&manifest);
        }
    }
}
