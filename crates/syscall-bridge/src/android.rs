//! Android's app seccomp policy: the syscalls a zygote-spawned app may make on each
//! architecture. On a phone every other call raises `SIGSYS` (`SECCOMP_RET_TRAP`); the sandbox
//! installs the same policy as a second filter for Android apps, so a call Android forbids fails
//! there exactly as on a phone, before the bridge's own filter can translate or refuse it.
//!
//! The list is data, `data/android-app-policy.txt`, derived from bionic's own lists by
//! `scripts/gen-android-policy` (`SYSCALLS.TXT` minus the app and common blocklists, plus the
//! app and common allowlists, as bionic's `genseccomp.py` computes it).

use crate::{Arch, by_name};

const POLICY: &str = include_str!("../data/android-app-policy.txt");

/// The names the policy lists for `arch`, in the file's (sorted) order.
pub fn allowed_names(arch: Arch) -> impl Iterator<Item = &'static str> {
    let header = format!("[{}]", arch.name());
    POLICY
        .lines()
        .map(str::trim)
        .skip_while(move |line| *line != header)
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// Whether an Android app may make syscall `name` on `arch`.
pub fn allows(arch: Arch, name: &str) -> bool {
    allowed_names(arch).any(|allowed| allowed == name)
}

/// The numbers of the calls the policy allows on `arch`, sorted. A name the syscall table does
/// not know (a call newer than the table's kernel headers, such as Linux 6.10's `mseal`) has no
/// number here, so the sandbox's Android filter raises `SIGSYS` for it, as a phone with an
/// older kernel answers `ENOSYS`: see [`unknown_names`].
pub fn allowed_numbers(arch: Arch) -> Vec<u32> {
    let mut numbers: Vec<u32> = allowed_names(arch)
        .filter_map(|name| by_name(name)?.numbers().get(arch))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// The names the policy allows on `arch` that have no number in the table.
pub fn unknown_names(arch: Arch) -> Vec<&'static str> {
    allowed_names(arch)
        .filter(|name| by_name(name).and_then(|row| row.numbers().get(arch)).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_covers_every_architecture_with_what_bionic_needs() {
        for arch in Arch::ALL {
            let names: Vec<&str> = allowed_names(arch).collect();
            assert!(names.len() > 150, "{arch:?}: only {} calls", names.len());
            for pair in names.windows(2) {
                assert!(pair[0] < pair[1], "{arch:?}: not sorted or duplicate: {pair:?}");
            }
            // What bionic's own startup and threads make, on every architecture.
            for name in [
                "openat",
                "read",
                "mmap",
                "futex",
                "clone",
                "exit_group",
                "rt_sigreturn",
            ] {
                let name = match (arch, name) {
                    (Arch::Arm | Arch::X86, "mmap") => "mmap2",
                    _ => name,
                };
                assert!(allows(arch, name), "{arch:?} lacks {name}");
            }
        }
    }

    #[test]
    fn what_android_blocks_for_apps_is_not_allowed() {
        // SECCOMP_BLOCKLIST_APP.TXT and SECCOMP_BLOCKLIST_COMMON.TXT.
        for arch in [Arch::X86_64, Arch::Aarch64] {
            for name in [
                "setuid",
                "setgid",
                "setgroups",
                "mount",
                "chroot",
                "swapon",
                "reboot",
            ] {
                assert!(!allows(arch, name), "{arch:?} allows {name}");
            }
            // setresuid stays: zygote needs it after the filter is installed.
            assert!(allows(arch, "setresuid"));
        }
        // Legacy x86-64 calls bionic does not make: allowed only where an app bug needed them.
        assert!(allows(Arch::X86_64, "open"));
        assert!(!allows(Arch::X86_64, "access"));
        assert!(!allows(Arch::X86_64, "set_robust_list"));
    }

    #[test]
    fn every_name_but_calls_newer_than_the_headers_has_a_number() {
        for arch in Arch::ALL {
            let unknown = unknown_names(arch);
            assert!(
                unknown.iter().all(|name| *name == "mseal"),
                "{arch:?}: {unknown:?}"
            );
            let numbers = allowed_numbers(arch);
            assert_eq!(
                numbers.len(),
                allowed_names(arch).count() - unknown.len(),
                "{arch:?}"
            );
        }
    }
}
