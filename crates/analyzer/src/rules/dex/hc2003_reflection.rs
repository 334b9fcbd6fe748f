use crate::dex::scan::CallKind;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC2003",
    name: "reflection",
    severity: Severity::Info,
    fixable: false,
    summary: "The code looks up classes or members by name at run time (reflection).",
    what: "Reports calls to `Class.forName`, `Class.getMethod`, `getDeclaredMethod`, `getField` \
           and `getDeclaredField`, with the class or member name when a constant string reaches \
           the call; names of framework internals (`com.android.internal.*`, `android.*` classes \
           that are not in the SDK) are flagged in the message.",
    why: "Reflection hides a dependency from every static check: a framework class or member \
          reached by name may not exist on the target, or be blocked as non-SDK API, and the \
          failure only shows at run time (`ClassNotFoundException`, `NoSuchMethodException`).",
    fix: "Call public SDK APIs directly. Where reflection is needed (optional libraries), catch \
          the lookup's exceptions and fall back, and keep the names in one place.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for (entry, call) in subject.calls() {
        let what = match call.kind {
            CallKind::ClassForName => "class",
            CallKind::ReflectMember => "member",
            _ => continue,
        };
        let message = match &call.string {
            Some(name) if what == "class" && is_framework_internal(name) => {
                format!("reflective lookup of framework internal class {name}")
            }
            Some(name) => format!("reflective lookup of {what} {name}"),
            None => format!("reflective lookup of a {what} whose name is not a constant"),
        };
        out.add(message, Location::code(entry, &call.at));
    }
}

/// Framework packages that hold no SDK API.
fn is_framework_internal(class: &str) -> bool {
    class.starts_with("com.android.internal.")
        || class.starts_with("com.android.server.")
        || matches!(
            class,
            "android.app.ActivityThread" | "android.os.ServiceManager" | "android.os.SystemProperties"
        )
}
