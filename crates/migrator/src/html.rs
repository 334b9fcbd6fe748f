//! One self-contained HTML page for a whole run: a summary, bar charts of the findings by
//! category and by severity (inline SVG drawn here), and a section per input with its facts and
//! findings. No script, no external style sheet, font or image: the page opens offline, and its
//! Content-Security-Policy forbids loading anything even if a string were to slip through.
//!
//! Every string that comes from an input (file names, package names, entry names, messages
//! quoting them) is attacker-controlled and goes through [`escape`].

use std::fmt::Write;

use analyzer::report::{Facts, Report, Sdk};
use analyzer::rules::{self, Category, Severity};

use crate::render;

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];
const CATEGORIES: [Category; 6] = [
    Category::Manifest,
    Category::DexApi,
    Category::Native,
    Category::Packaging,
    Category::Runtime,
    Category::VendorLockIn,
];

const STYLE: &str = r#"
:root { --error: #c62828; --warning: #e65100; --info: #1565c0; --muted: #5f6368; --line: #dadce0; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #202124; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; }
header { border-bottom: 3px solid #202124; margin-bottom: 20px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 0 0 10px; overflow-wrap: anywhere; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 0 20px; }
.card { flex: 1 1 130px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card .n { display: block; font-size: 28px; font-weight: 700; }
.card .l { color: var(--muted); }
.card.error .n { color: var(--error); } .card.warning .n { color: var(--warning); } .card.info .n { color: var(--info); }
.charts { display: flex; flex-wrap: wrap; gap: 24px; margin-bottom: 24px; }
.chart { flex: 1 1 520px; border: 1px solid var(--line); border-radius: 6px; padding: 12px; }
.chart h3 { margin-top: 0; }
.chart svg { width: 100%; height: auto; display: block; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 4px 0 8px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
th { background: #f1f3f4; font-weight: 600; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
h2.mono { font-size: 16px; font-weight: 700; }
.sev { display: inline-block; padding: 1px 7px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
.sev.error { background: var(--error); } .sev.warning { background: var(--warning); } .sev.info { background: var(--info); }
section.app { border-top: 1px solid var(--line); padding-top: 18px; margin-top: 22px; }
dl.facts { display: grid; grid-template-columns: 150px 1fr; gap: 3px 12px; margin: 0 0 8px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
p.unreadable { color: var(--error); font-weight: 600; overflow-wrap: anywhere; }
.none { color: var(--muted); }
a { color: inherit; }
@media print {
  main { max-width: none; padding: 0; }
  section.app { break-before: auto; } h2, h3 { break-after: avoid; } tr, .chart, .card { break-inside: avoid; }
  a { text-decoration: none; }
}
"#;

/// The page for every report of a run, in input order.
pub fn render(reports: &[Report]) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>HyperCompat report</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    summary(&mut out, reports);
    for (index, report) in reports.iter().enumerate() {
        app_section(&mut out, index, report);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn summary(out: &mut String, reports: &[Report]) {
    let findings = || reports.iter().flat_map(|r| &r.findings);
    let unreadable = reports.iter().filter(|r| r.error.is_some()).count();
    let by_severity = |s: Severity| findings().filter(|f| f.severity == s).count();
    let fixable = findings().filter(|f| f.fixable).count();
    let _ = writeln!(
        out,
        "<header>\n<h1>HyperCompat migration report</h1>\n<p class=\"meta\">hyper-migrate {} \
         · {} input(s) · {} finding(s)</p>\n</header>",
        env!("CARGO_PKG_VERSION"),
        reports.len(),
        findings().count()
    );
    out.push_str("<section class=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
    let mut card = |class: &str, n: usize, label: &str| {
        let _ = writeln!(
            out,
            "<div class=\"card {class}\"><span class=\"n\">{n}</span><span class=\"l\">{label}</span></div>"
        );
    };
    card("", reports.len(), "inputs");
    card("", reports.len() - unreadable, "readable");
    card(
        if unreadable > 0 { "error" } else { "" },
        unreadable,
        "unreadable",
    );
    card("error", by_severity(Severity::Error), "errors");
    card("warning", by_severity(Severity::Warning), "warnings");
    card("info", by_severity(Severity::Info), "info");
    card("", fixable, "fixable");
    out.push_str("</div>\n<div class=\"charts\">\n");
    let categories: Vec<(String, usize, &str)> = CATEGORIES
        .iter()
        .map(|&c| {
            let n = findings().filter(|f| f.category == c).count();
            (c.title().to_string(), n, category_colour(c))
        })
        .collect();
    chart(out, "Findings by category", &categories);
    let severities: Vec<(String, usize, &str)> = SEVERITIES
        .iter()
        .map(|&s| (s.name().to_string(), by_severity(s), severity_colour(s)))
        .collect();
    chart(out, "Findings by severity", &severities);
    out.push_str("</div>\n");
    inputs_table(out, reports);
    out.push_str("</section>\n");
}

/// One row per input, linking to its section.
fn inputs_table(out: &mut String, reports: &[Report]) {
    out.push_str(
        "<h3>Inputs</h3>\n<table>\n<colgroup><col style=\"width:44%\"><col style=\"width:32%\">\
         <col><col><col></colgroup>\n<thead><tr><th>File</th><th>Package</th><th>Errors</th>\
         <th>Warnings</th><th>Info</th></tr></thead>\n<tbody>\n",
    );
    for (index, report) in reports.iter().enumerate() {
        let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
        let package = match (
            &report.error,
            report.facts.as_ref().and_then(|f| f.package.as_ref()),
        ) {
            (Some(_), _) => "<span class=\"sev error\">unreadable</span>".to_string(),
            (None, Some(package)) => format!("<code>{}</code>", escape(package)),
            (None, None) => "<span class=\"none\">—</span>".to_string(),
        };
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#input-{index}\" class=\"mono\">{}</a></td><td>{package}</td>\
             <td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&report.file),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// A horizontal bar chart as inline SVG: label, bar scaled to the largest count, count.
fn chart(out: &mut String, title: &str, bars: &[(String, usize, &str)]) {
    const WIDTH: usize = 560;
    const LABEL: usize = 170;
    const ROW: usize = 30;
    const BAR: usize = 20;
    const TRACK: usize = WIDTH - LABEL - 60;
    let height = bars.len() * ROW + 10;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let _ = writeln!(
        out,
        "<figure class=\"chart\" style=\"margin:0\"><h3>{}</h3>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{}\">",
        escape(title),
        escape(title)
    );
    for (row, (label, count, colour)) in bars.iter().enumerate() {
        let y = 5 + row * ROW;
        let length = if *count == 0 {
            0
        } else {
            (count * TRACK / max).max(3)
        };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" fill=\"#202124\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{TRACK}\" height=\"{BAR}\" fill=\"#f1f3f4\"/>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{length}\" height=\"{BAR}\" fill=\"{colour}\"><title>{}: {count}</title></rect>\
             <text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"600\" fill=\"#202124\">{count}</text>",
            LABEL - 8,
            y + 15,
            escape(label),
            escape(label),
            LABEL + length + 6,
            y + 15
        );
    }
    out.push_str("</svg></figure>\n");
}

fn app_section(out: &mut String, index: usize, report: &Report) {
    let _ = writeln!(
        out,
        "<section class=\"app\" id=\"input-{index}\">\n<h2 class=\"mono\">{}</h2>",
        escape(&report.file)
    );
    if let Some(error) = &report.error {
        let _ = writeln!(out, "<p class=\"unreadable\">Unreadable: {}</p>", escape(error));
    }
    if let Some(facts) = &report.facts {
        facts_list(out, report, facts);
    }
    if !report.problems.is_empty() {
        out.push_str("<h3>Parts that could not be read</h3>\n<ul>\n");
        for problem in &report.problems {
            let _ = writeln!(
                out,
                "<li><code>{}</code>: {}</li>",
                escape(&problem.entry),
                escape(&problem.reason)
            );
        }
        out.push_str("</ul>\n");
    }
    if report.facts.is_some() {
        findings_table(out, report);
    }
    out.push_str("</section>\n");
}

fn facts_list(out: &mut String, report: &Report, facts: &Facts) {
    out.push_str("<dl class=\"facts\">\n");
    let mut item = |label: &str, html: String| {
        let _ = writeln!(out, "<dt>{label}</dt><dd>{html}</dd>");
    };
    let none = || "<span class=\"none\">—</span>".to_string();
    let mut kind = facts.kind.to_string();
    if let Some(size) = report.size {
        let _ = write!(kind, ", {}", render::human_size(size));
    }
    item("Kind", escape(&kind));
    item(
        "Package",
        facts.package.as_deref().map_or_else(none, |p| {
            let split = facts
                .split
                .as_deref()
                .map(|s| format!(" (split {})", escape(s)))
                .unwrap_or_default();
            format!("<code>{}</code>{split}", escape(p))
        }),
    );
    let version = match (&facts.version_code, &facts.version_name) {
        (Some(code), Some(name)) => Some(format!("{code} ({name})")),
        (Some(code), None) => Some(code.to_string()),
        (None, Some(name)) => Some(name.clone()),
        (None, None) => None,
    };
    item("Version", version.map_or_else(none, |v| escape(&v)));
    if facts.package.is_some() {
        let sdk = |sdk: &Option<Sdk>| match sdk {
            Some(Sdk::Level(level)) => level.to_string(),
            Some(Sdk::Codename(name)) => name.clone(),
            None => "unset".into(),
        };
        item(
            "SDK",
            escape(&format!(
                "min {}, target {}",
                sdk(&facts.min_sdk),
                sdk(&facts.target_sdk)
            )),
        );
    }
    item(
        "ABIs",
        if facts.abis.is_empty() {
            "<span class=\"none\">none (no native libraries)</span>".into()
        } else {
            escape(&facts.abis.join(", "))
        },
    );
    item(
        "Signing",
        facts
            .signing
            .as_ref()
            .map_or_else(none, |s| escape(&render::signing_line(s))),
    );
    if let Some(sha256) = &report.sha256 {
        item("SHA-256", format!("<code>{}</code>", escape(sha256)));
    }
    out.push_str("</dl>\n");
}

fn findings_table(out: &mut String, report: &Report) {
    let findings = &report.findings;
    let _ = writeln!(out, "<h3>Findings ({})</h3>", findings.len());
    if findings.is_empty() {
        out.push_str("<p class=\"none\">No rule finds anything wrong.</p>\n");
        return;
    }
    out.push_str(
        "<table class=\"findings\">\n<colgroup><col style=\"width:8%\"><col style=\"width:9%\">\
         <col style=\"width:22%\"><col style=\"width:29%\"><col style=\"width:7%\">\
         <col style=\"width:25%\"></colgroup>\n<thead><tr><th>Code</th><th>Severity</th>\
         <th>Location</th><th>Message</th><th>Fixable</th><th>Fix hint</th></tr></thead>\n<tbody>\n",
    );
    for finding in findings {
        let hint = rules::find(finding.code).map_or("", |rule| render::first_sentence(rule.fix));
        let place = finding.location.describe();
        let _ = writeln!(
            out,
            "<tr><td><code title=\"{}\">{}</code></td><td><span class=\"sev {}\">{}</span></td>\
             <td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(finding.name),
            escape(finding.code),
            finding.severity.name(),
            finding.severity.name(),
            if place.is_empty() {
                "<span class=\"none\">—</span>".to_string()
            } else {
                escape(&place)
            },
            escape(&finding.message),
            if finding.fixable { "yes" } else { "no" },
            escape(hint)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn severity_colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "#c62828",
        Severity::Warning => "#e65100",
        Severity::Info => "#1565c0",
    }
}

fn category_colour(category: Category) -> &'static str {
    match category {
        Category::Manifest => "#6a1b9a",
        Category::DexApi => "#2e7d32",
        Category::Native => "#1565c0",
        Category::Packaging => "#00838f",
        Category::Runtime => "#ad1457",
        Category::VendorLockIn => "#5d4037",
    }
}

/// Text made safe for HTML element content and quoted attribute values: the five markup
/// characters become references; control characters and the bidirectional overrides that can
/// make a name read as something else are shown escaped (`\u{202e}`), as the text renderer
/// shows them.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => out.extend(c.escape_unicode()),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape(r#"a" onmouseover="x' & 'y"#),
            "a&quot; onmouseover=&quot;x&#39; &amp; &#39;y"
        );
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("plain org.example.App"), "plain org.example.App");
        assert_eq!(escape("é ü 日本"), "é ü 日本");
    }

    #[test]
    fn escape_shows_control_and_bidi_characters() {
        assert_eq!(escape("a\u{1b}[31m\0b"), "a\\u{1b}[31m\\u{0}b");
        assert_eq!(escape("evil\u{202e}kpa.exe"), "evil\\u{202e}kpa.exe");
        assert_eq!(escape("line\nnext"), "line\nnext");
    }

    #[test]
    fn page_is_self_contained_and_escapes_input_strings() {
        let hostile = "<img src=x onerror=alert(1)>.apk";
        let report = analyzer::report::unreadable(hostile, "bad \"zip\" <b>".into());
        let page = render(&[report]);
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("<b>"));
        assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;.apk"));
        assert!(page.contains("bad &quot;zip&quot; &lt;b&gt;"));
        for external in ["<script", "<link", "src=\"http", "href=\"http", "url(", "@import"] {
            assert!(!page.contains(external), "page has {external}");
        }
        assert!(page.contains("<svg"));
        assert!(page.ends_with("</html>\n"));
    }
}
