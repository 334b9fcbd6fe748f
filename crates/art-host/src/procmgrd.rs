//! procmgr as a process of its own (`hyper-compat __procmgr`, `sandbox::procmgr`), supervised
//! by `hyper-compat run`.
//!
//! The supervisor is procmgr's only writer on its control channel: it registers each sandbox
//! (`procmgr.Register`, with a copy of the sandbox's first process) and forwards each channel
//! the sandbox's vfs opens on its connector (`procmgr.Adopt`). It keeps the registrations, not
//! the channels: should procmgr die, every channel it served closes with it — the call in flight
//! fails with `EIO` in vfs at once — and the supervisor starts another procmgr, registers every
//! live sandbox again, and hands it the channels vfs opens from then on.

use std::collections::BTreeMap;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use microkernel::protocol::Method;
use microkernel::protocols::{procmgr, service};
use microkernel::{Channel, Error, Handle, Process, rpc, startup};

/// The argument with which `hyper-compat` runs as procmgr.
pub const PROCMGR_SERVER: &str = "__procmgr";
/// Where the server finds its control channel.
const CONTROL_FD: i32 = 3;
/// How many times a dying procmgr is started again in one run before it is given up (its
/// callers' calls then fail with `EIO`).
const RESTARTS: u32 = 100;

/// The server's whole life.
pub fn server_main() -> Result<(), Error> {
    let control = Channel::try_from(startup::take_startup_handle(CONTROL_FD)?)?;
    sandbox::procmgr::serve(control)
}

/// A handle of its own to the object behind `object`.
fn handle_of(object: &impl AsFd) -> Result<Handle, Error> {
    let fd = object.as_fd().try_clone_to_owned().map_err(|source| Error::Io {
        op: "duplicating a handle",
        source,
    })?;
    Ok(Handle::from(fd))
}

/// A copy of a process handle.
fn copy(process: &Process) -> Result<Process, Error> {
    Process::try_from(handle_of(process)?)
}

#[derive(Debug)]
struct State {
    /// The running procmgr and its control channel.
    process: Arc<Process>,
    control: Channel,
    /// How many procmgrs were started; a forward that failed waits for this to change.
    starts: u32,
    /// The live sandboxes, by id: what to register again with a successor.
    sandboxes: BTreeMap<u64, (procmgr::RegisterRequest, Process)>,
    next_sandbox: u64,
}

#[derive(Debug)]
struct Shared {
    exe: PathBuf,
    state: Mutex<State>,
    restarted: Condvar,
    stopping: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sends `request` with `handle` to the running procmgr; should it be dead already (its
    /// control channel closed), to its successor once there is one.
    fn forward<M: Method>(&self, request: &M::Request, handle: &impl AsFd) -> Result<(), Error> {
        let mut state = self.lock();
        loop {
            match rpc::send::<M>(&state.control, request, vec![handle_of(handle)?]) {
                Err(Error::PeerClosed) if !self.stopping.load(Ordering::SeqCst) => {
                    let dead = state.starts;
                    state = self
                        .restarted
                        .wait_while(state, |state| {
                            state.starts == dead && !self.stopping.load(Ordering::SeqCst)
                        })
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                }
                other => return other,
            }
        }
    }
}

/// Starts a procmgr and registers every sandbox of `sandboxes` with it.
fn spawn(
    exe: &Path,
    sandboxes: &BTreeMap<u64, (procmgr::RegisterRequest, Process)>,
) -> Result<(Process, Channel), Error> {
    let (process, control) = crate::svcmgrd::spawn_server(exe, PROCMGR_SERVER)?;
    for (request, first) in sandboxes.values() {
        rpc::send::<procmgr::Register>(&control, request, vec![handle_of(first)?])?;
    }
    Ok((process, control))
}

/// procmgr, started and restarted.
#[derive(Debug)]
pub struct Supervisor {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Supervisor {
    /// Starts procmgr (`exe __procmgr`).
    pub fn start(exe: &Path) -> Result<Supervisor, Error> {
        let sandboxes = BTreeMap::new();
        let (process, control) = spawn(exe, &sandboxes)?;
        let shared = Arc::new(Shared {
            exe: exe.to_path_buf(),
            state: Mutex::new(State {
                process: Arc::new(process),
                control,
                starts: 1,
                sandboxes,
                next_sandbox: 1,
            }),
            restarted: Condvar::new(),
            stopping: AtomicBool::new(false),
        });
        let thread = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || supervise(&shared))
        };
        Ok(Supervisor {
            shared,
            thread: Some(thread),
        })
    }

    /// The registrar `sandbox::run` calls.
    pub fn registrar(&self) -> Arc<dyn sandbox::procmgr::Registrar> {
        Arc::new(Registrar(Arc::clone(&self.shared)))
    }

    /// Ends procmgr; how many times it was started.
    pub fn stop(mut self) -> u32 {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let process = Arc::clone(&self.shared.lock().process);
        let _ = process.send_signal(libc::SIGKILL);
        self.shared.restarted.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.shared.lock().starts
    }
}

/// Waits for procmgr's death and starts its successor, until stopped.
fn supervise(shared: &Shared) {
    loop {
        let process = Arc::clone(&shared.lock().process);
        let _ = process.wait();
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let mut state = shared.lock();
        // `stop` sets the flag before it takes the lock: a stop that came while this waited
        // for the lock must not find a successor it does not know to end.
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        if state.starts > RESTARTS {
            eprintln!(
                "hyper-compat: procmgr died {} times; not starting it again",
                state.starts
            );
            shared.stopping.store(true, Ordering::SeqCst);
            drop(state);
            shared.restarted.notify_all();
            return;
        }
        match spawn(&shared.exe, &state.sandboxes) {
            Ok((process, control)) => {
                state.process = Arc::new(process);
                state.control = control;
                state.starts += 1;
                drop(state);
                shared.restarted.notify_all();
            }
            Err(error) => {
                eprintln!("hyper-compat: procmgr died and could not be started again: {error}");
                shared.stopping.store(true, Ordering::SeqCst);
                drop(state);
                shared.restarted.notify_all();
                return;
            }
        }
    }
}

#[derive(Debug)]
struct Registrar(Arc<Shared>);

impl sandbox::procmgr::Registrar for Registrar {
    fn register(&self, process: &Process, package: &str, uid: u32) -> Result<Channel, Error> {
        let shared = &self.0;
        let request = {
            let mut state = shared.lock();
            let sandbox = state.next_sandbox;
            state.next_sandbox += 1;
            let request = procmgr::RegisterRequest {
                sandbox,
                package: package.to_owned(),
                uid,
            };
            // Kept first: a successor started from now on registers it too (procmgr ignores
            // the second registration of a sandbox).
            state.sandboxes.insert(sandbox, (request.clone(), copy(process)?));
            request
        };
        let sandbox = request.sandbox;
        if let Err(error) = shared.forward::<procmgr::Register>(&request, process) {
            shared.lock().sandboxes.remove(&sandbox);
            return Err(error);
        }
        // The connector: each `service.Connect` vfs sends on it becomes an `Adopt`.
        let (ours, theirs) = Channel::pair()?;
        let shared = Arc::clone(shared);
        std::thread::spawn(move || {
            loop {
                match ours.read() {
                    Ok(message) if message.header.ordinal == service::Connect::ORDINAL => {
                        if let Some(channel) = message.handles.into_iter().next() {
                            let _ = shared.forward::<procmgr::Adopt>(
                                &procmgr::AdoptRequest { sandbox },
                                &channel.into_fd(),
                            );
                        }
                    }
                    Ok(_) | Err(Error::Truncated | Error::Wire(_)) => {}
                    // The sandbox's run is over.
                    Err(_) => break,
                }
            }
            shared.lock().sandboxes.remove(&sandbox);
        });
        Ok(theirs)
    }
}
