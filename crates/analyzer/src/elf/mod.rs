//! ELF shared libraries (`lib/<abi>/*.so`), read in place: what Android's dynamic linker and
//! the microkernel target care about.
//!
//! The module owns the facts, not the judgement: the ABI, every `PT_LOAD`'s alignment (Android
//! 15+ devices with 16 KiB pages need each to be aligned to at least 16,384), executable stacks,
//! RELRO, the dynamic section (`DT_NEEDED`, `DT_SONAME`, run paths, text relocations, bind-now),
//! the imported dynamic symbols with their versions, and the places where the code enters the
//! kernel directly instead of through bionic ([`ElfFile::syscall_sites`]).
//!
//! Parsing follows the loader, not the linker: program headers and the dynamic section are the
//! source of truth, addresses are mapped to file offsets through the `PT_LOAD` segments, and the
//! dynamic symbol table is sized from `DT_HASH`/`DT_GNU_HASH` as bionic does. Section headers,
//! which the loader ignores and packers strip or garble, are only used where they add
//! precision: the names and bounds of executable sections and the `.symtab` symbols that tell
//! functions and ARM/Thumb state apart. When they are unusable, [`ElfFile::section_problem`]
//! says why and the reader carries on without them.
//!
//! The raw structures come from the `object` crate (`object::read::elf`, zero-copy, every read
//! bounds-checked). Nothing here allocates in proportion to a count read from the file: tables
//! are borrowed slices whose length was checked against the input, and every vector grows by
//! one element per entry actually present in the input.

mod dynamic;
mod syscalls;

use object::elf as raw;
use object::read::elf::{FileHeader, ProgramHeader};
use object::{Endianness, ReadRef};

use crate::bytes::slice;

pub use dynamic::{Binding, DynamicInfo, ImportedSymbol, SymbolKind};
pub use syscalls::{Isa, SyscallSite};

/// Page size of Android 15+ devices that run with 16 KiB pages: every `PT_LOAD` of a library
/// they load must be aligned to at least this.
pub const PAGE_SIZE_16K: u64 = 16 * 1024;

/// Why bytes are not an ELF file this reader can describe.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ElfError {
    #[error("not an ELF file: bad magic")]
    BadMagic,
    #[error("truncated ELF: {len} bytes, shorter than its {needed}-byte file header")]
    Truncated { len: u64, needed: u64 },
    #[error("unsupported ELF class {0} (neither ELFCLASS32 nor ELFCLASS64)")]
    UnsupportedClass(u8),
    #[error("unsupported ELF data encoding {0} (neither little nor big endian)")]
    UnsupportedEncoding(u8),
    #[error("unsupported ELF version {0}")]
    UnsupportedVersion(u8),
    #[error("corrupt ELF program headers: {0}")]
    ProgramHeaders(&'static str),
    #[error("corrupt ELF dynamic section: {0}")]
    Dynamic(&'static str),
    #[error("corrupt ELF dynamic symbols: {0}")]
    Symbols(&'static str),
    #[error("no syscall-site scan for ELF machine {0} (only AArch64, ARM, x86 and x86-64)")]
    NoDisassembler(u16),
}

/// `EI_CLASS`: 32- or 64-bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Elf32,
    Elf64,
}

/// `EI_DATA`: byte order of the file's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteOrder {
    Little,
    Big,
}

/// The Android ABIs, named as the `lib/<abi>/` directories of an APK name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AndroidAbi {
    Arm64V8a,
    ArmeabiV7a,
    X86,
    X86_64,
    Riscv64,
}

impl AndroidAbi {
    /// The directory name under `lib/`, e.g. `arm64-v8a`.
    pub fn name(self) -> &'static str {
        match self {
            AndroidAbi::Arm64V8a => "arm64-v8a",
            AndroidAbi::ArmeabiV7a => "armeabi-v7a",
            AndroidAbi::X86 => "x86",
            AndroidAbi::X86_64 => "x86_64",
            AndroidAbi::Riscv64 => "riscv64",
        }
    }
}

/// One `PT_LOAD` program header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadSegment {
    pub offset: u64,
    pub vaddr: u64,
    pub file_size: u64,
    pub mem_size: u64,
    /// `p_flags`: `PF_X` (1), `PF_W` (2), `PF_R` (4).
    pub flags: u32,
    pub align: u64,
}

impl LoadSegment {
    pub fn is_executable(&self) -> bool {
        self.flags & raw::PF_X.0 != 0
    }

    /// Whether `p_offset` and `p_vaddr` are congruent modulo `p_align`, as the loader needs to
    /// map the file page by page. Alignments 0 and 1 mean "no constraint".
    pub fn is_congruent(&self) -> bool {
        self.align <= 1 || self.offset % self.align == self.vaddr % self.align
    }
}

/// An ELF file: header facts, segments, the dynamic section and the dynamic symbols.
#[derive(Debug, Clone)]
pub struct ElfFile<'a> {
    data: &'a [u8],
    pub class: Class,
    pub byte_order: ByteOrder,
    /// `e_type`: 3 for a shared object.
    pub file_type: u16,
    /// `e_machine`: 183 AArch64, 40 ARM, 3 x86, 62 x86-64, 243 RISC-V.
    pub machine: u16,
    /// `e_flags` (the EABI version and float ABI on ARM).
    pub flags: u32,
    /// `PT_LOAD` segments in program header order.
    pub loads: Vec<LoadSegment>,
    /// `p_flags` of `PT_GNU_STACK`, when the file has one.
    pub gnu_stack: Option<u32>,
    /// A `PT_GNU_RELRO` segment is present.
    pub gnu_relro: bool,
    /// The dynamic section named by `PT_DYNAMIC`, when present.
    pub dynamic: Option<DynamicInfo<'a>>,
    /// Undefined dynamic symbols, in symbol table order.
    pub imports: Vec<ImportedSymbol<'a>>,
    /// Defined dynamic symbols that are not local: what the library exports.
    pub exported_symbols: usize,
    /// Why the section headers could not be used, when they could not. The loader ignores
    /// them; this reader then works from the program headers alone.
    pub section_problem: Option<&'static str>,
    /// Address and entry count of the dynamic symbol table, for the syscall scan.
    dynamic_symbol_table: Option<(u64, u64)>,
}

impl<'a> ElfFile<'a> {
    /// Reads the header, program headers, dynamic section and dynamic symbols of `data`.
    pub fn parse(data: &'a [u8]) -> Result<Self, ElfError> {
        let ident = slice(data, 0, 16).ok_or(if data.len() >= 4 && data[..4] == raw::ELFMAG {
            ElfError::Truncated {
                len: data.len() as u64,
                needed: 52,
            }
        } else {
            ElfError::BadMagic
        })?;
        if ident[..4] != raw::ELFMAG {
            return Err(ElfError::BadMagic);
        }
        if ident[6] != raw::EV_CURRENT.0 {
            return Err(ElfError::UnsupportedVersion(ident[6]));
        }
        if ident[5] != raw::ELFDATA2LSB.0 && ident[5] != raw::ELFDATA2MSB.0 {
            return Err(ElfError::UnsupportedEncoding(ident[5]));
        }
        match ident[4] {
            1 => parse_class::<raw::FileHeader32<Endianness>>(data, Class::Elf32),
            2 => parse_class::<raw::FileHeader64<Endianness>>(data, Class::Elf64),
            other => Err(ElfError::UnsupportedClass(other)),
        }
    }

    /// The whole input.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The Android ABI this file is built for, or `None` for a machine, class or byte order
    /// that no Android ABI uses.
    pub fn abi(&self) -> Option<AndroidAbi> {
        if self.byte_order != ByteOrder::Little {
            return None;
        }
        match (self.machine, self.class) {
            (m, Class::Elf64) if m == raw::EM_AARCH64.0 => Some(AndroidAbi::Arm64V8a),
            (m, Class::Elf32) if m == raw::EM_ARM.0 => Some(AndroidAbi::ArmeabiV7a),
            (m, Class::Elf32) if m == raw::EM_386.0 => Some(AndroidAbi::X86),
            (m, Class::Elf64) if m == raw::EM_X86_64.0 => Some(AndroidAbi::X86_64),
            (m, Class::Elf64) if m == raw::EM_RISCV.0 => Some(AndroidAbi::Riscv64),
            _ => None,
        }
    }

    /// The smallest `p_align` of any `PT_LOAD`, or `None` without loadable segments.
    pub fn min_load_align(&self) -> Option<u64> {
        self.loads.iter().map(|l| l.align).min()
    }

    /// Whether every `PT_LOAD` is aligned to 16 KiB or more, so that devices with 16 KiB pages
    /// can load the library.
    pub fn supports_16k_pages(&self) -> bool {
        self.min_load_align().is_some_and(|a| a >= PAGE_SIZE_16K)
    }

    /// Whether the stack would be executable: `PT_GNU_STACK` with `PF_X`, or no
    /// `PT_GNU_STACK` at all (the kernel's default for such files on 32-bit ARM and x86).
    pub fn executable_stack(&self) -> bool {
        self.gnu_stack.is_none_or(|flags| flags & raw::PF_X.0 != 0)
    }

    /// Whether the library needs text relocations (`DT_TEXTREL` or `DF_TEXTREL`), which
    /// Android refuses for apps targeting API 23 and later.
    pub fn has_text_relocations(&self) -> bool {
        self.dynamic
            .as_ref()
            .is_some_and(DynamicInfo::has_text_relocations)
    }

    /// Direct system calls in the executable code: `svc #0` (AArch64), `svc 0` (ARM and Thumb),
    /// `syscall` (x86-64), `int 0x80` (x86), in address order. See [`SyscallSite`] for what
    /// each carries and [`syscalls`](self::syscalls) for how the code is walked.
    pub fn syscall_sites(&self) -> Result<Vec<SyscallSite<'a>>, ElfError> {
        syscalls::scan(self)
    }

    /// File bytes of the virtual address range `vaddr..vaddr + len`, when one `PT_LOAD`
    /// holds all of it in the file.
    fn bytes_at(&self, vaddr: u64, len: u64) -> Option<&'a [u8]> {
        let end = vaddr.checked_add(len)?;
        self.loads.iter().find_map(|load| {
            let load_end = load.vaddr.checked_add(load.file_size)?;
            if vaddr < load.vaddr || end > load_end {
                return None;
            }
            slice(self.data, load.offset.checked_add(vaddr - load.vaddr)?, len)
        })
    }

    /// File bytes from `vaddr` to the end of the file part of the `PT_LOAD` holding it.
    fn bytes_from(&self, vaddr: u64) -> Option<&'a [u8]> {
        self.loads.iter().find_map(|load| {
            let load_end = load.vaddr.checked_add(load.file_size)?;
            if vaddr < load.vaddr || vaddr >= load_end {
                return None;
            }
            slice(
                self.data,
                load.offset.checked_add(vaddr - load.vaddr)?,
                load_end - vaddr,
            )
        })
    }
}

fn parse_class<'a, Elf>(data: &'a [u8], class: Class) -> Result<ElfFile<'a>, ElfError>
where
    Elf: FileHeader<Endian = Endianness>,
{
    let needed = std::mem::size_of::<Elf>() as u64;
    let header = data.read_at::<Elf>(0).map_err(|()| ElfError::Truncated {
        len: data.len() as u64,
        needed,
    })?;
    let endian = header
        .endian()
        .map_err(|_| ElfError::UnsupportedEncoding(header.e_ident().data.0))?;
    let phdrs = header.program_headers(endian, data).map_err(|_| {
        ElfError::ProgramHeaders("table lies outside the file or e_phentsize is wrong for the class")
    })?;

    let mut loads = Vec::new();
    let mut gnu_stack = None;
    let mut gnu_relro = false;
    let mut dynamic_range = None;
    for phdr in phdrs {
        let p_type = phdr.p_type(endian);
        if p_type == raw::PT_LOAD {
            loads.push(LoadSegment {
                offset: phdr.p_offset(endian).into(),
                vaddr: phdr.p_vaddr(endian).into(),
                file_size: phdr.p_filesz(endian).into(),
                mem_size: phdr.p_memsz(endian).into(),
                flags: phdr.p_flags(endian).0,
                align: phdr.p_align(endian).into(),
            });
        } else if p_type == raw::PT_GNU_STACK {
            gnu_stack = Some(phdr.p_flags(endian).0);
        } else if p_type == raw::PT_GNU_RELRO {
            gnu_relro = true;
        } else if p_type == raw::PT_DYNAMIC && dynamic_range.is_none() {
            dynamic_range = Some((phdr.p_offset(endian).into(), phdr.p_filesz(endian).into()));
        }
    }

    let section_problem = header
        .sections(endian, data)
        .err()
        .map(|_| "section header table or its string table lies outside the file, or e_shentsize is wrong");

    let mut file = ElfFile {
        data,
        class,
        byte_order: if header.is_big_endian() {
            ByteOrder::Big
        } else {
            ByteOrder::Little
        },
        file_type: header.e_type(endian).0,
        machine: header.e_machine(endian).0,
        flags: header.e_flags(endian).0,
        loads,
        gnu_stack,
        gnu_relro,
        dynamic: None,
        imports: Vec::new(),
        exported_symbols: 0,
        section_problem,
        dynamic_symbol_table: None,
    };
    if let Some((offset, size)) = dynamic_range {
        let (info, tables) = dynamic::read::<Elf>(&file, endian, offset, size)?;
        let symbols = dynamic::read_symbols::<Elf>(&file, endian, &tables)?;
        file.imports = symbols.imports;
        file.exported_symbols = symbols.exported;
        file.dynamic_symbol_table = symbols.table;
        file.dynamic = Some(info);
    }
    Ok(file)
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::testing::{ElfBuilder, Segment};
    use super::*;

    #[test]
    fn reads_header_facts_and_the_abi() {
        for (machine, class, abi) in [
            (183, Class::Elf64, Some(AndroidAbi::Arm64V8a)),
            (40, Class::Elf32, Some(AndroidAbi::ArmeabiV7a)),
            (3, Class::Elf32, Some(AndroidAbi::X86)),
            (62, Class::Elf64, Some(AndroidAbi::X86_64)),
            (243, Class::Elf64, Some(AndroidAbi::Riscv64)),
            (183, Class::Elf32, None),
            (8, Class::Elf32, None),
        ] {
            let data = ElfBuilder::new(class, machine).build();
            let elf = ElfFile::parse(&data).unwrap();
            assert_eq!(elf.class, class);
            assert_eq!(elf.machine, machine);
            assert_eq!(elf.byte_order, ByteOrder::Little);
            assert_eq!(elf.abi(), abi, "machine {machine}");
        }
        assert_eq!(AndroidAbi::ArmeabiV7a.name(), "armeabi-v7a");
    }

    #[test]
    fn load_alignment_congruence_and_stack() {
        let mut builder = ElfBuilder::new(Class::Elf64, 183);
        builder.segments.push(Segment::load(0, 0, 0x100, 5, 0x4000));
        builder
            .segments
            .push(Segment::load(0x1100, 0x5100, 0x10, 6, 0x1000));
        builder
            .segments
            .push(Segment::load(0x1200, 0x9300, 0x10, 6, 0x4000));
        let data = builder.build();
        let elf = ElfFile::parse(&data).unwrap();
        assert_eq!(elf.loads.len(), 3);
        assert_eq!(elf.min_load_align(), Some(0x1000));
        assert!(!elf.supports_16k_pages());
        assert_eq!(
            elf.loads
                .iter()
                .map(LoadSegment::is_congruent)
                .collect::<Vec<_>>(),
            [true, true, false]
        );
        assert!(elf.loads[0].is_executable());
        assert!(
            elf.executable_stack(),
            "no PT_GNU_STACK means an executable stack"
        );
        assert!(!elf.gnu_relro);

        builder.segments.truncate(1);
        builder.segments.push(Segment::other(raw::PT_GNU_STACK.0, 6));
        builder.segments.push(Segment::other(raw::PT_GNU_RELRO.0, 4));
        let data = builder.build();
        let elf = ElfFile::parse(&data).unwrap();
        assert!(elf.supports_16k_pages());
        assert!(!elf.executable_stack());
        assert!(elf.gnu_relro);

        builder.segments.push(Segment::other(raw::PT_GNU_STACK.0, 7));
        builder.segments.remove(1);
        let data = builder.build();
        let elf = ElfFile::parse(&data).unwrap();
        assert!(elf.executable_stack());
    }

    #[test]
    fn rejects_what_is_not_elf() {
        assert_eq!(ElfFile::parse(b"").unwrap_err(), ElfError::BadMagic);
        assert_eq!(
            ElfFile::parse(b"PK\x03\x04 not an elf").unwrap_err(),
            ElfError::BadMagic
        );
        let mut builder = ElfBuilder::new(Class::Elf64, 183);
        builder.segments.push(Segment::load(0, 0, 0x100, 5, 0x4000));
        let data = builder.build();
        assert!(matches!(
            ElfFile::parse(&data[..40]).unwrap_err(),
            ElfError::Truncated { len: 40, needed: 64 }
        ));
        let mut bad = data.clone();
        bad[4] = 3;
        assert_eq!(ElfFile::parse(&bad).unwrap_err(), ElfError::UnsupportedClass(3));
        let mut bad = data.clone();
        bad[5] = 0;
        assert_eq!(
            ElfFile::parse(&bad).unwrap_err(),
            ElfError::UnsupportedEncoding(0)
        );
        let mut bad = data.clone();
        bad[6] = 2;
        assert_eq!(ElfFile::parse(&bad).unwrap_err(), ElfError::UnsupportedVersion(2));
        let mut bad = data;
        bad[54] = 7; // e_phentsize
        assert!(matches!(
            ElfFile::parse(&bad).unwrap_err(),
            ElfError::ProgramHeaders(_)
        ));
    }

    #[test]
    fn big_endian_files_are_read_but_have_no_android_abi() {
        let mut builder = ElfBuilder::new(Class::Elf32, 40);
        builder.big_endian = true;
        builder.segments.push(Segment::load(0, 0, 0x80, 5, 0x10000));
        let data = builder.build();
        let elf = ElfFile::parse(&data).unwrap();
        assert_eq!(elf.byte_order, ByteOrder::Big);
        assert_eq!(elf.machine, 40);
        assert_eq!(elf.loads[0].align, 0x10000);
        assert_eq!(elf.abi(), None);
    }

    #[test]
    fn truncation_and_bit_flips_never_panic() {
        let data = testing::sample_arm64_library();
        for cut in 0..data.len() {
            if let Ok(elf) = ElfFile::parse(&data[..cut]) {
                let _ = elf.syscall_sites();
            }
            let mut flipped = data.clone();
            flipped[cut] ^= 0xff;
            if let Ok(elf) = ElfFile::parse(&flipped) {
                let _ = elf.syscall_sites();
            }
        }
    }
}
