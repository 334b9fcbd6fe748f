//! The manifest editor on arbitrary bytes: whatever the reader accepts is written back, read
//! again to the same model, and survives an edit (attribute set, element added and removed)
//! without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use migrator::axml_edit::{Value, XmlEditor, XmlNode};

fuzz_target!(|data: &[u8]| {
    let Ok(mut editor) = XmlEditor::parse(data) else {
        return;
    };
    let Ok(written) = editor.to_bytes() else {
        return;
    };
    let again = XmlEditor::parse(&written).expect("a written document reads back");
    assert_eq!(again.nodes(), editor.nodes(), "nodes changed by a round trip");
    let Some(first) = editor
        .nodes()
        .iter()
        .position(|node| matches!(node, XmlNode::Start(_)))
    else {
        return;
    };
    let _ = editor.set_android_attr(first, "debuggable", Value::Bool(true));
    let _ = editor.set_android_attr(first, "label", Value::Str("fuzz".into()));
    if let Ok(added) = editor.add_element(first, "uses-permission", &[("name", Value::Str("p".into()))]) {
        let _ = editor.remove_element(added);
    }
    if let Ok(written) = editor.to_bytes() {
        let edited = XmlEditor::parse(&written).expect("an edited document reads back");
        assert_eq!(edited.nodes(), editor.nodes(), "nodes changed by writing an edit");
    }
});
