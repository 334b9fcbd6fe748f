use crate::dex::scan::CallKind;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC2006",
    name: "process-execution",
    severity: Severity::Warning,
    fixable: false,
    summary: "The app starts other programs (Runtime.exec, ProcessBuilder).",
    what: "Reports `Runtime.exec` and `new ProcessBuilder`, with the command when it is a \
           constant string.",
    why: "Apps that run `sh`, `su`, `logcat`, `getprop` or `pm` depend on the tools of an \
          Android system image: the target's app sandbox has no shell or toolbox, so the call \
          fails (`IOException: Cannot run program`).",
    fix: "Use the API the tool wraps (`SystemProperties` values through `Build`, logging through \
          `Log`, package queries through `PackageManager`). Bundle and run only your own \
          executables.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for (entry, call) in subject.calls() {
        if call.kind != CallKind::Exec {
            continue;
        }
        let message = match &call.string {
            Some(command) => format!("runs the program `{command}`"),
            None => "runs a program whose command line is not a constant".into(),
        };
        out.add(message, Location::code(entry, &call.at));
    }
}
