use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC3001",
    name: "load-segment-alignment",
    severity: Severity::Error,
    fixable: false,
    summary: "A 64-bit native library's PT_LOAD segments are aligned below the target's page size.",
    what: "Checks the smallest `p_align` of the `PT_LOAD` segments of every `arm64-v8a` and \
           `x86_64` library against the profile's `native.page_size` (16 KB).",
    why: "On a 16 KB-page system the loader maps segments at page granularity: a library linked \
          for 4 KB pages fails to load (`dlopen` error \"program alignment (4096) cannot be \
          smaller than system page size (16384)\"), and the app crashes at `System.loadLibrary`.",
    fix: "Relink with `-Wl,-z,max-page-size=16384` (NDK r27 and later do so by default; with r26 \
          set `APP_SUPPORT_FLEXIBLE_PAGE_SIZES := true` or the CMake equivalent). Prebuilt \
          third-party libraries need a new build from their vendor.",
    check,
};

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let page = profile.native.page_size;
    for lib in &subject.facts.native {
        if !matches!(lib.abi, Some("arm64-v8a" | "x86_64")) {
            continue;
        }
        if let Some(align) = lib.min_load_align.filter(|&a| a < page) {
            out.add(
                format!(
                    "{}: PT_LOAD aligned to {align} bytes, the target's pages are {page}",
                    lib.entry
                ),
                Location::entry(lib.entry.clone()),
            );
        }
    }
}
