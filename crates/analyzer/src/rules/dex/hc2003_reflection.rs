use crate::dex::scan::CallKind;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC2003",
    name: "reflection",
    severity: Severity::Info,
    fixable: false,
    summary: "The code looks up framework classes or their members by name (reflection).",
    what: "Reports `Class.forName` calls whose constant argument names a platform class \
           (`android.*`, `com.android.*`, `dalvik.*`, `java.*`, `javax.*`, `libcore.*`, \
           `sun.*`), and the `getMethod`, `getDeclaredMethod`, `getField` and \
           `getDeclaredField` calls with a constant name in the same method. Names of framework \
           internals (`com.android.internal.*`, `ActivityThread`, `ServiceManager`...) are \
           flagged in the message. Reflection on the app's own classes, and lookups whose name \
           is computed, are not reported.",
    why: "Reflection hides a dependency from every static check: a framework class or member \
          reached by name may not exist on the target, or be blocked as non-SDK API, and the \
          failure only shows at run time (`ClassNotFoundException`, `NoSuchMethodException`).",
    fix: "Call public SDK APIs directly. Where reflection is needed (optional libraries), catch \
          the lookup's exceptions and fall back, and keep the names in one place.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    // Methods that look up a platform class by name: their member lookups are reported too.
    let reflecting: Vec<((&str, &str, &str), &str)> = subject
        .calls()
        .filter(|(_, call)| call.kind == CallKind::ClassForName)
        .filter_map(|(entry, call)| {
            let class = call.string.as_deref().filter(|c| is_platform_class(c))?;
            Some(((entry, call.at.class.as_str(), call.at.method.as_str()), class))
        })
        .collect();
    for (entry, call) in subject.calls() {
        let Some(name) = &call.string else { continue };
        let message = match call.kind {
            CallKind::ClassForName if is_framework_internal(name) => {
                format!("reflective lookup of framework internal class {name}")
            }
            CallKind::ClassForName if is_platform_class(name) => {
                format!("reflective lookup of platform class {name}")
            }
            CallKind::ReflectMember => {
                let here = (entry, call.at.class.as_str(), call.at.method.as_str());
                let Some((_, class)) = reflecting.iter().find(|(place, _)| *place == here) else {
                    continue;
                };
                format!("reflective lookup of member {name} (the method looks up {class})")
            }
            _ => continue,
        };
        out.add(message, Location::code(entry, &call.at));
    }
}

/// Classes of the platform (framework and core libraries), as `Class.forName` spells them.
fn is_platform_class(class: &str) -> bool {
    const PREFIXES: [&str; 7] = [
        "android.",
        "com.android.",
        "dalvik.",
        "java.",
        "javax.",
        "libcore.",
        "sun.",
    ];
    // The support and architecture libraries live under `android.` but ship inside the app.
    const BUNDLED: [&str; 2] = ["android.support.", "android.arch."];
    PREFIXES.iter().any(|p| class.starts_with(p)) && !BUNDLED.iter().any(|p| class.starts_with(p))
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
