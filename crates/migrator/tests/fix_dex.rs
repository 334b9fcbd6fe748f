//! `hyper-migrate fix`'s DEX retargeting end to end on corpus apps, with baksmali, dexdump,
//! apksigner and zipalign as the oracles: the app's call sites reach the shims and nothing
//! else in the code changes, the shims define every member the app now calls, the output is
//! signed and aligned, a second fix changes nothing, and bad mappings are refused.

mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use analyzer::dex::DexFile;
use analyzer::zip::ZipArchive;
use migrator::dex::DexModel;
use migrator::dex::model::RefKind;

fn assert_android_accepts(apk: &Path) {
    let verify = Command::new("apksigner")
        .args(["verify"])
        .arg(apk)
        .output()
        .unwrap();
    assert!(verify.status.success(), "apksigner: {}", text(&verify.stderr));
    let align = Command::new("zipalign")
        .args(["-c", "-p", "4"])
        .arg(apk)
        .output()
        .unwrap();
    assert!(align.status.success(), "zipalign: {}", text(&align.stdout));
}

/// The `classes*.dex` entries of an APK, by name.
fn dex_entries(apk: &Path) -> BTreeMap<String, Vec<u8>> {
    let data = std::fs::read(apk).unwrap();
    let zip = ZipArchive::parse(&data).unwrap();
    zip.entries()
        .iter()
        .filter(|e| e.name.starts_with(b"classes") && e.name.ends_with(b".dex"))
        .map(|e| (e.name_lossy().into_owned(), zip.read(e).unwrap().into_owned()))
        .collect()
}

/// baksmali's disassembly of DEX bytes: relative path → text.
fn smali_of(dex: &[u8], dir: &Path) -> BTreeMap<String, String> {
    std::fs::create_dir_all(dir).unwrap();
    let file = dir.join("in.dex");
    std::fs::write(&file, dex).unwrap();
    smali(&file, &dir.join("out"))
}

fn dexdump_ok(dex: &[u8], dir: &Path) -> String {
    let file = dir.join("check.dex");
    std::fs::write(&file, dex).unwrap();
    let out = Command::new("dexdump").arg("-d").arg(&file).output().unwrap();
    assert!(
        out.status.success() && !text(&out.stderr).contains("Failure"),
        "dexdump: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn shim_bytes(bundle: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("shims/{bundle}.dex"));
    std::fs::read(path).unwrap()
}

/// Every method the shim bundles define, as `Lclass;->name(params)return`.
fn shim_methods(bundles: &[&str]) -> BTreeSet<String> {
    let mut defined = BTreeSet::new();
    for bundle in bundles {
        let bytes = shim_bytes(bundle);
        let model = DexModel::read(&DexFile::parse(&bytes).unwrap()).unwrap();
        for class in &model.classes {
            for method in class.methods() {
                defined.insert(model.pools.method_signature(method.method));
            }
        }
    }
    defined
}

/// The built-in mapping's `[types]`, read from its file (not from the code under test).
fn type_mapping(map: &str) -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("maps/{map}.toml"));
    let value: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    value["types"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(from, to)| (from.clone(), to.as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn play_services_call_sites_reach_the_shims_and_nothing_else_changes() {
    let input = corpus_apk("play-services");
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("fixed.apk");
    let result = fix(&input, &output, &[]);
    let stdout = text(&result.stdout);
    assert!(result.status.success(), "{}", text(&result.stderr));
    assert!(
        stdout.contains("mapping gms-location:") && stdout.contains("mapping firebase-messaging:"),
        "{stdout}"
    );
    assert_android_accepts(&output);

    let before = dex_entries(&input);
    let after = dex_entries(&output);
    // The shim bundles arrive as the next DEX files, byte for byte as assembled.
    assert_eq!(before.len(), 1, "the corpus app has one DEX");
    assert_eq!(after.len(), 4, "{:?}", after.keys());
    assert_eq!(after["classes2.dex"], shim_bytes("gms-tasks"));
    assert_eq!(after["classes3.dex"], shim_bytes("gms-location"));
    assert_eq!(after["classes4.dex"], shim_bytes("firebase-messaging"));
    for bytes in after.values() {
        dexdump_ok(bytes, dir.path());
    }

    // Undo the renaming in baksmali's text of the output: what remains must be the input's
    // text exactly, class by class (the vendor library's own classes are untouched).
    let mut renames = type_mapping("gms-location");
    renames.extend(type_mapping("firebase-messaging"));
    let original = smali_of(&before["classes.dex"], &dir.path().join("a"));
    let fixed = smali_of(&after["classes.dex"], &dir.path().join("b"));
    assert_eq!(
        original.keys().collect::<Vec<_>>(),
        fixed.keys().collect::<Vec<_>>()
    );
    let mut app_classes_changed = 0;
    for (path, text_after) in &fixed {
        let mut undone = text_after.clone();
        for (from, to) in &renames {
            undone = undone.replace(to.as_str(), from.as_str());
        }
        assert_eq!(
            &undone, &original[path],
            "{path}: differs beyond the mapped types"
        );
        if undone != *text_after {
            assert!(
                path.starts_with("org/hypercompat/corpus/"),
                "{path}: vendor code was rewritten"
            );
            app_classes_changed += 1;
        }
    }
    assert!(
        app_classes_changed >= 4,
        "only {app_classes_changed} app classes retargeted"
    );

    // Every shim member the app's code now names is defined by the shims.
    let defined = shim_methods(&["gms-tasks", "gms-location", "firebase-messaging"]);
    let model = DexModel::read(&DexFile::parse(&after["classes.dex"]).unwrap()).unwrap();
    let mut calls = 0;
    for class in &model.classes {
        if !model
            .pools
            .type_descriptor(class.type_)
            .starts_with("Lorg/hypercompat/corpus/")
        {
            continue;
        }
        for code in class.methods().filter_map(|m| m.code.as_ref()) {
            for r in code.refs.iter().filter(|r| r.kind == RefKind::Method) {
                let signature = model.pools.method_signature(r.index);
                assert!(
                    !signature.starts_with("Lcom/google/"),
                    "app code still calls {signature}"
                );
                if signature.starts_with("Lorg/hypercompat/shim/") {
                    assert!(defined.contains(&signature), "no shim defines {signature}");
                    calls += 1;
                }
            }
        }
    }
    assert!(calls >= 15, "only {calls} calls into the shims");

    // A second fix finds nothing to retarget and gives the same bytes.
    let again = dir.path().join("again.apk");
    let result = fix(&output, &again, &[]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    assert!(
        !text(&result.stdout).contains("DEX retargeting"),
        "{}",
        text(&result.stdout)
    );
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&output).unwrap());
}

#[test]
fn hidden_api_calls_with_public_equivalents_are_retargeted_and_the_rest_reported() {
    let input = corpus_apk("hidden-api");
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("fixed.apk");
    let result = fix(&input, &output, &[]);
    let stdout = text(&result.stdout);
    assert!(result.status.success(), "{}", text(&result.stderr));
    assert_android_accepts(&output);
    let mapped = [
        (
            "Landroid/os/Trace;->traceBegin",
            "Lorg/hypercompat/shim/hidden/Trace;->traceBegin",
        ),
        (
            "Landroid/os/Trace;->traceEnd",
            "Lorg/hypercompat/shim/hidden/Trace;->traceEnd",
        ),
        (
            "Landroid/os/Trace;->isTagEnabled",
            "Lorg/hypercompat/shim/hidden/Trace;->isTagEnabled",
        ),
        (
            "Landroid/app/ActivityThread;->currentProcessName",
            "Lorg/hypercompat/shim/hidden/Processes;->currentProcessName",
        ),
        (
            "Landroid/os/UserHandle;->getUserId",
            "Lorg/hypercompat/shim/hidden/Processes;->getUserId",
        ),
    ];
    assert!(
        stdout.contains(&format!("fixed: HC2008 ({} finding(s))", mapped.len())),
        "{stdout}"
    );

    let report = Command::new(bin())
        .args(["analyze", "--format", "json"])
        .arg(&output)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "HC2008" || f["code"] == "HC2007")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    for (from, _) in mapped {
        assert!(
            !messages.iter().any(|m| m.contains(from)),
            "{from} still reported"
        );
    }
    assert!(
        messages.iter().any(|m| m.contains("currentApplication")),
        "the rest must stay reported"
    );

    // The disassembly differs in exactly the retargeted calls.
    let before = dex_entries(&input);
    let after = dex_entries(&output);
    assert_eq!(after["classes2.dex"], shim_bytes("hidden-api"));
    let original = smali_of(&before["classes.dex"], &dir.path().join("a"));
    let fixed = smali_of(&after["classes.dex"], &dir.path().join("b"));
    let mut differing = 0;
    for (path, text_after) in &fixed {
        for (a, b) in original[path].lines().zip(text_after.lines()) {
            if a != b {
                let (from, to) = mapped
                    .iter()
                    .find(|(from, _)| a.contains(from))
                    .unwrap_or_else(|| panic!("unexpected change:\n{a}\n{b}"));
                assert_eq!(a.replace(from, to), b);
                differing += 1;
            }
        }
    }
    assert_eq!(differing, mapped.len());
    let defined = shim_methods(&["hidden-api"]);
    for (_, to) in mapped {
        assert!(
            defined.iter().any(|m| m.starts_with(to)),
            "{to} not defined by the shim"
        );
    }
}

#[test]
fn a_mapping_file_can_turn_a_virtual_call_into_a_static_one() {
    let input = corpus_apk("hidden-api");
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("tostring.toml");
    std::fs::write(
        &map,
        r#"name = "tostring"
[methods]
"Ljava/lang/StringBuilder;->toString()Ljava/lang/String;" = { to = "Ljava/lang/String;->valueOf(Ljava/lang/Object;)Ljava/lang/String;", receiver = true }
"#,
    )
    .unwrap();
    let output = dir.path().join("fixed.apk");
    // Without the hidden-API rules the built-in mapping stays out of the way.
    let result = fix(
        &input,
        &output,
        &["--map", map.to_str().unwrap(), "--ignore", "HC2007,HC2008"],
    );
    assert!(result.status.success(), "{}", text(&result.stderr));
    assert!(
        !text(&result.stdout).contains("hidden-api"),
        "{}",
        text(&result.stdout)
    );
    assert_android_accepts(&output);
    let count = |dump: &str, what: &str| dump.lines().filter(|l| l.contains(what)).count();
    let before = dexdump_ok(&dex_entries(&input)["classes.dex"], dir.path());
    let after_entries = dex_entries(&output);
    assert_eq!(after_entries.len(), 1, "a mapping without shims adds no DEX file");
    let after = dexdump_ok(&after_entries["classes.dex"], dir.path());
    let to_string = "invoke-virtual {v0}, Ljava/lang/StringBuilder;.toString:()Ljava/lang/String;";
    let value_of = "invoke-static {v0}, Ljava/lang/String;.valueOf:(Ljava/lang/Object;)Ljava/lang/String;";
    let calls = count(&before, "Ljava/lang/StringBuilder;.toString:()");
    assert!(calls >= 2, "{calls}");
    assert_eq!(count(&after, "Ljava/lang/StringBuilder;.toString:()"), 0);
    assert_eq!(
        count(&after, "Ljava/lang/String;.valueOf:(Ljava/lang/Object;)"),
        count(&before, "Ljava/lang/String;.valueOf:(Ljava/lang/Object;)") + calls
    );
    // Same registers, opcode 0x6e became 0x71.
    assert_eq!(
        count(&after, value_of),
        count(&before, value_of) + count(&before, to_string)
    );
}

#[test]
fn bad_mappings_exit_2_with_one_line() {
    let input = corpus_apk("hidden-api");
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        path.display().to_string()
    };
    let cases = [
        "no-such-mapping".to_string(),
        write("syntax.toml", "name = \n"),
        write("unknown-key.toml", "name = \"x\"\nfrom = 1\n"),
        write("bad-type.toml", "name = \"x\"\n[types]\n\"Lfoo\" = \"La;\"\n"),
        write(
            "shape.toml",
            "name = \"x\"\n[methods]\n\"La;->f(J)V\" = \"Lb;->f(I)V\"\n",
        ),
        write("shims.toml", "name = \"x\"\nshims = [\"nope\"]\n"),
    ];
    for case in cases {
        let output = dir.path().join("out.apk");
        let result = fix(&input, &output, &["--map", &case]);
        let stderr = text(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{case}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{case}: {stderr}");
        assert!(!output.exists(), "{case}: output written");
    }
}
