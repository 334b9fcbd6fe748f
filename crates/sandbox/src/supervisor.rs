//! The supervisor: receives the guest's notified syscalls on the filter's listener, decides
//! each one and answers it.
//!
//! Rules (DESIGN.md, "The syscall bridge"): guest memory is copied once with
//! `process_vm_readv`, and the notification id is checked with `SECCOMP_IOCTL_NOTIF_ID_VALID`
//! after every read, before the copy is trusted; a call whose memory was read is always fully
//! emulated, never continued. The one `CONTINUE` is the launcher's own `execve` of the program,
//! whose arguments the supervisor chose and never reads.

use std::fmt;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

use syscall_bridge::{Arch, Fate};

use crate::target;

/// `SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP` (Linux 6.6): the woken guest thread runs on the CPU
/// the supervisor answered from, which halves a notification round trip.
const SYNC_WAKE_UP: u64 = 1;
/// Longest path the supervisor copies from the guest (`PATH_MAX`).
const PATH_MAX: usize = 4096;
const ENOSYS: i32 = libc::ENOSYS;

/// Why serving stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
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

/// Serves notifications until no task uses the filter any more (the sandbox is gone), then
/// returns the gaps the guest ran into. `launched` is the program's pid: its first `execve`
/// is let through.
pub fn serve(listener: BorrowedFd<'_>, launched: libc::pid_t) -> Result<Vec<StubEvent>, ServeError> {
    let mut supervisor = Supervisor {
        listener,
        launch_exec: u32::try_from(launched).ok(),
        stubs: Vec::new(),
    };
    supervisor.run()?;
    Ok(supervisor.stubs)
}

struct Supervisor<'fd> {
    listener: BorrowedFd<'fd>,
    /// The program's pid until its launch `execve` has been let through.
    launch_exec: Option<u32>,
    stubs: Vec<StubEvent>,
}

/// The answer to one notification.
enum Answer {
    Value(i64),
    Error(i32),
    Continue,
}

impl Supervisor<'_> {
    fn run(&mut self) -> Result<(), ServeError> {
        let fd = self.listener.as_raw_fd();
        loop {
            let mut poll = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            if unsafe { libc::poll(&mut poll, 1, -1) } < 0 {
                let error = io::Error::last_os_error();
                if error.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(ServeError::Listener {
                    step: "poll",
                    source: error,
                });
            }
            if poll.revents & libc::POLLIN == 0 {
                // POLLHUP: the last task using the filter is gone.
                return Ok(());
            }
            // SAFETY: an all-zero seccomp_notif is what RECV requires.
            let mut notification: libc::seccomp_notif = unsafe { std::mem::zeroed() };
            // SAFETY: RECV fills the seccomp_notif it points at.
            let received = unsafe { libc::ioctl(fd, libc::SECCOMP_IOCTL_NOTIF_RECV, &raw mut notification) };
            if received != 0 {
                match io::Error::last_os_error().raw_os_error() {
                    // The task died or was interrupted before we took the call.
                    Some(libc::ENOENT | libc::EINTR) => continue,
                    _ => {
                        return Err(ServeError::Listener {
                            step: "SECCOMP_IOCTL_NOTIF_RECV",
                            source: io::Error::last_os_error(),
                        });
                    }
                }
            }
            let answer = self.decide(&notification);
            self.send(notification.id, answer)?;
        }
    }

    fn decide(&mut self, notification: &libc::seccomp_notif) -> Answer {
        let data = &notification.data;
        let row = u64::try_from(data.nr)
            .ok()
            .and_then(|nr| syscall_bridge::lookup(Arch::X86_64, nr));
        // The filter notifies only translated rows; anything else is a filter bug, refused.
        let Some(row) = row.filter(|row| row.fate == Fate::Translate) else {
            return Answer::Error(ENOSYS);
        };
        match row.name {
            "execve" if self.launch_exec == Some(notification.pid) => {
                self.launch_exec = None;
                Answer::Continue
            }
            "uname" => self.uname(notification),
            _ => {
                let path = path_argument(row.name).and_then(|i| self.read_path(notification, data.args[i]));
                self.stubs.push(StubEvent {
                    pid: notification.pid,
                    syscall: row.name,
                    args: data.args,
                    path,
                });
                Answer::Error(ENOSYS)
            }
        }
    }

    /// `uname(buf)`: the target's identity ([`target`]) written into the guest's buffer.
    fn uname(&self, notification: &libc::seccomp_notif) -> Answer {
        let bytes = target::utsname();
        // The pid must still be the notifying thread when we write to it.
        if !self.valid(notification.id) {
            return Answer::Error(ENOSYS);
        }
        let local = libc::iovec {
            iov_base: bytes.as_ptr().cast_mut().cast(),
            iov_len: bytes.len(),
        };
        let remote = libc::iovec {
            iov_base: notification.data.args[0] as *mut libc::c_void,
            iov_len: bytes.len(),
        };
        // SAFETY: the local iovec covers `bytes`; the remote one is checked by the kernel.
        let written =
            unsafe { libc::process_vm_writev(notification.pid as libc::pid_t, &local, 1, &remote, 1, 0) };
        if usize::try_from(written) == Ok(bytes.len()) {
            Answer::Value(0)
        } else {
            Answer::Error(libc::EFAULT)
        }
    }

    /// Copies a NUL-terminated path from the guest, page by page so an unmapped page after the
    /// string does not fail the read; `None` when unreadable, unterminated within `PATH_MAX`,
    /// or when the notification went stale during the read.
    fn read_path(&self, notification: &libc::seccomp_notif, address: u64) -> Option<String> {
        const PAGE: u64 = 4096;
        let mut path = Vec::new();
        let mut cursor = address;
        let mut chunk = [0u8; PAGE as usize];
        while path.len() < PATH_MAX {
            let length = usize::try_from(PAGE - cursor % PAGE).ok()?;
            let local = libc::iovec {
                iov_base: chunk.as_mut_ptr().cast(),
                iov_len: length,
            };
            let remote = libc::iovec {
                iov_base: cursor as *mut libc::c_void,
                iov_len: length,
            };
            // SAFETY: the local iovec covers `chunk`; the remote one is checked by the kernel.
            let read =
                unsafe { libc::process_vm_readv(notification.pid as libc::pid_t, &local, 1, &remote, 1, 0) };
            let read = usize::try_from(read).ok().filter(|&n| n > 0)?;
            if let Some(end) = chunk[..read].iter().position(|&b| b == 0) {
                path.extend_from_slice(&chunk[..end]);
                // The pid may have been another process's by the time we read it.
                return self
                    .valid(notification.id)
                    .then(|| String::from_utf8_lossy(&path).into_owned());
            }
            path.extend_from_slice(&chunk[..read]);
            cursor += read as u64;
        }
        None
    }

    fn valid(&self, id: u64) -> bool {
        // SAFETY: ID_VALID reads the u64 it points at.
        unsafe {
            libc::ioctl(
                self.listener.as_raw_fd(),
                libc::SECCOMP_IOCTL_NOTIF_ID_VALID,
                &raw const id,
            ) == 0
        }
    }

    fn send(&self, id: u64, answer: Answer) -> Result<(), ServeError> {
        let (val, error, flags) = match answer {
            Answer::Value(value) => (value, 0, 0),
            Answer::Error(errno) => (0, -errno, 0),
            Answer::Continue => (0, 0, libc::SECCOMP_USER_NOTIF_FLAG_CONTINUE as u32),
        };
        let mut response = libc::seccomp_notif_resp {
            id,
            val,
            error,
            flags,
        };
        // SAFETY: SEND reads the seccomp_notif_resp it points at.
        let sent = unsafe {
            libc::ioctl(
                self.listener.as_raw_fd(),
                libc::SECCOMP_IOCTL_NOTIF_SEND,
                &raw mut response,
            )
        };
        if sent != 0 && io::Error::last_os_error().raw_os_error() != Some(libc::ENOENT) {
            return Err(ServeError::Listener {
                step: "SECCOMP_IOCTL_NOTIF_SEND",
                source: io::Error::last_os_error(),
            });
        }
        // ENOENT: the thread died or a signal interrupted the call; there is no one to answer.
        Ok(())
    }
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
