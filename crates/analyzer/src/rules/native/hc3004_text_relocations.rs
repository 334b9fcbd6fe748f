use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC3004",
    name: "text-relocations",
    severity: Severity::Error,
    fixable: false,
    summary: "A native library needs text relocations (DT_TEXTREL).",
    what: "Reports libraries with `DT_TEXTREL` or the `DF_TEXTREL` flag.",
    why: "Text relocations make the loader write into code pages. Android refuses them for apps \
          targeting API 23 and later, and the target refuses them always: its sandbox never \
          maps memory writable and executable.",
    fix: "Build every object with `-fPIC` (position-independent code); hand-written assembly \
          must use PC-relative addressing. `readelf -d` confirms `TEXTREL` is gone.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for lib in subject.facts.native.iter().filter(|l| l.textrel) {
        out.add(
            format!("{} has text relocations", lib.entry),
            Location::entry(lib.entry.clone()),
        );
    }
}
