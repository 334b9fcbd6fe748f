use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC4002",
    name: "zip-alignment",
    severity: Severity::Warning,
    fixable: true,
    summary: "Uncompressed entries are not aligned as zipalign would align them.",
    what: "Reports stored entries that `zipalign -c -p 4` rejects: data not on a 4-byte \
           boundary, and shared libraries not on a 4 KB boundary. One finding per APK, naming \
           the first entries.",
    why: "Android reads stored entries (resources, assets, libraries) by mapping them; unaligned \
          data must be copied into memory instead, costing RAM on every start, and some readers \
          refuse it outright.",
    fix: "Run `zipalign -p 4` (before signing with v2+, or re-sign after). `hyper-migrate fix` \
          realigns.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    let Some(zip) = &subject.facts.zip else {
        return;
    };
    let misaligned = &zip.misaligned_stored;
    let Some(first) = misaligned.first() else {
        return;
    };
    if !subject.installable() {
        return;
    }
    let shown: Vec<&str> = misaligned.iter().take(3).map(String::as_str).collect();
    let more = match misaligned.len() {
        n if n > 3 => format!(" and {} more", n - 3),
        _ => String::new(),
    };
    out.add(
        format!(
            "{} stored entries are misaligned: {}{more}",
            misaligned.len(),
            shown.join(", ")
        ),
        Location::entry(first.clone()),
    );
}
