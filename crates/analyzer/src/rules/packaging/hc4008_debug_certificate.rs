use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC4008",
    name: "debug-certificate",
    severity: Severity::Warning,
    fixable: true,
    summary: "The APK is signed with an Android debug certificate.",
    what: "Reports signers whose certificate subject is the SDK's generated debug identity \
           (`CN=Android Debug`).",
    why: "Debug keys are generated on every developer machine and shared freely: an app signed \
          with one cannot be updated by a release build, and anyone can sign a look-alike \
          update with the same kind of key.",
    fix: "Sign releases with a private release key (or Play App Signing). `hyper-migrate fix` \
          re-signs with the key you give it.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let Some(signing) = &subject.facts.signing else {
        return;
    };
    for signer in &signing.signers {
        if signer.subject.split(", ").any(|part| part == "CN=Android Debug") {
            out.add(
                format!("signed by {}", signer.subject),
                Location::entry("META-INF/"),
            );
        }
    }
}
