use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC3002",
    name: "stored-library-alignment",
    severity: Severity::Warning,
    fixable: true,
    summary: "An uncompressed native library does not start on a page boundary inside the APK.",
    what: "Checks that every library stored uncompressed under `lib/` starts at an APK offset \
           that is a multiple of the profile's `native.page_size`.",
    why: "Stored libraries exist to be mapped straight from the APK. At an offset that is not a \
          multiple of the page size they cannot be, so the installer extracts them (costing \
          storage) or, with `extractNativeLibs=\"false\"`, the app cannot load them.",
    fix: "Align the APK with `zipalign -P 16 -f 4` (build-tools 35+) or AGP 8.5.1+. \
          `hyper-migrate fix` realigns the entries.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let page = profile.native.page_size;
    for lib in &subject.facts.native {
        if lib.stored != Some(true) {
            continue;
        }
        if let Some(align) = lib.zip_alignment.filter(|&a| a < page) {
            out.add(
                format!(
                    "{} is stored at a {align}-byte boundary, not a multiple of {page}",
                    lib.entry
                ),
                Location::entry(lib.entry.clone()),
            );
        }
    }
}
