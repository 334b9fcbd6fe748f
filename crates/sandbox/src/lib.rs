//! The HyperCompat sandbox (issue 8, first step): runs an unmodified Linux program in new user,
//! mount, pid, ipc and uts namespaces under the syscall bridge's seccomp filter, and serves the
//! calls the filter notifies.
//!
//! - [`filter`]: the BPF program, compiled from the syscall table (`syscall_bridge::rows`):
//!   pass → allow (but the row's refused arguments → `EPERM`), translate → user notification,
//!   deny → the row's errno, anything else → `ENOSYS`; other architectures are killed, x32
//!   refused.
//! - [`launch`](mod@launch): the child, its namespaces, `no_new_privs`, the filter with a
//!   listener handed back over `SCM_RIGHTS`, then `execve`.
//! - [`supervisor`]: the notification loop; `uname` is emulated ([`target`]), every other
//!   translated call fails with `ENOSYS` and records a [`StubEvent`].
//!
//! # Why a crate of its own
//! `syscall-bridge` promises the analyzer a table without dependencies. A `runtime` feature
//! on that crate would not keep the promise inside this workspace: cargo unifies features across
//! the packages of one build, so building the sandbox beside the analyzer would compile the
//! runtime into the analyzer too. A separate crate that depends on the table cannot leak.
//!
//! # Why hand-written BPF, not `seccompiler` or `libseccomp`
//! Released `seccompiler` (0.5) has no user-notification action, so its JSON could not state
//! the translate fate; using it would mean compiling a JSON policy with a placeholder action and
//! patching the returned instructions — a second policy format to keep in sync with the table,
//! plus an edit of generated code. `libseccomp` needs the C library at build and run time. The
//! policy is already data — the table — and the program it needs is six fixed instructions plus
//! a compare-and-return pair per syscall ([`filter`]); writing that directly keeps one source of
//! truth with no generated file to go stale, and a unit test runs the program against the table
//! for every number. The few argument rules (the table's `partial` pass rows: `clone` with a
//! `CLONE_NEW*` flag, two `prctl` options) are table data too (`Row::refused`), compiled to a
//! load-test-return block each.

pub mod binder;
pub mod bridge;
mod caps;
mod colocate;
pub mod fifo;
pub mod filter;
pub mod launch;
pub mod parked;
pub mod procmgr;
pub mod root;
pub mod target;
pub mod vfs;

use std::ffi::OsString;
use std::os::fd::{AsFd, BorrowedFd};
use std::sync::atomic::{AtomicBool, Ordering};

use microkernel::protocol::Method;
use microkernel::protocols::logd;

pub use bridge::{Denial, ServeError, StubEvent};
pub use launch::{LaunchError, Launched, Namespaces, Policy, launch};
pub use root::{Bind, GuestRoot};

use std::path::PathBuf;

/// Why a sandboxed run failed (not the program's own failure, which is its [`Exit`]).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Launch(#[from] LaunchError),
    #[error(transparent)]
    Serve(#[from] ServeError),
    #[error("waiting for the sandboxed program failed: {0}")]
    Wait(#[source] std::io::Error),
    #[error("registering the sandbox with procmgr: {0}")]
    Procmgr(#[source] microkernel::Error),
}

/// How the sandboxed program ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

/// What to run and in which tree.
#[derive(Debug)]
pub struct Config {
    pub program: OsString,
    pub args: Vec<OsString>,
    /// The program's environment ([`guest_env`] by default).
    pub env: Vec<(OsString, OsString)>,
    pub root: GuestRoot,
    /// The `hc-vfs` binary ([`vfs::default_program`] by default), or any program that calls
    /// [`vfs::server_main`] when started with [`Config::vfs_args`].
    pub vfs: PathBuf,
    /// Arguments for [`Config::vfs`] (none for `hc-vfs`).
    pub vfs_args: Vec<OsString>,
    /// Descriptors of this process the program inherits (none by default: every descriptor
    /// from 3 up is closed in the sandbox).
    pub keep_fds: Vec<std::os::fd::RawFd>,
    /// Report every served call to [`Config::events`], not only refusals and stub hits (each
    /// costs a message to the supervisor).
    pub trace: bool,
    /// Where every event the bridge reports goes, as it arrives (the run keeps only the first
    /// [`KEPT_EVENTS`] refusals and stub hits, and counts the rest).
    pub events: Option<std::sync::Arc<dyn EventSink>>,
    /// Startup handles (`microkernel::startup`): each is placed at its fd number in the
    /// program (fd 3 is its channel to svcmgr).
    pub startup: Vec<(std::os::fd::OwnedFd, std::os::fd::RawFd)>,
    /// Android's app policy on top of the bridge's fates, or not ([`Policy::Linux`] by default).
    pub policy: Policy,
    /// The socket of a Binder world (`hyper-compat binder-world`) whose processes the
    /// program's share Binder with; `None` (the default) gives the sandbox a Binder of its own.
    pub binder_world: Option<std::path::PathBuf>,
    /// procmgr, with which the sandbox is registered once its program is started: its `vfs`
    /// then serves the `/proc` files procmgr builds ([`procmgr`](mod@procmgr)). `None` (the
    /// default) leaves the guest's `/proc` as its pid namespace's procfs shows it.
    pub procmgr: Option<std::sync::Arc<dyn procmgr::Registrar>>,
}

impl Config {
    pub fn new(program: impl Into<OsString>, args: Vec<OsString>, root: GuestRoot) -> Config {
        Config {
            program: program.into(),
            args,
            env: guest_env(&root),
            root,
            vfs: vfs::default_program(),
            vfs_args: Vec::new(),
            keep_fds: Vec::new(),
            trace: false,
            events: None,
            startup: Vec::new(),
            policy: Policy::Linux,
            binder_world: None,
            procmgr: None,
        }
    }
}

/// The host variables the guest gets as they are: the terminal's kind and the locale, which
/// say how to show text and nothing about the host. Anything else of the caller's environment
/// (tokens, credentials, host paths) stays out unless asked for ([`pass_env`]).
const HOST_ENV: [&str; 5] = ["TERM", "COLORTERM", "LANG", "LANGUAGE", "TZ"];

/// The guest's environment: `HOME` and `PWD` its app folder, `TMPDIR` `/tmp`, `PATH` the
/// system's, and of the host's only [`HOST_ENV`] and the `LC_*` locale variables.
pub fn guest_env(root: &GuestRoot) -> Vec<(OsString, OsString)> {
    let app = root.app_dir().into_os_string();
    let mut env: Vec<(OsString, OsString)> = std::env::vars_os()
        .filter(|(key, _)| {
            HOST_ENV.iter().any(|name| key == name) || key.as_encoded_bytes().starts_with(b"LC_")
        })
        .collect();
    env.extend([
        ("HOME".into(), app.clone()),
        ("PWD".into(), app),
        ("TMPDIR".into(), "/tmp".into()),
        (
            "PATH".into(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
        ),
    ]);
    env
}

/// Applies an `--env` option to `env`: `NAME=VALUE` sets the variable, `NAME` alone passes the
/// host's value (and nothing when the host has none).
pub fn pass_env(env: &mut Vec<(OsString, OsString)>, spec: &std::ffi::OsStr) {
    let bytes = spec.as_encoded_bytes();
    let (name, value) = match bytes.iter().position(|&b| b == b'=') {
        // SAFETY: split at an ASCII '=', so both halves are valid OsStr encodings.
        Some(at) => unsafe {
            (
                OsString::from_encoded_bytes_unchecked(bytes[..at].to_vec()),
                Some(OsString::from_encoded_bytes_unchecked(bytes[at + 1..].to_vec())),
            )
        },
        None => (spec.to_os_string(), None),
    };
    let Some(value) = value.or_else(|| std::env::var_os(&name)) else {
        return;
    };
    env.retain(|(key, _)| *key != name);
    env.push((name, value));
}

/// Receives the bridge's events during a run ([`Config::events`]): called on the supervising
/// thread, one event at a time; the bridge waits while it is busy.
pub trait EventSink: Send + Sync + std::fmt::Debug {
    fn event(&self, event: &logd::TelemetryRequest);
}

/// How many refusals and stub hits a [`Run`] keeps in full: a program can make any number of
/// them, and the supervisor's memory must not grow with it ([`Run::denied`] counts them all).
pub const KEPT_EVENTS: usize = 4096;

/// A finished run: how the program ended and the gaps it ran into.
#[derive(Debug)]
pub struct Run {
    pub exit: Exit,
    /// The first [`KEPT_EVENTS`] calls the sandbox does not emulate, in order.
    pub stubs: Vec<StubEvent>,
    /// The first [`KEPT_EVENTS`] calls the sandbox refused (denied by the table, outside it, or
    /// with refused arguments), in order.
    pub denials: Vec<Denial>,
    /// Every refused call, counted by syscall (name, or `#<number>`) and errno.
    pub denied: std::collections::BTreeMap<(String, i32), u64>,
    /// Whether the kernel accepted `SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP`.
    pub sync_wake_up: bool,
    /// How many times the vfs server was started (more than once: it died and was restarted).
    pub vfs_starts: u32,
}

/// How many times a dying vfs server is restarted in one run before the sandbox is given up.
const VFS_RESTARTS: u32 = 100;

/// Runs `config.program` in a new sandbox until it and everything it started are gone. Its
/// notified calls are served by an `hc-vfs` process (the bridge and the `vfs` server); a
/// thread of this process supervises it: collects its stub events and, should it die, fails
/// the call it was serving with `EIO` and starts a new one on the same listener, so that later
/// calls are served again.
pub fn run(config: &Config) -> Result<Run, RunError> {
    let Launched {
        pid,
        listener,
        namespaces,
    } = launch(
        &config.program,
        &config.args,
        &config.env,
        &config.root,
        &config.keep_fds,
        &config
            .startup
            .iter()
            .map(|(fd, target)| (fd.as_fd(), *target))
            .collect::<Vec<_>>(),
        config.policy,
    )?;
    let sync_wake_up = bridge::set_sync_wake_up(listener.as_fd());
    // Registered before any call of the program is served (vfs is not started yet), so that
    // procmgr knows the sandbox by the time vfs asks.
    let connector = match &config.procmgr {
        None => None,
        Some(registrar) => {
            // A fork's pid is positive.
            let registered = microkernel::Process::open(pid.unsigned_abs())
                .and_then(|process| registrar.register(&process, &config.root.package, config.root.uid));
            match registered {
                Ok(connector) => Some(connector),
                Err(error) => {
                    // SAFETY: kill takes plain values; pid is our unreaped child.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    let _ = wait(pid);
                    return Err(RunError::Procmgr(error));
                }
            }
        }
    };
    let ended = Ended::default();
    let served = std::thread::scope(|scope| {
        let server = scope.spawn(|| {
            let procmgr = connector.as_ref().map(AsFd::as_fd);
            let served = supervise(config, &namespaces, listener.as_fd(), procmgr, &ended);
            if served.is_err() {
                // Nobody answers the guest any more; a guest blocked on a notification would
                // keep `wait` below waiting forever.
                // SAFETY: kill takes plain values. The pid is unreaped until `wait` returns, and
                // `wait` can only return once the guest is gone, so it names no other process.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
            served
        });
        let exit = wait(pid);
        // The sandbox is gone: its server, blocked receiving, would wait forever.
        ended.guest_gone.store(true, Ordering::SeqCst);
        ended.kill_server();
        (exit, server.join().expect("the supervisor thread does not panic"))
    });
    let exit = served.0.map_err(RunError::Wait)?;
    let (events, vfs_starts) = served.1?;
    Ok(Run {
        exit,
        stubs: events.stubs,
        denials: events.denials,
        denied: events.denied,
        sync_wake_up,
        vfs_starts,
    })
}

/// What the bridge reported during a run.
#[derive(Debug, Default)]
struct Events {
    stubs: Vec<StubEvent>,
    denials: Vec<Denial>,
    denied: std::collections::BTreeMap<(String, i32), u64>,
}

impl Events {
    fn add(&mut self, event: &logd::TelemetryRequest) {
        if let Some(stub) = bridge::stub_from_telemetry(event)
            && self.stubs.len() < KEPT_EVENTS
        {
            self.stubs.push(stub);
        }
        if let Some(denial) = bridge::denial_from_telemetry(event) {
            *self
                .denied
                .entry((denial.syscall.clone(), denial.errno))
                .or_insert(0) += 1;
            if self.denials.len() < KEPT_EVENTS {
                self.denials.push(denial);
            }
        }
    }
}

/// How the end of a run reaches the supervisor thread.
#[derive(Debug, Default)]
struct Ended {
    /// The program (and so every process of the sandbox) is gone.
    guest_gone: AtomicBool,
    /// The running `hc-vfs` (signalled through its pidfd, so never another process).
    server: std::sync::Mutex<Option<std::sync::Arc<microkernel::Process>>>,
}

impl Ended {
    fn kill_server(&self) {
        let server = self
            .server
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(server) = server.as_ref() {
            let _ = server.send_signal(libc::SIGKILL);
        }
    }

    fn set_server(&self, server: Option<std::sync::Arc<microkernel::Process>>) {
        *self
            .server
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = server;
    }
}

/// Keeps an `hc-vfs` serving `listener` until the sandbox is gone; returns what it reported and
/// how many servers were started.
fn supervise(
    config: &Config,
    namespaces: &Namespaces,
    listener: BorrowedFd<'_>,
    procmgr: Option<BorrowedFd<'_>>,
    ended: &Ended,
) -> Result<(Events, u32), ServeError> {
    // The bridge threads' calls, then the parked ones (crate::parked).
    let size = bridge::SLOT_SIZE * (vfs::BRIDGE_THREADS + parked::SLOTS);
    let in_flight = microkernel::Vmo::create(c"hc-vfs in flight", size as u64).map_err(ServeError::Vfs)?;
    let mut events = Events::default();
    let mut starts = 0;
    loop {
        let running =
            vfs::start(config, namespaces, listener, in_flight.as_fd(), procmgr).map_err(ServeError::Vfs)?;
        starts += 1;
        let process = std::sync::Arc::new(running.process);
        ended.set_server(Some(std::sync::Arc::clone(&process)));
        if ended.guest_gone.load(Ordering::SeqCst) {
            // The program ended while this server started: nothing is left to serve.
            ended.kill_server();
        }
        loop {
            match running.channel.read() {
                Ok(message) if message.header.ordinal == logd::Telemetry::ORDINAL => {
                    if let Ok(event) = microkernel::wire::decode_body::<logd::TelemetryRequest>(&message.body)
                    {
                        events.add(&event);
                        if let Some(sink) = &config.events {
                            sink.event(&event);
                        }
                    }
                }
                Ok(_) | Err(microkernel::Error::Truncated | microkernel::Error::Wire(_)) => {}
                Err(_) => break,
            }
        }
        let exit = process.wait().map_err(ServeError::Vfs)?;
        ended.set_server(None);
        if ended.guest_gone.load(Ordering::SeqCst) {
            // Ended by `run` once the program was gone.
            return Ok((events, starts));
        }
        // The server died: the calls it was serving fail, a new server takes the queue.
        // A slot's first 8 bytes are the id of the call received into it (seccomp_notif.id).
        let mut slots = vec![0u8; size];
        in_flight.read(0, &mut slots).map_err(ServeError::Vfs)?;
        for slot in slots.chunks_exact(bridge::SLOT_SIZE) {
            let id = u64::from_ne_bytes(slot[..8].try_into().expect("8 bytes"));
            if id != 0 {
                bridge::fail_notification(listener, id, libc::EIO);
            }
        }
        in_flight.write(0, &vec![0; size]).map_err(ServeError::Vfs)?;
        if starts > VFS_RESTARTS {
            return Err(ServeError::VfsKeepsDying {
                exit: format!("{exit:?}"),
            });
        }
    }
}

fn wait(pid: libc::pid_t) -> std::io::Result<Exit> {
    let mut status = 0;
    loop {
        // SAFETY: pid is our unreaped child; status is a live local.
        if unsafe { libc::waitpid(pid, &mut status, libc::__WALL) } >= 0 {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    Ok(if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Code(libc::WEXITSTATUS(status))
    })
}
