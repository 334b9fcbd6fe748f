//! `resources.arsc`: the compiled resource table (`ResTable`).
//!
//! A table holds a global string pool (the string values) and packages. A package has a name,
//! an id (0x7f for apps, 0x01 for the framework, 0x00 for shared libraries), a pool of type names
//! and a pool of entry names, and per type: one type spec (how many entries, their configuration
//! flags) and one type chunk per configuration (`ResTable_config`) with that configuration's
//! entries. Entries are simple values (`Res_value`), bags (a parent and key/value maps: styles,
//! arrays, plurals) or compact entries (Android 14, value packed into the entry). Type chunks
//! index their entries with 32-bit offsets, 16-bit offsets (`FLAG_OFFSET16`, Android 14) or a
//! sorted sparse list (`FLAG_SPARSE`, Android 8).
//!
//! [`ResourceTable::parse`] checks the chunk structure as `ResTable::addInternal` and
//! `parsePackage` do and keeps one small record per chunk (so memory is bounded by the input's
//! size, never by a count read from it); entries are read in place when looked up.
//! [`ResourceTable::resolve`] follows references as `ResTable::resolveReference` does, choosing
//! among configurations with Android's `match`/`isBetterThan` rules.

mod config;

use std::borrow::Cow;

pub use config::{CONFIG_LEN, Config};

use crate::bytes::{u16_at, u32_at};
use crate::res::{ChunkHeader, ParseMode, ResValue, StringPool, StringPoolError, chunk_type, data_type};

const TABLE_HEADER_LEN: usize = 12;
/// `ResTable_package` without and with `typeIdOffset`.
const PACKAGE_HEADER_MIN: usize = 284;
const PACKAGE_HEADER_LEN: usize = 288;
const TYPE_SPEC_HEADER_LEN: usize = 16;
/// `ResTable_type` up to the config, plus the config's size field.
const TYPE_HEADER_MIN: usize = 24;
const LIBRARY_HEADER_LEN: usize = 12;
const LIBRARY_ENTRY_LEN: usize = 4 + 256;
const ENTRY_HEADER_LEN: usize = 8;
const MAP_ENTRY_HEADER_LEN: usize = 16;
/// Longest reference chain followed, as in `ResTable::resolveReference`.
pub const MAX_REFERENCE_DEPTH: usize = 20;
/// `ResTable_type::NO_ENTRY`.
const NO_ENTRY: u32 = 0xffff_ffff;

/// `ResTable_type` flags.
pub const TYPE_FLAG_SPARSE: u8 = 0x01;
pub const TYPE_FLAG_OFFSET16: u8 = 0x02;
/// `ResTable_entry` flags.
pub const ENTRY_FLAG_COMPLEX: u16 = 0x0001;
pub const ENTRY_FLAG_PUBLIC: u16 = 0x0002;
pub const ENTRY_FLAG_WEAK: u16 = 0x0004;
pub const ENTRY_FLAG_COMPACT: u16 = 0x0008;

/// Why a resource table, or an entry of it, could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArscError {
    #[error("resource table: {reason}")]
    BadTable { reason: &'static str },
    #[error("resource table: chunk at offset {offset}: {reason}")]
    BadChunk { offset: usize, reason: &'static str },
    #[error("resource table: entry of resource {id:#010x}: {reason}")]
    BadEntry { id: u32, reason: &'static str },
    #[error("resource table: {0}")]
    StringPool(#[from] StringPoolError),
}

/// A resource table read in place.
#[derive(Debug, Clone)]
pub struct ResourceTable<'a> {
    data: &'a [u8],
    strings: StringPool<'a>,
    packages: Vec<Package<'a>>,
    mode: ParseMode,
}

/// One package of the table.
#[derive(Debug, Clone)]
pub struct Package<'a> {
    /// Offset of the package chunk.
    pub offset: usize,
    /// The id stored in the file (0 for a shared library).
    pub id: u8,
    /// The id references use at run time: the stored id, or for a shared library the one
    /// Android assigns (0x02 upwards, in load order).
    pub assigned_id: u8,
    pub name: String,
    pub type_strings: StringPool<'a>,
    pub key_strings: StringPool<'a>,
    /// Added to type-string indices by split/feature packages (`typeIdOffset`).
    pub type_id_offset: u32,
    pub type_specs: Vec<TypeSpec<'a>>,
    pub types: Vec<TypeChunk<'a>>,
    /// Indices into `types` per type spec, so that a lookup visits only its type's chunks.
    types_by_spec: Vec<Vec<usize>>,
    /// The library chunk: build-time package ids of the shared libraries this package uses.
    libraries: &'a [u8],
    /// Overlayable or staged-alias chunks (counted, not decoded).
    pub other_chunks: usize,
}

/// A type spec (`ResTable_typeSpec`): the number of entries of a type and their flags.
#[derive(Debug, Clone, Copy)]
pub struct TypeSpec<'a> {
    pub offset: usize,
    /// Type id, 1-based (`0x7fTT0000`).
    pub id: u8,
    pub entry_count: u32,
    /// `entry_count` 32-bit flags (`SPEC_PUBLIC`, configuration change masks).
    flags: &'a [u8],
}

impl TypeSpec<'_> {
    /// The spec flags of entry `index`.
    pub fn flags(&self, index: u32) -> Option<u32> {
        u32_at(self.flags, u64::from(index) * 4)
    }
}

/// A type chunk (`ResTable_type`): the entries of one type in one configuration.
#[derive(Debug, Clone, Copy)]
pub struct TypeChunk<'a> {
    pub offset: usize,
    /// Type id, 1-based.
    pub id: u8,
    /// `FLAG_SPARSE`, `FLAG_OFFSET16`.
    pub flags: u8,
    /// Number of offsets (records, for sparse types).
    pub entry_count: u32,
    pub entries_start: u32,
    pub config: Config,
    /// Index of the type spec (in [`Package::type_specs`]) this chunk belongs to.
    pub spec: usize,
    /// The whole chunk.
    chunk: &'a [u8],
    header_size: usize,
}

impl<'a> TypeChunk<'a> {
    pub fn is_sparse(&self) -> bool {
        self.flags & TYPE_FLAG_SPARSE != 0
    }

    /// Offset (relative to `entries_start`) of entry `index`, or `None` when this configuration
    /// has no such entry.
    pub fn entry_offset(&self, index: u32) -> Option<u32> {
        let table = &self.chunk[self.header_size.min(self.chunk.len())..];
        if self.is_sparse() {
            // `std::lower_bound` over (idx, offset / 4) records, as Android searches them.
            let (mut low, mut high) = (0u32, self.entry_count);
            while low < high {
                let mid = low + (high - low) / 2;
                if u32::from(u16_at(table, u64::from(mid) * 4)?) < index {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            if low == self.entry_count || u32::from(u16_at(table, u64::from(low) * 4)?) != index {
                return None;
            }
            return Some(u32::from(u16_at(table, u64::from(low) * 4 + 2)?) * 4);
        }
        if index >= self.entry_count {
            return None;
        }
        let offset = if self.flags & TYPE_FLAG_OFFSET16 != 0 {
            match u16_at(table, u64::from(index) * 2)? {
                0xffff => NO_ENTRY,
                short => u32::from(short) * 4,
            }
        } else {
            u32_at(table, u64::from(index) * 4)?
        };
        (offset != NO_ENTRY).then_some(offset)
    }

    /// The entry indices present in this configuration with their offsets, in file order.
    pub fn entry_offsets(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let table = &self.chunk[self.header_size.min(self.chunk.len())..];
        (0..self.entry_count).filter_map(move |i| {
            if self.is_sparse() {
                let index = u32::from(u16_at(table, u64::from(i) * 4)?);
                Some((index, u32::from(u16_at(table, u64::from(i) * 4 + 2)?) * 4))
            } else {
                self.entry_offset(i).map(|offset| (i, offset))
            }
        })
    }

    /// The entry at `offset` (from [`Self::entry_offset`]); `id` only names it in errors.
    /// Checks that the entry and its value lie inside the chunk, on a 4-byte boundary.
    pub fn entry_at(&self, offset: u32, id: u32) -> Result<Entry<'a>, ArscError> {
        let bad = |reason| ArscError::BadEntry { id, reason };
        let at = (self.entries_start as usize)
            .checked_add(offset as usize)
            .filter(|&at| at + ENTRY_HEADER_LEN <= self.chunk.len())
            .ok_or(bad("entry outside its type chunk"))?;
        if at % 4 != 0 {
            return Err(bad("entry not on a 4-byte boundary"));
        }
        let half = |o: usize| u16_at(self.chunk, (at + o) as u64).unwrap_or(0);
        let word = |o: usize| u32_at(self.chunk, (at + o) as u64).unwrap_or(0);
        let flags = half(2);
        if flags & ENTRY_FLAG_COMPACT != 0 {
            return Ok(Entry {
                key: u32::from(half(0)),
                flags,
                kind: EntryKind::Simple(ResValue::new((flags >> 8) as u8, word(4))),
            });
        }
        let size = usize::from(half(0));
        if size < ENTRY_HEADER_LEN {
            return Err(bad("entry header smaller than 8 bytes"));
        }
        let key = word(4);
        if flags & ENTRY_FLAG_COMPLEX != 0 {
            if size < MAP_ENTRY_HEADER_LEN || at + MAP_ENTRY_HEADER_LEN > self.chunk.len() {
                return Err(bad("bag header outside its type chunk"));
            }
            return Ok(Entry {
                key,
                flags,
                kind: EntryKind::Bag(Bag {
                    parent: word(8),
                    count: word(12),
                    chunk: self.chunk,
                    first: at + size,
                }),
            });
        }
        let value = ResValue::read(self.chunk, at + size).ok_or(bad("value outside its type chunk"))?;
        Ok(Entry {
            key,
            flags,
            kind: EntryKind::Simple(value),
        })
    }
}

/// One entry (`ResTable_entry`).
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// Index of the entry's name in the package's key strings.
    pub key: u32,
    pub flags: u16,
    pub kind: EntryKind<'a>,
}

impl Entry<'_> {
    pub fn is_public(&self) -> bool {
        self.flags & ENTRY_FLAG_PUBLIC != 0
    }

    pub fn is_compact(&self) -> bool {
        self.flags & ENTRY_FLAG_COMPACT != 0
    }

    /// The value of a simple entry.
    pub fn value(&self) -> Option<ResValue> {
        match self.kind {
            EntryKind::Simple(value) => Some(value),
            EntryKind::Bag(_) => None,
        }
    }
}

/// A simple value or a bag.
#[derive(Debug, Clone, Copy)]
pub enum EntryKind<'a> {
    Simple(ResValue),
    Bag(Bag<'a>),
}

/// A bag (`ResTable_map_entry`): an optional parent and `count` key/value maps.
#[derive(Debug, Clone, Copy)]
pub struct Bag<'a> {
    pub parent: u32,
    /// As declared; [`Bag::maps`] yields at most what the chunk holds.
    pub count: u32,
    chunk: &'a [u8],
    first: usize,
}

impl Bag<'_> {
    /// The maps (`ResTable_map`: a key, usually an attribute id, and a value). Each is read
    /// where the previous one's value size says, as Android steps through them; iteration ends
    /// with an error at the first map that leaves the chunk.
    pub fn maps(&self) -> impl Iterator<Item = Result<(u32, ResValue), ArscError>> + '_ {
        let mut at = self.first;
        let mut failed = false;
        (0..self.count).map_while(move |_| {
            if failed {
                return None;
            }
            let read = || {
                Some((
                    u32_at(self.chunk, at as u64)?,
                    ResValue::read(self.chunk, at + 4)?,
                ))
            };
            match read() {
                Some((name, value)) => {
                    at += 4 + usize::from(value.size).max(ResValue::LEN);
                    Some(Ok((name, value)))
                }
                None => {
                    failed = true;
                    Some(Err(ArscError::BadEntry {
                        id: 0,
                        reason: "bag map outside its type chunk",
                    }))
                }
            }
        })
    }
}

/// A library the table's package was built against (`ResTable_lib_entry`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    /// The package id its resources carry in this package's references.
    pub build_id: u32,
    pub name: String,
}

/// The entry chosen for a resource id.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a, 't> {
    pub package: &'t Package<'a>,
    pub chunk: &'t TypeChunk<'a>,
    pub entry: Entry<'a>,
    /// Flags of the entry in every matching type spec, or-ed together.
    pub spec_flags: u32,
}

impl<'a> ResourceTable<'a> {
    /// Reads the table header, the global string pool and every package's chunk structure.
    pub fn parse(data: &'a [u8], mode: ParseMode) -> Result<Self, ArscError> {
        let bad = |reason| ArscError::BadTable { reason };
        if data.len() < TABLE_HEADER_LEN {
            return Err(bad("shorter than the table header"));
        }
        let header = ChunkHeader::read(data, 0).ok_or(bad("shorter than the table header"))?;
        let size = header.size as usize;
        if usize::from(header.header_size) > size || size > data.len() {
            return Err(bad("header size or table size larger than the data"));
        }
        if (usize::from(header.header_size) | size) & 3 != 0 {
            return Err(bad("header size or table size is not a multiple of 4"));
        }
        if mode.is_strict() {
            if header.chunk_type != chunk_type::TABLE {
                return Err(bad("not a resource table chunk"));
            }
            if usize::from(header.header_size) != TABLE_HEADER_LEN {
                return Err(bad("table header is not 12 bytes"));
            }
            if size != data.len() {
                return Err(bad("bytes after the end of the table"));
            }
        }
        let package_count = u32_at(data, 8).unwrap_or(0);
        let data = &data[..size];
        let end = size;

        let mut strings = None;
        let mut packages: Vec<Package<'a>> = Vec::new();
        let mut next_dynamic_id = 2u8;
        let mut at = usize::from(header.header_size);
        while at + ChunkHeader::LEN <= end {
            let chunk = ChunkHeader::read(data, at).ok_or(bad("truncated chunk header"))?;
            if at.checked_add(chunk.size as usize).is_none_or(|e| e > end) {
                break;
            }
            let chunk_error = |reason| ArscError::BadChunk { offset: at, reason };
            chunk.validate(ChunkHeader::LEN, end).map_err(chunk_error)?;
            match chunk.chunk_type {
                chunk_type::STRING_POOL => {
                    // Only the first string pool counts.
                    if strings.is_none() {
                        strings = Some(StringPool::parse(&data[..chunk.end()], at, mode)?);
                        crate::pager::done_with(&data[at..chunk.end()]);
                    } else if mode.is_strict() {
                        return Err(chunk_error("second global string pool"));
                    }
                }
                chunk_type::TABLE_PACKAGE => {
                    if packages.len() as u64 >= u64::from(package_count) {
                        return Err(chunk_error("more packages than the header declares"));
                    }
                    let mut package = parse_package(data, chunk, mode)?;
                    if package.id == 0 {
                        package.assigned_id = next_dynamic_id;
                        next_dynamic_id = next_dynamic_id.saturating_add(1);
                    }
                    packages.push(package);
                }
                _ if mode.is_strict() => return Err(chunk_error("unknown chunk type")),
                _ => {}
            }
            at = chunk.end();
        }
        if (packages.len() as u64) < u64::from(package_count) {
            return Err(bad("fewer packages than the header declares"));
        }
        if mode.is_strict() && at != end {
            return Err(bad("trailing bytes inside the table"));
        }
        let strings = strings.ok_or(bad("no global string pool"))?;
        Ok(ResourceTable {
            data,
            strings,
            packages,
            mode,
        })
    }

    /// The global pool: string values of every package.
    pub fn strings(&self) -> &StringPool<'a> {
        &self.strings
    }

    pub fn packages(&self) -> &[Package<'a>] {
        &self.packages
    }

    pub fn mode(&self) -> ParseMode {
        self.mode
    }

    /// The whole table.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The entry Android picks for `id`: among the type chunks whose configuration matches
    /// `config`, the best one by `isBetterThan`; with no configuration, the first chunk that has
    /// the entry (`ResTable::getEntry`). `Ok(None)` when no chunk has it.
    pub fn entry(&self, id: u32, config: Option<&Config>) -> Result<Option<Found<'a, '_>>, ArscError> {
        let package_id = (id >> 24) as u8;
        let type_id = (id >> 16) as u8;
        let index = id & 0xffff;
        if type_id == 0 {
            return Ok(None);
        }
        let mut best: Option<(&Package<'a>, &TypeChunk<'a>, u32)> = None;
        let mut spec_flags = 0u32;
        for package in self.packages.iter().filter(|p| p.assigned_id == package_id) {
            for (spec_index, spec) in package.type_specs.iter().enumerate() {
                if spec.id != type_id || index >= spec.entry_count {
                    continue;
                }
                spec_flags |= spec.flags(index).unwrap_or(0);
                for chunk in package.types_by_spec[spec_index]
                    .iter()
                    .map(|&i| &package.types[i])
                {
                    if config.is_some_and(|c| !chunk.config.matches(c)) {
                        continue;
                    }
                    let Some(offset) = chunk.entry_offset(index) else {
                        continue;
                    };
                    if let (Some((_, current, _)), Some(requested)) = (best, config)
                        && !chunk.config.is_better_than(&current.config, requested)
                    {
                        continue;
                    }
                    best = Some((package, chunk, offset));
                    if config.is_none() {
                        break;
                    }
                }
                if config.is_none() && best.is_some() {
                    break;
                }
            }
        }
        let Some((package, chunk, offset)) = best else {
            return Ok(None);
        };
        let entry = chunk.entry_at(offset, id)?;
        Ok(Some(Found {
            package,
            chunk,
            entry,
            spec_flags,
        }))
    }

    /// Follows `value` while it is a reference, at most [`MAX_REFERENCE_DEPTH`] times, as
    /// `ResTable::resolveReference` does: stops at the first non-reference, at a reference to
    /// a missing or malformed entry, or at a bag (style, array), returning the last value
    /// reached. Dynamic references are mapped through the owning package's library table.
    pub fn resolve(&self, value: ResValue, config: &Config) -> ResValue {
        let mut value = self.map_dynamic(value, None).unwrap_or(value);
        for _ in 0..MAX_REFERENCE_DEPTH {
            if value.data_type != data_type::REFERENCE || value.data == 0 {
                break;
            }
            let Ok(Some(found)) = self.entry(value.data, Some(config)) else {
                break;
            };
            let Some(next) = found.entry.value() else {
                break;
            };
            match self.map_dynamic(next, Some(found.package)) {
                Some(next) => value = next,
                None => break,
            }
        }
        value
    }

    /// The text of a `TYPE_STRING` value from the global pool (`ResTable::valueToString`).
    pub fn string_value(&self, value: &ResValue) -> Option<Cow<'a, str>> {
        (value.data_type == data_type::STRING)
            .then(|| self.strings.get(value.data).ok())
            .flatten()
    }

    /// `DynamicRefTable::lookupResourceValue`: rewrites a dynamic reference (and a reference of
    /// a shared library to itself) to the package id used at run time. `from` is the package
    /// whose data holds the value (`None`: the application package, 0x7f). `None` when the
    /// build-time package is not in this table.
    pub fn map_dynamic(&self, value: ResValue, from: Option<&Package<'a>>) -> Option<ResValue> {
        let resolved_type = match value.data_type {
            data_type::REFERENCE | data_type::ATTRIBUTE => {
                if value.data >> 24 != 0 {
                    return Some(value);
                }
                value.data_type
            }
            data_type::DYNAMIC_REFERENCE => data_type::REFERENCE,
            data_type::DYNAMIC_ATTRIBUTE => data_type::ATTRIBUTE,
            _ => return Some(value),
        };
        if value.data == 0 {
            return Some(value);
        }
        let from = from.or_else(|| self.packages.iter().find(|p| p.id == 0x7f))?;
        let build_id = value.data >> 24;
        let runtime_id = match build_id {
            0x01 | 0x7f => build_id,
            0 => u32::from(from.assigned_id),
            _ => {
                let library = from.libraries().find(|lib| lib.build_id == build_id)?;
                let package = self.packages.iter().find(|p| p.name == library.name)?;
                u32::from(package.assigned_id)
            }
        };
        Some(ResValue {
            data_type: resolved_type,
            data: (value.data & 0x00ff_ffff) | (runtime_id << 24),
            ..value
        })
    }

    /// `package:type/name` of a resource id, as aapt names it.
    pub fn resource_name(&self, id: u32) -> Option<String> {
        let found = self.entry(id, None).ok()??;
        let package = found.package;
        let type_name = package.type_name(u32::from((id >> 16) as u8)).ok()?;
        let key = package.key_strings.get(found.entry.key).ok()?;
        Some(format!("{}:{}/{}", package.name, type_name, key))
    }
}

impl<'a> Package<'a> {
    /// Name of type `type_id` (1-based) from the type strings.
    pub fn type_name(&self, type_id: u32) -> Result<Cow<'a, str>, StringPoolError> {
        let index = type_id.wrapping_sub(1).wrapping_sub(self.type_id_offset);
        self.type_strings.get(index)
    }

    /// The library chunk's entries.
    pub fn libraries(&self) -> impl Iterator<Item = Library> + '_ {
        self.libraries.chunks_exact(LIBRARY_ENTRY_LEN).map(|raw| Library {
            build_id: u32_at(raw, 0).unwrap_or(0),
            name: utf16_name(&raw[4..]),
        })
    }

    /// The type spec with this id (the first, when a file repeats it).
    pub fn type_spec(&self, type_id: u8) -> Option<&TypeSpec<'a>> {
        self.type_specs.iter().find(|s| s.id == type_id)
    }
}

/// A NUL-terminated UTF-16 name in a fixed-size field (package and library names).
fn utf16_name(raw: &[u8]) -> String {
    let units = raw
        .chunks_exact(2)
        .map(|u| u16::from_le_bytes([u[0], u[1]]))
        .take_while(|&u| u != 0);
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// `ResTable::parsePackage`.
fn parse_package<'a>(data: &'a [u8], chunk: ChunkHeader, mode: ParseMode) -> Result<Package<'a>, ArscError> {
    let at = chunk.offset;
    let bad = |offset, reason| ArscError::BadChunk { offset, reason };
    chunk
        .validate(PACKAGE_HEADER_MIN, data.len())
        .map_err(|r| bad(at, r))?;
    let header_size = usize::from(chunk.header_size);
    if mode.is_strict() && header_size != PACKAGE_HEADER_LEN && header_size != PACKAGE_HEADER_MIN {
        return Err(bad(at, "package header is neither 284 nor 288 bytes"));
    }
    let size = chunk.size as usize;
    let word = |o: usize| u32_at(data, (at + o) as u64).unwrap_or(0);
    let id = word(8);
    let type_strings_at = word(268) as usize;
    let key_strings_at = word(276) as usize;
    for offset in [type_strings_at, key_strings_at] {
        if offset >= size {
            return Err(bad(at, "type or key strings past the end of the package"));
        }
        if offset & 3 != 0 {
            return Err(bad(at, "type or key strings not on a 4-byte boundary"));
        }
    }
    let id = u8::try_from(id).map_err(|_| bad(at, "package id above 255"))?;
    let name = utf16_name(&data[at + 12..at + 12 + 256]);
    // Android bounds these pools by the end of the table, not of the package.
    let type_strings = StringPool::parse(data, at + type_strings_at, mode)?;
    let key_strings = StringPool::parse(data, at + key_strings_at, mode)?;
    // Android reads `typeIdOffset` only from a header of exactly the current size.
    let type_id_offset = if header_size == PACKAGE_HEADER_LEN {
        word(284)
    } else {
        0
    };

    let mut package = Package {
        offset: at,
        id,
        assigned_id: id,
        name,
        type_strings,
        key_strings,
        type_id_offset,
        type_specs: Vec::new(),
        types: Vec::new(),
        libraries: &[],
        other_chunks: 0,
        types_by_spec: Vec::new(),
    };
    let end = at + size;
    let mut pos = at + header_size;
    while pos + ChunkHeader::LEN <= end {
        let child = ChunkHeader::read(data, pos).ok_or(bad(pos, "truncated chunk header"))?;
        if pos.checked_add(child.size as usize).is_none_or(|e| e > end) {
            break;
        }
        let chunk_error = |reason| ArscError::BadChunk { offset: pos, reason };
        match child.chunk_type {
            chunk_type::TABLE_TYPE_SPEC => {
                child.validate(TYPE_SPEC_HEADER_LEN, end).map_err(chunk_error)?;
                let spec = parse_type_spec(data, child, mode)?;
                if spec.entry_count > 0 {
                    package.type_specs.push(spec);
                    package.types_by_spec.push(Vec::new());
                }
            }
            chunk_type::TABLE_TYPE => {
                child.validate(TYPE_HEADER_MIN, end).map_err(chunk_error)?;
                if let Some(chunk) = parse_type(data, child, &package.type_specs, mode)? {
                    package.types_by_spec[chunk.spec].push(package.types.len());
                    package.types.push(chunk);
                }
                // Framework tables run to tens of MiB: a mapped input need not keep every type
                // chunk resident once checked (lookups read the few entries they need again).
                crate::pager::done_with(&data[pos..child.end()]);
            }
            chunk_type::TABLE_LIBRARY => {
                if package.libraries.is_empty() {
                    child.validate(LIBRARY_HEADER_LEN, end).map_err(chunk_error)?;
                    let count = u32_at(data, (pos + 8) as u64).unwrap_or(0) as usize;
                    let body = child.body();
                    let entries_end = count
                        .checked_mul(LIBRARY_ENTRY_LEN)
                        .and_then(|len| len.checked_add(body))
                        .filter(|&e| e <= child.end())
                        .ok_or(chunk_error("library entries extend past the chunk"))?;
                    package.libraries = &data[body..entries_end];
                } else if mode.is_strict() {
                    return Err(chunk_error("second library chunk"));
                }
            }
            other => {
                child.validate(ChunkHeader::LEN, end).map_err(chunk_error)?;
                let known = matches!(
                    other,
                    chunk_type::STRING_POOL
                        | chunk_type::TABLE_OVERLAYABLE
                        | chunk_type::TABLE_OVERLAYABLE_POLICY
                        | chunk_type::TABLE_STAGED_ALIAS
                );
                if mode.is_strict() && !known {
                    return Err(chunk_error("unknown chunk type in package"));
                }
                if other != chunk_type::STRING_POOL {
                    package.other_chunks += 1;
                }
            }
        }
        pos = child.end();
    }
    Ok(package)
}

fn parse_type_spec<'a>(
    data: &'a [u8],
    chunk: ChunkHeader,
    mode: ParseMode,
) -> Result<TypeSpec<'a>, ArscError> {
    let at = chunk.offset;
    let bad = |reason| ArscError::BadChunk { offset: at, reason };
    let header_size = usize::from(chunk.header_size);
    if mode.is_strict() && header_size != TYPE_SPEC_HEADER_LEN {
        return Err(bad("type spec header is not 16 bytes"));
    }
    let id = data[at + 8];
    let entry_count = u32_at(data, (at + 12) as u64).unwrap_or(0);
    let flags_end = (entry_count as usize)
        .checked_mul(4)
        .and_then(|len| len.checked_add(header_size))
        .filter(|&len| entry_count <= i32::MAX as u32 / 4 && len <= chunk.size as usize)
        .ok_or(bad("type spec flags extend past the chunk"))?;
    if id == 0 {
        return Err(bad("type id 0"));
    }
    Ok(TypeSpec {
        offset: at,
        id,
        entry_count,
        flags: &data[at + header_size..at + flags_end],
    })
}

/// A type chunk, or `None` for an empty one (Android skips those).
fn parse_type<'a>(
    data: &'a [u8],
    chunk: ChunkHeader,
    specs: &[TypeSpec<'a>],
    mode: ParseMode,
) -> Result<Option<TypeChunk<'a>>, ArscError> {
    let at = chunk.offset;
    let bad = |reason| ArscError::BadChunk { offset: at, reason };
    let bytes = &data[at..chunk.end()];
    let header_size = usize::from(chunk.header_size);
    let size = bytes.len();
    let id = bytes[8];
    let flags = bytes[9];
    let entry_count = u32_at(bytes, 12).unwrap_or(0);
    let entries_start = u32_at(bytes, 16).unwrap_or(0);
    let offset_len = if flags & TYPE_FLAG_OFFSET16 != 0 { 2 } else { 4 };
    (entry_count as usize)
        .checked_mul(offset_len)
        .and_then(|len| len.checked_add(header_size))
        .filter(|&len| len <= size)
        .ok_or(bad("entry offsets extend past the chunk"))?;
    if entry_count != 0 && entries_start as usize > size - ENTRY_HEADER_LEN {
        return Err(bad("entries start past the end of the chunk"));
    }
    if id == 0 {
        return Err(bad("type id 0"));
    }
    // Android copies the configuration's declared size from the chunk even past its header.
    let config_bytes = if mode.is_strict() {
        &bytes[20..header_size]
    } else {
        &bytes[20..]
    };
    let config = Config::parse(config_bytes).ok_or(bad("configuration larger than the type header"))?;
    if mode.is_strict() {
        if header_size != 20 + config.size as usize {
            return Err(bad("type header does not end with its configuration"));
        }
        if flags & !(TYPE_FLAG_SPARSE | TYPE_FLAG_OFFSET16) != 0 {
            return Err(bad("unknown type flags"));
        }
        if entry_count != 0 && (entries_start as usize) < header_size + entry_count as usize * offset_len {
            return Err(bad("entries overlap the offsets"));
        }
    }
    if entry_count == 0 {
        return Ok(None);
    }
    // The chunk belongs to the last spec with its id (`TypeList::top`).
    let spec = specs
        .iter()
        .rposition(|s| s.id == id)
        .ok_or(bad("type chunk without a type spec"))?;
    Ok(Some(TypeChunk {
        offset: at,
        id,
        flags,
        entry_count,
        entries_start,
        config,
        spec,
        chunk: bytes,
        header_size,
    }))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::res::string_pool::tests::build_pool;

    /// One configuration's entries for [`build_table`]: (entry index, key index, value).
    pub(crate) struct TypeBuild {
        pub id: u8,
        pub config: Config,
        pub flags: u8,
        pub entries: Vec<(u16, u32, EntryBuild)>,
        pub entry_count: u32,
    }

    pub(crate) enum EntryBuild {
        Simple(ResValue),
        Compact(ResValue),
        Bag(u32, Vec<(u32, ResValue)>),
    }

    fn config_bytes(config: &Config) -> Vec<u8> {
        let mut raw = vec![0u8; CONFIG_LEN];
        raw[0..4].copy_from_slice(&(CONFIG_LEN as u32).to_le_bytes());
        raw[8..10].copy_from_slice(&config.language);
        raw[10..12].copy_from_slice(&config.country);
        raw[12] = config.orientation;
        raw[14..16].copy_from_slice(&config.density.to_le_bytes());
        raw[24..26].copy_from_slice(&config.sdk_version.to_le_bytes());
        raw
    }

    fn chunk(kind: u16, header: &[u8], body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&((8 + header.len()) as u16).to_le_bytes());
        out.extend_from_slice(&((8 + header.len() + body.len()) as u32).to_le_bytes());
        out.extend_from_slice(header);
        out.extend_from_slice(body);
        out
    }

    /// A table with one package (`id`, `name`), the given value strings, type names, key names
    /// and type chunks; every type gets a spec with `entry_count` entries.
    pub(crate) fn build_table(
        id: u8,
        name: &str,
        values: &[&str],
        type_names: &[&str],
        keys: &[&str],
        types: &[TypeBuild],
    ) -> Vec<u8> {
        let mut package_body = Vec::new();
        let type_pool = build_pool(type_names, false);
        let key_pool = build_pool(keys, true);
        let type_strings_at = PACKAGE_HEADER_LEN;
        let key_strings_at = type_strings_at + type_pool.len();
        package_body.extend_from_slice(&type_pool);
        package_body.extend_from_slice(&key_pool);
        let mut specs_done = Vec::new();
        for t in types {
            if !specs_done.contains(&t.id) {
                specs_done.push(t.id);
                let mut header = vec![t.id, 0, 0, 0];
                header.extend_from_slice(&t.entry_count.to_le_bytes());
                let mut flags = Vec::new();
                for _ in 0..t.entry_count {
                    flags.extend_from_slice(&0x4000_0000u32.to_le_bytes());
                }
                package_body.extend_from_slice(&chunk(chunk_type::TABLE_TYPE_SPEC, &header, &flags));
            }
            let mut entries = Vec::new();
            let mut offsets: Vec<(u16, u32)> = Vec::new();
            for (index, key, e) in &t.entries {
                offsets.push((*index, entries.len() as u32));
                match e {
                    EntryBuild::Simple(v) => {
                        entries.extend_from_slice(&8u16.to_le_bytes());
                        entries.extend_from_slice(&ENTRY_FLAG_PUBLIC.to_le_bytes());
                        entries.extend_from_slice(&key.to_le_bytes());
                        entries.extend_from_slice(&[8, 0, 0, v.data_type]);
                        entries.extend_from_slice(&v.data.to_le_bytes());
                    }
                    EntryBuild::Compact(v) => {
                        entries.extend_from_slice(&(*key as u16).to_le_bytes());
                        let flags = ENTRY_FLAG_COMPACT | (u16::from(v.data_type) << 8);
                        entries.extend_from_slice(&flags.to_le_bytes());
                        entries.extend_from_slice(&v.data.to_le_bytes());
                    }
                    EntryBuild::Bag(parent, maps) => {
                        entries.extend_from_slice(&16u16.to_le_bytes());
                        entries.extend_from_slice(&ENTRY_FLAG_COMPLEX.to_le_bytes());
                        entries.extend_from_slice(&key.to_le_bytes());
                        entries.extend_from_slice(&parent.to_le_bytes());
                        entries.extend_from_slice(&(maps.len() as u32).to_le_bytes());
                        for (name, v) in maps {
                            entries.extend_from_slice(&name.to_le_bytes());
                            entries.extend_from_slice(&[8, 0, 0, v.data_type]);
                            entries.extend_from_slice(&v.data.to_le_bytes());
                        }
                    }
                }
            }
            let mut index_table = Vec::new();
            let count = if t.flags & TYPE_FLAG_SPARSE != 0 {
                for (index, offset) in &offsets {
                    index_table.extend_from_slice(&index.to_le_bytes());
                    index_table.extend_from_slice(&((offset / 4) as u16).to_le_bytes());
                }
                offsets.len() as u32
            } else {
                for i in 0..t.entry_count {
                    let offset = offsets
                        .iter()
                        .find(|(index, _)| u32::from(*index) == i)
                        .map(|o| o.1);
                    if t.flags & TYPE_FLAG_OFFSET16 != 0 {
                        let short = offset.map_or(0xffff, |o| (o / 4) as u16);
                        index_table.extend_from_slice(&short.to_le_bytes());
                    } else {
                        index_table.extend_from_slice(&offset.unwrap_or(NO_ENTRY).to_le_bytes());
                    }
                }
                t.entry_count
            };
            while index_table.len() % 4 != 0 {
                index_table.push(0);
            }
            let header_len = 20 + CONFIG_LEN;
            let mut header = vec![t.id, t.flags, 0, 0];
            header.extend_from_slice(&count.to_le_bytes());
            header.extend_from_slice(&((header_len + index_table.len()) as u32).to_le_bytes());
            header.extend_from_slice(&config_bytes(&t.config));
            let mut body = index_table;
            body.extend_from_slice(&entries);
            package_body.extend_from_slice(&chunk(chunk_type::TABLE_TYPE, &header, &body));
        }
        let mut package_header = Vec::new();
        package_header.extend_from_slice(&u32::from(id).to_le_bytes());
        let mut name16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        name16.resize(256, 0);
        package_header.extend_from_slice(&name16);
        package_header.extend_from_slice(&(type_strings_at as u32).to_le_bytes());
        package_header.extend_from_slice(&(type_names.len() as u32).to_le_bytes());
        package_header.extend_from_slice(&(key_strings_at as u32).to_le_bytes());
        package_header.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        package_header.extend_from_slice(&0u32.to_le_bytes());
        let package = chunk(chunk_type::TABLE_PACKAGE, &package_header, &package_body);
        let mut body = build_pool(values, true);
        body.extend_from_slice(&package);
        chunk(chunk_type::TABLE, &1u32.to_le_bytes(), &body)
    }

    fn string(index: u32) -> ResValue {
        ResValue::new(data_type::STRING, index)
    }

    fn sample() -> Vec<u8> {
        let fr = Config {
            size: 64,
            language: *b"fr",
            ..Config::default()
        };
        let v21 = Config {
            size: 64,
            sdk_version: 21,
            ..Config::default()
        };
        build_table(
            0x7f,
            "org.example",
            &["Hello", "Bonjour", "v21 hello", "a", "b"],
            &["string", "array", "integer"],
            &["app_name", "alias", "planets", "count", "loop"],
            &[
                TypeBuild {
                    id: 1,
                    config: Config::default(),
                    flags: 0,
                    entry_count: 3,
                    entries: vec![
                        (0, 0, EntryBuild::Simple(string(0))),
                        (
                            1,
                            1,
                            EntryBuild::Simple(ResValue::new(data_type::REFERENCE, 0x7f01_0000)),
                        ),
                        (
                            2,
                            4,
                            EntryBuild::Simple(ResValue::new(data_type::REFERENCE, 0x7f01_0002)),
                        ),
                    ],
                },
                TypeBuild {
                    id: 1,
                    config: v21,
                    flags: TYPE_FLAG_OFFSET16,
                    entry_count: 3,
                    entries: vec![(0, 0, EntryBuild::Compact(string(2)))],
                },
                TypeBuild {
                    id: 1,
                    config: fr,
                    flags: TYPE_FLAG_SPARSE,
                    entry_count: 3,
                    entries: vec![(0, 0, EntryBuild::Simple(string(1)))],
                },
                TypeBuild {
                    id: 2,
                    config: Config::default(),
                    flags: 0,
                    entry_count: 1,
                    entries: vec![(
                        0,
                        2,
                        EntryBuild::Bag(0, vec![(0x0200_0000, string(3)), (0x0200_0001, string(4))]),
                    )],
                },
                TypeBuild {
                    id: 3,
                    config: Config::default(),
                    flags: 0,
                    entry_count: 1,
                    entries: vec![(0, 3, EntryBuild::Simple(ResValue::new(data_type::INT_DEC, 42)))],
                },
            ],
        )
    }

    #[test]
    fn reads_packages_types_and_entries() {
        let data = sample();
        for mode in [ParseMode::Strict, ParseMode::Permissive] {
            let table = ResourceTable::parse(&data, mode).unwrap();
            assert_eq!(table.strings().len(), 5);
            let package = &table.packages()[0];
            assert_eq!((package.id, package.name.as_str()), (0x7f, "org.example"));
            assert_eq!(package.type_specs.len(), 3);
            assert_eq!(package.types.len(), 5);
            assert_eq!(package.type_name(2).unwrap(), "array");
            assert_eq!(
                table.resource_name(0x7f01_0000).unwrap(),
                "org.example:string/app_name"
            );
            assert_eq!(
                table.resource_name(0x7f02_0000).unwrap(),
                "org.example:array/planets"
            );
            assert_eq!(table.resource_name(0x7f01_0005), None);
            let bag = table.entry(0x7f02_0000, None).unwrap().unwrap();
            let EntryKind::Bag(bag) = bag.entry.kind else {
                panic!("not a bag")
            };
            let items: Vec<String> = bag
                .maps()
                .map(|m| table.string_value(&m.unwrap().1).unwrap().into_owned())
                .collect();
            assert_eq!(items, ["a", "b"]);
        }
    }

    #[test]
    fn chooses_configurations_like_android() {
        let data = sample();
        let table = ResourceTable::parse(&data, ParseMode::Strict).unwrap();
        let reference = ResValue::new(data_type::REFERENCE, 0x7f01_0000);
        let resolve = |config: &Config| {
            let value = table.resolve(reference, config);
            table.string_value(&value).unwrap().into_owned()
        };
        // The badging request is SDK 10000: the v21 (compact, offset16) entry wins over default.
        assert_eq!(resolve(&Config::badging_default_locale()), "v21 hello");
        let french = Config {
            language: *b"fr",
            ..Config::default()
        };
        // French beats v21: locale outranks SDK level. (Android's choice depends on chunk order;
        // this is aapt's order, sorted by `ResTable_config::compare`.)
        assert_eq!(
            resolve(&Config {
                sdk_version: 30,
                ..french
            }),
            "Bonjour"
        );
        assert_eq!(resolve(&Config::default()), "Hello");
        // A chain: alias -> app_name.
        let alias = ResValue::new(data_type::REFERENCE, 0x7f01_0001);
        assert_eq!(table.resolve(alias, &Config::default()), string(0));
        // A self-referencing entry stops after the depth limit, still a reference.
        let looped = ResValue::new(data_type::REFERENCE, 0x7f01_0002);
        assert_eq!(table.resolve(looped, &Config::default()), looped);
        // A bag is not resolved.
        let array = ResValue::new(data_type::REFERENCE, 0x7f02_0000);
        assert_eq!(table.resolve(array, &Config::default()), array);
        // Missing package, type, entry.
        for id in [0x0101_0000, 0x7f09_0000, 0x7f03_0007] {
            let r = ResValue::new(data_type::REFERENCE, id);
            assert_eq!(table.resolve(r, &Config::default()), r);
        }
        let integer = ResValue::new(data_type::REFERENCE, 0x7f03_0000);
        assert_eq!(
            table.resolve(integer, &Config::default()),
            ResValue::new(data_type::INT_DEC, 42)
        );
    }

    #[test]
    fn dynamic_references_map_through_the_package() {
        let data = sample();
        let table = ResourceTable::parse(&data, ParseMode::Strict).unwrap();
        // A shared library's reference to itself (package 0) is the app package here.
        let own = ResValue::new(data_type::DYNAMIC_REFERENCE, 0x0001_0000);
        assert_eq!(
            table.map_dynamic(own, None),
            Some(ResValue::new(data_type::REFERENCE, 0x7f01_0000))
        );
        // Build-time package 0x05 is not in the library table.
        let foreign = ResValue::new(data_type::DYNAMIC_REFERENCE, 0x0501_0000);
        assert_eq!(table.map_dynamic(foreign, None), None);
        assert_eq!(
            table.resolve(own, &Config::default()),
            string(0),
            "dynamic reference resolved like a plain one"
        );
    }

    #[test]
    fn larger_table_header_is_permissive_only() {
        let data = sample();
        let mut widened = data[..12].to_vec();
        widened.extend_from_slice(&[0; 4]);
        widened.extend_from_slice(&data[12..]);
        widened[2..4].copy_from_slice(&16u16.to_le_bytes());
        let size = widened.len() as u32;
        widened[4..8].copy_from_slice(&size.to_le_bytes());
        assert!(ResourceTable::parse(&widened, ParseMode::Strict).is_err());
        let table = ResourceTable::parse(&widened, ParseMode::Permissive).unwrap();
        assert_eq!(
            table.resource_name(0x7f01_0000).unwrap(),
            "org.example:string/app_name"
        );
    }

    #[test]
    fn truncation_and_bit_flips_never_panic() {
        let data = sample();
        for cut in 0..data.len() {
            for mode in [ParseMode::Strict, ParseMode::Permissive] {
                let _ = ResourceTable::parse(&data[..cut], mode);
                let mut flipped = data.clone();
                flipped[cut] ^= 0x41;
                if let Ok(table) = ResourceTable::parse(&flipped, mode) {
                    for id in [0x7f01_0000, 0x7f01_0001, 0x7f01_0002, 0x7f02_0000, 0x7f03_0000] {
                        let r = ResValue::new(data_type::REFERENCE, id);
                        let _ = table.string_value(&table.resolve(r, &Config::badging()));
                        let _ = table.resource_name(id);
                        if let Ok(Some(found)) = table.entry(id, None)
                            && let EntryKind::Bag(bag) = found.entry.kind
                        {
                            let _ = bag.maps().count();
                        }
                    }
                }
            }
        }
    }
}
