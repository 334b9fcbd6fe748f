//! The resource table reader on arbitrary bytes, in both modes: no panic while walking every
//! entry of every type chunk, reading bags, resolving references and naming resources.
#![no_main]

use analyzer::arsc::{Config, EntryKind, ResourceTable};
use analyzer::res::{ParseMode, ResValue, data_type};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for mode in [ParseMode::Permissive, ParseMode::Strict] {
        let Ok(table) = ResourceTable::parse(data, mode) else {
            continue;
        };
        for package in table.packages() {
            let _ = package.libraries().count();
            for chunk in &package.types {
                let _ = chunk.config.to_string();
                let _ = chunk.config.matches(&Config::badging());
                for (index, offset) in chunk.entry_offsets().take(4096) {
                    let id = (u32::from(package.assigned_id) << 24) | (u32::from(chunk.id) << 16) | index;
                    if let Ok(entry) = chunk.entry_at(offset, id)
                        && let EntryKind::Bag(bag) = entry.kind
                    {
                        let _ = bag.maps().take(4096).count();
                    }
                    let _ = table.resource_name(id);
                    let value = table.resolve(ResValue::new(data_type::REFERENCE, id), &Config::badging());
                    let _ = table.string_value(&value);
                }
            }
        }
    }
});
