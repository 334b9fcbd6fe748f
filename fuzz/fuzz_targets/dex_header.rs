//! The DEX header reader on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = analyzer::dex::DexHeader::parse(data);
});
