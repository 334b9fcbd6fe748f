use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC4007",
    name: "unsafe-entry-name",
    severity: Severity::Error,
    fixable: false,
    summary: "An entry name could escape the directory it is extracted to (path traversal).",
    what: "Reports entry names with `..` segments, absolute paths, backslashes or NUL bytes.",
    why: "Code that extracts entries by name (native library extraction, asset unpacking, \
          plug-in loaders) writes such entries outside their directory: \"Zip Slip\" \
          overwrites of app code or data.",
    fix: "Rebuild the archive from a clean tree; treat such an APK as hostile.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for name in subject.facts.zip.iter().flat_map(|z| &z.unsafe_names) {
        out.add(
            format!("unsafe entry name {name:?}"),
            Location::entry(name.clone()),
        );
    }
}
