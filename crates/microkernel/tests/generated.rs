//! `docs/protocols.md` matches the protocol definitions.

use std::path::Path;

#[test]
fn protocols_doc_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/protocols.md");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        microkernel::markdown() == committed,
        "docs/protocols.md is stale: run \
         `cargo run -q -p microkernel --example protocols-markdown > docs/protocols.md`"
    );
}
