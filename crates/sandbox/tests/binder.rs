//! The Binder shim end to end: `tests/guest/binder.c`, a raw kernel-protocol program (ioctls on
//! `/dev/binder`, no libbinder), runs in the sandbox as a context manager, a service and a
//! client — three processes — and each prints what it saw. Skipped, saying so, when no static C
//! toolchain is installed (an error under `HYPERCOMPAT_REQUIRE_SANDBOX`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn guest() -> Option<&'static Path> {
    static GUEST: OnceLock<Option<PathBuf>> = OnceLock::new();
    GUEST
        .get_or_init(|| {
            let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guest/binder.c");
            let binary = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sandbox-binder");
            let built = Command::new("cc")
                .args(["-static", "-O", "-Wall", "-Werror", "-o"])
                .arg(&binary)
                .arg(&source)
                .status()
                .is_ok_and(|status| status.success());
            if built {
                return Some(binary);
            }
            assert!(
                std::env::var_os("HYPERCOMPAT_REQUIRE_SANDBOX").is_none(),
                "HYPERCOMPAT_REQUIRE_SANDBOX is set, but `cc -static` could not build tests/guest/binder.c"
            );
            println!("SKIPPED: `cc -static` could not build tests/guest/binder.c");
            None
        })
        .as_deref()
}

fn run(args: &[&str]) -> Option<Output> {
    let app = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
        .arg("--app-root")
        .arg(app.path())
        .arg("--")
        .arg(guest()?)
        .args(args)
        .output()
        .expect("run hc-sandbox");
    Some(output)
}

fn lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn expected(count: u32, service_end: &str) -> Vec<String> {
    [
        "manager: the service registered".to_string(),
        "client: got a handle".into(),
        // The service saw the client's guest pid and uid as sender_pid and sender_euid.
        "client: echo HELLO pid=ok uid=ok".into(),
        // A descriptor of the client, installed close-on-exec in the service and read there.
        "client: the service read the fd: from the client".into(),
        format!("client: one-way calls received: {count} in order"),
        "client: the service died".into(),
        "client: a call to the dead service: BR_DEAD_REPLY".into(),
        format!("manager: done (client ok, service {service_end})"),
    ]
    .to_vec()
}

/// Runs the three processes with `args` (the one-way count, then a mode) and checks that they
/// saw what `expected` says and that the run succeeded.
fn check(args: &[&str], service_end: &str) {
    let Some(output) = run(args) else { return };
    let count = args[0].parse().expect("a count");
    assert_eq!(lines(&output), expected(count, service_end), "{output:?}");
    assert!(output.status.success(), "{output:?}");
}

#[test]
fn a_context_manager_a_service_and_a_client_talk_over_the_emulated_driver() {
    check(&["1000"], "ok");
}

#[test]
fn a_killed_service_is_a_death_notice_and_dead_replies() {
    check(&["100", "kill"], "killed");
}

#[test]
fn a_service_that_closes_its_device_is_released_as_by_the_kernel() {
    // It lives on without its device: the client's death notice and the dead reply come
    // from the close alone (the kernel's driver releases a binder process on the last close
    // of its file).
    check(&["100", "close"], "killed");
}

#[test]
fn processes_that_made_themselves_undumpable_still_talk() {
    // vfs must reach their memory, fds and mappings though the kernel closes them to other
    // processes of their user (crate::caps).
    check(&["100", "undumpable"], "ok");
}

#[test]
fn a_hundred_thousand_one_way_calls_arrive_all_and_in_order() {
    // The client sends each again when the driver refuses it for want of async space (half
    // the receiver's mapping, as in the kernel): the receiver decides the pace, nothing is
    // lost, and the one-way queue keeps the order.
    check(&["100000"], "ok");
}
