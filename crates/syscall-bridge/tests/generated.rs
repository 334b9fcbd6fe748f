//! The generated and the rendered files are current: `src/numbers.rs` matches the kernel
//! headers on this machine, and `docs/syscalls.md` matches the table.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The file without its comment lines: those name package versions, which move with Debian's
/// point releases while the numbers stay the same.
fn data(text: &str) -> Vec<&str> {
    text.lines().filter(|line| !line.starts_with("//")).collect()
}

#[test]
fn numbers_match_the_kernel_headers() {
    let headers = [
        "/usr/include/x86_64-linux-gnu/asm/unistd_64.h",
        "/usr/include/x86_64-linux-gnu/asm/unistd_32.h",
        "/usr/aarch64-linux-gnu/include/asm/unistd.h",
        "/usr/arm-linux-gnueabihf/include/asm/unistd-eabi.h",
    ];
    let absent: Vec<&str> = headers
        .iter()
        .copied()
        .filter(|h| !Path::new(h).exists())
        .collect();
    if !absent.is_empty() {
        println!(
            "SKIPPED: kernel headers absent ({}); scripts/install-deps installs them",
            absent.join(", ")
        );
        return;
    }
    let output = Command::new(root().join("scripts/gen-syscall-numbers"))
        .arg("--stdout")
        .output()
        .expect("run scripts/gen-syscall-numbers");
    assert!(
        output.status.success(),
        "scripts/gen-syscall-numbers failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let fresh = String::from_utf8(output.stdout).unwrap();
    let committed = std::fs::read_to_string(root().join("crates/syscall-bridge/src/numbers.rs")).unwrap();
    assert!(
        data(&fresh) == data(&committed),
        "crates/syscall-bridge/src/numbers.rs is stale: run scripts/gen-syscall-numbers"
    );
    if fresh != committed {
        println!("note: the kernel header packages changed version; the numbers did not");
    }
}

#[test]
fn syscalls_doc_is_current() {
    let committed = std::fs::read_to_string(root().join("docs/syscalls.md")).unwrap_or_default();
    assert!(
        syscall_bridge::markdown() == committed,
        "docs/syscalls.md is stale: run \
         `cargo run -q -p syscall-bridge --example syscalls-markdown > docs/syscalls.md`"
    );
}
