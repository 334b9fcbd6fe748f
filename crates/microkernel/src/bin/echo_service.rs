//! A native microkernel program, written against the `microkernel` crate's public API only:
//! it registers the service `echo` with svcmgr (its channel to svcmgr is fd 3, by the startup
//! convention) and answers the `echo` protocol on every connection, one thread each. It prints
//! `ready` on stdout once registered, and exits when svcmgr closes its connector.

use std::fs::File;
use std::io::Read;
use std::process::ExitCode;

use microkernel::protocols::{echo, parcel, service, svcmgr};
use microkernel::rpc::{self, Dispatcher};
use microkernel::wire::ErrorReply;
use microkernel::{Channel, Errno, Error, Handle, HandleKind, Vmo, startup};

/// The most content a reply returns: a body must stay under 64 KiB.
const MAX_CONTENT: usize = 60 * 1024;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("echo_service: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Error> {
    let mut svcmgr = startup::svcmgr_channel()?;
    let (connector, service_end) = Channel::pair()?;
    let register = svcmgr::RegisterRequest { name: "echo".into() };
    rpc::call::<svcmgr::Register>(&mut svcmgr, &register, vec![service_end.into()])?;
    println!("ready");

    let mut connections = Dispatcher::<Vec<Channel>>::new().on::<service::Connect>(|accepted, _, handles| {
        accepted.push(Channel::try_from(only(handles))?);
        Ok((service::ConnectResponse {}, vec![]))
    });
    let mut accepted = Vec::new();
    loop {
        let message = match connector.read() {
            Ok(message) => message,
            Err(Error::PeerClosed) => return Ok(()),
            Err(Error::Truncated | Error::Wire(_)) => continue,
            Err(error) => return Err(error),
        };
        connections.dispatch(&mut accepted, message);
        for channel in accepted.drain(..) {
            std::thread::spawn(move || serve(channel));
        }
    }
}

/// Answers `echo` on one client's channel until the client closes it.
fn serve(channel: Channel) {
    let mut dispatcher = Dispatcher::<()>::new()
        .on::<echo::Echo>(|_, request, _| Ok((echo::EchoResponse { text: request.text }, vec![])))
        .on::<echo::ReadVmo>(|_, _, handles| {
            let vmo = Vmo::try_from(only(handles))?;
            if !vmo.is_read_only()? {
                return Err(ErrorReply::failed(Errno::PERM, "the vmo is not sealed read-only"));
            }
            let mapping = vmo.map_read_only()?;
            let bytes = mapping[..mapping.len().min(MAX_CONTENT)].to_vec();
            let size = mapping.len() as u64;
            Ok((echo::ReadVmoResponse { size, bytes }, vec![]))
        })
        .on::<echo::ReadFile>(|_, _, handles| {
            let handle = only(handles);
            if handle.kind() != HandleKind::File {
                return Err(ErrorReply::failed(
                    Errno::BADF,
                    format!("a {} is not a file", handle.kind()),
                ));
            }
            let mut bytes = Vec::new();
            File::from(handle.into_fd())
                .take(MAX_CONTENT as u64)
                .read_to_end(&mut bytes)
                .map_err(|e| ErrorReply::failed(Errno::IO, e.to_string()))?;
            Ok((echo::ReadFileResponse { bytes }, vec![]))
        })
        .on::<parcel::Transact>(|_, request, _| {
            let data = binder_echo(request.code, &request.data)?;
            Ok((parcel::TransactResponse { data }, vec![]))
        });
    if let Err(error) = dispatcher.serve(&mut (), &channel) {
        eprintln!("echo_service: connection: {error}");
    }
}

/// The service's Binder face (`parcel.Transact`), AIDL interface `hypercompat.IEcho` with one
/// method, `String echo(String text)` (code 1): the reply is a success status and the text;
/// it answers Binder's ping and interface queries too, as every Binder object does.
/// In Android's parcel format: the request is the interface token (strict-mode word,
/// work-source word, `'SYST'`, the descriptor as a `String16`) and the argument; the reply is
/// the status word and the value, so the echo is the request's argument behind a zero.
fn binder_echo(code: u32, data: &[u8]) -> Result<Vec<u8>, ErrorReply> {
    const DESCRIPTOR: &str = "hypercompat.IEcho";
    match &code.to_be_bytes() {
        // PING_TRANSACTION: an empty reply.
        b"_PNG" => return Ok(Vec::new()),
        // INTERFACE_TRANSACTION: the descriptor.
        b"_NTF" => {
            let mut reply = Vec::new();
            parcel::write_string16(&mut reply, DESCRIPTOR);
            return Ok(reply);
        }
        _ => {}
    }
    if code != 1 {
        return Err(ErrorReply::failed(
            Errno::BADMSG,
            format!("unknown transaction {code}"),
        ));
    }
    let bad = || ErrorReply::failed(Errno::BADMSG, "not a hypercompat.IEcho call");
    let (descriptor, at) = parcel::read_interface_token(data).ok_or_else(bad)?;
    if descriptor != DESCRIPTOR {
        return Err(bad());
    }
    let mut reply = 0i32.to_le_bytes().to_vec();
    reply.extend_from_slice(&data[at..]);
    Ok(reply)
}

/// The one handle of a method that takes one (the dispatcher has counted them).
fn only(handles: Vec<Handle>) -> Handle {
    handles
        .into_iter()
        .next()
        .expect("the dispatcher checks the handle count")
}
