use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1011",
    name: "legacy-external-storage",
    severity: Severity::Warning,
    fixable: false,
    summary: "The app relies on legacy (unscoped) external storage.",
    what: "Reports `android:requestLegacyExternalStorage=\"true\"` on `<application>`.",
    why: "The target enforces scoped storage for every app, as Android 11+ does for apps \
          targeting API 30: the flag is ignored, and paths under `/sdcard` outside the app's own \
          directories and media collections are not readable.",
    fix: "Use the app-specific directories (`getExternalFilesDir`), `MediaStore` for media and \
          the Storage Access Framework for user-chosen files.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let app = subject.manifest.and_then(|m| m.application.as_ref());
    if app.and_then(|a| a.request_legacy_external_storage) == Some(true) {
        out.add(
            "android:requestLegacyExternalStorage=\"true\"",
            Location::manifest("application"),
        );
    }
}
