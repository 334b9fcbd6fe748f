//! Runs the three peers in one process tree (so in one sandbox, one shim): `rsb_hub`, then —
//! once it reports `READY=1` on `NOTIFY_SOCKET`, i.e. holds handle 0 — the service and the
//! client. Exits with the client's status; the service and the hub are stopped after it.
//!
//! `peer_run HUB SERVICE CLIENT` (paths; default `./rsb_hub ./peer_service ./peer_client`).
//! With `PEER_LAZY=1` it also starts `SERVICE --lazy`.

use std::os::unix::net::UnixDatagram;
use std::process::{Child, Command, ExitCode};
use std::time::{Duration, Instant};

const READY_TIMEOUT: Duration = Duration::from_secs(30);
const CLIENT_TIMEOUT: Duration = Duration::from_secs(60);

fn stop(name: &str, mut child: Child) {
    // SAFETY: kill with a pid we spawned and have not reaped.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                eprintln!("peer_run: {name} exited: {status}");
                return;
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let status = child.wait();
                eprintln!("peer_run: {name} killed after SIGTERM: {status:?}");
                return;
            }
        }
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let hub = args.next().unwrap_or_else(|| "./rsb_hub".into());
    let service = args.next().unwrap_or_else(|| "./peer_service".into());
    let client = args.next().unwrap_or_else(|| "./peer_client".into());

    let socket_path = std::env::current_dir().expect("cwd").join("hub-notify.sock");
    let _ = std::fs::remove_file(&socket_path);
    let socket = UnixDatagram::bind(&socket_path).expect("bind NOTIFY_SOCKET");
    socket.set_read_timeout(Some(READY_TIMEOUT)).expect("timeout");

    let mut hub = Command::new(&hub)
        .arg("--insecure-allow-all")
        .env("NOTIFY_SOCKET", &socket_path)
        .spawn()
        .expect("spawn rsb_hub");
    let mut buf = [0u8; 512];
    let ready = loop {
        match socket.recv(&mut buf) {
            Ok(n) => {
                let message = String::from_utf8_lossy(&buf[..n]).into_owned();
                eprintln!("peer_run: hub says {message:?}");
                if message.lines().any(|l| l == "READY=1") {
                    break true;
                }
            }
            Err(e) => {
                eprintln!("peer_run: no READY=1 from rsb_hub: {e}");
                break false;
            }
        }
    };
    if !ready {
        if let Ok(Some(status)) = hub.try_wait() {
            eprintln!("peer_run: rsb_hub exited: {status}");
        } else {
            stop("rsb_hub", hub);
        }
        return ExitCode::from(2);
    }

    let lazy = std::env::var_os("PEER_LAZY").is_some().then(|| {
        Command::new(&service)
            .arg("--lazy")
            .spawn()
            .expect("spawn lazy service")
    });
    let service = Command::new(&service).spawn().expect("spawn service");
    let mut client = Command::new(&client).spawn().expect("spawn client");
    let deadline = Instant::now() + CLIENT_TIMEOUT;
    let status = loop {
        match client.try_wait().expect("wait client") {
            Some(status) => break Some(status),
            None if Instant::now() >= deadline => break None,
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let code = match status {
        Some(status) => {
            eprintln!("peer_run: client exited: {status}");
            if status.success() {
                0
            } else {
                1
            }
        }
        None => {
            let _ = client.kill();
            let _ = client.wait();
            eprintln!("peer_run: client timed out after {CLIENT_TIMEOUT:?}");
            3
        }
    };
    stop("service", service);
    if let Some(lazy) = lazy {
        stop("lazy service", lazy);
    }
    stop("rsb_hub", hub);
    let _ = std::fs::remove_file(&socket_path);
    if code == 0 {
        println!("peer_run: ok");
    }
    ExitCode::from(code)
}
