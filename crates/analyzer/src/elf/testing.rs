//! A small ELF writer for the unit tests: exact control over every field the reader looks at,
//! in either class and byte order. Addresses equal file offsets; one RWX `PT_LOAD` covers the
//! whole file whenever there is a dynamic section or code.

use super::Class;

/// One program header, written as given.
#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub p_type: u32,
    pub offset: u64,
    pub vaddr: u64,
    pub size: u64,
    pub flags: u32,
    pub align: u64,
}

impl Segment {
    pub fn load(offset: u64, vaddr: u64, size: u64, flags: u32, align: u64) -> Self {
        Segment {
            p_type: 1,
            offset,
            vaddr,
            size,
            flags,
            align,
        }
    }

    pub fn other(p_type: u32, flags: u32) -> Self {
        Segment {
            p_type,
            offset: 0,
            vaddr: 0,
            size: 0,
            flags,
            align: 16,
        }
    }
}

/// One dynamic symbol.
#[derive(Debug, Clone, Copy)]
pub struct DynSym {
    pub name: &'static str,
    pub defined: bool,
    pub bind: u8,
    pub kind: u8,
    pub version: Option<&'static str>,
    /// The library `DT_VERNEED` names as the version's source.
    pub version_file: &'static str,
    /// Offset into the code, for defined symbols.
    pub value: u64,
}

impl DynSym {
    pub fn import(name: &'static str, bind: u8, kind: u8, version: Option<&'static str>) -> Self {
        DynSym {
            name,
            defined: false,
            bind,
            kind,
            version,
            version_file: "libc.so",
            value: 0,
        }
    }

    /// The same import, its version needed from `file` instead of `libc.so`.
    pub fn needed_from(self, file: &'static str) -> Self {
        DynSym {
            version_file: file,
            ..self
        }
    }

    pub fn export(name: &'static str, bind: u8) -> Self {
        DynSym {
            name,
            defined: true,
            bind,
            kind: 2,
            version: None,
            version_file: "libc.so",
            value: 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashStyle {
    Sysv,
    Gnu,
    /// No hash table: only a `SHT_DYNSYM` section sizes the symbol table.
    SectionOnly,
    None,
}

/// A `.symtab` entry: name, offset into the code, `STT_*`.
pub type CodeSymbol = (&'static str, u64, u8);

#[derive(Debug, Clone)]
pub struct ElfBuilder {
    pub class: Class,
    pub machine: u16,
    pub big_endian: bool,
    pub segments: Vec<Segment>,
    pub needed: Vec<&'static str>,
    pub soname: Option<&'static str>,
    pub runpath: Option<&'static str>,
    pub rpath: Option<&'static str>,
    pub extra_dynamic: Vec<(i64, u64)>,
    pub hash: HashStyle,
    pub dynsyms: Vec<DynSym>,
    pub override_symtab: Option<u64>,
    pub hash_chain_override: Option<u32>,
    pub section_headers: bool,
    pub code: Vec<u8>,
    pub symtab: Vec<CodeSymbol>,
}

struct Writer {
    buf: Vec<u8>,
    big: bool,
    wide: bool,
}

impl Writer {
    fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    fn u16(&mut self, v: u16) {
        let b = if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.bytes(&b);
    }
    fn u32(&mut self, v: u32) {
        let b = if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.bytes(&b);
    }
    fn u64(&mut self, v: u64) {
        let b = if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.bytes(&b);
    }
    fn word(&mut self, v: u64) {
        if self.wide {
            self.u64(v)
        } else {
            self.u32(v as u32)
        }
    }
    fn align(&mut self, to: usize) {
        while !self.buf.len().is_multiple_of(to) {
            self.buf.push(0);
        }
    }
    fn at(&self) -> u64 {
        self.buf.len() as u64
    }
    fn patch(&mut self, at: usize, with: &[u8]) {
        self.buf[at..at + with.len()].copy_from_slice(with);
    }
}

/// A string table under construction.
#[derive(Default)]
struct Strings(Vec<u8>);

impl Strings {
    fn add(&mut self, s: &str) -> u32 {
        if self.0.is_empty() {
            self.0.push(0);
        }
        let at = self.0.len() as u32;
        self.0.extend_from_slice(s.as_bytes());
        self.0.push(0);
        at
    }
}

fn gnu_hash(name: &str) -> u32 {
    name.bytes()
        .fold(5381u32, |h, b| h.wrapping_mul(33).wrapping_add(u32::from(b)))
}

struct SectionHeaderSpec {
    name: u32,
    kind: u32,
    flags: u64,
    addr: u64,
    size: u64,
    link: u32,
    info: u32,
    entsize: u64,
}

impl ElfBuilder {
    pub fn new(class: Class, machine: u16) -> Self {
        ElfBuilder {
            class,
            machine,
            big_endian: false,
            segments: Vec::new(),
            needed: Vec::new(),
            soname: None,
            runpath: None,
            rpath: None,
            extra_dynamic: Vec::new(),
            hash: HashStyle::Sysv,
            dynsyms: Vec::new(),
            override_symtab: None,
            hash_chain_override: None,
            section_headers: true,
            code: Vec::new(),
            symtab: Vec::new(),
        }
    }

    fn has_dynamic(&self) -> bool {
        !self.needed.is_empty()
            || !self.dynsyms.is_empty()
            || self.soname.is_some()
            || !self.extra_dynamic.is_empty()
    }

    pub fn build(&self) -> Vec<u8> {
        let wide = self.class == Class::Elf64;
        let mut w = Writer {
            buf: Vec::new(),
            big: self.big_endian,
            wide,
        };
        let (ehsize, phentsize, shentsize, symsize, dynsize) = if wide {
            (64u64, 56u64, 64u16, 24u64, 16u64)
        } else {
            (52, 32, 40, 16, 8)
        };
        let dynamic = self.has_dynamic();
        let whole_file_load = dynamic || !self.code.is_empty();
        let phnum = self.segments.len() + usize::from(whole_file_load) + usize::from(dynamic);
        w.buf.resize((ehsize + phentsize * phnum as u64) as usize, 0);
        w.align(16);

        // Dynamic symbols: imports first, as linkers order them for DT_GNU_HASH.
        let mut syms: Vec<DynSym> = self.dynsyms.iter().filter(|s| !s.defined).copied().collect();
        let first_defined = syms.len() + 1;
        syms.extend(self.dynsyms.iter().filter(|s| s.defined));
        // (file, version) pairs in first-use order; a version's index is its position + 2.
        let mut versions: Vec<(&str, &str)> = Vec::new();
        for sym in &syms {
            if let Some(v) = sym.version
                && !versions.contains(&(sym.version_file, v))
            {
                versions.push((sym.version_file, v));
            }
        }
        let mut files: Vec<&str> = Vec::new();
        for &(file, _) in &versions {
            if !files.contains(&file) {
                files.push(file);
            }
        }

        let mut dynstr = Strings::default();
        let needed: Vec<u32> = self.needed.iter().map(|n| dynstr.add(n)).collect();
        let soname = self.soname.map(|n| dynstr.add(n));
        let runpath = self.runpath.map(|n| dynstr.add(n));
        let rpath = self.rpath.map(|n| dynstr.add(n));
        let sym_names: Vec<u32> = syms.iter().map(|s| dynstr.add(s.name)).collect();
        let version_names: Vec<u32> = versions.iter().map(|(_, v)| dynstr.add(v)).collect();
        let file_names: Vec<u32> = files.iter().map(|f| dynstr.add(f)).collect();

        let code_at = if dynamic {
            None
        } else {
            Some(self.place_code(&mut w))
        };
        let mut dyn_entries: Vec<(i64, u64)> = Vec::new();
        let mut dynsym_range = (0, 0);
        let mut dynstr_range = (0, 0);
        let mut dynamic_range = (0, 0);
        let code_at = if dynamic {
            let code_at = self.place_code(&mut w);
            let strtab_at = w.at();
            w.bytes(&dynstr.0);
            dynstr_range = (strtab_at, dynstr.0.len() as u64);
            w.align(8);
            let symtab_at = w.at();
            w.bytes(&vec![0; symsize as usize]);
            for (sym, &name) in syms.iter().zip(&sym_names) {
                let info = sym.bind << 4 | sym.kind;
                let shndx = u16::from(sym.defined);
                let value = if sym.defined { code_at + sym.value } else { 0 };
                if wide {
                    w.u32(name);
                    w.u8(info);
                    w.u8(0);
                    w.u16(shndx);
                    w.u64(value);
                    w.u64(0);
                } else {
                    w.u32(name);
                    w.u32(value as u32);
                    w.u32(0);
                    w.u8(info);
                    w.u8(0);
                    w.u16(shndx);
                }
            }
            dynsym_range = (symtab_at, w.at() - symtab_at);
            let nsyms = syms.len() as u32 + 1;
            w.align(8);
            let hash_at = w.at();
            match self.hash {
                HashStyle::Sysv => {
                    w.u32(1);
                    w.u32(self.hash_chain_override.unwrap_or(nsyms));
                    w.u32(0);
                    for _ in 0..nsyms {
                        w.u32(0);
                    }
                    dyn_entries.push((4, hash_at));
                }
                HashStyle::Gnu => {
                    let symoffset = first_defined as u32;
                    w.u32(1); // nbuckets
                    w.u32(symoffset);
                    w.u32(1); // bloom words
                    w.u32(6); // bloom shift
                    w.word(u64::MAX);
                    w.u32(if nsyms > symoffset { symoffset } else { 0 });
                    for (i, sym) in syms.iter().enumerate().skip(first_defined - 1) {
                        let last = i + 1 == syms.len();
                        w.u32((gnu_hash(sym.name) & !1) | u32::from(last));
                    }
                    dyn_entries.push((0x6fff_fef5, hash_at));
                }
                HashStyle::SectionOnly | HashStyle::None => {}
            }
            if !versions.is_empty() {
                w.align(8);
                let versym_at = w.at();
                w.u16(0);
                for sym in &syms {
                    let index = sym
                        .version
                        .and_then(|v| versions.iter().position(|x| *x == (sym.version_file, v)))
                        .map_or(1, |i| i as u16 + 2);
                    w.u16(index);
                }
                w.align(8);
                let verneed_at = w.at();
                // One Verneed per file, its Vernaux entries right after it.
                for (f, (&file, &file_name)) in files.iter().zip(&file_names).enumerate() {
                    let aux: Vec<usize> = (0..versions.len()).filter(|&i| versions[i].0 == file).collect();
                    w.u16(1);
                    w.u16(aux.len() as u16);
                    w.u32(file_name);
                    w.u32(16);
                    let last_file = f + 1 == files.len();
                    w.u32(if last_file { 0 } else { 16 + 16 * aux.len() as u32 });
                    for (k, &i) in aux.iter().enumerate() {
                        w.u32(0);
                        w.u16(0);
                        w.u16(i as u16 + 2);
                        w.u32(version_names[i]);
                        w.u32(if k + 1 == aux.len() { 0 } else { 16 });
                    }
                }
                dyn_entries.extend([
                    (0x6fff_fff0, versym_at),
                    (0x6fff_fffe, verneed_at),
                    (0x6fff_ffff, files.len() as u64),
                ]);
            }
            let tables = std::mem::take(&mut dyn_entries);
            dyn_entries.extend(needed.iter().map(|&n| (1, u64::from(n))));
            if let Some(n) = soname {
                dyn_entries.push((14, u64::from(n)));
            }
            if let Some(n) = runpath {
                dyn_entries.push((29, u64::from(n)));
            }
            if let Some(n) = rpath {
                dyn_entries.push((15, u64::from(n)));
            }
            dyn_entries.extend(tables);
            dyn_entries.extend([
                (5, strtab_at),
                (6, self.override_symtab.unwrap_or(symtab_at)),
                (10, dynstr.0.len() as u64),
                (11, symsize),
            ]);
            dyn_entries.extend(self.extra_dynamic.iter().copied());
            dyn_entries.push((0, 0));
            w.align(8);
            let dynamic_at = w.at();
            for &(tag, value) in &dyn_entries {
                w.word(tag as u64);
                w.word(value);
            }
            dynamic_range = (dynamic_at, dynsize * dyn_entries.len() as u64);
            code_at
        } else {
            code_at.unwrap_or(0)
        };

        // Section headers.
        let mut shstr = Strings::default();
        let mut sections: Vec<SectionHeaderSpec> = Vec::new();
        let mut placed: Vec<(usize, u64)> = Vec::new();
        if self.section_headers {
            if !self.code.is_empty() {
                sections.push(SectionHeaderSpec {
                    name: shstr.add(".text"),
                    kind: 1,
                    flags: 0x6,
                    addr: code_at,
                    size: self.code.len() as u64,
                    link: 0,
                    info: 0,
                    entsize: 0,
                });
            }
            if dynamic {
                let dynstr_index = sections.len() as u32 + 2;
                sections.push(SectionHeaderSpec {
                    name: shstr.add(".dynsym"),
                    kind: 11,
                    flags: 0x2,
                    addr: dynsym_range.0,
                    size: dynsym_range.1,
                    link: dynstr_index,
                    info: 1,
                    entsize: symsize,
                });
                sections.push(SectionHeaderSpec {
                    name: shstr.add(".dynstr"),
                    kind: 3,
                    flags: 0x2,
                    addr: dynstr_range.0,
                    size: dynstr_range.1,
                    link: 0,
                    info: 0,
                    entsize: 0,
                });
                sections.push(SectionHeaderSpec {
                    name: shstr.add(".dynamic"),
                    kind: 6,
                    flags: 0x3,
                    addr: dynamic_range.0,
                    size: dynamic_range.1,
                    link: dynstr_index,
                    info: 0,
                    entsize: dynsize,
                });
            }
            if !self.symtab.is_empty() {
                let mut strtab = Strings::default();
                let names: Vec<u32> = self.symtab.iter().map(|s| strtab.add(s.0)).collect();
                w.align(8);
                let symtab_at = w.at();
                w.bytes(&vec![0; symsize as usize]);
                for (&(_, offset, kind), &name) in self.symtab.iter().zip(&names) {
                    let value = code_at + offset;
                    if wide {
                        w.u32(name);
                        w.u8(kind);
                        w.u8(0);
                        w.u16(1);
                        w.u64(value);
                        w.u64(0);
                    } else {
                        w.u32(name);
                        w.u32(value as u32);
                        w.u32(0);
                        w.u8(kind);
                        w.u8(0);
                        w.u16(1);
                    }
                }
                let size = w.at() - symtab_at;
                let strtab_at = w.at();
                w.bytes(&strtab.0);
                let strtab_index = sections.len() as u32 + 2;
                placed.push((sections.len(), symtab_at));
                sections.push(SectionHeaderSpec {
                    name: shstr.add(".symtab"),
                    kind: 2,
                    flags: 0,
                    addr: 0,
                    size,
                    link: strtab_index,
                    info: 1,
                    entsize: symsize,
                });
                placed.push((sections.len(), strtab_at));
                sections.push(SectionHeaderSpec {
                    name: shstr.add(".strtab"),
                    kind: 3,
                    flags: 0,
                    addr: 0,
                    size: strtab.0.len() as u64,
                    link: 0,
                    info: 0,
                    entsize: 0,
                });
            }
        }
        let mut shoff = 0;
        let mut shnum = 0u16;
        let mut shstrndx = 0u16;
        if self.section_headers {
            let name = shstr.add(".shstrtab");
            let shstr_at = w.at();
            w.bytes(&shstr.0);
            placed.push((sections.len(), shstr_at));
            sections.push(SectionHeaderSpec {
                name,
                kind: 3,
                flags: 0,
                addr: 0,
                size: shstr.0.len() as u64,
                link: 0,
                info: 0,
                entsize: 0,
            });
            w.align(8);
            shoff = w.at();
            shnum = sections.len() as u16 + 1;
            shstrndx = sections.len() as u16;
            w.bytes(&vec![0; shentsize as usize]);
            for (index, s) in sections.iter().enumerate() {
                let offset = placed
                    .iter()
                    .find(|(i, _)| *i == index)
                    .map_or(s.addr, |&(_, at)| at);
                w.u32(s.name);
                w.u32(s.kind);
                w.word(s.flags);
                w.word(s.addr);
                w.word(offset);
                w.word(s.size);
                w.u32(s.link);
                w.u32(s.info);
                w.word(8);
                w.word(s.entsize);
            }
        }

        // File header and program headers, now that the layout is known.
        let file_len = w.at();
        let mut phdrs: Vec<Segment> = Vec::new();
        if whole_file_load {
            phdrs.push(Segment::load(0, 0, file_len, 7, 0x1000));
        }
        if dynamic {
            phdrs.push(Segment {
                p_type: 2,
                offset: dynamic_range.0,
                vaddr: dynamic_range.0,
                size: dynamic_range.1,
                flags: 6,
                align: 8,
            });
        }
        phdrs.extend(self.segments.iter().copied());
        let mut head = Writer {
            buf: Vec::new(),
            big: self.big_endian,
            wide,
        };
        head.bytes(b"\x7fELF");
        head.u8(if wide { 2 } else { 1 });
        head.u8(if self.big_endian { 2 } else { 1 });
        head.u8(1);
        head.bytes(&[0; 9]);
        head.u16(3);
        head.u16(self.machine);
        head.u32(1);
        head.word(0);
        head.word(ehsize);
        head.word(shoff);
        head.u32(0);
        head.u16(ehsize as u16);
        head.u16(phentsize as u16);
        head.u16(phdrs.len() as u16);
        head.u16(shentsize);
        head.u16(shnum);
        head.u16(shstrndx);
        for p in &phdrs {
            head.u32(p.p_type);
            if wide {
                head.u32(p.flags);
                head.u64(p.offset);
                head.u64(p.vaddr);
                head.u64(p.vaddr);
                head.u64(p.size);
                head.u64(p.size);
                head.u64(p.align);
            } else {
                head.u32(p.offset as u32);
                head.u32(p.vaddr as u32);
                head.u32(p.vaddr as u32);
                head.u32(p.size as u32);
                head.u32(p.size as u32);
                head.u32(p.flags);
                head.u32(p.align as u32);
            }
        }
        w.patch(0, &head.buf);
        w.buf
    }

    fn place_code(&self, w: &mut Writer) -> u64 {
        w.align(16);
        let at = w.at();
        w.bytes(&self.code);
        at
    }
}

/// A small AArch64 library with everything the reader looks at: a dynamic section with
/// versioned imports, code with `$x`/`$d` mapping symbols and function symbols, and syscalls.
pub fn sample_arm64_library() -> Vec<u8> {
    let mut builder = ElfBuilder::new(Class::Elf64, 183);
    builder.needed = vec!["libc.so"];
    builder.soname = Some("libsample.so");
    builder.dynsyms = vec![
        DynSym::import("getpid", 1, 2, Some("LIBC")),
        DynSym::import("pthread_atfork", 2, 2, Some("LIBC_N")),
        DynSym::export("Java_x_y", 1),
    ];
    builder.hash = HashStyle::Gnu;
    builder.segments.push(Segment::other(0x6474_e551, 6));
    let words: [u32; 6] = [
        0xd2801588, 0xd4000001, 0xd65f03c0, 0xd4000001, 0xaa0003e8, 0xd4000001,
    ];
    builder.code = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    builder.symtab = vec![
        ("$x", 0, 0),
        ("f", 0, 2),
        ("$d", 12, 0),
        ("$x", 16, 0),
        ("g", 16, 2),
    ];
    builder.build()
}
