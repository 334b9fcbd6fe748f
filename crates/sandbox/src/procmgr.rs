//! procmgr, the guest process table (`microkernel::protocols::procmgr`), and the `/proc` files
//! it builds from guest data.
//!
//! The kernel already keeps guest ids: the sandbox's pid namespace numbers its processes and
//! its user namespace maps the app's uid, so `getpid`, `getuid` and the rest run natively
//! (the rule: let the namespaces answer what they can). procmgr keeps what they do not:
//! which sandbox a host process belongs to (by its pid namespace), the app it runs and its uid.
//! It answers from the host's `/proc`, translated into the sandbox's terms (`NStgid`/`NSpid`
//! and the sandbox's `uid_map`/`gid_map`), so its answers are the kernel's and cannot drift.
//!
//! It also serves the files of `/proc` that would otherwise show the host kernel to the guest
//! (`/proc/version`, `/proc/sys/kernel/{ostype,osrelease,version}`): `uname` reports the
//! target ([`crate::target`]), and a program that reads the same facts from `/proc` (Android's
//! `Build`, bug reporters, `lsb_release`, crash handlers) must see the same. The host name and
//! domain name need nothing: the sandbox's uts namespace holds the target's.
//!
//! # Supervision
//! `hyper-compat __procmgr` runs it as a process of its own, with its control channel at fd 3;
//! the runtime registers each sandbox there and adopts every channel `vfs` opens to it. Unlike
//! svcmgr, procmgr keeps no journal with its supervisor: its only clients are `vfs` servers,
//! which open a fresh channel after a failure, so a dead procmgr's channels are simply closed —
//! the call in flight fails with `EIO` at once — and the supervisor registers every live
//! sandbox again with the successor before handing it new channels.

use std::collections::BTreeMap;

use microkernel::protocol::Method;
use microkernel::protocols::procmgr as protocol;
use microkernel::rpc::Dispatcher;
use microkernel::wire::ErrorReply;
use microkernel::{Channel, Errno, Error, Message, Process, Vmo, WaitSet};

use crate::target;

/// Set in procmgr's environment, a `ProcFile` of exactly this path kills it while it serves
/// the call: the fault injection of the restart tests.
pub const FAULT_ENV: &str = "HC_PROCMGR_FAULT_PATH";

/// The files procmgr builds, by path under `/proc`.
pub const PROC_FILES: &[&str] = &[
    "version",
    "sys/kernel/ostype",
    "sys/kernel/osrelease",
    "sys/kernel/version",
];

/// The text of `/proc/<path>` on the target, for a path of [`PROC_FILES`].
pub fn proc_file(path: &str) -> Option<String> {
    let text = match path {
        // Linux's layout: "Linux version <release> (<builder>) (<toolchain>) <version>".
        "version" => format!(
            "{} version {} (hypercompat@{}) (HyperCompat syscall bridge) {}",
            target::SYSNAME,
            target::RELEASE,
            target::NODENAME,
            target::VERSION
        ),
        "sys/kernel/ostype" => target::SYSNAME.to_owned(),
        "sys/kernel/osrelease" => target::RELEASE.to_owned(),
        "sys/kernel/version" => target::VERSION.to_owned(),
        _ => return None,
    };
    Some(text + "\n")
}

/// How a sandbox is registered with procmgr: implemented by the runtime that supervises it
/// (`hyper-compat run`), called by [`crate::run`] once the program is started.
pub trait Registrar: Send + Sync + std::fmt::Debug {
    /// Registers the sandbox whose first process is `process`, running app `package` as
    /// `uid`; returns the connector its `vfs` reaches procmgr through ([`crate::vfs::PROCMGR_FD`]).
    /// The registration ends when the connector is closed.
    fn register(&self, process: &Process, package: &str, uid: u32) -> Result<Channel, Error>;
}

/// A registered sandbox.
#[derive(Debug)]
struct Sandbox {
    /// Its first process; readable once it has exited. Holding it keeps the pid namespace,
    /// and so its inode number, alive.
    process: Process,
    /// The inode of its pid namespace: a host process is the sandbox's when its own is this.
    pid_ns: u64,
    /// Its user namespace's `uid_map` and `gid_map` (written once, before the program ran).
    uid_map: String,
    gid_map: String,
    package: String,
}

impl Sandbox {
    fn new(request: &protocol::RegisterRequest, process: Process) -> Result<Sandbox, String> {
        let task = pid_of(&process)
            .and_then(Task::open)
            .ok_or("its first process has exited")?;
        let pid_ns = task.pid_namespace().ok_or("its pid namespace cannot be read")?;
        let (Some(uid_map), Some(gid_map), Some(status)) =
            (task.read("uid_map"), task.read("gid_map"), task.read("status"))
        else {
            return Err("its id maps cannot be read".into());
        };
        // The runtime's word is checked against the kernel's.
        let uid = field(&status, "Uid")
            .next()
            .and_then(|host| to_guest(&uid_map, host));
        if uid != Some(request.uid) {
            return Err(format!(
                "it runs as uid {uid:?} in its user namespace, not {}",
                request.uid
            ));
        }
        Ok(Sandbox {
            process,
            pid_ns,
            uid_map,
            gid_map,
            package: request.package.clone(),
        })
    }
}

/// What a waitset key points at.
#[derive(Debug)]
enum Slot {
    Control(Channel),
    /// A channel of `sandbox`'s vfs.
    Client {
        sandbox: u64,
        channel: Channel,
    },
    /// The first process of `sandbox` (its pidfd is in the waitset).
    Exit {
        sandbox: u64,
    },
}

#[derive(Debug)]
struct Table {
    waitset: WaitSet,
    slots: BTreeMap<u64, Slot>,
    sandboxes: BTreeMap<u64, Sandbox>,
    next_key: u64,
    /// The sandbox whose call is being dispatched.
    caller: u64,
    /// [`FAULT_ENV`].
    fault: Option<String>,
    /// The kernel's `overflowuid` and `overflowgid`.
    overflow: (u32, u32),
}

fn fail(errno: Errno, message: impl Into<String>) -> ErrorReply {
    ErrorReply::failed(errno, message)
}

fn no_such_thread(tid: u32) -> ErrorReply {
    fail(
        Errno::SRCH,
        format!("thread {tid} is not in the caller's sandbox"),
    )
}

/// A host task's `/proc` directory, opened once: every file read through it is that task's,
/// or fails once the task is gone, even if its number is given to another task meanwhile.
struct Task(std::os::fd::OwnedFd);

impl Task {
    fn open(tid: u32) -> Option<Task> {
        rustix::fs::open(
            format!("/proc/{tid}").as_str(),
            rustix::fs::OFlags::PATH | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )
        .ok()
        .map(Task)
    }

    /// The inode of its pid namespace.
    fn pid_namespace(&self) -> Option<u64> {
        rustix::fs::statat(&self.0, "ns/pid", rustix::fs::AtFlags::empty())
            .ok()
            .map(|stat| stat.st_ino)
    }

    /// One of its files (`status`, `uid_map`, …).
    fn read(&self, name: &str) -> Option<String> {
        let fd = rustix::fs::openat(
            &self.0,
            name,
            rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )
        .ok()?;
        std::io::read_to_string(std::fs::File::from(fd)).ok()
    }
}

/// The numbers of a `/proc/<pid>/status` line by its key (`NSpid`, `Uid`, …); none when the
/// line is missing.
pub(crate) fn field<'a>(status: &'a str, key: &str) -> impl Iterator<Item = u32> + use<'a> {
    let values = status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'));
    values
        .into_iter()
        .flat_map(str::split_whitespace)
        .filter_map(|value| value.parse().ok())
}

/// The host pid behind a pidfd (its `fdinfo`).
fn pid_of(process: &Process) -> Option<u32> {
    use std::os::fd::{AsFd, AsRawFd};
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{}", process.as_fd().as_raw_fd())).ok()?;
    field(&info, "Pid").next().filter(|&pid| pid > 0)
}

/// Host id `id` in the sandbox's terms, through its `uid_map` or `gid_map` (`None`: unmapped).
fn to_guest(map: &str, id: u32) -> Option<u32> {
    map.lines().find_map(|line| {
        let mut numbers = line.split_whitespace().filter_map(|n| n.parse::<u64>().ok());
        let (inside, outside, count) = (numbers.next()?, numbers.next()?, numbers.next()?);
        let offset = u64::from(id).checked_sub(outside).filter(|&o| o < count)?;
        u32::try_from(inside + offset).ok()
    })
}

/// What the kernel shows for an id a namespace does not map: `overflowuid` or `overflowgid`.
fn overflow_id(name: &str) -> u32 {
    std::fs::read_to_string(format!("/proc/sys/kernel/{name}"))
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(65_534)
}

impl Table {
    /// Watches `fd` under a new key, for the slot the caller then files under it.
    fn watch(&mut self, fd: &impl std::os::fd::AsFd) -> Result<u64, Error> {
        let key = self.next_key;
        self.waitset.add(fd, key)?;
        self.next_key += 1;
        Ok(key)
    }

    fn remove(&mut self, key: u64) {
        match self.slots.remove(&key) {
            Some(Slot::Client { channel, .. }) | Some(Slot::Control(channel)) => {
                let _ = self.waitset.remove(&channel);
            }
            Some(Slot::Exit { sandbox }) => {
                if let Some(gone) = self.sandboxes.remove(&sandbox) {
                    let _ = self.waitset.remove(&gone.process);
                }
            }
            None => {}
        }
    }

    /// Registers a sandbox, or says on standard error why not (its vfs's calls then fail).
    fn register(&mut self, request: protocol::RegisterRequest, process: Process) {
        if self.sandboxes.contains_key(&request.sandbox) {
            return; // the supervisor's second registration after a restart
        }
        match Sandbox::new(&request, process) {
            Ok(sandbox) => match self.watch(&sandbox.process) {
                Ok(key) => {
                    let id = request.sandbox;
                    self.slots.insert(key, Slot::Exit { sandbox: id });
                    self.sandboxes.insert(id, sandbox);
                }
                Err(error) => eprintln!(
                    "procmgr: sandbox {}: watching its process: {error}",
                    request.sandbox
                ),
            },
            Err(reason) => eprintln!("procmgr: sandbox {} not registered: {reason}", request.sandbox),
        }
    }

    fn sandbox(&self) -> Result<&Sandbox, ErrorReply> {
        self.sandboxes
            .get(&self.caller)
            .ok_or_else(|| fail(Errno::SRCH, "the caller's sandbox has ended"))
    }

    /// Host task `tid`, when it is in the caller's sandbox.
    fn task(&self, tid: u32) -> Result<Task, ErrorReply> {
        let ours = self.sandbox()?.pid_ns;
        Task::open(tid)
            .filter(|task| task.pid_namespace() == Some(ours))
            .ok_or_else(|| no_such_thread(tid))
    }

    fn identity(&self, host_tid: u32) -> Result<protocol::IdentityResponse, ErrorReply> {
        let sandbox = self.sandbox()?;
        let task = self.task(host_tid)?;
        let status = task.read("status").ok_or_else(|| no_such_thread(host_tid))?;
        let last = |key: &str| field(&status, key).last().ok_or_else(|| no_such_thread(host_tid));
        let (pid, tid) = (last("NStgid")?, last("NSpid")?);
        // The parent's number in the sandbox; 0 when it is outside (the first process's).
        let host_ppid = field(&status, "PPid").next().unwrap_or(0);
        let ppid = self
            .task(host_ppid)
            .ok()
            .and_then(|parent| parent.read("status"))
            .and_then(|parent| field(&parent, "NStgid").last())
            .unwrap_or(0);
        let ids = |key: &str, map: &str, overflow: u32| -> Vec<u32> {
            field(&status, key)
                .map(|id| to_guest(map, id).unwrap_or(overflow))
                .collect()
        };
        let uids = ids("Uid", &sandbox.uid_map, self.overflow.0);
        let gids = ids("Gid", &sandbox.gid_map, self.overflow.1);
        let (Some(&uid), Some(&euid), Some(&gid), Some(&egid)) =
            (uids.first(), uids.get(1), gids.first(), gids.get(1))
        else {
            return Err(no_such_thread(host_tid));
        };
        Ok(protocol::IdentityResponse {
            pid,
            ppid,
            tid,
            uid,
            euid,
            gid,
            egid,
            groups: ids("Groups", &sandbox.gid_map, self.overflow.1),
            package: sandbox.package.clone(),
        })
    }

    fn list(&self) -> Result<Vec<u32>, ErrorReply> {
        let entries = std::fs::read_dir("/proc").map_err(|e| fail(Errno::IO, format!("/proc: {e}")))?;
        let mut pids: Vec<u32> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
            .filter_map(|pid| self.task(pid).ok()?.read("status"))
            .filter_map(|status| field(&status, "NStgid").last())
            .collect();
        pids.sort_unstable();
        pids.dedup();
        Ok(pids)
    }
}

fn dispatcher() -> Dispatcher<Table> {
    Dispatcher::<Table>::new()
        .on::<protocol::Identity>(|table, request, _| Ok((table.identity(request.host_tid)?, vec![])))
        .on::<protocol::ProcFile>(|table, request, _| {
            if table.fault.as_deref() == Some(request.path.as_str()) {
                // The injected death, while the call is in flight.
                let _ =
                    rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
            }
            table.sandbox()?;
            let text = proc_file(&request.path)
                .ok_or_else(|| fail(Errno::NOENT, format!("procmgr builds no /proc/{}", request.path)))?;
            let vmo = Vmo::from_bytes(c"procmgr", text.as_bytes())?;
            vmo.seal_read_only()?;
            Ok((protocol::ProcFileResponse {}, vec![vmo.into()]))
        })
        .on::<protocol::List>(|table, _, _| Ok((protocol::ListResponse { pids: table.list()? }, vec![])))
}

/// A message on the control channel: a sandbox to register or a channel to adopt.
fn control_message(table: &mut Table, message: Message) {
    let ordinal = message.header.ordinal;
    let Some(handle) = message.handles.into_iter().next() else {
        return;
    };
    if ordinal == protocol::Register::ORDINAL {
        if let (Ok(request), Ok(process)) = (
            microkernel::wire::decode_body::<protocol::RegisterRequest>(&message.body),
            Process::try_from(handle),
        ) {
            table.register(request, process);
        }
    } else if ordinal == protocol::Adopt::ORDINAL
        && let (Ok(request), Ok(channel)) = (
            microkernel::wire::decode_body::<protocol::AdoptRequest>(&message.body),
            Channel::try_from(handle),
        )
    {
        // A channel of a sandbox that is not registered (or gone) is dropped: its vfs's call
        // fails, as the sandbox has nothing left to ask.
        if table.sandboxes.contains_key(&request.sandbox)
            && let Ok(key) = table.watch(&channel)
        {
            let sandbox = request.sandbox;
            table.slots.insert(key, Slot::Client { sandbox, channel });
        }
    }
}

/// Serves procmgr for a supervisor on `control` (`procmgr.Register`, `procmgr.Adopt`) and on
/// every channel it adopts, until the supervisor closes `control`. [`FAULT_ENV`] is honoured.
pub fn serve(control: Channel) -> Result<(), Error> {
    let mut table = Table {
        waitset: WaitSet::new()?,
        slots: BTreeMap::new(),
        sandboxes: BTreeMap::new(),
        next_key: 0,
        caller: 0,
        fault: std::env::var(FAULT_ENV).ok().filter(|path| !path.is_empty()),
        overflow: (overflow_id("overflowuid"), overflow_id("overflowgid")),
    };
    let key = table.watch(&control)?;
    table.slots.insert(key, Slot::Control(control));
    let mut dispatcher = dispatcher();
    loop {
        for key in table.waitset.wait(None)? {
            let message = match table.slots.get(&key) {
                Some(Slot::Control(control)) => match control.try_read() {
                    Ok(Some(message)) => {
                        control_message(&mut table, message);
                        continue;
                    }
                    Ok(None) | Err(Error::Truncated | Error::Wire(_)) => continue,
                    // The supervisor is gone: so is procmgr.
                    Err(_) => return Ok(()),
                },
                Some(Slot::Exit { .. }) => {
                    table.remove(key);
                    continue;
                }
                Some(Slot::Client { sandbox, channel }) => {
                    table.caller = *sandbox;
                    channel.try_read()
                }
                None => continue,
            };
            let message = match message {
                Ok(Some(message)) => message,
                Ok(None) | Err(Error::Truncated | Error::Wire(_)) => continue,
                Err(_) => {
                    table.remove(key);
                    continue;
                }
            };
            if let Some(reply) = dispatcher.dispatch(&mut table, message)
                && let Some(Slot::Client { channel, .. }) = table.slots.get(&key)
                && let Err(Error::PeerClosed) = channel.write(&reply)
            {
                table.remove(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_map_through_the_namespaces_maps_and_unmapped_ones_do_not() {
        let map = "     10123       1000          1\n         0     100000      65536\n";
        assert_eq!(to_guest(map, 1000), Some(10123));
        assert_eq!(to_guest(map, 100_000), Some(0));
        assert_eq!(to_guest(map, 165_535), Some(65_535));
        assert_eq!(to_guest(map, 165_536), None);
        assert_eq!(to_guest(map, 999), None);
        assert_eq!(to_guest("", 0), None);
    }

    #[test]
    fn status_fields_are_read_by_their_key() {
        let status =
            "Name:\tsh\nPid:\t4242\nPPid:\t4000\nNSpid:\t4242\t1\nUid:\t1000\t1000\t1000\t1000\nGroups:\t\n";
        assert_eq!(field(status, "NSpid").collect::<Vec<_>>(), [4242, 1]);
        assert_eq!(field(status, "Pid").collect::<Vec<_>>(), [4242]);
        assert_eq!(field(status, "PPid").collect::<Vec<_>>(), [4000]);
        assert_eq!(field(status, "Groups").count(), 0);
        assert_eq!(field(status, "NStgid").count(), 0);
    }

    #[test]
    fn the_proc_files_are_the_targets_and_only_those_are_built() {
        for path in PROC_FILES {
            let text = proc_file(path).unwrap();
            assert!(
                text.ends_with('\n') && text.lines().count() == 1,
                "{path}: {text:?}"
            );
        }
        assert_eq!(
            proc_file("sys/kernel/osrelease").unwrap(),
            format!("{}\n", target::RELEASE)
        );
        let version = proc_file("version").unwrap();
        assert!(version.starts_with(&format!("Linux version {} (", target::RELEASE)));
        assert!(version.trim_end().ends_with(target::VERSION));
        for other in ["cpuinfo", "self/status", "sys/kernel/hostname", "", "../version"] {
            assert_eq!(proc_file(other), None, "{other}");
        }
    }
}
