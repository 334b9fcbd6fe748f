//! The check works from what each library proves about itself, its `DT_VERNEED` symbol
//! versions, because no registry the project builds from carries bionic's symbol lists
//! (`libc.map.txt`, `libm.map.txt`, `libdl.map.txt`): Debian has no `android-platform-bionic`
//! source package in bookworm, trixie or sid; the `.orig` tarball of `android-platform-tools`
//! 34.0.5 holds other libraries' map files (`libEGL`, `libvulkan`...) but not bionic's, and
//! neither that of 29.0.6 nor of `android-platform-art` 14.0.0+r15 holds any of bionic; no PyPI
//! or npm package ships an NDK sysroot (checked 2026-11).
//! A per-symbol table (`introduced=` of every symbol) would need one of those. See
//! `bionic_version_level` for where the levels come from and the rule's docs for what this
//! cannot see.

use crate::report::VersionedImport;
use crate::rules::{Findings, Location, Profile, Rule, Severity, Subject};

pub(super) static RULE: Rule = Rule {
    code: "HC3009",
    name: "missing-libc-symbol",
    severity: Severity::Error,
    fixable: false,
    summary: "A native library imports a libc symbol that the target's libc (bionic at the \
              profile's platform level) does not define.",
    what: "Reads the symbol version each imported symbol needs (`DT_VERSYM`/`DT_VERNEED`) and \
           reports strong imports whose version the target's bionic lacks: a bionic version \
           newer than the profile's `sdk.platform` (`LIBC_V` is API 35, `LIBC_U` 34, ... as \
           bionic's `libc.map.txt` introduces them), a platform-private version (`LIBC_PRIVATE`, \
           `LIBC_PLATFORM`) that the NDK never exposes, or a glibc version (`GLIBC_2.17`) of a \
           library built against Linux's C library. Up to five symbols per library are reported \
           one by one, the rest in one summary finding. Limits: unversioned imports (libraries \
           linked against old NDK stubs that had no symbol versions) and symbols added to an \
           older version later (`__ppoll64_chk` joined `LIBC` in API 28) are not judged; weak \
           imports are skipped because the loader binds them to null and the NDK uses them for \
           `__builtin_available` checks.",
    why: "Android's loader resolves every strong import when the library is loaded; one missing \
          symbol makes `System.loadLibrary` throw `UnsatisfiedLinkError: cannot locate symbol`, \
          and the whole library (often the whole app) is unusable. The target provides bionic \
          as of the profile's platform level: APIs added later, platform-private symbols and \
          glibc's versioned ABI are absent.",
    fix: "Build against the NDK with `minSdkVersion` (`ANDROID_PLATFORM`) at or below the \
          target's platform level, so the linker refuses newer APIs; call newer ones through \
          `__builtin_available` (weak references) or `dlsym`. Rebuild libraries compiled with a \
          Linux (glibc) toolchain with the NDK.",
    check,
};

/// Findings listed one by one per library before the rest are summarised.
const LISTED_PER_LIBRARY: usize = 5;
/// Symbols the summary finding names before "...".
const NAMED_IN_SUMMARY: usize = 5;
/// The newest API level whose bionic version node [`bionic_version_level`] knows.
const NEWEST_KNOWN_LEVEL: i32 = 37;

/// The libraries bionic builds with its symbol versions (`libc.map.txt`, `libm.map.txt`,
/// `libdl.map.txt`).
const BIONIC_LIBRARIES: &[&str] = &["libc.so", "libm.so", "libdl.so"];

/// Why the target's libc lacks an imported symbol's version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lack {
    /// A bionic version first shipped at this API level, above the platform's.
    Newer(i32),
    /// `*_PRIVATE` or `*_PLATFORM`: defined for the platform's own code, never in the NDK.
    PlatformOnly,
    /// A version no bionic release up to [`NEWEST_KNOWN_LEVEL`] defines.
    Unknown,
    /// A glibc version (`GLIBC_2.17`, `GLIBC_PRIVATE`).
    Glibc,
}

/// The API level at which bionic first defines the version node `name`, or `None` when no
/// release does. The levels are the `# introduced=` annotations of the version blocks in AOSP
/// bionic's `libc/libc.map.txt` (and `libm`, `libdl`): `LIBC_N { # introduced-arm64=24 ... }`,
/// `LIBC_O` 26 (its symbols are all `introduced=26`), `LIBC_OMR1` 27 (libdl), `LIBC_P` 28,
/// `LIBC_Q` 29, `LIBC_R` 30, `LIBC_S` 31, `LIBC_T` 33, `LIBC_U` 34, `LIBC_V` 35, then numeric
/// names from API 36 on (`LIBC_36`, `LIBC_37`). `LIBC` is the base version every release has;
/// `LIBC_DEPRECATED` holds old symbols kept for existing apps. Both read as level 0: nothing
/// the target lacks.
fn bionic_version_level(name: &str) -> Option<i32> {
    Some(match name {
        "LIBC" | "LIBC_DEPRECATED" => 0,
        "LIBC_N" => 24,
        "LIBC_O" => 26,
        "LIBC_OMR1" => 27,
        "LIBC_P" => 28,
        "LIBC_Q" => 29,
        "LIBC_R" => 30,
        "LIBC_S" => 31,
        "LIBC_T" => 33,
        "LIBC_U" => 34,
        "LIBC_V" => 35,
        _ => {
            let level: i32 = name.strip_prefix("LIBC_")?.parse().ok()?;
            (36..=NEWEST_KNOWN_LEVEL).contains(&level).then_some(level)?
        }
    })
}

/// What the target's libc lacks for `import`, or `None` when it has it (or it is not a libc
/// version at all: a library's own versions are its business).
fn lack(import: &VersionedImport, platform: i32) -> Option<Lack> {
    let version = import.version.as_str();
    if version.starts_with("GLIBC_") {
        return Some(Lack::Glibc);
    }
    if !BIONIC_LIBRARIES.contains(&import.library.as_str()) {
        return None;
    }
    if version.ends_with("_PRIVATE") || version.ends_with("_PLATFORM") {
        return Some(Lack::PlatformOnly);
    }
    match bionic_version_level(version) {
        Some(level) if level > platform => Some(Lack::Newer(level)),
        Some(_) => None,
        None => Some(Lack::Unknown),
    }
}

fn check(subject: &Subject<'_>, profile: &Profile, out: &mut Findings<'_>) {
    let platform = profile.sdk.platform;
    for lib in &subject.facts.native {
        let lacking: Vec<(&VersionedImport, Lack)> = lib
            .versioned_imports
            .iter()
            .filter(|import| !import.weak)
            .filter_map(|import| Some((import, lack(import, platform)?)))
            .collect();
        for (import, lack) in lacking.iter().take(LISTED_PER_LIBRARY) {
            let reason = match lack {
                Lack::Newer(level) => {
                    format!("introduced in API {level}, after the target's platform level {platform}")
                }
                Lack::PlatformOnly => "a platform-private version that the NDK does not expose".to_string(),
                Lack::Unknown => {
                    format!("a version no bionic release up to API {NEWEST_KNOWN_LEVEL} defines")
                }
                Lack::Glibc => {
                    "a glibc version (built against Linux's C library); bionic has none".to_string()
                }
            };
            out.add(
                format!(
                    "{} imports {}@{} from {}: {reason}",
                    lib.entry, import.symbol, import.version, import.library
                ),
                Location::entry(lib.entry.clone()),
            );
        }
        let rest = &lacking[lacking.len().min(LISTED_PER_LIBRARY)..];
        if !rest.is_empty() {
            let mut named: Vec<String> = rest
                .iter()
                .take(NAMED_IN_SUMMARY)
                .map(|(import, _)| format!("{}@{}", import.symbol, import.version))
                .collect();
            if rest.len() > NAMED_IN_SUMMARY {
                named.push("...".to_string());
            }
            out.add(
                format!(
                    "{} imports {} more symbols the target's libc lacks: {}",
                    lib.entry,
                    rest.len(),
                    named.join(", ")
                ),
                Location::entry(lib.entry.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(symbol: &str, version: &str, library: &str, weak: bool) -> VersionedImport {
        VersionedImport {
            symbol: symbol.into(),
            version: version.into(),
            library: library.into(),
            weak,
        }
    }

    #[test]
    fn version_nodes_map_to_the_levels_that_introduced_them() {
        assert_eq!(bionic_version_level("LIBC"), Some(0));
        assert_eq!(bionic_version_level("LIBC_N"), Some(24));
        assert_eq!(bionic_version_level("LIBC_OMR1"), Some(27));
        assert_eq!(bionic_version_level("LIBC_T"), Some(33));
        assert_eq!(bionic_version_level("LIBC_U"), Some(34));
        assert_eq!(bionic_version_level("LIBC_V"), Some(35));
        assert_eq!(bionic_version_level("LIBC_36"), Some(36));
        assert_eq!(bionic_version_level("LIBC_37"), Some(37));
        assert_eq!(bionic_version_level("LIBC_38"), None);
        assert_eq!(bionic_version_level("LIBC_W"), None);
        assert_eq!(bionic_version_level("LIBC_-1"), None);
        assert_eq!(bionic_version_level("LIBFOO_1"), None);
    }

    #[test]
    fn what_the_target_lacks_depends_on_version_library_and_platform() {
        let newest = import("epoll_pwait2", "LIBC_V", "libc.so", false);
        assert_eq!(lack(&newest, 34), Some(Lack::Newer(35)));
        assert_eq!(lack(&newest, 35), None);
        let at_platform = import("close_range", "LIBC_U", "libc.so", false);
        assert_eq!(lack(&at_platform, 34), None);
        assert_eq!(lack(&at_platform, 33), Some(Lack::Newer(34)));
        assert_eq!(lack(&import("sin", "LIBC", "libm.so", false), 21), None);
        assert_eq!(
            lack(&import("__cfi_slowpath", "LIBC_OMR1", "libdl.so", false), 26),
            Some(Lack::Newer(27))
        );
        assert_eq!(
            lack(
                &import("__system_property_add", "LIBC_PLATFORM", "libc.so", false),
                34
            ),
            Some(Lack::PlatformOnly)
        );
        assert_eq!(
            lack(&import("strfry", "GLIBC_2.17", "libc.so.6", false), 34),
            Some(Lack::Glibc)
        );
        assert_eq!(
            lack(&import("future", "LIBC_W", "libc.so", false), 34),
            Some(Lack::Unknown)
        );
        // A bundled library's own versions say nothing about libc.
        assert_eq!(lack(&import("foo", "LIBFOO_2", "libfoo.so", false), 34), None);
        assert_eq!(lack(&import("foo", "LIBC_V", "libfoo.so", false), 34), None);
    }

    /// Findings of this rule for an ELF file importing `imports`, judged by the built-in
    /// profile (platform 34).
    fn findings_for(imports: Vec<crate::elf::testing::DynSym>) -> Vec<String> {
        use crate::elf::Class;
        use crate::elf::testing::{ElfBuilder, HashStyle};
        let mut builder = ElfBuilder::new(Class::Elf64, 183);
        builder.needed = vec!["libc.so", "libm.so"];
        builder.hash = HashStyle::Gnu;
        builder.dynsyms = imports;
        let data = builder.build();
        let report = crate::report::analyze("libx.so", &data);
        assert!(report.error.is_none(), "{:?}", report.error);
        report
            .findings
            .iter()
            .filter(|f| f.code == RULE.code)
            .map(|f| f.message.clone())
            .collect()
    }

    #[test]
    fn reports_strong_imports_the_platform_lacks_and_nothing_else() {
        use crate::elf::testing::DynSym;
        let (global, weak, func) = (1, 2, 2);
        let found = findings_for(vec![
            DynSym::import("getpid", global, func, Some("LIBC")),
            DynSym::import("close_range", global, func, Some("LIBC_U")),
            DynSym::import("epoll_pwait2", global, func, Some("LIBC_V")),
            DynSym::import("tzalloc", weak, func, Some("LIBC_V")),
            DynSym::import("sin", global, func, Some("LIBC")).needed_from("libm.so"),
            DynSym::import("strfry", global, func, Some("GLIBC_2.17")).needed_from("libc.so.6"),
            DynSym::import("unversioned", global, func, None),
        ]);
        assert_eq!(
            found,
            [
                "libx.so imports epoll_pwait2@LIBC_V from libc.so: introduced in API 35, after \
                 the target's platform level 34",
                "libx.so imports strfry@GLIBC_2.17 from libc.so.6: a glibc version (built \
                 against Linux's C library); bionic has none",
            ]
        );
    }

    #[test]
    fn many_missing_symbols_make_five_findings_and_a_summary() {
        use crate::elf::testing::DynSym;
        const NAMES: [&str; 12] = [
            "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
        ];
        let imports = NAMES
            .iter()
            .map(|&n| DynSym::import(n, 1, 2, Some("GLIBC_2.17")).needed_from("libc.so.6"))
            .collect();
        let found = findings_for(imports);
        assert_eq!(found.len(), LISTED_PER_LIBRARY + 1, "{found:#?}");
        assert!(
            found[4].starts_with("libx.so imports s4@GLIBC_2.17 "),
            "{}",
            found[4]
        );
        assert_eq!(
            found[5],
            "libx.so imports 7 more symbols the target's libc lacks: s5@GLIBC_2.17, \
             s6@GLIBC_2.17, s7@GLIBC_2.17, s8@GLIBC_2.17, s9@GLIBC_2.17, ..."
        );
    }
}
