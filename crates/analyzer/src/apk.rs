//! What an APK holds, read from its container: DEX files, native libraries, the resource table,
//! signature material and the zip-level irregularities. Facts only; judging them is the rules'
//! job.

use crate::dex::{DexError, DexHeader};
use crate::signing_block::{SigningBlock, SigningBlockError};
use crate::zip::{Method, ZipArchive, ZipEntry, ZipError};

/// Why an APK could not be inventoried.
#[derive(Debug, thiserror::Error)]
pub enum ApkError {
    #[error(transparent)]
    Zip(#[from] ZipError),
    #[error(transparent)]
    SigningBlock(#[from] SigningBlockError),
    #[error("{entry}: {source}")]
    Dex { entry: String, source: DexError },
}

/// A DEX file at the root of the APK (`classes.dex`, `classes2.dex`, ...).
#[derive(Debug, Clone)]
pub struct DexEntry {
    pub entry: String,
    pub header: DexHeader,
}

/// A shared library under `lib/<abi>/`.
#[derive(Debug, Clone)]
pub struct NativeEntry {
    pub entry: String,
    pub abi: String,
    pub stored: bool,
    /// Offset of the library's bytes in the APK; only meaningful for stored entries, which
    /// Android maps directly from the APK when `extractNativeLibs` is false.
    pub data_offset: u64,
}

impl NativeEntry {
    /// Largest power-of-two page size (up to 64 KiB) that the stored data offset is aligned to.
    pub fn zip_alignment(&self) -> u64 {
        alignment_of(self.data_offset)
    }
}

/// Placement of `resources.arsc`, which Android 11+ maps in place for targetSdk >= 30.
#[derive(Debug, Clone, Copy)]
pub struct ArscEntry {
    pub stored: bool,
    pub data_offset: u64,
}

/// Container-level facts about one APK.
#[derive(Debug, Clone)]
pub struct ApkInventory {
    pub entries: usize,
    pub dex: Vec<DexEntry>,
    pub native: Vec<NativeEntry>,
    pub arsc: Option<ArscEntry>,
    /// `META-INF/*.SF` files: the v1 (JAR) signature files.
    pub v1_signature_files: Vec<String>,
    /// Ids of the APK Signing Block's pairs, when the block is present.
    pub signing_block_ids: Option<Vec<u32>>,
    pub duplicate_names: Vec<String>,
    pub unsafe_names: Vec<String>,
    pub overlapping_entries: Vec<(String, String)>,
    /// Stored entries whose data is not 4-byte aligned, and stored `.so` not aligned to 4 KiB:
    /// what `zipalign -c -p 4` rejects.
    pub misaligned_stored: Vec<String>,
    pub trailing_bytes: u64,
    pub comment_len: usize,
}

impl ApkInventory {
    pub fn read(data: &[u8]) -> Result<Self, ApkError> {
        Self::inventory(&ZipArchive::parse(data)?, true)
    }

    /// The zip-level facts of an already parsed APK, without reading the DEX files (`dex`
    /// stays empty): for callers that read the DEX files themselves.
    pub fn layout(zip: &ZipArchive<'_>) -> Result<Self, ApkError> {
        Self::inventory(zip, false)
    }

    fn inventory(zip: &ZipArchive<'_>, dex_headers: bool) -> Result<Self, ApkError> {
        let signing_block = SigningBlock::find(zip)?;
        let mut dex = Vec::new();
        let mut native = Vec::new();
        let mut arsc = None;
        let mut v1_signature_files = Vec::new();
        let mut unsafe_names = Vec::new();
        let mut misaligned_stored = Vec::new();

        for entry in zip.entries() {
            let name = entry.name_lossy();
            let stored = entry.method == Method::Stored;
            if entry.has_unsafe_name() {
                unsafe_names.push(name.to_string());
            }
            if stored && !is_aligned_for_zipalign(entry, &name) {
                misaligned_stored.push(name.to_string());
            }
            if is_root_dex(&name) {
                if !dex_headers {
                    continue;
                }
                let bytes = zip.read(entry)?;
                let header = DexHeader::parse(&bytes).map_err(|source| ApkError::Dex {
                    entry: name.to_string(),
                    source,
                })?;
                dex.push(DexEntry {
                    entry: name.to_string(),
                    header,
                });
            } else if let Some(abi) = native_abi(&name) {
                native.push(NativeEntry {
                    entry: name.to_string(),
                    abi: abi.to_string(),
                    stored,
                    data_offset: entry.data_offset,
                });
            } else if name == "resources.arsc" {
                arsc = Some(ArscEntry {
                    stored,
                    data_offset: entry.data_offset,
                });
            } else if name.starts_with("META-INF/") && name.ends_with(".SF") && !name[9..].contains('/') {
                v1_signature_files.push(name.to_string());
            }
        }
        dex.sort_by_key(|d| dex_order(&d.entry));

        let names = |index: usize| zip.entries()[index].name_lossy().into_owned();
        Ok(ApkInventory {
            entries: zip.entries().len(),
            dex,
            native,
            arsc,
            v1_signature_files,
            signing_block_ids: signing_block.map(|b| b.pairs.iter().map(|p| p.id).collect()),
            duplicate_names: zip
                .duplicate_names()
                .into_iter()
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .collect(),
            unsafe_names,
            overlapping_entries: zip
                .overlapping_entries()
                .into_iter()
                .map(|(a, b)| (names(a), names(b)))
                .collect(),
            misaligned_stored,
            trailing_bytes: zip.trailing_bytes,
            comment_len: zip.comment.len(),
        })
    }

    /// ABIs with at least one library, in the order first seen.
    pub fn abis(&self) -> Vec<&str> {
        let mut abis: Vec<&str> = Vec::new();
        for lib in &self.native {
            if !abis.contains(&lib.abi.as_str()) {
                abis.push(&lib.abi);
            }
        }
        abis
    }
}

/// `classes.dex`, `classes2.dex`, ...: the DEX files the runtime loads, in load order.
fn is_root_dex(name: &str) -> bool {
    dex_order(name).is_some()
}

/// Where the runtime loads a root DEX file: 1 for `classes.dex`, N for `classesN.dex`.
pub fn dex_order(name: &str) -> Option<u32> {
    let number = name.strip_prefix("classes")?.strip_suffix(".dex")?;
    if number.is_empty() {
        return Some(1);
    }
    // Android numbers from 2 upwards without leading zeros.
    if number.starts_with('0') {
        return None;
    }
    number.parse().ok().filter(|&n| n >= 2)
}

/// `lib/<abi>/<file>.so` gives `<abi>`.
fn native_abi(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("lib/")?;
    let (abi, file) = rest.split_once('/')?;
    (!abi.is_empty() && !file.contains('/') && file.ends_with(".so")).then_some(abi)
}

/// zipalign's rule: stored data 4-byte aligned, stored shared libraries page (4 KiB) aligned.
fn is_aligned_for_zipalign(entry: &ZipEntry<'_>, name: &str) -> bool {
    let alignment = if name.ends_with(".so") { 4096 } else { 4 };
    entry.data_offset.is_multiple_of(alignment)
}

/// Largest power of two (up to 64 KiB) dividing `offset`: how a stored entry's data is aligned.
pub fn alignment_of(offset: u64) -> u64 {
    if offset == 0 {
        return 1 << 16;
    }
    (1u64 << offset.trailing_zeros()).min(1 << 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dex_names_follow_the_runtime() {
        assert_eq!(dex_order("classes.dex"), Some(1));
        assert_eq!(dex_order("classes2.dex"), Some(2));
        assert_eq!(dex_order("classes12.dex"), Some(12));
        assert_eq!(dex_order("classes1.dex"), None);
        assert_eq!(dex_order("classes02.dex"), None);
        assert_eq!(dex_order("assets/classes.dex"), None);
    }

    #[test]
    fn native_paths() {
        assert_eq!(native_abi("lib/arm64-v8a/libfoo.so"), Some("arm64-v8a"));
        assert_eq!(native_abi("lib/arm64-v8a/sub/libfoo.so"), None);
        assert_eq!(native_abi("lib/x86_64/libfoo.txt"), None);
        assert_eq!(native_abi("assets/lib/x86/libfoo.so"), None);
    }

    #[test]
    fn alignment() {
        assert_eq!(alignment_of(4096), 4096);
        assert_eq!(alignment_of(16384 * 3), 16384);
        assert_eq!(alignment_of(1040), 16);
        assert_eq!(alignment_of(0), 65536);
    }
}
