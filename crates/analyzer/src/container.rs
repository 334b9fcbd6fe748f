//! What an input file is, and the files inside it: APKs, split-APK bundles (`.apks`,
//! `.xapk`), AARs, JARs, plain zips, DEX and ELF files, and containers nested inside
//! containers (a JAR in `assets/`, the `classes.jar` and `jni/*.so` of an AAR, the APKs of a
//! bundle). The walk is bounded in depth and in the number of bytes it inflates, so a zip
//! quine or a nest of bombs ends in an error, not in exhausted memory.

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::{Condvar, Mutex};

use crate::zip::{Method, ZipArchive, ZipError};

/// How deep containers may nest (the input itself is depth 0).
pub const MAX_DEPTH: u32 = 4;
/// Inflated bytes the walk may produce, beyond the input's own size.
pub const MIN_INFLATE_BUDGET: u64 = 256 << 20;
/// ... or this multiple of the input size, whichever is larger.
pub const INFLATE_BUDGET_FACTOR: u64 = 16;

/// What a file is, judged by its content (never by its name alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A zip with `AndroidManifest.xml` at the root.
    Apk,
    /// A zip of APKs: `.apks` (bundletool, `toc.pb`) or `.xapk` (`manifest.json`).
    SplitBundle,
    /// An Android library: `AndroidManifest.xml` and `classes.jar` at the root.
    Aar,
    /// A zip with `.class` files or `classes*.dex` but no manifest.
    Jar,
    /// Any other zip.
    Zip,
    Dex,
    Elf,
    Other,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Apk => "apk",
            Kind::SplitBundle => "split-apk bundle",
            Kind::Aar => "aar",
            Kind::Jar => "jar",
            Kind::Zip => "zip",
            Kind::Dex => "dex",
            Kind::Elf => "elf",
            Kind::Other => "other",
        }
    }

    pub fn is_container(self) -> bool {
        matches!(
            self,
            Kind::Apk | Kind::SplitBundle | Kind::Aar | Kind::Jar | Kind::Zip
        )
    }
}

/// Why a walk stopped.
#[derive(Debug, thiserror::Error)]
pub enum ContainerError {
    #[error("{path}: {source}")]
    Zip { path: String, source: ZipError },
    #[error("{path}: containers nested deeper than {MAX_DEPTH} levels")]
    TooDeep { path: String },
    #[error("{path}: inflating would exceed the budget of {budget} bytes (zip bomb?)")]
    Budget { path: String, budget: u64 },
}

/// One file found by [`walk`]: its path (`outer.apk!/assets/x.jar!/classes.dex`), kind, depth
/// and bytes.
#[derive(Debug)]
pub struct Item<'b> {
    pub path: &'b str,
    pub kind: Kind,
    pub depth: u32,
    pub data: &'b [u8],
}

/// Names `data` by its content.
pub fn detect(data: &[u8]) -> Kind {
    classify(data).0
}

/// The kind of `data`, with its parsed zip when it is a container (every container kind
/// comes from a zip that parses), so a walk need not parse it a second time.
fn classify(data: &[u8]) -> (Kind, Option<ZipArchive<'_>>) {
    if data.starts_with(b"dex\n") {
        return (Kind::Dex, None);
    }
    if data.starts_with(b"\x7fELF") {
        return (Kind::Elf, None);
    }
    match ZipArchive::parse(data) {
        Ok(zip) => (zip_kind(&zip), Some(zip)),
        Err(_) => (Kind::Other, None),
    }
}

fn zip_kind(zip: &ZipArchive<'_>) -> Kind {
    let has = |name: &str| zip.entry(name).is_some();
    let names = || zip.entries().iter().map(|e| e.name);
    if has("AndroidManifest.xml") {
        return if has("classes.jar") { Kind::Aar } else { Kind::Apk };
    }
    // bundletool puts the APKs under `splits/` or `standalones/`; XAPKs at the root.
    let apks = names().filter(|n| n.ends_with(b".apk")).count();
    if apks > 0 && (has("toc.pb") || has("manifest.json")) {
        return Kind::SplitBundle;
    }
    if names().any(|n| n.ends_with(b".class") || (n.starts_with(b"classes") && n.ends_with(b".dex"))) {
        return Kind::Jar;
    }
    Kind::Zip
}

/// Whether a zip entry is worth opening: code, native libraries, manifests, resource tables
/// and anything that may itself be a container.
fn interesting(name: &str) -> bool {
    const SUFFIXES: [&str; 9] = [
        ".dex", ".so", ".jar", ".aar", ".apk", ".zip", ".apks", ".xapk", ".arsc",
    ];
    name.ends_with("AndroidManifest.xml") || SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Calls `visit` for `data` and, depth first, for every interesting file inside it.
/// `visit` sees each item once; returning `false` skips the item's children. The first part
/// that cannot be read ends the walk with its error.
pub fn walk(name: &str, data: &[u8], visit: &mut dyn FnMut(&Item<'_>) -> bool) -> Result<(), ContainerError> {
    let skipped = walk_filtered(name, data, &|_| true, visit)?;
    match skipped.into_iter().next() {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

/// Like [`walk`], but reads only the interesting entries whose name `want` accepts (the entry
/// name inside its container, e.g. `assets/a.jar`), sparing inflation of what the caller
/// ignores, and goes on past parts that cannot be read: those are returned. Only the inflate
/// budget ends the walk early (with `Err`).
pub fn walk_filtered(
    name: &str,
    data: &[u8],
    want: &dyn Fn(&str) -> bool,
    visit: &mut dyn FnMut(&Item<'_>) -> bool,
) -> Result<Vec<ContainerError>, ContainerError> {
    let total = MIN_INFLATE_BUDGET.max((data.len() as u64).saturating_mul(INFLATE_BUDGET_FACTOR));
    let mut walk = Walk {
        budget: total,
        total,
        want,
        visit,
        skipped: Vec::new(),
    };
    walk.at(name, data, 0)?;
    Ok(walk.skipped)
}

/// State of one walk.
struct Walk<'w> {
    budget: u64,
    total: u64,
    want: &'w dyn Fn(&str) -> bool,
    visit: &'w mut dyn FnMut(&Item<'_>) -> bool,
    skipped: Vec<ContainerError>,
}

impl Walk<'_> {
    fn at(&mut self, path: &str, data: &[u8], depth: u32) -> Result<(), ContainerError> {
        let (kind, zip) = classify(data);
        let descend = (self.visit)(&Item {
            path,
            kind,
            depth,
            data,
        });
        if !descend || !kind.is_container() {
            return Ok(());
        }
        if depth >= MAX_DEPTH {
            self.skipped.push(ContainerError::TooDeep {
                path: path.to_string(),
            });
            return Ok(());
        }
        // Container kinds are only ever detected from a zip that parsed.
        let Some(zip) = zip else {
            return Ok(());
        };
        // Entries that share their local header (a zip whose central directory names one
        // stored data many times) are walked once: a few kilobytes nesting such aliases a
        // few levels deep would otherwise be visited hundreds of thousands of times.
        let mut walked = std::collections::HashSet::new();
        for entry in zip.entries() {
            let name = entry.name_lossy();
            if !interesting(&name) || name.ends_with('/') || !(self.want)(&name) {
                continue;
            }
            if !walked.insert(entry.local_header_offset) {
                continue;
            }
            let child_path = format!("{path}!/{name}");
            if entry.uncompressed_size > self.budget {
                return Err(ContainerError::Budget {
                    path: child_path,
                    budget: self.total,
                });
            }
            // Held inflated while it (and what it contains) is visited: large ones wait their
            // turn across the process's threads ([`Held`]).
            let _held = (entry.method != Method::Stored).then(|| Held::take(entry.uncompressed_size));
            let bytes: Cow<'_, [u8]> = match zip.read(entry) {
                Ok(bytes) => bytes,
                Err(source) => {
                    self.skipped.push(ContainerError::Zip {
                        path: child_path,
                        source,
                    });
                    continue;
                }
            };
            // Stored entries count too: what bounds the walk is the bytes it visits, which an
            // archive can make far more than its size by naming one stored entry many times.
            self.budget = self.budget.saturating_sub(bytes.len() as u64);
            self.at(&child_path, &bytes, depth + 1)?;
        }
        Ok(())
    }
}

/// Inflated entries of at least this size count against [`INFLATED_AT_ONCE`].
const LARGE_ENTRY: u64 = 1 << 20;

/// How many inflated bytes of large entries the walks of all threads hold at once, unless one
/// entry alone is larger. A batch analyses several files at a time, and a code-heavy app's
/// DEX files are 5 to 15 MiB each once inflated, the largest part of its analysis's memory: two
/// such files scanned side by side on two threads took the batch's peak above the size of its
/// largest input. A thread that already holds an entry (a container being walked) never waits,
/// so nested walks cannot deadlock; only a thread holding nothing waits, for others to let go.
const INFLATED_AT_ONCE: u64 = 16 << 20;

/// The bytes of large inflated entries that threads hold, against a limit.
struct Window {
    limit: u64,
    /// Bytes held by all threads, and how many threads wait.
    state: Mutex<(u64, usize)>,
    /// Told when the bytes held fall.
    released: Condvar,
}

/// The process's window: [`INFLATED_AT_ONCE`].
static WINDOW: Window = Window::new(INFLATED_AT_ONCE);

thread_local! {
    /// Bytes of large inflated entries this thread holds (in whichever window).
    static HELD_HERE: Cell<u64> = const { Cell::new(0) };
}

impl Window {
    const fn new(limit: u64) -> Window {
        Window {
            limit,
            state: Mutex::new((0, 0)),
            released: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, usize)> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A large entry's share of a [`Window`], held while it is inflated and visited.
struct Held<'w> {
    window: &'w Window,
    size: u64,
}

impl Held<'static> {
    fn take(size: u64) -> Held<'static> {
        Held::take_from(&WINDOW, size)
    }
}

impl<'w> Held<'w> {
    /// Waits, if this thread holds nothing yet, until `size` bytes fit beside what the other
    /// threads hold (or they hold nothing); small entries do not count.
    fn take_from(window: &'w Window, size: u64) -> Held<'w> {
        if size < LARGE_ENTRY {
            return Held { window, size: 0 };
        }
        let size = size.min(window.limit);
        let mut state = window.lock();
        if HELD_HERE.get() == 0 {
            state.1 += 1;
            while state.0 > 0 && state.0 + size > window.limit {
                state = window
                    .released
                    .wait(state)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            state.1 -= 1;
        }
        state.0 += size;
        HELD_HERE.set(HELD_HERE.get() + size);
        Held { window, size }
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        if self.size == 0 {
            return;
        }
        let mut state = self.window.lock();
        state.0 -= self.size;
        HELD_HERE.set(HELD_HERE.get() - self.size);
        drop(state);
        self.window.released.notify_all();
    }
}

impl ContainerError {
    /// The path of the part that could not be read.
    pub fn path(&self) -> &str {
        match self {
            ContainerError::Zip { path, .. }
            | ContainerError::TooDeep { path }
            | ContainerError::Budget { path, .. } => path,
        }
    }

    /// The reason, without the path.
    pub fn reason(&self) -> String {
        match self {
            ContainerError::Zip { source, .. } => source.to_string(),
            ContainerError::TooDeep { .. } => format!("containers nested deeper than {MAX_DEPTH} levels"),
            ContainerError::Budget { budget, .. } => {
                format!("inflating would exceed the budget of {budget} bytes (zip bomb?)")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_holding_nothing_waits_for_room_and_a_holder_never_waits() {
        const MIB: u64 = 1 << 20;
        static TEST_WINDOW: Window = Window::new(16 * MIB);
        let window = &TEST_WINDOW;
        let first = Held::take_from(window, 10 * MIB);
        // Small entries do not count, and a thread that holds one takes more without waiting
        // (a container's nested entries), even past the limit.
        assert_eq!(Held::take_from(window, MIB - 1).size, 0);
        let nested = Held::take_from(window, 10 * MIB);
        assert_eq!(window.lock().0, 20 * MIB);
        std::thread::scope(|scope| {
            let other = scope.spawn(|| {
                // Holding nothing: waits until the 10 MiB fit.
                let held = Held::take_from(window, 10 * MIB);
                let seen = window.lock().0;
                drop(held);
                seen
            });
            // Let go only once the other thread waits (it counts itself in before waiting).
            while window.lock().1 == 0 {
                assert!(!other.is_finished(), "the other thread did not wait");
                std::thread::yield_now();
            }
            drop(nested);
            drop(first);
            assert_eq!(other.join().unwrap(), 10 * MIB, "it went in alone");
        });
        // A single entry larger than the window counts as the whole window.
        let huge = Held::take_from(window, 64 * MIB);
        assert_eq!(window.lock().0, 16 * MIB);
        drop(huge);
        assert_eq!(window.lock().0, 0);
    }

    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        crate::zip::stored_zip(entries, b"")
    }

    fn paths(name: &str, data: &[u8]) -> Vec<(String, Kind)> {
        let mut seen = Vec::new();
        walk(name, data, &mut |item| {
            seen.push((item.path.to_string(), item.kind));
            true
        })
        .unwrap();
        seen
    }

    #[test]
    fn kinds_by_content() {
        assert_eq!(detect(b"dex\n035\0"), Kind::Dex);
        assert_eq!(detect(b"\x7fELF\x02\x01"), Kind::Elf);
        assert_eq!(detect(b"hello"), Kind::Other);
        assert_eq!(detect(&zip(&[("AndroidManifest.xml", b"x")])), Kind::Apk);
        assert_eq!(
            detect(&zip(&[("AndroidManifest.xml", b"x"), ("classes.jar", b"")])),
            Kind::Aar
        );
        assert_eq!(detect(&zip(&[("a/B.class", b"")])), Kind::Jar);
        assert_eq!(
            detect(&zip(&[("toc.pb", b""), ("base.apk", b"")])),
            Kind::SplitBundle
        );
        assert_eq!(
            detect(&zip(&[("toc.pb", b""), ("splits/base-master.apk", b"")])),
            Kind::SplitBundle
        );
        assert_eq!(detect(&zip(&[("readme.txt", b"")])), Kind::Zip);
    }

    #[test]
    fn walks_nested_containers() {
        let plugin = zip(&[("classes.dex", b"dex\n035\0")]);
        let apk = zip(&[
            ("AndroidManifest.xml", b"manifest"),
            ("assets/plugin.jar", &plugin),
            ("lib/arm64-v8a/libx.so", b"\x7fELF"),
            ("res/drawable/icon.png", b"png"),
        ]);
        let bundle = zip(&[("toc.pb", b""), ("base.apk", &apk)]);
        let found = paths("b.apks", &bundle);
        let expect = [
            ("b.apks", Kind::SplitBundle),
            ("b.apks!/base.apk", Kind::Apk),
            ("b.apks!/base.apk!/AndroidManifest.xml", Kind::Other),
            ("b.apks!/base.apk!/assets/plugin.jar", Kind::Jar),
            ("b.apks!/base.apk!/assets/plugin.jar!/classes.dex", Kind::Dex),
            ("b.apks!/base.apk!/lib/arm64-v8a/libx.so", Kind::Elf),
        ];
        let expect: Vec<(String, Kind)> = expect.iter().map(|(p, k)| (p.to_string(), *k)).collect();
        assert_eq!(found, expect);
    }

    /// A stored zip whose central directory names its one entry (`x0.jar`, holding `data`)
    /// `aliases` times, each entry at the same local header.
    fn aliased(data: &[u8], aliases: u16) -> Vec<u8> {
        let crc = crc32fast::hash(data);
        let size = data.len() as u32;
        let header = |signature: u32| {
            let mut h = signature.to_le_bytes().to_vec();
            if signature == 0x0201_4b50 {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // needed
            h.extend_from_slice(&[0; 4]); // flags, method: stored
            h.extend_from_slice(&[0; 4]); // time, date
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h
        };
        let mut out = header(0x0403_4b50);
        out.extend_from_slice(&6u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(b"x0.jar");
        out.extend_from_slice(data);
        let directory = out.len() as u32;
        for i in 0..aliases {
            let name = format!("x{i}.jar");
            out.extend(header(0x0201_4b50));
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
            out.extend_from_slice(&0u32.to_le_bytes()); // the local header: always the first
            out.extend_from_slice(name.as_bytes());
        }
        let directory_size = out.len() as u32 - directory;
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&aliases.to_le_bytes());
        out.extend_from_slice(&aliases.to_le_bytes());
        out.extend_from_slice(&directory_size.to_le_bytes());
        out.extend_from_slice(&directory.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn entries_sharing_one_local_header_are_walked_once() {
        // Three levels of 20 aliases: 8,000 DEX visits when each alias was walked (four
        // levels, 160,000, and a report growing by the second, from 6 KB).
        let mut data = zip(&[("classes.dex", b"dex\n035\0")]);
        for _ in 0..3 {
            data = aliased(&data, 20);
        }
        let mut visits = 0;
        walk("bomb.jar", &data, &mut |_| {
            visits += 1;
            true
        })
        .unwrap();
        assert_eq!(visits, 5, "the input, three nested jars, one DEX file");
    }

    #[test]
    fn nesting_is_bounded() {
        let mut data = zip(&[("classes.dex", b"dex\n035\0")]);
        for _ in 0..=MAX_DEPTH {
            data = zip(&[("inner.jar", &data)]);
        }
        let err = walk("deep.jar", &data, &mut |_| true).unwrap_err();
        assert!(matches!(err, ContainerError::TooDeep { .. }), "{err}");
    }
}
