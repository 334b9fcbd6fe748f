use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1014",
    name: "max-sdk-below-platform",
    severity: Severity::Error,
    fixable: true,
    summary: "The app's maxSdkVersion excludes the target's platform level.",
    what: "Compares `<uses-sdk android:maxSdkVersion>` with the profile's `sdk.platform`.",
    why: "Android ignores `maxSdkVersion` at run time since 2.0.1, but the package manager and \
          stores still refuse installs on platforms above it: the app cannot be installed on \
          the target at all.",
    fix: "Remove `maxSdkVersion`; it is almost never what the app needs. `hyper-migrate fix` \
          removes the attribute.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let Some(max) = subject.manifest.and_then(|m| m.max_sdk) else {
        return;
    };
    if max < profile.sdk.platform {
        out.add(
            format!(
                "maxSdkVersion {max} is below API {} of the `{}` target",
                profile.sdk.platform, profile.name
            ),
            Location::manifest("uses-sdk"),
        );
    }
}
