use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC3006",
    name: "no-supported-abi",
    severity: Severity::Error,
    fixable: false,
    summary: "The app's native code exists only for ABIs the target does not run (32-bit only).",
    what: "For an app with native libraries, checks that at least one of its ABIs (`lib/<abi>/`) \
           is among the profile's `native.abis` (`arm64-v8a`, `x86_64`).",
    why: "The target is 64-bit only: without a library for one of its ABIs the installer finds \
          no usable native code (`INSTALL_FAILED_NO_MATCHING_ABIS`).",
    fix: "Add `arm64-v8a` (and `x86_64` for emulators) to `abiFilters` and rebuild; third-party \
          prebuilt libraries need 64-bit builds from their vendor.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let abis = &subject.facts.abis;
    if abis.is_empty() || !matches!(subject.facts.kind, "apk" | "apks" | "aar") {
        return;
    }
    if !abis.iter().any(|abi| profile.native.abis.contains(abi)) {
        out.add(
            format!(
                "native code only for {}; the target runs {}",
                abis.join(", "),
                profile.native.abis.join(", ")
            ),
            Location::entry("lib/"),
        );
    }
}
