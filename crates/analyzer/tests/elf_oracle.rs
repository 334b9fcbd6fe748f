//! The ELF reader against binutils on real libraries: every `.so` of every corpus APK, every
//! third-party Android library under `target/samples/so/` (put there by `scripts/fetch-samples`),
//! and a few libraries compiled here for what neither has: ARM-state code, 32-bit x86, text
//! relocations, `DT_RPATH`/`DT_RUNPATH`, bind-now, an executable stack and versioned imports.
//!
//! Oracles: `readelf -hW` (class, machine), `-lW` (PT_LOAD, GNU_STACK, GNU_RELRO), `-dW`
//! (NEEDED, SONAME, run paths, TEXTREL, FLAGS), `--dyn-syms -W` (imports with versions) and
//! `objdump -d` of the matching binutils for the syscall instructions; the corpus recipes and
//! the APK's `lib/<abi>/` directories for ABI and page size.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use analyzer::elf::{AndroidAbi, Binding, Class, ElfFile, Isa, SymbolKind, SyscallSite};
use analyzer::zip::ZipArchive;

mod common;

/// One library under test, with a copy on disk for the tools.
struct Library {
    label: String,
    bytes: Vec<u8>,
    path: PathBuf,
    /// The corpus app and `lib/<abi>/` directory it came from, for corpus libraries.
    origin: Option<(corpus::App, String)>,
}

impl Library {
    fn elf(&self) -> ElfFile<'_> {
        ElfFile::parse(&self.bytes).unwrap_or_else(|err| panic!("{}: {err}", self.label))
    }
}

fn corpus_libraries(scratch: &Path) -> Vec<Library> {
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap_or_else(|err| panic!("building the corpus: {err}"));
    let mut libraries = Vec::new();
    for app in apps {
        let data = std::fs::read(app.apk_path(&out)).unwrap();
        let zip = ZipArchive::parse(&data).unwrap();
        for entry in zip.entries() {
            let name = entry.name_lossy().into_owned();
            let Some(abi) = name
                .strip_prefix("lib/")
                .and_then(|rest| rest.split_once('/'))
                .filter(|(_, file)| file.ends_with(".so"))
                .map(|(abi, _)| abi.to_string())
            else {
                continue;
            };
            let bytes = zip.read(entry).unwrap().into_owned();
            let path = scratch.join(format!("{}-{}", app.name, name.replace('/', "-")));
            std::fs::write(&path, &bytes).unwrap();
            libraries.push(Library {
                label: format!("{} {name}", app.name),
                bytes,
                path,
                origin: Some((app.clone(), abi)),
            });
        }
    }
    assert!(
        libraries.len() >= 10,
        "the corpus has native libraries in several apps"
    );
    libraries
}

/// The real third-party libraries `scripts/fetch-samples` puts under `target/samples/so/`;
/// missing samples fail the test rather than shrink it.
fn sample_libraries() -> Vec<Library> {
    let found = common::samples("so", ".so");
    found
        .into_iter()
        .map(|path| Library {
            label: path.display().to_string(),
            bytes: std::fs::read(&path).unwrap(),
            path,
            origin: None,
        })
        .collect()
}

const ARM_MODE_C: &str = r#"
long sys_small(void)
{
    register long r7 __asm__("r7") = 20;
    register long r0 __asm__("r0");
    __asm__ volatile("svc 0" : "=r"(r0) : "r"(r7) : "memory");
    return r0;
}
long sys_wide(long a)
{
    register long r7 __asm__("r7") = 0xf0002;
    register long r0 __asm__("r0") = a;
    __asm__ volatile("svc 0" : "+r"(r0) : "r"(r7) : "memory");
    return r0;
}
long sys_dyn(long nr, long a)
{
    register long r7 __asm__("r7") = nr;
    register long r0 __asm__("r0") = a;
    __asm__ volatile("svc 0" : "+r"(r0) : "r"(r7) : "memory");
    return r0;
}
"#;

const X86_C: &str = r#"
int counter;
int bump(void) { return ++counter; }
long sys_getpid(void)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
    return r;
}
long sys_dyn(long nr)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr) : "memory");
    return r;
}
"#;

const VERSIONED_STUB_C: &str = r#"
int getpid(void) { return 0; }
int pthread_atfork(void *a, void *b, void *c) { return 0; }
char __sF[1];
"#;

const VERSIONED_STUB_MAP: &str =
    "LIBC { global: getpid; __sF; local: *; };\nLIBC_N { global: pthread_atfork; } LIBC;\n";

const VERSIONED_USER_C: &str = r#"
extern int getpid(void);
extern int pthread_atfork(void *, void *, void *) __attribute__((weak));
extern char __sF[];
int use(void) { return getpid() + (pthread_atfork ? pthread_atfork(0, 0, 0) : 0) + __sF[0]; }
"#;

fn run(program: &str, args: &[&str], dir: &Path) {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|err| panic!("`{program}`: {err} (bash scripts/install-deps)"));
    assert!(
        output.status.success(),
        "`{program} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Libraries built here with the corpus's cross compilers, for what the corpus lacks.
fn compiled_libraries(scratch: &Path) -> Vec<Library> {
    let dir = scratch.join("compiled");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [
        ("armmode.c", ARM_MODE_C),
        ("x86.c", X86_C),
        ("vstub.c", VERSIONED_STUB_C),
        ("vstub.map", VERSIONED_STUB_MAP),
        ("vuser.c", VERSIONED_USER_C),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let common = ["-O2", "-shared", "-nostdlib"];
    let with =
        |extra: &[&'static str]| -> Vec<&'static str> { common.iter().chain(extra).copied().collect() };
    run(
        "arm-linux-gnueabihf-gcc",
        &with(&[
            "-marm",
            "-march=armv7-a",
            "-mfloat-abi=softfp",
            "-fPIC",
            "-Wl,-z,execstack",
            "-Wl,-z,now",
            "-Wl,--enable-new-dtags,-rpath,$ORIGIN/lib",
            "-Wl,-soname,libarmmode.so",
            "-o",
            "libarmmode.so",
            "armmode.c",
        ]),
        &dir,
    );
    // Not position-independent: the store to `counter` needs a text relocation.
    run(
        "gcc",
        &with(&[
            "-m32",
            "-fno-pic",
            "-Wl,--hash-style=sysv",
            "-Wl,--disable-new-dtags,-rpath,/system/lib",
            "-Wl,-z,max-page-size=16384",
            "-o",
            "libx86.so",
            "x86.c",
        ]),
        &dir,
    );
    run(
        "aarch64-linux-gnu-gcc",
        &with(&[
            "-fPIC",
            "-Wl,--version-script=vstub.map",
            "-Wl,-soname,libvc.so",
            "-o",
            "libvc.so",
            "vstub.c",
        ]),
        &dir,
    );
    run(
        "aarch64-linux-gnu-gcc",
        &with(&[
            "-fPIC",
            "-Wl,--hash-style=gnu",
            "-Wl,-soname,libvuser.so",
            "-o",
            "libvuser.so",
            "vuser.c",
            "-L.",
            "-lvc",
        ]),
        &dir,
    );
    ["libarmmode.so", "libx86.so", "libvc.so", "libvuser.so"]
        .into_iter()
        .map(|name| {
            let path = dir.join(name);
            Library {
                label: format!("compiled {name}"),
                bytes: std::fs::read(&path).unwrap(),
                path,
                origin: None,
            }
        })
        .collect()
}

fn all_libraries(scratch: &Path) -> Vec<Library> {
    let mut libraries = corpus_libraries(scratch);
    libraries.extend(sample_libraries());
    libraries.extend(compiled_libraries(scratch));
    libraries
}

fn tool_output(program: &str, args: &[&str], file: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|err| panic!("`{program}`: {err} (bash scripts/install-deps)"));
    assert!(
        output.status.success(),
        "`{program} {}` on {} failed: {}",
        args.join(" "),
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn readelf(args: &[&str], file: &Path) -> String {
    tool_output("readelf", args, file)
}

fn field<'t>(text: &'t str, name: &str) -> &'t str {
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix(name))
        .map(str::trim)
        .unwrap_or_else(|| panic!("readelf printed no `{name}`"))
}

fn hex(text: &str) -> u64 {
    u64::from_str_radix(text.trim_start_matches("0x"), 16).unwrap_or_else(|_| panic!("not hex: {text}"))
}

#[test]
fn header_and_segments_equal_readelf() {
    let scratch = tempfile::tempdir().unwrap();
    for lib in all_libraries(scratch.path()) {
        let elf = lib.elf();
        let at = &lib.label;
        let header = readelf(&["-hW"], &lib.path);
        let class = match elf.class {
            Class::Elf32 => "ELF32",
            Class::Elf64 => "ELF64",
        };
        assert_eq!(field(&header, "Class:"), class, "{at}");
        let machine = match elf.machine {
            183 => "AArch64",
            40 => "ARM",
            3 => "Intel 80386",
            62 => "Advanced Micro Devices X86-64",
            243 => "RISC-V",
            other => panic!("{at}: unexpected machine {other}"),
        };
        assert_eq!(field(&header, "Machine:"), machine, "{at}");
        assert_eq!(field(&header, "Data:"), "2's complement, little endian", "{at}");

        let program = readelf(&["-lW"], &lib.path);
        let mut loads = Vec::new();
        let mut stack = None;
        let mut relro = false;
        for line in program.lines() {
            let tokens: Vec<&str> = line.split_whitespace().collect();
            match tokens.first() {
                Some(&"LOAD") => {
                    let flags: String = tokens[6..tokens.len() - 1].concat();
                    loads.push((
                        hex(tokens[1]),
                        hex(tokens[2]),
                        hex(tokens[4]),
                        hex(tokens[5]),
                        flags,
                        hex(tokens[tokens.len() - 1]),
                    ));
                }
                Some(&"GNU_STACK") => stack = Some(tokens[6..tokens.len() - 1].concat()),
                Some(&"GNU_RELRO") => relro = true,
                _ => {}
            }
        }
        let ours: Vec<_> = elf
            .loads
            .iter()
            .map(|l| {
                let flags: String = [(4, 'R'), (2, 'W'), (1, 'E')]
                    .iter()
                    .filter(|(bit, _)| l.flags & bit != 0)
                    .map(|&(_, c)| c)
                    .collect();
                (l.offset, l.vaddr, l.file_size, l.mem_size, flags, l.align)
            })
            .collect();
        assert_eq!(ours, loads, "{at}: PT_LOAD");
        let min = loads.iter().map(|l| l.5).min();
        assert_eq!(elf.min_load_align(), min, "{at}");
        assert_eq!(elf.supports_16k_pages(), min.is_some_and(|m| m >= 16384), "{at}");
        for load in &elf.loads {
            assert_eq!(
                load.is_congruent(),
                load.offset % load.align.max(1) == load.vaddr % load.align.max(1),
                "{at}"
            );
        }
        assert_eq!(
            elf.executable_stack(),
            stack.as_ref().is_none_or(|f| f.contains('E')),
            "{at}: GNU_STACK {stack:?}"
        );
        assert_eq!(elf.gnu_relro, relro, "{at}: GNU_RELRO");
        assert!(elf.section_problem.is_none(), "{at}");
    }
}

/// What `readelf -dW` says, as (tag, value) pairs: the text in brackets for string entries,
/// else everything after the tag.
fn dynamic_entries(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let open = line.find('(')?;
            let close = open + line[open..].find(')')?;
            let tag = line[open + 1..close].to_string();
            let rest = line[close + 1..].trim();
            let value = match (rest.find('['), rest.rfind(']')) {
                (Some(a), Some(b)) if a < b => rest[a + 1..b].to_string(),
                _ => rest.to_string(),
            };
            Some((tag, value))
        })
        .collect()
}

#[test]
fn dynamic_sections_equal_readelf() {
    let scratch = tempfile::tempdir().unwrap();
    for lib in all_libraries(scratch.path()) {
        let elf = lib.elf();
        let at = &lib.label;
        let entries = dynamic_entries(&readelf(&["-dW"], &lib.path));
        let values = |tag: &str| -> Vec<&str> {
            entries
                .iter()
                .filter(|(t, _)| t == tag)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let Some(dynamic) = &elf.dynamic else {
            assert!(entries.is_empty(), "{at}: readelf sees a dynamic section");
            continue;
        };
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let needed: Vec<String> = dynamic.needed.iter().map(|n| text(n)).collect();
        assert_eq!(needed, values("NEEDED"), "{at}: NEEDED");
        assert_eq!(
            dynamic.soname.map(text),
            values("SONAME").first().map(|s| s.to_string()),
            "{at}"
        );
        assert_eq!(
            dynamic.runpath.map(text),
            values("RUNPATH").first().map(|s| s.to_string()),
            "{at}"
        );
        assert_eq!(
            dynamic.rpath.map(text),
            values("RPATH").first().map(|s| s.to_string()),
            "{at}"
        );
        let flags = values("FLAGS").join(" ");
        let flags_1 = values("FLAGS_1").join(" ");
        let word = |text: &str, w: &str| text.split_whitespace().any(|x| x == w);
        assert_eq!(
            dynamic.has_text_relocations(),
            !values("TEXTREL").is_empty() || word(&flags, "TEXTREL"),
            "{at}: TEXTREL"
        );
        assert_eq!(dynamic.flags_1_now(), word(&flags_1, "NOW"), "{at}: FLAGS_1");
        assert_eq!(
            dynamic.binds_now(),
            !values("BIND_NOW").is_empty() || word(&flags, "BIND_NOW") || word(&flags_1, "NOW"),
            "{at}: bind now"
        );
    }
}

/// Undefined symbols from `readelf --dyn-syms -W` as (name, bind, type, version), and the count
/// of defined non-local symbols.
/// An import as readelf prints it: name, binding, type, version.
type ListedImport = (String, String, String, Option<String>);

fn readelf_dynamic_symbols(text: &str) -> (Vec<ListedImport>, usize) {
    let mut imports = Vec::new();
    let mut exported = 0;
    for line in text.lines() {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let Some(num) = tokens.first().and_then(|t| t.strip_suffix(':')) else {
            continue;
        };
        if num.parse::<u64>().map_or(true, |n| n == 0) || tokens.len() < 7 {
            continue;
        }
        let (kind, bind) = (tokens[3], tokens[4]);
        // Visibility may be followed by bracketed st_other notes such as [VARIANT_PCS].
        let mut rest = tokens[6..].iter().skip_while(|t| t.starts_with('['));
        let ndx = rest.next().copied().unwrap_or_default();
        let name = rest.next().copied().unwrap_or_default();
        if ndx != "UND" {
            if bind != "LOCAL" {
                exported += 1;
            }
            continue;
        }
        let (name, version) = match name.split_once('@') {
            Some((name, version)) => (name, Some(version.trim_start_matches('@').to_string())),
            None => (name, None),
        };
        imports.push((name.to_string(), bind.to_string(), kind.to_string(), version));
    }
    (imports, exported)
}

#[test]
fn dynamic_symbols_equal_readelf() {
    let scratch = tempfile::tempdir().unwrap();
    let mut versioned = 0;
    for lib in all_libraries(scratch.path()) {
        let elf = lib.elf();
        let at = &lib.label;
        let (theirs, exported) = readelf_dynamic_symbols(&readelf(&["--dyn-syms", "-W"], &lib.path));
        let ours: Vec<_> = elf
            .imports
            .iter()
            .map(|s| {
                let bind = match s.binding {
                    Binding::Global => "GLOBAL".to_string(),
                    Binding::Weak => "WEAK".to_string(),
                    Binding::Local => "LOCAL".to_string(),
                    Binding::Other(10) => "UNIQUE".to_string(),
                    Binding::Other(n) => format!("<OS specific>: {n}"),
                };
                let kind = match s.kind {
                    SymbolKind::NoType => "NOTYPE".to_string(),
                    SymbolKind::Object => "OBJECT".to_string(),
                    SymbolKind::Func => "FUNC".to_string(),
                    SymbolKind::Tls => "TLS".to_string(),
                    SymbolKind::Ifunc => "IFUNC".to_string(),
                    SymbolKind::Other(n) => format!("<other>: {n}"),
                };
                let version = s.version.map(|v| String::from_utf8_lossy(v).into_owned());
                (String::from_utf8_lossy(s.name).into_owned(), bind, kind, version)
            })
            .collect();
        assert_eq!(ours, theirs, "{at}: imports");
        assert_eq!(elf.exported_symbols, exported, "{at}: exported count");
        versioned += ours.iter().filter(|s| s.3.is_some()).count();
    }
    assert!(versioned > 0, "some import carries a version");
}

/// The file each needed version comes from, by version index, from `readelf -V -W`'s
/// "Version needs section": `Version: 1  File: libc.so.6  Cnt: 1` then `Name: GLIBC_2.17 ...
/// Version: 2` lines.
fn readelf_needed_files(text: &str) -> std::collections::BTreeMap<u16, String> {
    let mut files = std::collections::BTreeMap::new();
    let mut file = None;
    let mut in_needs = false;
    for line in text.lines() {
        if line.starts_with("Version needs section") {
            in_needs = true;
            continue;
        }
        if !in_needs {
            continue;
        }
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let after = |key: &str| {
            tokens
                .iter()
                .position(|t| *t == key)
                .and_then(|i| tokens.get(i + 1))
                .copied()
        };
        if let Some(name) = after("File:") {
            file = Some(name.to_string());
        } else if after("Name:").is_some()
            && let (Some(index), Some(file)) = (after("Version:"), &file)
        {
            files.insert(index.parse().unwrap(), file.clone());
        }
    }
    files
}

#[test]
fn needed_version_files_equal_readelf() {
    let scratch = tempfile::tempdir().unwrap();
    let mut glibc = 0;
    for lib in all_libraries(scratch.path()) {
        let elf = lib.elf();
        let at = &lib.label;
        let files = readelf_needed_files(&readelf(&["-V", "-W"], &lib.path));
        // readelf prints a versioned import as `name@VERSION (index)`.
        let theirs: Vec<(String, Option<String>)> = readelf(&["--dyn-syms", "-W"], &lib.path)
            .lines()
            .filter_map(|line| {
                let tokens: Vec<&str> = line.split_whitespace().collect();
                let num: u64 = tokens.first()?.strip_suffix(':')?.parse().ok()?;
                let und = tokens.iter().position(|t| *t == "UND")?;
                let name = tokens.get(und + 1)?.split('@').next()?;
                let index = tokens
                    .get(und + 2)
                    .and_then(|t| t.strip_prefix('(')?.strip_suffix(')')?.parse::<u16>().ok());
                (num != 0).then(|| (name.to_string(), index.and_then(|i| files.get(&i).cloned())))
            })
            .collect();
        let ours: Vec<(String, Option<String>)> = elf
            .imports
            .iter()
            .map(|s| {
                let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
                (text(s.name), s.version_file.map(text))
            })
            .collect();
        assert_eq!(ours, theirs, "{at}: the file of each needed version");
        glibc += ours
            .iter()
            .filter(|(_, file)| file.as_deref() == Some("libc.so.6"))
            .count();
    }
    assert!(glibc > 0, "some import needs a version from glibc's libc.so.6");
}

/// One instruction of an objdump listing.
struct Listed {
    address: u64,
    mnemonic: String,
    operands: String,
}

/// Parses one line of `objdump -d --no-show-raw-insn -w`: an instruction, or `None`.
fn parse_listed(line: &str, x86: bool) -> Option<Listed> {
    let (address, rest) = line.trim_start().split_once(":\t")?;
    let address = u64::from_str_radix(address, 16).ok()?;
    // Drop comments (`@` ARM, `//` AArch64, `#` x86 intel) and instruction prefixes.
    let mut rest = rest
        .split(" @ ")
        .next()?
        .split("\t@")
        .next()?
        .split("//")
        .next()?;
    if x86 {
        rest = rest.split('#').next()?;
    }
    let mut words = rest.split_whitespace().peekable();
    while words.peek().is_some_and(|w| {
        [
            "bnd", "notrack", "lock", "rep", "repz", "repnz", "data16", "cs", "ds",
        ]
        .contains(w)
    }) {
        words.next();
    }
    let mnemonic = words.next()?.to_string();
    Some(Listed {
        address,
        mnemonic,
        operands: words.collect::<Vec<_>>().join(" "),
    })
}

/// A site in objdump's listing: address, section, the number its listing shows, and the
/// instruction addresses between the constant load and the site (a direct branch landing on
/// one of them makes the number unknown).
struct ListedSite {
    address: u64,
    section: String,
    number: Oracle,
    window: Vec<u64>,
}

/// Streams `objdump -d` of `lib` (listings of large libraries run to hundreds of megabytes):
/// the sites with what the listing says about their numbers, and every direct branch target.
fn objdump_sites(lib: &Library, machine: u16) -> (Vec<ListedSite>, BTreeSet<u64>) {
    use std::io::BufRead;
    let (program, extra): (&str, &[&str]) = match machine {
        183 => ("aarch64-linux-gnu-objdump", &[]),
        40 => ("arm-linux-gnueabihf-objdump", &[]),
        _ => ("objdump", &["-M", "intel"]),
    };
    let mut child = Command::new(program)
        .args(["-d", "--no-show-raw-insn", "-w"])
        .args(extra)
        .arg(&lib.path)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("`{program}`: {err} (bash scripts/install-deps)"));
    let x86 = machine == 3 || machine == 62;
    let mut sites = Vec::new();
    let mut targets = BTreeSet::new();
    let mut section = String::new();
    // The instructions since the last symbol label or section start.
    let mut function: Vec<Listed> = Vec::new();
    for line in std::io::BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(name) = line.strip_prefix("Disassembly of section ") {
            section = name.trim_end_matches(':').to_string();
            function.clear();
            continue;
        }
        if line.ends_with(">:") {
            function.clear();
            continue;
        }
        let Some(inst) = parse_listed(&line, x86) else {
            continue;
        };
        if is_branch(machine, &inst)
            && let Some(target) = branch_target(&inst)
        {
            targets.insert(target);
        }
        let site = is_site(machine, &inst);
        function.push(inst);
        if site {
            let (number, window) = listed_number(machine, &function);
            sites.push(ListedSite {
                address: function[function.len() - 1].address,
                section: section.clone(),
                number,
                window,
            });
        }
    }
    assert!(child.wait().unwrap().success(), "{program} on {}", lib.label);
    (sites, targets)
}

const ARM_CONDITIONS: [&str; 17] = [
    "eq", "ne", "cs", "hs", "cc", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al",
];

/// `base` with an optional ARM condition suffix (and `.n`/`.w` width suffix).
fn arm_is(mnemonic: &str, base: &str) -> bool {
    let m = mnemonic.trim_end_matches(".n").trim_end_matches(".w");
    m == base || m.strip_prefix(base).is_some_and(|c| ARM_CONDITIONS.contains(&c))
}

fn is_site(machine: u16, inst: &Listed) -> bool {
    match machine {
        183 => inst.mnemonic == "svc" && inst.operands == "#0x0",
        40 => arm_is(&inst.mnemonic, "svc") && ["0", "0x00000000"].contains(&inst.operands.as_str()),
        62 => inst.mnemonic == "syscall",
        3 => inst.mnemonic == "int" && inst.operands == "0x80",
        _ => false,
    }
}

fn is_branch(machine: u16, inst: &Listed) -> bool {
    let m = inst.mnemonic.as_str();
    match machine {
        183 => {
            [
                "b", "bl", "br", "blr", "ret", "cbz", "cbnz", "tbz", "tbnz", "brk", "hlt", "udf", "eret",
            ]
            .contains(&m)
                || m.starts_with("b.")
                || m.starts_with("bra")
                || m.starts_with("blra")
                || m.starts_with("reta")
        }
        40 => {
            ["b", "bl", "bx", "blx", "bxj"].iter().any(|b| arm_is(m, b))
                || ["cbz", "cbnz", "tbb", "tbh", "udf"].iter().any(|b| arm_is(m, b))
                || inst
                    .operands
                    .split(',')
                    .next()
                    .is_some_and(|op| op.trim() == "pc")
                || ((arm_is(m, "pop") || m.starts_with("ldm")) && inst.operands.contains("pc"))
        }
        _ => {
            m.starts_with('j')
                || m.starts_with("call")
                || m.starts_with("ret")
                || m.starts_with("loop")
                || m.starts_with("iret")
                || ["hlt", "ud0", "ud1", "ud2"].contains(&m)
        }
    }
}

/// The direct branch target objdump prints (`b.ne 1234 <f+0x10>`).
fn branch_target(inst: &Listed) -> Option<u64> {
    let before = inst.operands.split(" <").next()?;
    let last = before.rsplit([' ', ',']).next()?;
    u64::from_str_radix(last.trim_start_matches("0x"), 16).ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Oracle {
    Known(u64),
    Unknown,
    /// The register is named in a way this textual reading cannot judge.
    Inconclusive,
}

fn immediate(text: &str) -> Option<u64> {
    let text = text.trim().trim_start_matches('#');
    if let Some(h) = text.strip_prefix("0x") {
        u64::from_str_radix(h, 16).ok()
    } else {
        text.parse::<i64>().ok().map(|v| v as u64)
    }
}

/// The syscall number objdump's listing shows for the site that ends `function`: the constant
/// last loaded into the number register in the same block, read backwards from the site, and
/// the instruction addresses after that load up to the site.
fn listed_number(machine: u16, function: &[Listed]) -> (Oracle, Vec<u64>) {
    let (site, before) = function.split_last().unwrap();
    let registers: &[&str] = match machine {
        183 => &["x8", "w8"],
        40 => &["r7"],
        _ => &["eax", "rax", "ax", "al", "ah"],
    };
    let names = |inst: &Listed| {
        inst.operands
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|t| registers.contains(&t))
    };
    let mut high: Option<u64> = None;
    let mut window = vec![site.address];
    for inst in before.iter().rev() {
        let x86_site = machine != 183 && machine != 40 && is_site(machine, inst);
        if is_branch(machine, inst) || x86_site {
            return (Oracle::Unknown, window);
        }
        if !names(inst) {
            window.push(inst.address);
            continue;
        }
        let ops: Vec<&str> = inst.operands.split(',').map(str::trim).collect();
        let first_is_reg = ops.first().is_some_and(|o| registers.contains(o));
        let m = inst.mnemonic.trim_end_matches(".w").trim_end_matches(".n");
        let constant = match machine {
            183 if m == "mov" && first_is_reg => ops
                .get(1)
                .filter(|o| o.starts_with('#'))
                .and_then(|o| immediate(o)),
            40 if ["mov", "movs", "movw"].contains(&m) && first_is_reg => ops
                .get(1)
                .filter(|o| o.starts_with('#'))
                .and_then(|o| immediate(o)),
            3 | 62 if m == "mov" && ["eax", "rax"].contains(&ops[0]) => ops.get(1).and_then(|o| immediate(o)),
            3 | 62
                if m == "xor" && ops.len() == 2 && ops[0] == ops[1] && ["eax", "rax"].contains(&ops[0]) =>
            {
                Some(0)
            }
            _ => None,
        };
        if machine == 40 && m == "movt" && first_is_reg && high.is_none() {
            match ops.get(1).and_then(|o| immediate(o)) {
                Some(h) => {
                    high = Some(h);
                    window.push(inst.address);
                    continue;
                }
                None => return (Oracle::Inconclusive, window),
            }
        }
        if let Some(value) = constant {
            let value = match high {
                Some(h) => (value & 0xffff) | h << 16,
                None => value,
            };
            return (Oracle::Known(value), window);
        }
        let conditional_mov = machine == 40 && m.starts_with("mov") && first_is_reg;
        let list_load = machine == 40 && (arm_is(m, "pop") || m.starts_with("ldm"));
        let store_or_compare =
            m.starts_with("st") || m.starts_with("push") || ["cmp", "cmn", "tst", "teq", "test"].contains(&m);
        if conditional_mov || list_load || (first_is_reg && !store_or_compare) {
            return (Oracle::Unknown, window);
        }
        return (Oracle::Inconclusive, window);
    }
    (Oracle::Unknown, window)
}

#[test]
fn syscall_sites_equal_objdump() {
    let scratch = tempfile::tempdir().unwrap();
    let libraries = all_libraries(scratch.path());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let tally = std::sync::Mutex::new([0usize; 4]);
    // objdump dominates the run time: two libraries at a time.
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(lib) = libraries.get(index) else { break };
                    let counts = compare_sites(lib);
                    let mut tally = tally.lock().unwrap();
                    for (total, count) in tally.iter_mut().zip(counts) {
                        *total += count;
                    }
                }
            });
        }
    });
    let [total, known, unknown, inconclusive] = tally.into_inner().unwrap();
    eprintln!(
        "elf_oracle: {total} sites, numbers {known} known, {unknown} unknown, {inconclusive} inconclusive"
    );
    assert!(known >= 5 && unknown >= 4, "the oracle decided numbers both ways");
}

/// Our sites of `lib` against objdump's: (sites, known, unknown, inconclusive numbers).
fn compare_sites(lib: &Library) -> [usize; 4] {
    let elf = lib.elf();
    let at = &lib.label;
    let sites: Vec<SyscallSite<'_>> = elf.syscall_sites().unwrap_or_else(|err| panic!("{at}: {err}"));
    let (listed, targets) = objdump_sites(lib, elf.machine);
    let ours: Vec<(u64, String)> = sites
        .iter()
        .map(|s| {
            (
                s.address,
                String::from_utf8_lossy(s.section.unwrap_or_default()).into_owned(),
            )
        })
        .collect();
    let theirs: Vec<(u64, String)> = listed.iter().map(|l| (l.address, l.section.clone())).collect();
    assert_eq!(ours, theirs, "{at}: syscall sites");
    let mut counts = [sites.len(), 0, 0, 0];
    for (site, listed) in sites.iter().zip(&listed) {
        let expected_isa: &[Isa] = match elf.machine {
            183 => &[Isa::A64],
            40 => &[Isa::A32, Isa::T32],
            3 => &[Isa::X86],
            _ => &[Isa::X86_64],
        };
        assert!(expected_isa.contains(&site.isa), "{at} {:#x}", site.address);
        // A direct branch into the window (other than to the load itself) joins another path.
        let joined = listed.window.iter().any(|a| targets.contains(a));
        let number = match listed.number {
            Oracle::Known(_) if joined => Oracle::Unknown,
            other => other,
        };
        match number {
            Oracle::Known(n) => {
                counts[1] += 1;
                assert_eq!(site.number, Some(n), "{at}: number at {:#x}", site.address);
            }
            Oracle::Unknown => {
                counts[2] += 1;
                assert_eq!(site.number, None, "{at}: number at {:#x}", site.address);
            }
            Oracle::Inconclusive => counts[3] += 1,
        }
    }
    counts
}

fn app_sites(libraries: &[Library], app: &str) -> Vec<(String, Isa, Option<u64>)> {
    let mut found = Vec::new();
    for lib in libraries
        .iter()
        .filter(|l| l.origin.as_ref().is_some_and(|(a, _)| a.name == app))
    {
        let abi = lib
            .origin
            .as_ref()
            .map(|(_, abi)| abi.clone())
            .unwrap_or_default();
        for site in lib.elf().syscall_sites().unwrap() {
            found.push((abi.clone(), site.isa, site.number));
        }
    }
    found.sort_by_key(|s| (s.0.clone(), s.2));
    found
}

#[test]
fn corpus_libraries_match_their_recipes() {
    let scratch = tempfile::tempdir().unwrap();
    let libraries = corpus_libraries(scratch.path());
    for lib in &libraries {
        let elf = lib.elf();
        let (app, abi) = lib.origin.as_ref().unwrap();
        let at = &lib.label;
        assert_eq!(elf.abi().map(AndroidAbi::name), Some(abi.as_str()), "{at}");
        let file = lib.label.rsplit('/').next().unwrap();
        let spec = app.recipe.native.iter().find(|n| n.name == file).unwrap();
        assert!(
            elf.loads.iter().all(|l| l.align == u64::from(spec.page_size)),
            "{at}: every PT_LOAD aligned to the recipe's {}",
            spec.page_size
        );
        assert_eq!(elf.supports_16k_pages(), spec.page_size >= 16384, "{at}");
        let needed: Vec<String> = elf
            .dynamic
            .as_ref()
            .unwrap()
            .needed
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
        let flag = |f: &str| spec.flags.iter().any(|x| x == f);
        let mut wanted: Vec<String> = spec.link.iter().map(|l| format!("lib{l}.so")).collect();
        // `-lc` links the cross toolchain's own C library, glibc, instead of a stub.
        if flag("-lc") {
            wanted.push("libc.so.6".into());
        }
        assert_eq!(needed, wanted, "{at}: DT_NEEDED from the recipe's link list");
        // Only legacy build flags in the recipe make a stack executable or code relocated.
        assert_eq!(elf.executable_stack(), flag("-Wl,-z,execstack"), "{at}");
        assert_eq!(elf.has_text_relocations(), flag("-fno-pic"), "{at}");
        assert!(elf.gnu_relro, "{at}");
    }

    let s = |abi: &str, isa, number| (abi.to_string(), isa, number);
    assert_eq!(
        app_sites(&libraries, "raw-syscall"),
        [
            s("arm64-v8a", Isa::A64, None),
            s("arm64-v8a", Isa::A64, Some(105)),
            s("arm64-v8a", Isa::A64, Some(172)),
            s("armeabi-v7a", Isa::T32, None),
            s("armeabi-v7a", Isa::T32, Some(20)),
            s("armeabi-v7a", Isa::T32, Some(128)),
            s("x86_64", Isa::X86_64, None),
            s("x86_64", Isa::X86_64, Some(39)),
            s("x86_64", Isa::X86_64, Some(175)),
        ]
    );
    for app in [
        "minimal",
        "native-4k",
        "native-16k",
        "private-lib",
        "legacy-32bit",
    ] {
        assert!(
            app_sites(&libraries, app).is_empty(),
            "{app} makes no direct syscalls"
        );
    }
    let legacy = libraries
        .iter()
        .find(|l| l.origin.as_ref().is_some_and(|(a, _)| a.name == "legacy-32bit"))
        .unwrap();
    let elf = legacy.elf();
    assert_eq!(
        (elf.class, elf.abi()),
        (Class::Elf32, Some(AndroidAbi::ArmeabiV7a))
    );
    assert_eq!(elf.min_load_align(), Some(4096));
}

#[test]
fn compiled_libraries_show_what_the_corpus_lacks() {
    let scratch = tempfile::tempdir().unwrap();
    let libraries = compiled_libraries(scratch.path());
    let get = |name: &str| libraries.iter().find(|l| l.label.ends_with(name)).unwrap();

    let arm = get("libarmmode.so").elf();
    let dynamic = arm.dynamic.as_ref().unwrap();
    assert_eq!(dynamic.runpath, Some(&b"$ORIGIN/lib"[..]));
    assert!(dynamic.binds_now() && dynamic.flags_1_now());
    assert!(arm.executable_stack());
    let numbers: Vec<(Isa, Option<u64>)> = arm
        .syscall_sites()
        .unwrap()
        .iter()
        .map(|s| (s.isa, s.number))
        .collect();
    assert_eq!(
        numbers,
        [(Isa::A32, Some(20)), (Isa::A32, Some(0xf0002)), (Isa::A32, None)]
    );

    let x86 = get("libx86.so").elf();
    assert_eq!(x86.abi(), Some(AndroidAbi::X86));
    assert!(x86.has_text_relocations());
    assert_eq!(x86.dynamic.as_ref().unwrap().rpath, Some(&b"/system/lib"[..]));
    assert!(x86.supports_16k_pages());
    let numbers: Vec<Option<u64>> = x86.syscall_sites().unwrap().iter().map(|s| s.number).collect();
    assert_eq!(numbers, [Some(20), None]);

    let user = get("libvuser.so").elf();
    type Import<'a> = (&'a [u8], Binding, Option<&'a [u8]>);
    let imports: Vec<Import<'_>> = user
        .imports
        .iter()
        .map(|s| (s.name, s.binding, s.version))
        .collect();
    assert_eq!(
        imports,
        [
            (&b"__sF"[..], Binding::Global, Some(&b"LIBC"[..])),
            (b"getpid", Binding::Global, Some(b"LIBC")),
            (b"pthread_atfork", Binding::Weak, Some(b"LIBC_N")),
        ]
    );
    assert_eq!(user.dynamic.as_ref().unwrap().needed, [&b"libvc.so"[..]]);
}

#[test]
fn truncated_and_bit_flipped_libraries_never_panic() {
    let scratch = tempfile::tempdir().unwrap();
    let mut libraries = corpus_libraries(scratch.path());
    libraries.extend(compiled_libraries(scratch.path()));
    for lib in &libraries {
        let data = &lib.bytes;
        let step = (data.len() / 251).max(1);
        for at in (0..data.len()).step_by(step) {
            if let Ok(elf) = ElfFile::parse(&data[..at]) {
                let _ = elf.syscall_sites();
            }
            for mask in [0xff, 0x80, 0x01] {
                let mut flipped = data.clone();
                flipped[at] ^= mask;
                if let Ok(elf) = ElfFile::parse(&flipped) {
                    let _ = elf.syscall_sites();
                }
            }
        }
    }
}
