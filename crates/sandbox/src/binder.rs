//! The Binder shim in the bridge: `open` of a binder device gives the guest a device fd from
//! [`binder_shim::Shim`], and `ioctl`s of type `'b'` on such an fd are run by it. The guest side
//! of the engine ([`binder_shim::Guest`]) is the seccomp listener (answers, `ADDFD`, id
//! checks), `process_vm_readv`/`writev` and `/proc` (thread groups, mappings, `pidfd_getfd`).
//!
//! One engine serves the whole sandbox, shared by the bridge threads under a lock; a read with
//! no work parks its call, and the call that makes work for it answers it. A watcher thread
//! releases the binder processes of guest processes that exit, so that holders of their nodes
//! get their death notices and their callers `BR_DEAD_REPLY`.

use std::collections::HashMap;
use std::ffi::CString;
use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::sync::{Arc, Mutex, MutexGuard};

use binder_shim::{Device, Guest, Outcome, ProcId, Shim};

/// The engine and what the bridge needs around it.
#[derive(Debug)]
pub struct Binder {
    shim: Mutex<State>,
    /// The host's `/proc`.
    proc: OwnedFd,
    /// Where the watcher waits for binder processes' owners to exit.
    epoll: OwnedFd,
}

#[derive(Debug, Default)]
struct State {
    shim: Shim,
    /// The device (`st_dev`) of the memfds: an fd is a binder device only if both its device
    /// and inode match one the shim made.
    memfd_dev: Option<u64>,
    /// Pidfds of the processes that opened devices, by thread group, with their procs.
    watched: HashMap<u32, (OwnedFd, Vec<ProcId>)>,
}

/// What the bridge does with a binder ioctl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Answer now with this value (or negative errno).
    Now(i64),
    /// The engine answers later.
    Parked,
    /// Not a binder device: the host's driver.
    NotBinder,
}

impl Binder {
    pub fn new(proc: &OwnedFd) -> io::Result<Arc<Binder>> {
        // SAFETY: epoll_create1 with a valid flag; the fd is checked.
        let epoll = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if epoll < 0 {
            return Err(io::Error::last_os_error());
        }
        let binder = Arc::new(Binder {
            shim: Mutex::new(State::default()),
            proc: proc.try_clone()?,
            // SAFETY: `epoll` was just created and is owned by nobody else.
            epoll: unsafe { OwnedFd::from_raw_fd(epoll) },
        });
        Ok(binder)
    }

    /// Releases the binder processes of guest processes as they exit; runs until this
    /// process ends.
    pub fn watch(self: &Arc<Binder>, listener: BorrowedFd<'_>) -> ! {
        let mut events = [libc::epoll_event { events: 0, u64: 0 }; 16];
        loop {
            // SAFETY: epoll_wait fills at most `events.len()` entries of the array.
            let n = unsafe {
                libc::epoll_wait(
                    self.epoll.as_raw_fd(),
                    events.as_mut_ptr(),
                    events.len() as i32,
                    -1,
                )
            };
            for event in events.iter().take(usize::try_from(n).unwrap_or(0)) {
                let tgid = event.u64 as u32;
                let mut state = self.lock();
                if let Some((pidfd, procs)) = state.watched.remove(&tgid) {
                    // SAFETY: removes an fd we registered; it is closed right after.
                    unsafe {
                        libc::epoll_ctl(
                            self.epoll.as_raw_fd(),
                            libc::EPOLL_CTL_DEL,
                            pidfd.as_raw_fd(),
                            std::ptr::null_mut(),
                        )
                    };
                    let mut guest = BridgeGuest {
                        listener,
                        proc: &self.proc,
                        current: None,
                        answers: Vec::new(),
                    };
                    for proc in procs {
                        state.shim.release(&mut guest, proc);
                    }
                    drop(state);
                    send_answers(listener, guest.answers);
                }
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shim.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `open` of `path` by thread `tid` (call `call`): the device fd installed in the guest, or
    /// `None` when the path names no binder device.
    pub fn open(
        &self,
        listener: BorrowedFd<'_>,
        call: u64,
        tid: u32,
        path: &[u8],
        flags: u64,
    ) -> Option<Result<i64, i32>> {
        let device = Device::from_path(path)?;
        Some(self.open_device(listener, call, tid, device, flags))
    }

    fn open_device(
        &self,
        listener: BorrowedFd<'_>,
        call: u64,
        tid: u32,
        device: Device,
        flags: u64,
    ) -> Result<i64, i32> {
        let status = read_status(&self.proc, tid).map_err(|_| libc::ESRCH)?;
        let mut state = self.lock();
        let (proc, fd) = state
            .shim
            .open(device, tid, status.guest_pid, status.uid)
            .map_err(|e| e.raw_os_error().unwrap_or(libc::EIO))?;
        let stat = rustix::fs::fstat(&fd).map_err(|e| e.raw_os_error())?;
        state.memfd_dev = Some(stat.st_dev);
        // Watch the process, so that its exit releases what it holds.
        if !state.watched.contains_key(&status.tgid)
            && let Ok(pidfd) = pidfd_open(status.tgid)
        {
            let mut event = libc::epoll_event {
                events: libc::EPOLLIN as u32,
                u64: u64::from(status.tgid),
            };
            // SAFETY: registers an fd we own with our epoll instance.
            unsafe {
                libc::epoll_ctl(
                    self.epoll.as_raw_fd(),
                    libc::EPOLL_CTL_ADD,
                    pidfd.as_raw_fd(),
                    &mut event,
                )
            };
            state.watched.insert(status.tgid, (pidfd, Vec::new()));
        }
        if let Some((_, procs)) = state.watched.get_mut(&status.tgid) {
            procs.push(proc);
        }
        let cloexec = if flags as i32 & libc::O_CLOEXEC != 0 {
            libc::O_CLOEXEC as u32
        } else {
            0
        };
        crate::bridge::add_fd(listener, call, fd.as_fd(), cloexec).map(i64::from)
    }

    /// `ioctl(fd, cmd, arg)` by thread `tid` (call `call`).
    pub fn ioctl(
        &self,
        listener: BorrowedFd<'_>,
        call: u64,
        tid: u32,
        fd: u64,
        cmd: u64,
        arg: u64,
    ) -> (Answer, Vec<binder_shim::Event>) {
        let Ok(fd) = i32::try_from(fd) else {
            return (Answer::NotBinder, Vec::new());
        };
        let path = CString::new(format!("{tid}/fd/{fd}")).expect("no NUL");
        let Ok(stat) = rustix::fs::statat(&self.proc, path.as_c_str(), rustix::fs::AtFlags::empty()) else {
            return (Answer::NotBinder, Vec::new());
        };
        let mut state = self.lock();
        if state.memfd_dev != Some(stat.st_dev) {
            return (Answer::NotBinder, Vec::new());
        }
        let Some(proc) = state.shim.proc_by_inode(stat.st_ino) else {
            return (Answer::NotBinder, Vec::new());
        };
        let mut guest = BridgeGuest {
            listener,
            proc: &self.proc,
            current: Some(call),
            answers: Vec::new(),
        };
        let outcome = state.shim.ioctl(&mut guest, proc, tid, call, cmd as u32, arg);
        let events = state.shim.take_events();
        drop(state);
        send_answers(listener, guest.answers);
        let answer = match outcome {
            Outcome::Done(value) => Answer::Now(value),
            Outcome::Parked => Answer::Parked,
        };
        (answer, events)
    }
}

/// The engine's view of the guest, through the listener and `/proc`.
struct BridgeGuest<'a> {
    listener: BorrowedFd<'a>,
    proc: &'a OwnedFd,
    /// The call being served: its id is checked after each read of guest memory.
    current: Option<u64>,
    /// Answers to parked calls, sent once the engine's lock is released ([`send_answers`]):
    /// a woken guest thread runs at once (sync wake-up) and its next call should not find
    /// the lock taken.
    answers: Vec<(u64, i64)>,
}

/// Sends the answers a [`BridgeGuest`] collected.
fn send_answers(listener: BorrowedFd<'_>, answers: Vec<(u64, i64)>) {
    for (call, result) in answers {
        crate::bridge::answer_notification(listener, call, result);
    }
}

impl Guest for BridgeGuest<'_> {
    fn read(&mut self, tid: u32, addr: u64, buf: &mut [u8]) -> Result<(), i32> {
        if buf.is_empty() {
            return Ok(());
        }
        if !crate::bridge::vm_read(tid, addr, buf) {
            return Err(libc::EFAULT);
        }
        // The tid may have been reused by the time we read: the call must still be pending.
        if let Some(call) = self.current
            && !self.pending(call)
        {
            return Err(libc::ESRCH);
        }
        Ok(())
    }

    fn write(&mut self, tid: u32, addr: u64, data: &[u8]) -> Result<(), i32> {
        if data.is_empty() {
            return Ok(());
        }
        if crate::bridge::vm_write(tid, addr, data) {
            Ok(())
        } else {
            Err(libc::EFAULT)
        }
    }

    fn take_fd(&mut self, tid: u32, fd: i32) -> Result<OwnedFd, i32> {
        let tgid = read_status(self.proc, tid).map_err(|_| libc::ESRCH)?.tgid;
        let pidfd = pidfd_open(tgid).map_err(|e| e.raw_os_error().unwrap_or(libc::ESRCH))?;
        // SAFETY: pidfd_getfd with a pidfd we own; the result is checked.
        let taken = unsafe { libc::syscall(libc::SYS_pidfd_getfd, pidfd.as_raw_fd(), fd, 0) };
        if taken < 0 {
            return Err(io::Error::last_os_error().raw_os_error().unwrap_or(libc::EBADF));
        }
        // SAFETY: a new descriptor nobody else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(taken as RawFd) })
    }

    fn install_fd(&mut self, call: u64, file: BorrowedFd<'_>) -> Result<i32, i32> {
        // The kernel's binder installs received descriptors close-on-exec.
        crate::bridge::add_fd(self.listener, call, file, libc::O_CLOEXEC as u32)
    }

    fn answer(&mut self, call: u64, result: i64) {
        self.answers.push((call, result));
    }

    fn pending(&mut self, call: u64) -> bool {
        // SAFETY: ID_VALID reads the u64 it points at.
        unsafe {
            libc::ioctl(
                self.listener.as_raw_fd(),
                libc::SECCOMP_IOCTL_NOTIF_ID_VALID,
                &raw const call,
            ) == 0
        }
    }

    fn mapping(&mut self, tid: u32, inode: u64) -> Option<(u64, u64)> {
        let path = CString::new(format!("{tid}/maps")).ok()?;
        let fd = rustix::fs::openat(
            self.proc,
            path.as_c_str(),
            rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )
        .ok()?;
        let mut maps = String::new();
        std::fs::File::from(fd).read_to_string(&mut maps).ok()?;
        // "start-end perms offset dev inode path": the lowest mapping of the file at offset 0.
        maps.lines()
            .filter_map(|line| {
                let mut fields = line.split_whitespace();
                let range = fields.next()?;
                let _perms = fields.next()?;
                let offset = fields.next()?;
                let _dev = fields.next()?;
                let node: u64 = fields.next()?.parse().ok()?;
                let (start, end) = range.split_once('-')?;
                let (start, end) = (
                    u64::from_str_radix(start, 16).ok()?,
                    u64::from_str_radix(end, 16).ok()?,
                );
                (node == inode && u64::from_str_radix(offset, 16).ok()? == 0).then_some((start, end - start))
            })
            .min()
    }
}

fn pidfd_open(pid: u32) -> io::Result<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags; the result is checked.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a new descriptor nobody else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

/// What `/proc/<tid>/status` says of a thread, read from inside the sandbox's user namespace
/// (so the uid is the guest's): its thread group, its process's pid in the innermost pid
/// namespace, and its effective uid.
struct Status {
    tgid: u32,
    guest_pid: u32,
    uid: u32,
}

fn read_status(proc: &OwnedFd, tid: u32) -> io::Result<Status> {
    let path = CString::new(format!("{tid}/status")).expect("no NUL");
    let fd = rustix::fs::openat(
        proc,
        path.as_c_str(),
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )?;
    let mut text = String::new();
    std::fs::File::from(fd).read_to_string(&mut text)?;
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name))
            .map(str::split_whitespace)
    };
    let bad = || io::Error::from_raw_os_error(libc::EINVAL);
    let tgid: u32 = field("Tgid:")
        .and_then(|mut f| f.next()?.parse().ok())
        .ok_or_else(bad)?;
    // NSpid lists the thread's ids from the outermost namespace in; the process's guest pid
    // is its thread group leader's innermost one.
    let leader = if tgid == tid {
        None
    } else {
        Some(read_status(proc, tgid)?)
    };
    let guest_pid = match leader {
        Some(leader) => leader.guest_pid,
        None => field("NSpid:")
            .and_then(|f| f.last()?.parse().ok())
            .ok_or_else(bad)?,
    };
    let uid = field("Uid:")
        .and_then(|mut f| f.nth(1)?.parse().ok())
        .ok_or_else(bad)?;
    Ok(Status { tgid, guest_pid, uid })
}
