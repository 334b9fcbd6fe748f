//! How a process started by the runtime finds its handles: by fd number.
//!
//! The convention: fd 3 is the process's channel to svcmgr ([`SVCMGR_FD`]); fds 4 and up are
//! free for further startup handles a launcher and its program agree on. The launcher puts
//! them there with [`Process::spawn`](crate::Process::spawn) (which clears `FD_CLOEXEC` on the
//! child's copies only), and the program takes each once with [`take_startup_handle`], which
//! sets `FD_CLOEXEC` again so the handle does not leak into the program's own children.

use std::os::fd::{BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::sync::Mutex;

use rustix::io::FdFlags;

use crate::{Channel, Error, Handle};

/// The fd number of the svcmgr channel in a process the runtime starts.
pub const SVCMGR_FD: RawFd = 3;

/// Takes ownership of the startup handle at `fd`. Fails if nothing is open there, or if it
/// was taken already: each startup fd is taken at most once per process.
pub fn take_startup_handle(fd: RawFd) -> Result<Handle, Error> {
    static TAKEN: Mutex<Vec<RawFd>> = Mutex::new(Vec::new());
    let mut taken = TAKEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if fd < 3 || taken.contains(&fd) {
        return Err(Error::NoStartupHandle { fd });
    }
    // SAFETY: `fcntl(F_GETFD)` only inspects the descriptor table; a closed number fails
    // with `EBADF`, which is the case refused here.
    let open = rustix::io::fcntl_getfd(unsafe { BorrowedFd::borrow_raw(fd) }).is_ok();
    if !open {
        return Err(Error::NoStartupHandle { fd });
    }
    taken.push(fd);
    // SAFETY: the descriptor is open, and by the startup convention nothing else in the
    // process owns it; `TAKEN` makes sure this is its only owner.
    let owned = unsafe { OwnedFd::from_raw_fd(fd) };
    rustix::io::fcntl_setfd(&owned, FdFlags::CLOEXEC).map_err(|e| Error::io("fcntl(F_SETFD)", e))?;
    Ok(Handle::from(owned))
}

/// The channel to svcmgr at [`SVCMGR_FD`].
pub fn svcmgr_channel() -> Result<Channel, Error> {
    Channel::try_from(take_startup_handle(SVCMGR_FD)?)
}
