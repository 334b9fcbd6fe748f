//! The microkernel's wire decoders on arbitrary bytes, as a server or client meets a hostile
//! peer: the header, then the body decoder of every method of every protocol (request and
//! response) and of the error reply, then the generic dispatcher. No panic; what decodes
//! re-encodes to canonical bytes that decode to the same canonical bytes; and every call the
//! dispatcher sees gets a reply to the same transaction.
#![no_main]

use libfuzzer_sys::fuzz_target;
use microkernel::Message;
use microkernel::protocols::{self, echo, logd};
use microkernel::rpc::Dispatcher;
use microkernel::wire::{self, ErrorReply, Header};

fn canonical_is_a_fixpoint(canonical: fn(&[u8]) -> Result<Vec<u8>, wire::WireError>, body: &[u8]) {
    if let Ok(bytes) = canonical(body) {
        assert_eq!(canonical(&bytes).as_deref(), Ok(&bytes[..]));
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok((header, body)) = Header::decode(data) else {
        return;
    };
    assert_eq!(&header.encode()[..], &data[..wire::HEADER_LEN]);
    for protocol in protocols::ALL {
        for method in protocol.methods {
            canonical_is_a_fixpoint(method.canonical_request, body);
            canonical_is_a_fixpoint(method.canonical_response, body);
        }
    }
    if let Ok(reply) = wire::decode_body::<ErrorReply>(body) {
        let _ = reply.to_string();
    }

    let mut dispatcher = Dispatcher::<u32>::new()
        .on::<echo::Echo>(|_, request, _| Ok((echo::EchoResponse { text: request.text }, vec![])))
        .on::<logd::Log>(|count, _, _| {
            *count += 1;
            Ok((logd::LogResponse {}, vec![]))
        });
    let mut count = 0;
    let message = Message {
        header,
        body: body.to_vec(),
        handles: vec![],
    };
    let reply = dispatcher.dispatch(&mut count, message);
    if header.is_reply() || header.is_one_way() {
        assert!(reply.is_none());
    } else {
        let reply = reply.expect("a call gets a reply");
        assert_eq!(reply.header.txid, header.txid);
        assert_eq!(reply.header.ordinal, header.ordinal);
        assert!(reply.header.is_reply());
        assert!(reply.body.len() <= wire::MAX_BODY);
        if reply.header.is_error() {
            wire::decode_body::<ErrorReply>(&reply.body).expect("error replies decode");
        }
    }
});
