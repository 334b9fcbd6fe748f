//! `hyper-compat run` end to end: the app's identity from an APK, the exit status, the trace and
//! the statistics, and one-line errors. Skipped, saying so, when this machine cannot make the
//! sandbox, unless `HYPERCOMPAT_REQUIRE_SANDBOX` is set.

use std::path::Path;
use std::process::{Command, Output};

const FRAMEWORK_RES: &str = "/usr/share/android-framework-res/framework-res.apk";

fn hyper_compat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hyper-compat"))
        .args(args)
        .output()
        .expect("run hyper-compat")
}

fn sandbox_works() -> bool {
    let probe = hyper_compat(&["run", "--", "/bin/true"]);
    if probe.status.success() {
        return true;
    }
    let reason = format!("this machine cannot make the sandbox: {probe:?}");
    if std::env::var_os("HYPERCOMPAT_REQUIRE_SANDBOX").is_some() {
        panic!("HYPERCOMPAT_REQUIRE_SANDBOX is set, but {reason}");
    }
    println!("SKIPPED: {reason}");
    false
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_apk_names_the_app_folder_and_the_exit_status_is_the_programs() {
    if !sandbox_works() || !Path::new(FRAMEWORK_RES).exists() {
        return;
    }
    let app = tempfile::tempdir().unwrap();
    let root = app.path().to_str().unwrap();
    let output = hyper_compat(&[
        "run",
        "--apk",
        FRAMEWORK_RES,
        "--app-root",
        root,
        // Debian's sh is a glibc program, which Android's app policy would stop at startup.
        "--policy",
        "linux",
        "--",
        "/bin/sh",
        "-c",
        "pwd; id -u; echo kept > note.txt; exit 3",
    ]);
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    // framework-res.apk's manifest names the package `android`, which gets its app uid.
    let uid = sandbox::root::app_uid("android");
    assert_eq!(text(&output.stdout), format!("/data/data/android\n{uid}\n"));
    assert_eq!(
        std::fs::read_to_string(app.path().join("note.txt")).unwrap(),
        "kept\n"
    );
}

#[test]
fn the_trace_and_the_stats_show_translated_and_denied_calls() {
    if !sandbox_works() {
        return;
    }
    let app = tempfile::tempdir().unwrap();
    std::fs::write(app.path().join("data.txt"), "hello\n").unwrap();
    let trace = app.path().join("trace.jsonl");
    let output = hyper_compat(&[
        "run",
        "--app-root",
        app.path().to_str().unwrap(),
        "--trace",
        trace.to_str().unwrap(),
        "--stats",
        "--",
        "/bin/sh",
        "-c",
        "cat data.txt; cat missing.txt 2>/dev/null; unshare -U true 2>/dev/null; exit 0",
    ]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(text(&output.stdout), "hello\n");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let has = |syscall: &str, fate: &str, result: &dyn Fn(i64) -> bool| {
        lines
            .iter()
            .any(|l| l["syscall"] == syscall && l["fate"] == fate && l["result"].as_i64().is_some_and(result))
    };
    // cat opened data.txt (an fd came back) and failed on missing.txt (ENOENT).
    assert!(has("openat", "translate", &|r| r >= 3), "{lines:?}");
    assert!(
        has("openat", "translate", &|r| r == -i64::from(libc::ENOENT)),
        "{lines:?}"
    );
    // unshare(CLONE_NEWUSER) is refused with EPERM and recorded.
    assert!(
        has("unshare", "deny", &|r| r == -i64::from(libc::EPERM)),
        "{lines:?}"
    );
    for line in &lines {
        for key in ["syscall", "fate", "result", "latency_ns", "tid"] {
            assert!(!line[key].is_null(), "{key} missing in {line}");
        }
    }
    let served = lines.iter().filter(|l| l["fate"] == "translate").count();
    assert!(
        lines
            .iter()
            .filter(|l| l["fate"] == "translate")
            .all(|l| l["latency_ns"].as_u64() > Some(0))
    );
    // The table counts the same calls.
    let stats = text(&output.stderr);
    assert!(stats.starts_with("syscall "), "{stats}");
    let counted: usize = stats
        .lines()
        .skip(1)
        .filter(|row| row.split_whitespace().nth(1) == Some("translate"))
        .map(|row| row.split_whitespace().nth(2).unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(counted, served, "{stats}");
    assert!(
        stats
            .lines()
            .any(|row| row.starts_with("unshare ") && row.contains(" deny ")),
        "{stats}"
    );
}

#[test]
fn unusable_inputs_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("bogus.apk");
    std::fs::write(&bogus, b"not a zip").unwrap();
    for (args, names) in [
        (
            vec!["run", "--apk", bogus.to_str().unwrap(), "--", "/bin/true"],
            bogus.to_str().unwrap().to_string(),
        ),
        (
            vec!["run", "--", "/nonexistent/program"],
            "/nonexistent/program".to_string(),
        ),
        (
            vec!["run", "--ro", "/nonexistent/folder", "--", "/bin/true"],
            "/nonexistent/folder".to_string(),
        ),
    ] {
        let output = hyper_compat(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        let stderr = text(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("hyper-compat: error: ") && stderr.contains(&names),
            "{stderr}"
        );
    }
}

#[test]
fn the_network_is_private_unless_asked_for() {
    if !sandbox_works() || !Path::new("/bin/bash").exists() {
        return;
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let script =
        format!("(echo hello > /dev/tcp/127.0.0.1/{port}) 2>/dev/null && echo connected || echo refused");
    let private = hyper_compat(&["run", "--", "/bin/bash", "-c", &script]);
    assert_eq!(text(&private.stdout), "refused\n", "{private:?}");
    let shared = hyper_compat(&["run", "--network", "--", "/bin/bash", "-c", &script]);
    assert_eq!(text(&shared.stdout), "connected\n", "{shared:?}");
    let (mut stream, _) = listener.accept().unwrap();
    let mut received = String::new();
    std::io::Read::read_to_string(&mut stream, &mut received).unwrap();
    assert_eq!(received, "hello\n");
    // framework-res.apk uses 14 permissions, none of them INTERNET: private.
    if Path::new(FRAMEWORK_RES).exists() {
        let apk = hyper_compat(&[
            "run",
            "--apk",
            FRAMEWORK_RES,
            "--policy",
            "linux",
            "--",
            "/bin/bash",
            "-c",
            &script,
        ]);
        assert_eq!(text(&apk.stdout), "refused\n", "{apk:?}");
    }
    // The corpus's play-services app holds INTERNET: the host's network.
    let out = corpus::default_out_dir();
    corpus::ensure_built(&out).unwrap();
    let internet = out.join("play-services.apk");
    let apk = hyper_compat(&[
        "run",
        "--apk",
        internet.to_str().unwrap(),
        "--policy",
        "linux",
        "--",
        "/bin/bash",
        "-c",
        &script,
    ]);
    assert_eq!(text(&apk.stdout), "connected\n", "{apk:?}");
    let (mut stream, _) = listener.accept().unwrap();
    received.clear();
    std::io::Read::read_to_string(&mut stream, &mut received).unwrap();
    assert_eq!(received, "hello\n");
}

/// `echo_service` (crate microkernel's native program), beside this package's binaries; built
/// with cargo when this test run has not built it.
fn echo_service() -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_BIN_EXE_hyper-compat"))
        .parent()
        .unwrap()
        .to_path_buf();
    let binary = dir.join("echo_service");
    if !binary.exists() {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let profile = if dir.ends_with("release") {
            vec!["--release"]
        } else {
            vec![]
        };
        let status = Command::new(cargo)
            .args(["build", "-q", "-p", "microkernel", "--bin", "echo_service"])
            .args(profile)
            .status()
            .unwrap();
        assert!(status.success());
    }
    binary
}

#[test]
fn a_sandboxed_legacy_program_calls_a_native_service_through_svcmgr() {
    if !sandbox_works() {
        return;
    }
    // The legacy side: a static C program (no runtime of ours) speaking the wire format on the
    // svcmgr channel it finds at fd 3.
    let Some(guest) = c_guest("../../../sandbox/tests/guest/guest", &[]) else {
        return;
    };
    let service = echo_service();
    let output = hyper_compat(&[
        "run",
        "--service",
        service.to_str().unwrap(),
        "--",
        guest.to_str().unwrap(),
        "svcmgr-echo",
        "hello from the sandbox",
    ]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(text(&output.stdout), "hello from the sandbox\n");
    // svcmgr dies serving a lookup (its fault injection): that call fails with EIO, the
    // runtime starts another svcmgr, and the program goes on on the same channel to the same
    // native service, whose registration the new svcmgr took over.
    let output = Command::new(env!("CARGO_BIN_EXE_hyper-compat"))
        .args(["run", "--service", service.to_str().unwrap(), "--"])
        .args([
            guest.to_str().unwrap(),
            "svcmgr-fault",
            "crash",
            "after the restart",
        ])
        .env("HC_SVCMGR_FAULT_NAME", "crash")
        .output()
        .expect("run hyper-compat");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        text(&output.stdout),
        format!("lookup crash: errno {}\nafter the restart\n", libc::EIO)
    );
    assert!(
        text(&output.stderr).contains("hyper-compat: svcmgr was started 2 times"),
        "{output:?}"
    );
    // Without the service the lookup fails (svcmgr answers with an error reply).
    let alone = hyper_compat(&["run", "--", guest.to_str().unwrap(), "svcmgr-echo", "x"]);
    assert_eq!(alone.status.code(), Some(1), "{alone:?}");
    // A service that exits before it is ready is a one-line error.
    let broken = hyper_compat(&["run", "--service", "/bin/true", "--", "/bin/true"]);
    assert_eq!(broken.status.code(), Some(2), "{broken:?}");
    assert!(
        text(&broken.stderr).contains("/bin/true: exited before it was ready"),
        "{broken:?}"
    );
}

#[test]
fn an_app_lives_under_androids_seccomp_policy() {
    if !sandbox_works() || !Path::new(FRAMEWORK_RES).exists() {
        return;
    }
    // No C library: glibc's startup makes calls Android forbids apps.
    let Some(guest) = c_guest("policy", &["-nostdlib", "-ffreestanding", "-fno-stack-protector"]) else {
        return;
    };
    let guest = guest.to_str().unwrap();
    let app = |policy: &[&str], args: &[&str]| {
        let mut all = vec!["run", "--apk", FRAMEWORK_RES];
        all.extend(policy);
        all.push("--");
        all.push(guest);
        all.extend(args);
        hyper_compat(&all)
    };
    // What Android lets apps do runs, the bridge's translations included.
    let allowed = app(&[], &["allowed"]);
    assert_eq!(
        (allowed.status.code(), text(&allowed.stdout)),
        (Some(0), "ok\n".into()),
        "{allowed:?}"
    );
    // What it forbids raises SIGSYS: the process dies of it (128 + 31), and hyper-compat says why.
    for call in ["setuid", "access", "swapon"] {
        let killed = app(&[], &[call]);
        assert_eq!(
            killed.status.code(),
            Some(128 + libc::SIGSYS),
            "{call}: {killed:?}"
        );
        assert_eq!(text(&killed.stdout), "", "{call}");
        assert!(
            text(&killed.stderr).contains("Android's app policy"),
            "{call}: {killed:?}"
        );
    }
    // It is a seccomp trap, as on a phone: a handler sees SYS_SECCOMP, the call and the arch.
    for (call, number) in [
        ("setuid", libc::SYS_setuid),
        ("access", libc::SYS_access),
        ("swapon", libc::SYS_swapon),
    ] {
        let caught = app(&[], &["catch", call]);
        assert_eq!(
            text(&caught.stdout),
            format!("SIGSYS code=1 syscall={number:03} arch=c000003e\n"),
            "{caught:?}"
        );
    }
    // Debian's glibc programs make such calls at startup; --policy linux lifts the policy.
    let sh = hyper_compat(&["run", "--apk", FRAMEWORK_RES, "--", "/bin/true"]);
    assert_eq!(sh.status.code(), Some(128 + libc::SIGSYS), "{sh:?}");
    let lifted = app(&["--policy", "linux"], &["setuid"]);
    assert_eq!(text(&lifted.stdout), "survived\n", "{lifted:?}");
    // Without an APK the program is a Linux program; --policy android asks for the app policy.
    let plain = hyper_compat(&["run", "--", guest, "access"]);
    assert_eq!(text(&plain.stdout), "survived\n", "{plain:?}");
    let asked = hyper_compat(&["run", "--policy", "android", "--", guest, "access"]);
    assert_eq!(asked.status.code(), Some(128 + libc::SIGSYS), "{asked:?}");
}

/// Builds a static C guest from `tests/guest/NAME.c` (with `flags` too); `None`, saying so,
/// when `cc -static` cannot (an error when the sandbox is required).
fn c_guest(name: &str, flags: &[&str]) -> Option<std::path::PathBuf> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/guest/{name}.c"));
    let stem = Path::new(name).file_name().unwrap().to_string_lossy();
    let guest = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("art-host-{stem}"));
    let built = Command::new("cc")
        .args(["-static", "-O", "-Wall", "-Werror"])
        .args(flags)
        .arg("-o")
        .arg(&guest)
        .arg(&source)
        .status()
        .is_ok_and(|status| status.success());
    if !built {
        assert!(
            std::env::var_os("HYPERCOMPAT_REQUIRE_SANDBOX").is_none(),
            "HYPERCOMPAT_REQUIRE_SANDBOX is set, but `cc -static` could not build {}",
            source.display()
        );
        println!("SKIPPED: `cc -static` could not build {}", source.display());
        return None;
    }
    Some(guest)
}

/// The lines of a `--log` file without their time stamps (`MM-DD HH:MM:SS.mmm `), checked to
/// be there.
fn log_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let (stamp, rest) = line.split_at(19);
            let digits: String = stamp.chars().filter(char::is_ascii_digit).collect();
            assert_eq!(digits.len(), 13, "a logcat time stamp: {line}");
            rest.to_owned()
        })
        .collect()
}

#[test]
fn the_apps_android_log_reaches_logd_and_a_killed_logd_is_restarted() {
    if !sandbox_works() {
        return;
    }
    let Some(guest) = c_guest("log", &[]) else { return };
    let app = tempfile::tempdir().unwrap();
    let log = app.path().join("app.log");
    let output = hyper_compat(&[
        "run",
        "--log",
        log.to_str().unwrap(),
        "--",
        guest.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    // Pid and tid in the guest's terms (the program is pid 1 of its namespace), the priority
    // letter, the buffer when not main, the tag; the message's trailing newline dropped.
    assert_eq!(
        log_lines(&log),
        [
            "    1     1 I MyApp: hello from the app",
            "    1     1 E [system] System: an error"
        ]
    );
    // logd dies on a record (fault injection); the supervisor starts another on the same
    // socket path, which takes the program's next record.
    let output = Command::new(env!("CARGO_BIN_EXE_hyper-compat"))
        .args([
            "run",
            "--log",
            log.to_str().unwrap(),
            "--",
            guest.to_str().unwrap(),
            "restart",
        ])
        .env("HC_LOGD_FAULT_MESSAGE", "crash logd")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(
        text(&output.stderr).contains("logd was started 2 times"),
        "{output:?}"
    );
    assert_eq!(
        log_lines(&log),
        [
            "    1     1 I MyApp: hello from the app",
            "    1     1 E [system] System: an error",
            "    1     1 W MyApp: after the restart"
        ]
    );
}

/// `hyper-compat binder-world` on `socket`, once it has said it is ready; killed on drop.
struct World(std::process::Child);

impl World {
    fn start(socket: &Path) -> World {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_hyper-compat"))
            .args(["binder-world", "--socket"])
            .arg(socket)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start binder-world");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line, format!("ready {}\n", socket.display()));
        World(child)
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_binder_world_serves_the_raw_protocol_and_outlives_its_sandboxes() {
    if !sandbox_works() {
        return;
    }
    let Some(guest) = c_guest("../../../sandbox/tests/guest/binder", &[]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("world.sock");
    let _world = World::start(&socket);
    let guest = guest.to_str().unwrap();
    let socket = socket.to_str().unwrap();
    let expected = |count: &str, fault: Option<&str>, service_end: &str| {
        let mut lines = vec![
            "manager: the service registered".to_string(),
            "client: got a handle".into(),
        ];
        lines.extend(fault.map(|line| format!("client: the call that killed hc-vfs: {line}")));
        lines.extend([
            "client: echo HELLO pid=ok uid=ok".into(),
            "client: the service read the fd: from the client".into(),
            format!("client: one-way calls received: {count} in order"),
            "client: the service died".into(),
            "client: a call to the dead service: BR_DEAD_REPLY".into(),
            format!("manager: done (client ok, service {service_end})"),
        ]);
        lines
    };
    // Two sandboxes one after the other in one world: the second can become the context
    // manager only because the world let the first one's go when its process ended, and its
    // service's death (SIGKILL) reaches its client through the world.
    for (args, service_end) in [(vec!["10000"], "ok"), (vec!["100", "kill"], "killed")] {
        let mut command = vec!["run", "--binder-world", socket, "--", guest];
        command.extend(&args);
        let output = hyper_compat(&command);
        assert!(output.status.success(), "{args:?}: {output:?}");
        assert_eq!(
            text(&output.stdout).lines().collect::<Vec<_>>(),
            expected(args[0], None, service_end),
            "{output:?}"
        );
    }
    // The sandbox's hc-vfs is killed while the manager and the service wait in parked reads:
    // its call fails with EIO, the supervisor starts another, which attaches to the world
    // again, and the parked reads are answered all the same.
    let fault = "/tmp/binder-fault";
    let output = Command::new(env!("CARGO_BIN_EXE_hyper-compat"))
        .args([
            "run",
            "--binder-world",
            socket,
            "--env",
            "BINDER_FAULT_PATH",
            "--",
            guest,
            "100",
        ])
        .env("HC_VFS_FAULT_PATH", fault)
        .env("BINDER_FAULT_PATH", fault)
        .output()
        .expect("run hyper-compat");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        text(&output.stdout).lines().collect::<Vec<_>>(),
        expected("100", Some("Input/output error"), "ok"),
        "{output:?}"
    );
    assert!(
        text(&output.stderr).contains("the vfs server was started 2 times"),
        "{output:?}"
    );
}

#[test]
fn a_missing_or_occupied_binder_world_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nobody.sock");
    let output = hyper_compat(&[
        "run",
        "--binder-world",
        missing.to_str().unwrap(),
        "--",
        "/bin/true",
    ]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("nobody.sock: no Binder world answers there"),
        "{stderr}"
    );

    let file = dir.path().join("plain-file");
    std::fs::write(&file, b"not a socket").unwrap();
    let output = hyper_compat(&["binder-world", "--socket", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(text(&output.stderr).lines().count(), 1, "{output:?}");
    assert!(
        text(&output.stderr).contains("exists and is not a socket"),
        "{output:?}"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"not a socket",
        "the file is left alone"
    );

    // A second world on a served socket is refused; the first keeps serving.
    let socket = dir.path().join("world.sock");
    let _world = World::start(&socket);
    let output = hyper_compat(&["binder-world", "--socket", socket.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        text(&output.stderr).contains("a Binder world already serves it"),
        "{output:?}"
    );
    assert!(microkernel::Channel::connect(&socket).is_ok());
}

#[test]
fn proc_reports_the_target_as_uname_does_and_a_killed_procmgr_is_restarted() {
    if !sandbox_works() {
        return;
    }
    // The same facts through uname(2) and through /proc, in every spelling of the path.
    let script = "uname -r; uname -v; uname -s; cat /proc/sys/kernel/osrelease \
                  /proc/sys/kernel/version /proc/sys/kernel/ostype; cd /proc/sys && cat ../version \
                  && cat /proc/self/../version; exec 3</proc/version; grep ^flags /proc/self/fdinfo/3";
    let output = hyper_compat(&["run", "--", "/bin/sh", "-c", script]);
    assert!(output.status.success(), "{output:?}");
    let lines: Vec<String> = text(&output.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 9, "{lines:?}");
    assert_eq!(lines[..3], lines[3..6], "uname and /proc disagree");
    let version = format!("Linux version {} ", lines[0]);
    assert!(
        lines[6].starts_with(&version) && lines[6].ends_with(&lines[1]),
        "{lines:?}"
    );
    assert_eq!(lines[6], lines[7]);
    // The guest's descriptor of procmgr's file is read-only.
    let flags = lines[8].strip_prefix("flags:").map(str::trim).unwrap_or_default();
    let flags = u32::from_str_radix(flags, 8).unwrap_or_else(|_| panic!("{lines:?}"));
    assert_eq!(flags & libc::O_ACCMODE as u32, libc::O_RDONLY as u32, "{lines:?}");
    let host = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
    assert_ne!(lines[3], host.trim_end(), "the host kernel shows through");

    // procmgr dies serving ostype: that read fails with EIO, a successor serves the next.
    let script = "cat /proc/sys/kernel/ostype; echo status=$?; cat /proc/version";
    let output = Command::new(env!("CARGO_BIN_EXE_hyper-compat"))
        .args(["run", "--", "/bin/sh", "-c", script])
        .env("HC_PROCMGR_FAULT_PATH", "sys/kernel/ostype")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("/proc/sys/kernel/ostype: Input/output error"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hyper-compat: procmgr was started 2 times"),
        "{stderr}"
    );
    let stdout = text(&output.stdout);
    assert_eq!(stdout.lines().next(), Some("status=1"), "{stdout}");
    assert!(
        stdout
            .lines()
            .nth(1)
            .is_some_and(|line| line.starts_with("Linux version ")),
        "{stdout}"
    );
}

#[test]
fn the_app_has_an_account_and_etc_is_read_only() {
    if !sandbox_works() {
        return;
    }
    let script = "id -un; getent passwd \"$(id -u)\"; getent passwd root | cut -d: -f1; \
                  getent passwd | wc -l; touch /etc/new 2>/dev/null || echo etc-read-only";
    let output = hyper_compat(&[
        "run",
        "--package",
        "org.example.notes",
        "--",
        "/bin/sh",
        "-c",
        script,
    ]);
    assert!(output.status.success(), "{output:?}");
    let uid = sandbox::root::app_uid("org.example.notes");
    let name = format!("u0_a{}", uid - 10_000);
    assert_eq!(
        text(&output.stdout),
        format!(
            "{name}\n{name}:x:{uid}:{uid}::/data/data/org.example.notes:/bin/sh\nroot\n3\netc-read-only\n"
        ),
        "{output:?}"
    );
}
