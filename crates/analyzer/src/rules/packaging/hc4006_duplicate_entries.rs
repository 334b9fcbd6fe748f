use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC4006",
    name: "duplicate-entries",
    severity: Severity::Error,
    fixable: false,
    summary: "The zip holds two entries with the same name.",
    what: "Reports names that appear more than once in the central directory.",
    why: "Different readers pick different copies of a duplicated entry: what the signature \
          verifier checked need not be what the runtime loads (the \"Master Key\" class of \
          attacks). Android refuses such APKs.",
    fix: "Rebuild the APK; a packaging step that appends files must replace existing entries.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for name in subject.facts.zip.iter().flat_map(|z| &z.duplicate_names) {
        out.add(
            format!("{name} appears more than once"),
            Location::entry(name.clone()),
        );
    }
}
