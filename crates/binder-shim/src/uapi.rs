//! The Binder driver's user-space interface (`<linux/android/binder.h>`, 64-bit layout,
//! protocol version 8): ioctl numbers, commands, returns, object types and flags. The values
//! are checked against the kernel header by `tests/uapi.rs`.

const fn ioc(dir: u32, kind: u8, nr: u32, size: usize) -> u32 {
    (dir << 30) | ((size as u32) << 16) | ((kind as u32) << 8) | nr
}
const NONE: u32 = 0;
const WRITE: u32 = 1;
const READ: u32 = 2;

/// `struct binder_write_read`.
pub const WRITE_READ_SIZE: usize = 48;
/// `struct binder_transaction_data`.
pub const TRANSACTION_DATA_SIZE: usize = 64;
/// `struct binder_transaction_data_secctx` and `_sg`.
pub const TRANSACTION_DATA_EXT_SIZE: usize = 72;
/// `struct flat_binder_object` and `struct binder_fd_object`.
pub const FLAT_OBJECT_SIZE: usize = 24;
/// `struct binder_buffer_object`.
pub const BUFFER_OBJECT_SIZE: usize = 40;
/// `struct binder_fd_array_object`.
pub const FD_ARRAY_OBJECT_SIZE: usize = 32;
/// `struct binder_node_info_for_ref`.
pub const NODE_INFO_FOR_REF_SIZE: usize = 24;

pub const CURRENT_PROTOCOL_VERSION: i32 = 8;

// ioctls, type 'b'.
pub const BINDER_WRITE_READ: u32 = ioc(READ | WRITE, b'b', 1, WRITE_READ_SIZE);
pub const BINDER_SET_IDLE_TIMEOUT: u32 = ioc(WRITE, b'b', 3, 8);
pub const BINDER_SET_MAX_THREADS: u32 = ioc(WRITE, b'b', 5, 4);
pub const BINDER_SET_IDLE_PRIORITY: u32 = ioc(WRITE, b'b', 6, 4);
pub const BINDER_SET_CONTEXT_MGR: u32 = ioc(WRITE, b'b', 7, 4);
pub const BINDER_THREAD_EXIT: u32 = ioc(WRITE, b'b', 8, 4);
pub const BINDER_VERSION: u32 = ioc(READ | WRITE, b'b', 9, 4);
pub const BINDER_GET_NODE_INFO_FOR_REF: u32 = ioc(READ | WRITE, b'b', 12, NODE_INFO_FOR_REF_SIZE);
pub const BINDER_SET_CONTEXT_MGR_EXT: u32 = ioc(WRITE, b'b', 13, FLAT_OBJECT_SIZE);
pub const BINDER_ENABLE_ONEWAY_SPAM_DETECTION: u32 = ioc(WRITE, b'b', 16, 4);
pub const BINDER_GET_EXTENDED_ERROR: u32 = ioc(READ | WRITE, b'b', 17, 12);

// Commands (BC_*), type 'c'.
pub const BC_TRANSACTION: u32 = ioc(WRITE, b'c', 0, TRANSACTION_DATA_SIZE);
pub const BC_REPLY: u32 = ioc(WRITE, b'c', 1, TRANSACTION_DATA_SIZE);
pub const BC_ACQUIRE_RESULT: u32 = ioc(WRITE, b'c', 2, 4);
pub const BC_FREE_BUFFER: u32 = ioc(WRITE, b'c', 3, 8);
pub const BC_INCREFS: u32 = ioc(WRITE, b'c', 4, 4);
pub const BC_ACQUIRE: u32 = ioc(WRITE, b'c', 5, 4);
pub const BC_RELEASE: u32 = ioc(WRITE, b'c', 6, 4);
pub const BC_DECREFS: u32 = ioc(WRITE, b'c', 7, 4);
pub const BC_INCREFS_DONE: u32 = ioc(WRITE, b'c', 8, 16);
pub const BC_ACQUIRE_DONE: u32 = ioc(WRITE, b'c', 9, 16);
pub const BC_ATTEMPT_ACQUIRE: u32 = ioc(WRITE, b'c', 10, 8);
pub const BC_REGISTER_LOOPER: u32 = ioc(NONE, b'c', 11, 0);
pub const BC_ENTER_LOOPER: u32 = ioc(NONE, b'c', 12, 0);
pub const BC_EXIT_LOOPER: u32 = ioc(NONE, b'c', 13, 0);
pub const BC_REQUEST_DEATH_NOTIFICATION: u32 = ioc(WRITE, b'c', 14, 12);
pub const BC_CLEAR_DEATH_NOTIFICATION: u32 = ioc(WRITE, b'c', 15, 12);
pub const BC_DEAD_BINDER_DONE: u32 = ioc(WRITE, b'c', 16, 8);
pub const BC_TRANSACTION_SG: u32 = ioc(WRITE, b'c', 17, TRANSACTION_DATA_EXT_SIZE);
pub const BC_REPLY_SG: u32 = ioc(WRITE, b'c', 18, TRANSACTION_DATA_EXT_SIZE);

// Returns (BR_*), type 'r'.
pub const BR_ERROR: u32 = ioc(READ, b'r', 0, 4);
pub const BR_OK: u32 = ioc(NONE, b'r', 1, 0);
pub const BR_TRANSACTION_SEC_CTX: u32 = ioc(READ, b'r', 2, TRANSACTION_DATA_EXT_SIZE);
pub const BR_TRANSACTION: u32 = ioc(READ, b'r', 2, TRANSACTION_DATA_SIZE);
pub const BR_REPLY: u32 = ioc(READ, b'r', 3, TRANSACTION_DATA_SIZE);
pub const BR_DEAD_REPLY: u32 = ioc(NONE, b'r', 5, 0);
pub const BR_TRANSACTION_COMPLETE: u32 = ioc(NONE, b'r', 6, 0);
pub const BR_INCREFS: u32 = ioc(READ, b'r', 7, 16);
pub const BR_ACQUIRE: u32 = ioc(READ, b'r', 8, 16);
pub const BR_RELEASE: u32 = ioc(READ, b'r', 9, 16);
pub const BR_DECREFS: u32 = ioc(READ, b'r', 10, 16);
pub const BR_NOOP: u32 = ioc(NONE, b'r', 12, 0);
pub const BR_SPAWN_LOOPER: u32 = ioc(NONE, b'r', 13, 0);
pub const BR_DEAD_BINDER: u32 = ioc(READ, b'r', 15, 8);
pub const BR_CLEAR_DEATH_NOTIFICATION_DONE: u32 = ioc(READ, b'r', 16, 8);
pub const BR_FAILED_REPLY: u32 = ioc(NONE, b'r', 17, 0);
pub const BR_ONEWAY_SPAM_SUSPECT: u32 = ioc(NONE, b'r', 19, 0);

const fn pack(a: u8, b: u8, c: u8, d: u8) -> u32 {
    ((a as u32) << 24) | ((b as u32) << 16) | ((c as u32) << 8) | d as u32
}
const LARGE: u8 = 0x85;
pub const TYPE_BINDER: u32 = pack(b's', b'b', b'*', LARGE);
pub const TYPE_WEAK_BINDER: u32 = pack(b'w', b'b', b'*', LARGE);
pub const TYPE_HANDLE: u32 = pack(b's', b'h', b'*', LARGE);
pub const TYPE_WEAK_HANDLE: u32 = pack(b'w', b'h', b'*', LARGE);
pub const TYPE_FD: u32 = pack(b'f', b'd', b'*', LARGE);
pub const TYPE_FDA: u32 = pack(b'f', b'd', b'a', LARGE);
pub const TYPE_PTR: u32 = pack(b'p', b't', b'*', LARGE);

pub const FLAT_BINDER_FLAG_ACCEPTS_FDS: u32 = 0x100;
pub const FLAT_BINDER_FLAG_TXN_SECURITY_CTX: u32 = 0x1000;
pub const BUFFER_FLAG_HAS_PARENT: u32 = 0x01;

pub const TF_ONE_WAY: u32 = 0x01;
pub const TF_ACCEPT_FDS: u32 = 0x10;

/// The name of a command or return, for telemetry and errors.
pub fn name(code: u32) -> &'static str {
    match code {
        BC_TRANSACTION => "BC_TRANSACTION",
        BC_REPLY => "BC_REPLY",
        BC_ACQUIRE_RESULT => "BC_ACQUIRE_RESULT",
        BC_FREE_BUFFER => "BC_FREE_BUFFER",
        BC_INCREFS => "BC_INCREFS",
        BC_ACQUIRE => "BC_ACQUIRE",
        BC_RELEASE => "BC_RELEASE",
        BC_DECREFS => "BC_DECREFS",
        BC_INCREFS_DONE => "BC_INCREFS_DONE",
        BC_ACQUIRE_DONE => "BC_ACQUIRE_DONE",
        BC_ATTEMPT_ACQUIRE => "BC_ATTEMPT_ACQUIRE",
        BC_REGISTER_LOOPER => "BC_REGISTER_LOOPER",
        BC_ENTER_LOOPER => "BC_ENTER_LOOPER",
        BC_EXIT_LOOPER => "BC_EXIT_LOOPER",
        BC_REQUEST_DEATH_NOTIFICATION => "BC_REQUEST_DEATH_NOTIFICATION",
        BC_CLEAR_DEATH_NOTIFICATION => "BC_CLEAR_DEATH_NOTIFICATION",
        BC_DEAD_BINDER_DONE => "BC_DEAD_BINDER_DONE",
        BC_TRANSACTION_SG => "BC_TRANSACTION_SG",
        BC_REPLY_SG => "BC_REPLY_SG",
        BINDER_WRITE_READ => "BINDER_WRITE_READ",
        BINDER_SET_IDLE_TIMEOUT => "BINDER_SET_IDLE_TIMEOUT",
        BINDER_SET_MAX_THREADS => "BINDER_SET_MAX_THREADS",
        BINDER_SET_IDLE_PRIORITY => "BINDER_SET_IDLE_PRIORITY",
        BINDER_SET_CONTEXT_MGR => "BINDER_SET_CONTEXT_MGR",
        BINDER_THREAD_EXIT => "BINDER_THREAD_EXIT",
        BINDER_VERSION => "BINDER_VERSION",
        BINDER_GET_NODE_INFO_FOR_REF => "BINDER_GET_NODE_INFO_FOR_REF",
        BINDER_SET_CONTEXT_MGR_EXT => "BINDER_SET_CONTEXT_MGR_EXT",
        BINDER_ENABLE_ONEWAY_SPAM_DETECTION => "BINDER_ENABLE_ONEWAY_SPAM_DETECTION",
        BINDER_GET_EXTENDED_ERROR => "BINDER_GET_EXTENDED_ERROR",
        _ => "unknown",
    }
}
