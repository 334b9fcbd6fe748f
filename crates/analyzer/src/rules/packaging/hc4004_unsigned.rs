use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC4004",
    name: "unsigned",
    severity: Severity::Error,
    fixable: true,
    summary: "The APK carries no signature.",
    what: "Reports APKs with neither JAR signature files nor an APK Signing Block.",
    why: "Android installs only signed APKs (`INSTALL_PARSE_FAILED_NO_CERTIFICATES`); the \
          signature is also the app's identity for updates and for `signature` permissions.",
    fix: "Sign with `apksigner sign --ks <keystore> app.apk`, with the key that will sign every \
          future update. `hyper-migrate fix` signs with the key you give it.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let Some(signing) = &subject.facts.signing else {
        return;
    };
    if signing.present.is_empty() {
        out.add("no v1, v2, v3 or v3.1 signature", Location::default());
    }
}
