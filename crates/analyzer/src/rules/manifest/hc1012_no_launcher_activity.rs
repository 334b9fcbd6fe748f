use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1012",
    name: "no-launcher-activity",
    severity: Severity::Info,
    fixable: false,
    summary: "The app has no launcher entry (no MAIN/LAUNCHER activity).",
    what: "Reports an installable app (not a split) with code whose manifest has no activity \
           with the `android.intent.action.MAIN` action and `android.intent.category.LAUNCHER` \
           category, the way `aapt dump badging` finds `launchable-activity`.",
    why: "Without a launcher entry the target's shell cannot start the app; it runs only when \
          another component (a service binding, a broadcast) starts it. That is right for \
          plug-ins and services, and a packaging mistake for everything else.",
    fix: "Add an intent filter with `MAIN` and `LAUNCHER` to the entry activity, or ignore this \
          for apps that are not meant to be launched.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let Some(manifest) = subject.manifest else {
        return;
    };
    let has_code = manifest.application.as_ref().and_then(|a| a.has_code) != Some(false)
        && !subject.facts.dex.is_empty();
    if subject.installable()
        && manifest.split.is_none()
        && has_code
        && manifest.launchable_activities.is_empty()
    {
        out.add(
            "no activity handles MAIN with category LAUNCHER",
            Location::manifest("application"),
        );
    }
}
