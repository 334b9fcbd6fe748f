use std::collections::BTreeSet;

use super::file_name;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC3003",
    name: "private-library",
    severity: Severity::Error,
    fixable: false,
    summary: "A native library links against a system library outside the NDK's public set.",
    what: "Reports every `DT_NEEDED` that is neither one of the profile's \
           `native.public_libraries` nor shipped in the app for the same ABI.",
    why: "Since Android 7 apps may link only the NDK's public libraries; private platform \
          libraries (`libcutils.so`, `libssl.so`, `libandroid_runtime.so`...) change between \
          releases and do not exist on the target at all, so the library fails to load.",
    fix: "Link only against NDK libraries, and bundle your own copy of anything else (built from \
          source, under `lib/<abi>/`).",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let native = &subject.facts.native;
    for lib in native {
        let abi = lib.abi;
        // What the app ships for the same ABI, by file name and by soname.
        let bundled: BTreeSet<&str> = native
            .iter()
            .filter(|other| other.abi == abi)
            .flat_map(|other| [Some(file_name(&other.entry)), other.soname.as_deref()])
            .flatten()
            .collect();
        for needed in &lib.needed {
            let public = profile.native.public_libraries.iter().any(|p| p == needed);
            if !public && !bundled.contains(needed.as_str()) {
                out.add(
                    format!(
                        "{} needs {needed}, which is neither an NDK library nor in the app",
                        lib.entry
                    ),
                    Location::entry(lib.entry.clone()),
                );
            }
        }
    }
}
