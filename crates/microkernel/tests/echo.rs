//! A legacy process and a native microkernel program exchange messages through svcmgr.
//!
//! svcmgr runs on a thread of the test. The native program is `src/bin/echo_service.rs`, a
//! separate process; the "legacy" process is this test binary run again as a plain Linux
//! process (only the `legacy_process` test, selected by an environment variable), standing
//! in for what the syscall bridge will do on a sandboxed program's behalf. Each gets its own
//! svcmgr channel at fd 3, the startup convention.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::AsFd;
use std::process::{Command, Stdio};

use microkernel::protocols::{echo, svcmgr};
use microkernel::rpc::call;
use microkernel::startup::{self, SVCMGR_FD};
use microkernel::{Channel, Errno, Error, Exit, Process, Vmo};

/// Set in the environment of the re-run test binary to make `legacy_process` run.
const LEGACY_ROLE: &str = "MICROKERNEL_TEST_LEGACY_ROLE";

fn clone_svcmgr(svcmgr: &mut Channel) -> Channel {
    let (_, mut handles) = call::<svcmgr::Clone>(svcmgr, &svcmgr::CloneRequest {}, vec![]).unwrap();
    Channel::try_from(handles.remove(0)).unwrap()
}

fn lookup(svcmgr: &mut Channel, name: &str) -> Result<Channel, Error> {
    let request = svcmgr::LookupRequest { name: name.into() };
    let (_, mut handles) = call::<svcmgr::Lookup>(svcmgr, &request, vec![])?;
    Channel::try_from(handles.remove(0))
}

fn say(channel: &mut Channel, text: &str) -> Result<String, Error> {
    let request = echo::EchoRequest { text: text.into() };
    Ok(call::<echo::Echo>(channel, &request, vec![])?.0.text)
}

/// Starts `echo_service` with its own svcmgr channel and waits until it has registered.
fn start_echo_service(svcmgr: &mut Channel) -> Process {
    let channel = clone_svcmgr(svcmgr);
    let mut command = Command::new(env!("CARGO_BIN_EXE_echo_service"));
    command.stdout(Stdio::piped());
    let mut process = Process::spawn(command, &[(channel.as_fd(), SVCMGR_FD)]).unwrap();
    drop(channel);
    let mut line = String::new();
    BufReader::new(process.take_stdout().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "ready\n", "echo_service did not register");
    process
}

#[test]
fn legacy_process_and_native_service_talk_through_svcmgr() {
    if std::env::var_os(LEGACY_ROLE).is_some() {
        return;
    }
    let (mut svcmgr, server_end) = Channel::pair().unwrap();
    let server = std::thread::spawn(move || microkernel::svcmgr::serve(server_end));
    let echo_service = start_echo_service(&mut svcmgr);

    let legacy_svcmgr = clone_svcmgr(&mut svcmgr);
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "legacy_process", "--test-threads=1"])
        .env(LEGACY_ROLE, "1")
        .stdout(Stdio::piped());
    let mut legacy = Process::spawn(command, &[(legacy_svcmgr.as_fd(), SVCMGR_FD)]).unwrap();
    drop(legacy_svcmgr);
    let mut report = String::new();
    legacy.take_stdout().unwrap().read_to_string(&mut report).unwrap();
    assert_eq!(
        legacy.wait().unwrap(),
        Exit::Code(0),
        "the legacy process failed:\n{report}"
    );
    assert!(
        report.contains("test result: ok. 1 passed"),
        "the legacy test did not run:\n{report}"
    );

    // The service is killed: calls on its channel fail with EIO, and its name goes.
    let mut to_echo = lookup(&mut svcmgr, "echo").unwrap();
    assert_eq!(say(&mut to_echo, "before").unwrap(), "before");
    echo_service.send_signal(9).unwrap();
    assert_eq!(echo_service.wait().unwrap(), Exit::Signal(9));
    let error = say(&mut to_echo, "after").unwrap_err();
    assert!(matches!(error, Error::PeerClosed), "{error}");
    assert_eq!(error.errno(), Errno::IO.raw_os_error());
    let Err(Error::Remote(reply)) = lookup(&mut svcmgr, "echo") else {
        panic!("a dead service is still found");
    };
    assert_eq!(reply.errno, Errno::NOENT.raw_os_error());

    // Restarted, it registers again and later calls work.
    let restarted = start_echo_service(&mut svcmgr);
    let mut to_echo = lookup(&mut svcmgr, "echo").unwrap();
    assert_eq!(say(&mut to_echo, "again").unwrap(), "again");
    restarted.send_signal(15).unwrap();
    assert_eq!(restarted.wait().unwrap(), Exit::Signal(15));

    drop((svcmgr, to_echo));
    server.join().unwrap().unwrap();
}

/// The legacy side, run in its own process by the test above.
#[test]
fn legacy_process() {
    if std::env::var_os(LEGACY_ROLE).is_none() {
        return;
    }
    let mut svcmgr = startup::svcmgr_channel().unwrap();
    assert!(
        startup::svcmgr_channel().is_err(),
        "the startup handle is taken once"
    );
    let (list, _) = call::<svcmgr::List>(&mut svcmgr, &svcmgr::ListRequest {}, vec![]).unwrap();
    assert_eq!(list.names, ["echo"]);
    let mut echo = lookup(&mut svcmgr, "echo").unwrap();
    assert_eq!(
        say(&mut echo, "hello from a legacy process").unwrap(),
        "hello from a legacy process"
    );

    // A payload larger than a message, in a sealed VMO.
    let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let vmo = Vmo::from_bytes(c"legacy-payload", &payload).unwrap();
    vmo.seal_read_only().unwrap();
    let (reply, _) = call::<echo::ReadVmo>(&mut echo, &echo::ReadVmoRequest {}, vec![vmo.into()]).unwrap();
    assert_eq!(reply.size, 200_000);
    assert_eq!(reply.bytes, payload[..reply.bytes.len()]);
    assert_eq!(reply.bytes.len(), 60 * 1024);

    // An unsealed VMO is refused with the service's errno.
    let unsealed = Vmo::from_bytes(c"unsealed", b"mutable").unwrap();
    let Err(Error::Remote(refusal)) =
        call::<echo::ReadVmo>(&mut echo, &echo::ReadVmoRequest {}, vec![unsealed.into()])
    else {
        panic!("an unsealed vmo was read");
    };
    assert_eq!(refusal.errno, Errno::PERM.raw_os_error());

    // A file opened here is read there, through the descriptor alone: the service never
    // learns the path.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("note.txt");
    File::create(&path)
        .unwrap()
        .write_all(b"written by the legacy process")
        .unwrap();
    let file = File::open(&path).unwrap();
    let (reply, _) = call::<echo::ReadFile>(&mut echo, &echo::ReadFileRequest {}, vec![file.into()]).unwrap();
    assert_eq!(reply.bytes, b"written by the legacy process");
}
