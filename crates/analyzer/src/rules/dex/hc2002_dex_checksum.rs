use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC2002",
    name: "dex-checksum",
    severity: Severity::Error,
    fixable: false,
    summary: "A DEX file's Adler-32 checksum does not match its content.",
    what: "Recomputes the Adler-32 checksum of every DEX file and compares it with the header.",
    why: "The runtime checks the checksum when it opens a DEX file and refuses the file when it \
          differs: the code was damaged or edited after it was built.",
    fix: "Rebuild the DEX file; a tool that edits DEX files must recompute the checksum (and the \
          SHA-1 signature) afterwards.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for dex in subject.facts.dex.iter().filter(|d| !d.checksum_ok) {
        out.add(
            format!("{}: the header's Adler-32 checksum does not match", dex.entry),
            Location::entry(dex.entry.clone()),
        );
    }
}
