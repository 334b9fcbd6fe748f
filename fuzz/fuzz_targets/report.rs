//! The whole analysis on arbitrary bytes, as `hyper-migrate analyze` runs it: kind detection,
//! APK/bundle/AAR/JAR/DEX/ELF facts, signature verification, the plain-text manifest of AARs,
//! and JSON serialization of the report. No panic; the report always names an error or facts.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = analyzer::report::analyze("input", data);
    assert!(report.error.is_some() || report.facts.is_some());
    let _ = serde_json::to_string(&report).unwrap();
});
