use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC4009",
    name: "overlapping-entries",
    severity: Severity::Error,
    fixable: false,
    summary: "Two zip entries share the same bytes (overlapping data).",
    what: "Reports pairs of entries whose local headers and data overlap in the file.",
    why: "No packaging tool writes overlapping entries: they are how zip bombs multiply their \
          output and how polyglot files hide content from one reader but not another. Android's \
          zip reader refuses them.",
    fix: "Treat the file as hostile; rebuild the APK from source.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for [a, b] in subject.facts.zip.iter().flat_map(|z| &z.overlapping) {
        out.add(format!("{a} and {b} overlap"), Location::entry(a.clone()));
    }
}
