use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC4005",
    name: "signature-invalid",
    severity: Severity::Error,
    fixable: false,
    summary: "The APK's signatures do not verify.",
    what: "Verifies the v1, v2, v3 and v3.1 signatures as `apksigner verify` does for the app's \
           own minimum SDK, and reports the first reason verification fails.",
    why: "Android refuses to install an APK whose signatures do not verify: it was modified after \
          signing (digests differ), or signed in a way older platforms in its SDK range cannot \
          check (a v2-only APK with a minimum SDK below 24).",
    fix: "Re-sign the APK after the last change to it, with every scheme its minimum SDK needs \
          (v1 below API 24). If you did not change it, do not trust it: it was tampered with.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let Some(signing) = &subject.facts.signing else {
        return;
    };
    if !signing.present.is_empty() && !signing.verified {
        out.add(
            format!(
                "does not verify for SDK {}+: {}",
                signing.min_sdk_checked,
                signing.error.as_deref().unwrap_or("unknown reason")
            ),
            Location::default(),
        );
    }
}
