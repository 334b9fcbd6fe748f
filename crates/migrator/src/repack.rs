//! The zip container of a rewritten APK: every entry of the input re-emitted in central
//! directory order with its compressed bytes copied unchanged, placed where Android maps
//! entries from, old signatures left out, and the caller's replacements and additions put in.
//!
//! What is written, and why:
//! - Local headers carry the CRC-32 and sizes; data descriptors are dropped, so every reader
//!   finds the same sizes in the local header and the central directory.
//! - Stored entries get one extra field, apksigner's alignment field (id `0xd935`: the
//!   alignment, then zero padding), sized so that their data starts at a multiple of 4, and of
//!   16,384 for `.so` files, which the loader maps in place on 16 KiB-page devices (and on
//!   4 KiB ones). Deflated entries get no extra field. Other extra fields are dropped: they
//!   carry timestamps and permissions of the machine that zipped the app, nothing Android reads.
//! - `resources.arsc` is always stored (Android 11 refuses apps targeting it whose table is
//!   compressed or unaligned): a deflated one is inflated, bounded by the reader's limit. It is
//!   the only entry whose bytes change form; nothing is ever recompressed.
//! - JAR signature files (`META-INF/MANIFEST.MF`, `*.SF`, `*.RSA`, `*.DSA`, `*.EC`, `SIG-*`
//!   directly in `META-INF/`, case-insensitive, apksigner's rule) and the APK Signing Block are
//!   not copied: [`crate::sign`] adds fresh ones.
//! - The central directory keeps each entry's time, date, host system and external attributes;
//!   entry comments and the archive comment are dropped (a comment can hold a second end
//!   record, which readers then disagree about).
//!
//! Inputs that readers could disagree about are refused: unsafe names, duplicate names,
//! overlapping entries, encrypted entries. The output never needs ZIP64: above 65,535 entries or
//! 4 GiB the rewrite is refused.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use analyzer::zip::{Method, ZipArchive, ZipEntry, ZipError, is_unsafe_name};

/// Stored entries start at a multiple of this, as zipalign and apksigner place them.
pub const STORED_ALIGNMENT: u16 = 4;
/// Stored native libraries (`.so`) start at a multiple of this: one 16 KiB page.
pub const NATIVE_LIBRARY_ALIGNMENT: u16 = 16384;
/// MS-DOS date 1980-01-01, the stamp aapt gives every entry; new entries get it (with time
/// 00:00) so that outputs do not depend on the clock.
pub const DOS_DATE_1980_01_01: u16 = (1 << 5) | 1;

const ALIGNMENT_EXTRA_ID: u16 = 0xd935;
/// Id, size and the alignment value of the alignment extra field, before its padding.
const ALIGNMENT_EXTRA_HEADER_LEN: u64 = 6;
const LOCAL_HEADER_SIGNATURE: u32 = 0x0403_4b50;
const CENTRAL_HEADER_SIGNATURE: u32 = 0x0201_4b50;
const EOCD_SIGNATURE: u32 = 0x0605_4b50;
const LOCAL_HEADER_LEN: u64 = 30;
const CENTRAL_HEADER_LEN: usize = 46;
const EOCD_LEN: usize = 22;
/// General-purpose flags kept on copied entries: deflate options (bits 1-2) and UTF-8 names
/// (bit 11). The data-descriptor bit (3) is cleared since sizes go in the local header.
const KEPT_FLAGS: u16 = 0x0806;
const UTF8_NAME_FLAG: u16 = 0x0800;
/// "Version needed to extract": 1.0 for stored data, 2.0 for deflated.
const VERSION_STORED: u16 = 10;
const VERSION_DEFLATED: u16 = 20;
/// New entries are "made by" MS-DOS (host 0), zip 2.0, with no external attributes, as aapt
/// writes them.
const NEW_ENTRY_MADE_BY: u16 = 20;
const RESOURCE_TABLE: &[u8] = b"resources.arsc";
/// Compression level for entries the caller adds as deflated: zlib's best, as aapt uses.
const DEFLATE_LEVEL: u8 = 9;

/// Why an APK could not be repacked.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum RepackError {
    #[error(transparent)]
    Zip(#[from] ZipError),
    #[error("entry `{name}` has an unsafe name (absolute, `..`, drive letter, backslash or NUL)")]
    UnsafeName { name: String },
    #[error("entry `{name}` has a name Android's zip reader refuses ({reason})")]
    InvalidName { name: String, reason: &'static str },
    #[error("entry `{name}` occurs more than once")]
    DuplicateName { name: String },
    #[error("entries `{first}` and `{second}` overlap")]
    OverlappingEntries { first: String, second: String },
    #[error("entry `{name}` is encrypted")]
    Encrypted { name: String },
    #[error("entry `{name}` is stored with {compressed} bytes but declares {uncompressed} uncompressed")]
    StoredSizeMismatch {
        name: String,
        compressed: u64,
        uncompressed: u64,
    },
    #[error("change to `{name}` refused: {reason}")]
    BadChange { name: String, reason: &'static str },
    #[error("output needs ZIP64, which this writer does not produce: {what}")]
    TooLarge { what: &'static str },
    #[error("writing the output: {0}")]
    Write(String),
}

/// How an entry the caller supplies is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Stored,
    Deflated,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    Put { data: Vec<u8>, compression: Compression },
    Remove,
}

/// Entries to replace, add or remove, by name. A replaced entry keeps its place, time and
/// attributes; added entries go after the input's, in name order, stamped 1980-01-01.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    by_name: BTreeMap<String, Change>,
}

impl Changes {
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the entry `name` with `data`, or adds it. `resources.arsc` is stored whatever
    /// `compression` says.
    pub fn put(&mut self, name: impl Into<String>, data: Vec<u8>, compression: Compression) -> &mut Self {
        self.by_name
            .insert(name.into(), Change::Put { data, compression });
        self
    }

    /// Leaves the entry `name` out; nothing happens when the input has no such entry.
    pub fn remove(&mut self, name: impl Into<String>) -> &mut Self {
        self.by_name.insert(name.into(), Change::Remove);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    fn check(&self) -> Result<(), RepackError> {
        for name in self.by_name.keys() {
            let bad = |reason| RepackError::BadChange {
                name: name.clone(),
                reason,
            };
            if name.is_empty() {
                return Err(bad("empty name"));
            }
            if is_unsafe_name(name.as_bytes()) {
                return Err(bad(
                    "unsafe name (absolute, `..`, drive letter, backslash or NUL)",
                ));
            }
            if u16::try_from(name.len()).is_err() {
                return Err(bad("name longer than 65,535 bytes"));
            }
            if is_signature_file(name.as_bytes()) {
                return Err(bad("JAR signature files are written by the signer"));
            }
        }
        Ok(())
    }
}

/// Whether apksigner treats this entry as part of a JAR signature: `MANIFEST.MF`, `*.SF`,
/// `*.RSA`, `*.DSA`, `*.EC` and `SIG-*` directly in `META-INF/`, in any letter case.
pub fn is_signature_file(name: &[u8]) -> bool {
    let Some(file) = name.strip_prefix(b"META-INF/") else {
        return false;
    };
    if file.contains(&b'/') {
        return false;
    }
    let lower = file.to_ascii_lowercase();
    lower == b"manifest.mf"
        || [&b".sf"[..], b".rsa", b".dsa", b".ec"]
            .iter()
            .any(|suffix| lower.ends_with(suffix))
        || lower.starts_with(b"sig-")
}

/// The bytes of an entry as they will be written.
#[derive(Debug, Clone)]
enum Content<'a> {
    Stored(Cow<'a, [u8]>),
    /// A deflate stream, and where its uncompressed bytes come from when a signer needs them.
    Deflated {
        compressed: Cow<'a, [u8]>,
        source: Source<'a>,
    },
}

#[derive(Debug, Clone)]
enum Source<'a> {
    /// Inflated from the input on demand.
    Input(ZipEntry<'a>),
    Bytes(Cow<'a, [u8]>),
}

/// One entry of the output, in the order it is written.
#[derive(Debug, Clone)]
pub struct PlannedEntry<'a> {
    name: Cow<'a, [u8]>,
    flags: u16,
    version_made_by: u16,
    modified_time: u16,
    modified_date: u16,
    external_attributes: u32,
    crc32: u32,
    uncompressed_size: u64,
    content: Content<'a>,
}

impl<'a> PlannedEntry<'a> {
    /// A new deflated entry stamped 1980-01-01: the signer's JAR signature files, which
    /// apksigner deflates too (a manifest of base64 digests shrinks to a third).
    pub fn new_deflated(name: String, data: Vec<u8>) -> Self {
        PlannedEntry {
            flags: name_flags(&name),
            crc32: crc32fast::hash(&data),
            uncompressed_size: data.len() as u64,
            content: Content::Deflated {
                compressed: Cow::Owned(miniz_oxide::deflate::compress_to_vec(&data, DEFLATE_LEVEL)),
                source: Source::Bytes(Cow::Owned(data)),
            },
            name: Cow::Owned(name.into_bytes()),
            version_made_by: NEW_ENTRY_MADE_BY,
            modified_time: 0,
            modified_date: DOS_DATE_1980_01_01,
            external_attributes: 0,
        }
    }

    pub fn name(&self) -> &[u8] {
        &self.name
    }

    /// The uncompressed bytes: borrowed when stored or supplied, inflated (with the sizes and
    /// CRC-32 checked) when copied deflated from `zip`.
    pub fn uncompressed(&self, zip: &ZipArchive<'a>) -> Result<Cow<'_, [u8]>, ZipError> {
        match &self.content {
            Content::Stored(bytes) => Ok(Cow::Borrowed(bytes)),
            Content::Deflated {
                source: Source::Bytes(bytes),
                ..
            } => Ok(Cow::Borrowed(bytes.as_ref())),
            Content::Deflated {
                source: Source::Input(entry),
                ..
            } => zip.read(entry),
        }
    }

    /// [`PlannedEntry::uncompressed`], a piece at a time, without holding the whole entry.
    pub fn uncompressed_pieces(
        &self,
        zip: &ZipArchive<'a>,
        piece: &mut dyn FnMut(&[u8]),
    ) -> Result<(), ZipError> {
        match &self.content {
            Content::Stored(bytes) => analyzer::pager::for_each_piece(bytes, piece),
            Content::Deflated {
                source: Source::Bytes(bytes),
                ..
            } => piece(bytes),
            // Every method but stored is inflated, as the analyzer's reader does.
            Content::Deflated {
                source: Source::Input(entry),
                ..
            } => zip.read_pieces(entry, piece)?,
        }
        Ok(())
    }

    pub(crate) fn data(&self) -> &[u8] {
        match &self.content {
            Content::Stored(bytes) => bytes,
            Content::Deflated { compressed, .. } => compressed,
        }
    }

    /// Where the data must start: a multiple of this, for stored entries.
    fn alignment(&self) -> Option<u16> {
        match self.content {
            Content::Stored(_) if self.name.ends_with(b".so") => Some(NATIVE_LIBRARY_ALIGNMENT),
            Content::Stored(_) => Some(STORED_ALIGNMENT),
            Content::Deflated { .. } => None,
        }
    }
}

fn name_flags(name: &str) -> u16 {
    if name.is_ascii() { 0 } else { UTF8_NAME_FLAG }
}

/// Refuses inputs that readers could disagree about.
pub fn check_input(zip: &ZipArchive<'_>) -> Result<(), RepackError> {
    let lossy = |name: &[u8]| String::from_utf8_lossy(name).into_owned();
    if let Some(entry) = zip.entries().iter().find(|e| e.has_unsafe_name()) {
        return Err(RepackError::UnsafeName {
            name: lossy(entry.name),
        });
    }
    if let Some(name) = zip.duplicate_names().first() {
        return Err(RepackError::DuplicateName { name: lossy(name) });
    }
    if let Some(&(first, second)) = zip.overlapping_entries().first() {
        let name = |index: usize| {
            zip.entries()
                .get(index)
                .map(|e| lossy(e.name))
                .unwrap_or_default()
        };
        return Err(RepackError::OverlappingEntries {
            first: name(first),
            second: name(second),
        });
    }
    // libziparchive (aapt, the package manager) refuses an archive with an entry whose name
    // is not UTF-8 or differs in its local header (after overlap, its usual cause), and
    // zipalign crashes on an empty one: an output carrying them would not
    // be accepted by Android's own tools.
    for entry in zip.entries() {
        let reason = if entry.name.is_empty() {
            "empty"
        } else if std::str::from_utf8(entry.name).is_err() {
            "not UTF-8"
        } else if entry.local_name_differs {
            "its local header names it differently"
        } else {
            continue;
        };
        return Err(RepackError::InvalidName {
            name: lossy(entry.name),
            reason,
        });
    }
    if let Some(entry) = zip.entries().iter().find(|e| e.is_encrypted()) {
        return Err(RepackError::Encrypted {
            name: lossy(entry.name),
        });
    }
    Ok(())
}

/// The output's entries, in order: the input's (minus signature files and removals, with
/// replacements in place), then the additions in name order.
pub fn plan<'a>(zip: &ZipArchive<'a>, changes: &'a Changes) -> Result<Vec<PlannedEntry<'a>>, RepackError> {
    check_input(zip)?;
    changes.check()?;
    let mut out = Vec::with_capacity(zip.entries().len() + changes.by_name.len());
    let mut replaced: BTreeSet<&str> = BTreeSet::new();
    for entry in zip.entries() {
        if is_signature_file(entry.name) {
            continue;
        }
        let change = std::str::from_utf8(entry.name)
            .ok()
            .and_then(|name| changes.by_name.get_key_value(name));
        match change {
            Some((name, Change::Remove)) => {
                replaced.insert(name.as_str());
            }
            Some((name, Change::Put { data, compression })) => {
                replaced.insert(name.as_str());
                let mut planned = supplied(name, data, *compression);
                planned.version_made_by = entry.version_made_by;
                planned.modified_time = entry.modified_time;
                planned.modified_date = entry.modified_date;
                planned.external_attributes = entry.external_attributes;
                out.push(planned);
            }
            None => out.push(copied(zip, entry)?),
        }
    }
    for (name, change) in &changes.by_name {
        if let Change::Put { data, compression } = change
            && !replaced.contains(name.as_str())
        {
            out.push(supplied(name, data, *compression));
        }
    }
    Ok(out)
}

fn copied<'a>(zip: &ZipArchive<'a>, entry: &ZipEntry<'a>) -> Result<PlannedEntry<'a>, RepackError> {
    let content = match entry.method {
        Method::Stored => {
            if entry.compressed_size != entry.uncompressed_size {
                return Err(RepackError::StoredSizeMismatch {
                    name: entry.name_lossy().into_owned(),
                    compressed: entry.compressed_size,
                    uncompressed: entry.uncompressed_size,
                });
            }
            Content::Stored(Cow::Borrowed(zip.raw_data(entry)))
        }
        Method::Deflated | Method::Other(_) if entry.name == RESOURCE_TABLE => {
            // The analyzer's reader inflates every method but stored, as `libziparchive` does.
            Content::Stored(zip.read(entry)?)
        }
        // Other methods are written as deflate: that is how Android reads them.
        Method::Deflated | Method::Other(_) => Content::Deflated {
            compressed: Cow::Borrowed(zip.raw_data(entry)),
            source: Source::Input(entry.clone()),
        },
    };
    let kept = match content {
        Content::Stored(_) => UTF8_NAME_FLAG,
        Content::Deflated { .. } => KEPT_FLAGS,
    };
    Ok(PlannedEntry {
        name: Cow::Borrowed(entry.name),
        flags: entry.flags & kept,
        version_made_by: entry.version_made_by,
        modified_time: entry.modified_time,
        modified_date: entry.modified_date,
        external_attributes: entry.external_attributes,
        crc32: entry.crc32,
        uncompressed_size: entry.uncompressed_size,
        content,
    })
}

fn supplied<'a>(name: &'a str, data: &'a [u8], compression: Compression) -> PlannedEntry<'a> {
    let stored = compression == Compression::Stored || name.as_bytes() == RESOURCE_TABLE;
    let content = if stored {
        Content::Stored(Cow::Borrowed(data))
    } else {
        Content::Deflated {
            compressed: Cow::Owned(miniz_oxide::deflate::compress_to_vec(data, DEFLATE_LEVEL)),
            source: Source::Bytes(Cow::Borrowed(data)),
        }
    };
    PlannedEntry {
        name: Cow::Borrowed(name.as_bytes()),
        flags: name_flags(name),
        version_made_by: NEW_ENTRY_MADE_BY,
        modified_time: 0,
        modified_date: DOS_DATE_1980_01_01,
        external_attributes: 0,
        crc32: crc32fast::hash(data),
        uncompressed_size: data.len() as u64,
        content,
    }
}

pub(crate) fn write_error(error: std::io::Error) -> RepackError {
    RepackError::Write(error.to_string())
}

fn too_large(what: &'static str) -> RepackError {
    RepackError::TooLarge { what }
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// Writes `entries` as a zip, aligning stored data, into memory.
pub fn write(entries: &[PlannedEntry<'_>]) -> Result<Vec<u8>, RepackError> {
    // The most the output can take, so that it is never reallocated (which would briefly hold
    // it twice): data once, names twice (local and central headers), headers, the largest
    // padding each alignment can need.
    let per_entry = LOCAL_HEADER_LEN as usize + CENTRAL_HEADER_LEN + ALIGNMENT_EXTRA_HEADER_LEN as usize;
    let capacity: usize = entries
        .iter()
        .map(|e| {
            let padding = e.alignment().map_or(0, |a| usize::from(a) - 1);
            e.data().len() + 2 * e.name.len() + per_entry + padding
        })
        .sum();
    let mut out = Vec::with_capacity(capacity + EOCD_LEN);
    let tail = write_entries(entries, &mut |piece| {
        out.extend_from_slice(piece);
        Ok(())
    })?;
    out.extend_from_slice(&tail.central_directory);
    out.extend_from_slice(&tail.end);
    Ok(out)
}

/// What follows a zip's entries, built in memory while they are written: the central directory
/// and the end record, whose central directory offset is `entries_len`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipTail {
    pub entries_len: usize,
    pub central_directory: Vec<u8>,
    pub end: Vec<u8>,
}

/// Writes `entries` (local headers and data, stored data aligned) to `sink` in order, a piece
/// at a time, and returns the central directory and end record that go after them.
pub fn write_entries(
    entries: &[PlannedEntry<'_>],
    sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> Result<ZipTail, RepackError> {
    let count = u16::try_from(entries.len()).map_err(|_| too_large("more than 65,535 entries"))?;
    let mut written: u64 = 0;
    let mut offsets = Vec::with_capacity(entries.len());
    let mut header = Vec::new();
    for entry in entries {
        let offset = written;
        let name_len =
            u16::try_from(entry.name.len()).map_err(|_| too_large("an entry name over 65,535 bytes"))?;
        let data = entry.data();
        let compressed_size =
            u32::try_from(data.len()).map_err(|_| too_large("an entry of 4 GiB or more"))?;
        let uncompressed_size =
            u32::try_from(entry.uncompressed_size).map_err(|_| too_large("an entry of 4 GiB or more"))?;
        let extra = match entry.alignment() {
            Some(alignment) => {
                let unpadded = offset + LOCAL_HEADER_LEN + u64::from(name_len) + ALIGNMENT_EXTRA_HEADER_LEN;
                let padding = (u64::from(alignment) - unpadded % u64::from(alignment)) % u64::from(alignment);
                // Below 16,384, so the field and its size fit in a u16.
                let padding = padding as u16;
                let mut extra = Vec::with_capacity(usize::from(padding) + 6);
                put16(&mut extra, ALIGNMENT_EXTRA_ID);
                put16(&mut extra, 2 + padding);
                put16(&mut extra, alignment);
                extra.resize(extra.len() + usize::from(padding), 0);
                extra
            }
            None => Vec::new(),
        };
        header.clear();
        let out = &mut header;
        put32(out, LOCAL_HEADER_SIGNATURE);
        put16(out, entry.version_needed());
        put16(out, entry.flags);
        put16(out, entry.method());
        put16(out, entry.modified_time);
        put16(out, entry.modified_date);
        put32(out, entry.crc32);
        put32(out, compressed_size);
        put32(out, uncompressed_size);
        put16(out, name_len);
        put16(out, extra.len() as u16);
        out.extend_from_slice(&entry.name);
        out.extend_from_slice(&extra);
        sink(&header).map_err(write_error)?;
        // Copied a piece at a time, each piece's input pages let go once copied (a hint to a
        // mapped input's pager): a 30 MB resources.arsc is then never resident twice.
        for piece in data.chunks(1 << 20) {
            sink(piece).map_err(write_error)?;
            analyzer::pager::done_with(piece);
        }
        written += (header.len() + data.len()) as u64;
        offsets.push(u32::try_from(offset).map_err(|_| too_large("entries past 4 GiB"))?);
    }
    let central_directory_offset =
        usize::try_from(written).map_err(|_| too_large("entries past the address space"))?;
    let mut out = Vec::new();
    for (entry, offset) in entries.iter().zip(offsets) {
        put32(&mut out, CENTRAL_HEADER_SIGNATURE);
        put16(&mut out, entry.version_made_by);
        put16(&mut out, entry.version_needed());
        put16(&mut out, entry.flags);
        put16(&mut out, entry.method());
        put16(&mut out, entry.modified_time);
        put16(&mut out, entry.modified_date);
        put32(&mut out, entry.crc32);
        // Both sizes were checked to fit while writing the local headers.
        put32(&mut out, entry.data().len() as u32);
        put32(&mut out, entry.uncompressed_size as u32);
        put16(&mut out, entry.name.len() as u16);
        put16(&mut out, 0); // extra field length
        put16(&mut out, 0); // comment length
        put16(&mut out, 0); // disk number
        put16(&mut out, 0); // internal attributes
        put32(&mut out, entry.external_attributes);
        put32(&mut out, offset);
        out.extend_from_slice(&entry.name);
    }
    let central_directory = out;
    let mut out = Vec::new();
    let cd_size = u32::try_from(central_directory.len())
        .map_err(|_| too_large("a central directory of 4 GiB or more"))?;
    let cd_offset =
        u32::try_from(central_directory_offset).map_err(|_| too_large("a central directory past 4 GiB"))?;
    put32(&mut out, EOCD_SIGNATURE);
    put16(&mut out, 0); // this disk
    put16(&mut out, 0); // disk with the central directory
    put16(&mut out, count);
    put16(&mut out, count);
    put32(&mut out, cd_size);
    put32(&mut out, cd_offset);
    put16(&mut out, 0); // comment length
    Ok(ZipTail {
        entries_len: central_directory_offset,
        central_directory,
        end: out,
    })
}

impl PlannedEntry<'_> {
    fn method(&self) -> u16 {
        match self.content {
            Content::Stored(_) => 0,
            Content::Deflated { .. } => 8,
        }
    }

    fn version_needed(&self) -> u16 {
        match self.content {
            Content::Stored(_) => VERSION_STORED,
            Content::Deflated { .. } => VERSION_DEFLATED,
        }
    }
}

/// Repacks `input` with `changes`, aligned and without signatures: [`plan`] then [`write`].
pub fn repack(input: &[u8], changes: &Changes) -> Result<Vec<u8>, RepackError> {
    let zip = ZipArchive::parse(input)?;
    write(&plan(&zip, changes)?)
}
