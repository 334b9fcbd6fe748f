use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1009",
    name: "feature-unavailable",
    severity: Severity::Error,
    fixable: false,
    summary: "The app requires a hardware or software feature the target does not have.",
    what: "Reports `<uses-feature android:required=\"true\">` (the default) whose name is not \
           in the profile's `features.available`.",
    why: "A required feature the device lacks makes the app invisible in stores and refused at \
          install; on the target the feature's APIs are absent.",
    fix: "Declare the feature with `android:required=\"false\"` and check \
          `PackageManager.hasSystemFeature` before using it.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let Some(manifest) = subject.manifest else {
        return;
    };
    for feature in manifest.uses_features.iter().filter(|f| f.required) {
        let Some(name) = feature.name.as_deref() else {
            continue;
        };
        if !profile.features.available.iter().any(|f| f == name) {
            out.add(
                format!(
                    "required feature {name} is not available on the `{}` target",
                    profile.name
                ),
                Location::manifest(format!("uses-feature {name}")),
            );
        }
    }
}
