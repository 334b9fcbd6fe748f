//! Runs the three peers: `rsb_hub`, then — once it reports `READY=1` on `NOTIFY_SOCKET`, i.e.
//! holds handle 0 — the service and the client. Exits with the client's status; the service
//! and the hub are stopped after it. With `PEER_LAZY=1` it also starts `SERVICE --lazy`.
//!
//! - `peer_run [HUB SERVICE CLIENT]` (paths; default `./rsb_hub ./peer_service ./peer_client`),
//!   run inside one sandbox: the three share its Binder.
//! - `peer_run --sandboxes HYPER_COMPAT DIR`, run on the host: starts a Binder world
//!   (`hyper-compat binder-world`) and each peer in a sandbox of its own that joins it, with
//!   app roots under `DIR`, where `rsb_hub`, `peer_service` and `peer_client` must be.
//! - `peer_run --service-manager HYPER_COMPAT DIR ECHO_SERVICE PARCEL_CLIENT`: the same
//!   without `rsb_hub`: the world runs HyperCompat's own service manager, with two native
//!   microkernel programs beside it: `ECHO_SERVICE`, which the client also calls
//!   (`PEER_NATIVE_ECHO=1`), and `PARCEL_CLIENT`, which calls the service's `echo` once it is
//!   registered (the client starts after that answer is seen). The lazy service is left out:
//!   this service manager does not manage lazy services.

use std::io::{BufRead, BufReader};
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;

use rsbinder_peer::SERVICE_NAME;
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

/// How a peer is started: directly (all in this sandbox), or each in a sandbox of its own
/// joined to a Binder world.
enum Launcher {
    Direct,
    Sandboxes {
        hyper_compat: PathBuf,
        dir: PathBuf,
        world: PathBuf,
    },
}

impl Launcher {
    /// A command for peer `name` (`rsb_hub`, `peer_service`, `peer_client`), and the path under
    /// which it reaches its own folder's `file` (for `NOTIFY_SOCKET`), with the host path.
    fn command(&self, name: &str, role: &str) -> Command {
        match self {
            Launcher::Direct => Command::new(format!("./{name}")),
            Launcher::Sandboxes {
                hyper_compat,
                dir,
                world,
            } => {
                let root = dir.join(role);
                std::fs::create_dir_all(&root).expect("app root");
                std::fs::copy(dir.join(name), root.join(name)).expect("copy the peer into its app root");
                let mut command = Command::new(hyper_compat);
                command
                    .arg("run")
                    .arg("--app-root")
                    .arg(&root)
                    .arg("--package")
                    .arg(package(role))
                    .arg("--binder-world")
                    .arg(world)
                    // The guest gets these from the host only when asked (set or not).
                    .args(["--env", "PEER_LAZY", "--env", "PEER_NATIVE_ECHO", "--env", "NOTIFY_SOCKET"])
                    .arg("--")
                    .arg(root.join(name));
                command
            }
        }
    }

    /// Where the hub's notify socket is, on the host and as the hub names it.
    fn notify_socket(&self) -> (PathBuf, PathBuf) {
        match self {
            Launcher::Direct => {
                let path = std::env::current_dir().expect("cwd").join("hub-notify.sock");
                (path.clone(), path)
            }
            Launcher::Sandboxes { dir, .. } => {
                let root = dir.join("hub");
                std::fs::create_dir_all(&root).expect("app root");
                (
                    root.join("hub-notify.sock"),
                    Path::new("/data/data").join(package("hub")).join("hub-notify.sock"),
                )
            }
        }
    }
}

fn package(role: &str) -> String {
    format!("com.hypercompat.peer.{}", role.replace('-', "_"))
}

/// Starts `hyper-compat binder-world` on `socket` and waits for its ready line.
/// Starts `hyper-compat binder-world` on `socket` and waits for its ready line; with native
/// programs (echo service, parcel client), the world runs its own service manager with them.
/// The world's standard error is relayed, each line also sent on the receiver returned.
fn start_world(
    hyper_compat: &Path,
    socket: &Path,
    natives: Option<&(PathBuf, PathBuf)>,
) -> (Child, mpsc::Receiver<String>) {
    let mut command = Command::new(hyper_compat);
    command.arg("binder-world").arg("--socket").arg(socket);
    if let Some((echo_service, parcel_client)) = natives {
        command
            .arg("--service-manager")
            .arg("--service")
            .arg(echo_service)
            .arg("--service")
            .arg(parcel_client);
    }
    let mut world = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn hyper-compat binder-world");
    let (send, lines) = mpsc::channel();
    let stderr = world.stderr.take().expect("piped");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            let _ = send.send(line);
        }
    });
    let mut line = String::new();
    BufReader::new(world.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("read the world's ready line");
    assert!(line.starts_with("ready "), "binder-world said {line:?}");
    eprintln!("peer_run: binder world {}", line.trim_end());
    (world, lines)
}

/// Waits for `wanted` among the world's lines, at most `limit`.
fn wait_for_line(lines: &mpsc::Receiver<String>, wanted: &str, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line == wanted => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    let mut world = None;
    let mut world_lines = None;
    let mut own_manager = false;
    let launcher = if args.peek().is_some_and(|a| a == "--sandboxes" || a == "--service-manager") {
        own_manager = args.next().is_some_and(|a| a == "--service-manager");
        let hyper_compat = PathBuf::from(args.next().expect("HYPER_COMPAT DIR"));
        let dir = PathBuf::from(args.next().expect("HYPER_COMPAT DIR"));
        let socket = dir.join("binder-world.sock");
        let natives = own_manager.then(|| {
            (
                PathBuf::from(args.next().expect("ECHO_SERVICE")),
                PathBuf::from(args.next().expect("PARCEL_CLIENT")),
            )
        });
        let (child, lines) = start_world(&hyper_compat, &socket, natives.as_ref());
        world = Some(child);
        world_lines = Some(lines);
        Launcher::Sandboxes {
            hyper_compat,
            dir,
            world: socket,
        }
    } else {
        Launcher::Direct
    };
    let (hub, service, client) = match &launcher {
        Launcher::Direct => (
            args.next().unwrap_or_else(|| "./rsb_hub".into()),
            args.next().unwrap_or_else(|| "./peer_service".into()),
            args.next().unwrap_or_else(|| "./peer_client".into()),
        ),
        Launcher::Sandboxes { .. } => ("rsb_hub".into(), "peer_service".into(), "peer_client".into()),
    };
    let command = |path: &str, role: &str| match &launcher {
        Launcher::Direct => Command::new(path),
        Launcher::Sandboxes { .. } => launcher.command(path, role),
    };

    if own_manager {
        let service = command(&service, "service").spawn().expect("spawn service");
        // The native program's call, once the service is registered, before anything else.
        let wanted = format!("parcel_client: {SERVICE_NAME} answered \"from a native program\"");
        let lines = world_lines.as_ref().expect("started above");
        if !wait_for_line(lines, &wanted, CLIENT_TIMEOUT) {
            eprintln!("peer_run: the native program's call was not answered: no line {wanted:?}");
            stop("service", service);
            stop("binder world", world.expect("started above"));
            return ExitCode::from(4);
        }
        eprintln!("peer_run: a native program called the Binder service: {wanted:?}");
        // No lazy service here: the client must not wait for one.
        let client = command(&client, "client")
            .env("PEER_NATIVE_ECHO", "1")
            .env_remove("PEER_LAZY")
            .spawn()
            .expect("spawn client");
        let code = finish(client, service, None);
        stop("binder world", world.expect("started above"));
        return ExitCode::from(code);
    }

    let (socket_path, socket_name) = launcher.notify_socket();
    let _ = std::fs::remove_file(&socket_path);
    let socket = UnixDatagram::bind(&socket_path).expect("bind NOTIFY_SOCKET");
    socket.set_read_timeout(Some(READY_TIMEOUT)).expect("timeout");

    let mut hub = command(&hub, "hub")
        .arg("--insecure-allow-all")
        .env("NOTIFY_SOCKET", &socket_name)
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
        command(&service, "lazy-service")
            .arg("--lazy")
            .spawn()
            .expect("spawn lazy service")
    });
    let service = command(&service, "service").spawn().expect("spawn service");
    let client = command(&client, "client").spawn().expect("spawn client");
    let code = finish(client, service, lazy);
    stop("rsb_hub", hub);
    if let Some(world) = world {
        stop("binder world", world);
    }
    let _ = std::fs::remove_file(&socket_path);
    ExitCode::from(code)
}

/// Waits for the client (with a deadline), then stops the services; the exit code.
fn finish(mut client: Child, service: Child, lazy: Option<Child>) -> u8 {
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
    if code == 0 {
        println!("peer_run: ok");
    }
    code
}
