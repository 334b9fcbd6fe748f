//! The Binder shim in the bridge: `open` of a binder device gives the guest a device fd from
//! [`binder_shim::Shim`], and `ioctl`s of type `'b'` on such an fd are run by it. The guest side
//! of the engine ([`binder_shim::Guest`]) is the seccomp listener (answers, `ADDFD`, id
//! checks), `process_vm_readv`/`writev` and `/proc` (thread groups, mappings, `pidfd_getfd`).
//!
//! The engine lives in one of two places:
//!
//! - **In the sandbox** (the default): one engine serves the sandbox's processes, shared by the
//!   bridge threads of `hc-vfs` under a lock.
//! - **In a Binder world** ([`World`], `hyper-compat binder-world --socket PATH`), a process of
//!   its own that several sandboxes join (`hyper-compat run --binder-world PATH`): each
//!   sandbox's bridge attaches with its seccomp listener and forwards the binder `open`s and
//!   `ioctl`s it receives (`binder` protocol, `microkernel::protocols::binder`) without
//!   waiting; the world answers every notification itself. Processes of different sandboxes
//!   then reach each other's nodes, and a context manager in one sandbox serves them all.
//!
//! Either way a read with no work parks its call, and the call that makes work for it answers
//! it; a watcher thread releases the binder processes of guest processes that exit, so that
//! holders of their nodes get their death notices and their callers `BR_DEAD_REPLY`.

use std::collections::HashMap;
use std::ffi::CString;
use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use binder_shim::{Device, Guest, Outcome, ProcId, Shim};
use microkernel::protocols::{binder as protocol, logd};
use microkernel::{Channel, ChannelListener, Handle, rpc};

/// What the bridge does with a binder call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Answer now with this value (or negative errno).
    Now(i64),
    /// Somebody else answers: the engine, when a parked read gets work, or the Binder world.
    Parked,
    /// Not a binder device: the host's driver.
    NotBinder,
}

/// Where the answer to an engine call goes: the listener that notified it and the
/// notification's id there.
trait Route: Send + Sync {
    fn resolve(&self, call: u64) -> Option<(Arc<OwnedFd>, u64)>;
    /// The call is answered, or its thread is gone: its id is not used again.
    fn forget(&self, call: u64);
    /// The engine parked the call: it is answered later.
    fn parked(&self, _call: u64) {}
}

/// One sandbox: engine call ids are the listener's notification ids. Parked calls are
/// published for the supervisor ([`crate::parked`]): should vfs, and the engine with it, die,
/// they fail with `EIO` rather than wait for ever.
#[derive(Debug)]
struct Single(Arc<OwnedFd>, Arc<crate::parked::Parked>);

impl Route for Single {
    fn resolve(&self, call: u64) -> Option<(Arc<OwnedFd>, u64)> {
        Some((Arc::clone(&self.0), call))
    }

    fn forget(&self, call: u64) {
        self.1.release(call);
    }

    fn parked(&self, call: u64) {
        self.1.take(call);
    }
}

/// Several sandboxes: each forwarded notification gets a token, the engine's call id, which
/// names its listener and its id there (notification ids are only unique per listener).
#[derive(Debug, Default)]
struct Tokens {
    inner: Mutex<TokenMap>,
}

#[derive(Debug, Default)]
struct TokenMap {
    next: u64,
    calls: HashMap<u64, (Arc<OwnedFd>, u64)>,
}

impl Tokens {
    fn register(&self, listener: &Arc<OwnedFd>, id: u64) -> u64 {
        let mut map = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        map.next += 1;
        let token = map.next;
        map.calls.insert(token, (Arc::clone(listener), id));
        token
    }

    /// Drops the tokens of `listener` whose threads are gone (a sandbox left the world).
    fn prune(&self, listener: &Arc<OwnedFd>) {
        let mut map = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        map.calls
            .retain(|_, (fd, id)| !Arc::ptr_eq(fd, listener) || crate::bridge::id_valid(fd.as_fd(), *id));
    }
}

impl Route for Tokens {
    fn resolve(&self, call: u64) -> Option<(Arc<OwnedFd>, u64)> {
        let map = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        map.calls.get(&call).map(|(fd, id)| (Arc::clone(fd), *id))
    }

    fn forget(&self, call: u64) {
        let mut map = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        map.calls.remove(&call);
    }
}

/// The engine and what surrounds it wherever it runs: its lock, the host's `/proc`, and the
/// watcher's epoll set.
#[derive(Debug)]
struct Engine {
    state: Mutex<State>,
    /// The host's `/proc`.
    proc: OwnedFd,
    /// Where the watcher waits for binder processes' owners to exit, and for their device
    /// files to be closed.
    epoll: OwnedFd,
    /// Told when a device file's last descriptor or mapping in the guest goes
    /// (`IN_CLOSE_WRITE`): the kernel's driver releases a binder process then, not only when
    /// its owner exits (a program that closes its device, or execs with it close-on-exec).
    inotify: OwnedFd,
}

/// The watcher's epoll token for [`Engine::inotify`] (thread groups are the other tokens).
const CLOSES: u64 = u64::MAX;

#[derive(Debug, Default)]
struct State {
    shim: Shim,
    /// Pidfds of the processes that opened devices, by thread group, with their procs.
    watched: HashMap<u32, (OwnedFd, Vec<ProcId>)>,
    /// The device files watched for their close, by inotify watch: the opener's thread
    /// group, its binder process and the file's inode.
    closes: HashMap<i32, (u32, ProcId, u64)>,
}

impl Engine {
    fn new(proc: &OwnedFd) -> io::Result<Engine> {
        // SAFETY: epoll_create1 with a valid flag; the fd is checked.
        let epoll = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if epoll < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `epoll` was just created and is owned by nobody else.
        let epoll = unsafe { OwnedFd::from_raw_fd(epoll) };
        // SAFETY: inotify_init1 with valid flags; the fd is checked.
        let inotify = unsafe { libc::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK) };
        if inotify < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `inotify` was just created and is owned by nobody else.
        let inotify = unsafe { OwnedFd::from_raw_fd(inotify) };
        let mut event = libc::epoll_event {
            events: libc::EPOLLIN as u32,
            u64: CLOSES,
        };
        // SAFETY: registers an fd we own with our epoll instance.
        if unsafe {
            libc::epoll_ctl(
                epoll.as_raw_fd(),
                libc::EPOLL_CTL_ADD,
                inotify.as_raw_fd(),
                &mut event,
            )
        } != 0
        {
            return Err(io::Error::last_os_error());
        }
        Ok(Engine {
            state: Mutex::new(State::default()),
            proc: proc.try_clone()?,
            epoll,
            inotify,
        })
    }

    /// Watches the device file `file` (a description of the guest's own) for its close.
    fn watch_close(&self, file: &OwnedFd) -> io::Result<i32> {
        // inotify takes a path only, and this process's `/proc/self` may not be reachable
        // (vfs lives in the guest's mount namespace): the file's link is named from the host's
        // `/proc`, made the working directory for the call.
        let _cwd = crate::vfs::WATCH_CWD
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let back = rustix::fs::open(
            ".",
            rustix::fs::OFlags::PATH | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )?;
        let link = CString::new(format!("{}/fd/{}", std::process::id(), file.as_raw_fd())).expect("no NUL");
        // SAFETY: fchdir on live fds; inotify_add_watch on our inotify fd and a NUL-terminated
        // path.
        let wd = unsafe {
            if libc::fchdir(self.proc.as_raw_fd()) != 0 {
                return Err(io::Error::last_os_error());
            }
            let wd = libc::inotify_add_watch(
                self.inotify.as_raw_fd(),
                link.as_ptr(),
                libc::IN_CLOSE_WRITE | libc::IN_CLOSE_NOWRITE,
            );
            let error = io::Error::last_os_error();
            libc::fchdir(back.as_raw_fd());
            if wd < 0 {
                return Err(error);
            }
            wd
        };
        Ok(wd)
    }

    /// The device files closed since the last call whose opener holds them no more.
    fn closed(&self, state: &mut State) -> Vec<(u32, ProcId)> {
        let mut buffer = [0u8; 4096];
        let mut closed = Vec::new();
        loop {
            // SAFETY: reads inotify events into our buffer.
            let n = unsafe { libc::read(self.inotify.as_raw_fd(), buffer.as_mut_ptr().cast(), buffer.len()) };
            let Ok(n) = usize::try_from(n) else { break };
            if n == 0 {
                break;
            }
            let mut at = 0;
            let header = size_of::<libc::inotify_event>();
            while at + header <= n {
                let wd = i32::from_ne_bytes(buffer[at..at + 4].try_into().expect("4 bytes"));
                let length =
                    u32::from_ne_bytes(buffer[at + 12..at + 16].try_into().expect("4 bytes")) as usize;
                at += header + length;
                if let Some(&(tgid, proc, inode)) = state.closes.get(&wd)
                    && !self.holds(tgid, inode)
                {
                    state.closes.remove(&wd);
                    // SAFETY: removes a watch of our inotify fd.
                    unsafe { libc::inotify_rm_watch(self.inotify.as_raw_fd(), wd) };
                    closed.push((tgid, proc));
                }
            }
        }
        closed
    }

    /// Whether process `tgid` still has the device file `inode` open or mapped (another
    /// description of it, opened through `/proc/<pid>/fd`, keeps it in use).
    fn holds(&self, tgid: u32, inode: u64) -> bool {
        let mapped = proc_text(self.proc.as_fd(), &format!("{tgid}/maps")).is_ok_and(|maps| {
            maps.lines()
                .any(|line| line.split_whitespace().nth(4).and_then(|n| n.parse::<u64>().ok()) == Some(inode))
        });
        if mapped {
            return true;
        }
        let dir = format!("{tgid}/fd");
        let Ok(fds) = crate::caps::with_ptrace(|| {
            rustix::fs::openat(
                &self.proc,
                dir.as_str(),
                rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
                rustix::fs::Mode::empty(),
            )
            .map_err(io::Error::from)
        }) else {
            return false; // the process is gone
        };
        let Ok(entries) = rustix::fs::Dir::read_from(&fds) else {
            return false;
        };
        entries.filter_map(Result::ok).any(|entry| {
            let name = format!("{dir}/{}", entry.file_name().to_string_lossy());
            crate::caps::with_ptrace(|| {
                rustix::fs::statat(&self.proc, name.as_str(), rustix::fs::AtFlags::empty())
                    .map_err(io::Error::from)
            })
            .is_ok_and(|stat| stat.st_ino == inode)
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn guest<'a>(&'a self, route: &'a dyn Route, current: Option<u64>) -> BridgeGuest<'a> {
        BridgeGuest {
            route,
            proc: &self.proc,
            current,
            answers: Vec::new(),
        }
    }

    /// Releases the binder processes of guest processes as they exit; runs until this
    /// process ends.
    fn watch(&self, route: &dyn Route) -> ! {
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
                if event.u64 == CLOSES {
                    let mut state = self.lock();
                    let closed = self.closed(&mut state);
                    let mut guest = self.guest(route, None);
                    for (tgid, proc) in closed {
                        if let Some((_, procs)) = state.watched.get_mut(&tgid) {
                            procs.retain(|p| *p != proc);
                        }
                        state.shim.release(&mut guest, proc);
                    }
                    drop(state);
                    send_answers(route, guest.answers);
                    continue;
                }
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
                    let mut guest = self.guest(route, None);
                    state.closes.retain(|_, (owner, _, _)| *owner != tgid);
                    for proc in procs {
                        state.shim.release(&mut guest, proc);
                    }
                    drop(state);
                    send_answers(route, guest.answers);
                }
            }
        }
    }

    /// A new binder process on `device` for thread `tid` of process `status.tgid` (call
    /// `call`): its device fd installed in the guest, the fd's number there.
    fn open(
        &self,
        route: &dyn Route,
        call: u64,
        tid: u32,
        status: &Status,
        device: Device,
        cloexec: bool,
    ) -> Result<i64, i32> {
        let mut state = self.lock();
        let (proc, fd) = state
            .shim
            .open(device, tid, status.guest_pid, status.uid)
            .map_err(|e| e.raw_os_error().unwrap_or(libc::EIO))?;
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
        // The guest gets a file description of its own (the engine keeps its own open): once
        // the guest's last descriptor and mapping of it are gone, inotify says so.
        let own = crate::vfs::reopen(self.proc.as_fd(), fd.as_fd(), rustix::fs::OFlags::RDWR);
        let fd = match own {
            Ok(own) => {
                if let (Ok(wd), Some(inode)) = (self.watch_close(&own), state.shim.inode(proc)) {
                    state.closes.insert(wd, (status.tgid, proc, inode));
                }
                own
            }
            Err(_) => fd,
        };
        drop(state);
        let flags = if cloexec { libc::O_CLOEXEC as u32 } else { 0 };
        let (listener, id) = route.resolve(call).ok_or(libc::ESRCH)?;
        crate::bridge::add_fd(listener.as_fd(), id, fd.as_fd(), flags).map(i64::from)
    }

    /// `ioctl(_, cmd, arg)` by thread `tid` (call `call`) on the device with inode `inode`;
    /// `None` when no device has that inode.
    fn ioctl(
        &self,
        route: &dyn Route,
        call: u64,
        tid: u32,
        inode: u64,
        cmd: u32,
        arg: u64,
    ) -> Option<(Outcome, Vec<binder_shim::Event>)> {
        let mut state = self.lock();
        let proc = state.shim.proc_by_inode(inode)?;
        let mut guest = self.guest(route, Some(call));
        let outcome = state.shim.ioctl(&mut guest, proc, tid, call, cmd, arg);
        if matches!(outcome, Outcome::Parked) {
            // Under the lock: nobody can answer it before it is published.
            route.parked(call);
        }
        let events = state.shim.take_events();
        drop(state);
        send_answers(route, guest.answers);
        Some((outcome, events))
    }
}

/// The Binder shim as the bridge of one sandbox sees it: an engine of its own, or a link to
/// the Binder world that the sandbox joined.
#[derive(Debug)]
pub struct Binder {
    where_: Where,
    /// The host's `/proc`, from inside the sandbox's user namespace (so `status` gives the
    /// guest's uids).
    proc: OwnedFd,
    /// The device (`st_dev`) of memfds: an fd is a binder device only if both its device and
    /// inode match one the engine made.
    memfd_dev: u64,
}

#[derive(Debug)]
enum Where {
    Here { engine: Box<Engine>, route: Single },
    World { channel: Channel },
}

impl Binder {
    /// An engine of the sandbox's own, answering through `listener`.
    pub fn new(
        proc: &OwnedFd,
        listener: BorrowedFd<'_>,
        parked: Arc<crate::parked::Parked>,
    ) -> io::Result<Arc<Binder>> {
        Ok(Arc::new(Binder {
            where_: Where::Here {
                engine: Box::new(Engine::new(proc)?),
                route: Single(Arc::new(listener.try_clone_to_owned()?), parked),
            },
            proc: proc.try_clone()?,
            memfd_dev: memfd_dev()?,
        }))
    }

    /// The Binder world on `channel` (connected to `hyper-compat binder-world`), attached with
    /// `listener`; the world's telemetry events are written to `telemetry`.
    pub fn joined(
        proc: &OwnedFd,
        listener: BorrowedFd<'_>,
        channel: Channel,
        trace: bool,
    ) -> io::Result<Arc<Binder>> {
        let listener = Handle::from(listener.try_clone_to_owned()?);
        rpc::send::<protocol::Attach>(&channel, &protocol::AttachRequest { trace }, vec![listener])
            .map_err(|e| io::Error::other(e.to_string()))?;
        Ok(Arc::new(Binder {
            where_: Where::World { channel },
            proc: proc.try_clone()?,
            memfd_dev: memfd_dev()?,
        }))
    }

    /// Runs what this sandbox's side of the shim needs besides the bridge threads: the
    /// engine's watcher, or the relay of the world's telemetry to `telemetry`. Returns only
    /// when the world is gone.
    pub fn background(&self, telemetry: &Channel) {
        match &self.where_ {
            Where::Here { engine, route } => engine.watch(route),
            Where::World { channel } => {
                while let Ok(message) = channel.read() {
                    if message.header.ordinal == <logd::Telemetry as microkernel::protocol::Method>::ORDINAL
                        && let Ok(event) =
                            microkernel::wire::decode_body::<logd::TelemetryRequest>(&message.body)
                    {
                        let _ = rpc::send_waiting::<logd::Telemetry>(telemetry, &event, Vec::new());
                    }
                }
            }
        }
    }

    /// `open` of `path` by thread `tid` (call `call`): `None` when the path names no binder
    /// device.
    pub fn open(&self, call: u64, tid: u32, path: &[u8], flags: u64) -> Option<Answer> {
        let device = Device::from_path(path)?;
        let cloexec = flags as i32 & libc::O_CLOEXEC != 0;
        let Ok(status) = read_status(&self.proc, tid) else {
            return Some(Answer::Now(-i64::from(libc::ESRCH)));
        };
        Some(match &self.where_ {
            Where::Here { engine, route } => match engine.open(route, call, tid, &status, device, cloexec) {
                Ok(fd) => Answer::Now(fd),
                Err(errno) => Answer::Now(-i64::from(errno)),
            },
            Where::World { channel } => {
                let request = protocol::OpenRequest {
                    call,
                    tid,
                    tgid: status.tgid,
                    guest_pid: status.guest_pid,
                    uid: status.uid,
                    device: device_index(device),
                    cloexec,
                };
                forward::<protocol::Open>(channel, &request)
            }
        })
    }

    /// `ioctl(fd, cmd, arg)` by thread `tid` (call `call`), with the events the engine
    /// reported (none when the world runs it: it sends its own).
    pub fn ioctl(
        &self,
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
        let stat = crate::caps::with_ptrace(|| {
            rustix::fs::statat(&self.proc, path.as_c_str(), rustix::fs::AtFlags::empty())
                .map_err(io::Error::from)
        });
        let Ok(stat) = stat else {
            return (Answer::NotBinder, Vec::new());
        };
        if stat.st_dev != self.memfd_dev {
            return (Answer::NotBinder, Vec::new());
        }
        match &self.where_ {
            Where::Here { engine, route } => {
                match engine.ioctl(route, call, tid, stat.st_ino, cmd as u32, arg) {
                    None => (Answer::NotBinder, Vec::new()),
                    Some((Outcome::Done(value), events)) => (Answer::Now(value), events),
                    Some((Outcome::Parked, events)) => (Answer::Parked, events),
                }
            }
            Where::World { channel } => {
                let request = protocol::IoctlRequest {
                    call,
                    tid,
                    inode: stat.st_ino,
                    cmd: cmd as u32,
                    arg,
                };
                (forward::<protocol::Ioctl>(channel, &request), Vec::new())
            }
        }
    }
}

/// Sends a call to the world, which answers it; `EIO` when the world is gone.
fn forward<M: microkernel::protocol::Method>(channel: &Channel, request: &M::Request) -> Answer {
    loop {
        match rpc::send::<M>(channel, request, Vec::new()) {
            Ok(()) => return Answer::Parked,
            // The world is behind: wait until its queue has room (a guest thread has at most
            // one call in flight, so the queue drains).
            Err(microkernel::Error::QueueFull) => {
                let mut poll = [rustix::event::PollFd::new(channel, rustix::event::PollFlags::OUT)];
                let _ = rustix::event::poll(&mut poll, None);
            }
            Err(_) => return Answer::Now(-i64::from(libc::EIO)),
        }
    }
}

fn device_index(device: Device) -> u8 {
    match device {
        Device::Binder => 0,
        Device::HwBinder => 1,
        Device::VndBinder => 2,
    }
}

fn device_of_index(index: u8) -> Option<Device> {
    match index {
        0 => Some(Device::Binder),
        1 => Some(Device::HwBinder),
        2 => Some(Device::VndBinder),
        _ => None,
    }
}

/// The `st_dev` of memfds (all live on the kernel's internal shmem mount).
fn memfd_dev() -> io::Result<u64> {
    let probe = rustix::fs::memfd_create("hc-binder-probe", rustix::fs::MemfdFlags::CLOEXEC)?;
    Ok(rustix::fs::fstat(&probe)?.st_dev)
}

/// Whether a binder event is reported: failures and unknown ioctls always, every transaction
/// when tracing.
pub fn reported(event: &binder_shim::Event, trace: bool) -> bool {
    trace || matches!(event.kind, "failed_reply" | "dead_reply" | "unknown_ioctl")
}

/// A binder event as telemetry, for the call of thread `tid`.
pub fn telemetry(event: &binder_shim::Event, tid: u32) -> logd::TelemetryRequest {
    logd::TelemetryRequest {
        kind: "binder".into(),
        name: event.kind.into(),
        pid: tid,
        tid,
        result: 0,
        latency_ns: 0,
        attributes: vec![
            ("code".into(), format!("{:#x}", event.code)),
            ("size".into(), event.size.to_string()),
        ],
    }
}

/// A Binder world shared by sandboxes (`hyper-compat binder-world`): one engine, the
/// listeners of every attached sandbox, and a token per forwarded call.
#[derive(Debug)]
pub struct World {
    engine: Engine,
    tokens: Tokens,
}

/// Why a Binder world could not start.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    #[error("{path}: {source}")]
    Bind {
        path: std::path::PathBuf,
        #[source]
        source: microkernel::Error,
    },
    #[error("opening /proc: {0}")]
    Proc(#[source] io::Error),
}

impl World {
    /// Listens at `path` and serves every sandbox that connects, calling `ready` once the
    /// socket is bound; returns only on error.
    pub fn serve(path: &Path, ready: impl FnOnce()) -> Result<(), WorldError> {
        let proc = std::fs::File::open("/proc")
            .map(OwnedFd::from)
            .map_err(WorldError::Proc)?;
        let world = Arc::new(World {
            engine: Engine::new(&proc).map_err(WorldError::Proc)?,
            tokens: Tokens::default(),
        });
        let listener = ChannelListener::bind(path).map_err(|source| WorldError::Bind {
            path: path.to_path_buf(),
            source,
        })?;
        let watcher = Arc::clone(&world);
        std::thread::spawn(move || watcher.engine.watch(&watcher.tokens));
        ready();
        loop {
            let channel = listener.accept().map_err(|source| WorldError::Bind {
                path: path.to_path_buf(),
                source,
            })?;
            let world = Arc::clone(&world);
            std::thread::spawn(move || world.sandbox(&channel));
        }
    }

    /// Serves one attached sandbox until its bridge goes away.
    fn sandbox(&self, channel: &Channel) {
        let Ok(attach) = channel.read() else { return };
        let Ok(request) = microkernel::wire::decode_body::<protocol::AttachRequest>(&attach.body) else {
            return;
        };
        let (true, Some(listener)) = (
            attach.header.ordinal == <protocol::Attach as microkernel::protocol::Method>::ORDINAL,
            attach.handles.into_iter().next(),
        ) else {
            return;
        };
        let listener = Arc::new(listener.into_fd());
        let trace = request.trace;
        while let Ok(message) = channel.read() {
            let ordinal = message.header.ordinal;
            if ordinal == <protocol::Open as microkernel::protocol::Method>::ORDINAL {
                let Ok(open) = microkernel::wire::decode_body::<protocol::OpenRequest>(&message.body) else {
                    continue;
                };
                let token = self.tokens.register(&listener, open.call);
                // The bridge read the caller's ids from /proc already.
                let status = Status {
                    tgid: open.tgid,
                    guest_pid: open.guest_pid,
                    uid: open.uid,
                };
                let result = match device_of_index(open.device) {
                    Some(device) => self
                        .engine
                        .open(&self.tokens, token, open.tid, &status, device, open.cloexec)
                        .unwrap_or_else(|errno| -i64::from(errno)),
                    None => -i64::from(libc::ENODEV),
                };
                send_answers(&self.tokens, vec![(token, result)]);
            } else if ordinal == <protocol::Ioctl as microkernel::protocol::Method>::ORDINAL {
                let Ok(ioctl) = microkernel::wire::decode_body::<protocol::IoctlRequest>(&message.body)
                else {
                    continue;
                };
                let token = self.tokens.register(&listener, ioctl.call);
                match self
                    .engine
                    .ioctl(&self.tokens, token, ioctl.tid, ioctl.inode, ioctl.cmd, ioctl.arg)
                {
                    None => {
                        // A memfd of the guest's own: the host's kernel answers it.
                        self.tokens.forget(token);
                        crate::bridge::continue_notification(listener.as_fd(), ioctl.call);
                    }
                    Some((outcome, events)) => {
                        if let Outcome::Done(value) = outcome {
                            send_answers(&self.tokens, vec![(token, value)]);
                        }
                        for event in events.iter().filter(|event| reported(event, trace)) {
                            let _ = rpc::send_waiting::<logd::Telemetry>(
                                channel,
                                &telemetry(event, ioctl.tid),
                                Vec::new(),
                            );
                        }
                    }
                }
            }
        }
        self.tokens.prune(&listener);
    }
}

/// The engine's view of the guest, through the listeners and `/proc`.
struct BridgeGuest<'a> {
    route: &'a dyn Route,
    proc: &'a OwnedFd,
    /// The call being served: its id is checked after each read of guest memory.
    current: Option<u64>,
    /// Answers to parked calls, sent once the engine's lock is released ([`send_answers`]):
    /// a woken guest thread runs at once (sync wake-up) and its next call should not find
    /// the lock taken.
    answers: Vec<(u64, i64)>,
}

/// Sends the answers a [`BridgeGuest`] collected.
fn send_answers(route: &dyn Route, answers: Vec<(u64, i64)>) {
    for (call, result) in answers {
        if let Some((listener, id)) = route.resolve(call) {
            crate::bridge::answer_notification(listener.as_fd(), id, result);
        }
        route.forget(call);
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

    fn write_two(&mut self, tid: u32, first: (u64, &[u8]), second: (u64, &[u8])) -> Result<(), i32> {
        if crate::bridge::vm_write_pieces(tid, [first, second]) {
            Ok(())
        } else {
            Err(libc::EFAULT)
        }
    }

    fn take_fd(&mut self, tid: u32, fd: i32) -> Result<OwnedFd, i32> {
        let tgid = read_status(self.proc, tid).map_err(|_| libc::ESRCH)?.tgid;
        let pidfd = pidfd_open(tgid).map_err(|e| e.raw_os_error().unwrap_or(libc::ESRCH))?;
        let taken = crate::caps::with_ptrace(|| {
            // SAFETY: pidfd_getfd with a pidfd we own; the result is checked.
            match unsafe { libc::syscall(libc::SYS_pidfd_getfd, pidfd.as_raw_fd(), fd, 0) } {
                taken if taken >= 0 => Ok(taken),
                _ => Err(io::Error::last_os_error()),
            }
        })
        .map_err(|error| error.raw_os_error().unwrap_or(libc::EBADF))?;
        // SAFETY: a new descriptor nobody else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(taken as RawFd) })
    }

    fn install_fd(&mut self, call: u64, file: BorrowedFd<'_>) -> Result<i32, i32> {
        let (listener, id) = self.route.resolve(call).ok_or(libc::ESRCH)?;
        // The kernel's binder installs received descriptors close-on-exec.
        crate::bridge::add_fd(listener.as_fd(), id, file, libc::O_CLOEXEC as u32)
    }

    fn answer(&mut self, call: u64, result: i64) {
        self.answers.push((call, result));
    }

    fn pending(&mut self, call: u64) -> bool {
        let valid = self
            .route
            .resolve(call)
            .is_some_and(|(listener, id)| crate::bridge::id_valid(listener.as_fd(), id));
        if !valid {
            // The engine drops a call whose thread is gone; its token goes with it.
            self.route.forget(call);
        }
        valid
    }

    fn mapping(&mut self, tid: u32, inode: u64) -> Option<(u64, u64)> {
        let maps = proc_text(self.proc.as_fd(), &format!("{tid}/maps")).ok()?;
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

/// A guest task's file under the host's `/proc` (`<tid>/maps`), read with ptrace access
/// should the task not be dumpable.
fn proc_text(proc: BorrowedFd<'_>, name: &str) -> io::Result<String> {
    crate::caps::with_ptrace(|| {
        let fd = rustix::fs::openat(
            proc,
            name,
            rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )?;
        io::read_to_string(std::fs::File::from(fd))
    })
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
    let field = |key: &str| crate::procmgr::field(&text, key);
    let bad = || io::Error::from_raw_os_error(libc::EINVAL);
    let tgid = field("Tgid").next().ok_or_else(bad)?;
    // NSpid lists the thread's ids from the outermost namespace in; the process's guest pid
    // is its thread group leader's innermost one.
    let leader = if tgid == tid {
        None
    } else {
        Some(read_status(proc, tgid)?)
    };
    let guest_pid = match leader {
        Some(leader) => leader.guest_pid,
        None => field("NSpid").last().ok_or_else(bad)?,
    };
    let uid = field("Uid").nth(1).ok_or_else(bad)?;
    Ok(Status { tgid, guest_pid, uid })
}
