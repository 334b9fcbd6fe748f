//! The driver: binder processes, threads, nodes, references and transactions, as the Linux
//! driver (`drivers/android/binder.c`) keeps them, driven by the ioctls a guest makes on an
//! emulated device fd. Everything the kernel does in the caller's context — reading its
//! commands, copying its buffers, installing descriptors, writing returns — goes through
//! [`Guest`], so the engine runs the same under the seccomp bridge and in unit tests.
//!
//! A read that finds no work does not block a server thread: the call is *parked* and
//! answered later by whichever call produces work for it ([`Outcome::Parked`]).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use crate::alloc::{AllocError, Allocator, align8};
use crate::uapi::*;

/// The most a process may map of a binder device (the kernel's `SZ_4M`).
pub const MAP_LIMIT: usize = 4 << 20;
/// The security context a transaction's receiver sees when its node asks for one.
pub const SECURITY_CONTEXT: &str = "u:r:untrusted_app:s0";

const EFAULT: i32 = libc::EFAULT;
const EINVAL: i32 = libc::EINVAL;
const EBUSY: i32 = libc::EBUSY;
const EPERM: i32 = libc::EPERM;

/// What the engine needs of the guest, in the calling context.
pub trait Guest {
    /// Reads `buf.len()` bytes at `addr` in the address space of thread `tid`.
    fn read(&mut self, tid: u32, addr: u64, buf: &mut [u8]) -> Result<(), i32>;
    /// Writes `data` at `addr` in the address space of thread `tid`.
    fn write(&mut self, tid: u32, addr: u64, data: &[u8]) -> Result<(), i32>;
    /// Writes two pieces, `first` then `second` (address and bytes each), in the address space
    /// of thread `tid`: what a read returns and the `binder_write_read` that counts it. One
    /// copy where the guest can do it in one.
    fn write_two(&mut self, tid: u32, first: (u64, &[u8]), second: (u64, &[u8])) -> Result<(), i32> {
        self.write(tid, first.0, first.1)?;
        self.write(tid, second.0, second.1)
    }
    /// A duplicate of descriptor `fd` of the process of thread `tid`.
    fn take_fd(&mut self, tid: u32, fd: i32) -> Result<OwnedFd, i32>;
    /// Installs `file` in the process whose call `call` is pending; its new number.
    fn install_fd(&mut self, call: u64, file: BorrowedFd<'_>) -> Result<i32, i32>;
    /// Answers the pending call `call` (a parked read) with `result`.
    fn answer(&mut self, call: u64, result: i64);
    /// Whether call `call` still waits for its answer (its thread was not killed).
    fn pending(&mut self, call: u64) -> bool;
    /// Where the process of thread `tid` maps the file with inode `inode`: start and length.
    fn mapping(&mut self, tid: u32, inode: u64) -> Option<(u64, u64)>;
}

/// The binder contexts: each device is its own, with its own context manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Device {
    /// `/dev/binder` (also `/dev/binderfs/binder`): apps and the framework.
    Binder,
    /// `/dev/hwbinder`: HALs.
    HwBinder,
    /// `/dev/vndbinder`: vendor processes.
    VndBinder,
}

impl Device {
    /// The device a guest path names, if any.
    pub fn from_path(path: &[u8]) -> Option<Device> {
        match path {
            b"/dev/binder" | b"/dev/binderfs/binder" => Some(Device::Binder),
            b"/dev/hwbinder" | b"/dev/binderfs/hwbinder" => Some(Device::HwBinder),
            b"/dev/vndbinder" | b"/dev/binderfs/vndbinder" => Some(Device::VndBinder),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How an ioctl ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answer the call with this (0 or more, or a negative errno).
    Done(i64),
    /// The call waits for work; the engine answers it through [`Guest::answer`].
    Parked,
}

pub type ProcId = u64;
type NodeId = u64;
type TxId = u64;

/// A process's view of a binder device: one per `open`.
#[derive(Debug)]
struct Proc {
    device: Device,
    /// The thread that opened the device (its process's memory is the mapping's).
    opener: u32,
    /// The opener's pid and euid as the guest sees them (`sender_pid`, `sender_euid`).
    guest_pid: u32,
    euid: u32,
    map: Mapping,
    inode: u64,
    /// Where the guest mapped the device, found at the first buffer it needs.
    base: Option<u64>,
    alloc: Allocator,
    buffers: HashMap<usize, Buffer>,
    threads: HashMap<u32, Thread>,
    todo: VecDeque<Work>,
    nodes: HashMap<u64, NodeId>,
    refs: BTreeMap<u32, Ref>,
    ref_of_node: HashMap<NodeId, u32>,
    /// Death notices delivered and not yet acknowledged, with whether they were cleared since.
    delivered_deaths: HashMap<u64, bool>,
    max_threads: u32,
    requested_threads: u32,
    requested_threads_started: u32,
}

const LOOPER_REGISTERED: u32 = 0x01;
const LOOPER_ENTERED: u32 = 0x02;
const LOOPER_EXITED: u32 = 0x04;
const LOOPER_INVALID: u32 = 0x08;

#[derive(Debug)]
struct Thread {
    looper: u32,
    todo: VecDeque<Work>,
    /// Transactions this thread sent and awaits (outgoing) or received and must answer
    /// (incoming), innermost last.
    stack: Vec<TxId>,
    parked: Option<Parked>,
    /// `BINDER_GET_EXTENDED_ERROR`: the last transaction's debug id, `BR_OK` or the error it
    /// ended with, and that error's negative errno, as the kernel keeps them.
    extended: (u32, u32, i32),
}

impl Thread {
    fn has_own_work(&self) -> bool {
        self.todo
            .iter()
            .any(|w| !matches!(w, Work::Complete { deferred: true } | Work::Node(_, true)))
    }

    /// A looper with no call of its own in progress takes its process's work.
    fn takes_proc_work(&self) -> bool {
        self.stack.is_empty() && self.looper & (LOOPER_REGISTERED | LOOPER_ENTERED) != 0
    }

    /// Whether a read by the thread would return something: work of its own that is not only
    /// a deferred completion (the kernel's `process_todo`), or its process's work (`proc_todo`)
    /// when it may take that.
    fn has_work(&self, proc_todo: &VecDeque<Work>) -> bool {
        self.has_own_work() || (self.takes_proc_work() && !proc_todo.is_empty())
    }
}

impl Default for Thread {
    fn default() -> Thread {
        Thread {
            looper: 0,
            todo: VecDeque::new(),
            stack: Vec::new(),
            parked: None,
            extended: (0, BR_OK, 0),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Parked {
    call: u64,
    /// The address of the caller's `binder_write_read`, and its value.
    arg: u64,
    bwr: WriteRead,
}

#[derive(Debug)]
enum Work {
    Transaction(TxId),
    Reply(TxId),
    /// `BR_TRANSACTION_COMPLETE`; a two-way call's is deferred, as the kernel's: it does not
    /// end a read by itself, so the caller's read waits on for the reply and gets both at once.
    Complete {
        deferred: bool,
    },
    ReturnError(u32),
    /// A node whose owner must be told of reference changes; deferred (as the kernel defers
    /// it) when queued on the sending thread by its own transaction.
    Node(NodeId, bool),
    DeadBinder(u64),
    ClearDeathDone(u64),
}

#[derive(Debug)]
struct Node {
    owner: ProcId,
    ptr: u64,
    cookie: u64,
    accept_fds: bool,
    security_context: bool,
    /// References (handles) other processes hold, and how many of them are strong.
    refs: u32,
    internal_strong: u32,
    local_strong: u32,
    local_weak: u32,
    has_strong: bool,
    has_weak: bool,
    pending_strong: bool,
    pending_weak: bool,
    work_queued: bool,
    async_busy: bool,
    async_todo: VecDeque<TxId>,
    dead: bool,
}

#[derive(Debug)]
struct Ref {
    node: NodeId,
    strong: u32,
    weak: u32,
    death: Option<u64>,
}

/// A reference a delivered buffer holds for the objects in it, dropped at `BC_FREE_BUFFER`.
#[derive(Debug)]
enum Held {
    Ref { handle: u32, strong: bool },
    Node { node: NodeId, strong: bool },
}

#[derive(Debug)]
struct Buffer {
    data_size: usize,
    offsets_size: usize,
    tx: Option<TxId>,
    one_way_node: Option<NodeId>,
    user_free: bool,
    held: Vec<Held>,
}

#[derive(Debug)]
struct Transaction {
    from: Option<(ProcId, u32)>,
    from_parent: Option<TxId>,
    to_proc: ProcId,
    to_thread: Option<u32>,
    node: Option<NodeId>,
    code: u32,
    flags: u32,
    sender_euid: u32,
    /// The buffer's offset in the receiver's mapping.
    buffer: usize,
    security_context: Option<usize>,
    /// Descriptors to install at delivery, with where their numbers go in the mapping.
    fds: Vec<(usize, OwnedFd)>,
    reply: bool,
}

/// `struct binder_write_read`.
#[derive(Debug, Clone, Copy, Default)]
struct WriteRead {
    write_size: u64,
    write_consumed: u64,
    write_buffer: u64,
    read_size: u64,
    read_consumed: u64,
    read_buffer: u64,
}

impl WriteRead {
    fn parse(raw: &[u8; WRITE_READ_SIZE]) -> WriteRead {
        let f = |i: usize| u64_at(raw, i * 8);
        WriteRead {
            write_size: f(0),
            write_consumed: f(1),
            write_buffer: f(2),
            read_size: f(3),
            read_consumed: f(4),
            read_buffer: f(5),
        }
    }

    fn bytes(&self) -> [u8; WRITE_READ_SIZE] {
        let mut raw = [0; WRITE_READ_SIZE];
        for (i, v) in [
            self.write_size,
            self.write_consumed,
            self.write_buffer,
            self.read_size,
            self.read_consumed,
            self.read_buffer,
        ]
        .into_iter()
        .enumerate()
        {
            raw[i * 8..i * 8 + 8].copy_from_slice(&v.to_le_bytes());
        }
        raw
    }
}

/// `struct binder_transaction_data` as a sender writes it.
#[derive(Debug, Clone, Copy)]
struct TransactionData {
    target: u64,
    code: u32,
    flags: u32,
    data_size: u64,
    offsets_size: u64,
    buffer: u64,
    offsets: u64,
}

impl TransactionData {
    fn parse(raw: &[u8]) -> TransactionData {
        TransactionData {
            target: u64_at(raw, 0),
            code: u32_at(raw, 16),
            flags: u32_at(raw, 20),
            data_size: u64_at(raw, 32),
            offsets_size: u64_at(raw, 40),
            buffer: u64_at(raw, 48),
            offsets: u64_at(raw, 56),
        }
    }
}

fn u32_at(raw: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(raw[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(raw: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(raw[at..at + 8].try_into().expect("8 bytes"))
}

/// The engine's own writable view of a process's buffer space: a sealed memfd that the guest
/// maps read-only, as the kernel's binder mapping is.
#[derive(Debug)]
struct Mapping {
    memfd: OwnedFd,
    ptr: *mut u8,
    len: usize,
}

// SAFETY: the mapping is owned by the `Shim`, which is used under a lock; the pointer is
// never shared outside it.
unsafe impl Send for Mapping {}

impl Mapping {
    fn new() -> std::io::Result<Mapping> {
        // SAFETY: memfd_create with a valid C string; the fd is checked below.
        let fd =
            unsafe { libc::memfd_create(c"binder".as_ptr(), libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: `fd` was just created and is owned by nobody else.
        let memfd = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: plain syscalls on the fd we own; the mapping is checked.
        unsafe {
            if libc::ftruncate(memfd.as_raw_fd(), MAP_LIMIT as libc::off_t) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            let ptr = libc::mmap(
                std::ptr::null_mut(),
                MAP_LIMIT,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                memfd.as_raw_fd(),
                0,
            );
            if ptr == libc::MAP_FAILED {
                return Err(std::io::Error::last_os_error());
            }
            // From now on only this mapping writes: the guest can map the file read-only
            // and neither write it nor change its size, as with the kernel's mapping.
            let seals =
                libc::F_SEAL_FUTURE_WRITE | libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_SEAL;
            if libc::fcntl(memfd.as_raw_fd(), libc::F_ADD_SEALS, seals) != 0 {
                let error = std::io::Error::last_os_error();
                libc::munmap(ptr, MAP_LIMIT);
                return Err(error);
            }
            Ok(Mapping {
                memfd,
                ptr: ptr.cast(),
                len: MAP_LIMIT,
            })
        }
    }

    fn write(&mut self, at: usize, data: &[u8]) {
        assert!(at + data.len() <= self.len, "a buffer lies inside the mapping");
        // SAFETY: bounds checked above; the mapping is ours, writable and lives as long as
        // `self`.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), self.ptr.add(at), data.len()) }
    }

    fn read(&self, at: usize, len: usize) -> Vec<u8> {
        assert!(at + len <= self.len, "a buffer lies inside the mapping");
        let mut out = vec![0; len];
        // SAFETY: bounds checked above; see `write`.
        unsafe { std::ptr::copy_nonoverlapping(self.ptr.add(at), out.as_mut_ptr(), len) }
        out
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping `new` made.
        unsafe { libc::munmap(self.ptr.cast(), self.len) };
    }
}

#[derive(Debug, Default)]
struct Context {
    manager: Option<NodeId>,
}

/// A transaction that could not be made, and what its sender reads.
struct Failure {
    code: u32,
    errno: i32,
}

impl Failure {
    fn failed(errno: i32) -> Failure {
        Failure {
            code: BR_FAILED_REPLY,
            errno,
        }
    }
    fn dead() -> Failure {
        Failure {
            code: BR_DEAD_REPLY,
            errno: libc::EHOSTDOWN,
        }
    }

    /// The telemetry record of a transaction that failed so.
    fn event(&self, tr: &TransactionData) -> Event {
        Event {
            kind: if self.code == BR_DEAD_REPLY {
                "dead_reply"
            } else {
                "failed_reply"
            },
            code: tr.code,
            size: tr.data_size,
        }
    }
}

/// A counted record of what the driver did, for telemetry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// `transaction`, `reply`, `one_way`, `failed_reply`, `dead_reply`, `unknown_ioctl`,
    /// `death`.
    pub kind: &'static str,
    /// The transaction code, or the ioctl number.
    pub code: u32,
    /// Bytes of data carried.
    pub size: u64,
}

/// Every binder process of a sandbox, and the contexts they share.
#[derive(Debug, Default)]
pub struct Shim {
    procs: HashMap<ProcId, Proc>,
    by_inode: HashMap<u64, ProcId>,
    nodes: HashMap<NodeId, Node>,
    txs: HashMap<TxId, Transaction>,
    contexts: [Context; 3],
    next: u64,
    /// What happened since the caller last took them ([`Shim::take_events`]).
    events: Vec<Event>,
}

/// Bytes a read needs free before the driver takes a work item (a return word and the
/// largest return payload, as the kernel checks).
const READ_ITEM: usize = 4 + TRANSACTION_DATA_EXT_SIZE + 8;

impl Shim {
    pub fn new() -> Shim {
        Shim::default()
    }

    fn id(&mut self) -> u64 {
        self.next += 1;
        self.next
    }

    /// A new binder process for an `open` of `device` by thread `opener`, whose process the
    /// guest knows as `guest_pid`, running as `euid`. Returns its id and the descriptor to
    /// install in the guest (a memfd the guest maps; its inode names the process).
    pub fn open(
        &mut self,
        device: Device,
        opener: u32,
        guest_pid: u32,
        euid: u32,
    ) -> std::io::Result<(ProcId, OwnedFd)> {
        let map = Mapping::new()?;
        let guest_fd = map.memfd.try_clone()?;
        let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: fstat on an fd we own into a properly sized buffer.
        if unsafe { libc::fstat(map.memfd.as_raw_fd(), stat.as_mut_ptr()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: fstat succeeded, so `stat` is initialised.
        let inode = unsafe { stat.assume_init() }.st_ino;
        let id = self.id();
        self.procs.insert(
            id,
            Proc {
                device,
                opener,
                guest_pid,
                euid,
                map,
                inode,
                base: None,
                alloc: Allocator::new(0),
                buffers: HashMap::new(),
                threads: HashMap::new(),
                todo: VecDeque::new(),
                nodes: HashMap::new(),
                refs: BTreeMap::new(),
                ref_of_node: HashMap::new(),
                delivered_deaths: HashMap::new(),
                max_threads: 0,
                requested_threads: 0,
                requested_threads_started: 0,
            },
        );
        self.by_inode.insert(inode, id);
        Ok((id, guest_fd))
    }

    /// The binder process whose device file has inode `inode`.
    pub fn proc_by_inode(&self, inode: u64) -> Option<ProcId> {
        self.by_inode.get(&inode).copied()
    }

    /// The inode of a binder process's device file.
    pub fn inode(&self, proc: ProcId) -> Option<u64> {
        self.procs.get(&proc).map(|p| p.inode)
    }

    /// The processes opened by threads for which `gone` holds.
    pub fn procs_where(&self, mut gone: impl FnMut(u32) -> bool) -> Vec<ProcId> {
        self.procs
            .iter()
            .filter(|(_, p)| gone(p.opener))
            .map(|(&id, _)| id)
            .collect()
    }

    /// What happened since the last call.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// How many binder processes, nodes and transactions the engine holds: all zero once every
    /// process is released, or something leaked.
    pub fn live_objects(&self) -> (usize, usize, usize) {
        (self.procs.len(), self.nodes.len(), self.txs.len())
    }

    /// Bytes of transaction buffers `proc` holds (delivered and not freed, or in flight).
    pub fn buffer_bytes(&self, proc: ProcId) -> usize {
        self.procs.get(&proc).map_or(0, |p| p.alloc.in_use())
    }

    /// One ioctl `cmd` with argument `arg` by thread `tid` on the device of `proc`, made as
    /// the pending call `call`.
    pub fn ioctl(
        &mut self,
        guest: &mut dyn Guest,
        proc: ProcId,
        tid: u32,
        call: u64,
        cmd: u32,
        arg: u64,
    ) -> Outcome {
        if !self.procs.contains_key(&proc) {
            return Outcome::Done(-i64::from(EINVAL));
        }
        self.procs
            .get_mut(&proc)
            .expect("checked")
            .threads
            .entry(tid)
            .or_default();
        let outcome = match cmd {
            BINDER_WRITE_READ => self.write_read(guest, proc, tid, call, arg),
            BINDER_VERSION => done(guest.write(tid, arg, &CURRENT_PROTOCOL_VERSION.to_le_bytes())),
            BINDER_SET_MAX_THREADS => match read_u32(guest, tid, arg) {
                Ok(n) => {
                    self.proc_mut(proc).max_threads = n;
                    Outcome::Done(0)
                }
                Err(e) => Outcome::Done(-i64::from(e)),
            },
            BINDER_SET_CONTEXT_MGR | BINDER_SET_CONTEXT_MGR_EXT => {
                self.set_context_manager(guest, proc, tid, cmd, arg)
            }
            BINDER_THREAD_EXIT => {
                self.thread_exit(proc, tid);
                Outcome::Done(0)
            }
            BINDER_ENABLE_ONEWAY_SPAM_DETECTION => done(read_u32(guest, tid, arg).map(|_| ())),
            BINDER_GET_NODE_INFO_FOR_REF => done(self.node_info_for_ref(guest, proc, tid, arg)),
            BINDER_GET_EXTENDED_ERROR => {
                let thread = self.thread_mut(proc, tid);
                let (id, command, param) = std::mem::replace(&mut thread.extended, (0, BR_OK, 0));
                let mut raw = [0u8; 12];
                raw[0..4].copy_from_slice(&id.to_le_bytes());
                raw[4..8].copy_from_slice(&command.to_le_bytes());
                raw[8..12].copy_from_slice(&param.to_le_bytes());
                done(guest.write(tid, arg, &raw))
            }
            _ => {
                self.events.push(Event {
                    kind: "unknown_ioctl",
                    code: cmd,
                    size: 0,
                });
                Outcome::Done(-i64::from(EINVAL))
            }
        };
        self.wake(guest);
        outcome
    }

    fn proc_mut(&mut self, proc: ProcId) -> &mut Proc {
        self.procs.get_mut(&proc).expect("a live binder process")
    }

    fn thread_mut(&mut self, proc: ProcId, tid: u32) -> &mut Thread {
        self.proc_mut(proc).threads.entry(tid).or_default()
    }

    fn set_context_manager(
        &mut self,
        guest: &mut dyn Guest,
        proc: ProcId,
        tid: u32,
        cmd: u32,
        arg: u64,
    ) -> Outcome {
        let (ptr, cookie, flags) = if cmd == BINDER_SET_CONTEXT_MGR_EXT {
            let mut raw = [0u8; FLAT_OBJECT_SIZE];
            if let Err(e) = guest.read(tid, arg, &mut raw) {
                return Outcome::Done(-i64::from(e));
            }
            (u64_at(&raw, 8), u64_at(&raw, 16), u32_at(&raw, 4))
        } else {
            (0, 0, 0)
        };
        let device = self.procs[&proc].device;
        if self.contexts[device.index()].manager.is_some() {
            return Outcome::Done(-i64::from(EBUSY));
        }
        if self.procs[&proc].nodes.contains_key(&ptr) {
            return Outcome::Done(-i64::from(EBUSY));
        }
        let node = self.new_node(proc, ptr, cookie, flags);
        // The kernel gives the manager's node references of its own: no BR_ACQUIRE for it.
        let n = self.nodes.get_mut(&node).expect("new");
        n.local_strong = 1;
        n.local_weak = 1;
        n.has_strong = true;
        n.has_weak = true;
        self.contexts[device.index()].manager = Some(node);
        Outcome::Done(0)
    }

    /// `BINDER_GET_NODE_INFO_FOR_REF`: the counts of the node behind one of the context
    /// manager's strong handles, as the kernel gives them — strong: its local strong
    /// references plus the handles anywhere that hold it strongly; weak: its local weak
    /// references. Service managers ask it to tell lazy services whether they have clients.
    fn node_info_for_ref(
        &mut self,
        guest: &mut dyn Guest,
        proc: ProcId,
        tid: u32,
        arg: u64,
    ) -> Result<(), i32> {
        let mut raw = [0u8; NODE_INFO_FOR_REF_SIZE];
        guest.read(tid, arg, &mut raw)?;
        // Only the handle may be set.
        if raw[4..].iter().any(|&b| b != 0) {
            return Err(EINVAL);
        }
        // Only the context manager may ask.
        let manager = self.contexts[self.procs[&proc].device.index()].manager;
        if manager.and_then(|m| self.nodes.get(&m)).map(|n| n.owner) != Some(proc) {
            return Err(EPERM);
        }
        let handle = u32_at(&raw, 0);
        let node = match self.procs[&proc].refs.get(&handle) {
            Some(r) if r.strong > 0 => self.nodes.get(&r.node).ok_or(EINVAL)?,
            _ => return Err(EINVAL),
        };
        let strong = node.local_strong + node.internal_strong;
        raw[4..8].copy_from_slice(&strong.to_le_bytes());
        raw[8..12].copy_from_slice(&node.local_weak.to_le_bytes());
        guest.write(tid, arg, &raw)
    }

    fn new_node(&mut self, owner: ProcId, ptr: u64, cookie: u64, flags: u32) -> NodeId {
        let id = self.id();
        self.nodes.insert(
            id,
            Node {
                owner,
                ptr,
                cookie,
                accept_fds: flags & FLAT_BINDER_FLAG_ACCEPTS_FDS != 0,
                security_context: flags & FLAT_BINDER_FLAG_TXN_SECURITY_CTX != 0,
                refs: 0,
                internal_strong: 0,
                local_strong: 0,
                local_weak: 0,
                has_strong: false,
                has_weak: false,
                pending_strong: false,
                pending_weak: false,
                work_queued: false,
                async_busy: false,
                async_todo: VecDeque::new(),
                dead: false,
            },
        );
        self.proc_mut(owner).nodes.insert(ptr, id);
        id
    }

    fn write_read(&mut self, guest: &mut dyn Guest, proc: ProcId, tid: u32, call: u64, arg: u64) -> Outcome {
        let mut raw = [0u8; WRITE_READ_SIZE];
        if let Err(e) = guest.read(tid, arg, &mut raw) {
            return Outcome::Done(-i64::from(e));
        }
        let mut bwr = WriteRead::parse(&raw);
        if bwr.write_size > 0
            && let Err(e) = self.write_commands(guest, proc, tid, &mut bwr)
        {
            bwr.read_consumed = 0;
            let _ = guest.write(tid, arg, &bwr.bytes());
            return Outcome::Done(-i64::from(e));
        }
        if bwr.read_size > 0 {
            let depth = self.stack_depth(proc, tid);
            match self.read(guest, proc, tid, call, &bwr) {
                Ok(Some(out)) => {
                    let handed = hand_over(guest, tid, arg, &mut bwr, &out);
                    if handed.is_err() {
                        self.fail_undelivered(proc, tid, depth);
                    }
                    return done(handed);
                }
                Ok(None) => {
                    self.thread_mut(proc, tid).parked = Some(Parked { call, arg, bwr });
                    return Outcome::Parked;
                }
                Err(e) => {
                    let _ = guest.write(tid, arg, &bwr.bytes());
                    return Outcome::Done(-i64::from(e));
                }
            }
        }
        done(guest.write(tid, arg, &bwr.bytes()))
    }

    /// Runs the commands of the write buffer from `write_consumed` on.
    fn write_commands(
        &mut self,
        guest: &mut dyn Guest,
        proc: ProcId,
        tid: u32,
        bwr: &mut WriteRead,
    ) -> Result<(), i32> {
        // The commands are copied once, a window at a time (one read for a typical write
        // buffer); should a window not be readable as a whole, each command is read alone, so
        // that the commands before an unreadable one still run, as with the kernel's.
        const WINDOW: u64 = 64 * 1024;
        let mut window: Vec<u8> = Vec::new();
        let mut window_at = bwr.write_consumed;
        while bwr.write_consumed < bwr.write_size {
            let at = bwr.write_buffer.checked_add(bwr.write_consumed).ok_or(EFAULT)?;
            let offset = (bwr.write_consumed - window_at) as usize;
            if offset + 4 > window.len() {
                window_at = bwr.write_consumed;
                let len = (bwr.write_size - bwr.write_consumed).min(WINDOW) as usize;
                window = vec![0; len];
                if guest.read(tid, at, &mut window).is_err() {
                    window.clear();
                }
            }
            let offset = (bwr.write_consumed - window_at) as usize;
            let cmd = match window.get(offset..offset + 4) {
                Some(raw) => u32::from_le_bytes(raw.try_into().expect("4 bytes")),
                None => read_u32(guest, tid, at)?,
            };
            let size = ((cmd >> 16) & 0x3fff) as u64;
            if bwr
                .write_consumed
                .checked_add(4 + size)
                .is_none_or(|end| end > bwr.write_size)
            {
                return Err(EINVAL);
            }
            let payload = match window.get(offset + 4..offset + 4 + size as usize) {
                Some(raw) => raw.to_vec(),
                None => {
                    let mut payload = vec![0u8; size as usize];
                    guest.read(tid, at.wrapping_add(4), &mut payload)?;
                    payload
                }
            };
            bwr.write_consumed += 4 + size;
            self.command(guest, proc, tid, cmd, &payload)?;
        }
        Ok(())
    }

    fn command(
        &mut self,
        guest: &mut dyn Guest,
        proc: ProcId,
        tid: u32,
        cmd: u32,
        payload: &[u8],
    ) -> Result<(), i32> {
        match cmd {
            BC_TRANSACTION | BC_REPLY | BC_TRANSACTION_SG | BC_REPLY_SG => {
                let tr = TransactionData::parse(payload);
                let extra = if cmd == BC_TRANSACTION_SG || cmd == BC_REPLY_SG {
                    u64_at(payload, TRANSACTION_DATA_SIZE)
                } else {
                    0
                };
                let reply = cmd == BC_REPLY || cmd == BC_REPLY_SG;
                // As the kernel, every transaction gets a debug id and resets the thread's
                // extended error; a failure records its return and errno there.
                let debug_id = self.id() as u32;
                self.thread_mut(proc, tid).extended = (debug_id, BR_OK, 0);
                if let Err(failure) = self.transaction(guest, proc, tid, &tr, extra, reply) {
                    self.events.push(failure.event(&tr));
                    let thread = self.thread_mut(proc, tid);
                    thread.extended = (debug_id, failure.code, -failure.errno);
                    thread.todo.push_back(Work::ReturnError(failure.code));
                }
            }
            BC_FREE_BUFFER => self.free_buffer(proc, u64_at(payload, 0)),
            BC_INCREFS | BC_ACQUIRE | BC_RELEASE | BC_DECREFS => {
                let handle = u32_at(payload, 0);
                let strong = cmd == BC_ACQUIRE || cmd == BC_RELEASE;
                let increment = cmd == BC_INCREFS || cmd == BC_ACQUIRE;
                self.update_ref(proc, handle, strong, increment)?;
            }
            BC_INCREFS_DONE | BC_ACQUIRE_DONE => {
                let (ptr, cookie) = (u64_at(payload, 0), u64_at(payload, 8));
                let Some(&node) = self.procs[&proc].nodes.get(&ptr) else {
                    return Ok(()); // the kernel logs and ignores it
                };
                let n = self.nodes.get_mut(&node).expect("indexed");
                if n.cookie != cookie {
                    return Ok(());
                }
                if cmd == BC_ACQUIRE_DONE && n.pending_strong {
                    n.pending_strong = false;
                    n.local_strong -= 1;
                } else if cmd == BC_INCREFS_DONE && n.pending_weak {
                    n.pending_weak = false;
                    n.local_weak -= 1;
                }
                self.node_changed(node, None);
            }
            BC_ATTEMPT_ACQUIRE | BC_ACQUIRE_RESULT => return Err(EINVAL),
            BC_REGISTER_LOOPER => {
                let p = self.proc_mut(proc);
                let ok = p.requested_threads > 0;
                if ok {
                    p.requested_threads -= 1;
                    p.requested_threads_started += 1;
                }
                let thread = p.threads.entry(tid).or_default();
                if thread.looper & LOOPER_ENTERED != 0 || !ok {
                    thread.looper |= LOOPER_INVALID;
                }
                thread.looper |= LOOPER_REGISTERED;
            }
            BC_ENTER_LOOPER => {
                let thread = self.thread_mut(proc, tid);
                if thread.looper & LOOPER_REGISTERED != 0 {
                    thread.looper |= LOOPER_INVALID;
                }
                thread.looper |= LOOPER_ENTERED;
            }
            BC_EXIT_LOOPER => self.thread_mut(proc, tid).looper |= LOOPER_EXITED,
            BC_REQUEST_DEATH_NOTIFICATION | BC_CLEAR_DEATH_NOTIFICATION => {
                let handle = u32_at(payload, 0);
                let cookie = u64_at(payload, 4);
                self.death_notification(proc, tid, handle, cookie, cmd == BC_REQUEST_DEATH_NOTIFICATION);
            }
            BC_DEAD_BINDER_DONE => {
                let cookie = u64_at(payload, 0);
                if let Some(cleared) = self.proc_mut(proc).delivered_deaths.remove(&cookie)
                    && cleared
                {
                    self.queue_for_thread(proc, tid, Work::ClearDeathDone(cookie));
                }
            }
            _ => return Err(EINVAL),
        }
        Ok(())
    }

    /// Queues `work` on the thread if it is a looper, else on its process (the kernel's
    /// choice for death notices).
    fn queue_for_thread(&mut self, proc: ProcId, tid: u32, work: Work) {
        let p = self.proc_mut(proc);
        let thread = p.threads.entry(tid).or_default();
        if thread.looper & (LOOPER_REGISTERED | LOOPER_ENTERED) != 0 {
            thread.todo.push_back(work);
        } else {
            p.todo.push_back(work);
        }
    }

    fn death_notification(&mut self, proc: ProcId, tid: u32, handle: u32, cookie: u64, request: bool) {
        let Some(reference) = self.proc_mut(proc).refs.get_mut(&handle) else {
            return; // an invalid handle: the kernel logs and ignores it
        };
        let node = reference.node;
        if request {
            if reference.death.is_some() {
                return;
            }
            reference.death = Some(cookie);
            if self.nodes.get(&node).is_none_or(|n| n.dead) {
                self.queue_for_thread(proc, tid, Work::DeadBinder(cookie));
            }
        } else {
            if reference.death != Some(cookie) {
                return;
            }
            reference.death = None;
            let p = self.proc_mut(proc);
            if let Some(cleared) = p.delivered_deaths.get_mut(&cookie) {
                // Acknowledged later with BC_DEAD_BINDER_DONE, which sends the clear notice.
                *cleared = true;
                return;
            }
            // A death notice still queued is replaced by the clear notice.
            p.todo
                .retain(|w| !matches!(w, Work::DeadBinder(c) if *c == cookie));
            for thread in p.threads.values_mut() {
                thread
                    .todo
                    .retain(|w| !matches!(w, Work::DeadBinder(c) if *c == cookie));
            }
            self.queue_for_thread(proc, tid, Work::ClearDeathDone(cookie));
        }
    }

    /// The node a handle of `proc` names (0: the context manager).
    fn node_of_handle(&self, proc: ProcId, handle: u32) -> Option<NodeId> {
        match self.procs[&proc].refs.get(&handle) {
            Some(r) => Some(r.node),
            None if handle == 0 => self.contexts[self.procs[&proc].device.index()].manager,
            None => None,
        }
    }

    /// `proc`'s handle for `node`, made if it has none (0 for the context manager).
    fn ref_for_node(&mut self, proc: ProcId, node: NodeId) -> u32 {
        if let Some(&handle) = self.procs[&proc].ref_of_node.get(&node) {
            return handle;
        }
        let manager = self.contexts[self.procs[&proc].device.index()].manager == Some(node);
        let p = self.proc_mut(proc);
        let mut handle = if manager { 0 } else { 1 };
        if !manager {
            for &used in p.refs.keys() {
                if used > handle {
                    break;
                }
                if used == handle {
                    handle += 1;
                }
            }
        }
        p.refs.insert(
            handle,
            Ref {
                node,
                strong: 0,
                weak: 0,
                death: None,
            },
        );
        p.ref_of_node.insert(node, handle);
        if let Some(n) = self.nodes.get_mut(&node) {
            n.refs += 1;
        }
        handle
    }

    fn update_ref(&mut self, proc: ProcId, handle: u32, strong: bool, increment: bool) -> Result<(), i32> {
        if !self.procs[&proc].refs.contains_key(&handle) {
            if !(handle == 0 && increment) {
                return Ok(()); // the kernel logs and ignores it
            }
            let Some(manager) = self.contexts[self.procs[&proc].device.index()].manager else {
                return Ok(());
            };
            if self.nodes.get(&manager).is_none_or(|n| n.owner == proc) {
                return Err(EINVAL);
            }
            self.ref_for_node(proc, manager);
        }
        if increment {
            self.inc_ref(proc, handle, strong);
        } else {
            self.dec_ref(proc, handle, strong);
        }
        Ok(())
    }

    fn inc_ref(&mut self, proc: ProcId, handle: u32, strong: bool) {
        let node = self.count_ref(proc, handle, strong);
        self.node_changed(node, None);
    }

    /// Counts one more strong or weak reference on `proc`'s existing `handle` (a node gains an
    /// internal strong reference with the handle's first); the node it names.
    fn count_ref(&mut self, proc: ProcId, handle: u32, strong: bool) -> NodeId {
        let reference = self.proc_mut(proc).refs.get_mut(&handle).expect("a ref");
        let node = reference.node;
        let first_strong = strong && reference.strong == 0;
        if strong {
            reference.strong += 1;
        } else {
            reference.weak += 1;
        }
        if first_strong && let Some(n) = self.nodes.get_mut(&node) {
            n.internal_strong += 1;
        }
        node
    }

    fn dec_ref(&mut self, proc: ProcId, handle: u32, strong: bool) {
        let Some(reference) = self.proc_mut(proc).refs.get_mut(&handle) else {
            return;
        };
        let node = reference.node;
        let count = if strong {
            &mut reference.strong
        } else {
            &mut reference.weak
        };
        if *count == 0 {
            return; // the kernel logs and ignores a decrement below zero
        }
        *count -= 1;
        let last_strong = strong && reference.strong == 0;
        let unused = reference.strong == 0 && reference.weak == 0;
        if last_strong && let Some(n) = self.nodes.get_mut(&node) {
            n.internal_strong -= 1;
        }
        if unused {
            let p = self.proc_mut(proc);
            p.refs.remove(&handle);
            p.ref_of_node.remove(&node);
            if let Some(n) = self.nodes.get_mut(&node) {
                n.refs -= 1;
            }
        }
        self.node_changed(node, None);
    }

    /// After a count of `node` changed: queues the node for its owner when the owner must be
    /// told (BR_INCREFS/ACQUIRE/RELEASE/DECREFS), on `thread`'s list when the owner's own
    /// thread caused it, and frees a node nobody references any more.
    fn node_changed(&mut self, node: NodeId, thread: Option<(ProcId, u32)>) {
        let Some(n) = self.nodes.get_mut(&node) else {
            return;
        };
        let (strong, weak) = n.wanted();
        let tell = (strong != n.has_strong) || (weak != n.has_weak);
        if tell && !n.work_queued && !n.dead {
            n.work_queued = true;
            let owner = n.owner;
            match thread {
                Some((proc, tid)) if proc == owner => {
                    self.thread_mut(proc, tid).todo.push_back(Work::Node(node, true))
                }
                _ => self.proc_mut(owner).todo.push_back(Work::Node(node, false)),
            }
        } else if !strong && !weak && !n.has_strong && !n.has_weak && !n.work_queued {
            self.forget_node(node);
        }
    }

    fn forget_node(&mut self, node: NodeId) {
        if let Some(n) = self.nodes.remove(&node)
            && let Some(p) = self.procs.get_mut(&n.owner)
            && p.nodes.get(&n.ptr) == Some(&node)
        {
            p.nodes.remove(&n.ptr);
        }
    }

    fn free_buffer(&mut self, proc: ProcId, address: u64) {
        let p = self.proc_mut(proc);
        let Some(offset) = p
            .base
            .and_then(|base| address.checked_sub(base))
            .map(|o| o as usize)
        else {
            return;
        };
        match p.buffers.get(&offset) {
            Some(buffer) if buffer.user_free => {}
            _ => return, // the kernel logs and ignores an unknown or undelivered buffer
        }
        let buffer = p.buffers.remove(&offset).expect("checked");
        p.alloc.free(offset);
        if let Some(tx) = buffer.tx
            && let Some(t) = self.txs.get_mut(&tx)
        {
            t.buffer = usize::MAX;
        }
        self.release_held(proc, buffer.held);
        if let Some(node) = buffer.one_way_node
            && let Some(n) = self.nodes.get_mut(&node)
        {
            match n.async_todo.pop_front() {
                Some(next) => self.proc_mut(proc).todo.push_back(Work::Transaction(next)),
                None => n.async_busy = false,
            }
        }
    }

    fn release_held(&mut self, proc: ProcId, held: Vec<Held>) {
        for h in held.into_iter().rev() {
            match h {
                Held::Ref { handle, strong } => self.dec_ref(proc, handle, strong),
                Held::Node { node, strong } => {
                    if let Some(n) = self.nodes.get_mut(&node) {
                        if strong {
                            n.local_strong = n.local_strong.saturating_sub(1);
                        } else {
                            n.local_weak = n.local_weak.saturating_sub(1);
                        }
                    }
                    self.node_changed(node, None);
                }
            }
        }
    }

    /// Makes sure `proc`'s mapping is known; its base address.
    fn mapped(&mut self, guest: &mut dyn Guest, proc: ProcId) -> Option<u64> {
        let p = self.proc_mut(proc);
        if let Some(base) = p.base {
            return Some(base);
        }
        let (start, len) = guest.mapping(p.opener, p.inode)?;
        p.base = Some(start);
        p.alloc = Allocator::new((len as usize).min(MAP_LIMIT));
        Some(start)
    }

    /// `BC_TRANSACTION` and `BC_REPLY`. A reply that fails once the call it answers is taken
    /// off the stacks (bad objects, no room in the caller's mapping, unreadable data, a dead
    /// caller) fails that call, as the kernel's `binder_send_failed_reply` does: the caller
    /// reads the failure, and the replier `BR_TRANSACTION_COMPLETE`, its part being done.
    fn transaction(
        &mut self,
        guest: &mut dyn Guest,
        proc: ProcId,
        tid: u32,
        tr: &TransactionData,
        extra: u64,
        reply: bool,
    ) -> Result<(), Failure> {
        let mut answered = None;
        let result = self.transaction_to(guest, proc, tid, tr, extra, reply, &mut answered);
        match (result, answered) {
            (Err(failure), Some(caller)) => {
                if let Some((from_proc, from_thread)) = caller
                    && let Some(p) = self.procs.get_mut(&from_proc)
                    && let Some(thread) = p.threads.get_mut(&from_thread)
                {
                    thread.todo.push_back(Work::ReturnError(failure.code));
                }
                self.events.push(failure.event(tr));
                self.thread_mut(proc, tid)
                    .todo
                    .push_back(Work::Complete { deferred: false });
                Ok(())
            }
            (result, _) => result,
        }
    }

    /// The work of `transaction`; `answered` is set to the call's sender (if it still has
    /// a thread) once a reply has taken its call off the stacks.
    #[allow(clippy::too_many_arguments)]
    fn transaction_to(
        &mut self,
        guest: &mut dyn Guest,
        proc: ProcId,
        tid: u32,
        tr: &TransactionData,
        extra: u64,
        reply: bool,
        answered: &mut Option<Option<(ProcId, u32)>>,
    ) -> Result<(), Failure> {
        let one_way = !reply && tr.flags & TF_ONE_WAY != 0;
        // Where it goes.
        let (to_proc, to_thread, node, in_reply_to) = if reply {
            let thread = self.thread_mut(proc, tid);
            let Some(&in_reply_to) = thread.stack.last() else {
                return Err(Failure::failed(EPROTO));
            };
            match self.txs.get(&in_reply_to) {
                Some(t) if t.to_thread == Some(tid) && t.to_proc == proc => {}
                _ => return Err(Failure::failed(EPROTO)),
            }
            let t = self.forget_transaction(in_reply_to).expect("checked above");
            let from = t.from;
            *answered = Some(from);
            let accept_fds = t.flags & TF_ACCEPT_FDS != 0;
            if let Some(b) = self
                .procs
                .get_mut(&proc)
                .and_then(|p| p.buffers.get_mut(&t.buffer))
            {
                b.tx = None;
            }
            let Some((from_proc, from_thread)) = from else {
                return Err(Failure::dead());
            };
            if !self.procs.contains_key(&from_proc) {
                return Err(Failure::dead());
            }
            (from_proc, Some(from_thread), None, Some(accept_fds))
        } else {
            let handle = tr.target as u32;
            let node = if handle == 0 {
                self.contexts[self.procs[&proc].device.index()]
                    .manager
                    .ok_or_else(Failure::dead)?
            } else {
                self.node_of_handle(proc, handle).ok_or(Failure::failed(EINVAL))?
            };
            let n = self.nodes.get(&node).ok_or_else(Failure::dead)?;
            if n.dead || !self.procs.contains_key(&n.owner) {
                return Err(Failure::dead());
            }
            if handle == 0 && n.owner == proc {
                return Err(Failure::failed(EPERM));
            }
            let to_proc = n.owner;
            // A two-way call goes to the thread of the target process that is already
            // waiting in this call chain, so nested calls return to the right thread.
            let mut to_thread = None;
            if !one_way {
                let mut next = self.procs[&proc]
                    .threads
                    .get(&tid)
                    .and_then(|t| t.stack.last().copied());
                while let Some(tx) = next {
                    let Some(t) = self.txs.get(&tx) else { break };
                    if let Some((p, thread)) = t.from
                        && p == to_proc
                    {
                        to_thread = Some(thread);
                    }
                    next = t.from_parent;
                }
            }
            (to_proc, to_thread, Some(node), None)
        };
        let accept_fds = match (in_reply_to, node) {
            (Some(accept), _) => accept,
            (None, Some(node)) => self.nodes[&node].accept_fds,
            (None, None) => false,
        };
        let security_context = node.is_some_and(|n| self.nodes[&n].security_context);

        // The buffer in the receiver's mapping.
        if !tr.offsets_size.is_multiple_of(8) || !extra.is_multiple_of(8) {
            return Err(Failure::failed(EINVAL));
        }
        let data_size = usize::try_from(tr.data_size).map_err(|_| Failure::failed(EINVAL))?;
        let offsets_size = usize::try_from(tr.offsets_size).map_err(|_| Failure::failed(EINVAL))?;
        let extra = usize::try_from(extra).map_err(|_| Failure::failed(EINVAL))?;
        let context_len = if security_context {
            align8(SECURITY_CONTEXT.len() + 1)
        } else {
            0
        };
        let total = align8(data_size)
            .checked_add(align8(offsets_size))
            .and_then(|n| n.checked_add(extra))
            .and_then(|n| n.checked_add(context_len))
            .filter(|&n| n <= MAP_LIMIT)
            .ok_or(Failure::failed(libc::ENOSPC))?;
        let base = self.mapped(guest, to_proc).ok_or_else(Failure::dead)?;
        let block = self
            .proc_mut(to_proc)
            .alloc
            .alloc(total, one_way)
            .map_err(|_: AllocError| Failure::failed(libc::ENOSPC))?;
        let mut data = vec![0u8; data_size];
        let mut offsets = vec![0u8; offsets_size];
        let copied = guest
            .read(tid, tr.buffer, &mut data)
            .and_then(|()| guest.read(tid, tr.offsets, &mut offsets));
        if copied.is_err() {
            self.proc_mut(to_proc).alloc.free(block.offset);
            return Err(Failure::failed(EFAULT));
        }
        let mut held = Vec::new();
        let mut fds = Vec::new();
        let translated = self.translate(
            guest,
            (proc, tid),
            to_proc,
            &mut data,
            &offsets,
            Layout {
                base,
                offset: block.offset,
                sg: block.offset + align8(data_size) + align8(offsets_size),
                sg_end: block.offset + align8(data_size) + align8(offsets_size) + extra,
            },
            accept_fds,
            &mut held,
            &mut fds,
        );
        if let Err(failure) = translated {
            self.release_held(to_proc, held);
            self.proc_mut(to_proc).alloc.free(block.offset);
            return Err(failure);
        }
        let p = self.proc_mut(to_proc);
        p.map.write(block.offset, &data);
        p.map.write(block.offset + align8(data_size), &offsets);
        let context_at = security_context.then(|| {
            let at = block.offset + total - context_len;
            let mut text = SECURITY_CONTEXT.as_bytes().to_vec();
            text.push(0);
            p.map.write(at, &text);
            at
        });
        let tx = self.id();
        let from_parent = self.procs[&proc]
            .threads
            .get(&tid)
            .and_then(|t| t.stack.last().copied());
        let sender_euid = self.procs[&proc].euid;
        self.txs.insert(
            tx,
            Transaction {
                from: (!one_way && !reply).then_some((proc, tid)),
                from_parent,
                to_proc,
                to_thread,
                node,
                code: tr.code,
                flags: tr.flags,
                sender_euid,
                buffer: block.offset,
                security_context: context_at,
                fds,
                reply,
            },
        );
        self.proc_mut(to_proc).buffers.insert(
            block.offset,
            Buffer {
                data_size,
                offsets_size,
                tx: Some(tx),
                one_way_node: if one_way { node } else { None },
                user_free: false,
                held,
            },
        );
        self.events.push(Event {
            kind: if reply {
                "reply"
            } else if one_way {
                "one_way"
            } else {
                "transaction"
            },
            code: tr.code,
            size: tr.data_size,
        });
        let deferred = !reply && !one_way;
        self.thread_mut(proc, tid)
            .todo
            .push_back(Work::Complete { deferred });
        if reply {
            let to = to_thread.expect("a reply has its thread");
            self.thread_mut(to_proc, to).todo.push_back(Work::Reply(tx));
        } else if one_way {
            let node = node.expect("a transaction has its node");
            let Some(n) = self.nodes.get_mut(&node) else {
                self.fail_transaction(tx, BR_DEAD_REPLY);
                return Ok(());
            };
            if n.async_busy {
                n.async_todo.push_back(tx);
            } else {
                n.async_busy = true;
                self.proc_mut(to_proc).todo.push_back(Work::Transaction(tx));
            }
        } else {
            self.thread_mut(proc, tid).stack.push(tx);
            match to_thread {
                Some(to) => self.thread_mut(to_proc, to).todo.push_back(Work::Transaction(tx)),
                None => self.proc_mut(to_proc).todo.push_back(Work::Transaction(tx)),
            }
        }
        Ok(())
    }

    /// Translates the objects of a transaction's data for its receiver: binders and handles
    /// into the receiver's handles (or its own binders), descriptors taken from the sender,
    /// and scatter-gather buffers copied behind the data with their pointers fixed.
    #[allow(clippy::too_many_arguments)]
    fn translate(
        &mut self,
        guest: &mut dyn Guest,
        (proc, tid): (ProcId, u32),
        to_proc: ProcId,
        data: &mut [u8],
        offsets: &[u8],
        layout: Layout,
        accept_fds: bool,
        held: &mut Vec<Held>,
        fds: &mut Vec<(usize, OwnedFd)>,
    ) -> Result<(), Failure> {
        let bad = || Failure::failed(EINVAL);
        // Scatter-gather buffers copied so far: (index in offsets, offset in the mapping, length).
        let mut buffers: Vec<(usize, usize, usize)> = Vec::new();
        let mut sg = layout.sg;
        let mut min = 0usize;
        for (index, raw) in offsets.chunks_exact(8).enumerate() {
            let at = usize::try_from(u64_at(raw, 0)).map_err(|_| bad())?;
            if at < min || !at.is_multiple_of(4) || data.len() < 4 || at > data.len() - 4 {
                return Err(bad());
            }
            let kind = u32_at(data, at);
            let size = match kind {
                TYPE_BINDER | TYPE_WEAK_BINDER | TYPE_HANDLE | TYPE_WEAK_HANDLE | TYPE_FD => FLAT_OBJECT_SIZE,
                TYPE_PTR => BUFFER_OBJECT_SIZE,
                TYPE_FDA => FD_ARRAY_OBJECT_SIZE,
                _ => return Err(bad()),
            };
            if at + size > data.len() {
                return Err(bad());
            }
            min = at + size;
            let object = &mut data[at..at + size];
            match kind {
                TYPE_BINDER | TYPE_WEAK_BINDER => {
                    let (flags, ptr, cookie) = (u32_at(object, 4), u64_at(object, 8), u64_at(object, 16));
                    let node = match self.procs[&proc].nodes.get(&ptr) {
                        Some(&node) if self.nodes[&node].cookie != cookie => return Err(bad()),
                        Some(&node) => node,
                        None => self.new_node(proc, ptr, cookie, flags),
                    };
                    self.put_node(
                        to_proc,
                        node,
                        kind == TYPE_BINDER,
                        object,
                        held,
                        Some((proc, tid)),
                    );
                }
                TYPE_HANDLE | TYPE_WEAK_HANDLE => {
                    let handle = u32_at(object, 8);
                    let node = self.node_of_handle(proc, handle).ok_or_else(bad)?;
                    if !self.nodes.contains_key(&node) {
                        return Err(Failure::dead());
                    }
                    self.put_node(to_proc, node, kind == TYPE_HANDLE, object, held, None);
                }
                TYPE_FD => {
                    if !accept_fds {
                        return Err(Failure::failed(EPERM));
                    }
                    let fd = u32_at(object, 8) as i32;
                    let file = guest.take_fd(tid, fd).map_err(Failure::failed)?;
                    fds.push((layout.offset + at + 8, file));
                }
                TYPE_PTR => {
                    let flags = u32_at(object, 4);
                    let (source, length) = (u64_at(object, 8), u64_at(object, 16));
                    let length = usize::try_from(length).map_err(|_| bad())?;
                    let room = align8(length);
                    if sg.checked_add(room).is_none_or(|end| end > layout.sg_end) {
                        return Err(bad());
                    }
                    let mut copy = vec![0u8; length];
                    guest.read(tid, source, &mut copy).map_err(Failure::failed)?;
                    self.proc_mut(to_proc).map.write(sg, &copy);
                    let address = layout.base + sg as u64;
                    object[8..16].copy_from_slice(&address.to_le_bytes());
                    if flags & BUFFER_FLAG_HAS_PARENT != 0 {
                        let (parent, parent_offset) = (u64_at(object, 24), u64_at(object, 32));
                        let spot = parent_spot(&buffers, parent, parent_offset, 8).ok_or_else(bad)?;
                        self.proc_mut(to_proc).map.write(spot, &address.to_le_bytes());
                    }
                    buffers.push((index, sg, length));
                    sg += room;
                }
                TYPE_FDA => {
                    if !accept_fds {
                        return Err(Failure::failed(EPERM));
                    }
                    let count = usize::try_from(u64_at(object, 8)).map_err(|_| bad())?;
                    let (parent, parent_offset) = (u64_at(object, 16), u64_at(object, 24));
                    if !parent_offset.is_multiple_of(4) {
                        return Err(bad());
                    }
                    let bytes = count.checked_mul(4).ok_or_else(bad)?;
                    let spot = parent_spot(&buffers, parent, parent_offset, bytes).ok_or_else(bad)?;
                    let numbers = self.procs[&to_proc].map.read(spot, bytes);
                    for (i, raw) in numbers.chunks_exact(4).enumerate() {
                        let file = guest
                            .take_fd(tid, u32_at(raw, 0) as i32)
                            .map_err(Failure::failed)?;
                        fds.push((spot + 4 * i, file));
                    }
                }
                _ => unreachable!("sized above"),
            }
        }
        Ok(())
    }

    /// Writes `node` into a flat object for `to_proc`: its own binder if it owns the node,
    /// else its handle, taking the reference the buffer holds until it is freed.
    fn put_node(
        &mut self,
        to_proc: ProcId,
        node: NodeId,
        strong: bool,
        object: &mut [u8],
        held: &mut Vec<Held>,
        sender: Option<(ProcId, u32)>,
    ) {
        let n = &self.nodes[&node];
        if n.owner == to_proc {
            let (ptr, cookie) = (n.ptr, n.cookie);
            let n = self.nodes.get_mut(&node).expect("checked");
            if strong {
                n.local_strong += 1;
            } else {
                n.local_weak += 1;
            }
            object[0..4]
                .copy_from_slice(&(if strong { TYPE_BINDER } else { TYPE_WEAK_BINDER }).to_le_bytes());
            object[8..16].copy_from_slice(&ptr.to_le_bytes());
            object[16..24].copy_from_slice(&cookie.to_le_bytes());
            held.push(Held::Node { node, strong });
            self.node_changed(node, sender);
        } else {
            let handle = self.ref_for_node(to_proc, node);
            self.count_ref(to_proc, handle, strong);
            object[0..4]
                .copy_from_slice(&(if strong { TYPE_HANDLE } else { TYPE_WEAK_HANDLE }).to_le_bytes());
            object[8..16].copy_from_slice(&u64::from(handle).to_le_bytes());
            object[16..24].copy_from_slice(&0u64.to_le_bytes());
            held.push(Held::Ref { handle, strong });
            self.node_changed(node, sender);
        }
    }

    /// What the read buffer gets from the thread's and (when it may take it) its process's
    /// work, for [`hand_over`] to copy out. `Ok(None)`: nothing to return, the thread waits.
    fn read(
        &mut self,
        guest: &mut dyn Guest,
        proc: ProcId,
        tid: u32,
        call: u64,
        bwr: &WriteRead,
    ) -> Result<Option<Vec<u8>>, i32> {
        if bwr.read_consumed > bwr.read_size {
            return Err(EINVAL);
        }
        let room = usize::try_from(bwr.read_size - bwr.read_consumed).map_err(|_| EINVAL)?;
        let fresh = bwr.read_consumed == 0;
        if !self.has_work(proc, tid) {
            return Ok(None);
        }
        let mut out: Vec<u8> = Vec::new();
        if fresh {
            if room < 4 {
                return Err(EINVAL);
            }
            out.extend_from_slice(&BR_NOOP.to_le_bytes());
        }
        loop {
            if room - out.len() < READ_ITEM {
                break;
            }
            let Some((work, from_proc_list)) = self.next_work(proc, tid) else {
                break;
            };
            match self.deliver(guest, proc, tid, call, work, &mut out) {
                Ok(Delivered::More) => {}
                Ok(Delivered::Stop) => break,
                Err(work) => {
                    // Could not deliver (the mapping is gone): back to where it came from.
                    let p = self.proc_mut(proc);
                    if from_proc_list {
                        p.todo.push_front(work);
                    } else {
                        p.threads.entry(tid).or_default().todo.push_front(work);
                    }
                    break;
                }
            }
        }
        if fresh && out.len() == 4 {
            return Ok(None);
        }
        // Ask for one more looper when none is idle and the process allows more.
        let p = &self.procs[&proc];
        let idle = p
            .threads
            .iter()
            .filter(|(t, th)| {
                **t != tid
                    && th.parked.is_some()
                    && th.stack.is_empty()
                    && th.looper & (LOOPER_REGISTERED | LOOPER_ENTERED) != 0
            })
            .count();
        let looper = p.threads.get(&tid).map_or(0, |t| t.looper);
        if fresh
            && p.requested_threads == 0
            && idle == 0
            && p.requested_threads_started < p.max_threads
            && looper & (LOOPER_REGISTERED | LOOPER_ENTERED) != 0
        {
            out[0..4].copy_from_slice(&BR_SPAWN_LOOPER.to_le_bytes());
            self.proc_mut(proc).requested_threads += 1;
        }
        Ok(Some(out))
    }

    /// Whether a read by the thread would return something ([`Thread::has_work`]).
    fn has_work(&self, proc: ProcId, tid: u32) -> bool {
        self.procs
            .get(&proc)
            .and_then(|p| Some(p.threads.get(&tid)?.has_work(&p.todo)))
            .unwrap_or(false)
    }

    /// The next work item for the thread: its own, else its process's when it is a looper
    /// with nothing of its own pending. The flag says which list it came from.
    fn next_work(&mut self, proc: ProcId, tid: u32) -> Option<(Work, bool)> {
        let p = self.proc_mut(proc);
        let thread = p.threads.entry(tid).or_default();
        if let Some(work) = thread.todo.pop_front() {
            return Some((work, false));
        }
        if thread.takes_proc_work() {
            return p.todo.pop_front().map(|w| (w, true));
        }
        None
    }

    fn deliver(
        &mut self,
        guest: &mut dyn Guest,
        proc: ProcId,
        tid: u32,
        call: u64,
        work: Work,
        out: &mut Vec<u8>,
    ) -> Result<Delivered, Work> {
        let put = |out: &mut Vec<u8>, cmd: u32, payload: &[u64]| {
            out.extend_from_slice(&cmd.to_le_bytes());
            for v in payload {
                out.extend_from_slice(&v.to_le_bytes());
            }
        };
        match work {
            Work::Complete { .. } => put(out, BR_TRANSACTION_COMPLETE, &[]),
            Work::ReturnError(code) => {
                put(out, code, &[]);
                return Ok(Delivered::Stop);
            }
            Work::ClearDeathDone(cookie) => put(out, BR_CLEAR_DEATH_NOTIFICATION_DONE, &[cookie]),
            Work::DeadBinder(cookie) => {
                put(out, BR_DEAD_BINDER, &[cookie]);
                self.proc_mut(proc).delivered_deaths.insert(cookie, false);
                return Ok(Delivered::Stop);
            }
            Work::Node(node, _) => {
                let Some(n) = self.nodes.get_mut(&node) else {
                    return Ok(Delivered::More);
                };
                n.work_queued = false;
                let (strong, weak) = n.wanted();
                let (ptr, cookie) = (n.ptr, n.cookie);
                if weak && !n.has_weak {
                    n.has_weak = true;
                    n.pending_weak = true;
                    n.local_weak += 1;
                    put(out, BR_INCREFS, &[ptr, cookie]);
                }
                if strong && !n.has_strong {
                    n.has_strong = true;
                    n.pending_strong = true;
                    n.local_strong += 1;
                    put(out, BR_ACQUIRE, &[ptr, cookie]);
                }
                if !strong && n.has_strong {
                    n.has_strong = false;
                    put(out, BR_RELEASE, &[ptr, cookie]);
                }
                if !weak && n.has_weak {
                    n.has_weak = false;
                    put(out, BR_DECREFS, &[ptr, cookie]);
                }
                self.node_changed(node, None);
            }
            Work::Transaction(tx) | Work::Reply(tx) => {
                let Some(mut t) = self.txs.remove(&tx) else {
                    return Ok(Delivered::More);
                };
                // Descriptors go into the receiver now, as the kernel installs them at read.
                let mut numbers = Vec::new();
                for (at, file) in &t.fds {
                    match guest.install_fd(call, file.as_fd()) {
                        Ok(n) => numbers.push((*at, n)),
                        Err(_) => {
                            self.txs.insert(tx, t);
                            self.fail_transaction(tx, BR_FAILED_REPLY);
                            return Ok(Delivered::More);
                        }
                    }
                }
                t.fds.clear();
                let p = self.proc_mut(proc);
                for (at, n) in numbers {
                    p.map.write(at, &(n as u32).to_le_bytes());
                }
                let Some(base) = p.base else {
                    self.txs.insert(tx, t);
                    return Err(if matches!(work, Work::Reply(_)) {
                        Work::Reply(tx)
                    } else {
                        Work::Transaction(tx)
                    });
                };
                let Some(buffer) = p.buffers.get_mut(&t.buffer) else {
                    return Ok(Delivered::More);
                };
                buffer.user_free = true;
                let (data_size, offsets_size) = (buffer.data_size, buffer.offsets_size);
                let data = base + t.buffer as u64;
                let offsets = data + align8(data_size) as u64;
                let (target, cookie) = match t.node.and_then(|n| self.nodes.get(&n)) {
                    Some(n) if !t.reply => (n.ptr, n.cookie),
                    _ => (0, 0),
                };
                let sender_pid = t
                    .from
                    .and_then(|(p, _)| self.procs.get(&p))
                    .map_or(0, |p| p.guest_pid);
                let mut tr = Vec::with_capacity(TRANSACTION_DATA_EXT_SIZE);
                tr.extend_from_slice(&target.to_le_bytes());
                tr.extend_from_slice(&cookie.to_le_bytes());
                tr.extend_from_slice(&t.code.to_le_bytes());
                tr.extend_from_slice(&t.flags.to_le_bytes());
                tr.extend_from_slice(&sender_pid.to_le_bytes());
                tr.extend_from_slice(&t.sender_euid.to_le_bytes());
                tr.extend_from_slice(&(data_size as u64).to_le_bytes());
                tr.extend_from_slice(&(offsets_size as u64).to_le_bytes());
                tr.extend_from_slice(&data.to_le_bytes());
                tr.extend_from_slice(&offsets.to_le_bytes());
                let cmd = match (t.reply, t.security_context) {
                    (true, _) => BR_REPLY,
                    (false, Some(at)) => {
                        tr.extend_from_slice(&(base + at as u64).to_le_bytes());
                        BR_TRANSACTION_SEC_CTX
                    }
                    (false, None) => BR_TRANSACTION,
                };
                out.extend_from_slice(&cmd.to_le_bytes());
                out.extend_from_slice(&tr);
                if !t.reply && t.from.is_some() {
                    // A two-way call: this thread owes the reply.
                    t.to_thread = Some(tid);
                    self.thread_mut(proc, tid).stack.push(tx);
                    self.txs.insert(tx, t);
                } else if let Some(b) = self.proc_mut(proc).buffers.get_mut(&t.buffer) {
                    b.tx = None;
                }
                return Ok(Delivered::Stop);
            }
        }
        Ok(Delivered::More)
    }

    /// The thread's read could not be written to its buffer: a two-way call the read took (now
    /// on the thread's stack above `depth`) fails with `BR_FAILED_REPLY`, as the kernel fails
    /// a transaction it could not copy out, instead of waiting for a reply nobody will send.
    fn fail_undelivered(&mut self, proc: ProcId, tid: u32, depth: usize) {
        let taken: Vec<TxId> = self
            .procs
            .get(&proc)
            .and_then(|p| p.threads.get(&tid))
            .and_then(|thread| thread.stack.get(depth..))
            .map(<[TxId]>::to_vec)
            .unwrap_or_default();
        for tx in taken.into_iter().rev() {
            self.fail_transaction(tx, BR_FAILED_REPLY);
        }
    }

    fn stack_depth(&self, proc: ProcId, tid: u32) -> usize {
        self.procs
            .get(&proc)
            .and_then(|p| p.threads.get(&tid))
            .map_or(0, |thread| thread.stack.len())
    }

    /// Ends transaction `tx` unanswered: its waiting sender reads `code`.
    fn fail_transaction(&mut self, tx: TxId, code: u32) {
        let Some(t) = self.forget_transaction(tx) else {
            return;
        };
        if let Some(p) = self.procs.get_mut(&t.to_proc)
            && let Some(b) = p.buffers.remove(&t.buffer)
        {
            p.alloc.free(t.buffer);
            self.release_held(t.to_proc, b.held);
        }
        if let Some((proc, tid)) = t.from
            && let Some(p) = self.procs.get_mut(&proc)
        {
            p.threads
                .entry(tid)
                .or_default()
                .todo
                .push_back(Work::ReturnError(code));
        }
    }

    /// Removes transaction `tx`, and its place on its sender's and receiver's stacks, where
    /// it may be anywhere if the guest broke the nesting.
    fn forget_transaction(&mut self, tx: TxId) -> Option<Transaction> {
        let t = self.txs.remove(&tx)?;
        let ends = [t.from, t.to_thread.map(|thread| (t.to_proc, thread))];
        for (proc, tid) in ends.into_iter().flatten() {
            if let Some(thread) = self.procs.get_mut(&proc).and_then(|p| p.threads.get_mut(&tid)) {
                thread.stack.retain(|&x| x != tx);
            }
        }
        Some(t)
    }

    /// `BINDER_THREAD_EXIT`: calls the thread was answering fail with `BR_DEAD_REPLY`; replies
    /// to calls it made go nowhere.
    fn thread_exit(&mut self, proc: ProcId, tid: u32) {
        let Some(thread) = self.proc_mut(proc).threads.remove(&tid) else {
            return;
        };
        for tx in thread.stack.into_iter().rev() {
            let incoming = self
                .txs
                .get(&tx)
                .is_some_and(|t| t.to_thread == Some(tid) && t.to_proc == proc);
            if incoming {
                self.fail_transaction(tx, BR_DEAD_REPLY);
            } else if let Some(t) = self.txs.get_mut(&tx) {
                t.from = None;
            }
        }
        for work in thread.todo {
            self.drop_work(work);
        }
    }

    /// Work that will never be read: a waiting sender learns its call died.
    fn drop_work(&mut self, work: Work) {
        if let Work::Transaction(tx) | Work::Reply(tx) = work {
            self.fail_transaction(tx, BR_DEAD_REPLY);
        }
    }

    /// The process of binder `proc` is gone (or closed the device): what it served dies,
    /// holders of its nodes get their death notices, its references are dropped.
    pub fn release(&mut self, guest: &mut dyn Guest, proc: ProcId) {
        let Some(mut p) = self.procs.remove(&proc) else {
            return;
        };
        self.by_inode.remove(&p.inode);
        for context in &mut self.contexts {
            if context
                .manager
                .is_some_and(|n| self.nodes.get(&n).is_none_or(|n| n.owner == proc))
            {
                context.manager = None;
            }
        }
        // Calls its threads were answering, and calls queued for it.
        let mut work: Vec<Work> = p.todo.drain(..).collect();
        for (tid, mut thread) in p.threads.drain() {
            // A read still waiting (the device was closed under it: the process itself is
            // alive) ends; for a process that exited, nobody is left to answer.
            if let Some(parked) = thread.parked.take() {
                guest.answer(parked.call, -i64::from(libc::EBADF));
            }
            for tx in thread.stack {
                if self
                    .txs
                    .get(&tx)
                    .is_some_and(|t| t.to_thread == Some(tid) && t.to_proc == proc)
                {
                    work.push(Work::Transaction(tx));
                } else if let Some(t) = self.txs.get_mut(&tx) {
                    t.from = None;
                }
            }
            work.extend(thread.todo);
        }
        // Its nodes die: one-way calls queued on them go, holders are told.
        let owned: Vec<NodeId> = p.nodes.values().copied().collect();
        for node in &owned {
            if let Some(n) = self.nodes.get_mut(node) {
                n.dead = true;
                work.extend(n.async_todo.drain(..).map(Work::Transaction));
            }
        }
        for (&other, q) in &mut self.procs {
            for r in q.refs.values() {
                if owned.contains(&r.node)
                    && let Some(cookie) = r.death
                {
                    q.todo.push_back(Work::DeadBinder(cookie));
                    self.events.push(Event {
                        kind: "death",
                        code: 0,
                        size: other,
                    });
                }
            }
        }
        // Its references let go of other processes' nodes.
        let refs: Vec<Ref> = std::mem::take(&mut p.refs).into_values().collect();
        self.procs.insert(proc, p);
        for w in work {
            self.drop_work(w);
        }
        self.procs.remove(&proc);
        for r in refs {
            if let Some(n) = self.nodes.get_mut(&r.node) {
                n.refs -= 1;
                if r.strong > 0 {
                    n.internal_strong -= 1;
                }
            }
            self.node_changed(r.node, None);
        }
        for node in owned {
            self.nodes.remove(&node);
        }
        self.wake(guest);
    }

    /// Answers every parked read that now has work.
    pub fn wake(&mut self, guest: &mut dyn Guest) {
        loop {
            let mut ready = None;
            'search: for (&proc, p) in &self.procs {
                for (&tid, thread) in &p.threads {
                    if thread.parked.is_none() {
                        continue;
                    }
                    if thread.has_work(&p.todo) {
                        ready = Some((proc, tid));
                        break 'search;
                    }
                }
            }
            let Some((proc, tid)) = ready else { return };
            let parked = self.thread_mut(proc, tid).parked.take().expect("parked");
            if !guest.pending(parked.call) {
                // Its thread was killed: the call is gone, and so is the thread.
                self.thread_exit(proc, tid);
                continue;
            }
            let mut bwr = parked.bwr;
            let depth = self.stack_depth(proc, tid);
            match self.read(guest, proc, tid, parked.call, &bwr) {
                Ok(Some(out)) => {
                    let result = match hand_over(guest, tid, parked.arg, &mut bwr, &out) {
                        Ok(()) => 0,
                        Err(e) => {
                            self.fail_undelivered(proc, tid, depth);
                            -i64::from(e)
                        }
                    };
                    guest.answer(parked.call, result);
                }
                Ok(None) => {
                    self.thread_mut(proc, tid).parked = Some(Parked { bwr, ..parked });
                    return;
                }
                Err(e) => guest.answer(parked.call, -i64::from(e)),
            }
        }
    }
}

const EPROTO: i32 = libc::EPROTO;

#[derive(Debug, Clone, Copy)]
struct Layout {
    /// The receiver's mapping address.
    base: u64,
    /// The buffer's offset in the mapping.
    offset: usize,
    /// Where scatter-gather copies go, and where their room ends.
    sg: usize,
    sg_end: usize,
}

enum Delivered {
    More,
    Stop,
}

impl Node {
    /// Whether the owner must hold a strong and a weak reference, as the kernel computes it.
    fn wanted(&self) -> (bool, bool) {
        let strong = self.internal_strong > 0 || self.local_strong > 0;
        let weak = self.refs > 0 || self.local_weak > 0 || strong;
        (strong, weak)
    }
}

/// Where `bytes` at `parent_offset` of scatter-gather buffer number `parent` (an index into
/// the offsets array) lie in the mapping, if that buffer was copied and holds them.
fn parent_spot(
    buffers: &[(usize, usize, usize)],
    parent: u64,
    parent_offset: u64,
    bytes: usize,
) -> Option<usize> {
    let parent = usize::try_from(parent).ok()?;
    let parent_offset = usize::try_from(parent_offset).ok()?;
    let &(_, at, length) = buffers.iter().find(|(index, _, _)| *index == parent)?;
    (parent_offset.checked_add(bytes)? <= length).then_some(at + parent_offset)
}

fn read_u32(guest: &mut dyn Guest, tid: u32, addr: u64) -> Result<u32, i32> {
    let mut raw = [0u8; 4];
    guest.read(tid, addr, &mut raw)?;
    Ok(u32::from_le_bytes(raw))
}

/// Copies what a read returns (`out`) to the thread's read buffer and the counted
/// `binder_write_read` back to `arg`, in one go. Should that fail, the `binder_write_read` is
/// written alone with nothing counted as read, and the read fails with `EFAULT`, as the
/// kernel's fails when the read buffer cannot be written.
fn hand_over(guest: &mut dyn Guest, tid: u32, arg: u64, bwr: &mut WriteRead, out: &[u8]) -> Result<(), i32> {
    let at = bwr.read_buffer.wrapping_add(bwr.read_consumed);
    let before = bwr.read_consumed;
    bwr.read_consumed += out.len() as u64;
    if guest.write_two(tid, (at, out), (arg, &bwr.bytes())).is_ok() {
        return Ok(());
    }
    bwr.read_consumed = before;
    let _ = guest.write(tid, arg, &bwr.bytes());
    Err(EFAULT)
}

fn done(result: Result<(), i32>) -> Outcome {
    match result {
        Ok(()) => Outcome::Done(0),
        Err(e) => Outcome::Done(-i64::from(e)),
    }
}
