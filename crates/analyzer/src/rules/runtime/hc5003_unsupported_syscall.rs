use syscall_bridge::{Arch, Fate, android};

use crate::report::SyscallFacts;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC5003",
    name: "unsupported-syscall",
    severity: Severity::Error,
    fixable: false,
    summary: "Native code makes a system call that Android's app seccomp policy forbids, that the target's syscall bridge denies, or that does not exist.",
    what: "Looks up every direct system call whose number is known (the sites HC3007 reports) in \
           the syscall bridge's table (`docs/syscalls.md`) for the library's architecture, and \
           reports calls Android's app seccomp policy forbids on that architecture (its \
           *android app* column), calls whose fate is *deny*, and numbers that are no syscall \
           there. Other passed and translated calls are not reported: the table's support \
           level is what the runtime is designed to give, and its status column says which \
           handlers exist yet. Calls through libc wrappers (imported symbols) are not checked.",
    why: "Apps run under Android's app seccomp policy, on a phone and in the target's runtime \
          alike: a call it forbids (`setuid`, `mount`, `swapon`, and on x86-64 the legacy calls \
          bionic never makes, such as `access`) kills the app with `SIGSYS`. Beyond that, the \
          syscall bridge decides every call's fate from one table. Denied calls \
          (kernel modules, mounts and namespaces, reboot, kexec, clock setting, tracing other \
          processes, bpf, perf, keyrings, io_uring, System V IPC, obsolete calls) fail with \
          `ENOSYS` or `EPERM`; a number the architecture does not define fails with `ENOSYS` on \
          any kernel. Code that assumes success misbehaves, often far from the call.",
    fix: "Remove the call, or keep it behind a check that tolerates `ENOSYS`/`EPERM`. Use the \
          framework for what the denied call was for (there is no module loading, mounting or \
          clock setting for apps); for a wrong number, take it from `<sys/syscall.h>` of the \
          right architecture, or call the libc wrapper.",
    check,
};

/// The Linux syscall table a site's instruction set uses.
fn arch(isa: &str) -> Option<Arch> {
    match isa {
        "a64" => Some(Arch::Aarch64),
        "a32" | "t32" => Some(Arch::Arm),
        "x86_64" => Some(Arch::X86_64),
        "x86" => Some(Arch::X86),
        _ => None,
    }
}

/// Why the site fails on the target, or `None` when the bridge passes or translates it.
fn verdict(site: &SyscallFacts) -> Option<String> {
    let number = site.number?;
    let arch = arch(site.isa)?;
    match syscall_bridge::lookup(arch, number) {
        Some(row) if !android::allows(arch, row.name) => Some(format!(
            "direct {} syscall {number} ({}) is forbidden to apps by Android's seccomp policy: the \
             app is killed by SIGSYS, on a phone as on the target",
            site.isa, row.name
        )),
        Some(row) if row.fate == Fate::Deny => Some(format!(
            "direct {} syscall {number} ({}) is denied on the target: {}",
            site.isa, row.name, row.note
        )),
        Some(_) => None,
        None => Some(format!(
            "direct {} syscall {number}, which {} does not define: it fails with ENOSYS",
            site.isa,
            arch.name()
        )),
    }
}

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for lib in &subject.facts.native {
        for site in lib.direct_syscalls.iter().flatten() {
            if let Some(why) = verdict(site) {
                out.add(
                    format!("{}: {why}", lib.entry),
                    Location {
                        entry: Some(lib.entry.clone()),
                        offset: Some(site.address),
                        ..Location::default()
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(isa: &'static str, number: Option<u64>) -> SyscallFacts {
        SyscallFacts {
            address: 0x1000,
            isa,
            number,
        }
    }

    /// Every architecture's number of a syscall, from the table's numbers (generated from the
    /// kernel headers), so that the test does not depend on numbers typed here.
    fn number_of(name: &str, arch: Arch) -> u64 {
        let row = syscall_bridge::by_name(name).unwrap();
        u64::from(row.numbers().get(arch).unwrap())
    }

    #[test]
    fn denied_calls_are_reported_on_every_instruction_set() {
        for (isa, arch) in [
            ("a64", Arch::Aarch64),
            ("a32", Arch::Arm),
            ("t32", Arch::Arm),
            ("x86_64", Arch::X86_64),
            ("x86", Arch::X86),
        ] {
            // Android's app policy kills the app for these (SIGSYS)...
            for name in ["init_module", "reboot", "mount", "setuid"] {
                let why = verdict(&site(isa, Some(number_of(name, arch)))).unwrap();
                assert!(
                    why.contains(&format!("({name}) is forbidden to apps")),
                    "{isa}: {why}"
                );
                assert!(why.contains("SIGSYS"), "{isa}: {why}");
            }
            // ... and the bridge denies what Android allows apps but the target does not.
            for name in ["ptrace", "process_vm_writev", "perf_event_open"] {
                let why = verdict(&site(isa, Some(number_of(name, arch)))).unwrap();
                assert!(why.contains(&format!("({name}) is denied")), "{isa}: {why}");
            }
            for name in ["getpid", "read", "openat", "ioctl"] {
                assert_eq!(
                    verdict(&site(isa, Some(number_of(name, arch)))),
                    None,
                    "{isa} {name}"
                );
            }
        }
    }

    #[test]
    fn the_android_policy_is_read_per_architecture() {
        // Legacy x86-64 `access` is forbidden to apps there; 32-bit ARM apps may make it.
        let why = verdict(&site("x86_64", Some(number_of("access", Arch::X86_64)))).unwrap();
        assert!(why.contains("SIGSYS"), "{why}");
        assert_eq!(verdict(&site("a32", Some(number_of("access", Arch::Arm)))), None);
    }

    #[test]
    fn numbers_are_read_in_the_table_of_the_instruction_set() {
        // getpid on arm (20) is a different call on aarch64, and on x86-64 (39) a different
        // call on arm: the same number must be judged per table.
        let getpid_arm = number_of("getpid", Arch::Arm);
        let on_a64 = syscall_bridge::lookup(Arch::Aarch64, getpid_arm).map(|r| r.name);
        assert_ne!(on_a64, Some("getpid"));
        assert_eq!(verdict(&site("t32", Some(getpid_arm))), None);
        // aarch64 has no numbers in 244..=259 (the asm-generic arch-specific range is unused).
        let why = verdict(&site("a64", Some(250))).unwrap();
        assert!(why.contains("which aarch64 does not define"), "{why}");
        assert!(verdict(&site("x86_64", Some(u64::from(u32::MAX) + 1))).is_some());
    }

    #[test]
    fn unknown_numbers_and_instruction_sets_are_left_to_hc3007() {
        assert_eq!(verdict(&site("a64", None)), None);
        assert_eq!(verdict(&site("riscv64", Some(105))), None);
    }
}
