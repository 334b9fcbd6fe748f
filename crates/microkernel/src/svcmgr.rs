//! The `svcmgr` server: the name → service registry of
//! [`protocols::svcmgr`](crate::protocols::svcmgr).
//!
//! One thread serves every svcmgr channel and every registered connector from one
//! [`WaitSet`], as a microkernel server would: a connector that becomes readable has lost its
//! service (services never write to it), and its name is dropped.
//!
//! [`serve`] runs it on a channel, for a thread or a process of its own. [`serve_supervised`]
//! runs it under a supervisor that keeps the journal of
//! [`protocols::svcmgrctl`](crate::protocols::svcmgrctl), so that a new svcmgr can take over
//! the clients and services of one that died.

use std::collections::BTreeMap;

use rustix::io::Errno;

use crate::Error;
use crate::channel::{Channel, Message};
use crate::protocol::Method;
use crate::protocols::{service, svcmgr, svcmgrctl};
use crate::rpc::{self, Dispatcher};
use crate::waitset::WaitSet;
use crate::wire::{ErrorReply, Header};

/// Set in a supervised svcmgr's environment, a `Lookup` or `WaitFor` of exactly this name kills
/// it while it serves the call: the fault injection of the restart tests.
pub const FAULT_ENV: &str = "HC_SVCMGR_FAULT_NAME";

/// What a waitset key points at.
#[derive(Debug)]
enum Slot {
    /// A client's channel to svcmgr, with the id the journal knows it by.
    Client { id: u64, channel: Channel },
    /// A registered service's connector.
    Service { name: String, connector: Channel },
    /// The supervisor's control channel.
    Control(Channel),
}

impl Slot {
    fn channel(&self) -> &Channel {
        match self {
            Slot::Client { channel, .. }
            | Slot::Service {
                connector: channel, ..
            }
            | Slot::Control(channel) => channel,
        }
    }
}

/// What one svcmgr serves at most, so that a client making channels, names or waits without
/// end runs into an error of its own instead of taking svcmgr's descriptors (each client and
/// service is one) or memory: clients made by `Clone`, registered services, and `WaitFor`
/// calls held back, per client and in all.
const MAX_CLIENTS: usize = 4096;
const MAX_SERVICES: usize = 1024;
const MAX_WAITS_PER_CLIENT: usize = 64;
const MAX_WAITS: usize = 4096;

#[derive(Debug)]
struct Registry {
    waitset: WaitSet,
    slots: BTreeMap<u64, Slot>,
    names: BTreeMap<String, u64>,
    next_key: u64,
    /// `WaitFor` calls for names nobody has registered yet: the client's key and the request.
    waiters: Vec<(u64, Header, String)>,
    /// The next client id to give.
    next_client: u64,
    /// The control channel's key, when supervised.
    control: Option<u64>,
    /// [`FAULT_ENV`], when supervised.
    fault: Option<String>,
}

impl Registry {
    fn new() -> Result<Registry, Error> {
        Ok(Registry {
            waitset: WaitSet::new()?,
            slots: BTreeMap::new(),
            names: BTreeMap::new(),
            next_key: 0,
            waiters: Vec::new(),
            next_client: 1,
            control: None,
            fault: None,
        })
    }

    fn insert(&mut self, slot: Slot) -> Result<u64, ErrorReply> {
        let key = self.next_key;
        self.waitset.add(slot.channel(), key)?;
        self.next_key += 1;
        self.slots.insert(key, slot);
        Ok(key)
    }

    fn remove(&mut self, key: u64) {
        if let Some(slot) = self.slots.remove(&key) {
            match &slot {
                Slot::Client { .. } => self.waiters.retain(|(waiter, _, _)| *waiter != key),
                Slot::Service { name, .. } => {
                    self.names.remove(name);
                }
                Slot::Control(_) => self.control = None,
            }
            let _ = self.waitset.remove(slot.channel());
        }
    }

    /// Serves a client channel: under `id` when the supervisor names it (adopted), else under
    /// a new id, told to the supervisor with a copy of the channel.
    fn add_client(&mut self, channel: Channel, id: Option<u64>) -> Result<u64, ErrorReply> {
        let adopted = id.is_some();
        let id = id.unwrap_or(self.next_client);
        self.next_client = self.next_client.max(id + 1);
        let copy = if adopted || self.control.is_none() {
            None
        } else {
            Some(channel.try_clone()?)
        };
        let key = self.insert(Slot::Client { id, channel })?;
        if let Some(copy) = copy {
            self.journal::<svcmgrctl::Client>(&svcmgrctl::ClientRequest { client: id }, vec![copy.into()]);
        }
        Ok(key)
    }

    fn client_id(&self, key: u64) -> Option<u64> {
        match self.slots.get(&key) {
            Some(Slot::Client { id, .. }) => Some(*id),
            _ => None,
        }
    }

    /// Tells the supervisor, if there is one. A journal message that cannot be sent is lost:
    /// the supervisor only needs it should this svcmgr die.
    fn journal<M: Method>(&self, request: &M::Request, handles: Vec<crate::Handle>) {
        if let Some(Slot::Control(control)) = self.control.and_then(|key| self.slots.get(&key)) {
            let _ = rpc::send::<M>(control, request, handles);
        }
    }

    /// Journals that the call `header` of the client at `key` is answered.
    fn done(&self, key: u64, header: Header) {
        if let Some(client) = self.client_id(key) {
            let done = svcmgrctl::DoneRequest {
                client,
                txid: header.txid,
            };
            self.journal::<svcmgrctl::Done>(&done, Vec::new());
        }
    }
}

fn check_name(name: &str) -> Result<(), ErrorReply> {
    if name.is_empty() || name.len() > 255 || name.contains('\0') {
        return Err(ErrorReply::failed(
            Errno::INVAL,
            format!("bad service name {name:?}"),
        ));
    }
    Ok(())
}

fn dispatcher() -> Dispatcher<Registry> {
    Dispatcher::<Registry>::new()
        .on::<svcmgr::Register>(|registry, request, handles| {
            check_name(&request.name)?;
            if registry.names.len() >= MAX_SERVICES {
                return Err(ErrorReply::failed(
                    Errno::NOSPC,
                    format!("{MAX_SERVICES} services are registered, the most svcmgr holds"),
                ));
            }
            if registry.names.contains_key(&request.name) {
                return Err(ErrorReply::failed(
                    Errno::EXIST,
                    format!("{} is registered", request.name),
                ));
            }
            let connector =
                Channel::try_from(handles.into_iter().next().expect("counted by the dispatcher"))?;
            let copy = registry.control.map(|_| connector.try_clone()).transpose()?;
            let key = registry.insert(Slot::Service {
                name: request.name.clone(),
                connector,
            })?;
            if let Some(copy) = copy {
                let service = svcmgrctl::ServiceRequest {
                    name: request.name.clone(),
                };
                registry.journal::<svcmgrctl::Service>(&service, vec![copy.into()]);
            }
            registry.names.insert(request.name, key);
            Ok((svcmgr::RegisterResponse {}, vec![]))
        })
        .on::<svcmgr::Lookup>(|registry, request, _| {
            let client = connect(registry, &request.name)?;
            Ok((svcmgr::LookupResponse {}, vec![client.into()]))
        })
        // Only names already registered come here: `serve` holds the others back.
        .on::<svcmgr::WaitFor>(|registry, request, _| {
            let client = connect(registry, &request.name)?;
            Ok((svcmgr::WaitForResponse {}, vec![client.into()]))
        })
        .on::<svcmgr::List>(|registry, _, _| {
            let names = registry.names.keys().cloned().collect();
            Ok((svcmgr::ListResponse { names }, vec![]))
        })
        .on::<svcmgr::Clone>(|registry, _, _| {
            let clients = registry
                .slots
                .values()
                .filter(|slot| matches!(slot, Slot::Client { .. }))
                .count();
            if clients >= MAX_CLIENTS {
                return Err(ErrorReply::failed(
                    Errno::MFILE,
                    format!("{MAX_CLIENTS} clients are connected, the most svcmgr serves"),
                ));
            }
            let (client, server) = Channel::pair()?;
            registry.add_client(server, None)?;
            Ok((svcmgr::CloneResponse {}, vec![client.into()]))
        })
}

/// A new channel to service `name`, whose other end goes to the service (`service.Connect`).
fn connect(registry: &mut Registry, name: &str) -> Result<Channel, ErrorReply> {
    if registry.fault.as_deref() == Some(name) {
        // The injected death, while the call is in flight.
        let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
    }
    let not_found = || ErrorReply::failed(Errno::NOENT, format!("no service {name}"));
    let key = *registry.names.get(name).ok_or_else(not_found)?;
    let Some(Slot::Service { connector, .. }) = registry.slots.get(&key) else {
        return Err(not_found());
    };
    let (client, server) = Channel::pair()?;
    let connect = service::ConnectRequest {
        name: name.to_owned(),
    };
    match rpc::send::<service::Connect>(connector, &connect, vec![server.into()]) {
        Ok(()) => Ok(client),
        Err(Error::PeerClosed) => {
            registry.remove(key);
            Err(not_found())
        }
        Err(e) => Err(ErrorReply::failed(
            Errno::from_raw_os_error(e.errno()),
            e.to_string(),
        )),
    }
}

/// Holds back a `WaitFor` of a name nobody has registered; `false` when the message is
/// anything else, for the dispatcher.
fn held_back(registry: &mut Registry, key: u64, message: &Message) -> bool {
    let header = message.header;
    if header.ordinal != <svcmgr::WaitFor as Method>::ORDINAL
        || header.version != <svcmgr::WaitFor as Method>::VERSION
        || header.is_reply()
        || header.is_one_way()
    {
        return false;
    }
    match crate::wire::decode_body::<svcmgr::WaitForRequest>(&message.body) {
        Ok(request) if check_name(&request.name).is_ok() && !registry.names.contains_key(&request.name) => {
            let own = registry
                .waiters
                .iter()
                .filter(|(waiter, _, _)| *waiter == key)
                .count();
            if own >= MAX_WAITS_PER_CLIENT || registry.waiters.len() >= MAX_WAITS {
                let error = ErrorReply::failed(
                    Errno::AGAIN,
                    format!(
                        "too many WaitFor calls wait already ({MAX_WAITS_PER_CLIENT} a client, {MAX_WAITS} in all)"
                    ),
                );
                if let Ok(body) = crate::wire::encode_body(&error) {
                    let reply = Message {
                        header: header.reply(true),
                        body,
                        handles: Vec::new(),
                    };
                    reply_to(registry, key, &reply);
                }
                registry.done(key, header);
            } else {
                registry.waiters.push((key, header, request.name));
            }
            true
        }
        _ => false,
    }
}

/// Answers the `WaitFor` calls held back for names that are now registered.
fn wake_waiters(registry: &mut Registry) {
    let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut registry.waiters)
        .into_iter()
        .partition(|(_, _, name)| registry.names.contains_key(name));
    registry.waiters = waiting;
    for (key, header, name) in ready {
        let reply = match connect(registry, &name) {
            Ok(client) => crate::wire::encode_body(&svcmgr::WaitForResponse {}).map(|body| Message {
                header: header.reply(false),
                body,
                handles: vec![client.into()],
            }),
            Err(error) => crate::wire::encode_body(&error).map(|body| Message {
                header: header.reply(true),
                body,
                handles: Vec::new(),
            }),
        };
        if let Ok(reply) = reply {
            reply_to(registry, key, &reply);
        }
        registry.done(key, header);
    }
}

/// Serves svcmgr on `channel` and on every channel handed out by `Clone`, until all of them
/// are closed. Run it on a thread, or as the whole of a server process.
pub fn serve(channel: Channel) -> Result<(), Error> {
    let mut registry = Registry::new()?;
    registry.add_client(channel, None).map_err(Error::Remote)?;
    run(&mut registry)
}

/// Serves svcmgr for a supervisor on `control` (`svcmgrctl`): the clients and services it
/// hands over, and those that come, keeping the journal; until the supervisor closes
/// `control`. [`FAULT_ENV`] is honoured here only.
pub fn serve_supervised(control: Channel) -> Result<(), Error> {
    let mut registry = Registry::new()?;
    let key = registry.insert(Slot::Control(control)).map_err(Error::Remote)?;
    registry.control = Some(key);
    registry.fault = std::env::var(FAULT_ENV).ok().filter(|name| !name.is_empty());
    run(&mut registry)
}

fn run(registry: &mut Registry) -> Result<(), Error> {
    let mut dispatcher = dispatcher();
    while registry.control.is_some()
        || registry
            .slots
            .values()
            .any(|slot| matches!(slot, Slot::Client { .. }))
    {
        for key in registry.waitset.wait(None)? {
            let message = match registry.slots.get(&key) {
                Some(Slot::Client { channel, .. }) => channel.try_read(),
                Some(Slot::Service { connector, .. }) => match connector.try_read() {
                    // A service that writes to its connector breaks the protocol: drop it.
                    Ok(Some(_)) => Err(Error::PeerClosed),
                    other => other,
                },
                Some(Slot::Control(control)) => match control.try_read() {
                    Ok(Some(message)) => {
                        control_message(registry, message);
                        continue;
                    }
                    Ok(None) | Err(Error::Truncated | Error::Wire(_)) => continue,
                    // The supervisor is gone: so is this svcmgr.
                    Err(_) => return Ok(()),
                },
                None => continue,
            };
            let message = match message {
                Ok(Some(message)) => message,
                Ok(None) | Err(Error::Truncated | Error::Wire(_)) => continue,
                Err(_) => {
                    registry.remove(key);
                    continue;
                }
            };
            let header = message.header;
            let is_call = !header.is_reply() && !header.is_one_way();
            if is_call && let Some(client) = registry.client_id(key) {
                let call = svcmgrctl::CallRequest {
                    client,
                    txid: header.txid,
                    ordinal: header.ordinal,
                };
                registry.journal::<svcmgrctl::Call>(&call, Vec::new());
            }
            if held_back(registry, key, &message) {
                continue;
            }
            let registers = header.ordinal == <svcmgr::Register as Method>::ORDINAL;
            if let Some(reply) = dispatcher.dispatch(registry, message) {
                reply_to(registry, key, &reply);
            }
            if is_call {
                registry.done(key, header);
            }
            if registers {
                wake_waiters(registry);
            }
        }
    }
    Ok(())
}

/// A message from the supervisor: a client or a service to take over.
fn control_message(registry: &mut Registry, message: Message) {
    let ordinal = message.header.ordinal;
    let Some(handle) = message.handles.into_iter().next() else {
        return;
    };
    let Ok(channel) = Channel::try_from(handle) else {
        return;
    };
    if ordinal == <svcmgrctl::Adopt as Method>::ORDINAL {
        if let Ok(adopt) = crate::wire::decode_body::<svcmgrctl::AdoptRequest>(&message.body) {
            let _ = registry.add_client(channel, Some(adopt.client));
        }
    } else if ordinal == <svcmgrctl::Restore as Method>::ORDINAL
        && let Ok(restore) = crate::wire::decode_body::<svcmgrctl::RestoreRequest>(&message.body)
        && !registry.names.contains_key(&restore.name)
        // Kept only while the service holds its end (it never writes to it).
        && matches!(channel.try_read(), Ok(None))
        && let Ok(key) = registry.insert(Slot::Service {
            name: restore.name.clone(),
            connector: channel,
        })
    {
        registry.names.insert(restore.name, key);
    }
}

/// Writes a reply to the client at `key`; a client that is gone is dropped, and one whose
/// queue is full loses the reply rather than stalling every other client.
fn reply_to(registry: &mut Registry, key: u64, reply: &Message) {
    if let Some(Slot::Client { channel, .. }) = registry.slots.get(&key)
        && let Err(Error::PeerClosed) = channel.write(reply)
    {
        registry.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Handle;
    use crate::protocol::Method;
    use crate::rpc::call;
    use crate::wire::{ErrorCode, Header, decode_body};

    /// Registers service `name` on `client`; the service's end of its connector.
    fn register(client: &mut Channel, name: &str) -> Channel {
        let (connector, service_end) = Channel::pair().unwrap();
        call::<svcmgr::Register>(
            client,
            &svcmgr::RegisterRequest { name: name.into() },
            vec![service_end.into()],
        )
        .unwrap();
        connector
    }

    fn start() -> (Channel, std::thread::JoinHandle<Result<(), Error>>) {
        let (client, server) = Channel::pair().unwrap();
        (client, std::thread::spawn(move || serve(server)))
    }

    /// The next `count` journal messages on `control`, by method name (waiting for them: a
    /// call's `Done` is written after its reply).
    fn journal(control: &Channel, count: usize) -> Vec<(&'static str, Message)> {
        let mut messages = Vec::new();
        for _ in 0..count {
            let message = control.read().unwrap();
            let name = match message.header.ordinal {
                o if o == svcmgrctl::Client::ORDINAL => "Client",
                o if o == svcmgrctl::Service::ORDINAL => "Service",
                o if o == svcmgrctl::Call::ORDINAL => "Call",
                o if o == svcmgrctl::Done::ORDINAL => "Done",
                other => panic!("unexpected journal message {other:#x}"),
            };
            messages.push((name, message));
        }
        messages
    }

    #[test]
    fn a_supervised_svcmgr_journals_and_another_takes_over() {
        let (control, theirs) = Channel::pair().unwrap();
        let first = std::thread::spawn(move || serve_supervised(theirs));
        let (mut client, server_end) = Channel::pair().unwrap();
        let kept = server_end.try_clone().unwrap();
        rpc::send::<svcmgrctl::Adopt>(
            &control,
            &svcmgrctl::AdoptRequest { client: 1 },
            vec![server_end.into()],
        )
        .unwrap();
        let connector = register(&mut client, "demo");
        let (_, mut handles) = call::<svcmgr::Clone>(&mut client, &svcmgr::CloneRequest {}, vec![]).unwrap();
        let mut cloned = Channel::try_from(handles.remove(0)).unwrap();
        call::<svcmgr::List>(&mut cloned, &svcmgr::ListRequest {}, vec![]).unwrap();
        let first_journal = journal(&control, 8);
        let names: Vec<&str> = first_journal.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            [
                "Call", "Service", "Done", "Call", "Client", "Done", "Call", "Done"
            ],
            "Register, Clone, then List on the clone"
        );
        let first_call: svcmgrctl::CallRequest = decode_body(&first_journal[0].1.body).unwrap();
        assert_eq!(
            (first_call.client, first_call.ordinal),
            (1, svcmgr::Register::ORDINAL)
        );
        let journaled: svcmgrctl::ClientRequest = decode_body(&first_journal[4].1.body).unwrap();
        assert_eq!(journaled.client, 2);
        let mut entries = first_journal.into_iter();
        let service_copy = entries.nth(1).unwrap().1.handles.into_iter().next().unwrap();
        let clone_copy = entries.nth(2).unwrap().1.handles.into_iter().next().unwrap();

        // The first svcmgr ends with its supervisor's channel; a second one takes over what
        // the journal holds, and the clients carry on on the channels they had.
        drop(control);
        first.join().unwrap().unwrap();
        let (control, theirs) = Channel::pair().unwrap();
        let second = std::thread::spawn(move || serve_supervised(theirs));
        rpc::send::<svcmgrctl::Adopt>(
            &control,
            &svcmgrctl::AdoptRequest { client: 1 },
            vec![kept.into()],
        )
        .unwrap();
        rpc::send::<svcmgrctl::Adopt>(&control, &svcmgrctl::AdoptRequest { client: 2 }, vec![clone_copy])
            .unwrap();
        rpc::send::<svcmgrctl::Restore>(
            &control,
            &svcmgrctl::RestoreRequest { name: "demo".into() },
            vec![service_copy],
        )
        .unwrap();
        // A service that died meanwhile is not restored.
        let (dead, dead_end) = Channel::pair().unwrap();
        drop(dead);
        rpc::send::<svcmgrctl::Restore>(
            &control,
            &svcmgrctl::RestoreRequest { name: "dead".into() },
            vec![dead_end.into()],
        )
        .unwrap();
        let (list, _) = call::<svcmgr::List>(&mut cloned, &svcmgr::ListRequest {}, vec![]).unwrap();
        assert_eq!(list.names, ["demo"]);
        call::<svcmgr::Lookup>(
            &mut client,
            &svcmgr::LookupRequest { name: "demo".into() },
            vec![],
        )
        .unwrap();
        let connect = connector.read().unwrap();
        assert_eq!(connect.header.ordinal, service::Connect::ORDINAL);
        // New clients get ids after the adopted ones.
        call::<svcmgr::Clone>(&mut client, &svcmgr::CloneRequest {}, vec![]).unwrap();
        // List, Lookup and Clone: 7 journal messages, one of them the new client.
        let client_ids: Vec<u64> = journal(&control, 7)
            .into_iter()
            .filter(|(name, _)| *name == "Client")
            .map(|(_, m)| decode_body::<svcmgrctl::ClientRequest>(&m.body).unwrap().client)
            .collect();
        assert_eq!(client_ids, [3]);
        assert!(control.try_read().unwrap().is_none(), "nothing more");
        drop(control);
        second.join().unwrap().unwrap();
    }

    #[test]
    fn a_client_cannot_hold_back_waits_without_end() {
        // Before, every WaitFor of a name never registered stayed in svcmgr's memory (600,000
        // took it to 190 MB).
        let (mut client, server) = start();
        let wait_for = |channel: &Channel, txid: u32| {
            channel
                .write(&Message {
                    header: Header::request(svcmgr::WaitFor::ORDINAL, 1, txid),
                    body: crate::wire::encode_body(&svcmgr::WaitForRequest { name: "never".into() }).unwrap(),
                    handles: vec![],
                })
                .unwrap();
        };
        // txid 0 would make them one-way.
        for txid in 1..=MAX_WAITS_PER_CLIENT as u32 {
            wait_for(&client, txid);
        }
        // The next one is refused at once; the first ones are still held.
        let refused = call::<svcmgr::WaitFor>(
            &mut client,
            &svcmgr::WaitForRequest { name: "never".into() },
            vec![],
        );
        match refused {
            Err(Error::Remote(reply)) => assert_eq!(reply.errno, Errno::AGAIN.raw_os_error()),
            other => panic!("{other:?}"),
        }
        assert!(client.try_read().unwrap().is_none());
        // Another client still gets its own.
        let (_, mut handles) = call::<svcmgr::Clone>(&mut client, &svcmgr::CloneRequest {}, vec![]).unwrap();
        let other = Channel::try_from(handles.remove(0)).unwrap();
        wait_for(&other, 1);
        let connector = register(&mut client, "never");
        // Answered once the name comes (with the service's channel, or an error should the
        // service's connector be full of the other waiters' connections).
        let answer = other.read().unwrap().header;
        assert_eq!((answer.txid, answer.is_reply()), (1, true));
        drop((client, connector, other));
        server.join().unwrap().unwrap();
    }

    #[test]
    fn wait_for_answers_once_the_name_is_registered() {
        let (mut client, server) = start();
        let (_, mut handles) = call::<svcmgr::Clone>(&mut client, &svcmgr::CloneRequest {}, vec![]).unwrap();
        let waiter = Channel::try_from(handles.remove(0)).unwrap();
        // Written before the List below, so svcmgr has read it before it answers that List,
        // and before the Register that follows it.
        waiter
            .write(&Message {
                header: Header::request(svcmgr::WaitFor::ORDINAL, 1, 7),
                body: crate::wire::encode_body(&svcmgr::WaitForRequest { name: "late".into() }).unwrap(),
                handles: vec![],
            })
            .unwrap();
        let (list, _) = call::<svcmgr::List>(&mut client, &svcmgr::ListRequest {}, vec![]).unwrap();
        assert!(list.names.is_empty());
        assert!(
            waiter.try_read().unwrap().is_none(),
            "held until the name is registered"
        );
        let connector = register(&mut client, "late");
        let reply = waiter.read().unwrap();
        assert_eq!(
            reply.header,
            Header::request(svcmgr::WaitFor::ORDINAL, 1, 7).reply(false)
        );
        let to_service = Channel::try_from(reply.handles.into_iter().next().unwrap()).unwrap();
        let connect = connector.read().unwrap();
        let request: service::ConnectRequest = decode_body(&connect.body).unwrap();
        assert_eq!(request.name, "late");
        let at_service = Channel::try_from(connect.handles.into_iter().next().unwrap()).unwrap();
        to_service
            .write(&Message {
                header: Header::request(1, 1, 0),
                body: b"waited".to_vec(),
                handles: vec![],
            })
            .unwrap();
        assert_eq!(at_service.read().unwrap().body, b"waited");
        // A registered name is answered at once.
        call::<svcmgr::WaitFor>(
            &mut client,
            &svcmgr::WaitForRequest { name: "late".into() },
            vec![],
        )
        .unwrap();
        drop((client, connector, waiter));
        server.join().unwrap().unwrap();
    }

    #[test]
    fn register_lookup_list_and_death_of_a_service() {
        let (mut client, server) = start();
        let connector = register(&mut client, "demo");
        let (list, _) = call::<svcmgr::List>(&mut client, &svcmgr::ListRequest {}, vec![]).unwrap();
        assert_eq!(list.names, ["demo"]);

        // A second registration of the name fails; a lookup reaches the service.
        let (_, again) = Channel::pair().unwrap();
        let Err(Error::Remote(reply)) = call::<svcmgr::Register>(
            &mut client,
            &svcmgr::RegisterRequest { name: "demo".into() },
            vec![again.into()],
        ) else {
            panic!("registered twice");
        };
        assert_eq!(reply.errno, Errno::EXIST.raw_os_error());

        let (_, mut handles) = call::<svcmgr::Lookup>(
            &mut client,
            &svcmgr::LookupRequest { name: "demo".into() },
            vec![],
        )
        .unwrap();
        let to_service = Channel::try_from(handles.remove(0)).unwrap();
        let connect = connector.read().unwrap();
        assert_eq!(connect.header.ordinal, service::Connect::ORDINAL);
        assert_eq!(connect.header.txid, 0);
        let request: service::ConnectRequest = decode_body(&connect.body).unwrap();
        assert_eq!(request.name, "demo");
        let at_service = Channel::try_from(connect.handles.into_iter().next().unwrap()).unwrap();
        at_service
            .write(&Message {
                header: Header::request(1, 1, 0),
                body: b"hello".to_vec(),
                handles: vec![],
            })
            .unwrap();
        assert_eq!(to_service.read().unwrap().body, b"hello");

        // The service dies: its name goes.
        drop(connector);
        let lookup = call::<svcmgr::Lookup>(
            &mut client,
            &svcmgr::LookupRequest { name: "demo".into() },
            vec![],
        );
        assert!(matches!(lookup, Err(Error::Remote(ref r)) if r.errno == Errno::NOENT.raw_os_error()));
        let (list, _) = call::<svcmgr::List>(&mut client, &svcmgr::ListRequest {}, vec![]).unwrap();
        assert!(list.names.is_empty());

        // Clones serve too; the server ends when every client channel is closed.
        let (_, mut handles) = call::<svcmgr::Clone>(&mut client, &svcmgr::CloneRequest {}, vec![]).unwrap();
        let mut clone = Channel::try_from(handles.remove(0)).unwrap();
        drop(client);
        call::<svcmgr::List>(&mut clone, &svcmgr::ListRequest {}, vec![]).unwrap();
        drop(clone);
        server.join().unwrap().unwrap();
    }

    #[test]
    fn unknown_ordinal_version_and_bad_requests_get_error_replies() {
        let (client, server) = start();
        let ask = |header: Header, body: Vec<u8>, handles: Vec<Handle>| {
            client
                .write(&Message {
                    header,
                    body,
                    handles,
                })
                .unwrap();
            let reply = client.read().unwrap();
            assert_eq!(reply.header, header.reply(true));
            decode_body::<ErrorReply>(&reply.body).unwrap()
        };
        let reply = ask(Header::request(0x1234, 1, 9), vec![], vec![]);
        assert_eq!(reply.code, ErrorCode::UnknownOrdinal);
        assert_eq!(reply.errno, Errno::NOSYS.raw_os_error());

        let reply = ask(Header::request(svcmgr::List::ORDINAL, 2, 10), vec![], vec![]);
        assert_eq!(reply.code, ErrorCode::UnsupportedVersion);

        let reply = ask(
            Header::request(svcmgr::Lookup::ORDINAL, 1, 11),
            vec![0xff, 0xff],
            vec![],
        );
        assert_eq!(reply.code, ErrorCode::MalformedRequest);

        // Register without its channel handle, and with an event instead of a channel.
        let body = crate::wire::encode_body(&svcmgr::RegisterRequest { name: "x".into() }).unwrap();
        let reply = ask(
            Header::request(svcmgr::Register::ORDINAL, 1, 12),
            body.clone(),
            vec![],
        );
        assert_eq!(reply.code, ErrorCode::MalformedRequest);
        let event = crate::Event::new().unwrap();
        let reply = ask(
            Header::request(svcmgr::Register::ORDINAL, 1, 13),
            body,
            vec![event.into()],
        );
        assert_eq!(reply.errno, Errno::BADF.raw_os_error());

        // An unknown one-way message gets no reply; the server still answers after it.
        client
            .write(&Message {
                header: Header::request(0x1234, 1, 0),
                body: vec![],
                handles: vec![],
            })
            .unwrap();
        let mut client = client;
        call::<svcmgr::List>(&mut client, &svcmgr::ListRequest {}, vec![]).unwrap();
        drop(client);
        server.join().unwrap().unwrap();
    }
}
