use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1002",
    name: "target-sdk-too-old",
    severity: Severity::Warning,
    fixable: false,
    summary: "The app targets an API level older than the target emulates behaviours for.",
    what: "Compares the effective `targetSdkVersion` (the minimum SDK when absent) with the \
           profile's `sdk.min_target`.",
    why: "Apps targeting old levels rely on compatibility behaviours of old platforms: install-time \
          permissions, implicit broadcasts, world-readable files, unrestricted background work. \
          The runtime implements current behaviour only, so such apps misbehave in ways that are \
          hard to trace.",
    fix: "Raise `targetSdk` to at least the profile's `sdk.min_target` and adopt the behaviour \
          changes of each level on the way (runtime permissions first). \
          `hyper-migrate fix --target-sdk LEVEL` rewrites the level on request only, since it \
          switches the app to the newer behaviours without its code having adopted them; from \
          31 on it also makes `android:exported` explicit where an intent filter implied it.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let Some(manifest) = subject.manifest else {
        return;
    };
    if !subject.installable() {
        return;
    }
    let target = manifest.effective_target_sdk();
    if target < profile.sdk.min_target {
        let how = if manifest.target_sdk.is_some() {
            "targetSdkVersion"
        } else {
            "targetSdkVersion (absent, so the minimum SDK)"
        };
        out.add(
            format!(
                "{how} is {target}; the target emulates behaviour from API {} on",
                profile.sdk.min_target
            ),
            Location::manifest("uses-sdk"),
        );
    }
}
