//! An owned, editable model of one DEX file, read through the analyzer's zero-copy reader.
//!
//! Every pool (strings, types, prototypes, fields, methods, method handles, call sites) is an
//! interner: an item is stored once and known by its model index. Indices of the model are not
//! the file's: the writer sorts each pool as the format requires and renumbers every reference,
//! so edits only add items (`intern`) and point references at them. Everything that holds an
//! index (instructions, debug info, catch handlers, annotations, encoded values, class data) is
//! decoded so it can be renumbered; everything else (instruction units, access flags, line
//! programs) is kept as read.

use std::collections::HashMap;
use std::hash::Hash;

use analyzer::dex::{ClassDef, CodeItem, DexError, DexFile, Format, NO_INDEX, Reference};

/// Items stored once each, in order of first appearance.
#[derive(Debug, Clone)]
pub struct Interner<T> {
    items: Vec<T>,
    index: HashMap<T, u32>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            items: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<T: Clone + Eq + Hash> Interner<T> {
    /// The index of `item`, added if new.
    pub fn intern(&mut self, item: T) -> u32 {
        if let Some(&index) = self.index.get(&item) {
            return index;
        }
        let index = self.items.len() as u32;
        self.items.push(item.clone());
        self.index.insert(item, index);
        index
    }

    /// The index of `item`, if present.
    pub fn find(&self, item: &T) -> Option<u32> {
        self.index.get(item).copied()
    }

    pub fn get(&self, index: u32) -> &T {
        &self.items[index as usize]
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn items(&self) -> &[T] {
        &self.items
    }
}

/// A string: Modified UTF-8 bytes without the terminating NUL, and its UTF-16 length.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DexString {
    pub mutf8: Box<[u8]>,
    pub utf16_len: u32,
}

impl DexString {
    /// A string from Rust text (Modified UTF-8: NUL as `C0 80`, supplementary characters as
    /// two 3-byte surrogates).
    pub fn new(text: &str) -> DexString {
        let mut mutf8 = Vec::with_capacity(text.len());
        let mut utf16_len = 0u32;
        for unit in text.encode_utf16() {
            utf16_len += 1;
            match unit {
                0x0001..=0x007f => mutf8.push(unit as u8),
                0x0000 | 0x0080..=0x07ff => {
                    mutf8.push(0xc0 | (unit >> 6) as u8);
                    mutf8.push(0x80 | (unit & 0x3f) as u8);
                }
                _ => {
                    mutf8.push(0xe0 | (unit >> 12) as u8);
                    mutf8.push(0x80 | ((unit >> 6) & 0x3f) as u8);
                    mutf8.push(0x80 | (unit & 0x3f) as u8);
                }
            }
        }
        DexString {
            mutf8: mutf8.into_boxed_slice(),
            utf16_len,
        }
    }

    /// The UTF-16 code units, which is what the format sorts strings by.
    pub fn utf16_units(&self) -> impl Iterator<Item = u16> + '_ {
        let bytes = &self.mutf8;
        let mut at = 0;
        std::iter::from_fn(move || {
            let first = *bytes.get(at)?;
            let (unit, len) = if first < 0x80 {
                (u16::from(first), 1)
            } else if first & 0xe0 == 0xc0 {
                let second = u16::from(*bytes.get(at + 1).unwrap_or(&0x80));
                ((u16::from(first & 0x1f) << 6) | (second & 0x3f), 2)
            } else {
                let second = u16::from(*bytes.get(at + 1).unwrap_or(&0x80));
                let third = u16::from(*bytes.get(at + 2).unwrap_or(&0x80));
                (
                    (u16::from(first & 0x0f) << 12) | ((second & 0x3f) << 6) | (third & 0x3f),
                    3,
                )
            };
            at += len;
            Some(unit)
        })
    }

    pub fn to_text(&self) -> String {
        let units: Vec<u16> = self.utf16_units().collect();
        String::from_utf16_lossy(&units)
    }
}

/// A prototype; `shorty` is a string index, the others type indices.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Proto {
    pub shorty: u32,
    pub return_type: u32,
    pub parameters: Box<[u32]>,
}

/// A field reference: class and type are type indices, name a string index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldRef {
    pub class: u32,
    pub type_: u32,
    pub name: u32,
}

/// A method reference: class a type index, proto a prototype index, name a string index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MethodRef {
    pub class: u32,
    pub proto: u32,
    pub name: u32,
}

/// A `method_handle_item`: kinds 0..=3 name a field, 4..=8 a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MethodHandle {
    pub kind: u16,
    pub member: u32,
}

impl MethodHandle {
    pub fn is_field(&self) -> bool {
        self.kind <= 3
    }
}

/// An `encoded_value`; indices are model indices of their pool.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EncodedValue {
    Byte(i8),
    Short(i16),
    Char(u16),
    Int(i32),
    Long(i64),
    /// IEEE bits.
    Float(u32),
    Double(u64),
    MethodType(u32),
    MethodHandle(u32),
    String(u32),
    Type(u32),
    Field(u32),
    Method(u32),
    Enum(u32),
    Array(Vec<EncodedValue>),
    Annotation(EncodedAnnotation),
    Null,
    Boolean(bool),
}

/// An `encoded_annotation`: a type and name/value elements.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EncodedAnnotation {
    pub type_: u32,
    pub elements: Vec<(u32, EncodedValue)>,
}

/// An `annotation_item`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Annotation {
    pub visibility: u8,
    pub annotation: EncodedAnnotation,
}

pub type AnnotationSet = Vec<Annotation>;

/// An `annotations_directory_item`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnotationsDirectory {
    pub class: Option<AnnotationSet>,
    pub fields: Vec<(u32, AnnotationSet)>,
    pub methods: Vec<(u32, AnnotationSet)>,
    /// Per method, one optional set per parameter.
    pub parameters: Vec<(u32, Vec<Option<AnnotationSet>>)>,
}

/// One operation of a `debug_info_item`'s state machine; `Option` indices are `uleb128p1`
/// values that may be absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DebugOp {
    AdvancePc(u32),
    AdvanceLine(i32),
    StartLocal {
        register: u32,
        name: Option<u32>,
        type_: Option<u32>,
    },
    StartLocalExtended {
        register: u32,
        name: Option<u32>,
        type_: Option<u32>,
        signature: Option<u32>,
    },
    EndLocal(u32),
    RestartLocal(u32),
    PrologueEnd,
    EpilogueBegin,
    SetFile(Option<u32>),
    Special(u8),
}

/// A `debug_info_item`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebugInfo {
    pub line_start: u32,
    pub parameter_names: Vec<Option<u32>>,
    pub ops: Vec<DebugOp>,
}

/// What an instruction's index operand refers to, and where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    String,
    /// `const-string/jumbo`: a 32-bit index.
    StringJumbo,
    Type,
    Field,
    Method,
    /// The prototype of `invoke-polymorphic` (unit 3).
    PolymorphicProto,
    /// `const-method-type`.
    Proto,
    CallSite,
    MethodHandle,
}

/// One index operand of an instruction, as a model index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsnRef {
    /// Code unit of the instruction's opcode.
    pub pc: u32,
    pub kind: RefKind,
    pub index: u32,
}

/// A try block; `handler` indexes [`Code::handlers`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Try {
    pub start: u32,
    pub count: u16,
    pub handler: usize,
}

/// An `encoded_catch_handler`: typed catches (type index, address) and a catch-all address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Handler {
    pub catches: Vec<(u32, u32)>,
    pub catch_all: Option<u32>,
}

/// A method's code. `insns` are the original code units; the index operands listed in `refs`
/// are rewritten by the writer (the values in `insns` at those places are meaningless).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub registers: u16,
    pub ins: u16,
    pub outs: u16,
    pub insns: Vec<u16>,
    pub refs: Vec<InsnRef>,
    pub tries: Vec<Try>,
    pub handlers: Vec<Handler>,
    pub debug: Option<DebugInfo>,
}

/// A field a class defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    pub field: u32,
    pub access_flags: u32,
    pub hidden_api: Option<u32>,
}

/// A method a class defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodDef {
    pub method: u32,
    pub access_flags: u32,
    pub code: Option<Code>,
    pub hidden_api: Option<u32>,
}

/// A class definition with everything it owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub type_: u32,
    pub access_flags: u32,
    pub superclass: Option<u32>,
    pub interfaces: Vec<u32>,
    pub source_file: Option<u32>,
    pub annotations: Option<AnnotationsDirectory>,
    pub static_values: Option<Vec<EncodedValue>>,
    pub static_fields: Vec<FieldDef>,
    pub instance_fields: Vec<FieldDef>,
    pub direct_methods: Vec<MethodDef>,
    pub virtual_methods: Vec<MethodDef>,
    /// Whether the class had a `class_data_item` (a class without members may have none).
    pub has_class_data: bool,
}

impl Class {
    pub fn fields(&self) -> impl Iterator<Item = &FieldDef> {
        self.static_fields.iter().chain(&self.instance_fields)
    }

    pub fn methods(&self) -> impl Iterator<Item = &MethodDef> {
        self.direct_methods.iter().chain(&self.virtual_methods)
    }

    pub fn methods_mut(&mut self) -> impl Iterator<Item = &mut MethodDef> {
        self.direct_methods.iter_mut().chain(&mut self.virtual_methods)
    }
}

/// The pools of a model.
#[derive(Debug, Clone, Default)]
pub struct Pools {
    pub strings: Interner<DexString>,
    pub types: Interner<u32>,
    pub protos: Interner<Proto>,
    pub fields: Interner<FieldRef>,
    pub methods: Interner<MethodRef>,
    pub method_handles: Interner<MethodHandle>,
    /// `call_site_item`s (encoded arrays), in file order; not interned: identical call sites
    /// at different places stay distinct, as the format allows.
    pub call_sites: Vec<Vec<EncodedValue>>,
}

impl Pools {
    pub fn string(&mut self, text: &str) -> u32 {
        self.strings.intern(DexString::new(text))
    }

    pub fn type_(&mut self, descriptor: &str) -> u32 {
        let string = self.string(descriptor);
        self.types.intern(string)
    }

    pub fn type_descriptor(&self, type_: u32) -> String {
        self.strings.get(*self.types.get(type_)).to_text()
    }

    /// Finds a type by descriptor without adding anything.
    pub fn find_type(&self, descriptor: &str) -> Option<u32> {
        let string = self.strings.find(&DexString::new(descriptor))?;
        self.types.find(&string)
    }

    /// A prototype, with its shorty made from the types.
    pub fn proto(&mut self, return_type: u32, parameters: &[u32]) -> u32 {
        let mut shorty = String::new();
        for type_ in std::iter::once(return_type).chain(parameters.iter().copied()) {
            let descriptor = self.type_descriptor(type_);
            shorty.push(match descriptor.as_bytes().first() {
                Some(b'L' | b'[') => 'L',
                Some(&c) => c as char,
                None => 'V',
            });
        }
        let shorty = self.string(&shorty);
        self.protos.intern(Proto {
            shorty,
            return_type,
            parameters: parameters.into(),
        })
    }

    /// `Lcom/example/Foo;->bar(I)V`.
    pub fn method_signature(&self, method: u32) -> String {
        let m = self.methods.get(method);
        let proto = self.protos.get(m.proto);
        let mut text = format!(
            "{}->{}(",
            self.type_descriptor(m.class),
            self.strings.get(m.name).to_text()
        );
        for &p in proto.parameters.iter() {
            text.push_str(&self.type_descriptor(p));
        }
        text.push(')');
        text.push_str(&self.type_descriptor(proto.return_type));
        text
    }

    /// `Lcom/example/Foo;->name:I`.
    pub fn field_signature(&self, field: u32) -> String {
        let f = self.fields.get(field);
        format!(
            "{}->{}:{}",
            self.type_descriptor(f.class),
            self.strings.get(f.name).to_text(),
            self.type_descriptor(f.type_)
        )
    }
}

/// An editable DEX file.
#[derive(Debug, Clone, Default)]
pub struct DexModel {
    pub version: u16,
    pub pools: Pools,
    pub classes: Vec<Class>,
    /// Whether the file had a hidden-API section (boot class path files).
    pub hidden_api: bool,
    /// How many items of each pool came from the file: [`crate::dex::write`] keeps them all,
    /// referenced or not, so a file written back unchanged has the same tables.
    pub read_counts: ReadCounts,
}

/// Pool sizes of the file a model was read from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadCounts {
    pub strings: u32,
    pub types: u32,
    pub protos: u32,
    pub fields: u32,
    pub methods: u32,
}

/// Bounded little-endian reads over the file, with errors naming the structure.
struct Cursor<'a> {
    data: &'a [u8],
    at: u64,
    what: &'static str,
}

impl<'a> Cursor<'a> {
    fn new(data: &'a [u8], at: u64, what: &'static str) -> Self {
        Cursor { data, at, what }
    }

    fn malformed(&self) -> DexError {
        DexError::Malformed {
            what: self.what,
            offset: self.at,
        }
    }

    fn u8(&mut self) -> Result<u8, DexError> {
        let byte = usize::try_from(self.at)
            .ok()
            .and_then(|at| self.data.get(at))
            .copied()
            .ok_or_else(|| self.malformed())?;
        self.at += 1;
        Ok(byte)
    }

    fn bytes(&mut self, len: usize) -> Result<&'a [u8], DexError> {
        let start = usize::try_from(self.at).map_err(|_| self.malformed())?;
        let bytes = start
            .checked_add(len)
            .and_then(|end| self.data.get(start..end))
            .ok_or_else(|| self.malformed())?;
        self.at += len as u64;
        Ok(bytes)
    }

    fn u16(&mut self) -> Result<u16, DexError> {
        let b = self.bytes(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, DexError> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn uleb(&mut self) -> Result<u32, DexError> {
        let mut result = 0u32;
        for index in 0..5 {
            let byte = self.u8()?;
            let payload = u32::from(byte & 0x7f);
            if index == 4 && payload > 0x0f {
                return Err(self.malformed());
            }
            result |= payload << (7 * index);
            if byte & 0x80 == 0 {
                return Ok(result);
            }
        }
        Err(self.malformed())
    }

    fn sleb(&mut self) -> Result<i32, DexError> {
        let start = self.at;
        let raw = self.uleb()?;
        let bits = 7 * (self.at - start) as u32;
        if bits >= 32 {
            return Ok(raw as i32);
        }
        let shift = 32 - bits;
        Ok(((raw << shift) as i32) >> shift)
    }

    /// A `uleb128p1`: absent when the stored value is 0.
    fn uleb_p1(&mut self) -> Result<Option<u32>, DexError> {
        Ok(self.uleb()?.checked_sub(1))
    }
}

/// Nesting limit for encoded values: real files nest a few levels, hostile ones could recurse
/// until the stack overflows.
const MAX_VALUE_DEPTH: u32 = 32;

/// Renumbering from the file's indices to the model's.
struct Remap {
    strings: Vec<u32>,
    types: Vec<u32>,
    protos: Vec<u32>,
    fields: Vec<u32>,
    methods: Vec<u32>,
    method_handles: Vec<u32>,
    call_sites: u32,
}

fn lookup(table: &[u32], index: u32, kind: &'static str) -> Result<u32, DexError> {
    table
        .get(index as usize)
        .copied()
        .ok_or(DexError::IndexOutOfRange {
            kind,
            index,
            size: table.len() as u32,
        })
}

impl Remap {
    fn string(&self, i: u32) -> Result<u32, DexError> {
        lookup(&self.strings, i, "string")
    }
    fn type_(&self, i: u32) -> Result<u32, DexError> {
        lookup(&self.types, i, "type")
    }
    fn proto(&self, i: u32) -> Result<u32, DexError> {
        lookup(&self.protos, i, "proto")
    }
    fn field(&self, i: u32) -> Result<u32, DexError> {
        lookup(&self.fields, i, "field")
    }
    fn method(&self, i: u32) -> Result<u32, DexError> {
        lookup(&self.methods, i, "method")
    }
    fn method_handle(&self, i: u32) -> Result<u32, DexError> {
        lookup(&self.method_handles, i, "method_handle")
    }
    fn call_site(&self, i: u32) -> Result<u32, DexError> {
        if i < self.call_sites {
            Ok(i)
        } else {
            Err(DexError::IndexOutOfRange {
                kind: "call_site",
                index: i,
                size: self.call_sites,
            })
        }
    }
    fn opt_string(&self, i: Option<u32>) -> Result<Option<u32>, DexError> {
        i.map(|i| self.string(i)).transpose()
    }
    fn opt_type(&self, i: Option<u32>) -> Result<Option<u32>, DexError> {
        i.map(|i| self.type_(i)).transpose()
    }
}

const TYPE_CALL_SITE_ID_ITEM: u16 = 0x0007;
const TYPE_METHOD_HANDLE_ITEM: u16 = 0x0008;

impl DexModel {
    /// Reads every structure of `dex` into a model. Version 041 containers are read one DEX at
    /// a time by the caller.
    pub fn read(dex: &DexFile<'_>) -> Result<DexModel, DexError> {
        let data = dex.bytes();
        if dex.header.container_size.is_some() {
            // Offsets in a 041 container are relative to the container, which `bytes()` is not.
            return Err(DexError::UnknownVersion(format!(
                "{:03} (multi-DEX container; rewriting is supported up to 040)",
                dex.header.version
            )));
        }
        let h = &dex.header;
        let mut pools = Pools::default();
        let mut remap = Remap {
            strings: Vec::with_capacity(h.string_ids as usize),
            types: Vec::with_capacity(h.type_ids as usize),
            protos: Vec::with_capacity(h.proto_ids as usize),
            fields: Vec::with_capacity(h.field_ids as usize),
            methods: Vec::with_capacity(h.method_ids as usize),
            method_handles: Vec::new(),
            call_sites: 0,
        };
        for i in 0..h.string_ids {
            let s = dex.string(i)?;
            remap.strings.push(pools.strings.intern(DexString {
                mutf8: s.bytes.into(),
                utf16_len: s.utf16_len,
            }));
        }
        for i in 0..h.type_ids {
            let at = u64::from(h.type_ids_off) + u64::from(i) * 4;
            let string = Cursor::new(data, at, "type_id_item").u32()?;
            let string = remap.string(string)?;
            remap.types.push(pools.types.intern(string));
        }
        for i in 0..h.proto_ids {
            let p = dex.proto(i)?;
            let parameters = p
                .parameters
                .iter()
                .map(|t| remap.type_(t))
                .collect::<Result<Box<[u32]>, _>>()?;
            let proto = Proto {
                shorty: remap.string(p.shorty)?,
                return_type: remap.type_(p.return_type)?,
                parameters,
            };
            remap.protos.push(pools.protos.intern(proto));
        }
        for i in 0..h.field_ids {
            let f = dex.field(i)?;
            let field = FieldRef {
                class: remap.type_(f.class)?,
                type_: remap.type_(f.type_)?,
                name: remap.string(f.name)?,
            };
            remap.fields.push(pools.fields.intern(field));
        }
        for i in 0..h.method_ids {
            let m = dex.method(i)?;
            let method = MethodRef {
                class: remap.type_(m.class)?,
                proto: remap.proto(m.proto)?,
                name: remap.string(m.name)?,
            };
            remap.methods.push(pools.methods.intern(method));
        }
        let map = dex.map()?;
        if let Some(item) = map.iter().find(|i| i.type_ == TYPE_METHOD_HANDLE_ITEM) {
            let mut c = Cursor::new(data, u64::from(item.offset), "method_handle_item");
            if u64::from(item.size) * 8 > data.len() as u64 {
                return Err(c.malformed());
            }
            let mut raw = Vec::with_capacity(item.size as usize);
            for _ in 0..item.size {
                let kind = c.u16()?;
                c.u16()?;
                let member = c.u16()?;
                c.u16()?;
                raw.push((kind, u32::from(member)));
            }
            for (kind, member) in raw {
                if kind > 8 {
                    return Err(c.malformed());
                }
                let member = if kind <= 3 {
                    remap.field(member)?
                } else {
                    remap.method(member)?
                };
                remap
                    .method_handles
                    .push(pools.method_handles.intern(MethodHandle { kind, member }));
            }
        }
        if let Some(item) = map.iter().find(|i| i.type_ == TYPE_CALL_SITE_ID_ITEM) {
            let mut c = Cursor::new(data, u64::from(item.offset), "call_site_id_item");
            if u64::from(item.size) * 4 > data.len() as u64 {
                return Err(c.malformed());
            }
            let mut offsets = Vec::with_capacity(item.size as usize);
            for _ in 0..item.size {
                offsets.push(c.u32()?);
            }
            remap.call_sites = item.size;
            for offset in offsets {
                let values = read_encoded_array(data, u64::from(offset), &remap)?;
                pools.call_sites.push(values);
            }
        }
        let hidden = dex.hidden_api()?;
        let mut classes = Vec::with_capacity(h.class_defs as usize);
        for (index, def) in dex.class_defs().enumerate() {
            let def = def?;
            let mut class = read_class(dex, data, &def, &remap)?;
            if let (Some(hidden), Some(class_data)) = (&hidden, dex.class_data(&def)?)
                && let Some(flags) = hidden.class_flags(index as u32, &class_data)?
            {
                let mut flags = flags.into_iter();
                for field in class.static_fields.iter_mut().chain(&mut class.instance_fields) {
                    field.hidden_api = flags.next();
                }
                for method in class.direct_methods.iter_mut().chain(&mut class.virtual_methods) {
                    method.hidden_api = flags.next();
                }
            }
            classes.push(class);
        }
        let read_counts = ReadCounts {
            strings: pools.strings.len() as u32,
            types: pools.types.len() as u32,
            protos: pools.protos.len() as u32,
            fields: pools.fields.len() as u32,
            methods: pools.methods.len() as u32,
        };
        Ok(DexModel {
            version: h.version,
            pools,
            classes,
            hidden_api: hidden.is_some(),
            read_counts,
        })
    }
}

fn read_class(dex: &DexFile<'_>, data: &[u8], def: &ClassDef, remap: &Remap) -> Result<Class, DexError> {
    let interfaces = if def.interfaces_off == 0 {
        Vec::new()
    } else {
        dex.type_list(def.interfaces_off)?
            .iter()
            .map(|t| remap.type_(t))
            .collect::<Result<_, _>>()?
    };
    let mut class = Class {
        type_: remap.type_(def.class)?,
        access_flags: def.access_flags,
        superclass: (def.superclass != NO_INDEX)
            .then(|| remap.type_(def.superclass))
            .transpose()?,
        interfaces,
        source_file: (def.source_file != NO_INDEX)
            .then(|| remap.string(def.source_file))
            .transpose()?,
        annotations: None,
        static_values: None,
        static_fields: Vec::new(),
        instance_fields: Vec::new(),
        direct_methods: Vec::new(),
        virtual_methods: Vec::new(),
        has_class_data: def.class_data_off != 0,
    };
    if def.annotations_off != 0 {
        class.annotations = Some(read_annotations_directory(data, def.annotations_off, remap)?);
    }
    if def.static_values_off != 0 {
        class.static_values = Some(read_encoded_array(data, u64::from(def.static_values_off), remap)?);
    }
    if let Some(class_data) = dex.class_data(def)? {
        for field in class_data.fields()? {
            let defined = FieldDef {
                field: remap.field(field.field)?,
                access_flags: field.access_flags,
                hidden_api: None,
            };
            if field.is_static {
                class.static_fields.push(defined);
            } else {
                class.instance_fields.push(defined);
            }
        }
        for method in class_data.methods()? {
            let code = if method.code_off == 0 {
                None
            } else {
                Some(read_code(dex, data, method.code_off, remap)?)
            };
            let defined = MethodDef {
                method: remap.method(method.method)?,
                access_flags: method.access_flags,
                code,
                hidden_api: None,
            };
            if method.is_direct {
                class.direct_methods.push(defined);
            } else {
                class.virtual_methods.push(defined);
            }
        }
    }
    Ok(class)
}

fn read_code(dex: &DexFile<'_>, data: &[u8], code_off: u32, remap: &Remap) -> Result<Code, DexError> {
    let item: CodeItem<'_> = dex.code(code_off)?;
    let insns: Vec<u16> = item
        .insns
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let mut refs = Vec::new();
    for instruction in item.instructions() {
        let instruction = instruction?;
        let pc = instruction.pc;
        if let Some(reference) = instruction.reference {
            let (kind, index) = match reference {
                Reference::String(i) if instruction.format == Format::F31c => {
                    (RefKind::StringJumbo, remap.string(i)?)
                }
                Reference::String(i) => (RefKind::String, remap.string(i)?),
                Reference::Type(i) => (RefKind::Type, remap.type_(i)?),
                Reference::Field(i) => (RefKind::Field, remap.field(i)?),
                Reference::Method(i) => (RefKind::Method, remap.method(i)?),
                Reference::Proto(i) => (RefKind::Proto, remap.proto(i)?),
                Reference::CallSite(i) => (RefKind::CallSite, remap.call_site(i)?),
                Reference::MethodHandle(i) => (RefKind::MethodHandle, remap.method_handle(i)?),
            };
            refs.push(InsnRef { pc, kind, index });
        }
        if let Some(proto) = instruction.proto {
            refs.push(InsnRef {
                pc,
                kind: RefKind::PolymorphicProto,
                index: remap.proto(proto)?,
            });
        }
    }
    let (tries, handlers) = read_tries(data, &item, remap)?;
    let debug = if item.debug_info_off == 0 {
        None
    } else {
        Some(read_debug_info(data, item.debug_info_off, remap)?)
    };
    Ok(Code {
        registers: item.registers,
        ins: item.ins,
        outs: item.outs,
        insns,
        refs,
        tries,
        handlers,
        debug,
    })
}

fn read_tries(data: &[u8], item: &CodeItem<'_>, remap: &Remap) -> Result<(Vec<Try>, Vec<Handler>), DexError> {
    if item.tries == 0 {
        return Ok((Vec::new(), Vec::new()));
    }
    let tries_at = (item.insns_offset + item.insns.len() as u64).next_multiple_of(4);
    let handlers_at = tries_at + u64::from(item.tries) * 8;
    let mut c = Cursor::new(data, tries_at, "try_item");
    let mut raw_tries = Vec::with_capacity(usize::from(item.tries));
    for _ in 0..item.tries {
        let start = c.u32()?;
        let count = c.u16()?;
        let handler_off = c.u16()?;
        raw_tries.push((start, count, handler_off));
    }
    let mut c = Cursor::new(data, handlers_at, "encoded_catch_handler_list");
    let lists = c.uleb()?;
    // Each handler takes at least one byte.
    if u64::from(lists) > (data.len() as u64).saturating_sub(c.at) {
        return Err(c.malformed());
    }
    let mut handlers = Vec::with_capacity(lists as usize);
    let mut by_offset = HashMap::new();
    for _ in 0..lists {
        let offset = (c.at - handlers_at) as u16;
        let size = c.sleb()?;
        let mut catches = Vec::new();
        for _ in 0..size.unsigned_abs() {
            let type_ = remap.type_(c.uleb()?)?;
            let address = c.uleb()?;
            catches.push((type_, address));
        }
        let catch_all = if size <= 0 { Some(c.uleb()?) } else { None };
        by_offset.insert(offset, handlers.len());
        handlers.push(Handler { catches, catch_all });
    }
    let tries = raw_tries
        .into_iter()
        .map(|(start, count, handler_off)| {
            let handler = *by_offset.get(&handler_off).ok_or(DexError::Malformed {
                what: "try_item handler_off",
                offset: tries_at,
            })?;
            Ok(Try {
                start,
                count,
                handler,
            })
        })
        .collect::<Result<_, DexError>>()?;
    Ok((tries, handlers))
}

fn read_debug_info(data: &[u8], offset: u32, remap: &Remap) -> Result<DebugInfo, DexError> {
    let mut c = Cursor::new(data, u64::from(offset), "debug_info_item");
    let line_start = c.uleb()?;
    let count = c.uleb()?;
    if u64::from(count) > (data.len() as u64).saturating_sub(c.at) {
        return Err(c.malformed());
    }
    let mut parameter_names = Vec::with_capacity(count as usize);
    for _ in 0..count {
        parameter_names.push(remap.opt_string(c.uleb_p1()?)?);
    }
    let mut ops = Vec::new();
    loop {
        let op = c.u8()?;
        ops.push(match op {
            0x00 => break,
            0x01 => DebugOp::AdvancePc(c.uleb()?),
            0x02 => DebugOp::AdvanceLine(c.sleb()?),
            0x03 => DebugOp::StartLocal {
                register: c.uleb()?,
                name: remap.opt_string(c.uleb_p1()?)?,
                type_: remap.opt_type(c.uleb_p1()?)?,
            },
            0x04 => DebugOp::StartLocalExtended {
                register: c.uleb()?,
                name: remap.opt_string(c.uleb_p1()?)?,
                type_: remap.opt_type(c.uleb_p1()?)?,
                signature: remap.opt_string(c.uleb_p1()?)?,
            },
            0x05 => DebugOp::EndLocal(c.uleb()?),
            0x06 => DebugOp::RestartLocal(c.uleb()?),
            0x07 => DebugOp::PrologueEnd,
            0x08 => DebugOp::EpilogueBegin,
            0x09 => DebugOp::SetFile(remap.opt_string(c.uleb_p1()?)?),
            special => DebugOp::Special(special),
        });
    }
    Ok(DebugInfo {
        line_start,
        parameter_names,
        ops,
    })
}

fn read_encoded_array(data: &[u8], offset: u64, remap: &Remap) -> Result<Vec<EncodedValue>, DexError> {
    let mut c = Cursor::new(data, offset, "encoded_array_item");
    read_array_body(&mut c, remap, 0)
}

fn read_array_body(c: &mut Cursor<'_>, remap: &Remap, depth: u32) -> Result<Vec<EncodedValue>, DexError> {
    let size = c.uleb()?;
    if u64::from(size) > (c.data.len() as u64).saturating_sub(c.at) {
        return Err(c.malformed());
    }
    let mut values = Vec::with_capacity(size as usize);
    for _ in 0..size {
        values.push(read_value(c, remap, depth + 1)?);
    }
    Ok(values)
}

fn read_annotation_body(
    c: &mut Cursor<'_>,
    remap: &Remap,
    depth: u32,
) -> Result<EncodedAnnotation, DexError> {
    let type_ = remap.type_(c.uleb()?)?;
    let size = c.uleb()?;
    if u64::from(size) > (c.data.len() as u64).saturating_sub(c.at) {
        return Err(c.malformed());
    }
    let mut elements = Vec::with_capacity(size as usize);
    for _ in 0..size {
        let name = remap.string(c.uleb()?)?;
        elements.push((name, read_value(c, remap, depth + 1)?));
    }
    Ok(EncodedAnnotation { type_, elements })
}

fn read_value(c: &mut Cursor<'_>, remap: &Remap, depth: u32) -> Result<EncodedValue, DexError> {
    if depth > MAX_VALUE_DEPTH {
        return Err(c.malformed());
    }
    let header = c.u8()?;
    let (value_type, arg) = (header & 0x1f, header >> 5);
    let len = usize::from(arg) + 1;
    let unsigned = |c: &mut Cursor<'_>, max: usize| -> Result<u64, DexError> {
        if len > max {
            return Err(c.malformed());
        }
        let bytes = c.bytes(len)?;
        Ok(bytes.iter().rev().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    };
    let signed = |raw: u64| -> i64 {
        let shift = 64 - 8 * len as u32;
        ((raw << shift) as i64) >> shift
    };
    let index = |raw: u64| u32::try_from(raw).unwrap_or(u32::MAX);
    Ok(match value_type {
        0x00 => EncodedValue::Byte(signed(unsigned(c, 1)?) as i8),
        0x02 => EncodedValue::Short(signed(unsigned(c, 2)?) as i16),
        0x03 => EncodedValue::Char(unsigned(c, 2)? as u16),
        0x04 => EncodedValue::Int(signed(unsigned(c, 4)?) as i32),
        0x06 => EncodedValue::Long(signed(unsigned(c, 8)?)),
        // Floating point values are zero-extended to the right: the bytes given are the high ones.
        0x10 => EncodedValue::Float((unsigned(c, 4)? << (8 * (4 - len))) as u32),
        0x11 => EncodedValue::Double(unsigned(c, 8)? << (8 * (8 - len))),
        0x15 => EncodedValue::MethodType(remap.proto(index(unsigned(c, 4)?))?),
        0x16 => EncodedValue::MethodHandle(remap.method_handle(index(unsigned(c, 4)?))?),
        0x17 => EncodedValue::String(remap.string(index(unsigned(c, 4)?))?),
        0x18 => EncodedValue::Type(remap.type_(index(unsigned(c, 4)?))?),
        0x19 => EncodedValue::Field(remap.field(index(unsigned(c, 4)?))?),
        0x1a => EncodedValue::Method(remap.method(index(unsigned(c, 4)?))?),
        0x1b => EncodedValue::Enum(remap.field(index(unsigned(c, 4)?))?),
        0x1c if arg == 0 => EncodedValue::Array(read_array_body(c, remap, depth)?),
        0x1d if arg == 0 => EncodedValue::Annotation(read_annotation_body(c, remap, depth)?),
        0x1e if arg == 0 => EncodedValue::Null,
        0x1f if arg <= 1 => EncodedValue::Boolean(arg == 1),
        _ => return Err(c.malformed()),
    })
}

fn read_annotation_set(data: &[u8], offset: u32, remap: &Remap) -> Result<AnnotationSet, DexError> {
    let mut c = Cursor::new(data, u64::from(offset), "annotation_set_item");
    let size = c.u32()?;
    if u64::from(size) * 4 > (data.len() as u64).saturating_sub(c.at) {
        return Err(c.malformed());
    }
    let mut set = Vec::with_capacity(size as usize);
    for _ in 0..size {
        let item = c.u32()?;
        let mut a = Cursor::new(data, u64::from(item), "annotation_item");
        let visibility = a.u8()?;
        let annotation = read_annotation_body(&mut a, remap, 0)?;
        set.push(Annotation {
            visibility,
            annotation,
        });
    }
    Ok(set)
}

fn read_annotations_directory(
    data: &[u8],
    offset: u32,
    remap: &Remap,
) -> Result<AnnotationsDirectory, DexError> {
    let mut c = Cursor::new(data, u64::from(offset), "annotations_directory_item");
    let class_off = c.u32()?;
    let fields = c.u32()?;
    let methods = c.u32()?;
    let parameters = c.u32()?;
    let total = u64::from(fields) + u64::from(methods) + u64::from(parameters);
    if total * 8 > (data.len() as u64).saturating_sub(c.at) {
        return Err(c.malformed());
    }
    let mut directory = AnnotationsDirectory::default();
    if class_off != 0 {
        directory.class = Some(read_annotation_set(data, class_off, remap)?);
    }
    for _ in 0..fields {
        let field = remap.field(c.u32()?)?;
        let set = c.u32()?;
        directory
            .fields
            .push((field, read_annotation_set(data, set, remap)?));
    }
    for _ in 0..methods {
        let method = remap.method(c.u32()?)?;
        let set = c.u32()?;
        directory
            .methods
            .push((method, read_annotation_set(data, set, remap)?));
    }
    for _ in 0..parameters {
        let method = remap.method(c.u32()?)?;
        let list_off = c.u32()?;
        let mut l = Cursor::new(data, u64::from(list_off), "annotation_set_ref_list");
        let size = l.u32()?;
        if u64::from(size) * 4 > (data.len() as u64).saturating_sub(l.at) {
            return Err(l.malformed());
        }
        let mut sets = Vec::with_capacity(size as usize);
        for _ in 0..size {
            let set = l.u32()?;
            sets.push(if set == 0 {
                None
            } else {
                Some(read_annotation_set(data, set, remap)?)
            });
        }
        directory.parameters.push((method, sets));
    }
    Ok(directory)
}
