//! Typed facts of `AndroidManifest.xml`, read from its binary XML and resolved against the
//! app's resource table the way `aapt dump badging` (Android 10) resolves them.
//!
//! `android:` attributes are found by resource id, never by name (what Android and aapt do, so
//! obfuscated names do not hide them). Elements are recognised by their position as aapt does:
//! `uses-sdk` and `uses-permission` directly under the root, components directly under
//! `application`, `intent-filter` directly under a component. Strings are read from the
//! attribute's raw text as aapt reads them; references are followed in the badging
//! configuration ([`Config::badging`]; the application label in the locale-free one).
//!
//! Where aapt would stop with an error, the facts are still collected (as Android's package
//! parser would read them: `@integer/` SDK levels, for instance, are resolved) and the error aapt
//! would print is recorded in [`Manifest::badging_errors`].

use std::borrow::Cow;

use crate::arsc::{Config, ResourceTable};
use crate::axml::{Attribute, AxmlError, Node, XmlDocument};
use crate::res::android_attrs as attr;
use crate::res::{ResValue, Value, data_type};

/// Why a manifest could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    #[error(transparent)]
    Xml(#[from] AxmlError),
    #[error("manifest: the root element is `{0}`, not `manifest`")]
    NotAManifest(String),
    #[error("manifest: no root element")]
    NoRoot,
}

/// An SDK level as written: a number, or a preview codename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdkVersion {
    Level(i32),
    Codename(String),
}

impl SdkVersion {
    /// The level Android uses: a codename counts as the newest level (10000, `CUR_DEVELOPMENT`).
    pub fn level(&self) -> i32 {
        match self {
            SdkVersion::Level(level) => *level,
            SdkVersion::Codename(_) => 10_000,
        }
    }
}

impl std::fmt::Display for SdkVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SdkVersion::Level(level) => write!(f, "{level}"),
            SdkVersion::Codename(name) => f.write_str(name),
        }
    }
}

/// An attribute value with strings and references resolved as far as they go.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    String(String),
    Int(i32),
    Bool(bool),
    Float(f32),
    /// A reference that does not resolve to a simple value (a bag, a file path is a string) or
    /// that the table lacks.
    Reference(u32),
    Other(ResValue),
}

/// `<uses-permission>` (and `uses-permission-sdk-23`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsesPermission {
    pub name: String,
    /// `android:maxSdkVersion`, resolved.
    pub max_sdk_version: Option<i32>,
    /// Declared as `uses-permission-sdk-23` (or `-sdk-m`): requested only on API 23+.
    pub sdk23: bool,
}

/// `<uses-feature>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsesFeature {
    /// `None` for a `glEsVersion` declaration.
    pub name: Option<String>,
    pub required: bool,
    pub gl_es_version: Option<i32>,
}

/// `<uses-library>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsesLibrary {
    pub name: String,
    pub required: bool,
}

/// `<meta-data>`.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaData {
    pub name: String,
    /// `android:value`, resolved.
    pub value: Option<AttrValue>,
    /// `android:resource`: the resource id, unresolved.
    pub resource: Option<u32>,
}

/// `<intent-filter>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IntentFilter {
    pub actions: Vec<String>,
    pub categories: Vec<String>,
    /// `android:scheme` of the `<data>` elements.
    pub schemes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentKind {
    Activity,
    ActivityAlias,
    Service,
    Receiver,
    Provider,
}

impl ComponentKind {
    fn from_tag(tag: &str) -> Option<ComponentKind> {
        Some(match tag {
            "activity" => ComponentKind::Activity,
            "activity-alias" => ComponentKind::ActivityAlias,
            "service" => ComponentKind::Service,
            "receiver" => ComponentKind::Receiver,
            "provider" => ComponentKind::Provider,
            _ => return None,
        })
    }
}

/// An application component.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub kind: ComponentKind,
    /// `android:name` as written.
    pub raw_name: String,
    /// The class name, expanded against the package when relative (as aapt and Android do).
    pub name: String,
    /// `android:targetActivity` of an alias, expanded.
    pub target_activity: Option<String>,
    /// `android:exported` as written (resolved when a reference).
    pub exported: Option<bool>,
    pub enabled: Option<bool>,
    pub permission: Option<String>,
    /// `android:label` resolved in the badging configuration.
    pub label: Option<String>,
    pub icon: Option<String>,
    /// `android:authorities` of a provider.
    pub authorities: Option<String>,
    pub intent_filters: Vec<IntentFilter>,
    pub meta_data: Vec<MetaData>,
}

impl Component {
    /// Whether other apps can start the component: the explicit value, else `true` when it has
    /// an intent filter. A provider without the attribute is exported only for apps targeting
    /// API 16 or lower.
    pub fn exported_effective(&self, target_sdk: i32) -> bool {
        if let Some(exported) = self.exported {
            return exported;
        }
        match self.kind {
            ComponentKind::Provider => target_sdk < 17,
            _ => !self.intent_filters.is_empty(),
        }
    }
}

/// `<application>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Application {
    /// `android:label` resolved without a locale: badging's `application-label`.
    pub label: Option<String>,
    pub icon: Option<String>,
    /// `android:name`, expanded against the package.
    pub name: Option<String>,
    pub debuggable: Option<bool>,
    pub test_only: Option<bool>,
    pub allow_backup: Option<bool>,
    pub extract_native_libs: Option<bool>,
    pub uses_cleartext_traffic: Option<bool>,
    pub request_legacy_external_storage: Option<bool>,
    pub has_code: Option<bool>,
    /// Resource references (e.g. `@xml/network_security_config`), unresolved.
    pub network_security_config: Option<u32>,
    pub full_backup_content: Option<AttrValue>,
    pub data_extraction_rules: Option<u32>,
    pub uses_libraries: Vec<UsesLibrary>,
    pub components: Vec<Component>,
    pub meta_data: Vec<MetaData>,
}

/// A launchable activity as badging reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchableActivity {
    pub name: String,
    pub label: String,
    pub icon: String,
}

/// What an `AndroidManifest.xml` declares.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Manifest {
    pub package: String,
    pub version_code: Option<i32>,
    pub version_name: Option<String>,
    pub compile_sdk_version: Option<i32>,
    pub compile_sdk_version_codename: Option<String>,
    /// The `platformBuildVersion*` attributes as text (only string values are text to aapt).
    pub platform_build_version_code: Option<String>,
    pub platform_build_version_name: Option<String>,
    pub shared_user_id: Option<String>,
    /// `split` on the root element: the name of a split APK (`config.arm64_v8a`); none on a base.
    pub split: Option<String>,
    pub install_location: Option<i32>,
    pub min_sdk: Option<SdkVersion>,
    pub target_sdk: Option<SdkVersion>,
    pub max_sdk: Option<i32>,
    pub uses_permissions: Vec<UsesPermission>,
    pub uses_features: Vec<UsesFeature>,
    pub application: Option<Application>,
    /// Launchable activities in document order (badging's `launchable-activity`).
    pub launchable_activities: Vec<LaunchableActivity>,
    /// The errors `aapt dump badging` would stop at, in document order.
    pub badging_errors: Vec<String>,
}

impl Manifest {
    /// Reads the manifest; `resources` is the app's table, used to resolve references.
    pub fn parse(
        document: &XmlDocument<'_>,
        resources: Option<&ResourceTable<'_>>,
    ) -> Result<Manifest, ManifestError> {
        Reader::new(document, resources).read()
    }

    /// `minSdkVersion` as Android applies it: 1 when absent.
    pub fn effective_min_sdk(&self) -> i32 {
        self.min_sdk.as_ref().map_or(1, SdkVersion::level)
    }

    /// `targetSdkVersion` as Android applies it: the minimum SDK when absent.
    pub fn effective_target_sdk(&self) -> i32 {
        self.target_sdk
            .as_ref()
            .map_or_else(|| self.effective_min_sdk(), SdkVersion::level)
    }

    /// The permissions Android grants on top of the declared ones (aapt's implied permissions):
    /// storage and phone state below API 4, read storage with write storage, call log below
    /// API 16. Each with the max SDK it inherits.
    pub fn implied_permissions(&self) -> Vec<UsesPermission> {
        // aapt's notion of the target: the larger of the two levels, 0 without uses-sdk.
        let target = self
            .min_sdk
            .iter()
            .chain(&self.target_sdk)
            .map(SdkVersion::level)
            .max()
            .unwrap_or(0);
        let declared = |name: &str| self.uses_permissions.iter().find(|p| !p.sdk23 && p.name == name);
        let implied = |name: &str, max_sdk_version| UsesPermission {
            name: name.to_string(),
            max_sdk_version,
            sdk23: false,
        };
        let mut out = Vec::new();
        let mut write_storage =
            declared("android.permission.WRITE_EXTERNAL_STORAGE").map(|p| p.max_sdk_version);
        if target < 4 {
            if write_storage.is_none() {
                out.push(implied("android.permission.WRITE_EXTERNAL_STORAGE", None));
                write_storage = Some(None);
            }
            if declared("android.permission.READ_PHONE_STATE").is_none() {
                out.push(implied("android.permission.READ_PHONE_STATE", None));
            }
        }
        if let Some(max) = write_storage
            && declared("android.permission.READ_EXTERNAL_STORAGE").is_none()
        {
            out.push(implied("android.permission.READ_EXTERNAL_STORAGE", max));
        }
        if target < 16 {
            if declared("android.permission.READ_CONTACTS").is_some()
                && declared("android.permission.READ_CALL_LOG").is_none()
            {
                out.push(implied("android.permission.READ_CALL_LOG", None));
            }
            if declared("android.permission.WRITE_CONTACTS").is_some()
                && declared("android.permission.WRITE_CALL_LOG").is_none()
            {
                out.push(implied("android.permission.WRITE_CALL_LOG", None));
            }
        }
        out
    }

    /// Every component of the application.
    pub fn components(&self) -> &[Component] {
        self.application.as_ref().map_or(&[], |a| &a.components)
    }
}

/// Expands a component class name as aapt's `getComponentName` and Android's `buildClassName`:
/// `.Foo` and `Foo` are relative to the package, `a.b.Foo` is absolute.
pub fn expand_class_name(package: &str, name: &str) -> String {
    if name.starts_with('.') {
        format!("{package}{name}")
    } else if !name.contains('.') {
        format!("{package}.{name}")
    } else {
        name.to_string()
    }
}

/// One element's attributes, read once.
struct Attributes {
    list: Vec<Attribute>,
}

struct Reader<'d, 'a, 't> {
    doc: &'d XmlDocument<'a>,
    table: Option<&'t ResourceTable<'t>>,
    manifest: Manifest,
}

/// Where the walk is, by aapt's depth rules.
#[derive(Default)]
struct Walk {
    depth: usize,
    within_application: bool,
    /// Index of the component being read (in `application.components`).
    component: Option<usize>,
    /// Launcher flags of the current `<activity>` (set by any of its filters).
    main: bool,
    launcher: bool,
    within_intent_filter: bool,
}

impl<'d, 'a, 't> Reader<'d, 'a, 't> {
    fn new(doc: &'d XmlDocument<'a>, table: Option<&'t ResourceTable<'t>>) -> Self {
        Reader {
            doc,
            table,
            manifest: Manifest::default(),
        }
    }

    fn read(mut self) -> Result<Manifest, ManifestError> {
        let mut walk = Walk::default();
        let mut saw_root = false;
        for node in self.doc.nodes() {
            match node? {
                Node::StartElement(element) => {
                    walk.depth += 1;
                    let tag = match element.name.map(|i| self.doc.string(i)) {
                        Some(Ok(tag)) => tag.into_owned(),
                        _ => {
                            self.error("ERROR: failed to get XML element name (bad string pool)");
                            return Ok(self.manifest);
                        }
                    };
                    if walk.depth == 1 {
                        if tag != "manifest" {
                            return Err(ManifestError::NotAManifest(tag));
                        }
                        saw_root = true;
                    }
                    let attributes = Attributes {
                        list: element.attributes().collect::<Result<_, _>>()?,
                    };
                    self.start(&mut walk, &tag, &attributes);
                }
                Node::EndElement(_) => {
                    self.end(&mut walk);
                    walk.depth = walk.depth.saturating_sub(1);
                }
                _ => {}
            }
        }
        if !saw_root {
            return Err(ManifestError::NoRoot);
        }
        Ok(self.manifest)
    }

    fn error(&mut self, message: &str) {
        self.manifest.badging_errors.push(message.to_string());
    }

    fn start(&mut self, walk: &mut Walk, tag: &str, attrs: &Attributes) {
        match walk.depth {
            1 => self.read_manifest(attrs),
            2 => {
                walk.within_application = tag == "application";
                match tag {
                    "application" => self.read_application(attrs),
                    "uses-sdk" => self.read_uses_sdk(attrs),
                    "uses-permission" | "uses-permission-sdk-23" | "uses-permission-sdk-m" => {
                        self.read_uses_permission(attrs, tag != "uses-permission")
                    }
                    "uses-feature" => self.read_uses_feature(attrs),
                    _ => {}
                }
            }
            3 => {
                walk.component = None;
                walk.main = false;
                walk.launcher = false;
                if !walk.within_application {
                    return;
                }
                if let Some(kind) = ComponentKind::from_tag(tag) {
                    let component = self.read_component(kind, attrs);
                    let application = self.manifest.application.get_or_insert_with(Application::default);
                    application.components.push(component);
                    walk.component = Some(application.components.len() - 1);
                } else if tag == "uses-library" {
                    let name = self.string_attr(
                        attrs,
                        attr::NAME,
                        "ERROR getting 'android:name' attribute for uses-library",
                    );
                    let required = self.int_attr(attrs, attr::REQUIRED, 1, None) != 0;
                    if let Some(app) = self.manifest.application.as_mut() {
                        app.uses_libraries.push(UsesLibrary {
                            name: name.unwrap_or_default(),
                            required,
                        });
                    }
                } else if tag == "meta-data" {
                    let meta = self.read_meta_data(attrs);
                    if let Some(app) = self.manifest.application.as_mut() {
                        app.meta_data.push(meta);
                    }
                }
            }
            4 => {
                let Some(index) = walk.component else { return };
                if tag == "intent-filter" {
                    walk.within_intent_filter = true;
                    if let Some(component) = self.component_mut(index) {
                        component.intent_filters.push(IntentFilter::default());
                    }
                } else if tag == "meta-data" {
                    let meta = self.read_meta_data(attrs);
                    if let Some(component) = self.component_mut(index) {
                        component.meta_data.push(meta);
                    }
                }
            }
            5 if walk.within_intent_filter => {
                let Some(index) = walk.component else { return };
                let (field, context) = match tag {
                    "action" => (0, "ERROR getting 'android:name' attribute"),
                    "category" => (1, "ERROR getting 'name' attribute"),
                    "data" => (2, ""),
                    _ => return,
                };
                let value = if field == 2 {
                    self.resolved_string(attrs, attr::SCHEME, None)
                } else {
                    self.string_attr(attrs, attr::NAME, context)
                };
                let Some(value) = value else { return };
                let is_activity = self
                    .component_mut(index)
                    .is_some_and(|c| c.kind == ComponentKind::Activity);
                if is_activity && field == 0 && value == "android.intent.action.MAIN" {
                    walk.main = true;
                }
                if is_activity && field == 1 && value == "android.intent.category.LAUNCHER" {
                    walk.launcher = true;
                }
                if let Some(filter) = self
                    .component_mut(index)
                    .and_then(|c| c.intent_filters.last_mut())
                {
                    match field {
                        0 => filter.actions.push(value),
                        1 => filter.categories.push(value),
                        _ => filter.schemes.push(value),
                    }
                }
            }
            _ => {}
        }
    }

    /// aapt acts on end tags by the depth they close.
    fn end(&mut self, walk: &mut Walk) {
        match walk.depth {
            0..=2 => walk.within_application = false,
            3 => {
                if let Some(index) = walk.component.take()
                    && walk.main
                    && walk.launcher
                    && let Some(component) = self.component_mut(index)
                    && component.kind == ComponentKind::Activity
                {
                    let launchable = LaunchableActivity {
                        name: component.name.clone(),
                        label: component.label.clone().unwrap_or_default(),
                        icon: component.icon.clone().unwrap_or_default(),
                    };
                    self.manifest.launchable_activities.push(launchable);
                }
                walk.main = false;
                walk.launcher = false;
            }
            4 => walk.within_intent_filter = false,
            _ => {}
        }
    }

    fn component_mut(&mut self, index: usize) -> Option<&mut Component> {
        self.manifest.application.as_mut()?.components.get_mut(index)
    }

    fn read_manifest(&mut self, attrs: &Attributes) {
        self.manifest.package = self.plain_string(attrs, "package").unwrap_or_default();
        self.manifest.split = self.plain_string(attrs, "split");
        let code = self.int_attr(
            attrs,
            attr::VERSION_CODE,
            -1,
            Some("ERROR getting 'android:versionCode' attribute"),
        );
        self.manifest.version_code = self.is_int(attrs, attr::VERSION_CODE).then_some(code);
        self.manifest.version_name = self.resolved_string(
            attrs,
            attr::VERSION_NAME,
            Some("ERROR getting 'android:versionName' attribute"),
        );
        self.manifest.platform_build_version_name = self.plain_string(attrs, "platformBuildVersionName");
        self.manifest.platform_build_version_code = self.plain_string(attrs, "platformBuildVersionCode");
        let compile = self.int_attr(
            attrs,
            attr::COMPILE_SDK_VERSION,
            -1,
            Some("ERROR getting 'android:compileSdkVersion' attribute"),
        );
        self.manifest.compile_sdk_version = self.is_int(attrs, attr::COMPILE_SDK_VERSION).then_some(compile);
        self.manifest.compile_sdk_version_codename =
            self.resolved_string(attrs, attr::COMPILE_SDK_VERSION_CODENAME, None);
        self.manifest.shared_user_id = self.resolved_string(attrs, attr::SHARED_USER_ID, None);
        let location = self.resolved_int(
            attrs,
            attr::INSTALL_LOCATION,
            Some("ERROR getting 'android:installLocation' attribute"),
        );
        self.manifest.install_location = location;
        if let Some(location) = location
            && !(0..=2).contains(&location)
        {
            self.error(&format!("Invalid installLocation {location}"));
        }
    }

    fn read_uses_sdk(&mut self, attrs: &Attributes) {
        self.manifest.min_sdk = self.sdk_attr(
            attrs,
            attr::MIN_SDK_VERSION,
            "ERROR getting 'android:minSdkVersion' attribute",
        );
        self.manifest.max_sdk = self.resolved_int(attrs, attr::MAX_SDK_VERSION, None);
        self.manifest.target_sdk = self.sdk_attr(
            attrs,
            attr::TARGET_SDK_VERSION,
            "ERROR getting 'android:targetSdkVersion' attribute",
        );
    }

    /// An SDK level: an integer, a codename string, or (as Android resolves it, where aapt
    /// fails) a reference to either.
    fn sdk_attr(&mut self, attrs: &Attributes, id: u32, context: &str) -> Option<SdkVersion> {
        let attribute = self.find(attrs, id)?;
        let value = attribute.typed_value;
        if value.is_int() {
            return Some(SdkVersion::Level(value.data as i32));
        }
        // aapt falls back to the string form and fails unless it resolves to a string.
        let resolved = self.resolve(value);
        if value.data_type == data_type::STRING {
            return Some(SdkVersion::Codename(
                self.raw_string(&attribute).unwrap_or_default(),
            ));
        }
        if resolved.data_type == data_type::STRING {
            return self.table_string(&resolved).map(SdkVersion::Codename);
        }
        self.error(&format!("{context}: attribute is not a string value"));
        resolved
            .is_int()
            .then_some(SdkVersion::Level(resolved.data as i32))
    }

    fn read_uses_permission(&mut self, attrs: &Attributes, sdk23: bool) {
        // A missing name reads as empty, which aapt then refuses.
        let name = match self.find(attrs, attr::NAME) {
            None => String::new(),
            Some(_) => match self.string_attr(attrs, attr::NAME, "ERROR getting 'android:name' attribute") {
                Some(name) => name,
                None => return,
            },
        };
        if name.is_empty() {
            let tag = if sdk23 {
                "uses-permission-sdk-23"
            } else {
                "uses-permission"
            };
            self.error(&format!("ERROR: missing 'android:name' for {tag}"));
            return;
        }
        let max_sdk_version = self.resolved_int(attrs, attr::MAX_SDK_VERSION, None);
        self.manifest.uses_permissions.push(UsesPermission {
            name,
            max_sdk_version,
            sdk23,
        });
    }

    fn read_uses_feature(&mut self, attrs: &Attributes) {
        let name = self.string_attr(attrs, attr::NAME, "").filter(|n| !n.is_empty());
        let required = self.int_attr(
            attrs,
            attr::REQUIRED,
            1,
            name.as_ref()
                .map(|_| "failed to read attribute 'android:required'"),
        ) != 0;
        let gl_es_version = self.resolved_int(attrs, attr::GL_ES_VERSION, None);
        self.manifest.uses_features.push(UsesFeature {
            name,
            required,
            gl_es_version,
        });
    }

    fn read_application(&mut self, attrs: &Attributes) {
        let package = self.manifest.package.clone();
        // Label and icon errors surface at aapt's icon check.
        let mut failed = false;
        let label =
            self.resolved_string_with(attrs, attr::LABEL, &Config::badging_default_locale(), &mut failed);
        let icon = self.resolved_string_with(attrs, attr::ICON, &Config::badging(), &mut failed);
        if failed {
            self.error("ERROR getting 'android:icon' attribute: attribute is not a string value");
        }
        let test_only = self.int_attr(
            attrs,
            attr::TEST_ONLY,
            0,
            Some("ERROR getting 'android:testOnly' attribute"),
        );
        let application = Application {
            label: label.filter(|l| !l.is_empty()),
            icon: icon.filter(|i| !i.is_empty()),
            name: self
                .string_attr(attrs, attr::NAME, "")
                .filter(|n| !n.is_empty())
                .map(|n| expand_class_name(&package, &n)),
            debuggable: self
                .resolved_int(
                    attrs,
                    attr::DEBUGGABLE,
                    Some("ERROR getting 'android:debuggable' attribute"),
                )
                .map(|v| v != 0),
            test_only: self.find(attrs, attr::TEST_ONLY).map(|_| test_only != 0),
            allow_backup: self.resolved_bool(attrs, attr::ALLOW_BACKUP),
            extract_native_libs: self.resolved_bool(attrs, attr::EXTRACT_NATIVE_LIBS),
            uses_cleartext_traffic: self.resolved_bool(attrs, attr::USES_CLEARTEXT_TRAFFIC),
            request_legacy_external_storage: self.resolved_bool(attrs, attr::REQUEST_LEGACY_EXTERNAL_STORAGE),
            has_code: self.resolved_bool(attrs, attr::HAS_CODE),
            network_security_config: self.reference_attr(attrs, attr::NETWORK_SECURITY_CONFIG),
            full_backup_content: self
                .find(attrs, attr::FULL_BACKUP_CONTENT)
                .map(|a| self.attr_value(&a)),
            // API 31 added it, after the framework the attribute table comes from: found by
            // name, as aapt finds attributes newer than its table (`multiArch`).
            data_extraction_rules: self
                .find_android_by_name(attrs, "dataExtractionRules")
                .and_then(|a| self.reference_value(&a)),
            ..Application::default()
        };
        self.manifest.application = Some(application);
    }

    fn read_component(&mut self, kind: ComponentKind, attrs: &Attributes) -> Component {
        let package = self.manifest.package.clone();
        let context = match kind {
            ComponentKind::Activity => "ERROR getting 'android:name' attribute",
            ComponentKind::Receiver => "ERROR getting 'android:name' attribute for receiver",
            ComponentKind::Service => "ERROR getting 'android:name' attribute for service",
            _ => "",
        };
        let raw_name = self.string_attr(attrs, attr::NAME, context).unwrap_or_default();
        let badging = Config::badging();
        let (label, icon) = if kind == ComponentKind::Activity {
            let label = self.resolved_string(
                attrs,
                attr::LABEL,
                Some("ERROR getting 'android:label' attribute"),
            );
            let icon =
                self.resolved_string(attrs, attr::ICON, Some("ERROR getting 'android:icon' attribute"));
            (label, icon)
        } else {
            let mut ignored = false;
            (
                self.resolved_string_with(attrs, attr::LABEL, &badging, &mut ignored),
                None,
            )
        };
        let provider = kind == ComponentKind::Provider;
        let exported_context = provider.then_some("ERROR getting 'android:exported' attribute for provider");
        if provider {
            self.resolved_int(
                attrs,
                attr::GRANT_URI_PERMISSIONS,
                Some("ERROR getting 'android:grantUriPermissions' attribute for provider"),
            );
        }
        let permission_context =
            provider.then_some("ERROR getting 'android:permission' attribute for provider");
        Component {
            kind,
            name: expand_class_name(&package, &raw_name),
            raw_name,
            target_activity: self
                .string_attr(attrs, attr::TARGET_ACTIVITY, "")
                .map(|t| expand_class_name(&package, &t)),
            exported: self
                .resolved_int(attrs, attr::EXPORTED, exported_context)
                .map(|v| v != 0),
            enabled: self.resolved_bool(attrs, attr::ENABLED),
            permission: self.resolved_string(attrs, attr::PERMISSION, permission_context),
            label,
            icon,
            authorities: self.resolved_string(attrs, attr::AUTHORITIES, None),
            intent_filters: Vec::new(),
            meta_data: Vec::new(),
        }
    }

    fn read_meta_data(&mut self, attrs: &Attributes) -> MetaData {
        MetaData {
            name: self.resolved_string(attrs, attr::NAME, None).unwrap_or_default(),
            value: self.find(attrs, attr::VALUE).map(|a| self.attr_value(&a)),
            resource: self.reference_attr(attrs, attr::RESOURCE),
        }
    }

    // ---- attribute access, after aapt's AaptXml helpers ----

    /// The attribute whose name maps to resource id `id` (`indexOfAttribute(tree, attrRes)`).
    fn find(&self, attrs: &Attributes, id: u32) -> Option<Attribute> {
        attrs
            .list
            .iter()
            .find(|a| self.doc.attribute_resource_id(a) == id)
            .copied()
    }

    /// A namespace-less attribute found by name (`indexOfAttribute(NULL, name)`), as a string.
    fn plain_string(&self, attrs: &Attributes, name: &str) -> Option<String> {
        let attribute = attrs.list.iter().find(|a| {
            a.namespace.is_none()
                && a.name
                    .and_then(|i| self.doc.string(i).ok())
                    .is_some_and(|n| n == name)
        })?;
        if attribute.typed_value.data_type != data_type::STRING {
            return None;
        }
        self.raw_string(attribute)
    }

    fn raw_string(&self, attribute: &Attribute) -> Option<String> {
        attribute
            .raw_value
            .and_then(|i| self.doc.string(i).ok())
            .map(Cow::into_owned)
    }

    fn is_int(&self, attrs: &Attributes, id: u32) -> bool {
        self.find(attrs, id).is_some_and(|a| a.typed_value.is_int())
    }

    /// `getAttribute(tree, attrRes)`: a string-typed attribute's text; other types are an error
    /// (recorded with `context` when it is not empty).
    fn string_attr(&mut self, attrs: &Attributes, id: u32, context: &str) -> Option<String> {
        let attribute = self.find(attrs, id)?;
        if attribute.typed_value.data_type != data_type::STRING {
            if !context.is_empty() {
                self.error(&format!("{context}: attribute is not a string value"));
            }
            return None;
        }
        Some(self.raw_string(&attribute).unwrap_or_default())
    }

    /// `getIntegerAttribute`: an integer-typed attribute's data, or `default`.
    fn int_attr(&mut self, attrs: &Attributes, id: u32, default: i32, context: Option<&str>) -> i32 {
        let Some(attribute) = self.find(attrs, id) else {
            return default;
        };
        if !attribute.typed_value.is_int() {
            if let Some(context) = context {
                self.error(&format!("{context}: attribute is not an integer value"));
            }
            return default;
        }
        attribute.typed_value.data as i32
    }

    /// `getResolvedIntegerAttribute`: references followed, then an integer type required.
    fn resolved_int(&mut self, attrs: &Attributes, id: u32, context: Option<&str>) -> Option<i32> {
        let attribute = self.find(attrs, id)?;
        let value = self.resolve(attribute.typed_value);
        if !value.is_int() {
            if let Some(context) = context {
                self.error(&format!("{context}: attribute is not an integer value"));
            }
            return None;
        }
        Some(value.data as i32)
    }

    fn resolved_bool(&mut self, attrs: &Attributes, id: u32) -> Option<bool> {
        self.resolved_int(attrs, id, None).map(|v| v != 0)
    }

    /// `getResolvedAttribute` in the badging configuration.
    fn resolved_string(&mut self, attrs: &Attributes, id: u32, context: Option<&str>) -> Option<String> {
        let mut failed = false;
        let text = self.resolved_string_with(attrs, id, &Config::badging(), &mut failed);
        if failed && let Some(context) = context {
            self.error(&format!("{context}: attribute is not a string value"));
        }
        text
    }

    /// `getResolvedAttribute`: a string's raw text, or a reference followed to a table string;
    /// anything else sets `failed`.
    fn resolved_string_with(
        &self,
        attrs: &Attributes,
        id: u32,
        config: &Config,
        failed: &mut bool,
    ) -> Option<String> {
        let attribute = self.find(attrs, id)?;
        let value = attribute.typed_value;
        if value.data_type == data_type::STRING {
            return Some(self.raw_string(&attribute).unwrap_or_default());
        }
        let resolved = self.resolve_with(value, config);
        if resolved.data_type != data_type::STRING {
            *failed = true;
            return None;
        }
        Some(self.table_string(&resolved).unwrap_or_default())
    }

    /// An `android:` attribute found by its name (`indexOfAttribute(ns, name)`).
    fn find_android_by_name(&self, attrs: &Attributes, name: &str) -> Option<Attribute> {
        const ANDROID: &str = "http://schemas.android.com/apk/res/android";
        attrs
            .list
            .iter()
            .find(|a| {
                let text = |index: Option<u32>| index.and_then(|i| self.doc.string(i).ok());
                text(a.namespace).is_some_and(|ns| ns == ANDROID) && text(a.name).is_some_and(|n| n == name)
            })
            .copied()
    }

    /// The resource id of a reference attribute.
    fn reference_attr(&self, attrs: &Attributes, id: u32) -> Option<u32> {
        self.reference_value(&self.find(attrs, id)?)
    }

    fn reference_value(&self, attribute: &Attribute) -> Option<u32> {
        let value = attribute.typed_value;
        let value = self
            .table
            .and_then(|t| t.map_dynamic(value, None))
            .unwrap_or(value);
        (value.data_type == data_type::REFERENCE).then_some(value.data)
    }

    /// A value with references resolved, typed.
    fn attr_value(&self, attribute: &Attribute) -> AttrValue {
        let value = attribute.typed_value;
        if value.data_type == data_type::STRING {
            return AttrValue::String(self.raw_string(attribute).unwrap_or_default());
        }
        let resolved = self.resolve(value);
        match resolved.value() {
            Value::String(_) => AttrValue::String(self.table_string(&resolved).unwrap_or_default()),
            Value::IntDec(v) => AttrValue::Int(v),
            Value::IntHex(v) => AttrValue::Int(v as i32),
            Value::Boolean(b) => AttrValue::Bool(b),
            Value::Float(f) => AttrValue::Float(f),
            Value::Reference(id) => AttrValue::Reference(id),
            _ => AttrValue::Other(resolved),
        }
    }

    fn resolve(&self, value: ResValue) -> ResValue {
        self.resolve_with(value, &Config::badging())
    }

    fn resolve_with(&self, value: ResValue, config: &Config) -> ResValue {
        match self.table {
            Some(table) => table.resolve(value, config),
            None => value,
        }
    }

    fn table_string(&self, value: &ResValue) -> Option<String> {
        self.table?.string_value(value).map(Cow::into_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::axml::tests::Builder;
    use crate::res::ParseMode;

    const ANDROID: &str = "http://schemas.android.com/apk/res/android";

    fn int(v: u32) -> ResValue {
        ResValue::new(data_type::INT_DEC, v)
    }

    fn boolean(v: bool) -> ResValue {
        ResValue::new(data_type::INT_BOOLEAN, if v { u32::MAX } else { 0 })
    }

    fn string() -> ResValue {
        ResValue::new(data_type::STRING, 0)
    }

    fn sample() -> Vec<u8> {
        let mut b = Builder::new(&[
            ("name", attr::NAME),
            ("versionCode", attr::VERSION_CODE),
            ("minSdkVersion", attr::MIN_SDK_VERSION),
            ("exported", attr::EXPORTED),
            ("debuggable", attr::DEBUGGABLE),
            ("maxSdkVersion", attr::MAX_SDK_VERSION),
        ]);
        b.namespace(true, "android", ANDROID);
        b.start(
            None,
            "manifest",
            1,
            &[
                (Some(ANDROID), "versionCode", None, int(12)),
                (None, "package", Some("org.example"), string()),
            ],
        );
        b.start(
            None,
            "uses-sdk",
            2,
            &[(Some(ANDROID), "minSdkVersion", None, int(21))],
        );
        b.end(None, "uses-sdk");
        b.start(
            None,
            "uses-permission",
            3,
            &[
                (
                    Some(ANDROID),
                    "name",
                    Some("android.permission.WRITE_EXTERNAL_STORAGE"),
                    string(),
                ),
                (Some(ANDROID), "maxSdkVersion", None, int(28)),
            ],
        );
        b.end(None, "uses-permission");
        b.start(
            None,
            "application",
            4,
            &[(Some(ANDROID), "debuggable", None, boolean(true))],
        );
        for (tag, name, exported, filter) in [
            ("activity", "Main", None, true),
            ("service", ".Sync", Some(false), true),
            ("receiver", "org.other.Receiver", None, true),
            ("provider", ".Data", None, false),
        ] {
            let mut attrs = vec![(Some(ANDROID), "name", Some(name), string())];
            if let Some(e) = exported {
                attrs.push((Some(ANDROID), "exported", None, boolean(e)));
            }
            b.start(None, tag, 5, &attrs);
            if filter {
                b.start(None, "intent-filter", 6, &[]);
                let action = if tag == "activity" {
                    "android.intent.action.MAIN"
                } else {
                    "x.ACTION"
                };
                b.start(
                    None,
                    "action",
                    7,
                    &[(Some(ANDROID), "name", Some(action), string())],
                );
                b.end(None, "action");
                b.end(None, "intent-filter");
                if tag == "activity" {
                    b.start(None, "intent-filter", 8, &[]);
                    let launcher = "android.intent.category.LAUNCHER";
                    b.start(
                        None,
                        "category",
                        9,
                        &[(Some(ANDROID), "name", Some(launcher), string())],
                    );
                    b.end(None, "category");
                    b.end(None, "intent-filter");
                }
            }
            b.end(None, tag);
        }
        b.end(None, "application");
        b.end(None, "manifest");
        b.namespace(false, "android", ANDROID);
        b.finish()
    }

    #[test]
    fn reads_facts_like_badging() {
        let data = sample();
        let doc = XmlDocument::parse(&data, ParseMode::Strict).unwrap();
        let m = Manifest::parse(&doc, None).unwrap();
        assert_eq!(m.package, "org.example");
        assert_eq!(m.version_code, Some(12));
        assert_eq!(m.min_sdk, Some(SdkVersion::Level(21)));
        assert_eq!((m.effective_min_sdk(), m.effective_target_sdk()), (21, 21));
        assert_eq!(m.uses_permissions[0].max_sdk_version, Some(28));
        assert_eq!(
            m.implied_permissions(),
            [UsesPermission {
                name: "android.permission.READ_EXTERNAL_STORAGE".into(),
                max_sdk_version: Some(28),
                sdk23: false
            }]
        );
        let app = m.application.as_ref().unwrap();
        assert_eq!(app.debuggable, Some(true));
        let names: Vec<&str> = app.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "org.example.Main",
                "org.example.Sync",
                "org.other.Receiver",
                "org.example.Data"
            ]
        );
        let exported: Vec<bool> = app.components.iter().map(|c| c.exported_effective(21)).collect();
        assert_eq!(exported, [true, false, true, false]);
        assert!(app.components[3].exported_effective(16));
        // MAIN and LAUNCHER in separate filters still make a launchable activity (aapt's rule).
        assert_eq!(m.launchable_activities.len(), 1);
        assert_eq!(m.launchable_activities[0].name, "org.example.Main");
        assert!(m.badging_errors.is_empty(), "{:?}", m.badging_errors);
    }

    #[test]
    fn class_names_expand_like_aapt() {
        assert_eq!(expand_class_name("a.b", ".C"), "a.b.C");
        assert_eq!(expand_class_name("a.b", "C"), "a.b.C");
        assert_eq!(expand_class_name("a.b", "x.C"), "x.C");
        assert_eq!(expand_class_name("a.b", ""), "a.b.");
    }

    #[test]
    fn non_manifest_roots_are_refused() {
        let mut b = Builder::new(&[]);
        b.start(None, "resources", 1, &[]);
        b.end(None, "resources");
        let data = b.finish();
        let doc = XmlDocument::parse(&data, ParseMode::Strict).unwrap();
        assert_eq!(
            Manifest::parse(&doc, None).unwrap_err().to_string(),
            "manifest: the root element is `resources`, not `manifest`"
        );
    }

    #[test]
    fn flipped_manifests_never_panic() {
        let data = sample();
        for at in 0..data.len() {
            let mut flipped = data.clone();
            flipped[at] ^= 0xff;
            if let Ok(doc) = XmlDocument::parse(&flipped, ParseMode::Permissive) {
                let _ = Manifest::parse(&doc, None);
            }
            if let Ok(doc) = XmlDocument::parse(&data[..at], ParseMode::Permissive) {
                let _ = Manifest::parse(&doc, None);
            }
        }
    }
}
