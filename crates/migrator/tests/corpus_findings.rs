//! The rules on the corpus: every app reports exactly the rule codes its recipe expects
//! (`[expect] findings`), and the full findings of each app are a reviewed `insta` snapshot
//! (`tests/snapshots/`), so a change in any message, location or severity is seen in review.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

#[test]
fn every_corpus_app_reports_what_its_recipe_expects() {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_hyper-migrate"))
        .args(["analyze", "--fail-on", "never", "--format", "jsonl"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let reports: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut problems = Vec::new();
    let mut fired = BTreeSet::new();
    for app in &apps {
        let file = app.apk_path(&out).display().to_string();
        let report = reports.iter().find(|r| r["file"] == file.as_str()).unwrap();
        let findings = report["findings"].as_array().unwrap();
        let codes: BTreeSet<String> = findings
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect();
        let expected: BTreeSet<String> = app.recipe.expect.findings.iter().cloned().collect();
        if codes != expected {
            problems.push(format!(
                "{}: reported {codes:?}, recipe expects {expected:?}",
                app.name
            ));
        }
        fired.extend(codes);
        // Paths differ between machines: snapshot what does not.
        let stable: Vec<Value> = findings.to_vec();
        insta::assert_json_snapshot!(app.name.clone(), stable);
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    // Portability: only the app built on Play services and Firebase is tied to a vendor.
    for report in &reports {
        let portability = &report["portability"];
        let tied = report["file"].as_str().unwrap().ends_with("/play-services.apk");
        let score = portability["score"].as_u64().unwrap();
        let vendors: Vec<&str> = portability["ties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["vendor"].as_str().unwrap())
            .collect();
        if tied {
            assert_eq!(
                vendors,
                ["Google Play services", "Firebase"],
                "{}",
                report["file"]
            );
            assert!(score < 50, "{score}");
        } else {
            assert_eq!((score, vendors.len()), (100, 0), "{}", report["file"]);
        }
    }
    // The clean baseline breaks nothing.
    let minimal = apps.iter().find(|a| a.name == "minimal").unwrap();
    assert!(minimal.recipe.expect.findings.is_empty());
    eprintln!(
        "{} of {} rules fire on the corpus",
        fired.len(),
        analyzer::rules::registry().len()
    );
}
