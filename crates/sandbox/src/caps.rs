//! vfs's capabilities: none in effect, `CAP_SYS_PTRACE` held back for its own reads of guest
//! tasks.
//!
//! vfs runs in the guest's user namespace as the guest's user and drops the capabilities that
//! entering the namespace gave it, so that the kernel checks every file operation it makes for
//! the guest as it would check the guest's own. But vfs also reaches *into* guest tasks: it
//! copies their memory (`process_vm_readv`/`writev`), opens their working directory and fds
//! through `/proc/<tid>/`, reads their mappings and takes fds with `pidfd_getfd`. The kernel
//! allows those to a process of the same user only while the target is *dumpable*; a program
//! that calls `prctl(PR_SET_DUMPABLE, 0)` (OpenSSH's agent, gpg-agent, browsers, many Android
//! apps' anti-debugging code) would otherwise have every path call fail (`EFAULT`: its path
//! cannot be copied). So vfs keeps `CAP_SYS_PTRACE` in its permitted set only, and
//! [`with_ptrace`] raises it, on the calling thread alone (capabilities are per thread), just
//! for a vfs-internal access that was refused — never around an operation on a path the guest
//! chose. Being in the guest's user namespace, it reaches only tasks of that namespace.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

/// `CAP_SYS_PTRACE`.
const CAP_SYS_PTRACE: u32 = 19;

/// Whether this process keeps `CAP_SYS_PTRACE` permitted ([`drop_all_but_ptrace`] ran).
static HELD: AtomicBool = AtomicBool::new(false);

/// Sets the calling thread's capabilities: `CAP_SYS_PTRACE` permitted (if `keep`), effective
/// if `effective`; nothing else.
fn set(keep: bool, effective: bool) -> io::Result<()> {
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
        pid: 0,               // the calling thread
    };
    let bit = 1u32 << CAP_SYS_PTRACE;
    let mut data = [Data {
        effective: 0,
        permitted: 0,
        inheritable: 0,
    }; 2];
    data[0].permitted = if keep { bit } else { 0 };
    data[0].effective = if keep && effective { bit } else { 0 };
    // SAFETY: capset reads a v3 header and two data words, both live locals.
    if unsafe { libc::syscall(libc::SYS_capset, &raw const header, data.as_ptr()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Drops every capability but a permitted, not effective, `CAP_SYS_PTRACE`. Call it while the
/// process is single-threaded: threads started afterwards inherit the sets.
pub(crate) fn drop_all_but_ptrace() -> io::Result<()> {
    set(true, false)?;
    HELD.store(true, Ordering::SeqCst);
    Ok(())
}

/// Runs `access`; should the kernel refuse it for lack of ptrace access (`EPERM`, `EACCES`),
/// runs it once more with `CAP_SYS_PTRACE` in effect on this thread, then lowers it again.
/// `access` must be a vfs-internal access to a guest task (its memory, its `/proc/<tid>/`
/// entries, its fds), never an operation on a path the guest named.
pub(crate) fn with_ptrace<T>(mut access: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    match access() {
        Err(error)
            if HELD.load(Ordering::Relaxed)
                && matches!(error.raw_os_error(), Some(libc::EPERM | libc::EACCES)) =>
        {
            if set(true, true).is_err() {
                return Err(error);
            }
            let again = access();
            // Lowering what this thread itself raised cannot fail; should it, the thread must
            // not go on serving with the capability in effect.
            set(true, false).expect("lowering CAP_SYS_PTRACE");
            again
        }
        other => other,
    }
}

/// `CAP_SYS_PTRACE` in effect on this thread until dropped (see [`raised`]).
#[derive(Debug)]
pub(crate) struct Raised(());

impl Drop for Raised {
    fn drop(&mut self) {
        set(true, false).expect("lowering CAP_SYS_PTRACE");
    }
}

/// Puts `CAP_SYS_PTRACE` in effect on this thread while the result lives; `None` when this
/// process holds it in full anyway (a guest that is root in its namespace) or cannot raise it.
/// Only for an operation on the caller's own `/proc/<pid>/<entry>`, which the kernel lets
/// every task make on itself, dumpable or not.
pub(crate) fn raised() -> Option<Raised> {
    // Not `then_some`: its argument is built, and dropped (lowering), whatever the condition.
    if HELD.load(Ordering::Relaxed) && set(true, true).is_ok() {
        Some(Raised(()))
    } else {
        None
    }
}
