use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1010",
    name: "library-not-provided",
    severity: Severity::Error,
    fixable: false,
    summary: "The app requires a shared library (<uses-library>) the target does not provide.",
    what: "Reports `<uses-library android:required=\"true\">` (the default) whose name is not in \
           the profile's `libraries.provided`.",
    why: "Android refuses to install an app whose required shared library is missing \
          (`INSTALL_FAILED_MISSING_SHARED_LIBRARY`); vendor libraries such as \
          `com.google.android.maps` exist only on certain devices.",
    fix: "Bundle a replacement with the app, or mark the library `android:required=\"false\"` \
          and load it only when `PackageManager.getSystemSharedLibraryNames` lists it. \
          `hyper-migrate fix --optional-library NAME` sets `android:required=\"false\"` on \
          request only: the app then installs, and its code must cope with the library's absence.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let Some(app) = subject.manifest.and_then(|m| m.application.as_ref()) else {
        return;
    };
    for library in app.uses_libraries.iter().filter(|l| l.required) {
        if !profile.libraries.provided.contains(&library.name) {
            out.add(
                format!(
                    "required library {} is not provided on the `{}` target",
                    library.name, profile.name
                ),
                Location::manifest(format!("uses-library {}", library.name)),
            );
        }
    }
}
