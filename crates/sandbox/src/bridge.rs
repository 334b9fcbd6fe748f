//! The bridge's dispatch loop: receives the guest's notified syscalls on the filter's
//! listener, decides each one and answers it. It runs in the `hc-vfs` process (see
//! [`crate::vfs`] for why), which serves path calls itself, answers `uname` with the target's
//! identity, lets `ioctl` and the credential calls through to the kernel, and reports every call
//! it does not emulate to the supervisor as a `logd.Telemetry` stub event (the call fails with
//! `ENOSYS`; none is left on x86-64, a test checks, but a row the table gains would be one).
//!
//! Rules (DESIGN.md, "The syscall bridge"): guest memory is copied once with
//! `process_vm_readv`, and the notification id is checked with `SECCOMP_IOCTL_NOTIF_ID_VALID`
//! after every read, before the copy is trusted; a call whose memory was read is always fully
//! emulated, never continued. The only `CONTINUE` is `ioctl`'s, decided without reading guest
//! memory.

use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};

use syscall_bridge::{Arch, Fate};

use microkernel::Channel;
use microkernel::protocols::logd;
use microkernel::protocols::vfs::{self as protocol, At};
use microkernel::rpc::Reply;
use microkernel::wire::ErrorReply;

use crate::{target, vfs};

/// See [`crate::run`].
const VFS_RESTARTS: u32 = 100;

/// `SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP` (Linux 6.6): the woken guest thread runs on the CPU
/// the supervisor answered from, which halves a notification round trip.
const SYNC_WAKE_UP: u64 = 1;
/// Longest path the supervisor copies from the guest (`PATH_MAX`).
const PATH_MAX: usize = 4096;
const ENOSYS: i32 = libc::ENOSYS;

/// Why serving stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the vfs server: {0}")]
    Vfs(#[source] microkernel::Error),
    #[error("the vfs server died {VFS_RESTARTS} times, the last with {exit}; giving up")]
    VfsKeepsDying { exit: String },
    #[error("{step} on the seccomp listener failed: {source}")]
    Listener {
        step: &'static str,
        #[source]
        source: io::Error,
    },
}

/// One gap the guest ran into: a translated call the bridge does not emulate yet (Starnix's
/// `track_stub!`). It failed with `ENOSYS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StubEvent {
    /// The calling thread, in the supervisor's pid namespace.
    pub pid: u32,
    /// The syscall's name in the table.
    pub syscall: &'static str,
    pub args: [u64; 6],
    /// The path argument, for calls that take one, as copied from the guest.
    pub path: Option<String>,
}

impl fmt::Display for StubEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stub {}(", self.syscall)?;
        match &self.path {
            Some(path) => write!(f, "{path:?}")?,
            None => write!(f, "{:#x}, {:#x}", self.args[0], self.args[1])?,
        }
        write!(f, ") = -ENOSYS (pid {})", self.pid)
    }
}

/// Asks the kernel to wake the guest on the supervisor's CPU; `false` when it cannot.
pub fn set_sync_wake_up(listener: BorrowedFd<'_>) -> bool {
    // SAFETY: SET_FLAGS takes its flags by value.
    unsafe {
        libc::ioctl(
            listener.as_raw_fd(),
            libc::SECCOMP_IOCTL_NOTIF_SET_FLAGS,
            SYNC_WAKE_UP,
        ) == 0
    }
}

/// Serves notifications on this thread until the process is ended (the supervisor ends it once
/// the sandbox is gone) or the listener fails. Path calls are served by `vfs`; events go to
/// `telemetry` as one-way `logd.Telemetry` messages. `in_flight` is where the call this thread
/// serves is received (all zero between calls), so that the supervisor can fail it with `EIO`
/// should the process die mid-call. Several threads may serve one listener: each call goes to
/// one of them.
pub fn serve(
    listener: BorrowedFd<'_>,
    vfs: &vfs::Server,
    binder: &crate::binder::Binder,
    telemetry: &Channel,
    in_flight: Slot,
    trace: bool,
) -> Result<(), ServeError> {
    let mut bridge = Bridge {
        listener,
        vfs,
        binder,
        telemetry,
        in_flight,
        trace,
        own_cpus: None,
    };
    bridge.run()
}

/// Whether every task of the listener's filter has exited (`POLLHUP`): no call can come any
/// more. Asked only after a failed receive, so it costs nothing per call.
fn orphaned(listener: BorrowedFd<'_>) -> bool {
    let mut poll = [rustix::event::PollFd::new(
        &listener,
        rustix::event::PollFlags::IN,
    )];
    matches!(
        rustix::event::poll(&mut poll, Some(&rustix::event::Timespec::default())),
        Ok(1)
    ) && poll[0].revents().contains(rustix::event::PollFlags::HUP)
}

/// Parks a bridge thread whose sandbox is gone until the supervisor ends the process: newer
/// kernels (6.18 here) fail `RECV` at once on such a listener, where older ones block, and
/// retrying kept both CPUs busy for the milliseconds the supervisor takes to notice the exit.
/// Not returning keeps this process's exit the supervisor's decision, never a server death.
fn idle_until_ended() -> ! {
    loop {
        std::thread::park();
    }
}

/// A bridge thread's slot in the memory it shares with the supervisor: the call it is serving
/// (all zero between calls).
#[derive(Debug, Clone, Copy)]
pub struct Slot(pub *mut libc::seccomp_notif);

// SAFETY: each slot is handed to exactly one bridge thread, which alone writes it.
unsafe impl Send for Slot {}

/// The size of a slot in the shared memory.
pub const SLOT_SIZE: usize = size_of::<libc::seccomp_notif>();

/// Fails notification `id` with `errno` (the supervisor's answer for a call whose server
/// died); a notification already answered or whose thread is gone is left alone.
pub fn fail_notification(listener: BorrowedFd<'_>, id: u64, errno: i32) {
    answer_notification(listener, id, -i64::from(errno));
}

/// Answers notification `id` with `result` (a value, or a negative errno); a notification
/// already answered or whose thread is gone is left alone.
pub(crate) fn answer_notification(listener: BorrowedFd<'_>, id: u64, result: i64) {
    let (val, error) = if result < 0 {
        (0, result as i32)
    } else {
        (result, 0)
    };
    let _ = respond(listener, id, val, error, 0);
}

/// Lets the host's kernel run notification `id` (`SECCOMP_USER_NOTIF_FLAG_CONTINUE`); a
/// notification already answered or whose thread is gone is left alone.
pub(crate) fn continue_notification(listener: BorrowedFd<'_>, id: u64) {
    let _ = respond(listener, id, 0, 0, libc::SECCOMP_USER_NOTIF_FLAG_CONTINUE as u32);
}

/// `SECCOMP_IOCTL_NOTIF_SEND`. `ENOENT` is no failure: the thread died or a signal
/// interrupted the call, and there is no one to answer.
fn respond(listener: BorrowedFd<'_>, id: u64, val: i64, error: i32, flags: u32) -> io::Result<()> {
    let mut response = libc::seccomp_notif_resp {
        id,
        val,
        error,
        flags,
    };
    // SAFETY: SEND reads the seccomp_notif_resp it points at.
    let sent = unsafe {
        libc::ioctl(
            listener.as_raw_fd(),
            libc::SECCOMP_IOCTL_NOTIF_SEND,
            &raw mut response,
        )
    };
    let error = io::Error::last_os_error();
    if sent != 0 && error.raw_os_error() != Some(libc::ENOENT) {
        return Err(error);
    }
    Ok(())
}

/// Whether notification `id` is still pending (`SECCOMP_IOCTL_NOTIF_ID_VALID`): its thread
/// was not killed, so what was read for it is still its memory.
pub(crate) fn id_valid(listener: BorrowedFd<'_>, id: u64) -> bool {
    // SAFETY: ID_VALID reads the u64 it points at.
    unsafe {
        libc::ioctl(
            listener.as_raw_fd(),
            libc::SECCOMP_IOCTL_NOTIF_ID_VALID,
            &raw const id,
        ) == 0
    }
}

/// Installs `file` in the process of pending notification `id` (`SECCOMP_IOCTL_NOTIF_ADDFD`,
/// without `ADDFD_FLAG_SEND`); its number there, or the errno.
pub(crate) fn add_fd(
    listener: BorrowedFd<'_>,
    id: u64,
    file: BorrowedFd<'_>,
    flags: u32,
) -> Result<i32, i32> {
    let addfd = libc::seccomp_notif_addfd {
        id,
        flags: 0,
        srcfd: file.as_raw_fd() as u32,
        newfd: 0,
        newfd_flags: flags,
    };
    // SAFETY: ADDFD reads the seccomp_notif_addfd it points at; `file` is open for the call.
    let installed = unsafe {
        libc::ioctl(
            listener.as_raw_fd(),
            libc::SECCOMP_IOCTL_NOTIF_ADDFD,
            &raw const addfd,
        )
    };
    if installed >= 0 {
        Ok(installed)
    } else {
        // EMFILE and the like are the guest's to see; ENOENT means it is gone.
        Err(io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO))
    }
}

/// The bridge's answer for the Binder shim's.
fn from_binder(answer: crate::binder::Answer) -> Answer {
    match answer {
        crate::binder::Answer::Now(value) if value < 0 => Answer::Error(-value as i32),
        crate::binder::Answer::Now(value) => Answer::Value(value),
        crate::binder::Answer::Parked => Answer::Parked,
        crate::binder::Answer::NotBinder => Answer::Continue,
    }
}

struct Bridge<'a> {
    listener: BorrowedFd<'a>,
    vfs: &'a vfs::Server,
    binder: &'a crate::binder::Binder,
    telemetry: &'a Channel,
    in_flight: Slot,
    /// Report every served call (`--trace`, `--stats`), not only refusals and stub hits.
    trace: bool,
    /// This thread's CPU affinity, read once ([`crate::colocate`]).
    own_cpus: Option<rustix::thread::CpuSet>,
}

/// The translated calls the bridge emulates; every other translated call is a stub hit.
pub const EMULATED: &[&str] = &[
    "uname",
    "ioctl",
    "getxattr",
    "lgetxattr",
    "listxattr",
    "llistxattr",
    "setxattr",
    "lsetxattr",
    "removexattr",
    "lremovexattr",
    "open",
    "openat",
    "creat",
    "stat",
    "lstat",
    "newfstatat",
    "statx",
    "statfs",
    "access",
    "faccessat",
    "faccessat2",
    "mkdir",
    "mkdirat",
    "rmdir",
    "unlink",
    "unlinkat",
    "rename",
    "renameat",
    "renameat2",
    "readlink",
    "readlinkat",
    "symlink",
    "symlinkat",
    "link",
    "linkat",
    "chmod",
    "fchmodat",
    "fchmodat2",
    "chown",
    "lchown",
    "fchownat",
    "truncate",
    "utimensat",
    "openat2",
    "mknod",
    "mknodat",
    "inotify_add_watch",
    "utime",
    "utimes",
    "futimesat",
    "setuid",
    "setgid",
    "setreuid",
    "setregid",
    "setresuid",
    "setresgid",
    "setfsuid",
    "setfsgid",
    "setgroups",
];

/// The answer to one notification.
enum Answer {
    Value(i64),
    Error(i32),
    /// Let the kernel run the call: only for decisions that read no guest memory.
    Continue,
    /// Answered later by the Binder shim (a read waiting for work).
    Parked,
}

/// Why a guest argument could not be taken.
type Fault = i32;

impl Bridge<'_> {
    fn run(&mut self) -> Result<(), ServeError> {
        let fd = self.listener.as_raw_fd();
        loop {
            // Blocks until a call arrives. Not polling first saves a system call per call
            // (about 1 µs). Once the sandbox is gone, the supervisor ends this process.
            // The call is received straight into the shared slot: once the kernel has marked it
            // received, its id is in memory the supervisor reads should this process die, even
            // if it dies before the receive returns (a kill racing an arriving call).
            let slot = self.in_flight.0;
            // SAFETY: the slot is this thread's, valid for the process's life; RECV requires
            // it all-zero and fills it.
            let received = unsafe {
                std::ptr::write_volatile(slot, std::mem::zeroed());
                libc::ioctl(fd, libc::SECCOMP_IOCTL_NOTIF_RECV, slot)
            };
            if received != 0 {
                match io::Error::last_os_error().raw_os_error() {
                    Some(libc::EINTR) => continue,
                    // The task died before we took the call, or (on kernels whose RECV no
                    // longer waits on a filter without tasks) the sandbox is gone.
                    Some(libc::ENOENT) if orphaned(self.listener) => idle_until_ended(),
                    Some(libc::ENOENT) => continue,
                    _ => {
                        return Err(ServeError::Listener {
                            step: "SECCOMP_IOCTL_NOTIF_RECV",
                            source: io::Error::last_os_error(),
                        });
                    }
                }
            }
            // SAFETY: the kernel filled the slot; only this thread writes it.
            let notification = unsafe { std::ptr::read_volatile(slot) };
            let started = self.trace.then(std::time::Instant::now);
            let answer = self.decide(&notification);
            let result = match answer {
                Answer::Value(value) => value,
                Answer::Error(errno) => -i64::from(errno),
                Answer::Continue | Answer::Parked => 0,
            };
            let kind = if matches!(answer, Answer::Continue) {
                "continue"
            } else {
                "translate"
            };
            self.send(notification.id, answer)?;
            // SAFETY: as above; zero means no call in flight.
            unsafe { std::ptr::write_volatile(slot, std::mem::zeroed()) };
            if let Some(started) = started {
                self.trace_event(&notification, kind, result, started.elapsed());
            }
        }
    }

    /// With tracing on, reports a served call: its name, result and time from receipt to
    /// answer. Refused calls and stub hits are reported as they happen (`deny`, `stub`).
    fn trace_event(
        &self,
        notification: &libc::seccomp_notif,
        kind: &str,
        result: i64,
        latency: std::time::Duration,
    ) {
        let row = u64::try_from(notification.data.nr)
            .ok()
            .and_then(|nr| syscall_bridge::lookup(Arch::X86_64, nr));
        // Refused and unemulated calls were reported by `deny` and `report_stub`.
        let Some(row) = row.filter(|row| row.fate == Fate::Translate) else {
            return;
        };
        if result == -i64::from(ENOSYS) && self.vfs_has_no(row.name) {
            return;
        }
        let event = logd::TelemetryRequest {
            kind: kind.into(),
            name: row.name.into(),
            pid: notification.pid,
            tid: notification.pid,
            result,
            latency_ns: u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX),
            attributes: Vec::new(),
        };
        let _ = microkernel::rpc::send_waiting::<logd::Telemetry>(self.telemetry, &event, Vec::new());
    }

    /// Whether `name` is a translated call this bridge does not emulate (a stub).
    fn vfs_has_no(&self, name: &str) -> bool {
        !EMULATED.contains(&name)
    }

    fn decide(&mut self, notification: &libc::seccomp_notif) -> Answer {
        let data = &notification.data;
        let row = u64::try_from(data.nr)
            .ok()
            .and_then(|nr| syscall_bridge::lookup(Arch::X86_64, nr));
        // A refused argument (the registers the kernel copied, so no race) is refused whatever
        // the call's fate: the filter notifies a passed call only for one.
        let refused = row.and_then(|row| {
            row.refused
                .iter()
                .find(|rule| rule.test.holds(data.args[usize::from(rule.index)]))
        });
        if let (Some(row), Some(rule)) = (row, refused) {
            return self.deny(notification, row.name, i32::from(rule.refusal.errno()));
        }
        let row = match row {
            Some(row) if row.fate == Fate::Translate => row,
            Some(row) if row.fate == Fate::Deny => {
                let errno = i32::from(row.refusal().map_or(38, |refusal| refusal.errno()));
                return self.deny(notification, row.name, errno);
            }
            // A passed call the filter notified without a refused argument (none holds now:
            // the registers cannot change).
            Some(_) => return Answer::Continue,
            // Outside the table (or an x32 number): refused as the kernel refuses an unknown
            // call.
            None => return self.deny(notification, "", ENOSYS),
        };
        let call = Call {
            id: notification.id,
            tid: notification.pid,
            args: data.args,
        };
        let answer = match row.name {
            "uname" => return self.uname(&call),
            // Only Binder's type ('b') reaches the bridge: on a device fd of the Binder shim it
            // is the shim's; on any other fd the host driver's, decided on the fd's identity
            // (its inode through /proc), with no guest memory read.
            "ioctl" => return self.ioctl(&call),
            // Credentials: the app can only set ids it has, and the kernel already holds it to
            // that (one uid and gid mapped, no capabilities, `setgroups` denied in the user
            // namespace, so it fails with EPERM as for an app on Android); decided on the call
            // alone, no guest memory is read. procmgr reads the result back from the kernel.
            "setuid" | "setgid" | "setreuid" | "setregid" | "setresuid" | "setresgid" | "setfsuid"
            | "setfsgid" | "setgroups" => return Answer::Continue,
            // The guest's files carry no extended attributes on the target: what a filesystem
            // without them answers.
            "getxattr" | "lgetxattr" | "listxattr" | "llistxattr" | "setxattr" | "lsetxattr"
            | "removexattr" | "lremovexattr" => Some(Err(libc::ENOTSUP)),
            _ => self.path_call(&call, row.name),
        };
        match answer {
            Some(answer) => answer.unwrap_or_else(Answer::Error),
            None => {
                let path = path_argument(row.name)
                    .and_then(|i| {
                        self.read_path(notification.id, notification.pid, data.args[i])
                            .ok()
                    })
                    .map(|path| String::from_utf8_lossy(&path).into_owned());
                self.report_stub(&StubEvent {
                    pid: notification.pid,
                    syscall: row.name,
                    args: data.args,
                    path,
                });
                Answer::Error(ENOSYS)
            }
        }
    }

    /// Refuses a call with `errno` and tells the supervisor (kind `deny`); `name` is empty for a
    /// number outside the table, which the event then carries as `#<number>`.
    fn deny(&self, notification: &libc::seccomp_notif, name: &str, errno: i32) -> Answer {
        let data = &notification.data;
        let name = if name.is_empty() {
            format!("#{}", data.nr)
        } else {
            name.to_string()
        };
        let event = logd::TelemetryRequest {
            kind: "deny".into(),
            name,
            pid: notification.pid,
            tid: notification.pid,
            result: -i64::from(errno),
            latency_ns: 0,
            attributes: vec![("args".to_string(), data.args.map(|a| format!("{a:#x}")).join(","))],
        };
        let _ = microkernel::rpc::send_waiting::<logd::Telemetry>(self.telemetry, &event, Vec::new());
        Answer::Error(errno)
    }

    /// Tells the supervisor about a stub hit; a supervisor that cannot take it misses it.
    fn report_stub(&self, stub: &StubEvent) {
        let event = stub_telemetry(stub);
        let _ = microkernel::rpc::send_waiting::<logd::Telemetry>(self.telemetry, &event, Vec::new());
    }

    /// The guest path at `address` of `call`, as the vfs protocol takes it.
    fn at(&self, call: &Call, dirfd: u64, address: u64) -> Result<At, Fault> {
        Ok(At {
            tid: call.tid,
            dirfd: dirfd as i32,
            path: self.read_path_of(call, address)?,
        })
    }

    fn read_path_of(&self, call: &Call, address: u64) -> Result<Vec<u8>, Fault> {
        self.read_path(call.id, call.tid, address)
    }

    /// Serves a path call through vfs; `None` for a call this bridge does not emulate.
    fn path_call(&mut self, call: &Call, name: &str) -> Option<Result<Answer, Fault>> {
        const CWD: u64 = At::CWD as i64 as u64;
        let a = call.args;
        let nofollow = libc::AT_SYMLINK_NOFOLLOW as u64;
        let removedir = libc::AT_REMOVEDIR as u64;
        let creat = (libc::O_CREAT | libc::O_WRONLY | libc::O_TRUNC) as u64;
        Some(match name {
            "open" => self.open(call, CWD, a[0], a[1], a[2]),
            "openat" => self.open(call, a[0], a[1], a[2], a[3]),
            "creat" => self.open(call, CWD, a[0], creat, a[1]),
            "openat2" => self.openat2(call, a[0], a[1], a[2], a[3]),
            "mknod" => self.mknod(call, CWD, a[0], a[1], a[2]),
            "mknodat" => self.mknod(call, a[0], a[1], a[2], a[3]),
            "inotify_add_watch" => self.watch(call, a[0], a[1], a[2]),
            "utime" => self.utime(call, a[0], a[1], false),
            "utimes" => self.utime(call, a[0], a[1], true),
            "futimesat" => self.futimesat(call, a[0], a[1], a[2]),
            "stat" => self.stat(call, CWD, a[0], 0, Layout::Stat(a[1])),
            "lstat" => self.stat(call, CWD, a[0], nofollow, Layout::Stat(a[1])),
            "newfstatat" => self.stat(call, a[0], a[1], a[3], Layout::Stat(a[2])),
            "statx" => self.stat(call, a[0], a[1], a[2], Layout::Statx(a[3], a[4])),
            "statfs" => self.statfs(call, a[0], a[1]),
            "access" => self.access(call, CWD, a[0], a[1], 0),
            "faccessat" => self.access(call, a[0], a[1], a[2], 0),
            "faccessat2" => self.access(call, a[0], a[1], a[2], a[3]),
            "mkdir" => self.mkdir(call, CWD, a[0], a[1]),
            "mkdirat" => self.mkdir(call, a[0], a[1], a[2]),
            "rmdir" => self.unlink(call, CWD, a[0], removedir),
            "unlink" => self.unlink(call, CWD, a[0], 0),
            "unlinkat" => self.unlink(call, a[0], a[1], a[2]),
            "rename" => self.rename(call, [CWD, a[0], CWD, a[1]], 0),
            "renameat" => self.rename(call, [a[0], a[1], a[2], a[3]], 0),
            "renameat2" => self.rename(call, [a[0], a[1], a[2], a[3]], a[4]),
            "readlink" => self.readlink(call, CWD, a[0], a[1], a[2]),
            "readlinkat" => self.readlink(call, a[0], a[1], a[2], a[3]),
            "symlink" => self.symlink(call, a[0], CWD, a[1]),
            "symlinkat" => self.symlink(call, a[0], a[1], a[2]),
            "link" => self.link(call, [CWD, a[0], CWD, a[1]], 0),
            "linkat" => self.link(call, [a[0], a[1], a[2], a[3]], a[4]),
            "chmod" => self.chmod(call, CWD, a[0], a[1], 0),
            "fchmodat" => self.chmod(call, a[0], a[1], a[2], 0),
            "fchmodat2" => self.chmod(call, a[0], a[1], a[2], a[3]),
            "chown" => self.chown(call, CWD, a[0], [a[1], a[2]], 0),
            "lchown" => self.chown(call, CWD, a[0], [a[1], a[2]], nofollow),
            "fchownat" => self.chown(call, a[0], a[1], [a[2], a[3]], a[4]),
            "truncate" => self.truncate(call, CWD, a[0], a[1]),
            "utimensat" => self.utimensat(call, a[0], a[1], a[2], a[3]),
            _ => return None,
        })
    }

    /// Answers with `()`-replies' success, or the errno.
    fn unit<T>(outcome: Result<Reply<T>, Fault>) -> Result<Answer, Fault> {
        outcome.map(|_| Answer::Value(0))
    }

    fn open(&mut self, call: &Call, dirfd: u64, path: u64, flags: u64, mode: u64) -> Result<Answer, Fault> {
        let open = Open {
            dirfd,
            path,
            flags,
            mode,
            resolve: 0,
            from_memory: false,
        };
        self.open_with(call, open)
    }

    /// `openat2(dirfd, path, how, size)`: `struct open_how` copied once (its first 24 bytes:
    /// flags, mode, resolve; a larger struct must be zero beyond them, as the kernel requires).
    fn openat2(&mut self, call: &Call, dirfd: u64, path: u64, how: u64, size: u64) -> Result<Answer, Fault> {
        if !(24..=4096).contains(&size) {
            return Err(if size < 24 { libc::EINVAL } else { libc::E2BIG });
        }
        let mut raw = vec![0u8; size as usize];
        self.read(call, how, &mut raw)?;
        if raw[24..].iter().any(|&b| b != 0) {
            return Err(libc::E2BIG);
        }
        let word = |i: usize| u64::from_ne_bytes(raw[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
        let (flags, mode, resolve) = (word(0), word(1), word(2));
        if flags >> 32 != 0 || mode >> 32 != 0 {
            return Err(libc::EINVAL);
        }
        // Flags read from guest memory cannot decide a CONTINUE: an openat2 with O_PATH goes to
        // vfs, and fails where ADDFD refuses the file (EBADF).
        let open = Open {
            dirfd,
            path,
            flags,
            mode,
            resolve,
            from_memory: true,
        };
        self.open_with(call, open)
    }

    fn open_with(&mut self, call: &Call, open: Open) -> Result<Answer, Fault> {
        let Open {
            dirfd,
            path,
            flags,
            mode,
            resolve,
            from_memory,
        } = open;
        if flags as i32 & libc::O_PATH != 0 && !from_memory {
            // ADDFD cannot carry an O_PATH file (the kernel's fget refuses them), so the guest
            // opens it itself: decided on the flags, a register, with no guest memory read; the
            // sandbox's mount namespace resolves the path as it would for vfs.
            return Ok(Answer::Continue);
        }
        let at = self.at(call, dirfd, path)?;
        if at.path.starts_with(b"/dev/")
            && let Some(opened) = self.binder.open(call.id, call.tid, &at.path, flags)
        {
            return Ok(from_binder(opened));
        }
        let request = protocol::OpenRequest {
            at,
            flags: flags as u32,
            mode: mode as u32,
            resolve,
        };
        let cloexec = if flags as i32 & libc::O_CLOEXEC != 0 {
            libc::O_CLOEXEC as u32
        } else {
            0
        };
        let opened = self
            .vfs
            .open_file(request)
            .map_err(|reply| if reply.errno > 0 { reply.errno } else { libc::EIO });
        let file = match opened? {
            vfs::Opened::File(file) => file,
            vfs::Opened::Wait(waiting) => {
                // Answered by the FIFO waiter once the other end is there; with no room left
                // there, at once, as a non-waiting open would be.
                let waiter = self.vfs.fifo.as_ref().ok_or(libc::ENXIO)?;
                match waiter.park(call.id, waiting, cloexec) {
                    Ok(()) => return Ok(Answer::Parked),
                    Err(crate::fifo::Waiting::Reader(file)) => {
                        crate::fifo::make_blocking(&file);
                        file
                    }
                    Err(crate::fifo::Waiting::Writer(_)) => return Err(libc::ENXIO),
                }
            }
        };
        // Not SECCOMP_ADDFD_FLAG_SEND, although it would save the guest a wake-up: with it the
        // kernel marks the call replied (with 0) as soon as the fd is queued, so a server killed
        // before the guest installs the fd leaves the guest's open() returning 0 — its stdin,
        // which it then uses and closes. (Found by killing vfs under load: see the tests.)
        // Installed first and answered after, a call whose server dies in between stays
        // unanswered, and the supervisor fails it with EIO.
        // Installing the fd runs in the guest and wakes it twice; kept on this CPU, it does
        // not wait for the other one to come out of halt ([`crate::colocate`]).
        let _together = crate::colocate::Colocated::on_this_cpu(call.tid, &mut self.own_cpus);
        add_fd(self.listener, call.id, file.as_fd(), cloexec).map(|fd| Answer::Value(i64::from(fd)))
    }

    fn stat(
        &mut self,
        call: &Call,
        dirfd: u64,
        path: u64,
        flags: u64,
        layout: Layout,
    ) -> Result<Answer, Fault> {
        let mask = match layout {
            Layout::Stat(_) => libc::STATX_BASIC_STATS,
            Layout::Statx(mask, _) => mask as u32,
        };
        let request = protocol::StatRequest {
            at: self.at(call, dirfd, path)?,
            flags: flags as u32,
            mask,
        };
        let (reply, _) = errno(self.vfs.stat(request, Vec::new()))?;
        let statx = reply.statx;
        if statx.len() != 256 {
            return Err(libc::EIO);
        }
        match layout {
            Layout::Statx(_, buffer) => self.write(call, buffer, &statx)?,
            Layout::Stat(buffer) => self.write(call, buffer, &stat_from_statx(&statx))?,
        }
        Ok(Answer::Value(0))
    }

    fn statfs(&mut self, call: &Call, path: u64, buffer: u64) -> Result<Answer, Fault> {
        const CWD: u64 = At::CWD as i64 as u64;
        let request = protocol::StatfsRequest {
            at: self.at(call, CWD, path)?,
        };
        let (reply, _) = errno(self.vfs.statfs(request, Vec::new()))?;
        self.write(call, buffer, &reply.statfs)?;
        Ok(Answer::Value(0))
    }

    fn access(&mut self, call: &Call, dirfd: u64, path: u64, mode: u64, flags: u64) -> Result<Answer, Fault> {
        let request = protocol::AccessRequest {
            at: self.at(call, dirfd, path)?,
            mode: mode as u32,
            flags: flags as u32,
        };
        Self::unit(errno(self.vfs.access(request, Vec::new())))
    }

    fn mknod(&mut self, call: &Call, dirfd: u64, path: u64, mode: u64, dev: u64) -> Result<Answer, Fault> {
        let request = protocol::MknodRequest {
            at: self.at(call, dirfd, path)?,
            mode: mode as u32,
            dev,
        };
        Self::unit(errno(self.vfs.mknod(request, Vec::new())))
    }

    fn watch(&mut self, call: &Call, fd: u64, path: u64, mask: u64) -> Result<Answer, Fault> {
        const CWD: u64 = At::CWD as i64 as u64;
        let request = protocol::WatchRequest {
            at: self.at(call, CWD, path)?,
            fd: fd as i32,
            mask: mask as u32,
        };
        let (reply, _) = errno(self.vfs.watch(request, Vec::new()))?;
        Ok(Answer::Value(i64::from(reply.wd)))
    }

    /// `utime(path, struct utimbuf *)` (`micro` false: two `time_t` seconds) and
    /// `utimes(path, struct timeval[2])` (`micro`: seconds and microseconds), as `utimensat`.
    fn utime(&mut self, call: &Call, path: u64, times: u64, micro: bool) -> Result<Answer, Fault> {
        const CWD: u64 = At::CWD as i64 as u64;
        self.legacy_times(call, CWD, path, times, micro)
    }

    /// `futimesat(dirfd, path, struct timeval[2])`.
    fn futimesat(&mut self, call: &Call, dirfd: u64, path: u64, times: u64) -> Result<Answer, Fault> {
        self.legacy_times(call, dirfd, path, times, true)
    }

    fn legacy_times(
        &mut self,
        call: &Call,
        dirfd: u64,
        path: u64,
        times: u64,
        micro: bool,
    ) -> Result<Answer, Fault> {
        let at = self.at(call, dirfd, path)?;
        let times = if times == 0 {
            None
        } else if micro {
            let mut raw = [0u8; 32];
            self.read(call, times, &mut raw)?;
            let word = |i: usize| i64::from_ne_bytes(raw[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
            if !(0..1_000_000).contains(&word(1)) || !(0..1_000_000).contains(&word(3)) {
                return Err(libc::EINVAL);
            }
            Some([(word(0), word(1) * 1000), (word(2), word(3) * 1000)])
        } else {
            let mut raw = [0u8; 16];
            self.read(call, times, &mut raw)?;
            let word = |i: usize| i64::from_ne_bytes(raw[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
            Some([(word(0), 0), (word(1), 0)])
        };
        let request = protocol::UtimensRequest { at, times, flags: 0 };
        Self::unit(errno(self.vfs.utimens(request, Vec::new())))
    }

    fn mkdir(&mut self, call: &Call, dirfd: u64, path: u64, mode: u64) -> Result<Answer, Fault> {
        let request = protocol::MkdirRequest {
            at: self.at(call, dirfd, path)?,
            mode: mode as u32,
        };
        Self::unit(errno(self.vfs.mkdir(request, Vec::new())))
    }

    fn unlink(&mut self, call: &Call, dirfd: u64, path: u64, flags: u64) -> Result<Answer, Fault> {
        let request = protocol::UnlinkRequest {
            at: self.at(call, dirfd, path)?,
            flags: flags as u32,
        };
        Self::unit(errno(self.vfs.unlink(request, Vec::new())))
    }

    fn rename(
        &mut self,
        call: &Call,
        [from_dir, from, to_dir, to]: [u64; 4],
        flags: u64,
    ) -> Result<Answer, Fault> {
        let request = protocol::RenameRequest {
            from: self.at(call, from_dir, from)?,
            to: self.at(call, to_dir, to)?,
            flags: flags as u32,
        };
        Self::unit(errno(self.vfs.rename(request, Vec::new())))
    }

    fn readlink(
        &mut self,
        call: &Call,
        dirfd: u64,
        path: u64,
        buffer: u64,
        size: u64,
    ) -> Result<Answer, Fault> {
        if size as i64 <= 0 {
            return Err(libc::EINVAL);
        }
        let request = protocol::ReadlinkRequest {
            at: self.at(call, dirfd, path)?,
        };
        let (reply, _) = errno(self.vfs.readlink(request, Vec::new()))?;
        let length = reply.target.len().min(size as usize);
        self.write(call, buffer, &reply.target[..length])?;
        Ok(Answer::Value(length as i64))
    }

    fn symlink(&mut self, call: &Call, target: u64, dirfd: u64, path: u64) -> Result<Answer, Fault> {
        let request = protocol::SymlinkRequest {
            target: self.read_path_of(call, target)?,
            at: self.at(call, dirfd, path)?,
        };
        Self::unit(errno(self.vfs.symlink(request, Vec::new())))
    }

    fn link(
        &mut self,
        call: &Call,
        [from_dir, from, to_dir, to]: [u64; 4],
        flags: u64,
    ) -> Result<Answer, Fault> {
        let request = protocol::LinkRequest {
            from: self.at(call, from_dir, from)?,
            to: self.at(call, to_dir, to)?,
            flags: flags as u32,
        };
        Self::unit(errno(self.vfs.link(request, Vec::new())))
    }

    fn chmod(&mut self, call: &Call, dirfd: u64, path: u64, mode: u64, flags: u64) -> Result<Answer, Fault> {
        let request = protocol::ChmodRequest {
            at: self.at(call, dirfd, path)?,
            mode: mode as u32,
            flags: flags as u32,
        };
        Self::unit(errno(self.vfs.chmod(request, Vec::new())))
    }

    fn chown(
        &mut self,
        call: &Call,
        dirfd: u64,
        path: u64,
        [uid, gid]: [u64; 2],
        flags: u64,
    ) -> Result<Answer, Fault> {
        let request = protocol::ChownRequest {
            at: self.at(call, dirfd, path)?,
            uid: uid as u32,
            gid: gid as u32,
            flags: flags as u32,
        };
        Self::unit(errno(self.vfs.chown(request, Vec::new())))
    }

    fn truncate(&mut self, call: &Call, dirfd: u64, path: u64, length: u64) -> Result<Answer, Fault> {
        if (length as i64) < 0 {
            return Err(libc::EINVAL);
        }
        let request = protocol::TruncateRequest {
            at: self.at(call, dirfd, path)?,
            length,
        };
        Self::unit(errno(self.vfs.truncate(request, Vec::new())))
    }

    fn utimensat(
        &mut self,
        call: &Call,
        dirfd: u64,
        path: u64,
        times: u64,
        flags: u64,
    ) -> Result<Answer, Fault> {
        // A null path is futimens on dirfd.
        let at = if path == 0 {
            At {
                tid: call.tid,
                dirfd: dirfd as i32,
                path: Vec::new(),
            }
        } else {
            self.at(call, dirfd, path)?
        };
        let times = if times == 0 {
            None
        } else {
            let mut raw = [0u8; 32];
            self.read(call, times, &mut raw)?;
            let word = |i: usize| i64::from_ne_bytes(raw[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
            Some([(word(0), word(1)), (word(2), word(3))])
        };
        let request = protocol::UtimensRequest {
            at,
            times,
            flags: flags as u32,
        };
        Self::unit(errno(self.vfs.utimens(request, Vec::new())))
    }

    /// Copies `bytes` to the guest at `address`, after checking that the notification (and so
    /// the thread) is still the one we answer.
    fn write(&self, call: &Call, address: u64, bytes: &[u8]) -> Result<(), Fault> {
        if !self.valid(call.id) {
            return Err(libc::ESRCH);
        }
        if vm_write(call.tid, address, bytes) {
            Ok(())
        } else {
            Err(libc::EFAULT)
        }
    }

    /// Copies `buffer.len()` bytes from the guest at `address`, once, checking the notification
    /// afterwards.
    fn read(&self, call: &Call, address: u64, buffer: &mut [u8]) -> Result<(), Fault> {
        if !vm_read(call.tid, address, buffer) {
            return Err(libc::EFAULT);
        }
        if self.valid(call.id) {
            Ok(())
        } else {
            Err(libc::ESRCH)
        }
    }

    /// `uname(buf)`: the target's identity ([`target`]) written into the guest's buffer.
    fn uname(&self, call: &Call) -> Answer {
        match self.write(call, call.args[0], &target::utsname()) {
            Ok(()) => Answer::Value(0),
            Err(errno) => Answer::Error(errno),
        }
    }

    /// Copies a NUL-terminated path from the guest, page by page so an unmapped page after the
    /// string does not fail the read: `EFAULT` when unreadable, `ENAMETOOLONG` when
    /// unterminated within `PATH_MAX`, `ESRCH` when the notification went stale during the read.
    fn read_path(&self, id: u64, tid: u32, address: u64) -> Result<Vec<u8>, Fault> {
        const PAGE: u64 = 4096;
        let mut path = Vec::new();
        let mut cursor = address;
        let mut chunk = [0u8; PAGE as usize];
        while path.len() < PATH_MAX {
            let length = (PAGE - cursor % PAGE) as usize;
            let local = libc::iovec {
                iov_base: chunk.as_mut_ptr().cast(),
                iov_len: length,
            };
            let remote = libc::iovec {
                iov_base: cursor as *mut libc::c_void,
                iov_len: length,
            };
            let read = crate::caps::with_ptrace(|| {
                // SAFETY: the local iovec covers `chunk`; the remote one is checked by the
                // kernel.
                let read = unsafe { libc::process_vm_readv(tid as libc::pid_t, &local, 1, &remote, 1, 0) };
                usize::try_from(read).map_err(|_| io::Error::last_os_error())
            });
            let read = read.ok().filter(|&n| n > 0).ok_or(libc::EFAULT)?;
            if let Some(end) = chunk[..read].iter().position(|&b| b == 0) {
                path.extend_from_slice(&chunk[..end]);
                // The pid may have been another process's by the time we read it.
                return if self.valid(id) {
                    Ok(path)
                } else {
                    Err(libc::ESRCH)
                };
            }
            path.extend_from_slice(&chunk[..read]);
            cursor += read as u64;
        }
        Err(libc::ENAMETOOLONG)
    }

    fn valid(&self, id: u64) -> bool {
        id_valid(self.listener, id)
    }

    /// A Binder ioctl: the shim's, or the host's when the fd is not one of its devices.
    fn ioctl(&self, call: &Call) -> Answer {
        let [fd, cmd, arg, ..] = call.args;
        let (answer, events) = self.binder.ioctl(call.id, call.tid, fd, cmd, arg);
        for event in events
            .iter()
            .filter(|event| crate::binder::reported(event, self.trace))
        {
            let telemetry = crate::binder::telemetry(event, call.tid);
            let _ = microkernel::rpc::send_waiting::<logd::Telemetry>(self.telemetry, &telemetry, Vec::new());
        }
        from_binder(answer)
    }

    fn send(&self, id: u64, answer: Answer) -> Result<(), ServeError> {
        let (val, error, flags) = match answer {
            // The shim answers it when work arrives.
            Answer::Parked => return Ok(()),
            Answer::Value(value) => (value, 0, 0),
            Answer::Error(errno) => (0, -errno, 0),
            Answer::Continue => (0, 0, libc::SECCOMP_USER_NOTIF_FLAG_CONTINUE as u32),
        };
        respond(self.listener, id, val, error, flags).map_err(|source| ServeError::Listener {
            step: "SECCOMP_IOCTL_NOTIF_SEND",
            source,
        })
    }
}

/// Copies `buffer.len()` bytes from `address` in the address space of thread `tid`, whole or
/// not at all (the caller checks the notification id afterwards).
pub(crate) fn vm_read(tid: u32, address: u64, buffer: &mut [u8]) -> bool {
    let local = libc::iovec {
        iov_base: buffer.as_mut_ptr().cast(),
        iov_len: buffer.len(),
    };
    let remote = libc::iovec {
        iov_base: address as *mut libc::c_void,
        iov_len: buffer.len(),
    };
    let wanted = buffer.len();
    crate::caps::with_ptrace(|| {
        // SAFETY: the local iovec covers `buffer`; the remote one is checked by the kernel.
        let read = unsafe { libc::process_vm_readv(tid as libc::pid_t, &local, 1, &remote, 1, 0) };
        whole(read, wanted)
    })
    .is_ok()
}

/// Copies `bytes` to `address` in the address space of thread `tid`; whether all were written.
pub(crate) fn vm_write(tid: u32, address: u64, bytes: &[u8]) -> bool {
    vm_write_pieces(tid, [(address, bytes)])
}

/// Copies each `(address, bytes)` piece into the address space of thread `tid`, in order and
/// with one `process_vm_writev`; whether all were written.
pub(crate) fn vm_write_pieces<const N: usize>(tid: u32, pieces: [(u64, &[u8]); N]) -> bool {
    let local = pieces.map(|(_, bytes)| libc::iovec {
        iov_base: bytes.as_ptr().cast_mut().cast(),
        iov_len: bytes.len(),
    });
    let remote = pieces.map(|(address, bytes)| libc::iovec {
        iov_base: address as *mut libc::c_void,
        iov_len: bytes.len(),
    });
    let wanted = pieces.iter().map(|(_, bytes)| bytes.len()).sum();
    crate::caps::with_ptrace(|| {
        // SAFETY: each local iovec covers one of `pieces`' slices; the remote ones are checked
        // by the kernel.
        let written = unsafe {
            libc::process_vm_writev(
                tid as libc::pid_t,
                local.as_ptr(),
                N as libc::c_ulong,
                remote.as_ptr(),
                N as libc::c_ulong,
                0,
            )
        };
        whole(written, wanted)
    })
    .is_ok()
}

/// A `process_vm_*` result: every byte moved, or why not (a short copy is `EFAULT`).
fn whole(moved: isize, wanted: usize) -> io::Result<()> {
    match usize::try_from(moved) {
        Ok(n) if n == wanted => Ok(()),
        Ok(_) => Err(io::Error::from_raw_os_error(libc::EFAULT)),
        Err(_) => Err(io::Error::last_os_error()),
    }
}

/// A vfs outcome for the guest: the reply, or the errno of the error reply.
fn errno<T>(outcome: Result<Reply<T>, ErrorReply>) -> Result<Reply<T>, Fault> {
    outcome.map_err(|reply| if reply.errno > 0 { reply.errno } else { libc::EIO })
}

/// A refused call, as the bridge reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// The calling thread, in the supervisor's pid namespace.
    pub pid: u32,
    /// The syscall's name, or `#<number>` for one outside the table.
    pub syscall: String,
    pub errno: i32,
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "denied {} = -{} (pid {})", self.syscall, self.errno, self.pid)
    }
}

/// Turns a deny event sent by [`Bridge::deny`] back into a [`Denial`].
pub fn denial_from_telemetry(event: &logd::TelemetryRequest) -> Option<Denial> {
    (event.kind == "deny").then(|| Denial {
        pid: event.pid,
        syscall: event.name.clone(),
        errno: i32::try_from(-event.result).unwrap_or(0),
    })
}

/// Turns a stub event sent by [`Bridge::report_stub`] back into a [`StubEvent`]; `None` for
/// any other message.
/// The telemetry event that reports `stub` ([`stub_from_telemetry`] reads it back).
fn stub_telemetry(stub: &StubEvent) -> logd::TelemetryRequest {
    let mut attributes = vec![("args".to_string(), stub.args.map(|a| format!("{a:#x}")).join(","))];
    if let Some(path) = &stub.path {
        attributes.push(("path".to_string(), path.clone()));
    }
    logd::TelemetryRequest {
        kind: "stub".into(),
        name: stub.syscall.into(),
        pid: stub.pid,
        tid: stub.pid,
        result: -i64::from(ENOSYS),
        latency_ns: 0,
        attributes,
    }
}

pub fn stub_from_telemetry(event: &logd::TelemetryRequest) -> Option<StubEvent> {
    if event.kind != "stub" {
        return None;
    }
    let syscall = syscall_bridge::by_name(&event.name)?.name;
    let attribute = |key: &str| {
        event
            .attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let mut args = [0u64; 6];
    for (slot, text) in args.iter_mut().zip(attribute("args")?.split(',')) {
        *slot = u64::from_str_radix(text.trim_start_matches("0x"), 16).ok()?;
    }
    Some(StubEvent {
        pid: event.pid,
        syscall,
        args,
        path: attribute("path").map(str::to_string),
    })
}

/// One notified call: its notification id, thread and raw arguments.
struct Call {
    id: u64,
    tid: u32,
    args: [u64; 6],
}

/// An open call's arguments; `from_memory` when the flags came from guest memory (`openat2`).
struct Open {
    dirfd: u64,
    path: u64,
    flags: u64,
    mode: u64,
    resolve: u64,
    from_memory: bool,
}

/// Where and how a stat call's answer goes.
#[derive(Clone, Copy)]
enum Layout {
    /// A `struct stat` at this address.
    Stat(u64),
    /// A `struct statx` with this mask, at this address.
    Statx(u64, u64),
}

/// The x86-64 `struct stat` the kernel's `newfstatat` writes, made from a `struct statx`.
fn stat_from_statx(statx: &[u8]) -> Vec<u8> {
    let u16_at = |o: usize| u16::from_ne_bytes(statx[o..o + 2].try_into().expect("2 bytes"));
    let u32_at = |o: usize| u32::from_ne_bytes(statx[o..o + 4].try_into().expect("4 bytes"));
    let u64_at = |o: usize| u64::from_ne_bytes(statx[o..o + 8].try_into().expect("8 bytes"));
    let i64_at = |o: usize| i64::from_ne_bytes(statx[o..o + 8].try_into().expect("8 bytes"));
    let dev = |major: usize| libc::makedev(u32_at(major), u32_at(major + 4));
    // struct statx: timestamps (i64 seconds, u32 nanoseconds) at 64 (atime), 80 (btime),
    // 96 (ctime), 112 (mtime); rdev at 128, dev at 136.
    // SAFETY: struct stat is plain data; all-zero is a valid value.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    stat.st_dev = dev(136);
    stat.st_ino = u64_at(32);
    stat.st_nlink = u64::from(u32_at(16));
    stat.st_mode = u32::from(u16_at(28));
    stat.st_uid = u32_at(20);
    stat.st_gid = u32_at(24);
    stat.st_rdev = dev(128);
    stat.st_size = i64_at(40);
    stat.st_blksize = i64::from(u32_at(4));
    stat.st_blocks = i64_at(48);
    stat.st_atime = i64_at(64);
    stat.st_atime_nsec = i64::from(u32_at(72));
    stat.st_mtime = i64_at(112);
    stat.st_mtime_nsec = i64::from(u32_at(120));
    stat.st_ctime = i64_at(96);
    stat.st_ctime_nsec = i64::from(u32_at(104));
    // SAFETY: viewing a live plain-data struct as its bytes.
    let bytes =
        unsafe { std::slice::from_raw_parts((&raw const stat).cast::<u8>(), size_of::<libc::stat>()) };
    bytes.to_vec()
}

/// Which argument of a translated call is a path, for the stub event.
fn path_argument(syscall: &str) -> Option<usize> {
    match syscall {
        "open" | "creat" | "access" | "stat" | "lstat" | "chdir" | "mkdir" | "rmdir" | "unlink"
        | "readlink" | "chmod" | "chown" | "lchown" | "truncate" | "statfs" | "execve" | "rename"
        | "link" | "symlink" | "utime" | "utimes" | "mknod" => Some(0),
        "openat" | "openat2" | "newfstatat" | "faccessat" | "faccessat2" | "mkdirat" | "unlinkat"
        | "readlinkat" | "fchmodat" | "fchmodat2" | "fchownat" | "mknodat" | "statx" | "execveat"
        | "renameat" | "renameat2" | "linkat" | "utimensat" | "futimesat" => Some(1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_translated_x86_64_call_is_emulated() {
        let stubs: Vec<&str> = syscall_bridge::rows()
            .iter()
            .filter(|row| row.fate == Fate::Translate && row.numbers().x86_64.is_some())
            .map(|row| row.name)
            .filter(|name| !EMULATED.contains(name))
            .collect();
        assert_eq!(stubs, Vec::<&str>::new());
    }

    /// A listener whose filter is on one thread of this process: allow-all, so it notifies
    /// nothing, but it is a listener like the sandbox's.
    fn thread_with_listener() -> (
        std::os::fd::OwnedFd,
        std::sync::mpsc::Sender<()>,
        std::thread::JoinHandle<()>,
    ) {
        let (fd_tx, fd_rx) = std::sync::mpsc::channel();
        let (end_tx, end_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let allow = [libc::sock_filter {
                code: (libc::BPF_RET | libc::BPF_K) as u16,
                jt: 0,
                jf: 0,
                k: libc::SECCOMP_RET_ALLOW,
            }];
            let program = libc::sock_fprog {
                len: 1,
                filter: allow.as_ptr().cast_mut(),
            };
            // SAFETY: no_new_privs for this thread only; the program outlives the call, which
            // copies it; the listener it returns is a new fd this thread owns.
            let listener = unsafe {
                assert_eq!(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
                let fd = libc::syscall(
                    libc::SYS_seccomp,
                    libc::SECCOMP_SET_MODE_FILTER,
                    libc::SECCOMP_FILTER_FLAG_NEW_LISTENER,
                    &raw const program,
                );
                assert!(fd >= 0, "seccomp: {}", io::Error::last_os_error());
                <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd as i32)
            };
            fd_tx.send(listener).unwrap();
            let _ = end_rx.recv();
        });
        (fd_rx.recv().unwrap(), end_tx, thread)
    }

    /// What lets a bridge thread stop receiving once the sandbox is gone (a 6.18 kernel fails
    /// `RECV` at once then, and retrying spun both CPUs): orphaned only when no task is left.
    #[test]
    fn a_listener_is_orphaned_when_its_last_task_has_exited_and_not_before() {
        use std::os::fd::AsFd;
        let (listener, end, thread) = thread_with_listener();
        assert!(!orphaned(listener.as_fd()));
        end.send(()).unwrap();
        thread.join().unwrap();
        // The filter lets go of its task a little after join returns; the kernel wakes pollers
        // with POLLHUP when it does.
        let mut poll = [rustix::event::PollFd::new(
            &listener,
            rustix::event::PollFlags::IN,
        )];
        assert_eq!(rustix::event::poll(&mut poll, None), Ok(1));
        assert!(orphaned(listener.as_fd()));
    }

    /// No x86-64 call is a stub today; a row the table gains would be reported like these.
    #[test]
    fn a_stub_event_survives_its_telemetry_and_reads_as_the_call_and_its_failure() {
        let raw = StubEvent {
            pid: 42,
            syscall: "setgroups32",
            args: [1, 0x7ffe_0000, 0, 0, 0, 9],
            path: None,
        };
        let with_path = StubEvent {
            syscall: "statx",
            path: Some("/data/x".into()),
            ..raw.clone()
        };
        for stub in [&raw, &with_path] {
            let event = stub_telemetry(stub);
            assert_eq!(stub_from_telemetry(&event).as_ref(), Some(stub));
            assert!(denial_from_telemetry(&event).is_none());
        }
        assert_eq!(
            raw.to_string(),
            "stub setgroups32(0x1, 0x7ffe0000) = -ENOSYS (pid 42)"
        );
        assert_eq!(
            with_path.to_string(),
            "stub statx(\"/data/x\") = -ENOSYS (pid 42)"
        );
    }
}
