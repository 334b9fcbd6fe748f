//! The whole-run report formats, checked by outside tools: the SARIF log by Microsoft's SARIF
//! Multitool (`scripts/sarif-multitool`, npm, pinned), the HTML page by headless Chromium.
//! A missing tool fails the test with the command that installs it: never a silent skip.
//!
//! Every run covers the corpus plus two extra inputs: a copy of a corpus APK under a hostile
//! file name (markup in a name must stay text) and a file that is not an APK (it must show up
//! as an unreadable input, not vanish).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A file name that is markup.
const HOSTILE: &str = "<img src=x onerror=alert(1)>.apk";
const BROKEN: &str = "broken.apk";

/// Fails with the command that installs `tool` when it cannot be run.
fn require(tool: &str, args: &[&str], install: &str) {
    let found = Command::new(tool)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{tool}` is needed for this test and could not be run; install it with `{install}` \
         (or run scripts/install-deps)"
    );
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh directory holding the hostile copy and the broken input, plus the corpus.
struct Inputs {
    dir: tempfile::TempDir,
    corpus: PathBuf,
    apps: Vec<corpus::App>,
}

impl Inputs {
    fn new() -> Inputs {
        let corpus = corpus::default_out_dir();
        let apps = corpus::ensure_built(&corpus).unwrap();
        let dir = tempfile::Builder::new()
            .prefix("reports-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .unwrap();
        let native_4k = apps.iter().find(|a| a.name == "native-4k").unwrap();
        std::fs::copy(native_4k.apk_path(&corpus), dir.path().join(HOSTILE)).unwrap();
        std::fs::write(dir.path().join(BROKEN), b"not a zip\n").unwrap();
        Inputs { dir, corpus, apps }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `hyper-migrate analyze --fail-on never` over the corpus (absolute path) and the two extra
    /// files (relative paths), run in the temporary directory.
    fn analyze(&self, format: &str, output: Option<&str>) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hyper-migrate"));
        command
            .current_dir(self.dir.path())
            .args(["analyze", "--fail-on", "never", "--format", format]);
        if let Some(output) = output {
            command.args(["-o", output]);
        }
        let result = command
            .arg(&self.corpus)
            .arg(HOSTILE)
            .arg(BROKEN)
            .output()
            .unwrap();
        // The broken input makes the run exit with 2, and only that.
        assert_eq!(result.status.code(), Some(2), "stderr: {}", text(&result.stderr));
        let stderr = text(&result.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(BROKEN), "{stderr}");
        result
    }

    fn jsonl(&self) -> Vec<Value> {
        let result = self.analyze("jsonl", None);
        let reports: Vec<Value> = text(&result.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(reports.len(), self.apps.len() + 2);
        reports
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `scripts/sarif-multitool ARGS` (installs the pinned Multitool on first use).
fn multitool(args: &[&std::ffi::OsStr]) -> Output {
    require("npm", &["--version"], "apt-get install nodejs npm");
    let output = Command::new("bash")
        .arg(repo_root().join("scripts/sarif-multitool"))
        .args(args)
        .env(
            "SARIF_MULTITOOL_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarif-multitool"),
        )
        .output()
        .unwrap();
    assert_ne!(
        output.status.code(),
        Some(127),
        "the SARIF Multitool could not be installed: {}",
        text(&output.stderr)
    );
    output
}

/// Validates `log` and returns the Multitool's error-level results (`ruleId: message`), after
/// checking that the validation itself ran.
fn validation_errors(log: &Path) -> Vec<String> {
    let report = log.with_extension("validation.sarif");
    let _ = std::fs::remove_file(&report);
    let output = multitool(&[
        "validate".as_ref(),
        log.as_os_str(),
        "--output".as_ref(),
        report.as_os_str(),
    ]);
    let stdout = text(&output.stdout);
    assert!(
        report.exists(),
        "the Multitool wrote no validation log: {stdout}\n{}",
        text(&output.stderr)
    );
    let validation: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let run = &validation["runs"][0];
    for invocation in run["invocations"].as_array().unwrap() {
        assert_eq!(
            invocation["executionSuccessful"], true,
            "the Multitool did not finish: {stdout}"
        );
        for list in ["toolExecutionNotifications", "toolConfigurationNotifications"] {
            if let Some(notes) = invocation[list].as_array() {
                let errors: Vec<&Value> = notes.iter().filter(|n| n["level"] == "error").collect();
                assert!(errors.is_empty(), "Multitool {list}: {errors:?}");
            }
        }
    }
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let mut errors = Vec::new();
    for result in run["results"].as_array().unwrap() {
        // A result without its own level has its rule's default level, else "warning".
        let rule = result["ruleIndex"].as_u64().and_then(|i| rules.get(i as usize));
        let level = result["level"]
            .as_str()
            .or_else(|| rule.and_then(|r| r["defaultConfiguration"]["level"].as_str()))
            .unwrap_or("warning");
        if level == "error" {
            errors.push(format!("{}: {}", result["ruleId"], result["message"]));
        }
    }
    errors
}

#[test]
fn sarif_log_is_valid_and_holds_every_finding() {
    let inputs = Inputs::new();
    let reports = inputs.jsonl();
    inputs.analyze("sarif", Some("out.sarif"));
    let log_path = inputs.path("out.sarif");
    let log: Value = serde_json::from_slice(&std::fs::read(&log_path).unwrap()).unwrap();

    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "hyper-migrate");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));

    // Every rule of the registry, in order, with its metadata.
    let rules = driver["rules"].as_array().unwrap();
    let registry = analyzer::rules::registry();
    assert_eq!(rules.len(), registry.len());
    for (rule, known) in rules.iter().zip(registry) {
        assert_eq!(rule["id"], known.code);
        assert_eq!(rule["name"], known.name);
        assert_eq!(rule["shortDescription"]["text"], known.summary);
        assert_eq!(rule["fullDescription"]["text"], known.what);
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        assert!(markdown.contains(known.why) && markdown.contains(known.fix));
        let level = match known.severity.name() {
            "info" => "note",
            other => other,
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level);
        assert_eq!(rule["properties"]["category"], known.category().name());
        assert_eq!(rule["properties"]["fixable"], known.fixable);
    }

    // One result per finding of the JSONL run, each pointing at its rule.
    let findings: Vec<(&Value, &Value)> = reports
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap().iter().map(move |f| (r, f)))
        .collect();
    assert!(findings.len() > 20, "the corpus should find plenty");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    let artifacts = run["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), reports.len());
    let mut kinds = BTreeSet::new();
    for (result, (report, finding)) in results.iter().zip(&findings) {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex of {id}");
        assert_eq!(id, finding["code"]);
        assert_eq!(result["message"]["text"], finding["message"]);
        let level = result["level"].as_str().unwrap();
        assert_eq!(level, rules[index]["defaultConfiguration"]["level"]);
        let location = &result["locations"][0];
        let artifact = &location["physicalLocation"]["artifactLocation"];
        let artifact_index = artifact["index"].as_u64().unwrap() as usize;
        assert_eq!(artifacts[artifact_index]["location"]["uri"], artifact["uri"]);
        assert_eq!(
            artifacts[artifact_index]["hashes"]["sha-256"], report["sha256"],
            "{id} in {}",
            report["file"]
        );
        // No byte offset in the input is known for any finding today: none may be made up.
        assert!(location["physicalLocation"].get("region").is_none());
        if let Some(logical) = location["logicalLocations"].as_array() {
            let logical = &logical[0];
            kinds.insert(logical["kind"].as_str().unwrap().to_string());
            let name = logical["fullyQualifiedName"].as_str().unwrap();
            if let Some(entry) = finding["location"]["entry"].as_str() {
                assert!(name.starts_with(entry), "{name} for {entry}");
            }
            if let (Some(class), Some(method)) = (
                finding["location"]["class"].as_str(),
                finding["location"]["method"].as_str(),
            ) {
                assert!(name.ends_with(&format!("!{class}->{method}")), "{name}");
                assert_eq!(
                    result["properties"]["dexCodeUnitOffset"],
                    finding["location"]["offset"]
                );
            }
        }
    }
    assert!(
        kinds.contains("function"),
        "no DEX method location among {kinds:?}"
    );
    assert!(kinds.contains("element"), "no manifest element among {kinds:?}");

    // Inputs as given: the corpus as file: URIs, the others relative to SRCROOT, escaped.
    let uris: Vec<&str> = artifacts
        .iter()
        .map(|a| a["location"]["uri"].as_str().unwrap())
        .collect();
    assert!(
        uris.iter()
            .any(|u| u.starts_with("file:///") && u.ends_with("/minimal.apk"))
    );
    let hostile = artifacts
        .iter()
        .find(|a| a["location"]["uri"] == "%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.apk")
        .unwrap_or_else(|| panic!("no percent-encoded hostile name among {uris:?}"));
    assert_eq!(hostile["location"]["uriBaseId"], "SRCROOT");
    let base = run["originalUriBaseIds"]["SRCROOT"]["uri"].as_str().unwrap();
    assert!(base.starts_with("file:///") && base.ends_with('/'), "{base}");

    // The unreadable input: an error notification, and the run not successful.
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let errors: Vec<&Value> = invocation["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["level"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["message"]["text"].as_str().unwrap().starts_with(BROKEN));

    let errors = validation_errors(&log_path);
    assert!(
        errors.is_empty(),
        "SARIF Multitool errors:\n{}",
        errors.join("\n")
    );
}

/// The validation above would pass on any log if the Multitool found nothing: a log with a
/// dangling `ruleIndex` and a relative `helpUri` must fail it.
#[test]
fn the_multitool_rejects_a_broken_log() {
    let inputs = Inputs::new();
    inputs.analyze("sarif", Some("out.sarif"));
    let mut log: Value = serde_json::from_slice(&std::fs::read(inputs.path("out.sarif")).unwrap()).unwrap();
    log["runs"][0]["results"][0]["ruleIndex"] = 9999.into();
    log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "docs/rules.md#hc1001".into();
    let broken = inputs.path("broken.sarif");
    std::fs::write(&broken, serde_json::to_vec_pretty(&log).unwrap()).unwrap();
    let errors = validation_errors(&broken);
    assert!(
        errors.iter().any(|e| e.contains("SARIF1009")),
        "dangling ruleIndex not reported: {errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("SARIF1002")),
        "relative helpUri not reported: {errors:?}"
    );
}

/// Runs headless Chromium on `page` with `args`; bounded by `timeout`, synchronised by its exit.
fn chromium(dir: &Path, page: &Path, args: &[&str]) -> Output {
    require("chromium", &["--version"], "apt-get install chromium");
    let output = Command::new("timeout")
        .args(["120", "chromium", "--headless", "--no-sandbox", "--disable-gpu"])
        .args(["--no-first-run", "--disable-extensions", "--hide-scrollbars"])
        .arg(format!(
            "--user-data-dir={}",
            dir.join("chromium-profile").display()
        ))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "chromium failed ({:?}): {}",
        output.status,
        text(&output.stderr)
    );
    output
}

#[test]
fn html_report_is_self_contained_escaped_and_renders() {
    let inputs = Inputs::new();
    let reports = inputs.jsonl();
    inputs.analyze("html", Some("report.html"));
    let page_path = inputs.path("report.html");
    let page = std::fs::read_to_string(&page_path).unwrap();

    // The hostile name is text, never markup.
    assert!(!page.contains("<img"), "raw markup from a file name");
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;.apk"));
    // Self-contained: nothing to fetch, nothing to run.
    for external in [
        "<script",
        "<link",
        "<iframe",
        "src=\"",
        "href=\"http",
        "url(",
        "@import",
    ] {
        assert!(!page.contains(external), "the page has `{external}`");
    }
    assert_eq!(page.matches("<svg").count(), 2, "two charts");
    // Every input has a section, every finding a row, every package its name.
    assert_eq!(page.matches("<section class=\"app\"").count(), reports.len());
    let findings: usize = reports
        .iter()
        .map(|r| r["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(page.matches("<tr><td><code title=").count(), findings);
    for report in &reports {
        if let Some(package) = report["facts"]["package"].as_str() {
            assert!(page.contains(package), "{package}");
        }
    }
    let mut by_category: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in reports.iter().flat_map(|r| r["findings"].as_array().unwrap()) {
        *by_category
            .entry(finding["category"].as_str().unwrap())
            .or_default() += 1;
    }
    for category in analyzer::rules::registry().iter().map(|r| r.category()) {
        let count = by_category.get(category.name()).copied().unwrap_or(0);
        assert!(
            page.contains(&format!("{}: {count}</title>", category.title())),
            "chart bar for {} ({count})",
            category.title()
        );
    }

    // The browser's DOM holds no element made from the name.
    let dom = text(&chromium(inputs.dir.path(), &page_path, &["--dump-dom"]).stdout);
    assert!(dom.contains("HyperCompat migration report"), "{dom:.500}");
    assert!(!dom.contains("<img"), "an <img> element in the DOM");

    // And it draws something: the screenshot is not blank and shows the severity colours.
    let shot = inputs.path("report.png");
    chromium(
        inputs.dir.path(),
        &page_path,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
        ],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    assert_eq!((frame.width, frame.height), (1280, 2000));
    let channels = frame.color_type.samples();
    assert!(
        channels >= 3 && frame.bit_depth == png::BitDepth::Eight,
        "{frame:?}"
    );
    let pixels: Vec<[u8; 3]> = buffer[..frame.buffer_size()]
        .chunks_exact(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut counts: BTreeMap<[u8; 3], usize> = BTreeMap::new();
    for pixel in &pixels {
        *counts.entry(*pixel).or_default() += 1;
    }
    let (background, background_count) = counts.iter().max_by_key(|(_, n)| **n).unwrap();
    let differing = pixels.len() - background_count;
    assert!(
        differing * 100 >= pixels.len() * 3,
        "only {differing} of {} pixels differ from the background {background:?}",
        pixels.len()
    );
    let near = |pixel: &[u8; 3], colour: [u8; 3]| pixel.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 12);
    for (name, colour) in [("error", [0xc6, 0x28, 0x28]), ("info", [0x15, 0x65, 0xc0])] {
        let n = pixels.iter().filter(|p| near(p, colour)).count();
        assert!(
            n >= 300,
            "only {n} pixels in the {name} colour: the charts did not draw"
        );
    }
}
