//! The `svcmgr` server: the name → service registry of
//! [`protocols::svcmgr`](crate::protocols::svcmgr).
//!
//! One thread serves every svcmgr channel and every registered connector from one
//! [`WaitSet`], as a microkernel server would: a connector that becomes readable has lost its
//! service (services never write to it), and its name is dropped.

use std::collections::BTreeMap;

use rustix::io::Errno;

use crate::Error;
use crate::channel::{Channel, Message};
use crate::protocol::Method;
use crate::protocols::{service, svcmgr};
use crate::rpc::{self, Dispatcher};
use crate::waitset::WaitSet;
use crate::wire::ErrorReply;

/// What a waitset key points at.
#[derive(Debug)]
enum Slot {
    /// A client's channel to svcmgr.
    Client(Channel),
    /// A registered service's connector.
    Service { name: String, connector: Channel },
}

#[derive(Debug)]
struct Registry {
    waitset: WaitSet,
    slots: BTreeMap<u64, Slot>,
    names: BTreeMap<String, u64>,
    next_key: u64,
    /// `WaitFor` calls for names nobody has registered yet: the client's key and the request.
    waiters: Vec<(u64, crate::wire::Header, String)>,
}

impl Registry {
    fn insert(&mut self, slot: Slot) -> Result<u64, ErrorReply> {
        let key = self.next_key;
        let channel = match &slot {
            Slot::Client(channel)
            | Slot::Service {
                connector: channel, ..
            } => channel,
        };
        self.waitset.add(channel, key)?;
        self.next_key += 1;
        self.slots.insert(key, slot);
        Ok(key)
    }

    fn remove(&mut self, key: u64) {
        if let Some(slot) = self.slots.remove(&key) {
            let channel = match &slot {
                Slot::Client(channel) => {
                    self.waiters.retain(|(waiter, _, _)| *waiter != key);
                    channel
                }
                Slot::Service { name, connector } => {
                    self.names.remove(name);
                    connector
                }
            };
            let _ = self.waitset.remove(channel);
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
            if registry.names.contains_key(&request.name) {
                return Err(ErrorReply::failed(
                    Errno::EXIST,
                    format!("{} is registered", request.name),
                ));
            }
            let connector =
                Channel::try_from(handles.into_iter().next().expect("counted by the dispatcher"))?;
            let key = registry.insert(Slot::Service {
                name: request.name.clone(),
                connector,
            })?;
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
            let (client, server) = Channel::pair()?;
            registry.insert(Slot::Client(server))?;
            Ok((svcmgr::CloneResponse {}, vec![client.into()]))
        })
}

/// A new channel to service `name`, whose other end goes to the service (`service.Connect`).
fn connect(registry: &mut Registry, name: &str) -> Result<Channel, ErrorReply> {
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
            registry.waiters.push((key, header, request.name));
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
    }
}

/// Serves svcmgr on `channel` and on every channel handed out by `Clone`, until all of them
/// are closed. Run it on a thread, or as the whole of a server process.
pub fn serve(channel: Channel) -> Result<(), Error> {
    let mut registry = Registry {
        waitset: WaitSet::new()?,
        slots: BTreeMap::new(),
        names: BTreeMap::new(),
        next_key: 0,
        waiters: Vec::new(),
    };
    registry.insert(Slot::Client(channel)).map_err(Error::Remote)?;
    let mut dispatcher = dispatcher();
    while registry
        .slots
        .values()
        .any(|slot| matches!(slot, Slot::Client(_)))
    {
        for key in registry.waitset.wait(None)? {
            let message = match registry.slots.get(&key) {
                Some(Slot::Client(channel)) => channel.try_read(),
                Some(Slot::Service { connector, .. }) => match connector.try_read() {
                    // A service that writes to its connector breaks the protocol: drop it.
                    Ok(Some(_)) => Err(Error::PeerClosed),
                    other => other,
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
            if held_back(&mut registry, key, &message) {
                continue;
            }
            let registers = message.header.ordinal == <svcmgr::Register as Method>::ORDINAL;
            if let Some(reply) = dispatcher.dispatch(&mut registry, message) {
                reply_to(&mut registry, key, &reply);
            }
            if registers {
                wake_waiters(&mut registry);
            }
        }
    }
    Ok(())
}

/// Writes a reply to the client at `key`; a client that is gone is dropped, and one whose
/// queue is full loses the reply rather than stalling every other client.
fn reply_to(registry: &mut Registry, key: u64, reply: &Message) {
    if let Some(Slot::Client(channel)) = registry.slots.get(&key)
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

    fn start() -> (Channel, std::thread::JoinHandle<Result<(), Error>>) {
        let (client, server) = Channel::pair().unwrap();
        (client, std::thread::spawn(move || serve(server)))
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
        let (connector, service_end) = Channel::pair().unwrap();
        call::<svcmgr::Register>(
            &mut client,
            &svcmgr::RegisterRequest { name: "late".into() },
            vec![service_end.into()],
        )
        .unwrap();
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
        let (connector, service_end) = Channel::pair().unwrap();
        call::<svcmgr::Register>(
            &mut client,
            &svcmgr::RegisterRequest { name: "demo".into() },
            vec![service_end.into()],
        )
        .unwrap();
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
