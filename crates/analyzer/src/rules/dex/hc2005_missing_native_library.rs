use crate::dex::scan::CallKind;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC2005",
    name: "missing-native-library",
    severity: Severity::Error,
    fixable: false,
    summary: "System.loadLibrary names a library the app does not ship for every ABI it has.",
    what: "For each `System.loadLibrary(\"name\")` with a constant name, checks that \
           `lib/<abi>/libname.so` exists for every ABI the app ships native code for (or at all, \
           when it ships none).",
    why: "The installer picks one ABI directory; a library missing from it makes \
          `System.loadLibrary` throw `UnsatisfiedLinkError` on devices of that ABI. On the \
          64-bit-only target, a library present only for 32-bit ABIs is missing.",
    fix: "Build the library for every ABI in `abiFilters`, or drop the ABIs that lack it. If the \
          library comes from another module, check that it is packaged.",
    check,
};

fn check(subject: &Subject<'_>, _profile: &Profile, out: &mut Findings<'_>) {
    if !subject.installable() {
        return;
    }
    let facts = subject.facts;
    let mut reported: Vec<&str> = Vec::new();
    for (entry, call) in subject.calls() {
        let (CallKind::LoadLibrary, Some(name)) = (call.kind, &call.string) else {
            continue;
        };
        if reported.contains(&name.as_str()) {
            continue;
        }
        reported.push(name);
        let file = format!("lib{name}.so");
        let present_for = |abi: &str| {
            facts.native.iter().any(|lib| {
                let inner = lib.entry.rsplit("!/").next().unwrap_or(&lib.entry);
                inner == format!("lib/{abi}/{file}")
            })
        };
        let missing: Vec<&str> = facts
            .abis
            .iter()
            .map(String::as_str)
            .filter(|abi| !present_for(abi))
            .collect();
        let message = if facts.abis.is_empty() {
            format!("System.loadLibrary(\"{name}\"), but the app ships no native libraries")
        } else if missing.is_empty() {
            continue;
        } else {
            format!(
                "System.loadLibrary(\"{name}\"), but {file} is missing for {}",
                missing.join(", ")
            )
        };
        out.add(message, Location::code(entry, &call.at));
    }
}
