//! The Binder shim on arbitrary command streams from three processes (a context manager and two
//! clients, two threads each) with arbitrary memory: no panic, every parked call is answered at
//! most once, and once every process is released nothing is left — no process, node,
//! transaction or buffer leaks.
#![no_main]

use std::collections::HashSet;
use std::os::fd::{BorrowedFd, OwnedFd};
use std::os::unix::fs::FileExt;

use binder_shim::uapi::*;
use binder_shim::{Device, Guest, Outcome, ProcId, Shim};
use libfuzzer_sys::fuzz_target;

/// Every process's memory: addresses 0..MEM (the fuzz input, then the buffers below).
const MEM: usize = 0x10000;
const WRITE_AT: u64 = 0x8000;
const READ_AT: u64 = 0xc000;
const BWR_AT: u64 = 0xf000;
const MAP: u64 = 0x1_0000_0000;
const MAP_SIZE: u64 = 0x20000;

struct Fake {
    mem: Vec<Vec<u8>>,
    files: Vec<std::fs::File>,
    inodes: Vec<u64>,
    answered: HashSet<u64>,
    pending: HashSet<u64>,
}

impl Fake {
    fn process(tid: u32) -> usize {
        (tid / 10) as usize
    }
}

impl Guest for Fake {
    fn read(&mut self, tid: u32, addr: u64, buf: &mut [u8]) -> Result<(), i32> {
        let p = Fake::process(tid);
        let end = addr.checked_add(buf.len() as u64).ok_or(libc::EFAULT)?;
        if addr >= MAP && end <= MAP + MAP_SIZE {
            return self.files[p].read_exact_at(buf, addr - MAP).map_err(|_| libc::EFAULT);
        }
        if end > MEM as u64 {
            return Err(libc::EFAULT);
        }
        buf.copy_from_slice(&self.mem[p][addr as usize..end as usize]);
        Ok(())
    }
    fn write(&mut self, tid: u32, addr: u64, data: &[u8]) -> Result<(), i32> {
        let end = addr.checked_add(data.len() as u64).ok_or(libc::EFAULT)?;
        if end > MEM as u64 {
            return Err(libc::EFAULT);
        }
        self.mem[Fake::process(tid)][addr as usize..end as usize].copy_from_slice(data);
        Ok(())
    }
    fn take_fd(&mut self, _tid: u32, fd: i32) -> Result<OwnedFd, i32> {
        // Only stdin may be passed, so the target cannot leak descriptors.
        if fd != 0 {
            return Err(libc::EBADF);
        }
        std::os::fd::AsFd::as_fd(&std::io::stdin()).try_clone_to_owned().map_err(|_| libc::EMFILE)
    }
    fn install_fd(&mut self, _call: u64, _file: BorrowedFd<'_>) -> Result<i32, i32> {
        Ok(3)
    }
    fn answer(&mut self, call: u64, _result: i64) {
        assert!(self.pending.remove(&call), "call {call} answered twice or never parked");
        self.answered.insert(call);
    }
    fn pending(&mut self, call: u64) -> bool {
        self.pending.contains(&call)
    }
    fn mapping(&mut self, tid: u32, inode: u64) -> Option<(u64, u64)> {
        (self.inodes[Fake::process(tid)] == inode).then_some((MAP, MAP_SIZE))
    }
}

const IOCTLS: [u32; 9] = [
    BINDER_WRITE_READ,
    BINDER_WRITE_READ,
    BINDER_WRITE_READ,
    BINDER_VERSION,
    BINDER_SET_MAX_THREADS,
    BINDER_SET_CONTEXT_MGR,
    BINDER_THREAD_EXIT,
    BINDER_GET_EXTENDED_ERROR,
    BINDER_SET_CONTEXT_MGR_EXT,
];

fuzz_target!(|data: &[u8]| {
    let mut shim = Shim::new();
    let mut fake = Fake {
        mem: vec![vec![0; MEM]; 3],
        files: Vec::new(),
        inodes: Vec::new(),
        answered: HashSet::new(),
        pending: HashSet::new(),
    };
    let mut procs: Vec<ProcId> = Vec::new();
    for p in 0..3u32 {
        let Ok((proc, fd)) = shim.open(Device::Binder, p * 10, p, 10_000 + p) else { return };
        fake.inodes.push(shim.inode(proc).unwrap());
        fake.files.push(std::fs::File::from(fd));
        procs.push(proc);
        // The input is every process's memory too, so pointers in it find data.
        let n = data.len().min(WRITE_AT as usize);
        fake.mem[p as usize][..n].copy_from_slice(&data[..n]);
    }
    // Operations: [who, ioctl, write length (2 bytes), read length (1 byte)] then the commands.
    let mut rest = data;
    let mut call = 0u64;
    while rest.len() >= 5 {
        let (head, tail) = rest.split_at(5);
        let who = usize::from(head[0] % 6);
        let (process, tid) = (who / 2, (who / 2) as u32 * 10 + (who % 2) as u32);
        let cmd = IOCTLS[usize::from(head[1]) % IOCTLS.len()];
        let write = usize::from(u16::from_le_bytes([head[2], head[3]])).min(tail.len()).min(0x4000);
        let read = usize::from(head[4]) * 16;
        let (commands, after) = tail.split_at(write);
        rest = after;
        let mem = &mut fake.mem[process];
        mem[WRITE_AT as usize..WRITE_AT as usize + write].copy_from_slice(commands);
        let bwr: Vec<u8> = [write as u64, 0, WRITE_AT, read as u64, 0, READ_AT]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        mem[BWR_AT as usize..BWR_AT as usize + 48].copy_from_slice(&bwr);
        if fake.pending.iter().count() > 64 {
            break;
        }
        call += 1;
        fake.pending.insert(call);
        match shim.ioctl(&mut fake, procs[process], tid, call, cmd, BWR_AT) {
            Outcome::Done(_) => {
                fake.pending.remove(&call);
            }
            Outcome::Parked => {}
        }
    }
    for proc in procs {
        shim.release(&mut fake, proc);
    }
    assert_eq!(shim.live_objects(), (0, 0, 0), "something outlived every process");
});
