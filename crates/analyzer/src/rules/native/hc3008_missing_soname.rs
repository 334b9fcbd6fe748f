use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC3008",
    name: "missing-soname",
    severity: Severity::Error,
    fixable: false,
    summary: "A native library has no DT_SONAME (refused for apps targeting API 23 and later).",
    what: "For apps whose effective `targetSdkVersion` is 23 or more, reports shared libraries \
           without a `DT_SONAME` entry.",
    why: "Since Android 6 the dynamic linker identifies libraries by their soname; for apps \
          targeting API 23+ a library without one is refused (\"missing DT_SONAME\"), and other \
          libraries that need it cannot be resolved.",
    fix: "Link with `-Wl,-soname,libname.so` (the NDK's build systems do this by default; \
          hand-written makefiles often forget it).",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    if !subject.installable() || subject.target_sdk() < 23 {
        return;
    }
    for lib in subject.facts.native.iter().filter(|l| l.soname.is_none()) {
        out.add(
            format!(
                "{} has no DT_SONAME (targetSdkVersion {})",
                lib.entry,
                subject.target_sdk()
            ),
            Location::entry(lib.entry.clone()),
        );
    }
}
