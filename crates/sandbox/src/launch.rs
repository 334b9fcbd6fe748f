//! Launching a program in the sandbox: a child in new user, mount, pid, ipc and uts namespaces,
//! with `no_new_privs` and the bridge's filter, whose user-notification listener comes back to
//! the caller before the program is executed.
//!
//! The child is made with a raw `clone(2)` carrying the namespace flags, so the program is pid 1
//! of its pid namespace (an `unshare(CLONE_NEWPID)` would only move its children). The caller may
//! be multi-threaded, so between `clone` and `execve` the child makes only raw syscalls: no
//! allocation, no locks. Everything it needs (argv, envp, the compiled filter) is built first.

use std::ffi::{CString, OsStr, OsString, c_char, c_int};
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::ptr;

use crate::root::{self, GuestRoot, Step};
use crate::{filter, target};

/// Why a launch failed.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error("program {0} not found or not executable")]
    NotFound(PathBuf),
    #[error("an argument or environment variable contains a NUL byte")]
    Nul,
    #[error("{step} failed: {source}")]
    Host {
        step: &'static str,
        #[source]
        source: io::Error,
    },
    #[error("{0}")]
    Root(String),
    #[error("sandbox setup failed in the child: {step}: {source}")]
    Child {
        step: String,
        #[source]
        source: io::Error,
    },
    #[error("the child died before handing over its seccomp listener")]
    ChildGone,
}

/// A launched sandbox: the program's pid (in the caller's pid namespace) and the listener of
/// its filter. The program is stopped at its `execve`, notified on the listener.
#[derive(Debug)]
pub struct Launched {
    pub pid: libc::pid_t,
    pub listener: OwnedFd,
    /// The sandbox's user and mount namespaces, opened before the program could run (and
    /// exit): the vfs server enters them however short-lived the program is.
    pub namespaces: Namespaces,
}

/// A sandbox's user and mount namespaces (`/proc/<pid>/ns/user`, `ns/mnt`).
#[derive(Debug)]
pub struct Namespaces {
    pub user: OwnedFd,
    pub mount: OwnedFd,
}

fn namespaces(pid: libc::pid_t) -> Result<Namespaces, LaunchError> {
    let open = |name: &str| {
        std::fs::File::open(format!("/proc/{pid}/ns/{name}"))
            .map(OwnedFd::from)
            .map_err(|e| host("opening the sandbox's namespaces", e))
    };
    Ok(Namespaces {
        user: open("user")?,
        mount: open("mnt")?,
    })
}

/// What the child reports when a setup step fails, by index (sent as `index + 1`, then errno);
/// the guest tree's own steps are numbered from [`TREE_STEPS`].
const CHILD_STEPS: [&str; 16] = [
    "PR_SET_PDEATHSIG",
    "sethostname",
    "making mounts private",
    "mounting the staging tmpfs on /tmp",
    "pivoting into the staging tmpfs",
    "mounting the guest's root tmpfs",
    "pivoting into the guest's root",
    "entering the app's folder",
    "PR_SET_NO_NEW_PRIVS",
    "installing the seccomp filter",
    "sending the listener",
    "setsid",
    "bringing up the loopback interface",
    "placing a startup handle",
    "installing Android's app seccomp policy",
    "scoping abstract sockets with Landlock",
];
const TREE_STEPS: u32 = 1000;

const NAMESPACES: c_int =
    libc::CLONE_NEWUSER | libc::CLONE_NEWNS | libc::CLONE_NEWPID | libc::CLONE_NEWIPC | libc::CLONE_NEWUTS;

/// Everything the child needs, prepared before `clone`.
struct ChildPlan {
    /// Startup handles: each source is placed at its target number before `execve`.
    startup: Vec<(OwnedFd, RawFd)>,
    exec: Exec,
    /// Whether the child has a network namespace of its own, whose loopback it brings up.
    private_network: bool,
    /// The Landlock scopes the child confines itself to (0: none, the kernel has no scopes).
    landlock_scoped: u64,
    /// Descriptors of the caller the program inherits (sorted); every other one from 3 up is
    /// closed at `execve`.
    keep_fds: Vec<RawFd>,
    steps: Vec<Step>,
    app_dir: CString,
    argv: Vec<*const c_char>,
    envp: Vec<*const c_char>,
    filter: libc::sock_fprog,
    /// Android's app policy ([`Policy::AndroidApp`]), installed before the bridge's filter.
    android_filter: Option<libc::sock_fprog>,
    sync: RawFd,
    sync_write: RawFd,
    socket: RawFd,
}

/// Which system-call policy the program lives under, besides the bridge's fates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Policy {
    /// Only the bridge's filter: what a Linux program needs runs (Debian's glibc programs
    /// make calls Android forbids apps, `set_robust_list` at startup among them).
    #[default]
    Linux,
    /// Android's app seccomp policy as well ([`crate::filter::android_app_x86_64`]): a call
    /// Android forbids apps raises `SIGSYS`, as on a phone.
    AndroidApp,
}

/// How the child starts the program.
enum Exec {
    /// By its path in the guest tree (a program of the system folders the guest shares).
    Path(CString),
    /// From an fd opened on the host (a program the guest tree does not show).
    Fd(OwnedFd),
}

/// Starts `program` (looked up in the host's `PATH` when it has no `/`) with `args` and the
/// environment `env` in a new sandbox whose file tree is `root`, in the app's folder.
///
/// A program from the folders the guest shares with the host (`/usr`, `/bin`, …) is executed by
/// its path, inside the guest; any other is opened on the host and executed from that fd, so
/// it needs no bind (a script so started cannot find itself: run its interpreter instead).
///
/// The program is killed when the calling thread ends (`PR_SET_PDEATHSIG` follows the thread
/// that cloned it), so launch from a thread that outlives the sandbox. Its first notified call
/// waits until someone serves the listener ([`crate::supervisor::serve`]).
pub fn launch(
    program: &OsStr,
    args: &[OsString],
    env: &[(OsString, OsString)],
    root: &GuestRoot,
    keep_fds: &[RawFd],
    startup: &[(BorrowedFd<'_>, RawFd)],
    policy: Policy,
) -> Result<Launched, LaunchError> {
    // A folder handed in would be a way out of the tree: the kernel walks `..` from a
    // descriptor on a mount outside the guest's namespace up that mount's own tree, the host's,
    // and the guest may `fchdir` to it. Folders are given with `--ro`/`--rw` instead.
    for fd in [0, 1, 2].iter().chain(keep_fds).filter(|fd| **fd >= 0) {
        if rustix::fs::fstat(
            // SAFETY: only inspected while the caller's descriptor is open.
            unsafe { BorrowedFd::borrow_raw(*fd) },
        )
        .is_ok_and(|stat| stat.st_mode & libc::S_IFMT == libc::S_IFDIR)
        {
            return Err(LaunchError::Root(format!(
                "descriptor {fd} is a folder; a folder is given to the program with --ro or --rw, \
                 never as a descriptor (`..` from it would reach the host's files)"
            )));
        }
    }
    let mut keep_fds: Vec<RawFd> = keep_fds
        .iter()
        .copied()
        .chain(startup.iter().map(|&(_, target)| target))
        .filter(|&fd| fd > 2)
        .collect();
    keep_fds.sort_unstable();
    keep_fds.dedup();
    let path = resolve(program)?;
    let steps = root::plan(root)?;
    let cstring = |s: &OsStr| CString::new(s.as_bytes()).map_err(|_| LaunchError::Nul);
    let shared = path.components().nth(1).is_some_and(|first| {
        root::SYSTEM
            .iter()
            .any(|name| first.as_os_str() == OsStr::new(name))
    });
    let exec = if shared {
        Exec::Path(cstring(path.as_os_str())?)
    } else {
        let file = std::fs::File::open(&path).map_err(|source| host("opening the program", source))?;
        Exec::Fd(above_startup_fds(file.as_fd())?)
    };
    // Each startup handle's source sits above every target number, so that placing one in the
    // child cannot overwrite another's source (or the program's fd).
    let startup: Vec<(OwnedFd, RawFd)> = startup
        .iter()
        .map(|&(fd, target)| Ok((above_startup_fds(fd)?, target)))
        .collect::<Result<_, LaunchError>>()?;
    if startup.iter().any(|&(_, target)| target < 3) {
        return Err(LaunchError::Root("startup handles go to fd 3 and above".into()));
    }
    let argv_c = std::iter::once(program)
        .chain(args.iter().map(OsString::as_os_str))
        .map(cstring)
        .collect::<Result<Vec<_>, _>>()?;
    let envp_c = env
        .iter()
        .map(|(key, value)| {
            let mut pair = key.clone();
            pair.push("=");
            pair.push(value);
            cstring(&pair)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let with_null = |strings: &[CString]| {
        strings
            .iter()
            .map(|s| s.as_ptr())
            .chain(std::iter::once(ptr::null()))
            .collect::<Vec<_>>()
    };
    let mut instructions = filter::x86_64();
    let mut android = match policy {
        Policy::AndroidApp => filter::android_app_x86_64(),
        Policy::Linux => Vec::new(),
    };
    let program = |instructions: &mut Vec<libc::sock_filter>| libc::sock_fprog {
        len: u16::try_from(instructions.len()).expect("filter fits in a BPF program"),
        filter: instructions.as_mut_ptr(),
    };

    let (parent_socket, child_socket) = socket_pair()?;
    let (sync_read, sync_write) = pipe()?;
    let plan = ChildPlan {
        startup,
        exec,
        private_network: !root.network,
        landlock_scoped: landlock_scopes(),
        keep_fds,
        steps,
        app_dir: cstring(root.app_dir().as_os_str())?,
        argv: with_null(&argv_c),
        envp: with_null(&envp_c),
        filter: program(&mut instructions),
        android_filter: (!android.is_empty()).then(|| program(&mut android)),
        sync: sync_read.as_raw_fd(),
        sync_write: sync_write.as_raw_fd(),
        socket: child_socket.as_raw_fd(),
    };

    // SAFETY: a raw clone without CLONE_VM behaves as fork: the child gets a copy of the address
    // space and runs only `child`, which makes raw syscalls and ends in execve or _exit.
    let pid = unsafe {
        libc::syscall(
            libc::SYS_clone,
            libc::c_ulong::try_from(
                NAMESPACES | libc::SIGCHLD | if root.network { 0 } else { libc::CLONE_NEWNET },
            )
            .expect("flags are positive"),
            0usize,
            0usize,
            0usize,
            0usize,
        )
    };
    if pid == 0 {
        // SAFETY: we are the freshly cloned child; `plan` and the strings it points into live
        // in our copy of the parent's memory until execve replaces it.
        unsafe { child(&plan) }
    }
    if pid < 0 {
        return Err(host("clone with new namespaces", io::Error::last_os_error()));
    }
    let pid = libc::pid_t::try_from(pid).expect("pids fit pid_t");
    drop((child_socket, sync_read));
    let handover = map_ids(pid, root.uid)
        .and_then(|()| namespaces(pid))
        .and_then(|namespaces| {
            // SAFETY: writes one byte from a live local to an fd we own.
            let written = unsafe { libc::write(sync_write.as_raw_fd(), [1u8].as_ptr().cast(), 1) };
            if written == 1 {
                Ok(namespaces)
            } else {
                Err(host("releasing the child", io::Error::last_os_error()))
            }
        })
        .and_then(|namespaces| Ok((receive_listener(&parent_socket, &plan.steps)?, namespaces)));
    drop(sync_write);
    match handover {
        Ok((listener, namespaces)) => Ok(Launched {
            pid,
            listener,
            namespaces,
        }),
        Err(error) => {
            reap(pid);
            Err(error)
        }
    }
}

/// The path `execve` gets: `program` itself when it names a path, else its first match in
/// `PATH`; it must be an executable file.
fn resolve(program: &OsStr) -> Result<PathBuf, LaunchError> {
    let executable = |path: &Path| {
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    let program_path = Path::new(program);
    if program.as_bytes().contains(&b'/') {
        return if executable(program_path) {
            Ok(program_path.to_path_buf())
        } else {
            Err(LaunchError::NotFound(program_path.to_path_buf()))
        };
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|path| executable(path))
        .ok_or_else(|| LaunchError::NotFound(program_path.to_path_buf()))
}

/// A duplicate of `fd` numbered above any startup handle's target (`CLOEXEC`).
fn above_startup_fds(fd: BorrowedFd<'_>) -> Result<OwnedFd, LaunchError> {
    /// Startup targets are small numbers (3, 4, …); sources go above this.
    const FLOOR: RawFd = 100;
    rustix::io::fcntl_dupfd_cloexec(fd, FLOOR).map_err(|e| host("duplicating a descriptor", e.into()))
}

/// Maps the app's uid and gid (`app`) in the child's user namespace to the caller's own.
fn map_ids(pid: libc::pid_t, app: u32) -> Result<(), LaunchError> {
    // SAFETY: getuid and getgid cannot fail.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let write = |file: &str, text: String| {
        std::fs::write(proc.join(file), text).map_err(|source| LaunchError::Host {
            step: "writing the child's id maps",
            source,
        })
    };
    write("setgroups", "deny".into())?;
    write("uid_map", format!("{app} {uid} 1"))?;
    write("gid_map", format!("{app} {gid} 1"))
}

fn socket_pair() -> Result<(OwnedFd, OwnedFd), LaunchError> {
    let mut fds = [0; 2];
    // SAFETY: socketpair writes two fds into the array on success.
    let result = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    if result != 0 {
        return Err(host("socketpair", io::Error::last_os_error()));
    }
    // SAFETY: both fds were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

fn pipe() -> Result<(OwnedFd, OwnedFd), LaunchError> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two fds into the array on success.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(host("pipe2", io::Error::last_os_error()));
    }
    // SAFETY: both fds were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// The child's report: `[0, 0]` with the listener attached, or `[step + 1, errno]`.
type Report = [u32; 2];

/// Room for one `SCM_RIGHTS` control message carrying one fd, aligned for `cmsghdr`.
#[repr(C, align(8))]
struct ControlBuffer([u8; 24]);

fn receive_listener(socket: &OwnedFd, steps: &[Step]) -> Result<OwnedFd, LaunchError> {
    let mut report: Report = [0; 2];
    let mut control = ControlBuffer([0; 24]);
    let mut iov = libc::iovec {
        iov_base: report.as_mut_ptr().cast(),
        iov_len: size_of::<Report>(),
    };
    // SAFETY: an all-zero msghdr is valid (no name, no buffers); the fields are set below.
    let mut message: libc::msghdr = unsafe { std::mem::zeroed() };
    message.msg_iov = &mut iov;
    message.msg_iovlen = 1;
    message.msg_control = control.0.as_mut_ptr().cast();
    message.msg_controllen = control.0.len();
    let received = loop {
        // SAFETY: message points at live buffers of the sizes it states.
        let n = unsafe { libc::recvmsg(socket.as_raw_fd(), &mut message, libc::MSG_CMSG_CLOEXEC) };
        if n >= 0 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            break n;
        }
    };
    if received < 0 {
        return Err(host("receiving the listener", io::Error::last_os_error()));
    }
    if usize::try_from(received) != Ok(size_of::<Report>()) {
        return Err(LaunchError::ChildGone);
    }
    if report[0] != 0 {
        let index = report[0] - 1;
        let step = match index.checked_sub(TREE_STEPS) {
            Some(tree) => steps
                .get(tree as usize)
                .map_or_else(|| "unknown step".to_string(), ToString::to_string),
            None => CHILD_STEPS
                .get(index as usize)
                .copied()
                .unwrap_or("unknown step")
                .to_string(),
        };
        return Err(LaunchError::Child {
            step,
            source: io::Error::from_raw_os_error(i32::try_from(report[1]).unwrap_or(0)),
        });
    }
    // SAFETY: message was filled by recvmsg; CMSG_FIRSTHDR reads only within msg_control.
    let header = unsafe { libc::CMSG_FIRSTHDR(&message) };
    // SAFETY: a non-null header lies within `control`; an SCM_RIGHTS message of one fd carries
    // a c_int after its header.
    unsafe {
        if header.is_null()
            || (*header).cmsg_level != libc::SOL_SOCKET
            || (*header).cmsg_type != libc::SCM_RIGHTS
        {
            return Err(LaunchError::ChildGone);
        }
        let fd = ptr::read_unaligned(libc::CMSG_DATA(header).cast::<c_int>());
        Ok(OwnedFd::from_raw_fd(fd))
    }
}

/// Kills and reaps a child whose launch failed.
fn reap(pid: libc::pid_t) {
    // SAFETY: pid is our own unreaped child, so it cannot have been reused.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
        libc::waitpid(pid, ptr::null_mut(), 0);
    }
}

fn host(step: &'static str, source: io::Error) -> LaunchError {
    LaunchError::Host { step, source }
}

/// The child between `clone` and `execve`.
///
/// # Safety
/// Must run only in the child of a fork-like clone; `plan` must point into valid memory.
unsafe fn child(plan: &ChildPlan) -> ! {
    // SAFETY: all calls below are raw syscall wrappers on valid pointers and fds from `plan`;
    // none allocates or takes a lock.
    unsafe {
        let fail = |step: u32| -> ! { report_failure(plan.socket, step) };
        // The supervisor's death must take the sandbox with it.
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
            fail(0);
        }
        // Wait until the parent has written the id maps; end of file means it died or failed.
        libc::close(plan.sync_write);
        let mut byte = 0u8;
        if libc::read(plan.sync, (&raw mut byte).cast(), 1) != 1 {
            libc::_exit(127);
        }
        // A session of its own: no controlling terminal shared with the supervisor, so no
        // TIOCSTI can push input into the terminal the sandbox was started from.
        if libc::setsid() < 0 {
            fail(11);
        }
        if libc::sethostname(target::NODENAME.as_ptr().cast(), target::NODENAME.len()) != 0 {
            fail(1);
        }
        if plan.private_network && !loopback_up() {
            fail(12);
        }
        let root = c"/";
        let flags = libc::MS_REC | libc::MS_PRIVATE;
        if libc::mount(ptr::null(), root.as_ptr(), ptr::null(), flags, ptr::null()) != 0 {
            fail(2);
        }
        build_tree(plan);
        if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
            fail(8);
        }
        if plan.landlock_scoped != 0 {
            let attr = LandlockRulesetAttr {
                handled_access_fs: 0,
                handled_access_net: 0,
                scoped: plan.landlock_scoped,
            };
            let ruleset = libc::syscall(
                libc::SYS_landlock_create_ruleset,
                &raw const attr,
                size_of::<LandlockRulesetAttr>(),
                0,
            );
            if ruleset < 0 || libc::syscall(libc::SYS_landlock_restrict_self, ruleset, 0) != 0 {
                fail(15);
            }
            libc::close(ruleset as c_int);
        }
        let install_program = |flags: libc::c_ulong, program: &libc::sock_fprog| {
            libc::syscall(libc::SYS_seccomp, libc::SECCOMP_SET_MODE_FILTER, flags, program)
        };
        // Android's policy first: from here on the child makes only calls it allows (and
        // `dup3`, not `dup2`, which bionic's x86-64 policy lacks).
        if let Some(android) = &plan.android_filter
            && install_program(0, android) < 0
        {
            fail(14);
        }
        let install = |flags: libc::c_ulong| install_program(flags, &plan.filter);
        // WAIT_KILLABLE_RECV (Linux 6.0): once the supervisor has received a call, only a fatal
        // signal interrupts it, so the guest never sees a spurious EINTR from a handled call.
        let mut listener =
            install(libc::SECCOMP_FILTER_FLAG_NEW_LISTENER | libc::SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
        if listener < 0 && *libc::__errno_location() == libc::EINVAL {
            listener = install(libc::SECCOMP_FILTER_FLAG_NEW_LISTENER);
        }
        if listener < 0 {
            fail(9);
        }
        let listener = listener as c_int;
        let report: Report = [0; 2];
        let mut iov = libc::iovec {
            iov_base: report.as_ptr().cast_mut().cast(),
            iov_len: size_of::<Report>(),
        };
        let mut control = ControlBuffer([0; 24]);
        let mut message: libc::msghdr = std::mem::zeroed();
        message.msg_iov = &mut iov;
        message.msg_iovlen = 1;
        message.msg_control = control.0.as_mut_ptr().cast();
        message.msg_controllen = libc::CMSG_SPACE(size_of::<c_int>() as u32) as usize;
        let header = libc::CMSG_FIRSTHDR(&message);
        (*header).cmsg_level = libc::SOL_SOCKET;
        (*header).cmsg_type = libc::SCM_RIGHTS;
        (*header).cmsg_len = libc::CMSG_LEN(size_of::<c_int>() as u32) as usize;
        ptr::write_unaligned(libc::CMSG_DATA(header).cast::<c_int>(), listener);
        if libc::sendmsg(plan.socket, &message, 0) < 0 {
            fail(10);
        }
        libc::close(listener);
        for (source, target) in &plan.startup {
            // Sources are above every target (see `above_startup_fds`), so never equal.
            if libc::dup3(source.as_raw_fd(), *target, 0) < 0 {
                fail(13);
            }
        }
        // Nothing of the caller's leaks in but what it chose: every other descriptor from 3
        // up closes at execve (a host folder's fd would be a way out of the tree).
        let mut from = 3;
        for &kept in &plan.keep_fds {
            if kept > from {
                libc::syscall(libc::SYS_close_range, from, kept - 1, libc::CLOSE_RANGE_CLOEXEC);
            }
            libc::fcntl(kept, libc::F_SETFD, 0);
            from = kept + 1;
        }
        libc::syscall(libc::SYS_close_range, from, u32::MAX, libc::CLOSE_RANGE_CLOEXEC);
        match &plan.exec {
            Exec::Path(path) => {
                libc::execve(path.as_ptr(), plan.argv.as_ptr(), plan.envp.as_ptr());
            }
            Exec::Fd(fd) => {
                libc::syscall(
                    libc::SYS_execveat,
                    fd.as_raw_fd(),
                    c"".as_ptr(),
                    plan.argv.as_ptr(),
                    plan.envp.as_ptr(),
                    libc::AT_EMPTY_PATH,
                );
            }
        }
        libc::_exit(127)
    }
}

/// Builds the guest tree ([`crate::root`]) and pivots into it, in the child: a staging tmpfs on
/// `/tmp` becomes the root with the host's under [`root::OLD`], the plan's steps assemble the
/// guest's root under [`root::NEW`], and a second pivot makes it the root and detaches the rest.
///
/// # Safety
/// As [`child`]: raw system calls only, on the plan's prepared strings.
unsafe fn build_tree(plan: &ChildPlan) {
    // SAFETY: raw syscall wrappers on NUL-terminated strings that live in `plan` or are
    // literals; no allocation, no locks.
    unsafe {
        let fail = |step: u32| -> ! { report_failure(plan.socket, step) };
        let mount = |source: *const c_char,
                     target: *const c_char,
                     fstype: *const c_char,
                     flags,
                     data: *const c_char| {
            libc::mount(source, target, fstype, flags, data.cast()) == 0
        };
        let pivot =
            |new: *const c_char, old: *const c_char| libc::syscall(libc::SYS_pivot_root, new, old) == 0;
        let nosuid = libc::MS_NOSUID | libc::MS_NODEV;
        if !mount(
            c"tmpfs".as_ptr(),
            c"/tmp".as_ptr(),
            c"tmpfs".as_ptr(),
            nosuid,
            c"mode=0755".as_ptr(),
        ) {
            fail(3);
        }
        let made = libc::mkdir(c"/tmp/newroot".as_ptr(), 0o755) == 0
            && libc::mkdir(c"/tmp/oldroot".as_ptr(), 0o755) == 0;
        if !made || !pivot(c"/tmp".as_ptr(), c"/tmp/oldroot".as_ptr()) || libc::chdir(c"/".as_ptr()) != 0 {
            fail(4);
        }
        if !mount(
            c"tmpfs".as_ptr(),
            c"/newroot".as_ptr(),
            c"tmpfs".as_ptr(),
            nosuid,
            c"mode=0755,size=64k".as_ptr(),
        ) {
            fail(5);
        }
        for (index, step) in plan.steps.iter().enumerate() {
            let done = match step {
                Step::Mkdir(path) => {
                    libc::mkdir(path.as_ptr(), 0o755) == 0 || *libc::__errno_location() == libc::EEXIST
                }
                Step::Touch(path) => {
                    let fd = libc::open(
                        path.as_ptr(),
                        libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
                        0o644,
                    );
                    fd >= 0 && libc::close(fd) == 0
                }
                Step::Write { path, contents } => {
                    let fd = libc::open(
                        path.as_ptr(),
                        libc::O_CREAT | libc::O_EXCL | libc::O_WRONLY | libc::O_CLOEXEC,
                        0o644,
                    );
                    fd >= 0
                        && libc::write(fd, contents.as_ptr().cast(), contents.len())
                            == contents.len() as isize
                        && libc::close(fd) == 0
                }
                Step::Symlink { target, link } => libc::symlink(target.as_ptr(), link.as_ptr()) == 0,
                Step::Tmpfs { target, options } => mount(
                    c"tmpfs".as_ptr(),
                    target.as_ptr(),
                    c"tmpfs".as_ptr(),
                    nosuid,
                    options.as_ptr(),
                ),
                Step::Bind {
                    source,
                    target,
                    writable,
                    devices,
                } => {
                    let bound = mount(
                        source.as_ptr(),
                        target.as_ptr(),
                        ptr::null(),
                        libc::MS_BIND | libc::MS_REC,
                        ptr::null(),
                    );
                    let mut set = libc::MOUNT_ATTR_NOSUID;
                    if !devices {
                        set |= libc::MOUNT_ATTR_NODEV;
                    }
                    if !writable {
                        set |= libc::MOUNT_ATTR_RDONLY;
                    }
                    bound && set_attributes(target, set, libc::AT_RECURSIVE as libc::c_uint)
                }
                Step::Proc(target) => mount(
                    c"proc".as_ptr(),
                    target.as_ptr(),
                    c"proc".as_ptr(),
                    nosuid | libc::MS_NOEXEC,
                    ptr::null(),
                ),
                Step::ReadOnly(target) => set_attributes(target, libc::MOUNT_ATTR_RDONLY, 0),
            };
            if !done {
                fail(TREE_STEPS + index as u32);
            }
        }
        let detached = libc::chdir(c"/newroot".as_ptr()) == 0
            && pivot(c".".as_ptr(), c".".as_ptr())
            && libc::umount2(c".".as_ptr(), libc::MNT_DETACH) == 0
            && libc::chdir(c"/".as_ptr()) == 0;
        if !detached {
            fail(6);
        }
        if libc::chdir(plan.app_dir.as_ptr()) != 0 {
            fail(7);
        }
    }
}

/// `struct landlock_ruleset_attr` as of Landlock ABI 6 (Linux 6.12), the first with `scoped`.
#[repr(C)]
struct LandlockRulesetAttr {
    handled_access_fs: u64,
    handled_access_net: u64,
    scoped: u64,
}

/// `LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET`: no connecting or sending to an abstract AF_UNIX
/// socket bound outside the domain.
const LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET: u64 = 1;

/// The Landlock scopes the sandbox is put under: abstract AF_UNIX sockets, where the kernel
/// has them (ABI 6, Linux 6.12), else none. Abstract names live in the network namespace, and
/// an app that holds INTERNET shares the host's: without the scope it could reach every
/// abstract socket of the host (container runtimes', D-Bus's, X11's), as in CVE-2020-15257.
/// The sandbox's own processes still reach one another's (they share the domain).
pub fn landlock_scopes() -> u64 {
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: the version query reads no memory (null attr, size 0).
    let abi = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            ptr::null::<LandlockRulesetAttr>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    if abi >= 6 {
        LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
    } else {
        0
    }
}

/// What to tell the user when the program will share the host's network on a kernel without
/// Landlock scopes ([`landlock_scopes`]): `None` when there is nothing to say.
pub fn shared_network_warning(network: bool) -> Option<&'static str> {
    (network && landlock_scopes() == 0).then_some(
        "this kernel has no Landlock scopes (Linux 6.12+), so the program, sharing the host's \
         network, can reach the host's abstract AF_UNIX sockets",
    )
}

/// Brings up `lo` in the child's own network namespace (a new one has it down).
///
/// # Safety
/// For the child only: raw system calls on locals.
unsafe fn loopback_up() -> bool {
    // SAFETY: socket, ioctl and close on a fresh fd and a zeroed, filled-in ifreq.
    unsafe {
        let socket = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if socket < 0 {
            return false;
        }
        let mut request: libc::ifreq = std::mem::zeroed();
        request.ifr_name[..3].copy_from_slice(&[b'l' as libc::c_char, b'o' as libc::c_char, 0]);
        request.ifr_ifru.ifru_flags = (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
        let up = libc::ioctl(socket, libc::SIOCSIFFLAGS, &raw const request) == 0;
        libc::close(socket);
        up
    }
}

/// Tells the parent which setup step failed and with which errno, then exits.
///
/// # Safety
/// For the child only: raw system calls.
unsafe fn report_failure(socket: RawFd, step: u32) -> ! {
    // SAFETY: reads errno, writes a live local to an fd of the plan, exits.
    unsafe {
        let report: Report = [step + 1, *libc::__errno_location() as u32];
        libc::write(socket, report.as_ptr().cast(), size_of::<Report>());
        libc::_exit(127)
    }
}

/// `mount_setattr(path, flags, {attr_set: set})`.
///
/// # Safety
/// Raw system call; `path` is NUL-terminated.
unsafe fn set_attributes(path: &CString, set: u64, flags: libc::c_uint) -> bool {
    let attributes = libc::mount_attr {
        attr_set: set,
        attr_clr: 0,
        propagation: 0,
        userns_fd: 0,
    };
    // SAFETY: the path is NUL-terminated and `attributes` is a live mount_attr of the size
    // passed.
    unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            libc::AT_FDCWD,
            path.as_ptr(),
            flags,
            &raw const attributes,
            size_of::<libc::mount_attr>(),
        ) == 0
    }
}
