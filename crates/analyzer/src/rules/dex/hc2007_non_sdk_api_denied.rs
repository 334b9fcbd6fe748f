use crate::hiddenapi::ApiFlag;
use crate::rules::dex::non_sdk::describe;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC2007",
    name: "non-sdk-api-denied",
    severity: Severity::Error,
    fixable: false,
    summary: "The code uses framework members that the runtime denies to this app (non-SDK API).",
    what: "Resolves every field and method the code uses but does not define — from the class it \
           names, through the app's own superclasses and then the framework's — and classifies \
           it with AOSP's non-SDK API data (the hidden-API lists and public API of Android 14, \
           see `crates/analyzer/data/README.md`). Reports members that are `blocked`, and \
           `max-target-N` members when the app's targetSdkVersion is above N. Reflective lookups \
           (`getDeclaredMethod(\"name\")` after `Class.forName(\"class\")` in the same method, \
           both constant) are classified by name, with the most permissive flag among the \
           member's overloads.",
    why: "Since Android 9, ART refuses linked and reflective access to these members: the call \
          throws `NoSuchMethodError`/`NoSuchFieldError` (or the lookup fails) at run time. The \
          target's framework is built from the same public API, so it has no such member at all.",
    fix: "Replace the member with its public SDK alternative (the Android documentation of \
          non-SDK interfaces lists them); where none exists, ask for a public API, or drop the \
          feature on the target. `hyper-migrate fix` retargets the calls its `hidden-api` mapping \
          knows a public equivalent for.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let target = subject.target_sdk();
    for u in subject.non_sdk_uses() {
        if !u.flag.denied_at(target) {
            continue;
        }
        let why = match u.flag {
            ApiFlag::MaxTarget(max) => {
                format!(
                    "{}: allowed only up to targetSdkVersion {max}, the app targets {target}",
                    u.flag.name()
                )
            }
            _ => "blocked: neither public API nor on any allowed list".to_string(),
        };
        out.add(
            format!("uses {} ({why})", describe(u)),
            Location::code(&u.entry, &u.at),
        );
    }
}
