use crate::manifest::ComponentKind;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1007",
    name: "exported-without-permission",
    severity: Severity::Warning,
    fixable: false,
    summary: "A service, receiver or provider is open to every app without a permission.",
    what: "Reports services, broadcast receivers and content providers that are exported \
           (explicitly, or implicitly by an intent filter; providers by default below API 17) \
           and declare no `android:permission`. Activities are left out: launching them is what \
           exporting is for.",
    why: "On the target, every app's components are reachable through the Binder shim exactly as \
          on Android: an unprotected component is an entry point for any other app, and the \
          target's stricter sandbox cannot tell intended callers from others.",
    fix: "Set `android:exported=\"false\"` where no other app needs the component, or protect it \
          with a `signature`-level permission.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let Some(manifest) = subject.manifest else {
        return;
    };
    let target = subject.target_sdk();
    for component in manifest.components() {
        let kind = match component.kind {
            ComponentKind::Service => "service",
            ComponentKind::Receiver => "receiver",
            ComponentKind::Provider => "provider",
            ComponentKind::Activity | ComponentKind::ActivityAlias => continue,
        };
        if component.exported_effective(target) && component.permission.is_none() {
            let why = if component.exported == Some(true) {
                "android:exported=\"true\""
            } else if component.kind == ComponentKind::Provider {
                "exported by default below API 17"
            } else {
                "exported by its intent filter"
            };
            out.add(
                format!("{kind} {} is {why} with no android:permission", component.name),
                Location::manifest(format!("{kind} {}", component.name)),
            );
        }
    }
}
