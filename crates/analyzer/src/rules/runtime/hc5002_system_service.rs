use crate::dex::scan::CallKind;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC5002",
    name: "system-service",
    severity: Severity::Warning,
    fixable: false,
    summary: "The app asks for a system service the target's Binder shim does not register.",
    what: "Reports `getSystemService(\"name\")` calls whose constant name is not among the \
           profile's `runtime.services`, and every `ServiceManager.getService` (a non-SDK way to \
           reach Binder services).",
    why: "Services are Binder objects registered by the runtime's service manager; a name it \
          lacks returns `null`, and code that does not expect that crashes with a \
          `NullPointerException` far from the call.",
    fix: "Check the result of `getSystemService` for `null` and degrade gracefully; never use \
          `ServiceManager` directly.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    for (entry, call) in subject.calls() {
        let message = match (call.kind, &call.string) {
            (CallKind::SystemService, Some(name)) if !profile.runtime.services.contains(name) => {
                format!(
                    "getSystemService(\"{name}\"): no such service on the `{}` target",
                    profile.name
                )
            }
            (CallKind::ServiceManager, Some(name)) => {
                format!("ServiceManager.getService(\"{name}\"): non-SDK access to a Binder service")
            }
            (CallKind::ServiceManager, None) => {
                "ServiceManager.getService: non-SDK access to Binder services".into()
            }
            _ => continue,
        };
        out.add(message, Location::code(entry, &call.at));
    }
}
