//! The DEX reader against `dexdump` on every DEX of the corpus: every instruction of every
//! method (position, mnemonic, pool reference and what it names), the class list, and the
//! header checksum and signature.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use analyzer::dex::{DexFile, Reference};
use analyzer::zip::ZipArchive;

/// One instruction as dexdump prints it: pc, mnemonic, and `pool@index` with the rendered
/// target when the instruction references a pool.
type Line = (u32, String, Option<(String, u32, String)>);

/// Instructions per code item offset, parsed from `dexdump -d`.
fn dexdump_code(file: &Path) -> BTreeMap<u32, Vec<Line>> {
    let output = Command::new("dexdump").arg("-d").arg(file).output().unwrap();
    assert!(output.status.success(), "dexdump failed on {}", file.display());
    let text = String::from_utf8_lossy(&output.stdout);
    // A string constant with a newline continues on the next physical line.
    let mut logical: Vec<String> = Vec::new();
    for line in text.lines() {
        let is_dump_line =
            line.len() > 7 && line.as_bytes()[6] == b':' && line[..6].bytes().all(|b| b.is_ascii_hexdigit());
        match logical.last_mut() {
            Some(previous) if !is_dump_line && previous.contains('|') && !line.starts_with("      ") => {
                previous.push('\n');
                previous.push_str(line);
            }
            _ => logical.push(line.to_string()),
        }
    }
    let mut methods: BTreeMap<u32, Vec<Line>> = BTreeMap::new();
    let mut current = None;
    for line in logical.iter().map(String::as_str) {
        let Some((_, rest)) = line.split_once('|') else {
            current = None;
            continue;
        };
        if let Some(header) = rest.strip_prefix('[') {
            let code_off = u32::from_str_radix(&header[..6], 16).unwrap();
            methods.insert(code_off, Vec::new());
            current = Some(code_off);
            continue;
        }
        let Some(code_off) = current else { continue };
        let (pc, body) = rest.split_once(": ").unwrap();
        let pc = u32::from_str_radix(pc, 16).unwrap();
        let mnemonic = body.split([' ', ',']).next().unwrap().to_string();
        let reference = body.rsplit_once(" // ").and_then(|(operands, comment)| {
            let (pool, index) = comment.split_once('@')?;
            let index = u32::from_str_radix(index, 16).ok()?;
            let target = operands
                .rsplit_once(", ")
                .map_or(operands, |(_, t)| t)
                .to_string();
            Some((pool.to_string(), index, target))
        });
        methods
            .get_mut(&code_off)
            .unwrap()
            .push((pc, mnemonic, reference));
    }
    methods
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
        other => format!("{}@{}", other.pool(), other.index()),
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
    let out = corpus::default_out_dir();
    let apps = corpus::ensure_built(&out).unwrap();
    let mut files = Vec::new();
    for app in apps {
        let data = std::fs::read(app.apk_path(&out)).unwrap();
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

#[test]
fn every_instruction_equals_dexdump() {
    let scratch = tempfile::tempdir().unwrap();
    let mut instructions = 0usize;
    for (name, bytes) in corpus_dex_files() {
        let path = scratch.path().join(name.replace('/', "_"));
        std::fs::write(&path, &bytes).unwrap();
        let dex = DexFile::parse(&bytes).unwrap();
        let theirs = dexdump_code(&path);
        let ours = our_code(&dex);
        assert_eq!(
            ours.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>(),
            "{name}: methods with code"
        );
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
    }
    assert!(instructions > 70_000, "only {instructions} instructions compared");
}

#[test]
fn class_descriptors_equal_dexdump() {
    let scratch = tempfile::tempdir().unwrap();
    for (name, bytes) in corpus_dex_files() {
        let path = scratch.path().join(name.replace('/', "_"));
        std::fs::write(&path, &bytes).unwrap();
        let output = Command::new("dexdump").arg("-f").arg(&path).output().unwrap();
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
fn checksums_and_signatures_hold_and_catch_a_flipped_byte() {
    for (name, bytes) in corpus_dex_files() {
        let dex = DexFile::parse(&bytes).unwrap();
        assert!(dex.checksum_matches(), "{name}: checksum");
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
