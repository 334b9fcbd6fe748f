//! The binary XML reader and the manifest facts on arbitrary bytes, in both modes: no panic,
//! every node and attribute can be asked for, and the aapt rendering completes.
#![no_main]

use analyzer::axml::{Node, XmlDocument};
use analyzer::manifest::Manifest;
use analyzer::res::ParseMode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for mode in [ParseMode::Permissive, ParseMode::Strict] {
        let Ok(doc) = XmlDocument::parse(data, mode) else {
            continue;
        };
        for node in doc.nodes().flatten() {
            if let Node::StartElement(element) = node {
                for attribute in element.attributes().flatten() {
                    let _ = doc.attribute_name(&attribute);
                    let _ = attribute.typed_value.value();
                }
            }
        }
        let _ = doc.to_aapt_xmltree();
        if let Ok(manifest) = Manifest::parse(&doc, None) {
            let _ = manifest.implied_permissions();
            let _ = manifest.effective_target_sdk();
        }
    }
});
