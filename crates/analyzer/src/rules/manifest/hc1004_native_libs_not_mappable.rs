use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC1004",
    name: "native-libs-not-mappable",
    severity: Severity::Error,
    fixable: true,
    summary: "extractNativeLibs=\"false\" but a native library is compressed or not page-aligned.",
    what: "When `android:extractNativeLibs` is false, checks that every library under `lib/` is \
           stored (not compressed) at an offset aligned to the target's page size.",
    why: "With extraction off, the loader maps each library straight out of the APK. A compressed \
          library cannot be mapped at all and a misaligned one cannot be mapped on 16 KB-page \
          systems: the install fails (`INSTALL_FAILED_INVALID_APK`) or `System.loadLibrary` does.",
    fix: "Package the libraries uncompressed and aligned (AGP does this when \
          `packaging.jniLibs.useLegacyPackaging = false`; `zipalign -P 16` aligns to 16 KB). \
          `hyper-migrate fix` stores and aligns them and leaves `extractNativeLibs=\"false\"` \
          as it is: stored, page-aligned libraries are exactly what that setting requires, and \
          mapping them in place (no extracted copy) is what the app chose. \
          `fix --extract-native-libs true` instead has them extracted at install, on request.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let extracts = subject
        .manifest
        .and_then(|m| m.application.as_ref())
        .and_then(|a| a.extract_native_libs);
    if extracts != Some(false) {
        return;
    }
    let page = profile.native.page_size;
    for lib in &subject.facts.native {
        let problem = match (lib.stored, lib.zip_alignment) {
            (Some(false), _) => "is compressed".to_string(),
            (Some(true), Some(align)) if align < page => {
                format!("starts at a {align}-byte boundary, not {page}")
            }
            _ => continue,
        };
        out.add(
            format!(
                "{} {problem}, but extractNativeLibs=\"false\" maps it in place",
                lib.entry
            ),
            Location::entry(lib.entry.clone()),
        );
    }
}
