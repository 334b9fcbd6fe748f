use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC4001",
    name: "compressed-resources",
    severity: Severity::Error,
    fixable: true,
    summary: "resources.arsc is compressed or misaligned in an app targeting API 30 or later.",
    what: "For apps whose effective `targetSdkVersion` is 30 or more, checks that \
           `resources.arsc` is stored uncompressed at a 4-byte-aligned offset.",
    why: "Android 11 maps the resource table straight from the APK for such apps and refuses to \
          install them otherwise (`INSTALL_PARSE_FAILED_RESOURCES_ARSC_COMPRESSED`); the target \
          does the same.",
    fix: "Let the build store it (AGP does unless `noCompress` was overridden), then \
          `zipalign -p 4`. `hyper-migrate fix` stores and aligns it.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let Some(zip) = &subject.facts.zip else {
        return;
    };
    if !subject.installable() || subject.target_sdk() < 30 {
        return;
    }
    let target = subject.target_sdk();
    if zip.compressed_arsc {
        out.add(
            format!("resources.arsc is compressed; targetSdkVersion {target} needs it stored"),
            Location::entry("resources.arsc"),
        );
    } else if zip.misaligned_stored.iter().any(|n| n == "resources.arsc") {
        out.add(
            format!("resources.arsc is not 4-byte aligned; targetSdkVersion {target} needs it aligned"),
            Location::entry("resources.arsc"),
        );
    }
}
