//! End to end: a static C guest (`tests/guest/guest.c`, built here with `cc -static`) run in the
//! sandbox, through the library and through `hc-sandbox`. Skipped, saying so, when no C
//! compiler with a static libc is installed.

use std::ffi::OsString;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use sandbox::{Exit, LaunchError, target};

/// The guest binary, built once per test run; `None` (after saying why) when it cannot be built
/// or this machine cannot make the sandbox's namespaces (unprivileged user namespaces off).
fn guest() -> Option<&'static Path> {
    static GUEST: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let guest = GUEST.get_or_init(|| {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guest/guest.c");
        let binary = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sandbox-guest");
        let built = Command::new("cc")
            .args(["-static", "-O", "-o"])
            .arg(&binary)
            .arg(&source)
            .status()
            .is_ok_and(|status| status.success());
        if !built {
            return Err("`cc -static` could not build tests/guest/guest.c".into());
        }
        match run_in(&binary, &["exit", "0"]) {
            Ok(_) => Ok(binary),
            Err(sandbox::RunError::Launch(
                error @ (LaunchError::Host { .. } | LaunchError::Child { .. }),
            )) => Err(format!("this machine cannot make the sandbox: {error}")),
            Err(error) => panic!("{error}"),
        }
    });
    match guest {
        Ok(binary) => Some(binary),
        // CI's machine can make the sandbox (scripts/test sets HYPERCOMPAT_REQUIRE_SANDBOX):
        // there a skip would hide a broken launcher, so it fails instead.
        Err(reason) if std::env::var_os("HYPERCOMPAT_REQUIRE_SANDBOX").is_some() => {
            panic!("HYPERCOMPAT_REQUIRE_SANDBOX is set, but {reason}")
        }
        Err(reason) => {
            println!("SKIPPED: {reason}");
            None
        }
    }
}

/// Runs `program` with `args` through the library, in a fresh temporary app root.
fn run_in(program: &Path, args: &[&str]) -> Result<sandbox::Run, sandbox::RunError> {
    let app = tempfile::tempdir().unwrap();
    let args = args.iter().map(OsString::from).collect();
    let mut config = sandbox::Config::new(
        program,
        args,
        sandbox::GuestRoot::new(app.path(), "com.example.test"),
    );
    config.vfs = PathBuf::from(env!("CARGO_BIN_EXE_hc-vfs"));
    sandbox::run(&config)
}

/// Runs the guest in `mode` under `hc-sandbox`.
fn sandboxed(args: &[&str]) -> Option<Output> {
    let output = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
        .arg(guest()?)
        .args(args)
        .output()
        .expect("run hc-sandbox");
    Some(output)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn uname_reports_the_target_not_the_host() {
    let Some(output) = sandboxed(&["uname"]) else {
        return;
    };
    assert!(output.status.success(), "{output:?}");
    let expected = [
        target::SYSNAME,
        target::NODENAME,
        target::RELEASE,
        target::VERSION,
        target::MACHINE,
    ]
    .join("|");
    assert_eq!(stdout(&output).trim_end(), expected);
}

#[test]
fn the_program_is_init_of_its_own_pid_namespace_and_runs_as_the_app_uid() {
    let Some(output) = sandboxed(&["identity"]) else {
        return;
    };
    // hc-sandbox's default package; the uid is Android's 10000 + n for it.
    let uid = sandbox::root::app_uid("com.hypercompat.app");
    assert!((10_000..20_000).contains(&uid));
    assert_eq!(stdout(&output).trim_end(), format!("pid=1 ppid=0 uid={uid}"));
}

#[test]
fn denied_calls_fail_with_the_tables_errno() {
    let Some(output) = sandboxed(&["deny"]) else {
        return;
    };
    // init_module and kexec_load are privileged (EPERM); uselib is obsolete (ENOSYS).
    assert_eq!(stdout(&output).trim_end(), "init_module=1 kexec_load=1 uselib=38");
}

#[test]
fn refused_arguments_of_passed_calls_fail_with_eperm() {
    let Some(output) = sandboxed(&["refused"]) else {
        return;
    };
    // Natively (as root) the new user namespace and the capability drop would succeed.
    assert_eq!(
        stdout(&output).trim_end(),
        "clone_newuser=1 fork_status=5 capbset_drop=1 set_mm=1 set_name=0"
    );
}

#[test]
fn every_refused_call_of_a_flood_is_counted_and_only_the_first_are_kept() {
    let Some(guest) = guest() else { return };
    // Far more than the supervisor's socket queues: before the bridge waited for room, about
    // a fifth of such a flood's reports were dropped.
    let calls = 3 * sandbox::KEPT_EVENTS as u64 + 20_000;
    let run = run_in(guest, &["deny-many", &calls.to_string()]).unwrap();
    assert_eq!(run.exit, sandbox::Exit::Code(0));
    let counts: Vec<_> = run
        .denied
        .iter()
        .map(|((name, errno), n)| (name.as_str(), *errno, *n))
        .collect();
    assert_eq!(
        counts,
        [("#400", libc::ENOSYS, calls), ("keyctl", libc::EPERM, calls)]
    );
    assert_eq!(run.denials.len(), sandbox::KEPT_EVENTS);
    // In order: keyctl, then the unknown number, from the first call on.
    assert_eq!(run.denials[0].syscall, "keyctl");
    assert_eq!(run.denials[1].syscall, "#400");
}

#[test]
fn the_program_gets_none_of_the_callers_environment_but_what_is_asked_for() {
    let Some(guest) = guest() else { return };
    let app = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
        .arg("--app-root")
        .arg(app.path())
        .args(["--env", "HC_TEST_PASSED", "--env", "HC_TEST_SET=given", "--"])
        .arg(guest)
        .arg("env")
        .env("HC_TEST_SECRET", "host token")
        .env("HC_TEST_PASSED", "passed")
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let mut names: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "HC_TEST_PASSED=passed",
            "HC_TEST_SET=given",
            "HOME=/data/data/com.hypercompat.app",
            "LANG=C.UTF-8",
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "PWD=/data/data/com.hypercompat.app",
            "TMPDIR=/tmp",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain(std::env::var("TERM").ok().map(|term| format!("TERM={term}")))
        .chain(std::env::var("COLORTERM").ok().map(|v| format!("COLORTERM={v}")))
        .chain(std::env::var("LANGUAGE").ok().map(|v| format!("LANGUAGE={v}")))
        .chain(std::env::var("TZ").ok().map(|v| format!("TZ={v}")))
        .chain(
            std::env::vars()
                .filter(|(k, _)| k.starts_with("LC_"))
                .map(|(k, v)| format!("{k}={v}"))
        )
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
}

#[test]
fn calls_outside_the_table_fail_with_enosys() {
    let Some(output) = sandboxed(&["unknown"]) else {
        return;
    };
    assert_eq!(stdout(&output).trim_end(), "400=38 100000=38");
}

#[test]
fn x32_calls_are_refused() {
    let Some(output) = sandboxed(&["x32"]) else {
        return;
    };
    assert_eq!(stdout(&output).trim_end(), "x32_getpid=38 x32_read=38");
}

#[test]
fn another_architecture_kills_the_program() {
    let Some(guest) = guest() else {
        return;
    };
    // Only meaningful where the kernel has the i386 entry point at all.
    let native = Command::new(guest).arg("i386").output().unwrap();
    if !native.status.success() {
        println!("SKIPPED: this kernel has no i386 syscall entry ({native:?})");
        return;
    }
    let output = sandboxed(&["i386"]).unwrap();
    assert_eq!(output.status.code(), Some(128 + libc::SIGSYS), "{output:?}");
    assert_eq!(stdout(&output), "");
}

#[test]
fn exit_status_propagates() {
    let Some(guest) = guest() else {
        return;
    };
    let run = |args: &[&str]| run_in(guest, args).unwrap().exit;
    assert_eq!(run(&["exit", "0"]), Exit::Code(0));
    assert_eq!(run(&["exit", "42"]), Exit::Code(42));
    let cli = sandboxed(&["exit", "3"]).unwrap();
    assert_eq!(cli.status.code(), Some(3));
}

#[test]
fn setgroups_fails_with_eperm_as_for_an_app_and_is_no_stub() {
    let Some(guest) = guest() else {
        return;
    };
    let run = run_in(guest, &["setgroups"]).unwrap();
    assert_eq!(run.exit, Exit::Code(0));
    assert!(
        run.sync_wake_up,
        "Linux 6.6+ accepts SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP"
    );
    assert!(run.stubs.is_empty(), "{:?}", run.stubs);
    let cli = sandboxed(&["setgroups"]).unwrap();
    assert_eq!(stdout(&cli).trim_end(), format!("setgroups={}", libc::EPERM));
}

#[test]
fn a_binder_read_parked_in_a_vfs_that_dies_fails_with_eio() {
    let Some(guest) = guest() else {
        return;
    };
    let output = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
        .arg(guest)
        .arg("binder-parked")
        .env("HC_VFS_FAULT_PATH", "/hc-fault")
        .output()
        .unwrap();
    assert_eq!(
        stdout(&output).trim_end(),
        format!("parked_read={} fault_open=EIO", libc::EIO),
        "{output:?}"
    );
}

#[test]
fn blocking_fifo_opens_wait_for_the_other_end() {
    if guest().is_none() {
        return;
    }
    let cli = sandboxed(&["fifo"]).unwrap();
    assert_eq!(
        stdout(&cli).trim_end(),
        format!(
            "nonblocking_writer={} writer_first=through reader_first=through",
            libc::ENXIO
        ),
        "{cli:?}"
    );
}

#[test]
fn relative_paths_stat_as_the_kernel_answers_them_natively() {
    let Some(guest) = guest() else {
        return;
    };
    let native_dir = tempfile::tempdir().unwrap();
    let native = Command::new(guest)
        .arg("relative")
        .current_dir(native_dir.path())
        .output()
        .expect("run the guest natively");
    assert!(native.status.success(), "{native:?}");
    assert_eq!(
        stdout(&native).trim_end(),
        format!(
            "plain=0 size=3 up=0 missing={enoent} notdir={enotdir} trailing={enotdir} lstat=0 is_link=1 l40=0 l41={eloop} above=0 is_root=1",
            enoent = libc::ENOENT,
            enotdir = libc::ENOTDIR,
            eloop = libc::ELOOP
        ),
        "the kernel's own answers"
    );
    let cli = sandboxed(&["relative"]).unwrap();
    assert!(cli.status.success(), "{cli:?}");
    assert_eq!(stdout(&cli), stdout(&native), "{cli:?}");
}

#[test]
fn a_program_that_makes_itself_undumpable_keeps_its_path_calls_and_its_privacy() {
    let Some(guest) = guest() else {
        return;
    };
    let cli = sandboxed(&["undumpable"]).unwrap();
    assert_eq!(
        stdout(&cli).trim_end(),
        format!(
            "sibling_mem={eacces} via_root={eacces} create=ok stat=0 mkdir=0 rename=0 exe=ok maps=ok futimens=0",
            eacces = libc::EACCES
        ),
        "{cli:?}"
    );
    let _ = guest;
}

#[test]
fn a_missing_program_is_a_launch_error() {
    let error = run_in(Path::new("/nonexistent/program"), &[]).unwrap_err();
    assert!(
        matches!(
            error,
            sandbox::RunError::Launch(sandbox::LaunchError::NotFound(_))
        ),
        "{error}"
    );
}

/// Starts `hc-sandbox` on the guest with `args`, where `{fd}` stands for the write end of a
/// pipe that only the guest inherits; returns the supervisor and the pipe's read end.
fn spawn_with_pipe(
    guest: &Path,
    args: &[&str],
    stdin: Stdio,
    env: &[(&str, &str)],
) -> (std::process::Child, std::fs::File) {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two fds into the array on success.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    // SAFETY: both fds were just created and are owned by nobody else.
    let (read_end, write_end) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let inherited = write_end.as_raw_fd();
    let mut command = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"));
    command
        .args(["--keep-fd", &inherited.to_string(), "--"])
        .arg(guest)
        .args(args.iter().map(|arg| arg.replace("{fd}", &inherited.to_string())))
        // Should the guest survive, it must not hold the test runner's pipes open too.
        .envs(env.iter().copied())
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: runs in the forked child before exec; fcntl is async-signal-safe. Only this
    // child inherits the write end, not other tests' children.
    unsafe {
        command.pre_exec(move || {
            if libc::fcntl(inherited, libc::F_SETFD, 0) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let supervisor = command.spawn().unwrap();
    drop(write_end);
    (supervisor, std::fs::File::from(read_end))
}

#[test]
fn killing_the_supervisor_kills_the_program() {
    let Some(guest) = guest() else {
        return;
    };
    // The guest holds the write end of a pipe: the read end sees end of file only once the
    // guest is gone.
    let (mut supervisor, mut pipe) = spawn_with_pipe(guest, &["hold", "{fd}"], Stdio::null(), &[]);
    let mut ready = [0; 6];
    pipe.read_exact(&mut ready).unwrap();
    assert_eq!(&ready, b"ready\n");

    supervisor.kill().unwrap();
    let status = supervisor.wait().unwrap();
    assert_eq!(status.signal(), Some(libc::SIGKILL));
    // A bound on failure, not a synchronisation: the guest's death closes the pipe at once.
    let mut poll = libc::pollfd {
        fd: pipe.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let ready = unsafe { libc::poll(&mut poll, 1, 60_000) };
    assert_eq!(ready, 1, "the guest outlived its supervisor");
    let mut rest = Vec::new();
    assert_eq!(pipe.read_to_end(&mut rest).unwrap(), 0);
}

/// The pids of the running processes named `name` whose parent is `parent`.
fn children_named(parent: u32, name: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces, so split at its last ')'.
        let Some((head, tail)) = stat.rsplit_once(')') else {
            continue;
        };
        let comm = head.split_once('(').map(|(_, comm)| comm);
        let ppid = tail.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok());
        if comm == Some(name) && ppid == Some(parent) {
            found.push(pid);
        }
    }
    found
}

#[test]
fn a_dead_vfs_is_restarted_and_only_its_call_in_flight_fails_with_eio() {
    let Some(guest) = guest() else {
        return;
    };
    let (mut supervisor, mut pipe) = spawn_with_pipe(
        guest,
        &["vfs-restart", "{fd}"],
        Stdio::piped(),
        &[("HC_VFS_FAULT_PATH", "/hc-fault")],
    );
    let mut ready = [0; 6];
    pipe.read_exact(&mut ready).unwrap();
    assert_eq!(&ready, b"ready\n");
    // The guest's first open went through vfs, so the server runs now; it is idle.
    let servers = children_named(supervisor.id(), "hc-vfs");
    assert_eq!(servers.len(), 1, "{servers:?}");
    // Killed while idle, and gone before the guest goes on (a call racing the kill would be
    // in flight in the dying server, and fail with EIO, which the last open checks).
    let server = microkernel::Process::open(servers[0]).unwrap();
    server.send_signal(libc::SIGKILL).unwrap();
    // Not the server's parent: its pidfd turns readable when it exits.
    let mut poll = libc::pollfd {
        fd: std::os::fd::AsRawFd::as_raw_fd(&std::os::fd::AsFd::as_fd(&server)),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let exited = unsafe { libc::poll(&mut poll, 1, 60_000) };
    assert_eq!(exited, 1, "the server outlived SIGKILL");
    let mut stdin = supervisor.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, b"x").unwrap();
    let output = supervisor.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        stdout(&output).trim_end(),
        format!("after_kill=0 in_flight={} after=0", libc::EIO)
    );
    // Killed once by the test, died once on the fault: three servers in all.
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("the vfs server was started 3 times"),
        "{output:?}"
    );
}

#[test]
fn killing_vfs_while_calls_arrive_never_loses_a_call() {
    let Some(guest) = guest() else {
        return;
    };
    let (mut supervisor, mut pipe) =
        spawn_with_pipe(guest, &["open-until-stdin", "{fd}"], Stdio::piped(), &[]);
    let mut ready = [0; 6];
    pipe.read_exact(&mut ready).unwrap();
    // Kill each server the supervisor starts, 20 times, while the guest opens without pause: a
    // call received by a dying server must fail with EIO, not hang the guest.
    let mut killed = 0;
    while killed < 20 {
        if let Some(status) = supervisor.try_wait().unwrap() {
            let mut stderr = String::new();
            supervisor
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            let mut out = String::new();
            supervisor
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            panic!("the supervisor ended after {killed} kills: {status:?}\n{out}\n{stderr}");
        }
        let Some(pid) = children_named(supervisor.id(), "hc-vfs").first().copied() else {
            // Between a death and the next start.
            std::thread::yield_now();
            continue;
        };
        let Ok(server) = microkernel::Process::open(pid) else {
            continue;
        };
        if server.send_signal(libc::SIGKILL).is_ok() {
            let mut poll = libc::pollfd {
                fd: std::os::fd::AsRawFd::as_raw_fd(&std::os::fd::AsFd::as_fd(&server)),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            assert_eq!(unsafe { libc::poll(&mut poll, 1, 60_000) }, 1);
            killed += 1;
        }
    }
    let mut stdin = supervisor.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, b"x").unwrap();
    let output = supervisor.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let report = stdout(&output);
    let counts: Vec<u64> = report
        .split_whitespace()
        .map(|field| field.split_once('=').unwrap().1.parse().unwrap())
        .collect();
    assert_eq!(counts.len(), 3, "{report}");
    assert!(counts[0] > 0, "{report}");
    // Only EIO, and at most one per death.
    assert_eq!(counts[2], 0, "{report}");
    assert!(counts[1] <= 20 * 2, "{report}");
}

#[test]
fn fifos_openat2_utimes_and_inotify_go_through_vfs() {
    let Some(guest) = guest() else {
        return;
    };
    let run = run_in(guest, &["more-paths"]).unwrap();
    assert_eq!(run.exit, Exit::Code(0));
    assert!(run.stubs.is_empty(), "{:?}", run.stubs);
    let cli = sandboxed(&["more-paths"]).unwrap();
    // A FIFO is made, a device node refused (EPERM), openat2 opens, RESOLVE_BENEATH refuses
    // `..` (EXDEV), utimes sets seconds and microseconds, and the watch sees the new file.
    assert_eq!(
        stdout(&cli).trim_end(),
        format!(
            "fifo=0 is_fifo=1 device={} openat2=1 beneath={} utimes=0 mtime=1000000000.500000000 watch=1 event=created.txt",
            libc::EPERM,
            libc::EXDEV
        )
    );
}

/// Registers the sandbox with a procmgr served on a thread of the test, and keeps the test's
/// own channel to it (as the sandbox's) with the program's host pid.
#[derive(Debug)]
struct TestRegistrar {
    control: microkernel::Channel,
    registered: std::sync::Mutex<Option<(u32, microkernel::Channel)>>,
}

impl sandbox::procmgr::Registrar for TestRegistrar {
    fn register(
        &self,
        process: &microkernel::Process,
        package: &str,
        uid: u32,
    ) -> Result<microkernel::Channel, microkernel::Error> {
        use microkernel::protocols::procmgr;
        use std::os::fd::AsFd;
        let copy = microkernel::Handle::from(process.as_fd().try_clone_to_owned().unwrap());
        let request = procmgr::RegisterRequest {
            sandbox: 7,
            package: package.into(),
            uid,
        };
        microkernel::rpc::send::<procmgr::Register>(&self.control, &request, vec![copy])?;
        let (ours, theirs) = microkernel::Channel::pair()?;
        let adopt = procmgr::AdoptRequest { sandbox: 7 };
        microkernel::rpc::send::<procmgr::Adopt>(&self.control, &adopt, vec![theirs.into()])?;
        let info =
            std::fs::read_to_string(format!("/proc/self/fdinfo/{}", process.as_fd().as_raw_fd())).unwrap();
        let pid = info
            .lines()
            .find_map(|line| line.strip_prefix("Pid:"))
            .and_then(|pid| pid.trim().parse().ok())
            .unwrap();
        *self.registered.lock().unwrap() = Some((pid, ours));
        // vfs's connector: this test serves no /proc file through it.
        Ok(microkernel::Channel::pair()?.0)
    }
}

#[test]
fn procmgr_answers_for_the_processes_of_its_sandbox_in_guest_terms() {
    use microkernel::protocols::procmgr;
    use microkernel::rpc::call;
    let Some(guest) = guest() else {
        return;
    };
    let (control, server_end) = microkernel::Channel::pair().unwrap();
    let server = std::thread::spawn(move || sandbox::procmgr::serve(server_end));
    let registrar = std::sync::Arc::new(TestRegistrar {
        control,
        registered: std::sync::Mutex::new(None),
    });
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two fds into the array on success.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    // SAFETY: both fds were just created and are owned by nobody else.
    let (read_end, write_end) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let app = tempfile::tempdir().unwrap();
    let root = sandbox::GuestRoot::new(app.path(), "com.example.family");
    let uid = root.uid;
    let fd = write_end.as_raw_fd().to_string();
    let mut config = sandbox::Config::new(guest, vec!["family".into(), fd.into()], root);
    config.vfs = PathBuf::from(env!("CARGO_BIN_EXE_hc-vfs"));
    config.keep_fds = vec![write_end.as_raw_fd()];
    config.procmgr = Some(registrar.clone());
    let running = std::thread::spawn(move || sandbox::run(&config));
    let mut pipe = std::fs::File::from(read_end);
    let mut ready = [0; 6];
    pipe.read_exact(&mut ready).unwrap();
    assert_eq!(&ready, b"ready\n");
    drop(write_end);

    let (host_pid, mut channel) = registrar.registered.lock().unwrap().take().unwrap();
    /// Ends the sandbox (its first process) however the test ends.
    struct Kill(i32);
    impl Drop for Kill {
        fn drop(&mut self) {
            // SAFETY: kill takes plain values; the process is unreaped until `run` returns,
            // which it cannot before the process is gone.
            unsafe { libc::kill(self.0, libc::SIGKILL) };
        }
    }
    let kill = Kill(host_pid as i32);
    let identity = |channel: &mut microkernel::Channel, host_tid: u32| {
        call::<procmgr::Identity>(channel, &procmgr::IdentityRequest { host_tid }, vec![]).map(|(r, _)| r)
    };
    let first = identity(&mut channel, host_pid).unwrap();
    assert_eq!((first.pid, first.ppid, first.tid), (1, 0, 1));
    assert_eq!(
        (first.uid, first.euid, first.gid, first.egid),
        (uid, uid, uid, uid)
    );
    assert_eq!(first.package, "com.example.family");
    let children = children_named(host_pid, "sandbox-guest");
    assert_eq!(children.len(), 1, "the guest forked one child");
    let child = identity(&mut channel, children[0]).unwrap();
    assert_eq!((child.ppid, child.tid, child.uid), (1, child.pid, uid));
    assert_ne!(child.pid, 1);
    let (listed, _) = call::<procmgr::List>(&mut channel, &procmgr::ListRequest {}, vec![]).unwrap();
    assert_eq!(listed.pids, vec![1, child.pid]);
    // A host process outside the sandbox is unknown to it.
    let outside = identity(&mut channel, std::process::id()).unwrap_err();
    assert_eq!(outside.errno(), libc::ESRCH, "{outside}");
    // The /proc files it builds, read-only; no other.
    let request = procmgr::ProcFileRequest {
        path: "version".into(),
    };
    let (_, handles) = call::<procmgr::ProcFile>(&mut channel, &request, vec![]).unwrap();
    let vmo = microkernel::Vmo::try_from(handles.into_iter().next().unwrap()).unwrap();
    assert!(vmo.is_read_only().unwrap());
    let text = String::from_utf8(vmo.read_all().unwrap()).unwrap();
    assert_eq!(Some(text.clone()), sandbox::procmgr::proc_file("version"));
    assert!(
        text.contains(target::RELEASE) && text.contains(target::VERSION),
        "{text}"
    );
    let request = procmgr::ProcFileRequest {
        path: "cpuinfo".into(),
    };
    let missing = call::<procmgr::ProcFile>(&mut channel, &request, vec![]).unwrap_err();
    assert_eq!(missing.errno(), libc::ENOENT, "{missing}");

    drop(kill);
    let run = running.join().unwrap().unwrap();
    assert_eq!(run.exit, Exit::Signal(libc::SIGKILL));
    drop(registrar);
    drop(channel);
    server.join().unwrap().unwrap();
}
