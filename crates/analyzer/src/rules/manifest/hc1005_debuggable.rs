use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1005",
    name: "debuggable",
    severity: Severity::Warning,
    fixable: true,
    summary: "The app is marked debuggable.",
    what: "Reports `android:debuggable=\"true\"` on `<application>`.",
    why: "A debuggable app accepts a debugger and `run-as` from anyone with a shell, exposing its \
          data. App stores reject such builds, and the target's compatibility service treats \
          them as development builds (extra checks, slower paths).",
    fix: "Build the release variant; never set `android:debuggable` by hand. `hyper-migrate fix` \
          removes the attribute.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let app = subject.manifest.and_then(|m| m.application.as_ref());
    if app.and_then(|a| a.debuggable) == Some(true) {
        out.add("android:debuggable=\"true\"", Location::manifest("application"));
    }
}
