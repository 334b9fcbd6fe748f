use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC3007",
    name: "direct-syscall",
    severity: Severity::Warning,
    fixable: false,
    summary: "Native code enters the kernel directly instead of through libc.",
    what: "Reports each `svc #0` (AArch64), `svc 0` (ARM/Thumb), `syscall` (x86-64) and \
           `int 0x80` (x86) instruction, with the syscall number when a constant is loaded just \
           before it.",
    why: "On the target, system calls are filtered and translated by the syscall bridge. Calls \
          made through bionic follow the platform's conventions and seccomp policy; raw calls \
          bypass them, may use numbers the bridge denies (`ENOSYS` or `SIGSYS` under Android's \
          app policy) and break when their arguments assume Linux-specific layouts.",
    fix: "Call the libc wrapper (`syscall(2)` at least, so the call site is visible); drop \
          inline-assembly system calls copied from Linux code.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for lib in &subject.facts.native {
        for site in lib.direct_syscalls.iter().flatten() {
            let number = site
                .number
                .map_or_else(|| "an unknown number".to_string(), |n| format!("number {n}"));
            out.add(
                format!("{}: direct {} syscall, {number}", lib.entry, site.isa),
                Location {
                    entry: Some(lib.entry.clone()),
                    offset: Some(site.address),
                    ..Location::default()
                },
            );
        }
    }
}
