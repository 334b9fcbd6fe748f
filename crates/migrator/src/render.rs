//! Plain-text rendering of what the analyzer read.

use std::fmt::Write;
use std::path::Path;

use analyzer::apk::ApkInventory;
use analyzer::signing_block::block_name;

/// A few aligned lines per APK, readable on an 80-column terminal.
pub fn inventory_text(path: &Path, inv: &ApkInventory) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let mut line = |label: &str, text: String| {
        let _ = writeln!(out, "  {label:<10} {text}");
    };
    let mut head = String::new();
    let _ = writeln!(head, "{} ({} entries)", path.display(), inv.entries);

    if inv.dex.is_empty() {
        line("dex", "none".into());
    }
    for dex in &inv.dex {
        let h = &dex.header;
        line(
            "dex",
            format!(
                "{} v{:03}: {} classes, {} method refs, {} field refs, {} strings",
                dex.entry, h.version, h.class_defs, h.method_ids, h.field_ids, h.string_ids
            ),
        );
    }
    if inv.native.is_empty() {
        line("native", "none".into());
    }
    for lib in &inv.native {
        let placement = if lib.stored {
            format!(
                "stored, zip offset aligned to {}",
                human_size(lib.zip_alignment())
            )
        } else {
            "compressed".into()
        };
        line("native", format!("{} ({placement})", lib.entry));
    }
    line(
        "resources",
        match inv.arsc {
            None => "no resources.arsc".into(),
            Some(arsc) if arsc.stored => format!(
                "resources.arsc stored, {}",
                if arsc.data_offset.is_multiple_of(4) {
                    "4-byte aligned"
                } else {
                    "NOT 4-byte aligned"
                }
            ),
            Some(_) => "resources.arsc compressed".into(),
        },
    );
    let mut signing = Vec::new();
    if !inv.v1_signature_files.is_empty() {
        signing.push(format!("v1 files {}", inv.v1_signature_files.join(", ")));
    }
    match &inv.signing_block_ids {
        Some(ids) => {
            let names: Vec<String> = ids
                .iter()
                .map(|&id| block_name(id).map_or_else(|| format!("{id:#010x}"), str::to_string))
                .collect();
            signing.push(format!("APK Signing Block [{}]", names.join(", ")));
        }
        None if signing.is_empty() => signing.push("unsigned (no v1 files, no APK Signing Block)".into()),
        None => {}
    }
    line(
        "signing",
        format!("{} (signatures not verified yet)", signing.join("; ")),
    );
    let mut irregular = Vec::new();
    if !inv.misaligned_stored.is_empty() {
        irregular.push(format!(
            "misaligned stored: {}",
            first_few(&inv.misaligned_stored)
        ));
    }
    if !inv.duplicate_names.is_empty() {
        irregular.push(format!("duplicate names: {}", first_few(&inv.duplicate_names)));
    }
    if !inv.unsafe_names.is_empty() {
        irregular.push(format!("unsafe names: {}", first_few(&inv.unsafe_names)));
    }
    for (a, b) in &inv.overlapping_entries {
        irregular.push(format!("overlapping entries: {a} and {b}"));
    }
    if inv.trailing_bytes > 0 {
        irregular.push(format!("{} bytes after the end record", inv.trailing_bytes));
    }
    if irregular.is_empty() {
        irregular.push("aligned, no duplicate, unsafe or overlapping entries".into());
    }
    line("zip", irregular.join("; "));
    head + &out
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
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
