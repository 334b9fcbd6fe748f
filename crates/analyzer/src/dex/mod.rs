//! DEX files, read in place: header, ID tables, class definitions and data, code items with
//! every Dalvik instruction format decoded, the hidden-API section, and the checksum and
//! signature checks. Versions 035 to 041; 041 is the container format of Android 15, several
//! DEX files back to back in one file.
//!
//! Offsets follow ART: ID tables are relative to the start of each DEX header, data items
//! (strings, type lists, class data, code) to the start of the container, which for versions
//! before 041 is the same file. No real 041 file was at hand when this was written (no d8 on
//! the build machines); the container walk is tested on synthetic input only.
//!
//! Every accessor checks its index and offsets and returns [`DexError`] instead of panicking,
//! and nothing is decoded before it is asked for: opening a 10 MB DEX reads 112 bytes.

mod class_data;
mod code;
mod hiddenapi;
mod mutf8;
pub mod scan;

use crate::bytes::{slice, u16_at, u32_at, uleb128};

pub use class_data::{ClassData, EncodedField, EncodedMethod};
pub use code::{CodeItem, Format, Instruction, Instructions, Op, Reference, Registers};
pub use hiddenapi::{HiddenApiFlags, HiddenApiList};
pub use mutf8::DexStr;

/// Size of the DEX header before version 041.
pub const HEADER_LEN: u64 = 0x70;
/// Size of the version 041 header, which adds `container_size` and `header_offset`.
pub const HEADER_LEN_V41: u64 = 0x78;
const ENDIAN_CONSTANT: u32 = 0x1234_5678;
/// Versions Android's runtime accepts (041 is the multi-DEX container of Android 15).
pub const KNOWN_VERSIONS: [u16; 6] = [35, 37, 38, 39, 40, 41];
/// Marks an absent index (superclass of `java.lang.Object`, no source file, ...).
pub const NO_INDEX: u32 = 0xffff_ffff;

/// Why bytes are not a DEX file this reader accepts, or a part of it cannot be read.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum DexError {
    #[error("not a DEX file: bad magic")]
    BadMagic,
    #[error("unknown DEX version {0:?}")]
    UnknownVersion(String),
    #[error("truncated DEX: {len} bytes, shorter than its {needed}-byte {what}")]
    Truncated {
        what: &'static str,
        len: u64,
        needed: u64,
    },
    #[error("DEX header: unsupported endian tag {0:#010x}")]
    BadEndianTag(u32),
    #[error("DEX header: header_size {0:#x} does not fit the version")]
    BadHeaderSize(u32),
    #[error("DEX {section} (offset {offset:#x}, {count} items) lies outside the file")]
    SectionOutOfBounds {
        section: &'static str,
        offset: u32,
        count: u32,
    },
    #[error("DEX {kind} index {index} out of range (table has {size})")]
    IndexOutOfRange {
        kind: &'static str,
        index: u32,
        size: u32,
    },
    #[error("DEX {what} at offset {offset:#x} is malformed")]
    Malformed { what: &'static str, offset: u64 },
    #[error("DEX code at offset {offset:#x}: {reason}")]
    BadInstruction { offset: u64, reason: &'static str },
}

/// The fixed header of a DEX file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DexHeader {
    /// Numeric version from the magic, e.g. 35 for `dex\n035\0`.
    pub version: u16,
    pub checksum: u32,
    pub signature: [u8; 20],
    pub file_size: u32,
    pub header_size: u32,
    pub link_size: u32,
    pub link_off: u32,
    pub map_off: u32,
    pub string_ids: u32,
    pub string_ids_off: u32,
    pub type_ids: u32,
    pub type_ids_off: u32,
    pub proto_ids: u32,
    pub proto_ids_off: u32,
    pub field_ids: u32,
    pub field_ids_off: u32,
    pub method_ids: u32,
    pub method_ids_off: u32,
    pub class_defs: u32,
    pub class_defs_off: u32,
    pub data_size: u32,
    pub data_off: u32,
    /// Version 041: size of the whole container.
    pub container_size: Option<u32>,
    /// Version 041: offset of this header in the container.
    pub header_offset: Option<u32>,
}

impl DexHeader {
    pub fn parse(data: &[u8]) -> Result<Self, DexError> {
        let magic = slice(data, 0, 8).ok_or(DexError::BadMagic)?;
        if &magic[..4] != b"dex\n" || magic[7] != 0 {
            return Err(DexError::BadMagic);
        }
        let digits = &magic[4..7];
        let version = std::str::from_utf8(digits)
            .ok()
            .and_then(|text| text.parse::<u16>().ok())
            .filter(|v| KNOWN_VERSIONS.contains(v))
            .ok_or_else(|| DexError::UnknownVersion(String::from_utf8_lossy(digits).into_owned()))?;
        let needed = if version >= 41 { HEADER_LEN_V41 } else { HEADER_LEN };
        if (data.len() as u64) < needed {
            return Err(DexError::Truncated {
                what: "header",
                len: data.len() as u64,
                needed,
            });
        }
        // Every offset read below is inside the `needed` bytes checked above.
        let field = |offset: u64| u32_at(data, offset).unwrap_or_default();
        let endian = field(0x28);
        if endian != ENDIAN_CONSTANT {
            return Err(DexError::BadEndianTag(endian));
        }
        let header_size = field(0x24);
        if u64::from(header_size) != needed {
            return Err(DexError::BadHeaderSize(header_size));
        }
        let mut signature = [0u8; 20];
        signature.copy_from_slice(&data[12..32]);
        Ok(DexHeader {
            version,
            checksum: field(0x08),
            signature,
            file_size: field(0x20),
            header_size,
            link_size: field(0x2c),
            link_off: field(0x30),
            map_off: field(0x34),
            string_ids: field(0x38),
            string_ids_off: field(0x3c),
            type_ids: field(0x40),
            type_ids_off: field(0x44),
            proto_ids: field(0x48),
            proto_ids_off: field(0x4c),
            field_ids: field(0x50),
            field_ids_off: field(0x54),
            method_ids: field(0x58),
            method_ids_off: field(0x5c),
            class_defs: field(0x60),
            class_defs_off: field(0x64),
            data_size: field(0x68),
            data_off: field(0x6c),
            container_size: (version >= 41).then(|| field(0x70)),
            header_offset: (version >= 41).then(|| field(0x74)),
        })
    }
}

/// A prototype: shorty, return type and parameter types.
#[derive(Debug, Clone, Copy)]
pub struct ProtoId<'a> {
    pub shorty: u32,
    pub return_type: u32,
    pub parameters: TypeList<'a>,
}

/// A `type_list`: type indices.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypeList<'a> {
    raw: &'a [u8],
}

impl TypeList<'_> {
    pub fn len(&self) -> usize {
        self.raw.len() / 2
    }

    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.raw
            .chunks_exact(2)
            .map(|c| u32::from(u16::from_le_bytes([c[0], c[1]])))
    }
}

/// A field reference: defining class, type and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldId {
    pub class: u32,
    pub type_: u32,
    pub name: u32,
}

/// A method reference: defining class, prototype and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodId {
    pub class: u32,
    pub proto: u32,
    pub name: u32,
}

/// A `class_def_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassDef {
    pub class: u32,
    pub access_flags: u32,
    /// [`NO_INDEX`] for `java.lang.Object`.
    pub superclass: u32,
    pub interfaces_off: u32,
    pub source_file: u32,
    pub annotations_off: u32,
    pub class_data_off: u32,
    pub static_values_off: u32,
}

/// One entry of the map list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapItem {
    pub type_: u16,
    pub size: u32,
    pub offset: u32,
}

/// Map item type of the hidden-API class data section.
pub const TYPE_HIDDENAPI_CLASS_DATA_ITEM: u16 = 0xf000;

/// One DEX file read in place.
#[derive(Debug, Clone)]
pub struct DexFile<'a> {
    /// The container: the whole file (or zip entry).
    container: &'a [u8],
    /// Offset of this DEX's header in the container.
    base: u64,
    pub header: DexHeader,
}

impl<'a> DexFile<'a> {
    /// Reads the (first) DEX file in `data` and checks that its ID tables lie inside it.
    pub fn parse(data: &'a [u8]) -> Result<Self, DexError> {
        Self::parse_at(data, 0)
    }

    /// Every DEX file of a container: one for versions before 041, all of them for 041.
    pub fn parse_all(data: &'a [u8]) -> Result<Vec<Self>, DexError> {
        let first = Self::parse(data)?;
        let Some(container_size) = first.header.container_size else {
            return Ok(vec![first]);
        };
        let end = u64::from(container_size).min(data.len() as u64);
        let mut files = Vec::new();
        let mut at = 0u64;
        while at < end {
            let file = Self::parse_at(data, at)?;
            let size = u64::from(file.header.file_size);
            if file.header.header_offset != Some(at as u32) || size == 0 {
                return Err(DexError::Malformed {
                    what: "container header chain",
                    offset: at,
                });
            }
            at += size;
            files.push(file);
        }
        if files.is_empty() {
            // A container of no file (`container_size` 0): nothing the runtime can load.
            return Err(DexError::Malformed {
                what: "container_size (it holds no DEX file)",
                offset: 0,
            });
        }
        Ok(files)
    }

    fn parse_at(container: &'a [u8], base: u64) -> Result<Self, DexError> {
        let rest = slice(container, base, (container.len() as u64).saturating_sub(base)).unwrap_or_default();
        let header = DexHeader::parse(rest)?;
        let file_len = u64::from(header.file_size);
        if file_len > rest.len() as u64 || file_len < u64::from(header.header_size) {
            return Err(DexError::Truncated {
                what: "declared file_size",
                len: rest.len() as u64,
                needed: file_len,
            });
        }
        let tables: [(&'static str, u32, u32, u64); 6] = [
            ("string_ids", header.string_ids_off, header.string_ids, 4),
            ("type_ids", header.type_ids_off, header.type_ids, 4),
            ("proto_ids", header.proto_ids_off, header.proto_ids, 12),
            ("field_ids", header.field_ids_off, header.field_ids, 8),
            ("method_ids", header.method_ids_off, header.method_ids, 8),
            ("class_defs", header.class_defs_off, header.class_defs, 32),
        ];
        for (section, offset, count, item) in tables {
            let end = u64::from(offset) + u64::from(count) * item;
            if count > 0 && end > file_len {
                return Err(DexError::SectionOutOfBounds {
                    section,
                    offset,
                    count,
                });
            }
        }
        Ok(DexFile {
            container,
            base,
            header,
        })
    }

    /// The bytes of this DEX file (`file_size` bytes from its header).
    pub fn bytes(&self) -> &'a [u8] {
        slice(self.container, self.base, u64::from(self.header.file_size)).unwrap_or_default()
    }

    /// Reads `len` bytes at `offset` of an ID table.
    fn id_item(
        &self,
        kind: &'static str,
        table_off: u32,
        size: u32,
        index: u32,
        item: u64,
    ) -> Result<&'a [u8], DexError> {
        if index >= size {
            return Err(DexError::IndexOutOfRange { kind, index, size });
        }
        let offset = self.base + u64::from(table_off) + u64::from(index) * item;
        slice(self.container, offset, item).ok_or(DexError::Malformed { what: kind, offset })
    }

    /// The string with this index.
    pub fn string(&self, index: u32) -> Result<DexStr<'a>, DexError> {
        let h = &self.header;
        let item = self.id_item("string", h.string_ids_off, h.string_ids, index, 4)?;
        let data_off = u64::from(u32::from_le_bytes([item[0], item[1], item[2], item[3]]));
        DexStr::read(self.container, data_off)
    }

    /// The descriptor of the type with this index, e.g. `Ljava/lang/String;`.
    pub fn type_descriptor(&self, index: u32) -> Result<DexStr<'a>, DexError> {
        let h = &self.header;
        let item = self.id_item("type", h.type_ids_off, h.type_ids, index, 4)?;
        self.string(u32::from_le_bytes([item[0], item[1], item[2], item[3]]))
    }

    pub fn proto(&self, index: u32) -> Result<ProtoId<'a>, DexError> {
        let h = &self.header;
        let item = self.id_item("proto", h.proto_ids_off, h.proto_ids, index, 12)?;
        let word = |at: usize| u32::from_le_bytes([item[at], item[at + 1], item[at + 2], item[at + 3]]);
        Ok(ProtoId {
            shorty: word(0),
            return_type: word(4),
            parameters: self.type_list(word(8))?,
        })
    }

    /// The `type_list` at a data offset; empty when the offset is 0.
    pub fn type_list(&self, offset: u32) -> Result<TypeList<'a>, DexError> {
        if offset == 0 {
            return Ok(TypeList::default());
        }
        let offset = u64::from(offset);
        let malformed = DexError::Malformed {
            what: "type_list",
            offset,
        };
        let count = u32_at(self.container, offset).ok_or(malformed.clone())?;
        let raw = slice(self.container, offset + 4, u64::from(count) * 2).ok_or(malformed)?;
        Ok(TypeList { raw })
    }

    pub fn field(&self, index: u32) -> Result<FieldId, DexError> {
        let h = &self.header;
        let item = self.id_item("field", h.field_ids_off, h.field_ids, index, 8)?;
        Ok(FieldId {
            class: u32::from(u16::from_le_bytes([item[0], item[1]])),
            type_: u32::from(u16::from_le_bytes([item[2], item[3]])),
            name: u32::from_le_bytes([item[4], item[5], item[6], item[7]]),
        })
    }

    pub fn method(&self, index: u32) -> Result<MethodId, DexError> {
        let h = &self.header;
        let item = self.id_item("method", h.method_ids_off, h.method_ids, index, 8)?;
        Ok(MethodId {
            class: u32::from(u16::from_le_bytes([item[0], item[1]])),
            proto: u32::from(u16::from_le_bytes([item[2], item[3]])),
            name: u32::from_le_bytes([item[4], item[5], item[6], item[7]]),
        })
    }

    pub fn class_def(&self, index: u32) -> Result<ClassDef, DexError> {
        let h = &self.header;
        let item = self.id_item("class_def", h.class_defs_off, h.class_defs, index, 32)?;
        let word = |at: usize| u32::from_le_bytes([item[at], item[at + 1], item[at + 2], item[at + 3]]);
        Ok(ClassDef {
            class: word(0),
            access_flags: word(4),
            superclass: word(8),
            interfaces_off: word(12),
            source_file: word(16),
            annotations_off: word(20),
            class_data_off: word(24),
            static_values_off: word(28),
        })
    }

    /// All class definitions in file order.
    pub fn class_defs(&self) -> impl Iterator<Item = Result<ClassDef, DexError>> + '_ {
        (0..self.header.class_defs).map(|i| self.class_def(i))
    }

    /// The decoded `class_data_item` of a class, `None` for a class without members.
    pub fn class_data(&self, class: &ClassDef) -> Result<Option<ClassData<'a>>, DexError> {
        if class.class_data_off == 0 {
            return Ok(None);
        }
        ClassData::read(self.container, u64::from(class.class_data_off)).map(Some)
    }

    /// The `code_item` at a data offset.
    pub fn code(&self, code_off: u32) -> Result<CodeItem<'a>, DexError> {
        CodeItem::read(self.container, u64::from(code_off))
    }

    /// The map list, which names every section of the file.
    pub fn map(&self) -> Result<Vec<MapItem>, DexError> {
        let offset = u64::from(self.header.map_off);
        let malformed = DexError::Malformed {
            what: "map_list",
            offset,
        };
        let count = u32_at(self.container, offset).ok_or(malformed.clone())?;
        let items = slice(self.container, offset + 4, u64::from(count) * 12).ok_or(malformed)?;
        Ok(items
            .chunks_exact(12)
            .map(|c| MapItem {
                type_: u16::from_le_bytes([c[0], c[1]]),
                size: u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
                offset: u32::from_le_bytes([c[8], c[9], c[10], c[11]]),
            })
            .collect())
    }

    /// The hidden-API restriction flags embedded by the platform build (boot class path DEX
    /// files of Android 10+), if the file has them.
    pub fn hidden_api(&self) -> Result<Option<HiddenApiFlags<'a>>, DexError> {
        let Some(item) = self
            .map()?
            .into_iter()
            .find(|i| i.type_ == TYPE_HIDDENAPI_CLASS_DATA_ITEM)
        else {
            return Ok(None);
        };
        HiddenApiFlags::read(self.container, u64::from(item.offset), self.header.class_defs).map(Some)
    }

    /// `Lcom/example/Foo;->bar(ILjava/lang/String;)V`, the smali spelling of a method.
    pub fn method_signature(&self, index: u32) -> Result<String, DexError> {
        let method = self.method(index)?;
        let proto = self.proto(method.proto)?;
        let mut text = String::new();
        text.push_str(&self.type_descriptor(method.class)?.to_str());
        text.push_str("->");
        text.push_str(&self.string(method.name)?.to_str());
        text.push('(');
        for parameter in proto.parameters.iter() {
            text.push_str(&self.type_descriptor(parameter)?.to_str());
        }
        text.push(')');
        text.push_str(&self.type_descriptor(proto.return_type)?.to_str());
        Ok(text)
    }

    /// `Lcom/example/Foo;->name:Ljava/lang/String;`, the smali spelling of a field.
    pub fn field_signature(&self, index: u32) -> Result<String, DexError> {
        let field = self.field(index)?;
        Ok(format!(
            "{}->{}:{}",
            self.type_descriptor(field.class)?.to_str(),
            self.string(field.name)?.to_str(),
            self.type_descriptor(field.type_)?.to_str()
        ))
    }

    /// Whether the Adler-32 checksum in the header matches the bytes after it.
    pub fn checksum_matches(&self) -> bool {
        let bytes = self.bytes();
        bytes.len() >= 12 && adler32(&bytes[12..]) == self.header.checksum
    }

    /// Whether the SHA-1 signature in the header matches the bytes after it.
    pub fn signature_matches(&self) -> bool {
        use sha1::Digest;
        let bytes = self.bytes();
        bytes.len() >= 32 && sha1::Sha1::digest(&bytes[32..]).as_slice() == self.header.signature
    }
}

/// Adler-32 as zlib defines it.
pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    // 5552 is the largest run for which the sums cannot overflow a u32 before reduction.
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// The next ULEB128 value at `*offset`, or a malformed-data error naming `what`.
pub(crate) fn read_uleb(data: &[u8], offset: &mut u64, what: &'static str) -> Result<u32, DexError> {
    let start = *offset;
    uleb128(data, offset).ok_or(DexError::Malformed { what, offset: start })
}

/// Reads a little-endian u16 or reports `what` as malformed.
pub(crate) fn read_u16(data: &[u8], offset: u64, what: &'static str) -> Result<u16, DexError> {
    u16_at(data, offset).ok_or(DexError::Malformed { what, offset })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(version: &[u8; 3]) -> Vec<u8> {
        let mut data = vec![0u8; HEADER_LEN as usize];
        data[..4].copy_from_slice(b"dex\n");
        data[4..7].copy_from_slice(version);
        data[0x20..0x24].copy_from_slice(&0x70u32.to_le_bytes());
        data[0x24..0x28].copy_from_slice(&0x70u32.to_le_bytes());
        data[0x28..0x2c].copy_from_slice(&ENDIAN_CONSTANT.to_le_bytes());
        data
    }

    #[test]
    fn reads_version_and_counts() {
        let mut data = header(b"039");
        data[0x58..0x5c].copy_from_slice(&70_000u32.to_le_bytes());
        let parsed = DexHeader::parse(&data).unwrap();
        assert_eq!(parsed.version, 39);
        assert_eq!(parsed.method_ids, 70_000);
        // The method table cannot fit in a 112-byte file.
        assert!(matches!(
            DexFile::parse(&data).unwrap_err(),
            DexError::SectionOutOfBounds {
                section: "method_ids",
                ..
            }
        ));
    }

    #[test]
    fn rejects_bad_inputs() {
        assert_eq!(DexHeader::parse(b"PK\x03\x04").unwrap_err(), DexError::BadMagic);
        assert_eq!(
            DexHeader::parse(&header(b"036")).unwrap_err(),
            DexError::UnknownVersion("036".into())
        );
        let mut swapped = header(b"035");
        swapped[0x28..0x2c].copy_from_slice(&0x7856_3412u32.to_le_bytes());
        assert_eq!(
            DexHeader::parse(&swapped).unwrap_err(),
            DexError::BadEndianTag(0x7856_3412)
        );
        assert!(matches!(
            DexHeader::parse(&header(b"035")[..50]).unwrap_err(),
            DexError::Truncated { len: 50, .. }
        ));
        // A 041 header is 0x78 bytes; 0x70 is wrong for it.
        let mut v41 = header(b"041");
        v41.extend_from_slice(&[0; 8]);
        assert_eq!(DexHeader::parse(&v41).unwrap_err(), DexError::BadHeaderSize(0x70));
    }

    #[test]
    fn index_errors_name_the_table() {
        let data = header(b"035");
        let dex = DexFile::parse(&data).unwrap();
        assert_eq!(
            dex.string(0).unwrap_err(),
            DexError::IndexOutOfRange {
                kind: "string",
                index: 0,
                size: 0
            }
        );
    }

    #[test]
    fn container_of_two_headers_is_walked() {
        let one = |offset: u32| {
            let mut data = header(b"041");
            data.extend_from_slice(&[0; 8]);
            data[0x20..0x24].copy_from_slice(&0x78u32.to_le_bytes());
            data[0x24..0x28].copy_from_slice(&0x78u32.to_le_bytes());
            data[0x70..0x74].copy_from_slice(&(2 * 0x78u32).to_le_bytes());
            data[0x74..0x78].copy_from_slice(&offset.to_le_bytes());
            data
        };
        let mut container = one(0);
        container.extend(one(0x78));
        let files = DexFile::parse_all(&container).unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].header.header_offset, Some(0x78));
        // A header that lies about its own position breaks the chain.
        container[0x78 + 0x74] = 0x10;
        assert!(DexFile::parse_all(&container).is_err());
        // A container that says it holds nothing (container_size 0) is no DEX file at all.
        let mut empty = one(0);
        empty[0x70..0x74].copy_from_slice(&0u32.to_le_bytes());
        assert!(DexFile::parse_all(&empty).is_err());
    }

    #[test]
    fn adler32_matches_zlib() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        let long = vec![0xffu8; 100_000];
        // Reference value from zlib.adler32 over 100,000 0xff bytes.
        assert_eq!(adler32(&long), 0x149a_302c);
    }
}
