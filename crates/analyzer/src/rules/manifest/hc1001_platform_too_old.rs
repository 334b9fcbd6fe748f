use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1001",
    name: "platform-too-old",
    severity: Severity::Error,
    fixable: false,
    summary: "The app's minSdkVersion is above the API level the target provides.",
    what: "Compares `minSdkVersion` (a preview codename counts as the newest level) with the \
           profile's `sdk.platform`, the Android API level whose framework the runtime provides.",
    why: "Android refuses to install an app whose minimum SDK is above the platform's level \
          (`INSTALL_FAILED_OLDER_SDK`), and the app may call APIs the target does not have.",
    fix: "Lower `minSdk` in the build to the target's level and guard newer API calls with \
          `Build.VERSION.SDK_INT` checks, or wait for a target profile with a newer platform. \
          `hyper-migrate fix --min-sdk LEVEL` rewrites the level on request only: the code may \
          call APIs of the newer platform unguarded, which then fail at run time.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let Some(min) = subject.manifest.and_then(|m| m.min_sdk.as_ref()) else {
        return;
    };
    if min.level() > profile.sdk.platform {
        out.add(
            format!(
                "minSdkVersion {min} is above API {} provided by the `{}` target",
                profile.sdk.platform, profile.name
            ),
            Location::manifest("uses-sdk"),
        );
    }
}
