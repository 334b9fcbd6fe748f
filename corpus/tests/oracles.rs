//! Every corpus APK checked by Android's own tools (aapt, apksigner, dexdump, zipalign) and
//! binutils (readelf, objdump): each app's recipe and what the tools say must agree.
//!
//! The corpus is built (or found current) in `target/corpus/` once per test run.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use corpus::App;
use corpus::recipe::{Abi, Alignment, Corruption, Scheme};

struct Built {
    out: PathBuf,
    apps: Vec<App>,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = corpus::default_out_dir();
        let apps = corpus::ensure_built(&out).unwrap_or_else(|err| panic!("building the corpus: {err}"));
        Built { out, apps }
    })
}

struct Output {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn run(program: &str, args: &[&str], file: &Path) -> Output {
    let output = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|err| panic!("running {program}: {err}"));
    Output {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `check` on every app and fails once with every app's problems listed.
fn for_each_app(check: impl Fn(&App, &Path) -> Vec<String>) {
    let built = built();
    let problems: Vec<String> = built
        .apps
        .iter()
        .flat_map(|app| {
            check(app, &app.apk_path(&built.out))
                .into_iter()
                .map(move |p| format!("{}: {p}", app.name))
        })
        .collect();
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The entries of an APK read with the `zip` crate, independent of our own reader.
fn entries(apk: &Path) -> Vec<(String, bool, Vec<u8>)> {
    let file = std::fs::File::open(apk).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            let stored = entry.compression() == zip::CompressionMethod::Stored;
            (entry.name().to_string(), stored, bytes)
        })
        .collect()
}

/// Writes entries whose name satisfies `keep` into a temp dir, for tools that take files.
fn extract(apk: &Path, keep: impl Fn(&str) -> bool) -> (tempfile::TempDir, Vec<(String, PathBuf)>) {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, _, bytes) in entries(apk) {
        if keep(&name) {
            let path = dir.path().join(name.replace('/', "__"));
            std::fs::write(&path, bytes).unwrap();
            files.push((name, path));
        }
    }
    (dir, files)
}

struct SourceManifest {
    package: String,
    min_sdk: u32,
    target_sdk: u32,
}

fn source_manifest(app: &App) -> SourceManifest {
    let text = std::fs::read_to_string(app.dir.join("AndroidManifest.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let android = "http://schemas.android.com/apk/res/android";
    let root = doc.root_element();
    let uses_sdk = root.children().find(|n| n.has_tag_name("uses-sdk"));
    let sdk = |attr: &str| {
        uses_sdk
            .and_then(|n| n.attribute((android, attr)))
            .map(|v| v.parse::<u32>().unwrap())
    };
    let min_sdk = sdk("minSdkVersion").unwrap_or(1);
    SourceManifest {
        package: root.attribute("package").unwrap().to_string(),
        min_sdk,
        target_sdk: sdk("targetSdkVersion").unwrap_or(min_sdk),
    }
}

/// The value of `key:'value'` or `key='value'` in `aapt dump badging` output.
fn badging_value(badging: &str, key: &str) -> Option<String> {
    let start = badging
        .find(&format!("{key}:'"))
        .map(|i| i + key.len() + 2)
        .or_else(|| badging.find(&format!(" {key}='")).map(|i| i + key.len() + 3))?;
    let rest = &badging[start..];
    Some(rest[..rest.find('\'')?].to_string())
}

#[test]
fn aapt_badging_shows_the_declared_package_and_sdk_levels() {
    for_each_app(|app, apk| {
        let manifest = source_manifest(app);
        let badging = run("aapt", &["dump", "badging"], apk);
        let mut problems = Vec::new();
        // Android's zip reader (libziparchive, in aapt) refuses an archive with a duplicated
        // name, as the platform does: for an app built with one, the refusal is the answer.
        let duplicated = app.recipe.exercises.iter().any(|e| e == "duplicate-entries");
        if duplicated {
            if badging.ok || !badging.stderr.contains("Found duplicate entry") {
                problems.push(format!(
                    "aapt should refuse the duplicate entry: {}",
                    badging.stderr.trim()
                ));
            }
            return problems;
        }
        if !badging.ok {
            return vec![format!("aapt dump badging failed: {}", badging.stderr.trim())];
        }
        let found = |key| badging_value(&badging.stdout, key);
        if manifest.package != app.package_name() {
            problems.push(format!(
                "manifest package {} breaks the naming convention",
                manifest.package
            ));
        }
        if found("name") != Some(manifest.package.clone()) {
            problems.push(format!(
                "package {:?}, manifest says {}",
                found("name"),
                manifest.package
            ));
        }
        if found("sdkVersion") != Some(manifest.min_sdk.to_string()) {
            problems.push(format!(
                "sdkVersion {:?}, manifest says {}",
                found("sdkVersion"),
                manifest.min_sdk
            ));
        }
        if found("targetSdkVersion") != Some(manifest.target_sdk.to_string()) {
            problems.push(format!(
                "targetSdkVersion {:?}, manifest says {}",
                found("targetSdkVersion"),
                manifest.target_sdk
            ));
        }
        // Apps tagged `no-launcher` are built without one on purpose.
        let launcher_expected = !app.recipe.exercises.iter().any(|e| e == "no-launcher");
        if badging.stdout.contains("launchable-activity:") != launcher_expected {
            problems.push(format!("launchable activity present: {}", !launcher_expected));
        }
        problems
    });
}

#[test]
fn apksigner_verdicts_match_the_recipes() {
    for_each_app(|app, apk| {
        let verify = run("apksigner", &["verify", "-v"], apk);
        let expect = &app.recipe.expect;
        let mut problems = Vec::new();
        if verify.ok != expect.verifies {
            problems.push(format!(
                "apksigner verify {} but the recipe expects it to {}: {}",
                if verify.ok { "succeeds" } else { "fails" },
                if expect.verifies { "succeed" } else { "fail" },
                verify.stderr.trim()
            ));
        }
        let verified: Vec<Scheme> = Scheme::ALL
            .into_iter()
            .filter(|s| {
                verify.stdout.lines().any(|l| {
                    l.starts_with(&format!("Verified using {}", s.apksigner_label())) && l.ends_with(": true")
                })
            })
            .collect();
        let mut expected = expect.schemes.clone();
        expected.sort();
        if verify.ok && verified != expected {
            problems.push(format!(
                "verified schemes {verified:?}, recipe expects {expected:?}"
            ));
        }
        problems
    });
}

#[test]
fn zipalign_check_matches_the_recipes() {
    for_each_app(|app, apk| {
        let page = run("zipalign", &["-c", "-p", "4"], apk).ok;
        let four = run("zipalign", &["-c", "4"], apk).ok;
        let found = match (page, four) {
            (true, true) => Alignment::Page,
            (false, true) => Alignment::Four,
            (_, false) => Alignment::None,
        };
        if found == app.recipe.expect.zipalign {
            vec![]
        } else {
            vec![format!(
                "zipalign says {found:?}, recipe expects {:?}",
                app.recipe.expect.zipalign
            )]
        }
    });
}

/// DEX version smali writes for an API level.
fn dex_version_for_api(api: u32) -> &'static str {
    match api {
        0..=23 => "035",
        24..=25 => "037",
        26..=27 => "038",
        _ => "039",
    }
}

#[test]
fn dexdump_parses_every_dex_with_the_recipe_versions() {
    for_each_app(|app, apk| {
        let (_dir, dexes) = extract(apk, |name| name.starts_with("classes") && name.ends_with(".dex"));
        let mut problems = Vec::new();
        if dexes.len() != app.recipe.dex.len() {
            problems.push(format!(
                "{} DEX files, recipe has {}",
                dexes.len(),
                app.recipe.dex.len()
            ));
        }
        for (index, spec) in app.recipe.dex.iter().enumerate() {
            let name = dex_entry_name(index);
            let Some((_, path)) = dexes.iter().find(|(n, _)| *n == name) else {
                problems.push(format!("{name} missing"));
                continue;
            };
            // A DEX whose checksum the recipe corrupts is refused unless dexdump is told to
            // ignore checksums (-i); the checksum itself is the next test's business.
            let args: &[&str] = if spec.corrupt.is_some() {
                &["-i", "-f"]
            } else {
                &["-f"]
            };
            let dump = run("dexdump", args, path);
            if !dump.ok || dump.stderr.contains("Failure") {
                problems.push(format!("dexdump -f {name}: {}", dump.stderr.trim()));
            }
            let version = format!("DEX version '{}'", dex_version_for_api(spec.api));
            if !dump.stdout.contains(&version) {
                problems.push(format!("{name}: expected {version}"));
            }
        }
        problems
    });
}

#[test]
fn dexdump_checksum_verdicts_match_the_recipes() {
    // `dexdump -c` verifies the header's Adler-32 checksum as the runtime does when it opens
    // a DEX file: only the DEX files whose recipe corrupts the checksum may fail it.
    for_each_app(|app, apk| {
        let (_dir, dexes) = extract(apk, |name| name.starts_with("classes") && name.ends_with(".dex"));
        let mut problems = Vec::new();
        for (index, spec) in app.recipe.dex.iter().enumerate() {
            let name = dex_entry_name(index);
            let Some((_, path)) = dexes.iter().find(|(n, _)| *n == name) else {
                problems.push(format!("{name} missing"));
                continue;
            };
            let check = run("dexdump", &["-c"], path);
            let verified = check.ok && check.stdout.contains("Checksum verified");
            let expected = spec.corrupt != Some(Corruption::Checksum);
            if verified != expected {
                problems.push(format!(
                    "{name}: dexdump -c verified={verified}, recipe expects {expected}: {}",
                    check.stderr.trim()
                ));
            }
            if !expected && !check.stderr.contains("Bad checksum") {
                problems.push(format!("{name}: dexdump -c does not say `Bad checksum`"));
            }
        }
        problems
    });
    let corrupted = built()
        .apps
        .iter()
        .flat_map(|app| &app.recipe.dex)
        .filter(|d| d.corrupt.is_some())
        .count();
    assert!(corrupted >= 1, "no corpus DEX has a corrupted checksum");
}

/// `classes.dex`, `classes2.dex`, ... for the recipe's DEX at `index`.
fn dex_entry_name(index: usize) -> String {
    if index == 0 {
        "classes.dex".to_string()
    } else {
        format!("classes{}.dex", index + 1)
    }
}

/// `<key>_ids_size` (e.g. `method`) of each of an APK's DEX files, from `dexdump -i -f`
/// (`-i`: a corrupted checksum does not hide the counts).
fn ids(apk: &Path, key: &str) -> Vec<u64> {
    let field = format!("{key}_ids_size");
    let (_dir, dexes) = extract(apk, |name| name.starts_with("classes") && name.ends_with(".dex"));
    dexes
        .iter()
        .map(|(_, path)| {
            let dump = run("dexdump", &["-i", "-f"], path);
            dump.stdout
                .lines()
                .find_map(|l| l.strip_prefix(field.as_str()))
                .and_then(|rest| rest.trim_start_matches([' ', ':']).trim().parse().ok())
                .unwrap_or_else(|| panic!("no {field} in dexdump -f of {}", path.display()))
        })
        .collect()
}

/// Sum and maximum of `method_ids_size` over an APK's DEX files, from `dexdump -f`.
fn method_ids(apk: &Path) -> (u64, u64) {
    let counts = ids(apk, "method");
    (counts.iter().sum(), counts.iter().copied().max().unwrap_or(0))
}

#[test]
fn native_libraries_match_the_recipes() {
    for_each_app(|app, apk| {
        let mut problems = Vec::new();
        let all = entries(apk);
        let libs: Vec<&(String, bool, Vec<u8>)> =
            all.iter().filter(|(n, _, _)| n.starts_with("lib/")).collect();
        let expected: usize = app.recipe.native.iter().map(|l| l.abis.len()).sum();
        if libs.len() != expected {
            problems.push(format!("{} native libraries, recipe has {expected}", libs.len()));
        }
        let (_dir, files) = extract(apk, |name| name.starts_with("lib/"));
        for spec in &app.recipe.native {
            for &abi in &spec.abis {
                let entry = format!("lib/{}/{}", abi.dir(), spec.name);
                let Some((_, stored, _)) = all.iter().find(|(n, _, _)| *n == entry) else {
                    problems.push(format!("{entry} missing"));
                    continue;
                };
                if *stored == app.recipe.package.compress_native {
                    problems.push(format!(
                        "{entry}: stored={stored}, recipe compress_native={}",
                        app.recipe.package.compress_native
                    ));
                }
                let path = &files.iter().find(|(n, _)| *n == entry).unwrap().1;
                let header = run("readelf", &["-hW"], path).stdout;
                let machine = match abi {
                    Abi::Arm64V8a => "AArch64",
                    Abi::ArmeabiV7a => "ARM",
                    Abi::X86_64 => "X86-64",
                };
                if !header
                    .lines()
                    .any(|l| l.contains("Machine:") && l.contains(machine))
                {
                    problems.push(format!("{entry}: readelf machine is not {machine}"));
                }
                let segments = run("readelf", &["-lW"], path).stdout;
                let aligns: Vec<u64> = segments
                    .lines()
                    .filter(|l| l.trim_start().starts_with("LOAD"))
                    .filter_map(|l| l.split_whitespace().last())
                    .map(|a| u64::from_str_radix(a.trim_start_matches("0x"), 16).unwrap())
                    .collect();
                if aligns.is_empty() || aligns.iter().any(|&a| a != u64::from(spec.page_size)) {
                    problems.push(format!(
                        "{entry}: PT_LOAD alignments {aligns:?}, recipe page_size {}",
                        spec.page_size
                    ));
                }
                let dynamic = run("readelf", &["-dW"], path).stdout;
                let needed: BTreeSet<String> = dynamic
                    .lines()
                    .filter(|l| l.contains("(NEEDED)"))
                    .filter_map(|l| Some(l.split('[').nth(1)?.trim_end_matches(']').to_string()))
                    .collect();
                let wanted: BTreeSet<String> = spec.link.iter().map(|l| format!("lib{l}.so")).collect();
                // `-lX` in `flags` links the toolchain's own library, whose soname may carry a
                // version (`libc.so.6`).
                let from_flags: Vec<String> = spec
                    .flags
                    .iter()
                    .filter_map(|f| f.strip_prefix("-l"))
                    .map(|l| format!("lib{l}.so"))
                    .collect();
                let explained = |n: &String| {
                    wanted.contains(n)
                        || from_flags
                            .iter()
                            .any(|f| n == f || n.strip_prefix(f.as_str()).is_some_and(|v| v.starts_with('.')))
                };
                let all_found = wanted.iter().all(|w| needed.contains(w))
                    && from_flags
                        .iter()
                        .all(|f| needed.iter().any(|n| n.starts_with(f.as_str())));
                if !all_found || !needed.iter().all(explained) {
                    problems.push(format!(
                        "{entry}: DT_NEEDED {needed:?}, recipe links {wanted:?} and flags {from_flags:?}"
                    ));
                }
            }
        }
        problems
    });
}

#[test]
fn resources_arsc_compression_matches_the_recipes() {
    for_each_app(|app, apk| {
        let all = entries(apk);
        match all.iter().find(|(n, _, _)| n == "resources.arsc") {
            None => vec!["no resources.arsc".into()],
            Some((_, stored, _)) if *stored == app.recipe.package.compress_arsc => {
                vec![format!(
                    "resources.arsc stored={stored}, recipe compress_arsc={}",
                    app.recipe.package.compress_arsc
                )]
            }
            Some(_) => vec![],
        }
    });
}

/// Each capability the corpus must cover: the recipe tag that claims it, and a check by a
/// real tool that the built APK really has it.
type Capability = (&'static str, fn(&App, &Path) -> Result<(), String>);

fn dexdump_all(apk: &Path) -> String {
    let (_dir, dexes) = extract(apk, |name| name.ends_with(".dex"));
    dexes
        .iter()
        .map(|(_, path)| run("dexdump", &["-d"], path).stdout)
        .collect()
}

fn xmltree(apk: &Path) -> String {
    let out = Command::new("aapt")
        .args(["dump", "xmltree"])
        .arg(apk)
        .arg("AndroidManifest.xml")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Info-ZIP's `zipinfo -v` view of the central directory: each entry's name and the offset
/// of its local header, in directory order. Info-ZIP lists every record as it is, duplicates,
/// unsafe names and shared local headers included.
fn zipinfo_entries(apk: &Path) -> Vec<(String, u64)> {
    let text = run("zipinfo", &["-v"], apk).stdout;
    let mut entries = Vec::new();
    // Within an entry's section the name is the last text line before the local header
    // offset (after the dashes, and after a note such as "There are an extra 2 bytes
    // preceding this file." that zipinfo prints for zipalign's padding).
    let mut name: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("Central directory entry #") {
            name = Some(String::new());
        } else if let Some(value) = trimmed.strip_prefix("offset of local header from start of archive:") {
            let offset = value.split_whitespace().next().and_then(|v| v.parse().ok());
            if let (Some(n), Some(offset)) = (name.take(), offset) {
                entries.push((n, offset));
            }
        } else if let Some(n) = name.as_mut()
            && !trimmed.is_empty()
            && !trimmed.starts_with('-')
        {
            *n = trimmed.to_string();
        }
    }
    entries
}

fn require(ok: bool, what: &str) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what.to_string()) }
}

fn elf_report(apk: &Path, args: &[&str]) -> Vec<(String, String)> {
    let (_dir, files) = extract(apk, |name| name.ends_with(".so"));
    files
        .iter()
        .map(|(name, path)| (name.clone(), run("readelf", args, path).stdout))
        .collect()
}

fn has_load_alignment(apk: &Path, align: &str) -> bool {
    elf_report(apk, &["-lW"]).iter().any(|(_, text)| {
        text.lines()
            .filter(|l| l.trim_start().starts_with("LOAD"))
            .all(|l| l.ends_with(align))
    })
}

const CAPABILITIES: &[Capability] = &[
    ("clean", |_, apk| {
        require(
            run("apksigner", &["verify"], apk).ok && run("zipalign", &["-c", "-p", "4"], apk).ok,
            "verifies and is aligned",
        )
    }),
    ("hidden-api", |_, apk| {
        // Members of these classes are non-SDK on every release; each app tagged hidden-api
        // must reach at least one of them.
        let dump = dexdump_all(apk);
        require(
            [
                "com.android.internal",
                "Landroid/app/ActivityThread;",
                "android.os.ServiceManager",
                "Landroid/os/SystemProperties;",
            ]
            .iter()
            .any(|needle| dump.contains(needle)),
            "a reference to a non-SDK framework class",
        )
    }),
    ("reflection", |_, apk| {
        let dump = dexdump_all(apk);
        require(
            dump.contains("Ljava/lang/Class;.forName:")
                && (dump.contains("Ljava/lang/Class;.getDeclaredMethod:")
                    || dump.contains("Ljava/lang/Class;.getMethod:")),
            "Class.forName + getDeclaredMethod/getMethod call sites",
        )
    }),
    ("dynamic-code-loading", |_, apk| {
        let dump = dexdump_all(apk);
        require(
            dump.contains("Ldalvik/system/DexClassLoader;.<init>:")
                && dump.contains("Ljava/lang/System;.load:"),
            "DexClassLoader and System.load call sites",
        )
    }),
    ("multidex", |_, apk| {
        require(
            entries(apk)
                .iter()
                .any(|(n, _, _)| n == "classes3.dex" || n == "classes2.dex"),
            "classes2.dex",
        )
    }),
    ("method-limit", |_, apk| {
        let (total, max) = method_ids(apk);
        require(
            total > 65_536 && max <= 65_536,
            &format!("{total} method ids in all, at most {max} in one DEX"),
        )
    }),
    ("dex-reference-limit", |_, apk| {
        // One DEX file past what a 16-bit index addresses, in methods and in fields.
        let methods = ids(apk, "method");
        let fields = ids(apk, "field");
        require(
            methods
                .iter()
                .zip(&fields)
                .any(|(&m, &f)| m > 65_536 && f > 65_536),
            &format!("one DEX with more than 65,536 method and field ids: {methods:?} {fields:?}"),
        )
    }),
    ("dex-checksum", |_, apk| {
        let (_dir, dexes) = extract(apk, |name| name.starts_with("classes") && name.ends_with(".dex"));
        let bad = dexes
            .iter()
            .filter(|(_, path)| run("dexdump", &["-c"], path).stderr.contains("Bad checksum"))
            .count();
        require(
            bad >= 1 && bad < dexes.len(),
            &format!(
                "some but not all DEX files failing `dexdump -c` ({bad} of {})",
                dexes.len()
            ),
        )
    }),
    ("page-size-4k", |_, apk| {
        require(
            has_load_alignment(apk, "0x1000"),
            "a library with 4 KiB PT_LOAD alignment",
        )
    }),
    ("page-size-16k", |_, apk| {
        require(
            has_load_alignment(apk, "0x4000"),
            "a library with 16 KiB PT_LOAD alignment",
        )
    }),
    ("private-native-library", |_, apk| {
        require(
            elf_report(apk, &["-dW"])
                .iter()
                .any(|(_, t)| t.contains("[libcutils.so]") || t.contains("[libutils.so]")),
            "DT_NEEDED on libcutils.so or libutils.so",
        )
    }),
    ("text-relocations", |_, apk| {
        require(
            elf_report(apk, &["-d"])
                .iter()
                .any(|(_, text)| text.contains("(TEXTREL)")),
            "a library with a TEXTREL dynamic entry (readelf -d)",
        )
    }),
    ("executable-stack", |_, apk| {
        require(
            elf_report(apk, &["-lW"]).iter().any(|(_, text)| {
                text.lines()
                    .any(|l| l.trim_start().starts_with("GNU_STACK") && l.contains("RWE"))
            }),
            "a library whose GNU_STACK is RWE (readelf -lW)",
        )
    }),
    ("raw-syscall", |_, apk| {
        let (_dir, files) = extract(apk, |name| name.ends_with(".so"));
        let found = files.iter().any(|(name, path)| {
            let objdump = if name.contains("arm64") {
                "aarch64-linux-gnu-objdump"
            } else if name.contains("armeabi") {
                "arm-linux-gnueabihf-objdump"
            } else {
                "objdump"
            };
            let text = run(objdump, &["-d"], path).stdout;
            text.lines()
                .any(|l| l.contains("\tsvc\t") || l.contains("\tsyscall"))
        });
        require(found, "an svc/syscall instruction in a library")
    }),
    ("32-bit-only", |_, apk| {
        let reports = elf_report(apk, &["-hW"]);
        require(
            !reports.is_empty() && reports.iter().all(|(_, t)| t.contains("ELF32")),
            "only ELF32 libraries",
        )
    }),
    ("stored-native-misaligned", |_, apk| {
        let stored_so = entries(apk)
            .iter()
            .any(|(n, stored, _)| n.ends_with(".so") && *stored);
        require(
            stored_so
                && !run("zipalign", &["-c", "-p", "4"], apk).ok
                && xmltree(apk).contains("extractNativeLibs(0x010104ea)=(type 0x12)0x0"),
            "stored .so, not page-aligned, extractNativeLibs=false",
        )
    }),
    ("compressed-resources-arsc", |_, apk| {
        let badging = run("aapt", &["dump", "badging"], apk).stdout;
        let target: u32 = badging_value(&badging, "targetSdkVersion")
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        let compressed = entries(apk)
            .iter()
            .any(|(n, stored, _)| n == "resources.arsc" && !stored);
        require(
            compressed && target >= 30,
            "deflated resources.arsc with targetSdk >= 30",
        )
    }),
    ("sign-v1-only", |_, apk| {
        let out = run("apksigner", &["verify", "-v"], apk).stdout;
        require(
            out.contains("v1 scheme (JAR signing): true")
                && out.contains("v2 scheme (APK Signature Scheme v2): false")
                && out.contains("v3 scheme (APK Signature Scheme v3): false"),
            "v1 only",
        )
    }),
    ("sign-v2-v3", |_, apk| {
        let out = run("apksigner", &["verify", "-v"], apk).stdout;
        require(
            out.contains("v1 scheme (JAR signing): false")
                && out.contains("v2 scheme (APK Signature Scheme v2): true")
                && out.contains("v3 scheme (APK Signature Scheme v3): true"),
            "v2 and v3, no v1",
        )
    }),
    ("unsigned", |_, apk| {
        require(
            !run("apksigner", &["verify"], apk).ok
                && !entries(apk).iter().any(|(n, _, _)| n.starts_with("META-INF/")),
            "no signature at all",
        )
    }),
    ("missing-v1-for-min-sdk", |_, apk| {
        let badging = run("aapt", &["dump", "badging"], apk).stdout;
        let min: u32 = badging_value(&badging, "sdkVersion")
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        let has_v1 = entries(apk).iter().any(|(n, _, _)| n.ends_with(".SF"));
        require(
            min < 24 && !has_v1 && !run("apksigner", &["verify"], apk).ok,
            "minSdk < 24, no v1 signature, rejected by apksigner",
        )
    }),
    ("tampered", |_, apk| {
        require(
            !run("apksigner", &["verify"], apk).ok && entries(apk).iter().any(|(n, _, _)| n.ends_with(".SF")),
            "signed, then fails verification",
        )
    }),
    ("duplicate-entries", |app, apk| {
        // Info-ZIP lists both records; libziparchive (aapt) refuses the archive, as Android does.
        let names: Vec<String> = zipinfo_entries(apk).into_iter().map(|(n, _)| n).collect();
        let appended = &app.recipe.package.append;
        let duplicated = appended
            .iter()
            .any(|a| names.iter().filter(|n| *n == a).count() == 2);
        let aapt = run("aapt", &["dump", "badging"], apk);
        require(
            duplicated && !aapt.ok && aapt.stderr.contains("Found duplicate entry"),
            "an appended entry listed twice by zipinfo, and aapt refusing the duplicate",
        )
    }),
    ("unsafe-entry-name", |_, apk| {
        let names: Vec<String> = zipinfo_entries(apk).into_iter().map(|(n, _)| n).collect();
        require(
            names
                .iter()
                .any(|n| n.starts_with('/') || n.split('/').any(|part| part == "..")),
            "an entry name with a `..` segment or a leading `/` (zipinfo -v)",
        )
    }),
    ("overlapping-entries", |_, apk| {
        let entries = zipinfo_entries(apk);
        let shared = entries.iter().enumerate().any(|(i, (name, offset))| {
            entries[i + 1..]
                .iter()
                .any(|(other, at)| at == offset && other != name)
        });
        require(
            shared,
            "two differently named entries at the same local header offset (zipinfo -v)",
        )
    }),
    ("debug-certificate", |_, apk| {
        let verify = run("apksigner", &["verify", "--print-certs"], apk);
        require(
            verify.ok
                && verify
                    .stdout
                    .contains("Signer #1 certificate DN: CN=Android Debug, O=Android, C=US"),
            "verifies, signed by CN=Android Debug, O=Android, C=US (apksigner --print-certs)",
        )
    }),
    ("debuggable", |_, apk| {
        require(
            run("aapt", &["dump", "badging"], apk)
                .stdout
                .contains("application-debuggable"),
            "application-debuggable",
        )
    }),
    ("cleartext-traffic", |_, apk| {
        require(
            xmltree(apk).contains("usesCleartextTraffic(0x010104ec)=(type 0x12)0xffffffff"),
            "usesCleartextTraffic=true",
        )
    }),
    ("exported-components", |_, apk| {
        let tree = xmltree(apk);
        require(
            ["E: service", "E: receiver", "E: provider"]
                .iter()
                .all(|t| tree.contains(t))
                && tree.matches("exported(0x01010010)=(type 0x12)0xffffffff").count() >= 4,
            "exported activity, service, receiver, provider",
        )
    }),
    ("google-play-services", |_, apk| {
        require(
            dexdump_all(apk).contains("Lcom/google/android/gms/location/"),
            "com.google.android.gms.location classes",
        )
    }),
    ("firebase", |_, apk| {
        require(
            dexdump_all(apk).contains("Lcom/google/firebase/messaging/"),
            "com.google.firebase.messaging classes",
        )
    }),
    ("aidl", |_, apk| {
        let dump = dexdump_all(apk);
        require(
            dump.contains("Superclass        : 'Landroid/os/Binder;'")
                && dump.contains("Landroid/os/IBinder;.transact:")
                && dump.contains("onTransact"),
            "a Binder stub with onTransact and a proxy calling transact",
        )
    }),
];

#[test]
fn corpus_covers_every_required_capability() {
    let built = built();
    assert!(
        built.apps.len() >= 15,
        "only {} apps; the corpus needs at least 15",
        built.apps.len()
    );
    let mut problems = Vec::new();
    for (tag, check) in CAPABILITIES {
        let apps: Vec<&App> = built
            .apps
            .iter()
            .filter(|a| a.recipe.exercises.iter().any(|e| e == tag))
            .collect();
        if apps.is_empty() {
            problems.push(format!("no app exercises `{tag}`"));
        }
        for app in apps {
            if let Err(what) = check(app, &app.apk_path(&built.out)) {
                problems.push(format!(
                    "{}: tagged `{tag}` but the built APK lacks: {what}",
                    app.name
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn rebuilding_gives_the_same_bytes() {
    let built = built();
    let again = tempfile::tempdir().unwrap();
    let tools = corpus::Tools::locate().unwrap();
    corpus::build_all(
        &tools,
        &built.apps,
        again.path(),
        corpus::default_jobs(),
        &|_, _| {},
    )
    .unwrap();
    let differing: Vec<&str> = built
        .apps
        .iter()
        .filter(|app| {
            std::fs::read(app.apk_path(&built.out)).unwrap()
                != std::fs::read(app.apk_path(again.path())).unwrap()
        })
        .map(|app| app.name.as_str())
        .collect();
    assert!(differing.is_empty(), "rebuilt APKs differ: {differing:?}");
}
