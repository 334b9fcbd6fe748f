//! The service manager on arbitrary transactions: a stream of records, each a target node, a
//! transaction code, a one-way flag, a parcel and the offsets of its objects. State carries
//! over (services added, callbacks registered), so sequences such as addService then
//! getService are reached. No panic; every two-way transaction gets exactly one reply and
//! every transaction frees its buffer.
#![no_main]

use binder_shim::parcel::Writer;
use binder_shim::servicemanager::{NoNative, ServiceManager};
use binder_shim::uapi::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let mut manager = ServiceManager::new(NoNative);
    let mut rest = input;
    while rest.len() >= 5 {
        let (head, tail) = rest.split_at(5);
        let target = u64::from(head[0] % 3);
        // Mostly the interface's methods, sometimes ping, descriptor or anything.
        let code = match head[1] {
            0..=199 => u32::from(head[1] % 18),
            200..=209 => u32::from_be_bytes(*b"_PNG"),
            210..=219 => u32::from_be_bytes(*b"_NTF"),
            other => u32::from(other) << 20,
        };
        let one_way = head[2] & 1 != 0;
        let len = usize::from(u16::from_le_bytes([head[3], head[4]])).min(tail.len());
        let (body, tail) = tail.split_at(len);
        // A well-formed interface token in front half of the time, so the methods are reached.
        let mut data = Writer::new();
        if head[2] & 2 != 0 {
            data.interface_token("android.os.IServiceManager");
        }
        data.data.extend_from_slice(body);
        let (count, tail) = tail.split_first().map_or((0, tail), |(n, t)| (usize::from(*n % 4), t));
        let offsets: Vec<u64> = tail.chunks_exact(2).take(count).map(|c| u64::from(u16::from_le_bytes([c[0], c[1]]))).collect();
        rest = &tail[(offsets.len() * 2).min(tail.len())..];
        let commands = manager.serve_parcel(target, code, one_way, &data.data, &offsets);
        let (mut replies, mut frees) = (0, 0);
        let mut at = 0;
        while at + 4 <= commands.len() {
            let command = u32::from_le_bytes(commands[at..at + 4].try_into().unwrap());
            let size = ((command >> 16) & 0x3fff) as usize;
            replies += usize::from(command == BC_REPLY);
            frees += usize::from(command == BC_FREE_BUFFER);
            at += 4 + size;
        }
        assert_eq!(at, commands.len(), "commands are whole");
        assert_eq!(frees, 1, "the buffer is freed once");
        assert_eq!(replies, usize::from(!one_way), "a two-way call gets one reply");
    }
});
