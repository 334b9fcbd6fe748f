use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC2001",
    name: "dex-reference-limit",
    severity: Severity::Error,
    fixable: false,
    summary: "A DEX file holds more than 65,536 method or field references.",
    what: "Checks `method_ids_size` and `field_ids_size` of every DEX file against 65,536, the \
           number a 16-bit index can address.",
    why: "Dalvik instructions name methods and fields with 16-bit indices, so no `invoke` or \
          field instruction can reach a reference past 65,535: d8 and dx refuse to write such a \
          file, and one that exists was assembled or merged by other means. Its code cannot \
          call those members, and tools that rewrite it (including `hyper-migrate fix`) cannot \
          add references to it.",
    fix: "Enable multidex (`multiDexEnabled true`, default from minSdk 21) so the build splits \
          the code over `classes2.dex` and onwards, and shrink with R8.",
    check,
};

const LIMIT: u32 = 1 << 16;

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    for dex in &subject.facts.dex {
        for (what, count) in [("method", dex.method_ids), ("field", dex.field_ids)] {
            if count > LIMIT {
                out.add(
                    format!("{} has {count} {what} references, more than {LIMIT}", dex.entry),
                    Location::entry(dex.entry.clone()),
                );
            }
        }
    }
}
