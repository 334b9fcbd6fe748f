//! `hyper-compat`: the compatibility service's command line.
//!
//! `hyper-compat run [--app-root DIR] [--apk APP.apk] [--package NAME] [--ro HOST[:GUEST]]...
//! [--rw HOST[:GUEST]]... [--network|--no-network] [--policy android|linux] [--service PROGRAM]...
//! [--binder-world SOCKET] [--trace FILE] [--stats] -- PROGRAM ARGS...` runs a program in a fresh sandbox (crate
//! `sandbox`, docs/sandbox.md) with its app root read-write at `/data/data/<package>`, the
//! package, uid and network taken from the APK's manifest when one is given, and under
//! Android's app seccomp policy when an APK is given. svcmgr runs beside it, a supervised
//! process of its own that is started again should it die; the program
//! finds its channel to svcmgr at fd 3 (the microkernel's startup convention), through which it
//! reaches the native services started with `--service`.
//!
//! `hyper-compat binder-world --socket SOCKET` serves one Binder world for several sandboxes:
//! each `run --binder-world SOCKET` joins it, so that a context manager in one sandbox serves
//! the services and clients of the others (docs/binder.md).
//!
//! Exit status: the program's (128 + the signal that killed it); 2 for a usage error or an
//! unusable input (one line naming the file and the reason), before anything runs; 125 when
//! the sandbox itself failed.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::io::{BufRead, BufReader};
use std::os::fd::{AsFd, OwnedFd};
use std::process::Stdio;

use clap::{Parser, Subcommand};

mod logd;
mod procmgrd;
mod servicemanager;
mod svcmgrd;
use microkernel::protocols::logd::TelemetryRequest;
use microkernel::protocols::svcmgr;
use microkernel::{Channel, Process, rpc};
use sandbox::{Bind, Config, Exit, GuestRoot};

#[derive(Parser)]
#[command(
    name = "hyper-compat",
    version,
    about = "Run legacy Linux and Android programs in the HyperCompat sandbox"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a program in a fresh sandbox with an app's root and identity.
    Run(Box<RunArgs>),
    /// Serve a Binder world that sandboxes join with `run --binder-world SOCKET`: their
    /// processes then reach each other's Binder services, as the apps of one phone do.
    /// Prints `ready SOCKET` on standard output once it listens; runs until killed.
    BinderWorld(WorldArgs),
}

#[derive(Parser)]
struct WorldArgs {
    /// Where to listen: a Unix socket path that does not exist, or one a world that ended
    /// left behind (only this user's processes may connect).
    #[arg(long, value_name = "SOCKET")]
    socket: PathBuf,
    /// Start Android's service manager in a sandbox of its own joined to the world: the
    /// context manager (handle 0) of every sandbox there, serving `IServiceManager`, with the
    /// native services of `--service` reachable as Binder services and the Binder services
    /// reachable from them (docs/binder.md). Without it, a program in one of the sandboxes
    /// must become the context manager (Android's servicemanager, `rsb_hub`, …).
    #[arg(long)]
    service_manager: bool,
    /// A native microkernel program to start beside the service manager (see `run
    /// --service`); needs --service-manager.
    #[arg(long, value_name = "PROGRAM", requires = "service_manager")]
    service: Vec<PathBuf>,
}

#[derive(Parser)]
struct RunArgs {
    /// The app's data folder, read-write at /data/data/<package> and the working directory
    /// (created when missing; default: a temporary folder, removed afterwards).
    #[arg(long, value_name = "DIR")]
    app_root: Option<PathBuf>,
    /// The app: its package name comes from the manifest.
    #[arg(long, value_name = "APP.apk")]
    apk: Option<PathBuf>,
    /// The package name, overriding the APK's (default: com.hypercompat.app).
    #[arg(long, value_name = "NAME")]
    package: Option<String>,
    /// A host folder or file visible read-only, at GUEST (default: the same path).
    #[arg(long, value_name = "HOST[:GUEST]")]
    ro: Vec<OsString>,
    /// A host folder or file visible read-write, at GUEST (default: the same path).
    #[arg(long, value_name = "HOST[:GUEST]")]
    rw: Vec<OsString>,
    /// A variable for the program: NAME=VALUE, or NAME for the host's value. The program
    /// otherwise gets only TERM, the locale and the guest's HOME, PWD, TMPDIR and PATH.
    #[arg(long = "env", value_name = "NAME[=VALUE]")]
    env: Vec<OsString>,
    /// Write every translated, continued, denied and stubbed call as JSON lines (syscall,
    /// fate, result, latency in ns, thread).
    #[arg(long, value_name = "FILE")]
    trace: Option<PathBuf>,
    /// Print a table of the calls the bridge handled, by syscall and fate, at exit.
    #[arg(long)]
    stats: bool,
    /// Write the app's Android log (what liblog sends to /dev/socket/logdw) to FILE, as
    /// `logcat -v threadtime` lines (default: standard error).
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
    /// Share the host's network (default: when the APK holds android.permission.INTERNET;
    /// otherwise the program gets a private network with only a loopback interface).
    #[arg(long, overrides_with = "no_network")]
    network: bool,
    /// A private network with only a loopback interface, whatever the APK holds.
    #[arg(long)]
    no_network: bool,
    /// The system-call policy besides the bridge's: `android` adds Android's app seccomp
    /// policy, so a call Android forbids apps raises SIGSYS as on a phone; `linux` does not
    /// (Debian's glibc programs need calls Android forbids). Default: `android` with --apk,
    /// `linux` without.
    #[arg(long, value_enum, value_name = "POLICY")]
    policy: Option<PolicyArg>,
    /// A native microkernel program to start beside the sandbox, unsandboxed, with its channel
    /// to svcmgr at fd 3; it must print a line on stdout once its services are registered.
    #[arg(long, value_name = "PROGRAM")]
    service: Vec<PathBuf>,
    /// Share Binder with the sandboxes of the Binder world at SOCKET (`hyper-compat
    /// binder-world`) instead of having a Binder of the sandbox's own.
    #[arg(long, value_name = "SOCKET")]
    binder_world: Option<PathBuf>,
    /// The program and its arguments.
    #[arg(required = true, last = true, value_name = "PROGRAM ARGS")]
    command: Vec<OsString>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PolicyArg {
    Android,
    Linux,
}

/// A one-line failure before the program runs.
struct Unusable(String);

/// What the runtime takes from an APK's manifest.
struct App {
    package: String,
    /// It holds `android.permission.INTERNET`.
    internet: bool,
}

/// The package named by the APK's manifest, and whether it may use the network.
fn app_of(apk: &Path) -> Result<App, Unusable> {
    let data = std::fs::read(apk).map_err(|e| Unusable(format!("{}: {e}", apk.display())))?;
    let manifest = analyzer::report::apk_manifest(&data)
        .map_err(|reason| Unusable(format!("{}: {reason}", apk.display())))?;
    if manifest.package.is_empty() {
        return Err(Unusable(format!(
            "{}: the manifest names no package",
            apk.display()
        )));
    }
    let internet = manifest
        .uses_permissions
        .iter()
        .any(|permission| permission.name == "android.permission.INTERNET");
    Ok(App {
        package: manifest.package,
        internet,
    })
}

/// The argument with which `hyper-compat` starts itself as the sandbox's vfs server, so that an
/// installed `hyper-compat` needs no `hc-vfs` beside it.
const VFS_SERVER: &str = "__vfs-server";

/// How a server mode of this binary ended: its error on one line, exit 2.
fn served(server: &str, result: Result<(), impl std::fmt::Display>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("hyper-compat {server}: error: {error}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    // The server modes, in which `hyper-compat` starts itself; vfs first of all, while the
    // process is still single-threaded (entering a user namespace needs it).
    let mut argv = std::env::args_os().skip(1);
    let mode = argv.next();
    match mode.as_ref().and_then(|mode| mode.to_str()) {
        Some(VFS_SERVER) => return served(VFS_SERVER, sandbox::vfs::server_main()),
        Some(logd::LOGD_SERVER) => {
            let Some(socket) = argv.next() else {
                eprintln!("usage: hyper-compat {} SOCKET", logd::LOGD_SERVER);
                return ExitCode::from(2);
            };
            return served(logd::LOGD_SERVER, logd::server_main(Path::new(&socket)));
        }
        Some(svcmgrd::SVCMGR_SERVER) => return served(svcmgrd::SVCMGR_SERVER, svcmgrd::server_main()),
        Some(procmgrd::PROCMGR_SERVER) => return served(procmgrd::PROCMGR_SERVER, procmgrd::server_main()),
        Some(servicemanager::SERVICE_MANAGER) => {
            return served(servicemanager::SERVICE_MANAGER, servicemanager::main());
        }
        _ => {}
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(*args),
        Command::BinderWorld(args) => binder_world(&args),
    };
    match result {
        Ok(code) => code,
        Err(Unusable(message)) => {
            eprintln!("hyper-compat: error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: RunArgs) -> Result<ExitCode, Unusable> {
    let app = args.apk.as_deref().map(app_of).transpose()?;
    let package = match (&args.package, &app) {
        (Some(package), _) => package.clone(),
        (None, Some(app)) => app.package.clone(),
        (None, None) => "com.hypercompat.app".to_string(),
    };
    let network = if args.network {
        true
    } else if args.no_network {
        false
    } else {
        app.as_ref().is_some_and(|app| app.internet)
    };
    if let Some(warning) = sandbox::launch::shared_network_warning(network) {
        eprintln!("hyper-compat: warning: {warning}");
    }
    let temporary = match &args.app_root {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| Unusable(format!("{}: {e}", dir.display())))?;
            None
        }
        None => Some(tempfile::tempdir().map_err(|e| Unusable(format!("temporary app root: {e}")))?),
    };
    let app_root = match (&args.app_root, &temporary) {
        (Some(dir), _) => dir.clone(),
        (None, Some(dir)) => dir.path().to_path_buf(),
        (None, None) => unreachable!("one of them is set above"),
    };
    let mut root = GuestRoot::new(app_root, package);
    root.network = network;
    root.binds = args
        .ro
        .iter()
        .map(|spec| Bind::from_spec(spec, false))
        .chain(args.rw.iter().map(|spec| Bind::from_spec(spec, true)))
        .collect();
    // logd, a process of its own, with its socket at the guest's /dev/socket/logdw.
    let exe = std::env::current_exe().map_err(|e| Unusable(format!("finding hyper-compat itself: {e}")))?;
    let log = logd::output(args.log.as_ref()).map_err(|e| match &args.log {
        Some(path) => Unusable(format!("{}: {e}", path.display())),
        None => Unusable(format!("standard error: {e}")),
    })?;
    let logd = logd::Supervisor::start(&exe, log).map_err(|e| Unusable(format!("logd: {e}")))?;
    root.binds.push(Bind {
        host: logd.dir.path().to_path_buf(),
        guest: PathBuf::from("/dev/socket"),
        writable: false,
    });
    let mut command = args.command.into_iter();
    let program = command.next().expect("clap requires the program");
    let mut config = Config::new(program, command.collect(), root);
    for spec in &args.env {
        sandbox::pass_env(&mut config.env, spec);
    }
    config.trace = args.trace.is_some() || args.stats;
    let recorder = std::sync::Arc::new(Recorder::new(args.trace.as_deref(), args.stats).map_err(|e| {
        Unusable(format!(
            "{}: {e}",
            args.trace.as_deref().unwrap_or(Path::new("")).display()
        ))
    })?);
    if config.trace {
        config.events = Some(std::sync::Arc::clone(&recorder) as std::sync::Arc<dyn sandbox::EventSink>);
    }
    config.policy = match args.policy {
        Some(PolicyArg::Android) => sandbox::Policy::AndroidApp,
        Some(PolicyArg::Linux) => sandbox::Policy::Linux,
        None if app.is_some() => sandbox::Policy::AndroidApp,
        None => sandbox::Policy::Linux,
    };
    if let Some(world) = &args.binder_world {
        // Found out now, in one line, rather than as a sandbox that cannot start.
        Channel::connect(world).map_err(|e| {
            Unusable(format!(
                "{}: no Binder world answers there ({e}); start one with `hyper-compat binder-world --socket {}`",
                world.display(),
                world.display()
            ))
        })?;
        config.binder_world =
            Some(std::path::absolute(world).map_err(|e| Unusable(format!("{}: {e}", world.display())))?);
    }
    if let Ok(exe) = std::env::current_exe() {
        config.vfs = exe;
        config.vfs_args = vec![VFS_SERVER.into()];
    }
    // svcmgr (a supervised process), the native services, and the program's own svcmgr
    // channel at fd 3.
    let (svcmgr_server, mut svcmgr) =
        svcmgrd::Supervisor::start(&exe).map_err(|e| Unusable(format!("svcmgr: {e}")))?;
    let services = args
        .service
        .iter()
        .map(|program| start_service(&mut svcmgr, program))
        .collect::<Result<Vec<_>, _>>()?;
    let guest_channel = svcmgr_client(&mut svcmgr).map_err(|e| Unusable(format!("svcmgr: {e}")))?;
    config
        .startup
        .push((guest_channel, microkernel::startup::SVCMGR_FD));
    // procmgr (a supervised process), with which the sandbox is registered once started.
    let procmgr = procmgrd::Supervisor::start(&exe).map_err(|e| Unusable(format!("procmgr: {e}")))?;
    config.procmgr = Some(procmgr.registrar());

    let run = match sandbox::run(&config) {
        Ok(run) => run,
        // A program that is not there or a tree that cannot be made of the paths given: the
        // caller's mistake, found before anything ran.
        Err(sandbox::RunError::Launch(
            error @ (sandbox::LaunchError::NotFound(_)
            | sandbox::LaunchError::Root(_)
            | sandbox::LaunchError::Nul),
        )) => return Err(Unusable(error.to_string())),
        Err(error) => {
            eprintln!("hyper-compat: error: {error}");
            return Ok(ExitCode::from(125));
        }
    };
    for service in services {
        let _ = service.send_signal(libc::SIGTERM);
        let _ = service.wait();
    }
    let logd_starts = logd.stop();
    if logd_starts > 1 {
        eprintln!("hyper-compat: logd was started {logd_starts} times");
    }
    drop(svcmgr);
    let svcmgr_starts = svcmgr_server.stop();
    if svcmgr_starts > 1 {
        eprintln!("hyper-compat: svcmgr was started {svcmgr_starts} times");
    }
    config.procmgr = None;
    let procmgr_starts = procmgr.stop();
    if procmgr_starts > 1 {
        eprintln!("hyper-compat: procmgr was started {procmgr_starts} times");
    }
    // The supervising thread that fed it has ended with the run.
    config.events = None;
    if let Some(stats) = recorder.stats() {
        eprint!("{stats}");
    }
    if let Some(path) = &args.trace {
        let recorder = std::sync::Arc::into_inner(recorder).expect("the run has let go of the recorder");
        recorder
            .finish_trace(path)
            .map_err(|e| Unusable(format!("{}: {e}", path.display())))?;
    }
    if run.vfs_starts > 1 {
        eprintln!(
            "hyper-compat: the vfs server was started {} times",
            run.vfs_starts
        );
    }
    if run.exit == Exit::Signal(libc::SIGSYS) && config.policy == sandbox::Policy::AndroidApp {
        eprintln!(
            "hyper-compat: {} was killed by SIGSYS: it made a system call Android's app policy \
             forbids (as on a phone); --policy linux lifts that policy",
            config.program.to_string_lossy()
        );
    }
    Ok(match run.exit {
        Exit::Code(code) => ExitCode::from(code as u8),
        Exit::Signal(signal) => ExitCode::from(128u8.wrapping_add(signal as u8)),
    })
}

/// `hyper-compat binder-world --socket SOCKET`: serves until killed.
fn binder_world(args: &WorldArgs) -> Result<ExitCode, Unusable> {
    let socket = args.socket.as_path();
    let unusable = |reason: String| Unusable(format!("{}: {reason}", socket.display()));
    if let Ok(meta) = std::fs::symlink_metadata(socket) {
        use std::os::unix::fs::FileTypeExt;
        if !meta.file_type().is_socket() {
            return Err(unusable("exists and is not a socket".into()));
        }
        // A socket nobody listens on is what a world that ended leaves behind.
        match Channel::connect(socket) {
            Ok(_) => return Err(unusable("a Binder world already serves it".into())),
            Err(_) => std::fs::remove_file(socket)
                .map_err(|e| unusable(format!("removing the stale socket: {e}")))?,
        }
    }
    for program in &args.service {
        if !program.is_file() {
            return Err(Unusable(format!("{}: no such program", program.display())));
        }
    }
    let announce = move |socket: &Path| {
        println!("ready {}", socket.display());
        let _ = std::io::stdout().flush();
    };
    let mut manager_error = None;
    let ready = || {
        if !args.service_manager {
            announce(socket);
            return;
        }
        // Started from this thread, which lives as long as the world: the child's parent-death
        // signal follows the thread that made it.
        match start_service_manager(socket, &args.service) {
            Ok(mut child) => {
                let stdout = child.stdout.take().expect("stdout is piped");
                let socket = socket.to_path_buf();
                std::thread::spawn(move || {
                    let mut lines = BufReader::new(stdout).lines();
                    // Its ready line comes once it holds handle 0, through the world, whose
                    // accept loop runs once this closure returns.
                    match lines.next() {
                        Some(Ok(line)) if line == servicemanager::READY => announce(&socket),
                        other => eprintln!(
                            "hyper-compat binder-world: the service manager did not start: {other:?}"
                        ),
                    }
                    for line in lines.map_while(Result::ok) {
                        eprintln!("servicemanager: {line}");
                    }
                    let status = child.wait();
                    eprintln!("hyper-compat binder-world: the service manager exited: {status:?}");
                });
            }
            Err(error) => manager_error = Some(error),
        }
    };
    let served = sandbox::binder::World::serve(socket, ready);
    if let Some(error) = manager_error {
        return Err(Unusable(format!("starting the service manager: {error}")));
    }
    match served {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) => Err(Unusable(error.to_string())),
    }
}

/// `hyper-compat run` of the service manager, in a sandbox of its own joined to `socket`.
fn start_service_manager(socket: &Path, services: &[PathBuf]) -> std::io::Result<std::process::Child> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe()?;
    let mut command = std::process::Command::new(&exe);
    command
        .arg("run")
        .arg("--binder-world")
        .arg(socket)
        .args(["--package", "android.servicemanager", "--policy", "linux", "--ro"])
        .arg(&exe);
    for service in services {
        command.arg("--service").arg(service);
    }
    command
        .arg("--")
        .arg(&exe)
        .arg(servicemanager::SERVICE_MANAGER)
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    // SAFETY: prctl takes plain values and is async-signal-safe, as pre_exec requires.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.spawn()
}

/// A fresh svcmgr channel (`svcmgr.Clone`), for a program to find at fd 3.
fn svcmgr_client(svcmgr: &mut Channel) -> Result<OwnedFd, microkernel::Error> {
    let (_, handles) = rpc::call::<svcmgr::Clone>(svcmgr, &svcmgr::CloneRequest {}, Vec::new())?;
    let handle = handles.into_iter().next().ok_or(microkernel::Error::PeerClosed)?;
    Ok(handle.into_fd())
}

/// Starts a native service with its svcmgr channel at fd 3 and waits for its ready line; its
/// later output goes to stderr, prefixed with its name.
fn start_service(svcmgr: &mut Channel, program: &Path) -> Result<Process, Unusable> {
    let unusable = |reason: String| Unusable(format!("{}: {reason}", program.display()));
    let channel = svcmgr_client(svcmgr).map_err(|e| unusable(e.to_string()))?;
    let mut command = std::process::Command::new(program);
    command.stdout(Stdio::piped()).stdin(Stdio::null());
    let mut process = Process::spawn(command, &[(channel.as_fd(), microkernel::startup::SVCMGR_FD)])
        .map_err(|e| unusable(e.to_string()))?;
    drop(channel);
    let mut stdout = BufReader::new(process.take_stdout().expect("stdout is piped"));
    let mut line = String::new();
    if stdout.read_line(&mut line).map_err(|e| unusable(e.to_string()))? == 0 {
        let _ = process.wait();
        return Err(unusable("exited before it was ready".into()));
    }
    let name = program.file_name().map_or_else(
        || program.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            eprintln!("{name}: {line}");
        }
    });
    Ok(process)
}

/// Where `--trace` and `--stats` take the run's events, one at a time as they arrive: the
/// trace goes straight to a temporary file beside its path (renamed over it at the end) and the
/// statistics are counted, so a program making millions of calls costs no memory for them.
#[derive(Debug)]
struct Recorder {
    trace: Option<std::sync::Mutex<TraceFile>>,
    stats: Option<std::sync::Mutex<BTreeMap<(String, String), Row>>>,
}

#[derive(Debug)]
struct TraceFile {
    out: std::io::BufWriter<tempfile::NamedTempFile>,
    /// The first write that failed; nothing is written after it.
    failed: Option<std::io::Error>,
}

/// One `--stats` row: calls, failures, total and largest latency of a (syscall, fate).
#[derive(Debug, Default)]
struct Row {
    calls: u64,
    failed: u64,
    total_ns: u64,
    max_ns: u64,
}

impl Recorder {
    /// Makes the trace's temporary file now, so that a path that cannot be written is found
    /// before the program runs.
    fn new(trace: Option<&Path>, stats: bool) -> std::io::Result<Recorder> {
        let trace = match trace {
            None => None,
            Some(path) => {
                let dir = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                // tempfile's errors name the temporary file; the caller names `path`.
                let file = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
                    let text = e.to_string();
                    match text.split_once(" at path ") {
                        Some((reason, _)) => std::io::Error::new(e.kind(), reason.to_owned()),
                        None => e,
                    }
                })?;
                Some(std::sync::Mutex::new(TraceFile {
                    out: std::io::BufWriter::new(file),
                    failed: None,
                }))
            }
        };
        Ok(Recorder {
            trace,
            stats: stats.then(Default::default),
        })
    }

    /// Writes out the trace and renames it over `path`.
    fn finish_trace(self, path: &Path) -> std::io::Result<()> {
        let Some(trace) = self.trace else { return Ok(()) };
        let trace = trace
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(error) = trace.failed {
            return Err(error);
        }
        let file = trace
            .out
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        file.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    /// One row per (syscall, fate), the most frequent first.
    fn stats(&self) -> Option<String> {
        let rows = self
            .stats
            .as_ref()?
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut sorted: Vec<_> = rows.iter().collect();
        sorted.sort_by(|a, b| b.1.calls.cmp(&a.1.calls).then(a.0.cmp(b.0)));
        let mut text = format!(
            "{:<20} {:<10} {:>8} {:>8} {:>12} {:>12}\n",
            "syscall", "fate", "calls", "failed", "mean µs", "max µs"
        );
        for ((name, kind), row) in sorted {
            let mean = row.total_ns as f64 / row.calls as f64 / 1000.0;
            text.push_str(&format!(
                "{:<20} {:<10} {:>8} {:>8} {:>12.1} {:>12.1}\n",
                name,
                kind,
                row.calls,
                row.failed,
                mean,
                row.max_ns as f64 / 1000.0
            ));
        }
        Some(text)
    }
}

impl sandbox::EventSink for Recorder {
    fn event(&self, event: &TelemetryRequest) {
        if let Some(trace) = &self.trace {
            let mut trace = trace.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if trace.failed.is_none() {
                let mut line = serde_json::json!({
                    "syscall": event.name,
                    "fate": event.kind,
                    "result": event.result,
                    "latency_ns": event.latency_ns,
                    "tid": event.tid,
                });
                for (key, value) in &event.attributes {
                    line[key] = serde_json::Value::String(value.clone());
                }
                let written = serde_json::to_writer(&mut trace.out, &line)
                    .map_err(std::io::Error::from)
                    .and_then(|()| trace.out.write_all(b"\n"));
                if let Err(error) = written {
                    trace.failed = Some(error);
                }
            }
        }
        if let Some(stats) = &self.stats {
            let mut rows = stats.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let row = match rows.get_mut(&(event.name.clone(), event.kind.clone())) {
                Some(row) => row,
                None => rows.entry((event.name.clone(), event.kind.clone())).or_default(),
            };
            row.calls += 1;
            row.failed += u64::from(event.result < 0);
            row.total_ns += event.latency_ns;
            row.max_ns = row.max_ns.max(event.latency_ns);
        }
    }
}
