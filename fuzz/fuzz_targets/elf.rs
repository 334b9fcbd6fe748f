//! The ELF reader on arbitrary bytes: header, segments, dynamic section, dynamic symbols with
//! their versions (`DT_VERNEED` names and files) and the syscall-site scan must never panic,
//! and what they report must stay consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(elf) = analyzer::elf::ElfFile::parse(data) else {
        return;
    };
    let _ = elf.abi();
    let _ = elf.supports_16k_pages();
    let _ = elf.executable_stack();
    let _ = elf.has_text_relocations();
    for load in &elf.loads {
        let _ = load.is_congruent();
    }
    for import in &elf.imports {
        assert_eq!(import.version.is_some(), import.version_file.is_some());
    }
    if let Some(dynamic) = &elf.dynamic {
        let _ = dynamic.binds_now();
    }
    if let Ok(sites) = elf.syscall_sites() {
        assert!(sites.windows(2).all(|w| w[0].address <= w[1].address));
    }
});
