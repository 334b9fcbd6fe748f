//! The `vfs` server (`hc-vfs`) and the supervisor's client of it.
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
//! # What it answers
//! Every method of `microkernel::protocols::vfs`; a failure is an error reply carrying the
//! errno the syscall gives the guest. Opened files come back as fds, which the supervisor
//! installs in the guest (`SECCOMP_IOCTL_NOTIF_ADDFD`), so reads and writes then run natively.
//!
//! Known differences from native calls, each the price of resolving on the guest's behalf:
//! - `/proc/self`, `/proc/thread-self`, `/dev/fd/…` and `/dev/std{in,out,err}` at the start of a
//!   path are rewritten to the caller's guest pid; a symlink elsewhere that points through
//!   `/proc/self` does not resolve (vfs has no pid in the guest's namespace).
//! - A FIFO is opened without waiting for its other end (vfs must not block on one caller):
//!   a reader gets a FIFO with no writer yet, a writer without a reader gets `ENXIO`.

use std::ffi::CString;
use std::io::Read;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use microkernel::protocol::Method;
use microkernel::protocols::vfs::{self, At};
use microkernel::rpc::{Dispatcher, Reply};
use microkernel::wire::ErrorReply;
use microkernel::{Channel, Error, Handle, Process};
use rustix::io::Errno;

/// Startup fds of `hc-vfs`: its channel, the sandbox's user and mount namespaces, the host's
/// `/proc`.
pub const CHANNEL_FD: RawFd = 3;
pub const USER_NS_FD: RawFd = 4;
pub const MOUNT_NS_FD: RawFd = 5;
pub const PROC_FD: RawFd = 6;

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
}

fn os(step: &'static str) -> StartError {
    StartError::Os {
        step,
        source: std::io::Error::last_os_error(),
    }
}

/// `hc-vfs`'s whole life: takes its startup fds, enters the sandbox and serves until the
/// supervisor closes the channel. Must be called while the process is single-threaded
/// (`setns` into a user namespace requires it).
pub fn server_main() -> Result<(), StartError> {
    use microkernel::startup::take_startup_handle;
    let channel = Channel::try_from(take_startup_handle(CHANNEL_FD)?)?;
    let user_ns = take_startup_handle(USER_NS_FD)?.into_fd();
    let mount_ns = take_startup_handle(MOUNT_NS_FD)?.into_fd();
    let proc = take_startup_handle(PROC_FD)?.into_fd();
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
        if libc::getuid() != 0 {
            drop_capabilities()?;
        }
    }
    drop((user_ns, mount_ns));
    let mut server = Server { proc };
    dispatcher()
        .serve(&mut server, &channel)
        .map_err(StartError::Handle)
}

/// A guest that is not root in its namespace has no capabilities after `execve`; entering the
/// namespace gave vfs all of them, which would let it bypass the permission checks the guest
/// is subject to.
fn drop_capabilities() -> Result<(), StartError> {
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    let header = Header {
        version: 0x2008_0522, // _LINUX_CAPABILITY_VERSION_3
        pid: 0,
    };
    let data = [Data {
        effective: 0,
        permitted: 0,
        inheritable: 0,
    }; 2];
    // SAFETY: capset reads a v3 header and two data words, both live locals.
    if unsafe { libc::syscall(libc::SYS_capset, &raw const header, data.as_ptr()) } != 0 {
        return Err(os("dropping capabilities"));
    }
    Ok(())
}

struct Server {
    /// The host's `/proc`, opened before entering the sandbox.
    proc: OwnedFd,
}

type Answer<T> = Result<Reply<T>, ErrorReply>;

fn fail(errno: i32) -> ErrorReply {
    ErrorReply::failed(Errno::from_raw_os_error(errno), "")
}

fn last_error() -> ErrorReply {
    fail(
        std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO),
    )
}

fn check(result: libc::c_int) -> Result<(), ErrorReply> {
    if result < 0 { Err(last_error()) } else { Ok(()) }
}

fn done<T>(response: T) -> Answer<T> {
    Ok((response, Vec::new()))
}

/// Spells a `/proc/self`-like prefix for a guest pid and tid.
type Respell = fn(u32, u32) -> String;

/// A guest path resolved for a call: the directory it starts from (`AT_FDCWD`, vfs's own cwd,
/// is the guest's root) and the path's bytes.
struct Resolved {
    base: Option<OwnedFd>,
    path: CString,
}

impl Resolved {
    fn dirfd(&self) -> RawFd {
        self.base.as_ref().map_or(libc::AT_FDCWD, AsRawFd::as_raw_fd)
    }
}

impl Server {
    /// Where `at` starts from, and its path with the guest's `/proc/self` spellings rewritten.
    fn resolve(&self, at: &At) -> Result<Resolved, ErrorReply> {
        let path = self.rewrite(at)?;
        let base = if path.first() == Some(&b'/') {
            None
        } else {
            Some(self.directory(at.tid, at.dirfd)?)
        };
        let path = CString::new(path).map_err(|_| fail(libc::EINVAL))?;
        Ok(Resolved { base, path })
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

    fn open_in_proc(&self, name: &str) -> Result<OwnedFd, ErrorReply> {
        let name = CString::new(name).map_err(|_| fail(libc::EINVAL))?;
        // SAFETY: openat on our proc fd and a NUL-terminated name.
        let fd = unsafe {
            libc::openat(
                self.proc.as_raw_fd(),
                name.as_ptr(),
                libc::O_PATH | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(last_error());
        }
        // SAFETY: a fresh fd nobody else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    /// The path, with `/proc/self`, `/proc/thread-self`, `/dev/fd` and `/dev/std*` at its start
    /// pointed at the caller's guest pid (vfs has none in the guest's pid namespace).
    fn rewrite(&self, at: &At) -> Result<Vec<u8>, ErrorReply> {
        let path = &at.path;
        if path.is_empty() {
            return Err(fail(libc::ENOENT));
        }
        let prefixes: [(&[u8], Respell); 6] = [
            (b"/proc/self", |pid, _| format!("/proc/{pid}")),
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
                return Ok(rewritten);
            }
        }
        Ok(path.clone())
    }

    /// The caller's process and thread ids in the guest's pid namespace (the last numbers of
    /// `NStgid` and `NSpid` in its host status file).
    fn guest_ids(&self, tid: u32) -> Result<(u32, u32), ErrorReply> {
        let status = self.status(tid)?;
        let last = |key: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(key))
                .and_then(|ids| ids.split_whitespace().last())
                .and_then(|id| id.parse().ok())
                .ok_or_else(|| fail(libc::ESRCH))
        };
        Ok((last("NStgid:")?, last("NSpid:")?))
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
        let name = CString::new(format!("{tid}/status")).map_err(|_| fail(libc::EINVAL))?;
        // SAFETY: openat on our proc fd and a NUL-terminated name.
        let fd = unsafe {
            libc::openat(
                self.proc.as_raw_fd(),
                name.as_ptr(),
                libc::O_RDONLY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(fail(libc::ESRCH));
        }
        // SAFETY: a fresh fd nobody else owns.
        let mut file = std::fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) });
        let mut text = String::new();
        file.read_to_string(&mut text).map_err(|_| fail(libc::ESRCH))?;
        Ok(text)
    }

    fn open(&mut self, request: vfs::OpenRequest, _: Vec<Handle>) -> Answer<vfs::OpenResponse> {
        let at = self.resolve(&request.at)?;
        let flags = request.flags as libc::c_int;
        let creating = flags & libc::O_CREAT != 0 || flags & libc::O_TMPFILE == libc::O_TMPFILE;
        let mode = if creating {
            request.mode & 0o7777 & !self.umask(request.at.tid)?
        } else {
            0
        };
        // Never wait on a FIFO's other end here (module docs); the guest's own flag is put
        // back below.
        let open_flags = flags | libc::O_CLOEXEC | libc::O_NONBLOCK;
        // SAFETY: openat on a live dirfd and a NUL-terminated path.
        let fd = unsafe { libc::openat(at.dirfd(), at.path.as_ptr(), open_flags, mode) };
        if fd < 0 {
            return Err(last_error());
        }
        // SAFETY: a fresh fd nobody else owns.
        let file = unsafe { OwnedFd::from_raw_fd(fd) };
        if flags & libc::O_NONBLOCK == 0 && flags & libc::O_PATH == 0 {
            // SAFETY: fcntl on an fd we own.
            unsafe {
                let status = libc::fcntl(fd, libc::F_GETFL);
                check(libc::fcntl(fd, libc::F_SETFL, status & !libc::O_NONBLOCK))?;
            }
        }
        Ok((vfs::OpenResponse {}, vec![Handle::from(file)]))
    }

    fn stat(&mut self, request: vfs::StatRequest, _: Vec<Handle>) -> Answer<vfs::StatResponse> {
        let at = self.resolve(&request.at)?;
        let mut buffer = [0u8; 256];
        // SAFETY: statx writes at most sizeof(struct statx) = 256 bytes into the buffer.
        let result = unsafe {
            libc::syscall(
                libc::SYS_statx,
                at.dirfd(),
                at.path.as_ptr(),
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

    fn access(&mut self, request: vfs::AccessRequest, _: Vec<Handle>) -> Answer<vfs::AccessResponse> {
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

    fn mkdir(&mut self, request: vfs::MkdirRequest, _: Vec<Handle>) -> Answer<vfs::MkdirResponse> {
        let at = self.resolve(&request.at)?;
        let mode = request.mode & 0o7777 & !self.umask(request.at.tid)?;
        // SAFETY: mkdirat on a live dirfd and a NUL-terminated path.
        check(unsafe { libc::mkdirat(at.dirfd(), at.path.as_ptr(), mode) })?;
        done(vfs::MkdirResponse {})
    }

    fn unlink(&mut self, request: vfs::UnlinkRequest, _: Vec<Handle>) -> Answer<vfs::UnlinkResponse> {
        let at = self.resolve(&request.at)?;
        // SAFETY: unlinkat on a live dirfd and a NUL-terminated path.
        check(unsafe { libc::unlinkat(at.dirfd(), at.path.as_ptr(), request.flags as libc::c_int) })?;
        done(vfs::UnlinkResponse {})
    }

    fn rename(&mut self, request: vfs::RenameRequest, _: Vec<Handle>) -> Answer<vfs::RenameResponse> {
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

    fn readlink(&mut self, request: vfs::ReadlinkRequest, _: Vec<Handle>) -> Answer<vfs::ReadlinkResponse> {
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

    fn symlink(&mut self, request: vfs::SymlinkRequest, _: Vec<Handle>) -> Answer<vfs::SymlinkResponse> {
        let at = self.resolve(&request.at)?;
        let target = CString::new(request.target).map_err(|_| fail(libc::EINVAL))?;
        // SAFETY: symlinkat on a live dirfd and NUL-terminated strings.
        check(unsafe { libc::symlinkat(target.as_ptr(), at.dirfd(), at.path.as_ptr()) })?;
        done(vfs::SymlinkResponse {})
    }

    fn link(&mut self, request: vfs::LinkRequest, _: Vec<Handle>) -> Answer<vfs::LinkResponse> {
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

    fn chmod(&mut self, request: vfs::ChmodRequest, _: Vec<Handle>) -> Answer<vfs::ChmodResponse> {
        let at = self.resolve(&request.at)?;
        // SAFETY: fchmodat2 (Linux 6.6; fchmodat without flags) on a live dirfd and a
        // NUL-terminated path.
        let result = unsafe {
            if request.flags == 0 {
                libc::syscall(libc::SYS_fchmodat, at.dirfd(), at.path.as_ptr(), request.mode)
            } else {
                libc::syscall(
                    452, // fchmodat2
                    at.dirfd(),
                    at.path.as_ptr(),
                    request.mode,
                    request.flags,
                )
            }
        };
        check(result as libc::c_int)?;
        done(vfs::ChmodResponse {})
    }

    fn chown(&mut self, request: vfs::ChownRequest, _: Vec<Handle>) -> Answer<vfs::ChownResponse> {
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

    fn truncate(&mut self, request: vfs::TruncateRequest, _: Vec<Handle>) -> Answer<vfs::TruncateResponse> {
        let at = self.resolve(&request.at)?;
        let length = i64::try_from(request.length).map_err(|_| fail(libc::EINVAL))?;
        // truncate(2) needs write permission, as opening for writing does.
        // SAFETY: openat on a live dirfd and a NUL-terminated path.
        let fd = unsafe {
            libc::openat(
                at.dirfd(),
                at.path.as_ptr(),
                libc::O_WRONLY | libc::O_CLOEXEC | libc::O_NONBLOCK,
            )
        };
        if fd < 0 {
            return Err(last_error());
        }
        // SAFETY: a fresh fd nobody else owns.
        let file = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: ftruncate on an fd we own.
        check(unsafe { libc::ftruncate(file.as_raw_fd(), length) })?;
        done(vfs::TruncateResponse {})
    }

    fn utimens(&mut self, request: vfs::UtimensRequest, _: Vec<Handle>) -> Answer<vfs::UtimensResponse> {
        let times = request.times.map(|times| {
            times.map(|(seconds, nanoseconds)| libc::timespec {
                tv_sec: seconds,
                tv_nsec: nanoseconds,
            })
        });
        let times_ptr = times.as_ref().map_or(std::ptr::null(), |t| t.as_ptr());
        // An empty path names the file the dirfd is open on (futimens).
        if request.at.path.is_empty() {
            if request.at.dirfd == At::CWD || request.at.dirfd < 0 {
                return Err(fail(libc::EBADF));
            }
            let name = CString::new(format!("{}/fd/{}", request.at.tid, request.at.dirfd))
                .map_err(|_| fail(libc::EINVAL))?;
            // SAFETY: utimensat on our proc fd, a NUL-terminated name and two timespecs or
            // null.
            let result = unsafe { libc::utimensat(self.proc.as_raw_fd(), name.as_ptr(), times_ptr, 0) };
            return match check(result) {
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
        .on::<vfs::Open>(Server::open)
        .on::<vfs::Stat>(Server::stat)
        .on::<vfs::Access>(Server::access)
        .on::<vfs::Mkdir>(Server::mkdir)
        .on::<vfs::Unlink>(Server::unlink)
        .on::<vfs::Rename>(Server::rename)
        .on::<vfs::Readlink>(Server::readlink)
        .on::<vfs::Symlink>(Server::symlink)
        .on::<vfs::Link>(Server::link)
        .on::<vfs::Chmod>(Server::chmod)
        .on::<vfs::Chown>(Server::chown)
        .on::<vfs::Truncate>(Server::truncate)
        .on::<vfs::Utimens>(Server::utimens)
}

/// The supervisor's side: the channel to the sandbox's `hc-vfs`, restarted when it dies.
#[derive(Debug)]
pub struct Client {
    program: PathBuf,
    /// The sandbox's first process, whose namespaces a (re)started server enters.
    guest: libc::pid_t,
    server: Option<(Channel, Process)>,
    /// How many times the server was (re)started.
    pub starts: u32,
}

/// What a call through [`Client::call`] gives back: the reply, or the errno for the guest.
pub type Outcome<T> = Result<Reply<T>, i32>;

impl Client {
    /// A client for the sandbox whose first process is `guest`; the server (`program`, an
    /// `hc-vfs` binary) is started on the first call.
    pub fn new(program: PathBuf, guest: libc::pid_t) -> Client {
        Client {
            program,
            guest,
            server: None,
            starts: 0,
        }
    }

    fn start(&mut self) -> Result<(), Error> {
        let (ours, theirs) = Channel::pair()?;
        let open = |path: String| {
            std::fs::File::open(&path)
                .map(OwnedFd::from)
                .map_err(|source| Error::Io {
                    op: "opening the sandbox's namespaces",
                    source,
                })
        };
        let user = open(format!("/proc/{}/ns/user", self.guest))?;
        let mount = open(format!("/proc/{}/ns/mnt", self.guest))?;
        let proc = open("/proc".to_string())?;
        let mut command = Command::new(&self.program);
        command.stdin(Stdio::null()).stdout(Stdio::null());
        let theirs = Handle::from(theirs).into_fd();
        let process = Process::spawn(
            command,
            &[
                (theirs.as_fd(), CHANNEL_FD),
                (user.as_fd(), USER_NS_FD),
                (mount.as_fd(), MOUNT_NS_FD),
                (proc.as_fd(), PROC_FD),
            ],
        )?;
        self.server = Some((ours, process));
        self.starts += 1;
        Ok(())
    }

    /// Calls `M`. A server that is gone (killed, crashed) fails the call with `EIO` and is
    /// started afresh for the next one; an error reply gives its errno.
    pub fn call<M: Method>(&mut self, request: &M::Request) -> Outcome<M::Response> {
        if self.server.is_none() && self.start().is_err() {
            return Err(libc::EIO);
        }
        let (channel, _) = self.server.as_mut().expect("started above");
        match microkernel::rpc::call::<M>(channel, request, Vec::new()) {
            Ok(reply) => Ok(reply),
            Err(Error::Remote(reply)) => Err(if reply.errno > 0 { reply.errno } else { libc::EIO }),
            Err(_) => {
                if let Some((_, process)) = self.server.take() {
                    let _ = process.send_signal(libc::SIGKILL);
                    let _ = process.wait();
                }
                Err(libc::EIO)
            }
        }
    }

    /// The running server's pid, if one runs.
    pub fn server_pid(&self) -> Option<u32> {
        self.server.as_ref().and_then(|(_, process)| process.pid())
    }
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
