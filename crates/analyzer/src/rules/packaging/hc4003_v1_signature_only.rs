use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC4003",
    name: "v1-signature-only",
    severity: Severity::Error,
    fixable: true,
    summary: "The app targets API 30 or later but is signed only with the v1 (JAR) scheme.",
    what: "For apps whose effective `targetSdkVersion` is 30 or more, checks that an APK \
           Signature Scheme v2 or v3 signature is present.",
    why: "Android 11 refuses to install such apps without a v2+ signature \
          (`INSTALL_PARSE_FAILED_NO_CERTIFICATES`), and the target verifies only whole-file \
          signatures: JAR signing leaves most of the APK unprotected.",
    fix: "Sign with `apksigner` (v2 and v3 are on by default). `hyper-migrate fix` re-signs with \
          the key you give it.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let Some(signing) = &subject.facts.signing else {
        return;
    };
    if subject.target_sdk() >= 30 && signing.present == ["v1"] {
        out.add(
            format!(
                "only a v1 signature, and targetSdkVersion is {}",
                subject.target_sdk()
            ),
            Location::entry("META-INF/"),
        );
    }
}
