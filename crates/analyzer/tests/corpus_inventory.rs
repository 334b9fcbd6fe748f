//! The container reader against independent readers on real APKs: the `zip` crate for entry
//! layout, `zipalign -c` for alignment, `dexdump -f` for DEX headers, and the recipes for
//! signature material. Inputs: the corpus and Debian's framework-res.apk.

use std::path::{Path, PathBuf};
use std::process::Command;

use analyzer::apk::ApkInventory;
use analyzer::signing_block::{SigningBlock, V2_SCHEME_ID, V3_SCHEME_ID};
use analyzer::zip::{Method, ZipArchive};
use corpus::recipe::Scheme;

const FRAMEWORK_RES: &str = "/usr/share/android-framework-res/framework-res.apk";

mod common;
use common::corpus_apks;

/// Whether Android's zip code (libziparchive, through `zipalign -c`) can open the file.
fn android_opens(path: &Path) -> bool {
    let output = Command::new("zipalign")
        .args(["-c", "-v", "4"])
        .arg(path)
        .output()
        .unwrap();
    !String::from_utf8_lossy(&output.stdout).contains("Unable to open")
        && !String::from_utf8_lossy(&output.stderr).contains("Unable to open")
}

fn sample_zips() -> Vec<PathBuf> {
    let mut samples = common::samples("apk", ".apk");
    samples.extend(common::samples("jar", ".jar"));
    samples.extend(common::samples("aar", ".aar"));
    samples
}

/// Corpus APKs, framework-res.apk, and the third-party samples Android can open (those it
/// cannot are checked on their own below).
fn all_apks() -> Vec<PathBuf> {
    let mut apks: Vec<PathBuf> = corpus_apks().into_iter().map(|(_, p)| p).collect();
    apks.push(PathBuf::from(FRAMEWORK_RES));
    apks.extend(sample_zips().into_iter().filter(|p| android_opens(p)));
    apks
}

#[test]
fn samples_android_cannot_open_are_refused() {
    let mut refused = 0;
    for sample in sample_zips() {
        let data = std::fs::read(&sample).unwrap();
        let opens = android_opens(&sample);
        assert_eq!(
            ZipArchive::parse(&data).is_ok(),
            opens,
            "{}: Android opens it: {opens}",
            sample.display()
        );
        refused += usize::from(!opens);
    }
    assert!(
        refused >= 1,
        "the truncated-central-directory sample should be refused"
    );
}

#[test]
fn entry_layout_equals_the_zip_crate() {
    for apk in all_apks() {
        let data = std::fs::read(&apk).unwrap();
        let ours = ZipArchive::parse(&data).unwrap();
        let mut theirs = zip::ZipArchive::new(std::io::Cursor::new(&data)).unwrap();
        // The zip crate keys entries by name: of a duplicated name it keeps one entry, at the
        // first record's position, holding the last record. We keep every record; compare
        // what it keeps (duplicates have their own oracle, zipinfo, in corpus/tests).
        let mut kept: Vec<&analyzer::zip::ZipEntry<'_>> = Vec::new();
        for entry in ours.entries() {
            match kept.iter_mut().find(|k| k.name == entry.name) {
                Some(slot) => *slot = entry,
                None => kept.push(entry),
            }
        }
        assert_eq!(
            kept.len() < ours.entries().len(),
            !ours.duplicate_names().is_empty(),
            "{}",
            apk.display()
        );
        assert_eq!(kept.len(), theirs.len(), "{}", apk.display());
        for (index, entry) in kept.into_iter().enumerate() {
            let other = theirs.by_index_raw(index).unwrap();
            let at = format!("{} entry {index}", apk.display());
            assert_eq!(entry.name_lossy(), other.name(), "{at}");
            assert_eq!(entry.data_offset, other.data_start(), "{at}");
            assert_eq!(entry.compressed_size, other.compressed_size(), "{at}");
            assert_eq!(entry.uncompressed_size, other.size(), "{at}");
            assert_eq!(entry.crc32, other.crc32(), "{at}");
            let stored = other.compression() == zip::CompressionMethod::Stored;
            assert_eq!(entry.method == Method::Stored, stored, "{at}");
        }
    }
}

#[test]
fn every_entry_inflates_with_a_matching_crc() {
    for apk in all_apks() {
        let data = std::fs::read(&apk).unwrap();
        let zip = ZipArchive::parse(&data).unwrap();
        for entry in zip.entries() {
            let bytes = zip
                .read(entry)
                .unwrap_or_else(|err| panic!("{}: {err}", apk.display()));
            assert_eq!(bytes.len() as u64, entry.uncompressed_size);
        }
    }
}

#[test]
fn misaligned_entries_agree_with_zipalign() {
    for apk in all_apks() {
        let data = std::fs::read(&apk).unwrap();
        let inventory = ApkInventory::read(&data).unwrap();
        let zipalign = Command::new("zipalign")
            .args(["-c", "-v", "-p", "4"])
            .arg(&apk)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&zipalign.stdout);
        let mut bad: Vec<String> = report
            .lines()
            .filter(|l| l.contains("(BAD"))
            .filter_map(|l| l.split_whitespace().nth(1).map(str::to_string))
            .collect();
        bad.sort();
        let mut ours = inventory.misaligned_stored.clone();
        ours.sort();
        assert_eq!(ours, bad, "{}", apk.display());
        assert_eq!(ours.is_empty(), zipalign.status.success(), "{}", apk.display());
    }
}

fn dexdump_field(text: &str, field: &str) -> u32 {
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| {
            rest.trim_start_matches([' ', ':'])
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("dexdump -f has no {field}"))
}

/// `classes.dex`, `classes2.dex`, ... for the recipe's DEX at `index`.
fn dex_entry_name(index: usize) -> String {
    if index == 0 {
        "classes.dex".to_string()
    } else {
        format!("classes{}.dex", index + 1)
    }
}

#[test]
fn dex_headers_equal_dexdump() {
    let scratch = tempfile::tempdir().unwrap();
    for (app, apk) in corpus_apks() {
        let data = std::fs::read(&apk).unwrap();
        let inventory = ApkInventory::read(&data).unwrap();
        let zip = ZipArchive::parse(&data).unwrap();
        assert_eq!(inventory.dex.len(), app.recipe.dex.len(), "{}", app.name);
        for dex in &inventory.dex {
            let bytes = zip.read(zip.entry(&dex.entry).unwrap()).unwrap();
            let file = scratch.path().join(format!("{}-{}", app.name, dex.entry));
            std::fs::write(&file, &bytes).unwrap();
            // dexdump refuses a DEX with a bad checksum unless told to ignore it (-i): do so
            // only where the recipe corrupts the checksum (the checksum has its own oracle).
            let corrupt = app
                .recipe
                .dex
                .iter()
                .enumerate()
                .any(|(i, spec)| spec.corrupt.is_some() && dex.entry == dex_entry_name(i));
            let args: &[&str] = if corrupt { &["-i", "-f"] } else { &["-f"] };
            let dump = Command::new("dexdump").args(args).arg(&file).output().unwrap();
            let text = String::from_utf8_lossy(&dump.stdout);
            let at = format!("{} {}", app.name, dex.entry);
            assert!(
                text.contains(&format!("DEX version '{:03}'", dex.header.version)),
                "{at}"
            );
            assert_eq!(
                dex.header.string_ids,
                dexdump_field(&text, "string_ids_size"),
                "{at}"
            );
            assert_eq!(dex.header.type_ids, dexdump_field(&text, "type_ids_size"), "{at}");
            assert_eq!(
                dex.header.proto_ids,
                dexdump_field(&text, "proto_ids_size"),
                "{at}"
            );
            assert_eq!(
                dex.header.field_ids,
                dexdump_field(&text, "field_ids_size"),
                "{at}"
            );
            assert_eq!(
                dex.header.method_ids,
                dexdump_field(&text, "method_ids_size"),
                "{at}"
            );
            assert_eq!(
                dex.header.class_defs,
                dexdump_field(&text, "class_defs_size"),
                "{at}"
            );
            assert_eq!(dex.header.file_size, dexdump_field(&text, "file_size"), "{at}");
        }
    }
}

#[test]
fn signature_material_matches_the_recipes() {
    for (app, apk) in corpus_apks() {
        let data = std::fs::read(&apk).unwrap();
        let inventory = ApkInventory::read(&data).unwrap();
        let zip = ZipArchive::parse(&data).unwrap();
        let block = SigningBlock::find(&zip).unwrap();
        let sign = &app.recipe.package.sign;
        let has = |id| block.as_ref().is_some_and(|b| b.get(id).is_some());
        if app.recipe.package.tamper {
            // Repacking after signing appends an entry after the old block, so the block no
            // longer ends at the central directory: Android, like us, no longer sees it.
            assert!(block.is_none(), "{}: signing block survived repacking", app.name);
        } else {
            assert_eq!(
                has(V2_SCHEME_ID),
                sign.contains(&Scheme::V2),
                "{}: v2 block",
                app.name
            );
            assert_eq!(
                has(V3_SCHEME_ID),
                sign.contains(&Scheme::V3),
                "{}: v3 block",
                app.name
            );
        }
        assert_eq!(
            !inventory.v1_signature_files.is_empty(),
            sign.contains(&Scheme::V1),
            "{}: v1 files",
            app.name
        );
    }
}

#[test]
fn native_entries_match_the_recipes() {
    for (app, apk) in corpus_apks() {
        let data = std::fs::read(&apk).unwrap();
        let inventory = ApkInventory::read(&data).unwrap();
        let mut ours: Vec<String> = inventory.native.iter().map(|n| n.entry.clone()).collect();
        let mut wanted: Vec<String> = app
            .recipe
            .native
            .iter()
            .flat_map(|lib| {
                lib.abis
                    .iter()
                    .map(move |abi| format!("lib/{}/{}", abi.dir(), lib.name))
            })
            .collect();
        ours.sort();
        wanted.sort();
        assert_eq!(ours, wanted, "{}", app.name);
        for lib in &inventory.native {
            assert_eq!(
                lib.stored, !app.recipe.package.compress_native,
                "{} {}",
                app.name, lib.entry
            );
        }
    }
}

#[test]
fn truncated_and_bit_flipped_apks_never_panic() {
    for (_, apk) in corpus_apks().into_iter().take(4) {
        let data = std::fs::read(&apk).unwrap();
        let step = (data.len() / 509).max(1);
        for cut in (0..data.len()).step_by(step) {
            let _ = ApkInventory::read(&data[..cut]);
            let mut flipped = data.clone();
            flipped[cut] ^= 0xff;
            let _ = ApkInventory::read(&flipped);
        }
    }
}
