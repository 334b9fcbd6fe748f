//! The escape suite: `tests/guest/escape.c` makes 46 attempts to reach the host from inside the
//! sandbox (paths, links, `/proc`, file handles, the supervisor, mounts and namespaces, kernel
//! attack surface, vsock, the host's abstract and loopback sockets, the terminal, set-id, a path raced during `openat` 100,000 times); each must
//! fail, and each that reaches the bridge must be in the run's denials. Skipped, saying so, when
//! no static C toolchain is installed or the machine cannot make the sandbox, unless
//! `HYPERCOMPAT_REQUIRE_SANDBOX` is set.

use std::os::linux::net::SocketAddrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The escape program, built once per test run: the tests run in parallel, and a build
/// rewriting the binary while another test executes it would make that run fail.
fn escape_binary() -> Option<PathBuf> {
    static BUILT: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guest/escape.c");
        let binary = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sandbox-escape");
        let compiled = Command::new("cc")
            .args(["-static", "-O", "-pthread", "-o"])
            .arg(&binary)
            .arg(&source)
            .status()
            .is_ok_and(|status| status.success());
        let probe = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
            .arg("/bin/true")
            .output();
        if !compiled {
            Err("`cc -static` could not build tests/guest/escape.c".to_string())
        } else if !probe.as_ref().is_ok_and(|output| output.status.success()) {
            Err(format!("this machine cannot make the sandbox: {probe:?}"))
        } else {
            Ok(binary)
        }
    });
    match built {
        Ok(binary) => Some(binary.clone()),
        Err(reason) if std::env::var_os("HYPERCOMPAT_REQUIRE_SANDBOX").is_some() => {
            panic!("HYPERCOMPAT_REQUIRE_SANDBOX is set, but {reason}")
        }
        Err(reason) => {
            println!("SKIPPED: {reason}");
            None
        }
    }
}

#[test]
fn every_escape_attempt_fails_and_the_bridge_records_the_refused_calls() {
    let Some(binary) = escape_binary() else {
        return;
    };
    let shadow = std::fs::metadata("/etc/shadow").expect("Debian has /etc/shadow");
    let app = tempfile::tempdir().unwrap();
    // Host sockets the guest must not reach: an abstract AF_UNIX name and a loopback port.
    let name = format!("hypercompat-escape-{}", std::process::id());
    let address = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
    let _unix = std::os::unix::net::UnixListener::bind_addr(&address).unwrap();
    let _datagram = std::os::unix::net::UnixDatagram::bind_addr(
        &std::os::unix::net::SocketAddr::from_abstract_name(format!("{name}-dgram").as_bytes()).unwrap(),
    )
    .unwrap();
    let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = tcp.local_addr().unwrap().port();
    // `exec` keeps the shell's pid, so $$ is the supervisor's: the attempts aim at it.
    let script = format!(
        "exec {} --app-root {} -- {} $$ {} {} 100000 {name} {port}",
        env!("CARGO_BIN_EXE_hc-sandbox"),
        app.path().display(),
        binary.display(),
        shadow.dev(),
        shadow.ino(),
    );
    let output = Command::new("/bin/sh")
        .args(["-c", &script])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let attempts: Vec<&str> = stdout
        .lines()
        .filter(|line| {
            line.split_whitespace()
                .nth(1)
                .is_some_and(|v| v == "contained" || v == "ESCAPED")
        })
        .collect();
    let escaped: Vec<&&str> = attempts
        .iter()
        .filter(|line| line.contains(" ESCAPED "))
        .collect();
    assert!(escaped.is_empty(), "escapes: {escaped:#?}\n{stdout}\n{stderr}");
    assert!(attempts.len() >= 40, "{stdout}");
    assert!(
        stdout.contains(&format!("attempts {} escapes 0", attempts.len())),
        "{stdout}"
    );
    assert!(output.status.success(), "{output:?}");
    // The race ran its 100,000 tries and opened the app's own file.
    let race = attempts
        .iter()
        .find(|line| line.starts_with("path_race "))
        .unwrap();
    assert!(race.contains("100000 tries"), "{race}");
    assert!(!race.contains(", 0 opened"), "{race}");
    // Every attempt that reached the bridge was refused there and recorded.
    for syscall in [
        "name_to_handle_at",
        "open_by_handle_at",
        "ptrace",
        "process_vm_writev",
        "mount",
        "umount2",
        "unshare",
        "setns",
        "chroot",
        "pivot_root",
        "clone",
        "prctl",
        "io_uring_setup",
        "bpf",
        "userfaultfd",
        "perf_event_open",
        "keyctl",
        "socket",
    ] {
        assert!(
            stderr.contains(&format!("hc-sandbox: denied {syscall} (")),
            "{syscall} was not recorded:\n{stderr}"
        );
    }
    // Nothing was created outside the app root: the probe file and links are in it.
    assert!(app.path().join("probe.txt").exists());
    assert!(!Path::new("/null2").exists());
}

/// An app that holds INTERNET shares the host's network namespace, where the host's abstract
/// AF_UNIX sockets are (container runtimes', D-Bus's, X11's; CVE-2020-15257 was this way out):
/// connecting or sending to them must fail, while the sandbox's own abstract sockets work.
/// Skipped, saying so, on kernels without Landlock scopes (before Linux 6.12), where
/// `hc-sandbox --network` warns that they are reachable.
#[test]
fn sharing_the_host_network_does_not_reach_the_host_abstract_sockets() {
    let Some(binary) = escape_binary() else {
        return;
    };
    let name = format!("hypercompat-net-escape-{}", std::process::id());
    let abstract_name =
        |name: &str| std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
    let _stream = std::os::unix::net::UnixListener::bind_addr(&abstract_name(&name)).unwrap();
    let _datagram =
        std::os::unix::net::UnixDatagram::bind_addr(&abstract_name(&format!("{name}-dgram"))).unwrap();
    let app = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
        .arg("--network")
        .arg("--app-root")
        .arg(app.path())
        .arg("--")
        .arg(&binary)
        .args(["network", &name])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if sandbox::launch::landlock_scopes() == 0 {
        assert!(
            stderr.contains("can reach the host's abstract AF_UNIX sockets"),
            "{stderr}"
        );
        println!("SKIPPED: this kernel has no Landlock scopes");
        return;
    }
    assert!(
        stdout.contains("control own_abstract_socket reached"),
        "{stdout}\n{stderr}"
    );
    assert!(stdout.contains("attempts 5 escapes 0"), "{stdout}\n{stderr}");
    assert!(!stdout.contains("ESCAPED"), "{stdout}");
    assert!(output.status.success(), "{output:?}");
}

/// The program's stdout is a host file it was given to write to, reachable by its magic link
/// (`/proc/self/fd/1`, `/dev/stdout`). Reopening that for reading would show what the host
/// wrote there before (the guest runs as the file's owner, so the kernel alone allows it);
/// reopening it to write, as `> /dev/stdout` does, works as on Linux. Likewise its stdin, a
/// host file handed in to read, cannot be reopened to write.
#[test]
fn a_host_file_handed_in_to_write_to_cannot_be_reopened_to_read() {
    let Some(binary) = escape_binary() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("host.log");
    std::fs::write(&log, "host secret\n").unwrap();
    let stdout = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    let app = tempfile::tempdir().unwrap();
    // `exec 4<` opens for reading without moving stdout; a subshell, as a failed `exec` ends
    // the shell. fd 3 is a copy of stdout.
    let script = "exec 3>&1; for path in /proc/self/fd/1 /dev/stdout /dev/fd/3; do \
                    if ( exec 4<$path ) 2>/dev/null; then echo \"read $path: ESCAPED\"; \
                    else echo \"read $path: refused\"; fi; \
                  done; \
                  if ( exec 4>>/dev/stdin ) 2>/dev/null; then echo 'write /dev/stdin: ESCAPED'; \
                  else echo 'write /dev/stdin: refused'; fi; \
                  echo 'written through /dev/stdout' >> /dev/stdout && echo 'append: ok'";
    // stdin: a host file handed in to read, which must stay as it is.
    let input = dir.path().join("host.input");
    std::fs::write(&input, "host input\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
        .arg("--app-root")
        .arg(app.path())
        .args(["--", "/bin/sh", "-c", script])
        .stdin(std::fs::File::open(&input).unwrap())
        .stdout(stdout)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "host secret\nread /proc/self/fd/1: refused\nread /dev/stdout: refused\n\
         read /dev/fd/3: refused\nwrite /dev/stdin: refused\nwritten through /dev/stdout\nappend: ok\n"
    );
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "host input\n");
    // What still reopens outside the tree: the program, run from the host's disk, and a
    // memfd, through another process's fd too.
    let output = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
        .arg("--app-root")
        .arg(app.path())
        .arg("--")
        .arg(&binary)
        .arg("reopen")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "exe readable\nmemfd reopened\n"
    );
}

/// The host sees the files the guest reaches as they are (the app's folder without `nosuid`,
/// a file handed in, the program, the host's `/dev` nodes), owned by whoever started the
/// sandbox, root often. None may come out set-id (a set-id-root program left for the host's
/// users), emptied by an `O_TRUNC` refused too late, truncated through its link, or re-moded;
/// and a terminal handed in is never typed into.
#[test]
fn the_host_files_the_guest_reaches_never_turn_set_id_nor_lose_their_content() {
    let Some(binary) = escape_binary() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("host.input");
    std::fs::write(&input, "host input\n").unwrap();
    // A copy of the program, so that the chmod it tries lands on a file of this test's.
    let program = dir.path().join("escape");
    std::fs::copy(&binary, &program).unwrap();
    let null_before = std::fs::metadata("/dev/null").unwrap();
    let app = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
        .arg("--app-root")
        .arg(app.path())
        .arg("--")
        .arg(&program)
        .arg("host-files")
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stdout.contains("ESCAPED"), "{stdout}\n{stderr}");
    assert!(stdout.contains("attempts 17 escapes 0"), "{stdout}\n{stderr}");
    assert!(output.status.success(), "{output:?}");
    // What the host sees afterwards.
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "host input\n");
    for file in [
        app.path().join("planted"),
        app.path().join("planted-node"),
        program,
    ] {
        let mode = std::fs::metadata(&file).unwrap().mode();
        assert_eq!(mode & 0o6000, 0, "{} is {mode:o}", file.display());
    }
    let null_after = std::fs::metadata("/dev/null").unwrap();
    assert_eq!(
        (null_after.mode(), null_after.mtime()),
        (null_before.mode(), null_before.mtime())
    );
    for syscall in ["fchmod", "ioctl"] {
        assert!(
            stderr.contains(&format!("hc-sandbox: denied {syscall} (")),
            "{syscall} was not recorded:\n{stderr}"
        );
    }
}

/// A folder handed in as a descriptor would be a way out: `..` from a descriptor on a mount
/// outside the guest's namespace walks that mount's tree, the host's. The sandbox refuses to
/// start with one, before anything runs.
#[test]
fn a_folder_handed_in_as_a_descriptor_is_refused_before_the_program_runs() {
    let app = tempfile::tempdir().unwrap();
    let marker = app.path().join("ran");
    let output = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
        .arg("--app-root")
        .arg(app.path())
        .args(["--", "/bin/sh", "-c", "touch ran"])
        .stdin(std::fs::File::open("/etc").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(125), "{stderr}");
    assert!(stderr.contains("descriptor 0 is a folder"), "{stderr}");
    assert!(!marker.exists());
}
