//! The DEX reader against `dexdump` on every DEX of the corpus: every instruction of every
//! method (position, mnemonic, pool reference and what it names), the class list, and the
//! header checksum (against `dexdump -c`) and signature.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use analyzer::container::{self, Kind};
use analyzer::dex::{DexFile, Reference};
use analyzer::zip::ZipArchive;

mod common;

/// One instruction as dexdump prints it: pc, mnemonic, and `pool@index` with the rendered
/// target when the instruction references a pool.
type Line = (u32, String, Option<(String, u32, String)>);

/// Instructions per code item offset, parsed from `dexdump -i -d`: `-i` ignores a bad checksum
/// (a corpus app has one on purpose), which `checksums_equal_dexdump...` compares on its own.
fn dexdump_code(file: &Path) -> BTreeMap<u32, Vec<Line>> {
    let output = Command::new("dexdump")
        .args(["-i", "-d"])
        .arg(file)
        .output()
        .unwrap();
    assert!(output.status.success(), "dexdump failed on {}", file.display());
    let text = String::from_utf8_lossy(&output.stdout);
    // An instruction line has the file offset at column 0 and `|` at column 47; a string
    // constant with a newline continues on physical lines without them, until the next
    // instruction or the method's trailer (`catches`, `positions`, `locals`).
    let is_instruction = |line: &str| {
        line.len() > 48 && line.as_bytes()[47] == b'|' && line[..6].bytes().all(|b| b.is_ascii_hexdigit())
    };
    let is_trailer = |line: &str| {
        ["      catches ", "      positions ", "      locals "]
            .iter()
            .any(|t| line.starts_with(t))
    };
    let mut methods: BTreeMap<u32, Vec<Line>> = BTreeMap::new();
    let mut current: Option<u32> = None;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if !is_instruction(line) {
            if is_trailer(line) {
                current = None;
            }
            continue;
        }
        let mut logical = line[48..].to_string();
        while let Some(next) = lines.peek() {
            if current.is_none() || is_instruction(next) || is_trailer(next) {
                break;
            }
            logical.push('\n');
            logical.push_str(next);
            lines.next();
        }
        if let Some(header) = logical.strip_prefix('[') {
            let code_off = u32::from_str_radix(&header[..6], 16).unwrap();
            methods.insert(code_off, Vec::new());
            current = Some(code_off);
            continue;
        }
        let Some(code_off) = current else { continue };
        let unexpected = || panic!("unexpected dexdump line {line:?} in {}", file.display());
        let Some((pc, body)) = logical.split_once(": ") else {
            unexpected()
        };
        let Ok(pc) = u32::from_str_radix(pc, 16) else {
            unexpected()
        };
        let mnemonic = body.split([' ', ',']).next().unwrap().to_string();
        let reference = parse_reference(body);
        methods
            .get_mut(&code_off)
            .unwrap()
            .push((pc, mnemonic, reference));
    }
    methods
}

/// The pool reference of an instruction's text: `..., TARGET // pool@HEX` for most, the
/// operand `pool@HEX` itself for call sites, method handles and prototypes, and
/// `..., METHOD, PROTO // method@HEX, proto@HEX` for invoke-polymorphic.
fn parse_reference(body: &str) -> Option<(String, u32, String)> {
    let pool_index = |text: &str| {
        let (pool, index) = text.split_once('@')?;
        Some((pool.to_string(), u32::from_str_radix(index, 16).ok()?))
    };
    match body.rsplit_once(" // ") {
        Some((operands, comment)) if comment.contains('@') => {
            let (first, polymorphic) = match comment.split_once(", ") {
                Some((first, _)) => (first, true),
                None => (comment, false),
            };
            let (pool, index) = pool_index(first)?;
            let operands = if polymorphic {
                operands.rsplit_once(", ")?.0
            } else {
                operands
            };
            let target = operands
                .rsplit_once(", ")
                .map_or(operands, |(_, t)| t)
                .to_string();
            Some((pool, index, target))
        }
        _ => {
            let last = body.rsplit(", ").next()?.rsplit(' ').next()?;
            let (pool, index) = pool_index(last)?;
            Some((pool, index, last.to_string()))
        }
    }
}

/// dexdump's spelling of a reference target.
fn render(dex: &DexFile<'_>, reference: Reference) -> String {
    match reference {
        Reference::Method(i) => {
            let method = dex.method(i).unwrap();
            let proto = dex.proto(method.proto).unwrap();
            let params: String = proto
                .parameters
                .iter()
                .map(|t| dex.type_descriptor(t).unwrap().to_str().into_owned())
                .collect();
            format!(
                "{}.{}:({params}){}",
                dex.type_descriptor(method.class).unwrap().to_str(),
                dex.string(method.name).unwrap().to_str(),
                dex.type_descriptor(proto.return_type).unwrap().to_str()
            )
        }
        Reference::Field(i) => {
            let field = dex.field(i).unwrap();
            format!(
                "{}.{}:{}",
                dex.type_descriptor(field.class).unwrap().to_str(),
                dex.string(field.name).unwrap().to_str(),
                dex.type_descriptor(field.type_).unwrap().to_str()
            )
        }
        Reference::Type(i) => dex.type_descriptor(i).unwrap().to_str().into_owned(),
        other => format!("{}@{:04x}", other.pool(), other.index()),
    }
}

fn our_code(dex: &DexFile<'_>) -> BTreeMap<u32, Vec<Line>> {
    let mut methods = BTreeMap::new();
    for class in dex.class_defs() {
        let class = class.unwrap();
        let Some(data) = dex.class_data(&class).unwrap() else {
            continue;
        };
        for method in data.methods().unwrap() {
            if method.code_off == 0 {
                continue;
            }
            let code = dex.code(method.code_off).unwrap();
            let lines = code
                .instructions()
                .map(|insn| {
                    let insn = insn.unwrap();
                    let reference = insn.reference.map(|r| {
                        let target = match r {
                            // dexdump prints strings quoted; compare those by index only.
                            Reference::String(_) => String::new(),
                            _ => render(dex, r),
                        };
                        (r.pool().to_string(), r.index(), target)
                    });
                    (insn.pc, insn.mnemonic().to_string(), reference)
                })
                .collect();
            methods.insert(method.code_off, lines);
        }
    }
    methods
}

fn corpus_dex_files() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for (app, apk) in common::corpus_apks() {
        let data = std::fs::read(apk).unwrap();
        let zip = ZipArchive::parse(&data).unwrap();
        for entry in zip.entries() {
            let name = entry.name_lossy();
            if name.ends_with(".dex") {
                files.push((
                    format!("{}/{name}", app.name),
                    zip.read(entry).unwrap().into_owned(),
                ));
            }
        }
    }
    files
}

/// Every DEX of the third-party samples: standalone files and those inside sample APKs,
/// JARs and AARs, found by walking the containers.
fn sample_dex_files() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for sub in ["dex", "apk", "jar", "aar"] {
        for path in common::samples(sub, "") {
            let data = std::fs::read(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            // Deliberately broken samples may stop the walk; what was seen before counts.
            let _ = container::walk(&name, &data, &mut |item| {
                if item.kind == Kind::Dex {
                    files.push((item.path.to_string(), item.data.to_vec()));
                }
                true
            });
        }
    }
    files
}

/// Whether dexdump accepts the file, and its `-d` listing when it does.
fn dexdump_accepts(path: &Path) -> bool {
    let output = Command::new("dexdump").arg("-f").arg(path).output().unwrap();
    output.status.success() && !String::from_utf8_lossy(&output.stderr).contains("Failure")
}

/// Compares every method's instructions with dexdump; returns how many were compared.
fn compare_instructions(name: &str, bytes: &[u8], scratch: &Path) -> usize {
    let path = scratch.join(name.replace(['/', '!'], "_"));
    std::fs::write(&path, bytes).unwrap();
    let dex = DexFile::parse(bytes).unwrap_or_else(|err| panic!("{name}: {err}"));
    let theirs = dexdump_code(&path);
    let ours = our_code(&dex);
    let missing: Vec<_> = theirs.keys().filter(|k| !ours.contains_key(k)).take(5).collect();
    let extra: Vec<_> = ours.keys().filter(|k| !theirs.contains_key(k)).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{name}: methods with code differ: dexdump-only {missing:x?}, ours-only {extra:x?} (first five)"
    );
    let mut instructions = 0;
    for (code_off, lines) in &theirs {
        let mine = &ours[code_off];
        for (a, b) in mine.iter().zip(lines) {
            // dexdump quotes strings; their targets were blanked on our side.
            let b = (
                b.0,
                b.1.clone(),
                b.2.clone().map(|(p, i, t)| {
                    if p == "string" {
                        (p, i, String::new())
                    } else {
                        (p, i, t)
                    }
                }),
            );
            assert_eq!(a, &b, "{name}: code at {code_off:#x}");
        }
        assert_eq!(mine.len(), lines.len(), "{name}: code at {code_off:#x}");
        instructions += lines.len();
    }
    instructions
}

#[test]
fn every_instruction_equals_dexdump() {
    let scratch = tempfile::tempdir().unwrap();
    let instructions: usize = corpus_dex_files()
        .iter()
        .map(|(name, bytes)| compare_instructions(name, bytes, scratch.path()))
        .sum();
    assert!(instructions > 70_000, "only {instructions} instructions compared");
}

#[test]
fn every_instruction_of_the_third_party_samples_equals_dexdump() {
    let scratch = tempfile::tempdir().unwrap();
    let (mut compared, mut refused) = (0usize, 0usize);
    for (name, bytes) in sample_dex_files() {
        let path = scratch.path().join(name.replace(['/', '!'], "_"));
        std::fs::write(&path, &bytes).unwrap();
        if dexdump_accepts(&path) {
            compared += compare_instructions(&name, &bytes, scratch.path());
        } else {
            // What Android's tool refuses, we refuse too (e.g. version 036).
            assert!(
                DexFile::parse(&bytes).is_err(),
                "{name}: dexdump refuses it, we accept it"
            );
            refused += 1;
        }
    }
    assert!(compared > 100_000, "only {compared} instructions compared");
    assert!(refused >= 2, "the version-036 samples should have been refused");
}

#[test]
fn class_descriptors_equal_dexdump() {
    let scratch = tempfile::tempdir().unwrap();
    for (name, bytes) in corpus_dex_files() {
        let path = scratch.path().join(name.replace('/', "_"));
        std::fs::write(&path, &bytes).unwrap();
        let output = Command::new("dexdump")
            .args(["-i", "-f"])
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        let pick = |key: &str| -> Vec<String> {
            text.lines()
                .filter_map(|l| l.trim_start().strip_prefix(key))
                .map(|v| {
                    v.trim_start_matches([' ', ':'])
                        .trim()
                        .trim_matches('\'')
                        .to_string()
                })
                .collect()
        };
        let dex = DexFile::parse(&bytes).unwrap();
        let (mut classes, mut supers) = (Vec::new(), Vec::new());
        for class in dex.class_defs() {
            let class = class.unwrap();
            classes.push(dex.type_descriptor(class.class).unwrap().to_str().into_owned());
            supers.push(
                dex.type_descriptor(class.superclass)
                    .unwrap()
                    .to_str()
                    .into_owned(),
            );
        }
        assert_eq!(classes, pick("Class descriptor"), "{name}");
        assert_eq!(supers, pick("Superclass"), "{name}");
    }
}

#[test]
fn checksums_equal_dexdump_signatures_hold_and_a_flipped_byte_is_caught() {
    let scratch = tempfile::tempdir().unwrap();
    let mut bad = 0;
    for (name, bytes) in corpus_dex_files() {
        let path = scratch.path().join(name.replace('/', "_"));
        std::fs::write(&path, &bytes).unwrap();
        // `dexdump -c` verifies the Adler-32 checksum as the runtime does on opening a DEX.
        let output = Command::new("dexdump").arg("-c").arg(&path).output().unwrap();
        let verified =
            output.status.success() && String::from_utf8_lossy(&output.stdout).contains("Checksum verified");
        let dex = DexFile::parse(&bytes).unwrap();
        assert_eq!(
            dex.checksum_matches(),
            verified,
            "{name}: checksum, dexdump -c verified={verified}"
        );
        bad += usize::from(!verified);
        // The corpus corrupts checksums only: the SHA-1 signature does not cover them.
        assert!(dex.signature_matches(), "{name}: signature");
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        let dex = DexFile::parse(&flipped).unwrap();
        assert!(
            !dex.checksum_matches() && !dex.signature_matches(),
            "{name}: flip unnoticed"
        );
    }
    assert!(
        bad >= 1,
        "no corpus DEX fails dexdump -c: the checksum app is missing"
    );
}

#[test]
fn truncated_and_bit_flipped_dex_never_panics() {
    for (_, bytes) in corpus_dex_files().into_iter().take(6) {
        let step = (bytes.len() / 307).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            exercise(&bytes[..cut]);
            let mut flipped = bytes.clone();
            flipped[cut] ^= 0x5a;
            exercise(&flipped);
        }
    }
}

/// Walks everything the reader offers, ignoring errors.
fn exercise(bytes: &[u8]) {
    let Ok(dex) = DexFile::parse(bytes) else { return };
    let _ = dex.map();
    let _ = dex.hidden_api();
    for class in dex.class_defs().flatten() {
        let _ = dex.type_descriptor(class.class);
        let Ok(Some(data)) = dex.class_data(&class) else {
            continue;
        };
        let _ = data.fields();
        for method in data.methods().unwrap_or_default() {
            let _ = dex.method_signature(method.method);
            if let Ok(code) = dex.code(method.code_off) {
                let _ = code.catch_types();
                for insn in code.instructions().flatten() {
                    if let Some(Reference::Field(i)) = insn.reference {
                        let _ = dex.field_signature(i);
                    }
                }
            }
        }
    }
}

/// Which `dexdump` call targets the code scan must report: written out again here from the
/// scan's documentation, so that the two lists are checked against each other.
fn scanned_by_spec(target: &str) -> bool {
    let Some((class, rest)) = target.split_once('.') else {
        return false;
    };
    let name = rest.split(':').next().unwrap_or("");
    let string_first = rest.contains(":(Ljava/lang/String;");
    match name {
        "forName" | "getMethod" | "getDeclaredMethod" | "getField" | "getDeclaredField" => {
            class == "Ljava/lang/Class;"
        }
        "<init>" => matches!(
            class,
            "Ldalvik/system/DexClassLoader;"
                | "Ldalvik/system/PathClassLoader;"
                | "Ldalvik/system/InMemoryDexClassLoader;"
                | "Ldalvik/system/DelegateLastClassLoader;"
                | "Ldalvik/system/DexFile;"
                | "Ljava/lang/ProcessBuilder;"
        ),
        "loadDex" => class == "Ldalvik/system/DexFile;",
        "loadLibrary" | "load" => matches!(class, "Ljava/lang/System;" | "Ljava/lang/Runtime;"),
        "exec" => class == "Ljava/lang/Runtime;",
        "getSystemService" => string_first,
        "getService" | "checkService" => class == "Landroid/os/ServiceManager;",
        _ => false,
    }
}

/// The code scan finds every call site of the framework methods it looks for: the same sites,
/// target for target, as `dexdump -d` lists, on the corpus and the third-party DEX files.
#[test]
fn code_scan_finds_the_call_sites_dexdump_lists() {
    let scratch = tempfile::tempdir().unwrap();
    let mut compared = 0usize;
    let mut files = corpus_dex_files();
    files.extend(sample_dex_files());
    for (name, bytes) in files {
        let path = scratch.path().join(name.replace(['/', '!'], "_"));
        std::fs::write(&path, &bytes).unwrap();
        let Ok(dex) = DexFile::parse(&bytes) else { continue };
        if !dexdump_accepts(&path) {
            continue;
        }
        let scan = analyzer::dex::scan::scan(&dex).unwrap_or_else(|err| panic!("{name}: {err}"));
        if scan.truncated || scan.undecodable_methods > 0 {
            continue;
        }
        let mut theirs: BTreeMap<String, usize> = BTreeMap::new();
        for line in dexdump_code(&path).values().flatten() {
            if let (true, Some((pool, _, target))) = (line.1.starts_with("invoke-"), &line.2)
                && pool == "method"
                && scanned_by_spec(target)
            {
                let ours = target.replacen('.', "->", 1).replacen(":(", "(", 1);
                *theirs.entry(ours).or_default() += 1;
            }
        }
        let mut ours: BTreeMap<String, usize> = BTreeMap::new();
        for call in &scan.calls {
            *ours.entry(call.target.clone()).or_default() += 1;
        }
        assert_eq!(ours, theirs, "{name}: call sites of interest");
        compared += theirs.values().sum::<usize>();
    }
    assert!(compared >= 100, "only {compared} call sites compared");
    eprintln!("{compared} call sites equal dexdump's");
}
