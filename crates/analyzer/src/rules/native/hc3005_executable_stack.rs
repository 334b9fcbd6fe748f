use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC3005",
    name: "executable-stack",
    severity: Severity::Warning,
    fixable: false,
    summary: "A native library asks for an executable stack.",
    what: "Reports libraries whose `PT_GNU_STACK` is executable, or that have no \
           `PT_GNU_STACK` at all (which the kernel reads as executable on 32-bit ARM and x86).",
    why: "An executable stack turns any stack overflow into code execution. The target's \
          sandbox maps stacks non-executable; code that really runs from the stack (nested \
          function trampolines) crashes there.",
    fix: "Link with `-Wl,-z,noexecstack` and find the object that asks for it (assembly files \
          need `.section .note.GNU-stack,\"\",%progbits`).",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for lib in subject.facts.native.iter().filter(|l| l.exec_stack) {
        out.add(
            format!("{} requests an executable stack", lib.entry),
            Location::entry(lib.entry.clone()),
        );
    }
}
