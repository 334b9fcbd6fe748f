//! svcmgr as a process of its own (`hyper-compat __svcmgr`), supervised by `hyper-compat run`.
//!
//! The server keeps a journal with the supervisor on its control channel
//! (`microkernel::protocols::svcmgrctl`): a copy of its end of every client channel and service
//! connector, and the calls it has read and not yet answered. Holding those copies keeps every
//! channel open through a crash, so should svcmgr die, [`Supervisor`] fails the calls it left
//! open with `EIO`, starts another and hands it every client and service: the program keeps its
//! svcmgr channel (fd 3), native services keep their names, and later calls work.

use std::collections::BTreeMap;
use std::os::fd::AsFd;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use microkernel::protocol::Method;
use microkernel::protocols::svcmgrctl;
use microkernel::wire::{ErrorReply, Header};
use microkernel::{Channel, Errno, Error, Handle, Message, Process, rpc, startup};

/// The argument with which `hyper-compat` runs as svcmgr.
pub const SVCMGR_SERVER: &str = "__svcmgr";
/// Where the server finds its control channel.
const CONTROL_FD: i32 = 3;

/// The server's whole life.
pub fn server_main() -> Result<(), Error> {
    let control = Channel::try_from(startup::take_startup_handle(CONTROL_FD)?)?;
    microkernel::svcmgr::serve_supervised(control)
}

/// What the supervisor knows from the journal.
#[derive(Debug, Default)]
struct Journal {
    /// svcmgr's end of each client channel, by client id.
    clients: BTreeMap<u64, Channel>,
    /// svcmgr's end of each service connector, by name.
    services: BTreeMap<String, Channel>,
    /// Calls read and not answered: (client, txid) → the method's ordinal.
    open: BTreeMap<(u64, u32), u64>,
    /// How many clients and services the journal may hold before the gone ones are dropped.
    prune_at: usize,
}

/// The journal's size below which it is never pruned.
const PRUNE_FROM: usize = 256;

/// Whether `channel`'s other end is closed.
fn hung_up(channel: &Channel) -> bool {
    use std::os::fd::AsRawFd;
    let mut poll = libc::pollfd {
        fd: channel.as_fd().as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: poll reads and writes the one pollfd it is given; a zero timeout never waits.
    let ready = unsafe { libc::poll(&raw mut poll, 1, 0) };
    ready == 1 && poll.revents & (libc::POLLHUP | libc::POLLRDHUP) != 0
}

impl Journal {
    fn apply(&mut self, message: Message) {
        let ordinal = message.header.ordinal;
        let body = &message.body;
        let channel = || {
            message
                .handles
                .into_iter()
                .next()
                .and_then(|handle| Channel::try_from(handle).ok())
        };
        if ordinal == svcmgrctl::Client::ORDINAL {
            if let (Ok(request), Some(channel)) = (
                microkernel::wire::decode_body::<svcmgrctl::ClientRequest>(body),
                channel(),
            ) {
                self.clients.insert(request.client, channel);
            }
        } else if ordinal == svcmgrctl::Service::ORDINAL {
            if let (Ok(request), Some(channel)) = (
                microkernel::wire::decode_body::<svcmgrctl::ServiceRequest>(body),
                channel(),
            ) {
                self.services.insert(request.name, channel);
            }
        } else if ordinal == svcmgrctl::Call::ORDINAL {
            if let Ok(call) = microkernel::wire::decode_body::<svcmgrctl::CallRequest>(body) {
                self.open.insert((call.client, call.txid), call.ordinal);
            }
        } else if ordinal == svcmgrctl::Done::ORDINAL
            && let Ok(done) = microkernel::wire::decode_body::<svcmgrctl::DoneRequest>(body)
        {
            self.open.remove(&(done.client, done.txid));
        }
        if self.clients.len() + self.services.len() >= self.prune_at.max(PRUNE_FROM) {
            self.prune();
        }
    }

    /// Drops the clients and services whose other end is closed (the channel reports a hang
    /// up), with their open calls: a run whose program makes and closes channels all along
    /// would otherwise keep one descriptor for each in this process, and a new svcmgr would
    /// adopt them all. Done when the journal has doubled since the last time, so it costs a
    /// poll per entry now and then.
    fn prune(&mut self) {
        self.clients.retain(|_, channel| !hung_up(channel));
        self.services.retain(|_, channel| !hung_up(channel));
        let clients = &self.clients;
        self.open.retain(|(client, _), _| clients.contains_key(client));
        self.prune_at = 2 * (self.clients.len() + self.services.len());
    }

    /// Fails every open call with `EIO`, as its server died serving it.
    fn fail_open_calls(&mut self) {
        for ((client, txid), ordinal) in std::mem::take(&mut self.open) {
            let Some(channel) = self.clients.get(&client) else {
                continue;
            };
            let error = ErrorReply::failed(Errno::IO, "svcmgr died while serving the call");
            if let Ok(body) = microkernel::wire::encode_body(&error) {
                let _ = channel.write(&Message {
                    header: Header::request(ordinal, 1, txid).reply(true),
                    body,
                    handles: Vec::new(),
                });
            }
        }
    }
}

/// Sends `request` with a copy of `channel`, waiting while the server's queue is full.
fn send<M: Method>(control: &Channel, request: &M::Request, channel: &Channel) -> Result<(), Error> {
    rpc::send_waiting::<M>(control, request, vec![Handle::from(channel.try_clone()?)])
}

/// Starts `exe MODE` (a server mode of `hyper-compat`) with its end of a new control channel at
/// fd 3; the process and the supervisor's end.
pub fn spawn_server(exe: &Path, mode: &str) -> Result<(Process, Channel), Error> {
    let (control, theirs) = Channel::pair()?;
    let mut command = Command::new(exe);
    command.arg(mode).stdin(Stdio::null()).stdout(Stdio::null());
    let theirs = Handle::from(theirs).into_fd();
    let process = Process::spawn(command, &[(theirs.as_fd(), CONTROL_FD)])?;
    Ok((process, control))
}

/// Starts a server and hands it every client and service of the journal.
fn spawn(exe: &Path, journal: &Journal) -> Result<(Process, Channel), Error> {
    let (process, control) = spawn_server(exe, SVCMGR_SERVER)?;
    for (client, channel) in &journal.clients {
        send::<svcmgrctl::Adopt>(&control, &svcmgrctl::AdoptRequest { client: *client }, channel)?;
    }
    for (name, connector) in &journal.services {
        send::<svcmgrctl::Restore>(
            &control,
            &svcmgrctl::RestoreRequest { name: name.clone() },
            connector,
        )?;
    }
    Ok((process, control))
}

/// svcmgr, started and restarted.
#[derive(Debug)]
pub struct Supervisor {
    stopping: Arc<AtomicBool>,
    current: Arc<Mutex<Option<Arc<Process>>>>,
    thread: Option<std::thread::JoinHandle<u32>>,
}

impl Supervisor {
    /// Starts svcmgr (`exe __svcmgr`); the runtime's own channel to it.
    pub fn start(exe: &Path) -> Result<(Supervisor, Channel), Error> {
        let (ours, theirs) = Channel::pair()?;
        let mut journal = Journal::default();
        journal.clients.insert(1, theirs);
        let (process, control) = spawn(exe, &journal)?;
        let process = Arc::new(process);
        let current = Arc::new(Mutex::new(Some(Arc::clone(&process))));
        let stopping = Arc::new(AtomicBool::new(false));
        let thread = {
            let (exe, current, stopping) = (exe.to_path_buf(), Arc::clone(&current), Arc::clone(&stopping));
            std::thread::spawn(move || supervise(&exe, journal, control, process, &current, &stopping))
        };
        Ok((
            Supervisor {
                stopping,
                current,
                thread: Some(thread),
            },
            ours,
        ))
    }

    /// Ends svcmgr; how many times it was started.
    pub fn stop(mut self) -> u32 {
        self.stopping.store(true, Ordering::SeqCst);
        if let Some(process) = self.current.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            let _ = process.send_signal(libc::SIGKILL);
        }
        self.thread.take().map_or(1, |thread| thread.join().unwrap_or(1))
    }
}

fn supervise(
    exe: &Path,
    mut journal: Journal,
    mut control: Channel,
    mut process: Arc<Process>,
    current: &Mutex<Option<Arc<Process>>>,
    stopping: &AtomicBool,
) -> u32 {
    let mut starts = 1;
    loop {
        match control.read() {
            Ok(message) => journal.apply(message),
            Err(Error::Truncated | Error::Wire(_)) => {}
            Err(_) => {
                let _ = process.wait();
                if stopping.load(Ordering::SeqCst) {
                    return starts;
                }
                journal.fail_open_calls();
                match spawn(exe, &journal) {
                    Ok((new, new_control)) => {
                        process = Arc::new(new);
                        control = new_control;
                        starts += 1;
                        *current.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::clone(&process));
                        if stopping.load(Ordering::SeqCst) {
                            let _ = process.send_signal(libc::SIGKILL);
                        }
                    }
                    Err(error) => {
                        eprintln!("hyper-compat: svcmgr died and could not be started again: {error}");
                        return starts;
                    }
                }
            }
        }
    }
}
