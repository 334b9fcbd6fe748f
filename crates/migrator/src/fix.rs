//! What `hyper-migrate fix` changes: a plan made from the analyzer's findings (each change
//! names the finding it resolves), and the manifest edits that carry it out. The container
//! half of every plan (re-emitting the entries aligned, `resources.arsc` stored, libraries
//! stored and page-aligned, old signatures dropped, then signing) always runs: an output of
//! `fix` is aligned and signed whatever the input was.

use analyzer::report::Report;
use analyzer::rules::{Finding, Selection};

use crate::axml_edit::{EditError, XmlEditor};

/// One change, and the finding it resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub code: &'static str,
    pub name: &'static str,
    /// The finding's own message, for the user to match the change with the report.
    pub finding: String,
    pub change: Change,
}

/// A change `fix` can make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Remove `android:<attr>` from the elements at `path` (`manifest/application`).
    RemoveManifestAttribute { path: &'static str, attr: &'static str },
    /// Store every native library uncompressed, at a page boundary.
    StoreNativeLibraries,
    /// Store `resources.arsc` uncompressed, 4-byte aligned.
    StoreResourceTable,
    /// Align every stored entry (4 bytes; libraries to the page size).
    Align,
    /// Sign with v2 and v3 (and v1 for platforms below Android 7.0).
    Sign,
}

impl Change {
    /// What the change does, in one line.
    pub fn describe(&self) -> String {
        match self {
            Change::RemoveManifestAttribute { path, attr } => {
                let element = path.rsplit('/').next().unwrap_or(path);
                format!("remove android:{attr} from <{element}> in AndroidManifest.xml")
            }
            Change::StoreNativeLibraries => "store native libraries uncompressed and page-aligned".into(),
            Change::StoreResourceTable => "store resources.arsc uncompressed and 4-byte aligned".into(),
            Change::Align => "align stored entries (4 bytes; native libraries to the page size)".into(),
            Change::Sign => "sign with APK Signature Schemes v2 and v3 (and v1 below API 24)".into(),
        }
    }
}

/// The changes for an input, and the findings `fix` leaves as they are.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub changes: Vec<Planned>,
    /// Findings no change resolves: not fixable, not selected, or needing what was not given.
    pub remaining: Vec<(Finding, &'static str)>,
}

impl Plan {
    /// The manifest edits of the plan, once each.
    pub fn manifest_edits(&self) -> Vec<(&'static str, &'static str)> {
        let mut edits = Vec::new();
        for planned in &self.changes {
            if let Change::RemoveManifestAttribute { path, attr } = planned.change
                && !edits.contains(&(path, attr))
            {
                edits.push((path, attr));
            }
        }
        edits
    }
}

/// The change that resolves `finding`, if `fix` has one. `signing_key_given` tells whether the
/// user supplied a key: a debug certificate is only replaced by a real one.
fn change_for(finding: &Finding, signing_key_given: bool) -> Result<Change, &'static str> {
    Ok(match finding.code {
        "HC1005" => Change::RemoveManifestAttribute {
            path: "manifest/application",
            attr: "debuggable",
        },
        "HC1014" => Change::RemoveManifestAttribute {
            path: "manifest/uses-sdk",
            attr: "maxSdkVersion",
        },
        "HC1016" => Change::RemoveManifestAttribute {
            path: "manifest/application",
            attr: "testOnly",
        },
        "HC1004" | "HC3002" => Change::StoreNativeLibraries,
        "HC4001" => Change::StoreResourceTable,
        "HC4002" => Change::Align,
        "HC4003" | "HC4004" => Change::Sign,
        "HC4008" if signing_key_given => Change::Sign,
        "HC4008" => return Err("needs a release key (--ks, or --key and --cert)"),
        _ if finding.fixable => return Err("fixable in principle, not by this version of fix"),
        _ => return Err("not fixable automatically"),
    })
}

/// Plans the changes for the findings of `report` that `selection` includes.
pub fn plan(report: &Report, selection: &Selection, signing_key_given: bool) -> Plan {
    let mut plan = Plan::default();
    for finding in &report.findings {
        let selected = analyzer::rules::find(finding.code).is_some_and(|rule| selection.includes(rule));
        if !selected {
            plan.remaining.push((finding.clone(), "not selected"));
            continue;
        }
        match change_for(finding, signing_key_given) {
            Ok(change) => plan.changes.push(Planned {
                code: finding.code,
                name: finding.name,
                finding: finding.message.clone(),
                change,
            }),
            Err(why) => plan.remaining.push((finding.clone(), why)),
        }
    }
    plan
}

/// Applies the plan's manifest edits to a compiled manifest; `None` when nothing changes.
pub fn edit_manifest(manifest: &[u8], plan: &Plan) -> Result<Option<Vec<u8>>, EditError> {
    let edits = plan.manifest_edits();
    if edits.is_empty() {
        return Ok(None);
    }
    let mut editor = XmlEditor::parse(manifest)?;
    let mut changed = false;
    for (path, attr) in edits {
        // Removing shifts nothing between elements: node indices stay valid.
        for element in editor.find(path) {
            changed |= editor.remove_android_attr(element, attr);
        }
    }
    Ok(if changed { Some(editor.to_bytes()?) } else { None })
}
