//! The compatibility rules: one registry of rules, each with a stable code, a severity, docs and
//! a check over what the readers found in an app ([`Subject`]), judged against a target
//! [`Profile`].
//!
//! Codes by family: `HC1xxx` manifest, `HC2xxx` DEX/API, `HC3xxx` native code, `HC4xxx`
//! packaging and signing, `HC5xxx` runtime support, `HC6xxx` vendor lock-in. A code, once
//! published, keeps its meaning; a retired rule's code is never reused.
//!
//! One rule per file under the family's folder; each file holds the rule's metadata, its docs
//! (What it does / Why it matters / How to fix) and its check. `docs/rules.md` is generated from
//! this registry (`hyper-migrate rules --markdown`) and a test fails when it is stale.

pub mod profile;

pub mod dex;
mod manifest;
mod native;
mod packaging;
mod runtime;
pub mod vendor;

use serde::Serialize;

use crate::manifest::Manifest;
use crate::report::Facts;
pub use profile::Profile;

/// How much a finding matters. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing breaks.
    Info,
    /// May break, or breaks in some configurations.
    Warning,
    /// Breaks on the target.
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// The family a rule belongs to, by the first digit of its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Manifest,
    DexApi,
    Native,
    Packaging,
    Runtime,
    VendorLockIn,
}

impl Category {
    pub fn name(self) -> &'static str {
        match self {
            Category::Manifest => "manifest",
            Category::DexApi => "dex-api",
            Category::Native => "native",
            Category::Packaging => "packaging",
            Category::Runtime => "runtime",
            Category::VendorLockIn => "vendor-lock-in",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Category::Manifest => "Manifest",
            Category::DexApi => "DEX and API use",
            Category::Native => "Native code",
            Category::Packaging => "Packaging and signing",
            Category::Runtime => "Runtime support",
            Category::VendorLockIn => "Vendor lock-in",
        }
    }

    fn of_code(code: &str) -> Option<Category> {
        Some(match code.as_bytes().get(2)? {
            b'1' => Category::Manifest,
            b'2' => Category::DexApi,
            b'3' => Category::Native,
            b'4' => Category::Packaging,
            b'5' => Category::Runtime,
            b'6' => Category::VendorLockIn,
            _ => return None,
        })
    }
}

/// A rule: metadata, docs and the check.
pub struct Rule {
    /// `HC3001`.
    pub code: &'static str,
    /// Short kebab-case name: `load-segment-alignment`.
    pub name: &'static str,
    pub severity: Severity,
    /// `hyper-migrate fix` can repair what this rule finds.
    pub fixable: bool,
    /// One line: what the finding means.
    pub summary: &'static str,
    /// Docs, Markdown: what the rule checks.
    pub what: &'static str,
    /// Docs: why it matters on the target.
    pub why: &'static str,
    /// Docs: how to fix it.
    pub fix: &'static str,
    pub check: fn(&Subject<'_>, &Profile, &mut Findings<'_>),
}

impl Rule {
    pub fn category(&self) -> Category {
        Category::of_code(self.code).unwrap_or(Category::Runtime)
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.code, self.name)
    }
}

/// Every rule, in code order.
pub fn registry() -> &'static [&'static Rule] {
    static RULES: std::sync::OnceLock<Vec<&'static Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules: Vec<&'static Rule> = Vec::new();
        rules.extend(manifest::RULES);
        rules.extend(dex::RULES);
        rules.extend(native::RULES);
        rules.extend(packaging::RULES);
        rules.extend(runtime::RULES);
        rules.extend(vendor::RULES);
        rules.sort_by_key(|r| r.code);
        rules
    })
}

/// The rule with this code (`HC3001`, case-insensitive) or name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    registry()
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// Where in the app a finding is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Path inside the input: `AndroidManifest.xml`, `lib/arm64-v8a/libx.so`, `classes2.dex`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// A manifest element or component (`application`, `activity org.example.Main`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// DEX: the class (`Lorg/example/Main;`) and method (`onCreate(Landroid/os/Bundle;)V`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// ELF: the section (`.text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// DEX: bytecode offset in code units within the method; ELF: virtual address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl Location {
    pub fn entry(entry: impl Into<String>) -> Location {
        Location {
            entry: Some(entry.into()),
            ..Location::default()
        }
    }

    /// A place in DEX code.
    pub fn code(entry: &str, at: &crate::dex::scan::CodeLocation) -> Location {
        Location {
            entry: Some(entry.to_string()),
            class: Some(at.class.clone()),
            method: Some(at.method.clone()),
            offset: Some(u64::from(at.pc)),
            ..Location::default()
        }
    }

    pub fn manifest(element: impl Into<String>) -> Location {
        Location {
            entry: Some("AndroidManifest.xml".into()),
            element: Some(element.into()),
            ..Location::default()
        }
    }

    /// `classes.dex Lorg/Main;->run()V @0x12`, `lib/x86/a.so .text 0x1234`: one line.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(entry) = &self.entry {
            parts.push(entry.clone());
        }
        if let Some(element) = &self.element {
            parts.push(format!("<{element}>"));
        }
        match (&self.class, &self.method) {
            (Some(class), Some(method)) => parts.push(format!("{class}->{method}")),
            (Some(class), None) => parts.push(class.clone()),
            _ => {}
        }
        if let Some(section) = &self.section {
            parts.push(section.clone());
        }
        if let Some(offset) = self.offset {
            parts.push(format!("{offset:#x}"));
        }
        parts.join(" ")
    }
}

/// One diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub message: String,
    pub location: Location,
    /// `hyper-migrate fix` can repair it.
    pub fixable: bool,
}

/// What the rules look at: the facts of the report and the richer models behind them.
#[derive(Debug)]
pub struct Subject<'a> {
    pub facts: &'a Facts,
    /// The base APK's manifest (none for DEX, ELF and JAR inputs).
    pub manifest: Option<&'a Manifest>,
    /// Resolved once, for the rules that share it.
    non_sdk: std::cell::OnceCell<Vec<dex::non_sdk::NonSdkUse>>,
}

impl<'a> Subject<'a> {
    pub fn new(facts: &'a Facts, manifest: Option<&'a Manifest>) -> Subject<'a> {
        Subject {
            facts,
            manifest,
            non_sdk: std::cell::OnceCell::new(),
        }
    }

    /// The app's uses of non-SDK framework members (HC2007, HC2008).
    pub fn non_sdk_uses(&self) -> &[dex::non_sdk::NonSdkUse] {
        self.non_sdk.get_or_init(|| dex::non_sdk::uses(self.facts))
    }

    /// Every call of interest in the app's code, with the DEX entry it is in.
    pub fn calls(&self) -> impl Iterator<Item = (&str, &crate::dex::scan::Call)> {
        self.facts
            .code
            .iter()
            .flat_map(|c| c.scan.calls.iter().map(move |call| (c.entry.as_str(), call)))
    }

    /// `targetSdkVersion` as Android applies it (0 when there is no manifest).
    pub fn target_sdk(&self) -> i32 {
        self.manifest.map_or(0, Manifest::effective_target_sdk)
    }

    /// Whether the input is something Android installs (an APK or a bundle of them).
    pub fn installable(&self) -> bool {
        matches!(self.facts.kind, "apk" | "apks")
    }
}

/// Collects one rule's findings.
#[derive(Debug)]
pub struct Findings<'r> {
    rule: &'static Rule,
    out: &'r mut Vec<Finding>,
}

impl Findings<'_> {
    pub fn add(&mut self, message: impl Into<String>, location: Location) {
        self.out.push(Finding {
            code: self.rule.code,
            name: self.rule.name,
            severity: self.rule.severity,
            category: self.rule.category(),
            message: message.into(),
            location,
            fixable: self.rule.fixable,
        });
    }
}

/// Which rules run: all by default; `select` keeps only codes starting with one of its
/// prefixes (`HC3`, `HC4001`), then `ignore` drops those starting with one of its prefixes.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    pub fn includes(&self, rule: &Rule) -> bool {
        let matches = |prefix: &String| {
            rule.code
                .get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                || rule.name == prefix.as_str()
        };
        (self.select.is_empty() || self.select.iter().any(matches)) && !self.ignore.iter().any(matches)
    }

    /// Every prefix must name at least one rule: a typo must not silently select nothing.
    pub fn validate(&self) -> Result<(), String> {
        for prefix in self.select.iter().chain(&self.ignore) {
            let known = registry().iter().any(|r| {
                r.code
                    .get(..prefix.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                    || r.name == prefix.as_str()
            });
            if !known {
                return Err(format!(
                    "no rule code starts with `{prefix}` (see `hyper-migrate rules`)"
                ));
            }
        }
        Ok(())
    }
}

/// Runs the selected rules; findings sorted by severity (worst first), then code, then place.
pub fn check(subject: &Subject<'_>, profile: &Profile, selection: &Selection) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in registry().iter().copied().filter(|r| selection.includes(r)) {
        let mut findings = Findings { rule, out: &mut out };
        (rule.check)(subject, profile, &mut findings);
    }
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.code.cmp(b.code))
            .then_with(|| a.location.describe().cmp(&b.location.describe()))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_well_formed_and_documented() {
        let rules = registry();
        for pair in rules.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "duplicate or unsorted code {}",
                pair[1].code
            );
        }
        let mut names: Vec<&str> = rules.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), rules.len(), "duplicate rule names");
        for rule in rules {
            assert!(
                rule.code.len() == 6
                    && rule.code.starts_with("HC")
                    && rule.code[2..].bytes().all(|b| b.is_ascii_digit()),
                "{rule:?}"
            );
            assert!(Category::of_code(rule.code).is_some(), "{rule:?}");
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{rule:?}"
            );
            for (part, text) in [
                ("summary", rule.summary),
                ("what", rule.what),
                ("why", rule.why),
                ("fix", rule.fix),
            ] {
                assert!(text.trim().len() >= 20, "{rule:?}: {part} too short");
            }
        }
    }

    #[test]
    fn selection_by_prefix_and_name() {
        let native = find("HC3001").unwrap();
        let all = Selection::default();
        assert!(all.includes(native));
        let only_packaging = Selection {
            select: vec!["HC4".into()],
            ignore: vec![],
        };
        assert!(!only_packaging.includes(native));
        let ignored = Selection {
            select: vec![],
            ignore: vec![native.name.into()],
        };
        assert!(!ignored.includes(native));
        assert!(
            Selection {
                select: vec!["HC9".into()],
                ignore: vec![]
            }
            .validate()
            .is_err()
        );
        assert!(only_packaging.validate().is_ok());
    }
}
