//! The dynamic section and the dynamic symbol table, found the way bionic's linker finds them:
//! `PT_DYNAMIC` for the entries, `DT_STRTAB`/`DT_STRSZ` for the strings, `DT_SYMTAB` sized by
//! `DT_HASH` (or `DT_GNU_HASH`), `DT_VERSYM`/`DT_VERNEED` for symbol versions, every address
//! mapped to the file through the `PT_LOAD` segments.

use object::elf as raw;
use object::read::elf::{Dyn, FileHeader, GnuHashTable, HashTable, SectionHeader, Sym};
use object::{Endianness, ReadRef};

use super::{ElfError, ElfFile};

/// `DT_*` tags read here, as `d_tag` values.
const DT_NULL: i64 = raw::DT_NULL.0;
const DT_NEEDED: i64 = raw::DT_NEEDED.0;
const DT_HASH: i64 = raw::DT_HASH.0;
const DT_STRTAB: i64 = raw::DT_STRTAB.0;
const DT_SYMTAB: i64 = raw::DT_SYMTAB.0;
const DT_STRSZ: i64 = raw::DT_STRSZ.0;
const DT_SYMENT: i64 = raw::DT_SYMENT.0;
const DT_SONAME: i64 = raw::DT_SONAME.0;
const DT_RPATH: i64 = raw::DT_RPATH.0;
const DT_TEXTREL: i64 = raw::DT_TEXTREL.0;
const DT_BIND_NOW: i64 = raw::DT_BIND_NOW.0;
const DT_RUNPATH: i64 = raw::DT_RUNPATH.0;
const DT_FLAGS: i64 = raw::DT_FLAGS.0;
const DT_GNU_HASH: i64 = raw::DT_GNU_HASH.0;
const DT_VERSYM: i64 = raw::DT_VERSYM.0;
const DT_FLAGS_1: i64 = raw::DT_FLAGS_1.0;
const DT_VERNEED: i64 = raw::DT_VERNEED.0;
const DT_VERNEEDNUM: i64 = raw::DT_VERNEEDNUM.0;

/// `DT_FLAGS` bits.
pub const DF_TEXTREL: u64 = 0x4;
pub const DF_BIND_NOW: u64 = 0x8;
/// `DT_FLAGS_1` bit for "resolve every symbol at load time".
pub const DF_1_NOW: u64 = 0x1;

/// What the dynamic section says about loading the library.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DynamicInfo<'a> {
    /// `DT_NEEDED` names, in order.
    pub needed: Vec<&'a [u8]>,
    pub soname: Option<&'a [u8]>,
    pub runpath: Option<&'a [u8]>,
    pub rpath: Option<&'a [u8]>,
    /// A `DT_TEXTREL` entry is present.
    pub textrel: bool,
    /// A `DT_BIND_NOW` entry is present.
    pub bind_now: bool,
    /// `DT_FLAGS`, 0 when absent.
    pub flags: u64,
    /// `DT_FLAGS_1`, 0 when absent.
    pub flags_1: u64,
}

impl DynamicInfo<'_> {
    /// `DT_TEXTREL`, or `DF_TEXTREL` in `DT_FLAGS`: the code must be written to at load time.
    pub fn has_text_relocations(&self) -> bool {
        self.textrel || self.flags & DF_TEXTREL != 0
    }

    /// `DF_1_NOW` in `DT_FLAGS_1`.
    pub fn flags_1_now(&self) -> bool {
        self.flags_1 & DF_1_NOW != 0
    }

    /// Symbols are all bound at load time: `DT_BIND_NOW`, `DF_BIND_NOW` or `DF_1_NOW`.
    pub fn binds_now(&self) -> bool {
        self.bind_now || self.flags & DF_BIND_NOW != 0 || self.flags_1_now()
    }
}

/// `STB_*` of a symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    Local,
    Global,
    Weak,
    /// `STB_GNU_UNIQUE` or an OS/processor-specific value.
    Other(u8),
}

/// `STT_*` of a symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    NoType,
    Object,
    Func,
    Tls,
    /// `STT_GNU_IFUNC`.
    Ifunc,
    Other(u8),
}

/// An undefined dynamic symbol: something the library takes from its dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportedSymbol<'a> {
    pub name: &'a [u8],
    pub binding: Binding,
    pub kind: SymbolKind,
    /// The version required from the dependency (`LIBC`, `LIBC_N`, ...), when `DT_VERSYM`
    /// gives the symbol a version from `DT_VERNEED`.
    pub version: Option<&'a [u8]>,
    /// The library that `DT_VERNEED` expects to define that version (`vn_file`: `libc.so`,
    /// `libc.so.6`, ...); present exactly when `version` is.
    pub version_file: Option<&'a [u8]>,
}

/// File locations of the tables the dynamic section points at, for [`read_symbols`].
#[derive(Debug, Default)]
pub(super) struct Tables<'a> {
    strings: &'a [u8],
    symtab: Option<u64>,
    syment: Option<u64>,
    hash: Option<u64>,
    gnu_hash: Option<u64>,
    versym: Option<u64>,
    verneed: Option<u64>,
    verneed_num: u64,
}

/// Reads the `PT_DYNAMIC` entries at `offset..offset + size` of the file.
pub(super) fn read<'a, Elf: FileHeader<Endian = Endianness>>(
    file: &ElfFile<'a>,
    endian: Endianness,
    offset: u64,
    size: u64,
) -> Result<(DynamicInfo<'a>, Tables<'a>), ElfError> {
    let entry_size = std::mem::size_of::<Elf::Dyn>() as u64;
    let count = usize::try_from(size / entry_size).unwrap_or(usize::MAX);
    let entries: &[Elf::Dyn] = file
        .data
        .read_slice_at(offset, count)
        .map_err(|()| ElfError::Dynamic("PT_DYNAMIC lies outside the file"))?;

    // String-valued entries are resolved after the loop: DT_STRTAB may come after them.
    let mut strtab = None;
    let mut strsz = None;
    let mut strings_wanted: Vec<(i64, u64)> = Vec::new();
    let mut info = DynamicInfo::default();
    let mut tables = Tables::default();
    for entry in entries {
        let tag = entry.d_tag(endian).0;
        let value = entry.val(endian);
        match tag {
            DT_NULL => break,
            DT_NEEDED | DT_SONAME | DT_RUNPATH | DT_RPATH => strings_wanted.push((tag, value)),
            DT_STRTAB => strtab = Some(value),
            DT_STRSZ => strsz = Some(value),
            DT_SYMTAB => tables.symtab = Some(value),
            DT_SYMENT => tables.syment = Some(value),
            DT_HASH => tables.hash = Some(value),
            DT_GNU_HASH => tables.gnu_hash = Some(value),
            DT_VERSYM => tables.versym = Some(value),
            DT_VERNEED => tables.verneed = Some(value),
            DT_VERNEEDNUM => tables.verneed_num = value,
            DT_TEXTREL => info.textrel = true,
            DT_BIND_NOW => info.bind_now = true,
            DT_FLAGS => info.flags = value,
            DT_FLAGS_1 => info.flags_1 = value,
            _ => {}
        }
    }

    if let Some(strtab) = strtab {
        let size = strsz.ok_or(ElfError::Dynamic("DT_STRTAB without DT_STRSZ"))?;
        tables.strings = file.bytes_at(strtab, size).ok_or(ElfError::Dynamic(
            "DT_STRTAB/DT_STRSZ lie outside every PT_LOAD's file data",
        ))?;
    } else if !strings_wanted.is_empty() {
        return Err(ElfError::Dynamic("string entries without DT_STRTAB"));
    }
    for (tag, offset) in strings_wanted {
        let name = c_string(tables.strings, offset).ok_or(ElfError::Dynamic(
            "string offset outside DT_STRSZ or unterminated",
        ))?;
        match tag {
            DT_NEEDED => info.needed.push(name),
            DT_SONAME => {
                info.soname.get_or_insert(name);
            }
            DT_RUNPATH => {
                info.runpath.get_or_insert(name);
            }
            _ => {
                info.rpath.get_or_insert(name);
            }
        }
    }
    Ok((info, tables))
}

/// The imported symbols and the number of exported ones.
#[derive(Debug, Default)]
pub(super) struct Symbols<'a> {
    pub imports: Vec<ImportedSymbol<'a>>,
    pub exported: usize,
    /// Address and entry count of `DT_SYMTAB`.
    pub table: Option<(u64, u64)>,
}

/// Reads the dynamic symbol table the dynamic section points at.
pub(super) fn read_symbols<'a, Elf: FileHeader<Endian = Endianness>>(
    file: &ElfFile<'a>,
    endian: Endianness,
    tables: &Tables<'a>,
) -> Result<Symbols<'a>, ElfError> {
    let Some(symtab) = tables.symtab else {
        return Ok(Symbols::default());
    };
    let entry_size = std::mem::size_of::<Elf::Sym>() as u64;
    if tables.syment.is_some_and(|s| s != entry_size) {
        return Err(ElfError::Symbols("DT_SYMENT does not match the ELF class"));
    }
    let count = symbol_count::<Elf>(file, endian, tables, symtab)?;
    let bytes = file
        .bytes_at(symtab, count.saturating_mul(entry_size))
        .ok_or(ElfError::Symbols(
            "DT_SYMTAB lies outside every PT_LOAD's file data",
        ))?;
    let symbols: &[Elf::Sym] = bytes
        .read_slice_at(0, count as usize)
        .map_err(|()| ElfError::Symbols("DT_SYMTAB lies outside the file"))?;

    let versym: Option<&[u8]> = match tables.versym {
        Some(at) => Some(
            file.bytes_at(at, count.saturating_mul(2))
                .ok_or(ElfError::Symbols(
                    "DT_VERSYM lies outside every PT_LOAD's file data",
                ))?,
        ),
        None => None,
    };
    let needed_versions = match (versym, tables.verneed) {
        (Some(_), Some(at)) => needed_versions(file, endian, tables, at)?,
        _ => Vec::new(),
    };

    let mut result = Symbols {
        table: Some((symtab, count)),
        ..Symbols::default()
    };
    for (index, symbol) in symbols.iter().enumerate().skip(1) {
        let binding = match symbol.st_bind() {
            raw::STB_LOCAL => Binding::Local,
            raw::STB_GLOBAL => Binding::Global,
            raw::STB_WEAK => Binding::Weak,
            other => Binding::Other(other.0),
        };
        if !symbol.is_undefined(endian) {
            if binding != Binding::Local {
                result.exported += 1;
            }
            continue;
        }
        let name = c_string(tables.strings, u64::from(symbol.st_name(endian)))
            .ok_or(ElfError::Symbols("symbol name outside DT_STRSZ or unterminated"))?;
        let needed = versym
            .and_then(|table| {
                table
                    .read_at::<object::endian::U16<Endianness>>(index as u64 * 2)
                    .ok()
            })
            .map(|v| v.get(endian) & 0x7fff)
            .filter(|&v| v > 1)
            .and_then(|v| {
                needed_versions
                    .binary_search_by_key(&v, |need| need.index)
                    .ok()
                    .map(|at| needed_versions[at])
            });
        result.imports.push(ImportedSymbol {
            name,
            binding,
            kind: match symbol.st_type() {
                raw::STT_NOTYPE => SymbolKind::NoType,
                raw::STT_OBJECT => SymbolKind::Object,
                raw::STT_FUNC => SymbolKind::Func,
                raw::STT_TLS => SymbolKind::Tls,
                raw::STT_GNU_IFUNC => SymbolKind::Ifunc,
                other => SymbolKind::Other(other.0),
            },
            version: needed.map(|n| n.name),
            version_file: needed.map(|n| n.file),
        });
    }
    Ok(result)
}

/// The dynamic symbols whose address and count [`read_symbols`] established.
pub(super) fn dynamic_symbol_slice<'a, Elf: FileHeader<Endian = Endianness>>(
    file: &ElfFile<'a>,
) -> Option<&'a [Elf::Sym]> {
    let (address, count) = file.dynamic_symbol_table?;
    let size = count.checked_mul(std::mem::size_of::<Elf::Sym>() as u64)?;
    file.bytes_at(address, size)?
        .read_slice_at(0, usize::try_from(count).ok()?)
        .ok()
}

/// Number of dynamic symbols: `DT_HASH`'s chain count, else the end of the last `DT_GNU_HASH`
/// chain, else the size of a `SHT_DYNSYM` section at `DT_SYMTAB`.
fn symbol_count<Elf: FileHeader<Endian = Endianness>>(
    file: &ElfFile<'_>,
    endian: Endianness,
    tables: &Tables<'_>,
    symtab: u64,
) -> Result<u64, ElfError> {
    if let Some(at) = tables.hash {
        let bytes = file.bytes_from(at).ok_or(ElfError::Symbols(
            "DT_HASH lies outside every PT_LOAD's file data",
        ))?;
        let table = HashTable::<Elf>::parse(endian, bytes)
            .map_err(|_| ElfError::Symbols("DT_HASH table runs past its segment"))?;
        return Ok(u64::from(table.symbol_table_length()));
    }
    if let Some(at) = tables.gnu_hash {
        let bytes = file.bytes_from(at).ok_or(ElfError::Symbols(
            "DT_GNU_HASH lies outside every PT_LOAD's file data",
        ))?;
        let table = GnuHashTable::<Elf>::parse(endian, bytes)
            .map_err(|_| ElfError::Symbols("DT_GNU_HASH table runs past its segment"))?;
        // No symbol in any bucket: only the symbols below the hashed range exist.
        return Ok(table
            .symbol_table_length(endian)
            .map_or(u64::from(table.symbol_base()), u64::from));
    }
    let header = Elf::parse(file.data).map_err(|_| ElfError::Symbols("unreadable file header"))?;
    let sections = header
        .sections(endian, file.data)
        .map_err(|_| ElfError::Symbols("no DT_HASH or DT_GNU_HASH and no usable section headers"))?;
    sections
        .iter()
        .find(|s| s.sh_type(endian) == raw::SHT_DYNSYM && s.sh_addr(endian).into() == symtab)
        .map(|s| s.sh_size(endian).into() / std::mem::size_of::<Elf::Sym>() as u64)
        .ok_or(ElfError::Symbols(
            "no DT_HASH, DT_GNU_HASH or SHT_DYNSYM section to size DT_SYMTAB",
        ))
}

/// One `Vernaux` under `DT_VERNEED`: a version some dependency must define.
#[derive(Debug, Clone, Copy)]
struct NeededVersion<'a> {
    /// `vna_other`: the index `DT_VERSYM` entries use for it.
    index: u16,
    /// `vna_name`.
    name: &'a [u8],
    /// The `vn_file` of the `Verneed` it belongs to.
    file: &'a [u8],
}

/// Every `Vernaux` under `DT_VERNEED`, sorted by index.
fn needed_versions<'a>(
    file: &ElfFile<'a>,
    endian: Endianness,
    tables: &Tables<'a>,
    verneed: u64,
) -> Result<Vec<NeededVersion<'a>>, ElfError> {
    let bytes = file.bytes_from(verneed).ok_or(ElfError::Symbols(
        "DT_VERNEED lies outside every PT_LOAD's file data",
    ))?;
    let bad = ElfError::Symbols("DT_VERNEED entry runs past its segment");
    let mut versions = Vec::new();
    let mut at = 0u64;
    // Every step moves forward through `bytes`, so the walk ends even if DT_VERNEEDNUM lies.
    for _ in 0..tables.verneed_num {
        let need = bytes
            .read_at::<raw::Verneed<Endianness>>(at)
            .map_err(|()| bad.clone())?;
        let needed_file = c_string(tables.strings, u64::from(need.vn_file.get(endian))).ok_or(
            ElfError::Symbols("DT_VERNEED file name outside DT_STRSZ or unterminated"),
        )?;
        let mut aux_at = at
            .checked_add(u64::from(need.vn_aux.get(endian)))
            .ok_or(bad.clone())?;
        for _ in 0..need.vn_cnt.get(endian) {
            let aux = bytes
                .read_at::<raw::Vernaux<Endianness>>(aux_at)
                .map_err(|()| bad.clone())?;
            let name = c_string(tables.strings, u64::from(aux.vna_name.get(endian)))
                .ok_or(ElfError::Symbols("version name outside DT_STRSZ or unterminated"))?;
            versions.push(NeededVersion {
                index: aux.vna_other.get(endian).0 & 0x7fff,
                name,
                file: needed_file,
            });
            let next = u64::from(aux.vna_next.get(endian));
            if next == 0 {
                break;
            }
            aux_at = aux_at.checked_add(next).ok_or(bad.clone())?;
        }
        let next = u64::from(need.vn_next.get(endian));
        if next == 0 {
            break;
        }
        at = at.checked_add(next).ok_or(bad.clone())?;
    }
    versions.sort_by_key(|need| need.index);
    Ok(versions)
}

/// The NUL-terminated string at `offset` of a string table, without its NUL.
fn c_string(table: &[u8], offset: u64) -> Option<&[u8]> {
    let rest = table.get(usize::try_from(offset).ok()?..)?;
    let len = rest.iter().position(|&b| b == 0)?;
    Some(&rest[..len])
}

#[cfg(test)]
mod tests {
    use super::super::testing::{DynSym, ElfBuilder, HashStyle};
    use super::super::{Class, ElfError, ElfFile};
    use super::*;

    fn library(class: Class, hash: HashStyle) -> ElfBuilder {
        let mut builder = ElfBuilder::new(class, if class == Class::Elf64 { 183 } else { 40 });
        builder.needed = vec!["libc.so", "liblog.so"];
        builder.soname = Some("libfoo.so");
        builder.runpath = Some("$ORIGIN/lib");
        builder.hash = hash;
        builder.dynsyms = vec![
            DynSym::import("getpid", raw::STB_GLOBAL.0, raw::STT_FUNC.0, Some("LIBC")),
            DynSym::import("__android_log_print", raw::STB_GLOBAL.0, raw::STT_FUNC.0, None),
            DynSym::import("pthread_atfork", raw::STB_WEAK.0, raw::STT_FUNC.0, Some("LIBC_N")),
            DynSym::import("__sF", raw::STB_GLOBAL.0, raw::STT_OBJECT.0, Some("LIBC")),
            DynSym::export("JNI_OnLoad", raw::STB_GLOBAL.0),
            DynSym::export("local_helper", raw::STB_LOCAL.0),
            DynSym::export("weak_export", raw::STB_WEAK.0),
        ];
        builder
    }

    #[test]
    fn reads_needed_soname_runpath_and_versioned_imports() {
        for class in [Class::Elf32, Class::Elf64] {
            for hash in [HashStyle::Sysv, HashStyle::Gnu, HashStyle::SectionOnly] {
                let data = library(class, hash).build();
                let elf = ElfFile::parse(&data).unwrap_or_else(|e| panic!("{class:?} {hash:?}: {e}"));
                let dynamic = elf.dynamic.as_ref().unwrap();
                assert_eq!(dynamic.needed, [&b"libc.so"[..], b"liblog.so"]);
                assert_eq!(dynamic.soname, Some(&b"libfoo.so"[..]));
                assert_eq!(dynamic.runpath, Some(&b"$ORIGIN/lib"[..]));
                assert_eq!(dynamic.rpath, None);
                assert!(!dynamic.has_text_relocations());
                assert!(!dynamic.binds_now());
                let imports: Vec<_> = elf
                    .imports
                    .iter()
                    .map(|s| {
                        (
                            String::from_utf8_lossy(s.name).into_owned(),
                            s.binding,
                            s.kind,
                            s.version.map(|v| String::from_utf8_lossy(v).into_owned()),
                        )
                    })
                    .collect();
                assert_eq!(
                    imports,
                    [
                        (
                            "getpid".into(),
                            Binding::Global,
                            SymbolKind::Func,
                            Some("LIBC".into())
                        ),
                        (
                            "__android_log_print".into(),
                            Binding::Global,
                            SymbolKind::Func,
                            None
                        ),
                        (
                            "pthread_atfork".into(),
                            Binding::Weak,
                            SymbolKind::Func,
                            Some("LIBC_N".into())
                        ),
                        (
                            "__sF".into(),
                            Binding::Global,
                            SymbolKind::Object,
                            Some("LIBC".into())
                        ),
                    ],
                    "{class:?} {hash:?}"
                );
                assert_eq!(elf.exported_symbols, 2, "{class:?} {hash:?}");
            }
        }
    }

    #[test]
    fn each_version_keeps_the_library_that_must_define_it() {
        for class in [Class::Elf32, Class::Elf64] {
            let mut builder = library(class, HashStyle::Gnu);
            builder.needed = vec!["libc.so", "libm.so", "libc.so.6"];
            builder.dynsyms = vec![
                DynSym::import("epoll_pwait2", raw::STB_GLOBAL.0, raw::STT_FUNC.0, Some("LIBC_V")),
                DynSym::import("sin", raw::STB_GLOBAL.0, raw::STT_FUNC.0, Some("LIBC"))
                    .needed_from("libm.so"),
                DynSym::import("strfry", raw::STB_GLOBAL.0, raw::STT_FUNC.0, Some("GLIBC_2.17"))
                    .needed_from("libc.so.6"),
                DynSym::import("getpid", raw::STB_GLOBAL.0, raw::STT_FUNC.0, Some("LIBC")),
                DynSym::import("unversioned", raw::STB_GLOBAL.0, raw::STT_FUNC.0, None),
            ];
            let data = builder.build();
            let elf = ElfFile::parse(&data).unwrap();
            let needs: Vec<_> = elf
                .imports
                .iter()
                .map(|s| (s.name, s.version, s.version_file))
                .collect();
            assert_eq!(
                needs,
                [
                    (&b"epoll_pwait2"[..], Some(&b"LIBC_V"[..]), Some(&b"libc.so"[..])),
                    (b"sin", Some(b"LIBC"), Some(b"libm.so")),
                    (b"strfry", Some(b"GLIBC_2.17"), Some(b"libc.so.6")),
                    (b"getpid", Some(b"LIBC"), Some(b"libc.so")),
                    (b"unversioned", None, None),
                ],
                "{class:?}"
            );
        }
    }

    #[test]
    fn a_verneed_file_name_outside_the_strings_is_an_error() {
        let data = library(Class::Elf64, HashStyle::Sysv).build();
        ElfFile::parse(&data).unwrap();
        // Point the first Verneed's vn_file far past DT_STRSZ.
        let verneed = elf_dynamic_value(&data, 0x6fff_fffe);
        let mut bad = data.clone();
        let at = verneed as usize + 4;
        bad[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            ElfFile::parse(&bad).unwrap_err(),
            ElfError::Symbols("DT_VERNEED file name outside DT_STRSZ or unterminated")
        );
    }

    /// The value of the first 64-bit little-endian dynamic entry with `tag` (the test writer
    /// maps addresses to equal file offsets).
    fn elf_dynamic_value(data: &[u8], tag: i64) -> u64 {
        let entry = data
            .chunks_exact(8)
            .collect::<Vec<_>>()
            .windows(2)
            .find(|pair| i64::from_le_bytes(pair[0].try_into().unwrap()) == tag)
            .map(|pair| u64::from_le_bytes(pair[1].try_into().unwrap()));
        entry.unwrap()
    }

    #[test]
    fn text_relocations_and_bind_now_from_every_source() {
        /// Extra dynamic entries, then whether they mean text relocations and bind-now.
        type Case = (&'static [(i64, u64)], bool, bool);
        let cases: [Case; 6] = [
            (&[], false, false),
            (&[(DT_TEXTREL, 0)], true, false),
            (&[(DT_FLAGS, DF_TEXTREL)], true, false),
            (&[(DT_BIND_NOW, 0)], false, true),
            (&[(DT_FLAGS, DF_BIND_NOW)], false, true),
            (&[(DT_FLAGS_1, DF_1_NOW)], false, true),
        ];
        for (extra, textrel, now) in cases {
            let mut builder = library(Class::Elf64, HashStyle::Gnu);
            builder.extra_dynamic = extra.to_vec();
            let data = builder.build();
            let elf = ElfFile::parse(&data).unwrap();
            assert_eq!(elf.has_text_relocations(), textrel, "{extra:?}");
            assert_eq!(elf.dynamic.as_ref().unwrap().binds_now(), now, "{extra:?}");
        }
    }

    #[test]
    fn rpath_is_kept_apart_from_runpath() {
        let mut builder = library(Class::Elf32, HashStyle::Sysv);
        builder.runpath = None;
        builder.rpath = Some("/system/lib");
        let data = builder.build();
        let elf = ElfFile::parse(&data).unwrap();
        let dynamic = elf.dynamic.unwrap();
        assert_eq!(dynamic.rpath, Some(&b"/system/lib"[..]));
        assert_eq!(dynamic.runpath, None);
    }

    #[test]
    fn bad_string_and_table_addresses_are_errors() {
        let mut builder = library(Class::Elf64, HashStyle::Sysv);
        builder.extra_dynamic = vec![(DT_NEEDED, 1 << 40)];
        assert!(matches!(
            ElfFile::parse(&builder.build()).unwrap_err(),
            ElfError::Dynamic(_)
        ));

        let mut builder = library(Class::Elf64, HashStyle::Sysv);
        builder.override_symtab = Some(0xdead_0000);
        assert!(matches!(
            ElfFile::parse(&builder.build()).unwrap_err(),
            ElfError::Symbols(_)
        ));

        let mut builder = library(Class::Elf64, HashStyle::None);
        builder.section_headers = false;
        assert!(matches!(
            ElfFile::parse(&builder.build()).unwrap_err(),
            ElfError::Symbols(_)
        ));
    }

    #[test]
    fn huge_counts_do_not_allocate() {
        // A DT_HASH claiming 2^32 - 1 chains in a tiny file is refused, not allocated.
        let mut builder = library(Class::Elf64, HashStyle::Sysv);
        builder.hash_chain_override = Some(u32::MAX);
        assert!(matches!(
            ElfFile::parse(&builder.build()).unwrap_err(),
            ElfError::Symbols(_)
        ));
        // A DT_VERNEEDNUM of 2^64 - 1 is walked only as far as the entries go.
        let mut builder = library(Class::Elf64, HashStyle::Sysv);
        builder.extra_dynamic = vec![(DT_VERNEEDNUM, u64::MAX)];
        let data = builder.build();
        let elf = ElfFile::parse(&data).unwrap();
        assert_eq!(elf.imports[0].version, Some(&b"LIBC"[..]));
    }

    #[test]
    fn c_strings() {
        assert_eq!(c_string(b"a\0bc\0", 2), Some(&b"bc"[..]));
        assert_eq!(c_string(b"a\0bc\0", 1), Some(&b""[..]));
        assert_eq!(c_string(b"a\0bc", 2), None);
        assert_eq!(c_string(b"a\0", 9), None);
        assert_eq!(c_string(b"a\0", u64::MAX), None);
    }
}
