//! The ZIP container of APK, JAR and AAR files, read in place.
//!
//! This reader exists beside the `zip` crate because the analyzer needs what that crate hides:
//! each entry's data offset (alignment of stored entries decides whether Android can map them),
//! the exact byte ranges (overlapping entries are a zip-bomb and a signature-bypass signal),
//! the region between the last entry and the central directory (where the APK Signing Block
//! lives), and trailing bytes after the end record. It follows what Android's `libziparchive`
//! accepts: the end record is searched in the last 64 KiB + 22 bytes, ZIP64 records are honoured,
//! local headers must carry their signature, entry data must end before the central directory,
//! and any compression method other than 0 (stored) means deflate.
//!
//! Nothing here allocates in proportion to a number read from the file without first checking
//! that the file is large enough to hold what that number promises.

use std::borrow::Cow;

use crate::bytes::{slice, u16_at, u32_at, u64_at};

const EOCD_SIGNATURE: u32 = 0x0605_4b50;
const EOCD_LEN: u64 = 22;
const ZIP64_LOCATOR_SIGNATURE: u32 = 0x0706_4b50;
const ZIP64_LOCATOR_LEN: u64 = 20;
const ZIP64_EOCD_SIGNATURE: u32 = 0x0606_4b50;
const ZIP64_EOCD_LEN: u64 = 56;
const CENTRAL_HEADER_SIGNATURE: u32 = 0x0201_4b50;
const CENTRAL_HEADER_LEN: u64 = 46;
const LOCAL_HEADER_SIGNATURE: u32 = 0x0403_4b50;
const LOCAL_HEADER_LEN: u64 = 30;
const ZIP64_EXTRA_ID: u16 = 0x0001;
const MAX_COMMENT_LEN: u64 = 0xffff;

/// Largest inflated entry [`ZipArchive::read`] produces. Real DEX files and manifests are far
/// below it; a declared size above it is a decompression bomb, not an app.
pub const MAX_INFLATED_SIZE: u64 = 1 << 30;

/// Why a ZIP container could not be read.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ZipError {
    #[error("not a zip archive: no end of central directory record in the last 65,557 bytes")]
    NoEndRecord,
    #[error("zip spans several disks, which Android does not support")]
    MultiDisk,
    #[error("truncated zip: {what} at offset {offset} runs past the end of the file")]
    Truncated { what: &'static str, offset: u64 },
    #[error("corrupt zip: bad {what} signature at offset {offset}")]
    BadSignature { what: &'static str, offset: u64 },
    #[error("corrupt zip: central directory claims {claimed} entries but has room for {room}")]
    TooManyEntries { claimed: u64, room: u64 },
    #[error("corrupt zip: central directory (offset {offset}, size {size}) is outside the file")]
    CentralDirectoryOutOfBounds { offset: u64, size: u64 },
    #[error("corrupt zip: ZIP64 extra field missing or short for entry {index}")]
    BadZip64Extra { index: usize },
    #[error("corrupt zip: data of entry `{name}` (offset {start}..{end}) runs into the central directory")]
    EntryDataOutOfBounds { name: String, start: u64, end: u64 },
    #[error("entry `{name}` is encrypted")]
    Encrypted { name: String },
    #[error("entry `{name}` declares {size} bytes uncompressed, over the {limit}-byte limit")]
    TooLarge { name: String, size: u64, limit: u64 },
    #[error("entry `{name}` is corrupt: {reason}")]
    CorruptData { name: String, reason: &'static str },
}

/// How an entry's bytes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Stored,
    Deflated,
    Other(u16),
}

impl Method {
    fn from_raw(raw: u16) -> Self {
        match raw {
            0 => Method::Stored,
            8 => Method::Deflated,
            other => Method::Other(other),
        }
    }
}

/// One entry of the central directory, with the facts of its local header.
#[derive(Debug, Clone)]
pub struct ZipEntry<'a> {
    /// Raw name bytes as stored in the central directory.
    pub name: &'a [u8],
    pub method: Method,
    /// General-purpose bit flags (bit 0: encrypted, bit 3: data descriptor, bit 11: UTF-8).
    pub flags: u16,
    /// Central directory fields a rewriter keeps: the host system and version that made the
    /// entry (which says how `external_attributes` reads), the MS-DOS modification time and
    /// date, and the external file attributes (Unix mode in the high 16 bits).
    pub version_made_by: u16,
    pub modified_time: u16,
    pub modified_date: u16,
    pub external_attributes: u32,
    pub crc32: u32,
    pub compressed_size: u64,
    pub uncompressed_size: u64,
    pub local_header_offset: u64,
    /// Offset of the first byte of entry data, after the local header, name and extra field.
    pub data_offset: u64,
    /// The local header's name differs from the central directory's.
    pub local_name_differs: bool,
}

impl ZipEntry<'_> {
    /// The name as text; invalid UTF-8 is replaced, as Android's tools print it.
    pub fn name_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.name)
    }

    /// End of this entry's data (exclusive).
    pub fn data_end(&self) -> u64 {
        self.data_offset.saturating_add(self.compressed_size)
    }

    pub fn is_encrypted(&self) -> bool {
        self.flags & 1 != 0
    }

    /// Whether the name could escape the directory it is extracted into: absolute paths,
    /// drive letters, backslashes, `..` components or NUL bytes.
    pub fn has_unsafe_name(&self) -> bool {
        is_unsafe_name(self.name)
    }
}

/// Whether an entry name could escape the directory it is extracted into (see
/// [`ZipEntry::has_unsafe_name`]); for names that are about to be written, too.
pub fn is_unsafe_name(name: &[u8]) -> bool {
    name.first() == Some(&b'/')
        || name.contains(&b'\\')
        || name.contains(&0)
        || (name.len() >= 2 && name[1] == b':')
        || name.split(|&b| b == b'/').any(|part| part == b"..")
}

/// A ZIP archive read in place.
#[derive(Debug)]
pub struct ZipArchive<'a> {
    data: &'a [u8],
    entries: Vec<ZipEntry<'a>>,
    /// Offset of the central directory's first byte.
    pub central_directory_offset: u64,
    pub central_directory_size: u64,
    /// Offset of the (classic) end of central directory record.
    pub eocd_offset: u64,
    pub comment: &'a [u8],
    /// The archive carries ZIP64 end records.
    pub zip64: bool,
    /// Bytes after the end record and its comment.
    pub trailing_bytes: u64,
}

impl<'a> ZipArchive<'a> {
    /// Reads the central directory and every local header of `data`.
    pub fn parse(data: &'a [u8]) -> Result<Self, ZipError> {
        let len = data.len() as u64;
        let eocd_offset = find_end_record(data).ok_or(ZipError::NoEndRecord)?;
        let truncated = |what| ZipError::Truncated {
            what,
            offset: eocd_offset,
        };
        let disk = u16_at(data, eocd_offset + 4).ok_or_else(|| truncated("end record"))?;
        let cd_disk = u16_at(data, eocd_offset + 6).ok_or_else(|| truncated("end record"))?;
        if disk != 0 || cd_disk != 0 {
            return Err(ZipError::MultiDisk);
        }
        let mut count = u64::from(u16_at(data, eocd_offset + 10).ok_or_else(|| truncated("end record"))?);
        let mut cd_size = u64::from(u32_at(data, eocd_offset + 12).ok_or_else(|| truncated("end record"))?);
        let mut cd_offset = u64::from(u32_at(data, eocd_offset + 16).ok_or_else(|| truncated("end record"))?);
        let comment_len = u64::from(u16_at(data, eocd_offset + 20).ok_or_else(|| truncated("end record"))?);
        let comment_end = eocd_offset + EOCD_LEN + comment_len;
        let comment =
            slice(data, eocd_offset + EOCD_LEN, comment_len).ok_or_else(|| truncated("archive comment"))?;

        let mut zip64 = false;
        if let Some(locator) = eocd_offset.checked_sub(ZIP64_LOCATOR_LEN)
            && u32_at(data, locator) == Some(ZIP64_LOCATOR_SIGNATURE)
        {
            zip64 = true;
            let record = u64_at(data, locator + 8).ok_or(ZipError::Truncated {
                what: "ZIP64 locator",
                offset: locator,
            })?;
            let bad = ZipError::BadSignature {
                what: "ZIP64 end of central directory",
                offset: record,
            };
            if record.checked_add(ZIP64_EOCD_LEN).is_none_or(|end| end > locator)
                || u32_at(data, record) != Some(ZIP64_EOCD_SIGNATURE)
            {
                return Err(bad);
            }
            // Only fields the classic record saturated are taken from the ZIP64 record.
            let read = |at| {
                u64_at(data, record + at).ok_or(ZipError::Truncated {
                    what: "ZIP64 end record",
                    offset: record,
                })
            };
            if count == 0xffff {
                count = read(32)?;
            }
            if cd_size == 0xffff_ffff {
                cd_size = read(40)?;
            }
            if cd_offset == 0xffff_ffff {
                cd_offset = read(48)?;
            }
        }

        let cd_end = cd_offset
            .checked_add(cd_size)
            .filter(|&end| end <= eocd_offset)
            .ok_or(ZipError::CentralDirectoryOutOfBounds {
                offset: cd_offset,
                size: cd_size,
            })?;
        let room = cd_size / CENTRAL_HEADER_LEN;
        if count > room {
            return Err(ZipError::TooManyEntries { claimed: count, room });
        }

        let mut entries = Vec::with_capacity(count as usize);
        let mut at = cd_offset;
        // Local headers are spread over the whole file: release the stretch read so far every
        // few MiB, so a large mapped input is never resident all at once (see `pager`).
        const RELEASE_SPAN: u64 = 4 << 20;
        let mut window: Option<(u64, u64)> = None;
        for index in 0..count as usize {
            let entry = read_central_entry(data, at, cd_end, index)?;
            at = entry.1;
            let header = entry.0.local_header_offset;
            let (low, high) = window.map_or((header, header), |(l, h)| (l.min(header), h.max(header)));
            if high - low >= RELEASE_SPAN {
                let end = high.saturating_add(LOCAL_HEADER_LEN + 0xffff).min(cd_offset);
                if let Some(stretch) = slice(data, low, end.saturating_sub(low)) {
                    crate::pager::done_with(stretch);
                }
                window = None;
            } else {
                window = Some((low, high));
            }
            entries.push(entry.0);
        }
        for entry in &entries {
            if entry.data_end() > cd_offset || entry.data_offset > cd_offset {
                return Err(ZipError::EntryDataOutOfBounds {
                    name: entry.name_lossy().into_owned(),
                    start: entry.data_offset,
                    end: entry.data_end(),
                });
            }
        }

        // Parsing touched the central directory and every local header: tell the owner of a
        // mapped input that those pages need not stay resident.
        crate::pager::done_with(data);
        Ok(ZipArchive {
            data,
            entries,
            central_directory_offset: cd_offset,
            central_directory_size: cd_size,
            eocd_offset,
            comment,
            zip64,
            trailing_bytes: len - comment_end,
        })
    }

    /// Entries in central directory order.
    pub fn entries(&self) -> &[ZipEntry<'a>] {
        &self.entries
    }

    /// The first entry with this exact name.
    pub fn entry(&self, name: &str) -> Option<&ZipEntry<'a>> {
        self.entries.iter().find(|e| e.name == name.as_bytes())
    }

    /// The whole input.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Offset just past the last byte of entry data. What lies between it and the central
    /// directory is the APK Signing Block, or unaccounted bytes.
    pub fn end_of_entries(&self) -> u64 {
        self.entries.iter().map(ZipEntry::data_end).max().unwrap_or(0)
    }

    /// Names that occur more than once, each reported once, in first-seen order.
    pub fn duplicate_names(&self) -> Vec<&'a [u8]> {
        let mut names: Vec<&[u8]> = self.entries.iter().map(|e| e.name).collect();
        names.sort_unstable();
        let mut dups: Vec<&[u8]> = names.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
        dups.dedup();
        dups
    }

    /// Pairs of entry indices whose byte ranges (local header through data) overlap. Overlap
    /// is how zip bombs reach huge ratios and how parsers are made to disagree on contents.
    pub fn overlapping_entries(&self) -> Vec<(usize, usize)> {
        let mut ranges: Vec<(u64, u64, usize)> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.local_header_offset, e.data_end(), i))
            .collect();
        ranges.sort_unstable();
        let mut overlaps = Vec::new();
        let mut furthest: Option<(u64, usize)> = None;
        for &(start, end, index) in &ranges {
            if let Some((far_end, far_index)) = furthest
                && start < far_end
            {
                overlaps.push((far_index.min(index), far_index.max(index)));
            }
            if furthest.is_none_or(|(far_end, _)| end > far_end) {
                furthest = Some((end, index));
            }
        }
        overlaps
    }

    /// The raw (possibly compressed) bytes of an entry.
    pub fn raw_data(&self, entry: &ZipEntry<'a>) -> &'a [u8] {
        // `parse` checked that every entry's data lies inside the file.
        slice(self.data, entry.data_offset, entry.compressed_size).unwrap_or_default()
    }

    /// The uncompressed bytes of an entry: borrowed when stored, inflated when deflated.
    /// Sizes and the CRC-32 are checked against the central directory.
    pub fn read(&self, entry: &ZipEntry<'a>) -> Result<Cow<'a, [u8]>, ZipError> {
        let raw = self.checked_raw(entry)?;
        if entry.method == Method::Stored {
            // Stored entries are read in place: checked piecewise so that a large one (a
            // framework's resources.arsc) is not left resident just for the check.
            self.pieces(entry, raw, &mut |_| {})?;
            return Ok(Cow::Borrowed(raw));
        }
        let declared = entry.uncompressed_size as usize;
        // Inflated in place into a buffer that grows with what the stream really produces (one
        // byte past the declared size at most, to see a stream that goes on), so that a damaged
        // size costs nothing.
        let mut out = vec![0; (declared + 1).min(raw.len().saturating_mul(4).max(64 << 10))];
        let filled = inflate(raw, declared, &mut out, &mut |out, _| {
            out.resize((declared + 1).min(out.len().saturating_mul(2)), 0);
            false
        })
        .map_err(|reason| corrupt(entry, reason))?;
        out.truncate(filled);
        if crc32fast::hash(&out) != entry.crc32 {
            return Err(corrupt(entry, "CRC-32 mismatch"));
        }
        // The compressed bytes are not needed again.
        crate::pager::done_with(raw);
        Ok(Cow::Owned(out))
    }

    /// The uncompressed bytes of an entry, a piece at a time, checked as [`ZipArchive::read`]
    /// checks them, with nothing the size of the entry allocated (for digests over entries).
    /// `piece` may have seen some of the data when an error is returned.
    pub fn read_pieces(&self, entry: &ZipEntry<'a>, mut piece: impl FnMut(&[u8])) -> Result<(), ZipError> {
        let raw = self.checked_raw(entry)?;
        self.pieces(entry, raw, &mut piece)
    }

    /// The entry's raw data, once the entry is one this reader can give the bytes of.
    fn checked_raw(&self, entry: &ZipEntry<'a>) -> Result<&'a [u8], ZipError> {
        let name = || entry.name_lossy().into_owned();
        if entry.is_encrypted() {
            return Err(ZipError::Encrypted { name: name() });
        }
        if entry.uncompressed_size > MAX_INFLATED_SIZE {
            return Err(ZipError::TooLarge {
                name: name(),
                size: entry.uncompressed_size,
                limit: MAX_INFLATED_SIZE,
            });
        }
        if entry.method == Method::Stored && entry.compressed_size != entry.uncompressed_size {
            return Err(corrupt(
                entry,
                "stored entry with different compressed and uncompressed sizes",
            ));
        }
        Ok(self.raw_data(entry))
    }

    /// Feeds `raw`'s uncompressed bytes to `piece`, checking their length and CRC-32.
    fn pieces(
        &self,
        entry: &ZipEntry<'a>,
        raw: &'a [u8],
        piece: &mut dyn FnMut(&[u8]),
    ) -> Result<(), ZipError> {
        let mut crc = crc32fast::Hasher::new();
        let mut take = |data: &[u8]| {
            crc.update(data);
            piece(data);
        };
        if entry.method == Method::Stored {
            crate::pager::for_each_piece(raw, take);
        } else {
            let declared = entry.uncompressed_size as usize;
            let mut buffer = vec![0; (declared + 1).min(1 << 18)];
            let filled = inflate(raw, declared, &mut buffer, &mut |buffer, filled| {
                take(&buffer[..filled]);
                true
            })
            .map_err(|reason| corrupt(entry, reason))?;
            take(&buffer[..filled]);
            crate::pager::done_with(raw);
        }
        if crc.finalize() != entry.crc32 {
            return Err(corrupt(entry, "CRC-32 mismatch"));
        }
        Ok(())
    }
}

/// Offset of the end of central directory record: the last signature in the final
/// 64 KiB + 22 bytes whose comment length fits inside the file.
fn find_end_record(data: &[u8]) -> Option<u64> {
    let len = data.len() as u64;
    let lowest = len.saturating_sub(EOCD_LEN + MAX_COMMENT_LEN);
    let mut at = len.checked_sub(EOCD_LEN)?;
    loop {
        if u32_at(data, at) == Some(EOCD_SIGNATURE) {
            let comment_len = u64::from(u16_at(data, at + 20)?);
            if at + EOCD_LEN + comment_len <= len {
                return Some(at);
            }
        }
        if at == lowest {
            return None;
        }
        at -= 1;
    }
}

/// Reads the central header at `at` and its local header; returns the entry and the offset of
/// the next central header.
fn read_central_entry(
    data: &[u8],
    at: u64,
    cd_end: u64,
    index: usize,
) -> Result<(ZipEntry<'_>, u64), ZipError> {
    let truncated = ZipError::Truncated {
        what: "central directory entry",
        offset: at,
    };
    if at + CENTRAL_HEADER_LEN > cd_end {
        return Err(truncated);
    }
    if u32_at(data, at) != Some(CENTRAL_HEADER_SIGNATURE) {
        return Err(ZipError::BadSignature {
            what: "central directory entry",
            offset: at,
        });
    }
    let header = slice(data, at, CENTRAL_HEADER_LEN).ok_or(truncated.clone())?;
    let h16 = |o: usize| u16::from_le_bytes([header[o], header[o + 1]]);
    let h32 = |o: usize| u32::from_le_bytes([header[o], header[o + 1], header[o + 2], header[o + 3]]);
    let version_made_by = h16(4);
    let flags = h16(8);
    let method = Method::from_raw(h16(10));
    let modified_time = h16(12);
    let modified_date = h16(14);
    let crc32 = h32(16);
    let mut compressed_size = u64::from(h32(20));
    let mut uncompressed_size = u64::from(h32(24));
    let name_len = u64::from(h16(28));
    let extra_len = u64::from(h16(30));
    let comment_len = u64::from(h16(32));
    let external_attributes = h32(38);
    let mut local_header_offset = u64::from(h32(42));

    let name_at = at + CENTRAL_HEADER_LEN;
    let next = name_at + name_len + extra_len + comment_len;
    if next > cd_end {
        return Err(truncated);
    }
    let name = slice(data, name_at, name_len).ok_or(truncated.clone())?;
    let extra = slice(data, name_at + name_len, extra_len).ok_or(truncated)?;

    // ZIP64 extended information: present values appear in this fixed order, each only when
    // the classic field is saturated.
    if uncompressed_size == 0xffff_ffff
        || compressed_size == 0xffff_ffff
        || local_header_offset == 0xffff_ffff
    {
        let field = find_extra(extra, ZIP64_EXTRA_ID).ok_or(ZipError::BadZip64Extra { index })?;
        let mut pos = 0u64;
        let mut take = |value: &mut u64| -> Result<(), ZipError> {
            if *value == 0xffff_ffff {
                *value = u64_at(field, pos).ok_or(ZipError::BadZip64Extra { index })?;
                pos += 8;
            }
            Ok(())
        };
        take(&mut uncompressed_size)?;
        take(&mut compressed_size)?;
        take(&mut local_header_offset)?;
    }

    let local_truncated = ZipError::Truncated {
        what: "local file header",
        offset: local_header_offset,
    };
    if u32_at(data, local_header_offset).ok_or(local_truncated.clone())? != LOCAL_HEADER_SIGNATURE {
        return Err(ZipError::BadSignature {
            what: "local file header",
            offset: local_header_offset,
        });
    }
    let local_name_len = u64::from(u16_at(data, local_header_offset + 26).ok_or(local_truncated.clone())?);
    let local_extra_len = u64::from(u16_at(data, local_header_offset + 28).ok_or(local_truncated.clone())?);
    let local_name =
        slice(data, local_header_offset + LOCAL_HEADER_LEN, local_name_len).ok_or(local_truncated)?;
    let data_offset = local_header_offset + LOCAL_HEADER_LEN + local_name_len + local_extra_len;

    Ok((
        ZipEntry {
            name,
            method,
            flags,
            version_made_by,
            modified_time,
            modified_date,
            external_attributes,
            crc32,
            compressed_size,
            uncompressed_size,
            local_header_offset,
            data_offset,
            local_name_differs: local_name != name,
        },
        next,
    ))
}

/// The body of the extra-field record with this id.
fn find_extra(extra: &[u8], id: u16) -> Option<&[u8]> {
    let mut at = 0u64;
    while let (Some(field_id), Some(size)) = (u16_at(extra, at), u16_at(extra, at + 2)) {
        let body = slice(extra, at + 4, u64::from(size))?;
        if field_id == id {
            return Some(body);
        }
        at += 4 + u64::from(size);
    }
    None
}

#[cfg(test)]
/// A minimal archive writer for tests of this crate: stored entries and an archive comment.
pub(crate) fn stored_zip(entries: &[(&str, &[u8])], comment: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, body) in entries {
        let offset = out.len() as u32;
        let crc = crc32fast::hash(body);
        out.extend_from_slice(&LOCAL_HEADER_SIGNATURE.to_le_bytes());
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(body);

        central.extend_from_slice(&CENTRAL_HEADER_SIGNATURE.to_le_bytes());
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&(body.len() as u32).to_le_bytes());
        central.extend_from_slice(&(body.len() as u32).to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&EOCD_SIGNATURE.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&(comment.len() as u16).to_le_bytes());
    out.extend_from_slice(comment);
    out
}

fn corrupt(entry: &ZipEntry<'_>, reason: &'static str) -> ZipError {
    ZipError::CorruptData {
        name: entry.name_lossy().into_owned(),
        reason,
    }
}

/// Inflates the raw deflate stream `raw`, which declares `declared` bytes, into `out`. Whenever
/// `out` is full, `full(out, filled)` either makes it longer (and returns `false`) or takes its
/// bytes (`true`), which are then written over. Returns how many bytes at the start of `out`
/// hold data at the end. Like libziparchive, which Android installs with, the stream must end
/// at the declared size exactly.
fn inflate(
    raw: &[u8],
    declared: usize,
    out: &mut Vec<u8>,
    full: &mut dyn FnMut(&mut Vec<u8>, usize) -> bool,
) -> Result<usize, &'static str> {
    const INVALID: &str = "invalid deflate stream";
    let mut inflater = zlib_rs::Inflate::new(false, 15);
    let mut filled = 0;
    loop {
        if filled == out.len() {
            if full(out, filled) {
                filled = 0;
            } else if filled == out.len() {
                // Not grown: no room for more than is already there.
                return Err("inflates to more bytes than declared");
            }
        }
        let (read, before) = (inflater.total_in() as usize, inflater.total_out());
        let status = inflater
            .decompress(&raw[read..], &mut out[filled..], zlib_rs::InflateFlush::NoFlush)
            .map_err(|_| INVALID)?;
        filled += (inflater.total_out() - before) as usize;
        if inflater.total_out() > declared as u64 {
            return Err("inflates to more bytes than declared");
        }
        if status == zlib_rs::Status::StreamEnd {
            break;
        }
        if inflater.total_out() == before && inflater.total_in() as usize == read && filled < out.len() {
            // No progress with room left: the input ended before the stream did.
            return Err(INVALID);
        }
    }
    if inflater.total_out() != declared as u64 {
        return Err("inflates to fewer bytes than declared");
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflate_checks_the_declared_size_whole_or_in_pieces() {
        // Whole: grown in place; in pieces: a 1,000-byte buffer taken each time it is full.
        let whole = |raw: &[u8], declared: usize| {
            let mut out = vec![0; 10];
            inflate(raw, declared, &mut out, &mut |out, _| {
                out.resize((declared + 1).min(out.len() * 2), 0);
                false
            })
            .map(|filled| out[..filled].to_vec())
        };
        let pieces = |raw: &[u8], declared: usize| {
            let (mut got, mut buffer) = (Vec::new(), vec![0; 1000]);
            inflate(raw, declared, &mut buffer, &mut |buffer, filled| {
                got.extend_from_slice(&buffer[..filled]);
                true
            })
            .map(|filled| [got.as_slice(), &buffer[..filled]].concat())
        };
        check(whole);
        check(pieces);
        fn check(inflate: impl Fn(&[u8], usize) -> Result<Vec<u8>, &'static str>) {
            let data: Vec<u8> = (0..300_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
            let raw = miniz_oxide::deflate::compress_to_vec(&data, 6);
            let empty = miniz_oxide::deflate::compress_to_vec(b"", 6);
            assert_eq!(inflate(&raw, data.len()).unwrap(), data);
            assert_eq!(
                inflate(&raw, data.len() - 1),
                Err("inflates to more bytes than declared")
            );
            assert_eq!(
                inflate(&raw, data.len() + 10),
                Err("inflates to fewer bytes than declared")
            );
            assert_eq!(
                inflate(&raw[..raw.len() / 2], data.len()),
                Err("invalid deflate stream")
            );
            assert_eq!(inflate(&[0xff; 64], 1000), Err("invalid deflate stream"));
            assert_eq!(inflate(&empty, 0).unwrap(), b"");
            assert_eq!(inflate(&raw, 0), Err("inflates to more bytes than declared"));
        }
    }

    #[test]
    fn reads_entries_offsets_and_comment() {
        let data = stored_zip(&[("a.txt", b"hello"), ("dir/b.bin", b"xyz")], b"note");
        let zip = ZipArchive::parse(&data).unwrap();
        assert_eq!(zip.entries().len(), 2);
        let a = zip.entry("a.txt").unwrap();
        assert_eq!(a.data_offset, 30 + 5);
        assert_eq!(zip.read(a).unwrap().as_ref(), b"hello");
        assert!(matches!(zip.read(a).unwrap(), Cow::Borrowed(_)));
        assert_eq!(zip.comment, b"note");
        assert_eq!(zip.trailing_bytes, 0);
        assert!(!zip.zip64);
        assert!(zip.duplicate_names().is_empty());
        assert!(zip.overlapping_entries().is_empty());
    }

    #[test]
    fn detects_duplicates_and_unsafe_names() {
        let data = stored_zip(&[("x", b"1"), ("../evil", b"2"), ("x", b"3"), ("/abs", b"")], b"");
        let zip = ZipArchive::parse(&data).unwrap();
        assert_eq!(zip.duplicate_names(), vec![&b"x"[..]]);
        let unsafe_names: Vec<_> = zip
            .entries()
            .iter()
            .filter(|e| e.has_unsafe_name())
            .map(|e| e.name)
            .collect();
        assert_eq!(unsafe_names, vec![&b"../evil"[..], &b"/abs"[..]]);
    }

    #[test]
    fn detects_overlapping_entries() {
        let mut data = stored_zip(&[("a", b"0123456789"), ("b", b"x")], b"");
        // Point entry b's central record at entry a's local header.
        let cd = ZipArchive::parse(&data).unwrap().central_directory_offset as usize;
        let second = cd + 46 + 1;
        data[second + 42..second + 46].copy_from_slice(&0u32.to_le_bytes());
        let zip = ZipArchive::parse(&data).unwrap();
        assert_eq!(zip.overlapping_entries(), vec![(0, 1)]);
    }

    #[test]
    fn crc_mismatch_is_reported() {
        let mut data = stored_zip(&[("a", b"abc")], b"");
        data[31] = b'X';
        let zip = ZipArchive::parse(&data).unwrap();
        let err = zip.read(&zip.entries()[0]).unwrap_err();
        assert_eq!(err.to_string(), "entry `a` is corrupt: CRC-32 mismatch");
    }

    #[test]
    fn trailing_bytes_are_counted() {
        let mut data = stored_zip(&[("a", b"abc")], b"");
        data.extend_from_slice(b"TRAILER");
        let zip = ZipArchive::parse(&data).unwrap();
        assert_eq!(zip.trailing_bytes, 7);
    }

    #[test]
    fn rejects_non_zip_and_truncation_without_panicking() {
        assert_eq!(ZipArchive::parse(b"").unwrap_err(), ZipError::NoEndRecord);
        assert_eq!(
            ZipArchive::parse(b"plain text, not a zip").unwrap_err(),
            ZipError::NoEndRecord
        );
        let data = stored_zip(&[("a.txt", b"hello"), ("b", b"world")], b"c");
        for cut in 0..data.len() {
            let _ = ZipArchive::parse(&data[..cut]);
            let _ = ZipArchive::parse(&data[cut..]);
        }
    }

    #[test]
    fn entry_count_beyond_directory_size_is_refused_before_allocating() {
        let mut data = stored_zip(&[("a", b"1")], b"");
        let eocd = data.len() - 22;
        data[eocd + 10..eocd + 12].copy_from_slice(&0xfffeu16.to_le_bytes());
        assert!(matches!(
            ZipArchive::parse(&data).unwrap_err(),
            ZipError::TooManyEntries { claimed: 0xfffe, .. }
        ));
    }
}
