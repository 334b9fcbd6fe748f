use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1006",
    name: "cleartext-traffic",
    severity: Severity::Warning,
    fixable: false,
    summary: "The app allows cleartext (unencrypted) network traffic.",
    what: "Reports `android:usesCleartextTraffic=\"true\"`, and apps that leave it unset while \
           targeting API 27 or lower (where cleartext is allowed by default), unless a network \
           security config decides.",
    why: "The target's network stack follows current Android: cleartext HTTP is refused unless \
          the app opts in. Traffic in clear text can be read and altered on the way.",
    fix: "Use HTTPS. Where a legacy server needs HTTP, allow just that host in a \
          `network_security_config` domain entry instead of the whole app. \
          `hyper-migrate fix --cleartext-traffic false` sets the attribute on request only: \
          an app that still talks HTTP then fails to connect (and from API 24 a network \
          security config, where the app has one, takes precedence over the attribute).",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let Some(app) = subject.manifest.and_then(|m| m.application.as_ref()) else {
        return;
    };
    match app.uses_cleartext_traffic {
        Some(true) => out.add("android:usesCleartextTraffic=\"true\"", Location::manifest("application")),
        None if app.network_security_config.is_none() && subject.target_sdk() < 28 => out.add(
            format!(
                "targetSdkVersion {} allows cleartext traffic by default (no usesCleartextTraffic, no network security config)",
                subject.target_sdk()
            ),
            Location::manifest("application"),
        ),
        _ => {}
    }
}
