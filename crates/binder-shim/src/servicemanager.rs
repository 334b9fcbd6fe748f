//! Android's service manager on the raw Binder protocol: the context manager (handle 0) that
//! serves `android.os.IServiceManager` as Android 16 defines it (the version `rsbinder` and
//! libbinder clients of this era speak), bridged to the microkernel's native services through
//! [`Native`].
//!
//! It is an ordinary Binder program: it runs inside a sandbox (`hyper-compat binder-world
//! --service-manager` starts it there) and drives `/dev/binder` with ioctls, which the shim
//! serves like any other guest's. Transaction codes are AIDL's, in declaration order from
//! `FIRST_CALL_TRANSACTION`:
//!
//! | code | method | here |
//! |---:|---|---|
//! | 1 | `getService` | the registered binder; else a native service of that name, as a binder this process serves; else null |
//! | 2 | `getService2` | the same, as the `Service` union (`serviceWithMetadata`) |
//! | 3 | `checkService` | as `getService` (nothing here is lazy, so nothing to wait for) |
//! | 4 | `checkService2` | as `getService2` |
//! | 5 | `addService` | registers (names as Android checks them), holds a strong reference and a death notification, tells the callbacks registered for the name, and publishes it to native programs |
//! | 6 | `listServices` | the names whose dump priority matches, and the native services |
//! | 7, 8 | `registerForNotifications`, `unregisterForNotifications` | one-way `IServiceCallback.onRegistration` when the name is added (at once if it is there) |
//! | 9 | `isDeclared` | false: there is no VINTF manifest |
//! | 10, 12 | `getDeclaredInstances`, `getUpdatableNames` | empty |
//! | 11, 13 | `updatableViaApex`, `getConnectionInfo` | null |
//! | 14, 15 | `registerClientCallback`, `tryUnregisterService` | `EX_UNSUPPORTED_OPERATION`: lazy services are not managed |
//! | 16 | `getServiceDebugInfo` | each service's name and the pid that added it |
//!
//! There is no access control, as `rsb_hub --insecure-allow-all`: any process may add, find
//! and list any service (Android asks SELinux).

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};

use crate::parcel::{self, Object, ReadError, Reader, Writer, exception};
use crate::uapi;

/// `android.os.IServiceManager`.
pub const DESCRIPTOR: &str = "android.os.IServiceManager";
/// `android.os.IServiceCallback`.
pub const CALLBACK_DESCRIPTOR: &str = "android.os.IServiceCallback";
/// The size libbinder maps: 1 MiB less two pages.
const MAP_SIZE: usize = 1024 * 1024 - 2 * 4096;
/// `IServiceManager.DUMP_FLAG_PRIORITY_DEFAULT`.
const DUMP_FLAG_PRIORITY_DEFAULT: i32 = 1 << 3;
/// The cookie and pointer of the service manager's own binder, listed as `manager` (the
/// context object itself is node 0).
const SELF_NODE: u64 = 1;
/// Native services are served as binders of this process with pointers from here up.
const FIRST_NATIVE_NODE: u64 = 0x1000;

/// The microkernel side: native services (registered with `svcmgr`) that Binder clients may
/// call, and the Binder services that native programs may call.
pub trait Native {
    /// The names of the native services, for `listServices`.
    fn list(&mut self) -> Vec<String>;
    /// Whether native service `name` exists; the service manager then serves it as a binder.
    fn exists(&mut self, name: &str) -> bool;
    /// A transaction (`code`, parcel `data`) from a Binder client to native service `name`:
    /// the reply parcel, or a status code.
    fn transact(&mut self, name: &str, code: u32, data: &[u8], one_way: bool) -> Result<Vec<u8>, i32>;
    /// Binder service `name` was added (with the handle the service manager holds): native
    /// programs may now reach it.
    fn published(&mut self, name: &str, handle: u32);
    /// Binder service `name` is gone.
    fn withdrawn(&mut self, name: &str);
}

/// No microkernel side.
#[derive(Debug, Default)]
pub struct NoNative;

impl Native for NoNative {
    fn list(&mut self) -> Vec<String> {
        Vec::new()
    }
    fn exists(&mut self, _name: &str) -> bool {
        false
    }
    fn transact(&mut self, _: &str, _: u32, _: &[u8], _: bool) -> Result<Vec<u8>, i32> {
        Err(-libc::ENOENT)
    }
    fn published(&mut self, _: &str, _: u32) {}
    fn withdrawn(&mut self, _: &str) {}
}

#[derive(Debug, Clone)]
struct Service {
    handle: u32,
    stability: i32,
    dump_priority: i32,
    debug_pid: i32,
}

/// The device, mapped.
#[derive(Debug)]
pub struct Driver {
    fd: OwnedFd,
    map: *const u8,
}

impl Driver {
    /// Opens `path` (`/dev/binder`), checks the protocol version and maps the buffer space.
    pub fn open(path: &str) -> io::Result<Driver> {
        let c_path = std::ffi::CString::new(path).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
        // SAFETY: open with a NUL-terminated path; the result is checked.
        let raw = unsafe { libc::open(c_path.as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a new descriptor nobody else owns.
        let fd = unsafe { <OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(raw) };
        let mut version: i32 = 0;
        // SAFETY: BINDER_VERSION writes one i32 into `version`.
        if unsafe { libc::ioctl(fd.as_raw_fd(), uapi::BINDER_VERSION as _, &raw mut version) } != 0 {
            return Err(io::Error::last_os_error());
        }
        if version != uapi::CURRENT_PROTOCOL_VERSION {
            return Err(io::Error::other(format!("binder protocol {version}, not 8")));
        }
        // SAFETY: a fresh read-only shared mapping of the device; checked below.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                MAP_SIZE,
                libc::PROT_READ,
                libc::MAP_SHARED,
                fd.as_raw_fd(),
                0,
            )
        };
        if map == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(Driver {
            fd,
            map: map.cast_const().cast(),
        })
    }

    /// `ioctl(cmd, arg)` with a plain value argument.
    fn ioctl<T>(&self, cmd: u32, arg: &mut T) -> io::Result<()> {
        // SAFETY: `arg` is a live value of the size the command reads or writes.
        if unsafe { libc::ioctl(self.fd.as_raw_fd(), cmd as _, std::ptr::from_mut(arg)) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// `BINDER_WRITE_READ` until all of `write` is consumed, filling `read` once; the bytes
    /// read.
    pub fn write_read(&self, write: &[u8], read: &mut [u8]) -> io::Result<usize> {
        let mut bwr = [
            write.len() as u64,
            0,
            write.as_ptr() as u64,
            read.len() as u64,
            0,
            read.as_mut_ptr() as u64,
        ];
        let mut read_bytes = 0;
        loop {
            match self.ioctl(uapi::BINDER_WRITE_READ, &mut bwr) {
                Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
                Err(e) => return Err(e),
                Ok(()) => {
                    read_bytes += bwr[4];
                    if bwr[1] >= bwr[0] {
                        return Ok(read_bytes as usize);
                    }
                    // Commands left: send them; once something was read, read no more
                    // (the buffer's bytes are kept from the start).
                    bwr[2] += bwr[1];
                    bwr[0] -= bwr[1];
                    bwr[1] = 0;
                    if read_bytes > 0 {
                        bwr[3] = 0;
                        bwr[4] = 0;
                    }
                }
            }
        }
    }

    /// The `len` bytes at `addr` of the mapping, where the driver put a transaction's buffer.
    fn buffer(&self, addr: u64, len: u64) -> Option<&[u8]> {
        let start = addr.checked_sub(self.map as u64)?;
        let end = start.checked_add(len)?;
        if end > MAP_SIZE as u64 {
            return None;
        }
        // SAFETY: the range lies inside our mapping, which lives as long as `self`; the driver
        // does not reuse it until we free the buffer.
        Some(unsafe { std::slice::from_raw_parts(self.map.add(start as usize), len as usize) })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SAFETY: unmaps the mapping made in `open`, which nothing refers to any more.
        unsafe { libc::munmap(self.map.cast_mut().cast(), MAP_SIZE) };
    }
}

// SAFETY: the mapping is read-only and only read through `buffer`, whose callers hold the
// buffer until they free it; the fd is thread-safe.
unsafe impl Send for Driver {}
// SAFETY: as above.
unsafe impl Sync for Driver {}

/// One incoming transaction.
#[derive(Debug, Clone, Copy)]
struct Transaction {
    target: u64,
    code: u32,
    flags: u32,
    sender_pid: i32,
    data: u64,
    data_size: u64,
    offsets: u64,
    offsets_size: u64,
}

impl Transaction {
    fn parse(bytes: &[u8]) -> Transaction {
        let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        Transaction {
            target: u64_at(0),
            code: u32_at(16),
            flags: u32_at(20),
            sender_pid: u32_at(24) as i32,
            data_size: u64_at(32),
            offsets_size: u64_at(40),
            data: u64_at(48),
            offsets: u64_at(56),
        }
    }
}

/// Commands to send, with the buffers their pointers name kept alive until they are sent.
#[derive(Debug, Default)]
struct Out {
    commands: Vec<u8>,
    keep: Vec<Writer>,
}

impl Out {
    fn word(&mut self, command: u32) -> &mut Out {
        self.commands.extend_from_slice(&command.to_le_bytes());
        self
    }

    fn u32(&mut self, value: u32) -> &mut Out {
        self.commands.extend_from_slice(&value.to_le_bytes());
        self
    }

    fn u64(&mut self, value: u64) -> &mut Out {
        self.commands.extend_from_slice(&value.to_le_bytes());
        self
    }

    /// `BC_TRANSACTION` or `BC_REPLY` carrying `parcel`.
    fn transaction(&mut self, command: u32, target: u32, code: u32, flags: u32, parcel: Writer) {
        let offsets: Vec<u8> = parcel.offsets.iter().flat_map(|o| o.to_le_bytes()).collect();
        let mut kept = parcel;
        // The offsets array travels in the same kept buffer, after the data.
        let data_len = kept.data.len();
        kept.data.extend_from_slice(&offsets);
        let base = kept.data.as_ptr() as u64;
        self.word(command)
            .u64(u64::from(target))
            .u64(0)
            .u32(code)
            .u32(flags)
            .u32(0)
            .u32(0)
            .u64(data_len as u64)
            .u64(offsets.len() as u64)
            .u64(base)
            .u64(base + data_len as u64);
        // Moving the Writer into `keep` does not move its heap buffer.
        self.keep.push(kept);
    }

    /// `BC_INCREFS_DONE` or `BC_ACQUIRE_DONE` for a `BR_INCREFS` or `BR_ACQUIRE` (its node's
    /// pointer and cookie in `payload`): this process keeps its objects alive anyway.
    fn acknowledge(&mut self, code: u32, payload: &[u8]) {
        let done = if code == uapi::BR_INCREFS {
            uapi::BC_INCREFS_DONE
        } else {
            uapi::BC_ACQUIRE_DONE
        };
        self.word(done).commands.extend_from_slice(&payload[..16]);
    }

    fn take(&mut self) -> (Vec<u8>, Vec<Writer>) {
        (std::mem::take(&mut self.commands), std::mem::take(&mut self.keep))
    }
}

/// The service manager's state.
pub struct ServiceManager<N: Native> {
    services: BTreeMap<String, Service>,
    /// Callbacks by service name (handles this process holds).
    callbacks: BTreeMap<String, Vec<u32>>,
    /// Native services served as binders: node pointer → name, and back.
    native_nodes: HashMap<u64, String>,
    native_by_name: HashMap<String, u64>,
    /// Strong references this process holds, by handle (a handle can be a service and a
    /// callback at once).
    held: HashMap<u32, u32>,
    native: N,
}

impl<N: Native> std::fmt::Debug for ServiceManager<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceManager")
            .field("services", &self.services.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Android's `ServiceManager::isValidServiceName`: 1 to 127 characters of `[A-Za-z0-9_\-./]`.
pub fn valid_name(name: &str) -> bool {
    (1..=127).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
}

impl<N: Native> ServiceManager<N> {
    pub fn new(native: N) -> ServiceManager<N> {
        ServiceManager {
            services: BTreeMap::new(),
            callbacks: BTreeMap::new(),
            native_nodes: HashMap::new(),
            native_by_name: HashMap::new(),
            held: HashMap::new(),
            native,
        }
    }

    /// Becomes the context manager on `driver` and serves until the driver fails; `ready` is
    /// called once this process holds handle 0.
    pub fn serve(&mut self, driver: &Driver, ready: impl FnOnce()) -> io::Result<()> {
        let mut zero: i32 = 0;
        let mut max_threads: u32 = 0;
        driver.ioctl(uapi::BINDER_SET_MAX_THREADS, &mut max_threads)?;
        driver.ioctl(uapi::BINDER_SET_CONTEXT_MGR, &mut zero)?;
        ready();
        let mut out = Out::default();
        out.word(uapi::BC_ENTER_LOOPER);
        let mut read = vec![0u8; 4096];
        loop {
            let (commands, kept) = out.take();
            let n = driver.write_read(&commands, &mut read)?;
            drop(kept);
            self.returns(driver, &read[..n], &mut out)?;
        }
    }

    /// Handles the returns of one read, queueing the commands they call for.
    fn returns(&mut self, driver: &Driver, read: &[u8], out: &mut Out) -> io::Result<()> {
        for item in split_returns(read) {
            let (code, payload) =
                item.map_err(|()| io::Error::other("a truncated return from the driver"))?;
            match code {
                uapi::BR_NOOP
                | uapi::BR_OK
                | uapi::BR_TRANSACTION_COMPLETE
                | uapi::BR_SPAWN_LOOPER
                | uapi::BR_RELEASE
                | uapi::BR_DECREFS
                | uapi::BR_CLEAR_DEATH_NOTIFICATION_DONE
                | uapi::BR_ONEWAY_SPAM_SUSPECT
                // A callback that failed or died: its death notice removes it.
                | uapi::BR_FAILED_REPLY
                | uapi::BR_DEAD_REPLY
                | uapi::BR_REPLY => {}
                uapi::BR_INCREFS | uapi::BR_ACQUIRE => out.acknowledge(code, payload),
                uapi::BR_DEAD_BINDER => {
                    let cookie = u64::from_le_bytes(payload[..8].try_into().expect("8 bytes"));
                    self.dead(cookie as u32, out);
                    out.word(uapi::BC_DEAD_BINDER_DONE).u64(cookie);
                }
                uapi::BR_TRANSACTION | uapi::BR_TRANSACTION_SEC_CTX => {
                    let transaction = Transaction::parse(payload);
                    self.transaction(driver, &transaction, out);
                }
                uapi::BR_ERROR => {
                    let error = i32::from_le_bytes(payload[..4].try_into().expect("4 bytes"));
                    return Err(io::Error::other(format!("BR_ERROR {error}")));
                }
                other => {
                    return Err(io::Error::other(format!(
                        "unexpected return {other:#x} ({})",
                        uapi::name(other)
                    )));
                }
            }
        }
        Ok(())
    }

    /// Takes a strong reference to `handle` (and asks for its death notice the first time).
    fn hold(&mut self, handle: u32, out: &mut Out) {
        let count = self.held.entry(handle).or_insert(0);
        *count += 1;
        if *count == 1 {
            out.word(uapi::BC_INCREFS).u32(handle);
            out.word(uapi::BC_ACQUIRE).u32(handle);
            out.word(uapi::BC_REQUEST_DEATH_NOTIFICATION)
                .u32(handle)
                .u64(u64::from(handle));
        }
    }

    /// Lets one strong reference to `handle` go.
    fn let_go(&mut self, handle: u32, out: &mut Out) {
        let Some(count) = self.held.get_mut(&handle) else {
            return;
        };
        *count -= 1;
        if *count == 0 {
            self.held.remove(&handle);
            out.word(uapi::BC_CLEAR_DEATH_NOTIFICATION)
                .u32(handle)
                .u64(u64::from(handle));
            out.word(uapi::BC_RELEASE).u32(handle);
            out.word(uapi::BC_DECREFS).u32(handle);
        }
    }

    /// The process behind `handle` died: its services and callbacks go.
    fn dead(&mut self, handle: u32, out: &mut Out) {
        let gone: Vec<String> = self
            .services
            .iter()
            .filter(|(_, service)| service.handle == handle)
            .map(|(name, _)| name.clone())
            .collect();
        for name in gone {
            self.services.remove(&name);
            self.native.withdrawn(&name);
        }
        for handles in self.callbacks.values_mut() {
            handles.retain(|&h| h != handle);
        }
        self.callbacks.retain(|_, handles| !handles.is_empty());
        if self.held.remove(&handle).is_some() {
            // The death notice is spent; the references go.
            out.word(uapi::BC_RELEASE).u32(handle);
            out.word(uapi::BC_DECREFS).u32(handle);
        }
    }

    fn transaction(&mut self, driver: &Driver, transaction: &Transaction, out: &mut Out) {
        let data = driver
            .buffer(transaction.data, transaction.data_size)
            .unwrap_or_default();
        let offsets: Vec<u64> = driver
            .buffer(transaction.offsets, transaction.offsets_size)
            .unwrap_or_default()
            .chunks_exact(8)
            .map(|chunk| u64::from_le_bytes(chunk.try_into().expect("8 bytes")))
            .collect();
        self.parcel(transaction, data, &offsets, out);
    }

    /// Serves one transaction whose buffer holds `data` with objects at `offsets`, and the
    /// commands it calls for: references taken or let go, callbacks told, the buffer freed,
    /// the reply. For the fuzz target; the service manager itself reads transactions from the
    /// driver.
    #[doc(hidden)]
    pub fn serve_parcel(
        &mut self,
        target: u64,
        code: u32,
        one_way: bool,
        data: &[u8],
        offsets: &[u64],
    ) -> Vec<u8> {
        let transaction = Transaction {
            target,
            code,
            flags: if one_way { uapi::TF_ONE_WAY } else { 0 },
            sender_pid: 1,
            data: 0x1000,
            data_size: data.len() as u64,
            offsets: 0,
            offsets_size: (offsets.len() * 8) as u64,
        };
        let mut out = Out::default();
        self.parcel(&transaction, data, offsets, &mut out);
        out.commands
    }

    fn parcel(&mut self, transaction: &Transaction, data: &[u8], offsets: &[u64], out: &mut Out) {
        let one_way = transaction.flags & uapi::TF_ONE_WAY != 0;
        let reply = if let Some(name) = self.native_nodes.get(&transaction.target).cloned() {
            if !offsets.is_empty() {
                // Binders and descriptors have no meaning on a microkernel channel.
                Reply::Status(parcel::BAD_TYPE)
            } else {
                match self.native.transact(&name, transaction.code, data, one_way) {
                    Ok(bytes) => Reply::Parcel(Writer {
                        data: bytes,
                        offsets: Vec::new(),
                    }),
                    Err(status) => Reply::Status(status),
                }
            }
        } else {
            let mut reader = Reader::new(data, offsets);
            self.call(transaction, &mut reader, out)
        };
        // The commands `call` queued (references taken) go before the buffer is freed.
        out.word(uapi::BC_FREE_BUFFER).u64(transaction.data);
        if one_way {
            return;
        }
        match reply {
            Reply::Parcel(parcel) => out.transaction(uapi::BC_REPLY, 0, 0, 0, parcel),
            Reply::Status(status) => {
                let mut parcel = Writer::new();
                parcel.i32(status);
                // TF_STATUS_CODE: the reply is a status, not a parcel.
                out.transaction(uapi::BC_REPLY, 0, 0, 0x08, parcel);
            }
        }
    }

    /// A call on `IServiceManager` (or a ping, or the descriptor).
    fn call(&mut self, transaction: &Transaction, reader: &mut Reader<'_>, out: &mut Out) -> Reply {
        let code = transaction.code;
        if code == parcel::PING_TRANSACTION {
            return Reply::Parcel(Writer::new());
        }
        if code == parcel::INTERFACE_TRANSACTION {
            let mut reply = Writer::new();
            reply.string16(Some(DESCRIPTOR));
            return Reply::Parcel(reply);
        }
        if !(1..=16).contains(&code) {
            return Reply::Status(parcel::UNKNOWN_TRANSACTION);
        }
        if reader.interface_token(DESCRIPTOR).is_err() {
            return Reply::Status(-libc::EPERM);
        }
        match self.method(code, transaction.sender_pid, reader, out) {
            Ok(reply) => Reply::Parcel(reply),
            Err(
                ReadError::Truncated | ReadError::BadValue | ReadError::BadObject | ReadError::WrongInterface,
            ) => Reply::Status(-libc::EBADMSG),
        }
    }

    fn method(
        &mut self,
        code: u32,
        sender_pid: i32,
        reader: &mut Reader<'_>,
        out: &mut Out,
    ) -> Result<Writer, ReadError> {
        let mut reply = Writer::new();
        match code {
            // getService, checkService.
            1 | 3 => {
                let name = reader.string()?;
                let (object, stability) = self.find(&name);
                reply.ok().object(object, stability);
            }
            // getService2, checkService2: Service { ServiceWithMetadata { service, isLazy } }.
            2 | 4 => {
                let name = reader.string()?;
                let (object, stability) = self.find(&name);
                // The union is a parcelable: its presence flag and tag; then the inner
                // parcelable's presence flag and size-prefixed body.
                reply.ok().i32(1).i32(0).i32(1);
                let start = reply.data.len();
                reply.i32(0).object(object, stability).bool(false);
                let size = (reply.data.len() - start) as i32;
                reply.data[start..start + 4].copy_from_slice(&size.to_le_bytes());
            }
            5 => {
                let name = reader.string()?;
                let (object, stability) = reader.object()?;
                let _allow_isolated = reader.bool()?;
                let dump_priority = reader.i32()?;
                if !valid_name(&name) {
                    reply.exception(exception::ILLEGAL_ARGUMENT, "Invalid service name");
                    return Ok(reply);
                }
                let Object::Handle(handle) = object else {
                    reply.exception(exception::ILLEGAL_ARGUMENT, "Null or local service binder");
                    return Ok(reply);
                };
                self.hold(handle, out);
                let previous = self.services.insert(
                    name.clone(),
                    Service {
                        handle,
                        stability,
                        dump_priority,
                        debug_pid: sender_pid,
                    },
                );
                if let Some(previous) = previous {
                    self.let_go(previous.handle, out);
                }
                self.native.published(&name, handle);
                for callback in self.callbacks.get(&name).cloned().unwrap_or_default() {
                    Self::notify(callback, &name, handle, stability, out);
                }
                reply.ok();
            }
            6 => {
                let dump_priority = reader.i32()?;
                let mut names: Vec<String> = self
                    .services
                    .iter()
                    .filter(|(_, service)| service.dump_priority & dump_priority != 0)
                    .map(|(name, _)| name.clone())
                    .collect();
                if dump_priority & DUMP_FLAG_PRIORITY_DEFAULT != 0 {
                    names.push("manager".into());
                    names.extend(self.native.list());
                }
                names.sort();
                names.dedup();
                reply.ok().strings(&names);
            }
            7 | 8 => {
                let name = reader.string()?;
                let (callback, _) = reader.object()?;
                let Object::Handle(callback) = callback else {
                    reply.exception(exception::NULL_POINTER, "Null callback");
                    return Ok(reply);
                };
                if !valid_name(&name) {
                    reply.exception(exception::ILLEGAL_ARGUMENT, "Invalid service name");
                    return Ok(reply);
                }
                if code == 7 {
                    self.hold(callback, out);
                    self.callbacks.entry(name.clone()).or_default().push(callback);
                    if let Some(service) = self.services.get(&name) {
                        Self::notify(callback, &name, service.handle, service.stability, out);
                    }
                    reply.ok();
                } else {
                    let handles = self.callbacks.entry(name.clone()).or_default();
                    match handles.iter().position(|&h| h == callback) {
                        Some(at) => {
                            handles.remove(at);
                            if handles.is_empty() {
                                self.callbacks.remove(&name);
                            }
                            self.let_go(callback, out);
                            reply.ok();
                        }
                        None => {
                            reply.exception(
                                exception::ILLEGAL_STATE,
                                "Trying to unregister callback, but none exists",
                            );
                        }
                    }
                }
            }
            9 => {
                let _name = reader.string()?;
                reply.ok().bool(false);
            }
            10 | 12 => {
                let _name = reader.string()?;
                reply.ok().strings(&[]);
            }
            11 => {
                let _name = reader.string()?;
                reply.ok().string16(None);
            }
            13 => {
                let _name = reader.string()?;
                reply.ok().i32(0);
            }
            14 | 15 => {
                reply.exception(
                    exception::UNSUPPORTED_OPERATION,
                    "lazy services are not managed by this service manager",
                );
            }
            16 => {
                reply.ok().i32(self.services.len() as i32);
                for (name, service) in &self.services {
                    reply.i32(1);
                    let start = reply.data.len();
                    reply.i32(0).string16(Some(name)).i32(service.debug_pid);
                    let size = (reply.data.len() - start) as i32;
                    reply.data[start..start + 4].copy_from_slice(&size.to_le_bytes());
                }
            }
            _ => unreachable!("codes are checked by the caller"),
        }
        Ok(reply)
    }

    /// The binder a lookup of `name` returns, with its stability.
    fn find(&mut self, name: &str) -> (Object, i32) {
        if let Some(service) = self.services.get(name) {
            return (Object::Handle(service.handle), service.stability);
        }
        if name == "manager" {
            return (
                Object::Binder {
                    ptr: SELF_NODE,
                    cookie: SELF_NODE,
                },
                parcel::STABILITY_SYSTEM,
            );
        }
        if self.native.exists(name) {
            let next = FIRST_NATIVE_NODE + self.native_nodes.len() as u64;
            let node = *self.native_by_name.entry(name.to_owned()).or_insert(next);
            self.native_nodes.insert(node, name.to_owned());
            return (
                Object::Binder {
                    ptr: node,
                    cookie: node,
                },
                parcel::STABILITY_SYSTEM,
            );
        }
        (Object::Null, 0)
    }

    /// `IServiceCallback.onRegistration(name, service)`, one-way.
    fn notify(callback: u32, name: &str, handle: u32, stability: i32, out: &mut Out) {
        let mut parcel = Writer::new();
        parcel
            .interface_token(CALLBACK_DESCRIPTOR)
            .string16(Some(name))
            .object(Object::Handle(handle), stability);
        out.transaction(uapi::BC_TRANSACTION, callback, 1, uapi::TF_ONE_WAY, parcel);
    }
}

enum Reply {
    Parcel(Writer),
    Status(i32),
}

/// The returns of a read, each its code and payload (whose size the code carries); `Err` for
/// one the buffer cuts short.
fn split_returns(mut read: &[u8]) -> impl Iterator<Item = Result<(u32, &[u8]), ()>> {
    std::iter::from_fn(move || {
        let code = u32::from_le_bytes(read.get(..4)?.try_into().expect("4 bytes"));
        let size = ((code >> 16) & 0x3fff) as usize;
        let Some(payload) = read.get(4..4 + size) else {
            read = &[];
            return Some(Err(()));
        };
        read = &read[4 + size..];
        Some(Ok((code, payload)))
    })
}

/// `DEAD_OBJECT` (`-EPIPE`): the target died.
pub const DEAD_OBJECT: i32 = -libc::EPIPE;
/// `FAILED_TRANSACTION`: the driver refused the call (`BR_FAILED_REPLY`).
pub const FAILED_TRANSACTION: i32 = i32::MIN + 2;

/// Calls `handle` from this thread (not a looper): transaction `code` with parcel `data`,
/// which must hold no objects; the reply parcel, or the status (`DEAD_OBJECT`,
/// `FAILED_TRANSACTION`, a status-code reply, or `BAD_TYPE` for a reply with objects, which a
/// microkernel channel cannot carry).
pub fn call(driver: &Driver, handle: u32, code: u32, data: &[u8], one_way: bool) -> Result<Vec<u8>, i32> {
    let mut out = Out::default();
    let flags = if one_way { uapi::TF_ONE_WAY } else { 0 };
    out.transaction(
        uapi::BC_TRANSACTION,
        handle,
        code,
        flags,
        Writer {
            data: data.to_vec(),
            offsets: Vec::new(),
        },
    );
    let mut read = vec![0u8; 256];
    loop {
        let (commands, kept) = out.take();
        let n = driver
            .write_read(&commands, &mut read)
            .map_err(|e| -e.raw_os_error().unwrap_or(libc::EIO))?;
        drop(kept);
        for item in split_returns(&read[..n]) {
            let (code, payload) = item.map_err(|()| -libc::EPROTO)?;
            match code {
                uapi::BR_TRANSACTION_COMPLETE if one_way => return Ok(Vec::new()),
                uapi::BR_DEAD_REPLY => return Err(DEAD_OBJECT),
                uapi::BR_FAILED_REPLY => return Err(FAILED_TRANSACTION),
                uapi::BR_INCREFS | uapi::BR_ACQUIRE => out.acknowledge(code, payload),
                uapi::BR_REPLY => {
                    let reply = Transaction::parse(payload);
                    let bytes = driver.buffer(reply.data, reply.data_size).map(<[u8]>::to_vec);
                    let mut free = Out::default();
                    free.word(uapi::BC_FREE_BUFFER).u64(reply.data);
                    driver
                        .write_read(&free.commands, &mut [])
                        .map_err(|e| -e.raw_os_error().unwrap_or(libc::EIO))?;
                    let bytes = bytes.ok_or(-libc::EFAULT)?;
                    if reply.flags & 0x08 != 0 {
                        // TF_STATUS_CODE: the reply is a status.
                        let status = bytes.get(..4).ok_or(-libc::EPROTO)?;
                        return Err(i32::from_le_bytes(status.try_into().expect("4 bytes")));
                    }
                    if reply.offsets_size != 0 {
                        return Err(parcel::BAD_TYPE);
                    }
                    return Ok(bytes);
                }
                _ => {}
            }
        }
    }
}
