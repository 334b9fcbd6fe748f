//! Calls and serving: [`call`] sends a request and waits for its reply, [`send`] sends a
//! one-way message, and a [`Dispatcher`] routes requests to handlers by ordinal and version,
//! answering everything it cannot route with an error reply.
//!
//! A channel carries one call at a time ([`call`] takes it `&mut`): a client that calls from
//! many threads gives each thread its own channel (svcmgr's `Lookup` makes one per call).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

use rustix::io::Errno;

use crate::Error;
use crate::channel::{Channel, Message};
use crate::handle::Handle;
use crate::protocol::Method;
use crate::wire::{ErrorCode, ErrorReply, Header, MAX_BODY, WireError, decode_body, encode_body};

/// A response body and the handles that came with it.
pub type Reply<T> = (T, Vec<Handle>);

/// Transaction ids for the whole process: unique per channel is all that is needed, and a
/// process-wide counter gives that without state in the channel.
fn next_txid() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    loop {
        let txid = NEXT.fetch_add(1, Ordering::Relaxed);
        if txid != 0 {
            return txid;
        }
    }
}

fn check_handles(expected: usize, found: usize) -> Result<(), WireError> {
    if expected == found {
        Ok(())
    } else {
        Err(WireError::HandleCount { expected, found })
    }
}

/// Calls method `M` over `channel`: sends `request` with `handles` and waits for the reply
/// with the same txid. An error reply comes back as [`Error::Remote`]; a closed channel (the
/// server died) as [`Error::PeerClosed`], whose errno is `EIO`.
pub fn call<M: Method>(
    channel: &mut Channel,
    request: &M::Request,
    handles: Vec<Handle>,
) -> Result<Reply<M::Response>, Error> {
    assert!(
        !M::ONE_WAY,
        "{}.{} is one-way: use rpc::send",
        M::PROTOCOL,
        M::NAME
    );
    check_handles(M::REQUEST_HANDLES.len(), handles.len())?;
    let txid = next_txid();
    channel.write(&Message {
        header: Header::request(M::ORDINAL, M::VERSION, txid),
        body: encode_body(request)?,
        handles,
    })?;
    let reply = channel.read()?;
    let header = reply.header;
    if header.txid != txid || header.ordinal != M::ORDINAL || !header.is_reply() {
        return Err(Error::UnexpectedReply {
            ordinal: header.ordinal,
            txid: header.txid,
        });
    }
    if header.is_error() {
        return Err(Error::Remote(decode_body::<ErrorReply>(&reply.body)?));
    }
    check_handles(M::RESPONSE_HANDLES.len(), reply.handles.len())?;
    Ok((decode_body(&reply.body)?, reply.handles))
}

/// Sends one-way method `M`: no reply comes, and failures on the server's side go unreported.
/// Fails with [`Error::QueueFull`] when the peer's queue is full.
pub fn send<M: Method>(channel: &Channel, request: &M::Request, handles: Vec<Handle>) -> Result<(), Error> {
    channel.write(&one_way::<M>(request, handles)?)
}

/// Sends one-way method `M` as [`send`] does, but waits while the peer's queue is full
/// ([`Channel::write_waiting`]).
pub fn send_waiting<M: Method>(
    channel: &Channel,
    request: &M::Request,
    handles: Vec<Handle>,
) -> Result<(), Error> {
    channel.write_waiting(&one_way::<M>(request, handles)?)
}

fn one_way<M: Method>(request: &M::Request, handles: Vec<Handle>) -> Result<Message, Error> {
    assert!(
        M::ONE_WAY,
        "{}.{} expects a reply: use rpc::call",
        M::PROTOCOL,
        M::NAME
    );
    check_handles(M::REQUEST_HANDLES.len(), handles.len())?;
    Ok(Message {
        header: Header::request(M::ORDINAL, M::VERSION, 0),
        body: encode_body(request)?,
        handles,
    })
}

type Route<S> =
    Box<dyn FnMut(&mut S, &[u8], Vec<Handle>) -> Result<(Vec<u8>, Vec<Handle>), ErrorReply> + Send>;

/// Routes requests to handlers by `(ordinal, version)`, for servers over state `S`.
pub struct Dispatcher<S> {
    routes: BTreeMap<(u64, u16), (bool, Route<S>)>,
}

impl<S> fmt::Debug for Dispatcher<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dispatcher")
            .field("routes", &self.routes.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl<S> Default for Dispatcher<S> {
    fn default() -> Self {
        Dispatcher {
            routes: BTreeMap::new(),
        }
    }
}

impl<S> Dispatcher<S> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves method `M` with `handler`, which gets the decoded request and its handles
    /// (already counted against the method's) and returns the response and its handles, or
    /// an error reply. One-way methods' responses are dropped.
    pub fn on<M: Method>(
        mut self,
        mut handler: impl FnMut(&mut S, M::Request, Vec<Handle>) -> Result<Reply<M::Response>, ErrorReply>
        + Send
        + 'static,
    ) -> Self {
        let route: Route<S> = Box::new(move |state, body, handles| {
            check_handles(M::REQUEST_HANDLES.len(), handles.len()).map_err(malformed)?;
            let request = decode_body::<M::Request>(body).map_err(malformed)?;
            let (response, handles) = handler(state, request, handles)?;
            if handles.len() != M::RESPONSE_HANDLES.len() {
                return Err(ErrorReply::failed(
                    Errno::IO,
                    format!(
                        "{}.{} built a reply with {} handles",
                        M::PROTOCOL,
                        M::NAME,
                        handles.len()
                    ),
                ));
            }
            let body = encode_body(&response).map_err(|e| ErrorReply::failed(Errno::IO, e.to_string()))?;
            Ok((body, handles))
        });
        self.routes.insert((M::ORDINAL, M::VERSION), (M::ONE_WAY, route));
        self
    }

    /// Handles one message and returns the reply to send, if any. Never fails: what cannot be
    /// served becomes an error reply. Replies, and one-way messages whose method is unknown or
    /// whose body is bad, are dropped (there is no transaction to answer).
    pub fn dispatch(&mut self, state: &mut S, message: Message) -> Option<Message> {
        let header = message.header;
        if header.is_reply() {
            return None;
        }
        let known_ordinal = self.routes.keys().any(|&(ordinal, _)| ordinal == header.ordinal);
        let result = match self.routes.get_mut(&(header.ordinal, header.version)) {
            Some((one_way, route)) => {
                if *one_way != header.is_one_way() {
                    Err(ErrorReply {
                        code: ErrorCode::MalformedRequest,
                        errno: Errno::INVAL.raw_os_error(),
                        message: format!(
                            "ordinal {:#018x} is {}",
                            header.ordinal,
                            if *one_way { "one-way" } else { "a call" }
                        ),
                    })
                } else {
                    route(state, &message.body, message.handles)
                }
            }
            None if known_ordinal => Err(ErrorReply {
                code: ErrorCode::UnsupportedVersion,
                errno: Errno::PROTONOSUPPORT.raw_os_error(),
                message: format!(
                    "ordinal {:#018x} has no version {}",
                    header.ordinal, header.version
                ),
            }),
            None => Err(ErrorReply {
                code: ErrorCode::UnknownOrdinal,
                errno: Errno::NOSYS.raw_os_error(),
                message: format!("no method has ordinal {:#018x}", header.ordinal),
            }),
        };
        if header.is_one_way() {
            return None;
        }
        let (body, handles, error) = match result {
            Ok((body, handles)) if body.len() <= MAX_BODY => (body, handles, false),
            Ok((body, _)) => (
                error_body(&ErrorReply::failed(
                    Errno::MSGSIZE,
                    format!("reply body of {} bytes", body.len()),
                )),
                Vec::new(),
                true,
            ),
            Err(reply) => (error_body(&reply), Vec::new(), true),
        };
        Some(Message {
            header: header.reply(error),
            body,
            handles,
        })
    }

    /// Serves `channel` until its peer closes: reads each request, dispatches it and writes
    /// the reply. A message that cannot be read (truncated, bad header) is dropped; a reply
    /// the client is too slow to take ([`Error::QueueFull`]) is dropped too.
    pub fn serve(&mut self, state: &mut S, channel: &Channel) -> Result<(), Error> {
        loop {
            let message = match channel.read() {
                Ok(message) => message,
                Err(Error::PeerClosed) => return Ok(()),
                Err(Error::Truncated | Error::Wire(_)) => continue,
                Err(e) => return Err(e),
            };
            if let Some(reply) = self.dispatch(state, message) {
                match channel.write(&reply) {
                    Ok(()) | Err(Error::QueueFull) => {}
                    Err(Error::PeerClosed) => return Ok(()),
                    Err(e) => return Err(e),
                }
            }
        }
    }
}

fn malformed(error: WireError) -> ErrorReply {
    ErrorReply {
        code: ErrorCode::MalformedRequest,
        errno: Errno::INVAL.raw_os_error(),
        message: error.to_string(),
    }
}

fn error_body(reply: &ErrorReply) -> Vec<u8> {
    // An error reply of a bounded message always encodes; an empty body would still be
    // refused by the client as malformed rather than taken for success.
    encode_body(reply).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocols::{echo, logd};

    fn say(text: &str) -> echo::EchoRequest {
        echo::EchoRequest { text: text.into() }
    }

    #[test]
    fn call_matches_the_reply_to_its_transaction() {
        let (mut client, server) = Channel::pair().unwrap();
        let answer = std::thread::spawn(move || {
            // First a stale reply to another transaction, then nothing more.
            let request = server.read().unwrap();
            let mut stale = request.header.reply(false);
            stale.txid = stale.txid.wrapping_add(1);
            let body = encode_body(&echo::EchoResponse { text: "stale".into() }).unwrap();
            server
                .write(&Message {
                    header: stale,
                    body,
                    handles: vec![],
                })
                .unwrap();
            server
        });
        let result = call::<echo::Echo>(&mut client, &say("hi"), vec![]);
        assert!(matches!(result, Err(Error::UnexpectedReply { .. })), "{result:?}");
        drop(answer.join().unwrap());
        assert!(matches!(
            call::<echo::Echo>(&mut client, &say("hi"), vec![]),
            Err(Error::PeerClosed)
        ));
    }

    #[test]
    fn a_call_in_flight_when_the_server_dies_fails_with_eio() {
        let (mut client, server) = Channel::pair().unwrap();
        let dying = std::thread::spawn(move || {
            // The request arrives; the server goes away before it answers.
            server.read().unwrap();
            drop(server);
        });
        let error = call::<echo::Echo>(&mut client, &say("anyone?"), vec![]).unwrap_err();
        dying.join().unwrap();
        assert!(matches!(error, Error::PeerClosed), "{error}");
        assert_eq!(error.errno(), Errno::IO.raw_os_error());
    }

    #[test]
    fn handle_counts_are_checked_on_both_sides() {
        let (mut client, _server) = Channel::pair().unwrap();
        let extra = crate::Event::new().unwrap();
        let result = call::<echo::Echo>(&mut client, &say("hi"), vec![extra.into()]);
        assert!(matches!(
            result,
            Err(Error::Wire(WireError::HandleCount {
                expected: 0,
                found: 1
            }))
        ));
        let result = call::<echo::ReadVmo>(&mut client, &echo::ReadVmoRequest {}, vec![]);
        assert!(matches!(
            result,
            Err(Error::Wire(WireError::HandleCount {
                expected: 1,
                found: 0
            }))
        ));
    }

    #[test]
    fn dispatcher_serves_calls_and_one_way_messages() {
        let (mut client, server) = Channel::pair().unwrap();
        let serving = std::thread::spawn(move || {
            let mut dispatcher = Dispatcher::<Vec<String>>::new()
                .on::<echo::Echo>(|_, request, _| Ok((echo::EchoResponse { text: request.text }, vec![])))
                .on::<logd::Log>(|logged, request, _| {
                    logged.push(request.message);
                    Ok((logd::LogResponse {}, vec![]))
                });
            let mut logged = Vec::new();
            dispatcher.serve(&mut logged, &server).unwrap();
            logged
        });
        let log = logd::LogRequest {
            buffer: 0,
            priority: 4,
            tag: "test".into(),
            message: "one-way".into(),
            pid: 1,
            tid: 1,
            time_ns: 0,
        };
        send::<logd::Log>(&client, &log, vec![]).unwrap();
        assert_eq!(
            call::<echo::Echo>(&mut client, &say("two-way"), vec![])
                .unwrap()
                .0
                .text,
            "two-way"
        );

        // A call sent with txid 0 to a method that replies is dropped; a one-way method
        // called with a txid gets an error reply.
        let mut header = Header::request(<echo::Echo as Method>::ORDINAL, 1, 0);
        let body = encode_body(&say("lost")).unwrap();
        client
            .write(&Message {
                header,
                body,
                handles: vec![],
            })
            .unwrap();
        header = Header::request(<logd::Log as Method>::ORDINAL, 1, 77);
        let body = encode_body(&log).unwrap();
        client
            .write(&Message {
                header,
                body,
                handles: vec![],
            })
            .unwrap();
        let reply = client.read().unwrap();
        assert_eq!(reply.header, header.reply(true));
        let error: ErrorReply = decode_body(&reply.body).unwrap();
        assert_eq!(error.code, ErrorCode::MalformedRequest);

        drop(client);
        assert_eq!(serving.join().unwrap(), ["one-way"]);
    }
}
