use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1013",
    name: "backup-without-rules",
    severity: Severity::Info,
    fixable: false,
    summary: "Backup is allowed and no backup rules say what to include.",
    what: "Reports apps whose `android:allowBackup` is not `false` (it defaults to `true`) and \
           that give neither `android:fullBackupContent` nor `android:dataExtractionRules`.",
    why: "Everything in the app's private storage, tokens and caches included, is then copied by \
          backup and device-to-device transfer; restored onto the target, device-bound state \
          (keys, registration ids) comes back stale.",
    fix: "Set `android:allowBackup=\"false\"`, or add `dataExtractionRules` (API 31+) and \
          `fullBackupContent` files that exclude credentials and device-bound state.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let Some(app) = subject.manifest.and_then(|m| m.application.as_ref()) else {
        return;
    };
    if !subject.installable() || app.allow_backup == Some(false) {
        return;
    }
    if app.full_backup_content.is_none() && app.data_extraction_rules.is_none() {
        let how = if app.allow_backup == Some(true) {
            "android:allowBackup=\"true\""
        } else {
            "backup allowed by default"
        };
        out.add(
            format!("{how} with neither fullBackupContent nor dataExtractionRules"),
            Location::manifest("application"),
        );
    }
}
