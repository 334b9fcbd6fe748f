use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1008",
    name: "permission-not-granted",
    severity: Severity::Warning,
    fixable: false,
    summary: "The app requests a platform permission the target does not grant.",
    what: "Compares every `<uses-permission>` in the `android.permission.` namespace with the \
           profile's `permissions.granted`.",
    why: "The target has no implementation behind many platform permissions (telephony, SMS, \
          accounts, device administration...). Requests for them are refused, and the calls that \
          need them fail with `SecurityException`.",
    fix: "Remove permissions the app does not need; make features that need the others optional \
          and check `checkSelfPermission` before using them. `hyper-migrate fix \
          --drop-permission NAME` removes a `<uses-permission>` on request only: code that \
          needs the permission fails the same way, so only drop those the app does not use.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let Some(manifest) = subject.manifest else {
        return;
    };
    let granted = &profile.permissions.granted;
    let mut seen: Vec<&str> = Vec::new();
    for permission in &manifest.uses_permissions {
        let name = permission.name.as_str();
        if !name.starts_with("android.permission.") || seen.contains(&name) {
            continue;
        }
        seen.push(name);
        if !granted.iter().any(|g| g == name) {
            out.add(
                format!("{name} is not granted on the `{}` target", profile.name),
                Location::manifest(format!("uses-permission {name}")),
            );
        }
    }
}
