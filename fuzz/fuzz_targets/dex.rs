//! The DEX reader on arbitrary bytes: header, tables, class data, every instruction, the
//! hidden-API section, the integrity checks and the code scan the rules use. No input may panic.
#![no_main]

use analyzer::dex::{DexFile, Reference};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(files) = DexFile::parse_all(data) else { return };
    for dex in files {
        let _ = dex.checksum_matches();
        if let Ok(scan) = analyzer::dex::scan::scan(&dex) {
            assert!(scan.calls.len() + scan.device_paths.len() <= analyzer::dex::scan::MAX_RECORDS);
        }
        let _ = dex.map();
        let hidden = dex.hidden_api().ok().flatten();
        for (index, class) in dex.class_defs().enumerate() {
            let Ok(class) = class else { continue };
            let _ = dex.type_descriptor(class.superclass);
            let _ = dex.type_list(class.interfaces_off);
            let Ok(Some(class_data)) = dex.class_data(&class) else { continue };
            if let Some(hidden) = &hidden {
                let _ = hidden.class_flags(index as u32, &class_data);
            }
            let _ = class_data.fields();
            for method in class_data.methods().unwrap_or_default() {
                let _ = dex.method_signature(method.method);
                let Ok(code) = dex.code(method.code_off) else { continue };
                let _ = code.catch_types();
                for insn in code.instructions().flatten() {
                    match insn.reference {
                        Some(Reference::Field(i)) => drop(dex.field_signature(i)),
                        Some(Reference::Method(i)) => drop(dex.method_signature(i)),
                        Some(Reference::String(i)) => drop(dex.string(i).map(|s| s.to_str().len())),
                        Some(Reference::Type(i)) => drop(dex.type_descriptor(i)),
                        _ => {}
                    }
                }
            }
        }
    }
});
