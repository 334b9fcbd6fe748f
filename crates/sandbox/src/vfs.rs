//! The `vfs` server (`hc-vfs`): the app's file namespace, and where the bridge's dispatch runs.
//!
//! # Where the server stands
//! `hc-vfs` is a separate process the supervisor starts per sandbox. Before serving it enters the
//! sandbox's user and mount namespaces (`setns`), which also makes the guest's root its own root:
//! the kernel then resolves every path vfs is asked about exactly as it would for the guest —
//! `..` stops at the guest's `/`, absolute symlinks land in the guest tree, the host is not
//! reachable. It stays in the host's pid namespace, out of the guest's reach (the guest cannot
//! see, signal or trace it), and it keeps an fd of the host's `/proc` from before `setns`,
//! through which it reaches a calling thread's working directory and fds
//! (`/proc/<tid>/cwd`, `/proc/<tid>/fd/<n>`) for relative paths. It runs as the guest's user,
//! and gives up its capabilities when the guest has none, so access checks come out as the
//! guest's own would.
//!
//! # Why the notifications come to vfs, not to the supervisor
//! A first version had the supervisor receive every notification and call vfs over a channel.
//! Measured here (`scripts/bench-sandbox`), that second hop cost two more cross-process
//! wake-ups, about 15 µs on this VM, so a vfs-served `stat` took 38 µs against a 7 µs
//! notification round trip. The kernel allows one listener per filter chain, so the process
//! that serves the most frequent translated calls — the path calls — holds it: `hc-vfs` receives
//! the notifications itself ([`crate::bridge`]) and answers a path call with no extra hop, the
//! way a microkernel delivers a fault straight to the server that handles it. The supervisor
//! keeps a copy of the listener: should `hc-vfs` die, it fails the one call that was in flight
//! with `EIO` (the server publishes that call's id in a shared word) and starts a new server on
//! the same listener, which then takes the queued calls. The `vfs` protocol is still served, on
//! the channel, for native programs.
//!
//! # What it answers
//! Every method of `microkernel::protocols::vfs`; a failure is an error reply carrying the
//! errno the syscall gives the guest. Opened files come back as fds, which the supervisor
//! installs in the guest (`SECCOMP_IOCTL_NOTIF_ADDFD`), so reads and writes then run natively.
//!
//! Known differences from native calls, each the price of resolving on the guest's behalf:
//! - `/proc/self`, `/proc/thread-self`, `/dev/fd/…` and `/dev/std{in,out,err}` at the start of a
//!   path are rewritten to the caller's guest pid; a symlink elsewhere that points through
//!   `/proc/self` does not resolve (vfs has no pid in the guest's namespace).
//! - A FIFO is opened without waiting for its other end (vfs must not block on one caller);
//!   a blocking open that must wait is handed to [`crate::fifo::Waiter`], which answers it
//!   once the other end is there. Channel callers cannot wait: a reader gets a FIFO with no
//!   writer yet, a writer without a reader gets `ENXIO`.

use std::ffi::CString;
use std::io::Read;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use microkernel::protocols::vfs::{self, At};
use microkernel::rpc::{Dispatcher, Reply};
use microkernel::wire::ErrorReply;
use microkernel::{Channel, Error, Handle, Process};
use rustix::io::Errno;

/// Startup fds of `hc-vfs`: its channel to the supervisor, the sandbox's user and mount
/// namespaces, the host's `/proc`, the filter's listener and the in-flight word (a VMO of 8
/// bytes holding the id of the notification being served).
pub const CHANNEL_FD: RawFd = 3;
pub const USER_NS_FD: RawFd = 4;
pub const MOUNT_NS_FD: RawFd = 5;
pub const PROC_FD: RawFd = 6;
pub const LISTENER_FD: RawFd = 7;
pub const IN_FLIGHT_FD: RawFd = 8;
/// Optional: the sandbox's connector to procmgr ([`crate::procmgr`]): `vfs` sends a
/// `service.Connect` on it for each channel it opens to procmgr. Without it, the guest's
/// `/proc` is its pid namespace's procfs as it is.
pub const PROCMGR_FD: RawFd = 9;
/// Set to `1` in `hc-vfs`'s environment, it reports every served call, not only refusals and
/// stub hits.
pub const TRACE_ENV: &str = "HC_VFS_TRACE";
/// The socket of the Binder world the sandbox joins (`hyper-compat binder-world`), when set
/// in `hc-vfs`'s environment; unset, the sandbox has a Binder engine of its own.
pub const BINDER_WORLD_ENV: &str = "HC_BINDER_WORLD";
/// How many threads of `hc-vfs` serve the listener: calls of different guest threads are
/// served at once.
pub const BRIDGE_THREADS: usize = 2;

/// Why `hc-vfs` could not start serving.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("startup handle: {0}")]
    Handle(#[from] Error),
    #[error("{step}: {source}")]
    Os {
        step: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Serve(#[from] crate::ServeError),
    #[error("joining the Binder world at {path}: {source}")]
    World {
        path: PathBuf,
        #[source]
        source: Error,
    },
}

fn os(step: &'static str) -> StartError {
    StartError::Os {
        step,
        source: std::io::Error::last_os_error(),
    }
}

/// `hc-vfs`'s whole life: takes its startup fds, enters the sandbox, serves the `vfs` protocol
/// on its channel (a thread) and the sandbox's notified syscalls on the listener, until the
/// sandbox is gone. Must be called while the process is single-threaded (`setns` into a user
/// namespace requires it).
pub fn server_main() -> Result<(), StartError> {
    use microkernel::startup::take_startup_handle;
    let channel = Channel::try_from(take_startup_handle(CHANNEL_FD)?)?;
    let user_ns = take_startup_handle(USER_NS_FD)?.into_fd();
    let mount_ns = take_startup_handle(MOUNT_NS_FD)?.into_fd();
    let proc = take_startup_handle(PROC_FD)?.into_fd();
    let listener = take_startup_handle(LISTENER_FD)?.into_fd();
    let in_flight = std::fs::File::from(take_startup_handle(IN_FLIGHT_FD)?.into_fd());
    let procmgr_connector = take_startup_handle(PROCMGR_FD)
        .ok()
        .and_then(|handle| Channel::try_from(handle).ok());
    // The world's socket is a host path: connect before entering the sandbox's mounts.
    let world = match std::env::var_os(BINDER_WORLD_ENV) {
        Some(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            Some(Channel::connect(&path).map_err(|source| StartError::World { path, source })?)
        }
        _ => None,
    };
    // SAFETY: prctl, setns, chdir, umask and getuid take plain values and fds we own.
    unsafe {
        // The supervisor's death ends the server.
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        if libc::setns(user_ns.as_raw_fd(), libc::CLONE_NEWUSER) != 0 {
            return Err(os("entering the sandbox's user namespace"));
        }
        if libc::setns(mount_ns.as_raw_fd(), libc::CLONE_NEWNS) != 0 {
            return Err(os("entering the sandbox's mount namespace"));
        }
        if libc::chdir(c"/".as_ptr()) != 0 {
            return Err(os("chdir to the guest's root"));
        }
        // Creation modes are computed with the guest's umask, not ours.
        libc::umask(0);
        // A guest that is not root in its namespace has no capabilities after `execve`;
        // entering the namespace gave vfs all of them, which would let it bypass the
        // permission checks the guest is subject to (crate::caps says what is kept, and why).
        if libc::getuid() != 0 {
            crate::caps::drop_all_but_ptrace().map_err(|source| StartError::Os {
                step: "dropping capabilities",
                source,
            })?;
        }
    }
    drop((user_ns, mount_ns));
    // Made in the guest's mount namespace: it tells the guest's procfs by its device.
    let procmgr = procmgr_connector.map(|connector| std::sync::Arc::new(Procmgr::new(connector)));
    // SAFETY: the supervisor made this memfd for us alone and never truncates it.
    let mut shared = unsafe { memmap2::MmapMut::map_mut(&in_flight) }.map_err(|source| StartError::Os {
        step: "mapping the in-flight slots",
        source,
    })?;
    if shared.len() < crate::bridge::SLOT_SIZE * (BRIDGE_THREADS + crate::parked::SLOTS) {
        return Err(StartError::Os {
            step: "mapping the in-flight slots",
            source: std::io::Error::from_raw_os_error(libc::EINVAL),
        });
    }
    let base = shared.as_mut_ptr().cast::<libc::seccomp_notif>();
    // Each thread its own slot; the mapping (page-aligned, so each slot is aligned) lives until
    // this process exits: the threads return only on error, and `main` then exits.
    // SAFETY: every slot lies inside the mapping, checked above.
    let slots: Vec<crate::bridge::Slot> = (0..BRIDGE_THREADS)
        .map(|i| crate::bridge::Slot(unsafe { base.add(i) }))
        .collect();
    // The slots after the bridge threads' hold the ids of parked calls (their first 8 bytes,
    // where the supervisor reads a slot's id): FIFO opens and Binder reads (crate::parked).
    // SAFETY: as above.
    let parked_slots = (BRIDGE_THREADS..BRIDGE_THREADS + crate::parked::SLOTS)
        .map(|i| crate::parked::IdSlot(unsafe { base.add(i) }.cast::<u64>()))
        .collect();
    let parked = std::sync::Arc::new(crate::parked::Parked::new(parked_slots));
    let fifo = std::sync::Arc::new(
        crate::fifo::Waiter::new(listener.as_fd(), proc.as_fd(), std::sync::Arc::clone(&parked)).map_err(
            |source| StartError::Os {
                step: "starting the FIFO waiter",
                source,
            },
        )?,
    );
    let waiting = std::sync::Arc::clone(&fifo);
    std::thread::spawn(move || waiting.run());
    let channel = std::sync::Arc::new(channel);
    let protocol_proc = rustix::io::fcntl_dupfd_cloexec(&proc, 0).map_err(|e| StartError::Os {
        step: "duplicating the /proc fd",
        source: e.into(),
    })?;
    let protocol_channel = std::sync::Arc::clone(&channel);
    let protocol_procmgr = procmgr.clone();
    std::thread::spawn(move || {
        let mut server = Server {
            untrusted_callers: mount_namespace(&protocol_proc, std::process::id()),
            proc: protocol_proc,
            fault: None,
            procmgr: protocol_procmgr,
            fifo: None,
            statuses: StatusFiles::default(),
        };
        let _ = dispatcher().serve(&mut server, &protocol_channel);
    });
    let server = Server {
        proc,
        fault: std::env::var_os("HC_VFS_FAULT_PATH").map(std::os::unix::ffi::OsStringExt::into_vec),
        untrusted_callers: None,
        procmgr,
        fifo: Some(fifo),
        statuses: StatusFiles::default(),
    };
    let trace = std::env::var_os(TRACE_ENV).is_some_and(|v| v == "1");
    let binder = match world {
        None => crate::binder::Binder::new(&server.proc, listener.as_fd(), parked),
        Some(world) => crate::binder::Binder::joined(&server.proc, listener.as_fd(), world, trace),
    }
    .map_err(|source| StartError::Os {
        step: "starting the Binder shim",
        source,
    })?;
    let background = std::sync::Arc::clone(&binder);
    let telemetry = std::sync::Arc::clone(&channel);
    std::thread::spawn(move || background.background(&telemetry));
    let listener = listener.as_fd();
    std::thread::scope(|scope| {
        let threads: Vec<_> = slots
            .into_iter()
            .map(|in_flight| {
                let (server, channel, binder) = (&server, &channel, &binder);
                scope.spawn(move || crate::bridge::serve(listener, server, binder, channel, in_flight, trace))
            })
            .collect();
        // The threads serve until the supervisor ends the process; one that fails ends it.
        for thread in threads {
            thread.join().expect("bridge threads do not panic")?;
        }
        Ok::<(), StartError>(())
    })?;
    drop(shared);
    Ok(())
}

#[derive(Debug)]
pub struct Server {
    /// The host's `/proc`, opened before entering the sandbox.
    proc: OwnedFd,
    /// Fault injection for the restart tests (`HC_VFS_FAULT_PATH`): a call on exactly this
    /// path kills the server while the call is in flight.
    fault: Option<Vec<u8>>,
    /// The inode of the sandbox's mount namespace when requests come from a channel, whose
    /// thread ids nobody vouches for: a request naming a thread outside the sandbox (whose
    /// working directory and fds would lead out of the tree) is refused with `ESRCH`. `None`
    /// for the bridge, whose thread ids come from the kernel.
    untrusted_callers: Option<u64>,
    /// The way to procmgr, which builds the `/proc` files that would show the host.
    procmgr: Option<std::sync::Arc<Procmgr>>,
    /// The FIFO opens that wait for their other end (the bridge's; none for channel callers).
    pub(crate) fifo: Option<std::sync::Arc<crate::fifo::Waiter>>,
    /// Recent callers' `/proc/<tid>/status`, kept open.
    statuses: StatusFiles,
}

/// The `/proc/<tid>/status` files of the last few callers, kept open: procfs renders the text
/// afresh on each read from offset 0, so a creating call learns its caller's umask with one
/// `pread` instead of an open, reads and a close (12 system calls with `read_to_string`). A
/// file stays bound to the task it was opened for: once that task has exited, reading it fails
/// (`ESRCH`) and the tid is opened again, so a reused tid never reads the old task's values.
#[derive(Debug, Default)]
struct StatusFiles(std::sync::Mutex<Vec<(u32, OwnedFd)>>);

impl StatusFiles {
    /// How many are kept; the oldest goes first.
    const KEPT: usize = 8;

    /// The kept file of `tid`, taken out while it is read (so that two bridge threads never
    /// wait on each other's read).
    fn take(&self, tid: u32) -> Option<OwnedFd> {
        let mut files = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let at = files.iter().position(|(kept, _)| *kept == tid)?;
        Some(files.remove(at).1)
    }

    fn keep(&self, tid: u32, file: OwnedFd) {
        let mut files = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if files.len() >= Self::KEPT {
            files.remove(0);
        }
        files.push((tid, file));
    }
}

/// The whole text of an open procfs file of one record (`status`: procfs hands over all of
/// it at once, so a short read is its end), read from its start; `None` when the read fails
/// (its task is gone). Files of many records (`mountinfo`) may read short before their end:
/// [`Server::proc_text`] reads those to the end.
fn read_proc_record(file: &OwnedFd) -> Option<String> {
    let mut text = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = rustix::io::pread(file, &mut buffer, text.len() as u64).ok()?;
        text.extend_from_slice(&buffer[..read]);
        // A procfs file of one record (`status`) gives all it has at once.
        if read < buffer.len() {
            break;
        }
    }
    Some(String::from_utf8_lossy(&text).into_owned())
}

/// `vfs`'s link to procmgr: a connector, and the channel it opened on it.
#[derive(Debug)]
pub struct Procmgr {
    connector: Channel,
    /// The device of the guest's procfs (`st_dev` of its `/proc`), where the files procmgr
    /// builds are.
    proc_dev: Option<u64>,
    /// `None` until the first call, and again after a call failed because procmgr died.
    channel: std::sync::Mutex<Option<Channel>>,
}

impl Procmgr {
    /// Made in the guest's mount namespace.
    fn new(connector: Channel) -> Procmgr {
        Procmgr {
            connector,
            proc_dev: rustix::fs::stat("/proc").ok().map(|stat| stat.st_dev),
            channel: std::sync::Mutex::new(None),
        }
    }

    /// `/proc/<path>` as procmgr builds it: an fd open read-only on its text. A procmgr
    /// that dies during the call fails it with `EIO`; the next call opens a new channel,
    /// which the supervisor hands to procmgr's successor.
    fn proc_file(&self, proc: &OwnedFd, path: &str) -> Result<OwnedFd, ErrorReply> {
        use microkernel::protocols::{procmgr, service};
        let mut current = self
            .channel
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let channel = match current.as_mut() {
            Some(channel) => channel,
            None => {
                let (ours, theirs) = Channel::pair()?;
                let connect = service::ConnectRequest {
                    name: "procmgr".into(),
                };
                microkernel::rpc::send::<service::Connect>(&self.connector, &connect, vec![theirs.into()])?;
                current.insert(ours)
            }
        };
        let request = procmgr::ProcFileRequest { path: path.into() };
        let vmo = match microkernel::rpc::call::<procmgr::ProcFile>(channel, &request, Vec::new()) {
            Ok((_, handles)) => handles.into_iter().next().ok_or_else(|| fail(libc::EIO))?,
            Err(Error::Remote(reply)) => return Err(reply),
            Err(_) => {
                *current = None;
                return Err(fail(libc::EIO));
            }
        };
        drop(current);
        // The VMO is sealed, but its fd is open for writing: the guest gets a read-only one.
        reopen(proc.as_fd(), vmo.into_fd().as_fd(), rustix::fs::OFlags::RDONLY)
            .map_err(|error| fail(error.raw_os_error().unwrap_or(libc::EIO)))
    }
}

/// What [`Server::open_file`] gives.
pub(crate) enum Opened {
    File(OwnedFd),
    Wait(crate::fifo::Waiting),
}

/// What `open_file` needs to know of a file it opened, from one `statx`.
#[derive(Debug)]
struct Facts {
    mode: u32,
    dev: u64,
    ino: u64,
    /// The id of its mount (as `mountinfo` numbers them).
    mount: u64,
}

impl Facts {
    fn of(file: &OwnedFd) -> Option<Facts> {
        let statx = rustix::fs::statx(
            file,
            c"",
            rustix::fs::AtFlags::EMPTY_PATH,
            rustix::fs::StatxFlags::TYPE | rustix::fs::StatxFlags::INO | rustix::fs::StatxFlags::MNT_ID,
        )
        .ok()?;
        Some(Facts {
            mode: u32::from(statx.stx_mode),
            dev: libc::makedev(statx.stx_dev_major, statx.stx_dev_minor),
            ino: statx.stx_ino,
            mount: statx.stx_mnt_id,
        })
    }

    fn is_fifo(&self) -> bool {
        self.mode & libc::S_IFMT == libc::S_IFIFO
    }
}

type Answer<T> = Result<Reply<T>, ErrorReply>;

/// Reading is 1, writing 2: what open `flags` ask of a file (`O_TRUNC` writes; `O_PATH`
/// neither).
/// The set-user-id and set-group-id bits, which no mode the guest gives keeps: its files are
/// the host's, owned by the user who started the sandbox (root, often), and a set-id program
/// left in the app's folder, or set on a file handed in, would run as that user for anyone on
/// the host. Dropped silently, as Linux drops `S_ISGID` for a group the caller is not in.
const SET_ID: u32 = libc::S_ISUID | libc::S_ISGID;

fn access_of(flags: libc::c_int) -> u32 {
    if flags & libc::O_PATH != 0 {
        return 0;
    }
    let mode = match flags & libc::O_ACCMODE {
        libc::O_RDONLY => 1,
        libc::O_WRONLY => 2,
        _ => 3,
    };
    if flags & libc::O_TRUNC != 0 {
        mode | 2
    } else {
        mode
    }
}

fn fail(errno: i32) -> ErrorReply {
    // An errno of 0 would be success: never let one through as a failure.
    ErrorReply::failed(
        Errno::from_raw_os_error(if errno > 0 { errno } else { libc::EIO }),
        "",
    )
}

fn last_error() -> ErrorReply {
    fail(
        std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO),
    )
}

/// `statx(dirfd, path, flags, mask)` with the request's flags and mask.
fn statx(dirfd: RawFd, path: &std::ffi::CStr, request: &vfs::StatRequest) -> Answer<vfs::StatResponse> {
    let mut buffer = [0u8; 256];
    // SAFETY: statx writes at most sizeof(struct statx) = 256 bytes into the buffer; dirfd is
    // live (or AT_FDCWD) and the path NUL-terminated.
    let result = unsafe {
        libc::syscall(
            libc::SYS_statx,
            dirfd,
            path.as_ptr(),
            request.flags as libc::c_int,
            request.mask,
            buffer.as_mut_ptr(),
        )
    };
    if result < 0 {
        return Err(last_error());
    }
    done(vfs::StatResponse {
        statx: buffer.to_vec(),
    })
}

fn check(result: libc::c_int) -> Result<(), ErrorReply> {
    if result < 0 { Err(last_error()) } else { Ok(()) }
}

fn done<T>(response: T) -> Answer<T> {
    Ok((response, Vec::new()))
}

/// `openat(dirfd, path, flags)` as an owned fd, or the errno as an error reply.
fn open_at(dirfd: RawFd, path: &std::ffi::CStr, flags: libc::c_int) -> Result<OwnedFd, ErrorReply> {
    // SAFETY: openat on a caller's live dirfd (or AT_FDCWD) and a NUL-terminated path.
    let fd = unsafe { libc::openat(dirfd, path.as_ptr(), flags) };
    if fd < 0 {
        return Err(last_error());
    }
    // SAFETY: a fresh fd nobody else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// A new open file description of `file`, a descriptor of this process, with `flags`: opened
/// again through its link in the host's `/proc` (`proc`), which vfs can name while its own
/// `/proc/self` is the guest's.
pub(crate) fn reopen(
    proc: BorrowedFd<'_>,
    file: BorrowedFd<'_>,
    flags: rustix::fs::OFlags,
) -> std::io::Result<OwnedFd> {
    let link = format!("{}/fd/{}", std::process::id(), file.as_raw_fd());
    Ok(rustix::fs::openat(
        proc,
        link.as_str(),
        flags | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )?)
}

/// The inode of the mount namespace of host thread `tid`, through the host's `/proc`.
fn mount_namespace(proc: &OwnedFd, tid: u32) -> Option<u64> {
    let name = CString::new(format!("{tid}/ns/mnt")).ok()?;
    // SAFETY: struct stat is plain data; fstatat writes one.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    crate::caps::with_ptrace(|| {
        // SAFETY: fstatat on our proc fd, a NUL-terminated name and a live stat.
        if unsafe { libc::fstatat(proc.as_raw_fd(), name.as_ptr(), &mut stat, 0) } == 0 {
            Ok(stat.st_ino)
        } else {
            Err(std::io::Error::last_os_error())
        }
    })
    .ok()
}

/// Serializes `watch`'s use of the working directory.
pub(crate) static WATCH_CWD: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `PIDFD_THREAD` (Linux 6.9): a pidfd for a thread, not only a thread-group leader.
const PIDFD_THREAD: libc::c_uint = libc::O_EXCL as libc::c_uint;

/// Spells a `/proc/self`-like prefix for a guest pid and tid.
type Respell = fn(u32, u32) -> String;

/// A guest path resolved for a call: the directory it starts from (`AT_FDCWD`, vfs's own cwd,
/// is the guest's root) and the path's bytes.
struct Resolved {
    base: Option<OwnedFd>,
    path: CString,
    /// `CAP_SYS_PTRACE`, in effect while the call is made, when it is the caller's operation on
    /// one of its own `/proc` entries (see [`own_proc_path`]).
    _ptrace: Option<crate::caps::Raised>,
}

/// How a path into the caller's own `/proc/<pid>` is served. The kernel lets a task reach its
/// own entries (`exe`, `fd/N`, `maps`, `mem`, …) even when it is not dumpable; vfs, another
/// process, needs `CAP_SYS_PTRACE` for that ([`crate::caps`]), which must not carry over to
/// anything the rest of the path reaches (`/proc/self/root/proc/<other>/mem`).
#[derive(Debug, PartialEq, Eq)]
enum OwnPath {
    /// Not an entry of the caller's own (or `.`/`..` among its first components).
    Plain,
    /// The path ends at the entry: the call is made with the capability.
    Whole,
    /// The entry is left for more components: it is opened with the capability (following
    /// it when it is a link) and the rest, starting at byte `entry_end`, resolved from there
    /// without.
    Through { entry_end: usize },
}

/// Classifies `path`, whose first `prefix` bytes are `/proc/<the caller's pid>`.
fn own_proc_path(path: &[u8], prefix: usize) -> OwnPath {
    let rest = &path[prefix..];
    if !rest.is_empty() && rest[0] != b'/' {
        return OwnPath::Plain;
    }
    // (start, end) of each component of the rest, in `path`.
    let mut components = Vec::new();
    let mut i = prefix;
    while i < path.len() {
        if path[i] == b'/' {
            i += 1;
            continue;
        }
        let end = path[i..]
            .iter()
            .position(|&b| b == b'/')
            .map_or(path.len(), |p| i + p);
        components.push((i, end));
        i = end;
    }
    let Some(&(first_start, first_end)) = components.first() else {
        return OwnPath::Plain; // the directory itself needs no ptrace access
    };
    let entry_len = match &path[first_start..first_end] {
        b"task" => 3,
        b"fd" | b"fdinfo" | b"map_files" | b"ns" => 2,
        _ => 1,
    };
    if components
        .iter()
        .take(entry_len)
        .any(|&(start, end)| matches!(&path[start..end], b"." | b".."))
    {
        return OwnPath::Plain;
    }
    if components.len() <= entry_len {
        OwnPath::Whole
    } else {
        OwnPath::Through {
            entry_end: components[entry_len - 1].1,
        }
    }
}

impl Resolved {
    fn dirfd(&self) -> RawFd {
        self.base.as_ref().map_or(libc::AT_FDCWD, AsRawFd::as_raw_fd)
    }
}

impl Server {
    /// Where `at` starts from, and its path with the guest's `/proc/self` spellings rewritten.
    /// Refuses a channel request naming a thread outside the sandbox.
    fn check_caller(&self, tid: u32) -> Result<(), ErrorReply> {
        match self.untrusted_callers {
            Some(ours) if mount_namespace(&self.proc, tid) != Some(ours) => Err(fail(libc::ESRCH)),
            _ => Ok(()),
        }
    }

    fn resolve(&self, at: &At) -> Result<Resolved, ErrorReply> {
        self.check_caller(at.tid)?;
        if self.fault.as_ref() == Some(&at.path) {
            // SAFETY: raise takes a plain value; this is the injected death.
            unsafe { libc::raise(libc::SIGKILL) };
        }
        let (path, own) = self.rewrite(at)?;
        if path.first() != Some(&b'/') {
            let base = Some(self.directory(at.tid, at.dirfd)?);
            let path = CString::new(path).map_err(|_| fail(libc::EINVAL))?;
            return Ok(Resolved {
                base,
                path,
                _ptrace: None,
            });
        }
        // Only for the bridge's callers, whose thread the kernel names.
        let own = own
            .filter(|_| self.untrusted_callers.is_none())
            .map_or(OwnPath::Plain, |prefix| own_proc_path(&path, prefix));
        let (base, path, ptrace) = match own {
            OwnPath::Plain => (None, path, None),
            OwnPath::Whole => (None, path, crate::caps::raised()),
            OwnPath::Through { entry_end } => {
                let entry = CString::new(&path[..entry_end]).map_err(|_| fail(libc::EINVAL))?;
                let base = crate::caps::with_ptrace(|| {
                    open_at(libc::AT_FDCWD, &entry, libc::O_PATH | libc::O_CLOEXEC)
                        .map_err(|reply| std::io::Error::from_raw_os_error(reply.errno))
                })
                .map_err(|error| fail(error.raw_os_error().unwrap_or(libc::EIO)))?;
                let rest = path[entry_end..]
                    .iter()
                    .position(|&b| b != b'/')
                    .map_or(entry_end, |p| entry_end + p);
                (Some(base), path[rest..].to_vec(), None)
            }
        };
        let path = CString::new(path).map_err(|_| fail(libc::EINVAL))?;
        Ok(Resolved {
            base,
            path,
            _ptrace: ptrace,
        })
    }

    /// An `O_PATH` fd of the caller's working directory (`AT_FDCWD`) or of its fd `dirfd`.
    fn directory(&self, tid: u32, dirfd: i32) -> Result<OwnedFd, ErrorReply> {
        let name = if dirfd == At::CWD {
            format!("{tid}/cwd")
        } else if dirfd >= 0 {
            format!("{tid}/fd/{dirfd}")
        } else {
            return Err(fail(libc::EBADF));
        };
        self.open_in_proc(&name).map_err(|error| {
            // A missing fd entry is the guest's bad fd.
            if dirfd != At::CWD && error.errno == libc::ENOENT {
                fail(libc::EBADF)
            } else {
                error
            }
        })
    }

    /// An `O_PATH` fd of `/proc/<name>`: a guest task's working directory or one of its fds,
    /// reached with ptrace access should the task not be dumpable ([`crate::caps`]).
    fn open_in_proc(&self, name: &str) -> Result<OwnedFd, ErrorReply> {
        let name = CString::new(name).map_err(|_| fail(libc::EINVAL))?;
        crate::caps::with_ptrace(|| {
            open_at(self.proc.as_raw_fd(), &name, libc::O_PATH | libc::O_CLOEXEC)
                .map_err(|reply| std::io::Error::from_raw_os_error(reply.errno))
        })
        .map_err(|error| fail(error.raw_os_error().unwrap_or(libc::EIO)))
    }

    /// The path, with `/proc/self`, `/proc/thread-self`, `/proc/net`, `/proc/mounts`, `/dev/fd`
    /// and `/dev/std*` at its start pointed at the caller's guest pid (vfs has none in the
    /// guest's pid namespace).
    /// With the path, the length of its `/proc/<pid>` prefix when it names the caller's own
    /// process: rewritten from `/proc/self` and its kin, or spelled with the caller's pid.
    fn rewrite(&self, at: &At) -> Result<(Vec<u8>, Option<usize>), ErrorReply> {
        let path = &at.path;
        if path.is_empty() {
            return Err(fail(libc::ENOENT));
        }
        let prefixes: [(&[u8], Respell); 8] = [
            (b"/proc/self", |pid, _| format!("/proc/{pid}")),
            // procfs's own links through `self`.
            (b"/proc/net", |pid, _| format!("/proc/{pid}/net")),
            (b"/proc/mounts", |pid, _| format!("/proc/{pid}/mounts")),
            (b"/proc/thread-self", |pid, tid| format!("/proc/{pid}/task/{tid}")),
            (b"/dev/fd", |pid, _| format!("/proc/{pid}/fd")),
            (b"/dev/stdin", |pid, _| format!("/proc/{pid}/fd/0")),
            (b"/dev/stdout", |pid, _| format!("/proc/{pid}/fd/1")),
            (b"/dev/stderr", |pid, _| format!("/proc/{pid}/fd/2")),
        ];
        for (prefix, replace) in prefixes {
            let rest = path.strip_prefix(prefix);
            if let Some(rest) = rest.filter(|rest| rest.is_empty() || rest[0] == b'/') {
                let (pid, tid) = self.guest_ids(at.tid)?;
                let mut rewritten = replace(pid, tid).into_bytes();
                rewritten.extend_from_slice(rest);
                let prefix = format!("/proc/{pid}").len();
                return Ok((rewritten, Some(prefix)));
            }
        }
        // `/proc/<n>` with the caller's own pid, as programs spell it from `getpid()`.
        if let Some(digits) = path.strip_prefix(b"/proc/") {
            let length = digits.iter().take_while(|b| b.is_ascii_digit()).count();
            if length > 0
                && digits.get(length).is_none_or(|&b| b == b'/')
                && let Ok((pid, _)) = self.guest_ids(at.tid)
                && digits[..length] == *pid.to_string().as_bytes()
            {
                return Ok((path.clone(), Some("/proc/".len() + length)));
            }
        }
        Ok((path.clone(), None))
    }

    /// The caller's process and thread ids in the guest's pid namespace (the last numbers of
    /// `NStgid` and `NSpid` in its host status file).
    fn guest_ids(&self, tid: u32) -> Result<(u32, u32), ErrorReply> {
        let status = self.status(tid)?;
        let last = |key: &str| {
            crate::procmgr::field(&status, key)
                .last()
                .ok_or_else(|| fail(libc::ESRCH))
        };
        Ok((last("NStgid")?, last("NSpid")?))
    }

    /// The caller's umask, for creating files as it would.
    fn umask(&self, tid: u32) -> Result<u32, ErrorReply> {
        let status = self.status(tid)?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("Umask:"))
            .and_then(|mask| u32::from_str_radix(mask.trim(), 8).ok())
            .ok_or_else(|| fail(libc::ESRCH))
    }

    fn status(&self, tid: u32) -> Result<String, ErrorReply> {
        if let Some(file) = self.statuses.take(tid)
            && let Some(text) = read_proc_record(&file)
        {
            self.statuses.keep(tid, file);
            return Ok(text);
        }
        let file = self
            .open_host_proc(&format!("{tid}/status"))
            .ok_or_else(|| fail(libc::ESRCH))?;
        let text = read_proc_record(&file).ok_or_else(|| fail(libc::ESRCH))?;
        self.statuses.keep(tid, file);
        Ok(text)
    }

    /// `name` in the host's `/proc`, open for reading; `None` when it cannot be opened.
    fn open_host_proc(&self, name: &str) -> Option<OwnedFd> {
        rustix::fs::openat(
            &self.proc,
            name,
            rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC,
            0.into(),
        )
        .ok()
    }

    /// The text of `name` in the host's `/proc`, or `None` when it cannot be read.
    fn proc_text(&self, name: &str) -> Option<String> {
        let mut text = String::new();
        std::fs::File::from(self.open_host_proc(name)?)
            .read_to_string(&mut text)
            .ok()?;
        Some(text)
    }

    /// `vfs.Open` for a caller that cannot wait: a FIFO open that would wait for its other end
    /// is answered at once (a reader gets its descriptor, a writer `ENXIO`).
    pub fn open(&self, request: vfs::OpenRequest, _: Vec<Handle>) -> Answer<vfs::OpenResponse> {
        let file = match self.open_file(request)? {
            Opened::File(file) => file,
            Opened::Wait(crate::fifo::Waiting::Reader(file)) => {
                crate::fifo::make_blocking(&file);
                file
            }
            Opened::Wait(crate::fifo::Waiting::Writer(_)) => return Err(fail(libc::ENXIO)),
        };
        Ok((vfs::OpenResponse {}, vec![Handle::from(file)]))
    }

    /// Opens a file for the guest, or says that the open must wait for a FIFO's other end
    /// ([`crate::fifo`]): a blocking open for reading of a FIFO, or one for writing that found
    /// no reader.
    pub(crate) fn open_file(&self, request: vfs::OpenRequest) -> Result<Opened, ErrorReply> {
        let at = self.resolve(&request.at)?;
        let flags = request.flags as libc::c_int;
        let creating = flags & libc::O_CREAT != 0 || flags & libc::O_TMPFILE == libc::O_TMPFILE;
        let mode = if creating {
            request.mode & 0o7777 & !SET_ID & !self.umask(request.at.tid)?
        } else {
            0
        };
        // Never wait on a FIFO's other end here (module docs); the guest's own flag is put
        // back below. `O_TRUNC` waits for the checks below: a file outside the tree must not
        // be emptied before it is found that the guest may not write it.
        let open_flags = (flags | libc::O_CLOEXEC | libc::O_NONBLOCK) & !libc::O_TRUNC;
        let fd = if request.resolve == 0 {
            // SAFETY: openat on a live dirfd and a NUL-terminated path.
            unsafe { libc::openat(at.dirfd(), at.path.as_ptr(), open_flags, mode) }
        } else {
            // SAFETY: open_how is plain data; all-zero is a valid value.
            let mut how: libc::open_how = unsafe { std::mem::zeroed() };
            how.flags = open_flags as u64;
            how.mode = u64::from(mode);
            how.resolve = request.resolve;
            // SAFETY: openat2 reads one open_how of the size passed; dirfd and path are live.
            unsafe {
                libc::syscall(
                    libc::SYS_openat2,
                    at.dirfd(),
                    at.path.as_ptr(),
                    &raw const how,
                    size_of::<libc::open_how>(),
                ) as libc::c_int
            }
        };
        let blocking = flags & (libc::O_NONBLOCK | libc::O_PATH) == 0;
        if fd < 0 {
            let error = last_error();
            // A writer with no reader yet: waits, if the file is a FIFO.
            if error.errno == libc::ENXIO && blocking && flags & libc::O_ACCMODE == libc::O_WRONLY {
                // SAFETY: openat on a live dirfd and a NUL-terminated path.
                let fifo =
                    unsafe { libc::openat(at.dirfd(), at.path.as_ptr(), libc::O_PATH | libc::O_CLOEXEC) };
                if fifo >= 0 {
                    // SAFETY: a fresh fd nobody else owns.
                    let fifo = unsafe { OwnedFd::from_raw_fd(fifo) };
                    if Facts::of(&fifo).is_some_and(|facts| facts.is_fifo()) {
                        return Ok(Opened::Wait(crate::fifo::Waiting::Writer(fifo)));
                    }
                }
            }
            return Err(error);
        }
        // SAFETY: a fresh fd nobody else owns.
        let file = unsafe { OwnedFd::from_raw_fd(fd) };
        // One stat for what follows: FIFOs wait, files outside the tree are checked, procmgr's
        // files are swapped in.
        let stat = Facts::of(&file);
        if stat.as_ref().is_some_and(Facts::is_fifo) {
            if let Some(waiter) = &self.fifo {
                waiter.hint();
            }
            // A blocking reader waits for a writer (it keeps the descriptor non-blocking until
            // it is handed over); a writer found its reader, and O_RDWR never waits.
            if blocking && flags & libc::O_ACCMODE == libc::O_RDONLY {
                return Ok(Opened::Wait(crate::fifo::Waiting::Reader(file)));
            }
        }
        if blocking {
            // The status flags F_SETFL sets, as the guest asked for them (not O_ASYNC, which
            // open ignores and F_SETFL would switch on): no F_GETFL needed.
            let kept = flags & (libc::O_APPEND | libc::O_DIRECT | libc::O_NOATIME);
            // SAFETY: fcntl on an fd we own.
            check(unsafe { libc::fcntl(fd, libc::F_SETFL, kept) })?;
        }
        self.no_more_than_its_descriptors(request.at.tid, stat.as_ref(), flags)?;
        let file = match self.built_by_procmgr(&file, stat.as_ref(), flags)? {
            Some(built) => built,
            None => file,
        };
        // What `O_TRUNC` does, as Linux does it: regular files only, and (for a read-only open)
        // only with write permission, which a truncate through the descriptor's link checks.
        if flags & libc::O_TRUNC != 0
            && stat
                .as_ref()
                .is_some_and(|stat| stat.mode & libc::S_IFMT == libc::S_IFREG)
        {
            if flags & libc::O_ACCMODE == libc::O_RDONLY {
                // Reopened for writing through its link in the host's /proc (vfs is in no
                // pid namespace the guest's /proc shows), which checks write permission.
                let link =
                    CString::new(format!("self/fd/{}", file.as_raw_fd())).map_err(|_| fail(libc::EINVAL))?;
                let writable = open_at(
                    self.proc.as_raw_fd(),
                    &link,
                    libc::O_WRONLY | libc::O_CLOEXEC | libc::O_NONBLOCK,
                )?;
                // SAFETY: ftruncate on an fd we own, open for writing.
                check(unsafe { libc::ftruncate(writable.as_raw_fd(), 0) })?;
            } else {
                // SAFETY: ftruncate on an fd we own, open for writing.
                check(unsafe { libc::ftruncate(file.as_raw_fd(), 0) })?;
            }
        }
        Ok(Opened::File(file))
    }

    /// A regular file or folder outside the guest's tree (on no mount of its namespace) can
    /// only have been reached through one of its descriptors' magic links (`/proc/self/fd/1`,
    /// `/dev/stdout`): its stdio, handed in by whoever started it. Reopening one must not give
    /// more than the descriptors do: the guest runs as the user who owns such files, so the
    /// kernel alone would let it read a log it was given to write to. Refused with `EACCES`
    /// unless one of the caller's descriptors of the same file allows the access asked for;
    /// pipes, sockets and devices (a terminal) reopen as on Linux.
    fn no_more_than_its_descriptors(
        &self,
        tid: u32,
        stat: Option<&Facts>,
        flags: libc::c_int,
    ) -> Result<(), ErrorReply> {
        let Some(stat) = stat else {
            return Ok(());
        };
        let kind = stat.mode & libc::S_IFMT;
        if kind != libc::S_IFREG && kind != libc::S_IFDIR {
            return Ok(());
        }
        // In the tree; or on a mount of no namespace (a memfd's, `O_TMPFILE`'s on an internal
        // mount): no file of the host's.
        if self.tree_mounts().contains(&stat.mount)
            || self.host_mounts().is_some_and(|host| !host.contains(&stat.mount))
        {
            return Ok(());
        }
        let wanted = access_of(flags);
        let held = self.access_held(tid, stat);
        if wanted & !held == 0 {
            Ok(())
        } else {
            Err(fail(libc::EACCES))
        }
    }

    /// The mount ids of the guest's namespace, which is vfs's own (read once: the guest can
    /// mount nothing).
    fn tree_mounts(&self) -> &'static [u64] {
        static MOUNTS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
        MOUNTS.get_or_init(|| self.mount_ids(std::process::id()).unwrap_or_default())
    }

    /// The mount ids of the namespace the sandbox was started from (its supervisor's, vfs's
    /// parent), or `None` when they cannot be read.
    fn host_mounts(&self) -> Option<&'static [u64]> {
        static MOUNTS: std::sync::OnceLock<Option<Vec<u64>>> = std::sync::OnceLock::new();
        MOUNTS
            .get_or_init(|| self.mount_ids(std::os::unix::process::parent_id()))
            .as_deref()
    }

    fn mount_ids(&self, pid: u32) -> Option<Vec<u64>> {
        let text = self.proc_text(&format!("{pid}/mountinfo"))?;
        Some(
            text.lines()
                .filter_map(|line| line.split(' ').next()?.parse().ok())
                .collect(),
        )
    }

    /// What the caller's descriptors of the file `stat` describes let it do: the union of
    /// their access modes ([`access_of`]); and reading, when the file is the program it runs
    /// (`/proc/self/exe`: the kernel read it to start it).
    fn access_held(&self, tid: u32, stat: &Facts) -> u32 {
        let exe = format!("{tid}/exe");
        let running = rustix::fs::statat(&self.proc, exe.as_str(), rustix::fs::AtFlags::empty())
            .is_ok_and(|exe| exe.st_dev == stat.dev && exe.st_ino == stat.ino);
        u32::from(running) | self.access_of_descriptors(tid, stat)
    }

    fn access_of_descriptors(&self, tid: u32, stat: &Facts) -> u32 {
        let folder = format!("{tid}/fd");
        let Ok(fds) = rustix::fs::openat(
            &self.proc,
            folder.as_str(),
            rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
            0.into(),
        ) else {
            return 0;
        };
        let Ok(entries) = rustix::fs::Dir::read_from(&fds) else {
            return 0;
        };
        let mut held = 0;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let same = rustix::fs::statat(&fds, name.as_ref(), rustix::fs::AtFlags::empty())
                .is_ok_and(|other| other.st_dev == stat.dev && other.st_ino == stat.ino);
            if !same {
                continue;
            }
            let text = self
                .proc_text(&format!("{tid}/fdinfo/{name}"))
                .unwrap_or_default();
            let flags = text
                .lines()
                .find_map(|line| line.strip_prefix("flags:"))
                .and_then(|octal| i64::from_str_radix(octal.trim(), 8).ok());
            if let Some(flags) = flags {
                held |= access_of(flags as libc::c_int & !libc::O_TRUNC);
            }
        }
        held
    }

    /// procmgr's version of `file` when it is one of the `/proc` files procmgr builds
    /// ([`crate::procmgr::PROC_FILES`]) opened for reading: decided on the file opened, so every
    /// spelling of its path (`..`, symlinks, a dirfd in `/proc`) gets the same answer.
    fn built_by_procmgr(
        &self,
        file: &OwnedFd,
        stat: Option<&Facts>,
        flags: libc::c_int,
    ) -> Result<Option<OwnedFd>, ErrorReply> {
        let Some(procmgr) = &self.procmgr else {
            return Ok(None);
        };
        if flags & libc::O_ACCMODE != libc::O_RDONLY || flags & libc::O_PATH != 0 {
            return Ok(None);
        }
        // On the guest's procfs, or not one of them.
        if procmgr.proc_dev.is_none() || stat.map(|stat| stat.dev) != procmgr.proc_dev {
            return Ok(None);
        }
        // Where the file is in the guest's tree (vfs shares its mount namespace).
        let link = format!("{}/fd/{}", std::process::id(), file.as_raw_fd());
        let Ok(path) = rustix::fs::readlinkat(&self.proc, link.as_str(), Vec::new()) else {
            return Ok(None);
        };
        let path = path.to_string_lossy();
        match path.strip_prefix("/proc/") {
            Some(name) if crate::procmgr::PROC_FILES.contains(&name) => {
                procmgr.proc_file(&self.proc, name).map(Some)
            }
            _ => Ok(None),
        }
    }

    pub fn stat(&self, request: vfs::StatRequest, _: Vec<Handle>) -> Answer<vfs::StatResponse> {
        if let Some(answer) = self.stat_from_cwd(&request) {
            return answer;
        }
        let at = self.resolve(&request.at)?;
        statx(at.dirfd(), &at.path, &request)
    }

    /// The `stat` of a path relative to the caller's working directory (the most common
    /// kind), as one `statx` of `<tid>/cwd/<path>` in the host's `/proc`: the kernel follows
    /// the caller's `cwd` link, with the same ptrace-access check as opening it, and resolves
    /// the rest from there, as [`Server::resolve`] does with an fd of the directory, without
    /// opening and closing that fd (about 0.8 µs of a 5 µs `stat` here). `None` where that
    /// would not answer as the guest's own call would, and the general path must:
    /// - other callers than the bridge's, whose thread is checked first ([`Server::check_caller`]);
    /// - a path that the prefix would take past `PATH_MAX`;
    /// - `EACCES`/`EPERM`, which may be the link's ptrace-access check (a caller that is not
    ///   dumpable; the general path retries that with `CAP_SYS_PTRACE`, which must not be in
    ///   effect for the rest of the path), and `ELOOP`, as the link counts towards the
    ///   kernel's limit of 40 links in a path.
    fn stat_from_cwd(&self, request: &vfs::StatRequest) -> Option<Answer<vfs::StatResponse>> {
        let at = &request.at;
        if self.untrusted_callers.is_some()
            || self.fault.is_some()
            || at.dirfd != At::CWD
            || at.path.first().is_none_or(|&b| b == b'/')
        {
            return None;
        }
        let mut path = format!("{}/cwd/", at.tid).into_bytes();
        path.extend_from_slice(&at.path);
        if path.len() >= libc::PATH_MAX as usize {
            return None;
        }
        // A NUL inside the path: the general path gives the error.
        let path = CString::new(path).ok()?;
        match statx(self.proc.as_raw_fd(), &path, request) {
            Err(error) if matches!(error.errno, libc::EACCES | libc::EPERM | libc::ELOOP) => None,
            answer => Some(answer),
        }
    }

    pub fn statfs(&self, request: vfs::StatfsRequest, _: Vec<Handle>) -> Answer<vfs::StatfsResponse> {
        let at = self.resolve(&request.at)?;
        let file = open_at(at.dirfd(), &at.path, libc::O_PATH | libc::O_CLOEXEC)?;
        // SAFETY: struct statfs is plain data; all-zero is a valid value.
        let mut figures: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: fstatfs writes one struct statfs; O_PATH fds are accepted.
        check(unsafe { libc::fstatfs(file.as_raw_fd(), &mut figures) })?;
        // SAFETY: viewing a live plain-data struct as its bytes.
        let bytes = unsafe {
            std::slice::from_raw_parts((&raw const figures).cast::<u8>(), size_of::<libc::statfs>())
        };
        done(vfs::StatfsResponse {
            statfs: bytes.to_vec(),
        })
    }

    pub fn access(&self, request: vfs::AccessRequest, _: Vec<Handle>) -> Answer<vfs::AccessResponse> {
        let at = self.resolve(&request.at)?;
        // SAFETY: faccessat2 on a live dirfd and a NUL-terminated path.
        let result = unsafe {
            libc::syscall(
                libc::SYS_faccessat2,
                at.dirfd(),
                at.path.as_ptr(),
                request.mode as libc::c_int,
                request.flags as libc::c_int,
            )
        };
        check(result as libc::c_int)?;
        done(vfs::AccessResponse {})
    }

    pub fn mknod(&self, request: vfs::MknodRequest, _: Vec<Handle>) -> Answer<vfs::MknodResponse> {
        let kind = request.mode & libc::S_IFMT;
        if kind != 0 && ![libc::S_IFREG, libc::S_IFIFO, libc::S_IFSOCK].contains(&kind) {
            return Err(fail(libc::EPERM));
        }
        let at = self.resolve(&request.at)?;
        let mode = (request.mode & libc::S_IFMT)
            | (request.mode & 0o7777 & !SET_ID & !self.umask(request.at.tid)?);
        // SAFETY: mknodat on a live dirfd and a NUL-terminated path.
        check(unsafe { libc::mknodat(at.dirfd(), at.path.as_ptr(), mode, 0) })?;
        done(vfs::MknodResponse {})
    }

    pub fn watch(&self, request: vfs::WatchRequest, _: Vec<Handle>) -> Answer<vfs::WatchResponse> {
        let at = self.resolve(&request.at)?;
        // The guest's inotify instance, borrowed through a pidfd of the calling thread.
        // SAFETY: pidfd_open takes plain values.
        let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, request.at.tid, PIDFD_THREAD) };
        if pidfd < 0 {
            return Err(last_error());
        }
        // SAFETY: a fresh fd nobody else owns.
        let pidfd = unsafe { OwnedFd::from_raw_fd(pidfd as RawFd) };
        // SAFETY: pidfd_getfd takes plain values and returns a new fd (CLOEXEC).
        let inotify = unsafe { libc::syscall(libc::SYS_pidfd_getfd, pidfd.as_raw_fd(), request.fd, 0) };
        if inotify < 0 {
            return Err(last_error());
        }
        // SAFETY: a fresh fd nobody else owns.
        let inotify = unsafe { OwnedFd::from_raw_fd(inotify as RawFd) };
        // inotify_add_watch has no *at form: a relative path is taken from the base, made the
        // working directory for the call. Every other call of this process names absolute
        // paths or passes a dirfd, so the other bridge thread is not affected.
        let _lock = WATCH_CWD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(base) = &at.base {
            // SAFETY: fchdir on a live fd.
            check(unsafe { libc::fchdir(base.as_raw_fd()) })?;
        }
        // SAFETY: inotify_add_watch on an fd we own and a NUL-terminated path.
        let wd = unsafe { libc::inotify_add_watch(inotify.as_raw_fd(), at.path.as_ptr(), request.mask) };
        let error = (wd < 0).then(last_error);
        if at.base.is_some() {
            // SAFETY: chdir to a literal.
            unsafe { libc::chdir(c"/".as_ptr()) };
        }
        match error {
            Some(error) => Err(error),
            None => done(vfs::WatchResponse { wd }),
        }
    }

    pub fn mkdir(&self, request: vfs::MkdirRequest, _: Vec<Handle>) -> Answer<vfs::MkdirResponse> {
        let at = self.resolve(&request.at)?;
        let mode = request.mode & 0o7777 & !self.umask(request.at.tid)?;
        // SAFETY: mkdirat on a live dirfd and a NUL-terminated path.
        check(unsafe { libc::mkdirat(at.dirfd(), at.path.as_ptr(), mode) })?;
        done(vfs::MkdirResponse {})
    }

    pub fn unlink(&self, request: vfs::UnlinkRequest, _: Vec<Handle>) -> Answer<vfs::UnlinkResponse> {
        let at = self.resolve(&request.at)?;
        // SAFETY: unlinkat on a live dirfd and a NUL-terminated path.
        check(unsafe { libc::unlinkat(at.dirfd(), at.path.as_ptr(), request.flags as libc::c_int) })?;
        done(vfs::UnlinkResponse {})
    }

    pub fn rename(&self, request: vfs::RenameRequest, _: Vec<Handle>) -> Answer<vfs::RenameResponse> {
        let from = self.resolve(&request.from)?;
        let to = self.resolve(&request.to)?;
        // SAFETY: renameat2 on live dirfds and NUL-terminated paths.
        let result = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                from.dirfd(),
                from.path.as_ptr(),
                to.dirfd(),
                to.path.as_ptr(),
                request.flags,
            )
        };
        check(result as libc::c_int)?;
        done(vfs::RenameResponse {})
    }

    pub fn readlink(&self, request: vfs::ReadlinkRequest, _: Vec<Handle>) -> Answer<vfs::ReadlinkResponse> {
        let at = self.resolve(&request.at)?;
        let mut buffer = vec![0u8; libc::PATH_MAX as usize];
        // SAFETY: readlinkat writes at most buffer.len() bytes into the buffer.
        let length = unsafe {
            libc::readlinkat(
                at.dirfd(),
                at.path.as_ptr(),
                buffer.as_mut_ptr().cast(),
                buffer.len(),
            )
        };
        let length = usize::try_from(length).map_err(|_| last_error())?;
        buffer.truncate(length);
        done(vfs::ReadlinkResponse { target: buffer })
    }

    pub fn symlink(&self, request: vfs::SymlinkRequest, _: Vec<Handle>) -> Answer<vfs::SymlinkResponse> {
        let at = self.resolve(&request.at)?;
        let target = CString::new(request.target).map_err(|_| fail(libc::EINVAL))?;
        // SAFETY: symlinkat on a live dirfd and NUL-terminated strings.
        check(unsafe { libc::symlinkat(target.as_ptr(), at.dirfd(), at.path.as_ptr()) })?;
        done(vfs::SymlinkResponse {})
    }

    pub fn link(&self, request: vfs::LinkRequest, _: Vec<Handle>) -> Answer<vfs::LinkResponse> {
        let from = self.resolve(&request.from)?;
        let to = self.resolve(&request.to)?;
        // AT_EMPTY_PATH would link an fd's file: refused as the kernel refuses it to apps.
        let flags = request.flags as libc::c_int & libc::AT_SYMLINK_FOLLOW;
        if request.flags as libc::c_int & !libc::AT_SYMLINK_FOLLOW != 0 {
            return Err(fail(libc::EINVAL));
        }
        // SAFETY: linkat on live dirfds and NUL-terminated paths.
        check(unsafe {
            libc::linkat(
                from.dirfd(),
                from.path.as_ptr(),
                to.dirfd(),
                to.path.as_ptr(),
                flags,
            )
        })?;
        done(vfs::LinkResponse {})
    }

    pub fn chmod(&self, request: vfs::ChmodRequest, _: Vec<Handle>) -> Answer<vfs::ChmodResponse> {
        let at = self.resolve(&request.at)?;
        let mode = request.mode & !SET_ID;
        // SAFETY: fchmodat2 (Linux 6.6; fchmodat without flags) on a live dirfd and a
        // NUL-terminated path.
        let result = unsafe {
            if request.flags == 0 {
                libc::syscall(libc::SYS_fchmodat, at.dirfd(), at.path.as_ptr(), mode)
            } else {
                libc::syscall(
                    452, // fchmodat2
                    at.dirfd(),
                    at.path.as_ptr(),
                    mode,
                    request.flags,
                )
            }
        };
        check(result as libc::c_int)?;
        done(vfs::ChmodResponse {})
    }

    pub fn chown(&self, request: vfs::ChownRequest, _: Vec<Handle>) -> Answer<vfs::ChownResponse> {
        let at = self.resolve(&request.at)?;
        // SAFETY: fchownat on a live dirfd and a NUL-terminated path.
        check(unsafe {
            libc::fchownat(
                at.dirfd(),
                at.path.as_ptr(),
                request.uid,
                request.gid,
                request.flags as libc::c_int,
            )
        })?;
        done(vfs::ChownResponse {})
    }

    pub fn truncate(&self, request: vfs::TruncateRequest, _: Vec<Handle>) -> Answer<vfs::TruncateResponse> {
        let at = self.resolve(&request.at)?;
        let length = i64::try_from(request.length).map_err(|_| fail(libc::EINVAL))?;
        // truncate(2) needs write permission, as opening for writing does.
        let file = open_at(
            at.dirfd(),
            &at.path,
            libc::O_WRONLY | libc::O_CLOEXEC | libc::O_NONBLOCK,
        )?;
        // A file outside the tree (a descriptor's link) only when one of the caller's
        // descriptors of it may write.
        self.no_more_than_its_descriptors(request.at.tid, Facts::of(&file).as_ref(), libc::O_WRONLY)?;
        // SAFETY: ftruncate on an fd we own.
        check(unsafe { libc::ftruncate(file.as_raw_fd(), length) })?;
        done(vfs::TruncateResponse {})
    }

    pub fn utimens(&self, request: vfs::UtimensRequest, _: Vec<Handle>) -> Answer<vfs::UtimensResponse> {
        let times = request.times.map(|times| {
            times.map(|(seconds, nanoseconds)| libc::timespec {
                tv_sec: seconds,
                tv_nsec: nanoseconds,
            })
        });
        let times_ptr = times.as_ref().map_or(std::ptr::null(), |t| t.as_ptr());
        // An empty path names the file the dirfd is open on (futimens).
        if request.at.path.is_empty() {
            self.check_caller(request.at.tid)?;
            if request.at.dirfd == At::CWD || request.at.dirfd < 0 {
                return Err(fail(libc::EBADF));
            }
            let name = CString::new(format!("{}/fd/{}", request.at.tid, request.at.dirfd))
                .map_err(|_| fail(libc::EINVAL))?;
            // The guest's own fd, through its fd link (which needs ptrace access to follow
            // should the guest not be dumpable; the capability changes no check of the file).
            let result = crate::caps::with_ptrace(|| {
                // SAFETY: utimensat on our proc fd, a NUL-terminated name and two timespecs or
                // null.
                match unsafe { libc::utimensat(self.proc.as_raw_fd(), name.as_ptr(), times_ptr, 0) } {
                    0 => Ok(()),
                    _ => Err(std::io::Error::last_os_error()),
                }
            });
            let result = result.map_err(|error| fail(error.raw_os_error().unwrap_or(libc::EIO)));
            return match result {
                Err(error) if error.errno == libc::ENOENT => Err(fail(libc::EBADF)),
                other => other.and_then(|()| done(vfs::UtimensResponse {})),
            };
        }
        let at = self.resolve(&request.at)?;
        // SAFETY: utimensat on a live dirfd, a NUL-terminated path and two timespecs or null.
        check(unsafe {
            libc::utimensat(
                at.dirfd(),
                at.path.as_ptr(),
                times_ptr,
                request.flags as libc::c_int,
            )
        })?;
        done(vfs::UtimensResponse {})
    }
}

fn dispatcher() -> Dispatcher<Server> {
    Dispatcher::new()
        .on::<vfs::Open>(|server: &mut Server, request, handles| server.open(request, handles))
        .on::<vfs::Stat>(|server: &mut Server, request, handles| server.stat(request, handles))
        .on::<vfs::Statfs>(|server: &mut Server, request, handles| server.statfs(request, handles))
        .on::<vfs::Mknod>(|server: &mut Server, request, handles| server.mknod(request, handles))
        .on::<vfs::Watch>(|server: &mut Server, request, handles| server.watch(request, handles))
        .on::<vfs::Access>(|server: &mut Server, request, handles| server.access(request, handles))
        .on::<vfs::Mkdir>(|server: &mut Server, request, handles| server.mkdir(request, handles))
        .on::<vfs::Unlink>(|server: &mut Server, request, handles| server.unlink(request, handles))
        .on::<vfs::Rename>(|server: &mut Server, request, handles| server.rename(request, handles))
        .on::<vfs::Readlink>(|server: &mut Server, request, handles| server.readlink(request, handles))
        .on::<vfs::Symlink>(|server: &mut Server, request, handles| server.symlink(request, handles))
        .on::<vfs::Link>(|server: &mut Server, request, handles| server.link(request, handles))
        .on::<vfs::Chmod>(|server: &mut Server, request, handles| server.chmod(request, handles))
        .on::<vfs::Chown>(|server: &mut Server, request, handles| server.chown(request, handles))
        .on::<vfs::Truncate>(|server: &mut Server, request, handles| server.truncate(request, handles))
        .on::<vfs::Utimens>(|server: &mut Server, request, handles| server.utimens(request, handles))
}

/// One running `hc-vfs`, as the supervisor holds it.
#[derive(Debug)]
pub struct Running {
    pub process: Process,
    /// The server's end writes stub events here; it closes when the server ends.
    pub channel: Channel,
}

/// Starts `program` (an `hc-vfs` binary) for the sandbox of `namespaces`, handing it the
/// filter's `listener` and the `in_flight` word, and the Binder world to join if any.
pub fn start(
    config: &crate::Config,
    namespaces: &crate::launch::Namespaces,
    listener: BorrowedFd<'_>,
    in_flight: BorrowedFd<'_>,
    procmgr: Option<BorrowedFd<'_>>,
) -> Result<Running, Error> {
    let (ours, theirs) = Channel::pair()?;
    let proc = std::fs::File::open("/proc")
        .map(OwnedFd::from)
        .map_err(|source| Error::Io {
            op: "opening /proc",
            source,
        })?;
    let mut command = Command::new(&config.vfs);
    command
        .args(&config.vfs_args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .env(TRACE_ENV, if config.trace { "1" } else { "0" });
    match config.binder_world.as_deref() {
        Some(path) => command.env(BINDER_WORLD_ENV, path),
        None => command.env_remove(BINDER_WORLD_ENV),
    };
    let theirs = Handle::from(theirs).into_fd();
    let mut handles = vec![
        (theirs.as_fd(), CHANNEL_FD),
        (namespaces.user.as_fd(), USER_NS_FD),
        (namespaces.mount.as_fd(), MOUNT_NS_FD),
        (proc.as_fd(), PROC_FD),
        (listener, LISTENER_FD),
        (in_flight, IN_FLIGHT_FD),
    ];
    handles.extend(procmgr.map(|connector| (connector, PROCMGR_FD)));
    let process = Process::spawn(command, &handles)?;
    Ok(Running {
        process,
        channel: ours,
    })
}

/// The `hc-vfs` binary next to the running executable (where cargo and installs put it).
pub fn default_program() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .map(|dir| {
            // Test binaries live one level down, in `deps/`.
            let beside = dir.join("hc-vfs");
            if beside.exists() {
                beside
            } else {
                dir.parent().map_or(beside, |up| up.join("hc-vfs"))
            }
        })
        .unwrap_or_else(|| PathBuf::from("hc-vfs"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_callers_own_proc_entry_gets_ptrace_access() {
        let own = |path: &str| own_proc_path(path.as_bytes(), "/proc/42".len());
        assert_eq!(own("/proc/42"), OwnPath::Plain);
        assert_eq!(own("/proc/42/"), OwnPath::Plain);
        assert_eq!(own("/proc/42/exe"), OwnPath::Whole);
        assert_eq!(own("/proc/42/fd/3"), OwnPath::Whole);
        assert_eq!(own("/proc/42//fd//3/"), OwnPath::Whole);
        assert_eq!(own("/proc/42/task/43/maps"), OwnPath::Whole);
        assert_eq!(own("/proc/42/fd"), OwnPath::Whole);
        // What lies beyond the entry is reached without the capability.
        assert_eq!(
            own("/proc/42/root/proc/7/mem"),
            OwnPath::Through { entry_end: 13 }
        );
        assert_eq!(own("/proc/42/cwd/notes"), OwnPath::Through { entry_end: 12 });
        assert_eq!(own("/proc/42/fd/3/x"), OwnPath::Through { entry_end: 13 });
        // Leaving the directory at once is not the caller's own.
        assert_eq!(own("/proc/42/../7/mem"), OwnPath::Plain);
        assert_eq!(own("/proc/42/./mem"), OwnPath::Plain);
        assert_eq!(own("/proc/42/fd/../../7/mem"), OwnPath::Plain);
        assert_eq!(own("/proc/421/mem"), OwnPath::Plain);
    }

    fn server(untrusted_callers: Option<u64>) -> Server {
        let proc = OwnedFd::from(std::fs::File::open("/proc").unwrap());
        Server {
            proc,
            fault: None,
            untrusted_callers,
            procmgr: None,
            fifo: None,
            statuses: StatusFiles::default(),
        }
    }

    fn stat(server: &Server, tid: u32) -> Result<(), i32> {
        let request = vfs::StatRequest {
            at: At {
                tid,
                dirfd: At::CWD,
                path: b".".to_vec(),
            },
            flags: 0,
            mask: libc::STATX_BASIC_STATS,
        };
        server
            .stat(request, Vec::new())
            .map(|_| ())
            .map_err(|reply| reply.errno)
    }

    #[test]
    fn channel_requests_for_threads_outside_the_sandbox_are_refused() {
        let me = std::process::id();
        let ours = mount_namespace(&server(None).proc, me).unwrap();
        // A thread in the server's mount namespace is served; one outside it is not, and a
        // thread id that does not exist is not either.
        assert_eq!(stat(&server(Some(ours)), me), Ok(()));
        assert_eq!(stat(&server(Some(ours ^ 1)), me), Err(libc::ESRCH));
        assert_eq!(stat(&server(Some(ours)), u32::MAX), Err(libc::ESRCH));
        // The bridge's requests carry kernel-given thread ids and are not checked.
        assert_eq!(stat(&server(None), me), Ok(()));
    }

    #[test]
    fn a_kept_status_file_reads_the_callers_umask_as_it_is_now_and_fails_once_it_is_gone() {
        use std::io::{BufRead, Write};
        let mut shell = std::process::Command::new("sh")
            .args([
                "-c",
                "umask 027; echo ready; read x; umask 077; echo again; read y",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = shell.id();
        let mut input = shell.stdin.take().unwrap();
        let mut output = std::io::BufReader::new(shell.stdout.take().unwrap());
        let mut line = String::new();
        let server = server(None);
        output.read_line(&mut line).unwrap();
        assert_eq!(server.umask(pid).map_err(|e| e.errno), Ok(0o027));
        // The second read goes through the kept file, and sees the change.
        writeln!(input).unwrap();
        output.read_line(&mut line).unwrap();
        assert_eq!(line, "ready\nagain\n");
        assert_eq!(server.statuses.0.lock().unwrap().len(), 1);
        assert_eq!(server.umask(pid).map_err(|e| e.errno), Ok(0o077));
        writeln!(input).unwrap();
        assert!(shell.wait().unwrap().success());
        // Reaped: the kept file fails, and so does opening the pid again.
        assert_eq!(server.umask(pid).map_err(|e| e.errno), Err(libc::ESRCH));
        assert!(server.statuses.0.lock().unwrap().is_empty());
    }
}
