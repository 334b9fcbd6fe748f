use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1003",
    name: "shared-user-id",
    severity: Severity::Warning,
    fixable: false,
    summary: "The app asks to share a Linux user id with other apps (android:sharedUserId).",
    what: "Reports `android:sharedUserId` on the `<manifest>` element.",
    why: "Shared user ids are deprecated since API 29 and the target gives every app its own \
          sandbox and uid: apps that expect to read each other's files or run in one process \
          break.",
    fix: "Remove `sharedUserId` and exchange data through content providers, bound services or \
          files shared explicitly (`FileProvider`). Keep `sharedUserMaxSdkVersion` if existing \
          installs must keep their uid on old platforms.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    if let Some(id) = subject.manifest.and_then(|m| m.shared_user_id.as_deref()) {
        out.add(
            format!("android:sharedUserId=\"{id}\""),
            Location::manifest("manifest"),
        );
    }
}
