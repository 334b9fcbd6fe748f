//! The build steps of one corpus app, each a call to a real Android or GNU tool.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::recipe::{Abi, Alignment, Corruption, GenerateSpec, Scheme};
use crate::{App, CorpusError, source_root};

const FRAMEWORK_RES: &str = "/usr/share/android-framework-res/framework-res.apk";

/// The tools a build needs, found once.
#[derive(Debug, Clone)]
pub struct Tools {
    pub framework_res: PathBuf,
    /// `corpus/keys/`: `<name>.pk8` and `<name>.x509.pem` per signing key.
    keys: PathBuf,
}

/// Commands the builder runs and the Debian package of each.
const REQUIRED: [(&str, &str); 9] = [
    ("smali", "libsmali-java"),
    ("aapt", "aapt"),
    ("zipalign", "zipalign"),
    ("apksigner", "apksigner"),
    ("gcc", "gcc"),
    ("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu"),
    ("arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf"),
    ("java", "default-jre-headless"),
    ("unzip", "unzip"),
];

impl Tools {
    /// Checks that every tool is installed; `HYPERCOMPAT_FRAMEWORK_RES` overrides the
    /// framework APK that resources are linked against.
    pub fn locate() -> Result<Tools, CorpusError> {
        for (tool, package) in REQUIRED {
            if !on_path(tool) {
                return Err(CorpusError::MissingTool {
                    tool: tool.to_string(),
                    package,
                });
            }
        }
        let framework_res = std::env::var_os("HYPERCOMPAT_FRAMEWORK_RES")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(FRAMEWORK_RES));
        if !framework_res.is_file() {
            return Err(CorpusError::MissingTool {
                tool: framework_res.display().to_string(),
                package: "android-framework-res",
            });
        }
        Ok(Tools {
            framework_res,
            keys: source_root().join("keys"),
        })
    }
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
}

/// A rough cost used to start the slowest builds first.
pub(crate) fn cost(app: &App) -> u64 {
    let generated: u64 = app
        .recipe
        .dex
        .iter()
        .filter_map(|d| d.generate.as_ref())
        .map(|g| u64::from(g.classes) * (u64::from(g.methods) + u64::from(g.fields)))
        .sum();
    generated + 100 * app.recipe.native.len() as u64 + 10 * app.recipe.dex.len() as u64
}

/// Stub libraries per ABI: `<out>/<abi>/lib<name>.so` for every `stubs/<name>.c` that an app
/// links, built for the ABIs the apps use.
pub(crate) fn build_stubs(
    _tools: &Tools,
    stubs_src: &Path,
    out: &Path,
    apps: &[App],
) -> Result<BTreeMap<Abi, PathBuf>, CorpusError> {
    let mut wanted: BTreeMap<Abi, Vec<&str>> = BTreeMap::new();
    for lib in apps.iter().flat_map(|a| &a.recipe.native) {
        for &abi in &lib.abis {
            let names = wanted.entry(abi).or_default();
            for link in &lib.link {
                if !names.contains(&link.as_str()) {
                    names.push(link);
                }
            }
        }
    }
    let mut dirs = BTreeMap::new();
    for (abi, names) in wanted {
        let dir = out.join(abi.dir());
        recreate_dir(&dir)?;
        for name in names {
            let source = stubs_src.join(format!("{name}.c"));
            if !source.is_file() {
                return Err(CorpusError::Io {
                    path: source,
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "stub library source not found",
                    ),
                });
            }
            let soname = format!("lib{name}.so");
            let mut cmd = compiler(abi, 4096, Some(&soname));
            cmd.arg("-o").arg(dir.join(&soname)).arg(&source);
            run(cmd, "stubs", "compile stub library")?;
        }
        dirs.insert(abi, dir);
    }
    Ok(dirs)
}

/// The compiler command for a shared library with NDK-like, reproducible settings.
fn compiler(abi: Abi, page_size: u32, soname: Option<&str>) -> Command {
    let (cc, abi_flags) = abi.compiler();
    let mut cmd = Command::new(cc);
    cmd.args(abi_flags)
        .args([
            "-O2",
            "-shared",
            "-fPIC",
            "-nostdlib",
            "-ffreestanding",
            "-fno-stack-protector",
        ])
        .arg("-I")
        .arg(source_root().join("stubs/include"))
        .arg(format!("-Wl,-z,max-page-size={page_size}"))
        .arg(format!("-Wl,-z,common-page-size={page_size}"))
        .arg("-Wl,--build-id=sha1")
        .arg("-Wl,-z,noexecstack");
    if let Some(soname) = soname {
        cmd.arg(format!("-Wl,-soname,{soname}"));
    }
    cmd
}

/// Builds one app; returns the path of the finished APK in `out`.
pub(crate) fn build_app(
    tools: &Tools,
    app: &App,
    stubs: &BTreeMap<Abi, PathBuf>,
    work: &Path,
    out: &Path,
) -> Result<PathBuf, CorpusError> {
    recreate_dir(work)?;
    let stage = work.join("stage");
    create_dir(&stage)?;
    let name = app.name.as_str();

    for (index, dex) in app.recipe.dex.iter().enumerate() {
        let file = if index == 0 {
            "classes.dex".to_string()
        } else {
            format!("classes{}.dex", index + 1)
        };
        // One thread and a sorted file list: smali's parallel parsing and the directory
        // order otherwise decide the order of some DEX sections, and the bytes change per run.
        let mut cmd = Command::new("smali");
        cmd.args(["assemble", "-j", "1", "--api", &dex.api.to_string(), "-o"])
            .arg(stage.join(&file));
        let mut sources = Vec::new();
        if let Some(spec) = &dex.generate {
            let dir = work.join(format!("generated{}", index + 1));
            generate_smali(spec, &dir)?;
            crate::list_files(&dir, &mut sources)?;
        }
        for dir in &dex.smali {
            crate::list_files(&app.dir.join(dir), &mut sources)?;
        }
        sources.sort();
        cmd.args(sources);
        run(cmd, name, "smali assemble")?;
        if let Some(corruption) = dex.corrupt {
            corrupt_dex(&stage.join(&file), corruption, app)?;
        }
    }

    for lib in &app.recipe.native {
        for &abi in &lib.abis {
            let dir = stage.join("lib").join(abi.dir());
            create_dir(&dir)?;
            let mut cmd = compiler(abi, lib.page_size, lib.soname.then_some(lib.name.as_str()));
            cmd.arg("-o").arg(dir.join(&lib.name));
            cmd.args(lib.sources.iter().map(|s| app.dir.join(s)));
            if !lib.link.is_empty() {
                let stub_dir = stubs.get(&abi).ok_or_else(|| CorpusError::Recipe {
                    path: app.dir.join("recipe.toml"),
                    reason: format!("no stubs built for {}", abi.dir()),
                })?;
                cmd.arg("-L").arg(stub_dir);
                cmd.args(lib.link.iter().map(|l| format!("-l{l}")));
            }
            cmd.args(&lib.flags);
            run(cmd, name, "compile native library")?;
        }
    }

    let unaligned = work.join("unaligned.apk");
    let mut aapt = Command::new("aapt");
    aapt.args(["package", "-f", "-M"])
        .arg(app.dir.join("AndroidManifest.xml"))
        .arg("-I")
        .arg(&tools.framework_res);
    if app.dir.join("res").is_dir() {
        aapt.arg("-S").arg(app.dir.join("res"));
    }
    if app.dir.join("assets").is_dir() {
        aapt.arg("-A").arg(app.dir.join("assets"));
    }
    if !app.recipe.package.compress_native {
        aapt.args(["-0", "so"]);
    }
    aapt.arg("-F").arg(&unaligned).arg(&stage);
    run(aapt, name, "aapt package")?;

    if app.recipe.package.compress_arsc {
        // aapt stores resources.arsc; `aapt add` deflates it, as old build tools did.
        let arsc_dir = work.join("arsc");
        create_dir(&arsc_dir)?;
        let arsc = read_entry(&unaligned, "resources.arsc", name)?;
        write(&arsc_dir.join("resources.arsc"), &arsc)?;
        let mut remove = Command::new("aapt");
        remove.arg("remove").arg(&unaligned).arg("resources.arsc");
        run(remove, name, "aapt remove resources.arsc")?;
        let mut add = Command::new("aapt");
        add.current_dir(&arsc_dir)
            .arg("add")
            .arg(absolute(&unaligned))
            .arg("resources.arsc");
        run(add, name, "aapt add resources.arsc")?;
    }

    for entry in &app.recipe.package.append {
        let text = format!("appended after packaging as {entry}\n");
        edit_zip(&unaligned, app, |zip| {
            crate::zipedit::append_stored(zip, entry, text.as_bytes())
        })?;
    }

    let aligned = work.join("aligned.apk");
    match app.recipe.package.align {
        Alignment::Page | Alignment::Four => {
            let mut zipalign = Command::new("zipalign");
            zipalign.arg("-f");
            if app.recipe.package.align == Alignment::Page {
                zipalign.arg("-p");
            }
            zipalign.arg("4").arg(&unaligned).arg(&aligned);
            run(zipalign, name, "zipalign")?;
        }
        Alignment::None => copy(&unaligned, &aligned)?,
    }

    let signed = work.join("signed.apk");
    if app.recipe.package.sign.is_empty() {
        copy(&aligned, &signed)?;
    } else {
        let key = &app.recipe.package.key;
        let mut sign = Command::new("apksigner");
        sign.args(["sign", "--key"])
            .arg(tools.keys.join(format!("{key}.pk8")))
            .arg("--cert")
            .arg(tools.keys.join(format!("{key}.x509.pem")));
        for scheme in Scheme::ALL {
            sign.arg(scheme.apksigner_flag())
                .arg(app.recipe.package.sign.contains(&scheme).to_string());
        }
        sign.args(["--v4-signing-enabled", "false", "--out"])
            .arg(&signed)
            .arg(&aligned);
        run(sign, name, "apksigner sign")?;
    }

    if app.recipe.package.tamper {
        tamper(app, &signed, work)?;
    }
    if let Some(overlap) = &app.recipe.package.overlap {
        edit_zip(&signed, app, |zip| {
            crate::zipedit::add_alias(zip, &overlap.entry, &overlap.alias)
        })?;
    }

    let apk = app.apk_path(out);
    let tmp = out.join(format!(".{}.apk.tmp", app.name));
    copy(&signed, &tmp)?;
    std::fs::rename(&tmp, &apk).map_err(|source| CorpusError::Io {
        path: apk.clone(),
        source,
    })?;
    // Intermediate files are kept only when a step fails, for inspection.
    std::fs::remove_dir_all(work).map_err(io_error(work))?;
    Ok(apk)
}

/// Changes the content of the first `assets/` entry after signing, the way a repackager
/// would: remove it and add a same-named file with other bytes (valid zip, stale signatures).
fn tamper(app: &App, signed: &Path, work: &Path) -> Result<(), CorpusError> {
    let assets = app.dir.join("assets");
    let mut files = Vec::new();
    crate::list_files(&assets, &mut files)?;
    files.sort();
    let victim = files.first().ok_or_else(|| CorpusError::Recipe {
        path: app.dir.join("recipe.toml"),
        reason: "tamper = true needs a file under assets/".into(),
    })?;
    let relative = Path::new("assets").join(victim.strip_prefix(&assets).unwrap_or(victim));
    let mut original = std::fs::read(victim).map_err(|source| CorpusError::Io {
        path: victim.clone(),
        source,
    })?;
    for byte in &mut original {
        *byte = byte.to_ascii_uppercase();
    }
    original.extend_from_slice(b"\n(modified after signing)\n");
    let dir = work.join("tamper");
    let target = dir.join(&relative);
    if let Some(parent) = target.parent() {
        create_dir(parent)?;
    }
    write(&target, &original)?;
    let relative = relative.to_string_lossy().into_owned();
    let mut remove = Command::new("aapt");
    remove.arg("remove").arg(signed).arg(&relative);
    run(remove, &app.name, "aapt remove (tamper)")?;
    let mut add = Command::new("aapt");
    add.current_dir(&dir)
        .arg("add")
        .arg(absolute(signed))
        .arg(&relative);
    run(add, &app.name, "aapt add (tamper)")
}

/// Rewrites the zip at `path` with the builder's own zip code.
fn edit_zip(
    path: &Path,
    app: &App,
    edit: impl FnOnce(&[u8]) -> Result<Vec<u8>, String>,
) -> Result<(), CorpusError> {
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    let edited = edit(&bytes).map_err(|reason| CorpusError::Recipe {
        path: app.dir.join("recipe.toml"),
        reason: format!("editing {}: {reason}", path.display()),
    })?;
    write(path, &edited)
}

/// Damages the DEX file at `path` as `corruption` says, in place.
fn corrupt_dex(path: &Path, corruption: Corruption, app: &App) -> Result<(), CorpusError> {
    let mut bytes = std::fs::read(path).map_err(io_error(path))?;
    match corruption {
        Corruption::Checksum => {
            // header: magic[8], checksum u32 (Adler-32 of everything after it), signature[20]
            let stored = bytes.get_mut(8..12).ok_or_else(|| CorpusError::Recipe {
                path: app.dir.join("recipe.toml"),
                reason: format!("{} is too short to have a checksum", path.display()),
            })?;
            for byte in stored {
                *byte = !*byte;
            }
        }
    }
    write(path, &bytes)
}

/// Writes smali for `spec` into `dir`: classes `C0..` each with static fields `f0..`, static
/// methods `m0..` where `m<i>` calls `m<i+1>` (unless `calls` is off), plus a constructor.
fn generate_smali(spec: &GenerateSpec, dir: &Path) -> Result<(), CorpusError> {
    let package_dir = dir.join(&spec.package);
    create_dir(&package_dir)?;
    for class in 0..spec.classes {
        let descriptor = format!("L{}/C{class};", spec.package);
        let mut text = String::new();
        let _ = writeln!(
            text,
            ".class public final {descriptor}\n.super Ljava/lang/Object;\n"
        );
        for field in 0..spec.fields {
            let _ = writeln!(text, ".field public static f{field}:I");
        }
        if spec.fields > 0 {
            text.push('\n');
        }
        let _ = writeln!(
            text,
            ".method public constructor <init>()V\n    .registers 1\n    invoke-direct {{p0}}, Ljava/lang/Object;-><init>()V\n    return-void\n.end method\n"
        );
        for method in 0..spec.methods {
            let _ = writeln!(text, ".method public static m{method}(I)I\n    .registers 1");
            let _ = writeln!(text, "    add-int/lit8 p0, p0, {}", method % 100);
            if spec.calls && method + 1 < spec.methods {
                let _ = writeln!(
                    text,
                    "    invoke-static {{p0}}, {descriptor}->m{}(I)I",
                    method + 1
                );
                let _ = writeln!(text, "    move-result p0");
            }
            let _ = writeln!(text, "    return p0\n.end method\n");
        }
        write(&package_dir.join(format!("C{class}.smali")), text.as_bytes())?;
    }
    Ok(())
}

/// Reads one entry with Info-ZIP's `unzip -p` (aapt can add and remove, not extract).
fn read_entry(apk: &Path, entry: &str, app: &str) -> Result<Vec<u8>, CorpusError> {
    let mut cmd = Command::new("unzip");
    cmd.arg("-p").arg(apk).arg(entry);
    let output = cmd.output().map_err(|source| CorpusError::Io {
        path: PathBuf::from("unzip"),
        source,
    })?;
    if !output.status.success() {
        return Err(CorpusError::ToolFailed {
            app: app.to_string(),
            step: "unzip",
            command: describe(&cmd),
            output: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(output.stdout)
}

fn run(mut cmd: Command, app: &str, step: &'static str) -> Result<(), CorpusError> {
    let output = cmd.output().map_err(|source| CorpusError::Io {
        path: PathBuf::from(cmd.get_program()),
        source,
    })?;
    if output.status.success() {
        return Ok(());
    }
    let mut text = String::from_utf8_lossy(&output.stderr).trim().to_string();
    if text.is_empty() {
        text = String::from_utf8_lossy(&output.stdout).trim().to_string();
    }
    Err(CorpusError::ToolFailed {
        app: app.to_string(),
        step,
        command: describe(&cmd),
        output: text,
    })
}

fn describe(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> CorpusError + '_ {
    move |source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn create_dir(dir: &Path) -> Result<(), CorpusError> {
    std::fs::create_dir_all(dir).map_err(io_error(dir))
}

fn recreate_dir(dir: &Path) -> Result<(), CorpusError> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io_error(dir))?;
    }
    create_dir(dir)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), CorpusError> {
    std::fs::write(path, bytes).map_err(io_error(path))
}

fn copy(from: &Path, to: &Path) -> Result<(), CorpusError> {
    std::fs::copy(from, to).map(|_| ()).map_err(io_error(to))
}
