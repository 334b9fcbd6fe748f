//! Rendering reports: aligned plain text for people, JSON for programs.

use std::fmt::Write;

use analyzer::report::{Facts, NativeFacts, Report, Sdk, SigningFacts, ZipFacts};
use analyzer::rules::{self, Rule, Severity};

/// A few aligned lines per input, readable on an 80-column terminal. Unreadable inputs render
/// as nothing here: their one-line error goes to stderr.
pub fn text(report: &Report) -> String {
    let Some(facts) = &report.facts else {
        return String::new();
    };
    let mut out = String::new();
    let size = report.size.map(human_size).unwrap_or_default();
    let sha = report.sha256.as_deref().map_or("", |s| &s[..12.min(s.len())]);
    let _ = writeln!(out, "{} ({}, {size}, sha256 {sha}…)", report.file, facts.kind);
    let mut line = |label: &str, text: &str| {
        let _ = writeln!(out, "  {label:<10} {text}");
    };
    if let Some(package) = &facts.package {
        line("package", &package_line(package, facts));
    }
    if matches!(facts.kind, "apk" | "apks" | "aar") || !facts.abis.is_empty() {
        let abis = if facts.abis.is_empty() {
            "none (no native libraries)".to_string()
        } else {
            facts.abis.join(", ")
        };
        line("abis", &abis);
    }
    for dex in &facts.dex {
        let index = if dex.index > 0 {
            format!(" #{}", dex.index)
        } else {
            String::new()
        };
        let mut text = format!(
            "{}{index} v{:03}: {} classes, {} method refs, {} field refs, {} strings",
            dex.entry,
            dex.version,
            count(dex.class_defs),
            count(dex.method_ids),
            count(dex.field_ids),
            count(dex.string_ids)
        );
        if !dex.checksum_ok {
            text.push_str("; BAD CHECKSUM");
        } else if !dex.signature_ok {
            text.push_str("; bad SHA-1 signature");
        }
        line("dex", &text);
    }
    if facts.dex.is_empty() && matches!(facts.kind, "apk" | "apks" | "jar") {
        line("dex", "none");
    }
    for lib in &facts.native {
        line("native", &native_line(lib));
    }
    for split in &facts.splits {
        let name = split.split.as_deref().unwrap_or("base");
        let verdict = match split.verified {
            Some(true) => "signature verifies",
            Some(false) => "signature does NOT verify",
            None => "unsigned",
        };
        line("split", &format!("{} ({name}): {verdict}", split.entry));
    }
    if let Some(signing) = &facts.signing {
        line("signing", &signing_line(signing));
    }
    if let Some(zip) = &facts.zip {
        line("zip", &zip_line(zip));
    }
    for problem in &report.problems {
        line("problem", &format!("{}: {}", problem.entry, problem.reason));
    }
    if let Some(error) = &report.error {
        line("error", error);
    }
    findings_text(&mut out, report);
    without_control_characters(&out)
}

/// The findings, worst first, each with its location, whether `fix` repairs it, and the first
/// sentence of the rule's fix as a hint.
fn findings_text(out: &mut String, report: &Report) {
    let findings = &report.findings;
    if report.facts.is_none() {
        return;
    }
    if findings.is_empty() {
        let _ = writeln!(out, "  {:<10} none", "findings");
        return;
    }
    let count = |severity: Severity| findings.iter().filter(|f| f.severity == severity).count();
    let summary: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .filter(|&s| count(s) > 0)
        .map(|s| format!("{} {}", count(s), plural(s.name(), count(s))))
        .collect();
    let _ = writeln!(out, "  {:<10} {}", "findings", summary.join(", "));
    for finding in findings {
        let _ = writeln!(
            out,
            "    {:<8}{} {}: {}",
            finding.severity.name(),
            finding.code,
            finding.name,
            finding.message
        );
        let place = finding.location.describe();
        let mut detail = Vec::new();
        if !place.is_empty() {
            detail.push(format!("at {place}"));
        }
        if finding.fixable {
            detail.push("`hyper-migrate fix` repairs this".into());
        }
        if !detail.is_empty() {
            let _ = writeln!(out, "            {}", detail.join("; "));
        }
        if let Some(rule) = rules::find(finding.code) {
            let _ = writeln!(out, "            hint: {}", first_sentence(rule.fix));
        }
    }
}

fn plural(word: &str, count: usize) -> String {
    if count == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// Up to the first period that ends a sentence.
pub fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(end) => &text[..=end],
        None => text,
    }
}

/// `hyper-migrate rules`: one line per rule.
pub fn rules_table() -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<7} {:<8} {:<4} {:<28} summary",
        "code", "severity", "fix", "name"
    );
    for rule in rules::registry() {
        let _ = writeln!(
            out,
            "{:<7} {:<8} {:<4} {:<28} {}",
            rule.code,
            rule.severity.name(),
            if rule.fixable { "yes" } else { "" },
            rule.name,
            rule.summary
        );
    }
    let _ = writeln!(
        out,
        "\n{} rules; `hyper-migrate explain CODE` prints one in full.",
        rules::registry().len()
    );
    out
}

/// `hyper-migrate explain CODE`.
pub fn explain(rule: &Rule) -> String {
    format!(
        "{} {} ({}, {}{})\n\n{}\n\nWhat it does\n  {}\n\nWhy it matters\n  {}\n\nHow to fix it\n  {}\n",
        rule.code,
        rule.name,
        rule.category().title(),
        rule.severity.name(),
        if rule.fixable {
            ", fixable by `hyper-migrate fix`"
        } else {
            ""
        },
        rule.summary,
        rule.what,
        rule.why,
        rule.fix
    )
}

/// `docs/rules.md`: the catalogue, generated from the registry.
pub fn rules_markdown() -> String {
    let rules = rules::registry();
    let mut out = String::new();
    let _ = writeln!(out, "# Rules\n");
    let _ = writeln!(
        out,
        "Generated by `hyper-migrate rules --markdown` from the rule registry \
         (`crates/analyzer/src/rules/`); a test fails when this file is stale. {} rules. \
         Severities: `error` breaks on the target, `warning` may break, `info` is worth knowing. \
         *Fixable* rules are repaired by `hyper-migrate fix`. Thresholds (page size, platform \
         level, public libraries, permissions, features) come from the target profile, \
         `crates/analyzer/profiles/hypercompat.toml` unless `--profile` names another.\n",
        rules.len()
    );
    let _ = writeln!(out, "| code | name | severity | fixable | summary |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for rule in rules {
        let _ = writeln!(
            out,
            "| [{}](#{}) | `{}` | {} | {} | {} |",
            rule.code,
            rule.code.to_lowercase(),
            rule.name,
            rule.severity.name(),
            if rule.fixable { "yes" } else { "no" },
            rule.summary
        );
    }
    let mut category = None;
    for rule in rules {
        if category != Some(rule.category()) {
            category = Some(rule.category());
            let _ = writeln!(out, "\n## {}", rule.category().title());
        }
        let _ = writeln!(out, "\n### {}\n", rule.code);
        let fixable = if rule.fixable { "fixable" } else { "not fixable" };
        let _ = writeln!(out, "`{}` · {} · {fixable}\n", rule.name, rule.severity.name());
        let _ = writeln!(out, "{}\n", rule.summary);
        let _ = writeln!(out, "**What it does.** {}\n", rule.what);
        let _ = writeln!(out, "**Why it matters.** {}\n", rule.why);
        let _ = writeln!(out, "**How to fix it.** {}", rule.fix);
    }
    out
}

/// Names inside an APK are attacker-chosen: control characters (terminal escapes, NULs,
/// carriage returns) are shown escaped, never sent to the terminal.
pub fn without_control_characters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn package_line(package: &str, facts: &Facts) -> String {
    let mut text = package.to_string();
    if let Some(split) = &facts.split {
        let _ = write!(text, " split {split}");
    }
    match (&facts.version_code, &facts.version_name) {
        (Some(code), Some(name)) => {
            let _ = write!(text, ", version {code} ({name})");
        }
        (Some(code), None) => {
            let _ = write!(text, ", version {code}");
        }
        (None, Some(name)) => {
            let _ = write!(text, ", version {name}");
        }
        (None, None) => {}
    }
    let sdk = |sdk: &Option<Sdk>| match sdk {
        Some(Sdk::Level(level)) => level.to_string(),
        Some(Sdk::Codename(name)) => name.clone(),
        None => "unset".into(),
    };
    let _ = write!(
        text,
        ", min SDK {}, target SDK {}",
        sdk(&facts.min_sdk),
        sdk(&facts.target_sdk)
    );
    text
}

fn native_line(lib: &NativeFacts) -> String {
    let mut parts = vec![lib.abi.unwrap_or("unknown machine").to_string()];
    if let Some(align) = lib.min_load_align {
        parts.push(format!("PT_LOAD align {}", human_size(align)));
    }
    match (lib.stored, lib.zip_alignment) {
        (Some(true), Some(align)) => parts.push(format!("stored at {} alignment", human_size(align))),
        (Some(false), _) => parts.push("compressed".into()),
        _ => {}
    }
    if !lib.needed.is_empty() {
        parts.push(format!("needs {}", lib.needed.join(" ")));
    }
    if lib.textrel {
        parts.push("TEXTREL".into());
    }
    if lib.exec_stack {
        parts.push("executable stack".into());
    }
    match &lib.direct_syscalls {
        None => parts.push("syscalls not scanned (no disassembler for this machine)".into()),
        Some(sites) if sites.is_empty() => {}
        Some(sites) => {
            let numbers: Vec<String> = sites
                .iter()
                .take(8)
                .map(|s| s.number.map_or_else(|| "?".into(), |n| n.to_string()))
                .collect();
            let more = if sites.len() > 8 { ", …" } else { "" };
            parts.push(format!(
                "{} direct syscall(s) [{}{more}]",
                sites.len(),
                numbers.join(", ")
            ));
        }
    }
    format!("{}: {}", lib.entry, parts.join("; "))
}

pub fn signing_line(signing: &SigningFacts) -> String {
    let used: Vec<&str> = [
        ("v1", signing.v1),
        ("v2", signing.v2),
        ("v3", signing.v3),
        ("v3.1", signing.v31),
    ]
    .iter()
    .filter(|(_, verified)| *verified)
    .map(|(name, _)| *name)
    .collect();
    let range = format!("SDK {}+", signing.min_sdk_checked);
    let mut text = if signing.verified {
        format!("verifies for {range} ({})", used.join(", "))
    } else if signing.present.is_empty() {
        "unsigned".to_string()
    } else {
        format!(
            "does NOT verify for {range}: {}",
            signing.error.as_deref().unwrap_or("unknown reason")
        )
    };
    for signer in &signing.signers {
        let _ = write!(
            text,
            "; signer {} {} sha256 {}",
            signer.subject,
            signer.key,
            &signer.sha256[..16.min(signer.sha256.len())]
        );
    }
    text
}

fn zip_line(zip: &ZipFacts) -> String {
    let mut parts = vec![format!("{} entries", count(zip.entries as u32))];
    if !zip.misaligned_stored.is_empty() {
        parts.push(format!(
            "misaligned stored: {}",
            first_few(&zip.misaligned_stored)
        ));
    }
    if zip.compressed_arsc {
        parts.push("resources.arsc compressed".into());
    }
    if !zip.duplicate_names.is_empty() {
        parts.push(format!("duplicate names: {}", first_few(&zip.duplicate_names)));
    }
    if !zip.unsafe_names.is_empty() {
        parts.push(format!("unsafe names: {}", first_few(&zip.unsafe_names)));
    }
    for [a, b] in &zip.overlapping {
        parts.push(format!("overlapping entries: {a} and {b}"));
    }
    if zip.trailing_bytes > 0 {
        parts.push(format!("{} bytes after the end record", zip.trailing_bytes));
    }
    if parts.len() == 1 {
        parts.push("aligned, no duplicate, unsafe or overlapping entries".into());
    }
    parts.join("; ")
}

/// `12,345`.
fn count(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    if bytes >= KIB * KIB {
        format!("{:.1} MiB", bytes as f64 / (KIB * KIB) as f64)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else if bytes >= KIB {
        format!("{:.1} KiB", bytes as f64 / KIB as f64)
    } else {
        format!("{bytes} B")
    }
}

/// Up to three names, then how many more: real APKs can have thousands of irregular entries.
fn first_few(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        let _ = write!(text, " and {} more", names.len() - SHOWN);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_sizes_read_well() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(65536), "65,536");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(human_size(4096), "4 KiB");
        assert_eq!(human_size(1500), "1.5 KiB");
        assert_eq!(human_size(3 << 20), "3.0 MiB");
        assert_eq!(human_size(12), "12 B");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            without_control_characters("a\u{1b}[31mb\0c\r\nd"),
            "a\\u{1b}[31mb\\u{0}c\\r\nd"
        );
    }
}
