//! What `hyper-migrate fix` changes: a plan made from the analyzer's findings (each change
//! names the finding it resolves) and from what the user asked for ([`Requests`]), and the
//! manifest edits that carry it out. The container half of every plan (re-emitting the entries
//! aligned, `resources.arsc` stored, libraries stored and page-aligned, old signatures dropped,
//! then signing) always runs: an output of `fix` is aligned and signed whatever the input was.
//!
//! Automatic changes keep the app's behaviour; requested ones change what the user named and
//! nothing else. A change the manifest already satisfies edits nothing, so fixing a fixed APK
//! with the same requests gives the same bytes.

use analyzer::report::{Report, Sdk};
use analyzer::rules::{Finding, Profile, Selection};

use crate::axml_edit::{self, EditError, Value, XmlEditor, XmlNode};

/// The code of a planned change that was asked for and resolves no finding.
pub const REQUESTED: &str = "requested";

/// The component kinds whose `android:exported` an intent filter decided before Android 12.
const FILTERED_KINDS: [&str; 4] = ["activity", "activity-alias", "service", "receiver"];

/// Android 12: from this target on, a component with an intent filter must say whether it is
/// exported, or the app does not install.
const SDK_S: i32 = 31;

/// Where `<uses-permission>` elements are: the plain one and the API 23+ variants.
const PERMISSION_PATHS: &[&str] = &[
    "manifest/uses-permission",
    "manifest/uses-permission-sdk-23",
    "manifest/uses-permission-sdk-m",
];

/// Where `<meta-data>` elements are: on the application and on each kind of component.
const META_DATA_PATHS: &[&str] = &[
    "manifest/application/meta-data",
    "manifest/application/activity/meta-data",
    "manifest/application/activity-alias/meta-data",
    "manifest/application/service/meta-data",
    "manifest/application/receiver/meta-data",
    "manifest/application/provider/meta-data",
];

/// One change, and the finding it resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The finding's rule code, or [`REQUESTED`] for a requested change that resolves none.
    pub code: &'static str,
    /// The rule's name, or the flag for a [`REQUESTED`] change.
    pub name: &'static str,
    /// The finding's own message, for the user to match the change with the report (empty for
    /// a [`REQUESTED`] change).
    pub finding: String,
    pub change: Change,
    /// The `fix` flag that asked for the change; `None` for the automatic fixes.
    pub flag: Option<&'static str>,
}

/// A change `fix` can make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Remove `android:<attr>` from the elements at `path` (`manifest/application`).
    RemoveManifestAttribute { path: &'static str, attr: &'static str },
    /// Set `android:<attr>` on the elements at `path`, adding the element as the last child of
    /// its parent where there is none (`<uses-sdk>`).
    SetManifestAttribute {
        path: &'static str,
        attr: &'static str,
        value: Value,
    },
    /// Set `android:exported="true"` on one component that has an intent filter and no
    /// `android:exported`, named as the finding locates it (`activity org.example.Main`).
    ExportComponent { component: String },
    /// Set `android:exported="true"` on every component that has an intent filter and no
    /// `android:exported`: what it was implicitly, and what targetSdkVersion 31+ must say.
    ExportImplicitComponents,
    /// Set `android:required="false"` on the `<uses-library>` elements named `name`.
    MakeLibraryOptional { name: String },
    /// Remove the elements at any of `paths` whose `android:name` is `name`.
    RemoveManifestElements {
        paths: &'static [&'static str],
        name: String,
    },
    /// Make sure an element `<tag android:name="name" attrs...>` is under the element at
    /// `parent`: add it as the last child, or set `attrs` on the one already there.
    AddManifestElement {
        parent: &'static str,
        tag: &'static str,
        name: String,
        attrs: Vec<(&'static str, Value)>,
    },
    /// Retarget the DEX call sites a mapping covers to its portable shims, adding the shim
    /// classes as extra `classesN.dex` files.
    RetargetDex { map: String },
    /// Store every native library uncompressed, at a page boundary.
    StoreNativeLibraries,
    /// Store `resources.arsc` uncompressed, 4-byte aligned.
    StoreResourceTable,
    /// Align every stored entry (4 bytes; libraries to the page size).
    Align,
    /// Sign with v2 and v3 (and v1 for platforms below Android 7.0).
    Sign,
}

/// An attribute value as the manifest source would write it.
fn show(value: &Value) -> String {
    match value {
        Value::Bool(on) => on.to_string(),
        Value::Int(number) => number.to_string(),
        Value::Str(text) => text.clone(),
    }
}

/// The last element of a path: `application` of `manifest/application`.
fn leaf(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl Change {
    /// What the change does, in one line.
    pub fn describe(&self) -> String {
        match self {
            Change::RemoveManifestAttribute { path, attr } => {
                format!(
                    "remove android:{attr} from <{}> in AndroidManifest.xml",
                    leaf(path)
                )
            }
            Change::SetManifestAttribute { path, attr, value } => format!(
                "set android:{attr}=\"{}\" on <{}> in AndroidManifest.xml",
                show(value),
                leaf(path)
            ),
            Change::ExportComponent { component } => format!(
                "set android:exported=\"true\" on <{component}>, the value its intent filter gave it before Android 12"
            ),
            Change::ExportImplicitComponents => {
                "set android:exported=\"true\" on every component with an intent filter \
                 and no android:exported (targetSdkVersion 31+ requires it; the value they had implicitly)"
                    .into()
            }
            Change::MakeLibraryOptional { name } => {
                format!("set android:required=\"false\" on <uses-library {name}>")
            }
            Change::RemoveManifestElements { paths, name } => {
                let place = if *paths == PERMISSION_PATHS {
                    " (and its uses-permission-sdk-23 forms)"
                } else if *paths == META_DATA_PATHS {
                    " from <application> and its components"
                } else {
                    ""
                };
                let tag = paths.first().map_or("", |p| leaf(p));
                format!("remove <{tag} android:name=\"{name}\">{place} in AndroidManifest.xml")
            }
            Change::AddManifestElement {
                parent,
                tag,
                name,
                attrs,
            } => {
                let mut text = format!("add <{tag} android:name=\"{name}\"");
                for (attr, value) in attrs {
                    text.push_str(&format!(" android:{attr}=\"{}\"", show(value)));
                }
                text.push_str(&format!("> to <{}> unless it is there", leaf(parent)));
                text
            }
            Change::RetargetDex { map } => {
                format!(
                    "retarget the DEX call sites with mapping {map} to its portable shims (added as classesN.dex)"
                )
            }
            Change::StoreNativeLibraries => "store native libraries uncompressed and page-aligned".into(),
            Change::StoreResourceTable => "store resources.arsc uncompressed and 4-byte aligned".into(),
            Change::Align => "align stored entries (4 bytes; native libraries to the page size)".into(),
            Change::Sign => "sign with APK Signature Schemes v2 and v3 (and v1 below API 24)".into(),
        }
    }

    /// Whether the change edits `AndroidManifest.xml`.
    pub fn edits_manifest(&self) -> bool {
        matches!(
            self,
            Change::RemoveManifestAttribute { .. }
                | Change::SetManifestAttribute { .. }
                | Change::ExportComponent { .. }
                | Change::ExportImplicitComponents
                | Change::MakeLibraryOptional { .. }
                | Change::RemoveManifestElements { .. }
                | Change::AddManifestElement { .. }
        )
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
    /// The manifest changes of the plan, once each, in plan order.
    pub fn manifest_changes(&self) -> Vec<&Change> {
        let mut changes: Vec<&Change> = Vec::new();
        for planned in &self.changes {
            if planned.change.edits_manifest() && !changes.contains(&&planned.change) {
                changes.push(&planned.change);
            }
        }
        changes
    }
}

/// Manifest changes the user asks for (`fix`'s flags), on top of the automatic fixes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requests {
    /// `android:usesCleartextTraffic` on `<application>`.
    pub cleartext_traffic: Option<bool>,
    /// `android:extractNativeLibs` on `<application>`; `false` also stores the libraries.
    pub extract_native_libs: Option<bool>,
    /// `android:minSdkVersion` on `<uses-sdk>`.
    pub min_sdk: Option<i32>,
    /// `android:targetSdkVersion` on `<uses-sdk>`.
    pub target_sdk: Option<i32>,
    /// Permissions whose `<uses-permission>` elements go.
    pub drop_permissions: Vec<String>,
    /// Libraries whose `<uses-library>` becomes `android:required="false"`.
    pub optional_libraries: Vec<String>,
    /// Names of `<meta-data>` elements that go.
    pub remove_meta_data: Vec<String>,
    /// `<uses-library>` elements to have: name and `android:required`.
    pub add_uses_libraries: Vec<(String, bool)>,
    /// `<uses-permission>` elements to have.
    pub add_permissions: Vec<String>,
}

/// Why requested changes cannot be made together or to this app.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("minSdkVersion {min} would be above targetSdkVersion {target} (give {hint})")]
    MinAboveTarget {
        min: i32,
        target: i32,
        hint: &'static str,
    },
    #[error("{0} is both dropped and added (--drop-permission and --add-permission)")]
    PermissionDroppedAndAdded(String),
    #[error("uses-library {0} is both made optional and added as required")]
    LibraryOptionalAndRequired(String),
    #[error("uses-library {0} is added twice with different android:required")]
    LibraryAddedTwice(String),
}

/// A level as Android applies it: a codename counts as the newest level.
fn level(sdk: &Sdk) -> i32 {
    match sdk {
        Sdk::Level(level) => *level,
        Sdk::Codename(_) => 10_000,
    }
}

/// The SDK levels of an app as written and as Android applies them.
#[derive(Debug, Clone, Copy)]
struct Levels {
    min: i32,
    /// `None`: absent, so the minimum.
    target: Option<i32>,
}

impl Levels {
    fn of(report: &Report) -> Levels {
        let facts = report.facts.as_ref();
        Levels {
            min: facts.and_then(|f| f.min_sdk.as_ref()).map_or(1, level),
            target: facts.and_then(|f| f.target_sdk.as_ref()).map(level),
        }
    }

    fn requested(self, requests: &Requests) -> Levels {
        Levels {
            min: requests.min_sdk.unwrap_or(self.min),
            target: requests.target_sdk.or(self.target),
        }
    }

    fn effective_target(self) -> i32 {
        self.target.unwrap_or(self.min)
    }
}

impl Requests {
    /// Whether nothing is asked for.
    pub fn is_empty(&self) -> bool {
        *self == Requests::default()
    }

    /// Checks the requests against each other and against the app of `report`: the SDK levels
    /// they leave must be in order (minSdkVersion at most targetSdkVersion), and nothing may be
    /// both removed and added.
    pub fn check(&self, report: &Report) -> Result<(), RequestError> {
        if self.min_sdk.is_some() || self.target_sdk.is_some() {
            let after = Levels::of(report).requested(self);
            if let Some(target) = after.target
                && after.min > target
            {
                let hint = if self.target_sdk.is_none() {
                    "--target-sdk too"
                } else if self.min_sdk.is_none() {
                    "--min-sdk too"
                } else {
                    "--min-sdk at most --target-sdk"
                };
                return Err(RequestError::MinAboveTarget {
                    min: after.min,
                    target,
                    hint,
                });
            }
        }
        if let Some(name) = self
            .drop_permissions
            .iter()
            .find(|p| self.add_permissions.contains(p))
        {
            return Err(RequestError::PermissionDroppedAndAdded(name.clone()));
        }
        for (index, (name, required)) in self.add_uses_libraries.iter().enumerate() {
            if *required && self.optional_libraries.contains(name) {
                return Err(RequestError::LibraryOptionalAndRequired(name.clone()));
            }
            if self.add_uses_libraries[..index]
                .iter()
                .any(|(other, other_required)| other == name && other_required != required)
            {
                return Err(RequestError::LibraryAddedTwice(name.clone()));
            }
        }
        Ok(())
    }

    /// The requested changes, each with the flag that asked for it and the findings of
    /// `report` it resolves (indices), judged against `profile` as the analyzer judged them.
    fn changes(&self, report: &Report, profile: &Profile) -> Vec<(&'static str, Change, Vec<usize>)> {
        let findings = &report.findings;
        let resolving = |what: &dyn Fn(&Finding) -> bool| -> Vec<usize> {
            (0..findings.len()).filter(|&i| what(&findings[i])).collect()
        };
        let element_is =
            |finding: &Finding, element: &str| finding.location.element.as_deref() == Some(element);
        let mut out = Vec::new();
        let application = "manifest/application";
        if let Some(on) = self.cleartext_traffic {
            let resolves = resolving(&|f| !on && f.code == "HC1006");
            let value = Value::Bool(on);
            let change = Change::SetManifestAttribute {
                path: application,
                attr: "usesCleartextTraffic",
                value,
            };
            out.push(("--cleartext-traffic", change, resolves));
        }
        if let Some(on) = self.extract_native_libs {
            // Extracted libraries may be compressed; mapped ones must be stored and aligned.
            let resolves = resolving(&|f| on && f.code == "HC1004");
            let change = Change::SetManifestAttribute {
                path: application,
                attr: "extractNativeLibs",
                value: Value::Bool(on),
            };
            out.push(("--extract-native-libs", change, resolves));
            if !on {
                out.push(("--extract-native-libs", Change::StoreNativeLibraries, Vec::new()));
            }
        }
        let before = Levels::of(report);
        let after = before.requested(self);
        if let Some(min) = self.min_sdk {
            let raises_target = self.target_sdk.is_none() && before.target.is_none();
            let resolves = resolving(&|f| {
                (f.code == "HC1001" && min <= profile.sdk.platform)
                    || (f.code == "HC1002" && raises_target && min >= profile.sdk.min_target)
            });
            let change = Change::SetManifestAttribute {
                path: "manifest/uses-sdk",
                attr: "minSdkVersion",
                value: Value::Int(min),
            };
            out.push(("--min-sdk", change, resolves));
        }
        if let Some(target) = self.target_sdk {
            let resolves = resolving(&|f| f.code == "HC1002" && target >= profile.sdk.min_target);
            let change = Change::SetManifestAttribute {
                path: "manifest/uses-sdk",
                attr: "targetSdkVersion",
                value: Value::Int(target),
            };
            out.push(("--target-sdk", change, resolves));
        }
        if before.effective_target() < SDK_S && after.effective_target() >= SDK_S {
            let flag = if self.target_sdk.is_some() {
                "--target-sdk"
            } else {
                "--min-sdk"
            };
            out.push((flag, Change::ExportImplicitComponents, Vec::new()));
        }
        for name in &self.drop_permissions {
            let element = format!("uses-permission {name}");
            let resolves = resolving(&|f| f.code == "HC1008" && element_is(f, &element));
            let change = Change::RemoveManifestElements {
                paths: PERMISSION_PATHS,
                name: name.clone(),
            };
            out.push(("--drop-permission", change, resolves));
        }
        for name in &self.optional_libraries {
            let element = format!("uses-library {name}");
            let resolves = resolving(&|f| f.code == "HC1010" && element_is(f, &element));
            let change = Change::MakeLibraryOptional { name: name.clone() };
            out.push(("--optional-library", change, resolves));
        }
        for name in &self.remove_meta_data {
            let change = Change::RemoveManifestElements {
                paths: META_DATA_PATHS,
                name: name.clone(),
            };
            out.push(("--remove-meta-data", change, Vec::new()));
        }
        for (name, required) in &self.add_uses_libraries {
            let change = Change::AddManifestElement {
                parent: application,
                tag: "uses-library",
                name: name.clone(),
                attrs: vec![("required", Value::Bool(*required))],
            };
            out.push(("--add-uses-library", change, Vec::new()));
        }
        for name in &self.add_permissions {
            let change = Change::AddManifestElement {
                parent: "manifest",
                tag: "uses-permission",
                name: name.clone(),
                attrs: Vec::new(),
            };
            out.push(("--add-permission", change, Vec::new()));
        }
        out
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
        "HC1015" => match finding.location.element.as_deref() {
            Some(component) => Change::ExportComponent {
                component: component.to_string(),
            },
            None => return Err("the finding names no component"),
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
        "HC1001" => return Err("not fixable automatically; on request: --min-sdk LEVEL"),
        "HC1002" => return Err("not fixable automatically; on request: --target-sdk LEVEL"),
        "HC1006" => return Err("not fixable automatically; on request: --cleartext-traffic false"),
        "HC1008" => return Err("not fixable automatically; on request: --drop-permission NAME"),
        "HC1010" => return Err("not fixable automatically; on request: --optional-library NAME"),
        _ if finding.fixable => return Err("fixable in principle, not by this version of fix"),
        _ => return Err("not fixable automatically"),
    })
}

/// Plans the changes for the findings of `report` that `selection` includes.
pub fn plan(report: &Report, selection: &Selection, signing_key_given: bool) -> Plan {
    plan_with(
        report,
        selection,
        signing_key_given,
        &Requests::default(),
        Profile::builtin(),
    )
}

/// Plans the changes for the findings of `report` that `selection` includes, and the changes
/// `requests` asks for. A requested change carries the findings it resolves (judged against
/// `profile`, as the report was), whatever the selection; one that resolves none is
/// [`REQUESTED`].
pub fn plan_with(
    report: &Report,
    selection: &Selection,
    signing_key_given: bool,
    requests: &Requests,
    profile: &Profile,
) -> Plan {
    let requested = requests.changes(report, profile);
    let claimed = |index: usize| requested.iter().any(|(_, _, resolves)| resolves.contains(&index));
    let mut plan = Plan::default();
    for (index, finding) in report.findings.iter().enumerate() {
        if claimed(index) {
            continue;
        }
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
                flag: None,
            }),
            Err(why) => plan.remaining.push((finding.clone(), why)),
        }
    }
    for (flag, change, resolves) in requested {
        if resolves.is_empty() {
            plan.changes.push(Planned {
                code: REQUESTED,
                name: flag,
                finding: String::new(),
                change,
                flag: Some(flag),
            });
            continue;
        }
        for index in resolves {
            let finding = &report.findings[index];
            plan.changes.push(Planned {
                code: finding.code,
                name: finding.name,
                finding: finding.message.clone(),
                change: change.clone(),
                flag: Some(flag),
            });
        }
    }
    plan
}

/// Moves the findings that `covers` says a DEX mapping resolves from the plan's remaining
/// findings to its changes, as resolved by [`Change::RetargetDex`] with `map`.
pub fn claim_retargeted(plan: &mut Plan, map: &str, covers: impl Fn(&Finding) -> bool) {
    let mut kept = Vec::with_capacity(plan.remaining.len());
    for (finding, why) in std::mem::take(&mut plan.remaining) {
        if why != "not selected" && covers(&finding) {
            plan.changes.push(Planned {
                code: finding.code,
                name: finding.name,
                finding: finding.message.clone(),
                change: Change::RetargetDex { map: map.to_string() },
                flag: None,
            });
        } else {
            kept.push((finding, why));
        }
    }
    plan.remaining = kept;
}

/// What the plan's manifest changes did to a compiled manifest.
#[derive(Debug, Clone, Default)]
pub struct ManifestEdit {
    /// The edited document; `None` when nothing changed.
    pub bytes: Option<Vec<u8>>,
    /// Each manifest change of the plan, once, in plan order, and whether it changed the
    /// document (`false`: the manifest already was as asked).
    pub outcomes: Vec<(Change, bool)>,
}

/// Applies the plan's manifest changes to a compiled manifest.
pub fn apply_manifest(manifest: &[u8], plan: &Plan) -> Result<ManifestEdit, EditError> {
    let changes = plan.manifest_changes();
    if changes.is_empty() {
        return Ok(ManifestEdit::default());
    }
    let mut editor = XmlEditor::parse(manifest)?;
    let mut edit = ManifestEdit::default();
    let mut changed = false;
    for change in changes {
        let did = apply(&mut editor, change)?;
        changed |= did;
        edit.outcomes.push((change.clone(), did));
    }
    if changed {
        edit.bytes = Some(editor.to_bytes()?);
    }
    Ok(edit)
}

/// Applies the plan's manifest changes to a compiled manifest; `None` when nothing changes.
pub fn edit_manifest(manifest: &[u8], plan: &Plan) -> Result<Option<Vec<u8>>, EditError> {
    Ok(apply_manifest(manifest, plan)?.bytes)
}

/// Makes one change; says whether the document changed.
fn apply(editor: &mut XmlEditor, change: &Change) -> Result<bool, EditError> {
    let mut changed = false;
    match change {
        Change::RemoveManifestAttribute { path, attr } => {
            // Removing shifts nothing between elements: node indices stay valid.
            for element in editor.find(path) {
                changed |= editor.remove_android_attr(element, attr);
            }
        }
        Change::SetManifestAttribute { path, attr, value } => {
            let elements = editor.find(path);
            if elements.is_empty() {
                let (parent, tag) = path
                    .rsplit_once('/')
                    .ok_or(EditError::Unsupported("no parent to add the element to"))?;
                let parent = *editor
                    .find(parent)
                    .first()
                    .ok_or(EditError::Unsupported("no parent to add the element to"))?;
                editor.add_element(parent, tag, &[(*attr, value.clone())])?;
                return Ok(true);
            }
            for element in elements {
                changed |= set(editor, element, attr, value.clone())?;
            }
        }
        Change::ExportComponent { component } => {
            let Some((kind, name)) = component.split_once(' ') else {
                return Ok(false);
            };
            let package = package(editor);
            for element in editor.find(&format!("manifest/application/{kind}")) {
                let matches = name_of(editor, element)
                    .is_some_and(|raw| analyzer::manifest::expand_class_name(&package, &raw) == name);
                if matches && editor.android_attr(element, "exported").is_none() {
                    changed |= set(editor, element, "exported", Value::Bool(true))?;
                }
            }
        }
        Change::ExportImplicitComponents => {
            for kind in FILTERED_KINDS {
                for element in editor.find(&format!("manifest/application/{kind}")) {
                    if editor.android_attr(element, "exported").is_none()
                        && has_intent_filter(editor, element)
                    {
                        changed |= set(editor, element, "exported", Value::Bool(true))?;
                    }
                }
            }
        }
        Change::MakeLibraryOptional { name } => {
            for element in editor.find("manifest/application/uses-library") {
                if name_of(editor, element).as_deref() == Some(name.as_str()) {
                    changed |= set(editor, element, "required", Value::Bool(false))?;
                }
            }
        }
        Change::RemoveManifestElements { paths, name } => {
            let mut doomed: Vec<usize> = paths
                .iter()
                .flat_map(|path| editor.find(path))
                .filter(|&element| name_of(editor, element).as_deref() == Some(name.as_str()))
                .collect();
            // From the last: removing an element moves only the nodes after it.
            doomed.sort_unstable_by(|a, b| b.cmp(a));
            for element in doomed {
                editor.remove_element(element)?;
                changed = true;
            }
        }
        Change::AddManifestElement {
            parent,
            tag,
            name,
            attrs,
        } => {
            let existing: Vec<usize> = editor
                .find(&format!("{parent}/{tag}"))
                .into_iter()
                .filter(|&element| name_of(editor, element).as_deref() == Some(name.as_str()))
                .collect();
            if existing.is_empty() {
                let parent = *editor
                    .find(parent)
                    .first()
                    .ok_or(EditError::Unsupported("no parent to add the element to"))?;
                let mut all = vec![("name", Value::Str(name.clone()))];
                all.extend(attrs.iter().cloned());
                editor.add_element(parent, tag, &all)?;
                return Ok(true);
            }
            for element in existing {
                for (attr, value) in attrs {
                    changed |= set(editor, element, attr, value.clone())?;
                }
            }
        }
        Change::RetargetDex { .. }
        | Change::StoreNativeLibraries
        | Change::StoreResourceTable
        | Change::Align
        | Change::Sign => {}
    }
    Ok(changed)
}

/// The value Android's package parser takes for an absent attribute, where the request's
/// attributes have one that does not depend on the app.
fn default_of(attr: &str) -> Option<Value> {
    match attr {
        // `<uses-library android:required>` and `<application android:extractNativeLibs>`.
        "required" | "extractNativeLibs" => Some(Value::Bool(true)),
        _ => None,
    }
}

/// Sets an attribute; says whether that changed the element. Asking for the value an absent
/// attribute has by default changes nothing: the manifest already says it.
fn set(editor: &mut XmlEditor, element: usize, attr: &str, value: Value) -> Result<bool, EditError> {
    if editor.android_attr(element, attr).is_none() && default_of(attr) == Some(value.clone()) {
        return Ok(false);
    }
    Ok(editor.set_android_attr(element, attr, value)? != axml_edit::Change::Unchanged)
}

/// The `android:name` of an element, as text.
fn name_of(editor: &XmlEditor, element: usize) -> Option<String> {
    let attr = editor.android_attr(element, "name")?;
    editor.attr_text(attr).map(str::to_string)
}

/// The `package` attribute of the root element.
fn package(editor: &XmlEditor) -> String {
    let Some(root) = editor.find("manifest").first().and_then(|&i| editor.element(i)) else {
        return String::new();
    };
    root.attrs
        .iter()
        .find(|a| a.namespace.is_none() && editor.string(a.name) == Some("package"))
        .and_then(|a| editor.attr_text(a))
        .unwrap_or_default()
        .to_string()
}

/// Whether the element at node `element` has an `<intent-filter>` child.
fn has_intent_filter(editor: &XmlEditor, element: usize) -> bool {
    let mut depth = 0usize;
    for node in editor.nodes().iter().skip(element) {
        match node {
            XmlNode::Start(child) => {
                depth += 1;
                if depth == 2 && editor.string(child.name) == Some("intent-filter") {
                    return true;
                }
            }
            XmlNode::End { .. } => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    false
}
