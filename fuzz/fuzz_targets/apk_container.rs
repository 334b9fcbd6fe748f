//! The zip reader, the APK Signing Block locator, the inventory and the nested-container walk
//! on arbitrary bytes: no panic, and every entry's data can be asked for without crashing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(zip) = analyzer::zip::ZipArchive::parse(data) {
        let _ = analyzer::signing_block::SigningBlock::find(&zip);
        let _ = zip.duplicate_names();
        let _ = zip.overlapping_entries();
        for entry in zip.entries() {
            let _ = entry.has_unsafe_name();
            let _ = zip.read(entry);
        }
    }
    let _ = analyzer::apk::ApkInventory::read(data);
    let _ = analyzer::container::walk("input", data, &mut |item| {
        let _ = analyzer::container::detect(item.data);
        true
    });
});
