//! The driver's protocol, with a simulated guest: processes are byte arrays, the device
//! mapping is the memfd the shim hands out (read back through its descriptor), and a parked
//! read is answered through the fake. The commands and returns are the kernel's numbers.

use std::collections::{HashMap, HashSet};
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::FileExt;

use binder_shim::uapi::*;
use binder_shim::{Device, Guest, Outcome, ProcId, Shim};

/// Every simulated process's memory starts here; its device mapping at `MAP`.
const MEM: u64 = 0x1000_0000;
const MEM_SIZE: usize = 0x20000;
const MAP: u64 = 0x7000_0000;
const MAP_SIZE: u64 = 1 << 20;
const BWR: u64 = MEM;
const WRITE_AT: u64 = MEM + 0x100;
const READ_AT: u64 = MEM + 0x8000;
const DATA_AT: u64 = MEM + 0x10000;
const READ_SIZE: usize = 0x800;

/// Where thread `tid` keeps its `binder_write_read` and read buffer: threads of one process
/// share its memory, and several may wait in a read at once.
fn slot(tid: u32) -> u64 {
    u64::from((tid + tid / 10) % 8)
}
fn bwr_at(tid: u32) -> u64 {
    BWR + 0x1000 + 0x40 * slot(tid)
}
fn read_at(tid: u32) -> u64 {
    READ_AT + READ_SIZE as u64 * slot(tid)
}

#[derive(Default)]
struct Fake {
    mem: HashMap<u32, Vec<u8>>,
    /// Thread → process (a process's first thread has the process's number).
    process: HashMap<u32, u32>,
    /// Device files by inode, to read the mapping through.
    files: HashMap<u64, std::fs::File>,
    /// Which inode each process mapped.
    mapped: HashMap<u32, u64>,
    answers: Vec<(u64, i64)>,
    gone: HashSet<u64>,
    /// Descriptors taken from senders and installed in receivers: (call, number given).
    installed: Vec<(u64, i32)>,
}

impl Fake {
    fn mem(&mut self, tid: u32) -> &mut Vec<u8> {
        let pid = self.process[&tid];
        self.mem.entry(pid).or_insert_with(|| vec![0; MEM_SIZE])
    }
    fn poke(&mut self, tid: u32, addr: u64, data: &[u8]) {
        let at = (addr - MEM) as usize;
        self.mem(tid)[at..at + data.len()].copy_from_slice(data);
    }
    fn peek(&mut self, tid: u32, addr: u64, len: usize) -> Vec<u8> {
        if addr >= MAP {
            let inode = self.mapped[&self.process[&tid]];
            let mut out = vec![0; len];
            self.files[&inode].read_exact_at(&mut out, addr - MAP).unwrap();
            return out;
        }
        let at = (addr - MEM) as usize;
        self.mem(tid)[at..at + len].to_vec()
    }
}

impl Guest for Fake {
    fn read(&mut self, tid: u32, addr: u64, buf: &mut [u8]) -> Result<(), i32> {
        if addr < MEM || addr + buf.len() as u64 > MEM + MEM_SIZE as u64 {
            return Err(libc::EFAULT);
        }
        let data = self.peek(tid, addr, buf.len());
        buf.copy_from_slice(&data);
        Ok(())
    }
    fn write(&mut self, tid: u32, addr: u64, data: &[u8]) -> Result<(), i32> {
        if addr < MEM || addr + data.len() as u64 > MEM + MEM_SIZE as u64 {
            return Err(libc::EFAULT);
        }
        self.poke(tid, addr, data);
        Ok(())
    }
    fn take_fd(&mut self, _tid: u32, fd: i32) -> Result<OwnedFd, i32> {
        // SAFETY: test-only: duplicates a descriptor of this process.
        let dup = unsafe { libc::dup(fd) };
        if dup < 0 {
            return Err(libc::EBADF);
        }
        // SAFETY: `dup` is a new descriptor nobody else owns.
        Ok(unsafe { std::os::fd::FromRawFd::from_raw_fd(dup) })
    }
    fn install_fd(&mut self, call: u64, file: BorrowedFd<'_>) -> Result<i32, i32> {
        let n = 100 + self.installed.len() as i32;
        let _ = file.as_raw_fd();
        self.installed.push((call, n));
        Ok(n)
    }
    fn answer(&mut self, call: u64, result: i64) {
        self.answers.push((call, result));
    }
    fn pending(&mut self, call: u64) -> bool {
        !self.gone.contains(&call)
    }
    fn mapping(&mut self, tid: u32, inode: u64) -> Option<(u64, u64)> {
        let pid = self.process[&tid];
        (self.mapped.get(&pid) == Some(&inode)).then_some((MAP, MAP_SIZE))
    }
}

/// One simulated process with the device open and mapped.
#[derive(Clone, Copy)]
struct Peer {
    tid: u32,
    proc: ProcId,
}

fn open(shim: &mut Shim, fake: &mut Fake, pid: u32, device: Device) -> Peer {
    fake.process.insert(pid, pid);
    let (proc, fd) = shim.open(device, pid, pid + 1000, 10_000 + pid).unwrap();
    let inode = shim.inode(proc).unwrap();
    fake.files.insert(inode, std::fs::File::from(fd));
    fake.mapped.insert(pid, inode);
    Peer { tid: pid, proc }
}

fn thread_of(fake: &mut Fake, peer: Peer, tid: u32) -> Peer {
    fake.process.insert(tid, peer.tid);
    Peer { tid, proc: peer.proc }
}

/// Commands as bytes.
#[derive(Default)]
struct Commands(Vec<u8>);

impl Commands {
    fn cmd(mut self, cmd: u32) -> Self {
        self.0.extend_from_slice(&cmd.to_le_bytes());
        self
    }
    fn u32(mut self, v: u32) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u64(mut self, v: u64) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// `BC_TRANSACTION`/`BC_REPLY` with `binder_transaction_data` whose data and offsets
    /// are at `DATA_AT` (placed by `send`).
    fn transaction(
        self,
        cmd: u32,
        handle: u32,
        code: u32,
        flags: u32,
        data_size: usize,
        offsets: usize,
    ) -> Self {
        self.cmd(cmd)
            .u64(u64::from(handle))
            .u64(0)
            .u32(code)
            .u32(flags)
            .u32(0)
            .u32(0)
            .u64(data_size as u64)
            .u64((offsets * 8) as u64)
            .u64(DATA_AT)
            .u64(DATA_AT + 0x800)
    }
}

/// What a read returned, decoded: each return with its payload.
#[derive(Debug, Clone, PartialEq)]
enum Ret {
    Noop,
    Complete,
    SpawnLooper,
    DeadReply,
    FailedReply,
    Refs(u32, u64, u64),
    Dead(u64),
    ClearDone(u64),
    Transaction(Tx),
}

#[derive(Debug, Clone, PartialEq)]
struct Tx {
    reply: bool,
    target: u64,
    cookie: u64,
    code: u32,
    flags: u32,
    sender_pid: u32,
    sender_euid: u32,
    data: Vec<u8>,
    offsets: Vec<u64>,
    buffer: u64,
    security_context: Option<String>,
}

fn decode(fake: &mut Fake, tid: u32, bytes: &[u8]) -> Vec<Ret> {
    let mut out = Vec::new();
    let mut at = 0;
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
    let u64_at = |b: &[u8], i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
    while at < bytes.len() {
        let cmd = u32_at(bytes, at);
        let p = at + 4;
        let size = ((cmd >> 16) & 0x3fff) as usize;
        out.push(match cmd {
            BR_NOOP => Ret::Noop,
            BR_TRANSACTION_COMPLETE => Ret::Complete,
            BR_SPAWN_LOOPER => Ret::SpawnLooper,
            BR_DEAD_REPLY => Ret::DeadReply,
            BR_FAILED_REPLY => Ret::FailedReply,
            BR_INCREFS | BR_ACQUIRE | BR_RELEASE | BR_DECREFS => {
                Ret::Refs(cmd, u64_at(bytes, p), u64_at(bytes, p + 8))
            }
            BR_DEAD_BINDER => Ret::Dead(u64_at(bytes, p)),
            BR_CLEAR_DEATH_NOTIFICATION_DONE => Ret::ClearDone(u64_at(bytes, p)),
            BR_TRANSACTION | BR_REPLY | BR_TRANSACTION_SEC_CTX => {
                let data_size = u64_at(bytes, p + 32) as usize;
                let offsets_size = u64_at(bytes, p + 40) as usize;
                let buffer = u64_at(bytes, p + 48);
                let offsets = fake.peek(tid, u64_at(bytes, p + 56), offsets_size);
                let security_context = (cmd == BR_TRANSACTION_SEC_CTX).then(|| {
                    let raw = fake.peek(tid, u64_at(bytes, p + 64), 64);
                    String::from_utf8(raw.split(|&b| b == 0).next().unwrap().to_vec()).unwrap()
                });
                Ret::Transaction(Tx {
                    reply: cmd == BR_REPLY,
                    target: u64_at(bytes, p),
                    cookie: u64_at(bytes, p + 8),
                    code: u32_at(bytes, p + 16),
                    flags: u32_at(bytes, p + 20),
                    sender_pid: u32_at(bytes, p + 24),
                    sender_euid: u32_at(bytes, p + 28),
                    data: fake.peek(tid, buffer, data_size),
                    offsets: offsets.chunks(8).map(|c| u64_at(c, 0)).collect(),
                    buffer,
                    security_context,
                })
            }
            other => panic!("unexpected return {other:#x}"),
        });
        at = p + size;
    }
    out
}

struct World {
    shim: Shim,
    fake: Fake,
    call: u64,
}

impl World {
    fn new() -> World {
        World {
            shim: Shim::new(),
            fake: Fake::default(),
            call: 0,
        }
    }

    fn open(&mut self, pid: u32) -> Peer {
        open(&mut self.shim, &mut self.fake, pid, Device::Binder)
    }

    fn ioctl(&mut self, peer: Peer, cmd: u32, arg: u64) -> (u64, Outcome) {
        self.call += 1;
        let call = self.call;
        (
            call,
            self.shim
                .ioctl(&mut self.fake, peer.proc, peer.tid, call, cmd, arg),
        )
    }

    /// `BINDER_WRITE_READ` with these commands, `data` and `offsets` placed where
    /// `Commands::transaction` points, and a read buffer when `read`. Returns the call and
    /// what it read, or `None` when it parked.
    fn write_read(
        &mut self,
        peer: Peer,
        commands: Commands,
        data: &[u8],
        offsets: &[u64],
        read: bool,
    ) -> (u64, Option<Vec<Ret>>) {
        self.fake.poke(peer.tid, WRITE_AT, &commands.0);
        self.fake.poke(peer.tid, DATA_AT, data);
        let raw: Vec<u8> = offsets.iter().flat_map(|o| o.to_le_bytes()).collect();
        self.fake.poke(peer.tid, DATA_AT + 0x800, &raw);
        let bwr = Commands::default()
            .u64(commands.0.len() as u64)
            .u64(0)
            .u64(WRITE_AT)
            .u64(if read { READ_SIZE as u64 } else { 0 })
            .u64(0)
            .u64(read_at(peer.tid));
        self.fake.poke(peer.tid, bwr_at(peer.tid), &bwr.0);
        let (call, outcome) = self.ioctl(peer, BINDER_WRITE_READ, bwr_at(peer.tid));
        match outcome {
            Outcome::Done(0) => (call, Some(self.returns(peer))),
            Outcome::Done(e) => panic!("BINDER_WRITE_READ failed: {e}"),
            Outcome::Parked => (call, None),
        }
    }

    fn returns(&mut self, peer: Peer) -> Vec<Ret> {
        let bwr = self.fake.peek(peer.tid, bwr_at(peer.tid), 48);
        let consumed = u64::from_le_bytes(bwr[32..40].try_into().unwrap()) as usize;
        let bytes = self.fake.peek(peer.tid, read_at(peer.tid), consumed);
        decode(&mut self.fake, peer.tid, &bytes)
    }

    /// The returns of a parked call, once answered.
    fn answered(&mut self, peer: Peer, call: u64) -> Option<Vec<Ret>> {
        let i = self.fake.answers.iter().position(|(c, _)| *c == call)?;
        let (_, result) = self.fake.answers.remove(i);
        assert_eq!(result, 0);
        Some(self.returns(peer))
    }

    fn looper(&mut self, peer: Peer) {
        let (_, r) = self.write_read(peer, Commands::default().cmd(BC_ENTER_LOOPER), &[], &[], false);
        assert_eq!(r, Some(vec![]));
    }
}

fn transaction(returns: &[Ret]) -> Tx {
    returns
        .iter()
        .find_map(|r| match r {
            Ret::Transaction(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no transaction in {returns:?}"))
}

fn flat(kind: u32, flags: u32, value: u64, cookie: u64) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&kind.to_le_bytes());
    v.extend_from_slice(&flags.to_le_bytes());
    v.extend_from_slice(&value.to_le_bytes());
    v.extend_from_slice(&cookie.to_le_bytes());
    v
}

/// The client sends its binder (`ptr`, `cookie`) to the manager waiting in `wait`: the
/// transaction the manager read, and the handle it got.
fn hand_binder(w: &mut World, client: Peer, manager: Peer, wait: u64, ptr: u64, cookie: u64) -> (Tx, u32) {
    let object = flat(TYPE_BINDER, 0, ptr, cookie);
    w.write_read(
        client,
        Commands::default().transaction(BC_TRANSACTION, 0, 1, 0, 24, 1),
        &object,
        &[0],
        true,
    );
    let tx = transaction(&w.answered(manager, wait).unwrap());
    let handle = u32::from_le_bytes(tx.data[8..12].try_into().unwrap());
    (tx, handle)
}

/// A context manager (pid 1) waiting in its looper, and a client (pid 2).
fn manager_and_client(w: &mut World) -> (Peer, Peer, u64) {
    let manager = w.open(1);
    let client = w.open(2);
    let (_, version) = w.ioctl(client, BINDER_VERSION, MEM + 0x40);
    assert_eq!(version, Outcome::Done(0));
    assert_eq!(w.fake.peek(client.tid, MEM + 0x40, 4), 8i32.to_le_bytes());
    assert_eq!(
        w.ioctl(manager, BINDER_SET_CONTEXT_MGR, MEM + 0x40).1,
        Outcome::Done(0)
    );
    assert_eq!(
        w.ioctl(client, BINDER_SET_CONTEXT_MGR, MEM + 0x40).1,
        Outcome::Done(-i64::from(libc::EBUSY))
    );
    w.looper(manager);
    let (wait, r) = w.write_read(manager, Commands::default(), &[], &[], true);
    assert_eq!(r, None, "an idle looper waits");
    (manager, client, wait)
}

#[test]
fn a_two_way_call_reaches_the_context_manager_and_its_reply_comes_back() {
    let mut w = World::new();
    let (manager, client, wait) = manager_and_client(&mut w);
    let (client_wait, r) = w.write_read(
        client,
        Commands::default().transaction(BC_TRANSACTION, 0, 7, TF_ACCEPT_FDS, 5, 0),
        b"hello",
        &[],
        true,
    );
    // As in the kernel, the caller's BR_TRANSACTION_COMPLETE is deferred: its read waits for
    // the reply and returns both.
    assert_eq!(r, None);
    let got = w.answered(manager, wait).expect("the manager's read is answered");
    let tx = transaction(&got);
    assert_eq!((tx.reply, tx.code, tx.data.as_slice()), (false, 7, &b"hello"[..]));
    assert_eq!(
        (tx.sender_pid, tx.sender_euid),
        (1002, 10_002),
        "guest ids of the sender"
    );
    assert!(
        tx.buffer >= MAP && tx.buffer < MAP + MAP_SIZE,
        "in the receiver's mapping"
    );
    // The manager frees the buffer and replies.
    let reply = Commands::default()
        .cmd(BC_FREE_BUFFER)
        .u64(tx.buffer)
        .transaction(BC_REPLY, 0, 0, 0, 5, 0);
    let (_, r) = w.write_read(manager, reply, b"world", &[], true);
    assert_eq!(r, Some(vec![Ret::Noop, Ret::Complete]));
    let got = w.answered(client, client_wait).unwrap();
    assert_eq!(got[..2], [Ret::Noop, Ret::Complete]);
    let reply = transaction(&got);
    assert!(reply.reply);
    assert_eq!(reply.data, b"world");
    assert_eq!(w.shim.buffer_bytes(manager.proc), 0, "freed");
    // A second reply has nothing to answer.
    let (_, r) = w.write_read(
        manager,
        Commands::default().transaction(BC_REPLY, 0, 0, 0, 0, 0),
        &[],
        &[],
        true,
    );
    assert_eq!(r, Some(vec![Ret::Noop, Ret::FailedReply]));
}

#[test]
fn a_binder_becomes_a_handle_and_calls_on_it_reach_its_owner() {
    let mut w = World::new();
    let (manager, client, wait) = manager_and_client(&mut w);
    // The client sends its binder (ptr 0x1234, cookie 0x5678) to the manager.
    let object = flat(TYPE_BINDER, FLAT_BINDER_FLAG_ACCEPTS_FDS, 0x1234, 0x5678);
    let (client_wait, r) = w.write_read(
        client,
        Commands::default().transaction(BC_TRANSACTION, 0, 1, 0, 24, 1),
        &object,
        &[0],
        true,
    );
    assert_eq!(r, None, "the caller waits for the reply");
    let tx = transaction(&w.answered(manager, wait).unwrap());
    assert_eq!(tx.offsets, vec![0]);
    assert_eq!(tx.data[..4], TYPE_HANDLE.to_le_bytes());
    let handle = u32::from_le_bytes(tx.data[8..12].try_into().unwrap());
    assert_eq!(handle, 1, "the first handle after the manager's 0");
    assert_eq!(tx.data[16..24], [0; 8], "no cookie crosses");
    // The manager takes its own strong reference, frees the buffer and replies.
    let cmds = Commands::default()
        .cmd(BC_ACQUIRE)
        .u32(handle)
        .cmd(BC_FREE_BUFFER)
        .u64(tx.buffer)
        .transaction(BC_REPLY, 0, 0, 0, 0, 0);
    w.write_read(manager, cmds, &[], &[], false);
    // With the reply, the owner is asked to keep its object alive (deferred, as the kernel
    // defers node work queued on the sending thread).
    let r = w.answered(client, client_wait).unwrap();
    assert_eq!(
        r[..4],
        [
            Ret::Noop,
            Ret::Refs(BR_INCREFS, 0x1234, 0x5678),
            Ret::Refs(BR_ACQUIRE, 0x1234, 0x5678),
            Ret::Complete
        ]
    );
    assert!(matches!(transaction(&r), Tx { reply: true, .. }));
    let acks = Commands::default()
        .cmd(BC_ACQUIRE_DONE)
        .u64(0x1234)
        .u64(0x5678)
        .cmd(BC_INCREFS_DONE)
        .u64(0x1234)
        .u64(0x5678);
    w.write_read(client, acks, &[], &[], false);
    // A call on the handle arrives at the client as a call on its binder.
    w.looper(client);
    let (client_wait, r) = w.write_read(client, Commands::default(), &[], &[], true);
    assert_eq!(r, None);
    let manager_thread = thread_of(&mut w.fake, manager, 11);
    let (_, r) = w.write_read(
        manager_thread,
        Commands::default().transaction(BC_TRANSACTION, handle, 9, TF_ONE_WAY, 3, 0),
        b"abc",
        &[],
        true,
    );
    assert_eq!(r, Some(vec![Ret::Noop, Ret::Complete]));
    let tx = transaction(&w.answered(client, client_wait).unwrap());
    assert_eq!(
        (tx.target, tx.cookie, tx.code, tx.data.as_slice()),
        (0x1234, 0x5678, 9, &b"abc"[..])
    );
    assert_eq!(tx.flags & TF_ONE_WAY, TF_ONE_WAY);
    assert_eq!(
        tx.sender_pid, 0,
        "one-way calls carry no sender pid, as in the kernel"
    );
    // When the manager lets go of its last reference, the owner is told to release.
    w.write_read(
        client,
        Commands::default().cmd(BC_FREE_BUFFER).u64(tx.buffer),
        &[],
        &[],
        false,
    );
    w.write_read(
        manager,
        Commands::default().cmd(BC_RELEASE).u32(handle),
        &[],
        &[],
        false,
    );
    let r = w
        .write_read(client, Commands::default(), &[], &[], true)
        .1
        .unwrap();
    assert_eq!(
        r,
        vec![
            Ret::Noop,
            Ret::Refs(BR_RELEASE, 0x1234, 0x5678),
            Ret::Refs(BR_DECREFS, 0x1234, 0x5678)
        ]
    );
}

#[test]
fn one_way_calls_to_a_node_arrive_one_at_a_time_in_order() {
    let mut w = World::new();
    let (manager, client, wait) = manager_and_client(&mut w);
    for i in 0..5u8 {
        let (_, r) = w.write_read(
            client,
            Commands::default().transaction(BC_TRANSACTION, 0, u32::from(i), TF_ONE_WAY, 1, 0),
            &[i],
            &[],
            true,
        );
        assert_eq!(r, Some(vec![Ret::Noop, Ret::Complete]));
    }
    let tx = transaction(&w.answered(manager, wait).unwrap());
    assert_eq!(tx.data, [0]);
    // While that buffer is held, nothing more comes, even to another idle looper.
    let second = thread_of(&mut w.fake, manager, 21);
    w.looper(second);
    let (second_wait, r) = w.write_read(second, Commands::default(), &[], &[], true);
    assert_eq!(r, None);
    // Freeing it releases the next, to the looper that waits.
    w.write_read(
        manager,
        Commands::default().cmd(BC_FREE_BUFFER).u64(tx.buffer),
        &[],
        &[],
        false,
    );
    let mut tx = transaction(&w.answered(second, second_wait).expect("the next one-way call"));
    for i in 1..5u8 {
        assert_eq!(tx.data, [i]);
        if i < 4 {
            let r = w
                .write_read(
                    second,
                    Commands::default().cmd(BC_FREE_BUFFER).u64(tx.buffer),
                    &[],
                    &[],
                    true,
                )
                .1;
            tx = transaction(&r.unwrap());
        }
    }
}

#[test]
fn death_notices_reach_holders_and_dead_calls_fail() {
    let mut w = World::new();
    let (manager, client, wait) = manager_and_client(&mut w);
    // The manager holds a handle on the client's binder and asks to hear of its death.
    let (tx, handle) = hand_binder(&mut w, client, manager, wait, 0x99, 0x98);
    let cmds = Commands::default()
        .cmd(BC_ACQUIRE)
        .u32(handle)
        .cmd(BC_REQUEST_DEATH_NOTIFICATION)
        .u32(handle)
        .u64(0xdead)
        .cmd(BC_FREE_BUFFER)
        .u64(tx.buffer);
    w.write_read(manager, cmds, &[], &[], false);
    // The client is still waiting for its reply when it dies. The serving thread owes a
    // reply, so (as in the kernel) the notice goes to an idle looper of the manager.
    let idle = thread_of(&mut w.fake, manager, 31);
    w.looper(idle);
    let (wait, r) = w.write_read(idle, Commands::default(), &[], &[], true);
    assert_eq!(r, None);
    w.shim.release(&mut w.fake, client.proc);
    let r = w.answered(idle, wait).expect("the death wakes the idle looper");
    assert_eq!(r, vec![Ret::Noop, Ret::Dead(0xdead)]);
    // Its reply goes nowhere. As in the kernel (a reply's failure goes to the call's sender,
    // `binder_send_failed_reply`, which finds no thread), the replier's part is done: it
    // reads BR_TRANSACTION_COMPLETE.
    let r = w
        .write_read(
            manager,
            Commands::default()
                .cmd(BC_DEAD_BINDER_DONE)
                .u64(0xdead)
                .transaction(BC_REPLY, 0, 0, 0, 0, 0),
            &[],
            &[],
            true,
        )
        .1;
    assert_eq!(r, Some(vec![Ret::Noop, Ret::Complete]));
    // A call on the dead handle fails the same way.
    let r = w
        .write_read(
            manager,
            Commands::default().transaction(BC_TRANSACTION, handle, 1, 0, 0, 0),
            &[],
            &[],
            true,
        )
        .1;
    assert_eq!(r, Some(vec![Ret::Noop, Ret::DeadReply]));
    // A client whose server dies mid-call reads BR_DEAD_REPLY.
    let client2 = w.open(3);
    let (wait2, r) = w.write_read(
        client2,
        Commands::default().transaction(BC_TRANSACTION, 0, 1, 0, 0, 0),
        &[],
        &[],
        true,
    );
    assert_eq!(r, None);
    w.shim.release(&mut w.fake, manager.proc);
    assert_eq!(
        w.answered(client2, wait2),
        Some(vec![Ret::Noop, Ret::Complete, Ret::DeadReply])
    );
    // And with no context manager, a call to handle 0 is dead at once.
    let r = w
        .write_read(
            client2,
            Commands::default().transaction(BC_TRANSACTION, 0, 1, 0, 0, 0),
            &[],
            &[],
            true,
        )
        .1;
    assert_eq!(r, Some(vec![Ret::Noop, Ret::DeadReply]));
}

#[test]
fn nested_calls_return_to_the_waiting_thread() {
    let mut w = World::new();
    let (manager, client, wait) = manager_and_client(&mut w);
    // The client (thread 2) calls the manager with its binder; while serving, the manager
    // calls back into the client: the call goes to thread 2, which is waiting in the chain,
    // not to the client's looper thread 12.
    let looper = thread_of(&mut w.fake, client, 12);
    w.looper(looper);
    let (looper_wait, _) = w.write_read(looper, Commands::default(), &[], &[], true);
    let object = flat(TYPE_BINDER, 0, 0x42, 0x43);
    w.write_read(
        client,
        Commands::default().transaction(BC_TRANSACTION, 0, 1, 0, 24, 1),
        &object,
        &[0],
        false,
    );
    let (client_wait, r) = w.write_read(client, Commands::default(), &[], &[], true);
    assert_eq!(r, None);
    let tx = transaction(&w.answered(manager, wait).unwrap());
    let handle = u32::from_le_bytes(tx.data[8..12].try_into().unwrap());
    let (_, r) = w.write_read(
        manager,
        Commands::default().transaction(BC_TRANSACTION, handle, 2, 0, 0, 0),
        &[],
        &[],
        false,
    );
    assert_eq!(r, Some(vec![]));
    let nested = transaction(
        &w.answered(client, client_wait)
            .expect("thread 2 gets the nested call"),
    );
    assert_eq!((nested.code, nested.target), (2, 0x42));
    assert!(
        !w.fake.answers.iter().any(|(c, _)| *c == looper_wait),
        "the looper stays idle"
    );
    // Thread 2 replies; the manager gets it, then replies to the original call.
    w.write_read(
        client,
        Commands::default().transaction(BC_REPLY, 0, 0, 0, 0, 0),
        &[],
        &[],
        false,
    );
    let r = w
        .write_read(manager, Commands::default(), &[], &[], true)
        .1
        .unwrap();
    assert!(transaction(&r).reply);
    let r = w
        .write_read(
            manager,
            Commands::default().transaction(BC_REPLY, 0, 0, 0, 1, 0),
            b"z",
            &[],
            true,
        )
        .1;
    assert_eq!(r, Some(vec![Ret::Noop, Ret::Complete]));
    let r = w
        .write_read(client, Commands::default(), &[], &[], true)
        .1
        .unwrap();
    assert_eq!(transaction(&r).data, b"z");
}

#[test]
fn descriptors_and_scatter_gather_buffers_are_translated() {
    let mut w = World::new();
    let manager = w.open(1);
    let client = w.open(2);
    // A manager that accepts descriptors and asks for security contexts (as Android's does).
    w.fake.poke(
        manager.tid,
        MEM + 0x40,
        &flat(
            TYPE_BINDER,
            FLAT_BINDER_FLAG_ACCEPTS_FDS | FLAT_BINDER_FLAG_TXN_SECURITY_CTX,
            0,
            0,
        ),
    );
    assert_eq!(
        w.ioctl(manager, BINDER_SET_CONTEXT_MGR_EXT, MEM + 0x40).1,
        Outcome::Done(0)
    );
    w.looper(manager);
    let (wait, _) = w.write_read(manager, Commands::default(), &[], &[], true);
    // Data: an fd object, then a buffer object pointing at 16 bytes that hold a pointer
    // (fixed up) and then an fd array of one in that buffer.
    let file = std::fs::File::open("/dev/null").unwrap();
    let mut data = flat(TYPE_FD, 0, file.as_raw_fd() as u64, 0);
    let payload_at = DATA_AT + 0x400;
    let mut ptr_object = Vec::new();
    ptr_object.extend_from_slice(&TYPE_PTR.to_le_bytes());
    ptr_object.extend_from_slice(&0u32.to_le_bytes());
    ptr_object.extend_from_slice(&payload_at.to_le_bytes());
    ptr_object.extend_from_slice(&16u64.to_le_bytes());
    ptr_object.extend_from_slice(&0u64.to_le_bytes());
    ptr_object.extend_from_slice(&0u64.to_le_bytes());
    data.extend(&ptr_object);
    let mut fda = Vec::new();
    fda.extend_from_slice(&TYPE_FDA.to_le_bytes());
    fda.extend_from_slice(&0u32.to_le_bytes());
    fda.extend_from_slice(&1u64.to_le_bytes());
    fda.extend_from_slice(&1u64.to_le_bytes()); // parent: object 1, the buffer
    fda.extend_from_slice(&8u64.to_le_bytes()); // its fds at offset 8
    data.extend(&fda);
    let mut payload = 0x1111_2222_3333_4444u64.to_le_bytes().to_vec();
    payload.extend_from_slice(&(file.as_raw_fd() as u64).to_le_bytes());
    w.fake.poke(client.tid, payload_at, &payload);
    let mut sg = Commands::default()
        .transaction(BC_TRANSACTION_SG, 0, 3, TF_ACCEPT_FDS, data.len(), 3)
        .u64(16);
    // BC_TRANSACTION_SG's command word differs from BC_TRANSACTION's.
    sg.0[0..4].copy_from_slice(&BC_TRANSACTION_SG.to_le_bytes());
    let (_, r) = w.write_read(client, sg, &data, &[0, 24, 64], false);
    assert_eq!(r, Some(vec![]));
    let tx = transaction(&w.answered(manager, wait).unwrap());
    assert_eq!(
        tx.security_context.as_deref(),
        Some(binder_shim::SECURITY_CONTEXT)
    );
    assert_eq!(
        w.fake.installed.len(),
        2,
        "two descriptors installed in the receiver"
    );
    let (first, second) = (w.fake.installed[0].1, w.fake.installed[1].1);
    assert_eq!(
        u32::from_le_bytes(tx.data[8..12].try_into().unwrap()) as i32,
        first
    );
    let copied = u64::from_le_bytes(tx.data[24 + 8..24 + 16].try_into().unwrap());
    assert!(
        (MAP..MAP + MAP_SIZE).contains(&copied),
        "the buffer was copied into the mapping"
    );
    let inside = w.fake.peek(manager.tid, copied, 16);
    assert_eq!(inside[..8], 0x1111_2222_3333_4444u64.to_le_bytes());
    assert_eq!(
        u32::from_le_bytes(inside[8..12].try_into().unwrap()) as i32,
        second
    );
}

#[test]
fn malformed_calls_fail_without_leaking_buffers() {
    let mut w = World::new();
    let (manager, client, _wait) = manager_and_client(&mut w);
    // An offset outside the data, a misaligned one, an unknown object type, an fd to a node
    // that refuses them, and a data pointer outside the sender's memory: each fails.
    let object = flat(TYPE_BINDER, 0, 1, 1);
    let mut unknown = object.clone();
    unknown[0..4].copy_from_slice(&0x1234u32.to_le_bytes());
    let fd = flat(TYPE_FD, 0, 0, 0);
    for (data, offsets) in [
        (&object, vec![8u64]),
        (&object, vec![2]),
        (&unknown, vec![0]),
        (&fd, vec![0]),
    ] {
        let (_, r) = w.write_read(
            client,
            Commands::default().transaction(BC_TRANSACTION, 0, 1, 0, data.len(), offsets.len()),
            data,
            &offsets,
            true,
        );
        assert_eq!(r, Some(vec![Ret::Noop, Ret::FailedReply]), "{offsets:?}");
    }
    let mut bad_pointer = Commands::default().transaction(BC_TRANSACTION, 0, 1, 0, 8, 0);
    bad_pointer.0[4 + 48..4 + 56].copy_from_slice(&0xdead_0000u64.to_le_bytes());
    let (_, r) = w.write_read(client, bad_pointer, &[], &[], true);
    assert_eq!(r, Some(vec![Ret::Noop, Ret::FailedReply]));
    // Sizes near u64::MAX (found by the fuzzer: they overflowed the size arithmetic).
    let mut huge = Commands::default().transaction(BC_TRANSACTION, 0, 1, 0, 0, 0);
    huge.0[4 + 32..4 + 40].copy_from_slice(&u64::MAX.to_le_bytes());
    let (_, r) = w.write_read(client, huge, &[], &[], true);
    assert_eq!(r, Some(vec![Ret::Noop, Ret::FailedReply]));
    assert_eq!(
        w.shim.buffer_bytes(manager.proc),
        0,
        "failed calls leave no buffer behind"
    );
    // The extended error holds the last transaction's id, its return and errno (ENOSPC for
    // the huge one), as the kernel's; reading it resets it to BR_OK.
    let (_, r) = w.ioctl(client, BINDER_GET_EXTENDED_ERROR, MEM + 0x40);
    assert_eq!(r, Outcome::Done(0));
    let ee = w.fake.peek(client.tid, MEM + 0x40, 12);
    assert_ne!(ee[0..4], [0; 4], "a debug id");
    assert_eq!(ee[4..8], BR_FAILED_REPLY.to_le_bytes());
    assert_eq!(ee[8..12], (-libc::ENOSPC).to_le_bytes());
    w.ioctl(client, BINDER_GET_EXTENDED_ERROR, MEM + 0x40);
    assert_eq!(
        w.fake.peek(client.tid, MEM + 0x40, 12),
        [[0; 4], BR_OK.to_le_bytes(), [0; 4]].concat()
    );
    // An unknown command stops the write with EINVAL; an unknown ioctl is EINVAL and counted.
    w.fake.poke(client.tid, WRITE_AT, &0x4004_63ffu32.to_le_bytes());
    w.fake.poke(
        client.tid,
        BWR,
        &Commands::default()
            .u64(8)
            .u64(0)
            .u64(WRITE_AT)
            .u64(0)
            .u64(0)
            .u64(0)
            .0,
    );
    assert_eq!(
        w.ioctl(client, BINDER_WRITE_READ, BWR).1,
        Outcome::Done(-i64::from(libc::EINVAL))
    );
    assert_eq!(
        w.ioctl(client, 0xc000_6299, 0).1,
        Outcome::Done(-i64::from(libc::EINVAL))
    );
    assert!(w.shim.take_events().iter().any(|e| e.kind == "unknown_ioctl"));
    // A bwr outside memory is EFAULT.
    assert_eq!(
        w.ioctl(client, BINDER_WRITE_READ, 8).1,
        Outcome::Done(-i64::from(libc::EFAULT))
    );
}

#[test]
fn devices_are_separate_contexts() {
    let mut w = World::new();
    let binder = w.open(1);
    let hw = open(&mut w.shim, &mut w.fake, 2, Device::HwBinder);
    assert_eq!(w.ioctl(binder, BINDER_SET_CONTEXT_MGR, MEM).1, Outcome::Done(0));
    assert_eq!(
        w.ioctl(hw, BINDER_SET_CONTEXT_MGR, MEM).1,
        Outcome::Done(0),
        "hwbinder has its own manager"
    );
    let vnd = open(&mut w.shim, &mut w.fake, 3, Device::VndBinder);
    let r = w
        .write_read(
            vnd,
            Commands::default().transaction(BC_TRANSACTION, 0, 1, 0, 0, 0),
            &[],
            &[],
            true,
        )
        .1;
    assert_eq!(r, Some(vec![Ret::Noop, Ret::DeadReply]), "vndbinder has none");
    assert_eq!(Device::from_path(b"/dev/binderfs/binder"), Some(Device::Binder));
    assert_eq!(Device::from_path(b"/dev/binder2"), None);
}

#[test]
fn broken_nesting_is_survived() {
    // Two two-way calls written back to back (the client does not wait between them), then
    // replies in the order the manager pleases, then a reply from a thread that owes none
    // (found by the fuzzer: a reply left a stale call on the caller's stack).
    let mut w = World::new();
    let (manager, client, wait) = manager_and_client(&mut w);
    let second = thread_of(&mut w.fake, manager, 41);
    w.looper(second);
    let (second_wait, r) = w.write_read(second, Commands::default(), &[], &[], true);
    assert_eq!(r, None);
    let two = Commands::default()
        .transaction(BC_TRANSACTION, 0, 1, 0, 1, 0)
        .transaction(BC_TRANSACTION, 0, 2, 0, 1, 0);
    let (_, r) = w.write_read(client, two, b"x", &[], false);
    assert_eq!(r, Some(vec![]));
    let a = transaction(&w.answered(manager, wait).unwrap());
    let b = transaction(&w.answered(second, second_wait).unwrap());
    // Whichever looper got the first call answers first, though the client's innermost call
    // is the second.
    let (first, other) = if a.code == 1 {
        (manager, second)
    } else {
        (second, manager)
    };
    assert_eq!([a.code.min(b.code), a.code.max(b.code)], [1, 2]);
    w.write_read(
        first,
        Commands::default().transaction(BC_REPLY, 0, 0, 0, 1, 0),
        b"1",
        &[],
        false,
    );
    w.write_read(
        other,
        Commands::default().transaction(BC_REPLY, 0, 0, 0, 1, 0),
        b"2",
        &[],
        false,
    );
    let r = w
        .write_read(client, Commands::default(), &[], &[], true)
        .1
        .unwrap();
    assert_eq!(transaction(&r).data, b"1");
    let r = w
        .write_read(client, Commands::default(), &[], &[], true)
        .1
        .unwrap();
    assert_eq!(transaction(&r).data, b"2");
    let (_, r) = w.write_read(
        client,
        Commands::default().transaction(BC_REPLY, 0, 0, 0, 0, 0),
        &[],
        &[],
        true,
    );
    assert_eq!(r, Some(vec![Ret::Noop, Ret::FailedReply]));
}

#[test]
fn the_context_manager_reads_the_counts_of_a_node_it_holds() {
    let mut w = World::new();
    let (manager, client, wait) = manager_and_client(&mut w);
    // The client hands the manager its binder; the manager keeps a strong handle to it.
    let (tx, handle) = hand_binder(&mut w, client, manager, wait, 0x1234, 0x5678);
    let cmds = Commands::default()
        .cmd(BC_ACQUIRE)
        .u32(handle)
        .cmd(BC_FREE_BUFFER)
        .u64(tx.buffer)
        .transaction(BC_REPLY, 0, 0, 0, 0, 0);
    w.write_read(manager, cmds, &[], &[], false);
    let done = Commands::default()
        .cmd(BC_ACQUIRE_DONE)
        .u64(0x1234)
        .u64(0x5678)
        .cmd(BC_INCREFS_DONE)
        .u64(0x1234)
        .u64(0x5678);
    w.write_read(client, done, &[], &[], true);

    let info = |w: &mut World, peer: Peer, handle: u32, rest: [u32; 5]| {
        let mut raw = handle.to_le_bytes().to_vec();
        rest.iter().for_each(|v| raw.extend_from_slice(&v.to_le_bytes()));
        w.fake.poke(peer.tid, MEM + 0x40, &raw);
        let (_, r) = w.ioctl(peer, BINDER_GET_NODE_INFO_FOR_REF, MEM + 0x40);
        let out = w.fake.peek(peer.tid, MEM + 0x40, 24);
        let at = |i: usize| u32::from_le_bytes(out[i..i + 4].try_into().unwrap());
        (r, at(4), at(8))
    };
    // One handle holds the node strongly: the manager's.
    assert_eq!(info(&mut w, manager, handle, [0; 5]), (Outcome::Done(0), 1, 0));
    // Only the handle may be set; only the manager may ask; the handle must be strong.
    let einval = Outcome::Done(-i64::from(libc::EINVAL));
    assert_eq!(info(&mut w, manager, handle, [1, 0, 0, 0, 0]).0, einval);
    assert_eq!(info(&mut w, manager, handle + 1, [0; 5]).0, einval);
    assert_eq!(
        info(&mut w, client, 0, [0; 5]).0,
        Outcome::Done(-i64::from(libc::EPERM))
    );
    // A weak handle is not enough.
    let cmds = Commands::default()
        .cmd(BC_INCREFS)
        .u32(handle)
        .cmd(BC_RELEASE)
        .u32(handle);
    w.write_read(manager, cmds, &[], &[], false);
    assert_eq!(info(&mut w, manager, handle, [0; 5]).0, einval);
}

#[test]
fn a_read_buffer_that_cannot_be_written_fails_the_call_with_efault_and_reads_nothing() {
    let mut w = World::new();
    let (_manager, client, _wait) = manager_and_client(&mut w);
    // A one-way call, whose BR_TRANSACTION_COMPLETE the same ioctl would read into a buffer
    // outside the client's memory.
    let commands = Commands::default().transaction(BC_TRANSACTION, 0, 3, TF_ONE_WAY, 1, 0);
    w.fake.poke(client.tid, WRITE_AT, &commands.0);
    w.fake.poke(client.tid, DATA_AT, b"x");
    let unmapped = MEM + MEM_SIZE as u64 + 0x1000;
    let bwr = Commands::default()
        .u64(commands.0.len() as u64)
        .u64(0)
        .u64(WRITE_AT)
        .u64(READ_SIZE as u64)
        .u64(0)
        .u64(unmapped);
    w.fake.poke(client.tid, bwr_at(client.tid), &bwr.0);
    let (_, outcome) = w.ioctl(client, BINDER_WRITE_READ, bwr_at(client.tid));
    assert_eq!(outcome, Outcome::Done(-i64::from(libc::EFAULT)));
    let back = w.fake.peek(client.tid, bwr_at(client.tid), 48);
    let field = |i: usize| u64::from_le_bytes(back[i * 8..i * 8 + 8].try_into().unwrap());
    assert_eq!(
        field(1),
        commands.0.len() as u64,
        "the commands ran: write_consumed counts them"
    );
    assert_eq!(field(4), 0, "read_consumed: nothing was read");
}

#[test]
fn a_reply_that_fails_fails_the_call_it_answers() {
    // The kernel's binder_send_failed_reply: the caller reads BR_FAILED_REPLY instead of
    // waiting for ever, and the replier BR_TRANSACTION_COMPLETE.
    let mut w = World::new();
    let (manager, client, wait) = manager_and_client(&mut w);
    let (client_wait, r) = w.write_read(
        client,
        Commands::default().transaction(BC_TRANSACTION, 0, 7, 0, 1, 0),
        b"x",
        &[],
        true,
    );
    assert_eq!(r, None);
    let tx = transaction(&w.answered(manager, wait).unwrap());
    // A reply whose one object offset lies outside its data.
    let object = flat(TYPE_BINDER, 0, 1, 1);
    let reply = Commands::default()
        .cmd(BC_FREE_BUFFER)
        .u64(tx.buffer)
        .transaction(BC_REPLY, 0, 0, 0, object.len(), 1);
    let (_, r) = w.write_read(manager, reply, &object, &[8], true);
    assert_eq!(r, Some(vec![Ret::Noop, Ret::Complete]));
    assert_eq!(
        w.answered(client, client_wait),
        Some(vec![Ret::Noop, Ret::Complete, Ret::FailedReply])
    );
}

#[test]
fn a_call_taken_by_a_read_that_cannot_be_written_back_fails() {
    // A read into a buffer outside the reader's memory fails with EFAULT; the call it took
    // fails with BR_FAILED_REPLY instead of staying on the reader's stack for ever.
    let mut w = World::new();
    let (manager, client, wait) = manager_and_client(&mut w);
    let (_, r) = w.write_read(
        client,
        Commands::default().transaction(BC_TRANSACTION, 0, 1, 0, 1, 0),
        b"x",
        &[],
        true,
    );
    assert_eq!(r, None);
    let first = transaction(&w.answered(manager, wait).unwrap());
    // A second caller's call queues while the manager owes the first reply.
    let client2 = w.open(3);
    let (client2_wait, r) = w.write_read(
        client2,
        Commands::default().transaction(BC_TRANSACTION, 0, 2, 0, 1, 0),
        b"y",
        &[],
        true,
    );
    assert_eq!(r, None);
    let reply = Commands::default()
        .cmd(BC_FREE_BUFFER)
        .u64(first.buffer)
        .transaction(BC_REPLY, 0, 0, 0, 0, 0);
    w.write_read(manager, reply, &[], &[], false);
    // Now the manager reads the second call into memory it does not have.
    let unmapped = MEM + MEM_SIZE as u64 + 0x1000;
    let bwr = Commands::default()
        .u64(0)
        .u64(0)
        .u64(WRITE_AT)
        .u64(READ_SIZE as u64)
        .u64(0)
        .u64(unmapped);
    w.fake.poke(manager.tid, bwr_at(manager.tid), &bwr.0);
    let (_, outcome) = w.ioctl(manager, BINDER_WRITE_READ, bwr_at(manager.tid));
    assert_eq!(outcome, Outcome::Done(-i64::from(libc::EFAULT)));
    assert_eq!(
        w.answered(client2, client2_wait),
        Some(vec![Ret::Noop, Ret::Complete, Ret::FailedReply])
    );
}
