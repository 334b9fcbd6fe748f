use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1016",
    name: "test-only",
    severity: Severity::Error,
    fixable: true,
    summary: "The app is marked test-only (android:testOnly=\"true\").",
    what: "Reports `android:testOnly=\"true\"` on `<application>`.",
    why: "Test-only packages install only through `adb install -t`; stores and the target's \
          installer refuse them. The flag is set by IDE run configurations, so such an APK is a \
          development build that escaped.",
    fix: "Build the release variant from the command line (`./gradlew assembleRelease`). \
          `hyper-migrate fix` removes the attribute.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let app = subject.manifest.and_then(|m| m.application.as_ref());
    if app.and_then(|a| a.test_only) == Some(true) {
        out.add("android:testOnly=\"true\"", Location::manifest("application"));
    }
}
