use crate::hiddenapi::ApiFlag;
use crate::rules::dex::non_sdk::describe;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC2008",
    name: "non-sdk-api-restricted",
    severity: Severity::Warning,
    fixable: false,
    summary: "The code uses non-SDK framework members that still work for this app, for now.",
    what: "Resolves the fields and methods the code uses like HC2007 and reports those on AOSP's \
           `unsupported` list, and `max-target-N` members while the app's targetSdkVersion is \
           at most N.",
    why: "These members are not part of the SDK: ART allows them with a warning, but each \
          release moves more of them to the blocked list, and `max-target-N` members stop \
          working as soon as the app raises its targetSdkVersion past N — which the target \
          profile's minimum target SDK requires. The target's framework does not promise them.",
    fix: "Move to the public SDK alternative before raising targetSdkVersion; test with \
          `StrictMode.VmPolicy.Builder.detectNonSdkApiUsage()` on a device. `hyper-migrate fix` \
          retargets the calls its `hidden-api` mapping knows a public equivalent for.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let target = subject.target_sdk();
    for u in subject.non_sdk_uses() {
        if u.flag.denied_at(target) {
            continue;
        }
        let why = match u.flag {
            ApiFlag::MaxTarget(max) => {
                format!("{}: denied once targetSdkVersion is above {max}", u.flag.name())
            }
            _ => "unsupported: allowed with a warning, may be blocked in a later release".to_string(),
        };
        out.add(
            format!("uses {} ({why})", describe(u)),
            Location::code(&u.entry, &u.at),
        );
    }
}
