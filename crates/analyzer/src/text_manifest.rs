//! The plain-text `AndroidManifest.xml` of an AAR (libraries ship their manifest as source XML,
//! not compiled): package, versions and `uses-sdk`, read like the manifest merger reads them.

use crate::manifest::{Manifest, SdkVersion};

const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

/// Reads the facts a library's manifest gives; a reason when it is not a well-formed manifest.
pub fn parse(xml: &[u8]) -> Result<Manifest, String> {
    let text = std::str::from_utf8(xml).map_err(|_| "not UTF-8 text (nor binary XML)".to_string())?;
    let options = roxmltree::ParsingOptions {
        // Real manifests have no DTD; refusing one closes the entity-expansion door.
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(text, options).map_err(|err| err.to_string())?;
    let root = document.root_element();
    if root.tag_name().name() != "manifest" {
        return Err(format!(
            "the root element is `{}`, not `manifest`",
            root.tag_name().name()
        ));
    }
    fn android<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
        node.attribute((ANDROID_NS, name))
    }
    let mut manifest = Manifest {
        package: root.attribute("package").unwrap_or_default().to_string(),
        split: root.attribute("split").map(str::to_string),
        version_code: android(root, "versionCode").and_then(|v| v.trim().parse().ok()),
        version_name: android(root, "versionName").map(str::to_string),
        ..Manifest::default()
    };
    if let Some(uses_sdk) = root.children().find(|n| n.has_tag_name("uses-sdk")) {
        let sdk = |value: &str| match value.trim().parse() {
            Ok(level) => SdkVersion::Level(level),
            Err(_) => SdkVersion::Codename(value.trim().to_string()),
        };
        manifest.min_sdk = android(uses_sdk, "minSdkVersion").map(sdk);
        manifest.target_sdk = android(uses_sdk, "targetSdkVersion").map(sdk);
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_package_and_sdk_levels() {
        let xml = br#"<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.lib" android:versionCode="7" android:versionName="1.2">
    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="Tiramisu" />
</manifest>"#;
        let m = parse(xml).unwrap();
        assert_eq!(m.package, "com.example.lib");
        assert_eq!(m.version_code, Some(7));
        assert_eq!(m.version_name.as_deref(), Some("1.2"));
        assert_eq!(m.min_sdk, Some(SdkVersion::Level(21)));
        assert_eq!(m.target_sdk, Some(SdkVersion::Codename("Tiramisu".into())));
    }

    #[test]
    fn refuses_what_is_not_a_manifest() {
        assert!(parse(b"<resources/>").unwrap_err().contains("not `manifest`"));
        assert!(parse(b"<manifest>").is_err());
        assert!(parse(b"\xff\xfe").is_err());
        let bomb = br#"<!DOCTYPE m [<!ENTITY a "aaaa">]><manifest package="&a;"/>"#;
        assert!(parse(bomb).is_err());
    }
}
