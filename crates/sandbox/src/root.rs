//! The guest's file tree: what the sandboxed program sees as `/`.
//!
//! A fresh, read-only tmpfs holds only mount points and symlinks; onto it go the host's `/usr`
//! and the top-level system folders (`/bin`, `/lib*`, `/sbin`: symlinks where the host has
//! merged them into `/usr`), a filtered `/etc`, all read-only; the app root, read-write, at
//! `/data/data/<package>` (also the working directory); the app's own `/tmp` and `/dev/shm`
//! (tmpfs); a `/dev` with `null`, `zero`, `full`, `random`, `urandom` and `tty` only; a `/proc`
//! of the sandbox's pid namespace; and the caller's extra `--ro`/`--rw` binds. Nothing else of
//! the host is reachable: the launcher pivots into this tree and detaches the old root, so the
//! kernel resolves every path — the guest's own native calls and vfs's on its behalf — inside it.
//!
//! The tree is planned here, in the parent, as a list of [`Step`]s with every string prepared:
//! the child, between `clone` and `execve`, only walks the list with raw system calls
//! (see [`crate::launch`]). How it is built follows bubblewrap: a staging tmpfs becomes the
//! root first, so that the host's tree is reachable under `/oldroot` while the new one is
//! assembled under `/newroot`, whatever host folder a bind comes from.

use std::ffi::CString;
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use crate::launch::LaunchError;

/// Where the staging steps work: the host tree under [`OLD`], the guest tree under [`NEW`].
pub(crate) const OLD: &str = "/oldroot";
pub(crate) const NEW: &str = "/newroot";

/// The files of the host's `/etc` the guest sees (when they exist; a name ending in `*` is a
/// prefix): what the C library, the
/// dynamic loader, name lookups, TLS and Debian's alternatives need, and nothing that
/// describes the host beyond that (no `shadow`, `machine-id`, `ssh`, `hostname`, and not the
/// host's accounts: `passwd` and `group` are the sandbox's own, [`accounts`]).
pub const ETC: &[&str] = &[
    "alternatives",
    "ca-certificates",
    "ca-certificates.conf",
    "debian_version",
    "gai.conf",
    "host.conf",
    "hosts",
    "inputrc",
    // The JDK's configuration (`conf/security/java.security` and the rest link there).
    "java-*",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "locale.alias",
    "localtime",
    "mime.types",
    "nsswitch.conf",
    "os-release",
    "protocols",
    "python3",
    "python3.11",
    "resolv.conf",
    "rpc",
    "services",
    "ssl",
    "timezone",
];

/// The top-level system folders the guest sees read-only (or as the host's symlinks).
pub const SYSTEM: &[&str] = &["usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"];

/// The entries of the guest's `/proc` made read-only.
pub const PROC_READ_ONLY: &[&str] = &["sys", "sysrq-trigger", "irq", "bus", "fs"];

/// The files of procfs that describe the host machine's kernel rather than the guest's
/// processes, hidden behind the guest's `/dev/null` (read empty) as container runtimes mask
/// them: the host's keyrings, its kernel's configuration, symbols, boot command line, memory
/// layout and timers. The guest's uid is the host's root when root starts the sandbox, which
/// would otherwise pass the owner check of the root-only ones.
pub const PROC_MASKED: &[&str] = &[
    "keys",
    "key-users",
    "config.gz",
    "cmdline",
    "kallsyms",
    "modules",
    "timer_list",
    "sched_debug",
    "latency_stats",
    "vmallocinfo",
    "slabinfo",
    "iomem",
    "ioports",
    "kpagecount",
    "kpageflags",
    "kpagecgroup",
];

/// The parts of the host's `/sys` the guest sees, read-only: the CPUs (`online`, `possible`,
/// topology, frequencies), which Android's libraries (cpu_features, XNNPACK, ART's own) and
/// the C libraries read to size thread pools; nothing else of sysfs.
pub const SYS: &[&str] = &["devices/system/cpu"];

/// binderfs's `features/` files and whether the Binder shim has each feature.
pub const BINDER_FEATURES: &[(&str, bool)] = &[
    ("oneway_spam_detection", true),
    ("extended_error", true),
    ("freeze_notification", false),
];

/// The device nodes the guest sees, bound from the host's `/dev`.
pub const DEVICES: &[&str] = &["null", "zero", "full", "random", "urandom", "tty"];

/// A host folder or file made visible in the guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bind {
    pub host: PathBuf,
    pub guest: PathBuf,
    pub writable: bool,
}

impl Bind {
    /// `HOST[:GUEST]` as `--ro`/`--rw` take it: the guest path is the host's when not given.
    pub fn from_spec(spec: &std::ffi::OsStr, writable: bool) -> Bind {
        use std::ffi::OsString;
        use std::os::unix::ffi::OsStringExt;
        let bytes = spec.as_bytes();
        let (host, guest) = match bytes.iter().position(|&b| b == b':') {
            Some(colon) => (bytes[..colon].to_vec(), bytes[colon + 1..].to_vec()),
            None => (bytes.to_vec(), bytes.to_vec()),
        };
        Bind {
            host: PathBuf::from(OsString::from_vec(host)),
            guest: PathBuf::from(OsString::from_vec(guest)),
            writable,
        }
    }
}

/// The guest tree of one sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestRoot {
    /// The app's data folder on the host: read-write at [`GuestRoot::app_dir`].
    pub app_root: PathBuf,
    /// The Android package name (`com.example.app`): the app root's guest path is
    /// `/data/data/<package>`.
    pub package: String,
    /// More folders or files, in order (`--ro`, `--rw`).
    pub binds: Vec<Bind>,
    /// The app's uid and gid inside the sandbox ([`app_uid`] by default), mapped to the
    /// caller's: the guest's `getuid()` answers it, and the app root's files show it as owner.
    pub uid: u32,
    /// Whether the app reaches the network (Android's `INTERNET` permission): the sandbox then
    /// shares the host's network namespace; otherwise it gets a private one with only a
    /// loopback interface, which also keeps the host's abstract `AF_UNIX` names out of reach.
    pub network: bool,
}

/// The first and last app uid (Android's `AID_APP_START`, `AID_APP_END`).
pub const APP_UIDS: std::ops::RangeInclusive<u32> = 10_000..=19_999;

/// The uid an app gets: 10000 + n, with n a stable function of the package name (FNV-1a), so
/// that the same app always runs as the same uid, as an installed app does on Android.
pub fn app_uid(package: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in package.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    APP_UIDS.start() + hash % (APP_UIDS.end() - APP_UIDS.start() + 1)
}

impl GuestRoot {
    pub fn new(app_root: impl Into<PathBuf>, package: impl Into<String>) -> GuestRoot {
        let package = package.into();
        GuestRoot {
            app_root: app_root.into(),
            uid: app_uid(&package),
            package,
            binds: Vec::new(),
            network: false,
        }
    }

    /// The app root's guest path, `/data/data/<package>`: the program's working directory.
    pub fn app_dir(&self) -> PathBuf {
        Path::new("/data/data").join(&self.package)
    }
}

/// One step of building the tree, run by the child. Paths are absolute, in the child's view
/// at the time the step runs.
#[derive(Debug)]
pub(crate) enum Step {
    /// `mkdir` (an existing folder is fine).
    Mkdir(CString),
    /// Creates an empty file to bind a file onto (an existing one is fine).
    Touch(CString),
    /// Creates a file (mode 0644) holding `contents`.
    Write {
        path: CString,
        contents: Vec<u8>,
    },
    Symlink {
        target: CString,
        link: CString,
    },
    /// A tmpfs with these mount options.
    Tmpfs {
        target: CString,
        options: CString,
    },
    /// A recursive bind; read-only unless `writable`. Always `nosuid`; `nodev` unless `devices`.
    Bind {
        source: CString,
        target: CString,
        writable: bool,
        devices: bool,
    },
    /// A procfs of the sandbox's pid namespace.
    Proc(CString),
    /// Makes the mount at this path read-only (not recursively).
    ReadOnly(CString),
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |s: &CString| String::from_utf8_lossy(s.as_bytes()).into_owned();
        match self {
            Step::Mkdir(path) => write!(f, "creating folder {}", show(path)),
            Step::Touch(path) => write!(f, "creating mount point {}", show(path)),
            Step::Write { path, .. } => write!(f, "writing {}", show(path)),
            Step::Symlink { target, link } => {
                write!(f, "creating symlink {} -> {}", show(link), show(target))
            }
            Step::Tmpfs { target, .. } => write!(f, "mounting a tmpfs on {}", show(target)),
            Step::Bind { source, target, .. } => {
                write!(f, "binding {} to {}", show(source), show(target))
            }
            Step::Proc(path) => write!(f, "mounting proc on {}", show(path)),
            Step::ReadOnly(path) => write!(f, "making {} read-only", show(path)),
        }
    }
}

/// What a host path is, seen without following a final symlink.
enum Kind {
    Folder,
    File,
    Symlink(PathBuf),
    Missing,
}

fn kind(path: &Path) -> Kind {
    match path.symlink_metadata() {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::read_link(path).map_or(Kind::Missing, Kind::Symlink)
        }
        Ok(meta) if meta.is_dir() => Kind::Folder,
        Ok(_) => Kind::File,
        Err(_) => Kind::Missing,
    }
}

fn cstring(path: &Path) -> Result<CString, LaunchError> {
    CString::new(path.as_os_str().as_bytes()).map_err(|_| LaunchError::Nul)
}

/// `base` joined with `guest`, an absolute guest path without `..`.
fn under(base: &str, guest: &Path) -> PathBuf {
    let mut path = PathBuf::from(base);
    path.extend(guest.components().filter(|c| matches!(c, Component::Normal(_))));
    path
}

/// A guest path for a bind: absolute, no `..`, not `/` itself.
fn guest_path(path: &Path) -> Result<PathBuf, LaunchError> {
    let normal = path.is_absolute()
        && path
            .components()
            .all(|c| matches!(c, Component::RootDir | Component::Normal(_) | Component::CurDir))
        && path.components().any(|c| matches!(c, Component::Normal(_)));
    if normal {
        Ok(path.components().collect())
    } else {
        Err(LaunchError::Root(format!(
            "guest path {} must be absolute, below / and without ..",
            path.display()
        )))
    }
}

struct Planner {
    steps: Vec<Step>,
    /// Folders already created under NEW, so each is made once.
    made: Vec<PathBuf>,
}

impl Planner {
    fn push(&mut self, step: Step) {
        self.steps.push(step);
    }

    /// Creates `guest`'s ancestors (and itself when `folder`) in the new tree.
    fn folders(&mut self, guest: &Path, folder: bool) -> Result<(), LaunchError> {
        let mut path = PathBuf::from("/");
        let parts: Vec<_> = guest
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .collect();
        let keep = if folder {
            parts.len()
        } else {
            parts.len().saturating_sub(1)
        };
        for part in &parts[..keep] {
            path.push(part);
            if !self.made.contains(&path) {
                self.made.push(path.clone());
                self.steps.push(Step::Mkdir(cstring(&under(NEW, &path))?));
            }
        }
        Ok(())
    }

    fn tmpfs(&mut self, guest: &str, options: &str) -> Result<(), LaunchError> {
        let guest = Path::new(guest);
        self.folders(guest, true)?;
        self.push(Step::Tmpfs {
            target: cstring(&under(NEW, guest))?,
            options: CString::new(options).map_err(|_| LaunchError::Nul)?,
        });
        Ok(())
    }

    /// Makes host `host` visible at `guest` as the host has it: a folder or file is bound, a
    /// symlink recreated, a missing path skipped.
    fn mirror(
        &mut self,
        host: &Path,
        guest: &Path,
        writable: bool,
        devices: bool,
    ) -> Result<(), LaunchError> {
        match kind(host) {
            Kind::Missing => Ok(()),
            Kind::Symlink(target) => {
                self.folders(guest, false)?;
                self.push(Step::Symlink {
                    target: cstring(&target)?,
                    link: cstring(&under(NEW, guest))?,
                });
                Ok(())
            }
            kind @ (Kind::Folder | Kind::File) => {
                let folder = matches!(kind, Kind::Folder);
                self.bind(host, guest, folder, writable, devices)
            }
        }
    }

    fn bind(
        &mut self,
        host: &Path,
        guest: &Path,
        folder: bool,
        writable: bool,
        devices: bool,
    ) -> Result<(), LaunchError> {
        self.folders(guest, folder)?;
        let target = cstring(&under(NEW, guest))?;
        if !folder {
            self.push(Step::Touch(target.clone()));
        }
        self.push(Step::Bind {
            source: cstring(&under(OLD, host))?,
            target,
            writable,
            devices,
        });
        Ok(())
    }
}

/// The sandbox's `/etc/passwd` and `/etc/group`: `root`, the app and `nobody`, so that
/// `getpwuid` of the app's uid answers (ssh, git and Python's `getpass` ask it) without the
/// host's accounts. The app is named as bionic names app ids, `u0_a<n>` for uid 10000 + n;
/// its home is its folder.
pub fn accounts(root: &GuestRoot) -> (String, String) {
    let uid = root.uid;
    let name = match uid.checked_sub(*APP_UIDS.start()) {
        Some(n) if APP_UIDS.contains(&uid) => format!("u0_a{n}"),
        _ => format!("app_{uid}"),
    };
    let home = root.app_dir();
    let mut passwd = String::from("root:x:0:0:root:/root:/bin/sh\n");
    let mut group = String::from("root:x:0:\n");
    if uid != 0 && uid != 65_534 {
        passwd += &format!("{name}:x:{uid}:{uid}::{}:/bin/sh\n", home.display());
        group += &format!("{name}:x:{uid}:\n");
    }
    passwd += "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
    group += "nogroup:x:65534:\n";
    (passwd, group)
}

/// Plans the guest tree. The host paths are checked now, so that a missing app root or bind
/// source is a clear error before anything is started.
pub(crate) fn plan(root: &GuestRoot) -> Result<Vec<Step>, LaunchError> {
    let mut planner = Planner {
        steps: Vec::new(),
        made: Vec::new(),
    };
    let canonical = |path: &Path, what: &str| {
        path.canonicalize()
            .map_err(|e| LaunchError::Root(format!("{what} {}: {e}", path.display())))
    };
    if root.package.is_empty()
        || root.package.contains('/')
        || root.package.starts_with('.')
        || root.package.contains('\0')
    {
        return Err(LaunchError::Root(format!(
            "package name {:?} cannot name a folder",
            root.package
        )));
    }
    let app_root = canonical(&root.app_root, "app root")?;
    if !app_root.is_dir() {
        return Err(LaunchError::Root(format!(
            "app root {} is not a folder",
            app_root.display()
        )));
    }
    for name in SYSTEM {
        let host = Path::new("/").join(name);
        planner.mirror(&host, &host, false, false)?;
    }
    planner.tmpfs("/etc", "mode=0755,size=64k")?;
    for name in ETC {
        match name.strip_suffix('*') {
            // A prefix: every entry of the host's /etc that starts with it.
            Some(prefix) => {
                let mut matching: Vec<PathBuf> = std::fs::read_dir("/etc")
                    .into_iter()
                    .flatten()
                    .filter_map(Result::ok)
                    .filter(|entry| entry.file_name().to_string_lossy().starts_with(prefix))
                    .map(|entry| entry.path())
                    .collect();
                matching.sort();
                for host in matching {
                    planner.mirror(&host, &host, false, false)?;
                }
            }
            None => {
                let host = Path::new("/etc").join(name);
                planner.mirror(&host, &host, false, false)?;
            }
        }
    }
    let (passwd, group) = accounts(root);
    for (name, contents) in [("passwd", passwd), ("group", group)] {
        planner.push(Step::Write {
            path: cstring(&under(NEW, &Path::new("/etc").join(name)))?,
            contents: contents.into_bytes(),
        });
    }
    planner.tmpfs("/dev", "mode=0755,size=64k")?;
    // The host's own device inodes, bound read-only: reading and writing a device ignores the
    // mount's flag, but `chmod`, `chown` and `utimensat` of the host's `/dev/null` fail
    // (`EROFS`) instead of changing it for the whole machine.
    for name in DEVICES {
        let host = Path::new("/dev").join(name);
        if host.exists() {
            planner.bind(&host, &host, false, false, true)?;
        }
    }
    for (link, target) in [
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ] {
        planner.push(Step::Symlink {
            target: CString::new(target).map_err(|_| LaunchError::Nul)?,
            link: cstring(&under(NEW, &Path::new("/dev").join(link)))?,
        });
    }
    // The Binder devices, as Android 12 and later lay them out (binderfs, with the classic
    // names as links): the bridge serves opens of these paths itself (`crate::binder`); the
    // files only let a guest that checks for them first find them.
    planner.push(Step::Mkdir(cstring(&under(NEW, Path::new("/dev/binderfs")))?));
    // binderfs's feature files, which libbinder reads (`ProcessState::isDriverFeatureEnabled`):
    // "1" for what the shim does, "0" for freeze notifications, which it does not.
    planner.push(Step::Mkdir(cstring(&under(
        NEW,
        Path::new("/dev/binderfs/features"),
    ))?));
    for (feature, enabled) in BINDER_FEATURES {
        planner.push(Step::Write {
            path: cstring(&under(NEW, &Path::new("/dev/binderfs/features").join(feature)))?,
            contents: if *enabled {
                b"1\n".to_vec()
            } else {
                b"0\n".to_vec()
            },
        });
    }
    for name in ["binder", "hwbinder", "vndbinder"] {
        planner.push(Step::Touch(cstring(&under(
            NEW,
            &Path::new("/dev/binderfs").join(name),
        ))?));
        planner.push(Step::Symlink {
            target: CString::new(format!("binderfs/{name}")).map_err(|_| LaunchError::Nul)?,
            link: cstring(&under(NEW, &Path::new("/dev").join(name)))?,
        });
    }
    // Sized, so that a guest filling them cannot take the machine's memory (tmpfs defaults to
    // half of it each).
    planner.tmpfs("/dev/shm", "mode=1777,size=256m")?;
    planner.tmpfs("/tmp", "mode=1777,size=1g,nr_inodes=262144")?;
    planner.folders(Path::new("/proc"), true)?;
    planner.push(Step::Proc(cstring(&under(NEW, Path::new("/proc")))?));
    // The parts of procfs that reach the whole machine are read-only, as in bubblewrap and
    // container runtimes: a guest whose uid is the host's root would otherwise pass the
    // owner check on kernel sysctls (`/proc/sys/kernel/core_pattern`) and `sysrq-trigger`.
    for name in PROC_READ_ONLY {
        if Path::new("/proc").join(name).exists() {
            let path = cstring(&under(NEW, &Path::new("/proc").join(name)))?;
            planner.push(Step::Bind {
                source: path.clone(),
                target: path,
                writable: false,
                devices: false,
            });
        }
    }
    let null = cstring(&under(NEW, Path::new("/dev/null")))?;
    for name in PROC_MASKED {
        if Path::new("/dev/null").exists() && Path::new("/proc").join(name).exists() {
            planner.push(Step::Bind {
                source: null.clone(),
                target: cstring(&under(NEW, &Path::new("/proc").join(name)))?,
                writable: false,
                devices: true,
            });
        }
    }
    for name in SYS {
        let host = Path::new("/sys").join(name);
        planner.mirror(&host, &host, false, false)?;
    }
    planner.bind(&app_root, &root.app_dir(), true, true, false)?;
    for bind in &root.binds {
        let host = canonical(&bind.host, "bind source")?;
        let guest = guest_path(&bind.guest)?;
        planner.bind(&host, &guest, host.is_dir(), bind.writable, false)?;
    }
    // Once the binds are in (some, such as logd's /dev/socket, under /dev), nothing more is
    // made in /dev: as on Android, the app cannot (its /dev/shm stays writable).
    planner.push(Step::ReadOnly(cstring(&under(NEW, Path::new("/dev")))?));
    planner.push(Step::ReadOnly(cstring(&under(NEW, Path::new("/etc")))?));
    planner.push(Step::ReadOnly(cstring(Path::new(NEW))?));
    Ok(planner.steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accounts_are_root_the_app_and_nobody() {
        let app = std::env::temp_dir();
        let root = GuestRoot::new(&app, "com.example.app");
        let (passwd, group) = accounts(&root);
        let uid = root.uid;
        let n = uid - 10_000;
        assert_eq!(
            passwd,
            format!(
                "root:x:0:0:root:/root:/bin/sh\nu0_a{n}:x:{uid}:{uid}::/data/data/com.example.app:/bin/sh\n\
                 nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
            )
        );
        assert_eq!(group, format!("root:x:0:\nu0_a{n}:x:{uid}:\nnogroup:x:65534:\n"));
        let mut system = root.clone();
        system.uid = 1000;
        assert!(accounts(&system).0.contains("app_1000:x:1000:1000::"));
        let text = plan(&root)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>();
        assert!(
            text.contains(&"writing /newroot/etc/passwd".to_string()),
            "{text:?}"
        );
        assert!(
            text.contains(&"making /newroot/etc read-only".to_string()),
            "{text:?}"
        );
        assert!(
            !text.iter().any(|step| step.contains("/oldroot/etc/passwd")),
            "{text:?}"
        );
        assert!(
            text.contains(&"writing /newroot/dev/binderfs/features/extended_error".to_string()),
            "{text:?}"
        );
        if Path::new("/sys/devices/system/cpu").is_dir() {
            assert!(
                text.iter()
                    .any(|step| step.contains("/newroot/sys/devices/system/cpu")
                        && step.contains("/oldroot/sys/devices/system/cpu")),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_plan_binds_the_app_root_and_makes_the_root_read_only() {
        let dir = std::env::temp_dir();
        let mut root = GuestRoot::new(&dir, "com.example.app");
        root.binds.push(Bind {
            host: dir.clone(),
            guest: "/mnt/extra".into(),
            writable: false,
        });
        let steps = plan(&root).unwrap();
        let text: Vec<String> = steps.iter().map(ToString::to_string).collect();
        let app = format!(
            "binding {}{} to /newroot/data/data/com.example.app",
            OLD,
            dir.canonicalize().unwrap().display()
        );
        assert!(text.contains(&app), "{text:#?}");
        assert!(text.contains(&"creating folder /newroot/mnt/extra".to_string()));
        assert!(text.contains(&"mounting proc on /newroot/proc".to_string()));
        assert_eq!(text.last().unwrap(), "making /newroot read-only");
        // Each folder is made once.
        let mut folders: Vec<_> = text.iter().filter(|t| t.starts_with("creating folder")).collect();
        let count = folders.len();
        folders.dedup();
        folders.sort();
        folders.dedup();
        assert_eq!(folders.len(), count);
    }

    #[test]
    fn app_uids_are_stable_and_in_androids_range() {
        let uid = app_uid("com.example.app");
        assert!(APP_UIDS.contains(&uid));
        assert_eq!(uid, app_uid("com.example.app"));
        assert_ne!(uid, app_uid("com.example.other"));
        assert_eq!(GuestRoot::new("/tmp", "com.example.app").uid, uid);
    }

    #[test]
    fn bind_specs_name_the_host_and_the_guest_path() {
        let both = Bind::from_spec(std::ffi::OsStr::new("/srv/data:/mnt/data"), true);
        assert_eq!(
            (both.host.as_path(), both.guest.as_path(), both.writable),
            (Path::new("/srv/data"), Path::new("/mnt/data"), true)
        );
        let same = Bind::from_spec(std::ffi::OsStr::new("/opt/tool"), false);
        assert_eq!(
            (same.host.as_path(), same.guest.as_path(), same.writable),
            (Path::new("/opt/tool"), Path::new("/opt/tool"), false)
        );
    }

    #[test]
    fn bad_roots_are_refused() {
        let dir = std::env::temp_dir();
        for package in ["", "a/b", "..", ".hidden"] {
            assert!(plan(&GuestRoot::new(&dir, package)).is_err(), "{package:?}");
        }
        assert!(plan(&GuestRoot::new("/nonexistent/app", "p")).is_err());
        for guest in ["relative", "/", "/a/../b"] {
            let mut root = GuestRoot::new(&dir, "p");
            root.binds.push(Bind {
                host: dir.clone(),
                guest: guest.into(),
                writable: true,
            });
            assert!(plan(&root).is_err(), "{guest}");
        }
    }
}
