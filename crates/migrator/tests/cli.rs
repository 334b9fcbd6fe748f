//! `hyper-migrate analyze` end to end: formats, batch behaviour, inputs of every kind, and the
//! inputs it must refuse.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn hyper_migrate<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hyper-migrate"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn jsonl(output: &Output) -> Vec<Value> {
    text(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn corpus_dir() -> (PathBuf, Vec<corpus::App>) {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    (out, apps)
}

fn unzip(apk: &Path, entry: &str) -> Vec<u8> {
    let output = Command::new("unzip")
        .arg("-p")
        .arg(apk)
        .arg(entry)
        .output()
        .unwrap();
    assert!(output.status.success(), "unzip {entry}");
    output.stdout
}

#[test]
fn analyzes_the_whole_corpus_and_leaves_it_untouched() {
    let (out, apps) = corpus_dir();
    let before: Vec<Vec<u8>> = apps
        .iter()
        .map(|a| std::fs::read(a.apk_path(&out)).unwrap())
        .collect();

    let result = hyper_migrate(&[
        "analyze".as_ref(),
        "--fail-on".as_ref(),
        "never".as_ref(),
        "--format".as_ref(),
        "jsonl".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(result.status.code(), Some(0), "stderr: {}", text(&result.stderr));
    let reports = jsonl(&result);
    assert_eq!(reports.len(), apps.len());
    for app in &apps {
        let file = app.apk_path(&out).display().to_string();
        let report = reports
            .iter()
            .find(|r| r["file"] == file.as_str())
            .unwrap_or_else(|| panic!("no report for {file}"));
        assert_eq!(report["schema"], "hypercompat.report/1");
        assert!(report["error"].is_null(), "{file}: {}", report["error"]);
        let facts = &report["facts"];
        assert_eq!(facts["kind"], "apk");
        assert_eq!(
            facts["dex"].as_array().unwrap().len(),
            app.recipe.dex.len(),
            "{file}"
        );
        let mut abis: Vec<&str> = app
            .recipe
            .native
            .iter()
            .flat_map(|n| n.abis.iter().map(|a| a.dir()))
            .collect();
        abis.sort();
        abis.dedup();
        assert_eq!(facts["abis"], serde_json::json!(abis), "{file}");
        let libraries: usize = app.recipe.native.iter().map(|n| n.abis.len()).sum();
        assert_eq!(facts["native"].as_array().unwrap().len(), libraries, "{file}");
        let signing = &facts["signing"];
        assert_eq!(
            signing["present"].as_array().unwrap().is_empty(),
            app.recipe.package.sign.is_empty(),
            "{file}"
        );
        assert_eq!(signing["verified"], app.recipe.expect.verifies, "{file}");
        assert_eq!(
            facts["zip"]["compressed_arsc"], app.recipe.package.compress_arsc,
            "{file}"
        );
        assert_eq!(report["sha256"].as_str().unwrap().len(), 64);
    }

    // The text report has one block per app and the summary line; the corpus breaks rules on
    // purpose, so the default `--fail-on error` exits with 1.
    let result = hyper_migrate(&["analyze".as_ref(), out.as_os_str()]);
    assert_eq!(result.status.code(), Some(1), "stderr: {}", text(&result.stderr));
    let stdout = text(&result.stdout);
    for app in &apps {
        assert!(
            stdout.contains(&format!("{} (apk,", app.apk_path(&out).display())),
            "{}",
            app.name
        );
    }
    assert!(stdout.contains(&format!("{} file(s) read, 0 unusable", apps.len())));

    let after: Vec<Vec<u8>> = apps
        .iter()
        .map(|a| std::fs::read(a.apk_path(&out)).unwrap())
        .collect();
    assert!(before == after, "an input APK was modified");
}

#[test]
fn standalone_dex_elf_and_bundles_are_read() {
    let (out, _) = corpus_dir();
    let dir = tempfile::tempdir().unwrap();
    let apk = out.join("native-16k.apk");
    let dex = dir.path().join("classes.dex");
    std::fs::write(&dex, unzip(&apk, "classes.dex")).unwrap();
    let so = dir.path().join("libhello.so");
    std::fs::write(&so, unzip(&apk, "lib/arm64-v8a/libhello.so")).unwrap();

    // A bundle: two APKs under splits/ and a toc.pb, as bundletool writes them.
    let bundle = dir.path().join("app.apks");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&bundle).unwrap());
        let stored =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("toc.pb", stored).unwrap();
        for (name, source) in [
            ("splits/base-master.apk", "native-16k.apk"),
            ("splits/extra.apk", "minimal.apk"),
        ] {
            zip.start_file(name, stored).unwrap();
            zip.write_all(&std::fs::read(out.join(source)).unwrap()).unwrap();
        }
        zip.finish().unwrap();
    }

    let result = hyper_migrate(&[
        "analyze".as_ref(),
        "--fail-on".as_ref(),
        "never".as_ref(),
        "--format".as_ref(),
        "jsonl".as_ref(),
        apk.as_os_str(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
    let reports = jsonl(&result);
    let find = |path: &Path| {
        reports
            .iter()
            .find(|r| r["file"] == path.display().to_string().as_str())
            .unwrap_or_else(|| panic!("no report for {}", path.display()))
    };
    let apk_facts = &find(&apk)["facts"];

    let dex_facts = &find(&dex)["facts"];
    assert_eq!(dex_facts["kind"], "dex");
    let mut from_apk = apk_facts["dex"][0].clone();
    from_apk["entry"] = "classes.dex".into();
    assert_eq!(dex_facts["dex"][0], from_apk);

    let so_facts = &find(&so)["facts"];
    assert_eq!(so_facts["kind"], "elf");
    assert_eq!(so_facts["abis"], serde_json::json!(["arm64-v8a"]));
    let native = &so_facts["native"][0];
    assert_eq!(native["min_load_align"], 16384);
    assert!(native["stored"].is_null(), "placement is an APK fact");
    let in_apk = apk_facts["native"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["entry"] == "lib/arm64-v8a/libhello.so")
        .unwrap();
    assert_eq!(native["needed"], in_apk["needed"]);

    let bundle_facts = &find(&bundle)["facts"];
    assert_eq!(bundle_facts["kind"], "apks");
    assert_eq!(
        bundle_facts["package"], apk_facts["package"],
        "the first base APK"
    );
    assert_eq!(bundle_facts["splits"].as_array().unwrap().len(), 2);
    assert_eq!(bundle_facts["abis"], apk_facts["abis"]);
    let entries: Vec<&str> = bundle_facts["dex"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["entry"].as_str().unwrap())
        .collect();
    assert_eq!(
        entries,
        [
            "splits/base-master.apk!/classes.dex",
            "splits/extra.apk!/classes.dex"
        ]
    );
}

#[test]
fn json_output_is_one_object_or_an_array_and_output_files_are_atomic() {
    let (out, _) = corpus_dir();
    let one = out.join("minimal.apk");
    let two = out.join("hidden-api.apk");
    let result = hyper_migrate(&[
        "analyze".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        one.as_os_str(),
    ]);
    let single: Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(single["facts"]["package"], "org.hypercompat.corpus.minimal");

    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let result = hyper_migrate(&[
        "analyze".as_ref(),
        "--fail-on".as_ref(),
        "never".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        report.as_os_str(),
        one.as_os_str(),
        two.as_os_str(),
    ]);
    assert_eq!(result.status.code(), Some(0));
    assert!(result.stdout.is_empty());
    let array: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let files: Vec<&str> = array
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [one.display().to_string(), two.display().to_string()],
        "input order"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["report.json"], "no temporary file left behind");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&report).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o644,
            "an ordinary output file, not the temporary file's 0600"
        );
    }

    // An output that cannot be created: exit 2, one line, nothing written.
    let result = hyper_migrate(&[
        "analyze".as_ref(),
        "-o".as_ref(),
        dir.path().join("missing/report.txt").as_os_str(),
        one.as_os_str(),
    ]);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        text(&result.stderr).lines().count(),
        1,
        "{}",
        text(&result.stderr)
    );
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
    assert_refused(&text_file, "not an APK");

    let (out, _) = corpus_dir();
    let apk = std::fs::read(out.join("minimal.apk")).unwrap();
    let truncated = dir.path().join("truncated.apk");
    std::fs::write(&truncated, &apk[..apk.len() - 30]).unwrap();
    assert_refused(&truncated, "zip");

    let empty_file = dir.path().join("empty.dex");
    std::fs::write(&empty_file, b"").unwrap();
    assert_refused(&empty_file, "empty file");

    assert_refused(&dir.path().join("missing.apk"), "No such file");

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert_refused(&empty, "holds no");
}

#[test]
fn a_bad_input_does_not_stop_the_others() {
    let (out, _) = corpus_dir();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.apk");
    std::fs::write(&bad, b"PK\x03\x04 not really").unwrap();
    let good = out.join("minimal.apk");
    let result = hyper_migrate(&[
        "analyze".as_ref(),
        "--format".as_ref(),
        "jsonl".as_ref(),
        bad.as_os_str(),
        good.as_os_str(),
    ]);
    assert_eq!(result.status.code(), Some(2));
    let reports = jsonl(&result);
    assert_eq!(reports.len(), 2);
    assert!(reports[0]["error"].as_str().unwrap().contains("zip"));
    assert!(reports[0]["facts"].is_null());
    assert!(reports[1]["error"].is_null());
    assert_eq!(reports[1]["facts"]["package"], "org.hypercompat.corpus.minimal");
    let stderr = text(&result.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("bad.apk"));
}

#[test]
fn a_missing_path_or_an_empty_directory_is_an_input_that_cannot_be_read() {
    let (out, _) = corpus_dir();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.apk");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let good = out.join("minimal.apk");
    let result = hyper_migrate(&[
        "analyze".as_ref(),
        "--format".as_ref(),
        "jsonl".as_ref(),
        missing.as_os_str(),
        good.as_os_str(),
        empty.as_os_str(),
    ]);
    assert_eq!(result.status.code(), Some(2));
    let reports = jsonl(&result);
    assert_eq!(reports.len(), 3, "{}", text(&result.stdout));
    assert!(reports[0]["error"].as_str().unwrap().contains("No such file"));
    assert_eq!(reports[1]["facts"]["package"], "org.hypercompat.corpus.minimal");
    assert!(reports[2]["error"].as_str().unwrap().contains("holds no"));
    assert_eq!(
        text(&result.stderr).lines().count(),
        2,
        "{}",
        text(&result.stderr)
    );
}

#[test]
fn devices_are_refused_and_pipes_are_read() {
    // Before, /dev/zero was read until memory ran out: `timeout` turns a hang into a failure.
    let (out, _) = corpus_dir();
    let good = out.join("minimal.apk");
    let result = Command::new("timeout")
        .arg("60")
        .arg(env!("CARGO_BIN_EXE_hyper-migrate"))
        .args(["analyze", "--format", "jsonl", "/dev/zero"])
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2), "{}", text(&result.stderr));
    let reports = jsonl(&result);
    assert_eq!(reports[0]["error"], "is a device, not a file");
    assert_eq!(reports[1]["facts"]["package"], "org.hypercompat.corpus.minimal");
    // A pipe with a writer is read.
    let piped = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cat {} | {} analyze --format jsonl /dev/stdin",
            out.join("minimal.apk").display(),
            env!("CARGO_BIN_EXE_hyper-migrate")
        ))
        .output()
        .unwrap();
    assert_eq!(
        jsonl(&piped)[0]["facts"]["package"],
        "org.hypercompat.corpus.minimal"
    );
}

#[test]
fn an_interrupt_leaves_no_temporary_output_behind() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("input.apk");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // The report's file is made first; the input, a FIFO whose writer (this process: opened
    // read-write, which does not wait for the other end) says nothing, holds the run there
    // until it is interrupted.
    let writer = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .unwrap();
    let mut run = Command::new(env!("CARGO_BIN_EXE_hyper-migrate"))
        .args(["analyze", "--format", "json", "-o"])
        .arg(out.join("report.json"))
        .arg(&fifo)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The temporary report exists once the run has got as far as reading its input.
    let listed = || std::fs::read_dir(&out).unwrap().count();
    while listed() == 0 {
        std::thread::yield_now();
    }
    // SAFETY: kill takes plain values; the child is not reaped yet.
    unsafe { libc::kill(run.id() as i32, libc::SIGINT) };
    let status = run.wait().unwrap();
    drop(writer);
    assert_eq!(status.signal(), Some(libc::SIGINT));
    assert_eq!(listed(), 0, "the temporary report was removed");
}

/// `apk` rewritten (stored entries) with `change` applied to each entry's bytes.
fn rebuilt(apk: &Path, change: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(apk).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(&change(&name, bytes)).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn an_apk_android_cannot_load_is_reported_so() {
    let (out, _) = corpus_dir();
    let dir = tempfile::tempdir().unwrap();
    let minimal = out.join("minimal.apk");
    // A manifest whose string pool says it holds no string: aapt cannot name its elements,
    // and the package manager refuses the APK.
    let no_strings = dir.path().join("no-strings.apk");
    std::fs::write(
        &no_strings,
        rebuilt(&minimal, |name, mut bytes| {
            if name == "AndroidManifest.xml" {
                // The string pool chunk follows the 8-byte XML header; its string count is at 8.
                bytes[16..20].copy_from_slice(&0u32.to_le_bytes());
            }
            bytes
        }),
    )
    .unwrap();
    // An empty classes.dex: ART cannot load it.
    let empty_dex = dir.path().join("empty-dex.apk");
    std::fs::write(
        &empty_dex,
        rebuilt(
            &minimal,
            |name, bytes| if name == "classes.dex" { Vec::new() } else { bytes },
        ),
    )
    .unwrap();
    // A local header naming its entry otherwise than the central directory (the first
    // occurrence of the name is the local header's).
    let renamed = dir.path().join("renamed.apk");
    let mut bytes = rebuilt(&minimal, |_, bytes| bytes);
    let at = bytes
        .windows(19)
        .position(|w| w == b"AndroidManifest.xml")
        .unwrap();
    bytes[at + 14] = b'T';
    std::fs::write(&renamed, bytes).unwrap();
    let result = hyper_migrate(&[
        "analyze".as_ref(),
        "--format".as_ref(),
        "jsonl".as_ref(),
        no_strings.as_os_str(),
        empty_dex.as_os_str(),
        renamed.as_os_str(),
    ]);
    assert_eq!(result.status.code(), Some(2), "{}", text(&result.stderr));
    let reports = jsonl(&result);
    assert!(
        reports[0]["error"].as_str().unwrap().contains("no package name"),
        "{}",
        reports[0]
    );
    let problems = reports[1]["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["entry"] == "classes.dex" && p["reason"].as_str().unwrap().contains("not a DEX file")),
        "{}",
        reports[1]
    );
    let problems = reports[2]["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["entry"] == "AndroidManifest.xml"
            && p["reason"]
                .as_str()
                .unwrap()
                .contains("local header names it differently")),
        "{}",
        reports[2]
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let result = hyper_migrate(&["analyze"]);
    assert_eq!(result.status.code(), Some(2));
    let result = hyper_migrate(&["frobnicate"]);
    assert_eq!(result.status.code(), Some(2));
    let result = hyper_migrate(&["analyze", "--format", "yaml", "x.apk"]);
    assert_eq!(result.status.code(), Some(2));
    let result = hyper_migrate(&["analyze", "--jobs", "0", "x.apk"]);
    assert_eq!(result.status.code(), Some(2));
    let result = hyper_migrate(&["analyze", "--select", "HC9", "x.apk"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(text(&result.stderr).contains("HC9"));
    let result = hyper_migrate(&["explain", "HC0000"]);
    assert_eq!(result.status.code(), Some(2));
}

#[test]
fn fail_on_select_and_ignore_decide_the_exit_code() {
    let (out, _) = corpus_dir();
    // native-4k breaks HC3001 (error) only.
    let apk = out.join("native-4k.apk");
    let code = |extra: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = vec!["analyze".as_ref(), "--format".as_ref(), "jsonl".as_ref()];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        args.push(apk.as_os_str());
        let result = hyper_migrate(&args);
        let codes: Vec<String> = jsonl(&result)[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect();
        (result.status.code(), codes)
    };
    let (status, codes) = code(&[]);
    assert_eq!(status, Some(1));
    assert!(
        codes.iter().all(|c| c == "HC3001") && !codes.is_empty(),
        "{codes:?}"
    );
    assert_eq!(code(&["--fail-on", "never"]).0, Some(0));
    assert_eq!(code(&["--ignore", "HC3001"]), (Some(0), vec![]));
    assert_eq!(code(&["--select", "HC1,HC4"]), (Some(0), vec![]));
    assert_eq!(code(&["--select", "load-segment-alignment"]).0, Some(1));

    // A profile with 4 KB pages accepts the library.
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("4k.toml");
    let builtin = include_str!("../../analyzer/profiles/hypercompat.toml");
    std::fs::write(&profile, builtin.replace("page_size = 16384", "page_size = 4096")).unwrap();
    assert_eq!(code(&["--profile", profile.to_str().unwrap()]), (Some(0), vec![]));
    std::fs::write(&profile, "name = 1").unwrap();
    let result = hyper_migrate(&[
        "analyze".as_ref(),
        "--profile".as_ref(),
        profile.as_os_str(),
        apk.as_os_str(),
    ]);
    assert_eq!(result.status.code(), Some(2));
    assert!(
        text(&result.stderr).contains("4k.toml"),
        "{}",
        text(&result.stderr)
    );
}

#[test]
fn rules_catalogue_and_explain() {
    let result = hyper_migrate(&["rules"]);
    assert_eq!(result.status.code(), Some(0));
    let listing = text(&result.stdout);
    for rule in analyzer::rules::registry() {
        assert!(
            listing.contains(rule.code) && listing.contains(rule.name),
            "{rule:?}"
        );
        let explained = hyper_migrate(&["explain", rule.code]);
        let explained = text(&explained.stdout);
        assert!(
            explained.contains(rule.why) && explained.contains(rule.fix),
            "{rule:?}"
        );
    }
    // docs/rules.md is generated; regenerate with `hyper-migrate rules --markdown > docs/rules.md`.
    let markdown = text(&hyper_migrate(&["rules", "--markdown"]).stdout);
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md")).unwrap();
    assert!(
        markdown == committed,
        "docs/rules.md is stale: run `cargo run -p migrator -- rules --markdown > docs/rules.md`"
    );
}
