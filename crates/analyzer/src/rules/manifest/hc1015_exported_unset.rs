use crate::manifest::ComponentKind;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1015",
    name: "exported-unset",
    severity: Severity::Error,
    fixable: true,
    summary: "A component with an intent filter does not say whether it is exported (targetSdk 31+).",
    what: "For apps whose effective `targetSdkVersion` is 31 or more, reports activities, \
           activity aliases, services and receivers that have an `<intent-filter>` but no \
           `android:exported` attribute.",
    why: "Android 12 refuses to install such apps (`INSTALL_PARSE_FAILED_MANIFEST_MALFORMED`: \
          \"android:exported needs to be explicitly specified\"), and so does the target.",
    fix: "Set `android:exported=\"true\"` on components other apps must reach (the launcher \
          activity, deep links) and `\"false\"` on the rest. A library's manifest merged into \
          the app can bring such components: override them with `tools:node` or set the \
          attribute in the app's manifest. `hyper-migrate fix` sets `android:exported=\"true\"` \
          on each such component: before Android 12 an intent filter made a component exported \
          implicitly, so this is the value the app was built and tested with, and it installs \
          again. Review afterwards which components other apps really need.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let Some(manifest) = subject.manifest else {
        return;
    };
    if subject.target_sdk() < 31 {
        return;
    }
    for component in manifest.components() {
        if component.kind == ComponentKind::Provider
            || component.exported.is_some()
            || component.intent_filters.is_empty()
        {
            continue;
        }
        let kind = match component.kind {
            ComponentKind::Activity => "activity",
            ComponentKind::ActivityAlias => "activity-alias",
            ComponentKind::Service => "service",
            _ => "receiver",
        };
        out.add(
            format!(
                "{kind} {} has an intent filter but no android:exported (targetSdkVersion {})",
                component.name,
                subject.target_sdk()
            ),
            Location::manifest(format!("{kind} {}", component.name)),
        );
    }
}
