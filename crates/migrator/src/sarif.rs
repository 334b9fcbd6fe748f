//! SARIF 2.1.0 for code-scanning tools: one run over every input, the whole rule registry as
//! `tool.driver.rules`, one result per finding. The mapping is documented in
//! docs/report-schema.md ("SARIF").
//!
//! Where a finding is: the input file is the physical location (an `artifacts[]` entry with its
//! SHA-256); the place inside it (`classes.dex!Lorg/x/Main;->run()V`, `AndroidManifest.xml!
//! application`, `lib/x86/a.so!.text`) is a logical location, and the DEX code-unit offset or
//! ELF virtual address goes to the result's property bag. A `region.byteOffset` is only right
//! for a byte offset in the input file itself, and no finding carries one today, so no region is
//! written rather than an invented one.

use std::collections::BTreeMap;
use std::path::Path;

use analyzer::report::Report;
use analyzer::rules::{self, Finding, Rule, Severity};
use serde_json::{Map, Value, json};

/// The schema URI SARIF 2.1.0 logs name.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Base of relative input paths: the directory `hyper-migrate` ran in.
const SRCROOT: &str = "SRCROOT";

/// The whole log. `cwd` resolves the inputs given as relative paths (`originalUriBaseIds`);
/// without it they stay relative to an unnamed base.
pub fn render(reports: &[Report], cwd: Option<&Path>) -> Value {
    let registry = rules::registry();
    let rule_index: BTreeMap<&str, usize> = registry
        .iter()
        .enumerate()
        .map(|(index, rule)| (rule.code, index))
        .collect();
    let mut artifacts = Vec::new();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for report in reports {
        let index = artifacts.len();
        let location = artifact_location(&report.file, Some(index));
        artifacts.push(artifact(report));
        if let Some(error) = &report.error {
            notifications.push(json!({
                "level": "error",
                "message": { "text": format!("{}: {error}", report.file) },
                "locations": [{ "physicalLocation": { "artifactLocation": location.clone() } }],
            }));
        }
        for problem in &report.problems {
            notifications.push(json!({
                "level": "warning",
                "message": { "text": format!("{}: {}: {}", report.file, problem.entry, problem.reason) },
                "locations": [{
                    "physicalLocation": { "artifactLocation": location.clone() },
                    "logicalLocations": [{ "fullyQualifiedName": problem.entry, "kind": "module" }],
                }],
            }));
        }
        for finding in &report.findings {
            results.push(result(finding, &rule_index, &location));
        }
    }
    let mut run = Map::new();
    run.insert("tool".into(), json!({ "driver": driver(registry) }));
    run.insert(
        "invocations".into(),
        json!([{
            "executionSuccessful": reports.iter().all(|r| r.error.is_none()),
            "toolExecutionNotifications": notifications,
        }]),
    );
    if let Some(base) = cwd.and_then(directory_uri) {
        run.insert("originalUriBaseIds".into(), json!({ SRCROOT: { "uri": base } }));
    }
    run.insert("artifacts".into(), Value::Array(artifacts));
    run.insert("results".into(), Value::Array(results));
    run.insert("columnKind".into(), json!("unicodeCodePoints"));
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [Value::Object(run)],
    })
}

fn driver(registry: &[&Rule]) -> Value {
    let rules: Vec<Value> = registry.iter().map(|rule| rule_descriptor(rule)).collect();
    json!({
        "name": "hyper-migrate",
        "fullName": "HyperCompat hyper-migrate",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": env!("CARGO_PKG_REPOSITORY"),
        "rules": rules,
    })
}

fn rule_descriptor(rule: &Rule) -> Value {
    let category = rule.category().name();
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.what },
        "help": {
            "text": format!("What it does: {}\n\nWhy it matters: {}\n\nHow to fix it: {}",
                rule.what, rule.why, rule.fix),
            "markdown": format!("**What it does.** {}\n\n**Why it matters.** {}\n\n**How to fix it.** {}",
                rule.what, rule.why, rule.fix),
        },
        "helpUri": format!("{}/blob/main/docs/rules.md#{}", env!("CARGO_PKG_REPOSITORY"),
            rule.code.to_lowercase()),
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "category": category,
            "fixable": rule.fixable,
            "tags": [category],
        },
    })
}

/// SARIF's levels: `info` findings are notes.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn artifact(report: &Report) -> Value {
    let mut artifact = Map::new();
    artifact.insert("location".into(), artifact_location(&report.file, None));
    artifact.insert("roles".into(), json!(["analysisTarget"]));
    if let Some(size) = report.size {
        artifact.insert("length".into(), json!(size));
    }
    if let Some(sha256) = &report.sha256 {
        artifact.insert("hashes".into(), json!({ "sha-256": sha256 }));
    }
    if let Some(facts) = &report.facts {
        artifact.insert(
            "properties".into(),
            json!({ "kind": facts.kind, "package": facts.package }),
        );
    }
    Value::Object(artifact)
}

/// The input as given: an absolute path becomes a `file:` URI, a relative one stays relative
/// to `SRCROOT` (the working directory).
fn artifact_location(file: &str, index: Option<usize>) -> Value {
    let mut location = Map::new();
    if file.starts_with('/') {
        location.insert("uri".into(), json!(format!("file://{}", percent_encode(file))));
    } else {
        location.insert("uri".into(), json!(percent_encode(file)));
        location.insert("uriBaseId".into(), json!(SRCROOT));
    }
    if let Some(index) = index {
        location.insert("index".into(), json!(index));
    }
    Value::Object(location)
}

fn result(finding: &Finding, rule_index: &BTreeMap<&str, usize>, artifact: &Value) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(finding.code));
    if let Some(index) = rule_index.get(finding.code) {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(level(finding.severity)));
    result.insert("message".into(), json!({ "text": finding.message }));
    let mut location = Map::new();
    location.insert(
        "physicalLocation".into(),
        json!({ "artifactLocation": artifact.clone() }),
    );
    if let Some(logical) = logical_location(finding) {
        location.insert("logicalLocations".into(), json!([logical]));
    }
    result.insert("locations".into(), json!([Value::Object(location)]));
    let mut properties = Map::new();
    properties.insert("category".into(), json!(finding.category.name()));
    properties.insert("fixable".into(), json!(finding.fixable));
    let at = &finding.location;
    if let Some(entry) = &at.entry {
        properties.insert("entry".into(), json!(entry));
    }
    if let Some(offset) = at.offset {
        // The model's one offset field means code units for DEX places, an address for ELF.
        let key = if at.class.is_some() || at.method.is_some() {
            "dexCodeUnitOffset"
        } else {
            "elfAddress"
        };
        properties.insert(key.into(), json!(offset));
    }
    result.insert("properties".into(), Value::Object(properties));
    Value::Object(result)
}

/// `entry!class->method` and the like: the place inside the input, when the finding names one.
fn logical_location(finding: &Finding) -> Option<Value> {
    let at = &finding.location;
    let inner = match (&at.class, &at.method, &at.element, &at.section) {
        (Some(class), Some(method), _, _) => Some((format!("{class}->{method}"), method, "function")),
        (Some(class), None, _, _) => Some((class.clone(), class, "type")),
        (None, _, Some(element), _) => Some((element.clone(), element, "element")),
        (None, _, None, Some(section)) => Some((section.clone(), section, "module")),
        _ => None,
    };
    let (fully_qualified, name, kind) = match (&at.entry, inner) {
        (Some(entry), Some((inner, name, kind))) => (format!("{entry}!{inner}"), name.clone(), kind),
        (None, Some((inner, name, kind))) => (inner, name.clone(), kind),
        (Some(entry), None) => (entry.clone(), entry.clone(), "module"),
        (None, None) => return None,
    };
    Some(json!({ "name": name, "fullyQualifiedName": fully_qualified, "kind": kind }))
}

/// `file:///dir/` for an absolute directory (with the trailing slash base URIs need).
fn directory_uri(dir: &Path) -> Option<String> {
    let text = dir.to_str()?;
    if !text.starts_with('/') {
        return None;
    }
    let mut uri = format!("file://{}", percent_encode(text));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Some(uri)
}

/// A path as a URI path: unreserved characters and `/` as they are, every other byte
/// percent-encoded (file names can hold spaces, `<`, `%`, `#` and any Unicode).
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_valid_uris() {
        assert_eq!(percent_encode("corpus/a b.apk"), "corpus/a%20b.apk");
        assert_eq!(
            percent_encode("<img src=x>#%.apk"),
            "%3Cimg%20src%3Dx%3E%23%25.apk"
        );
        assert_eq!(percent_encode("é"), "%C3%A9");
        assert_eq!(
            artifact_location("/t/a.apk", Some(3)),
            json!({ "uri": "file:///t/a.apk", "index": 3 })
        );
        assert_eq!(
            artifact_location("t/a.apk", None),
            json!({ "uri": "t/a.apk", "uriBaseId": "SRCROOT" })
        );
        assert_eq!(directory_uri(Path::new("/w")).as_deref(), Some("file:///w/"));
    }

    #[test]
    fn unreadable_inputs_are_error_notifications() {
        let report = analyzer::report::unreadable("gone.apk", "No such file".into());
        let log = render(&[report], None);
        let run = &log["runs"][0];
        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
        let notification = &run["invocations"][0]["toolExecutionNotifications"][0];
        assert_eq!(notification["level"], "error");
        assert_eq!(notification["message"]["text"], "gone.apk: No such file");
        assert_eq!(run["results"], json!([]));
        assert!(run["artifacts"][0].get("hashes").is_none());
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            rules::registry().len()
        );
    }
}
