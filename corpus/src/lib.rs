//! The corpus: test apps kept as source (manifest, smali, C) under `corpus/apps/`, built into
//! APKs by Android's own tools from Debian — `smali`, `aapt` against `framework-res.apk`,
//! cross compilers, `zipalign` and `apksigner` with the committed test-only key.
//!
//! Builds are byte-for-byte reproducible: aapt stamps every entry 1980-01-01, apksigner signs
//! with RSA PKCS#1 v1.5 (deterministic), and the native libraries carry no paths or dates.
//! [`ensure_built`] rebuilds only when a source, a key or the builder itself changed.

mod builder;
pub mod recipe;
mod zipedit;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

pub use builder::Tools;
pub use recipe::Recipe;

/// Why the corpus could not be built.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: bad recipe: {reason}", path.display())]
    Recipe { path: PathBuf, reason: String },
    #[error("`{tool}` not found on PATH (Debian package {package}; `bash scripts/install-deps` installs it)")]
    MissingTool { tool: String, package: &'static str },
    #[error("{app}: {step} failed: `{command}`: {output}")]
    ToolFailed {
        app: String,
        step: &'static str,
        command: String,
        output: String,
    },
    #[error("unknown app `{0}` (see corpus/apps/)")]
    UnknownApp(String),
}

/// One app of the corpus.
#[derive(Debug, Clone)]
pub struct App {
    pub name: String,
    pub dir: PathBuf,
    pub recipe: Recipe,
}

impl App {
    /// Package name declared by convention: `org.hypercompat.corpus.<name>` with `-` → `_`.
    pub fn package_name(&self) -> String {
        format!("org.hypercompat.corpus.{}", self.name.replace('-', "_"))
    }

    /// Path of the built APK in `out`.
    pub fn apk_path(&self, out: &Path) -> PathBuf {
        out.join(format!("{}.apk", self.name))
    }
}

/// `corpus/` in the source tree.
pub fn source_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `target/corpus/` of the workspace (or of `$CARGO_TARGET_DIR`).
pub fn default_out_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let root = source_root();
            root.parent().unwrap_or(&root).join("target")
        });
    target.join("corpus")
}

/// The real third-party samples that `scripts/fetch-samples` lays out: `target/samples/` of the
/// workspace, or `$SAMPLES_DIR`. For tests: missing samples panic with the command that fetches
/// them, since a test that silently skips proves nothing.
pub fn samples_dir() -> PathBuf {
    let dir = std::env::var_os("SAMPLES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let root = source_root();
            root.parent().unwrap_or(&root).join("target/samples")
        });
    assert!(
        dir.join("SHA256SUMS").is_file(),
        "third-party samples missing in {}: run `bash scripts/fetch-samples`",
        dir.display()
    );
    dir
}

/// The third-party APKs (`apk/*.apk` of [`samples_dir`]), sorted; panics like it when missing.
pub fn sample_apks() -> Vec<PathBuf> {
    let dir = samples_dir().join("apk");
    let mut apks: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
                .path()
        })
        .filter(|path| path.extension().is_some_and(|ext| ext == "apk"))
        .collect();
    apks.sort();
    apks
}

/// Every app under `<root>/apps`, sorted by name.
pub fn discover(root: &Path) -> Result<Vec<App>, CorpusError> {
    let apps_dir = root.join("apps");
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CorpusError::Io { path, source }
    };
    let mut apps = Vec::new();
    for entry in std::fs::read_dir(&apps_dir).map_err(io(&apps_dir))? {
        let dir = entry.map_err(io(&apps_dir))?.path();
        if !dir.is_dir() {
            continue;
        }
        let recipe = Recipe::load(&dir.join("recipe.toml"))?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        apps.push(App { name, dir, recipe });
    }
    apps.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(apps)
}

/// Keeps the apps named in `names` (all when empty), in corpus order.
pub fn select(apps: Vec<App>, names: &[String]) -> Result<Vec<App>, CorpusError> {
    if let Some(unknown) = names.iter().find(|n| !apps.iter().any(|a| &a.name == *n)) {
        return Err(CorpusError::UnknownApp(unknown.clone()));
    }
    Ok(apps
        .into_iter()
        .filter(|a| names.is_empty() || names.contains(&a.name))
        .collect())
}

/// Builds `apps` into `out`, `jobs` at a time; `on_built` is called as each one finishes.
pub fn build_all(
    tools: &Tools,
    apps: &[App],
    out: &Path,
    jobs: usize,
    on_built: &(dyn Fn(&App, &Path) + Sync),
) -> Result<Vec<PathBuf>, CorpusError> {
    std::fs::create_dir_all(out).map_err(|source| CorpusError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let work = out.join(".work");
    let stubs = builder::build_stubs(tools, &source_root().join("stubs"), &work.join("stubs"), apps)?;

    // Costliest first, so the long generated app does not start last.
    let mut order: Vec<&App> = apps.iter().collect();
    order.sort_by_key(|app| std::cmp::Reverse(builder::cost(app)));
    let next = AtomicUsize::new(0);
    let first_error = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(order.len()) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(app) = order.get(index) else { break };
                    if first_error.lock().map(|e| e.is_some()).unwrap_or(true) {
                        break;
                    }
                    match builder::build_app(tools, app, &stubs, &work.join(&app.name), out) {
                        Ok(path) => on_built(app, &path),
                        Err(err) => {
                            if let Ok(mut slot) = first_error.lock() {
                                slot.get_or_insert(err);
                            }
                        }
                    }
                }
            });
        }
    });
    if let Some(err) = first_error.into_inner().ok().flatten() {
        return Err(err);
    }
    Ok(apps.iter().map(|app| app.apk_path(out)).collect())
}

/// Builds the whole corpus into `out` unless the stamp there shows it is current.
/// Safe to call from several threads and processes at once: they take turns on a lock file.
pub fn ensure_built(out: &Path) -> Result<Vec<App>, CorpusError> {
    let _lock = lock(out)?;
    let apps = discover(&source_root())?;
    let stamp_path = out.join(".stamp");
    let stamp = source_stamp(&source_root())?;
    let current = std::fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp)
        && apps.iter().all(|app| app.apk_path(out).is_file());
    if !current {
        let tools = Tools::locate()?;
        build_all(&tools, &apps, out, default_jobs(), &|_, _| {})?;
        write_atomically(&stamp_path, stamp.as_bytes())?;
    }
    Ok(apps)
}

/// An exclusive lock on `out/.lock`, held until the returned file is dropped, so that two
/// builds never write into the same directory at once.
pub fn lock(out: &Path) -> Result<std::fs::File, CorpusError> {
    let io = |source| CorpusError::Io {
        path: out.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(out).map_err(io)?;
    let file = std::fs::File::create(out.join(".lock")).map_err(io)?;
    file.lock().map_err(io)?;
    Ok(file)
}

/// Records that `out` holds the corpus built from the current sources.
pub fn write_stamp(out: &Path) -> Result<(), CorpusError> {
    let stamp = source_stamp(&source_root())?;
    write_atomically(&out.join(".stamp"), stamp.as_bytes())
}

pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// SHA-256 over every source file of the corpus and the builder's own code.
fn source_stamp(root: &Path) -> Result<String, CorpusError> {
    let mut files = Vec::new();
    for sub in ["apps", "stubs", "keys"] {
        list_files(&root.join(sub), &mut files)?;
    }
    files.sort();
    let mut hash = Sha256::new();
    for builder_source in [
        include_str!("lib.rs"),
        include_str!("builder.rs"),
        include_str!("recipe.rs"),
        include_str!("zipedit.rs"),
    ] {
        hash.update(builder_source.as_bytes());
    }
    for file in files {
        let bytes = std::fs::read(&file).map_err(|source| CorpusError::Io {
            path: file.clone(),
            source,
        })?;
        hash.update(
            file.strip_prefix(root)
                .unwrap_or(&file)
                .to_string_lossy()
                .as_bytes(),
        );
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    Ok(format!("{:x}\n", hash.finalize()))
}

fn list_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), CorpusError> {
    let io = |source| CorpusError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            list_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CorpusError> {
    let tmp = path.with_extension("tmp");
    let io = |source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    };
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}
