//! Opens of FIFOs that wait for the other end, as Linux's do.
//!
//! A blocking `open` of a FIFO returns only once the other end is open: a writer waits for a
//! reader, a reader for a writer. vfs must not block a bridge thread on one guest's FIFO (the
//! other calls would wait behind it), so it opens every file non-blocking; without more, a
//! writer with no reader yet failed with `ENXIO` and a reader saw end of file at once
//! (`mkfifo p; producer > p & consumer < p` broke). Such an open is handed to [`Waiter`],
//! a thread of its own that answers the call later, as the Binder shim answers a parked read:
//!
//! - a writer is opened again (non-blocking, through its `O_PATH` descriptor) each time a
//!   FIFO is opened through vfs ([`Waiter::hint`]), and every 50 ms in case the reader came
//!   from outside the sandbox; it is handed over once that succeeds;
//! - a reader keeps its non-blocking descriptor until the FIFO holds data or a writer has come
//!   and gone (`POLLIN`, `POLLHUP`), then gets it. Unlike Linux's, its `open` returns when the
//!   writer first writes, not when it opens; a writer that opens and waits for the reader
//!   before writing anything would wait for ever (neither side does so in the usual
//!   producer/consumer use).
//!
//! Each waiting call is published for the supervisor ([`crate::parked`]), so that a vfs that
//! dies fails it with `EIO`. A call whose thread is killed meanwhile is dropped at the next
//! check. Beyond [`WAITS`] waiting opens (or with every published slot taken), an open is
//! answered at once, as before (`ENXIO`, or the reader's descriptor).

use std::collections::HashMap;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::sync::Mutex;

/// How many FIFO opens may wait at once.
pub const WAITS: usize = 32;

/// The token of the waiter's wake-up eventfd in its epoll set.
const WAKE: u64 = u64::MAX;

/// An open that waits.
#[derive(Debug)]
pub enum Waiting {
    /// A reader's descriptor (open, non-blocking), handed over once a writer has written or
    /// come and gone.
    Reader(OwnedFd),
    /// A writer's FIFO (`O_PATH`), opened for writing once a reader is there.
    Writer(OwnedFd),
}

#[derive(Debug)]
struct Wait {
    id: u64,
    waiting: Waiting,
    /// `O_CLOEXEC` or 0, for the descriptor installed in the guest.
    cloexec: u32,
}

#[derive(Debug, Default)]
struct State {
    waits: HashMap<u64, Wait>,
    next: u64,
}

/// The waiting FIFO opens of one vfs.
#[derive(Debug)]
pub struct Waiter {
    listener: OwnedFd,
    /// The host's `/proc`, to open a writer again through its `O_PATH` descriptor.
    proc: OwnedFd,
    epoll: OwnedFd,
    wake: OwnedFd,
    /// Where the waiting calls are published for the supervisor (shared with the Binder shim).
    parked: std::sync::Arc<crate::parked::Parked>,
    state: Mutex<State>,
}

/// Clears `O_NONBLOCK`, which vfs opened the descriptor with and the guest did not ask for.
pub fn make_blocking(fd: &OwnedFd) {
    // SAFETY: fcntl on a descriptor the caller owns.
    unsafe {
        let flags = libc::fcntl(fd.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK);
    }
}

fn check(result: libc::c_int) -> std::io::Result<libc::c_int> {
    if result < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(result)
    }
}

impl Waiter {
    pub fn new(
        listener: BorrowedFd<'_>,
        proc: BorrowedFd<'_>,
        parked: std::sync::Arc<crate::parked::Parked>,
    ) -> std::io::Result<Waiter> {
        // SAFETY: plain syscalls; the fds are checked and owned below.
        let (epoll, wake) = unsafe {
            let epoll = OwnedFd::from_raw_fd(check(libc::epoll_create1(libc::EPOLL_CLOEXEC))?);
            let wake = OwnedFd::from_raw_fd(check(libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK))?);
            (epoll, wake)
        };
        let waiter = Waiter {
            listener: listener.try_clone_to_owned()?,
            proc: proc.try_clone_to_owned()?,
            epoll,
            wake,
            state: Mutex::new(State::default()),
            parked,
        };
        waiter.watch(waiter.wake.as_fd(), WAKE)?;
        Ok(waiter)
    }

    fn watch(&self, fd: BorrowedFd<'_>, token: u64) -> std::io::Result<()> {
        let mut event = libc::epoll_event {
            events: (libc::EPOLLIN | libc::EPOLLHUP) as u32,
            u64: token,
        };
        // SAFETY: registers a live fd with our epoll set.
        check(unsafe {
            libc::epoll_ctl(
                self.epoll.as_raw_fd(),
                libc::EPOLL_CTL_ADD,
                fd.as_raw_fd(),
                &mut event,
            )
        })
        .map(drop)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes call `id` over: it is answered once its FIFO's other end is there. Gives the open
    /// back when every slot is taken.
    pub fn park(&self, id: u64, waiting: Waiting, cloexec: u32) -> Result<(), Waiting> {
        let mut state = self.lock();
        if state.waits.len() >= WAITS || !self.parked.take(id) {
            return Err(waiting);
        }
        let token = state.next;
        state.next += 1;
        if let Waiting::Reader(fd) = &waiting
            && self.watch(fd.as_fd(), token).is_err()
        {
            self.parked.release(id);
            return Err(waiting);
        }
        let writer = matches!(waiting, Waiting::Writer(_));
        state.waits.insert(token, Wait { id, waiting, cloexec });
        if writer {
            // A reader may have come between the failed open and now.
            self.try_writers(&mut state);
        }
        Ok(())
    }

    /// A FIFO was opened through vfs: the writers waiting may find their reader now.
    pub fn hint(&self) {
        let one: u64 = 1;
        // SAFETY: writes 8 bytes to our eventfd; a full counter only means a wake-up is due.
        unsafe { libc::write(self.wake.as_raw_fd(), (&raw const one).cast(), 8) };
    }

    /// Answers the waiting calls as their FIFOs' other ends come; runs until the process ends.
    pub fn run(&self) -> ! {
        let mut events = [libc::epoll_event { events: 0, u64: 0 }; 16];
        loop {
            let writers = self
                .lock()
                .waits
                .values()
                .any(|w| matches!(w.waiting, Waiting::Writer(_)));
            // SAFETY: epoll_wait fills at most `events.len()` entries.
            let n = unsafe {
                libc::epoll_wait(
                    self.epoll.as_raw_fd(),
                    events.as_mut_ptr(),
                    events.len() as i32,
                    if writers { 50 } else { 1000 },
                )
            };
            let mut state = self.lock();
            for event in events.iter().take(usize::try_from(n).unwrap_or(0)) {
                let token = event.u64;
                if token == WAKE {
                    let mut count = 0u64;
                    // SAFETY: reads 8 bytes from our non-blocking eventfd.
                    unsafe { libc::read(self.wake.as_raw_fd(), (&raw mut count).cast(), 8) };
                    continue;
                }
                if let Some(wait) = state.waits.remove(&token) {
                    let Waiting::Reader(fd) = &wait.waiting else {
                        continue;
                    };
                    // SAFETY: removes a registered fd from our epoll set.
                    unsafe {
                        libc::epoll_ctl(
                            self.epoll.as_raw_fd(),
                            libc::EPOLL_CTL_DEL,
                            fd.as_raw_fd(),
                            std::ptr::null_mut(),
                        )
                    };
                    let fd = fd.try_clone();
                    self.finish(wait, fd);
                }
            }
            self.try_writers(&mut state);
            // Calls whose thread was killed meanwhile.
            let gone: Vec<u64> = state
                .waits
                .iter()
                .filter(|(_, wait)| !crate::bridge::id_valid(self.listener.as_fd(), wait.id))
                .map(|(&token, _)| token)
                .collect();
            for token in gone {
                if let Some(wait) = state.waits.remove(&token) {
                    self.parked.release(wait.id);
                }
            }
            drop(state);
            // Parked Binder reads too.
            self.parked.sweep(self.listener.as_fd());
        }
    }

    /// Opens each waiting writer again; hands over those that find a reader.
    fn try_writers(&self, state: &mut State) {
        let ready: Vec<(u64, std::io::Result<OwnedFd>)> = state
            .waits
            .iter()
            .filter_map(|(&token, wait)| match &wait.waiting {
                Waiting::Writer(fifo) => match self.reopen(fifo) {
                    Err(error) if error.raw_os_error() == Some(libc::ENXIO) => None,
                    outcome => Some((token, outcome)),
                },
                Waiting::Reader(_) => None,
            })
            .collect();
        for (token, opened) in ready {
            if let Some(wait) = state.waits.remove(&token) {
                self.finish(wait, opened);
            }
        }
    }

    /// The FIFO behind an `O_PATH` descriptor, opened for writing without waiting.
    fn reopen(&self, fifo: &OwnedFd) -> std::io::Result<OwnedFd> {
        use rustix::fs::OFlags;
        crate::vfs::reopen(self.proc.as_fd(), fifo.as_fd(), OFlags::WRONLY | OFlags::NONBLOCK)
    }

    /// Answers `wait` with the descriptor `opened` (made blocking, as the guest asked), or its
    /// error, and frees its slot.
    fn finish(&self, wait: Wait, opened: std::io::Result<OwnedFd>) {
        let answer = opened
            .map_err(|e| e.raw_os_error().unwrap_or(libc::EIO))
            .and_then(|fd| {
                make_blocking(&fd);
                crate::bridge::add_fd(self.listener.as_fd(), wait.id, fd.as_fd(), wait.cloexec)
            });
        let result = match answer {
            Ok(installed) => i64::from(installed),
            Err(errno) => -i64::from(errno),
        };
        crate::bridge::answer_notification(self.listener.as_fd(), wait.id, result);
        self.parked.release(wait.id);
    }
}
