//! The DEX writer against Android's own tools: every DEX of the corpus and of the third-party
//! samples, read into the model and written back, disassembles with `baksmali` to exactly the
//! same smali as the original (baksmali names every reference symbolically, so renumbering
//! cannot hide behind it), passes `dexdump`'s checks, and keeps every table's size.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::smali;

use analyzer::dex::DexFile;
use analyzer::zip::ZipArchive;
use migrator::dex::{DexModel, write};
use sha2::Digest;

/// (label, bytes) of every `classes*.dex` in `apk`.
fn dex_entries(apk: &Path) -> Vec<(String, Vec<u8>)> {
    let data = std::fs::read(apk).unwrap();
    // Some samples are broken on purpose (truncated central directory): nothing to rewrite.
    let Ok(zip) = ZipArchive::parse(&data) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in zip.entries() {
        let name = entry.name_lossy().into_owned();
        if name.starts_with("classes") && name.ends_with(".dex") && !name.contains('/') {
            let Ok(bytes) = zip.read(entry) else { continue };
            let bytes = bytes.into_owned();
            let stem = apk.file_stem().unwrap().to_string_lossy();
            found.push((format!("{stem}!{name}"), bytes));
        }
    }
    found
}

/// Every distinct DEX file of the corpus and the samples (the apksig goldens share theirs).
fn inputs() -> Vec<(String, Vec<u8>)> {
    let mut seen = std::collections::HashSet::new();
    let mut unique = all_inputs();
    unique.retain(|(_, bytes)| seen.insert(sha2::Sha256::digest(bytes)));
    unique
}

fn all_inputs() -> Vec<(String, Vec<u8>)> {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    let mut inputs = Vec::new();
    for app in &apps {
        inputs.extend(dex_entries(&app.apk_path(&out)));
    }
    for apk in corpus::sample_apks() {
        inputs.extend(dex_entries(&apk));
    }
    let dex_dir = corpus::samples_dir().join("dex");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dex_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dex"))
        .collect();
    files.sort();
    for file in files {
        let label = file.file_name().unwrap().to_string_lossy().into_owned();
        inputs.push((label, std::fs::read(&file).unwrap()));
    }
    inputs
}

/// The table sizes `dexdump -f` prints, by name; `-i` ignores a bad checksum (the corpus has
/// an app whose DEX checksum is wrong on purpose; the rewritten file must not need it).
fn dexdump_sizes(dex: &Path, ignore_checksum: bool) -> Vec<(String, String)> {
    let mut command = Command::new("dexdump");
    command.arg("-f");
    if ignore_checksum {
        command.arg("-i");
    }
    let out = command.arg(dex).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && !String::from_utf8_lossy(&out.stderr).contains("Failure"),
        "dexdump -f {}: {text}{}",
        dex.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines()
        .filter_map(|l| {
            let (name, value) = l.split_once(':')?;
            let name = name.trim();
            (name.ends_with("_size")
                && !name.starts_with("file")
                && !name.starts_with("data")
                && name != "header_size"
                && name != "link_size")
                .then(|| {
                    (
                        name.to_string(),
                        value.trim().split(' ').next().unwrap_or("").to_string(),
                    )
                })
        })
        .collect()
}

/// Largest DEX file compared through baksmali.
const SMALI_LIMIT: usize = 2 << 20;

/// Rewrites one DEX file and checks it against the original; `Err` says why it was not
/// rewritable (a container, or a file the reader refuses).
fn check(label: &str, bytes: &[u8], case: &Path) -> Result<(), String> {
    let files = DexFile::parse_all(bytes).map_err(|err| format!("{label}: {err}"))?;
    if files.len() != 1 || files[0].header.container_size.is_some() {
        return Err(format!("{label}: container"));
    }
    let model = DexModel::read(&files[0]).map_err(|err| format!("{label}: {err}"))?;
    let written = write(&model).unwrap_or_else(|err| panic!("{label}: {err}"));
    let reread =
        DexFile::parse(&written).unwrap_or_else(|err| panic!("{label}: written file unreadable: {err}"));
    assert!(reread.checksum_matches() && reread.signature_matches(), "{label}");
    let again = write(&DexModel::read(&reread).unwrap()).unwrap();
    assert!(again == written, "{label}: writing the written file changed it");

    std::fs::create_dir_all(case).unwrap();
    let original = case.join("original.dex");
    let rewritten = case.join("rewritten.dex");
    std::fs::write(&original, bytes).unwrap();
    std::fs::write(&rewritten, &written).unwrap();
    assert_eq!(
        dexdump_sizes(&rewritten, false),
        dexdump_sizes(&original, true),
        "{label}"
    );
    // baksmali takes minutes on the multi-megabyte files under a loaded CI machine; those
    // get dexdump's structural checks above, the rest (the corpus and most samples) both.
    if bytes.len() > SMALI_LIMIT {
        std::fs::remove_dir_all(case).unwrap();
        return Ok(());
    }
    let a = smali(&original, &case.join("a"));
    let b = smali(&rewritten, &case.join("b"));
    assert_eq!(a.len(), b.len(), "{label}: class count");
    for ((path_a, text_a), (path_b, text_b)) in a.iter().zip(&b) {
        assert_eq!(path_a, path_b, "{label}");
        if text_a != text_b {
            let line = text_a.lines().zip(text_b.lines()).position(|(x, y)| x != y);
            panic!("{label}: {path_a} differs at line {line:?}");
        }
    }
    std::fs::remove_dir_all(case).unwrap();
    Ok(())
}

#[test]
fn written_dex_files_disassemble_identically_and_pass_dexdump() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = inputs();
    // baksmali is a JVM per file: two workers keep both cores busy.
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|worker| {
                let inputs = &inputs;
                let dir = dir.path();
                scope.spawn(move || {
                    inputs
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % 2 == worker)
                        .map(|(i, (label, bytes))| check(label, bytes, &dir.join(i.to_string())))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    let checked = results.iter().filter(|r| r.is_ok()).count();
    let skipped: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    eprintln!("checked {checked} distinct DEX files; not rewritable: {skipped:#?}");
    assert!(checked >= 50, "only {checked} DEX files checked");
}

/// Class descriptors `dexdump -f` lists.
fn dexdump_classes(dex: &Path) -> Vec<String> {
    let out = Command::new("dexdump").arg("-f").arg(dex).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Class descriptor  : "))
        .map(|d| d.trim_matches('\'').to_string())
        .collect()
}

#[test]
fn a_dex_past_the_method_limit_is_split_into_files_within_it() {
    let out = corpus::default_out_dir();
    corpus::ensure_built(&out).unwrap();
    let (_, bytes) = dex_entries(&out.join("dex-over-limit.apk"))
        .into_iter()
        .find(|(label, _)| label.ends_with("!classes.dex"))
        .unwrap();
    let model = DexModel::read(&DexFile::parse(&bytes).unwrap()).unwrap();
    assert!(
        model.pools.methods.len() > migrator::dex::write::MAX_REFS,
        "the fixture must be over the limit"
    );
    let files = migrator::dex::write_split(&model).unwrap();
    assert!(files.len() >= 2, "{} files", files.len());
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original.dex");
    std::fs::write(&original, &bytes).unwrap();
    let mut classes = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let path = dir.path().join(format!("part{i}.dex"));
        std::fs::write(&path, file).unwrap();
        let sizes = dexdump_sizes(&path, false);
        let methods: usize = sizes
            .iter()
            .find(|(n, _)| n == "method_ids_size")
            .unwrap()
            .1
            .parse()
            .unwrap();
        let fields: usize = sizes
            .iter()
            .find(|(n, _)| n == "field_ids_size")
            .unwrap()
            .1
            .parse()
            .unwrap();
        assert!(
            methods <= migrator::dex::write::MAX_REFS && fields <= migrator::dex::write::MAX_REFS,
            "{sizes:?}"
        );
        classes.extend(dexdump_classes(&path));
    }
    let mut expected = dexdump_classes(&original);
    expected.sort();
    classes.sort();
    assert_eq!(classes, expected, "every class lands in exactly one file");
}

/// Member lists and annotation entries out of the file's order (as a damaged or hostile file
/// may list them, and as edits leave them) are written in the order the format sorts them: the
/// output reads back to a model that writes the very same bytes. The fuzz target found the
/// writer laying code out in model order instead.
#[test]
fn the_writer_is_a_fixed_point_whatever_order_the_model_holds() {
    let out = corpus::default_out_dir();
    corpus::ensure_built(&out).unwrap();
    let (_, bytes) = dex_entries(&out.join("play-services.apk"))
        .into_iter()
        .find(|(label, _)| label.ends_with("!classes.dex"))
        .unwrap();
    let mut model = DexModel::read(&DexFile::parse(&bytes).unwrap()).unwrap();
    let mut reordered = 0;
    for class in &mut model.classes {
        reordered +=
            usize::from(class.direct_methods.len() > 1) + usize::from(class.virtual_methods.len() > 1);
        class.direct_methods.reverse();
        class.virtual_methods.reverse();
        if let Some(dir) = &mut class.annotations {
            dir.methods.reverse();
            dir.fields.reverse();
            dir.parameters.reverse();
        }
    }
    assert!(
        reordered >= 5,
        "the fixture must have classes with several methods"
    );
    let first = write(&model).unwrap();
    let second = write(&DexModel::read(&DexFile::parse(&first).unwrap()).unwrap()).unwrap();
    assert!(first == second, "writing the written file changed it");
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original.dex");
    let rewritten = dir.path().join("rewritten.dex");
    std::fs::write(&original, &bytes).unwrap();
    std::fs::write(&rewritten, &first).unwrap();
    let (a, b) = (
        smali(&original, &dir.path().join("a")),
        smali(&rewritten, &dir.path().join("b")),
    );
    assert!(a == b, "the reordered model disassembles differently");
    // A method listed twice among the parameter annotations, with different lists (a damaged
    // file's): written once, the first entry kept. The fuzz target found the writer pointing
    // both entries at the second list, which a second pass then wrote differently.
    let class = model
        .classes
        .iter_mut()
        .find(|c| !c.direct_methods.is_empty())
        .unwrap();
    let method = class.direct_methods[0].method;
    let dir = class.annotations.get_or_insert_with(Default::default);
    dir.parameters.push((method, vec![None]));
    dir.parameters.push((method, vec![Some(Vec::new())]));
    let first = write(&model).unwrap();
    let second = write(&DexModel::read(&DexFile::parse(&first).unwrap()).unwrap()).unwrap();
    assert!(
        first == second,
        "a repeated parameter-annotation entry broke the fixed point"
    );
}
