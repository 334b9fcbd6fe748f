//! `docs/syscalls.md`, rendered from the table.

use std::fmt::Write as _;

use crate::{Arch, Fate, Row, android, rows};

/// Where Android's app policy lets an app make the call: `allow` on every architecture that
/// has it, `SIGSYS` on none, else the architectures where it raises `SIGSYS`.
fn android_app_column(row: &Row) -> String {
    let numbers = row.numbers();
    let present: Vec<Arch> = Arch::ALL
        .into_iter()
        .filter(|&arch| numbers.get(arch).is_some())
        .collect();
    let trapped: Vec<Arch> = present
        .iter()
        .copied()
        .filter(|&arch| !android::allows(arch, row.name))
        .collect();
    if trapped.is_empty() {
        "allow".to_string()
    } else if trapped.len() == present.len() {
        "SIGSYS".to_string()
    } else {
        let names: Vec<&str> = trapped.iter().map(|arch| arch.name()).collect();
        format!("SIGSYS on {}", names.join(", "))
    }
}

/// The Markdown page `docs/syscalls.md` (a test fails when the committed page differs).
pub fn markdown() -> String {
    let rows = rows();
    let count = |fate: Fate| rows.iter().filter(|r| r.fate == fate).count();
    let implemented = rows.iter().filter(|r| r.implemented).count();
    let mut out = String::new();
    out.push_str(
        "# Syscalls\n\n\
         Generated from the syscall table (`crates/syscall-bridge/src/table.rs`) by \
         `cargo run -q -p syscall-bridge --example syscalls-markdown > docs/syscalls.md`; a test \
         fails when this file is stale. The numbers come from the Linux UAPI headers of Debian's \
         `linux-libc-dev` packages (`scripts/gen-syscall-numbers`); the fates and levels are \
         HyperCompat's policy. The analyzer's rule HC5003 reads the same table.\n\n",
    );
    let _ = writeln!(
        out,
        "{} syscalls over aarch64, arm (EABI), x86_64 and x86: {} pass, {} translate, {} deny. \
         Implemented on every architecture so far: {implemented}; the sandbox \
         (`crates/sandbox`) enforces the fates on x86_64 and emulates `uname`.\n",
        rows.len(),
        count(Fate::Pass),
        count(Fate::Translate),
        count(Fate::Deny),
    );
    out.push_str(
        "**Fates** — what the bridge's seccomp filter does with the call:\n\n\
         - `pass`: runs natively on the host kernel inside the app's namespaces (fd I/O, memory, \
         futexes, time, identity the user and pid namespaces answer): zero overhead.\n\
         - `translate`: notified to the supervisor and emulated over IPC by the *handler*: `vfs` \
         (paths), `procmgr` (processes and credentials), `devices` (`ioctl` on emulated nodes, \
         Binder among them).\n\
         - `deny`: fails with `ENOSYS` or `EPERM` and a telemetry event: what would change the \
         host, reach into other processes, or open kernel surface Android closes to apps.\n\n\
         **Levels** — what the runtime promises once the row's handler exists: `full` behaves as \
         on Android; `partial` covers the common uses, the note says what not; `stub` succeeds or \
         fails plausibly without doing the work; `none` is not supported (every deny row). Pass \
         rows are `full` unless the filter refuses some arguments.\n\n\
         **Android app** — what Android's own app seccomp policy does with the call \
         (`crates/syscall-bridge/data/android-app-policy.txt`, derived from bionic's lists by \
         `scripts/gen-android-policy`): `allow`, or `SIGSYS` where it traps the call. The sandbox \
         installs that policy beside the bridge's filter for Android apps (`hyper-compat run \
         --apk`, or `--policy android`), so such a call raises `SIGSYS` there as on a phone, \
         whatever the row's fate. Android also allows `mseal` (Linux 6.10), which is newer than \
         the headers this table is generated from; the sandbox traps it.\n\n\
         **Status** — `planned` until the bridge code the row needs (the filter, and for \
         translate rows the handler) exists and is tested, then `done`. A level is a design \
         target, not a claim that the call works today.\n\n",
    );
    out.push_str(
        "| syscall | aarch64 | arm | x86_64 | x86 | fate | android app | level | handler | status | note |\n",
    );
    out.push_str("|---|--:|--:|--:|--:|---|---|---|---|---|---|\n");
    for row in rows {
        let numbers = row.numbers();
        let _ = write!(out, "| `{}` |", row.name);
        for arch in Arch::ALL {
            match numbers.get(arch) {
                Some(n) => {
                    let _ = write!(out, " {n} |");
                }
                None => out.push_str(" — |"),
            }
        }
        let _ = writeln!(
            out,
            " {} | {} | {} | {} | {} | {} |",
            row.fate.name(),
            android_app_column(row),
            row.level.name(),
            row.handler.map_or("—", |h| h.name()),
            if row.implemented { "done" } else { "planned" },
            row.note.replace('|', "\\|"),
        );
    }
    out
}
