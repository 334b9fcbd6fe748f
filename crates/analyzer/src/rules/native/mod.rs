//! `HC3xxx`: native libraries and the target's loader, page size and kernel interface.

mod hc3001_load_segment_alignment;
mod hc3002_stored_library_alignment;
mod hc3003_private_library;
mod hc3004_text_relocations;
mod hc3005_executable_stack;
mod hc3006_no_supported_abi;
mod hc3007_direct_syscalls;
mod hc3008_missing_soname;
mod hc3009_missing_libc_symbol;

use super::Rule;

pub(super) static RULES: &[&Rule] = &[
    &hc3001_load_segment_alignment::RULE,
    &hc3002_stored_library_alignment::RULE,
    &hc3003_private_library::RULE,
    &hc3004_text_relocations::RULE,
    &hc3005_executable_stack::RULE,
    &hc3006_no_supported_abi::RULE,
    &hc3007_direct_syscalls::RULE,
    &hc3008_missing_soname::RULE,
    &hc3009_missing_libc_symbol::RULE,
];

/// The file name of an entry path (`lib/x86/libfoo.so` gives `libfoo.so`).
fn file_name(entry: &str) -> &str {
    entry.rsplit(['/', '!']).next().unwrap_or(entry)
}
